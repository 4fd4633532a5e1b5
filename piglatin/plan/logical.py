"""The logical plan: typed expressions (LE*), relational operators (LO*), `LogicalPlan`.

Owns: frozen dataclasses describing *what* a script computes, with every output
schema and implicit cast already resolved, plus the plan DAG and its text form.
Every LO* carries its unique `op_id`, the user `alias`, its `inputs` (op ids), its
output `schema` (None = unknown, as in Pig) and the source `line`/`column`.
Expressions inside an operator refer to columns of the operator's input tuple by
index (`LEProject.column`; `input` selects the input of JOIN/COGROUP keys).
Must not touch: parsing (parser.py), building (builder.py), execution.

How later stages use it: walk `plan.actions` in order (a `RunSink` names an
LOStore/LODump to run; DESCRIBE/EXPLAIN/SET/... are the other actions); compile the
operators `plan.upstream(sink_id)` returns (topological, scalars included); rewrite by
building new frozen nodes with `dataclasses.replace` and a new `LogicalPlan`.

>>> from piglatin.front.builder import build_text
>>> plan = build_text("A = LOAD 'x' AS (a:int); B = FILTER A BY a > 1; STORE B INTO 'o';")
>>> [op.name for op in plan.upstream(plan.sinks()[0].op_id)]
['LOLoad', 'LOFilter', 'LOStore']
"""

from __future__ import annotations

from dataclasses import field

from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType, FieldSchema, Schema, describe_alias


# ------------------------------------------------------------------ expressions
@frozen_dataclass
class LExpr:
    """A typed expression; `field` is its result (name, type, nested schema)."""

    @property
    def type(self) -> DataType:
        return self.field.dtype  # type: ignore[attr-defined]


@frozen_dataclass
class LEConst(LExpr):
    value: object
    field: FieldSchema


@frozen_dataclass
class LEProject(LExpr):
    """Column `column` of input `input`; column None projects the whole tuple (`*`)."""

    column: int | None
    field: FieldSchema
    input: int = 0


@frozen_dataclass
class LEInnerRef(LExpr):
    """A relation defined earlier in the same nested FOREACH block."""

    alias: str
    field: FieldSchema


@frozen_dataclass
class LEScalar(LExpr):
    """`T.total`: a column of a one-row relation used as a value (Pig's scalar).

    The plan lists (consumer op id, `op_id`) in `LogicalPlan.scalars`."""

    alias: str
    op_id: str
    column: int
    field: FieldSchema


@frozen_dataclass
class LEDeref(LExpr):
    """`base.f` / `base.(f, g)` on a tuple (one value / sub-tuple) or a bag (a bag)."""

    base: LExpr
    columns: tuple[int, ...]
    field: FieldSchema


@frozen_dataclass
class LEMapLookup(LExpr):
    base: LExpr
    key: str
    field: FieldSchema


@frozen_dataclass
class LEBinary(LExpr):
    """op: + - * / % == != < > <= >= and or matches."""

    op: str
    left: LExpr
    right: LExpr
    field: FieldSchema


@frozen_dataclass
class LEUnary(LExpr):
    """op: neg, not, isnull, notnull."""

    op: str
    operand: LExpr
    field: FieldSchema


@frozen_dataclass
class LECast(LExpr):
    operand: LExpr
    field: FieldSchema


@frozen_dataclass
class LEBinCond(LExpr):
    """`cond ? then : otherwise`; CASE is lowered to nested BinConds."""

    cond: LExpr
    then: LExpr
    otherwise: LExpr
    field: FieldSchema


@frozen_dataclass
class LEFunc(LExpr):
    """A function call.  `kind` is builtin, udf or define; `func` the resolved name
    (the builtin name, `namespace.name` for UDFs); `ctor_args` come from DEFINE."""

    name: str
    func: str
    kind: str
    args: tuple[LExpr, ...]
    field: FieldSchema
    ctor_args: tuple[object, ...] = ()


