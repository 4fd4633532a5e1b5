"""Spill files frame each sort key and record as one msgpack bin (``merge.write_partitioned``
with ``spill=True``): the frames must be msgpack's own for every length class (bin8, bin16,
bin32), with and without a partition prefix to strip, so ``read_spill_segment`` reads back
exactly the bytes written."""

from __future__ import annotations

import msgpack
import pytest

from mapred.merge import read_spill_segment, write_partitioned

LENGTHS = [0, 1, 255, 256, 65535, 65536, 70000]


@pytest.mark.parametrize("strip", [0, 4])
def test_spill_frames_round_trip(tmp_path, strip):
    prefix = b"\x00\x00\x00\x01"[:strip]
    records = [(prefix + bytes([i % 251]) * n, b"r" * (n + i)) for i, n in enumerate(LENGTHS)]
    path = str(tmp_path / "spill0.out")
    index, written = write_partitioned(path, 2, [(1, records)], True, strip, spill=True)
    assert written == len(records)
    got = list(read_spill_segment(path, *index[1][:2]))
    assert got == [(k[strip:], r) for k, r in records]
    with open(path, "rb") as f:  # the frames are msgpack's own packing of each bytes object
        expected = b"".join(msgpack.packb(x) for k, r in records for x in (k[strip:], r))
        assert f.read() == expected
