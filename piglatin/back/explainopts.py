"""The EXPLAIN statement's options: `-script`, `-out`, `-brief`, `-dot`, `-xml`, `-param`,
`-param_file` (Pig 0.17's test.xml and GruntParser.processExplain).

Owns: choosing what is explained (this session's plan, or a script file built without being
run), how (text, or DOT graphs of the logical, physical and MapReduce plans; `-brief` leaves
out nested plans: a nested FOREACH's inner statements and the generated code), and where it
goes (the session's output, a file, or — when `-out` names an existing directory — one file
per plan, ``logical_plan-<ms>.<format>``, ``physical_plan-...`` and ``exec_plan-...``, as Pig).
`-xml` is refused: Pig's XML schema of plans is not reproduced here.
Must not touch: compiling plans or their text forms (PigServer.explain_parts, back/explain.py).

>>> dot_quote('a "b" \\\\ c')
'"a \\\\"b\\\\" \\\\\\\\ c"'
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from piglatin.back.mrcompiler import MRJob
from piglatin.errors import PigError, UndefinedAliasError, suggest
from piglatin.plan import logical as L

#: the launcher's PigServer (this stage is below it: only its public methods are used)
PigServer = Any

__all__ = ["explain_statement", "dot_plans"]

_HEADERS = (
    ("#-----------------------------------------------", "# New Logical Plan:"),
    ("#-----------------------------------------------", "# Physical Plan:"),
    ("#--------------------------------------------------", "# Map Reduce Plan"),
)
_FILES = ("logical_plan", "physical_plan", "exec_plan")


def explain_statement(server: PigServer, action: L.ExplainAction) -> None:
    """Perform one EXPLAIN statement of `server`'s script."""
    if action.format == "xml":
        raise PigError(
            "EXPLAIN -xml is not supported by this implementation; "
            "use EXPLAIN (text) or EXPLAIN -dot",
            code=1000,
            line=action.line or None,
        )
    if action.script is None:
        parts = _render(server, action.op_id, action)
    else:
        parts = _explain_script(server, action)
    _write(server, parts, action)


def _explain_script(server: PigServer, action: L.ExplainAction) -> list[str]:
    """EXPLAIN -script f [alias]: `f` parameter-substituted and built, never run."""
    path = server.local_path(action.script or "")
    try:
        text = Path(path).read_text()
    except OSError:
        raise PigError(f"File not found: {action.script}", code=1000) from None
    params = dict(p.partition("=")[::2] for p in action.params)
    files = [server.local_path(f) for f in action.param_files]
    other = type(server)(
        server.exec_type, cwd=server.cwd, out=server.out, properties=server.properties
    )
    try:
        other.register_script(text, params, files, action.script, execute=False)
        for done in other.builder.actions:
            if isinstance(done, (L.SetAction, L.RegisterAction)):
                other.perform(done)
        op_id = None
        if action.alias:
            aliases = dict(other.plan.aliases)
            if action.alias not in aliases:
                hint = suggest(action.alias, aliases)
                raise UndefinedAliasError(
                    f"Unable to find an operator for alias {action.alias}.{hint}", code=1003
                )
            op_id = aliases[action.alias]
        return _render(other, op_id, action)
    finally:
        other.close()


def _render(server: PigServer, op_id: str | None, action: L.ExplainAction) -> list[str]:
    if action.format == "dot":
        return dot_plans(server.plan, server.explain_jobs(op_id), op_id, action.brief)
    return server.explain_parts(op_id, action.brief)


def _write(server: PigServer, parts: list[str], action: L.ExplainAction) -> None:
    if action.out is None:
        for part in parts:
            server.print(part)
        return
    target = Path(server.local_path(action.out))
    try:
        if target.is_dir():
            suffix = f"{int(time.time() * 1000)}.{action.format}"
            for name, part in zip(_FILES, parts, strict=True):
                (target / f"{name}-{suffix}").write_text(part + "\n")
        else:
            target.write_text("".join(p + "\n" for p in parts))
    except OSError as e:
        why = e.strerror or str(e)
        raise PigError(f"Cannot write the EXPLAIN output to {action.out}: {why}", code=6000) from e


# ----------------------------------------------------------------------------------- DOT
def dot_quote(text: str) -> str:
    """A DOT string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _label(plan: L.LogicalPlan, op_id: str, prefix: str = "LO") -> str:
    op = plan.op(op_id)
    name = op.name if prefix == "LO" else op.name.replace("LO", prefix, 1)
    return f"{op.alias or op_id}: {name}{L.describe_op(op)}"


def _graph(lines: list[str]) -> str:
    return "\n".join(["digraph plan {", "compound=true;", "node [shape=rect];", *lines, "}"])


def _nested(op: L.LOForEach) -> list[str]:
    """A nested FOREACH's inner plan as a cluster: its statements, then GENERATE."""
    base = f"{op.op_id}#"
    lines = [f"subgraph {dot_quote('cluster_' + op.op_id)} {{", "style=dashed;"]
    lines.append(f"label={dot_quote((op.alias or op.op_id) + ': nested plan')};")
    names = {}
    for n in op.nested:
        node = base + n.alias
        names[n.alias] = node
        lines.append(f"{dot_quote(node)} [label={dot_quote(f'{n.alias}: {n.kind.upper()}')}];")
        used = [names[a] for a in names if a != n.alias and _mentions(n.source, a)]
        lines.extend(f"{dot_quote(u)} -> {dot_quote(node)};" for u in used)
    gen = ",".join(L.format_expr(g.expr) for g in op.generate)
    lines.append(f"{dot_quote(base + 'GENERATE')} [label={dot_quote('GENERATE ' + gen)}];")
    lines.extend(f"{dot_quote(node)} -> {dot_quote(base + 'GENERATE')};" for node in names.values())
    lines.append("}")
    return lines


