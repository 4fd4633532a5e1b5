"""The TaskTracker: one per simulated node, running the JobTracker's attempts in warm children.

Owns: the node's map and reduce slots, its child processes (``mapred.child``; reused by task
after task, as Hadoop's JVM reuse), the umbilical's tracker end (progress, commit permission,
map output locations, fetch failures), the task timeout (``mapreduce.task.timeout``: an
attempt that reports nothing for that long is killed and failed, with Hadoop's message), and
the heartbeat to the JobTracker: free slots and attempt statuses out, launch/kill actions back.
Must not touch: which task runs where (the JobTracker decides) or what a task does.

It does nothing on its own: a driver calls ``poll`` with the children's readable pipes and
``heartbeat`` when one is due (``heartbeat_due``) or right after an attempt ended (Hadoop's
out-of-band heartbeat). The embedded cluster drives every tracker from the job client's thread;
a tracker daemon drives its own. An ``inline`` tracker (the ``local`` framework) runs each
attempt inside ``heartbeat``, in this process, for debugging.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import threading
import time
from dataclasses import field
from typing import Any

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred.errors import TaskError
from mapred.task import CommitDenied, TaskResult, TaskSpec, run_task
from mapred.trackerproto import (
    FAILED,
    KILLED,
    RUNNING,
    SUCCEEDED,
    HeartbeatResponse,
    InterTrackerProtocol,
    KillTask,
    LaunchTask,
    TaskStatus,
    TrackerStatus,
    attempt_status,
)

log = logging.getLogger(__name__)

OUTPUTS_WAIT_S = 1.0  # longest a reducer's request for map outputs is held unanswered

__all__ = ["TaskTracker", "copy_cache_file"]


@dataclass
class _Attempt:
    spec: TaskSpec
    child: _Child | None
    state: str = RUNNING
    progress: float = 0.0
    phase: str = ""
    status: str = ""
    moved: float = field(default_factory=time.monotonic)
    result: TaskResult | None = None
    error: str = ""
    fetch_failures: list[str] = field(default_factory=list)  # map attempts not fetched
    timeout: float = 600.0  # mapreduce.task.timeout, in seconds (0: never)

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


class _Child:
    """One warm child process and the duplex connection to it (``mapred.child.start_child``;
    mapred.child is imported with a tracker's first child: an inline tracker starts none)."""

    __slots__ = ("process", "conn", "attempt")

    def __init__(self, host: str) -> None:
        from mapred.child import start_child

        self.process, self.conn = start_child(host)
        self.attempt: _Attempt | None = None

    def send(self, message: Any) -> None:
        from mapred.child import dumps

        self.conn.send_bytes(dumps(message))

    def receive(self) -> Any:
        from mapred.child import loads

        return loads(self.conn.recv_bytes())

    def stop(self, kill: bool = False) -> None:
        self.release(kill)
        self.reap()

    def release(self, kill: bool = False) -> None:
        """Tell the child to stop (or kill it) and close the connection, without waiting."""
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send_bytes(b"")
        self.conn.close()

    def reap(self) -> None:
        """Wait (bounded) for the child to end; one still running after 2 s is killed."""
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)


class _Outputs:
    """A job's finished map outputs as this tracker learned them from completion events."""

    def __init__(self) -> None:
        self.cursor = 0
        self.next_refresh = 0.0  # when completion events may be asked for again
        self.known: dict[int, tuple[str, list]] = {}  # map index -> (attempt, output entry)
        self.bad: set[str] = set()  # attempts whose output could not be fetched


