"""The study's "MapReduce reduce-side join", configured for the annotation and relation tables.

Owns: adapting ``jobs.join_reduce_side.ReduceSideJoin`` (tagged composite keys, a partitioner on
the join key, sort by (key, tag), grouping by key, buffering only one side) to the study's tables:
the join key is the annotations' first column but the relation's second, only the needed columns
travel through the shuffle, and the output is the shared row shape of ``jobs.joins``. Must not
touch the generic join's algorithm (it is reused as is).

The relation is the buffered side: a concept has about ten ancestors, while a popular concept has
a huge number of annotations, so buffering the annotations would hold a hot key's whole group.

Compact records: both maps take batches of lines and combine in the mapper
(``jobs.joins.KeyedPieces``): a tagged value carries all of one map task's rows of its concept,
element ids joined by TABs, relation rows (which hold TABs) by newlines, so the shuffle carries
about one record per concept, side and map task instead of one per row. The reducer splits them
back in C-level calls: the buffered rows into a list, the streamed ids into one ``product`` each.

    hadoop jar jobs.joins.reduce_side ANNOTATIONS RELATION OUT
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, product, repeat
from operator import itemgetter
from typing import Any

from jobs.join_reduce_side import BUFFERED, JOIN_TYPE, ReduceSideJoin
from jobs.joins import KeyedPieces, annotation_pairs, held_budget
from mapred.api import Input, Step
from mapred.errors import UsageError
from mapred.runner import JobResult, run_job

__all__ = ["ExpansionReduceSideJoin", "inputs_for", "run"]

_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)
_TAB = repeat("\t")


class ExpansionReduceSideJoin(ReduceSideJoin):
    """Left input: annotations (streamed); right input: the relation (buffered).

    The relation's value is its line without the row id, ``concept<TAB>parent<TAB>level``: the
    output value as is. Both maps take batches of lines and hold them per concept (see the
    module docstring); the inner join's reduce pairs each streamed element with the buffered
    rows through ``itertools.product``, with no Python step per output row."""

    def setup(self) -> None:
        super().setup()
        if self.context.partition is None:  # a map task: one input, its rows held per concept
            budget = held_budget(self.context)
            self.held = (KeyedPieces(budget, "\t"), KeyedPieces(budget, "\n"))

    def map_left_batch(self, offsets: Sequence[int], lines: list[str]) -> list | None:
        return _tagged(self.left_tag, self.held[0].add(*annotation_pairs(lines)))

    def map_left(self, offset: int, line: str) -> Iterator:
        concept, tab, rest = line.partition("\t")
        if tab:  # a line without a TAB has no element
            tag = self.left_tag
            yield (concept, tag), (tag, rest.partition("\t")[0])

    def map_right_batch(self, offsets: Sequence[int], lines: list[str]) -> list | None:
        rests = list(map(_third, map(str.partition, lines, _TAB)))  # drop the row id
        concepts = map(_first, map(str.partition, rests, _TAB))
        return _tagged(1 - self.left_tag, self.held[1].add(concepts, rests))

    def map_right(self, offset: int, line: str) -> Iterator:
        _, _, rest = line.partition("\t")  # drop the row id: concept, parent, level
        tag = 1 - self.left_tag
        yield (rest.partition("\t")[0], tag), (tag, rest)

    def cleanup(self) -> list | None:
        if self.context.partition is not None:
            return None
        left, right = (_tagged(tag, held.flush()) for tag, held in zip(_sides(self), self.held))
        return (left or []) + (right or [])

    def reduce(self, key: tuple[str, int], values: Iterator[tuple[int, str]]) -> Any:
        if self.outer or self.left_tag == 0:
            return self._reshaped(key, _rows(values, self.left_tag))
        ancestors: list[str] = []  # the relation's rows (tag 0) come first
        for tag, value in values:
            if tag:
                break
            ancestors += value.split("\n")
        else:
            return None  # no annotation has this concept
        if not ancestors:
            return None
        elements = chain.from_iterable(map(str.split, chain((value,), map(_second, values)), _TAB))
        return chain.from_iterable(map(product, zip(elements), repeat(ancestors)))

    def _reshaped(self, key: tuple[str, int], values: Iterator[tuple[int, str]]) -> Iterator:
        """Any other configuration through the generic join: (concept, element<TAB>row) pairs
        become (element, row); an unmatched annotation of a left outer join gets an empty row."""
        for concept, joined in super().reduce(key, values):
            element, _, row = joined.partition("\t")
            yield element, row or f"{concept}\t"

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: jobs.joins.reduce_side <annotations> <relation> <out>")
        annotations, relation, out = args
        return [Step(cls, inputs_for(annotations, relation), out, _conf())]


def _tagged(tag: int, pairs: list[tuple[str, str]] | None) -> list | None:
    """Held (concept, rows) pairs as the join's tagged records."""
    if not pairs:
        return None
    return [((concept, tag), (tag, rows)) for concept, rows in pairs]


def _sides(job: ExpansionReduceSideJoin) -> tuple[int, int]:
    """The tags of the left (annotations) and right (relation) inputs."""
    return job.left_tag, 1 - job.left_tag


def _rows(values: Iterator[tuple[int, str]], left_tag: int) -> Iterator[tuple[int, str]]:
    """One (tag, row) per row of the held values (element ids of the left input joined by
    TABs, relation rows by newlines), for the generic join."""
    for tag, value in values:
        for row in value.split("\t" if tag == left_tag else "\n"):
            yield tag, row


def inputs_for(annotations: str, relation: str) -> list[Input]:
    return [Input(annotations, mapper="map_left"), Input(relation, mapper="map_right")]


def _conf() -> dict[str, str]:
    return {BUFFERED: "right", JOIN_TYPE: "inner"}


def run(
    annotations: str,
    relation: str,
    output: str,
    conf: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> JobResult:
    """Run the join; `conf` overrides (e.g. ``mapreduce.job.reduces``) win over the defaults."""
    merged = {**_conf(), **dict(conf or {})}
    return run_job(
        ExpansionReduceSideJoin,
        inputs_for(annotations, relation),
        output,
        merged,
        executor,
        name="reduce-side join",
    )


JOB = ExpansionReduceSideJoin
