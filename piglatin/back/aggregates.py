"""GROUP followed by algebraic aggregates: Pig's map / combine / reduce split of COUNT,
COUNT_STAR, SUM, AVG, MIN and MAX.

Owns: the map side (rows folded per key value with each aggregate's Initial every 1000 rows
and at the end of the task, COUNT/COUNT_STAR counted directly, C-level for whole FLATTENed
bags), the combiner (Intermediate) and the reduce side (Final, then the FOREACH's other
expressions). Must not touch: which plans qualify (mrcompiler.algebraic_aggregates) or task
wiring (runtime.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice
from math import copysign
from operator import itemgetter
from typing import Any

import msgpack

from mapred.grouping import GroupRuns
from piglatin.back.codegen import (
    AGG_SLOTS,
    AggInput,
    AggTail,
    fill_key_memos,
    key_encoder,
    key_memos,
)
from piglatin.back.distinctparts import (
    OUTER,
    final_for,
    intermediate_for,
    of_values,
    partial_of_seen,
    partials_of_seen,
    values_final,
)
from piglatin.back.exprs import key_bytes, keys_bytes, plain_key, plain_keys_bytes
from piglatin.back.finalcode import (
    extremes,
    long_sums,
    multi_finals,
    single_final_rows,
    single_finals,
)
from piglatin.back.joinkeys import width
from piglatin.back.physical import Compiler, CountingTail, OneRow
from piglatin.back.reducebatch import BatchReduce, RowWriter, Unpacked, unpacked_runs
from piglatin.back.storage import pack_value, unpack_value, unpacker
from piglatin.functions.builtins import BUILTINS
from piglatin.model.data import java_long
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.exprs import children, walk

AGG_KEYS = 100000  # map-side partial aggregation: flush past this many keys
SAMPLE_ROWS = 10000  # rows after which the folding is judged (Pig's POPartialAgg samples 10000)
MIN_REDUCTION = 2  # rows per key below which the folding stops (see min_reduction)
# the sample's keys whose columns' repeated values fill the key memos (`inline_tail`): the
# values that repeat among its first thousand keys are those a memo pays for; a Counter, a
# ranking and a sort_bytes per repeated value of each column over all 10000 keys of a sample
# cost more than the memos save (L17's 21 columns: 16% of its instructions; L6's 4: 4%)
MEMO_KEYS = 1000

log = logging.getLogger(__name__)

__all__ = [
    "AGG_KEYS",
    "agg_reducer",
    "agg_tail",
    "bag_rows",
    "combiner",
    "finals_of",
    "fold_judge",
    "fold_tail",
    "inline_input",
    "inline_tail",
    "intermediates_of",
    "min_reduction",
    "one_column",
    "slots_flush",
]


def _algebraic(job: Any, op: L.LogicalOperator) -> Any:
    """The job's `mrcompiler.Algebraic`: its FOREACH as the reduce side evaluates it, and
    the calls the map side and the combiner compute."""
    return _plan_algebraic(job.plan, job.spec, op)


def _plan_algebraic(plan: L.LogicalPlan, spec: Any, op: L.LogicalOperator) -> Any:
    from piglatin.back.mrcompiler import algebraic_foreach

    found = algebraic_foreach(plan, op, spec.reduce_chain)
    assert found is not None
    return found


def _agg_calls(job: Any, op: L.LogicalOperator) -> list[L.LEFunc]:
    return list(_algebraic(job, op).calls)


_SUMMED = frozenset((DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE))
_ORDERED = _SUMMED | {DataType.CHARARRAY}
# a column of one of these types holds values of that type or nulls, and among them Python's
# equality is Pig's but for NaN, whose copies Distinct's Final removes
_DISTINCT = _ORDERED | {DataType.BYTEARRAY, DataType.BOOLEAN}
# aggregates whose Initial reads a bytearray value as a double (`builtins._as_doubles`)
_AS_DOUBLE = frozenset(("SUM", "AVG", "MIN", "MAX"))
_INLINE_TYPES = {
    "SUM": _SUMMED,
    "AVG": _SUMMED,
    "MIN": _ORDERED,
    "MAX": _ORDERED,
    "Distinct": _DISTINCT,
}


def inline_tail(
    plan: L.LogicalPlan, spec: Any, min_reduction: int = MIN_REDUCTION
) -> AggTail | None:
    """The map side of a combined GROUP as a `codegen.AggTail` the generated pipeline folds
    inline, when every aggregate is COUNT, COUNT_STAR, SUM, AVG, MIN or MAX of the grouped
    rows or of one column of them (behind nested FILTERs or not), SUM/AVG of a numeric
    column and MIN/MAX of a numeric or chararray one; None otherwise, and for COUNTs of
    whole rows only behind a FLATTEN (`_count_tail` counts a FLATTENed bag's rows C-level;
    one row at a time, a closure call per row costs more than the inline fold). As
    `agg_tail`, the folding stops
    when its first `SAMPLE_ROWS` rows gave more than one key per `min_reduction` rows."""
    op = plan.op(spec.op)
    calls = list(_plan_algebraic(plan, spec, op).calls)
    if all(c.func in _COUNTS and _is_whole_row(c) for c in calls) and _flattens(plan, spec):
        return None
    schema = plan.op(op.inputs[0]).schema  # None: columns of unknown type (bytearrays)
    aggs = []
    for call in calls:
        found = inline_input(call, schema)
        if found is None:
            return None
        aggs.append(found)
    types = [] if op.group_all else [e.type for e in op.keys[0]]
    memos = key_memos(types)
    sort_bytes = key_bytes if op.group_all else key_encoder(types, memos)
    pack = pack_value
    if _native_partials(plan, op, calls):
        pack = msgpack.Packer(use_bin_type=True).pack
    if not reads_group(_plan_algebraic(plan, spec, op)):
        pack = keyless(pack)
    table: dict[Any, list] = {}
    keys = () if op.group_all else tuple(op.keys[0])
    distinct = [a.func == "Distinct" for a in aggs]
    chararray = types == [DataType.CHARARRAY]
    widths = [AGG_SLOTS[a.func] for a in aggs]
    flush = slots_flush(table, widths, sort_bytes, pack, distinct, chararray)
    passing = [False]
    # folding given up: the first MEMO_KEYS of the sample's keys fill the column memos the
    # passing rows' key bytes (and the flush of the sample) look up
    sampled = (lambda: fill_key_memos(memos, types, islice(table, MEMO_KEYS))) if memos else None
    judge = fold_judge(table, passing, min_reduction, sampled)
    return AggTail(
        keys, tuple(aggs), AGG_KEYS, table, flush, judge, passing, sort_bytes, pack, memos
    )


def _flattens(plan: L.LogicalPlan, spec: Any) -> bool:
    """Whether a FOREACH with a FLATTEN is on the job's map side."""
    for inp in spec.inputs:
        for op_id, _slot in inp.chain:
            op = plan.op(op_id)
            if isinstance(op, L.LOForEach) and any(g.flatten for g in op.generate):
                return True
    return False


