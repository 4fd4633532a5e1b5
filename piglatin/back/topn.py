"""An ORDER BY whose only reader is a LIMIT of a constant N: each map task sends only the
first N of its records in sort order (Pig's limited sort), not every row.

Owns: `TopRecords`, a map task's N smallest (sort key, value) records, kept across batches
and sent at the task's end. Ties keep the records that came first, as the full sort does
(``heapq.nsmallest`` is ``sorted(...)[:n]``, a stable sort), so the LIMIT after the sort
gives the same rows. Must not touch: which plans qualify (mrcompiler.py) or the key bytes
(reducers.py, codegen.py).
"""

from __future__ import annotations

import heapq
from itertools import chain
from operator import itemgetter

__all__ = ["TopRecords"]

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
