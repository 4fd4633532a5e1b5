"""Secondary sort, Hadoop's classic example: values arrive at reduce sorted within each key.

Owns: the ready secondary-sort job (``hadoop jar jobs.secondarysort IN OUT``). Must not touch
framework internals. Input lines hold two integers ``first second`` (space or TAB separated).
The map key is the composite ``(first, second)``; ``sort_key`` orders by both fields,
``group_key`` groups by ``first`` only (and, by the framework's rule, partitions by it), so one
reduce call sees every ``second`` of a ``first`` in ascending order without sorting them itself.
Output, as Hadoop's example prints it: a separator line, then ``first<TAB>second`` per value.
"""

from __future__ import annotations

from collections.abc import Iterator

from mapred.api import Job

SEPARATOR = "-" * 48


class SecondarySort(Job):
    def map(self, offset: int, line: str) -> Iterator[tuple[tuple[int, int], int]]:
        fields = line.split()
        if len(fields) >= 2:
            first, second = int(fields[0]), int(fields[1])
            yield (first, second), second

    def sort_key(self, key: tuple[int, int]) -> tuple[int, int]:
        return key

    def group_key(self, key: tuple[int, int]) -> int:
        return key[0]

    def reduce(
        self, key: tuple[int, int], seconds: Iterator[int]
    ) -> Iterator[tuple[object, object]]:
        first = key[0]
        yield SEPARATOR, None
        for second in seconds:
            yield first, second
