"""The Dask worker's side of one attempt: ``run_attempt(payload: bytes) -> bytes``.

Owns: what a Dask task does around ``mapred.task.run_task`` (the runner every executor uses):
taking the submitter's environment, a private local directory per job on this worker, the
distributed cache copied there, publishing a map output to the intermediate storage, fetching
a reduce's partition from it, progress events back to the submitting client, and stopping an
attempt the JobTracker killed. Must not touch: scheduling, retries, commit arbitration or the
job commit (the submitting process's JobTracker owns them, ``mapred.dask.executor``), or what
happens inside a task (``mapred.task``). Nothing crosses the process boundary but msgpack bytes
and the function references Dask itself serializes.

Request, a msgpack map: ``spec`` (``TaskSpec.to_wire()``), ``env`` (the submitter's
``MINIHADOOP_*`` variables), ``topic`` (where progress events go), ``intermediate`` (the URL
of the job's map outputs) and, for a reduce, ``maps``: ``[url, index]`` of every map output in
map order. Reply: ``TaskResult.to_wire()``; a map's ``map_output`` names its published file;
a reduce that could not read some map outputs fails with ``stats["lost_maps"]`` (their
indexes: the JobTracker runs those maps again, as for Hadoop's fetch failures).

Output exactly once: an attempt writes only its own attempt directory (the committer's
layout), and a task commit is one rename that replaces an earlier commit of the same task. When
Dask runs an attempt again (its worker died), the new run first removes what the dead one
left. A map output is written under the attempt's id, so a re-run replaces it whole; reducers
read only outputs of attempts the JobTracker saw succeed.

Kills: ``stop_attempts`` (run on every worker by ``Client.run``) remembers the attempt ids and
raises ``TaskKilled`` in the thread running any of them here: a Dask task cannot be stopped
from outside, so the attempt is interrupted between two bytecodes of its own thread (a
blocking read finishes first), cleans up after itself and ends. Its commit is refused from
then on, so a killed attempt never publishes.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import posixpath
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from dfs.conf import Configuration
from mapred.child import apply_env, dumps, loads, sample_progress
from mapred.task import TaskResult, TaskSpec, run_task
from mapred.tasktracker import copy_cache_file

log = logging.getLogger(__name__)

__all__ = ["run_attempt", "stop_attempts", "forget_job", "TaskKilled", "REPORT_INTERVAL_S"]

REPORT_INTERVAL_S = 0.5  # how often a running attempt's progress is sampled (sent if it moved)
WORK_DIR = "minihadoop"  # under the worker's local directory: one directory per job

_lock = threading.Lock()
_running: dict[str, _Guard] = {}  # attempt id -> the guard of its thread, on this worker
_killed: set[str] = set()  # attempt ids the JobTracker killed (refused a commit from then on)
_caches: dict[str, dict[str, str]] = {}  # job id -> {link name: local copy}


class TaskKilled(BaseException):
    """Raised inside an attempt's thread when its job or the attempt was killed (a
    BaseException, so a job's own ``except Exception`` does not swallow it)."""


class MapOutputLost(Exception):
    """A reduce could not read some map outputs: the maps must run again."""


# -- the Dask task -------------------------------------------------------------------------------
def run_attempt(payload: bytes) -> bytes:
    """Run one attempt described by `payload` (see the module docstring); never raises."""
    request = loads(payload)
    spec = TaskSpec.from_wire(request["spec"])
    apply_env(request.get("env") or {})
    worker = _current_worker()
    work = os.path.join(_work_root(worker), spec.job_id)
    inter = request.get("intermediate") or ""
    try:
        local = replace(spec, local_dir=_attempt_base(spec, inter, work))
        local = replace(local, cache=_localize(spec, work))
    except OSError as e:
        error = f"OSError: cannot prepare {spec.attempt_id} on this worker: {e}"
        return _reply(TaskResult(spec.attempt_id, spec.kind, spec.index, False, error=error))
    _clear_attempt(local)  # what an earlier run of this attempt left when its worker died
    umbilical = DaskUmbilical(local, request, worker)
    result = _guarded_run(local, umbilical)
    try:
        if result.ok and result.map_output:
            result = _publish_map_output(local, result, inter)
        elif umbilical.lost:
            stats = {"lost_maps": sorted(set(umbilical.lost))}
            result = replace(result, stats=stats)
    except OSError as e:
        error = f"OSError: cannot publish the map output of {spec.attempt_id}: {e}"
        result = TaskResult(spec.attempt_id, spec.kind, spec.index, False, error=error)
    finally:
        if not (result.ok and result.map_output and _is_local(inter)):
            shutil.rmtree(os.path.join(local.local_dir, spec.attempt_id), ignore_errors=True)
    return _reply(result)


def _reply(result: TaskResult) -> bytes:
    return dumps(result.to_wire())


