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
from typing import Any

from jobs.join_reduce_side import BUFFERED, JOIN_TYPE, ReduceSideJoin
from mapred.api import Input, Step
from mapred.errors import UsageError
from mapred.runner import JobResult, run_job

__all__ = ["ExpansionReduceSideJoin", "inputs_for", "run"]


class ExpansionReduceSideJoin(ReduceSideJoin):
    """Left input: annotations (streamed); right input: the relation (buffered)."""

    def map_left(self, offset: int, line: str) -> Iterator:
        concept, _, rest = line.partition("\t")
        element = rest[: rest.find("\t")] if "\t" in rest else rest
        tag = self.left_tag
        yield (concept, tag), (tag, element)

    def map_right(self, offset: int, line: str) -> Iterator:
        _, _, rest = line.partition("\t")  # drop the row id
        concept, _, ancestor = rest.partition("\t")
        tag = 1 - self.left_tag
        yield (concept, tag), (tag, ancestor)

    def reduce(self, key: tuple[str, int], values: Iterator[tuple[int, str]]) -> Iterator:
        # the generic join yields (concept, "element<TAB>parent<TAB>level"); reshape to the row
        for concept, joined in super().reduce(key, values):
            element, _, ancestor = joined.partition("\t")
            yield element, f"{concept}\t{ancestor}"

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


def run(annotations: str, relation: str, output: str, conf: Mapping[str, Any] | None = None,
        executor: Any = None) -> JobResult:
    """Run the join; `conf` overrides (e.g. ``mapreduce.job.reduces``) win over the defaults."""
    merged = {**_conf(), **dict(conf or {})}
    return run_job(ExpansionReduceSideJoin, inputs_for(annotations, relation), output, merged,
                   executor, name="reduce-side join")


JOB = ExpansionReduceSideJoin
