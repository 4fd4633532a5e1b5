"""A datanode: replicas stored as block files plus checksum files, in its own directory.

Owns the on-disk replica layout, checksum computation and verification, block reports, and
executing the namenode's commands (copy a replica to another node, delete a replica). It never
calls the namenode: the cluster carries its reports up and the commands down.

Layout under the node's directory::

    current/subdir<NN>/blk_<id>        finalized replica data
    current/subdir<NN>/blk_<id>.meta   header, one CRC32 per `dfs.bytes-per-checksum` chunk,
                                       then one CRC32 per 64 KiB span
    rbw/<pid>/blk_<id>[.meta]          replicas being written by process <pid> (moved to
                                       current/ when complete; dropped if <pid> died)

File names are built from integer block ids only, so no path can escape the directory.

Every read is verified. Whole 64 KiB spans are checked against their span CRC (one C call per
span, which releases the GIL: long sequential reads cost a fraction of checking each 512-byte
chunk); the ragged edges of a ranged read are checked chunk by chunk, and a span that fails is
re-checked chunk by chunk to name the first bad offset.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from array import array
from pathlib import Path
from typing import Any

from dfs.errors import DFSChecksumError, DFSError

META_MAGIC = b"MHCK"
_META_HEADER = struct.Struct("<4sHI")  # magic, version, bytes per checksum
META_HEADER_SIZE = _META_HEADER.size
SPAN = 64 * 1024  # bytes covered by one span CRC (a multiple of any sane bytes-per-checksum)
_LITTLE = array("I").itemsize == 4 and struct.pack("=I", 1) == struct.pack("<I", 1)
SUBDIRS = 64


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
    crcs = array("I")
    crcs.frombytes(data)
    if not _LITTLE:
        crcs.byteswap()
    return crcs


def read_verified(data_path: Path, meta_path: Path, offset: int, length: int, what: str) -> bytes:
    """Read `length` bytes at `offset` of a replica, verifying every byte returned.

    Used by the datanode and by short-circuit readers on the same node alike.
    """
    with open(meta_path, "rb") as meta, open(data_path, "rb") as f:
        magic, _version, bpc = _META_HEADER.unpack(meta.read(META_HEADER_SIZE))
        if magic != META_MAGIC:
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


def pid_alive(pid: int) -> bool:
    """Is process `pid` on this machine still running? (Writers and jobs are identified by pid.)"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BlockWriter:
    """Receives one replica's packets; `finalize` makes it visible, `abort` removes it."""

    __slots__ = (
        "node",
        "block_id",
        "_data",
        "_meta",
        "_data_path",
        "_meta_path",
        "length",
        "_spans",
        "_span_crc",
        "_span_len",
    )

    def __init__(self, node: DataNode, block_id: int) -> None:
        self.node = node
        self.block_id = block_id
        rbw = node.rbw / str(os.getpid())
        rbw.mkdir(parents=True, exist_ok=True)
        self._data_path = rbw / f"blk_{block_id}"
        self._meta_path = rbw / f"blk_{block_id}.meta"
        self._data = open(self._data_path, "wb")
        self._meta = open(self._meta_path, "wb")
        self._meta.write(_META_HEADER.pack(META_MAGIC, 1, node.bytes_per_checksum))
        self.length = 0
        self._spans = array("I")
        self._span_crc = 0
        self._span_len = 0

    def write_packet(self, data: Any, crc_bytes: bytes) -> None:
        self._data.write(data)
        self._meta.write(crc_bytes)
        self.length += len(data)
        view = memoryview(data)
        while len(view):
            take = min(SPAN - self._span_len, len(view))
            self._span_crc = zlib.crc32(view[:take], self._span_crc)
            self._span_len += take
            view = view[take:]
            if self._span_len == SPAN:
                self._spans.append(self._span_crc)
                self._span_crc = self._span_len = 0

    def finalize(self) -> int:
        if self._span_len:
            self._spans.append(self._span_crc)
        self._meta.write(crcs_to_bytes(self._spans))
        self._data.close()
        self._meta.close()
        final = self.node.block_path(self.block_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._meta_path, final.with_name(final.name + ".meta"))
        os.replace(self._data_path, final)
        return self.length

    def abort(self) -> None:
        for f in (self._data, self._meta):
            f.close()
        for p in (self._data_path, self._meta_path):
            p.unlink(missing_ok=True)


