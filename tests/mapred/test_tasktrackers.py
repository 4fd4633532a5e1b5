"""The JobTracker and TaskTrackers with real child processes (issue 13's must-shows, embedded).

Jobs go through ``run_job`` on the embedded cluster (one TaskTracker per DataNode of the
topology); failures, hangs, stragglers and lost map outputs are made deterministic by the
mapper itself (its attempt id, or ``context.host``, the node it runs on), and each test checks
the job's output against a plain-Python computation and its history events.
"""

from __future__ import annotations

import collections
import glob
import os
import threading
import time

import pytest

from dfs.conf import Configuration, home_dir
from mapred import counters as C
from mapred import history
from mapred.api import Job
from mapred.embedded import get_cluster, shutdown_clusters
from mapred.runner import run_job

WORDS = [f"w{i}" for i in range(50)]


def write_text(path, lines=400, seed=1):
    import random

    rng = random.Random(seed)
    text = [" ".join(rng.choices(WORDS, k=rng.randint(1, 8))) for _ in range(lines)]
    path.write_text("".join(line + "\n" for line in text), encoding="utf-8")
    return str(path), collections.Counter(w for line in text for w in line.split())


def base_conf(tmp_path, **extra):
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 800,  # several maps
        "mapreduce.job.split.balance": False,
        "mapreduce.tasktracker.map.tasks.maximum": 1,  # every tracker runs maps
        "mapreduce.tasktracker.reduce.tasks.maximum": 1,
        "mapreduce.jobtracker.heartbeat.interval": 0.05,
        "mapreduce.job.reduces": 2,
    }
    conf.update(extra)
    return conf


def word_counts(result):
    return collections.Counter({k: int(v) for k, v in result.read_output()})


def attempts(job_id, event="ATTEMPT_FINISHED"):
    events = history.read_events(Configuration(load_site=False), job_id)
    return {e["attempt_id"]: e for e in events if e["event"] == event}


