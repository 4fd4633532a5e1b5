"""The back end's fast paths give what plain Python computes: map-side aggregation with
FLATTEN(group), pushed-down projections, generated pipelines. Expected rows come from plain
Python and a small formatter written here (PigStorage text: tab-separated, null empty)."""

from __future__ import annotations

import collections
import io
import random
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.mrcompiler import algebraic_aggregates
from piglatin.front.builder import build_text
from piglatin.launcher import run_script


def stored(tmp_path: Path, script: str, out: str = "out", exec_type: str = "local") -> list[str]:
    log = io.StringIO()
    assert run_script(script, exec_type=exec_type, cwd=tmp_path, filename="t.pig", out=log) == 0
    lines = []
    for part in sorted((tmp_path / out).glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


def text(*fields) -> str:
    return "\t".join("" if f is None else str(f) for f in fields)


def rows(n: int, seed: int = 7) -> list[tuple]:
    rnd = random.Random(seed)
    pick = lambda xs: rnd.choice(xs)  # noqa: E731
    return [
        (pick(["a", "b", "c", None]), pick([1, 2, None]), pick([5, -3, 10, None]))
        for _ in range(n)
    ]


def write(path: Path, data: list[tuple]) -> None:
    path.write_text("".join(text(*r) + "\n" for r in data))


def test_flatten_group_with_aggregates_is_combined_and_right(tmp_path: Path) -> None:
    data = rows(3000)
    write(tmp_path / "a.txt", data)
    script = """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        B = GROUP A BY (k, j);
        C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), COUNT(A), MAX(A.n);
        STORE C INTO 'out';"""
    plan = build_text(script)
    group = next(op for op in plan.operators if type(op).__name__ == "LOCogroup")
    fe = next(op for op in plan.operators if group.op_id in op.inputs)
    assert algebraic_aggregates(plan, group, [fe.op_id]) is not None  # the combiner path
    groups = defaultdict(list)
    for k, j, n in data:
        groups[(k, j)].append(n)
    want = []
    for (k, j), ns in groups.items():
        vals = [n for n in ns if n is not None]
        total = sum(vals) if vals else None
        count = len(ns) if k is not None else 0  # COUNT skips tuples whose first field is null
        want.append(text(k, j, total, count, max(vals) if vals else None))
    assert stored(tmp_path, script) == sorted(want)


@pytest.mark.parametrize("exec_type", ["local", "mapreduce"])
def test_flatten_of_a_single_key_group(tmp_path: Path, exec_type: str) -> None:
    data = rows(500, seed=3)
    write(tmp_path / "a.txt", data)
    script = """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        B = GROUP A BY k;
        C = FOREACH B GENERATE FLATTEN(group) AS k, COUNT(A.n) AS c;
        STORE C INTO 'file://OUT';""".replace("OUT", str(tmp_path / "out"))
    groups = defaultdict(list)
    for k, _j, n in data:
        groups[k].append(n)
    want = [text(k, sum(n is not None for n in ns)) for k, ns in groups.items()]
    assert stored(tmp_path, script, exec_type=exec_type) == sorted(want)


# ------------------------------------------------------------------ generated map pipelines
def _explained_code(tmp_path: Path, script: str) -> str:
    from piglatin.launcher import PigServer

    (tmp_path / "a.txt").write_text("")
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script(script.replace("STORE C INTO 'out';", "EXPLAIN C;"))
    text = out.getvalue()
    return text[text.index("# Generated code") :]


SCRIPT = """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int, m:map[], b:bag{t:(x:int)});
B = FILTER A BY (j > 1 OR n IS NULL) AND k != 'c';
C = FOREACH B GENERATE k, j * n + 2147483647 AS w, (n IS NULL ? -1 : n % 4) AS r,
    m#'q' AS q, FLATTEN(b) AS x;
STORE C INTO 'out';"""


def test_the_same_plan_gives_the_same_code_and_explain_shows_it(tmp_path: Path) -> None:
    first = _explained_code(tmp_path, SCRIPT)
    again = _explained_code(tmp_path, SCRIPT)
    assert first == again
    assert "def map0_batch(_keys, _values):" in first
    assert "_v.split('\\t', " in first  # the load's fields are split inline
    assert "for _r" in first  # FLATTEN(b) is a loop, not a call
    other = _explained_code(tmp_path, SCRIPT.replace("j > 1", "j > 2"))
    assert other != first and "> 2" in other


def _expected(data: list[tuple]) -> list[str]:
    """SCRIPT in plain Python: Pig's null rules, Java int wrap-around, FLATTEN of a null bag
    giving one null row and of an empty bag none."""
    out = []
    for k, j, n, m, b in data:
        left = None if j is None else j > 1
        either = True if left is True or n is None else (None if left is None else False)
        keep = None if k is None else k != "c"
        cond = False if either is False or keep is False else (
            None if either is None or keep is None else True)
        if cond is not True:
            continue
        w = None if j is None or n is None else j * n + 2147483647
        if w is not None:
            w = (w + 2**31) % 2**32 - 2**31
        r = -1 if n is None else (abs(n) % 4) * (1 if n >= 0 else -1)
        q = None if m is None else m.get("q")
        for x in [None] if b is None else b:
            out.append(text(k, w, r, q, x))
    return sorted(out)


def _pig_text(k, j, n, m, b) -> str:
    mt = "" if m is None else "[" + ",".join(f"{a}#{v}" for a, v in m.items()) + "]"
    bt = "" if b is None else "{" + ",".join(f"({x})" for x in b) + "}"
    return text(k, j, n, mt, bt)


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_generated_pipeline_equals_plain_python(tmp_path: Path, codegen: str) -> None:
    rnd = random.Random(11)
    data = [
        (
            rnd.choice(["a", "c", None]),
            rnd.choice([0, 2, 3, None, 2**20]),
            rnd.choice([-7, 5, None, 2**12]),
            rnd.choice([None, {}, {"q": "v1"}, {"q": "v2", "z": "w"}]),
            rnd.choice([None, [], [1], [2, 3]]),
        )
        for _ in range(400)
    ]
    (tmp_path / "a.txt").write_text("".join(_pig_text(*r) + "\n" for r in data))
    got = stored(tmp_path, f"SET pig.codegen '{codegen}';\n" + SCRIPT)
    assert got == _expected(data)


def test_rows_that_do_not_fit_take_the_closures(tmp_path: Path) -> None:
    """A bag element or an intermediate record of another width than the schema's gives
    what the closure pipeline gives (generated code only handles the promised widths)."""
    (tmp_path / "a.txt").write_text("a\t{(1),(2,3),()}\nb\t{(4)}\n")
    script = """A = LOAD 'a.txt' AS (k:chararray, b:bag{t:(x:int)});
        B = FOREACH A GENERATE k, FLATTEN(b);
        C = FILTER B BY k IS NOT NULL;
        STORE C INTO 'out';"""
    closures = stored(tmp_path, "SET pig.codegen 'false';\n" + script)
    shutil.rmtree(tmp_path / "out")
    assert stored(tmp_path, script) == closures
    assert "a\t2\t3" in closures  # a row wider than the schema's: the closures' path was taken


_VALUES = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=4),
    st.lists(st.tuples(st.integers(0, 9)), max_size=2),
    st.dictionaries(st.sampled_from("ab"), st.integers(0, 9), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["chararray", "int", "long", "double", "bytearray", "map"]),
             min_size=1, max_size=4),
    st.lists(_VALUES, max_size=5),
    st.sampled_from(["\t", ",", "|"]),
)
def test_generated_line_writer_writes_what_pigstorage_writes(types, row, sep) -> None:
    """The generated PigStorage line for any row (values of other types than declared,
    nulls, raw bytes, rows of another width) has exactly PigStorage.format's bytes."""
    from piglatin.back.codegen import text_line_tail
    from piglatin.back.storage import PigStorage
    from piglatin.model.schema import DataType

    storer = PigStorage(sep)
    (key, line), = text_line_tail([DataType(t) for t in types], sep, storer.format)(tuple(row))
    assert key is None
    want = storer.format(tuple(row))
    assert (line if type(line) is bytes else line.encode("utf-8")) == want


