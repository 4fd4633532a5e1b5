"""The JobTracker and TaskTrackers as real processes (issue 13, daemon mode).

Each test starts a MiniMRCluster: a NameNode, four DataNodes on two racks, a JobTracker and a
TaskTracker per DataNode, all daemons on loopback, stopped in a finally; jobs are submitted
from this process over TCP. Answers are checked against plain Python computing the same thing.
"""

from __future__ import annotations

import collections
import os
import threading
import time

import pytest

from dfs import runfiles
from jobs.wordcount import WordCount
from mapred import history
from mapred.api import Job
from mapred.daemons import JOBTRACKER
from mapred.minicluster import MiniMRCluster
from mapred.remote import RemoteJobTracker, jobtracker_address

WORDS = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]


def _text(lines: int, seed: int = 1) -> bytes:
    import random

    rng = random.Random(seed)
    return "".join(" ".join(rng.choices(WORDS, k=9)) + "\n" for _ in range(lines)).encode()


def _counts(data: bytes) -> dict[str, str]:
    return {w: str(n) for w, n in collections.Counter(data.decode().split()).items()}


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def mr(tmp_path):
    cluster = MiniMRCluster(tmp_path, blocksize=64 * 1024)
    try:
        yield cluster
    finally:
        cluster.close()


def test_a_job_runs_on_the_daemons_with_locality(mr):
    data = _text(20_000)  # ~1.3 MB: about 20 blocks of 64 KiB
    mr.dfs.client().write_bytes("/in.txt", data)
    assert jobtracker_address(mr.conf) is not None
    result = mr.run_job(WordCount, ["dfs:///in.txt"], "dfs:///out", {"mapreduce.job.reduces": 2})
    assert result.succeeded, result.error
    assert result.job_id.startswith("job_") and "local" not in result.job_id  # the daemon's id
    assert dict(result.read_output()) == _counts(data)
    jobs = result.counters["Job Counters "]
    launched = jobs["Launched map tasks"]
    assert launched >= 10
    assert jobs.get("Data-local map tasks", 0) >= 0.9 * launched, dict(jobs)
    events = history.read_events(mr.conf, result.job_id)  # written by the JobTracker daemon
    trackers = {e["tracker"] for e in events if e["event"] == "ATTEMPT_STARTED"}
    assert trackers <= {f"tracker_{n}" for n in mr.nodes} and len(trackers) >= 2

    # submitted without waiting: the client returns at once, the daemons finish the job
    detached = mr.run_job(WordCount, ["dfs:///in.txt"], "dfs:///out2", wait=False)
    assert detached.state in ("RUNNING", "SUCCEEDED") and detached.job_id != result.job_id
    client = RemoteJobTracker(mr.conf, jobtracker_address(mr.conf))
    try:
        wait_until(lambda: client.proxy.job_status(detached.job_id).done, 60, "the job")
        assert client.proxy.job_status(detached.job_id).state == "SUCCEEDED"
    finally:
        client.close()
    assert dict(detached.read_output()) == _counts(data)

    # the same from the command line: hadoop jar --detach
    import subprocess
    import sys

    env = dict(os.environ, MINIHADOOP_HOME=str(mr.home))
    cmd = [sys.executable, "-m", "mapred.cli", "jar", "--detach", "jobs.wordcount"]
    proc = subprocess.run(
        [*cmd, "/in.txt", "/out3"], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    job_id = proc.stderr.split("Submitted job ", 1)[1].split(";")[0]
    client = RemoteJobTracker(mr.conf, jobtracker_address(mr.conf))
    try:
        wait_until(lambda: client.proxy.job_status(job_id).done, 60, "the detached job")
        assert client.proxy.job_status(job_id).state == "SUCCEEDED"
    finally:
        client.close()


def test_without_daemons_a_job_cannot_be_left_running(tmp_path):
    from mapred.errors import JobConfigError
    from mapred.runner import run_job

    (tmp_path / "in.txt").write_text("a b\n")
    with pytest.raises(JobConfigError, match="hadoop start-cluster"):
        run_job(WordCount, [str(tmp_path / "in.txt")], str(tmp_path / "out"), wait=False)
    assert not (tmp_path / "out").exists()
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mapred.cli",
            "jar",
            "--detach",
            "jobs.wordcount",
            str(tmp_path / "in.txt"),
            str(tmp_path / "out"),
            "-D",
            "fs.defaultFS=file:///",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and "hadoop start-cluster" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


class SlowReduce(Job):
    """Word count whose reducers sleep first, so they are still running when a test acts."""

    def map(self, offset, line):
        for word in line.split():
            yield word, 1

    def reduce_setup(self):
        time.sleep(float(self.context.get("test.reduce.sleep", "0")))

    def reduce(self, word, counts):
        yield word, sum(counts)


@pytest.mark.slow
def test_must_show_5_a_killed_tasktracker_s_map_outputs_are_run_again(mr):
    data = _text(8_000, seed=5)
    mr.dfs.client().write_bytes("/in.txt", data)
    outcome = {}
    conf = {
        "mapreduce.job.reduces": 2,
        "test.reduce.sleep": "4",
        "mapreduce.job.reduce.slowstart.completedmaps": 1.0,
    }
    runner = threading.Thread(
        target=lambda: outcome.update(r=mr.run_job(SlowReduce, ["dfs:///in.txt"], "dfs:///o", conf))
    )
    runner.start()
    try:

        def maps_done_and_reduces_running():
            job = _running_job(mr)
            if job is None:
                return False
            events = history.read_events(mr.conf, job)
            started = {e["attempt_id"]: e for e in events if e["event"] == "ATTEMPT_STARTED"}
            done = [
                e
                for e in events
                if e["event"] == "ATTEMPT_FINISHED"
                and e["state"] == "SUCCEEDED"
                and "_m_" in e["attempt_id"]
            ]
            reducing = any("_r_" in a for a in started)
            outcome["maps"] = done
            return reducing and done and len(done) == sum("_m_" in a for a in started)

        wait_until(maps_done_and_reduces_running, 60, "the maps to finish")
        victim = outcome["maps"][0]["tracker"].removeprefix("tracker_")
        mr.kill_tracker(victim)
    finally:
        runner.join(120)
    result = outcome["r"]
    assert result.succeeded, result.error
    assert dict(result.read_output()) == _counts(data)
    events = history.read_events(mr.conf, result.job_id)
    obsolete = [e for e in events if e["event"] == "MAP_OUTPUT_OBSOLETE"]
    assert obsolete and all(
        "Lost task tracker" in e["reason"] or "fetch" in e["reason"] for e in obsolete
    )
    rerun = [
        e
        for e in events
        if e["event"] == "ATTEMPT_STARTED"
        and "_m_" in e["attempt_id"]
        and not e["attempt_id"].endswith("_0")
    ]
    assert rerun and all(e["tracker"] != f"tracker_{victim}" for e in rerun)


def _running_job(mr) -> str | None:
    for record in history.read_summaries(mr.conf):
        if record["state"] == "RUNNING":
            return record["job_id"]
    return None


def test_a_killed_job_publishes_nothing_on_the_daemons(mr):
    data = _text(4_000, seed=3)
    mr.dfs.client().write_bytes("/in.txt", data)
    outcome = {}
    conf = {"test.reduce.sleep": "30"}
    runner = threading.Thread(
        target=lambda: outcome.update(r=mr.run_job(SlowReduce, ["dfs:///in.txt"], "dfs:///k", conf))
    )
    runner.start()
    try:
        wait_until(lambda: _running_job(mr) is not None, 30, "the job to start")
        job_id = _running_job(mr)
        client = RemoteJobTracker(mr.conf, runfiles.read_addr(mr.home, JOBTRACKER))
        try:
            wait_until(
                lambda: client.proxy.job_status(job_id).reduce_progress > 0, 30, "a reduce to start"
            )
            assert client.proxy.kill_job(job_id)
        finally:
            client.close()
    finally:
        runner.join(60)
    result = outcome["r"]
    assert result.state == "KILLED"
    assert not mr.dfs.fs.exists("/k")
    assert not [p for p in mr.dfs.fs.ls("/", detail=False) if "_temporary" in p]
    summary = {r["job_id"]: r for r in history.read_summaries(mr.conf)}[result.job_id]
    assert summary["state"] == "KILLED"
    local = mr.home / "mapred" / "local"
    assert not local.exists() or not os.listdir(local)  # the job's local directory is gone


class SlowMaps(Job):
    """Each map task sleeps a little before counting its split's lines."""

    def map_setup(self):
        time.sleep(0.8)  # alice's 9 maps on 2 slots take ~4 s: bob's client starts meanwhile

    def map(self, offset, line):
        yield "lines", 1

    def reduce(self, key, counts):
        yield key, sum(counts)


@pytest.mark.slow
def test_must_show_6_the_fair_scheduler_shares_between_two_users(tmp_path):
    """Two users' jobs submitted one after the other: under the fair scheduler the second
    user's maps start while the first user's job still has maps waiting (FIFO would run
    every map of the first job first)."""
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    settings = {"mapreduce.jobtracker.taskscheduler": "fair"}
    with MiniMRCluster(tmp_path, blocksize=64 * 1024, conf=settings) as mr:
        data = _text(12_000, seed=7)  # ~9 blocks: 9 maps each
        mr.dfs.client().write_bytes("/in.txt", data)
        mr.dfs.client().mkdirs("/tmp")
        mr.dfs.client().set_permission("/tmp", 0o1777)  # both users write their output there
        procs = []
        for user in ("alice", "bob"):
            env = dict(
                os.environ, MINIHADOOP_HOME=str(mr.home), HADOOP_USER_NAME=user, PYTHONPATH=root
            )
            script = (
                "import sys; from mapred.runner import run_job; "
                "from tests.mapred.test_mapred_daemons import SlowMaps; "
                f"r = run_job(SlowMaps, ['dfs:///in.txt'], 'dfs:///tmp/out-{user}', "
                "{'mapreduce.map.speculative': False}); sys.exit(0 if r.succeeded else 1)"
            )
            procs.append(subprocess.Popen([sys.executable, "-c", script], env=env, cwd=root))
            if user == "alice":
                wait_until(lambda: _running_job(mr) is not None, 30, "alice's job to start")
        for proc in procs:
            assert proc.wait(120) == 0
        starts: dict[str, list[int]] = {}
        for record in history.read_summaries(mr.conf):
            events = history.read_events(mr.conf, record["job_id"])
            starts[record["user"]] = [
                e["time"] for e in events if e["event"] == "ATTEMPT_STARTED" and e["type"] == "MAP"
            ]
        assert len(starts["alice"]) >= 6 and len(starts["bob"]) >= 6
        assert min(starts["bob"]) < max(starts["alice"]), "bob waited for every alice map"
