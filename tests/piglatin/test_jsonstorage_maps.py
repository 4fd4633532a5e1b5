"""JsonStorage writes a map's values as strings: Pig 0.17's JsonStorage.writeField, case
DataType.MAP, ``json.writeStringField(e.getKey(), e.getValue() == null ? null :
e.getValue().toString())`` - Integer/Long/Double/Float/Boolean.toString, a Tuple's and a
DataBag's Pig text, DateTime's ISO text, a nested map as java.util.HashMap.toString."""

from __future__ import annotations

import io
import json
from pathlib import Path

from piglatin.launcher import PigServer


def _stored(tmp_path: Path, script: str) -> list[dict]:
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    text = (tmp_path / "out" / "part-m-00000").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_map_values_are_strings(tmp_path: Path) -> None:
    (tmp_path / "in").write_text("a\t7\t2.5\t0.1\n")
    script = (
        "A = LOAD 'in' AS (s:chararray, n:long, d:double, f:float);\n"
        "B = FOREACH A GENERATE TOMAP('n', n, 'd', d, 's', s, 'x', (chararray)null)"
        " AS m, TOMAP('t', TOTUPLE(n, s), 'm', TOMAP('k', n)) AS c;\n"
        "STORE B INTO 'out' USING JsonStorage();\n"
    )
    assert _stored(tmp_path, script) == [
        {
            "m": {"n": "7", "d": "2.5", "s": "a", "x": None},
            "c": {"t": "(7,a)", "m": "{k=7}"},
        }
    ]


def test_a_typed_float_map_value_is_float_text(tmp_path: Path) -> None:
    (tmp_path / "in").write_text("[f#0.1]\n")
    script = "A = LOAD 'in' AS (m:map[float]);\nSTORE A INTO 'out' USING JsonStorage();\n"
    assert _stored(tmp_path, script) == [{"m": {"f": "0.1"}}]  # Float.toString(0.1f)
