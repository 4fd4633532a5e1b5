"""Pig's runtime data model: formatting, casts and ordering.

Expected strings come from the Pig docs (DUMP output shapes), Java's documented
Double.toString / Float.toString rules and Joda's ISO format, not from this code.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piglatin.model import data
from piglatin.model.data import cast, compare, format_value, sort_key

UTC = UTC


# ------------------------------------------------------------------ DUMP formatting


@pytest.mark.parametrize(
    "value, text",
    [
        ((1, "abc", [(2,), (3,)]), "(1,abc,{(2),(3)})"),
        ((1, None, 3), "(1,,3)"),
        ((), "()"),
        ([], "{}"),
        ({}, "[]"),
        ({"name": "john", "age": 18}, "[name#john,age#18]"),
        ((True, False), "(true,false)"),
        (("a", ("b", ("c",))), "(a,(b,(c)))"),
        ([(1, {"k": [(2,)]})], "{(1,[k#{(2)}])}"),
        (b"raw", "raw"),
        (None, ""),
        (9223372036854775807, "9223372036854775807"),
        # Pig Latin Basics: "(John,18,4.0F)" is printed as a float 4.0
        ((data.to_float("4.0F"),), "(4.0)"),
    ],
)
def test_dump_format(value, text):
    assert format_value(value) == text


@pytest.mark.parametrize(
    "x, text",
    [
        # java.lang.Double.toString: decimal between 10^-3 and 10^7, else computerized
        # scientific notation with at least one digit after the point.
        (1.0, "1.0"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (100.0, "100.0"),
        (1234567.0, "1234567.0"),
        (1.0e7, "1.0E7"),
        (1.0e10, "1.0E10"),
        (12345678.9, "1.23456789E7"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (1.5e-5, "1.5E-5"),
        (1.0e300, "1.0E300"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (2 / 3, "0.6666666666666666"),
    ],
)
def test_double_format_matches_java(x, text):
    assert data.format_double(x) == text


@given(st.floats(1e-3, 1e7, exclude_max=True) | st.floats(-1e7, -1e-3, exclude_min=True))
def test_a_double_between_a_thousandth_and_ten_million_prints_positionally(x):
    """Java's Double.toString in [1e-3, 1e7): positional, the digits that tell x apart from
    every other double (Python's repr has them), a widened float too ((double) 0.1f)."""
    out = data.format_double(x)
    assert "E" not in out and "." in out
    assert out == repr(x)
    assert float(out) == x


@pytest.mark.parametrize(
    "x, text",
    [
        (0.1 + 0.2, "0.30000000000000004"),  # 17 digits: the sum of two doubles, not a float
        (1234.5678901234567, "1234.5678901234567"),
        (float.fromhex("0x1.99999ap-4"), "0.10000000149011612"),  # (double) 0.1f
        (0.0012345678901234567, "0.0012345678901234567"),
    ],
)
def test_seventeen_digit_doubles(x, text):
    assert data.format_double(x) == text


def test_float_values_print_like_java_float_tostring():
    # Float.toString(0.1f) == "0.1", Float.toString(3.14159f) == "3.14159"
    assert data.format_float(data.to_float("0.1")) == "0.1"
    assert data.format_float(data.to_float(3.14159)) == "3.14159"
    assert data.format_float(data.to_float(1.0e10)) == "1.0E10"
    # a float's value is a double's: written without its declared type, Double.toString's
    assert format_value(data.to_float("0.1")) == "0.10000000149011612"
    # a float widened to double keeps its binary value, as in Java: (double) 0.1f
    assert data.to_float(0.1) == pytest.approx(0.10000000149011612, abs=0)


def test_datetime_format_is_joda_iso():
    d = datetime(2011, 1, 1, tzinfo=UTC)
    assert format_value(d) == "2011-01-01T00:00:00.000Z"
    d = datetime(2009, 1, 7, 1, 7, 1, 123000, tzinfo=timezone(timedelta(hours=8)))
    assert format_value(d) == "2009-01-07T01:07:01.123+08:00"
    d = datetime(2009, 1, 7, tzinfo=timezone(-timedelta(hours=5, minutes=30)))
    assert format_value(d) == "2009-01-07T00:00:00.000-05:30"


def test_pigstorage_text_format():
    t = (1, "a b", None, [(1, 2)], {"k": "v"}, 2.5)
    assert data.format_fields(t) == "1\ta b\t\t{(1,2)}\t[k#v]\t2.5"
    assert data.format_fields(t, ",") == "1,a b,,{(1,2)},[k#v],2.5"


# ---------------------------------------------------------------------------- casts


class Warnings(list):
    def __call__(self, code):
        self.append(code)


@pytest.mark.parametrize(
    "raw, type_name, expected",
    [
        (b"42", "int", 42),
        (b"-7", "long", -7),
        (b"12L", "long", 12),
        (b"3.9", "int", 3),  # Integer.valueOf fails; Double.valueOf then truncation
        (b"-3.9", "int", -3),
        (b" 5 ", "int", 5),  # Double.valueOf trims whitespace
        (b"1.5", "double", 1.5),
        (b"1e3", "double", 1000.0),
        (b"2.5f", "float", 2.5),
        (b"NaN", "double", math.nan),
        (b"-Infinity", "double", -math.inf),
        (b"true", "boolean", True),
        (b"FALSE", "boolean", False),
        (b"abc", "chararray", "abc"),
        ("héllo".encode(), "chararray", "héllo"),
        (b"2011-01-01", "datetime", datetime(2011, 1, 1, tzinfo=UTC)),
        (b"", "int", None),
        (None, "double", None),
    ],
)
def test_bytearray_casts(raw, type_name, expected):
    got = cast(raw, type_name)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    "raw, type_name, code",
    [
        (b"abc", "int", data.CONVERSION_FAILED),
        (b"12abc", "long", data.CONVERSION_FAILED),
        (b"1_000", "int", data.CONVERSION_FAILED),
        (b"inf", "double", data.CONVERSION_FAILED),
        (b"maybe", "boolean", data.CONVERSION_FAILED),
        (b"3000000000", "int", data.TOO_LARGE),
        (b"1e30", "long", data.TOO_LARGE),
        (b"2011-13-45", "datetime", data.CONVERSION_FAILED),
        (b"3000000000", "datetime", data.CONVERSION_FAILED),  # a year past datetime's range
        (b"(1,2", "tuple", data.CONVERSION_FAILED),
    ],
)
def test_failed_cast_is_null_with_warning(raw, type_name, code):
    warns = Warnings()
    assert cast(raw, type_name, warns) is None
    assert warns == [code]


