"""The package's layout promise (piglatin/__init__.py): every module imports only from the
stages listed above its own, so there are no import cycles. Imports inside functions count:
a late import is still a dependency."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import piglatin

ROOT = Path(piglatin.__file__).parent
ORDER = ["errors", "model", "functions", "plan", "front", "back", "commands", "launcher", "tools"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found = next((t for t in targets if t in mods), None)
            if found and found != name:
                graph[name].add(found)
    return graph


def _stage(module: str) -> int:
    parts = module.split(".")
    return ORDER.index(parts[1]) if len(parts) > 1 else -1


def test_every_import_points_to_an_earlier_stage() -> None:
    mods = _modules()
    assert "piglatin.back.codegen" in mods and "piglatin.front.parser" in mods
    wrong = [
        f"{a} -> {b}"
        for a, targets in _imports(mods).items()
        for b in targets
        if _stage(b) > _stage(a) and a != "piglatin"
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _imports(_modules())
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
                return True
            if nxt not in state and visit(nxt, path + [nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if start not in state and visit(start, [start]):
            break
    assert cycle == []


def test_job_specs_cross_processes_as_msgpack_and_come_back_equal(tmp_path: Path) -> None:
    """Every job of scripts using each job kind: its JobSpec through msgpack is equal."""
    import msgpack

    from piglatin.back.mrcompiler import JobSpec, compile_sink
    from piglatin.back.runtime import optimize
    from piglatin.front.builder import build_text

    scripts = [
        "A = LOAD 'a' AS (k:chararray, n:int); B = GROUP A BY k;"
        "C = FOREACH B GENERATE group, SUM(A.n); STORE C INTO 'o';",
        "A = LOAD 'a' AS (k:chararray, n:int); B = LOAD 'b' AS (k:chararray);"
        "C = JOIN A BY k, B BY k USING 'skewed'; STORE C INTO 'o';",
        "A = LOAD 'a' AS (k:chararray, n:int); B = LOAD 'b' AS (k:chararray);"
        "C = JOIN A BY k, B BY k USING 'merge'; STORE C INTO 'o';",
        "A = LOAD 'a' AS (k:chararray, n:int); B = ORDER A BY n DESC PARALLEL 3;"
        "C = DISTINCT B; D = LIMIT C 5; STORE D INTO 'o';",
    ]
    kinds = set()
    for text in scripts:
        plan = optimize(build_text(text))
        sink = plan.sinks()[0].op_id
        for job in compile_sink(plan, sink, set(), {}).jobs:
            wire = msgpack.unpackb(msgpack.packb(job.spec.to_wire()), strict_map_key=False)
            assert JobSpec.from_wire(wire) == job.spec
            kinds.add(job.spec.kind)
    assert {"group", "join", "keycount", "index", "order", "sample", "distinct", "limit"} <= kinds
