"""Physical operators: LE* expressions compiled to closures, LO* operators to record functions.

Owns: turning the typed logical expressions into fast Python closures over tuples with Pig's
null semantics (compiled once per task, never per record), and the narrow relational operators
(FOREACH with FLATTEN and nested blocks, FILTER, SPLIT branches, UNION ONSCHEMA, SAMPLE) into
per-record functions ``t -> list of tuples``, chained into map/reduce pipelines.
Must not touch: job boundaries (mrcompiler.py), task wiring (runtime.py) or files.

A compiled expression is ``f(t) -> value``; `t` is a tuple (or a list, inside nested blocks,
where inner aliases live at fixed negative indexes past the input columns).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable, Mapping
from itertools import chain
from operator import itemgetter
from typing import Any

from piglatin import data
from piglatin import logical as L
from piglatin.builtins import BUILTINS, java_regex
from piglatin.schema import DataType

Fn = Callable[[Any], Any]
RecordFn = Callable[[tuple], list]

__all__ = ["Compiler", "chain_functions", "load_udf_module"]


def _const(v: Any) -> Fn:
    return lambda t: v


def _project(col: int) -> Fn:
    def f(t: Any) -> Any:
        try:
            return t[col]
        except IndexError:
            return None

    return f


def _arith(op: str, a: Fn, b: Fn, bits: int | None) -> Fn:
    """+ - * / % with nulls (and division by zero) giving null; integral results wrap to
    `bits` as Java's int/long arithmetic does; integer / truncates toward zero."""
    f = _ARITH[op](a, b)
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


