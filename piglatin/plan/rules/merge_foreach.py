"""MergeForEach: a FOREACH that only projects columns of the FOREACH before it is
folded into that one.

Owns: the rule only.  It applies when the upper FOREACH has no nested block and
every GENERATE item is a plain, unflattened column projection (`$1`, `x AS y`), and
the lower FOREACH has no other reader and no FLATTEN (so its output columns are its
GENERATE items one to one).  The merged FOREACH keeps the upper op id, alias and
schema, reads the lower one's input and keeps the lower one's nested block; the
lower op id is redirected to it.
Must not touch: other rules, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> p = build_text('''A = LOAD 'a' AS (x:int, y:int);
... B = FOREACH A GENERATE x + y AS s, x; C = FOREACH B GENERATE s; DUMP C;''')
>>> q = apply(p)
>>> [(op.op_id, op.inputs) for op in q.operators]
[('A', ()), ('C', ('A',)), ('dump_4', ('C',))]
>>> from piglatin.plan.logical import describe_op
>>> describe_op(q.op("C")), q.op("C").schema.short()
(' GENERATE (x + y)', 's:int')
"""

from __future__ import annotations

import dataclasses

from piglatin.plan import logical as L
from piglatin.plan.exprs import is_plain_project
from piglatin.plan.rules._plan import rebuild, replace_op, single_use, to_fixpoint


def mergeable(plan: L.LogicalPlan, upper: L.LogicalOperator) -> L.LOForEach | None:
    """The lower FOREACH `upper` can be folded into, or None."""
    if not isinstance(upper, L.LOForEach) or upper.nested:
        return None
    if not all(not g.flatten and is_plain_project(g.expr) and not g.casts for g in upper.generate):
        return None
    lower = plan.op(upper.inputs[0])
    if not isinstance(lower, L.LOForEach) or not single_use(plan, lower.op_id):
        return None
    if any(g.flatten or g.fields is None or len(g.fields) != 1 for g in lower.generate):
        return None
    return lower


def merge(upper: L.LOForEach, lower: L.LOForEach) -> L.LOForEach:
    items = []
    for g in upper.generate:
        src = lower.generate[g.expr.column]  # type: ignore[attr-defined]
        items.append(L.GenerateItem(src.expr, False, g.fields))
    return dataclasses.replace(
        upper, inputs=lower.inputs, generate=tuple(items), nested=lower.nested
    )


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for op in plan.operators:
        lower = mergeable(plan, op)
        if lower is None:
            continue
        merged = merge(op, lower)  # type: ignore[arg-type]
        ops = [o for o in replace_op(plan, merged) if o.op_id != lower.op_id]
        return rebuild(plan, ops, {lower.op_id: op.op_id})
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Fold every chain of projection-only FOREACHes; `plan` itself when none."""
    return to_fixpoint(_once, plan)
