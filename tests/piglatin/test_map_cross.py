"""A CROSS whose inputs but one are small runs in a map side (crosschoice.py, crossgrid.py):
its rows equal a plain-Python itertools.product over the inputs (a multiset), with nulls,
empty inputs, two and three inputs, the small input first or last, a one-row input made by
GROUP ALL, a FILTER (theta join) and a GROUP after it, with the generated code, with the
closures (``pig.codegen false``) and with Pig's GFCross (``pig.exec.mapCrossBytes 0``); a
CROSS with PARALLEL stays on the reduce side."""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path

import pytest

from piglatin.back import crosschoice
from piglatin.front.builder import build_text
from piglatin.launcher import PigServer

MODES = {
    "codegen": "",
    "closures": "SET pig.codegen false;",
    "gfcross": "SET pig.exec.mapCrossBytes 0;",
}


def _field(v) -> str:
    return "" if v is None else str(v)


def _write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(map(_field, r)) + "\n" for r in rows))


def _run(tmp: Path, script: str) -> tuple[Counter, list[dict]]:
    """The rows (tab-joined lines) stored into 'out', and the jobs' stats."""
    with PigServer("local", cwd=tmp, out=io.StringIO()) as server:
        server.register_script(script)
        stats = list(server.stats)
    got: Counter = Counter()
    for part in sorted((tmp / "out").glob("part-*")):
        got.update(part.read_text().split("\n")[:-1])
    return got, stats


def _kinds(stats: list[dict]) -> list[str]:
    return [s["kind"] for s in stats]


def _logs(rnd: random.Random, n: int) -> list[tuple]:
    methods = [None, "GET", "POST", "PUT"]
    return [(rnd.choice(methods), rnd.choice([None, *range(0, 5000, 7)])) for _ in range(n)]


BUCKETS = [("tiny", 0, 100), ("small", 100, 1000), ("none", None, 50), ("big", 1000, None)]
BUCKETS += [("all", 0, 10**9), ("tiny", 0, 100)]  # overlapping ranges, a duplicate row


def _theta(logs, buckets, extra=lambda m, b, lo: True) -> Counter:
    """CROSS + FILTER lo <= bytes < hi (a null never passes) in plain Python."""
    out: Counter = Counter()
    for (m, b), (name, lo, hi) in product(logs, buckets):
        if None not in (b, lo, hi) and lo <= b < hi and extra(m, b, lo):
            out["\t".join(map(_field, (m, b, name)))] += 1
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("small_first", [False, True])
def test_theta_join_rows_equal_the_product(tmp_path: Path, mode: str, small_first: bool) -> None:
    logs = _logs(random.Random(1), 3000)
    _write(tmp_path / "logs.txt", logs)
    _write(tmp_path / "buckets.txt", BUCKETS)
    inputs = "B, V" if small_first else "V, B"
    got, stats = _run(
        tmp_path,
        f"""{MODES[mode]}
        V = LOAD 'logs.txt' AS (method:chararray, bytes:long);
        B = LOAD 'buckets.txt' AS (name:chararray, lo:long, hi:long);
        X = CROSS {inputs};
        F = FILTER X BY bytes >= lo AND bytes < hi;
        O = FOREACH F GENERATE method, bytes, name;
        STORE O INTO 'out';""",
    )
    assert got == _theta(logs, BUCKETS)
    assert _kinds(stats) == (["cross"] if mode == "gfcross" else ["map"])


@pytest.mark.parametrize("mode", MODES)
def test_group_after_the_cross_with_one_side_conjuncts(tmp_path: Path, mode: str) -> None:
    # Q20's shape: the FILTER's one-side parts move below the CROSS (PushUpFilter), the
    # rest runs per pair in the map side of the GROUP's job, its combiner after it
    logs = _logs(random.Random(2), 4000)
    _write(tmp_path / "logs.txt", logs)
    _write(tmp_path / "buckets.txt", BUCKETS)
    got, stats = _run(
        tmp_path,
        f"""{MODES[mode]}
        V = LOAD 'logs.txt' AS (method:chararray, bytes:long);
        B = LOAD 'buckets.txt' AS (name:chararray, lo:long, hi:long);
        X = CROSS V, B;
        F = FILTER X BY bytes >= lo AND bytes < hi AND method != 'PUT' AND lo >= 0;
        G = GROUP F BY (name, method);
        O = FOREACH G GENERATE FLATTEN(group), COUNT(F), SUM(F.bytes);
        STORE O INTO 'out';""",
    )
    groups: dict = defaultdict(lambda: [0, 0])
    for line, n in _theta(logs, BUCKETS, lambda m, b, lo: m is not None and m != "PUT").items():
        method, b, name = line.split("\t")
        groups[(name, method)][0] += n
        groups[(name, method)][1] += n * int(b)
    want = Counter(f"{name}\t{m}\t{c}\t{s}" for (name, m), (c, s) in groups.items())
    assert got == want
    assert "cross" not in _kinds(stats) or mode == "gfcross"