def _mentions(expr: object, alias: str) -> bool:
    """Whether an inner-plan expression reads the nested alias `alias`."""
    if isinstance(expr, L.LEInnerRef):
        return expr.alias == alias
    if isinstance(expr, tuple):
        return any(_mentions(x, alias) for x in expr)
    if dataclasses.is_dataclass(expr) and not isinstance(expr, type):
        return any(_mentions(getattr(expr, f.name), alias) for f in dataclasses.fields(expr))
    return False


def logical_dot(plan: L.LogicalPlan, op_id: str | None, brief: bool) -> str:
    roots = [op_id] if op_id else [s.op_id for s in plan.sinks()] or [plan.operators[-1].op_id]
    wanted = {op.op_id for r in roots for op in plan.upstream(r)}
    lines = []
    for op in plan.operators:
        if op.op_id not in wanted:
            continue
        schema = op.schema.short() if op.schema is not None else "null"
        label = f"{_label(plan, op.op_id)}\nSchema: {schema}"
        lines.append(f"{dot_quote(op.op_id)} [label={dot_quote(label)}];")
        if isinstance(op, L.LOForEach) and op.nested and not brief:
            lines.extend(_nested(op))
        target = dot_quote(op.op_id)
        lines.extend(f"{dot_quote(dep)} -> {target};" for dep in plan.dependencies(op.op_id))
    return _graph(lines)


def _job_ops(job: MRJob) -> list[str]:
    spec = job.spec
    ops = [o for inp in spec.inputs for o in [inp.source, *(c[0] for c in inp.chain)]]
    ops += ([spec.op] if spec.op else []) + list(spec.reduce_chain)
    return ops + ([job.store] if job.store else [])


def physical_dot(plan: L.LogicalPlan, jobs: list[MRJob]) -> str:
    lines, seen = [], set()
    for job in jobs:
        for op_id in _job_ops(job):
            if op_id in seen:
                continue
            seen.add(op_id)
            lines.append(f"{dot_quote(op_id)} [label={dot_quote(_label(plan, op_id, 'PO'))}];")
    for op_id in seen:
        for dep in plan.dependencies(op_id):
            if dep in seen:
                lines.append(f"{dot_quote(dep)} -> {dot_quote(op_id)};")
    return _graph(sorted(set(lines), key=lines.index))


def mr_dot(plan: L.LogicalPlan, jobs: list[MRJob]) -> str:
    """One cluster per job (its map, then its reduce operators); an edge from a job to the
    jobs that read its output."""
    lines = []
    writer = {job.output_op: job.name for job in jobs}
    for job in jobs:
        spec = job.spec
        reduces = bool(spec.op) and job.reducers > 0
        kind = spec.kind if reduces else "map-only"
        lines.append(f"subgraph {dot_quote('cluster_' + job.name)} {{")
        lines.append(f"label={dot_quote(f'{job.name} ({kind})')};")
        lines.append(f"{dot_quote(job.name)} [shape=point, style=invis];")
        chain = [o for inp in spec.inputs for o in [inp.source, *(c[0] for c in inp.chain)]]
        stages = [("Map", chain)]
        if reduces:
            stages.append(("Reduce", [spec.op, *spec.reduce_chain]))
        if job.store:
            stages[-1][1].append(job.store)
        for stage, ops in stages:
            node = f"{job.name}#{stage}"
            text = "\n".join([f"{stage} Plan", *(_label(plan, o, "PO") for o in ops)])
            lines.append(f"{dot_quote(node)} [label={dot_quote(text)}];")
        if reduces:
            lines.append(f"{dot_quote(job.name + '#Map')} -> {dot_quote(job.name + '#Reduce')};")
        lines.append("}")
    for job in jobs:
        for src in [*job.sources, *job.side]:
            if src in writer and writer[src] != job.name:
                a, b = dot_quote(writer[src] + "#Map"), dot_quote(job.name + "#Map")
                lines.append(f"{a} -> {b} [ltail={dot_quote('cluster_' + writer[src])}];")
    return _graph(lines)


def dot_plans(plan: L.LogicalPlan, jobs: list[MRJob], op_id: str | None, brief: bool) -> list[str]:
    """The logical, physical and MapReduce plans as DOT graphs, each after Pig's header
    lines (a `#` line is a comment to dot)."""
    graphs = (logical_dot(plan, op_id, brief), physical_dot(plan, jobs), mr_dot(plan, jobs))
    return [
        "\n".join([rule, title, rule, graph])
        for (rule, title), graph in zip(_HEADERS, graphs, strict=True)
    ]
