"""Scout (session 17): the less common clauses of Pig Latin's operators (Pig Latin Basics):
SPLIT ... OTHERWISE with nulls, RANK (plain, BY several keys, DENSE), CUBE and ROLLUP, nested
FOREACH blocks (ORDER/LIMIT/DISTINCT/FILTER/CROSS/FOREACH), ASSERT, SAMPLE, IMPORT of macros,
parameter substitution (%default, %declare, -param_file, -param), DESCRIBE of nested schemas
and the values of implicit casts. Expected lines are worked out from the documentation and
Pig's source (named in each case), never from this implementation's output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import run_script
from tests.piglatin.storedrun import printed_lines as run

ROWS = {"d": "a\t3\tx\nb\t1\ty\nc\t3\tx\nd\t2\t\ne\t\ty\n"}
LOAD_ROWS = "A = LOAD 'd' AS (n:chararray, v:int, t:chararray);\n"

CASES = {
    # SPLIT's OTHERWISE is NOT(c1 OR c2): a row whose conditions are null (v is null) goes to
    # no branch, as a FILTER by a null condition drops it
    "split_otherwise_with_nulls": (
        ROWS,
        LOAD_ROWS + "SPLIT A INTO P IF v > 2, Q IF v < 2, R OTHERWISE;\nDUMP P;\nDUMP Q;\nDUMP R;",
        ["(a,3,x)", "(c,3,x)", "(b,1,y)", "(d,2,)"],
    ),
    # RANK without BY numbers the rows in order (rank_A: long, first); RANK BY ties share the
    # rank and the next rank skips (1,1,3); DENSE does not skip; nulls sort first ascending,
    # last descending
    "rank_variants": (
        ROWS,
        LOAD_ROWS + "R1 = RANK A;\nDUMP R1;\nDESCRIBE R1;\n"
        "R2 = RANK A BY v DESC, t;\nDUMP R2;\n"
        "R3 = RANK A BY v ASC DENSE;\nDUMP R3;\n"
        "R4 = RANK A BY t DESC, v DESC DENSE;\nDUMP R4;",
        ["(1,a,3,x)", "(2,b,1,y)", "(3,c,3,x)", "(4,d,2,)", "(5,e,,y)"]
        + ["R1: {rank_A: long,n: chararray,v: int,t: chararray}"]
        + ["(1,a,3,x)", "(1,c,3,x)", "(3,d,2,)", "(4,b,1,y)", "(5,e,,y)"]
        + ["(1,e,,y)", "(2,b,1,y)", "(3,d,2,)", "(4,a,3,x)", "(4,c,3,x)"]
        + ["(1,b,1,y)", "(2,e,,y)", "(3,a,3,x)", "(3,c,3,x)", "(4,d,2,)"],
    ),
    # CUBE(p, y): 4 groupings per row; the bag `cube` holds the rows with the rolled-up
    # dimensions set to null (so COUNT, which reads the first field, skips them);
    # ROLLUP(p, y): (p, y), (p, null), (null, null)
    "cube_and_rollup": (
        {"s": "car\t2012\t4000\ncar\t2013\t3000\nbike\t2012\t\n"},
        "A = LOAD 's' AS (p:chararray, y:int, s:long);\nC = CUBE A BY CUBE(p, y);\nDESCRIBE C;\n"
        "D = FOREACH C GENERATE FLATTEN(group), SUM(cube.s), COUNT(cube);\n"
        "DO = ORDER D BY $0, $1;\nDUMP DO;\n"
        "R = CUBE A BY ROLLUP(p, y);\n"
        "E = FOREACH R GENERATE FLATTEN(group) AS (p, y), COUNT_STAR(cube) AS n;\nDESCRIBE E;\n"
        "F = ORDER E BY p, y;\nDUMP F;",
        ["C: {group: (p: chararray,y: int),cube: {(p: chararray,y: int,s: long)}}"]
        + ["(,,7000,0)", "(,2012,4000,0)", "(,2013,3000,0)", "(bike,,,1)", "(bike,2012,,1)"]
        + ["(car,,7000,2)", "(car,2012,4000,1)", "(car,2013,3000,1)"]
        + ["E: {p: chararray,y: int,n: long}"]
        + ["(,,3)", "(bike,,1)", "(bike,2012,1)", "(car,,2)", "(car,2012,1)", "(car,2013,1)"],
    ),
    # nested block: ORDER BY two keys then LIMIT, DISTINCT of a projection, FILTER with IS NULL
    # and OR, CROSS of two inner bags, FOREACH of an inner bag, aggregates of each
    "nested_foreach_blocks": (
        {"d": "a\t3\tx\na\t1\ty\na\t2\tx\nb\t5\tz\nb\t5\t\n"},
        "A = LOAD 'd' AS (k:chararray, v:int, t:chararray);\nG = GROUP A BY k;\n"
        "B = FOREACH G { o = ORDER A BY t DESC, v ASC; l = LIMIT o 2;"
        " GENERATE group, FLATTEN(l.v); };\nDUMP B;\n"
        "C = FOREACH G { d = DISTINCT A.(t, v); f = FILTER d BY t IS NULL OR v > 2;"
        " GENERATE group, COUNT(d), f; };\nDUMP C;\n"
        "D = FOREACH G { x = FOREACH A GENERATE v + 1 AS w; y = FILTER x BY w > 2;"
        " o = ORDER y BY w DESC; GENERATE group, o, MAX(x.w); };\nDUMP D;\nDESCRIBE D;\n"
        "E = FOREACH G { s = A.v; u = DISTINCT s; c = CROSS u, s; GENERATE group, SUM(u),"
        " COUNT(s), COUNT(c); };\nDUMP E;",
        ["(a,1)", "(a,2)", "(b,5)", "(b,5)"]
        + ["(a,3,{(x,3)})", "(b,1,{(z,5),(,5)})"]
        + ["(a,{(4),(3)},4)", "(b,{(6),(6)},6)", "D: {group: chararray,o: {(w: int)},int}"]
        + ["(a,6,3,9)", "(b,5,2,2)"],
    ),
    # ASSERT that holds passes every row on; SAMPLE 1.0 keeps all, SAMPLE 0 none
    "assert_and_sample_bounds": (
        ROWS,
        LOAD_ROWS + "ASSERT A BY n IS NOT NULL, 'n missing';\nB = SAMPLE A 1.0;\n"
        "C = FOREACH B GENERATE n;\nDUMP C;\nD = SAMPLE A 0;\nDUMP D;",
        ["(a)", "(b)", "(c)", "(d)", "(e)"],
    ),
    # DESCRIBE of nested schemas (Pig Latin Basics' DESCRIBE and FLATTEN examples): FLATTEN of
    # a bag prefixes bag::, a JOIN prefixes relation::, FLATTEN(group) of a tuple group
    # prefixes group::, tuple/bag/map columns print as (..), {..}, map[type]
    "describe_nested_schemas": (
        {"d": "a\t1\t2.5\n"},
        "A = LOAD 'd' AS (name:chararray, age:int, gpa:float);\nB = GROUP A BY name;\n"
        "C = FOREACH B GENERATE FLATTEN(A);\nDESCRIBE C;\n"
        "J = JOIN A BY name, C BY A::name;\nDESCRIBE J;\n"
        "G2 = GROUP A BY (name, age);\nDESCRIBE G2;\n"
        "E = FOREACH G2 GENERATE FLATTEN(group), COUNT(A) AS n;\nDESCRIBE E;\n"
        "T = LOAD 'd' AS (t1:tuple(t1a:int, t1b:int), b:bag{tt:tuple(x:int, y:chararray)},"
        " m:map[chararray]);\nDESCRIBE T;\n"
        "U = FOREACH T GENERATE t1.t1a, FLATTEN(b);\nDESCRIBE U;\n"
        "S = LOAD 'd' AS (a, b:int);\nCG = COGROUP A BY name, S BY a;\nDESCRIBE CG;",
        [
            "C: {A::name: chararray,A::age: int,A::gpa: float}",
            "J: {A::name: chararray,A::age: int,A::gpa: float,C::A::name: chararray,"
            "C::A::age: int,C::A::gpa: float}",
            "G2: {group: (name: chararray,age: int),A: {(name: chararray,age: int,gpa: float)}}",
            "E: {group::name: chararray,group::age: int,n: long}",
            "T: {t1: (t1a: int,t1b: int),b: {tt: (x: int,y: chararray)},m: map[chararray]}",
            "U: {t1a: int,b::x: int,b::y: chararray}",
            "CG: {group: chararray,A: {(name: chararray,age: int,gpa: float)},"
            "S: {(a: bytearray,b: int)}}",
        ],
    ),
    # Implicit casts (Pig Latin Basics, "Cast Operators"): a bytearray beside an int is cast to
    # int (Utf8StorageConverter: '1.5' -> Double.valueOf(...).intValue() = 1), two bytearrays
    # in arithmetic to double, a bytearray compared with a chararray to chararray; typed:
    # int + double is double, int * float is float, int / int truncates
    "implicit_cast_values": (
        {"d": "1\ta\t1.5\n2\tb\t2.5\n3\tc\tx\n"},
        "E = LOAD 'd' AS (a0, a1, a2);\n"
        "F = FOREACH E GENERATE a0 + 1, a2 * 2, a0 + a2, (a1 == 'a'), -a0;\nDUMP F;\nDESCRIBE F;\n"
        "A = LOAD 'd' AS (a0:int, a1:chararray, a2:double);\n"
        "D = FOREACH A GENERATE a0 + a2, a0 * 1.0f, a2 / a0, a0 / 2, (chararray)a0, (int)a2,"
        " a0 + 1L;\nDUMP D;\nDESCRIBE D;",
        ["(2,2,2.5,true,-1.0)", "(3,4,4.5,false,-2.0)", "(4,,,false,-3.0)"]
        + ["F: {int,int,double,boolean,double}"]
        + ["(2.5,1.0,1.5,0,1,1,2)", "(4.5,2.0,1.25,1,2,2,3)", "(,3.0,,1,3,,4)"]
        + ["D: {double,float,double,int,a0: chararray,a2: int,long}"],
    ),
}

MAPREDUCE = {
    "rank_variants",
    "cube_and_rollup",
    "nested_foreach_blocks",
    "split_otherwise_with_nulls",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_operator_local(tmp_path: Path, name: str) -> None:
    files, script, expected = CASES[name]
    assert run(tmp_path, files, script, "local") == expected


@pytest.mark.parametrize("name", sorted(MAPREDUCE))
def test_operator_default_mode(tmp_path: Path, name: str) -> None:
    files, script, expected = CASES[name]
    assert run(tmp_path, files, script, "mapreduce") == expected


MACROS = (
    "DEFINE store_it(rel, path) RETURNS void {\n    STORE $rel INTO '$path';\n};\n"
    "DEFINE twice(rel, col) RETURNS out {\n    $out = FOREACH $rel GENERATE $col * 2 AS v;\n};\n"
)
PARAMS_SCRIPT = (
    "%default LIM 10\n%declare DESC 'desc'\n%declare CMP '>='\nIMPORT 'm.pig';\n"
    "A = LOAD 'd' AS (n:int, s:chararray);\nB = FILTER A BY n $CMP $LIM;\n"
    "C = ORDER B BY n $DESC;\nD = twice(C, n);\nDUMP D;\n"
    "E = FILTER A BY s == '$name';\nstore_it(E, '$out');\n"
    "F = FOREACH A GENERATE '\\$5', CONCAT('$out', '_x');\nG = LIMIT F 1;\nDUMP G;\n"
)


@pytest.mark.parametrize(
    "params, expected_dump, stored",
    [
        # the file's LIM=2 overrides %default 10; its quoted value 'b' is unquoted (Pig's
        # parameter file grammar), a # line is a comment
        ({}, ["(6)", "(4)"], "2\tb\n"),
        # -param wins over -param_file (Pig Latin Basics, "Parameter Substitution")
        ({"LIM": "3", "name": "c"}, ["(6)"], "3\tc\n"),
    ],
)
def test_import_and_parameters(tmp_path: Path, params, expected_dump, stored) -> None:
    (tmp_path / "d").write_text("1\ta\n2\tb\n3\tc\n")
    (tmp_path / "m.pig").write_text(MACROS)
    (tmp_path / "pf.txt").write_text("# a comment\nLIM = 2\nname = 'b'\nout=res\n")
    out = io.StringIO()
    rc = run_script(
        PARAMS_SCRIPT, "local", params=params, param_files=[str(tmp_path / "pf.txt")],
        cwd=tmp_path, filename="s.pig", out=out,
    )  # fmt: skip
    assert rc == 0
    # '\$5' is a literal dollar (the backslash escapes substitution)
    assert out.getvalue().splitlines() == expected_dump + ["($5,res_x)"]
    assert "".join(p.read_text() for p in sorted((tmp_path / "res").glob("part-*"))) == stored