def fold_judge(
    table: dict,
    passing: list[bool],
    min_reduction: int,
    on_pass: Callable[[], None] | None = None,
) -> Callable[[int], None]:
    """An `AggTail`'s judge: once `SAMPLE_ROWS` rows were folded, too many keys among them
    turn the folding off (``passing[0]``, after `on_pass` when given; what the table holds
    leaves at the task's end)."""
    seen = 0

    def judge(rows: int) -> None:
        nonlocal seen
        if seen < 0 or not rows:
            return
        seen += rows
        if seen < SAMPLE_ROWS:
            return
        if min_reduction * len(table) > seen:
            _log_disabled(seen, len(table), min_reduction)
            if on_pass is not None:
                on_pass()
            passing[0] = True
        seen = -1

    return judge


def _log_disabled(rows: int, keys: int, min_reduction: int) -> None:
    log.info(
        "Disabling in-map partial aggregation: %d rows gave %d keys, a reduction"
        " under pig.exec.mapPartAgg.minReduction (%g)",
        rows,
        keys,
        min_reduction,
    )


def inline_input(call: L.LEFunc, schema: Any) -> AggInput | None:
    """`call`'s `AggInput`: its argument is the grouped bag, one column of it, or either
    behind FILTERs; None for anything else or a column of a type the fold does not take.
    Without a `schema` (a LOAD without one) a column is a bytearray: the generated code
    folds it only when it is a bytearray field of the line (`codegen.Generator.folds`)."""
    arg, column = call.args[0], 0
    if isinstance(arg, L.LEDeref):
        if len(arg.columns) != 1:
            return None
        arg, column = arg.base, arg.columns[0]
    filters: list[L.LExpr] = []
    while isinstance(arg, L.LEFilteredBag):
        filters.insert(0, arg.cond)
        arg = arg.source
    if not isinstance(arg, L.LEProject) or schema is not None and column >= len(schema):
        return None
    allowed = _INLINE_TYPES.get(call.func)
    dtype = DataType.BYTEARRAY if schema is None else schema[column].dtype
    as_double = dtype is DataType.BYTEARRAY and call.func in _AS_DOUBLE
    if call.func not in AGG_SLOTS or (allowed and dtype not in allowed and not as_double):
        return None
    if call.func == "Distinct" and (filters or not isinstance(call.args[0], L.LEDeref)):
        return None  # a row a FILTER drops would fold as a null value
    whole = call.func == "COUNT_STAR"
    text = dtype is DataType.CHARARRAY and call.func in ("MIN", "MAX")
    return AggInput(call.func, None if whole else column, tuple(filters), as_double, text)


