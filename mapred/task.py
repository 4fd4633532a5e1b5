"""Task runners: one map or reduce task attempt, from a plain TaskSpec to a plain TaskResult.

Owns: what happens inside one attempt (import the job, read the split, map, buffer/spill/merge,
or fetch/merge/group/reduce, write through the committer) and turning any failure into a
TaskResult with the traceback and the failing record's location. Must not touch: scheduling,
retries or other attempts; ``run_task`` never raises, so any executor (inline, process pool, a
TaskTracker) can call it.

Both messages are frozen dataclasses with ``to_wire()``/``from_wire()`` (msgpack-ready lists):
the job travels by reference ("module:Class"), never pickled.

The map hot path is a C-level pipeline: ``zip(reader, count())`` counts input records,
``starmap(mapper, ...)`` calls the job, ``chain.from_iterable(filter(None, ...))`` flattens its
pairs into the buffer's single loop. A job with ``map_batch`` gets (keys, values) batches from
the input format's ``read_batches`` through the same pipeline, one call per batch.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import field
from itertools import chain, count, islice, starmap
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred import counters as C
from mapred.api import Context, has_method, resolve_job
from mapred.buffer import CombiningBuffer, SortingBuffer
from mapred.errors import JobConfigError
from mapred.grouping import group_batches, group_runs, grouping_key, groups
from mapred.merge import merge_blocks
from mapred.partition import make_partitioner, make_sort_key
from mapred.shuffle import fetch_local, gather_segments
from mapred.trackerproto import Umbilical
from mapred.usercode import explain_output_error, hook_location, user_traceback

if TYPE_CHECKING:
    from mapred.output import CountingFile

__all__ = [
    "TaskSpec",
    "TaskResult",
    "run_task",
    "run_map_task",
    "run_reduce_task",
    "sort_buffer_bytes",
    "CommitDenied",
]

_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """Everything one attempt needs. ``kind`` is "m" or "r"."""

    kind: str
    job_id: str
    attempt_id: str
    index: int
    attempt: int
    job_ref: str
    conf: dict[str, Any]
    output: str
    num_reduces: int
    local_dir: str
    inputs: list = field(default_factory=list)  # [[format spec or None, mapper name or None]]
    split: list | None = None  # InputSplit.to_wire()
    cache: dict[str, str] = field(default_factory=dict)
    num_maps: int = 0  # reduce: how many map outputs to fetch (through the umbilical)
    archives: dict[str, str] = field(default_factory=dict)  # link name -> URL, to unpack

    def to_wire(self) -> list:
        return [getattr(self, f) for f in self.__slots__]

    @classmethod
    def from_wire(cls, data: list) -> TaskSpec:
        return cls(*data)

    def retry(self, attempt: int, attempt_id: str) -> TaskSpec:
        values = self.to_wire()
        values[self.__slots__.index("attempt")] = attempt
        values[self.__slots__.index("attempt_id")] = attempt_id
        return TaskSpec(*values)


@dataclass(frozen=True, slots=True)
class TaskResult:
    """The outcome of one attempt. Failures carry ``error`` (one line), ``traceback`` and
    ``location`` (``file:offset`` of the failing input record, or the reduce key)."""

    attempt_id: str
    kind: str
    index: int
    ok: bool
    counters: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str = ""
    traceback: str = ""
    location: str = ""
    map_output: list | None = None  # [path, index]
    stats: dict[str, Any] = field(default_factory=dict)

    def to_wire(self) -> list:
        return [getattr(self, f) for f in self.__slots__]

    @classmethod
    def from_wire(cls, data: list) -> TaskResult:
        return cls(*data)


#: Set in a TaskTracker's child process: each attempt resets the process's peak resident set
#: first, so the peak counters are the attempt's own (an inline task reports its process's).
OWN_PROCESS = False


def _reset_peak_memory() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident set (Linux)
    except OSError:
        pass


def peak_memory() -> int:
    """The peak resident set of this process, in bytes (VmHWM; ru_maxrss where no /proc)."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class CommitDenied(Exception):
    """Another attempt of this task committed first (a speculative twin); this one stops."""


