"""MergeFilter: two adjacent FILTERs become one FILTER whose condition is an AND.

Owns: the rule only.  The upper filter (the one that reads the other) keeps its op
id and alias; the lower one, which must have no other reader, is removed and its
references move to the merged filter (the schemas are the same).
Must not touch: other operators, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> p = build_text("A = LOAD 'a' AS (x:int); B = FILTER A BY x > 1; C = FILTER B BY x < 9; DUMP C;")
>>> q = apply(p)
>>> [op.op_id for op in q.operators]
['A', 'C', 'dump_4']
>>> print(describe_op(q.op("C")))
 BY ((x > 1) and (x < 9))
"""

from __future__ import annotations

import dataclasses

from piglatin.plan import logical as L
from piglatin.plan.exprs import and_
from piglatin.plan.logical import describe_op  # noqa: F401 - used by the doctest
from piglatin.plan.rules._plan import rebuild, replace_op, single_use, to_fixpoint


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for upper in plan.operators:
        if not isinstance(upper, L.LOFilter) or upper.cond is None:
            continue
        lower = plan.op(upper.inputs[0])
        if not isinstance(lower, L.LOFilter) or lower.cond is None:
            continue
        if not single_use(plan, lower.op_id):
            continue
        merged = dataclasses.replace(upper, inputs=lower.inputs, cond=and_(lower.cond, upper.cond))
        ops = [op for op in replace_op(plan, merged) if op.op_id != lower.op_id]
        return rebuild(plan, ops, {lower.op_id: upper.op_id})
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Merge every chain of adjacent filters; returns `plan` itself when none."""
    return to_fixpoint(_once, plan)
