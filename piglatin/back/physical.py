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

import random
from collections.abc import Callable, Mapping
from itertools import chain
from operator import itemgetter
from typing import Any

from piglatin.back.codegen import order_encoder
from piglatin.back.distinctparts import of_values
from piglatin.back.exprs import (
    CMP,
    and_,
    arith,
    caster,
    compare,
    compare_const,
    const,
    deref,
    flattened,
    load_udf_module,
    matches,
    or_,
    project,
    unary,
)
from piglatin.back.spillbag import BagBudget, PlainOrder, distinct_bag, sort_bag
from piglatin.functions.builtins import (
    BUILTINS,
    bag_to_string_with_floats,
    float_round_to,
    int_abs,
    long_abs,
    sprintf_with_floats,
    tokens,
    tokens_of_lines,
)
from piglatin.model import data
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L

Fn = Callable[[Any], Any]
RecordFn = Callable[[tuple], list]


# ------------------------------------------------------- what record functions tell each other
# `_compose` fuses a record function into the next by what it is, not by attributes on it.
@frozen_dataclass
class OneRow:
    """A record function that always gives exactly one row: `row` is its t -> row form, which
    `_compose` (and the aggregates' reduce side) call directly."""

    row: Callable[[Any], tuple]

    def __call__(self, t: Any) -> list[tuple]:
        return [self.row(t)]


@frozen_dataclass
class KeepIf:
    """A record function that keeps a row or drops it (FILTER, a SPLIT branch): `test` is
    its t -> bool form, which `_compose` and `rows_through` call directly."""

    test: Callable[[Any], bool]

    def __call__(self, t: Any) -> list[tuple]:
        return [t] if self.test(t) else []


@frozen_dataclass
class TokenWords:
    """The words of ``TOKENIZE(arg[, delimiters])`` of a row (None for a null input, whose
    FLATTEN is one null row); `first`: `arg` is the row's field 0 itself."""

    arg: Fn
    delimiters: Fn | None
    first: bool


@frozen_dataclass
class FlattenedWords:
    """``GENERATE FLATTEN(TOKENIZE(x))`` alone: one one-field row per word (`rows`), and the
    words themselves for a tail that only wants them (`words`)."""

    rows: RecordFn
    words: TokenWords

    def __call__(self, t: Any) -> list[tuple]:
        return self.rows(t)


@frozen_dataclass
class CountingTail:
    """A map tail that counts rows by key: one row (`row`), a whole FLATTENed bag at once
    (`rows`), and, when it only needs the rows' field 0, just those values (`keys`; None
    stands for the one null row of a null bag's FLATTEN)."""

    row: Callable[[tuple], list]
    rows: Callable[[list], list]
    keys: Callable[[list | None], list] | None = None

    def __call__(self, t: tuple) -> list:
        return self.row(t)


@frozen_dataclass
class WordCount:
    """FLATTEN(TOKENIZE(x)) into a `CountingTail`: `run` takes a row; when x is the field of a
    one-field input, `of_value(key, value)` takes the input value itself and `of_lines(keys,
    lines)` a batch of them (the job's map and map_batch)."""

    run: Callable[[tuple], list]
    of_value: Callable[[Any, str], list] | None = None
    of_lines: Callable[[Any, list[str]], list] | None = None

    def __call__(self, t: tuple) -> list:
        return self.run(t)


def per_row(tail: Callable[[tuple], list]) -> Callable[[tuple], list]:
    """`tail`'s plain one-row function (generated code calls it per row)."""
    return tail.row if isinstance(tail, CountingTail) else tail


__all__ = [
    "Compiler",
    "CountingTail",
    "KeepIf",
    "OneRow",
    "WordCount",
    "chain_functions",
    "load_udf_module",
    "per_row",
    "rows_through",
]


