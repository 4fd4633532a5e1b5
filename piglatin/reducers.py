"""Shuffle-side packaging of Pig's blocking operators: what the map emits and what reduce makes.

Owns, per job kind (see mrcompiler.py): the map-side key/value of each tagged input (Pig byte
sort keys, values as `pack_value` bytes), the reduce-side packaging (COGROUP bags, hash join
with the last input streamed and the others buffered and spilled past a limit, ORDER, DISTINCT,
CROSS, LIMIT, RANK), the algebraic map/combine/reduce split of GROUP + aggregates, and the
map-side replicated join. Must not touch: job boundaries or task wiring (runtime.py).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import product
from operator import itemgetter
from typing import Any

import msgpack

from piglatin import data
from piglatin import logical as L
from piglatin.builtins import BUILTINS
from piglatin.physical import Compiler, chain_functions
from piglatin.storage import pack_value, unpack_value

SPILL_RECORDS = "pig.join.spill.records"
AGG_KEYS = 100000  # map-side partial aggregation: flush past this many keys
_NULL = b"\x00"  # below every data.sort_bytes prefix: null keys that must not match

__all__ = [
    "MapState",
    "combiner",
    "local_limit",
    "map_tail",
    "reducer",
    "replicated_join",
]


class MapState:
    __slots__ = ("aggs", "seen", "seq")

    def __init__(self) -> None:
        self.seq = 0
        self.aggs: dict[bytes, list] = {}
        self.seen: set[bytes] = set()


_ATOMS = {"int", "long", "float", "double", "chararray", "bytearray", "boolean"}


def packer(schema: Any) -> Callable[[tuple], bytes]:
    """`pack_value` for tuples, or plain msgpack when the schema says every field is an atom
    (both read back with `unpack_value`); built once per task."""
    if (
        schema is not None
        and len(schema)
        and all(f.dtype.value in _ATOMS for f in schema)
    ):
        return msgpack.Packer(use_bin_type=True).pack
    return pack_value


def _width(job: Any, op: L.LogicalOperator, tag: int) -> int | None:
    """The length every row of input `tag` has, when its schema says so."""
    schema = job.plan.op(op.inputs[tag]).schema
    return len(schema) if schema is not None else None


def _has_null(key: Any) -> bool:
    if key is None:
        return True
    return type(key) is tuple and None in key


# ----------------------------------------------------------------------------------- map side
def map_tail(job: Any, tag: int) -> Callable[[tuple], list]:
    spec, plan, comp = job.spec, job.plan, job.compiler
    op = plan.op(spec["op"])
    kind = spec["kind"]
    sort_bytes = data.sort_bytes
    pack_value = packer(plan.op(op.inputs[tag]).schema)
    if kind == "group":
        if spec.get("combine"):
            return _agg_tail(job, op)
        if op.group_all:
            return lambda t: [(b"", (tag, pack_value(t)))]
        keyf = comp.key_fn(op.keys[tag], _width(job, op, tag))
        if len(op.inputs) > 1:
            suffix = bytes([tag])

            def cogroup(t):
                k = keyf(t)
                kb = sort_bytes(k) if k is not None else _NULL + suffix
                return [(kb, (tag, pack_value(t)))]

            return cogroup
        return lambda t: [(sort_bytes(keyf(t)), (tag, pack_value(t)))]
    if kind == "keycount":
        return _keycount_tail(job, op)
    if kind == "join" and spec.get("strategy") == "skewed":
        return _skewed_tail(job, op, tag)
    if kind == "join":
        keyf = comp.key_fn(op.keys[tag], _width(job, op, tag))
        tb = bytes([tag])
        outer = _outer_sides(op)[tag]
        null_key = _NULL + tb + tb

        def join(t):
            k = keyf(t)
            if _has_null(k):
                return [(null_key, (tag, pack_value(t)))] if outer else []
            return [(sort_bytes(k) + tb, (tag, pack_value(t)))]

        return join
    if kind == "cross":
        tb = bytes([tag])
        return lambda t: [(tb, (tag, pack_value(t)))]
    if kind == "order" or (kind == "rank" and op.keys):
        keyf = comp.sort_key(op.keys)
        return lambda t: [(keyf(t), pack_value(t))]
    if kind == "distinct":
        seen = job.state.seen if hasattr(job, "state") else set()

        def distinct(t):
            kb = sort_bytes(t)
            if kb in seen:
                return []
            if len(seen) < 100000:
                seen.add(kb)
            return [(kb, pack_value(t))]

        return distinct
    if kind in ("limit", "rank"):
        return _sequenced(job, op, kind)
    raise NotImplementedError(kind)


def _keycount_tail(job: Any, op: L.LOJoin) -> Callable[[tuple], list]:
    """The skewed join's sampling job: key counts of the left input, counted in the map."""
    keyf = job.compiler.key_fn(op.keys[0])
    counts: dict[bytes, int] = {}
    sort_bytes = data.sort_bytes
    rate = float(job.context.conf.get("pig.skewedjoin.sample.rate", 1.0) or 1.0)
    step = max(1, round(1 / rate))
    state = job.state

    def flush() -> list:
        out = list(counts.items())
        counts.clear()
        return out

    job._flush = flush

    def count(t):
        state.seq += 1
        if state.seq % step:
            return []
        k = keyf(t)
        if not _has_null(k):
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
    pack_value = packer(job.plan.op(op.inputs[tag]).schema)
    hot = hot_keys(job.context.conf)
    tb = bytes([tag])
    hashed = tb + HASHED.to_bytes(2, "big")
    outer = _outer_sides(op)[tag]
    null_key = _NULL + tb + hashed
    sort_bytes = data.sort_bytes
    state = job.state

    def skewed(t):
        k = keyf(t)
        if _has_null(k):
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


