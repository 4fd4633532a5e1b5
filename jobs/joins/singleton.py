"""The study's "Singleton" join: one in-memory relation map per worker process, shared by its tasks.

Owns: the per-process relation cache and the job that uses it. Must not touch framework
internals (only ``mapred.api``/``mapred.runner``).

In the study every node kept one hash map of the relation (a singleton in the reused JVM) that all
map tasks on the node used. Here a worker process plays the node's JVM: the executor's workers live
for the whole client process and run task after task, so a module-level cache, keyed by the
relation's URL and the size and modification time of its files, is loaded by the first task a
process runs and reused by every later task (of this job and of later jobs on the same relation).
The join is map-only, as the replicated join (``jobs.joins.replicated``) is: each map task looks
its annotations' concepts up in the process's map and emits one row per (element, ancestor)
(inner join: unknown concepts emit nothing); what the replicated join pays per map task (a copy
of the relation and a new map), the singleton pays once per worker process.

Counters (group ``Singleton join``): ``Relation loads`` (tasks that had to load the relation:
at most one per worker process) and ``Relation cache hits``.

    hadoop jar jobs.joins.singleton ANNOTATIONS RELATION OUT
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

import fsspec

from jobs.joins import (
    RELATION,
    RelationMap,
    annotation_pairs,
    expand,
    load_relation,
    relation_parts,
)
from mapred.api import Job, Step
from mapred.errors import JobConfigError, UsageError
from mapred.runner import JobResult, run_job

__all__ = ["SingletonJoin", "clear_cache", "load_count", "relation_map", "run"]

log = logging.getLogger(__name__)

GROUP = "Singleton join"

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, RelationMap]] = {}  # relation URL -> (file signature, map)
_loads = 0  # loads done by this process (for tests and diagnostics)


def _signature(url: str) -> tuple[list[str], tuple]:
    parts = relation_parts(url)
    signature = []
    for part in parts:
        fs, path = fsspec.core.url_to_fs(part)
        info = fs.info(path)
        signature.append((part, info.get("size"), info.get("mtime") or info.get("modified")))
    return parts, tuple((p, s, str(m)) for p, s, m in signature)


def relation_map(url: str) -> tuple[RelationMap, bool]:
    """The process-wide map of the relation at `url`, and whether this call loaded it.

    Reloads when the files' sizes or modification times changed since the last load."""
    global _loads
    parts, signature = _signature(url)
    with _lock:
        cached = _cache.get(url)
        if cached is not None and cached[0] == signature:
            return cached[1], False
        relation = load_relation(parts)
        _cache.clear()  # one relation per process: drop an older one before keeping the new
        _cache[url] = (signature, relation)
        _loads += 1
        log.info(
            "singleton: loaded %d concepts of %s in process %d", len(relation), url, os.getpid()
        )
        return relation, True


def load_count() -> int:
    """How many times this process loaded a relation."""
    return _loads


def clear_cache() -> None:
    with _lock:
        _cache.clear()


class SingletonJoin(Job):
    """Map-only: one row per (element, ancestor) from the process's relation map."""

    reducers = 0

    def setup(self) -> None:
        url = self.context.get(RELATION)
        if not url:
            raise JobConfigError(
                f"the singleton join needs the relation's URL in -D {RELATION}=URL"
            )
        self.relation, loaded = relation_map(str(url))
        self.context.increment(GROUP, "Relation loads" if loaded else "Relation cache hits", 1)

    def map(self, offset: int, line: str) -> list | None:
        fields = line.split("\t", 2)
        if len(fields) < 2:
            return None
        ancestors = self.relation.get(fields[0])
        if not ancestors:
            return None
        return [(fields[1], ancestor) for ancestor in ancestors]

    def map_batch(self, offsets: Sequence[int], lines: list[str]) -> Iterator[tuple[str, str]]:
        """``map`` over a batch of lines in C-level passes."""
        concepts, elements = annotation_pairs(lines)
        return expand(elements, map(self.relation.get, concepts, repeat(())))

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: jobs.joins.singleton <annotations> <relation> <out>")
        annotations, relation, out = args
        return [Step(cls, [annotations], out, {RELATION: relation, "mapreduce.job.reduces": 0})]


def run(
    annotations: str,
    relation: str,
    output: str,
    conf: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> JobResult:
    merged = {RELATION: relation, **dict(conf or {}), "mapreduce.job.reduces": 0}
    return run_job(SingletonJoin, [annotations], output, merged, executor, name="singleton join")


JOB = SingletonJoin
