"""ColumnPrune through whole-bag aggregates and nested blocks: a GROUP whose bag is read only
by COUNT_STAR/SIZE/IsEmpty (the number of rows), COUNT (Pig's COUNT skips a tuple whose
first field is null: column 0) or nested FILTER/ORDER/LIMIT/DISTINCT blocks keeps only
the columns read; a bag emitted whole, FLATTENed or DISTINCTed whole keeps them all.

Plans: the projection after the LOAD lists exactly the needed columns, and nothing is
pruned with the rule off.  Results: generated wide rows (ints, doubles, strings, with
empty and bad fields) through such scripts in `-x local` and the default mode, compared
with plain Python computing Pig's answer."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.mrcompiler import algebraic_aggregates
from piglatin.front.builder import build_text
from piglatin.launcher import explain_text, run_script
from piglatin.plan import logical as L
from piglatin.plan.optimizer import optimize

COLS = ("c0", "k", "a", "b", "s", "d", "e", "f")
LOAD = (
    "A = LOAD 'a.csv' USING PigStorage(',') AS (c0:int, k:chararray, a:int, b:double, "
    "s:chararray, d:int, e:double, f:chararray);\nG = GROUP A BY k;\n"
)


# ---------------------------------------------------------------- plans
def load_columns(script: str, disabled: tuple[str, ...] = ()) -> list[str]:
    """The columns the optimized plan reads of the LOAD (the projection right after it)."""
    plan = optimize(build_text(script), disabled=disabled, strict=True)
    load = next(op for op in plan.operators if isinstance(op, L.LOLoad))
    readers = [op for op in plan.operators if load.op_id in op.inputs]
    if len(readers) == 1 and isinstance(readers[0], L.LOForEach):
        proj = L.plain_projection(readers[0])
        if proj is not None:
            return [load.schema[c].name for c in proj]  # type: ignore[index]
    return [f.name for f in load.schema]  # type: ignore[union-attr]


PLANS = {
    # the number of rows only: the key is column enough
    "count-star": ("GENERATE group, COUNT_STAR(A)", ["k"]),
    "size-isempty": ("GENERATE group, SIZE(A), IsEmpty(A)", ["k"]),
    # COUNT looks at the first field
    "count": ("GENERATE group, COUNT(A)", ["c0", "k"]),
    "count-and-sum": ("GENERATE group, COUNT(A), SUM(A.d)", ["c0", "k", "d"]),
    "nested-filter": (
        "{ f = FILTER A BY a > 3; GENERATE group, COUNT_STAR(f), SUM(f.d); }",
        ["k", "a", "d"],
    ),
    "nested-filter-count": (
        "{ f = FILTER A BY e > 0.0; GENERATE group, COUNT(f); }",
        ["c0", "k", "e"],
    ),
    "nested-order-limit": (
        "{ o = ORDER A BY d DESC; t = LIMIT o 2; GENERATE group, SUM(t.a); }",
        ["k", "a", "d"],
    ),
    "nested-distinct-projection": ("{ u = DISTINCT A.s; GENERATE group, COUNT(u); }", ["k", "s"]),
    "nested-projection-count": ("{ p = A.(s, d); GENERATE group, COUNT(p); }", ["k", "s", "d"]),
    # every column
    "nested-distinct-rows": ("{ u = DISTINCT A; GENERATE group, COUNT_STAR(u); }", list(COLS)),
    "bag-emitted": ("GENERATE group, A", list(COLS)),
    "bag-flattened": ("GENERATE group, FLATTEN(A)", list(COLS)),
    "bag-to-udf": ("GENERATE group, BagToString(A)", list(COLS)),
    "ordered-bag-emitted": ("{ o = ORDER A BY a; GENERATE group, o; }", list(COLS)),
    "having": ("GENERATE group, COUNT_STAR(A)", ["c0", "k", "a"]),
    "filtered-bag-flattened": ("{ f = FILTER A BY a > 3; GENERATE FLATTEN(f); }", list(COLS)),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_load_reads_only_the_needed_columns(name: str) -> None:
    body, want = PLANS[name]
    having = "H = FILTER G BY COUNT(A) > 1 AND SUM(A.a) > 0;\n" if name == "having" else ""
    script = LOAD + having + f"R = FOREACH {'H' if having else 'G'} {body};\nSTORE R INTO 'out';"
    assert load_columns(script) == want
    assert load_columns(script, ("ColumnPrune",)) == list(COLS)
    assert load_columns("SET pig.optimizer.rules.disabled 'ColumnPrune';\n" + script) == list(COLS)


def test_rows_read_elsewhere_keep_every_column() -> None:
    script = (
        LOAD
        + "R = FOREACH G GENERATE group, COUNT_STAR(A);\nSTORE R INTO 'o1';\nSTORE A INTO 'o2';"
    )
    assert load_columns(script) == list(COLS)


def test_group_all_count_star_keeps_one_column_per_row() -> None:
    script = (
        "A = LOAD 'a.csv' USING PigStorage(',') AS (x:int, y:int, z:int);\n"
        "G = GROUP A ALL;\nR = FOREACH G GENERATE COUNT_STAR(A);\nSTORE R INTO 'o';"
    )
    assert load_columns(script) == ["x"]


def test_the_combiner_still_takes_the_pruned_foreach() -> None:
    script = (
        LOAD + "R = FOREACH G GENERATE group, COUNT(A), COUNT_STAR(A), SUM(A.d);\nSTORE R INTO 'o';"
    )
    plan = optimize(build_text(script), strict=True)
    group = next(op for op in plan.operators if isinstance(op, L.LOCogroup))
    fe = next(op for op in plan.operators if group.op_id in op.inputs)
    assert algebraic_aggregates(plan, group, [fe.op_id]) is not None
    assert "Combine Plan" in explain_text(script, "R")
    assert len(group.schema[1].tuple_schema) == 3  # type: ignore[index,arg-type]


# ---------------------------------------------------------------- results
def conv_int(text: str):
    """Pig's bytesToInteger: an int, else a double's integer part ('2.5' is 2), else null
    (an empty or bad field; Pig warns)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return int(float(text))
    except ValueError:
        return None


