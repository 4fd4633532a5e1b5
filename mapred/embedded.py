"""The embedded MapReduce cluster: a JobTracker and one TaskTracker per simulated node, inside
the command that runs a job (what ``hadoop jar``, ``pig`` and ``run_job`` use by default).

Owns: building the trackers from the cluster's topology (one per DataNode, same host name and
rack, so block locations mean node-local slots; a single ``localhost`` when no DFS is
formatted), sharing the machine's cores out as slots, keeping the cluster (and its warm child
processes) for the life of the process, and driving it: the calling thread waits on the
children's pipes, lets each tracker read them, heartbeats every tracker that is due, and ticks
the JobTracker, until its job ends. Several threads may run jobs at once: whichever holds the
drive lock moves every job forward. Must not touch: scheduling or task execution.

Slots: ``mapreduce.tasktracker.map.tasks.maximum`` (and ``reduce``) per tracker when set;
otherwise the machine's usable cores are dealt out one by one, maps from the first tracker and
reduces from the last, so 4 nodes on 2 cores run 2 maps and 2 reduces at most.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import threading
import time
from typing import Any

from dfs.conf import Configuration, home_dir
from dfs.fastclass import dataclass
from mapred.jobtracker import JobTracker
from mapred.remote import JobTrackerClient
from mapred.tasktracker import TaskTracker
from mapred.trackerproto import JobStatus, JobSubmission

log = logging.getLogger(__name__)

__all__ = [
    "EmbeddedMapReduce",
    "get_cluster",
    "new_job_id",
    "shutdown_clusters",
    "usable_cores",
    "deal_slots",
]


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def deal_slots(total: int, trackers: int, reverse: bool = False) -> list[int]:
    """`total` slots dealt one by one over `trackers` (from the last one when `reverse`).

    >>> deal_slots(2, 4), deal_slots(2, 4, reverse=True), deal_slots(5, 2)
    ([1, 1, 0, 0], [0, 0, 1, 1], [3, 2])
    """
    slots = [total // trackers + (1 if i < total % trackers else 0) for i in range(trackers)]
    return slots[::-1] if reverse else slots


@dataclass(frozen=True)
class Layout:
    nodes: tuple[tuple[str, str], ...]  # (host, rack)
    map_slots: tuple[int, ...]
    reduce_slots: tuple[int, ...]
    inline: bool
    settings: tuple[tuple[str, Any], ...]  # the JobTracker's own configuration


_CLUSTER_KEYS = (
    "mapreduce.jobtracker.taskscheduler",
    "mapreduce.jobtracker.heartbeat.interval",
    "mapreduce.jobtracker.expire.trackers.interval",
    "mapred.fairscheduler.locality.delay",
    "mapreduce.job.speculative.lag",
    "mapreduce.job.speculative.speculativecap",
)


def layout_for(conf: Configuration, inline: bool) -> Layout:
    nodes = (("localhost", "/default-rack"),) if inline else _nodes(conf)
    settings = tuple((k, conf.get(k)) for k in _CLUSTER_KEYS if conf.get(k) is not None)
    if inline:
        return Layout(nodes, (1,), (1,), True, settings)
    per_map = conf.get_int("mapreduce.tasktracker.map.tasks.maximum", 0)
    per_reduce = conf.get_int("mapreduce.tasktracker.reduce.tasks.maximum", 0)
    n = len(nodes)
    cores = usable_cores()
    maps = (per_map,) * n if per_map > 0 else tuple(deal_slots(cores, n))
    reduces = (per_reduce,) * n if per_reduce > 0 else tuple(deal_slots(cores, n, reverse=True))
    return Layout(nodes, maps, reduces, False, settings)


def _nodes(conf: Configuration) -> tuple[tuple[str, str], ...]:
    """(host, rack) of every DataNode of a formatted cluster, else one ``localhost``."""
    if not (home_dir(conf) / "topology").exists():  # no DFS here: no need to load its code
        return (("localhost", "/default-rack"),)
    from dfs.topology import is_formatted, read_topology

    try:
        if is_formatted(conf):
            return tuple(read_topology(home_dir(conf)))
    except Exception as e:  # noqa: BLE001 - a damaged DFS must not stop jobs on local files
        log.debug("no DFS topology (%s): one local tracker", e)
    return (("localhost", "/default-rack"),)


class EmbeddedMapReduce(JobTrackerClient):
    """A JobTracker and its TaskTrackers in this process (see the module docstring)."""

    def __init__(self, conf: Configuration, layout: Layout) -> None:
        self.layout = layout
        self.jobtracker = JobTracker(conf)
        if layout.inline:  # its one tracker runs each task inside a heartbeat: never silent
            self.jobtracker.expiry = float("inf")
        self.trackers = [
            TaskTracker(host, rack, self.jobtracker, conf, m, r, inline=layout.inline)
            for (host, rack), m, r in zip(layout.nodes, layout.map_slots, layout.reduce_slots)
        ]
        self._drive = threading.Lock()
        self._news = True  # a job was submitted: every tracker heartbeats now

    @property
    def slots(self) -> int:
        return sum(self.layout.map_slots)

    def new_job_id(self) -> str:
        return new_job_id()

    def close(self) -> None:
        """Nothing to release: the cluster stays for the process's next job."""

    def submit(self, job: JobSubmission) -> JobStatus:
        status = self.jobtracker.submit_job(job)
        self._news = True  # every tracker heartbeats at the next step
        return status

    def kill(self, job_id: str) -> bool:
        killed = self.jobtracker.kill_job(job_id)
        self._news = True  # the kills ride the next heartbeats
        return killed

    def run(self, job: JobSubmission, progress: Any = None) -> JobStatus:
        try:
            return super().run(job, progress)
        finally:
            self.jobtracker.forget(job.job_id)

    def wait(self, job_id: str, timeout: float | None = None, progress: Any = None) -> JobStatus:
        deadline = None if timeout is None else time.monotonic() + timeout
        shown = None
        while True:
            with self._drive:
                for _ in range(64):
                    status = self.jobtracker.job_status(job_id)
                    moved = (status.map_progress, status.reduce_progress)
                    if progress is not None and moved != shown and status.state != "PREP":
                        shown = moved
                        progress(job_id, *moved)
                    if status.done or (deadline is not None and time.monotonic() > deadline):
                        return status
                    self.step()

    def step(self, max_wait: float = 0.05) -> None:
        """One round: read the children, heartbeat the trackers that are due, tick."""
        conns = [c for t in self.trackers for c in t.connections()]
        now = time.monotonic()
        due = [t for t in self.trackers if t.heartbeat_due(now)]
        if not due and not self._news:  # news (a job submitted, a kill): heartbeat at once
            pause = min(max_wait, min(t.next_heartbeat for t in self.trackers) - now)
            ready = _readable(conns, max(0.0, pause)) if conns else _sleep(pause)
        else:
            ready = _readable(conns, 0) if conns else set()
        for tracker in self.trackers:
            tracker.poll(ready)
        now = time.monotonic()
        # In one process a heartbeat is a call: when anything changed, everyone asks for work.
        news = self._news or any(t.heartbeat_due(now) and t.has_news() for t in self.trackers)
        self._news = False
        # those with news first: the JobTracker hears of every attempt that ended before it
        # hands out the slots (or the reduces) the ends made free, to any tracker
        for tracker in sorted(self.trackers, key=lambda t: not t.has_news()):
            if news or tracker.heartbeat_due(now):
                tracker.heartbeat()
        if news:  # a map may have finished: reducers waiting for its output hear now
            for tracker in self.trackers:
                tracker.answer_waiting()
        self.jobtracker.tick()

    def shutdown(self) -> None:
        for tracker in self.trackers:  # every child told first: they all exit at once
            tracker.shutdown(wait=False)
        for tracker in self.trackers:
            tracker.wait_stopped()


