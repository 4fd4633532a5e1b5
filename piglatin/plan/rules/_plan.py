"""Plan-rewriting helpers shared by the optimizer rules.

Owns: building a new `LogicalPlan` from a changed operator list — redirecting every
reference to a removed op id (inputs, scalars, actions, aliases), putting operators
back in a stable topological order — plus use counts and fresh deterministic op ids.
Must not touch: the front end's modules, execution; never mutates a plan.

>>> from piglatin.front.builder import build_text
>>> p = build_text("A = LOAD 'a' AS (x:int); B = FILTER A BY x > 1; DUMP B;")
>>> fresh_id(p, "A")
'A_2'
>>> uses(p)["A"], uses(p)["B"]
(1, 1)
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping

from dfs.lazyre import LazyRegex
from piglatin.plan import logical as L


def fresh_id(plan: L.LogicalPlan, base: str, taken: Iterable[str] = ()) -> str:
    """`base_2`, `base_3`, ...: the first id not used in `plan` (deterministic)."""
    used = {op.op_id for op in plan.operators} | set(taken)
    n = 2
    while f"{base}_{n}" in used:
        n += 1
    return f"{base}_{n}"


def derived_id(plan: L.LogicalPlan, op: L.LogicalOperator, base: str, taken=()) -> str:
    """An id for an operator a rule creates: `base_` + a digest of what it computes.

    Op ids are how the back end names intermediate outputs, and a session (grunt)
    re-optimizes as statements arrive, so an id must always mean the same relation:
    a new relation gets an id derived from its content (kind, arguments, input ids),
    never a counter that a later plan could hand to something else.
    """
    import hashlib  # here: loading OpenSSL costs ~3 ms a command, and most never derive an id

    body = dataclasses.replace(op, op_id="", line=0, column=0)
    digest = hashlib.sha1(repr(body).encode()).hexdigest()[:6]
    base = _DIGEST.sub("", base)  # derived from a derived id: keep the original root
    used = {o.op_id for o in plan.operators} | set(taken)
    cand, n = f"{base}_{digest}", 2
    while cand in used:
        cand, n = f"{base}_{digest}_{n}", n + 1
    return cand


def is_load_projection(plan: L.LogicalPlan, op: L.LogicalOperator) -> bool:
    """A FOREACH of plain column projections reading a LOAD directly — what
    column_prune inserts.  Other rules leave it in place (moving a FILTER or LIMIT
    above it gains nothing and would make column_prune insert another one)."""
    if L.plain_projection(op) is None:
        return False
    return isinstance(plan.op(op.inputs[0]), L.LOLoad)


def uses(plan: L.LogicalPlan) -> Counter[str]:
    """How many operator inputs and scalar reads consume each op id."""
    count: Counter[str] = Counter()
    for op in plan.operators:
        count.update(op.inputs)
    count.update(src for _, src in plan.scalars)
    return count


def consumers(plan: L.LogicalPlan, op_id: str) -> list[L.LogicalOperator]:
    return [op for op in plan.operators if op_id in op.inputs]


def is_scalar_source(plan: L.LogicalPlan, op_id: str) -> bool:
    return any(src == op_id for _, src in plan.scalars)


def reads_scalar(plan: L.LogicalPlan, op_id: str) -> bool:
    return any(user == op_id for user, _ in plan.scalars)


def action_targets(plan: L.LogicalPlan) -> set[str]:
    """Op ids an action needs the *data* of (EXPLAIN/ILLUSTRATE/sinks; DESCRIBE
    carries its text already, so it does not pin an operator)."""
    out: set[str] = set()
    for a in plan.actions:
        if isinstance(a, (L.ExplainAction, L.IllustrateAction, L.RunSink)):
            op_id = getattr(a, "op_id", None)
            if op_id:
                out.add(op_id)
    return out


def single_use(plan: L.LogicalPlan, op_id: str) -> bool:
    """Exactly one consuming operator, no scalar read, no action pinned on it."""
    return (
        uses(plan)[op_id] == 1
        and not is_scalar_source(plan, op_id)
        and op_id not in action_targets(plan)
    )


def _resolve(op_id: str, redirect: Mapping[str, str]) -> str:
    seen = set()
    while op_id in redirect and op_id not in seen:
        seen.add(op_id)
        op_id = redirect[op_id]
    return op_id


def toposort(ops: list[L.LogicalOperator], scalars: Iterable[tuple[str, str]]) -> list:
    """Kahn's algorithm; ties go to the operator listed first (stable)."""
    pos = {op.op_id: i for i, op in enumerate(ops)}
    deps: dict[str, set[str]] = {op.op_id: set(op.inputs) for op in ops}
    for user, src in scalars:
        if user in deps:
            deps[user].add(src)
    waiting = {k: len(v & pos.keys()) for k, v in deps.items()}
    users: dict[str, list[str]] = {k: [] for k in deps}
    for k, v in deps.items():
        for d in v & pos.keys():
            users[d].append(k)
    ready = [pos[k] for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        op = ops[heapq.heappop(ready)]
        out.append(op)
        for u in users[op.op_id]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(ready, pos[u])
    if len(out) != len(ops):
        raise ValueError("optimizer produced a cycle in the logical plan")
    return out


def rebuild(
    plan: L.LogicalPlan,
    ops: list[L.LogicalOperator],
    redirect: Mapping[str, str] | None = None,
) -> L.LogicalPlan:
    """A new plan of `ops`, every reference to an id in `redirect` moved to its target.

    Inputs, scalar pairs (both ends), action op ids and aliases are redirected; the
    operators are re-sorted topologically, keeping the given order where free.
    """
    redirect = redirect or {}

    def fix(op_id: str) -> str:
        return _resolve(op_id, redirect)

    fixed = [
        dataclasses.replace(op, inputs=tuple(fix(i) for i in op.inputs))
        if any(i in redirect for i in op.inputs)
        else op
        for op in ops
    ]
    scalars = tuple(dict.fromkeys((fix(u), fix(s)) for u, s in plan.scalars))
    actions = tuple(_fix_action(a, fix) for a in plan.actions)
    aliases = tuple((name, fix(op_id)) for name, op_id in plan.aliases)
    return L.LogicalPlan(tuple(toposort(fixed, scalars)), actions, aliases, plan.file, scalars)


def _fix_action(a: L.Action, fix) -> L.Action:
    op_id = getattr(a, "op_id", None)
    if not op_id or fix(op_id) == op_id:
        return a
    return dataclasses.replace(a, op_id=fix(op_id))


def replace_op(plan: L.LogicalPlan, op: L.LogicalOperator) -> list[L.LogicalOperator]:
    """The operator list with the op of the same id swapped for `op`."""
    return [op if o.op_id == op.op_id else o for o in plan.operators]


def check(plan: L.LogicalPlan) -> None:
    """Raise AssertionError if ids are not unique, an input or reference dangles, or
    the operators are not in topological order (used by tests and `optimize`)."""
    seen: set[str] = set()
    for op in plan.operators:
        assert op.op_id not in seen, f"duplicate op id {op.op_id}"
        for i in op.inputs:
            assert i in seen, f"{op.op_id} reads {i} before it is defined"
        seen.add(op.op_id)
    for user, src in plan.scalars:
        assert user in seen and src in seen, f"dangling scalar ({user}, {src})"
    for _, op_id in plan.aliases:
        assert op_id in seen, f"alias points at missing op {op_id}"
    for a in plan.actions:
        op_id = getattr(a, "op_id", None)
        assert not op_id or op_id in seen, f"action points at missing op {op_id}"


_DIGEST = LazyRegex(r"_[0-9a-f]{6}(?=\b|_)")


def shape(plan: L.LogicalPlan, *, mask: bool = True) -> list[str]:
    """One line per operator, `id: LOName [inputs] <arguments> | <schema>`, with the
    digests of derived ids shown as `_*` (for doctests and golden files)."""
    out = []
    for op in plan.operators:
        schema = op.schema.short() if op.schema is not None else "null"
        line = f"{op.op_id}: {op.name} [{','.join(op.inputs)}]{L.describe_op(op)} | {schema}"
        out.append(_DIGEST.sub("_*", line) if mask else line)
    return out


MAX_STEPS = 1000


def to_fixpoint(step, plan: L.LogicalPlan) -> L.LogicalPlan:
    """Apply `step(plan) -> new plan | None` until it changes nothing (at most MAX_STEPS);
    returns `plan` itself when the first step changes nothing."""
    for _ in range(MAX_STEPS):
        new = step(plan)
        if new is None:
            return plan
        plan = new
    return plan
