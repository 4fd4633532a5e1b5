"""Issue 16 re-checked at session 10's HEAD: ``hadoop jar`` as a newcomer meets it.

Hadoop's ToolRunner reads the generic options (``-D``, ``-conf``, ``-fs``, ``-jt``, ``-files``,
``-libjars``, ``-archives``) after the job's class too: ``hadoop jar wc.jar WordCount -fs
file:/// in out`` runs on local files. Here ``-D`` and ``-files`` were taken anywhere on the
line but ``-fs``, ``-jt`` and ``-conf`` after the module became job arguments: ``-fs file:///
in out`` failed with ``Input path does not exist: dfs:///user/<you>/-fs``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEXT = "the quick brown fox\njumps over the lazy dog\nthe end\n"


def hadoop(*args, home, cwd, timeout=120):
    env = dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)
    env.pop("HADOOP_ROOT_LOGGER", None)
    return subprocess.run(
        [sys.executable, "-m", "mapred.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def _counts(out_dir) -> Counter:
    got: Counter = Counter()
    for part in sorted(out_dir.glob("part-r-*")):
        for line in part.read_text().splitlines():
            word, n = line.split("\t")
            got[word] += int(n)
    return got


@pytest.fixture
def words(tmp_path):
    src = tmp_path / "words.txt"
    src.write_text(TEXT)
    return src


def test_fs_after_the_module_names_the_default_filesystem(tmp_path, words):
    """No cluster at all: with -fs file:/// the job reads and writes local paths."""
    out = tmp_path / "out"
    r = hadoop(
        "jar", "jobs.wordcount", "-fs", "file:///", str(words), str(out),
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "-fs" not in r.stderr
    assert _counts(out) == Counter(TEXT.split())


def test_conf_after_the_module_is_read_below_d(tmp_path, words):
    site = tmp_path / "job.xml"
    site.write_text(
        "<configuration>"
        "<property><name>mapreduce.job.reduces</name><value>3</value></property>"
        "<property><name>fs.defaultFS</name><value>file:///</value></property>"
        "</configuration>"
    )
    out = tmp_path / "out"
    r = hadoop(
        "jar", "jobs.wordcount", str(words), str(out), "-conf", str(site),
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("part-r-*"))) == 3
    assert _counts(out) == Counter(TEXT.split())
    out2 = tmp_path / "out2"  # -D beats -conf wherever each stands, as in Hadoop
    r = hadoop(
        "jar", "jobs.wordcount", "-D", "mapreduce.job.reduces=2", str(words), str(out2),
        "-conf", str(site), home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(list(out2.glob("part-r-*"))) == 2


def test_jt_after_the_module_is_an_option_not_a_path(tmp_path, words):
    out = tmp_path / "out"
    r = hadoop(
        "jar", "jobs.wordcount", "-jt", "local", "-fs", "file:///", str(words), str(out),
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert _counts(out) == Counter(TEXT.split())


@pytest.mark.parametrize("option", ["-fs", "-jt", "-conf"])
def test_a_generic_option_without_its_value_is_a_usage_error(tmp_path, words, option):
    r = hadoop(
        "jar", "jobs.wordcount", str(words), str(tmp_path / "out"), option,
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 255, r.stderr
    assert r.stderr.splitlines() == [f"jar: option {option} requires an argument"]


def test_a_missing_conf_file_is_named(tmp_path, words):
    r = hadoop(
        "jar", "jobs.wordcount", str(words), str(tmp_path / "out"), "-conf", "nope.xml",
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert r.stderr.splitlines() == ["jar: -conf: configuration file nope.xml does not exist"]


# ---- Hadoop's deprecated names (mapred.reduce.tasks, io.sort.mb, ...) -----------------------
# Hadoop's Configuration maps each old name to its new one and says so once
# (``INFO Configuration.deprecation: mapred.reduce.tasks is deprecated. Instead, use
# mapreduce.job.reduces``). Here they were silently ignored: -D mapred.reduce.tasks=3 ran one
# reducer, and -D io.sort.mb=0 ran as if it were not there.
DEPRECATION = (
    "INFO Configuration.deprecation: mapred.reduce.tasks is deprecated. Instead, use "
    "mapreduce.job.reduces"
)


@pytest.mark.parametrize("where", ["after", "before", "conf"])
def test_mapred_reduce_tasks_sets_the_reducers(tmp_path, words, where):
    out = tmp_path / "out"
    paths = [str(words), str(out)]
    if where == "after":
        args = ["jobs.wordcount", "-fs", "file:///", *paths, "-D", "mapred.reduce.tasks=3"]
    elif where == "before":
        args = ["-D", "mapred.reduce.tasks=3", "-fs", "file:///", "jobs.wordcount", *paths]
    else:
        site = tmp_path / "old.xml"
        site.write_text(
            "<configuration><property><name>mapred.reduce.tasks</name><value>3</value>"
            "</property></configuration>"
        )
        args = ["jobs.wordcount", "-fs", "file:///", *paths, "-conf", str(site)]
    r = hadoop("jar", *args, home=tmp_path / "unformatted", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("part-r-*"))) == 3
    assert _counts(out) == Counter(TEXT.split())
    assert sum(DEPRECATION in line for line in r.stderr.splitlines()) == 1, r.stderr


def test_a_bad_value_under_a_deprecated_name_is_refused_under_the_new_one(tmp_path, words):
    r = hadoop(
        "jar", "jobs.wordcount", "-fs", "file:///", str(words), str(tmp_path / "out"),
        "-D", "io.sort.mb=0", home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert r.stderr.splitlines()[-1] == (
        "jar: Invalid value for mapreduce.task.io.sort.mb: 0; it must be more than 0"
    )


def test_the_new_name_wins_over_the_old_one(tmp_path, words):
    out = tmp_path / "out"
    r = hadoop(
        "jar", "jobs.wordcount", "-fs", "file:///", str(words), str(out),
        "-D", "mapreduce.job.reduces=2", "-D", "mapred.reduce.tasks=3",
        home=tmp_path / "unformatted", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("part-r-*"))) == 2


def test_every_new_name_in_the_table_is_one_minihadoop_reads():
    from dfs.conf import DEFAULTS
    from dfs.deprecation import DEPRECATED_KEYS

    read_elsewhere = {"mapreduce.output.fileoutputformat.compress"}  # mapred.output
    for old, new in DEPRECATED_KEYS.items():
        assert new in DEFAULTS or new in read_elsewhere, (old, new)
        assert old not in DEFAULTS, old