THREE = {
    "a.txt": "a\t1\nb\t\n\t3\na\t1\n",  # a duplicate row, nulls
    "b.txt": "x\n\nx\n",  # a null row, a duplicate
    "d.txt": "7\t8\t9\n\t\t\n5\n",  # a short row, an all-null row
    "e.txt": "",
}


def _lines(name: str) -> list[str]:
    return THREE[name].splitlines()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "names", [("a", "b", "d"), ("d", "a", "b"), ("a", "e"), ("e", "b"), ("a", "b", "e")]
)
def test_untyped_inputs_and_empty_ones(tmp_path: Path, mode: str, names: tuple) -> None:
    # no schemas: rows of any width, crossed by the closures
    for name, text in THREE.items():
        (tmp_path / name).write_text(text)
    loads = "".join(f"{n.upper()} = LOAD '{n}.txt';\n" for n in names)
    got, stats = _run(
        tmp_path,
        f"{MODES[mode]}\n{loads}X = CROSS {', '.join(n.upper() for n in names)};\n"
        "STORE X INTO 'out';",
    )
    want = Counter("\t".join(c) for c in product(*(_lines(f"{n}.txt") for n in names)))
    assert got == want
    assert _kinds(stats)[-1] == ("cross" if mode == "gfcross" else "map")


@pytest.mark.parametrize("mode", MODES)
def test_three_typed_inputs_with_nulls(tmp_path: Path, mode: str) -> None:
    rnd = random.Random(3)
    a = [(rnd.choice([None, 1, 2, 3]), rnd.choice([None, "p", "q"])) for _ in range(60)]
    b = [(rnd.choice([None, 1.5, 2.5]),) for _ in range(7)]
    c = [(rnd.choice([None, 10, 20]), rnd.choice([None, "z"])) for _ in range(5)]
    for name, rows in (("a", a), ("b", b), ("c", c)):
        _write(tmp_path / f"{name}.txt", rows)
    got, _ = _run(
        tmp_path,
        f"""{MODES[mode]}
        A = LOAD 'a.txt' AS (k:int, s:chararray);
        B = LOAD 'b.txt' AS (f:double);
        C = LOAD 'c.txt' AS (n:long, t:chararray);
        X = CROSS B, A, C;
        F = FILTER X BY k IS NULL OR n IS NULL OR k * 10 < n;
        STORE F INTO 'out';""",
    )
    want = Counter(
        "\t".join(map(_field, (*rb, *ra, *rc)))
        for rb, ra, rc in product(b, a, c)
        if ra[0] is None or rc[0] is None or ra[0] * 10 < rc[0]
    )
    assert got == want


@pytest.mark.parametrize("mode", MODES)
def test_a_share_of_the_total_from_group_all(tmp_path: Path, mode: str) -> None:
    # the idiom before scalars: CROSS with the one row of GROUP ALL, whatever A's size
    rows = [(f"k{i % 7}", i) for i in range(500)] + [(None, 3), ("k1", None)]
    _write(tmp_path / "a.txt", rows)
    got, stats = _run(
        tmp_path,
        f"""{MODES[mode]}
        A = LOAD 'a.txt' AS (k:chararray, v:long);
        T = GROUP A ALL;
        S = FOREACH T GENERATE SUM(A.v) AS total;
        X = CROSS A, S;
        O = FOREACH X GENERATE k, v, total;
        STORE O INTO 'out';""",
    )
    total = sum(v for _, v in rows if v is not None)
    assert got == Counter("\t".join(map(_field, (k, v, total))) for k, v in rows)
    assert _kinds(stats)[-1] == ("cross" if mode == "gfcross" else "map")


