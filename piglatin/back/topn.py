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
from operator import itemgetter

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


#: First sort keys `first_key_filter` compares as Python numbers: Pig orders them by value
#: (NaN greatest), so a strictly smaller number (by Python) sorts strictly before.
NUMBERS = frozenset({DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE})


def first_key_filter(
    tail: Callable[[tuple], list], keys: Sequence[L.SortKey], n: int
) -> Callable[[tuple], list]:
    """`tail` (a row -> its map output records) for an ORDER read only by a LIMIT `n`, with
    the rows that cannot be among a task's first `n` dropped first: when the first sort key
    is a plain column of a numeric type, the task keeps the `n` best non-null, non-NaN values
    of that column seen so far (a heap); a row whose value is strictly worse than the worst
    of them has `n` rows strictly before it. Ties, NaN and -0.0 (whose order Python does not
    see as Pig does) always pass, as do nulls ascending (they sort first); descending, nulls
    sort last and are dropped once `n` values are held. A value Python cannot compare with
    the held ones (a column holding something else than its type says) turns the filter
    off. Any other first key: `tail` itself."""
    if not keys or n <= 0:
        return tail
    e = keys[0].expr
    if not isinstance(e, L.LEProject) or e.column is None or e.type not in NUMBERS:
        return tail
    col, desc = e.column, not keys[0].ascending
    sign = 1 if desc else -1  # the heap's root is the worst of the n best: min of sign * v
    held: list = []
    on = [True]
    push, replace = heapq.heappush, heapq.heapreplace

    def row(t: tuple) -> list:
        if not on[0]:
            return tail(t)
        try:
            v = t[col]
        except IndexError:
            v = None
        if v is None:
            return [] if desc and len(held) >= n else tail(t)
        try:
            x = sign * v
            if x != x:  # NaN: sorts greatest; never held, never dropped
                return tail(t)
            if len(held) < n:
                push(held, x)
            elif x < held[0]:
                return []
            elif x > held[0]:
                replace(held, x)
        except TypeError:
            on[0] = False
        return tail(t)

    return row
