"""MapOutputBuffer: spill + merge gives sorted(input) per partition; combining equals counting;
the buffer stays under its limit however much goes through it."""

from __future__ import annotations

import collections
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.buffer import CombiningBuffer, SortingBuffer
from mapred.merge import read_segment
from mapred.partition import hash_partitioner
from mapred.serde import packb, sort_bytes


def _buffer(cls, tmp, n, limit, factor=3, combine=None):
    return cls(
        num_partitions=n,
        partition=hash_partitioner(n),
        sort_key=sort_bytes,
        limit_bytes=limit,
        spill_dir=str(tmp),
        factor=factor,
        combine=combine,
    )


def _read(path, index):
    return [list(read_segment(path, off, length)) for off, length, _ in index]


def _sum(key, values):
    yield key, sum(values)


keys = st.one_of(st.integers(-50, 50), st.text(max_size=4))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(keys, st.integers(-(1 << 63), 1 << 63)), max_size=400),
    st.integers(1, 5),
    st.integers(20, 2000),
    st.integers(2, 4),
)
def test_spill_merge_equals_sorted_input(tmp_path_factory, pairs, n, limit, factor):
    tmp = tmp_path_factory.mktemp("buf")
    buf = _buffer(SortingBuffer, tmp, n, limit, factor)
    buf.consume(iter(pairs))
    path, index = buf.close()
    parts = _read(path, index)
    part = hash_partitioner(n)

    for p, records in enumerate(parts):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        assert all(part(k, packb(k), b"") == p for _, k, _ in records)
        assert len(records) == index[p][2]
    flat = sorted((sort_bytes(k), v) for recs in parts for _, k, v in recs)
    assert flat == sorted((sort_bytes(k), v) for k, v in pairs)
    assert buf.stats.output_records == len(pairs)
    assert sorted(os.listdir(tmp)) == ["file.out"]  # spills merged away


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(keys, st.integers(0, 9)), max_size=400),
    st.integers(1, 4),
    st.integers(20, 500),
)
def test_combining_buffer_equals_counter(tmp_path_factory, pairs, n, limit):
    tmp = tmp_path_factory.mktemp("cbuf")
    buf = _buffer(CombiningBuffer, tmp, n, limit, combine=_sum)
    buf.consume(iter(pairs))
    path, index = buf.close()
    totals = collections.Counter()
    for records in _read(path, index):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        for _, k, v in records:
            totals[k] += v
    expected = collections.Counter()
    for k, v in pairs:
        expected[k] += v
    assert {k: v for k, v in totals.items()} == {k: v for k, v in expected.items()}
    assert buf.stats.output_records == len(pairs)


def _pass_through(key, values):
    for v in values:
        yield key, v


ONE = 1
values_alike = st.sampled_from([ONE, ONE, ONE, 1.0, True, -0.0, 0.0, 2, "1"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(keys, values_alike), min_size=1, max_size=400), st.integers(20, 400))
def test_combining_buffer_keeps_every_value_as_emitted(tmp_path_factory, pairs, limit):
    """Values equal under == but not alike (1, 1.0, True; 0.0 and -0.0) reach the output as
    emitted, however often the same value object repeats."""
    tmp = tmp_path_factory.mktemp("cbuf")
    buf = _buffer(CombiningBuffer, tmp, 2, limit, combine=_pass_through)
    buf.consume(iter(pairs))
    path, index = buf.close()
    got = sorted((repr(k), repr(v)) for recs in _read(path, index) for _, k, v in recs)
    assert got == sorted((repr(k), repr(v)) for k, v in pairs)


def test_sorting_buffer_memory_bound(tmp_path):
    """4 MB of records through a 64 KB buffer: many spills, never more than the limit held."""
    limit = 64 * 1024
    buf = _buffer(SortingBuffer, tmp_path, 3, limit, factor=10)
    rng = random.Random(1)
    record_value = "x" * 200
    total = 0

    def records():
        nonlocal total
        for _ in range(20_000):
            total += 1
            yield f"k{rng.randrange(10**6)}", record_value

    buf.consume(records())
    held_at_end = buf._held_records()
    path, index = buf.close()
    assert buf.stats.output_bytes > 60 * limit
    assert buf.stats.spills >= 60
    # over by one record at most: 364 bytes held (its 221 record bytes, 12 bytes of partition
    # prefix and sort key, and _RECORD_MEMORY)
    assert buf.stats.peak_bytes <= limit + 364
    assert held_at_end * 200 <= limit  # what was still in memory fits the limit
    assert sum(entry[2] for entry in index) == total


