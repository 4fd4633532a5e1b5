"""The JobTracker's tracker on a Dask cluster: launches become Dask tasks, results and progress
events become attempt statuses.

Owns: ``DaskTracker``, driven like a TaskTracker (``heartbeat`` reports its attempts and slots
to the JobTracker and carries out the reply's launches and kills; ``poll`` takes the attempts
that ended and their progress), each attempt's Dask future (released as soon as it ended, so
Dask never runs a seen attempt again), kills (not yet started: cancelled; running: interrupted
on their worker by ``mapred.dask.worker.stop_attempts``, reported when their task returns), the
task timeout, and fetch failures (a reduce that could not read map outputs is reported with
them: the JobTracker runs those maps again). Must not touch: which attempt runs (the
JobTracker's), or what an attempt does (``mapred.dask.worker``). See ``mapred.dask.executor``
for the policy.
"""

from __future__ import annotations

import functools
import logging
import queue
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from dfs.conf import Configuration
from mapred.child import current_env, dumps, loads
from mapred.task import CommitDenied, TaskResult, TaskSpec
from mapred.trackerproto import (
    FAILED,
    KILLED,
    RUNNING,
    SUCCEEDED,
    KillTask,
    LaunchTask,
    TaskStatus,
    TrackerStatus,
    attempt_status,
)

log = logging.getLogger(__name__)

__all__ = ["DaskTracker", "JobInfo"]

REFRESH_S = 2.0  # how often the tracker asks the scheduler for its workers during a job


@dataclass
class JobInfo:
    """What the tracker keeps of a job: its progress topic and map outputs' location."""

    topic: str
    intermediate: str
    owned: bool  # remove the intermediate directory when the job ends


@dataclass
class _Attempt:
    spec: TaskSpec
    future: Any = None
    state: str = RUNNING
    progress: float = 0.0
    phase: str = ""
    status: str = ""
    result: TaskResult | None = None
    error: str = ""
    killed: bool = False
    map_attempts: list[str] = field(default_factory=list)  # a reduce's: map index -> attempt
    fetch_failures: list[str] = field(default_factory=list)
    moved: float = 0.0  # when it last reported (0: not started on a worker yet)
    timeout: float = 600.0  # mapreduce.task.timeout, in seconds (0: never)
    failure: str = ""  # why the tracker failed it (a timeout)

    def to_status(self) -> TaskStatus:
        return attempt_status(
            self.spec.attempt_id,
            self.state,
            self.progress,
            self.phase,
            self.status,
            self.error,
            self.fetch_failures,
            self.result,
        )


