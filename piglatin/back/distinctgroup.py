"""Which GROUP runs in the reduce of the DISTINCT it reads: a GROUP by columns of the rows.

Owns the plan question `group_of_distinct` (asked once by the MR compiler, mrcompiler.py),
the switch's name `RULE`, and the layout of the fused job's shuffle key (`RowKey`, used by
both sides in distinctgroupreduce.py and by the job's partitioner).

This is minihadoop's, not Pig's: Pig runs ``D = DISTINCT X; G = GROUP D BY (a, b);`` as two
MapReduce jobs, the DISTINCT's rows written to a temporary file and read again. One job does
both: its map sends each row keyed by the GROUP's key bytes, then the other columns' bytes
(``key = g + r + len(g)``, 4 bytes big-endian), and partitions by ``g`` alone, so one
reduce task holds every distinct row of a group, and the sort puts them together, in
order of ``g`` (the GROUP job's order). The reduce side sees each distinct row once (equal
keys are one reduce group, as in the DISTINCT's own job), and the runs of equal ``g`` are
the GROUP's groups, their bags the distinct rows (projected by the FOREACHs between). It
shows only in speed and in EXPLAIN (the job's reduce plan lists the GROUP). Switched off by
the rule name ``DistinctGroupFusion`` in ``pig.optimizer.rules.disabled`` (``pig -t``,
``SET`` in the script, or the ``PIG_OPTIMIZER_RULES_DISABLED`` environment variable;
``All`` turns it off too).

Exactly when, each condition keeping the GROUP's rows what the two jobs give:

* the DISTINCT's input has a known schema (the key's columns are known);
* between the DISTINCT and the GROUP there are only FOREACHs of plain columns (the
  projection the column pruner adds), and each of them, and the DISTINCT, has exactly one
  reader in the plan (no STORE, SPLIT, scalar or other operator reads the distinct rows);
* the GROUP is a regular GROUP of one input, not ALL, whose key is plain columns (any of
  the DISTINCT's columns, in any order, all of them or some): rows the DISTINCT finds equal
  then have equal keys (a key computed from the row, even a cast, might not be equal for
  two rows whose sort bytes are, so it is not fused).

Nulls group as the GROUP groups them (a null key column's bytes are the same in every row).
A row of another width than the schema's (a schemaless input's short line) keeps its own
bytes after a marker, so it is never one with a row of the schema's width.
The fused job runs with the GROUP's PARALLEL when it has one, else the DISTINCT's, else
``default_parallel`` (else the launcher's estimate).
Must not touch: job boundaries other than this one (mrcompiler.py), or execution.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import mmh3

from piglatin.back.codegen import row_encoder
from piglatin.back.joingroup import group_source
from piglatin.model import data
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.plan import logical as L
from piglatin.plan.optimizer import disabled_rules

__all__ = [
    "RULE",
    "DistinctGroup",
    "RowKey",
    "enabled",
    "fused_columns",
    "exact_rows",
    "group_of_distinct",
    "partition",
]

RULE = "DistinctGroupFusion"
_ODD_WIDTH = b"\xff"  # before the bytes of a row of another width than the schema's
_LENGTH = struct.Struct(">I")  # the group part's hash after a key (`RowKey`)


@frozen_dataclass(slots=False)
class DistinctGroup:
    """A GROUP computed in the reduce of `distinct`: `projections`, the FOREACHs of plain
    columns between them (in order), then `group`. `key`: the GROUP's key columns, as
    columns of the DISTINCT's rows; `bag`: the columns of a distinct row its bag row holds
    (None: the whole row, when there are no projections)."""

    distinct: str
    projections: tuple[str, ...]
    group: str
    key: tuple[int, ...]
    bag: tuple[int, ...] | None


def enabled(plan: L.LogicalPlan) -> bool:
    """False when `RULE` (or All) is in ``pig.optimizer.rules.disabled``."""
    return not ({RULE.lower(), "all"} & disabled_rules(plan))


def group_of_distinct(
    plan: L.LogicalPlan, group_id: str, alive: Callable[[str], bool]
) -> DistinctGroup | None:
    """The DISTINCT whose reduce can compute GROUP `group_id` (see the module docstring);
    None when there is none. `alive(op_id)`: whether an op is run at all."""
    source = group_source(plan, group_id, alive, L.LODistinct)
    if source is None:
        return None
    cur, projections = source
    found = fused_columns(plan, cur, projections, group_id)
    if found is None:
        return None
    return DistinctGroup(cur, tuple(projections), group_id, *found)


def fused_columns(
    plan: L.LogicalPlan, distinct_id: str, projections: Sequence[str], group_id: str
) -> tuple[tuple[int, ...], tuple[int, ...] | None] | None:
    """`DistinctGroup.key` and `.bag` of DISTINCT `distinct_id`, the FOREACHs of plain
    columns `projections` after it and GROUP `group_id`; None when the DISTINCT's input
    schema is unknown or a column is out of range."""
    schema = plan.op(plan.op(distinct_id).inputs[0]).schema
    if schema is None or not len(schema):
        return None
    cols: tuple[int, ...] = tuple(range(len(schema)))
    for op_id in projections:
        picked = L.plain_projection(plan.op(op_id))
        if picked is None or any(c >= len(cols) for c in picked):
            return None
        cols = tuple(cols[c] for c in picked)
    keys = plan.op(group_id).keys[0]
    if any(e.column >= len(cols) for e in keys):
        return None
    return tuple(cols[e.column] for e in keys), (cols if projections else None)


class RowKey:
    """The fused job's shuffle key of a distinct row (see the module docstring).

    `encode`: row -> the sort bytes of the row with the GROUP's key columns first (the
    DISTINCT's own key when they are the first columns already: one generated
    `codegen.row_encoder` call), followed, when the job has more than one reducer
    (`split`), by the 4-byte murmur3 hash of the key columns' sort bytes (`partition`
    reads it). A row of another width or not a tuple: the same header and key columns
    (missing ones null, as the GROUP reads them), then a marker and the row's own sort
    bytes. `key_of`: row -> the tuple of its key columns (missing ones null); `key_bytes`:
    that tuple -> its sort bytes (equal exactly when the GROUP's keys are)."""

    __slots__ = ("encode", "key_of", "key_bytes", "get", "one")

    def __init__(
        self, types: Sequence[DataType], key: Sequence[int], split: bool, exact: bool
    ) -> None:
        width, key = len(types), tuple(key)
        order = key + tuple(c for c in range(width) if c not in set(key))
        whole = row_encoder([types[c] for c in order])
        g_enc = row_encoder([types[c] for c in key])
        header = b"\x08" + width.to_bytes(4, "big")
        key_of = _columns(key)
        pack = _LENGTH.pack

        def padded(row: Any) -> tuple:
            return tuple(row[c] if c < len(row) else None for c in key)

        def odd(row: Any) -> bytes:
            g = g_enc(padded(row))
            out = header + g[5:] + _ODD_WIDTH + data.sort_bytes(row)
            return out + pack(mmh3.hash(g, 0, False) & 0xFFFFFFFF) if split else out

        if order == tuple(range(width)):
            base = whole
        else:
            reorder = _columns(order)

            def base(row: Any) -> bytes:
                return whole(reorder(row))

        if split:

            def encode(row: Any) -> bytes:
                if type(row) is not tuple or len(row) != width:
                    return odd(row)
                return base(row) + pack(mmh3.hash(g_enc(key_of(row)), 0, False) & 0xFFFFFFFF)

        elif exact and base is whole:  # every row is a tuple of the schema's width
            encode = whole
        else:

            def encode(row: Any) -> bytes:
                if type(row) is not tuple or len(row) != width:
                    return odd(row)
                return base(row)

        def key_values(row: Any) -> tuple:
            try:
                return key_of(row)
            except (IndexError, TypeError):
                return padded(row)

        self.encode: Callable[[Any], bytes] = encode
        # the key columns of a row of the schema's width: one column's value, else their tuple
        self.get: Callable[[Any], Any] = itemgetter(*key)
        self.one = len(key) == 1
        self.key_of: Callable[[Any], tuple] = key_values
        self.key_bytes: Callable[[tuple], bytes] = g_enc


def exact_rows(plan: L.LogicalPlan, op_id: str) -> bool:
    """Every row `op_id` gives is a tuple of its schema's width: a FOREACH's, a PigStorage
    LOAD's with AS (a short line padded with nulls, a long one cut), and what a UNION of
    such, a FILTER, DISTINCT, ORDER, LIMIT or SAMPLE of them gives. Anything else may not
    be (`RowKey` then checks each row)."""
    op = plan.op(op_id)
    if isinstance(op, L.LOForEach):
        return True
    if isinstance(op, L.LOLoad):
        return op.declared is not None and op.func.name == "PigStorage"
    if isinstance(op, (L.LOUnion, L.LOFilter, L.LODistinct, L.LOSort, L.LOLimit, L.LOSample)):
        width = len(op.schema) if op.schema is not None else -1
        return all(exact_rows(plan, i) and len(plan.op(i).schema or ()) == width for i in op.inputs)
    return False


def _columns(cols: tuple[int, ...]) -> Callable[[Any], tuple]:
    """row -> the tuple of its columns `cols` (C-level)."""
    if not cols:
        return lambda row: ()
    if len(cols) == 1:
        get = itemgetter(cols[0])
        return lambda row: (get(row),)
    return itemgetter(*cols)


def partition(key: bytes, n: int) -> int:
    """The reduce partition of a fused job's key (`RowKey` with `split`): the murmur3 hash
    of its group's bytes it ends with, so a group's distinct rows meet in one reduce task."""
    return _LENGTH.unpack(key[-4:])[0] % n
