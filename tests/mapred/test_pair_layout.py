"""The pair layout of map output records (``mapred.serde``): a job whose keys are their own sort
bytes (``sort_key = KEY_BYTES``) writes each record as its key and its value, with no array
header and no second copy of the key as sort bytes.

Every path that writes map output is checked against plain Python (the pairs sorted stably by
their raw key bytes, dealt to partitions by the default hash of the packed key): the sorting
buffer, the combining buffer (combined groups, counted copies of one value, combining given
up), a distinct-key tail written at once, spills merged with and without the combiner, several
partitions, values of every kind (bytes, None, tuples, lists, long bytes). The reduce side's
grouping (``group_runs``, ``groups``) reads pair-layout records as it reads triples.
"""

from __future__ import annotations

import random
from itertools import groupby

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.buffer import CombiningBuffer, SortingBuffer
from mapred.grouping import group_batches, group_runs, groups
from mapred.merge import merge_blocks, read_segment
from mapred.partition import KEY_BYTES, hash_partitioner
from mapred.serde import packb, unpackb


class _Job:
    """What ``groups`` asks of a job: no grouping comparator of its own."""


def _buffer(cls, tmp, n, limit=1 << 20, combine=None):
    return cls(
        num_partitions=n,
        partition=hash_partitioner(n),
        sort_key=KEY_BYTES,
        limit_bytes=limit,
        spill_dir=str(tmp),
        factor=2,
        min_spills_for_combine=2,
        combine=combine,
    )


def _expected(pairs, n):
    """Per partition the (key, value) pairs sorted stably by key (plain Python); values as
    msgpack reads them back (lists as tuples)."""
    part = hash_partitioner(n)
    out = [[] for _ in range(n)]
    for k, v in pairs:
        out[part(k, packb(k), k)].append((k, unpackb(packb(v))))
    return [sorted(records, key=lambda r: r[0]) for records in out]


def _written(buf):
    path, index = buf.close()
    return path, index, [list(read_segment(path, off, length)) for off, length, _ in index]


def _sum(key, values):
    yield key, sum(values)


_VALUES = [b"", b"v", b"x" * 300, None, 7, (1, b"row"), (2, [b"a", b"b"]), "text", b"y" * 70000]


def _pairs(seed, n, keys=50, values=_VALUES):
    rng = random.Random(seed)
    pool = [b"", b"\x00", b"\xff", b"k\x00", b"z" * 300] + [b"k%d" % i for i in range(keys)]
    return [(rng.choice(pool), rng.choice(values)) for _ in range(n)]


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("limit", [1 << 22, 3000])  # in memory; many spills merged
def test_sorting_buffer_writes_pairs(tmp_path, n, limit):
    pairs = _pairs(1, 3000)
    buf = _buffer(SortingBuffer, tmp_path, n, limit)
    buf.consume(iter(pairs))
    path, index, got = _written(buf)
    assert got == _expected(pairs, n)
    assert (buf.stats.spills > 1) == (limit < 1 << 20)
    # the file is each record's key and value packed, nothing else
    with open(path, "rb") as f:
        size = len(f.read())
    assert size == sum(len(packb(k)) + len(packb(v)) for k, v in pairs)
    assert buf.stats.output_bytes == size
    assert sum(entry[2] for entry in index) == len(pairs)


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("limit", [1 << 22, 2000])
def test_combining_buffer_writes_pairs(tmp_path, n, limit):
    one = 1
    pairs = _pairs(2, 4000, keys=30, values=[one, 2, 3])
    buf = _buffer(CombiningBuffer, tmp_path, n, limit, combine=_sum)
    buf.consume(iter(pairs))
    _, _, got = _written(buf)
    for p, records in enumerate(got):
        keys = [k for k, _ in records]
        assert keys == sorted(keys)
        sums = {k: sum(v for _, v in g) for k, g in groupby(records, key=lambda r: r[0])}
        expected = {}
        for k, v in _expected(pairs, n)[p]:
            expected[k] = expected.get(k, 0) + v
        assert sums == expected


def test_combining_given_up_writes_pairs(tmp_path):
    """Keys that hardly repeat: the combining buffer passes records on serialized."""
    rng = random.Random(3)
    pairs = [(b"u%06d" % rng.randrange(10**6), b"v%d" % i) for i in range(30000)]
    buf = _buffer(CombiningBuffer, tmp_path, 2, 1 << 24, combine=lambda k, vs: [(k, b"".join(vs))])
    buf.consume(iter(pairs))
    assert buf.passing
    _, _, got = _written(buf)
    for p, records in enumerate(got):  # combined or not, each key's values joined in order
        expected = {}
        for k, v in _expected(pairs, 2)[p]:
            expected[k] = expected.get(k, b"") + v
        assert dict(records) == expected or sorted(dict(records)) == sorted(expected)
        assert [k for k, _ in records] == sorted(k for k, _ in records)


