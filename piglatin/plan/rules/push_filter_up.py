"""PushUpFilter: run a FILTER as early as possible — before the JOIN, COGROUP,
CROSS, FOREACH, ORDER, DISTINCT or UNION that feeds it, when that gives the same rows.

Owns: the rule only.  A filter moves onto the input whose columns its condition
reads: for JOIN/CROSS one input (an inner join any input; LEFT OUTER only the
preserved left input, RIGHT OUTER only the right; never the null-padded side, never
across FULL OUTER; for the replicated, skewed and merge strategies only
the first input, since any other input must stay a plain LOAD to avoid an extra
job); for COGROUP a condition on the single `group` key becomes one
filter per input on that input's key; for FOREACH only when every column it reads
is passed through unchanged; for ORDER/DISTINCT/UNION a copy per input.  An AND
is split first (Pig's SplitFilter): each part that can move does, and the rest stays
in the filter, which then keeps its op id while the operator below gets a new one.  Conditions
with RANDOM, a UDF or a scalar stay where they are.  The moved filter gets a new
derived op id and keeps its alias; its old id is redirected to the operator it was
moved below, which now yields the filtered rows with the same schema.
Must not touch: other rules, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> from piglatin.plan.rules._plan import shape
>>> p = build_text('''A = LOAD 'a' AS (x:int, y:int); B = LOAD 'b' AS (x:int, z:int);
... C = JOIN A BY x, B BY x; D = FILTER C BY B::z > 5; DUMP D;''')
>>> q = apply(p)
>>> for line in shape(q): print(line)
A: LOLoad [] 'a' USING PigStorage() | x:int,y:int
B: LOLoad [] 'b' USING PigStorage() | x:int,z:int
D_*: LOFilter [B] BY (z > 5) | x:int,z:int
D: LOJoin [A,D_*](inner,hash) BY x | x | A::x:int,A::y:int,B::x:int,B::z:int
dump_5: LODump [D] | A::x:int,A::y:int,B::x:int,B::z:int
>>> dict(q.aliases)["C"], q.op("D").alias
('D', 'C')
"""

from __future__ import annotations

import dataclasses

from piglatin.plan import logical as L
from piglatin.plan.exprs import (
    and_,
    columns,
    is_deterministic,
    is_plain_project,
    remap,
    transform,
)
from piglatin.plan.rules._plan import (
    derived_id,
    is_load_projection,
    rebuild,
    single_use,
    to_fixpoint,
)

# which join inputs a filter may move onto, by join type
_JOIN_SIDES = {"inner": None, "left": {0}, "right": {1}, "full": set()}

Target = tuple[int, L.LExpr]  # (input position of the operator below, rewritten cond)


def _reproject(cond: L.LExpr, offset: int, schema: L.Schema) -> L.LExpr:
    """Columns c of a concatenated schema -> c - offset, named as in `schema`."""

    def fn(node: L.LExpr) -> L.LExpr | None:
        if isinstance(node, L.LEProject) and node.column is not None:
            col = node.column - offset
            return L.LEProject(col, schema[col], 0)
        return None

    return transform(cond, fn)


def _concat_targets(plan: L.LogicalPlan, below, cond: L.LExpr, cols: set[int]) -> list[Target]:
    schemas = [plan.op(i).schema for i in below.inputs]
    if any(s is None for s in schemas):
        return []
    allowed = _JOIN_SIDES.get(below.join_type) if isinstance(below, L.LOJoin) else None
    offset = 0
    for i, schema in enumerate(schemas):
        width = len(schema)  # type: ignore[arg-type]
        if all(offset <= c < offset + width for c in cols):
            if allowed is not None and i not in allowed:
                return []
            if isinstance(below, L.LOJoin) and below.strategy != "hash" and i != 0:
                return []  # a non-load side input costs replicated/merge/skewed an extra job
            return [(i, _reproject(cond, offset, schema))]  # type: ignore[arg-type]
        offset += width
    return []


def _cogroup_targets(below: L.LOCogroup, cond: L.LExpr, cols: set[int]) -> list[Target]:
    if below.group_all or below.strategy != "regular" or cols != {0}:
        return []
    if any(len(k) != 1 for k in below.keys):
        return []
    out: list[Target] = []
    for i, (key,) in enumerate(below.keys):
        if not is_deterministic(key) or columns(key, i) is None:
            return []
        local = remap(key, {c: c for c in columns(key, i) or ()}, input=i, to_input=0)

        def fn(node: L.LExpr, local: L.LExpr = local) -> L.LExpr | None:
            return local if isinstance(node, L.LEProject) and node.column == 0 else None

        out.append((i, transform(cond, fn)))
    return out


