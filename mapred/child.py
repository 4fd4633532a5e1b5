"""A TaskTracker's child process: runs task attempts one after another (kept warm between them,
as Hadoop's JVM reuse), and the child's end of the umbilical.

Owns: the child's main loop, the messages it exchanges with its tracker over a duplex pipe
(msgpack lists, never pickle), the progress sampler thread, and dying with the tracker. Must
not touch: scheduling or what a task does (``mapred.task.run_task``).

Tracker -> child: ``["run", env, spec]``, ``["reply", value]``, ``b""`` (stop).
Child -> tracker: ``["status", attempt, progress, phase, status]`` (sent by a sampler thread
whenever the task moved: bytes or records read, status set, ``context.progress()``; a task that
does not move sends nothing, and its tracker's timeout kills it), ``["commit?", attempt]``,
``["outputs?", job, maps]`` (answered once every map output is known, or with None after
``OUTPUTS_WAIT_S``: the child asks again), ``["fetch_failed", job, map]`` and ``["done", result]``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgpack

from mapred import task
from mapred.task import TaskSpec, run_task

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = [
    "child_main",
    "die_with_parent",
    "dumps",
    "loads",
    "REPORT_INTERVAL_S",
    "sample_progress",
]

_PR_SET_PDEATHSIG = 1
PARENT_POLL_S = 0.25
REPORT_INTERVAL_S = 0.25


def dumps(obj: Any) -> bytes:
    return msgpack.packb(obj, use_bin_type=True)


def loads(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False, use_list=True, strict_map_key=False)


def die_with_parent(parent_pid: int, death_signal: bool) -> None:
    """Make this process stop when the one that started it dies: on Linux the kernel sends
    SIGKILL (armed only when the parent forked from its main thread, since the signal follows
    the forking thread); everywhere a watcher thread exits within a quarter second."""
    if death_signal and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # it died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def sample_progress(
    stop: threading.Event,
    probe_of: Callable[[], Any],
    report: Callable[[float, str, str], bool],
    interval: float = REPORT_INTERVAL_S,
) -> None:
    """Every `interval` seconds until `stop` is set: read the running task's probe (the one
    `probe_of` gives: ``(progress, phase, status, token)``) and `report` it when the token
    moved; a task that does not move reports nothing. Stops early when `report` returns
    False (the tracker is gone)."""
    last = None
    while not stop.wait(interval):
        probe = probe_of()
        if probe is None:
            continue
        try:
            progress, phase, status, token = probe()
        except Exception:  # noqa: BLE001 - a probe racing the task's end: try again
            continue
        if token != last:
            last = token
            if not report(progress, phase, status):
                return


class ChildUmbilical:
    """The task's side of the umbilical, over the child's pipe to its tracker."""

    def __init__(self, conn: Connection, attempt_id: str) -> None:
        self._conn = conn
        self._attempt = attempt_id
        self._lock = threading.Lock()
        self._probe: Any = None
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _send(self, message: list) -> None:
        with self._lock:
            self._conn.send_bytes(dumps(message))

    def _ask(self, message: list) -> Any:
        with self._lock:
            self._conn.send_bytes(dumps(message))
            reply = loads(self._conn.recv_bytes())
        return reply[1]

    def watch(self, probe: Any) -> None:
        self._probe = probe

    def _sample(self) -> None:
        sample_progress(self._stop, lambda: self._probe, self._report)

    def _report(self, progress: float, phase: str, status: str) -> bool:
        try:
            self._send(["status", self._attempt, progress, phase, status])
        except OSError:
            return False
        return True

    def can_commit(self, attempt_id: str) -> bool:
        return bool(self._ask(["commit?", attempt_id]))

    def map_outputs(self, job_id: str, maps: int) -> list[list]:
        while True:  # the tracker answers once all are known, or None after a while
            outputs = self._ask(["outputs?", job_id, maps])
            if outputs is not None:
                return outputs

    def fetch_failed(self, job_id: str, map_index: int) -> None:
        self._send(["fetch_failed", job_id, map_index])

    def close(self) -> None:
        self._stop.set()
        self._sampler.join()


def child_main(
    conn: Connection, parent_end: Connection, parent_pid: int, death_signal: bool, host: str
) -> None:
    """Run attempts until told to stop (or the tracker goes away)."""
    from mapred.api import TRACKER_HOST_ENV

    die_with_parent(parent_pid, death_signal)
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the tracker decides about interrupts
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ[TRACKER_HOST_ENV] = host
    task.OWN_PROCESS = True  # each attempt's peak memory counters are its own
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:  # the stop message
            return
        _, env, wire = loads(data)
        apply_env(env)
        spec = TaskSpec.from_wire(wire)
        umbilical = ChildUmbilical(conn, spec.attempt_id)
        try:
            result = run_task(spec, umbilical)
        finally:
            umbilical.close()
        try:
            conn.send_bytes(dumps(["done", result.to_wire()]))
        except (BrokenPipeError, OSError):
            return


#: Environment a task must see as the submitting process does (children outlive one job).
FORWARDED_ENV = ("MINIHADOOP_HOME", "MINIHADOOP_CONF_DIR", "HADOOP_USER_NAME")


def current_env() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in FORWARDED_ENV}


def apply_env(env: dict[str, str | None]) -> None:
    """Take the submitter's environment; a changed cluster home drops cached dfs:// clients."""
    changed = False
    for name, value in env.items():
        if os.environ.get(name) != value:
            changed = True
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if changed:
        try:
            import fsspec

            fsspec.get_filesystem_class("dfs").clear_instance_cache()
        except (ImportError, ValueError):
            pass
