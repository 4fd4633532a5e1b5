"""Intermediate data encoding: msgpack for keys and values, order-preserving byte sort keys.

Owns: how map output records look on local disk and on the wire between map and reduce, and the
byte strings they are sorted by. Must not touch: files (callers own them) or job logic.

Records in a map output segment are three consecutive msgpack objects: the sort key (``bin``),
the key and the value. Reading uses ``zip(unpacker, unpacker, unpacker)`` so decoding stays in C.
Arrays decode as tuples (hashable, like Pig tuples); maps with any key type are allowed.

``sort_bytes(key)`` maps a key to bytes whose lexicographic order is Python's natural order for
keys of one type (str, bytes, int/float, tuples of those) and a fixed order across types
(None < bool < numbers < str < bytes < tuples < dicts), so mixed keys never raise while sorting.
Equal bytes mean equal keys (``3`` and ``3.0`` compare equal, as in Python).

>>> sort_bytes("b") > sort_bytes("a"), sort_bytes(10) > sort_bytes(9), sort_bytes(-1) < sort_bytes(0)
(True, True, True)
>>> sort_bytes(("a", 2)) < sort_bytes(("a", 10)) < sort_bytes(("ab",))
True
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

import msgpack

__all__ = [
    "packb",
    "unpackb",
    "new_packer",
    "new_unpacker",
    "sort_bytes",
    "iter_records",
    "LimitedReader",
]

_pack_double = struct.Struct(">d").pack
_packer = msgpack.Packer(use_bin_type=True)
packb = _packer.pack  # one shared packer: packb(obj) -> bytes (autoreset)


def unpackb(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False, use_list=False, strict_map_key=False)


def new_packer() -> msgpack.Packer:
    return msgpack.Packer(use_bin_type=True)


def new_unpacker(fileobj: Any = None, read_size: int = 1 << 18) -> msgpack.Unpacker:
    return msgpack.Unpacker(
        fileobj,
        raw=False,
        use_list=False,
        strict_map_key=False,
        read_size=read_size,
        max_buffer_size=0,
    )


# -- order-preserving sort keys ---------------------------------------------------------------
_NONE, _BOOL, _NUM, _STR, _BYTES, _TUPLE, _DICT = (bytes([t]) for t in range(1, 8))
_INT_BIAS = 1 << 63


def _float_order(f: float) -> bytes:
    raw = _pack_double(f)
    if raw[0] & 0x80:
        return bytes(b ^ 0xFF for b in raw)
    return bytes((raw[0] | 0x80,)) + raw[1:]


def _number(x: Any, exact: int) -> bytes:
    # float order first, then the exact integer as a tie-breaker (ints beyond 2**53).
    return _float_order(float(x)) + (exact + _INT_BIAS).to_bytes(9, "big")


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\x00", b"\x00\xff") + b"\x00"


def _encode(k: Any, nested: bool) -> bytes:
    t = type(k)
    if t is str:
        raw = k.encode("utf-8", "surrogatepass")
        return _STR + (_escape(raw) if nested else raw)
    if t is int:
        return _NUM + _number(k, k)
    if t is tuple or t is list:
        return _TUPLE + b"".join([_encode(x, True) for x in k]) + b"\x00"
    if t is float:
        if k != k:  # NaN sorts after every number
            return _NUM + b"\xff" * 17
        if k.is_integer() and -(1 << 63) <= k < (1 << 64):
            return _NUM + _number(k, int(k))
        return _NUM + _float_order(k) + bytes(9)
    if k is None:
        return _NONE
    if t is bool:
        return _BOOL + (b"\x01" if k else b"\x00")
    if t is bytes or t is bytearray or t is memoryview:
        raw = bytes(k)
        return _BYTES + (_escape(raw) if nested else raw)
    if t is dict:
        items = sorted(_encode((a, b), True) for a, b in k.items())
        return _DICT + b"".join(items) + b"\x00"
    if isinstance(k, (str, int, float, tuple, list, bytes, dict)):  # subclasses: rare, slow path
        base = next(b for b in (bool, int, float, str, bytes, tuple, list, dict) if isinstance(k, b))
        return _encode(base(k), nested)
    raise TypeError(f"cannot sort a key of type {t.__name__}: {k!r}")


def sort_bytes(key: Any) -> bytes:
    """The byte sort key of `key` (see the module docstring)."""
    if type(key) is str:
        return _STR + key.encode("utf-8", "surrogatepass")
    return _encode(key, False)


# -- reading segments ----------------------------------------------------------------------------
class LimitedReader:
    """A read-only view of ``length`` bytes of `fileobj` from its current position."""

    __slots__ = ("_f", "_left")

    def __init__(self, fileobj: BinaryIO, length: int) -> None:
        self._f = fileobj
        self._left = length

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        if n is None or n < 0 or n > self._left:
            n = self._left
        data = self._f.read(n)
        self._left -= len(data)
        return data


def iter_records(fileobj: Any, read_size: int = 1 << 18) -> Iterator[tuple[bytes, Any, Any]]:
    """(sort bytes, key, value) triples from a segment stream or bytes."""
    if isinstance(fileobj, (bytes, bytearray, memoryview)):
        unpacker = new_unpacker()
        unpacker.feed(fileobj)
    else:
        unpacker = new_unpacker(fileobj, read_size)
    return zip(unpacker, unpacker, unpacker)
