"""Pig's float is java.lang.Float (issue 14): single precision, written by Float.toString.

The expected answers here are computed independently of piglatin: single precision by
``struct.pack('f')`` (IEEE round half even, as Java's ``(float)``), Float.toString by the
rules its javadoc states, written out below (`java_float`), and a table of Float.toString
outputs Java documents or prints (Float.MIN_VALUE is 1.4E-45, Float.MAX_VALUE 3.4028235E38).
Pig's typing (Pig 0.17's TypeCheckingExpVisitor and builtins): float op float (an int/long
operand or a float literal promoted to float) is a float; a double operand makes a double;
SUM and AVG of floats are doubles (FloatSum/FloatAvg sum in double); MAX/MIN stay floats;
``(double) f`` is the widened value, printed by Double.toString (`pigtext.java_double`).
"""

from __future__ import annotations

import io
import math
import struct
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.embedded import shutdown_clusters
from piglatin import launcher
from piglatin.model import data
from tests.piglatin.pigtext import java_double


def f32(x: float) -> float:
    """Java's (float) x."""
    return struct.unpack("f", struct.pack("f", x))[0]


def java_float(f: float) -> str:
    """Float.toString, from its javadoc: NaN, Infinity, -0.0/0.0; otherwise as many digits
    as needed to tell f apart from the adjacent floats (the fewest such, the nearest of
    those to f, of two as near the even one: JDK 19's statement of it; one digit is never
    alone: the nearest of one or two digits), laid out positionally with at least one
    digit after the point when 10^-3 <= |f| < 10^7, else as d.ddd...E<n> with at least one
    digit after the point."""
    if f != f:
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "-0.0" if math.copysign(1, f) < 0 else "0.0"
    a = abs(f)
    exact = Decimal(a)

    def rounding_to_f(n: int) -> list[Decimal]:  # the n-digit decimals either side of f
        unit = Decimal(1).scaleb(exact.adjusted() - n + 1)
        low = (exact / unit).to_integral_value(rounding=ROUND_FLOOR)
        return [c for c in (low * unit, (low + 1) * unit) if c > 0 and f32(float(c)) == a]

    n = next(n for n in range(1, 10) if rounding_to_f(n))
    found = rounding_to_f(n) + (rounding_to_f(2) if n == 1 else [])
    # the nearest; of two as near, the one whose last digit is even
    best = min(found, key=lambda c: (abs(c - exact), int(c.scaleb(-c.as_tuple().exponent)) % 2))
    best = best.normalize()
    _, digit_tuple, exponent = best.as_tuple()
    digits = "".join(map(str, digit_tuple))
    exp = len(digits) - 1 + exponent  # the first digit's power of ten
    sign = "-" if f < 0 else ""
    if 1e-3 <= a < 1e7:
        if exp >= 0:
            whole = digits[: exp + 1].ljust(exp + 1, "0")
            return f"{sign}{whole}.{digits[exp + 1 :] or '0'}"
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exp}"


JAVA_PRINTS = [  # Float.toString of these floats, as Java prints them
    (0.1, "0.1"),
    (1 / 3, "0.33333334"),
    (2 / 3, "0.6666667"),
    (100.0, "100.0"),
    (208.07, "208.07"),
    (1.0e7, "1.0E7"),
    (9999999.0, "9999999.0"),
    (16777217.0, "1.6777216E7"),
    (0.001, "0.001"),
    (1.0e-4, "1.0E-4"),
    (1.4e-45, "1.4E-45"),  # Float.MIN_VALUE
    (3.4028234663852886e38, "3.4028235E38"),  # Float.MAX_VALUE
    (-2.5, "-2.5"),
    (1.0e10, "1.0E10"),
    (0.330078125, "0.33007812"),  # a tie at 8 digits: the even digit (JDK, ulfjack/ryu#41)
    (0.0063476562, "0.0063476562"),
    (math.nan, "NaN"),
    (math.inf, "Infinity"),
    (-0.0, "-0.0"),
]


@pytest.mark.parametrize("x, text", JAVA_PRINTS)
def test_float_tostring_as_java_prints(x, text):
    assert data.format_float(f32(x)) == text
    assert java_float(f32(x)) == text  # the independent writer agrees with Java too


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_float_tostring_of_any_float(bits):
    f = struct.unpack("<f", struct.pack("<I", bits))[0]
    text = data.format_float(f)
    assert text == java_float(f)
    if math.isfinite(f):
        assert f32(float(text)) == f or (f == 0 and float(text) == 0)


