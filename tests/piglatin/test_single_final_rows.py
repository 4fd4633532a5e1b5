"""A combined GROUP's reduce side for batches of groups of one partial record each
(`finalcode.single_final_rows`, one generated comprehension per batch): GENERATE group then
the aggregates, the aggregates alone, and FLATTEN(group) then the aggregates, against plain
Python, with null and bad fields, -0.0 beside 0.0 in the key (a key of its own), keys that
never repeat (every group one record) and keys that do, several map tasks, code generation
on and off."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from tests.piglatin.storedrun import stored_run

SETS = {"codegen": "", "closures": "SET pig.codegen 'false';\n"}
SHAPES = {
    "group": "group, SUM(A.x), AVG(A.y), MIN(A.x), COUNT(A.x), MAX(A.y)",
    "finals": "SUM(A.x), COUNT_STAR(A), AVG(A.y)",
    "flatten": "FLATTEN(group), SUM(A.x), COUNT_STAR(A), MAX(A.y)",
}
SCRIPT = """{sets}A = LOAD 'in' AS (k:chararray, d:double, x:int, y:double);
B = GROUP A BY (k, d);
C = FOREACH B GENERATE {generate};
STORE C INTO 'OUT';
"""


def cell(v: object) -> str:
    return "" if v is None else str(v)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None  # a bad field: null


def expected(parts: list[list[tuple]], shape: str) -> list[str]:
    groups: dict = {}
    for k, d, x, y in (r for part in parts for r in part):
        dv = None if d is None else float(d)
        sign = None if dv is None else math.copysign(1.0, dv)
        groups.setdefault((k, dv, sign), []).append((_int(x) if x is not None else None, y))
    out = []
    for (k, dv, _sign), bag in groups.items():
        xs = [x for x, _y in bag if x is not None]
        ys = [y for _x, y in bag if y is not None]
        total = sum(xs) if xs else None
        avg = sum(ys) / len(ys) if ys else None
        top = max(ys) if ys else None
        key = [k, dv]
        if shape == "group":
            head = "(" + ",".join(map(cell, key)) + ")"
            line = [head, total, avg, min(xs) if xs else None, len(xs), top]
        elif shape == "finals":
            line = [total, len(bag), avg]
        else:
            line = [*key, total, len(bag), top]
        out.append("\t".join(map(cell, line)))
    return sorted(out)


def _rows(rng: random.Random, n: int, unique: bool) -> list[tuple]:
    out = []
    for i in range(n):
        k = f"u{i}" if unique else rng.choice([None, "a", "b\u00e9", "c"])
        d = rng.choice([None, "0.0", "-0.0", "1.5"]) if not unique or i % 4 else None
        x = rng.choice([None, "3", "-7", "zz", "0", "12"])
        y = rng.choice([None, 0.5, -2.0, 1.25])
        out.append((k, d, x, y))
    return out


@pytest.mark.parametrize("config", list(SETS))
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("unique", [True, False])
def test_groups_of_one_record_against_python(
    tmp_path: Path, config: str, shape: str, unique: bool
) -> None:
    rng = random.Random(f"{config}{shape}{unique}")
    parts = [_rows(rng, 300, unique) for _ in range(3)]
    if unique:  # every key in one map task only: every group one partial record
        parts = [
            [(None if k is None else f"{k}-{i}", *r) for k, *r in p] for i, p in enumerate(parts)
        ]
    (tmp_path / "in").mkdir()
    for i, part in enumerate(parts):  # one map task per file
        text = "".join("\t".join(map(cell, r)) + "\n" for r in part)
        (tmp_path / "in" / f"part-{i:05d}").write_text(text, encoding="utf-8")
    script = SCRIPT.format(sets=SETS[config], generate=SHAPES[shape])
    got, _warnings = stored_run(tmp_path, script, "out")
    assert sorted(got) == expected(parts, shape)
