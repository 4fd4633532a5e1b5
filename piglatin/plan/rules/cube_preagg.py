"""CubePreAggregate (not one of Pig's rules): a CUBE whose groups are read only through
algebraic aggregates is computed from partial aggregates per distinct dimension tuple.

Owns: the rule only.  CUBE (builder._r_cube, as Pig's LogicalPlanBuilder writes it) is a
FOREACH ``cube`` generating FLATTEN(CubeDimensions(dims)) / FLATTEN(RollupDimensions(dims))
and the input's other columns, then a GROUP of it on the dimensions: each input row becomes
2**n * (m + 1) rows before the shuffle (12 for CUBE(a, b), ROLLUP(c, d)), each keyed and
folded.  When the only reader of the GROUP is a FOREACH (no nested block) that reads the bag
only as COUNT_STAR(cube) and COUNT/SUM/MIN/MAX(cube.m) of the input's other columns, the
rows are first grouped on the raw dimension values (one partial per distinct tuple:
COUNT_STAR, COUNT, SUM, MIN, MAX of the rows), the expansion runs over those partials, and
the reader combines them: COUNT_STAR and COUNT become SUM of the partial counts, SUM/MIN/MAX
the same function of the partials.  The values are the same (a null dimension still becomes
'unknown' inside CubeDimensions; a SUM of only nulls stays null; the result types are
unchanged: SUM of the int partial sums' longs is a long), but a double SUM adds in another
order, as Pig's combiner may.

Before: P -> cube(FLATTEN(CubeDimensions(a,b)), FLATTEN(RollupDimensions(c,d)), x) -> C ->
O.  After: P -> G (GROUP P BY (a,b,c,d)) -> partial (FLATTEN(group), COUNT_STAR(P),
SUM(P.x), ...) -> cube(..., over the partial's columns) -> C -> O (reading the partials).
The new operators get content-derived ids; O keeps its id (its rows are the same).
Must not touch: other rules, the front end, execution.
"""

from __future__ import annotations

import dataclasses

from piglatin.model.schema import FieldSchema, Schema, bag_field
from piglatin.plan import logical as L
from piglatin.plan.exprs import children, transform
from piglatin.plan.rules._plan import action_targets, consumers, derived_id, rebuild

DIMENSION_FUNCS = ("CubeDimensions", "RollupDimensions")
PARTIAL_BASE = "cubepartial"
LONG = FieldSchema(None, L.DataType.LONG)


def _measures(cube: L.LOForEach, n_dims: int) -> dict[int, int] | None:
    """The cube FOREACH's measure columns: its output column -> the input column it copies."""
    out: dict[int, int] = {}
    col = 0
    for g in cube.generate:
        if isinstance(g.expr, L.LEFunc) and g.expr.func in DIMENSION_FUNCS:
            col += len(g.expr.args)
            continue
        if g.flatten or g.casts or not isinstance(g.expr, L.LEProject) or g.expr.column is None:
            return None
        out[col] = g.expr.column
        col += 1
    return out if col == len(cube.schema or ()) and col - len(out) == n_dims else None


def _calls(reader: L.LOForEach, measures: dict[int, int]) -> list[tuple[str, int | None]] | None:
    """The aggregates `reader` takes of the cube bag (column 1), as (function, measure column
    or None for the rows); None when it reads the bag any other way."""
    found: list[tuple[str, int | None]] = []

    def bag(e: L.LExpr) -> bool:
        return isinstance(e, L.LEProject) and e.input == 0 and e.column == 1

    def visit(e: L.LExpr) -> bool:
        if isinstance(e, L.LEFunc) and e.kind == "builtin" and len(e.args) == 1:
            a = e.args[0]
            if e.func == "COUNT_STAR" and bag(a):
                found.append(("COUNT_STAR", None))
                return True
            if (
                e.func in ("COUNT", "SUM", "MIN", "MAX")
                and isinstance(a, L.LEDeref)
                and bag(a.base)
                and len(a.columns) == 1
                and a.columns[0] in measures
            ):
                found.append((e.func, a.columns[0]))
                return True
        if bag(e) or (isinstance(e, L.LEProject) and e.input == 0 and e.column is None):
            return False
        if isinstance(e, (L.LEInnerRef, L.LEScalar)):
            return False
        return all(visit(c) for c in children(e))

    for g in reader.generate:
        if not visit(g.expr):
            return None
    return list(dict.fromkeys(found))


