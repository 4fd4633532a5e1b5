"""The generated map code splits a PigStorage line only up to the last column the script reads
(`codegen.Generator.split_line`): whatever a line holds after that column, and however many
fields it has (fewer than the schema: the missing ones are null; more: ignored), the columns
read are the ones plain Python's full split gives. Expected rows come from plain Python."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

SCHEMA = "(a:chararray, b:int, c:chararray, d:chararray, e:chararray)"

#: a field's text: words, digits, the empty field, and delimiters of other loaders
FIELD = st.sampled_from(["", "x", "7", "-3", "a b", "[k#v]", "{(1)}", ",", ";", "é"])
LINE = st.lists(FIELD, min_size=0, max_size=8).map("\t".join)


def run(tmp: Path, lines: list[str], generate: str) -> list[str]:
    (tmp / "in.txt").write_text("".join(x + "\n" for x in lines))
    script = f"""A = LOAD 'in.txt' USING PigStorage('\\t') AS {SCHEMA};
        B = FOREACH A GENERATE {generate};
        STORE B INTO 'out';"""
    assert run_script(script, exec_type="local", cwd=tmp, filename="t.pig", out=io.StringIO()) == 0
    out: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        out += part.read_text().splitlines()
    return sorted(out)


def field(line: str, i: int) -> str:
    parts = line.split("\t")
    return parts[i] if i < len(parts) else ""


def as_int(text: str) -> str:
    """PigStorage's int of a field's text, as it is stored again (a bad int is null)."""
    try:
        return str(int(text))
    except ValueError:
        return ""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, min_size=1, max_size=12))
def test_the_columns_read_are_those_of_the_full_split(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        got = run(Path(tmp), lines, "a, b")
    want = sorted(f"{field(x, 0)}\t{as_int(field(x, 1))}" for x in lines)
    assert got == want


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, min_size=1, max_size=12))
def test_a_middle_column_alone_and_the_last_schema_column(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        got = run(Path(tmp), lines, "c, e")
    assert got == sorted(f"{field(x, 2)}\t{field(x, 4)}" for x in lines)


def test_a_line_with_more_fields_than_the_schema(tmp_path: Path) -> None:
    lines = ["p\t1\tq\tr\ts\textra\tmore", "p\t2", "\t\t\t\t\t\t\t\t", ""]
    assert run(tmp_path, lines, "a, b") == sorted(["p\t1", "p\t2", "\t", "\t"])
