"""EXPLAIN prints the map code an ORDER BY job runs: with ``pig.exec.textPassThrough`` on
(the default) that is the pass-through, which writes a line matching its whole-line pattern
as it was read; with it off, the generic pipeline."""

from __future__ import annotations

from pathlib import Path

from piglatin.launcher import explain_text

SCRIPT = """{setting}A = LOAD 'in.txt' AS (s:chararray, n:int, m:map[]);
B = ORDER A BY n DESC;
STORE B INTO 'out';"""


def map_code(tmp_path: Path, setting: str = "") -> str:
    text = explain_text(SCRIPT.format(setting=setting), cwd=str(tmp_path))
    return text[text.index("Generated code") :]


def test_explain_shows_the_pass_through_the_order_job_runs(tmp_path: Path) -> None:
    code = map_code(tmp_path)
    assert "_v))" in code  # the record's value is the input line itself
    body = code.split("def map0_batch")[1].splitlines()
    loop = body.index("    for _v in _values:")
    test = body[loop + 1]  # the loop's first statement: the whole line's proof
    assert test.lstrip().startswith("if (_m := _line") and test.endswith(":")


def test_explain_without_the_pass_through_shows_the_generic_pipeline(tmp_path: Path) -> None:
    code = map_code(tmp_path, "SET pig.exec.textPassThrough false;\n")
    assert "_v))" not in code
