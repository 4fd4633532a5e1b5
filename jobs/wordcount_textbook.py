"""The textbook word count: ``(word, 1)`` for every word, a combiner, a summing reducer.

Owns: the naive word-count job (``hadoop jar jobs.wordcount_textbook IN... OUT``), kept as the
yardstick for the framework's per-record overhead. Must not touch framework internals.
"""

from __future__ import annotations

from collections.abc import Iterator

from mapred.api import Job


class WordCountTextbook(Job):
    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        for word in line.split():
            yield word, 1

    def combine(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield word, sum(counts)

    def reduce(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield word, sum(counts)