@pytest.mark.parametrize("storage", ["BinStorage", "JsonStorage"])
def test_projection_pushed_into_binstorage_and_json(tmp_path: Path, storage: str) -> None:
    """A stored relation read back with only some of its columns used: the loader takes the
    projection (no projection stage runs) and the rows are what plain Python computes."""
    data = rows(300, seed=5)
    write(tmp_path / "a.txt", data)
    json = "JsonLoader('k:chararray, j:int, n:int')"
    loader = "BinStorage()" if storage == "BinStorage" else json
    first = f"""A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        STORE A INTO 'mid' USING {storage}();"""
    assert run_script(first, exec_type="local", cwd=tmp_path, out=io.StringIO()) == 0
    script = f"""A = LOAD 'mid' USING {loader} AS (k:chararray, j:int, n:int);
        B = FILTER A BY n IS NOT NULL AND n > 0;
        C = FOREACH B GENERATE n, k;
        STORE C INTO 'out';"""
    plan = build_text(script)
    from piglatin.back.runtime import make_reader, optimize

    plan = optimize(plan)
    load = next(op for op in plan.operators if type(op).__name__ == "LOLoad")
    reader = make_reader(load, (0, 2))
    assert reader.pushed
    want = sorted(text(n, k) for k, _j, n in data if n is not None and n > 0)
    assert stored(tmp_path, script) == want