def slots_flush(
    table: dict[Any, list],
    widths: list[int],
    sort_bytes: Callable,
    pack: Callable,
    distinct: list[bool],
    chararray: bool = False,
) -> Callable[[], list]:
    """The records of an `AggTail`'s table, as `agg_tail`'s flush writes them: each
    aggregate's partial tuple is its slots (a Distinct's slot, a dict of the values seen,
    becomes its values-form partial, `distinctparts.partial_of_seen`). `chararray`: the keys are a
    chararray column's, whose bytes `plain_keys_bytes` makes at once when they are plain."""
    starts = [sum(widths[:j]) for j in range(len(widths))]
    single = all(w == 1 for w in widths)
    spans = list(zip(starts, widths, distinct))

    def keys_bytes_of(keys: list) -> list:
        if chararray and keys and keys[-1] is None:
            return [*keys_bytes_of(keys[:-1]), sort_bytes(None)]
        kbs = plain_keys_bytes(keys) if chararray and keys else None
        return list(map(sort_bytes, keys)) if kbs is None else kbs

    def partials_of(slots: list[list]) -> Iterable[tuple]:
        if single and not any(distinct):  # [c, s] -> ((c,), (s,)): a zip per slot, C-level
            return zip(*[zip(map(itemgetter(j), slots)) for j in range(len(widths))])
        if single and all(distinct):  # a column of dicts per slot
            columns = [
                partials_of_seen(list(map(itemgetter(j), slots))) for j in range(len(widths))
            ]
            return zip(*columns)
        # each aggregate's partials a column at a time, C-level but for Distinct's
        return zip(*[_partials(slots, a, w, d) for a, w, d in spans])

    def flush() -> list:
        null = table.pop(None, None) if chararray else None  # its bytes are not plain
        keys, slots = list(table), list(table.values())
        table.clear()
        if null is not None:
            keys.append(None)
            slots.append(null)
        try:
            return list(zip(keys_bytes_of(keys), map(pack, zip(keys, partials_of(slots)))))
        except OverflowError:  # a sum past the 64 bits a msgpack int holds: a Java long's
            slots = [[java_long(v) if type(v) is int else v for v in s] for s in slots]
            return list(zip(keys_bytes_of(keys), map(pack, zip(keys, partials_of(slots)))))
        except UnicodeEncodeError:  # half a surrogate pair: `storage.pack_value` keeps it
            return list(zip(keys_bytes_of(keys), map(pack_value, zip(keys, partials_of(slots)))))

    return flush


def _partials(slots: list[list], a: int, w: int, distinct: bool) -> Iterable[tuple]:
    """The partial of one aggregate in each key's slots, its `w` slots from `a`: their tuple
    (a Distinct's one slot, the dict of the values seen: its values-form partial)."""
    if distinct:
        return map(partial_of_seen, map(itemgetter(a), slots))
    if w == 1:
        return zip(map(itemgetter(a), slots))
    return map(itemgetter(*range(a, a + w)), slots)


def one_column(call: L.LEFunc) -> bool:
    """A Distinct of one column of the grouped rows (``DISTINCT B.x``): its partials may be
    values-form (`distinctparts`)."""
    arg = call.args[0] if call.args else None
    return call.func == "Distinct" and isinstance(arg, L.LEDeref) and len(arg.columns) == 1


def finals_of(funcs: Iterable[str], one_columns: Iterable[bool] = ()) -> list[Callable]:
    """Each aggregate's Final (`distinctparts` for Distinct: `one_columns` says which
    are of one column; none when not given)."""
    funcs, ones = list(funcs), list(one_columns)
    ones += [False] * (len(funcs) - len(ones))  # call i's flag is ones[i]
    return [
        final_for(one) if f == "Distinct" else BUILTINS[f].algebraic[2]
        for f, one in zip(funcs, ones)
    ]


def intermediates_of(funcs: Iterable[str], one_columns: Iterable[bool] = ()) -> list[Callable]:
    """Each aggregate's Intermediate, as `finals_of`."""
    funcs, ones = list(funcs), list(one_columns)
    ones += [False] * (len(funcs) - len(ones))  # call i's flag is ones[i]
    return [
        intermediate_for(one) if f == "Distinct" else BUILTINS[f].algebraic[1]
        for f, one in zip(funcs, ones)
    ]


