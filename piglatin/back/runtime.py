"""The generic Pig job a worker imports by reference: `PigJob` and its knob variants.

Owns: turning one MR job spec (see mrcompiler.py) into map, combine and reduce functions inside
a task: the worker rebuilds the logical plan from the preprocessed script carried in the
configuration (cached per process by script hash), compiles only the op ids its spec names,
and runs them over Pig tuples. Shuffle keys are Pig byte sort keys (`data.sort_bytes`); values
travel as `storage.pack_value` bytes (plain msgpack when the schema says every field is an
atom) so bags, maps and datetimes round-trip exactly. Mappers are named `map<i>` for input i
(MultipleInputs); the class variants set the grouping comparator, combiner or partitioner.
Must not touch: job boundaries (mrcompiler.py), sequencing jobs or printing (launcher.py).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import chain, starmap
from typing import Any, BinaryIO

import mmh3

from mapred.api import Context, Job
from mapred.grouping import GroupRuns
from mapred.io import InputSplit
from mapred.output import OutputFormat, RecordFileOutputFormat, TextOutputFormat
from mapred.partition import KEY_BYTES, GroupBytes
from mapred.task import sort_buffer_bytes
from piglatin.back import aggregates as AG
from piglatin.back import codegen as CG
from piglatin.back import cogroupaggs as CA
from piglatin.back import crossgrid as XG
from piglatin.back import distinctgroup as DG
from piglatin.back import distinctgroupreduce as DGR
from piglatin.back import mapjoins as MJ
from piglatin.back import reducers as R
from piglatin.back.joinkeys import MergeRuns, ReplicatedTable, keys_by_value, side_width
from piglatin.back.mapgroups import KeyGroups, group_limit
from piglatin.back.mrcompiler import JobSpec, MRJob
from piglatin.back.physical import Compiler, WordCount, chain_functions, per_row
from piglatin.back.reducebatch import BatchReduce
from piglatin.back.sources import input_format_of, loader_for, plain_store, read_source
from piglatin.back.splittree import ParsedBranch, SplitBranch
from piglatin.back.storage import (
    BinStorage,
    PigStorage,
    TextFields,
    TextLoader,
    get_storer,
    pack_value,
    unpack_value,
    unpacker,
)
from piglatin.back.topn import TopRecords
from piglatin.errors import PigError
from piglatin.functions.taskcontext import start_task
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.exprs import columns, op_exprs

log = logging.getLogger(__name__)

SCRIPT, SPEC, CWD, LOCATIONS = "pig.script", "pig.job.spec", "pig.cwd", "pig.locations"
SCALARS, UDFS, OUTFMT = "pig.scalars", "pig.udfs", "pig.output.format"
WARNINGS = "org.apache.pig.PigWarning"  # counter group of load warnings (bad fields)
CODEGEN = "pig.codegen"  # false: run the map side as composed closures, not generated code
# false: an ORDER's map side parses and formats every field of the lines it writes, none
# copied as its text (`codegen.TextPassThrough`)
PASS_THROUGH = "pig.exec.textPassThrough"
SPLIT_ONCE = "pig.exec.splitOnce"  # set by a merged multi-query job for its branches
MAP_GROUPS = "pig.exec.mapKeyGroups"  # false: a join's/GROUP's map output, one record per row
_PLANS: dict[str, L.LogicalPlan] = {}

__all__ = [
    "PigCombineJob",
    "PigJob",
    "PigJoinJob",
    "PigOrderJob",
    "job_class",
    "rebuild_plan",
]


def rebuild_plan(chunks: list[list[Any]], cwd: str) -> L.LogicalPlan:
    """The plan of the preprocessed script chunks ([text, file, first statement, end]),
    cached by their text."""
    text = repr((chunks, cwd))
    plan = _PLANS.get(text)
    if plan is None:
        plan = build_plan(chunks, cwd)
        _PLANS[text] = plan
    return plan


def build_plan(chunks: list[list[Any]], cwd: str) -> L.LogicalPlan:
    import dataclasses

    from piglatin.front.builder import Builder, Functions
    from piglatin.front.parser import parse

    b = Builder(Functions(base_dir=cwd), chunks[0][1] if chunks else None)
    parsed: dict[tuple, Any] = {}
    for text, file, start, end in chunks:
        script = parsed.get((text, file))
        if script is None:
            script = parsed[(text, file)] = parse(text, file)
        b.add(dataclasses.replace(script, statements=script.statements[start:end]), text)
    return optimize(b.plan())


def optimize(plan: L.LogicalPlan) -> L.LogicalPlan:
    """`piglatin.plan.optimizer.optimize` when it exists; the plan as built if it fails (the
    result stays deterministic: every process falls back the same way)."""
    try:
        from piglatin.plan.optimizer import optimize as opt
    except ImportError:
        return plan
    try:
        return opt(plan)
    except PigError:
        raise
    except Exception as e:  # noqa: BLE001 - an optimizer bug must not stop the script
        log.warning(
            "optimizer failed (%s: %s); running the unoptimized plan",
            type(e).__name__,
            e,
        )
        return plan


def _one_field(v: str) -> tuple:
    return (v,)


@frozen_dataclass(slots=False)
class Reader:
    """How a map input's records become tuples: `parse`; `pushed` when the loader took a
    projection; `width` of its tuples when the loader guarantees one; `text` when lines may
    be split inline (PigStorage with a schema); `one_field` when each record is the one field
    of its tuple (TextLoader without a schema: the generated code takes the value itself)."""

    parse: Callable[[Any], tuple]
    pushed: bool
    width: int | None = None
    text: TextFields | None = None
    one_field: bool = False
    # PigStorage without a schema, given the first fields only (`fields_read`): how
    # generated code may split its lines (`PigStorage.first_fields_text`)
    first: TextFields | None = None


def input_chain(
    plan: L.LogicalPlan, spec: JobSpec, index: int
) -> tuple[L.LogicalOperator, list[tuple[L.LogicalOperator, int]], tuple[int, ...] | None]:
    """Map input `index` of a job spec: its source, its chain of (operator, input slot) and
    the columns a projection right after a LOAD keeps (to push into the loader)."""
    inp = spec.inputs[index]
    source = plan.op(inp.source)
    chain = [(plan.op(op_id), slot) for op_id, slot in inp.chain]
    projection = None
    if isinstance(source, L.LOLoad) and chain and chain[0][0].inputs == (source.op_id,):
        projection = L.plain_projection(chain[0][0])
    return source, chain, projection


def fields_read(
    source: L.LogicalOperator, chain: list[tuple[L.LogicalOperator, int]]
) -> int | None:
    """How many leading fields of a LOAD's tuples its map chain reads, when the chain's first
    FOREACH, and the FILTERs/SPLITs before it (which pass rows on whole to it), name every
    column they read by position (``$3``); None when it reads the whole tuple or may pass it
    on (no FOREACH after the FILTERs), or for another source."""
    if not isinstance(source, L.LOLoad) or not chain:
        return None
    if chain[0][0].inputs != (source.op_id,):
        return None
    read: set[int] = set()
    for op, _slot in chain:
        if not isinstance(op, (L.LOForEach, L.LOFilter, L.LOSplit, L.LOSplitOutput)):
            return None
        for e in op_exprs(op) or ():
            cols = columns(e)
            if cols is None:
                return None
            read |= cols
        if isinstance(op, L.LOForEach):
            return max(read) + 1 if read else None
    return None


def fold_fields_read(
    source: L.LogicalOperator, chain: list[tuple[L.LogicalOperator, int]], keyed: Any
) -> int | None:
    """How many leading fields of a LOAD's tuples without a schema a combined GROUP's
    inline fold (`codegen.AggTail`) reads, when only FILTERs (which pass rows on whole) come
    between them and every key, condition and aggregate names its columns by position;
    else None. Its closure tail reads no more of a row: a shorter tuple reads as nulls."""
    if not isinstance(keyed, CG.AggTail) or not isinstance(source, L.LOLoad):
        return None
    if source.schema is not None:
        return None
    exprs = [*keyed.keys, *(f for a in keyed.aggs for f in a.filters)]
    for op, _slot in chain:
        if not isinstance(op, L.LOFilter) or op.cond is None:
            return None
        exprs.append(op.cond)
    read = {a.column for a in keyed.aggs if a.column is not None}
    for e in exprs:
        cols = columns(e)
        if cols is None:
            return None
        read |= cols
    return max(read) + 1 if read else None


def make_reader(
    source: L.LogicalOperator,
    projection: tuple[int, ...] | None = None,
    path: str = "",
    on_warning: Callable[[str], None] | None = None,
    limit: int | None = None,
) -> Reader:
    """How `source`'s records become tuples (a LOAD's loader, or the unpacking of an
    intermediate output); the loader is asked to give only the `projection` columns when one
    is given (Pig's projection push-down), or without a schema only the first `limit` fields
    (`fields_read`). `path`: the file read (-tagFile/-tagPath)."""
    if not isinstance(source, L.LOLoad):  # no Python frame per record: `unpacker`
        return Reader(unpacker(), False)
    loader = loader_for(source)
    if getattr(loader, "tag", None) is not None:
        loader.set_source(path)
    loader.on_warning = on_warning
    pushed = projection is not None and loader.push_projection(projection)
    if not pushed and limit is not None and isinstance(loader, PigStorage):
        loader.limit_fields(limit)
    width = len(projection) if pushed else None  # type: ignore[arg-type]
    if input_format_of(source) == "records":
        return Reader(loader.parse_line, pushed, width)
    if isinstance(loader, TextLoader) and loader.schema is None and not pushed:
        return Reader(_one_field, False, 1, one_field=True)
    text = loader.text_fields() if isinstance(loader, PigStorage) else None
    first = loader.first_fields_text() if isinstance(loader, PigStorage) else None
    return Reader(loader.line_parser(), pushed, width, text, first=first)


def store_line_of(plan: L.LogicalPlan, spec: JobSpec) -> CG.StoreLine | None:
    """How the job's STORE writes a row when it is PigStorage without options and a
    schema; None otherwise."""
    storer = plain_store(plan, spec.store)
    if storer is None:
        return None
    schema = plan.op(spec.store).schema
    return CG.StoreLine(tuple(f.type for f in schema), storer.delimiter, storer.format)


def map_inline_tail(
    plan: L.LogicalPlan, spec: JobSpec, tag: int, min_reduction: int = AG.MIN_REDUCTION
) -> CG.KeyedTail | CG.AggTail | CG.DistinctTail | CG.StoreLine | None:
    """The inline form of input `tag`'s map tail, if it has one: a GROUP/JOIN input's keyed
    records or a DISTINCT input's rows (`reducers.keyed_tail`), a combined GROUP's fold
    (`aggregates.inline_tail`), or a map-only job's stored PigStorage lines."""
    if spec.kind == "group" and spec.by_input:
        return CA.inline_tail(plan, spec, tag, min_reduction)
    if spec.kind == "group" and spec.combine:
        return AG.inline_tail(plan, spec, min_reduction)
    if not spec.op and spec.kind != "index":
        return store_line_of(plan, spec)
    if spec.kind == "distinct" and spec.group:  # a GROUP of the distinct rows
        return DGR.inline_tail(plan, spec)
    return R.keyed_tail(plan, spec, tag)


def generate_map_code(
    index: int,
    source: L.LogicalOperator,
    reader: Reader,
    chain: list[tuple[L.LogicalOperator, int]],
    stages: list,
    tail: Callable[[tuple], Any],
    compiler: Compiler,
    sides: dict[str, ReplicatedTable | MergeRuns],
    keyed: CG.KeyedTail | CG.AggTail | CG.DistinctTail | CG.StoreLine | None = None,
    carried: CG.TextPassThrough | None = None,
    presplit: bool = False,
) -> CG.Pipeline | None:
    """The generated batch function of map input `index`; None when its rows have no
    known width. `sides`: the replicated joins' tables, by op id; `keyed`: the tail's
    inline form (a GROUP/JOIN input's records); `carried`: an ORDER's written lines."""
    width = reader.width if reader.width is not None else _width_of(source)
    text = reader.text
    if width is None and text is None and reader.first is not None and not presplit:
        text, width = reader.first, reader.first.width  # the first fields, padded
    if width is None:
        return None
    record = CG.RecordSource(width, text, reader.parse, reader.one_field, presplit)

    def rest_from(i: int) -> Callable[[tuple], Any]:
        return chain_functions(stages[i:], tail)

    return CG.generate_map_pipeline(
        f"map{index}_batch",
        record,
        chain,
        stages,
        per_row(tail),
        compiler,
        rest_from,
        sides,
        keyed,
        carried,
    )


def split_branch(
    source: L.LogicalOperator,
    reader: Reader,
    chain: list[tuple[L.LogicalOperator, int]],
    stages: list,
    tail: Callable[[tuple], Any],
    compiler: Compiler,
    sides: dict[str, ReplicatedTable | MergeRuns],
    keyed: Any,
) -> SplitBranch | None:
    """A map input's pipeline as `generate_map_code` generates it, for a SPLIT tree's code;
    None for one with map-side joins (their tables belong to its own code)."""
    width = reader.width if reader.width is not None else _width_of(source)
    if sides or reader.text is None or width is None:
        return None

    def rest_from(i: int) -> Callable[[tuple], Any]:
        return chain_functions(stages[i:], tail)

    record = CG.RecordSource(width, reader.text, reader.parse, reader.one_field)
    return SplitBranch(
        record, tuple(chain), compiler, tuple(stages), per_row(tail), rest_from, keyed
    )


def _empty_side(plan: L.LogicalPlan, op: L.LOJoin) -> ReplicatedTable | MergeRuns:
    """A map-side join's right input without rows, as EXPLAIN's generated code sees it."""
    pad = (None,) * side_width(plan, op)
    if op.strategy == "merge":
        return MergeRuns(lambda k: [], pad, op.join_type == "left")
    tables = tuple({} for _ in op.inputs[1:])
    return ReplicatedTable(tables, pad, op.join_type == "left", keys_by_value(op))


def explain_code(
    plan: L.LogicalPlan,
    jobs: list[MRJob],
    compiler: Compiler,
    pass_through: bool = True,
    properties: Mapping[str, Any] | None = None,
    branches: Sequence[tuple[str, MRJob]] = (),
) -> str:
    """The generated code of every job, as EXPLAIN prints it: each function a task of the
    job compiles (`codegen.recording`), from the job set up as its map task sets it up for
    each input and as its reduce task does (`PigJob.explain_task`), never generated a second
    time. `properties`: the script's SET properties (the job configuration's base);
    `pass_through`: ``pig.exec.textPassThrough`` when `properties` does not say it;
    `branches`: (label, job) of a merged multi-query job's branches, whose map side the merged
    job's code runs (its SPLIT tree, printed by `multiquery.explain_code`): what each
    branch's own set-up compiles there is printed as such."""
    base = {PASS_THROUGH: pass_through, **(properties or {})}
    lines = [
        "#--------------------------------------------------",
        "# Generated code (map side)",
        "#--------------------------------------------------",
    ]
    own = [(job.name, job) for job in jobs if job.spec.kind != "index"]
    for name, job in own:
        for index in range(len(job.spec.inputs)):
            made = _explained(plan, job, compiler, base, index)
            lines += _printed(f"# {name}, input {index}", f"map{index}_batch", made)
    merged = {**base, SPLIT_ONCE: True}  # as multiquery's branches are set up
    for label, job in branches:
        made = _explained(plan, job, compiler, merged, 0)
        lines += _printed(f"# {label}, set up in the merged map task", None, made)
    lines += [
        "#--------------------------------------------------",
        "# Generated code (reduce side)",
        "#--------------------------------------------------",
    ]
    for name, job in [*own, *branches]:
        if job.spec.op and (job.reducers > 0 or job.estimate) and job.spec.kind != "sample":
            made = _explained(plan, job, compiler, base, None)
            lines += _printed(f"# {name}, reduce side", None, made)
    return "\n".join(lines)


def _printed(label: str, main: str | None, made: list[CG.Pipeline]) -> list[str]:
    """EXPLAIN's lines of the pipelines a task compiled: `main` (the map batch function)
    under `label` itself, each other under a label line of its own naming it."""
    first = [p for p in made if p.name == main]
    if main is not None and not first:
        return [label, "# (no generated code)"] + _printed(label, None, made)
    out: list[str] = []
    seen: set[str] = set()
    for p in first + [p for p in made if p.name != main]:
        if p.source not in seen:  # a codec compiled twice by the same task: once
            seen.add(p.source)
            out.append(label if p.name == main else f"{label}: {p.name}")
            out.append(p.source.rstrip("\n"))
    return out


def _explained(
    plan: L.LogicalPlan,
    job: MRJob,
    compiler: Compiler,
    properties: Mapping[str, Any],
    index: int | None,
) -> list[CG.Pipeline]:
    """What a task of `job` compiles (`PigJob.explain_task`: map input `index`, or None:
    the reduce side), its configuration as the launcher gives it (the script's properties,
    the spec, the output format) with the launcher's plan and the compiler's scalars and
    UDFs."""
    from dfs.conf import Configuration

    store = plan.op(job.store) if job.store else None
    text = isinstance(store, L.LOStore) and not store.func.name.endswith("BinStorage")
    conf = Configuration(
        {
            **properties,
            SPEC: job.spec.to_wire(),
            OUTFMT: "text" if text else "records",
            "mapreduce.job.reduces": max(job.reducers, 1),
        }
    )
    task = job_class(job.spec)()
    task.context = Context(conf)
    return task.explain_task(index, job.spec, plan, compiler.scalars, compiler.udfs)


def _width_of(source: L.LogicalOperator) -> int | None:
    """The width a source's schema promises (a LOAD pads and cuts to its AS schema; other
    rows are checked against it in the generated code)."""
    if source.schema is None or (isinstance(source, L.LOLoad) and source.declared is None):
        return None
    return len(source.schema)


class PigOutputFormat(OutputFormat):
    """Text lines for PigStorage/JsonStorage stores, msgpack record files otherwise."""

    def get_extension(self, conf: Any) -> str:  # '.gz'/'.bz2' for compressed text
        if conf.get(OUTFMT, "records") == "text":
            return TextOutputFormat().get_extension(conf)
        return self.extension

    def open_writer(self, fileobj: BinaryIO, conf: Any) -> Any:
        if conf.get(OUTFMT, "records") == "text":
            return TextOutputFormat().open_writer(fileobj, conf)
        return RecordFileOutputFormat().open_writer(fileobj, conf)


class PigJob(Job):
    """Map and reduce sides of one compiled Pig job (plain hash partitioning)."""

    input_format = "text"
    output_format = PigOutputFormat

    def _prepare(self) -> None:
        if getattr(self, "_ready", False):
            return
        conf = self.context.conf
        scalars = {k: unpack_value(v) for k, v in (conf.get(SCALARS) or {}).items()}
        udfs = {(k or None): v for k, v in (conf.get(UDFS) or {}).items()}
        plan = rebuild_plan(conf.get(SCRIPT), conf.get(CWD) or ".")
        locations = conf.get(LOCATIONS) or {}
        self.prepare_with(JobSpec.from_wire(conf.get(SPEC)), plan, scalars, udfs, locations)

    def prepare_with(
        self,
        spec: JobSpec,
        plan: L.LogicalPlan,
        scalars: dict[str, Any],
        udfs: dict[str | None, Any],
        locations: dict[str, str],
    ) -> None:
        """The job's state for `spec` in `plan` (what `_prepare` reads from the task's
        configuration; EXPLAIN gives the launcher's plan itself)."""
        self.spec = spec
        self.plan = plan
        self.compiler = Compiler(scalars, udfs, plan=self.plan, warn=self._warn)
        self.locations = locations
        self.store_line = self._store_line()
        self.record_pack: Callable[[tuple], Any] | None = None  # set by `_tail`
        self.emit = self._tail()
        self.text_separator = self._text_separator()
        self.state = R.MapState()
        # map-side joins' right inputs, by op id: replicated tables, merge cursors
        self.sides: dict[str, ReplicatedTable | MergeRuns] = {}
        self._flushes: list[Callable[[], Any]] = []
        self._split_batches: dict[int, CG.SplitBatch] = {}  # with SPLIT_ONCE, by input
        self._split_branches: dict[int, SplitBranch] = {}  # with SPLIT_ONCE, by input
        self._split_parsed: dict[int, ParsedBranch] = {}  # with SPLIT_ONCE, without codegen
        self._key_groups: KeyGroups | None = None  # the map task's, when it groups by key
        self._ready = True

    def explain_task(
        self,
        index: int | None,
        spec: JobSpec,
        plan: L.LogicalPlan,
        scalars: dict[str, Any],
        udfs: dict[str | None, Any],
    ) -> list[CG.Pipeline]:
        """The pipelines a task of the job compiles (`codegen.recording`): a map task of
        input `index` (`_bind_mapper`, as `setup` calls it), or with `index` None a reduce
        task (`_bind_reducer`), both after `prepare_with` (the store's line writer). A map
        task's map-side joins and CROSSes hold empty inputs: the code does not depend on
        their rows, and EXPLAIN reads no data."""
        conf = self.context.conf
        if index is None:
            self.context = Context(conf, "attempt_explain_r_000000_0", "explain", None, None, 0)
        else:
            source = plan.op(spec.inputs[index].source)
            url = source.path if isinstance(source, L.LOLoad) else ""
            split = InputSplit(url, 0, 0, (), index)
            self.context = Context(conf, "attempt_explain_m_000000_0", "explain", None, split)
        with CG.recording() as made:
            self.prepare_with(spec, plan, scalars, udfs, {})
            if index is None:
                self._bind_reducer()
                return made
            for op_id, slot in spec.inputs[index].chain:
                op = plan.op(op_id)
                if isinstance(op, L.LOJoin) and op.strategy in ("replicated", "merge"):
                    self.sides[op_id] = _empty_side(plan, op)
                elif isinstance(op, L.LOCross):
                    self.sides[op_id] = XG.no_rows(plan, op, slot)
            self._bind_mapper(index)
        return made

    def setup(self) -> None:
        """Map task: bind its input's mapper (``map<i>`` and, with a batch form,
        ``map<i>_batch``: the MultipleInputs mapper names the launcher gives); the total-order
        sampler: every input's; reduce task: the reducer."""
        start_task(self.context.task_id, self.context.conf.get("pig.datetime.default.tz"))
        self._prepare()
        split = self.context.split
        if split is not None:
            self._bind_mapper(split.input_index)
        elif self.context.task_id == "sampler":
            for index in range(len(self.spec.inputs)):
                self._bind_mapper(index)
        elif self.spec.op:
            self._bind_reducer()

    def _bind_reducer(self) -> None:
        """Reduce task: bind the reducer (a `BatchReduce`'s batch and flat forms too)."""
        distinct_group = self.spec.kind == "distinct" and self.spec.group
        reduce = DGR.reducer(self) if distinct_group else R.reducer(self)
        self._batch = self._runs = None
        if isinstance(reduce, BatchReduce):
            reduce, self._batch, self._runs = reduce.reduce, reduce.batch, reduce.runs
        self._reduce = self.reduce = reduce  # the task calls it directly

    def _bind_mapper(self, index: int) -> None:
        """Built once per task: the map side's stages hold per-task state (in-mapper
        aggregation, replicated join tables). A hash join's or a GROUP's (without combiner)
        map output leaves grouped by key (`mapgroups.KeyGroups`), unless
        ``pig.exec.mapKeyGroups`` is false."""
        spec, conf = self.spec, self.context.conf
        groups = None
        if conf.get_bool(MAP_GROUPS, True) and (
            (spec.kind == "join" and spec.strategy != "skewed")
            or (spec.kind == "group" and not spec.combine)
        ):
            groups = KeyGroups(group_limit(sort_buffer_bytes(conf)))
        self._key_groups = groups  # the generated code groups its records there itself
        run, batch = self._map_pipeline(index)
        if groups is not None:
            self.add_flush(groups.flush)
            run = _grouped(run, groups)
            batch = None if batch is None else _grouped(batch, groups)
            fields = self._split_batches.get(index)
            if fields is not None:
                grouped = _grouped(fields.run, groups)
                self._split_batches[index] = CG.SplitBatch(fields.delimiter, grouped)
            branch = self._split_branches.get(index)
            if branch is not None:
                self._split_branches[index] = replace(branch, post=groups.add)
            parsed = self._split_parsed.get(index)
            if parsed is not None:
                self._split_parsed[index] = replace(parsed, post=groups.add)
        if spec.kind == "sample":  # only every step-th record is read past its split
            run, batch = _sampled(run, batch, R.sample_step(conf))
        if spec.kind == "order" and spec.top:  # a limited sort (`topn.TopRecords`)
            top = TopRecords(spec.top)
            self.add_flush(top.flush)
            run = _grouped(run, top)
            batch = None if batch is None else _grouped(batch, top)
        setattr(self, f"map{index}", run)
        if batch is not None:
            setattr(self, f"map{index}_batch", batch)

    def split_batch(self, index: int) -> CG.SplitBatch | None:
        """Map input `index`'s batch function over lines already split, when the job was
        set up with ``pig.exec.splitOnce`` and the input is PigStorage text; else None."""
        return self._split_batches.get(index)

    def split_branch(self, index: int) -> SplitBranch | None:
        """Map input `index`'s pipeline as a branch of a SPLIT tree's generated code
        (`splittree`), under the same conditions as `split_batch`; else None."""
        return self._split_branches.get(index)

    def split_parsed(self, index: int) -> ParsedBranch | None:
        """Map input `index`'s closures over parsed records, when the job was set up with
        ``pig.exec.splitOnce`` and runs them without generated code; else None."""
        return self._split_parsed.get(index)

    def add_flush(self, flush: Callable[[], Any]) -> None:
        """A map-side stage's end-of-task output (partial aggregates, index entries): what
        `flush()` returns is emitted by `cleanup`."""
        self._flushes.append(flush)

    def _map_pipeline(self, index: int) -> tuple[Callable[[Any, Any], list], Any]:
        """(key, value) -> outputs: parse the input record, then the map side's stages; and
        (keys, values) -> outputs of a whole batch, or None. The batch form is generated
        code (`codegen`) unless ``pig.codegen`` is false or the input has no known width."""
        source, chain, projection = input_chain(self.plan, self.spec, index)
        split = self.context.split
        increment = self.context.increment
        codegen = self.context.conf.get_bool(CODEGEN, True) and self.spec.kind != "index"
        keyed = None
        if codegen:
            tag = self.spec.inputs[index].tag
            keyed = map_inline_tail(self.plan, self.spec, tag, AG.min_reduction(self))
        limit = fields_read(source, chain)
        if limit is None:
            limit = fold_fields_read(source, chain, keyed)
        reader = make_reader(
            source,
            projection,
            split.url if split else "",
            lambda c: increment(WARNINGS, c),
            limit,
        )
        parse = reader.parse
        if reader.pushed:
            chain = chain[1:]  # the loader gives the projected columns itself
        stages = [self._narrow(op, slot) for op, slot in chain]
        if self.spec.kind == "index":
            tail = MJ.index_tail(self)
        else:
            tag = self.spec.inputs[index].tag
            if self.spec.kind == "distinct" and self.spec.group:  # a GROUP of the rows
                tail = DGR.map_tail(self)
            else:
                tail = R.map_tail(self, tag) if self.spec.op else self.emit
        run = chain_functions(stages, tail)
        if reader.one_field and isinstance(run, WordCount) and run.of_value is not None:
            return run.of_value, run.of_lines  # FLATTEN(TOKENIZE) counts
        code, presplit = None, False
        if codegen:
            if isinstance(keyed, CG.DistinctTail) and R.written_by_map(self.spec):
                keyed = replace(keyed, pack=R.written_value(self.emit), line=self.store_line)
            if isinstance(keyed, CG.KeyedTail) and self._key_groups is not None:
                keyed = replace(keyed, groups=self._key_groups)
            if isinstance(keyed, CG.AggTail):
                self.add_flush(keyed.flush)
            carried = None
            presplit = reader.text is not None and self.context.conf.get_bool(SPLIT_ONCE, False)
            if self.context.conf.get_bool(PASS_THROUGH, True) and not presplit:
                carried = R.text_pass_through(self.plan, self.spec, self.compiler, self.store_line)
            args = (chain, stages, tail, self.compiler, self.sides, keyed, carried)
            code = generate_map_code(index, source, reader, *args, presplit=presplit)
            if code is not None and presplit:
                branch = split_branch(source, reader, chain, stages, tail, *args[3:6])
                if branch is not None:
                    self._split_branches[index] = branch
        if code is not None:
            batch = code.function()
            if presplit:  # the generated code reads split lines; `split_batch` gives it so
                delimiter, of_fields = reader.text.delimiter, batch  # type: ignore[union-attr]
                self._split_batches[index] = CG.SplitBatch(delimiter, of_fields)

                def batch(keys: Any, values: Any) -> list:
                    return of_fields(keys, [v.split(delimiter) for v in values])

            return (lambda key, value: batch(None, (value,))), batch
        if reader.one_field:
            return (lambda key, value: run((value,))), None
        if self.context.conf.get_bool(SPLIT_ONCE, False):  # the merged map may parse once
            # the parse: the columns pushed into the loader, else the first fields it splits
            parsing = (projection, None) if reader.pushed else (None, limit)
            self._split_parsed[index] = ParsedBranch((source.op_id, *parsing), parse, run)
        return (lambda key, value: run(parse(value))), None

    def _warn(self, code: str) -> None:
        """Count Pig warning `code` in this task's PigWarning counters."""
        self.context.increment(WARNINGS, code)

    def right_parser(self, source: L.LogicalOperator, chain: list) -> Callable[[Any], list]:
        """Record value -> tuples of a merge join's right input (its loader and narrow
        chain)."""
        parse = self._parser(source)
        stages = [self._narrow(self.plan.op(op_id), slot) for op_id, slot in chain]
        run = chain_functions(stages, lambda t: [t])
        return lambda v: run(parse(v))

    def _parser(self, source: L.LogicalOperator) -> Callable[[Any], tuple]:
        """Input record -> tuple for `source` (a LOAD's loader, or the unpacking of an
        intermediate output)."""
        split = self.context.split
        increment = self.context.increment
        on_warning = lambda c: increment(WARNINGS, c)  # noqa: E731
        return make_reader(source, None, split.url if split else "", on_warning).parse

    def _narrow(self, op: L.LogicalOperator, slot: int) -> Any:
        if isinstance(op, L.LOJoin) and op.strategy == "merge":
            runs = self.sides.get(op.op_id)
            if runs is None:
                runs = self.sides[op.op_id] = MJ.merge_runs(self, op)
            return MJ.merge_join(runs, self.compiler.key_fn(op.keys[0]))
        if isinstance(op, L.LOJoin):
            side = self.sides.get(op.op_id)
            if side is None:
                side = self.sides[op.op_id] = MJ.replicated_table(self, op)
            return MJ.replicated_join(self, op, side)
        if isinstance(op, L.LOCross):  # map-side (mrcompiler.py): input `slot` streamed
            held = self.sides.get(op.op_id)
            if held is None:
                held = self.sides[op.op_id] = XG.held_inputs(self.plan, op, slot, self._rows_of)
            return XG.map_cross(held)
        return self.compiler.narrow(op, slot)

    def _rows_of(self, op_id: str) -> Iterator[tuple]:
        """Every row of side input `op_id`, read where it lies (a map-side CROSS's); the
        loader's warnings count in this task."""
        op, conf = self.plan.op(op_id), self.context.conf
        return read_source(op, self.locations[op_id], conf, self._warn)

    # -- output ----------------------------------------------------------------------------
    def _text_separator(self) -> str | None:
        """The delimiter of the STORE's lines when every field is a chararray (PigStorage
        without options), so rows may be joined in bulk; None otherwise."""
        line = self.store_line
        if line is None or not all(t is DataType.CHARARRAY for t in line.types):
            return None
        return line.sep

    def _store_line(self) -> CG.StoreLine | None:
        return store_line_of(self.plan, self.spec)

    def _tail(self) -> Callable[[tuple], list]:
        """t -> [(key, value)] written by the output format (store or intermediate)."""
        store_id = self.spec.store
        op = self.plan.op(store_id) if store_id else None
        if op is None or isinstance(op, L.LODump):
            out_id = self.spec.output_op
            pack = R.packer(self.plan, out_id if out_id in self.plan else None)
            self.record_pack = pack  # rows may be packed in bulk (`reducers.reducer`)
            return lambda t: [(None, pack(t))]
        if self.store_line is not None:
            return _text_line(op.schema, self.store_line.sep, self.store_line.fmt)
        storer = get_storer(op.func.name, [str(a) for a in op.func.args])
        storer.with_schema(op.schema)
        if isinstance(storer, BinStorage):
            return lambda t: [(None, pack_value(t))]
        fmt = storer.format
        if type(storer) is PigStorage and not storer.options and not storer.nested_floats():
            return _text_line(op.schema, storer.delimiter, fmt)
        return lambda t: [(None, fmt(t))]

    # -- reduce side ---------------------------------------------------------------------
    def reduce(self, key: Any, values: Iterable[Any]) -> Any:
        return self._reduce(key, values)

    def reduce_batch(self, groups: list) -> Any:
        """Whole groups at once (mapred's ``reduce_batch``): the reduce side's batch form when
        it has one (`reducebatch.BatchReduce`), else its reduce per group."""
        if self._batch is not None:
            return self._batch(groups)
        return chain.from_iterable(filter(None, starmap(self._reduce, groups)))

    def reduce_groups(self, groups: GroupRuns) -> Any:
        """Whole groups at once, flat (mapred's ``reduce_groups``): the reduce side's `runs`
        form when it reads a batch flat (`reducebatch.BatchReduce.runs`), else the batch's
        pairs through `reduce_batch`."""
        if self._runs is not None:
            return self._runs(groups)
        return self.reduce_batch(groups.pairs())

    def cleanup(self) -> Any:
        out: list = []
        for flush in self._flushes:
            out.extend(flush() or ())
        return out or None


def _sampled(
    run: Callable[[Any, Any], list], batch: Callable[[Any, Any], list] | None, step: int
) -> tuple[Callable[[Any, Any], list], Callable[[Any, Any], list] | None]:
    """An ORDER's sampling job's mappers, given only every `step`-th record of their split
    (the first of each batch, then every step-th): the rest are never parsed or converted."""
    if step == 1:
        return run, batch
    seen = [0]

    def every(key: Any, value: Any) -> list:
        seen[0] += 1
        return run(key, value) if seen[0] % step == 1 else []

    if batch is None:
        return every, None
    inner = batch

    def sliced(keys: Any, values: Any) -> list:  # keys: the lines' offsets, maybe lazy
        return inner(None if keys is None else list(keys)[::step], values[::step])

    return every, sliced


def _grouped(
    fn: Callable[[Any, Any], list], groups: KeyGroups | TopRecords
) -> Callable[[Any, Any], list]:
    """A mapper whose output records go through `groups`."""
    return lambda keys, values: groups.add(fn(keys, values))


def _text_line(schema: Any, sep: str, fmt: Callable[[tuple], bytes]) -> Callable[[tuple], list]:
    """PigStorage's line for a row: a function generated for the schema's types
    (`codegen.text_line_tail`); rows of chararrays only are one ``str.join`` (the reduce side
    may join them in bulk: `PigJob.text_separator`). `fmt` writes anything unexpected."""
    if schema is None:
        return lambda t: [(None, fmt(t))]
    line = CG.text_line_tail([f.type for f in schema], sep, fmt)
    if not all(f.type is DataType.CHARARRAY for f in schema):
        return line

    def texts_line(t):
        try:
            return [(None, sep.join(t))]
        except TypeError:  # a value that is not a str after all (a null, a UDF's bytes)
            return line(t)

    return texts_line


class PigJoinJob(PigJob):
    """Tagged inputs: the key ends in the input's tag byte; group and partition without it."""

    group_bytes = GroupBytes(-1)  # the same grouping, C-level: the sort bytes' last byte is the tag
    sort_key = KEY_BYTES  # keys are Pig's key bytes and a tag: their own sort bytes

    def group_key(self, key: bytes) -> bytes:
        return key[:-1]


class PigCrossJob(PigJoinJob):
    """CROSS: keys are a grid cell's number then the input's tag (`crossgrid`); a cell's
    rows meet in the reducer its number picks."""

    def partition(self, key: bytes, n: int) -> int:
        return XG.partition(key, n)


class PigCombineJob(PigJob):
    """GROUP + algebraic aggregates: partial results combined between map and reduce."""

    sort_key = KEY_BYTES  # keys are Pig's key bytes: their own sort bytes

    def combine(self, key: Any, values: Iterable[Any]) -> Any:
        return self._combine(key, values)

    @property
    def _combine(self) -> Callable[[Any, Iterable[Any]], Any]:
        fn = self.__dict__.get("_combine_fn")
        if fn is None:
            self._prepare()
            combine = CA.combiner if self.spec.by_input else AG.combiner
            fn = self.__dict__["_combine_fn"] = combine(self)
        return fn


class PigSkewJoinJob(PigJob):
    """Skewed join: keys end in tag + a 2-byte reducer number (0xFFFF: hash the key)."""

    group_bytes = GroupBytes(-3)
    sort_key = KEY_BYTES

    def group_key(self, key: bytes) -> bytes:
        return key[:-3]

    def partition(self, key: bytes, n: int) -> int:
        r = int.from_bytes(key[-2:], "big")
        if r == R.HASHED:
            return mmh3.hash(key[:-3], 0, False) % n
        return r % n


class PigDistinctGroupJob(PigJob):
    """A DISTINCT whose reduce computes a GROUP of its rows: a key's group part decides its
    partition (`distinctgroup.partition`: the hash its map side appends when the spec says
    the job has more than one reducer)."""

    def partition(self, key: bytes, n: int) -> int:
        if n != self.spec.reducers:
            raise PigError(
                f"{self.spec.op}: {n} reduce partitions, the spec says {self.spec.reducers}",
                code=2999,
            )
        return DG.partition(key, n)


class PigKeyCountJob(PigJob):
    """The skewed join's sampling job: counts per key, summed in the combiner."""

    def combine(self, key: Any, values: Iterable[int]) -> Any:
        return [(key, sum(values))]


class PigOrderJob(PigJob):
    """ORDER BY: keys are Pig order bytes; partition i holds the keys between the sampling
    job's cut points i-1 and i, so the part files concatenate in order (total order)."""

    def partition(self, key: bytes, n: int) -> int:
        cuts = self.__dict__.get("_cuts")
        if cuts is None:
            cuts = self.__dict__["_cuts"] = [bytes(c) for c in self.context.conf.get(R.ORDER_CUTS)]
        return bisect_right(cuts, key)


def job_class(spec: JobSpec) -> type:
    kind = spec.kind
    if kind == "join" and spec.strategy == "skewed":
        return PigSkewJoinJob
    if kind == "keycount":
        return PigKeyCountJob
    if kind == "cross":
        return PigCrossJob
    if kind == "join":
        return PigJoinJob
    if kind == "group" and spec.combine:
        return PigCombineJob
    if kind == "order":
        return PigOrderJob
    if kind == "distinct" and spec.group:
        return PigDistinctGroupJob
    return PigJob
