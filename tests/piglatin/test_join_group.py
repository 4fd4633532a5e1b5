"""A GROUP on an INNER hash join's own key runs in the join's reduce (joingroup.py,
joingroupreduce.py: one job instead of two). Its output must be what plain Python computes
for the same script: the inner join (a null key never matches), then Pig's GROUP of the
joined rows and the FOREACH after it (SUM/AVG/MIN/MAX skip nulls and give null for none,
COUNT skips rows whose first field is null, COUNT_STAR does not). Checked on generated
tables (duplicate keys on both sides, null keys, keys on one side only; chararray, int and
double keys, a two-column key) in pig -x local and mapreduce mode, with code generation
off, 3 reducers and several map tasks, the map side's key groups off, and bags and held
rows spilled; and the plans where it must not apply (another key, an outer join, the
joined rows read twice, a cast key, ...) keep two jobs and give the right answer too."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.mrcompiler import compile_sink
from piglatin.front.builder import build_text
from piglatin.launcher import explain_text, run_script

KEYS = {
    "chararray": ["a", "b", "c", "dd", None],
    "int": [1, 2, -3, 40, None],
    "double": [0.5, 1.0, -2.25, 3.0e7, None],
}
CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "parallel": (
        "local",
        "SET mapreduce.input.fileinputformat.split.maxsize 60;\nSET default_parallel 3;\n",
    ),
    "nogroups": ("local", "SET pig.exec.mapKeyGroups false;\nSET default_parallel 2;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 3;\n"),
}
SLOW_OK = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def text(v) -> str:
    return "" if v is None else repr(v) if isinstance(v, float) else str(v)


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(text(x) for x in r) + "\n" for r in rows))


def loads(ktype: str) -> str:
    return (
        f"L = LOAD 'l.txt' AS (k:{ktype}, j:int, x:int);\n"
        f"R = LOAD 'r.txt' AS (k:{ktype}, j:int, y:double);\n"
    )


def run(tmp: Path, left, right, script: str, config: str = "local") -> list[tuple]:
    """The stored rows, each field parsed (null, int, float, else the text)."""
    mode, sets = CONFIGS[config]
    tmp.mkdir(parents=True, exist_ok=True)
    write(tmp / "l.txt", left)
    write(tmp / "r.txt", right)
    out = tmp / "out"
    log = io.StringIO()
    text_ = sets + script + f"\nSTORE E INTO '{out.as_uri()}';"
    status = run_script(text_, exec_type=mode, cwd=tmp, filename="t.pig", out=log)
    assert status == 0, log.getvalue()
    rows = []
    for part in sorted(out.glob("part-*")):
        lines = part.read_text().splitlines()
        rows += [tuple(parse(f) for f in line.split("\t")) for line in lines]
    return rows


def parse(f: str):
    if f == "":
        return None
    for conv in (int, float):
        try:
            return conv(f)
        except ValueError:
            pass
    return f


def joined(left, right, lk: Callable, rk: Callable) -> list[tuple]:
    """Plain Python's inner join, per right row every left row (a null key never matches)."""
    return [lt + r for r in right for lt in left if not has_null(lk(lt)) and lk(lt) == rk(r)]


def has_null(key) -> bool:
    return key is None or (type(key) is tuple and None in key)


def grouped(rows: list[tuple], key: Callable) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out


def values(bag, c) -> list:
    return [r[c] for r in bag if r[c] is not None]


def total(bag, c):
    vs = values(bag, c)
    return sum(vs) if vs else None


def average(bag, c):
    vs = values(bag, c)
    return sum(vs) / len(vs) if vs else None


def same(got: list[tuple], want: list[tuple]) -> bool:
    """The same rows (in any order), floats within a relative 1e-9 (Pig sums in any order)."""
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


def jobs(script: str) -> list:
    plan = build_text(script + "\nSTORE E INTO 'out';")
    store = next(op.op_id for op in plan.operators if op.name == "LOStore")
    return compile_sink(plan, store).jobs


