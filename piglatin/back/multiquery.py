"""Pig's multi-query execution: the STOREs of a script that read the same input share one job.

Owns: which compiled jobs of a batch of STOREs merge (`merge_jobs`: jobs reading one LOAD
directly, GROUP/DISTINCT or map-only, whose LOADs name the same location, loader and schema),
what the merged job carries (`Branch`: each job's own spec and the named output it writes), and
the merged job a worker runs (`MultiQueryJob`, Pig's PODemux/POMultiQueryPackage): its map
reads each record once and runs every branch's map pipeline on it (the branches whose
generated code reads the same PigStorage text: ONE generated function for the SPLIT tree,
`splittree`, each field converted once; without codegen, branches parsing the LOAD the same
way share one parse), as Pig converts once in the FOREACH before its SPLIT; a branch with a
reduce side
prefixes its keys with its branch number (one byte), so the sort and the hash partitioner keep
branches apart and the reduce hands each key group to its branch's reducer, which writes into
the branch's own output (a batch of whole groups at once: each branch's run of the batch goes
to its job's ``reduce_batch``); a map-only branch writes into its output from the map. Branches with
a combiner combine their own keys. Each branch's output is a named output of the job
(`mapred.output.NamedOutput`: the STORE's location, or an intermediate file a later job of the
branch reads), all published by the job's commit or none. The merged job runs its branches'
largest reducer count (Pig's); a branch whose operator's PARALLEL asked for fewer keeps them
(`MergedJob.own_reducers`: its keys hashed over its first reducers, `_OwnReducers`). EXPLAIN
prints the merged map's generated code from the same objects a map task builds (`map_side`,
`explain_code`). Must not touch: job boundaries of a single STORE (mrcompiler.py), what a
branch's pipelines do (runtime.py builds them exactly as for the branch's own job), running
jobs or printing (launcher.py).

``opt.multiquery=false`` (``pig -M``/``-no_multiquery``) runs every STORE's jobs on their own (a
relation several of them read is still computed once, as Pig's split: `shared_relations`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from dfs.fastclass import dataclass
from mapred.api import Context, Job
from mapred.partition import hash_partition
from piglatin.back import codegen as CG
from piglatin.back import runtime as RT
from piglatin.back.jobstats import PIG_FEATURES, job_aliases, job_features
from piglatin.back.mrcompiler import (
    FUSABLE,
    JobSpec,
    MRJob,
    algebraic_aggregates,
    compile_target,
    is_blocking,
)
from piglatin.back.splittree import generate_split_tree, same_text
from piglatin.back.storemeta import output_compression
from piglatin.functions.taskcontext import start_task
from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

__all__ = [
    "BRANCHES",
    "MULTIQUERY",
    "Branch",
    "MergedJob",
    "MultiQueryCombineJob",
    "MultiQueryJob",
    "MultiQueryOwnReducersCombineJob",
    "MultiQueryOwnReducersJob",
    "enabled",
    "explain_code",
    "explain_text",
    "map_side",
    "job_stats",
    "merge_jobs",
    "reads_any",
    "shared_relations",
]

MULTIQUERY = "opt.multiquery"  # Pig's property; false: every STORE's jobs run on their own
BRANCHES = "pig.multiquery.branches"  # conf: [Branch.to_wire(), ...]
MERGEABLE = ("group", "distinct", "map")
MAX_BRANCHES = 255  # a branch number is one byte of the key
_FLUSH = 4096  # pairs a reduce side gathers per branch before writing them
_first, _second = itemgetter(0), itemgetter(1)


def enabled(properties: dict[str, Any]) -> bool:
    """Multi-query execution is on unless ``opt.multiquery`` is false."""
    return str(properties.get(MULTIQUERY, "true")).strip().lower() != "false"


@frozen_dataclass(slots=False)
class Branch:
    """One job of a merged job: its spec, its named output, whether that is text, and the
    reducers its own job would run (0: every reducer of the merged job)."""

    spec: JobSpec
    output: str
    text: bool
    reducers: int = 0

    def to_wire(self) -> list:
        return [self.spec.to_wire(), self.output, self.text, self.reducers]

    @classmethod
    def from_wire(cls, data: Sequence[Any]) -> Branch:
        spec, output, text, *rest = data
        return cls(JobSpec.from_wire(spec), str(output), bool(text), int(rest[0] if rest else 0))


@dataclass
class MergedJob:
    """Jobs of several STOREs that read the same input, run as one job."""

    name: str
    jobs: list[MRJob]

    @property
    def reducers(self) -> int:
        """Pig's choice: the largest parallelism of the merged jobs."""
        return max(j.reducers for j in self.jobs)

    @property
    def combine(self) -> bool:
        return any(j.spec.combine for j in self.jobs)

    def own_reducers(self, plan: L.LogicalPlan) -> list[int]:
        """Per branch, the reducers it keeps (0: every reducer of the merged job). As Pig, the
        merged job runs the largest count, and so does a branch whose count was not set
        for its operator; a branch whose operator's PARALLEL set a smaller count keeps it,
        its keys hashed over its first reducers only (perf.xml: an operator's PARALLEL
        overrides default_parallel; Pig runs a DISTINCT, which it never merges, with its own
        count), so its STORE has the part files its own job would write."""
        most = self.reducers
        own = []
        for j in self.jobs:
            op = plan.op(j.spec.op) if j.spec.op else None
            parallel = getattr(op, "parallel", None)
            own.append(j.reducers if parallel and 0 < j.reducers < most else 0)
        return own


