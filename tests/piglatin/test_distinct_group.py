"""A GROUP of a DISTINCT's rows by some of their columns runs in the DISTINCT's reduce
(distinctgroup.py, distinctgroupreduce.py: one job instead of two). Its output must be what
plain Python computes for the same script: the UNION of the inputs, Pig's DISTINCT of the
rows (nulls equal to nulls), then Pig's GROUP by the key columns (a null key is a group) and
the FOREACH after it (COUNT skips rows whose first field is null, COUNT_STAR does not,
SUM/MAX skip nulls and give null for none). Checked on generated tables (many duplicate
rows, null fields, two or three inputs to the UNION, a FILTER before the DISTINCT) with keys
of one, two or all columns in any order and of chararray, int and double types, in pig -x
local and mapreduce mode, with code generation off, with 3 reducers (the GROUP's PARALLEL,
the DISTINCT's, default_parallel) and several map tasks; a bag stored whole and a bag
spilled to disk; a STORE of the distinct rows too. Plans where the rule must not apply (a key
computed from the columns, a FILTER between, the distinct rows read twice, GROUP ALL, the
rule switched off) keep two jobs and give the right answer too."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.distinctgroup import exact_rows
from piglatin.back.mrcompiler import compile_sink
from piglatin.front.builder import build_text
from piglatin.launcher import explain_text, run_script

COLUMNS = ("a", "b", "c")  # chararray, int, double
CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "parallel": (
        "local",
        "SET mapreduce.input.fileinputformat.split.maxsize 40;\nSET default_parallel 3;\n",
    ),
    "mapreduce": ("mapreduce", "SET default_parallel 3;\n"),
}
SLOW_OK = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ROW = st.tuples(
    st.sampled_from(["x", "y", "zz", None]),
    st.sampled_from([1, 2, -3, None]),
    st.sampled_from([0.5, -2.25, 3.0e7, None]),
)
TABLE = st.lists(ROW, max_size=16)


def text(v) -> str:
    return "" if v is None else repr(v) if isinstance(v, float) else str(v)


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(text(x) for x in r) + "\n" for r in rows))


def loads(n: int) -> str:
    lines = [f"I{i} = LOAD 'in{i}.txt' AS (a:chararray, b:int, c:double);" for i in range(n)]
    return "\n".join(lines) + f"\nU = UNION {', '.join(f'I{i}' for i in range(n))};\n"


def run(tmp: Path, tables: list[list[tuple]], script: str, config: str = "local") -> list:
    """The rows stored in 'out', each field parsed (null, int, float, else the text)."""
    mode, sets = CONFIGS[config]
    tmp.mkdir(parents=True, exist_ok=True)
    for i, rows in enumerate(tables):
        write(tmp / f"in{i}.txt", rows)
    out = tmp / "out"
    log = io.StringIO()
    whole = sets + script.replace("'out'", f"'{out.as_uri()}'")
    whole = whole.replace("'distinct'", f"'{(tmp / 'distinct').as_uri()}'")
    status = run_script(whole, exec_type=mode, cwd=tmp, filename="t.pig", out=log)
    assert status == 0, log.getvalue()
    rows = []
    for part in sorted(out.glob("part-*")):
        rows += [tuple(parse(f) for f in line.split("\t")) for line in part.read_text().split("\n")]
    return [r for r in rows if r != (None,)]


def parse(f: str):
    if f == "":
        return None
    for conv in (int, float):
        try:
            return conv(f)
        except ValueError:
            pass
    return f


def same(got: list[tuple], want: list[tuple]) -> bool:
    """The same rows in any order, floats within a relative 1e-9."""
    if len(got) != len(want):
        return False
    order = lambda r: tuple((v is None, str(type(v)), v if v is not None else 0) for v in r)  # noqa: E731
    for g, w in zip(sorted(got, key=order), sorted(want, key=order), strict=True):
        if len(g) != len(w):
            return False
        for a, b in zip(g, w, strict=True):
            if isinstance(b, float) and isinstance(a, (int, float)):
                if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


def jobs(script: str, disabled: str = "") -> list:
    sets = f"SET pig.optimizer.rules.disabled '{disabled}';\n" if disabled else ""
    plan = build_text(sets + script)
    store = [op.op_id for op in plan.operators if op.name == "LOStore"][-1]
    return compile_sink(plan, store).jobs


def fused(script: str) -> bool:
    found = jobs(script)
    return len(found) == 1 and found[0].spec.kind == "distinct" and found[0].spec.group is not None


def distinct_rows(tables: list[list[tuple]], keep=lambda r: True) -> list[tuple]:
    """Plain Python's UNION + DISTINCT: Python's equality is Pig's for these values."""
    return list(dict.fromkeys(r for rows in tables for r in rows if keep(r)))


