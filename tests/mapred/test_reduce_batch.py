"""``reduce_batch`` (Hadoop's ``Reducer.run`` override) and the grouping behind it.

``mapred.grouping.group_batches`` is checked against plain Python's ``itertools.groupby`` over
the same records cut into blocks at random places: the same groups in the same order, no group
split between batches, a group past the limit handed alone and lazily (also when its reducer
reads only part of it). Jobs defining ``reduce_batch`` are run end to end (several maps,
spills, three reducers, a group bigger than a batch may hold, secondary grouping through
``group_key`` and ``group_bytes``) against counts made by plain Python, with Hadoop's counters.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred import grouping
from mapred.api import Job
from mapred.grouping import group_batches
from mapred.partition import GroupBytes
from mapred.runner import part_files, read_output, run_job


def _records(keys: list[int]) -> list[tuple]:
    """(sort bytes, key, value) records of sorted integer keys; the value numbers the record."""
    return [(k.to_bytes(2, "big"), f"k{k}", i) for i, k in enumerate(sorted(keys))]


def _blocks(records: list, cuts: list[int]) -> list[list]:
    edges = sorted({0, len(records), *[c % (len(records) + 1) for c in cuts]})
    return [records[a:b] for a, b in itertools.pairwise(edges)] + [[]]


def _plain_groups(records: list) -> list[tuple]:
    out = []
    for _, group in itertools.groupby(records, key=lambda r: r[0]):
        group = list(group)
        out.append((group[0][1], [r[2] for r in group]))
    return out


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(st.integers(0, 12), max_size=120),
    cuts=st.lists(st.integers(0, 200), max_size=8),
    limit=st.integers(1, 20),
    read=st.integers(0, 30),
)
def test_batches_are_the_groups_of_plain_groupby(keys, cuts, limit, read):
    records = _records(keys)
    state = [None, 0]
    got, big = [], []
    for batch, key, values in group_batches(iter(_blocks(records, cuts)), None, state, limit):
        if batch is not None:
            assert batch, "an empty batch"
            got += batch
            continue
        # a big group: read only its first `read` values, as a reducer may; the rest is skipped
        head = list(itertools.islice(values, read))
        big.append(key)
        got.append((key, head))
    expected = _plain_groups(records)
    assert [k for k, _ in got] == [k for k, _ in expected]
    for (key, values), (_, want) in zip(got, expected, strict=True):
        if key in big:
            assert len(want) > limit
            assert values == want[: len(values)] and len(values) == min(read, len(want))
        else:  # every group past the limit goes alone and lazily, the others in batches
            assert len(want) <= limit
            assert values == want
    assert state[1] == len(expected)


def test_a_group_is_never_split_between_batches():
    records = _records([1] * 5 + [2] * 3 + [3] + [4] * 7)
    blocks = [records[:3], records[3:6], records[6:9], records[9:]]
    batches = [b for b, _, _ in group_batches(iter(blocks), None, [None, 0], 100)]
    seen = [key for batch in batches for key, _ in batch]
    assert seen == ["k1", "k2", "k3", "k4"]  # each once: none cut in two


class _Words(Job):
    """Word count; `reduce_batch` counts a batch's groups, `reduce` a big group."""

    output_format = "records"

    def map(self, offset, line):
        for word in line.split():
            yield word, 1

    def reduce(self, key, values):
        yield key, ("lazy", sum(values))

    def reduce_batch(self, groups):
        return [(key, ("batch", sum(values))) for key, values in groups]


class _Pairs(Job):
    """(word, n) keys grouped by the word: batches must follow the grouping comparator."""

    output_format = "records"

    def map(self, offset, line):
        for n, word in enumerate(line.split()):
            yield (word, n % 3), n % 3

    def sort_key(self, key):
        return key

    def reduce(self, key, values):
        yield key[0], ("lazy", sorted(values))

    def reduce_batch(self, groups):
        return [(key[0], ("batch", list(values))) for key, values in groups]


class _PairsByFunction(_Pairs):
    def group_key(self, key):
        return key[0]


class _PairsByBytes(_Pairs):
    group_bytes = GroupBytes(-10)


def _input(tmp_path, words: list[str]) -> list[str]:
    paths = []
    for i in range(3):
        path = tmp_path / f"in{i}.txt"
        path.write_text("\n".join(_lines(words, i)))
        paths.append(str(path))
    return paths


def _conf(tmp_path) -> dict:
    return {
        "mapreduce.task.io.sort.mb": "0.05",
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.job.reduces": 3,
    }


def _words(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{rng.randrange(2000)}" for _ in range(9000)]
    return words + ["hot"] * (grouping.BATCH_GROUP_LIMIT + 900)  # one group past a batch


def _run(tmp_path, job, words):
    result = run_job(job, _input(tmp_path, words), str(tmp_path / "out"), _conf(tmp_path))
    assert result.succeeded, result.error
    rows = [row for part in part_files(result.output) for row in read_output(part, "records")]
    return result, rows


def test_reduce_batch_job_counts_like_plain_python(tmp_path):
    words = _words()
    result, rows = _run(tmp_path, _Words, words)
    read = [line.split() for i in range(3) for line in _lines(words, i)]
    expected = Counter(w for line in read for w in line)
    got = {word: total for word, (_, total) in rows}
    assert got == expected
    assert len(rows) == len(expected)  # each group reduced once
    how = {word: kind for word, (kind, _) in rows}
    assert how["hot"] == "lazy"  # past the batch limit: reduce, read lazily
    assert Counter(how.values())["batch"] == len(expected) - 1
    fw = result.counters["Map-Reduce Framework"]
    assert fw["Reduce input groups"] == len(expected)
    assert fw["Reduce output records"] == len(expected)


def _lines(words: list[str], i: int) -> list[str]:
    """File `i`'s lines: the words seven to a line, every third line."""
    lines = [" ".join(words[j : j + 7]) for j in range(0, len(words), 7)]
    return lines[i::3]


@pytest.mark.parametrize("job", [_PairsByFunction, _PairsByBytes])
def test_reduce_batch_follows_the_grouping_comparator(tmp_path, job):
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


class _Failing(_Words):
    def reduce_batch(self, groups):
        for key, _values in groups:
            if key == "w13":
                raise ValueError("bad word")
        return super().reduce_batch(groups)


def test_a_failing_batch_fails_the_job_and_names_a_key(tmp_path):
    words = [f"w{i}" for i in range(40)]
    result = run_job(
        _Failing, _input(tmp_path, words), str(tmp_path / "out"), {"mapreduce.job.reduces": 1}
    )
    assert not result.succeeded
    assert "bad word" in result.error
    assert "reduce key" in result.error
