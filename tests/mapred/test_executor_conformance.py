"""One conformance suite for the executor seam: submit/next_result behave the same inline and in
worker processes (results cross as msgpack; failures come back, never raise)."""

from __future__ import annotations

import os

import pytest

from mapred.api import Job, job_ref
from mapred.executor import InlineExecutor, ProcessExecutor
from mapred.io import InputSplit
from mapred.task import TaskResult, TaskSpec


class Upper(Job):
    def map(self, offset, line):
        if line == "fail":
            raise KeyError("no such thing")
        yield line.upper(), offset


def _spec(tmp_path, text, index=0, kind="m"):
    path = tmp_path / f"in{index}.txt"
    path.write_text(text)
    return TaskSpec(
        kind=kind,
        job_id="job_t_0001",
        attempt_id=f"attempt_t_0001_{kind}_{index:06d}_0",
        index=index,
        attempt=0,
        job_ref=job_ref(Upper),
        conf={"mapreduce.task.io.sort.mb": "1", "mapreduce.job.reduces": 2},
        output=str(tmp_path / "out"),
        num_reduces=2,
        local_dir=str(tmp_path / "local"),
        split=InputSplit(str(path), 0, len(text)).to_wire(),
    )


@pytest.fixture(params=["inline", "process"])
def executor(request):
    if request.param == "inline":
        yield InlineExecutor()
    else:
        pool = ProcessExecutor(2)
        yield pool
        pool.shutdown()


def test_results_come_back_for_every_submission(executor, tmp_path):
    specs = [_spec(tmp_path, f"a\nb{i}\n", i) for i in range(5)]
    for spec in specs:
        executor.submit(spec)
    results = [executor.next_result() for _ in specs]
    assert sorted(r.index for r in results) == list(range(5))
    for r in results:
        assert isinstance(r, TaskResult) and r.ok, r.error
        path, index = r.map_output
        assert os.path.exists(path) and len(index) == 2
        assert r.counters["Map-Reduce Framework"]["Map input records"] == 2
    assert executor.pending() == 0


def test_failures_are_results_not_exceptions(executor, tmp_path):
    executor.submit(_spec(tmp_path, "ok\nfail\n", 7))
    result = executor.next_result()
    assert not result.ok
    assert result.error == "KeyError: 'no such thing'"
    assert "Traceback" in result.traceback and "raise KeyError" in result.traceback
    assert result.location.endswith("in7.txt:3")


def test_spec_round_trips_through_the_wire(tmp_path):
    spec = _spec(tmp_path, "x\n")
    assert TaskSpec.from_wire(spec.to_wire()) == spec
    retry = spec.retry(1, "attempt_t_0001_m_000000_1")
    assert retry.attempt == 1 and retry.attempt_id.endswith("_1") and retry.split == spec.split
