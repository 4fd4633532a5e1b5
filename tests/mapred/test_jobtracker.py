"""The JobTracker alone, driven by hand-made heartbeats and a fake clock (no processes).

Each test states a documented Hadoop 1 behaviour (JobInProgress, JobQueueTaskScheduler,
FairScheduler's delay scheduling, LATE speculation) and checks the launch/kill actions the
JobTracker answers with, its job counters ("Job Counters " group), completion events and the
job's end state.
"""

from __future__ import annotations

import os

import pytest

from dfs.conf import Configuration
from mapred import counters as C
from mapred import history
from mapred.committer import FileOutputCommitter
from mapred.jobtracker import CLEANUP_WAIT_S, JobTracker
from mapred.task import TaskSpec
from mapred.trackerproto import (
    FAILED,
    KILLED,
    RUNNING,
    SUCCEEDED,
    JobSubmission,
    KillTask,
    LaunchTask,
    TaskStatus,
    TrackerStatus,
)
from tests.fakeclock import Clock

RACKS = {"h0": "/r0", "h1": "/r0", "h2": "/r1", "h3": "/r1"}
MAP_INPUT = {"Map-Reduce Framework": {"Map input records": 10}}


class Cluster:
    """A JobTracker, a fake clock, and heartbeats from trackers named tracker_<host>."""

    def __init__(self, tmp_path, racks=None, **conf) -> None:
        self.tmp = tmp_path
        self.racks = dict(racks or RACKS)
        self.clock = Clock()
        settings = {"minihadoop.home": str(tmp_path), "mapred.fairscheduler.locality.delay": 1000}
        settings.update(conf)
        self.conf = settings
        self.jt = JobTracker(Configuration(settings, load_site=False), clock=self.clock)
        self._jobs = 0

    def submit(self, splits, reduces=0, user="alice", **conf) -> str:
        """A job of one map per entry of `splits` (each the hosts of its block)."""
        self._jobs += 1
        job_id = f"job_t{os.getpid()}_{self._jobs:04d}"
        job_conf = {**self.conf, **conf}
        output = str(self.tmp / f"out-{job_id}")
        FileOutputCommitter(output, job_id, Configuration(job_conf, load_site=False)).setup_job()
        sub = JobSubmission(
            job_id=job_id,
            name=f"test {job_id}",
            user=user,
            job_ref="mapred.api:Job",
            conf=job_conf,
            output=output,
            output_format="text",
            num_reduces=reduces,
            local_dir=str(self.tmp / "local" / job_id),
            inputs=[[None, None]],
            splits=[[f"file:///in/{i}", 0, 100, list(h), 0] for i, h in enumerate(splits)],
        )
        self.jt.submit_job(sub)
        return job_id

    def beat(self, host, *tasks, maps=1, reduces=1):
        """One heartbeat of tracker_<host>; returns (launches, kills) of its reply."""
        status = TrackerStatus(f"tracker_{host}", host, self.racks[host], maps, reduces, tasks)
        reply = self.jt.heartbeat(status)
        launches = [a for a in reply.actions if isinstance(a, LaunchTask)]
        kills = [a.attempt_id for a in reply.actions if isinstance(a, KillTask)]
        return launches, kills

    def launched(self, host, *tasks, **slots) -> list[tuple[str, str]]:
        """(attempt id, locality) of what one heartbeat of `host` launched."""
        launches, _ = self.beat(host, *tasks, **slots)
        return [(TaskSpec.from_wire(a.spec).attempt_id, a.locality) for a in launches]

    def counters(self, job_id) -> dict[str, int]:
        return self.jt.job_status(job_id).counters.get(C.JOB_GROUP, {})

    def settle(self, job_id):
        self.jt.tick()
        return self.jt.job_status(job_id)


def aid(job_id, kind, index, attempt=0):
    return f"attempt_{job_id[4:]}_{kind}_{index:06d}_{attempt}"


def done(attempt_id, output=None, counters=None, progress=1.0):
    return TaskStatus(
        attempt_id,
        SUCCEEDED,
        progress,
        counters=counters or {},
        map_output=output or ["/nowhere/file.out", [[0, 0, 0]]],
    )


