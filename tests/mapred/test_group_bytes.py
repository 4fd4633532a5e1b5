"""Grouping by a declared byte prefix of the sort key (``GroupBytes``) against plain Python.

The jobs key each row by ``(name, tag)`` and group by the name: through a general ``group_key``
method, and through ``group_bytes = GroupBytes(-10)`` (a (str, small int) key's sort bytes end in
the int's 10 bytes). Names include the empty string, names that are prefixes of one another and
names with NUL bytes; a tiny sort buffer makes every map spill several times and merge, and three
reducers check the partitioner sends a group to one of them. The expected groups come from
sorting and grouping the rows in plain Python.
"""

from __future__ import annotations

import itertools
import random

import pytest

from mapred.api import Job
from mapred.errors import JobConfigError
from mapred.partition import GroupBytes, make_partitioner
from mapred.runner import part_files, read_output, run_job
from mapred.serde import packb, sort_bytes

NAMES = ["", "a", "ab", "abc", "a\x00", "a\x00b", "b", "\x00", "é", "éa", "zz", "z"]
TAGS = 3


class _Tagged(Job):
    output_format = "records"

    def map(self, offset, line):
        name, tag, row = line.split("\t")
        name = name.replace("<NUL>", "\x00")
        yield (name, int(tag)), (int(tag), int(row))

    def sort_key(self, key):
        return key

    def reduce(self, key, values):
        yield key[0], list(values)


class GroupedByFunction(_Tagged):
    def group_key(self, key):
        return key[0]


class GroupedByBytes(_Tagged):
    group_bytes = GroupBytes(-10)


class GroupedByBytesNotFunction(GroupedByBytes):
    """Declares both: ``group_bytes`` decides, so the function is never called."""

    def group_key(self, key):
        raise AssertionError("group_key called although group_bytes is declared")


class BadGroupBytes(_Tagged):
    group_bytes = -10


def _rows(seed=3, n=3000):
    rng = random.Random(seed)
    return [(rng.choice(NAMES), rng.randrange(TAGS), i) for i in range(n)]


def _write_inputs(tmp_path, rows):
    paths = []
    for i in range(3):  # three files: three or more maps
        path = tmp_path / f"in{i}.tsv"
        with open(path, "w", encoding="utf-8") as f:
            for name, tag, row in rows[i::3]:
                f.write(f"{name.replace(chr(0), '<NUL>')}\t{tag}\t{row}\n")
        paths.append(str(path))
    return paths


def _expected(rows):
    """name -> its (tag, row) values: plain Python's sort and groupby."""
    ordered = sorted(rows, key=lambda r: (sort_bytes(r[0]), r[1]))
    return {
        name: sorted((tag, row) for _, tag, row in group)
        for name, group in itertools.groupby(ordered, key=lambda r: r[0])
    }


def _conf(tmp_path):
    return {
        "mapreduce.task.io.sort.mb": "0.01",  # ~8 KB: each map spills several times
        "mapreduce.task.io.sort.factor": 2,  # and merges in more than one pass
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.job.reduces": 3,
    }


def _check(result, rows):
    assert result.succeeded, result.error
    fw = result.counters["Map-Reduce Framework"]
    assert fw["Spilled Records"] > 2 * fw["Map output records"]  # spills were merged
    expected = _expected(rows)
    got = {}
    for part in part_files(result.output):
        names = []
        for name, values in read_output(part, "records"):
            assert name not in got, f"group {name!r} reduced twice (split or in two partitions)"
            tags = [tag for tag, _ in values]
            assert tags == sorted(tags)  # the secondary sort: values by tag within the group
            got[name] = sorted(tuple(v) for v in values)
            names.append(name)
        assert names == sorted(names, key=sort_bytes)  # groups in sort order
    assert got == expected


@pytest.mark.parametrize("job", [GroupedByFunction, GroupedByBytes, GroupedByBytesNotFunction])
def test_grouping_matches_plain_python(tmp_path, job):
    rows = _rows()
    inputs = _write_inputs(tmp_path, rows)
    result = run_job(job, inputs, str(tmp_path / "out"), _conf(tmp_path), executor="local")
    _check(result, rows)


def test_group_bytes_on_the_cluster_executor(tmp_path):
    rows = _rows(seed=5, n=1500)
    inputs = _write_inputs(tmp_path, rows)
    result = run_job(
        GroupedByBytes, inputs, str(tmp_path / "out"), _conf(tmp_path), executor="cluster"
    )
    _check(result, rows)


def test_group_bytes_partitioner_keeps_a_group_together():
    part = make_partitioner(GroupedByBytes(), 7, {})
    for name in NAMES:
        keys = [(name, tag) for tag in range(TAGS)]
        parts = set(part.many(keys, list(map(packb, keys)), list(map(sort_bytes, keys))))
        assert len(parts) == 1
        assert 0 <= parts.pop() < 7
        assert part(keys[0], packb(keys[0]), sort_bytes(keys[0])) in range(7)


def test_group_bytes_must_be_declared_as_group_bytes(tmp_path):
    rows = _rows(n=10)
    inputs = _write_inputs(tmp_path, rows)
    result = run_job(BadGroupBytes, inputs, str(tmp_path / "out"), _conf(tmp_path), "local")
    assert not result.succeeded
    assert "BadGroupBytes.group_bytes is -10" in result.error
    with pytest.raises(JobConfigError, match="GroupBytes"):
        make_partitioner(BadGroupBytes(), 2, {})
