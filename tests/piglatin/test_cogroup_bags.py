"""COGROUP's reduce side builds a key's bags a shuffled record at a time (`spillbag.group_bags`
with `mapgroups.group_rows`: a map task's list of a key's rows unpacked at once), and goes on
measuring and spilling past `spillbag.CHECK_ROWS` rows. Whatever the records hold, the bags
are the rows plain Python groups, with the map-side grouping on and off, and for a key bigger
than one check and than one grouped record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.back.spillbag import CHECK_ROWS
from piglatin.launcher import run_script

SCRIPT = """SET pig.exec.mapKeyGroups {grouped};
SET pig.exec.nocombiner true; -- bags, not the partials of cogroupaggs.py
A = LOAD 'a.txt' AS (k:chararray, n:int);
B = LOAD 'b.txt' AS (k:chararray, m:int);
C = COGROUP A BY k, B BY k;
D = FOREACH C GENERATE group, COUNT(A), SUM(A.n), COUNT(B), SUM(B.m), MAX(A.n);
STORE D INTO 'out';"""


@pytest.mark.parametrize("grouped", ["true", "false"])
def test_bags_of_small_and_big_keys(tmp_path: Path, grouped: str) -> None:
    a = [("big", i) for i in range(CHECK_ROWS + 1500)] + [("x", i) for i in range(7)]
    a += [("", 5), ("y", 1)]  # a null key: its own group per input
    b = [("big", 3), ("x", 2), ("x", 4), ("z", 9), ("", 1)]
    (tmp_path / "a.txt").write_text("".join(f"{k}\t{n}\n" for k, n in a))
    (tmp_path / "b.txt").write_text("".join(f"{k}\t{m}\n" for k, m in b))
    script = SCRIPT.format(grouped=grouped)
    assert (
        run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=io.StringIO())
        == 0
    )
    got = sorted((tmp_path / "out" / "part-r-00000").read_text().splitlines())

    def line(k, rows_a, rows_b) -> str:
        na, nb = [n for _, n in rows_a], [m for _, m in rows_b]
        # COUNT skips rows whose first field (here the key) is null
        ca, cb = sum(1 for r in rows_a if r[0]), sum(1 for r in rows_b if r[0])
        fields = [k, ca, sum(na) if na else "", cb, sum(nb) if nb else "", max(na, default="")]
        return "\t".join(map(str, fields))

    want = []
    for k in sorted({k for k, _ in a + b if k}):
        want.append(line(k, [r for r in a if r[0] == k], [r for r in b if r[0] == k]))
    # null keys of different inputs are different groups (Pig's COGROUP)
    want.append(line("", [r for r in a if not r[0]], []))
    want.append(line("", [], [r for r in b if not r[0]]))
    assert got == sorted(want)
