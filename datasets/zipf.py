"""A fast, exact, deterministic Zipf sampler shared by the dataset generators.

Owns: drawing ranks ``0 .. n-1`` (rank 0 the most frequent) with probability proportional to
``1 / (rank + 1) ** s``, and cheap categorical draws from small tables (``ByteTable``).
Must not touch: files or formatting; callers map ranks to ids or words themselves.

Policy: per-item Python work is what makes a pure-Python generator slow, so the common case runs
in C. Each draw is a uniform 32-bit integer ``d`` (``randbytes`` -> ``array('I')``) and the rank is
the one whose slice of the cumulative table ``cum32`` (the distribution scaled to 2**32) holds
``d``. The top ``bits`` bits of ``d`` pick one of 2**bits equal buckets; a bucket that lies inside
one rank's slice ("pure") maps straight to that rank, for the whole batch at once with ``map``.
The few draws that land in a bucket straddling a rank boundary ("mixed") are found with
``list.index`` (also C) and resolved by a bisect over ``cum32``. The result is exactly
``bisect_right(cum32, d)`` for every draw, so P(rank) is the Zipf probability quantised to 2**-32.
With s >= 1 the head ranks take most of the mass, so most draws never leave C.

Determinism: everything comes from one ``random.Random``; the same seed gives the same ranks.
Multi-byte draws are read little-endian on every platform.
"""

from __future__ import annotations

import random
import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, repeat
from operator import rshift

__all__ = ["ByteTable", "ZipfSampler", "uint16s", "uint32s", "zipf_weights"]

_SPAN = 1 << 32
_MIXED = -1
assert array("I").itemsize == 4, "the samplers read 32-bit draws through array('I')"
_BIG_ENDIAN = sys.byteorder == "big"


def uint16s(rng: random.Random, k: int) -> array:
    """``k`` uniform 16-bit integers from ``rng`` (platform-independent)."""
    draws = array("H", rng.randbytes(2 * k))
    if _BIG_ENDIAN:
        draws.byteswap()
    return draws


def uint32s(rng: random.Random, k: int) -> array:
    """``k`` uniform 32-bit integers from ``rng`` (platform-independent)."""
    draws = array("I", rng.randbytes(4 * k))
    if _BIG_ENDIAN:
        draws.byteswap()
    return draws


def zipf_weights(n: int, s: float) -> list[float]:
    """Unnormalised Zipf weights ``(r + 1) ** -s`` for ranks ``0 .. n-1``."""
    if n < 1:
        raise ValueError(f"a Zipf distribution needs at least one rank, got n={n}")
    if s < 0:
        raise ValueError(f"the Zipf exponent must be >= 0, got s={s}")
    neg = -s
    return [r**neg for r in range(1, n + 1)]


class ZipfSampler:
    """Draw Zipf-distributed ranks in big batches.

    >>> sampler = ZipfSampler(1000, 1.1, random.Random(7))
    >>> ranks = sampler.sample(10_000)
    >>> min(ranks) >= 0 and max(ranks) < 1000
    True
    >>> ranks.count(0) > ranks.count(1) > ranks.count(9)
    True
    """

    __slots__ = ("n", "s", "_rng", "_cum32", "_table", "_mixed", "_shift", "_lo", "_hi")

    def __init__(self, n: int, s: float, rng: random.Random, bits: int = 16) -> None:
        self.n = n
        self.s = s
        self._rng = rng
        cum = list(accumulate(zipf_weights(n, s)))
        scale = _SPAN / cum[-1]
        self._cum32 = [round(c * scale) for c in cum]
        self._cum32[-1] = _SPAN
        self._shift = 32 - bits
        self._table, self._mixed = _bucket_table(self._cum32, bits)
        self._lo, self._hi = _mixed_bounds(self._table, self._cum32, bits)

    def sample(self, k: int) -> list[int]:
        """``k`` ranks drawn independently (rank 0 is the most frequent)."""
        draws = uint32s(self._rng, k)
        out = list(map(self._table.__getitem__, map(rshift, draws, repeat(self._shift))))
        if self._mixed:
            index, cum, i = out.index, self._cum32, 0
            shift, lo, hi = self._shift, self._lo, self._hi
            try:
                while True:
                    i = index(_MIXED, i)
                    b = draws[i] >> shift
                    out[i] = bisect_right(cum, draws[i], lo[b], hi[b])
                    i += 1
            except ValueError:
                pass
        return out

    def probability(self, rank: int) -> float:
        """The probability with which ``sample`` returns ``rank``."""
        below = self._cum32[rank - 1] if rank > 0 else 0
        return (self._cum32[rank] - below) / _SPAN


def _bucket_table(cum32: list[int], bits: int) -> tuple[list[int], int]:
    """Map each of the ``2**bits`` buckets of 32-bit draws that lies inside one rank's interval
    of ``cum32`` to that rank; the others get ``_MIXED``. Returns the table and the number of
    mixed buckets."""
    width = 1 << (32 - bits)
    table = [_MIXED] * (1 << bits)
    prev = 0
    for rank, c in enumerate(cum32):
        first, end = -(-prev // width), c // width
        if end > first:
            table[first:end] = [rank] * (end - first)
        elif c - prev < width:
            break  # the weights never grow, so no later rank fills a bucket either
        prev = c
    return table, table.count(_MIXED)


def _mixed_bounds(table: list[int], cum32: list[int], bits: int) -> tuple[list[int], list[int]]:
    """For each mixed bucket, the range of ranks its draws can fall in (bisect's lo and hi)."""
    width = 1 << (32 - bits)
    lo, hi = [0] * len(table), [0] * len(table)
    for b, rank in enumerate(table):
        if rank == _MIXED:
            lo[b] = bisect_right(cum32, b * width)
            hi[b] = bisect_right(cum32, (b + 1) * width - 1)
    return lo, hi


class ByteTable:
    """Categorical draws for small fields, one random byte per item, entirely in C.

    ``values`` are the outcomes and ``weights`` their relative weights; each outcome gets
    ``round(256 * p)`` of the 256 byte values (at least one), so probabilities are quantised to
    1/256 — plenty for filler columns such as a context id or a line length.
    """

    __slots__ = ("_rng", "_table")

    def __init__(self, values: Sequence[object], weights: Sequence[float], rng: random.Random):
        if len(values) != len(weights) or not values:
            raise ValueError("ByteTable needs as many weights as values, and at least one")
        if len(values) > 256:
            raise ValueError("ByteTable holds at most 256 outcomes")
        total = float(sum(weights))
        slots = [max(1, round(256 * w / total)) for w in weights]
        while sum(slots) > 256:
            slots[slots.index(max(slots))] -= 1
        while sum(slots) < 256:
            slots[slots.index(max(slots))] += 1
        self._table = [v for v, n in zip(values, slots) for _ in range(n)]
        self._rng = rng

    def sample(self, k: int) -> list:
        """``k`` outcomes."""
        return list(map(self._table.__getitem__, self._rng.randbytes(k)))
