"""Issue 16: a LOAD or STORE location this project cannot open gets one clear error.

Expected behaviour from Hadoop and Pig: Hadoop 3 refuses a path whose scheme has no
FileSystem with `No FileSystem for scheme "hdfs"` (UnsupportedFileSystemException); Pig's
InputOutputFileValidator reports a bad STORE location as `ERROR 6000: Output Location
Validation Failed for: '<location>' More info to follow: <cause>` before any job runs, and an
input it cannot list as ERROR 2118. Either way: one ERROR line, a non-zero exit, no traceback,
and nothing printed by a filesystem client that was never going to work (pyarrow's HDFS client
prints a `dlopen(...libjvm.so) failed` line for every place it looks for Java).
"""

from __future__ import annotations

import os

import pytest

from piglatin.tools import cli


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    (tmp_path / "in.txt").write_text("1\ta\n2\tb\n")
    return tmp_path


def run_pig(work, capfd, script: str) -> tuple[int, str]:
    """`pig -x local q.pig`; returns (status, everything written to fd 2, C libraries too)."""
    (work / "q.pig").write_text(script)
    status = cli.main(["-x", "local", "q.pig"])
    return status, capfd.readouterr().err


def one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, err
    assert "Traceback" not in err and "dlopen" not in err and "ERROR 2999" not in err, err
    return errors[0]


URLS = ["hdfs://host:9000/x", "viewfs://cluster/x", "s3://bucket/x", "foo://b/x"]


@pytest.mark.parametrize("url", URLS)
def test_load_from_a_filesystem_that_cannot_be_opened(work, capfd, url):
    status, err = run_pig(work, capfd, f"A = LOAD '{url}';\nDUMP A;\n")
    line = one_error(err)
    scheme = url.split(":", 1)[0]
    assert status != 0
    assert line.startswith("ERROR 2118: ") and f'No FileSystem for scheme "{scheme}"' in line
    assert url in line and "line 1" in line  # names the statement and the location
    assert "file:///" in line or "local path" in line  # says what works in local mode


@pytest.mark.parametrize("url", URLS)
def test_store_into_a_filesystem_that_cannot_be_opened(work, capfd, url):
    status, err = run_pig(work, capfd, f"A = LOAD 'in.txt';\nSTORE A INTO '{url}';\n")
    line = one_error(err)
    scheme = url.split(":", 1)[0]
    assert status != 0
    assert line.startswith("ERROR 6000: ") and "line 2" in line
    assert f"Output Location Validation Failed for: '{url}' More info to follow: " in line
    assert f'No FileSystem for scheme "{scheme}"' in line


def test_mapreduce_mode_names_dfs_as_the_filesystem(work, capfd):
    from piglatin.errors import PigError
    from piglatin.launcher import PigServer

    with PigServer("mapreduce", cwd=work) as server, pytest.raises(PigError) as info:
        server.register_script("A = LOAD 'hdfs://host:9000/x';\nDUMP A;\n")
    assert info.value.code == 2118 and "dfs:///" in info.value.message
    assert "dlopen" not in capfd.readouterr().err


def test_store_into_an_unwritable_local_location(work, capfd):
    blocked = work / "in.txt"  # a file: nothing can be created under it
    status, err = run_pig(work, capfd, f"A = LOAD 'in.txt';\nSTORE A INTO '{blocked}/out';\n")
    line = one_error(err)
    assert status != 0
    assert line.startswith("ERROR 6000: ") and "line 2" in line
    assert f"Output Location Validation Failed for: '{blocked}/out' More info to follow: " in line
    assert f"{blocked}/out" in line and "Not a directory" in line
    assert blocked.read_text() == "1\ta\n2\tb\n"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_store_under_proc_is_refused_before_any_job(work, capfd):
    status, err = run_pig(work, capfd, "A = LOAD 'in.txt';\nSTORE A INTO '/proc/x/out';\n")
    line = one_error(err)
    assert status != 0
    assert line.startswith("ERROR 6000: ")
    assert "Output Location Validation Failed for: '/proc/x/out' More info to follow: " in line
    assert "Total jobs" not in err  # refused before any job ran
