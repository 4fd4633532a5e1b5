"""RemoveUnseenNested: a nested ORDER (or DISTINCT) whose effect no reader of its bag can see
is removed from its FOREACH, so that ``{ E = ORDER B BY r; GENERATE group, SUM(E.r) }`` is
``GENERATE group, SUM(B.r)`` and takes the combiner (PigMix L16). Pig has no such rule.

What a reader can see of a bag, from what its result depends on:
- nothing but the rows as a multiset (the order is unseen): COUNT, COUNT_STAR, SUM, AVG and
  SIZE of the bag or of a projection of it;
- nothing but which rows occur (the order and the repeats are unseen): MIN, MAX, IsEmpty;
  and a nested DISTINCT, when what reads the DISTINCT sees no order (it keeps one row of
  each kind, first seen first: the same rows in another order);
- what its own readers see: a projection (``F = E.x``), a nested FILTER or FOREACH of
  builtin, deterministic expressions (row by row, so they pass the order on but not the
  repeats), a nested ORDER (ties keep their input order, so it passes on what its readers
  see).
Anything else sees everything: a LIMIT (top n), FLATTEN, the bag in the output, a UDF, TOP,
BagToString, BagToTuple, any other function, the bag inside a nested FILTER's condition or a
nested FOREACH (another scope). An ORDER whose readers see no order is removed, and so is a
DISTINCT whose readers see neither order nor repeats (``MIN(d.x)`` of ``d = DISTINCT B``);
a DISTINCT read by COUNT, SUM or SIZE stays. The removed op's readers read its source instead
(a projection of a projection becomes one projection), so the rule applies only when that
source is a plain bag reference (a column, a nested alias or a projection of one). A nested
statement of any kind that nothing reads goes too, unless it calls a UDF or RANDOM-like
builtin or reads a scalar (whose errors it may raise).

The result is the same up to what Pig's own combiner leaves open too (it adds partial sums
and keeps distinct rows in whatever order the map tasks finish): SUM and AVG of floating-point
values add them in another order, so the last bits may differ, and of rows Pig counts as
equal but prints apart (-0.0 and 0.0, an int and a double of one value) a DISTINCT may keep
another one. The builtins MIN and MAX here use Python's min/max, which also let the order
choose between -0.0 and 0.0 and around a NaN (Pig's Math.min/max do not), as their combined
partials already do.

Owns: the rule only. Must not touch: other operators, the front end, execution (the
combiner rule of `back/mrcompiler.algebraic_foreach` then sees a block it can take).

>>> from piglatin.front.builder import build_text
>>> p = build_text('''A = LOAD 'a' AS (u:chararray, r:double); B = GROUP A BY u;
... C = FOREACH B { E = ORDER A BY r DESC; F = E.r; GENERATE group, SUM(F), MAX(E.r); };
... DUMP C;''')
>>> [(n.alias, n.kind, L.format_expr(n.source)) for n in apply(p).op("C").nested]
[('F', 'expr', 'A.($1)')]
>>> p = build_text('''A = LOAD 'a' AS (u:chararray, r:double); B = GROUP A BY u;
... C = FOREACH B { E = ORDER A BY r DESC; F = LIMIT E 3; GENERATE group, SUM(F.r); };
... DUMP C;''')
>>> apply(p) is p
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.exprs import NONDETERMINISTIC, children, transform
from piglatin.plan.rules._plan import rebuild, replace_op, to_fixpoint

# what a reader leaves unseen of the bag it reads (ordered: each one unseen more)
SEES_ALL, NO_ORDER, NO_REPEATS = 0, 1, 2

#: builtins of one bag whose result depends only on its rows as a multiset
ORDER_BLIND = frozenset(("COUNT", "COUNT_STAR", "SUM", "AVG", "SIZE"))
#: builtins of one bag whose result depends only on which rows occur in it
REPEAT_BLIND = frozenset(("MIN", "MAX", "IsEmpty"))


def _all_nodes(e: Any) -> Iterator[L.LExpr]:
    """Every expression inside `e` (an expression, a sort key, a GENERATE item, or a
    tuple or list of them), whatever its scope."""
    stack = [e]
    while stack:
        cur = stack.pop()
        if isinstance(cur, (tuple, list)):
            stack.extend(cur)
        elif isinstance(cur, (L.LExpr, L.SortKey, L.GenerateItem)):
            if isinstance(cur, L.LExpr):
                yield cur
            stack.extend(getattr(cur, f.name) for f in dataclasses.fields(cur))


def _row_pure(things: Any) -> bool:
    """Builtins only, none of them random: the same row always gives the same value."""
    return not any(
        isinstance(n, L.LEFunc) and (n.kind != "builtin" or n.func in NONDETERMINISTIC)
        for t in things
        for n in _all_nodes(t)
    )


def _blind_call(e: L.LExpr) -> bool:
    """A builtin of one bag that leaves its order (or its order and repeats) unseen."""
    return (
        isinstance(e, L.LEFunc)
        and e.kind == "builtin"
        and not e.ctor_args
        and len(e.args) == 1
        and (e.func in ORDER_BLIND or e.func in REPEAT_BLIND)
    )


class _Readers:
    """How much of each nested alias's bag its readers leave unseen (`SEES_ALL`...)."""

    def __init__(self) -> None:
        self.unseen: dict[str, int] = {}

    def read(self, alias: str, unseen: int) -> None:
        self.unseen[alias] = min(self.unseen.get(alias, NO_REPEATS), unseen)

    def outer(self, e: L.LExpr, unseen: int) -> None:
        """Record the bags `e` reads (an outer-scope expression, read by a reader that
        leaves `unseen` of it unseen)."""
        if isinstance(e, L.LEInnerRef):
            self.read(e.alias, unseen)
            return
        if isinstance(e, L.LEDeref) and e.base.type is DataType.BAG:
            self.outer(e.base, unseen)  # a projection keeps the rows (and their order)
            return
        if _blind_call(e):
            self.outer(e.args[0], NO_REPEATS if e.func in REPEAT_BLIND else NO_ORDER)  # type: ignore[union-attr]
            return
        if isinstance(e, L.LEFilteredBag):
            self.inner(e.cond)
        for c in children(e):
            self.outer(c, SEES_ALL)

    def inner(self, e: Any) -> None:
        """A nested alias read in another scope (a condition, sort key or nested GENERATE)
        is seen whole, and is never replaced there."""
        for n in _all_nodes(e):
            if isinstance(n, L.LEInnerRef):
                self.read(n.alias, SEES_ALL)


