"""What the back end's joins agree on: the rule that null keys never match (`has_null`),
the width of an input's rows (`width`), and a replicated join's side inputs held in memory
(`ReplicatedTable`), the contract between the join (mapjoins.py) and the generated map
pipeline (codegen.py) that probes it.

Owns: these small shared definitions only. Must not touch: building tables or running joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piglatin.plan import logical as L

__all__ = ["ReplicatedTable", "has_null", "side_width", "width"]


def width(job: Any, op: L.LogicalOperator, tag: int) -> int | None:
    """The length every row of input `tag` has, when its schema says so."""
    schema = job.plan.op(op.inputs[tag]).schema
    return len(schema) if schema is not None else None


def has_null(key: Any) -> bool:
    """A join key with a null (or a null field of a multi-field key) never matches."""
    if key is None:
        return True
    return type(key) is tuple and None in key


@dataclass(frozen=True)
class ReplicatedTable:
    """A replicated join's side inputs in memory: per side input, its rows by the sort
    bytes of their key (null keys never match); `pad` stands for the side columns of a
    left outer join's unmatched row."""

    tables: tuple[dict[bytes, list[tuple]], ...]
    pad: tuple
    left_outer: bool


def side_width(plan: L.LogicalPlan, op: L.LOJoin) -> int:
    """How many columns the side inputs add (0 when a side schema is unknown)."""
    preds = plan.predecessors(op.op_id)
    return sum(len(p.schema) if p.schema is not None else 0 for p in preds[1:])


