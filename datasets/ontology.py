"""The ontology behind the relation table: a concept forest and its ancestor closure.

Owns: how many concepts sit at each depth (exact concept and row counts), the forest itself
(ids, parents, the ids deliberately left out of it) and the relation's lines (one row per
concept and ancestor, ``parent_level`` 1 = the parent). Must not touch: sizes per scale, seeds
and annotation tables (``datasets.ncbo``), or files (``datasets.parts``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from datasets.errors import DatasetError

__all__ = ["Ontology", "build_forest", "level_counts", "relation_chunks"]

DEPTH_SD = 3.5
ROW_ID_BASE = 10_000_001
CONCEPT_ID_LOW = 8_200_000  # with the span: ~18% 7-digit ids, ~28.6 B relation rows
CONCEPT_ID_SPAN = 10_000_000
BATCH_ROWS = 200_000


def level_counts(concepts: int, rows: int, sd: float = DEPTH_SD) -> list[int]:
    """How many concepts sit at each depth 1, 2, ...: exactly ``concepts`` concepts and
    ``rows`` ancestor rows in total, no empty level above a non-empty one.

    >>> counts = level_counts(2257, 24154)
    >>> sum(counts), sum(d * n for d, n in enumerate(counts, start=1)), min(counts) > 0
    (2257, 24154, True)
    """
    if concepts < 1 or rows < concepts:
        raise DatasetError(f"cannot place {concepts} concepts with {rows} ancestor rows")
    mean = rows / concepts
    sd = min(sd, max(0.5, (mean - 1) / 2.5))  # narrower for shallow forests
    depth = max(2, math.ceil(mean + 4 * sd))
    center = mean
    for _ in range(20):  # shift the curve so the truncated, discrete mean is the target
        weights = [math.exp(-0.5 * ((d - center) / sd) ** 2) for d in range(1, depth + 1)]
        got = sum(d * w for d, w in enumerate(weights, start=1)) / sum(weights)
        center += mean - got
    total = sum(weights)
    exact = [concepts * w / total for w in weights]
    counts = [int(e) for e in exact]
    by_fraction = sorted(range(depth), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_fraction[: concepts - sum(counts)]:
        counts[i] += 1
    while counts and counts[-1] == 0:
        counts.pop()
    for i, n in enumerate(counts):
        if n == 0:  # a hole: deeper concepts need an ancestor at this depth
            counts[counts.index(max(counts))] -= 1
            counts[i] = 1
    _shift_to_total(counts, rows)
    return counts


def _shift_to_total(counts: list[int], rows: int) -> None:
    """Move single concepts one level up or down until the ancestor rows total ``rows``;
    a move never empties a level that has deeper levels below it."""
    delta = rows - sum(d * n for d, n in enumerate(counts, start=1))
    while delta:
        if delta > 0:
            src = counts.index(max(counts))
            if counts[src] < 2:
                raise DatasetError(f"cannot reach {rows} ancestor rows with {sum(counts)} concepts")
            if src + 1 == len(counts):
                counts.append(0)
            counts[src] -= 1
            counts[src + 1] += 1
            delta -= 1
        else:
            movable = [i for i in range(1, len(counts)) if counts[i] > 1]
            src = max(movable, key=counts.__getitem__) if movable else len(counts) - 1
            if src == 0:
                raise DatasetError(f"cannot reach {rows} ancestor rows with {sum(counts)} concepts")
            counts[src] -= 1
            counts[src - 1] += 1
            if counts[-1] == 0:
                counts.pop()
            delta += 1


@dataclass(frozen=True, slots=True)
class Ontology:
    """The concept forest behind the relation table (ids as strings, ready to write)."""

    roots: list[str]
    levels: list[list[str]]  # levels[d - 1]: the concept ids at depth d, ascending
    parents: list[list[int]]  # parents[d - 1][i]: index of the parent in the level above
    missing: list[str]  # concept ids that annotations use but the relation lacks


def build_forest(concepts: int, rows: int, roots: int, missing: int, rng: random.Random
                 ) -> Ontology:
    """A forest of ``concepts`` concepts under ``roots`` roots with ``rows`` ancestor rows in
    all, plus ``missing`` ids that belong to no concept; ids are unique and ascend by depth."""
    counts = level_counts(concepts, rows)
    ids = _increasing_ids(rng, roots + concepts + missing)
    missing_at = set(rng.sample(range(len(ids)), missing))
    present = [str(c) for i, c in enumerate(ids) if i not in missing_at]
    absent = [str(ids[i]) for i in sorted(missing_at)]
    levels: list[list[str]] = []
    parents: list[list[int]] = []
    start, above = roots, roots
    rand = rng.random
    for n in counts:
        levels.append(present[start : start + n])
        parents.append(sorted(int(rand() * above) for _ in range(n)))
        start, above = start + n, n
    return Ontology(present[:roots], levels, parents, absent)


def _increasing_ids(rng: random.Random, n: int) -> list[int]:
    """``n`` strictly increasing ids spread over CONCEPT_ID_LOW + [0, CONCEPT_ID_SPAN)."""
    widest = max(1.0, 2.0 * CONCEPT_ID_SPAN / n - 1.0)
    rand = rng.random
    ids, at = [], CONCEPT_ID_LOW
    for _ in range(n):
        at += 1 + int(rand() * widest)
        ids.append(at)
    return ids


def relation_chunks(onto: Ontology) -> Iterator[str]:
    """The relation's lines, level by level, in chunks of about BATCH_ROWS rows."""
    level_names = [str(d) for d in range(1, len(onto.levels) + 2)]
    chains: list[list[str]] = [[r] for r in onto.roots]  # self, then ancestors nearest first
    next_id = ROW_ID_BASE
    cols: tuple[list[str], list[str], list[str]] = ([], [], [])
    for depth, (level, parent_index) in enumerate(zip(onto.levels, onto.parents), start=1):
        depth_names = level_names[:depth]
        new_chains = []
        for concept, p in zip(level, parent_index):
            chain = chains[p]
            new_chains.append([concept, *chain])
            cols[0].extend([concept] * len(chain))
            cols[1].extend(chain)
            cols[2].extend(depth_names)
            if len(cols[0]) >= BATCH_ROWS:
                yield _relation_text(next_id, cols)
                next_id += len(cols[0])
                cols = ([], [], [])
        chains = new_chains
    if cols[0]:
        yield _relation_text(next_id, cols)


def _relation_text(first_id: int, cols: tuple[list[str], list[str], list[str]]) -> str:
    ids = map(str, range(first_id, first_id + len(cols[0])))
    return "\n".join(map("\t".join, zip(ids, *cols))) + "\n"