def fused(script: str) -> bool:
    found = jobs(script)
    return len(found) == 1 and found[0].spec.group is not None


def rows_of(ktype: str, value) -> st.SearchStrategy:
    row = st.tuples(st.sampled_from(KEYS[ktype]), st.sampled_from([1, 2, None]), value)
    return st.lists(row, max_size=14)


INTS = st.one_of(st.none(), st.integers(-5, 40))
DOUBLES = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)))

AGGS = """C = JOIN L BY k, R BY k;
D = GROUP C BY {key};
E = FOREACH D GENERATE group, SUM(C.y), COUNT(C), AVG(C.x), MIN(C.y), MAX(C.x),
    COUNT_STAR(C), SUM(C.x), MIN(C.R::j);"""


def want_aggs(left, right) -> list[tuple]:
    rows = joined(left, right, lambda t: t[0], lambda t: t[0])
    out = []
    for g, bag in grouped(rows, lambda t: t[0]).items():
        mn_y = min(values(bag, 5), default=None)
        mx_x = max(values(bag, 2), default=None)
        mn_j = min(values(bag, 4), default=None)
        out.append((g, total(bag, 5), len(bag), average(bag, 2), mn_y, mx_x, len(bag)))
        out[-1] += (total(bag, 2), mn_j)
    return out


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("ktype", list(KEYS))
@SLOW_OK
@given(data=st.data())
def test_aggregates(tmp_path_factory, config: str, ktype: str, data) -> None:
    left = data.draw(rows_of(ktype, INTS), "left")
    right = data.draw(rows_of(ktype, DOUBLES), "right")
    key = data.draw(st.sampled_from(["$0", "L::k", "R::k"]), "key")
    script = loads(ktype) + AGGS.format(key=key)
    assert fused(script)
    got = run(tmp_path_factory.mktemp("aggs"), left, right, script, config)
    assert same(got, want_aggs(left, right)), (got, want_aggs(left, right))


NESTED = """C = JOIN L BY k, R BY k;
D = GROUP C BY L::k;
E = FOREACH D {
    f = FILTER C BY y > 0.0;
    d = DISTINCT C.x;
    o = ORDER C BY y;
    GENERATE group, COUNT(f), SUM(f.y), COUNT(d), SIZE(o);
};"""


@pytest.mark.parametrize("config", ["local", "closures", "parallel", "mapreduce"])
@SLOW_OK
@given(left=rows_of("chararray", INTS), right=rows_of("chararray", DOUBLES))
def test_nested_filter_distinct_order(tmp_path_factory, config: str, left, right) -> None:
    script = loads("chararray") + NESTED
    assert fused(script)
    got = run(tmp_path_factory.mktemp("nested"), left, right, script, config)
    want = []
    for g, bag in grouped(joined(left, right, _k, _k), _k).items():
        f = [r for r in bag if r[5] is not None and r[5] > 0.0]
        d = {r[2] for r in bag}  # COUNT of the distinct x: the null x's row is skipped
        want.append((g, len(f), total(f, 5), len(d - {None}), len(bag)))
    assert same(got, want), (got, want)


def _k(t: tuple):
    return t[0]


FLAT = """C = JOIN L BY k, R BY k;
D = GROUP C BY R::k;
E = FOREACH D GENERATE group, FLATTEN(C.(x, y)), COUNT(C);"""


@pytest.mark.parametrize("config", ["local", "parallel", "mapreduce"])
@SLOW_OK
@given(left=rows_of("int", INTS), right=rows_of("int", DOUBLES))
def test_flatten_of_the_bag(tmp_path_factory, config: str, left, right) -> None:
    script = loads("int") + FLAT
    assert fused(script)
    got = run(tmp_path_factory.mktemp("flat"), left, right, script, config)
    groups = grouped(joined(left, right, _k, _k), _k)
    want = [(g, r[2], r[5], len(bag)) for g, bag in groups.items() for r in bag]
    assert same(got, want), (got, want)


