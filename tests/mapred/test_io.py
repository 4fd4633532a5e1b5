"""Input splits and line readers, checked against plain-Python answers (bytes.split, a regex split at line terminators)."""

from __future__ import annotations

import gzip
import random
import re
import uuid

import fsspec
import msgpack
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfs.conf import Configuration
from mapred.errors import JobConfigError
from mapred.io import (
    InputSplit,
    KeyValueTextInputFormat,
    NLineInputFormat,
    TextInputFormat,
    balanced_max_size,
    get_input_format,
)

MEM = fsspec.filesystem("memory")


def conf_with(**values) -> Configuration:
    return Configuration({k.replace("_", "."): v for k, v in values.items()}, load_site=False)


def make_conf(overrides: dict | None = None) -> Configuration:
    return Configuration(overrides or {}, load_site=False)


@pytest.fixture
def root():
    path = f"/t{uuid.uuid4().hex}"
    yield path
    if MEM.exists(path):
        MEM.rm(path, recursive=True)


def put(path: str, data: bytes) -> str:
    MEM.pipe(path, data)
    return "memory://" + path


def expected_lines(data: bytes) -> list[tuple[int, str]]:
    """The independent answer: offsets and lines of a regex split at LF, CR or CRLF (Hadoop's
    LineReader terminators), BOM handled."""
    out, offset = [], 0
    for m in re.finditer(rb"\r\n|\r|\n", data):
        out.append((offset, data[offset : m.start()].decode("utf-8", "replace")))
        offset = m.end()
    if offset < len(data):  # a last line without a terminator
        out.append((offset, data[offset:].decode("utf-8", "replace")))
    if out and out[0][1].startswith("\ufeff"):
        out[0] = (0, out[0][1][1:])
    return out


def read_ranges(fmt, url: str, cuts: list[int], size: int, conf=None) -> list:
    conf = conf or make_conf()
    bounds = [0, *cuts, size]
    records = []
    for start, end in zip(bounds, bounds[1:]):
        records.extend(fmt.read(InputSplit(url, start, end - start), conf))
    return records


# --- the LineRecordReader split rule ----------------------------------------------------------
PIECES = [b"a", b"bc", b" ", b"\n", b"\n", b"\r\n", b"\r", b"\xc3\xa9", b"\xff", b"\xef\xbb\xbf"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=texts, split_size=st.integers(1, 50), chunk=st.integers(1, 9))
def test_splits_cover_every_line_once(data, split_size, chunk):
    url = put("/prop/text.txt", data)
    conf = make_conf({"mapreduce.input.fileinputformat.split.maxsize": split_size})
    fmt = TextInputFormat()
    fmt.chunk_bytes = chunk
    splits = fmt.get_splits([url], conf)
    records = [r for s in splits for r in fmt.read(s, conf)]
    assert records == expected_lines(data)


@settings(max_examples=200, deadline=None)
@given(data=texts, cut_fracs=st.lists(st.floats(0, 1), max_size=6))
def test_arbitrary_split_boundaries(data, cut_fracs):
    url = put("/prop/cuts.txt", data)
    cuts = sorted({int(f * len(data)) for f in cut_fracs} - {0, len(data)})
    fmt = TextInputFormat()
    fmt.chunk_bytes = 4
    assert read_ranges(fmt, url, cuts, len(data)) == expected_lines(data)


def test_split_at_every_byte_of_crlf_text(root):
    data = b"first\r\nsecond line\r\n\r\nthird\nlast-no-newline"
    url = put(root + "/f.txt", data)
    for cut in range(1, len(data)):
        assert read_ranges(TextInputFormat(), url, [cut], len(data)) == expected_lines(data)


def test_known_answer(root):
    url = put(root + "/f.txt", b"hello world\r\nfoo\n\nbar\n")
    records = list(TextInputFormat().read(InputSplit(url, 0, 22), make_conf()))
    assert records == [(0, "hello world"), (13, "foo"), (17, ""), (18, "bar")]


def test_line_starting_exactly_at_split_start_belongs_to_that_split(root):
    url = put(root + "/f.txt", b"abc\ndef\nghi\n")
    fmt = TextInputFormat()
    assert list(fmt.read(InputSplit(url, 0, 4), make_conf())) == [(0, "abc")]
    assert list(fmt.read(InputSplit(url, 4, 4), make_conf())) == [(4, "def")]
    assert list(fmt.read(InputSplit(url, 5, 3), make_conf())) == []
    assert list(fmt.read(InputSplit(url, 3, 2), make_conf())) == [(4, "def")]


def test_bytes_read_covers_the_whole_file_for_one_split(root):
    data = b"x" * 1000 + b"\n" + b"y" * 10
    url = put(root + "/f.txt", data)
    fmt = TextInputFormat()
    fmt.chunk_bytes = 64
    assert len(list(fmt.read(InputSplit(url, 0, len(data)), make_conf()))) == 2
    assert fmt.bytes_read == len(data)


