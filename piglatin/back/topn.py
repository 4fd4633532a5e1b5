"""An ORDER BY whose only reader is a LIMIT of a constant N: each map task sends only the
first N of its records in sort order (Pig's limited sort), not every row.

Owns: `TopRecords`, a map task's N smallest (sort key, value) records, kept across batches
and sent at the task's end. Ties keep the records that came first, as the full sort does
(``heapq.nsmallest`` is ``sorted(...)[:n]``, a stable sort), so the LIMIT after the sort
gives the same rows. And `first_key_filter`: before a row's sort key bytes and output
record are made at all, a row whose first sort key is a number strictly worse than the N-th
best first key the task has seen is dropped: N rows come before it whatever its other keys.
Must not touch: which plans qualify (mrcompiler.py) or the key bytes (reducers.py,
codegen.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from itertools import chain
from operator import attrgetter, itemgetter

from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["TopRecords", "first_key_filter"]

_first = itemgetter(0)


class TopRecords:
    """The `n` records of smallest sort key of a map task (first come first among ties)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.held: list = []

    def add(self, records: list) -> list:
        """Take a batch of map output records; nothing leaves before the task's end."""
        if records:
            self.held = heapq.nsmallest(self.n, chain(self.held, records), key=_first)
        return []

    def flush(self) -> list:
        """The records held, in sort order."""
        out, self.held = self.held, []
        return out


#: First sort keys `first_key_filter` compares as Python values: Pig orders numbers by value
#: (NaN greatest), and this implementation's key bytes order a chararray by code points (its
#: UTF-8) and a bytearray by its bytes, which is Python's order of str and bytes; so a value
#: strictly smaller by Python sorts strictly before.
NUMBERS = frozenset({DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE})
TEXTS = frozenset({DataType.CHARARRAY, DataType.BYTEARRAY})


class _Reversed:
    """A text in a heap whose root must be the greatest (an ascending top-N's worst)."""

    __slots__ = ("v",)

    def __init__(self, v: str | bytes) -> None:
        self.v = v

    def __lt__(self, other: _Reversed) -> bool:
        return other.v < self.v


def _neg(v: float) -> float:
    return -v


def first_key_filter(
    tail: Callable[[tuple], list], keys: Sequence[L.SortKey], n: int
) -> Callable[[tuple], list]:
    """`tail` (a row -> its map output records) for an ORDER read only by a LIMIT `n`, with
    the rows that cannot be among a task's first `n` dropped first: when the first sort key
    is a plain column of a numeric or text type, the task keeps the `n` best non-null,
    non-NaN values of that column seen so far (a heap); a row whose value is strictly worse
    than the worst of them has `n` rows strictly before it. Ties, NaN and -0.0 (whose order
    Python does not see as Pig does) always pass, as do nulls ascending (they sort first);
    descending, nulls sort last and are dropped once `n` values are held. A value Python
    cannot compare with the held ones (a column holding something else than its type says)
    turns the filter off. Any other first key: `tail` itself."""
    if not keys or n <= 0:
        return tail
    e = keys[0].expr
    if not isinstance(e, L.LEProject) or e.column is None or e.type not in NUMBERS | TEXTS:
        return tail
    col = e.column
    held: list = []
    on = [True]
    push, replace = heapq.heappush, heapq.heapreplace
    if not keys[0].ascending:  # the heap's root is the smallest of the n greatest

        def desc(t: tuple) -> list:
            if not on[0]:
                return tail(t)
            try:
                v = t[col]
            except IndexError:
                v = None
            if v is None:
                return [] if len(held) >= n else tail(t)
            try:
                if v != v:  # NaN: sorts greatest; never held, never dropped
                    return tail(t)
                if len(held) < n:
                    push(held, v)
                elif v < held[0]:
                    return []
                elif v > held[0]:
                    replace(held, v)
            except TypeError:
                on[0] = False
            return tail(t)

        return desc
    # ascending: the root is the greatest of the n smallest (numbers negated, texts wrapped)
    wrap, unwrap = (_neg, _neg) if e.type in NUMBERS else (_Reversed, attrgetter("v"))

    def asc(t: tuple) -> list:
        if not on[0]:
            return tail(t)
        try:
            v = t[col]
        except IndexError:
            return tail(t)
        if v is None:  # nulls sort first
            return tail(t)
        try:
            if v != v:
                return tail(t)
            if len(held) < n:
                push(held, wrap(v))
            elif v > (worst := unwrap(held[0])):
                return []
            elif v < worst:
                replace(held, wrap(v))
        except TypeError:
            on[0] = False
        return tail(t)

    return asc
