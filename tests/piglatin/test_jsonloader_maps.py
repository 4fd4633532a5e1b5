"""JsonLoader's map[] fields: values that are JSON arrays, and the map keys a script reads
pushed down into the loader (only those keys are converted).

An array (or any JSON value with no single text) as the value of an untyped map[]: Pig's
JsonLoader.readField, case MAP, reads the object token by token, putting
``p.getCurrentName() -> p.getText()`` for every token up to the first END_OBJECT, so an
array's brackets and items land under its key and a null key (no Pig value can be made of
that: its behaviour is undefined). Here the value is null with one UDF_WARNING_1 (the
warning Pig's JsonLoader gives a field it cannot read), and the task does not fail.
"""

from __future__ import annotations

import json
from pathlib import Path

from piglatin.back.storage import JsonLoader
from tests.piglatin.storedrun import stored_run


def _warned(loader: JsonLoader) -> list[str]:
    got: list[str] = []
    loader.on_warning = got.append
    return got


def test_an_array_in_an_untyped_map_is_null_with_a_warning():
    loader = JsonLoader("a:int, m:map[]")
    warned = _warned(loader)
    got = loader.parse_line('{"a": 1, "m": {"x": [1, 2], "y": "z", "e": []}}')
    assert got == (1, {"x": None, "y": b"z", "e": None})
    assert warned == ["UDF_WARNING_1", "UDF_WARNING_1"]


def test_an_array_as_a_bytearray_field_is_null_with_a_warning():
    loader = JsonLoader("a:int, b:bytearray")
    warned = _warned(loader)
    assert loader.parse_line('{"a": 1, "b": [1, "x"]}') == (1, None)
    assert warned == ["UDF_WARNING_1"]


def test_a_script_over_an_array_in_a_map_runs(tmp_path: Path):
    rows = [
        {"id": 1, "props": {"tags": ["a", "b"], "k": "v1"}},
        {"id": 2, "props": {"tags": [], "k": "v2", "n": 3}},
        {"id": 3, "props": {"k": None}},
    ]
    (tmp_path / "e.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    script = (
        "E = LOAD 'e.json' USING JsonLoader('id:int, props:map[]');\n"
        "F = FOREACH E GENERATE id, (chararray)props#'k', (props#'tags' IS NULL), (int)props#'n';\n"
        "STORE F INTO 'OUT';\n"
    )
    lines, warnings = stored_run(tmp_path, script, "out")
    assert sorted(lines) == ["1\tv1\ttrue\t", "2\tv2\ttrue\t3", "3\t\ttrue\t"]
    assert warnings.get("UDF_WARNING_1") == 2