REORDERED = """C = JOIN L BY k, R BY k;
P = FOREACH C GENERATE R::y AS y, {key} AS g, L::x AS x;
D = GROUP P BY g;
E = FOREACH D GENERATE group, SUM(P.y), MAX(P.x), COUNT(P);"""


@pytest.mark.parametrize("config", ["local", "closures", "mapreduce"])
@SLOW_OK
@given(data=st.data())
def test_projection_between_reorders_the_sides(tmp_path_factory, config: str, data) -> None:
    """A FOREACH of plain columns between the JOIN and the GROUP, a right column first."""
    left = data.draw(rows_of("double", INTS), "left")
    right = data.draw(rows_of("double", DOUBLES), "right")
    key = data.draw(st.sampled_from(["L::k", "R::k"]), "key")
    script = loads("double") + REORDERED.format(key=key)
    assert fused(script)
    got = run(tmp_path_factory.mktemp("reordered"), left, right, script, config)
    groups = grouped(joined(left, right, _k, _k), _k)
    want = [  # COUNT skips the rows whose first field (y) is null
        (g, total(b, 5), max(values(b, 2), default=None), len(values(b, 5)))
        for g, b in groups.items()
    ]
    assert same(got, want), (got, want)


TWO = """C = JOIN L BY (k, j), R BY (k, j);
D = GROUP C BY ({first}, {second}) PARALLEL 3;
E = FOREACH D GENERATE FLATTEN(group), COUNT(C), SUM(C.y), MAX(C.x);"""


@pytest.mark.parametrize("config", ["local", "closures", "mapreduce"])
@SLOW_OK
@given(data=st.data())
def test_two_column_key(tmp_path_factory, config: str, data) -> None:
    left = data.draw(rows_of("chararray", INTS), "left")
    right = data.draw(rows_of("chararray", DOUBLES), "right")
    first = data.draw(st.sampled_from(["L::k", "R::k", "$0"]), "first")
    second = data.draw(st.sampled_from(["L::j", "R::j", "$1"]), "second")
    script = loads("chararray") + TWO.format(first=first, second=second)
    assert fused(script)
    assert jobs(script)[0].reducers == 3  # the GROUP's PARALLEL
    got = run(tmp_path_factory.mktemp("two"), left, right, script, config)
    key = lambda t: (t[0], t[1])  # noqa: E731
    want = [
        (*g, len(bag), total(bag, 5), max(values(bag, 2), default=None))
        for g, bag in grouped(joined(left, right, key, key), key).items()
    ]
    assert same(got, want), (got, want)


def test_big_groups_spill(tmp_path: Path) -> None:
    """Groups past CHECK_ROWS joined rows, the bag and the held left rows spilled to disk."""
    left = [("a", 1, i) for i in range(3)] + [("b", 2, 5), (None, 1, 1)] + [("c", 1, 7)] * 70
    right = [("a", 1, float(i % 97) + 0.25) for i in range(3000)] + [("b", 3, None)]
    right += [("c", 2, 1.5)] * 80 + [(None, 1, 2.0)]
    sets = "SET pig.cachedbag.memusage 0.00001;\nSET pig.join.spill.records 2;\n"
    script = loads("chararray") + AGGS.format(key="$0")
    for config in ("local", "mapreduce"):
        got = run(tmp_path / config, left, right, sets + script, config)
        assert same(got, want_aggs(left, right)), config
    # the joined rows in another order than the inputs' (each whole row projected)
    reordered = loads("chararray") + REORDERED.format(key="L::k")
    got = run(tmp_path / "reordered", left, right, sets + reordered, "local")
    groups = grouped(joined(left, right, _k, _k), _k)
    want = [  # COUNT skips the rows whose first field (y) is null
        (g, total(b, 5), max(values(b, 2), default=None), len(values(b, 5)))
        for g, b in groups.items()
    ]
    assert same(got, want)


