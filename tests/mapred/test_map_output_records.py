"""The map side's records end to end: buffer -> spills -> merge -> map output file -> reduce-side
merge of several map outputs -> grouping, against plain Python (``sorted`` with the job's sort
key, ``itertools.groupby`` with its grouping key), under buffers small enough to spill many
times, several partitions, custom sort and grouping comparators, and combiners.

The buffer keeps each record as the bytes the map output file holds (framed sort bytes, key,
value), made on arrival; spills frame those bytes again and merges hand them on unread. Every
record read back must carry its own key's sort bytes, its own key and value, in the job's order,
stable among equal sort keys (the arrival order within a map, map order across maps)."""

from __future__ import annotations

import collections
import itertools
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.buffer import CombiningBuffer, SortingBuffer
from mapred.grouping import group_batches, groups
from mapred.merge import merge_blocks, read_segment
from mapred.partition import GroupBytes, as_sort_key, hash_partitioner
from mapred.serde import packb, sort_bytes

keys = st.one_of(
    st.integers(-30, 30),
    st.text(alphabet="ab\x00é", max_size=3),
    st.tuples(st.sampled_from(["x", "y", "xy"]), st.integers(-3, 3)),
    st.binary(max_size=300),  # longer than a bin8: sort bytes framed with a bin16 header
)
values = st.one_of(
    st.integers(-(1 << 63), (1 << 64) - 1), st.text(max_size=5), st.none(), st.binary(max_size=4)
)


def _descending(key):
    """A custom comparator: the natural sort bytes complemented, so keys of one type come
    mostly in descending order (equal keys have equal sort bytes)."""
    return bytes(255 - b for b in sort_bytes(key)) + b"\xff"


SORTS = {
    "natural": sort_bytes,
    "descending": _descending,
    "by length": lambda key: sort_bytes(len(packb(key))),  # many keys share a sort key
}


def _buffer(cls, tmp, n, limit, sort, factor, combine=None, min_spills=3):
    return cls(
        num_partitions=n,
        partition=hash_partitioner(n),
        sort_key=as_sort_key(sort),
        limit_bytes=limit,
        spill_dir=str(tmp),
        factor=factor,
        min_spills_for_combine=min_spills,
        combine=combine,
    )


def _map_output(tmp, pairs, n, limit, sort, factor, chunk):
    """Run the pairs through a sorting buffer, `chunk` pairs per consume; the file and index."""
    buf = _buffer(SortingBuffer, tmp, n, limit, sort, factor)
    for i in range(0, len(pairs), chunk):
        buf.consume(iter(pairs[i : i + chunk]))
    path, index = buf.close()
    assert os.listdir(tmp) == ["file.out"]  # every spill merged away
    assert buf.stats.output_records == len(pairs)
    assert buf.stats.output_bytes == sum(len(packb(k)) + len(packb(v)) for k, v in pairs)
    return path, index, buf.stats.spills


def _partition_of(n):
    part = hash_partitioner(n)
    return lambda key: part(key, packb(key), b"")


@settings(max_examples=60, deadline=None)
@given(
    maps=st.lists(st.lists(st.tuples(keys, values), max_size=120), min_size=1, max_size=3),
    n=st.integers(1, 4),
    limit=st.integers(200, 4000),
    factor=st.integers(2, 4),
    chunk=st.integers(1, 50),
    sort=st.sampled_from(sorted(SORTS)),
)
def test_reduce_input_is_stable_sort_of_map_outputs(
    tmp_path_factory, maps, n, limit, factor, chunk, sort
):
    sort_key = SORTS[sort]
    outputs = []
    for pairs in maps:
        tmp = tmp_path_factory.mktemp("map")
        outputs.append(_map_output(tmp, pairs, n, limit, sort_key, factor, chunk))
    part = _partition_of(n)
    for p in range(n):
        streams = [read_segment(path, *index[p][:2]) for path, index, _ in outputs]
        got = list(itertools.chain.from_iterable(merge_blocks(streams)))
        # Python's answer: every map's pairs of this partition, in map order, stably sorted
        mine = [(k, v) for pairs in maps for k, v in pairs if part(k) == p]
        expected = sorted(mine, key=lambda kv: sort_key(kv[0]))
        assert [(k, v) for _, k, v in got] == [(_tup(k), _tup(v)) for k, v in expected]
        assert [skb for skb, _, _ in got] == [sort_key(k) for k, _ in expected]
        for (_path, index, _), pairs in zip(outputs, maps, strict=True):
            assert index[p][2] == sum(part(k) == p for k, _ in pairs)


