"""Issue 16: a builtin given an argument of a type it does not take is refused when the script
is built, as Pig's type checker does, instead of failing inside a task at run time.

Expected behaviour from Pig (TypeCheckingExpVisitor): a builtin with declared argument types
(its getArgToFuncMapping) matches an argument that is of the declared type or can be cast to it
implicitly: bytearray to anything, int to long/float/double, long to float/double, float to
double, and a null constant to anything. Otherwise: `ERROR 1045: <file q.pig, line 2, column N>
Could not infer the matching function for org.apache.pig.builtin.UPPER as multiple or none of
them fit. Please use an explicit cast.`
"""

from __future__ import annotations

import io
import math

import pytest

from piglatin.errors import PigError
from piglatin.front.builder import build_text
from piglatin.launcher import run_script
from piglatin.tools import cli

LOAD = "A = LOAD 'in.txt' AS (n:int, s:chararray, d:double, b, l:long, t:datetime);\n"


def refused(expr: str) -> PigError:
    with pytest.raises(PigError) as info:
        build_text(f"{LOAD}B = FOREACH A GENERATE {expr};\n", file="q.pig")
    return info.value


@pytest.mark.parametrize(
    ("expr", "func"),
    [
        ("UPPER(n)", "UPPER"),
        ("LOWER(d)", "LOWER"),
        ("TRIM(t)", "TRIM"),
        ("SUBSTRING(s, 0, s)", "SUBSTRING"),
        ("SUBSTRING(n, 0, 1)", "SUBSTRING"),
        ("REPLACE(s, 'a', n)", "REPLACE"),
        ("STARTSWITH(s, l)", "STARTSWITH"),
        ("SQRT(s)", "SQRT"),
        ("ABS(t)", "ABS"),
        ("ROUND(s)", "ROUND"),
        ("GetYear(s)", "GetYear"),
        ("DaysBetween(t, n)", "DaysBetween"),
        ("ToString(n)", "ToString"),
        ("CONCAT(n, s)", "CONCAT"),
        ("CONCAT(s, '-', d)", "CONCAT"),
    ],
)
def test_a_builtin_given_a_type_it_does_not_take_is_refused_at_build(expr, func):
    e = refused(expr)
    assert e.code == 1045
    assert e.message == (
        f"Could not infer the matching function for org.apache.pig.builtin.{func} as multiple "
        "or none of them fit. Please use an explicit cast."
    )
    assert e.line == 2 and e.column == len("B = FOREACH A GENERATE ") + 1  # 1-based


@pytest.mark.parametrize(
    "expr",
    [
        "UPPER(s)", "UPPER(b)", "UPPER(null)", "UPPER((chararray)n)",
        "SUBSTRING(s, n, n)", "SUBSTRING(b, 0, 1)",
        "SQRT(n)", "SQRT(l)", "SQRT(b)", "ABS(n)", "ROUND(n)", "CEIL(l)", "LOG(d)",
        "GetYear(t)", "GetYear(b)", "DaysBetween(t, t)", "ToString(t)", "ToString(t, s)",
        "ToDate(s)", "ToDate(l)", "ToDate(n)", "ToDate(s, 'yyyy')", "SIZE(n)", "SIZE(s)",
        "CONCAT(s, s)", "CONCAT(s, '-', b, null)", "CONCAT(b, b)", "CONCAT((chararray)n, s)",
    ],
)  # fmt: skip
def test_implicit_casts_pig_allows_are_kept(expr):
    build_text(f"{LOAD}B = FOREACH A GENERATE {expr};\n", file="q.pig")


def test_the_cli_prints_one_line_and_runs_no_job(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\ta\n")
    (tmp_path / "q.pig").write_text(
        "A = LOAD 'in.txt' AS (x:int, y:chararray);\nB = FOREACH A GENERATE UPPER(x);\nDUMP B;\n"
    )
    status = cli.main(["-x", "local", "q.pig"])
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert status != 0 and "Traceback" not in err and "TypeError" not in err
    assert errors == [
        "ERROR 1045: <file q.pig, line 2, column 23> Could not infer the matching function for "
        "org.apache.pig.builtin.UPPER as multiple or none of them fit. Please use an explicit cast."
    ]
    assert "Total jobs" not in err


def test_allowed_casts_still_compute(tmp_path):
    (tmp_path / "in.txt").write_text("4\tab\t2.25\n9\tCd\t-1.5\n")
    out = io.StringIO()
    script = (
        "A = LOAD 'in.txt' AS (n:int, s, d:double);\n"
        "B = FOREACH A GENERATE SQRT(n), UPPER(s), ABS(d), ROUND(n), SUBSTRING(s, 0, n - n + 1);\n"
        "DUMP B;\n"
    )
    assert run_script(script, cwd=tmp_path, out=out) == 0
    assert out.getvalue().splitlines() == [
        f"({math.sqrt(4)},AB,2.25,4,a)",
        f"({math.sqrt(9)},CD,1.5,9,C)",
    ]
