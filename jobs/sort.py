"""Total-order sort of text lines: the part files, concatenated, are one sorted file.

Owns: the ready sort job (``hadoop jar jobs.sort IN OUT``). Must not touch framework internals.
Each line is a key (duplicates kept); ``partitioner = "total_order"`` makes the framework sample
the input and give reducer i the i-th key range, so sorting holds across reducers, not just
within each part file. Lines compare as Python strings (code point order).
"""

from __future__ import annotations

from collections.abc import Iterator

from mapred.api import Job


class Sort(Job):
    partitioner = "total_order"

    def map(self, offset: int, line: str) -> Iterator[tuple[str, None]]:
        yield line, None

    def reduce(self, line: str, values: Iterator[None]) -> Iterator[tuple[str, None]]:
        for _ in values:
            yield line, None
