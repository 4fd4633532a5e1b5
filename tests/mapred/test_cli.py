"""``hadoop jar`` / ``hadoop job`` as a user runs them (python -m mapred.cli in a subprocess)."""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def hadoop(*args, home, cwd=ROOT, timeout=120):
    """Run `hadoop ARGS`; for `jar`, scheme-less paths mean local files (fs.defaultFS=file:///)."""
    env = dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)
    if args and args[0] == "jar":
        args = (*args, "-D", "fs.defaultFS=file:///")
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
    """A freshly formatted state directory (nothing formats implicitly)."""
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    home = tmp_path / "home"
    format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
    return home


def test_jar_paths_without_scheme_live_on_the_dfs(tmp_path, home):
    from dfs.minicluster import MiniCluster

    mc = MiniCluster(tmp_path / "c")
    mc.client().write_bytes("/in/a.txt", b"x y x\n")
    mc.close()
    env = dict(os.environ, MINIHADOOP_HOME=str(mc.home), PYTHONPATH=ROOT)
    run = subprocess.run([sys.executable, "-m", "mapred.cli", "jar", "jobs.wordcount", "/in",
                          "/out"], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    mc.reopen()
    assert mc.client().read_bytes("/out/part-r-00000") == b"x\t2\ny\t1\n"
    mc.close()


def test_jar_wordcount_prints_progress_and_counters(tmp_path, home):
    src = tmp_path / "in.txt"
    src.write_text("a b a\nc a\n" * 50)
    out = tmp_path / "out"
    run = hadoop(
        "jar", "jobs.wordcount", str(src), str(out), "-D", "mapreduce.job.reduces=2", home=home
    )
    assert run.returncode == 0, run.stderr
    assert "INFO mapreduce.Job:  map 100% reduce 100%" in run.stderr
    assert re.search(r"Job job_\S+ completed successfully", run.stderr)
    assert "\tMap-Reduce Framework\n\t\tMap input records=100\n" in run.stderr
    assert "Reduce output records=3" in run.stderr
    counts = collections.Counter()
    for name in ("part-r-00000", "part-r-00001"):
        for line in (out / name).read_text().splitlines():
            word, n = line.split("\t")
            counts[word] += int(n)
    assert counts == {"a": 150, "b": 50, "c": 50}


def test_jar_failure_reports_traceback_and_record(tmp_path, home):
    job = tmp_path / "badjob.py"
    job.write_text(
        textwrap.dedent("""
        from mapred.api import Job

        class Bad(Job):
            def map(self, offset, line):
                if line == "boom":
                    raise ValueError("cannot parse " + line)
                yield line, 1
    """)
    )
    src = tmp_path / "in.txt"
    src.write_text("ok\nfine\nboom\nok\n")
    out = tmp_path / "out"
    run = hadoop(
        "jar", f"{job}:Bad", str(src), str(out), "-D", "mapreduce.framework.name=local", home=home
    )
    assert run.returncode == 1
    assert re.search(
        r"Job job_\S+ failed: task attempt_\S+_m_000000_3 failed 4 times; "
        r"last error: ValueError: cannot parse boom",
        run.stderr,
    ), run.stderr
    assert f"Failing record: file://{src}:8" in run.stderr or f"{src}:8" in run.stderr
    assert 'raise ValueError("cannot parse " + line)' in run.stderr
    assert not out.exists()


def test_jar_usage_error_is_one_line(tmp_path, home):
    run = hadoop("jar", "jobs.wordcount", str(tmp_path / "only-one-arg"), home=home)
    assert run.returncode == 255
    assert run.stderr.strip().splitlines() == ["jar: Usage: WordCount <in> [<in>...] <out>"]
    run = hadoop("jar", "no.such.module", "a", "b", home=home)
    assert run.returncode == 1 and "cannot import job module no.such.module" in run.stderr
    assert "Traceback" not in run.stderr


def test_jar_missing_input_is_one_line(tmp_path, home):
    run = hadoop("jar", "jobs.wordcount", str(tmp_path / "nope"), str(tmp_path / "out"), home=home)
    assert run.returncode == 1
    assert "Input path does not exist" in run.stderr and "Traceback" not in run.stderr


def test_jar_grep_chain_and_job_history(tmp_path, home):
    src = tmp_path / "in.txt"
    src.write_text("dfs.replication dfs.blocksize\nmapred.x dfs.replication\n")
    out = tmp_path / "out"
    run = hadoop("jar", "jobs.grep", str(src), str(out), r"dfs\.[a-z]+", home=home)
    assert run.returncode == 0, run.stderr
    assert (out / "part-r-00000").read_text() == "2\tdfs.replication\n1\tdfs.blocksize\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "in.txt", "out"]
    ids = re.findall(r"Job (job_\S+) completed successfully", run.stderr)
    assert len(ids) == 2
    listing = hadoop("job", "-list", "all", home=home)
    assert listing.returncode == 0 and all(i in listing.stdout for i in ids)
    status = hadoop("job", "-status", ids[1], home=home)
    assert "Job state: SUCCEEDED" in status.stdout and "Reduce output records=2" in status.stdout
    missing = hadoop("job", "-status", "job_nope_0001", home=home)
    assert missing.returncode == 1 and "Could not find job job_nope_0001" in missing.stderr


def test_jar_with_files_option(tmp_path, home):
    job = tmp_path / "cachejob.py"
    job.write_text(
        textwrap.dedent("""
        from mapred.api import Job

        class Lookup(Job):
            def setup(self):
                with open(self.context.cache_path("names.txt")) as f:
                    self.names = dict(line.split() for line in f)

            def map(self, offset, line):
                yield self.names.get(line, "?"), 1

            def reduce(self, key, values):
                yield key, sum(values)
    """)
    )
    names = tmp_path / "names.txt"
    names.write_text("1 one\n2 two\n")
    src = tmp_path / "in.txt"
    src.write_text("1\n2\n2\n3\n")
    out = tmp_path / "out"
    run = hadoop("jar", str(job), str(src), str(out), "-files", str(names), home=home)
    assert run.returncode == 0, run.stderr
    assert (out / "part-r-00000").read_text() == "?\t1\none\t1\ntwo\t2\n"


def test_job_kill_stops_a_running_job_and_removes_its_output(tmp_path, home):
    import json
    import time

    job = tmp_path / "slowjob.py"
    job.write_text(
        textwrap.dedent("""
        import time
        from mapred.api import Job

        class Slow(Job):
            def map(self, offset, line):
                time.sleep(0.05)
                yield line, 1
    """)
    )
    src = tmp_path / "in.txt"
    src.write_text("".join(f"{i}\n" for i in range(2000)))
    out = tmp_path / "out"
    env = dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mapred.cli", "jar", str(job), str(src), str(out),
         "-D", "fs.defaultFS=file:///"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    history = home / "history"
    job_id = None
    deadline = time.time() + 30
    while job_id is None and time.time() < deadline:
        for f in history.glob("*.json") if history.exists() else []:
            record = json.loads(f.read_text())
            if record["state"] == "RUNNING":
                job_id = record["job_id"]
        time.sleep(0.1)
    assert job_id, "the job never showed up as RUNNING"
    listing = hadoop("job", "-list", home=home)
    assert job_id in listing.stdout
    killed = hadoop("job", "-kill", job_id, home=home)
    assert killed.returncode == 0 and f"Killed job {job_id}" in killed.stdout
    proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert not out.exists()
    status = hadoop("job", "-status", job_id, home=home)
    assert "Job state: KILLED" in status.stdout
