"""FLATTEN of a tuple-valued builtin with an AS clause that casts (``FLATTEN(STRSPLIT(ts, 'T',
2)) AS (day:chararray, time:chararray)``) runs in the generated map code, not the closures:
Pig's FLATTEN of a tuple gives its fields as columns (a shorter tuple: its own fields), of a
null tuple nulls of the declared width, each field cast to the declared type. Checked against
plain Python over hypothesis text (separators, empty pieces, nulls, non-ASCII and astral
characters, numbers that do and do not convert), with codegen on and off."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

INT_MAX = 2**31 - 1

# pieces: digits (cast to int), '-' (a sign or a bad number), letters, non-ASCII and astral
# characters, Arabic-Indic digits (not ASCII: the caster decides them)
piece = st.text(alphabet="0123456789-xé😀٣ ", max_size=6)
text = st.none() | st.lists(piece, max_size=4).map(lambda ps: ",".join(ps))
rows_strategy = st.lists(st.tuples(text, st.none() | st.integers(-9, 9)), max_size=30)

SCRIPT = """
A = LOAD 'in' AS (s:chararray, n:int);
B = FOREACH A GENERATE n, FLATTEN(STRSPLIT(s, ',', 3)) AS (a:int, b:chararray, c:long), n * 2;
STORE B INTO 'out';
"""


def _run(where: Path, rows, script: str, codegen: str) -> list[str]:
    body = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
    (where / "in").write_text(body, encoding="utf-8")
    shutil.rmtree(where / "out", ignore_errors=True)
    with PigServer(
        "local", cwd=where, out=io.StringIO(), properties={"pig.codegen": codegen}
    ) as pig:
        pig.register_script(script)
    lines: list[str] = []
    for part in sorted((where / "out").glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return sorted(lines)


def _explained(where: Path, script: str) -> str:
    out = io.StringIO()
    with PigServer("local", cwd=where, out=out) as pig:
        pig.register_script(script.replace("STORE B INTO 'out';", "EXPLAIN B;"))
    text = out.getvalue()
    return text[text.index("# Generated code (map side)") :]


def _java_int(s: str, hi: int) -> int | None:
    """Pig's cast of a chararray of ASCII digits with an optional '-' (no other character)."""
    if not re.fullmatch(r"-?[0-9]+", s) or not -hi - 1 <= int(s) <= hi:
        return None
    return int(s)


def _expected(rows) -> list[str] | None:
    """The rows by hand; None when a piece is outside what `_java_int` decides (non-ASCII
    digits, spaces: those are compared between codegen on and off only)."""
    out = []
    for s, n in rows:
        if not s:  # PigStorage reads an empty field as null
            fields = [None, None, None]  # FLATTEN of a null tuple: nulls of the AS width
        else:
            parts = s.split(",", 2)  # Java's split(",", 3): at most 3 pieces, empties kept
            casts = [
                lambda p: _java_int(p, INT_MAX),
                lambda p: p,
                lambda p: _java_int(p, 2**63 - 1),
            ]
            if any(c in p for p in parts for c in "٣ ") and len(parts) != 2:
                return None
            if any(c in p for i, p in enumerate(parts) for c in "٣ " if i != 1):
                return None
            fields = [cast(p) for cast, p in zip(casts, parts)]
        double = None if n is None else n * 2
        cells = [n, *fields, double]
        out.append("\t".join("" if v is None else str(v) for v in cells))
    return sorted(out)


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_flatten_strsplit_with_casts_matches_plain_python(tmp_path_factory, codegen, rows):
    got = _run(tmp_path_factory.mktemp("flat"), rows, SCRIPT, codegen)
    want = _expected(rows)
    if want is not None:
        assert got == want
    else:
        other = "false" if codegen == "true" else "true"
        assert got == _run(tmp_path_factory.mktemp("flat"), rows, SCRIPT, other)


def test_a_short_and_a_null_tuple_keep_their_width(tmp_path):
    rows = [("7,x,9", 1), ("8", 2), (None, 3), (",", 4), ("1,2,3,4", 5)]
    want = [
        "1\t7\tx\t9\t2",
        "2\t8\t4",
        "3\t\t\t\t6",
        "4\t\t\t8",
        "5\t1\t2\t\t10",
    ]  # c: "3,4" is no long
    for codegen in ("true", "false"):
        assert _run(tmp_path, rows, SCRIPT, codegen) == sorted(want)


def test_the_flatten_is_generated_not_left_to_the_closures(tmp_path):
    code = _explained(tmp_path, SCRIPT)
    assert "_rest" not in code  # the pipeline does not leave generated code at the FOREACH
    assert re.search(r"c\d+, c\d+, c\d+ = _r\d+", code)  # the tuple's fields unpacked inline


def test_a_grouped_flatten_of_strsplit(tmp_path):
    """Q02's shape: FLATTEN(STRSPLIT) AS typed columns into an in-map GROUP fold."""
    script = """
    A = LOAD 'in' AS (s:chararray, n:int);
    B = FOREACH A GENERATE FLATTEN(STRSPLIT(s, 'T', 2)) AS (day:chararray, time:chararray), n;
    G = GROUP B BY day;
    C = FOREACH G GENERATE group, COUNT(B), MAX(B.time), SUM(B.n);
    STORE C INTO 'out';
    """
    rows = [("d1T10", 1), ("d1T12", 2), ("d2T09", None), (None, 5), ("Té😀", 6)]
    # COUNT skips a null first field (the null day's group counts 0); '' is a day of its own
    want = ["d1\t2\t12\t3", "d2\t1\t09\t", "\t0\t\t5", "\t1\té😀\t6"]
    for codegen in ("true", "false"):
        assert _run(tmp_path, rows, script, codegen) == sorted(want)
