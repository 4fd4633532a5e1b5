"""`hadoop jar` as a newcomer meets it (issue 16): an empty input file, a job file that does not
import, bad settings. Each is a user's situation, answered in the user's terms with exit 1, never
``ERROR 2999`` (which is for minihadoop's own bugs)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def home(tmp_path):
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    home = tmp_path / "home"
    format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
    return home


def hadoop(*args, home, cwd):
    """`hadoop ARGS` in a subprocess; scheme-less jar paths are local (fs.defaultFS=file:///)."""
    env = dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)
    return subprocess.run(
        [sys.executable, "-m", "mapred.cli", *args, "-D", "fs.defaultFS=file:///"],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("balance", ["true", "false"])
def test_an_empty_input_file_gives_empty_part_files(tmp_path, home, balance):
    """Hadoop's FileInputFormat gives an empty file one empty split; the job succeeds with empty
    output (the old code divided by zero evening out the splits over more than one slot)."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "wc"
    run = hadoop(
        "jar", "jobs.wordcount", str(empty), str(out), "-D", "mapreduce.job.reduces=2",
        "-D", f"mapreduce.job.split.balance={balance}", home=home, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert sorted(os.listdir(out)) == ["_SUCCESS", "part-r-00000", "part-r-00001"]
    assert all((out / p).read_bytes() == b"" for p in os.listdir(out))


JOB_FILES = {
    "syntax.py": (
        "from mapred.api import Job\n\nclass MyJob(Job):\n"
        "    def map(self, k, v)\n        yield v, 1\n",
        [
            '  File "{dir}/syntax.py", line 4',
            "    def map(self, k, v)",
            "SyntaxError: expected ':'",
        ],
    ),
    "imports.py": (
        "from mapred.api import Job\nimport helper_that_is_not_there\n",
        [
            "Traceback (most recent call last):",
            '  File "{dir}/imports.py", line 2, in <module>',
            "    import helper_that_is_not_there",
            "ModuleNotFoundError: No module named 'helper_that_is_not_there'",
        ],
    ),
    "raises.py": (
        "from mapred.api import Job\n\nTABLE = {}['missing']\n",
        ['  File "{dir}/raises.py", line 3, in <module>', "KeyError: 'missing'"],
    ),
}


@pytest.mark.parametrize("name", sorted(JOB_FILES))
def test_a_job_file_that_does_not_load_names_the_users_file_and_line(tmp_path, home, name):
    source, expected = JOB_FILES[name]
    (tmp_path / name).write_text(source)
    for ref in (name, name[:-3]):  # as a file, and as a module of the working directory
        run = hadoop("jar", ref, "in", "out", home=home, cwd=tmp_path)
        assert run.returncode == 1, run.stderr
        lines = run.stderr.splitlines()
        assert lines[0] == f"jar: cannot load {ref}:"
        for line in expected:
            assert line.format(dir=tmp_path) in lines, run.stderr
        assert "ERROR 2999" not in run.stderr
        assert "/mapred/" not in run.stderr and "importlib" not in run.stderr  # no framework


def test_a_missing_module_is_still_one_line(tmp_path, home):
    run = hadoop("jar", "no_such_job_module", "in", "out", home=home, cwd=tmp_path)
    assert (run.returncode, run.stderr) == (
        1,
        "jar: cannot import job module no_such_job_module: No module named 'no_such_job_module'\n",
    )


@pytest.mark.parametrize(
    "define, message",
    [
        ("mapreduce.task.io.sort.mb=0", "Invalid value for mapreduce.task.io.sort.mb: 0"),
        ("mapreduce.map.sort.spill.percent=1.5", "Invalid value for mapreduce.map.sort.spill"
         ".percent: 1.5; it must be more than 0 and at most 1"),
        ("mapreduce.job.reduces=-1", "Invalid value for mapreduce.job.reduces: -1"),
    ],
)  # fmt: skip
def test_bad_job_settings_are_refused_before_the_job_runs(tmp_path, home, define, message):
    src = tmp_path / "in.txt"
    src.write_text("a b\n")
    run = hadoop("jar", "jobs.wordcount", str(src), str(tmp_path / "out"), "-D", define,
                 home=home, cwd=ROOT)  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(f"jar: {message}"), run.stderr
    assert "Running job" not in run.stderr and not (tmp_path / "out").exists()