def bag_rows(arg: L.LExpr, compiler: Any) -> Callable[[list], list] | None:
    """What an aggregate's argument makes of a group's rows on the map side: None for the
    rows themselves (the grouped bag), else a function of the rows (a projection
    ``B.(x, y)``, a nested FILTER's `LEFilteredBag`, or a projection of one)."""
    if isinstance(arg, L.LEDeref):
        inner = bag_rows(arg.base, compiler)
        cols = arg.columns
        if len(cols) == 1:
            c = cols[0]
            project: Callable[[tuple], tuple] = lambda t: (t[c] if c < len(t) else None,)  # noqa: E731
        else:
            project = itemgetter(*cols)
        if inner is None:
            return lambda rows: [project(t) for t in rows]
        return lambda rows: [project(t) for t in inner(rows)]
    if isinstance(arg, L.LEFilteredBag):
        inner = bag_rows(arg.source, compiler)
        keep = compiler.predicate(arg.cond)
        if inner is None:
            return lambda rows: [t for t in rows if keep(t)]
        return lambda rows: [t for t in inner(rows) if keep(t)]
    return None


def agg_tail(job: Any, op: L.LOCogroup) -> Callable[[tuple], list]:
    """Map side of GROUP + algebraic aggregates: rows are collected per key (by the key value
    itself) and folded with the aggregates' Initial every 1000 rows and at the end of the task
    (Pig's partial map-side aggregation); one (key, partials) record per key leaves the map."""
    calls = _agg_calls(job, op)
    keyf = (lambda t: "all") if op.group_all else job.compiler.key_fn(op.keys[0], width(job, op, 0))
    if all(c.func in ("COUNT", "COUNT_STAR") and _is_whole_row(c) for c in calls):
        first = (
            not op.group_all
            and len(op.keys[0]) == 1
            and isinstance(op.keys[0][0], L.LEProject)
            and op.keys[0][0].column == 0
        )
        return _count_tail(job, calls, keyf, first, minus_zero_apart(op))
    elems = [bag_rows(c.args[0], job.compiler) for c in calls]
    sort_bytes = key_bytes if op.group_all else key_encoder([e.type for e in op.keys[0]])
    pack = pack_value
    if _native_partials(job.plan, op, calls):  # plain msgpack, a Packer per task
        pack = msgpack.Packer(use_bin_type=True).pack
    if not reads_group(_algebraic(job, op)):
        pack = keyless(pack)
    funcs = [c.func for c in calls]
    return fold_tail(job, funcs, elems, keyf, sort_bytes, pack, pack_value, minus_zero_apart(op))


def fold_tail(
    job: Any,
    funcs: list[str],
    elems: list[Callable[[list], list] | None],
    keyf: Callable[[tuple], Any],
    sort_bytes: Callable[[Any], bytes],
    pack: Callable[[tuple], Any],
    pack_any: Callable[[tuple], Any],
    apart: Callable[[Any], bool] | None = None,
) -> Callable[[tuple], list]:
    """`agg_tail`'s folding, for the aggregates `funcs` of what `elems` make of a key's rows
    (`bag_rows`): records ``(sort_bytes(k), pack((k, partials)))``, `pack_any` for a key
    that cannot be hashed (its row's record leaves at once, as does a key `apart` says a
    dict must not fold, `minus_zero_apart`)."""
    initials = [BUILTINS[f].algebraic[0] for f in funcs]
    intermediates = [BUILTINS[f].algebraic[1] for f in funcs]
    rows_by_key: dict[Any, list] = {}
    partials: dict[Any, list] = {}
    n = len(funcs)

    def initial(rows: list) -> tuple:
        return tuple([initials[j](rows if elems[j] is None else elems[j](rows)) for j in range(n)])

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
            out.append((sort_bytes(k), pack((k, merged))))
        rows_by_key.clear()
        partials.clear()
        return out

    job.add_flush(flush)
    reduction = min_reduction(job)
    sampled = 0  # rows seen while judging the folding; -1 once judged
    passing = False  # folding did not pay: each row leaves the map as it comes

    def tail(t):
        nonlocal sampled, passing
        k = keyf(t)
        if passing:
            return [(sort_bytes(k), pack((k, initial([t]))))]
        if sampled >= 0:
            sampled += 1
            if sampled == SAMPLE_ROWS:
                sampled = -1
                if reduction * len(rows_by_key) > SAMPLE_ROWS:
                    _log_disabled(SAMPLE_ROWS, len(rows_by_key), reduction)
                    passing = True
                    return [*flush(), (sort_bytes(k), pack((k, initial([t]))))]
        if apart is not None and type(k) is tuple and 0.0 in k and apart(k):  # (a, -0.0)
            return [(sort_bytes(k), pack((k, initial([t]))))]
        try:
            rows = rows_by_key.get(k)
        except TypeError:  # an unhashable key (bag, map): no map-side folding
            return [(sort_bytes(k), pack_any((k, initial([t]))))]
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


