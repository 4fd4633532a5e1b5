"""A COGROUP (or GROUP) whose bags are read only through COUNT, COUNT_STAR, SUM, AVG, MIN,
MAX, SIZE and IsEmpty runs without bags (cogroupplan.py, cogroupaggs.py: partials per key
and input, a combiner, finals per input) and gives what plain Python computes with Pig's
COGROUP rules: null keys of different inputs are different groups (Pig Latin Basics, "Nulls
and COGROUP"), an input without rows for a key has an empty bag (COUNT 0, SUM/MIN/MAX/AVG
null, IsEmpty true), COUNT skips rows whose first field is null and COUNT_STAR does not,
INNER drops the groups with an empty bag. Checked with the generated map code on and off,
the combiner off, several map tasks and reducers, and in mapreduce mode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.cogroupplan import by_input_aggregates
from piglatin.back.mrcompiler import compile_sink
from piglatin.front.builder import build_text
from piglatin.launcher import explain_text, run_script

KEYS = ["a", "b", "c", "dd", None]
LOADS = """A = LOAD 'a.txt' AS (k:chararray, v:int);
B = LOAD 'b.txt' AS (k:chararray, v:int);
X = LOAD 'x.txt' AS (k:chararray, v:int);
"""
CONFIGS = {
    "codegen": "",
    "closures": "SET pig.codegen false;\n",
    "nocombiner": "SET pig.exec.nocombiner true;\n",
    "splits": "SET mapreduce.input.fileinputformat.split.maxsize 40;\nSET default_parallel 3;\n",
}


def field(v) -> str:
    if v is None:
        return ""
    if v is True or v is False:
        return str(v).lower()
    return repr(v) if isinstance(v, float) else str(v)


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(field(x) for x in r) + "\n" for r in rows))


def run(tmp_path: Path, tables: dict[str, list[tuple]], body: str, sets: str = "", mode="local"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        write(tmp_path / f"{name}.txt", rows)
    out = tmp_path / "out"
    script = sets + LOADS + body + f"\nSTORE E INTO '{out.as_uri()}';"
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0
    lines = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


def cogroup(*inputs: list[tuple]) -> list[tuple]:
    """Pig's COGROUP by the first field: (group, bag_1, ..., bag_n); each input's null-key
    rows are a group of their own."""
    bags: dict = {}
    for i, rows in enumerate(inputs):
        for r in rows:
            if r[0] is not None:
                bags.setdefault(r[0], [[] for _ in inputs])[i].append(r)
    out = [(k, *held) for k, held in bags.items()]
    for i, rows in enumerate(inputs):
        nulls = [r for r in rows if r[0] is None]
        if nulls:
            out.append((None, *[nulls if j == i else [] for j in range(len(inputs))]))
    return out


def count(bag):  # COUNT skips rows whose first field is null
    return sum(1 for r in bag if r[0] is not None)


def values(bag) -> list:
    return [r[1] for r in bag if r[1] is not None]


def total(bag):
    vs = values(bag)
    return sum(vs) if vs else None


def average(bag):
    vs = values(bag)
    return sum(vs) / len(vs) if vs else None


def line(*fields) -> str:
    return "\t".join(field(f) for f in fields)


rows_of = st.lists(
    st.tuples(st.sampled_from(KEYS), st.one_of(st.none(), st.integers(-5, 40))), max_size=25
)
SLOW_OK = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ANTI = """C = COGROUP A BY k, B BY k;
D = FILTER C BY COUNT(A) == 0;
E = FOREACH D GENERATE group;"""

THREE = """C = COGROUP A BY k, B BY k, X BY k;
D = FILTER C BY NOT IsEmpty(B) OR COUNT_STAR(X) > 1;
E = FOREACH D GENERATE group, COUNT(A), COUNT_STAR(A), SUM(B.v), MIN(X.v), MAX(A.v),
    SIZE(X), IsEmpty(A), AVG(B.v), COUNT(X.v);"""


def want_three(a, b, x) -> list[str]:
    out = []
    for g, ba, bb, bx in cogroup(a, b, x):
        if not (bb or len(bx) > 1):
            continue
        mn = min(values(bx), default=None)
        mx = max(values(ba), default=None)
        row = (g, count(ba), len(ba), total(bb), mn, mx, len(bx), not ba, average(bb))
        out.append(line(*row, len(values(bx))))
    return sorted(out)


@pytest.mark.parametrize("config", list(CONFIGS))
@SLOW_OK
@given(a=rows_of, b=rows_of)
def test_anti_join(tmp_path_factory, config: str, a, b) -> None:
    tmp = tmp_path_factory.mktemp("anti")
    got = run(tmp, {"a": a, "b": b, "x": []}, ANTI, CONFIGS[config])
    want = sorted(line(g) for g, ba, _bb in cogroup(a, b) if count(ba) == 0)
    assert got == want


@pytest.mark.parametrize("config", list(CONFIGS))
@SLOW_OK
@given(a=rows_of, b=rows_of, x=rows_of)
def test_three_inputs(tmp_path_factory, config: str, a, b, x) -> None:
    tmp = tmp_path_factory.mktemp("three")
    got = run(tmp, {"a": a, "b": b, "x": x}, THREE, CONFIGS[config])
    assert got == want_three(a, b, x)


GROUP_FILTER = """G = GROUP A BY k;
D = FILTER G BY COUNT(A) > 1 AND SUM(A.v) IS NOT NULL;
E = FOREACH D GENERATE group, SUM(A.v), COUNT_STAR(A), MIN(A.v);"""


@pytest.mark.parametrize("config", ["codegen", "closures", "splits"])
@SLOW_OK
@given(a=rows_of)
def test_group_of_one_input_filtered_first(tmp_path_factory, config: str, a) -> None:
    tmp = tmp_path_factory.mktemp("group")
    got = run(tmp, {"a": a, "b": [], "x": []}, GROUP_FILTER, CONFIGS[config])
    groups: dict = {}
    for r in a:  # one input: its null keys are one group
        groups.setdefault(r[0], []).append(r)
    want = [
        line(g, total(bag), len(bag), min(values(bag), default=None))
        for g, bag in groups.items()
        if count(bag) > 1 and total(bag) is not None
    ]
    assert got == sorted(want)


INNER = """C = COGROUP A BY k INNER, B BY k;
E = FOREACH C GENERATE group, COUNT(B), SUM(A.v);"""


@pytest.mark.parametrize("config", ["codegen", "closures"])
@SLOW_OK
@given(a=rows_of, b=rows_of)
def test_inner(tmp_path_factory, config: str, a, b) -> None:
    tmp = tmp_path_factory.mktemp("inner")
    got = run(tmp, {"a": a, "b": b, "x": []}, INNER, CONFIGS[config])
    want = [line(g, count(bb), total(ba)) for g, ba, bb in cogroup(a, b) if ba]
    assert got == sorted(want)


NESTED = """C = COGROUP A BY k, B BY k;
E = FOREACH C {
    f = FILTER A BY v > 10;
    d = DISTINCT B.v;
    g = FILTER B BY v IS NOT NULL;
    GENERATE group, COUNT(f), SUM(f.v), COUNT(d), IsEmpty(g), SIZE(f), COUNT_STAR(g), MAX(g.v);
};"""


@pytest.mark.parametrize("config", ["codegen", "closures", "splits"])
@SLOW_OK
@given(a=rows_of, b=rows_of)
def test_nested_filters_and_distinct(tmp_path_factory, config: str, a, b) -> None:
    tmp = tmp_path_factory.mktemp("nested")
    got = run(tmp, {"a": a, "b": b, "x": []}, NESTED, CONFIGS[config])
    want = []
    for g, ba, bb in cogroup(a, b):
        f = [r for r in ba if r[1] is not None and r[1] > 10]
        kept = [r for r in bb if r[1] is not None]
        distinct = {r[1] for r in kept}  # COUNT skips the null value's row
        mx = max(values(kept), default=None)
        want.append(line(g, count(f), total(f), len(distinct), not kept, len(f), len(kept), mx))
    assert got == sorted(want)


def test_mapreduce_mode_and_folding_given_up(tmp_path: Path) -> None:
    """Every key once in 12,000 rows: the map side's folding gives up after its sample
    (each row then leaves as its own record) and the combiner and reducers merge them."""
    a = [(f"k{i}", i % 7) for i in range(12000)] + [(None, 3), ("k5", None)]
    b = [(f"k{i}", 1) for i in range(0, 12000, 3)] + [(None, 1)]
    x = [("k1", 2)]
    for mode in ("local", "mapreduce"):
        got = run(tmp_path / mode, {"a": a, "b": b, "x": x}, THREE, "", mode)
        assert got == want_three(a, b, x)


@pytest.mark.parametrize(
    "body",
    [
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C GENERATE group, FLATTEN(A);",
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C GENERATE group, A, COUNT(B);",
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C GENERATE group, A.v, COUNT(B);",
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C { f = ORDER A BY v; "
        "GENERATE group, COUNT(f); };",
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C { f = FILTER A BY v > 1; GENERATE group, f; };",
        "C = COGROUP A BY k, B BY k;\nE = FOREACH C GENERATE group, DIFF(A, B);",
        "C = COGROUP A BY k, B BY k;\nD = FILTER C BY A IS NOT NULL;\n"
        "E = FOREACH D GENERATE group, COUNT(B);",
        "C = COGROUP A BY k, B BY k;\nE = FILTER C BY COUNT(A) > 0;",
    ],
)
def test_bags_used_otherwise_keep_the_bags(body: str) -> None:
    plan = build_text(LOADS + body + "\nSTORE E INTO 'out';")
    job = compile_sink(plan, _store_id(plan)).jobs[-1]
    assert not job.spec.by_input
    group = plan.op(job.spec.op)
    assert by_input_aggregates(plan, group, job.spec.reduce_chain) is None


def _store_id(plan) -> str:
    return next(op.op_id for op in plan.operators if type(op).__name__ == "LOStore")


def test_explain_says_the_combiner_is_used_and_nocombiner_turns_it_off() -> None:
    script = LOADS + ANTI + "\nSTORE E INTO 'out';"
    plan = build_text(script)
    job = compile_sink(plan, _store_id(plan)).jobs[-1]
    assert job.spec.by_input and job.spec.combine
    text = explain_text(script, "E")
    assert "Combine Plan" in text and "COUNT.Intermediate" in text
    off = compile_sink(plan, _store_id(plan), conf={"pig.exec.nocombiner": "true"}).jobs[-1]
    assert not off.spec.by_input and not off.spec.combine


@pytest.mark.parametrize("config", ["codegen", "closures"])
def test_multi_field_key_with_a_null_field_is_apart_per_input(tmp_path, config: str) -> None:
    """A tuple key with a null field is a group of its input's own, as a null key is: Pig's
    PigTupleWritableComparator compares the input index when two tuple keys are equal but
    held a null (PIG-927). So (null, 1) of A (twice) is one group and (null, 1) of B another;
    keys without a null group across the inputs as usual."""
    a = [("a", 1), (None, 1), (None, 1), ("a", None), ("b", 2)]
    b = [(None, 1), ("a", 1), ("c", 3), (None, None)]
    body = """C = COGROUP A BY (k, v), B BY (k, v);