def input_key(plan: L.LogicalPlan, job: MRJob) -> tuple | None:
    """What a job may be merged on (its LOAD's path, loader and schema), or None when it
    cannot be merged: not GROUP/DISTINCT/map-only, more than one input or not a LOAD, side
    inputs (replicated tables, scalars), a scalar's source, or a job class with its own
    partitioner or grouping."""
    spec = job.spec
    if spec.kind not in MERGEABLE or job.side or spec.side or spec.merge or len(spec.inputs) != 1:
        return None
    if spec.cuts_from or spec.strategy or spec.join:
        return None
    if any(src == job.output_op for _user, src in plan.scalars):
        return None
    if RT.job_class(spec) not in (RT.PigJob, RT.PigCombineJob):
        return None
    store = plan.op(job.store) if job.store else None
    if isinstance(store, L.LOStore) and output_compression(store):
        return None  # its compressed output is its own job's setting (storemeta.py)
    source = plan.op(spec.inputs[0].source)
    if not isinstance(source, L.LOLoad):
        return None
    func = (source.func.name, tuple(str(a) for a in source.func.args))
    return (source.path, func, str(source.declared), source.map_keys)


def merge_jobs(
    plan: L.LogicalPlan, chains: Sequence[Sequence[MRJob]], location: Callable[[str], str]
) -> list[MergedJob]:
    """The merged jobs of a batch of STOREs' job chains: the mergeable jobs (`input_key`)
    grouped by their input's location (`location(path)`), loader and schema, groups of two
    or more. A job in several chains (a relation two STOREs share) is taken once."""
    groups: dict[tuple, list[MRJob]] = {}
    seen: set[tuple] = set()
    for jobs in chains:
        for job in jobs:
            ident = (job.spec.output_op, job.spec.store)
            key = input_key(plan, job)
            if key is None or ident in seen:
                continue
            seen.add(ident)
            groups.setdefault((location(key[0]), *key[1:]), []).append(job)
    merged: list[MergedJob] = []
    for jobs in groups.values():
        for start in range(0, len(jobs), MAX_BRANCHES):
            part = jobs[start : start + MAX_BRANCHES]
            if len(part) > 1:
                merged.append(MergedJob(f"multiquery{len(merged) + 1}", part))
    return merged


