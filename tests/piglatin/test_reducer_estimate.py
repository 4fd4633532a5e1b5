"""Pig's reducer estimate (InputSizeReducerEstimator) when a script does not choose reducers.

Independent answers: Pig's formula ceil(input bytes / pig.exec.reducers.bytes.per.reducer),
at least 1, at most pig.exec.reducers.max (Pig's perf guide, "Use the Parallel Features";
its example: inputs of 1 GB and 2 GB give 3); the precedence PARALLEL > default_parallel >
mapreduce.job.reduces > the estimate; Hadoop's "How Many Reduces?" (0.95 x reduce slots) for
this project's cluster default; results against plain Python (dicts, sorted)."""

from __future__ import annotations

import math
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from piglatin.back import reducerestimate as RE
from piglatin.back.mrcompiler import TO_RUN, compile_sink
from piglatin.errors import PigError
from piglatin.launcher import PigServer
from piglatin.tools import cli

GB = 1000 * 1000 * 1000


# -- the formula and the settings ------------------------------------------------------------
@pytest.mark.parametrize(
    "total, per, most, expected",
    [
        (3 * GB, GB, 999, 3),  # Pig's own example: 1 GB + 2 GB of input
        (0, GB, 999, 1),
        (1, GB, 999, 1),
        (GB, GB, 999, 1),
        (GB + 1, GB, 999, 2),
        (10**15, GB, 999, 999),
        (5000, 100, 10, 10),
        (30_439_772, 16_000_000, 2, 2),
    ],
)
def test_estimate_is_pigs_formula(total, per, most, expected):
    assert RE.estimate(total, per, most) == expected
    assert expected == max(1, min(most, math.ceil(total / per)))


def test_local_mode_keeps_pigs_defaults():
    est = RE.Estimator.of({}, None)
    assert (est.bytes_per_reducer, est.max_reducers) == (1000 * 1000 * 1000, 999)
    assert est.reducers(900 * 1000 * 1000) == 1 and est.reducers(None) == 1


@pytest.mark.parametrize("slots, cap", [(1, 1), (2, 2), (4, 4), (20, 19), (100, 95)])
def test_cluster_default_fills_the_reduce_slots_once(slots, cap):
    est = RE.Estimator.of({}, slots)
    assert est.max_reducers == cap == max(1, round(0.95 * slots))
    assert est.reducers(10_000) == 1  # tiny inputs keep one reducer
    assert est.reducers(10**12) == cap  # never more than the cluster runs at once


def test_an_order_keeps_pigs_bytes_per_reducer_unless_the_user_sets_them():
    assert RE.Estimator.of({}, 2, sampled=True).bytes_per_reducer == 1000 * 1000 * 1000
    assert RE.Estimator.of({}, 2, sampled=True).reducers(30_439_772) == 1
    assert RE.Estimator.of({RE.BYTES_PER_REDUCER: "5000"}, 2, sampled=True).reducers(12_000) == 2


def test_pig_properties_override_the_defaults_in_both_modes():
    props = {"pig.exec.reducers.bytes.per.reducer": "100", "pig.exec.reducers.max": "7"}
    for slots in (None, 2):
        est = RE.Estimator.of(props, slots)
        assert (est.bytes_per_reducer, est.max_reducers) == (100, 7)  # above 2 slots: asked for
        assert est.reducers(250) == 3 and est.reducers(10_000) == 7


def test_precedence_requested_then_mapreduce_job_reduces_then_estimate():
    def never():
        raise AssertionError("estimated although the count was given")

    props = {"mapreduce.job.reduces": "3"}
    assert RE.runtime_reducers(5, False, props, never) == 5  # PARALLEL/default_parallel win
    assert RE.runtime_reducers(1, True, props, never) == 3  # -D mapreduce.job.reduces
    assert RE.runtime_reducers(1, True, {}, lambda: 4) == 4  # the estimate
    assert RE.runtime_reducers(1, True, {"mapreduce.job.reduces": "0"}, lambda: 4) == 4


def _compiled(tmp_path: Path, script: str, conf=None):
    pig = PigServer("local", cwd=tmp_path)
    try:
        pig.register_script(script, execute=False)
        (sink,) = [s.op_id for s in pig.plan.sinks()]
        return compile_sink(pig.plan, sink, set(), {TO_RUN: True, **(conf or {})})
    finally:
        pig.close()


LOAD = "A = LOAD 'in.txt' AS (k:chararray, v:int);\n"