def minus_zero_apart(op: L.LOCogroup, tag: int = 0) -> Callable[[Any], bool] | None:
    """For input `tag`'s key of GROUP/COGROUP `op`: the test of a key that a map-side fold's
    dict must not fold with others, or None when no key can be one. Pig compares a tuple
    key's fields with Double.compare, so (a, -0.0) and (a, 0.0) are two groups, while
    Python's tuple equality makes them one dict key; a single double key's -0.0 and 0.0
    are one group in both. Such a key is a tuple (several fields, or one tuple field)
    holding a -0.0; its rows leave the map unfolded, each its own record, and the key
    bytes (which tell the zeros apart) group them. ``0.0 in k`` is the C-level first
    look."""
    if op.group_all:
        return None
    types = [e.type for e in op.keys[tag]]
    if len(types) == 1 and types[0] not in _MAY_HOLD_TUPLE:
        return None
    if len(types) > 1 and not any(t in _MAY_HOLD_FLOAT for t in types):
        return None
    return _has_minus_zero


_MAY_HOLD_TUPLE = frozenset((DataType.TUPLE, DataType.BYTEARRAY))
_MAY_HOLD_FLOAT = frozenset((DataType.FLOAT, DataType.DOUBLE, DataType.TUPLE, DataType.BYTEARRAY))


def _has_minus_zero(k: Any) -> bool:
    """Whether key `k` is a tuple with a -0.0 among its fields (or its tuple fields')."""
    if type(k) is not tuple:
        return False
    for v in k:
        if type(v) is float and v == 0.0 and copysign(1.0, v) < 0.0:
            return True
        if type(v) is tuple and _has_minus_zero(v):
            return True
    return False


def reads_group(algebraic: Any) -> bool:
    """Whether the reduce side reads a group's key value (the FOREACH's column 0, the
    group) anywhere but inside its algebraic calls, whose values come from the partials: a
    nested block or a projection of the whole row counts as reading it. When it does not,
    the map's records need not carry the key (`keyless`): the key bytes still group them."""
    fe = algebraic.foreach
    if fe.nested:
        return True
    calls = {id(c) for c in algebraic.calls}
    stack = [g.expr for g in fe.generate]
    while stack:
        e = stack.pop()
        if id(e) in calls:
            continue
        if isinstance(e, L.LEProject) and e.input == 0 and e.column in (0, None):
            return True
        if isinstance(e, L.LEFilteredBag):
            stack.append(e.cond)  # another scope: its column 0 read as the group's, to be safe
        stack.extend(children(e))
    return False


def keyless(pack: Callable[[tuple], bytes]) -> Callable[[tuple], bytes]:
    """`pack` of a map record ``(k, partials)`` whose key the reduce side never reads
    (`reads_group`): ``(None, partials)``, so a wide key (L17: 21 fields) is neither packed,
    shuffled nor unpacked a second time beside its sort bytes."""
    return lambda kp: pack((None, kp[1]))


_NATIVE = frozenset(("int", "long", "float", "double", "chararray", "bytearray", "boolean"))


def _native_partials(plan: L.LogicalPlan, op: L.LOCogroup, calls: list[L.LEFunc]) -> bool:
    """Whether every (key, partials) record holds only values msgpack packs as themselves
    (read back by `unpack_value` unchanged): atom keys, and MIN/MAX/Distinct only of atom
    columns (COUNT, SUM and AVG partials are numbers); then no Pig encoding walk per
    record."""
    if not op.group_all and not all(e.type.value in _NATIVE for e in op.keys[0]):
        return False
    schema = plan.op(op.inputs[0]).schema
    for call in calls:
        if call.func not in ("MIN", "MAX", "Distinct"):
            continue
        arg = call.args[0]
        if schema is None or not isinstance(arg, L.LEDeref):
            return False
        if not all(c < len(schema) and schema[c].dtype.value in _NATIVE for c in arg.columns):
            return False
    return True


def min_reduction(job: Any) -> int:
    """``pig.exec.mapPartAgg.minReduction`` (checked where it is set): the rows per key the
    map-side folding must reach on its sample to stay on. The default is 2, not Pig's 10:
    here a row that leaves the map unfolded costs more than folding it (its partial packed,
    sorted, merged and unpacked in Python), so folding pays from two rows a key."""
    return int(job.context.conf.get("pig.exec.mapPartAgg.minReduction") or MIN_REDUCTION)


