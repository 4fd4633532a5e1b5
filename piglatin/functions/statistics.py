"""COR and COV (org.apache.pig.builtin.COR / COV in Pig 0.17): correlation and covariance
between every pair of single-column bags.

Owns: their semantics as Pig's exec computes them: for arguments b0..bn-1 a bag of one
tuple (name_i, name_j, value) per pair i < j, the names `var<i>` or the DEFINE's constructor
arguments; x and y are the first fields of the two bags' tuples, taken in step (the first bag's
size is n; a second bag shorter than the first, or a null value, makes the result null, as
Pig's exec catches the exception and returns null). COR is
(n·Σxy − Σx·Σy) / √((n·Σx² − (Σx)²)(n·Σy² − (Σy)²)), COV (n·Σxy − Σx·Σy) / n², in Java
double arithmetic (0/0 is NaN, x/0 infinite). Only doubles are read: COR and COV declare no
argument types (no getArgToFuncMapping, so Pig inserts no cast) and their exec casts each value
with `(Double)`, so an int, long, chararray or bytearray value (an untyped LOAD's field) fails
that cast and the result is null, as in Pig. (A float column's values are Python floats here,
as doubles' are, so they are read: Pig would give null for them too.)
Must not touch: schemas or plans.

>>> COR([(1.0,), (2.0,), (3.0,)], [(2.0,), (4.0,), (7.0,)])
[('var0', 'var1', 0.9933992677987828)]
>>> COV([(1.0,), (2.0,), (3.0,)], [(2.0,), (4.0,), (6.0,)])
[('var0', 'var1', 1.3333333333333333)]
>>> COV([(1,), (2,), (3,)], [(2,), (4,), (6,)]) is None  # ints: Pig's cast to Double fails
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from piglatin.model import data

__all__ = ["COR", "COV", "named"]


def _java_div(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _java_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else math.nan


def _number(t: Any) -> float:
    v = t[0] if t else None
    if type(v) is not float:  # Pig's `(Double)t.get(0)`: null, or a ClassCastException
        raise ValueError(f"{data.type_of(v) if v is not None else 'null'} is not a double")
    return v


def _sums(first: Sequence, second: Sequence) -> tuple[float, float, float, float, float]:
    sxy = sx = sy = sxx = syy = 0.0
    ys = iter(second)
    for t in first:
        x = _number(t)
        y = _number(next(ys))  # StopIteration: the second bag is shorter
        sxy += x * y
        sx += x
        sy += y
        sxx += x * x
        syy += y * y
    return sxy, sx, sy, sxx, syy


def _correlation(n: float, s: tuple[float, ...]) -> float:
    sxy, sx, sy, sxx, syy = s
    return _java_div(n * sxy - sx * sy, _java_sqrt((n * sxx - sx * sx) * (n * syy - sy * sy)))


def _covariance(n: float, s: tuple[float, ...]) -> float:
    sxy, sx, sy, _sxx, _syy = s
    return _java_div(n * sxy - sx * sy, n * n)


def _pairs(stat: Callable[[float, tuple], float], names: Sequence[str]) -> Callable[..., Any]:
    def call(*bags: Any) -> list | None:
        if not bags:
            return None
        out = []
        try:
            for i in range(len(bags)):
                for j in range(i + 1, len(bags)):
                    a, b = bags[i], bags[j]
                    first, second = list(a), list(b)  # None: TypeError, as Pig's cast fails
                    value = stat(float(len(first)), _sums(first, second))
                    ni, nj = (names[i], names[j]) if names else (f"var{i}", f"var{j}")
                    out.append((ni, nj, value))
        except (ValueError, TypeError, StopIteration, IndexError):
            return None  # Pig prints "Failed to process input record" and returns null
        return out

    return call


COR = _pairs(_correlation, ())
COV = _pairs(_covariance, ())


def named(which: str) -> Callable[..., Callable[..., Any]]:
    """The factory of `DEFINE c COR('a', 'b', ...)`: the pairs named by the arguments."""
    stat = _correlation if which == "COR" else _covariance
    return lambda *names: _pairs(stat, tuple(names))
