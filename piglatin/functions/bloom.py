"""BuildBloom and Bloom (Pig 0.17 func.xml "Bloom"; BuildBloom.java, BuildBloomBase.java,
Bloom.java): build a Bloom filter over a bag's keys, then keep the rows whose key may be in it.

Owns: the filter (Hadoop's BloomFilter layout: int version -1, int number of hashes, byte hash
type (0 jenkins, 1 murmur), int vector size, then the bit vector, bit i in byte i/8 at 1<<(i%8)),
the key of a value (a bytearray's bytes, a chararray's UTF-8, anything else its Pig text; a
one-field tuple's field, else the whole tuple, as Pig's), the sizes BuildBloom's two
constructors give ('hash', 'mode', 'vectorSize', 'nbHash') or ('hash', 'numElements',
'falsePositiveRate'): vectorSize = -n·ln(p)/ln(2)², hashes = 0.7·vectorSize/n, both truncated,
as BuildBloomBase), and reading a filter back from the bytearray itself (`Bloom(C.f, key)`) or
from the first part file of the directory a STORE of it wrote (`DEFINE bloom Bloom('dir')`).
The k positions of a key are Hadoop's HashFunction: h_i = hash(key, seed=h_(i-1)), position
|h_i mod vectorSize|; the hash is MurmurHash3 (32-bit) for both hash types, so a filter built
here is tested here (a filter file written by Java Pig is read, but its hashes differ).
Must not touch: schemas or plans.

>>> make = build_bloom_factory("jenkins", "fixed", "64", "3")
>>> blob = make([("fred",), ("ann",)])
>>> test = bloom_factory()
>>> test(blob, "fred"), test(blob, "ann")
(True, True)
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Callable
from typing import Any

import mmh3

from piglatin.model import data

__all__ = ["BloomFilter", "bloom_factory", "build_bloom_factory", "key_bytes"]

_HEADER = struct.Struct(">iiBi")
_VERSION = -1


class BloomFilter:
    """A bit vector of `size` bits and `hashes` positions per key."""

    __slots__ = ("size", "hashes", "hash_type", "bits")

    def __init__(self, size: int, hashes: int, hash_type: int, bits: bytearray | None = None):
        if size <= 0 or hashes <= 0:
            raise ValueError(f"a Bloom filter needs a size and hashes above 0 ({size}, {hashes})")
        self.size, self.hashes, self.hash_type = size, hashes, hash_type
        self.bits = bits if bits is not None else bytearray((size + 7) // 8)

    def _positions(self, key: bytes) -> list[int]:
        out, seed = [], 0
        for _ in range(self.hashes):
            seed = mmh3.hash(key, seed & 0xFFFFFFFF, signed=True)
            out.append(abs(seed) % self.size)
        return out

    def add(self, key: bytes) -> None:
        for p in self._positions(key):
            self.bits[p >> 3] |= 1 << (p & 7)

    def __contains__(self, key: bytes) -> bool:
        bits = self.bits
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))

    def to_bytes(self) -> bytes:
        return _HEADER.pack(_VERSION, self.hashes, self.hash_type, self.size) + bytes(self.bits)

    @classmethod
    def from_bytes(cls, blob: bytes) -> BloomFilter:
        if len(blob) < _HEADER.size:
            raise ValueError("not a Bloom filter (too short)")
        version, hashes, hash_type, size = _HEADER.unpack_from(blob)
        if version != _VERSION or size <= 0:
            raise ValueError("not a Bloom filter (bad header)")
        end = _HEADER.size + (size + 7) // 8
        if len(blob) < end:
            raise ValueError("not a Bloom filter (truncated)")
        return cls(size, hashes, hash_type, bytearray(blob[_HEADER.size : end]))


def key_bytes(value: Any) -> bytes:
    """The bytes a value is hashed as."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return data.format_value(value).encode("utf-8")


def _row_key(t: tuple) -> bytes:
    return key_bytes(t[0] if len(t) == 1 else t)


def _hash_type(name: str) -> int:
    low = name.lower()
    if "jenkins" in low:
        return 0
    if "murmur" in low:
        return 1
    raise ValueError(f"Unknown hash type {name}.  Valid values are jenkins and murmur.")