E = FOREACH C GENERATE FLATTEN(group), COUNT_STAR(A), COUNT(B), IsEmpty(A);"""
    got = run(tmp_path, {"a": a, "b": b, "x": []}, body, CONFIGS[config])

    def count_b(k):  # COUNT skips a row whose first field is null
        return b.count(k) if k[0] is not None else 0

    whole = {k for k in set(a) | set(b) if None not in k}
    want = [line(*k, a.count(k), count_b(k), k not in a) for k in whole]
    want += [line(*k, a.count(k), 0, False) for k in set(a) - whole]
    want += [line(*k, 0, count_b(k), True) for k in set(b) - whole]
    assert got == sorted(want)


SIZES = """G = GROUP A BY k;
E = FOREACH G GENERATE group, SIZE(A), (COUNT(A) > 1 ? 'many' : 'few'), MAX(A.v) - MIN(A.v);"""


@pytest.mark.parametrize("config", ["codegen", "closures"])
@SLOW_OK
@given(a=rows_of)
def test_group_of_one_input_with_size(tmp_path_factory, config: str, a) -> None:
    """SIZE of the grouped bag is not one of the combiner rule's aggregates; the by-input
    path takes it as the row count."""
    tmp = tmp_path_factory.mktemp("sizes")
    got = run(tmp, {"a": a, "b": [], "x": []}, SIZES, CONFIGS[config])
    groups: dict = {}
    for r in a:
        groups.setdefault(r[0], []).append(r)
    want = []
    for g, bag in groups.items():
        vs = values(bag)
        spread = max(vs) - min(vs) if vs else None
        want.append(line(g, len(bag), "many" if count(bag) > 1 else "few", spread))
    assert got == sorted(want)


@pytest.mark.parametrize("body", [ANTI, THREE, GROUP_FILTER, INNER, NESTED, SIZES])
def test_the_scripts_above_take_the_by_input_path(body: str) -> None:
    plan = build_text(LOADS + body + "\nSTORE E INTO 'out';")
    job = compile_sink(plan, _store_id(plan)).jobs[-1]
    assert job.spec.by_input and job.spec.combine
