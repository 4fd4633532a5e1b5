"""A Pig job's reduce side in batches of whole groups (mapred's ``reduce_batch`` and
``reduce_groups``).

Owns `BatchReduce`, what a reduce side with a batch form gives the job (its per-group
``reduce``, its per-batch ``batch`` of ``(key, [values])`` pairs and, when it reads a batch's
values flat, its ``runs`` of a `mapred.grouping.GroupRuns`: the job hands that to mapred's
``reduce_groups`` with no pair made per group), `unpacked_runs`, a batch's packed values
decoded by one msgpack call as one array (a ``msgpack.unpackb`` per value builds an unpacker
each time: twice the cost of the value itself; an Unpacker's iteration costs a step per
value), and `RowWriter`, the writing of a batch's output rows at once: PigStorage lines in one
generated comprehension (`codegen.text_lines`), or rows packed for a later job in one C-level
``map``.
Must not touch: how groups are cut (mapred) or what a reduce computes (aggregates, reducers).

A batch's rows are written in the order of their groups, exactly as the per-group path writes
them; a batch the bulk writer cannot take (a field of another type, a raw bytes field, a row
of another width) is written row by row through the job's tail instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import accumulate, chain
from operator import itemgetter
from typing import Any

import msgpack

from mapred.grouping import GroupRuns
from piglatin.back.codegen import StoreLine, text_lines
from piglatin.back.storage import unpacker
from piglatin.model.frozen import frozen_dataclass

__all__ = [
    "BatchReduce",
    "RowWriter",
    "Unpacked",
    "row_writer",
    "runs_of",
    "unpacked_batch",
    "unpacked_groups",
    "unpacked_runs",
    "unpacked_values",
]


_KEYS, _VALUES = itemgetter(0), itemgetter(1)
_unpack = unpacker()  # `storage.unpack_value`, C-level


@frozen_dataclass
class Unpacked:
    """A batch's values read back: `values` all of them, in the order of their groups;
    `ends` where each group's values end (as `GroupRuns.ends`), None when every group holds
    exactly one (so the values are the groups themselves: a reduce makes their rows in one
    comprehension)."""

    values: list
    ends: list[int] | None


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


def runs_of(groups: list) -> GroupRuns:
    """A batch ``[(key, [values]), ...]`` flat, as mapred's ``reduce_groups`` hands it over
    (`GroupRuns`: ``ends`` None when every group holds exactly one value)."""
    lists = list(map(_VALUES, groups))
    values = list(chain.from_iterable(lists))
    if len(values) == len(lists) and all(lists):
        return GroupRuns(list(map(_KEYS, groups)), values, None)
    return GroupRuns(list(map(_KEYS, groups)), values, list(accumulate(map(len, lists))))


def unpacked_runs(runs: GroupRuns) -> Unpacked | None:
    """The values of a flat batch, read as `storage.unpack_value` reads them, all at once
    (`unpacked_values`); None when some value is not packed bytes, or not exactly one packed
    value (the caller reads those one by one)."""
    objs = unpacked_values(runs.values)
    return None if objs is None else Unpacked(objs, runs.ends)


def unpacked_batch(groups: list) -> Unpacked | None:
    """`unpacked_runs` of a batch ``[(key, [packed values]), ...]``."""
    return unpacked_runs(runs_of(groups))


def unpacked_groups(groups: list) -> list[list] | None:
    """Each group's values of a batch ``[(key, [packed values]), ...]`` (`unpacked_batch`,
    as lists); None when some value is not packed bytes."""
    found = unpacked_batch(groups)
    if found is None:
        return None
    objs = found.values
    if found.ends is None:
        return [[o] for o in objs]
    ends = found.ends
    return list(map(objs.__getitem__, map(slice, [0, *ends], ends)))


@frozen_dataclass
class BatchReduce:
    """A reduce side with a batch form: `reduce(key, values)` per group (a big group, read
    lazily), `batch(groups)` per list of whole ``(key, [values])`` groups and, for a reduce
    side reading a batch's values flat, `runs(groups)` per `GroupRuns` (the job takes it
    through mapred's ``reduce_groups``; None: such a batch goes to `batch` as its pairs).
    `of_runs` makes one whose `batch` is its `runs` of the pairs made flat."""

    reduce: Callable[[Any, Iterable[Any]], Any]
    batch: Callable[[list], list]
    runs: Callable[[GroupRuns], list] | None = None

    @staticmethod
    def of_runs(
        reduce: Callable[[Any, Iterable[Any]], Any], runs: Callable[[GroupRuns], list]
    ) -> BatchReduce:
        """A reduce side whose batch form reads a batch flat: `runs`, and its pairs through
        `runs_of` (a multi-query job's branches hand over pairs)."""
        return BatchReduce(reduce, lambda groups: runs(runs_of(groups)), runs)


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