def shared_relations(
    plan: L.LogicalPlan,
    sink_ids: Sequence[str],
    done: set[str],
    conf: Mapping[str, Any],
    merging: bool = True,
) -> frozenset[str]:
    """The relations of a batch of sinks to compute once (Pig's split: MRCompiler.visitSplit
    ends the job of a relation several sinks read with a store to a temporary file each
    reader loads, with or without multi-query execution, which only merges the jobs after):
    every op two or more ops of the batch read, made in a job's reduce side (a blocking op,
    or the FOREACH/FILTER ops fused after one), not made yet (`done`). Left out: a GROUP
    whose every reader is a FOREACH of algebraic aggregates (each reader's own job combines,
    instead of writing the bags), and when `merging` (multi-query execution on) one whose
    job is a GROUP or DISTINCT reading a LOAD directly (`input_key`), as `merge_jobs` runs
    the readers' jobs as one job over that input already."""
    batch = {op.op_id: op for s in sink_ids for op in plan.upstream(s)}
    readers: dict[str, set[str]] = {}
    for op_id in batch:
        for dep in plan.dependencies(op_id):
            readers.setdefault(dep, set()).add(op_id)
    shared = set()
    for op_id, users in readers.items():
        if len(users) < 2 or op_id in done or op_id not in batch:
            continue
        head = op_id
        while not is_blocking(plan.op(head)):
            op = plan.op(head)
            if not isinstance(op, FUSABLE) or isinstance(op, L.SINKS) or len(op.inputs) != 1:
                break
            head = op.inputs[0]
        if not is_blocking(plan.op(head)) or head in done:
            continue
        if head == op_id and all(algebraic_aggregates(plan, plan.op(op_id), [r]) for r in users):
            continue  # a GROUP its readers aggregate: each reader's job combines its own
        jobs = compile_target(plan, head, dict(conf)).jobs if merging else []
        if len(jobs) == 1 and input_key(plan, jobs[0]) is not None:
            continue
        shared.add(op_id)
    return frozenset(shared)


def job_stats(
    plan: L.LogicalPlan, merged: MergedJob, result: Any, output: str, written: list[dict]
) -> dict[str, Any]:
    """The summary's entry of a merged job (an entry of ``PigServer.stats``): one job row
    (Alias: every branch's; Feature: theirs and MULTI_QUERY) and, in ``outputs``, each STORE
    it wrote with its bytes (`written`: store, output, text and named output of each)."""
    from mapred.multipleoutputs import COUNTER_GROUP

    sizes = result.counters.to_dict().get(COUNTER_GROUP, {})
    for o in written:
        o["bytes"] = sizes.get(o["name"], 0)
    aliases = sorted({a for j in merged.jobs for a in job_aliases(plan, j)})
    features = {f for j in merged.jobs for f in job_features(plan, j)} | {"MULTI_QUERY"}
    features -= {"MAP_ONLY"} if merged.reducers else set()
    return {
        "job": result.job_id,
        "name": merged.name,
        "kind": "multiquery",
        "maps": result.stats.get("maps"),
        "reduces": result.stats.get("reduces"),
        "seconds": result.seconds,
        "counters": result.counters,
        "output": output,
        "store": None,
        "outputs": written,
        "alias": ",".join(aliases),
        "feature": ",".join(f for f in PIG_FEATURES if f in features),
        "map_seconds": [m.get("seconds") for m in result.stats.get("map_stats", ())],
        "reduce_seconds": [r.get("seconds") for r in result.stats.get("reduce_stats", ())],
    }


def explain_text(plan: L.LogicalPlan, merged: Sequence[MergedJob]) -> str:
    """EXPLAIN's part for multi-query execution: which jobs of the STOREs run as one job,
    each branch with what it writes."""
    lines = ["#" + "-" * 50, "# Multi-query execution: jobs merged into one", "#" + "-" * 50]
    if not merged:
        lines.append("(no jobs share an input)")
    for m in merged:
        source = plan.op(m.jobs[0].spec.inputs[0].source)
        lines.append(
            f"MapReduce node {m.name} (MULTI_QUERY, {len(m.jobs)} branches, "
            f"reducers {m.reducers}{', combiner' if m.combine else ''})"
        )
        lines.append(f"Map Plan: Load({source.path}) read once, every branch's map on each row")
        for i, job in enumerate(m.jobs):
            target = plan.op(job.store or job.output_op)
            what = f"Store({target.path})" if isinstance(target, L.LOStore) else "intermediate"
            alias = plan.op(job.output_op).alias or job.output_op
            lines.append(f"|   branch {i}: {job.spec.kind} {alias} -> {what}")
        lines.append("--------")
    return "\n".join(lines)