@frozen_dataclass
class LETuple(LExpr):
    items: tuple[LExpr, ...]
    field: FieldSchema


@frozen_dataclass
class LEBag(LExpr):
    items: tuple[LETuple, ...]
    field: FieldSchema


@frozen_dataclass
class LEMap(LExpr):
    pairs: tuple[tuple[str, LExpr], ...]
    field: FieldSchema


@frozen_dataclass
class LEFilteredBag(LExpr):
    """The rows of bag `source` for which `cond` (over one row's columns) is true: a nested
    FILTER as an expression, which the combiner rule makes of ``f = FILTER B BY c`` so that
    an aggregate of `f` is computed map-side (mrcompiler.algebraic_foreach)."""

    source: LExpr
    cond: LExpr
    field: FieldSchema


# ------------------------------------------------------------ relational ops
@frozen_dataclass
class FuncSpec:
    """A load/store function or DEFINE target: name plus constructor arguments."""

    name: str
    args: tuple[object, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}(" + ",".join(repr(a) for a in self.args) + ")"


@frozen_dataclass
class SortKey:
    """An ORDER/RANK key: a projection of the input plus its direction."""

    expr: LExpr
    ascending: bool = True


@frozen_dataclass
class LogicalOperator:
    op_id: str
    alias: str | None
    inputs: tuple[str, ...]
    schema: Schema | None
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        return type(self).__name__


@frozen_dataclass
class LOLoad(LogicalOperator):
    path: str = ""
    func: FuncSpec = FuncSpec("PigStorage")
    declared: Schema | None = None  # the AS clause, before normalization
    # Pig's ColumnMapKeyPrune: (column, keys) for each map column the script reads only
    # through lookups of these constant keys; the loader may give those entries only
    map_keys: tuple[tuple[int, tuple[str, ...]], ...] = ()


@frozen_dataclass
class GenerateItem:
    """One GENERATE expression; `fields` is what it contributes to the output.

    `casts[i]` is the type output field i must be converted to when FLATTEN ... AS
    declares a type different from the flattened value's (or when the flattened
    schema is unknown); empty when nothing needs converting.  A single, unflattened
    expression is cast inside `expr` instead.
    """

    expr: LExpr
    flatten: bool
    fields: tuple[FieldSchema, ...] | None  # None when unknown (flatten of unknown)
    casts: tuple[DataType | None, ...] = ()


@frozen_dataclass
class NestedOp:
    """A nested FOREACH statement: kind filter|order|limit|distinct|foreach|expr."""

    alias: str
    kind: str
    source: LExpr
    field: FieldSchema  # the bag (or value) the alias stands for
    cond: LExpr | None = None
    count: LExpr | None = None
    keys: tuple[SortKey, ...] = ()
    generate: tuple[GenerateItem, ...] = ()  # kind foreach


@frozen_dataclass
class LOForEach(LogicalOperator):
    generate: tuple[GenerateItem, ...] = ()
    nested: tuple[NestedOp, ...] = ()


def plain_projection(op: LogicalOperator) -> tuple[int, ...] | None:
    """The input columns a FOREACH passes through unchanged (GENERATE of plain column
    projections, nothing flattened, cast or nested), in output order; None otherwise."""
    if not isinstance(op, LOForEach) or op.nested or len(op.inputs) != 1 or not op.generate:
        return None
    cols = []
    for g in op.generate:
        e = g.expr
        if g.flatten or g.casts or not isinstance(e, LEProject) or e.column is None:
            return None
        cols.append(e.column)
    return tuple(cols)


@frozen_dataclass
class LOFilter(LogicalOperator):
    cond: LExpr | None = None


@frozen_dataclass
class LOCogroup(LogicalOperator):
    """GROUP/COGROUP; keys[i] are the key expressions for input i."""

    keys: tuple[tuple[LExpr, ...], ...] = ()
    group_all: bool = False
    inner: tuple[bool, ...] = ()
    strategy: str = "regular"  # regular | collected | merge
    parallel: int | None = None