class Compiler:
    """Compiles expressions and narrow operators of one plan.

    `scalars`: op id -> the one row of a relation used as a scalar; `udfs`: namespace ->
    file path of a registered Python UDF file (None key: files registered without AS);
    `bags`: the task's bag budget (None: the defaults), for nested DISTINCT/ORDER; `warn`:
    the task's count of a Pig warning by its name (a division by zero's)."""

    def __init__(
        self,
        scalars: Mapping[str, tuple | None] | None = None,
        udfs: Mapping[str | None, str] | None = None,
        replace: Mapping[int, Fn] | None = None,
        plan: L.LogicalPlan | None = None,
        bags: BagBudget | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.bags = bags  # what nested DISTINCT/ORDER may hold before spilling (spillbag.py)
        self.warn = warn  # the task's warning counter (Pig's PigWarning): division by 0, casts
        self.scalars = dict(scalars or {})
        self.udfs = dict(udfs or {})
        self.replace = dict(replace or {})
        self.plan = plan  # for input widths (plain projections become itemgetters)
        self.width = 0  # while compiling an operator: the exact width of its input rows

    # -- expressions ----------------------------------------------------------------------
    def expr(self, e: L.LExpr, inner: Mapping[str, int] | None = None) -> Fn:
        r = self.replace.get(id(e))
        if r is not None:
            return r
        inner = inner or {}
        sub = lambda x: self.expr(x, inner)
        if isinstance(e, L.LEProject):
            if e.column is None:
                return lambda t: tuple(t)
            if e.column < self.width and not inner:  # rows are known to be this wide
                return itemgetter(e.column)
            return project(e.column)
        if isinstance(e, L.LEConst):
            return const(e.value)
        if isinstance(e, L.LEBinary):
            return self._binary(e, sub)
        if isinstance(e, L.LECast):
            return self._cast(e, sub(e.operand))
        if isinstance(e, L.LEFunc):
            return self._func(e, [sub(a) for a in e.args], inner)
        if isinstance(e, L.LEDeref):
            return deref(sub(e.base), e.columns, e.base.type is DataType.BAG)
        if isinstance(e, L.LEUnary):
            bits = {DataType.INT: 32, DataType.LONG: 64}.get(e.type)
            return unary(e.op, sub(e.operand), None if bits is None else -(1 << (bits - 1)))
        if isinstance(e, L.LEBinCond):
            c, a, b = sub(e.cond), sub(e.then), sub(e.otherwise)
            return lambda t: None if (x := c(t)) is None else (a(t) if x else b(t))
        if isinstance(e, L.LEInnerRef):
            return project(inner[e.alias])
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
            return arith(op, a, b, bits, self.warn, single=e.type is DataType.FLOAT)
        if op in CMP:
            if isinstance(e.right, L.LEConst) and id(e.right) not in self.replace:
                return compare_const(op, a, e.right.value)
            return compare(op, a, b)
        if op == "and":
            return and_(a, b)
        if op == "or":
            return or_(a, b)
        if op == "matches":
            return matches(a, e.right, b)
        raise NotImplementedError(f"operator {op}")

    def _cast(self, e: L.LECast, operand: Fn) -> Fn:
        if e.operand.type is e.type and e.type.is_atomic and e.type is not DataType.FLOAT:
            return operand
        if e.operand.type is DataType.FLOAT and e.type is DataType.CHARARRAY:
            text = data.float_text  # Float.toString
            return lambda t: None if (x := operand(t)) is None else text(x)
        conv = caster(e.field, self.warn)
        return lambda t: conv(operand(t))

    def _func(self, e: L.LEFunc, args: list[Fn], inner: Mapping[str, int] | None = None) -> Fn:
        fn = self.function(e)
        summed = self._sum_of_column(e, fn, inner or {})
        if summed is not None:
            return summed
        if len(args) == 1:
            a0 = args[0]
            return lambda t: fn(a0(t))
        if len(args) == 2:
            a0, a1 = args
            return lambda t: fn(a0(t), a1(t))
        return lambda t: fn(*[a(t) for a in args])

    def _sum_of_column(
        self, e: L.LEFunc, fn: Callable[[Any], Any], inner: Mapping[str, int]
    ) -> Fn | None:
        """``SUM(B.x)`` / ``AVG(B.x)`` of a bag in memory: the builtin of the column's
        values taken at once (`distinctparts.of_values`: C-level for numbers), not of a
        one-value row per value; a bag on disk or with a short row goes the builtin's way.
        None for any other call."""
        if e.kind != "builtin" or e.func not in ("SUM", "AVG") or e.ctor_args:
            return None
        arg = e.args[0] if len(e.args) == 1 else None
        if not isinstance(arg, L.LEDeref) or len(arg.columns) != 1 or id(arg) in self.replace:
            return None
        if arg.base.type is not DataType.BAG:
            return None
        base = self.expr(arg.base, inner)
        of_bag = deref(lambda b: b, arg.columns, True)  # the rows of the builtin's bag
        total, get = of_values(e.func, fn), itemgetter(arg.columns[0])

        def f(t):
            b = base(t)
            if type(b) is list:
                try:
                    return total(list(map(get, b)))
                except IndexError:  # a short row: its value is a null
                    pass
            return fn(of_bag(b))

        return f

    def function(self, e: L.LEFunc) -> Callable[..., Any]:
        """The callable a function call expression invokes (a builtin or a UDF)."""
        if e.kind == "udf":
            ns, _, short = e.func.rpartition(".")
            path = self.udfs.get(ns) if ns in self.udfs else self.udfs.get(None)
            if path is None:
                raise NotImplementedError(f"function {e.func}: no registered UDF file")
            return getattr(load_udf_module(path), short if ns in self.udfs else e.func)
        builtin = BUILTINS[e.func]
        if e.ctor_args:
            builtin = builtin.configured(*[str(a) for a in e.ctor_args])
        if e.func == "ROUND_TO" and e.args and e.args[0].type is DataType.FLOAT:
            return float_round_to  # Pig's FloatRoundTo
        if e.func == "ABS" and e.args and e.args[0].type in (DataType.INT, DataType.LONG):
            return int_abs if e.args[0].type is DataType.INT else long_abs  # IntAbs, LongAbs
        if e.func == "SPRINTF":  # its float arguments are java.lang.Floats (%s: Float.toString)
            floats = frozenset(
                i - 1 for i, a in enumerate(e.args) if i and a.type is DataType.FLOAT
            )
            if floats:
                return sprintf_with_floats(floats)
        if e.func == "BagToString" and e.args:  # its bag's float columns hold Floats
            cols = e.args[0].field.tuple_schema or ()
            floats = frozenset(i for i, f in enumerate(cols) if f.dtype is DataType.FLOAT)
            if floats:
                return bag_to_string_with_floats(floats)
        return builtin.fn

    def _scalar(self, e: L.LEScalar) -> Fn:
        row = self.scalars.get(e.op_id)
        value = None if row is None or e.column >= len(row) else row[e.column]
        return const(value)

    # -- relational -------------------------------------------------------------------------
    def predicate(self, cond: L.LExpr) -> Callable[[tuple], bool]:
        f = self.expr(cond)
        if isinstance(cond, L.LEBinary) and cond.op in CMP and id(cond) not in self.replace:
            return f  # a comparison gives True, False or None (null): its truth is the test
        return lambda t: f(t) is True

    def foreach(self, op: L.LOForEach) -> RecordFn:
        """FOREACH: t -> list of output tuples (FLATTEN may give 0 or many)."""
        pre = self._nested_block(op.nested) if op.nested else None
        inner = {n.alias: i - len(op.nested) for i, n in enumerate(op.nested)}
        projection = None if pre is not None else self._projection(op)
        if projection is not None:
            return projection
        self.width = self._input_width(op)
        try:
            gen = self.generate(op.generate, inner)
        finally:
            self.width = 0
        if pre is None:
            return gen
        return lambda t: gen(pre(t))

    def _input_width(self, op: L.LogicalOperator) -> int:
        """The width every input row of `op` has (0 when not guaranteed)."""
        if self.plan is None or op.inputs[0] not in self.plan:
            return 0
        schema = self.plan.op(op.inputs[0]).schema
        if schema is None or not _exact_width(self.plan, op.inputs[0]):
            return 0
        return len(schema)

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
        if schema is None or max(cols) >= len(schema) or not _exact_width(self.plan, op.inputs[0]):
            return None
        if len(cols) == 1:
            c = cols[0]
            return OneRow(lambda t: (t[c],))
        return OneRow(itemgetter(*cols))

    def generate(self, items: tuple[L.GenerateItem, ...], inner: Mapping[str, int]) -> RecordFn:
        fns = [self.expr(g.expr, inner) for g in items]
        if not any(g.flatten for g in items):
            if len(fns) == 1:
                f0 = fns[0]
                return OneRow(lambda t: (f0(t),))
            columns = [self._plain_column(g.expr, inner) for g in items]
            if None not in columns:  # plain columns: one C-level itemgetter
                return OneRow(itemgetter(*columns))
            if len(fns) == 2:  # (group, an aggregate): no loop, no list
                f0, f1 = fns
                return OneRow(lambda t: (f0(t), f1(t)))
            if len(fns) == 3:
                f0, f1, f2 = fns
                return OneRow(lambda t: (f0(t), f1(t), f2(t)))
            return OneRow(lambda t: tuple([f(t) for f in fns]))
        if all(g.expr.type is DataType.TUPLE and not g.casts for g in items if g.flatten):
            return self._one_row(items, fns)  # FLATTEN of tuples only: always one row
        parts = [self._gen_part(g, f) for g, f in zip(items, fns)]
        if len(parts) == 1:
            words = self._token_words(items[0], inner)
            return parts[0] if words is None else FlattenedWords(parts[0], words)

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

    def _plain_column(self, e: L.LExpr, inner: Mapping[str, int]) -> int | None:
        """The column `e` projects when `expr` compiled it to ``itemgetter(column)``."""
        if (
            isinstance(e, L.LEProject)
            and e.column is not None
            and e.column < self.width
            and not inner
            and id(e) not in self.replace
        ):
            return e.column
        return None

    def _token_words(self, g: L.GenerateItem, inner: Mapping[str, int]) -> TokenWords | None:
        """``FLATTEN(TOKENIZE(x[, delimiters]))`` as a `TokenWords` (for a tail that only wants
        the words, `_compose`); None for anything else."""
        e = g.expr
        if not (g.flatten and not g.casts and isinstance(e, L.LEFunc)):
            return None
        if e.kind != "builtin" or e.func != "TOKENIZE" or not 1 <= len(e.args) <= 2:
            return None
        args = [self.expr(a, inner) for a in e.args]
        first = len(args) == 1 and self._plain_column(e.args[0], inner) == 0
        return TokenWords(args[0], args[1] if len(args) == 2 else None, first)

    @staticmethod
    def _one_row(items: tuple[L.GenerateItem, ...], fns: list[Fn]) -> OneRow:
        """GENERATE whose FLATTENs are all of tuples (``FLATTEN(group)`` of a multi-field
        key): the row is the items' fields in order, a null tuple giving one null (Pig
        0.17's POForEach.createTuple), as `_gen_part` gives it."""
        pieces: list[Callable[[Any], tuple]] = []
        for g, f in zip(items, fns):
            if not g.flatten:
                pieces.append(lambda t, f=f: (f(t),))
                continue
            nulls = (None,)
            pieces.append(lambda t, f=f, nulls=nulls: nulls if (v := f(t)) is None else v)
        if len(pieces) == 1:
            return OneRow(pieces[0])
        if len(pieces) == 2:
            first, second = pieces
            return OneRow(lambda t: first(t) + second(t))
        return OneRow(lambda t: tuple(chain.from_iterable([p(t) for p in pieces])))

    def _gen_part(self, g: L.GenerateItem, f: Fn) -> Callable[[Any], list[tuple]]:
        """One GENERATE item as its list of alternatives (FLATTEN of a bag multiplies rows)."""
        width = len(g.fields) if g.fields is not None else None
        warn = self.warn
        casts = [None if c is None else caster(c.value, warn) for c in g.casts] if g.casts else None
        if not g.flatten:
            return lambda t: [(f(t),)]
        nulls = [(None,)]  # a null bag or tuple: one null field (POForEach.createTuple)
        if g.expr.type is DataType.BAG and not casts:  # the type is known: no runtime checks
            return lambda t: nulls if (v := f(t)) is None else v
        if g.expr.type is DataType.TUPLE and not casts:
            return lambda t: nulls if (v := f(t)) is None else [v]

        return lambda t: flattened(f(t), width, casts)

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
        if n.kind == "distinct":  # past the task's bag budget: sorted runs on disk, merged
            bags = self.bags
            return lambda t: None if (b := src(t)) is None else distinct_bag(b, bags)
        if n.kind == "order":
            key, bags, plain = self.sort_key(n.keys), self.bags, self._plain_order(n.keys)
            return lambda t: None if (b := src(t)) is None else sort_bag(b, key, bags, plain)
        if n.kind == "foreach":
            gen = self.generate(n.generate, {})
            return lambda t: None if (b := src(t)) is None else [r for x in b for r in gen(x)]
        raise NotImplementedError(f"nested {n.kind}")

    def _plain_order(self, keys: tuple[L.SortKey, ...]) -> PlainOrder | None:
        """The keys as a `PlainOrder` when each is a plain column and all go one way."""
        cols = []
        for k in keys:
            e = k.expr
            if not isinstance(e, L.LEProject) or e.column is None or id(e) in self.replace:
                return None
            cols.append(e.column)
        if len({k.ascending for k in keys}) != 1:
            return None
        return PlainOrder(tuple(cols), not keys[0].ascending)

    def sort_key(self, keys: tuple[L.SortKey, ...]) -> Callable[[tuple], bytes]:
        """tuple -> byte key in Pig's ORDER BY order (nulls first ascending)."""
        fns = [self.expr(k.expr) for k in keys]
        desc = [not k.ascending for k in keys]
        if len(fns) == 1 and not desc[0]:
            f0, sb = fns[0], data.sort_bytes
            return lambda t: sb(f0(t))
        enc = order_encoder([k.expr.type for k in keys], desc)  # data.order_bytes, generated
        if len(fns) == 1:
            f0 = fns[0]
            return lambda t: enc((f0(t),))
        return lambda t: enc([f(t) for f in fns])

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
            self.width = self._input_width(op)
            try:
                p = self.predicate(op.cond)  # type: ignore[arg-type]
            finally:
                self.width = 0
            return KeepIf(p)
        if isinstance(op, L.LOSplitOutput):
            if op.cond is not None:
                return KeepIf(self.predicate(op.cond))
            # OTHERWISE is Pig's NOT (c1 OR c2 ...): true only when every condition is false
            # (a null one makes it null, and the row goes to no output)
            others = [self.expr(c) for c in op.others]
            return KeepIf(lambda t: all(o(t) is False for o in others))
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
    rows are built to the schema (a LOAD with AS pads and cuts; joins, FOREACH, GROUP),
    but not a FOREACH that FLATTENs a bag or tuple of other than one field (a null one
    gives one null field: the row is shorter, and a projection past its end is null, as
    Pig's POProject gives for ACCESSING_NON_EXISTENT_FIELD)."""
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
    if isinstance(op, L.LOForEach):  # a null bag or tuple FLATTENs to ONE null field
        return not any(
            g.flatten and g.fields is not None and len(g.fields) != 1 for g in op.generate
        )
    return isinstance(op, L.LOCogroup)


def chain_functions(
    fns: list[RecordFn | None], tail: Callable[[tuple], list]
) -> Callable[[tuple], list]:
    """Compose per-record functions front to back, ending in `tail` (t -> list of outputs)."""
    out = tail
    for fn in reversed([f for f in fns if f is not None]):
        out = _compose(fn, out)
    return out


def _tokens_batch(many_keys: Callable[[list], Any]) -> Callable[[Any, list[str]], list]:
    """(keys, lines) -> outputs of FLATTEN(TOKENIZE(line)) into a count tail, a few dozen lines
    per call: fewer calls than one per line, while the words just split are still in cache."""

    def batch(_keys: Any, lines: list[str]) -> list:
        out: list = []
        for i in range(0, len(lines), _TOKEN_LINES):
            flushed = many_keys(tokens_of_lines(lines[i : i + _TOKEN_LINES]))
            if flushed:
                out += flushed
        return out

    return batch


_TOKEN_LINES = 64


def rows_through(fns: list[RecordFn | None]) -> Callable[[list], list]:
    """`chain_functions` of `fns` (ending in no tail) over a whole list of rows at once, in
    the same order: a FILTER's test is one pass over the rows, a one-row FOREACH one C-level
    ``map``, any other function runs per row."""
    steps: list[Callable[[list], list]] = []
    for fn in fns:
        if fn is None:
            continue
        if isinstance(fn, KeepIf):
            steps.append(lambda rows, test=fn.test: list(filter(test, rows)))
        elif isinstance(fn, OneRow):
            steps.append(lambda rows, row=fn.row: list(map(row, rows)))
        else:
            steps.append(lambda rows, f=fn: [o for t in rows for o in f(t)])
    if len(steps) == 1:
        return steps[0]

    def through(rows: list) -> list:
        for step in steps:
            if not rows:
                break
            rows = step(rows)
        return rows

    return through


def _compose(fn: RecordFn, nxt: Callable[[tuple], list]) -> Callable[[tuple], list]:
    if isinstance(fn, OneRow):
        row = fn.row
        return lambda t: nxt(row(t))
    if isinstance(fn, KeepIf):
        test, keep = fn.test, per_row(nxt)
        return lambda t: keep(t) if test(t) else []
    if isinstance(nxt, CountingTail):
        if isinstance(fn, FlattenedWords) and nxt.keys is not None:
            return _count_words(fn.words, nxt.keys)
        many = nxt.rows  # a tail that takes a whole batch of rows at once

        def batch(t):
            rows = fn(t)
            if not rows:
                return rows
            return many(rows)

        return batch
    if isinstance(fn, FlattenedWords):
        fn = fn.rows

    def step(t):
        rows = fn(t)
        if not rows:
            return rows
        if len(rows) == 1:
            return nxt(rows[0])
        return list(_flatten(map(nxt, rows)))

    return step


def _count_words(words: TokenWords, keys: Callable[[list | None], list]) -> WordCount:
    """FLATTEN(TOKENIZE(x)) into a tail that counts the words: a record costs one call."""
    arg = words.arg
    if words.delimiters is not None:
        delimiters = words.delimiters
        return WordCount(lambda t: keys(tokens(arg(t), delimiters(t))))
    if not words.first:
        return WordCount(lambda t: keys(tokens(arg(t))))
    return WordCount(
        lambda t: keys(tokens(arg(t))),
        lambda _key, v: keys(tokens(v)),  # the one-field input's value is x itself
        _tokens_batch(keys),  # a batch of text lines at once (the job's map_batch)
    )


_flatten = chain.from_iterable
