"""Generated code of a combined GROUP's reduce side: the Finals of a group's one partial.

Owns `single_finals` and `single_final_rows`: for a key whose shuffled values are ONE
(key, partials) record (a key of one map task, the common case of many distinct keys), the
aggregates' Finals of that partial spelled out inline in one generated function
(`codegen.Generator`, `codegen.Pipeline`: EXPLAIN prints it), the builtins' own Finals called
for any aggregate without an inline form. Must not touch: the map side's fold (codegen.py's
`AggTail`) or the grouping of the partials (aggregates.py, cogroupaggs.py).

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
from typing import Any

from piglatin.back.codegen import Generator, Pipeline
from piglatin.model.data import LONG_MAX, java_long
from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["long_sums", "single_final_rows", "single_finals"]


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
