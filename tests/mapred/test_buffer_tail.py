"""A map task's last pairs (``consume_last``: what ``map_cleanup`` returned) written at once.

The map output must be what the plain way writes: per partition the records of every pair,
sorted stably by sort bytes, checked here against plain Python (``sorted`` of the pairs by their
sort bytes, in arrival order among equal keys), with the same counters. Tails that cannot be
written at once (a buffer already holding data, a tail over the limit, keys to combine, pairs
that are not pairs) still come out right.
"""

from __future__ import annotations

import random

import pytest

from mapred.buffer import CombiningBuffer, SortingBuffer
from mapred.merge import read_segment
from mapred.partition import hash_partitioner
from mapred.serde import packb, sort_bytes


def _buffer(cls, tmp, n, limit=1 << 20, combine=None):
    return cls(
        num_partitions=n,
        partition=hash_partitioner(n),
        sort_key=sort_bytes,
        limit_bytes=limit,
        spill_dir=str(tmp),
        combine=combine,
    )


def _sum(key, values):
    yield key, sum(values)


def _expected(pairs, n):
    """Per partition: (sort bytes, key, value) sorted stably by sort bytes (plain Python)."""
    part = hash_partitioner(n)
    out = [[] for _ in range(n)]
    for k, v in pairs:
        out[part(k, packb(k), sort_bytes(k))].append((sort_bytes(k), k, v))
    return [sorted(records, key=lambda r: r[0]) for records in out]


def _written(buf):
    path, index = buf.close()
    return [list(read_segment(path, off, length)) for off, length, _ in index]


def _pairs(seed, n, distinct):
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(n if distinct else n // 4)] + ["", "é", "a\x00b"]
    keys = rng.sample(words, n) if distinct else [rng.choice(words) for _ in range(n)]
    return [(k, rng.choice([1, -7, 2**40, "x", None, (1, "t")])) for k in keys]


@pytest.mark.parametrize("n", [1, 2, 3, 7])  # one partition, a few (compress), many (dealt)
@pytest.mark.parametrize("kind", [list, tuple, dict])
def test_sorting_buffer_tail_is_plain_sort(tmp_path, n, kind):
    pairs = _pairs(n, 500, distinct=kind is dict)
    tail = dict(pairs).items() if kind is dict else kind(pairs)
    buf = _buffer(SortingBuffer, tmp_path, n)
    buf.consume_last(tail)
    assert buf.stats.spills == 0
    assert _written(buf) == _expected(list(tail), n)
    assert buf.stats.output_records == len(tail) == buf.stats.spilled_records
    assert buf.stats.output_bytes == sum(len(packb(k)) + len(packb(v)) for k, v in tail)


@pytest.mark.parametrize("n", [1, 2, 7])
def test_combining_buffer_distinct_tail_is_plain_sort(tmp_path, n):
    counts = dict(_pairs(11, 800, distinct=True))
    buf = _buffer(CombiningBuffer, tmp_path, n, combine=_sum)
    buf.consume_last(counts.items())
    assert _written(buf) == _expected(list(counts.items()), n)
    assert buf.stats.combine == [0, 0]  # distinct keys: nothing to combine


def test_combining_buffer_tail_with_repeated_keys_is_combined(tmp_path):
    pairs = [(f"k{i % 10}", 1) for i in range(300)]
    buf = _buffer(CombiningBuffer, tmp_path, 2, combine=_sum)
    buf.consume_last(pairs)
    got = sorted((k, v) for part in _written(buf) for _, k, v in part)
    assert got == [(f"k{i}", 30) for i in range(10)]


def test_tail_after_other_output_merges_with_it(tmp_path):
    first = [(f"a{i}", i) for i in range(100)]
    tail = [(f"b{i}", i) for i in range(100)] + [("a5", "again")]
    buf = _buffer(SortingBuffer, tmp_path, 2)
    buf.consume(iter(first))
    buf.consume_last(tail)
    assert _written(buf) == _expected(first + tail, 2)


def test_tail_over_the_limit_spills(tmp_path):
    pairs = _pairs(5, 2000, distinct=False)
    buf = _buffer(SortingBuffer, tmp_path, 3, limit=20_000)
    buf.consume_last(pairs)
    assert buf.stats.spills > 1
    got, expected = _written(buf), _expected(pairs, 3)
    # keys in order; values of one key in any order (merge passes need not keep arrival order)
    assert [[r[:2] for r in part] for part in got] == [[r[:2] for r in part] for part in expected]
    assert [sorted(map(repr, part)) for part in got] == [sorted(map(repr, p)) for p in expected]


def test_tail_that_is_not_pairs_fails_as_before(tmp_path):
    bad = [("k", 1)] * 100 + [("k", 1, 2)]
    buf = _buffer(SortingBuffer, tmp_path, 2)
    with pytest.raises((TypeError, ValueError)):
        buf.consume_last(bad)


def test_tail_with_long_keys_counts_its_output_bytes(tmp_path):
    pairs = [("k" * (200 + i * 3), i) for i in range(100)]  # sort bytes past 255 bytes too
    buf = _buffer(SortingBuffer, tmp_path, 2)
    buf.consume_last(pairs)
    assert _written(buf) == _expected(pairs, 2)
    assert buf.stats.output_bytes == sum(len(packb(k)) + len(packb(v)) for k, v in pairs)


def test_tail_with_a_value_msgpack_cannot_write_fails(tmp_path):
    buf = _buffer(SortingBuffer, tmp_path, 2)
    with pytest.raises(TypeError):
        buf.consume_last([(f"k{i}", {1, 2} if i == 70 else i) for i in range(100)])


@pytest.mark.parametrize("limit", [1 << 20, 6_000])  # in memory; spilling on the way
def test_distinct_tail_after_groups_joins_them_as_records(tmp_path, limit):
    """A combining buffer that holds groups (pairs the map emitted on the way) takes a tail of
    distinct keys as records, not into the groups: the output holds every key in sort order
    per partition, the groups combined, and the sums per key are plain Python's."""
    early = [(f"k{i % 40}", 1) for i in range(400)]
    tail = [(f"k{i}", 100 + i) for i in range(20, 300)]  # distinct; k20..k39 also in early
    buf = _buffer(CombiningBuffer, tmp_path, 3, limit=limit, combine=_sum)
    buf.consume(iter(early))
    buf.consume_last(tail)
    assert not buf._groups and not buf._counts
    parts = _written(buf)
    want: dict = {}
    for k, v in early + tail:
        want[k] = want.get(k, 0) + v
    got: dict = {}
    for part, records in zip(_expected(early + tail, 3), parts, strict=True):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        assert {r[1] for r in records} == {r[1] for r in part}  # each key in its partition
        for _, k, v in records:
            got[k] = got.get(k, 0) + v
    assert got == want
    s = buf.stats
    assert s.output_records == len(early) + len(tail)
    written = sum(map(len, parts))
    assert s.combine[0] - s.combine[1] == s.output_records - written  # combining removed them