_PLAIN = frozenset((str, bytes, int, float, bool, type(None)))


def _count_tail(
    job: Any,
    calls: list[L.LEFunc],
    keyf: Callable,
    key_is_first: bool = False,
    apart: Callable[[Any], bool] | None = None,
) -> Callable[[tuple], list]:
    """COUNT / COUNT_STAR of whole rows: one counter per key and call (their Initial is a
    count), so a row costs a key and a dict update; a key `apart` says a dict must not fold
    (`minus_zero_apart`) leaves at once, its own record."""
    star = [c.func == "COUNT_STAR" for c in calls]
    counts: dict[Any, list] = {}
    sort_bytes = key_bytes
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

    job.add_flush(flush)
    if len(star) == 1:
        return _count_one(job, star[0], keyf, counts, flush, key_is_first, apart)

    def tail(t):
        k = keyf(t)
        inc = [1 if s or (t and t[0] is not None) else 0 for s in star]
        if apart is not None and type(k) is tuple and 0.0 in k and apart(k):
            return [(sort_bytes(k), pack_value((k, tuple([(i,) for i in inc]))))]
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
    apart: Callable[[Any], bool] | None = None,
) -> Any:
    """One COUNT/COUNT_STAR: a Counter per task, as a `CountingTail` whose `rows` count a
    whole FLATTENed bag in one C-level `Counter.update`. When the key is the rows' first field,
    COUNT (which skips rows whose first field is null) differs from COUNT_STAR only for the
    null key."""
    counter: Counter = Counter()
    sort_bytes = key_bytes

    def flush_counter() -> list:
        if key_is_first and not star and None in counter:
            counter[None] = 0
        if counts or not _PLAIN.issuperset(map(type, counter)):
            counts.update((k, [c]) for k, c in counter.items())
            counter.clear()
            return flush()
        keys = list(counter)
        framed = plain_keys_bytes(keys)
        if framed is not None:  # the commonest case: (key bytes, count), the key read back from
            out = list(zip(framed, counter.values()))  # its bytes (`_count_rows`)
        else:  # C-level too: (key bytes, (k, ((count,),))) per key; the value is left to the
            # framework's own msgpack (plain keys round-trip as themselves, no Pig encoding)
            partials = zip(zip(counter.values()))  # ((count,),) per key
            out = list(zip(keys_bytes(keys), zip(keys, partials)))
        counter.clear()
        return out

    job.add_flush(flush_counter)

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

    if apart is not None:  # a key with a -0.0 leaves at once (`minus_zero_apart`)
        counting = tail

        def tail(t):
            k = keyf(t)
            if type(k) is tuple and 0.0 in k and apart(k):
                return unhashable(t)
            return counting(t)

    def many(rows):
        if apart is not None:  # one by one: the keys with a -0.0 apart
            return [r for t in rows for r in tail(t)]
        if star or key_is_first:  # every row counts 1 under its key: count the keys in C
            done = _count_all(counter, rows, keyf)
            if done == len(rows):
                return flush_counter() if len(counter) >= AGG_KEYS else ()
            rows = rows[done:]  # an unhashable key (bag, map): no folding from there on
        return [r for t in rows for r in tail(t)]

    if not key_is_first:
        return CountingTail(tail, many)

    def many_keys(keys: list | None) -> Any:
        """`many` of the one-field rows ``(k,)`` for k in `keys`, given the keys (None:
        the FLATTEN of a null bag, one null row)."""
        if apart is not None:
            return many([_NULL_ROW] if keys is None else [(k,) for k in keys])
        try:
            counter.update(_NULL_ROW if keys is None else keys)  # C-level for a list
        except TypeError:
            done = _count_all(Counter(), keys)  # where it failed: the rest go one by one
            return [r for k in keys[done:] for r in tail((k,))]
        return flush_counter() if len(counter) >= AGG_KEYS else ()

    return CountingTail(tail, many, many_keys)


_NULL_ROW = (None,)
_NOTHING = object()
_COUNTS = frozenset(("COUNT", "COUNT_STAR"))


def _count_all(counter: Counter, items: list, keyf: Callable | None = None) -> int:
    """Count the keys of `items` (the items themselves without `keyf`) C-level; returns how
    many were counted: all, or those before the first unhashable key."""
    try:
        counter.update(items if keyf is None else map(keyf, items))
    except TypeError:
        for i, item in enumerate(items):
            try:
                hash(item if keyf is None else keyf(item))
            except TypeError:
                return i
    return len(items)


