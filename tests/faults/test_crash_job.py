"""SIGKILL ``hadoop jar jobs.wordcount`` during its commit; the output appears whole or not at all.

After every kill the cluster is reopened and the output path must be either absent or complete
(``_SUCCESS``, no ``_temporary``, the part files together holding exactly the word counts that
plain Python finds in the input); the job history may say SUCCEEDED only when the output is
complete; and re-running the same command to the same path must then work and be complete.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from dfs.minicluster import MiniCluster
from tests.faults.harness import (
    DIR,
    JOURNAL,
    Expect,
    check,
    expect_kill,
    expect_write_fault,
    hadoop,
    hadoop_logging_writes,
    require_point,
    run_child,
    sweep,
)

OUT = "/out"


def _text(seed: int, lines: int) -> bytes:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(40)] + ["é", "the"]
    return "".join(
        " ".join(rng.choices(words, k=rng.randint(0, 9))) + "\n" for _ in range(lines)
    ).encode()


INPUT = {"/in/a.txt": _text(1, 300), "/in/b.txt": _text(2, 200)}
EXPECTED = Counter(w for data in INPUT.values() for w in data.decode().split())


def job_argv(framework: str = "local") -> list[str]:
    return hadoop(
        "jar",
        "jobs.wordcount",
        "/in",
        OUT,
        "-D",
        f"mapreduce.framework.name={framework}",
        "-D",
        "mapreduce.job.reduces=2",
    )


def output_problems(snap, acknowledged: bool, home: Path) -> list[str]:
    """The output is absent (unless acknowledged) or complete; history agrees."""
    under = {p: v for p, v in snap.items() if p == OUT or p.startswith(OUT + "/")}
    history = _history_states(home)
    if not under:
        problems = ["acknowledged job output is missing"] if acknowledged else []
        if "SUCCEEDED" in history:
            problems.append(f"history says SUCCEEDED but {OUT} does not exist")
        return problems
    if snap.get(OUT) != DIR:
        return [f"{OUT} is not a directory"]
    problems = []
    names = {p[len(OUT) + 1 :]: v for p, v in under.items() if p != OUT}
    if "_SUCCESS" not in names:
        problems.append(f"{OUT} is visible without _SUCCESS: {sorted(names)}")
    leftovers = sorted(n for n in names if not (n == "_SUCCESS" or n.startswith("part-")))
    if leftovers:
        problems.append(f"{OUT} holds more than its output: {leftovers}")
    counts: Counter[str] = Counter()
    for name, data in names.items():
        if name.startswith("part-"):
            if not isinstance(data, bytes):
                problems.append(f"{OUT}/{name} does not read: {data}")
                continue
            for line in data.decode().splitlines():
                word, _, n = line.rpartition("\t")
                counts[word] += int(n)
    if counts != EXPECTED:
        missing = sorted(set(EXPECTED) - set(counts))[:5]
        problems.append(
            f"{OUT}'s part files do not hold the word counts (missing {missing}, "
            f"{len(counts)} words of {len(EXPECTED)})"
        )
    return problems


def _history_states(home: Path) -> list[str]:
    states = []
    for f in sorted((home / "history").glob("*.json")):
        try:
            record = json.loads(f.read_text())
        except (OSError, ValueError):
            continue
        if str(record.get("output", "")).rstrip("/").endswith(OUT):
            states.append(record.get("state"))
    return states


def make_factory(base: Path):
    def make(n: int):
        mc = MiniCluster(base / f"run{n}")
        c = mc.client()
        for path, data in INPUT.items():
            c.write_bytes(path, data)
        mc.close()
        expect = Expect(
            dict(INPUT),
            {},
            {},
            debris=lambda p: p.startswith(OUT) or "/in/" not in p,
            extra=lambda snap, acked: output_problems(snap, acked, mc.home),
        )
        return mc, expect

    return make


def kill_then_rerun(tmp_path, point: str, n: int = 1, framework: str = "local") -> None:
    mc, expect = make_factory(tmp_path)(n)
    out = run_child(job_argv(framework), mc, crash=f"{point}@{n}")
    expect_kill(out, point)
    problems = check(mc, expect, False, f"wordcount ({framework}) killed at {point}@{n}")
    assert not problems, problems
    again = run_child(job_argv(framework), mc)
    if again.rc != 0 and "already exists" in again.stderr:
        # the kill came after the publish: the output is complete (checked above), and a new
        # job to the same path is refused, as Hadoop's FileAlreadyExistsException refuses it
        assert "Traceback" not in again.stderr, again.describe()
        return
    assert again.rc == 0, f"re-running the killed job to the same path: {again.describe()}"
    problems = check(mc, expect, True, f"wordcount re-run after a kill at {point}@{n}")
    assert not problems, problems


@pytest.mark.parametrize(
    "point,framework",
    [
        ("committer.before_publish", "local"),
        ("committer.after_publish", "cluster"),
        pytest.param("committer.before_publish", "cluster", marks=pytest.mark.slow),
        pytest.param("committer.after_publish", "local", marks=pytest.mark.slow),
    ],
)
def test_kill_at_the_commit(tmp_path, point, framework):
    require_point(point)
    kill_then_rerun(tmp_path, point, 1, framework)


def test_kill_early_in_a_job(tmp_path):
    """A kill after the job's third namespace operation (its set-up, or its first task's)."""
    kill_then_rerun(tmp_path, JOURNAL, 3)


@pytest.mark.slow
def test_sweep_every_journaled_operation_of_a_job(tmp_path):
    result = sweep(make_factory(tmp_path), job_argv(), JOURNAL)
    assert result.kills >= 5
    assert not result.problems, result.problems


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_kill_and_rerun_at_every_stage(tmp_path, n):
    kill_then_rerun(tmp_path, JOURNAL, n)


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    ["datanode.block_mid_write", "datanode.before_finalize", "datanode.after_finalize_meta"],
)
def test_kill_at_every_replica_write_of_a_job(tmp_path, point):
    """Each replica of each part file (and _SUCCESS) the job writes: killed there."""
    require_point(point)
    result = sweep(make_factory(tmp_path), job_argv(), point)
    assert result.kills >= 2
    assert not result.problems, result.problems


@pytest.mark.parametrize(
    "fault",
    [
        "block:eio@2",
        pytest.param("block:short@1", marks=pytest.mark.slow),
        pytest.param("meta:enospc@3", marks=pytest.mark.slow),
        pytest.param("editlog:enospc@4", marks=pytest.mark.slow),
        pytest.param("editlog:short@12", marks=pytest.mark.slow),
        pytest.param("editlog:eio@16", marks=pytest.mark.slow),
    ],
)
def test_a_failing_write_during_a_job(tmp_path, fault):
    """A full or broken disk under a job: it retries the task and succeeds with complete
    output, or fails with no output at all (and a re-run to the same path then works)."""
    tag, _, rest = fault.partition(":")
    nth = int(rest.partition("@")[2])
    mc, expect = make_factory(tmp_path)(1)
    out = run_child(hadoop_logging_writes(*job_argv()[3:]), mc, write_fault=fault)
    expect_write_fault(out, tag, nth)
    if out.rc != 0:  # a failed task's diagnostics may carry its traceback, as Hadoop's do
        assert any(w in out.stderr for w in ("No space left on device", "Input/output error"))
    problems = check(mc, expect, out.rc == 0, f"wordcount with {fault}")
    assert not problems, problems
    if out.rc != 0:
        again = run_child(job_argv(), mc)
        assert again.rc == 0, f"re-running the failed job to the same path: {again.describe()}"
        problems = check(mc, expect, True, f"wordcount re-run after {fault}")
        assert not problems, problems
