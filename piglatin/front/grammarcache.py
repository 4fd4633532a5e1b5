"""A cache of the Pig Latin parser's LALR tables, so a command does not rebuild them.

Owns: building a `lark.Lark` parser once per grammar and keeping its analysed tables
(Lark's own `memo_serialize` data: plain dicts, lists, strings and numbers) as a msgpack
file in the user's cache directory (``$XDG_CACHE_HOME/minihadoop`` or
``~/.cache/minihadoop``), named by a hash of the grammar text, Lark's version and the
options. Building the tables costs about a second of CPU, loading them about a tenth of
that, and every `pig` command and every task process that rebuilds a script's plan pays
it. The file is data only (never pickle): a missing, stale, unreadable or damaged file
means the tables are rebuilt and the file rewritten (written to a temporary name, then
renamed, so concurrent processes never read half a file); an unwritable cache directory
means no cache, not an error. ``MINIHADOOP_NO_GRAMMAR_CACHE=1`` turns it off.
Must not touch: the grammar or what the parser produces (the tree is the same either way).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import msgpack

from piglatin.front.larklib import Lark, Rule, TerminalDef, lark

__all__ = ["cached_lark", "cache_dir"]

_BIG_INT = 1  # msgpack ext code: an int past 64 bits (Lark's "unbounded width"), as text
_NOT_SERIALIZED = ("postlex",)  # objects: given again at load time


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minihadoop"


def cached_lark(grammar: str, postlex: Any = None, **options: Any) -> Lark:
    """``Lark(grammar, postlex=postlex, **options)`` (LALR), loaded from the cache when
    an identical build is there."""
    if os.environ.get("MINIHADOOP_NO_GRAMMAR_CACHE") == "1":
        return Lark(grammar, postlex=postlex, **options)
    key = hashlib.sha256(
        repr((grammar, lark.__version__, sorted(options.items()), type(postlex).__name__)).encode()
    ).hexdigest()[:24]
    path = cache_dir() / f"pig-grammar-{key}.msgpack"
    parser = _load(path, postlex)
    if parser is None:
        parser = Lark(grammar, postlex=postlex, **options)
        _save(parser, path)
    return parser


def _load(path: Path, postlex: Any) -> Lark | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        d = msgpack.unpackb(blob, strict_map_key=False, ext_hook=_ext_hook)
        d["data"]["options"]["postlex"] = postlex
        return Lark.load(d)
    except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, never fatal
        return None


def _save(parser: Lark, path: Path) -> None:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _NOT_SERIALIZED}
    try:
        blob = msgpack.packb(_big_ints({"data": data, "memo": memo}))
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