_KEY_VALUES = st.one_of(
    st.none(), st.text(max_size=4), st.integers(-(2**70), 2**70), st.floats(), st.booleans(),
    st.binary(max_size=3), st.tuples(st.integers(0, 3)),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["chararray", "int", "long", "double", "bytearray", "boolean"]),
             min_size=1, max_size=4),
    st.data(),
)
def test_generated_key_encoder_gives_sort_bytes(types, draw) -> None:
    """A key's generated encoder gives data.sort_bytes' bytes for any value, of the declared
    types or not (a UDF may return anything; a null; a tuple of another width)."""
    from piglatin.back.codegen import key_encoder, row_encoder
    from piglatin.model.data import sort_bytes
    from piglatin.model.schema import DataType

    encode = key_encoder([DataType(t) for t in types])
    if len(types) == 1:
        key = draw.draw(_KEY_VALUES)
    else:
        key = draw.draw(st.one_of(st.none(), st.tuples(*[_KEY_VALUES] * len(types)),
                                  st.tuples(_KEY_VALUES)))
    assert encode(key) == sort_bytes(key)
    row = draw.draw(st.one_of(st.none(), st.tuples(*[_KEY_VALUES] * len(types)),
                              st.tuples(_KEY_VALUES), st.tuples()))
    assert row_encoder([DataType(t) for t in types])(row) == sort_bytes(row)