def failed(attempt_id, error="ValueError: boom"):
    return TaskStatus(attempt_id, FAILED, 0.3, error=error)


def running(attempt_id, progress, fetch_failures=()):
    return TaskStatus(attempt_id, RUNNING, progress, fetch_failures=tuple(fetch_failures))


@pytest.fixture
def cluster(tmp_path):
    return Cluster(tmp_path, **{"mapreduce.job.speculative.lag": 1000})  # default: a minute


# -- locality and delay scheduling ----------------------------------------------------------------
def test_a_tracker_gets_the_split_stored_on_its_own_node_first(cluster):
    job = cluster.submit([["h0"], ["h2"], ["h3"]])
    assert cluster.launched("h2") == [(aid(job, "m", 1), "data-local")]
    assert cluster.launched("h3") == [(aid(job, "m", 2), "data-local")]


def test_rack_local_only_after_the_locality_delay(cluster):
    job = cluster.submit([["h0"], ["h0"]])
    assert cluster.launched("h0") == [(aid(job, "m", 0), "data-local")]
    assert cluster.launched("h1") == []  # h0 could run it node-local: wait
    cluster.clock.advance(0.9)
    assert cluster.launched("h1") == []
    cluster.clock.advance(0.1)  # 1000 ms: mapred.fairscheduler.locality.delay
    assert cluster.launched("h1") == [(aid(job, "m", 1), "rack-local")]


def test_off_rack_only_after_twice_the_delay(cluster):
    job = cluster.submit([["h0"], ["h0"]])
    cluster.launched("h0")
    assert cluster.launched("h2") == []
    cluster.clock.advance(1.0)
    assert cluster.launched("h2") == []  # rack-local is allowed now, but h2 is off-rack
    cluster.clock.advance(0.99)
    assert cluster.launched("h2") == []
    cluster.clock.advance(0.01)
    assert cluster.launched("h2") == [(aid(job, "m", 1), "off-rack")]


def test_no_wait_when_no_closer_tracker_has_map_slots(cluster):
    job = cluster.submit([["h0"], ["h9"]])  # h9: a host that runs no tracker
    assert cluster.launched("h0", maps=0) == []  # h0 has no map slots at all
    assert cluster.launched("h1") == [(aid(job, "m", 0), "rack-local")]
    assert cluster.launched("h2") == [(aid(job, "m", 1), "off-rack")]


def test_locality_counters(cluster):
    job = cluster.submit([["h0"], ["h0"], ["h0"], ["h0", "h1"]])
    assert cluster.launched("h1") == [(aid(job, "m", 3), "data-local")]
    cluster.launched("h0")  # data-local
    cluster.launched("h1", done(aid(job, "m", 3)))
    cluster.launched("h2")
    cluster.clock.advance(1.0)
    assert cluster.launched("h1") == [(aid(job, "m", 1), "rack-local")]
    cluster.clock.advance(1.0)
    assert cluster.launched("h2") == [(aid(job, "m", 2), "off-rack")]
    counters = cluster.counters(job)
    assert counters[C.LAUNCHED_MAPS] == 4
    assert counters[C.DATA_LOCAL_MAPS] == 2
    assert counters[C.RACK_LOCAL_MAPS] == 1
    assert counters[C.OTHER_LOCAL_MAPS] == 1


# -- reduce slow-start --------------------------------------------------------------------------
def test_reduces_start_after_the_slowstart_fraction_of_maps(cluster):
    job = cluster.submit(
        [[]] * 4, reduces=1, **{"mapreduce.job.reduce.slowstart.completedmaps": 0.5}
    )
    first = [a for a, _ in cluster.launched("h0", maps=4)]
    assert all("_m_" in a for a in first) and len(first) == 4
    assert cluster.launched("h1", done(first[0]), maps=0) == []  # 1 of 4 < 50%
    launched = cluster.launched("h1", done(first[1]), maps=0)
    assert launched == [(aid(job, "r", 0), "")]


def test_reduces_wait_for_the_first_map_by_default(cluster):
    job = cluster.submit([[]] * 2, reduces=1)  # 5% of 2 maps: one must be done
    maps = [a for a, _ in cluster.launched("h0", maps=2, reduces=0)]
    assert cluster.launched("h1", maps=0) == []
    assert cluster.launched("h0", done(maps[0]), maps=0) == [(aid(job, "r", 0), "")]


