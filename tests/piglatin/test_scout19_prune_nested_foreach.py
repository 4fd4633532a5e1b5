"""Scout (session 19): a GROUP of a whole wide relation read by a nested block that holds a
nested FOREACH (``fees = FOREACH rated GENERATE total * 0.1 AS fee, rating;``, a user's way
to compute per-row values before aggregating them, Pig Latin Basics' nested FOREACH). Before
this session such a block kept every column of the grouped relation, so each of
bench_pigshapes Q46's 36 columns was parsed (datetimes, booleans), shuffled and spilled (Q46
at 200k rows: 3.7 s CPU; with the pruning 0.8 s; the plain-Python program 0.7 s). Now the
nested FOREACH reads its GENERATE's columns of its source and nothing else (its rows are new:
what its readers read of them is not a column of the group's input).

Plans: the projection after the LOAD lists the columns read. Results: the scripts against
plain Python computing Pig's answer, in local mode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.front.builder import build_text
from piglatin.launcher import run_script
from piglatin.plan import logical as L
from piglatin.plan.optimizer import optimize

COLS = ("id", "k", "a", "b", "s", "d", "e", "f")
LOAD = (
    "A = LOAD 'a.csv' USING PigStorage(',') AS (id:int, k:chararray, a:int, b:double, "
    "s:chararray, d:int, e:double, f:chararray);\nG = GROUP A BY k;\n"
)
ROWS = [
    (1, "x", 5, 2.5, "p", 1, 0.5, "u"),
    (2, "x", 1, None, "q", 2, 1.5, "v"),
    (3, "y", None, 4.0, "r", 3, -1.0, None),
    (4, "x", 7, 1.0, None, None, 2.0, "w"),
    (5, "y", 2, 8.0, "s", 5, 3.0, "u"),
    (6, None, 3, 1.5, "t", 6, 0.0, "v"),
]


def load_columns(script: str) -> list[str]:
    """The columns the optimized plan reads of the LOAD (the projection right after it)."""
    plan = optimize(build_text(script), strict=True)
    load = next(op for op in plan.operators if isinstance(op, L.LOLoad))
    readers = [op for op in plan.operators if load.op_id in op.inputs]
    if len(readers) == 1 and isinstance(readers[0], L.LOForEach):
        proj = L.plain_projection(readers[0])
        if proj is not None:
            return [load.schema[c].name for c in proj]  # type: ignore[index]
    return [f.name for f in load.schema]  # type: ignore[union-attr]


FEES = (
    "R = FOREACH G {\n"
    "    rated = FILTER A BY a IS NOT NULL;\n"
    "    fees = FOREACH rated GENERATE b * 0.1 AS fee, d;\n"
    "    good = FILTER fees BY d >= 2;\n"
    "    GENERATE group, SUM(good.fee), COUNT_STAR(fees);\n"
    "};\n"
)
TOP = (
    "R = FOREACH G {\n"
    "    o = ORDER A BY e DESC;\n"
    "    t = LIMIT o 2;\n"
    "    w = FOREACH t GENERATE a + d AS ad;\n"
    "    GENERATE group, SUM(w.ad);\n"
    "};\n"
)
STAR = "R = FOREACH G {\n    w = FOREACH A GENERATE *;\n    GENERATE group, COUNT_STAR(w);\n};\n"


@pytest.mark.parametrize(
    ("body", "want"),
    [
        (FEES, ["k", "a", "b", "d"]),
        (TOP, ["k", "a", "d", "e"]),
        (STAR, list(COLS)),  # GENERATE * reads every column
    ],
)
def test_a_nested_foreach_reads_its_generate_columns(body: str, want: list[str]) -> None:
    assert load_columns(LOAD + body + "STORE R INTO 'out';") == want


def _text(v: object) -> str:
    return "" if v is None else str(v)


def _run(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "a.csv").write_text(
        "".join(",".join(_text(v) for v in r) + "\n" for r in ROWS)
    )
    out = io.StringIO()
    assert run_script(LOAD + body + "DUMP R;", exec_type="local", cwd=tmp_path, out=out) == 0
    return sorted(line for line in out.getvalue().splitlines() if line.startswith("("))


def _groups() -> dict[str | None, list[tuple]]:
    groups: dict[str | None, list[tuple]] = {}
    for r in ROWS:
        groups.setdefault(r[1], []).append(r)
    return groups


def _fmt(v: object) -> str:
    return "" if v is None else str(v)


def test_fees_equal_plain_python(tmp_path: Path) -> None:
    want = []
    for key, rows in _groups().items():
        rated = [r for r in rows if r[2] is not None]
        fees = [(None if r[3] is None else r[3] * 0.1, r[5]) for r in rated]
        good = [f for f, d in fees if d is not None and d >= 2 and f is not None]
        total = sum(good) if good else None
        want.append(f"({_fmt(key)},{_fmt(total)},{len(fees)})")
    assert _run(tmp_path, FEES) == sorted(want)


def test_top_two_equal_plain_python(tmp_path: Path) -> None:
    want = []
    for key, rows in _groups().items():
        top = sorted(rows, key=lambda r: -r[6])[:2]  # e has no nulls nor ties
        sums = [r[2] + r[5] for r in top if r[2] is not None and r[5] is not None]
        want.append(f"({_fmt(key)},{_fmt(sum(sums) if sums else None)})")
    assert _run(tmp_path, TOP) == sorted(want)
