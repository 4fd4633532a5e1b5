"""Generated code of a combined GROUP's reduce side: the Finals of a group's partials.

Owns `single_finals` and `single_final_rows`: for a key whose shuffled values are ONE
(key, partials) record (a key of one map task, the common case of many distinct keys), the
aggregates' Finals of that partial spelled out inline in one generated function
(`codegen.Generator`, `codegen.Pipeline`: EXPLAIN prints it), the builtins' own Finals called
for any aggregate without an inline form; and `multi_finals`: for a key of SEVERAL records
(several map tasks, or a map task that flushed its table more than once), the partials
folded in one generated loop (the fold the map side's `AggTail` makes of rows, here of
partials: sums and counts added, nulls skipped, MIN/MAX compared as Java does), then the
same Finals. Must not touch: the map side's fold (codegen.py's `AggTail`) or the grouping
of the partials (aggregates.py, cogroupaggs.py).

An integer SUM or AVG sum is Java's long sum, as Pig's IntSum/LongSum/LongAvg make it: they
add into a long, which wraps past 2^63 - 1. Partials are summed exactly (Python ints) and a
sum is wrapped where it becomes a result, here (or in the builtins' Finals): wrapping is
addition modulo 2^64, so wrapping once gives what wrapping at every step gives.

>>> finals = single_finals(["SUM", "AVG"], [None, None], ["int", "int"])
>>> finals(((9223372036854775807 + 1,), (9223372036854775807 + 1, 2)))
(-9223372036854775808, -4.611686018427388e+18)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import copysign
from typing import Any

from piglatin.back.codegen import Generator, Pipeline
from piglatin.functions.builtins import utf16_less
from piglatin.model.data import LONG_MAX, LONG_MIN, java_long
from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["extremes", "long_sums", "multi_finals", "single_final_rows", "single_finals"]


_SINGLE_FINALS = {
    "SUM": "(None if (_x := {p}[0]) is None else _x + 0)",  # + 0: DoubleSum's -0.0 is 0.0
    "MIN": "{p}[0]",
    "MAX": "{p}[0]",
    "COUNT": "(0 if (_x := {p}[0]) is None else _x)",
    "COUNT_STAR": "(0 if (_x := {p}[0]) is None else _x)",
    "AVG": "(None if (_x := {p}[0]) is None or not (_c := {p}[1]) else (_x + 0) / _c)",
}
# a sum that may be an integer (`long_sums`) past 2^63 - 1 through `java_long`. Only that
# side needs a test: a partial comes here packed by msgpack, whose ints stop below -2^63 (the
# map side's flush wraps a sum past either end before packing it) but reach 2^64 - 1;
# the Finals of several partials are the builtins', which wrap. A sum of ints or longs
# is an int (no + 0); one of no known type may be a double (+ 0: DoubleSum's -0.0 is 0.0).
_LONG_FINALS = {
    (func, typed): template.format(
        x=f"(_x if _x <= {LONG_MAX} else _jl(_x))"
        if typed
        else f"(_x + 0 if _x <= {LONG_MAX} else _jl(_x))"
    )
    for func, template in (
        ("SUM", "(None if (_x := {{p}}[0]) is None else {x})"),
        ("AVG", "(None if (_x := {{p}}[0]) is None or not (_c := {{p}}[1]) else {x} / _c)"),
    )
    for typed in (True, False)
}
_NOT_LONG = frozenset((DataType.DOUBLE, DataType.FLOAT, DataType.BYTEARRAY))
_INTEGER = frozenset((DataType.INT, DataType.LONG))


def long_sums(calls: Sequence[L.LEFunc]) -> list[str | None]:
    """How each of the aggregate `calls` sums into a Java long: "int" for a SUM or AVG of
    an int or long column, "any" for one of a column of no known type (whose values may be
    integers), None for any other aggregate (a double, float or bytearray column is
    DoubleSum's or DoubleAvg's: a double's sum)."""
    out: list[str | None] = []
    for c in calls:
        t = _column_type(c) if c.func in ("SUM", "AVG") else DataType.DOUBLE
        out.append(None if t in _NOT_LONG else "int" if t in _INTEGER else "any")
    return out


# a MIN or MAX column whose partials `multi_finals` compares inline: numbers (a bytearray
# column's partials are doubles: the builtins' MIN/MAX convert bytearrays so) or chararrays
_NUMBERS = frozenset(
    (DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE, DataType.BYTEARRAY)
)


def extremes(calls: Sequence[L.LEFunc]) -> list[str | None]:
    """How `multi_finals` compares the partials of each of the aggregate `calls`: "text"
    for a MIN or MAX of a chararray column (as String.compareTo: by UTF-16 units), "number"
    for one of a numeric or bytearray column (as Java's Math.min/max: a NaN wins, -0.0 is
    below 0.0), None for any other call (a MIN/MAX of another or no known type: the
    builtin's Final)."""
    out: list[str | None] = []
    for c in calls:
        t = _column_type(c) if c.func in ("MIN", "MAX") else None
        out.append("text" if t is DataType.CHARARRAY else "number" if t in _NUMBERS else None)
    return out


def _column_type(call: L.LEFunc) -> DataType | None:
    """The type of the one column of the bag an aggregate `call` reads, when its schema
    says it."""
    bag = call.args[0].field if call.args else None
    tuple_schema = bag.schema if bag is not None else None
    if tuple_schema is None or len(tuple_schema) != 1:
        return None
    inner = tuple_schema[0].schema
    if inner is None or len(inner) != 1:
        return None
    return inner[0].type


def single_finals(
    funcs: Sequence[str], finals: Sequence[Callable[[list], Any]], longs: Sequence[str | None] = ()
) -> Callable[[tuple], tuple]:
    """A GROUP's reduce side for a key whose values are ONE (key, partials) record: the
    tuple of every aggregate's Final of its partial, one generated function with the
    builtins' Finals inline (`finals[j]`, called with ``[partial]``, for any other);
    `longs`: which sums are wrapped as Java longs (`long_sums`)."""
    gen = Generator(None)
    parts = _single_parts(gen, funcs, finals, longs)
    gen.emit(0, "def finals(p):")
    gen.emit(1, "return (" + "".join(p + ", " for p in parts) + ")")
    return Pipeline("finals", "\n".join(gen.lines) + "\n", gen.ns).function()


def single_final_rows(
    funcs: Sequence[str],
    finals: Sequence[Callable[[list], Any]],
    head: str | tuple,
    longs: Sequence[str | None] = (),
) -> Callable[[list], list]:
    """`single_finals` of a batch of (key k, partials) records, one per group, as the
    FOREACH's rows, in one generated comprehension (no call per group): each row is the
    finals (`head` "finals"), k then the finals ("group"), or, `head` being the row of nulls
    a null key gives, the fields of the tuple k (FLATTEN(group)) then the finals."""
    gen = Generator(None)
    parts = "".join(p + ", " for p in _single_parts(gen, funcs, finals, longs))
    if head == "group":
        row = f"(k, {parts})"
    elif head == "finals":
        row = f"({parts})"
    else:
        gen.ns["_nulls"] = head
        row = f"(_nulls if k is None else k) + ({parts})"
    gen.emit(0, "def rows(values):")
    gen.emit(1, f"return [{row} for k, p in values]")
    return Pipeline("rows", "\n".join(gen.lines) + "\n", gen.ns).function()


def _single_parts(
    gen: Generator,
    funcs: Sequence[str],
    finals: Sequence[Callable[[list], Any]],
    longs: Sequence[str | None],
) -> list[str]:
    """The expression of each aggregate's Final of the partials ``p``."""
    parts = []
    if any(longs):
        gen.ns["_jl"] = java_long
    for j, func in enumerate(funcs):
        long = longs[j] if j < len(longs) else None
        if long is None:
            template = _SINGLE_FINALS.get(func)
        else:
            template = _LONG_FINALS.get((func, long == "int"))
        if template is None:
            parts.append(f"{gen.const('final', finals[j])}([p[{j}]])")
        else:
            parts.append(template.format(p=f"p[{j}]"))
    return parts


def multi_finals(
    funcs: Sequence[str],
    finals: Sequence[Callable[[list], Any]],
    longs: Sequence[str | None] = (),
    kinds: Sequence[str | None] = (),
) -> Callable[[list], tuple]:
    """A GROUP's reduce side for a key of SEVERAL (key, partials) records: the tuple of every
    aggregate's Final of the list of their partials, one generated function that folds the
    partials in one loop (COUNT's and AVG's counts added; SUM's and AVG's sums added, nulls
    skipped, a sum of integers exact and wrapped as a Java long once, at the end, as
    `longs` says; MIN/MAX compared as `kinds` says, `extremes`), the builtins' Finals for
    any other aggregate and for partials the loop cannot add or compare (the Finals then
    give the result or the error they always gave)."""
    gen = Generator(None)
    gen.ns["_fallback"] = lambda ps: tuple([f([p[j] for p in ps]) for j, f in enumerate(finals)])
    gen.ns["_jl"], gen.ns["_cs"] = java_long, copysign
    gen.ns["_u16lt"], gen.ns["_asc"] = utf16_less, str.isascii
    inits: list[str] = []
    updates: list[str] = []
    results: list[str] = []
    for j, func in enumerate(funcs):
        long = longs[j] if j < len(longs) else None
        kind = kinds[j] if j < len(kinds) else None
        a, x = f"_a{j}", f"p[{j}][0]"
        added = f"({a} if (_x := {x}) is None else _x if {a} is None else {a} + _x)"
        if func in ("COUNT", "COUNT_STAR"):  # partial counts are never null
            inits.append(f"{a} = {x}")
            updates.append(f"{a} = {a} + {x}")
            results.append(a)
        elif func in ("SUM", "AVG"):
            inits.append(f"{a} = {x}")
            updates.append(f"{a} = {added}")
            if long is None:  # a double's sum: + 0, DoubleSum's -0.0 is 0.0
                total = "(_x + 0)"
            else:  # several partials' sum may pass either end
                wrapped = "_x" if long == "int" else "_x + 0"
                total = f"({wrapped} if {LONG_MIN} <= _x <= {LONG_MAX} else _jl(_x))"
            if func == "SUM":
                results.append(f"(None if (_x := {a}) is None else {total})")
            else:
                c = f"_c{j}"
                inits.append(f"{c} = p[{j}][1]")
                updates.append(f"{c} = {c} + p[{j}][1]")
                results.append(f"(None if (_x := {a}) is None or not {c} else {total} / {c})")
        elif func in ("MIN", "MAX") and kind is not None:
            better = "<" if func == "MIN" else ">"
            if kind == "text":  # not a str: TypeError (str.isascii), the Finals decide
                lt = "_u16lt(_x, _p)" if func == "MIN" else "_u16lt(_p, _x)"
                takes = f"(_x {better} _p if _asc(_x) else {lt})"
            else:
                signed = f"_x == 0 == _p and _cs(1.0, _x) {better} _cs(1.0, _p)"
                takes = f"(_x {better} _p or _x != _x or {signed})"
            inits.append(f"{a} = {x}")
            updates.append(
                f"{a} = ({a} if (_x := {x}) is None else _x if (_p := {a}) is None"
                f" else _x if {takes} else _p)"
            )
            results.append(a)
        else:
            results.append(f"{gen.const('final', finals[j])}([p[{j}] for p in ps])")
    gen.emit(0, "def finals_n(ps):")
    if inits:
        gen.emit(1, "try:")
        gen.emit(2, "p = ps[0]")
        for line in inits:
            gen.emit(2, line)
        gen.emit(2, "for p in ps[1:]:")
        for line in updates:
            gen.emit(3, line)
        gen.emit(1, "except (TypeError, IndexError):")
        gen.emit(2, "return _fallback(ps)")
    gen.emit(1, "return (" + "".join(r + ", " for r in results) + ")")
    return Pipeline("finals_n", "\n".join(gen.lines) + "\n", gen.ns).function()