LEFT_OUTER = """C = JOIN L BY k LEFT OUTER, R BY k;
D = GROUP C BY L::k;
E = FOREACH D GENERATE group, COUNT_STAR(C), SUM(C.y);"""


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(left=rows_of("chararray", INTS), right=rows_of("chararray", DOUBLES))
def test_left_outer_join_is_not_fused(tmp_path_factory, config: str, left, right) -> None:
    script = loads("chararray") + LEFT_OUTER
    assert not fused(script) and len(jobs(script)) == 2
    got = run(tmp_path_factory.mktemp("outer"), left, right, script, config)
    rows = []
    for lt in left:  # every left row; a null key or no match: padded with nulls
        ms = [r for r in right if lt[0] is not None and r[0] == lt[0]]
        rows += [lt + r for r in ms] or [lt + (None, None, None)]
    want = [(g, len(bag), total(bag, 5)) for g, bag in grouped(rows, _k).items()]
    assert same(got, want), (got, want)


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(left=rows_of("int", INTS), right=rows_of("int", DOUBLES))
def test_group_on_another_column_is_not_fused(tmp_path_factory, config, left, right) -> None:
    script = loads("int") + "C = JOIN L BY k, R BY k;\nD = GROUP C BY R::j;\n"
    script += "E = FOREACH D GENERATE group, COUNT(C), SUM(C.x);"
    assert not fused(script) and len(jobs(script)) == 2
    got = run(tmp_path_factory.mktemp("other"), left, right, script, config)
    groups = grouped(joined(left, right, _k, _k), lambda t: t[4])
    assert same(got, [(g, len(bag), total(bag, 2)) for g, bag in groups.items()])


def test_joined_rows_also_stored(tmp_path: Path) -> None:
    """The join's rows read by a STORE too: two jobs for E, both outputs right."""
    left = [("a", 1, 2), ("a", 2, 3), ("b", 1, 4), (None, 1, 5)]
    right = [("a", 1, 0.5), ("b", 1, 1.5), ("b", 2, 2.5), ("c", 1, 9.0), (None, 1, 1.0)]
    script = loads("chararray") + "C = JOIN L BY k, R BY k;\nD = GROUP C BY $0;\n"
    script += "E = FOREACH D GENERATE group, SUM(C.y), COUNT(C);\n"
    assert not fused(script + "STORE C INTO 'joined';")
    for config in ("local", "mapreduce"):
        joined_out = tmp_path / config / "joined"
        got = run(
            tmp_path / config,
            left,
            right,
            script + f"STORE C INTO '{joined_out.as_uri()}';",
            config,
        )
        assert same(got, [("a", 1.0, 2), ("b", 4.0, 2)])
        stored = [ln for p in joined_out.glob("part-*") for ln in p.read_text().splitlines()]
        assert sorted(stored) == [
            "a\t1\t2\ta\t1\t0.5",
            "a\t2\t3\ta\t1\t0.5",
            "b\t1\t4\tb\t1\t1.5",
            "b\t1\t4\tb\t2\t2.5",
        ]
    body = "C = JOIN L BY k, R BY k;\nD = GROUP C BY $0;\nE = FOREACH D GENERATE group;\n"
    body += "X = FOREACH C GENERATE x;\nSTORE X INTO 'x';\nSTORE E INTO 'e';"
    text_ = explain_text(loads("chararray") + body, "E")
    assert "in the join's reduce" not in text_


