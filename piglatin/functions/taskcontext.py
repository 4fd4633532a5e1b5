"""What a builtin may know about the task running it: the task's index (Pig's
PigConstants.TASK_INDEX, the number in ``attempt_<job>_m_000003_0``) and UniqueID's sequence.

Owns: the per-thread task state, set when a Pig task starts (`start_task`, called by the
task's setup) and read by UniqueID, and the task's default time zone and map table
(model.data's). As
Pig's, each UniqueID call in a script counts on its own (one EvalFunc instance, one
`sequence`, per call): the builder names each call's site.
Must not touch: anything else a task does.

>>> start_task("attempt_0007_m_000003_0")
>>> first, second = unique_id_at("B:2:24"), unique_id_at("C:3:9")
>>> first(), first(), second()
('3-0', '3-1', '3-0')
"""

from __future__ import annotations

import re
import threading
from datetime import UTC

from piglatin.model import data

__all__ = ["start_task", "task_index", "unique_id", "unique_id_at"]

_STATE = threading.local()
_INDEX = re.compile(r"_[mr]_0*(\d+)(?:_\d+)?$")


def start_task(attempt_id: str, default_tz: str | None = None) -> None:
    """A task starts: its index from its attempt id (0 when it has none), a fresh sequence,
    and the zone of datetimes read without one: ``pig.datetime.default.tz``'s offset now
    (Pig's PigGenericMapBase.setup), UTC when unset; the order JsonStorage writes maps in (a map
    task's as built, a reduce task's as read back after the shuffle: `data.java_items`)."""
    m = _INDEX.search(attempt_id or "")
    _STATE.index = int(m.group(1)) if m else 0
    _STATE.sequences = {}
    data.set_default_zone(data.fixed_zone(default_tz) if default_tz else UTC)
    # a reduce task's maps came through the shuffle: BinInterSedes read them back sized
    data.set_task_map_table(bool(m) and m.group(0)[1] == "r")


def task_index() -> int:
    return getattr(_STATE, "index", 0)


def unique_id(*_ignored: object) -> str:
    """UniqueID() of a call site the builder did not name: "<task index>-<sequence>"."""
    return _next("")


def unique_id_at(site: str):  # noqa: ANN201 - a UniqueID callable
    """UniqueID() at one call site: "<task index>-<sequence>", the sequence counting this
    site's calls in this task (any arguments are ignored, as Pig's)."""
    return lambda *_ignored: _next(site)


def _next(site: str) -> str:
    sequences = getattr(_STATE, "sequences", None)
    if sequences is None:
        sequences = _STATE.sequences = {}
    seq = sequences.get(site, 0)
    sequences[site] = seq + 1
    return f"{task_index()}-{seq}"
