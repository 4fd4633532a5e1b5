"""Partitioners and the sort/group key functions a task uses, built once per task from the job.

Owns: which reduce partition a key goes to (mmh3 of the serialized key by default, so equal keys
meet in every process; never Python's per-process ``hash``), the total-order partitioner, and the
byte sort key / grouping functions. Must not touch: buffers, files or scheduling.

A partition function here has the signature ``part(key, key_bytes, sort_bytes) -> int`` so each
partitioner uses whichever form it needs without re-serializing. The contracts are typed: a
``Partitioner`` holds ``one`` (that function) and ``many``, its batch form ``(keys, key bytes,
sort bytes) -> partitions`` in C-level calls where it can; a ``SortKey`` holds ``one`` (key ->
byte sort key) and ``many`` (a list of keys -> their sort keys). Both are callable as their
``one``; ``as_partitioner``/``as_sort_key`` wrap a plain function (its batch form a ``map``).

The grouping comparator comes in two forms. A job's ``group_key(key)`` method is general: one
Python call per record, in the partitioner and in the reduce task's grouping. A job whose group
is a byte prefix of its sort key declares it instead with a class attribute ``group_bytes =
GroupBytes(stop)``: keys whose byte sort keys agree on ``[:stop]`` (``stop`` < 0 drops that many
trailing bytes: a join's tag) form one reduce group and go to one partition, both computed in
C-level slices. The declaration is the job's promise, as Hadoop's grouping comparator must be
consistent with its sort comparator: every key of a group has the same cut, and no group's cut is
a proper prefix of another's (``mapred.serde`` terminates strings inside tuples, so a tuple key's
leading fields qualify). With both, ``group_bytes`` decides.

>>> part = hash_partitioner(4)
>>> part.one("x", b"\\xa1x", b"") == part("x", b"\\xa1x", b"")
True
>>> 0 <= part("x", b"\\xa1x", b"") < 4
True
>>> list(part.many(["x"], [b"\\xa1x"], [b""])) == [part("x", b"\\xa1x", b"")]
True
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import itemgetter, mod
from typing import Any

import mmh3

from dfs.fastclass import dataclass
from mapred.api import has_method
from mapred.errors import JobConfigError
from mapred.serde import packb, sort_bytes, sort_bytes_many

__all__ = [
    "Partitioner",
    "SortKey",
    "GroupBytes",
    "group_bytes_of",
    "BYTE_SORT_KEY",
    "KEY_BYTES",
    "as_partitioner",
    "as_sort_key",
    "hash_partition",
    "hash_partitioner",
    "TotalOrderPartitioner",
    "make_partitioner",
    "make_sort_key",
    "TOTAL_ORDER_CUTS",
]

PartitionFn = Callable[[Any, bytes, bytes], int]
ManyPartitionFn = Callable[[Sequence, Sequence[bytes], Sequence[bytes]], Iterable[int]]


@dataclass(frozen=True, slots=True)
class Partitioner:
    """A partitioner: ``one(key, key bytes, sort bytes) -> partition`` and its batch form
    ``many(keys, key bytes, sort bytes) -> partitions`` (an iterable, in step with the keys)."""

    one: PartitionFn
    many: ManyPartitionFn

    def __call__(self, key: Any, kb: bytes, skb: bytes) -> int:
        return self.one(key, kb, skb)


@dataclass(frozen=True, slots=True)
class SortKey:
    """A byte sort key: ``one(key) -> bytes`` and its batch form ``many(keys) -> [bytes]``."""

    one: Callable[[Any], bytes]
    many: Callable[[Sequence], list[bytes]]

    def __call__(self, key: Any) -> bytes:
        return self.one(key)


@dataclass(frozen=True, slots=True)
class GroupBytes:
    """The grouping comparator as a byte prefix of the sort key: keys whose byte sort keys agree
    on ``[:stop]`` are one reduce group (see the module docstring). ``stop=-1`` drops a one-byte
    tag; a ``(str, small int)`` key groups by its string with ``stop=-10``.

    >>> GroupBytes(-1).cut(b"abc")
    b'ab'
    """

    stop: int

    @property
    def cut(self) -> Callable[[bytes], bytes]:
        """sort bytes -> the group's bytes (a C-level ``itemgetter`` of the slice)."""
        return itemgetter(slice(None, self.stop))


def group_bytes_of(job: Any) -> GroupBytes | None:
    """The job's declared ``group_bytes`` (None when it declares none)."""
    declared = getattr(type(job), "group_bytes", None)
    if declared is None or isinstance(declared, GroupBytes):
        return declared
    raise JobConfigError(
        f"{type(job).__name__}.group_bytes is {declared!r}; it must be a "
        "mapred.partition.GroupBytes(stop) or None"
    )


#: The default sort key: ``mapred.serde.sort_bytes`` (batch form ``sort_bytes_many``).
BYTE_SORT_KEY = SortKey(sort_bytes, sort_bytes_many)