@pytest.mark.parametrize(
    "script, conf, reducers, estimate",
    [
        (LOAD + "B = GROUP A BY k;\nSTORE B INTO 'o';", {}, 1, True),
        (
            LOAD + "B = GROUP A BY k PARALLEL 4;\nSTORE B INTO 'o';",
            {"default_parallel": "3"},
            4,
            False,
        ),
        (LOAD + "B = GROUP A BY k;\nSTORE B INTO 'o';", {"default_parallel": "3"}, 3, False),
        (LOAD + "B = GROUP A BY k;\nSTORE B INTO 'o';", {"default_parallel": "0"}, 1, True),
        (LOAD + "B = GROUP A ALL;\nSTORE B INTO 'o';", {}, 1, False),
        (LOAD + "B = DISTINCT A;\nSTORE B INTO 'o';", {}, 1, True),
        (
            LOAD + "B = LOAD 'b' AS (k:chararray);\nC = JOIN A BY k, B BY k;\nSTORE C INTO 'o';",
            {},
            1,
            True,
        ),
    ],
)
def test_the_compiler_leaves_only_unchosen_counts_to_the_estimate(
    tmp_path, script, conf, reducers, estimate
):
    (job,) = _compiled(tmp_path, script, conf).jobs
    assert (job.reducers, job.estimate) == (reducers, estimate)


def test_an_estimated_order_is_compiled_with_its_sampler_a_top_n_is_not(tmp_path):
    order = _compiled(tmp_path, LOAD + "B = ORDER A BY v;\nSTORE B INTO 'o';").jobs
    assert [j.spec.kind for j in order] == ["sample", "order"] and order[1].estimate
    top = _compiled(tmp_path, LOAD + "B = ORDER A BY v;\nC = LIMIT B 3;\nSTORE C INTO 'o';")
    assert "sample" not in [j.spec.kind for j in top.jobs]
    assert not any(j.estimate for j in top.jobs)


# -- bad values are refused where they are set ---------------------------------------------------
@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text("1\n2\n2\n")
    return tmp_path


SCRIPT = (
    "A = LOAD 'n.txt' AS (n:int); B = GROUP A BY n; C = FOREACH B GENERATE group, COUNT(A); DUMP C;"
)


@pytest.mark.parametrize(
    "args, setting",
    [
        (["-D", "pig.exec.reducers.bytes.per.reducer=abc", "-e", SCRIPT], RE.BYTES_PER_REDUCER),
        (["-D", "pig.exec.reducers.bytes.per.reducer=0", "-e", SCRIPT], RE.BYTES_PER_REDUCER),
        (["-e", "set pig.exec.reducers.max '-1'; " + SCRIPT], RE.MAX_REDUCERS),
        (["-e", "set pig.exec.reducers.max 1.5; " + SCRIPT], RE.MAX_REDUCERS),
    ],
)
def test_a_bad_estimate_setting_is_one_clear_error(data, capsys, args, setting):
    status = cli.main(["-x", "local", *args])
    err = capsys.readouterr().err
    assert status != 0
    assert "ERROR 1000" in err and setting in err and "whole number" in err
    assert "Traceback" not in err and "ERROR 2999" not in err


def test_a_bad_setting_given_to_pigserver_is_refused(tmp_path):
    with pytest.raises(PigError, match=RE.BYTES_PER_REDUCER):
        PigServer("local", cwd=tmp_path, properties={RE.BYTES_PER_REDUCER: "abc"})


# -- runs: the estimate decides the reduce tasks, results stay those of plain Python -----------
def _rows(n: int, keys: int, seed: int = 7) -> list[tuple[str, int]]:
    rnd = random.Random(seed)
    return [(f"k{rnd.randrange(keys):04d}", rnd.randrange(-1000, 1000)) for _ in range(n)]


def _write(path: Path, rows) -> int:
    path.write_text("".join(f"{k}\t{v}\n" for k, v in rows))
    return path.stat().st_size


def _run(tmp_path: Path, exec_type: str, script: str, props: dict) -> list[dict]:
    with PigServer(exec_type, cwd=tmp_path, properties=props) as pig:
        pig.register_script(script)
        return list(pig.stats)


def _parts(out: Path) -> list[Path]:
    return sorted(out.glob("part-*"))


def _lines(out: Path) -> list[str]:
    return [line for p in _parts(out) for line in p.read_text().splitlines()]


GROUP_SUM = (
    "A = LOAD '{src}' AS (k:chararray, v:int);\nB = GROUP A BY k;\n"
    "C = FOREACH B GENERATE group, SUM(A.v);\nSTORE C INTO '{out}';\n"
)


def _sums(rows) -> Counter:
    sums: dict[str, int] = defaultdict(int)
    for k, v in rows:
        sums[k] += v
    return Counter(f"{k}\t{v}" for k, v in sums.items())


