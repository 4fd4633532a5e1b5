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

Where the system forks (``start_child``), a child is made by ``os.fork`` and talks over a Unix
socket pair carrying length-prefixed messages (``FramedConnection``): no ``multiprocessing``
import (about 20 ms of a command's first job) and no per-child bookkeeping thread of its own.
Elsewhere the child is a ``multiprocessing`` spawn with its Pipe, as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgpack

from mapred import task
from mapred.task import TaskSpec, run_task

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = [
    "FramedConnection",
    "ForkedProcess",
    "child_main",
    "die_with_parent",
    "dumps",
    "loads",
    "REPORT_INTERVAL_S",
    "sample_progress",
    "start_child",
    "wait_readable",
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
    the forking thread); where it is not armed, a watcher thread exits within a quarter
    second."""
    armed = False
    if death_signal and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # it died before the signal was armed
        os._exit(1)
    if not armed:
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
            with working_directory(spec):
                result = run_task(spec, umbilical)
        finally:
            umbilical.close()
        try:
            conn.send_bytes(dumps(["done", result.to_wire()]))
        except (BrokenPipeError, OSError):
            return


@contextlib.contextmanager
def working_directory(spec: TaskSpec) -> Any:
    """Run the attempt in its own working directory, ``<job's local dir>/work/<attempt>``,
    holding a symbolic link per distributed cache file and archive under its name (Hadoop's
    task working directory: ``open("dict1")`` reads the ``-files x#dict1`` entry); removed
    with what the task left in it once the attempt ends. The process's import path keeps
    naming the directory it started in."""
    import shutil

    from mapred.cache import link_entries

    home = os.getcwd()
    if "" in sys.path:  # "" means the working directory: keep it the one the process began in
        sys.path[sys.path.index("")] = home
    work = os.path.abspath(os.path.join(spec.local_dir, "work", spec.attempt_id))
    os.makedirs(work, exist_ok=True)
    link_entries(spec.cache, work)
    os.chdir(work)
    try:
        yield work
    finally:
        os.chdir(home)
        shutil.rmtree(work, ignore_errors=True)


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


# -- making a child ----------------------------------------------------------------------------
_FRAME = struct.Struct("!Q")  # a message's length, before its bytes


class FramedConnection:
    """One end of a socket pair carrying whole messages, each its length then its bytes: the
    part of ``multiprocessing``'s Connection that a tracker and its child use."""

    __slots__ = ("_sock",)

    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def fileno(self) -> int:
        return self._sock.fileno()

    def send_bytes(self, data: bytes) -> None:
        self._sock.sendall(_FRAME.pack(len(data)) + data)

    def recv_bytes(self) -> bytes:
        """The next whole message; EOFError when the other end closed."""
        (size,) = _FRAME.unpack(self._exactly(_FRAME.size))
        return self._exactly(size)

    def _exactly(self, size: int) -> bytes:
        buf = bytearray(size)
        view, got = memoryview(buf), 0
        while got < size:
            n = self._sock.recv_into(view[got:])
            if not n:
                raise EOFError("the other end of the umbilical closed")
            got += n
        return bytes(buf)

    def close(self) -> None:
        self._sock.close()


class ForkedProcess:
    """A child made by ``os.fork`` running ``target(*args)``, with the part of
    ``multiprocessing.Process`` a tracker uses: ``pid``, ``exitcode`` (negative: the signal
    that ended it), ``is_alive``, ``kill`` and ``join``. The child leaves by ``os._exit``: the
    parent's exit handlers never run in it."""

    def __init__(self, target: Callable[..., Any], args: tuple) -> None:
        self.exitcode: int | None = None
        pid = os.fork()
        if pid == 0:
            _run_forked(target, args)
        self.pid = pid

    def _reaped(self, flags: int) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                self.exitcode = -1
                return True
            if pid == 0:
                return False
            self.exitcode = os.waitstatus_to_exitcode(status)
        return True

    def is_alive(self) -> bool:
        return not self._reaped(os.WNOHANG)

    def kill(self) -> None:
        if self.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def join(self, timeout: float | None = None) -> None:
        if timeout is None:
            self._reaped(0)
            return
        deadline, pause = time.monotonic() + timeout, 0.0005
        while not self._reaped(os.WNOHANG) and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(2 * pause, 0.02)


def _run_forked(target: Callable[..., Any], args: tuple) -> None:
    """The forked child's whole life: stdin closed as ``multiprocessing`` does, `target` run,
    an escaping error printed, output flushed, then ``os._exit`` (never returns)."""
    code = 1
    try:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdin.close()
            sys.stdin = open(os.devnull)  # noqa: SIM115 - the process's stdin for its life
        target(*args)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else int(e.code is not None)
    except BaseException:  # noqa: BLE001 - the child's last word, as multiprocessing prints it
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def start_child(host: str) -> tuple[Any, Any]:
    """A new child running `child_main` for a tracker on `host`: ``(process, connection)``.
    Forked where the system forks (the child has every module the tracker has imported),
    else started by ``multiprocessing``'s spawn."""
    main = threading.current_thread() is threading.main_thread()
    if hasattr(os, "fork"):
        import socket

        parent, child = (FramedConnection(s) for s in socket.socketpair())
        try:
            process: Any = ForkedProcess(child_main, (child, parent, os.getpid(), main, host))
        finally:
            child.close()
        return process, parent
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=True)
    process = ctx.Process(
        target=child_main, args=(child, parent, os.getpid(), main, host), daemon=True
    )
    process.start()
    child.close()
    return process, parent


def wait_readable(conns: list, timeout: float) -> set:
    """The connections among `conns` that have something to read, waiting up to `timeout`
    seconds (``multiprocessing``'s wait only for its own Pipes, where there is no fork)."""
    if not all(isinstance(c, FramedConnection) for c in conns):
        from multiprocessing.connection import wait

        return set(wait(conns, timeout))
    import select

    poller = select.poll()
    by_fd = {}
    for conn in conns:
        fd = conn.fileno()
        by_fd[fd] = conn
        poller.register(fd, select.POLLIN)
    events = poller.poll(max(0.0, timeout) * 1000.0)
    return {by_fd[fd] for fd, _ in events}