# -- failures, retries, blacklisting ------------------------------------------------------------
def test_a_failed_attempt_is_retried_on_another_tracker(cluster):
    cluster.beat("h1")
    job = cluster.submit([[]])
    assert cluster.launched("h0") == [(aid(job, "m", 0), "")]
    # Hadoop's findTaskFromList: a task is not given back to the machine it failed on while
    # other machines have not tried it.
    assert cluster.launched("h0", failed(aid(job, "m", 0))) == []
    assert cluster.launched("h1") == [(aid(job, "m", 0, 1), "")]
    assert cluster.counters(job)[C.FAILED_MAPS] == 1


def test_a_task_that_failed_everywhere_may_run_where_it_failed(tmp_path):
    cluster = Cluster(tmp_path, racks={"h0": "/r0"})
    job = cluster.submit([[]])
    cluster.launched("h0")
    assert cluster.launched("h0", failed(aid(job, "m", 0))) == [(aid(job, "m", 0, 1), "")]


def test_the_job_fails_after_maxattempts_naming_the_attempt(cluster):
    job = cluster.submit([[], []], **{"mapreduce.map.maxattempts": 2})
    cluster.launched("h0", maps=2)
    assert cluster.launched("h1", maps=0) == []
    cluster.launched("h0", failed(aid(job, "m", 0)), maps=1)
    assert cluster.launched("h1") == [(aid(job, "m", 0, 1), "")]
    _, kills = cluster.beat("h1", failed(aid(job, "m", 0, 1), "KeyError: 'x'"))
    status = cluster.jt.job_status(job)
    assert status.state not in (SUCCEEDED, FAILED)  # m1 still runs: its abort waits for it
    _, kills = cluster.beat("h0")
    assert kills == [aid(job, "m", 1)]
    cluster.beat("h0", TaskStatus(aid(job, "m", 1), KILLED))
    status = cluster.settle(job)
    assert status.state == FAILED
    assert aid(job, "m", 0, 1) in status.error and "KeyError: 'x'" in status.error
    assert status.failed_attempt == aid(job, "m", 0, 1)
    assert cluster.counters(job)[C.FAILED_MAPS] == 2
    assert not os.path.exists(status.output)


def _fail_three_on_h0(cluster, job):
    for index in range(3):
        assert cluster.launched("h0") == [(aid(job, "m", index), "")]
        cluster.beat("h0", failed(aid(job, "m", index)), maps=0)


def test_a_tracker_failing_too_many_tasks_of_a_job_is_blacklisted_for_it(tmp_path):
    racks = {f"h{i}": f"/r{i % 2}" for i in range(8)}
    cluster = Cluster(tmp_path, racks=racks)
    for host in racks:
        cluster.beat(host)
    job = cluster.submit([[]] * 5)  # mapreduce.job.maxtaskfailures.per.tracker: 3
    _fail_three_on_h0(cluster, job)
    assert cluster.launched("h0") == []  # m3 and m4 wait for another tracker
    other = cluster.submit([[]])
    assert cluster.launched("h0") == [(aid(other, "m", 0), "")]  # only for that job
    assert cluster.launched("h1") == [(aid(job, "m", 0, 1), "")]


def test_no_blacklisting_once_a_quarter_of_the_cluster_is_flaky(cluster):
    for host in RACKS:
        cluster.beat(host)
    job = cluster.submit([[]] * 4)
    _fail_three_on_h0(cluster, job)
    # One of four trackers is 25%: Hadoop blacklists only while flaky < 25% of the cluster.
    assert cluster.launched("h0") == [(aid(job, "m", 3), "")]


