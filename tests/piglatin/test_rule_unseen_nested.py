"""RemoveUnseenNested: a nested ORDER whose bag only order-blind readers see (COUNT, SUM, AVG,
MIN, MAX, SIZE, IsEmpty, directly, through a projection, a nested FILTER, FOREACH or DISTINCT)
is removed, and so is a nested DISTINCT only MIN/MAX/IsEmpty read, so the FOREACH takes the
combiner (PigMix L16); the results are what plain Python computes (floats up to the order of
the additions), in local and mapreduce mode. An ORDER read by a LIMIT, FLATTEN, a UDF, TOP,
BagToString or the output stays, and the rows follow its order; so does a DISTINCT read by
COUNT/SUM/SIZE; turning the rule off (``pig.optimizer.rules.disabled``) keeps everything."""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.mrcompiler import algebraic_aggregates
from piglatin.front.builder import build_text
from piglatin.launcher import explain_text, run_script
from piglatin.plan import logical as L
from piglatin.plan.optimizer import optimize

LOAD = "A = LOAD 'a.txt' AS (k:chararray, i:int, d:double);\nG = GROUP A BY k;\n"
OFF = "SET pig.optimizer.rules.disabled 'RemoveUnseenNested';\n"
MODES = ("local", "mapreduce")


# ---------------------------------------------------------------- plain Python side
def groups(rows: list[tuple]) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(r[0], []).append(r)
    return out


def vals(xs) -> list:
    return [x for x in xs if x is not None]


def total(xs):
    xs = vals(xs)
    return sum(xs) if xs else None


def avg(xs):
    xs = vals(xs)
    return sum(xs) / len(xs) if xs else None


def low(xs):
    xs = vals(xs)
    return min(xs) if xs else None


def high(xs):
    xs = vals(xs)
    return max(xs) if xs else None


def count(rows) -> int:  # COUNT skips the rows whose first field is null
    return sum(1 for r in rows if r[0] is not None)


def pig_sorted(xs, descending: bool = False) -> list:
    """Pig's ORDER of single values: nulls are smaller than every value."""
    return sorted(xs, key=lambda x: (x is not None, x if x is not None else 0), reverse=descending)


# ---------------------------------------------------------------- running a script
def text(v) -> str:
    if v is None:
        return ""
    return repr(v) if isinstance(v, float) else str(v)


def run(
    tmp: Path, rows: list[tuple], body: str, mode: str, sets: str = "", udf: str = ""
) -> dict[str, list[str]]:
    """The output lines of `body` (which defines R) by group key ('' for null)."""
    (tmp / "a.txt").write_text("".join("\t".join(text(x) for x in r) + "\n" for r in rows))
    if udf:
        (tmp / "u.py").write_text(udf)
    out = tmp / f"out-{mode}"
    script = sets + LOAD + body + f"\nSTORE R INTO '{out.as_uri()}';"
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="t.pig", out=log) == 0
    got: dict[str, list[str]] = {}
    for part in sorted(out.glob("part-*")):
        for line in part.read_text().splitlines():
            fields = line.split("\t")
            assert fields[0] not in got, line
            got[fields[0]] = fields[1:]
    return got


def same(got: str, want) -> bool:
    if want is None:
        return got == ""
    if isinstance(want, bool):
        return got == str(want).lower()
    if isinstance(want, float):
        return got != "" and math.isclose(float(got), want, rel_tol=1e-9, abs_tol=1e-6)
    return got == str(want)


def check(got: dict[str, list[str]], rows: list[tuple], expect: Callable[[list], list]) -> None:
    want = {text(k): expect(rs) for k, rs in groups(rows).items()}
    assert got.keys() == want.keys()
    for k, w in want.items():
        assert len(got[k]) == len(w), (k, got[k], w)
        assert all(same(g, x) for g, x in zip(got[k], w, strict=True)), (k, got[k], w)


def nested_kinds(script: str, sets: str = "") -> list[str]:
    plan = optimize(build_text(sets + LOAD + script + "\nDUMP R;"))
    return [n.kind for n in plan.op(dict(plan.aliases)["R"]).nested]


def combined(script: str, sets: str = "") -> bool:
    """Whether the optimized plan's GROUP + FOREACH R takes the combiner path."""
    plan = optimize(build_text(sets + LOAD + script + "\nDUMP R;"))
    fe = plan.op(dict(plan.aliases)["R"])
    group = plan.op(fe.inputs[0])
    assert isinstance(group, L.LOCogroup)
    return algebraic_aggregates(plan, group, [fe.op_id]) is not None


# ---------------------------------------------------------------- the scripts
ORDER_SUMS = """R = FOREACH G {{ E = ORDER A BY d{desc}, i; F = E.d;
    GENERATE group, SUM(F), COUNT(E), MIN(E.i), MAX(F), AVG(E.d), COUNT_STAR(E), SIZE(E); }};"""


def order_sums(rs: list) -> list:
    ds = [r[2] for r in rs]
    return [total(ds), count(rs), low(r[1] for r in rs), high(ds), avg(ds), len(rs), len(rs)]


