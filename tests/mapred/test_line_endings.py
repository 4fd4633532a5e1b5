"""Text lines end at LF, CR or CRLF, as Hadoop's LineReader reads them (no custom delimiter):
"lines terminated by one of: '\\n' (LF), '\\r' (CR), or '\\r\\n' (CR followed by LF)".

The answer each case is checked against is a plain regex split of the whole file, with each
line going to the split its first byte lies in (the module's documented LineRecordReader rule),
whatever the chunk size the reader works in: so a CR at the end of a chunk, or a CRLF whose two
bytes fall in two chunks or two splits, must neither end a line twice nor join two lines.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from dfs.conf import Configuration
from mapred.io import InputSplit, TextInputFormat

_EOL = re.compile(rb"\r\n|\r|\n")


def reference(data: bytes) -> list[tuple[int, str]]:
    """(offset, line) of every line of `data`: lines end at CRLF, CR or LF; a last line
    without a terminator is a line, the empty text after a final terminator is not."""
    out, i = [], 0
    for m in _EOL.finditer(data):
        out.append((i, data[i : m.start()].decode("utf-8", "replace")))
        i = m.end()
    if i < len(data):
        out.append((i, data[i:].decode("utf-8", "replace")))
    return out


def read(path: Path, start: int, length: int, chunk: int) -> list[tuple[int, str]]:
    fmt = TextInputFormat()
    fmt.chunk_bytes = chunk
    return list(fmt.read(InputSplit(str(path), start, length), Configuration()))


def read_batched(path: Path, start: int, length: int, chunk: int) -> list[tuple[int, str]]:
    fmt = TextInputFormat()
    fmt.chunk_bytes = chunk
    split = InputSplit(str(path), start, length)
    out: list[tuple[int, str]] = []
    for offsets, lines in fmt.read_batches(split, Configuration()):
        out += zip(offsets, lines)  # noqa: B905 - offsets run one past the lines
    return out


def check_every_cut(path: Path, data: bytes, chunks: tuple[int, ...] = (1, 2, 3, 5, 1 << 20)):
    """Two splits cut at every byte, read with each chunk size: together they give the
    reference's lines once each, each in the split holding its first byte."""
    expected = reference(data)
    for chunk in chunks:
        assert read(path, 0, len(data), chunk) == expected, chunk
        assert read_batched(path, 0, len(data), chunk) == expected, chunk
        for cut in range(1, len(data)):
            first = read(path, 0, cut, chunk)
            second = read(path, cut, len(data) - cut, chunk)
            assert first == [r for r in expected if r[0] < cut], (chunk, cut)
            assert second == [r for r in expected if r[0] >= cut], (chunk, cut)


@pytest.mark.parametrize(
    "data",
    [
        b"x\t1\ry\t2\r",  # the scout's case: CR alone ends each line
        b"a\rb\nc\r\nd",  # every terminator, and a last line without one
        b"a\r\rb\r\n\r\nc\n\rd\r",  # empty lines between CRs, LF then CR
        b"\r\r\r",
        b"\r\n\r\n",
        b"\rabc",
        b"one line no terminator",
        b"caf\xc3\xa9\rna\xc3\xafve\r\nend\r",  # multi-byte text between CRs
    ],
)
def test_lines_end_at_lf_cr_or_crlf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "in"
    path.write_bytes(data)
    check_every_cut(path, data)


def test_cr_at_a_chunk_end_and_crlf_across_chunks_and_splits(tmp_path: Path) -> None:
    # a 4-byte chunk ends on each CR of "abc\r" and splits each "\r\n" of "ab\r\n" in two
    data = b"abc\rdef\rab\r\ncd\r\nxyz"
    path = tmp_path / "in"
    path.write_bytes(data)
    assert read(path, 0, len(data), 4) == [(0, "abc"), (4, "def"), (8, "ab"), (12, "cd"), (16, "xyz")]
    # the split boundary between the CR and the LF of "ab\r\n": the CRLF is one terminator
    cut = data.index(b"\r\n") + 1
    assert read(path, 0, cut, 4) == [(0, "abc"), (4, "def"), (8, "ab")]
    assert read(path, cut, len(data) - cut, 4) == [(12, "cd"), (16, "xyz")]
    # the boundary right after a lone CR: the next line starts the second split
    cut = data.index(b"\r") + 1
    assert read(path, 0, cut, 4) == [(0, "abc")]
    assert read(path, cut, len(data) - cut, 4) == [(4, "def"), (8, "ab"), (12, "cd"), (16, "xyz")]


def test_random_mixes_of_terminators(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "in"
    for _ in range(40):
        parts = []
        for _ in range(rng.randrange(0, 8)):
            parts.append("".join(rng.choice("ab\u00e9") for _ in range(rng.randrange(0, 4))))
            parts.append(rng.choice(["\n", "\r", "\r\n", "\n\r", "\r\r"]))
        if rng.random() < 0.5:
            parts.append("tail")
        data = "".join(parts).encode()
        path.write_bytes(data)
        check_every_cut(path, data, (1, 2, 7, 1 << 20))


def test_lf_only_files_unchanged(tmp_path: Path) -> None:
    data = b"k1\tv1\nk2\tv2\n\nlast"
    path = tmp_path / "in"
    path.write_bytes(data)
    check_every_cut(path, data)
