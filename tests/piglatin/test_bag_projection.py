"""`exprs.deref` of a bag (``B.x``, ``B.(x, y)``): each row's fields, a row too short for a
column giving a null there (a schemaless load's short line), as Pig's POProject of a bag
gives them; a null bag projects to null. Expected rows from plain Python."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from piglatin.back.exprs import deref

ROWS = st.lists(
    st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=4).map(tuple), max_size=8
)


def _field(row: tuple, c: int) -> object:
    return row[c] if c < len(row) else None


@given(bag=st.one_of(st.none(), ROWS), c=st.integers(0, 3))
def test_one_column_of_a_bag(bag, c) -> None:
    got = deref(lambda t: t[0], (c,), True)((bag,))
    assert got == (None if bag is None else [(_field(r, c),) for r in bag])


@given(bag=ROWS)
def test_several_columns_of_rows_wide_enough(bag) -> None:
    wide = [r + (None,) * (2 - len(r)) for r in bag]
    got = deref(lambda t: t[0], (1, 0), True)((wide,))
    assert got == [(r[1], r[0]) for r in wide]