def _guarded_run(spec: TaskSpec, umbilical: DaskUmbilical) -> TaskResult:
    """``run_task`` under a guard that a kill can interrupt (see the module docstring)."""
    thresholds = gc.get_threshold()
    guard = _Guard(spec.attempt_id)
    result = None
    try:
        try:
            if not guard.start():
                raise TaskKilled(spec.attempt_id)
            result = run_task(spec, umbilical)
        finally:
            guard.finish()
    except TaskKilled:  # raised once at most: in the task, or in finish() before it took the lock
        guard.finish()
    umbilical.close()
    if result is not None:
        return result
    gc.unfreeze()  # the interruption may have come before run_task's own clean-up
    gc.set_threshold(*thresholds)
    _abort(spec)
    error = f"TaskKilled: {spec.attempt_id} was killed"
    return TaskResult(spec.attempt_id, spec.kind, spec.index, False, error=error)


def _abort(spec: TaskSpec) -> None:
    from mapred.committer import job_committer
    from mapred.output import named_outputs

    shutil.rmtree(os.path.join(spec.local_dir, spec.attempt_id), ignore_errors=True)
    conf = Configuration.from_dict(spec.conf)
    if spec.kind == "r" or spec.num_reduces == 0 or named_outputs(conf):
        try:
            job_committer(spec.output, spec.job_id, conf).abort_task(spec.attempt_id)
        except Exception as e:  # noqa: BLE001 - the job's abort removes it anyway
            log.warning("%s: cannot remove its output: %s", spec.attempt_id, e)


def _clear_attempt(spec: TaskSpec) -> None:
    _abort(spec)


def _current_worker() -> Any:
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None  # called outside a Dask task (a test, a debugger)


def _work_root(worker: Any) -> str:
    base = getattr(worker, "local_directory", None) or tempfile.gettempdir()
    return os.path.join(base, WORK_DIR)


def _is_local(url: str) -> bool:
    if not url:
        return False
    return isinstance(fsspec.core.url_to_fs(url)[0], LocalFileSystem)


def _local_path(url: str) -> str:
    return fsspec.core.url_to_fs(url)[1]


def _attempt_base(spec: TaskSpec, inter: str, work: str) -> str:
    """Where the attempt's spills and map output are made: a map with a local intermediate
    directory writes its output in place there (no copy); everything else in `work`."""
    base = _local_path(inter) if spec.kind == "m" and _is_local(inter) else work
    os.makedirs(base, exist_ok=True)
    return base


def _localize(spec: TaskSpec, work: str) -> dict[str, str]:
    """The job's distributed cache copied to this worker, once per job (read-only, as a
    TaskTracker's copies)."""
    if not spec.cache:
        return {}
    with _lock:
        copies = _caches.get(spec.job_id)
    if copies is not None and all(map(os.path.exists, copies.values())):
        return copies
    directory = os.path.join(work, "cache")
    os.makedirs(directory, exist_ok=True)
    copies = {name: copy_cache_file(url, directory, name) for name, url in spec.cache.items()}
    with _lock:
        _caches[spec.job_id] = copies
    return copies


# -- map outputs ---------------------------------------------------------------------------------
def _publish_map_output(spec: TaskSpec, result: TaskResult, inter: str) -> TaskResult:
    """The map output where every worker can read it: left in place in a local intermediate
    directory, else uploaded as ``<intermediate>/<attempt>.out`` (a re-run replaces it)."""
    path, index = result.map_output
    if _is_local(inter):
        return result
    url = f"{inter.rstrip('/')}/{spec.attempt_id}.out"
    fs, target = fsspec.core.url_to_fs(url)
    fs.makedirs(posixpath.dirname(target), exist_ok=True)
    with open(path, "rb") as src, fs.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return replace(result, map_output=[url, index])


def fetch_partition(
    maps: list[list], partition: int, fetch_dir: str, parallel: int = 5
) -> list[list]:
    """``[path, index]`` per map output, readable here: local files in place, this partition's
    byte range of any other copied into `fetch_dir` (its index entry then starts at 0). A map
    output that cannot be read keeps a path that does not exist: the shuffle reports it."""
    entries: list[list] = [list(m) for m in maps]
    remote = []
    for i, (url, index) in enumerate(maps):
        if index[partition][1] and not _is_local(url):
            remote.append(i)
        elif index[partition][1]:
            entries[i] = [_local_path(url), index]
    if not remote:
        return entries
    os.makedirs(fetch_dir, exist_ok=True)

    def fetch(i: int) -> None:
        url, index = maps[i]
        offset, length, records = index[partition]
        target = os.path.join(fetch_dir, f"map_{i:06d}.out")
        try:
            fs, path = fsspec.core.url_to_fs(url)
            data = fs.cat_file(path, start=offset, end=offset + length)
            if len(data) != length:
                raise OSError(f"{url}: {len(data)} bytes where {length} were expected")
            with open(target, "wb") as f:
                f.write(data)
        except OSError as e:
            log.warning("cannot fetch map output %d from %s: %s", i, url, e)
            entries[i] = [target + ".missing", index]
            return
        local_index = [list(e) for e in index]
        local_index[partition] = [0, length, records]
        entries[i] = [target, local_index]

    with ThreadPoolExecutor(max(1, min(parallel, len(remote))), "dask-fetch") as pool:
        list(pool.map(fetch, remote))
    return entries


