"""Scout (session 18): Pig Latin Basics' expressions and the UDF manual's Python UDFs.

Each expected answer comes from the Pig Latin Basics page (its examples and tables: arithmetic,
bincond, CASE, boolean and null operators, casts, disambiguation, projection ranges, scalar
relations) or from Pig's source where the page is silent (named in the case:
TypeCheckingExpVisitor, DereferenceExpression, CastUtils, POCast, Divide), with values worked
out in plain Python here, never from this implementation's earlier output.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import run_script
from tests.piglatin.storedrun import printed_lines as run

BAGS = "10\t1\t{(2,3),(4,6)}\n10\t3\t{(2,3),(4,6)}\n10\t6\t{(2,3),(4,6),(5,7)}\n"
TRIPLES = "1\t2\t3\n4\t2\t1\n8\t3\t4\n4\t3\t3\n7\t2\t5\n8\t4\t3\n"
TYPED = "1\t(1,2)\t[a#1]\ttrue\t{(1),(2)}\n2\t(1,3)\t[a#2]\tfalse\t{(3)}\n3\t(1,2)\t[a#1]\t\t{}\n"
TYPED_SCHEMA = "(i:int, t:tuple(x:int,y:int), m:map[], b:boolean, g:bag{r:(v:int)})"


def _fails(tmp: Path, files: dict[str, str], script: str, *words: str) -> None:
    """The script is refused before it runs, with an error naming all of `words`."""
    for name, text in files.items():
        (tmp / name).write_text(text)
    with pytest.raises(PigError) as e:
        run_script(script, exec_type="local", cwd=tmp, filename="s.pig", out=io.StringIO())
    for word in words:
        assert word in str(e.value), (word, str(e.value))


# ---- arithmetic, bincond, CASE (Pig Latin Basics' own examples) --------------------------------
def test_arithmetic_examples_from_the_page(tmp_path):
    script = (
        "A = LOAD 'data' AS (f1:int, f2:int, B:bag{T:tuple(t1:int,t2:int)});\n"
        "X = FOREACH A GENERATE f2, (f2==1?1:COUNT(B));\nDUMP X;\n"
        "Y = FOREACH A GENERATE f1, f2, f1%f2;\nDUMP Y;\n"
    )
    rows = [(10, 1, 2), (10, 3, 2), (10, 6, 3)]  # f1, f2, bag size
    want = [f"({f2},{1 if f2 == 1 else n})" for _, f2, n in rows]
    want += [f"({f1},{f2},{f1 % f2})" for f1, f2, _ in rows]
    assert run(tmp_path, {"data": BAGS}, script) == want


def test_java_integer_arithmetic_and_divide_by_zero(tmp_path):
    """Integer / and % truncate toward zero as Java does; dividing by zero gives null
    (Divide: 'Divide by zero. Converting it to NULL.'), for doubles too."""
    script = (
        "A = LOAD 'data' AS (a:int, b:int);\n"
        "B = FOREACH A GENERATE a / b, a % b, -a, a / 0, a % 0, (double)a / 0, a + null;\n"
        "DUMP B;\n"
    )
    pairs = [(-7, 2), (7, -2), (-7, -2)]

    def jdiv(a: int, b: int) -> int:
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q

    want = [f"({jdiv(a, b)},{a - jdiv(a, b) * b},{-a},,,,)" for a, b in pairs]
    data = "".join(f"{a}\t{b}\n" for a, b in pairs)
    assert run(tmp_path, {"data": data}, script) == want


def test_case_both_forms(tmp_path):
    script = (
        "A = LOAD 'data' AS (i:int);\n"
        "X = FOREACH A GENERATE i, (CASE i % 5 WHEN 0 THEN '5n' WHEN 1 THEN '5n+1' "
        "WHEN 2 THEN '5n+2' WHEN 3 THEN '5n+3' ELSE '5n+4' END),"
        " (CASE WHEN i < 3 THEN 'low' WHEN i < 6 THEN 'mid' END);\nDUMP X;\n"
    )
    names = ["5n", "5n+1", "5n+2", "5n+3", "5n+4"]
    ids = [1, 2, 3, 4, 5, 6, 9]
    want = [f"({i},{names[i % 5]},{'low' if i < 3 else 'mid' if i < 6 else ''})" for i in ids]
    assert run(tmp_path, {"data": "".join(f"{i}\n" for i in ids)}, script) == want


def test_untyped_fields_take_the_other_sides_type(tmp_path):
    """TypeCheckingExpVisitor: bytearray op number casts to the number's type; bytearray op
    bytearray (and unary minus) is double."""
    script = (
        "A = LOAD 'data' AS (a, b);\n"
        "B = FOREACH A GENERATE a + b, a + 1, a * 2L, a + 1.0, -a, a / b;\nDESCRIBE B;\nDUMP B;\n"
    )
    out = run(tmp_path, {"data": "1\t2\n5\t\n"}, script)
    assert out == [
        "B: {double,int,long,double,double,double}",
        f"({1.0 + 2.0},2,2,2.0,-1.0,{1 / 2})",
        "(,6,10,6.0,-5.0,)",
    ]


# ---- boolean and null operators -------------------------------------------------------------
def test_boolean_operators_example(tmp_path):
    script = (
        "A = LOAD 'data' AS (f1:int,f2:int,f3:int);\n"
        "X = FILTER A BY (f1==8) OR (NOT (f2+f3 > f1));\nDUMP X;\n"
    )
    rows = [tuple(map(int, line.split("\t"))) for line in TRIPLES.splitlines()]
    want = [f"({a},{b},{c})" for a, b, c in rows if a == 8 or not b + c > a]
    assert run(tmp_path, {"data": TRIPLES}, script) == want


def test_boolean_fields_and_three_valued_logic(tmp_path):
    """A boolean field is a condition on its own (FILTER A BY b); null AND/OR/NOT follow
    three-valued logic; a null condition keeps no row and its bincond is null."""
    script = (
        f"A = LOAD 'data' AS {TYPED_SCHEMA};\n"
        "B = FOREACH A GENERATE i, (b ? 'T' : 'F'), (NOT b), (b AND false), (b OR true),"
        " (b IS NULL), (b == true);\nDUMP B;\n"
        "C = FILTER A BY b;\nD = FOREACH C GENERATE i;\nDUMP D;\n"
        "E = FILTER A BY NOT b;\nF = FOREACH E GENERATE i;\nDUMP F;\n"
    )
    assert run(tmp_path, {"data": TYPED}, script) == [
        "(1,T,false,false,true,false,true)",
        "(2,F,true,false,true,false,false)",
        "(3,,,false,true,true,)",
        "(1)",
        "(2)",
    ]


def test_null_operators_and_comparisons(tmp_path):
    script = (
        "A = LOAD 'data' AS (a:int, s:chararray);\n"
        "B = FOREACH A GENERATE a, (a IS NULL), (a IS NOT NULL), (a == 1), (s MATCHES 'x.*'),"
        " (a IN (1, 3));\nDUMP B;\n"
        "C = FILTER A BY a != 1;\nDUMP C;\n"
    )
    assert run(tmp_path, {"data": "1\txy\n\t\n3\tab\n"}, script) == [
        "(1,false,true,true,true,true)",
        "(,true,false,,,)",
        "(3,false,true,false,false,true)",
        "(3,ab)",
    ]


def test_tuple_and_map_equality(tmp_path):
    """Tuples and maps compare with == and != only (TypeCheckingExpVisitor's isEquality
    branch); a map value typed bytearray is cast to the other side's type."""
    script = (
        f"A = LOAD 'data' AS {TYPED_SCHEMA};\n"
        "B = FOREACH A GENERATE i, (t == (1,2)), (t != (1,2)), (m#'a' == 1), (m == m);\n"
        "DUMP B;\n"
    )
    assert run(tmp_path, {"data": TYPED}, script) == [
        "(1,true,false,true,true)",
        "(2,false,true,false,true)",
        "(3,true,false,true,true)",
    ]


