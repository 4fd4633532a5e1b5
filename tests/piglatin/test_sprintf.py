"""SPRINTF is Java's String.format over Pig's values (Pig's builtin/SPRINTF.java hands its
arguments to java.util.Formatter unchanged, nulls included; a conversion error is ERROR 2106).

The expected texts are Java's, from the java.util.Formatter documentation and its known
outputs, never from this implementation; the integer properties compare against plain Python
arithmetic (two's complement computed by masking)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piglatin.errors import PigError
from piglatin.functions.builtins import BuiltinError, lookup
from piglatin.launcher import PigServer


def sprintf(fmt, *args):
    return lookup("SPRINTF").fn(fmt, *args)


# (format, arguments, what Java's String.format gives)
JAVA = [
    # Pig's own example (SPRINTF.java), in UTC: the page shows the same instant at -0500
    (
        "%2$10s %1$-17s %2$,10d %2$8x %3$10.3f %4$1TFT%<tT%<tz",
        ("New York", 8244910, 119491.453125, 8244910000000),
        "   8244910 New York           8,244,910   7dceae 119491.453 2231-04-10T04:46:40+0000",
    ),
    ("%s-%05d", ("a", 42), "a-00042"),
    ("%.2f", (3.14159,), "3.14"),
    ("%.2f", (0.125,), "0.13"),  # half-up on the decimal digits, not Python's half-even
    ("%.2f", (2.675,), "2.68"),  # Double.toString gives 2.675; Python's '%.2f' gives 2.67
    ("%.0f", (0.5,), "1"),
    ("%f", (1.0,), "1.000000"),
    ("%e", (12345.678,), "1.234568e+04"),
    ("%.1e", (-0.0,), "-0.0e+00"),
    ("%E", (1e-10,), "1.000000E-10"),
    ("%g", (3.0,), "3.00000"),  # Java keeps the zeros
    ("%g", (0.0001,), "0.000100000"),
    ("%g", (0.00001,), "1.00000e-05"),
    ("%g", (123456789.0,), "1.23457e+08"),
    ("%.3g", (99950.0,), "1.00e+05"),  # chosen on the rounded value
    ("%g", (0.0,), "0.00000"),
    ("%,.2f", (1234567.891,), "1,234,567.89"),
    ("%010.2f", (-3.5,), "-000003.50"),
    ("%+d|% d|%(d", (5, 5, -5), "+5| 5|(5)"),
    ("%,d", (-1234567,), "-1,234,567"),
    ("%,010d", (1234,), "000001,234"),
    ("%-6d|", (42,), "42    |"),
    ("%x %X %o", (255, 255, 8), "ff FF 10"),
    ("%#x %#o", (255, 8), "0xff 010"),
    ("%x", (-1,), "ffffffff"),  # Integer: 32 bits
    ("%x", (-(2**40),), "ffffff0000000000"),  # Long: 64 bits
    ("%08X", (48879,), "0000BEEF"),
    ("%s|%S|%.3s|%6s|%-6s|", ("pig", "pig", "hadoop", "ab", "ab"), "pig|PIG|had|    ab|ab    |"),
    ("%s %s", (True, 2.5), "true 2.5"),
    ("%s", (1e7,), "1.0E7"),  # Double.toString
    ("%s", (("a", 1),), "(a,1)"),
    ("%b %b %b %B", (False, "x", 0, True), "false true true TRUE"),
    ("%c%c", (80, "g"), "Pg"),
    ("100%% done%n", (), "100% done\n"),
    ("%2$s %1$s %<s", ("a", "b"), "b a a"),
    ("%f %e", (float("nan"), float("-inf")), "NaN -Infinity"),
    ("%+f", (float("inf"),), "+Infinity"),
    ("%tY-%<tm-%<td %<tH:%<tM:%<tS.%<tL", (1700000000123,), "2023-11-14 22:13:20.123"),
    ("%tB %<te, %<tA %<tp %<tj", (0,), "January 1, Thursday am 001"),
    ("%TD %<tR %<Tb", (86400000 * 40,), "02/10/70 00:00 FEB"),
]


@pytest.mark.parametrize("fmt, args, java", JAVA, ids=[j[0] for j in JAVA])
def test_java_formatter(fmt, args, java):
    assert sprintf(fmt, *args) == java


def test_null_arguments_print_as_null():
    # java.util.Formatter: "If the argument arg is null, then the result is 'null'"
    # (for %b: "false"); SPRINTF does not turn a null argument into a null result.
    assert sprintf("%s|%d|%.2f|%b|%x|%tY", None, None, None, None, None, None) == (
        "null|null|null|false|null|null"
    )
    assert sprintf("%5s|%-5S|", None, None) == " null|NULL |"


@pytest.mark.parametrize(
    "fmt, args",
    [
        ("%d", (2.5,)),  # d != java.lang.Double
        ("%f", (3,)),  # f != java.lang.Long
        ("%x", ("a",)),
        ("%c", ("ab",)),
        ("%s %s", ("only one",)),  # MissingFormatArgumentException
        ("%q", (1,)),  # UnknownFormatConversionException
        ("50% off", ()),
        ("%-d", (1,)),  # MissingFormatWidthException
        ("%.2d", (1,)),  # IllegalFormatPrecisionException
        ("%tY", (2.5,)),
    ],
)
def test_what_java_refuses_fails(fmt, args):
    with pytest.raises(BuiltinError, match="Error while computing string format in SPRINTF"):
        sprintf(fmt, *args)


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_integers_as_java_prints_them(n):
    grouped = f"{abs(n):,}"
    assert sprintf("%d", n) == str(n)
    assert sprintf("%,d", n) == ("-" if n < 0 else "") + grouped
    assert sprintf("%(d", n) == (f"({abs(n)})" if n < 0 else str(n))
    bits = 32 if -(2**31) <= n < 2**31 else 64
    unsigned = n & ((1 << bits) - 1)
    assert sprintf("%x", n) == format(unsigned, "x")
    assert sprintf("%o", n) == format(unsigned, "o")
    assert sprintf("%020d", n) == ("-" if n < 0 else "") + str(abs(n)).rjust(20 - (n < 0), "0")


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=6))
def test_fixed_point_of_decimal_fractions(units, decimals):
    """%.Nf of a double written with at most N decimals gives those digits back (the shortest
    decimal form is what Java rounds, so nothing is lost or rounded)."""
    text = format(Decimal(units).scaleb(-decimals), "f")
    x = float(text)
    got = sprintf(f"%.{decimals}f", x)
    assert float(got) == float(text) and len(got.partition(".")[2]) == decimals


def test_sprintf_in_a_script(tmp_path: Path):
    (tmp_path / "in.txt").write_text("1\t2.5\tx\n2\t\t\n")
    script = """
        A = LOAD 'in.txt' AS (i:int, d:double, s:chararray);
        B = FOREACH A GENERATE SPRINTF('%03d|%.2f|%s|%b', i, d, s, s);
        STORE B INTO 'out';
    """
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    lines = sorted((tmp_path / "out" / "part-m-00000").read_text().splitlines())
    assert lines == ["001|2.50|x|true", "002|null|null|false"]


def test_a_conversion_error_fails_the_script(tmp_path: Path):
    (tmp_path / "in.txt").write_text("1\t2.5\n")
    script = """
        A = LOAD 'in.txt' AS (i:int, d:double);
        B = FOREACH A GENERATE SPRINTF('%d', d);
        STORE B INTO 'out';
    """
    refused = "IllegalFormatConversionException: d != java.lang.Double"
    with (
        pytest.raises(PigError, match=refused),
        PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig,
    ):
        pig.register_script(script)
    assert not (tmp_path / "out").exists()
