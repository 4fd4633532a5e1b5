"""Wrong results found by ``scripts/bench_pigshapes.py`` (user-shaped data and scripts), each
reduced to a minimal script and checked against Pig's own behaviour (its source, quoted in the
test). Each is ``xfail(strict=True)`` until it is fixed: the suite stays green, the bug stays
recorded, and the fix turns the test into an unexpected pass that must drop the mark.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import PigServer


def run(tmp: Path, files: dict[str, str], script: str, outputs: tuple[str, ...]) -> dict:
    """Run ``script`` in local mode in ``tmp`` with ``files`` written there first; the sorted
    lines of each output directory."""
    for name, text in files.items():
        (tmp / name).write_text(text)
    with PigServer("local", cwd=tmp, out=io.StringIO()) as pig:
        pig.register_script(script)
    result = {}
    for name in outputs:
        lines: list[str] = []
        for part in sorted((tmp / name).glob("part-*")):
            lines += part.read_text().splitlines()
        result[name] = sorted(lines)
    return result


SPLIT_OTHERWISE = """
A = LOAD 'in' USING PigStorage(',') AS (id:int, v:int);
SPLIT A INTO big IF v > 10, rest OTHERWISE;
STORE big INTO 'big';
STORE rest INTO 'rest';
"""


def test_split_otherwise_drops_a_row_whose_condition_is_null(tmp_path: Path) -> None:
    # Pig 0.17, LogicalPlanBuilder.buildSplitOtherwiseOp: the branches' conditions are OR-ed
    # and negated ("using De Morgan's law (!A && !B) == !(A || B)"), and the result is the
    # filter plan of the OTHERWISE output. Pig's OR and NOT are three-valued (null OR false
    # is null, NOT null is null) and a filter keeps only true: the row with v null is in
    # neither output. The same script written with FILTER ... BY NOT (v > 10) gives that.
    out = run(tmp_path, {"in": "1,\n2,5\n3,50\n"}, SPLIT_OTHERWISE, ("big", "rest"))
    assert out == {"big": ["3\t50"], "rest": ["2\t5"]}


def test_filter_not_of_a_null_condition_drops_the_row(tmp_path: Path) -> None:
    # the same rows through FILTER NOT: the behaviour OTHERWISE should share (passes today)
    script = "A = LOAD 'in' USING PigStorage(',') AS (id:int, v:int);\n"
    script += "B = FILTER A BY NOT (v > 10);\nSTORE B INTO 'rest';\n"
    out = run(tmp_path, {"in": "1,\n2,5\n3,50\n"}, script, ("rest",))
    assert out == {"rest": ["2\t5"]}


JSON_BAG_OF_TEXTS = """
J = LOAD 'in.json' USING JsonLoader('k:chararray, n:int, tags:{(t:chararray)}');
STORE J INTO 'out';
"""


def test_json_bag_of_non_objects_is_a_null_field(tmp_path: Path) -> None:
    # Pig 0.17, JsonLoader.readField, case BAG: an array item that is not START_OBJECT warns
    # "Bad bag tuple field, could not find start of object" and returns null for the field;
    # getNext keeps the tuple it filled (a missing END_OBJECT only warns). An empty array is
    # an empty bag.
    lines = '{"k":"a","n":1,"tags":["x","y"]}\n{"k":"b","n":null,"tags":[]}\n'
    out = run(tmp_path, {"in.json": lines}, JSON_BAG_OF_TEXTS, ("out",))
    assert out == {"out": ["a\t1\t", "b\t\t{}"]}


# Java's predefined classes are ASCII unless the pattern sets UNICODE_CHARACTER_CLASS
# (java.util.regex.Pattern: "\d A digit: [0-9]", "\w A word character: [a-zA-Z_0-9]",
# "\W A non-word character: [^\w]"), while \p{Lu} is the Unicode category. Pig's MATCHES and
# REGEX_EXTRACT take Java regular expressions; Python's re on str is Unicode-aware for \d \w.
JAVA_CLASSES = [
    ("(s MATCHES '\\\\w+')", "École", "false"),  # É is not in [a-zA-Z_0-9]
    ("(s MATCHES '\\\\d')", "\u0663", "false"),  # ARABIC-INDIC DIGIT THREE is not in [0-9]
    ("REGEX_EXTRACT(s, '(\\\\W)', 1)", "École", "É"),  # the first non-[a-zA-Z_0-9] char
    ("(s MATCHES '\\\\p{Lu}.*')", "École", "true"),  # É is in the Unicode category Lu
]


@pytest.mark.parametrize(("expr", "text", "expected"), JAVA_CLASSES)
def test_java_regex_classes_on_non_ascii_text(
    tmp_path: Path, expr: str, text: str, expected: str
) -> None:
    script = f"A = LOAD 'in' AS (s:chararray);\nB = FOREACH A GENERATE {expr};\n"
    script += "STORE B INTO 'out';\n"
    out = run(tmp_path, {"in": text + "\n"}, script, ("out",))
    assert out == {"out": [expected]}


# Pig's chararray is a java.lang.String: SIZE is String.length() (StringSize.exec: "new
# Long(s.length())"), INDEXOF String.indexOf and SUBSTRING String.substring, all counted in
# UTF-16 code units, so a character outside the Basic Multilingual Plane (an emoji) counts 2.
# Python's str counts code points (1).
NON_BMP = [
    ("SIZE(s)", "4"),  # 'a', the emoji's two surrogates, 'b'
    ("INDEXOF(s, 'b', 0)", "3"),
    ("SUBSTRING(s, 1, 3)", "\U0001f600"),  # units 1 and 2: the emoji alone
]


@pytest.mark.parametrize(("expr", "expected"), NON_BMP)
def test_string_positions_count_utf16_units(tmp_path: Path, expr: str, expected: str) -> None:
    script = f"A = LOAD 'in' AS (s:chararray);\nB = FOREACH A GENERATE {expr};\n"
    script += "STORE B INTO 'out';\n"
    out = run(tmp_path, {"in": "a\U0001f600b\n"}, script, ("out",))
    assert out == {"out": [expected]}
