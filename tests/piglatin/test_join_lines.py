"""A hash join's reduce side writes each batch of joined rows as one text (`reducers._bulk_lines`
with `codegen.text_lines`: the STORE's typed conversions in one generated comprehension), and
falls back to row by row for a batch it cannot write (a bytearray field, stored as raw bytes).
Both must give PigStorage's lines. Expected lines come from a plain-Python join and a small
formatter written here (null empty; these doubles print as Python's repr, as Java's do)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

KEYS = st.sampled_from(["a", "b", "c", ""])
DOUBLES = st.sampled_from([None, 0.5, 2.25, 100.0, -3.75])
INTS = st.sampled_from([None, 0, 7, -12])
LEFT = st.lists(st.tuples(KEYS, DOUBLES, INTS), max_size=25)
RIGHT = st.lists(st.tuples(KEYS, st.sampled_from(["p", "q", ""])), max_size=10)


def fmt(v) -> str:
    return "" if v is None else str(v)


def stored(tmp: Path, left: list, right: list, script: str) -> list[str]:
    (tmp / "l.txt").write_text("".join("\t".join(map(fmt, r)) + "\n" for r in left))
    (tmp / "r.txt").write_text("".join("\t".join(map(fmt, r)) + "\n" for r in right))
    assert run_script(script, exec_type="local", cwd=tmp, filename="t.pig", out=io.StringIO()) == 0
    out: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        out += part.read_text().splitlines()
    return sorted(out)


def joined(left: list, right: list, outer: bool) -> list[str]:
    out = []
    for k, x, n in left:
        matches = [r for r in right if k and r[0] == k]  # an empty field is a null key
        if not matches and outer:
            matches = [(None, None)]
        for rk, y in matches:
            y = y or None
            out.append("\t".join(map(fmt, (k or None, x, n, rk, y))))
    return sorted(out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=LEFT, right=RIGHT, outer=st.booleans())
def test_typed_joined_rows_are_written_as_pig_writes_them(left, right, outer) -> None:
    kind = "LEFT OUTER" if outer else ""
    script = f"""L = LOAD 'l.txt' AS (k:chararray, x:double, n:int);
        R = LOAD 'r.txt' AS (k:chararray, y:chararray);
        J = JOIN L BY k {kind}, R BY k;
        STORE J INTO 'out';"""
    with tempfile.TemporaryDirectory() as tmp:
        assert stored(Path(tmp), left, right, script) == joined(left, right, outer)


def test_a_bytearray_field_takes_the_row_by_row_path(tmp_path: Path) -> None:
    left = [("a", 1.5, 3), ("b", None, 4), ("a", 2.25, None)]
    right = [("a", "p"), ("a", "q"), ("c", "r")]
    script = """L = LOAD 'l.txt' AS (k:chararray, x:double, n);
        R = LOAD 'r.txt' AS (k:chararray, y:chararray);
        J = JOIN L BY k LEFT OUTER, R BY k;
        STORE J INTO 'out';"""
    assert stored(tmp_path, left, right, script) == joined(left, right, True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=LEFT, right=RIGHT)
def test_joined_rows_packed_for_a_later_job(left, right) -> None:
    """A join whose rows feed a GROUP writes them packed for the next job, a batch at a time
    (`reducers._bulk_records`); the GROUP's sums are plain Python's."""
    script = """L = LOAD 'l.txt' AS (k:chararray, x:double, n:int);
        R = LOAD 'r.txt' AS (k:chararray, y:chararray);
        J = JOIN L BY k, R BY k;
        G = GROUP J BY R::y;
        S = FOREACH G GENERATE group, COUNT(J), SUM(J.n);
        STORE S INTO 'out';"""
    groups: dict = {}
    for k, _x, n in left:
        for rk, y in right:
            if k and rk == k:
                count, total = groups.get(y or None, (0, None))
                if n is not None:
                    total = n if total is None else total + n
                groups[y or None] = (count + 1, total)
    want = sorted("\t".join(map(fmt, (y, c, t))) for y, (c, t) in groups.items())
    with tempfile.TemporaryDirectory() as tmp:
        assert stored(Path(tmp), left, right, script) == want