# -- commit arbitration -------------------------------------------------------------------------
def test_can_commit_grants_one_attempt_and_regrants_after_it_fails(cluster):
    job = _three_maps_one_slow(cluster, 0.1)
    first, backup = aid(job, "m", 0), aid(job, "m", 0, 1)
    assert [a for a, _ in cluster.launched("h1", done(aid(job, "m", 1)))] == [backup]
    assert cluster.jt.can_commit(first) is True
    assert cluster.jt.can_commit(backup) is False
    assert cluster.jt.can_commit(first) is True  # asking again is fine
    cluster.beat("h0", failed(first))  # died while committing: the twin may commit now
    assert cluster.jt.can_commit(backup) is True
    assert cluster.jt.can_commit("attempt_nobody_m_000000_0") is False


# -- speculative execution ----------------------------------------------------------------------
def _three_maps_one_slow(cluster, slow_progress, hosts=([], [], [])):
    job = cluster.submit(list(hosts))
    for host in ("h0", "h1", "h2"):
        cluster.launched(host)
    cluster.clock.advance(2.0)
    cluster.beat("h0", running(aid(job, "m", 0), slow_progress))
    cluster.beat("h2", running(aid(job, "m", 2), 0.95))  # about to finish
    return job


def test_a_slow_attempt_gets_a_backup_on_another_tracker(cluster):
    job = _three_maps_one_slow(cluster, 0.1)  # 18 s left at its rate; the others took 2 s
    assert cluster.launched("h0") == []  # not on its own tracker
    launches, _ = cluster.beat("h1", done(aid(job, "m", 1)))
    assert [(TaskSpec.from_wire(a.spec).attempt_id, a.speculative) for a in launches] == [
        (aid(job, "m", 0, 1), True)
    ]
    cluster.launched("h2", done(aid(job, "m", 2)))
    assert cluster.launched("h3") == []  # one backup is enough
    # the first to finish wins; the other is killed
    cluster.clock.advance(1.0)
    _, kills = cluster.beat("h1", done(aid(job, "m", 0, 1)))
    _, kills = cluster.beat("h0", running(aid(job, "m", 0), 0.2))
    assert kills == [aid(job, "m", 0)]
    cluster.beat("h0", TaskStatus(aid(job, "m", 0), KILLED))
    status = cluster.settle(job)
    assert status.state == SUCCEEDED
    counters = cluster.counters(job)
    assert counters[C.LAUNCHED_MAPS] == 4 and counters[C.KILLED_MAPS] == 1


def test_no_backup_for_an_attempt_that_will_finish_soon(cluster):
    job = _three_maps_one_slow(cluster, 0.9)  # 0.2 s left; the others took 2 s
    cluster.launched("h1", done(aid(job, "m", 1)))
    assert cluster.launched("h2", done(aid(job, "m", 2))) == []
    assert cluster.launched("h3") == []


def test_no_backup_before_the_speculative_lag(tmp_path):
    cluster = Cluster(tmp_path, **{"mapreduce.job.speculative.lag": 5000})
    job = _three_maps_one_slow(cluster, 0.01)
    assert cluster.launched("h1", done(aid(job, "m", 1))) == []
    cluster.clock.advance(3.0)  # 5 s since launch
    assert [a for a, _ in cluster.launched("h2", done(aid(job, "m", 2)))] == [aid(job, "m", 0, 1)]


def test_no_backup_when_speculation_is_off(cluster):
    job = cluster.submit([[], [], []], **{"mapreduce.map.speculative": False})
    for host in ("h0", "h1", "h2"):
        cluster.launched(host)
    cluster.clock.advance(2.0)
    cluster.beat("h0", running(aid(job, "m", 0), 0.01))
    cluster.launched("h1", done(aid(job, "m", 1)))
    assert cluster.launched("h2", done(aid(job, "m", 2))) == []


def test_a_backup_in_the_splits_rack_counts_as_rack_local(cluster):
    job = _three_maps_one_slow(cluster, 0.1, hosts=(["h0"], ["h1"], ["h2"]))
    launches, _ = cluster.beat("h1", done(aid(job, "m", 1)))
    assert [(a.locality, a.speculative) for a in launches] == [("rack-local", True)]
    assert cluster.counters(job)[C.RACK_LOCAL_MAPS] == 1


