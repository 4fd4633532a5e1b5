"""EXPLAIN text for the back end: the physical plan and the MapReduce plan of a job chain.

Owns: rendering which operators run in which job's map, combine and reduce stage. Must not
touch: compiling (mrcompiler.py) or running jobs.
"""

from __future__ import annotations

from piglatin.back.mrcompiler import MRJob, algebraic_aggregates
from piglatin.plan import logical as L


def _op_text(plan: L.LogicalPlan, op_id: str) -> str:
    op = plan.op(op_id)
    name = op.name.replace("LO", "PO", 1)
    return f"{op.alias or op_id}: {name}{L.describe_op(op)}"


_PURPOSE = {
    "sample": "; samples the ORDER BY keys for the total-order cut points",
    "keycount": "; the skewed join's key distribution",
    "rankcount": "; counts the rows of each map task for the RANK",
    "index": "; the merge join's index of the right input",
}


def _alias(plan: L.LogicalPlan, op_id: str) -> str:
    base, _, what = op_id.partition("#")
    name = plan.op(base).alias or base
    return f"{name} ({what})" if what else name


def physical_text(plan: L.LogicalPlan, jobs: list[MRJob]) -> str:
    lines = [
        "#-----------------------------------------------",
        "# Physical Plan:",
        "#-----------------------------------------------",
    ]
    seen: list[str] = []
    for job in jobs:
        spec = job.spec
        for inp in spec.inputs:
            for op_id in [inp.source] + [c[0] for c in inp.chain]:
                if op_id not in seen:
                    seen.append(op_id)
        for op_id in ([spec.op] if spec.op else []) + list(spec.reduce_chain):
            if op_id not in seen:
                seen.append(op_id)
        if spec.kind == "stream" and spec.output_op not in seen:  # streaming.py's job
            seen.append(spec.output_op)
        if job.store and job.store not in seen:
            seen.append(job.store)
    lines.extend(_op_text(plan, o) for o in seen)
    return "\n".join(lines)


def mr_plan_text(plan: L.LogicalPlan, jobs: list[MRJob]) -> str:
    """One block per job: its Map, Combine and Reduce stages, map-only jobs marked."""
    lines = [
        "#--------------------------------------------------",
        "# Map Reduce Plan",
        "#--------------------------------------------------",
    ]
    for job in jobs:
        spec = job.spec
        reduces = bool(spec.op) and job.reducers > 0
        if not reduces:
            kind = "map-only"
        elif job.estimate:  # decided when the job starts, from its inputs' sizes
            kind = f"{spec.kind}, reducers estimated at launch from the input size"
        else:
            kind = f"{spec.kind}, {job.reducers} reducer(s)"
        if spec.top:
            kind += f", limited sort: at most {spec.top} rows a map"
        if spec.group and spec.kind == "distinct":  # distinctgroup.py: minihadoop's
            kind += f"; GROUP {_alias(plan, spec.group)} of the distinct rows in its reduce"
        elif spec.group:  # joingroup.py: minihadoop's, not Pig's
            kind += f"; GROUP {_alias(plan, spec.group)} on the join key in the join's reduce"
        purpose = _PURPOSE.get(spec.kind, "")
        lines.append(f"MapReduce node {job.name} ({kind}{purpose})")
        lines.append("Map Plan")
        for inp in spec.inputs:
            stages = [_op_text(plan, inp.source)]
            stages += [_op_text(plan, c[0]) for c in inp.chain]
            if spec.kind == "stream":  # the STREAM runs its command in each map task
                stages.append(_op_text(plan, spec.output_op))
            if reduces:
                stages.append(f"Local Rearrange (tag {inp.tag}) for {plan.op(spec.op).name}")
            elif spec.op:
                stages.append(f"Sample keys of {_alias(plan, spec.op)}")
            lines.append("|   " + " -> ".join(stages))
        if job.side:
            names = ", ".join(_alias(plan, o) for o in job.side)
            lines.append(f"|   Side inputs (read whole by every task): {names}")
        if spec.op is None and job.store:
            lines.append("|   Store: " + _op_text(plan, job.store))
        if spec.combine:
            calls = algebraic_aggregates(plan, plan.op(spec.op), spec.reduce_chain) or []
            lines.append("Combine Plan")
            lines.append("|   Package -> " + ", ".join(f"{c.func}.Intermediate" for c in calls))
            lines.append("|   (map side: " + ", ".join(f"{c.func}.Initial" for c in calls) + ")")
        if reduces:
            lines.append("Reduce Plan")
            stages = ["Package: " + _op_text(plan, spec.op)]
            if spec.kind == "keycount":
                stages = [f"Count the join keys of {_alias(plan, plan.op(spec.op).inputs[0])}"]
            if spec.combine:
                calls = algebraic_aggregates(plan, plan.op(spec.op), spec.reduce_chain) or []
                stages.append(", ".join(f"{c.func}.Final" for c in calls))
            stages += [_op_text(plan, o) for o in spec.reduce_chain]
            if job.store:
                stages.append("Store: " + _op_text(plan, job.store))
            lines.append("|   " + " -> ".join(stages))
        lines.append("--------")
    return "\n".join(lines)
