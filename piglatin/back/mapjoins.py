"""Map-side joins: 'replicated' (the other inputs held in memory in every map task) and
'merge' (an index job over the sorted right input, then a streaming merge in each map task).

Owns: building the in-memory tables of a replicated join and the merge join's index records
and merge cursor; the rule that null keys never match. Must not touch: job boundaries
(mrcompiler.py) or task wiring (runtime.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from piglatin.back import sources as SRC
from piglatin.back.codegen import key_encoder
from piglatin.back.joinkeys import (
    MergeRuns,
    ReplicatedTable,
    has_null,
    keys_by_value,
    side_width,
)
from piglatin.back.storage import pack_value
from piglatin.model import data
from piglatin.plan import logical as L

__all__ = ["index_tail", "merge_join", "merge_runs", "replicated_join", "replicated_table"]


def _side_rows(job: Any, op_id: str) -> Iterator[tuple]:
    """Rows of a replicated input: from the task's distributed-cache copies when the launcher
    shipped them (``pig.cache``), else read where it lies."""

    src = job.plan.op(op_id)
    names = (job.context.conf.get(SRC.CACHE) or {}).get(op_id)
    if names is None:
        yield from SRC.read_source(src, job.locations[op_id], job.context.conf)
        return
    for name in names:
        yield from SRC.read_source(src, job.context.cache_path(name), job.context.conf)


def replicated_table(job: Any, op: L.LOJoin) -> ReplicatedTable:
    comp = job.compiler
    by_value = keys_by_value(op)
    tables = []
    for i, dep in enumerate(op.inputs[1:], start=1):
        keyf = comp.key_fn(op.keys[i])
        sort_bytes = key_encoder([e.type for e in op.keys[i]])
        table: dict[Any, list] = {}
        for row in _side_rows(job, dep):
            k = keyf(row)
            if not has_null(k):
                table.setdefault(k if by_value else sort_bytes(k), []).append(row)
        tables.append(table)
    pad = (None,) * side_width(job.plan, op)
    return ReplicatedTable(tuple(tables), pad, op.join_type == "left", by_value)


def replicated_join(job: Any, op: L.LOJoin, side: ReplicatedTable) -> Callable[[tuple], list]:
    """t -> its joined rows (the streamed input is input 0)."""
    key0 = job.compiler.key_fn(op.keys[0])
    sort_bytes = key_encoder([e.type for e in op.keys[0]])
    if side.by_value:
        sort_bytes = _itself
    left_outer, pad, tables = side.left_outer, side.pad, side.tables
    if len(tables) == 1:
        table = tables[0]

        def join1(t):
            k = key0(t)
            ms = None if has_null(k) else table.get(sort_bytes(k))
            if not ms:
                return [t + pad] if left_outer else []
            return [t + m for m in ms]

        return join1

    def join(t):
        k = key0(t)
        if has_null(k):
            return [t + pad] if left_outer else []
        kb = sort_bytes(k)
        rows = [t]
        for table in tables:
            ms = table.get(kb)
            if not ms:
                return [t + pad] if left_outer else []
            rows = [r + m for r in rows for m in ms]
        return rows

    return join


def _itself(k: Any) -> Any:
    return k


# ------------------------------------------------------------------------------- merge join
def index_tail(job: Any) -> Callable[[tuple], list]:
    """The merge join's index job: (first key, split url, start, length) of each right split."""
    op = job.plan.op(job.spec.join)
    keyf = job.compiler.key_fn(op.keys[1])
    split = job.context.split
    first: list = []

    def flush() -> list:
        if not first or split is None:
            return []
        return [(None, pack_value((first[0], split.url, split.start, split.length)))]

    job.add_flush(flush)

    def index(t):
        if not first:
            k = keyf(t)
            if not has_null(k):
                first.append(data.sort_bytes(k))
        return []

    return index


_NO_KEY = object()
#: key types whose Python equality means equal sort bytes (a bool is not an int here)
_PLAIN_KEYS = frozenset((str, int))


def merge_join(runs: MergeRuns, keyl: Callable[[tuple], Any]) -> Callable[[tuple], list]:
    """A merge join's record function over `runs`: each left row with every right row of
    its key (`keyl`: the left key of a row), or padded when the join is left outer."""
    pad, left_outer, run = runs.pad, runs.left_outer, runs.run

    def merge(t):
        k = keyl(t)
        matched = run(k) if not has_null(k) else None
        if not matched:
            return [t + pad] if left_outer else []
        return [t + r for r in matched]

    return merge


def merge_runs(job: Any, op: L.LOJoin) -> MergeRuns:
    """Map-side merge of the sorted left split with the sorted right input, read from the
    split the index says holds the first candidate key onwards: the `MergeRuns` a task's
    generated pipeline and its closures share."""
    from bisect import bisect_left

    from mapred.io import InputSplit, get_input_format

    index = sorted(SRC.read_index(job.locations[op.op_id + "#index"]))
    mins = [e[0] for e in index]
    info = job.spec.merge_input(op.op_id + "#index")
    source = job.plan.op(info.source)
    parse = job.right_parser(source, info.chain)
    fmt_name = SRC.input_format_of(source)
    keyr = job.compiler.key_fn(op.keys[1])
    # the same bytes as `data.sort_bytes`, each side's key fields encoded inline
    left_bytes = key_encoder([e.type for e in op.keys[0]])
    right_bytes = key_encoder([e.type for e in op.keys[1]])
    width = len(job.plan.op(op.inputs[1]).schema or ())
    conf = job.context.conf

    def right_rows(start: int) -> Iterator[tuple[bytes, tuple]]:
        for _kb, url, begin, length in index[start:]:
            reader = get_input_format(fmt_name).read(InputSplit(url, begin, length), conf)
            for _k, v in reader:
                for r in parse(v):
                    k = keyr(r)
                    if not has_null(k):
                        yield right_bytes(k), r

    state: dict[str, Any] = {
        "it": None,
        "head": None,
        "kb": None,
        "run": [],
        "key": _NO_KEY,  # the last key when a str or int: its repeats skip the encoding
    }

    def advance(kb: bytes) -> list:
        if state["it"] is None:
            state["it"] = right_rows(max(0, bisect_left(mins, kb) - 1))
            state["head"] = next(state["it"], None)
        head, it = state["head"], state["it"]
        while head is not None and head[0] < kb:
            head = next(it, None)
        run = []
        while head is not None and head[0] == kb:
            run.append(head[1])
            head = next(it, None)
        state["head"] = head
        return run

    def run(k: Any) -> list:
        if k.__class__ in _PLAIN_KEYS and k == state["key"]:  # the left run goes on
            return state["run"]
        kb = left_bytes(k)
        if kb != state["kb"]:
            if state["kb"] is not None and kb < state["kb"]:
                raise ValueError(
                    "merge join: the left input is not sorted on the join key; "
                    "sort it first or use the default hash join"
                )
            state["kb"], state["run"] = kb, advance(kb)
        state["key"] = k if k.__class__ in _PLAIN_KEYS else _NO_KEY
        return state["run"]

    return MergeRuns(run, (None,) * width, op.join_type == "left")
