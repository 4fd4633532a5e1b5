"""Pig 0.17's User Defined Functions page (udf.xml), its Python parts: REGISTER 'x.py' USING
jython (or the JythonScriptEngine class) AS ns, the @outputSchema / @outputSchemaFunction /
@schemaFunction decorators, an undecorated function's bytearray result, the mySampleLib.py
examples, and the streaming_python UDFs that import their decorator from pig_util; Pig's
types reach Python as tuples (tuple), lists of tuples (bag) and dicts (map), and come back
the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.piglatin.docrun import grunt, pig, rows, write

TEST_PY = """\
@outputSchema("word:chararray")
def helloworld():
  return 'Hello, World'

@outputSchema("word:chararray,num:long")
def complex(word):
  return str(word),len(word)

@outputSchemaFunction("squareSchema")
def square(num):
  return ((num)*(num))

@schemaFunction("squareSchema")
def squareSchema(input):
  return input

# No decorator - bytearray
def concat(str):
  return str+str
"""

SAMPLE_LIB = """\
#/usr/bin/python

#Percent- Percentage
@outputSchema("percent:double")
def percent(num, total):
  return num * 100 / total

#commaFormat- format a number with commas, 12345-> 12,345
@outputSchema("numformat:chararray")
def commaFormat(num):
  return '{:,}'.format(num)

#collectBag- collect elements of a bag into other bag
@outputSchema("y:bag{t:tuple(len:int,word:chararray)}")
def collectBag(bag):
  outBag = []
  for word in bag:
    tup=(len(bag), word[1])
    outBag.append(tup)
  return outBag
"""

STREAMING_PY = """\
from pig_util import outputSchema

@outputSchema("as:int")
def square(num):
    if num == None:
        return None
    return ((num) * (num))

@outputSchema("word:chararray")
def concat(word):
    return word + word

@outputSchema("words:{(word:chararray)}")
def words(line):
    return [(w,) for w in line.split()]
