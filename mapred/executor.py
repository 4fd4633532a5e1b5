"""Executors: where task attempts run: ``local`` runs them inline, ``cluster`` in worker processes.

Owns: the worker processes and moving TaskSpecs/TaskResults to and from them as msgpack bytes.
Must not touch: retries, ordering of phases, job state (``mapred.runner`` drives those through
``submit``/``next_result`` only, like dask's ``get_async`` driving a ``submit`` callable).

Policy (cluster): a pool of forked worker processes, ``mapreduce.tasktracker.map.tasks.maximum``
of them (0 = one per core), each with a duplex pipe. ``submit`` queues a spec; an idle worker
gets the oldest queued spec; ``next_result`` waits on the busy workers' pipes. Workers live for
the whole Python process and are reused by every job (start-up costs once), so a test suite or a
notebook pays the fork once. A worker that dies mid-task (killed, ``os._exit``) turns into a
failed TaskResult for that attempt and is replaced. A worker never outlives the process that
started it: on Linux the kernel sends it SIGKILL when that process dies (``PR_SET_PDEATHSIG``,
armed when the pool is made by the main thread, since the signal follows the forking thread),
and everywhere a watcher thread in the worker exits within a quarter second of its parent.
Nothing is pickled: specs and results cross as msgpack; the job class is imported in the worker
from its reference.

Storage must be shared between processes: ``memory://`` is private to one process, so jobs on
``memory://`` need the local executor.
"""

from __future__ import annotations

import atexit
import collections
import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

import msgpack

from mapred.child import apply_env, current_env, die_with_parent
from mapred.task import TaskResult, TaskSpec, run_task

log = logging.getLogger(__name__)

__all__ = ["Executor", "InlineExecutor", "ProcessExecutor", "get_executor", "shutdown_pools"]


def _dumps(obj: Any) -> bytes:
    return msgpack.packb(obj, use_bin_type=True)


def _loads(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False, use_list=True, strict_map_key=False)


class Executor(Protocol):
    name: str
    slots: int

    def submit(self, spec: TaskSpec) -> None: ...

    def next_result(self) -> TaskResult: ...

    def pending(self) -> int: ...


class InlineExecutor:
    """Runs each submitted attempt in the calling process, in submission order (debugging).

    Specs and results still round-trip through msgpack, so anything that would fail to cross a
    process boundary fails here too."""

    name = "local"
    slots = 1

    def __init__(self) -> None:
        self._queue: collections.deque[bytes] = collections.deque()

    def submit(self, spec: TaskSpec) -> None:
        self._queue.append(_dumps(spec.to_wire()))

    def pending(self) -> int:
        return len(self._queue)

    def next_result(self) -> TaskResult:
        spec = TaskSpec.from_wire(_loads(self._queue.popleft()))
        return TaskResult.from_wire(_loads(_dumps(run_task(spec).to_wire())))


def _worker_main(
    conn: Connection, parent_end: Connection, parent_pid: int, death_signal: bool
) -> None:
    die_with_parent(parent_pid, death_signal)
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about interrupts
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:  # the stop message
            return
        env, wire = _loads(data)
        apply_env(env)
        result = run_task(TaskSpec.from_wire(wire))
        try:
            conn.send_bytes(_dumps(result.to_wire()))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    __slots__ = ("process", "conn", "spec")

    def __init__(self, ctx: Any) -> None:
        parent, child = ctx.Pipe(duplex=True)
        main = threading.current_thread() is threading.main_thread()
        self.process = ctx.Process(
            target=_worker_main, args=(child, parent, os.getpid(), main), daemon=True
        )
        self.process.start()
        child.close()
        self.conn = parent
        self.spec: TaskSpec | None = None

    def stop(self) -> None:
        try:
            if self.spec is None:
                self.conn.send_bytes(b"")
        except OSError:
            pass
        try:
            self.conn.close()
        finally:
            self.process.join(timeout=2)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(timeout=2)


class ProcessExecutor:
    """A pool of reusable worker processes (see the module docstring)."""

    name = "cluster"

    def __init__(self, workers: int = 0) -> None:
        self.slots = workers or usable_cores()
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        self._workers: list[_Worker] = []
        self._queue: collections.deque[TaskSpec] = collections.deque()

    def _idle(self) -> list[_Worker]:
        idle = [w for w in self._workers if w.spec is None]
        while len(self._workers) < self.slots and len(idle) < len(self._queue):
            worker = _Worker(self._ctx)
            self._workers.append(worker)
            idle.append(worker)
        return idle

    def submit(self, spec: TaskSpec) -> None:
        self._queue.append(spec)
        self._dispatch()

    def _dispatch(self) -> None:
        for worker in self._idle():
            if not self._queue:
                return
            spec = self._queue.popleft()
            worker.spec = spec
            try:
                worker.conn.send_bytes(_dumps([current_env(), spec.to_wire()]))
            except (BrokenPipeError, OSError):
                worker.spec = None
                self._queue.appendleft(spec)
                self._replace(worker)

    def pending(self) -> int:
        return len(self._queue) + sum(1 for w in self._workers if w.spec is not None)

    def next_result(self) -> TaskResult:
        busy = {w.conn: w for w in self._workers if w.spec is not None}
        if not busy:
            raise RuntimeError("next_result() with no task submitted")
        conn = wait(list(busy))[0]
        worker = busy[conn]
        spec = worker.spec
        worker.spec = None
        try:
            result = TaskResult.from_wire(_loads(conn.recv_bytes()))
        except (EOFError, OSError):
            self._replace(worker)  # joins the process, so its exit code is known
            code = worker.process.exitcode
            result = TaskResult(
                spec.attempt_id,
                spec.kind,
                spec.index,
                False,
                error=f"worker process died (exit code {code}) while running {spec.attempt_id}",
            )
        self._dispatch()
        return result

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        self._queue.clear()


_pools: dict[int, ProcessExecutor] = {}


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def get_executor(name: str | Any = "cluster", workers: int = 0) -> Any:
    """``"local"`` -> a new InlineExecutor; ``"cluster"`` -> the process-wide shared pool of
    `workers` processes (0 = cores); an executor object is returned as is."""
    if not isinstance(name, str):
        return name
    if name in ("local", "inline"):
        return InlineExecutor()
    if name in ("cluster", "classic", "yarn", "process"):
        size = workers or usable_cores()
        pool = _pools.get(size)
        if pool is None or pool._queue or any(w.spec for w in pool._workers):
            pool = _pools[size] = ProcessExecutor(size)
        return pool
    from mapred.errors import JobConfigError

    raise JobConfigError(f"unknown executor {name!r}; use 'local' or 'cluster'")


def shutdown_pools() -> None:
    for pool in _pools.values():
        pool.shutdown()
    _pools.clear()


atexit.register(shutdown_pools)
