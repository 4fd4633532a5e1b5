"""Optimizer rules: golden plan pairs (fixtures/rules/*.txt, written by hand), plan
invariants, and optimized == unoptimized results on generated scripts, computed by a
small plain-Python reference evaluator written here (not the back end)."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.front.builder import build_text
from piglatin.plan import logical as L
from piglatin.plan.optimizer import RULES, optimize
from piglatin.plan.rules._plan import check, shape

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


# ------------------------------------------------------------------ golden pairs
def load_cases() -> list[tuple[str, str, str, list[str]]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for block in re.split(r"^== ", path.read_text(), flags=re.M)[1:]:
            name, _, rest = block.partition("\n")
            script, _, expected = rest.partition("-- expected\n")
            lines = [ln.rstrip() for ln in expected.strip().splitlines() if ln.strip()]
            cases.append((path.stem, name.strip(), script, lines))
    return cases


CASES = load_cases()


def test_every_rule_has_golden_cases():
    stems = {c[0] for c in CASES}
    assert {"push_filter_up", "merge_filter", "merge_foreach", "column_prune"} <= stems
    assert {"limit_optimizer", "optimizer"} <= stems


@pytest.mark.parametrize(("rule", "name", "script", "expected"), CASES, ids=[c[1] for c in CASES])
def test_golden(rule, name, script, expected):
    plan = build_text(script)
    if rule == "optimizer":
        out = optimize(plan, strict=True)
    else:
        out = importlib.import_module(f"piglatin.plan.rules.{rule}").apply(plan)
    check(out)
    ops = [ln for ln in expected if not ln.startswith("alias ")]
    assert shape(out) == ops
    aliases = dict(out.aliases)
    for ln in expected:
        if ln.startswith("alias "):
            alias, _, target = ln[len("alias ") :].partition(" -> ")
            assert re.sub(r"_[0-9a-f]{6}(?=\b|_)", "_*", aliases[alias]) == target, ln
    # what the script observes is unchanged: sink schemas and DESCRIBE texts
    assert [s.schema for s in out.sinks()] == [s.schema for s in plan.sinks()]
    assert [a for a in out.actions if isinstance(a, L.DescribeAction)] == [
        a for a in plan.actions if isinstance(a, L.DescribeAction)
    ]


def test_rule_returns_same_object_when_nothing_matches():
    plan = build_text("A = LOAD 'a' AS (x:int); DUMP A;")
    for rule in RULES:
        assert rule(plan) is plan
    assert optimize(plan) == plan


def test_optimize_is_deterministic_and_does_not_mutate():
    script = next(c[2] for c in CASES if c[0] == "optimizer")
    plan = build_text(script)
    before = shape(plan)
    one, two = optimize(plan, strict=True), optimize(build_text(script), strict=True)
    assert shape(plan) == before
    assert shape(one) == shape(two) and one == two


def test_actions_follow_moved_operators():
    plan = build_text(
        "A = LOAD 'a' AS (x:int, y:int); B = LOAD 'b' AS (x:int);"
        "C = JOIN A BY x, B BY x; D = FILTER C BY A::y > 1; DESCRIBE D; DUMP D;"
    )
    out = optimize(plan, strict=True)
    check(out)
    describe = next(a for a in out.actions if isinstance(a, L.DescribeAction))
    assert describe.text == "D: {A::x: int,A::y: int,B::x: int}"
    # the join now yields D's rows, so it carries D's op id; the old id C is gone
    assert describe.op_id == "D" and isinstance(out.op("D"), L.LOJoin) and "C" not in out
    run = next(a for a in out.actions if isinstance(a, L.RunSink))
    assert out.op(run.op_id).inputs == ("D",)
    assert dict(out.aliases)["C"] == "D"


def test_op_ids_keep_their_meaning_when_more_statements_arrive():
    """Grunt re-optimizes as statements arrive; an op id seen in both plans must name
    the same relation (the back end caches intermediate outputs by op id)."""
    first = "A = LOAD 'a' AS (x:int, y:int); B = LOAD 'b' AS (x:int);\n"
    first += "C = JOIN A BY x, B BY x; D = FILTER C BY A::y > 1; DUMP D;\n"
    one = optimize(build_text(first), strict=True)
    two = optimize(build_text(first + "DUMP C;"), strict=True)
    tables = {"a": [(1, 1), (1, 5), (2, 0)], "b": [(1,), (2,)]}
    rows_one = dict(zip([o.op_id for o in one.operators], _all_rows(one, tables), strict=True))
    rows_two = dict(zip([o.op_id for o in two.operators], _all_rows(two, tables), strict=True))
    shared = rows_one.keys() & rows_two.keys()
    assert "C" in rows_two and "D" in shared
    for op_id in shared:
        assert sorted(map(repr, rows_one[op_id])) == sorted(map(repr, rows_two[op_id])), op_id


def test_a_failing_rule_falls_back_to_the_unoptimized_plan():
    plan = build_text("A = LOAD 'a' AS (x:int); B = FILTER A BY x > 1; DUMP B;")

    def broken(p):
        raise RuntimeError("bug")

    assert optimize(plan, [broken]) is plan
    with pytest.raises(RuntimeError):
        optimize(plan, [broken], strict=True)


def test_disabled_rules_by_set_and_argument():
    script = "A = LOAD 'a' AS (x:int); B = FILTER A BY x > 1; C = FILTER B BY x < 5; DUMP C;"
    assert len(optimize(build_text(script)).operators) == 3
    assert optimize(build_text(script), disabled=["MergeFilter"]) == build_text(script)
    off = "SET pig.optimizer.rules.disabled 'All';\n" + script
    assert optimize(build_text(off)) == build_text(off)


# ------------------------------------------------------- the reference evaluator
def _arith(op, a, b):
    if a is None or b is None:
        return None
    return {"+": a + b, "-": a - b, "*": a * b}[op]


def _compare(op, a, b):
    if a is None or b is None:
        return None
    return {"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _logic(op, a, b):
    if op == "and":
        if a is False or b is False:
            return False
        return None if a is None or b is None else True
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def ev(e: L.LExpr, row: tuple):
    """Pig's value semantics for the expression subset the generated scripts use."""
    if isinstance(e, L.LEProject):
        return row[e.column]
    if isinstance(e, L.LEConst):
        return e.value
    if isinstance(e, L.LECast):
        return ev(e.operand, row)
    if isinstance(e, L.LEUnary):
        v = ev(e.operand, row)
        ops = {
            "neg": lambda: None if v is None else -v,
            "not": lambda: None if v is None else not v,
        }
        ops.update(isnull=lambda: v is None, notnull=lambda: v is not None)
        return ops[e.op]()
    if isinstance(e, L.LEBinary):
        a, b = ev(e.left, row), ev(e.right, row)
        if e.op in ("and", "or"):
            return _logic(e.op, a, b)
        return _arith(e.op, a, b) if e.op in "+-*" else _compare(e.op, a, b)
    if isinstance(e, L.LEFunc) and e.func == "COUNT":
        return sum(1 for t in ev(e.args[0], row) if t[0] is not None)
    raise NotImplementedError(type(e).__name__)


