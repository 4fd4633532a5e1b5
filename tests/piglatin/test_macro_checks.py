"""Pig 0.17's checks on a macro's expansion, from its source: AliasMasker.g refuses a schema
field (LOAD/STREAM ... AS, GENERATE ... AS) named like an alias the fragment used before it
(TestMacroExpansion.negativeTest7/8, cont.xml's "name collision" example); a parameter
declared twice takes its last argument with PreprocessorContext's "Multiple values found"
warning (PIG-2247's refusal of repeated arguments was undone, PIG-3394); a macro named like a
builtin function warns (the PIG-2248 patch's message) and still runs as a macro; a macro's
parameter wins over a script parameter of the same name (PigMacro.substituteParams); a RETURNS
alias the body never assigns, a definition inside a macro and an invocation before the
definition are refused with Pig's reasons (PigMacro.validate, macroInline)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import PigServer


def run(tmp: Path, files: dict[str, str], script: str) -> PigServer:
    for name, text in files.items():
        (tmp / name).write_text(text)
    pig = PigServer("local", cwd=tmp, out=io.StringIO())
    with pig:
        pig.register_script(script)
    return pig


def lines(path: Path) -> list[str]:
    return sorted(x for p in sorted(path.glob("part-*")) for x in p.read_text().splitlines())


# TestMacroExpansion.negativeTest7 and negativeTest8, and cont.xml's example
COLLISIONS = [
    (
        "DEFINE toBytearray(in, intermediate) RETURNS e {\n"
        "b = LOAD '$in' AS (name:chararray, age:long, gpa:float);\n"
        "d = LOAD '$intermediate' AS (b:bag{t:tuple(x,y,z)}, t2:tuple(a,b,c));\n"
        "$e = FOREACH d GENERATE COUNT(b), t2.a, t2.b, t2.c;};\n"
        "f = toBytearray('data', 'output1');\nSTORE f INTO 'out';\n",
        "b",
    ),
    (
        "DEFINE toBytearray(in, intermediate) RETURNS e {\n"
        "b = LOAD '$in' AS (name:chararray, age:long, gpa:float);\n"
        "d = FOREACH b GENERATE $0 AS b:bag{t:tuple(x,y,z)};\n"
        "$e = FOREACH d GENERATE COUNT(b);};\n"
        "f = toBytearray('data', 'output1');\nSTORE f INTO 'out';\n",
        "b",
    ),
    (
        "DEFINE my_macro(A, sortkey) RETURNS E {\n"
        "  B = FILTER $A BY $0 is not null;\n  C = ORDER B BY $sortkey;\n"
        "  D = LOAD 'in' AS (B:bag{});\n  $E = FOREACH D GENERATE COUNT(B);\n};\n"
        "X = LOAD 'data';\nY = my_macro(X, $0);\nSTORE Y INTO 'out';\n",
        "B",
    ),
    (  # the caller's relation, read by the fragment, is an alias it has seen too
        "DEFINE m(A) RETURNS B {\n  $B = FOREACH $A GENERATE $0 AS X;\n};\n"
        "X = LOAD 'data';\nY = m(X);\nSTORE Y INTO 'out';\n",
        "X",
    ),
]


@pytest.mark.parametrize(("script", "field"), COLLISIONS)
def test_schema_field_named_like_an_alias_is_refused(
    tmp_path: Path, script: str, field: str
) -> None:
    with pytest.raises(PigError) as info:
        run(tmp_path, {"data": "a\t1\t2.0\n", "in": "{(1),(2)}\n"}, script)
    message = str(info.value)
    assert "conflicts with alias name: " + field in message
    assert "Macro doesn't support user defined schema" in message


def test_names_that_do_not_clash_expand(tmp_path: Path) -> None:
    # TestMacroExpansion's loadTest and test21/test22 shapes: a field named like the RETURNS
    # parameter (not an alias the fragment used), a bag's tuple name, fields named after
    # aliases defined only later, and AS in GENERATE with fresh names all expand
    script = (
        "DEFINE m(path) RETURNS B {\n"
        "  D = LOAD '$path' AS (n:int, B:chararray, t:bag{T:(x:int)});\n"
        "  E = FOREACH D GENERATE n AS F, B AS G;\n"
        "  F = FILTER E BY F > 1;\n"
        "  $B = FOREACH F GENERATE F, G;\n"
        "};\n"
        "Y = m('data');\nSTORE Y INTO 'out';\n"
    )
    run(tmp_path, {"data": "1\ta\t{(1)}\n2\tb\t{(2)}\n3\tc\t{}\n"}, script)
    assert lines(tmp_path / "out") == ["2\tb", "3\tc"]


def test_a_parameter_named_twice_takes_its_last_argument(tmp_path: Path, caplog) -> None:
    script = (
        "DEFINE simple_macro(in_relation, min_gpa, min_gpa) RETURNS c {\n"
        "  b = FILTER $in_relation BY gpa >= $min_gpa;\n"
        "  $c = FOREACH b GENERATE name;\n};\n"
        "a = LOAD 'data' AS (name:chararray, gpa:double);\n"
        "x = simple_macro(a, 1.0, 3.0);\nSTORE x INTO 'out';\n"
        "y = simple_macro(a, 2.0, 2.0);\nSTORE y INTO 'out2';\n"
    )
    with caplog.at_level(logging.WARNING, logger="piglatin.front.macros"):
        run(tmp_path, {"data": "ann\t1.5\nbob\t2.5\ncid\t3.5\n"}, script)
    assert lines(tmp_path / "out") == ["cid"]  # min_gpa = 3.0, the last argument
    assert lines(tmp_path / "out2") == ["bob", "cid"]
    warned = [r.getMessage() for r in caplog.records if "Multiple values" in r.getMessage()]
    # one warning per expansion whose two arguments differ (Pig: none when they are equal)
    assert warned == ["Macro simple_macro: Multiple values found for min_gpa. Using value 3.0"]


def test_a_macro_named_like_a_builtin_warns_and_runs(tmp_path: Path, caplog) -> None:
    script = (
        "DEFINE COUNT(in_relation, min_gpa) RETURNS c {\n"
        "  b = FILTER $in_relation BY gpa >= $min_gpa;\n"
        "  $c = FOREACH b GENERATE name;\n};\n"
        "a = LOAD 'data' AS (name:chararray, gpa:double);\n"
        "x = COUNT(a, 2.0);\nSTORE x INTO 'out';\n"
        "g = GROUP a ALL;\nn = FOREACH g GENERATE COUNT(a);\nSTORE n INTO 'n';\n"
    )
    with caplog.at_level(logging.WARNING, logger="piglatin.front.macros"):
        run(tmp_path, {"data": "ann\t1.5\nbob\t2.5\ncid\t3.5\n"}, script)
    assert lines(tmp_path / "out") == ["bob", "cid"]
    assert lines(tmp_path / "n") == ["3"]  # in an expression COUNT is still the function
    messages = [r.getMessage() for r in caplog.records]
    assert "macro name 'COUNT' masks a builtin UDF COUNT" in messages


def test_a_macro_parameter_wins_over_a_script_parameter_of_its_name(tmp_path: Path) -> None:
    # Pig 0.17's PigMacro.substituteParams adds the script's parameters to the macro's with
    # overwrite=false ("macro parameters should have precedence over commandline parameters
    # if keys overlap"); a script parameter the macro does not declare is still substituted
    (tmp_path / "data").write_text("a\t1\nb\t2\nc\t3\n")
    script = (
        "DEFINE m(A, k) RETURNS B {\n"
        "  C = FILTER $A BY $k > $lo;\n"
        "  $B = FOREACH C GENERATE s;\n};\n"
        "X = LOAD 'data' AS (s:chararray, n:int);\nY = m(X, n);\nSTORE Y INTO 'out';\n"
    )
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script, params={"k": "nosuch", "B": "nosuch", "lo": "1"})
    assert lines(tmp_path / "out") == ["b", "c"]


# Pig's TestMacroExpansion: negativeTest5/6 and checkReturnAliasTest1/2 (a RETURNS alias the
# body never assigns, in a comment only, or compared with ==), negativeTest4 (a definition
# inside a macro), and "Macro must be defined before expansion" (PigMacro.macroInline)
DEFINITION_MISTAKES = [
    (
        "DEFINE m(A, C) RETURNS B {\n  B = JOIN $A BY $0, $C BY $0;\n};\n"
        "X = LOAD 'data';\nY = m(X, X);\nSTORE Y INTO 'out';\n",
        "Macro 'm' missing return alias: B",
    ),
    (
        "DEFINE m(A, C) RETURNS B {\n  B = JOIN $A BY $B, $C BY $0;\n};\n",
        "Macro 'm' missing return alias: B",
    ),
    (
        "DEFINE m(A, C) RETURNS B {\n  /* $B = JOIN $A BY $0, $C BY $0; */\n"
        "  -- $B = JOIN $A BY $0, $C BY $0;\n  B = FILTER $A BY $0 == $C;\n};\n",
        "Macro 'm' missing return alias: B",
    ),
    (
        "DEFINE m(A) RETURNS B {\n  $B = FILTER $A BY $0 is not null;\n"
        "  DEFINE t() RETURNS d { d = LOAD '1.txt'; };\n};\n",
        "macro m contains the macro definition t",
    ),
    (
        "X = LOAD 'data';\nY = m(X);\n"
        "DEFINE m(A) RETURNS B { $B = FILTER $A BY $0 is not null; };\nSTORE Y INTO 'out';\n",
        "Cannot expand macro 'm'. Reason: Macro must be defined before expansion",
    ),
]


@pytest.mark.parametrize(("script", "message"), DEFINITION_MISTAKES)
def test_definition_mistakes_are_named(tmp_path: Path, script: str, message: str) -> None:
    with pytest.raises(PigError) as info:
        run(tmp_path, {"data": "a\n"}, script)
    assert message in str(info.value)


def test_every_way_pig_accepts_a_return_assignment(tmp_path: Path) -> None:
    # PigMacro.validate: `$x =`, `$x, $y =` (a macro's several returns), `$x IF` and
    # `$x OTHERWISE` of a SPLIT
    script = (
        "DEFINE two(A) RETURNS P, Q {\n  $P = FILTER $A BY n > 1;\n"
        "  $Q = FILTER $A BY n <= 1;\n};\n"
        "DEFINE m(A) RETURNS B, C, D, E {\n  $B, $C = two($A);\n"
        "  SPLIT $A INTO $D IF n > 2, $E OTHERWISE;\n};\n"
        "X = LOAD 'data' AS (s:chararray, n:int);\nB, C, D, E = m(X);\n"
        "STORE B INTO 'b';\nSTORE C INTO 'c';\nSTORE D INTO 'd';\nSTORE E INTO 'e';\n"
    )
    run(tmp_path, {"data": "a\t1\nb\t2\nc\t3\n"}, script)
    assert [lines(tmp_path / x) for x in "bcde"] == [
        ["b\t2", "c\t3"], ["a\t1"], ["c\t3"], ["a\t1", "b\t2"],
    ]  # fmt: skip
