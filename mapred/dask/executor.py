"""The ``dask`` framework: a JobTracker whose one tracker runs every attempt as a Dask task.

Owns: connecting to the Dask scheduler ``mapreduce.dask.scheduler`` names (``tcp://HOST:PORT``)
or, without one, starting a ``LocalCluster`` on 127.0.0.1 (one single-threaded worker process
per usable core) that lives as long as the command; the tracker that turns the JobTracker's
launches into Dask tasks (``mapred.dask.worker.run_attempt``) and their results and progress
events back into attempt statuses; kills; where a job's map outputs go; driving the JobTracker
until a job ends. Must not touch: scheduling, retries, commit arbitration and the job commit
(the JobTracker's, exactly as in the other modes), or what runs inside an attempt.

Policy. The JobTracker runs unchanged, in the submitting process, with one tracker
(``tracker_dask``) whose slots are twice the cluster's worker threads, so Dask always has the
next task queued and balances them over its workers itself. A job runs with reduce slow-start
1.0 (each reduce's request carries the location of every map output) and without speculative
attempts (Dask has its own work stealing). A failed attempt comes back as a failed result, and
the JobTracker launches the next attempt as in any mode, up to the job's max attempts; a worker
that dies mid-attempt is Dask's to handle: it runs the same attempt again elsewhere. A finished
attempt's future is released at once, so Dask never re-runs an attempt whose result was seen.

Map outputs (``mapreduce.dask.intermediate.dir``, default: under the job's local directory
when the output is a local path and every worker runs on this machine, else
``_temporary/_maps`` in the job's staging directory beside the output, so a commit or an abort
removes them) are files every worker can read;
reducers copy their partition's byte range from them. Splits carry their block hosts: workers on
those hosts are preferred (``allow_other_workers``). Distributed-cache files on this machine's
disk are shipped to the intermediate location when some worker runs elsewhere.

Kills (the job's, or one attempt's): attempts not yet started are cancelled; running ones are
interrupted on their worker (``stop_attempts``) and reported killed when their task returns, so
the job's abort comes only after they stopped writing.

>>> # run_job(WordCount, ["in.txt"], "out", {"mapreduce.framework.name": "dask"})  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import logging
import os
import queue
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from dfs.conf import Configuration
from mapred.child import current_env, dumps, loads
from mapred.errors import JobConfigError
from mapred.remote import JobTrackerClient
from mapred.task import CommitDenied, TaskResult, TaskSpec
from mapred.trackerproto import (
    FAILED,
    KILLED,
    RUNNING,
    SUCCEEDED,
    JobStatus,
    JobSubmission,
    KillTask,
    LaunchTask,
    TaskStatus,
    TrackerStatus,
)

log = logging.getLogger(__name__)

__all__ = [
    "DaskMapReduce",
    "get_dask_cluster",
    "shutdown_dask",
    "intermediate_dir",
    "ship_cache",
]

SCHEDULER_KEY = "mapreduce.dask.scheduler"
INTERMEDIATE_KEY = "mapreduce.dask.intermediate.dir"
TIMEOUT_KEY = "mapreduce.dask.connect.timeout"  # seconds to reach the scheduler
TOPIC_PREFIX = "minihadoop-"
REFRESH_S = 2.0  # how often the tracker asks the scheduler for its workers during a job


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise JobConfigError(
            "mapreduce.framework.name=dask needs Dask distributed; install it with "
            "pip install 'minihadoop[dask]' (or use -D mapreduce.framework.name=cluster)"
        ) from None
    return distributed


def intermediate_dir(
    job: JobSubmission, conf: Configuration, workers_here: bool = True
) -> tuple[str, bool]:
    """Where `job`'s map outputs go, and whether this module must remove it at the end (a
    configured location; the defaults go with the job's local or staging directory: the local
    one only when every worker runs on this machine, `workers_here`)."""
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    from mapred.committer import FileOutputCommitter

    configured = conf.get_str(INTERMEDIATE_KEY)
    if configured:
        return f"{configured.rstrip('/')}/{job.job_id}", True
    local_output = isinstance(fsspec.core.url_to_fs(job.output)[0], LocalFileSystem)
    if local_output and workers_here:
        return os.path.join(job.local_dir, "intermediate"), False
    staging = FileOutputCommitter(job.output, job.job_id, conf).staging_url
    return f"{staging}/_temporary/_maps", False


def ship_cache(cache: dict[str, str], intermediate: str) -> dict[str, str]:
    """`cache` with its files on this machine's disk copied to ``<intermediate>/_cache/``,
    where workers on other machines can fetch them (URLs of shared storage stay as they are)."""
    import shutil

    import fsspec
    from fsspec.utils import get_protocol

    shipped = {}
    for name, source in cache.items():
        if get_protocol(source) not in ("file", "local"):
            shipped[name] = source
            continue
        path = fsspec.core.url_to_fs(source)[1]
        target = f"{intermediate.rstrip('/')}/_cache/{name}"
        out_fs, out_path = fsspec.core.url_to_fs(target)
        out_fs.makedirs(out_path.rpartition("/")[0], exist_ok=True)
        with open(path, "rb") as src, out_fs.open(out_path, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        shipped[name] = target
    return shipped


@dataclass
class _JobInfo:
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
        r = self.result
        if r is None:
            return TaskStatus(
                self.spec.attempt_id, self.state, self.progress, self.phase, self.status,
                error=self.error,
            )  # fmt: skip
        return TaskStatus(
            r.attempt_id,
            self.state,
            1.0 if self.state == SUCCEEDED else self.progress,
            self.phase,
            str(r.stats.get("status", "") or self.status),
            r.counters,
            self.error or r.error,
            r.traceback,
            r.location,
            r.map_output,
            r.stats,
            tuple(self.fetch_failures),
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
        self._jobs: dict[str, _JobInfo] = {}
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
    def add_job(self, job_id: str, info: _JobInfo) -> None:
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


class DaskMapReduce(JobTrackerClient):
    """A JobTracker in this process and its tracker on a Dask cluster."""

    def __init__(self, conf: Configuration, address: str = "") -> None:
        from mapred.jobtracker import JobTracker

        distributed = _distributed()
        self.address, self.cluster = address, None
        if address:
            try:
                timeout = conf.get_float(TIMEOUT_KEY, 30.0)
                self.client = distributed.Client(address, timeout=timeout)
            except (OSError, TimeoutError) as e:
                raise JobConfigError(
                    f"{SCHEDULER_KEY}: cannot reach the Dask scheduler at {address} ({e}); start "
                    "one (dask scheduler) or leave the key unset to run on this machine"
                ) from None
        else:
            self.cluster = _local_cluster(distributed)
            self.client = distributed.Client(self.cluster)
        self.jobtracker = JobTracker(conf)
        self.jobtracker.expiry = float("inf")  # its one tracker lives in this process
        self.tracker = DaskTracker(self.client, self.jobtracker, self.jobtracker.interval)
        self.tracker.refresh()
        self._drive = threading.Lock()
        _show_dashboard(self.client)

    @property
    def slots(self) -> int:
        return max(1, self.tracker.refresh())

    @property
    def alive(self) -> bool:
        return self.client.status == "running"

    def new_job_id(self) -> str:
        from mapred.embedded import new_job_id

        return new_job_id()

    def close(self) -> None:
        """Nothing to release: the client stays for the process's next job."""

    def submit(self, job: JobSubmission) -> JobStatus:
        conf = Configuration.from_dict(job.conf)
        self.tracker.refresh()
        inter, owned = intermediate_dir(job, conf, self.tracker.workers_here)
        settings = dict(job.conf)
        settings.update(
            {
                "mapreduce.job.reduce.slowstart.completedmaps": 1.0,
                "mapreduce.map.speculative": False,
                "mapreduce.reduce.speculative": False,
            }
        )
        job = dataclasses.replace(job, conf=settings)
        if not self.tracker.workers_here and job.cache:
            job = dataclasses.replace(job, cache=ship_cache(job.cache, inter))
        self.tracker.add_job(job.job_id, _JobInfo(TOPIC_PREFIX + job.job_id, inter, owned))
        status = self.jobtracker.submit_job(job)
        self.tracker.news = True
        return status

    def kill(self, job_id: str) -> bool:
        killed = self.jobtracker.kill_job(job_id)
        self.tracker.news = True
        return killed

    def run(self, job: JobSubmission, progress: Any = None) -> JobStatus:
        try:
            return super().run(job, progress)
        finally:
            self.tracker.end_job(job.job_id)
            self.jobtracker.forget(job.job_id)

    def wait(self, job_id: str, timeout: float | None = None, progress: Any = None) -> JobStatus:
        deadline = None if timeout is None else time.monotonic() + timeout
        shown = None
        while True:
            with self._drive:
                status = self.jobtracker.job_status(job_id)
                moved = (status.map_progress, status.reduce_progress)
                if progress is not None and moved != shown and status.state != "PREP":
                    shown = moved
                    progress(job_id, *moved)
                if status.done or (deadline is not None and time.monotonic() > deadline):
                    return status
                self.step()

    def step(self) -> None:
        """One round: take the tracker's news, heartbeat when due, tick the JobTracker."""
        tracker = self.tracker
        if not tracker.news:
            tracker.poll(tracker.next_heartbeat - time.monotonic())
        if tracker.news or time.monotonic() >= tracker.next_heartbeat:
            tracker.heartbeat()
        self.jobtracker.tick()

    def shutdown(self) -> None:
        for closing in (self.client, self.cluster):
            if closing is not None:
                try:
                    closing.close()
                except Exception as e:  # noqa: BLE001 - at exit: nothing more to do
                    log.debug("closing %s: %s", closing, e)


