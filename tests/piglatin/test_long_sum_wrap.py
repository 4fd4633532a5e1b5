"""A grouped SUM/AVG of ints or longs is Java's long sum (Pig's IntSum, LongSum, IntAvg,
LongAvg add into a long, which wraps past 2^63 - 1), on every path a GROUP's aggregates
take: the map-side fold or not, the combiner, one partial a key or several (keys spread over
map tasks), a COGROUP's per-input partials. The expected values are computed here: the exact
sum wrapped modulo 2^64 into [-2^63, 2^63 - 1], which is what adding into a Java long gives
at every step."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines as run

BIG = 2**63 - 1


def java_long(n: int) -> int:
    return (n + 2**63) % 2**64 - 2**63


def java_double(x: float) -> str:
    """Pig's text of a double in E notation (the averages here are all past 1e7)."""
    mantissa, _, exp = repr(x).partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}E{int(exp)}"


VALUES = {"a": [BIG, 1], "b": [BIG, BIG, BIG], "c": [-BIG, -BIG, -5], "d": [7, 8]}


def _expected(groups: dict[str, list[int]]) -> list[str]:
    out = []
    for k, vs in sorted(groups.items()):
        total = java_long(sum(vs))
        avg = total / len(vs)
        avg_text = java_double(avg) if abs(avg) >= 1e7 else repr(avg)
        out.append(f"({k},{total},{avg_text})")
    return out


SETTINGS = {
    "default": "",
    "no map fold": "SET pig.exec.mapPartAgg false;\n",
    "no codegen": "SET pig.codegen false;\n",
}


@pytest.mark.parametrize("setting", list(SETTINGS), ids=list(SETTINGS))
def test_grouped_long_sum_and_avg_wrap(tmp_path: Path, setting: str) -> None:
    data = "".join(f"{k}\t{v}\n" for k, vs in VALUES.items() for v in vs)
    script = (
        SETTINGS[setting] + "A = LOAD 'n' AS (k:chararray, l:long);\nG = GROUP A BY k;\n"
        "C = FOREACH G GENERATE group, SUM(A.l), AVG(A.l);\nD = ORDER C BY group;\nDUMP D;\n"
    )
    assert run(tmp_path, {"n": data}, script) == _expected(VALUES)


def test_partials_from_several_files_wrap(tmp_path: Path) -> None:
    """Keys spread over two map tasks (a file each): several partials a key, each maybe
    past a long already."""
    first = "".join(f"{k}\t{v}\n" for k, vs in VALUES.items() for v in vs)
    second = "".join(f"{k}\t{v}\n" for k, vs in VALUES.items() for v in vs[:2])
    both = {k: vs + vs[:2] for k, vs in VALUES.items()}
    script = (
        "A = LOAD 'in' AS (k:chararray, l:long);\nG = GROUP A BY k;\n"
        "C = FOREACH G GENERATE group, SUM(A.l), AVG(A.l);\nD = ORDER C BY group;\nDUMP D;\n"
    )
    files = {"in/part-1": first, "in/part-2": second}
    assert run(tmp_path, files, script) == _expected(both)


def test_cogroup_per_input_sums_wrap(tmp_path: Path) -> None:
    data = "".join(f"{k}\t{v}\n" for k, vs in VALUES.items() for v in vs)
    script = (
        "A = LOAD 'n' AS (k:chararray, l:long);\nB = LOAD 'n' AS (k:chararray, l:long);\n"
        "G = COGROUP A BY k, B BY k;\n"
        "C = FOREACH G GENERATE group, SUM(A.l), AVG(B.l);\nD = ORDER C BY group;\nDUMP D;\n"
    )
    assert run(tmp_path, {"n": data}, script) == _expected(VALUES)