ORDER_FILTER = """R = FOREACH G { E = ORDER A BY i DESC; H = FILTER E BY i > 0 AND d IS NOT NULL;
    GENERATE group, SUM(H.d), COUNT(H), MAX(H.i), IsEmpty(H); };"""


def order_filter(rs: list) -> list:
    h = [r for r in rs if r[1] is not None and r[1] > 0 and r[2] is not None]
    return [total(r[2] for r in h), count(h), high(r[1] for r in h), not h]


# the order goes, but the combiner rule takes no nested FOREACH (back/cogroupplan.py)
ORDER_FOREACH = """R = FOREACH G { E = ORDER A BY d; P = FOREACH E GENERATE i * 2 AS j, d;
    GENERATE group, SUM(P.j), AVG(P.d); };"""


def order_foreach(rs: list) -> list:
    return [total(2 * r[1] for r in rs if r[1] is not None), avg(r[2] for r in rs)]


ORDER_DISTINCT = """R = FOREACH G { E = ORDER A BY i; P = E.i; U = DISTINCT P;
    GENERATE group, COUNT(U), SUM(U), MIN(U); };"""


def order_distinct(rs: list) -> list:
    u = set(vals(r[1] for r in rs))
    return [len(u), total(u), low(u)]


DISTINCT_EXTREMES = """R = FOREACH G { U = DISTINCT A; P = U.i;
    GENERATE group, MIN(U.d), MAX(P), IsEmpty(U); };"""


def distinct_extremes(rs: list) -> list:
    return [low(r[2] for r in rs), high(r[1] for r in rs), False]


# statements nothing reads (a LIMIT keeps the combiner off while it is there)
DEAD = """R = FOREACH G { E = ORDER A BY i; T = LIMIT E 2; H = FILTER A BY i > 0; P = H.d;
    GENERATE group, COUNT(A), SUM(A.d); };"""


def dead(rs: list) -> list:
    return [count(rs), total(r[2] for r in rs)]


POSITIVE = {
    "dead": (DEAD, dead),
    "order-asc": (ORDER_SUMS.format(desc=""), order_sums),
    "order-desc": (ORDER_SUMS.format(desc=" DESC"), order_sums),
    "order-filter": (ORDER_FILTER, order_filter),
    "order-foreach": (ORDER_FOREACH, order_foreach),
    "order-distinct": (ORDER_DISTINCT, order_distinct),
    "distinct-min-max": (DISTINCT_EXTREMES, distinct_extremes),
}

TOP_TWO = """R = FOREACH G { E = ORDER A BY i DESC; T = LIMIT E 2;
    GENERATE group, SUM(T.i), COUNT(T); };"""


def top_two(rs: list) -> list:
    best = pig_sorted([r[1] for r in rs], descending=True)[:2]
    return [total(best), len(best) if rs[0][0] is not None else 0]


IN_ORDER = """R = FOREACH G { E = ORDER A BY i;
    GENERATE group, BagToString(E.i, '|'), E.i, SUM(E.d); };"""


def in_order(rs: list) -> list:
    ints = pig_sorted([r[1] for r in rs])
    bag = "{" + ",".join(f"({text(x)})" for x in ints) + "}"
    # BagToString writes a null as "null" (Pig's StringBuilder.append of a null field)
    joined = "|".join("null" if x is None else text(x) for x in ints)
    return [joined, bag, total(r[2] for r in rs)]


FIRST_UDF = "@outputSchema('f:int')\ndef first(bag):\n    return bag[0][0] if bag else None\n"
BY_UDF = """R = FOREACH G { E = ORDER A BY i DESC; F = E.i;
    GENERATE group, u.first(F), SUM(F); };"""


def by_udf(rs: list) -> list:
    ints = [r[1] for r in rs]
    return [pig_sorted(ints, descending=True)[0], total(ints)]


NEGATIVE = {
    "limit": (TOP_TWO, top_two, ""),
    "bag-output-and-bagtostring": (IN_ORDER, in_order, ""),
    "udf": (BY_UDF, by_udf, "REGISTER 'u.py' USING jython AS u;\n"),
}

key = st.sampled_from(["a", "b", "c", "dd", None])
num = st.one_of(st.none(), st.integers(-50, 50))
dbl = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
ROWS = st.lists(st.tuples(key, num, dbl), min_size=1, max_size=60)


# ---------------------------------------------------------------- plans
@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_unseen_nested_ops_go_and_the_combiner_takes_the_foreach(name: str) -> None:
    script, _ = POSITIVE[name]
    kinds = nested_kinds(script)
    assert "order" not in kinds
    assert ("distinct" in kinds) == (name == "order-distinct")  # COUNT/SUM see the repeats
    assert combined(script) == (name != "order-foreach")
    assert not combined(script, OFF)
    assert nested_kinds(script, OFF) == [n.kind for n in build_text(LOAD + script).op("R").nested]


