"""AST -> LogicalPlan: alias resolution, schema propagation and type checking.

Owns: turning `ast.Script` into a `logical.LogicalPlan` exactly as Pig's front end
does — GROUP gives `group` plus one bag per input named after its alias, JOIN and
CROSS prefix fields `A::x`, FLATTEN expands, LOAD without AS has an unknown schema,
AS with names only gives bytearray.  Expressions are typed, with Pig's implicit casts
inserted, by `ExprTyper`; function names are resolved by `Functions`.
Compile-time errors carry file, line and column and suggest close names.
Must not touch: parsing (parser.py), optimisation or execution.

>>> plan = build_text("A = LOAD 'x' AS (n:chararray, a:int); B = GROUP A BY n;")
>>> plan.describe("B")
'B: {group: chararray,A: {(n: chararray,a: int)}}'
"""

from __future__ import annotations

import ast as pyast
import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from pathlib import Path

from dfs.fastclass import dataclass
from piglatin.errors import (
    PigError,
    PlanError,
    SchemaError,
    TypeCheckError,
    UndefinedAliasError,
    UnknownFunctionError,
    suggest,
)
from piglatin.front import ast as A
from piglatin.front.macros import MacroTable
from piglatin.model.data import to_float32
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import (
    AmbiguousFieldError,
    DataType,
    FieldSchema,
    Schema,
    bag_field,
    bag_of,
    describe_alias,
    merge_field,
    merge_union,
    wider_numeric,
)
from piglatin.plan import logical as L

log = logging.getLogger(__name__)

T = DataType
BOOL = FieldSchema(None, T.BOOLEAN)
JOIN_STRATEGIES = ("hash", "replicated", "skewed", "merge")
_JOIN_SYNONYMS = {"default": "hash", "repl": "replicated", "merge-sparse": "merge"}
_OP_NAMES = {
    "+": "Add",
    "-": "Subtract",
    "*": "Multiply",
    "/": "Divide",
    "%": "Mod",
    "==": "Equal",
    "!=": "NotEqual",
    "<": "LessThan",
    ">": "GreaterThan",
    "<=": "LessThanEqual",
    ">=": "GreaterThanEqual",
    "matches": "Regexp",
}
_CONST_TYPES = {
    "int": T.INT,
    "long": T.LONG,
    "float": T.FLOAT,
    "double": T.DOUBLE,
    "chararray": T.CHARARRAY,
    "boolean": T.BOOLEAN,
    "null": T.BYTEARRAY,
}


def _at(node: object) -> dict[str, int]:
    return {"line": getattr(node, "line", 0) or None, "column": getattr(node, "column", 0) or None}


# ----------------------------------------------------------------- functions
ReturnRule = Callable[[list[FieldSchema]], FieldSchema]


def _inner_type(args: list[FieldSchema]) -> DataType:
    """Type of the first column of the bag argument (bytearray when unknown)."""
    if args and args[0].tuple_schema is not None and len(args[0].tuple_schema):
        return args[0].tuple_schema.fields[0].dtype
    return T.BYTEARRAY


def _sum_type(args: list[FieldSchema]) -> FieldSchema:
    t = _inner_type(args)
    return FieldSchema(None, T.LONG if t in (T.INT, T.LONG) else T.DOUBLE)


def _minmax_type(args: list[FieldSchema]) -> FieldSchema:
    t = _inner_type(args)
    return FieldSchema(None, T.DOUBLE if t is T.BYTEARRAY else t)


def _tokenize(args: list[FieldSchema]) -> FieldSchema:
    src = args[0].name if args and args[0].name else None
    name = f"bag_of_tokenTuples_from_{src}" if src else "bag_of_tokenTuples"
    return FieldSchema(
        name, T.BAG, bag_of(Schema((FieldSchema("token", T.CHARARRAY),)), "tuple_of_tokens")
    )


def _same_as_arg(i: int) -> ReturnRule:
    return lambda args: (
        FieldSchema(None, args[i].dtype, args[i].schema)
        if len(args) > i
        else FieldSchema(None, T.BYTEARRAY)
    )


def _round(args: list[FieldSchema]) -> FieldSchema:
    """ROUND: Pig's best-fit match takes FloatRound (an int) for a float, int or long (the
    cast to float scores lowest) and ROUND (a long) for a double."""
    t = args[0].dtype if args else T.DOUBLE
    return FieldSchema(None, T.INT if t in (T.FLOAT, T.INT, T.LONG) else T.LONG)


def _tobag(args: list[FieldSchema]) -> FieldSchema:
    types = {a.dtype for a in args}
    if len(types) == 1 and args[0].dtype is not T.TUPLE:
        return FieldSchema(
            None, T.BAG, bag_of(Schema((FieldSchema(None, args[0].dtype, args[0].schema),)))
        )
    return FieldSchema(None, T.BAG, None)


def _nested_cross(args: list[FieldSchema]) -> FieldSchema:
    """A nested CROSS's bag: each bag's fields as `bag::field` (Pig's disambiguated names)."""
    fields: list[FieldSchema] = []
    for a in args:
        cols = a.tuple_schema if a.dtype is T.BAG else None
        if cols is None:
            return FieldSchema(None, T.BAG, None)
        fields += [f.renamed(f"{a.name}::{f.name}" if a.name and f.name else f.name) for f in cols]
    return FieldSchema(None, T.BAG, bag_of(Schema(tuple(fields))))


def _map_values(args: list[FieldSchema]) -> FieldSchema:
    """VALUESET/VALUELIST: a bag of the map's value type (bytearray when not declared)."""
    inner = args[0].schema.fields[0].dtype if args and args[0].schema else T.BYTEARRAY
    return FieldSchema(None, T.BAG, bag_of(Schema((FieldSchema(None, inner),))))


def _pair_stats() -> FieldSchema:
    """COR/COV: a bag of (name, name, value) for each pair of their bags."""
    pair = (FieldSchema(None, T.CHARARRAY), FieldSchema(None, T.CHARARRAY))
    return FieldSchema(None, T.BAG, bag_of(Schema((*pair, FieldSchema(None, T.DOUBLE)))))


def _tomap(args: Sequence[FieldSchema]) -> FieldSchema:
    """TOMAP.outputSchema (Pig 0.16+, PIG-4674): the map's value type is the one type of
    every value argument, or of the second field of a pair bag's tuples; map[] when they
    differ or are bytearray."""
    value: DataType | None = None
    if len(args) == 1:
        inner = args[0].schema
        pairs = inner.fields[0].schema if inner is not None and len(inner) == 1 else None
        if pairs is not None and len(pairs) > 1:
            value = pairs.fields[1].dtype
    else:
        types = {a.dtype for a in args[1::2]}
        value = types.pop() if len(types) == 1 else None
    if value is None or value is T.BYTEARRAY:
        return FieldSchema(None, T.MAP)
    return FieldSchema(None, T.MAP, Schema((FieldSchema(None, value),)))


#: the argument types Pig's best-fit match sends to a builtin's float variant
_TO_FLOAT = (T.FLOAT, T.INT, T.LONG)


def _fixed(t: DataType) -> ReturnRule:
    return lambda args: FieldSchema(None, t)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Output schemas of the builtins whose result type depends on, or is richer than, a
# plain type name (Pig's Built In Functions docs); the runtime table covers the rest.
_RETURNS: dict[str, ReturnRule] = {
    "SUM": _sum_type,
    "MIN": _minmax_type,
    "MAX": _minmax_type,
    "TOKENIZE": _tokenize,
    "DIFF": lambda a: FieldSchema(None, T.BAG, a[0].schema if a else None),
    "TOP": lambda a: FieldSchema(None, T.BAG, a[2].schema if len(a) > 2 else None),
    "TOTUPLE": lambda a: FieldSchema(None, T.TUPLE, Schema(tuple(a))),
    "TOBAG": _tobag,
    "CROSS": _nested_cross,
    "ABS": _same_as_arg(0),
    "ROUND": _round,
    # FloatRoundTo for a float, int or long (cast to float: `_funccall`), else ROUND_TO
    "ROUND_TO": lambda a: FieldSchema(None, T.FLOAT if a and a[0].dtype in _TO_FLOAT else T.DOUBLE),
    "CubeDimensions": lambda a: FieldSchema("dimensions", T.BAG, bag_of(Schema(tuple(a)))),
    "SUBTRACT": lambda a: FieldSchema(None, T.BAG, a[0].schema if a else None),
    "KEYSET": lambda a: FieldSchema(
        None, T.BAG, bag_of(Schema((FieldSchema(None, T.CHARARRAY),)))
    ),
    "VALUESET": _map_values,
    "VALUELIST": _map_values,
    "REGEX_SEARCH": lambda a: FieldSchema(
        None, T.BAG, bag_of(Schema((FieldSchema("match", T.CHARARRAY),)))
    ),
    "INVERSEMAP": lambda a: FieldSchema(None, T.MAP),
    "TOMAP": lambda a: _tomap(a),
    "COR": lambda a: _pair_stats(),
    "COV": lambda a: _pair_stats(),
    "UniqueID": lambda a: FieldSchema("uniqueid", T.CHARARRAY),
    "BuildBloom": lambda a: FieldSchema(None, T.BYTEARRAY),
    **dict.fromkeys(("HiveUDF", "HiveUDAF", "HiveUDTF"), lambda a: FieldSchema(None, T.BYTEARRAY)),
    "Bloom": lambda a: FieldSchema(None, T.BOOLEAN),
    "RollupDimensions": lambda a: FieldSchema("dimensions", T.BAG, bag_of(Schema(tuple(a)))),
}
_FIXED_RETURNS = {
    T.LONG: "COUNT COUNT_STAR SIZE ToUnixTime ToMilliSeconds YearsBetween MonthsBetween "
    "WeeksBetween DaysBetween HoursBetween MinutesBetween SecondsBetween MilliSecondsBetween",
    T.DOUBLE: "AVG RANDOM CEIL FLOOR SQRT CBRT LOG LOG10 EXP SIN COS TAN ASIN ACOS ATAN SINH "
    "COSH TANH",
    T.INT: "INDEXOF LAST_INDEX_OF GetYear GetMonth GetDay GetHour GetMinute GetSecond "
    "GetMilliSecond GetWeek GetWeekYear",
    T.CHARARRAY: "LOWER UPPER TRIM LTRIM RTRIM SUBSTRING REPLACE REGEX_EXTRACT UCFIRST "
    "LCFIRST ToString",
    T.BOOLEAN: "IsEmpty STARTSWITH ENDSWITH EqualsIgnoreCase Assert",
    T.TUPLE: "BagToTuple STRSPLIT REGEX_EXTRACT_ALL",
    T.DATETIME: "ToDate CurrentTime",
}
for _type, _fns in _FIXED_RETURNS.items():
    _RETURNS.update({name: _fixed(_type) for name in _names(_fns)})

