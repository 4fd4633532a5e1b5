"""A combining buffer that gave up combining (the keys of its sample looked unique) still
combines each run of equal keys in the sorted records it spills or writes, as Hadoop combines
every spill's sorted run (``MapTask.sortAndSpill``): a hot key that turns up after the sample
(skewed data) reaches the reduce combined, not one record per map output record.

Answers are checked against plain Python (a Counter, or the values joined in arrival order)."""

from __future__ import annotations

import collections

import pytest

from mapred.api import Job
from mapred.buffer import CombiningBuffer
from mapred.merge import read_segment
from mapred.partition import KEY_BYTES, hash_partitioner
from mapred.runner import run_job
from mapred.serde import sort_bytes

_UNIQUE, _HOT = 20_000, 5_000


def _skewed(hot: str = "hot") -> list[tuple[str, int]]:
    """Unique keys first (combining is given up on them), then one key many times."""
    return [(f"id{i:06d}", i) for i in range(_UNIQUE)] + [(hot, 1)] * _HOT


def _buffer(tmp, n, limit, combine, sort_key=sort_bytes):
    return CombiningBuffer(
        num_partitions=n,
        partition=hash_partitioner(n),
        sort_key=sort_key,
        limit_bytes=limit,
        spill_dir=str(tmp),
        factor=10,
        combine=combine,
    )


def _sum(key, values):
    yield key, sum(values)


def _read(path, index):
    return [list(read_segment(path, off, length)) for off, length, _ in index]


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("hot", ["hot", "hot" * 1000], ids=["in memory", "spills"])
def test_hot_key_after_giving_up_is_combined(tmp_path, n, hot):
    pairs = _skewed(hot)
    buf = _buffer(tmp_path, n, 8 << 20, _sum)  # the sample fits: combining is given up
    buf.consume(iter(pairs))
    assert buf.passing
    assert (buf.stats.spills > 1) == (hot != "hot")  # a long hot key fills spills
    path, index = buf.close()
    got = collections.Counter()
    hot = 0
    for records in _read(path, index):
        assert [r[0] for r in records] == sorted(r[0] for r in records)
        for _, k, v in records:
            got[k] += v
            hot += k == pairs[-1][0]
    want = collections.Counter()
    for k, v in pairs:
        want[k] += v
    assert got == want
    # one record per spill (or one in all) for the hot key, not 5,000
    assert hot <= buf.stats.spills + 1 < 10
    assert buf.stats.combine[0] >= _HOT - 10  # the hot key's records went to the combiner
    # unique keys are not handed to the combiner one by one after giving up
    assert buf.stats.combine[0] < _UNIQUE // 2 + _HOT


def test_pair_layout_combines_equal_keys_in_arrival_order(tmp_path):
    """Bytes keys (their own sort bytes): the combiner sees a key's values in arrival order;
    only a key of more than a few records is combined (the buffer's ``_STRIDE``)."""
    pairs = [(b"u%06d" % i, b"x") for i in range(_UNIQUE)]
    pairs += [(b"hot", b"%d," % i) for i in range(2_000)]
    pairs.insert(15_000, (b"u000007", b"y"))  # a key of the sample seen again, after giving up

    def join(key, values):
        yield key, b"".join(values)

    buf = _buffer(tmp_path, 2, 1 << 30, join, sort_key=KEY_BYTES)
    buf.consume(iter(pairs))
    assert buf.passing
    path, index = buf.close()
    got: dict[bytes, bytes] = {}
    written = collections.Counter()
    for records in _read(path, index):
        keys = [r[0] for r in records]
        assert keys == sorted(keys)
        for k, v in records:  # the pair layout: (key, value) records
            got[k] = got.get(k, b"") + v
            written[k] += 1
    assert written[b"hot"] == 1  # combined
    assert written[b"u000007"] == 2  # a key of two records is left as it is
    want: dict[bytes, bytes] = {}
    for k, v in pairs:
        want[k] = want.get(k, b"") + v
    assert got == want


class _SkewedSum(Job):
    """Each input line makes the skewed stream: unique keys, then a hot one."""

    def map(self, offset, line):
        if line.strip() == "go":
            yield from _skewed()

    def combine(self, key, values):
        yield key, sum(values)

    def reduce(self, key, values):
        yield key, sum(values)


def test_job_reduce_input_counts_the_combined_hot_key(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("go\n")
    conf = {"mapreduce.cluster.local.dir": str(tmp_path / "local")}
    result = run_job(_SkewedSum, [str(src)], str(tmp_path / "out"), conf, executor="local")
    assert result.succeeded
    want = collections.Counter()
    for k, v in _skewed():
        want[k] += v
    assert dict(result.read_output()) == {k: str(v) for k, v in want.items()}
    framework = result.counters["Map-Reduce Framework"]
    assert framework["Map output records"] == _UNIQUE + _HOT
    assert framework["Reduce input records"] == _UNIQUE + 1


@pytest.mark.parametrize("size", [16, 17, 40])
@pytest.mark.parametrize("where", [0, 3, 9, 4_000, 11_990, 11_999])
def test_a_key_of_more_than_stride_records_is_combined_wherever_it_sorts(tmp_path, size, where):
    """Keys that sort before and after the repeated one (`where` of them before): it is
    combined exactly when it has more than 16 records (``_STRIDE``), wherever its records
    land in the sorted run, and every other record is written as it was."""
    pairs = [(f"id{i:06d}", i) for i in range(12_000)]
    repeated = f"id{where:06d}x"  # sorts right after the `where`-th unique key
    pairs += [(repeated, 1)] * size
    buf = _buffer(tmp_path, 1, 8 << 20, _sum)
    buf.consume(iter(pairs))
    assert buf.passing
    path, index = buf.close()
    (records,) = _read(path, index)
    got = collections.Counter()
    for _, k, v in records:
        got[k] += v
    want = collections.Counter()
    for k, v in pairs:
        want[k] += v
    assert got == want
    written = sum(k == repeated for _, k, _ in records)
    assert written == (1 if size > 16 else size)
    assert len(records) == 12_000 + written
