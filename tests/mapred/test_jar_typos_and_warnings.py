"""``hadoop jar`` as a newcomer meets it (issue 16 leftovers): a failed task attempt is reported
once (Hadoop's client prints one ``WARN``/``INFO mapreduce.Job`` line per failed attempt; the
JobTracker's own record of it goes to its log, not the user's terminal), and a mistyped module
or job class gets the close names ("Did you mean", as Hadoop's shell and Pig answer a typo)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FLAKY = textwrap.dedent("""
    from mapred.api import Job


    class FlakyCount(Job):
        def map(self, offset, line):
            if self.context.task_id.endswith("_m_000000_0"):  # attempt 0 of map task 0
                raise ValueError("the first attempt of split 0 fails")
            for word in line.split():
                yield word, 1

        def reduce(self, word, counts):
            yield word, sum(counts)
""")


def hadoop(*args, home, cwd=ROOT, timeout=120, checkout_on_path=True):
    env = dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)
    if not checkout_on_path:  # the installed packages only, no stray module of the checkout
        env.pop("PYTHONPATH")
    env.pop("HADOOP_ROOT_LOGGER", None)
    return subprocess.run(
        [sys.executable, "-m", "mapred.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


@pytest.fixture
def home(tmp_path):
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    home = tmp_path / "home"
    format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
    return home


def test_a_failed_attempt_is_reported_once(tmp_path, home):
    job = tmp_path / "flaky.py"
    job.write_text(FLAKY)
    src = tmp_path / "words.txt"
    src.write_text("the quick brown fox\n" * 50)
    out = tmp_path / "out"
    run = hadoop("jar", str(job), str(src), str(out), "-D", "fs.defaultFS=file:///", home=home)
    assert run.returncode == 0, run.stderr
    lines = [x for x in run.stderr.splitlines() if "the first attempt of split 0 fails" in x]
    assert len(lines) == 1, run.stderr
    assert " WARN mapreduce.Job: Task attempt " in lines[0] and "_m_000000_0 failed" in lines[0]
    # the JobTracker's record of it is kept in the command's log file
    logs = (home / "logs").glob("hadoop-*-jar.log")
    assert any("the first attempt of split 0 fails" in p.read_text() for p in logs)


def test_a_mistyped_job_module_gets_the_close_names(home):
    # run outside the checkout and without it on the path: a user's own wordcount.py there
    # (the README has one saved in the clone's root) is the module `wordcount`, rightly
    alone = {"home": home, "cwd": home, "checkout_on_path": False}
    run = hadoop("jar", "jobs.wordcont", "a", "b", **alone)
    assert run.returncode == 1
    assert "cannot import job module jobs.wordcont" in run.stderr
    assert "Did you mean jobs.wordcount?" in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    run = hadoop("jar", "wordcount", "a", "b", **alone)  # the package left out
    assert run.returncode == 1 and "Did you mean jobs.wordcount?" in run.stderr, run.stderr
    run = hadoop("jar", "zzzqqq", "a", "b", **alone)
    assert run.returncode == 1 and "Did you mean" not in run.stderr


def test_a_missing_job_class_lists_the_modules_job_classes(home):
    run = hadoop("jar", "jobs.wordcount:NoSuch", "a", "b", home=home)
    assert run.returncode == 1
    assert "jobs.wordcount has no job class NoSuch" in run.stderr
    assert "its job classes: WordCount" in run.stderr, run.stderr
    run = hadoop("jar", "jobs.wordcount:Wordcount", "a", "b", home=home)
    assert "Did you mean jobs.wordcount:WordCount?" in run.stderr, run.stderr
