"""A hash join whose joined rows are only written: each side sends its part of the output
record through the shuffle, and the reduce side concatenates the parts.

Owns: `JoinFragments` (`join_fragments` decides it from the plan, the same way in the map
and the reduce tasks), `SideFragment` (what one input's map writes as its row: the text of
the columns the output keeps, or their msgpack), and `fragment_reducer` with its batch form
`fragment_batch`, the join's reduce side over such parts.

When everything after a two-input hash JOIN is plain projections keeping some left columns
and then some right ones (the `joinlines.side_texts` condition), a joined output record is
the left row's part followed by the right row's:

* stored by PigStorage (no options): the part is the kept columns' field texts joined by the
  delimiter (the left part ends with it when the right side writes columns too), so a
  joined line is ``left + right``; a field written as raw bytes (a bytearray value) makes
  that part bytes, and its lines are written as bytes;
* written for a later job or a DUMP, every output column an atom: the part is the kept
  columns' msgpack values without the array's header, so a joined record is ``header +
  left + right``, byte for byte what `reducers.packer`'s msgpack packer makes of the row.

Each row is then formatted (or packed) once, by its map task, instead of packed there,
unpacked, concatenated, projected and formatted again on the reduce side; the map may copy
a field's input text as its part when the text is what PigStorage writes for the value
(the generated code proves it with `carriedline.number_pattern`). Null keys never match
(the map side drops or keeps them as before), outer sides are padded with the part of a
row of nulls, and the held side spills past its share of the bag budget as `RowBuffer`s do.

Must not touch: which rows join and in what order (the same as `reducers._two_way_join`:
per right row, every held left row), the map's key bytes, or any other job's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

import msgpack

from piglatin.back.mapgroups import group_rows
from piglatin.back.sources import plain_store
from piglatin.back.spillbag import CHECK_ROWS, BagBudget, RowBuffer
from piglatin.back.storage import PigStorage
from piglatin.model import data
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.bytefields import plain_atoms

__all__ = ["JoinFragments", "SideFragment", "fragment_batch", "fragment_reducer", "join_fragments"]

_ATOMS = frozenset(("int", "long", "float", "double", "chararray", "bytearray", "boolean"))
_PACK = msgpack.Packer(use_bin_type=True).pack
_PART = (str, bytes)  # one row's part; anything else is a map task's list of them


@frozen_dataclass(slots=False)
class SideFragment:
    """What input `tag`'s map sends as a row: `columns` of the row (their `types`), written
    as text joined by `sep` and followed by `end` (PigStorage), or, with `sep` None, as
    their msgpack values (`skip`: the bytes of the array header `pack` puts before them).
    `of_values` makes the part of any values of the columns (the generated code's fallback);
    `of_row` the part of a row (the closures' map side)."""

    tag: int
    columns: tuple[int, ...]
    types: tuple[DataType, ...]
    sep: str | None
    end: str
    skip: int
    of_values: Callable[[tuple], Any]
    pack: Callable[[Any], bytes] = _PACK

    def of_row(self, t: tuple) -> Any:
        n = len(t)  # a short row's missing columns are nulls, as a projection gives
        return self.of_values(tuple([t[c] if c < n else None for c in self.columns]))


@frozen_dataclass(slots=False)
class JoinFragments:
    """Both sides' `SideFragment`s; `header`: the msgpack array header of a joined record
    (b"" for text); `pads`: each side's part of a row of nulls (an outer join's missing
    side)."""

    sides: tuple[SideFragment, SideFragment]
    header: bytes
    pads: tuple[Any, Any]

    @property
    def text(self) -> bool:
        return self.sides[0].sep is not None


def join_fragments(plan: L.LogicalPlan, spec: Any) -> JoinFragments | None:
    """The fragments of a two-input hash join job (`spec`) whose reduce chain is plain
    projections keeping left columns before right ones, written by PigStorage without
    options or, all of its columns atoms, as records for a later job or a DUMP; None for
    any other job."""
    if spec.kind != "join" or spec.strategy is not None or not spec.op or spec.group:
        return None
    op = plan.op(spec.op)
    preds = plan.predecessors(op.op_id)
    if len(preds) != 2 or any(p.schema is None or not len(p.schema) for p in preds):
        return None
    wl = len(preds[0].schema)
    cols: tuple[int, ...] = tuple(range(wl + len(preds[1].schema)))
    for op_id in spec.reduce_chain:
        picked = L.plain_projection(plan.op(op_id))
        if picked is None or any(c >= len(cols) for c in picked):
            return None
        cols = tuple(cols[c] for c in picked)
    k = sum(1 for c in cols if c < wl)
    if not cols or any(c >= wl for c in cols[:k]):
        return None
    kept = (cols[:k], tuple(c - wl for c in cols[k:]))
    types = tuple(tuple(p.schema[c].type for c in side) for p, side in zip(preds, kept))
    storer = plain_store(plan, spec.store)
    sep = storer.delimiter if storer is not None else None
    if sep is not None:
        both = bool(kept[0]) and bool(kept[1])
        sides = tuple(
            _text_side(tag, kept[tag], types[tag], sep, sep if both and tag == 0 else "")
            for tag in (0, 1)
        )
        pads = tuple(s.of_values((None,) * len(s.columns)) for s in sides)
        return JoinFragments(sides, b"", pads)
    store = plan.op(spec.store) if spec.store else None
    if store is not None and not isinstance(store, L.LODump):
        return None
    if not all(t.value in _ATOMS for side in types for t in side):
        return None
    if not all(plain_atoms(plan, p.op_id, side) for p, side in zip(preds, kept, strict=True)):
        return None  # a bytearray column that may hold a bag (`plan.bytefields`)
    n = len(cols)
    header = bytes([0x90 | n]) if n < 16 else b"\xdc" + n.to_bytes(2, "big")
    sides = tuple(_packed_side(tag, kept[tag], types[tag]) for tag in (0, 1))
    return JoinFragments(sides, header, (b"\xc0" * len(kept[0]), b"\xc0" * len(kept[1])))


def _field_text(v: Any) -> str:
    """A field's text in a PigStorage line (a TypeError for raw bytes)."""
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is bytes:
        raise TypeError("raw bytes")
    if t is float:
        return data.format_double(v)
    return data.format_value(v)


def _text_side(
    tag: int, columns: tuple[int, ...], types: tuple[DataType, ...], sep: str, end: str
) -> SideFragment:
    fmt, bend = PigStorage(sep).format, end.encode()
    # a float column: Float.toString (`data.float_text`); every other field by its value
    texts = [data.float_text if t is DataType.FLOAT else _field_text for t in types]

    def plain(vals: tuple) -> Any:
        try:
            return sep.join(map(_field_text, vals)) + end
        except TypeError:  # a field written as raw bytes: this part is bytes
            return fmt(vals) + bend

    def with_floats(vals: tuple) -> Any:
        try:
            return sep.join([f(v) for f, v in zip(texts, vals)]) + end
        except TypeError:
            return fmt(vals) + bend

    of_values = with_floats if DataType.FLOAT in types else plain
    return SideFragment(tag, columns, types, sep, end, 0, of_values)


def _packed_side(tag: int, columns: tuple[int, ...], types: tuple[DataType, ...]) -> SideFragment:
    n = len(columns)
    skip = 1 if n < 16 else 3

    def of_values(vals: tuple) -> bytes:
        if n == 1:
            return _PACK(vals[0])
        return _PACK(vals)[skip:] if n else b""

    return SideFragment(tag, columns, types, None, "", skip, of_values)


# ------------------------------------------------------------------------------ reduce side
def fragment_reducer(
    frags: JoinFragments, outer: list[bool], budget: BagBudget, max_rows: int | None
) -> Callable[[Any, Iterable[Any]], list]:
    """(key, values) -> the joined records of one key: the left parts held (spilling past
    their share of `budget`, or `max_rows`), each right part joined with every held one;
    an outer side's unmatched parts padded with the other side's `pads`."""
    pad_left, pad_right = frags.pads
    header = frags.header
    lines = _text_lines if frags.text else _records

    def reduce(key, values):
        held = RowBuffer(budget, 1, max_rows)
        values = iter(values)
        for tag, pv in values:
            if tag == 0:
                if type(pv) in _PART:
                    held.append(pv)
                else:  # a map task's parts of this key (mapgroups.KeyGroups)
                    held.extend(group_rows(pv))
                continue
            if not len(held) and not outer[1]:
                break
            # the right parts a batch at a time: a batch's product with the held parts
            # stays under CHECK_ROWS lines
            rights = chain(((tag, pv),), values)
            size = max(1, CHECK_ROWS // max(1, len(held)))
            parts = _take(rights, size)
            if len(parts) < size:  # the key's last right parts: the common case
                try:
                    return _product(lines, header, held, parts, pad_left)
                finally:
                    held.close()
            return _streamed(lines, header, held, parts, rights, size, pad_left)
        try:
            if outer[0] and len(held):
                return _joined(lines, header, held, [pad_right])
            return []
        finally:
            held.close()

    return reduce


def fragment_batch(
    frags: JoinFragments, outer: list[bool], reduce: Callable[[Any, Iterable[Any]], Any]
) -> Callable[[list], Iterable[tuple]]:
    """The batch form of `fragment_reducer`'s `reduce` (mapred's ``reduce_batch``): a
    batch of whole ``(key, [values])`` groups -> their records, in group order. A key
    with rows of one side only (the common case of an outer join) is written inline: its
    parts each followed (or, a right part, preceded) by the other side's pad, in one
    C-level join; consecutive lines leave as one text. Any other key takes `reduce`."""
    pad_left, pad_right = frags.pads
    text = frags.text
    # an outer side's unmatched parts: str.join of them, the pad after (before) each
    after = pad_right + "\n" if text else b""
    before = "\n" + pad_left if text else b""

    def one_side(tag: int, values: list) -> Any:
        """The text of a key's parts of side `tag` padded; None when a part is bytes."""
        parts: list = []
        for _tag, pv in values:
            if type(pv) in _PART:
                parts.append(pv)
            else:
                parts += group_rows(pv)
        try:
            return after.join(parts) + pad_right if tag == 0 else pad_left + before.join(parts)
        except TypeError:
            return None

    def batch(groups: list) -> Iterable[tuple]:
        out: list = []  # the records so far
        pending: list = []  # text of the lines since the last record in `out`
        for i, (key, values) in enumerate(groups):
            tag = values[0][0]
            if tag == values[-1][0]:  # one side only
                if not outer[tag]:
                    continue
                if text and (lines := one_side(tag, values)) is not None:
                    pending.append(lines)
                    continue
            records = reduce(key, values)
            if type(records) is not list:  # a big product, made as it is read
                if pending:
                    out.append((None, "\n".join(pending)))
                return chain(out, records, batch(groups[i + 1 :]))
            if not text:
                out += records
                continue
            for record in records:
                if type(record[1]) is str:
                    pending.append(record[1])
                    continue
                if pending:
                    out.append((None, "\n".join(pending)))
                    pending = []
                out.append(record)
        if pending:
            out.append((None, "\n".join(pending)))
        return out

    return batch


def _take(values: Iterator[tuple[int, Any]], size: int) -> list:
    """The parts of the next (tag, part or [packed parts]) values, at least `size` of them
    unless `values` ends first."""
    out: list = []
    for _tag, pv in values:
        if type(pv) in _PART:
            out.append(pv)
        else:
            out += group_rows(pv)
        if len(out) >= size:
            break
    return out


def _product(lines: Callable, header: bytes, held: RowBuffer, rights: list, pad: Any) -> list:
    """The joined records of `rights` (a right outer join's unmatched ones with `pad`)."""
    if not len(held):
        return lines(header, [pad], rights)
    return _joined(lines, header, held, rights)


def _streamed(lines, header, held, parts, rights, size, pad) -> Iterator[tuple]:
    """`_product` of every batch of right parts, the first one `parts`."""
    try:
        while parts:
            yield from _product(lines, header, held, parts, pad)
            parts = _take(rights, size)
    finally:
        held.close()


def _joined(lines: Callable, header: bytes, held: RowBuffer, rights: list) -> list:
    """Every right part with every held part (per right part, the held ones in order)."""
    if not held.spilled:
        return lines(header, held.items, rights)
    out: list = []
    for r in rights:  # the held parts read again from disk for each right part
        for chunk in held.chunks():
            out += lines(header, chunk, [r])
    return out


def _text_lines(header: bytes, lefts: list, rights: list) -> list:
    """One record of the joined lines (bytes lines one record each when a part is bytes)."""
    if len(rights) == 1:
        r = rights[0]
        if len(lefts) == 1:
            line = lefts[0] + r if type(lefts[0]) is type(r) else None
            if line is not None:
                return [(None, line)]
        elif type(r) is str:
            try:  # every left part + r, C-level: r after each newline, and at the end
                return [(None, (r + "\n").join(lefts) + r)]
            except TypeError:
                pass
    try:
        return [(None, "\n".join([lt + rt for rt in rights for lt in lefts]))]
    except TypeError:  # a part in bytes (a raw bytes field): each line as bytes
        return [(None, _bytes(lt) + _bytes(rt)) for rt in rights for lt in lefts]


def _bytes(part: Any) -> bytes:
    return part if type(part) is bytes else part.encode()


def _records(header: bytes, lefts: list, rights: list) -> list:
    """The packed joined records."""
    return [(None, header + lt + rt) for rt in rights for lt in lefts]
