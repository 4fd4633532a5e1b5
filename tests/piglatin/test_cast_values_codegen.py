"""(chararray), (int) and (long) casts of values whose type is known only when they come
(a map's values, an untyped column read back after a JOIN) as the generated code spells them
inline (a str or bytes of plain ASCII digits: ``int``; a str: itself; bytes: decoded; any
other value: the caster, which warns a failure), against plain Python's model of Pig's rules:
digits with leading zeros, a sign, non-ASCII text, a bad number (null, warned), an int past
32 bits (null as an int, a long as a long); code generation on and off, local and mapreduce."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import run_script

CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}
AGES = ["31", "x", "007", "-5", "99999999999", "é"]
ROWS = [(i, f"[plan#p{i % 3},age#{a}]", a) for i, a in enumerate(AGES)] + [(9, "", "")]

MAP_SCRIPT = """A = LOAD 'm.txt' AS (id:int, m:map[], u);
B = FOREACH A GENERATE id, (chararray)m#'plan', (int)m#'age', (long)m#'age', (chararray)m#'age';
"""
JOIN_SCRIPT = """A = LOAD 'm.txt' AS (id:int, m:map[], u);
K = LOAD 'm.txt' AS (id:int, m:map[], u);
J = JOIN A BY id, K BY id;
B = FOREACH J GENERATE A::id, (chararray)A::u, (int)A::u, (long)K::u, (int)A::m#'age';
"""


def _int(text: str | None, bits: int) -> int | None:
    if text is None:
        return None
    try:
        v = int(text)
    except ValueError:
        return None
    return v if -(1 << (bits - 1)) <= v < 1 << (bits - 1) else None


def _t(v) -> str:
    return "" if v is None else str(v)


def model(join: bool) -> list[str]:
    out = []
    for i, m, u in ROWS:
        age = None if not m else m[1:-1].split(",")[1].split("#")[1]
        plan = None if not m else f"p{i % 3}"
        u = u or None
        if join:
            cells = [i, u, _int(u, 32), _int(u, 64), _int(age, 32)]
        else:
            cells = [i, plan, _int(age, 32), _int(age, 64), age]
        out.append("\t".join(map(_t, cells)))
    return sorted(out)


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("join", [False, True])
def test_casts_of_values_match_python(tmp_path: Path, config: str, join: bool) -> None:
    mode, sets = CONFIGS[config]
    (tmp_path / "m.txt").write_text(
        "".join(f"{i}\t{m}\t{u}\n" for i, m, u in ROWS), encoding="utf-8"
    )
    out = tmp_path / "out"
    script = sets + (JOIN_SCRIPT if join else MAP_SCRIPT) + f"STORE B INTO '{out.as_uri()}';\n"
    log = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines: list[str] = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    assert sorted(lines) == model(join)