def test_combining_buffer_memory_bound(tmp_path):
    """Many distinct keys through a small combining buffer: spills keep it bounded, and the
    merge (>= 3 spills) combines across spills."""
    limit = 32 * 1024
    buf = _buffer(CombiningBuffer, tmp_path, 2, limit, factor=4, combine=_sum)
    pairs = [(f"key{i % 20_000}", 1) for i in range(200_000)]
    buf.consume(iter(pairs))
    path, index = buf.close()
    assert buf.stats.spills >= 3
    assert buf.stats.peak_bytes <= 2 * limit
    assert buf.stats.combine[1] < buf.stats.combine[0]
    counts = collections.Counter()
    for records in _read(path, index):
        for _, k, v in records:
            counts[k] += v
    assert len(counts) == 20_000 and set(counts.values()) == {10}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), max_size=400), min_size=2, max_size=7),
    st.sampled_from([64, 300, 1 << 17]),
)
def test_merge_runs_is_a_stable_sorted_merge(runs, budget):
    """The block-wise k-way merge against sorted() of everything, stable by run order: equal
    sort keys (long runs of them crossing block ends) come out run by run, each in its order."""
    from mapred import merge

    tagged = [
        [(k.to_bytes(1, "big"), r, i) for i, k in enumerate(sorted(run))]
        for r, run in enumerate(runs)
    ]
    old, merge._MERGE_RECORDS = merge._MERGE_RECORDS, budget
    try:
        got = list(merge.merge_runs([iter(run) for run in tagged]))
    finally:
        merge._MERGE_RECORDS = old
    assert got == sorted((rec for run in tagged for rec in run), key=lambda rec: rec[0])


def test_distinct_tail_goes_in_as_records_and_equals_the_counter(tmp_path):
    """A map_cleanup tail of distinct keys (a dict's items, a list) skips the groups: the map
    output holds every key once with its value, sorted per partition, and spills honour the
    limit on the way."""
    counts = {f"w{i}": i for i in range(5000)}
    for tail, limit in ((counts.items(), 1 << 30), (list(counts.items()), 40 * 1024)):
        buf = _buffer(CombiningBuffer, tmp_path / str(limit), 3, limit, combine=_sum)
        buf.consume(tail)
        assert not buf._groups
        path, index = buf.close()
        got = {}
        for records in _read(path, index):
            assert [r[0] for r in records] == sorted(r[0] for r in records)
            got.update((k, v) for _, k, v in records)
        assert got == counts
        assert buf.stats.output_records == 5000
        assert (buf.stats.spills > 1) == (limit < 1 << 30)


