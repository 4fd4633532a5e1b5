"""``reduce_groups``: ``reduce_batch`` with each batch flat (``mapred.grouping.GroupRuns``).

``group_runs`` is checked against plain Python's ``itertools.groupby`` over the same records cut
into blocks at random places (the same groups in the same order, none split between batches,
one past the limit alone and lazy, ``ends`` None exactly when every group of a batch holds one
value); jobs defining ``reduce_groups`` are run end to end (several maps, spills, three
reducers, a group bigger than a batch may hold, ``group_key`` and ``group_bytes`` grouping)
against counts made by plain Python.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.grouping import GroupRuns, group_runs
from mapred.partition import GroupBytes
from tests.mapred.test_reduce_batch import (
    _blocks,
    _lines,
    _Pairs,
    _plain_groups,
    _records,
    _run,
    _Words,
    _words,
)


def _split(runs: GroupRuns) -> list[tuple]:
    """The groups of a batch, read by the documented layout (independently of ``pairs``)."""
    if runs.ends is None:
        return [(k, [v]) for k, v in zip(runs.keys, runs.values, strict=True)]
    assert len(runs.ends) == len(runs.keys) and runs.ends[-1] == len(runs.values)
    starts = [0, *runs.ends[:-1]]
    return [(k, runs.values[a:b]) for k, a, b in zip(runs.keys, starts, runs.ends, strict=True)]


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.integers(0, 40), max_size=150),
    cuts=st.lists(st.integers(0, 200), max_size=8),
    limit=st.integers(1, 20),
    read=st.integers(0, 30),
)
def test_runs_are_the_groups_of_plain_groupby(keys, cuts, limit, read):
    records = _records(keys)
    state = [None, 0]
    got, big = [], []
    for runs, key, values in group_runs(iter(_blocks(records, cuts)), None, state, limit):
        if runs is not None:
            assert runs.keys, "an empty batch"
            groups = _split(runs)
            assert (runs.ends is None) == all(len(vs) == 1 for _, vs in groups)
            assert runs.pairs() == groups
            assert state[0] == runs.keys[0]
            got += groups
            continue
        head = list(itertools.islice(values, read))  # a reducer may read part of a big group
        big.append(key)
        got.append((key, head))
    expected = _plain_groups(records)
    assert [k for k, _ in got] == [k for k, _ in expected]
    for (key, values), (_, want) in zip(got, expected, strict=True):
        if key in big:
            assert len(want) > limit
            assert values == want[: len(values)] and len(values) == min(read, len(want))
        else:
            assert len(want) <= limit
            assert values == want
    assert state[1] == len(expected)


def test_distinct_keys_come_flat_and_mixed_blocks_carry_ends():
    records = _records([1, 2, 3, 4, 5, 5, 6])
    runs = [r for r, _, _ in group_runs(iter([records[:4], records[4:]]), None, [None, 0], 10)]
    assert runs[0] == GroupRuns(["k1", "k2", "k3"], [0, 1, 2], None)  # k4 is still open
    flat = [g for r in runs for g in r.pairs()]
    assert flat == [("k1", [0]), ("k2", [1]), ("k3", [2]), ("k4", [3]), ("k5", [4, 5]), ("k6", [6])]


class _WordsFlat(_Words):
    """Word count through ``reduce_groups``; a ``reduce_batch`` that must not be used."""

    def reduce_batch(self, groups):
        raise AssertionError("reduce_groups is defined: reduce_batch must not be called")

    def reduce_groups(self, runs):
        return [(key, ("batch", sum(values))) for key, values in _split(runs)]


class _PairsFlatByFunction(_Pairs):
    def group_key(self, key):
        return key[0]

    def reduce_groups(self, runs):
        return [(key[0], ("batch", list(values))) for key, values in _split(runs)]


class _PairsFlatByBytes(_PairsFlatByFunction):
    group_bytes = GroupBytes(-10)


def test_reduce_groups_job_counts_like_plain_python(tmp_path):
    words = _words()
    result, rows = _run(tmp_path, _WordsFlat, words)
    expected = Counter(w for i in range(3) for line in _lines(words, i) for w in line.split())
    got = {word: total for word, (_, total) in rows}
    assert got == expected
    assert len(rows) == len(expected)  # each group reduced once
    how = {word: kind for word, (kind, _) in rows}
    assert how["hot"] == "lazy"  # past the batch limit: reduce, read lazily
    assert Counter(how.values())["batch"] == len(expected) - 1
    fw = result.counters["Map-Reduce Framework"]
    assert fw["Reduce input groups"] == len(expected)
    assert fw["Reduce output records"] == len(expected)


@pytest.mark.parametrize("job", [_PairsFlatByFunction, _PairsFlatByBytes])
def test_reduce_groups_follows_the_grouping_comparator(tmp_path, job):
    words = _words(seed=11)
    result, rows = _run(tmp_path, job, words)
    expected: dict[str, list[int]] = {}
    for i in range(3):
        for line in _lines(words, i):
            for n, word in enumerate(line.split()):
                expected.setdefault(word, []).append(n % 3)
    got = {}
    for word, (_kind, values) in rows:
        assert word not in got, f"group {word!r} reduced twice"
        assert list(values) == sorted(values)  # the secondary sort within the group
        got[word] = sorted(values)
    assert got == {w: sorted(v) for w, v in expected.items()}
    assert result.counters["Map-Reduce Framework"]["Reduce input groups"] == len(expected)
