"""The replica file format: a block's checksum (meta) file, and reads verified against it.

Owns the meta file layout (header, one CRC32 per `bytes_per_checksum` chunk, then one CRC32
per 64 KiB span), computing CRCs, the cheap check of a meta file (`meta_problem`: header and
size only) and verified reads (`read_verified`). Must not touch where replicas live or when
they are written: that is `dfs.datanode`'s.

Every read is verified. Whole 64 KiB spans are checked against their span CRC (one C call per
span, which releases the GIL: long sequential reads cost a fraction of checking each 512-byte
chunk); the ragged edges of a ranged read are checked chunk by chunk, and a span that fails is
re-checked chunk by chunk to name the first bad offset.
"""

from __future__ import annotations

import os
import struct
import zlib
from array import array
from pathlib import Path
from typing import Any

from dfs.errors import DFSChecksumError

META_MAGIC = b"MHCK"
_META_HEADER = struct.Struct("<4sHI")  # magic, version, bytes per checksum
META_HEADER_SIZE = _META_HEADER.size
SPAN = 64 * 1024  # bytes covered by one span CRC (a multiple of any sane bytes-per-checksum)
_LITTLE = array("I").itemsize == 4 and struct.pack("=I", 1) == struct.pack("<I", 1)


def meta_header(bytes_per_checksum: int) -> bytes:
    """The header a new meta file starts with."""
    return _META_HEADER.pack(META_MAGIC, 1, bytes_per_checksum)


