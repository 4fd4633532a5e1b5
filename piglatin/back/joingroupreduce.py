"""The reduce side of a GROUP computed in its hash JOIN's reduce (joingroup.py says when).

Owns `reducer`: for one join key (a group of the shuffle: the left input's rows, then the
right input's), the joined rows, made exactly as the join's own reduce makes them (per right
row, every left row; the FOREACHs of plain columns between the JOIN and the GROUP applied),
are the group's bag, and the group is the key columns of its first row. The row
``(group, bag)`` then runs through the operators after the GROUP as the GROUP's own reduce
would run it. A key with rows of one input only joins nothing (INNER): no group. Must not
touch: the map side (the join's, unchanged: null keys are dropped there), job boundaries.

Each joined row is the held left row's part followed by the right row's (when the
projections keep left columns before right ones: each part projected once, not once per
joined row). The bag goes to disk past the task's bag budget when the FOREACH after the GROUP
only reads it row by row (`bagusage.streaming_bags`), as a GROUP's bag does; the held left
rows spill as the join's do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any

import msgpack

from piglatin.back.bagusage import streaming_bags
from piglatin.back.joingroup import exact_rows, joined_columns
from piglatin.back.mapgroups import group_rows
from piglatin.back.physical import Compiler, OneRow, chain_functions
from piglatin.back.reducebatch import BatchReduce, row_writer
from piglatin.back.spillbag import CHECK_ROWS, BagBudget, GrowingBag, RowBuffer
from piglatin.back.storage import pack_value, unpacker
from piglatin.plan import logical as L
from piglatin.plan.bytefields import plain_atoms

__all__ = ["reducer", "side_columns", "side_packer"]

_unpack = unpacker()
_ATOMS = frozenset(("int", "long", "float", "double", "chararray", "bytearray", "boolean"))
_first, _second = itemgetter(0), itemgetter(1)
_BIG = object()  # a group `make` takes the general way


def reducer(job: Any) -> BatchReduce:
    """The reduce side of join job `job` whose spec names a `group` (mrcompiler.JobSpec)."""
    spec, plan = job.spec, job.plan
    join = plan.op(spec.op)
    group = plan.op(spec.group)
    at = spec.reduce_chain.index(spec.group)
    after = [plan.op(o) for o in spec.reduce_chain[at + 1 :]]
    conf = job.context.conf
    budget = BagBudget.of(conf, "reduce")
    comp = Compiler(
        job.compiler.scalars, job.compiler.udfs, plan=plan, bags=budget, warn=job.compiler.warn
    )
    stages = [comp.narrow(o, 0) for o in after]
    spillable = 0 in streaming_bags(after[0] if after else None, 1)
    left_width, cols = joined_columns(plan, join.op_id, spec.reduce_chain[:at])
    width = len(plan.op(group.inputs[0]).schema)
    keyf = comp.key_fn(group.keys[0], width)
    records = conf.get("pig.join.spill.records")
    max_rows = int(records) if records not in (None, "") else None
    preds = plan.predecessors(join.op_id)
    widths = (left_width, len(preds[1].schema))
    exact = (exact_rows(preds[0]), exact_rows(preds[1]))
    read = side_columns(plan, spec)
    if read is not None:  # the map sides packed only these columns (`side_packer`)
        at_left = {c: i for i, c in enumerate(read[0])}
        at_right = {c: len(read[0]) + i for i, c in enumerate(read[1])}
        cols = tuple(at_left[c] if c < left_width else at_right[c - left_width] for c in cols)
        widths, exact = (len(read[0]), len(read[1])), (True, True)
    make = _bags(_Parts(widths, cols, exact), keyf, budget, spillable, max_rows)

    first = stages[0] if stages else None
    row_of = first.row if isinstance(first, OneRow) else None
    rest = stages[1:] if row_of is not None else stages
    run = chain_functions(stages, job.emit)
    direct = not any(s is not None for s in rest)
    writer = row_writer(chain_functions(rest, job.emit), job.store_line, job.record_pack, direct)

    def reduce(key: Any, values: Iterable[Any]) -> list:
        row = make(values)
        return [] if row is None else run(row)

    def batch(groups: list) -> list:
        if row_of is None:
            out: list = []
            for _key, values in groups:
                row = make(values)
                if row is not None:
                    out += run(row)
            return out
        rows = []  # the FOREACH's row of each group, made while the group's bag is at hand
        for _key, values in groups:
            row = make(values)
            if row is not None:
                rows.append(row_of(row))
        return writer.write(rows)

    return BatchReduce(reduce, batch)


def side_columns(plan: L.LogicalPlan, spec: Any) -> tuple[tuple[int, ...], ...] | None:
    """The columns of each input's rows that join-group job `spec`'s reduce reads (the
    joined row's columns its projections keep, left ones before right ones, each side's in
    order), when its map sides may write just those (`side_packer`): every left row is its
    schema's width (a short left row would move the right columns of its joined rows) and
    one side keeps fewer columns than its schema has; else None (rows written whole)."""
    join = plan.op(spec.op)
    at = spec.reduce_chain.index(spec.group)
    found = joined_columns(plan, join.op_id, spec.reduce_chain[:at])
    preds = plan.predecessors(join.op_id)
    if found is None or len(preds) != 2 or not exact_rows(preds[0]):
        return None
    left_width, cols = found
    k = sum(1 for c in cols if c < left_width)
    if any(c >= left_width for c in cols[:k]):
        return None
    read = (tuple(sorted(set(cols[:k]))), tuple(sorted({c - left_width for c in cols[k:]})))
    if all(r == tuple(range(len(p.schema))) for r, p in zip(read, preds, strict=True)):
        return None
    return read


def side_packer(plan: L.LogicalPlan, spec: Any, tag: int) -> Callable[[tuple], bytes] | None:
    """How input `tag` of join-group job `spec` packs a row: the tuple of the columns its
    reduce reads (`side_columns`; a short row's missing ones null, as a projection makes
    them), so a column read by nobody after the join (L3: the right input's copy of the
    join key) is neither packed, shuffled nor unpacked; None: the row whole."""
    read = side_columns(plan, spec)
    if read is None:
        return None
    cols = read[tag]
    schema = plan.predecessors(spec.op)[tag].schema
    if cols == tuple(range(len(schema))):
        return None
    atoms = all(schema[c].dtype.value in _ATOMS for c in cols)
    atoms = atoms and plain_atoms(plan, plan.predecessors(spec.op)[tag].op_id, cols)
    pack = msgpack.Packer(use_bin_type=True).pack if atoms else pack_value  # as reducers.packer
    if not cols:
        empty = pack(())
        return lambda t: empty

    def slow(t: tuple) -> bytes:
        return pack(tuple([t[c] if c < len(t) else None for c in cols]))

    if len(cols) == 1:
        c = cols[0]

        def one(t: tuple) -> bytes:
            try:
                return pack((t[c],))
            except IndexError:
                return slow(t)

        return one
    get = itemgetter(*cols)

    def several(t: tuple) -> bytes:
        try:
            return pack(get(t))
        except IndexError:
            return slow(t)

    return several


class _Parts:
    """A joined row's columns `cols` (of ``left + right``, the left row `left_width` wide):
    when they are left columns then right ones and every left row is that wide (`exact`),
    `left` and `right` give each side's parts of a list of rows (``left(l) + right(r)`` is
    the row) and `joined` the rows of one left part with a list of right rows; else `whole`
    gives the rows of a list of ``l + r``, as the join's own reduce and a projection after
    it make them."""

    __slots__ = ("joined", "left", "right", "whole")

    def __init__(
        self, widths: tuple[int, int], cols: tuple[int, ...], exact: tuple[bool, bool]
    ) -> None:
        left_width = widths[0]
        k = sum(1 for c in cols if c < left_width)
        if exact[0] and all(c < left_width for c in cols[:k]):
            right = tuple(c - left_width for c in cols[k:])
            self.left = _columns(cols[:k], left_width)
            self.right = _columns(right, widths[1] if exact[1] else None)
            self.joined = _joined(right, self.right, widths[1] if exact[1] else None)
            self.whole = None
        else:
            self.left = self.right = self.joined = None
            self.whole = _columns(cols)


def _joined(
    cols: tuple[int, ...], right: Callable[[Sequence], list], width: int | None
) -> Callable[[tuple, list], list]:
    """(a left row's part, right rows) -> the joined rows ``part + right(r)``, each made as
    one tuple: the part's values repeated beside the right rows' columns `cols`, zipped
    C-level (no tuple of the right part per row first). A short right row (its missing
    columns are nulls, `_columns`) and rows taken whole go through `right`."""
    if not cols or (width is not None and cols == tuple(range(width))):

        def concatenated(lt: tuple, rows: list) -> list:
            rs = right(rows)
            return [lt + r for r in rs] if lt else rs

        return concatenated
    getters = [itemgetter(c) for c in cols]

    def zipped(lt: tuple, rows: list) -> list:
        try:
            return list(zip(*map(repeat, lt), *[map(g, rows) for g in getters]))
        except IndexError:
            rs = right(rows)
            return [lt + r for r in rs] if lt else rs

    return zipped


def _columns(cols: tuple[int, ...], width: int | None = None) -> Callable[[Sequence], list]:
    """rows -> the tuple of columns `cols` of each, C-level; a short row's missing columns
    are nulls (as a projection gives them). Rows all `width` wide (their input's rows are
    built to its schema, `joingroup.exact_rows`) are their own projection on every column in
    order."""
    if not cols:
        return lambda rows: [()] * len(rows)
    if width is not None and cols == tuple(range(width)):
        return list
    get = itemgetter(*cols)

    def slow(rows: list) -> list:
        return [tuple([t[c] if c < len(t) else None for c in cols]) for t in rows]

    if len(cols) == 1:

        def one(rows: list) -> list:
            try:
                return list(zip(map(get, rows)))
            except IndexError:
                return slow(rows)

        return one

    def several(rows: list) -> list:
        try:
            return list(map(get, rows))
        except IndexError:
            return slow(rows)

    return several


def _bags(
    parts: _Parts,
    keyf: Callable[[tuple], Any],
    budget: BagBudget,
    spillable: bool,
    max_rows: int | None,
) -> Callable[[Iterable[Any]], tuple | None]:
    """A join key's shuffled values -> the row ``(group, bag)`` of its joined rows; None
    when it has rows of one input only."""
    left, right, whole, joined = parts.left, parts.right, parts.whole, parts.joined

    def small(values: list) -> Any:
        """`make` of a group given as a list: at once, C-level, when its product is under
        `CHECK_ROWS` rows (else `_BIG`)."""
        if values[0][0] or not values[-1][0]:  # rows of one input only
            return None
        if len(values) == 2:  # one record a side: the common case
            pl, pr = values[0][1], values[1][1]
            packed_left = (pl,) if type(pl) is bytes else group_rows(pl)
            packed_right = (pr,) if type(pr) is bytes else group_rows(pr)
        else:
            pvs = list(map(_second, values))
            at = list(map(_first, values)).index(1)
            packed_left, packed_right = _packed_rows(pvs[:at]), _packed_rows(pvs[at:])
        nl = len(packed_left)
        if nl * len(packed_right) > CHECK_ROWS:
            return _BIG
        both = _unpack(_array_header(nl + len(packed_right)) + b"".join(packed_left + packed_right))
        if whole is not None:
            rows = whole([lt + r for r in both[nl:] for lt in both[:nl]])
        elif nl == 1:  # one left row (a unique key on the left): its part before each right's
            rows = joined(left(both[:1])[0], both[1:])
        else:
            rows = _product(left(both[:nl]), right(both[nl:]), None)
        return (keyf(rows[0]), rows)

    def make(values: Iterable[Any]) -> tuple | None:
        if type(values) is list and len(values) < CHECK_ROWS:
            row = small(values)
            if row is not _BIG:
                return row
        held = RowBuffer(budget, 1, max_rows)  # the left rows (their parts)
        keep = left if whole is None else None
        values = iter(values)
        try:
            for tag, pv in values:
                if tag == 0:
                    rows = _unpacked([pv])
                    held.extend(keep(rows) if keep is not None else rows)
                    continue
                if not len(held):
                    return None
                bag = GrowingBag(budget, spillable)
                size = max(1, CHECK_ROWS // len(held))
                alone = whole is None and len(held) == 1 and not held.spilled
                one = held.items[0] if alone else None  # a unique key on the left: its part
                for rows in _right_rows(chain(((tag, pv),), values), size):
                    if one is not None:
                        bag.add(joined(one, rows))
                        continue
                    if whole is None:
                        rows = right(rows)
                    if not held.spilled:
                        bag.add(_product(held.items, rows, whole))
                        continue
                    for r in rows:  # the held rows read again from disk per right row
                        for chunk in held.chunks():
                            bag.add(_product(chunk, [r], whole))
                rows = bag.rows()
                return (keyf(bag.first), rows)
            return None
        finally:
            held.close()

    return make


def _product(lefts: list, rights: list, whole: Callable[[tuple], tuple] | None) -> list:
    """The joined rows of `rights` with `lefts` (per right row, every left row): the parts
    concatenated, or `whole` of each concatenated row."""
    if whole is not None:
        return whole([lt + r for r in rights for lt in lefts])
    if len(lefts) == 1:
        lt = lefts[0]
        return [lt + r for r in rights] if lt else rights
    return [lt + r for r in rights for lt in lefts]


def _unpacked(pvs: Sequence[Any]) -> Sequence[tuple]:
    """The rows of packed values (a packed row, or a map task's list of a key's packed rows,
    `mapgroups.KeyGroups`)."""
    if len(pvs) == 1 and type(pvs[0]) is bytes:
        return (_unpack(pvs[0]),)
    return _unpacked_rows(_packed_rows(pvs))


def _packed(pv: Any) -> Sequence[bytes]:
    """The packed rows of one shuffled value: a packed row, or a map task's list of them."""
    return (pv,) if type(pv) is bytes else group_rows(pv)


def _packed_rows(pvs: Sequence[Any]) -> Sequence[bytes]:
    """The packed rows of several shuffled values, in order."""
    if len(pvs) == 1:
        return _packed(pvs[0])
    packed: list = []
    for pv in pvs:
        if type(pv) is bytes:
            packed.append(pv)
        else:
            packed += group_rows(pv)
    return tuple(packed)


def _unpacked_rows(packed: Sequence[bytes]) -> tuple:
    """Packed rows unpacked in one C-level msgpack call: their bytes behind an array header
    make one array of them."""
    n = len(packed)
    return _unpack(_array_header(n) + b"".join(packed))


def _array_header(n: int) -> bytes:
    """The msgpack header of an array of `n` values."""
    if n < 16:
        return _HEADERS[n]
    return b"\xdc" + n.to_bytes(2, "big") if n < 1 << 16 else b"\xdd" + n.to_bytes(4, "big")


_HEADERS = tuple(bytes((0x90 | n,)) for n in range(16))


def _right_rows(values: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple]]:
    """The right rows of `values` (packed rows, or a map task's lists of them), unpacked,
    about `size` at a time."""
    while pvs := list(map(_second, islice(values, size))):
        yield _unpacked(pvs)