@frozen_dataclass
class LOJoin(LogicalOperator):
    keys: tuple[tuple[LExpr, ...], ...] = ()
    join_type: str = "inner"  # inner | left | right | full
    strategy: str = "hash"  # hash | replicated | skewed | merge
    parallel: int | None = None


@frozen_dataclass
class LOCross(LogicalOperator):
    parallel: int | None = None


@frozen_dataclass
class LOUnion(LogicalOperator):
    onschema: bool = False
    # for ONSCHEMA: per input, the output column each input column goes to
    mapping: tuple[tuple[int, ...], ...] = ()


@frozen_dataclass
class LOSort(LogicalOperator):
    keys: tuple[SortKey, ...] = ()
    star: bool = False
    parallel: int | None = None


@frozen_dataclass
class LODistinct(LogicalOperator):
    parallel: int | None = None


@frozen_dataclass
class LOLimit(LogicalOperator):
    count: LExpr | None = None


@frozen_dataclass
class LOSample(LogicalOperator):
    fraction: LExpr | None = None


@frozen_dataclass
class LORank(LogicalOperator):
    keys: tuple[SortKey, ...] = ()
    dense: bool = False
    parallel: int | None = None


@frozen_dataclass
class LOSplit(LogicalOperator):
    """The fan-out point of SPLIT; each branch is an LOSplitOutput reading it."""


@frozen_dataclass
class LOSplitOutput(LogicalOperator):
    """cond None means OTHERWISE: Pig's NOT (c1 OR c2 ...) of the other branches' conds,
    true for a row when each of them is false (a null one leaves the row out)."""

    cond: LExpr | None = None
    others: tuple[LExpr, ...] = ()


@frozen_dataclass
class StreamIO:
    """A streaming command's input or output: "stdin", "stdout", "stderr" or a file name
    (`is_file`), and its (de)serializer (PigStreaming with its delimiter by default)."""

    target: str
    func: FuncSpec = FuncSpec("PigStreaming")
    is_file: bool = False


@frozen_dataclass
class LOStream(LogicalOperator):
    """STREAM: every row through an external command (a process per task), its output lines
    the rows (Pig's POStream). `define` is the DEFINE alias it came from, if any; `ship`
    None when no SHIP clause was given."""

    command: str = ""
    define: str | None = None
    inputs_io: tuple[StreamIO, ...] = ()
    outputs_io: tuple[StreamIO, ...] = ()
    ship: tuple[str, ...] | None = None
    cache: tuple[str, ...] = ()
    stderr: tuple[str, int | None] | None = None


@frozen_dataclass
class LOStore(LogicalOperator):
    path: str = ""
    func: FuncSpec = FuncSpec("PigStorage")


@frozen_dataclass
class LODump(LogicalOperator):
    """DUMP: print the relation (Pig stores it to a temporary file and prints it)."""


SINKS = (LOStore, LODump)


# ------------------------------------------------------------------ actions
@frozen_dataclass
class Action:
    """A statement the runner performs in script order (sinks, DESCRIBE, SET, ...)."""

    line: int = field(default=0, compare=False)


@frozen_dataclass
class RunSink(Action):
    op_id: str = ""


@frozen_dataclass
class DescribeAction(Action):
    alias: str = ""
    op_id: str = ""
    text: str = ""


@frozen_dataclass
class ExplainAction(Action):
    """EXPLAIN's target and options (Pig's ExplainState): `script` a script file explained
    instead of this one, `out` a file or directory, `format` text | dot | xml."""

    alias: str | None = None
    op_id: str | None = None
    script: str | None = None
    out: str | None = None
    brief: bool = False
    format: str = "text"
    params: tuple[str, ...] = ()
    param_files: tuple[str, ...] = ()


