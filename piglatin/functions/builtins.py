"""Pig's builtin eval functions (Pig 0.17 "Built In Functions"), registered in BUILTINS.

Owns: the semantics of each builtin over runtime values (see piglatin.model.data for the value
representation), its result type, and the Algebraic split of the aggregates so the
compiler can run them in the combiner. Must not touch: schemas, plans or execution.

Calling convention: `BUILTINS[name].fn(*args)` with the evaluated arguments; aggregates
take the bag. `return_type` is a type name or a function of the argument type names;
for a bag argument the compiler passes "bag" or, when it knows the bag's first field
type T, "bag:T" (SUM/AVG/MIN/MAX results depend on it). An algebraic triple is
`(initial, intermediate, final)`: initial(bag) -> partial tuple; intermediate(list of
partial tuples) -> partial tuple; final(list of partial tuples) -> result, as Pig's
Algebraic interface. Builtin names are case-sensitive as in Pig (COUNT, IsEmpty, ToDate).
"""

from __future__ import annotations

import functools
import math
import random
import re
import struct
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import chain
from typing import Any

from dfs.lazyre import LazyRegex
from piglatin.functions import bloom, invokers, statistics
from piglatin.functions.javaformat import FormatError, JavaFloat, java_format, java_string
from piglatin.functions.taskcontext import unique_id, unique_id_at
from piglatin.model import data
from piglatin.model.distinct import distinct_rows
from piglatin.model.frozen import frozen_dataclass

ReturnType = str | Callable[[list[str]], str]


@frozen_dataclass
class Builtin:
    name: str
    fn: Callable[..., Any]
    return_type: ReturnType
    algebraic: tuple[Callable, Callable, Callable] | None = None
    min_args: int = 0
    max_args: int | None = None
    factory: Callable[..., Callable[..., Any]] | None = None

    def result_type(self, arg_types: list[str]) -> str:
        rt = self.return_type
        return rt if isinstance(rt, str) else rt(arg_types)

    def configured(self, *ctor_args: str) -> Builtin:
        """The builtin as `DEFINE f NAME('arg', ...)` makes it (constructor arguments)."""
        if not ctor_args:
            return self
        if self.factory is None:
            raise BuiltinError(f"{self.name} takes no constructor arguments")
        return replace(self, fn=self.factory(*ctor_args), algebraic=None)


class BuiltinError(ValueError):
    """A builtin was given arguments it cannot work on (Pig raises ERROR 2102 etc.)."""


_IMPORTS = ", java.lang., org.apache.pig.builtin., org.apache.pig.impl.builtin."


