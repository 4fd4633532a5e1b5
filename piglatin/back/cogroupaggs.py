"""COGROUP (or GROUP) whose bags are read only through algebraic functions, without bags: the
map side folds partials per key and input, a combiner merges them, the reduce side computes
each input's finals and runs the chain on them (cogroupplan.py says which jobs qualify).

Owns: the by-input records and the three sides. A map record is ``(key bytes, pack((tag, k,
partials)))``: `partials` is input `tag`'s row count (COUNT_STAR's partial, always there,
so a key's groups and SIZE/IsEmpty/INNER are known), then the partial of each aggregate of
that input's bag. Key bytes are the key's sort bytes, or for a null key ``\\x00`` + tag: as
in Pig's COGROUP, null keys of different inputs are different groups, each with empty bags
for the other inputs (one input's null keys are one group). An input without records for a
key has an empty bag: every aggregate's Final of no partials (COUNT 0, SUM/MIN/MAX/AVG
null). The map side is the generated fold (`codegen.AggTail`) where the aggregates allow,
else `aggregates.fold_tail`; both write the same records. Must not touch: which jobs qualify
(cogroupplan.py, mrcompiler.py) or task wiring (runtime.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import msgpack

from mapred.grouping import GroupRuns
from piglatin.back.aggregates import (
    AGG_KEYS,
    bag_rows,
    finals_of,
    fold_judge,
    fold_tail,
    inline_input,
    intermediates_of,
    minus_zero_apart,
    one_column,
    slots_flush,
)
from piglatin.back.codegen import AGG_SLOTS, AggInput, AggTail, key_encoder
from piglatin.back.cogroupplan import ByInput, by_input_aggregates
from piglatin.back.exprs import key_bytes, plain_keys_bytes
from piglatin.back.finalcode import extremes, long_sums, multi_finals, single_finals
from piglatin.back.joinkeys import width
from piglatin.back.physical import Compiler, chain_functions, rows_through
from piglatin.back.reducebatch import BatchReduce, row_writer, unpacked_runs
from piglatin.back.storage import pack_value, unpacker
from piglatin.model.data import java_long
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["combiner", "inline_tail", "map_tail", "reducer"]

_NULL = b"\x00"  # below every sort-bytes prefix (as reducers' COGROUP null keys)
_ATOMS = frozenset(("int", "long", "float", "double", "chararray", "bytearray", "boolean"))
_COUNT_ROWS = AggInput("COUNT_STAR", None)
chain_from = chain.from_iterable


def _by_input(plan: L.LogicalPlan, spec: Any) -> tuple[L.LOCogroup, ByInput]:
    op = plan.op(spec.op)
    found = by_input_aggregates(plan, op, spec.reduce_chain)
    assert found is not None, "a by-input job's chain no longer qualifies"
    return op, found


def _funcs(found: ByInput, tag: int) -> list[str]:
    """Input `tag`'s partial slots: its row count, then its aggregates."""
    return ["COUNT_STAR", *[c.func for c in found.of_input(tag)]]


def _one_columns(found: ByInput, tag: int) -> list[bool]:
    """Which of input `tag`'s slots (`_funcs`) are a Distinct of one column, whose partials
    may be values-form (`distinctparts`)."""
    return [False, *map(one_column, found.of_input(tag))]


def _encoder(op: L.LOCogroup, tag: int) -> Callable[[Any], bytes]:
    """The key bytes of input `tag` (`cogroup_key_encoder`)."""
    if op.group_all:
        return key_bytes
    return cogroup_key_encoder([e.type for e in op.keys[tag]], tag)


def cogroup_key_encoder(types: list[DataType], tag: int) -> Callable[[Any], bytes]:
    """The key bytes of COGROUP input `tag` for a key of these types. A null key, and a key
    of several fields with a null field, is a group of its input's own: Pig's grouping
    comparator compares the input index when two keys are equal but hold a null (PIG-927,
    ``hasComparedTupleNull``), so such keys of different inputs never meet, while one input's
    equal ones still group. The input's byte after the key's bytes keeps the sort order (a
    key's sort bytes are never a prefix of another key's)."""
    encode = key_encoder(types)
    tb = bytes([tag])
    null_key = _NULL + tb
    if len(types) == 1:
        return lambda k: null_key if k is None else encode(k)

    def apart(k: Any) -> bytes:
        if k is None:
            return null_key
        return encode(k) + tb if None in k else encode(k)

    return apart


