"""Scout (session 17): the load and store functions of the Built In Functions page, each
written and read back: PigStorage's '-schema'/'-noschema'/'-tagFile' options and a \\u0001
delimiter, BinStorage, JsonStorage/JsonLoader (with and without its schema argument), PigDump
and TextLoader. Expected files and lines follow Pig's source (PigStorage, JsonStorage's
Jackson writer, TupleFormat, Utf8StorageConverter), never this implementation's output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.piglatin.storedrun import printed_lines as run

ROW = "1\ta\t2.5\ttrue\t2017-01-01T00:00:00.000Z\t{(1,x),(2,y)}\t[k#v]\t(3,z)\n"
NULLS = "2\t\t\t\t\t\t\t\n"
SCHEMA = (
    "(i:int, s:chararray, f:float, b:boolean, t:datetime, bg:bag{r:(n:int, c:chararray)},"
    " m:map[chararray], tp:tuple(n:int, c:chararray))"
)
DESCRIBED = (
    "{i: int,s: chararray,f: float,b: boolean,t: datetime,bg: {r: (n: int,c: chararray)},"
    "m: map[chararray],tp: (n: int,c: chararray)}"
)
DUMPED = ["(1,a,2.5,true,2017-01-01T00:00:00.000Z,{(1,x),(2,y)},[k#v],(3,z))", "(2,,,,,,,)"]


def _store_all(tmp_path: Path) -> None:
    script = (
        f"A = LOAD 'd' AS {SCHEMA};\n"
        "STORE A INTO 'p' USING PigStorage('|', '-schema');\n"
        "STORE A INTO 'bin' USING BinStorage();\n"
        "STORE A INTO 'js' USING JsonStorage();\n"
        "STORE A INTO 'u1' USING PigStorage('\\u0001');\n"
        "STORE A INTO 'dump' USING PigDump();\n"
    )
    assert run(tmp_path, {"d": ROW + NULLS}, script) == []


def _part(tmp_path: Path, out: str) -> str:
    return "".join(p.read_text() for p in sorted((tmp_path / out).glob("part-*")))


def test_stored_files(tmp_path: Path) -> None:
    _store_all(tmp_path)
    # PigStorage: fields joined by the delimiter, null as an empty field, complex values as
    # their text; '-schema' adds .pig_header (the names joined by the delimiter)
    assert _part(tmp_path, "p") == ROW.replace("\t", "|") + "2|||||||\n"
    assert (tmp_path / "p" / ".pig_header").read_text() == "i|s|f|b|t|bg|m|tp\n"
    assert _part(tmp_path, "u1") == ROW.replace("\t", "\x01") + "2" + "\x01" * 7 + "\n"
    # PigDump: each tuple as DUMP prints it
    assert _part(tmp_path, "dump").splitlines() == DUMPED
    # JsonStorage: an object per tuple, a bag as an array of objects, a tuple as an object,
    # a datetime as its ISO text, nulls as null
    rows = [json.loads(x) for x in _part(tmp_path, "js").splitlines()]
    assert rows == [
        {
            "i": 1, "s": "a", "f": 2.5, "b": True, "t": "2017-01-01T00:00:00.000Z",
            "bg": [{"n": 1, "c": "x"}, {"n": 2, "c": "y"}], "m": {"k": "v"},
            "tp": {"n": 3, "c": "z"},
        },
        dict.fromkeys(("s", "f", "b", "t", "bg", "m", "tp"), None) | {"i": 2},
    ]  # fmt: skip
    schema = json.loads((tmp_path / "js" / ".pig_schema").read_text())
    # ResourceSchema's JSON with Pig's type codes: int 10, chararray 55, float 20, boolean 5,
    # datetime 30, bag 120, map 100, tuple 110
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("i", 10), ("s", 55), ("f", 20), ("b", 5), ("t", 30), ("bg", 120), ("m", 100),
        ("tp", 110),
    ]  # fmt: skip


def test_loaded_back(tmp_path: Path) -> None:
    _store_all(tmp_path)
    script = (
        # a PigStorage LOAD without AS takes .pig_schema's schema; '-noschema' ignores it
        "L = LOAD 'p' USING PigStorage('|');\nDESCRIBE L;\nDUMP L;\n"
        "L2 = LOAD 'p' USING PigStorage('|', '-noschema');\nDESCRIBE L2;\n"
        f"B = LOAD 'bin' USING BinStorage() AS {SCHEMA};\nDUMP B;\n"
        # JsonLoader() reads the schema JsonStorage wrote
        "J = LOAD 'js' USING JsonLoader();\nDESCRIBE J;\nDUMP J;\n"
        "U = LOAD 'u1' USING PigStorage('\\u0001') AS (i:int, s:chararray);\nDUMP U;\n"
        "T = LOAD 'dump' USING TextLoader() AS (line:chararray);\n"
        "T2 = FOREACH T GENERATE SIZE(line);\nDUMP T2;\n"
    )
    lines = run(tmp_path, {}, script)
    assert lines == (
        [f"L: {DESCRIBED}"] + DUMPED + ["Schema for L2 unknown."] + DUMPED
        + [f"J: {DESCRIBED}"] + DUMPED + ["(1,a)", "(2,)"]
        + [f"({len(DUMPED[0])})", f"({len(DUMPED[1])})"]
    )  # fmt: skip


def test_jsonloader_schema_argument(tmp_path: Path) -> None:
    # func.xml's JsonLoader example schema: a bag, a tuple, a map of chararray; a JSON null
    # is a null field, an empty array an empty bag
    files = {
        "a.json": '{"a0":1,"a1":[{"a10":2,"a11":"x"},{"a10":3,"a11":null}],'
        '"a2":{"a20":4.5,"a21":"b"},"a3":{"k":"v"}}\n'
        '{"a0":null,"a1":[],"a2":null,"a3":{}}\n'
    }
    script = (
        "a = load 'a.json' using JsonLoader('a0:int,a1:{(a10:int,a11:chararray)},"
        "a2:(a20:double,a21:bytearray),a3:[chararray]');\nDESCRIBE a;\nDUMP a;\n"
        "b = FOREACH a GENERATE a0, SIZE(a1), a2.a20, a3#'k';\nDUMP b;\n"
    )
    assert run(tmp_path, files, script) == [
        "a: {a0: int,a1: {(a10: int,a11: chararray)},a2: (a20: double,a21: bytearray),"
        "a3: map[chararray]}",
        "(1,{(2,x),(3,)},(4.5,b),[k#v])",
        "(,{},,[])",
        "(1,2,4.5,v)",
        "(,0,,)",
    ]


def test_tag_file_and_textloader(tmp_path: Path) -> None:
    # '-tagFile' puts the file's name first (a bytearray); a glob reads both files; TextLoader
    # keeps each whole line, empty and blank ones too (SIZE counts the characters)
    files = {"d/a.txt": "x\t1\n", "d/b.txt": "y\t2\n", "t": "a\n\n  b  \n"}
    script = (
        "F = LOAD 'd/*.txt' USING PigStorage('\\t', '-tagFile') AS (f:chararray, k:chararray,"
        " v:int);\nO = ORDER F BY f;\nDUMP O;\n"
        "T = LOAD 't' USING TextLoader();\nU = FOREACH T GENERATE SIZE($0), TRIM($0);\nDUMP U;\n"
    )
    assert run(tmp_path, files, script) == [
        "(a.txt,x,1)", "(b.txt,y,2)", "(1,a)", "(0,)", "(5,b)",
    ]  # fmt: skip
