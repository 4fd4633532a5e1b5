"""The partials of Pig's algebraic Distinct (a nested ``DISTINCT B.x``) between the map side,
the combiner and the reduce side of a combined GROUP/COGROUP.

Owns: the two forms of a Distinct partial and the Intermediate and Final that read both.
Must not touch: which calls are combined (mrcompiler.py, cogroupplan.py) or the generated fold
(codegen.py).

A partial comes in one of two forms, told apart by its length:

- rows, ``(rows,)``: a tuple of the bag's rows, Pig's own form (`builtins.Distinct`'s
  Initial; the generated map code's record of one row, ``(((x,),),)``);
- values, ``(values, 0)``: for a DISTINCT of ONE column, a tuple of that column's values
  (no one-value row per value: a third of the tuples a row-form partial makes, packs and
  unpacks). The in-map fold's flush (`partial_of_seen`) and the Intermediate of a one-column
  Distinct write it.

Every partial is exactly distinct (Pig's equality, `model.distinct`), whatever made it: so the
Final of ONE partial, the commonest (a key seen by one map task), is its rows as they are,
and only several partials are merged and made distinct.

>>> final = final_for(True)
>>> sorted(final([((1, 2), 0), (((2,), (3,)),)]))
[(1,), (2,), (3,)]
>>> partial_of_seen(dict.fromkeys([float("nan"), float("nan"), 1.0]))[0][1:]
(1.0,)
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, repeat
from operator import eq, itemgetter
from typing import Any

from piglatin.model.distinct import distinct_rows, distinct_values

__all__ = [
    "OUTER",
    "final_for",
    "intermediate_for",
    "of_values",
    "partial_of_seen",
    "partials_of_seen",
    "values_final",
]

_first = itemgetter(0)
chain_from = chain.from_iterable


def partial_of_seen(seen: dict) -> tuple:
    """The values-form partial of what an in-map fold saw of one column (a dict of the values,
    first seen first): its keys, without the copies of NaN a dict keeps (NaN != NaN)."""
    if all(map(eq, seen, seen)):  # no NaN: the keys are distinct already
        return (tuple(seen), 0)
    return (tuple(distinct_values(list(seen))), 0)


_NULL = type(None)
_NUMBERS = frozenset((int, float))  # values SUM and AVG add as they are, nulls aside
_NEVER_NAN = frozenset((int, str, bytes, bool, type(None)))  # equal to themselves, always


def partials_of_seen(seens: list[dict]) -> list[tuple]:
    """`partial_of_seen` of each of many dicts (a flush's keys): when no value of any of them
    is a NaN, their keys tuples at once, C-level."""
    kinds = set(map(type, chain_from(seens)))  # passes over the dicts: no copy of them
    if kinds <= _NEVER_NAN or all(map(eq, chain_from(seens), chain_from(seens))):
        return list(zip(map(tuple, seens), repeat(0)))
    return list(map(partial_of_seen, seens))


def _values(p: tuple) -> Any:
    """A one-column partial's values, whichever its form."""
    return p[0] if len(p) == 2 else map(_first, p[0])


def _merged_values(parts: list) -> list:
    """The distinct values of several one-column partials."""
    return distinct_values(list(chain_from(map(_values, parts))))


def _final_column(parts: list) -> list:
    if len(parts) == 1:
        p = parts[0]
        return list(zip(p[0])) if len(p) == 2 else list(p[0])
    return list(zip(_merged_values(parts)))


def _intermediate_column(parts: list) -> tuple:
    if len(parts) == 1 and len(parts[0]) == 2:
        return parts[0]
    return (tuple(_merged_values(parts)), 0)


def _final_rows(parts: list) -> list:
    if len(parts) == 1:
        return list(parts[0][0])
    return distinct_rows([t for p in parts for t in p[0]])


def _intermediate_rows(parts: list) -> tuple:
    return (tuple(_final_rows(parts)),)


def values_final(parts: list) -> Any:
    """A one-column Distinct's distinct values (no rows), for a reduce side that reads them
    only through `OUTER` aggregates (`of_values`)."""
    if len(parts) == 1:
        p = parts[0]
        return p[0] if len(p) == 2 else [t[0] for t in p[0]]
    return _merged_values(parts)


#: the aggregates of a Distinct bag that `of_values` computes from its values alone
OUTER = frozenset(("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX"))


def _count(values: Any) -> int:
    """COUNT of the one-value rows of distinct `values`: all but the null one."""
    return len(values) - (None in values)


def of_values(func: str, fn: Callable[[list], Any]) -> Callable[[Any], Any]:
    """`func` (one of `OUTER`; `fn`, its builtin) of the bag of one-value rows of distinct
    `values`, given the values."""
    if func == "COUNT":
        return _count
    if func == "COUNT_STAR":
        return len
    if func in ("SUM", "AVG"):  # numbers without nulls (the common case): C-level `sum`
        average = func == "AVG"

        def total(values: Any) -> Any:
            types = set(map(type, values))
            if _NULL in types:  # nulls do not count
                types.discard(_NULL)
                values = [v for v in values if v is not None]
            if values and types <= _NUMBERS:
                return sum(values) / len(values) if average else sum(values)
            return fn(list(zip(values)))  # bytearrays, nothing: the builtin's rules

        return total
    return lambda values: fn(list(zip(values)))


def final_for(one_column: bool) -> Callable[[list], list]:
    """Distinct's Final: the bag of distinct rows of the partials (`one_column`: of a DISTINCT
    of one column, whose partials may be values-form)."""
    return _final_column if one_column else _final_rows


def intermediate_for(one_column: bool) -> Callable[[list], tuple]:
    """Distinct's Intermediate: the partials merged into one (values-form for one column)."""
    return _intermediate_column if one_column else _intermediate_rows
