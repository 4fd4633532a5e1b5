"""Hadoop's speculative lag by default: no backup for an attempt younger than a minute.

Hadoop 1's TaskInProgress.hasSpeculativeTask offers a speculative attempt only once
``currentTime - startTime >= SPECULATIVE_LAG``, 60 * 1000 ms. On one machine's simulated nodes
a backup shares the same cores as the attempt it copies, and a task of a second or two whose
progress is two thirds reading and one third sorting always looks late by LATE's estimate
near its end: a lag of one second made PigMix's short maps start twins that only took CPU
from the maps and reducers still running. The JobTracker here is driven by hand-made
heartbeats and a fake clock (tests.fakeclock), with no setting for the lag.
"""

from __future__ import annotations

from mapred.task import TaskSpec
from tests.mapred.test_jobtracker import Cluster, aid, done, running


def _one_slow_map(cluster: Cluster, age: float) -> str:
    """Three maps on h0..h2; after `age` seconds h0's is at 5% (a straggler by any estimate)
    and h2's at 95%; the caller's heartbeat of h1 then reports its map done, freeing a slot."""
    job = cluster.submit([[], [], []])
    for host in ("h0", "h1", "h2"):
        cluster.launched(host)
    cluster.clock.advance(age)
    cluster.beat("h0", running(aid(job, "m", 0), 0.05))
    cluster.beat("h2", running(aid(job, "m", 2), 0.95))
    return job


def _backups(launches: list) -> list[str]:
    return [TaskSpec.from_wire(a.spec).attempt_id for a in launches if a.speculative]


def test_no_backup_before_a_minute_by_default(tmp_path) -> None:
    cluster = Cluster(tmp_path)
    job = _one_slow_map(cluster, 2.0)
    assert _backups(cluster.beat("h1", done(aid(job, "m", 1)))[0]) == []
    cluster.clock.advance(57.0)  # 59 s since launch
    assert _backups(cluster.beat("h1")[0]) == []
    assert _backups(cluster.beat("h3")[0]) == []


def test_a_straggler_gets_its_backup_once_a_minute_has_passed(tmp_path) -> None:
    cluster = Cluster(tmp_path)
    job = _one_slow_map(cluster, 2.0)
    cluster.beat("h1", done(aid(job, "m", 1)))
    cluster.clock.advance(58.5)  # 60.5 s since launch
    cluster.beat("h0", running(aid(job, "m", 0), 0.06))
    assert _backups(cluster.beat("h1")[0]) == [aid(job, "m", 0, 1)]


def test_the_lag_is_still_a_setting(tmp_path) -> None:
    cluster = Cluster(tmp_path, **{"mapreduce.job.speculative.lag": 1000})
    job = _one_slow_map(cluster, 2.0)
    assert _backups(cluster.beat("h1", done(aid(job, "m", 1)))[0]) == [aid(job, "m", 0, 1)]