def run_bounded(cluster, seconds, *args, **kwargs):
    """run_job(*args, **kwargs) on `cluster`, failing the test (and killing the job) if it has
    not ended after `seconds`."""
    results = []
    thread = threading.Thread(target=lambda: results.append(run_job(*args, **kwargs)), daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    if thread.is_alive():
        for job in cluster.jobtracker.list_jobs():
            cluster.jobtracker.kill_job(job.job_id)
        thread.join(timeout=15)
        pytest.fail(f"the job was still running after {seconds} s")
    return results[0]


@pytest.fixture(autouse=True)
def _own_task_processes():
    shutdown_clusters()  # children forked now see this module's jobs
    yield
    shutdown_clusters()


class Words(Job):
    """Word count with a per-record map (so a task's progress moves record by record)."""

    def map(self, offset, line):
        for word in line.split():
            yield word, 1

    def reduce(self, word, counts):
        yield word, sum(counts)


class FailsOnceOnSplit3(Words):
    def map_setup(self):
        if "_m_000003_" in self.context.task_id and self.context.task_id.endswith("_0"):
            raise RuntimeError("first attempt of split 3 fails")


class HangsOnceOnSplit1(Words):
    def map_setup(self):
        if "_m_000001_" in self.context.task_id and self.context.task_id.endswith("_0"):
            time.sleep(120)  # reports nothing: the task timeout must kill it


class SlowOnOneNode(Words):
    """Every map on the node named by ``test.slow.host`` takes 60 s; elsewhere it is quick."""

    def map_setup(self):
        if self.context.host == self.context.get("test.slow.host"):
            time.sleep(60)


class Sleeps(Words):
    def map_setup(self):
        time.sleep(60)


# -- 2. a failing first attempt -----------------------------------------------------------------
def test_a_first_attempt_that_fails_is_retried_and_the_job_succeeds(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    result = run_job(FailsOnceOnSplit3, [path], str(tmp_path / "out"), base_conf(tmp_path))
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    assert result.stats["maps"] > 3
    finished, started = attempts(result.job_id), attempts(result.job_id, "ATTEMPT_STARTED")
    first = next(a for a in finished if "_m_000003_0" in a)
    retry = next(a for a in finished if "_m_000003_1" in a)
    assert finished[first]["state"] == "FAILED"
    assert "first attempt of split 3 fails" in finished[first]["error"]
    assert finished[retry]["state"] == "SUCCEEDED"
    assert started[retry]["tracker"] != started[first]["tracker"]  # retried elsewhere
    assert result.counters[C.JOB_GROUP][C.FAILED_MAPS] == 1


# -- 3. a hanging attempt ------------------------------------------------------------------------
def test_a_hanging_attempt_is_killed_by_the_task_timeout_and_retried(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    conf = base_conf(
        tmp_path, **{"mapreduce.task.timeout": 1500, "mapreduce.map.speculative": False}
    )
    started = time.monotonic()
    result = run_job(HangsOnceOnSplit1, [path], str(tmp_path / "out"), conf)
    assert time.monotonic() - started < 30
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    finished = attempts(result.job_id)
    hung = next(a for a in finished if "_m_000001_0" in a)
    assert finished[hung]["state"] == "FAILED"
    assert "failed to report status for 1 seconds. Killing!" in finished[hung]["error"]
    assert any(finished[a]["state"] == "SUCCEEDED" for a in finished if "_m_000001_" in a)


# -- 4. a straggler --------------------------------------------------------------------------------
def test_a_straggler_gets_a_speculative_backup_and_output_is_written_once(tmp_path):
    path, expected = write_text(tmp_path / "in.txt", lines=200)
    slow = get_cluster(Configuration(base_conf(tmp_path), load_site=False)).layout.nodes[0][0]
    conf = base_conf(
        tmp_path,
        **{
            "test.slow.host": slow,
            "mapreduce.job.speculative.lag": 300,
            "mapreduce.input.fileinputformat.split.maxsize": 2000,
        },
    )
    started = time.monotonic()
    result = run_job(SlowOnOneNode, [path], str(tmp_path / "out"), conf)
    elapsed = time.monotonic() - started
    assert result.succeeded, result.error
    assert elapsed < 20, f"{elapsed:.1f} s: the 60 s straggler was waited for"
    assert word_counts(result) == expected  # every word counted once
    launches = attempts(result.job_id, "ATTEMPT_STARTED")
    finished = attempts(result.job_id)
    backups = [a for a, e in launches.items() if e["speculative"]]
    assert backups, "no speculative attempt ran"
    stragglers = [a for a, e in launches.items() if e["host"] == slow and "_m_" in a]
    assert stragglers and all(finished[a]["state"] == "KILLED" for a in stragglers)
    assert result.counters[C.JOB_GROUP][C.KILLED_MAPS] >= 1
    parts = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert parts == ["_SUCCESS", "part-r-00000", "part-r-00001"]


# -- 5. a map output that cannot be fetched ----------------------------------------------------
def test_a_map_output_that_cannot_be_fetched_is_made_again(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    conf = base_conf(tmp_path, **{"mapreduce.job.reduce.slowstart.completedmaps": 1.0})
    removed = []

    def remove_first_map_output(job_id, maps, reduces):
        # Called by the driver between rounds: the reduces were launched in the round that saw
        # the last map finish, and ask where the outputs are only in the next one.
        if maps == 1.0 and not removed:
            pattern = str(tmp_path / "local" / job_id / "**" / "*_m_000000_0*" / "file.out")
            for out in glob.glob(pattern, recursive=True):
                os.remove(out)
                removed.append(out)

    result = run_job(Words, [path], str(tmp_path / "out"), conf, progress=remove_first_map_output)
    assert removed, "map 0's output was never seen"
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    events = history.read_events(Configuration(load_site=False), result.job_id)
    obsolete = [e["attempt_id"] for e in events if e["event"] == "MAP_OUTPUT_OBSOLETE"]
    assert [a[-10:] for a in obsolete] == ["m_000000_0"]
    rerun = attempts(result.job_id)
    assert any(a.endswith("_m_000000_1") and e["state"] == "SUCCEEDED" for a, e in rerun.items())
    started = {a[-10:]: e["tracker"] for a, e in attempts(result.job_id, "ATTEMPT_STARTED").items()}
    assert started["m_000000_1"] != started["m_000000_0"]  # made again on another tracker
    assert result.counters[C.JOB_GROUP][C.FAILED_MAPS] == 1  # Hadoop: Too many fetch-failures
    # the map ran twice, its input is counted once
    assert result.counters["Map-Reduce Framework"]["Map input records"] == 400


# -- 6. kill ------------------------------------------------------------------------------------
def test_killing_a_running_job_publishes_nothing(tmp_path):
    path, _ = write_text(tmp_path / "in.txt")
    conf = base_conf(tmp_path)
    jobtracker = get_cluster(Configuration(conf, load_site=False)).jobtracker
    results = []
    thread = threading.Thread(
        target=lambda: results.append(run_job(Sleeps, [path], str(tmp_path / "out"), conf)),
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 20
    running = []
    while not running:
        assert time.monotonic() < deadline, "the job never ran an attempt"
        running = [j for j in jobtracker.list_jobs() if j.state == "RUNNING" and j.maps]
        running = [j for j in running if jobtracker.jobs[j.job_id].running_attempts()]
        time.sleep(0.05)
    assert jobtracker.kill_job(running[0].job_id) is True
    thread.join(timeout=20)
    assert not thread.is_alive(), "the killed job did not end"
    (result,) = results
    assert result.state == "KILLED"
    assert not (tmp_path / "out").exists()
    summaries = {s["job_id"]: s for s in history.read_summaries(Configuration(load_site=False))}
    assert summaries[result.job_id]["state"] == "KILLED"
    assert jobtracker.list_jobs() == []  # forgotten; the next job runs normally
    again = run_job(Words, [path], str(tmp_path / "out2"), conf)
    assert again.succeeded, again.error


# -- 1. data locality on a 4-node, 2-rack DFS -----------------------------------------------------
@pytest.mark.slow  # 40 MiB written with replication 3, two jobs: 4-10 s
def test_most_maps_of_a_dfs_input_are_data_local(tmp_path, monkeypatch):
    from dfs.filesystem import DFSFileSystem
    from dfs.minicluster import MiniCluster

    with MiniCluster(tmp_path / "dfs", blocksize=1 << 20) as mc:
        monkeypatch.setenv("MINIHADOOP_HOME", str(mc.home))
        DFSFileSystem.clear_instance_cache()
        shutdown_clusters()
        try:
            line = b"%07d " + b"x" * 91 + b"\n"
            data = b"".join(line % i for i in range(40 * (1 << 20) // 100))
            mc.client().write_bytes("/in/big.txt", data[: 40 << 20])
            lines = str(data[: 40 << 20].count(b"\n"))
            # the default slots (the machine's cores dealt over the 4 trackers), then a map
            # slot on every tracker
            for n, slots in enumerate(({}, {"mapreduce.tasktracker.map.tasks.maximum": 1})):
                conf = {"mapreduce.cluster.local.dir": str(tmp_path / "local"), **slots}
                out = str(tmp_path / f"out{n}")
                result = run_job(LineCount, ["dfs:///in/big.txt"], out, conf)
                assert result.succeeded, result.error
                jc = result.counters[C.JOB_GROUP]
                print(result.counters.format())
                assert jc[C.LAUNCHED_MAPS] >= 40
                assert jc.get(C.DATA_LOCAL_MAPS, 0) >= 0.9 * jc[C.LAUNCHED_MAPS], dict(jc)
                assert dict(result.read_output()) == {"lines": lines}
        finally:
            shutdown_clusters()
            DFSFileSystem.clear_instance_cache()


class LineCount(Job):
    reducers = 1

    def map_setup(self):
        self.n = 0

    def map(self, offset, line):
        self.n += 1

    def map_cleanup(self):
        yield "lines", self.n

    def reduce(self, key, counts):
        yield key, sum(counts)


# -- 7. local and cluster agree ----------------------------------------------------------------
READY_JOBS = [
    "wordcount",
    "wordcount_textbook",
    "sort",
    "secondarysort",
    "join_reduce_side",
    "grep",
    "joins.reduce_side",
    "joins.singleton",
    "joins.replicated",
]


def _parts(directory):
    """{part file name: bytes} of a job's output."""
    names = sorted(n for n in os.listdir(directory) if n.startswith("part-"))
    return {n: open(os.path.join(directory, n), "rb").read() for n in names}


def _ready_job(name, tmp_path):
    """run(executor, out) for the ready job `name` of jobs/, on a small input."""
    import random

    from jobs.grep import Grep
    from jobs.join_reduce_side import BUFFERED, JOIN_TYPE, ReduceSideJoin
    from jobs.joins import run_join
    from jobs.secondarysort import SecondarySort
    from jobs.sort import Sort
    from jobs.wordcount import WordCount
    from jobs.wordcount_textbook import WordCountTextbook
    from mapred.api import Input
    from mapred.jobcontrol import run_chain
    from tests.jobs.test_joins import handmade, write_lines

    rng = random.Random(3)
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 7000,
        "mapreduce.task.io.sort.mb": "0.01",  # several spills per map
        "mapreduce.job.reduces": 3,
    }
    if name.startswith("joins."):
        ann, rel = handmade()
        ann = write_lines(tmp_path / "ann" / "part-00000", ann)
        rel = write_lines(tmp_path / "rel" / "part-00000", rel)
        return lambda ex, out: run_join(name[6:], ann, rel, out, conf, ex)
    if name == "join_reduce_side":
        left = [f"k{rng.randrange(80)}\tL{i}" for i in range(900)]
        right = [f"k{rng.randrange(160)}\tR{i}" for i in range(900)]
        inputs = [
            Input(write_lines(tmp_path / "left.tsv", left), mapper="map_left"),
            Input(write_lines(tmp_path / "right.tsv", right), mapper="map_right"),
        ]
        conf.update({JOIN_TYPE: "leftouter", BUFFERED: "right"})
        return lambda ex, out: run_job(ReduceSideJoin, inputs, out, conf, executor=ex)
    if name == "secondarysort":
        pairs = [f"{rng.randint(-9, 30)} {rng.randint(-99, 99)}" for _ in range(3000)]
        path = write_lines(tmp_path / "pairs.txt", pairs)
        return lambda ex, out: run_job(SecondarySort, [path], out, conf, executor=ex)
    text, _ = write_text(tmp_path / "text.txt", lines=3000, seed=4)
    if name == "grep":
        return lambda ex, out: run_chain(Grep.steps([text, out, r"w(\d)"]), conf, ex)
    cls = {"wordcount": WordCount, "wordcount_textbook": WordCountTextbook, "sort": Sort}[name]
    return lambda ex, out: run_job(cls, [text], out, conf, executor=ex)


@pytest.mark.parametrize("name", READY_JOBS)
def test_local_and_cluster_outputs_are_identical(tmp_path, name):
    run = _ready_job(name, tmp_path)
    outputs = {}
    for executor in ("local", "cluster"):
        out = str(tmp_path / f"out-{executor}")
        result = run(executor, out)
        assert result.succeeded, (executor, result.error)
        outputs[executor] = _parts(out)
    assert outputs["local"] and any(outputs["local"].values())
    assert outputs["local"] == outputs["cluster"]


def test_history_is_under_the_cluster_home(tmp_path):
    path, _ = write_text(tmp_path / "in.txt", lines=20)
    result = run_job(Words, [path], str(tmp_path / "out"), base_conf(tmp_path))
    assert result.succeeded, result.error
    assert os.path.exists(os.path.join(str(home_dir()), "history", f"{result.job_id}.jsonl"))


class SleepsASecond(Words):
    def map_setup(self):
        time.sleep(1.0)


def test_a_local_task_longer_than_the_tracker_expiry_is_not_lost(tmp_path):
    # The local framework's one tracker runs each task inside its own heartbeat: however long
    # the task, that tracker was not silent, and the task must not be run again and again.
    path, expected = write_text(tmp_path / "in.txt", lines=50)
    conf = base_conf(
        tmp_path,
        **{
            "mapreduce.jobtracker.expire.trackers.interval": 500,
            "mapreduce.input.fileinputformat.split.maxsize": 1 << 20,
        },
    )
    results = []
    thread = threading.Thread(
        target=lambda: results.append(
            run_job(SleepsASecond, [path], str(tmp_path / "out"), conf, executor="local")
        ),
        daemon=True,
    )
    thread.start()
    thread.join(timeout=15)
    if thread.is_alive():
        jobtracker = get_cluster(Configuration(conf, load_site=False), inline=True).jobtracker
        for job in jobtracker.list_jobs():
            jobtracker.kill_job(job.job_id)
        thread.join(timeout=15)
        pytest.fail("the local job was still running after 15 s")
    (result,) = results
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    assert result.counters[C.JOB_GROUP][C.LAUNCHED_MAPS] == 1


class ExitsOnceOnSplit2(Words):
    def map_setup(self):
        if "_m_000002_" in self.context.task_id and self.context.task_id.endswith("_0"):
            os._exit(7)  # the child process dies mid-task


class AlwaysFailsOnSplit1(Words):
    def map(self, offset, line):
        if "_m_000001_" in self.context.task_id:
            raise ValueError(f"bad record at {offset}")
        yield from super().map(offset, line)


class SlowButAlive(Words):
    """Busy for 2.5 s in map_setup without reading input, telling its tracker it is alive."""

    def map_setup(self):
        if "_m_000000_" in self.context.task_id:
            for _ in range(25):
                time.sleep(0.1)
                self.context.progress()


def test_an_attempt_whose_process_dies_is_retried(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    result = run_job(ExitsOnceOnSplit2, [path], str(tmp_path / "out"), base_conf(tmp_path))
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    finished = attempts(result.job_id)
    died = next(a for a in finished if a.endswith("_m_000002_0"))
    assert finished[died]["state"] == "FAILED" and "exit code 7" in finished[died]["error"]


def test_a_task_failing_every_attempt_fails_the_job_naming_it(tmp_path):
    path, _ = write_text(tmp_path / "in.txt")
    conf = base_conf(tmp_path, **{"mapreduce.map.maxattempts": 2})
    result = run_job(AlwaysFailsOnSplit1, [path], str(tmp_path / "out"), conf)
    assert result.state == "FAILED"
    assert "_m_000001_1" in result.error and "ValueError: bad record at " in result.error
    offset = result.error.split("bad record at ")[1].split()[0]
    assert result.failed_attempt.location.endswith(f"in.txt:{offset}")  # the failing record
    assert result.counters[C.JOB_GROUP][C.FAILED_MAPS] == 2
    assert not (tmp_path / "out").exists()
    again = run_job(Words, [path], str(tmp_path / "out"), base_conf(tmp_path))
    assert again.succeeded, again.error  # the cluster is fine for the next job


def test_a_task_that_reports_progress_outlives_the_timeout(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    conf = base_conf(
        tmp_path, **{"mapreduce.task.timeout": 1000, "mapreduce.map.speculative": False}
    )
    result = run_job(SlowButAlive, [path], str(tmp_path / "out"), conf)
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    assert C.FAILED_MAPS not in result.counters[C.JOB_GROUP]


class NapsPerMap(Words):
    def map_setup(self):
        time.sleep(0.3)


def _two_users(tmp_path, monkeypatch, scheduler):
    """alice's job, then bob's as soon as alice's runs; the ms each map attempt started."""
    path, expected = write_text(tmp_path / "in.txt")
    conf = base_conf(
        tmp_path, **{"mapreduce.jobtracker.taskscheduler": scheduler, "mapreduce.job.reduces": 1}
    )
    jobtracker = get_cluster(Configuration(conf, load_site=False)).jobtracker
    results = {}

    def run(user):
        results[user] = run_job(NapsPerMap, [path], str(tmp_path / user), conf)

    threads = {}
    for user in ("alice", "bob"):
        monkeypatch.setenv("HADOOP_USER_NAME", user)
        threads[user] = threading.Thread(target=run, args=(user,), daemon=True)
        threads[user].start()
        deadline = time.monotonic() + 20
        while not any(j.user == user for j in jobtracker.list_jobs()) and user not in results:
            assert time.monotonic() < deadline, f"{user}'s job was never submitted"
            time.sleep(0.01)
    for thread in threads.values():
        thread.join(timeout=60)
        assert not thread.is_alive()
    starts = {}
    for user, result in results.items():
        assert result.succeeded, result.error
        assert word_counts(result) == expected
        launched = attempts(result.job_id, "ATTEMPT_STARTED").values()
        starts[user] = sorted(e["time"] for e in launched if e["type"] == "MAP")
    return starts


def test_the_fair_scheduler_runs_two_users_jobs_side_by_side(tmp_path, monkeypatch):
    starts = _two_users(tmp_path, monkeypatch, "fair")
    assert starts["bob"][0] < starts["alice"][-1]  # bob did not wait for alice's last map


def test_fifo_runs_the_first_jobs_maps_first(tmp_path, monkeypatch):
    starts = _two_users(tmp_path, monkeypatch, "fifo")
    assert starts["bob"][0] >= starts["alice"][-1]


class SlowReduce(Words):
    def reduce_setup(self):
        time.sleep(1.2)  # the reduces still need the map outputs when a tracker is lost


def test_a_tracker_gone_silent_is_lost_and_its_work_redone(tmp_path):
    path, expected = write_text(tmp_path / "in.txt")
    conf = base_conf(
        tmp_path,
        **{
            "mapreduce.jobtracker.expire.trackers.interval": 500,
            "mapreduce.job.reduce.slowstart.completedmaps": 1.0,
            "mapreduce.job.reduces": 3,
        },
    )
    cluster = get_cluster(Configuration(conf, load_site=False))
    silenced = []

    def silence_a_tracker(job_id, maps, reduces):
        # Once every map is done and the reduces run: a tracker running a reduce and holding
        # map outputs stops heartbeating, its children going on (a partition): its reduce
        # finishes as a zombie and asks to commit.
        job = cluster.jobtracker.jobs[job_id]
        busy = {a.tracker for t in job.reduces for a in t.running()}
        if maps < 1.0 or silenced or not busy:
            return
        holders = {t.attempts[t.done].tracker for t in job.maps if t.done}
        name = sorted(busy & holders or busy)[0]
        victim = next(t for t in cluster.trackers if t.name == name)
        victim.heartbeat = lambda: None
        victim.heartbeat_due = lambda now: False  # never due: the driver does not spin on it
        silenced.append(name)

    result = run_bounded(
        cluster, 40, SlowReduce, [path], str(tmp_path / "out"), conf, progress=silence_a_tracker
    )
    assert silenced, "no tracker was silenced"
    assert result.succeeded, result.error
    assert word_counts(result) == expected
    (victim,) = silenced
    events = history.read_events(Configuration(load_site=False), result.job_id)
    obsolete = [e for e in events if e["event"] == "MAP_OUTPUT_OBSOLETE"]
    assert obsolete and all(e["reason"] == f"Lost task tracker: {victim}" for e in obsolete)
    started_on = attempts(result.job_id, "ATTEMPT_STARTED")
    for event in obsolete:  # each lost output was made again elsewhere
        index = event["attempt_id"].split("_m_")[1][:6]
        assert any(f"_m_{index}_" in a and e["tracker"] != victim for a, e in started_on.items())
    finished = attempts(result.job_id)
    lost_reduces = [a for a, e in started_on.items() if "_r_" in a and e["tracker"] == victim]
    assert lost_reduces and all(finished[a]["state"] == "KILLED" for a in lost_reduces)
    assert result.counters["Map-Reduce Framework"]["Map input records"] == 400


class HangsOnSplit0(Words):
    def map_setup(self):
        if "_m_000000_" in self.context.task_id:
            time.sleep(60)


def test_killing_a_job_whose_reduces_wait_for_a_map_stops_every_attempt(tmp_path):
    path, _ = write_text(tmp_path / "in.txt")
    conf = base_conf(tmp_path, **{"mapreduce.map.speculative": False})
    cluster = get_cluster(Configuration(conf, load_site=False))
    results = []
    thread = threading.Thread(
        target=lambda: results.append(run_job(HangsOnSplit0, [path], str(tmp_path / "out"), conf)),
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 20
    while True:
        assert time.monotonic() < deadline, "no reduce ever waited for the hanging map"
        jobs = list(cluster.jobtracker.jobs.values())
        if jobs and any(t.running() for t in jobs[0].reduces):
            break
        time.sleep(0.05)
    assert cluster.jobtracker.kill_job(jobs[0].id) is True
    thread.join(timeout=20)
    assert not thread.is_alive(), "the killed job did not end"
    assert results[0].state == "KILLED"
    assert not (tmp_path / "out").exists()
    assert sum(t.running() for t in cluster.trackers) == 0  # every attempt stopped
    finished = attempts(results[0].job_id)
    assert {e["state"] for a, e in finished.items() if "_r_" in a} == {"KILLED"}


class ReadsCache(Job):
    """Each map reports which copy of the cache file it read, and what it held."""

    files = ()

    def map_setup(self):
        path = self.context.cache_files["lookup.txt"]
        with open(path, encoding="utf-8") as f:
            self.seen = (path, f.read().strip())

    def map(self, offset, line):
        yield self.seen[0], self.seen[1]

    def reduce(self, path, texts):
        yield path, sorted(set(texts))[0]


def test_each_tracker_localizes_the_distributed_cache_from_the_dfs(tmp_path, mini_cluster):
    """A cache file named on the DFS is copied by every tracker that runs a task of the job,
    once, into its own directory: the tasks read the DFS file's bytes from there."""
    mini_cluster.client().write_bytes("/cache/lookup.txt", b"from the dfs\n")
    path, _ = write_text(tmp_path / "in.txt")
    conf = base_conf(
        tmp_path,
        **{
            "mapreduce.job.cache.files": "dfs:///cache/lookup.txt",
            "minihadoop.home": str(mini_cluster.home),
        },
    )
    os.environ["MINIHADOOP_HOME"], old = str(mini_cluster.home), os.environ["MINIHADOOP_HOME"]
    try:
        shutdown_clusters()  # trackers of this cluster's topology
        result = run_job(ReadsCache, [path], str(tmp_path / "out"), conf)
    finally:
        os.environ["MINIHADOOP_HOME"] = old
    assert result.succeeded, result.error
    copies = dict(result.read_output())
    assert set(copies.values()) == {"from the dfs"}
    trackers = {p.split(os.sep + "cache" + os.sep, 1)[1].split(os.sep)[0] for p in copies}
    assert len(copies) == len(trackers) >= 2  # one copy per tracker that ran maps
    assert all(t.startswith("tracker_dn") for t in trackers)


def test_a_missing_distributed_cache_file_is_refused_before_the_job(tmp_path):
    from mapred.errors import JobConfigError

    path, _ = write_text(tmp_path / "in.txt")
    conf = base_conf(tmp_path, **{"mapreduce.job.cache.files": str(tmp_path / "nope.txt")})
    with pytest.raises(JobConfigError, match="nope.txt does not exist"):
        run_job(ReadsCache, [path], str(tmp_path / "out"), conf)
    assert not (tmp_path / "out").exists()