def test_text_to_float_rounds_once_as_float_valueof():
    # 1 + 2**-24 is halfway between the floats 1.0 and 1.0000001: a decimal a hair above
    # it rounds up (Float.valueOf rounds the decimal once); its double is the midpoint
    above = "1.00000005960464477539062500001"
    assert float(above) == 1 + 2**-24
    assert data.to_float(above) == f32(1 + 2**-23)
    assert data.to_float("1.000000059604644775390625") == 1.0  # the tie: to even
    assert data.to_float(b"208.07f") == f32(208.07)


def _q(x: float) -> float:
    return f32(x)


def _rows_expected(q: int, f: float) -> list[list[str]]:
    ff = _q(f)
    return [
        [
            java_float(_q(ff + 1)),  # f + 1: int promoted, float result
            java_float(_q(ff * _q(3.0))),  # f * 3.0f
            java_float(_q(_q(q) * ff)),  # q * f
            java_double(ff),  # (double) f: the widened value
            java_double(ff * 1.0),  # f * 1.0: a double
            java_float(_q(ff / _q(3))),  # f / 3: float division
            java_float(_q(ff + _q(0.1))),  # f + 0.1f
            java_float(ff),  # (chararray) f
            java_double(ff + 0.1),  # f + 0.1: a double
        ]
    ]


SCRIPT = """
{setup}
A = LOAD '$dir/in' AS (k:chararray, q:int, f:float);
B = FOREACH A GENERATE f + 1, f * 3.0f, q * f, (double)f, f * 1.0, f / 3, f + 0.1f,
    (chararray)f, f + 0.1;
STORE B INTO '$dir/rows';
G = GROUP A BY k;
C = FOREACH G GENERATE group, SUM(A.f), AVG(A.f), MAX(A.f), MIN(A.f), MAX(A.q);
STORE C INTO '$dir/aggs';
K = GROUP A BY f;
D = FOREACH K GENERATE group, COUNT(A);
STORE D INTO '$dir/keys';
J = FOREACH A GENERATE k, f;
STORE J INTO '$dir/json' USING JsonStorage();
S = FOREACH (GROUP A BY k) GENERATE group, A.f;
STORE S INTO '$dir/nested' USING BinStorage();
T = LOAD '$dir/nested' USING BinStorage() AS (k:chararray, fs:bag{(f:float)});
U = FOREACH T GENERATE k, MAX(fs.f);
STORE U INTO '$dir/binmax';
N = FOREACH A GENERATE k, TOTUPLE(f, q), TOBAG(f);
STORE N INTO '$dir/nested_text';
"""

VALUES = [("a", 4, "208.07"), ("a", 7, "0.1"), ("b", 3, "1e-5"), ("b", 2, "123456.789"),
          ("c", 5, "-2.5"), ("c", 1, "0.1")]  # fmt: skip


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
@pytest.mark.parametrize(
    "setup", ["", "SET pig.codegen 'false';", "SET pig.exec.nocombiner 'true';"]
)
def test_float_script_against_plain_python(tmp_path, mode, setup):
    (tmp_path / "in").write_text("".join(f"{k}\t{q}\t{f}\n" for k, q, f in VALUES))
    try:
        launcher.run_script(
            SCRIPT.replace("{setup}", setup),
            exec_type=mode,
            params={"dir": f"file://{tmp_path}"},
            cwd=str(tmp_path),
        )
    finally:
        shutdown_clusters()

    def lines(name):
        return sorted(
            line for p in (tmp_path / name).glob("part-*") for line in p.read_text().splitlines()
        )

    want_rows = sorted("\t".join(_rows_expected(q, float(f))[0]) for _, q, f in VALUES)
    assert lines("rows") == want_rows
    groups: dict[str, list[tuple[int, float]]] = {}
    for k, q, f in VALUES:
        groups.setdefault(k, []).append((q, _q(float(f))))
    want_aggs = []
    for k, vs in groups.items():
        fs = [f for _, f in vs]
        total = math.fsum(fs)  # SUM of floats: the widened values summed, a double
        want_aggs.append(
            (
                k,
                total,
                total / len(fs),
                java_float(max(fs)),
                java_float(min(fs)),
                max(q for q, _ in vs),
            )
        )
    got = [line.split("\t") for line in lines("aggs")]
    assert [r[0] for r in got] == sorted(groups)
    for r, w in zip(got, sorted(want_aggs)):
        assert float(r[1]) == pytest.approx(w[1], rel=1e-12)  # summation order may differ
        assert float(r[2]) == pytest.approx(w[2], rel=1e-12)
        assert r[3:] == [w[3], w[4], str(w[5])]
    keys: dict[float, int] = {}
    for _, _, f in VALUES:
        keys[_q(float(f))] = keys.get(_q(float(f)), 0) + 1
    assert lines("keys") == sorted(f"{java_float(k)}\t{n}" for k, n in keys.items())
    assert lines("json") == sorted(
        f'{{"k":"{k}","f":{java_float(_q(float(f)))}}}' for k, _, f in VALUES
    )
    assert lines("nested_text") == sorted(
        f"{k}\t({java_float(_q(float(f)))},{q})\t{{({java_float(_q(float(f)))})}}"
        for k, q, f in VALUES
    )
    assert lines("binmax") == sorted(
        f"{k}\t{java_float(max(f for _, f in vs))}" for k, vs in groups.items()
    )


