"""The binary record file: round trips (types included) and every record exactly once per split."""

from __future__ import annotations

import datetime
import decimal
import io
import uuid

import fsspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfs.conf import Configuration
from mapred.io import InputSplit, RecordFileInputFormat
from mapred.recordfile import (
    HEADER_SIZE,
    RecordFileError,
    RecordFileReader,
    RecordFileWriter,
    decode,
    encode,
    read_records,
)

MEM = fsspec.filesystem("memory")


def typed(value):
    """A structure that compares equal only when types match too (1 != 1.0 != True, () != [])."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    if isinstance(value, dict):
        return ("dict", sorted((repr(typed(k)), typed(v)) for k, v in value.items()))
    return (type(value).__name__, value)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**80), 2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.binary(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=4).map(tuple)
    | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3),
    max_leaves=12,
)
records = st.lists(st.tuples(values, values), max_size=60)


def write_file(recs, block_bytes=64 * 1024) -> bytes:
    buf = io.BytesIO()
    writer = RecordFileWriter(buf, block_bytes=block_bytes, close_file=False)
    for key, value in recs:
        writer.write(key, value)
    writer.close()
    return buf.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recs=records, block_bytes=st.integers(1, 300), split_size=st.integers(1, 400))
def test_every_record_once_across_splits(recs, block_bytes, split_size):
    data = write_file(recs, block_bytes)
    found = []
    for start in range(0, len(data), split_size):
        found.extend(RecordFileReader(io.BytesIO(data), start, start + split_size))
    assert typed(found) == typed([tuple(r) for r in recs])


@settings(max_examples=60, deadline=None)
@given(recs=records, cut_fracs=st.lists(st.floats(0, 1), max_size=5))
def test_arbitrary_cut_points(recs, cut_fracs):
    data = write_file(recs, block_bytes=50)
    bounds = [0, *sorted(int(f * len(data)) for f in cut_fracs), len(data)]
    found = []
    for start, end in zip(bounds, bounds[1:]):
        found.extend(RecordFileReader(io.BytesIO(data), start, end))
    assert typed(found) == typed([tuple(r) for r in recs])


@given(value=values)
def test_encode_round_trip_keeps_types(value):
    assert typed(decode(encode(value))) == typed(value)


def test_tuples_lists_and_extension_types_round_trip():
    value = {
        "t": (1, (2, [3, (4,)])),
        "l": [(), []],
        "big": 2**100,
        "when": datetime.datetime(2024, 2, 29, 12, 30, tzinfo=datetime.timezone.utc),
        "dec": decimal.Decimal("3.1400"),
        (1, "k"): b"\x00raw",
    }
    back = decode(encode(value))
    assert back == value
    assert typed(back) == typed(value)


def test_blocks_are_cut_near_block_bytes():
    # each record packs to 1 (small int) + 2 + 100 (str8) = 103 bytes: a block closes at the
    # 10th record (1030 >= 1000), so 100 records make 10 blocks
    data = write_file([(i, "v" * 100) for i in range(100)], block_bytes=1000)
    sync = data[HEADER_SIZE - 16 : HEADER_SIZE]
    assert data.count(sync) - 1 == 10
    reader = RecordFileReader(io.BytesIO(data))
    assert len(list(reader)) == 100
    assert reader.bytes_read == len(data) - HEADER_SIZE


def test_read_records_by_url_and_by_filesystem():
    path = f"/t{uuid.uuid4().hex}/r.bin"
    recs = [(i, (str(i), [i])) for i in range(1000)]
    with MEM.open(path, "wb") as f:
        writer = RecordFileWriter(f, block_bytes=512)
        for r in recs:
            writer.write(*r)
        writer.close()
    size = MEM.size(path)
    assert list(read_records("memory://" + path)) == recs
    halves = list(read_records(MEM, 0, size // 2, path=path)) + list(
        read_records(MEM, size // 2, size, path=path)
    )
    assert halves == recs
    MEM.rm(path.rsplit("/", 1)[0], recursive=True)


def _record_file_in_memory() -> tuple[str, list[tuple]]:
    """A record file of 3000 records in small blocks on the memory filesystem."""
    path = f"/t{uuid.uuid4().hex}/r.bin"
    recs = [((i % 7, "k"), {"n": i}) for i in range(3000)]
    with MEM.open(path, "wb") as f, RecordFileWriter(f, block_bytes=700) as writer:
        for r in recs:
            writer.write(*r)
    return path, recs


def test_input_format_reads_record_files_in_splits():
    path, recs = _record_file_in_memory()
    conf = Configuration({"mapreduce.input.fileinputformat.split.maxsize": 2000}, load_site=False)
    fmt = RecordFileInputFormat()
    splits = fmt.get_splits(["memory://" + path], conf)
    assert len(splits) > 5
    found, total = [], 0
    for split in splits:
        found.extend(fmt.read(split, conf))
        total += fmt.bytes_read
    assert found == recs
    assert total == MEM.size(path) - HEADER_SIZE
    MEM.rm(path.rsplit("/", 1)[0], recursive=True)


def test_empty_record_file_has_no_records():
    data = write_file([])
    assert len(data) == HEADER_SIZE
    assert list(RecordFileReader(io.BytesIO(data))) == []
    path = f"/t{uuid.uuid4().hex}/empty.bin"
    MEM.pipe(path, data)
    split = InputSplit("memory://" + path, 0, len(data))
    assert list(RecordFileInputFormat().read(split, Configuration(load_site=False))) == []
    MEM.rm(path.rsplit("/", 1)[0], recursive=True)


def test_not_a_record_file():
    with pytest.raises(RecordFileError, match="not a record file"):
        list(RecordFileReader(io.BytesIO(b"hello world, plain text\n"), name="x.txt"))


def test_truncated_file_is_reported():
    data = write_file([(i, "x" * 50) for i in range(50)], block_bytes=10**6)
    with pytest.raises(RecordFileError, match="truncated"):
        list(RecordFileReader(io.BytesIO(data[:-10]), name="cut.bin"))


def test_unencodable_value():
    writer = RecordFileWriter(io.BytesIO(), close_file=False)
    with pytest.raises(TypeError, match="object"):
        writer.write("k", object())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    recs=st.lists(st.tuples(values, values), max_size=9000),
    block_bytes=st.sampled_from([1, 200, 64 * 1024]),
    split_size=st.integers(50, 4000),
)
def test_write_many_writes_what_write_writes(recs, block_bytes, split_size):
    """`write_many` (a batch packed at once; batches of 4096) gives the same records, in order
    and exactly once across splits, as `write` record by record."""
    buf = io.BytesIO()
    writer = RecordFileWriter(buf, block_bytes=block_bytes, close_file=False)
    assert writer.write_many(iter(recs)) == len(recs)
    writer.close()
    data = buf.getvalue()
    found = []
    for start in range(0, len(data), split_size):
        found.extend(RecordFileReader(io.BytesIO(data), start, start + split_size))
    assert typed(found) == typed([tuple(r) for r in recs])


def test_write_many_refuses_what_write_refuses():
    writer = RecordFileWriter(io.BytesIO(), close_file=False)
    with pytest.raises(ValueError):
        writer.write_many([(1, 2), (1, 2, 3)])


def test_write_many_across_batches_and_blocks():
    recs = [(i, ("v" * (i % 7), i / 3, None)) for i in range(10_000)]
    buf = io.BytesIO()
    writer = RecordFileWriter(buf, block_bytes=5000, close_file=False)
    writer.write_many(recs[:4100])
    writer.write(*recs[4100])
    writer.write_many(iter(recs[4101:]))
    writer.close()
    data = buf.getvalue()
    found = []
    for start in range(0, len(data), 7777):
        found.extend(RecordFileReader(io.BytesIO(data), start, start + 7777))
    assert found == recs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recs=records, block_bytes=st.integers(1, 300), split_size=st.integers(1, 400))
def test_batches_are_the_records_per_block(recs, block_bytes, split_size):
    """`RecordFileReader.batches`: each block's keys and values, together every record once."""
    data = write_file(recs, block_bytes)
    keys, values = [], []
    for start in range(0, len(data), split_size):
        for ks, vs in RecordFileReader(io.BytesIO(data), start, start + split_size).batches():
            assert len(ks) == len(vs) > 0
            keys += ks
            values += vs
    assert typed(list(zip(keys, values))) == typed([tuple(r) for r in recs])


def test_input_format_batches_are_its_records_with_the_same_progress():
    path, recs = _record_file_in_memory()
    conf = Configuration({"mapreduce.input.fileinputformat.split.maxsize": 2000}, load_site=False)
    fmt = RecordFileInputFormat()
    found, total = [], 0
    for split in fmt.get_splits(["memory://" + path], conf):
        for keys, values in fmt.read_batches(split, conf):
            assert 0 < fmt.bytes_read <= split.length + 700
            found += zip(keys, values)
        total += fmt.bytes_read
    assert found == recs
    assert total == MEM.size(path) - HEADER_SIZE
    MEM.rm(path.rsplit("/", 1)[0], recursive=True)
