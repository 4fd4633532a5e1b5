"""What `pig` says while its jobs run: Pig's MapReduceLauncher lines, at INFO on stderr.

Owns: turning the launcher's job callbacks (PigServer's `on_job_start`, `progress` and
`on_job`) into Pig's log lines — `N map-reduce job(s) waiting for submission.` when a sink's
chain starts, then for each job as it starts `HadoopJobId: job_...`, `Processing aliases
A,B` and `detailed locations: M: A[1,4],B[2,4] C:  R: ` (alias[line,column] of the operators
in the map, combine and reduce phases), and `N% complete` as the chain advances (a job
counts by its map completion, averaged with its reduce completion when it has reducers;
a line whenever the total moved by 4 points, as Pig's notifyProgress), `100% complete`
when the chain is done. Lines go through the logging module (logger
``piglatin.tools.progress``), so `-d WARN` silences them and stdout never carries them.
Must not touch: running jobs (launcher.py) or the mapred job client.
"""

from __future__ import annotations

import logging
from typing import Any

from dfs.fastclass import dataclass
from piglatin.plan import logical as L

log = logging.getLogger(__name__)

STEP = 0.04  # Pig logs progress each time it moved by 4% of the whole


@dataclass(slots=True)
class _Job:
    aliases: str
    locations: str
    reducers: int


class JobProgress:
    """One `pig` run's progress report; pass its methods to PigServer."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.last = -1.0
        self.job: _Job | None = None
        self.job_id: str | None = None

    def job_starting(self, plan: L.LogicalPlan, job: Any, index: int, count: int) -> None:
        """PigServer's `on_job_start`: job `index` of a sink's chain of `count`."""
        from piglatin.back.jobstats import job_aliases

        if index == 0:
            self.total, self.done, self.last = count, 0, -1.0
            log.info("%d map-reduce job(s) waiting for submission.", count)
        self.job = _Job(",".join(job_aliases(plan, job)), alias_locations(plan, job), job.reducers)
        self.job_id = None

    def progress(self, job_id: str, maps: float, reduces: float) -> None:
        """PigServer's `progress`: the running job's map and reduce completion (0..1)."""
        if job_id != self.job_id:
            self.job_id = job_id
            log.info("HadoopJobId: %s", job_id)
            if self.job is not None:
                log.info("Processing aliases %s", self.job.aliases)
                log.info("detailed locations: %s", self.job.locations)
        reducers = self.job.reducers if self.job is not None else 0
        fraction = (maps + reduces) / 2 if reducers else maps
        self._notify((self.done + min(max(fraction, 0.0), 1.0)) / max(self.total, 1))

    def job_done(self, stats: dict[str, Any]) -> None:
        """PigServer's `on_job`: a job of the chain succeeded."""
        self.done += 1
        if self.done >= self.total:
            log.info("100% complete")
            self.last = 1.0
        else:
            self._notify(self.done / self.total)

    def _notify(self, fraction: float) -> None:
        if fraction >= self.last + STEP:
            percent = int(fraction * 100)
            if percent != 100:  # 100% is said once, when the chain is done
                log.info("%d%% complete", percent)
            self.last = fraction


def alias_locations(plan: L.LogicalPlan, job: Any) -> str:
    """Pig's `detailed locations`: `M: A[1,4],B[2,4] C: C[3,4] R: C[3,4]`, the aliased
    operators of the map phase (its LOADs and map chains), of the combiner and of the reduce
    phase (the blocking operator and its reduce chain), each with its line and column."""
    spec = job.spec
    known = {op.op_id: op for op in plan.operators}
    mapped = [i for inp in spec.inputs for i in (inp.source, *(op for op, _ in inp.chain))]
    mapped = [i for i in mapped if isinstance(known.get(i), L.LOLoad) or i not in _sources(job)]
    reduced = [spec.op, *spec.reduce_chain] if job.reducers and spec.op else []
    combined = reduced if spec.combine else []
    return f"M: {_where(known, mapped)} C: {_where(known, combined)} R: {_where(known, reduced)}"


def _sources(job: Any) -> set[str]:
    return {inp.source for inp in job.spec.inputs} | set(job.side)


def _where(known: dict[str, Any], ids: list[Any]) -> str:
    seen: dict[str, None] = {}
    for op_id in ids:
        op = known.get(op_id)
        if op is None or isinstance(op, L.SINKS) or not op.alias:
            continue
        seen.setdefault(f"{op.alias}[{op.line or 0},{max((op.column or 1) - 1, 0)}]")
    return ",".join(seen)