def explain_code(
    plan: L.LogicalPlan,
    merged: Sequence[MergedJob],
    conf: Mapping[str, Any],
    location: Callable[[str], str] = str,
) -> str:
    """EXPLAIN's generated map code of each merged job: the source of the one function its
    map task compiles and runs for the branches in its SPLIT tree, taken from the objects
    the task builds (`map_side`, as `MultiQueryJob.setup`: each branch's own job set up for
    a map task, then `splittree`), never generated a second time. `conf`: the job
    configuration the launcher gives the merged job (the script, properties, scalars);
    `location`: a LOAD's path -> the URL its task reads (what a -tagFile loader is told)."""
    lines = ["#" + "-" * 50, "# Generated code (multi-query map side)", "#" + "-" * 50]
    for m in merged:
        url = location(plan.op(m.jobs[0].spec.inputs[0].source).path)
        side = map_side(plan, m, conf, url)
        label = f"# {m.name}, input 0, map side"
        if side.code is None:
            lines.append(f"{label}: no generated SPLIT tree")
        else:
            names = ", ".join(f"{i} ({b.name_of})" for i, b in side.fused)
            lines.append(f"{label}: one function for branches {names}")
            lines.append(side.code.source.rstrip("\n"))
        for i, b in side.others:
            lines.append(f"{label}, branch {i} ({b.name_of}): {_own_code(b)}")
    return "\n".join(lines)


def _own_code(b: _Running) -> str:
    """What a branch outside the SPLIT tree runs, in EXPLAIN's words."""
    if b.fields is not None:
        return "its own generated function over the lines split once (source not kept)"
    if b.batch is not None:
        return "its own generated function over the lines (source not kept)"
    if b.parsed is not None:
        return "no generated code: closures over each line parsed once for such branches"
    return "no generated code: closures"


@frozen_dataclass(slots=False)
class MapSide:
    """What a merged job's map task runs (`map_side`): `code`, the SPLIT tree's generated
    function (None: no tree), `fused` and `others`, the (number, branch) pairs in it and
    outside it."""

    code: CG.Pipeline | None
    fused: tuple[tuple[int, _Running], ...]
    others: tuple[tuple[int, _Running], ...]


def map_side(
    plan: L.LogicalPlan, merged: MergedJob, conf: Mapping[str, Any], url: str = ""
) -> MapSide:
    """The map side a task of `merged` builds: its branches' jobs set up as for a map task
    of input `url` (`_Running`), and the SPLIT tree over them (`_split_tree`), with
    `conf` the launcher's job configuration of the merged job."""
    from dfs.conf import Configuration
    from mapred.io import InputSplit

    own = merged.own_reducers(plan)
    wire = [branch_of(plan, job, i, own[i]).to_wire() for i, job in enumerate(merged.jobs)]
    task_conf = Configuration({**conf, BRANCHES: wire, "mapreduce.job.reduces": merged.reducers})
    ctx = Context(task_conf, "attempt_explain_m_000000_0", "explain", None, InputSplit(url, 0, 0))
    branches = [_Running(i, Branch.from_wire(w), ctx) for i, w in enumerate(wire)]
    for b, job in zip(branches, merged.jobs, strict=True):
        b.name_of = plan.op(job.output_op).alias or job.output_op
    _tree, others, code = _split_tree(branches)
    number = {id(b): i for i, b in enumerate(branches)}
    fused = [b for b in branches if b not in others] if code is not None else []
    return MapSide(
        code,
        tuple((number[id(b)], b) for b in fused),
        tuple((number[id(b)], b) for b in others),
    )


def branch_of(plan: L.LogicalPlan, job: MRJob, index: int, reducers: int = 0) -> Branch:
    """Branch `index` of a merged job: `job`'s spec, writing named output ``b<index>``, as
    text when its STORE's storer is not BinStorage."""
    store = plan.op(job.store) if job.store else None
    text = isinstance(store, L.LOStore) and not store.func.name.endswith("BinStorage")
    return Branch(job.spec, f"b{index}", text, reducers)


def reads_any(plan: L.LogicalPlan, sink_id: str, paths: set[str]) -> bool:
    """Does sink `sink_id` LOAD one of `paths` (what STOREs before it in a batch write)? Such
    a STORE must wait for them (Pig's implicit dependency)."""
    return any(isinstance(op, L.LOLoad) and op.path in paths for op in plan.upstream(sink_id))


