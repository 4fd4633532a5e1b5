"""Pig expression primitives: the closures compiled expressions are made of.

Owns: Pig's null semantics for arithmetic (Java int/long wrap-around, integer division toward
zero, division by zero is null), comparisons, three-valued AND/OR, `matches` (Java regex,
whole string), casts, projections and dereferences, and loading Python UDF files. Every
function here builds a closure once; the closures run per record. Must not touch: which
closures an operator needs (physical.py) or anything about jobs.
"""

from __future__ import annotations

import importlib.util
import math
import operator
import sys
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from piglatin.back.spillbag import DiskBag
from piglatin.functions.builtins import java_regex
from piglatin.model import data
from piglatin.plan import logical as L

Fn = Callable[[Any], Any]

__all__ = [
    "CMP",
    "and_",
    "arith",
    "caster",
    "compare",
    "compare_const",
    "const",
    "deref",
    "key_bytes",
    "load_udf_module",
    "matches",
    "or_",
    "project",
    "quotient",
    "remainder",
    "unary",
]


def const(v: Any) -> Fn:
    return lambda t: v


def project(col: int) -> Fn:
    def f(t: Any) -> Any:
        try:
            return t[col]
        except IndexError:
            return None

    return f


def arith(
    op: str,
    a: Fn,
    b: Fn,
    bits: int | None,
    warn: Callable[[str], None] | None = None,
    single: bool = False,
) -> Fn:
    """+ - * / % with nulls (and division by zero) giving null; integral results wrap to
    `bits` as Java's int/long arithmetic does; integer / truncates toward zero; `single`:
    a float's result is rounded to single precision (Java's float arithmetic: the exact
    result of two floats rounded once; a double holds it exactly for + - * /, so rounding
    the double is rounding the exact result). A division by zero warns DIVIDE_BY_ZERO
    through `warn` (Pig's Divide: "Divide by zero. Converting it to NULL.")."""
    f = _div(a, b, warn) if op == "/" else _ARITH[op](a, b)
    if single:
        to_float32 = data.to_float32
        return lambda t: None if (r := f(t)) is None else to_float32(r)
    if bits is None:
        return f
    lo, hi, mod = -(1 << (bits - 1)), (1 << (bits - 1)) - 1, 1 << bits

    def wrapped(t):
        r = f(t)
        if r is None or lo <= r <= hi:
            return r
        return (r - lo) % mod + lo

    return wrapped


