"""The logical-plan optimizer: the rules of `piglatin.plan.rules` applied in a loop.

Owns: `RULES` (order matters: UNION ONSCHEMA is made a plain UNION of FOREACHes first
(Pig's UnionOnSchemaSetter), filters are merged and pushed next, then FOREACHes
merged, LIMITs moved, redundant DISTINCTs and the nested ORDERs/DISTINCTs no reader can
see removed, and unused columns pruned last) and `optimize`, which applies
them until a whole round changes nothing or `MAX_ITERATIONS` rounds have run (Pig's
PlanOptimizer does the same).  Each rule returns a new plan; nothing is mutated, and
the result depends only on the input plan, so a worker process that rebuilds and
optimizes the same script gets the identical plan and op ids.

Rules can be switched off with Pig's names, as `pig -t NAME` does, through the
script's `SET pig.optimizer.rules.disabled 'PushUpFilter,MergeForEach';` or the
environment variable `PIG_OPTIMIZER_RULES_DISABLED` (comma separated; `All`).
`RemoveUnseenNested` is this project's own (rules/unseen_nested.py); the others are Pig's.
Must not touch: the front end (parser, builder), physical planning or execution.

>>> from piglatin.front.builder import build_text
>>> from piglatin.plan.rules._plan import shape
>>> plan = build_text('''A = LOAD 'a' AS (x:int, y:int, z:int); B = LOAD 'b' AS (x:int);
... C = JOIN A BY x, B BY x; D = FILTER C BY A::y > 1; E = FILTER D BY A::y < 9;
... F = FOREACH E GENERATE A::x; DUMP F;''')
>>> for line in shape(optimize(plan)): print(line)
A: LOLoad [] 'a' USING PigStorage() | x:int,y:int,z:int
A_*: LOForEach [A] GENERATE x,y | x:int,y:int
B: LOLoad [] 'b' USING PigStorage() | x:int
E_*: LOFilter [A_*] BY ((y > 1) and (y < 9)) | x:int,y:int
E_*: LOForEach [E_*] GENERATE x | x:int
E_*: LOJoin [E_*,B](inner,hash) BY x | x | A::x:int,B::x:int
F: LOForEach [E_*] GENERATE A::x | A::x:int
dump_7: LODump [F] | A::x:int
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable

from piglatin.plan import logical as L
from piglatin.plan.rules import (
    column_prune,
    cube_preagg,
    limit_optimizer,
    merge_filter,
    merge_foreach,
    push_filter_up,
    redundant_distinct,
    union_onschema,
    unseen_nested,
)
from piglatin.plan.rules._plan import check

log = logging.getLogger(__name__)

Rule = Callable[[L.LogicalPlan], L.LogicalPlan]
MAX_ITERATIONS = 100
DISABLED_KEY = "pig.optimizer.rules.disabled"
DISABLED_ENV = "PIG_OPTIMIZER_RULES_DISABLED"

# (Pig's rule names, rule) in the order they run within one round
NAMED_RULES: tuple[tuple[tuple[str, ...], Rule], ...] = (
    (("UnionOnSchemaSetter",), union_onschema.apply),  # Pig's visitor, run before its rules
    (("MergeFilter",), merge_filter.apply),
    (("PushUpFilter",), push_filter_up.apply),
    (("MergeForEach",), merge_foreach.apply),
    (("LimitOptimizer",), limit_optimizer.apply),
    (("RemoveRedundantDistinct",), redundant_distinct.apply),
    (("RemoveUnseenNested",), unseen_nested.apply),  # not Pig's: see the module
    (("CubePreAggregate",), cube_preagg.apply),  # not Pig's: see the module
    (("ColumnMapKeyPrune", "AddForEach", "ColumnPrune"), column_prune.apply),
)
RULES: tuple[Rule, ...] = tuple(rule for _, rule in NAMED_RULES)
RULE_NAMES: tuple[str, ...] = tuple(n for names, _ in NAMED_RULES for n in names)


def disabled_rules(plan: L.LogicalPlan, extra: Iterable[str] = ()) -> set[str]:
    """Lower-cased Pig rule names switched off by SET, the environment or `extra`."""
    names: list[str] = list(extra)
    names.extend(os.environ.get(DISABLED_ENV, "").split(","))
    for a in plan.actions:
        if isinstance(a, L.SetAction) and str(a.key).lower() == DISABLED_KEY:
            names.extend(str(a.value).split(","))
    return {n.strip().lower() for n in names if n.strip()}


def active_rules(plan: L.LogicalPlan, disabled: Iterable[str] = ()) -> list[Rule]:
    off = disabled_rules(plan, disabled)
    if "all" in off:
        return []
    return [rule for names, rule in NAMED_RULES if not {n.lower() for n in names} & off]


def optimize(
    plan: L.LogicalPlan,
    rules: Iterable[Rule] | None = None,
    *,
    disabled: Iterable[str] = (),
    strict: bool = False,
) -> L.LogicalPlan:
    """Apply `rules` (default: every rule not disabled) to a fixpoint; a new plan out.

    A rule that fails is an optimizer bug, not the user's: unless `strict`, it is
    logged and the unoptimized plan is returned (deterministically, so every worker
    process makes the same choice)."""
    chosen = list(rules) if rules is not None else active_rules(plan, disabled)
    try:
        return _fixpoint(plan, chosen)
    except Exception:
        if strict:
            raise
        log.warning("optimizer failed; running the unoptimized plan", exc_info=True)
        return plan


def _fixpoint(plan: L.LogicalPlan, rules: list[Rule]) -> L.LogicalPlan:
    for round_no in range(MAX_ITERATIONS):
        before = plan
        for rule in rules:
            plan = rule(plan)
        if plan is before:
            log.debug("optimizer reached a fixpoint after %d round(s)", round_no + 1)
            break
    else:
        log.warning("optimizer stopped after %d rounds without a fixpoint", MAX_ITERATIONS)
    check(plan)
    return plan