def _sequenced(job: Any, op: L.LogicalOperator, kind: str) -> Callable[[tuple], list]:
    """Keys that keep the input order: (file, split start, record number)."""
    split = job.context.split
    where = (split.url, split.start) if split is not None else ("", 0)
    limit = job.compiler.expr(op.count)(()) if kind == "limit" else None
    state = job.state if hasattr(job, "state") else MapState()
    pack_value = packer(op.schema)

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
        (i == 0 and jt in ("left", "full"))
        or (i == n - 1 and n == 2 and jt in ("right", "full"))
        for i in range(n)
    ]


# ---------------------------------------------------------------------- algebraic aggregates
def _agg_calls(job: Any, op: L.LogicalOperator) -> list[L.LEFunc]:
    from piglatin.mrcompiler import algebraic_aggregates

    calls = algebraic_aggregates(job.plan, op, job.spec["reduce_chain"])
    assert calls is not None
    return calls


def _element(call: L.LEFunc) -> Callable[[tuple], tuple]:
    arg = call.args[0]
    if isinstance(arg, L.LEDeref):
        cols = arg.columns
        if len(cols) == 1:
            c = cols[0]
            return lambda t: (t[c] if c < len(t) else None,)
        get = itemgetter(*cols)
        return lambda t: tuple(get(t))
    return lambda t: t


