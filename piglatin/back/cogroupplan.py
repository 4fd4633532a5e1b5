"""Which COGROUP (or GROUP) reads its bags only through algebraic functions: the plan question
behind the by-input combiner (cogroupaggs.py computes the partials).

Owns: `by_input_aggregates`, and `nested_as_calls` (a nested block of bag projections,
DISTINCTs and FILTERs as calls: the combiner rule of `mrcompiler.algebraic_foreach` uses it
too). A COGROUP of several inputs (or a GROUP of one that the combiner rule does not take,
such as ``FILTER G BY COUNT(A) > 2`` before the FOREACH) whose reduce chain is FILTERs and
then a FOREACH, where every bag is read only as the argument of COUNT, COUNT_STAR, SUM,
AVG, MIN, MAX or Distinct (of the bag, a projection of it or a nested FILTER of its rows),
SIZE or IsEmpty, needs no bags: each map task folds partials per key and input, a combiner
merges them, and the reduce side evaluates the chain on each input's row count and finals.
Pig itself combines only the single-input GROUP, so this must be invisible but for speed
(EXPLAIN shows the Combine Plan). Any other use of a bag (FLATTEN, a nested ORDER/LIMIT, a
UDF or another function given the bag, the bag projected or stored) keeps the bags. Must
not touch: job boundaries (mrcompiler.py) or execution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.exprs import children, transform, walk

__all__ = ["AGGREGATES", "ByInput", "bag_of_group", "by_input_aggregates", "nested_as_calls"]

#: aggregates whose partials are folded per input; SIZE/IsEmpty/COUNT_STAR read the row count
AGGREGATES = frozenset(("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX", "Distinct"))
_ROW_COUNTS = frozenset(("SIZE", "IsEmpty", "COUNT_STAR"))


@frozen_dataclass(slots=False)
class ByInput:
    """A COGROUP's chain computed from partials per input.

    `calls`: the distinct aggregate calls (equal calls once), `inputs[j]` the input (0-based)
    whose bag ``calls[j]`` reads; `uses`: every call node of the chain's expressions with
    the value it stands for: ``-1 - i`` for input i's row count (SIZE, IsEmpty and
    COUNT_STAR of its bag), else the index j of its entry in `calls`; `ops`: the op ids of
    the chain read with the bags (the FILTERs and the FOREACH that drops them);
    `foreach`: that FOREACH as the reduce side evaluates it (a nested block made calls,
    `nested_as_calls`)."""

    calls: tuple[L.LEFunc, ...]
    inputs: tuple[int, ...]
    uses: tuple[tuple[L.LEFunc, int], ...]
    ops: tuple[str, ...]
    foreach: L.LOForEach

    def of_input(self, tag: int) -> list[L.LEFunc]:
        """The calls reading input `tag`'s bag, in `calls` order."""
        return [c for c, i in zip(self.calls, self.inputs, strict=True) if i == tag]


def by_input_aggregates(
    plan: L.LogicalPlan, group: L.LogicalOperator, chain: Sequence[str]
) -> ByInput | None:
    """The `ByInput` of a COGROUP/GROUP followed by `chain` (its fused reduce chain), or None
    when some bag is used otherwise, the chain does not drop the bags with a FOREACH, or no
    bag is read at all (nothing to fold: a plain DISTINCT of keys would do, and is rare)."""
    if not isinstance(group, L.LOCogroup) or group.strategy != "regular" or not chain:
        return None
    n = len(group.inputs)
    if group.group_all and n > 1:
        return None
    found = _Uses(n)
    for i, op_id in enumerate(chain):
        op = plan.op(op_id)
        if isinstance(op, L.LOFilter) and op.cond is not None:
            if not found.expr(op.cond):
                return None
            continue
        fe = nested_as_calls(op, n) if isinstance(op, L.LOForEach) and op.nested else op
        if not isinstance(fe, L.LOForEach):
            return None
        if not all(found.expr(g.expr) for g in fe.generate) or not found.uses:
            return None
        calls = tuple(c for c, _ in found.calls)
        inputs = tuple(t for _, t in found.calls)
        return ByInput(calls, inputs, tuple(found.uses), tuple(chain[: i + 1]), fe)
    return None