# -- lost trackers and fetch failures -----------------------------------------------------------
def _maps_done_reduce_running(cluster, lost_running=True):
    job = cluster.submit([[]] * 3, reduces=1)
    cluster.launched("h0", maps=2, reduces=0)  # m0, m1 on h0
    cluster.launched("h1", maps=1, reduces=0)  # m2 on h1
    slots = {"maps": 1 if lost_running else 0, "reduces": 0}
    cluster.beat("h0", done(aid(job, "m", 0), counters=MAP_INPUT), **slots)
    if not lost_running:
        cluster.beat("h0", done(aid(job, "m", 1), counters=MAP_INPUT), maps=0, reduces=0)
    cluster.beat("h1", done(aid(job, "m", 2), counters=MAP_INPUT), maps=0, reduces=0)
    assert cluster.launched("h1", maps=0) == [(aid(job, "r", 0), "")]
    return job


def test_a_lost_trackers_attempts_and_map_outputs_are_run_again(tmp_path):
    cluster = Cluster(tmp_path, **{"mapreduce.jobtracker.expire.trackers.interval": 10_000})
    job = _maps_done_reduce_running(cluster)  # m0 done and m1 running on h0
    for _ in range(11):  # h0 falls silent; h1 keeps heartbeating
        cluster.clock.advance(1.0)
        cluster.beat("h1", running(aid(job, "r", 0), 0.2), maps=0)
        cluster.jt.tick()
    events = cluster.jt.completion_events(job, 0)
    assert [(e.map_index, e.status) for e in events] == [
        (0, SUCCEEDED),
        (2, SUCCEEDED),
        (0, "OBSOLETE"),
    ]
    assert "tracker_h0" not in cluster.jt.trackers
    relaunched = sorted(a for a, _ in cluster.launched("h2", maps=2))
    assert relaunched == [aid(job, "m", 0, 1), aid(job, "m", 1, 1)]
    assert cluster.counters(job)[C.KILLED_MAPS] == 1  # m1's attempt on the lost tracker
    cluster.beat(
        "h2",
        done(aid(job, "m", 0, 1), counters=MAP_INPUT),
        done(aid(job, "m", 1, 1), counters=MAP_INPUT),
        maps=0,
    )
    events = cluster.jt.completion_events(job, 3)
    assert sorted((e.map_index, e.attempt_id, e.tracker) for e in events) == [
        (0, aid(job, "m", 0, 1), "tracker_h2"),
        (1, aid(job, "m", 1, 1), "tracker_h2"),
    ]
    cluster.beat("h1", done(aid(job, "r", 0)), maps=0)
    status = cluster.settle(job)
    assert status.state == SUCCEEDED
    # Job counters hold each task's successful attempt once (Hadoop sums the tasks' counters)
    assert status.counters["Map-Reduce Framework"]["Map input records"] == 30


def test_a_lost_tracker_after_every_reduce_finished_reruns_nothing(tmp_path):
    cluster = Cluster(tmp_path, **{"mapreduce.jobtracker.expire.trackers.interval": 10_000})
    job = cluster.submit([[]] * 2, reduces=1, **{"mapreduce.job.reduce.slowstart.completedmaps": 1})
    cluster.launched("h0", maps=1, reduces=0)
    cluster.launched("h1", maps=1, reduces=0)
    cluster.beat("h0", done(aid(job, "m", 0)), maps=0, reduces=0)
    assert cluster.launched("h1", done(aid(job, "m", 1)), maps=0) == [(aid(job, "r", 0), "")]
    cluster.beat("h1", done(aid(job, "r", 0)), maps=0)
    cluster.clock.advance(11)
    cluster.beat("h1", maps=0)
    cluster.jt.tick()
    assert [e.status for e in cluster.jt.completion_events(job, 0)] == [SUCCEEDED, SUCCEEDED]
    assert cluster.jt.job_status(job).state == SUCCEEDED


