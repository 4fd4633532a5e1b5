"""Pig's dynamic invokers (func.xml "Dynamic Invokers"): ``DEFINE f InvokeForString(
'java.net.URLDecoder.decode', 'String String')`` calls a static Java method on each row.

Owns: the Java static methods a script may name, each as the Python that computes what the
Java method returns (there is no JVM here), the five invokers' result types (InvokeForString
chararray, InvokeForInt int, InvokeForLong long, InvokeForDouble double, InvokeForFloat float),
and the argument list (`'String String'`: string, int, long, float, double, any of them with
`[]` for an array, which Pig takes as a bag of one-field tuples). A method not in the table is
refused when the script is built, naming the ones there are.
Must not touch: schemas or plans.

>>> f = invoker_factory("InvokeForString")("java.net.URLDecoder.decode", "String String")
>>> f("a%20b%2Bc", "UTF-8")
'a b+c'
>>> invoker_factory("InvokeForDouble")("org.apache.commons.math.stat.StatUtils.mean",
...                                     "double[]")([(1.0,), (2.0,), (6.0,)])
3.0
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable
from typing import Any

__all__ = ["INVOKERS", "METHODS", "invoker_factory", "check_invoker"]

#: invoker name -> the Pig type of its result
INVOKERS = {
    "InvokeForString": "chararray",
    "InvokeForInt": "int",
    "InvokeForLong": "long",
    "InvokeForDouble": "double",
    "InvokeForFloat": "float",
}
_TYPES = ("string", "int", "long", "float", "double")


def _java_int(text: str, bits: int, radix: int = 10) -> int:
    """Integer.parseInt / Long.parseLong: an optional sign and digits only, in range."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not all(c.isascii() and c.isalnum() for c in body):
        raise ValueError(f'For input string: "{text}"')
    v = int(text, radix)
    if not -(1 << (bits - 1)) <= v < 1 << (bits - 1):
        raise ValueError(f'For input string: "{text}"')
    return v


def _hex(v: int, bits: int) -> str:
    return format(v & ((1 << bits) - 1), "x")


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _decode(s: str, enc: str = "UTF-8") -> str:
    return urllib.parse.unquote_plus(s, encoding=enc)


def _encode(s: str, enc: str = "UTF-8") -> str:
    return urllib.parse.quote_plus(s, safe="*-._", encoding=enc)


def _values(bag: Any) -> list[float]:
    return [float(t[0]) for t in bag]


def _variance(bag: Any) -> float:
    xs = _values(bag)
    if not xs:
        return math.nan
    import statistics  # with statistics' fractions: 6M instructions a script rarely needs

    return statistics.variance(xs) if len(xs) > 1 else 0.0


def _mean(bag: Any) -> float:
    xs = _values(bag)
    return sum(xs) / len(xs) if xs else math.nan


def _geometric_mean(bag: Any) -> float:
    xs = _values(bag)
    if not xs:
        return math.nan
    return math.exp(sum(math.log(x) if x > 0 else -math.inf for x in xs) / len(xs))