def test_dump_writes_floats_as_float_tostring(tmp_path):
    (tmp_path / "in").write_text("x\t4\t208.07\n")
    out = io.StringIO()
    launcher.run_script(
        "A = LOAD 'in' AS (k:chararray, q:int, f:float);\n"
        "B = FOREACH A GENERATE f, (double)f, 0.1f + 1, TOTUPLE(f, q), f / 3,\n"
        "    SPRINTF('%s|%.3f|%s', f, f, (double)f);\nDUMP B;\n",
        cwd=str(tmp_path),
        out=out,
    )
    f = _q(208.07)
    want = (
        f"({java_float(f)},{java_double(f)},{java_float(_q(_q(0.1) + 1))},({java_float(f)},4),"
        f"{java_float(_q(f / 3))},{java_float(f)}|{f:.3f}|{java_double(f)})"
    )  # SPRINTF: %s of a java.lang.Float is Float.toString; %f formats the widened double
    assert out.getvalue().splitlines() == [want]


def test_a_float_in_an_untyped_map_prints_as_float_tostring(tmp_path):
    """Pig's TOMAP gives map[] (no value type); its value is the java.lang.Float itself,
    which PigStorage writes by Float.toString. Here a value's type is the schema's word."""
    (tmp_path / "in").write_text("0.1\n")
    launcher.run_script(
        "A = LOAD 'in' AS (f:float);\nB = FOREACH A GENERATE TOMAP('k', f);\nSTORE B INTO 'out';\n",
        cwd=str(tmp_path),
    )
    text = "".join(p.read_text() for p in (tmp_path / "out").glob("part-*"))
    assert text == f"[k#{java_float(f32(0.1))}]\n"


def test_round_to_of_a_float_is_float_round_to(tmp_path):
    """ROUND_TO of a float is Pig's FloatRoundTo: BigDecimal.valueOf of the widened value,
    HALF_UP whatever mode is given, floatValue(): a float (ROUND_TO of a double stays a
    double)."""
    (tmp_path / "in").write_text("0.125\t0.125\n2.675\t2.675\n")
    out = io.StringIO()
    launcher.run_script(
        "A = LOAD 'in' AS (f:float, d:double);\n"
        "B = FOREACH A GENERATE ROUND_TO(f, 2), ROUND_TO(f, 2, 6), ROUND_TO(f, 1) * 3,"
        " ROUND_TO(d, 2, 6);\nDESCRIBE B;\nDUMP B;\n",
        cwd=str(tmp_path),
        out=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].replace(" ", "") == "B:{float,float,float,double}"
    # 0.125f widens to 0.125 exactly: HALF_UP gives 0.13 (HALF_EVEN, mode 6, would give 0.12);
    # 2.675f widens to 2.674999952316284: 2.67
    want = []
    for f, d in ((0.125, 0.125), (2.675, 2.675)):
        widened = Decimal(repr(f32(f)))
        r2 = f32(float(widened.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")))
        r1 = f32(float(widened.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")))
        even = float(Decimal(repr(d)).quantize(Decimal("0.01"), rounding="ROUND_HALF_EVEN"))
        want.append(
            f"({java_float(r2)},{java_float(r2)},{java_float(f32(r1 * f32(3)))},"
            f"{java_double(even)})"
        )
    assert lines[1:] == want