def run_task(spec: TaskSpec | list, umbilical: Umbilical) -> TaskResult:
    """Run one attempt; every failure becomes a TaskResult with ``ok=False``.

    The attempt reports progress through its TaskTracker's `umbilical`, asks it before
    publishing output, and a reduce learns from it where the map outputs are."""
    if not isinstance(spec, TaskSpec):
        spec = TaskSpec.from_wire(spec)
    # What lives before the task (modules, a Pig script's grammar and plans) lives after it:
    # the collector's full passes during the task skip it (a task allocates containers by the
    # hundred thousand, and each full pass would walk everything). Unfrozen when it ends.
    gc.freeze()
    if OWN_PROCESS:
        _reset_peak_memory()
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        if spec.kind == "m":
            return run_map_task(spec, umbilical)
        return run_reduce_task(spec, umbilical)
    except Exception as e:  # noqa: BLE001 - the boundary: report, never raise
        return _failure(spec, e, getattr(e, "_mr_location", ""))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _failure(spec: TaskSpec, e: BaseException, location: str) -> TaskResult:
    _abort_quietly(spec)
    shown = getattr(e, "_mr_explained", None) or e
    return TaskResult(
        spec.attempt_id,
        spec.kind,
        spec.index,
        False,
        error=f"{type(shown).__name__}: {shown}",
        traceback=f"{type(shown).__name__}: {shown}\n" if shown is not e else user_traceback(e),
        location=location,
    )


def _blame(e: Exception, location: str, explained: Exception | None = None) -> None:
    """Mark `e` with where it happened and, for a user's mistake the framework tripped over,
    the explanation reported in its place."""
    e._mr_location = location
    if explained is not None:
        e._mr_explained = explained


def _abort_quietly(spec: TaskSpec) -> None:
    try:
        shutil.rmtree(os.path.join(spec.local_dir, spec.attempt_id), ignore_errors=True)
        conf = Configuration.from_dict(spec.conf)
        if spec.kind == "r" or spec.num_reduces == 0 or _named_outputs(spec, conf) is not None:
            _committer(spec, conf).abort_task(spec.attempt_id)
    except Exception:  # noqa: BLE001 - best effort; the job abort removes everything anyway
        pass


def _committer(spec: TaskSpec, conf: Configuration) -> Any:
    from mapred.committer import job_committer

    return job_committer(spec.output, spec.job_id, conf)


def _named_outputs(spec: TaskSpec, conf: Configuration) -> Any:
    """The attempt's named outputs (`mapred.multipleoutputs`), or None: the job has none."""
    if not conf.get("mapreduce.multipleoutputs.dirs"):  # mapred.output.NAMED_OUTPUTS
        return None
    from mapred.multipleoutputs import task_outputs

    return task_outputs(spec, conf)


def sort_buffer_bytes(conf: Configuration) -> int:
    """The spill threshold: io.sort.mb (may be fractional, or a size like 64k) x spill.percent."""
    raw = conf.get("mapreduce.task.io.sort.mb", 100)
    text = str(raw).strip().lower()
    mb = float(text) if text.replace(".", "", 1).isdigit() else None
    total = int(mb * (1 << 20)) if mb is not None else conf.get_bytes("mapreduce.task.io.sort.mb")
    if total <= 0:
        raise JobConfigError(
            f"Invalid value for mapreduce.task.io.sort.mb: {raw}; it must be more than 0"
        )
    return max(1, int(total * conf.get_float("mapreduce.map.sort.spill.percent", 0.8)))


def _hook(job: Any, specific: str, general: str) -> Any:
    """``map_setup`` (etc.) when the job defines it, else the general ``setup``/``cleanup``."""
    return getattr(job, specific) if has_method(type(job), specific) else getattr(job, general)


