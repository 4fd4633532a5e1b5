"""Data-level behaviours of Pig 0.17 (session 17): each expected answer comes from Pig's
source or documentation (named in the test), never from this implementation's output."""

from __future__ import annotations

from pathlib import Path

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