@pytest.mark.parametrize(
    "props, expected",
    [
        ({}, 1),  # Pig's 1 GB per reducer
        ({RE.BYTES_PER_REDUCER: "1000", RE.MAX_REDUCERS: "3"}, 3),
        ({RE.BYTES_PER_REDUCER: "1000", RE.MAX_REDUCERS: "3", "mapreduce.job.reduces": "2"}, 2),
        ({RE.BYTES_PER_REDUCER: "1000", "mapreduce.job.reduces": "2", "default_parallel": "4"}, 4),
    ],
)
def test_local_group_gets_the_estimated_reducers(tmp_path, props, expected):
    rows = _rows(600, 50)
    size = _write(tmp_path / "in.txt", rows)
    assert size > 3000  # the 1000-byte settings estimate more than 3
    stats = _run(tmp_path, "local", GROUP_SUM.format(src="in.txt", out="out"), props)
    assert [s["reduces"] for s in stats] == [expected]
    assert len(_parts(tmp_path / "out")) == expected
    assert Counter(_lines(tmp_path / "out")) == _sums(rows)


def test_parallel_wins_over_everything(tmp_path):
    rows = _rows(300, 20)
    _write(tmp_path / "in.txt", rows)
    script = GROUP_SUM.format(src="in.txt", out="out").replace("BY k;", "BY k PARALLEL 2;")
    props = {RE.BYTES_PER_REDUCER: "100", "default_parallel": "3", "mapreduce.job.reduces": "4"}
    stats = _run(tmp_path, "local", script, props)
    assert [s["reduces"] for s in stats] == [2]
    assert Counter(_lines(tmp_path / "out")) == _sums(rows)


ORDER = "A = LOAD 'in.txt' AS (k:chararray, v:int);\nB = ORDER A BY v, k;\nSTORE B INTO 'out';\n"


def test_order_on_estimated_reducers_is_sorted_across_part_files(tmp_path):
    rows = _rows(2000, 500)
    _write(tmp_path / "in.txt", rows)
    stats = _run(tmp_path, "local", ORDER, {RE.BYTES_PER_REDUCER: "5000", RE.MAX_REDUCERS: "3"})
    assert [s["kind"] for s in stats] == ["sample", "order"] and stats[1]["reduces"] == 3
    parts = _parts(tmp_path / "out")
    assert len(parts) == 3 and all(p.stat().st_size for p in parts)
    got = [(k, int(v)) for k, v in (line.split("\t") for line in _lines(tmp_path / "out"))]
    assert got == sorted(rows, key=lambda r: (r[1], r[0]))


def test_order_estimated_at_one_reducer_skips_its_sampler(tmp_path):
    rows = _rows(200, 50)
    _write(tmp_path / "in.txt", rows)
    stats = _run(tmp_path, "local", ORDER, {})
    assert [(s["kind"], s["reduces"]) for s in stats] == [("order", 1)]
    got = [(k, int(v)) for k, v in (line.split("\t") for line in _lines(tmp_path / "out"))]
    assert got == sorted(rows, key=lambda r: (r[1], r[0]))


def test_order_after_a_group_estimates_from_the_group_output(tmp_path):
    rows = _rows(3000, 400)
    _write(tmp_path / "in.txt", rows)
    script = (
        "A = LOAD 'in.txt' AS (k:chararray, v:int);\nB = GROUP A BY k;\n"
        "C = FOREACH B GENERATE group AS k, SUM(A.v) AS s;\nD = ORDER C BY s DESC, k;\n"
        "STORE D INTO 'out';\n"
    )
    stats = _run(tmp_path, "local", script, {RE.BYTES_PER_REDUCER: "2000", RE.MAX_REDUCERS: "2"})
    assert [(s["kind"], s["reduces"]) for s in stats] == [
        ("group", 2),
        ("sample", 0),
        ("order", 2),
    ]
    sums: dict[str, int] = defaultdict(int)
    for k, v in rows:
        sums[k] += v
    want = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    got = [(k, int(v)) for k, v in (line.split("\t") for line in _lines(tmp_path / "out"))]
    assert got == want


def test_skewed_join_on_estimated_reducers_equals_a_hash_join_in_python(tmp_path):
    left = _rows(1500, 30) + [("k0000", i) for i in range(1500)]  # one hot key
    right = _rows(200, 40, seed=3)
    _write(tmp_path / "l.txt", left)
    _write(tmp_path / "r.txt", right)
    script = (
        "L = LOAD 'l.txt' AS (k:chararray, v:int);\nR = LOAD 'r.txt' AS (k:chararray, w:int);\n"
        "J = JOIN L BY k, R BY k USING 'skewed';\nSTORE J INTO 'out';\n"
    )
    stats = _run(tmp_path, "local", script, {RE.BYTES_PER_REDUCER: "4000", RE.MAX_REDUCERS: "3"})
    assert [s["reduces"] for s in stats if s["kind"] == "join"] == [3]
    by_key = defaultdict(list)
    for k, w in right:
        by_key[k].append(w)
    want = Counter(f"{k}\t{v}\t{k}\t{w}" for k, v in left for w in by_key[k])
    assert Counter(_lines(tmp_path / "out")) == want


