"""The back end's fast paths give what plain Python computes: map-side aggregation with
FLATTEN(group), pushed-down projections, generated pipelines. Expected rows come from plain
Python and a small formatter written here (PigStorage text: tab-separated, null empty)."""

from __future__ import annotations

import io
import random
from collections import defaultdict
from pathlib import Path

import pytest

from piglatin.builder import build_text
from piglatin.launcher import run_script
from piglatin.mrcompiler import algebraic_aggregates


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