def _foreach_targets(plan: L.LogicalPlan, below: L.LOForEach, cond, cols) -> list[Target]:
    if is_load_projection(plan, below):
        return []  # a projection right after a LOAD: column_prune's place, leave it
    if any(g.fields is None for g in below.generate):
        return []
    origin: dict[int, L.LEProject] = {}
    pos = 0
    for g in below.generate:
        if not g.flatten and is_plain_project(g.expr) and len(g.fields) == 1:  # type: ignore[arg-type]
            origin[pos] = g.expr  # type: ignore[assignment]
        pos += len(g.fields)  # type: ignore[arg-type]
    if not cols <= origin.keys():
        return []

    def fn(node: L.LExpr) -> L.LExpr | None:
        if isinstance(node, L.LEProject) and node.column is not None:
            return origin[node.column]
        return None

    return [(0, transform(cond, fn))]


def _union_targets(plan: L.LogicalPlan, below: L.LOUnion, cond) -> list[Target]:
    if below.onschema or below.schema is None:
        return []
    want = [f.dtype for f in below.schema]
    for i in below.inputs:
        schema = plan.op(i).schema
        if schema is None or [f.dtype for f in schema] != want:
            return []
    return [(n, cond) for n in range(len(below.inputs))]


def targets(plan: L.LogicalPlan, flt: L.LOFilter, below: L.LogicalOperator) -> list[Target]:
    """Where `flt` can go instead of after `below`; empty when it must stay."""
    cond = flt.cond
    cols = columns(cond) if cond is not None else None
    if cond is None or not cols or not is_deterministic(cond):
        return []
    if isinstance(below, (L.LOJoin, L.LOCross)):
        return _concat_targets(plan, below, cond, cols)
    if isinstance(below, L.LOCogroup):
        return _cogroup_targets(below, cond, cols)
    if isinstance(below, L.LOForEach):
        return _foreach_targets(plan, below, cond, cols)
    if isinstance(below, (L.LOSort, L.LODistinct)):
        return [(0, cond)]
    if isinstance(below, L.LOUnion):
        return _union_targets(plan, below, cond)
    return []


def conjuncts(e: L.LExpr) -> list[L.LExpr]:
    """`a AND b AND c` as [a, b, c] (Pig's SplitFilter view of a condition)."""
    if isinstance(e, L.LEBinary) and e.op == "and":
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def _split_moves(plan, flt: L.LOFilter, below) -> tuple[list[Target], list[L.LExpr]]:
    """Per AND-ed part of the condition: where it can go, and the parts that stay."""
    moves: list[Target] = []
    stay: list[L.LExpr] = []
    for part in conjuncts(flt.cond) if flt.cond is not None else []:
        where = targets(plan, dataclasses.replace(flt, cond=part), below)
        moves.extend(where)
        if not where:
            stay.append(part)
    return moves, stay


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for flt in plan.operators:
        if not isinstance(flt, L.LOFilter):
            continue
        below = plan.op(flt.inputs[0])
        if not single_use(plan, below.op_id):
            continue
        moves = targets(plan, flt, below)
        if moves:
            return _move(plan, flt, below, moves, [])
        moves, stay = _split_moves(plan, flt, below)
        if moves:
            return _move(plan, flt, below, moves, stay)
    return None


def _and_all(parts: list[L.LExpr]) -> L.LExpr:
    out = parts[0]
    for p in parts[1:]:
        out = and_(out, p)
    return out


def _move(plan, flt: L.LOFilter, below, moves: list[Target], stay: list[L.LExpr]):
    """New filters on `below`'s inputs for `moves` (one per input, parts AND-ed); the
    parts in `stay` remain in `flt` above it."""
    inputs = list(below.inputs)
    by_input: dict[int, list[L.LExpr]] = {}
    for i, cond in moves:
        by_input.setdefault(i, []).append(cond)
    new_filters: list[L.LogicalOperator] = []
    for i, conds in sorted(by_input.items()):
        src = plan.op(inputs[i])
        pushed = L.LOFilter(
            "", flt.alias, (src.op_id,), src.schema, flt.line, flt.column, _and_all(conds)
        )
        new_id = derived_id(plan, pushed, flt.op_id, (f.op_id for f in new_filters))
        new_filters.append(dataclasses.replace(pushed, op_id=new_id))
        inputs[i] = new_id
    if stay:  # `below` now yields other rows than before: a new id; `flt` keeps its own
        moved = dataclasses.replace(below, inputs=tuple(inputs))
        moved = dataclasses.replace(moved, op_id=derived_id(plan, moved, below.op_id))
        kept = dataclasses.replace(flt, inputs=(moved.op_id,), cond=_and_all(stay))
    else:  # `below` now yields the filter's rows, so it takes over the filter's id
        moved = dataclasses.replace(below, op_id=flt.op_id, inputs=tuple(inputs))
        kept = None
    ops: list[L.LogicalOperator] = []
    for op in plan.operators:
        if op.op_id == below.op_id:
            ops.extend(new_filters)
            ops.append(moved)
        elif op.op_id == flt.op_id:
            if kept is not None:
                ops.append(kept)
        else:
            ops.append(op)
    return rebuild(plan, ops, {below.op_id: moved.op_id})


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Push every movable filter as far up as it goes; `plan` itself when none moves."""
    return to_fixpoint(_once, plan)
