"""Word count with in-mapper combining: each map task counts words in a dict, emits in cleanup.

Owns: the ready word-count job (``hadoop jar jobs.wordcount IN... OUT``). Must not touch
framework internals: it uses only the public ``mapred.api``.

Counting in the mapper is the standard Hadoop pattern for this job: a map task emits each distinct
word once, with its count in the split, so the shuffle carries a vocabulary's worth of records
instead of one per word. The combiner (the same sum) merges counts across the task's spills.
The map is ``map_batch``: it takes the split a batch of lines at a time, so the per-line cost is
the split and the count alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from mapred.api import Job


class WordCount(Job):
    """Output: ``word<TAB>count`` lines, words in sorted order within each part file."""

    def map_setup(self) -> None:
        self.counts: Counter[str] = Counter()
        self._update = self.counts.update

    def map_batch(self, offsets: Iterable[int], lines: list[str]) -> None:
        """Count the words of a whole batch of lines (Hadoop's Mapper.run override, Spark's
        mapPartitions): one call per batch instead of one per line."""
        self._update(chain.from_iterable(map(str.split, lines)))

    def map_cleanup(self) -> Iterable[tuple[str, int]]:
        return self.counts.items()

    def combine(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield word, sum(counts)

    def reduce(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, str]]:
        """The count as its text (what the text output writes anyway): pairs of strings go out
        in C-level joins, a batch at a time."""
        yield word, str(sum(counts))
