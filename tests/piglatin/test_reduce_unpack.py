"""`reducebatch.unpacked_groups`: a reduce batch's packed values read by one Unpacker give what
`storage.unpack_value` gives each of them (bags and datetimes, Pig's msgpack extensions,
included), group by group; a batch with a value that is not packed bytes is left to the
caller (None)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.reducebatch import unpacked_groups
from piglatin.back.storage import pack_value, unpack_value

ATOMS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC) + timedelta(0)
    ),
)
VALUES = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(tuple),  # a tuple
        st.lists(st.lists(inner, max_size=2).map(tuple), max_size=3),  # a bag of tuples
        st.dictionaries(st.text(max_size=3), inner, max_size=2),  # a map
    ),
    max_leaves=6,
)
GROUPS = st.lists(st.lists(VALUES, min_size=1, max_size=4), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups=GROUPS)
def test_one_unpacker_reads_what_unpack_value_reads(groups) -> None:
    batch = [(b"k%d" % i, [pack_value(v) for v in vs]) for i, vs in enumerate(groups)]
    got = unpacked_groups(batch)
    assert got == [[unpack_value(p) for p in vs] for _kb, vs in batch]


def test_a_value_not_packed_is_left_to_the_caller() -> None:
    assert unpacked_groups([(b"a", [pack_value((1, 2))]), (b"b", [7])]) is None
    assert unpacked_groups([(b"a", [pack_value((1, 2)) + pack_value(3)])]) is None
