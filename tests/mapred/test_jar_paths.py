"""`hadoop jar` with a job path on a filesystem it cannot open: one line naming the scheme,
exit 1, before any job runs (issue 16, found by trying the project as a newcomer).

Before, ``hdfs://localhost:9000/out`` (the path every Hadoop tutorial uses) went to pyarrow's
HDFS client, which printed dozens of ``dlopen(...libjvm.so) failed`` lines and then
``ERROR 2999: Unexpected internal error. Unable to load libjvm``; an unknown scheme was
``ERROR 2999 ... Protocol not known: xyz``. Hadoop's own words for both: ``No FileSystem for
scheme "hdfs"``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dfs.cluster import connect, format_cluster
from dfs.conf import Configuration


@pytest.fixture
def env(tmp_path):
    env = dict(os.environ, MINIHADOOP_HOME=str(tmp_path / "home"), HADOOP_USER_NAME="alice")
    for key in ("JAVA_HOME", "HADOOP_HOME", "CLASSPATH", "MINIHADOOP_CONF_DIR"):
        env.pop(key, None)  # no Java: pyarrow's HDFS client cannot load
    return env


def _jar(env, tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "mapred.cli", "jar", "jobs.wordcount", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("path", "scheme"),
    [("hdfs://localhost:9000/out", "hdfs"), ("xyz://bucket/out", "xyz")],
)
def test_a_job_path_on_an_unusable_filesystem_is_one_line(env, tmp_path, monkeypatch, path, scheme):
    monkeypatch.setenv("MINIHADOOP_HOME", env["MINIHADOOP_HOME"])
    format_cluster(Configuration())
    with connect(Configuration()) as c:
        c.write_bytes("/in.txt", b"a b a\n")
    done = _jar(env, tmp_path, "/in.txt", path)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f'jar: No FileSystem for scheme "{scheme}"'), done.stderr
    assert len(lines) == 1, done.stderr  # no dlopen noise, no traceback, no ERROR 2999
    assert "dfs:///" in lines[0]
    done = _jar(env, tmp_path, path, "/out")  # as an input too
    assert done.returncode == 1 and f'scheme "{scheme}"' in done.stderr, done.stderr
