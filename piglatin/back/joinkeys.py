"""What the back end's joins agree on: the rule that null keys never match (`has_null`),
the width of an input's rows (`width`), a replicated join's side inputs held in memory
(`ReplicatedTable`) and a merge join's cursor over its sorted right input (`MergeRuns`): the
contracts between the joins (mapjoins.py) and the generated map pipeline (codegen.py) that
probes them.

Owns: these small shared definitions only. Must not touch: building tables or running joins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

__all__ = ["MergeRuns", "ReplicatedTable", "has_null", "keys_by_value", "side_width", "width"]


def width(job: Any, op: L.LogicalOperator, tag: int) -> int | None:
    """The length every row of input `tag` has, when its schema says so."""
    schema = job.plan.op(op.inputs[tag]).schema
    return len(schema) if schema is not None else None


def has_null(key: Any) -> bool:
    """A join key with a null (or a null field of a multi-field key) never matches."""
    if key is None:
        return True
    return type(key) is tuple and None in key


@frozen_dataclass(slots=False)
class ReplicatedTable:
    """A replicated join's side inputs in memory: per side input, its rows by their key
    (null keys never match): by the key value itself when `by_value` (`keys_by_value`),
    else by its sort bytes; `pad` stands for the side columns of a left outer join's
    unmatched row."""

    tables: tuple[dict[Any, list[tuple]], ...]
    pad: tuple
    left_outer: bool
    by_value: bool = False


@frozen_dataclass(slots=False)
class MergeRuns:
    """A merge join's right input, read in key order as the sorted left rows ask: `run` of a
    left key (never null) is the list of right rows with an equal key, possibly empty (a
    ValueError when the left keys go down: the left input is not sorted); `pad` stands for
    the right columns of a left outer join's unmatched row."""

    run: Callable[[Any], list[tuple]]
    pad: tuple
    left_outer: bool


# key types Python's == and hash compare as Pig does (no float: NaN, -0.0; no complex type)
_VALUE_KEYS = frozenset(("chararray", "int", "long", "bytearray", "boolean"))


def keys_by_value(op: L.LOJoin) -> bool:
    """Whether a join's keys can be looked up by value: every input's key expressions have
    the same types, each one Python compares exactly as Pig does (no encoding per row)."""
    types = {tuple(e.type.value for e in keys) for keys in op.keys}
    return len(types) == 1 and all(t in _VALUE_KEYS for t in next(iter(types)))


def side_width(plan: L.LogicalPlan, op: L.LOJoin) -> int:
    """How many columns the side inputs add (0 when a side schema is unknown)."""
    preds = plan.predecessors(op.op_id)
    return sum(len(p.schema) if p.schema is not None else 0 for p in preds[1:])
