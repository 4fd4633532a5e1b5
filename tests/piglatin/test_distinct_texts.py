"""A DISTINCT's map code skips its rows' plain-types test when every column is a text of
the line or null (`codegen.Generator.text_only`: a chararray field, or a bytearray field cast
to chararray): such a row is plain, so a row equal to one remembered is the same row. Any
other column keeps the test ((False,) equals (0,) in Python). Expected rows come from plain
Python sets; the generated code is read from EXPLAIN."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import explain_text
from tests.piglatin.storedrun import stored_run

TEXTS = """A = LOAD 'a.txt' AS (u:chararray, q:chararray);
B = FOREACH A GENERATE u, q;
C = DISTINCT B;
W = LOAD 'w.txt';
X = FOREACH W GENERATE (chararray)$0 AS u, (chararray)$1 AS q;
Y = DISTINCT X;
D = UNION C, Y;
E = DISTINCT D;
STORE E INTO 'OUT';"""

MIXED = """A = LOAD 'a.txt' AS (u:chararray, n:int);
C = DISTINCT A;
STORE C INTO 'OUT';"""

WORDS = st.sampled_from(["", "a", "b", "é", "a b", "0", "1"])


def _write(where: Path, rows, name: str) -> None:
    (where / name).write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(WORDS, WORDS), max_size=30), st.lists(st.tuples(WORDS, WORDS), max_size=30)
)
def test_distinct_text_rows_are_the_python_set(tmp_path: Path, rows, wide) -> None:
    _write(tmp_path, rows, "a.txt")
    _write(tmp_path, wide, "w.txt")
    out = f"o{len(list(tmp_path.iterdir()))}"
    got, warned = stored_run(tmp_path, TEXTS, out)
    assert sorted(got) == sorted({"\t".join(r) for r in rows + wide})
    assert not warned


def test_int_rows_keep_the_plain_test_and_are_the_python_set(tmp_path: Path) -> None:
    rows = [("a", "1"), ("a", "01"), ("a", "1"), ("", ""), ("b", "x"), ("", "")]
    _write(tmp_path, rows, "a.txt")
    got, _ = stored_run(tmp_path, MIXED, "o")
    assert sorted(got) == sorted({"a\t1", "\t", "b\t"})


def _generated(tmp_path: Path, script: str) -> str:
    (tmp_path / "a.txt").write_text("a\t1\n")
    (tmp_path / "w.txt").write_text("a\tb\n")
    return explain_text(script.replace("OUT", "o"), cwd=str(tmp_path))


def test_the_test_is_dropped_for_texts_only(tmp_path: Path) -> None:
    texts = _generated(tmp_path, TEXTS)
    mixed = _generated(tmp_path, MIXED)
    assert "in _rows" in texts and "issuperset(map(type" not in texts
    assert "issuperset(map(type" in mixed


UDF = """from pig_util import outputSchema


@outputSchema("b:bytearray")
def listy(x):
    return [x, 1]
"""


def test_a_udf_list_typed_bytearray_is_kept_not_failed(tmp_path: Path) -> None:
    """The row's set lookup raised 'unhashable type: list' and failed the task; the closures
    (pig.codegen false) give the row once. (Pig writes the list as the bag {(a),(1)}: a Python
    UDF's list is a bag (udf.pig_value); that a bag in a bytearray field is written as a tuple
    is test_udf_results.py's strict xfail.)"""
    (tmp_path / "u.py").write_text(UDF)
    _write(tmp_path, [("a", "1"), ("b", "2"), ("a", "1")], "a.txt")
    script = """{}REGISTER 'u.py' USING jython AS f;
        A = LOAD 'a.txt' AS (k:chararray, x:int);
        B = FOREACH A GENERATE k, f.listy(k) AS b;
        C = DISTINCT B; STORE C INTO 'OUT';"""
    on, _ = stored_run(tmp_path, script.format(""), "on")
    off, _ = stored_run(tmp_path, script.format("SET pig.codegen false;\n"), "off")
    assert sorted(on) == sorted(off)
    assert [row.split("\t")[0] for row in sorted(on)] == ["a", "b"]