def conv_double(text: str):
    try:
        return float(text)
    except ValueError:
        return None


CONV = (conv_int, str, conv_int, conv_double, str, conv_int, conv_double, str)

ints = st.one_of(st.integers(-20, 20).map(str), st.sampled_from(["", "x1", "2.5"]))
doubles = st.one_of(st.sampled_from(["0.5", "1.25", "-3.5", "2.0"]), st.sampled_from(["", "zz"]))
strings = st.sampled_from(["p", "q", "rr"])
ROW = st.tuples(
    ints, st.sampled_from(["k1", "k2", "k3"]), ints, doubles, strings, ints, doubles, strings
)

# each query groups on its own, so that one's whole rows do not keep another's columns
SCRIPT = """
G1 = GROUP A BY k;
R1 = FOREACH G1 GENERATE group, COUNT_STAR(A), COUNT(A), SIZE(A), (IsEmpty(A) ? 1 : 0);
G2 = GROUP A BY k;
R2 = FOREACH G2 { f = FILTER A BY a > 3; GENERATE group, COUNT(f), COUNT_STAR(f), SUM(f.d); };
G3 = GROUP A BY k;
R3 = FOREACH G3 { o = ORDER A BY d DESC; t = LIMIT o 2; GENERATE group, SUM(t.d), COUNT_STAR(t); };
G4 = GROUP A BY k;
R4 = FOREACH G4 { u = DISTINCT A; v = DISTINCT A.s; GENERATE group, COUNT_STAR(u), COUNT(v); };
G5 = GROUP A BY k;
R5 = FOREACH G5 GENERATE FLATTEN(A);
G6 = GROUP A BY k;
R6 = FOREACH G6 { f = FILTER A BY e > 0.0; GENERATE group, COUNT(f), FLATTEN(f.(a, s)); };
G7 = GROUP A BY k;
R7 = FOREACH G7 GENERATE group, COUNT_STAR(A);
G8 = GROUP A BY k;
H8 = FILTER G8 BY COUNT(A) > 1 AND SUM(A.a) > 0;
R8 = FOREACH H8 GENERATE group, COUNT_STAR(A), SUM(A.d);
G9 = GROUP A BY k;
O9 = ORDER G9 BY group;
L9 = LIMIT O9 2;
R9 = FOREACH L9 GENERATE group, COUNT(A);
"""
# the columns each GROUP's bag keeps
WIDTHS = {
    "G1": ["c0", "k"],
    "G2": ["c0", "k", "a", "d"],
    "G3": ["k", "d"],
    "G4": list(COLS),
    "G5": list(COLS),
    "G6": ["c0", "k", "a", "s", "e"],
    "G7": ["k"],
    "G8": ["c0", "k", "a", "d"],
    "G9": ["c0", "k"],
}
OUTS = ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9")


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def total(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) if xs else None