@pytest.mark.parametrize("join_type", ["", "LEFT OUTER"])
def test_generated_replicated_join_equals_plain_python(tmp_path: Path, join_type: str) -> None:
    """Replicated join inlined into the map pipeline: several matches, none, null keys, a
    left outer join's unmatched rows padded with nulls, then a FILTER on a side column."""
    big = rows(600, seed=9)
    small = [("a", "x1"), ("a", "x2"), ("b", None), (None, "n"), ("d", "y")]
    write(tmp_path / "a.txt", big)
    write(tmp_path / "s.txt", small)
    script = f"""A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        S = LOAD 's.txt' AS (k:chararray, v:chararray);
        C = JOIN A BY k {join_type}, S BY k USING 'replicated';
        D = FILTER C BY S::v IS NULL OR S::v != 'x2';
        E = FOREACH D GENERATE A::k, n, S::v;
        STORE E INTO 'out';"""
    want = []
    for k, _j, n in big:
        matches = [s for s in small if k is not None and s[0] == k]
        if not matches and join_type:
            matches = [(None, None)]
        for _sk, v in matches:
            if v is None or v != "x2":
                want.append(text(k, n, v))
    assert stored(tmp_path, script) == sorted(want)
    explained = _explained_code(tmp_path, script.replace("STORE E INTO", "STORE C INTO"))
    assert re.search(r"_table\d+\.get\(", explained)  # the side table is probed inline


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_replicated_join_keys_of_other_types_meet(tmp_path: Path, codegen: str) -> None:
    """Keys looked up by value (same plain types both sides) or by sort bytes (int against
    long or double: Pig compares the numbers) find the same matches as plain Python."""
    write(tmp_path / "a.txt", [(1, "a"), (2, "b"), (None, "-"), (3, "c")])
    write(tmp_path / "b.txt", [(1, "X"), (3, "Y"), (3, "Z"), (None, "N")])
    got = {}
    for right in ("int", "long", "double"):
        out = f"out_{right}"
        got[right] = stored(
            tmp_path,
            f"""SET pig.codegen '{codegen}';
            A = LOAD 'a.txt' AS (k:int, s:chararray);
            B = LOAD 'b.txt' AS (k:{right}, t:chararray);
            C = JOIN A BY k, B BY k USING 'replicated';
            D = FOREACH C GENERATE A::s, B::t;
            STORE D INTO '{out}';""",
            out=out,
        )
    want = sorted(text(s, t) for k, s in [(1, "a"), (3, "c")] for k2, t in
                  [(1, "X"), (3, "Y"), (3, "Z")] if k == k2)
    assert got == {"int": want, "long": want, "double": want}


# ------------------------------------------------------------ column pruning through GROUP
def test_group_reading_bag_columns_loads_only_those(tmp_path: Path) -> None:
    """GROUP then aggregates of some bag columns: the other columns are pruned before the
    GROUP and never parsed (a malformed map in an unused column is no warning), and the
    answers are plain Python's; a bag used whole (emitted: ``GENERATE group, A``) keeps every
    column (COUNT(A) reads only the first: tests/piglatin/test_prune_bags.py)."""
    data = rows(500, seed=21)
    lines = [text(k, j, n, "[broken" if i % 7 == 0 else "[a#1]") for i, (k, j, n) in
             enumerate(data)]
    (tmp_path / "a.txt").write_text("".join(line + "\n" for line in lines))
    script = """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int, m:map[]);
        B = GROUP A BY k;
        C = FOREACH B GENERATE group, SUM(A.n), COUNT(A.j), MAX(A.(n));
        STORE C INTO 'out';"""
    out = io.StringIO()
    from piglatin.launcher import PigServer

    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script(script)
        counters = server.stats[0]["counters"].to_dict()
    assert "org.apache.pig.PigWarning" not in counters  # the map column was never parsed
    groups = defaultdict(list)
    for k, j, n in data:
        groups[k].append((j, n))
    want = []
    for k, pairs in groups.items():
        ns = [n for _j, n in pairs if n is not None]
        js = [j for j, _n in pairs if j is not None]
        want.append(text(k, sum(ns) if ns else None, len(js), max(ns) if ns else None))
    got = sorted(p for part in (tmp_path / "out").glob("part-*")
                 for p in part.read_text().splitlines())
    assert got == sorted(want)
    whole = script.replace("COUNT(A.j)", "A").replace("'out'", "'out2'")
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as server:
        server.register_script(whole)
        counters = server.stats[0]["counters"].to_dict()
    assert counters["org.apache.pig.PigWarning"] == {
        "FIELD_DISCARDED_TYPE_CONVERSION_FAILED": sum(1 for i in range(500) if i % 7 == 0)
    }


