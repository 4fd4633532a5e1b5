"""CEIL, FLOOR and CBRT as Pig computes them: Math.ceil / Math.floor (Javadoc: "If the argument
value is less than zero but greater than -1.0, then the result is negative zero"; a zero
argument is the result) and Math.cbrt, which Java 8 runs as StrictMath.cbrt, fdlibm's s_cbrt.c
("error less than 0.667 ulps": exact cubes give their exact roots)."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.functions.builtins import BUILTINS


def call(name: str, *args):
    return BUILTINS[name].fn(*args)


def _same(a: float, b: float) -> bool:
    return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)


def test_ceil_and_floor_keep_the_sign_of_zero() -> None:
    cases = [  # x, Math.ceil(x), Math.floor(x)
        (-0.5, -0.0, -1.0), (-0.0, -0.0, -0.0), (0.0, 0.0, 0.0), (0.5, 1.0, 0.0),
        (-1.0, -1.0, -1.0), (-1e-300, -0.0, -1.0), (2.5, 3.0, 2.0), (-2.5, -2.0, -3.0),
        (math.inf, math.inf, math.inf), (-math.inf, -math.inf, -math.inf), (1e300, 1e300, 1e300),
    ]  # fmt: skip
    for x, ceil, floor in cases:
        assert _same(call("CEIL", x), ceil), x
        assert _same(call("FLOOR", x), floor), x
    assert math.isnan(call("CEIL", math.nan)) and math.isnan(call("FLOOR", math.nan))


def test_cbrt_values_java_prints() -> None:
    assert call("CBRT", 27.0) == 3.0  # the C library's cbrt: 3.0000000000000004
    assert call("CBRT", -0.125) == -0.5
    assert call("CBRT", 2.0) == 1.2599210498948732
    assert call("CBRT", 3.0) == 1.4422495703074083
    assert _same(call("CBRT", -0.0), -0.0) and _same(call("CBRT", 0.0), 0.0)
    assert call("CBRT", math.inf) == math.inf and call("CBRT", -math.inf) == -math.inf
    assert math.isnan(call("CBRT", math.nan))
    assert all(call("CBRT", float(n**3)) == n for n in range(1, 20000))
    assert all(call("CBRT", -float(n**3)) == -n for n in range(1, 2000))


def _ulp_error(x: float, root: float) -> Fraction:
    """|root - cbrt(x)| in units of root's last place (exact arithmetic, bisection-free:
    compares cubes at the neighbouring representable values)."""
    exact = Fraction(x)
    r = Fraction(root)
    ulp = Fraction(math.ulp(root))
    # cube is monotone: the true root lies between root - k ulp and root + k ulp when the
    # cubes there bracket x
    for k in (Fraction(2, 3), Fraction(1)):
        lo, hi = r - k * ulp, r + k * ulp
        if lo**3 <= exact <= hi**3:
            return k
    return Fraction(10)


@settings(max_examples=300)
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).filter(
        lambda v: v != 0
    )
)
def test_cbrt_within_fdlibm_error(x: float) -> None:
    root = call("CBRT", x)
    assert math.copysign(1, root) == math.copysign(1, x)
    assert _ulp_error(abs(x), abs(root)) <= Fraction(2, 3)