def test_l16_explain_shows_the_combine_plan() -> None:
    script = (Path(__file__).parents[2] / "scripts" / "pigmix" / "l16.pig").read_text()
    params = {"data": "d", "out": "o"}
    assert "Combine Plan" in explain_text(script, "D", params=params)
    assert "Combine Plan" not in explain_text(OFF + script, "D", params=params)


@pytest.mark.parametrize(
    "body",
    [
        TOP_TWO,
        IN_ORDER,
        # FLATTEN: the rows come out in the bag's order
        "R = FOREACH G { E = ORDER A BY i; GENERATE group, FLATTEN(E.i), COUNT(E); };",
        "R = FOREACH G { E = ORDER A BY i; GENERATE group, TOP(1, 1, E), SUM(E.d); };",
        "R = FOREACH G { E = ORDER A BY i; GENERATE group, BagToTuple(E.i); };",
        # a function DEFINEd is not known to be order-blind, even when it is SUM
        "DEFINE S SUM(); R = FOREACH G { E = ORDER A BY i; GENERATE group, S(E.d); };",
        # rows judged by RANDOM() between: which rows pass depends on the order
        "R = FOREACH G { E = ORDER A BY i; H = FILTER E BY RANDOM() < 0.5; "
        "GENERATE group, COUNT(H); };",
        # a second ORDER whose ties keep E's order, read by a LIMIT
        "R = FOREACH G { E = ORDER A BY d; F = ORDER E BY i; T = LIMIT F 1; "
        "GENERATE group, SUM(T.d); };",
    ],
    ids=["limit", "bag-output", "flatten", "top", "bagtotuple", "define", "random", "ties"],
)
def test_an_order_some_reader_sees_stays(body: str) -> None:
    assert "order" in nested_kinds(body)


@pytest.mark.parametrize(
    "body",
    [
        "R = FOREACH G { U = DISTINCT A.i; GENERATE group, COUNT(U); };",
        "R = FOREACH G { U = DISTINCT A.i; GENERATE group, SUM(U), MIN(U); };",
        "R = FOREACH G { U = DISTINCT A; GENERATE group, SIZE(U); };",
        "R = FOREACH G { U = DISTINCT A.i; GENERATE group, U; };",
        # a FILTER passes on the order only: rows Pig counts as equal (-0.0 and 0.0) may
        # be told apart by its condition
        "R = FOREACH G { U = DISTINCT A; V = FILTER U BY i > 0; GENERATE group, MAX(V.d); };",
    ],
    ids=["count", "sum", "size", "output", "filter"],
)
def test_a_distinct_whose_repeats_are_seen_stays(body: str) -> None:
    assert nested_kinds(body)[0] == "distinct"


def test_a_statement_nothing_reads_stays_when_it_calls_a_udf_or_reads_a_scalar() -> None:
    define = "DEFINE U UPPER(); "
    body = "R = FOREACH G { H = FILTER A BY U(k) == 'A'; GENERATE group, COUNT(A); };"
    assert nested_kinds(define + body) == ["filter"]
    body = "R = FOREACH G { H = FILTER A BY i > 0; GENERATE group, COUNT(A); };"
    assert nested_kinds(body) == []
    scalar = "N = FOREACH (GROUP A ALL) GENERATE COUNT(A) AS n; "
    body = "R = FOREACH G { H = FILTER A BY i > N.n; GENERATE group, COUNT(A); };"
    assert nested_kinds(scalar + body) == ["filter"]


def test_only_the_unseen_of_two_orders_goes() -> None:
    body = """R = FOREACH G { E = ORDER A BY i; F = ORDER A BY d DESC; T = LIMIT F 1;
        GENERATE group, SUM(E.d), T; };"""
    assert nested_kinds(body) == ["order", "limit"]


# ---------------------------------------------------------------- rows
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(POSITIVE))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_rows_are_what_python_computes(name: str, mode: str, rows: list[tuple]) -> None:
    script, expect = POSITIVE[name]
    with tempfile.TemporaryDirectory() as d:
        check(run(Path(d), rows, script, mode), rows, expect)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(NEGATIVE))
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_rows_follow_an_order_that_stays(name: str, mode: str, rows: list[tuple]) -> None:
    script, expect, sets = NEGATIVE[name]
    with tempfile.TemporaryDirectory() as d:
        udf = FIRST_UDF if name == "udf" else ""
        check(run(Path(d), rows, script, mode, sets, udf), rows, expect)


@pytest.mark.parametrize("mode", MODES)
def test_the_rule_turned_off_keeps_the_order_and_the_rows(tmp_path: Path, mode: str) -> None:
    rows = [("a", 3, 1.5), ("a", None, 2.25), ("a", 1, None), ("b", 2, -0.5), (None, 5, 1.0)]
    script = ORDER_SUMS.format(desc=" DESC")
    assert "order" in nested_kinds(script, OFF)
    check(run(tmp_path, rows, script, mode, OFF), rows, order_sums)


def test_module_doctest() -> None:
    import doctest

    from piglatin.plan.rules import unseen_nested

    result = doctest.testmod(unseen_nested)
    assert result.attempted > 0 and result.failed == 0