def test_numeric_casts_follow_java():
    assert cast(3.99, "int") == 3 and cast(-3.99, "long") == -3
    assert cast(math.nan, "int") == 0
    assert cast(1e20, "int") == 2**31 - 1  # (int) saturates
    assert cast(2**31, "int") == -(2**31)  # (int) of a long wraps
    assert cast(2**63, "long") == -(2**63)
    assert cast(7, "double") == 7.0 and type(cast(7, "double")) is float
    assert cast(True, "int") == 1
    assert cast(5, "chararray") == "5"
    assert cast(2.5, "chararray") == "2.5"
    assert cast(1e10, "chararray") == "1.0E10"
    assert cast(True, "chararray") == "true"
    assert cast("12", "int") == 12
    assert cast("x", "bytearray") is None or cast("x", "bytearray") == b"x"


def test_complex_casts_from_text():
    assert cast(b"(1,abc)", "tuple", inner=["int", "chararray"]) == (1, "abc")
    assert cast(b"(1,abc)", "tuple") == (b"1", b"abc")
    assert cast(b"(,x)", "tuple") == (None, b"x")
    assert cast(b"{(1),(2)}", "bag", inner=[("t", "tuple", [("x", "int")])]) == [(1,), (2,)]
    assert cast(b"{(1,(2,3)),(4,(5,6))}", "bag") == [(b"1", b"(2,3)"), (b"4", b"(5,6)")]
    assert cast(b"{}", "bag") == []
    assert cast(b"[a#1,b#2]", "map", inner=["int"]) == {"a": 1, "b": 2}
    assert cast(b"[a#{(1)},b#]", "map") == {"a": b"{(1)}", "b": None}
    assert cast(b"[]", "map") == {}


def test_complex_casts_of_values_apply_inner_schema():
    assert cast((b"1", b"2.5"), "tuple", inner=["int", "double"]) == (1, 2.5)
    assert cast([(b"1",), (b"x",)], "bag", inner=["int"]) == [(1,), (None,)]
    assert cast({"a": b"1"}, "map", inner=["long"]) == {"a": 1}
    warns = Warnings()
    assert cast((1,), "bag", warns) is None and warns == [data.CONVERSION_FAILED]


