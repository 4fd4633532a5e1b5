"""Pig Latin syntax tree: frozen dataclasses, each with the line/column it came from.

Owns: the node classes the parser produces (expressions, relational operators,
statements).  Positions are excluded from equality so that `parse(pretty(tree)) == tree`
(`pretty` lives in parser.py).
Must not touch: parsing, schemas propagation or plans (see builder.py).
"""

from __future__ import annotations

from dataclasses import field

from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import Schema


def _pos():  # noqa: ANN202 - a fresh Field per use
    return field(default=0, compare=False, repr=False)


@frozen_dataclass
class Node:
    """Base of every node; `line`/`column` are 1-based source positions."""


# ------------------------------------------------------------------ expressions
@frozen_dataclass
class Expr(Node):
    pass


@frozen_dataclass
class Const(Expr):
    """A literal. `type` is a Pig type name: int, long, float, double, chararray,
    boolean, or "null"."""

    value: object
    type: str
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class FieldRef(Expr):
    name: str  # may contain `::` (A::x)
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class PosRef(Expr):
    index: int  # $0 -> 0
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Star(Expr):
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Range(Expr):
    """`a..c`, `..c` (start None) or `a..` (end None)."""

    start: FieldRef | PosRef | None
    end: FieldRef | PosRef | None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Project(Expr):
    """`base.f` (parens False) or `base.(f, g)` (parens True)."""

    base: Expr
    fields: tuple[FieldRef | PosRef, ...]
    parens: bool = False
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class MapLookup(Expr):
    base: Expr
    key: str
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class BinOp(Expr):
    """op: + - * / % == != < > <= >= and or matches."""

    op: str
    left: Expr
    right: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Neg(Expr):
    operand: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Not(Expr):
    operand: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class In(Expr):
    """`operand IN (a, b, ...)`: sugar for a chain of == joined by OR."""

    operand: Expr
    items: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class IsNull(Expr):
    operand: Expr
    negated: bool = False
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class BinCond(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Case(Expr):
    """CASE [operand] WHEN a THEN b ... [ELSE c] END."""

    operand: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    otherwise: Expr | None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Cast(Expr):
    """`(type) operand`; `to` is a one-field schema holding the target type."""

    to: Schema
    operand: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class FuncCall(Expr):
    name: str  # `COUNT`, `myudfs.f`
    args: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Flatten(Expr):
    operand: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class TupleExpr(Expr):
    items: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class BagExpr(Expr):
    items: tuple[TupleExpr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class MapExpr(Expr):
    pairs: tuple[tuple[str, Expr], ...]
    line: int = _pos()
    column: int = _pos()


# ------------------------------------------------------------- relational ops


@frozen_dataclass
class FuncSpec(Node):
    """`PigStorage(',')` in USING / DEFINE; args are literal values."""

    name: str
    args: tuple[object, ...] = ()
    parens: bool = True
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Load(Node):
    path: str
    func: FuncSpec | None = None
    schema: Schema | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class GenItem(Node):
    expr: Expr  # a Flatten node for FLATTEN(...)
    schema: Schema | None = None  # AS clause
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class NestedOp(Node):
    """One statement of a nested FOREACH block.

    kind: filter (arg = condition), order (keys), limit (arg = count), distinct,
    foreach (generate), expr (source is the whole expression)."""

    alias: str
    kind: str
    source: Expr
    arg: Expr | None = None
    keys: tuple[OrderKey, ...] = ()
    generate: tuple[GenItem, ...] = ()
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Foreach(Node):
    input: Input
    generate: tuple[GenItem, ...]
    nested: tuple[NestedOp, ...] = ()
    block: bool = False
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Filter(Node):
    input: Input
    cond: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class GroupItem(Node):
    """`A BY key` / `A BY (k1, k2)` (keys) or `A ALL` (keys empty, all True)."""

    alias: Input
    keys: tuple[Expr, ...] = ()
    all: bool = False
    modifier: str | None = None  # "inner" | "outer"
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Group(Node):
    items: tuple[GroupItem, ...]
    cogroup: bool = False
    using: str | None = None
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class JoinItem(Node):
    alias: Input
    keys: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Join(Node):
    items: tuple[JoinItem, ...]
    outer: str | None = None  # "left" | "right" | "full"
    using: str | None = None
    parallel: int | None = None
    explicit_outer: bool = False
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Cross(Node):
    inputs: tuple[Input, ...]
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Union(Node):
    inputs: tuple[Input, ...]
    onschema: bool = False
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class OrderKey(Node):
    expr: Expr  # FieldRef, PosRef or Star
    desc: bool = False
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Order(Node):
    input: Input
    keys: tuple[OrderKey, ...]
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Distinct(Node):
    input: Input
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Limit(Node):
    input: Input
    count: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Sample(Node):
    input: Input
    fraction: Expr
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Rank(Node):
    input: Input
    keys: tuple[OrderKey, ...] = ()
    dense: bool = False
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class CubeItem(Node):
    """`CUBE(a, b)` or `ROLLUP(a, b)` in a CUBE statement: its kind and dimensions."""

    kind: str  # "cube" | "rollup"
    dims: tuple[Expr, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Cube(Node):
    """`CUBE A BY CUBE(a, b), ROLLUP(c, d)`: Pig builds a FOREACH of CubeDimensions and
    RollupDimensions and a GROUP on the dimensions (builder.py)."""

    input: Input
    items: tuple[CubeItem, ...]
    parallel: int | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Stream(Node):
    """STREAM A THROUGH cmd [AS schema]: `through` names a DEFINEd command, or `command`
    is the backquoted command itself (one of the two is set)."""

    input: Input
    through: str | None = None
    command: str | None = None
    schema: Schema | None = None
    line: int = _pos()
    column: int = _pos()


Relation = (
    Load
    | Stream
    | Cube
    | Foreach
    | Filter
    | Group
    | Join
    | Cross
    | Union
    | Order
    | Distinct
    | Limit
    | Sample
    | Rank
)
# An operator's input is an alias, or an inline relation: FOREACH (GROUP A ALL) ...
Input = str | Relation


# ------------------------------------------------------------------ statements
@frozen_dataclass
class Assign(Node):
    alias: str
    op: Relation
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Store(Node):
    alias: str
    path: str
    func: FuncSpec | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Assert(Node):
    """`ASSERT A BY cond, 'message'`: the alias is rebound to A filtered by Assert(...)."""

    alias: str
    cond: Expr
    message: str | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Dump(Node):
    alias: str
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Describe(Node):
    alias: str
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Explain(Node):
    """EXPLAIN [-script f] [-out path] [-brief] [-dot|-xml] [-param k=v]... [-param_file f]...
    [alias]; `format` is "text", "dot" or "xml" (Pig's ExplainState names)."""

    alias: str | None = None
    script: str | None = None
    out: str | None = None
    brief: bool = False
    format: str = "text"
    params: tuple[str, ...] = ()  # "name=value", as `pig -param`
    param_files: tuple[str, ...] = ()
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Illustrate(Node):
    """ILLUSTRATE alias, or ILLUSTRATE -script file (`alias` empty)."""

    alias: str
    script: str | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class SplitBranch(Node):
    alias: str
    cond: Expr | None  # None = OTHERWISE
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Split(Node):
    input: Input
    branches: tuple[SplitBranch, ...]
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class SetStmt(Node):
    key: str
    value: object
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Register(Node):
    path: str
    using: str | None = None
    namespace: str | None = None
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Define(Node):
    alias: str
    func: FuncSpec
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class StreamIO(Node):
    """One INPUT/OUTPUT of a streaming command: stdin, stdout, stderr or a file name, and
    the (de)serializer (None: PigStreaming)."""

    target: str
    func: FuncSpec | None = None
    is_file: bool = False
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class DefineCommand(Node):
    """DEFINE alias `command` INPUT(...) OUTPUT(...) SHIP(...) CACHE(...) STDERR(...)."""

    alias: str
    command: str
    inputs: tuple[StreamIO, ...] = ()
    outputs: tuple[StreamIO, ...] = ()
    ship: tuple[str, ...] | None = None  # None: no SHIP clause; () SHIP() (nothing shipped)
    cache: tuple[str, ...] = ()
    stderr: tuple[str, int | None] | None = None  # STDERR('dir' [LIMIT n])
    line: int = _pos()
    column: int = _pos()


@frozen_dataclass
class Command(Node):
    """A grunt-style line command: kind is fs, sh, exec or run; args the rest."""

    kind: str
    args: str
    line: int = _pos()
    column: int = _pos()


Statement = (
    Assign
    | Store
    | Dump
    | Describe
    | Explain
    | Illustrate
    | Split
    | SetStmt
    | Register
    | Define
    | DefineCommand
    | Command
)


@frozen_dataclass
class Script(Node):
    statements: tuple[Statement, ...]
    file: str | None = field(default=None, compare=False)
