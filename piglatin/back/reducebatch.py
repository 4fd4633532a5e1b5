"""A Pig job's reduce side in batches of whole groups (mapred's ``reduce_batch``).

Owns `BatchReduce`, the typed pair a reduce side with a batch form gives the job (its per-group
``reduce`` and its per-batch ``batch``), `unpacked_groups`, a batch's packed values decoded by
one msgpack call as one array (a ``msgpack.unpackb`` per value builds an unpacker each time:
twice the cost of the value itself; an Unpacker's iteration costs a step per value), and
`RowWriter`, the writing of a batch's output rows at once: PigStorage lines in one generated
comprehension (`codegen.text_lines`), or rows packed for a later job in one C-level ``map``.
Must not touch: how groups are cut (mapred) or what a reduce computes (aggregates, reducers).

A batch's rows are written in the order of their groups, exactly as the per-group path writes
them; a batch the bulk writer cannot take (a field of another type, a raw bytes field, a row
of another width) is written row by row through the job's tail instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from operator import itemgetter
from typing import Any

import msgpack

from piglatin.back.codegen import StoreLine, text_lines
from piglatin.back.storage import unpacker
from piglatin.model.frozen import frozen_dataclass

__all__ = [
    "BatchReduce",
    "RowWriter",
    "Unpacked",
    "row_writer",
    "unpacked_batch",
    "unpacked_groups",
    "unpacked_values",
]


_VALUES = itemgetter(1)
_unpack = unpacker()  # `storage.unpack_value`, C-level


@frozen_dataclass
class Unpacked:
    """A batch's values read back: `values` all of them, in the order of their groups;
    `sizes` how many each group holds, None when every group holds exactly one (so the
    values are the groups themselves: a reduce makes their rows in one comprehension)."""

    values: list
    sizes: list[int] | None


def unpacked_values(values: list) -> list | None:
    """Packed values read as `storage.unpack_value` reads each, in one msgpack call (their
    bytes behind the header of an array of that many values: no iterator step or unpacker
    per value); None when some value is not bytes, or not exactly one packed value (the
    caller reads those one by one)."""
    n = len(values)
    if not n:
        return []
    if type(values[0]) is not bytes or set(map(type, values)) != {bytes} or not all(values):
        return None
    header = b"\xdc" + n.to_bytes(2, "big") if n < 1 << 16 else b"\xdd" + n.to_bytes(4, "big")
    try:
        objs = _unpack(b"".join([header, *values]))
    except (ValueError, msgpack.UnpackException):  # more or fewer objects than values
        return None
    return list(objs)


def unpacked_batch(groups: list) -> Unpacked | None:
    """The values of a batch ``[(key, [packed values]), ...]``, read as
    `storage.unpack_value` reads them, all at once (`unpacked_values`); None when some value
    is not packed bytes, or not exactly one packed value (the caller reads those one by one)."""
    flat = list(chain.from_iterable(map(_VALUES, groups)))
    if not flat:
        return Unpacked([], [0] * len(groups))
    objs = unpacked_values(flat)
    if objs is None:
        return None
    if len(flat) == len(groups) and all(map(len, map(_VALUES, groups))):  # one value each
        return Unpacked(objs, None)
    return Unpacked(objs, [len(vs) for _kb, vs in groups])


def unpacked_groups(groups: list) -> list[list] | None:
    """Each group's values of a batch ``[(key, [packed values]), ...]`` (`unpacked_batch`,
    as lists); None when some value is not packed bytes."""
    found = unpacked_batch(groups)
    if found is None:
        return None
    objs = found.values
    if found.sizes is None:
        return [[o] for o in objs]
    out, at = [], 0
    for n in found.sizes:
        out.append(objs[at : at + n])
        at += n
    return out


@frozen_dataclass
class BatchReduce:
    """A reduce side with a batch form: `reduce(key, values)` per group (a big group, read
    lazily), `batch(groups)` per list of whole ``(key, [values])`` groups."""

    reduce: Callable[[Any, Iterable[Any]], Any]
    batch: Callable[[list], list]


@frozen_dataclass
class RowWriter:
    """A batch of output rows -> its (key, value) records: `bulk` all at once (None when it
    cannot take the batch), else `each` row through the job's tail."""

    bulk: Callable[[list], list | None] | None
    each: Callable[[tuple], list]

    def write(self, rows: list) -> list:
        if not rows:
            return []
        if self.bulk is not None and (out := self.bulk(rows)) is not None:
            return out
        each = self.each
        return [o for t in rows for o in each(t)]


def row_writer(
    tail: Callable[[tuple], list],
    line: StoreLine | None,
    pack: Callable[[tuple], Any] | None,
    direct: bool,
) -> RowWriter:
    """How a reduce writes its rows: `tail` per row; in bulk when the rows go straight to the
    job's output (`direct`: no operator after them) as PigStorage `line`s or records packed by
    `pack` for a later job."""
    if not direct:
        return RowWriter(None, tail)
    if line is not None:
        text = text_lines(line.types, line.sep)

        def lines(rows: list) -> list | None:
            joined = text(rows)
            return None if joined is None else [(None, joined)]

        return RowWriter(lines, tail)
    if pack is not None:

        def records(rows: list) -> list | None:
            try:
                return [(None, p) for p in map(pack, rows)]
            except (TypeError, ValueError):
                return None

        return RowWriter(records, tail)
    return RowWriter(None, tail)