# Pig picks the typed variant of these builtins, so a bytearray argument is cast
_STRING_FUNCS = _names(
    "LOWER UPPER TRIM LTRIM RTRIM SUBSTRING INDEXOF LAST_INDEX_OF REPLACE STRSPLIT STRSPLITTOBAG "
    "REGEX_EXTRACT REGEX_EXTRACT_ALL STARTSWITH ENDSWITH EqualsIgnoreCase UCFIRST LCFIRST "
    "TOKENIZE ToDate"
)
_MATH_FUNCS = _names(
    "ABS CEIL FLOOR ROUND SQRT CBRT LOG LOG10 EXP SIN COS TAN ASIN ACOS ATAN SINH COSH TANH"
)
_ARG_CASTS = {**{n: T.CHARARRAY for n in _STRING_FUNCS}, **{n: T.DOUBLE for n in _MATH_FUNCS}}
_BAG_FUNCS = ("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX")


def _check_build_bloom(ctor: tuple, e: A.FuncCall) -> None:
    """BuildBloom's constructor arguments, checked when the script is built (Pig's
    BuildBloomBase fails in the task)."""
    from piglatin.functions.bloom import build_bloom_factory  # only for this call

    if not ctor:
        raise PlanError(
            "BuildBloom needs its parameters: DEFINE bb BuildBloom('jenkins', '100', '0.1');",
            **_at(e),
        )
    try:
        build_bloom_factory(*[str(a) for a in ctor])
    except ValueError as err:
        raise PlanError(f"BuildBloom: {err}", **_at(e)) from None


def _check_invoker(func: str, ctor: tuple, nargs: int, e: A.FuncCall) -> None:
    """A dynamic invoker's method and argument classes, checked when the script is built."""
    from piglatin.functions.invokers import check_invoker  # only for this call

    if not ctor:
        raise PlanError(
            f"{func} needs the method: DEFINE f {func}('java.lang.Math.abs', 'double');",
            **_at(e),
        )
    try:
        kinds = check_invoker(str(ctor[0]), str(ctor[1]) if len(ctor) > 1 else "")
    except ValueError as err:
        raise PlanError(f"{func}: {err}", **_at(e)) from None
    if len(kinds) != nargs:
        raise PlanError(
            f"{func}('{ctor[0]}') takes {len(kinds)} argument(s) as declared, got {nargs}",
            **_at(e),
        )


def _pluck(e: A.FuncCall, args: list[L.LExpr], ctor: tuple) -> L.LExpr:
    """PluckTuple(prefix[, match]) of the arguments (PluckTuple.java): a tuple `plucked` of
    the arguments whose names start with the prefix or match it as a regular expression
    (with match 'false': of the others) - a TOTUPLE of them."""
    if not ctor:
        raise SchemaError(
            "PluckTuple needs a prefix: DEFINE pluck PluckTuple('a::');", code=1070, **_at(e)
        )
    prefix = str(ctor[0])
    keep = str(ctor[1]).lower() == "true" if len(ctor) > 1 else True
    try:
        pattern = re.compile(prefix)
    except re.error as err:
        raise SchemaError(f"PluckTuple: bad regular expression {prefix!r}: {err}", **_at(e)) from None
    chosen = []
    for a in args:
        name = a.field.name or ""
        hit = name.startswith(prefix) or pattern.fullmatch(name) is not None
        if hit == keep:
            chosen.append(a)
    out = FieldSchema("plucked", T.TUPLE, Schema(tuple(a.field for a in chosen)))
    return L.LEFunc(e.name, "TOTUPLE", "builtin", tuple(chosen), out, ())


def _no_match(func: str, node: A.Node) -> TypeCheckError:
    return TypeCheckError(
        f"Could not infer the matching function for org.apache.pig.builtin.{func} as multiple "
        "or none of them fit. Please use an explicit cast.",
        code=1045,
        **_at(node),
    )


def _check_arg_count(func: str, nargs: int, builtin: object, node: A.Node) -> None:
    """A builtin that declares its argument schemas (Pig's getArgToFuncMapping: the ones in
    builtins.ARG_TYPES, the bag aggregates, TOP) is called with as many arguments as one
    of them has: Pig's best-fit match finds none otherwise (fitPossible: INF), ERROR 1045."""
    from piglatin.functions.builtins import ARG_TYPES

    if func not in ARG_TYPES and func not in _BAG_FUNCS and func != "TOP":
        return
    low, high = getattr(builtin, "min_args", 0), getattr(builtin, "max_args", None)
    if nargs < low or (high is not None and nargs > high):
        raise _no_match(func, node)


def _check_bag_arg(func: str, args: list, node: A.Node) -> None:
    """Aggregates take a bag (SUM/AVG of numbers): Pig's ERROR 1045 otherwise."""
    first = args[0].type if args else None
    ok = first in (T.BAG, T.BYTEARRAY)
    if ok and func in ("SUM", "AVG") and first is T.BAG:
        inner = _inner_type([args[0].field])
        ok = inner.is_numeric or inner is T.BYTEARRAY
    if not ok:
        raise _no_match(func, node)


#: the implicit casts Pig's type checker allows when it matches a function's argument types
#: (besides bytearray and a null constant, which go to any type)
_WIDENS_TO = {
    T.INT: {T.LONG, T.FLOAT, T.DOUBLE},
    T.LONG: {T.FLOAT, T.DOUBLE},
    T.FLOAT: {T.DOUBLE},
}


def _check_arg_types(func: str, args: list, node: A.Node) -> None:
    """A builtin with declared argument types (builtins.ARG_TYPES) takes at each position an
    argument of that type or one Pig casts to it implicitly: Pig's ERROR 1045 otherwise."""
    try:
        from piglatin.functions.builtins import ARG_TYPES
    except ImportError:  # the runtime table is broken: the run-time call reports it
        return
    declared = ARG_TYPES.get(func, ())
    if declared and declared[-1].endswith("..."):  # Pig's VARARG: the last type repeats
        last = declared[-1].removesuffix("...")
        declared = (*declared[:-1], *[last] * max(len(args) - len(declared) + 1, 0))
    for arg, wanted in zip(args, declared, strict=False):
        accepted = {DataType(t) for t in wanted.split("|")}
        t = arg.type
        widened = _WIDENS_TO.get(t, set())
        if t is T.BYTEARRAY or _is_null(arg) or t in accepted or widened & accepted:
            continue
        raise _no_match(func, node)


def _registry() -> Mapping[str, object]:
    """The runtime builtin table (piglatin.functions.builtins.BUILTINS) when it exists."""
    try:
        from piglatin.functions.builtins import BUILTINS  # type: ignore[attr-defined]
    except ImportError:  # not written yet, or broken: fall back to the local table
        return {}
    return BUILTINS


UdfSchemaHook = Callable[[str, str | None, str], "FieldSchema | None"]


def python_output_schema(
    path: Path, name: str, args: Sequence[FieldSchema] = ()
) -> FieldSchema | None:
    """The `@outputSchema("word:chararray")` of `def name` in a Python UDF file, read
    without running it; or, for `@outputSchemaFunction("f")`, what the schema function f
    returns when that is readable the same way (udf.xml's identity ``return input``: the
    arguments' schema, so `square(n)` of an int is an int; or a quoted schema); None when
    the file, the function or the decorator is missing, or f does something else."""
    try:
        tree = pyast.parse(path.read_text())
    except (OSError, SyntaxError, ValueError):
        return None
    defs = {n.name: n for n in pyast.walk(tree) if isinstance(n, pyast.FunctionDef)}
    node = defs.get(name)
    if node is None:
        return None
    for dec in node.decorator_list:
        text = _decorator_text(dec)
        if text is not None:
            return _schema_field(text)
        schema_fn = _decorator_text(dec, "outputSchemaFunction")
        if schema_fn is not None and schema_fn in defs:
            return _schema_function_result(defs[schema_fn], args)
    return None


def _schema_function_result(fn: pyast.FunctionDef, args: Sequence[FieldSchema]) -> FieldSchema | None:
    """A schema function whose body is ``return <its parameter>`` (the input schema) or
    ``return "<schema>"``; None for anything else (its result is then bytearray)."""
    body = [b for b in fn.body if not (isinstance(b, pyast.Expr) and isinstance(b.value, pyast.Constant))]
    if len(body) != 1 or not isinstance(body[0], pyast.Return) or body[0].value is None:
        return None
    value = body[0].value
    params = [a.arg for a in fn.args.args]
    if isinstance(value, pyast.Name) and params and value.id == params[0]:
        if len(args) == 1:
            return args[0]
        return FieldSchema(None, T.TUPLE, Schema(tuple(args))) if args else None
    if isinstance(value, pyast.Constant) and isinstance(value.value, str):
        return _schema_field(value.value)
    return None


