"""Running a job from Python: inputs -> splits -> map tasks -> reduce tasks -> committed output.

Owns: one job's life cycle (ids, output setup, splits, distributed cache, sampling for total
order, both phases with retries through an executor, job commit or abort, counters, progress)
and ``JobResult``. Must not touch: what happens inside a task (``mapred.task``) or where tasks
run (``mapred.executor``).

>>> from mapred.api import Job
>>> # run_job(WordCount, ["in.txt"], "out/", executor="local").read_output()  # doctest: +SKIP

Policy: all map attempts are submitted at once; a failed attempt is resubmitted until
``mapreduce.map.maxattempts`` (``reduce.maxattempts``) attempts failed, then the job fails with
the last error, remaining attempts drain, and the job's staging directory is removed: a failed
or killed job leaves no output directory. The output appears by one rename at commit, and the
history says SUCCEEDED only after it.

Orphans: a job's id carries its process's pid (``job_local<pid>_<NNNN>``), and its local
directory (``<home>/mapred/local/<job>``) holds a marker naming its output. Every job start
removes the local directories of jobs whose process is gone, and their staging directories
through the marker; a live process's directories are never touched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from dfs import faults
from dfs.conf import DEFAULTS, Configuration, home_dir
from dfs.datanode import pid_alive
from mapred import counters as C
from mapred.api import Input, has_method, job_ref, resolve_job
from mapred.counters import Counters
from mapred.errors import JobConfigError, JobFailed, MapRedError
from mapred.executor import get_executor
from mapred.shuffle import segments_for_partition
from mapred.task import TaskResult, TaskSpec

log = logging.getLogger(__name__)

__all__ = [
    "run_job",
    "JobResult",
    "new_job_id",
    "make_conf",
    "read_output",
    "clean_orphaned_jobs",
    "process_alive",
]

Progress = Callable[[str, float, float], None]  # (job id, map fraction, reduce fraction)
_seq = count(1)


_JOB_ID = re.compile(r"job_local(\d+)_\d+")
JOB_MARKER = "job.json"  # in a job's local directory: its output, for cleaning up after a death


def new_job_id() -> str:
    """``job_local<pid>_<NNNN>``, as Hadoop's local runner names jobs (the pid: the owner)."""
    return f"job_local{os.getpid()}_{next(_seq):04d}"


def owner_pid(job_id: str) -> int | None:
    """The pid in a ``job_local<pid>_<NNNN>`` id (None for ids of another shape).

    >>> owner_pid("job_local4242_0003"), owner_pid("job_0007")
    (4242, None)
    """
    m = _JOB_ID.fullmatch(job_id)
    return int(m.group(1)) if m else None


def process_alive(pid: int) -> bool:
    """Is process `pid` on this machine running? A zombie (dead, not yet reaped) is not."""
    if not pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except FileNotFoundError:
        return not os.path.isdir("/proc/self")  # it just ended (or there is no /proc)
    except OSError:
        return True
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] != b"Z"


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
    from mapred.committer import FileOutputCommitter

    try:
        with open(os.path.join(directory, JOB_MARKER), encoding="utf-8") as f:
            output = json.load(f)["output"]
    except (FileNotFoundError, ValueError, KeyError):
        return  # no whole marker: the job died before its staging directory existed
    FileOutputCommitter(output, job_id, conf).abort_job()


def attempt_id(job_id: str, kind: str, index: int, attempt: int) -> str:
    return f"attempt_{job_id[4:]}_{kind}_{index:06d}_{attempt}"


def make_conf(conf: Configuration | Mapping[str, Any] | None) -> Configuration:
    if isinstance(conf, Configuration):
        return conf.copy()
    return Configuration(dict(conf or {}))


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
    import fsspec

    fs, path = fsspec.core.url_to_fs(output)
    if not fs.exists(path):
        return []
    names = [
        p for p in fs.ls(path, detail=False) if os.path.basename(p.rstrip("/")).startswith("part-")
    ]
    return [fs.unstrip_protocol(p) for p in sorted(names)]