def grouped(rows: list[tuple], cols: tuple[int, ...]) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(tuple(r[c] for c in cols), []).append(r)
    return out


def values(bag, c) -> list:
    return [r[c] for r in bag if r[c] is not None]


def aggregates(bag: list[tuple]) -> tuple:
    """COUNT(D) (rows whose first field is not null), COUNT_STAR(D), SUM(D.b), MAX(D.c)."""
    bs, cs = values(bag, 1), values(bag, 2)
    return (len(values(bag, 0)), len(bag), sum(bs) if bs else None, max(cs, default=None))


KEYS = st.lists(st.sampled_from(range(3)), min_size=1, max_size=3, unique=True)
AGGS = """D = DISTINCT U{dpar};
G = GROUP D BY ({key}){gpar};
E = FOREACH G GENERATE FLATTEN(group), COUNT(D), COUNT_STAR(D), SUM(D.b), MAX(D.c);
STORE E INTO 'out';"""


@pytest.mark.parametrize("config", list(CONFIGS))
@SLOW_OK
@given(data=st.data())
def test_union_distinct_group(tmp_path_factory, config: str, data) -> None:
    """Any key columns in any order, two or three inputs, PARALLEL on either operator."""
    n = data.draw(st.integers(2, 3), "inputs")
    tables = [data.draw(TABLE, f"in{i}") for i in range(n)]
    cols = tuple(data.draw(KEYS, "key"))
    dpar, gpar = data.draw(st.sampled_from([("", ""), (" PARALLEL 3", ""), ("", " PARALLEL 2")]))
    key = ", ".join(COLUMNS[c] for c in cols)
    script = loads(n) + AGGS.format(key=key, dpar=dpar, gpar=gpar)
    assert fused(script)
    if gpar or dpar:
        assert jobs(script)[0].reducers == (2 if gpar else 3)
    got = run(tmp_path_factory.mktemp("aggs"), tables, script, config)
    groups = grouped(distinct_rows(tables), cols)
    want = [(*g, *aggregates(bag)) for g, bag in groups.items()]
    assert same(got, want), (got, want)


PRUNED = """F = FILTER U BY b IS NULL OR b > -3;
P = FOREACH F GENERATE c, a, b;
D = DISTINCT P;
G = GROUP D BY {key};
E = FOREACH G GENERATE group, COUNT_STAR(D);
STORE E INTO 'out';"""


@pytest.mark.parametrize("config", ["local", "closures", "mapreduce"])
@SLOW_OK
@given(data=st.data())
def test_one_key_column_of_a_filtered_projection(tmp_path_factory, config: str, data) -> None:
    """A FILTER and a FOREACH before the DISTINCT; one key column (the column pruner puts a
    projection of it between the DISTINCT and the GROUP)."""
    tables = [data.draw(TABLE, "in0"), data.draw(TABLE, "in1")]
    name = data.draw(st.sampled_from(["a", "b", "c"]), "key")
    script = loads(2) + PRUNED.format(key=name)
    assert fused(script)
    got = run(tmp_path_factory.mktemp("pruned"), tables, script, config)
    rows = [(r[2], r[0], r[1]) for r in distinct_rows(tables, lambda r: r[1] != -3)]
    rows = list(dict.fromkeys(rows))
    col = {"c": 0, "a": 1, "b": 2}[name]
    want = [(g[0], len(bag)) for g, bag in grouped(rows, (col,)).items()]
    assert same(got, want), (got, want)