class TaskTracker:
    """See the module docstring."""

    def __init__(
        self,
        host: str,
        rack: str,
        jobtracker: InterTrackerProtocol,
        conf: Configuration,
        map_slots: int,
        reduce_slots: int,
        inline: bool = False,
        shuffle: Any = None,
        events_every: float = 0.0,
    ) -> None:
        self.host, self.rack, self.name = host, rack, f"tracker_{host}"
        self.jobtracker = jobtracker
        self.map_slots, self.reduce_slots = map_slots, reduce_slots
        self.inline = inline
        self.shuffle = shuffle  # a ShuffleServer (daemon mode): serves this node's map outputs
        self.events_every = events_every  # seconds between completion-event calls (0: always)
        self.interval = conf.get_float("mapreduce.jobtracker.heartbeat.interval", 0.1)
        self._children: list[_Child] = []
        self._stopping: list[_Child] = []  # told to stop by `shutdown`, not yet waited for
        self._attempts: dict[str, _Attempt] = {}
        self._outputs: dict[str, _Outputs] = {}
        self._caches: dict[str, dict[str, str]] = {}  # job -> {link name: local copy}
        self._waiting: dict[_Child, tuple[str, int, float]] = {}  # reducers awaiting outputs
        self.next_heartbeat = 0.0
        self._news = True

    # -- the driver's calls ----------------------------------------------------------------
    def connections(self) -> list[Any]:
        return [c.conn for c in self._children if c.attempt is not None]

    def heartbeat_due(self, now: float) -> bool:
        return self._news or now >= self.next_heartbeat

    def has_news(self) -> bool:
        """Did an attempt end (or a reduce miss a map output) since the last heartbeat?"""
        return self._news

    def running(self) -> int:
        return sum(1 for a in self._attempts.values() if a.state == RUNNING)

    def poll(self, ready: set) -> None:
        """Read what the children sent (`ready`: their readable pipes); enforce timeouts."""
        for child in list(self._children):
            if child.attempt is not None and child.conn in ready:
                self._read(child)
        self.answer_waiting()
        self._check_timeouts(time.monotonic())

    def answer_waiting(self) -> None:
        """Answer the reducers waiting for map outputs once all are known (or, after
        ``OUTPUTS_WAIT_S``, with None: they ask again, and their waiting is not hanging)."""
        now = time.monotonic()
        for child, (job_id, maps, since) in list(self._waiting.items()):
            attempt = child.attempt
            if attempt is None or child not in self._children:
                del self._waiting[child]
                continue
            outputs = self._map_outputs(attempt, job_id, maps)
            if outputs is not None or now - since >= OUTPUTS_WAIT_S:
                del self._waiting[child]
                try:
                    child.send(["reply", outputs])
                except OSError:
                    self._lost_child(child)

    def heartbeat(self) -> HeartbeatResponse:
        """Report slots and attempts to the JobTracker; launch and kill what it answers."""
        reported = list(self._attempts.values())
        status = TrackerStatus(
            self.name,
            self.host,
            self.rack,
            self.map_slots,
            self.reduce_slots,
            tuple(a.to_status() for a in reported),
            tuple(self.shuffle.address) if self.shuffle is not None else (),
        )
        self._news = False
        reply = self.jobtracker.heartbeat(status)
        for attempt in reported:  # the JobTracker has seen their end: forget them
            if attempt.state != RUNNING:
                self._attempts.pop(attempt.spec.attempt_id, None)
        for attempt in reported:
            attempt.fetch_failures.clear()
        self.next_heartbeat = time.monotonic() + (reply.interval or self.interval)
        for action in reply.actions:
            if isinstance(action, KillTask):
                self._kill(action.attempt_id, KILLED, action.reason)
            elif isinstance(action, LaunchTask):
                self._launch(TaskSpec.from_wire(action.spec))
        self._forget_finished_jobs()
        return reply

    def shutdown(self, wait: bool = True) -> None:
        """Stop every child: all are told (a busy one killed) before any is waited for, so
        they exit together; with ``wait=False`` the waiting is left to `wait_stopped`."""
        for child in self._children:
            try:
                child.release(kill=child.attempt is not None)
            except OSError:
                child.process.kill()
        self._stopping.extend(self._children)
        self._children.clear()
        if wait:
            self.wait_stopped()

    def wait_stopped(self) -> None:
        stopping, self._stopping = self._stopping, []
        for child in stopping:
            child.reap()

    # -- launching and killing ---------------------------------------------------------------
    def _launch(self, spec: TaskSpec) -> None:
        attempt = _Attempt(spec, None, phase="MAP" if spec.kind == "m" else "SHUFFLE")
        timeout_ms = Configuration.from_dict(spec.conf).get_int("mapreduce.task.timeout", 600_000)
        attempt.timeout = timeout_ms / 1000.0
        self._attempts[spec.attempt_id] = attempt
        try:
            spec = attempt.spec = self._localized(spec)
        except OSError as e:
            error = f"cannot localize the distributed cache of {spec.job_id}: {e}"
            self._finish(
                attempt, TaskResult(spec.attempt_id, spec.kind, spec.index, False, error=error)
            )
            return
        if self.inline:
            self._finish(attempt, run_task(spec, _InlineUmbilical(self, attempt)))
            return
        child = self._idle_child()
        attempt.child, child.attempt = child, attempt
        try:
            from mapred.child import current_env

            child.send(["run", current_env(), spec.to_wire()])
        except OSError:
            self._lost_child(child)

    def _localized(self, spec: TaskSpec) -> TaskSpec:
        """`spec` with its distributed cache files copied to this tracker's directory of the
        job, and its archives copied and unpacked there (``mapred.cache``), once per job:
        every later task of it here reads the same copies. The spec's ``cache`` then names
        all of them (an archive by its directory). In the local runner (``inline``) each is
        also linked by name in this process's working directory, as Hadoop's
        LocalDistributedCacheManager does (the job's runner removes the links)."""
        if not spec.cache and not spec.archives:
            return spec
        local = self._caches.get(spec.job_id)
        if local is None or not all(map(os.path.exists, local.values())):
            from mapred.cache import link_entries, unpack_archive

            directory = os.path.join(spec.local_dir, "cache", self.name)
            local = {
                name: copy_cache_file(url, directory, name) for name, url in spec.cache.items()
            }
            for name, url in spec.archives.items():
                packed = copy_cache_file(url, os.path.join(directory, ".archives"), name)
                base = os.path.basename(url.rstrip("/"))
                local[name] = unpack_archive(packed, base, os.path.join(directory, name))
            self._caches[spec.job_id] = local
            if self.inline:
                link_entries(local, os.getcwd())
        return dataclasses.replace(spec, cache=local)

    def warm_up(self) -> None:
        """Start a child per slot now, so the first tasks do not wait for a fork."""
        if self.inline:
            return
        while len(self._children) < self.map_slots + self.reduce_slots:
            self._children.append(_Child(self.host))

    def _idle_child(self) -> _Child:
        for child in self._children:
            if child.attempt is None:
                return child
        child = _Child(self.host)
        self._children.append(child)
        return child

    def _kill(self, attempt_id: str, state: str, reason: str) -> None:
        attempt = self._attempts.get(attempt_id)
        if attempt is None or attempt.state != RUNNING:
            return
        child = attempt.child
        if child is not None:
            self._children.remove(child)
            child.stop(kill=True)
        attempt.child = None
        attempt.state, attempt.error = state, reason
        self._news = True
        log.info("%s %s: %s", "Killed" if state == KILLED else "Failed", attempt_id, reason)

    def _check_timeouts(self, now: float) -> None:
        for attempt in list(self._attempts.values()):
            if attempt.state != RUNNING or attempt.timeout <= 0 or self.inline:
                continue
            if now - attempt.moved > attempt.timeout:
                seconds = int(now - attempt.moved)
                reason = (
                    f"Task {attempt.spec.attempt_id} failed to report status for {seconds} "
                    "seconds. Killing!"
                )
                self._kill(attempt.spec.attempt_id, FAILED, reason)

    # -- the umbilical -------------------------------------------------------------------------
    def _read(self, child: _Child) -> None:
        attempt = child.attempt
        try:
            message = child.receive()
        except (EOFError, OSError):
            self._lost_child(child)
            return
        kind = message[0]
        if kind == "status":
            _, _, attempt.progress, attempt.phase, attempt.status = message
            attempt.moved = time.monotonic()
        elif kind == "done":
            child.attempt, attempt.child = None, None
            self._finish(attempt, TaskResult.from_wire(message[1]))
        elif kind == "fetch_failed":  # no reply: the task goes on asking for outputs
            self.answer(attempt, message)
        elif kind == "outputs?" and self._map_outputs(attempt, message[1], message[2]) is None:
            self._waiting[child] = (message[1], message[2], time.monotonic())  # answered later
        else:
            child.send(["reply", self.answer(attempt, message)])

    def answer(self, attempt: _Attempt, message: list) -> Any:
        """A question from a task: commit permission, or where the map outputs are."""
        kind = message[0]
        if kind == "commit?":
            return self.jobtracker.can_commit(message[1])
        if kind == "outputs?":
            return self._map_outputs(attempt, message[1], message[2])
        if kind == "fetch_failed":
            self._fetch_failed(attempt, message[1], message[2])
            return None
        raise TaskError(f"unknown umbilical message {kind!r} from {attempt.spec.attempt_id}")

    def _map_outputs(self, attempt: _Attempt, job_id: str, maps: int) -> list | None:
        outputs = self._outputs.setdefault(job_id, _Outputs())
        now = time.monotonic()
        # reducers ask every few ms; the JobTracker is asked at most every `events_every` s
        events = []
        if now >= outputs.next_refresh:
            outputs.next_refresh = now + self.events_every
            events = self.jobtracker.completion_events(job_id, outputs.cursor)
        outputs.cursor += len(events)
        for event in events:
            if event.status == SUCCEEDED and event.attempt_id not in outputs.bad:
                entry = list(event.output)
                if event.address and event.tracker != self.name:  # fetched through its server
                    entry += [list(event.address), event.attempt_id]
                outputs.known[event.map_index] = (event.attempt_id, entry)
            elif outputs.known.get(event.map_index, ("",))[0] == event.attempt_id:
                del outputs.known[event.map_index]
        known = len(outputs.known)
        attempt.progress, attempt.phase = known / max(1, maps) / 3, "SHUFFLE"
        attempt.moved = time.monotonic()  # waiting for maps is not hanging
        if known < maps:
            return None
        return [outputs.known[i][1] for i in range(maps)]

    def _fetch_failed(self, attempt: _Attempt, job_id: str, map_index: int) -> None:
        outputs = self._outputs.setdefault(job_id, _Outputs())
        bad = outputs.known.pop(map_index, None)
        if bad is not None:
            outputs.bad.add(bad[0])
            attempt.fetch_failures.append(bad[0])
        self._news = True

    def _finish(self, attempt: _Attempt, result: TaskResult) -> None:
        attempt.result = result
        if result.ok:
            attempt.state = SUCCEEDED
            if self.shuffle is not None and result.map_output:
                self.shuffle.publish(attempt.spec.job_id, result.attempt_id, result.map_output)
        elif result.error.startswith(f"{CommitDenied.__name__}:"):  # a twin committed first
            attempt.state = KILLED
        else:
            attempt.state = FAILED
        self._news = True

    def _lost_child(self, child: _Child) -> None:
        attempt = child.attempt
        if child in self._children:
            self._children.remove(child)
        child.stop(kill=True)
        if attempt is not None and attempt.state == RUNNING:
            attempt.child = None
            code = child.process.exitcode
            attempt.state = FAILED
            attempt.error = (
                f"worker process died (exit code {code}) while running {attempt.spec.attempt_id}"
            )
            self._news = True

    def _forget_finished_jobs(self) -> None:
        active = {a.spec.job_id for a in self._attempts.values()}
        for job_id in list(self._outputs):
            if job_id not in active:
                del self._outputs[job_id]
        for job_id, copies in list(self._caches.items()):  # kept while the job's dir lives
            if job_id not in active and not all(map(os.path.exists, copies.values())):
                del self._caches[job_id]