class DaskTracker:
    """The JobTracker's tracker on a Dask cluster (driven like a TaskTracker: ``heartbeat``
    and ``poll``; see the module docstring)."""

    def __init__(self, client: Any, jobtracker: Any, interval: float) -> None:
        self.client, self.jobtracker, self.interval = client, jobtracker, interval
        self.name, self.host, self.rack = "tracker_dask", "dask", "/default-rack"
        self.map_slots = self.reduce_slots = 1
        self.workers_here = True  # every worker runs on this machine (their local disk is ours)
        self._refreshed = 0.0
        self._by_host: dict[str, list[str]] = {}
        self._attempts: dict[str, _Attempt] = {}
        self._jobs: dict[str, JobInfo] = {}
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self.next_heartbeat = 0.0
        self.news = True

    def refresh(self) -> int:
        """Learn the cluster's workers (slots, hosts); returns its worker threads."""
        self._refreshed = time.monotonic()
        try:
            workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
        except TypeError:  # distributed before n_workers: every worker, always
            workers = self.client.scheduler_info().get("workers", {})
        threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
        self.map_slots = self.reduce_slots = max(1, 2 * threads)
        by_host: dict[str, list[str]] = {}
        for address, w in workers.items():
            for name in {w.get("host"), str(w.get("name", ""))} - {None, ""}:
                by_host.setdefault(name, []).append(address)
        self._by_host = by_host
        self.workers_here = all(_is_this_machine(w.get("host")) for w in workers.values())
        return threads

    # -- jobs ----------------------------------------------------------------------------------
    def add_job(self, job_id: str, info: JobInfo) -> None:
        self._jobs[job_id] = info
        events = self._events
        self.client.subscribe_topic(info.topic, lambda event: events.put(("status", event[1])))

    def end_job(self, job_id: str) -> None:
        """Forget a job that ended: its topic, its directories on the workers."""
        import fsspec

        from mapred.dask.worker import forget_job

        info = self._jobs.pop(job_id, None)
        if info is None:
            return
        try:
            self.client.unsubscribe_topic(info.topic)
            self.client.run(forget_job, dumps(job_id))
        except Exception as e:  # noqa: BLE001 - workers clean their directories at exit too
            log.debug("cannot tell the workers that %s ended: %s", job_id, e)
        if info.owned:
            try:
                fs, path = fsspec.core.url_to_fs(info.intermediate)
                if fs.exists(path):
                    fs.rm(path, recursive=True)
            except OSError as e:
                log.warning("cannot remove the map outputs of %s: %s", job_id, e)

    # -- the driver's calls --------------------------------------------------------------------
    def heartbeat(self) -> None:
        now = time.monotonic()
        if now - self._refreshed > REFRESH_S:  # workers come and go (adaptive clusters)
            self.refresh()
        self._check_timeouts(now)
        reported = list(self._attempts.values())
        status = TrackerStatus(
            self.name,
            self.host,
            self.rack,
            self.map_slots,
            self.reduce_slots,
            tuple(a.to_status() for a in reported),
        )
        self.news = False
        reply = self.jobtracker.heartbeat(status)
        for attempt in reported:
            if attempt.state != RUNNING:
                self._attempts.pop(attempt.spec.attempt_id, None)
            attempt.fetch_failures.clear()
        self.next_heartbeat = time.monotonic() + (reply.interval or self.interval)
        kills = [a for a in reply.actions if isinstance(a, KillTask)]
        for action in reply.actions:
            if isinstance(action, LaunchTask):
                self._launch(TaskSpec.from_wire(action.spec))
        if kills:
            self._kill([k.attempt_id for k in kills])

    def poll(self, timeout: float) -> None:
        """Take what happened (attempts ended, progress), waiting up to `timeout` for it."""
        try:
            events = [self._events.get(timeout=max(0.0, timeout))]
        except queue.Empty:
            return
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                break
        for kind, payload in events:
            if kind == "done":
                self._done(payload)
            else:
                self._progress(payload)

    def running(self) -> int:
        return sum(1 for a in self._attempts.values() if a.state == RUNNING)

    # -- launching -----------------------------------------------------------------------------
    def _launch(self, spec: TaskSpec) -> None:
        from mapred.dask.worker import run_attempt

        attempt = self._attempts[spec.attempt_id] = _Attempt(spec)
        timeout_ms = Configuration.from_dict(spec.conf).get_int("mapreduce.task.timeout", 600_000)
        attempt.timeout = timeout_ms / 1000.0
        attempt.phase = "MAP" if spec.kind == "m" else "SHUFFLE"
        info = self._jobs[spec.job_id]
        request: dict[str, Any] = {
            "spec": spec.to_wire(),
            "env": current_env(),
            "topic": info.topic,
            "intermediate": info.intermediate,
        }
        hosts: list[str] = []
        if spec.kind == "r":
            outputs = self._map_outputs(spec.job_id, spec.num_maps)
            if outputs is None:
                error = f"TaskError: map outputs of {spec.job_id} are not all known"
                failed = TaskResult(spec.attempt_id, "r", spec.index, False, error=error)
                self._finish(attempt, failed)
                return
            request["maps"] = [entry for _, entry in outputs]
            attempt.map_attempts = [aid for aid, _ in outputs]
        elif spec.split:
            hosts = [a for h in spec.split[3] for a in self._by_host.get(h, ())]
        future = self.client.submit(
            run_attempt,
            dumps(request),
            key=f"{'map' if spec.kind == 'm' else 'reduce'}-{spec.attempt_id}",
            pure=False,
            workers=hosts or None,
            allow_other_workers=bool(hosts),
        )
        attempt.future = future
        events, aid = self._events, spec.attempt_id
        future.add_done_callback(lambda _: events.put(("done", aid)))

    def _map_outputs(self, job_id: str, maps: int) -> list[tuple[str, list]] | None:
        known: dict[int, tuple[str, list]] = {}
        for event in self.jobtracker.completion_events(job_id, 0):
            if event.status == SUCCEEDED:
                known[event.map_index] = (event.attempt_id, list(event.output))
            elif known.get(event.map_index, ("",))[0] == event.attempt_id:
                del known[event.map_index]
        if len(known) < maps:
            return None
        return [known[i] for i in range(maps)]

    # -- results -------------------------------------------------------------------------------
    def _done(self, attempt_id: str) -> None:
        attempt = self._attempts.get(attempt_id)
        if attempt is None or attempt.future is None:
            return
        future, attempt.future = attempt.future, None  # released: Dask never re-runs it
        spec = attempt.spec
        if future.status == "cancelled":
            result = TaskResult(spec.attempt_id, spec.kind, spec.index, False, error="cancelled")
            attempt.killed = True
        else:
            result = _outcome(future, spec)
        future.release()
        self._finish(attempt, result)

    def _finish(self, attempt: _Attempt, result: TaskResult) -> None:
        attempt.result = result
        lost = result.stats.get("lost_maps") if not result.ok else None
        if result.ok:
            attempt.state = SUCCEEDED
        elif attempt.failure:
            attempt.state, attempt.error = FAILED, attempt.failure
        elif attempt.killed or result.error.startswith(("TaskKilled:", CommitDenied.__name__)):
            attempt.state = KILLED
        elif lost:  # the maps run again; this reduce is not to blame
            attempt.state = KILLED
            attempt.error = f"map outputs {lost} could not be fetched"
            attempt.fetch_failures = [attempt.map_attempts[i] for i in lost]
        else:
            attempt.state = FAILED
        self.news = True

    def _progress(self, message: list) -> None:
        attempt_id, progress, phase, status = message
        attempt = self._attempts.get(attempt_id)
        if attempt is not None and attempt.state == RUNNING:
            attempt.progress, attempt.phase, attempt.status = progress, phase, status
            attempt.moved = time.monotonic()

    def _check_timeouts(self, now: float) -> None:
        """Fail a started attempt that reported nothing for ``mapreduce.task.timeout`` (the
        TaskTracker's rule and message); one still queued in Dask is not timed."""
        late = []
        for attempt in self._attempts.values():
            if attempt.state != RUNNING or attempt.failure or not attempt.moved:
                continue
            if attempt.timeout > 0 and now - attempt.moved > attempt.timeout:
                seconds = int(now - attempt.moved)
                attempt.failure = (
                    f"Task {attempt.spec.attempt_id} failed to report status for {seconds} "
                    "seconds. Killing!"
                )
                late.append(attempt.spec.attempt_id)
        if late:
            self._kill(late)

    def _kill(self, attempt_ids: list[str]) -> None:
        from mapred.dask.worker import stop_attempts

        attempts = [self._attempts.get(a) for a in attempt_ids]
        attempts = [a for a in attempts if a is not None and a.state == RUNNING]
        for attempt in attempts:
            attempt.killed = True
        started: set[str] = set()
        try:  # interrupt the running ones; the rest never start
            replies = self.client.run(stop_attempts, dumps([a.spec.attempt_id for a in attempts]))
            started = {aid for ids in replies.values() for aid in ids}
        except Exception as e:  # noqa: BLE001 - a worker going away: cancelling is all we can
            log.warning("cannot reach every Dask worker to stop attempts: %s", e)
        waiting = [a.future for a in attempts if a.future is not None]
        cancel = [f for a, f in zip(attempts, waiting) if a.spec.attempt_id not in started]
        if cancel:
            self.client.cancel(cancel)
        self.news = True


def _is_this_machine(host: str | None) -> bool:
    if not host:
        return False
    return host.startswith("127.") or host in ("localhost", "::1") or host in _own_names()


@functools.cache
def _own_names() -> frozenset[str]:
    """This machine's host names and addresses (looked up once)."""
    try:
        name = socket.gethostname()
        return frozenset({name, socket.getfqdn(), *socket.gethostbyname_ex(name)[2]})
    except OSError:
        return frozenset()


def _outcome(future: Any, spec: TaskSpec) -> TaskResult:
    """The attempt's result from its finished future; Dask's own failures (the worker died
    too often, the task could not be loaded, the scheduler went away) as a failed attempt."""
    try:
        if future.status == "finished":
            return TaskResult.from_wire(loads(future.result()))
        exc = future.exception(timeout=10)
        error = f"{type(exc).__name__}: {exc}"
    except Exception as e:  # noqa: BLE001 - whatever Dask says, the attempt failed
        error = f"{type(e).__name__}: {e}"
    return TaskResult(spec.attempt_id, spec.kind, spec.index, False, error=error)
