"""Data-level behaviours of Pig 0.17 (session 17): each expected answer comes from Pig's
source or documentation (named in the test), never from this implementation's output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import run_script
from tests.piglatin.storedrun import printed_lines as run


def test_define_alias_stands_for_its_load_and_store_function(tmp_path: Path) -> None:
    # LogicalPlanGenerator.g func_clause: builder.lookupFunction(name) first, for both
    # `USING X` and `USING X(args)`; the DEFINEd spec wins and the call's args are unused
    files = {"csv": "a,1\nb,2\n"}
    script = (
        "DEFINE CSV PigStorage(',');\n"
        "A = LOAD 'csv' USING CSV AS (k:chararray, v:int);\n"
        "B = FOREACH A GENERATE k, v + 1;\n"
        "STORE B INTO 'out' USING CSV();\n"
        "C = LOAD 'out' USING CSV('|') AS (k:chararray, v:int);\nDUMP C;\n"
    )
    assert run(tmp_path, files, script) == ["(a,2)", "(b,3)"]
    assert (tmp_path / "out" / "part-m-00000").read_text() == "a,2\nb,3\n"


def test_a_define_after_the_load_does_not_apply_to_it(tmp_path: Path) -> None:
    # the alias is looked up when the LOAD is built: a later DEFINE of the same name is not
    # seen by it (here the name is not a function at all before the DEFINE: PigStorage's
    # default tab delimiter is not what reads the file)
    files = {"in": "a,1\tx\n"}
    script = (
        "A = LOAD 'in' USING PigStorage AS (k:chararray, v:chararray);\n"
        "DEFINE PigStorage PigStorage(',');\nDUMP A;\n"
    )
    assert run(tmp_path, files, script) == ["(a,1,x)"]


def test_tuple_text_with_fewer_fields_than_its_schema_is_null(tmp_path: Path) -> None:
    # Utf8StorageConverter.consumeTuple reads each declared field up to ',' (')' for the
    # last): a text that closes early reaches the end ("Unexpect end of tuple") and
    # bytesToTuple returns null; a one-field schema reads "()" as one empty (null) field;
    # inside a bag the exception ends the whole bag (null)
    files = {"in": "(1,2)\t{(1,2)}\t()\n(1)\t{(1)}\t(3)\n()\t{(1,2),(3)}\t\n"}
    script = (
        "A = LOAD 'in' AS (t:tuple(p:int, q:int), b:bag{r:tuple(p:int, q:int)}, "
        "o:tuple(z:int));\n"
        "B = FOREACH A GENERATE t, SIZE(t), b, o;\nDUMP B;"
    )
    assert run(tmp_path, files, script) == [
        "((1,2),2,{(1,2)},())",
        "(,,,(3))",
        "(,,,)",
    ]


STUDENT = "alice\t20\t2.47\nluke\t18\t4.00\nholly\t24\t3.27\n"


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_scalar_straight_from_a_load_also_read_as_a_relation(tmp_path: Path, mode: str) -> None:
    # Pig Latin Basics, "Casting Relations to Scalars": any one-row relation; T is also
    # joined as a relation here, and an untyped LOAD's scalar column is a bytearray
    files = {"in": STUDENT, "total": "x\t5\n"}
    script = (
        "A = LOAD 'in' AS (name:chararray, age:int, gpa:double);\n"
        "T = LOAD 'total' AS (tag:chararray, n:int);\n"
        "U = LOAD 'total';\n"
        "B = FOREACH A GENERATE name, age - T.n, (chararray) U.$0;\n"
        "J = JOIN B BY $2, T BY tag;\nDUMP J;\n"
    )
    assert sorted(run(tmp_path, files, script, mode)) == [
        "(alice,15,x,x,5)",
        "(holly,19,x,x,5)",
        "(luke,13,x,x,5)",
    ]


def test_scalar_load_of_more_than_one_row_is_an_error(tmp_path: Path) -> None:
    # ReadScalars: "Scalar has more than one row in the output" (ERROR 1066 up the stack)
    (tmp_path / "in").write_text(STUDENT)
    script = (
        "A = LOAD 'in' AS (name:chararray, age:int);\n"
        "B = FOREACH A GENERATE name, A.age;\nDUMP B;\n"
    )
    with pytest.raises(PigError, match="Scalar has more than one row"):
        run_script(script, cwd=tmp_path, filename="s.pig", out=io.StringIO())


def test_flatten_of_a_null_bag_or_tuple_is_one_null_field(tmp_path: Path) -> None:
    # Pig 0.17 POForEach: a null is no DataBag (no iterator) and no Tuple, so createTuple
    # appends it as it is: ONE null field (PIG-5201's padding to the schema came in 0.18).
    # The row is then shorter than the schema: POProject past its end gives null
    # (ACCESSING_NON_EXISTENT_FIELD), fields after the null move left by place
    files = {"in": "(1,2)\t{(a,1),(b,2)}\n(3,4)\t\n\t{(c,3)}\n"}
    script = (
        "A = LOAD 'in' AS (t:tuple(x:int, y:int), b:bag{r:tuple(n:chararray, v:int)});\n"
        "C = FOREACH A GENERATE FLATTEN(t), FLATTEN(b);\n"
        "D = FOREACH C GENERATE x, y, n, v, v + 1;\nDUMP D;\n"
        "G = GROUP C BY v;\nE = FOREACH G GENERATE group, COUNT(C), SUM(C.x);\nDUMP E;\n"
        "H = FOREACH A GENERATE FLATTEN(b), FLATTEN(t);\nDUMP H;\n"
        "STORE C INTO 'out';\n"
    )
    lines = run(tmp_path, files, script)
    assert lines[:4] == ["(1,2,a,1,2)", "(1,2,b,2,3)", "(3,4,,,)", "(,c,3,,)"]
    # the null group: (3,4,null) and (null,c,3); COUNT skips the row whose field 0 is null
    assert sorted(lines[4:7]) == ["(,1,3)", "(1,1,1)", "(2,1,1)"]
    assert lines[7:] == ["(a,1,1,2)", "(b,2,1,2)", "(,3,4)", "(c,3,)"]
    stored = (tmp_path / "out" / "part-m-00000").read_text()
    assert stored == "1\t2\ta\t1\n1\t2\tb\t2\n3\t4\t\n\tc\t3\n"


def test_flatten_of_a_null_keeps_the_floats_before_it(tmp_path: Path) -> None:
    # a short row's fields before the FLATTEN are where the schema says: a float there is
    # still written by Float.toString
    files = {"in": "0.1\t(0.2,3)\n0.1\t\n"}
    script = (
        "A = LOAD 'in' AS (f:float, t:tuple(x:float, y:int));\n"
        "C = FOREACH A GENERATE f, FLATTEN(t);\nDUMP C;\n"
    )
    assert run(tmp_path, files, script) == ["(0.1,0.2,3)", "(0.1,)"]


def test_tomap_of_floats_is_written_by_float_tostring(tmp_path: Path) -> None:
    # TOMAP.outputSchema (Pig 0.16+, PIG-4674) types the map by its values: map[float];
    # its values are the Float objects, written by Float.toString (PigStorage, DUMP, inside
    # a GROUP's bag too, and JsonStorage's map values are their toString); a double stays
    # Double.toString
    files = {"in": "0.1\t0.1\n"}
    script = (
        "A = LOAD 'in' AS (f:float, d:double);\n"
        "B = FOREACH A GENERATE TOMAP('k', f) AS m, TOMAP('d', d) AS n;\nDESCRIBE B;\nDUMP B;\n"
        "G = GROUP B ALL;\nDUMP G;\n"
        "STORE B INTO 'out';\nSTORE B INTO 'json' USING JsonStorage();\n"
    )
    lines = run(tmp_path, files, script)
    assert lines[0].replace(" ", "") == "B:{m:map[float],n:map[double]}"
    assert lines[1:] == ["([k#0.1],[d#0.1])", "(all,{([k#0.1],[d#0.1])})"]
    assert (tmp_path / "out" / "part-m-00000").read_text() == "[k#0.1]\t[d#0.1]\n"
    json_line = (tmp_path / "json" / "part-m-00000").read_text()
    assert json_line == '{"m":{"k":"0.1"},"n":{"d":"0.1"}}\n'
