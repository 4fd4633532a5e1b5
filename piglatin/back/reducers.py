"""Shuffle-side packaging of Pig's blocking operators: what the map emits and what reduce makes.

Owns, per job kind (see mrcompiler.py): the map-side key/value of each tagged input (Pig byte
sort keys, values as `pack_value` bytes), the reduce-side packaging (COGROUP bags, hash join
and CROSS with the last input streamed and the others buffered, ORDER, DISTINCT, LIMIT, RANK)
and the skewed join's sampling and hot-key spreading. GROUP bags and join/CROSS buffers spill
to disk past the task's bag budget (spillbag.py). GROUP + algebraic aggregates live in
aggregates.py, map-side joins in mapjoins.py. Must not touch: job boundaries or task wiring
(runtime.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice, product, repeat
from operator import add, itemgetter
from typing import Any

import msgpack

from mapred.grouping import GroupRuns
from piglatin.back import crossgrid as XG
from piglatin.back.aggregates import AGG_KEYS, agg_reducer, agg_tail
from piglatin.back.bagusage import streaming_bags
from piglatin.back.codegen import (
    DistinctTail,
    KeyedTail,
    PackedRows,
    RecordSource,
    StoreLine,
    TextPassThrough,
    generate_map_pipeline,
    key_encoder,
    row_encoder,
    text_lines,
)
from piglatin.back.cogroupaggs import cogroup_key_encoder
from piglatin.back.cogroupaggs import map_tail as by_input_tail
from piglatin.back.cogroupaggs import reducer as by_input_reducer
from piglatin.back.exprs import key_bytes
from piglatin.back.joinfragments import fragment_batch, fragment_reducer, join_fragments
from piglatin.back.joingroupreduce import reducer as join_group_reducer
from piglatin.back.joingroupreduce import side_packer
from piglatin.back.joinkeys import has_null, width
from piglatin.back.joinlines import SideTexts, side_texts
from piglatin.back.mapgroups import group_rows
from piglatin.back.physical import Compiler, chain_functions, per_row
from piglatin.back.reducebatch import BatchReduce, RowWriter, row_writer, unpacked_values
from piglatin.back.spillbag import (
    CHECK_ROWS,
    BagBudget,
    RowBuffer,
    each_row,
    group_bags,
    product_rows,
)
from piglatin.back.storage import pack_value, unpacker
from piglatin.back.topn import first_key_filter
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.bytefields import plain_atoms
from piglatin.plan.exprs import columns

SPILL_RECORDS = "pig.join.spill.records"
CODEGEN = "pig.codegen"  # runtime.CODEGEN: false runs the reduce chain as closures too
DISTINCT_SEEN = 100000  # a DISTINCT's map side remembers at most this many rows per task
_NULL = b"\x00"  # below every data.sort_bytes prefix: null keys that must not match

_chain = chain.from_iterable


__all__ = [
    "MapState",
    "hashable_rows",
    "map_tail",
    "reducer",
]


class MapState:
    __slots__ = ("aggs", "seen", "seq")

    def __init__(self) -> None:
        self.seq = 0
        self.aggs: dict[bytes, list] = {}
        self.seen: set[bytes] = set()


_ATOMS = {"int", "long", "float", "double", "chararray", "bytearray", "boolean"}


def packer(plan: L.LogicalPlan, op_id: str | None) -> Callable[[tuple], bytes]:
    """`pack_value` for the rows of `op_id`, or plain msgpack when its schema says every
    field is an atom, a bytearray one only where the plan proves it holds bytes (a UDF's
    or BinStorage's may hold a bag: `plan.bytefields`); both read back with `unpack_value`.
    Built once per task."""
    if op_id is None or not plain_atoms(plan, op_id) or not len(plan.op(op_id).schema or ()):
        return pack_value
    return msgpack.Packer(use_bin_type=True).pack


def hashable_rows(schema: Any) -> bool:
    """Whether rows of `schema` are hashable by their declared types (a `DistinctTail`
    remembers rows in a set): no bag or map (a list, a dict), nor a tuple that may hold one."""
    return schema is not None and all(map(_hashable, schema))


def _hashable(field: Any) -> bool:
    if field.dtype in (DataType.BAG, DataType.MAP):
        return False
    if field.dtype is DataType.TUPLE:
        return hashable_rows(field.schema)
    return True


# ----------------------------------------------------------------------------------- map side
def keyed_tail(plan: L.LogicalPlan, spec: Any, tag: int) -> KeyedTail | DistinctTail | None:
    """The map output of input `tag` of a plain GROUP or COGROUP or a hash JOIN as a
    `KeyedTail` the generated pipeline writes inline, of a DISTINCT as a `DistinctTail`;
    None for every other tail."""
    op = plan.op(spec.op) if spec.op else None
    if spec.kind == "distinct":  # every map input's rows are the one input's (a UNION's)
        schema = plan.op(op.inputs[0]).schema
        if schema is None or not len(schema) or not hashable_rows(schema):
            return None  # a row with a bag or a map: the closures
        encode = row_encoder([f.type for f in schema])
        return DistinctTail(encode, packer(plan, op.inputs[0]), set(), set(), DISTINCT_SEEN)
    pack = packer(plan, op.inputs[tag]) if op is not None else None
    if spec.kind == "group" and not spec.combine and not op.group_all:
        types = [e.type for e in op.keys[tag]]
        if len(op.inputs) == 1:
            return KeyedTail(op.keys[tag], key_encoder(types), b"", tag, pack, None, False)
        # COGROUP: null keys, and keys with a null field, of different inputs stay apart
        encode = cogroup_key_encoder(types, tag)
        null_key = _NULL + bytes([tag])
        return KeyedTail(op.keys[tag], encode, b"", tag, pack, null_key, True, whole_null=True)
    if spec.kind == "join" and spec.strategy is None:
        tb = bytes([tag])
        encode = key_encoder([e.type for e in op.keys[tag]])
        outer = _outer_sides(op)[tag]
        frags = join_fragments(plan, spec)
        part = frags.sides[tag] if frags is not None else None
        if spec.group:  # the columns its reduce reads (joingroupreduce.py)
            pack = side_packer(plan, spec, tag) or pack
        return KeyedTail(op.keys[tag], encode, tb, tag, pack, _NULL + tb + tb, outer, False, part)
    return None


def map_tail(job: Any, tag: int) -> Callable[[tuple], list]:
    spec, plan, comp = job.spec, job.plan, job.compiler
    op = plan.op(spec.op)
    kind = spec.kind
    sort_bytes = key_bytes
    pack_value = packer(plan, op.inputs[tag])
    if kind == "group":
        if spec.combine:
            return by_input_tail(job, op, tag) if spec.by_input else agg_tail(job, op)
        if op.group_all:
            return lambda t: [(b"", (tag, pack_value(t)))]
        keyf = comp.key_fn(op.keys[tag], width(job, op, tag))
        if len(op.inputs) > 1:  # null keys, and keys with a null field, apart per input
            cogroup_bytes = cogroup_key_encoder([e.type for e in op.keys[tag]], tag)
            return lambda t: [(cogroup_bytes(keyf(t)), (tag, pack_value(t)))]
        sort_bytes = key_encoder([e.type for e in op.keys[tag]])
        return lambda t: [(sort_bytes(keyf(t)), (tag, pack_value(t)))]
    if kind == "keycount":
        return _keycount_tail(job, op)
    if kind == "join" and spec.strategy == "skewed":
        return _skewed_tail(job, op, tag)
    if kind == "join":
        keyf = comp.key_fn(op.keys[tag], width(job, op, tag))
        sort_bytes = key_encoder([e.type for e in op.keys[tag]])
        tb = bytes([tag])
        outer = _outer_sides(op)[tag]
        null_key = _NULL + tb + tb
        frags = join_fragments(plan, spec)
        if frags is not None:  # the row's part of the output record (joinfragments.py)
            pack_value = frags.sides[tag].of_row
        elif spec.group and spec.strategy is None:  # the columns its reduce reads
            pack_value = side_packer(plan, spec, tag) or pack_value

        def join(t):
            k = keyf(t)
            if has_null(k):
                return [(null_key, (tag, pack_value(t)))] if outer else []
            return [(sort_bytes(k) + tb, (tag, pack_value(t)))]

        return join
    if kind == "cross":  # Pig's GFCross: the rows spread over a grid of reducers (crossgrid.py)
        start = XG.task_number(getattr(job.context, "task_id", ""))
        return XG.cross_tail(tag, len(op.inputs), spec.reducers, start, pack_value)
    if kind == "sample":
        return _sample_tail(job, op)
    if kind == "order" or (kind == "rank" and op.keys):
        keyf = comp.sort_key(op.keys)
        if written_by_map(spec):
            emit = job.emit
            tail = lambda t: [(keyf(t), emit(t)[0][1])]  # noqa: E731
        else:
            tail = lambda t: [(keyf(t), pack_value(t))]  # noqa: E731
        top = spec.top if kind == "order" else 0  # a limited sort: rows past it dropped first
        return first_key_filter(tail, op.keys, top) if top else tail
    if kind == "distinct":
        if written_by_map(spec):
            pack_value = written_value(job.emit)
        seen = job.state.seen if hasattr(job, "state") else set()
        schema = plan.op(op.inputs[0]).schema
        if schema is not None and len(schema):
            sort_bytes = row_encoder([f.type for f in schema])

        def distinct(t):
            kb = sort_bytes(t)
            if kb in seen:
                return []
            if len(seen) < DISTINCT_SEEN:
                seen.add(kb)
            return [(kb, pack_value(t))]

        return distinct
    if kind == "rankcount":
        return _rank_count_tail(job)
    if kind == "rank" and spec.cuts_from:
        return _rank_tail(job)
    if kind in ("limit", "rank"):
        return _sequenced(job, op, kind)
    raise NotImplementedError(kind)


RANK_COUNTS = "pig.rank.counts"


def _split_id(job: Any) -> list:
    """[file, split start, input index] of the map task: the same split in both jobs of a
    plain RANK (they read the same inputs with the same split settings)."""
    split = job.context.split
    if split is None:
        return ["", 0, 0]
    return [split.url, split.start, split.input_index]


def _rank_count_tail(job: Any) -> Callable[[tuple], list]:
    """A plain RANK's counting job (Pig's POCounter): the number of rows of each map task,
    written once at its end as [file, split start, input index, rows]."""
    state = job.state
    where = _split_id(job)
    job.add_flush(lambda: [(None, pack_value([*where, state.seq]))])

    def count(t):
        state.seq += 1
        return []

    return count


def rank_offset(counts: Iterable, where: list) -> int:
    """The rows of the map tasks before split `where` (by file, start, input index: the
    order the reduce-side RANK ranked them in), from the counting job's [file, start, input
    index, rows] records (Pig's PORank: the counts of the earlier tasks)."""
    offset = 0
    for url, start, index, n in sorted(counts, key=lambda c: (c[0], c[1], c[2])):
        if [url, start, index] == where:
            return offset
        offset += n
    raise RuntimeError(f"RANK: no row count for the split {where!r} of its counting job")


def _rank_tail(job: Any) -> Callable[[tuple], list]:
    """A plain RANK in a map-only job (Pig's PORank): each row's rank is the rows of the
    earlier map tasks plus its position in this task's; the ranked row goes through the
    narrow ops fused after the RANK (the job's reduce chain), then is written."""
    state = job.state
    state.seq = rank_offset(job.context.conf.get(RANK_COUNTS) or [], _split_id(job))
    stages = [job.compiler.narrow(job.plan.op(o), 0) for o in job.spec.reduce_chain]
    run = chain_functions(stages, job.emit)

    def rank(t):
        state.seq += 1
        return run((state.seq, *t))

    return rank


def _keycount_tail(job: Any, op: L.LOJoin) -> Callable[[tuple], list]:
    """The skewed join's sampling job: key counts of the left input, counted in the map."""
    keyf = job.compiler.key_fn(op.keys[0])
    counts: dict[bytes, int] = {}
    sort_bytes = key_encoder([e.type for e in op.keys[0]])  # data.sort_bytes, generated
    rate = float(job.context.conf.get("pig.skewedjoin.sample.rate", 1.0) or 1.0)
    step = max(1, round(1 / rate))
    state = job.state

    def flush() -> list:
        out = list(counts.items())
        counts.clear()
        return out

    job.add_flush(flush)

    def count(t):
        state.seq += 1
        if state.seq % step:
            return []
        k = keyf(t)
        if not has_null(k):
            kb = sort_bytes(k)
            counts[kb] = counts.get(kb, 0) + 1
        return flush() if len(counts) > AGG_KEYS else []

    return count


HASHED = 0xFFFF  # skewed join: "partition by hash" marker in the key's last two bytes


def hot_keys(conf: Any) -> dict[bytes, tuple[int, int]]:
    return {bytes(kb): (start, n) for kb, start, n in (conf.get("pig.skew.hot") or [])}


def _skewed_tail(job: Any, op: L.LOJoin, tag: int) -> Callable[[tuple], list]:
    """Hot keys of the left input go round-robin to their reducers; the matching right
    records are copied to every one of them. Other keys are hash-partitioned."""
    keyf = job.compiler.key_fn(op.keys[tag])
    pack_value = packer(job.plan, op.inputs[tag])
    hot = hot_keys(job.context.conf)
    tb = bytes([tag])
    hashed = tb + HASHED.to_bytes(2, "big")
    outer = _outer_sides(op)[tag]
    null_key = _NULL + tb + hashed
    sort_bytes = key_encoder([e.type for e in op.keys[tag]])  # data.sort_bytes, generated
    state = job.state

    def skewed(t):
        k = keyf(t)
        if has_null(k):
            return [(null_key, (tag, pack_value(t)))] if outer else []
        kb = sort_bytes(k)
        spot = hot.get(kb)
        if spot is None:
            return [(kb + hashed, (tag, pack_value(t)))]
        start, n = spot
        pv = pack_value(t)
        if tag == 0:
            state.seq += 1
            return [(kb + tb + (start + state.seq % n).to_bytes(2, "big"), (tag, pv))]
        return [(kb + tb + (start + i).to_bytes(2, "big"), (tag, pv)) for i in range(n)]

    return skewed


ORDER_CUTS = "pig.order.cuts"


def _sample_tail(job: Any, op: L.LOSort) -> Callable[[tuple], list]:
    """ORDER's sampling job: the order key of each row its map gives (the job feeds it every
    `sample_step`-th input record only: `PigJob._bind_mapper`)."""
    keyf = job.compiler.sort_key(op.keys)
    return lambda t: [(None, pack_value(keyf(t)))]


def sample_step(conf: Any) -> int:
    """``pig.order.sample.step``: an ORDER's sampling job reads every n-th record (10)."""
    return max(1, int(conf.get("pig.order.sample.step", 10) or 10))


def _sequenced(job: Any, op: L.LogicalOperator, kind: str) -> Callable[[tuple], list]:
    """Keys that keep the input order: (file, split start, record number)."""
    split = job.context.split
    where = (split.url, split.start) if split is not None else ("", 0)
    limit = job.compiler.expr(op.count)(()) if kind == "limit" else None
    state = job.state if hasattr(job, "state") else MapState()
    pack_value = packer(job.plan, op.op_id)

    def seq(t):
        state.seq += 1
        if limit is not None and state.seq > limit:
            return []
        return [(where + (state.seq,), pack_value(t))]

    return seq


def _outer_sides(op: L.LOJoin) -> list[bool]:
    n = len(op.inputs)
    jt = op.join_type
    return [
        (i == 0 and jt in ("left", "full")) or (i == n - 1 and n == 2 and jt in ("right", "full"))
        for i in range(n)
    ]


def written_by_map(spec: Any) -> bool:
    """An ORDER whose sorted rows, or a DISTINCT whose rows, are written as they are (nothing
    fused after it): the map side formats each row's output record (`PigJob.emit`: the
    store's line, or the packed row) as its value, and the reduce side writes the values in
    key order (a DISTINCT: each key's first) without decoding and formatting them again."""
    if spec.kind == "distinct":
        return not spec.reduce_chain and not spec.group
    return spec.kind == "order" and not spec.reduce_chain


def written_value(emit: Callable[[tuple], list]) -> Callable[[tuple], Any]:
    """row -> the value of its one output record (`PigJob.emit`'s ``[(None, value)]``)."""
    return lambda t: emit(t)[0][1]


def text_pass_through(
    plan: L.LogicalPlan, spec: Any, comp: Compiler, line: StoreLine | None
) -> TextPassThrough | None:
    """The map output of a `written_by_map` ORDER stored by PigStorage (`line`) as a
    `TextPassThrough` (the columns no sort key reads may be copied from the input line
    unparsed); None for any other job, or a key reading the whole row."""
    if line is None or spec.kind != "order" or not written_by_map(spec):
        return None
    op = plan.op(spec.op)
    if op.star:
        return None
    read: set[int] = set()
    for k in op.keys:
        cols = columns(k.expr)
        if cols is None:
            return None
        read |= cols
    plain = tuple(
        (k.expr.column, not k.ascending)
        for k in op.keys
        if isinstance(k.expr, L.LEProject) and k.expr.input == 0
    )
    plain_key = plain if len(plain) == len(op.keys) and op.keys else None
    return TextPassThrough(comp.sort_key(op.keys), frozenset(read), line, plain_key)


def _written_records(text: bool, first: bool = False) -> BatchReduce:
    """The reduce side of `written_by_map`: the values, in order, one write per key, or per
    batch of keys (all their values, whatever the grouping; `first`: each key's first)."""
    if not text:

        def records(key, values):
            if first:
                return [(None, next(iter(values)))]
            return [(None, v) for v in values]

        def record_runs(groups: GroupRuns) -> list:
            return [(None, v) for v in _run_values(groups, first)]

        return BatchReduce.of_runs(records, record_runs)

    def reduce(key, values):
        if first:
            return [(None, next(iter(values)))]
        return _lines_of(list(values))

    def runs(groups: GroupRuns) -> list:
        return _lines_of(_run_values(groups, first))

    return BatchReduce.of_runs(reduce, runs)


def _run_values(groups: GroupRuns, first: bool) -> list:
    """A flat batch's values: all of them, or (`first`) each group's first."""
    values, ends = groups.values, groups.ends
    if first and ends is not None:
        return list(map(values.__getitem__, [0, *ends[:-1]]))
    return values


def _lines_of(lines: list) -> list:
    """Lines as one write; each alone when one is bytes (a row PigStorage's formatter wrote)."""
    if len(lines) == 1:
        return [(None, lines[0])]
    try:
        return [(None, "\n".join(lines))]
    except TypeError:
        return [(None, v) for v in lines]


# ---------------------------------------------------------------------------------- reduce side
def reducer(job: Any) -> Callable[[Any, Iterable[Any]], Any] | BatchReduce:
    spec, plan = job.spec, job.plan
    op = plan.op(spec.op)
    kind = spec.kind
    chain = [plan.op(o) for o in spec.reduce_chain]
    if kind == "join" and spec.group:  # a GROUP on the join key (joingroupreduce.py)
        return join_group_reducer(job)
    if kind == "group" and spec.by_input:  # partials per input (cogroupaggs.py)
        return by_input_reducer(job, op)
    if kind == "group" and spec.combine:
        rest = [job.compiler.narrow(o, 0) for o in chain[1:]]
        run = chain_functions(rest, job.emit)
        writer = row_writer(run, job.store_line, job.record_pack, direct=not rest)
        return agg_reducer(job, op, run, writer)
    if written_by_map(spec):
        text = job.context.conf.get("pig.output.format") == "text"
        return _written_records(text, kind == "distinct")
    budget = BagBudget.of(job.context.conf, "reduce")
    text = job.context.conf.get("pig.output.format") == "text"
    comp = Compiler(
        job.compiler.scalars, job.compiler.udfs, plan=plan, bags=budget, warn=job.compiler.warn
    )
    stages = [comp.narrow(o, 0) for o in chain]
    run = chain_functions(stages, job.emit)
    if kind == "group":
        spillable = streaming_bags(chain[0] if chain else None, len(op.inputs))
        make = _cogroup(job, op, budget, spillable)
    elif kind == "join" and (frags := join_fragments(plan, spec)) is not None:
        outer = _outer_sides(op)
        joined = fragment_reducer(frags, outer, budget, _max_rows(job.context.conf))
        return BatchReduce(joined, fragment_batch(frags, outer, joined))
    elif kind in ("join", "cross"):
        texts = None
        if kind == "join" and len(op.inputs) == 2 and text:
            texts = side_texts(chain, stages, job.text_separator, _widths(job, op))
        make = _join(job, op, kind, budget, texts)
    elif kind == "keycount":

        def make(key, values):
            return [(key, sum(values))]
    elif kind in ("order", "distinct"):
        first = kind == "distinct"

        def make(key, values):
            if first:
                return [_unpack(next(iter(values)))]
            return map(_unpack, values)
    elif kind == "limit":
        limit = job.compiler.expr(op.count)(())
        state = MapState()

        def make(key, values):
            out = []
            for v in values:
                if state.seq < limit:
                    state.seq += 1
                    out.append(_unpack(v))
            return out
    elif kind == "rank":
        rank_state = {"row": 0, "dense": 0}
        make = _rank(op, rank_state)
    else:
        raise NotImplementedError(kind)

    if kind in ("join", "cross"):
        if text:
            batch = _bulk_lines(chain, stages, job.store_line)
        else:
            batch = _bulk_records(chain, stages, job.record_pack)
        if batch is None and any(stages):
            batch = _generated_rows(job, comp, chain, stages, _widths(job, op))
        joined = _join_reducer(make, run, batch)
        if len(op.inputs) != 2 or texts is not None or job.spec.strategy == "skewed":
            return joined
        outer = _outer_sides(op) if kind == "join" else [False, False]
        pads = [(None,) * w for w in _widths(job, op)]
        written = _rows_writer(run, batch)
        max_rows = _max_rows(job.context.conf)
        return BatchReduce(joined, _two_way_batch(joined, outer, pads, max_rows, written))

    def reduce(key, values):
        out = list(_chain(map(run, make(key, values))))
        if text and len(out) > 1:
            try:  # one write for the whole group: its lines joined (all str in the common case)
                return [(None, "\n".join([v for _k, v in out]))]
            except TypeError:
                pass
        return out

    if kind in ("order", "distinct"):
        writer = row_writer(run, job.store_line, job.record_pack, direct=not stages)
        return BatchReduce.of_runs(reduce, _sorted_rows(kind == "distinct", writer))
    if kind == "rank":
        writer = row_writer(run, job.store_line, job.record_pack, direct=not stages)
        return BatchReduce.of_runs(reduce, _ranked_rows(op, rank_state, writer))
    return reduce


def _sorted_rows(first: bool, writer: RowWriter) -> Callable[[GroupRuns], list]:
    """An ORDER's (every row) or a DISTINCT's (each group's first row) batch of whole groups,
    flat: its rows unpacked at once (`unpacked_values`), then written at once (`writer`)."""

    def rows(groups: GroupRuns) -> list:
        values, ends = groups.values, groups.ends
        if first and ends is not None:  # each group's first value
            values = list(map(values.__getitem__, [0, *ends[:-1]]))
        found = unpacked_values(values)
        return writer.write(list(map(_unpack, values)) if found is None else found)

    return rows


def _join_reducer(
    make: Callable, run: Callable, batch: Callable[[list], list | None] | None
) -> Callable:
    """Joined rows come in batches (one per streamed row); `batch` makes a batch's output
    records at once, else (or when it cannot) each row runs through the reduce chain."""

    def reduce(key, values):
        for rows in make(key, values):
            if type(rows) is str:  # lines made by the join itself (joinlines.SideTexts)
                yield None, rows
                continue
            if batch is not None and (records := batch(rows)) is not None:
                yield from records
                continue
            yield from _chain(map(run, rows))

    return reduce


def _rows_writer(
    run: Callable[[tuple], list], batch: Callable[[list], list | None] | None
) -> Callable[[list], list]:
    """Joined rows -> their records: `batch` at once when it takes them, else `run` per row."""

    def write(rows: list) -> list:
        if batch is not None and (records := batch(rows)) is not None:
            return records
        return list(_chain(map(run, rows)))

    return write


def _two_way_batch(
    reduce: Callable[[Any, Iterable[Any]], Any],
    outer: list[bool],
    pads: list[tuple],
    max_rows: int | None,
    write: Callable[[list], list],
) -> Callable[[list], Iterable]:
    """The batch form of a two-input join's `reduce` (mapred's ``reduce_batch``): the joined
    rows of a batch of whole ``(key, [values])`` groups made in one list, in group order and
    within a key as `_two_way_join` makes them (per right row, every left row; an outer
    side's unmatched rows padded), written (`write`) about `spillbag.CHECK_ROWS` at once. A
    key whose product passes `spillbag.CHECK_ROWS` rows, or whose left rows pass
    `pig.join.spill.records`, takes `reduce` (streamed, its left side spilling past the bag
    budget)."""
    pad_left, pad_right = pads
    limit = CHECK_ROWS if max_rows is None else min(CHECK_ROWS, max_rows)

    def batch(groups: list) -> Iterable:
        out: list = []  # the records of the rows written so far
        rows: list = []  # the joined rows not yet written, fewer than CHECK_ROWS
        for i, (key, values) in enumerate(groups):
            if len(rows) >= CHECK_ROWS:
                out += write(rows)
                rows = []
            lefts: list = []
            rights: list = []
            for tag, pv in values:
                side = rights if tag else lefts
                if type(pv) is bytes:
                    side.append(pv)
                else:  # a map task's rows of this key (mapgroups.KeyGroups)
                    side += group_rows(pv)
            if not lefts or not rights:
                if lefts and outer[0]:
                    rows += [t + pad_right for t in map(_unpack, lefts)]
                elif rights and outer[1]:
                    rows += [pad_left + r for r in map(_unpack, rights)]
                continue
            if len(lefts) * len(rights) > CHECK_ROWS or len(lefts) > limit:
                out += write(rows)
                return chain(out, reduce(key, values), batch(groups[i + 1 :]))
            ls = list(map(_unpack, lefts))
            rows += [t + r for r in map(_unpack, rights) for t in ls]
        if rows:
            out += write(rows)
        return out

    return batch


def _generated_rows(
    job: Any, comp: Compiler, chain: list[L.LogicalOperator], stages: list, widths: list[int]
) -> Callable[[list], list] | None:
    """The reduce chain after a JOIN/CROSS as one generated function over a batch of joined
    rows (`codegen.RecordSource.rows`: each a tuple of its inputs' `widths` of columns, a row
    of another width runs the closures), writing the job's PigStorage lines or packed records
    inline; None when ``pig.codegen`` is false or an input's width is unknown (0)."""
    if not job.context.conf.get_bool(CODEGEN, True) or not widths or 0 in widths:
        return None
    width = sum(widths)
    if job.store_line is not None:
        out: StoreLine | PackedRows | None = job.store_line
    elif job.record_pack is not None:
        out = PackedRows(job.record_pack)
    else:
        out = None

    def rest_from(i: int) -> Callable[[tuple], Any]:
        return chain_functions(stages[i:], job.emit)

    code = generate_map_pipeline(
        "joined_rows",
        RecordSource(width, rows=True),
        [(op, 0) for op in chain],
        stages,
        per_row(job.emit),
        comp,
        rest_from,
        keyed=out,
    ).function()
    return lambda rows: code(None, rows)


def _projections(chain: list[L.LogicalOperator], stages: list) -> list[Callable] | None:
    """The itemgetters of a reduce chain that is only the identity and projections of
    several columns; None for any other chain."""
    getters = []
    for op, stage in zip(chain, stages, strict=True):
        if stage is None:
            continue
        cols = L.plain_projection(op)
        if cols is None or len(cols) < 2:
            return None
        getters.append(itemgetter(*cols))
    return getters


def _bulk_records(
    chain: list[L.LogicalOperator], stages: list, pack: Callable[[tuple], Any] | None
) -> Callable[[list], list | None] | None:
    """rows -> their packed records, for a job writing rows for a later job (`pack`,
    `PigJob.record_pack`) through a chain of projections; None for a batch with a short
    row or a value `pack` refuses: the caller runs that batch row by row."""
    getters = _projections(chain, stages) if pack is not None else None
    if getters is None:
        return None

    def records(rows: list) -> list | None:
        try:
            for get in getters:
                rows = list(map(get, rows))
            return [(None, p) for p in map(pack, rows)]  # type: ignore[arg-type]
        except (TypeError, IndexError, ValueError):
            return None

    return records


def _bulk_lines(
    chain: list[L.LogicalOperator], stages: list, line: StoreLine | None
) -> Callable[[list], list | None] | None:
    """rows -> one record of their PigStorage lines, when every stage is the identity or a
    projection of several columns and the job stores PigStorage lines (`line`): C-level
    (``map`` of itemgetters and ``str.join``) for chararrays only, else one generated
    comprehension per batch (`codegen.text_lines`). None for a batch it cannot write (a
    field of another type, a short row): the caller runs that batch row by row."""
    getters = _projections(chain, stages) if line is not None else None
    if getters is None:
        return None
    if all(t is DataType.CHARARRAY for t in line.types):  # type: ignore[union-attr]
        join = line.sep.join

        def text(rows: list) -> Any:
            return "\n".join(map(join, rows))
    else:
        text = text_lines(line.types, line.sep)

    def lines(rows: list) -> list | None:
        try:
            for get in getters:
                rows = list(map(get, rows))
            joined = text(rows)
        except (TypeError, IndexError):  # a field not a str, a short row
            return None
        return None if joined is None else [(None, joined)]

    return lines


def _cogroup(job: Any, op: L.LOCogroup, budget: BagBudget, spillable: frozenset[int]) -> Callable:
    """(group, bag_1, ..., bag_n) per key; the bags in `spillable` go to disk past their share
    of the task's bag budget (spillbag.group_bags), the others are lists."""
    n = len(op.inputs)
    keyfs = [job.compiler.key_fn(k) for k in op.keys] if not op.group_all else None
    inner = [i for i, flag in enumerate(op.inner) if flag] if op.inner else []

    def make(key, values):
        bags = group_bags(values, n, budget, _unpack, spillable, group_rows)
        for i in inner:
            if not bags[i]:
                return []
        if keyfs is None:
            group = "all"
        else:
            tag = next(i for i in range(n) if bags[i])
            group = keyfs[tag](bags[tag][0])
        return [(group, *bags)]

    return make


def _widths(job: Any, op: L.LogicalOperator) -> list[int]:
    """Each input's row width by its schema (0: unknown)."""
    return [len(s.schema) if s.schema is not None else 0 for s in job.plan.predecessors(op.op_id)]


def _max_rows(conf: Any) -> int | None:
    """`pig.join.spill.records`: the rows a buffered join input holds before it spills."""
    records = conf.get(SPILL_RECORDS)
    return int(records) if records not in (None, "") else None


def _join(
    job: Any, op: L.LogicalOperator, kind: str, budget: BagBudget, texts: SideTexts | None = None
) -> Callable:
    """Inputs arrive in tag order: all but the last are buffered (spilling past their share of
    the bag budget, or past `pig.join.spill.records` rows when set), the last is streamed
    against them; outer sides are padded with nulls. With `texts`, a two-input join writes the
    lines of its joined rows itself where it can (a str instead of a list of rows)."""
    n = len(op.inputs)
    max_rows = _max_rows(job.context.conf)
    outer = _outer_sides(op) if kind == "join" else [False] * n
    pads = [(None,) * w for w in _widths(job, op)]
    skewed = job.spec.strategy == "skewed"
    hot = hot_keys(job.context.conf) if skewed else {}
    if n == 2:
        return _two_way_join(budget, max_rows, outer, pads, hot, texts)

    def make(key, values):
        buffered = [RowBuffer(budget, n - 1, max_rows) for _ in range(n - 1)]
        streamed = 0
        # a hot key's right rows are copied to reducers that may hold none of its left rows
        pad_right = outer[1] and not (skewed and key[:-3] in hot)
        try:
            for tag, pv in each_row(values, group_rows):
                r = _unpack(pv)
                if tag < n - 1:
                    buffered[tag].append(r)
                    continue
                streamed += 1
                if n == 2:
                    if len(buffered[0]):
                        yield from _joined(buffered[0], r)
                    elif pad_right:
                        yield [pads[0] + r]
                elif all(len(b) for b in buffered):
                    yield from _combinations(buffered, r)
            if n == 2 and not streamed and outer[0]:
                yield from _joined(buffered[0], pads[1])
        finally:
            for b in buffered:
                b.close()

    return make


def _two_way_join(
    budget: BagBudget,
    max_rows: int | None,
    outer: list[bool],
    pads: list[tuple],
    hot: dict,
    texts: SideTexts | None,
) -> Callable:
    """`_join`'s make for two inputs: the left rows are held, the right ones streamed a batch
    at a time (unpacked C-level, joined in one comprehension while the product of a batch and
    the held rows stays under `spillbag.CHECK_ROWS`; row by row once the left side spilled)."""
    pad_left, pad_right_row = pads

    def make(key, values):
        held = RowBuffer(budget, 1, max_rows)
        # a hot key's right rows are copied to reducers that may hold none of its left rows
        pad_right = outer[1] and not (hot and key[:-3] in hot)
        values = iter(values)
        streamed = False
        try:
            for tag, pv in values:
                if tag == 0:
                    if type(pv) is bytes:
                        held.append(_unpack(pv))
                    else:  # a map task's rows of this key (mapgroups.KeyGroups)
                        held.extend(list(map(_unpack, group_rows(pv))))
                    continue
                streamed = True  # inputs arrive in tag order: the rest are right rows
                batch = max(1, CHECK_ROWS // max(1, len(held)))
                rights = chain(((tag, pv),), values)
                lefts = None
                if texts is not None and len(held) and not held.spilled:
                    lefts = texts.held(held.items)  # each held row's text, once per key
                for rows in _row_batches(rights, batch):
                    if not len(held):
                        if pad_right:
                            yield [pad_left + r for r in rows]
                    elif not held.spilled:
                        items = held.items
                        lines = None if lefts is None else texts.lines(lefts, rows)  # type: ignore[union-attr]
                        yield [t + r for r in rows for t in items] if lines is None else lines
                    else:
                        for r in rows:
                            yield from _joined(held, r)
                break
            if not streamed and outer[0]:
                yield from _joined(held, pad_right_row)
        finally:
            held.close()

    return make


_second = itemgetter(1)
_unpack = unpacker()  # unpack_value without a Python frame per value


def _row_batches(records: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple]]:
    """The rows of `records` (packed rows, or lists of them), unpacked C-level, in lists of at
    most `size` rows."""
    while pvs := list(map(_second, islice(records, size))):
        if set(map(type, pvs)) == {bytes}:  # one row each: the common case, C-level
            yield list(map(_unpack, pvs))
            continue
        packed = chain.from_iterable([pv] if type(pv) is bytes else group_rows(pv) for pv in pvs)
        rows = list(map(_unpack, packed))
        for i in range(0, len(rows), size):
            yield rows[i : i + size]


def _joined(rows: RowBuffer, r: tuple) -> Iterator[list]:
    """``t + r`` for every t held, in lists of at most `spillbag.CHECK_ROWS` rows once spilled."""
    for chunk in rows.chunks():
        yield list(map(add, chunk, repeat(r)))


def _combinations(buffered: list[RowBuffer], r: tuple) -> Iterator[list]:
    """Every combination of the buffered inputs' rows, then `r`: in one list when nothing
    spilled, else read from disk in lists of `spillbag.CHECK_ROWS` rows."""
    if not any(b.spilled for b in buffered):
        yield [sum(combo, ()) + r for combo in product(*buffered)]
        return
    rows = product_rows(buffered)
    while chunk := list(islice(rows, CHECK_ROWS)):
        yield list(map(add, chunk, repeat(r)))


def _ranked_rows(op: L.LORank, state: dict, writer: RowWriter) -> Callable[[GroupRuns], list]:
    """A RANK's batch of whole groups (one per sort key, in order), flat: its rows unpacked
    at once, each given its rank (`_rank`'s, with the same `state`), then written at once."""

    def rows(groups: GroupRuns) -> list:
        values, ends = groups.values, groups.ends
        found = unpacked_values(values)
        got = list(map(_unpack, values)) if found is None else found
        n, row0 = len(got), state["row"]
        if not op.keys or (ends is None and not op.dense):
            ranks: Iterable[int] = range(row0 + 1, row0 + n + 1)
            if op.keys:
                state["dense"] += n
        elif ends is None:  # dense, every key once
            ranks = range(state["dense"] + 1, state["dense"] + n + 1)
            state["dense"] += n
        else:
            ranks, start, dense = [], 0, state["dense"]
            for end in ends:
                dense += 1
                ranks.extend(repeat(dense if op.dense else row0 + start + 1, end - start))
                start = end
            state["dense"] = dense
        state["row"] = row0 + n
        return writer.write([(r, *t) for r, t in zip(ranks, got)])

    return rows


def _rank(op: L.LORank, state: dict) -> Callable:
    """A RANK's reduce: one sort key's rows (or one row of a plain RANK) at a time."""

    def make(key, values):
        rows = [_unpack(v) for v in values]
        if not op.keys:
            out = []
            for t in rows:
                state["row"] += 1
                out.append((state["row"],) + t)
            return out
        state["dense"] += 1
        rank = state["dense"] if op.dense else state["row"] + 1
        state["row"] += len(rows)
        return [(rank,) + t for t in rows]

    return make