@given(st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_int_text_round_trip(n):
    assert cast(format_value(n).encode(), "int") == n


@given(st.floats(allow_nan=False))
def test_double_text_round_trip(x):
    # Double.toString output parses back to the same double (Java guarantees this)
    assert cast(data.format_double(x).encode(), "double") == x


# ------------------------------------------------------------------------- ordering


def test_type_of():
    assert data.type_of(1) == "int"
    assert data.type_of(2**40) == "long"
    assert data.type_of(1.5) == "double"
    assert data.type_of("a") == "chararray"
    assert data.type_of(b"a") == "bytearray"
    assert data.type_of(True) == "boolean"
    assert data.type_of(datetime(2000, 1, 1, tzinfo=UTC)) == "datetime"
    assert data.type_of((1,)) == "tuple"
    assert data.type_of([(1,)]) == "bag"
    assert data.type_of({"a": 1}) == "map"
    assert data.type_of(None) == "null"


def test_nulls_sort_first_and_types_in_pig_order():
    values = [[(1,)], (1,), {"a": 1}, "b", b"b", datetime(2000, 1, 1, tzinfo=UTC), 3, True, None]
    ordered = sorted(values, key=sort_key)
    assert ordered == list(reversed(values))


def test_numbers_compare_by_value_and_nan_is_largest():
    assert sorted([2.5, 1, math.inf, -3, 2], key=sort_key) == [-3, 1, 2, 2.5, math.inf]
    assert sort_key(math.nan) > sort_key(math.inf)
    assert compare(math.nan, math.nan) == 0


def test_tuples_compare_by_size_first_then_fields():
    # Pig's DefaultTuple.compareTo: a shorter tuple sorts first whatever its fields
    assert compare((9, 9), (1, 1, 1)) == -1
    assert compare((1, "b"), (1, "a")) == 1
    assert compare((1, None), (1, 0)) == -1


def test_bags_compare_by_size_then_sorted_contents():
    assert compare([(5,)], [(1,), (2,)]) == -1
    assert compare([(2,), (1,)], [(1,), (2,)]) == 0
    assert compare([(1,), (3,)], [(2,), (1,)]) == 1


def test_order_key_descending_puts_nulls_last():
    rows = [(None,), (2,), (1,), (3,)]
    asc = sorted(rows, key=lambda r: data.order_key([False])(r))
    desc = sorted(rows, key=lambda r: data.order_key([True])(r))
    assert asc == [(None,), (1,), (2,), (3,)]
    assert desc == [(3,), (2,), (1,), (None,)]


def test_order_key_mixed_directions():
    rows = [("a", 1), ("b", 2), ("a", 2), ("b", 1)]
    key = data.order_key([False, True])
    assert sorted(rows, key=key) == [("a", 2), ("a", 1), ("b", 2), ("b", 1)]


pig_scalars = st.one_of(
    st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(), st.text(max_size=5),
    st.binary(max_size=5), st.booleans(),
)
pig_values = st.recursive(
    pig_scalars,
    lambda inner: st.one_of(
        st.tuples(inner, inner),
        st.lists(st.tuples(inner), max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=8,
)


@given(st.lists(pig_values, max_size=8))
def test_sort_key_is_a_total_order(values):
    keys = [sort_key(v) for v in values]
    ordered = sorted(keys)
    assert all(a <= b for a, b in zip(ordered, ordered[1:]))
    for a in values[:3]:
        for b in values[:3]:
            assert compare(a, b) == -compare(b, a)


@given(st.lists(pig_values, max_size=8))
def test_sort_bytes_orders_like_sort_key(values):
    by_key = sorted(values, key=sort_key)
    by_bytes = sorted(values, key=data.sort_bytes)
    assert [sort_key(v) for v in by_key] == [sort_key(v) for v in by_bytes]
    for a in values[:4]:
        for b in values[:4]:
            ka, kb = data.sort_bytes(a), data.sort_bytes(b)
            assert ((ka > kb) - (ka < kb)) == compare(a, b)


@given(st.lists(st.tuples(pig_scalars, pig_scalars), max_size=10), st.booleans(), st.booleans())
def test_order_bytes_mixed_directions(rows, d1, d2):
    expected = sorted(rows, key=data.order_key([d1, d2]))
    got = sorted(rows, key=lambda r: data.order_bytes(r, [d1, d2]))
    assert [tuple(map(sort_key, r)) for r in got] == [tuple(map(sort_key, r)) for r in expected]


def test_sort_bytes_of_datetimes_follow_the_instant():
    a = datetime(2001, 1, 1, 10, tzinfo=timezone(timedelta(hours=8)))  # 02:00Z
    b = datetime(2001, 1, 1, 3, tzinfo=UTC)
    assert data.sort_bytes(a) < data.sort_bytes(b)
    assert data.sort_bytes(None) < data.sort_bytes(False) < data.sort_bytes(-1e300)
