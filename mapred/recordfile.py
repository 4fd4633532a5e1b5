"""The binary record file: msgpack (key, value) records in blocks separated by sync markers.

Owns the on-disk format that jobs and Pig use for intermediate and binary output (the counterpart
of Hadoop's SequenceFile) and the value encoding it uses. Must not touch splits, committers or any
filesystem internals: it reads and writes plain binary file objects (or fsspec URLs).

Layout::

    header   b"MHRF" | version (1 byte) | sync marker (16 random bytes, one per file)
    block*   sync marker (16) | record count (u32 BE) | payload size (u32 BE) | payload

A payload is the msgpack encoding of ``key, value, key, value, ...``. Writers cut a block once
about 64 KiB of records are buffered. A reader given a byte range ``[start, start + length)``
scans forward from ``start`` for the first sync marker, then walks block by block: a block (and
every record in it) belongs to the range in which its sync marker *starts*, so any set of ranges
that tiles the file yields every record exactly once.

Values are any msgpack-able value. Tuples are preserved as tuples (msgpack extension type 1 whose
payload is the packed list of items), lists stay lists, bytes stay bytes, and maps may have any
msgpack-able keys; datetimes, Decimals and ints beyond 64 bits ride extension types 2-4.
`encode`/`decode` expose the same encoding for other modules.

>>> import io
>>> buf = io.BytesIO()
>>> w = RecordFileWriter(buf, close_file=False)
>>> w.write("k", (1, [2, b"x"]))
>>> w.close()
>>> list(RecordFileReader(io.BytesIO(buf.getvalue())))
[('k', (1, [2, b'x']))]
"""

from __future__ import annotations

import datetime
import os
import struct
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import add, itemgetter
from typing import Any, BinaryIO

import msgpack

from mapred.errors import MapRedError

MAGIC = b"MHRF"
VERSION = 1
SYNC_SIZE = 16
HEADER_SIZE = len(MAGIC) + 1 + SYNC_SIZE
BLOCK_HEADER = struct.Struct(">II")
BLOCK_OVERHEAD = SYNC_SIZE + BLOCK_HEADER.size
DEFAULT_BLOCK_BYTES = 64 * 1024
TUPLE_EXT = 1  # payload: the packed list of the tuple's items
DATETIME_EXT = 2  # payload: ISO 8601 text (naive or with offset)
BIGINT_EXT = 3  # payload: decimal digits of an int outside msgpack's 64-bit range
DECIMAL_EXT = 4  # payload: str(Decimal)
_SCAN_CHUNK = 64 * 1024


class RecordFileError(MapRedError, ValueError):
    """A file is not a record file, or is truncated or corrupt; the message names it."""


# --- value encoding ---------------------------------------------------------------------------
def _convert(obj: Any) -> Any:
    """msgpack hook for what msgpack lacks (datetimes, Decimals, ints beyond 64 bits); subclasses
    of builtins (strict typing sends them here) become their base type."""
    if type(obj) is int:
        return msgpack.ExtType(BIGINT_EXT, str(obj).encode())
    if isinstance(obj, datetime.datetime):
        return msgpack.ExtType(DATETIME_EXT, obj.isoformat().encode())
    import decimal  # lazy: only a value msgpack lacks comes here

    if isinstance(obj, decimal.Decimal):
        return msgpack.ExtType(DECIMAL_EXT, str(obj).encode())
    for base in (str, bytes, int, float, list, dict):
        if isinstance(obj, base):
            return base(obj)
    if isinstance(obj, (bytearray, memoryview)):
        return bytes(obj)
    raise TypeError(f"cannot encode a value of type {type(obj).__name__} with msgpack")


class _Encoder:
    """A strict-typed msgpack packer whose hook turns tuples into extension type 1.

    A tuple's items are packed by a second packer (a packer is not re-entrant); one packer per
    nesting depth is kept, so packing a record costs no packer construction.
    """

    __slots__ = ("pack", "_nested", "_depth")

    def __init__(self) -> None:
        self._nested: list[Any] = []
        self._depth = 0
        self.pack = self._packer().pack

    def _packer(self) -> msgpack.Packer:
        return msgpack.Packer(use_bin_type=True, strict_types=True, default=self._default)

    def _default(self, obj: Any) -> Any:
        if not isinstance(obj, tuple):
            return _convert(obj)
        depth = self._depth
        if depth == len(self._nested):
            self._nested.append(self._packer())
        self._depth = depth + 1
        try:
            return msgpack.ExtType(TUPLE_EXT, self._nested[depth].pack(list(obj)))
        finally:
            self._depth = depth


