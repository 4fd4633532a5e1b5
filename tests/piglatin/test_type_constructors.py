"""Pig's type construction operators take any expressions (Pig 0.17's QueryParser.g:
``paren_expr`` makes ``(e, e, ...)`` a TOTUPLE and ``(literal)`` a tuple of the literal,
``curly_expr`` makes ``{e, ...}`` a TOBAG, ``bracket_expr`` makes ``[k, v, ...]`` a TOMAP
and keeps ``['key'#value, ...]``). Expected rows are worked out by hand in Pig's DUMP text
forms."""

from __future__ import annotations

import io

import pytest

from piglatin.errors import PigError
from piglatin.launcher import run_script

ROWS = "1\ta\n2\tb\n"


def dump(tmp_path, generate: str) -> list[str]:
    (tmp_path / "in.txt").write_text(ROWS)
    out = io.StringIO()
    script = (
        f"A = LOAD 'in.txt' AS (n:int, s:chararray);\nB = FOREACH A GENERATE {generate};\nDUMP B;\n"
    )
    run_script(script, "local", cwd=tmp_path, out=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("generate", "rows"),
    [
        # the Pig manual's example: [name, gpa] makes the map [name#gpa]
        ("[s, n]", ["([a#1])", "([b#2])"]),
        # DUMP prints a map in HashMap order, read back sized (4 slots): 'x' (120 & 3 = 0)
        # before 'a' (97 & 3 = 1) and 'b' (98 & 3 = 2); 'j' (106 & 3) before 'k' (107 & 3)
        ("[s, n, 'x', n + 1]", ["([x#2,a#1])", "([x#3,b#2])"]),
        ("[CONCAT(s, 'z'), (n, s)]", ["([az#(1,a)])", "([bz#(2,b)])"]),
        ("[s, {(n), (n * 10)}]", ["([a#{(1),(10)}])", "([b#{(2),(20)}])"]),
        ("['k'#n]", ["([k#1])", "([k#2])"]),
        ("['k'#n, 'j'#s]", ["([j#a,k#1])", "([j#b,k#2])"]),
        ("[]", ["([])", "([])"]),
        ("(n + 1, UPPER(s))", ["((2,A))", "((3,B))"]),
        ("(n, [s, n])", ["((1,[a#1]))", "((2,[b#2]))"]),
        # QueryParser.g paren_expr: one expression in parentheses is that expression, but
        # "brackets around a single literal mean a tuple of that literal"
        ("(n)", ["(1)", "(2)"]),
        ("(7)", ["((7))", "((7))"]),
        ("('x')", ["((x))", "((x))"]),
        ("(null)", ["(())", "(())"]),
        ("(-1)", ["(-1)", "(-1)"]),  # a negation, not a literal
        ("n * (2 + 1)", ["(3)", "(6)"]),
        ("{(n), (n * 2)}", ["({(1),(2)})", "({(2),(4)})"]),
        ("{n, s}", ["({(1),(a)})", "({(2),(b)})"]),
        ("{(n, s), (n + 1, [s, n])}", ["({(1,a),(2,[a#1])})", "({(2,b),(3,[b#2])})"]),
    ],
)
def test_constructors_take_any_expressions(tmp_path, generate, rows):
    assert dump(tmp_path, generate) == rows


def test_a_constructed_map_can_be_looked_up(tmp_path):
    # the first row's map is [a#1]: 'a' is there; the second's is [b#2]: a null (empty field)
    assert dump(tmp_path, "[s, n]#'a'") == ["(1)", "()"]


def test_a_map_constructor_of_non_map_syntax_is_refused(tmp_path):
    with pytest.raises(PigError) as e:
        dump(tmp_path, "[s n]")
    assert e.value.code == 1200
