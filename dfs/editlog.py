"""The namenode's durable metadata: an edit log of msgpack records and fsimage checkpoints.

Owns the on-disk formats and nothing else (the namenode decides what to log and when).

Edit log file (``edits``): a header record ``{"start_txid": N}`` then records, each framed as
``u32 length | u32 crc32(payload) | payload`` where the payload is a msgpack list
``[op, args...]``. A record is fsync'd before `append` returns, so an acknowledged operation
survives a crash. A torn last record (short, or failing its CRC, at the very end of the file)
is the trace of a crash mid-append: it is dropped and the file truncated to the last good
record. A bad record followed by more data is real corruption and is reported, not skipped.

Image file (``fsimage``): one msgpack map (format version, last txid, superuser, next block id,
the inode tree). It is written to a temporary file, fsync'd and renamed over the old one; the
edit log is then restarted with ``start_txid`` = image txid + 1. Records a crash left in an old
log that the image already holds are skipped on replay by their txid.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack

from dfs import faults
from dfs.errors import DFSError

_FRAME = struct.Struct(">II")
IMAGE_VERSION = 1


class EditLogCorrupt(DFSError):
    """The edit log has a bad record before its end: it was damaged, not torn by a crash."""


def _frame(record: list) -> bytes:
    payload = msgpack.packb(record, use_bin_type=True)
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def read_records(path: Path, offset: int = 0) -> tuple[int, list[list], int]:
    """(start txid, the good records from `offset` on, offset just after the last good record).

    With `offset` > 0 (a position after the header returned by an earlier call) only the records
    appended since are read; the start txid returned is then 0 (unknown).
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    records: list[list] = []
    pos = 0
    start_txid = 1 if offset == 0 else 0
    first = offset == 0
    while pos < len(data):
        if pos + _FRAME.size > len(data):
            break  # torn header at the tail
        length, crc = _FRAME.unpack_from(data, pos)
        end = pos + _FRAME.size + length
        payload = data[pos + _FRAME.size : end]
        if end > len(data) or zlib.crc32(payload) != crc:
            if end < len(data):
                raise EditLogCorrupt(
                    f"edit log {path} is corrupt at byte {offset + pos} (a bad record is followed by "
                    f"more data); restore the namenode directory from a backup or reformat"
                )
            break  # torn record at the tail
        record = msgpack.unpackb(payload, raw=False, use_list=True, strict_map_key=False)
        if first and isinstance(record, dict):
            start_txid = int(record["start_txid"])
        else:
            records.append(record)
        first = False
        pos = end
    return start_txid, records, offset + pos


class EditLog:
    """Appends fsync'd records to the ``edits`` file of a namenode directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.size = 0

    def create(self, start_txid: int) -> None:
        tmp = self.path.with_suffix(".new")
        with open(tmp, "wb") as f:
            f.write(_frame({"start_txid": start_txid}))  # type: ignore[arg-type]
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        self.close()

    def open(self, good_end: int | None = None) -> None:
        """Open for appending, truncating a torn tail at `good_end` if given."""
        self.close()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        if good_end is not None and good_end < os.fstat(self._fd).st_size:
            os.ftruncate(self._fd, good_end)
            os.fsync(self._fd)
        self.size = os.lseek(self._fd, 0, os.SEEK_END)

    def append(self, records: list[list]) -> int:
        """Append records and fsync: when this returns they survive a crash.

        Returns the file size after the append (the caller holds the namespace lock, so no
        other process appends in between).
        """
        if self._fd is None:
            self.open()
        data = b"".join(_frame(r) for r in records)
        faults.write_fully(self._fd, data, "editlog")  # type: ignore[arg-type]
        os.fsync(self._fd)  # type: ignore[arg-type]
        self.size = os.fstat(self._fd).st_size  # type: ignore[arg-type]
        return self.size

    def disk_size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def write_image(path: Path, image: dict[str, Any]) -> None:
    tmp = path.with_suffix(".ckpt")
    with open(tmp, "wb") as f:
        f.write(msgpack.packb(image, use_bin_type=True))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def read_image(path: Path) -> dict[str, Any]:
    return msgpack.unpackb(path.read_bytes(), raw=False, use_list=True, strict_map_key=False)


def iter_new(records: list[list], start_txid: int, after_txid: int) -> Iterator[tuple[int, list]]:
    """(txid, record) for the records numbered above `after_txid`."""
    for i, record in enumerate(records):
        txid = start_txid + i
        if txid > after_txid:
            yield txid, record


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