def expected(raw: list[tuple[str, ...]]) -> dict[str, list[str]]:
    rows = [tuple(c(x) for c, x in zip(CONV, r, strict=True)) for r in raw]
    groups: dict[str, list[tuple]] = {}
    for r in rows:
        groups.setdefault(r[1], []).append(r)
    out: dict[str, list[str]] = {n: [] for n in OUTS}

    def emit(name: str, *vals) -> None:
        out[name].append("\t".join(fmt(v) for v in vals))

    def count(rs):  # COUNT: tuples whose first field is not null
        return sum(1 for r in rs if r[0] is not None)

    for k, rs in groups.items():
        emit("R1", k, len(rs), count(rs), len(rs), 0)
        f = [r for r in rs if r[2] is not None and r[2] > 3]
        emit("R2", k, count(f), len(f), total(r[5] for r in f))
        ds = sorted((r[5] for r in rs), key=lambda d: (d is not None, d or 0), reverse=True)[:2]
        emit("R3", k, total(ds), len(ds))
        emit("R4", k, len(set(rs)), len({r[4] for r in rs}))
        for r in rs:
            emit("R5", *r)
        f6 = [r for r in rs if r[6] is not None and r[6] > 0.0]
        for r in f6:
            emit("R6", k, count(f6), r[2], r[4])
        emit("R7", k, len(rs))
        if count(rs) > 1 and (total(r[2] for r in rs) or 0) > 0:
            emit("R8", k, len(rs), total(r[5] for r in rs))
        if k in sorted(groups)[:2]:
            emit("R9", k, count(rs))
    return {n: sorted(v) for n, v in out.items()}


def run(base: Path, raw: list[tuple[str, ...]], mode: str, sets: str = "") -> dict[str, list[str]]:
    tmp_path = Path(tempfile.mkdtemp(dir=base))  # one directory per generated example
    (tmp_path / "a.csv").write_text("".join(",".join(r) + "\n" for r in raw))
    stores = "".join(f"STORE {n} INTO '{(tmp_path / n).as_uri()}';\n" for n in OUTS)
    script = sets + LOAD.split(chr(10))[0] + chr(10) + SCRIPT + stores
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    got = {}
    for n in OUTS:
        lines: list[str] = []
        for part in sorted((tmp_path / n).glob("part-*")):
            lines += part.read_text().splitlines()
        got[n] = sorted(lines)
    return got


def test_the_script_prunes() -> None:
    script = (
        LOAD.split(chr(10))[0] + chr(10) + SCRIPT + "".join(f"STORE {n} INTO '{n}';" for n in OUTS)
    )
    plan = optimize(build_text(script), strict=True)
    for op in plan.operators:
        if isinstance(op, L.LOCogroup):
            got = [f.name for f in op.schema[1].tuple_schema]  # type: ignore[index,union-attr]
            assert got == WIDTHS[op.alias], op.alias
    plan = optimize(build_text(script), disabled=("ColumnPrune",), strict=True)
    assert all(
        len(op.schema[1].tuple_schema) == len(COLS)  # type: ignore[index,arg-type]
        for op in plan.operators
        if isinstance(op, L.LOCogroup)
    )


@pytest.mark.parametrize(
    ("mode", "sets"),
    [
        ("local", ""),
        ("mapreduce", ""),
        ("local", "SET pig.optimizer.rules.disabled 'ColumnPrune';\n"),
    ],
)
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.lists(ROW, min_size=1, max_size=40))
def test_results_match_plain_python(tmp_path: Path, mode: str, sets: str, raw) -> None:
    want = expected(raw)
    got = run(tmp_path, raw, mode, sets)
    for n in OUTS:
        assert got[n] == want[n], n


def test_no_column_read_keeps_the_cheapest() -> None:
    head = "A = LOAD 'a.txt' AS (m:map[], t:(p:int), d:double, x:int, s:chararray);\n"
    script = head + "G = GROUP A ALL;\nR = FOREACH G GENERATE COUNT_STAR(A);\nSTORE R INTO 'o';"
    assert load_columns(script) == ["s"]
    assert load_columns(head + "R = FOREACH A GENERATE 1;\nSTORE R INTO 'o';") == ["s"]
    head = "A = LOAD 'a.txt' AS (m:map[], d:double, x:int);\n"
    assert load_columns(
        head + "G = GROUP A ALL;\nR = FOREACH G GENERATE SIZE(A);\nSTORE R INTO 'o';"
    ) == ["x"]


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_count_star_of_rows_with_broken_maps(tmp_path: Path, mode: str) -> None:
    """Every row counts, whatever its columns hold: a broken map, an empty line's nulls."""
    lines = ["[a#1]\t1", "[broken\t2", "\t", "[b#2]\tx", "", "[c#3]\t3"]
    (tmp_path / "a.txt").write_text("".join(ln + "\n" for ln in lines))
    script = (
        "A = LOAD 'a.txt' AS (m:map[], x:int);\nG = GROUP A ALL;\n"
        "R = FOREACH G GENERATE COUNT_STAR(A), SIZE(A), COUNT(A);\n"
        f"STORE R INTO '{(tmp_path / 'out').as_uri()}';"
    )
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0
    got = [
        ln for p in sorted((tmp_path / "out").glob("part-*")) for ln in p.read_text().splitlines()
    ]
    # COUNT: the rows whose first field (the map) is not null: '[a#1]', '[b#2]', '[c#3]'
    assert got == ["6\t6\t3"]