def test_invalid_utf8_is_replaced(root):
    url = put(root + "/f.txt", b"caf\xc3\xa9\n\xff\xfeok\n")
    records = list(TextInputFormat().read(InputSplit(url, 0, 12), make_conf()))
    assert records == [(0, "café"), (6, "\ufffd\ufffdok")]


# --- splits -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("size", "expected_lengths"),
    [
        (100, [10] * 10),  # 20 left: 2.0 > 1.1 splits; 10 left: 1.0 -> last split
        (105, [10] * 10 + [5]),
        (111, [10] * 10 + [11]),  # 11/10 = 1.1 is not > 1.1: the last split takes 11
        (5, [5]),
    ],
)
def test_split_sizes_follow_hadoop_slop(root, size, expected_lengths):
    url = put(root + "/f", b"x" * size)
    conf = make_conf({"mapreduce.input.fileinputformat.split.maxsize": 10})
    splits = TextInputFormat().get_splits([url], conf, input_index=2)
    assert [s.length for s in splits] == expected_lengths
    assert [s.start for s in splits] == [10 * i for i in range(len(expected_lengths))]
    assert all(s.input_index == 2 and s.url == url for s in splits)


def test_dfs_blocksize_is_the_fallback_split_size(root):
    url = put(root + "/f", b"x" * 1075)  # 563 left is 1.1 blocks: not more than the slop
    splits = TextInputFormat().get_splits([url], make_conf({"dfs.blocksize": "512"}))
    assert [(s.start, s.length) for s in splits] == [(0, 512), (512, 563)]


def test_minsize_wins_over_maxsize(root):
    url = put(root + "/f", b"x" * 100)
    conf = make_conf(
        {
            "mapreduce.input.fileinputformat.split.maxsize": 10,
            "mapreduce.input.fileinputformat.split.minsize": 50,
        }
    )
    assert [s.length for s in TextInputFormat().get_splits([url], conf)] == [50, 50]


def test_empty_file_gets_one_empty_split_like_hadoop(root):
    url = put(root + "/empty", b"")
    splits = TextInputFormat().get_splits([url], make_conf())
    assert splits == [InputSplit(url, 0, 0)]
    assert list(TextInputFormat().read(splits[0], make_conf())) == []


class BlockMemoryFS(MemoryFileSystem):
    """A memory filesystem that reports 16-byte blocks on hosts dn<block % 3>, like dfs://."""

    protocol = "mhblocktest"

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(path.removeprefix("mhblocktest://"))

    def info(self, path, **kwargs):
        return {**super().info(path, **kwargs), "blocksize": 16}

    def block_locations(self, path):
        size = super().info(path)["size"]
        return [
            (off, min(16, size - off), (f"dn{(off // 16) % 3}", f"dn{(off // 16 + 1) % 3}"))
            for off in range(0, size, 16)
        ]


def test_splits_follow_block_locations():
    fsspec.register_implementation("mhblocktest", BlockMemoryFS, clobber=True)
    fs = fsspec.filesystem("mhblocktest")
    fs.pipe("/blocks/f.txt", b"x" * 49)  # the last 17 bytes are within the 1.1 slop
    try:
        splits = TextInputFormat().get_splits(["mhblocktest:///blocks/f.txt"], make_conf())
        assert [(s.start, s.length) for s in splits] == [(0, 16), (16, 16), (32, 17)]
        assert [s.hosts for s in splits] == [("dn0", "dn1"), ("dn1", "dn2"), ("dn2", "dn0")]
    finally:
        fs.rm("/blocks", recursive=True)


def test_gzip_input_is_one_split_and_decompressed(root):
    data = b"".join(b"line %d\n" % i for i in range(500))
    url = put(root + "/f.txt.gz", gzip.compress(data))
    conf = make_conf({"mapreduce.input.fileinputformat.split.maxsize": 64})
    splits = TextInputFormat().get_splits([url], conf)
    assert len(splits) == 1
    assert list(TextInputFormat().read(splits[0], conf)) == expected_lines(data)
    # a range of a compressed file that does not start at 0 reads nothing (no duplicates)
    assert list(TextInputFormat().read(InputSplit(url, 10, 20), conf)) == []


def test_split_wire_round_trip():
    split = InputSplit("dfs:///a/b", 128, 64, ("dn1", "dn2"), 3)
    wire = msgpack.unpackb(msgpack.packb(split.to_wire()))
    assert InputSplit.from_wire(wire) == split


def test_splits_of_a_local_file(tmp_path):
    data = b"".join(b"row %d\r\n" % i for i in range(300))
    (tmp_path / "in.txt").write_bytes(data)
    conf = make_conf({"mapreduce.input.fileinputformat.split.maxsize": 100})
    fmt = TextInputFormat()
    for url in (str(tmp_path / "in.txt"), f"file://{tmp_path}/in.txt"):
        splits = fmt.get_splits([url], conf)
        assert [s.length for s in splits] == [100] * 25 + [90]
        assert [r for s in splits for r in fmt.read(s, conf)] == expected_lines(data)


