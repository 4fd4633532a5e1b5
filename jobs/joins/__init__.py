"""The join study's MapReduce joins: the semantic expansion of annotations by a concept relation.

Owns: the study's table shapes (which column is the join key in which table), the one output row
shape every strategy produces, and reading the relation into an in-memory map (shared by the
``singleton`` and ``replicated`` joins). Must not touch framework internals: jobs use only
``mapred.api`` / ``mapred.runner``.

Tables (tab-separated, no header; see ``datasets.ncbo``)::

    relation      id, concept_id, parent_concept_id, parent_level
    annotations   concept_id, element_id, context_id, dictionary_id, term_id, ...

Output of every strategy (inner join on ``concept_id``): for each annotation row whose concept has
ancestors in the relation, one line per (annotation, ancestor)::

    element_id <TAB> concept_id <TAB> parent_concept_id <TAB> parent_level

(key = ``element_id``, value = the other three fields). Annotations whose concept is absent from the
relation produce nothing. ``KeyedPieces`` is the in-mapper combining of the ``reduce_side``
map (a key's values of a map task as one joined string); the ``singleton`` and ``replicated``
joins are map-only. Strategies:
``reduce_side``, ``singleton``, ``replicated``; ``run_join`` runs any of them by name.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, compress, product, repeat
from operator import itemgetter
from typing import Any

import fsspec

__all__ = [
    "RELATION",
    "annotation_pairs",
    "expand",
    "held_budget",
    "KeyedPieces",
    "STRATEGIES",
    "load_relation",
    "parse_relation",
    "relation_parts",
    "run_join",
]

log = logging.getLogger(__name__)

RELATION = "join.relation"  # configuration key: URL of the relation (file or directory)

RelationMap = dict[str, list[str]]


def relation_parts(url: str) -> list[str]:
    """The data files of a table: the file itself, or a directory's files not starting with
    ``_`` or ``.`` (Hadoop's hidden-file rule), sorted, as full URLs."""
    fs, path = fsspec.core.url_to_fs(url)
    if not fs.exists(path):
        raise FileNotFoundError(f"relation {url} does not exist")
    if not fs.isdir(path):
        return [url if "://" in url else fs.unstrip_protocol(path)]
    names = [p for p in fs.ls(path, detail=True) if p["type"] == "file"]
    keep = [p["name"] for p in names if not os.path.basename(p["name"]).startswith(("_", "."))]
    return [fs.unstrip_protocol(p) for p in sorted(keep)]


def parse_relation(text: str, into: RelationMap | None = None) -> RelationMap:
    """``concept_id -> ["concept_id\\tparent_concept_id\\tparent_level", ...]`` from relation text.

    The stored string is the relation line without its ``id`` column: exactly the value part of
    an output line, so a join only pairs an element id with ready strings."""
    relation: RelationMap = {} if into is None else into
    get = relation.get
    for line in text.splitlines():
        _, sep, rest = line.partition("\t")
        if not sep:
            continue
        concept = rest[: rest.find("\t")]
        found = get(concept)
        if found is None:
            relation[concept] = [rest]
        else:
            found.append(rest)
    return relation


def load_relation(paths: list[str]) -> RelationMap:
    """Read and parse every given file (local paths or fsspec URLs) into one relation map."""
    relation: RelationMap = {}
    for path in paths:
        with fsspec.open(path, "rt", encoding="utf-8") as f:
            parse_relation(f.read(), relation)
    return relation


_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


def annotation_pairs(lines: list[str]) -> tuple[list[str], list[str]]:
    """(concept ids, element ids) of a batch of annotation lines, in C-level passes; a line
    without a TAB has no element and is left out.

    >>> annotation_pairs(["c1\\te1\\tx", "c2\\te2", "bad"])
    (['c1', 'c2'], ['e1', 'e2'])
    """
    parts = list(map(str.partition, lines, repeat("\t")))
    keep = list(map(_second, parts))
    concepts = list(compress(map(_first, parts), keep))
    rests = compress(map(_third, parts), keep)
    return concepts, list(map(_first, map(str.partition, rests, repeat("\t"))))


def expand(elements: Iterable[str], ancestors: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """``(element, ancestor)`` for each element and each of its ancestors (a list; empty for
    none), with no Python step per row: one ``product`` per element.

    >>> list(expand(["e1", "e2", "e3"], [["a", "b"], (), ["c"]]))
    [('e1', 'a'), ('e1', 'b'), ('e3', 'c')]
    """
    return chain.from_iterable(map(product, zip(elements), ancestors))


# what a held piece costs beyond its text (a str header, a list slot), and a held key (its
# list, its dict entry)
_PIECE_MEMORY, _KEY_MEMORY = 60, 160
_SPREAD_BYTES = 16 << 10  # a key holding less is not worth several records


def held_budget(context: Any) -> int:
    """Bytes a map task's ``KeyedPieces`` may hold: a quarter of its sort buffer
    (``mapreduce.task.io.sort.mb``), so the two together stay inside the task's bound."""
    sort_mb = float(context.get("mapreduce.task.io.sort.mb", 100) or 100)
    return int(sort_mb * (1 << 20) / 4)


class KeyedPieces:
    """In-mapper combining of (key, value) strings: each batch is grouped by key in C-level
    passes (a defaultdict's lists filled by ``map``), its values joined by `sep` into one piece,
    and the pieces held per key until ``flush`` (or until they pass `budget` bytes, when ``add``
    flushes). Values must not contain `sep`.

    With ``spread`` > 1 the keys come out as ``(key, share)``: a hot key (seen in at least that
    many batches, holding ``_SPREAD_BYTES`` or more) has its pieces dealt into ``spread``
    shares, so its rows spread over the reducers (for a join whose every reducer can join any
    share).

    >>> groups = KeyedPieces(1 << 20, "\\t")
    >>> groups.add(["a", "b", "a"], ["1", "2", "3"]), groups.add(["a"], ["4"])
    (None, None)
    >>> groups.flush()
    [('a', '1\\t3\\t4'), ('b', '2')]
    """

    def __init__(self, budget: int, sep: str, spread: int = 1) -> None:
        self.budget, self.join, self.spread = budget, sep.join, spread
        self.held: defaultdict[str, list[str]] = defaultdict(list)
        self.size = 0

    def add(self, keys: Iterable[str], values: list[str]) -> list[tuple[Any, str]] | None:
        batch: defaultdict[str, list[str]] = defaultdict(list)
        any(map(list.append, map(batch.__getitem__, keys), values))  # append gives None: all
        held = self.held
        known = len(held)
        any(map(list.append, map(held.__getitem__, batch.keys()), map(self.join, batch.values())))
        self.size += sum(map(len, values)) + len(batch) * _PIECE_MEMORY
        self.size += (len(held) - known) * _KEY_MEMORY
        return self.flush() if self.size > self.budget else None

    def flush(self) -> list[tuple[Any, str]]:
        """The held pairs, one per key (or share); empties the groups."""
        held, self.held, self.size = self.held, defaultdict(list), 0
        join, spread = self.join, self.spread
        if spread == 1:
            return list(zip(held.keys(), map(join, held.values())))
        out: list[tuple[Any, str]] = []
        for key, pieces in held.items():
            if len(pieces) < spread or sum(map(len, pieces)) < _SPREAD_BYTES:
                out.append(((key, 0), join(pieces)))
            else:
                out += [((key, i), join(pieces[i::spread])) for i in range(spread)]
        return out


def _strategies() -> Mapping[str, Any]:
    from jobs.joins.reduce_side import run as reduce_side
    from jobs.joins.replicated import run as replicated
    from jobs.joins.singleton import run as singleton

    return {"reduce_side": reduce_side, "singleton": singleton, "replicated": replicated}


STRATEGIES = ("reduce_side", "singleton", "replicated")


def run_join(
    strategy: str,
    annotations: str,
    relation: str,
    output: str,
    conf: Mapping[str, Any] | None = None,
    executor: Any = None,
) -> Any:
    """Run the MapReduce join `strategy` over the two tables; returns the ``JobResult``."""
    runners = _strategies()
    if strategy not in runners:
        raise ValueError(
            f"unknown join strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}"
        )
    return runners[strategy](annotations, relation, output, conf=conf, executor=executor)