def test_cogroup_prunes_each_input_by_its_own_bag(tmp_path: Path) -> None:
    left, right = rows(300, seed=1), rows(200, seed=2)
    write(tmp_path / "a.txt", left)
    write(tmp_path / "b.txt", right)
    script = """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        B = LOAD 'b.txt' AS (k:chararray, j:int, n:int);
        C = COGROUP A BY k, B BY k;
        D = FOREACH C GENERATE group, SUM(A.n), SUM(B.j), COUNT(B.j);
        STORE D INTO 'out';"""
    def total(xs):
        xs = [x for x in xs if x is not None]
        return sum(xs) if xs else None

    keys = ({r[0] for r in left} | {r[0] for r in right}) - {None}
    want = []
    for k in keys:
        a = [r for r in left if r[0] == k]
        b = [r for r in right if r[0] == k]
        count_b = sum(1 for r in b if r[1] is not None)
        want.append(text(k, total(r[2] for r in a), total(r[1] for r in b), count_b))
    # null keys of different inputs never group together: one group per input
    want.append(text(None, total(r[2] for r in left if r[0] is None), None, 0))
    nulls = [r for r in right if r[0] is None]
    want.append(text(None, None, total(r[1] for r in nulls), sum(r[1] is not None for r in nulls)))
    assert stored(tmp_path, script) == sorted(want)
    from piglatin.plan.optimizer import optimize

    plan = optimize(build_text(script))
    group = next(op for op in plan.operators if type(op).__name__ == "LOCogroup")
    widths = [len(plan.op(i).schema) for i in group.inputs]
    assert widths == [2, 2]  # A keeps (k, n), B keeps (k, j): both inputs were pruned


def test_group_and_join_map_outputs_are_written_inline(tmp_path: Path) -> None:
    """A plain GROUP's and a hash JOIN's map records are built in the generated code
    (key bytes, (tag, packed row)), grouped there by key; a join's null keys are dropped
    (inner) there too. (EXPLAIN prints the code the map task runs, key groups included.)"""
    group = _explained_code(tmp_path, """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        B = GROUP A BY (k, j); C = FOREACH B GENERATE group, A; STORE C INTO 'out';""")
    assert "_out.append((_k" in group and "_tail" not in group
    join = _explained_code(tmp_path, """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        S = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        C = JOIN A BY k, S BY k; STORE C INTO 'out';""")
    # one chararray key: its rows are held by the key's value (`mapgroups.KeyGroups`)
    assert "_gv.get(c" in join and "_tail" not in join
    assert "is None:" in join  # null keys never match


def test_map_side_aggregation_turns_off_for_distinct_keys(tmp_path: Path, caplog) -> None:
    """Pig's pig.exec.mapPartAgg.minReduction: keys that do not repeat turn the map-side
    folding off after its sample (and the framework stops combining); the sums stay right."""
    import logging

    rnd = random.Random(11)
    data = [(f"u{i}", rnd.choice([1, 2, None]), rnd.randrange(-50, 50)) for i in range(25_000)]
    data += [("u7", 3, 5), ("u7", 3, 6)]  # one key that does repeat
    write(tmp_path / "a.txt", data)
    caplog.set_level(logging.INFO, logger="piglatin.back.aggregates")
    got = stored(
        tmp_path,
        """A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        B = GROUP A BY (k, j);
        C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), AVG(A.n);
        STORE C INTO 'out';""",
    )
    groups = defaultdict(list)
    for k, j, n in data:
        groups[(k, j)].append(n)
    assert got == sorted(text(k, j, sum(v), sum(v) / len(v)) for (k, j), v in groups.items())
    assert "Disabling in-map partial aggregation" in caplog.text