def _match(plan: L.LogicalPlan, group: L.LogicalOperator):
    if not isinstance(group, L.LOCogroup) or group.group_all or len(group.inputs) != 1:
        return None
    cube = plan.op(group.inputs[0])
    if not isinstance(cube, L.LOForEach) or cube.nested or cube.alias != "cube":
        return None
    if cube.inputs[0].startswith(PARTIAL_BASE):  # already over partials
        return None
    dims = [g.expr for g in cube.generate if isinstance(g.expr, L.LEFunc)]
    dims = [d for d in dims if d.func in DIMENSION_FUNCS]
    n_dims = sum(len(d.args) for d in dims)
    keys = group.keys[0]
    if len(keys) != n_dims or any(
        not isinstance(k, L.LEProject) or k.column != i for i, k in enumerate(keys)
    ):
        return None
    if any(not isinstance(a, L.LEProject) or a.column is None for d in dims for a in d.args):
        return None
    measures = _measures(cube, n_dims)
    src = plan.op(cube.inputs[0])
    if measures is None or src.schema is None:
        return None
    pinned = action_targets(plan)
    readers = consumers(plan, group.op_id)
    if len(readers) != 1 or len(consumers(plan, cube.op_id)) != 1:
        return None
    reader = readers[0]
    if not isinstance(reader, L.LOForEach) or reader.nested or reader.inputs != (group.op_id,):
        return None
    if {cube.op_id, group.op_id} & pinned:
        return None
    if any(group.op_id in pair or cube.op_id in pair for pair in plan.scalars):
        return None
    calls = _calls(reader, measures)
    if calls is None or not calls:
        return None
    return src, cube, group, reader, dims, measures, calls


def _partial_call(func: str, bag: L.LExpr, col: int | None, src: L.LogicalOperator) -> L.LEFunc:
    """The partial aggregate over the pre-GROUP's bag of input rows."""
    if col is None:
        return L.LEFunc("COUNT_STAR", "COUNT_STAR", "builtin", (bag,), LONG)
    field = src.schema[col]  # type: ignore[index]
    arg = L.LEDeref(bag, (col,), bag_field(None, Schema((field,))))
    if func == "COUNT":
        return L.LEFunc("COUNT", "COUNT", "builtin", (arg,), LONG)
    if func == "SUM":
        t = L.DataType
        out = t.DOUBLE if field.dtype in (t.FLOAT, t.DOUBLE) else t.LONG
        return L.LEFunc("SUM", "SUM", "builtin", (arg,), FieldSchema(None, out))
    return L.LEFunc(func, func, "builtin", (arg,), field.renamed(None))


