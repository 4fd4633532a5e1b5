"""Which columns of a relation hold only bytes where their schema says bytearray.

Owns: `byte_columns`, the per-column answer for one operator of a logical plan. A field
declared bytearray holds whatever its producer gave: the text a PigStorage (or TextLoader,
or a STREAM's PigStreaming) field was read as, a map[] value read from text; but a
BinStorage field read without a schema keeps its own type, and a UDF without an output
schema, or a value looked up in a map TOMAP built, may be a bag, a tuple or a map (Pig's
BinStorage/InterSedes and JythonFunction keep the Java object whatever the schema). A
packer that writes rows as plain msgpack (`back.reducers.packer`) may count such a field
an atom only when every value in it is bytes or null: a list would read back a tuple.

The answer is conservative: a column is "bytes" (True) when every bytearray inside its
values (the column's own value, or any bytearray in a tuple, bag or map it holds) is
bytes, which the plan proves by following it to a text loader through operators and
expressions that keep values as they are (projections, casts, map lookups, filters,
sorts, joins, groups); anything the plan cannot follow (a UDF, a builtin whose result
may hold any value, a nested block's relation) is False.

Must not touch: execution, schemas' types (it reads them), other modules' private names.
"""

from __future__ import annotations

from collections.abc import Sequence

from piglatin.model.schema import DataType
from piglatin.plan import logical as L

__all__ = ["byte_columns", "plain_atoms"]

#: loaders (by short name) whose bytearray fields and map[] values hold the text read
TEXT_LOADERS = frozenset(("PigStorage", "TextLoader", "CSVExcelStorage", "CSVLoader"))
_KEEPS_ROWS = (L.LOFilter, L.LOSort, L.LODistinct, L.LOLimit, L.LOSample, L.LOSplit,
               L.LOSplitOutput)
_ATOMIC = frozenset(DataType) - {DataType.BYTEARRAY, DataType.TUPLE, DataType.BAG,
                                 DataType.MAP}


def byte_columns(plan: L.LogicalPlan, op_id: str) -> tuple[bool, ...]:
    """For each column of `op_id`'s schema: whether every bytearray in its values is bytes
    (or null). All False when the schema is unknown or the plan cannot tell."""
    op = plan.op(op_id)
    width = len(op.schema) if op.schema is not None else 0
    found = _columns(plan, op_id, {})
    if isinstance(found, bool):
        return (found,) * width
    return found if len(found) == width else (False,) * width


# an operator's answer: one per column, or one bool for every column of a relation whose
# width the plan does not know (a LOAD without a schema, and what passes its rows on)
Cols = tuple[bool, ...] | bool


def _at(cols: Cols, i: int) -> bool:
    return cols if isinstance(cols, bool) else i < len(cols) and cols[i]


def _every(cols: Cols) -> bool:
    return cols if isinstance(cols, bool) else all(cols)


def _columns(plan: L.LogicalPlan, op_id: str, seen: dict) -> Cols:
    if op_id in seen:
        return seen[op_id]
    seen[op_id] = False  # a cycle (none expected) proves nothing
    found = _of(plan, plan.op(op_id), seen)
    seen[op_id] = False if found is None else found
    return seen[op_id]


def _of(plan: L.LogicalPlan, op: L.LogicalOperator, seen: dict) -> Cols | None:
    if isinstance(op, L.LOLoad):
        return op.func.name.rpartition(".")[2] in TEXT_LOADERS
    if isinstance(op, L.LOStream):  # its output lines are read as PigStreaming text
        return True
    inputs = [_columns(plan, i, seen) for i in op.inputs]
    if isinstance(op, _KEEPS_ROWS):
        return inputs[0]
    if isinstance(op, (L.LOJoin, L.LOCross)):
        if any(isinstance(c, bool) for c in inputs):  # a width unknown: where does one end
            return all(map(_every, inputs))
        return tuple(c for cols in inputs for c in cols)  # type: ignore[union-attr]
    if isinstance(op, L.LORank):
        return inputs[0] if isinstance(inputs[0], bool) else (True, *inputs[0])
    if isinstance(op, L.LOUnion):
        if op.onschema or any(isinstance(c, bool) for c in inputs):
            return all(map(_every, inputs))
        if len({len(c) for c in inputs}) != 1:  # type: ignore[arg-type]
            return None
        return tuple(all(c) for c in zip(*inputs, strict=True))  # type: ignore[call-overload]
    if isinstance(op, L.LOCogroup):
        keys = [all(_expr(k, c) for k in ks) for ks, c in zip(op.keys, inputs, strict=False)]
        return (all(keys), *map(_every, inputs))
    if isinstance(op, L.LOForEach):
        out: list[bool] = []
        for g in op.generate:
            ok = _expr(g.expr, inputs[0] if inputs else False)
            if not g.flatten:
                out.append(ok)
            elif g.fields is None:
                return None
            else:
                out += [ok] * len(g.fields)
        return tuple(out)
    return None


def _expr(e: L.LExpr, cols: Cols) -> bool:
    """Whether every bytearray in the values of `e` over a row with columns `cols` is bytes."""
    if isinstance(e, L.LEProject):
        if e.input != 0:
            return False
        return _every(cols) if e.column is None else _at(cols, e.column)
    if e.type in _ATOMIC:  # a chararray, number, boolean or datetime holds no bytearray
        return True
    if isinstance(e, L.LEConst):
        return not isinstance(e.value, (tuple, list, dict))
    if isinstance(e, (L.LECast, L.LEUnary)):
        return _expr(e.operand, cols)
    if isinstance(e, (L.LEMapLookup, L.LEDeref)):
        return _expr(e.base, cols)
    if isinstance(e, L.LEBinCond):
        return _expr(e.then, cols) and _expr(e.otherwise, cols)
    if isinstance(e, L.LEFilteredBag):
        return _expr(e.source, cols)
    return False


_ATOMS = frozenset((DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE,
                    DataType.CHARARRAY, DataType.BYTEARRAY, DataType.BOOLEAN))


def plain_atoms(plan: L.LogicalPlan, op_id: str, columns: Sequence[int] | None = None) -> bool:
    """Whether `columns` (all by default) of `op_id`'s rows are atoms msgpack packs as
    themselves and reads back the same: int, long, float, double, chararray, boolean, and
    bytearray where `byte_columns` proves it bytes."""
    schema = plan.op(op_id).schema
    if schema is None:
        return False
    cols = range(len(schema)) if columns is None else columns
    if any(c >= len(schema) or schema[c].dtype not in _ATOMS for c in cols):
        return False
    if any(schema[c].dtype is DataType.BYTEARRAY for c in cols):
        text = byte_columns(plan, op_id)
        return all(text[c] for c in cols if schema[c].dtype is DataType.BYTEARRAY)
    return True