def _local_cluster(distributed: Any) -> Any:
    """One single-threaded worker process per usable core, everything on loopback."""
    from mapred.embedded import usable_cores

    return distributed.LocalCluster(
        n_workers=usable_cores(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )


def _show_dashboard(client: Any) -> None:
    """Print where the Dask dashboard is (what Hadoop's "url to track the job" would be)."""
    try:
        link = client.dashboard_link
    except Exception:  # noqa: BLE001 - no dashboard (bokeh missing): nothing to show
        link = ""
    stamp = time.strftime("%y/%m/%d %H:%M:%S")
    where = link or "none (install bokeh for Dask's dashboard)"
    sys.stderr.write(f"{stamp} INFO mapreduce.Job: The Dask dashboard: {where}\n")
    log.info("Dask scheduler %s, dashboard %s", client.scheduler.address, where)


_clusters: dict[str, DaskMapReduce] = {}
_clusters_lock = threading.Lock()
_atexit: list = []  # shutdown_dask, once registered


def get_dask_cluster(conf: Configuration) -> DaskMapReduce:
    """The process's connection to the Dask cluster `conf` names (made once, kept until
    exit); without ``mapreduce.dask.scheduler`` a LocalCluster started for this process."""
    address = (conf.get_str(SCHEDULER_KEY) or "").strip()
    with _clusters_lock:
        cluster = _clusters.get(address)
        if cluster is not None and not cluster.alive:
            cluster.shutdown()
            cluster = None
        if cluster is None:
            if not _atexit:
                _atexit.append(atexit.register(shutdown_dask))
            cluster = _clusters[address] = DaskMapReduce(conf, address)
        return cluster


def shutdown_dask() -> None:
    """Close every Dask client (and LocalCluster) this process opened."""
    with _clusters_lock:
        for cluster in _clusters.values():
            cluster.shutdown()
        _clusters.clear()
