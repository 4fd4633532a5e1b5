"""A hash join's or GROUP's map output grouped by key within the map task (in-mapper combining).

Owns: `KeyGroups`, which holds a map task's tagged records (of a hash join, or of a GROUP or
COGROUP without combiner; ``pig.exec.mapKeyGroups=false`` turns it off), ``(key bytes, (tag,
packed row))``, and emits one record per key, ``(key bytes, (tag, [packed row, ...]))``, the
rows in the order they came, instead of one per row. A key's rows then cost the shuffle (packing,
sorting, spilling, merging) once, as the hand-written joins' in-mapper combining does; the
reduce side takes a list where it took one packed row (reducers.py). It pays when keys repeat
within a split, as join keys usually do (a foreign key); so, like Pig's partial aggregation,
it judges its first `SAMPLE_RECORDS` records and gives up for the rest of the task when they
held more than `1 / MIN_ROWS_PER_KEY` keys a record. What it holds is bounded: past a quarter
of the map's sort buffer (``mapreduce.task.io.sort.mb``) it emits everything it holds.
Must not touch: what a record means (the join's key bytes and row packing are reducers.py's and
codegen.py's) or how the framework shuffles.
"""

from __future__ import annotations

__all__ = ["KeyGroups", "MIN_ROWS_PER_KEY", "SAMPLE_RECORDS", "group_limit"]

SAMPLE_RECORDS = 10000
MIN_ROWS_PER_KEY = 2
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

    def add(self, records: list) -> list:
        """Take a batch of map output records; returns what leaves the task now."""
        if self.passing or not records:
            return records
        if not self.limit:
            sample = records[:100]
            size = sum(len(kb) + len(tv[1]) for kb, tv in sample) // len(sample)
            self.limit = max(1000, self.limit_bytes // (_ROW_BYTES + size))
        groups = self.groups
        for kb, (tag, pv) in records:
            held = groups.get(kb)
            if held is None:
                groups[kb] = [tag, pv]
            else:
                held.append(pv)
        self.rows += len(records)
        if self.seen >= 0:
            self.seen += len(records)
            if self.seen >= SAMPLE_RECORDS:
                self.seen = -1
                rows, keys = self.rows, len(groups)
                if keys * MIN_ROWS_PER_KEY > rows:
                    self.passing = True  # keys hardly repeat: each record leaves as it comes
                    return self.flush()
        if self.rows >= self.limit:
            return self.flush()
        return []

    def flush(self) -> list:
        """Everything held, one record per key, its rows in the order they came."""
        groups, self.groups, self.rows = self.groups, {}, 0
        return [
            (kb, (held[0], held[1] if len(held) == 2 else held[1:])) for kb, held in groups.items()
        ]
