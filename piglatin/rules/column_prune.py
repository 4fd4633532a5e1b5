"""ColumnPrune (Pig's ColumnMapKeyPrune + AddForEach): drop unused columns right
after a LOAD, so every later stage carries fewer columns.

Owns: the rule only.  For a LOAD with a known schema, it follows the readers through
row-preserving operators that keep the schema (FILTER, ORDER BY keys, LIMIT, SAMPLE,
SPLIT) down to the FOREACHes that end the chain.  If every reader is one of those,
and together they read only some of the columns, a projection FOREACH of those
columns is inserted right after the LOAD; the expressions of the chain are
renumbered and the chain's intermediate schemas shrink to the kept columns (those
operators get new content-derived op ids: their rows are not the same any more).  The
FOREACHes at the ends keep their output schemas, so what is stored, dumped or
described does not change.  A LOAD read by anything else (JOIN, GROUP, DISTINCT,
UNION, a sink, EXPLAIN/ILLUSTRATE, a scalar) keeps all its columns.
Must not touch: other rules, the front end, execution.

>>> from piglatin.builder import build_text
>>> from piglatin.rules._plan import shape
>>> p = build_text('''A = LOAD 'a' AS (x:int, y:int, z:int, w:int);
... B = FILTER A BY z > 0; C = FOREACH B GENERATE x; DUMP C;''')
>>> for line in shape(apply(p)): print(line)
A: LOLoad [] 'a' USING PigStorage() | x:int,y:int,z:int,w:int
A_*: LOForEach [A] GENERATE x,z | x:int,z:int
B_*: LOFilter [A_*] BY (z > 0) | x:int,z:int
C: LOForEach [B_*] GENERATE x | x:int
dump_4: LODump [C] | x:int
"""

from __future__ import annotations

import dataclasses

from piglatin import logical as L
from piglatin.rules._exprs import columns, op_exprs, remap
from piglatin.rules._plan import (
    action_targets,
    consumers,
    derived_id,
    is_load_projection,
    is_scalar_source,
    rebuild,
)

MAX_STEPS = 1000
PASS_THROUGH = (L.LOFilter, L.LOSort, L.LOLimit, L.LOSample, L.LOSplit, L.LOSplitOutput)


def chain(plan: L.LogicalPlan, load: L.LOLoad) -> list[L.LogicalOperator] | None:
    """The operators reading `load`'s columns (pass-through ops then FOREACH ends), or
    None when some reader needs the whole tuple."""
    pinned = action_targets(plan)
    out: list[L.LogicalOperator] = []
    todo = [load.op_id]
    while todo:
        for op in consumers(plan, todo.pop()):
            if op.op_id in pinned or is_scalar_source(plan, op.op_id) or len(op.inputs) != 1:
                return None
            if isinstance(op, PASS_THROUGH) and op_exprs(op) is not None:
                todo.append(op.op_id)
            elif not isinstance(op, L.LOForEach):
                return None
            out.append(op)
    return out


def needed(ops: list[L.LogicalOperator]) -> set[int] | None:
    cols: set[int] = set()
    for op in ops:
        for e in op_exprs(op) or ():
            used = columns(e)
            if used is None:
                return None
            cols |= used
    return cols


def _renumber(op: L.LogicalOperator, mapping: dict[int, int], schema: L.Schema):
    def r(e: L.LExpr | None) -> L.LExpr | None:
        return None if e is None else remap(e, mapping)

    if isinstance(op, L.LOForEach):
        gens = tuple(dataclasses.replace(g, expr=r(g.expr)) for g in op.generate)
        nested = tuple(dataclasses.replace(n, source=r(n.source)) for n in op.nested)
        return dataclasses.replace(op, generate=gens, nested=nested)
    changes: dict[str, object] = {"schema": schema}
    if isinstance(op, L.LOFilter):
        changes["cond"] = r(op.cond)
    elif isinstance(op, L.LOSort):
        changes["keys"] = tuple(dataclasses.replace(k, expr=r(k.expr)) for k in op.keys)
    elif isinstance(op, L.LOLimit):
        changes["count"] = r(op.count)
    elif isinstance(op, L.LOSample):
        changes["fraction"] = r(op.fraction)
    elif isinstance(op, L.LOSplitOutput):
        changes["cond"] = r(op.cond)
        changes["others"] = tuple(r(e) for e in op.others)
    return dataclasses.replace(op, **changes)


def _prune(plan: L.LogicalPlan, load: L.LOLoad, readers, keep: list[int]) -> L.LogicalPlan:
    schema = L.Schema(tuple(load.schema[c] for c in keep))  # type: ignore[index]
    mapping = {old: new for new, old in enumerate(keep)}
    items = tuple(
        L.GenerateItem(L.LEProject(c, load.schema[c], 0), False, (load.schema[c],))  # type: ignore[index]
        for c in keep
    )
    proj = L.LOForEach("", None, (load.op_id,), schema, load.line, load.column, items)
    proj = dataclasses.replace(proj, op_id=derived_id(plan, proj, load.op_id))
    renamed = {load.op_id: proj.op_id}  # old id -> id of the operator that replaces it
    reader_ids = {op.op_id for op in readers}
    ops: list[L.LogicalOperator] = []
    for op in plan.operators:
        new = op
        if op.op_id in reader_ids:
            new = _renumber(op, mapping, schema)
            new = dataclasses.replace(new, inputs=tuple(renamed.get(i, i) for i in new.inputs))
            if not isinstance(op, L.LOForEach):  # narrower rows: a new relation, a new id
                new = dataclasses.replace(
                    new, op_id=derived_id(plan, new, op.op_id, renamed.values())
                )
                renamed[op.op_id] = new.op_id
        ops.append(new)
        if op.op_id == load.op_id:
            ops.append(proj)
    del renamed[load.op_id]
    return rebuild(plan, ops, renamed)


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for load in plan.operators:
        if (
            not isinstance(load, L.LOLoad)
            or load.schema is None
            or is_scalar_source(plan, load.op_id)
        ):
            continue
        readers = chain(plan, load)
        if not readers:
            continue
        direct = consumers(plan, load.op_id)
        if len(direct) == 1 and is_load_projection(plan, direct[0]):
            continue  # already a projection right after the load
        cols = needed(readers)
        if cols is None or len(cols) >= len(load.schema):
            continue
        return _prune(plan, load, readers, sorted(cols) or [0])
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Prune the unused columns of every LOAD that allows it; `plan` itself when none."""
    for _ in range(MAX_STEPS):
        new = _once(plan)
        if new is None:
            return plan
        plan = new
    return plan
