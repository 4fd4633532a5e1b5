"""An independent writer of Pig's DUMP text forms, for expected rows in tests (it must not
use the project's own ``piglatin.model.data.format_value``): tuples ``(a,b)``, bags ``{(a),(b)}``,
maps ``[k#v]``, null as nothing, booleans ``true``/``false``, and doubles as Java's
``Double.toString`` prints them (``2.5``, ``4.0``, ``1.0E7``, ``1.0E-4``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def pig_text(v: Any) -> str:
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "(" + ",".join(pig_text(x) for x in v) + ")"
    if isinstance(v, list):
        return "{" + ",".join(pig_text(x if isinstance(x, tuple) else (x,)) for x in v) + "}"
    if isinstance(v, dict):
        return "[" + ",".join(f"{k}#{pig_text(x)}" for k, x in v.items()) + "]"
    if isinstance(v, float):
        return java_double(v)
    return str(v)


def java_double(x: float) -> str:
    """Java's Double.toString: the shortest digits that round-trip (as Python's repr), written
    positionally for 1e-3 <= |x| < 1e7 (at least one digit after the point), else as
    ``d.dddE<exponent>``."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        text = repr(x)
        return text if "." in text else text + ".0"
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    head, tail = str(digits[0]), "".join(map(str, digits[1:])).rstrip("0") or "0"
    return f"{'-' if sign else ''}{head}.{tail}E{exp + len(digits) - 1}"
