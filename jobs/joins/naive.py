"""The obvious user-written reduce-side join: a mapper tagging each row by its table, a reducer
forming the pairs (issue 15's yardstick for what a first-time user's join costs).

Owns: that job, written the way a user writes it first: one ``map`` for both tables (the table
is told by the split's file path), plain tuples as tagged values, no partitioner, sort or grouping
comparator, and a reducer that collects both sides into lists and pairs them. Must not touch
framework internals (only ``mapred.api``); it is deliberately not tuned, so benchmarks see what
the framework does with ordinary code.

    hadoop jar jobs.joins.naive ANNOTATIONS RELATION OUT

Output: the shared row shape of ``jobs.joins`` (``element_id<TAB>concept_id<TAB>parent<TAB>
level``), the same multiset of lines as every other strategy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mapred.api import Job, Step
from mapred.errors import UsageError

__all__ = ["NaiveJoin"]


class NaiveJoin(Job):
    """Map: ``concept -> ("R", ancestor)`` or ``("A", element)``; reduce: every pair."""

    def setup(self) -> None:
        split = self.context.split
        self.relation = split is not None and "/relation" in split.url

    def map(self, offset: int, line: str) -> Iterator[tuple[str, tuple[str, str]]]:
        fields = line.split("\t")
        if self.relation:  # id, concept, parent, level
            yield fields[1], ("R", "\t".join(fields[1:]))
        elif len(fields) > 1:  # concept, element, ...
            yield fields[0], ("A", fields[1])

    def reduce(self, concept: str, values: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        ancestors, elements = [], []
        for tag, value in values:
            if tag == "R":
                ancestors.append(value)
            else:
                elements.append(value)
        for element in elements:
            for ancestor in ancestors:
                yield element, ancestor

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: jobs.joins.naive <annotations> <relation> <out>")
        annotations, relation, out = args
        return [Step(cls, [annotations, relation], out, {})]


JOB = NaiveJoin