@pytest.mark.parametrize(
    "cond, left, right",
    [("t < (1,3)", "tuple", "tuple"), ("m > m", "map", "map"), ("g == g", "bag", "bag"),
     ("b > false", "boolean", "boolean"), ("i == 'x'", "int", "chararray")],
)
def test_comparisons_pig_refuses(tmp_path, cond, left, right):
    script = f"A = LOAD 'data' AS {TYPED_SCHEMA};\nB = FILTER A BY {cond};\nDUMP B;\n"
    _fails(tmp_path, {"data": TYPED}, script, "incompatible types", left, right)


# ---- casts ------------------------------------------------------------------------------------
def test_cast_values(tmp_path):
    """CastUtils.stringToInteger: not an integer -> parsed as a double and truncated, unless
    above Integer.MAX_VALUE (null); a long narrows as Java's (int) does; a double or float
    to long truncates; chararray to boolean is 'true'/'false' in any case, else null."""
    script = (
        "A = LOAD 'data' AS (s:chararray, big:chararray, bad:chararray);\n"
        "B = FOREACH A GENERATE (int)s, (long)s, (int)big, (long)big, (int)bad, (double)s,"
        " (int)2147483648L, (long)-3.9, (long)3.9f, (boolean)'TRUE', (boolean)'False',"
        " (boolean)'yes', (chararray)2.5, (chararray)1.0E10;\nDUMP B;\n"
    )
    wrapped = (2147483648 + 2**31) % 2**32 - 2**31
    want = f"(3,3,,9999999999,,3.7,{wrapped},-3,3,true,false,,2.5,1.0E10)"
    assert run(tmp_path, {"data": "3.7\t9999999999\t0x10\n"}, script) == [want]


