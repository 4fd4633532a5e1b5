"""LimitOptimizer: apply LIMIT as early as possible.

Owns: the rule only.  (1) A LIMIT reading a FOREACH without FLATTEN (one output row
per input row) moves below it (with an op id derived from its content), so the FOREACH sees only
the rows kept; the FOREACH now yields the LIMIT's rows and takes over its op id. Not a FOREACH
of a GROUP's bags: it stays in the GROUP's reduce (and its combiner), where Pig's MRCompiler
keeps it too, and the LIMIT reads its rows.  (2) Two
adjacent LIMITs with constant counts become one LIMIT of the smaller count.  A LIMIT
right after ORDER stays there: the back end turns ORDER+LIMIT into one job.
Must not touch: other rules, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> from piglatin.plan.rules._plan import shape
>>> p = build_text('''A = LOAD 'a' AS (x:int, y:int);
... B = ORDER A BY x; C = FOREACH B GENERATE y; D = LIMIT C 3; DUMP D;''')
>>> for line in shape(apply(p)): print(line)
A: LOLoad [] 'a' USING PigStorage() | x:int,y:int
B: LOSort [A] BY x | x:int,y:int
D_*: LOLimit [B] 3 | x:int,y:int
D: LOForEach [D_*] GENERATE y | y:int
dump_5: LODump [D] | y:int
"""

from __future__ import annotations

import dataclasses

from piglatin.plan import logical as L
from piglatin.plan.rules._plan import (
    derived_id,
    is_load_projection,
    rebuild,
    replace_op,
    single_use,
    to_fixpoint,
)


def _const(e: L.LExpr | None) -> int | None:
    return e.value if isinstance(e, L.LEConst) and isinstance(e.value, int) else None


def _of_group(plan: L.LogicalPlan, fe: L.LOForEach) -> bool:
    """Does `fe` read a GROUP/COGROUP? It then runs in the GROUP's reduce, its algebraic
    functions in the combiner (perf.xml: "even if LIMIT comes between GROUP and FOREACH,
    the combiner will still be used"), and the LIMIT's job reads its rows, not the bags."""
    return isinstance(plan.op(fe.inputs[0]), L.LOCogroup)


def _swap(plan: L.LogicalPlan, lim: L.LOLimit, fe: L.LOForEach) -> L.LogicalPlan:
    src = plan.op(fe.inputs[0])
    pushed = dataclasses.replace(lim, inputs=(src.op_id,), schema=src.schema)
    pushed = dataclasses.replace(pushed, op_id=derived_id(plan, pushed, lim.op_id))
    ops: list[L.LogicalOperator] = []
    for op in plan.operators:
        if op.op_id == fe.op_id:
            ops.append(pushed)
            # the FOREACH now yields the LIMIT's rows: it takes over the LIMIT's id
            ops.append(dataclasses.replace(fe, op_id=lim.op_id, inputs=(pushed.op_id,)))
        elif op.op_id != lim.op_id:
            ops.append(op)
    return rebuild(plan, ops, {fe.op_id: lim.op_id})


def _merge(plan: L.LogicalPlan, upper: L.LOLimit, lower: L.LOLimit) -> L.LogicalPlan:
    n = min(_const(upper.count), _const(lower.count))  # type: ignore[type-var]
    count = upper.count if _const(upper.count) == n else lower.count
    merged = dataclasses.replace(upper, inputs=lower.inputs, count=count)
    ops = [op for op in replace_op(plan, merged) if op.op_id != lower.op_id]
    return rebuild(plan, ops, {lower.op_id: upper.op_id})


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for lim in plan.operators:
        if not isinstance(lim, L.LOLimit) or (below := plan.op(lim.inputs[0])) is None:
            continue
        if not single_use(plan, below.op_id):
            continue
        flat = isinstance(below, L.LOForEach) and any(g.flatten for g in below.generate)
        scalar = any(user == lim.op_id for user, _ in plan.scalars)
        pruning = is_load_projection(plan, below)
        grouped = isinstance(below, L.LOForEach) and _of_group(plan, below)
        if isinstance(below, L.LOForEach) and not (flat or scalar or pruning or grouped):
            return _swap(plan, lim, below)
        if isinstance(below, L.LOLimit) and None not in (
            _const(lim.count),
            _const(below.count),
        ):
            return _merge(plan, lim, below)
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Move every LIMIT as early as it may go; `plan` itself when nothing moves."""
    return to_fixpoint(_once, plan)
