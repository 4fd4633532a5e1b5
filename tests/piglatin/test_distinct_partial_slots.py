"""A nested one-column DISTINCT beside other algebraic calls: its Intermediate and Final are
its own (the values form, `distinctparts`), whatever its position among the calls
(`aggregates.intermediates_of` / `finals_of` read call i's flag at i; they once read the
first flag for the first Distinct, so a Distinct after a SUM took the rows form and a
combined partial of a null value broke the reduce). The combiner runs over every spilled key,
a lone value too, as Hadoop's does. Plain Python computes the answers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.back.aggregates import finals_of, intermediates_of
from piglatin.back.distinctparts import final_for, intermediate_for
from piglatin.launcher import run_script

SCRIPT = """{sets}A = LOAD 'a.txt' AS (k:chararray, x:int, z:chararray);
B = GROUP A BY k;
C = FOREACH B {{ d = DISTINCT A.z; GENERATE group, SUM(A.x), COUNT(d), MIN(A.x){bag}; }};
STORE C INTO '{out}';
"""
ROWS = [("a", None, ""), ("b", 1, "p"), ("b", 2, "p"), ("b", None, "q"), ("c", 3, "")]


def _expected(with_bag: bool) -> list[str]:
    out = []
    for k in ("a", "b", "c"):
        xs = [x for kk, x, _ in ROWS if kk == k and x is not None]
        zs = sorted({z for kk, _, z in ROWS if kk == k})  # '' is null
        bag = "{" + ",".join(f"({z})" for z in zs) + "}"
        count = sum(1 for z in zs if z)
        line = [k, str(sum(xs)) if xs else "", str(count), str(min(xs)) if xs else ""]
        out.append("\t".join(line + [bag] if with_bag else line))
    return out


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
@pytest.mark.parametrize("sets", ["", "SET pig.codegen false;\n"])
@pytest.mark.parametrize("with_bag", [False, True])
def test_distinct_after_other_calls(tmp_path: Path, mode: str, sets: str, with_bag: bool) -> None:
    """COUNT(d) alone reads the values (`aggregates._outer_of_distinct`); d itself, rows."""
    (tmp_path / "a.txt").write_text(
        "".join(f"{k}\t{'' if x is None else x}\t{z}\n" for k, x, z in ROWS)
    )
    out = tmp_path / "out"
    log = io.StringIO()
    script = SCRIPT.format(sets=sets, out=out.as_uri(), bag=", d" if with_bag else "")
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines: list[str] = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text().split("\n")[:-1]
    got = sorted(
        "\t".join(f[:4] + ["{" + ",".join(sorted(f[4][1:-1].split(","))) + "}"])
        if with_bag
        else "\t".join(f)
        for f in (line.split("\t") for line in lines)
    )
    assert got == _expected(with_bag)


def test_flags_are_per_call() -> None:
    funcs = ["SUM", "Distinct", "MIN"]
    assert intermediates_of(funcs, [False, True, False])[1] is intermediate_for(True)
    assert finals_of(funcs, [False, True, False])[1] is final_for(True)
    assert intermediates_of(["Distinct", "Distinct"], [False, True])[0] is intermediate_for(False)