def test_multiquery_job_takes_the_estimate(tmp_path):
    rows = _rows(1000, 60)
    _write(tmp_path / "in.txt", rows)
    script = (
        "A = LOAD 'in.txt' AS (k:chararray, v:int);\n"
        "B = GROUP A BY k;\nC = FOREACH B GENERATE group, SUM(A.v);\nSTORE C INTO 'o1';\n"
        "D = DISTINCT A;\nSTORE D INTO 'o2';\n"
    )
    stats = _run(tmp_path, "local", script, {RE.BYTES_PER_REDUCER: "3000", RE.MAX_REDUCERS: "2"})
    assert [s.get("reduces") for s in stats if "reduces" in s] == [2]  # one merged job
    assert Counter(_lines(tmp_path / "o1")) == _sums(rows)
    assert Counter(_lines(tmp_path / "o2")) == Counter(f"{k}\t{v}" for k, v in set(rows))


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def test_default_mode_caps_the_estimate_at_the_cluster_reduce_slots(tmp_path):
    """On the embedded cluster the reduce slots are the machine's cores (mapred/embedded.py);
    a tiny bytes-per-reducer asks for far more reducers than that."""
    rows = _rows(3000, 300)
    _write(tmp_path / "in.txt", rows)
    src, out = (tmp_path / "in.txt").as_uri(), (tmp_path / "out").as_uri()
    stats = _run(tmp_path, "mapreduce", GROUP_SUM.format(src=src, out=out),
                 {RE.BYTES_PER_REDUCER: "100"})  # fmt: skip
    cap = max(1, round(0.95 * _cores()))
    assert [s["reduces"] for s in stats] == [cap]
    assert len(_parts(tmp_path / "out")) == cap
    assert Counter(_lines(tmp_path / "out")) == _sums(rows)


@pytest.mark.slow
def test_default_mode_splits_a_big_input_over_two_reducers(tmp_path):
    """The cluster default (16 MB per reducer) on ~20 MB of input: 2 reduce tasks (capped at
    the slots: this needs 2 cores), the same sums as plain Python."""
    if _cores() < 2:
        pytest.skip("needs 2 cores")
    rows = _rows(1_600_000, 5000)
    size = _write(tmp_path / "in.txt", rows)
    assert size > RE.CLUSTER_BYTES_PER_REDUCER
    src, out = (tmp_path / "in.txt").as_uri(), (tmp_path / "out").as_uri()
    stats = _run(tmp_path, "mapreduce", GROUP_SUM.format(src=src, out=out), {})
    assert [s["reduces"] for s in stats] == [2]
    assert len(_parts(tmp_path / "out")) == 2
    assert Counter(_lines(tmp_path / "out")) == _sums(rows)


@pytest.mark.slow
def test_on_the_daemons_the_cap_is_the_jobtrackers_reduce_slots(tmp_path):
    """With a JobTracker daemon the reduce slots come from its ClusterStatus: the trackers'
    slots dealt from this machine's cores, as in the embedded cluster."""
    from mapred.minicluster import MiniMRCluster
    from mapred.remote import RemoteJobTracker, jobtracker_address

    rows = _rows(3000, 300)
    _write(tmp_path / "in.txt", rows)
    src, out = (tmp_path / "in.txt").as_uri(), (tmp_path / "out").as_uri()
    cluster = MiniMRCluster(tmp_path / "cluster")
    try:
        client = RemoteJobTracker(cluster.conf, jobtracker_address(cluster.conf))
        try:
            slots = client.proxy.cluster_status().reduce_slots
        finally:
            client.close()
        assert slots >= 1
        stats = _run(tmp_path, "mapreduce", GROUP_SUM.format(src=src, out=out),
                     {RE.BYTES_PER_REDUCER: "100"})  # fmt: skip
    finally:
        cluster.close()
    cap = max(1, round(0.95 * slots))
    assert [s["reduces"] for s in stats] == [cap]
    assert stats[0]["job"].startswith("job_") and not stats[0]["job"].startswith("job_local")
    assert len(_parts(tmp_path / "out")) == cap
    assert Counter(_lines(tmp_path / "out")) == _sums(rows)
