"""The parser-table cache: tables loaded from it parse exactly as a freshly built Lark parser;
a damaged, stale or unwritable cache is rebuilt or skipped, never trusted and never an error;
a warm cache parses without importing Lark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest
from lark import Lark

from piglatin.front import grammarcache
from piglatin.front.lalr import Tables
from piglatin.front.lexer import parse_tokens
from piglatin.front.parser import _ALWAYS_ACCEPT, _GRAMMAR, LARK_OPTIONS, _IdentEverywhere
from tests.piglatin.conformance.harness import load_cases
from tests.piglatin.test_front_lexer import _flat

ROOT = Path(__file__).resolve().parents[2]


def _outcome(parse, text: str, start: str = "start"):
    try:
        return ("tree", _flat(parse(text, start)))
    except Exception as e:  # noqa: BLE001 - the same error, at the same place, from both
        return (type(e).__name__, getattr(e, "line", None), getattr(e, "column", None))


def _fresh() -> Lark:
    options = dict(LARK_OPTIONS, lexer="contextual")
    return Lark(_GRAMMAR.read_text(), postlex=_IdentEverywhere(), **options)


def _cached() -> Tables:
    return grammarcache.cached_tables(_GRAMMAR.read_text(), **LARK_OPTIONS)


def _ours(tables: Tables):
    return lambda text, start: parse_tokens(tables, text, start, _ALWAYS_ACCEPT)


def _files(home: Path) -> list[Path]:
    return list((home / "minihadoop").glob("pig-tables-*.msgpack"))


def test_cached_tables_parse_every_conformance_script_as_a_fresh_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _cached()
    assert len(_files(tmp_path)) == 1
    cached, fresh = _ours(_cached()), _fresh().parse
    scripts = [c.script for c in load_cases()]
    scripts += ["loadd = LOAD 'x'; DUMP loadd;", "A = LOAD 'x' AS (a:int, b:{(m:map[])});"]
    assert len(scripts) > 250
    for text in scripts:
        assert _outcome(cached, text) == _outcome(fresh, text), text
    schema = "(x:int, y:bag{(m:map[])})"
    assert _outcome(cached, schema, "schema") == _outcome(fresh, schema, "schema")


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _cached()
    (path,) = _files(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])
    text = "A = LOAD 'x' AS (a:int); B = FILTER A BY a > 1; DUMP B;"
    assert _outcome(_ours(_cached()), text) == _outcome(_fresh().parse, text)
    assert len(path.read_bytes()) > 1000  # rewritten whole


def test_a_stale_or_foreign_cache_file_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file under the expected name whose key is another (an older grammar, another Lark, a
    name collision) is ignored and replaced, even when its tables are well formed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    good = _cached()
    (path,) = _files(tmp_path)
    saved = msgpack.unpackb(path.read_bytes(), strict_map_key=False)
    broken = dict(saved["tables"], states={})  # well formed, and would fail every parse
    path.write_bytes(msgpack.packb({"key": saved["key"] + " (older)", "tables": broken}))
    again = _cached()
    text = "A = LOAD 'x' AS (a:int); B = FILTER A BY a > 1; DUMP B;"
    assert _outcome(_ours(again), text) == _outcome(_ours(good), text)
    assert again.states  # rebuilt, not the broken ones
    assert msgpack.unpackb(path.read_bytes(), strict_map_key=False)["key"] == saved["key"]


def test_a_cache_path_that_is_a_file_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "minihadoop").write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _ours(_cached())("DUMP a;", "start") is not None


def test_a_warm_cache_parses_without_importing_lark(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from piglatin.front.parser import parse\n"
        "parse(\"A = LOAD 'x' AS (a:int); B = FILTER A BY a > 1; DUMP B;\")\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'lark' or m.startswith('lark.'))))"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("MINIHADOOP_NO_GRAMMAR_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env=env,
        )
        for _ in range(2)
    ]
    cold, warm = (json.loads(r.stdout.strip().splitlines()[-1]) for r in runs)
    assert "lark" in cold  # the probe sees Lark when the tables are built
    assert warm == []
