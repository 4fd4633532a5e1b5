"""A hash join's or GROUP's map output grouped by key within the map task (in-mapper combining).

Owns: `KeyGroups`, which holds a map task's tagged records (of a hash join, or of a GROUP or
COGROUP without combiner; ``pig.exec.mapKeyGroups=false`` turns it off), ``(key bytes, (tag,
packed row))``, and emits one record per key, ``(key bytes, (tag, [rows]))`` where `rows` is a
msgpack array of at most `RECORD_ROWS` packed rows in the order they came (`group_rows` reads
it back), instead of one record per row. The rows leave the task serialized, so the map's sort
buffer, which takes records a batch at a time and measures them in bytes, never holds a batch
of records whose Python objects weigh several times their bytes. The generated map code
adds its rows to `KeyGroups.groups` itself and counts them in `inline` (no record tuple per
row, no second loop); `add` judges and bounds them with the records it is given. A key's rows
then cost the shuffle (packing, sorting, spilling, merging) once, as the hand-written joins'
in-mapper combining does; the reduce side takes a list where it took one packed row
(reducers.py). It pays when keys repeat
within a split, as join keys usually do (a foreign key); so, like Pig's partial aggregation,
it judges its first `SAMPLE_RECORDS` records and gives up for the rest of the task when they
held more than `1 / MIN_ROWS_PER_KEY` keys a record. What it holds is bounded: past a quarter
of the map's sort buffer (``mapreduce.task.io.sort.mb``) it emits everything it holds.
Must not touch: what a record means (the join's key bytes and row packing are reducers.py's and
codegen.py's) or how the framework shuffles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, islice
from typing import Any

import msgpack

__all__ = [
    "KeyGroups",
    "MIN_ROWS_PER_KEY",
    "RECORD_ROWS",
    "SAMPLE_RECORDS",
    "group_limit",
    "group_rows",
]

SAMPLE_RECORDS = 10000
RECORD_ROWS = 1000  # the most rows one record carries
MIN_ROWS_PER_KEY = 2
_PACK = msgpack.Packer(use_bin_type=True).pack
_ROW_BYTES = 200  # Python's cost of a held row besides its packed bytes (tuples, list slot)


def group_limit(sort_buffer_bytes: int) -> int:
    """The bytes a task may hold grouped: a quarter of the map's sort buffer."""
    return max(1 << 20, sort_buffer_bytes // 4)


class KeyGroups:
    """One map task's join records, held and grouped by key (see the module's docstring):
    a list per key, ``[tag, packed row, ...]``, so that what the task holds is one container
    per key, not one per row, for the garbage collector to walk."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.limit = 0  # rows, from the first batch's row size
        self.groups: dict[bytes, list] = {}
        self.rows = 0  # rows held
        self.seen = 0  # records judged so far; -1 once judged
        self.passing = False
        # rows the generated map code put in `groups` (or `by_value`) itself since the last
        # `add` (`codegen.KeyedTail.groups`): it does so only while `passing` is false
        self.inline = 0
        # per key encoder, the rows held by the key's value (a str or int, whose values are
        # equal exactly when their key bytes are): encoded once per key, at the flush
        self.by_value: dict[Callable[[Any], list[bytes]], dict[Any, list]] = {}

    def values_for(self, encode: Callable[[Any], list[bytes]]) -> dict[Any, list]:
        """The rows held by key value, for keys whose bytes `encode` gives (of an iterable
        of values, the list of their bytes)."""
        held = self.by_value.get(encode)
        if held is None:
            held = self.by_value[encode] = {}
        return held

    def add(self, records: list) -> list:
        """Take a batch of map output records (and count the `inline` rows); returns what
        leaves the task now."""
        inline, self.inline = self.inline, 0
        if self.passing or not (records or inline):
            return records
        if not self.limit:
            self.limit = self._row_limit(records)
        groups = self.groups
        for kb, (tag, pv) in records:
            held = groups.get(kb)
            if held is None:
                groups[kb] = [tag, pv]
            else:
                held.append(pv)
        added = len(records) + inline
        self.rows += added
        if self.seen >= 0:
            self.seen += added
            if self.seen >= SAMPLE_RECORDS:
                self.seen = -1
                rows = self.rows
                keys = len(groups) + sum(map(len, self.by_value.values()))
                if keys * MIN_ROWS_PER_KEY > rows:
                    self.passing = True  # keys hardly repeat: each record leaves as it comes
                    return self.flush()
        if self.rows >= self.limit:
            return self.flush()
        return []

    def _row_limit(self, records: list) -> int:
        """The rows to hold, by the size of the first records (or rows held)."""
        sample = [(kb, tv[1]) for kb, tv in records[:100]]
        held = chain(self.groups.items(), *(d.items() for d in self.by_value.values()))
        sample = sample or [(kb, rows[1]) for kb, rows in islice(held, 100)]
        size = sum(_size(kb) + len(pv) for kb, pv in sample) // len(sample)
        return max(1000, self.limit_bytes // (_ROW_BYTES + size))

    def flush(self) -> list:
        """Everything held, a record per key (per `RECORD_ROWS` rows of a key), its rows in
        the order they came."""
        groups, self.groups, self.rows = self.groups, {}, 0
        by_value, self.by_value = self.by_value, {}
        items = chain(
            groups.items(),
            *(zip(encode(d), d.values()) for encode, d in by_value.items()),
        )
        out = []
        pack = _PACK
        for kb, held in items:
            if len(held) == 2:
                out.append((kb, (held[0], held[1])))
            elif len(held) <= RECORD_ROWS + 1:
                out.append((kb, (held[0], [pack(held[1:])])))
            else:  # a hot key: several records
                tag, step = held[0], RECORD_ROWS
                out += [(kb, (tag, [pack(held[i : i + step])])) for i in range(1, len(held), step)]
        return out


def _size(key: Any) -> int:
    """A key's bytes, about (a value held by `KeyGroups.by_value`: its text's length)."""
    return len(key) if type(key) in (bytes, str) else 8


def group_rows(packed: Sequence[bytes]) -> tuple[bytes, ...]:
    """The packed rows of a group record's value (``[msgpack array of packed rows]``)."""
    return msgpack.unpackb(packed[0], use_list=False)
