"""Scout (session 16): several reducers on skewed keys (one key holds half the rows), in
mapreduce mode: ORDER's sampled cuts must keep the global order, a skewed join must split the
hot key without losing or repeating rows, GROUP/DISTINCT with PARALLEL must give each key
once. Each answer is computed in plain Python."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines

pytestmark = pytest.mark.slow

N = 60000


@pytest.fixture(scope="module")
def rows() -> list[tuple[int, int]]:
    rnd = random.Random(16)
    out = []
    for _ in range(N):
        k = 7 if rnd.random() < 0.5 else rnd.randrange(2000)
        out.append((k, rnd.randrange(1000)))
    return out


def _files(rows) -> dict[str, str]:
    small = "".join(f"{k}\t{k * 10}\n" for k in range(0, 2000, 3)) + "7\t-7\n"
    return {"big": "".join(f"{k}\t{v}\n" for k, v in rows), "small": small}


def test_order_parallel_keeps_global_order(tmp_path: Path, rows) -> None:
    script = (
        "A = LOAD 'big' AS (k:int, v:int);\n"
        "O = ORDER A BY k DESC, v PARALLEL 4;\n"
        f"STORE O INTO 'file://{tmp_path}/out';\n"
        f"B = LOAD 'file://{tmp_path}/out' AS (k:int, v:int);\nG = GROUP B ALL;\n"
        "C = FOREACH G GENERATE COUNT(B);\nDUMP C;\n"
    )
    lines = printed_lines(tmp_path, _files(rows), script, "mapreduce")
    assert lines == [f"({N})"]
    got = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        got += [tuple(map(int, ln.split("\t"))) for ln in part.read_text().splitlines()]
    assert got == sorted(rows, key=lambda r: (-r[0], r[1]))


@pytest.mark.parametrize("how", ["USING 'skewed' PARALLEL 4", "PARALLEL 4", "USING 'replicated'"])
def test_join_on_a_hot_key(tmp_path: Path, rows, how: str) -> None:
    script = (
        "A = LOAD 'big' AS (k:int, v:int);\nS = LOAD 'small' AS (k:int, w:int);\n"
        f"J = JOIN A BY k, S BY k {how};\n"
        "G = GROUP J BY A::k PARALLEL 3;\n"
        "C = FOREACH G GENERATE group, COUNT(J), SUM(J.v), SUM(J.w);\n"
        "O = ORDER C BY group;\nDUMP O;\n"
    )
    lines = printed_lines(tmp_path, _files(rows), script, "mapreduce")
    small: dict[int, list[int]] = {}
    for k in range(0, 2000, 3):
        small.setdefault(k, []).append(k * 10)
    small[7] = [-7]
    want = {}
    for k, v in rows:
        for w in small.get(k, []):
            c, sv, sw = want.get(k, (0, 0, 0))
            want[k] = (c + 1, sv + v, sw + w)
    assert lines == [f"({k},{c},{sv},{sw})" for k, (c, sv, sw) in sorted(want.items())]


def test_distinct_and_group_parallel(tmp_path: Path, rows) -> None:
    script = (
        "A = LOAD 'big' AS (k:int, v:int);\n"
        "D = DISTINCT A PARALLEL 4;\n"
        "G = GROUP D BY k PARALLEL 4;\n"
        "C = FOREACH G GENERATE group, COUNT(D);\n"
        f"STORE C INTO 'file://{tmp_path}/out';\n"
    )
    printed_lines(tmp_path, _files(rows), script, "mapreduce")
    values: dict[int, set[int]] = {}
    for k, v in rows:
        values.setdefault(k, set()).add(v)
    got = Counter()
    for part in (tmp_path / "out").glob("part-*"):
        for ln in part.read_text().splitlines():
            k, c = map(int, ln.split("\t"))
            got[k] += 1  # each key in exactly one part, once
            assert c == len(values[k])
    assert got == Counter(dict.fromkeys(values, 1))
