"""A nested ORDER of plain columns sorts by the values themselves when their types allow it
(`spillbag.PlainOrder`); whatever the rows hold, the result is the stable sort in Pig's order,
computed here with `data.compare` (nulls first ascending, last descending)."""

from __future__ import annotations

import functools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.spillbag import PlainOrder, sort_bag
from piglatin.model import data

pools = [
    st.sampled_from(["", "a", "b", "ab", "é", "a\x00"]),
    st.integers(-5, 5),
    st.sampled_from([-1.5, 0.0, -0.0, 2.0, 1e300, math.inf]),
    st.sampled_from([1.0, math.nan, 3.0]),
    st.sampled_from([1, 2.5, True, "x", b"y"]),  # mixed types: Pig orders by type first
]


@st.composite
def cases(draw):
    width = draw(st.integers(1, 3))
    cols = [draw(st.sampled_from(pools)) for _ in range(width)]
    cols = [st.one_of(c, st.none()) if draw(st.booleans()) else c for c in cols]
    rows = draw(st.lists(st.tuples(*cols), max_size=25))
    keys = tuple(draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=2, unique=True)))
    return rows, keys, draw(st.booleans())


def pig_sorted(rows, keys, descending):
    def cmp(a, b):
        for c in keys:
            r = data.compare(a[c], b[c])
            if r:
                return -r if descending else r
        return 0

    return sorted(rows, key=functools.cmp_to_key(cmp))


def byte_key(keys, descending):
    return lambda t: data.order_bytes([t[c] for c in keys], [descending] * len(keys))


@settings(max_examples=400, deadline=None)
@given(cases())
def test_plain_order_is_pigs_order(case):
    rows, keys, descending = case
    got = sort_bag(list(rows), byte_key(keys, descending), None, PlainOrder(keys, descending))
    want = pig_sorted(rows, keys, descending)
    assert [data.sort_bytes(r) for r in got] == [data.sort_bytes(r) for r in want]
    assert sorted(map(id, got)) == sorted(map(id, rows))  # the same row objects, none lost


def test_nulls_come_first_ascending_and_last_descending_in_their_order():
    a, b, c, d = ("x", None), ("y", 2.0), ("z", None), ("w", 1.0)
    rows = [a, b, c, d]
    assert sort_bag(rows, byte_key((1,), False), None, PlainOrder((1,), False)) == [a, c, d, b]
    assert sort_bag(rows, byte_key((1,), True), None, PlainOrder((1,), True)) == [b, d, a, c]