def _evaluate(plan: L.LogicalPlan, tables) -> dict[str, list[tuple]]:
    data: dict[str, list[tuple]] = {}
    for op in plan.operators:
        ins = [data[i] for i in op.inputs]
        if isinstance(op, L.LOJoin):
            widths = [len(plan.op(i).schema) for i in op.inputs]
            data[op.op_id] = _join(op, ins, widths)
        else:
            data[op.op_id] = _run_op(op, ins, tables)
    return data


def run_plan(plan: L.LogicalPlan, tables: dict[str, list[tuple]]) -> list[list[tuple]]:
    """Every sink's rows, in sink order (rows in a deterministic order)."""
    data = _evaluate(plan, tables)
    return [data[s.op_id] for s in plan.sinks()]


def _all_rows(plan: L.LogicalPlan, tables) -> list[list[tuple]]:
    data = _evaluate(plan, tables)
    return [data[op.op_id] for op in plan.operators]


def _join(op: L.LOJoin, ins, widths) -> list[tuple]:
    """A two-input join of any type: null keys never match; outer sides are padded."""
    (left, right), (wl, wr) = ins, widths

    def key(row, keys):
        k = tuple(ev(e, row) for e in keys)
        return None if None in k else k

    out, matched_right = [], set()
    for lrow in left:
        lk, hit = key(lrow, op.keys[0]), False
        for j, rrow in enumerate(right):
            if lk is not None and lk == key(rrow, op.keys[1]):
                out.append(lrow + rrow)
                hit = True
                matched_right.add(j)
        if not hit and op.join_type in ("left", "full"):
            out.append(lrow + (None,) * wr)
    if op.join_type in ("right", "full"):
        out.extend((None,) * wl + r for j, r in enumerate(right) if j not in matched_right)
    return out


