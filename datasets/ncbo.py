"""NCBO-like tables for the join study: one ontology relation table and annotation tables.

Owns: generating, deterministically for a seed and a scale, tab-separated tables shaped like the
NCBO Resource Index data of the 2011 semantic-expansion study, the annotation tables, and the
expected sizes per scale. The concept forest and relation lines live in ``datasets.ontology``.
Must not touch: any join logic; the tables are written through fsspec (``datasets.parts``) only.

Tables (no header line; fields separated by tabs, rows end with ``\\n``)
    relation          id, concept_id, parent_concept_id, parent_level
    annotations_<p>   concept_id, element_id, context_id, dictionary_id, term_id,
                      position_from, position_to, workflow_status      (p = wp, ct or pm)

Layout under ``--out``: ``<out>/relation/part-00000``, ``<out>/annotations_wp/part-00000``, ...;
a table larger than 256 MiB is cut (at line ends) into several part files. ``<out>/_manifest.json``
records the seed, the scales and each table's rows, bytes and parts; Hadoop-style readers skip
it because its name starts with ``_``. Generating again into the same place replaces the tables,
unless ``--reuse`` finds them already made with the same seed and scales.

Sizes. At scale 1 the relation has 2,257,402 concepts and 24,153,638 rows (the study's figures;
exact at every scale up to rounding) and about 659 MiB; the annotation tables are sized by the
study's BYTES: wp 1786 MiB, ct 5916 MiB, pm 16983 MiB (a table ends within one row of its
target). The study's printed row counts disagree with its byte sizes: 54,039 wp rows in 1786 MiB
would be ~35 KB a row and 42,049,697 pm rows in 16983 MiB ~424 B a row, while ct (5916 MiB,
164,808,416 rows) has ~37.6 B a row and the relation ~28.6 B a row. We treat the wp and pm counts
as typos: every annotation row has the schema's natural width (~37.7 B, like ct), so the row
counts follow from the bytes (about 49.7 M wp, 165 M ct and 472 M pm rows at scale 1). Sizes are
in binary megabytes (MiB), as Hadoop reports them. ``--scale`` multiplies every count and size
(0.001: a 0.67 MiB relation and 1.8 / 5.9 / 17 MiB of wp / ct / pm annotations).

Shape.
- The relation is the transitive closure of a generated concept forest: each concept at depth d
  has d rows, one per ancestor, ``parent_level`` 1 (the parent) .. d (the ontology root). Depths
  follow a discretised normal curve (sd 3.5) around the study's 10.7 parents per concept, adjusted
  so that the concept and row counts are exact. Roots (~300 at scale 1) appear only as parents.
- Annotated concepts are Zipf-distributed (exponent 1.0) over the relation's concepts plus a 2%
  share of concept ids that are absent from the relation (annotations whose join finds nothing).
  The few most popular concepts are always present in the relation, so a hot key is expanded;
  the hottest carries about 1/H of the rows (H the harmonic number of the concept count: ~12% at
  scale 0.001, ~7% at scale 1). The same concepts are popular in every profile.
- Annotations come in runs per element (a document), about 120 (wp), 60 (ct) or 25 (pm) rows
  each; element ids are 7-digit and repeat only after 9 M elements.
- Concept ids are 7- and 8-digit integers, unique, ordered by depth (the relation file is sorted
  by concept_id, then parent_level); row ids are 8-digit integers from 10,000,001.
Determinism: the same seed, scale and profile give byte-identical files, whichever profiles are
generated together; a different seed gives different data.
Speed: about 35 MB/s on a 2-core VM (all profiles at scale 0.01, 253 MiB, in ~7.5 s).
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from datasets.errors import DatasetError
from datasets.ontology import Ontology, build_forest, level_counts, relation_chunks
from datasets.parts import (
    DEFAULT_PART_BYTES,
    PartWriter,
    join_url,
    nearest_line_end,
    read_manifest,
    table_bytes,
    update_manifest,
)
from datasets.progress import Progress
from datasets.zipf import ByteTable, ZipfSampler, uint16s

__all__ = [
    "PROFILES",
    "DatasetError",
    "ExpectedTable",
    "TableStats",
    "expected_sizes",
    "generate_ncbo",
    "level_counts",
    "reusable_tables",
]

log = logging.getLogger(__name__)

MIB = 1 << 20
PROFILES = ("wp", "ct", "pm")
SCALE1_CONCEPTS = 2_257_402
SCALE1_RELATION_ROWS = 24_153_638
SCALE1_RELATION_BYTES = 659 * MIB
SCALE1_ANNOTATION_BYTES = {"wp": 1786 * MIB, "ct": 5916 * MIB, "pm": 16983 * MIB}
THESIS_ANNOTATION_ROWS = {"wp": 54_039, "ct": 164_808_416, "pm": 42_049_697}
ANNOTATION_ROW_BYTES = 37.7  # the natural width of a generated annotation row (measured)
MISSING_SHARE = 0.02  # share of the annotated concept ids that are absent from the relation
CONCEPT_ZIPF_S = 1.0
HOT_CONCEPTS = 10  # the most popular concepts are always present in the relation
MIN_CONCEPTS = 50
SCALE1_ROOTS = 300
ELEMENT_MEAN_ANNOTATIONS = {"wp": 120, "ct": 60, "pm": 25}
ELEMENT_ID_LOW = 1_000_000
ELEMENT_ID_SPAN = 9_000_000  # element ids stay 7 digits; they repeat after 9 M elements
ELEMENT_ID_STEP = 7_919  # prime, coprime with the span: a permutation of the span
BATCH_ROWS = 200_000


class TableStats(NamedTuple):
    """What was generated for one table: its directory URL, rows and bytes."""

    url: str
    rows: int
    bytes: int


@dataclass(frozen=True, slots=True)
class ExpectedTable:
    """The target size of one table at a scale (``concepts`` only for the relation)."""

    name: str
    rows: int
    bytes: int
    concepts: int | None = None


def _seeded(seed: int, what: str) -> random.Random:
    """An independent, reproducible random stream for one part of the data."""
    return random.Random(f"minihadoop-ncbo:{seed}:{what}")


def check_scale(scale: float, option: str = "--scale") -> None:
    """Raise DatasetError unless ``scale`` gives a relation with enough concepts."""
    if not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise DatasetError(f"{option} must be a positive number, got {scale!r}")
    if round(SCALE1_CONCEPTS * scale) < MIN_CONCEPTS:
        least = MIN_CONCEPTS / SCALE1_CONCEPTS
        raise DatasetError(
            f"{option} {scale:g} is too small: use at least {least:.2g} "
            f"(the relation needs {MIN_CONCEPTS} concepts)"
        )


def check_profiles(profiles: Iterable[str]) -> tuple[str, ...]:
    """The profiles as a tuple; DatasetError names an unknown one."""
    chosen = tuple(profiles)
    for p in chosen:
        if p not in PROFILES:
            raise DatasetError(f"unknown profile {p!r}: choose from {', '.join(PROFILES)} or all")
    return chosen


def expected_sizes(
    scale: float, profiles: Sequence[str] = PROFILES, relation_scale: float | None = None
) -> dict[str, ExpectedTable]:
    """Target sizes per table at ``scale`` (the relation at ``relation_scale`` when given);
    relation rows and concepts and annotation bytes are what the generator produces (up to one
    row), the other figures are close estimates.

    >>> sizes = expected_sizes(0.001, ("ct",))
    >>> sizes["relation"].rows, sizes["relation"].concepts
    (24154, 2257)
    >>> sizes["annotations_ct"].bytes == round(5916 * 2**20 * 0.001)
    True
    """
    check_scale(scale)
    rscale = scale if relation_scale is None else relation_scale
    check_scale(rscale, "--relation-scale")
    out = {
        "relation": ExpectedTable(
            "relation",
            rows=round(SCALE1_RELATION_ROWS * rscale),
            bytes=round(SCALE1_RELATION_BYTES * rscale),
            concepts=round(SCALE1_CONCEPTS * rscale),
        )
    }
    for p in check_profiles(profiles):
        target = round(SCALE1_ANNOTATION_BYTES[p] * scale)
        name = f"annotations_{p}"
        out[name] = ExpectedTable(name, rows=round(target / ANNOTATION_ROW_BYTES), bytes=target)
    return out


def build_ontology(scale: float, seed: int) -> Ontology:
    """The deterministic concept forest for ``scale`` and ``seed``."""
    sizes = expected_sizes(scale, ())["relation"]
    concepts = sizes.concepts or 0
    roots = max(1, round(SCALE1_ROOTS * scale))
    missing = max(1, round(concepts * MISSING_SHARE / (1 - MISSING_SHARE)))
    return build_forest(concepts, sizes.rows, roots, missing, _seeded(seed, "ontology"))


def _popularity(onto: Ontology, seed: int) -> list[str]:
    """Every annotatable concept id, most popular first (the same order for every profile)."""
    universe = [c for level in onto.levels for c in level] + onto.missing
    _seeded(seed, "popularity").shuffle(universe)
    absent = set(onto.missing)
    for i in range(min(HOT_CONCEPTS, len(universe))):
        if universe[i] in absent:
            j = next(j for j in range(i + 1, len(universe)) if universe[j] not in absent)
            universe[i], universe[j] = universe[j], universe[i]
    return universe


def _dictionary_terms(universe: Sequence[str], seed: int) -> list[str]:
    """Per concept (by popularity rank) its ``dictionary_id<TAB>term_id`` pair."""
    rand = _seeded(seed, "terms").random
    return [f"{10 + int(rand() * 90)}\t{10_000 + int(rand() * 90_000)}" for _ in universe]


_POSITIONS: list[str] = []


def _positions() -> list[str]:
    """``position_from<TAB>position_to`` for each 16-bit draw: a start in 1..1024, 2..25 long."""
    if not _POSITIONS:
        for x in range(1 << 16):
            start = (x >> 6) + 1
            _POSITIONS.append(f"{start}\t{start + 2 + (x & 63) % 24}")
    return _POSITIONS


class _Elements:
    """The element_id column: runs of annotations per element, about ``mean`` rows each."""

    def __init__(self, rng: random.Random, mean: float) -> None:
        self._rng = rng
        self._rate = 1.0 / max(mean - 1.0, 1e-9)
        self._k = 0
        self._current = ""
        self._left = 0

    def take(self, n: int) -> list[str]:
        out: list[str] = []
        expo = self._rng.expovariate
        while len(out) < n:
            if not self._left:
                self._current = str(ELEMENT_ID_LOW + self._k * ELEMENT_ID_STEP % ELEMENT_ID_SPAN)
                self._left = 1 + int(expo(self._rate))
                self._k += 1
            run = min(self._left, n - len(out))
            out.extend([self._current] * run)
            self._left -= run
        return out


def _annotation_chunks(
    profile: str, universe: list[str], dict_terms: list[str], seed: int, target: int
) -> Iterator[str]:
    """An annotation table's lines in chunks; together they end within one row of ``target``."""
    rng = _seeded(seed, f"annotations_{profile}")
    zipf = ZipfSampler(len(universe), CONCEPT_ZIPF_S, rng)
    contexts = ByteTable([str(c) for c in range(1, 7)], [40, 25, 15, 10, 6, 4], rng)
    statuses = ByteTable(["1", "2", "3"], [3, 94, 3], rng)
    elements = _Elements(rng, ELEMENT_MEAN_ANNOTATIONS[profile])
    positions = _positions()
    concept_of, terms_of = universe.__getitem__, dict_terms.__getitem__
    written = 0
    while written < target:
        k = min(BATCH_ROWS, int((target - written) / ANNOTATION_ROW_BYTES * 1.02) + 16)
        ranks = zipf.sample(k)
        cols = zip(
            map(concept_of, ranks),
            elements.take(k),
            contexts.sample(k),
            map(terms_of, ranks),
            map(positions.__getitem__, uint16s(rng, k)),
            statuses.sample(k),
        )
        text = "\n".join(map("\t".join, cols)) + "\n"
        if written + len(text) >= target:
            yield text[: nearest_line_end(text, target - written)]
            return
        written += len(text)
        yield text


