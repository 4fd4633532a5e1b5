"""The string and date builtins' null-handling wrappers (one per argument count) against the
general wrapper they had (kept here as the reference): the same value or the same error for
any arguments, nulls, bytes, non-text, too few or too many; REPLACE's literal and kept
replacements; Java's UTF-16 positions for text with characters outside the BMP."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.functions import builtins
from piglatin.functions.builtins import BUILTINS, java_regex, java_replacement


def old_str_fn(fn: Any) -> Any:
    def call(s: Any, *rest: Any) -> Any:
        if s is None:
            return None
        for r in rest:
            if r is None:
                return None
        if type(s) is bytes:
            s = s.decode("utf-8", "replace")
        return fn(s, *rest)

    return call


def old_dt_fn(fn: Any) -> Any:
    def call(*args: Any) -> Any:
        for a in args:
            if a is None:
                return None
        return fn(*args)

    return call


def _replace(s: str, pattern: str, rep: str) -> str | None:
    try:
        return java_regex(pattern).sub(java_replacement(rep), s)
    except (re.error, ValueError, IndexError):  # Pig's REPLACE.exec catches: a warning, null
        return None


def outcome(f: Any, args: tuple) -> tuple:
    try:
        return ("ok", f(*args))
    except Exception as e:  # the error a wrong call gives, by type and text; a call with no
        # argument names the wrapper, the same but for its number
        text = str(e).replace("old_str_fn", "_str_fn").replace("old_dt_fn", "_dt_fn")
        for inner in ("call23", "call1", "call2", "call3"):
            text = text.replace(inner, "call")
        return (type(e).__name__, text)


_text = st.text(alphabet="ab/.$\\\u00e9\U0001f600", max_size=6)
_arg = st.one_of(
    st.none(), _text, _text.map(lambda s: s.encode()), st.integers(-3, 8),
    st.sampled_from(["a", "/", ".", "[?].*$", "^/([a-z]+)", "([a-z])", "$1-", "\\\\", "x$"]),
)  # fmt: skip


@pytest.mark.parametrize("name", sorted(builtins._STRING_FUNCS))
@settings(max_examples=80, deadline=None)
@given(args=st.lists(_arg, max_size=4))
def test_string_wrappers_same_as_the_general_one(name: str, args: list) -> None:
    fn = builtins._STRING_FUNCS[name][0]
    if name == "REPLACE":
        fn = _replace  # the old REPLACE, named as it was
    want = outcome(old_str_fn(fn), tuple(args))
    got = outcome(BUILTINS[name].fn, tuple(args))
    assert got == want


_dates = st.one_of(
    st.none(),
    st.datetimes(timezones=st.sampled_from([UTC])),
    st.sampled_from(["P1D", "PT1H", "x"]),
    st.integers(0, 5),
)


@pytest.mark.parametrize("name", sorted(builtins._DATE_FUNCS))
@settings(max_examples=40, deadline=None)
@given(args=st.lists(_dates, max_size=3))
def test_date_wrappers_same_as_the_general_one(name: str, args: list) -> None:
    want = outcome(old_dt_fn(builtins._DATE_FUNCS[name][0]), tuple(args))
    assert outcome(BUILTINS[name].fn, tuple(args)) == want


def utf16_index(s: str, search: str, last: bool = False) -> int:
    """Java's indexOf/lastIndexOf: a position in UTF-16 units."""
    units, target = s.encode("utf-16-le"), search.encode("utf-16-le")
    starts = range(0, len(units) - len(target) + 1, 2)
    hits = [i // 2 for i in starts if units[i : i + len(target)] == target]
    return (hits[-1] if last else hits[0]) if hits else -1


@settings(max_examples=300, deadline=None)
@given(_text, st.text(alphabet="a/\U0001f600", min_size=1, max_size=2))
def test_index_of_counts_utf16_units(s: str, search: str) -> None:
    assert BUILTINS["INDEXOF"].fn(s, search) == utf16_index(s, search)
    assert BUILTINS["LAST_INDEX_OF"].fn(s, search) == utf16_index(s, search, last=True)


def test_documented_examples() -> None:
    f = {name: BUILTINS[name].fn for name in BUILTINS}
    assert f["LAST_INDEX_OF"]("/products/12", "/") == 9
    assert f["LAST_INDEX_OF"]("\U0001f600/a", "/") == 2  # the emoji is two UTF-16 units
    assert f["INDEXOF"]("\U0001f600x", "x", 0) == 2
    assert f["SUBSTRING"]("\U0001f600abc", 2, 4) == "ab"
    assert f["UCFIRST"]("chrome") == "Chrome"
    assert f["REPLACE"]("/a/b?x=1", "[?].*$", "") == "/a/b"
    assert f["REPLACE"]("a.b.c", "\\.", "\\$") == "a$b$c"  # Matcher: \$ is a literal $
    assert f["REPLACE"]("2024-01-02", "(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1") == "02/01/2024"
    assert f["REPLACE"]("a\\b", "b", "c") == "a\\c"
    assert f["STARTSWITH"](b"/static/x", "/static/") is True
    assert f["ENDSWITH"]("/cart", None) is None
    assert f["INDEXOF"]("abc", "b", None) is None
    assert f["LAST_INDEX_OF"]("abc", "b", None) is None
    assert f["DaysBetween"](None, None) is None
    # REPLACE.exec catches replaceAll's IllegalArgumentException ("Illegal group reference"):
    # null
    assert f["REPLACE"]("abc", "b", "$x") is None
    with pytest.raises(builtins.BuiltinError, match="Illegal group reference"):
        java_replacement("$x")
