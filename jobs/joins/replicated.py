"""Map-only replicated join: the relation travels in the distributed cache to every map task.

Owns: the MapReduce counterpart of Pig's ``USING 'replicated'``. Must not touch framework
internals (only ``mapred.api``/``mapred.runner``).

Every map task copies the relation's part files from its task's cache directory and builds a dict
``concept_id -> ancestors`` in ``setup`` (a new copy per task, unlike the singleton join's per-
process map), then streams its annotation split and emits one row per ancestor. No shuffle, no
reducers: the output is ``part-m-NNNNN`` files. The cost grows with (map tasks x relation size),
which is why Pig's rule of thumb keeps the replicated input smaller than a block.

    hadoop jar jobs.joins.replicated ANNOTATIONS RELATION OUT
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

from jobs.joins import RelationMap, annotation_pairs, expand, load_relation, relation_parts
from mapred.api import Job, Step
from mapred.errors import JobConfigError, UsageError
from mapred.runner import JobResult, run_job

__all__ = ["ReplicatedJoin", "cache_conf", "run"]

CACHE_FILES = "mapreduce.job.cache.files"
PARTS = "join.relation.cache.names"  # the cache names that hold the relation


class ReplicatedJoin(Job):
    reducers = 0

    def setup(self) -> None:
        names = [n for n in str(self.context.get(PARTS, "")).split(",") if n]
        if not names:
            raise JobConfigError(
                f"the replicated join needs the relation in the cache (-D {PARTS})"
            )
        self.relation: RelationMap = load_relation([self.context.cache_path(n) for n in names])

    def map(self, offset: int, line: str) -> list | None:
        fields = line.split("\t", 2)
        if len(fields) < 2:
            return None
        ancestors = self.relation.get(fields[0])
        if not ancestors:
            return None
        element = fields[1]
        return [(element, ancestor) for ancestor in ancestors]

    def map_batch(self, offsets: Sequence[int], lines: list[str]) -> Iterator[tuple[str, str]]:
        """``map`` over a batch of lines in C-level passes."""
        concepts, elements = annotation_pairs(lines)
        return expand(elements, map(self.relation.get, concepts, repeat(())))

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: jobs.joins.replicated <annotations> <relation> <out>")
        annotations, relation, out = args
        return [Step(cls, [annotations], out, cache_conf(relation))]


def cache_conf(relation: str) -> dict[str, str]:
    """Configuration that ships every part file of `relation` through the distributed cache."""
    parts = relation_parts(relation)
    names = [os.path.basename(p) for p in parts]
    if len(set(names)) != len(names):
        raise JobConfigError(
            f"relation {relation}: part files with the same name cannot share the cache"
        )
    return {CACHE_FILES: ",".join(parts), PARTS: ",".join(names), "mapreduce.job.reduces": 0}


def run(
    annotations: str,
    relation: str,
    output: str,
    conf: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> JobResult:
    merged = {**dict(conf or {}), **cache_conf(relation)}
    return run_job(ReplicatedJoin, [annotations], output, merged, executor, name="replicated join")


JOB = ReplicatedJoin