def test_min_reduction_setting_must_be_a_count(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", rows(10))
    log = io.StringIO()
    script = """SET pig.exec.mapPartAgg.minReduction abc;
        A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        STORE A INTO 'out';"""
    from piglatin.errors import PigError

    with pytest.raises(PigError, match="pig.exec.mapPartAgg.minReduction"):
        run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=log)


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_cogroup_map_records_equal_plain_python(tmp_path: Path, codegen: str) -> None:
    """COGROUP's map records (inline in the generated pipeline, or the closures): a null key
    of one input never meets the other input's (one group per input), nor does a multi-field
    key with a null field (Pig's tuple comparator then compares the input index, PIG-927);
    counted per key with plain Python."""
    rnd = random.Random(5)
    left = [(rnd.choice(["a", "b", None]), rnd.choice([1, None])) for _ in range(300)]
    right = [(rnd.choice(["a", "c", None]), rnd.choice([1, 2, None])) for _ in range(300)]
    write(tmp_path / "l.txt", left)
    write(tmp_path / "r.txt", right)
    got = stored(
        tmp_path,
        f"""SET pig.codegen '{codegen}';
        SET pig.exec.nocombiner true; -- the bags' map records, not cogroupaggs.py's partials
        L = LOAD 'l.txt' AS (k:chararray, n:int);
        R = LOAD 'r.txt' AS (k:chararray, n:int);
        C = COGROUP L BY k, R BY k;
        D = FOREACH C GENERATE group, COUNT_STAR(L), COUNT_STAR(R);
        STORE D INTO 'out';
        E = COGROUP L BY (k, n), R BY (k, n);
        F = FOREACH E GENERATE FLATTEN(group), COUNT_STAR(L), COUNT_STAR(R);
        STORE F INTO 'out2';""",
    )
    want = []
    for k in {k for k, _ in left + right if k is not None}:
        want.append(text(k, sum(r[0] == k for r in left), sum(r[0] == k for r in right)))
    want += [text(None, sum(r[0] is None for r in left), 0)] * any(r[0] is None for r in left)
    want += [text(None, 0, sum(r[0] is None for r in right))] * any(r[0] is None for r in right)
    assert got == sorted(want)
    pairs = collections.Counter(left), collections.Counter(right)
    whole = {key for key in set(left) | set(right) if None not in key}
    want2 = [text(*key, pairs[0][key], pairs[1][key]) for key in whole]
    want2 += [text(*key, pairs[0][key], 0) for key in set(left) - whole]  # apart per input
    want2 += [text(*key, 0, pairs[1][key]) for key in set(right) - whole]
    got2 = [line for p in (tmp_path / "out2").glob("part-*") for line in p.read_text().splitlines()]
    assert sorted(got2) == sorted(want2)


@pytest.mark.parametrize("parallel", [1, 3])
def test_order_rows_written_by_the_map_side_keep_the_total_order(tmp_path: Path, parallel) -> None:
    """An ORDER with nothing after it formats each row's line on the map side and its reduce
    side writes them in key order: the part files concatenate to the rows sorted by plain
    Python (nulls first), each line as PigStorage writes it; and BinStorage output reads back
    as the same rows."""
    rnd = random.Random(3)
    data = [
        (
            rnd.choice(["a", "b", "c", None]),
            rnd.choice([0, 2, None, 7]),
            rnd.randrange(-9, 9),
            rnd.choice([None, {}, {"q": "v1"}, {"q": "v2", "z": "w"}]),
            rnd.choice([None, [], [1], [2, 3]]),
        )
        for _ in range(500)
    ]
    (tmp_path / "a.txt").write_text("".join(_pig_text(*r) + "\n" for r in data))
    script = f"""A = LOAD 'a.txt' AS (k:chararray, j:int, n:int, m:map[], b:bag{{t:(x:int)}});
        B = ORDER A BY k DESC, n PARALLEL {parallel};
        STORE B INTO 'out';
        STORE B INTO 'bin' USING BinStorage();
        C = LOAD 'bin' USING BinStorage() AS (k:chararray, j:int, n:int, m:map[], b:bag{{}});
        D = FOREACH C GENERATE k, n;
        STORE D INTO 'back';"""
    log = io.StringIO()
    assert run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=log) == 0
    lines = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        lines += part.read_text().splitlines()
    desc = sorted((r for r in data if r[0] is not None), key=lambda r: r[0], reverse=True)
    expected_keys = [(r[0], r[2]) for r in desc] + [(None, r[2]) for r in data if r[0] is None]
    got_keys = [(ln.split("\t")[0] or None, int(ln.split("\t")[2])) for ln in lines]
    by_k = lambda ks: [k for k, _ in ks]  # noqa: E731
    assert by_k(got_keys) == by_k(expected_keys)
    for k in {r[0] for r in data}:  # within a key, n ascending
        ns = [n for kk, n in got_keys if kk == k]
        assert ns == sorted(ns)
    assert sorted(lines) == sorted(_pig_text(*r) for r in data)
    got_back = []
    for part in sorted((tmp_path / "back").glob("part-*")):
        got_back += part.read_text().splitlines()
    assert sorted(got_back) == sorted(text(r[0], r[2]) for r in data)


