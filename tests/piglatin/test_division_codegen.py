"""Pig's / and % as the generated code spells them inline (`codegen.Generator.binary`; only
what it does not take calls `exprs.quotient` / `exprs.remainder`) against plain Python's
model of Java's rules: an integer quotient truncated toward zero, a remainder with the sign
of the dividend, int and long results wrapped (MIN_VALUE / -1), a zero divisor null with a
DIVIDE_BY_ZERO warning for / (none for %), a double divided by -0.0 or NaN as IEEE, nulls
null; code generation on and off."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
SCRIPT = """A = LOAD 'in' AS (x:int, y:int, l:long, d:double, s:int);
B = FOREACH A GENERATE x / 100, x % 7, x / y, x % y, l / y, l % 3, l / -1L, d / y, s / d,
    (s + 1) / (y - 1), -x % y;
STORE B INTO 'out';
"""

ints = st.none() | st.sampled_from([INT_MIN, INT_MAX, 0, 1, -1, 99, -99, 100, -101, 12345])
divisors = st.none() | st.integers(-5, 5)
longs = st.none() | st.sampled_from([LONG_MIN, LONG_MAX, 0, 7, -7, 10**12 + 1, -(10**12)])
doubles = st.none() | st.sampled_from(["0.0", "-0.0", "2.5", "-7.25", "10.5", "NaN"])
smalls = st.none() | st.integers(-9, 9)


def _wrap(v: int, bits: int) -> int:
    lo, mod = -(1 << (bits - 1)), 1 << bits
    return (v - lo) % mod + lo


def _idiv(x, y, bits: int):
    """(quotient, warnings)."""
    if x is None or y is None:
        return None, 0
    if y == 0:
        return None, 1
    q = abs(x) // abs(y)
    return _wrap(q if (x >= 0) == (y >= 0) else -q, bits), 0


def _imod(x, y, bits: int):
    if x is None or y is None or y == 0:
        return None
    r = abs(x) % abs(y)
    return _wrap(r if x >= 0 else -r, bits)


def _ddiv(x, y):
    if x is None or y is None:
        return None, 0
    if y == 0.0 and math.copysign(1.0, y) > 0:
        return None, 1
    if y == 0.0:  # -0.0: IEEE
        return (math.nan if x == 0 or x != x else -math.copysign(math.inf, x)), 0
    return x / y, 0


def _text(v) -> str:
    if v is None:
        return ""
    if type(v) is float:
        if v != v:
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    return str(v)


def model(rows: list[tuple]) -> tuple[list[str], int]:
    lines, warned = [], 0
    for x, y, lg, dt, s in rows:
        d = None if dt is None else float(dt)
        cells = []
        for value in (
            _idiv(x, 100, 32),
            (_imod(x, 7, 32), 0),
            _idiv(x, y, 32),
            (_imod(x, y, 32), 0),
            _idiv(lg, y, 64),
            (_imod(lg, 3, 64), 0),
            _idiv(lg, -1, 64),
            _ddiv(d, None if y is None else float(y)),
            _ddiv(None if s is None else float(s), d),
            _idiv(None if s is None else s + 1, None if y is None else y - 1, 32),
            (_imod(None if x is None else _wrap(-x, 32), y, 32), 0),
        ):
            v, w = value
            cells.append(_text(v))
            warned += w
        lines.append("\t".join(cells))
    return lines, warned


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(ints, divisors, longs, doubles, smalls), max_size=20))
def test_division_and_remainder(tmp_path_factory, codegen: str, rows: list[tuple]) -> None:
    tmp: Path = tmp_path_factory.mktemp("div")
    text = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
    (tmp / "in").write_text(text)
    with PigServer("local", cwd=tmp, out=io.StringIO(), properties={"pig.codegen": codegen}) as p:
        p.register_script(SCRIPT)
        stats = list(p.stats)
    warned = sum(
        s["counters"].to_dict().get("org.apache.pig.PigWarning", {}).get("DIVIDE_BY_ZERO", 0)
        for s in stats
    )
    lines: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        lines += part.read_text().split("\n")[:-1]
    want, zeros = model(rows)
    assert lines == want
    assert warned == zeros
