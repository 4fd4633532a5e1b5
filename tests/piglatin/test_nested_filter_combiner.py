"""A nested FILTER of the grouped rows under algebraic aggregates is computed map-side (the
combiner rule's `LEFilteredBag`), and gives what plain Python computes: COUNT/SUM/AVG/MIN/MAX
of filtered rows and of projections of them, chained FILTERs, DISTINCT of a filtered
projection, groups whose filter keeps nothing (COUNT 0, SUM/MIN/AVG null), nulls in the
condition's column; in local and mapreduce mode, and with the map-side folding off."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from piglatin.back.mrcompiler import algebraic_aggregates
from piglatin.front.builder import build_text
from piglatin.launcher import run_script

LOAD = "A = LOAD 'a.txt' AS (k:chararray, t:int, v:double);\nG = GROUP A BY k;\n"


def data(n: int = 4000, seed: int = 3) -> list[tuple]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        k = rnd.choice(["a", "b", "c", "d", None])
        t = rnd.choice([None, *range(0, 100, 7)])
        v = rnd.choice([None, 0.5, 1.25, 2.0, -3.5])
        out.append((k, t, v))
    out.append(("only_big", 99, 1.0))  # every FILTER t < 50 keeps nothing of this group
    return out


def field(v) -> str:
    if v is None:
        return ""
    return repr(v) if isinstance(v, float) else str(v)


def run(tmp_path: Path, rows: list[tuple], body: str, mode: str = "local", sets: str = "") -> list:
    (tmp_path / "a.txt").write_text("".join("\t".join(field(x) for x in r) + "\n" for r in rows))
    out = (tmp_path / "out").as_uri()
    script = sets + LOAD + body + f"\nSTORE R INTO '{out}';"
    plan = build_text(script)
    group = next(op for op in plan.operators if type(op).__name__ == "LOCogroup")
    fe = next(op for op in plan.operators if group.op_id in op.inputs)
    assert algebraic_aggregates(plan, group, [fe.op_id]) is not None  # the combiner path
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


def groups(rows: list[tuple]) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(r[0], []).append(r)
    return out


def line(*fields) -> str:
    return "\t".join(field(f) for f in fields)


def count(rows):  # COUNT skips rows whose first field is null
    return sum(1 for r in rows if r[0] is not None)


def total(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) if xs else None


MODES = [("local", ""), ("mapreduce", ""), ("local", "set pig.exec.mapPartAgg false;\n")]


@pytest.mark.parametrize(("mode", "sets"), MODES)
def test_counts_of_two_filters(tmp_path: Path, mode: str, sets: str) -> None:
    rows = data()
    got = run(
        tmp_path,
        rows,
        """R = FOREACH G { lo = FILTER A BY t < 50; hi = FILTER A BY t >= 50;
               GENERATE group, COUNT(lo), COUNT(hi), COUNT_STAR(lo); };""",
        mode,
        sets,
    )
    want = []
    for k, rs in groups(rows).items():
        lo = [r for r in rs if r[1] is not None and r[1] < 50]
        hi = [r for r in rs if r[1] is not None and r[1] >= 50]
        want.append(line(k, count(lo), count(hi), len(lo)))
    assert got == sorted(want)


def test_sums_and_extremes_of_filtered_projections(tmp_path: Path) -> None:
    rows = data()
    got = run(
        tmp_path,
        rows,
        """R = FOREACH G { lo = FILTER A BY t < 50 AND v IS NOT NULL;
               GENERATE group, SUM(lo.v), MIN(lo.t), MAX(lo.v), COUNT(lo); };""",
    )
    want = []
    for k, rs in groups(rows).items():
        lo = [r for r in rs if r[1] is not None and r[1] < 50 and r[2] is not None]
        ts = [r[1] for r in lo]
        vs = [r[2] for r in lo]
        want.append(line(k, total(vs), min(ts) if ts else None, max(vs) if vs else None, count(lo)))
    assert got == sorted(want)


def test_chained_filters_and_distinct_of_a_filtered_projection(tmp_path: Path) -> None:
    rows = data()
    got = run(
        tmp_path,
        rows,
        """R = FOREACH G { f1 = FILTER A BY t > 10; f2 = FILTER f1 BY v > 0.0 OR t == 14;
               p = f2.t; d = DISTINCT p; GENERATE group, COUNT(d), SUM(f2.t); };""",
    )
    want = []
    for k, rs in groups(rows).items():
        f1 = [r for r in rs if r[1] is not None and r[1] > 10]
        f2 = [r for r in f1 if (r[2] is not None and r[2] > 0.0) or r[1] == 14]
        distinct = {r[1] for r in f2}
        want.append(line(k, sum(1 for x in distinct if x is not None), total(r[1] for r in f2)))
    assert got == sorted(want)


def test_average_of_a_filter_that_keeps_nothing_is_null(tmp_path: Path) -> None:
    rows = [("x", 60, 1.0), ("x", 70, 2.0), ("y", 1, 4.0)]
    got = run(
        tmp_path,
        rows,
        "R = FOREACH G { lo = FILTER A BY t < 50; GENERATE group, AVG(lo.v), SUM(lo.v); };",
        "mapreduce",
    )
    assert got == sorted([line("x", None, None), line("y", 4.0, 4.0)])