def _run_op(op, ins, tables):  # noqa: C901 - one branch per operator
    if isinstance(op, L.LOLoad):
        return list(tables[op.path])
    if isinstance(op, L.LOFilter):
        return [r for r in ins[0] if ev(op.cond, r) is True]
    if isinstance(op, L.LOForEach):
        assert not op.nested and not any(g.flatten for g in op.generate)
        return [tuple(ev(g.expr, r) for g in op.generate) for r in ins[0]]
    if isinstance(op, L.LOLimit):
        return ins[0][: ev(op.count, ())]
    if isinstance(op, L.LOSort):
        rows = list(ins[0])
        for k in reversed(op.keys):  # stable sorts, last key first; nulls sort lowest
            rows.sort(
                key=lambda r, e=k.expr: (ev(e, r) is not None, ev(e, r)), reverse=not k.ascending
            )
        return rows
    if isinstance(op, L.LODistinct):
        return list(dict.fromkeys(ins[0]))
    if isinstance(op, L.LOCogroup):
        groups: dict = {}
        for r in ins[0]:
            groups.setdefault(ev(op.keys[0][0], r), []).append(r)
        return [(k, tuple(v)) for k, v in groups.items()]
    if isinstance(op, (L.LODump, L.LOStore)):
        return ins[0]
    raise NotImplementedError(op.name)


def test_reference_evaluator_on_a_known_answer():
    plan = build_text(
        "A = LOAD 'a' AS (x:int, y:int); B = LOAD 'b' AS (x:int, z:int);"
        "C = JOIN A BY x, B BY x; D = FILTER C BY B::z > 1; G = GROUP D BY A::x;"
        "E = FOREACH G GENERATE group, COUNT(D); DUMP E;"
    )
    tables = {"a": [(1, 1), (1, 2), (2, 3), (None, 4)], "b": [(1, 5), (1, 0), (2, 9), (None, 7)]}
    # by hand: x=1 joins 2x2 rows, 2 of which have z=5 > 1; x=2 joins once; null never joins
    assert sorted(run_plan(plan, tables)[0]) == [(1, 2), (2, 1)]


# --------------------------------------------------- generated scripts (property)
VALUES = st.one_of(st.none(), st.integers(-2, 4))
CMP = st.sampled_from(["==", "!=", "<", ">", "<=", ">="])


