"""Pig's DISTINCT over rows held in memory: which rows are the same, at C speed when it can.

Owns: `distinct_rows`, the rows of a list without repeats, first seen first, where two rows
are the same when Pig says they are equal (`data.sort_bytes` gives them the same bytes).
Must not touch: anything past memory (spilling is the bag's business, back/spillbag.py).

Python's own equality agrees with Pig's for the rows most data gives: tuples of ints, strings,
bytearrays and nulls, and of floats when no NaN is among them (Pig takes every NaN as one
value and -0.0 as 0.0; Python takes -0.0 == 0.0 too). So those rows go through one C-level
``dict.fromkeys``; any other row — a NaN, a boolean beside numbers, an int beside a float, a
nested tuple, bag or map, a datetime — takes the sort-bytes path, which is exact for all.

>>> distinct_rows([(1, "a"), (2, None), (1, "a")])
[(1, 'a'), (2, None)]
>>> len(distinct_rows([(float("nan"),), (float("nan"),)]))
1
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from math import copysign

from piglatin.model import data

__all__ = ["distinct_rows", "distinct_values"]

# the element types whose Python equality is Pig's, alone or together
_PLAIN = frozenset((int, str, bytes, type(None)))
_WITH_FLOAT = frozenset((float, str, bytes, type(None)))


def distinct_rows(rows: list) -> list:
    """`rows` without repeats, in first-seen order."""
    try:
        seen = dict.fromkeys(rows)
    except TypeError:  # a bag or a map inside: not hashable
        return _by_sort_bytes(rows)
    types = set(map(type, seen))
    if types != {tuple}:
        return _by_sort_bytes(rows)
    # the types of every row's values, not only of the rows kept: Python's equality has
    # already folded (0, False) and (1.0,) into (0, 0) and (1,), which Pig tells apart
    types = set(map(type, chain.from_iterable(rows)))
    if types <= _PLAIN:
        return list(seen)
    if types <= _WITH_FLOAT and _python_equal(chain.from_iterable(rows)):
        return list(seen)
    return _by_sort_bytes(rows)


def distinct_values(values: list) -> list:
    """`values` (one column's) without repeats, in first-seen order: the column of
    `distinct_rows` of their one-value rows.

    >>> distinct_values([1, 2, 1, None, None])
    [1, 2, None]
    >>> distinct_values([1, True, float("nan"), float("nan")])
    [1, True, nan]
    """
    try:
        seen = dict.fromkeys(values)
    except TypeError:  # a bag or a map: not hashable
        return [t[0] for t in _by_sort_bytes(list(zip(values)))]
    types = set(map(type, values))
    if types <= _PLAIN or (types <= _WITH_FLOAT and _python_equal(values)):
        return list(seen)
    return [t[0] for t in _by_sort_bytes(list(zip(values)))]


def _python_equal(values: Iterable) -> bool:
    """No NaN (not equal to itself) and no -0.0 (equal to 0.0 in Python; a tuple's fields
    compare with Double.compare in Pig, -0.0 < 0.0) among `values`."""
    return all(x == x and (x != 0.0 or type(x) is not float or copysign(1, x) > 0) for x in values)


def _by_sort_bytes(rows: list) -> list:
    """Exact for every Pig value: equal rows have equal sort bytes (of equal rows, the
    position of the first and the value of the last is kept)."""
    return list(dict(zip(map(data.sort_bytes, rows), rows)).values())