#: the task's own properties (the MapReduce tutorial's "Configured Parameters", set as
#: Task.localizeConfiguration and MapTask do) -> their deprecated names, set too, as Hadoop's
#: Configuration reads an old name as its new one
_LOCALIZED = {
    "mapreduce.job.id": "mapred.job.id",
    "mapreduce.task.id": "mapred.tip.id",
    "mapreduce.task.attempt.id": "mapred.task.id",
    "mapreduce.task.ismap": "mapred.task.is.map",
    "mapreduce.task.partition": "mapred.task.partition",
    "mapreduce.job.local.dir": "job.local.dir",
    "mapreduce.map.input.file": "map.input.file",
    "mapreduce.map.input.start": "map.input.start",
    "mapreduce.map.input.length": "map.input.length",
}


def _localize(conf: Configuration, spec: TaskSpec, split: Any) -> None:
    """Set `_LOCALIZED` in this task's configuration (a map's input file, start and length
    from its split); ``mapreduce.task.is.map`` as well, the tutorial's spelling of ismap."""
    attempt = spec.attempt_id  # attempt_<job>_m_000003_0 -> task_<job>_m_000003
    values = {
        "mapreduce.job.id": spec.job_id,
        "mapreduce.task.id": "task_" + attempt.removeprefix("attempt_").rsplit("_", 1)[0],
        "mapreduce.task.attempt.id": attempt,
        "mapreduce.task.ismap": spec.kind == "m",
        "mapreduce.task.partition": spec.index,
        "mapreduce.job.local.dir": spec.local_dir,
    }
    if split is not None:
        values.update({"mapreduce.map.input.file": split.url,
                       "mapreduce.map.input.start": split.start,
                       "mapreduce.map.input.length": split.length})
    for key, value in values.items():
        conf.set(key, value)
        conf.set(_LOCALIZED[key], value)
    conf.set("mapreduce.task.is.map", spec.kind == "m")


def _new_job(spec: TaskSpec, conf: Configuration, split: Any = None, partition: Any = None) -> Any:
    _localize(conf, spec, split)
    job = resolve_job(spec.job_ref)()
    job.context = Context(conf, spec.attempt_id, spec.job_id, spec.cache, split, partition)
    job.context.outputs = _named_outputs(spec, conf)
    return job


# -- map ------------------------------------------------------------------------------------------
def run_map_task(spec: TaskSpec, umbilical: Umbilical) -> TaskResult:
    from mapred.io import InputSplit, get_input_format

    started = time.perf_counter()
    conf = Configuration.from_dict(spec.conf)
    split = InputSplit.from_wire(spec.split)
    job = _new_job(spec, conf, split=split)
    fmt_spec, mapper_name = spec.inputs[split.input_index] if spec.inputs else (None, None)
    fmt = get_input_format(fmt_spec or type(job).input_format)
    counted = count()
    sink = _map_sink(spec, conf, job, umbilical)
    batches = None
    umbilical.watch(_map_probe(fmt, split, counted, job.context, sink))
    stage = "setup"  # or the mapper's name, or "cleanup": what a failure is blamed on
    try:
        _hook(job, "map_setup", "setup")()
        stage = mapper_name or "map"
        batch_mapper = getattr(job, f"{stage}_batch", None)
        if batch_mapper is not None:  # Hadoop's Mapper.run override: the job takes batches
            stage += "_batch"
            batches = _CountedBatches(fmt.read_batches(split, conf))
            umbilical.watch(_map_probe(fmt, split, batches, job.context, sink))
            sink.consume(chain.from_iterable(filter(None, starmap(batch_mapper, batches))))
        else:  # looked up after setup, which may bind the mapper (Pig: one per input)
            mapper = getattr(job, stage)
            records = map(_first, zip(fmt.read(split, conf), counted, strict=False))
            sink.consume(chain.from_iterable(filter(None, starmap(mapper, records))))
        stage = "cleanup"
        tail = _hook(job, "map_cleanup", "cleanup")()
        if tail is not None:
            sink.consume_last(tail)
    except Exception as e:
        sink.abort()
        if job.context.outputs is not None:
            job.context.outputs.abort()
        name = type(job).__name__
        if stage == "setup":
            _blame(e, hook_location(stage, name))
        elif stage == "cleanup":  # what cleanup returned is map output too
            _blame(e, hook_location(stage, name), explain_output_error(e, stage, name))
        else:
            failed = batches.first if batches is not None else next(counted) - 1
            where = _locate(fmt_spec or type(job).input_format, split, conf, failed)
            _blame(e, where, explain_output_error(e, stage, name))
        raise
    ctx_counters = job.context.counters
    named = _close_named(job.context.outputs, ctx_counters)
    output = sink.close()  # map-only: commits the attempt's outputs, the named ones too
    if named and spec.num_reduces:  # the named outputs a map wrote beside its map output
        _commit(job.context.outputs.committer, spec, umbilical)
    n_in = batches.total if batches is not None else next(counted)
    fw = C.TASK_GROUP
    ctx_counters.increment(fw, C.MAP_INPUT_RECORDS, n_in)
    ctx_counters.increment(fw, C.MAP_INPUT_BYTES, fmt.bytes_read)
    ctx_counters.increment(C.INPUT_GROUP, C.BYTES_READ, fmt.bytes_read)
    if spec.inputs and len(spec.inputs) > 1:  # each input's records (Pig's summary shows them)
        name = f"Input records from _{split.input_index}"
        ctx_counters.increment(C.MULTI_INPUT_GROUP, name, n_in)
    _count_malformed(fmt, split, spec, ctx_counters)
    sink.add_counters(ctx_counters)
    ctx_counters.merge({fw: {C.PEAK_MAP_MEMORY: peak_memory()}})
    stats = sink.stats_dict()
    stats["seconds"] = time.perf_counter() - started
    stats["status"] = job.context.status
    return TaskResult(
        spec.attempt_id,
        "m",
        spec.index,
        True,
        ctx_counters.to_dict(),
        map_output=output,
        stats=stats,
    )


