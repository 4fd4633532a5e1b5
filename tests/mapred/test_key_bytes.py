"""Jobs whose map output keys are their own sort bytes (``sort_key = KEY_BYTES``, as Pig's
jobs declare) against plain Python, and ``serde.packb_many`` against ``packb``.

The jobs key rows by raw bytes (empty, prefixes of one another, NUL and 0xff bytes, keys that
look like other types' sort bytes): with a tiny sort buffer every map spills and merges, three
reducers check the partitioner keeps a key in one of them, and a declared ``GroupBytes`` cut
groups by the key less its last byte (a join's tag). The expected groups and their order come
from sorting the raw bytes in plain Python.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapred.api import Job
from mapred.errors import JobConfigError
from mapred.partition import KEY_BYTES, GroupBytes, make_sort_key
from mapred.runner import part_files, read_output, run_job
from mapred.serde import packb, packb_many, sort_bytes

KEYS = [b"", b"a", b"ab", b"a\x00", b"a\x00b", b"\x00", b"\xff", b"\xff\x00", b"@abc", b"P", b"z" * 300]


class _KeyedByBytes(Job):
    output_format = "records"
    sort_key = KEY_BYTES

    def map(self, offset, line):
        key, row = line.split("\t")
        yield bytes.fromhex(key), int(row)

    def reduce(self, key, values):
        yield key.hex(), sorted(values)


class _TaggedBytes(_KeyedByBytes):
    """The key's last byte is a tag: a group is the key without it (a Pig join's layout).
    Keys are escaped and terminated (NUL as NUL 0xff, then a NUL) as ``serde`` ends strings,
    so no group's bytes are a prefix of another's (``GroupBytes``' promise) and their order
    is the raw keys' order."""

    group_bytes = GroupBytes(-1)

    def map(self, offset, line):
        key, row = line.split("\t")
        escaped = bytes.fromhex(key).replace(b"\x00", b"\x00\xff") + b"\x00"
        yield escaped + bytes([int(row) % 3]), int(row)

    def reduce(self, key, values):
        yield key[:-2].replace(b"\x00\xff", b"\x00").hex(), sorted(values)


class _NotBytes(_KeyedByBytes):
    def map(self, offset, line):
        key, row = line.split("\t")
        yield key, int(row)


def _rows(seed: int = 3, n: int = 2000) -> list[tuple[bytes, int]]:
    rng = random.Random(seed)
    return [(rng.choice(KEYS), i) for i in range(n)]


def _inputs(tmp_path, rows) -> list[str]:
    paths = []
    for i in range(3):
        path = tmp_path / f"in{i}.tsv"
        path.write_text("".join(f"{k.hex()}\t{r}\n" for k, r in rows[i::3]))
        paths.append(str(path))
    return paths


def _conf(tmp_path) -> dict:
    return {
        "mapreduce.task.io.sort.mb": "0.01",  # each map spills several times
        "mapreduce.task.io.sort.factor": 2,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.job.reduces": 3,
    }


@pytest.mark.parametrize("job", [_KeyedByBytes, _TaggedBytes])
def test_bytes_keys_group_and_sort_as_plain_python(tmp_path, job) -> None:
    rows = _rows()
    result = run_job(job, _inputs(tmp_path, rows), str(tmp_path / "out"), _conf(tmp_path))
    assert result.succeeded, result.error
    fw = result.counters["Map-Reduce Framework"]
    assert fw["Spilled Records"] > 2 * fw["Map output records"]  # spills were merged
    expected = {
        k.hex(): sorted(r for _, r in g)
        for k, g in itertools.groupby(sorted(rows), key=lambda kr: kr[0])
    }
    got: dict[str, list[int]] = {}
    for part in part_files(result.output):
        keys = []
        for key, values in read_output(part, "records"):
            assert key not in got, f"group {key} reduced twice"
            got[key] = list(values)
            keys.append(bytes.fromhex(key))
        assert keys == sorted(keys)  # groups in the raw bytes' order
    assert got == expected


def test_a_key_that_is_not_bytes_fails_the_job(tmp_path) -> None:
    rows = _rows(n=50)
    result = run_job(_NotBytes, _inputs(tmp_path, rows), str(tmp_path / "out"), _conf(tmp_path))
    assert not result.succeeded
    assert "is not bytes" in str(result.error)


def test_key_bytes_sort_key_is_the_key_itself() -> None:
    sort_key = make_sort_key(_KeyedByBytes())
    assert sort_key is KEY_BYTES
    keys = list(KEYS)
    assert sort_key.many(keys) == keys
    assert all(sort_key(k) is k for k in keys)
    # the same order as the default sort bytes of bytes keys
    assert sorted(keys) == sorted(keys, key=sort_bytes)
    with pytest.raises(JobConfigError):
        sort_key.many([b"a", "a"])
    with pytest.raises(JobConfigError):
        sort_key("a")


@given(st.lists(st.one_of(st.binary(max_size=300), st.text(max_size=5), st.integers(-(2**63), 2**64 - 1))))
def test_packb_many_is_packb_of_each(objs) -> None:
    assert packb_many(objs) == [packb(o) for o in objs]


@given(st.lists(st.binary(min_size=250, max_size=70000), max_size=4))
def test_packb_many_long_bytes(objs) -> None:
    assert packb_many(objs) == [packb(o) for o in objs]