def generate_ncbo(
    out_url: str,
    profiles: Sequence[str] = ("wp",),
    scale: float = 0.001,
    seed: int = 1,
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
    progress: bool | None = None,
    storage_options: dict[str, Any] | None = None,
    relation_scale: float | None = None,
    reuse: bool = False,
) -> dict[str, TableStats]:
    """Write the relation and the annotation tables of ``profiles`` under ``out_url``.

    Returns ``{"relation": TableStats(url, rows, bytes), "annotations_wp": ..., ...}``.
    ``relation_scale`` sizes the relation apart from the annotations (the replicated-join
    crossover sweep); the annotations then draw their concepts from that relation.
    ``reuse`` keeps each table that the manifest says was made with the same seed and scales
    and whose part files still hold the recorded bytes; only the others are generated.
    ``progress``: show a progress line on stderr (None: only when stderr is a terminal).
    ``storage_options`` go to ``fsspec.core.url_to_fs`` (e.g. a ``dfs://`` cluster's ``home``).
    """
    chosen = check_profiles(profiles)
    expected = expected_sizes(scale, chosen, relation_scale)
    rscale = scale if relation_scale is None else relation_scale
    params = {"generator": "ncbo", "seed": seed, "scale": scale, "relation_scale": rscale}
    started = time.monotonic()
    kept = _reusable(out_url, params, list(expected), storage_options) if reuse else {}
    todo = [name for name in expected if name not in kept]
    made: dict[str, TableStats] = {}
    if todo:
        total = sum(expected[name].bytes for name in todo)
        made = _write_tables(out_url, _table_chunks(todo, expected, rscale, seed), total,
                             part_bytes, progress, storage_options, params)
    elapsed = max(time.monotonic() - started, 1e-9)
    written = sum(s.bytes for s in made.values())
    log.info("ncbo: %d bytes in %.1fs (%.1f MB/s); reused %s", written, elapsed,
             written / 1e6 / elapsed, sorted(kept) or "nothing")
    return {name: kept.get(name) or made[name] for name in expected}


