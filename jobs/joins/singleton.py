"""The study's "Singleton" join: one in-memory relation map per worker process, shared by its tasks.

Owns: the per-process relation cache and the job that uses it. Must not touch framework
internals (only ``mapred.api``/``mapred.runner``).

In the study every node kept one hash map of the relation (a singleton in the reused JVM) that all
tasks on the node used. Here a worker process plays the node's JVM: the executor's workers live for
the whole client process and run task after task, so a module-level cache, keyed by the relation's
URL and the size and modification time of its files, is loaded by the first task a process runs
and reused by every later task (of this job and of later jobs on the same relation). The map
emits ``((concept_id, share), element ids)``; the reducer looks the concept up in the process's
map and emits one row per (element, ancestor) (inner join: unknown concepts emit nothing).

Compact records and in-mapper combining (Lin & Dyer's, which Hadoop jobs use where a combiner
would only regroup what the map just split): a value is one concept's element ids joined by
TABs (an element id is a field of a TAB-separated line, so it holds no TAB). The map groups each
batch of lines by concept in C-level passes and keeps the joined pieces per concept
(``jobs.joins.KeyedPieces``) until the task ends or they pass a quarter of
``mapreduce.task.io.sort.mb``, so the shuffle carries about one record per concept and map task
instead of one per annotation.

Counters (group ``Singleton join``): ``Relation loads`` (tasks that had to load the relation:
at most one per worker process) and ``Relation cache hits``.

    hadoop jar jobs.joins.singleton ANNOTATIONS RELATION OUT
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

import fsspec

from jobs.joins import (
    RELATION,
    KeyedPieces,
    RelationMap,
    annotation_pairs,
    expand,
    held_budget,
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
    """Map: ``((concept_id, share), element ids)``; reduce: one row per (element, ancestor) from the
    process's map."""

    def map_setup(self) -> None:  # a map task needs no relation
        self.groups = KeyedPieces(held_budget(self.context), "\t", SPREAD)

    def map_cleanup(self) -> list[tuple[tuple[str, int], str]]:
        return self.groups.flush()

    def reduce_setup(self) -> None:
        url = self.context.get(RELATION)
        if not url:
            raise JobConfigError(
                f"the singleton join needs the relation's URL in -D {RELATION}=URL"
            )
        self.relation, loaded = relation_map(str(url))
        self.context.increment(GROUP, "Relation loads" if loaded else "Relation cache hits", 1)

    def map(self, offset: int, line: str) -> tuple | None:
        fields = line.split("\t", 2)
        if len(fields) < 2:
            return None
        return (((fields[0], 0), fields[1]),)

    def map_batch(self, offsets: Sequence[int], lines: list[str]) -> list | None:
        """``map`` over a batch of lines in C-level passes, held per concept (see the module
        docstring); returns the held pairs when they pass their budget."""
        return self.groups.add(*annotation_pairs(lines))

    def reduce(
        self, key: tuple[str, int], values: Iterator[str]
    ) -> Iterator[tuple[str, str]] | None:
        ancestors = self.relation.get(key[0])
        if not ancestors:
            return None
        return expand(chain.from_iterable(map(str.split, values, _TAB)), repeat(ancestors))

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: jobs.joins.singleton <annotations> <relation> <out>")
        annotations, relation, out = args
        return [Step(cls, [annotations], out, {RELATION: relation})]


_TAB = repeat("\t")
SPREAD = 8  # shares of a concept seen in that many batches of a map task (KeyedPieces.flush)


def run(
    annotations: str,
    relation: str,
    output: str,
    conf: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> JobResult:
    merged = {RELATION: relation, **dict(conf or {})}
    return run_job(SingletonJoin, [annotations], output, merged, executor, name="singleton join")


JOB = SingletonJoin