def build_bloom_factory(*args: str) -> Callable[[Any], bytes | None]:
    """`DEFINE bb BuildBloom(...)`: bag -> the filter's bytes (a bytearray)."""
    if len(args) == 4:
        hash_name, _mode, vector, nb = args
        size, hashes = int(vector), int(nb)
    elif len(args) == 3:
        hash_name, elements, rate = args
        n, p = int(elements), float(rate)
        if n < 1 or p < 0.0 or p >= 1.0:
            raise ValueError(
                "Number of elements must be greater than zero and desiredFalsePositive must "
                "be between 0  and 1."
            )
        size = int(-1 * (n * math.log(p)) / math.pow(math.log(2), 2))
        hashes = int(0.7 * size / n)
    else:
        raise ValueError(
            "BuildBloom takes ('hashType', 'mode', 'vectorSize', 'nbHash') or "
            "('hashType', 'numElements', 'desiredFalsePositive')"
        )
    kind = _hash_type(hash_name)

    def build(bag: Any) -> bytes | None:
        if bag is None:
            return None
        f = BloomFilter(size, hashes, kind)
        for t in bag:
            if t and not (len(t) == 1 and t[0] is None):
                f.add(_row_key(t))
        return f.to_bytes()

    return build


def build_bloom_unconfigured(bag: Any) -> bytes:
    raise ValueError(
        "BuildBloom needs its parameters: DEFINE bb BuildBloom('jenkins', '100', '0.1');"
    )


def bloom_factory(*args: str) -> Callable[..., bool | None]:
    """`Bloom('dir')` (the filter a STORE wrote into 'dir', found as `locate` says) or
    `Bloom()` (the filter's bytes as the first argument): key(s) -> whether it may be in."""
    if args:
        path, base = args[0], (args[1] if len(args) > 1 else ".")
        cached: list[BloomFilter] = []

        def test_file(*keys: Any) -> bool | None:
            if not cached:
                cached.append(BloomFilter.from_bytes(_read_filter_file(path, base)))
            return _test(cached[0], keys)

        return test_file

    last: list[Any] = [None, None]  # the filter of the last bytes seen (a scalar: one)

    def test_scalar(blob: Any, *keys: Any) -> bool | None:
        if not isinstance(blob, bytes):
            raise ValueError(
                "The first argument to the Bloom UDF should be the bloom filter if a bloom "
                "file is not specified in the constructor"
            )
        if last[0] is not blob:
            last[0], last[1] = blob, BloomFilter.from_bytes(blob)
        return _test(last[1], keys)

    return test_scalar


def _test(f: BloomFilter, keys: tuple) -> bool | None:
    if not keys:
        return None
    if len(keys) == 1:
        if keys[0] is None:
            return False
        return key_bytes(keys[0]) in f
    return key_bytes(tuple(keys)) in f


def _read_filter_file(path: str, base: str) -> bytes:
    """The bytes of the first part file of the directory (or the file) `path`: a local path
    (relative to the session's directory `base`), else a DFS one (relative: the user's)."""
    local = path if os.path.isabs(path) else os.path.join(base, path)
    if "://" not in path and os.path.exists(local):
        if os.path.isdir(local):
            parts = sorted(n for n in os.listdir(local) if n.startswith("part"))
            if not parts:
                raise FileNotFoundError(f"no part file in the Bloom filter directory {path}")
            local = os.path.join(local, parts[0])
        with open(local, "rb") as f:
            return f.read()
    from dfs.conf import current_user
    from mapred.localfs import url_to_fs

    if "://" in path:
        url = path
    elif path.startswith("/"):
        url = "dfs://" + path
    else:
        url = f"dfs:///user/{current_user()}/{path}"
    fs, p = url_to_fs(url)
    if fs.isdir(p):
        parts = sorted(e for e in fs.ls(p, detail=False) if e.rsplit("/", 1)[-1].startswith("part"))
        if not parts:
            raise FileNotFoundError(f"no part file in the Bloom filter directory {path}")
        p = parts[0]
    with fs.open(p, "rb") as f:
        return f.read()
