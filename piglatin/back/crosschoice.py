"""Whether a CROSS runs in a map side: all its inputs but one small enough to hold in memory.

Owns: the choice mrcompiler.py makes for each CROSS (`streamed`): the input a map-side CROSS
streams (the others are held whole by every map task, crossgrid.HeldInputs), or None for
Pig's GFCross over a grid of reducers. Must not touch: job boundaries (mrcompiler.py) or
running the CROSS (crossgrid.py).

Pig has no replicated CROSS: ``CROSS big, small`` is always a reduce job whose reducers each
build the pairs of one grid cell, and the narrow operators after it (the FILTER of a theta
join) run there, on rows a second job then reads again. Holding the small inputs in every map
task makes the same multiset of rows (Pig leaves their order undefined) with no shuffle, and
lets what follows the CROSS run in the same map side (a GROUP's map side with its combiner,
or the STORE). Hive makes the same choice for its joins and cross products
(``hive.auto.convert.join``, a small table under ``hive.mapjoin.smalltable.filesize``).

An input is small when its rows come through narrow operators (no FLATTEN) from LOADs or
earlier jobs' outputs whose files add up to at most ``pig.exec.mapCrossBytes`` (default
8 MiB; 0 keeps every CROSS on the reduce side) with the other held inputs, or when it has at
most `HELD_ROWS` rows of atomic fields whatever its size (GROUP ... ALL and aggregates, a
LIMIT of a constant). The
streamed input is the largest of them; an input whose size cannot be told must be it. A CROSS
with PARALLEL keeps Pig's plan: the user asked for that many reducers.

>>> from piglatin.front.builder import build_text
>>> plan = build_text('''A = LOAD 'a' AS (x:int); B = LOAD 'b' AS (y:int);
... C = CROSS A, B; D = CROSS A, B PARALLEL 3; E = GROUP B ALL; F = FOREACH E GENERATE COUNT(B);
... G = CROSS A, F; DUMP C;''')
>>> sizes = lambda plan, op_id: {"A": 10 << 20, "B": 5 << 10}.get(op_id)
>>> op = lambda alias: plan.op(dict(plan.aliases)[alias])
>>> streamed(plan, op("C"), {INPUT_BYTES: sizes}), streamed(plan, op("D"), {INPUT_BYTES: sizes})
(0, None)
>>> streamed(plan, op("C"), {INPUT_BYTES: sizes, MAX_BYTES: 0})
>>> streamed(plan, op("G"), {})  # F has one row; A's size is not known
0
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from typing import Any

from piglatin.plan import logical as L

log = logging.getLogger(__name__)

#: Compile conf: (plan, op id) -> the bytes of the op's files (a LOAD's input, an earlier
#: job's output), None when they cannot be listed; given by the launcher (absent: no size
#: is known).
INPUT_BYTES = "pig.compile.input.bytes"
#: The most bytes a map-side CROSS's held inputs may have together; 0: never map-side.
MAX_BYTES = "pig.exec.mapCrossBytes"
DEFAULT_MAX_BYTES = 8 << 20
#: A held input known to have at most this many rows is small whatever its files' size.
HELD_ROWS = 1000

_NARROW = (L.LOFilter, L.LOSample, L.LOSplit, L.LOSplitOutput, L.LOUnion, L.LOLimit)


def max_bytes(conf: Mapping[str, Any]) -> int:
    value = conf.get(MAX_BYTES)
    return DEFAULT_MAX_BYTES if value in (None, "") else int(value)


def streamed(
    plan: L.LogicalPlan, op: L.LOCross, conf: Mapping[str, Any], done: Collection[str] = ()
) -> int | None:
    """The input CROSS `op` streams through a map side, the others held; None: GFCross."""
    limit = max_bytes(conf)
    if op.parallel or limit <= 0 or len(op.inputs) < 2:
        return None
    sizer = _Sizer(plan, conf.get(INPUT_BYTES), done)
    sizes = [sizer.bytes(dep) for dep in op.inputs]
    small = [
        (b is not None and b <= limit) or _few_small_rows(plan, dep, HELD_ROWS)
        for dep, b in zip(op.inputs, sizes, strict=True)
    ]
    # the largest input streams; one whose size is unknown must (only one may be unknown)
    order = sorted(range(len(sizes)), key=lambda i: (sizes[i] is not None, -(sizes[i] or 0), i))
    pick = order[0]
    held = [i for i in range(len(sizes)) if i != pick]
    if not all(small[i] for i in held):
        return None
    if sum(sizes[i] or 0 for i in held) > limit:
        return None
    log.debug("CROSS %s: map-side, input %d streamed (sizes %s)", op.alias, pick, sizes)
    return pick


class _Sizer:
    """The bytes an op's rows come from, when they come through narrow operators that do
    not multiply rows (no FLATTEN, no JOIN or CROSS) from files whose size is known."""

    def __init__(
        self,
        plan: L.LogicalPlan,
        sizes: Callable[[L.LogicalPlan, str], int | None] | None,
        done: Collection[str],
    ) -> None:
        self.plan, self.sizes, self.done = plan, sizes, done

    def bytes(self, op_id: str) -> int | None:
        op = self.plan.op(op_id)
        if op_id in self.done or isinstance(op, L.LOLoad):
            return self.file_bytes(op_id)
        if isinstance(op, L.LOForEach) and not _multiplies(op):
            ins = [op.inputs[0]]
        elif isinstance(op, _NARROW):
            ins = list(op.inputs)
        else:
            return None
        total = 0
        for dep in dict.fromkeys(ins):
            b = self.bytes(dep)
            if b is None:
                return None
            total += b
        return total

    def file_bytes(self, op_id: str) -> int | None:
        if self.sizes is None:
            return None
        try:
            return self.sizes(self.plan, op_id)
        except Exception as e:  # a size probe never fails the compile: GFCross then
            log.debug("cannot size %s: %s", op_id, e)
            return None


def _multiplies(op: L.LOForEach) -> bool:
    """Whether a FOREACH may make more rows than it reads (a FLATTEN, a nested block)."""
    return bool(op.nested) or any(g.flatten for g in op.generate) or len(op.inputs) != 1


def _few_small_rows(plan: L.LogicalPlan, op_id: str, n: int) -> bool:
    """Whether `op_id` makes at most `n` rows of atomic fields whatever its input (not a
    GROUP ALL's bag of every row)."""
    schema = plan.op(op_id).schema
    if schema is None or not all(f.dtype.is_atomic for f in schema):
        return False
    return _rows_at_most(plan, op_id, n)


def _rows_at_most(plan: L.LogicalPlan, op_id: str, n: int) -> bool:
    """Whether `op_id` makes at most `n` rows whatever its input: a GROUP by constants
    (ALL: one group) or a LIMIT of a constant, through FOREACHes without FLATTEN, FILTERs,
    ORDERs and DISTINCTs."""
    op = plan.op(op_id)
    if isinstance(op, L.LOCogroup):
        keys = [e for exprs in op.keys for e in exprs]
        return op.group_all or all(isinstance(e, L.LEConst) for e in keys)
    if isinstance(op, L.LOLimit):
        count = op.count
        if isinstance(count, L.LEConst) and type(count.value) is int and count.value <= n:
            return True
        return _rows_at_most(plan, op.inputs[0], n)
    if isinstance(op, L.LOForEach) and not _multiplies(op):
        return _rows_at_most(plan, op.inputs[0], n)
    if isinstance(op, (L.LOFilter, L.LOSample, L.LOSort, L.LODistinct)):
        return _rows_at_most(plan, op.inputs[0], n)
    return False
