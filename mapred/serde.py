"""Intermediate data encoding: msgpack for keys and values, order-preserving byte sort keys.

Owns: how map output records look on local disk and on the wire between map and reduce, and the
byte strings they are sorted by. Must not touch: files (callers own them) or job logic.

A record in a map output segment is one msgpack array of three: the sort key (``bin``), the key
and the value, so a writer makes it with one ``packb((sort bytes, key, value))`` and a reader
gets it as a tuple from one step of a C-level unpacker. Arrays decode as tuples (hashable, like
Pig tuples); maps with any key type are allowed.

A job whose keys are their own sort bytes (``mapred.partition.KEY_BYTES``: Pig's) writes the
pair layout instead: a record is two msgpack objects, the key (``bin``) and the value, with no
array around them and no second copy of the key as sort bytes; read back, a record is the
pair ``(key, value)``, the key being its sort bytes. A segment says which layout it holds by
its first byte (``RECORD_HEADER``, or a bin header: ``is_pair_segment``); the reduce side
takes a record's key and value from where its layout puts them (``mapred.grouping``).

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

import math
import struct
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import add, itemgetter, sub
from typing import Any, BinaryIO

import msgpack

__all__ = [
    "packb",
    "packb_many",
    "unpackb",
    "new_packer",
    "new_unpacker",
    "sort_bytes",
    "sort_bytes_many",
    "iter_records",
    "RECORD_HEADER",
    "iter_pairs",
    "bin_header",
    "is_pair_segment",
    "pair_record",
    "LimitedReader",
]

#: The first byte of a record's bytes: a msgpack array of three (sort bytes, key, value).
RECORD_HEADER = b"\x93"

_pack_double = struct.Struct(">d").pack
_packer = msgpack.Packer(use_bin_type=True)
packb = _packer.pack  # one shared packer: packb(obj) -> bytes (autoreset)


def packb_many(objs: list) -> list[bytes]:
    """``[packb(o) for o in objs]``; bytes objects (a Pig job's keys) are framed in C-level
    passes, a bin header looked up and prepended, with no packer call each.

    >>> packb_many([b"ab", b"x" * 300]) == [packb(b"ab"), packb(b"x" * 300)]
    True
    """
    if set(map(type, objs)) == _BYTES_ONLY:
        return list(map(add, map(_BIN_HEADERS.__getitem__, map(len, objs)), objs))
    return list(map(packb, objs))


class _BinHeaders(dict):
    """length -> the msgpack bin header of that many bytes, made on first use."""

    def __missing__(self, n: int) -> bytes:
        if n < 256:
            header = b"\xc4" + n.to_bytes(1, "big")
        elif n < 65536:
            header = b"\xc5" + n.to_bytes(2, "big")
        else:
            header = b"\xc6" + n.to_bytes(4, "big")
        if n < 1 << 16:
            self[n] = header
        return header


_BIN_HEADERS = _BinHeaders()

#: length -> the msgpack bin header of that many bytes (a C-level dict lookup when cached).
bin_header = _BIN_HEADERS.__getitem__


def pair_record(key: bytes, value: Any) -> bytes:
    """A record's bytes in the pair layout (see the module docstring): `key` framed as a bin,
    then the value packed.

    >>> unpackb(b"\\x92" + pair_record(b"k", (1, "v")))
    (b'k', (1, 'v'))
    """
    return bin_header(len(key)) + key + packb(value)


def is_pair_segment(first: bytes) -> bool:
    """Whether a segment whose first byte is `first` holds pair-layout records (a bin header
    starts it, not ``RECORD_HEADER``)."""
    return first[:1] in _BIN_TAGS


_BIN_TAGS = (b"\xc4", b"\xc5", b"\xc6")


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
# Type tags, in cross-type order. Numbers: int64-range values are the biased integer part (8
# bytes) plus, for non-integral floats, the float's own order-preserving bytes; beyond int64,
# ordered float bytes (ints there also get an exact tail). 3 and 3.0 encode alike.
_NONE, _BOOL = b"\x01", b"\x02"
_NUM_LOW, _NUM, _NUM_HIGH, _NUM_NAN = b"\x30", b"\x31", b"\x32", b"\x33"
_STR, _BYTES, _TUPLE, _DICT = b"\x40", b"\x50", b"\x60", b"\x70"
_BIAS = 1 << 63
_LOW, _HIGH = -(1 << 63), 1 << 63
_pack_u64 = struct.Struct(">Q").pack


def _float_order(f: float) -> bytes:
    raw = _pack_double(f)
    if raw[0] & 0x80:
        return bytes(b ^ 0xFF for b in raw)
    return bytes((raw[0] | 0x80,)) + raw[1:]


def _int(i: int) -> bytes:
    if _LOW <= i < _HIGH:
        return _NUM + _pack_u64(i + _BIAS)
    # past 64 bits: ordered by the nearest double, then exactly by a length-prefixed
    # magnitude (complemented for negatives, so a larger magnitude sorts first)
    near = float(i) if i.bit_length() <= 1023 else math.copysign(math.inf, i)
    size = (abs(i).bit_length() + 7) // 8
    raw = abs(i).to_bytes(size, "big")
    if i < _LOW:
        tail = (0xFFFF - size).to_bytes(2, "big") + raw.translate(_COMPLEMENT)
        return _NUM_LOW + _float_order(near) + tail
    return _NUM_HIGH + _float_order(near) + size.to_bytes(2, "big") + raw


_COMPLEMENT = bytes(range(255, -1, -1))


def _float(f: float) -> bytes:
    if f != f:
        return _NUM_NAN
    if _LOW <= f < _HIGH:
        whole = math.floor(f)
        head = _NUM + _pack_u64(whole + _BIAS)
        return head if whole == f else head + _float_order(f)  # (ints first, then by value)
    return (_NUM_LOW if f < 0 else _NUM_HIGH) + _float_order(f)


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\x00", b"\x00\xff") + b"\x00"


def _nested_str(k: str) -> bytes:
    return _STR + k.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff") + b"\x00"


def _nested_bytes(k: Any) -> bytes:
    return _BYTES + _escape(bytes(k))


def _top_str(k: str) -> bytes:
    return _STR + k.encode("utf-8", "surrogatepass")


def _top_bytes(k: Any) -> bytes:
    return _BYTES + bytes(k)


def _sequence(k: Any) -> bytes:
    if len(k) == 2:  # (str, int): a join's or a secondary sort's tagged key, in one format call
        a, b = k
        if type(a) is str and type(b) is int and _LOW <= b < _HIGH:
            raw = a.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff")
            return _STR_INT_PAIR % (raw, _pack_u64(b + _BIAS))
    return _elements(k)


def _elements(k: Any) -> bytes:
    parts = [_TUPLE]
    append = parts.append
    for x in k:  # str and int64 inline: composite keys are the common case (joins, 2nd sort)
        t = type(x)
        if t is str:
            append(
                _STR + x.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff") + b"\x00"
            )
        elif t is int and _LOW <= x < _HIGH:
            append(_NUM + _pack_u64(x + _BIAS))
        else:
            append((_NESTED.get(t) or _nested_slow)(x))
    append(b"\x00")
    return b"".join(parts)


_STR_INT_PAIR = _TUPLE + _STR + b"%s\x00" + _NUM + b"%s\x00"
# the parts of a (str, int) key's sort bytes around its string and its int, for b"".join
_PAIR_HEAD, _PAIR_MID = repeat(_TUPLE + _STR), repeat(b"\x00" + _NUM)
_SMALL_RANGE = 256


def _dict(k: dict) -> bytes:
    items = sorted(_sequence((a, b)) for a, b in k.items())
    return _DICT + b"".join(items) + b"\x00"


def _none(k: Any) -> bytes:
    return _NONE


def _bool(k: bool) -> bytes:
    return _BOOL + (b"\x01" if k else b"\x00")


_COMMON = {
    int: _int,
    float: _float,
    tuple: _sequence,
    list: _sequence,
    dict: _dict,
    type(None): _none,
    bool: _bool,
}
_TOP = {str: _top_str, bytes: _top_bytes, bytearray: _top_bytes, memoryview: _top_bytes, **_COMMON}
_NESTED = {
    str: _nested_str,
    bytes: _nested_bytes,
    bytearray: _nested_bytes,
    memoryview: _nested_bytes,
    **_COMMON,
}
_BASES = (bool, int, float, str, bytes, tuple, list, dict)


def _subclass(k: Any, table: dict) -> bytes:
    for base in _BASES:  # subclasses of the builtins: rare, slow path
        if isinstance(k, base):
            return table[base](base(k))
    raise TypeError(f"cannot sort a key of type {type(k).__name__}: {k!r}")


def _nested_slow(k: Any) -> bytes:
    return _subclass(k, _NESTED)


def sort_bytes(key: Any) -> bytes:
    """The byte sort key of `key` (see the module docstring)."""
    if type(key) is str:
        return _STR + key.encode("utf-8", "surrogatepass")
    if type(key) is bytes:  # keys that are already sort bytes (Pig's): no second call
        return _BYTES + key
    fn = _TOP.get(type(key))
    return fn(key) if fn is not None else _subclass(key, _TOP)


def sort_bytes_many(keys: Iterable[Any]) -> list[bytes]:
    """``[sort_bytes(k) for k in keys]``, in C-level passes when every key is a str or every
    key is a (str, int64) pair (a join's or a secondary sort's tagged key).

    >>> sort_bytes_many(["b", "a"]) == [sort_bytes("b"), sort_bytes("a")]
    True
    >>> sort_bytes_many([("x", 2), ("y", -1)]) == [sort_bytes(("x", 2)), sort_bytes(("y", -1))]
    True
    """
    keys = keys if type(keys) is list else list(keys)
    types = set(map(type, keys))
    if types == _BYTES_ONLY:  # keys that are already sort bytes (Pig's)
        return list(map(add, repeat(_BYTES), keys))
    if types == _STR_ONLY:
        return list(map(add, repeat(_STR), map(str.encode, keys, _UTF8, _SURROGATES)))
    if types == _TUPLE_ONLY and set(map(len, keys)) == _PAIR_LEN:
        firsts = list(map(_item0, keys))
        seconds = list(map(_item1, keys))
        if set(map(type, firsts)) == _STR_ONLY and set(map(type, seconds)) == _INT_ONLY:
            low, high = min(seconds), max(seconds)
            if low >= _LOW and high < _HIGH:
                raws = map(
                    bytes.replace, map(str.encode, firsts, _UTF8, _SURROGATES), _NUL, _NUL_ESC
                )
                return list(
                    map(b"".join, zip(_PAIR_HEAD, raws, _PAIR_MID, _ints(seconds, low, high), _NUL))
                )
    return list(map(sort_bytes, keys))


def _ints(ints: list[int], low: int, high: int) -> Iterable[bytes]:
    """The biased big-endian 8 bytes of each int64 of `ints` (all in [low, high]): looked up in
    a table made for a small range (a join's tags, small enums), else packed one by one."""
    if high - low < _SMALL_RANGE:
        table = [_pack_u64(i + _BIAS) for i in range(low, high + 1)]
        return map(table.__getitem__, map(sub, ints, repeat(low)) if low else ints)
    return map(_pack_u64, map(add, ints, repeat(_BIAS)))


_STR_ONLY, _TUPLE_ONLY, _INT_ONLY, _PAIR_LEN = {str}, {tuple}, {int}, {2}
_BYTES_ONLY = {bytes}
_UTF8, _SURROGATES = repeat("utf-8"), repeat("surrogatepass")
_NUL, _NUL_ESC = repeat(b"\x00"), repeat(b"\x00\xff")
_item0, _item1 = itemgetter(0), itemgetter(1)


# -- reading segments ----------------------------------------------------------------------------
class LimitedReader:
    """A read-only view of ``length`` bytes of `fileobj` from its current position.

    With ``close_at_end`` the file is closed once the last byte (or end of file) is read."""

    __slots__ = ("_f", "_left", "_close")

    def __init__(self, fileobj: BinaryIO, length: int, close_at_end: bool = False) -> None:
        self._f = fileobj
        self._left = length
        self._close = close_at_end

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        if n is None or n < 0 or n > self._left:
            n = self._left
        data = self._f.read(n)
        self._left = self._left - len(data) if data else 0
        if self._left <= 0 and self._close:
            self._f.close()
        return data


def iter_records(fileobj: Any, read_size: int = 1 << 18) -> Iterator[tuple[bytes, Any, Any]]:
    """(sort bytes, key, value) triples from a segment stream or bytes."""
    if isinstance(fileobj, (bytes, bytearray, memoryview)):
        unpacker = new_unpacker()
        unpacker.feed(fileobj)
        return unpacker
    return new_unpacker(fileobj, read_size)


def iter_pairs(fileobj: Any, read_size: int = 1 << 18) -> Iterator[tuple[Any, Any]]:
    """Consecutive msgpack objects two at a time: a spill's (sort bytes, payload bytes), or a
    pair-layout segment's (key, value) records (`fileobj` may be bytes)."""
    if isinstance(fileobj, (bytes, bytearray, memoryview)):
        unpacker = new_unpacker()
        unpacker.feed(fileobj)
    else:
        unpacker = new_unpacker(fileobj, read_size)
    return zip(unpacker, unpacker, strict=False)