class UnknownFunctionError(KeyError):
    """No builtin of that name; the message suggests the closest existing one."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        super().__init__(name)
        self.name = name
        self.suggestion = suggestion

    def __str__(self) -> str:
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        return f"Could not resolve {self.name} using imports: [{_IMPORTS}]{hint}"


def lookup(name: str) -> Builtin:
    """The builtin called `name` (case-sensitive), or UnknownFunctionError."""
    b = BUILTINS.get(name)
    if b is not None:
        return b
    folded = {k.lower(): k for k in BUILTINS}
    if name.lower() in folded:
        raise UnknownFunctionError(name, folded[name.lower()])
    import difflib  # here: only an unknown function needs a suggestion

    close = difflib.get_close_matches(name.upper(), [k.upper() for k in BUILTINS], n=1)
    raise UnknownFunctionError(name, folded[close[0].lower()] if close else None)


# ------------------------------------------------------------------------ aggregates


def _elem(arg_types: list[str]) -> str:
    t = arg_types[0] if arg_types else "bytearray"
    return t.split(":", 1)[1] if t.startswith("bag:") else "bytearray"


def _sum_type(arg_types: list[str]) -> str:
    return {"int": "long", "long": "long"}.get(_elem(arg_types), "double")


def _minmax_type(arg_types: list[str]) -> str:
    t = _elem(arg_types)
    return "double" if t == "bytearray" else t


def _values(bag: list) -> list:
    return [t[0] for t in bag if t and t[0] is not None]


def _as_doubles(vals: list) -> list:
    out = [data.to_double(v) for v in vals]
    return [v for v in out if v is not None]


def _long_sum(vals: list) -> Any:
    return data.java_long(sum(vals))


def _sum_values(vals: list) -> Any:
    if not vals:
        return None
    try:
        return data.java_long(sum(vals))
    except TypeError:
        vals = _as_doubles(vals)
        return sum(vals) if vals else None


def COUNT(bag: list | None) -> int | None:
    if bag is None:
        return None
    return sum(1 for t in bag if t and t[0] is not None)


def COUNT_STAR(bag: list | None) -> int | None:
    return None if bag is None else len(bag)


def SUM(bag: list | None) -> Any:
    return None if bag is None else _sum_values(_values(bag))


def AVG(bag: list | None) -> float | None:
    if bag is None:
        return None
    vals = _values(bag)
    total = _sum_values(vals)
    if total is None:
        return None
    if type(total) is float and any(type(v) is bytes for v in vals):
        vals = _as_doubles(vals)
    return total / len(vals)


def _extreme(bag: list | None, pick: Callable) -> Any:
    if bag is None:
        return None
    vals = _values(bag)
    if not vals:
        return None
    if type(vals[0]) is bytes:
        vals = _as_doubles(vals)
        return _java_extreme(vals, pick) if vals else None
    try:
        return _java_extreme(vals, pick)
    except TypeError:
        vals = _as_doubles(vals)
        return _java_extreme(vals, pick) if vals else None


def _java_extreme(vals: list, pick: Callable) -> Any:
    """`pick` (min or max) of non-null values, doubles compared as Java's Math.min/max
    compare them (Pig's DoubleMin/DoubleMax): a NaN among them is the answer whatever the
    order, and -0.0 is below 0.0; chararrays by UTF-16 units, as String.compareTo (Pig's
    StringMin/StringMax); other values as Python compares them."""
    m = pick(vals)
    if type(m) is not float:
        if type(m) is str and not m.isascii() and max(m) >= "\ue000":
            return pick(vals, key=_utf16)  # a character past U+FFFF sorts below U+E000..U+FFFF
        return m
    if (s := sum(vals)) != s and any(v != v for v in vals):  # sum: one C loop, NaN-carrying
        return math.nan
    if m == 0.0:
        signs = {math.copysign(1.0, v) for v in vals if v == 0.0 and type(v) is float}
        if len(signs) == 2:
            return -0.0 if pick is min else 0.0
    return m


def _utf16(v: Any) -> Any:
    """A chararray's UTF-16 units (big-endian bytes order as the units do)."""
    return v.encode("utf-16-be", "surrogatepass") if type(v) is str else v


def utf16_less(a: Any, b: Any) -> bool:
    """a < b as Java's String.compareTo orders two chararrays: by UTF-16 units (a character
    past U+FFFF, two surrogates, is below U+E000..U+FFFF); other values as Python does."""
    if type(a) is str and type(b) is str and not (a.isascii() or b.isascii()):
        return _utf16(a) < _utf16(b)
    return a < b


def _java_min(vals: list) -> Any:
    return _java_extreme(vals, min)


def _java_max(vals: list) -> Any:
    return _java_extreme(vals, max)


def MIN(bag: list | None) -> Any:
    return _extreme(bag, min)


def MAX(bag: list | None) -> Any:
    return _extreme(bag, max)


def _partials(parts: list) -> list:
    return [p[0] for p in parts if p and p[0] is not None]


def _count_algebraic(fn: Callable) -> tuple[Callable, Callable, Callable]:
    def initial(bag: list) -> tuple:
        return (fn(bag),)

    def intermediate(parts: list) -> tuple:
        return (sum(_partials(parts)),)

    def final(parts: list) -> int:
        try:
            return sum([p[0] for p in parts])  # partial counts are never null
        except (TypeError, IndexError):
            return sum(_partials(parts))

    return initial, intermediate, final


def _fold_algebraic(fn: Callable, combine: Callable) -> tuple[Callable, Callable, Callable]:
    def initial(bag: list) -> tuple:
        return (fn(bag),)

    def final(parts: list) -> Any:
        vals = _partials(parts)
        return combine(vals) if vals else None

    def intermediate(parts: list) -> tuple:
        return (final(parts),)

    return initial, intermediate, final


def _avg_initial(bag: list) -> tuple:
    vals = _values(bag)
    total = _sum_values(vals)
    if total is not None and type(total) is float and any(type(v) is bytes for v in vals):
        vals = _as_doubles(vals)
    return (total, len(vals) if total is not None else 0)


def _avg_intermediate(parts: list) -> tuple:
    sums = [p[0] for p in parts if p[0] is not None]
    return (data.java_long(sum(sums)) if sums else None, sum(p[1] for p in parts))


def _avg_final(parts: list) -> float | None:
    total, count = _avg_intermediate(parts)
    return None if total is None or count == 0 else total / count


def Distinct(bag: list | None) -> list | None:
    """Pig's Distinct: the bag's distinct tuples (first seen first), as nested DISTINCT gives
    them; algebraic, so ``COUNT(Distinct(A.x))`` has its distinct values found by the
    combiner."""
    if bag is None:
        return None
    return distinct_rows(bag if type(bag) is list else list(bag))


def _distinct_initial(bag: list) -> tuple:
    return (tuple(distinct_rows(bag)),)


def _distinct_intermediate(parts: list) -> tuple:
    return (tuple(_distinct_final(parts)),)


def _distinct_final(parts: list) -> list:
    return distinct_rows([t for p in parts for t in p[0]])


# ----------------------------------------------------------------- bags and tuples


def SIZE(v: Any) -> int | None:
    if v is None:
        return None
    t = type(v)
    if t is str:
        return _java_length(v)  # Java's String.length(): an emoji is two
    if t in (bytes, tuple, list, dict):
        return len(v)
    return 1


def CONCAT(*args: Any) -> Any:
    if len(args) < 2:
        raise BuiltinError("CONCAT needs at least two arguments")
    for a in args:
        if a is None:
            return None
    if all(type(a) is bytes for a in args):
        return b"".join(args)
    return "".join([a if type(a) is str else data.to_chararray(a) for a in args])


def _concat_type(arg_types: list[str]) -> str:
    return "bytearray" if all(t == "bytearray" for t in arg_types) else "chararray"


_TOKEN_DELIMS = " \",()*"


def TOKENIZE(s: str | None, delims: str | None = None) -> list | None:
    words = tokens(s, delims)
    return None if words is None else list(zip(words))  # 1-tuples, without a Python loop


def tokens_of_lines(lines: list[str]) -> list[str]:
    """The words of TOKENIZE over every line of a batch, in order, as one list: a batch of
    plain text (printable, spaces between the words) is split in one call. A space joins the
    lines: it is a delimiter, so no word spans two lines."""
    text = " ".join(lines)
    delimited = '"' in text or "," in text or "(" in text or ")" in text or "*" in text
    if not delimited and text.isprintable():  # no whitespace but " ": split() agrees
        return text.split()
    return list(chain.from_iterable(map(tokens, lines)))


def tokens(s: str | bytes | None, delims: str | None = None) -> list[str] | None:
    """TOKENIZE's words themselves (the physical plan uses them directly when a FLATTEN of
    the bag only feeds a count keyed on the word)."""
    if s is None:
        return None
    if type(s) is bytes:
        s = s.decode("utf-8", "replace")
    if delims is None:  # most lines hold only spaces: skip the translate then
        if '"' in s or "," in s or "(" in s or ")" in s or "*" in s:
            s = s.translate(_delimiter_table(_TOKEN_DELIMS))
        if s.isprintable():  # no whitespace but " " (tabs are not delimiters): split() agrees
            return s.split()
        return list(filter(None, s.split(" ")))
    if not delims:  # StringTokenizer with no delimiters: the whole text is one token
        return [s] if s else []
    for c in delims[1:]:
        if c in s:
            s = s.translate(_delimiter_table(delims))
            break
    return list(filter(None, s.split(delims[0])))


@functools.lru_cache(maxsize=64)
def _delimiter_table(d: str) -> dict[int, str]:
    """Map every delimiter to the first one, so one split cuts at all of them (built once)."""
    return str.maketrans({c: d[0] for c in d[1:]})


def IsEmpty(v: Any) -> bool | None:
    if v is None:
        return None
    if type(v) is list or type(v) is dict:
        return not v
    raise BuiltinError(f"Cannot test a {data.type_of(v)} for emptiness.")


def DIFF(a: Any, b: Any) -> list:
    if type(a) is list and type(b) is list:
        try:
            sa, sb = dict.fromkeys(a), dict.fromkeys(b)
        except TypeError:  # tuples holding bags or maps are not hashable
            sa, sb = _distinct(a), _distinct(b)
        return [t for t in sa if t not in sb] + [t for t in sb if t not in sa]
    if a == b and type(a) is type(b):
        return []
    return [(a,), (b,)]


def SUBTRACT(a: Any, b: Any) -> list:
    """Pig's SUBTRACT: the distinct tuples of bag `a` that are not in bag `b` (a null bag is
    an empty one)."""
    for bag in (a, b):
        if bag is not None and type(bag) is not list:
            raise BuiltinError(
                f"SUBTRACT: Expecting input to be DataBag only but was '{type(bag).__name__}'"
            )
    first, second = a or [], b or []
    try:
        gone = set(second)
        return [t for t in dict.fromkeys(first) if t not in gone]
    except TypeError:  # tuples holding bags or maps are not hashable
        return [t for t in _distinct(first) if t not in second]


def KEYSET(m: Any) -> list | None:
    """Pig's KEYSET: a bag of the map's keys, in its HashMap's order (``m.keySet()``)."""
    return None if m is None else [(k,) for k, _ in data.java_items(m, data.task_map_sized())]


def VALUESET(m: Any) -> list | None:
    """Pig's VALUESET: a bag of the map's distinct values."""
    if m is None:
        return None
    try:
        return [(v,) for v in dict.fromkeys(m.values())]
    except TypeError:
        return _distinct([(v,) for v in m.values()])


def VALUELIST(m: Any) -> list | None:
    """Pig's VALUELIST: a bag of the map's values, repeats included, in its HashMap's order
    (``m.values()``)."""
    return None if m is None else [(v,) for _, v in data.java_items(m, data.task_map_sized())]


def INVERSEMAP(m: Any) -> dict | None:
    """Pig's INVERSEMAP: each value's text -> a bag of the keys that had it."""
    if m is None:
        return None
    out: dict[str, list] = {}
    for k, v in data.java_items(m, data.task_map_sized()):  # the HashMap's entrySet order
        if type(v) in (tuple, list, dict):
            raise BuiltinError(f"INVERSEMAP: Wrong type. Value is of type {type(v).__name__}")
        out.setdefault(java_string(v), []).append((k,))
    return out


def REGEX_SEARCH(s: Any, pattern: Any) -> list | None:
    """Pig's REGEX_SEARCH: a bag of group 1 of every match found in `s` (Matcher.find),
    null when nothing matches."""
    if s is None:
        return None
    if pattern is None:
        raise BuiltinError("StringSearchAll : Regular expression is null")
    try:
        r = java_regex(_java_text(pattern))
    except re.error as e:
        raise BuiltinError(f"StringSearchAll : Mal-Formed Regular expression : {pattern}") from e
    if r.groups < 1:
        raise BuiltinError(f"REGEX_SEARCH: the pattern {pattern!r} has no group to return")
    found = [(m.group(1),) for m in r.finditer(_java_text(s))]
    return found or None


def _distinct(bag: list) -> list:
    out: list = []
    for t in bag:
        if t not in out:
            out.append(t)
    return out


def TOP(n: int | None, column: int | None, bag: list | None) -> list | None:
    """Pig's TOP: the n tuples with the largest `column`, in the order Pig's
    java.util.PriorityQueue (least at the root) holds them after TOP.updateTop has added each
    tuple and polled the least whenever more than n were held: least first, a heap's array
    order, not a sort (TOP(2, 0, bag of 1, 6, 7, 12) is {(7), (12)})."""
    if bag is None or n is None or column is None:
        return None
    if n <= 0:
        return []
    heap: list[tuple] = []  # (key, tuple) pairs in the queue's array order
    for t in bag:
        _heap_offer(heap, (data.sort_key(t[column]), t))
        if len(heap) > n:
            _heap_poll(heap)
    return [t for _, t in heap]


def _heap_offer(heap: list, item: tuple) -> None:
    """PriorityQueue.offer: append, then sift up while less than the parent."""
    heap.append(item)
    k = len(heap) - 1
    key = item[0]
    while k > 0:
        parent = (k - 1) >> 1
        if not key < heap[parent][0]:
            break
        heap[k] = heap[parent]
        k = parent
    heap[k] = item


def _heap_poll(heap: list) -> None:
    """PriorityQueue.poll: drop the root; the last element sifts down from it (to the lesser
    child, the left one on a tie) while greater than that child."""
    last = heap.pop()
    size = len(heap)
    if not size:
        return
    k, key = 0, last[0]
    while k < size >> 1:
        child = 2 * k + 1
        if child + 1 < size and heap[child][0] > heap[child + 1][0]:
            child += 1
        if not key > heap[child][0]:
            break
        heap[k] = heap[child]
        k = child
    heap[k] = last


def BagToTuple(bag: list | None) -> tuple | None:
    if bag is None:
        return None
    return tuple([f for t in bag for f in t])


def BagToString(bag: list | None, delim: str = "_") -> str | None:
    """Pig's BagToString: every field of every tuple as Java's StringBuilder.append writes it
    (a null is "null"), a delimiter before each one once the text is not empty (so an empty
    first field takes no delimiter after it)."""
    if bag is None:
        return None
    values = [f for t in bag if t is not None for f in t]
    if all(type(v) is str and v for v in values):
        return delim.join(values)
    parts: list[str] = []
    size = 0
    for v in values:
        if size:
            parts.append(delim)
            size += len(delim)
        text = java_string(v)
        parts.append(text)
        size += len(text)
    return "".join(parts)


def bag_to_string_with_floats(floats: frozenset[int]) -> Callable[..., str | None]:
    """BagToString of a bag whose tuples' columns at these positions are declared float: they
    are java.lang.Floats in Pig, which StringBuilder.append writes by Float.toString (0.1, not
    the widened double's 0.10000000149011612)."""

    def bag_to_string(bag: list | None, delim: str = "_") -> str | None:
        if bag is None:
            return None
        typed = [
            t
            if t is None
            else tuple(
                [JavaFloat(v) if i in floats and type(v) is float else v for i, v in enumerate(t)]
            )
            for t in bag
        ]
        return BagToString(typed, delim)

    return bag_to_string


def TOTUPLE(*args: Any) -> tuple:
    return args


def TOBAG(*args: Any) -> list:
    return [a if type(a) is tuple else (a,) for a in args]


def nested_cross(*bags: Any) -> list:
    """CROSS inside a nested FOREACH (Pig's POCross of a nested plan): one tuple per
    combination of one tuple from each bag, fields concatenated in the bags' order; empty
    when a bag is empty or null."""
    rows: list[tuple] = [()]
    for bag in bags:
        if bag is None:
            return []
        tuples = [tuple(t) for t in bag]
        rows = [r + t for r in rows for t in tuples]
    return rows


def Assert(condition: Any, message: Any = None) -> bool:
    """Pig's Assert (what ASSERT ... BY runs): true, or the job fails with the message. A null
    condition fails it too (Pig's unboxing of null throws)."""
    if condition is True:
        return True
    if message is None:
        raise BuiltinError("Assertion violated. ")
    raise BuiltinError(f"Assertion violated: {_java_text(message)}")


# Pig's CubeDimensions and RollupDimensions (what CUBE ... BY CUBE(..), ROLLUP(..) runs): a
# null dimension becomes "unknown" first, as null marks the rolled-up ("all") value.
_UNKNOWN_DIMENSION = "unknown"


def _dimension_values(args: tuple) -> tuple:
    return tuple(_UNKNOWN_DIMENSION if a is None else a for a in args)


def _cube_dimensions(marker: str | None = None) -> Callable[..., list]:
    def CubeDimensions(*args: Any) -> list:
        """Every combination of the values and the marker: 2^n tuples."""
        combos: list[tuple] = [()]
        for value in _dimension_values(args):
            combos = [c + (v,) for c in combos for v in (value, marker)]
        return combos

    return CubeDimensions


def _rollup_dimensions(marker: str | None = None) -> Callable[..., list]:
    def RollupDimensions(*args: Any) -> list:
        """The values, then the marker from the last one on: n + 1 tuples."""
        values = _dimension_values(args)
        n = len(values)
        return [values[:k] + (marker,) * (n - k) for k in range(n, -1, -1)]

    return RollupDimensions


def TOMAP(*args: Any) -> dict:
    if len(args) == 1 and type(args[0]) in (list, tuple):
        pairs = args[0] if type(args[0]) is list else [args[0]]
        return {_map_key(t[0]): t[1] for t in pairs}
    if len(args) % 2:
        raise BuiltinError("TOMAP needs an even number of arguments (key, value, ...)")
    return {_map_key(args[i]): args[i + 1] for i in range(0, len(args), 2)}


def _map_key(k: Any) -> str:
    if k is None:
        raise BuiltinError("TOMAP: a map key cannot be null")
    return k if type(k) is str else data.to_chararray(k)


# ---------------------------------------------------------------------------- math


def _dbl(fn: Callable[[float], float]) -> Callable[[Any], float | None]:
    def call(v: Any) -> float | None:
        if v is None:
            return None
        x = v if type(v) is float else data.to_double(v)
        if x is None:
            return None
        try:
            return fn(x)
        except (ValueError, ZeroDivisionError):
            return math.nan
        except OverflowError:
            return math.inf

    call.__name__ = fn.__name__
    return call


def _log(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log(x) if x > 0 or x != x else math.nan


def _log10(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log10(x) if x > 0 or x != x else math.nan


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or x != x else math.nan


def _ceil(x: float) -> float:
    """Math.ceil: a zero result keeps the argument's sign (ceil(-0.5) is -0.0)."""
    if not math.isfinite(x):
        return x
    r = float(math.ceil(x))
    return r if r else math.copysign(0.0, x)


def _floor(x: float) -> float:
    """Math.floor: a zero result keeps the argument's sign (floor(-0.0) is -0.0)."""
    if not math.isfinite(x):
        return x
    r = float(math.floor(x))
    return r if r else math.copysign(0.0, x)


_DOUBLE, _BITS = struct.Struct("<d"), struct.Struct("<Q")
# fdlibm s_cbrt.c's constants: B1, B2 for the first guess, C..G for its rational refinement
_CBRT_B1, _CBRT_B2 = 715094163, 696219795
_CBRT_C, _CBRT_D = 5.42857142857142815906e-01, -7.05306122448979611050e-01  # 19/35, -864/1225
_CBRT_E, _CBRT_F = 1.41428571428571436819e00, 1.60714285714285720630e00  # 99/70, 45/28
_CBRT_G = 3.57142857142857150787e-01  # 5/14


def _bits(x: float) -> int:
    return _BITS.unpack(_DOUBLE.pack(x))[0]


def _of_bits(b: int) -> float:
    return _DOUBLE.unpack(_BITS.pack(b))[0]


def _cbrt(x: float) -> float:
    """Math.cbrt as Java 8 computes it (StrictMath.cbrt: fdlibm's s_cbrt.c, step for step):
    cube roots of exact cubes are exact (27.0 -> 3.0, where the C library's cbrt may give
    3.0000000000000004), NaN and infinities are themselves, zeros keep their sign."""
    bits = _bits(x)
    hx, lo = bits >> 32, bits & 0xFFFFFFFF
    sign = hx & 0x80000000
    hx ^= sign
    if hx >= 0x7FF00000:  # NaN, infinity
        return x + x
    if not hx | lo:  # a zero
        return x
    x = _of_bits(hx << 32 | lo)  # |x|
    if hx < 0x00100000:  # subnormal: scale by 2**54 first
        tb = _bits(_of_bits(0x43500000 << 32) * x)
        t = _of_bits(((tb >> 32) // 3 + _CBRT_B2) << 32 | tb & 0xFFFFFFFF)
    else:
        t = _of_bits((hx // 3 + _CBRT_B1) << 32)  # cbrt to 5 bits
    r = t * t / x  # to 23 bits
    s = _CBRT_C + r * t
    t *= _CBRT_G + _CBRT_F / (s + _CBRT_E + _CBRT_D / s)
    t = _of_bits(((_bits(t) >> 32) + 1) << 32)  # chopped to 20 bits, made larger than cbrt(x)
    s = t * t  # one Newton step to 53 bits
    r = x / s
    w = t + t
    r = (r - t) / (w + r)
    t = t + t * r
    return _of_bits(_bits(t) | sign << 32)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def ABS(v: Any) -> Any:
    if v is None:
        return None
    if type(v) is bytes:
        v = data.to_double(v)
        return None if v is None else abs(v)
    return abs(v)


def int_abs(v: int | None) -> int | None:
    """ABS of an int: Pig's IntAbs, Math.abs(int), whose -2147483648 stays itself."""
    return None if v is None else (v if v >= 0 or v == -2147483648 else -v)


def long_abs(v: int | None) -> int | None:
    """ABS of a long: Pig's LongAbs, Math.abs(long), whose Long.MIN_VALUE stays itself."""
    return None if v is None else (v if v >= 0 or v == data.LONG_MIN else -v)


def java_round(x: float) -> int:
    """Java's Math.round: nearest integer, halves toward +infinity; NaN -> 0."""
    if x != x:
        return 0
    if x >= 9.223372036854776e18:
        return data.LONG_MAX
    if x <= -9.223372036854776e18:
        return data.LONG_MIN
    r = math.floor(x)
    return int(r) + 1 if x - r >= 0.5 else int(r)


def ROUND(v: Any) -> int | None:
    """Math.round of the value. An int or long argument gets Pig's FloatRound, which its
    best-fit match prefers (a cast to float is cheaper than to double):
    Math.round((float) x), an int (16777217 -> 16777216, 5e9 -> 2147483647)."""
    if v is None:
        return None
    if type(v) is int:
        if -16777216 <= v <= 16777216:  # exact as a float
            return v
        return max(data.INT_MIN, min(data.INT_MAX, java_round(data.to_float32(float(v)))))
    x = data.to_double(v)
    return None if x is None else java_round(x)


def _round_type(arg_types: list[str]) -> str:
    t = arg_types[0] if arg_types else "double"
    return "int" if t in ("float", "int", "long") else "long"  # FloatRound: see ROUND


def ROUND_TO(v: Any, digits: int | None, mode: int = 4) -> float | None:
    if v is None or digits is None:
        return None
    x = data.to_double(v)
    if x is None or x != x or x in (math.inf, -math.inf):
        return x
    from decimal import Decimal

    q = Decimal(1).scaleb(-digits)
    # + 0.0: a BigDecimal zero has no sign (-0.3 to 0 places is 0.0, not -0.0)
    return float(Decimal(repr(x)).quantize(q, rounding=_ROUNDING[mode])) + 0.0


def float_round_to(v: Any, digits: int | None, _mode: Any = None) -> float | None:
    """ROUND_TO of a float: Pig's FloatRoundTo, ``BigDecimal.valueOf(num)`` (the widened
    double's Double.toString digits) set to `digits` places HALF_UP (a mode argument is not
    read), then ``floatValue()``: a float."""
    x = ROUND_TO(v, digits, 4)
    return None if x is None else data.to_float32(x)


_ROUNDING = (
    "ROUND_UP", "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR",
    "ROUND_HALF_UP", "ROUND_HALF_DOWN", "ROUND_HALF_EVEN",
)


def RANDOM(*_: Any) -> float:
    return random.random()


def _same_type(arg_types: list[str]) -> str:
    t = arg_types[0] if arg_types else "double"
    return "double" if t == "bytearray" else t


# -------------------------------------------------------------------------- strings


def java_regex(pattern: str) -> re.Pattern:
    """Compile a Java regular expression with Python's re, translating the differences:
    named groups (?<n>..) and \\k<n>, \\Q..\\E quoting, \\z / \\Z anchors, \\h, Java's
    ASCII classes \\d \\w \\s (and their negations; Python's are Unicode-aware on str), the
    POSIX classes \\p{Alpha} etc. (ASCII in Java too) and the Unicode categories \\p{L},
    \\p{Lu}, \\p{Ll}, \\p{N}, \\p{Nd} (possessive quantifiers and atomic groups are native)."""
    compiled = _REGEX_CACHE.get(pattern)
    if compiled is None:
        if len(_REGEX_CACHE) > 512:
            _REGEX_CACHE.clear()
        compiled = _REGEX_CACHE[pattern] = re.compile(_translate_regex(pattern))
    return compiled


_REGEX_CACHE: dict[str, re.Pattern] = {}
# java.util.regex's POSIX classes (US-ASCII only) and Character's java* classes, as the body
# of a character class
_JAVA_CLASSES = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7f", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~",
    "Blank": " \\t", "Cntrl": "\\x00-\\x1f\\x7f", "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r", "javaWhitespace": "\\s",
}
# Unicode categories (Character.getType), by the prefix of unicodedata's category names
_UNICODE_CATEGORIES = {
    "L": "L", "IsAlphabetic": "L", "IsLetter": "L", "Lu": "Lu", "Ll": "Ll", "N": "N",
    "Nd": "Nd", "IsDigit": "Nd", "javaLowerCase": "Ll", "javaUpperCase": "Lu",
}
# Java's predefined classes (ASCII unless UNICODE_CHARACTER_CLASS): escape -> class body, negated
_JAVA_ASCII = {
    "d": ("0-9", False), "D": ("0-9", True), "w": ("a-zA-Z_0-9", False),
    "W": ("a-zA-Z_0-9", True), "s": (" \\t\\n\\x0b\\f\\r", False),
    "S": (" \\t\\n\\x0b\\f\\r", True),
}


@functools.cache
def _unicode_class(prefix: str) -> str:
    """The body of a character class of the code points whose Unicode category starts with
    `prefix` (built once per process, when a pattern first names it)."""
    import unicodedata

    ranges: list[list[int]] = []
    for cp in range(0x110000):
        if unicodedata.category(chr(cp)).startswith(prefix):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(
        f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges
    )


def _class_body(name: str) -> str:
    """The character-class body of Java's \\p{name} (an unknown name: \\w, as before)."""
    for key in (name, name.removeprefix("Is"), f"Is{name}"):
        if key in _UNICODE_CATEGORIES:
            return _unicode_class(_UNICODE_CATEGORIES[key])
    return _JAVA_CLASSES.get(name) or _JAVA_CLASSES.get(name.removeprefix("Is"), "\\w")


def _translate_regex(p: str) -> str:
    out: list[str] = []
    i, n = 0, len(p)
    in_class = False  # inside [...]: a class escape adds its body, not a class of its own
    while i < n:
        c = p[i]
        if c == "\\" and i + 1 < n:
            nxt = p[i + 1]
            if nxt == "Q":
                end = p.find("\\E", i + 2)
                end = n if end < 0 else end
                out.append(re.escape(p[i + 2 : end]))
                i = end + 2
                continue
            if nxt in "pP" and i + 2 < n and p[i + 2] == "{":
                close = p.index("}", i)
                body = _class_body(p[i + 3 : close])
                neg = nxt == "P"
                if in_class and not neg:
                    out.append(body)
                else:  # a negated category inside a class stays a nested class (as before)
                    out.append(f"[{'^' if neg else ''}{body}]")
                i = close + 1
                continue
            if nxt in _JAVA_ASCII and not (in_class and _JAVA_ASCII[nxt][1]):
                body, neg = _JAVA_ASCII[nxt]
                out.append(body if in_class else f"[{'^' if neg else ''}{body}]")
                i += 2
                continue
            if nxt == "k" and i + 2 < n and p[i + 2] == "<":
                close = p.index(">", i)
                out.append(f"(?P={p[i + 3 : close]})")
                i = close + 1
                continue
            out.append({"z": "\\Z", "Z": "(?=\\n?\\Z)", "h": "[ \\t\\xa0]"}.get(nxt, c + nxt))
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            if p.startswith("^", i):  # a ']' right after '[' or '[^' is a literal
                out.append("^")
                i += 1
            if p.startswith("]", i):
                out.append("\\]")
                i += 1
            continue
        elif p.startswith("(?<", i) and i + 3 < n and p[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def java_replacement(rep: str) -> Callable[[re.Match], str]:
    """Java's Matcher.replaceAll replacement: $n / ${name} groups, backslash escapes."""
    parts: list[str | tuple[str | int]] = []
    buf: list[str] = []
    i = 0
    while i < len(rep):
        c = rep[i]
        if c == "\\":
            if i + 1 == len(rep):
                raise BuiltinError("character to be escaped is missing")
            buf.append(rep[i + 1])
            i += 2
        elif c == "$":
            if i + 1 == len(rep):
                raise BuiltinError("Illegal group reference: group index is missing")
            if rep[i + 1] == "{":
                close = rep.index("}", i)
                group: str | int = rep[i + 2 : close]
                i = close + 1
            else:
                j = i + 1
                while j < len(rep) and "0" <= rep[j] <= "9":
                    j += 1
                if j == i + 1:
                    raise BuiltinError(f"Illegal group reference in replacement {rep!r}")
                group, i = rep[i + 1 : j], j  # the digits: how many name the group is known later
            parts.append("".join(buf))
            buf = []
            parts.append((group,))
        else:
            buf.append(c)
            i += 1
    parts.append("".join(buf))

    def expand(m: re.Match) -> str:
        return "".join([x if type(x) is str else _group_text(m, x[0]) for x in parts])

    return expand


def _group_text(m: re.Match, ref: str) -> str:
    """The text of Java's replacement reference $<digits> (or ${name}): Matcher.appendReplacement
    reads the first digit, then each next one while the number stays a group of the pattern
    ("$12" of a one-group pattern is group 1 and a '2'); a first digit past the groups is
    IndexOutOfBounds (IndexError here)."""
    if not ref.isdigit():
        return m.group(ref) or ""
    n, k = int(ref[0]), 1
    if n > m.re.groups:
        raise IndexError(f"No group {n}")
    while k < len(ref) and n * 10 + int(ref[k]) <= m.re.groups:
        n, k = n * 10 + int(ref[k]), k + 1
    return (m.group(n) or "") + ref[k:]


def java_split(s: str, pattern: str, limit: int = 0) -> list[str]:
    """Java's String.split(regex, limit), including its empty-string rules."""
    pieces: list[str] = []
    start = 0
    for m in java_regex(pattern).finditer(s):
        if limit > 0 and len(pieces) == limit - 1:
            break
        if m.end() == 0:
            continue
        pieces.append(s[start : m.start()])
        start = m.end()
    if not pieces:
        return [s]
    pieces.append(s[start:])
    if limit == 0:
        while pieces and pieces[-1] == "":
            pieces.pop()
    return pieces


def _str_fn(fn: Callable[..., Any], arity: int | None = None) -> Callable[..., Any]:
    """Null in the first argument (or any argument) gives null, as Pig's string UDFs; bytes
    in the first are read as UTF-8. `arity`: the number of arguments the function takes (1 to
    3; 4 for two or three), for a wrapper whose usual call (text and that many non-null
    arguments) makes no *args tuple; any other call goes the general way, so a wrong count
    fails as it did."""

    def call(s: Any, *rest: Any) -> Any:
        if s is None:
            return None
        for r in rest:
            if r is None:
                return None
        if type(s) is bytes:
            s = s.decode("utf-8", "replace")
        return fn(s, *rest)

    call.__name__ = fn.__name__
    if arity is None or not 1 <= arity <= 4:
        return call

    def call1(s: Any, *rest: Any) -> Any:
        if type(s) is str and not rest:
            return fn(s)
        return call(s, *rest)

    def call2(s: Any, a: Any = _NO_ARG, *rest: Any) -> Any:
        if type(s) is str and a is not None and a is not _NO_ARG and not rest:
            return fn(s, a)
        return call(s, *rest) if a is _NO_ARG else call(s, a, *rest)

    def call3(s: Any, a: Any = _NO_ARG, b: Any = _NO_ARG, *rest: Any) -> Any:
        if type(s) is str and a is not None and b is not None and b is not _NO_ARG and not rest:
            return fn(s, a, b)
        return call(s, *[x for x in (a, b, *rest) if x is not _NO_ARG])

    def call23(s: Any, a: Any = _NO_ARG, b: Any = _NO_ARG, *rest: Any) -> Any:
        if type(s) is str and a is not None and a is not _NO_ARG and not rest:
            if b is _NO_ARG:
                return fn(s, a)
            if b is not None:
                return fn(s, a, b)
        return call(s, *[x for x in (a, b, *rest) if x is not _NO_ARG])

    fast = (call1, call2, call3, call23)[arity - 1]
    fast.__name__ = fn.__name__
    return fast


_NO_ARG = object()  # an argument not given (_str_fn)


_JAVA_WS = " \t\n\x0b\f\r"
_JAVA_TRIM = "".join(chr(c) for c in range(33))


# Java's String positions count UTF-16 code units: a character outside the Basic Multilingual
# Plane (an emoji) is two. Text without such characters is indexed as Python indexes it; text
# with them is worked on as its UTF-16 units (two bytes each, lone surrogates kept).
_ASTRAL = "\U00010000"


def _astral(s: str, other: str = "") -> bool:
    """Whether `s` or `other` holds a character that Java stores as two UTF-16 units."""
    return not (s.isascii() or max(s) < _ASTRAL) or not (other.isascii() or max(other) < _ASTRAL)


def _units(s: str) -> bytes:
    return s.encode("utf-16-le", "surrogatepass")


def _text_of_units(units: bytes) -> str:
    return units.decode("utf-16-le", "surrogatepass")


def _java_length(s: str) -> int:
    """Java's String.length(): UTF-16 code units."""
    return len(_units(s)) // 2 if _astral(s) else len(s)


def _substring(s: str, start: int, stop: int) -> str | None:
    if _astral(s):
        units = _units(s)
        stop = min(len(units) // 2, stop)
        if start < 0 or start > stop:
            return None
        return _text_of_units(units[2 * start : 2 * stop])
    stop = min(len(s), stop)
    if start < 0 or start > stop:
        return None
    return s[start:stop]


def _unit_find(units: bytes, search: bytes, start: int, end: int | None, last: bool) -> int:
    """The first (`last`: the last) unit index of `search` in `units[start:end]` (unit
    indexes), at a whole unit (a byte match at an odd offset is not a match); -1 if none."""
    lo, hi = 2 * start, len(units) if end is None else min(len(units), 2 * end)
    while True:
        at = units.rfind(search, lo, hi) if last else units.find(search, lo, hi)
        if at < 0 or at % 2 == 0:
            return at if at < 0 else at // 2
        if last:
            hi = at + len(search) - 1
        else:
            lo = at + 1


def _indexof(s: str, search: str, start: int = 0) -> int:
    start = max(start, 0)
    if _astral(s, search):
        units = _units(s)
        if start > len(units) // 2:
            return len(units) // 2 if search == "" else -1
        return _unit_find(units, _units(search), start, None, last=False)
    if start > len(s):
        return len(s) if search == "" else -1
    return s.find(search, start)


def _last_index_of(s: str, search: str, start: int | None = None) -> int:
    if start is not None and start < 0:
        return -1
    if _astral(s, search):
        end = None if start is None else start + _java_length(search)
        return _unit_find(_units(s), _units(search), 0, end, last=True)
    if start is None:
        return s.rfind(search)
    return s.rfind(search, 0, start + len(search))


def _regex_extract(s: str, pattern: str, index: int, use_matches: bool = False) -> str | None:
    r = _REGEX_CACHE.get(pattern) or java_regex(pattern)
    m = r.fullmatch(s) if use_matches else r.search(s)
    if m is None or index > r.groups:
        return None
    return m.group(index)


def _regex_extract_all(s: str, pattern: str, use_matches: bool = True) -> tuple | None:
    r = _REGEX_CACHE.get(pattern) or java_regex(pattern)
    m = r.fullmatch(s) if use_matches else r.search(s)
    return None if m is None else m.groups()


def _use_matches_factory(fn: Callable[..., Any]) -> Callable[[str], Callable[..., Any]]:
    """REGEX_EXTRACT('true') / REGEX_EXTRACT_ALL('false'): Matcher.matches() vs find()."""

    def make(use_matches: str | bool) -> Callable[..., Any]:
        flag = use_matches if isinstance(use_matches, bool) else use_matches.lower() == "true"
        return _str_fn(lambda s, *rest: fn(s, *rest, flag))

    return make


def _java_char_case(s: str, case: Callable[[str], str]) -> str:
    """Character.toUpperCase/toLowerCase(s.charAt(0)) (UCFIRST, LCFIRST): one UTF-16 unit's
    simple case mapping. A character outside the BMP starts with a surrogate, which maps to
    itself; one whose full mapping is several characters ('ß' -> "SS") has no one-char
    mapping and stays, but for U+0130, whose simple lower case is 'i'."""
    c = s[:1]
    if not c or c >= _ASTRAL:
        return c
    mapped = case(c)
    if len(mapped) == 1:
        return mapped
    return "i" if c == "\u0130" and case is str.lower else c


# What a bad Java pattern or replacement raises here: re.error from re.compile, ValueError
# (BuiltinError) from the translation and java_replacement, IndexError for a missing group
_BAD_PATTERN = (re.error, ValueError, IndexError)


def _replace(s: str, pattern: str, rep: str) -> str | None:
    """Pig's REPLACE: Matcher.replaceAll; a malformed pattern, or a replacement that fails
    (a group that does not exist, a trailing '$' or '\\'), is a warning and null."""
    try:
        return _replace_all(s, pattern, rep)
    except _BAD_PATTERN:
        return None


def _replace_all(s: str, pattern: str, rep: str) -> str:
    r = _REGEX_CACHE.get(pattern) or java_regex(pattern)
    if type(rep) is not str:
        return r.sub(java_replacement(rep), s)
    if "\\" not in rep and "$" not in rep:  # literal text (so for re.sub too: no backslash)
        return r.sub(rep, s)
    expand = _REPLACEMENTS.get(rep)
    if expand is None:
        if len(_REPLACEMENTS) > 512:
            _REPLACEMENTS.clear()
        expand = _REPLACEMENTS[rep] = java_replacement(rep)
    return r.sub(expand, s)


_REPLACEMENTS: dict[str, Callable[[re.Match], str]] = {}


def _strsplit(s: str, pattern: str = "\\s", limit: int = 0) -> tuple | None:
    """STRSPLIT: String.split(regex, limit); a malformed pattern is a warning and null (Pig
    catches PatternSyntaxException)."""
    try:
        return tuple(java_split(s, pattern, limit))
    except _BAD_PATTERN:
        return None


def _strsplittobag(s: str, pattern: str = "\\s", limit: int = 0) -> list | None:
    try:
        return [(w,) for w in java_split(s, pattern, limit)]
    except _BAD_PATTERN:
        return None


def SPRINTF(fmt: Any, *args: Any) -> str:
    """Java's String.format (javaformat.py) of String.valueOf(fmt): null arguments print as
    ``null``; a format that does not fit its arguments fails, as Pig's ERROR 2106. Pig's
    SPRINTF declares no argument types (VARARG), so the format may be of any type."""
    try:
        return java_format(fmt if type(fmt) is str else java_string(fmt), args)
    except FormatError as e:
        raise BuiltinError(f"Error while computing string format in SPRINTF -- {e}") from e


def sprintf_with_floats(floats: frozenset[int]) -> Callable[..., str]:
    """SPRINTF whose arguments at these positions (0 is the first after the format) are
    declared float: passed as `JavaFloat`s, so ``%s`` writes them by Float.toString."""

    def sprintf(fmt: Any, *args: Any) -> str:
        return SPRINTF(
            fmt,
            *[JavaFloat(a) if i in floats and type(a) is float else a for i, a in enumerate(args)],
        )

    return sprintf


def _java_text(value: Any) -> str:
    return value.decode("utf-8", "replace") if type(value) is bytes else str(value)


_STRING_FUNCS: dict[str, tuple[Callable, str, int, int]] = {
    "LOWER": (str.lower, "chararray", 1, 1),
    "UPPER": (str.upper, "chararray", 1, 1),
    "TRIM": (lambda s: s.strip(_JAVA_TRIM), "chararray", 1, 1),
    "LTRIM": (lambda s: s.lstrip(_JAVA_WS), "chararray", 1, 1),
    "RTRIM": (lambda s: s.rstrip(_JAVA_WS), "chararray", 1, 1),
    "SUBSTRING": (_substring, "chararray", 3, 3),
    "INDEXOF": (_indexof, "int", 2, 3),
    "LAST_INDEX_OF": (_last_index_of, "int", 2, 3),
    "REPLACE": (_replace, "chararray", 3, 3),
    "STRSPLIT": (_strsplit, "tuple", 1, 3),
    "STRSPLITTOBAG": (_strsplittobag, "bag", 1, 3),
    "REGEX_EXTRACT": (_regex_extract, "chararray", 3, 3),
    "REGEX_EXTRACT_ALL": (_regex_extract_all, "tuple", 2, 2),
    "STARTSWITH": (str.startswith, "boolean", 2, 2),
    "ENDSWITH": (str.endswith, "boolean", 2, 2),
    "EqualsIgnoreCase": (lambda a, b: a.lower() == b.lower(), "boolean", 2, 2),
    "UCFIRST": (lambda s: _java_char_case(s, str.upper) + s[1:], "chararray", 1, 1),
    "LCFIRST": (lambda s: _java_char_case(s, str.lower) + s[1:], "chararray", 1, 1),
}


# ------------------------------------------------------------------------ datetime

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMERIC = "yYuMdHhKkmsSDwe"
_WIDTH = {"y": 9, "Y": 9, "u": 9, "M": 2, "d": 2, "H": 2, "h": 2, "K": 2, "k": 2, "m": 2,
          "s": 2, "S": 9, "D": 3, "w": 2, "e": 1}


def joda_tokens(pattern: str) -> list[tuple[str, int] | str]:
    """Split a Joda DateTimeFormat pattern into (letter, count) fields and literals."""
    out: list[tuple[str, int] | str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(pattern[i + 1 : end] or "'")
            i = end + 1
        elif c.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == c:
                j += 1
            out.append((c, j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return out


def _field_regex(tok: tuple[str, int], adjacent: bool) -> str:
    c, n = tok
    if c == "M" and n >= 3:
        return "(?P<MMM>[A-Za-z]+)"
    if c == "E":
        return "[A-Za-z]+"
    if c == "a":
        return "(?P<a>[AaPp][Mm])"
    if c == "Z":
        return "(?P<Z>Z|[+-]\\d\\d:?\\d\\d)"
    if c == "z":
        return "(?P<z>[A-Za-z_/+-]+)"
    if c in _NUMERIC:
        width = f"{{{n}}}" if adjacent or (c == "y" and n == 2) else f"{{1,{max(n, _WIDTH[c])}}}"
        sign = "[+-]?" if c in "yYu" and not adjacent else ""
        return f"(?P<{c}>{sign}\\d{width})"
    return re.escape(c * n)


def _joda_regex(pattern: str) -> re.Pattern:
    compiled = _JODA_CACHE.get(pattern)
    if compiled is not None:
        return compiled
    toks = joda_tokens(pattern)
    parts = []
    for i, tok in enumerate(toks):
        if isinstance(tok, str):
            parts.append(re.escape(tok))
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        adjacent = isinstance(nxt, tuple) and nxt[0] in _NUMERIC and tok[0] in _NUMERIC
        parts.append(_field_regex(tok, adjacent))
    compiled = _JODA_CACHE[pattern] = re.compile("".join(parts) + "\\Z", re.IGNORECASE)
    return compiled


_JODA_CACHE: dict[str, re.Pattern] = {}


def parse_joda(s: str, pattern: str, tz: Any = None) -> datetime | None:
    """Parse text with a Joda pattern (yyyy MM dd HH mm ss SSS Z ...); None if no match."""
    m = _joda_regex(pattern).match(s.strip())
    if m is None:
        return None
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    month = int(g.get("M", 1))
    if "MMM" in g:
        month = next((i + 1 for i, name in enumerate(_MONTHS)
                      if name.lower().startswith(g["MMM"].lower()[:3])), 0)
    hour = int(g.get("H", g.get("k", 0)))
    if "h" in g or "K" in g:
        hour = int(g.get("h", g.get("K", 0))) % 12
        hour += 12 if g.get("a", "am").lower() == "pm" else 0
    year = int(g.get("y", g.get("Y", g.get("u", 1970))))
    if len(g.get("y", "")) == 2:
        year += 2000 if year < 30 + (datetime.now().year % 100) else 1900
    frac = g.get("S", "0")
    zone = data.parse_tz(g["Z"]) if "Z" in g else _zone(g.get("z")) or tz or data.default_zone()
    try:
        d = datetime(year, month, int(g.get("d", 1)), hour, int(g.get("m", 0)),
                     int(g.get("s", 0)), int(frac[:6].ljust(6, "0")) // 1000 * 1000,
                     tzinfo=zone)
    except ValueError:
        return None
    if "D" in g:
        d = d.replace(month=1, day=1) + timedelta(days=int(g["D"]) - 1)
    return d.astimezone(tz or data.default_zone())


def _zone(name: Any) -> Any:
    """A timezone from an id (Asia/Tokyo), an offset (+08:00) or UTC; None if unknown."""
    if not name:
        return None
    if name[0] in "+-" or name in ("Z", "UTC", "GMT"):
        return data.parse_tz(name)
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (KeyError, ValueError, ImportError):
        return None


def format_joda(d: datetime, pattern: str) -> str:
    """Format a datetime with a Joda pattern."""
    tokens = joda_tokens(pattern)
    return "".join([t if isinstance(t, str) else _format_field(d, *t) for t in tokens])


def _format_field(d: datetime, c: str, n: int) -> str:
    if c in "yYux":
        year = d.isocalendar()[0] if c == "x" else d.year  # x: the ISO week-year
        return f"{year % 100:02d}" if n == 2 else f"{year:0{n}d}"
    if c == "G":  # Joda's era
        return "AD" if d.year > 0 else "BC"
    if c == "C":  # Joda's century of era
        return f"{d.year // 100:0{n}d}"
    if c == "M":
        return _MONTHS[d.month - 1][: 3 if n == 3 else None] if n >= 3 else f"{d.month:0{n}d}"
    if c == "E":
        return _DAYS[d.weekday()][: 3 if n <= 3 else None]
    if c == "S":
        return f"{d.microsecond // 1000:03d}"[:n].ljust(n, "0")
    if c == "Z":
        if n >= 3:
            return str(d.tzinfo) if d.utcoffset() else "UTC"
        text = data.format_datetime(d)[23:]  # Z or +hh:mm
        text = "+00:00" if text == "Z" else text
        return text if n == 2 else text.replace(":", "")
    if c == "a":
        return "AM" if d.hour < 12 else "PM"
    if c == "z":  # Joda prints a fixed offset zone as its offset: +08:00, not UTC+08:00
        name = d.tzname() or "UTC"
        return name[3:] if name.startswith("UTC") and len(name) > 3 else name
    value = {"d": d.day, "H": d.hour, "k": d.hour or 24, "K": d.hour % 12, "h": d.hour % 12 or 12,
             "m": d.minute, "s": d.second, "D": d.timetuple().tm_yday,
             "w": d.isocalendar()[1], "e": d.isoweekday()}.get(c)
    return c * n if value is None else f"{value:0{n}d}"


def ToDate(v: Any, pattern: str | None = None, tz: str | None = None) -> datetime | None:
    if type(v) is str and pattern is None and tz is None:  # ISO text in the default zone
        return data.parse_iso_datetime(v)
    if v is None:
        return None
    zone = _zone(tz) if tz else None
    if type(v) is int:
        return data.from_millis(v, zone)
    s = v.decode("utf-8", "replace") if type(v) is bytes else v
    if pattern is None:
        d = data.parse_iso_datetime(s)
        return d.astimezone(zone) if d is not None and zone else d
    return parse_joda(s, pattern, zone)


def CurrentTime() -> datetime:
    now = datetime.now(data.default_zone())
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def ToString(d: datetime | None, pattern: str | None = None) -> str | None:
    if d is None:
        return None
    return data.format_datetime(d) if pattern is None else format_joda(d, pattern)


def _dt_fn(fn: Callable[..., Any], arity: int | None = None) -> Callable[..., Any]:
    """Null in any argument gives null. `arity` (1 or 2): the number of arguments the function
    takes, for a wrapper whose usual call makes no *args tuple (any other count goes the
    general way and fails as it did)."""

    def call(*args: Any) -> Any:
        for a in args:
            if a is None:
                return None
        return fn(*args)

    def call1(d: Any = _NO_ARG, *rest: Any) -> Any:
        if d is not None and d is not _NO_ARG and not rest:
            return fn(d)
        return call() if d is _NO_ARG else call(d, *rest)

    def call2(a: Any = _NO_ARG, b: Any = _NO_ARG, *rest: Any) -> Any:
        if a is not None and b is not None and b is not _NO_ARG and not rest:
            return fn(a, b)
        return call(*[x for x in (a, b, *rest) if x is not _NO_ARG])

    chosen = call1 if arity == 1 else call2 if arity == 2 else call
    chosen.__name__ = getattr(fn, "__name__", "datetime_fn")
    return chosen


def _between(unit_ms: int) -> Callable[[datetime, datetime], int]:
    epoch = data.EPOCH

    def between(a: datetime, b: datetime) -> int:
        da, db = a - epoch, b - epoch  # data.to_millis(a) - data.to_millis(b), inline
        diff = ((da.days - db.days) * 86400 + da.seconds - db.seconds) * 1000 + (
            da.microseconds // 1000 - db.microseconds // 1000
        )
        return int(diff / unit_ms) if abs(diff) < 2**52 else diff // unit_ms

    return between


def _local_pair(a: datetime, b: datetime) -> tuple[datetime, datetime]:
    """`a` and `b` as local times of `b`'s zone: Pig's MonthsBetween(a, b) and YearsBetween
    are Joda's Months/Years.between(b, a), which counts in the chronology (zone) of `b`."""
    return a.astimezone(b.tzinfo).replace(tzinfo=None), b.replace(tzinfo=None)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _month_difference(m: datetime, s: datetime) -> int:
    """Joda's BasicMonthOfYearDateTimeField.getDifferenceAsLong(m, s) for m >= s: whole
    months, where a minuend on the last day of its month whose subtrahend's day is larger
    takes the subtrahend's day back to it (Jan 31 -> Feb 28 is one month)."""
    months = (m.year - s.year) * 12 + m.month - s.month
    if m.day == _days_in_month(m.year, m.month) and s.day > m.day:
        s = s.replace(day=m.day)
    if (m.day, m.time()) < (s.day, s.time()):
        months -= 1
    return months


def _months_between(a: datetime, b: datetime) -> int:
    m, s = _local_pair(a, b)
    return _month_difference(m, s) if m >= s else -_month_difference(s, m)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _year_difference(m: datetime, s: datetime) -> int:
    """Joda's BasicGJChronology.getYearDifference(m, s) for m >= s: whole years, the time
    into each year balanced for a Feb 29 only one of the two years has."""
    m_rem, s_rem = m - datetime(m.year, 1, 1), s - datetime(s.year, 1, 1)
    feb29, day = timedelta(days=59), timedelta(days=1)
    if s_rem >= feb29:
        if _leap(s.year):
            if not _leap(m.year):
                s_rem -= day
        elif m_rem >= feb29 and _leap(m.year):
            m_rem -= day
    return m.year - s.year - (m_rem < s_rem)


def _years_between(a: datetime, b: datetime) -> int:
    m, s = _local_pair(a, b)
    return _year_difference(m, s) if m >= s else -_year_difference(s, m)


_PERIOD = LazyRegex(
    r"P(?:(?P<y>-?\d+)Y)?(?:(?P<mo>-?\d+)M)?(?:(?P<w>-?\d+)W)?(?:(?P<d>-?\d+)D)?"
    r"(?:T(?:(?P<h>-?\d+)H)?(?:(?P<mi>-?\d+)M)?(?:(?P<s>-?\d+(?:\.\d+)?)S)?)?\Z"
)


def _add_duration(d: datetime, period: str, sign: int = 1) -> datetime:
    m = _PERIOD.match(period)
    if m is None:
        raise BuiltinError(f"Invalid ISO 8601 duration {period!r}")
    g = {k: float(v) if k == "s" else int(v) for k, v in m.groupdict().items() if v}
    months = d.month - 1 + sign * (g.get("y", 0) * 12 + g.get("mo", 0))
    year, month = d.year + months // 12, months % 12 + 1
    day = min(d.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                      31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return d.replace(year=year, month=month, day=day) + sign * timedelta(
        weeks=g.get("w", 0), days=g.get("d", 0), hours=g.get("h", 0),
        minutes=g.get("mi", 0), seconds=g.get("s", 0))


_DATE_FUNCS: dict[str, tuple[Callable, str, int, int]] = {
    "GetYear": (lambda d: d.year, "int", 1, 1),
    "GetMonth": (lambda d: d.month, "int", 1, 1),
    "GetDay": (lambda d: d.day, "int", 1, 1),
    "GetHour": (lambda d: d.hour, "int", 1, 1),
    "GetMinute": (lambda d: d.minute, "int", 1, 1),
    "GetSecond": (lambda d: d.second, "int", 1, 1),
    "GetMilliSecond": (lambda d: d.microsecond // 1000, "int", 1, 1),
    "GetWeek": (lambda d: d.isocalendar()[1], "int", 1, 1),
    "GetWeekYear": (lambda d: d.isocalendar()[0], "int", 1, 1),
    "ToUnixTime": (lambda d: int(data.to_millis(d) / 1000), "long", 1, 1),
    "ToMilliSeconds": (data.to_millis, "long", 1, 1),
    "YearsBetween": (_years_between, "long", 2, 2),
    "MonthsBetween": (_months_between, "long", 2, 2),
    "WeeksBetween": (_between(7 * 86_400_000), "long", 2, 2),
    "DaysBetween": (_between(86_400_000), "long", 2, 2),
    "HoursBetween": (_between(3_600_000), "long", 2, 2),
    "MinutesBetween": (_between(60_000), "long", 2, 2),
    "SecondsBetween": (_between(1000), "long", 2, 2),
    "MilliSecondsBetween": (_between(1), "long", 2, 2),
    "AddDuration": (_add_duration, "datetime", 2, 2),
    "SubtractDuration": (lambda d, p: _add_duration(d, p, -1), "datetime", 2, 2),
}


# ------------------------------------------------------------------------ registry


def _b(name: str, fn: Callable, rt: ReturnType, lo: int, hi: int | None, alg: Any = None) -> None:
    BUILTINS[name] = Builtin(name, fn, rt, alg, lo, hi)


def _by_batch(fn: Callable, rt: ReturnType, alg: tuple) -> tuple:
    """(fn, rt, 1, 1, alg) where fn reads a bag on disk (spillbag.py: it has ``batches()``)
    a batch at a time through its algebraic parts, instead of listing all its values."""
    initial, _intermediate, final = alg

    def call(bag: Any) -> Any:
        batches = None if bag is None or type(bag) is list else getattr(bag, "batches", None)
        if batches is None:
            return fn(bag)
        return final([initial(batch) for batch in batches()])

    call.__name__ = fn.__name__
    return call, rt, 1, 1, alg


BUILTINS: dict[str, Builtin] = {}

_b("COUNT", COUNT, "long", 1, 1, _count_algebraic(COUNT))
_b("COUNT_STAR", COUNT_STAR, "long", 1, 1, _count_algebraic(COUNT_STAR))
_b("SUM", *_by_batch(SUM, _sum_type, _fold_algebraic(SUM, _long_sum)))
_b("AVG", *_by_batch(AVG, "double", (_avg_initial, _avg_intermediate, _avg_final)))
_b("MIN", *_by_batch(MIN, _minmax_type, _fold_algebraic(MIN, _java_min)))
_b("MAX", *_by_batch(MAX, _minmax_type, _fold_algebraic(MAX, _java_max)))
_b("Distinct", Distinct, "bag", 1, 1, (_distinct_initial, _distinct_intermediate, _distinct_final))
_b("SIZE", SIZE, "long", 1, 1)
_b("CONCAT", CONCAT, _concat_type, 2, None)
_b("TOKENIZE", TOKENIZE, "bag", 1, 2)
_b("IsEmpty", IsEmpty, "boolean", 1, 1)
_b("DIFF", DIFF, "bag", 2, 2)
_b("SUBTRACT", SUBTRACT, "bag", 2, 2)
_b("KEYSET", KEYSET, "bag", 1, 1)
_b("VALUESET", VALUESET, "bag", 1, 1)
_b("VALUELIST", VALUELIST, "bag", 1, 1)
_b("INVERSEMAP", INVERSEMAP, "map", 1, 1)
_b("REGEX_SEARCH", REGEX_SEARCH, "bag", 2, 2)
_b("TOP", TOP, "bag", 3, 3)
_b("BagToTuple", BagToTuple, "tuple", 1, 1)
_b("BagToString", BagToString, "chararray", 1, 2)
_b("TOTUPLE", TOTUPLE, "tuple", 0, None)
_b("ToTuple", TOTUPLE, "tuple", 0, None)
_b("TOBAG", TOBAG, "bag", 0, None)
_b("CROSS", nested_cross, "bag", 2, None)  # a nested FOREACH's CROSS (no call can name it)
_b("TOMAP", TOMAP, "map", 1, None)
_b("ABS", ABS, _same_type, 1, 1)
_b("ROUND", ROUND, _round_type, 1, 1)
_b("ROUND_TO", ROUND_TO, "double", 2, 3)
_b("RANDOM", RANDOM, "double", 0, 1)
for _name, _fn in {
    "CEIL": _ceil, "FLOOR": _floor, "SQRT": _sqrt, "CBRT": _cbrt,
    "LOG": _log, "LOG10": _log10, "EXP": _exp, "SIN": math.sin, "COS": math.cos,
    "TAN": math.tan, "ASIN": math.asin, "ACOS": math.acos, "ATAN": math.atan,
    "SINH": math.sinh, "COSH": math.cosh, "TANH": math.tanh,
}.items():
    _b(_name, _dbl(_fn), "double", 1, 1)
for _name, (_fn, _rt, _lo, _hi) in _STRING_FUNCS.items():
    _arity = _lo if _lo == _hi else 4 if (_lo, _hi) == (2, 3) else None
    _b(_name, _str_fn(_fn, _arity), _rt, _lo, _hi)
for _name, _fn in (("REGEX_EXTRACT", _regex_extract), ("REGEX_EXTRACT_ALL", _regex_extract_all)):
    BUILTINS[_name] = replace(BUILTINS[_name], factory=_use_matches_factory(_fn))
for _name, (_fn, _rt, _lo, _hi) in _DATE_FUNCS.items():
    _b(_name, _dt_fn(_fn, _lo if _lo == _hi else None), _rt, _lo, _hi)
_b("ToDate", ToDate, "datetime", 1, 3)
_b("CurrentTime", CurrentTime, "datetime", 0, 0)
_b("ToString", ToString, "chararray", 1, 2)
_b("SPRINTF", SPRINTF, "chararray", 1, None)
_b("Assert", Assert, "boolean", 1, 2)
for _name, _make in (
    ("CubeDimensions", _cube_dimensions),
    ("RollupDimensions", _rollup_dimensions),
):
    BUILTINS[_name] = Builtin(_name, _make(), "bag", None, 1, None, factory=_make)

for _name in ("COR", "COV"):
    _fn = getattr(statistics, _name)
    BUILTINS[_name] = Builtin(_name, _fn, "bag", None, 1, None, factory=statistics.named(_name))
for _name, _type in invokers.INVOKERS.items():  # DEFINE f InvokeForString('m', 'types')
    BUILTINS[_name] = Builtin(
        _name, invokers.unconfigured(_name), _type, None, 0, None,
        factory=invokers.invoker_factory(_name),
    )  # fmt: skip
BUILTINS["BuildBloom"] = Builtin(
    "BuildBloom", bloom.build_bloom_unconfigured, "bytearray", None, 1, 1,
    factory=bloom.build_bloom_factory,
)  # fmt: skip
BUILTINS["Bloom"] = Builtin(
    "Bloom", bloom.bloom_factory(), "boolean", None, 1, None, factory=bloom.bloom_factory
)
BUILTINS["UniqueID"] = Builtin("UniqueID", unique_id, "chararray", None, 0, None, factory=unique_id_at)


def _pluck_needs_prefix(*_: Any) -> Any:
    raise BuiltinError("PluckTuple needs a prefix: DEFINE pluck PluckTuple('a::');")


# PluckTuple('prefix'[, 'false']): the builder turns a call into TOTUPLE of the arguments whose
# names match (it needs their names); this entry only carries the name and the arity
BUILTINS["PluckTuple"] = Builtin(
    "PluckTuple", _pluck_needs_prefix, "tuple", None, 0, None,
    factory=lambda *_: _pluck_needs_prefix,
)  # fmt: skip

# Declared argument types (Pig's getArgToFuncMapping): for each builtin that has them, the type
# each argument position takes ("a|b": either; a last "t..." repeats for every further argument,
# Pig's VARARG). The builder refuses an argument that is neither of that type nor implicitly
# castable to it (ERROR 1045); builtins not listed take anything.
_CHARS, _DATE = ("chararray",), ("datetime",)
ARG_TYPES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("LOWER", "UPPER", "TRIM", "LTRIM", "RTRIM", "UCFIRST", "LCFIRST"), _CHARS),
    **dict.fromkeys(("SUBSTRING",), ("chararray", "int", "int")),
    **dict.fromkeys(("INDEXOF", "LAST_INDEX_OF"), ("chararray", "chararray", "int")),
    "REPLACE": ("chararray", "chararray", "chararray"),
    "CONCAT": ("chararray|bytearray...",),  # CONCAT(bytearray...) or StringConcat(chararray...)
    **dict.fromkeys(("STRSPLIT", "STRSPLITTOBAG"), ("chararray", "chararray", "int")),
    "REGEX_EXTRACT": ("chararray", "chararray", "int"),
    "REGEX_EXTRACT_ALL": ("chararray", "chararray"),
    **dict.fromkeys(("STARTSWITH", "ENDSWITH", "EqualsIgnoreCase"), ("chararray", "chararray")),
    "TOKENIZE": ("chararray", "chararray"),
    **dict.fromkeys(("ABS", "ROUND", "CEIL", "FLOOR", "SQRT", "CBRT", "LOG", "LOG10", "EXP"),
                    ("double",)),
    **dict.fromkeys(("SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "SINH", "COSH", "TANH"),
                    ("double",)),
    "ROUND_TO": ("double", "int", "int"),
    **dict.fromkeys(("GetYear", "GetMonth", "GetDay", "GetHour", "GetMinute", "GetSecond",
                     "GetMilliSecond", "GetWeek", "GetWeekYear", "ToUnixTime",
                     "ToMilliSeconds"), _DATE),
    **dict.fromkeys(("YearsBetween", "MonthsBetween", "WeeksBetween", "DaysBetween",
                     "HoursBetween", "MinutesBetween", "SecondsBetween", "MilliSecondsBetween"),
                    ("datetime", "datetime")),
    **dict.fromkeys(("AddDuration", "SubtractDuration"), ("datetime", "chararray")),
    "ToString": ("datetime", "chararray"),
    "ToDate": ("long|chararray", "chararray", "chararray"),
}  # fmt: skip