def _agg_tail(job: Any, op: L.LOCogroup) -> Callable[[tuple], list]:
    """Map side of GROUP + algebraic aggregates: rows are collected per key (by the key value
    itself) and folded with the aggregates' Initial every 1000 rows and at the end of the task
    (Pig's partial map-side aggregation); one (key, partials) record per key leaves the map."""
    calls = _agg_calls(job, op)
    keyf = (
        (lambda t: "all")
        if op.group_all
        else job.compiler.key_fn(op.keys[0], _width(job, op, 0))
    )
    if all(c.func in ("COUNT", "COUNT_STAR") and _is_whole_row(c) for c in calls):
        first = (
            not op.group_all
            and len(op.keys[0]) == 1
            and isinstance(op.keys[0][0], L.LEProject)
            and op.keys[0][0].column == 0
        )
        return _count_tail(job, calls, keyf, first)
    elems = [None if _is_whole_row(c) else _element(c) for c in calls]
    initials = [BUILTINS[c.func].algebraic[0] for c in calls]
    intermediates = [BUILTINS[c.func].algebraic[1] for c in calls]
    rows_by_key: dict[Any, list] = {}
    partials: dict[Any, list] = {}
    sort_bytes = data.sort_bytes
    n = len(calls)

    def initial(rows: list) -> tuple:
        return tuple(
            [
                initials[j](rows if elems[j] is None else [elems[j](t) for t in rows])
                for j in range(n)
            ]
        )

    def flush() -> list:
        for k, rows in rows_by_key.items():
            partials.setdefault(k, []).append(initial(rows))
        out = []
        for k, plist in partials.items():
            merged = (
                plist[0]
                if len(plist) == 1
                else tuple([intermediates[j]([p[j] for p in plist]) for j in range(n)])
            )
            out.append((sort_bytes(k), pack_value((k, merged))))
        rows_by_key.clear()
        partials.clear()
        return out

    job._flush = flush

    def tail(t):
        k = keyf(t)
        try:
            rows = rows_by_key.get(k)
        except TypeError:  # an unhashable key (bag, map): no map-side folding
            return [(sort_bytes(k), pack_value((k, initial([t]))))]
        if rows is None:
            if len(rows_by_key) >= AGG_KEYS:
                out = flush()
                rows_by_key[k] = [t]
                return out
            rows_by_key[k] = [t]
            return ()
        rows.append(t)
        if len(rows) >= 1000:
            partials.setdefault(k, []).append(initial(rows))
            rows_by_key[k] = []
        return ()

    return tail


_PLAIN = frozenset((str, bytes, int, float, bool, type(None)))


def _count_tail(
    job: Any, calls: list[L.LEFunc], keyf: Callable, key_is_first: bool = False
) -> Callable[[tuple], list]:
    """COUNT / COUNT_STAR of whole rows: one counter per key and call (their Initial is a
    count), so a row costs a key and a dict update."""
    star = [c.func == "COUNT_STAR" for c in calls]
    counts: dict[Any, list] = {}
    sort_bytes = data.sort_bytes
    plain = msgpack.Packer(use_bin_type=True).pack

    def flush() -> list:
        out = []
        for k, cs in counts.items():
            value = (k, tuple([(c,) for c in cs]))
            out.append(
                (
                    sort_bytes(k),
                    plain(value) if type(k) in _PLAIN else pack_value(value),
                )
            )
        counts.clear()
        return out

    job._flush = flush
    if len(star) == 1:
        return _count_one(job, star[0], keyf, counts, flush, key_is_first)

    def tail(t):
        k = keyf(t)
        inc = [1 if s or (t and t[0] is not None) else 0 for s in star]
        try:
            cs = counts.get(k)
        except TypeError:
            return [(sort_bytes(k), pack_value((k, tuple([(i,) for i in inc]))))]
        if cs is None:
            out = flush() if len(counts) >= AGG_KEYS else ()
            counts[k] = inc
            return out
        for j, i in enumerate(inc):
            cs[j] += i
        return ()

    return tail


