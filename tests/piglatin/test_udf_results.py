"""A Python UDF's results as Pig values: Pig's JythonUtils.pythonToPig (Pig 0.17) makes a
PyList a DataBag ("If the item of the array is not a tuple, wrap it into tuple before adding to
bag"), a PyTuple a Tuple, a PyDictionary a Map, PyBoolean a Boolean, PyInteger/PyLong an
Integer/Long, PyFloat a Double, PyString a String, None null, a byte array a DataByteArray,
recursively; any other type fails the task ("Cannot convert jython type ... to pig datatype").
The expected values are written out here from those rules."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.functions.udf import pig_function, pig_value
from piglatin.launcher import run_script
from tests.piglatin.storedrun import printed_lines as run

UDFS = """
@outputSchema("words:{t:(w:chararray)}")
def words(s):
    return s.split()

@outputSchema("t:(a:int,b:{x:(y:int)},m:map[])")
def nested(v):
    return (v, [v, v + 1], {7: (v, [v])})

@outputSchema("b:{t:(p:int,q:chararray)}")
def pairs(v):
    return [(v, "x"), v, None, (v + 1, "y")]

@outputSchema("m:map[]")
def counts(s):
    return {"words": len(s.split())}

@outputSchema("n:long")
def length(s):
    return len(s)

def untyped(s):
    return s.upper()

def flag(v):
    return v > 2

def raw(s):
    return bytearray(s.encode())

def odd(v):
    return {v}
