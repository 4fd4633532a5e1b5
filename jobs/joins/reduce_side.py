"""The study's "MapReduce reduce-side join", configured for the annotation and relation tables.

Owns: adapting ``jobs.join_reduce_side.ReduceSideJoin`` (tagged composite keys, a partitioner on
the join key, sort by (key, tag), grouping by key, buffering only one side) to the study's tables:
the join key is the annotations' first column but the relation's second, only the needed columns
travel through the shuffle, and the output is the shared row shape of ``jobs.joins``. Must not
touch the generic join's algorithm (it is reused as is).

The relation is the buffered side: a concept has about ten ancestors, while a popular concept has
a huge number of annotations, so buffering the annotations would hold a hot key's whole group.

    hadoop jar jobs.joins.reduce_side ANNOTATIONS RELATION OUT
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, product, repeat
from operator import itemgetter
from typing import Any

from jobs.join_reduce_side import BUFFERED, JOIN_TYPE, ReduceSideJoin
from mapred.api import Input, Step
from mapred.errors import UsageError
from mapred.runner import JobResult, run_job

__all__ = ["ExpansionReduceSideJoin", "inputs_for", "run"]

_first, _second = itemgetter(0), itemgetter(1)


class ExpansionReduceSideJoin(ReduceSideJoin):
    """Left input: annotations (streamed); right input: the relation (buffered).

    The relation's value is its line without the row id, ``concept<TAB>parent<TAB>level``: the
    output value as is. The annotations' map takes batches of lines (``map_left_batch``), and
    the inner join's reduce pairs each streamed element with the buffered rows through
    ``itertools.product``, with no Python step per output row."""

    def map_left_batch(self, offsets: Sequence[int], lines: list[str]) -> Iterator:
        concepts, _, rests = zip(*map(str.partition, lines, repeat("\t"))) if lines else ((),) * 3
        elements = map(_first, map(str.partition, rests, repeat("\t")))
        tag = repeat(self.left_tag)
        return zip(zip(concepts, tag), zip(tag, elements))

    def map_left(self, offset: int, line: str) -> Iterator:
        return self.map_left_batch((offset,), [line])

    def map_right(self, offset: int, line: str) -> Iterator:
        _, _, rest = line.partition("\t")  # drop the row id: concept, parent, level
        tag = 1 - self.left_tag
        yield (rest.partition("\t")[0], tag), (tag, rest)

    def reduce(self, key: tuple[str, int], values: Iterator[tuple[int, str]]) -> Any:
        if self.outer or self.left_tag == 0:
            return self._reshaped(key, values)
        ancestors = []  # the relation's rows (tag 0) come first
        for tag, value in values:
            if tag:
                break
            ancestors.append(value)
        else:
            return None  # no annotation has this concept
        if not ancestors:
            return None
        elements = chain((value,), map(_second, values))
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
