"""CROSS over N reducers, as Pig's GFCross: each input's rows are spread over a grid of cells.

Owns: the grid of a CROSS job (`side`: slots per input, the least g with g ** inputs >= the
reducers), the map side's keys of a row (`cross_tail`: a row of input i takes slot s, a
per-map-task counter started at the task's number, and goes to every cell whose i-th digit is
s, so every combination of rows meets in exactly one cell) and the cell's reducer
(`partition`: the cell number modulo the reducers). A key is the cell number (4 bytes, big
endian) then the input's tag byte: a cell's rows arrive in tag order, grouped without the tag.
Deterministic per task (no random): a re-run attempt sends its rows to the same cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import product
from typing import Any

_TASK_NUMBER = re.compile(r"_m_(\d+)")


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