def reusable_tables(
    out_url: str,
    profiles: Sequence[str] = ("wp",),
    scale: float = 0.001,
    seed: int = 1,
    *,
    relation_scale: float | None = None,
    storage_options: dict[str, Any] | None = None,
) -> set[str]:
    """The tables that ``generate_ncbo(..., reuse=True)`` would keep rather than regenerate."""
    expected = expected_sizes(scale, check_profiles(profiles), relation_scale)
    rscale = scale if relation_scale is None else relation_scale
    params = {"generator": "ncbo", "seed": seed, "scale": scale, "relation_scale": rscale}
    return set(_reusable(out_url, params, list(expected), storage_options))


def _table_chunks(
    names: list[str], expected: dict[str, ExpectedTable], rscale: float, seed: int
) -> dict[str, Iterator[str]]:
    """The chunk generators of the tables ``names`` (lazy: nothing is drawn yet)."""
    onto = build_ontology(rscale, seed)
    universe = _popularity(onto, seed)
    dict_terms = _dictionary_terms(universe, seed)
    tables: dict[str, Iterator[str]] = {}
    for name in names:
        if name == "relation":
            tables[name] = relation_chunks(onto)
        else:
            profile = name.removeprefix("annotations_")
            target = expected[name].bytes
            tables[name] = _annotation_chunks(profile, universe, dict_terms, seed, target)
    return tables


