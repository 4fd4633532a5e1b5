"""Running a job from Python: the job client's side of a JobTracker.

Owns: preparing one job for submission (an id from the cluster, the local directory and its
marker, the output's staging directory, splits, distributed cache files, sampling for total
order), submitting it to the cluster ``mapred.embedded.get_cluster`` names (the embedded
JobTracker, or a JobTracker daemon when one runs), following it, and ``JobResult``. Must not
touch: scheduling, retries or the commit (the JobTracker owns them) or what happens inside a
task (``mapred.task``).

>>> from mapred.api import Job
>>> # run_job(WordCount, ["in.txt"], "out/", executor="local").read_output()  # doctest: +SKIP

A failed or killed job leaves no output directory: the JobTracker publishes the output by one
rename at commit, and the history says SUCCEEDED only after it.

Orphans: a job's id carries its process's pid (``job_local<pid>_<NNNN>``), and its local
directory (``<home>/mapred/local/<job>``) holds a marker naming its output. Every job start
removes the local directories of jobs whose process is gone, and their staging directories
through the marker; a live process's directories are never touched.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Any

from dfs.conf import DEFAULTS, Configuration, current_user, home_dir
from dfs.fastclass import dataclass
from dfs.lazyre import LazyRegex
from dfs.runfiles import process_alive
from mapred.api import Input, has_method, job_ref, resolve_job
from mapred.counters import Counters
from mapred.errors import JobConfigError, JobFailed, MapRedError
from mapred.localfs import open_url, url_to_fs
from mapred.remote import RemoteJobTracker
from mapred.task import TaskResult
from mapred.trackerproto import JobStatus, JobSubmission

log = logging.getLogger(__name__)

__all__ = [
    "run_job",
    "JobResult",
    "make_conf",
    "read_output",
    "clean_orphaned_jobs",
    "process_alive",
]

Progress = Callable[[str, float, float], None]  # (job id, map fraction, reduce fraction)


_JOB_ID = LazyRegex(r"job_local(\d+)_\d+")
JOB_MARKER = "job.json"  # in a job's local directory: its output, for cleaning up after a death


def owner_pid(job_id: str) -> int | None:
    """The pid in a ``job_local<pid>_<NNNN>`` id (None for ids of another shape).

    >>> owner_pid("job_local4242_0003"), owner_pid("job_0007")
    (4242, None)
    """
    m = _JOB_ID.fullmatch(job_id)
    return int(m.group(1)) if m else None


def clean_orphaned_jobs(conf: Configuration) -> list[str]:
    """Remove what jobs of dead processes left behind: their local directories and, through
    the marker each holds, their output staging directories. Returns the ids cleaned."""
    root = local_root(conf)
    try:
        names = os.listdir(root)
    except OSError:
        return []
    cleaned = []
    for name in sorted(names):
        pid = owner_pid(name)
        if pid is None or process_alive(pid):
            continue
        directory = os.path.join(root, name)
        try:
            _abort_staging(directory, name, conf)
        except (OSError, ValueError, MapRedError) as e:  # kept: the next start tries again
            log.warning("cannot remove the staging directory of dead job %s: %s", name, e)
            continue
        shutil.rmtree(directory, ignore_errors=True)
        log.info("removed the leftovers of job %s (its process %d is gone)", name, pid)
        cleaned.append(name)
    return cleaned


def _abort_staging(directory: str, job_id: str, conf: Configuration) -> None:
    from mapred.committer import job_committer
    from mapred.output import NAMED_OUTPUTS

    try:
        with open(os.path.join(directory, JOB_MARKER), encoding="utf-8") as f:
            marker = json.load(f)
        output = marker["output"]
    except (FileNotFoundError, ValueError, KeyError):
        return  # no whole marker: the job died before its staging directory existed
    conf = conf.copy()
    conf.set(NAMED_OUTPUTS, marker.get("named_outputs") or [])  # and their publish record
    job_committer(output, job_id, conf).abort_job()


def make_conf(conf: Configuration | Mapping[str, Any] | None) -> Configuration:
    """A job's own Configuration from `conf`. Hadoop's deprecated names (``mapred.reduce.tasks``)
    are read as their new ones, as Hadoop's Configuration reads them (dfs.deprecation): a new
    name given as well (in a Configuration: set to other than its default) keeps its value."""
    from dfs.deprecation import DEPRECATED_KEYS, undeprecate

    def report(old: str, new: str) -> None:
        log.info("%s is deprecated. Instead, use %s", old, new)

    if not isinstance(conf, Configuration):
        return Configuration(undeprecate(dict(conf or {}), report))
    conf = conf.copy()
    for old, value in [(k, v) for k, v in conf.items() if k in DEPRECATED_KEYS]:
        new = DEPRECATED_KEYS[old]
        if new not in conf or conf.get(new) == DEFAULTS.get(new, object()):
            report(old, new)
            conf.set(new, value)
    return conf


@dataclass
class JobResult:
    """The outcome of a job: state, counters, output and the failure if any."""

    job_id: str
    name: str
    state: str  # SUCCEEDED | FAILED | KILLED
    output: str
    counters: Counters
    output_format: Any = "text"
    error: str = ""
    failed_attempt: TaskResult | None = None
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.state == "SUCCEEDED"

    @property
    def output_paths(self) -> list[str]:
        return part_files(self.output)

    def read_output(self) -> Iterator[tuple[Any, Any]]:
        """(key, value) pairs of every part file, in part order."""
        return read_output(self.output, self.output_format)

    def raise_for_state(self) -> JobResult:
        if not self.succeeded:
            raise JobFailed(self.error, job_id=self.job_id, task_error=self.error)
        return self


def part_files(output: str) -> list[str]:
    fs, path = url_to_fs(output)
    if not fs.exists(path):
        return []
    names = [
        p for p in fs.ls(path, detail=False) if os.path.basename(p.rstrip("/")).startswith("part-")
    ]
    return [fs.unstrip_protocol(p) for p in sorted(names)]


def read_output(output: str, output_format: Any = "text") -> Iterator[tuple[Any, Any]]:
    """Read a job's output back: text lines split at the first TAB; record files as pairs."""
    from mapred.output import RecordFileOutputFormat, get_output_format

    fmt = get_output_format(output_format)
    for url in part_files(output):
        if isinstance(fmt, RecordFileOutputFormat):
            from mapred.recordfile import read_records

            yield from read_records(url)
            continue
        with open_url(url, "rt", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("\t")
                yield key, value


def run_job(
    job: Any,
    inputs: Sequence[str | Input] | str,
    output: str,
    conf: Configuration | Mapping[str, Any] | None = None,
    executor: Any = None,
    *,
    progress: Progress | None = None,
    name: str = "",
    raise_on_failure: bool = False,
    wait: bool = True,
) -> JobResult:
    """Run `job` (a Job subclass or "module:Class") over `inputs`, writing `output`.

    `executor`: "local", "cluster" or "dask" (default: ``mapreduce.framework.name``). With
    ``wait=False`` the job is submitted to the running JobTracker daemon and the result (state
    RUNNING, or already ended) comes back at once: follow it with ``hadoop job -status``."""
    conf = make_conf(conf)
    ref = job_ref(job)
    job_cls = resolve_job(job)
    name = name or conf.get_str("mapreduce.job.name") or job_cls.__name__
    started = time.perf_counter()
    run = _JobRun(name, job_cls, ref, _as_inputs(inputs), output, conf, executor, progress)
    result = run.execute(wait)
    result.seconds = time.perf_counter() - started
    if raise_on_failure:
        result.raise_for_state()
    return result


def _as_inputs(inputs: Sequence[str | Input] | str) -> list[Input]:
    if isinstance(inputs, (str, Input)):
        inputs = [inputs]
    return [i if isinstance(i, Input) else Input(str(i)) for i in inputs]


def num_reducers(job_cls: type, conf: Configuration) -> int:
    """``-D mapreduce.job.reduces`` when set to a non-default value, else the job's own."""
    key = "mapreduce.job.reduces"
    value = conf.get_int(key)
    if value == DEFAULTS[key] and getattr(job_cls, "reducers", None) is not None:
        value = int(job_cls.reducers)
    if value < 0:
        raise JobConfigError(f"{key} must be >= 0, got {value}")
    return value


def local_root(conf: Configuration) -> str:
    configured = conf.get_str("mapreduce.cluster.local.dir")
    first = configured.split(",")[0].strip() if configured else ""
    return os.path.abspath(first) if first else str(home_dir(conf) / "mapred" / "local")


class _JobRun:
    """One job from the client's side: prepare, submit to the JobTracker, wait, report."""

    def __init__(self, name, job_cls, ref, inputs, output, conf, executor, progress):
        self.name, self.job_cls, self.ref = name, job_cls, ref
        self.inputs, self.output, self.conf = inputs, output, conf
        self.framework = executor or conf.get_str("mapreduce.framework.name") or "cluster"
        self.progress = progress
        self.num_reduces = num_reducers(job_cls, conf)
        self.job_id = self.local_dir = ""

    def execute(self, wait: bool = True) -> JobResult:
        from mapred.committer import job_committer
        from mapred.embedded import get_cluster  # the trackers: only a job's run needs them

        inline = self._inline()
        self._check_storage(inline)
        if self.framework == "dask" and self._cache_names("archives"):  # workers copy -files only
            raise JobConfigError(
                f"distributed cache archives ({', '.join(self._cache_names('archives'))}) are "
                "not unpacked on Dask workers; run with mapreduce.framework.name=cluster or local"
            )
        clean_orphaned_jobs(self.conf)
        if self.framework == "dask":  # Dask distributed: imported only when a job asks for it
            from mapred.dask.executor import get_dask_cluster

            cluster = get_dask_cluster(self.conf)
        else:
            cluster = get_cluster(self.conf, inline=inline)
        if not wait and not isinstance(cluster, RemoteJobTracker):
            cluster.close()
            raise JobConfigError(
                "a job can be left running only on a JobTracker daemon; start one with "
                "hadoop start-cluster (without daemons a job lives in the command running it)"
            )
        self.job_id = cluster.new_job_id()
        self.local_dir = os.path.join(local_root(self.conf), self.job_id)
        committer = job_committer(self.output, self.job_id, self.conf)
        self._claim_local_dir()
        try:
            committer.setup_job()
            submission = self._submission(cluster.slots, inline)
        except BaseException:
            _quietly(committer.abort_job)
            shutil.rmtree(self.local_dir, ignore_errors=True)
            raise
        log.info("Running job: %s", self.job_id)
        try:
            status = cluster.run(submission, self.progress) if wait else cluster.submit(submission)
        finally:
            cluster.close()
            if inline and (submission.cache or submission.archives):  # the local runner's links
                from mapred.cache import remove_links

                names = [*submission.cache, *submission.archives]
                remove_links(names, os.getcwd(), self.local_dir)
        return self._result(status)

    def _inline(self) -> bool:
        name = self.framework
        if name in ("local", "inline"):
            return True
        if name in ("cluster", "classic", "jobtracker", "yarn", "process", "dask"):
            return False
        raise JobConfigError(
            f"mapreduce.framework.name: unknown framework {name!r}; "
            "use 'local', 'cluster' or 'dask'"
        )

    def _claim_local_dir(self) -> None:
        """Create the job's local directory with its marker, before any staging exists."""
        os.makedirs(self.local_dir, exist_ok=True)
        marker = {"job_id": self.job_id, "output": self.output, "pid": os.getpid()}
        marker["named_outputs"] = self.conf.get("mapreduce.multipleoutputs.dirs") or []
        with open(os.path.join(self.local_dir, JOB_MARKER), "w", encoding="utf-8") as f:
            json.dump(marker, f)

    def _check_storage(self, inline: bool) -> None:
        if inline:
            return
        from mapred.output import named_outputs

        urls = [self.output] + [i.path for i in self.inputs]
        urls += [o.path for o in named_outputs(self.conf)]
        private = [u for u in urls if str(u).startswith("memory://")]
        if private:
            raise JobConfigError(
                f"{private[0]}: memory:// storage is private to one process; "
                "run with executor='local' (-D mapreduce.framework.name=local) or use files"
            )

    def _submission(self, slots: int, inline: bool) -> JobSubmission:
        conf = self.conf.copy()
        if inline:  # one task at a time, in order: reduces after every map, no backups
            conf.set("mapreduce.job.reduce.slowstart.completedmaps", 1.0)
            conf.set("mapreduce.map.speculative", False)
            conf.set("mapreduce.reduce.speculative", False)
        splits = self._splits(max(1, slots))
        total_order = getattr(self.job_cls, "partitioner", None) == "total_order"
        if self.num_reduces > 1 and total_order and not has_method(self.job_cls, "partition"):
            from mapred.partition import TOTAL_ORDER_CUTS
            from mapred.sampler import sample_cut_points

            cuts = sample_cut_points(self.job_cls, self.inputs, splits, self.conf, self.num_reduces)
            conf.set(TOTAL_ORDER_CUTS, cuts)
        return JobSubmission(
            job_id=self.job_id,
            name=self.name,
            user=current_user(),
            job_ref=self.ref,
            conf=conf.to_dict(),
            output=self.output,
            output_format=_format_ref(self.job_cls.output_format),
            num_reduces=self.num_reduces,
            local_dir=self.local_dir,
            inputs=[[_format_ref(i.format), i.mapper] for i in self.inputs],
            splits=[s.to_wire() for s in splits],
            cache=self._cache_sources(),
            archives=self._cache_sources("archives"),
            input_paths=tuple(i.path for i in self.inputs),
        )

    def _splits(self, slots: int) -> list[Any]:
        """Block-sized splits; each input's re-cut into a multiple of `slots` even ones when
        that is shorter (``mapreduce.job.split.balance``), input by input: inputs cost
        differently per byte (a join's small table may take as long per split as a big one's
        half), so every slot gets an even share of each, not of their bytes summed.

        Pieces are no smaller than ``mapreduce.job.split.balance.minsize`` (4 MiB), except
        for an input of fewer splits than there are slots: it would run on some of them while
        the others wait (a 3 MiB file whole on one core of two), so it is cut into one split
        per slot down to ``mapreduce.job.split.balance.fill.minsize`` (256 KiB: a task costs
        a few ms to start, about what a piece that small costs to read)."""
        from mapred.io import balanced_max_size, expand_inputs, get_input_format

        floor = self.conf.get_bytes("mapreduce.job.split.balance.minsize")
        fill = min(floor, self.conf.get_bytes("mapreduce.job.split.balance.fill.minsize"))
        balance = slots > 1 and self.conf.get_bool("mapreduce.job.split.balance", True)
        limit = self.conf.get_bytes("mapreduce.input.fileinputformat.split.maxsize", 0)
        splits = []
        for index, inp in enumerate(self.inputs):
            fmt = get_input_format(inp.format or self.job_cls.input_format)
            urls = expand_inputs([inp.path], self.conf)
            own = fmt.get_splits(urls, self.conf, index)
            least = fill if len(own) < slots else floor
            cap = balanced_max_size(own, slots, least) if balance else 0
            if cap:
                conf = self.conf.copy()
                key = "mapreduce.input.fileinputformat.split.maxsize"
                conf.set(key, min(cap, limit) if limit else cap)
                own = fmt.get_splits(urls, conf, index)
            splits += own
        return splits

    def _cache_names(self, kind: str) -> list[str]:
        """The job's `kind` ("files" or "archives") as given: its class attribute, then
        ``mapreduce.job.cache.<kind>`` or ``tmp<kind>`` (-files, -archives)."""
        names = list(getattr(self.job_cls, kind, ()) or ())
        key = f"mapreduce.job.cache.{kind}"
        extra = self.conf.get_str(key) or self.conf.get_str(f"tmp{kind}")
        return names + ([n.strip() for n in extra.split(",") if n.strip()] if extra else [])

    def _cache_sources(self, kind: str = "files") -> dict[str, str]:
        """The job's distributed cache, ``{link name: URL}``: files on the DFS (or any
        storage) stay where they are, local files are named by absolute path; each
        TaskTracker copies them to its own local directory before the job's first task
        there. Hadoop's ``file#linkname`` picks the name. `kind` "archives": the job's
        ``archives`` (``-archives``, ``mapreduce.job.cache.archives``), which a tracker
        also unpacks (`mapred.cache`)."""
        names = self._cache_names(kind)
        what = "distributed cache file" if kind == "files" else "distributed cache archive"
        sources: dict[str, str] = {}
        for url in names:
            source, _, alias = url.partition("#")
            if "://" not in source:
                source = os.path.abspath(source)
            try:
                fs, path = url_to_fs(source)
                found = fs.isfile(path)
            except (OSError, ValueError) as e:
                raise JobConfigError(f"{what} {url}: {e}") from None
            if not found:
                raise JobConfigError(f"{what} {url} does not exist")
            sources[alias or os.path.basename(source.rstrip("/"))] = source
        return sources

    def _result(self, status: JobStatus) -> JobResult:
        stats = {
            "maps": status.maps,
            "reduces": status.reduces,
            "map_stats": list(status.map_stats),
            "reduce_stats": list(status.reduce_stats),
        }
        failed = None
        if status.failed_attempt:
            kind = "m" if "_m_" in status.failed_attempt else "r"
            failed = TaskResult(
                status.failed_attempt,
                kind,
                int(status.failed_attempt.rsplit("_", 2)[1]),
                False,
                error=status.failed_error,
                traceback=status.failed_traceback,
                location=status.failed_location,
            )
        return JobResult(
            self.job_id,
            self.name,
            status.state,
            self.output,
            Counters(status.counters),
            self.job_cls.output_format,
            error=status.error,
            failed_attempt=failed,
            stats=stats,
        )


def _quietly(action: Callable[[], Any]) -> None:
    """Run a clean-up step on the way out of a failure without hiding the failure."""
    try:
        action()
    except Exception as e:  # noqa: BLE001 - reported, and the original error goes on
        log.warning("clean-up after a failed job did not finish: %s", e)


def _format_ref(fmt: Any) -> Any:
    """A msgpack-able reference to an input format: a name, "module:Class" or None."""
    if fmt is None or isinstance(fmt, str):
        return fmt
    cls = fmt if isinstance(fmt, type) else type(fmt)
    return f"{cls.__module__}:{cls.__qualname__}"