def python_names(path: Path) -> set[str] | None:
    """Every name a Python UDF file binds anywhere (defs, classes, assignments, imports),
    read without running it; None when that cannot be known (unreadable, a star import)."""
    try:
        tree = pyast.parse(path.read_text())
    except (OSError, SyntaxError, ValueError):
        return None
    names: set[str] = set()
    for node in pyast.walk(tree):
        if isinstance(node, (pyast.FunctionDef, pyast.AsyncFunctionDef, pyast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, pyast.Name) and isinstance(node.ctx, pyast.Store):
            names.add(node.id)
        elif isinstance(node, (pyast.Import, pyast.ImportFrom)):
            if any(a.name == "*" for a in node.names):
                return None
            names.update((a.asname or a.name).partition(".")[0] for a in node.names)
    return names


def _decorator_text(dec: pyast.expr, decorator: str = "outputSchema") -> str | None:
    if not (isinstance(dec, pyast.Call) and dec.args and isinstance(dec.args[0], pyast.Constant)):
        return None
    fn = dec.func
    fname = fn.attr if isinstance(fn, pyast.Attribute) else getattr(fn, "id", "")
    return (
        dec.args[0].value
        if fname == decorator and isinstance(dec.args[0].value, str)
        else None
    )


def _schema_field(text: str) -> FieldSchema | None:
    from piglatin.front.parser import parse_schema  # late: the parser is a sibling stage

    try:
        schema = parse_schema(text).normalized()
    except PigError:
        log.warning("ignoring unparsable outputSchema %r", text)
        return None
    return schema[0] if len(schema) == 1 else FieldSchema(None, T.TUPLE, schema)


@dataclass
class Functions:
    """Resolves a call's name: DEFINE alias, `ns.f` UDF, builtin (case-sensitive)."""

    builtins: Mapping[str, object] | None = None
    udf_schema: UdfSchemaHook | None = None  # (path, namespace, name) -> output field
    defines: dict[str, L.FuncSpec] = field(default_factory=dict)
    namespaces: dict[str, str] = field(default_factory=dict)  # namespace -> path
    bare_paths: list[str] = field(default_factory=list)  # REGISTER without AS
    base_dir: str | None = None  # where relative REGISTER paths are read from

    def table(self) -> Mapping[str, object]:
        if self.builtins is None:
            self.builtins = _registry()
        return self.builtins

    def known(self) -> list[str]:
        return sorted({*self.table(), *_RETURNS, *self.defines})

    def target(self, name: str) -> str:
        """The function a call name stands for once DEFINEs are applied."""
        return self.defines[name].name if name in self.defines else name

    def resolve(
        self, name: str, args: list[FieldSchema], node: A.Node
    ) -> tuple[str, str, FieldSchema, tuple]:
        """(resolved name, kind, output field, constructor args) or UnknownFunctionError."""
        ctor: tuple = ()
        kind = "builtin"
        target = name
        if name in self.defines:
            spec = self.defines[name]
            target, ctor, kind = spec.name, spec.args, "define"
        builtin = target.removeprefix("org.apache.pig.builtin.")  # Pig's full class names
        if builtin != target and (builtin in _RETURNS or builtin in self.table()):
            target = builtin
        ns, _, short = target.rpartition(".")
        if ns in self.namespaces:
            path = Path(self.base_dir or ".") / self.namespaces[ns]
            names = python_names(path)
            if names is not None and short not in names:  # as Pig: no such function there
                from piglatin.functions.udf import check_udf_file

                check_udf_file(str(path))  # a file that does not load: that error first
                hint = suggest(name, [f"{ns}.{n}" for n in sorted(names)])
                raise UnknownFunctionError(
                    f"Could not resolve {name} using imports: [, org.apache.pig.builtin.].{hint}",
                    **_at(node),
                )
            return target, "udf", self._udf(self.namespaces[ns], ns, short, args), ctor
        if target in _RETURNS or target in self.table():
            return target, kind, self._builtin(target, args), ctor
        if kind == "define" or self.bare_paths:
            path = self.bare_paths[-1] if self.bare_paths else ""
            return target, "udf", self._udf(path, None, target, args), ctor
        hint = suggest(name, self.known())
        raise UnknownFunctionError(
            f"Could not resolve {name} using imports: [, org.apache.pig.builtin.].{hint}",
            **_at(node),
        )

    def _udf(
        self, path: str, namespace: str | None, name: str, args: Sequence[FieldSchema] = ()
    ) -> FieldSchema:
        if self.udf_schema is not None:
            out = self.udf_schema(path, namespace, name)
        else:
            out = python_output_schema(Path(self.base_dir or ".") / path, name, args)
        return out if out is not None else FieldSchema(None, T.BYTEARRAY)

    def _builtin(self, name: str, args: list[FieldSchema]) -> FieldSchema:
        if name in _RETURNS:
            return _RETURNS[name](args)
        rt = getattr(self.table().get(name), "return_type", None)
        if callable(rt):
            rt = rt([a.dtype.value for a in args])
        try:
            return (
                FieldSchema(None, DataType.from_name(rt))
                if isinstance(rt, str)
                else FieldSchema(None, T.BYTEARRAY)
            )
        except ValueError:
            return FieldSchema(None, T.BYTEARRAY)


# --------------------------------------------------------------- expressions
@frozen_dataclass
class Scope:
    """What names mean inside one expression: the input tuple's schema, the nested
    FOREACH aliases defined so far, and which input (for JOIN/COGROUP keys)."""

    schema: Schema | None
    alias: str
    inner: Mapping[str, FieldSchema] = field(default_factory=dict)
    input: int = 0


def _cast(e: L.LExpr, t: DataType) -> L.LExpr:
    """`e` as type `t`: null and numeric constants are converted here, else an LECast."""
    if e.type is t:
        return e
    if isinstance(e, L.LEConst) and e.value is None:
        return L.LEConst(None, FieldSchema(None, t))
    if (
        isinstance(e, L.LEConst)
        and e.type.is_numeric
        and t.is_numeric
        and not isinstance(e.value, bool)
    ):
        value = float(e.value) if t in (T.FLOAT, T.DOUBLE) else e.value  # type: ignore[arg-type]
        if t is T.FLOAT:  # Java's (float): single precision
            value = to_float32(value)  # type: ignore[arg-type]
        if t in (T.INT, T.LONG) and isinstance(value, float):
            return L.LECast(e, FieldSchema(e.field.name, t))  # truncation: leave it to the runtime
        return L.LEConst(value, FieldSchema(e.field.name, t))
    return L.LECast(e, FieldSchema(e.field.name, t))


def _is_null(e: L.LExpr) -> bool:
    return isinstance(e, L.LEConst) and e.value is None


#: Pig's PigWarning for an implicit cast to each type
_CAST_WARNING = {t: f"IMPLICIT_CAST_TO_{'INT' if t is T.INT else t.name}" for t in DataType}

_CASTABLE = {
    T.CHARARRAY: {T.INT, T.LONG, T.FLOAT, T.DOUBLE, T.BOOLEAN, T.DATETIME, T.CHARARRAY},
    T.BOOLEAN: {T.CHARARRAY, T.BOOLEAN},
    T.DATETIME: {T.CHARARRAY, T.DATETIME},
}


class ExprTyper:
    """Builds typed `logical.LE*` expressions from ast expressions."""

    def __init__(self, functions: Functions, relations: Builder | None = None) -> None:
        self.functions = functions
        self.relations = relations  # resolves relation aliases used as scalars
        self.casts: Counter[DataType] = Counter()  # implicit casts inserted, by target type

    def implicit(self, e: L.LExpr, t: DataType) -> L.LExpr:
        """`e` cast to `t` by the type checker, counted as Pig's
        TypeCheckingExpVisitor.collectCastWarning counts each cast it inserts."""
        if e.type is not t:
            self.casts[t] += 1
        return _cast(e, t)

    def warn_casts(self) -> None:
        """Log the implicit casts counted so far as Pig's aggregated warnings
        ('Encountered Warning IMPLICIT_CAST_TO_INT 2 time(s).'), then forget them."""
        for t, n in sorted(self.casts.items(), key=lambda kv: _CAST_WARNING[kv[0]]):
            log.warning("Encountered Warning %s %d time(s).", _CAST_WARNING[t], n)
        self.casts.clear()

    def build(self, e: A.Expr, sc: Scope) -> L.LExpr:
        method = getattr(self, "_" + type(e).__name__.lower(), None)
        if method is None:
            raise SchemaError(f"{type(e).__name__} is not allowed here", **_at(e))
        return method(e, sc)

    def expand(self, e: A.Expr, sc: Scope) -> list[L.LExpr]:
        """`*` and `a..c` become one projection per column; anything else one expr."""
        if isinstance(e, A.Star):
            if sc.schema is None:
                return [L.LEProject(None, FieldSchema(None, T.TUPLE), sc.input)]
            return [L.LEProject(i, f, sc.input) for i, f in enumerate(sc.schema)]
        if isinstance(e, A.Range):
            return [L.LEProject(i, self._col_field(sc, i), sc.input) for i in self._range(e, sc)]
        return [self.build(e, sc)]

    def _range(self, e: A.Range, sc: Scope) -> range:
        if sc.schema is None:
            if isinstance(e.start, A.PosRef | None) and isinstance(e.end, A.PosRef):
                return range(e.start.index if e.start else 0, e.end.index + 1)
            raise SchemaError(
                "Cannot expand a range by name on a relation with an unknown schema", **_at(e)
            )
        lo = self._column(e.start, sc) if e.start is not None else 0
        hi = self._column(e.end, sc) if e.end is not None else len(sc.schema) - 1
        if hi < lo:
            raise SchemaError(
                f"Invalid range: start column {lo} comes after end column {hi}", **_at(e)
            )
        return range(lo, hi + 1)

    def _column(self, ref: A.FieldRef | A.PosRef, sc: Scope) -> int:
        le = self.build(ref, sc)
        assert isinstance(le, L.LEProject) and le.column is not None
        return le.column

    @staticmethod
    def _col_field(sc: Scope, i: int) -> FieldSchema:
        return sc.schema[i] if sc.schema is not None else FieldSchema(None, T.BYTEARRAY)

    # leaves -------------------------------------------------------------
    def _const(self, e: A.Const, sc: Scope) -> L.LExpr:
        t = _CONST_TYPES[e.type]
        if t is T.FLOAT and isinstance(e.value, float):  # 0.1f: Float.valueOf("0.1")
            return L.LEConst(to_float32(e.value), FieldSchema(None, t))
        return L.LEConst(e.value, FieldSchema(None, t))

    def _fieldref(self, e: A.FieldRef, sc: Scope) -> L.LExpr:
        if e.name in sc.inner:
            return L.LEInnerRef(e.name, sc.inner[e.name])
        if sc.schema is None:
            raise SchemaError(
                f"Invalid field projection. Projected field [{e.name}] does not exist. The input has no "
                f"schema: refer to fields by position ($0, $1, ...) or declare one with AS",
                **_at(e),
            )
        try:
            i = sc.schema.index_of(e.name)
        except AmbiguousFieldError as amb:
            raise SchemaError(
                f"Found more than one match: {', '.join(amb.matches)}", **_at(e)
            ) from None
        if i is None:
            names = (
                [n for n in sc.schema.names if n]
                + [n.rpartition("::")[2] for n in sc.schema.names if n]
                + list(sc.inner)
            )
            raise SchemaError(
                f"Invalid field projection. Projected field [{e.name}] does not exist in schema: "
                f"{sc.schema.short()}.{suggest(e.name, names)}",
                **_at(e),
            )
        return L.LEProject(i, sc.schema[i], sc.input)

    def _posref(self, e: A.PosRef, sc: Scope) -> L.LExpr:
        if sc.schema is not None and e.index >= len(sc.schema):
            raise SchemaError(
                f"Out of bound access. Trying to access non-existent column: {e.index}. "
                f"Schema {sc.schema.short()} has {len(sc.schema)} column(s).",
                **_at(e),
            )
        return L.LEProject(e.index, self._col_field(sc, e.index), sc.input)

    # structure ------------------------------------------------------------
    def _resolvable(self, name: str, sc: Scope) -> bool:
        if name in sc.inner or sc.schema is None:
            return name in sc.inner
        try:
            return sc.schema.index_of(name) is not None
        except AmbiguousFieldError:
            return True

    def _scalar(self, e: A.Project, sc: Scope) -> L.LExpr | None:
        """`T.total` where T is a relation, not a field: Pig's scalar projection."""
        base = e.base
        if (
            not isinstance(base, A.FieldRef)
            or self.relations is None
            or self._resolvable(base.name, sc)
        ):
            return None
        op = self.relations.scalar(base.name)
        if op is None or len(e.fields) != 1:
            return None
        col = (
            self._column(e.fields[0], Scope(op.schema, sc.alias))
            if op.schema is not None
            else e.fields[0].index
        )  # type: ignore[union-attr]
        fs = op.schema[col] if op.schema is not None else FieldSchema(None, T.BYTEARRAY)
        self.relations.scalar_used(op.op_id)
        return L.LEScalar(base.name, op.op_id, col, fs)

    def _project(self, e: A.Project, sc: Scope) -> L.LExpr:
        scalar = self._scalar(e, sc)
        if scalar is not None:
            return scalar
        base = self.build(e.base, sc)
        t = base.type
        if t is T.BYTEARRAY and base.field.schema is None:
            cols = tuple(f.index for f in e.fields if isinstance(f, A.PosRef))
            if len(cols) != len(e.fields):
                raise SchemaError(
                    "Cannot project fields by name from a field of unknown type", **_at(e)
                )
            return L.LEDeref(base, cols, FieldSchema(None, T.BYTEARRAY))
        if t not in (T.BAG, T.TUPLE):
            raise SchemaError(
                f"Cannot project field(s) out of a {t.value}; only tuples and bags have fields",
                **_at(e),
            )
        inner = Scope(base.field.tuple_schema, sc.alias)
        if inner.schema is None and not all(isinstance(f, A.PosRef) for f in e.fields):
            name = next(f.name for f in e.fields if isinstance(f, A.FieldRef))
            raise SchemaError(
                f"Invalid field projection. Projected field [{name}] does not exist: the "
                f"{t.value} has no schema; refer to its fields by position ($0, $1, ...)",
                **_at(e),
            )
        cols = tuple(
            self._column(f, inner) if inner.schema is not None else f.index  # type: ignore[union-attr]
            for f in e.fields
        )
        picked = Schema(tuple(inner.schema[c] for c in cols)) if inner.schema is not None else None
        if t is T.BAG:
            return L.LEDeref(base, cols, FieldSchema(None, T.BAG, bag_of(picked)))
        if len(cols) == 1:
            fs = picked[0] if picked is not None else FieldSchema(None, T.BYTEARRAY)
            return L.LEDeref(base, cols, fs)
        return L.LEDeref(base, cols, FieldSchema(None, T.TUPLE, picked))

    def _maplookup(self, e: A.MapLookup, sc: Scope) -> L.LExpr:
        base = self.build(e.base, sc)
        if base.type is T.BYTEARRAY:
            base = self.implicit(base, T.MAP)
        if base.type is not T.MAP:
            raise TypeCheckError(
                f"In alias {sc.alias}, map lookup '#' needs a map, found {base.type.value}",
                **_at(e),
            )
        value = (
            base.field.schema.fields[0]
            if base.field.schema is not None and len(base.field.schema)
            else None
        )
        fs = (
            FieldSchema(None, value.dtype, value.schema)
            if value is not None
            else FieldSchema(None, T.BYTEARRAY)
        )
        return L.LEMapLookup(base, e.key, fs)

    def _tupleexpr(self, e: A.TupleExpr, sc: Scope) -> L.LExpr:
        items = tuple(self.build(i, sc) for i in e.items)
        return L.LETuple(items, FieldSchema(None, T.TUPLE, Schema(tuple(i.field for i in items))))

    def _bagexpr(self, e: A.BagExpr, sc: Scope) -> L.LExpr:
        items = tuple(self._tupleexpr(t, sc) for t in e.items)
        schemas = {i.field.schema for i in items}
        inner = schemas.pop() if len(schemas) == 1 else None
        return L.LEBag(items, FieldSchema(None, T.BAG, bag_of(inner)))  # type: ignore[arg-type]

    def _mapexpr(self, e: A.MapExpr, sc: Scope) -> L.LExpr:
        pairs = tuple((k, self.build(v, sc)) for k, v in e.pairs)
        types = {v.type for _, v in pairs}
        value = Schema((FieldSchema(None, types.pop()),)) if len(types) == 1 else None
        return L.LEMap(pairs, FieldSchema(None, T.MAP, value))

    def _funccall(self, e: A.FuncCall, sc: Scope) -> L.LExpr:
        args = [a for arg in e.args for a in self.expand(arg, sc)]
        target = self.functions.target(e.name)
        if target in _ARG_CASTS:  # Pig picks the typed variant: cast bytearray arguments
            cast = _ARG_CASTS[target]
            args = [self.implicit(a, cast) if a.type is T.BYTEARRAY else a for a in args]
        func, kind, out, ctor = self.functions.resolve(e.name, [a.field for a in args], e)
        if kind != "udf" and func == "ROUND_TO" and args and args[0].type in _TO_FLOAT:
            args[0] = self.implicit(args[0], T.FLOAT)  # FloatRoundTo(float, ...)
        if kind != "udf" and func == "PluckTuple":
            return _pluck(e, args, ctor)
        if kind != "udf" and func == "UniqueID":  # each call counts on its own, as Pig's
            ctor = (f"{sc.alias}:{e.line}:{e.column}",)
        if kind != "udf" and func == "Bloom" and ctor:  # its file, from the session's dir
            ctor = (ctor[0], self.functions.base_dir or ".")
        if kind != "udf" and func == "BuildBloom":
            _check_build_bloom(ctor, e)
        if kind != "udf" and func in ("HiveUDF", "HiveUDAF", "HiveUDTF"):
            raise PlanError(
                f"{func} runs Hive's Java functions, which this implementation (no JVM, no "
                "Hive) does not have; write the function as a Python UDF (REGISTER 'f.py' "
                "USING jython AS ns)",
                **_at(e),
            )
        if kind != "udf" and func.startswith("InvokeFor"):
            _check_invoker(func, ctor, len(args), e)
        if kind != "udf":
            _check_arg_count(func, len(args), self.functions.table().get(func), e)
        if kind != "udf" and func in _BAG_FUNCS:
            _check_bag_arg(func, args, e)
        elif kind != "udf":
            _check_arg_types(func, args, e)
        return L.LEFunc(e.name, func, kind, tuple(args), out, ctor)

    def _flatten(self, e: A.Flatten, sc: Scope) -> L.LExpr:
        raise SchemaError(
            "FLATTEN can only be used at the top of a FOREACH ... GENERATE item", **_at(e)
        )

    # operators ------------------------------------------------------------
    def _binop(self, e: A.BinOp, sc: Scope) -> L.LExpr:
        left, right = self.build(e.left, sc), self.build(e.right, sc)
        if e.op in ("and", "or"):
            left, right = (self.implicit(x, T.BOOLEAN) if _is_null(x) else x for x in (left, right))
            if left.type is not T.BOOLEAN or right.type is not T.BOOLEAN:
                raise TypeCheckError("Operands of AND/OR can be boolean only", code=1038, **_at(e))
            return L.LEBinary(e.op, left, right, BOOL)
        if e.op == "matches":
            left = self.implicit(left, T.CHARARRAY) if left.type is T.BYTEARRAY else left
            if left.type is not T.CHARARRAY or right.type not in (T.CHARARRAY, T.BYTEARRAY):
                raise self._incompatible(e, left, right, sc)
            return L.LEBinary(e.op, left, self.implicit(right, T.CHARARRAY), BOOL)
        if e.op in ("+", "-", "*", "/", "%"):
            return self._arith(e, left, right, sc)
        return self._compare(e, left, right, sc)

    def _incompatible(self, e: A.BinOp, left: L.LExpr, right: L.LExpr, sc: Scope) -> TypeCheckError:
        return TypeCheckError(
            f"In alias {sc.alias}, incompatible types in {_OP_NAMES[e.op]} Operator "
            f"left hand side:{left.type.value} right hand side:{right.type.value}",
            **_at(e),
        )

    def _arith(self, e: A.BinOp, left: L.LExpr, right: L.LExpr, sc: Scope) -> L.LExpr:
        lt, rt = left.type, right.type
        allowed = (T.INT, T.LONG) if e.op == "%" else (T.INT, T.LONG, T.FLOAT, T.DOUBLE)
        if lt in allowed and rt in allowed:
            t = wider_numeric(lt, rt)
        elif lt is T.BYTEARRAY and rt in allowed:
            t = rt
        elif rt is T.BYTEARRAY and lt in allowed:
            t = lt
        elif lt is T.BYTEARRAY and rt is T.BYTEARRAY and e.op != "%":
            t = T.DOUBLE
        else:
            raise self._incompatible(e, left, right, sc)
        left, right = self.implicit(left, t), self.implicit(right, t)
        return L.LEBinary(e.op, left, right, FieldSchema(None, t))

    def _compare(self, e: A.BinOp, left: L.LExpr, right: L.LExpr, sc: Scope) -> L.LExpr:
        lt, rt = left.type, right.type
        simple = {T.CHARARRAY, T.BOOLEAN, T.DATETIME, T.INT, T.LONG, T.FLOAT, T.DOUBLE}
        if _is_null(left) or _is_null(right):
            pass
        elif lt.is_numeric and rt.is_numeric:
            t = wider_numeric(lt, rt)
            left, right = self.implicit(left, t), self.implicit(right, t)
        elif lt is rt and lt in (T.CHARARRAY, T.DATETIME, T.BYTEARRAY):
            pass
        elif lt is T.BYTEARRAY and (
            rt in simple or (e.op in ("==", "!=") and rt in (T.MAP, T.TUPLE))
        ):
            left = self.implicit(left, rt)
        elif rt is T.BYTEARRAY and (
            lt in simple or (e.op in ("==", "!=") and lt in (T.MAP, T.TUPLE))
        ):
            right = self.implicit(right, lt)
        elif e.op in ("==", "!=") and lt is rt and lt in (T.BOOLEAN, T.TUPLE, T.MAP):
            pass
        else:
            raise self._incompatible(e, left, right, sc)
        return L.LEBinary(e.op, left, right, BOOL)

    def _neg(self, e: A.Neg, sc: Scope) -> L.LExpr:
        x = self.build(e.operand, sc)
        if x.type is T.BYTEARRAY:
            x = self.implicit(x, T.DOUBLE)
        if not x.type.is_numeric:
            raise TypeCheckError(
                "NEG can be used with numbers or Bytearray only", code=1041, **_at(e)
            )
        return L.LEUnary("neg", x, FieldSchema(None, x.type))

    def _not(self, e: A.Not, sc: Scope) -> L.LExpr:
        x = self.build(e.operand, sc)
        x = self.implicit(x, T.BOOLEAN) if _is_null(x) else x
        if x.type is not T.BOOLEAN:
            raise TypeCheckError("NOT can be used with boolean only", code=1042, **_at(e))
        return L.LEUnary("not", x, BOOL)

    def _in(self, e: A.In, sc: Scope) -> L.LExpr:
        tests = [A.BinOp("==", e.operand, item, line=e.line, column=e.column) for item in e.items]
        result = self.build(tests[0], sc)
        for t in tests[1:]:
            result = L.LEBinary("or", result, self.build(t, sc), BOOL)
        return result

    def _isnull(self, e: A.IsNull, sc: Scope) -> L.LExpr:
        return L.LEUnary("notnull" if e.negated else "isnull", self.build(e.operand, sc), BOOL)

    def _bincond(self, e: A.BinCond, sc: Scope) -> L.LExpr:
        cond = self.build(e.cond, sc)
        if cond.type is not T.BOOLEAN:
            raise TypeCheckError(
                f"In alias {sc.alias}, condition in BinCond must be boolean, found {cond.type.value}",
                code=1047,
                **_at(e),
            )
        return self._choose(cond, self.build(e.then, sc), self.build(e.otherwise, sc), e, sc)

    def _choose(self, cond: L.LExpr, a: L.LExpr, b: L.LExpr, node: A.Node, sc: Scope) -> L.LExpr:
        ta, tb = a.type, b.type
        # a null branch is cast to the other's type, inner schema included (Pig casts it to
        # the other branch's field schema: `IsEmpty(A) ? null : A` is a bag of A's tuples)
        if _is_null(a) and not _is_null(b):
            a, ta = L.LEConst(None, FieldSchema(None, tb, b.field.schema)), tb
            self.casts[tb] += tb is not T.BYTEARRAY
        elif _is_null(b) and not _is_null(a):
            b, tb = L.LEConst(None, FieldSchema(None, ta, a.field.schema)), ta
            self.casts[ta] += ta is not T.BYTEARRAY
        if ta is tb:
            return L.LEBinCond(
                cond,
                a,
                b,
                FieldSchema(None, ta, a.field.schema if a.field.schema == b.field.schema else None),
            )
        if ta.is_numeric and tb.is_numeric:
            t = wider_numeric(ta, tb)
        elif ta is T.BYTEARRAY or tb is T.BYTEARRAY:
            t = tb if ta is T.BYTEARRAY else ta
        else:
            raise TypeCheckError(
                f"In alias {sc.alias}, two inputs of BinCond must have compatible schemas. "
                f"left hand side: {ta.value} right hand side: {tb.value}",
                code=1048,
                **_at(node),
            )
        return L.LEBinCond(cond, self.implicit(a, t), self.implicit(b, t), FieldSchema(None, t))

    def _case(self, e: A.Case, sc: Scope) -> L.LExpr:
        result = (
            self.build(e.otherwise, sc)
            if e.otherwise is not None
            else L.LEConst(None, FieldSchema(None, T.BYTEARRAY))
        )
        for cond, value in reversed(e.whens):
            test = (
                A.BinOp("==", e.operand, cond, line=cond.line, column=cond.column)
                if e.operand is not None
                else cond
            )
            c = self.build(test, sc)
            if c.type is not T.BOOLEAN:
                raise TypeCheckError(
                    f"In alias {sc.alias}, CASE WHEN condition must be boolean, found {c.type.value}",
                    **_at(cond),
                )
            result = self._choose(c, self.build(value, sc), result, e, sc)
        return result

    def _cast(self, e: A.Cast, sc: Scope) -> L.LExpr:
        x = self.build(e.operand, sc)
        to = e.to.fields[0].normalized()
        src, dst = x.type, to.dtype
        if dst is T.BYTEARRAY and src is not T.BYTEARRAY:
            raise TypeCheckError("Cannot cast to bytearray", code=1051, **_at(e))
        ok = (
            src is dst
            or src is T.BYTEARRAY
            or (src.is_numeric and (dst.is_numeric or dst is T.CHARARRAY))
        )
        ok = ok or dst in _CASTABLE.get(src, set()) or _is_null(x)
        if not ok:
            raise TypeCheckError(
                f"In alias {sc.alias}, Cannot cast {src.value} to {dst.value}", code=1052, **_at(e)
            )
        return L.LECast(x, FieldSchema(x.field.name, dst, to.schema))


# ------------------------------------------------------------------ relations
class Builder:
    """Walks the statements in order, keeping alias -> op id and the operators."""

    def __init__(
        self,
        functions: Functions | None = None,
        file: str | None = None,
        text: str | None = None,
        *,
        warn_casts: bool = False,
    ) -> None:
        self.functions = functions or Functions()
        self.typer = ExprTyper(self.functions, self)
        self.warn_casts = warn_casts  # log each add's implicit casts (the session's builder)
        self.file = file
        self.lines = (text or "").splitlines()
        self.ops: list[L.LogicalOperator] = []
        self.by_id: dict[str, L.LogicalOperator] = {}
        self.scalar_reads: dict[str, L.LogicalOperator] = {}  # a LOAD's id -> `_scalar_read`
        self.aliases: dict[str, str] = {}
        self.previous: str | None = None  # the alias `@` names
        self.actions: list[L.Action] = []
        self.counter = 0
        self.scalars: list[tuple[str, str]] = []
        self._pending_scalars: list[str] = []
        # the session's macros (DEFINE ... RETURNS, IMPORT): expanded before parsing
        self.macros = MacroTable(self.functions.base_dir)
        self.commands: dict[str, A.DefineCommand] = {}  # DEFINE alias `command` ...

    # bookkeeping ----------------------------------------------------------
    def _new_id(self, alias: str | None, kind: str) -> str:
        self.counter += 1
        base = alias or kind
        return base if base not in self.by_id and alias else f"{base}_{self.counter}"

    def scalar_used(self, op_id: str) -> None:
        self._pending_scalars.append(op_id)

    def _add(self, op: L.LogicalOperator, alias: str | None) -> L.LogicalOperator:
        _check_unique_names(op)
        self.scalars.extend((op.op_id, src) for src in dict.fromkeys(self._pending_scalars))
        self._pending_scalars.clear()
        self.ops.append(op)
        self.by_id[op.op_id] = op
        if alias:
            self.aliases[alias] = op.op_id
            self.previous = alias
        return op

    def _input(self, ref, node: A.Node) -> L.LogicalOperator:
        """The operator an input names: an alias, or an inline relation built here."""
        if not isinstance(ref, str):
            op_id = self._new_id(None, "inline")
            handler = getattr(self, "_r_" + type(ref).__name__.lower())
            return self._add(handler(ref, op_id, op_id), None)
        if ref == "@":  # the previous relation (Pig's `previous_rel`)
            if self.previous is None:
                raise UndefinedAliasError("Undefined alias: @ (no relation before it)", **_at(node))
            ref = self.previous
        if ref not in self.aliases:
            raise UndefinedAliasError(
                f"Undefined alias: {ref}.{suggest(ref, self.aliases)}", **self._find(ref, node)
            )
        return self.by_id[self.aliases[ref]]

    def _sink_input(self, alias: str, node: A.Node) -> L.LogicalOperator:
        """DUMP / DESCRIBE / EXPLAIN / ILLUSTRATE name an alias (Pig's ERROR 1003)."""
        if alias not in self.aliases:
            hint = suggest(alias, self.aliases)
            raise UndefinedAliasError(
                f"Unable to find an operator for alias {alias}.{hint}",
                code=1003,
                **self._find(alias, node),
            )
        return self.by_id[self.aliases[alias]]

    def _find(self, word: str, node: A.Node) -> dict[str, int | None]:
        """The position of `word` at or after `node` on its line (for alias errors)."""
        at = _at(node)
        line = at["line"]
        if line and 0 < line <= len(self.lines):
            m = re.compile(rf"(?<![\w:]){re.escape(word)}(?![\w:])").search(
                self.lines[line - 1], (at["column"] or 1) - 1
            )
            if m:
                return {"line": line, "column": m.start() + 1}
        return at

    def scalar(self, alias: str) -> L.LogicalOperator | None:
        """A relation used as a scalar (`T.total` where T has one row), or None. A LOAD is
        read through a pass-through FILTER of its own (`_scalar_read`), so that, as for any
        other relation, a job writes the rows the scalar is read from (Pig stores the
        scalar's relation to a file ReadScalars reads), while T stays a LOAD for the
        statements that read it as a relation."""
        op_id = self.aliases.get(alias)
        if not op_id:
            return None
        op = self.by_id[op_id]
        return self._scalar_read(op) if isinstance(op, L.LOLoad) else op

    def _scalar_read(self, load: L.LOLoad) -> L.LogicalOperator:
        if load.op_id not in self.scalar_reads:
            true = L.LEConst(True, BOOL)
            op = L.LOFilter(
                self._new_id(None, "scalar"), None, (load.op_id,), load.schema,
                load.line, load.column, true,
            )  # fmt: skip
            self.ops.append(op)
            self.by_id[op.op_id] = self.scalar_reads[load.op_id] = op
        return self.scalar_reads[load.op_id]

    def add(self, script: A.Script, text: str | None = None) -> list[L.Action]:
        """Build more statements on top of what is there; returns the new actions."""
        if text is not None:
            self.lines = text.splitlines()
        before = len(self.actions)
        try:
            for s in script.statements:
                self.statement(s)
        except PigError as e:
            self.typer.casts.clear()
            raise e.located(script.file, text) from None
        if self.warn_casts:
            self.typer.warn_casts()
        self.typer.casts.clear()
        return self.actions[before:]

    def feed(
        self,
        text: str,
        params: Mapping[str, str] | None = None,
        *,
        file: str | None = None,
        param_files=(),
    ) -> list[L.Action]:
        """Substitute, parse and add `text` — a whole script, or one grunt line, or an
        `exec`/`run` file sharing this session's aliases.  Returns the new actions."""
        from piglatin.front.parser import parse
        from piglatin.front.preprocess import substitute

        try:
            source = substitute(text, params, param_files=param_files, file=file)
            source = self.macros.expand(source, file)
        except PigError as e:
            raise e.located(file, text) from None
        return self.add(parse(source, file), source)

    def plan(self) -> L.LogicalPlan:
        return L.LogicalPlan(
            tuple(self.ops),
            tuple(self.actions),
            tuple(self.aliases.items()),
            self.file,
            tuple(self.scalars),
        )

    # statements -----------------------------------------------------------
    def statement(self, s: A.Node) -> None:
        if isinstance(s, (A.Dump, A.Describe, A.Explain, A.Illustrate)) and s.alias == "@":
            if self.previous is None:  # a shortcut without an alias: the last relation
                raise UndefinedAliasError("Undefined alias: @ (no relation before it)", **_at(s))
            s = dataclasses.replace(s, alias=self.previous)
        handler = getattr(self, "_s_" + type(s).__name__.lower())
        handler(s)

    def _s_assign(self, s: A.Assign) -> None:
        handler = getattr(self, "_r_" + type(s.op).__name__.lower())
        op_id = self._new_id(s.alias, "op")
        self._add(handler(s.op, s.alias, op_id), s.alias)

    def _s_store(self, s: A.Store) -> None:
        src = self._input(s.alias, s)
        func = self._io_spec(s.func)
        op = L.LOStore(
            self._new_id(None, "store"),
            None,
            (src.op_id,),
            src.schema,
            s.line,
            s.column,
            s.path,
            func,
        )
        self._add(op, None)
        self.actions.append(L.RunSink(s.line, op.op_id))

    def _s_dump(self, s: A.Dump) -> None:
        src = self._sink_input(s.alias, s)
        op = L.LODump(self._new_id(None, "dump"), None, (src.op_id,), src.schema, s.line, s.column)
        self._add(op, None)
        self.actions.append(L.RunSink(s.line, op.op_id))

    def _s_describe(self, s: A.Describe) -> None:
        outer, _, inner = s.alias.partition("::")
        src = self._sink_input(outer if inner else s.alias, s)
        if not inner:
            self.actions.append(
                L.DescribeAction(s.line, s.alias, src.op_id, describe_alias(s.alias, src.schema))
            )
            return
        nested = {n.alias: n for n in getattr(src, "nested", ())}
        if inner not in nested:
            hint = suggest(inner, nested)
            raise UndefinedAliasError(
                f"Undefined nested alias: {inner} in {outer}.{hint}", **_at(s)
            )
        fs = nested[inner].field
        schema = fs.tuple_schema if fs.type is T.BAG else Schema((fs,))
        self.actions.append(
            L.DescribeAction(s.line, s.alias, src.op_id, describe_alias(inner, schema))
        )

    def _s_explain(self, s: A.Explain) -> None:
        # with -script the alias names a relation of that script, built when it runs
        op_id = self._sink_input(s.alias, s).op_id if s.alias and s.script is None else None
        opts = (s.script, s.out, s.brief, s.format, s.params, s.param_files)
        self.actions.append(L.ExplainAction(s.line, s.alias, op_id, *opts))

    def _s_illustrate(self, s: A.Illustrate) -> None:
        if s.script is not None:  # ILLUSTRATE -script f: that script, built when it runs
            self.actions.append(L.IllustrateAction(s.line, "", "", s.script))
            return
        self.actions.append(L.IllustrateAction(s.line, s.alias, self._sink_input(s.alias, s).op_id))

    def _s_setstmt(self, s: A.SetStmt) -> None:
        self.actions.append(L.SetAction(s.line, s.key, s.value))

    def _s_register(self, s: A.Register) -> None:
        from piglatin.functions.udf import engine_refusal

        refusal = engine_refusal(s.using, s.path, s.namespace)  # JavaScript, JRuby, Groovy
        if refusal is not None:
            raise PlanError(refusal, **_at(s))
        if s.namespace:
            self.functions.namespaces[s.namespace] = s.path
        else:
            self.functions.bare_paths.append(s.path)
        self.actions.append(L.RegisterAction(s.line, s.path, s.using, s.namespace))

    def _s_define(self, s: A.Define) -> None:
        spec = _spec(s.func)
        self.functions.defines[s.alias] = spec
        self.actions.append(L.DefineAction(s.line, s.alias, spec))

    def _s_definecommand(self, s: A.DefineCommand) -> None:
        """DEFINE alias `command` ...: a streaming command for STREAM ... THROUGH alias."""
        for io in (*s.inputs, *s.outputs):
            if io.func is not None and io.func.name.rpartition(".")[2] != "PigStreaming":
                raise PlanError(
                    f"{io.func.name} is not a streaming (de)serializer this implementation "
                    "has; use PigStreaming('<delimiter>')",
                    **_at(io),
                )
        if len(s.inputs) > 1 or len(s.outputs) > 1:
            raise PlanError(
                f"DEFINE {s.alias}: only one INPUT and one OUTPUT are supported here", **_at(s)
            )
        if s.outputs and s.outputs[0].target == "stderr":
            raise PlanError(f"DEFINE {s.alias}: OUTPUT(stderr) is not supported here", **_at(s))
        self.commands[s.alias] = s

    def _s_command(self, s: A.Command) -> None:
        self.actions.append(L.CommandAction(s.line, s.kind, s.args))

    def _s_assert(self, s: A.Assert) -> None:
        """Pig's ASSERT: the alias becomes a FILTER of itself by Assert(cond[, message]),
        which fails the job at the first row whose condition is not true."""
        src = self._input(s.alias, s)
        self._condition(s.cond, Scope(src.schema, s.alias), "Assert's")  # Pig's ERROR 1057
        message = () if s.message is None else (A.Const(s.message, "chararray", s.line, s.column),)
        check = A.Filter(s.alias, A.FuncCall("Assert", (s.cond, *message), s.line, s.column))
        self._add(self._r_filter(check, s.alias, self._new_id(s.alias, "op")), s.alias)

    def _s_split(self, s: A.Split) -> None:
        src = self._input(s.input, s)
        split = self._add(
            L.LOSplit(
                self._new_id(None, f"split_{src.alias or src.op_id}"),
                None,
                (src.op_id,),
                src.schema,
                s.line,
                s.column,
            ),
            None,
        )
        conds: list[L.LExpr] = []
        for b in s.branches:
            if b.cond is not None:
                conds.append(self._condition(b.cond, Scope(src.schema, b.alias), "Split"))
        i = 0
        for b in s.branches:
            op_id = self._new_id(b.alias, "op")
            if b.cond is None:
                op = L.LOSplitOutput(
                    op_id, b.alias, (split.op_id,), src.schema, b.line, b.column, None, tuple(conds)
                )
            else:
                op = L.LOSplitOutput(
                    op_id, b.alias, (split.op_id,), src.schema, b.line, b.column, conds[i]
                )
                i += 1
            self._add(op, b.alias)

    def _condition(self, e: A.Expr, sc: Scope, what: str) -> L.LExpr:
        cond = self.typer.build(e, sc)
        if cond.type is not T.BOOLEAN:
            raise TypeCheckError(
                f"In alias {sc.alias}, {what} condition must evaluate to boolean. Found: {cond.type.value}",
                code=1057,
                **_at(e),
            )
        return cond

    # relational operators ---------------------------------------------------
    def _io_spec(self, f: A.FuncSpec | None) -> L.FuncSpec:
        """A LOAD's or STORE's USING function: a DEFINEd alias stands for its definition,
        with or without () (Pig's func_clause looks the name up first, its arguments then
        unused), any other name for itself."""
        if f is not None and f.name in self.functions.defines:
            return self.functions.defines[f.name]
        return _spec(f)

    def _r_load(self, r: A.Load, alias: str, op_id: str) -> L.LogicalOperator:
        func = self._io_spec(r.func)
        declared = r.schema
        if declared is None and func.name.rpartition(".")[2] == "JsonLoader" and func.args:
            declared = self._loader_schema(str(func.args[0]), r)
        schema = declared.normalized() if declared is not None else None
        return L.LOLoad(op_id, alias, (), schema, r.line, r.column, r.path, func, r.schema)

    def _loader_schema(self, text: str, node: A.Node) -> Schema:
        from piglatin.front.parser import parse_schema  # late: the parser is a sibling stage

        try:
            return parse_schema(text)
        except PigError as e:
            raise SchemaError(
                f"Bad schema '{text}' given to the loader: {e.message}", **_at(node)
            ) from None

    def _r_stream(self, r: A.Stream, alias: str, op_id: str) -> L.LogicalOperator:
        """STREAM A THROUGH cmd [AS schema] (Pig's LOStream): rows to the command, its output
        lines back as rows, bytearrays unless AS gives types."""
        src = self._input(r.input, r)
        if r.through is not None:
            if r.through not in self.commands:
                hint = suggest(r.through, self.commands)
                raise UndefinedAliasError(
                    f"Undefined command-alias [{r.through}] used by STREAM: define it with "
                    f"DEFINE {r.through} `command`;{hint}",
                    **self._find(r.through, r),
                )
            d = self.commands[r.through]
        else:
            d = A.DefineCommand("", r.command or "")
        schema = r.schema.normalized() if r.schema is not None else None
        return L.LOStream(
            op_id, alias, (src.op_id,), schema, r.line, r.column,
            command=d.command,
            define=d.alias or None,
            inputs_io=tuple(_stream_io(io) for io in d.inputs),
            outputs_io=tuple(_stream_io(io) for io in d.outputs),
            ship=d.ship,
            cache=d.cache,
            stderr=d.stderr,
        )  # fmt: skip

    def _r_filter(self, r: A.Filter, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        cond = self._condition(r.cond, Scope(src.schema, alias), "Filter's")
        return L.LOFilter(op_id, alias, (src.op_id,), src.schema, r.line, r.column, cond)

    def _r_distinct(self, r: A.Distinct, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        return L.LODistinct(op_id, alias, (src.op_id,), src.schema, r.line, r.column, r.parallel)

    def _constant(self, e: A.Expr, alias: str, what: str) -> L.LExpr:
        """A LIMIT/SAMPLE argument: a constant or a scalar expression, never a field."""
        try:
            return self.typer.build(e, Scope(None, alias))
        except SchemaError as err:
            if "Projected field" not in err.message:
                raise
            raise SchemaError(
                f"In alias {alias}, {what} needs a constant or a scalar such as (long)T.n, not a field",
                **_at(e),
            ) from None

    def _r_limit(self, r: A.Limit, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        count = self._constant(r.count, alias, "LIMIT")
        if count.type not in (T.INT, T.LONG):
            raise TypeCheckError(
                f"In alias {alias}, LIMIT needs an int or long, found {count.type.value}",
                **_at(r.count),
            )
        return L.LOLimit(op_id, alias, (src.op_id,), src.schema, r.line, r.column, count)

    def _r_sample(self, r: A.Sample, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        frac = self._constant(r.fraction, alias, "SAMPLE")
        if not frac.type.is_numeric:
            raise TypeCheckError(
                f"In alias {alias}, SAMPLE needs a number, found {frac.type.value}",
                **_at(r.fraction),
            )
        frac = self.typer.implicit(frac, T.DOUBLE)
        return L.LOSample(op_id, alias, (src.op_id,), src.schema, r.line, r.column, frac)

    def _sort_keys(
        self, keys: tuple[A.OrderKey, ...], sc: Scope
    ) -> tuple[tuple[L.SortKey, ...], bool]:
        out: list[L.SortKey] = []
        star = False
        for k in keys:
            if isinstance(k.expr, A.Star):
                star = True
            for e in self.typer.expand(k.expr, sc):
                if e.type in (T.BAG, T.MAP) or (
                    e.type is T.TUPLE and not isinstance(k.expr, A.Star)
                ):
                    raise TypeCheckError(
                        f"In alias {sc.alias}, cannot order by a {e.type.value} field", **_at(k)
                    )
                out.append(L.SortKey(e, not k.desc))
        return tuple(out), star

    def _r_order(self, r: A.Order, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        keys, star = self._sort_keys(r.keys, Scope(src.schema, alias))
        return L.LOSort(
            op_id, alias, (src.op_id,), src.schema, r.line, r.column, keys, star, r.parallel
        )

    def _r_rank(self, r: A.Rank, alias: str, op_id: str) -> L.LogicalOperator:
        src = self._input(r.input, r)
        keys, _ = self._sort_keys(r.keys, Scope(src.schema, alias))
        rank = FieldSchema(f"rank_{_name(src)}", T.LONG)
        schema = Schema((rank, *src.schema)) if src.schema is not None else None
        return L.LORank(
            op_id, alias, (src.op_id,), schema, r.line, r.column, keys, r.dense, r.parallel
        )

    def _r_cross(self, r: A.Cross, alias: str, op_id: str) -> L.LogicalOperator:
        srcs = [self._input(a, r) for a in r.inputs]
        return L.LOCross(
            op_id, alias, tuple(s.op_id for s in srcs), _concat(srcs), r.line, r.column, r.parallel
        )

    def _r_union(self, r: A.Union, alias: str, op_id: str) -> L.LogicalOperator:
        srcs = [self._input(a, r) for a in r.inputs]
        ids = tuple(s.op_id for s in srcs)
        if not r.onschema:
            merged = merge_union(s.schema for s in srcs)
            if merged is not None:
                ids = tuple(self._cast_columns(s, merged, r).op_id for s in srcs)
            return L.LOUnion(op_id, alias, ids, merged, r.line, r.column)
        if any(s.schema is None for s in srcs):
            raise SchemaError(
                "UNION ONSCHEMA cannot be used with relations that have null schema",
                code=1116,
                **_at(r),
            )
        merged: dict[str, FieldSchema] = {}
        for s in srcs:
            for f in s.schema:  # type: ignore[union-attr]
                if not f.name:
                    raise SchemaError(
                        "Schema of relation in UNION ONSCHEMA has a field without a name",
                        code=1116,
                        **_at(r),
                    )
                merged[f.name] = (
                    merge_field(merged[f.name], f, keep_name=True) if f.name in merged else f
                )
        names = list(merged)
        mapping = tuple(tuple(names.index(f.name) for f in s.schema) for s in srcs)  # type: ignore[union-attr,arg-type]
        # each input's columns cast to their merged types, in the input's own order
        targets = [Schema(tuple(merged[f.name] for f in s.schema)) for s in srcs]  # type: ignore[union-attr,index]
        ids = tuple(self._cast_columns(s, t, r).op_id for s, t in zip(srcs, targets, strict=True))
        return L.LOUnion(
            op_id, alias, ids, Schema(tuple(merged.values())), r.line, r.column, True, mapping
        )

    def _cast_columns(
        self, src: L.LogicalOperator, target: Schema, node: A.Node
    ) -> L.LogicalOperator:
        """`src`, or a FOREACH casting its atomic columns whose type is not the UNION's
        (Pig's TypeCheckingRelVisitor.insertCastForEachInBetweenIfNecessary)."""
        fields = tuple(src.schema or ())
        pairs = list(zip(fields, target, strict=True))
        atomic = [f.dtype.is_atomic and t.dtype.is_atomic for f, t in pairs]
        if all(f.dtype is t.dtype or not a for (f, t), a in zip(pairs, atomic, strict=True)):
            return src
        items = []
        for i, (f, t) in enumerate(pairs):
            e: L.LExpr = L.LEProject(i, f)
            if f.dtype is not t.dtype and f.dtype.is_atomic and t.dtype.is_atomic:
                e = _cast(e, t.dtype)
            items.append(L.GenerateItem(e, False, (e.field,)))
        op_id = self._new_id(None, "foreach")
        schema = Schema(tuple(g.expr.field for g in items))
        op = L.LOForEach(
            op_id, None, (src.op_id,), schema, node.line, node.column, tuple(items)
        )
        return self._add(op, None)

    def _keys(
        self, items, alias: str, node: A.Node
    ) -> tuple[list[L.LogicalOperator], list[list[L.LExpr]]]:
        """Inputs and their key expressions, with key types reconciled across inputs."""
        srcs = [self._input(i.alias, i) for i in items]
        keys = [
            [k for e in i.keys for k in self.typer.expand(e, Scope(s.schema, alias, input=n))]
            for n, (i, s) in enumerate(zip(items, srcs, strict=True))
        ]
        if len({len(k) for k in keys}) > 1:
            raise SchemaError(
                f"In alias {alias}, every input must have the same number of keys",
                code=1031,
                **_at(node),
            )
        for col in range(len(keys[0])):
            types = [k[col].type for k in keys]
            target = _common_type(types)
            if target is None:
                shown = ", ".join(t.value for t in types)
                raise TypeCheckError(
                    f"In alias {alias}, join/group keys have incompatible types: {shown}",
                    code=1051,
                    **_at(node),
                )
            for k in keys:
                k[col] = self.typer.implicit(k[col], target) if k[col].type.is_atomic else k[col]
        return srcs, keys

    def _r_group(self, r: A.Group, alias: str, op_id: str) -> L.LogicalOperator:
        if any(i.all for i in r.items) and not all(i.all for i in r.items):
            raise PlanError(f"In alias {alias}, cannot mix ALL with BY keys", **_at(r))
        group_all = r.items[0].all
        if group_all:
            srcs = [self._input(i.alias, i) for i in r.items]
            keys: list[list[L.LExpr]] = [
                [L.LEConst("all", FieldSchema(None, T.CHARARRAY))] for _ in srcs
            ]
        else:
            srcs, keys = self._keys(r.items, alias, r)
        group = _group_field(keys[0], group_all)
        bags = [bag_field(_name(s), s.schema) for s in srcs]
        strategy = (r.using or "regular").lower()
        if strategy not in ("regular", "collected", "merge"):
            raise PlanError(
                f"Unknown GROUP strategy '{r.using}'; use 'collected' or 'merge'", **_at(r)
            )
        inner = tuple(i.modifier == "inner" for i in r.items)
        return L.LOCogroup(
            op_id,
            alias,
            tuple(s.op_id for s in srcs),
            Schema((group, *bags)),
            r.line,
            r.column,
            tuple(tuple(k) for k in keys),
            group_all,
            inner,
            strategy,
            r.parallel,
        )

    def _r_join(self, r: A.Join, alias: str, op_id: str) -> L.LogicalOperator:
        strategy = (r.using or "hash").lower()
        # Pig's synonyms (LogicalPlanBuilder.parseJoinType); 'merge-sparse' is a merge join
        # whose right input is indexed for sparse lookups: here the same merge join, same rows
        strategy = _JOIN_SYNONYMS.get(strategy, strategy)
        if strategy not in JOIN_STRATEGIES:
            raise PlanError(
                f"Unknown JOIN strategy '{r.using}'; use 'replicated', 'skewed', 'merge' or 'hash'",
                **_at(r),
            )
        join_type = r.outer or "inner"
        _check_join(join_type, strategy, len(r.items), alias, r)
        srcs, keys = self._keys(r.items, alias, r)
        schema = _concat(srcs)
        return L.LOJoin(
            op_id,
            alias,
            tuple(s.op_id for s in srcs),
            schema,
            r.line,
            r.column,
            tuple(tuple(k) for k in keys),
            join_type,
            strategy,
            r.parallel,
        )

    def _r_foreach(self, r: A.Foreach, alias: str, op_id: str) -> L.LogicalOperator:
        return self._foreach(self._input(r.input, r), r, alias, op_id)

    def _foreach(
        self, src: L.LogicalOperator, r: A.Foreach, alias: str, op_id: str
    ) -> L.LogicalOperator:
        """The FOREACH `r` over `src` (already built: `r.input` is not looked at)."""
        sc = Scope(src.schema, alias)
        nested: list[L.NestedOp] = []
        for n in r.nested:
            op = self._nested(n, sc)
            nested.append(op)
            sc = Scope(src.schema, alias, {**sc.inner, n.alias: op.field})
        items: list[L.GenerateItem] = []
        declared: set[str] = set()  # the names AS clauses give
        for item in r.generate:
            made = self._gen_item(item, sc)
            if item.schema is not None:
                declared.update(f.name for g in made for f in g.fields or () if f.name)
            items += made
        fields: list[FieldSchema] = []
        known = True
        for g in items:
            if g.fields is None:
                known = False
            else:
                fields.extend(g.fields)
        schema = Schema(tuple(fields)) if known and fields else None
        op = L.LOForEach(
            op_id, alias, (src.op_id,), schema, r.line, r.column, tuple(items), tuple(nested)
        )
        if declared:  # `GENERATE a, b AS a`: Pig's ERROR 1108
            _unique(op, [f.name for f in fields], declared)
        return op

    def _r_cube(self, r: A.Cube, alias: str, op_id: str) -> L.LogicalOperator:
        """Pig's CUBE, as its LogicalPlanBuilder writes it: a FOREACH named ``cube`` that
        generates FLATTEN(CubeDimensions(dims)) for each CUBE(..) (consecutive ones merged
        into one) and FLATTEN(RollupDimensions(dims)) for each ROLLUP(..), then the input's
        other columns; and a GROUP of it on the dimensions, so the bag is ``cube``."""
        src = self._input(r.input, r)
        sc = Scope(src.schema, alias)
        parts: list[tuple[str, list[int]]] = []
        taken: set[int] = set()
        for item in r.items:
            cols: list[int] = []
            for e in item.dims:
                for le in self.typer.expand(e, sc):
                    if not isinstance(le, L.LEProject) or le.column is None:
                        raise PlanError(
                            f"In alias {alias}, CUBE and ROLLUP take columns: name them, or "
                            "give the relation a schema for *",
                            **_at(item),
                        )
                    if le.column in taken:
                        name = le.field.name or f"${le.column}"
                        raise PlanError(
                            f"Duplicate dimensions detected. Dimension name: {name}", **_at(item)
                        )
                    taken.add(le.column)
                    cols.append(le.column)
            if parts and item.kind == "cube" and parts[-1][0] == "cube":
                parts[-1][1].extend(cols)
            else:
                parts.append((item.kind, cols))
        generate: list[A.GenItem] = []
        for kind, cols in parts:
            func = "CubeDimensions" if kind == "cube" else "RollupDimensions"
            dims = Schema(tuple(self.typer._col_field(sc, c) for c in cols))
            call = A.FuncCall(func, tuple(A.PosRef(c, r.line, r.column) for c in cols))
            generate.append(A.GenItem(A.Flatten(call), dims, r.line, r.column))
        if src.schema is not None:
            generate += [
                A.GenItem(A.PosRef(i, r.line, r.column))
                for i in range(len(src.schema))
                if i not in taken
            ]
        expanded = A.Foreach(r.input, tuple(generate), line=r.line, column=r.column)
        dims_op = self._add(self._foreach(src, expanded, "cube", self._new_id(None, "cube")), None)
        dsc = Scope(dims_op.schema, alias)
        keys = [self.typer.build(A.PosRef(i), dsc) for i in range(len(taken))]
        return L.LOCogroup(
            op_id,
            alias,
            (dims_op.op_id,),
            Schema((_group_field(keys, False), bag_field("cube", dims_op.schema))),
            r.line,
            r.column,
            (tuple(keys),),
            False,
            (False,),
            "regular",
            r.parallel,
        )

    def _nested(self, n: A.NestedOp, sc: Scope) -> L.NestedOp:
        source = self.typer.build(n.source, sc)
        if n.kind == "expr":
            return L.NestedOp(n.alias, "expr", source, source.field.renamed(n.alias))
        if source.type is not T.BAG:
            raise SchemaError(
                f"Nested {n.kind.upper()} in alias {sc.alias} needs a bag; {n.alias} reads a {source.type.value}",
                **_at(n),
            )
        cols = source.field.tuple_schema
        inner = Scope(cols, sc.alias)
        out = L.NestedOp(n.alias, n.kind, source, FieldSchema(n.alias, T.BAG, bag_of(cols)))
        if n.kind == "filter":
            return _replace(out, cond=self._condition(n.arg, inner, "Filter's"))  # type: ignore[arg-type]
        if n.kind == "order":
            return _replace(out, keys=self._sort_keys(n.keys, inner)[0])
        if n.kind == "foreach":
            gens = tuple(g for item in n.generate for g in self._gen_item(item, inner))
            fields = [f for g in gens for f in (g.fields or ())]
            known = all(g.fields is not None for g in gens)
            bag = FieldSchema(n.alias, T.BAG, bag_of(Schema(tuple(fields)) if known else None))
            return _replace(out, field=bag, generate=gens)
        if n.kind == "limit":
            count = self._constant(n.arg, sc.alias, "LIMIT")  # type: ignore[arg-type]
            if count.type not in (T.INT, T.LONG):
                raise TypeCheckError(
                    f"In alias {sc.alias}, LIMIT needs an int or long, found {count.type.value}",
                    **_at(n),
                )
            return _replace(out, count=count)
        return out

    def _gen_item(self, item: A.GenItem, sc: Scope) -> list[L.GenerateItem]:
        flatten = isinstance(item.expr, A.Flatten)
        inner = item.expr.operand if isinstance(item.expr, A.Flatten) else item.expr
        if isinstance(inner, A.Star | A.Range):
            exprs = self.typer.expand(inner, sc)
            if exprs and isinstance(exprs[0], L.LEProject) and exprs[0].column is None:
                return [L.GenerateItem(exprs[0], True, None)]
            out = [L.GenerateItem(e, False, (e.field,)) for e in exprs]
            return self._rename_many(out, item, sc) if item.schema is not None else out
        le = self.typer.build(inner, sc)
        fields: tuple[FieldSchema, ...] | None = (le.field,)
        if flatten and le.type in (T.BAG, T.TUPLE):
            cols = le.field.tuple_schema
            prefix = le.field.name
            fields = (
                None
                if cols is None
                else tuple(
                    f.renamed(f"{prefix}::{f.name}" if prefix and f.name else f.name) for f in cols
                )
            )
        if item.schema is None:
            return [L.GenerateItem(le, flatten, fields)]
        return [self._apply_as(le, flatten, fields, item, sc)]

    def _apply_as(
        self, le: L.LExpr, flatten: bool, fields, item: A.GenItem, sc: Scope
    ) -> L.GenerateItem:
        user = item.schema.fields  # type: ignore[union-attr]
        if fields is None:
            declared = tuple(f.normalized() for f in user)
            casts = tuple(u.type if u.type not in (None, T.BYTEARRAY) else None for u in user)
            return L.GenerateItem(le, flatten, declared, casts if any(casts) else ())
        if len(user) != len(fields):
            got = ",".join(f.describe() for f in fields)
            want = ",".join(f.describe() for f in user)
            raise SchemaError(
                f"Cannot merge ({got}) with user defined schema ({want})", code=1117, **_at(item)
            )
        merged = tuple(
            FieldSchema(
                u.name or f.name,
                u.type if u.type is not None else f.type,
                u.schema if u.type is not None else f.schema,
            )
            for u, f in zip(user, fields, strict=True)
        )
        if not flatten and user[0].type is not None and user[0].type is not le.type:
            le = _cast_checked(le, merged[0], item, sc)
        elif not flatten and user[0].schema is not None and le.type in _COMPLEX:
            # Pig's ForEachUserSchemaVisitor: cast to the declared inner schema (its
            # unknown fields filled from the expression's) when the inner types differ
            target = _fill_unknown(le.field, user[0])
            if not _unknown_only(target) and not _type_match(le.field, target):
                target = target.renamed(merged[0].name)
                le, merged = _cast_checked(le, target, item, sc), (target, *merged[1:])
        casts: tuple[DataType | None, ...] = ()
        if flatten:
            casts = tuple(
                u.type if u.type is not None and u.type is not f.dtype else None
                for u, f in zip(user, fields, strict=True)
            )
            for u, f in zip(user, fields, strict=True):
                if u.type is not None and u.type is not f.dtype:
                    _cast_checked(L.LEConst(None, f), u, item, sc)  # refuses impossible casts
        return L.GenerateItem(le, flatten, merged, casts if any(casts) else ())

    def _rename_many(
        self, items: list[L.GenerateItem], item: A.GenItem, sc: Scope
    ) -> list[L.GenerateItem]:
        user = item.schema.fields  # type: ignore[union-attr]
        if len(user) != len(items):
            raise SchemaError(
                f"Cannot merge {len(items)} projected fields with a user defined schema of {len(user)}",
                code=1117,
                **_at(item),
            )
        return [
            self._apply_as(g.expr, False, g.fields, A.GenItem(item.expr, Schema((u,))), sc)
            for g, u in zip(items, user, strict=True)
        ]


_COMPLEX = (T.TUPLE, T.BAG, T.MAP)


def _fill_unknown(have: FieldSchema, user: FieldSchema) -> FieldSchema:
    """The declared field with its unknown (bytearray) parts taken from the expression's
    field `have` (Pig's ForEachUserSchemaVisitor.replaceNullByteArrayFieldSchema)."""
    if have.dtype is T.BYTEARRAY:
        return user
    if user.dtype is T.BYTEARRAY:
        return FieldSchema(user.name, have.dtype, have.schema)
    if user.dtype not in _COMPLEX or have.schema is None:
        return user
    if user.schema is None:
        return FieldSchema(user.name, user.dtype, have.schema)
    if len(user.schema) < len(have.schema):
        return user
    fields = tuple(_fill_unknown(h, u) for h, u in zip(have.schema, user.schema, strict=False))
    return FieldSchema(user.name, user.dtype, Schema(fields))


def _unknown_only(f: FieldSchema) -> bool:
    """Nothing but bytearray in the field, however deep (Pig: no cast needed)."""
    if f.dtype in _COMPLEX:
        return f.schema is None or all(_unknown_only(c) for c in f.schema)
    return f.dtype is T.BYTEARRAY


def _type_match(a: FieldSchema, b: FieldSchema) -> bool:
    """Same types all the way down (Pig's LogicalFieldSchema.typeMatch)."""
    if a.dtype is not b.dtype:
        return False
    if a.schema is None or b.schema is None:
        return a.schema is None and b.schema is None
    return len(a.schema) == len(b.schema) and all(
        _type_match(x, y) for x, y in zip(a.schema, b.schema, strict=True)
    )


def _castable(have: FieldSchema, want: FieldSchema) -> bool:
    """Pig's LogicalFieldSchema.castable: bytearray to anything, numbers to numbers and
    chararray, a tuple/bag/map to its own kind when its inner fields are castable."""
    src, dst = have.dtype, want.dtype
    if src is dst and src in _COMPLEX:
        if have.schema is None or want.schema is None:
            return True
        return len(have.schema) == len(want.schema) and all(
            _castable(h, w) for h, w in zip(have.schema, want.schema, strict=True)
        )
    return (
        src is T.BYTEARRAY
        or (src.is_numeric and (dst.is_numeric or dst is T.CHARARRAY))
        or dst in _CASTABLE.get(src, set())
    )


def _cast_checked(le: L.LExpr, target: FieldSchema, item: A.GenItem, sc: Scope) -> L.LExpr:
    src, dst = le.type, target.dtype
    if not _castable(le.field, target):
        raise TypeCheckError(
            f"In alias {sc.alias}, Cannot cast {src.value} to {dst.value} for AS {target.name}",
            code=1052,
            **_at(item),
        )
    return L.LECast(le, target)


def _check_unique_names(op: L.LogicalOperator) -> None:
    """Pig's SchemaAliasVisitor: an output schema may not use a name twice (ERROR 1108),
    e.g. a self-join of one alias.  A FOREACH's output is checked only for the names its AS
    clauses give (`Builder._foreach`), although Pig checks every name: `GENERATE (int)d,
    (long)d` keeps d twice (a cast keeps its operand's name) and runs here, and the other
    names a GENERATE derives (a FLATTENed bincond's fields) do not all match Pig's."""
    if not isinstance(op, L.LOJoin | L.LOCross | L.LOCogroup | L.LOUnion):
        return  # the others pass on a schema that was checked (or allowed) where it was made
    _unique(op, [f.name for f in op.schema or ()])


def _unique(
    op: L.LogicalOperator, names: Sequence[str | None], only: set[str] | None = None
) -> None:
    """ERROR 1108 for a name `names` holds twice (among `only`, when given)."""
    seen: set[str] = set()
    for name in names:
        if name is not None and name in seen and (only is None or name in only):
            where = f' in "{op.alias}"' if op.alias else ""
            fix = "; rename one with AS" + (
                ", or LOAD the input twice for a self-join" if "::" in name else ""
            )
            raise SchemaError(f"Duplicate schema alias: {name}{where}{fix}", code=1108, **_at(op))
        if name is not None:
            seen.add(name)


def _replace(op: L.NestedOp, **changes) -> L.NestedOp:
    return dataclasses.replace(op, **changes)


def _common_type(types: list[DataType]) -> DataType | None:
    first = types[0]
    if all(t is first for t in types):
        return first
    concrete = [t for t in types if t is not T.BYTEARRAY]
    if all(t.is_numeric for t in concrete):
        result = concrete[0]
        for t in concrete[1:]:
            result = wider_numeric(result, t)
        return result
    if len(set(concrete)) == 1 and concrete[0].is_atomic:
        return concrete[0]
    return None


def _group_field(keys: list[L.LExpr], group_all: bool) -> FieldSchema:
    if group_all:
        return FieldSchema("group", T.CHARARRAY)
    if len(keys) == 1:
        return keys[0].field.renamed("group")
    return FieldSchema("group", T.TUPLE, Schema(tuple(k.field for k in keys)))


def _name(op: L.LogicalOperator) -> str:
    """The alias an input is known by (bags of GROUP, `A::` prefixes of JOIN)."""
    return op.alias or op.op_id


def _concat(srcs: list[L.LogicalOperator]) -> Schema | None:
    if any(s.schema is None for s in srcs):
        return None
    fields: list[FieldSchema] = []
    for s in srcs:
        fields.extend(s.schema.prefixed(_name(s)))  # type: ignore[union-attr]
    return Schema(tuple(fields))


def _check_join(join_type: str, strategy: str, n: int, alias: str, node: A.Node) -> None:
    """Refuse what a strategy cannot do, in Pig's words, and say which one can."""
    if join_type != "inner" and n != 2:
        raise PlanError(
            f"In alias {alias}, {join_type.upper()} OUTER join is only supported for two inputs",
            **_at(node),
        )
    if strategy == "replicated" and join_type not in ("inner", "left"):
        raise PlanError(
            f"In alias {alias}, Replicated join does not support (right|full) outer joins; "
            f"use USING 'skewed' or the default hash join for a {join_type.upper()} OUTER join",
            **_at(node),
        )
    if strategy in ("skewed", "merge") and n != 2:
        raise PlanError(
            f"In alias {alias}, {strategy.capitalize()} join can only be applied for 2-way joins; "
            f"use USING 'replicated' or the default hash join for {n} inputs",
            **_at(node),
        )
    if strategy == "merge" and join_type not in ("inner", "left"):
        raise PlanError(
            f"In alias {alias}, Merge join does not support (right|full) outer joins; use the default hash join",
            **_at(node),
        )


def _stream_io(io: A.StreamIO) -> L.StreamIO:
    func = L.FuncSpec("PigStreaming", io.func.args) if io.func is not None else None
    return L.StreamIO(io.target, func or L.FuncSpec("PigStreaming"), io.is_file)


def _spec(f: A.FuncSpec | None) -> L.FuncSpec:
    return L.FuncSpec(f.name, f.args) if f is not None else L.FuncSpec("PigStorage")


# ---------------------------------------------------------------- entry points
def build(
    script: A.Script, *, text: str | None = None, functions: Functions | None = None
) -> L.LogicalPlan:
    """The logical plan for a parsed script; errors are located in `script.file`."""
    b = Builder(functions, script.file, text)
    b.add(script, text)
    return b.plan()


def build_text(
    text: str,
    params: Mapping[str, str] | None = None,
    *,
    file: str | None = None,
    param_files=(),
    functions: Functions | None = None,
) -> L.LogicalPlan:
    """Substitute parameters, parse and build: the whole front end in one call."""
    b = Builder(functions, file)
    b.feed(text, params, file=file, param_files=param_files)
    return b.plan()
