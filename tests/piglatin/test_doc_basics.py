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
