"""A two-input JOIN whose output is plain projections writes its lines from each side's text
(`joinlines.SideTexts`); whatever the projection, the values and the join type, the output is
what plain Python's nested loops give (PigStorage text: tab-separated, null empty)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from piglatin.back.joinlines import side_texts
from piglatin.front.builder import build_text
from piglatin.launcher import run_script


def field(v) -> str:
    return "" if v is None else str(v)


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(field(x) for x in r) + "\n" for r in rows))


def tables(seed: int = 5, nulls: bool = False):
    rnd = random.Random(seed)
    keys = ["k1", "k2", "k3", "k4", "k5"]
    left = [
        (rnd.choice(keys), f"a{i}", None if nulls and i % 7 == 0 else f"x{i % 3}", i)
        for i in range(300)
    ]
    right = [(rnd.choice(keys[1:] + ["zz"]), f"b{i}", f"y{i % 4}") for i in range(120)]
    return left, right


SCHEMAS = (
    "L = LOAD 'l.txt' AS (k:chararray, a:chararray, x:chararray, n:int);\n"
    "R = LOAD 'r.txt' AS (k:chararray, b:chararray, y:chararray);\n"
)

# (GENERATE list over the joined row l0..l3 r0..r2, the columns it picks)
PROJECTIONS = [
    ("L::a, L::k, R::y, R::b", (1, 0, 6, 5)),  # left columns, then right ones
    ("R::y, L::a", (6, 1)),  # right before left: the rows are built
    ("L::a", (1,)),
    ("R::b", (5,)),
    ("L::x, R::b", (2, 5)),  # nulls on the left
    ("L::a, L::n, R::b", (1, 3, 5)),  # an int column: the rows are built
    (None, (0, 1, 2, 3, 4, 5, 6)),  # the joined rows themselves
]


def run(tmp_path: Path, script: str) -> list[str]:
    log = io.StringIO()
    assert run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


@pytest.mark.parametrize(("generate", "cols"), PROJECTIONS)
@pytest.mark.parametrize("nulls", [False, True])
def test_inner_join_lines(tmp_path: Path, generate, cols, nulls: bool) -> None:
    left, right = tables(nulls=nulls)
    write(tmp_path / "l.txt", left)
    write(tmp_path / "r.txt", right)
    tail = (
        f"C = FOREACH J GENERATE {generate};\nSTORE C INTO 'out';"
        if generate
        else ("STORE J INTO 'out';")
    )
    script = SCHEMAS + "J = JOIN L BY k, R BY k;\n" + tail
    want = sorted(
        "\t".join(field((lrow + rrow)[c]) for c in cols)
        for lrow in left
        for rrow in right
        if lrow[0] == rrow[0]
    )
    assert run(tmp_path, script) == want


def test_left_outer_join_lines(tmp_path: Path) -> None:
    left, right = tables()
    write(tmp_path / "l.txt", left)
    write(tmp_path / "r.txt", right)
    script = (
        SCHEMAS + "J = JOIN L BY k LEFT OUTER, R BY k;\n"
        "C = FOREACH J GENERATE L::a, R::b;\nSTORE C INTO 'out';"
    )
    want = []
    for lrow in left:
        matches = [r for r in right if r[0] == lrow[0]]
        want += [f"{lrow[1]}\t{r[1]}" for r in matches] or [f"{lrow[1]}\t"]
    assert run(tmp_path, script) == sorted(want)


def test_side_texts_only_for_left_then_right_plain_columns() -> None:
    plan = build_text(
        SCHEMAS + "J = JOIN L BY k, R BY k;\nC = FOREACH J GENERATE R::b, L::a;\n"
        "D = FOREACH J GENERATE L::a, R::b;\nSTORE C INTO 'o1';\nSTORE D INTO 'o2';"
    )
    by_alias = {op.alias: op for op in plan.operators}
    assert side_texts([by_alias["C"]], [object()], "\t", [4, 3]) is None
    texts = side_texts([by_alias["D"]], [object()], "\t", [4, 3])
    assert texts is not None
    lefts = texts.held([("k1", "a1", "x", 1), ("k1", "a2", "x", 2)])
    assert lefts is not None
    assert texts.lines(lefts, [("k1", "b1", "y")]) == "a1\tb1\na2\tb1"
    assert texts.held([("k1", "a1", "x")]) is None  # a held row of another width
    assert side_texts([by_alias["D"]], [object()], None, [4, 3]) is None  # not text output