def _own_bytes(key: Any) -> bytes:
    if type(key) is not bytes:
        raise JobConfigError(_NOT_BYTES.format(key))
    return key


def _own_bytes_many(keys: Sequence) -> list[bytes]:
    keys = keys if type(keys) is list else list(keys)
    if set(map(type, keys)) - _BYTES_TYPE:
        _own_bytes(next(k for k in keys if type(k) is not bytes))
    return keys


_BYTES_TYPE = {bytes}
_NOT_BYTES = "map output key {!r} is not bytes; the job's sort_key is KEY_BYTES (keys are their sort bytes)"

#: The sort key of a job whose map output keys are bytes already in the order it wants (Pig's
#: encoded keys): each key is its own sort bytes, not copied behind a type tag. A job declares
#: it as a class attribute, ``sort_key = KEY_BYTES``; a key that is not bytes fails the task.
#: Equal keys group and sort as with the default (bytes keys compare as their bytes).
KEY_BYTES = SortKey(_own_bytes, _own_bytes_many)


def as_partitioner(part: Partitioner | PartitionFn) -> Partitioner:
    """`part` itself, or a plain partition function with a ``map`` of it as its batch form."""
    if isinstance(part, Partitioner):
        return part
    if isinstance(part, TotalOrderPartitioner):
        return Partitioner(part, part.many)
    return Partitioner(part, lambda keys, kbs, skbs: map(part, keys, kbs, skbs))


def as_sort_key(sort_key: SortKey | Callable[[Any], bytes]) -> SortKey:
    """`sort_key` itself, or a plain function with a ``map`` of it as its batch form."""
    if isinstance(sort_key, SortKey):
        return sort_key
    if sort_key is sort_bytes:
        return BYTE_SORT_KEY
    return SortKey(sort_key, lambda keys: list(map(sort_key, keys)))


#: Configuration property carrying the total-order cut points (list of sort-key bytes).
TOTAL_ORDER_CUTS = "mapreduce.totalorderpartitioner.cuts"

_hash = mmh3.hash


def hash_partition(key_bytes: bytes, n: int) -> int:
    """The default partition of a serialized key: unsigned 32-bit murmur3, modulo `n`."""
    return _hash(key_bytes, 0, False) % n


def hash_partitioner(n: int) -> Partitioner:
    """The default partitioner: ``hash_partition`` of the key bytes."""

    def part(key: Any, kb: bytes, skb: bytes) -> int:
        return _hash(kb, 0, False) % n

    def many(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
        return map(mod, map(_hash, kbs, repeat(0), repeat(False)), repeat(n))

    return Partitioner(part, many)


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


def make_sort_key(job: Any) -> SortKey:
    """key -> byte sort key, honouring the job's ``sort_key`` comparator (or its declared
    `SortKey`, such as `KEY_BYTES`)."""
    declared = getattr(type(job), "sort_key", None)
    if isinstance(declared, SortKey):
        return declared
    if has_method(type(job), "sort_key"):
        user = job.sort_key

        def sort_key(key: Any) -> bytes:
            return sort_bytes(user(key))

        def many(keys: Sequence) -> list[bytes]:
            return sort_bytes_many(list(map(user, keys)))

        return SortKey(sort_key, many)
    return BYTE_SORT_KEY


def _zero(key: Any, kb: bytes, skb: bytes) -> int:
    return 0


def _zeros(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
    return repeat(0, len(keys))


def make_partitioner(job: Any, n: int, conf: Any) -> Partitioner:
    """The partitioner for `job` with `n` reduce partitions."""
    if n <= 1:
        return Partitioner(_zero, _zeros)
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

        return as_partitioner(part)
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
        return as_partitioner(TotalOrderPartitioner(cuts))
    grouping = group_bytes_of(job)
    if grouping is not None:
        return _group_bytes_partitioner(grouping.cut, n)
    if has_method(cls, "group_key"):
        group = job.group_key

        def part_group(key: Any, kb: bytes, skb: bytes) -> int:
            return _hash(packb(group(key)), 0, False) % n

        def many(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
            hashes = map(_hash, map(packb, map(group, keys)), repeat(0), repeat(False))
            return map(mod, hashes, repeat(n))

        return Partitioner(part_group, many)
    return hash_partitioner(n)


def _group_bytes_partitioner(cut: Callable[[bytes], bytes], n: int) -> Partitioner:
    """murmur3 of the group's bytes (the cut sort bytes), modulo `n`: a group meets in one
    partition, in C-level calls."""

    def part(key: Any, kb: bytes, skb: bytes) -> int:
        return _hash(cut(skb), 0, False) % n

    def many(keys: Sequence, kbs: Sequence[bytes], skbs: Sequence[bytes]) -> Iterable[int]:
        return map(mod, map(_hash, map(cut, skbs), repeat(0), repeat(False)), repeat(n))

    return Partitioner(part, many)