@st.composite
def scripts(draw, limits: bool = True):
    """A random pipeline over A(a,b,c,d) and B(k,v) using positional fields."""
    lines = ["R0 = LOAD 'a' AS (a:int, b:int, c:int, d:int);", "B = LOAD 'b' AS (k:int, v:int);"]
    width, joined, cur = 4, False, "R0"
    for n in range(1, draw(st.integers(1, 6)) + 1):
        kinds = ["filter", "filter", "foreach", "project", "join", "order", "distinct"]
        kinds += ["limit"] * limits
        kind = draw(st.sampled_from(kinds))
        new = f"R{n}"
        if kind == "filter":
            i, j = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
            cond = f"${i} {draw(CMP)} {draw(st.integers(-1, 3))}"
            if draw(st.booleans()):
                cond = f"({cond}) {draw(st.sampled_from(['and', 'or']))} (${j} is not null)"
            lines.append(f"{new} = FILTER {cur} BY {cond};")
        elif kind in ("foreach", "project"):
            cols = draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=4))
            items = [f"${c}" for c in cols]
            if kind == "foreach":
                items.append(f"${cols[0]} {draw(st.sampled_from('+-*'))} ${cols[-1]}")
            named = [f"{item} AS f{n}_{i}" for i, item in enumerate(items)]
            lines.append(f"{new} = FOREACH {cur} GENERATE {', '.join(named)};")
            width = len(items)
        elif kind == "join" and not joined:
            how = draw(st.sampled_from(["", "", " LEFT OUTER", " RIGHT", " FULL OUTER"]))
            col = draw(st.integers(0, width - 1))
            lines.append(f"{new} = JOIN {cur} BY ${col}{how}, B BY k;")
            width, joined = width + 2, True
        elif kind == "order":
            desc = draw(st.sampled_from(["", " DESC"]))
            lines.append(f"{new} = ORDER {cur} BY ${draw(st.integers(0, width - 1))}{desc};")
        elif kind == "limit":
            lines.append(f"{new} = LIMIT {cur} {draw(st.integers(0, 6))};")
        else:  # distinct, or a second join (one join per script)
            lines.append(f"{new} = DISTINCT {cur};")
        cur = new
    if draw(st.booleans()):
        lines.append(f"G = GROUP {cur} BY ${draw(st.integers(0, width - 1))};")
        grouped = "G"
        if draw(st.booleans()):
            lines.append(f"H = FILTER G BY group {draw(CMP)} {draw(st.integers(-1, 3))};")
            grouped = "H"
        lines.append(f"OUT = FOREACH {grouped} GENERATE group, COUNT({cur});")
        cur = "OUT"
    lines.append(f"DUMP {cur};")
    return "\n".join(lines)


ROWS_A = st.lists(st.tuples(VALUES, VALUES, VALUES, VALUES), max_size=7)
ROWS_B = st.lists(st.tuples(VALUES, VALUES), max_size=5)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=scripts(), a=ROWS_A, b=ROWS_B)
def test_optimized_plan_gives_the_same_rows(script, a, b):
    plan = build_text(script)
    out = optimize(plan, strict=True)
    check(out)
    assert optimize(out, strict=True) is out  # a fixpoint: nothing left to do
    assert [s.schema for s in out.sinks()] == [s.schema for s in plan.sinks()]
    tables = {"a": a, "b": b}
    want, got = run_plan(plan, tables), run_plan(out, tables)
    assert [Counter(map(repr, rows)) for rows in got] == [Counter(map(repr, r)) for r in want]
    # an op id kept by the optimizer still names the same rows (outputs are cached by id)
    before = dict(zip([o.op_id for o in plan.operators], _all_rows(plan, tables), strict=True))
    after = dict(zip([o.op_id for o in out.operators], _all_rows(out, tables), strict=True))
    for op_id in before.keys() & after.keys():
        assert Counter(map(repr, before[op_id])) == Counter(map(repr, after[op_id])), op_id


