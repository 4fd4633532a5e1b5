"""Examples of Pig 0.17's Pig Latin Basics page (basic.xml), run end to end in local mode
and compared with the page's own DESCRIBE and DUMP output (its F/L suffixes are the page's
notation, not DUMP's)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import PigServer
from tests.piglatin.storedrun import printed_lines as run


def test_map_schema_without_the_map_keyword(tmp_path: Path) -> None:
    # "Map Schemas": `AS (M:map [])` and `AS (M:[])` are equivalent
    script = (
        "A = LOAD 'data' AS (M:[]);\nDESCRIBE A;\nDUMP A;\n"
        "B = LOAD 'data' AS (M:[int]);\nDESCRIBE B;"
    )
    lines = run(tmp_path, {"data": "[open#apache]\n[apache#hadoop]\n"}, script)
    assert lines == ["A: {M: map[]}", "([open#apache])", "([apache#hadoop])", "B: {M: map[int]}"]


def test_previous_relation_shortcut(tmp_path: Path) -> None:
    # "Previous Relation Shortcut": `@` is the relation of the previous statement
    script = (
        "a = load 'thing' as (x:int);\n"
        "b = foreach @ generate x;\n"
        "c = foreach @ generate x + 1 as y;\n"
        "d = foreach @ generate y * 10 as z;\n"
        "DESCRIBE d;\nDUMP d;"
    )
    lines = run(tmp_path, {"thing": "1\n2\n"}, script)
    assert lines == ["d: {z: int}", "(20)", "(30)"]


def test_cast_bytearray_to_bag_of_longs_with_l_suffix(tmp_path: Path) -> None:
    # "Cast Operators" example: a bytearray {(4829090493980522200L)} cast to bag{tuple(long)};
    # Utf8StorageConverter.bytesToLong drops the trailing L of a nested field too
    data = "{(4829090493980522200L)}\n{(4893298569862837493L)}\n{(1297789302897398783L)}\n"
    script = (
        "A = LOAD 'data' AS fld:bytearray;\n"
        "B = FOREACH A GENERATE (bag{tuple(long)})fld;\nDUMP B;\n"
        "C = LOAD 'data' AS (b:bag{t:tuple(x:long)});\nDUMP C;"
    )
    expected = [
        "({(4829090493980522200)})",
        "({(4893298569862837493)})",
        "({(1297789302897398783)})",
    ]
    assert run(tmp_path, {"data": data}, script) == expected + expected


def test_cast_bytearray_to_tuple_and_map(tmp_path: Path) -> None:
    # "Cast Operators" examples: (tuple(int,int,float))fld and (map[])fld
    files = {"t": "(1,2,3)\n(4,2,1)\n", "m": "[open#apache]\n[apache#hadoop]\n"}
    script = (
        "A = LOAD 't' AS fld:bytearray;\nB = FOREACH A GENERATE (tuple(int,int,float))fld;\n"
        "DUMP B;\nM = LOAD 'm' AS fld:bytearray;\nN = FOREACH M GENERATE (map[])fld;\n"
        "DESCRIBE N;\nDUMP N;"
    )
    assert run(tmp_path, files, script) == [
        "((1,2,3.0))",
        "((4,2,1.0))",
        "N: {fld: map[]}",
        "([open#apache])",
        "([apache#hadoop])",
    ]


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_nested_block_cross_and_foreach(tmp_path: Path, mode: str) -> None:
    # FOREACH "Example: Nested Block": CROSS of the cogrouped bags, and a FOREACH over it
    # (nested to the second level); the crossed bag's fields are named bag::field
    files = {"one": "1\t10\t100\n1\t20\t200\n2\t30\t300\n", "two": "1\t5\n1\t6\n3\t7\n"}
    script = (
        "a = load 'one' as (a0, a1, a2);\nb = load 'two' as (b0, b1);\n"
        "c = cogroup a by a0, b by b0;\n"
        "d = foreach c {\n    d0 = cross a, b;\n    d1 = foreach d0 generate a1+b1;\n"
        "    generate group, d0, d1;\n}\ndescribe d;\n"
        "e = foreach d generate group, d1;\ndump e;\n"
        "f = foreach c { x = cross a, b; generate group, COUNT(x) as n, FLATTEN(x); }\n"
        "describe f;\ndump f;"
    )
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    out = io.StringIO()
    with PigServer(mode, cwd=tmp_path, out=out) as server:
        server.register_script(script)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "d: {group: bytearray,d0: {(a::a0: bytearray,a::a1: bytearray,a::a2: bytearray,"
        "b::b0: bytearray,b::b1: bytearray)},d1: {(double)}}"
    )
    dumped_e = sorted(lines[1:4])
    assert dumped_e == ["(1,{(15.0),(16.0),(25.0),(26.0)})", "(2,{})", "(3,{})"]
    assert lines[4] == (
        "f: {group: bytearray,n: long,x::a::a0: bytearray,x::a::a1: bytearray,"
        "x::a::a2: bytearray,x::b::b0: bytearray,x::b::b1: bytearray}"
    )
    assert sorted(lines[5:]) == [
        "(1,4,1,10,100,1,5)",
        "(1,4,1,10,100,1,6)",
        "(1,4,1,20,200,1,5)",
        "(1,4,1,20,200,1,6)",
    ]


def test_nested_block_filter_distinct(tmp_path: Path) -> None:
    # FOREACH "Example: Nested Block": FILTER, a projection and DISTINCT in the block
    data = (
        "www.ccc.com\twww.hjk.com\nwww.ddd.com\twww.xyz.org\nwww.aaa.com\twww.cvn.org\n"
        "www.www.com\twww.kpt.net\nwww.www.com\twww.xyz.org\nwww.ddd.com\twww.xyz.org\n"
    )
    script = (
        "A = LOAD 'data' AS (url:chararray,outlink:chararray);\nB = GROUP A BY url;\n"
        "X = FOREACH B {\n        FA= FILTER A BY outlink == 'www.xyz.org';\n"
        "        PA = FA.outlink;\n        DA = DISTINCT PA;\n"
        "        GENERATE group, COUNT(DA);\n}\n"
        "DUMP X;"
    )
    assert sorted(run(tmp_path, {"data": data}, script)) == [
        "(www.aaa.com,0)",
        "(www.ccc.com,0)",
        "(www.ddd.com,1)",
        "(www.www.com,1)",
    ]


def test_union_escalates_types_and_casts_inputs(tmp_path: Path) -> None:
    # UNION "Schema Behavior": (a1:int, a2:bytearray, a3:int) union (b1:float, b2:chararray,
    # b3:bytearray) is (a1:float, a2:chararray, a3:int) (DataType.mergeType: a bytearray yields
    # to the other type); each input is cast to it, so the int 1 reads 1.0
    files = {"u1": "1\t2\t3\n", "u2": "1.5\tx\t7\n"}
    script = (
        "A = LOAD 'u1' AS (a1:int, a2:bytearray, a3:int);\n"
        "B = LOAD 'u2' AS (b1:float, b2:chararray, b3:bytearray);\n"
        "X = UNION A, B;\nDESCRIBE X;\nDUMP X;\n"
        "C = LOAD 'u1' AS (c1:long, c2:long);\nD = LOAD 'u1' AS (d1:(x:long, y:long), d2:long);\n"
        "Y = UNION C, D;\nDESCRIBE Y;"
    )
    lines = run(tmp_path, files, script)
    assert lines[0] == "X: {a1: float,a2: chararray,a3: int}"
    assert sorted(lines[1:3]) == ["(1.0,2,3)", "(1.5,x,7)"]
    assert lines[3] == "Y: {c1: bytearray,c2: long}"


def test_order_by_project_range(tmp_path: Path) -> None:
    # "Project-Range Expressions": SORT = order IN by col2 .. col3, col0, col4 ..;
    data = "1\t9\t2\t5\t0\n1\t0\t2\t5\t7\n3\t0\t1\t8\t0\n0\t0\t2\t4\t9\n"
    script = (
        "IN = LOAD 'data' AS (col0:int, col1:int, col2:int, col3:int, col4:int);\n"
        "SORT = order IN by col2 .. col3, col0, col4 ..;\nDUMP SORT;\n"
        "R = order IN by $3 .. DESC;\nDUMP R;"
    )
    lines = run(tmp_path, {"data": data}, script)
    rows = [tuple(map(int, r.split("\t"))) for r in data.splitlines()]
    by_range = sorted(rows, key=lambda r: (r[2], r[3], r[0], r[4]))
    desc = sorted(rows, key=lambda r: (r[3], r[4]), reverse=True)
    as_text = ["(" + ",".join(map(str, r)) + ")" for r in by_range + desc]
    assert lines == as_text


def test_outer_join_by_cogroup_and_bincond_null(tmp_path: Path) -> None:
    # "Nulls and Constants": FLATTEN((IsEmpty(A) ? null : A)) of the missing side is the
    # null itself, ONE field: Pig 0.17's POForEach.createTuple appends a value that is not a
    # Tuple as is (padding to the bag's width came with PIG-5201, Pig 0.18)
    files = {"student": "John\t18\t4.0\nBill\t20\t3.9\n", "voter": "John\t18\trep\t10.0\n"}
    script = (
        "A = LOAD 'student' AS (name: chararray, age: int, gpa: float);\n"
        "B = LOAD 'voter' AS (name: chararray, age: int, registration: chararray, "
        "donation: float);\nC = COGROUP A BY name, B BY name;\n"
        "X = FOREACH C GENERATE (IsEmpty(B) ? null : B);\nDESCRIBE X;\n"
        "D = FOREACH C GENERATE FLATTEN((IsEmpty(A) ? null : A)), "
        "FLATTEN((IsEmpty(B) ? null : B));\nDUMP D;"
    )
    lines = run(tmp_path, files, script)
    assert lines[0] == ("X: {{(name: chararray,age: int,registration: chararray,donation: float)}}")
    assert sorted(lines[1:]) == ["(Bill,20,3.9,)", "(John,18,4.0,John,18,rep,10.0)"]


def test_union_onschema_casts_to_merged_types(tmp_path: Path) -> None:
    # UNION "Example" with ONSCHEMA: columns by name, missing ones null; a column whose
    # merged type is wider is cast (an int a merged with a double a reads 11.0)
    files = {"f1": "11\t12.0\n21\t22.0\n", "f2": "11\ta\n12\tb\n13\tc\n"}
    script = (
        "L1 = LOAD 'f1' AS (a : int, b : float);\nL2 = LOAD 'f2' AS (a : long, c : chararray);\n"
        "U = UNION ONSCHEMA L1, L2;\nDESCRIBE U;\nDUMP U;\n"
        "L3 = LOAD 'f2' AS (a : double, c : chararray);\n"
        "V = UNION ONSCHEMA L1, L3;\nDESCRIBE V;\nDUMP V;"
    )
    lines = run(tmp_path, files, script)
    assert lines[0] == "U: {a: long,b: float,c: chararray}"
    assert sorted(lines[1:6]) == sorted(
        ["(11,12.0,)", "(21,22.0,)", "(11,,a)", "(12,,b)", "(13,,c)"]
    )
    assert lines[6] == "V: {a: double,b: float,c: chararray}"
    assert sorted(lines[7:]) == sorted(
        ["(11.0,12.0,)", "(21.0,22.0,)", "(11.0,,a)", "(12.0,,b)", "(13.0,,c)"]
    )