def test_a_fetch_failure_runs_the_map_again(cluster):
    job = _maps_done_reduce_running(cluster, lost_running=False)
    cluster.beat("h1", running(aid(job, "r", 0), 0.1, fetch_failures=[aid(job, "m", 0)]), maps=0)
    events = cluster.jt.completion_events(job, 3)
    assert [(e.map_index, e.attempt_id, e.status) for e in events] == [
        (0, aid(job, "m", 0), "OBSOLETE")
    ]
    # the output's own tracker may run it again (its other output is fine)
    assert cluster.launched("h2") == [(aid(job, "m", 0, 1), "")]
    cluster.beat("h2", done(aid(job, "m", 0, 1), counters=MAP_INPUT), maps=0)
    assert cluster.jt.completion_events(job, 4)[0].attempt_id == aid(job, "m", 0, 1)
    cluster.beat("h1", done(aid(job, "r", 0)), maps=0)
    status = cluster.settle(job)
    assert status.state == SUCCEEDED
    assert status.counters["Map-Reduce Framework"]["Map input records"] == 30


# -- killing a job ------------------------------------------------------------------------------
def test_kill_job_cleans_up_until_its_attempts_stop_then_is_killed(cluster):
    job = cluster.submit([[], []])
    cluster.launched("h0")
    cluster.launched("h1")
    assert cluster.jt.kill_job(job) is True
    status = cluster.settle(job)
    assert not status.done  # attempts still run: the abort waits for them
    _, kills = cluster.beat("h0", running(aid(job, "m", 0), 0.5))
    assert kills == [aid(job, "m", 0)]
    cluster.beat("h0", TaskStatus(aid(job, "m", 0), KILLED))
    assert not cluster.settle(job).done
    _, kills = cluster.beat("h1", TaskStatus(aid(job, "m", 1), KILLED))
    status = cluster.settle(job)
    assert status.state == KILLED
    assert not os.path.exists(status.output)
    assert cluster.jt.kill_job(job) is False
    assert cluster.launched("h2") == []


# -- schedulers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("scheduler", ["fifo", "fair"])
def test_fair_alternates_between_users_fifo_runs_the_first_job_first(tmp_path, scheduler):
    cluster = Cluster(tmp_path, **{"mapreduce.jobtracker.taskscheduler": scheduler})
    first = cluster.submit([[]] * 4, user="alice")
    second = cluster.submit([[]] * 4, user="bob")
    owners = [a.split("_m_")[0] for a, _ in cluster.launched("h0", maps=4)]
    if scheduler == "fifo":
        assert owners == [aid(first, "m", 0).split("_m_")[0]] * 4
    else:
        assert sorted(owners) == sorted(
            [aid(first, "m", 0).split("_m_")[0], aid(second, "m", 0).split("_m_")[0]] * 2
        )


def test_fair_scheduler_by_hadoop_class_name(tmp_path):
    cluster = Cluster(
        tmp_path, **{"mapreduce.jobtracker.taskscheduler": "org.apache.hadoop.mapred.FairScheduler"}
    )
    assert cluster.jt.scheduler.name == "fair"


# -- a finished job's stragglers ------------------------------------------------------------------
def test_a_job_commits_only_once_its_killed_twins_have_stopped(cluster):
    # The twin's end is in the job's history when the job is reported finished, and it cannot
    # write anything after the commit.
    job = _three_maps_one_slow(cluster, 0.1)
    cluster.launched("h1", done(aid(job, "m", 1)))  # the backup of m0 runs on h1
    cluster.beat("h2", done(aid(job, "m", 2)), maps=0)
    cluster.beat("h1", done(aid(job, "m", 0, 1)), maps=0)
    assert not cluster.settle(job).done  # m0's first attempt still runs
    _, kills = cluster.beat("h0", running(aid(job, "m", 0), 0.3), maps=0)
    assert kills == [aid(job, "m", 0)]
    cluster.beat("h0", TaskStatus(aid(job, "m", 0), KILLED), maps=0)
    status = cluster.settle(job)
    assert status.state == SUCCEEDED
    assert cluster.counters(job)[C.KILLED_MAPS] == 1
    ended = [
        e
        for e in history.read_events(Configuration(cluster.conf, load_site=False), job)
        if e["event"] == "ATTEMPT_FINISHED"
    ]
    assert {e["attempt_id"]: e["state"] for e in ended}[aid(job, "m", 0)] == KILLED