@pytest.mark.parametrize(
    "expr, words",
    [("(int)b", ("boolean", "int")), ("(boolean)i", ("int", "boolean")),
     ("(chararray)t", ("tuple", "chararray")), ("(int)g", ("bag", "int")),
     ("(long)m", ("map", "long")), ("(map[])i", ("int", "map")),
     ("(tuple(int))i", ("int", "tuple")), ("(bag{tuple(int)})i", ("int", "bag")),
     ("(bytearray)i", ("bytearray",))],
)
def test_casts_the_table_forbids(tmp_path, expr, words):
    """Pig Latin Basics' cast table: bag, tuple and map cast only to themselves, nothing casts
    to them but bytearray, boolean only to/from chararray, nothing casts to bytearray."""
    script = f"A = LOAD 'data' AS {TYPED_SCHEMA};\nB = FOREACH A GENERATE {expr};\nDUMP B;\n"
    _fails(tmp_path, {"data": TYPED}, script, "cast", *words)


def test_cast_of_a_count_and_a_relation_as_scalar(tmp_path):
    """The page's 'Cast operator' and 'Casting relations to scalars' examples."""
    script = (
        "A = LOAD 'data' AS (f1:int,f2:int,f3:int);\n"
        "B = GROUP A BY f1;\nX = FOREACH B GENERATE group, (chararray)COUNT(A) AS total;\n"
        "DESCRIBE X;\nDUMP X;\n"
        "G = GROUP A ALL;\nC = FOREACH G GENERATE COUNT(A) AS count;\n"
        "D = FOREACH A GENERATE f1, f1/(double)C.count;\nDUMP D;\n"
    )
    rows = [int(line.split("\t")[0]) for line in TRIPLES.splitlines()]
    counts = {k: rows.count(k) for k in sorted(set(rows))}
    want = ["X: {group: int,total: chararray}"] + [f"({k},{n})" for k, n in counts.items()]
    want += [f"({f},{f / len(rows)!r})" for f in rows]
    assert run(tmp_path, {"data": TRIPLES}, script) == want


# ---- projection: ranges, star, disambiguation, dereference -----------------------------------
def test_project_ranges(tmp_path):
    script = (
        "A = LOAD 'data' AS (a:int, b:int, c:int, d:int, e:int);\n"
        "B = FOREACH A GENERATE $1..$2, d..;\nDESCRIBE B;\nDUMP B;\n"
        "C = FOREACH A GENERATE ..b, c..d;\nDESCRIBE C;\nDUMP C;\n"
        "U = LOAD 'data';\nV = FOREACH U GENERATE $1..$2, $4;\nDUMP V;\n"
        "W = FOREACH U GENERATE ..$1;\nDUMP W;\n"
    )
    assert run(tmp_path, {"data": "1\t2\t3\t4\t5\n"}, script) == [
        "B: {b: int,c: int,d: int,e: int}",
        "(2,3,4,5)",
        "C: {a: int,b: int,c: int,d: int}",
        "(1,2,3,4)",
        "(2,3,5)",
        "(1,2)",
    ]


def test_generate_one_alias_twice_is_refused(tmp_path):
    # Pig's SchemaAliasVisitor refuses an output schema with one alias twice (ERROR 1108
    # Duplicate schema alias: a in "B"); fixed for names an AS clause gives (piglatin/front/
    # builder.py, H6)
    script = "A = LOAD 'data' AS (a:int, b:int);\nB = FOREACH A GENERATE a, b AS a;\nDUMP B;\n"
    _fails(tmp_path, {"data": "1\t2\n"}, script, "Duplicate schema alias: a")


def test_disambiguation_after_join(tmp_path):
    script = (
        "A = LOAD 'data1' AS (x:int, y:chararray);\nB = LOAD 'data2' AS (x:int, y:int, z:int);\n"
        "C = JOIN A BY x, B BY x;\nD = FOREACH C GENERATE A::y, B::y, z;\nDESCRIBE D;\nDUMP D;\n"
    )
    files = {"data1": "1\tone\n2\ttwo\n", "data2": "1\t10\t100\n3\t30\t300\n"}
    assert run(tmp_path, files, script) == ["D: {A::y: chararray,B::y: int,B::z: int}",
                                            "(one,10,100)"]
    _fails(tmp_path, files, script.replace("A::y, B::y", "y"), "more than one match")


