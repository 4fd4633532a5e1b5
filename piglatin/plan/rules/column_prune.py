"""ColumnPrune (Pig's ColumnMapKeyPrune + AddForEach): drop unused columns early, so
every later stage carries fewer columns.

Owns: the rule only.  A *reader chain* of a relation is the row-preserving operators
that keep its schema (FILTER, ORDER BY keys, LIMIT, SAMPLE, SPLIT) down to the
FOREACHes that end it; when every reader of the relation is in such a chain, the
columns they read are all that is needed.  (1) After a LOAD with a known schema, a
projection FOREACH of the needed columns is inserted.  (2) Before a JOIN, each input
that may take one (every input of a hash join; only the streamed first input of a
replicated join; none of a skewed or merge join, whose extra jobs read their inputs
directly) gets a projection of its join keys plus the needed columns, and the JOIN's
output narrows to match.  The chain's expressions are renumbered; operators whose
rows got narrower (the chain's pass-through operators, the narrowed JOIN) get new
content-derived op ids.  (3) Before a GROUP/COGROUP whose readers are FOREACHes (or a
reader chain: ``FILTER G BY COUNT(A) > 1``, Pig's HAVING, then FOREACHes), each
input keeps its key columns and the ones its bag's readers read: a dereference
(``SUM(A.x)``) reads its columns; COUNT_STAR, SIZE and IsEmpty of the whole bag read only
the number of rows (no column); COUNT of the whole bag reads column 0 (Pig's COUNT skips a
tuple whose first field is null, and a kept column 0 stays first); a nested block is
followed back from its readers: FILTER reads its condition's columns plus its readers',
ORDER its keys plus its readers', LIMIT its readers', DISTINCT every column of its input
(it compares whole rows), a nested FOREACH the columns its GENERATE reads (its rows are new,
so its own readers add nothing), and a projection ``A.(x, y)`` the columns it names.  A bag
emitted, FLATTENed, given to a UDF or any other function keeps every column.  An input none
of whose columns is read keeps its keys' or its cheapest one, so its bag keeps one row per
input row.  The bags narrow and the readers' expressions (nested conditions, keys and
nested GENERATEs too) are renumbered.
A column pruned before a GROUP is never converted, so a bad field in it is no warning
(FIELD_DISCARDED_TYPE_CONVERSION_FAILED): a whole-bag COUNT(A) warns less than Pig, whose
ColumnPruneHelper.visit(LOCogroup) requires every input column as soon as the bag itself is
read (COUNT_STAR(A), COUNT(A), SIZE(A) and nested blocks included), and keeps the first
column (here: the cheapest) when none is read; the rows written are the same.
A LOAD then takes the projection over (runtime's push-down), so the unused fields of
wide records are never parsed.  The FOREACHes at the ends keep their output schemas, so
what is stored, dumped or described does not change.  A relation read by anything
else (GROUP, DISTINCT, UNION, a sink, EXPLAIN/ILLUSTRATE, a scalar) keeps all columns.
Must not touch: other rules, the front end, execution.

>>> from piglatin.front.builder import build_text
>>> from piglatin.plan.rules._plan import shape
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

from piglatin.plan import logical as L
from piglatin.plan.exprs import (
    children,
    columns,
    op_exprs,
    remap,
    transform,
    walk,
)
from piglatin.plan.rules._plan import (
    action_targets,
    consumers,
    derived_id,
    is_load_projection,
    is_scalar_source,
    rebuild,
    to_fixpoint,
)

PASS_THROUGH = (L.LOFilter, L.LOSort, L.LOLimit, L.LOSample, L.LOSplit, L.LOSplitOutput)


def chain(plan: L.LogicalPlan, source: L.LogicalOperator) -> list[L.LogicalOperator] | None:
    """The operators reading `source`'s columns (pass-through ops then FOREACH ends),
    or None when some reader needs the whole tuple."""
    pinned = action_targets(plan)
    out: list[L.LogicalOperator] = []
    todo = [source.op_id]
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


# what keeping a column no one reads costs (it is still parsed and converted): text is
# taken as it is, numbers are parsed, complex values are the dearest
_COST = {
    L.DataType.BYTEARRAY: 0,
    L.DataType.CHARARRAY: 1,
    L.DataType.BOOLEAN: 2,
    L.DataType.INT: 2,
    L.DataType.LONG: 2,
    L.DataType.FLOAT: 3,
    L.DataType.DOUBLE: 3,
    L.DataType.DATETIME: 4,
}


def cheapest(schema: L.Schema) -> list[int]:
    """The one column kept when none is read (the rows must stay: ``COUNT_STAR(A)``,
    ``GENERATE 1``): the first of the cheapest type."""
    costs = [_COST.get(f.type, 9) for f in schema]
    return [costs.index(min(costs))] if costs else [0]


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


def _projection(plan: L.LogicalPlan, src: L.LogicalOperator, keep: list[int], taken) -> L.LOForEach:
    """A FOREACH reading `src` that passes only the columns `keep` (derived id)."""
    fields = tuple(src.schema[c] for c in keep)  # type: ignore[index]
    items = tuple(
        L.GenerateItem(L.LEProject(c, f, 0), False, (f,)) for c, f in zip(keep, fields, strict=True)
    )
    proj = L.LOForEach("", None, (src.op_id,), L.Schema(fields), src.line, src.column, items)
    return dataclasses.replace(proj, op_id=derived_id(plan, proj, src.op_id, taken))


def _rewrite(plan, at: str, new_ops: list, readers, mapping, schema, renamed) -> L.LogicalPlan:
    """Put `new_ops` where op `at` was (in place of it when `renamed` maps it), then
    renumber the readers' columns by `mapping`; a pass-through reader's rows get
    narrower, so it gets a new derived id (recorded in `renamed`)."""
    reader_ids = {op.op_id for op in readers}
    ops: list[L.LogicalOperator] = []
    for op in plan.operators:
        if op.op_id == at:
            ops.extend(new_ops)
            continue
        new = op
        if op.op_id in reader_ids:
            new = _renumber(op, mapping, schema)
            new = dataclasses.replace(new, inputs=tuple(renamed.get(i, i) for i in new.inputs))
            if not isinstance(op, L.LOForEach):
                taken = list(renamed.values())
                new = dataclasses.replace(new, op_id=derived_id(plan, new, op.op_id, taken))
                renamed[op.op_id] = new.op_id
        ops.append(new)
    if any(op.op_id == at for op in new_ops):  # `at` stays (a LOAD): keep its own readers
        renamed = {k: v for k, v in renamed.items() if k != at}
    return rebuild(plan, ops, renamed)


def _prune_load(plan: L.LogicalPlan, load: L.LOLoad, readers, keep: list[int]):
    proj = _projection(plan, load, keep, ())
    mapping = {old: new for new, old in enumerate(keep)}
    renamed = {load.op_id: proj.op_id}
    return _rewrite(plan, load.op_id, [load, proj], readers, mapping, proj.schema, renamed)


# ---------------------------------------------------------------- map keys
def _map_key_uses(exprs: list[L.LExpr], cols: dict[int, int]) -> dict[int, set[str]] | None:
    """For the map columns `cols` (column read -> LOAD column), the constant keys `exprs`
    look them up by; a column used otherwise (emitted, passed to a function, compared,
    cast whole) is left out; None when some expression reads the whole tuple."""
    keys: dict[int, set[str]] = {c: set() for c in cols.values()}
    whole: set[int] = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        if isinstance(e, L.LEProject) and e.input == 0:
            if e.column is None:
                return None
            if e.column in cols:
                whole.add(cols[e.column])
            continue
        if isinstance(e, L.LEFilteredBag):  # its condition is another scope: not followed
            return None
        base = e.base if isinstance(e, L.LEMapLookup) else None
        if isinstance(base, L.LEProject) and base.input == 0 and base.column in cols:
            keys[cols[base.column]].add(e.key)  # type: ignore[union-attr]
            continue
        stack.extend(children(e))
    return {c: k for c, k in keys.items() if c not in whole}


def _try_map_keys(plan: L.LogicalPlan, load: L.LogicalOperator) -> L.LogicalPlan | None:
    """Pig's ColumnMapKeyPrune: a LOAD whose map columns its readers (a reader chain, seen
    through the projection this rule puts after the LOAD) only look up by constant keys
    (``m#'k'``) records those keys (`LOLoad.map_keys`), for the loader to give only those
    entries (JsonLoader: the other values are never converted). A map used in any other
    way, or readers this rule does not follow (a nested block, a GROUP, a sink), keep it
    whole."""
    if not isinstance(load, L.LOLoad) or load.schema is None or load.map_keys:
        return None
    maps = [c for c, f in enumerate(load.schema) if f.type is L.DataType.MAP]
    if not maps or is_scalar_source(plan, load.op_id):
        return None
    cols = {c: c for c in maps}
    source: L.LogicalOperator = load
    direct = consumers(plan, load.op_id)
    if len(direct) == 1 and is_load_projection(plan, direct[0]):
        source = direct[0]
        order = L.plain_projection(source) or ()
        cols = {j: c for j, c in enumerate(order) if c in maps}
        if is_scalar_source(plan, source.op_id):
            return None
    readers = chain(plan, source) if cols else None
    if not readers or any(isinstance(r, L.LOForEach) and r.nested for r in readers):
        return None
    exprs = [e for r in readers for e in op_exprs(r) or ()]
    uses = _map_key_uses(exprs, cols)
    if not uses:
        return None
    found = tuple((c, tuple(sorted(k))) for c, k in sorted(uses.items()))
    new = dataclasses.replace(load, map_keys=found)
    return rebuild(plan, [new if op.op_id == load.op_id else op for op in plan.operators], {})


# ---------------------------------------------------------------- through a JOIN
def _join_inputs_prunable(join: L.LOJoin) -> list[bool]:
    """Which inputs may get a projection: every input of a hash join; only the
    streamed first input of a replicated join (a side input must stay a LOAD);
    none for skewed/merge joins, whose extra jobs read their inputs directly."""
    n = len(join.inputs)
    if join.strategy == "hash":
        return [True] * n
    return [i == 0 and join.strategy == "replicated" for i in range(n)]


def _join_keep(plan: L.LogicalPlan, join: L.LOJoin, cols: set[int]) -> list[list[int]] | None:
    keep: list[list[int]] = []
    offset = 0
    for i, (src_id, ok) in enumerate(zip(join.inputs, _join_inputs_prunable(join), strict=True)):
        width = len(plan.op(src_id).schema)  # type: ignore[arg-type]
        want = {c - offset for c in cols if offset <= c < offset + width}
        for key in join.keys[i]:
            used = columns(key, i)
            if used is None:
                return None
            want |= used
        keep.append(sorted(want) or [0] if ok else list(range(width)))
        offset += width
    return keep


def _prune_join(plan: L.LogicalPlan, join: L.LOJoin, readers, keep: list[list[int]]):
    inputs, projections, fields, mapping, keys = [], [], [], {}, []
    offset = 0
    for i, src_id in enumerate(join.inputs):
        src = plan.op(src_id)
        width = len(src.schema)  # type: ignore[arg-type]
        local = {old: new for new, old in enumerate(keep[i])}
        if len(keep[i]) < width:
            proj = _projection(plan, src, keep[i], [p.op_id for p in projections])
            projections.append(proj)
            src_id = proj.op_id
        inputs.append(src_id)
        keys.append(tuple(remap(k, local, input=i, to_input=i) for k in join.keys[i]))
        for c in keep[i]:
            mapping[offset + c] = len(fields)
            fields.append(join.schema[offset + c])  # type: ignore[index]
        offset += width
    schema = L.Schema(tuple(fields))
    narrow = dataclasses.replace(join, inputs=tuple(inputs), keys=tuple(keys), schema=schema)
    narrow = dataclasses.replace(narrow, op_id=derived_id(plan, narrow, join.op_id))
    renamed = {join.op_id: narrow.op_id}
    return _rewrite(plan, join.op_id, [*projections, narrow], readers, mapping, schema, renamed)


def _prunable_inputs(plan: L.LogicalPlan, op: L.LogicalOperator) -> bool:
    """A JOIN/COGROUP whose inputs may get projections: distinct inputs of known schemas, and
    the operator itself neither shown by an action nor read as a scalar."""
    if any(plan.op(i).schema is None for i in op.inputs) or len(set(op.inputs)) != len(op.inputs):
        return False
    return op.op_id not in action_targets(plan) and not is_scalar_source(plan, op.op_id)


def _try_join(plan: L.LogicalPlan, join: L.LogicalOperator) -> L.LogicalPlan | None:
    if (
        not isinstance(join, L.LOJoin)
        or join.schema is None
        or not any(_join_inputs_prunable(join))
    ):
        return None
    if not _prunable_inputs(plan, join):
        return None
    readers = chain(plan, join)
    cols = needed(readers) if readers else None
    if cols is None:
        return None
    keep = _join_keep(plan, join, cols)
    if keep is None or all(
        len(k) == len(plan.op(i).schema)
        for k, i in zip(keep, join.inputs, strict=True)  # type: ignore[arg-type]
    ):
        return None
    return _prune_join(plan, join, readers, keep)


def _try_load(plan: L.LogicalPlan, load: L.LogicalOperator) -> L.LogicalPlan | None:
    if not isinstance(load, L.LOLoad) or load.schema is None:
        return None
    if is_scalar_source(plan, load.op_id):
        return None
    readers = chain(plan, load)
    if not readers:
        return None
    direct = consumers(plan, load.op_id)
    if len(direct) == 1 and is_load_projection(plan, direct[0]):
        return None  # already a projection right after the load
    cols = needed(readers)
    if cols is None or len(cols) >= len(load.schema):
        return None
    return _prune_load(plan, load, readers, sorted(cols) or cheapest(load.schema))


# ---------------------------------------------------------------- through a GROUP
# whole-bag builtins that read no column of the bag's rows, only how many there are
ROWS_ONLY = frozenset(("COUNT_STAR", "SIZE", "IsEmpty"))
# COUNT skips the tuples whose first field is null: it reads column 0 of the rows
FIRST_ONLY = frozenset(("COUNT",))
# nested statements this rule sees through (any other kind keeps every column)
NESTED_KINDS = frozenset(("filter", "order", "limit", "distinct", "expr", "foreach"))

Ref = int | str  # a grouped bag (its column in the GROUP's output) or a nested alias


class _Demand:
    """The row columns each bag reference is read at: a set (empty = only the number of
    rows), or None for every column."""

    def __init__(self, bags: range) -> None:
        self.bags = bags
        self.need: dict[Ref, set[int] | None] = {}

    def ref(self, e: L.LExpr, aliases) -> Ref | None:
        if isinstance(e, L.LEProject) and e.input == 0 and e.column in self.bags:
            return e.column
        if isinstance(e, L.LEInnerRef) and e.alias in aliases:
            return e.alias
        return None

    def add(self, ref: Ref, cols: set[int] | None) -> None:
        if ref in self.need and self.need[ref] is None:
            return
        self.need[ref] = None if cols is None else self.need.get(ref, set()) | cols  # type: ignore[operator]

    def visit(self, e: L.LExpr, aliases) -> None:
        """Record what outer-scope expression `e` reads of each bag reference."""
        if isinstance(e, L.LEDeref) and (r := self.ref(e.base, aliases)) is not None:
            self.add(r, set(e.columns))
            return
        if isinstance(e, L.LEFunc) and e.kind == "builtin" and len(e.args) == 1:
            r = self.ref(e.args[0], aliases)
            if r is not None and e.func in ROWS_ONLY:
                self.add(r, set())
                return
            if r is not None and e.func in FIRST_ONLY:
                self.add(r, {0})
                return
        r = self.ref(e, aliases)
        if r is not None:  # the bag used whole: emitted, FLATTENed, passed to a UDF, ...
            self.add(r, None)
            return
        if isinstance(e, L.LEProject) and e.input == 0 and e.column is None:
            for b in self.bags:
                self.add(b, None)
            return
        for child in children(e):
            self.visit(child, aliases)


def _reader_needs(fe: L.LogicalOperator, bags: range) -> dict[Ref, set[int] | None] | None:
    """What FOREACH `fe` (or a FILTER/ORDER/LIMIT... between the GROUP and it) reads of
    each grouped bag (keyed by its column); None when its nested block does something this
    rule does not follow.  A nested FILTER reads its condition's columns plus what its
    readers read, ORDER its keys plus its readers', LIMIT its readers', DISTINCT every
    column of its input (it compares whole rows)."""
    if not isinstance(fe, L.LOForEach):
        exprs = op_exprs(fe)
        if exprs is None:
            return None
        d = _Demand(bags)
        for e in exprs:
            d.visit(e, set())
        return {b: d.need.get(b, set()) for b in bags}
    if any(n.kind not in NESTED_KINDS for n in fe.nested):
        return None
    aliases = {n.alias for n in fe.nested}
    d = _Demand(bags)
    for g in fe.generate:
        d.visit(g.expr, aliases)
    for n in reversed(fe.nested):
        want = d.need.get(n.alias, set())
        inner = [n.cond] if n.cond is not None else []
        inner += [k.expr for k in n.keys]
        if n.kind == "foreach":  # new rows: its source is read at its GENERATE's columns
            want = set()
            inner = [g.expr for g in n.generate]
        if n.kind == "order" and not n.keys:
            want = None
        for e in inner:
            if any(isinstance(x, (L.LEInnerRef, L.LEScalar)) for x in walk(e)):
                return None
            used = columns(e)
            want = None if used is None or want is None else want | used
        if n.kind == "distinct":
            want = None
        if n.count is not None:
            d.visit(n.count, aliases)
        src = n.source
        if (r := d.ref(src, aliases)) is not None:
            d.add(r, want)
        else:  # a projection ``A.(x, y)`` still reads every column it names
            d.visit(src, aliases)
    return {b: d.need.get(b, set()) for b in bags}


def _whole_rows(fe: L.LOForEach, bags: range) -> dict[str, int]:
    """The nested aliases whose rows are a grouped bag's rows (FILTERed, ORDERed, ...),
    with that bag's column."""
    out: dict[str, int] = {}
    for n in fe.nested:
        src = n.source
        if n.kind not in NESTED_KINDS or n.kind == "foreach":  # a nested FOREACH: new rows
            continue
        if isinstance(src, L.LEProject) and src.input == 0 and src.column in bags:
            out[n.alias] = src.column
        elif isinstance(src, L.LEInnerRef) and src.alias in out:
            out[n.alias] = out[src.alias]
    return out


def _narrow_bag(field: L.FieldSchema, keep: list[int]) -> L.FieldSchema:
    inner = field.tuple_schema
    assert inner is not None
    fields = L.Schema(tuple(inner[c] for c in keep))
    element = L.FieldSchema(None, L.DataType.TUPLE, fields)
    if field.schema is not None and len(field.schema) and field.schema[0].type is L.DataType.TUPLE:
        element = dataclasses.replace(field.schema[0], schema=fields)
    return dataclasses.replace(field, schema=L.Schema((element,)))


def _group_keep(plan: L.LogicalPlan, group: L.LOCogroup, readers) -> list[list[int]] | None:
    """Per input, the columns its bag's readers and its keys need (all when unknown).  A
    bag no column of which is read (only ``COUNT_STAR(A)``) still keeps one column per row:
    its keys' or else the cheapest (`cheapest`), so it has as many rows as before."""
    bags = range(1, 1 + len(group.inputs))
    needs = []
    for fe in readers:
        need = _reader_needs(fe, bags)
        if need is None:
            return None
        needs.append(need)
    keep = []
    for i, src_id in enumerate(group.inputs):
        width = len(plan.op(src_id).schema)  # type: ignore[arg-type]
        want: set[int] = set()
        for need in needs:
            used = need[1 + i]
            if used is None:
                want = set(range(width))
                break
            want |= used
        for key in group.keys[i]:
            used = columns(key, i)  # input i's keys project from input i
            if used is None:
                return None
            want |= used
        keep.append(sorted(want) or cheapest(plan.op(src_id).schema))  # type: ignore[arg-type]
    return keep


def _try_group(plan: L.LogicalPlan, group: L.LogicalOperator) -> L.LogicalPlan | None:
    """A GROUP/COGROUP whose readers are FOREACHes reading its bags through dereferences
    (``GENERATE group, SUM(A.x)``), row counts (``COUNT_STAR(A)``, ``SIZE``, ``IsEmpty``),
    ``COUNT(A)`` (its first column) or nested FILTER/ORDER/LIMIT/DISTINCT blocks: each
    input keeps just its key columns and the ones read (a projection before the GROUP,
    which a LOAD then takes over), and the bags and the readers' expressions are
    renumbered."""
    if not isinstance(group, L.LOCogroup) or group.schema is None:
        return None
    if not _prunable_inputs(plan, group):
        return None
    readers = consumers(plan, group.op_id)
    if any(not isinstance(r, L.LOForEach) for r in readers):
        # FILTER G BY COUNT(A) > 1 (Pig's HAVING), ORDER/LIMIT/SPLIT: follow them to the
        # FOREACHes that end them
        readers = chain(plan, group)  # type: ignore[assignment]
    if not readers:
        return None
    keep = _group_keep(plan, group, readers)
    if keep is None or all(
        len(k) == len(plan.op(i).schema)  # type: ignore[arg-type]
        for k, i in zip(keep, group.inputs, strict=True)
    ):
        return None
    return _prune_group(plan, group, readers, keep)


def _renumber_reader(fe, schema: L.Schema, maps: list[dict[int, int]], keep):
    """FOREACH `fe` reading the narrowed bags: dereferences of a bag (or of a nested
    alias made of its rows) renumbered, the fields of the bag references narrowed, and
    the nested FILTER conditions and ORDER keys over those rows renumbered.  A
    pass-through operator (FILTER, ORDER, ...) likewise, and its rows are the narrowed
    GROUP's."""
    bags = range(1, 1 + len(maps))
    rows = _whole_rows(fe, bags) if isinstance(fe, L.LOForEach) else {}

    def bag_of(e: L.LExpr) -> int | None:
        if isinstance(e, L.LEProject) and e.input == 0 and e.column in bags:
            return e.column
        if isinstance(e, L.LEInnerRef) and e.alias in rows:
            return rows[e.alias]
        return None

    def fn(node: L.LExpr) -> L.LExpr | None:
        if isinstance(node, L.LEDeref) and (b := bag_of(node.base)) is not None:
            return dataclasses.replace(node, columns=tuple(maps[b - 1][c] for c in node.columns))
        if isinstance(node, L.LEProject) and (b := bag_of(node)) is not None:
            return dataclasses.replace(node, field=schema[b])
        if isinstance(node, L.LEInnerRef) and (b := bag_of(node)) is not None:
            return dataclasses.replace(node, field=_narrow_bag(node.field, keep[b - 1]))
        return None

    if not isinstance(fe, L.LOForEach):
        return _renumber_pass(fe, fn, schema)
    gens = tuple(dataclasses.replace(g, expr=transform(g.expr, fn)) for g in fe.generate)
    nested = []
    for n in fe.nested:
        new = dataclasses.replace(n, source=transform(n.source, fn))
        if n.count is not None:
            new = dataclasses.replace(new, count=transform(n.count, fn))
        b = rows.get(n.alias)
        if n.kind == "foreach" and (f := bag_of(n.source)) is not None:
            m = maps[f - 1]
            gens_n = tuple(dataclasses.replace(g, expr=remap(g.expr, m)) for g in n.generate)
            new = dataclasses.replace(new, generate=gens_n)
        elif b is not None:
            m = maps[b - 1]
            new = dataclasses.replace(
                new,
                field=_narrow_bag(n.field, keep[b - 1]),
                cond=None if n.cond is None else remap(n.cond, m),
                keys=tuple(dataclasses.replace(k, expr=remap(k.expr, m)) for k in n.keys),
            )
        nested.append(new)
    return dataclasses.replace(fe, generate=gens, nested=tuple(nested))


def _renumber_pass(op: L.LogicalOperator, fn, schema: L.Schema) -> L.LogicalOperator:
    def t(e: L.LExpr | None) -> L.LExpr | None:
        return None if e is None else transform(e, fn)

    changes: dict[str, object] = {"schema": schema}
    if isinstance(op, (L.LOFilter, L.LOSplitOutput)):
        changes["cond"] = t(op.cond)
    if isinstance(op, L.LOSplitOutput):
        changes["others"] = tuple(t(e) for e in op.others)
    elif isinstance(op, L.LOSort):
        changes["keys"] = tuple(dataclasses.replace(k, expr=t(k.expr)) for k in op.keys)
    elif isinstance(op, L.LOLimit):
        changes["count"] = t(op.count)
    elif isinstance(op, L.LOSample):
        changes["fraction"] = t(op.fraction)
    return dataclasses.replace(op, **changes)


def _prune_group(plan, group: L.LOCogroup, readers, keep: list[list[int]]) -> L.LogicalPlan:
    new_ops, inputs, keys, fields = [], [], [], [group.schema[0]]  # type: ignore[index]
    maps: list[dict[int, int]] = []
    for i, src_id in enumerate(group.inputs):
        src = plan.op(src_id)
        local = {old: new for new, old in enumerate(keep[i])}
        maps.append(local)
        if len(keep[i]) < len(src.schema):  # type: ignore[arg-type]
            proj = _projection(plan, src, keep[i], [p.op_id for p in new_ops])
            new_ops.append(proj)
            src_id = proj.op_id
        inputs.append(src_id)
        keys.append(tuple(remap(k, local, input=i, to_input=i) for k in group.keys[i]))
        bag = group.schema[1 + i]  # type: ignore[index]
        fields.append(_narrow_bag(bag, keep[i]) if len(local) < len(bag.tuple_schema) else bag)
    schema = L.Schema(tuple(fields))
    narrow = dataclasses.replace(group, inputs=tuple(inputs), keys=tuple(keys), schema=schema)
    narrow = dataclasses.replace(narrow, op_id=derived_id(plan, narrow, group.op_id))
    reader_ids = {r.op_id for r in readers}
    renamed = {group.op_id: narrow.op_id}
    ops: list[L.LogicalOperator] = []
    for op in plan.operators:
        if op.op_id == group.op_id:
            ops.extend([*new_ops, narrow])
        elif op.op_id in reader_ids:
            new = _renumber_reader(op, schema, maps, keep)
            new = dataclasses.replace(new, inputs=tuple(renamed.get(i, i) for i in new.inputs))
            if not isinstance(op, L.LOForEach):  # its rows got narrower: a new id
                taken = list(renamed.values())
                new = dataclasses.replace(new, op_id=derived_id(plan, new, op.op_id, taken))
                renamed[op.op_id] = new.op_id
            ops.append(new)
        else:
            ops.append(op)
    return rebuild(plan, ops, renamed)


def _once(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    for op in plan.operators:
        new = (
            _try_load(plan, op)
            or _try_map_keys(plan, op)
            or _try_join(plan, op)
            or _try_group(plan, op)
        )
        if new is not None:
            return new
    return None


def apply(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Prune the unused columns of every LOAD that allows it; `plan` itself when none."""
    return to_fixpoint(_once, plan)