def test_a_forgotten_jobs_killed_twin_does_not_break_the_next_heartbeat(cluster):
    job = _three_maps_one_slow(cluster, 0.1)
    cluster.launched("h1", done(aid(job, "m", 1)))  # the backup of m0 runs on h1
    cluster.beat("h2", done(aid(job, "m", 2)), maps=0)
    cluster.beat("h1", done(aid(job, "m", 0, 1)), maps=0)
    cluster.clock.advance(CLEANUP_WAIT_S + 1)  # h0 does not answer within the wait
    assert cluster.settle(job).state == SUCCEEDED
    cluster.jt.forget(job)  # what the embedded cluster does once run() returns
    nxt = cluster.submit([[]])
    _, kills = cluster.beat("h0", running(aid(job, "m", 0), 0.3), maps=0)
    assert set(kills) == {aid(job, "m", 0)}
    assert cluster.launched("h0", TaskStatus(aid(job, "m", 0), KILLED)) == [(aid(nxt, "m", 0), "")]


def test_an_attempt_given_up_on_may_not_commit(tmp_path):
    # Hadoop's TaskInProgress.shouldCommit: only the attempt the JobTracker still runs may
    # commit. A lost tracker's attempt may live on (a partition, a long pause): were it
    # allowed to commit, the task's retry would be refused ever after and the job never end.
    cluster = Cluster(tmp_path, **{"mapreduce.jobtracker.expire.trackers.interval": 10_000})
    job = cluster.submit([[]])
    cluster.beat("h1", maps=0)
    assert cluster.launched("h0") == [(aid(job, "m", 0), "")]
    for _ in range(11):
        cluster.clock.advance(1.0)
        cluster.beat("h1", maps=0)
        cluster.jt.tick()
    assert cluster.launched("h1") == [(aid(job, "m", 0, 1), "")]
    assert cluster.jt.can_commit(aid(job, "m", 0)) is False  # the lost tracker's attempt
    assert cluster.jt.can_commit(aid(job, "m", 0, 1)) is True
    cluster.beat("h1", done(aid(job, "m", 0, 1)), maps=0)
    assert cluster.settle(job).state == SUCCEEDED


def test_a_slow_reduce_gets_a_backup_only_once_every_map_is_done(cluster):
    job = cluster.submit([[], []], reduces=2)
    cluster.launched("h0", maps=2, reduces=0)
    cluster.beat("h0", done(aid(job, "m", 0)), maps=0, reduces=0)
    assert cluster.launched("h1", maps=0, reduces=2) == [
        (aid(job, "r", 0), ""),
        (aid(job, "r", 1), ""),
    ]
    cluster.clock.advance(2.0)
    cluster.beat("h1", done(aid(job, "r", 0)), running(aid(job, "r", 1), 0.05), maps=0)
    assert cluster.launched("h2", maps=0) == []  # m1 still runs: reduces still shuffle
    cluster.beat("h0", done(aid(job, "m", 1)), maps=0, reduces=0)
    assert [a for a, _ in cluster.launched("h2", maps=0)] == [aid(job, "r", 1, 1)]


def test_a_lost_tracker_that_returns_has_its_old_attempts_killed_and_gets_new_work(tmp_path):
    cluster = Cluster(tmp_path, **{"mapreduce.jobtracker.expire.trackers.interval": 10_000})
    job = cluster.submit([[]] * 3, reduces=1)
    cluster.launched("h0", maps=2, reduces=0)  # m0, m1
    cluster.beat("h0", done(aid(job, "m", 0)), maps=0, reduces=0)
    cluster.launched("h1", maps=1, reduces=1)  # m2 and r0
    for _ in range(11):
        cluster.clock.advance(1.0)
        cluster.beat("h1", running(aid(job, "m", 2), 0.5), running(aid(job, "r", 0), 0.1))
        cluster.jt.tick()
    assert "tracker_h0" not in cluster.jt.trackers
    # h0 comes back, still running m1 and reporting m0 (whose output was declared lost)
    launches, kills = cluster.beat("h0", done(aid(job, "m", 0)), running(aid(job, "m", 1), 0.9))
    assert kills == [aid(job, "m", 1)]
    relaunched = [TaskSpec.from_wire(a.spec).attempt_id for a in launches]
    assert relaunched == [aid(job, "m", 0, 1)]  # m0 made again, on the returning tracker too
    assert not cluster.jt.jobs[job].maps[0].done