@pytest.mark.parametrize("cls", [SortingBuffer, CombiningBuffer])
def test_distinct_tail_written_at_once_as_pairs(tmp_path, cls):
    tail = {b"t%04d" % i: (i, b"row") for i in range(500)}
    buf = _buffer(cls, tmp_path, 3, combine=_sum if cls is CombiningBuffer else None)
    buf.consume_last(tail.items())
    _, _, got = _written(buf)
    assert got == _expected(list(tail.items()), 3)
    assert buf.stats.output_bytes == sum(len(packb(k)) + len(packb(v)) for k, v in tail.items())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.binary(max_size=6),
            st.one_of(st.binary(max_size=40), st.integers(-(2**63), 2**63 - 1), st.none()),
        ),
        max_size=300,
    ),
    st.sampled_from([1, 2, 4]),
    st.sampled_from([1 << 20, 600]),
)
def test_any_pairs_through_spills_and_merges(tmp_path_factory, pairs, n, limit):
    tmp = tmp_path_factory.mktemp("pairs")
    buf = _buffer(SortingBuffer, tmp, n, limit)
    buf.consume(iter(pairs))
    assert _written(buf)[2] == _expected(pairs, n)


def _blocks(records, size):
    return iter([records[i : i + size] for i in range(0, len(records), size)])


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_grouping_reads_pairs(size):
    """The reduce side's grouping of pair-layout records equals that of the same records as
    (sort bytes, key, value) triples, and plain Python's groups."""
    pairs = sorted(_pairs(4, 400, keys=20, values=[1, b"v", None, (1, 2)]), key=lambda r: r[0])
    triples = [(k, k, v) for k, v in pairs]
    expected = [(k, [v for _, v in g]) for k, g in groupby(pairs, key=lambda r: r[0])]
    for limit in (None, 5):  # big groups go alone, lazily
        got_runs, got_batches = [], []
        for runs, key, values in group_runs(_blocks(pairs, size), None, [None, 0], limit):
            got_runs += runs.pairs() if runs is not None else [(key, list(values))]
        for batch, key, values in group_batches(_blocks(triples, size), None, [None, 0], limit):
            got_batches += batch if batch is not None else [(key, list(values))]
        assert got_runs == expected == got_batches
    state = [None, 0]
    got = [(k, list(vs)) for k, vs in groups(_Job(), _blocks(pairs, size), state)]
    assert got == expected and state[1] == len(expected)


def test_grouping_reads_pairs_after_an_empty_first_block():
    """An empty block before the first records (the merge may give one) does not decide the
    layout: pairs are still read as pairs."""
    pairs = sorted(_pairs(8, 50, keys=5, values=[1, b"v"]), key=lambda r: r[0])
    expected = [(k, [v for _, v in g]) for k, g in groupby(pairs, key=lambda r: r[0])]
    state = [None, 0]
    got = [(k, list(vs)) for k, vs in groups(_Job(), iter([[], pairs]), state)]
    assert got == expected and state[1] == len(expected)


def test_merged_segments_of_pairs(tmp_path):
    """Several maps' pair-layout segments merge into one sorted stream, stable by map."""
    outputs, pairs_all = [], []
    for i in range(3):
        pairs = _pairs(10 + i, 500)
        pairs_all += pairs
        buf = _buffer(SortingBuffer, tmp_path / f"m{i}", 1)
        buf.consume(iter(pairs))
        path, index = buf.close()
        outputs.append(read_segment(path, *index[0][:2]))
    merged = [r for block in merge_blocks(outputs) for r in block]
    assert merged == _expected(pairs_all, 1)[0]


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize(
    "limit",
    [1 << 22, pytest.param(20000, marks=pytest.mark.slow), 3000],  # 20000: a few spills
)
@pytest.mark.parametrize("order", ["bytes-first", "mixed-first"])
def test_emitted_pairs_and_records_mixed(tmp_path, n, limit, order):
    """Runs of (key, bytes) tuples (held as emitted) and of other values (held as records)
    in one buffer, through spills, the final merge of spills and memory, or one write."""
    plain = _pairs(5, 3000, values=[b"", b"v", b"x" * 300, b"y" * 70000])
    other = _pairs(6, 3000, values=[None, 7, (1, b"row"), b"v"])
    listed = [list(pair) for pair in _pairs(7, 200, values=[b"w"])]  # not tuples
    runs = [plain, other, plain, listed] if order == "bytes-first" else [other, plain, listed]
    pairs = [tuple(pair) for run in runs for pair in run]
    buf = _buffer(SortingBuffer, tmp_path, n, limit)
    for run in runs:
        buf.consume(iter(run))
    _, _, got = _written(buf)
    assert got == _expected(pairs, n)
    assert buf.stats.output_bytes == sum(len(packb(k)) + len(packb(v)) for k, v in pairs)