def _count_one(
    job: Any,
    star: bool,
    keyf: Callable,
    counts: dict,
    flush: Callable,
    key_is_first: bool,
) -> Any:
    """One COUNT/COUNT_STAR: a Counter per task; `tail.many(rows)` counts a whole FLATTENed
    bag in one C-level `Counter.update`. When the key is the rows' first field, COUNT (which
    skips rows whose first field is null) differs from COUNT_STAR only for the null key."""
    counter: Counter = Counter()
    sort_bytes = data.sort_bytes

    def flush_counter() -> list:
        if key_is_first and not star and None in counter:
            counter[None] = 0
        counts.update((k, [c]) for k, c in counter.items())
        counter.clear()
        return flush()

    job._flush = flush_counter

    def unhashable(t: tuple) -> list:
        inc = 1 if star or (t and t[0] is not None) else 0
        k = keyf(t)
        return [(sort_bytes(k), pack_value((k, ((inc,),))))]

    def tail(t):
        try:
            counter[keyf(t)] += 1 if star or t[0] is not None else 0
        except TypeError:  # an unhashable key (bag, map): no map-side folding
            return unhashable(t)
        return flush_counter() if len(counter) >= AGG_KEYS else ()

    def many(rows):
        try:
            if star or key_is_first:
                counter.update(map(keyf, rows))
            else:
                counter.update(map(keyf, [t for t in rows if t[0] is not None]))
                for t in [t for t in rows if t[0] is None]:
                    counter[keyf(t)] += 0
        except TypeError:
            return [r for t in rows for r in tail(t)]
        return flush_counter() if len(counter) >= AGG_KEYS else ()

    tail.many = many  # type: ignore[attr-defined]
    return tail


def _is_whole_row(call: L.LEFunc) -> bool:
    return not isinstance(call.args[0], L.LEDeref)


def combiner(job: Any) -> Callable[[Any, Iterable[Any]], Any]:
    op = job.plan.op(job.spec["op"])
    calls = _agg_calls(job, op)
    inter = [BUILTINS[c.func].algebraic[1] for c in calls]
    n = len(calls)

    def combine(kb, values):
        rows = [unpack_value(v) for v in values]
        partial = tuple([inter[j]([r[1][j] for r in rows]) for j in range(n)])
        return [(kb, pack_value((rows[0][0], partial)))]

    return combine


def _agg_reducer(job: Any, op: L.LOCogroup, run: Callable) -> Callable:
    calls = _agg_calls(job, op)
    finals = [BUILTINS[c.func].algebraic[2] for c in calls]
    replace = {id(c): itemgetter(2 + j) for j, c in enumerate(calls)}
    comp = Compiler(job.compiler.scalars, job.compiler.udfs, replace)
    fe = job.plan.op(job.spec["reduce_chain"][0])
    gen = comp.foreach(fe)
    n = len(calls)

    def reduce(kb, values):
        rows = [unpack_value(v) for v in values]
        row = (rows[0][0], None) + tuple(
            [finals[j]([r[1][j] for r in rows]) for j in range(n)]
        )
        out = []
        for t in gen(row):
            out.extend(run(t))
        return out

    return reduce


# ---------------------------------------------------------------------------------- reduce side
def reducer(job: Any) -> Callable[[Any, Iterable[Any]], Any]:
    spec, plan = job.spec, job.plan
    op = plan.op(spec["op"])
    kind = spec["kind"]
    chain = [plan.op(o) for o in spec["reduce_chain"]]
    if kind == "group" and spec.get("combine"):
        rest = [job.compiler.narrow(o, 0) for o in chain[1:]]
        return _agg_reducer(job, op, chain_functions(rest, job.emit))
    run = chain_functions([job.compiler.narrow(o, 0) for o in chain], job.emit)
    if kind == "group":
        make = _cogroup(job, op)
    elif kind in ("join", "cross"):
        make = _join(job, op, kind)
    elif kind == "keycount":

        def make(key, values):
            return [(key, sum(values))]
    elif kind in ("order", "distinct"):
        first = kind == "distinct"

        def make(key, values):
            if first:
                return [unpack_value(next(iter(values)))]
            return map(unpack_value, values)
    elif kind == "limit":
        limit = job.compiler.expr(op.count)(())
        state = MapState()

        def make(key, values):
            out = []
            for v in values:
                if state.seq < limit:
                    state.seq += 1
                    out.append(unpack_value(v))
            return out
    elif kind == "rank":
        make = _rank(op)
    else:
        raise NotImplementedError(kind)

    def reduce(key, values):
        out = []
        for t in make(key, values):
            out.extend(run(t))
        return out

    return reduce


