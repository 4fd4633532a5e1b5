"""A DISTINCT with nothing after it is written by its map side (`reducers.written_by_map`):
each row's stored line (or, for a later job, its packed row) is the shuffled value and the
reduce side writes each key's first value as it is. The lines must be what formatting the
distinct rows gives: ints written several ways ('7', '07') one row, a bad int null, -0.0 and
0.0 two rows (Double.compare), doubles as Java writes them, raw bytearray fields as their
bytes, rows with a map (the closures' path). Expected lines come from plain Python; code
generation on and off, local and mapreduce mode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import explain_text, run_script

CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}
LINES = [
    ("ann", "7", "2.50"),
    ("ann", "07", "2.5"),
    ("ann", "7", "-0.0"),
    ("ann", "7", "0.0"),
    ("é日", "x", "1e3"),
    ("é日", "", "1000"),
    ("", "3", ""),
    ("", "3", ""),
    ("bob", "-2", "0.1"),
    ("bob", "-2", "0.10"),
]
MAPS = [("ann", "[k#1]"), ("ann", "[k#1]"), ("ann", "[k#2]"), ("", ""), ("", "")]

SCRIPTS = {
    "typed": "A = LOAD 'a.txt' AS (u:chararray, n:int, d:double);\nB = DISTINCT A;\n",
    "bytes": "A = LOAD 'a.txt' AS (u, n);\nB = DISTINCT A;\n",
    "later_job": "A = LOAD 'a.txt' AS (u:chararray, n:int, d:double);\nC = DISTINCT A;\n"
    "B = ORDER C BY u, n, d;\n",
    "map": "A = LOAD 'm.txt' AS (u:chararray, m:map[]);\nB = DISTINCT A;\n",
}


def _int(t: str) -> int | None:
    try:
        return int(t)
    except ValueError:
        return None


def _double_text(t: str) -> str:
    if t == "":
        return ""
    x = float(t)
    return repr(x)  # Java's Double.toString for these values: 2.5, -0.0, 1000.0, 0.1


def model(name: str) -> list[str]:
    if name == "bytes":  # compared and written as their bytes
        return sorted({f"{u}\t{n}" for u, n, _ in LINES})
    if name == "map":
        return sorted({f"{u}\t{m}" for u, m in MAPS})
    rows = set()
    for u, n, d in LINES:
        i = _int(n)
        rows.add((u, "" if i is None else str(i), _double_text(d)))
    return sorted("\t".join(r) for r in rows)


def _run(tmp: Path, config: str, name: str) -> list[str]:
    mode, sets = CONFIGS[config]
    (tmp / "a.txt").write_text("".join("\t".join(r) + "\n" for r in LINES), encoding="utf-8")
    (tmp / "m.txt").write_text("".join("\t".join(r) + "\n" for r in MAPS), encoding="utf-8")
    out = tmp / "out"
    script = sets + SCRIPTS[name] + f"STORE B INTO '{out.as_uri()}';\n"
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines: list[str] = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return lines


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("name", list(SCRIPTS))
def test_distinct_lines_match_python(tmp_path: Path, config: str, name: str) -> None:
    lines = _run(tmp_path, config, name)
    assert sorted(lines) == model(name)
    if name == "later_job":  # ORDER BY u, n, d: nulls first, -0.0 before 0.0
        assert lines[:2] == ["\t3\t", "ann\t7\t-0.0"]


def test_map_side_writes_the_lines(tmp_path: Path) -> None:
    """EXPLAIN: the DISTINCT's map code appends each new row's line as its value."""
    script = SCRIPTS["typed"] + "STORE B INTO 'out';\n"
    text = explain_text(script, cwd=str(tmp_path))
    code = text.split("def map0_batch(")[1].split("\n# ")[0]
    assert "except _NotText:" in code
    assert '\\t{(' in code  # the line's f-string, its fields joined by tabs
