"""`TextRecordWriter.write_pairs` holds a bounded amount of text: pairs that are each many lines
(Pig's stores hand it one pair per batch of rows, the rows joined) are taken a few at a time
and written before the next ones are taken, not 4096 pairs (gigabytes) at once."""

from __future__ import annotations

import io

from mapred.output import TextRecordWriter

_MB = 1 << 20


class _Watched(io.BytesIO):
    """Records how many pairs had been taken when each write reached the file."""

    def __init__(self, taken: list[int]) -> None:
        super().__init__()
        self.taken = taken
        self.at_write: list[int] = []

    def write(self, data) -> int:
        self.at_write.append(self.taken[0])
        return super().write(data)

    def close(self) -> None:
        self.kept = self.getvalue()
        super().close()


def _pairs(taken: list[int], count: int, lines: int):
    for i in range(count):
        taken[0] += 1
        yield None, "\n".join(f"row {i} line {j} " + "x" * 90 for j in range(lines))


def test_many_line_pairs_are_written_a_few_at_a_time():
    taken = [0]
    f = _Watched(taken)
    w = TextRecordWriter(f)
    assert w.write_pairs(_pairs(taken, 60, 2000)) == 60  # 60 pairs of ~200 KB: ~12 MB
    w.close()
    expected = "".join(
        f"row {i} line {j} " + "x" * 90 + "\n" for i in range(60) for j in range(2000)
    ).encode()
    assert f.kept == expected
    # about 1 MB of text is held before it is written (5 pairs and the next batch's one)
    assert f.at_write[0] <= 8
    assert len(f.at_write) >= 60 * 200_000 // (2 * _MB)


def test_small_pairs_still_batched_and_exact():
    f = _Watched([0])
    w = TextRecordWriter(f)
    pairs = [(f"k{i}", i) for i in range(10_000)] + [(None, "a\nb"), ("x", None), (None, None)]
    assert w.write_pairs(iter(pairs)) == len(pairs)
    w.close()
    expected = "".join(f"k{i}\t{i}\n" for i in range(10_000)) + "a\nb\nx\n"
    assert f.kept == expected.encode()


def test_lines_given_as_bytes_are_written_as_they_are():
    """(None, bytes) pairs (lines a store already encoded) go out in one join, exactly as
    `write` writes each (its bytes, then a newline); a batch mixing them with str lines too."""
    rows = [b"caf\xc3\xa9\tx", b"", b"raw \xff bytes", bytearray(b"ba")]
    mixed = [(None, "s\u00e9"), (None, b"b"), (None, None), ("k", b"v")]
    for pairs in ([(None, r) for r in rows], mixed, [(None, r) for r in rows] + mixed):
        one, batched = _Watched([0]), _Watched([0])
        w = TextRecordWriter(one)
        for k, v in pairs:
            w.write(k, v)
        w.close()
        w = TextRecordWriter(batched)
        assert w.write_pairs(iter(pairs)) == len(pairs)
        w.close()
        assert batched.kept == one.kept
    assert one.kept.startswith(b"caf\xc3\xa9\tx\n\nraw \xff bytes\nba\n")