def _add(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        return None if x is None or y is None else x + y

    return f


def _sub(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        return None if x is None or y is None else x - y

    return f


def _mul(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        return None if x is None or y is None else x * y

    return f


DIVIDE_BY_ZERO = "DIVIDE_BY_ZERO"


def _div(a: Fn, b: Fn, warn: Callable[[str], None] | None = None) -> Fn:
    q = quotient(warn)

    def f(t):
        x, y = a(t), b(t)
        if x is None or y is None:
            return None
        return q(x, y)

    return f


def quotient(warn: Callable[[str], None] | None = None) -> Callable[[Any, Any], Any]:
    """(x, y) -> Pig's x / y of two non-null values (`arith`'s "/" before any wrap): null
    for a zero divisor (warning DIVIDE_BY_ZERO through `warn`), an integer quotient
    truncated toward zero. Generated code calls it for what it does not inline."""

    def f(x, y):
        if not y:
            # Pig's zero test is Java's equals(0) / equals(0.0): -0.0 is not zero, and
            # dividing by it is IEEE's (an infinity, or NaN for 0 and NaN)
            if type(y) is float and math.copysign(1.0, y) < 0:
                return math.nan if not x or x != x else math.copysign(math.inf, x) * -1.0
            if warn is not None:
                warn(DIVIDE_BY_ZERO)
            return None
        if type(x) is int and type(y) is int:
            q = abs(x) // abs(y)
            return q if (x >= 0) == (y >= 0) else -q
        return x / y

    return f


def _mod(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        if x is None or y is None:
            return None
        return remainder(x, y)

    return f


def remainder(x: Any, y: Any) -> Any:
    """Pig's x % y of two non-null values: null for a zero divisor, else the sign of x
    (Java's remainder). Generated code calls it for what it does not inline."""
    if not y:
        return None
    r = abs(x) % abs(y)
    return r if x >= 0 else -r


_ARITH = {"+": _add, "-": _sub, "*": _mul, "/": _div, "%": _mod}


CMP = {  # the operator module's functions: Python's own comparisons, called C-level
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def compare(op: str, a: Fn, b: Fn) -> Fn:
    cmp = CMP[op]

    def f(t):
        x, y = a(t), b(t)
        if x is None or y is None:
            return None
        try:
            return cmp(x, y)
        except TypeError:
            return cmp(data.sort_key(x), data.sort_key(y))

    return f


def compare_const(op: str, a: Fn, y: Any) -> Fn:
    """`compare` of `a` with the constant `y` (``COUNT(x) == 0``): the constant is not
    called for per row."""
    if y is None:
        return lambda t: None
    cmp = CMP[op]

    def f(t):
        x = a(t)
        if x is None:
            return None
        try:
            return cmp(x, y)
        except TypeError:
            return cmp(data.sort_key(x), data.sort_key(y))

    return f


def and_(a: Fn, b: Fn) -> Fn:
    def f(t):
        x = a(t)
        if x is False:
            return False
        y = b(t)
        if y is False:
            return False
        return None if x is None or y is None else True

    return f


def or_(a: Fn, b: Fn) -> Fn:
    def f(t):
        x = a(t)
        if x is True:
            return True
        y = b(t)
        if y is True:
            return True
        return None if x is None or y is None else False

    return f


def matches(a: Fn, pattern: L.LExpr, b: Fn) -> Fn:
    if isinstance(pattern, L.LEConst) and isinstance(pattern.value, str):
        rx = java_regex(pattern.value)

        def f(t):
            x = a(t)
            return None if x is None else rx.fullmatch(_text(x)) is not None

        return f

    def g(t):
        x, p = a(t), b(t)
        return (
            None if x is None or p is None else java_regex(_text(p)).fullmatch(_text(x)) is not None
        )

    return g


def _text(v: Any) -> str:
    return v.decode("utf-8", "replace") if type(v) is bytes else str(v)


text_of = _text
"""The text MATCHES tests of a non-null value: a bytearray's UTF-8 (bad bytes replaced),
any other value's str (generated code inlines MATCHES with it)."""


def caster(field: Any, warn: Callable[[str], None] | None = None) -> Callable[[Any], Any]:
    """value -> value cast to the field's type (Pig's cast rules, failures to null). A value
    that does not convert counts its warning through `warn` (the task's PigWarning counter;
    POCast warns FIELD_DISCARDED_TYPE_CONVERSION_FAILED through CastUtils for a chararray
    and Utf8StorageConverter for a bytearray); None counts nothing."""
    tname = field.dtype.value if hasattr(field, "dtype") else str(field)
    if tname in data.CASTS:
        fn = data.CASTS[tname]
        return lambda v: None if v is None else fn(v, warn)
    inner = data.field_spec(field)[1] if hasattr(field, "dtype") else None
    return data.complex_caster(tname, inner, warn)


def flattened(
    v: Any, width: int | None, casts: list[Callable[[Any], Any] | None] | None
) -> list[tuple]:
    """The rows FLATTEN makes of a value whose type is known only when it comes: a bag's
    rows, a tuple's one row, any other value, null too, as a one-field row (Pig 0.17's
    POForEach.createTuple appends a value that is not a Tuple as it is: a null bag or tuple
    gives ONE null); each row's fields cast by `casts` (FLATTEN ... AS (x:type, ...); a row
    shorter than the casts keeps its width, and a null gives `width` nulls: the typed AS
    clause's columns, where Pig's cast FOREACH would project past the row's end)."""
    tv = type(v)
    if tv is list:
        out = v
    elif tv is tuple:
        out = [v]
    elif v is None and width and casts:
        out = [(None,) * width]
    else:
        out = [(v,)]
    if casts:
        out = [tuple([c(x) if c else x for c, x in zip(casts, row)]) for row in out]
    return out


def load_udf_module(path: str) -> Any:
    """Import a Python UDF file, with `outputSchema` (and friends) defined for its decorators;
    its functions by attribute, as Pig calls them (results made Pig values: udf.UdfFunctions)."""
    from piglatin.functions import udf

    name = "_pig_udf_" + str(abs(hash(path)))
    if name in sys.modules:
        return udf.UdfFunctions(sys.modules[name])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    module.__dict__.update(udf.decorators())
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return udf.UdfFunctions(module)


def deref(base: Fn, columns: tuple[int, ...], is_bag: bool) -> Fn:
    if is_bag:
        get = itemgetter(*columns)
        if len(columns) == 1:
            c = columns[0]

            def pb(t):
                b = base(t)
                if type(b) is list:  # every row at least c + 1 wide: one C-level pass
                    try:
                        return list(zip(map(get, b)))
                    except IndexError:  # a short row: its field is a null
                        return [(x[c] if c < len(x) else None,) for x in b]
                if b is None:
                    return None
                if type(b) is not list and isinstance(
                    b, DiskBag
                ):  # read as projected (spillbag.py)
                    return b.project(columns)
                return [(x[c] if c < len(x) else None,) for x in b]

            return pb

        def pbs(t):
            b = base(t)
            if b is None:
                return None
            if type(b) is not list and isinstance(b, DiskBag):  # on disk: spillbag.py
                return b.project(columns)
            return list(map(get, b))  # itemgetter of several columns: tuples

        return pbs
    if len(columns) == 1:
        c = columns[0]
        return lambda t: None if (v := base(t)) is None else (v[c] if c < len(v) else None)
    return lambda t: None if (v := base(t)) is None else tuple([v[c] for c in columns])


def unary(op: str, a: Fn, least: int | None = None) -> Fn:
    """`least`: the int or long type's MIN_VALUE, which negates to itself (Java's wrap)."""
    if op == "neg":
        if least is not None:
            return lambda t: None if (x := a(t)) is None else -x if x != least else x
        return lambda t: None if (x := a(t)) is None else -x
    if op == "not":
        return lambda t: None if (x := a(t)) is None else not x
    if op == "isnull":
        return lambda t: a(t) is None
    return lambda t: a(t) is not None


def _text_frame() -> tuple[bytes, bytes] | None:
    """(prefix, suffix) `data.sort_bytes` puts around a NUL-free string's UTF-8, if it does."""
    empty = data.sort_bytes("")
    head, tail = empty[:1], empty[1:]
    if data.sort_bytes("ab\u00e9") == head + "ab\u00e9".encode() + tail:
        return head, tail
    return None


_FRAME = _text_frame()
_FRAMED = _FRAME[0] + b"%s" + _FRAME[1] if _FRAME is not None else b""


def keys_bytes(keys: list) -> Iterable[bytes]:
    """`key_bytes` of many keys; C-level (``map``) when they are all plain chararrays."""
    plain = plain_keys_bytes(keys)
    return map(key_bytes, keys) if plain is None else plain


def plain_keys_bytes(keys: list) -> list[bytes] | None:
    """`key_bytes` of keys that are all plain chararrays (str, valid UTF-8, no NUL), whose
    bytes `plain_key` turns back into the key; None for any other list of keys."""
    if _FRAME is not None and set(map(type, keys)) == {str}:
        try:
            raw = list(map(str.encode, keys))
        except UnicodeEncodeError:  # a lone surrogate: the careful path
            return None
        if b"\x00" not in b"".join(raw):  # one C-level search (a method per key is slow)
            return list(map(_FRAMED.__mod__, raw))  # one new bytes object per key
    return None


def plain_key(kb: bytes) -> str:
    """The chararray whose bytes `plain_keys_bytes` made `kb`."""
    assert _FRAME is not None
    return kb[len(_FRAME[0]) : len(kb) - len(_FRAME[1])].decode("utf-8")


def key_bytes(k: Any) -> bytes:
    """`data.sort_bytes(k)`, with a short cut for the common chararray key (same bytes)."""
    if type(k) is str and _FRAME is not None:
        raw = k.encode("utf-8", "surrogatepass")
        if b"\x00" not in raw:
            return _FRAME[0] + raw + _FRAME[1]
    return data.sort_bytes(k)