def _ext_hook(code: int, data: bytes) -> Any:
    if code == TUPLE_EXT:
        return tuple(
            msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)
        )
    if code == BIGINT_EXT:
        return int(data)
    if code == DATETIME_EXT:
        return datetime.datetime.fromisoformat(data.decode())
    if code == DECIMAL_EXT:
        import decimal  # lazy: few files hold a Decimal

        return decimal.Decimal(data.decode())
    return msgpack.ExtType(code, data)


def new_packer() -> Any:
    """An object whose ``pack(obj) -> bytes`` preserves tuples (see the module docstring).
    Not thread-safe: one per writer."""
    return _Encoder()


def new_unpacker(**kwargs: Any) -> msgpack.Unpacker:
    """A streaming unpacker matching `new_packer`."""
    return msgpack.Unpacker(
        raw=False, ext_hook=_ext_hook, strict_map_key=False, max_buffer_size=0, **kwargs
    )


def encode(obj: Any) -> bytes:
    """Encode one value (tuples preserved)."""
    return _Encoder().pack(obj)


def decode(data: bytes) -> Any:
    """Decode one value written by `encode`."""
    return msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)


# --- writing ----------------------------------------------------------------------------------
_BATCH = 4096  # records packed at once by `RecordFileWriter.write_many`
_PAIR = {2}
_KEY, _VALUE = itemgetter(0), itemgetter(1)


class RecordFileWriter:
    """Write (key, value) records to a binary file object, in blocks of about `block_bytes`."""

    __slots__ = (
        "_f",
        "_sync",
        "_pack",
        "_parts",
        "_size",
        "_count",
        "_block_limit",
        "_close_file",
        "closed",
    )

    def __init__(
        self,
        fileobj: BinaryIO,
        *,
        block_bytes: int = DEFAULT_BLOCK_BYTES,
        sync: bytes | None = None,
        close_file: bool = True,
    ) -> None:
        self._f = fileobj
        self._sync = sync if sync is not None else os.urandom(SYNC_SIZE)
        if len(self._sync) != SYNC_SIZE:
            raise ValueError(f"a sync marker has {SYNC_SIZE} bytes, got {len(self._sync)}")
        self._pack = new_packer().pack
        self._parts: list[bytes] = []
        self._size = 0
        self._count = 0
        self._close_file = close_file
        self.closed = False
        self._block_limit = block_bytes
        fileobj.write(MAGIC + bytes((VERSION,)) + self._sync)

    def write(self, key: Any, value: Any) -> None:
        data = self._pack(key) + self._pack(value)
        self._parts.append(data)
        self._count += 1
        self._size += len(data)
        if self._size >= self._block_limit:
            self._flush_block()

    def write_many(self, pairs: Iterable[tuple[Any, Any]]) -> int:
        """Write every (key, value) of `pairs`, as `write` would one by one, packing a batch
        at a time in C-level passes; returns how many there were. A block may then pass
        its size by up to a batch."""
        it = iter(pairs)
        pack = self._pack
        n = 0
        while batch := list(islice(it, _BATCH)):
            n += len(batch)
            if set(map(len, batch)) != _PAIR:  # not all pairs: write says what is wrong
                for key, value in batch:
                    self.write(key, value)
                continue
            data = list(map(add, map(pack, map(_KEY, batch)), map(pack, map(_VALUE, batch))))
            self._parts += data
            self._count += len(data)
            self._size += sum(map(len, data))
            if self._size >= self._block_limit:
                self._flush_block()
        return n

    def _flush_block(self) -> None:
        if not self._count:
            return
        payload = b"".join(self._parts)
        self._f.write(self._sync + BLOCK_HEADER.pack(self._count, len(payload)) + payload)
        self._parts = []
        self._size = 0
        self._count = 0

    def flush(self) -> None:
        """Write out the buffered records as a block (a reader sees them afterwards)."""
        self._flush_block()
        flush = getattr(self._f, "flush", None)
        if flush is not None:
            flush()

    def close(self) -> None:
        if self.closed:
            return
        self._flush_block()
        self.closed = True
        if self._close_file:
            self._f.close()

    def __enter__(self) -> RecordFileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- reading ----------------------------------------------------------------------------------
