"""UnionOnSchemaSetter: a UNION ONSCHEMA becomes a plain UNION whose every input first goes
through a FOREACH that lays its columns out in the union's schema, a null (of the column's
type) for each column the input does not have.

Owns: the rule only.  Pig does the same before optimizing (its UnionOnSchemaSetter visitor
adds a FOREACH per input); here it is the first rule of a round, so the other rules then see
a plain UNION: each input's FOREACH runs inside that input's map pipeline like any other,
and nothing is left to place the columns row by row after the UNION.  The builder has
already cast each input's columns to the union's types; an input whose column types differ
from them anyway (or whose schema is unknown) leaves the UNION as it is (the back end places
its columns at run time then); an input that has the union's columns in its order is read
as it is.  The UNION keeps its op id, alias and schema, so what is
stored, dumped or described does not change.
Must not touch: other rules, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> from piglatin.plan.rules._plan import shape
>>> p = build_text('''A = LOAD 'a' AS (x:int, y:chararray); B = LOAD 'b' AS (z:long, x:int);
... U = UNION ONSCHEMA A, B; DUMP U;''')
>>> for line in shape(apply(p)): print(line)
A: LOLoad [] 'a' USING PigStorage() | x:int,y:chararray
U_*: LOForEach [A] GENERATE x,y,null | x:int,y:chararray,z:long
B: LOLoad [] 'b' USING PigStorage() | z:long,x:int
U_*: LOForEach [B] GENERATE x,null,z | x:int,y:chararray,z:long
U: LOUnion [U_*,U_*] | x:int,y:chararray,z:long
dump_4: LODump [U] | x:int,y:chararray,z:long
"""

from __future__ import annotations

import dataclasses

from piglatin.plan import logical as L
from piglatin.plan.rules._plan import derived_id, rebuild, replace_op


def placing(union: L.LOUnion, slot: int, schema: L.Schema) -> L.LOForEach | None:
    """The FOREACH that lays input `slot`'s rows (of `schema`) out in the union's columns,
    or None when a column's type would change on the way."""
    out = union.schema
    if out is None or slot >= len(union.mapping):
        return None
    mapping = union.mapping[slot]
    if len(mapping) != len(schema.fields) or len(set(mapping)) != len(mapping):
        return None
    source = {dst: src for src, dst in enumerate(mapping)}
    items = []
    for dst, f in enumerate(out.fields):
        src = source.get(dst)
        if src is None:
            expr: L.LExpr = L.LEConst(None, f)
        else:
            have = schema.fields[src]
            if have.dtype != f.dtype:
                return None
            expr = L.LEProject(src, have)
        items.append(L.GenerateItem(expr, False, (f,)))
    return L.LOForEach(
        "", union.alias, (union.inputs[slot],), out, union.line, union.column, tuple(items)
    )


def _rewrite(plan: L.LogicalPlan, union: L.LOUnion) -> L.LogicalPlan | None:
    inputs = [plan.op(i) for i in union.inputs]
    if any(i.schema is None for i in inputs):
        return None
    fronts: list[L.LOForEach] = []
    ids: list[str] = []
    for slot, source in enumerate(inputs):
        if union.mapping[slot] == tuple(range(len(union.schema.fields))):  # type: ignore[union-attr]
            ids.append(source.op_id)  # already the union's columns, in its order
            continue
        fe = placing(union, slot, source.schema)  # type: ignore[arg-type]
        if fe is None:
            return None
        op_id = derived_id(plan, fe, union.op_id, ids)
        ids.append(op_id)
        fronts.append(dataclasses.replace(fe, op_id=op_id))
    plain = dataclasses.replace(union, inputs=tuple(ids), onschema=False, mapping=())
    return rebuild(plan, [*fronts, *replace_op(plan, plain)])


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Every UNION ONSCHEMA whose inputs' types match made plain; `plan` itself when none."""
    for op in plan.operators:
        if isinstance(op, L.LOUnion) and op.onschema and op.mapping:
            new = _rewrite(plan, op)
            if new is not None:
                plan = new
    return plan