class DataNode:
    """One simulated datanode: an id, a rack and a storage directory."""

    def __init__(
        self,
        node_id: str,
        rack: str,
        directory: Path,
        bytes_per_checksum: int = 512,
        capacity: int = 64 * 1024**3,
    ) -> None:
        self.node_id = node_id
        self.rack = rack
        self.directory = Path(directory)
        self.bytes_per_checksum = bytes_per_checksum
        self.capacity = capacity
        self.current = self.directory / "current"
        self.rbw = self.directory / "rbw"

    # -- life ----------------------------------------------------------------------------------
    @property
    def stopped_marker(self) -> Path:
        return self.directory.parent / f"{self.node_id}.stopped"

    @property
    def alive(self) -> bool:
        return not self.stopped_marker.exists()

    def start(self) -> None:
        """Start (or restart) the node: recreate its storage if it was wiped, drop partial
        replicas left by writers that died (each writing process has its own rbw/<pid>/)."""
        self.current.mkdir(parents=True, exist_ok=True)
        self.rbw.mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(self.rbw):
            if not entry.name.isdigit() or not pid_alive(int(entry.name)):
                shutil.rmtree(entry.path, ignore_errors=True)

    # -- layout --------------------------------------------------------------------------------
    def block_path(self, block_id: int) -> Path:
        block_id = int(block_id)  # ids are integers: nothing else can reach the file name
        return self.current / f"subdir{block_id % SUBDIRS:02d}" / f"blk_{block_id}"

    def meta_path(self, block_id: int) -> Path:
        p = self.block_path(block_id)
        return p.with_name(p.name + ".meta")

    def has_block(self, block_id: int) -> bool:
        return self.block_path(block_id).exists()

    def block_length(self, block_id: int) -> int:
        return self.block_path(block_id).stat().st_size

    def block_report(self) -> dict[int, int]:
        """block id -> length of every finalized replica on this node."""
        report: dict[int, int] = {}
        if not self.current.exists():
            return report
        for sub in os.scandir(self.current):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                name = entry.name
                if name.startswith("blk_") and not name.endswith(".meta"):
                    try:
                        report[int(name[4:])] = entry.stat().st_size
                    except (ValueError, OSError):
                        continue
        return report

    def used(self, report: dict[int, int] | None = None) -> int:
        report = self.block_report() if report is None else report
        return sum(report.values())

    # -- data ----------------------------------------------------------------------------------
    def open_writer(self, block_id: int) -> BlockWriter:
        if not self.alive:
            raise DFSError(f"datanode {self.node_id} is stopped")
        return BlockWriter(self, int(block_id))

    def read(self, block_id: int, offset: int, length: int) -> bytes:
        """Read part of a replica, verifying checksums (DFSChecksumError on a mismatch)."""
        if not self.alive:
            raise DFSError(f"datanode {self.node_id} is stopped")
        what = f"{self.node_id}:blk_{block_id}"
        try:
            return read_verified(
                self.block_path(block_id), self.meta_path(block_id), offset, length, what
            )
        except FileNotFoundError:
            raise DFSError(f"replica {what} not found") from None

    def verify(self, block_id: int) -> bool:
        """The block scanner's check of one whole replica."""
        try:
            self.read(block_id, 0, self.block_length(block_id))
            return True
        except (DFSError, OSError):
            return False

    def copy_to(self, block_id: int, target: DataNode) -> None:
        """Replicate a replica to `target`, verifying it on the way (the transfer command)."""
        length = self.block_length(block_id)
        writer = target.open_writer(block_id)
        try:
            step = 4 * 1024 * 1024
            for off in range(0, max(length, 1), step):
                chunk = self.read(block_id, off, min(step, length - off))
                writer.write_packet(
                    chunk, crcs_to_bytes(chunk_crcs(chunk, self.bytes_per_checksum))
                )
            writer.finalize()
        except BaseException:
            writer.abort()
            raise

    def delete_block(self, block_id: int) -> None:
        self.block_path(block_id).unlink(missing_ok=True)
        self.meta_path(block_id).unlink(missing_ok=True)
