"""Fault injection: named crash points and failing writes, for the fault suites (tests/faults).

Owns the switches a test uses to stop a process at a named point of a multi-step operation, or
to make a write to a named kind of file come up short or fail as a full or broken disk would,
and the one function every durable write goes through (`write_fully`). Must not touch what is
written or when: the storage modules decide that and name their points.

Both switches are off unless a test turns them on, and then cost one comparison per point.

Crash points. ``crash_point("editlog.after_append")`` is a no-op unless armed:
- in a child process, by the environment: ``MINIHADOOP_CRASH_AT=name`` (or ``name@N``, the N-th
  time the point is reached) kills the process with SIGKILL there, as a power cut or ``kill -9``
  would; if ``MINIHADOOP_CRASH_LOG`` names a file, the point's name is appended to it first, so
  the test can assert the crash happened where it meant it to;
- in the test's own process, with ``arm_crash(name, nth)``: the point raises `InjectedCrash`
  (a BaseException, so ordinary ``except Exception`` handlers do not swallow it).
Every point's name is listed in `CRASH_POINTS` (a test can iterate over them all).

Failing writes. ``write_fully(fd, data, "editlog")`` writes all of `data` to a raw file
descriptor, looping over short writes; a write that makes no progress is ENOSPC. A test makes
the writes of one kind fail with ``inject_write("editlog", "enospc")`` (in-process) or
``MINIHADOOP_WRITE_FAULT=editlog:enospc[@N]`` (a child process). Kinds of fault:
``partial`` (one short write, then the rest goes through: the loop must finish the job),
``short`` (a short write, then ENOSPC: the disk filled up in the middle), ``enospc`` and
``eio`` (the write fails with nothing written).
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from dfs.fastclass import dataclass

#: Every named crash point, with where it sits. Storage modules call `crash_point` with these.
CRASH_POINTS: dict[str, str] = {}


class InjectedCrash(BaseException):
    """Raised at an armed crash point in the test's own process (a simulated death)."""


@dataclass(slots=True)
class _Armed:
    name: str
    nth: int
    seen: int = 0
    kill: bool = False


@dataclass(slots=True)
class _WriteFault:
    tag: str
    kind: str
    nth: int
    seen: int = 0
    done: bool = False


_KINDS = ("partial", "short", "enospc", "eio")


def _parse_target(text: str) -> tuple[str, int]:
    name, _, nth = text.partition("@")
    return name.strip(), int(nth) if nth.strip() else 1


def _from_env() -> tuple[_Armed | None, _WriteFault | None]:
    crash = fault = None
    spec = os.environ.get("MINIHADOOP_CRASH_AT", "").strip()
    if spec:
        name, nth = _parse_target(spec)
        crash = _Armed(name, nth, kill=True)
    spec = os.environ.get("MINIHADOOP_WRITE_FAULT", "").strip()
    if spec:
        tag, _, rest = spec.partition(":")
        kind, nth = _parse_target(rest)
        if kind not in _KINDS:
            raise ValueError(f"MINIHADOOP_WRITE_FAULT: unknown kind {kind!r}; one of {_KINDS}")
        fault = _WriteFault(tag, kind, nth)
    return crash, fault


_crash, _fault = _from_env()


def register(name: str, where: str) -> str:
    """Declare a crash point (module level, next to the code that reaches it)."""
    CRASH_POINTS[name] = where
    return name


def crash_point(name: str) -> None:
    """Die here if this point is armed (see the module docstring); otherwise do nothing."""
    armed = _crash
    if armed is None or armed.name != name:
        return
    armed.seen += 1
    if armed.seen != armed.nth:
        return
    if not armed.kill:
        raise InjectedCrash(name)
    log = os.environ.get("MINIHADOOP_CRASH_LOG")
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (name + "\n").encode())
        finally:
            os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def arm_crash(name: str, nth: int = 1) -> Iterator[None]:
    """Make crash point `name` raise `InjectedCrash` the `nth` time it is reached (in-process)."""
    global _crash
    if name not in CRASH_POINTS:
        raise KeyError(f"no crash point named {name!r}; known: {sorted(CRASH_POINTS)}")
    previous, _crash = _crash, _Armed(name, nth)
    try:
        yield
    finally:
        _crash = previous


@contextmanager
def inject_write(tag: str, kind: str, nth: int = 1) -> Iterator[None]:
    """Make the `nth` write of kind `tag` fail as `kind` says (in-process)."""
    global _fault
    if kind not in _KINDS:
        raise ValueError(f"unknown write fault {kind!r}; one of {_KINDS}")
    previous, _fault = _fault, _WriteFault(tag, kind, nth)
    try:
        yield
    finally:
        _fault = previous


def _injected(fd: int, view: memoryview, tag: str) -> int | None:
    """The result of an injected write, or None when no fault applies to this one."""
    fault = _fault
    if fault is None or fault.tag != tag or fault.done:
        return None
    fault.seen += 1
    if fault.seen < fault.nth:
        return None
    if fault.kind == "eio":
        fault.done = True
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    if fault.kind == "enospc" or (fault.kind == "short" and fault.seen > fault.nth):
        fault.done = fault.kind == "enospc"
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if fault.kind == "partial":
        fault.done = True
    # partial or short: write less than asked (at least one byte when there is more than one)
    return os.write(fd, view[: max(len(view) // 2, 1)])


def write_fully(fd: int, data: bytes | bytearray | memoryview, tag: str) -> None:
    """Write all of `data` to `fd`, looping over short writes.

    Raises OSError (ENOSPC when a write makes no progress, or whatever the kernel said): the
    caller must then treat the write as failed and acknowledge nothing.
    """
    view = memoryview(data).cast("B")
    while len(view):
        n = _injected(fd, view, tag)
        if n is None:
            n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (a write made no progress)")
        view = view[n:]