def meta_size(length: int, bytes_per_checksum: int) -> int:
    """The size of a well-formed meta file for a replica of `length` bytes."""
    chunks = -(-length // bytes_per_checksum)
    return META_HEADER_SIZE + 4 * chunks + 4 * -(-length // SPAN)


def meta_problem(meta_path: str | Path, length: int) -> str | None:
    """The cheap check of a replica's meta file (header, size for `length` data bytes):
    None when it passes, else what is wrong. One open and one small read."""
    try:
        fd = os.open(meta_path, os.O_RDONLY)
    except FileNotFoundError:
        return "checksum file missing"
    except OSError as e:
        return f"checksum file unreadable: {e.strerror}"
    try:
        header = os.read(fd, META_HEADER_SIZE)
        size = os.fstat(fd).st_size
    except OSError as e:
        return f"checksum file unreadable: {e.strerror}"
    finally:
        os.close(fd)
    if len(header) < META_HEADER_SIZE:
        return "checksum file header truncated"
    magic, version, bpc = _META_HEADER.unpack(header)
    if magic != META_MAGIC or version != 1 or bpc <= 0:
        return "bad checksum file header"
    if size != meta_size(length, bpc):
        return f"checksum file size {size} does not fit a replica of {length} bytes"
    return None


def chunk_crcs(data, bytes_per_checksum: int) -> array:
    """CRC32 of every `bytes_per_checksum` chunk of `data` (the last one may be short)."""
    view = memoryview(data)
    crc = zlib.crc32
    return array(
        "I",
        [crc(view[i : i + bytes_per_checksum]) for i in range(0, len(view), bytes_per_checksum)],
    )


def crcs_to_bytes(crcs: array) -> bytes:
    if not _LITTLE:
        crcs = array("I", crcs)
        crcs.byteswap()
    return crcs.tobytes()


def crcs_from_bytes(data: bytes) -> array:
    """The CRCs stored in `data` (a torn last entry of a damaged meta file is left out, so the
    comparison that follows fails as a checksum error)."""
    crcs = array("I")
    crcs.frombytes(data[: len(data) - len(data) % 4])
    if not _LITTLE:
        crcs.byteswap()
    return crcs


def read_verified(data_path: Path, meta_path: Path, offset: int, length: int, what: str) -> bytes:
    """Read `length` bytes at `offset` of a replica, verifying every byte returned.

    Used by the datanode and by short-circuit readers on the same node alike.
    """
    with open(meta_path, "rb") as meta, open(data_path, "rb") as f:
        header = meta.read(META_HEADER_SIZE)
        magic, version, bpc = (
            _META_HEADER.unpack(header) if len(header) == META_HEADER_SIZE else (b"", 0, 0)
        )
        if magic != META_MAGIC or version != 1 or bpc <= 0:
            raise DFSChecksumError(f"Checksum error: {what}: bad checksum file header", what)
        size = os.fstat(f.fileno()).st_size
        if offset + length > size:
            raise DFSChecksumError(
                f"Checksum error: {what}: replica is shorter than expected", what
            )
        start = offset // bpc * bpc
        end = min(-(-(offset + length) // bpc) * bpc, size)
        f.seek(start)
        data = f.read(end - start)
        chunks_total = -(-size // bpc)
        span_lo = -(-start // SPAN) * SPAN  # whole spans inside [start, end)
        span_hi = end if end == size else end // SPAN * SPAN
        if span_hi - span_lo < SPAN:
            span_lo = span_hi = start
        crc = zlib.crc32
        view = memoryview(data)
        if span_hi > span_lo:
            meta.seek(META_HEADER_SIZE + 4 * chunks_total + 4 * (span_lo // SPAN))
            expected = crcs_from_bytes(meta.read(4 * -(-(span_hi - span_lo) // SPAN)))
            base = span_lo - start
            actual = [crc(view[i : i + SPAN]) for i in range(base, base + span_hi - span_lo, SPAN)]
            if array("I", actual) != expected:
                _check_chunks(meta, view[base : base + span_hi - span_lo], span_lo, bpc, what)
        for lo, hi in ((start, span_lo), (span_hi, end)):
            if hi > lo:
                _check_chunks(meta, view[lo - start : hi - start], lo, bpc, what)
    return data[offset - start : offset - start + length]


def _check_chunks(meta: Any, data: memoryview, start: int, bpc: int, what: str) -> None:
    """Verify `data` (starting at chunk-aligned `start`) against the per-chunk CRCs."""
    chunks = -(-len(data) // bpc)
    meta.seek(META_HEADER_SIZE + 4 * (start // bpc))
    expected = crcs_from_bytes(meta.read(4 * chunks))
    actual = chunk_crcs(data, bpc)
    if actual != expected:
        bad = next((i for i, (a, e) in enumerate(zip(actual, expected)) if a != e), len(expected))
        raise DFSChecksumError(f"Checksum error: {what} at offset {start + bad * bpc}", what)


def parse_meta_header(header: bytes) -> int | None:
    """The bytes-per-checksum a meta file header declares, or None when it is not one."""
    if len(header) != META_HEADER_SIZE:
        return None
    magic, version, bpc = _META_HEADER.unpack(header)
    return bpc if magic == META_MAGIC and version == 1 and bpc > 0 else None


def read_plan(
    offset: int, length: int, size: int, bpc: int, piece: int
) -> list[tuple[int, int, int]]:
    """How to send [offset, offset+length) of a replica of `size` bytes with the CRCs its meta
    file holds: (lo, hi, unit) pieces tiling the chunk-aligned range around it, whole 64 KiB
    spans covered by span CRCs (unit `SPAN`), the ragged edges by chunk CRCs (unit `bpc`); no
    piece longer than `piece` (a multiple of SPAN). The same split as `read_verified`.

    >>> read_plan(100, 200_000, 300_000, 512, 128 * 1024)
    [(0, 131072, 65536), (131072, 196608, 65536), (196608, 200192, 512)]
    """
    start = offset // bpc * bpc
    end = min(-(-(offset + length) // bpc) * bpc, size)
    span_lo = -(-start // SPAN) * SPAN
    span_hi = end if end == size else end // SPAN * SPAN
    if span_hi - span_lo < SPAN:
        span_lo = span_hi = start
    plan = []
    for lo, hi, unit in ((start, span_lo, bpc), (span_lo, span_hi, SPAN), (span_hi, end, bpc)):
        plan.extend((a, min(a + piece, hi), unit) for a in range(lo, hi, piece))
    return plan


def crc_offset(lo: int, unit: int, size: int, bpc: int) -> int:
    """Where in a meta file the CRCs of a piece starting at `lo` (unit `bpc` or `SPAN`) begin."""
    if unit == bpc:
        return META_HEADER_SIZE + 4 * (lo // bpc)
    return META_HEADER_SIZE + 4 * -(-size // bpc) + 4 * (lo // SPAN)


def first_mismatch(data: Any, unit: int, crc_bytes: bytes) -> int | None:
    """Offset in `data` of the first `unit`-sized piece whose CRC32 differs from the one in
    `crc_bytes` (None when every piece matches): how a reader checks a received packet."""
    view = memoryview(data)
    crc = zlib.crc32
    actual = array("I", [crc(view[i : i + unit]) for i in range(0, len(view), unit)])
    expected = crcs_from_bytes(crc_bytes)
    if actual == expected:
        return None
    bad = next((i for i, (a, e) in enumerate(zip(actual, expected)) if a != e), len(expected))
    return bad * unit
