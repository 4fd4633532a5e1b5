"""A GROUP key of several columns gets its sort bytes a run of columns at a time in the
generated code (`Generator.fast_row_key`: a run of chararrays as one str encoded once, a run
of numbers as one struct call); the bytes must be `data.sort_bytes` of the key tuple for
every row: nulls, NULs and non-ASCII or lone-surrogate text, negative and huge numbers,
NaN, -0.0, infinities, a bool or a float in an int column (a UDF's), which take the general
form. Checked for the inline expression the in-map GROUP fold writes and for
`codegen.row_encoder`, against the independent `sort_bytes` (and its order: sorting by the
bytes is sorting by `data.sort_key`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back import codegen as CG
from piglatin.model import data
from piglatin.model.schema import DataType as T

TYPES = [T.CHARARRAY, T.INT, T.LONG, T.DOUBLE]

texts = st.text(alphabet=st.sampled_from("ab\x00\x01\x06é😀\ud800\uffff"), max_size=5)
ints = st.integers(-(2**31), 2**31 - 1)
longs = st.integers(-(2**63), 2**63 - 1)
doubles = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([-0.0, 0.0, 2.0**63])
odd = st.sampled_from([True, False, 1.5, "7", b"x"])  # another type than the column's

VALUES = {
    T.CHARARRAY: st.none() | texts,
    T.INT: st.none() | ints,
    T.LONG: st.none() | longs,
    T.DOUBLE: st.none() | doubles,
}


@st.composite
def typed_rows(draw):
    types = draw(st.lists(st.sampled_from(TYPES), min_size=2, max_size=7))
    rows = draw(
        st.lists(
            st.tuples(*[VALUES[t] | odd if draw(st.booleans()) else VALUES[t] for t in types]),
            min_size=1,
            max_size=20,
        )
    )
    return types, rows


def _inline(types) -> object:
    """The generated expression of `Generator.row_key_bytes` over locals, as a function."""
    gen = CG.Generator(None)
    names = [f"x{i}" for i in range(len(types))]
    expr = gen.row_key_bytes(types, names, CG.key_memos(types))
    assert expr is not None
    gen.emit(0, f"def key({', '.join(names)}):")
    gen.emit(1, f"return {expr}")
    return CG.Pipeline("key", "\n".join(gen.lines) + "\n", gen.ns).function()


@settings(max_examples=300, deadline=None)
@given(typed_rows())
def test_fast_row_keys_are_sort_bytes(case):
    types, rows = case
    inline = _inline(types)
    encoder = CG.row_encoder(types, CG.key_memos(types))
    for row in rows:
        want = data.sort_bytes(row)
        assert inline(*row) == want, row
        assert encoder(row) == want, row
    got = sorted(rows, key=lambda r: inline(*r))
    assert [data.sort_key(r) for r in got] == sorted(data.sort_key(r) for r in rows)


def test_a_run_of_columns_is_encoded_at_once():
    gen = CG.Generator(None)
    expr = gen.row_key_bytes([T.CHARARRAY, T.CHARARRAY, T.LONG, T.LONG], ["a", "b", "c", "d"])
    assert expr is not None and expr.count(".encode(") == 3  # one fast, two per-field
    assert "_kt" in expr and "_np" in expr