def _packer(plan: L.LogicalPlan, op: L.LOCogroup, tag: int, found: ByInput) -> Callable:
    """(k, partials) -> the packed ``(tag, k, partials)`` (`_native`: plain msgpack, else the
    Pig encoding, `pack_value`; both are read back by `storage.unpack_value`)."""
    native = _native(plan, op, tag, found)
    return _tagged(tag, msgpack.Packer(use_bin_type=True).pack if native else pack_value)


def _native(plan: L.LogicalPlan, op: L.LOCogroup, tag: int, found: ByInput) -> bool:
    """Whether input `tag`'s key and every MIN/MAX column are atoms, so that its records
    hold only values msgpack packs as themselves (COUNT, SUM and AVG partials are numbers,
    a Distinct's a tuple of rows)."""
    schema = plan.op(op.inputs[tag]).schema
    if not op.group_all and not all(e.type.value in _ATOMS for e in op.keys[tag]):
        return False
    for call in found.of_input(tag):
        if call.func in ("MIN", "MAX", "Distinct"):  # partials of the values themselves
            if schema is None:
                return False
            arg = call.args[0]
            cols = arg.columns if isinstance(arg, L.LEDeref) else range(len(schema))
            if not all(c < len(schema) and schema[c].dtype.value in _ATOMS for c in cols):
                return False
    return True


def _tagged(tag: int, pack: Callable[[Any], bytes]) -> Callable[[tuple], bytes]:
    return lambda kp: pack((tag, kp[0], kp[1]))


def _flush_slots(
    table: dict[Any, list], tag: int, encode: Callable[[Any], bytes], chararray: bool
) -> Callable[[], list]:
    """`aggregates.slots_flush` for one slot per aggregate and plain msgpack records, in a
    few C-level passes over the table (the keys' bytes at once for chararray keys)."""
    pack = msgpack.Packer(use_bin_type=True).pack

    def flush() -> list:
        if not table:
            return []
        null = table.pop(None, None)  # the null key's bytes are its own (`_encoder`)
        width = len(next(iter(table.values()))) if table else 0
        keys, slots = list(table), list(table.values())
        table.clear()
        kbs = plain_keys_bytes(keys) if chararray else None
        if kbs is None:
            kbs = list(map(encode, keys))
        # [c, s] -> ((c,), (s,)): a zip of each slot's column, C-level
        try:
            out = list(zip(kbs, map(pack, zip(repeat(tag), keys, _partials(slots, width)))))
        except OverflowError:  # a sum past the 64 bits a msgpack int holds: a Java long's
            slots = [[java_long(v) if type(v) is int else v for v in s] for s in slots]
            out = list(zip(kbs, map(pack, zip(repeat(tag), keys, _partials(slots, width)))))
        if null is not None:
            null = [java_long(v) if type(v) is int else v for v in null]
            out.append((encode(None), pack((tag, None, tuple(zip(null))))))
        return out

    return flush


def _partials(slots: list[list], width: int) -> Iterable[tuple]:
    """[c, s] -> ((c,), (s,)): a zip of each slot's column, C-level."""
    return zip(*[zip(map(itemgetter(j), slots)) for j in range(width)])


def map_tail(job: Any, op: L.LOCogroup, tag: int) -> Callable[[tuple], list]:
    """Input `tag`'s map side as a closure (`aggregates.fold_tail`): rows that the generated
    fold does not take (codegen off, an unhashable key, values it cannot add)."""
    _op, found = _by_input(job.plan, job.spec)
    calls = found.of_input(tag)
    if op.group_all:
        keyf: Callable[[tuple], Any] = lambda t: "all"  # noqa: E731
    else:
        keyf = job.compiler.key_fn(op.keys[tag], width(job, op, tag))
    elems = [None, *[bag_rows(c.args[0], job.compiler) for c in calls]]
    pack = _packer(job.plan, op, tag, found)
    encode = _encoder(op, tag)
    pack_any = _tagged(tag, pack_value)
    apart = minus_zero_apart(op, tag)
    return fold_tail(job, _funcs(found, tag), elems, keyf, encode, pack, pack_any, apart)