def read_header(fileobj: BinaryIO, name: str = "<stream>") -> bytes:
    """Read and check the header at offset 0; return the file's sync marker."""
    fileobj.seek(0)
    header = fileobj.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or header[: len(MAGIC)] != MAGIC:
        raise RecordFileError(f"{name} is not a record file (bad or missing header)")
    version = header[len(MAGIC)]
    if version != VERSION:
        raise RecordFileError(f"{name}: unsupported record file version {version}")
    return header[len(MAGIC) + 1 :]


class RecordFileReader:
    """Iterate the records of the blocks whose sync marker starts in ``[start, end)``.

    `bytes_read` holds the bytes of the blocks consumed so far (updated per block).
    """

    def __init__(
        self, fileobj: BinaryIO, start: int = 0, end: int | None = None, *, name: str = "<stream>"
    ) -> None:
        self._f = fileobj
        self._start = start
        self._end = end
        self._name = name
        self.bytes_read = 0

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        for records in self._blocks():
            yield from zip(records, records)

    def batches(self) -> Iterator[tuple[list[Any], list[Any]]]:
        """(keys, values) of each block, unpacked in one C-level pass."""
        for records in self._blocks():
            items = list(records)
            yield items[0::2], items[1::2]

    def _blocks(self) -> Iterator[Iterator[Any]]:
        """Each block's unpacked items (a key, its value, the next key, ...), in order;
        `bytes_read` counts a block once it is handed over."""
        f = self._f
        sync = read_header(f, self._name)
        end = self._end if self._end is not None else _file_size(f)
        pos = _find_sync(f, sync, max(self._start, HEADER_SIZE), end)
        while pos is not None and pos < end:
            f.seek(pos)
            head = f.read(BLOCK_OVERHEAD)
            if not head:
                return
            count, nbytes = self._check_block(head, sync, pos)
            payload = f.read(nbytes)
            if len(payload) != nbytes:
                raise RecordFileError(f"{self._name}: block at offset {pos} is truncated")
            unpacker = new_unpacker()
            unpacker.feed(payload)
            self.bytes_read += BLOCK_OVERHEAD + nbytes
            yield iter(unpacker)
            pos += BLOCK_OVERHEAD + nbytes

    def _check_block(self, head: bytes, sync: bytes, pos: int) -> tuple[int, int]:
        if len(head) < BLOCK_OVERHEAD or head[:SYNC_SIZE] != sync:
            raise RecordFileError(f"{self._name}: corrupt block at offset {pos} (sync mismatch)")
        return BLOCK_HEADER.unpack_from(head, SYNC_SIZE)


def _file_size(f: BinaryIO) -> int:
    here = f.tell()
    size = f.seek(0, os.SEEK_END)
    f.seek(here)
    return size


def _find_sync(f: BinaryIO, sync: bytes, pos: int, end: int) -> int | None:
    """Offset of the first sync marker starting at or after `pos` and before `end`, or None."""
    f.seek(pos)
    base = pos  # file offset of buf[0]
    buf = b""
    while base < end:
        data = f.read(_SCAN_CHUNK)
        if not data:
            return None
        buf += data
        i = buf.find(sync)
        if i >= 0:
            return base + i if base + i < end else None
        drop = len(buf) - (SYNC_SIZE - 1)
        if drop > 0:
            base += drop
            buf = buf[drop:]
    return None


def read_records(
    fs_or_url: Any, start: int = 0, length: int | None = None, *, path: str | None = None
) -> Iterator[tuple[Any, Any]]:
    """Records of a record file in the byte range ``[start, start + length)``.

    `fs_or_url` is an fsspec URL (or local path), or an fsspec filesystem together with `path`.
    `length=None` reads to the end of the file.
    """
    if isinstance(fs_or_url, str):
        from mapred.localfs import url_to_fs

        fs, path = url_to_fs(fs_or_url)
        name = fs_or_url
    else:
        if path is None:
            raise TypeError("read_records(fs, ...) needs path=")
        fs, name = fs_or_url, path
    end = None if length is None else start + length
    with fs.open(path, "rb") as f:
        yield from RecordFileReader(f, start, end, name=name)
