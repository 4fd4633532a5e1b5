"""-0.0 and 0.0 as key bytes, checked against Pig's comparators: a tuple's double fields
compare with Double.compare (BinInterSedes: -0.0 < 0.0, two keys), a key of one double with
DoubleWritable's `<`/`==` (-0.0 == 0.0, one key). The generated encoders give the bytes of
`data.sort_bytes` / `data.field_sort_bytes`, with and without their fast forms and memos."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from piglatin.back.codegen import fill_key_memos, key_encoder, key_memos, row_encoder
from piglatin.model import data
from piglatin.model.schema import DataType

D, C, N = DataType.DOUBLE, DataType.CHARARRAY, DataType.INT


def java_double_compare(a: float, b: float) -> int:
    """Double.compare: by the bits of the doubles (NaN aside), so -0.0 < 0.0."""
    if a < b:
        return -1
    if a > b:
        return 1
    ba, bb = (struct.unpack(">q", struct.pack(">d", x))[0] for x in (a, b))
    return (ba > bb) - (ba < bb)


def test_one_double_key_keeps_minus_zero_equal_to_zero() -> None:
    encode = key_encoder([D])
    assert encode(-0.0) == encode(0.0) == data.sort_bytes(0.0) == data.sort_bytes(-0.0)


def test_a_tuple_key_tells_minus_zero_from_zero() -> None:
    for encode in (key_encoder([D, C]), row_encoder([D, C]), data.sort_bytes):
        assert encode((-0.0, "a")) != encode((0.0, "a"))
        assert encode((-0.0, "a")) == data.sort_bytes((-0.0, "a"))
        assert encode((0.0, "a")) == data.sort_bytes((0.0, "a"))
    rows = [(0.0, 1), (-0.0, 1), (-5e-324, 1), (5e-324, 1), (-1.0, 1), (0, 1)]
    assert sorted(rows, key=data.sort_bytes) == sorted(rows, key=data.sort_key)
    assert sorted(rows, key=data.sort_bytes)[:4] == [(-1.0, 1), (-5e-324, 1), (-0.0, 1), (0.0, 1)]


def test_memos_never_answer_for_a_zero() -> None:
    types = [D, N]
    memos = key_memos(types)
    keys = [(0.0, 1), (0.0, 1), (2.5, 1), (2.5, 1)]
    fill_key_memos(memos, types, keys)
    encode = row_encoder(types, memos)
    assert encode((-0.0, 1)) == data.sort_bytes((-0.0, 1)) != encode((0.0, 1))
    assert encode((2.5, 1)) == data.sort_bytes((2.5, 1))


doubles = st.floats(allow_nan=False) | st.sampled_from([0.0, -0.0, 5e-324, -5e-324])


@given(st.lists(st.tuples(doubles, doubles), min_size=2, max_size=2))
def test_tuple_bytes_order_doubles_as_double_compare(pair: list) -> None:
    (a, b), (c, d) = pair
    expected = java_double_compare(a, c) or java_double_compare(b, d)
    for encode in (data.sort_bytes, row_encoder([D, D]), key_encoder([D, D])):
        x, y = encode((a, b)), encode((c, d))
        assert ((x > y) - (x < y)) == expected
    kx, ky = data.sort_key((a, b)), data.sort_key((c, d))
    assert ((kx > ky) - (kx < ky)) == expected