def readers(fe: L.LOForEach) -> dict[str, int]:
    """For each nested alias of `fe`, how much of its bag every reader leaves unseen
    (an alias nothing reads: `NO_REPEATS`)."""
    found = _Readers()
    for g in fe.generate:
        found.outer(g.expr, SEES_ALL)
    for n in reversed(fe.nested):  # readers come after what they read
        mine = found.unseen.get(n.alias, NO_REPEATS)
        found.inner([n.cond, n.count, n.keys, n.generate])
        if n.kind in ("expr", "order"):
            passed = mine
        elif n.kind == "distinct":
            passed = NO_REPEATS if mine >= NO_ORDER else SEES_ALL
        elif n.kind in ("filter", "foreach") and _row_pure([n.cond, n.generate]):
            passed = min(mine, NO_ORDER)
        else:  # limit, or rows judged by a UDF or RANDOM
            passed = SEES_ALL
        found.outer(n.source, passed)
    return found.unseen


def _plain_bag(e: L.LExpr) -> bool:
    """A column, a nested alias, or a projection of one: cheap, and the same every time."""
    while isinstance(e, L.LEDeref) and e.base.type is DataType.BAG:
        e = e.base
    return isinstance(e, L.LEInnerRef) or (isinstance(e, L.LEProject) and e.column is not None)


def _removable(fe: L.LOForEach) -> L.NestedOp | None:
    aliases = [n.alias for n in fe.nested]
    if len(set(aliases)) != len(aliases):
        return None
    unseen = readers(fe)
    for n in fe.nested:
        if n.alias not in unseen:  # nothing reads it
            parts = [n.source, n.cond, n.count, n.keys, n.generate]
            if _row_pure(parts) and not any(isinstance(x, L.LEScalar) for x in _all_nodes(parts)):
                return n
            continue
        if not _plain_bag(n.source):
            continue
        needs = {"order": NO_ORDER, "distinct": NO_REPEATS}.get(n.kind)
        if needs is not None and unseen.get(n.alias, NO_REPEATS) >= needs:
            return n
    return None


def _without(fe: L.LOForEach, gone: L.NestedOp) -> L.LOForEach:
    """`fe` without `gone`, its readers reading `gone`'s source."""

    def swap(e: L.LExpr) -> L.LExpr | None:
        if isinstance(e, L.LEInnerRef) and e.alias == gone.alias:
            return gone.source
        base = e.base if isinstance(e, L.LEDeref) else None
        if isinstance(base, L.LEDeref) and base.base.type is DataType.BAG:
            # (B.(x, y)).($1) is B.(y): a projection of a bag's projection
            columns = tuple(base.columns[c] for c in e.columns)  # type: ignore[union-attr]
            return dataclasses.replace(e, base=base.base, columns=columns)
        return None

    nested = tuple(
        dataclasses.replace(n, source=transform(n.source, swap)) for n in fe.nested if n is not gone
    )
    generate = tuple(dataclasses.replace(g, expr=transform(g.expr, swap)) for g in fe.generate)
    return dataclasses.replace(fe, nested=nested, generate=generate)


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for op in plan.operators:
        if isinstance(op, L.LOForEach) and op.nested:
            gone = _removable(op)
            if gone is not None:
                return rebuild(plan, replace_op(plan, _without(op, gone)))
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Remove every nested ORDER/DISTINCT no reader can see and every nested statement no
    one reads; returns `plan` itself when there is none."""
    return to_fixpoint(_once, plan)
