"""The namenode's durable metadata files: an edit log of msgpack records and fsimage checkpoints.

Owns the on-disk formats, the shape of every edit-log record, and reading and writing the files
durably (the namenode decides what to log and when; `dfs.fsimage` what an image holds).

Edit log file (``edits``): a header record ``{"start_txid": N}`` then records, each framed as
``u32 length | u32 crc32(payload) | payload`` where the payload is a msgpack list
``[op, args...]``. A record is written with `faults.write_fully` and fsync'd before `append`
returns, so an acknowledged operation survives a crash. A write or fsync that fails (a full
disk, an I/O error) raises `DFSStorageWriteError`, and the file is truncated back to its last
good record; if even that fails the log refuses further appends until it is reopened (the
reader then drops the torn tail). Reading tells the two kinds of damage apart:
- a torn tail (a short or CRC-failing last write, with no good record after it) is the trace
  of a crash mid-append, never acknowledged: it is dropped;
- a bad section followed by good records is real corruption: `scan` reports it with its offset,
  and loading refuses to start (`hadoop namenode -recover` can skip it).

Image file (``fsimage``): ``MHIMAGE2 | u64 length | u32 crc32(payload) | payload`` (HDFS keeps
an MD5 beside its image; the frame does the same job), the payload one msgpack map (see
`dfs.fsimage`). Images of the first, unframed layout (one msgpack map) are still read. It is
written to a temporary file, fsync'd and renamed over the old one; the edit log is then
restarted with ``start_txid`` = image txid + 1. Records a crash left in an old log that the
image already holds are skipped on replay by their txid.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

import msgpack

from dfs import faults
from dfs.errors import DFSInconsistentState, DFSStorageWriteError
from dfs.fastclass import dataclass
from dfs.storage import FILE_MODE, os_reason, write_durably

_FRAME = struct.Struct(">II")
_IMAGE_MAGIC = b"MHIMAGE2"
_IMAGE_HEADER = struct.Struct(">8sQI")
IMAGE_VERSION = 2
MAX_RECORD = 64 << 20  # no record is this large: a longer length field is damage

RECOVER_HINT = (
    "restore the namenode directory from a backup, or run `hadoop namenode -recover` "
    "(it keeps a copy of the log and skips the damaged record)"
)


class EditLogCorrupt(DFSInconsistentState):
    """The edit log has a bad record before its end: it was damaged, not torn by a crash."""


class ImageCorrupt(DFSInconsistentState):
    """The fsimage cannot be read back as it was written."""


# -- record shapes --------------------------------------------------------------------------------
_S, _I, _OS, _LI = "str", "int", "str|None", "list[int]"
#: op -> the types of its arguments (the record is ``[op, *args]``)
RECORD_SHAPES: dict[str, tuple[str, ...]] = {
    "mkdir": (_S, _S, _OS, _I, _I),
    "create": (_S, _S, _OS, _I, _I, _I, _I, _OS),
    "add_block": (_S, _I, _I),
    "abandon_block": (_S, _I),
    "close": (_S, _I, _LI),
    "delete": (_S, _I),
    "rename": (_S, _S, _I),
    "rename2": (_S, _S, _I, _I),  # src, dst, mtime, overwrite 0/1 (HDFS's rename with options)
    "chmod": (_S, _I),
    "chown": (_S, _OS, _OS),
    "setrep": (_S, _I),
    "times": (_S, _I, _I),
    "replicas": (_LI,),
    "corrupt_replica": (_I, _S),  # block id, node id: a replica found corrupt
    "corrupt_replica_removed": (_I, _S),  # that replica is gone (deleted or replaced)
}


_TYPES = {_S: (str,), _I: (int,), _OS: (str, type(None)), _LI: (list,)}  # exact types:
# msgpack gives int for integers, so a bool (a subclass) is refused


def shape_problem(record: Any) -> str | None:
    """Why `record` is not a well-formed edit (None when it is)."""
    if type(record) is not list or not record or type(record[0]) is not str:
        return f"not an edit record: {str(record)[:80]}"
    shape = RECORD_SHAPES.get(record[0])
    if shape is None:
        return f"unknown operation {record[0]!r}"
    if len(record) != len(shape) + 1:
        return f"{record[0]} has {len(record) - 1} arguments, expected {len(shape)}"
    for i, kind in enumerate(shape, 1):
        value = record[i]
        if type(value) not in _TYPES[kind] or (
            kind is _LI and not all(type(v) is int for v in value)
        ):
            return f"{record[0]} argument {i} is {value!r}, expected {kind}"
    return None


def describe(record: Any) -> str:
    """A short human form of a record: ``rename /a -> /b``."""
    if isinstance(record, list) and record and isinstance(record[0], str):
        if record[0] == "rename" and len(record) > 2:
            return f"rename {record[1]} -> {record[2]}"
        return " ".join(str(x) for x in record[:2])[:120]
    return str(record)[:80]


# -- reading --------------------------------------------------------------------------------------
@dataclass(slots=True)
class BadSection:
    """Unreadable bytes in the log: `offset`..`end`, found after `index` good records."""

    offset: int
    end: int
    index: int
    reason: str


@dataclass(slots=True)
class LogScan:
    """What `scan` found: the header's start txid, (offset, record) pairs, the offset just
    after the last good record, and the bad sections that good records follow."""

    start_txid: int | None  # None: the header is missing or damaged
    entries: list[tuple[int, Any]] = field(default_factory=list)
    end: int = 0
    bad: list[BadSection] = field(default_factory=list)


def _frame_at(data: bytes, pos: int) -> tuple[int, Any] | None:
    """(end, record) of a good frame starting at `pos`, or None."""
    if pos + _FRAME.size > len(data):
        return None
    length, crc = _FRAME.unpack_from(data, pos)
    end = pos + _FRAME.size + length
    if length > MAX_RECORD or end > len(data):
        return None
    payload = data[pos + _FRAME.size : end]
    if zlib.crc32(payload) != crc:
        return None
    try:
        record = msgpack.unpackb(payload, raw=False, use_list=True, strict_map_key=False)
    except (ValueError, TypeError):
        return None
    return end, record


def _resync(data: bytes, pos: int) -> int | None:
    """The offset of the next good frame after a bad one at `pos`, or None (a torn tail)."""
    for p in range(pos + 1, len(data) - _FRAME.size + 1):
        if _frame_at(data, p) is not None:
            return p
    return None


def scan(path: Path, offset: int = 0) -> LogScan:
    """Read the log from `offset` (0, or a position after the header from an earlier scan).

    A torn tail ends the scan (`end` stops before it); a bad section followed by good frames
    is listed in `bad` and skipped. With `offset` > 0 the start txid returned is 0 (unknown);
    None when the header is missing or damaged.
    """
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    result = LogScan(None if offset == 0 else 0)
    pos, first = 0, offset == 0
    while pos < len(data):
        found = _frame_at(data, pos)
        if found is None:
            after = _resync(data, pos)
            if after is None:
                break  # a torn tail: a crash mid-append, never acknowledged
            reason = "a record fails its length or checksum test"
            result.bad.append(BadSection(offset + pos, offset + after, len(result.entries), reason))
            pos, first = after, False
            continue
        end, record = found
        if first and isinstance(record, dict):
            start = record.get("start_txid")
            if type(start) is int:
                result.start_txid = start
            else:
                result.bad.append(BadSection(offset, offset + end, 0, "its header is damaged"))
        else:
            result.entries.append((offset + pos, record))
        first = False
        pos = end
        result.end = offset + pos
    if result.end == 0:
        result.end = offset
    return result


def read_records(path: Path, offset: int = 0) -> tuple[int, list[list], int]:
    """(start txid, the good records from `offset` on, offset just after the last good record).

    Raises `EditLogCorrupt` when a bad record is followed by more good data.
    """
    found = scan(path, offset)
    if found.bad:
        bad = found.bad[0]
        raise EditLogCorrupt(
            f"edit log {path} is corrupt at byte {bad.offset}: {bad.reason}, and good records "
            f"follow; {RECOVER_HINT}",
            str(path),
        )
    return found.start_txid or 1, [r for _, r in found.entries], found.end


# -- appending ------------------------------------------------------------------------------------
def _frame(record: list | dict) -> bytes:
    payload = msgpack.packb(record, use_bin_type=True)
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


class EditLog:
    """Appends fsync'd records to the ``edits`` file of a namenode directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.size = 0
        self._broken: str | None = None  # why appends are refused (a tail we could not cut)
        # Group commit: `append(sync=False)` writes under the namespace lock; `sync` fsyncs
        # after it is released, and one fsync covers every append made before it. The sync
        # lock keeps the descriptor from being swapped while it is fsync'd; `generation`
        # counts descriptors (a new one means the old one was fsync'd when it was closed).
        self._sync_lock = threading.RLock()
        self._synced = 0
        self.generation = 0
        self._sync_error: str | None = None  # an fsync failed: nothing unsynced is durable

    def create(self, start_txid: int) -> None:
        """Start a new, empty log (tmp + fsync + rename): raises `DFSStorageWriteError`."""
        write_durably(self.path, _frame({"start_txid": start_txid}), "editlog", "the edit log")
        self.close()

    def open(self, good_end: int | None = None) -> None:
        """Open for appending, truncating a torn tail at `good_end` if given (a reader found
        the last good record there: that also lifts a refusal left by a failed append)."""
        self.close()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self._synced = 0  # what another process left unsynced is fsync'd with our first sync
        if good_end is not None:
            if good_end < os.fstat(self._fd).st_size:
                try:
                    os.ftruncate(self._fd, good_end)
                    os.fsync(self._fd)
                except OSError as e:
                    self._broken = (
                        f"cannot cut the torn tail off the edit log {self.path} at byte "
                        f"{good_end}: {os_reason(e)}; no operation is accepted until it is"
                    )
                    raise DFSStorageWriteError(self._broken, str(self.path)) from e
            self._broken = None
        self.size = os.lseek(self._fd, 0, os.SEEK_END)

    def append(self, records: list[list], sync: bool = True) -> int:
        """Append records and fsync: when this returns they survive a crash.

        Returns the file size after the append (the caller holds the namespace lock, so no
        other process appends in between). Raises `DFSStorageWriteError` when the write or
        the fsync fails; the records are then not in the log. With `sync` false the records
        are written (they survive the death of this process) but survive a power cut only
        after `sync(size)`.
        """
        if self._broken is not None:
            raise DFSStorageWriteError(self._broken, str(self.path))
        if self._fd is None:
            self.open()
        fd: int = self._fd  # type: ignore[assignment]
        data = b"".join([_frame(r) for r in records])
        before = os.fstat(fd).st_size
        try:
            faults.write_fully(fd, data, "editlog")
            if sync:
                os.fsync(fd)
        except OSError as e:
            self._cut_back(fd, before, e)
            raise DFSStorageWriteError(
                f"cannot write the edit log {self.path}: {os_reason(e)}", str(self.path)
            ) from e
        self.size = before + len(data)
        if sync:
            self._synced = self.size
        return self.size

    def sync(self, upto: int, generation: int) -> None:
        """Make everything appended up to byte `upto` of descriptor `generation` durable.

        One fsync covers every append made before it, so a caller whose records another
        thread's fsync already covered returns at once (group commit). Raises
        `DFSStorageWriteError` when the fsync fails; appends are refused from then on.
        """
        with self._sync_lock:
            if self._sync_error is not None:
                raise DFSStorageWriteError(self._sync_error, str(self.path))
            if generation != self.generation or self._synced >= upto or self._fd is None:
                return
            target = self.size  # appends are made under the namespace lock; all before now
            try:
                os.fsync(self._fd)
            except OSError as e:
                self._fail_sync(e)
                raise DFSStorageWriteError(self._sync_error, str(self.path)) from e
            self._synced = max(self._synced, target, upto)

    def _cut_back(self, fd: int, good_end: int, cause: OSError) -> None:
        """Drop the part of a failed append that reached the file."""
        try:
            if os.fstat(fd).st_size != good_end:
                os.ftruncate(fd, good_end)
                os.fsync(fd)
        except OSError as e:
            self._broken = (
                f"cannot write the edit log {self.path}: {os_reason(cause)}, and cutting the "
                f"failed write off failed too ({os_reason(e)}); no operation is accepted until "
                "the namenode is reopened"
            )

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def disk_size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        """Close the descriptor, fsync'ing first what was appended without a sync."""
        with self._sync_lock:
            if self._fd is None:
                return
            try:
                if self._synced < self.size:
                    os.fsync(self._fd)
            except OSError as e:
                self._fail_sync(e)  # the next sync (the pending caller's) raises it
            finally:
                os.close(self._fd)
                self._fd = None
                self.generation += 1

    def _fail_sync(self, cause: OSError) -> None:
        self._sync_error = self._broken = (
            f"cannot sync the edit log {self.path}: {os_reason(cause)}; operations written "
            "since the last sync may not be durable, so none is accepted until the namenode "
            "is restarted"
        )


