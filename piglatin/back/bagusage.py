"""Which bags of a GROUP row may go to disk: those the FOREACH right after the GROUP only
reads row by row. A plan question, answered once per task from the logical plan.

Owns: `streaming_bags`. Must not touch: the bags themselves (spillbag.py) or how they are
built (reducers.py). A bag that reaches anything else (a store, a UDF, SIZE, IsEmpty, a
comparison) stays the plain list such code has always been given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["streaming_bags"]

_STREAMING = frozenset(("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX"))
_NESTED_SOURCES = frozenset(("distinct", "order", "filter", "limit", "foreach"))


def streaming_bags(fe: Any, n: int) -> frozenset[int]:
    """The bags of a GROUP row ``(group, bag_1, ..., bag_n)`` that may go to disk: those the
    FOREACH right after the GROUP only reads row by row (COUNT/COUNT_STAR/SUM/AVG/MIN/MAX,
    FLATTEN, projections of them, the source of a nested DISTINCT/ORDER/FILTER/LIMIT/FOREACH).
    A bag stored, passed to a UDF or any other function stays a list. 0-based input tags."""
    if not isinstance(fe, L.LOForEach):
        return frozenset()
    bad: set[Any] = set()
    aliases: dict[str, frozenset] = {}  # nested alias -> the bags its value may be read from

    def origins(e: Any) -> frozenset:
        if isinstance(e, L.LEProject) and e.column is not None and 1 <= e.column <= n:
            return frozenset((e.column,))
        if isinstance(e, L.LEInnerRef):
            return aliases.get(e.alias, frozenset())
        if isinstance(e, L.LEDeref) and e.base.type is DataType.BAG:
            return origins(e.base)
        return frozenset()

    def visit(e: Any, streams: bool) -> None:
        if not streams:
            bad.update(origins(e))
        if isinstance(e, L.LEDeref) and e.base.type is DataType.BAG:
            visit(e.base, streams)
            return
        ok = isinstance(e, L.LEFunc) and e.kind == "builtin" and e.func in _STREAMING
        for child in _children(e):
            visit(child, ok)

    for op in fe.nested:
        visit(op.source, op.kind in _NESTED_SOURCES or op.kind == "expr")
        if op.kind in ("distinct", "order", "expr"):
            aliases[op.alias] = origins(op.source)
    for g in fe.generate:
        visit(g.expr, g.flatten and not g.casts and g.expr.type is DataType.BAG)
    return frozenset(c - 1 for c in range(1, n + 1) if c not in bad)


def _children(e: Any) -> Iterator[Any]:
    """The sub-expressions of an expression node (every field that holds one)."""
    for f in fields(e):
        v = getattr(e, f.name)
        if isinstance(v, L.LExpr):
            yield v
        elif isinstance(v, tuple):
            for x in v:
                if isinstance(x, L.LExpr):
                    yield x
                elif isinstance(x, tuple):  # LEMap pairs
                    yield from (y for y in x if isinstance(y, L.LExpr))