MALFORMED_INPUT = "Malformed UTF-8 input (replaced by U+FFFD)"


def _count_malformed(fmt: Any, split: Any, spec: TaskSpec, counters: Any) -> None:
    """Text that was not UTF-8 (read as U+FFFD, as Hadoop's Text does): counted, warned once."""
    malformed = getattr(fmt, "malformed", None)
    if malformed and malformed[0]:
        counters.increment(C.INPUT_GROUP, MALFORMED_INPUT, malformed[0])
        log.warning(
            "%s: %d byte sequences of %s are not UTF-8 and were read as U+FFFD",
            spec.attempt_id,
            malformed[0],
            split.url,
        )


def _map_probe(fmt: Any, split: Any, records: Any, context: Any, sink: Any) -> Any:
    """Progress of a map for its tracker, and a token that changes whenever the task moved
    (bytes, records, its status, context.progress(), map output written). As Hadoop's: with
    reducers, reading the split is the first two thirds (phase MAP) and writing the sorted map
    output (the final merge of its spills) the last third (phase SORT); map-only, reading is
    all of it."""
    sorting = getattr(sink, "sorting", None)  # [records written, records to write]

    def probe() -> tuple[float, str, str, tuple]:
        taken = _taken(records)
        read = fmt.progress(split, taken)
        if sorting is None:
            moved = (fmt.bytes_read, taken, context.status, context.ticks)
            return read, "MAP", context.status, moved
        done, total = sorting
        moved = (fmt.bytes_read, taken, context.status, context.ticks, done, total)
        if not total:
            return 2 / 3 * read, "MAP", context.status, moved
        return 2 / 3 + 1 / 3 * min(1.0, done / total), "SORT", context.status, moved

    return probe


def _taken(records: Any) -> int:
    """Records a map has taken so far: an ``itertools.count`` (its repr is ``count(N)``, read
    without advancing it) or the batches' first record."""
    if isinstance(records, _CountedBatches):
        return records.first
    return int(repr(records)[6:-1])


class _CountedBatches:
    """(keys, values) batches, counting records; `first` indexes the current batch's first."""

    def __init__(self, batches: Iterator[tuple[Any, list]]) -> None:
        self._batches = batches
        self.first = self.total = 0

    def __iter__(self) -> Iterator[tuple[Any, list]]:
        for keys, values in self._batches:
            self.first = self.total
            self.total += len(values)
            yield keys, values