#: Java static method -> Python doing what it returns
METHODS: dict[str, Callable[..., Any]] = {
    "java.net.URLDecoder.decode": _decode,
    "java.net.URLEncoder.encode": _encode,
    "java.lang.Integer.parseInt": lambda s, radix=10: _java_int(s, 32, radix),
    "java.lang.Integer.valueOf": lambda s: _java_int(s, 32),
    "java.lang.Long.parseLong": lambda s, radix=10: _java_int(s, 64, radix),
    "java.lang.Double.parseDouble": lambda s: float(s),
    "java.lang.Float.parseFloat": lambda s: float(s),
    "java.lang.Integer.toHexString": lambda v: _hex(v, 32),
    "java.lang.Long.toHexString": lambda v: _hex(v, 64),
    "java.lang.Integer.toBinaryString": lambda v: format(v & 0xFFFFFFFF, "b"),
    "java.lang.Integer.toOctalString": lambda v: format(v & 0xFFFFFFFF, "o"),
    "java.lang.String.valueOf": lambda v: str(v),
    "java.lang.Math.abs": abs,
    "java.lang.Math.max": max,
    "java.lang.Math.min": min,
    "java.lang.Math.pow": lambda a, b: math.pow(a, b),
    "java.lang.Math.sqrt": lambda x: math.sqrt(x) if x >= 0 else math.nan,
    "java.lang.Math.cbrt": math.cbrt,
    "java.lang.Math.floor": math.floor,
    "java.lang.Math.ceil": math.ceil,
    "java.lang.Math.round": _round_half_up,
    "java.lang.Math.exp": math.exp,
    "java.lang.Math.log": lambda x: math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan),
    "java.lang.Math.log10": (
        lambda x: math.log10(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    ),
    "java.lang.Math.sin": math.sin,
    "java.lang.Math.cos": math.cos,
    "java.lang.Math.tan": math.tan,
    "java.lang.Math.atan2": math.atan2,
    "java.lang.Math.hypot": math.hypot,
    "java.lang.Math.signum": lambda x: math.copysign(1.0, x) if x else x,
    "java.lang.Math.toDegrees": math.degrees,
    "java.lang.Math.toRadians": math.radians,
    "org.apache.commons.math.stat.StatUtils.sum": lambda bag: float(sum(_values(bag))),
    "org.apache.commons.math.stat.StatUtils.sumSq": lambda bag: sum(x * x for x in _values(bag)),
    "org.apache.commons.math.stat.StatUtils.product": lambda bag: math.prod(_values(bag)),
    "org.apache.commons.math.stat.StatUtils.mean": _mean,
    "org.apache.commons.math.stat.StatUtils.variance": _variance,
    "org.apache.commons.math.stat.StatUtils.max": lambda bag: max(_values(bag), default=math.nan),
    "org.apache.commons.math.stat.StatUtils.min": lambda bag: min(_values(bag), default=math.nan),
    "org.apache.commons.math.stat.StatUtils.geometricMean": _geometric_mean,
}

_CASTS: dict[str, Callable[[Any], Any]] = {
    "chararray": lambda v: None if v is None else str(v),
    "int": lambda v: None if v is None else _wrap(int(v), 32),
    "long": lambda v: None if v is None else _wrap(int(v), 64),
    "double": lambda v: None if v is None else float(v),
    "float": lambda v: None if v is None else float(v),
}


def _wrap(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def _arg(kind: str) -> Callable[[Any], Any]:
    base = kind.removesuffix("[]")
    if kind.endswith("[]"):
        return lambda bag: bag
    if base == "string":
        return lambda v: v.decode("utf-8") if isinstance(v, bytes) else str(v)
    if base in ("int", "long"):
        return lambda v: int(v.decode() if isinstance(v, bytes) else v)
    return lambda v: float(v.decode() if isinstance(v, bytes) else v)


def check_invoker(method: str, arg_types: str = "") -> list[str]:
    """The argument kinds of `method`, or ValueError naming what is wrong."""
    if method not in METHODS:
        known = ", ".join(sorted(METHODS))
        raise ValueError(
            f"the dynamic invoker has no Java method {method} here (there is no JVM); "
            f"the methods there are: {known}"
        )
    kinds = [k.lower() for k in arg_types.split()]
    for k in kinds:
        if k.removesuffix("[]") not in _TYPES:
            raise ValueError(
                f"'{k}' is not an invoker argument class; use string, int, long, float, double "
                "or one of them with []"
            )
    return kinds


def invoker_factory(invoker: str) -> Callable[..., Callable[..., Any]]:
    """The factory of `DEFINE f <invoker>('pkg.Class.method', 'arg classes')`."""
    cast = _CASTS[INVOKERS[invoker]]

    def make(method: str, arg_types: str = "") -> Callable[..., Any]:
        kinds = check_invoker(method, arg_types)
        fn = METHODS[method]
        convert = [_arg(k) for k in kinds]

        def call(*args: Any) -> Any:
            if any(a is None for a in args):
                return None
            if len(args) != len(convert):
                raise ValueError(
                    f"{method} takes {len(convert)} argument(s) ({arg_types!r}), got {len(args)}"
                )
            return cast(fn(*[c(a) for c, a in zip(convert, args, strict=True)]))

        return call

    return make


def unconfigured(invoker: str) -> Callable[..., Any]:
    def call(*_: Any) -> Any:
        raise ValueError(
            f"{invoker} needs the method: DEFINE f {invoker}('java.lang.Math.abs', 'double');"
        )

    return call
