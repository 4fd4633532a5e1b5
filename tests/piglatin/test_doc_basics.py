"""Examples of Pig 0.17's Pig Latin Basics page (basic.xml), run end to end in local mode
and compared with the page's own DESCRIBE and DUMP output (its F/L suffixes are the page's
notation, not DUMP's)."""

from __future__ import annotations

import io
from pathlib import Path

from piglatin.launcher import PigServer


def run(tmp: Path, files: dict[str, str], script: str) -> list[str]:
    """The lines DUMP and DESCRIBE print for `script` over `files` written into `tmp`."""
    for name, text in files.items():
        (tmp / name).write_text(text)
    out = io.StringIO()
    with PigServer("local", cwd=tmp, out=out) as server:
        server.register_script(script)
    return out.getvalue().splitlines()


def test_map_schema_without_the_map_keyword(tmp_path: Path) -> None:
    # "Map Schemas": `AS (M:map [])` and `AS (M:[])` are equivalent
    script = "A = LOAD 'data' AS (M:[]);\nDESCRIBE A;\nDUMP A;\nB = LOAD 'data' AS (M:[int]);\nDESCRIBE B;"
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
    expected = ["({(4829090493980522200)})", "({(4893298569862837493)})", "({(1297789302897398783)})"]
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
        "((1,2,3.0))", "((4,2,1.0))", "N: {fld: map[]}", "([open#apache])", "([apache#hadoop])",
    ]
