"""A GROUP/COGROUP key of several fields with a double that is -0.0 in one row and 0.0 in
another: Pig's tuple comparator compares the fields with Double.compare, so (a, -0.0) and
(a, 0.0) are two groups (a single double key's two zeros are one group). The map-side folds
of the closures (`aggregates.fold_tail`, the COUNT counters `_count_tail`/`_count_one`)
keyed a dict by the key tuple, where Python's equality made them one group; the generated
fold already kept them apart. Plain Python gives the expected groups, keyed by the zero's
sign as well."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.piglatin.storedrun import stored_run

ROWS = [
    ("a", 0.0, 1, "x y"),
    ("a", -0.0, 2, "x"),
    ("a", 0.0, 4, ""),
    ("b", -0.0, 8, "z z z"),
    ("b", -0.0, 16, "w"),
    ("c", 1.5, 32, "v"),
    ("a", -0.0, None, "u"),
]
SETS = {"codegen": "", "closures": "SET pig.codegen false;\n"}
LOAD = "A = LOAD 'in' AS (k:chararray, d:double, x:int, w:chararray);\n"


def key_of(k: str, d: float) -> tuple:
    return (k, d, math.copysign(1.0, d))


def text_key(k: str, d: float) -> str:
    return f"({k},{d!r})"


def groups() -> dict:
    out: dict = {}
    for k, d, x, w in ROWS:
        out.setdefault(key_of(k, d), []).append((k, d, x, w))
    return out


def run(tmp_path: Path, config: str, body: str) -> list[str]:
    text = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in ROWS)
    (tmp_path / "in").write_text(text)
    got, _warnings = stored_run(tmp_path, SETS[config] + LOAD + body, "out")
    return sorted(got)


def cell(v) -> str:
    return "" if v is None else str(v)


@pytest.mark.parametrize("config", list(SETS))
def test_sum_count_max(tmp_path: Path, config: str) -> None:
    body = (
        "B = GROUP A BY (k, d);\n"
        "C = FOREACH B GENERATE group, SUM(A.x), COUNT(A), MAX(A.d);\nSTORE C INTO 'OUT';\n"
    )
    want = []
    for bag in groups().values():
        k, d = bag[0][0], bag[0][1]
        xs = [r[2] for r in bag if r[2] is not None]
        want.append(f"{text_key(k, d)}\t{cell(sum(xs) if xs else None)}\t{len(bag)}\t{d!r}")
    assert run(tmp_path, config, body) == sorted(want)


@pytest.mark.parametrize("config", list(SETS))
def test_counts_only(tmp_path: Path, config: str) -> None:
    body = (
        "B = GROUP A BY (k, d);\n"
        "C = FOREACH B GENERATE group, COUNT(A), COUNT_STAR(A);\nSTORE C INTO 'OUT';\n"
    )
    want = [
        f"{text_key(bag[0][0], bag[0][1])}\t{len(bag)}\t{len(bag)}" for bag in groups().values()
    ]
    assert run(tmp_path, config, body) == sorted(want)


@pytest.mark.parametrize("config", list(SETS))
@pytest.mark.parametrize("count", ["COUNT(F)", "COUNT(F), COUNT_STAR(F)"])
def test_count_of_a_flattened_bag(tmp_path: Path, config: str, count: str) -> None:
    """COUNTs of whole rows behind a FLATTEN: the counters of the closures in either case."""
    body = (
        "F = FOREACH A GENERATE k, d, FLATTEN(TOKENIZE(w)) AS word;\nB = GROUP F BY (k, d);\n"
        f"C = FOREACH B GENERATE group, {count};\nSTORE C INTO 'OUT';\n"
    )
    want = []
    for bag in groups().values():
        n = sum(len(r[3].split()) if r[3] else 1 for r in bag)  # FLATTEN of null: one row
        if n:
            line = f"{text_key(bag[0][0], bag[0][1])}\t{n}"
            want.append(line + f"\t{n}" if "STAR" in count else line)
    assert run(tmp_path, config, body) == sorted(want)


@pytest.mark.parametrize("config", list(SETS))
def test_cogroup(tmp_path: Path, config: str) -> None:
    (tmp_path / "in2").write_text("a\t0.0\t5\na\t-0.0\t6\n")
    body = (
        "A2 = LOAD 'in2' AS (k:chararray, d:double, x:int);\n"
        "C = COGROUP A BY (k, d), A2 BY (k, d);\n"
        "D = FOREACH C GENERATE group, COUNT(A), SUM(A2.x);\nSTORE D INTO 'OUT';\n"
    )
    other = {key_of("a", 0.0): 5, key_of("a", -0.0): 6}
    want = []
    for key, bag in groups().items():
        want.append(f"{text_key(bag[0][0], bag[0][1])}\t{len(bag)}\t{cell(other.get(key))}")
    assert run(tmp_path, config, body) == sorted(want)


@pytest.mark.parametrize("config", list(SETS))
def test_one_double_key_is_one_group_of_both_zeros(tmp_path: Path, config: str) -> None:
    body = "B = GROUP A BY d;\nC = FOREACH B GENERATE group, COUNT(A);\nSTORE C INTO 'OUT';\n"
    zeros = sum(1 for r in ROWS if r[1] == 0.0)
    got = run(tmp_path, config, body)
    assert len(got) == 2 and f"\t{zeros}" in "|".join(got)
