"""The in-map fold's flush (`aggregates.slots_flush`) with aggregates of one and of two slots
and a nested DISTINCT in one GROUP (SUM, AVG, COUNT of a DISTINCT, MIN): each key's partials
leave the map task right, with nulls, repeated and single keys, a null key, and both with the
generated fold and with the closures. Plain Python computes Pig's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.piglatin.storedrun import printed_lines, stored_run

SCRIPT = """{sets}A = LOAD 'a.txt' AS (k:chararray, x:int, y:double, z:chararray);
B = GROUP A BY k;
C = FOREACH B {{ d = DISTINCT A.z; GENERATE group, SUM(A.x), AVG(A.y), COUNT(d), MIN(A.x); }};
STORE C INTO 'OUT';
"""
SETS = {"codegen": "", "closures": "SET pig.codegen false;\n"}
rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", ""]),
        st.one_of(st.none(), st.integers(-9, 9)),
        st.one_of(st.none(), st.sampled_from([0.5, 1.25, -2.0])),
        st.sampled_from(["p", "q", ""]),
    ),
    max_size=20,
)


def cell(v) -> str:
    return "" if v is None else str(v)


def expected(data: list) -> list[str]:
    groups: dict = {}
    for k, x, y, z in data:
        groups.setdefault(k or None, []).append((x, y, z or None))
    out = []
    for k, bag in groups.items():
        xs = [x for x, _y, _z in bag if x is not None]
        ys = [y for _x, y, _z in bag if y is not None]
        zs = {z for _x, _y, z in bag if z is not None}  # COUNT skips the null row
        avg = sum(ys) / len(ys) if ys else None
        line = [k, sum(xs) if xs else None, avg, len(zs), min(xs) if xs else None]
        out.append("\t".join(map(cell, line)))
    return sorted(out)


@pytest.mark.parametrize("config", list(SETS))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=rows)
# a key whose every value is null: its reduce read a partial as None (CI at 0198310)
@example(data=[("a", None, None, "")])
def test_partials(tmp_path: Path, config: str, data: list) -> None:
    d = tmp_path / f"{config}-{len(list(tmp_path.iterdir()))}"
    d.mkdir()
    text = "".join(f"{k}\t{cell(x)}\t{cell(y)}\t{z}\n" for k, x, y, z in data)
    (d / "a.txt").write_text(text, encoding="utf-8")
    got, _warnings = stored_run(d, SCRIPT.format(sets=SETS[config]), "out")
    assert sorted(got) == expected(data)


def test_combined(tmp_path: Path) -> None:
    """The GROUP is folded on the map side (a Combine Plan), or the cases are moot."""
    script = SCRIPT.format(sets="").replace("STORE C INTO 'OUT';", "EXPLAIN C;")
    lines = printed_lines(tmp_path, {"a.txt": "a\t1\t1.0\tp\n"}, script)
    assert any("Combine Plan" in line for line in lines)
