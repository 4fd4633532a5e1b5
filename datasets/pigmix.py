"""PigMix-shaped tables for the Pig benchmark (``scripts/bench_pigmix.py``).

Owns: the rows of the PigMix tables, written as tab-separated PigStorage text (``part-00000``
under one directory per table, through ``datasets.parts``), and the ``SCHEMAS`` a Pig script
loads them with. Must not touch: Pig itself or the benchmark's queries.

The shapes follow Apache Pig's PigMix (test/perf/pigmix): data of our own, not a copy.

- ``page_views``: ``user:chararray, action:int, timespent:int, query_term:chararray,
  ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
  page_links:bag{t:(p:map[])}``. Users are Zipf-distributed over a universe of
  ``rows // 10`` names (rank 0 takes ~9% of the rows), 7% of them null; query terms Zipf over
  ``rows // 5`` words, 20% null; action 1 or 2; timespent 1..20; timestamp a second of the day
  (0..86399); revenue a two-decimal double, 5% null; page_info a map of 3-6 single-letter keys;
  page_links null (15%), an empty bag (5%) or 1-5 maps.
- ``users``: ``name, phone, address, city, state, zip:int``: ~90% of the page-view universe plus
  10% of names that never view a page (so the anti-join L5 finds users missing from it).
- ``power_users``: 500 (fewer for small data) users of the universe, for replicated joins;
  ``power_users_samples``: about half of them (the outer join L13).
- ``widerow``: ``user`` + 100 ``int`` columns, ``rows // 10`` rows; its users are half from the
  page-view universe, half their own (the DISTINCT/UNION L11).
- ``widegroupbydata``: each of the first quarter of the page_views rows three times side by
  side (27 columns, L17; PigMix takes every row, a quarter keeps L17 in line with the others).
- ``page_views_sorted`` / ``users_sorted``: the same rows ordered by user / name (nulls first,
  as Pig's ORDER BY puts them), for the merge join L14.

Nulls are empty fields, maps are ``[k#v,k#v]``, bags ``{([k#v]),([k#v])}``: what PigStorage reads.
All strings are ASCII letters and digits, so no value holds a delimiter.
Determinism: everything comes from ``random.Random`` streams seeded with ``seed`` and the table's
name; the same ``rows`` and ``seed`` give byte-identical tables.
"""

from __future__ import annotations

import logging
import random
import string
import time
from collections.abc import Iterable, Iterator
from typing import Any

from datasets.errors import DatasetError
from datasets.parts import (
    DEFAULT_PART_BYTES,
    PartWriter,
    join_url,
    read_manifest,
    table_bytes,
    update_manifest,
)
from datasets.progress import Progress
from datasets.zipf import ZipfSampler

__all__ = ["SCHEMAS", "TABLES", "generate_pigmix", "reusable"]

log = logging.getLogger(__name__)

PAGE_VIEW_FIELDS = (
    ("user", "chararray"),
    ("action", "int"),
    ("timespent", "int"),
    ("query_term", "chararray"),
    ("ip_addr", "long"),
    ("timestamp", "long"),
    ("estimated_revenue", "double"),
    ("page_info", "map[]"),
    ("page_links", "bag{t:(p:map[])}"),
)
PAGE_VIEWS = ", ".join(f"{name}:{kind}" for name, kind in PAGE_VIEW_FIELDS)
USERS = (
    "name:chararray, phone:chararray, address:chararray, city:chararray, state:chararray, zip:int"
)
WIDE_COLUMNS = 100
WIDEROW = "user:chararray, " + ", ".join(f"c{i}:int" for i in range(1, WIDE_COLUMNS + 1))
WIDEGROUP = ", ".join(
    [PAGE_VIEWS] + [", ".join(f"{n}_{k}:{t}" for n, t in PAGE_VIEW_FIELDS) for k in (1, 2)]
)

#: The AS clause (without parentheses) each table is loaded with.
SCHEMAS: dict[str, str] = {
    "page_views": PAGE_VIEWS,
    "page_views_sorted": PAGE_VIEWS,
    "users": USERS,
    "users_sorted": USERS,
    "power_users": USERS,
    "power_users_samples": USERS,
    "widerow": WIDEROW,
    "widegroupbydata": WIDEGROUP,
}
TABLES = tuple(SCHEMAS)