def inline_tail(plan: L.LogicalPlan, spec: Any, tag: int, min_reduction: int) -> AggTail | None:
    """Input `tag`'s map side as a `codegen.AggTail` the generated pipeline folds inline;
    None when one of its aggregates is not one the fold takes (`aggregates.inline_input`)."""
    op, found = _by_input(plan, spec)
    schema = plan.op(op.inputs[tag]).schema
    if schema is None:
        return None
    aggs = [_COUNT_ROWS]
    for call in found.of_input(tag):
        agg = inline_input(call, schema)
        if agg is None or agg.func == "Distinct":  # the generated fold's slots differ here
            return None
        aggs.append(agg)
    encode, pack = _encoder(op, tag), _packer(plan, op, tag, found)
    table: dict[Any, list] = {}
    widths = [AGG_SLOTS[a.func] for a in aggs]
    distinct = [a.func == "Distinct" for a in aggs]
    flush = slots_flush(table, widths, encode, pack, distinct)
    if all(w == 1 for w in widths) and not any(distinct) and _native(plan, op, tag, found):
        chararray = not op.group_all and [e.type for e in op.keys[tag]] == [DataType.CHARARRAY]
        flush = _flush_slots(table, tag, encode, chararray)
    passing = [False]
    judge = fold_judge(table, passing, min_reduction)
    keys = () if op.group_all else tuple(op.keys[tag])
    apart = len(op.inputs) > 1 and len(keys) > 1  # `encode` keeps null-field keys apart
    return AggTail(
        keys,
        tuple(aggs),
        AGG_KEYS,
        table,
        flush,
        judge,
        passing,
        encode,
        pack,
        inline_keys=not apart,
    )


def combiner(job: Any) -> Callable[[bytes, Iterable[Any]], list]:
    """A key's records merged per input (each input's Intermediates)."""
    op, found = _by_input(job.plan, job.spec)
    inters = [
        intermediates_of(_funcs(found, tag), _one_columns(found, tag))
        for tag in range(len(op.inputs))
    ]
    unpack = unpacker()

    def combine(kb, values):
        vs = list(values)
        if len(vs) == 1:
            return [(kb, vs[0])]
        held: dict[int, tuple[Any, list]] = {}
        for v in vs:
            tag, k, parts = v if type(v) is tuple else unpack(v)
            held.setdefault(tag, (k, []))[1].append(parts)
        out = []
        for tag, (k, plist) in held.items():
            if len(plist) > 1:
                fs = inters[tag]
                merged = tuple([f([p[j] for p in plist]) for j, f in enumerate(fs)])
            else:
                merged = plist[0]
            out.append((kb, pack_value((tag, k, merged))))
        return out

    return combine


def reducer(job: Any, op: L.LOCogroup) -> BatchReduce:
    """A key's records -> the chain's output: the chain's FILTERs and FOREACH run on the
    key's row (`_row_maker`), each aggregate call (and SIZE/IsEmpty of a bag) reading its
    value there; the rest of the chain follows. The batch form makes a batch's output rows
    and writes them at once (`reducebatch.RowWriter`)."""
    plan, spec = job.plan, job.spec
    _op, found = _by_input(plan, spec)
    n = len(op.inputs)
    comp = Compiler(
        job.compiler.scalars,
        job.compiler.udfs,
        _replace(found, n),
        plan=plan,
        warn=job.compiler.warn,
    )
    fused = [comp.narrow(plan.op(o), 0) for o in found.ops[:-1]] + [comp.foreach(found.foreach)]
    rest = [job.compiler.narrow(plan.op(o), 0) for o in spec.reduce_chain[len(found.ops) :]]
    run = chain_functions(fused + rest, job.emit)
    through = rows_through(fused + rest)  # the output op's rows of a list of key rows
    writer = row_writer(job.emit, job.store_line, job.record_pack, direct=True)
    rows_of = _row_maker(found, op)
    row_of = rows_of.of_group

    def reduce(kb, values):
        row = row_of(values if type(values) is list else list(values))
        return [] if row is None else run(row)

    def runs(groups: GroupRuns) -> list:
        found = unpacked_runs(groups)
        ends = groups.ends
        if found is None:
            values = groups.values
            if ends is None:
                made = [row_of([v]) for v in values]
            else:
                made = list(map(row_of, map(values.__getitem__, map(slice, [0, *ends], ends))))
            rows = [r for r in made if r is not None]
        elif ends is None:  # one record per key: one comprehension
            rows = rows_of.of_singles(found.values)
        else:
            cuts = map(slice, [0, *ends], ends)
            made = list(map(rows_of.of_records, map(found.values.__getitem__, cuts)))
            rows = [r for r in made if r is not None]
        return writer.write(through(rows))

    return BatchReduce.of_runs(reduce, runs)