def copy_cache_file(url: str, directory: str, name: str) -> str:
    """Copy one distributed cache file into `directory` (read-only, as Hadoop's); the
    temporary name is this process's and thread's, so concurrent copies never collide."""
    import shutil

    from mapred.localfs import open_url

    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, name)
    tmp = f"{target}.tmp{os.getpid()}.{threading.get_ident()}"
    with open_url(url, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    os.chmod(tmp, 0o444)
    os.replace(tmp, target)
    return target


class _InlineUmbilical:
    """The umbilical of an attempt run inside the tracker's own process (``local``)."""

    def __init__(self, tracker: TaskTracker, attempt: _Attempt) -> None:
        self.tracker, self.attempt = tracker, attempt

    def watch(self, probe: Any) -> None:
        pass

    def can_commit(self, attempt_id: str) -> bool:
        return bool(self.tracker.answer(self.attempt, ["commit?", attempt_id]))

    def map_outputs(self, job_id: str, maps: int) -> list[list]:
        outputs = self.tracker.answer(self.attempt, ["outputs?", job_id, maps])
        if outputs is None:
            raise TaskError(f"{job_id}: map outputs missing for an in-process reduce")
        return outputs

    def fetch_failed(self, job_id: str, map_index: int) -> None:
        self.tracker.answer(self.attempt, ["fetch_failed", job_id, map_index])
