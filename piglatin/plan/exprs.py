"""Expression helpers over logical expressions, shared by the optimizer rules and the MR
compiler: which input columns an expression reads, renumbering those columns, determinism
checks, rebuilding a tree with some nodes replaced.

Owns: pure functions over `logical.LExpr` trees at one scope (the operator's input
tuple).  Nested-FOREACH inner scopes (a NestedOp's cond/keys/generate, which index the
bag's tuples) and `LEDeref.columns` (which index the base's tuple) are never read or
renumbered here.  Must not touch: plans (see `_plan.py`), building, execution.

>>> from piglatin.front.builder import build_text
>>> f = build_text("A = LOAD 'a' AS (x:int, y:int); B = FILTER A BY y > x + 1;").op("B")
>>> sorted(columns(f.cond))
[0, 1]
>>> sorted(columns(remap(f.cond, {0: 5, 1: 7})))
[5, 7]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping

from piglatin.plan import logical as L

# builtins whose result differs between calls with the same arguments
NONDETERMINISTIC = frozenset({"RANDOM", "CurrentTime", "UniqueID"})


def children(e: L.LExpr) -> Iterator[L.LExpr]:
    """The sub-expressions evaluated in the same scope as `e`."""
    if isinstance(e, L.LEBinary):
        yield e.left
        yield e.right
    elif isinstance(e, (L.LEUnary, L.LECast)):
        yield e.operand
    elif isinstance(e, L.LEBinCond):
        yield e.cond
        yield e.then
        yield e.otherwise
    elif isinstance(e, L.LEFunc):
        yield from e.args
    elif isinstance(e, (L.LETuple, L.LEBag)):
        yield from e.items
    elif isinstance(e, L.LEMap):
        yield from (v for _, v in e.pairs)
    elif isinstance(e, (L.LEDeref, L.LEMapLookup)):
        yield e.base
    elif isinstance(e, L.LEFilteredBag):  # its condition is over the bag's rows: another scope
        yield e.source


def walk(e: L.LExpr) -> Iterator[L.LExpr]:
    """`e` and every sub-expression of the same scope, pre-order."""
    stack = [e]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(list(children(cur))))


def columns(e: L.LExpr, input: int = 0) -> set[int] | None:
    """Input columns `e` reads from input `input`; None when it reads the whole tuple."""
    out: set[int] = set()
    for node in walk(e):
        if isinstance(node, L.LEProject) and node.input == input:
            if node.column is None:
                return None
            out.add(node.column)
    return out


def reads_inputs(e: L.LExpr) -> set[int]:
    """Which inputs (JOIN/COGROUP key numbering) `e` projects from."""
    return {n.input for n in walk(e) if isinstance(n, L.LEProject)}


def is_deterministic(e: L.LExpr) -> bool:
    """No RANDOM-like builtin, no UDF call and no scalar read anywhere in `e`."""
    for node in walk(e):
        if isinstance(node, L.LEScalar):
            return False
        if isinstance(node, L.LEFunc) and (node.kind != "builtin" or node.func in NONDETERMINISTIC):
            return False
    return True


def transform(e: L.LExpr, fn: Callable[[L.LExpr], L.LExpr | None]) -> L.LExpr:
    """Rebuild `e` bottom-up; `fn(node)` returns a replacement or None to keep it."""
    changes: dict[str, object] = {}
    if isinstance(e, L.LEBinary):
        changes = {"left": transform(e.left, fn), "right": transform(e.right, fn)}
    elif isinstance(e, (L.LEUnary, L.LECast)):
        changes = {"operand": transform(e.operand, fn)}
    elif isinstance(e, L.LEBinCond):
        changes = {
            "cond": transform(e.cond, fn),
            "then": transform(e.then, fn),
            "otherwise": transform(e.otherwise, fn),
        }
    elif isinstance(e, L.LEFunc):
        changes = {"args": tuple(transform(a, fn) for a in e.args)}
    elif isinstance(e, (L.LETuple, L.LEBag)):
        changes = {"items": tuple(transform(i, fn) for i in e.items)}
    elif isinstance(e, L.LEMap):
        changes = {"pairs": tuple((k, transform(v, fn)) for k, v in e.pairs)}
    elif isinstance(e, (L.LEDeref, L.LEMapLookup)):
        changes = {"base": transform(e.base, fn)}
    elif isinstance(e, L.LEFilteredBag):
        changes = {"source": transform(e.source, fn)}
    rebuilt = dataclasses.replace(e, **changes) if changes else e
    replacement = fn(rebuilt)
    return rebuilt if replacement is None else replacement


def remap(e: L.LExpr, mapping: Mapping[int, int], *, input: int = 0, to_input: int = 0) -> L.LExpr:
    """Renumber the projections of input `input`: column c becomes `mapping[c]` of
    input `to_input`.  Every projected column must be in `mapping`."""

    def fn(node: L.LExpr) -> L.LExpr | None:
        if isinstance(node, L.LEProject) and node.input == input and node.column is not None:
            return L.LEProject(mapping[node.column], node.field, to_input)
        return None

    return transform(e, fn)


def substitute(e: L.LExpr, exprs: Mapping[int, L.LExpr]) -> L.LExpr:
    """Replace each projection of column c (input 0) by `exprs[c]`."""

    def fn(node: L.LExpr) -> L.LExpr | None:
        if isinstance(node, L.LEProject) and node.input == 0 and node.column is not None:
            return exprs[node.column]
        return None

    return transform(e, fn)


def and_(left: L.LExpr, right: L.LExpr) -> L.LExpr:
    """`left AND right` as a boolean LEBinary."""
    return L.LEBinary("and", left, right, L.FieldSchema(None, L.DataType.BOOLEAN))


def is_plain_project(e: L.LExpr) -> bool:
    """A projection of one column of input 0 (not `*`)."""
    return isinstance(e, L.LEProject) and e.column is not None and e.input == 0


# -------------------------------------------------- operator-level expression sets
def nested_outer_exprs(op: L.LOForEach) -> list[L.LExpr]:
    """The outer-scope expressions of a FOREACH: GENERATE items and nested sources."""
    return [g.expr for g in op.generate] + [n.source for n in op.nested]


def op_exprs(op: L.LogicalOperator) -> list[L.LExpr] | None:
    """Every outer-scope expression of a single-input operator (None = unknown kind,
    or one that reads the whole tuple implicitly, like ORDER BY *)."""
    if isinstance(op, L.LOForEach):
        return nested_outer_exprs(op)
    if isinstance(op, L.LOFilter):
        return [op.cond] if op.cond is not None else []
    if isinstance(op, L.LOSort):
        return None if op.star else [k.expr for k in op.keys]
    if isinstance(op, L.LOLimit):
        return [op.count] if op.count is not None else []
    if isinstance(op, L.LOSample):
        return [op.fraction] if op.fraction is not None else []
    if isinstance(op, L.LOSplitOutput):
        return ([op.cond] if op.cond is not None else []) + list(op.others)
    if isinstance(op, L.LOSplit):
        return []
    return None
