"""DISTINCT of rows holding a bag or a map (a GROUP's output, a map[] column, a tuple with a
bag in it), alone and with a GROUP of the distinct rows after it: the generated map code
remembers plain rows in a set, which cannot hold such rows, so they take the closures' map
side. The answers are computed directly (Pig's DISTINCT keeps one of equal rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import stored_run

PAIRS = "a\t1\nb\t2\na\t\nb\t2\n\t3\nc\t-1\na\t1\n"
MAPS = "a\t[k#1]\nb\t[k#2]\na\t[k#1]\nb\t[k#3]\n"
SETS = {"codegen": "", "closures": "SET pig.codegen false;\n"}


def write(tmp: Path, name: str, text: str) -> None:
    (tmp / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("config", list(SETS))
def test_rows_with_a_bag(tmp_path: Path, config: str) -> None:
    write(tmp_path, "a.txt", PAIRS)
    script = SETS[config] + (
        "A = LOAD 'a.txt' AS (k:chararray, x:int);\n"
        "B = GROUP A BY k;\n"
        "U = UNION B, B;\n"
        "C = DISTINCT U;\n"
        "D = FOREACH C GENERATE group, COUNT_STAR(A);\n"
        "STORE D INTO 'OUT';\n"
    )
    got, _ = stored_run(tmp_path, script, "out")
    counts: dict = {}
    for line in PAIRS.splitlines():
        k = line.split("\t")[0]
        counts[k] = counts.get(k, 0) + 1
    assert sorted(got) == sorted(f"{k}\t{n}" for k, n in counts.items())


@pytest.mark.parametrize("config", list(SETS))
def test_rows_with_a_map(tmp_path: Path, config: str) -> None:
    write(tmp_path, "m.txt", MAPS)
    script = SETS[config] + (
        "A = LOAD 'm.txt' AS (k:chararray, m:map[]);\nC = DISTINCT A;\nSTORE C INTO 'OUT';\n"
    )
    got, _ = stored_run(tmp_path, script, "out")
    assert sorted(got) == sorted(set(MAPS.splitlines()))


@pytest.mark.parametrize("config", list(SETS))
def test_grouped_rows_with_a_map(tmp_path: Path, config: str) -> None:
    write(tmp_path, "m.txt", MAPS)
    script = SETS[config] + (
        "A = LOAD 'm.txt' AS (k:chararray, m:map[]);\n"
        "C = DISTINCT A;\n"
        "D = GROUP C BY k;\n"
        "E = FOREACH D GENERATE group, COUNT(C);\n"
        "STORE E INTO 'OUT';\n"
    )
    got, _ = stored_run(tmp_path, script, "out")
    counts: dict = {}
    for line in set(MAPS.splitlines()):
        k = line.split("\t")[0]
        counts[k] = counts.get(k, 0) + 1
    assert sorted(got) == sorted(f"{k}\t{n}" for k, n in counts.items())


@pytest.mark.parametrize("config", list(SETS))
def test_rows_with_a_tuple_of_a_bag(tmp_path: Path, config: str) -> None:
    write(tmp_path, "a.txt", PAIRS)
    script = SETS[config] + (
        "A = LOAD 'a.txt' AS (k:chararray, x:int);\n"
        "B = GROUP A BY k;\n"
        "T = FOREACH B GENERATE group, TOTUPLE(A) AS t;\n"
        "U = UNION T, T;\n"
        "C = DISTINCT U;\n"
        "D = FOREACH C GENERATE group;\n"
        "STORE D INTO 'OUT';\n"
    )
    got, _ = stored_run(tmp_path, script, "out")
    keys = {line.split("\t")[0] for line in PAIRS.splitlines()}
    assert sorted(got) == sorted(keys)