"""

DATA = "hello\t3\t12345\nworld\t4\t678\n"
LOAD = "a = LOAD 'data' AS (w:chararray, n:int, big:long);\n"


def run(tmp: Path, monkeypatch, files: dict[str, str], typed: str) -> list[str]:
    write(tmp, {"data": DATA, **files})
    lines, err = grunt(tmp, typed, monkeypatch)
    assert "ERROR" not in err, err
    return lines


@pytest.mark.parametrize(
    "engine",
    [
        "jython",
        "org.apache.pig.scripting.jython.JythonScriptEngine",
    ],
)
def test_register_and_call_the_pages_test_py(tmp_path: Path, monkeypatch, engine: str) -> None:
    # "b = foreach a generate myfuncs.helloworld(), myfuncs.square(3);"
    typed = (
        f"Register 'test.py' using {engine} as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.helloworld(), myfuncs.square(3);\nDUMP b;\n"
        + "c = foreach a generate myfuncs.complex(w), myfuncs.concat(w);\nDESCRIBE c;\nDUMP c;\n"
    )
    lines = run(tmp_path, monkeypatch, {"test.py": TEST_PY}, typed)
    assert lines == [
        "(Hello, World,9)",
        "(Hello, World,9)",
        # "When no decorator is specified, Pig assumes the output datatype as bytearray"
        "c: {(word: chararray,num: long),bytearray}",
        "((hello,5),hellohello)",
        "((world,5),worldworld)",
    ]


def test_helloworlds_schema_names_its_field(tmp_path: Path, monkeypatch) -> None:
    typed = (
        "Register 'test.py' using jython as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.helloworld();\nDESCRIBE b;\n"
    )
    assert run(tmp_path, monkeypatch, {"test.py": TEST_PY}, typed) == ["b: {word: chararray}"]


def test_output_schema_function_gives_the_inputs_type(tmp_path: Path, monkeypatch) -> None:
    typed = (
        "Register 'test.py' using jython as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.square(n);\nDESCRIBE b;\n"
        + "c = foreach a generate myfuncs.square((double)n);\nDESCRIBE c;\n"
    )
    described = run(tmp_path, monkeypatch, {"test.py": TEST_PY}, typed)
    assert re.fullmatch(r"b: \{(\w+: )?int\}", described[0]), described
    assert re.fullmatch(r"c: \{(\w+: )?double\}", described[1]), described


def test_output_schema_function_computes_the_value(tmp_path: Path, monkeypatch) -> None:
    typed = (
        "Register 'test.py' using jython as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.square(n);\nDUMP b;\n"
    )
    assert run(tmp_path, monkeypatch, {"test.py": TEST_PY}, typed) == ["(9)", "(16)"]


def test_my_sample_lib(tmp_path: Path, monkeypatch) -> None:
    typed = (
        "register 'mySampleLib.py' using jython as lib;\n"
        + LOAD
        + "b = foreach a generate lib.percent(n, 8), lib.commaFormat(big);\nDESCRIBE b;\nDUMP b;\n"
        + "g = GROUP a ALL;\nh = FOREACH g GENERATE lib.collectBag(a);\nDESCRIBE h;\nDUMP h;\n"
    )
    lines = run(tmp_path, monkeypatch, {"mySampleLib.py": SAMPLE_LIB}, typed)
    assert lines[:3] == [
        "b: {percent: double,numformat: chararray}",
        "(37.5,12,345)",
        "(50.0,678)",
    ]
    assert lines[3] == "h: {y: {t: (len: int,word: chararray)}}"
    # collectBag: each of the bag's tuples reaches Python as a tuple (word[1] is n)
    assert lines[4] in ("({(2,3),(2,4)})", "({(2,4),(2,3)})")


@pytest.mark.parametrize(
    "engine",
    [
        "streaming_python",
        "org.apache.pig.scripting.streaming.python.PythonScriptEngine",
    ],
)
def test_streaming_python_udfs_import_pig_util(tmp_path: Path, monkeypatch, engine: str) -> None:
    # "Register 'test.py' using streaming_python as myfuncs;" with `from pig_util import
    # outputSchema`
    data = "hello\t3\t12345\nworld\t\t678\n"
    typed = (
        f"Register 'test.py' using {engine} as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.concat(w), myfuncs.square(n);\nDESCRIBE b;\nDUMP b;\n"
        + "c = foreach a generate myfuncs.words('a b c');\nDESCRIBE c;\n"
    )
    lines = run(tmp_path, monkeypatch, {"test.py": STREAMING_PY, "data": data}, typed)
    assert lines == [
        "b: {word: chararray,as: int}",
        "(hellohello,9)",
        "(worldworld,)",  # square's `if num == None: return None`
        "c: {words: {(word: chararray)}}",
    ]


def test_streaming_python_in_the_default_mode(tmp_path: Path) -> None:
    write(tmp_path, {"data": DATA, "test.py": STREAMING_PY})
    script = (
        "Register 'test.py' using streaming_python as myfuncs;\n"
        + LOAD
        + "b = foreach a generate myfuncs.concat(w), FLATTEN(myfuncs.words('x y'));\nDUMP b;\n"
    )
    done = pig(["-e", script], tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(rows(done.stdout)) == [
        "(hellohello,x)",
        "(hellohello,y)",
        "(worldworld,x)",
        "(worldworld,y)",
    ]


def test_maps_reach_python_as_dicts_and_come_back(tmp_path: Path, monkeypatch) -> None:
    udf = (
        '@outputSchema("m:map[]")\n'
        "def swap(m):\n"
        "    return dict((str(v), k) for k, v in m.items())\n"
        '@outputSchema("n:int")\n'
        "def size(m):\n"
        "    return len(m) if isinstance(m, dict) else -1\n"
    )
    typed = (
        "register 'maps.py' using jython as f;\n"
        "a = LOAD 'maps' AS (m:map[chararray]);\n"
        "b = FOREACH a GENERATE f.swap(m), f.size(m);\nDESCRIBE b;\nDUMP b;\n"
    )
    lines = run(tmp_path, monkeypatch, {"maps.py": udf, "maps": "[open#apache]\n"}, typed)
    assert lines == ["b: {m: map[],n: int}", "([apache#open],1)"]


def test_a_register_that_fails_in_grunt_defines_no_namespace(tmp_path: Path, monkeypatch) -> None:
    # a UDF file that does not load is reported at REGISTER; its functions then do not
    # resolve (ERROR 1070 at the statement), rather than failing a job later
    typed = (
        "register 'bad.py' using jython as m;\n"
        + LOAD
        + "b = FOREACH a GENERATE m.f(w);\nDUMP b;\n"
        + "register 'test.py' using jython as m;\nc = FOREACH a GENERATE m.helloworld();\nDUMP c;\n"
    )
    write(tmp_path, {"data": DATA, "bad.py": "def f(:\n", "test.py": TEST_PY})
    lines, err = grunt(tmp_path, typed, monkeypatch)
    errors = [ln.split(":")[0] for ln in err.splitlines() if ln.startswith("ERROR")]
    assert errors == ["ERROR 1121", "ERROR 1070", "ERROR 1003"], err
    assert lines == ["(Hello, World)", "(Hello, World)"]
