"""Pig 0.17 Built In Functions (func.xml) examples run end to end in local mode, compared
with the page's DUMP output (its L/F suffixes are the page's notation), and the Joda-Time
pattern letters ToString documents by reference (DateTimeFormat: G era, C century of era,
x week-year, z zone name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from piglatin.functions.builtins import format_joda
from tests.piglatin.storedrun import printed_lines as run

STUDENT = "John\tfl\t3.9\nJohn\twt\t3.7\nJohn\tsp\t4.0\nJohn\tsm\t3.8\n" + (
    "Mary\tfl\t3.8\nMary\twt\t3.9\nMary\tsp\t4.0\nMary\tsm\t4.0\n"
)


def test_avg_max_min_examples(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'student.txt' AS (name:chararray, term:chararray, gpa:float);\n"
        "B = GROUP A BY name;\nC = FOREACH B GENERATE A.name, AVG(A.gpa);\nDUMP C;\n"
        "X = FOREACH B GENERATE group, MAX(A.gpa), MIN(A.gpa);\nDUMP X;"
    )
    assert sorted(run(tmp_path, {"student.txt": STUDENT}, script)) == [
        "(John,4.0,3.7)",
        "(Mary,4.0,3.8)",
        "({(John),(John),(John),(John)},3.850000023841858)",
        "({(Mary),(Mary),(Mary),(Mary)},3.925000011920929)",
    ]


def test_diff_subtract_examples(tmp_path: Path) -> None:
    files = {
        "d": "{(8,9),(0,1)}\t{(8,9),(1,1)}\n{(2,3),(4,5)}\t{(2,3),(4,5)}\n"
        "{(6,7),(3,7)}\t{(2,2),(3,7)}\n",
        "s": "{(8,9),(0,1),(1,2)}\t{(8,9),(1,1)}\n{(2,3),(4,5)}\t{(2,3),(4,5)}\n"
        "{(6,7),(3,7),(3,7)}\t{(2,2),(3,7)}\n",
    }
    schema = "(B1:bag{T1:tuple(t1:int,t2:int)},B2:bag{T2:tuple(f1:int,f2:int)})"
    script = (
        f"A = LOAD 'd' AS {schema};\nX = FOREACH A GENERATE DIFF(B1,B2);\nDUMP X;\n"
        f"S = LOAD 's' AS {schema};\nY = FOREACH S GENERATE SUBTRACT(B1,B2);\nDUMP Y;"
    )
    assert run(tmp_path, files, script) == [
        "({(0,1),(1,1)})",
        "({})",
        "({(6,7),(2,2)})",
        "({(0,1),(1,2)})",
        "({})",
        "({(6,7)})",
    ]


def test_math_tables(tmp_path: Path) -> None:
    # the CEIL, FLOOR and ROUND tables (ROUND is Math.round: half up, so -3.5 -> -3)
    xs = ["4.6", "3.5", "2.4", "1.0", "-1.0", "-2.4", "-3.5", "-4.6"]
    script = (
        "A = LOAD 'x' AS (x:double);\nB = FOREACH A GENERATE CEIL(x), FLOOR(x), ROUND(x);\nDUMP B;"
    )
    lines = run(tmp_path, {"x": "\n".join(xs) + "\n"}, script)
    ceil = [5, 4, 3, 1, -1, -2, -3, -4]
    floor = [4, 3, 2, 1, -1, -3, -4, -5]
    rnd = [5, 4, 2, 1, -1, -2, -3, -5]
    assert lines == [f"({c}.0,{f}.0,{r})" for c, f, r in zip(ceil, floor, rnd, strict=True)]


@pytest.mark.parametrize(
    "when, pattern, text",
    [
        (
            datetime(2012, 3, 4, 5, 6, 7, tzinfo=UTC),
            "yyyy.MM.dd G 'at' HH:mm:ss z",
            "2012.03.04 AD at 05:06:07 UTC",
        ),
        (datetime(2012, 1, 1, tzinfo=UTC), "xxxx-'W'ww-e", "2011-W52-7"),
        (datetime(2012, 1, 1, tzinfo=UTC), "CC yy", "20 12"),
        (
            datetime(2012, 1, 1, tzinfo=timezone(timedelta(hours=8))),
            "z Z ZZ",
            "+08:00 +0800 +08:00",
        ),
    ],
)
def test_tostring_joda_letters(when: datetime, pattern: str, text: str) -> None:
    assert format_joda(when, pattern) == text


def test_concat_types(tmp_path: Path) -> None:
    # CONCAT.java: CONCAT of bytearrays is a bytearray (outputSchema BYTEARRAY); any
    # chararray argument picks StringConcat (chararray); the doc's example concatenates f2, f3
    files = {"data": "apache\topen\tsource\nhadoop\tmap\treduce\n"}
    script = (
        "A = LOAD 'data' as (f1:chararray, f2:chararray, f3:chararray);\n"
        "X = FOREACH A GENERATE CONCAT(f2,f3);\nDUMP X;\n"
        "U = LOAD 'data' as (f1, f2, f3);\n"
        "Y = FOREACH U GENERATE CONCAT(f1, f2), CONCAT(f1, (chararray)f2), CONCAT(f1, f2, f3);\n"
        "DESCRIBE Y;\nZ = FILTER Y BY $0 == 'apacheopen';\nDUMP Z;"
    )
    assert run(tmp_path, files, script) == [
        "(opensource)",
        "(mapreduce)",
        "Y: {bytearray,chararray,bytearray}",
        "(apacheopen,apacheopen,apacheopensource)",
    ]