# --- key/value and N-line formats -------------------------------------------------------------
def test_key_value_lines(root):
    url = put(root + "/kv", b"a\t1\nb\t2\t3\nnosep\n\tempty-key\n")
    records = list(KeyValueTextInputFormat().read(InputSplit(url, 0, 100), make_conf()))
    assert records == [("a", "1"), ("b", "2\t3"), ("nosep", ""), ("", "empty-key")]


def test_key_value_custom_separator(root):
    url = put(root + "/kv", b"a,1\r\nb,2,3\n")
    conf = make_conf({"mapreduce.input.keyvaluelinerecordreader.key.value.separator": ","})
    records = list(KeyValueTextInputFormat().read(InputSplit(url, 0, 100), conf))
    assert records == [("a", "1"), ("b", "2,3")]
    # Hadoop takes the first character of a longer separator
    conf.set("mapreduce.input.keyvaluelinerecordreader.key.value.separator", ",;")
    records = list(KeyValueTextInputFormat().read(InputSplit(url, 0, 100), conf))
    assert records == [("a", "1"), ("b", "2,3")]


@pytest.mark.parametrize("n", [1, 2, 3, 7])
@pytest.mark.parametrize("tail", [b"", b"\n", b"no newline"])
def test_nline_splits(root, n, tail):
    data = b"".join(b"line %d\n" % i for i in range(10)) + tail
    url = put(root + "/n.txt", data)
    conf = make_conf({"mapreduce.input.lineinputformat.linespermap": n})
    fmt = NLineInputFormat()
    fmt.chunk_bytes = 5
    splits = fmt.get_splits([url], conf)
    lines = expected_lines(data)
    groups = [lines[i : i + n] for i in range(0, len(lines), n)]
    assert [list(fmt.read(s, conf)) for s in splits] == groups
    assert sum(s.length for s in splits) == len(data)


def test_nline_empty_file_has_no_splits(root):
    url = put(root + "/empty", b"")
    assert NLineInputFormat().get_splits([url], make_conf()) == []


def test_nline_rejects_zero(root):
    url = put(root + "/f", b"a\n")
    conf = make_conf({"mapreduce.input.lineinputformat.linespermap": 0})
    with pytest.raises(JobConfigError, match="linespermap"):
        NLineInputFormat().get_splits([url], conf)


# --- format lookup ----------------------------------------------------------------------------
def test_get_input_format():
    assert type(get_input_format("text")) is TextInputFormat
    assert type(get_input_format("KeyValue")) is KeyValueTextInputFormat
    assert type(get_input_format(NLineInputFormat)) is NLineInputFormat
    assert type(get_input_format("mapred.io:NLineInputFormat")) is NLineInputFormat
    fmt = TextInputFormat()
    assert get_input_format(fmt) is fmt
    with pytest.raises(JobConfigError, match="unknown input format 'csvish'"):
        get_input_format("csvish")
    with pytest.raises(JobConfigError, match="cannot load input format"):
        get_input_format("no_such_module:Thing")
    with pytest.raises(JobConfigError, match="not an input format"):
        get_input_format(int)


def _lengths(*sizes):
    return [InputSplit("memory:///f", 0, n) for n in sizes]


@pytest.mark.parametrize(
    "sizes, slots, expected",
    [
        ((64, 64, 64, 8), 2, 50),  # 200 on 2 slots: 4 x 50, not a last wave with 8 beside 64
        ((64, 64, 64, 64), 2, 0),  # already even
        ((64, 64, 64), 2, 48),  # 3 blocks on 2 slots: 4 x 48
        ((64, 64), 4, 32),  # more slots than blocks: one piece per slot
        ((64, 64, 64, 8), 1, 0),  # one slot: nothing to even out
        ((3, 1), 2, 0),  # pieces of 2 are under the floor of 3
    ],
)
def test_balanced_max_size_evens_out_the_last_wave(sizes, slots, expected):
    assert balanced_max_size(_lengths(*sizes), slots, floor=3) == expected
    if expected:  # the cap cuts the input into a multiple of `slots` pieces, none over a block
        pieces = -(-sum(sizes) // expected)
        assert pieces % slots == 0 and expected <= max(sizes)


def test_progress_of_a_compressed_split_follows_the_compressed_bytes(root):
    """A .gz split's length is its compressed size; progress measured in decompressed bytes
    reached 100% after the first chunk and stayed there while the task worked on (a newcomer's
    gzip'd log: 'map 100%' for most of the job). Hadoop's LineRecordReader measures the
    compressed stream's position."""
    rng = random.Random(3)
    text = "".join(f"{rng.randrange(10**9)} {rng.randrange(10**9)}\n" for _ in range(200_000))
    url = put(root + "/in.gz", gzip.compress(text.encode(), compresslevel=1))
    fmt = TextInputFormat()
    fmt.chunk_bytes = 256 * 1024
    (split,) = fmt.get_splits([url], make_conf())
    shown, taken = [], 0
    for _offsets, lines in fmt.read_batches(split, make_conf()):
        shown.append(fmt.progress(split, taken))
        taken += len(lines)
    assert len(shown) > 10
    assert shown == sorted(shown) and shown[0] < 0.2
    assert shown[len(shown) // 2] < 0.8, shown  # halfway through the data, not done
