"""Which GROUP runs in the reduce of the hash JOIN it reads: a GROUP on the join's own key.

Owns the plan question `group_on_join_key` (asked once by the MR compiler, mrcompiler.py) and
the switch's name `RULE`. The reduce side that computes such a GROUP is joingroupreduce.py.

This is minihadoop's, not Pig's (Pig always runs the GROUP as a second MapReduce job); it is
Hive's correlation optimizer (YSmart) for the simplest correlation. A two-input INNER hash
join's reduce sees, for one join key, every row of both inputs; when the GROUP after it
groups by exactly the join key, each group is the set of joined rows of one join key, so the
GROUP (and the FOREACH and the other narrow operators after it) can be computed right there,
and the second job, with its temporary file of joined rows, disappears. It shows only in
speed and in EXPLAIN (the job's reduce plan lists the GROUP). Switched off by the rule name
``JoinGroupFusion`` in ``pig.optimizer.rules.disabled`` (``SET`` in the script, or the
``PIG_OPTIMIZER_RULES_DISABLED`` environment variable; ``All`` turns it off too).

Exactly when, each condition keeping the GROUP's rows what the two jobs give:

* the JOIN is a hash join (no 'replicated', 'skewed', 'merge'), INNER, of two inputs whose
  schemas are known; each input's key is plain columns (no cast, no expression), of the same
  types on both sides, so a joined row's key columns hold the join key itself (inner join keys
  are equal on both sides, and never null: a row with a null key joins nothing, so no null
  group appears);
* between the JOIN and the GROUP there are only FOREACHs of plain columns (the projection the
  column pruner adds), and each of them, and the JOIN, has exactly one reader in the plan (no
  STORE, SPLIT, scalar or other operator reads the joined rows);
* the GROUP is a regular GROUP of one input, not ALL, whose key is plain columns of the same
  types, column i being key column i of either side: the multi-column join key in the same
  order (a subset, a superset, another order, a cast or an expression: not fused).

The fused job runs with the GROUP's PARALLEL when it has one, else the JOIN's, else
``default_parallel``: its reduce tasks do the GROUP's work and write the GROUP's output.
Must not touch: job boundaries other than this one (mrcompiler.py), or execution.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L
from piglatin.plan.optimizer import disabled_rules

__all__ = [
    "RULE",
    "JoinGroup",
    "enabled",
    "exact_rows",
    "group_on_join_key",
    "group_source",
    "joined_columns",
]

RULE = "JoinGroupFusion"


@frozen_dataclass(slots=False)
class JoinGroup:
    """A GROUP computed in the reduce of `join`: `projections`, the FOREACHs of plain columns
    between them (in order), then `group`."""

    join: str
    projections: tuple[str, ...]
    group: str


def enabled(plan: L.LogicalPlan) -> bool:
    """False when `RULE` (or All) is in ``pig.optimizer.rules.disabled``."""
    off = disabled_rules(plan)
    return not ({RULE.lower(), "all"} & off)


def group_on_join_key(
    plan: L.LogicalPlan, group_id: str, alive: Callable[[str], bool]
) -> JoinGroup | None:
    """The JOIN whose reduce can compute GROUP `group_id` (see the module docstring); None
    when there is none. `alive(op_id)`: whether an op is run at all (a reader that is not,
    an alias never stored, does not count)."""
    source = group_source(plan, group_id, alive, L.LOJoin)
    if source is None:
        return None
    cur, projections = source
    join = plan.op(cur)
    if join.strategy != "hash" or join.join_type != "inner" or len(join.inputs) != 2:
        return None
    found = joined_columns(plan, join.op_id, projections)
    if found is None:
        return None
    left_width, cols = found
    exact = exact_rows(plan.predecessors(join.op_id)[0])
    if not _same_key(join, plan.op(group_id).keys[0], cols, left_width, exact):
        return None
    return JoinGroup(join.op_id, tuple(projections), group_id)


def group_source(
    plan: L.LogicalPlan, group_id: str, alive: Callable[[str], bool], kind: type
) -> tuple[str, list[str]] | None:
    """The op of type `kind` that GROUP `group_id` reads, and the ids of the plain-column
    FOREACHs between them in order, when the GROUP is a regular one-input GROUP keyed by plain
    columns and each op on the way is read by its one successor only (`_only_reader`); None
    otherwise. What JoinGroupFusion and DistinctGroupFusion (distinctgroup.py) both look for."""
    group = plan.op(group_id)
    if not isinstance(group, L.LOCogroup) or len(group.inputs) != 1 or group.group_all:
        return None
    if group.strategy != "regular" or not group.keys or not group.keys[0]:
        return None
    if not _plain_columns(group.keys[0]):
        return None
    projections: list[str] = []
    cur, reader = group.inputs[0], group_id
    while True:
        if not _only_reader(plan, cur, reader, alive):
            return None
        op = plan.op(cur)
        if isinstance(op, kind):
            return cur, projections
        if L.plain_projection(op) is None:
            return None
        projections.insert(0, cur)
        cur, reader = op.inputs[0], cur


def _plain_columns(exprs: tuple[L.LExpr, ...], tag: int = 0) -> bool:
    """Every expression is a column of input `tag` (a join input's keys name their input)."""
    return all(
        isinstance(e, L.LEProject) and e.column is not None and e.input == tag for e in exprs
    )


def _only_reader(
    plan: L.LogicalPlan, op_id: str, reader: str, alive: Callable[[str], bool]
) -> bool:
    """`reader` is the one live reader of `op_id`'s rows, reading them once, and nothing
    reads them as a scalar."""
    if any(src == op_id for _user, src in plan.scalars):
        return False
    readers = [op for op in plan.successors(op_id) if alive(op.op_id)]
    return [op.op_id for op in readers] == [reader] and readers[0].inputs.count(op_id) == 1


def joined_columns(
    plan: L.LogicalPlan, join_id: str, projections: Sequence[str]
) -> tuple[int, tuple[int, ...]] | None:
    """The left input's width and, for each column of the rows after the FOREACHs of plain
    columns `projections`, the column of the joined row it is; None when an input's schema
    is unknown."""
    preds = plan.predecessors(join_id)
    if any(p.schema is None for p in preds):
        return None
    cols = tuple(range(sum(len(p.schema) for p in preds)))
    for op_id in projections:
        picked = L.plain_projection(plan.op(op_id))
        if picked is None or any(c >= len(cols) for c in picked):
            return None
        cols = tuple(cols[c] for c in picked)
    return len(preds[0].schema), cols


def _same_key(
    join: L.LOJoin,
    keys: tuple[L.LExpr, ...],
    cols: tuple[int, ...],
    left_width: int,
    exact: bool,
) -> bool:
    """The GROUP key `keys` (over rows whose column c is joined column ``cols[c]``; the left
    input's `left_width` columns come first) is the join key: as many columns, column i being
    key column i of the left input or, when every left row is `exact`ly that wide, of the
    right input, every one of the same type."""
    left, right = join.keys
    if len(keys) != len(left) or len(right) != len(left):
        return False
    if not (_plain_columns(left, 0) and _plain_columns(right, 1)):
        return False
    for e, lk, rk in zip(keys, left, right, strict=True):
        if not (e.type is lk.type is rk.type) or e.column >= len(cols):
            return False
        j = cols[e.column]
        if j != lk.column and not (exact and j == left_width + rk.column):
            return False
        if lk.column >= left_width:
            return False
    return True


def exact_rows(op: L.LogicalOperator) -> bool:
    """Rows built to the schema's width (a FOREACH's, a LOAD's with AS), so a joined row's
    right columns are where the schema says (`physical.Compiler` has the same view)."""
    if isinstance(op, L.LOLoad):
        return op.declared is not None
    return isinstance(op, L.LOForEach)