def read_output(output: str, output_format: Any = "text") -> Iterator[tuple[Any, Any]]:
    """Read a job's output back: text lines split at the first TAB; record files as pairs."""
    import fsspec

    from mapred.output import RecordFileOutputFormat, get_output_format

    fmt = get_output_format(output_format)
    for url in part_files(output):
        if isinstance(fmt, RecordFileOutputFormat):
            from mapred.recordfile import read_records

            yield from read_records(url)
            continue
        with fsspec.open(url, "rt", encoding="utf-8") as f:
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
) -> JobResult:
    """Run `job` (a Job subclass or "module:Class") over `inputs`, writing `output`.

    `executor`: "local", "cluster" (default: ``mapreduce.framework.name``) or an executor."""
    conf = make_conf(conf)
    ref = job_ref(job)
    job_cls = resolve_job(job)
    job_id = new_job_id()
    name = name or conf.get_str("mapreduce.job.name") or job_cls.__name__
    started = time.perf_counter()
    run = _JobRun(job_id, name, job_cls, ref, _as_inputs(inputs), output, conf, executor, progress)
    result = run.execute()
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
    return first or str(home_dir(conf) / "mapred" / "local")


class _JobRun:
    """The state of one running job (ids, specs, results); `execute` runs it to the end."""

    def __init__(self, job_id, name, job_cls, ref, inputs, output, conf, executor, progress):
        self.job_id, self.name, self.job_cls, self.ref = job_id, name, job_cls, ref
        self.inputs, self.output, self.conf = inputs, output, conf
        self.executor_name = executor or conf.get_str("mapreduce.framework.name") or "cluster"
        self.progress = progress
        self.counters = Counters()
        self.local_dir = os.path.join(local_root(conf), job_id)
        self.num_reduces = num_reducers(job_cls, conf)

    def execute(self) -> JobResult:
        from mapred.committer import FileOutputCommitter

        self._check_storage()
        clean_orphaned_jobs(self.conf)
        committer = FileOutputCommitter(self.output, self.job_id, self.conf)
        self._claim_local_dir()
        try:
            committer.setup_job()
        except BaseException:
            shutil.rmtree(self.local_dir, ignore_errors=True)
            raise
        self._history("RUNNING")
        try:
            result = self._phases()
            if result.succeeded:
                self._history("RUNNING", committing=True)
                committer.commit_job()  # publishes the output by one rename
            else:
                committer.abort_job()
        except faults.InjectedCrash:
            raise  # a simulated death: nothing more happens in this process, as with SIGKILL
        except BaseException as e:
            _quietly(committer.abort_job)
            shutil.rmtree(self.local_dir, ignore_errors=True)
            killed = isinstance(e, (KeyboardInterrupt, SystemExit))
            self._history("KILLED" if killed else "FAILED", error=f"{type(e).__name__}: {e}")
            raise
        shutil.rmtree(self.local_dir, ignore_errors=True)
        self._history(result.state, error=result.error)
        return result

    def _claim_local_dir(self) -> None:
        """Create the job's local directory with its marker, before any staging exists."""
        os.makedirs(self.local_dir, exist_ok=True)
        marker = {"job_id": self.job_id, "output": self.output, "pid": os.getpid()}
        with open(os.path.join(self.local_dir, JOB_MARKER), "w", encoding="utf-8") as f:
            json.dump(marker, f)

    def _history(self, state: str, error: str = "", committing: bool = False) -> None:
        """Write the job's history record; `committing` marks a job about to publish (if it
        dies, `hadoop job` looks at the output to tell whether the publish happened)."""
        record = {
            "job_id": self.job_id,
            "name": self.name,
            "state": state,
            "committing": committing,
            "pid": os.getpid(),
            "output": self.output,
            "inputs": [i.path for i in self.inputs],
            "maps": getattr(self, "done_maps", 0),
            "total_maps": getattr(self, "total_maps", 0),
            "reduces": getattr(self, "done_reduces", 0),
            "total_reduces": self.num_reduces,
            "time": time.time(),
            "error": error,
            "counters": self.counters.to_dict(),
        }
        write_history(self.conf, record)

    def _check_storage(self) -> None:
        executor = get_executor(self.executor_name) if isinstance(self.executor_name, str) else None
        if executor is not None and executor.name != "local":
            urls = [self.output] + [i.path for i in self.inputs]
            private = [u for u in urls if str(u).startswith("memory://")]
            if private:
                raise JobConfigError(
                    f"{private[0]}: memory:// storage is private to one process; "
                    "run with executor='local' (-D mapreduce.framework.name=local) or use files"
                )

    def _phases(self) -> JobResult:
        os.makedirs(self.local_dir, exist_ok=True)
        base = self._base_spec()
        self.executor = get_executor(self.executor_name, self._workers())
        splits = self._splits(self.executor.slots)
        if self.num_reduces > 1 and getattr(self.job_cls, "partitioner", None) == "total_order":
            if not has_method(self.job_cls, "partition"):
                from mapred.partition import TOTAL_ORDER_CUTS
                from mapred.sampler import sample_cut_points

                cuts = sample_cut_points(
                    self.job_cls, self.inputs, splits, self.conf, self.num_reduces
                )
                base["conf"][TOTAL_ORDER_CUTS] = cuts
        log.info("Running job: %s", self.job_id)
        map_specs = [
            TaskSpec(
                kind="m",
                index=i,
                attempt=0,
                attempt_id=attempt_id(self.job_id, "m", i, 0),
                split=s.to_wire(),
                **base,
            )
            for i, s in enumerate(splits)
        ]
        self.total_maps, self.total_reduces = len(map_specs), self.num_reduces
        self.done_maps = self.done_reduces = 0
        self._report()
        maps, failure = self._phase(map_specs, "mapreduce.map.maxattempts")
        if failure is None and self.num_reduces:
            outputs = [r.map_output for r in maps]
            reduce_specs = [
                TaskSpec(
                    kind="r",
                    index=p,
                    attempt=0,
                    attempt_id=attempt_id(self.job_id, "r", p, 0),
                    segments=[list(s) for s in segments_for_partition(outputs, p)],
                    **base,
                )
                for p in range(self.num_reduces)
            ]
            _, failure = self._phase(reduce_specs, "mapreduce.reduce.maxattempts")
        return self._result(failure, maps)

    def _workers(self) -> int:
        m = self.conf.get_int("mapreduce.tasktracker.map.tasks.maximum", 0)
        r = self.conf.get_int("mapreduce.tasktracker.reduce.tasks.maximum", 0)
        return max(m, r) if m and r else (m or r)

    def _base_spec(self) -> dict[str, Any]:
        formats = [[_format_ref(i.format), i.mapper] for i in self.inputs]
        return dict(
            job_id=self.job_id,
            job_ref=self.ref,
            conf=self.conf.to_dict(),
            output=self.output,
            num_reduces=self.num_reduces,
            local_dir=self.local_dir,
            inputs=formats,
            cache=self._localize_cache(),
        )

    def _splits(self, slots: int) -> list[Any]:
        """Block-sized splits, re-cut into a multiple of `slots` even ones when that is shorter."""
        from mapred.io import balanced_max_size, expand_inputs, get_input_format

        sources = []
        for index, inp in enumerate(self.inputs):
            fmt = get_input_format(inp.format or self.job_cls.input_format)
            sources.append((index, fmt, expand_inputs([inp.path], self.conf)))
        splits = [s for i, fmt, urls in sources for s in fmt.get_splits(urls, self.conf, i)]
        floor = self.conf.get_bytes("mapreduce.job.split.balance.minsize")
        cap = balanced_max_size(splits, slots, floor)
        if not cap or not self.conf.get_bool("mapreduce.job.split.balance", True):
            return splits
        conf = self.conf.copy()
        limit = conf.get_bytes("mapreduce.input.fileinputformat.split.maxsize", 0)
        conf.set("mapreduce.input.fileinputformat.split.maxsize", min(cap, limit) if limit else cap)
        return [s for i, fmt, urls in sources for s in fmt.get_splits(urls, conf, i)]

    def _localize_cache(self) -> dict[str, str]:
        import fsspec

        names = list(getattr(self.job_cls, "files", ()) or ())
        extra = self.conf.get_str("mapreduce.job.cache.files") or self.conf.get_str("tmpfiles")
        names += [n.strip() for n in extra.split(",") if n.strip()] if extra else []
        cache_dir = os.path.join(self.local_dir, "cache")
        local: dict[str, str] = {}
        for url in names:
            source, _, alias = url.partition("#")  # Hadoop's file#linkname
            base = alias or os.path.basename(source.rstrip("/"))
            target = os.path.join(cache_dir, base)
            os.makedirs(cache_dir, exist_ok=True)
            try:
                with fsspec.open(source, "rb") as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except FileNotFoundError:
                raise JobConfigError(f"distributed cache file {url} does not exist") from None
            os.chmod(target, 0o444)
            local[base] = target
        return local

    def _phase(
        self, specs: list[TaskSpec], max_key: str
    ) -> tuple[list[TaskResult], TaskResult | None]:
        max_attempts = max(1, self.conf.get_int(max_key, 4))
        executor = self.executor
        results: list[TaskResult | None] = [None] * len(specs)
        by_attempt = {s.attempt_id: s for s in specs}
        failure = None
        for spec in specs:
            executor.submit(spec)
        outstanding = len(specs)
        while outstanding:
            result = executor.next_result()
            outstanding -= 1
            spec = by_attempt.pop(result.attempt_id)
            if result.ok:
                results[spec.index] = result
                self.counters.merge(result.counters)
                self._count_launch(spec.kind, failed=False)
                self._done(spec.kind)
                continue
            self._count_launch(spec.kind, failed=True)
            log.warning("Task attempt %s failed: %s", result.attempt_id, result.error)
            if failure is None and spec.attempt + 1 < max_attempts:
                n = spec.attempt + 1
                retry = spec.retry(n, attempt_id(self.job_id, spec.kind, spec.index, n))
                by_attempt[retry.attempt_id] = retry
                executor.submit(retry)
                outstanding += 1
            elif failure is None:
                failure = result
        return results, failure

    def _count_launch(self, kind: str, failed: bool) -> None:
        launched = C.LAUNCHED_MAPS if kind == "m" else C.LAUNCHED_REDUCES
        self.counters.increment(C.JOB_GROUP, launched, 1)
        if failed:
            self.counters.increment(
                C.JOB_GROUP, C.FAILED_MAPS if kind == "m" else C.FAILED_REDUCES, 1
            )

    def _done(self, kind: str) -> None:
        if kind == "m":
            self.done_maps += 1
        else:
            self.done_reduces += 1
        self._report()

    def _report(self) -> None:
        if self.progress is None:
            return
        m = self.done_maps / self.total_maps if self.total_maps else 1.0
        r = (
            self.done_reduces / self.total_reduces
            if self.total_reduces
            else (1.0 if m == 1.0 else 0.0)
        )
        self.progress(self.job_id, m, r)

    def _result(self, failure: TaskResult | None, maps: list) -> JobResult:
        stats = {
            "maps": len(maps),
            "reduces": self.num_reduces,
            "map_stats": [r.stats for r in maps if r is not None],
        }
        if failure is None:
            return JobResult(
                self.job_id,
                self.name,
                "SUCCEEDED",
                self.output,
                self.counters,
                self.job_cls.output_format,
                stats=stats,
            )
        max_key = (
            "mapreduce.map.maxattempts" if failure.kind == "m" else "mapreduce.reduce.maxattempts"
        )
        tries = failure.attempt_id.rsplit("_", 1)[1]
        times = int(tries) + 1
        message = (
            f"Job {self.job_id} failed: task {failure.attempt_id} failed {times} "
            f"time{'s' if times != 1 else ''}; last error: {failure.error}"
        )
        if failure.location:
            message += f" (at {failure.location})"
        log.debug("%s (limit %s=%s)", message, max_key, self.conf.get(max_key))
        return JobResult(
            self.job_id,
            self.name,
            "FAILED",
            self.output,
            self.counters,
            self.job_cls.output_format,
            error=message,
            failed_attempt=failure,
            stats=stats,
        )


def _quietly(action: Callable[[], Any]) -> None:
    """Run a clean-up step on the way out of a failure without hiding the failure."""
    try:
        action()
    except Exception as e:  # noqa: BLE001 - reported, and the original error goes on
        log.warning("clean-up after a failed job did not finish: %s", e)


def history_dir(conf: Configuration) -> str:
    return os.path.join(str(home_dir(conf)), "mapred", "history")


def write_history(conf: Configuration, record: Mapping[str, Any]) -> None:
    """Best effort: one JSON file per job under ``<home>/mapred/history`` (hadoop job)."""
    import json

    if not conf.get_bool("mapreduce.jobhistory.enabled", True):
        return
    directory = history_dir(conf)
    try:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{record['job_id']}.json")
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(tmp, path)
    except OSError as e:
        log.debug("cannot write job history: %s", e)


def _format_ref(fmt: Any) -> Any:
    """A msgpack-able reference to an input format: a name, "module:Class" or None."""
    if fmt is None or isinstance(fmt, str):
        return fmt
    cls = fmt if isinstance(fmt, type) else type(fmt)
    return f"{cls.__module__}:{cls.__qualname__}"
