"""A cache of the Pig Latin parser's LALR tables, so a command neither rebuilds them nor imports
Lark.

Owns: building the tables once per grammar (Lark analyses grammar.lark: about a second of
CPU; `lalr.Tables.from_lark` keeps what the parse needs) and keeping them as a msgpack file in
the user's cache directory (``$XDG_CACHE_HOME/minihadoop`` or ``~/.cache/minihadoop``). The
file holds its own key (the grammar text, the options, the table format and the installed
Lark's file and version stamp) and is used only when that key is the one wanted, so a changed
grammar or Lark gets new tables and a stale or colliding file is never trusted. The file is
data only (never pickle): a missing, stale, unreadable or damaged file means the tables are
rebuilt and the file rewritten (written to a temporary name, then renamed, so concurrent
processes never read half a file); an unwritable cache directory means no cache, not an
error. ``MINIHADOOP_NO_GRAMMAR_CACHE=1`` turns it off.
Must not touch: the grammar or what the parser produces (the tree is the same either way).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

import msgpack

from piglatin.front.lalr import Tables
from piglatin.front.lexer import keywords_of

__all__ = ["cached_tables", "cache_dir"]

_FORMAT = 5  # the layout of Tables.to_data; a new layout means new files
_BIG_INT = 1  # msgpack ext code: an int past 64 bits (Lark's "unbounded width"), as text


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minihadoop"


def cached_tables(grammar: str, **options: Any) -> Tables:
    """The tables of ``Lark(grammar, **options)`` (LALR, positions propagated, placeholders on),
    loaded from the cache when it holds them for this grammar, these options and this Lark."""
    if os.environ.get("MINIHADOOP_NO_GRAMMAR_CACHE") == "1":
        return _build(grammar, options)
    key = repr((_FORMAT, grammar, sorted(options.items()), _lark_stamp()))
    path = cache_dir() / f"pig-tables-{zlib.crc32(key.encode()):08x}.msgpack"
    tables = _load(path, key)
    if tables is None:
        tables = _build(grammar, options)
        _save(tables, path, key)
    return tables


def _lark_stamp() -> str:
    """Which Lark is installed (its package file, size and time), without importing it."""
    spec = importlib.util.find_spec("lark")
    origin = spec.origin if spec is not None else None
    if not origin:
        return "no lark"
    try:
        st = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}"


def _build(grammar: str, options: dict[str, Any]) -> Tables:
    from piglatin.front.larklib import Lark  # only when the cache has no tables

    tables = Tables.from_lark(Lark(grammar, **options))
    return tables._replace(keywords=keywords_of(tables.terminals))


def _load(path: Path, key: str) -> Tables | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        d = msgpack.unpackb(blob, strict_map_key=False, ext_hook=_ext_hook)
        if not isinstance(d, dict) or d.get("key") != key:
            return None  # another grammar's (a name collision) or another Lark's
        return Tables.from_data(d["tables"])
    except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, never fatal
        return None


def _save(tables: Tables, path: Path, key: str) -> None:
    try:
        blob = msgpack.packb(_big_ints({"key": key, "tables": tables.to_data()}))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".msgpack")
    except (OSError, TypeError, ValueError, OverflowError):
        return  # no cache this time
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _big_ints(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _big_ints(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_big_ints(v) for v in x]
    if type(x) is int and not -(2**63) <= x < 2**64:
        return msgpack.ExtType(_BIG_INT, str(x).encode())
    return x


def _ext_hook(code: int, payload: bytes) -> Any:
    if code == _BIG_INT:
        return int(payload)
    return msgpack.ExtType(code, payload)
