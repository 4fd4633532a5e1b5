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
relation produce nothing. Strategies: ``reduce_side``, ``singleton``, ``replicated``; ``run_join``
runs any of them by name.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, compress, product, repeat
from operator import itemgetter
from typing import Any

import fsspec

__all__ = [
    "RELATION",
    "annotation_pairs",
    "expand",
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


def _strategies() -> Mapping[str, Any]:
    from jobs.joins.reduce_side import run as reduce_side
    from jobs.joins.replicated import run as replicated
    from jobs.joins.singleton import run as singleton

    return {"reduce_side": reduce_side, "singleton": singleton, "replicated": replicated}


STRATEGIES = ("reduce_side", "singleton", "replicated")


def run_join(strategy: str, annotations: str, relation: str, output: str,
             conf: Mapping[str, Any] | None = None, executor: Any = None) -> Any:
    """Run the MapReduce join `strategy` over the two tables; returns the ``JobResult``."""
    runners = _strategies()
    if strategy not in runners:
        raise ValueError(f"unknown join strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    return runners[strategy](annotations, relation, output, conf=conf, executor=executor)
