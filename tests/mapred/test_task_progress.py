"""A task's progress moves within its phases, not only when it ends (Hadoop's phases).

A map with reducers reports reading its split as the first two thirds (MAP) and writing its sorted
output, the final merge of its spills, as the last third (SORT); a reduce reports the shuffle as
its first third (SHUFFLE) and merging and reducing its records as the rest (REDUCE). The tasks run
here through ``run_task`` with an umbilical that hands the task's probe to the job, whose
combiner (run during the map's final merge) and reducer read it as the tracker's sampler would.
"""

from __future__ import annotations

import os

import pytest

from mapred.api import Job
from mapred.io import InputSplit
from mapred.task import TaskSpec, run_task

SEEN: list[tuple[str, float, str]] = []  # (where, progress, phase) as the job saw its probe


class _Umbilical:
    """A tracker's side, in-process: keeps the probe, allows the commit, has the map outputs."""

    probe = None

    def __init__(self, outputs=()):
        self.outputs = list(outputs)

    def watch(self, probe):
        _Umbilical.probe = probe

    def can_commit(self, attempt_id):
        return True

    def map_outputs(self, job_id, maps):
        _look("shuffle")
        return self.outputs

    def fetch_failed(self, job_id, map_index):
        raise AssertionError("no fetch should fail")


def _look(where):
    progress, phase, _, _ = _Umbilical.probe()
    SEEN.append((where, progress, phase))


class Probing(Job):
    def map(self, offset, line):
        _look("map")
        for word in line.split():
            yield word, 1

    def combine(self, word, counts):
        _look("combine")
        yield word, sum(counts)

    def reduce(self, word, counts):
        _look("reduce")
        yield word, sum(counts)


def _spec(tmp_path, kind, **fields):
    conf = {
        "mapreduce.task.io.sort.mb": "0.05",  # many spills, so the combiner runs in the merge
        "mapreduce.task.io.sort.factor": 4,  # and the merge takes more than one pass
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
    }
    base = dict(
        kind=kind,
        job_id="job_0001",
        attempt_id=f"attempt_0001_{kind}_000000_0",
        index=0,
        attempt=0,
        job_ref=f"{__name__}:Probing",
        conf=conf,
        output=str(tmp_path / "out"),
        num_reduces=1,
        local_dir=str(tmp_path / "local"),
    )
    return TaskSpec(**dict(base, **fields))


@pytest.fixture
def map_result(tmp_path):
    path = tmp_path / "in.txt"
    with open(path, "w") as f:
        for i in range(12_000):  # 12,000 distinct words, each three times
            f.write(f"w{i:05d} w{(i * 7) % 12_000:05d} w{(i * 13) % 12_000:05d}\n")
    split = InputSplit("file://" + str(path), 0, os.path.getsize(path), [], 0)
    SEEN.clear()
    result = run_task(_spec(tmp_path, "m", split=split.to_wire()), _Umbilical())
    assert result.ok, result.traceback
    return result


def test_map_progress_moves_through_the_sort_phase(map_result):
    assert map_result.stats["spills"] >= 4
    reading = [p for where, p, phase in SEEN if where == "map"]
    merging = [(p, phase) for where, p, phase in SEEN if where == "combine"]
    assert reading == sorted(reading) and 0 <= reading[0] < reading[-1] <= 2 / 3
    assert {phase for where, _, phase in SEEN if where == "map"} == {"MAP"}
    sort_phase = [p for p, phase in merging if phase == "SORT"]  # the final merge's combiner
    assert sort_phase == sorted(sort_phase)
    assert len(set(sort_phase)) > 3, "progress stood still while the map output was written"
    assert 2 / 3 <= sort_phase[0] < sort_phase[-1] <= 1.0


def test_reduce_progress_moves_from_shuffle_through_reduce(tmp_path, map_result, monkeypatch):
    import mapred.task

    gather = mapred.task.gather_segments

    def looking(*args, **kwargs):  # the shuffle gathers map outputs a few at a time
        _look("gather")
        return gather(*args, **kwargs)

    monkeypatch.setattr(mapred.task, "gather_segments", looking)
    SEEN.clear()
    spec = _spec(tmp_path, "r", attempt_id="attempt_0001_r_000000_0", num_maps=6)
    spec.conf["mapreduce.reduce.shuffle.parallelcopies"] = 2
    result = run_task(spec, _Umbilical([map_result.map_output] * 6))  # six maps' outputs
    assert result.ok, result.traceback
    shuffle = [(p, phase) for where, p, phase in SEEN if where in ("shuffle", "gather")]
    assert shuffle == [(0.0, "SHUFFLE"), (0.0, "SHUFFLE"), (1 / 9, "SHUFFLE"), (2 / 9, "SHUFFLE")]
    reducing = [(p, phase) for where, p, phase in SEEN if where == "reduce"]
    assert {phase for _, phase in reducing} == {"REDUCE"}
    values = [p for p, _ in reducing]
    assert values == sorted(values) and 1 / 3 < values[0] < values[-1] <= 1.0
    assert len(set(values)) > 2
