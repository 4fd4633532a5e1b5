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
    plan: L.LogicalPlan,
    op_id: str | None,
    compiler: Compiler,
    read: Callable[[L.LOLoad], Rows],
    cwd: str = ".",
) -> str:
    """The tables for `op_id` and its aliased inputs; `read(load)` gives a LOAD's sample;
    `cwd` is the session's directory (where a STREAM's command runs).
    With `op_id` None, the whole script's (ILLUSTRATE -script): the STOREs in order, each
    with the relations it needs not shown yet and then its ``Store : alias`` table, then the
    DUMPs' relations not shown yet."""
    rows: dict[str, Rows] = {}
    sinks = plan.sinks()
    if op_id is not None:
        targets = [op_id]
    else:
        targets = [s.op_id for s in sinks if isinstance(s, L.LOStore)]
        targets += [s.op_id for s in sinks if not isinstance(s, L.LOStore)]
    tables: list[str] = []
    for target in targets:
        for op in plan.upstream(target):
            if op.op_id in rows:
                continue
            rows[op.op_id] = _evaluate(plan, op, compiler, rows, read, cwd)
            if op.alias:
                tables.append(_table(op, rows[op.op_id]))
            elif op_id is None and isinstance(op, L.LOStore):
                title = "Store : " + (plan.op(op.inputs[0]).alias or op.inputs[0])
                tables.append(_table(op, rows[op.op_id], title))
    return "\n".join(tables)


def illustrate_statement(server: Any, action: L.IllustrateAction) -> None:
    """Perform ILLUSTRATE alias, or ILLUSTRATE -script file (that script built, never run,
    then illustrated whole) for the launcher's PigServer `server`. The plan illustrated is
    the script's as written, before the optimizer (its column pruning would drop the fields
    no later statement reads, where Pig shows every field of each relation)."""
    if action.script is None:
        server.print(server.illustrate(action.op_id, unoptimized(server.chunks, server.cwd)))
        return
    from pathlib import Path

    from piglatin.errors import PigError

    try:
        text = Path(server.local_path(action.script)).read_text()
    except OSError:
        raise PigError(f"File not found: {action.script}", code=1000) from None
    other = type(server)(
        server.exec_type, cwd=server.cwd, out=server.out, properties=server.properties
    )
    try:
        other.register_script(text, None, (), action.script, execute=False)
        for done in other.builder.actions:
            if isinstance(done, (L.SetAction, L.RegisterAction)):
                other.perform(done)
        server.print(other.illustrate(None, unoptimized(other.chunks, other.cwd)))
    finally:
        other.close()


def unoptimized(chunks: list[list[Any]], cwd: str) -> L.LogicalPlan:
    """The logical plan of a session's script chunks ([text, file, first statement, end],
    as runtime.build_plan takes them) as the builder makes it, no optimizer rule applied."""
    import dataclasses

    from piglatin.front.builder import Builder, Functions
    from piglatin.front.parser import parse

    b = Builder(Functions(base_dir=cwd), chunks[0][1] if chunks else None)
    for text, file, start, end in chunks:
        script = parse(text, file)
        b.add(dataclasses.replace(script, statements=script.statements[start:end]), text)
    return b.plan()


def _evaluate(
    plan: L.LogicalPlan,
    op: L.LogicalOperator,
    comp: Compiler,
    rows: dict[str, Rows],
    read: Callable[[L.LOLoad], Rows],
    cwd: str,
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
    if isinstance(op, L.LOStream):
        return _stream(op, ins[0], cwd)
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


def _stream(op: L.LOStream, rows: Rows, cwd: str) -> Rows:
    """A STREAM's rows: its command run over the sample rows, as a task runs it."""
    from piglatin.back.streaming import StreamProcess  # only a STREAM needs a process

    proc = StreamProcess(op, _Settings({"pig.cwd": cwd}), lambda t: [t])
    out: Rows = []
    for t in rows:
        out += proc.feed(t)
    return out + proc.finish()


class _Settings(dict):
    """The job settings a STREAM's process reads (`get`, `items`): the session's directory."""


def _table(op: L.LogicalOperator, rows: Rows, title: str | None = None) -> str:
    names = (
        [f.describe().replace(": ", ":", 1) for f in op.schema]
        if op.schema is not None
        else [f"${i}" for i in range(max((len(r) for r in rows), default=0))]
    )
    cells = [[format_value(v) for v in r] for r in rows]
    widths = [max([len(n)] + [len(c[i]) for c in cells if i < len(c)]) for i, n in enumerate(names)]
    name = title if title is not None else op.alias or ""
    first = max(len(name), 1)
    head = f"| {name:<{first}} | " + " | ".join(n.ljust(w) for n, w in zip(names, widths)) + " |"
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
