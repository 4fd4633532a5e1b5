"""Job chains: a DAG of jobs whose outputs feed later jobs' inputs (Hadoop's JobControl).

Owns: ordering steps with ``graphlib.TopologicalSorter``, running them one after another through
``mapred.runner.run_job``, stopping at the first failure, removing intermediate outputs when
asked, and ``ChainResult``. Must not touch: how one job runs.

A step depends on every step whose output is one of its inputs, plus its explicit
``depends_on`` names. Final outputs are those no other step reads.

>>> from mapred.api import Step
>>> order_steps([Step("b:B", ["mid"], "out", name="b"), Step("a:A", ["in"], "mid", name="a")])
['a', 'b']
"""

from __future__ import annotations

import graphlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dfs.conf import Configuration
from mapred.api import Input, Step
from mapred.counters import Counters
from mapred.errors import JobConfigError, JobFailed
from mapred.runner import JobResult, Progress, make_conf, read_output, run_job

log = logging.getLogger(__name__)

__all__ = ["run_chain", "ChainResult", "order_steps", "JobControl"]


def _names(steps: Sequence[Step]) -> list[str]:
    names = [s.name or f"step{i + 1}" for i, s in enumerate(steps)]
    if len(set(names)) != len(names):
        raise JobConfigError(f"job chain step names must be unique: {names}")
    return names


def _path(i: str | Input) -> str:
    return (i.path if isinstance(i, Input) else str(i)).rstrip("/")


def _graph(steps: Sequence[Step]) -> dict[str, set[str]]:
    names = _names(steps)
    producer = {s.output.rstrip("/"): n for s, n in zip(steps, names, strict=True)}
    graph: dict[str, set[str]] = {}
    for step, name in zip(steps, names, strict=True):
        deps = {producer[_path(i)] for i in step.inputs if _path(i) in producer}
        unknown = set(step.depends_on) - set(names)
        if unknown:
            raise JobConfigError(f"step {name} depends on unknown step(s) {sorted(unknown)}")
        graph[name] = (deps | set(step.depends_on)) - {name}
    return graph


def order_steps(steps: Sequence[Step]) -> list[str]:
    """Step names in an order that respects every dependency."""
    try:
        return list(graphlib.TopologicalSorter(_graph(steps)).static_order())
    except graphlib.CycleError as e:
        raise JobConfigError(f"job chain has a cycle: {' -> '.join(e.args[1])}") from None


@dataclass
class ChainResult:
    """Results of a chain's jobs (in run order); the chain failed at the first failed job."""

    results: dict[str, JobResult] = field(default_factory=dict)
    final_outputs: list[str] = field(default_factory=list)
    error: str = ""
    output_format: Any = "text"

    @property
    def state(self) -> str:
        if self.error:
            return "FAILED"
        return "SUCCEEDED"

    @property
    def succeeded(self) -> bool:
        return not self.error

    @property
    def counters(self) -> Mapping[str, Counters]:
        """Per step name, that job's counters."""
        return {name: r.counters for name, r in self.results.items()}

    @property
    def output(self) -> str:
        return self.final_outputs[-1] if self.final_outputs else ""

    def read_output(self) -> Iterator[tuple[Any, Any]]:
        """Pairs of the last final output."""
        return read_output(self.output, self.output_format)

    def raise_for_state(self) -> ChainResult:
        if self.error:
            raise JobFailed(self.error)
        return self


def run_chain(
    steps: Sequence[Step],
    conf: Configuration | Mapping[str, Any] | None = None,
    executor: Any = None,
    *,
    remove_intermediate: bool = False,
    progress: Progress | None = None,
) -> ChainResult:
    """Run `steps` in dependency order; stop at the first failure."""
    base = make_conf(conf)
    names = _names(steps)
    by_name = dict(zip(names, steps, strict=True))
    order = order_steps(steps)
    read = {_path(i) for s in steps for i in s.inputs}
    chain = ChainResult()
    chain.final_outputs = [s.output for s in steps if s.output.rstrip("/") not in read]
    total = len(order)
    for number, name in enumerate(order, 1):
        step = by_name[name]
        step_conf = base.copy()
        step_conf.update(dict(step.conf))
        log.info("Running step %d of %d: %s", number, total, name)
        result = run_job(
            step.job,
            list(step.inputs),
            step.output,
            step_conf,
            executor,
            progress=progress,
            name=step.name,  # unnamed: -D mapreduce.job.name, else the job class's name
        )
        chain.results[name] = result
        chain.output_format = result.output_format
        if not result.succeeded:
            chain.error = f"Step {number} of {total} ({name}) failed: {result.error}"
            break
    if chain.succeeded and remove_intermediate:
        _remove([s.output for s in steps if s.output.rstrip("/") in read])
    return chain


def _remove(urls: Sequence[str]) -> None:
    from mapred.localfs import url_to_fs

    for url in urls:
        fs, path = url_to_fs(url)
        if fs.exists(path):
            fs.rm(path, recursive=True)


class JobControl:
    """Hadoop-style builder: ``jc.add(step)``... then ``jc.run()``."""

    def __init__(self, conf: Any = None, executor: Any = None) -> None:
        self.steps: list[Step] = []
        self.conf = conf
        self.executor = executor

    def add(self, step: Step) -> JobControl:
        self.steps.append(step)
        return self

    def run(
        self, *, remove_intermediate: bool = False, progress: Progress | None = None
    ) -> ChainResult:
        return run_chain(
            self.steps,
            self.conf,
            self.executor,
            remove_intermediate=remove_intermediate,
            progress=progress,
        )