@pytest.mark.parametrize(
    "body",
    [
        # the key cast, an expression, a subset or a superset of the join key, another order
        "C = JOIN L BY k, R BY k;\nD = GROUP C BY (chararray)L::k;",
        "C = JOIN L BY j, R BY j;\nD = GROUP C BY L::j + 0;",
        "C = JOIN L BY (k, j), R BY (k, j);\nD = GROUP C BY L::k;",
        "C = JOIN L BY k, R BY k;\nD = GROUP C BY (L::k, L::j);",
        "C = JOIN L BY (k, j), R BY (k, j);\nD = GROUP C BY (L::j, L::k);",
        # other joins, and a FILTER between
        "C = JOIN L BY k LEFT OUTER, R BY k;\nD = GROUP C BY L::k;",
        "C = JOIN L BY k RIGHT OUTER, R BY k;\nD = GROUP C BY R::k;",
        "C = JOIN L BY k FULL OUTER, R BY k;\nD = GROUP C BY L::k;",
        "C = JOIN L BY k, R BY k USING 'replicated';\nD = GROUP C BY L::k;",
        "C = JOIN L BY k, R BY k USING 'skewed';\nD = GROUP C BY L::k;",
        "C = JOIN L BY k, R BY k;\nF = FILTER C BY x > 1;\nSTORE F INTO 'f';\nD = GROUP C BY L::k;",
        "J = JOIN L BY k, R BY k;\nC = FILTER J BY x > y;\nD = GROUP C BY L::k;",
        "C = JOIN L BY k, R BY k;\nD = GROUP C ALL;",
        "C = JOIN L BY k, R BY (chararray)j;\nD = GROUP C BY L::k;",
        "C = JOIN L BY x, R BY j;\nD = GROUP C BY L::j;",
        "C = JOIN L BY j, R BY y;\nD = GROUP C BY L::j;",
        "C = JOIN L BY k, R BY k;\nD = COGROUP C BY L::k, R BY k;",
    ],
)
def test_not_fused(body: str) -> None:
    script = loads("chararray") + body + "\nE = FOREACH D GENERATE group, COUNT(C);"
    assert not any(job.spec.group for job in jobs(script))
    assert "in the join's reduce" not in explain_text(script + "\nSTORE E INTO 'e';", "E")


def test_explain_and_switch(tmp_path: Path) -> None:
    """EXPLAIN shows the GROUP in the join's reduce; the rule name switches it off (two jobs,
    the same rows)."""
    script = loads("chararray") + AGGS.format(key="$0")
    text_ = explain_text(script + "\nSTORE E INTO 'e';", "E")
    assert (
        "(join, reducers estimated at launch from the input size; "
        "GROUP D on the join key in the join's reduce)"
    ) in text_
    reduce_plan = text_.split("\nReduce Plan\n")[1].splitlines()[0]
    assert (
        "POJoin" in reduce_plan and "D: POCogroup" in reduce_plan and "E: POForEach" in reduce_plan
    )
    off = "SET pig.optimizer.rules.disabled 'JoinGroupFusion';\n"
    assert not fused(off + script) and len(jobs(off + script)) == 2
    assert "in the join's reduce" not in explain_text(off + script + "\nSTORE E INTO 'e';", "E")
    left = [("a", 1, 2), ("a", 2, None), ("b", 1, 4), (None, 1, 5), ("d", 1, 1)]
    right = [("a", 1, 0.5), ("a", 1, 0.25), ("b", 1, None), ("c", 1, 9.0), (None, 1, 1.0)]
    for s in (script, off + script):
        assert same(run(tmp_path / str(len(s)), left, right, s), want_aggs(left, right))


def test_parallel_of_the_join_when_the_group_has_none() -> None:
    script = loads("int") + "C = JOIN L BY k, R BY k PARALLEL 2;\nD = GROUP C BY $0;\n"
    script += "E = FOREACH D GENERATE group, COUNT(C);"
    assert fused(script) and jobs(script)[0].reducers == 2 and not jobs(script)[0].estimate
    both = script.replace("GROUP C BY $0", "GROUP C BY $0 PARALLEL 4")
    assert fused(both) and jobs(both)[0].reducers == 4 and not jobs(both)[0].estimate
    group = both.replace(" PARALLEL 2", "")
    assert fused(group) and jobs(group)[0].reducers == 4 and not jobs(group)[0].estimate
    neither = script.replace(" PARALLEL 2", "")  # left to the launcher's estimate
    assert fused(neither) and jobs(neither)[0].estimate