def _cogroup(job: Any, op: L.LOCogroup) -> Callable:
    n = len(op.inputs)
    keyfs = [job.compiler.key_fn(k) for k in op.keys] if not op.group_all else None
    inner = [i for i, flag in enumerate(op.inner) if flag] if op.inner else []

    def make(key, values):
        bags: list[list] = [[] for _ in range(n)]
        for tag, pv in values:
            bags[tag].append(unpack_value(pv))
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


class _SpillList:
    """A list of tuples that moves to a temporary file past `limit` entries."""

    __slots__ = ("count", "file", "items", "limit")

    def __init__(self, limit: int) -> None:
        self.items: list = []
        self.limit = limit
        self.file: Any = None
        self.count = 0

    def append(self, t: tuple) -> None:
        self.count += 1
        self.items.append(t)
        if len(self.items) >= self.limit:
            if self.file is None:
                self.file = tempfile.TemporaryFile(prefix="pig-join-spill")  # noqa: SIM115
            self.file.write(b"".join(pack_value(x) for x in self.items))
            self.items = []

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple]:
        if self.file is not None:
            self.file.seek(0)
            unpacker = msgpack.Unpacker(
                self.file,
                use_list=False,
                raw=False,
                strict_map_key=False,
                ext_hook=unpack_value.__globals__["_ext_hook"],
            )
            yield from unpacker
            self.file.seek(0, os.SEEK_END)
        yield from self.items

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _join(job: Any, op: L.LogicalOperator, kind: str) -> Callable:
    """Inputs arrive in tag order: all but the last are buffered (spilling past a limit),
    the last is streamed against them; outer sides are padded with nulls."""
    n = len(op.inputs)
    limit = int(job.context.conf.get(SPILL_RECORDS, 100000) or 100000)
    outer = _outer_sides(op) if kind == "join" else [False] * n
    widths = [
        len(s.schema) if s.schema is not None else 0
        for s in job.plan.predecessors(op.op_id)
    ]
    pads = [(None,) * w for w in widths]
    skewed = job.spec.get("strategy") == "skewed"
    hot = hot_keys(job.context.conf) if skewed else {}

    def make(key, values):
        buffered = [_SpillList(limit) for _ in range(n - 1)]
        streamed = 0
        # a hot key's right rows are copied to reducers that may hold none of its left rows
        pad_right = outer[1] and not (skewed and key[:-3] in hot)
        try:
            for tag, pv in values:
                if tag < n - 1:
                    buffered[tag].append(unpack_value(pv))
                    continue
                r = unpack_value(pv)
                streamed += 1
                if n == 2:
                    if len(buffered[0]):
                        for lt in buffered[0]:
                            yield lt + r
                    elif pad_right:
                        yield pads[0] + r
                elif all(len(b) for b in buffered):
                    for combo in product(*buffered):
                        yield sum(combo, ()) + r
            if n == 2 and not streamed and outer[0]:
                for lt in buffered[0]:
                    yield lt + pads[1]
        finally:
            for b in buffered:
                b.close()

    return make


def _rank(op: L.LORank) -> Callable:
    state = {"row": 0, "dense": 0}

    def make(key, values):
        rows = [unpack_value(v) for v in values]
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


# ------------------------------------------------------------------------------ map-side joins
def replicated_join(job: Any, op: L.LOJoin) -> Callable[[tuple], list]:
    from piglatin.runtime import read_source

    comp = job.compiler
    sort_bytes = data.sort_bytes
    tables = []
    for i, dep in enumerate(op.inputs[1:], start=1):
        keyf = comp.key_fn(op.keys[i])
        table: dict[bytes, list] = {}
        for row in read_source(job.plan.op(dep), job.locations[dep], job.context.conf):
            k = keyf(row)
            if not _has_null(k):
                table.setdefault(sort_bytes(k), []).append(row)
        tables.append(table)
    key0 = comp.key_fn(op.keys[0])
    left_outer = op.join_type == "left"
    preds = job.plan.predecessors(op.op_id)
    pad = tuple(
        [None] * sum(len(p.schema) if p.schema is not None else 0 for p in preds[1:])
    )
    if len(tables) == 1:
        table = tables[0]

        def join1(t):
            k = key0(t)
            ms = None if _has_null(k) else table.get(sort_bytes(k))
            if not ms:
                return [t + pad] if left_outer else []
            return [t + m for m in ms]

        return join1

    def join(t):
        k = key0(t)
        if _has_null(k):
            return [t + pad] if left_outer else []
        kb = sort_bytes(k)
        rows = [t]
        for table in tables:
            ms = table.get(kb)
            if not ms:
                return [t + pad] if left_outer else []
            rows = [r + m for r in rows for m in ms]
        return rows

    return join