ZIPF_S = 1.0
USER_NULLS = 0.07
QUERY_NULLS = 0.20
REVENUE_NULLS = 0.05
LINKS_NULL, LINKS_EMPTY = 0.15, 0.05
POWER_USERS = 500
MAP_KEYS = "abcdefghij"
BATCH = 50_000
WIDE_GROUP_SHARE = 4  # widegroupbydata holds rows // 4 rows
VERSION = 2  # of the generated data: a manifest of another version is not reused


def _rng(seed: int, what: str) -> random.Random:
    return random.Random(f"minihadoop-pigmix:{seed}:{what}")


def _words(rng: random.Random, n: int, lo: int, hi: int) -> list[str]:
    """``n`` distinct lower-case words of ``lo``..``hi`` letters, in random order."""
    seen: set[str] = set()
    out: list[str] = []
    letters = string.ascii_lowercase
    while len(out) < n:
        word = "".join(rng.choices(letters, k=rng.randint(lo, hi)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _map_text(rng: random.Random, values: list[str], lo: int, hi: int) -> str:
    keys = sorted(rng.sample(MAP_KEYS, rng.randint(lo, hi)))
    return "[" + ",".join(f"{k}#{rng.choice(values)}" for k in keys) + "]"


class _Universe:
    """The names and value pools every table draws from."""

    def __init__(self, rows: int, seed: int) -> None:
        rng = _rng(seed, "universe")
        self.n_users = max(20, rows // 10)
        names = _words(rng, self.n_users * 2, 6, 14)
        self.users = names[: self.n_users]  # rank order: users[0] is the most active
        self.outsiders = names[self.n_users :]  # never view a page
        self.terms = _words(rng, max(20, rows // 5), 4, 10)
        values = _words(rng, 200, 3, 10)
        self.info_maps = [_map_text(rng, values, 3, 6) for _ in range(2000)]
        self.link_maps = [_map_text(rng, values, 1, 4) for _ in range(2000)]


def _page_view_lines(uni: _Universe, rows: int, seed: int) -> Iterator[list[str]]:
    """Batches of page_views lines (with their newline)."""
    rng = _rng(seed, "page_views")
    user_ranks = ZipfSampler(uni.n_users, ZIPF_S, rng)
    term_ranks = ZipfSampler(len(uni.terms), ZIPF_S, rng)
    users, terms = uni.users, uni.terms
    info, links = uni.info_maps, uni.link_maps
    rand, randint, choice = rng.random, rng.randint, rng.choice
    done = 0
    while done < rows:
        n = min(BATCH, rows - done)
        us, qs = user_ranks.sample(n), term_ranks.sample(n)
        batch = []
        for i in range(n):
            user = "" if rand() < USER_NULLS else users[us[i]]
            term = "" if rand() < QUERY_NULLS else terms[qs[i]]
            revenue = "" if rand() < REVENUE_NULLS else repr(randint(1, 100_000) / 100)
            r = rand()
            if r < LINKS_NULL:
                bag = ""
            elif r < LINKS_NULL + LINKS_EMPTY:
                bag = "{}"
            else:
                bag = "{" + ",".join(f"({choice(links)})" for _ in range(randint(1, 5))) + "}"
            batch.append(
                f"{user}\t{randint(1, 2)}\t{randint(1, 20)}\t{term}\t{randint(1, 1_000_000)}\t"
                f"{randint(0, 86_399)}\t{revenue}\t{choice(info)}\t{bag}\n"
            )
        done += n
        yield batch


def _user_line(rng: random.Random, name: str) -> str:
    digits, upper = string.digits, string.ascii_uppercase
    phone = "".join(rng.choices(digits, k=10))
    address = f"{rng.randint(1, 9999)}{''.join(rng.choices(string.ascii_lowercase, k=8))}st"
    city = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10)))
    state = "".join(rng.choices(upper, k=2))
    return f"{name}\t{phone}\t{address}\t{city}\t{state}\t{rng.randint(10000, 99999)}\n"


def _users(uni: _Universe, seed: int) -> list[str]:
    rng = _rng(seed, "users")
    names = [u for u in uni.users if rng.random() < 0.9]
    names += uni.outsiders[: max(1, uni.n_users // 10)]
    rng.shuffle(names)
    return [_user_line(rng, name) for name in names]


def _power_users(uni: _Universe, seed: int) -> tuple[list[str], list[str]]:
    rng = _rng(seed, "power_users")
    k = min(POWER_USERS, max(5, uni.n_users // 10))
    lines = [_user_line(rng, name) for name in rng.sample(uni.users, k)]
    return lines, [line for line in lines if rng.random() < 0.5]


def _widerow_lines(uni: _Universe, rows: int, seed: int) -> Iterator[list[str]]:
    rng = _rng(seed, "widerow")
    half = max(1, uni.n_users // 2)
    pool = uni.users[:half] + uni.outsiders[:half]
    rng.shuffle(pool)
    ranks = ZipfSampler(len(pool), ZIPF_S, rng)
    done = 0
    while done < rows:
        n = min(BATCH // 10, rows - done)
        batch = []
        for rank in ranks.sample(n):
            ints = "\t".join(map(str, (rng.randrange(10_000) for _ in range(WIDE_COLUMNS))))
            batch.append(f"{pool[rank]}\t{ints}\n")
        done += n
        yield batch


def _sorted_by_first(lines: Iterable[str]) -> list[str]:
    """Lines ordered by their first field, null (empty) first: Pig's ascending order."""
    return sorted(lines, key=lambda line: line[: line.index("\t")])


def _tables(rows: int, seed: int) -> Iterator[tuple[str, Iterable[str]]]:
    """(table name, chunks of text) for every table, drawn in a fixed order."""
    uni = _Universe(rows, seed)
    views: list[str] = []
    for batch in _page_view_lines(uni, rows, seed):
        views.extend(batch)
    yield "page_views", _chunks(views)
    yield "page_views_sorted", _chunks(_sorted_by_first(views))
    wide = views[: max(1, rows // WIDE_GROUP_SHARE)]
    yield "widegroupbydata", _chunks(f"{v[:-1]}\t{v[:-1]}\t{v}" for v in wide)
    del views
    users = _users(uni, seed)
    yield "users", _chunks(users)
    yield "users_sorted", _chunks(_sorted_by_first(users))
    power, samples = _power_users(uni, seed)
    yield "power_users", _chunks(power)
    yield "power_users_samples", _chunks(samples)
    yield "widerow", ("".join(b) for b in _widerow_lines(uni, max(10, rows // 10), seed))


def _chunks(lines: Iterable[str], size: int = BATCH) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _params(rows: int, seed: int) -> dict[str, Any]:
    return {"generator": "pigmix", "version": VERSION, "rows": rows, "seed": seed}


def reusable(out_url: str, rows: int, seed: int = 1) -> bool:
    """Whether ``out_url`` already holds every table of ``generate_pigmix(out_url, rows, seed)``."""
    manifest = read_manifest(out_url)
    if manifest is None or manifest.get("params") != _params(rows, seed):
        return False
    tables = manifest.get("tables", {})
    return all(
        name in tables and table_bytes(join_url(out_url, name)) == tables[name]["bytes"]
        for name in TABLES
    )


def generate_pigmix(
    out_url: str,
    rows: int,
    seed: int = 1,
    *,
    part_bytes: int = DEFAULT_PART_BYTES,
    progress: bool | None = None,
    reuse: bool = False,
) -> dict[str, tuple[str, int, int]]:
    """Write every PigMix table under ``out_url`` (``<out>/<table>/part-*``); ``rows`` is the
    number of page_views rows. Returns ``{table: (url, rows, bytes)}``. With ``reuse``, a data
    set already made with the same rows and seed is kept as it is."""
    if rows < 1:
        raise DatasetError(f"page_views needs at least 1 row, got --rows {rows}")
    if reuse and reusable(out_url, rows, seed):
        tables = read_manifest(out_url)["tables"]  # type: ignore[index]
        return {n: (join_url(out_url, n), tables[n]["rows"], tables[n]["bytes"]) for n in TABLES}
    started = time.monotonic()
    stats: dict[str, tuple[str, int, int]] = {}
    recorded: dict[str, dict[str, int]] = {}
    with Progress("pigmix", len(TABLES), unit="tables", enabled=progress) as bar:
        for name, chunks in _tables(rows, seed):
            with PartWriter(join_url(out_url, name), part_bytes) as out:
                for chunk in chunks:
                    out.write(chunk)
            stats[name] = (out.url, out.rows, out.bytes)
            recorded[name] = {"rows": out.rows, "bytes": out.bytes, "parts": len(out.parts)}
            bar.update(1)
    update_manifest(out_url, _params(rows, seed), recorded)
    log.info("pigmix: %d tables in %.1fs", len(stats), time.monotonic() - started)
    return stats