def _locate(fmt_spec: Any, split: Any, conf: Configuration, record_index: int) -> str:
    """``url:offset`` of the record that failed (re-read on the failure path only)."""
    if record_index < 0:
        return f"{split.url}:{split.start}"
    try:
        from mapred.io import get_input_format

        reader = get_input_format(fmt_spec).read(split, conf)
        key = next(islice(reader, record_index, None))[0]
    except Exception:  # noqa: BLE001
        return f"{split.url} record {record_index}"
    if type(key) is int:
        return f"{split.url}:{key}"
    return f"{split.url} record {record_index} (key {key!r})"


def _map_sink(spec: TaskSpec, conf: Configuration, job: Any, umbilical: Any) -> Any:
    if spec.num_reduces == 0:
        return _DirectSink(spec, conf, job, umbilical)
    return _BufferSink(spec, conf, job)


class _BufferSink:
    """Map output through a MapOutputBuffer into a partitioned file.out."""

    def __init__(self, spec: TaskSpec, conf: Configuration, job: Any) -> None:
        n = spec.num_reduces
        combine = job.combine if has_method(type(job), "combine") else None
        kwargs = dict(
            num_partitions=n,
            partition=make_partitioner(job, n, conf),
            sort_key=make_sort_key(job),
            limit_bytes=sort_buffer_bytes(conf),
            spill_dir=os.path.join(spec.local_dir, spec.attempt_id),
            factor=conf.get_int("mapreduce.task.io.sort.factor", 10),
            min_spills_for_combine=conf.get_int("mapreduce.map.combine.minspills", 3),
            combine=combine,
        )
        self.buffer = (CombiningBuffer if combine else SortingBuffer)(**kwargs)
        self.consume = self.buffer.consume
        self.consume_last = self.buffer.consume_last  # map_cleanup's pairs: nothing after them
        self.sorting = self.buffer.sorting  # the sort phase's [records written, to write]

    def close(self) -> list:
        path, index = self.buffer.close()
        return [path, [list(entry) for entry in index]]

    def abort(self) -> None:
        shutil.rmtree(self.buffer.spill_dir, ignore_errors=True)

    def add_counters(self, counters: Any) -> None:
        s, fw = self.buffer.stats, C.TASK_GROUP
        counters.increment(fw, C.MAP_OUTPUT_RECORDS, s.output_records)
        counters.increment(fw, C.MAP_OUTPUT_BYTES, s.output_bytes)
        if self.buffer.combine_fn is not None:
            counters.increment(fw, C.COMBINE_INPUT_RECORDS, s.combine[0])
            counters.increment(fw, C.COMBINE_OUTPUT_RECORDS, s.combine[1])
        counters.increment(fw, C.SPILLED_RECORDS, s.spilled_records)

    def stats_dict(self) -> dict[str, Any]:
        s = self.buffer.stats
        return {"spills": s.spills, "peak_bytes": s.peak_bytes, "limit_bytes": self.buffer.limit}


def _open_part(
    spec: TaskSpec, conf: Configuration, job: Any, kind: str
) -> tuple[Any, Any, CountingFile]:
    from mapred.output import CountingFile, NullOutputFormat, NullRecordWriter, get_output_format

    fmt = get_output_format(type(job).output_format)
    committer = _committer(spec, conf)
    if type(fmt) is NullOutputFormat:  # Hadoop's writes no file: no part file to create,
        return committer, NullRecordWriter(), CountingFile(None)  # close, commit and publish
    ext = (
        fmt.get_extension(conf) if hasattr(fmt, "get_extension") else getattr(fmt, "extension", "")
    )
    name = f"part-{kind}-{spec.index:05d}{ext}"  # '.gz' for compressed text output
    raw = CountingFile(committer.open_task_output(spec.attempt_id, name))
    return committer, fmt.open_writer(raw, conf), raw


def _write_pairs(writer: Any, pairs: Iterable[tuple[Any, Any]]) -> int:
    """Every pair through the writer's batch form (a RecordWriter's), else one by one."""
    many = getattr(writer, "write_pairs", None)
    if many is not None:
        return many(pairs)
    n = 0
    for k, v in pairs:
        writer.write(k, v)
        n += 1
    return n