BAGS = """D = DISTINCT U;
G = GROUP D BY (b, a) PARALLEL 3;
E = FOREACH G {
    o = ORDER D BY c;
    GENERATE FLATTEN(group), COUNT_STAR(D), o;
};
STORE E INTO 'out';"""


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(tables=st.lists(TABLE, min_size=2, max_size=2))
def test_the_bags_hold_each_distinct_row_once(tmp_path_factory, config: str, tables) -> None:
    """The bag itself, stored: each distinct row of the group once, in c's order."""
    script = loads(2) + BAGS
    assert fused(script)
    got = run(tmp_path_factory.mktemp("bags"), tables, script, config)
    want = []
    for g, bag in grouped(distinct_rows(tables), (1, 0)).items():
        cs = sorted(bag, key=lambda r: (r[2] is not None, r[2] or 0.0))  # nulls first
        inner = ",".join("(" + ",".join(text(x) for x in r) + ")" for r in cs)
        want.append((*g, len(bag), "{" + inner + "}"))
    got_bags = [(*r[:3], _canon(r[3])) for r in got]
    assert same(got_bags, [(*w[:3], _canon(w[3])) for w in want]), (got, want)


def _canon(bag) -> list:
    """A bag's rows, each field parsed (Pig writes 3.0E7 for 30000000.0), in a fixed order
    (ORDER's ties may come in any order)."""
    inner = str(bag)[1:-1]
    if not inner:
        return []
    rows = [tuple(parse(f) for f in r.strip("()").split(",")) for r in inner.split("),(")]
    return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))


@pytest.mark.slow  # ~40 s: three runs of 18,000 rows with bags spilled
def test_big_groups_spill(tmp_path: Path) -> None:
    """A group of thousands of distinct rows, its bag spilled to disk, spanning batches of
    the reduce; many duplicates of a row sent by several map tasks."""
    first = [("k", i, float(i % 7)) for i in range(6000)] + [("j", 1, 0.5)] * 3000
    second = [("k", i, float(i % 7)) for i in range(0, 6000, 3)] + [(None, None, None)] * 5
    tables = [first, second]
    sets = "SET pig.cachedbag.memusage 0.00001;\n"
    script = loads(2) + AGGS.format(key="a", dpar="", gpar="")
    want = [(*g, *aggregates(bag)) for g, bag in grouped(distinct_rows(tables), (0,)).items()]
    for config in ("local", "parallel", "mapreduce"):
        got = run(tmp_path / config, tables, sets + script, config)
        assert same(got, want), config


MULTI = """D = DISTINCT U;
G = GROUP D BY a;
E = FOREACH G GENERATE group, COUNT_STAR(D);
STORE D INTO 'distinct';
STORE E INTO 'out';"""


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(tables=st.lists(TABLE, min_size=2, max_size=2))
def test_distinct_rows_also_stored_is_not_fused(tmp_path_factory, config, tables) -> None:
    script = loads(2) + MULTI
    assert not fused(script)
    got = run(tmp_path_factory.mktemp("multi"), tables, script, config)
    want = [(g[0], len(bag)) for g, bag in grouped(distinct_rows(tables), (0,)).items()]
    assert same(got, want), (got, want)


NOT_FUSED = {
    "computed key": "D = DISTINCT U;\nG = GROUP D BY b + 1;\n",
    "cast key": "D = DISTINCT U;\nG = GROUP D BY (chararray)b;\n",
    "filter between": "D = DISTINCT U;\nH = FILTER D BY b > 0;\nG = GROUP H BY a;\n",
    "group all": "D = DISTINCT U;\nG = GROUP D ALL;\n",
    "cogroup": "D = DISTINCT U;\nG = COGROUP D BY a, I0 BY a;\n",
}


