"""``SUM(B.x)`` and ``AVG(B.x)`` of a grouped bag held in memory (`physical.Compiler`'s
column sum: the column's values at once) give Pig's answers: nulls skipped, null when no
value is left, an int column summed as ints, a bytearray column read as doubles, a short
row's missing field a null. Expected values from plain Python."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from piglatin.back.physical import Compiler
from piglatin.front.builder import build_text

SCRIPT = """A = LOAD 'a' AS (k:chararray, x:{type});
B = GROUP A BY k;
C = FOREACH B GENERATE SUM(A.x), AVG(A.x);
"""

INTS = st.one_of(st.none(), st.integers(-100, 100))
DOUBLES = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))


def _foreach(type_: str):
    plan = build_text(SCRIPT.format(type=type_))
    return Compiler(plan=plan).foreach(plan.alias("C"))


def _expected(xs: list) -> tuple:
    vals = [float(x) if type(x) is bytes else x for x in xs if x is not None]
    if not vals:
        return (None, None)
    return (sum(vals), sum(vals) / len(vals))


@given(xs=st.lists(INTS, max_size=8))
def test_int_column(xs) -> None:
    rows = _foreach("int")(("k", [("k", x) for x in xs]))
    assert rows == [_expected(xs)]


@given(xs=st.lists(DOUBLES, max_size=8), short=st.booleans())
def test_double_column_with_a_short_row(xs, short) -> None:
    bag = [("k", x) for x in xs] + ([("k",)] if short else [])
    got = _foreach("double")(("k", bag))
    want = _expected(xs)
    assert len(got) == 1
    for g, w in zip(got[0], want):
        assert (g is None and w is None) or abs(g - w) <= 1e-9 * max(1.0, abs(w))


@given(
    xs=st.lists(st.one_of(st.none(), st.integers(-9, 9).map(lambda i: str(i).encode())), max_size=6)
)
def test_bytearray_column_is_read_as_doubles(xs) -> None:
    got = _foreach("bytearray")(("k", [("k", x) for x in xs]))
    assert got == [_expected(xs)]


def test_null_bag() -> None:
    assert _foreach("int")(("k", None)) == [(None, None)]