# -- the image file -------------------------------------------------------------------------------
def write_image(path: Path, image: dict[str, Any]) -> None:
    """Write an image durably (tmp + fsync + rename); raises `DFSStorageWriteError`."""
    payload = msgpack.packb(image, use_bin_type=True)
    header = _IMAGE_HEADER.pack(_IMAGE_MAGIC, len(payload), zlib.crc32(payload))
    write_durably(path, header + payload, "fsimage", "the fsimage")


def read_image(path: Path) -> dict[str, Any]:
    """The image's map; raises `ImageCorrupt` naming the file when it is damaged."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImageCorrupt(f"cannot read the fsimage {path}: {os_reason(e)}", str(path)) from e
    if data.startswith(_IMAGE_MAGIC):
        if len(data) < _IMAGE_HEADER.size:
            raise image_damage(path, "its header is cut short")
        _, length, crc = _IMAGE_HEADER.unpack_from(data)
        payload = data[_IMAGE_HEADER.size :]
        if len(payload) != length:
            raise image_damage(path, f"it holds {len(payload)} bytes of {length} (truncated?)")
        if zlib.crc32(payload) != crc:
            raise image_damage(path, "its checksum does not match")
    else:
        payload = data  # the first layout: an unframed msgpack map
    try:
        image = msgpack.unpackb(payload, raw=False, use_list=True, strict_map_key=False)
    except (ValueError, TypeError) as e:
        raise image_damage(path, f"it cannot be decoded ({e})") from e
    if not isinstance(image, dict):
        raise image_damage(path, "it is not an image map")
    return image


def image_damage(path: Path, why: str) -> ImageCorrupt:
    return ImageCorrupt(
        f"fsimage {path} is damaged: {why}; restore the namenode directory from a backup "
        "(the fsimage cannot be salvaged), or `hadoop namenode -format -force` to erase the "
        "cluster and start over",
        str(path),
    )


def iter_new(records: list[list], start_txid: int, after_txid: int) -> Iterator[tuple[int, list]]:
    """(txid, record) for the records numbered above `after_txid`."""
    for i, record in enumerate(records):
        txid = start_txid + i
        if txid > after_txid:
            yield txid, record


__all__ = [
    "FILE_MODE",
    "EditLog",
    "EditLogCorrupt",
    "ImageCorrupt",
    "LogScan",
    "read_image",
    "read_records",
    "scan",
    "shape_problem",
    "write_image",
]