def local_limit(job: Any, op: L.LOLimit) -> Callable[[tuple], list]:
    limit = job.compiler.expr(op.count)(())  # type: ignore[arg-type]
    state = MapState()

    def lim(t):
        state.seq += 1
        return [t] if state.seq <= limit else []

    return lim


# ------------------------------------------------------------------------------- merge join
def index_tail(job: Any) -> Callable[[tuple], list]:
    """The merge join's index job: (first key, split url, start, length) of each right split."""
    op = job.plan.op(job.spec["join"])
    keyf = job.compiler.key_fn(op.keys[1])
    split = job.context.split
    first: list = []

    def flush() -> list:
        if not first or split is None:
            return []
        return [(None, pack_value((first[0], split.url, split.start, split.length)))]

    job._flush = flush

    def index(t):
        if not first:
            k = keyf(t)
            if not _has_null(k):
                first.append(data.sort_bytes(k))
        return []

    return index


def merge_join(job: Any, op: L.LOJoin) -> Callable[[tuple], list]:
    """Map-side merge of the sorted left split with the sorted right input, read from the
    split the index says holds the first candidate key onwards."""
    from bisect import bisect_left

    from mapred.io import InputSplit, get_input_format
    from piglatin.runtime import input_format_of, read_index, right_parser

    index = sorted(read_index(job, op.op_id + "#index"))
    mins = [e[0] for e in index]
    info = job.spec["merge"][op.op_id + "#index"]
    source = job.plan.op(info["source"])
    parse = right_parser(job, source, info["chain"])
    fmt_name = input_format_of(source)
    keyl, keyr = job.compiler.key_fn(op.keys[0]), job.compiler.key_fn(op.keys[1])
    sort_bytes = data.sort_bytes
    left_outer = op.join_type == "left"
    width = len(job.plan.op(op.inputs[1]).schema or ())
    pad = (None,) * width
    conf = job.context.conf

    def right_rows(start: int) -> Iterator[tuple[bytes, tuple]]:
        for _kb, url, begin, length in index[start:]:
            reader = get_input_format(fmt_name).read(
                InputSplit(url, begin, length), conf
            )
            for _k, v in reader:
                for r in parse(v):
                    k = keyr(r)
                    if not _has_null(k):
                        yield sort_bytes(k), r

    state: dict[str, Any] = {
        "it": None,
        "head": None,
        "kb": None,
        "run": [],
        "last": None,
    }

    def advance(kb: bytes) -> list:
        if state["it"] is None:
            state["it"] = right_rows(max(0, bisect_left(mins, kb) - 1))
            state["head"] = next(state["it"], None)
        head, it = state["head"], state["it"]
        while head is not None and head[0] < kb:
            head = next(it, None)
        run = []
        while head is not None and head[0] == kb:
            run.append(head[1])
            head = next(it, None)
        state["head"] = head
        return run

    def merge(t):
        k = keyl(t)
        if _has_null(k):
            return [t + pad] if left_outer else []
        kb = sort_bytes(k)
        if kb != state["kb"]:
            if state["kb"] is not None and kb < state["kb"]:
                raise ValueError(
                    "merge join: the left input is not sorted on the join key; "
                    "sort it first or use the default hash join"
                )
            state["kb"], state["run"] = kb, advance(kb)
        run = state["run"]
        if not run:
            return [t + pad] if left_outer else []
        return [t + r for r in run]

    return merge