def test_generated_scripts_exercise_every_rule():
    """The property above is only worth something if the rules fire on its scripts."""
    fired: Counter[str] = Counter()
    head = "R0 = LOAD 'a' AS (a:int, b:int, c:int, d:int);\nB = LOAD 'b' AS (k:int, v:int);\n"
    samples = {
        "push_filter_up": "R1 = JOIN R0 BY $0, B BY k;\nR2 = FILTER R1 BY $5 > 1;\nDUMP R2;",
        "merge_filter": "R1 = FILTER R0 BY $0 > 1;\nR2 = FILTER R1 BY $1 < 2;\nDUMP R2;",
        "merge_foreach": "R1 = FOREACH R0 GENERATE $0, $0 + $1;\nR2 = FOREACH R1 GENERATE $1;\n"
        "DUMP R2;",
        "limit_optimizer": "R1 = FOREACH R0 GENERATE $0 * $1;\nR2 = LIMIT R1 2;\nDUMP R2;",
        "redundant_distinct": "R1 = DISTINCT R0;\nR2 = DISTINCT R1;\nDUMP R2;",
        "unseen_nested": "G = GROUP R0 BY $0;\n"
        "R1 = FOREACH G { E = ORDER R0 BY $1; GENERATE SUM(E.$2); };",
        "column_prune": "R1 = FILTER R0 BY $2 > 0;\nR2 = FOREACH R1 GENERATE $0;\nDUMP R2;",
        "union_onschema": "R1 = UNION ONSCHEMA R0, B;\nDUMP R1;",
        "cube_preagg": "C = CUBE R0 BY CUBE(a, b);\n"
        "R1 = FOREACH C GENERATE FLATTEN(group), COUNT_STAR(cube), SUM(cube.c);\nDUMP R1;",
    }
    for rule in RULES:
        name = rule.__module__.rsplit(".", 1)[-1]
        plan = build_text(head + samples[name])
        fired[name] += rule(plan) is not plan
    assert all(fired.values()) and len(fired) == len(RULES)


# ------------------------------------------- the same through the real back end
def _pig_text(row: tuple) -> str:
    """Pig's DUMP form of a flat tuple (null prints as nothing)."""
    return "(" + ",".join("" if v is None else str(v) for v in row) + ")"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(script=scripts(limits=False), a=ROWS_A, b=ROWS_B)
def test_launcher_agrees_with_the_reference(tmp_path, script, a, b):
    """The back end runs the *optimized* plan; the reference evaluates the unoptimized
    one.  (No LIMIT here: which rows a LIMIT keeps after a shuffle is unspecified.)"""
    import io

    from piglatin import launcher

    for name, rows in (("a", a), ("b", b)):
        text = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
        (tmp_path / name).write_text(text)
    out = io.StringIO()
    assert launcher.run_script(script, "local", cwd=str(tmp_path), out=out) == 0
    want = run_plan(build_text(script), {"a": a, "b": b})[0]
    assert Counter(out.getvalue().splitlines()) == Counter(map(_pig_text, want))


@pytest.mark.parametrize(
    "name",
    [
        "piglatin.plan.optimizer",
        "piglatin.plan.exprs",
        "piglatin.plan.rules._plan",
        "piglatin.plan.rules.column_prune",
        "piglatin.plan.rules.limit_optimizer",
        "piglatin.plan.rules.merge_filter",
        "piglatin.plan.rules.merge_foreach",
        "piglatin.plan.rules.push_filter_up",
        "piglatin.plan.rules.union_onschema",
        "piglatin.tools.grunt",
    ],
)
def test_module_doctests(name):
    import doctest

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_same_plan_and_ids_in_another_process():
    """Workers rebuild and re-optimize the script themselves: ids must not depend on
    the process (no hash randomisation, no counters, no object ids)."""
    import json
    import os
    import subprocess
    import sys

    script = next(c[2] for c in CASES if c[0] == "optimizer")
    code = (
        "import json, sys\n"
        "from piglatin.front.builder import build_text\n"
        "from piglatin.plan.optimizer import optimize\n"
        "from piglatin.plan.rules._plan import shape\n"
        "print(json.dumps(shape(optimize(build_text(sys.stdin.read())), mask=False)))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout) == shape(optimize(build_text(script)), mask=False)