def _tup(x):
    return tuple(_tup(y) for y in x) if isinstance(x, list | tuple) else x


class _Job:
    """A job with a grouping comparator: group by the key's first element (tuples) or type."""

    @staticmethod
    def group_key(key):
        return key[0] if isinstance(key, tuple) else type(key).__name__


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(st.tuples(keys, values), max_size=300),
    limit=st.integers(200, 3000),
    factor=st.integers(2, 3),
    batch_limit=st.integers(1, 8),
)
def test_groups_equal_groupby_of_sorted(tmp_path_factory, pairs, limit, factor, batch_limit):
    """Grouping by sort bytes, by a ``group_key`` method (after a sort that keeps a group's keys
    together), and by a byte prefix (``group_bytes``), through spills: itertools.groupby's."""
    tmp = tmp_path_factory.mktemp("map")

    def sort_key(key):  # a group's keys together (its name in 5 bytes), then natural order
        return _Job.group_key(key).ljust(5).encode() + sort_bytes(key)

    path, index, _ = _map_output(tmp, pairs, 1, limit, sort_key, factor, 7)
    ordered = sorted(pairs, key=lambda kv: sort_key(kv[0]))

    def expected(by):
        return [
            (_tup(group[0][0]), [_tup(v) for _, v in group])
            for group in (list(g) for _, g in itertools.groupby(ordered, key=by))
        ]

    def blocks():
        return merge_blocks([read_segment(path, *index[0][:2])])

    state = [None, 0]
    got = [(k, list(vs)) for k, vs in groups(object(), blocks(), state)]
    assert got == expected(lambda kv: sort_key(kv[0]))
    assert state[1] == len(got)

    got = [(k, list(vs)) for k, vs in groups(_Job(), blocks(), [None, 0])]
    assert got == expected(lambda kv: _Job.group_key(kv[0]))

    class Prefix:  # the grouping comparator as a byte prefix: the group's name
        group_bytes = GroupBytes(5)

    by_cut = [(k, list(vs)) for k, vs in groups(Prefix(), blocks(), [None, 0])]
    assert by_cut == expected(lambda kv: _Job.group_key(kv[0]))

    batched = []
    for batch, key, vals in group_batches(blocks(), None, [None, 0], batch_limit):
        batched += batch if batch is not None else [(key, list(vals))]
    assert batched == expected(lambda kv: sort_key(kv[0]))


def _sum_counts(key, counts):
    yield key, sum(counts)


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(st.tuples(keys, st.integers(0, 5)), min_size=150, max_size=400),
    n=st.integers(1, 3),
    limit=st.integers(100, 800),
    min_spills=st.integers(1, 4),
    sort=st.sampled_from(["natural", "descending"]),  # distinct keys never sort equal
)
def test_combined_on_merge_equals_counter(tmp_path_factory, pairs, n, limit, min_spills, sort):
    """A combiner on every spill and on the final merge (its records decoded from spill bytes
    and made again): per key, the sums Python counts, each key once per partition, in order."""
    tmp = tmp_path_factory.mktemp("cmap")
    sort_key = SORTS[sort]
    buf = _buffer(CombiningBuffer, tmp, n, limit, sort_key, 3, _sum_counts, min_spills)
    buf.consume(iter(pairs))
    spills = buf.stats.spills
    path, index = buf.close()
    if spills >= min_spills:  # combined on the final merge (of spills' records) too
        assert buf.stats.combine[0] > len(pairs)
    totals: collections.Counter = collections.Counter()
    part = _partition_of(n)
    for p in range(n):
        records = list(read_segment(path, *index[p][:2]))
        assert [skb for skb, _, _ in records] == [sort_key(k) for _, k, _ in records]
        assert [skb for skb, _, _ in records] == sorted(skb for skb, _, _ in records)
        for _, k, v in records:
            assert part(k) == p
            totals[k] += v
    expected: collections.Counter = collections.Counter()
    for k, v in pairs:
        expected[_tup(k)] += v
    assert dict(totals) == dict(expected)