@frozen_dataclass
class _KeyRows:
    """A key's row of its records (`of_group`: None when an INNER input has none), and the
    rows of a list of keys of one record each (`of_singles`, the rows of those kept)."""

    of_group: Callable[[list], tuple | None]
    of_records: Callable[[list], tuple | None]  # `of_group` of its values already read
    of_singles: Callable[[list], list]


def _row_maker(found: ByInput, op: L.LOCogroup) -> _KeyRows:
    """A key's records -> its row ``(group, None * n, block_1, ..., block_n)``, input i's
    block its row count and its aggregates' finals (an input without records: the finals
    of nothing); None when an INNER input has no records."""
    n = len(op.inputs)
    inner = [i for i, flag in enumerate(op.inner) if flag] if op.inner else []
    funcs = [_funcs(found, tag) for tag in range(n)]
    finals = [finals_of(fs, _one_columns(found, tag)) for tag, fs in enumerate(funcs)]
    longs = [[None, *long_sums(found.of_input(tag))] for tag in range(n)]
    singles = list(map(single_finals, funcs, finals, longs))
    kinds = [[None, *extremes(found.of_input(tag))] for tag in range(n)]
    severals = list(map(multi_finals, funcs, finals, longs, kinds))
    empties = [tuple([final([]) for final in fins]) for fins in finals]
    # a key of one input's one record (the commonest case): its row is the group, then
    # before[tag], its block, after[tag] (the other inputs' empty blocks)
    before = [(None,) * n + sum(empties[:tag], ()) for tag in range(n)]
    after = [sum(empties[tag + 1 :], ()) for tag in range(n)]
    head = (None,) * n
    unpack = unpacker()
    pair = singles if n == 2 else None  # (every INNER input has a record, then)

    def block(tag: int, plist: list | None) -> tuple:
        if plist is None:
            return empties[tag]
        if len(plist) == 1:
            return singles[tag](plist[0])
        return severals[tag](plist)

    def of_singles(recs: list) -> list:
        if inner:
            return [r for r in map(of_records, zip(recs)) if r is not None]
        return [(key, *before[tag], *singles[tag](parts), *after[tag]) for tag, key, parts in recs]

    def row_of(values: list) -> tuple | None:
        return of_records([v if type(v) is tuple else unpack(v) for v in values])

    def of_records(recs: list) -> tuple | None:
        if len(recs) == 1:
            tag, key, parts = recs[0]
            if inner and any(i != tag for i in inner):
                return None
            return (key, *before[tag], *singles[tag](parts), *after[tag])
        if pair is not None and len(recs) == 2:  # COGROUP of two: a record of each input
            a, b = recs
            if a[0] == 0 and b[0] == 1:
                return (a[1], None, None, *pair[0](a[2]), *pair[1](b[2]))
            if a[0] == 1 and b[0] == 0:
                return (b[1], None, None, *pair[0](b[2]), *pair[1](a[2]))
        if len(recs) == 2 and recs[0][0] != recs[1][0]:  # two inputs' one record each
            a, b = recs if recs[0][0] < recs[1][0] else recs[::-1]
            if any(i != a[0] and i != b[0] for i in inner):
                return None
            blocks = list(empties)
            blocks[a[0]], blocks[b[0]] = singles[a[0]](a[2]), singles[b[0]](b[2])
            return (a[1], *head, *chain_from(blocks))
        per: dict[int, list] = {}
        key, first = None, n
        for tag, k, parts in recs:
            per.setdefault(tag, []).append(parts)
            if tag < first:
                key, first = k, tag
        if any(i not in per for i in inner):
            return None
        return (key, *head, *chain_from(map(block, range(n), map(per.get, range(n)))))

    return _KeyRows(row_of, of_records, of_singles)


def _replace(found: ByInput, n: int) -> dict[int, Callable[[tuple], Any]]:
    """Each call node's value in the reduce row (`reducer`): input i's block starts after
    the group, the n bag placeholders and the blocks of the inputs before it."""
    starts, at = [], 1 + n
    for tag in range(n):
        starts.append(at)
        at += 1 + len(found.of_input(tag))
    places = []  # each call's column
    seen = [0] * n
    for tag in found.inputs:
        seen[tag] += 1
        places.append(starts[tag] + seen[tag])
    out: dict[int, Callable[[tuple], Any]] = {}
    for node, value in found.uses:
        column = starts[-1 - value] if value < 0 else places[value]
        if node.func == "IsEmpty":
            out[id(node)] = lambda t, c=column: t[c] == 0
        else:
            out[id(node)] = itemgetter(column)
    return out
