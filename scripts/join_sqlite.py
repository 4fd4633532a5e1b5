"""The join study's RDBMS row: the semantic expansion in SQLite (the stand-in for the study's MySQL).

Owns: loading the relation and an annotation table into a SQLite database (a row store, like the
study's MySQL) with an index on the join key, and running the same inner join as the MapReduce and
Pig strategies. Load time (rows + index) is reported apart from the query time, as in the study,
where the tables were already in MySQL. Must not touch the tables (read-only through fsspec).

The query materialises its result in a table (``CREATE TABLE expanded AS SELECT ...``), the
counterpart of a MapReduce job writing its output; reading the result back for verification is
not timed.

    python scripts/join_sqlite.py ANNOTATIONS RELATION [--db FILE]
prints: load seconds, query seconds, output rows.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import fsspec

__all__ = ["QUERY", "SqliteResult", "sqlite_join"]

QUERY = (
    "SELECT a.element_id, a.concept_id, r.parent_concept_id, r.parent_level "
    "FROM annotations AS a JOIN relation AS r ON r.concept_id = a.concept_id"
)
BATCH = 50_000


@dataclass(frozen=True, slots=True)
class SqliteResult:
    load_seconds: float
    query_seconds: float
    rows: int
    digest: Any = None  # what `consume` returned for the output lines


def _table_files(url: str) -> list[str]:
    fs, path = fsspec.core.url_to_fs(url)
    if not fs.isdir(path):
        return [url]
    names = sorted(p for p in fs.ls(path, detail=False)
                   if not os.path.basename(p).startswith(("_", ".")))
    return [fs.unstrip_protocol(p) for p in names]


def _rows(url: str, width: int) -> Iterator[list[str]]:
    for part in _table_files(url):
        with fsspec.open(part, "rt", encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) >= width:
                    yield fields[:width]


def _load(db: sqlite3.Connection, annotations: str, relation: str) -> None:
    db.execute("CREATE TABLE relation (id TEXT, concept_id TEXT, parent_concept_id TEXT, "
               "parent_level TEXT)")
    db.execute("CREATE TABLE annotations (concept_id TEXT, element_id TEXT, context_id TEXT, "
               "dictionary_id TEXT, term_id TEXT, position_from TEXT, position_to TEXT, "
               "workflow_status TEXT)")
    db.executemany("INSERT INTO relation VALUES (?, ?, ?, ?)", _rows(relation, 4))
    db.executemany("INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _rows(annotations, 8))
    db.execute("CREATE INDEX relation_concept ON relation (concept_id)")
    db.commit()


def sqlite_join(annotations: str, relation: str, *, db_path: str | None = None,
                consume: Callable[[Iterable[str]], Any] | None = None) -> SqliteResult:
    """Load, index, join. `consume` receives the output lines (``element<TAB>concept<TAB>parent
    <TAB>level``) after the timed part, e.g. to checksum them."""
    owned = db_path is None
    if owned:
        fd, db_path = tempfile.mkstemp(suffix=".sqlite", prefix="join-")
        os.close(fd)
        os.unlink(db_path)
    db = sqlite3.connect(db_path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        started = time.perf_counter()
        _load(db, annotations, relation)
        loaded = time.perf_counter()
        db.execute(f"CREATE TABLE expanded AS {QUERY}")
        db.commit()
        queried = time.perf_counter()
        rows = db.execute("SELECT count(*) FROM expanded").fetchone()[0]
        digest = None
        if consume is not None:
            cursor = db.execute("SELECT * FROM expanded")
            digest = consume("\t".join(row) for row in cursor)
        return SqliteResult(loaded - started, queried - loaded, rows, digest)
    finally:
        db.close()
        if owned:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(db_path + suffix)
                except FileNotFoundError:
                    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The semantic-expansion join in SQLite.")
    parser.add_argument("annotations")
    parser.add_argument("relation")
    parser.add_argument("--db", help="database file to keep (default: a temporary file)")
    args = parser.parse_args(argv)
    try:
        result = sqlite_join(args.annotations, args.relation, db_path=args.db)
    except (OSError, sqlite3.Error) as e:
        print(f"join_sqlite: {e}", file=sys.stderr)
        return 1
    print(f"load {result.load_seconds:.2f}s  query {result.query_seconds:.2f}s  "
          f"rows {result.rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
