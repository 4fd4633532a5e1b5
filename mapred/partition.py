"""Partitioners and the sort/group key functions a task uses, built once per task from the job.

Owns: which reduce partition a key goes to (mmh3 of the serialized key by default, so equal keys
meet in every process; never Python's per-process ``hash``), the total-order partitioner, and the
byte sort key / grouping functions. Must not touch: buffers, files or scheduling.

A partition function here has the signature ``part(key, key_bytes, sort_bytes) -> int`` so each
partitioner uses whichever form it needs without re-serializing; ``partition_many(part)`` gives
its batch form, ``(keys, key bytes, sort bytes) -> partitions``, in C-level calls where it can.

>>> part = hash_partitioner(4)
>>> part("x", b"\\xa1x", b"") == part("x", b"\\xa1x", b"") and 0 <= part("x", b"\\xa1x", b"") < 4
True
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any

import mmh3

from mapred.api import has_method
from mapred.errors import JobConfigError
from mapred.serde import packb, sort_bytes, sort_bytes_many

__all__ = [
    "hash_partition",
    "hash_partitioner",
    "TotalOrderPartitioner",
    "make_partitioner",
    "make_sort_key",
    "partition_many",
    "TOTAL_ORDER_CUTS",
]

PartitionFn = Callable[[Any, bytes, bytes], int]

#: Configuration property carrying the total-order cut points (list of sort-key bytes).
TOTAL_ORDER_CUTS = "mapreduce.totalorderpartitioner.cuts"

_hash = mmh3.hash


def hash_partition(key_bytes: bytes, n: int) -> int:
    """The default partition of a serialized key: unsigned 32-bit murmur3, modulo `n`."""
    return _hash(key_bytes, 0, False) % n


def hash_partitioner(n: int) -> PartitionFn:
    def part(key: Any, kb: bytes, skb: bytes) -> int:
        return _hash(kb, 0, False) % n

    def many(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
        return map(n.__rmod__, map(_hash, kbs, repeat(0), repeat(False)))

    part.many = many
    return part


def partition_many(part: PartitionFn) -> Callable[[Sequence, Sequence, Sequence], Iterable[int]]:
    """The batch form of `part`: its own ``many`` when it has one, else a map of it."""
    many = getattr(part, "many", None)
    if many is not None:
        return many
    return lambda keys, kbs, skbs: map(part, keys, kbs, skbs)


class TotalOrderPartitioner:
    """Partition i holds the sort keys in ``[cuts[i-1], cuts[i])``: reducers' outputs concatenate
    into one sorted sequence. `cuts` are ``n - 1`` sorted byte sort keys (from the sampler)."""

    __slots__ = ("cuts",)

    def __init__(self, cuts: Sequence[bytes]) -> None:
        self.cuts = sorted(bytes(c) for c in cuts)

    def __call__(self, key: Any, kb: bytes, skb: bytes) -> int:
        return bisect_right(self.cuts, skb)

    def many(self, keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
        return map(bisect_right, repeat(self.cuts), skbs)


def make_sort_key(job: Any) -> Callable[[Any], bytes]:
    """key -> byte sort key, honouring the job's ``sort_key`` comparator. The function's
    ``many`` attribute is its batch form (a list of keys -> their sort keys)."""
    if has_method(type(job), "sort_key"):
        user = job.sort_key

        def sort_key(key: Any) -> bytes:
            return sort_bytes(user(key))

        def many(keys: Sequence) -> list[bytes]:
            return sort_bytes_many(list(map(user, keys)))

        sort_key.many = many
        return sort_key
    return sort_bytes


def make_partitioner(job: Any, n: int, conf: Any) -> PartitionFn:
    """The partition function for `job` with `n` reduce partitions."""
    if n <= 1:
        return lambda key, kb, skb: 0
    cls = type(job)
    if has_method(cls, "partition"):
        user = job.partition

        def part(key: Any, kb: bytes, skb: bytes) -> int:
            p = user(key, n)
            if not 0 <= p < n:
                raise JobConfigError(
                    f"partition({key!r}, {n}) returned {p!r}; it must be in 0..{n - 1}"
                )
            return p

        return part
    if getattr(cls, "partitioner", None) == "total_order":
        cuts = conf.get(TOTAL_ORDER_CUTS)
        if cuts is None:
            raise JobConfigError(
                f"total-order partitioning needs {TOTAL_ORDER_CUTS} (run the sampler)"
            )
        if len(cuts) != n - 1:
            raise JobConfigError(
                f"{TOTAL_ORDER_CUTS} holds {len(cuts)} cut points; {n} reducers need {n - 1}"
            )
        return TotalOrderPartitioner(cuts)
    if has_method(cls, "group_key"):
        group = job.group_key

        def part_group(key: Any, kb: bytes, skb: bytes) -> int:
            return _hash(packb(group(key)), 0, False) % n

        def many(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
            hashes = map(_hash, map(packb, map(group, keys)), repeat(0), repeat(False))
            return map(n.__rmod__, hashes)

        part_group.many = many
        return part_group
    return hash_partitioner(n)