def test_a_map_whose_output_cannot_be_fetched_failed_and_runs_elsewhere(cluster):
    # Hadoop's fetchFailureNotification: the map attempt is failed ("Too many
    # fetch-failures"): it counts as a failed attempt and the map runs on another machine; a
    # map whose output can never be fetched fails the job instead of running forever.
    cluster.beat("h2", reduces=0)
    job = cluster.submit([[]] * 2, reduces=1, **{"mapreduce.map.maxattempts": 2})
    cluster.launched("h0", maps=2, reduces=0)
    cluster.beat("h0", done(aid(job, "m", 0)), done(aid(job, "m", 1)), maps=0, reduces=0)
    assert cluster.launched("h1", maps=0) == [(aid(job, "r", 0), "")]
    lost = running(aid(job, "r", 0), 0.1, fetch_failures=[aid(job, "m", 0)])
    cluster.beat("h1", lost, maps=0)
    assert cluster.launched("h0") == []  # not where its output could not be fetched
    assert cluster.launched("h2") == [(aid(job, "m", 0, 1), "")]
    assert cluster.counters(job)[C.FAILED_MAPS] == 1
    cluster.beat("h2", done(aid(job, "m", 0, 1)), maps=0)
    lost = running(aid(job, "r", 0), 0.1, fetch_failures=[aid(job, "m", 0, 1)])
    _, kills = cluster.beat("h1", lost, maps=0)  # the second attempt's output is lost too
    assert kills == [aid(job, "r", 0)]  # 2 failures of 2: the job fails
    cluster.beat("h1", TaskStatus(aid(job, "r", 0), KILLED), maps=0)
    status = cluster.settle(job)
    assert status.state == FAILED
    assert aid(job, "m", 0, 1) in status.error and "Too many fetch-failures" in status.error


def test_ended_jobs_beyond_the_retained_count_are_forgotten(tmp_path):
    """A JobTracker daemon runs for ever: it keeps the newest ended jobs in memory
    (mapreduce.jobtracker.retiredjobs.cache.size) and forgets older ones, whose history stays."""
    from dfs.conf import Configuration
    from mapred.committer import FileOutputCommitter
    from mapred.trackerproto import JobSubmission

    settings = {"mapreduce.jobtracker.retiredjobs.cache.size": 2, "minihadoop.home": str(tmp_path)}
    conf = Configuration(settings, load_site=False)
    jt = JobTracker(conf, clock=Clock())
    for n in range(4):
        job_id, output = f"job_t_{n:04d}", str(tmp_path / f"out{n}")
        FileOutputCommitter(output, job_id, conf).setup_job()
        sub = JobSubmission(
            job_id,
            "empty",
            "u",
            "mapred.api:Job",
            conf.to_dict(),
            output,
            "text",
            0,
            str(tmp_path / "local" / job_id),
            [],
            [],
        )
        jt.submit_job(sub)
        jt.tick()  # nothing to run: committed at once
        assert jt.job_status(job_id).state == "SUCCEEDED"
    assert sorted(jt.jobs) == ["job_t_0002", "job_t_0003"]
    assert all((tmp_path / f"out{n}").is_dir() for n in range(4))


def test_a_reported_progress_never_goes_back(cluster):
    # a reduce's tracker counts the finished maps (the shuffle's third) before the child runs;
    # the child then reports from its own first fetch: the job's reduce progress held, not 0
    job = cluster.submit([[]] * 2, reduces=1)
    maps = [a for a, _ in cluster.launched("h0", maps=2, reduces=0)]
    assert cluster.launched("h1", done(maps[0]), maps=0) == [(aid(job, "r", 0), "")]
    reduce = aid(job, "r", 0)
    cluster.beat("h1", running(reduce, 0.25), maps=0)
    assert cluster.jt.job_status(job).reduce_progress == pytest.approx(0.25)
    cluster.beat("h1", running(reduce, 0.0), maps=0)
    assert cluster.jt.job_status(job).reduce_progress == pytest.approx(0.25)
    cluster.beat("h1", running(reduce, 0.6), maps=0)
    assert cluster.jt.job_status(job).reduce_progress == pytest.approx(0.6)