def _write_tables(
    out_url: str,
    tables: dict[str, Iterator[str]],
    total: int,
    part_bytes: int,
    progress: bool | None,
    storage_options: dict[str, Any] | None,
    params: dict[str, Any],
) -> dict[str, TableStats]:
    """Write each table as part files, then record them in the manifest."""
    stats: dict[str, TableStats] = {}
    recorded: dict[str, dict[str, int]] = {}
    with Progress("ncbo", total, enabled=progress) as bar:
        for name, chunks in tables.items():
            bar.label = f"ncbo {name}"
            with PartWriter(join_url(out_url, name), part_bytes, bar, storage_options) as out:
                for chunk in chunks:
                    out.write(chunk)
            stats[name] = TableStats(out.url, out.rows, out.bytes)
            recorded[name] = {"rows": out.rows, "bytes": out.bytes, "parts": len(out.parts)}
            log.info("%s: %d rows, %d bytes, %d part(s)", out.url, out.rows, out.bytes,
                     len(out.parts))
    update_manifest(out_url, params, recorded, storage_options)
    return stats


def _reusable(
    out_url: str, params: dict[str, Any], names: list[str],
    storage_options: dict[str, Any] | None,
) -> dict[str, TableStats]:
    """The tables among ``names`` already generated under ``out_url`` with ``params``."""
    manifest = read_manifest(out_url, storage_options)
    if manifest is None or manifest.get("params") != params:
        return {}
    kept = {}
    for name in names:
        entry = manifest.get("tables", {}).get(name)
        url = join_url(out_url, name)
        if entry and table_bytes(url, storage_options) == entry["bytes"]:
            kept[name] = TableStats(url, entry["rows"], entry["bytes"])
    return kept