# -- the merged job in a task -------------------------------------------------------------------
class _Running:
    """One branch inside a task: its own Pig job (built as for its own job), its key prefix,
    and the pairs its reduce side has not written yet."""

    def __init__(self, index: int, branch: Branch, ctx: Context) -> None:
        conf = ctx.conf.copy()
        conf.set(RT.SPEC, branch.spec.to_wire())
        conf.set(RT.SPLIT_ONCE, True)  # the merged map splits each line once for all
        conf.set(RT.OUTFMT, "text" if branch.text else "records")
        job = RT.job_class(branch.spec)()
        job.context = Context(
            conf, ctx.task_id, ctx.job_id, ctx.cache_files, ctx.split, ctx.partition
        )
        job.context.counters = ctx.counters  # one task, one set of counters
        job.setup()
        self.job, self.spec, self.name = job, branch.spec, branch.output
        self.prefix = bytes([index])
        self.reduces = bool(branch.spec.op)
        self.reducers = branch.reducers
        self.combine = getattr(job, "combine", None) if branch.spec.combine else None
        self.pending: list = []
        self.name_of = ""  # the branch's alias, for EXPLAIN
        self.batch = getattr(job, "map0_batch", None)
        self.single = getattr(job, "map0", None)
        self.fields = job.split_batch(0) if isinstance(job, RT.PigJob) else None
        self.code = job.split_branch(0) if isinstance(job, RT.PigJob) else None
        self.parsed = job.split_parsed(0) if isinstance(job, RT.PigJob) else None

    def mapped(self, values: list, split: dict[str, list]) -> list:
        """The branch's map output for a batch of input values; `split`: the batch's lines
        split on a delimiter, by delimiter, made once for every branch that reads fields."""
        if self.fields is not None:
            d = self.fields.delimiter
            fields = split.get(d)
            if fields is None:
                fields = split[d] = [v.split(d) for v in values]
            out = self.fields.run(None, fields)
        elif self.batch is not None:
            out = self.batch(None, values)
        else:
            out = chain.from_iterable(filter(None, map(self.single, repeat(None), values)))
        return out if type(out) is list else list(out or ())

    def tagged(self, pairs: list) -> Iterable[tuple[bytes, Any]]:
        return zip(map(self.prefix.__add__, map(_first, pairs)), map(_second, pairs))


class MultiQueryJob(Job):
    """The merged job: every branch's map on each record, each key group to its branch."""

    input_format = "text"
    output_format = "null"  # every branch writes into its own named output

    def setup(self) -> None:
        ctx = self.context
        start_task(ctx.task_id)  # UniqueID's task index and sequence
        self.branches = [
            _Running(i, Branch.from_wire(w), ctx) for i, w in enumerate(ctx.conf.get(BRANCHES))
        ]
        self.tree, others, self.tree_code = _split_tree(self.branches)
        self.parsing, self.others = _parsed_once(others)
        self.map0_batch = self._map_batch
        self.map0 = lambda key, value: self._map_batch(None, [value])
        mapping = ctx.split is not None
        for b in self.branches:  # as Pig's stores: a part file per task, empty or not
            if b.reduces != mapping and (mapping or _in_branch(b, ctx.partition)):
                ctx.output(b.name)

    def _map_batch(self, keys: Any, values: list) -> list:
        out: list = []
        if self.tree is not None:
            run, fused = self.tree
            for b, pairs in zip(fused, run(None, values)):
                if b.code.post is not None:
                    pairs = b.code.post(pairs)
                if pairs:
                    self._emit(b, pairs, out)
        if self.parsing is not None:
            parse, group = self.parsing
            rows = list(map(parse, values))
            for b in group:
                run = b.parsed.run
                pairs = [o for t in rows for o in (run(t) or ())]
                if b.parsed.post is not None:
                    pairs = b.parsed.post(pairs)
                if pairs:
                    self._emit(b, pairs, out)
        split: dict[str, list] = {}
        for b in self.others:
            pairs = b.mapped(values, split)
            if pairs:
                self._emit(b, pairs, out)
        return out

    def _emit(self, b: _Running, pairs: list, out: list) -> None:
        if b.reduces:
            out.extend(b.tagged(pairs))
        else:  # map-only: straight into its output
            self.context.output(b.name).write_pairs(pairs)

    def reduce(self, key: bytes, values: Iterable[Any]) -> None:
        b = self.branches[key[0]]
        out = b.job.reduce(key[1:], values)
        if out:
            b.pending.extend(out)
            if len(b.pending) >= _FLUSH:
                self._write(b)

    def reduce_batch(self, groups: list) -> None:
        """Whole groups at once (mapred's ``reduce_batch``): each branch's run of the batch
        (keys sort by branch number first) goes to the branch's own batch form, its keys
        without their prefix."""
        start, n = 0, len(groups)
        while start < n:
            index = groups[start][0][0]
            end = n if index == 255 else bisect_left(groups, bytes([index + 1]), start, key=_first)
            b = self.branches[index]
            out = b.job.reduce_batch([(k[1:], vs) for k, vs in groups[start:end]])
            if out:
                b.pending.extend(out)
                if len(b.pending) >= _FLUSH:
                    self._write(b)
            start = end

    def _write(self, b: _Running) -> None:
        self.context.output(b.name).write_pairs(b.pending)
        b.pending = []

    def cleanup(self) -> list | None:
        """Each branch's end-of-task output: a map's partial aggregates and key groups (tagged
        for the shuffle, or written when map-only); a reduce's pairs not yet written."""
        out: list = []
        for b in self.branches:
            tail = b.job.cleanup()
            pairs = list(tail) if tail else []
            if b.reduces and self.context.split is not None:
                out.extend(b.tagged(pairs))
                continue
            b.pending.extend(pairs)
            if b.pending:
                self._write(b)
        return out or None


