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


# ------------------------------------------------------------------ the line parser
LINES = [
    '{"a": 1, "m": {"x": "y"}}',
    ' {"a": 1}',
    '{"a": 1} ',
    '{"a": 1}\r',
    '{"a": 1} x',
    '[1, 2]',
    '7',
    '"text"',
    "",
    "   ",
    "{",
    '{"a": 1}{"a": 2}',
    '{"a": "\\u00e9", "m": null}',
    '\ufeff{"a": 1}',
    "null",
    '{"a": NaN, "m": {"x": Infinity}}',
]


def test_the_line_parser_reads_every_line_as_parse_line_does():
    for line in LINES:
        fast, slow = JsonLoader("a:int, m:map[]"), JsonLoader("a:int, m:map[]")
        warned_fast, warned_slow = _warned(fast), _warned(slow)
        assert repr(fast.line_parser()(line)) == repr(slow.parse_line(line)), line
        assert warned_fast == warned_slow, line
    plain = JsonLoader()
    assert plain.line_parser()('{"a": 1, "b": "x"}') == (1, "x")


# ------------------------------------------------------------------ map keys pushed down
def test_pushed_map_keys_convert_only_those_keys():
    loader = JsonLoader("id:int, m:map[], t:map[int]")
    assert loader.push_map_keys({1: ("x", "n", "gone"), 2: ("k",)})
    assert loader.push_projection([2, 1])
    warned = _warned(loader)
    line = '{"id": 1, "m": {"x": "a", "n": 5, "z": [1], "f": 1.5}, "t": {"k": "7", "bad": "q"}}'
    assert loader.line_parser()(line) == ({"k": 7}, {"x": b"a", "n": b"5"})
    assert warned == []  # the array under "z" and the bad int under "bad" are never read
    assert not JsonLoader("id:int, m:map[]").push_map_keys({0: ("x",)})  # not a map


def test_a_script_reading_map_keys_gets_the_same_rows_as_whole_maps(tmp_path: Path):
    rows = [
        {"id": i, "props": {"page": f"/p/{i % 3}", "ms": i * 7, "x": [i], "c": None}}
        for i in range(12)
    ] + [{"id": 99, "props": None}, {"id": 100, "props": "text"}]
    (tmp_path / "e.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    script = (
        "E = LOAD 'e.json' USING JsonLoader('id:int, props:map[]');\n"
        "F = FILTER E BY (chararray)props#'page' != '/p/1' OR props#'c' IS NOT NULL;\n"
        "G = FOREACH F GENERATE id, (chararray)props#'page', (int)props#'ms' + 1;\n"
        "STORE G INTO 'OUT';\n"
    )
    want = sorted(f"{i}\t/p/{i % 3}\t{i * 7 + 1}" for i in range(12) if i % 3 != 1)
    lines, warnings = stored_run(tmp_path, script, "out")
    assert sorted(lines) == want  # a null map's lookups are null: the FILTER drops both
    assert warnings.get("UDF_WARNING_1") is None  # the arrays under "x": never read
    assert warnings.get("FIELD_DISCARDED_TYPE_CONVERSION_FAILED") == 1  # "text": no map
    off = "SET pig.optimizer.rules.disabled 'ColumnMapKeyPrune';\n" + script
    lines, warnings = stored_run(tmp_path, off, "whole")
    assert sorted(lines) == want
    assert warnings.get("UDF_WARNING_1") == 12  # whole maps: every array read


def _map_keys(script: str) -> dict:
    from piglatin.front.builder import build_text
    from piglatin.plan import logical as L
    from piglatin.plan.optimizer import optimize

    plan = optimize(build_text(script))
    return {op.alias: op.map_keys for op in plan.operators if isinstance(op, L.LOLoad)}


LOAD = "E = LOAD 'e' USING JsonLoader('id:int, m:map[], n:map[int]');\n"


def test_the_rule_records_keys_only_when_every_use_is_a_lookup():
    lookups = LOAD + "F = FILTER E BY m#'a' == 'x';\nG = FOREACH F GENERATE m#'b', n#'c', id;\nDUMP G;"
    assert _map_keys(lookups) == {"E": ((1, ("a", "b")), (2, ("c",)))}
    whole = LOAD + "G = FOREACH E GENERATE m#'b', n;\nDUMP G;"
    assert _map_keys(whole) == {"E": ((1, ("b",)),)}
    for other in (
        "G = FOREACH E GENERATE m, n#'c';\nDUMP G;",  # n still pruned, m whole
        "G = FOREACH E GENERATE SIZE(m), id;\nDUMP G;",
        "G = GROUP E BY m#'a';\nDUMP G;",  # the bags hold whole rows
        "DUMP E;",
        "G = FOREACH E GENERATE *;\nDUMP G;",
    ):
        got = _map_keys(LOAD + other)["E"]
        assert all(c != 1 for c, _ in got), other