def _div(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        if x is None or not y:
            return None
        if type(x) is int and type(y) is int:
            q = abs(x) // abs(y)
            return q if (x >= 0) == (y >= 0) else -q
        return x / y

    return f


def _mod(a: Fn, b: Fn) -> Fn:
    def f(t):
        x, y = a(t), b(t)
        if x is None or not y:
            return None
        r = abs(x) % abs(y)
        return r if x >= 0 else -r

    return f


_ARITH = {"+": _add, "-": _sub, "*": _mul, "/": _div, "%": _mod}


_CMP = {
    "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y,
    "<": lambda x, y: x < y,
    ">": lambda x, y: x > y,
    "<=": lambda x, y: x <= y,
    ">=": lambda x, y: x >= y,
}


def _compare(op: str, a: Fn, b: Fn) -> Fn:
    cmp = _CMP[op]

    def f(t):
        x, y = a(t), b(t)
        if x is None or y is None:
            return None
        try:
            return cmp(x, y)
        except TypeError:
            return cmp(data.sort_key(x), data.sort_key(y))

    return f


def _and(a: Fn, b: Fn) -> Fn:
    def f(t):
        x = a(t)
        if x is False:
            return False
        y = b(t)
        if y is False:
            return False
        return None if x is None or y is None else True

    return f


def _or(a: Fn, b: Fn) -> Fn:
    def f(t):
        x = a(t)
        if x is True:
            return True
        y = b(t)
        if y is True:
            return True
        return None if x is None or y is None else False

    return f


def _matches(a: Fn, pattern: L.LExpr, b: Fn) -> Fn:
    if isinstance(pattern, L.LEConst) and isinstance(pattern.value, str):
        rx = java_regex(pattern.value)

        def f(t):
            x = a(t)
            return None if x is None else rx.fullmatch(_text(x)) is not None

        return f

    def g(t):
        x, p = a(t), b(t)
        return (
            None
            if x is None or p is None
            else java_regex(_text(p)).fullmatch(_text(x)) is not None
        )

    return g


def _text(v: Any) -> str:
    return v.decode("utf-8", "replace") if type(v) is bytes else str(v)


def _caster(field: Any) -> Callable[[Any], Any]:
    """value -> value cast to the field's type (Pig's cast rules, failures to null)."""
    tname = field.dtype.value if hasattr(field, "dtype") else str(field)
    if tname in data.CASTS:
        fn = data.CASTS[tname]
        return lambda v: None if v is None else fn(v, None)
    inner = data.field_spec(field)[1] if hasattr(field, "dtype") else None
    return lambda v: data.cast(v, tname, None, inner)


def load_udf_module(path: str) -> Any:
    """Import a Python UDF file, with `outputSchema` (and friends) defined for its decorators."""
    from piglatin import udf

    name = "_pig_udf_" + str(abs(hash(path)))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    module.__dict__.update(udf.decorators())
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


class Compiler:
    """Compiles expressions and narrow operators of one plan.

    `scalars`: op id -> the one row of a relation used as a scalar; `udfs`: namespace ->
    file path of a registered Python UDF file (None key: files registered without AS)."""

    def __init__(
        self,
        scalars: Mapping[str, tuple | None] | None = None,
        udfs: Mapping[str | None, str] | None = None,
        replace: Mapping[int, Fn] | None = None,
        plan: L.LogicalPlan | None = None,
    ) -> None:
        self.scalars = dict(scalars or {})
        self.udfs = dict(udfs or {})
        self.replace = dict(replace or {})
        self.plan = plan  # for input widths (plain projections become itemgetters)

    # -- expressions ----------------------------------------------------------------------
    def expr(self, e: L.LExpr, inner: Mapping[str, int] | None = None) -> Fn:
        r = self.replace.get(id(e))
        if r is not None:
            return r
        inner = inner or {}
        sub = lambda x: self.expr(x, inner)
        if isinstance(e, L.LEProject):
            return (lambda t: tuple(t)) if e.column is None else _project(e.column)
        if isinstance(e, L.LEConst):
            return _const(e.value)
        if isinstance(e, L.LEBinary):
            return self._binary(e, sub)
        if isinstance(e, L.LECast):
            return self._cast(e, sub(e.operand))
        if isinstance(e, L.LEFunc):
            return self._func(e, [sub(a) for a in e.args])
        if isinstance(e, L.LEDeref):
            return _deref(sub(e.base), e.columns, e.base.type is DataType.BAG)
        if isinstance(e, L.LEUnary):
            return _unary(e.op, sub(e.operand))
        if isinstance(e, L.LEBinCond):
            c, a, b = sub(e.cond), sub(e.then), sub(e.otherwise)
            return lambda t: None if (x := c(t)) is None else (a(t) if x else b(t))
        if isinstance(e, L.LEInnerRef):
            return _project(inner[e.alias])
        if isinstance(e, L.LEMapLookup):
            base, key = sub(e.base), e.key
            return lambda t: None if (m := base(t)) is None else m.get(key)
        if isinstance(e, L.LETuple):
            items = [sub(i) for i in e.items]
            return lambda t: tuple([f(t) for f in items])
        if isinstance(e, L.LEBag):
            tuples = [sub(i) for i in e.items]
            return lambda t: [f(t) for f in tuples]
        if isinstance(e, L.LEMap):
            pairs = [(k, sub(v)) for k, v in e.pairs]
            return lambda t: {k: f(t) for k, f in pairs}
        if isinstance(e, L.LEScalar):
            return self._scalar(e)
        raise NotImplementedError(f"expression {type(e).__name__}")

    def _binary(self, e: L.LEBinary, sub: Callable[[L.LExpr], Fn]) -> Fn:
        a, b = sub(e.left), sub(e.right)
        op = e.op
        if op in ("+", "-", "*", "/", "%"):
            bits = {DataType.INT: 32, DataType.LONG: 64}.get(e.type)
            return _arith(op, a, b, bits)
        if op in _CMP:
            return _compare(op, a, b)
        if op == "and":
            return _and(a, b)
        if op == "or":
            return _or(a, b)
        if op == "matches":
            return _matches(a, e.right, b)
        raise NotImplementedError(f"operator {op}")

    def _cast(self, e: L.LECast, operand: Fn) -> Fn:
        if (
            e.operand.type is e.type
            and e.type.is_atomic
            and e.type is not DataType.FLOAT
        ):
            return operand
        conv = _caster(e.field)
        return lambda t: conv(operand(t))

    def _func(self, e: L.LEFunc, args: list[Fn]) -> Fn:
        fn = self._function(e)
        if len(args) == 1:
            a0 = args[0]
            return lambda t: fn(a0(t))
        if len(args) == 2:
            a0, a1 = args
            return lambda t: fn(a0(t), a1(t))
        return lambda t: fn(*[a(t) for a in args])

    def _function(self, e: L.LEFunc) -> Callable[..., Any]:
        if e.kind == "udf":
            ns, _, short = e.func.rpartition(".")
            path = self.udfs.get(ns) if ns in self.udfs else self.udfs.get(None)
            if path is None:
                raise NotImplementedError(f"function {e.func}: no registered UDF file")
            return getattr(load_udf_module(path), short if ns in self.udfs else e.func)
        builtin = BUILTINS[e.func]
        if e.ctor_args:
            builtin = builtin.configured(*[str(a) for a in e.ctor_args])
        return builtin.fn

    def _scalar(self, e: L.LEScalar) -> Fn:
        row = self.scalars.get(e.op_id)
        value = None if row is None or e.column >= len(row) else row[e.column]
        return _const(value)

    # -- relational -------------------------------------------------------------------------
    def predicate(self, cond: L.LExpr) -> Callable[[tuple], bool]:
        f = self.expr(cond)
        return lambda t: f(t) is True

    def foreach(self, op: L.LOForEach) -> RecordFn:
        """FOREACH: t -> list of output tuples (FLATTEN may give 0 or many)."""
        pre = self._nested_block(op.nested) if op.nested else None
        inner = {n.alias: i - len(op.nested) for i, n in enumerate(op.nested)}
        projection = None if pre is not None else self._projection(op)
        if projection is not None:
            return projection
        gen = self.generate(op.generate, inner)
        if pre is None:
            return gen
        return lambda t: gen(pre(t))

    def _projection(self, op: L.LOForEach) -> RecordFn | None:
        """GENERATE of plain columns of rows whose width the schema guarantees: itemgetter."""
        if self.plan is None or not op.generate or op.inputs[0] not in self.plan:
            return None
        schema = self.plan.op(op.inputs[0]).schema
        cols = []
        for g in op.generate:
            e = g.expr
            if (
                g.flatten
                or g.casts
                or not isinstance(e, L.LEProject)
                or e.column is None
                or id(e) in self.replace
            ):
                return None
            cols.append(e.column)
        if (
            schema is None
            or max(cols) >= len(schema)
            or not _exact_width(self.plan, op.inputs[0])
        ):
            return None
        if len(cols) == 1:
            c = cols[0]
            return _one_row(lambda t: (t[c],))
        return _one_row(itemgetter(*cols))

    def generate(
        self, items: tuple[L.GenerateItem, ...], inner: Mapping[str, int]
    ) -> RecordFn:
        fns = [self.expr(g.expr, inner) for g in items]
        if not any(g.flatten for g in items):
            if len(fns) == 1:
                f0 = fns[0]
                return _one_row(lambda t: (f0(t),))
            return _one_row(lambda t: tuple([f(t) for f in fns]))
        parts = [self._gen_part(g, f) for g, f in zip(items, fns)]
        if len(parts) == 1:
            return parts[0]

        def run(t):
            rows = [()]
            for part in parts:
                options = part(t)
                if len(options) == 1:
                    o = options[0]
                    rows = [r + o for r in rows]
                else:
                    rows = [r + o for r in rows for o in options]
            return rows

        return run

    def _gen_part(self, g: L.GenerateItem, f: Fn) -> Callable[[Any], list[tuple]]:
        """One GENERATE item as its list of alternatives (FLATTEN of a bag multiplies rows)."""
        width = len(g.fields) if g.fields is not None else None
        casts = (
            [None if c is None else _caster(c.value) for c in g.casts]
            if g.casts
            else None
        )
        if not g.flatten:
            return lambda t: [(f(t),)]

        def flat(t):
            v = f(t)
            tv = type(v)
            if tv is list:
                out = v
            elif tv is tuple:
                out = [v]
            elif v is None and width:
                out = [(None,) * width]
            else:
                out = [(v,)]
            if casts:
                out = [
                    tuple([c(x) if c else x for c, x in zip(casts, row)]) for row in out
                ]
            return out

        return flat

    def _nested_block(self, nested: tuple[L.NestedOp, ...]) -> Callable[[tuple], list]:
        k = len(nested)
        inner: dict[str, int] = {}
        steps = []
        for i, n in enumerate(nested):
            steps.append((i - k, self._nested_op(n, dict(inner))))
            inner[n.alias] = i - k

        def run(t):
            env = list(t)
            env.extend([None] * k)
            for slot, fn in steps:
                env[slot] = fn(env)
            return env

        return run

    def _nested_op(self, n: L.NestedOp, inner: Mapping[str, int]) -> Fn:
        src = self.expr(n.source, inner)
        if n.kind == "expr":
            return src
        if n.kind == "filter":
            p = self.predicate(n.cond)  # type: ignore[arg-type]
            return lambda t: None if (b := src(t)) is None else [x for x in b if p(x)]
        if n.kind == "limit":
            count = self.expr(n.count)(())  # type: ignore[arg-type]
            return lambda t: None if (b := src(t)) is None else list(b[:count])
        if n.kind == "distinct":

            def distinct(t):
                b = src(t)
                if b is None:
                    return None
                seen, out = set(), []
                for x in b:
                    key = data.sort_bytes(x)
                    if key not in seen:
                        seen.add(key)
                        out.append(x)
                return out

            return distinct
        if n.kind == "order":
            key = self.sort_key(n.keys)
            return lambda t: None if (b := src(t)) is None else sorted(b, key=key)
        if n.kind == "foreach":
            gen = self.generate(n.generate, {})
            return lambda t: (
                None if (b := src(t)) is None else [r for x in b for r in gen(x)]
            )
        raise NotImplementedError(f"nested {n.kind}")

    def sort_key(self, keys: tuple[L.SortKey, ...]) -> Callable[[tuple], bytes]:
        """tuple -> byte key in Pig's ORDER BY order (nulls first ascending)."""
        fns = [self.expr(k.expr) for k in keys]
        desc = [not k.ascending for k in keys]
        order_bytes = data.order_bytes
        if len(fns) == 1 and not desc[0]:
            f0, sb = fns[0], data.sort_bytes
            return lambda t: sb(f0(t))
        return lambda t: order_bytes([f(t) for f in fns], desc)

    def key_fn(self, exprs: tuple[L.LExpr, ...], width: int | None = None) -> Fn:
        """A GROUP/JOIN key: one value, or a tuple of values for several expressions.
        `width`: the input rows' known length (then a plain column is an itemgetter)."""
        if (
            len(exprs) == 1
            and isinstance(exprs[0], L.LEProject)
            and width
            and exprs[0].column is not None
            and exprs[0].column < width
            and id(exprs[0]) not in self.replace
        ):
            return itemgetter(exprs[0].column)
        fns = [self.expr(e) for e in exprs]
        if len(fns) == 1:
            return fns[0]
        return lambda t: tuple([f(t) for f in fns])

    def narrow(self, op: L.LogicalOperator, slot: int) -> RecordFn | None:
        """The per-record function of a narrow operator reached through input `slot`;
        None for the identity (SPLIT, plain UNION, sinks)."""
        if isinstance(op, L.LOForEach):
            return self.foreach(op)
        if isinstance(op, L.LOFilter):
            p = self.predicate(op.cond)  # type: ignore[arg-type]
            return lambda t: [t] if p(t) else []
        if isinstance(op, L.LOSplitOutput):
            if op.cond is not None:
                p = self.predicate(op.cond)
                return lambda t: [t] if p(t) else []
            others = [self.predicate(c) for c in op.others]
            return lambda t: [] if any(o(t) for o in others) else [t]
        if isinstance(op, L.LOUnion) and op.onschema and op.mapping:
            mapping = op.mapping[slot]
            width = len(op.schema) if op.schema is not None else max(mapping) + 1

            def remap(t):
                row = [None] * width
                for src, dst in enumerate(mapping):
                    if src < len(t):
                        row[dst] = t[src]
                return [tuple(row)]

            return remap
        if isinstance(op, L.LOSample):
            fraction = self.expr(op.fraction)(())  # type: ignore[arg-type]
            rnd = random.random
            return lambda t: [t] if rnd() < fraction else []
        return None


def _exact_width(plan: L.LogicalPlan, op_id: str) -> bool:
    """True when every row of `op_id` has exactly its schema's width: operators whose
    rows are built to the schema (a LOAD with AS pads and cuts; joins, FOREACH, GROUP)."""
    op = plan.op(op_id)
    if isinstance(op, L.LOLoad):
        return op.declared is not None
    if isinstance(
        op,
        (
            L.LOFilter,
            L.LOSort,
            L.LODistinct,
            L.LOLimit,
            L.LOSample,
            L.LOSplit,
            L.LOSplitOutput,
        ),
    ):
        return _exact_width(plan, op.inputs[0])
    if isinstance(op, L.LOUnion):
        return op.onschema or all(_exact_width(plan, i) for i in op.inputs)
    if isinstance(op, (L.LOJoin, L.LOCross)):
        return all(_exact_width(plan, i) for i in op.inputs)
    return isinstance(op, (L.LOForEach, L.LOCogroup))


def _deref(base: Fn, columns: tuple[int, ...], is_bag: bool) -> Fn:
    if is_bag:
        get = itemgetter(*columns)
        if len(columns) == 1:
            c = columns[0]

            def pb(t):
                b = base(t)
                if b is None:
                    return None
                return [(x[c] if c < len(x) else None,) for x in b]

            return pb
        return lambda t: None if (b := base(t)) is None else [tuple(get(x)) for x in b]
    if len(columns) == 1:
        c = columns[0]
        return lambda t: (
            None if (v := base(t)) is None else (v[c] if c < len(v) else None)
        )
    return lambda t: None if (v := base(t)) is None else tuple([v[c] for c in columns])


def _unary(op: str, a: Fn) -> Fn:
    if op == "neg":
        return lambda t: None if (x := a(t)) is None else -x
    if op == "not":
        return lambda t: None if (x := a(t)) is None else not x
    if op == "isnull":
        return lambda t: a(t) is None
    return lambda t: a(t) is not None


def chain_functions(
    fns: list[RecordFn | None], tail: Callable[[tuple], list]
) -> Callable[[tuple], list]:
    """Compose per-record functions front to back, ending in `tail` (t -> list of outputs)."""
    out = tail
    for fn in reversed([f for f in fns if f is not None]):
        out = _compose(fn, out)
    return out


def _one_row(one: Callable[[Any], tuple]) -> RecordFn:
    """A record function that always gives exactly one row; `.one` is its t -> row form,
    which `_compose` calls directly."""

    def fn(t):
        return [one(t)]

    fn.one = one  # type: ignore[attr-defined]
    return fn


def _compose(fn: RecordFn, nxt: Callable[[tuple], list]) -> Callable[[tuple], list]:
    one = getattr(fn, "one", None)
    if one is not None:
        return lambda t: nxt(one(t))
    many = getattr(nxt, "many", None)  # a tail that takes a whole batch of rows at once
    if many is not None:

        def batch(t):
            rows = fn(t)
            if not rows:
                return rows
            return many(rows)

        return batch

    def step(t):
        rows = fn(t)
        if not rows:
            return rows
        if len(rows) == 1:
            return nxt(rows[0])
        return list(_flatten(map(nxt, rows)))

    return step


_flatten = chain.from_iterable