@pytest.mark.parametrize("name", sorted(NOT_FUSED))
def test_not_fused(name: str) -> None:
    script = loads(2) + NOT_FUSED[name] + "E = FOREACH G GENERATE group;\nSTORE E INTO 'out';"
    found = jobs(script)
    assert len(found) == 2 and not any(j.spec.group for j in found)


@pytest.mark.parametrize("config", ["local", "mapreduce"])
def test_computed_key_is_right_unfused(tmp_path: Path, config: str) -> None:
    tables = [[("x", 1, 0.5), ("x", 1, 0.5), ("y", None, None)], [("x", 2, 0.5), ("y", 0, 1.0)]]
    script = loads(2) + "D = DISTINCT U;\nG = GROUP D BY b + 1;\n"
    script += "E = FOREACH G GENERATE group, COUNT_STAR(D);\nSTORE E INTO 'out';"
    got = run(tmp_path, tables, script, config)
    assert same(got, [(2, 1), (3, 1), (None, 1), (1, 1)])


SWITCHES = [
    "SET pig.optimizer.rules.disabled 'DistinctGroupFusion';\n",
    "SET pig.optimizer.rules.disabled 'All';\n",
]


@pytest.mark.parametrize("switch", SWITCHES)
def test_the_rule_switched_off(tmp_path: Path, switch: str) -> None:
    """Two jobs and the same rows."""
    tables = [[("x", 1, 0.5), ("x", 1, 0.5), (None, None, None)], [("x", 2, 0.5), ("x", 1, 0.5)]]
    script = loads(2) + AGGS.format(key="a", dpar="", gpar="")
    assert fused(script)
    assert len(jobs(switch + script)) == 2
    got = run(tmp_path, tables, switch + script)
    assert same(got, [("x", 2, 2, 3, 0.5), (None, 0, 1, None, None)])


def test_explain_names_the_fused_group(tmp_path: Path) -> None:
    script = loads(2) + AGGS.format(key="b, a", dpar="", gpar="")
    text_ = explain_text(script, "E")
    assert (
        "(distinct, reducers estimated at launch from the input size; "
        "GROUP G of the distinct rows in its reduce)"
    ) in text_
    assert "Package: D: PODistinct -> G: POCogroup BY b,a -> E: POForEach" in text_
    off = explain_text(SWITCHES[0] + script, "E")
    assert "of the distinct rows" not in off


def test_pig_t_switches_it_off(tmp_path: Path) -> None:
    """`pig -t DistinctGroupFusion` is a known rule name, and the plan has two jobs."""
    script = loads(2) + AGGS.format(key="a", dpar="", gpar="").replace("STORE E INTO 'out';", "")
    for i in range(2):
        (tmp_path / f"in{i}.txt").write_text("x\t1\t0.5\n")

    def explain(*opts: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "piglatin.tools.cli", "-x", "local", *opts, "-e"]
            + [script + "EXPLAIN E;"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "of the distinct rows in its reduce" in explain()
    off = explain("-t", "DistinctGroupFusion")
    assert "of the distinct rows" not in off and "MapReduce node job2" in off


def test_exact_rows() -> None:
    """Only rows built to the schema's width let the map key skip its per-row width check."""
    plan = build_text(
        "A = LOAD 'a' AS (x:int, y:chararray);\n"
        "B = LOAD 'b' USING BinStorage() AS (x:int, y:chararray);\n"
        "C = LOAD 'c';\nF = FOREACH C GENERATE $0, $1;\nU = UNION A, F;\nV = UNION A, B;\n"
        "DUMP U;\nDUMP V;"
    )
    exact = {op.alias: exact_rows(plan, op.op_id) for op in plan.operators if op.alias}
    assert exact == {"A": True, "B": False, "C": False, "F": True, "U": True, "V": False}
