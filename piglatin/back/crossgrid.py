"""CROSS over N reducers, as Pig's GFCross: each input's rows are spread over a grid of cells;
and the map-side CROSS that mrcompiler.py chooses when all inputs but one are small.

Owns: the grid of a CROSS job (`side`: slots per input, the least g with g ** inputs >= the
reducers), the map side's keys of a row (`cross_tail`: a row of input i takes slot s, a
per-map-task counter started at the task's number, and goes to every cell whose i-th digit is
s, so every combination of rows meets in exactly one cell) and the cell's reducer
(`partition`: the cell number modulo the reducers). A key is the cell number (4 bytes, big
endian) then the input's tag byte: a cell's rows arrive in tag order, grouped without the tag.
Deterministic per task (no random): a re-run attempt sends its rows to the same cells.

A map-side CROSS (`HeldInputs`, `held_inputs`, `map_cross`) streams one input through the map
side and holds the others' rows in memory in every map task, as a replicated join holds its
right inputs: each streamed row is followed by its combinations with the held rows, their
fields in the CROSS's input order. The rows are the same multiset GFCross makes (Pig leaves
the order of a CROSS's rows undefined); codegen.py inlines the loops over the held rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain, product
from typing import Any

from dfs.fastclass import frozen_dataclass
from dfs.lazyre import LazyRegex
from piglatin.plan import logical as L

_TASK_NUMBER = LazyRegex(r"_m_(\d+)")


def side(reducers: int, inputs: int) -> int:
    """Slots per input: the least g with g ** inputs >= reducers (Pig's
    ceil(parallelism ** (1 / inputs)), in whole numbers)."""
    g = 1
    while g**inputs < max(1, reducers):
        g += 1
    return g


def cell_keys(tag: int, slot: int, g: int, inputs: int) -> list[bytes]:
    """The keys of every cell whose `tag`-th digit (base `g`) is `slot`."""
    tb = bytes([tag])
    keys = []
    for digits in product(range(g), repeat=inputs - 1):
        full = list(digits)
        full.insert(tag, slot)
        cell = 0
        for d in reversed(full):
            cell = cell * g + d
        keys.append(cell.to_bytes(4, "big") + tb)
    return sorted(keys)


def partition(key: bytes, n: int) -> int:
    """A cell's reducer: its number modulo the `n` reducers."""
    return int.from_bytes(key[:4], "big") % n


def task_number(task_id: str) -> int:
    """The map task's number in its attempt id (0 when it has none): the same for re-runs."""
    found = _TASK_NUMBER.search(task_id or "")
    return int(found.group(1)) if found else 0


def cross_tail(
    tag: int, inputs: int, reducers: int, start: int, pack: Callable[[tuple], Any]
) -> Callable[[tuple], list]:
    """The map side of input `tag` of a CROSS of `inputs` inputs over `reducers` reducers:
    its rows take the slots in turn from `start` (mod g), each sent to its slot's cells."""
    g = side(reducers, inputs)
    by_slot = [cell_keys(tag, s, g, inputs) for s in range(g)]
    if g == 1:
        only = by_slot[0][0]
        return lambda t: [(only, (tag, pack(t)))]
    count = [start % g]

    def cross(t: tuple) -> list:
        s = count[0]
        count[0] = s + 1 if s + 1 < g else 0
        value = (tag, pack(t))
        return [(k, value) for k in by_slot[s]]

    return cross


# ------------------------------------------------------------------------------ map-side CROSS
@frozen_dataclass(slots=False)
class HeldInputs:
    """The held inputs of a map-side CROSS: `position` is the streamed input's place among
    the CROSS's inputs; `rows` and `widths` are, for the other inputs in order, their rows
    and the width every one of those rows has (its schema's; None when the schema is unknown
    or some row has another width: the generated code then leaves the CROSS to `map_cross`)."""

    position: int
    rows: tuple[list[tuple], ...]
    widths: tuple[int | None, ...]


def held_inputs(
    plan: L.LogicalPlan, op: L.LOCross, position: int, read: Callable[[str], Iterable[tuple]]
) -> HeldInputs:
    """The rows of every input of `op` but the streamed one, each read whole by `read` (op
    id -> its rows)."""
    rows: list[list[tuple]] = []
    widths: list[int | None] = []
    for i, dep in enumerate(op.inputs):
        if i == position:
            continue
        got = [tuple(r) for r in read(dep)]
        width = _schema_width(plan, dep)
        if width is not None and any(len(r) != width for r in got):
            width = None
        rows.append(got)
        widths.append(width)
    return HeldInputs(position, tuple(rows), tuple(widths))


def no_rows(plan: L.LogicalPlan, op: L.LOCross, position: int) -> HeldInputs:
    """Held inputs without rows, of the schemas' widths (EXPLAIN's generated code)."""
    return held_inputs(plan, op, position, lambda _dep: ())


def _schema_width(plan: L.LogicalPlan, op_id: str) -> int | None:
    schema = plan.op(op_id).schema
    return None if schema is None else len(schema)


def map_cross(held: HeldInputs) -> Callable[[tuple], list]:
    """t -> the rows of the CROSS that streamed row `t` makes with the held rows."""
    p, rows = held.position, held.rows
    if len(rows) == 1:
        only = rows[0]
        if p == 0:
            return lambda t: [t + r for r in only]
        return lambda t: [r + t for r in only]
    before, after = rows[:p], rows[p:]

    def cross(t: tuple) -> list:
        out = []
        for combo in product(*before, (t,), *after):
            out.append(tuple(chain.from_iterable(combo)))
        return out

    return cross
