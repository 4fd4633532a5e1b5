"""RemoveRedundantDistinct: a DISTINCT feeding another DISTINCT (directly or through UNIONs)
is dropped, one job fewer, and the rows are what plain Python's set gives; a DISTINCT whose
rows are also read elsewhere, or that reaches the outer DISTINCT through anything but a
UNION, stays; turning the rule off (``pig -t RemoveRedundantDistinct``) keeps it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.front.builder import build_text
from piglatin.launcher import PigServer
from piglatin.plan.optimizer import optimize

SCRIPT = """A = LOAD 'a.txt' AS (x:chararray, n:int);
B = LOAD 'b.txt' AS (x:chararray, n:int);
C = DISTINCT A; D = DISTINCT B; E = UNION C, D; F = DISTINCT E;
STORE F INTO 'out';"""


def distincts(script: str) -> int:
    plan = optimize(build_text(script))
    return sum(type(op).__name__ == "LODistinct" for op in plan.operators)


def test_inner_distincts_before_a_union_and_distinct_go() -> None:
    assert distincts(SCRIPT) == 1
    assert distincts("A = LOAD 'a' AS (x:int); B = DISTINCT A; C = DISTINCT B; DUMP C;") == 1


@pytest.mark.parametrize(
    "script,left",
    [
        # C is stored too: it stays (D still goes)
        (SCRIPT.replace("STORE F INTO 'out';", "STORE F INTO 'out'; STORE C INTO 'c';"), 2),
        # a LIMIT between: which rows it keeps depends on C's repeats being gone
        (SCRIPT.replace("E = UNION C, D;", "G = LIMIT C 2; E = UNION G, D;"), 2),
        # the UNION is read twice: its other reader sees the repeats
        (SCRIPT + "H = FOREACH E GENERATE x; STORE H INTO 'h';", 3),
    ],
    ids=["inner-stored", "limit-between", "union-read-twice"],
)
def test_a_distinct_read_elsewhere_or_through_other_operators_stays(script: str, left: int) -> None:
    assert distincts(script) == left


@pytest.mark.parametrize("disabled", [False, True])
def test_rows_and_jobs(tmp_path: Path, disabled: bool) -> None:
    a = [("a", 1), ("b", 2), ("a", 1), ("", 3), ("c", None)] * 3
    b = [("b", 2), ("d", 4), ("d", 4), ("c", None)]
    for name, rows in (("a.txt", a), ("b.txt", b)):
        text = "".join(f"{x}\t{'' if n is None else n}\n" for x, n in rows)
        (tmp_path / name).write_text(text)
    out = io.StringIO()
    off = "SET pig.optimizer.rules.disabled 'RemoveRedundantDistinct';\n" if disabled else ""
    with PigServer("local", cwd=tmp_path, out=out) as pig:
        pig.register_script(off + SCRIPT)
        jobs = len(pig.stats)
    lines = sorted((tmp_path / "out" / "part-r-00000").read_text().splitlines())
    want = sorted({f"{x}\t{'' if n is None else n}" for x, n in a + b})
    assert lines == want
    assert jobs == (3 if disabled else 1)
