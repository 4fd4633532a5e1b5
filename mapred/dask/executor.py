"""The ``dask`` framework: a JobTracker whose one tracker runs every attempt as a Dask task.

Owns: connecting to the Dask scheduler ``mapreduce.dask.scheduler`` names (``tcp://HOST:PORT``)
or, without one, starting a ``LocalCluster`` on 127.0.0.1 (one single-threaded worker process
per usable core) that lives as long as the command; a job's Dask settings, where its map
outputs and cache files go; driving the JobTracker and its tracker (``mapred.dask.tracker``:
launches become Dask tasks running ``mapred.dask.worker.run_attempt``, results and progress
events become attempt statuses) until a job ends. Must not touch: scheduling, retries, commit
arbitration and the job commit (the JobTracker's, exactly as in the other modes), or what runs
inside an attempt.

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
removes them) are files every worker can read; reducers copy their partition's byte range
from them. Splits carry their block hosts: workers on
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
import logging
import os
import sys
import threading
import time
from typing import Any

from dfs.conf import Configuration
from mapred.dask.tracker import DaskTracker, JobInfo
from mapred.errors import JobConfigError
from mapred.remote import JobTrackerClient
from mapred.trackerproto import JobStatus, JobSubmission

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
            try:
                self.cluster = _local_cluster(distributed)
            except Exception as e:  # noqa: BLE001 - Dask's reasons vary: say what to do
                raise JobConfigError(
                    f"cannot start a Dask LocalCluster on this machine ({type(e).__name__}: "
                    f"{e}); set {SCHEDULER_KEY} to a running scheduler (tcp://HOST:PORT)"
                ) from None
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
        self.tracker.add_job(job.job_id, JobInfo(TOPIC_PREFIX + job.job_id, inter, owned))
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
