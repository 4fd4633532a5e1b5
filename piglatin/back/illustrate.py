"""ILLUSTRATE: example rows for every aliased relation a statement depends on.

Owns: evaluating a plan in memory on the first rows of each LOAD (no jobs: blocking operators
are done with plain Python over the few rows) and printing Pig's boxed tables, one per alias.
Must not touch: job compilation or running (mrcompiler.py, launcher.py); the record semantics
come from physical.Compiler so they match a real run on the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

from piglatin.back.exprs import key_bytes
from piglatin.back.joinkeys import has_null
from piglatin.back.physical import Compiler
from piglatin.model.data import format_value
from piglatin.plan import logical as L

__all__ = ["illustrate"]

Rows = list[tuple]


def illustrate(
    plan: L.LogicalPlan, op_id: str, compiler: Compiler, read: Callable[[L.LOLoad], Rows]
) -> str:
    """The tables for `op_id` and its aliased inputs; `read(load)` gives a LOAD's sample."""
    rows: dict[str, Rows] = {}
    for op in plan.upstream(op_id):
        rows[op.op_id] = _evaluate(plan, op, compiler, rows, read)
    return "\n".join(_table(op, rows[op.op_id]) for op in plan.upstream(op_id) if op.alias)


def _evaluate(
    plan: L.LogicalPlan,
    op: L.LogicalOperator,
    comp: Compiler,
    rows: dict[str, Rows],
    read: Callable[[L.LOLoad], Rows],
) -> Rows:
    ins = [rows.get(i, []) for i in op.inputs]
    if isinstance(op, L.LOLoad):
        return read(op)
    if isinstance(op, L.LOCogroup):
        return _cogroup(op, comp, ins)
    if isinstance(op, L.LOJoin):
        return _join(plan, op, comp, ins)
    if isinstance(op, L.LOCross):
        return [sum(combo, ()) for combo in product(*ins)]
    if isinstance(op, L.LOSort):
        return sorted(ins[0], key=comp.sort_key(op.keys))
    if isinstance(op, L.LODistinct):
        return list({key_bytes(t): t for t in ins[0]}.values())
    if isinstance(op, L.LOLimit):
        return ins[0][: comp.expr(op.count)(())]  # type: ignore[arg-type]
    if isinstance(op, L.LORank):
        ordered = sorted(ins[0], key=comp.sort_key(op.keys)) if op.keys else ins[0]
        return [(i + 1, *t) for i, t in enumerate(ordered)]
    out: Rows = []
    for slot, inp in enumerate(ins):
        fn = comp.narrow(op, slot)
        for t in inp:
            out.extend(fn(t) if fn is not None else [t])
    return out


def _cogroup(op: L.LOCogroup, comp: Compiler, ins: list[Rows]) -> Rows:
    groups: dict[bytes, list] = {}
    for tag, inp in enumerate(ins):
        keyf = (lambda t: "all") if op.group_all else comp.key_fn(op.keys[tag])
        for t in inp:
            k = keyf(t)
            kb = key_bytes(k) + (bytes([tag]) if k is None and len(ins) > 1 else b"")
            entry = groups.setdefault(kb, [k] + [[] for _ in ins])
            entry[tag + 1].append(t)
    inner = [i for i, flag in enumerate(op.inner) if flag]
    return [tuple(g) for g in groups.values() if all(g[i + 1] for i in inner)]


def _join(plan: L.LogicalPlan, op: L.LOJoin, comp: Compiler, ins: list[Rows]) -> Rows:
    keys = [[comp.key_fn(op.keys[i])(t) for t in inp] for i, inp in enumerate(ins)]
    widths = [len(p.schema or ()) for p in plan.predecessors(op.op_id)]
    matched: list[set] = [set() for _ in ins]
    combos: list[list[int]] = [[]]
    for i, inp in enumerate(ins):
        combos = [
            c + [j]
            for c in combos
            for j in range(len(inp))
            if i == 0 or (not has_null(keys[i][j]) and keys[i][j] == keys[0][c[0]])
        ]
    out = []
    for c in combos:
        out.append(sum((ins[i][j] for i, j in enumerate(c)), ()))
        for i, j in enumerate(c):
            matched[i].add(j)
    if len(ins) == 2 and op.join_type in ("left", "full"):
        out += [t + (None,) * widths[1] for j, t in enumerate(ins[0]) if j not in matched[0]]
    if len(ins) == 2 and op.join_type in ("right", "full"):
        out += [(None,) * widths[0] + t for j, t in enumerate(ins[1]) if j not in matched[1]]
    return out


def _table(op: L.LogicalOperator, rows: Rows) -> str:
    names = (
        [f.describe().replace(": ", ":", 1) for f in op.schema]
        if op.schema is not None
        else [f"${i}" for i in range(max((len(r) for r in rows), default=0))]
    )
    cells = [[format_value(v) for v in r] for r in rows]
    widths = [max([len(n)] + [len(c[i]) for c in cells if i < len(c)]) for i, n in enumerate(names)]
    first = max(len(op.alias or ""), 1)
    head = (
        f"| {op.alias:<{first}} | " + " | ".join(n.ljust(w) for n, w in zip(names, widths)) + " |"
    )
    rule = "-" * len(head)
    body = [
        f"| {'':<{first}} | "
        + " | ".join((c[i] if i < len(c) else "").ljust(w) for i, w in enumerate(widths))
        + " |"
        for c in cells
    ]
    return "\n".join([rule, head, rule, *body, rule])


def sample_reader(server: Any, limit: int = 10) -> Callable[[L.LOLoad], Rows]:
    """`read` for `illustrate`: the first `limit` rows of a LOAD in the server's exec type."""
    from itertools import islice

    from piglatin.back.sources import read_source

    def read(op: L.LOLoad) -> Rows:
        return list(islice(read_source(op, server.location(op.path)), limit))

    return read
