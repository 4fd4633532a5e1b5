"""A map-only job's stored PigStorage lines are written by the generated map code itself
(`codegen.StoreLine` as the pipeline's tail): each field converted inline, a field written
as raw bytes (an untyped column) sending its row to the closure tail. The lines must be
PigStorage's. Expected lines come from plain Python and a formatter written here (null
empty; these doubles print as Python's repr, as Java's do)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import explain_text, run_script

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["", "a", "b c", "é"]),
        st.sampled_from(["", "0", "17", "-4", "x"]),
        st.sampled_from(["", "0.5", "2.25", "100.0", "-3.75", "y"]),
    ),
    min_size=1,
    max_size=20,
)


def as_int(text: str) -> str:
    try:
        return str(int(text))
    except ValueError:
        return ""


def as_double(text: str) -> str:
    try:
        return repr(float(text))
    except ValueError:
        return ""


def stored(tmp: Path, rows: list, script: str) -> list[str]:
    (tmp / "in.txt").write_text("".join("\t".join(r) + "\n" for r in rows))
    assert run_script(script, exec_type="local", cwd=tmp, filename="t.pig", out=io.StringIO()) == 0
    out: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        out += part.read_text().splitlines()
    return sorted(out)


TYPED = """A = LOAD 'in.txt' AS (s:chararray, n:int, x:double);
    B = FOREACH A GENERATE x, s, n;
    STORE B INTO 'out';"""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_typed_fields_are_written_as_pig_writes_them(rows) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        got = stored(Path(tmp), rows, TYPED)
    assert got == sorted(f"{as_double(x)}\t{s}\t{as_int(n)}" for s, n, x in rows)


def test_the_generated_map_code_writes_the_line_itself(tmp_path: Path) -> None:
    code = explain_text(TYPED, cwd=str(tmp_path))
    body = code[code.index("def map0_batch") :]
    assert "_out.append((None, " in body and "except _NotText:" in body


def test_an_untyped_field_is_written_by_the_closure(tmp_path: Path) -> None:
    rows = [("a", "1", "2.5"), ("", "", ""), ("b", "x", "0.5")]
    script = """A = LOAD 'in.txt' AS (s:chararray, n, x:double);
        B = FOREACH A GENERATE s, n, x;
        STORE B INTO 'out';"""
    want = sorted(f"{s}\t{n}\t{as_double(x)}" for s, n, x in rows)
    assert stored(tmp_path, rows, script) == want