def test_bag_dereference_schema_and_flatten(tmp_path):
    """DereferenceExpression: a projection out of a bag is an unnamed bag of an unnamed tuple
    of the chosen fields; FLATTEN(bag) names its fields bag::field."""
    script = (
        "A = LOAD 'data' AS (f1:int, f2:int, B:bag{T:tuple(t1:int,t2:int)});\n"
        "Z = FOREACH A GENERATE B.t1, B.(t1,t2), FLATTEN(B);\nDESCRIBE Z;\nDUMP Z;\n"
    )
    out = run(tmp_path, {"data": BAGS.splitlines(keepends=True)[0]}, script)
    assert out == [
        "Z: {{(t1: int)},{(t1: int,t2: int)},B::t1: int,B::t2: int}",
        "({(2),(4)},{(2,3),(4,6)},2,3)",
        "({(2),(4)},{(2,3),(4,6)},4,6)",
    ]


def test_constants_and_their_types(tmp_path):
    script = (
        "A = LOAD 'data' AS (f1:int);\n"
        "B = FOREACH A GENERATE 1L, 1.5F, 2.5e2, 'a\\tb', 'it\\'s', 1e-1, 12345678901L, 3.0/2,"
        " 7/2, 7.0f/2, ('x' == 'x'), true, FALSE;\nDESCRIBE B;\nDUMP B;\n"
    )
    assert run(tmp_path, {"data": "1\n"}, script) == [
        "B: {long,float,double,chararray,chararray,double,long,double,int,float,boolean,"
        "boolean,boolean}",
        "(1,1.5,250.0,a\tb,it's,0.1,12345678901,1.5,3,3.5,true,true,false)",
    ]


# ---- Python UDFs (UDF manual: Jython and streaming_python) -------------------------------------
COMMON_UDFS = '''
@outputSchema("word:chararray")
def helloworld():
    return 'Hello, World'

@outputSchema("word:chararray,num:long")
def complex(word):
    return str(word), len(word)

def concat(str):
    return str+str

@outputSchema("b:boolean")
def isbig(n):
    return n is not None and n > 2

@outputSchema("m:map[int]")
def lengths(m):
    return dict((k, len(k)) for k in m)

@outputSchema("s:chararray")
def joined(bag):
    return ",".join(str(t[0]) for t in bag)
'''
# Jython gets the decorators from Pig (outputSchemaFunction/schemaFunction too); a
# streaming_python module imports outputSchema from pig_util, which has no schema functions.
UDFS = {
    "jython": COMMON_UDFS + '''
@outputSchemaFunction("squareSchema")
def square(num):
    return ((num)*(num))

@schemaFunction("squareSchema")
def squareSchema(input):
    return input
''',
    "streaming_python": "from pig_util import outputSchema\n" + COMMON_UDFS,
}


@pytest.mark.parametrize("engine", ["jython", "streaming_python"])
def test_python_udfs_from_the_manual(tmp_path, engine):
    """@outputSchema with one field names it; with two it is a tuple of them; no decorator
    means bytearray; @outputSchemaFunction's schema is the input's (jython only: the manual's
    streaming_python section has only @outputSchema, so square is left out there)."""
    (tmp_path / "myudfs.py").write_text(UDFS[engine])
    square = ", u.square(n), u.square(2.5)" if engine == "jython" else ""
    script = (
        f"REGISTER 'myudfs.py' USING {engine} AS u;\n"
        "A = LOAD 'data' AS (s:chararray, n:int, m:map[], g:bag{t:(v:int)});\n"
        f"B = FOREACH A GENERATE u.helloworld(), u.complex(s), u.concat(s){square},"
        " u.lengths(m), u.joined(g);\nDESCRIBE B;\nDUMP B;\n"
        "C = FILTER A BY u.isbig(n);\nD = FOREACH C GENERATE s, u.complex(s).num;\nDUMP D;\n"
    )
    data = "ab\t1\t[a#1]\t{(1),(2)}\nxyz\t3\t[ccc#3]\t{(3)}\n"  # one key: no HashMap order
    sq_schema = ",n: int,double" if engine == "jython" else ""
    sq = [",1,6.25", ",9,6.25"] if engine == "jython" else ["", ""]
    assert run(tmp_path, {"data": data}, script) == [
        f"B: {{word: chararray,(word: chararray,num: long),bytearray{sq_schema},m: map[int],"
        "s: chararray}",
        f"(Hello, World,(ab,2),abab{sq[0]},[a#1],1,2)",
        f"(Hello, World,(xyz,3),xyzxyz{sq[1]},[ccc#3],3)",
        "(xyz,3)",
    ]
