"""`model.distinct.distinct_rows` against a plain O(n^2) DISTINCT that compares rows with
`data.compare` (Pig's order: equal when it gives 0), over rows mixing the values where
Python's equality and Pig's differ (NaN, -0.0, booleans beside numbers, int beside float,
nested tuples, bags and maps)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.model import data
from piglatin.model.distinct import distinct_rows

atoms = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, math.nan, math.inf, -math.inf]),
    st.booleans(),
    st.sampled_from(["", "a", "b"]),
    st.sampled_from([b"", b"a"]),
)
values = st.one_of(
    atoms,
    st.tuples(atoms, atoms),
    st.lists(st.tuples(atoms), max_size=2),
    st.dictionaries(st.sampled_from(["k", "j"]), atoms, max_size=2),
)
# rows of one column type (what a bag of a typed relation holds) and rows of anything
typed_rows = st.one_of(
    *[
        st.lists(st.tuples(s, st.sampled_from(["x", "y"]) | st.none()), max_size=30)
        for s in (
            st.integers(-3, 3) | st.none(),
            st.sampled_from([0.0, -0.0, 1.5, math.nan]) | st.none(),
            st.sampled_from(["", "a", "b"]),
        )
    ]
)
mixed_rows = st.lists(st.tuples(values, values), max_size=30)


def plain_distinct(rows: list) -> list:
    out: list = []
    for r in rows:
        if not any(data.compare(r, o) == 0 for o in out):
            out.append(r)
    return out


def same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(data.compare(x, y) == 0 for x, y in zip(a, b))


@settings(max_examples=300, deadline=None)
@given(st.one_of(typed_rows, mixed_rows))
def test_distinct_rows_is_pigs_distinct(rows):
    assert same(distinct_rows(rows), plain_distinct(rows))


def test_plain_rows_keep_their_first_seen_order():
    rows = [(3, "a"), (1, None), (3, "a"), (2, "b"), (1, None)]
    assert distinct_rows(rows) == [(3, "a"), (1, None), (2, "b")]


def test_every_nan_is_one_value():
    rows = [(math.nan,), (float("nan"),), (1.0,)]
    out = distinct_rows(rows)
    assert len(out) == 2 and math.isnan(out[0][0]) and out[1] == (1.0,)


def test_a_boolean_is_not_the_number_one():
    assert len(distinct_rows([(True,), (1,), (1.0,)])) == 2


def test_rows_python_folds_together_but_pig_tells_apart() -> None:
    """A boolean beside an equal int: Python's dict takes (0, False) as (0, 0); Pig does not.
    (Found by the property test above: the types were read from the rows already folded.)"""
    rows = [(0, 0), (0, False)]
    assert same(distinct_rows(rows), plain_distinct(rows))
    assert len(distinct_rows(rows)) == 2
