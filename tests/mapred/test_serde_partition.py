"""Property tests: byte sort keys order like Python, msgpack round trips, partitioner stable."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.partition import TotalOrderPartitioner, hash_partition, make_partitioner
from mapred.sampler import cut_points
from mapred.serde import iter_records, packb, sort_bytes, unpackb

ints = st.integers(min_value=-(1 << 63), max_value=(1 << 64) - 1)
floats = st.floats(allow_nan=False)
texts = st.text()
scalars = st.one_of(ints, texts)


def _cmp(a, b):
    return (a > b) - (a < b)


@given(st.lists(texts, min_size=2, max_size=20))
def test_str_order(keys):
    assert sorted(keys, key=sort_bytes) == sorted(keys)


@given(st.lists(st.one_of(ints, floats), min_size=2, max_size=20))
def test_number_order_and_equality(keys):
    for a, b in zip(keys, keys[1:]):
        assert _cmp(sort_bytes(a), sort_bytes(b)) == _cmp(a, b)


@given(st.lists(st.tuples(texts, ints), min_size=2), st.lists(st.tuples(ints, texts, ints)))
def test_tuple_order(pairs, triples):
    assert sorted(pairs, key=sort_bytes) == sorted(pairs)
    assert sorted(triples, key=sort_bytes) == sorted(triples)


@given(st.tuples(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF)), ints))
def test_str_int_pair_shortcut_is_the_general_encoding(pair):
    from mapred.serde import _elements

    assert sort_bytes(pair) == _elements(pair) == sort_bytes(list(pair))


@given(st.lists(st.tuples(st.lists(texts, max_size=3), texts), min_size=2, max_size=10))
def test_nested_and_prefix_order(keys):
    keys = [tuple(map(lambda x: tuple(x) if isinstance(x, list) else x, k)) for k in keys]
    assert sorted(keys, key=sort_bytes) == sorted(keys)


def test_mixed_types_have_a_fixed_order():
    keys = ["a", 3, None, (1,), b"x", 2.5, True]
    ordered = sorted(keys, key=sort_bytes)
    assert ordered == [None, True, 2.5, 3, "a", b"x", (1,)]


values = st.recursive(
    st.one_of(st.none(), st.booleans(), ints, floats, texts, st.binary()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=10,
)


def _tuplify(v):
    if isinstance(v, list):
        return tuple(_tuplify(x) for x in v)
    if isinstance(v, dict):
        return {k: _tuplify(x) for k, x in v.items()}
    return v


@given(values)
def test_round_trip(value):
    assert unpackb(packb(value)) == _tuplify(value)


@given(st.lists(st.tuples(scalars, values), max_size=30))
def test_segment_round_trip(records):
    # a record is one msgpack array of three (mapred.serde): 0x93, then its three objects
    data = b"".join(b"\x93" + packb(sort_bytes(k)) + packb(k) + packb(v) for k, v in records)
    got = list(iter_records(data))
    assert [(k, v) for _, k, v in got] == [(_tuplify(k), _tuplify(v)) for k, v in records]


@given(scalars, st.integers(min_value=1, max_value=500))
def test_hash_partition_stable_and_in_range(key, n):
    kb = packb(key)
    p = hash_partition(kb, n)
    assert 0 <= p < n
    assert p == hash_partition(packb(key), n)


def test_hash_partition_is_the_same_in_another_process():
    keys = ["alpha", "beta", 12345, ("x", 1)]
    here = [hash_partition(packb(k), 7) for k in keys]
    code = (
        "from mapred.partition import hash_partition; from mapred.serde import packb;"
        f"print([hash_partition(packb(k), 7) for k in {keys!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(here)


@settings(max_examples=50)
@given(st.lists(texts, min_size=1, max_size=200), st.integers(min_value=2, max_value=9))
def test_total_order_partitions_are_ordered_ranges(keys, n):
    part = TotalOrderPartitioner(cut_points([sort_bytes(k) for k in keys], n))
    parts = [part(k, b"", sort_bytes(k)) for k in sorted(keys)]
    assert parts == sorted(parts)
    assert all(0 <= p < n for p in parts)


def test_user_partition_out_of_range_is_a_clear_error():
    from mapred.api import Job
    from mapred.errors import JobConfigError

    class Bad(Job):
        def partition(self, key, n):
            return n

    part = make_partitioner(Bad(), 3, None)
    try:
        part("k", b"", b"")
    except JobConfigError as e:
        assert "must be in 0..2" in str(e)
    else:
        raise AssertionError("no error")


_batch_keys = st.one_of(
    st.lists(st.text(max_size=5)),
    st.lists(st.binary(max_size=5)),  # keys that are already sort bytes (Pig's)
    st.lists(st.tuples(st.text(max_size=4), st.integers(-(1 << 64), 1 << 64))),
    # (str, int) keys whose ints span a small range (a join's tags): packed through a table
    st.lists(st.tuples(st.text(max_size=4), st.integers(-3, 3))),
    st.lists(st.tuples(st.text(max_size=4), st.integers((1 << 63) - 300, (1 << 63) - 1))),
    st.lists(st.tuples(st.text(max_size=4), st.integers(-(1 << 63), -(1 << 63) + 300))),
    st.lists(
        st.one_of(
            st.text(max_size=3),
            st.integers(-(1 << 64), 1 << 64),
            st.tuples(st.text(), st.booleans()),
        )
    ),
)


@settings(max_examples=200, deadline=None)
@given(_batch_keys)
def test_sort_bytes_many_is_sort_bytes_of_each(keys):
    from mapred.serde import sort_bytes_many

    assert sort_bytes_many(keys) == [sort_bytes(k) for k in keys]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=6)), st.integers(2, 9))
def test_partition_many_is_the_partitioner_of_each(kbs, n):
    from mapred.partition import as_partitioner, hash_partitioner

    for part in (hash_partitioner(n), TotalOrderPartitioner(sorted(kbs)[: n - 1])):
        typed = as_partitioner(part)
        assert list(typed.many(kbs, kbs, kbs)) == [typed.one(k, k, k) for k in kbs]
        assert [typed.one(k, k, k) for k in kbs] == [part(k, k, k) for k in kbs]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=3), st.integers(0, 3))), st.integers(2, 9))
def test_group_key_partitioner_batch_form_is_the_same(keys, n):
    class Grouped:
        def group_key(self, key):
            return key[0]

    part = make_partitioner(Grouped(), n, {})
    kbs = [packb(k) for k in keys]
    assert list(part.many(keys, kbs, kbs)) == [part.one(k, b, b) for k, b in zip(keys, kbs)]


@given(st.lists(st.one_of(st.integers(), st.floats(allow_nan=False)), min_size=2, max_size=30))
def test_sort_bytes_orders_numbers_of_any_size(values):
    """Keys are Python ints of any size (and floats): their sort bytes order them as numbers
    (ints far past 64 bits included; -2**80 and 2**80 raised OverflowError)."""
    by_bytes = sorted(values, key=sort_bytes)
    for a, b in zip(by_bytes, by_bytes[1:]):
        assert a <= b or (a == b)


def test_sort_bytes_of_huge_ints() -> None:
    huge = [-(2**400), -(2**80), -(2**64) - 1, -(2**63), 0, 2**63, 2**72, 2**80, 2**400]
    assert sorted(huge, key=sort_bytes) == huge
    assert len({sort_bytes(v) for v in huge}) == len(huge)
