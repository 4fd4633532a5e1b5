"""`reducebatch.unpacked_groups` reads a batch's values as one msgpack array: each group gets
exactly the objects its own values hold, or the batch is left to the caller (None) — also
when the values' objects add up to the count but not value by value (a value of two objects
beside an empty one), and for a batch of more values than a 16-bit array header counts."""

from __future__ import annotations

from piglatin.back.reducebatch import unpacked_groups
from piglatin.back.storage import pack_value, unpack_value


def test_objects_that_only_add_up_are_left_to_the_caller() -> None:
    two = pack_value((1, 2)) + pack_value(3)
    assert unpacked_groups([(b"a", [two]), (b"b", [b""])]) is None
    assert unpacked_groups([(b"a", [two, b""])]) is None


def test_a_batch_past_a_16_bit_count() -> None:
    groups = [(b"k%d" % i, [pack_value((i, "x" * (i % 3)))] * (1 + i % 2)) for i in range(50000)]
    got = unpacked_groups(groups)
    assert got == [[unpack_value(p) for p in vs] for _kb, vs in groups]


def test_a_cut_value_is_left_to_the_caller() -> None:
    whole = pack_value(("abc", 1.5))
    assert unpacked_groups([(b"a", [whole[:3]]), (b"b", [whole[3:]])]) is None