# -- the umbilical -------------------------------------------------------------------------------
class DaskUmbilical:
    """The task's umbilical on a Dask worker: progress goes out as Dask events on the job's
    topic, a commit is allowed unless the attempt was killed, map outputs come with the
    request."""

    def __init__(self, spec: TaskSpec, request: dict, worker: Any) -> None:
        self.spec, self.request, self.worker = spec, request, worker
        self.topic = request.get("topic") or ""
        self.lost: list[int] = []
        self._fetched = False
        self._probe: Any = None
        self._stop = threading.Event()
        self._sampler = None
        if worker is not None and self.topic:
            self._send([spec.attempt_id, 0.0, "MAP" if spec.kind == "m" else "SHUFFLE", ""])
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()

    def watch(self, probe: Any) -> None:
        self._probe = probe

    def can_commit(self, attempt_id: str) -> bool:
        with _lock:
            return attempt_id not in _killed

    def map_outputs(self, job_id: str, maps: int) -> list[list]:
        if self.lost or self._fetched:
            raise MapOutputLost(f"{job_id}: map outputs {sorted(set(self.lost))} cannot be read")
        self._fetched = True
        conf = Configuration.from_dict(self.spec.conf)
        parallel = conf.get_int("mapreduce.reduce.shuffle.parallelcopies", 5)
        fetch_dir = os.path.join(self.spec.local_dir, self.spec.attempt_id, "shuffle")
        maps_given = self.request.get("maps") or []
        entries = fetch_partition(maps_given, self.spec.index, fetch_dir, parallel)
        if len(entries) != maps:
            raise MapOutputLost(f"{job_id}: {len(entries)} map outputs given, {maps} expected")
        self._send([self.spec.attempt_id, 1 / 3, "SHUFFLE", ""])
        return entries

    def fetch_failed(self, job_id: str, map_index: int) -> None:
        self.lost.append(map_index)

    def close(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join()

    def _send(self, message: list) -> None:
        if self.worker is None or not self.topic:
            return
        try:
            self.worker.log_event(self.topic, message)
        except Exception as e:  # noqa: BLE001 - progress is advisory; the result still comes
            log.debug("cannot send progress of %s: %s", self.spec.attempt_id, e)

    def _sample(self) -> None:
        sample_progress(self._stop, lambda: self._probe, self._report, REPORT_INTERVAL_S)

    def _report(self, progress: float, phase: str, status: str) -> bool:
        self._send([self.spec.attempt_id, progress, phase, status])
        return True


# -- kills ---------------------------------------------------------------------------------------
_raise_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_clear_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


class _Guard:
    """An attempt's thread, interruptible by a kill only while the attempt runs in it."""

    def __init__(self, attempt_id: str) -> None:
        self.attempt_id = attempt_id
        self.thread = threading.get_ident()
        self.done = self.fired = False

    def start(self) -> bool:
        """Register the attempt; False when it was killed before it started."""
        with _lock:
            if self.attempt_id in _killed:
                return False
            _running[self.attempt_id] = self
        return True

    def kill(self) -> None:  # called with _lock held
        if not self.done and not self.fired:
            self.fired = True
            _raise_in(self.thread, TaskKilled)

    def finish(self) -> None:
        with _lock:
            self.done = True
            _running.pop(self.attempt_id, None)
            if self.fired:  # not yet raised: it must not surface after the attempt
                _clear_in(self.thread, None)


def stop_attempts(payload: bytes) -> list[str]:
    """Kill these attempts (msgpack list of ids) on this worker: running ones are interrupted,
    later ones never start. Returns the ids that were running here (their Dask tasks end by
    themselves, soon; the others' futures can be cancelled)."""
    stopped = []
    with _lock:
        for attempt_id in loads(payload):
            _killed.add(attempt_id)
            guard = _running.get(attempt_id)
            if guard is not None:
                guard.kill()
                stopped.append(attempt_id)
    return stopped


def forget_job(payload: bytes, dask_worker: Any = None) -> bool:
    """A job ended: drop this worker's directory, cache copies and kill marks of it."""
    job_id = loads(payload)
    shutil.rmtree(os.path.join(_work_root(dask_worker), job_id), ignore_errors=True)
    token = f"_{job_id[4:]}_"  # attempt_<job without "job">_<kind>_...
    with _lock:
        _caches.pop(job_id, None)
        _killed.difference_update([a for a in _killed if token in a])
    return True