class MultiQueryCombineJob(MultiQueryJob):
    """A merged job with a combiner: a branch's keys go through its own combiner, the keys of
    a branch without one pass through unchanged."""

    def combine(self, key: bytes, values: Iterable[Any]) -> list:
        b = self.branches[key[0]]
        if b.combine is None:
            return [(key, v) for v in values]
        return list(b.tagged(list(b.combine(key[1:], values))))


def _in_branch(b: _Running, partition: int | None) -> bool:
    """Whether reduce partition `partition` is one of branch `b`'s own reducers."""
    return not b.reducers or partition is None or partition < b.reducers


class _OwnReducers:
    """The partitioner of a merged job whose branches keep their own reducer counts: a
    branch's key goes to one of its first `reducers` partitions (murmur3 of the key)."""

    branches: list[_Running]

    def partition(self, key: bytes, n: int) -> int:
        reducers = self.branches[key[0]].reducers
        return hash_partition(key, min(reducers, n) if reducers else n)


class MultiQueryOwnReducersJob(_OwnReducers, MultiQueryJob):
    """`MultiQueryJob` whose branches keep their own reducer counts."""


class MultiQueryOwnReducersCombineJob(_OwnReducers, MultiQueryCombineJob):
    """`MultiQueryCombineJob` whose branches keep their own reducer counts."""


def _split_tree(
    branches: list[_Running],
) -> tuple[tuple | None, list[_Running], CG.Pipeline | None]:
    """((the SPLIT tree's generated batch function, the branches it runs), the branches that
    run on their own, the tree's generated code: what EXPLAIN prints): the branches whose
    generated code reads the first such branch's text the same way run in one function
    (`splittree`) when there are two or more."""
    coded = [b for b in branches if b.code is not None]
    fused = [b for b in coded if same_text(b.code.source, coded[0].code.source)] if coded else []
    if len(fused) < 2:
        return None, branches, None
    try:
        code = generate_split_tree("multiquery_map", [b.code for b in fused])
    except ValueError:  # a branch's code the tree cannot place: each runs its own
        return None, branches, None
    return (code.function(), fused), [b for b in branches if b not in fused], code


def _parsed_once(branches: list[_Running]) -> tuple[tuple | None, list[_Running]]:
    """((the parse, the branches that share it), the branches that parse on their own): the
    branches without generated code that parse the first such branch's input the same way
    (as Pig's FOREACH before the SPLIT: each line parsed, each bad field warned, once)."""
    parsing = [b for b in branches if b.parsed is not None]
    same = [b for b in parsing if b.parsed.source == parsing[0].parsed.source] if parsing else []
    if len(same) < 2:
        return None, branches
    return (same[0].parsed.parse, same), [b for b in branches if b not in same]


def job_class(merged: MergedJob, own_reducers: Sequence[int] = ()) -> type:
    """The merged job's class; `own_reducers`: `MergedJob.own_reducers`."""
    if any(own_reducers):
        return MultiQueryOwnReducersCombineJob if merged.combine else MultiQueryOwnReducersJob
    return MultiQueryCombineJob if merged.combine else MultiQueryJob
