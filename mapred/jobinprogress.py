"""Jobs in progress as the JobTracker keeps them: a job, its tasks in progress and their attempts.

Owns the per-job state and the questions asked of it (which tasks wait for a slot, the job's
progress and status, whether a tracker is blacklisted for it, Hadoop's attempt ids). Must not
touch scheduling or trackers: ``mapred.jobtracker`` changes this state, ``mapred.scheduler``
reads it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import field

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred.counters import Counters
from mapred.trackerproto import RUNNING, CompletionEvent, JobStatus, JobSubmission, TaskStatus

__all__ = ["Attempt", "Tip", "Job", "attempt_id"]


def attempt_id(job_id: str, kind: str, index: int, attempt: int) -> str:
    return f"attempt_{job_id[4:]}_{kind}_{index:06d}_{attempt}"


@dataclass
class Attempt:
    attempt_id: str
    tracker: str
    start: float  # monotonic
    wall_start: float
    locality: str = ""
    speculative: bool = False
    state: str = RUNNING
    progress: float = 0.0
    finish: float = 0.0


@dataclass
class Tip:
    """A task in progress: one map split or one reduce partition, and its attempts."""

    kind: str
    index: int
    hosts: tuple[str, ...] = ()
    split: list | None = None
    attempts: dict[str, Attempt] = field(default_factory=dict)
    tries: int = 0
    failures: int = 0
    done: str = ""  # the attempt that succeeded
    output: list | None = None
    committer: str = ""  # the attempt allowed to commit
    failed_on: set[str] = field(default_factory=set)
    stats: dict = field(default_factory=dict)  # the successful attempt's (spills, seconds)
    counters: dict = field(default_factory=dict)  # the successful attempt's, once in the job's

    def running(self) -> list[Attempt]:
        return [a for a in self.attempts.values() if a.state == RUNNING]

    def progress(self) -> float:
        if self.done:
            return 1.0
        return max((a.progress for a in self.running()), default=0.0)


class Job:
    """One submitted job as the JobTracker sees it."""

    def __init__(self, sub: JobSubmission, conf: Configuration, now: float) -> None:
        self.sub, self.conf, self.id = sub, conf, sub.job_id
        self.state = RUNNING
        self.maps = [Tip("m", i, tuple(s[3]), s) for i, s in enumerate(sub.splits)]
        self.reduces = [Tip("r", p) for p in range(sub.num_reduces)]
        self.counters = Counters()
        self.events: list[CompletionEvent] = []
        self.start, self.wall_start, self.finish = now, time.time(), 0.0
        self.failure: TaskStatus | None = None
        self.error = ""
        self.final, self.cleanup_since = "", 0.0  # the state a failing/killed job ends in
        # delay scheduling: since when each tracker's free map slot has been refused for
        # want of a node-local task of this job
        self.wait_since: dict[str, float] = {}
        self.tracker_failures: Counter[str] = Counter()
        self.max_attempts = {
            "m": max(1, conf.get_int("mapreduce.map.maxattempts", 4)),
            "r": max(1, conf.get_int("mapreduce.reduce.maxattempts", 4)),
        }
        self.speculative = {
            "m": conf.get_bool("mapreduce.map.speculative", True),
            "r": conf.get_bool("mapreduce.reduce.speculative", True),
        }
        self.slowstart = conf.get_float("mapreduce.job.reduce.slowstart.completedmaps", 0.05)
        self.blacklist_after = conf.get_int("mapreduce.job.maxtaskfailures.per.tracker", 3)

    @property
    def user(self) -> str:
        return self.sub.user

    def tips(self, kind: str) -> list[Tip]:
        return self.maps if kind == "m" else self.reduces

    def maps_done(self) -> int:
        return sum(1 for t in self.maps if t.done)

    def runnable(self, kind: str) -> list[Tip]:
        """Tasks of `kind` waiting for a slot (reduces only past the slow-start fraction)."""
        if self.state != RUNNING:
            return []
        if kind == "r" and self.maps and self.maps_done() < self.slowstart * len(self.maps):
            return []
        return [t for t in self.tips(kind) if not t.done and not t.running()]

    def blacklisted(self, tracker: str, cluster_size: int) -> bool:
        """Has `tracker` failed too many of this job's tasks? (Hadoop's rule: ignored once a
        quarter of the cluster would be blacklisted, so a job is never left nowhere to run.)"""
        flaky = sum(1 for n in self.tracker_failures.values() if n >= self.blacklist_after)
        if flaky >= 0.25 * cluster_size:  # Hadoop: blacklists only while flaky < 25%
            return False
        return self.tracker_failures[tracker] >= self.blacklist_after

    def running_attempts(self) -> int:
        return sum(len(t.running()) for t in self.maps + self.reduces)

    def status(self) -> JobStatus:
        f = self.failure
        return JobStatus(
            self.id,
            self.sub.name,
            self.user,
            self.state,
            _fraction(self.maps),
            _fraction(self.reduces) if self.reduces else float(self.maps_done() == len(self.maps)),
            len(self.maps),
            len(self.reduces),
            self.wall_start,
            self.finish,
            self.counters.to_dict(),
            self.error,
            f.attempt_id if f else "",
            f.error if f else "",
            f.traceback if f else "",
            f.location if f else "",
            self.sub.output,
            tuple(t.stats for t in self.maps if t.done),  # the attempt whose output counts
            tuple(t.stats for t in self.reduces if t.done),
        )


def _fraction(tips: list[Tip]) -> float:
    return sum(t.progress() for t in tips) / len(tips) if tips else 1.0