def _readable(conns: list, timeout: float) -> set:
    """The children's connections that have something to read, waiting up to `timeout`
    seconds (mapred.child is imported by a tracker's first child: an inline cluster has none)."""
    from mapred.child import wait_readable

    return wait_readable(conns, timeout)


def _sleep(seconds: float) -> set:
    time.sleep(max(0.0, seconds))
    return set()


_clusters: dict[tuple[str, Layout], EmbeddedMapReduce] = {}
_clusters_lock = threading.Lock()


_seq = itertools.count(1)


def new_job_id() -> str:
    """``job_local<pid>_<NNNN>``, as Hadoop's local runner names jobs (the pid: the owner)."""
    return f"job_local{os.getpid()}_{next(_seq):04d}"


def get_cluster(conf: Configuration, inline: bool = False) -> Any:
    """Where this process's jobs run: the state directory's JobTracker daemon when one runs
    (and `inline` is not asked for), else the process's embedded cluster for this state
    directory and layout (made once, kept with its warm children)."""
    if not inline:
        from mapred.remote import RemoteJobTracker, jobtracker_address

        address = jobtracker_address(conf)
        if address is not None:
            return RemoteJobTracker(conf, address)
    layout = layout_for(conf, inline)
    key = (str(home_dir(conf)), layout)
    with _clusters_lock:
        cluster = _clusters.get(key)
        if cluster is None:
            cluster = _clusters[key] = EmbeddedMapReduce(conf, layout)
        return cluster


def shutdown_clusters() -> None:
    """Stop every embedded cluster's child processes (they are made again on demand)."""
    with _clusters_lock:
        for cluster in _clusters.values():
            cluster.shutdown()
        _clusters.clear()


atexit.register(shutdown_clusters)
