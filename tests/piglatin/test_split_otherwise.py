"""SPLIT ... OTHERWISE is Pig's NOT (c1 OR c2 ...) of the other branches' conditions, in Pig's
three-valued logic (LogicalPlanBuilder.buildSplitOtherwiseOp): a row goes to OTHERWISE only
when every condition is false; a row with a null condition and no true one goes nowhere.
Checked against plain Python over generated rows with nulls, through the generated map code
and the composed closures (``pig.codegen false``), and with a FOREACH after each branch (the
SPLIT tree shares the conditions)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

cell = st.none() | st.integers(-20, 20)
rows = st.lists(st.tuples(cell, cell), max_size=30)


def _and(a, b):  # Pig's three-valued AND
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _gt(x, n):
    return None if x is None else x > n


def python_split(data):
    big, small, rest = [], [], []
    for x, y in data:
        c1 = _gt(x, 5)
        c2 = _and(_gt(y, 0), None if x is None else x < 0)
        if c1 is True:
            big.append((x, y))
        if c2 is True:
            small.append((x, y))
        if c1 is False and c2 is False:
            rest.append((x, y))
    return big, small, rest


def _text(v):
    return "" if v is None else str(v)


def _read(tmp: Path, name: str) -> list[str]:
    lines: list[str] = []
    for part in sorted((tmp / name).glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


@pytest.mark.parametrize("codegen", ["true", "false"])
@pytest.mark.parametrize("after", ["", "FOREACH"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=rows)
def test_otherwise_is_not_of_the_or(tmp_path_factory, codegen, after, data):
    tmp = tmp_path_factory.mktemp("split")
    (tmp / "in").write_text("".join(f"{_text(x)},{_text(y)}\n" for x, y in data))
    script = f"""
    SET pig.codegen {codegen};
    A = LOAD 'in' USING PigStorage(',') AS (x:int, y:int);
    SPLIT A INTO big IF x > 5, small IF (y > 0 AND x < 0), rest OTHERWISE;
    """
    for name in ("big", "small", "rest"):
        source = name
        if after:
            source = f"{name}_f"
            script += f"{source} = FOREACH {name} GENERATE x, y;\n"
        script += f"STORE {source} INTO '{name}' USING PigStorage(',');\n"
    with PigServer("local", cwd=tmp, out=io.StringIO()) as pig:
        pig.register_script(script)
    for name, want in zip(("big", "small", "rest"), python_split(data)):
        assert _read(tmp, name) == sorted(f"{_text(x)},{_text(y)}" for x, y in want), name
