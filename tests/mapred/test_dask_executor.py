"""The ``dask`` framework (issue 17): the ready jobs, the join study's strategies and Pig scripts
on a Dask LocalCluster of 2 worker processes give the embedded JobTracker's output and an
independent plain-Python answer; a worker SIGKILLed mid-job, a failing user mapper and a
killed job leave exactly-once output or none.

One LocalCluster per module, on loopback, closed after; every job runs under a time bound.
Skipped (with the reason) only when Dask distributed is not installed: CI installs the
``dask`` extra.
"""

from __future__ import annotations

import collections
import io
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.grep import Grep
from jobs.join_reduce_side import ReduceSideJoin
from jobs.joins import STRATEGIES, run_join
from jobs.secondarysort import SecondarySort
from jobs.sort import Sort
from jobs.wordcount import WordCount
from jobs.wordcount_textbook import WordCountTextbook
from mapred.api import Input, Job
from mapred.errors import JobConfigError
from mapred.jobcontrol import run_chain
from mapred.runner import run_job
from tests.jobs.test_joins import expected_rows, handmade, write_lines

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (pip install '.[dask]')"
)

JOB_TIMEOUT_S = 120.0


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A LocalCluster of 2 single-threaded worker processes on 127.0.0.1, made the default
    scheduler of this process's jobs through mapred-site.xml (as a user would configure it)."""
    from mapred.dask.executor import shutdown_dask

    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=40,
    )
    conf_dir = tmp_path_factory.mktemp("dask-conf")
    (conf_dir / "mapred-site.xml").write_text(
        "<configuration><property><name>mapreduce.dask.scheduler</name>"
        f"<value>{cluster.scheduler_address}</value></property></configuration>\n"
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("MINIHADOOP_CONF_DIR", str(conf_dir))
    try:
        yield cluster
    finally:
        mp.undo()
        shutdown_dask()
        cluster.close(timeout=30)


def bounded(fn, *args, timeout: float = JOB_TIMEOUT_S, **kwargs):
    """`fn(*args, **kwargs)` in a thread, failing the test when it takes over `timeout` s."""
    box: dict = {}

    def call() -> None:
        try:
            box["result"] = fn(*args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = e

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"{fn.__name__} did not finish in {timeout} s"
    if "error" in box:
        raise box["error"]
    return box["result"]


def conf(tmp_path: Path, reducers: int, **extra) -> dict:
    settings = {
        "mapreduce.job.reduces": reducers,
        "mapreduce.task.io.sort.mb": "0.01",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 30_000,
    }
    settings.update(extra)
    return settings


def text_lines(n: int = 4000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    words = ["apple", "apricot", "banana", "avocado", "cherry", "açaí", "é", "Ünï"]
    return [" ".join(rng.choices(words, k=rng.randint(0, 9))) for _ in range(n)]


def write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def part_lines(output: str) -> list[str]:
    """Every line of every part file, in part order."""
    lines = []
    for name in sorted(os.listdir(output)):
        if name.startswith("part-"):
            lines += Path(output, name).read_text(encoding="utf-8").splitlines()
    return lines


def both(tmp_path: Path, run) -> tuple[list[str], list[str]]:
    """`run(output, framework)` on the embedded JobTracker and on Dask: their lines."""
    got = {}
    for framework in ("cluster", "dask"):
        output = str(tmp_path / f"out-{framework}")
        result = bounded(run, output, framework)
        assert result.succeeded, f"{framework}: {result.error}"
        got[framework] = part_lines(output)
    return got["cluster"], got["dask"]


# -- every ready job ----------------------------------------------------------------------------
@pytest.mark.parametrize("job", [WordCount, WordCountTextbook], ids=lambda j: j.__name__)
def test_wordcounts(dask_cluster, tmp_path, job):
    lines = text_lines()
    path = write(tmp_path / "in.txt", lines)
    embedded, dask = both(
        tmp_path, lambda out, fw: run_job(job, [path], out, conf(tmp_path, 2), fw)
    )
    expected = collections.Counter(w for line in lines for w in line.split())
    assert sorted(dask) == sorted(embedded)
    assert {k: int(v) for k, v in (line.split("\t") for line in dask)} == expected


def test_counters_and_progress_come_back_as_on_the_embedded_cluster(dask_cluster, tmp_path):
    lines = text_lines(3000, seed=6)
    path = write(tmp_path / "in.txt", lines)
    results, reports = {}, {}
    # the same splits whatever the slots of each (a machine with more cores than 2 workers)
    settings = conf(tmp_path, 2, **{"mapreduce.job.split.balance": False})
    for framework in ("cluster", "dask"):
        seen: list[tuple[float, float]] = []
        results[framework] = bounded(
            run_job, WordCountTextbook, [path], str(tmp_path / framework), settings,
            framework, progress=lambda job_id, m, r, seen=seen: seen.append((m, r)),
        )  # fmt: skip
        reports[framework] = seen
    task, fmt_in, fmt_out = (
        "Map-Reduce Framework",
        "File Input Format Counters ",
        "File Output Format Counters ",
    )
    names = [(task, "Map input records"), (task, "Map output records"),
             (task, "Combine input records"), (task, "Reduce input groups"),
             (task, "Reduce output records"), (fmt_in, "Bytes Read"), (fmt_out, "Bytes Written"),
             ("Job Counters ", "Launched reduce tasks")]  # fmt: skip
    for group, name in names:
        assert results["dask"].counters[group][name] == results["cluster"].counters[group][name]
    assert results["dask"].counters[task]["Map input records"] == len(lines)
    seen = reports["dask"]
    assert seen[-1] == (1.0, 1.0) and len(seen) > 1
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(seen, seen[1:]))


def test_total_order_sort(dask_cluster, tmp_path):
    rng = random.Random(4)
    lines = ["".join(rng.choices("abcdefghé", k=rng.randint(0, 9))) for _ in range(5000)]
    path = write(tmp_path / "in.txt", lines)
    embedded, dask = both(
        tmp_path, lambda out, fw: run_job(Sort, [path], out, conf(tmp_path, 3), fw)
    )
    assert dask == embedded == sorted(lines)


def test_secondary_sort(dask_cluster, tmp_path):
    rng = random.Random(5)
    pairs = [(rng.randint(-20, 60), rng.randint(-1000, 1000)) for _ in range(4000)]
    path = write(tmp_path / "in.txt", [f"{a} {b}" for a, b in pairs])
    embedded, dask = both(
        tmp_path, lambda out, fw: run_job(SecondarySort, [path], out, conf(tmp_path, 2), fw)
    )
    assert sorted(dask) == sorted(embedded)
    numbers = [tuple(map(int, line.split("\t"))) for line in dask if "\t" in line]
    assert sorted(numbers) == sorted(pairs)


def test_grep_chain(dask_cluster, tmp_path):
    lines = text_lines(seed=11)
    path = write(tmp_path / "in.txt", lines)

    def run(out: str, framework: str):
        return run_chain(Grep.steps([path, out, r"a(\w)"]), conf(tmp_path, 2), framework)

    embedded, dask = both(tmp_path, run)
    expected = collections.Counter(
        m.group(0) for line in lines for m in re.finditer(r"a(\w)", line)
    )
    assert sorted(dask) == sorted(embedded)  # ties in count may come in either order
    counts = [int(line.split("\t")[0]) for line in dask]
    assert counts == sorted(counts, reverse=True)
    assert {m: int(c) for c, m in (line.split("\t") for line in dask)} == expected


def test_reduce_side_join(dask_cluster, tmp_path):
    rng = random.Random(2)
    left = [f"k{rng.randrange(300)}\tL{i}" for i in range(1500)]
    right = [f"k{rng.randrange(600)}\tR{i}" for i in range(2500)]
    lp, rp = write(tmp_path / "l.tsv", left), write(tmp_path / "r.tsv", right)
    inputs = [Input(lp, mapper="map_left"), Input(rp, mapper="map_right")]
    embedded, dask = both(
        tmp_path, lambda out, fw: run_job(ReduceSideJoin, inputs, out, conf(tmp_path, 3), fw)
    )
    by_key = collections.defaultdict(list)
    for row in right:
        k, _, rest = row.partition("\t")
        by_key[k].append(rest)
    expected = [f"{k}\t{rest}\t{r}" for k, _, rest in (x.partition("\t") for x in left)
                for r in by_key.get(k, ())]  # fmt: skip
    assert sorted(dask) == sorted(embedded) == sorted(expected)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_join_study_strategies(dask_cluster, tmp_path, strategy):
    annotations, relation = handmade()
    ann = write_lines(tmp_path / "ann" / "part-00000", annotations)
    rel = write_lines(tmp_path / "rel" / "part-00000", relation)
    embedded, dask = both(
        tmp_path, lambda out, fw: run_join(strategy, ann, rel, out, conf(tmp_path, 2), executor=fw)
    )
    assert sorted(dask) == sorted(embedded)
    assert collections.Counter(dask) == expected_rows(annotations, relation)


def test_naive_join(dask_cluster, tmp_path):
    from jobs.joins.naive import NaiveJoin

    annotations, relation = handmade(seed=4)
    ann = write_lines(tmp_path / "annotations" / "part-00000", annotations)
    rel = write_lines(tmp_path / "relation" / "part-00000", relation)  # the job reads the name
    embedded, dask = both(
        tmp_path,
        lambda out, fw: run_chain(NaiveJoin.steps([ann, rel, out]), conf(tmp_path, 2), fw),
    )
    assert sorted(dask) == sorted(embedded)
    assert collections.Counter(dask) == expected_rows(annotations, relation)


@pytest.mark.parametrize("where", ["dfs", "file"])
def test_configured_intermediate_dir_holds_map_outputs_until_the_job_ends(
    dask_cluster, tmp_path, where
):
    import fsspec

    lines = text_lines(3000, seed=12)
    path = write(tmp_path / "in.txt", lines)
    inter = "dfs:///tmp/dask-inter" if where == "dfs" else f"file://{tmp_path}/inter"
    settings = conf(tmp_path, 3, **{"mapreduce.dask.intermediate.dir": inter})
    seen = []

    def look(job_id: str, maps: float, reduces: float) -> None:
        if maps == 1.0 and not seen:  # every map output is there before any reduce
            seen.extend(fsspec.core.url_to_fs(f"{inter}/{job_id}")[0].ls(
                fsspec.core.url_to_fs(f"{inter}/{job_id}")[1], detail=False))  # fmt: skip

    out = str(tmp_path / "out")
    result = bounded(run_job, WordCount, [path], out, settings, "dask", progress=look)
    assert result.succeeded, result.error
    counts = {k: int(v) for k, v in (line.split("\t") for line in part_lines(out))}
    assert counts == collections.Counter(w for line in lines for w in line.split())
    maps = result.stats["maps"]
    assert len(seen) == maps  # one published output per map (uploaded, or in place)
    fs, root = fsspec.core.url_to_fs(inter)
    assert not fs.exists(f"{root}/{result.job_id}")  # removed when the job ended


def test_a_job_from_a_py_file_travels_by_its_path(dask_cluster, tmp_path):
    """``hadoop jar wordcount.py``: the file is loaded under a private module name that a
    worker process cannot import; the job must reach the workers by the file's path."""
    from mapred.api import resolve_job

    (tmp_path / "my-count.py").write_text(
        "from mapred.api import Job\n\n"
        "class MyCount(Job):\n"
        "    def map(self, offset, line):\n"
        "        for word in line.split():\n"
        "            yield word, 1\n\n"
        "    def reduce(self, word, counts):\n"
        "        yield word, sum(counts)\n",
        encoding="utf-8",
    )
    job = resolve_job(str(tmp_path / "my-count.py"))  # as hadoop jar loads it
    lines = text_lines(500, seed=2)
    path = write(tmp_path / "in.txt", lines)
    result = bounded(run_job, job, [path], str(tmp_path / "out"), conf(tmp_path, 2), "dask")
    assert result.succeeded, result.error
    counts = {k: int(v) for k, v in result.read_output()}
    assert counts == collections.Counter(w for line in lines for w in line.split())


# -- Pig in mapreduce mode, on Dask -------------------------------------------------------------
def _pig_cases() -> list:
    from tests.piglatin.test_conformance import MR_CASES

    return MR_CASES


PIG_CASES = ("group_count_nulls", "join_left_outer_replicated", "order_parallel_global_order",
             "cogroup_three_relations")  # fmt: skip
SLOW_PIG_CASES = [c.name for c in _pig_cases() if c.name not in PIG_CASES]


def _pig_case(tmp_path: Path, name: str, exec_types: tuple[str, ...]) -> dict[str, list[str]]:
    """Run conformance case `name` in each exec type; its DUMP lines, after checking the dask
    run's against the case's hand-written expectations (from Pig's documentation)."""
    from piglatin import launcher
    from tests.piglatin.test_conformance import harness

    (case,) = [c for c in _pig_cases() if c.name == name]
    dumped = {}
    for exec_type in exec_types:
        where = tmp_path / exec_type
        for rel, content in case.inputs:
            (where / rel).parent.mkdir(parents=True, exist_ok=True)
            (where / rel).write_text(content, encoding="utf-8")
        out = io.StringIO()
        status = bounded(
            launcher.run_script, case.script, exec_type=exec_type, params=dict(case.params),
            cwd=where, filename="case.pig", out=out,
        )  # fmt: skip
        assert status == 0
        dumped[exec_type] = [line for line in out.getvalue().splitlines() if line.strip()]
    for expect in case.expectations:
        assert expect.kind != "file"
        problem = harness.compare_lines(
            expect.lines, dumped["dask"], ordered=expect.ordered, strict_bags=expect.strict_bags
        )
        assert problem is None, problem
    return dumped


@pytest.mark.parametrize("name", PIG_CASES)
def test_pig_conformance_cases(dask_cluster, tmp_path, name):
    dumped = _pig_case(tmp_path, name, ("mapreduce", "dask"))
    assert sorted(dumped["dask"]) == sorted(dumped["mapreduce"])


@pytest.mark.slow  # ~70 cases, a minute or two
@pytest.mark.parametrize("name", SLOW_PIG_CASES)
def test_every_job_running_pig_conformance_case(dask_cluster, tmp_path, name):
    _pig_case(tmp_path, name, ("dask",))  # the embedded runs: tests/piglatin/test_conformance


@pytest.mark.parametrize(
    "options", [["-x", "dask"], ["-x", "mapreduce", "-D", "mapreduce.framework.name=dask"]]
)
def test_pig_runs_its_jobs_on_dask(dask_cluster, tmp_path, capsys, monkeypatch, options):
    from dfs.conf import Configuration
    from mapred.history import history_dir
    from piglatin.tools.cli import main

    monkeypatch.chdir(tmp_path)  # pig's log file
    (tmp_path / "in.txt").write_text("b\t2\na\t1\nb\t3\n", encoding="utf-8")
    script = (
        f"x = LOAD 'file://{tmp_path}/in.txt' AS (k:chararray, v:int); g = GROUP x BY k; "
        "c = FOREACH g GENERATE group, SUM(x.v); DUMP c;"
    )
    history = Path(history_dir(Configuration()))
    before = set(history.glob("*.jsonl"))
    assert bounded(main, [*options, "-e", script]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == ["(a,1)", "(b,5)"]
    (job,) = set(history.glob("*.jsonl")) - before
    assert '"tracker_dask"' in job.read_text()  # its attempts ran on the Dask tracker


# -- failures -----------------------------------------------------------------------------------
class SlowCount(Job):
    """Word count that sleeps ``test.delay`` s a line and ``test.reduce.delay`` s a word, each
    task leaving ``<pid>-<attempt>`` in ``test.pids`` first."""

    def setup(self) -> None:
        pids = self.context.get("test.pids")
        if pids:
            Path(pids, f"{os.getpid()}-{self.context.task_id}").touch()
        self.delay = float(self.context.get("test.delay", 0.0))
        self.reduce_delay = float(self.context.get("test.reduce.delay", 0.0))

    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        time.sleep(self.delay)
        for word in line.split():
            yield word, 1

    def reduce(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        time.sleep(self.reduce_delay)
        yield word, sum(counts)


class FailingMap(Job):
    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        if "cherry" in line:
            raise ValueError(f"no cherries please (line at {offset})")
        yield line, 1


class SilentSetup(Job):
    """A map whose setup takes 10 s and reports nothing meanwhile."""

    def setup(self) -> None:
        for _ in range(200):
            time.sleep(0.05)


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize(
    ("phase", "reducers"),
    [
        ("_m_", 2),
        pytest.param("_m_", 0, marks=pytest.mark.slow),
        pytest.param("_r_", 2, marks=pytest.mark.slow),
    ],
    ids=["map", "map-only", "reduce"],
)
def test_worker_killed_mid_job_gives_exactly_once_output(dask_cluster, tmp_path, phase, reducers):
    client = distributed.Client(dask_cluster)
    try:
        worker_pids = set(client.run(os.getpid).values())
    finally:
        client.close()
    lines = text_lines(1200, seed=8)
    path = write(tmp_path / "in.txt", lines)
    pids = tmp_path / "pids"
    pids.mkdir()
    delays = {"test.delay": 0.006, "test.reduce.delay": 0.4 if phase == "_r_" else 0}
    settings = conf(tmp_path, reducers, **{"test.pids": str(pids), **delays})
    settings["mapreduce.input.fileinputformat.split.maxsize"] = 8_000  # 6 maps of ~1.2 s
    out = str(tmp_path / "out")
    box: dict = {}
    job = threading.Thread(
        target=lambda: box.setdefault("r", run_job(SlowCount, [path], out, settings, "dask"))
    )
    job.start()
    started = lambda: [p.name for p in pids.iterdir() if phase in p.name]  # noqa: E731
    first = _wait_for(started, 60, f"a {phase} task to start")[0]
    victim, attempt = int(first.split("-")[0]), first.split("-", 1)[1]
    assert victim in worker_pids
    os.kill(victim, signal.SIGKILL)
    job.join(JOB_TIMEOUT_S)
    assert not job.is_alive() and "r" in box
    result = box["r"]
    assert result.succeeded, result.error
    if reducers:
        counts = {k: int(v) for k, v in (line.split("\t") for line in part_lines(out))}
        assert counts == collections.Counter(w for line in lines for w in line.split())
    else:  # map-only: every (word, 1) exactly once
        got = collections.Counter(line.split("\t")[0] for line in part_lines(out))
        assert got == collections.Counter(w for line in lines for w in line.split())
    assert [p for p in os.listdir(tmp_path) if p.startswith("_temporary")] == []
    runs = [p.name.split("-")[0] for p in pids.iterdir() if p.name.endswith(f"-{attempt}")]
    assert len(runs) == 2 and str(victim) in runs  # Dask ran the killed attempt again


def test_failing_mapper_fails_the_job_with_the_users_message(dask_cluster, tmp_path):
    path = write(tmp_path / "in.txt", text_lines(500))
    settings = conf(tmp_path, 2, **{"mapreduce.map.maxattempts": 2})
    out = str(tmp_path / "out")
    result = bounded(run_job, FailingMap, [path], out, settings, "dask")
    assert result.state == "FAILED"
    assert "failed 2 times" in result.error
    assert "ValueError: no cherries please (line at" in result.error
    assert "in map" in result.failed_attempt.traceback  # the user's frame
    assert "test_dask_executor.py" in result.failed_attempt.traceback
    assert not os.path.exists(out)
    assert [p for p in os.listdir(tmp_path) if p.startswith("_temporary")] == []


def test_killed_job_stops_its_attempts_and_leaves_nothing(dask_cluster, tmp_path):
    from mapred.dask.executor import get_dask_cluster
    from mapred.runner import make_conf

    path = write(tmp_path / "in.txt", text_lines(2000))
    settings = conf(tmp_path, 2, **{"test.delay": 0.1})  # each map would take ~40 s
    settings["mapreduce.input.fileinputformat.split.maxsize"] = 15_000
    out = str(tmp_path / "out")
    started: list[str] = []
    box: dict = {}

    def run() -> None:
        box["r"] = run_job(SlowCount, [path], out, settings, "dask",
                           progress=lambda job_id, m, r: started.append(job_id))  # fmt: skip

    job = threading.Thread(target=run)
    began = time.monotonic()
    job.start()
    job_id = _wait_for(lambda: started and started[0], 60, "the job to start")
    time.sleep(0.5)  # the first maps are running
    assert get_dask_cluster(make_conf(settings)).kill(job_id)
    job.join(JOB_TIMEOUT_S)
    assert not job.is_alive()
    assert box["r"].state == "KILLED"
    assert time.monotonic() - began < 20  # the running maps were interrupted, not waited for
    assert not os.path.exists(out)
    assert [p for p in os.listdir(tmp_path) if p.startswith("_temporary")] == []


def test_an_attempt_silent_past_the_task_timeout_is_failed(dask_cluster, tmp_path):
    path = write(tmp_path / "in.txt", ["a b"])
    settings = conf(tmp_path, 1, **{"mapreduce.task.timeout": 1000, "mapreduce.map.maxattempts": 1})
    began = time.monotonic()
    result = bounded(run_job, SilentSetup, [path], str(tmp_path / "out"), settings, "dask")
    assert result.state == "FAILED"
    assert re.search(r"failed to report status for \d+ seconds\. Killing!", result.error)
    assert time.monotonic() - began < 8  # killed, not waited for
    assert not os.path.exists(tmp_path / "out")


def test_unreachable_scheduler_is_one_clear_error(tmp_path):
    path = write(tmp_path / "in.txt", ["a b"])
    settings = conf(tmp_path, 1, **{
        "mapreduce.dask.scheduler": "tcp://127.0.0.1:9", "mapreduce.dask.connect.timeout": 1,
    })  # fmt: skip
    with pytest.raises(
        JobConfigError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    ):
        bounded(run_job, WordCount, [path], str(tmp_path / "out"), settings, "dask")


def test_a_local_cluster_that_cannot_start_is_one_clear_error(monkeypatch):
    from dfs.conf import Configuration
    from mapred.dask import executor

    def broken(distributed):
        raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(executor, "_local_cluster", broken)
    with pytest.raises(
        JobConfigError,
        match=r"cannot start a Dask LocalCluster on this machine "
        r"\(RuntimeError: Nanny failed to start.\); set mapreduce.dask.scheduler",
    ):
        executor.get_dask_cluster(Configuration({}, load_site=False))


# -- pieces -------------------------------------------------------------------------------------
def test_reducers_copy_their_partition_from_remote_map_outputs(tmp_path):
    import fsspec

    from mapred.dask.worker import fetch_partition

    fs = fsspec.filesystem("memory")
    fs.pipe("/inter/m0.out", b"AAAABBBBBBCC")
    fs.pipe("/inter/m1.out", b"xyzXYZW")
    maps = [
        ["memory:///inter/m0.out", [[0, 4, 1], [4, 6, 2], [10, 2, 1]]],
        ["memory:///inter/m1.out", [[0, 3, 1], [3, 4, 1], [7, 0, 0]]],
        ["memory:///inter/gone.out", [[0, 0, 0], [0, 5, 1], [5, 0, 0]]],
    ]
    entries = fetch_partition(maps, 1, str(tmp_path / "fetch"))
    assert Path(entries[0][0]).read_bytes() == b"BBBBBB" and entries[0][1][1] == [0, 6, 2]
    assert Path(entries[1][0]).read_bytes() == b"XYZW" and entries[1][1][1] == [0, 4, 1]
    assert not os.path.exists(entries[2][0])  # the shuffle reports it: the map runs again


def test_where_map_outputs_go(tmp_path):
    from dfs.conf import Configuration
    from mapred.dask.executor import intermediate_dir
    from mapred.trackerproto import JobSubmission

    def job(output: str) -> JobSubmission:
        return JobSubmission("job_local1_0001", "j", "u", "m:C", {}, output, "text", 1,
                             str(tmp_path / "local" / "job_local1_0001"), [], [])  # fmt: skip

    none, configured = (
        Configuration({}),
        Configuration({"mapreduce.dask.intermediate.dir": "s3://bucket/shuffle/"}),
    )
    here = intermediate_dir(job(str(tmp_path / "out")), none)
    assert here == (str(tmp_path / "local" / "job_local1_0001" / "intermediate"), False)
    # workers on other machines cannot see this machine's local directory: beside the output
    remote = intermediate_dir(job(str(tmp_path / "out")), none, workers_here=False)
    stage = f"file://{tmp_path}/_temporary_job_local1_0001_out/_temporary/_maps"
    assert remote == (stage, False)
    dfs = intermediate_dir(job("dfs:///user/u/out"), none)
    assert dfs == ("dfs:///user/u/_temporary_job_local1_0001_out/_temporary/_maps", False)
    assert intermediate_dir(job("dfs:///o"), configured) == (
        "s3://bucket/shuffle/job_local1_0001",
        True,
    )


def test_local_cache_files_are_shipped_for_workers_elsewhere(tmp_path):
    import fsspec

    from mapred.dask.executor import ship_cache

    (tmp_path / "lookup.tsv").write_bytes(b"a\t1\n")
    cache = {"lookup.tsv": str(tmp_path / "lookup.tsv"), "big": "dfs:///shared/big.tsv"}
    shipped = ship_cache(cache, "memory:///inter/job_local1_0001")
    assert shipped == {
        "lookup.tsv": "memory:///inter/job_local1_0001/_cache/lookup.tsv",
        "big": "dfs:///shared/big.tsv",  # on shared storage already
    }
    assert fsspec.filesystem("memory").cat("/inter/job_local1_0001/_cache/lookup.tsv") == b"a\t1\n"


class _RecordingClient:
    """Just enough of a distributed.Client for the tracker: two workers named like the DFS's
    datanodes dn1 and dn2; submissions are recorded, never run."""

    def __init__(self) -> None:
        self.submitted: list[tuple[bytes, dict]] = []

    def scheduler_info(self, n_workers: int = -1) -> dict:
        return {"workers": {
            "tcp://10.0.0.1:4001": {"host": "10.0.0.1", "name": "dn1", "nthreads": 1},
            "tcp://10.0.0.2:4001": {"host": "10.0.0.2", "name": "dn2", "nthreads": 1},
        }}  # fmt: skip

    def subscribe_topic(self, topic, handler) -> None:
        pass

    def submit(self, fn, payload, **kwargs):
        self.submitted.append((payload, kwargs))
        return _PendingFuture()


class _PendingFuture:
    def add_done_callback(self, fn) -> None:
        pass


def test_split_hosts_become_worker_preferences(tmp_path):
    from dfs.conf import Configuration
    from mapred.child import loads
    from mapred.dask.tracker import DaskTracker, JobInfo
    from mapred.jobtracker import JobTracker
    from mapred.trackerproto import JobSubmission

    client, jobtracker = _RecordingClient(), JobTracker(Configuration({}, load_site=False))
    tracker = DaskTracker(client, jobtracker, 0.1)
    assert tracker.refresh() == 2 and not tracker.workers_here
    splits = [["dfs:///in", 0, 10, ["dn1", "dn3"], 0], ["dfs:///in", 10, 10, ["dn3", "dn4"], 0]]
    job = JobSubmission("job_local1_0001", "j", "u", "jobs.wordcount:WordCount", {},
                        str(tmp_path / "out"), "text", 0, str(tmp_path / "local"), [[None, None]],
                        splits)  # fmt: skip
    tracker.add_job(job.job_id, JobInfo("topic-1", "dfs:///inter", False))
    jobtracker.submit_job(job)
    tracker.heartbeat()  # the JobTracker answers with both maps to launch
    first, second = client.submitted
    assert first[1]["workers"] == ["tcp://10.0.0.1:4001"] and first[1]["allow_other_workers"]
    assert second[1]["workers"] is None and not second[1]["allow_other_workers"]
    request = loads(first[0])  # what a worker gets: msgpack, the job by reference
    assert request["spec"][5] == "jobs.wordcount:WordCount" and request["topic"] == "topic-1"
    assert request["intermediate"] == "dfs:///inter"


def test_the_core_install_does_not_import_dask(tmp_path):
    path = write(tmp_path / "in.txt", ["a b a"])
    code = (
        "import sys\nfrom mapred.runner import run_job\nimport piglatin.launcher, mapred.cli\n"
        f"r = run_job('jobs.wordcount:WordCount', [{path!r}], {str(tmp_path / 'o')!r}, "
        f"{{'mapreduce.cluster.local.dir': {str(tmp_path / 'l')!r}}}, 'local')\n"
        "assert r.succeeded, r.error\n"
        "assert not {'dask', 'distributed'} & set(sys.modules), 'dask imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