def test_mid_sized_inputs_both_ways(tmp_path: Path) -> None:
    rnd = random.Random(4)
    a = [(rnd.randrange(100), rnd.choice([None, "u", "v"])) for _ in range(400)]
    b = [(rnd.choice([None, *range(100)]),) for _ in range(300)]
    _write(tmp_path / "a.txt", a)
    _write(tmp_path / "b.txt", b)
    want = Counter(
        f"{_field(x)}\t{y}" for (x, _s), (y,) in product(a, b) if y is not None and x < y
    )
    for mode in MODES.values():
        got, _ = _run(
            tmp_path,
            f"""{mode}
            A = LOAD 'a.txt' AS (x:int, s:chararray);
            B = LOAD 'b.txt' AS (y:int);
            X = CROSS A, B;
            F = FILTER X BY x < y;
            O = FOREACH F GENERATE x, y;
            STORE O INTO 'out';""",
        )
        assert got == want, mode
        for part in (tmp_path / "out").iterdir():
            part.unlink()
        (tmp_path / "out").rmdir()


def test_parallel_keeps_gfcross(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", [(1,), (2,)])
    _write(tmp_path / "b.txt", [(3,)])
    got, stats = _run(
        tmp_path,
        "A = LOAD 'a.txt' AS (x:int); B = LOAD 'b.txt' AS (y:int);\n"
        "X = CROSS A, B PARALLEL 2;\nSTORE X INTO 'out';",
    )
    assert got == Counter(["1\t3", "2\t3"])
    assert _kinds(stats) == ["cross"]


def test_the_choice() -> None:
    plan = build_text(
        """A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (y:int); C = LOAD 'c' AS (z:int);
        X2 = CROSS A, B; X3 = CROSS A, B, C; BF = FOREACH B GENERATE FLATTEN(TOBAG(y, y));
        XF = CROSS A, BF; L = LIMIT A 5; XL = CROSS A, L; LL = LIMIT B 5000;
        XLL = CROSS A, LL; DUMP X2;"""
    )
    op = {alias: plan.op(op_id) for alias, op_id in plan.aliases}
    big, small = 100 << 20, 1 << 20

    def choice(alias: str, sizes: dict, limit=None) -> int | None:
        conf = {crosschoice.INPUT_BYTES: lambda _plan, op_id: sizes.get(op_id)}
        if limit is not None:
            conf[crosschoice.MAX_BYTES] = limit
        return crosschoice.streamed(plan, op[alias], conf)

    assert choice("X2", {"A": big, "B": small}) == 0
    assert choice("X2", {"A": small, "B": big}) == 1
    assert choice("X2", {"A": big, "B": big}) is None  # neither is small
    assert choice("X2", {"A": small, "B": small}) == 0  # the first of equals streams
    assert choice("X2", {"B": small}) == 0  # A's size unknown: A streams
    assert choice("X2", {}) is None  # no size known
    assert choice("X2", {"A": big, "B": small}, limit=small - 1) is None
    assert choice("X3", {"A": small, "B": big, "C": small}) == 1
    assert choice("X3", {"A": small, "B": big, "C": small}, limit=small) is None  # together
    assert choice("XF", {"A": big, "B": small}) is None  # FLATTEN may make more rows
    assert choice("XL", {}) == 0  # LIMIT 5 has 5 rows at most
    assert choice("XLL", {}) is None  # 5000 rows may be many bytes


@pytest.mark.parametrize("mode", MODES)
def test_held_rows_conversion_warnings_count(tmp_path: Path, mode: str) -> None:
    # one map task: the held input's bad field is counted once, as GFCross counts it
    (tmp_path / "logs.txt").write_text("GET\t5\nPOST\tzz\n")
    (tmp_path / "b.txt").write_text("a\t0\t10\nb\tbad\t20\n")
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as server:
        server.register_script(
            f"""{MODES[mode]}
            V = LOAD 'logs.txt' AS (m:chararray, b:long);
            B = LOAD 'b.txt' AS (n:chararray, lo:long, hi:long);
            X = CROSS V, B;
            STORE X INTO 'out';"""
        )
        counters = server.stats[-1]["counters"].to_dict()["org.apache.pig.PigWarning"]
    assert counters == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 2}


def test_a_group_all_bag_is_not_held_unsized() -> None:
    # GROUP ALL has one row, but that row's bag holds every row of its input
    plan = build_text(
        """A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (y:int); T = GROUP B ALL;
        N = FOREACH T GENERATE COUNT(B) AS n; XT = CROSS A, T; XN = CROSS A, N; DUMP XT;"""
    )
    op = {alias: plan.op(op_id) for alias, op_id in plan.aliases}
    assert crosschoice.streamed(plan, op["XT"], {}) is None
    assert crosschoice.streamed(plan, op["XN"], {}) == 0