def test_map_side_partials_of_every_type_round_trip(tmp_path: Path) -> None:
    """GROUP + MIN/MAX/SUM/AVG/COUNT partials leave the map as plain msgpack when keys and
    columns are atoms, and with Pig's encoding otherwise (a datetime MIN/MAX): both give what
    plain Python computes, under folding and under pass-through (distinct keys)."""
    rnd = random.Random(8)
    rows_ = [
        (rnd.choice(["k1", "k2"]) if i % 2 else f"u{i}", rnd.randrange(1, 28), rnd.randrange(50))
        for i in range(12_000)
    ]
    write(tmp_path / "a.txt", rows_)
    got = stored(
        tmp_path,
        """A = LOAD 'a.txt' AS (k, d:int, n:int);
        B = FOREACH A GENERATE k, ToDate(CONCAT('2020-01-', (d < 10 ? CONCAT('0', (chararray)d)
            : (chararray)d))) AS day, (chararray)n AS s, n;
        C = GROUP B BY k;
        D = FOREACH C GENERATE group, MIN(B.day), MAX(B.s), SUM(B.n), AVG(B.n), COUNT(B);
        STORE D INTO 'out';""",
    )
    groups = defaultdict(list)
    for k, d, n in rows_:
        groups[k].append((d, n))
    want = []
    for k, v in groups.items():
        day = min(d for d, _ in v)
        ns = [n for _, n in v]
        want.append(
            text(k, f"2020-01-{day:02d}T00:00:00.000Z", max(str(n) for n in ns), sum(ns),
                 sum(ns) / len(ns), len(ns))
        )
    assert got == sorted(want)


@pytest.mark.parametrize("form", ["nested", "function"])
def test_nested_distinct_is_combined_and_right(tmp_path: Path, form: str) -> None:
    """Pig's combiner rule for a nested FOREACH whose only nested operation is DISTINCT (of a
    projection of the grouped bag), and its Distinct function: the distinct values are found
    on the map side and in the combiner; COUNT/SUM/AVG of them on the reduce side, as plain
    Python computes them (nulls are one distinct value, COUNT skips it)."""
    rnd = random.Random(4)
    data = [
        (rnd.choice(["a", "b", None]), rnd.choice([1, 2, 3, None]), rnd.choice([5, 7, None]))
        for _ in range(3000)
    ]
    write(tmp_path / "a.txt", data)
    if form == "nested":
        body = """D = FOREACH C { p = A.j; dj = DISTINCT p; dn = DISTINCT A.n;
            GENERATE group, COUNT(dj), SUM(dn), COUNT_STAR(dn); };"""
    else:
        body = """D = FOREACH C GENERATE group, COUNT(org.apache.pig.builtin.Distinct(A.j)), SUM(org.apache.pig.builtin.Distinct(A.n)),
            COUNT_STAR(org.apache.pig.builtin.Distinct(A.n));"""
    script = f"""A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
        C = GROUP A BY k;
        {body}
        STORE D INTO 'out';"""
    plan = build_text(script)
    group = next(op for op in plan.operators if type(op).__name__ == "LOCogroup")
    fe = next(op for op in plan.operators if group.op_id in op.inputs)
    calls = algebraic_aggregates(plan, group, [fe.op_id])
    assert calls is not None and {c.func for c in calls} == {"Distinct"}
    groups = defaultdict(list)
    for k, j, n in data:
        groups[k].append((j, n))
    want = []
    for k, v in groups.items():
        js = {j for j, _ in v}
        ns = {n for _, n in v}
        total = sum(n for n in ns if n is not None)
        want.append(text(k, len(js - {None}), total, len(ns)))
    assert stored(tmp_path, script) == sorted(want)
