"""PigStorage lines built by generated code as one f-string (`codegen.line_expression`):
against an independent formatter (a chararray as is, an int's digits, a short double's
shortest repr, a null empty) with delimiters an f-string must escape (braces, quotes,
backslash, control characters, several characters), in the batch form (`text_lines`), the
per-row tail (`text_line_tail`) and a whole script storing with such a delimiter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import text_line_tail, text_lines
from piglatin.launcher import run_script
from piglatin.model.schema import DataType as D

TYPES = [D.CHARARRAY, D.INT, D.LONG, D.DOUBLE]
SEPS = ["\t", ",", "{", "}", "{}", '"', "'", "\\", "\x01", "\n", "é", "::", "%s", "{0}"]

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)
_double = st.sampled_from([0.5, 2.25, -3.125, 1234.5, 0.001, 9999999.5, 0.0625])
ROW = st.tuples(
    st.one_of(st.none(), _text),
    st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
    st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
    st.one_of(st.none(), _double),
)


def expected(row: tuple, sep: str) -> str:
    return sep.join("" if v is None else v if type(v) is str else repr(v) for v in row)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(ROW, max_size=20), sep=st.sampled_from(SEPS))
def test_lines_are_the_independent_formatters(rows, sep) -> None:
    text = text_lines(TYPES, sep)(rows)
    assert text == "\n".join(expected(r, sep) for r in rows)
    tail = text_line_tail(TYPES, sep, lambda t: b"unused")
    for row in rows:
        assert tail(row) == [(None, expected(row, sep))]


@pytest.mark.parametrize("sep", ["{", "}", "|"])
def test_a_store_with_a_brace_delimiter(tmp_path: Path, sep: str) -> None:
    (tmp_path / "a.txt").write_text("x\t1\t2.5\ny\t\t0.5\n\t7\t\n")
    script = (
        "A = LOAD 'a.txt' AS (s:chararray, n:int, d:double);\n"
        "B = FOREACH A GENERATE s, n, d, n;\n"
        f"STORE B INTO 'out' USING PigStorage('{sep}');\n"
    )
    assert run_script(script, cwd=tmp_path, filename="t.pig", out=io.StringIO()) == 0
    lines = sorted((tmp_path / "out" / "part-m-00000").read_text().splitlines())
    assert lines == sorted([f"x{sep}1{sep}2.5{sep}1", f"y{sep}{sep}0.5{sep}", f"{sep}7{sep}{sep}7"])
