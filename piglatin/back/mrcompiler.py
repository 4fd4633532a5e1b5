"""MR compiler: cut a logical plan into a chain of MapReduce jobs (Pig's MRCompiler).

Owns: deciding job boundaries and which operators run in which job's map, combine and reduce
stage. Blocking operators (COGROUP/GROUP, JOIN except 'replicated', ORDER, DISTINCT, CROSS,
LIMIT, RANK) each start a job's reduce side; the narrow operators after them (FOREACH, FILTER,
SAMPLE, SPLIT branches) fuse into that reduce side while the data does not branch, and the
narrow operators before them run in the map side, traced back to a LOAD or to an earlier job's
output. A replicated JOIN is narrow (map-only); its other inputs become files first. So is
a CROSS whose inputs but one are small (crosschoice.py): it streams that one through the map
side, its chain entry's slot naming it, and holds the others (crossgrid.HeldInputs).
Must not touch: execution (runtime.py/launcher.py) or the operators' record semantics.

Every job is an `MRJob` whose `spec` is a `JobSpec` (a frozen dataclass that crosses to the
tasks as msgpack through `to_wire`/`from_wire`); the worker rebuilds the same (deterministic)
logical plan and compiles only the op ids the spec names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, fields, replace
from typing import Any

from dfs.fastclass import dataclass
from piglatin.back import crosschoice
from piglatin.back.cogroupplan import bag_of_group, by_input_aggregates, nested_as_calls
from piglatin.back.distinctgroup import DistinctGroup, group_of_distinct
from piglatin.back.distinctgroup import enabled as distinct_group_enabled
from piglatin.back.joingroup import JoinGroup, group_on_join_key
from piglatin.back.joingroup import enabled as join_group_enabled
from piglatin.errors import PigError
from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

BLOCKING = (L.LOCogroup, L.LOSort, L.LODistinct, L.LOCross, L.LOLimit, L.LORank)
FUSABLE = (L.LOForEach, L.LOFilter, L.LOSample, L.LOStore, L.LODump)
ALGEBRAIC = ("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX", "Distinct")

__all__ = [
    "JobSpec",
    "MRJob",
    "MRPlan",
    "MapInput",
    "Algebraic",
    "algebraic_aggregates",
    "algebraic_foreach",
    "compile_sink",
    "is_blocking",
]


@frozen_dataclass(slots=False)
class MapInput:
    """One input of a job's map side: the op whose rows it reads (a LOAD or an earlier job's
    output), the narrow operators run on them ((op id, input slot) pairs) and its tag."""

    source: str
    chain: tuple[tuple[str, int], ...]
    tag: int = 0

    def to_wire(self) -> list:
        return [self.source, [list(c) for c in self.chain], self.tag]

    @classmethod
    def from_wire(cls, data: list) -> MapInput:
        source, chain, tag = data
        return cls(source, tuple((op_id, slot) for op_id, slot in chain), tag)


@frozen_dataclass(slots=False)
class JobSpec:
    """What a task needs to know of its job.

    `kind`: group, join, cross, order, distinct, limit, rank, rankcount, sample, keycount, index,
    stream (map-only: a STREAM's command over the map side's rows) or map (map-only); `op`: the blocking op starting the reduce side (None for map-only);
    `reduce_chain`: the narrow ops fused after it; `output_op`: whose rows are written;
    `store`: the STORE written, if any; `side`: ops read whole by every task; `merge`: merge
    joins' right inputs by index id; `combine`: GROUP + algebraic aggregates (a combiner);
    `by_input`: with `combine`, the partials are kept per input of a COGROUP, or of a GROUP
    whose chain the combiner rule does not take (cogroupplan.py, cogroupaggs.py);
    `strategy`: "skewed" for a skewed join; `cuts_from`: an ORDER's sampling output;
    `join`: the merge join an index job is for; `top`: an ORDER read only by a LIMIT of a
    constant N (each map task sends only its first N records in sort order), else 0;
    `group`: in a hash join's job, the GROUP on the join's key its reduce computes
    (joingroup.py), or in a DISTINCT's job, the GROUP of the distinct rows its reduce
    computes (distinctgroup.py): `reduce_chain` is then the projections between them, the
    GROUP and the ops fused after it."""

    kind: str
    op: str | None
    inputs: tuple[MapInput, ...]
    reduce_chain: tuple[str, ...]
    output_op: str
    store: str | None = None
    side: tuple[str, ...] = ()
    merge: tuple[tuple[str, MapInput], ...] = ()
    reducers: int = 0
    combine: bool = False
    by_input: bool = False
    strategy: str | None = None
    cuts_from: str | None = None
    join: str | None = None
    top: int = 0
    group: str | None = None

    def merge_input(self, index_id: str) -> MapInput:
        return dict(self.merge)[index_id]

    def to_wire(self) -> dict[str, Any]:
        wire = {f.name: getattr(self, f.name) for f in fields(self)}
        wire["inputs"] = [i.to_wire() for i in self.inputs]
        wire["reduce_chain"] = list(self.reduce_chain)
        wire["side"] = list(self.side)
        wire["merge"] = [[k, m.to_wire()] for k, m in self.merge]
        return wire

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> JobSpec:
        return cls(
            **{
                **data,
                "inputs": tuple(MapInput.from_wire(i) for i in data["inputs"]),
                "reduce_chain": tuple(data["reduce_chain"]),
                "side": tuple(data["side"]),
                "merge": tuple((k, MapInput.from_wire(m)) for k, m in data["merge"]),
            }
        )


@dataclass
class MRJob:
    """One job: its spec (for the worker), what it reads and what it writes."""

    name: str
    spec: JobSpec
    sources: list[str]  # op ids whose files this job reads (LOADs or earlier outputs)
    side: list[str]  # op ids read whole in every task (replicated inputs, scalars)
    output_op: str  # the op whose rows this job writes
    store: str | None  # the STORE op id when the job writes the user's output
    reducers: int = 0
    # True when no PARALLEL or default_parallel chose `reducers` (1 until then): the launcher
    # sets them when the job starts, from its inputs' sizes (Pig's InputSizeReducerEstimator)
    estimate: bool = False


@dataclass
class MRPlan:
    jobs: list[MRJob] = field(default_factory=list)


def is_blocking(op: L.LogicalOperator) -> bool:
    if isinstance(op, L.LOJoin):
        return op.strategy not in ("replicated", "merge")
    return isinstance(op, BLOCKING)


@frozen_dataclass(slots=False)
class Algebraic:
    """A GROUP's FOREACH the combiner can compute: `foreach` as the reduce side evaluates it
    (a nested DISTINCT made a call of the Distinct function) and its algebraic `calls`."""

    foreach: L.LOForEach
    calls: tuple[L.LEFunc, ...]


def algebraic_foreach(
    plan: L.LogicalPlan, group: L.LogicalOperator, chain: Sequence[str]
) -> Algebraic | None:
    """When GROUP is followed by a FOREACH of group + aggregates only (Pig's combiner rule),
    that FOREACH and its algebraic calls. A nested block of bag projections, DISTINCTs and
    FILTERs of them counts: as in Pig, its DISTINCTs become calls of the Distinct function;
    beyond Pig, a FILTER of the grouped rows becomes the bag it keeps (`LEFilteredBag`), so
    ``{ m = FILTER B BY t < 5; GENERATE group, COUNT(m) }`` counts map-side as well."""
    if not isinstance(group, L.LOCogroup) or len(group.inputs) != 1 or not chain:
        return None
    fe = plan.op(chain[0])
    if not isinstance(fe, L.LOForEach):
        return None
    if fe.nested:
        fe = nested_as_calls(fe)
        if fe is None:
            return None
    calls: list[L.LEFunc] = []
    for g in fe.generate:
        if g.flatten and not _is_group(g):
            return None
        if not _only_algebraic(g.expr, calls):
            return None
    return Algebraic(fe, tuple(calls)) if calls else None


def algebraic_aggregates(
    plan: L.LogicalPlan, group: L.LogicalOperator, chain: Sequence[str]
) -> list[L.LEFunc] | None:
    """The algebraic calls of `algebraic_foreach`, else of `cogroupplan.by_input_aggregates`
    (the SIZE/IsEmpty calls when it has only those), or None."""
    found = algebraic_foreach(plan, group, chain)
    if found is not None:
        return list(found.calls)
    by_input = by_input_aggregates(plan, group, chain)
    if by_input is None:
        return None
    return list(by_input.calls) or [by_input.uses[0][0]]


def _is_group(g: L.GenerateItem) -> bool:
    """FLATTEN(group): the key's fields as output columns (Pig combines it too)."""
    return isinstance(g.expr, L.LEProject) and g.expr.column == 0 and not g.casts


def _only_algebraic(e: L.LExpr, calls: list[L.LEFunc]) -> bool:
    if isinstance(e, L.LEFunc) and e.func in ALGEBRAIC and e.kind == "builtin" and not e.ctor_args:
        arg = e.args[0] if len(e.args) == 1 else None
        if arg is not None and bag_of_group(arg):
            calls.append(e)
            return True
        if not (arg is not None and isinstance(arg, L.LEFunc)):
            return False
        # an aggregate of an algebraic call (COUNT(Distinct(B.x))): only the inner one is
        # computed by the combiner, the outer one on the reduce side, as in Pig
    if isinstance(e, L.LEProject):
        return e.column == 0
    if isinstance(e, L.LEDeref):
        return isinstance(e.base, L.LEProject) and e.base.column == 0
    if isinstance(e, L.LEConst):
        return True
    if isinstance(e, (L.LECast, L.LEUnary)):
        return _only_algebraic(e.operand, calls)
    if isinstance(e, L.LEBinary):
        return _only_algebraic(e.left, calls) and _only_algebraic(e.right, calls)
    if isinstance(e, L.LEBinCond):
        return all(_only_algebraic(x, calls) for x in (e.cond, e.then, e.otherwise))
    if isinstance(e, L.LEFunc):
        return all(_only_algebraic(a, calls) for a in e.args)
    return False


class _Compiler:
    def __init__(
        self,
        plan: L.LogicalPlan,
        sink_id: str,
        done: set[str],
        conf: dict,
        shared: frozenset[str] = frozenset(),
    ) -> None:
        self.plan = plan
        self.done = set(done)  # ops whose output files exist already
        self.conf = conf
        # ops other sinks of the batch read too (multiquery.shared_relations): a reduce side
        # ends there, its output the file every reader of the relation takes
        self.shared = shared
        live = plan.upstream(sink_id)
        self.live = {op.op_id for op in live}
        self.consumers: dict[str, list[str]] = {op.op_id: [] for op in live}
        for op in live:
            for dep in plan.dependencies(op.op_id):
                if dep in self.consumers and op.op_id not in self.consumers[dep]:
                    self.consumers[dep].append(op.op_id)
        self.jobs: list[MRJob] = []
        self.produced: dict[str, MRJob] = {}
        # blocking op -> last fused op; fused op (or absorbed sink) -> the job's output op;
        # merge join index id -> the right input's (source, chain)
        self.reduce_end: dict[str, str] = {}
        self.member_of: dict[str, str] = {}
        self.merge: dict[str, MapInput] = {}
        self.fuse_groups = join_group_enabled(plan)
        self.fuse_distinct_groups = distinct_group_enabled(plan)
        self._alive: set[str] | None = None  # ops some sink of the plan (or this one) reads
        self._streamed: dict[str, int | None] = {}  # CROSS -> its map side's streamed input

    def blocking(self, op: L.LogicalOperator) -> bool:
        """`is_blocking`, but a CROSS that runs in a map side (`streamed`) is narrow."""
        return is_blocking(op) and self.streamed(op) is None

    def streamed(self, op: L.LogicalOperator) -> int | None:
        """The input a map-side CROSS streams (crosschoice.py); None for any other op."""
        if not isinstance(op, L.LOCross):
            return None
        if op.op_id not in self._streamed:
            choice = crosschoice.streamed(self.plan, op, self.conf, self.done)
            self._streamed[op.op_id] = choice
        return self._streamed[op.op_id]

    # -- reduce chains ------------------------------------------------------------------
    def reduce_chain(self, op_id: str) -> list[str]:
        chain = []
        cur = op_id
        while cur not in self.shared:
            users = self.consumers.get(cur, [])
            if len(users) != 1 or _scalar_source(self.plan, cur):
                break
            nxt = self.plan.op(users[0])
            if not isinstance(nxt, FUSABLE) or nxt.inputs.count(cur) != 1:
                break
            chain.append(nxt.op_id)
            if isinstance(nxt, L.SINKS):
                break
            cur = nxt.op_id
        return chain

    # -- map paths ----------------------------------------------------------------------
    def paths(self, op_id: str) -> list[tuple[str, list[list[Any]]]]:
        """(source op id, chain of [op id, input slot]) for every way rows reach `op_id`."""
        op = self.plan.op(op_id)
        if op_id in self.done or isinstance(op, L.LOLoad) or op_id in self.produced:
            return [(op_id, [])]
        if self.blocking(op):
            return [(self.ensure(op_id), [])]
        if isinstance(op, L.LOStream):
            return [(self.stream(op_id), [])]
        out = []
        streamed = self.streamed(op)
        slots = [0] if isinstance(op, L.LOJoin) else range(len(op.inputs))
        if streamed is not None:
            slots = [streamed]
        for slot in slots:
            for src, chain in self.paths(op.inputs[slot]):
                out.append((src, chain + [[op_id, slot]]))
        if op_id in self.member_of:  # fused into a reduce side while tracing its inputs
            return [(self.member_of[op_id], [])]
        return out

    def side_inputs(self, chain: list[list[Any]]) -> list[str]:
        """Materialize the replicated inputs and scalars a map chain needs."""
        side = []
        for op_id, slot in chain:
            op = self.plan.op(op_id)
            if isinstance(op, L.LOJoin) and op.strategy == "replicated":
                for dep in op.inputs[1:]:
                    side.append(self.materialize(dep))
            if isinstance(op, L.LOCross):  # map-side: the inputs it holds
                side.extend(self.materialize(d) for i, d in enumerate(op.inputs) if i != slot)
            if isinstance(op, L.LOJoin) and op.strategy == "merge":
                side.extend(self.merge_index(op))
            side.extend(self.scalar_sources(op_id))
        return side

    def scalar_sources(self, op_id: str) -> list[str]:
        return [self.materialize(src) for user, src in self.plan.scalars if user == op_id]

    def materialize(self, op_id: str) -> str:
        """An op whose output must be a file: returns the op id that file holds."""
        op = self.plan.op(op_id)
        if op_id in self.done or op_id in self.produced or isinstance(op, L.LOLoad):
            return op_id
        if self.blocking(op):
            return self.ensure(op_id)
        if isinstance(op, L.LOStream):
            return self.stream(op_id)
        paths = self.paths(op_id)
        if op_id not in self.produced:
            self.add_job("map", None, paths, [], op_id, None)
        return op_id

    def stream(self, op_id: str) -> str:
        """A STREAM's job (kind "stream", map-only: streaming.py runs the command in each map
        task): its map side is the chain that feeds the STREAM, its output the STREAM's rows,
        which later jobs read as a source."""
        if op_id not in self.produced:
            op = self.plan.op(op_id)
            self.add_job("stream", None, self.paths(op.inputs[0]), [], op_id, None)
        return op_id

    def merge_index(self, op: L.LOJoin) -> list[str]:
        """The index job over a merge join's right input; returns the side inputs it needs."""
        index_id = op.op_id + "#index"
        if index_id in self.merge:
            return [index_id, self.merge[index_id].source]
        right = self.paths(op.inputs[1])
        if len(right) != 1:
            raise PigError(
                "Merge join's right input must be one LOAD (optionally followed by "
                "FOREACH/FILTER); use the default hash join instead",
                code=1103,
                line=op.line,
                column=op.column,
            )
        source, chain = right[0]
        self.merge[index_id] = MapInput(source, tuple((o, sl) for o, sl in chain), 1)
        job = self.add_job("index", None, [(source, chain, 1)], [], index_id, None)
        job.spec = replace(job.spec, join=op.op_id)
        return [index_id, source]

    # -- jobs ---------------------------------------------------------------------------
    def ensure(self, op_id: str) -> str:
        """Compile the job whose reduce side starts at blocking op `op_id`; its output op."""
        if op_id in self.reduce_end:
            return self.reduce_end[op_id]
        op = self.plan.op(op_id)
        fused = self.join_group(op)
        if fused is not None:
            return self.ensure_join_group(fused)
        of_distinct = self.distinct_group(op)
        if of_distinct is not None:
            return self.ensure_distinct_group(of_distinct)
        if isinstance(op, L.LORank) and not op.keys:
            return self.ensure_rank(op)
        chain = self.reduce_chain(op_id)
        store = None
        if chain and isinstance(self.plan.op(chain[-1]), L.SINKS):
            store = chain.pop()
        end = chain[-1] if chain else op_id
        self.reduce_end[op_id] = end
        for member in chain + ([store] if store else []):
            self.member_of[member] = end
        inputs = []
        for tag, dep in enumerate(op.inputs):
            for src, path in self.paths(dep):
                inputs.append((src, path, tag))
        if isinstance(op, L.LOJoin) and op.strategy == "skewed":
            keys_id = op.op_id + "#keys"
            left = [i for i in inputs if i[2] == 0]
            sample = self.add_job("keycount", op, left, [], keys_id, None)
            sample.spec = replace(sample.spec, reducers=1)
            sample.reducers = 1
            job = self.add_job(_kind(op), op, inputs, chain, end, store)
            job.spec = replace(job.spec, strategy="skewed", side=(*job.spec.side, keys_id))
            job.side.append(keys_id)
            return end
        if isinstance(op, L.LOSort) and (
            self.reducers(op, "order") > 1
            or (self.conf.get(TO_RUN) and self.estimated(op, "order"))
        ):  # the launcher drops an estimated ORDER's sampler if it gets one reducer
            sample_id = op.op_id + "#sample"
            sample = self.add_job("sample", op, inputs, [], sample_id, None)
            sample.spec = replace(sample.spec, reducers=0)
            sample.reducers = 0
            job = self.add_job(_kind(op), op, inputs, chain, end, store)
            job.spec = replace(job.spec, cuts_from=sample_id, side=(*job.spec.side, sample_id))
            job.side.append(sample_id)
            return end
        job = self.add_job(_kind(op), op, inputs, chain, end, store)
        top = _limit_after(self.plan, op, chain)
        if top is not None:
            job.spec = replace(job.spec, top=top)
        return end

    def ensure_rank(self, op: L.LORank) -> str:
        """A plain RANK as Pig runs it (MRCompiler.visitRank: POCounter, then PORank), with
        no reducer: a map-only job (kind "rankcount") counts the rows each map task gives,
        then a map-only job (kind "rank", its counts in `cuts_from`) writes each row with
        the rows of the earlier tasks plus its position in its task. The rank job's map side
        fuses the narrow ops after it (and their STORE), as a reduce side does."""
        end, chain, store = self._fused_end(op.op_id)
        inputs = [(src, path, 0) for src, path in self.paths(op.inputs[0])]
        counts_id = op.op_id + "#counts"
        counts = self.add_job("rankcount", op, inputs, [], counts_id, None)
        job = self.add_job("rank", op, inputs, chain, end, store)
        for j in (counts, job):
            j.spec = replace(j.spec, reducers=0)
            j.reducers = 0
        job.spec = replace(job.spec, cuts_from=counts_id, side=(*job.spec.side, counts_id))
        job.side.append(counts_id)
        return end

    def join_group(self, op: L.LogicalOperator) -> JoinGroup | None:
        """The JOIN whose reduce computes GROUP `op` (joingroup.py), when its rows are not
        made already; None otherwise, or with the rule switched off."""
        if not self.fuse_groups or not isinstance(op, L.LOCogroup):
            return None
        fused = group_on_join_key(self.plan, op.op_id, self.alive)
        if fused is None:
            return None
        for op_id in (fused.join, *fused.projections):
            if op_id in self.done or op_id in self.produced or op_id in self.reduce_end:
                return None
        return fused

    def distinct_group(self, op: L.LogicalOperator) -> DistinctGroup | None:
        """The DISTINCT whose reduce computes GROUP `op` (distinctgroup.py), when its rows
        are not made already; None otherwise, or with the rule switched off."""
        if not self.fuse_distinct_groups or not isinstance(op, L.LOCogroup):
            return None
        fused = group_of_distinct(self.plan, op.op_id, self.alive)
        if fused is None:
            return None
        for op_id in (fused.distinct, *fused.projections):
            if op_id in self.done or op_id in self.produced or op_id in self.reduce_end:
                return None
        return fused

    def ensure_distinct_group(self, fused: DistinctGroup) -> str:
        """`ensure` of a GROUP computed in its DISTINCT's reduce: one job whose map side is
        the DISTINCT's, and whose reduce chain is the projections, the GROUP and what follows
        it. Its reducers: the GROUP's PARALLEL, else the DISTINCT's, else default_parallel,
        else the launcher's estimate."""
        group, distinct = self.plan.op(fused.group), self.plan.op(fused.distinct)
        end, after, store = self._fused_end(group.op_id)
        inputs = []
        for src, path in self.paths(distinct.inputs[0]):
            inputs.append((src, path, 0))
        chain = [*fused.projections, group.op_id, *after]
        job = self.add_job("distinct", distinct, inputs, chain, end, store)
        reducers = self.reducers(group if group.parallel else distinct, "group")
        job.spec = replace(job.spec, group=group.op_id, reducers=reducers)
        job.reducers = reducers
        job.estimate = not group.parallel and self.estimated(distinct, "distinct")
        return end

    def _fused_end(self, group_id: str) -> tuple[str, list[str], str | None]:
        """The reduce chain after a fused GROUP: the op whose rows the job writes, the ops
        fused after the GROUP and the STORE that writes them (if any), recorded as this
        GROUP's job's."""
        after = self.reduce_chain(group_id)
        store = None
        if after and isinstance(self.plan.op(after[-1]), L.SINKS):
            store = after.pop()
        end = after[-1] if after else group_id
        self.reduce_end[group_id] = end
        for member in after + ([store] if store else []):
            self.member_of[member] = end
        return end, after, store

    def alive(self, op_id: str) -> bool:
        """Whether `op_id` runs for some sink of the plan, or for this compilation's target."""
        if self._alive is None:
            self._alive = set(self.live)
            for sink in self.plan.sinks():
                self._alive.update(op.op_id for op in self.plan.upstream(sink.op_id))
        return op_id in self._alive

    def ensure_join_group(self, fused: JoinGroup) -> str:
        """`ensure` of a GROUP computed in its JOIN's reduce: one job whose map side is the
        join's, and whose reduce chain is the projections, the GROUP and what follows it. Its
        reducers: the GROUP's PARALLEL, else the JOIN's, else default_parallel, else the
        launcher's estimate."""
        group, join = self.plan.op(fused.group), self.plan.op(fused.join)
        after = self.reduce_chain(group.op_id)
        store = None
        if after and isinstance(self.plan.op(after[-1]), L.SINKS):
            store = after.pop()
        end = after[-1] if after else group.op_id
        self.reduce_end[group.op_id] = end
        for member in after + ([store] if store else []):
            self.member_of[member] = end
        inputs = []
        for tag, dep in enumerate(join.inputs):
            for src, path in self.paths(dep):
                inputs.append((src, path, tag))
        chain = [*fused.projections, group.op_id, *after]
        job = self.add_job("join", join, inputs, chain, end, store)
        reducers = self.reducers(group if group.parallel else join, "group")
        job.spec = replace(job.spec, group=group.op_id, reducers=reducers)
        job.reducers = reducers
        job.estimate = not group.parallel and self.estimated(join, "join")
        return end

    def add_job(
        self,
        kind: str,
        op: L.LogicalOperator | None,
        inputs: list,
        chain: list[str],
        end: str,
        store: str | None,
    ) -> MRJob:
        norm = [(i[0], i[1], i[2] if len(i) > 2 else 0) for i in inputs]
        side: list[str] = []
        for _src, path, _tag in norm:
            side.extend(self.side_inputs(path))
        for op_id in ([op.op_id] if op is not None else []) + chain:
            side.extend(self.scalar_sources(op_id))
        reducers = 0
        combine = by_input = False
        if op is not None:
            reducers = self.reducers(op, kind)
            if kind == "group":
                no_combiner = str(self.conf.get("pig.exec.nocombiner", "")).lower() == "true"
                combine = not no_combiner and algebraic_foreach(self.plan, op, chain) is not None
                by_input = not no_combiner and not combine
                by_input = by_input and by_input_aggregates(self.plan, op, chain) is not None
                combine = combine or by_input
        spec = JobSpec(
            kind=kind,
            op=op.op_id if op is not None else None,
            inputs=tuple(MapInput(s, tuple((o, sl) for o, sl in p), t) for s, p, t in norm),
            reduce_chain=tuple(chain),
            output_op=end,
            store=store,
            side=tuple(sorted(set(side))),
            merge=tuple(self.merge.items()),
            reducers=reducers,
            combine=combine,
            by_input=by_input,
        )
        job = MRJob(
            f"job{len(self.jobs) + 1}",
            spec,
            sorted({s for s, _p, _t in norm}),
            sorted(set(side)),
            end,
            store,
            reducers,
            op is not None and self.estimated(op, kind),
        )
        self.jobs.append(job)
        self.produced[end] = job
        return job

    def reducers(self, op: L.LogicalOperator, kind: str) -> int:
        """The operator's PARALLEL, else ``default_parallel`` (when above 0, as Pig's), else 1
        (which the launcher may raise: `estimated`); always 1 for LIMIT, RANK, a
        skewed join's key count and a GROUP by constants (ALL), whatever its PARALLEL says
        (Pig's GroupByConstParallelSetter: its one key meets in one reducer)."""
        if kind in ONE_REDUCER or _by_constants(op):
            return 1
        parallel = getattr(op, "parallel", None)
        if parallel:
            return int(parallel)
        default = int(self.conf.get("default_parallel") or 0)
        return default if default > 0 else 1

    def estimated(self, op: L.LogicalOperator, kind: str) -> bool:
        """Whether the job's reducers are left to the launcher's estimate from the sizes of
        its inputs when it starts (Pig's InputSizeReducerEstimator): a GROUP, JOIN, CROSS, ORDER
        or DISTINCT job (not a sampler) without PARALLEL or ``default_parallel``, except a GROUP
        by constants (ALL; Pig's GroupByConstParallelSetter gives it one reducer) and an ORDER
        read only by a LIMIT (its maps send at most N rows each)."""
        kinds = ("group", "join", "cross", "order", "distinct")
        if kind not in kinds or getattr(op, "parallel", None):
            return False
        if int(self.conf.get("default_parallel") or 0) > 0:
            return False
        if isinstance(op, L.LOCogroup):
            return not _by_constants(op)
        return not (isinstance(op, L.LOSort) and _limit_after(self.plan, op, []) is not None)

    def sink(self, sink_id: str) -> None:
        paths = self.paths(sink_id)
        if sink_id in self.member_of:
            return  # written by the reduce side of a job
        src = self.plan.op(sink_id).inputs[0]
        self.add_job("map", None, _strip_sink(paths), [], src, sink_id)


#: Job kinds that always run one reduce task.
ONE_REDUCER = ("limit", "rank", "keycount")


def _by_constants(op: L.LogicalOperator | None) -> bool:
    """Is `op` a GROUP/COGROUP by constants only (GROUP ... ALL)?"""
    if not isinstance(op, L.LOCogroup):
        return False
    keys = [e for exprs in op.keys for e in exprs]
    return op.group_all or all(isinstance(e, L.LEConst) for e in keys)


#: Compile conf: the jobs are compiled to run (not for EXPLAIN), so an ORDER whose reducers
#: are `estimated` gets its sampling job, which the launcher drops if it gets one reducer.
TO_RUN = "pig.compile.to.run"


def _limit_after(plan: L.LogicalPlan, op: L.LogicalOperator, chain: list[str]) -> int | None:
    """N when `op` is an ORDER whose rows only a LIMIT of the constant N reads (Pig's limited
    sort: the sort job's maps need send no more than N rows each); None otherwise."""
    if not isinstance(op, L.LOSort) or chain:
        return None
    readers = plan.successors(op.op_id)
    if len(readers) != 1 or not isinstance(readers[0], L.LOLimit):
        return None
    count = readers[0].count
    if not isinstance(count, L.LEConst) or type(count.value) is not int or count.value < 0:
        return None
    return count.value


def _strip_sink(paths: list) -> list:
    return [(s, p[:-1]) for s, p in paths]


def _scalar_source(plan: L.LogicalPlan, op_id: str) -> bool:
    return any(src == op_id for _u, src in plan.scalars)


def _kind(op: L.LogicalOperator) -> str:
    if isinstance(op, L.LOCogroup):
        return "group"
    if isinstance(op, L.LOJoin):
        return "join"
    if isinstance(op, L.LOSort):
        return "order"
    if isinstance(op, L.LODistinct):
        return "distinct"
    if isinstance(op, L.LOCross):
        return "cross"
    if isinstance(op, L.LOLimit):
        return "limit"
    if isinstance(op, L.LORank):
        return "rank"
    raise PigError(f"cannot compile {op.name}", code=2999)


def compile_sink(
    plan: L.LogicalPlan,
    sink_id: str,
    done: set[str] | None = None,
    conf: dict | None = None,
    shared: frozenset[str] = frozenset(),
) -> MRPlan:
    """The jobs that produce sink `sink_id` (STORE or DUMP), in run order; `done` lists ops
    whose output files already exist (reused instead of recomputed); `shared`, ops other
    sinks of its batch read too: a job computing one ends there and writes it."""
    c = _Compiler(plan, sink_id, done or set(), conf or {}, shared)
    check_joins(plan, c.live)
    c.sink(sink_id)
    return MRPlan(c.jobs)


def check_joins(plan: L.LogicalPlan, live: set[str]) -> None:
    """Refuse joins a strategy cannot do, naming the strategy that can (Pig's messages)."""
    for op in plan.operators:
        if not isinstance(op, L.LOJoin) or op.op_id not in live:
            continue
        where = {"line": op.line, "column": op.column}
        if op.strategy == "replicated" and op.join_type in ("right", "full"):
            raise PigError(
                "Replicated join does not support (right|full) outer joins; "
                "use the default hash join or 'skewed'",
                code=1000,
                **where,
            )
        if op.strategy == "merge" and op.join_type in ("right", "full"):
            raise PigError(
                "Merge join supports inner and left outer joins only; "
                "use the default hash join or 'skewed' for right/full outer joins",
                code=1000,
                **where,
            )
        if op.strategy in ("skewed", "merge") and len(op.inputs) > 2:
            name = op.strategy.capitalize()
            raise PigError(
                f"{name} join can only be applied for 2-way joins; "
                "use the default hash join or 'replicated'",
                code=1000,
                **where,
            )


def compile_target(plan: L.LogicalPlan, op_id: str, conf: dict | None = None) -> MRPlan:
    """The jobs that materialize relation `op_id` (EXPLAIN of an alias)."""
    c = _Compiler(plan, op_id, set(), conf or {})
    c.materialize(op_id)
    return MRPlan(c.jobs)