@frozen_dataclass
class IllustrateAction(Action):
    alias: str = ""
    op_id: str = ""
    script: str | None = None  # ILLUSTRATE -script file


@frozen_dataclass
class SetAction(Action):
    key: str = ""
    value: object = None


@frozen_dataclass
class RegisterAction(Action):
    path: str = ""
    using: str | None = None
    namespace: str | None = None


@frozen_dataclass
class DefineAction(Action):
    alias: str = ""
    func: FuncSpec = FuncSpec("")


@frozen_dataclass
class CommandAction(Action):
    kind: str = ""  # fs | sh | exec | run | grunt commands (ls, cat, quit, ...), lower case
    args: str = ""


# --------------------------------------------------------------------- plan
@frozen_dataclass
class LogicalPlan:
    """A DAG of operators in creation (= topological) order, plus script actions.

    `aliases` maps each alias to the op id it names at the end of the script.
    """

    operators: tuple[LogicalOperator, ...]
    actions: tuple[Action, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    file: str | None = None
    scalars: tuple[tuple[str, str], ...] = ()  # (op reading a scalar, op producing it)
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({op.op_id: op for op in self.operators})

    def op(self, op_id: str) -> LogicalOperator:
        return self._index[op_id]

    def __str__(self) -> str:
        return self.explain()

    def __contains__(self, op_id: str) -> bool:
        return op_id in self._index

    def alias(self, name: str) -> LogicalOperator:
        """The operator an alias names at the end of the script."""
        return self.op(dict(self.aliases)[name])

    def sinks(self) -> list[LogicalOperator]:
        return [op for op in self.operators if isinstance(op, SINKS)]

    def predecessors(self, op_id: str) -> list[LogicalOperator]:
        return [self.op(i) for i in self.op(op_id).inputs]

    def successors(self, op_id: str) -> list[LogicalOperator]:
        return [op for op in self.operators if op_id in op.inputs]

    def dependencies(self, op_id: str) -> tuple[str, ...]:
        """Inputs plus the relations `op_id` reads as scalars."""
        return self.op(op_id).inputs + tuple(src for user, src in self.scalars if user == op_id)

    def upstream(self, op_id: str) -> list[LogicalOperator]:
        """`op_id` and everything it depends on, in topological order."""
        needed: set[str] = set()
        stack = [op_id]
        while stack:
            cur = stack.pop()
            if cur not in needed:
                needed.add(cur)
                stack.extend(self.dependencies(cur))
        return [op for op in self.operators if op.op_id in needed]

    def describe(self, alias: str) -> str:
        return describe_alias(alias, self.alias(alias).schema)

    def explain(self, op_id: str | None = None) -> str:
        """Pig's logical plan text: each sink (or `op_id`) as a tree of its inputs."""
        roots = [self.op(op_id)] if op_id else self.sinks() or self.operators[-1:]
        lines = [
            "#-----------------------------------------------",
            "# New Logical Plan:",
            "#-----------------------------------------------",
        ]
        for root in roots:
            lines.extend(self._tree(root, ""))
            lines.append("")
        return "\n".join(lines).rstrip("\n")

    def _tree(self, op: LogicalOperator, indent: str) -> list[str]:
        schema = op.schema.short() if op.schema is not None else "null"
        head = f"{op.alias or op.op_id}: (Name: {op.name}{describe_op(op)} Schema: {schema})"
        lines = [indent + head]
        for dep in self.dependencies(op.op_id):
            lines.append(indent + "|")
            sub = self._tree(self.op(dep), indent + "    ")
            lines.append(indent + "|---" + sub[0][len(indent) + 4 :])
            lines.extend(sub[1:])
        return lines


# ------------------------------------------------------------------- text form
def format_expr(e: LExpr) -> str:  # noqa: C901 - one branch per node type
    """A readable Pig-like rendering of a typed expression (for EXPLAIN)."""
    if isinstance(e, LEConst):
        if e.value is None:
            return "null"
        return f"'{e.value}'" if isinstance(e.value, str) else str(e.value)
    if isinstance(e, LEProject):
        return "*" if e.column is None else (e.field.name or f"${e.column}")
    if isinstance(e, LEInnerRef):
        return e.alias
    if isinstance(e, LEScalar):
        return f"{e.alias}.${e.column}"
    if isinstance(e, LEDeref):
        return f"{format_expr(e.base)}.(" + ",".join(f"${c}" for c in e.columns) + ")"
    if isinstance(e, LEMapLookup):
        return f"{format_expr(e.base)}#'{e.key}'"
    if isinstance(e, LEBinary):
        return f"({format_expr(e.left)} {e.op} {format_expr(e.right)})"
    if isinstance(e, LEUnary):
        inner = format_expr(e.operand)
        return {"neg": f"-{inner}", "not": f"NOT {inner}", "isnull": f"{inner} IS NULL"}.get(
            e.op, f"{inner} IS NOT NULL"
        )
    if isinstance(e, LECast):
        return f"({e.type.value}){format_expr(e.operand)}"
    if isinstance(e, LEBinCond):
        return f"({format_expr(e.cond)} ? {format_expr(e.then)} : {format_expr(e.otherwise)})"
    if isinstance(e, LEFunc):
        return f"{e.func}(" + ",".join(format_expr(a) for a in e.args) + ")"
    if isinstance(e, LETuple):
        return "(" + ",".join(format_expr(i) for i in e.items) + ")"
    if isinstance(e, LEBag):
        return "{" + ",".join(format_expr(i) for i in e.items) + "}"
    if isinstance(e, LEMap):
        return "[" + ",".join(f"'{k}'#{format_expr(v)}" for k, v in e.pairs) + "]"
    if isinstance(e, LEFilteredBag):
        return f"FILTER({format_expr(e.source)} BY {format_expr(e.cond)})"
    return type(e).__name__


def _keys(keys) -> str:
    return ",".join(format_expr(k) for k in keys)


def _sort(keys: tuple[SortKey, ...]) -> str:
    return ",".join(format_expr(k.expr) + ("" if k.ascending else " DESC") for k in keys)


def describe_op(op: LogicalOperator) -> str:  # noqa: C901 - one branch per operator
    """The operator's own arguments, e.g. `(inner,replicated) BY id | id`."""
    if isinstance(op, LOLoad):
        return f" '{op.path}' USING {op.func}"
    if isinstance(op, LOFilter) and op.cond is not None:
        return f" BY {format_expr(op.cond)}"
    if isinstance(op, LOForEach):
        gens = ",".join(
            ("FLATTEN(%s)" if g.flatten else "%s") % format_expr(g.expr) for g in op.generate
        )
        nested = f" {{{len(op.nested)} nested}}" if op.nested else ""
        return f"{nested} GENERATE {gens}"
    if isinstance(op, LOCogroup):
        return " ALL" if op.group_all else " BY " + " | ".join(_keys(k) for k in op.keys)
    if isinstance(op, LOJoin):
        return f"({op.join_type},{op.strategy}) BY " + " | ".join(_keys(k) for k in op.keys)
    if isinstance(op, (LOSort, LORank)) and op.keys:
        return " BY " + _sort(op.keys)
    if isinstance(op, LOLimit) and op.count is not None:
        return f" {format_expr(op.count)}"
    if isinstance(op, LOSample) and op.fraction is not None:
        return f" {format_expr(op.fraction)}"
    if isinstance(op, LOSplitOutput):
        return f" IF {format_expr(op.cond)}" if op.cond is not None else " OTHERWISE"
    if isinstance(op, LOStore):
        return f" '{op.path}' USING {op.func}"
    if isinstance(op, LOUnion) and op.onschema:
        return " ONSCHEMA"
    if isinstance(op, LOStream):
        return f" THROUGH {op.define} (`{op.command}`)" if op.define else f" THROUGH `{op.command}`"
    return ""