"""

SCRIPT = """REGISTER 'u.py' USING jython AS u;
{codegen}A = LOAD 'in' AS (s:chararray, n:int);
B = FOREACH A GENERATE u.words(s), u.nested(n), u.pairs(n), u.counts(s);
DUMP B;
C = FOREACH A GENERATE FLATTEN(u.words(s)) AS w, u.length(s), u.untyped(s), u.flag(n), u.raw(s);
D = GROUP C BY w;
E = FOREACH D GENERATE group, COUNT(C);
DUMP E;
F = FOREACH A GENERATE FLATTEN(u.pairs(n));
DUMP F;
"""


def test_pig_value_follows_python_to_pig() -> None:
    assert pig_value(None) is None
    assert pig_value(True) is True
    assert pig_value(3) == 3 and pig_value(2**40) == 2**40
    assert pig_value(2.5) == 2.5
    assert pig_value("s") == "s"
    assert pig_value(b"b") == b"b"
    assert pig_value(bytearray(b"ba")) == b"ba" and type(pig_value(bytearray(b"x"))) is bytes
    assert pig_value(["a", 1, None, ("t", 2), ["in"]]) == [
        ("a",),
        (1,),
        (None,),
        ("t", 2),
        ([("in",)],),
    ]
    assert pig_value(()) == () and pig_value([]) == []
    assert pig_value(("a", [1, 2], {"k": [3]})) == ("a", [(1,), (2,)], {"k": [(3,)]})
    assert pig_value({1: "x", "y": (bytearray(b"z"),)}) == {"1": "x", "y": (b"z",)}
    when = datetime(2020, 1, 2, 3, 4, 5)
    assert pig_value(when) == when.replace(tzinfo=UTC)
    from collections import namedtuple

    point = namedtuple("point", "x y")
    assert type(pig_value(point(1, [2]))) is tuple and pig_value(point(1, [2])) == (1, [(2,)])
    with pytest.raises(TypeError, match="Cannot convert python type"):
        pig_value({1, 2})
    with pytest.raises(TypeError, match="Cannot convert python type"):
        pig_value([object()])


def test_a_scalar_schema_calls_the_function_itself() -> None:
    def f(s):
        return s

    f.outputSchema = "word:chararray"
    assert pig_function(f) is f  # no wrapper: no per-call cost
    f.outputSchema = "LONG"
    assert pig_function(f) is f
    f.outputSchema = "b:{t:(w:chararray)}"
    assert pig_function(f) is not f and pig_function(f)(["a"]) == [("a",)]
    del f.outputSchema  # undeclared (bytearray): converted after one type test
    assert pig_function(f)("x") == "x" and pig_function(f)(("a", ["b"])) == ("a", [("b",)])


def test_wrapped_functions_take_the_arguments_the_function_takes() -> None:
    def one(x):
        return [x]

    def two(x, y):
        return (x, [y])

    def many(*xs):
        return list(xs)

    def default(x, y=1):
        return [x, y]

    assert pig_function(one)("s") == [("s",)]
    assert pig_function(two)(1, 2) == (1, [(2,)])
    assert pig_function(many)() == [] and pig_function(many)(1, 2, 3) == [(1,), (2,), (3,)]
    assert pig_function(default)(5) == [(5,), (1,)]
    assert pig_function(default)(5, 6) == [(5,), (6,)]
    with pytest.raises(TypeError, match=r"one\(\) takes 1 positional argument"):
        pig_function(one)(1, 2)  # Python's own message, naming the user's function


@pytest.mark.parametrize(
    "mode,codegen",
    [("local", True), ("local", False), pytest.param("mapreduce", True, marks=pytest.mark.slow)],
)
def test_udf_results_in_a_script(tmp_path: Path, mode: str, codegen: bool) -> None:
    (tmp_path / "u.py").write_text(UDFS)
    script = SCRIPT.format(codegen="" if codegen else "SET pig.codegen false;\n")
    lines = run(tmp_path, {"in": "a bb\t1\nc\t5\n"}, script, mode)
    assert lines[:2] == [
        "({(a),(bb)},(1,{(1),(2)},[7#(1,{(1)})]),{(1,x),(1),(),(2,y)},[words#2])",
        "({(c)},(5,{(5),(6)},[7#(5,{(5)})]),{(5,x),(5),(),(6,y)},[words#1])",
    ]
    assert sorted(lines[2:5]) == ["(a,1)", "(bb,1)", "(c,1)"]
    assert lines[5:] == ["(1,x)", "(1)", "()", "(2,y)", "(5,x)", "(5)", "()", "(6,y)"]


def test_udf_result_of_no_pig_type_fails_the_job(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_text(UDFS)
    (tmp_path / "in").write_text("a\t1\n")
    script = (
        "REGISTER 'u.py' USING jython AS u;\nA = LOAD 'in' AS (s:chararray, n:int);\n"
        "B = FOREACH A GENERATE u.odd(n);\nSTORE B INTO 'out';\n"
    )
    with pytest.raises(PigError, match=r"Cannot convert python type \(builtins.set\)"):
        run_script(script, cwd=tmp_path, filename="s.pig", out=io.StringIO())


def test_a_bag_in_a_bytearray_field_is_stored_as_a_bag(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_text("def listy(x):\n    return [x, 1]\n")
    files = {"in": "a\n"}
    script = (
        "REGISTER 'u.py' USING jython AS f;\nA = LOAD 'in' AS (k:chararray);\n"
        "B = FOREACH A GENERATE k, f.listy(k);\nDUMP B;\n"
    )
    assert run(tmp_path, files, script) == ["(a,{(a),(1)})"]


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_a_bag_in_a_bytearray_field_goes_through_the_shuffle_as_a_bag(
    tmp_path: Path, mode: str
) -> None:
    # JythonFunction.pythonToPig makes a list a DataBag whatever the declared schema, and
    # BinInterSedes carries it as a bag through a GROUP, a JOIN, a DISTINCT and an ORDER;
    # a field read by PigStorage stays bytes (plain records)
    (tmp_path / "u.py").write_text("def listy(x):\n    return [x, 1]\n")
    files = {"in": "a\tp\nb\tq\n"}
    script = (
        "REGISTER 'u.py' USING jython AS f;\nA = LOAD 'in' AS (k:chararray, t);\n"
        "B = FOREACH A GENERATE k, f.listy(k) AS b, t;\nG = GROUP B BY k;\nDUMP G;\n"
        "J = JOIN B BY k, A BY k;\nDUMP J;\nD = DISTINCT B;\nDUMP D;\n"
        "O = ORDER B BY k DESC;\nDUMP O;\n"
    )
    assert run(tmp_path, files, script, mode) == [
        "(a,{(a,{(a),(1)},p)})",
        "(b,{(b,{(b),(1)},q)})",
        "(a,{(a),(1)},p,a,p)",
        "(b,{(b),(1)},q,b,q)",
        "(a,{(a),(1)},p)",
        "(b,{(b),(1)},q)",
        "(b,{(b),(1)},q)",
        "(a,{(a),(1)},p)",
    ]