def _is_whole_row(call: L.LEFunc) -> bool:
    """An aggregate of the grouped bag itself (not of a projection or a FILTER of it)."""
    return isinstance(call.args[0], L.LEProject)


def _count_rows(kb: bytes, values: Iterable[Any], unpack: Callable) -> list:
    """A single COUNT's partial rows: a bare int is a count under a plain chararray key (see
    `_count_one`), read back from the key bytes."""
    return [
        v if type(v) is tuple else (plain_key(kb), ((v,),)) if type(v) is int else unpack(v)
        for v in values
    ]


def combiner(job: Any) -> Callable[[Any, Iterable[Any]], Any]:
    op = job.plan.op(job.spec.op)
    calls = _agg_calls(job, op)
    inter = intermediates_of([c.func for c in calls], map(one_column, calls))
    n = len(calls)

    def combined(kb, rows):
        partial = tuple([inter[j]([r[1][j] for r in rows]) for j in range(n)])
        return [(kb, pack_value((rows[0][0], partial)))]

    if n == 1 and calls[0].func in _COUNTS:

        def combine_count(kb, values):
            vs = list(values)
            if set(map(type, vs)) == {int}:  # all bare counts: stay one
                return [(kb, sum(vs))]
            return combined(kb, _count_rows(kb, vs, unpack_value))

        return combine_count

    def combine(kb, values):
        return combined(kb, [v if type(v) is tuple else unpack_value(v) for v in values])

    return combine


def _outer_of_distinct(fe: L.LOForEach, calls: list[L.LEFunc]) -> dict[int, list[L.LEFunc]]:
    """The one-column Distinct calls (by index in `calls`) that the FOREACH reads only as the
    argument of COUNT, COUNT_STAR, SUM, AVG, MIN or MAX (``COUNT(DISTINCT B.x)``), with
    those aggregate calls: their slot may hold the distinct values alone."""
    wanted = {id(c): j for j, c in enumerate(calls) if one_column(c)}
    outer: dict[int, list[L.LEFunc]] = {}
    other: set[int] = set()
    for g in fe.generate:
        for node in walk(g.expr):
            if not isinstance(node, L.LEFunc):
                continue
            for arg in node.args:
                j = wanted.get(id(arg))
                if j is None:
                    continue
                fused = node.kind == "builtin" and node.func in OUTER and not node.ctor_args
                if fused and len(node.args) == 1:
                    outer.setdefault(j, []).append(node)
                else:
                    other.add(j)
    found = {j: nodes for j, nodes in outer.items() if j not in other}
    uses = {id(c): 0 for c in calls}
    for g in fe.generate:
        for node in walk(g.expr):
            if id(node) in uses:
                uses[id(node)] += 1
    # every occurrence of the call is some fused aggregate's argument
    return {j: nodes for j, nodes in found.items() if uses[id(calls[j])] == len(nodes)}