SEVERAL = """C = JOIN L BY k, R BY k;
D = GROUP C BY $0;
E = FOREACH D GENERATE group, SUM(C.y) AS s, COUNT(C) AS n;
F = FILTER E BY n > 1;
DUMP F;
G = ORDER E BY n DESC, group;
DUMP G;
DUMP D;
T = FOREACH (GROUP L ALL) GENERATE COUNT(L) AS c;
H = FOREACH D GENERATE group, COUNT(C) * T.c;
DUMP H;"""


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_group_read_several_times_dumped_ordered_and_with_a_scalar(tmp_path: Path, mode) -> None:
    """The GROUP's rows (made in the join's reduce) read by a FOREACH with a FILTER, an ORDER,
    a DUMP of the bags and a FOREACH reading a scalar; the switch gives the same lines."""
    write(tmp_path / "l.txt", [("a", 1, 2), ("a", 2, 3), ("b", 1, 4), (None, 1, 5), ("d", 1, 1)])
    write(tmp_path / "r.txt", [("a", 1, 0.5), ("a", 1, 0.25), ("b", 1, None), ("c", 1, 9.0)])
    want = [
        "(a,1.5,4)",  # F
        "(a,1.5,4)",  # G: a before b
        "(b,,1)",
        "(a,{(a,1,2,a,1,0.5),(a,2,3,a,1,0.5),(a,1,2,a,1,0.25),(a,2,3,a,1,0.25)})",
        "(b,{(b,1,4,b,1,)})",
        "(a,16)",  # COUNT(C) * COUNT(L): COUNT(L) skips the null key's row
        "(b,4)",
    ]
    script = loads("chararray") + SEVERAL
    for sets in ("", "SET pig.optimizer.rules.disabled 'JoinGroupFusion';\n"):
        log = io.StringIO()
        assert run_script(sets + script, exec_type=mode, cwd=tmp_path, out=log) == 0
        printed = [ln for ln in log.getvalue().splitlines() if ln.startswith("(")]
        assert printed[:3] == want[:3] and sorted(printed[3:5]) == want[3:5]
        assert sorted(printed[5:]) == want[5:]


CAST = """C = JOIN L BY k, R BY k;
D = GROUP C BY (long)L::k;
E = FOREACH D GENERATE group, COUNT(C), SUM(C.y);"""


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(left=rows_of("int", INTS), right=rows_of("int", DOUBLES))
def test_cast_key_is_not_fused(tmp_path_factory, config: str, left, right) -> None:
    script = loads("int") + CAST
    assert not fused(script) and len(jobs(script)) == 2
    got = run(tmp_path_factory.mktemp("cast"), left, right, script, config)
    groups = grouped(joined(left, right, _k, _k), _k)
    assert same(got, [(g, len(bag), total(bag, 5)) for g, bag in groups.items()])


FILTERED = """F = FILTER L BY j IS NULL OR j > 1 OR x IS NULL OR x > 1;
C = JOIN F BY k, R BY k;
D = GROUP C BY F::k;
E = FOREACH D GENERATE group, SUM(C.y), MAX(C.x), COUNT_STAR(C);"""


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@SLOW_OK
@given(left=rows_of("chararray", INTS), right=rows_of("chararray", DOUBLES))
def test_filtered_left_input(tmp_path_factory, config: str, left, right) -> None:
    """A left input whose row width the plan does not vouch for (a FILTER): the joined rows
    are made whole and projected, as the join's own reduce does."""
    script = loads("chararray") + FILTERED
    assert fused(script)
    got = run(tmp_path_factory.mktemp("filtered"), left, right, script, config)
    kept = [r for r in left if r[1] is None or r[1] > 1 or r[2] is None or r[2] > 1]
    groups = grouped(joined(kept, right, _k, _k), _k)
    want = [(g, total(b, 5), max(values(b, 2), default=None), len(b)) for g, b in groups.items()]
    assert same(got, want), (got, want)