def _traced_peak(consume):
    """Peak bytes Python allocated (tracemalloc) while `consume` ran, above what was live."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        consume()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


_FIXED = 768 << 10  # the packers' and the spill file's buffers, whatever the limit


def _large_keys(n):
    rng = random.Random(5)
    return ((f"key-{'x' * 300}-{rng.randrange(10**9)}", f"value {i} " * 8) for i in range(n))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _large_keys(40_000), id="large keys, distinct values"),
        pytest.param(
            lambda: ((f"k{i % 5000}", i) for i in range(150_000)),
            id="small records",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_sorting_buffer_real_memory_stays_near_its_limit(tmp_path, make):
    """What the buffer really holds, measured with tracemalloc, not its own accounting: each
    buffered record weighs its objects, so 2 MB of io.sort.mb is about 2 MB of memory (it held
    2.4x to 14x its limit when it counted only the serialized bytes)."""
    limit = 2 << 20
    buf = _buffer(SortingBuffer, tmp_path, 3, limit, factor=10)
    peak = _traced_peak(lambda: buf.consume(make()))
    assert buf.stats.spills >= 5
    assert peak <= 1.25 * limit + _FIXED, peak
    path, index = buf.close()
    assert sum(entry[2] for entry in index) == buf.stats.output_records


@pytest.mark.parametrize(
    "make, combine",
    [
        pytest.param(
            lambda: ((f"key{i % 50_000}", 1) for i in range(200_000)),
            _sum,
            id="counts",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            lambda: ((f"key{i % 500}", f"value-{i}") for i in range(200_000)),
            _pass_through,
            id="distinct values",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            lambda: ((f"{'k' * 300}{i % 3000}", i) for i in range(60_000)), _sum, id="large keys"
        ),
    ],
)
def test_combining_buffer_real_memory_stays_near_its_limit(tmp_path, make, combine):
    """The combining buffer's groups, lists and values measured with tracemalloc (it held 1.8x
    to 9x its limit, and never spilled 50,000 distinct keys under a 2 MB limit)."""
    limit = 2 << 20
    buf = _buffer(CombiningBuffer, tmp_path, 2, limit, factor=10, combine=combine)
    peak = _traced_peak(lambda: buf.consume(make()))
    assert buf.stats.spills >= 3
    assert peak <= 1.25 * limit + _FIXED, peak
    buf.close()


def test_combining_gives_up_when_keys_do_not_repeat(tmp_path):
    """Adaptive combining: a stream of distinct keys (a combiner cannot shrink it) is combined
    only until the buffer has seen a sample of it, then goes in as plain records; the output is
    every record, sorted per partition, and the reducer-side answer is unchanged."""
    pairs = [(f"id{i:07d}", i) for i in range(60_000)]
    random.Random(3).shuffle(pairs)
    buf = _buffer(CombiningBuffer, tmp_path, 2, 1 << 30, combine=_sum)
    buf.consume(iter(pairs))
    assert buf.passing
    path, index = buf.close()
    got = {}
    for records in _read(path, index):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        got.update((k, v) for _, k, v in records)
    assert got == dict(pairs)
    assert buf.stats.output_records == len(pairs)
    assert buf.stats.combine[0] < len(pairs) // 2  # the combiner saw the sample, not the rest
    assert buf.stats.spills == 0  # the sample's groups were kept in memory as records


@pytest.mark.parametrize("n", [1, 3])
def test_giving_up_keeps_the_combined_sample_in_memory(tmp_path, n):
    """Keys that repeat in the sample, then a long run of distinct ones: the buffer gives up
    combining without a spill (a spill then would cost a merge at close), and the output per
    partition is sorted and sums to the input's totals, the sample's keys combined."""
    head = [(f"k{i % 50:03d}", 1) for i in range(4_000)]
    tail = [(f"id{i:07d}", i) for i in range(40_000)] + head[:500]
    random.Random(5).shuffle(tail)
    pairs = head + tail
    buf = _buffer(CombiningBuffer, tmp_path, n, 1 << 30, combine=_sum)
    buf.consume(iter(pairs))
    assert buf.passing
    path, index = buf.close()
    assert buf.stats.spills == 0
    got = collections.Counter()
    part = hash_partitioner(n)
    for p, records in enumerate(_read(path, index)):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        for _, k, v in records:
            assert part.one(k, packb(k), sort_bytes(k)) == p
            got[k] += v
    want = collections.Counter()
    for k, v in pairs:
        want[k] += v
    assert got == want
    assert len(got) < buf.stats.output_records  # the sample's 50 keys went out combined


def test_combining_goes_on_when_keys_repeat(tmp_path):
    """Keys that repeat (a word count's) keep the combiner on for the whole task."""
    pairs = [(f"w{i % 300}", 1) for i in range(60_000)]
    buf = _buffer(CombiningBuffer, tmp_path, 2, 1 << 30, combine=_sum)
    buf.consume(iter(pairs))
    assert not buf.passing
    path, index = buf.close()
    got = collections.Counter()
    for records in _read(path, index):
        for _, k, v in records:
            got[k] += v
    assert got == collections.Counter(k for k, _ in pairs)
    assert buf.stats.combine[0] == len(pairs)


@pytest.mark.parametrize("n", [1, 3])
def test_final_merge_takes_what_is_in_memory_without_a_last_spill(tmp_path, n):
    """close() merges the spill files with what the buffer still holds (one more run, last):
    no spill file is written for it, every record comes out sorted per partition, and equal
    keys keep arrival order across the spills and the memory run."""
    pairs = [(f"k{i % 37}", i) for i in range(3000)]
    buf = _buffer(SortingBuffer, tmp_path, n, 40 * 1024, factor=100)
    buf.consume(iter(pairs))
    spills, spilled = buf.stats.spills, buf.stats.spilled_records
    assert spills >= 2 and buf._held_records()  # spilled, and holding the rest
    written = []
    real_write = buf._write
    buf._write = lambda path, spill=False: written.append(path) or real_write(path, spill)
    path, index = buf.close()
    assert written == [] and buf.stats.spills == spills  # no last spill
    assert sorted(os.listdir(tmp_path)) == ["file.out"]
    got = [(k, v) for records in _read(path, index) for _, k, v in records]
    assert sorted(got) == sorted(pairs)
    for records in _read(path, index):
        by_key = collections.defaultdict(list)
        for _, k, v in records:
            by_key[k].append(v)
        assert all(vs == sorted(vs) for vs in by_key.values())  # arrival order
    # what went to disk: the spills, then every record once in file.out
    assert buf.stats.spilled_records == spilled + len(pairs)