def agg_reducer(
    job: Any, op: L.LOCogroup, run: Callable, writer: RowWriter | None = None
) -> Callable | BatchReduce:
    """The reduce side of a GROUP whose aggregates are algebraic: per key, each aggregate's
    Final of the partials, the FOREACH, then `run` (the rest of the reduce chain and the
    job's tail). With a `writer` (how `run`'s rows may be written at once) and a FOREACH of
    one row per group, a `BatchReduce` whose batch form makes a batch's rows in one loop."""
    algebraic = _algebraic(job, op)
    calls = list(algebraic.calls)
    finals = finals_of([c.func for c in calls], map(one_column, calls))
    replace = {id(c): itemgetter(2 + j) for j, c in enumerate(calls)}
    for j, outer in _outer_of_distinct(algebraic.foreach, calls).items():
        finals[j] = values_final  # slot j: the values; each reader computes from them
        for node in outer:
            f = of_values(node.func, BUILTINS[node.func].fn)
            replace[id(node)] = lambda t, c=2 + j, f=f: f(t[c])
    comp = Compiler(
        job.compiler.scalars, job.compiler.udfs, replace, plan=job.plan, warn=job.compiler.warn
    )
    gen = comp.foreach(algebraic.foreach)
    n = len(calls)
    unpack = unpacker()

    if n == 1 and isinstance(gen, OneRow) and calls[0].func in _COUNTS:
        final0, one = finals[0], gen.row

        def reduce_count(kb, values):
            """GROUP ... GENERATE group, COUNT(x): the partial counts summed in one loop."""
            rows = list(values)
            k = _NOTHING
            c = 0
            try:
                for v in rows:
                    t = type(v)
                    if t is int:  # a bare count under a plain chararray key
                        c += v
                        continue
                    if t is not tuple:
                        v = unpack(v)
                    if k is _NOTHING:
                        k = v[0]
                    c += v[1][0][0]
            except (TypeError, IndexError):  # not the plain partials: the general final
                c = final0([r[1][0] for r in _count_rows(kb, rows, unpack)])
            if k is _NOTHING:
                k = plain_key(kb)
            return run(one((k, None, c)))

        return reduce_count
    if n == 1 and calls[0].func in _COUNTS:  # bare counts possible (`_count_one`)
        final0 = finals[0]

        def reduce(kb, values):
            rows = _count_rows(kb, values, unpack)
            rows_out = gen((rows[0][0], None, final0([r[1][0] for r in rows])))
            if len(rows_out) == 1:
                return run(rows_out[0])
            return [o for t in rows_out for o in run(t)]

        return reduce

    longs = long_sums(calls)
    single = single_finals([c.func for c in calls], finals, longs)
    several = multi_finals([c.func for c in calls], finals, longs, extremes(calls))
    one = gen.row if isinstance(gen, OneRow) else None

    def reduce(kb, values):
        rows = [v if type(v) is tuple else unpack(v) for v in values]
        if len(rows) == 1:  # one partial record (a key of one map task): finals inline
            k, parts = rows[0]
            row = (k, None) + single(parts)
        else:
            row = (rows[0][0], None) + several([r[1] for r in rows])
        if one is not None:
            return run(one(row))
        return [o for t in gen(row) for o in run(t)]

    if one is None or writer is None:
        return reduce

    shape = _row_shape(algebraic.foreach, calls, replace)

    if shape is None:

        def rows_of(values: list) -> list:
            """The FOREACH's rows of a batch of one (key, partials) record per group."""
            return [one((k, None) + single(p)) for k, p in values]

    else:  # the rows themselves generated: FLATTEN(group)'s nulls for a null key
        head = "group" if shape is _SHAPE_GROUP else "finals" if shape is _SHAPE_FINALS else shape
        rows_of = single_final_rows([c.func for c in calls], finals, head, longs)

    def runs(groups: GroupRuns) -> list:
        """A batch of whole groups, flat: each group's row of finals (a group of one partial
        record through `single`), then the FOREACH per row and the rows written at once; a
        batch of one record per group in one comprehension (`rows_of`)."""
        found = unpacked_runs(groups)
        if found is not None and found.ends is None:
            return writer.write(rows_of(found.values))
        rows = []
        for values in _group_values(groups, found):
            if len(values) == 1:
                v = values[0]
                rows += rows_of([v if type(v) is tuple else unpack(v)])
                continue
            rs = [v if type(v) is tuple else unpack(v) for v in values]
            rows.append(one((rs[0][0], None) + several([r[1] for r in rs])))
        return writer.write(rows)

    return BatchReduce.of_runs(reduce, runs)


# `_row_shape`'s FOREACHes: GENERATE group, then every aggregate call in order; or the calls
# alone (a FLATTEN(group) first is shown by the null key's row of nulls itself)
_SHAPE_GROUP = ("group",)
_SHAPE_FINALS = ("finals",)


def _row_shape(fe: L.LOForEach, calls: list[L.LEFunc], replace: dict) -> tuple | None:
    """How the FOREACH's row follows from a group's key k and its finals f (the tuple of the
    aggregate calls' values) when it is nothing but those: `_SHAPE_GROUP` for ``GENERATE
    group, <each call once, in order>`` (the row is ``(k,) + f``), `_SHAPE_FINALS` for the
    calls alone (``f``), and for ``FLATTEN(group)`` of a tuple first the row of nulls a
    null key gives (``k + f``). None for any other FOREACH (its rows come from `gen`)."""
    if fe.nested or any(g.casts for g in fe.generate):
        return None
    items = list(fe.generate)
    head = items[0] if items else None
    e = head.expr if head is not None else None
    if isinstance(e, L.LEProject) and e.column == 0 and id(e) not in replace:
        items = items[1:]
        if not head.flatten:
            shape = _SHAPE_GROUP
        elif e.type is DataType.TUPLE and head.fields:
            shape = (None,) * len(head.fields)
        else:
            return None
    else:
        shape = _SHAPE_FINALS
    if len(items) != len(calls) or any(g.flatten for g in items):
        return None
    if any(g.expr is not c or replace.get(id(c)) is None for g, c in zip(items, calls)):
        return None
    return shape


def _group_values(groups: GroupRuns, found: Unpacked | None) -> list[list]:
    """Each group's values (read back when `found`), as lists."""
    values = groups.values if found is None else found.values
    ends = groups.ends
    if ends is None:
        return [[v] for v in values]
    return list(map(values.__getitem__, map(slice, [0, *ends], ends)))