def _rewrite(plan: L.LogicalPlan, m) -> L.LogicalPlan | None:
    src, cube, group, reader, dims, measures, calls = m
    t = L.DataType
    for f, c in calls:  # SUM of ints/longs/floats/doubles, MIN/MAX of a typed simple value
        dtype = None if c is None else src.schema[measures[c]].dtype
        if f == "SUM" and dtype not in (t.INT, t.LONG, t.FLOAT, t.DOUBLE):
            return None
        if f in ("MIN", "MAX") and (dtype == t.BYTEARRAY or dtype.is_complex):  # type: ignore[union-attr]
            return None
    dim_args = [a for d in dims for a in d.args]
    # 1. GROUP the input by the raw dimension values
    key_fields = [a.field for a in dim_args]
    gfield = (
        key_fields[0].renamed("group")
        if len(key_fields) == 1
        else FieldSchema("group", t.TUPLE, Schema(tuple(key_fields)))
    )
    src_bag = bag_field(src.alias or src.op_id, src.schema)
    pre = L.LOCogroup(
        "", None, (src.op_id,), Schema((gfield, src_bag)), group.line, group.column,
        (tuple(dim_args),), False, (False,), "regular", group.parallel,
    )  # fmt: skip
    pre = dataclasses.replace(pre, op_id=derived_id(plan, pre, "cubegroup"))
    # 2. one row per distinct dimension tuple: the dimensions, then the partials
    bag = L.LEProject(1, src_bag)
    partials = [_partial_call(f, bag, None if c is None else measures[c], src) for f, c in calls]
    pfields = [p.field.renamed(f"partial{i}") for i, p in enumerate(partials)]
    gens = [L.GenerateItem(L.LEProject(0, gfield), len(key_fields) > 1, tuple(key_fields))]
    gens += [L.GenerateItem(p, False, (f,)) for p, f in zip(partials, pfields)]
    part = L.LOForEach(
        "", None, (pre.op_id,), Schema((*key_fields, *pfields)), group.line, group.column,
        tuple(gens),
    )  # fmt: skip
    part = dataclasses.replace(part, op_id=derived_id(plan, part, PARTIAL_BASE))
    # 3. the expansion over the partials' dimension columns
    new_gens, pos = [], 0
    for g in cube.generate:
        if isinstance(g.expr, L.LEFunc) and g.expr.func in DIMENSION_FUNCS:
            args = tuple(L.LEProject(pos + i, a.field) for i, a in enumerate(g.expr.args))
            pos += len(args)
            new_gens.append(dataclasses.replace(g, expr=dataclasses.replace(g.expr, args=args)))
    n_dims = pos
    new_gens += [
        L.GenerateItem(L.LEProject(n_dims + i, f), False, (f,)) for i, f in enumerate(pfields)
    ]
    cube_fields = [f for g in new_gens for f in g.fields or ()]
    new_cube = dataclasses.replace(
        cube, inputs=(part.op_id,), schema=Schema(tuple(cube_fields)), generate=tuple(new_gens)
    )
    new_cube = dataclasses.replace(new_cube, op_id=derived_id(plan, new_cube, cube.op_id))
    bag_name = group.schema[1].name  # type: ignore[index]
    new_bag = bag_field(bag_name, new_cube.schema)
    new_group = dataclasses.replace(
        group,
        inputs=(new_cube.op_id,),
        schema=Schema((group.schema[0], new_bag)),  # type: ignore[index]
        keys=(tuple(L.LEProject(i, f) for i, f in enumerate(cube_fields[:n_dims])),),
    )
    new_group = dataclasses.replace(new_group, op_id=derived_id(plan, new_group, group.op_id))
    # 4. the reader combines the partials
    index = {call: i for i, call in enumerate(calls)}

    def fn(e: L.LExpr) -> L.LExpr | None:
        if not (isinstance(e, L.LEFunc) and e.kind == "builtin" and len(e.args) == 1):
            return None
        a = e.args[0]
        if e.func == "COUNT_STAR":
            key: tuple[str, int | None] = ("COUNT_STAR", None)
        elif isinstance(a, L.LEDeref) and e.func in ("COUNT", "SUM", "MIN", "MAX"):
            key = (e.func, a.columns[0])
        else:
            return None
        i = index[key]
        combine = "SUM" if e.func in ("COUNT_STAR", "COUNT") else e.func
        pf = pfields[i]
        arg = L.LEDeref(L.LEProject(1, new_bag), (n_dims + i,), bag_field(None, Schema((pf,))))
        return L.LEFunc(combine, combine, "builtin", (arg,), e.field)

    new_reader = dataclasses.replace(
        reader,
        inputs=(new_group.op_id,),
        generate=tuple(dataclasses.replace(g, expr=transform(g.expr, fn)) for g in reader.generate),
    )
    ops = []
    for op in plan.operators:
        if op.op_id == cube.op_id:
            ops += [pre, part, new_cube]
        elif op.op_id == group.op_id:
            ops.append(new_group)
        elif op.op_id == reader.op_id:
            ops.append(new_reader)
        else:
            ops.append(op)
    return rebuild(plan, ops, {cube.op_id: new_cube.op_id, group.op_id: new_group.op_id})


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    for op in plan.operators:
        m = _match(plan, op)
        if m is not None:
            new = _rewrite(plan, m)
            if new is not None:
                return apply(new)
    return plan
