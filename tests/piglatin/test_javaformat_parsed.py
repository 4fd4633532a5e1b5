"""java_format reads a format once and keeps its parts: every format and arguments give what
the reading per call gave (kept here as the reference), the same errors in the same order,
and a kept format gives each call's own arguments; plus java.util.Formatter's documented
examples."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.functions import javaformat
from piglatin.functions.builtins import BUILTINS, BuiltinError
from piglatin.functions.javaformat import FormatError, java_format

# ------------------------------------------------------------------ the reference (old code)
_SPEC = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([tT])?([a-zA-Z%])")


def reference(fmt: str, args: list[Any]) -> str:
    """java_format as it read the format on every call (its conversions are shared)."""
    convert, time_of, justify = javaformat._convert, javaformat._time, javaformat._justify
    out: list[str] = []
    pos = ordinary = 0
    last = -1

    def literal(text: str) -> None:
        if "%" in text:
            rest = text[text.index("%") + 1 :]
            raise FormatError(f"Unknown format conversion: '{rest[:1] or '%'}'")
        out.append(text)

    for m in _SPEC.finditer(fmt):
        literal(fmt[pos : m.start()])
        pos = m.end()
        index, flags, width, precision, time, conv = m.groups()
        if conv == "%" or conv == "n":
            if time:
                raise FormatError(f"Unknown format conversion: '{conv}'")
            out.append(justify("%" if conv == "%" else "\n", flags, width))
            continue
        if index:
            at = int(index[:-1]) - 1
        elif "<" in flags:
            at = last
        else:
            at = ordinary
            ordinary += 1
        if at < 0 or at >= len(args):
            raise FormatError(f"Missing format argument for '{m.group(0)}'")
        last = at
        prec = int(precision[1:]) if precision else None
        if ("-" in flags or "0" in flags) and not width:
            raise FormatError(f"Missing format width: '{m.group(0)}'")
        if time:
            body = time_of(args[at], conv, m.group(0))
            text = body.upper() if time == "T" else body
        else:
            text = convert(args[at], conv, flags.replace("<", ""), width, prec, m.group(0))
        out.append(justify(text, flags, width))
    literal(fmt[pos:])
    return "".join(out)


def outcome(f: Any, fmt: str, args: list[Any]) -> tuple[str, str]:
    try:
        return ("ok", f(fmt, args))
    except Exception as e:  # FormatError; also what the conversions let out (an OverflowError
        return (type(e).__name__, str(e))  # of %t past year 9999, decimal's InvalidOperation)


# ------------------------------------------------------------------ formats to try
_spec = st.builds(
    lambda index, flags, width, prec, time, conv: f"%{index}{flags}{width}{prec}{time}{conv}",
    st.sampled_from(["", "", "", "1$", "2$", "3$", "0$", "9$"]),
    st.sampled_from(["", "", "-", "0", "+", " ", ",", "(", "#", "<", "-<", "+0", ", "]),
    st.sampled_from(["", "", "5", "12", "1"]),
    st.sampled_from(["", "", ".2", ".0", ".10"]),
    st.sampled_from(["", "", "", "t", "T"]),
    st.sampled_from(list("sSdxXobBcfeEgGaAn%qHYmMk")),
)
_literal = st.text(alphabet="ab %-$.\n", max_size=4)
_format = st.lists(st.one_of(_spec, _literal), max_size=6).map("".join)
_arg = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.binary(max_size=3),
    st.just(1_700_000_000_000), st.tuples(st.integers(0, 9), st.text(max_size=2)),
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_format, st.lists(_arg, max_size=4), st.lists(_arg, max_size=4))
def test_parsed_once_same_as_read_per_call(fmt: str, args: list, other: list) -> None:
    assert outcome(java_format, fmt, args) == outcome(reference, fmt, args)
    # the format is kept now: other arguments still get their own text and errors
    assert outcome(java_format, fmt, other) == outcome(reference, fmt, other)


def test_kept_formats_are_bounded() -> None:
    for i in range(3 * javaformat._PARSED_MAX):
        assert java_format(f"%s-{i}", ["x"]) == f"x-{i}"
    assert len(javaformat._PARSED) <= javaformat._PARSED_MAX


@pytest.mark.parametrize(
    ("fmt", "args", "java"),
    [  # java.util.Formatter's javadoc and String.format results
        ("%4$2s %3$2s %2$2s %1$2s", ["a", "b", "c", "d"], " d  c  b  a"),
        ("%s %<s %s", ["a", "b"], "a a b"),
        ("%08d|%-6d|%+d|%,d|%(d", [-42, 42, 42, 1234567, -5], "-0000042|42    |+42|1,234,567|(5)"),
        ("%x %X %o", [255, -1, 8], "ff FFFFFFFF 10"),
        ("%.3s|%10.2f|%e", ["abcdef", 3.14159, 0.000123], "abc|      3.14|1.230000e-04"),
        ("%s/%d", ["Chrome", 120], "Chrome/120"),
        ("%d%%", [50], "50%"),
        ("%s %s %s %s %d", [True, None, 2.5, b"b", None], "true null 2.5 b null"),
    ],
)
def test_java_documented(fmt: str, args: list, java: str) -> None:
    assert java_format(fmt, args) == java
    assert java_format(fmt, args) == java  # kept


@pytest.mark.parametrize(
    ("fmt", "args", "message"),
    [
        ("%d %s", [1.5, "x"], "IllegalFormatConversionException: d != java.lang.Double"),
        ("%d", [True], "IllegalFormatConversionException: d != java.lang.Boolean"),
        ("%d", ["7"], "IllegalFormatConversionException: d != java.lang.String"),
        ("%s %s", ["x"], "Missing format argument for '%s'"),
        ("%-d", [1], "Missing format width: '%-d'"),
        ("%s %", ["x"], "Unknown format conversion: '%'"),
        ("%5$s %q", ["x"], "Missing format argument for '%5$s'"),  # the first error wins
    ],
)
def test_errors_in_java_order(fmt: str, args: list, message: str) -> None:
    for _ in range(2):
        with pytest.raises(FormatError, match=re.escape(message)):
            java_format(fmt, args)


def test_sprintf_nulls_and_errors() -> None:
    sprintf = BUILTINS["SPRINTF"].fn
    assert sprintf("%s/%d", "Chrome", 120) == "Chrome/120"
    assert sprintf("%s/%d", None, None) == "null/null"
    assert sprintf(b"%s-%s", b"x", 2) == "x-2"
    assert sprintf(None) == "null"
    with pytest.raises(BuiltinError, match="SPRINTF"):
        sprintf("%d", "x")