class _DirectSink:
    """Map-only: map output goes straight to the output format as part-m-NNNNN."""

    def __init__(self, spec: TaskSpec, conf: Configuration, job: Any, umbilical: Any) -> None:
        self.spec, self.umbilical = spec, umbilical
        self.committer, self.writer, self.raw = _open_part(spec, conf, job, "m")
        self.records = 0

    def consume(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        self.records += _write_pairs(self.writer, pairs)

    consume_last = consume

    def close(self) -> None:
        self.writer.close()
        _commit(self.committer, self.spec, self.umbilical)

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.committer.abort_task(self.spec.attempt_id)

    def add_counters(self, counters: Any) -> None:
        counters.increment(C.TASK_GROUP, C.MAP_OUTPUT_RECORDS, self.records)
        counters.increment(C.OUTPUT_GROUP, C.BYTES_WRITTEN, self.raw.written)

    def stats_dict(self) -> dict[str, Any]:
        return {}


# -- reduce ---------------------------------------------------------------------------------------
def run_reduce_task(spec: TaskSpec, umbilical: Umbilical) -> TaskResult:
    started = time.perf_counter()
    conf = Configuration.from_dict(spec.conf)
    job = _new_job(spec, conf, partition=spec.index)
    fetched = [0]  # map outputs in hand, for the shuffle's progress
    umbilical.watch(_shuffle_probe(fetched, spec.num_maps, job.context))
    segments = _shuffle(spec, umbilical, fetched) if spec.num_maps else []
    streams, shuffle_bytes, n_records = fetch_local(segments)
    committer, writer, raw = _open_part(spec, conf, job, "r")
    consumed = [0]  # records merged, a block at a time, for the progress probe
    merged = _counted_blocks(merge_blocks(streams), consumed)
    umbilical.watch(_reduce_probe(consumed, n_records, job.context))
    state = [None, 0]  # the key of the group being reduced, groups so far
    stage = "setup"
    try:
        _hook(job, "reduce_setup", "setup")()
        stage = "reduce"
        out = _write_pairs(writer, _reduced(job, merged, state))
        stage = "cleanup"
        tail = _hook(job, "reduce_cleanup", "cleanup")()
        if tail:
            out += _write_pairs(writer, tail)
        writer.close()
    except Exception as e:
        writer.close()
        if job.context.outputs is not None:
            job.context.outputs.abort()
        name = type(job).__name__
        if stage != "reduce":
            explained = explain_output_error(e, stage, name) if stage == "cleanup" else None
            _blame(e, hook_location(stage, name), explained)
        else:
            key = state[0]
            where = f"reduce key {key!r}" if key is not None else ""
            _blame(e, where, explain_output_error(e, "reduce", name))
        raise
    groups = state[1]
    ctx = job.context.counters
    _close_named(job.context.outputs, ctx)
    _commit(committer, spec, umbilical)
    fw = C.TASK_GROUP
    ctx.increment(fw, C.REDUCE_SHUFFLE_BYTES, shuffle_bytes)
    ctx.increment(fw, C.REDUCE_INPUT_GROUPS, groups)
    ctx.increment(fw, C.REDUCE_INPUT_RECORDS, n_records)
    ctx.increment(fw, C.REDUCE_OUTPUT_RECORDS, out)
    ctx.increment(fw, C.SPILLED_RECORDS, 0)
    ctx.increment(C.OUTPUT_GROUP, C.BYTES_WRITTEN, raw.written)
    ctx.merge({fw: {C.PEAK_REDUCE_MEMORY: peak_memory()}})
    stats = {
        "seconds": time.perf_counter() - started,
        "segments": len(streams),
        "status": job.context.status,
    }
    return TaskResult(spec.attempt_id, "r", spec.index, True, ctx.to_dict(), stats=stats)


def _reduced(job: Any, blocks: Iterator[list], state: list) -> Iterator[tuple[Any, Any]]:
    """The job's output pairs, group after group: ``reduce`` per group, or ``reduce_groups``
    (flat, `grouping.GroupRuns`) or ``reduce_batch`` (``(key, [values])`` pairs) per batch of
    whole groups when the job defines one (a big group still goes to ``reduce``)."""
    cls = type(job)
    if has_method(cls, "reduce_groups"):
        batches = group_runs(blocks, grouping_key(job), state)
        return chain.from_iterable(_batch_results(job.reduce, job.reduce_groups, batches))
    if has_method(cls, "reduce_batch"):
        batches = group_batches(blocks, grouping_key(job), state)
        return chain.from_iterable(_batch_results(job.reduce, job.reduce_batch, batches))
    results = filter(None, starmap(job.reduce, groups(job, blocks, state)))
    return chain.from_iterable(results)


def _batch_results(reduce: Any, reduce_batch: Any, batches: Iterator[tuple]) -> Iterator[Iterable]:
    for batch, key, values in batches:
        out = reduce_batch(batch) if batch is not None else reduce(key, values)
        if out:
            yield out


def _shuffle(spec: TaskSpec, umbilical: Umbilical, fetched: list[int]) -> list[tuple]:
    """This partition's segments of every map output, as the tracker locates them; a map
    output that cannot be read is reported (the JobTracker re-runs that map) and asked again.
    They are gathered ``parallelcopies`` map outputs at a time, ``fetched[0]`` counting them."""
    fetch_dir = os.path.join(spec.local_dir, spec.attempt_id, "shuffle")
    copies = max(
        1, Configuration.from_dict(spec.conf).get_int("mapreduce.reduce.shuffle.parallelcopies", 5)
    )
    while True:
        outputs = umbilical.map_outputs(spec.job_id, spec.num_maps)
        fetched[0] = 0
        segments, failed = [], []
        for start in range(0, len(outputs), copies):
            some = outputs[start : start + copies]
            where = os.path.join(fetch_dir, str(start))  # files are named by index in `some`
            got, bad = gather_segments(some, spec.index, spec.job_id, where, copies)
            segments += got
            failed += [start + i for i in bad]
            fetched[0] += len(some)
        if not failed:
            return segments
        for map_index in failed:
            umbilical.fetch_failed(spec.job_id, map_index)


def _shuffle_probe(fetched: list[int], maps: int, context: Any) -> Any:
    """The shuffle's progress: the first third of a reduce, by map outputs in hand."""

    def probe() -> tuple[float, str, str, tuple]:
        done = fetched[0]
        moved = (done, context.status, context.ticks)
        return 1 / 3 * min(1.0, done / max(1, maps)), "SHUFFLE", context.status, moved

    return probe


def _reduce_probe(consumed: Any, total: int, context: Any) -> Any:
    """A third for the shuffle (done), two thirds for merging and reducing the records."""
    total = max(1, total)

    def probe() -> tuple[float, str, str, tuple]:
        done = consumed[0]  # the records merged so far
        moved = (done, context.status, context.ticks)
        return 1 / 3 + 2 / 3 * min(1.0, done / total), "REDUCE", context.status, moved

    return probe


def _close_named(outputs: Any, counters: Any) -> bool:
    """Close the attempt's named outputs, counting their bytes; True when it has some."""
    if outputs is None:
        return False
    written = outputs.close(counters)
    if written:
        counters.increment(C.OUTPUT_GROUP, C.BYTES_WRITTEN, written)
    return True


def _commit(committer: Any, spec: TaskSpec, umbilical: Umbilical) -> None:
    """Publish the attempt's output, when its tracker allows (only one attempt of a task may)."""
    if not umbilical.can_commit(spec.attempt_id):
        committer.abort_task(spec.attempt_id)
        raise CommitDenied(f"{spec.attempt_id}: another attempt of this task committed first")
    committer.commit_task(spec.attempt_id)


def _counted_blocks(blocks: Iterator[list], consumed: list[int]) -> Iterator[list]:
    """The merge's blocks, adding each one's records to ``consumed[0]`` as it is taken."""
    for block in blocks:
        consumed[0] += len(block)
        yield block
