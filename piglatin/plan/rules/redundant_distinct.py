"""RemoveRedundantDistinct: a DISTINCT whose rows only reach another DISTINCT, directly or
through UNIONs, is removed: the outer DISTINCT removes every repeat the inner one would have
(a UNION adds no row and drops none), so the result is the same rows, one job fewer.

Owns: the rule only. The inner DISTINCT, its UNIONs and nothing else on the way may have
another reader (a STORE, a DUMP, a scalar or another operator), or it stays. Its readers
then read its input instead (same schema). Must not touch: other operators, the front end,
execution.

>>> from piglatin.front.builder import build_text
>>> p = build_text('''A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (x:int);
... C = DISTINCT A; D = DISTINCT B; E = UNION C, D; F = DISTINCT E; DUMP F;''')
>>> [type(op).__name__ for op in apply(p).operators]
['LOLoad', 'LOLoad', 'LOUnion', 'LODistinct', 'LODump']
"""

from __future__ import annotations

from piglatin.plan import logical as L
from piglatin.plan.rules._plan import consumers, rebuild, single_use, to_fixpoint


def _redundant(plan: L.LogicalPlan, op: L.LogicalOperator) -> bool:
    """Whether `op`'s rows go, through single-reader UNIONs only, into a DISTINCT."""
    current = op
    while single_use(plan, current.op_id):
        reader = consumers(plan, current.op_id)[0]
        if isinstance(reader, L.LODistinct):
            return True
        if not isinstance(reader, L.LOUnion):
            return False
        current = reader
    return False


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for op in plan.operators:
        if isinstance(op, L.LODistinct) and _redundant(plan, op):
            ops = [o for o in plan.operators if o.op_id != op.op_id]
            return rebuild(plan, ops, {op.op_id: op.inputs[0]})
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Remove every redundant DISTINCT; returns `plan` itself when there is none."""
    return to_fixpoint(_once, plan)
