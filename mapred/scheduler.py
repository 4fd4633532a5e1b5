"""Task schedulers: which task of which job a tracker's free slot runs next.

Owns the choice only: job order (``fifo``: submission order; ``fair``: the user with the
fewest running attempts first, so two users' jobs share the cluster), locality with delay
scheduling, and speculative backups. Selected by ``mapreduce.jobtracker.taskscheduler``
(``fifo``, the default, or ``fair``; Hadoop's class names ``JobQueueTaskScheduler`` and
``FairScheduler`` are accepted). Must not touch job state: it reads the JobTracker's jobs and
returns ``(job, task, locality, speculative)``; the JobTracker launches.

Locality, per map: node-local (a replica of the split's block on the tracker's node), then
rack-local, then off-rack; among equally close maps the longest split first (Hadoop's job
client sorts the splits so: the short ones fill in at the end of the wave, instead of a long
one starting last and running alone while the other slots idle). A tracker whose free slot
finds no node-local task of a job waits ``mapred.fairscheduler.locality.delay`` ms (default
1.5 heartbeat intervals) before taking a rack-local one, and twice that before an off-rack one
(the wait restarts once it runs a node-local task), but only while some tracker that could
run it closer has map slots at all.

Speculation (LATE's rule): when a slot would otherwise stay idle, the running attempt with the
longest estimated time left, ``(1 - progress) / rate``, gets a backup on another tracker if it
has run ``mapreduce.job.speculative.lag`` ms (by default a minute, Hadoop 1's SPECULATIVE_LAG:
a short task's progress, two thirds reading and one third sorting, says little) and longer
than the mean duration of the task kind's finished attempts, and its time left exceeds that
mean (a fresh attempt would finish first). At most
``mapreduce.job.speculative.speculativecap`` of the cluster's slots run backups.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mapred.errors import JobConfigError

__all__ = ["FifoScheduler", "FairScheduler", "make_scheduler"]


class FifoScheduler:
    name = "fifo"

    def __init__(self, conf: Any) -> None:
        interval = conf.get_float("mapreduce.jobtracker.heartbeat.interval", 0.1)
        delay_ms = conf.get_int("mapred.fairscheduler.locality.delay", -1)
        self.delay = delay_ms / 1000.0 if delay_ms >= 0 else 1.5 * interval
        self.lag = conf.get_int("mapreduce.job.speculative.lag", 60000) / 1000.0
        self.cap = conf.get_float("mapreduce.job.speculative.speculativecap", 0.1)

    def order(self, jt: Any) -> list[Any]:
        return [j for j in jt.jobs.values() if j.state == "RUNNING"]

    def assign(self, jt: Any, tracker: Any, kind: str, now: float) -> tuple | None:
        size = len(jt.trackers)
        jobs = [j for j in self.order(jt) if not j.blacklisted(tracker.name, size)]
        for job in jobs:
            choice = self._pending(jt, job, tracker, kind, now)
            if choice is not None:
                return choice
        for job in jobs:
            choice = self._backup(jt, job, tracker, kind, now)
            if choice is not None:
                return choice
        return None

    # -- pending tasks with locality -------------------------------------------------------------
    def _pending(self, jt: Any, job: Any, tracker: Any, kind: str, now: float) -> tuple | None:
        tips = job.runnable(kind)
        if not tips:
            return None
        fresh = _not_failed_here(jt, job, tracker, kind, tips)
        if not fresh:
            return None  # another tracker should retry them
        if kind == "r":
            return job, fresh[0], "", False
        local = [t for t in fresh if tracker.host in t.hosts]
        if local:
            job.wait_since.pop(tracker.name, None)
            return job, _biggest(local), "data-local", False
        if not any(t.hosts for t in fresh):
            return job, _biggest(fresh), "", False  # no block locations (local files): anywhere
        racks = _map_racks(jt)
        same_rack = [t for t in fresh if any(racks.get(h) == tracker.rack for h in t.hosts)]
        closer_exists = any(_has_slots(jt, h) for t in fresh for h in t.hosts)
        waited = now - job.wait_since.setdefault(tracker.name, now)
        if same_rack and (waited >= self.delay or not closer_exists):
            return job, _biggest(same_rack), "rack-local", False
        rack_exists = any(racks.get(h) in _racks_with_slots(jt) for t in fresh for h in t.hosts)
        if waited >= 2 * self.delay or not (closer_exists or rack_exists):
            return job, _biggest(fresh), "off-rack", False
        return None

    # -- speculative backups ---------------------------------------------------------------------
    def _backup(self, jt: Any, job: Any, tracker: Any, kind: str, now: float) -> tuple | None:
        if not job.speculative[kind] or job.state != "RUNNING":
            return None
        tips = job.tips(kind)
        if kind == "r" and not all(t.done for t in job.maps):
            return None
        durations = [a.finish - a.start for t in tips if t.done for a in [t.attempts[t.done]]]
        if not durations:
            return None
        mean = sum(durations) / len(durations)
        slots = sum(t.map_slots if kind == "m" else t.reduce_slots for t in jt.trackers.values())
        backups = sum(1 for t in tips for a in t.running() if a.speculative)
        if backups >= max(1, int(self.cap * slots)):
            return None
        best, best_left = None, mean
        for tip in tips:
            running = tip.running()
            if tip.done or len(running) != 1 or running[0].tracker == tracker.name:
                continue
            if tracker.name in tip.failed_on:
                continue
            age = now - running[0].start
            if age < self.lag or age < mean:  # not yet slower than a typical finished one
                continue
            rate = running[0].progress / age if age > 0 else 0.0
            left = (1.0 - running[0].progress) / rate if rate > 0 else float("inf")
            if left > best_left:
                best, best_left = tip, left
        if best is None:
            return None
        return job, best, _locality(jt, tracker, best.hosts), True


class FairScheduler(FifoScheduler):
    """Jobs of the user with the fewest running attempts first (FIFO among one user's)."""

    name = "fair"

    def order(self, jt: Any) -> list[Any]:
        jobs = super().order(jt)
        running: Counter[str] = Counter()
        for job in jobs:
            running[job.user] += job.running_attempts()
        return sorted(jobs, key=lambda j: (running[j.user], j.start))


def _not_failed_here(jt: Any, job: Any, tracker: Any, kind: str, tips: list) -> list:
    """The tasks that have not failed on `tracker`, and those that failed on every tracker
    able to run them (Hadoop's findTaskFromList: a retry goes to another machine)."""
    if not any(tracker.name in t.failed_on for t in tips):
        return tips
    size = len(jt.trackers)
    able = {
        t.name
        for t in jt.trackers.values()
        if (t.map_slots if kind == "m" else t.reduce_slots) > 0
        and not job.blacklisted(t.name, size)
    }
    return [t for t in tips if tracker.name not in t.failed_on or able <= t.failed_on]


def _biggest(tips: list) -> Any:
    """The map with the longest split (the first of equals: input order among even splits)."""
    return max(tips, key=_split_length)


def _split_length(tip: Any) -> int:
    split = tip.split  # InputSplit.to_wire: [url, start, length, hosts, input index]
    length = split[2] if split and len(split) > 2 else 0
    return length if isinstance(length, int) else 0


def _locality(jt: Any, tracker: Any, hosts: tuple) -> str:
    if not hosts:
        return ""
    if tracker.host in hosts:
        return "data-local"
    racks = _map_racks(jt)
    return "rack-local" if any(racks.get(h) == tracker.rack for h in hosts) else "off-rack"


def _map_racks(jt: Any) -> dict[str, str]:
    return {t.host: t.rack for t in jt.trackers.values()}


def _has_slots(jt: Any, host: str) -> bool:
    return any(t.host == host and t.map_slots > 0 for t in jt.trackers.values())


def _racks_with_slots(jt: Any) -> set[str]:
    return {t.rack for t in jt.trackers.values() if t.map_slots > 0}


_SCHEDULERS = {
    "fifo": FifoScheduler,
    "jobqueuetaskscheduler": FifoScheduler,
    "fair": FairScheduler,
    "fairscheduler": FairScheduler,
}


def make_scheduler(conf: Any) -> FifoScheduler:
    raw = (conf.get_str("mapreduce.jobtracker.taskscheduler") or "fifo").strip()
    key = raw.rsplit(".", 1)[-1].lower()
    cls = _SCHEDULERS.get(key)
    if cls is None:
        raise JobConfigError(
            f"mapreduce.jobtracker.taskscheduler: unknown scheduler {raw!r}; use fifo or fair"
        )
    return cls(conf)