class _Uses:
    """The aggregate calls found in a chain's expressions (see `ByInput`)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls: list[tuple[L.LEFunc, int]] = []
        self.uses: list[tuple[L.LEFunc, int]] = []

    def expr(self, e: L.LExpr) -> bool:
        """Whether `e` reads bags only through aggregates (recording them)."""
        if isinstance(e, L.LEFunc) and len(e.args) == 1:
            tag = self.bag(e.args[0])
            if tag is not None:
                return e.kind == "builtin" and not e.ctor_args and self.use(e, tag)
        if isinstance(e, L.LEProject):
            return e.column == 0 and e.input == 0
        if isinstance(e, (L.LEInnerRef, L.LEFilteredBag)):
            return False
        return all(self.expr(c) for c in children(e))

    def bag(self, arg: L.LExpr) -> int | None:
        """The input (0-based) whose bag `arg` is, or a projection or nested FILTER of;
        None otherwise."""
        if isinstance(arg, L.LEDeref) and arg.base.type is DataType.BAG:
            arg = arg.base
        while isinstance(arg, L.LEFilteredBag):
            arg = arg.source
        if isinstance(arg, L.LEProject) and arg.input == 0 and arg.type is DataType.BAG:
            col = arg.column
            if col is not None and 1 <= col <= self.n:
                return col - 1
        return None

    def use(self, call: L.LEFunc, tag: int) -> bool:
        filtered = _filtered(call.args[0])
        if call.func in _ROW_COUNTS and not filtered:  # the bag or a projection: its rows
            self.uses.append((call, -1 - tag))
            return True
        counted = call
        if call.func in _ROW_COUNTS:  # rows a nested FILTER keeps: their COUNT_STAR
            counted = L.LEFunc("COUNT_STAR", "COUNT_STAR", "builtin", call.args, call.field)
        elif call.func not in AGGREGATES:
            return False
        for j, (seen, t) in enumerate(self.calls):
            if t == tag and seen == counted:
                self.uses.append((call, j))
                return True
        self.calls.append((counted, tag))
        self.uses.append((call, len(self.calls) - 1))
        return True


def _filtered(arg: L.LExpr) -> bool:
    """A nested FILTER's rows (or a projection of them), not the whole bag."""
    return isinstance(arg.base if isinstance(arg, L.LEDeref) else arg, L.LEFilteredBag)


def nested_as_calls(fe: L.LOForEach, n: int = 1) -> L.LOForEach | None:
    """``{ p = B.x; d = DISTINCT p; GENERATE group, COUNT(d) }`` as ``GENERATE group,
    COUNT(Distinct(B.x))`` and ``{ f = FILTER B BY c; GENERATE group, SUM(f.x) }`` as
    ``GENERATE group, SUM(FILTER(B BY c).x)`` (nested relations inlined), for the bags of
    the `n` inputs of a GROUP/COGROUP; None when the block does anything else."""
    bound: dict[str, L.LExpr] = {}

    def inline(e: L.LExpr) -> L.LExpr | None:
        return bound.get(e.alias) if isinstance(e, L.LEInnerRef) else None

    for op in fe.nested:
        source = transform(op.source, inline) if op.source is not None else None
        if source is None or not bag_of_group(source, n):
            return None
        if op.kind == "expr":
            bound[op.alias] = source
        elif op.kind == "distinct":
            bound[op.alias] = L.LEFunc("Distinct", "Distinct", "builtin", (source,), op.field)
        elif op.kind == "filter" and _rows_of_group(source, n) and _row_condition(op.cond):
            bound[op.alias] = L.LEFilteredBag(source, op.cond, op.field)  # type: ignore[arg-type]
        else:
            return None
    items = tuple(replace(g, expr=transform(g.expr, inline)) for g in fe.generate)
    return replace(fe, nested=(), generate=items)


def bag_of_group(e: L.LExpr, n: int = 1) -> bool:
    """A grouped bag (columns 1..n), a FILTER of its rows, or a projection of some columns."""
    return _rows_of_group(e.base if isinstance(e, L.LEDeref) else e, n)


def _rows_of_group(e: L.LExpr, n: int) -> bool:
    """A grouped bag's whole rows: one of columns 1..n, or a FILTER of them."""
    if isinstance(e, L.LEFilteredBag):
        return True  # made only of whole rows (`nested_as_calls`)
    return isinstance(e, L.LEProject) and e.column is not None and 1 <= e.column <= n


def _row_condition(cond: L.LExpr | None) -> bool:
    """A FILTER condition the map side can evaluate on one row: no nested relation in it."""
    return cond is not None and not any(
        isinstance(x, (L.LEInnerRef, L.LEFilteredBag)) for x in walk(cond)
    )
