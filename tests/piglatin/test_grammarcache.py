"""The parser-table cache: a parser loaded from it parses exactly as a freshly built one;
a damaged or unwritable cache is rebuilt or skipped, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark
from lark.exceptions import LarkError

from piglatin.front import grammarcache
from piglatin.front.parser import _GRAMMAR, _IdentEverywhere
from tests.piglatin.conformance.harness import load_cases

OPTIONS = dict(
    parser="lalr",
    lexer="contextual",
    propagate_positions=True,
    maybe_placeholders=True,
    start=["start", "schema"],
)


def _parse(parser: Lark, text: str):
    try:
        return parser.parse(text, "start")
    except LarkError as e:  # the same error, at the same place, from both
        return (type(e).__name__, getattr(e, "line", None), getattr(e, "column", None))


def _fresh() -> Lark:
    return Lark(_GRAMMAR.read_text(), postlex=_IdentEverywhere(), **OPTIONS)


def test_a_cached_parser_parses_every_conformance_script_as_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammarcache.cached_lark(_GRAMMAR.read_text(), _IdentEverywhere(), **OPTIONS)
    files = list((tmp_path / "minihadoop").glob("pig-grammar-*.msgpack"))
    assert len(files) == 1
    cached = grammarcache.cached_lark(_GRAMMAR.read_text(), _IdentEverywhere(), **OPTIONS)
    fresh = _fresh()
    scripts = [c.script for c in load_cases()]
    scripts += ["loadd = LOAD 'x'; DUMP loadd;", "A = LOAD 'x' AS (a:int, b:{(m:map[])});"]
    assert len(scripts) > 250
    for text in scripts:
        assert _parse(cached, text) == _parse(fresh, text), text
    schema = "(x:int, y:bag{(m:map[])})"
    assert cached.parse(schema, "schema") == fresh.parse(schema, "schema")


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammarcache.cached_lark(_GRAMMAR.read_text(), _IdentEverywhere(), **OPTIONS)
    (path,) = (tmp_path / "minihadoop").glob("pig-grammar-*.msgpack")
    path.write_bytes(path.read_bytes()[:1000])
    parser = grammarcache.cached_lark(_GRAMMAR.read_text(), _IdentEverywhere(), **OPTIONS)
    text = "A = LOAD 'x' AS (a:int); B = FILTER A BY a > 1; DUMP B;"
    assert parser.parse(text, "start") == _fresh().parse(text, "start")
    assert len(path.read_bytes()) > 1000  # rewritten whole


def test_a_cache_path_that_is_a_file_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "minihadoop").write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parser = grammarcache.cached_lark(_GRAMMAR.read_text(), _IdentEverywhere(), **OPTIONS)
    assert parser.parse("DUMP a;", "start") is not None
