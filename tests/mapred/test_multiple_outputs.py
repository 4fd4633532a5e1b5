"""Named outputs (Hadoop's MultipleOutputs): one job, several output directories, one commit.

A job declares extra outputs (`mapred.output.declare_named_outputs`); its maps and reduces write
into them through ``context.output(name)``. Checked against plain Python: what each directory
holds, from map-only jobs and from maps and reduces of one job, on the local and the cluster
executor. The commit publishes all of them or none: a failure between two publishes unpublishes
the ones already published, a process killed there leaves a record the next job's start rolls
back with, a failed job leaves none of its outputs, and another job's output that appeared
meanwhile is never touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from dfs import faults
from dfs.conf import Configuration
from mapred.api import Job
from mapred.committer import BETWEEN_PUBLISHES, MultiOutputCommitter, job_committer
from mapred.errors import JobConfigError, OutputExistsError
from mapred.output import NamedOutput, declare_named_outputs, named_outputs
from mapred.runner import clean_orphaned_jobs, read_output, run_job

ROOT = Path(__file__).resolve().parents[2]


class SplitByParity(Job):
    """Map-only: each number to the output named by its parity; nothing to the main one."""

    reducers = 0

    def map(self, offset, line):
        n = int(line)
        self.context.output("even" if n % 2 == 0 else "odd").write(None, str(n))
        return None


class CountsAndLines(Job):
    """Maps copy long lines to named output "long" and count words; reduces write the counts
    to "counts" and the words seen more than 3 times to the main output."""

    reducers = 2

    def map(self, offset, line):
        words = line.split()
        if len(words) > 4:
            self.context.output("long").write(None, line)
        for w in words:
            yield w, 1

    def combine(self, word, counts):
        yield word, sum(counts)

    def reduce(self, word, counts):
        n = sum(counts)
        self.context.output("counts").write(word, n)
        if n > 3:
            yield word, n


class FailsInReduce(CountsAndLines):
    def reduce(self, word, counts):
        if word == "w7":
            raise ValueError("w7 is refused")
        yield from super().reduce(word, counts)


def _lines(tmp_path: Path) -> list[str]:
    import random

    rng = random.Random(5)
    words = [f"w{i}" for i in range(12)]
    return [" ".join(rng.choices(words, k=rng.randint(0, 8))) for _ in range(500)]


def _read_dir(path: Path) -> list[str]:
    assert (path / "_SUCCESS").exists(), sorted(os.listdir(path))
    out = []
    for name in sorted(os.listdir(path)):
        if name.startswith("part-"):
            out += (path / name).read_text(encoding="utf-8").splitlines()
    return out


def test_declaration_round_trips_and_refuses_duplicates():
    conf = Configuration({})
    outs = [NamedOutput("a", "file:///x/a"), NamedOutput("b", "file:///x/b", "records")]
    declare_named_outputs(conf, outs)
    # the declaration crosses processes as msgpack with the job's conf
    assert named_outputs(Configuration.from_dict(conf.to_dict())) == outs
    with pytest.raises(JobConfigError, match="given twice"):
        declare_named_outputs({}, [NamedOutput("a", "/x/a"), NamedOutput("a", "/x/b")])
    with pytest.raises(JobConfigError, match="given twice"):
        declare_named_outputs({}, [NamedOutput("a", "/x/a"), NamedOutput("b", "/x/a/")])


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_map_only_job_writes_each_named_output(tmp_path, executor, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    numbers = list(range(-7, 300))
    (tmp_path / "in.txt").write_text("".join(f"{n}\n" for n in numbers))
    conf = {"mapreduce.input.fileinputformat.split.maxsize": 300}
    declare_named_outputs(
        conf,
        [NamedOutput("even", str(tmp_path / "even")), NamedOutput("odd", str(tmp_path / "odd"))],
    )
    result = run_job(
        SplitByParity, [str(tmp_path / "in.txt")], str(tmp_path / "main"), conf, executor
    )
    assert result.succeeded, result.error
    assert sorted(map(int, _read_dir(tmp_path / "even"))) == [n for n in numbers if n % 2 == 0]
    assert sorted(map(int, _read_dir(tmp_path / "odd"))) == [n for n in numbers if n % 2]
    assert _read_dir(tmp_path / "main") == []
    assert result.stats["maps"] > 1
    assert all(n.startswith("part-m-") for n in os.listdir(tmp_path / "odd") if n != "_SUCCESS")
    assert result.counters.find("Bytes Written") == sum(
        (tmp_path / d / n).stat().st_size for d in ("even", "odd") for n in os.listdir(tmp_path / d)
    )


class CountsOnlyNamed(CountsAndLines):
    """CountsAndLines writing nothing to its main output, which is Hadoop's NullOutputFormat
    (its record writer discards records and creates no file)."""

    output_format = "null"

    def reduce(self, word, counts):
        yield from ()
        self.context.output("counts").write(word, sum(counts))


class NullFailsInReduce(CountsOnlyNamed):
    def reduce(self, word, counts):
        if word == "w7":
            raise ValueError("w7 is refused")
        yield from super().reduce(word, counts)


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_a_null_main_output_gets_no_part_file(tmp_path, executor, monkeypatch):
    """The named outputs as with any main output; the null main output is only the commit
    point: its directory holds _SUCCESS and no part file (none created, committed, moved)."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    lines = _lines(tmp_path)
    (tmp_path / "in.txt").write_text("\n".join(lines) + "\n")
    conf = {"mapreduce.input.fileinputformat.split.maxsize": 2000}
    declare_named_outputs(
        conf,
        [NamedOutput("long", str(tmp_path / "long")), NamedOutput("counts", str(tmp_path / "c"))],
    )
    result = run_job(
        CountsOnlyNamed, [str(tmp_path / "in.txt")], str(tmp_path / "main"), conf, executor
    )
    assert result.succeeded, result.error
    expected = Counter(w for line in lines for w in line.split())
    assert sorted(_read_dir(tmp_path / "long")) == sorted(x for x in lines if len(x.split()) > 4)
    counts = dict(line.split("\t") for line in _read_dir(tmp_path / "c"))
    assert {w: int(n) for w, n in counts.items()} == expected
    assert os.listdir(tmp_path / "main") == ["_SUCCESS"]
    (tmp_path / "o").mkdir()
    conf["mapreduce.reduce.maxattempts"] = 1
    declare_named_outputs(
        conf,
        [NamedOutput("long", str(tmp_path / "o/l")), NamedOutput("counts", str(tmp_path / "o/c"))],
    )
    result = run_job(
        NullFailsInReduce, [str(tmp_path / "in.txt")], str(tmp_path / "o/main"), conf, executor
    )
    assert not result.succeeded and "w7 is refused" in result.error
    assert os.listdir(tmp_path / "o") == []  # no output, no staging directory


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_maps_and_reduces_write_named_outputs_beside_the_main_one(tmp_path, executor, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    lines = _lines(tmp_path)
    (tmp_path / "in.txt").write_text("\n".join(lines) + "\n")
    conf = {"mapreduce.input.fileinputformat.split.maxsize": 2000}
    declare_named_outputs(
        conf,
        [NamedOutput("long", str(tmp_path / "long")), NamedOutput("counts", str(tmp_path / "c"))],
    )
    result = run_job(
        CountsAndLines, [str(tmp_path / "in.txt")], str(tmp_path / "main"), conf, executor
    )
    assert result.succeeded, result.error
    expected = Counter(w for line in lines for w in line.split())
    assert sorted(_read_dir(tmp_path / "long")) == sorted(x for x in lines if len(x.split()) > 4)
    counts = dict(line.split("\t") for line in _read_dir(tmp_path / "c"))
    assert {w: int(n) for w, n in counts.items()} == expected
    main = {k: int(v) for k, v in read_output(str(tmp_path / "main"))}
    assert main == {w: n for w, n in expected.items() if n > 3}
    names = set(os.listdir(tmp_path / "c"))
    assert {"part-r-00000", "part-r-00001"} <= names


def test_a_failed_job_leaves_none_of_its_outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    (tmp_path / "in.txt").write_text("\n".join(_lines(tmp_path)) + "\n")
    (tmp_path / "o").mkdir()
    conf = {"mapreduce.map.maxattempts": 1, "mapreduce.reduce.maxattempts": 1}
    declare_named_outputs(
        conf,
        [
            NamedOutput("long", str(tmp_path / "o/long")),
            NamedOutput("counts", str(tmp_path / "o/c")),
        ],
    )
    result = run_job(
        FailsInReduce, [str(tmp_path / "in.txt")], str(tmp_path / "o/main"), conf, "local"
    )
    assert not result.succeeded and "w7 is refused" in result.error
    assert os.listdir(tmp_path / "o") == []  # no output, no staging directory


def _committed_job(tmp_path: Path, names: list[str]) -> MultiOutputCommitter:
    """A job whose one task committed a part file into each output (and the main one)."""
    conf = Configuration({})
    declare_named_outputs(conf, [NamedOutput(n, f"file://{tmp_path}/{n}") for n in names])
    committer = job_committer(f"file://{tmp_path}/main", "job_local1_0001", conf)
    assert isinstance(committer, MultiOutputCommitter)
    committer.setup_job()
    attempt = "attempt_local1_0001_r_000000_0"
    with committer.open_task_output(attempt, "part-r-00000") as f:
        f.write(b"main\n")
    for n in names:
        with committer.output(n).open_task_output(attempt, "part-r-00000") as f:
            f.write(n.encode() + b"\n")
    committer.commit_task(attempt)
    return committer


def _visible(tmp_path: Path) -> list[str]:
    return sorted(os.listdir(tmp_path))


def test_commit_publishes_every_output(tmp_path):
    committer = _committed_job(tmp_path, ["a", "b"])
    committer.commit_job()
    assert _visible(tmp_path) == ["a", "b", "main"]
    for n in ("a", "b", "main"):
        assert _read_dir(tmp_path / n) == [n]
    assert committer.is_published()
    committer.commit_job()  # a second commit finds it done
    assert _visible(tmp_path) == ["a", "b", "main"]


def test_a_crash_between_two_publishes_is_rolled_back_by_the_abort(tmp_path):
    """The old code published one output per job; a death between the publishes of a
    several-output commit must not leave some outputs published and others not."""
    committer = _committed_job(tmp_path, ["a", "b", "c"])
    with faults.arm_crash(BETWEEN_PUBLISHES, 2), pytest.raises(faults.InjectedCrash):
        committer.commit_job()
    published = [n for n in ("a", "b", "c") if (tmp_path / n).exists()]
    assert published == ["a", "b"]  # the death came between the 2nd and 3rd publish
    assert any(n.startswith("_publishing_") for n in _visible(tmp_path))
    # a new committer (another process, knowing only the job and its outputs) aborts it
    again = MultiOutputCommitter(committer.output_url, committer.job_id, committer.conf)
    again.abort_job()
    assert _visible(tmp_path) == []


def test_a_failed_publish_unpublishes_the_others_and_leaves_the_other_jobs_output(tmp_path):
    committer = _committed_job(tmp_path, ["a", "b"])
    (tmp_path / "b").mkdir()  # another job's output appeared while this job ran
    (tmp_path / "b" / "theirs").write_text("x")
    with pytest.raises(OutputExistsError, match="b already exists"):
        committer.commit_job()
    assert not (tmp_path / "a").exists() and not (tmp_path / "main").exists()
    assert os.listdir(tmp_path / "b") == ["theirs"]
    committer.abort_job()
    assert _visible(tmp_path) == ["b"] and os.listdir(tmp_path / "b") == ["theirs"]


def test_setup_refuses_any_existing_output_and_sets_up_none(tmp_path):
    (tmp_path / "b").mkdir()
    conf = Configuration({})
    declare_named_outputs(conf, [NamedOutput(n, f"file://{tmp_path}/{n}") for n in "ab"])
    committer = job_committer(f"file://{tmp_path}/main", "job_local1_0001", conf)
    with pytest.raises(OutputExistsError, match="b already exists"):
        committer.setup_job()
    assert _visible(tmp_path) == ["b"]


CHILD = textwrap.dedent(
    """
    import sys
    from mapred.output import NamedOutput, declare_named_outputs
    from mapred.runner import run_job
    tmp = sys.argv[1]
    conf = {}
    declare_named_outputs(conf, [NamedOutput("long", tmp + "/o/long"),
                                 NamedOutput("counts", tmp + "/o/counts")])
    run_job("tests.mapred.test_multiple_outputs:CountsAndLines", [tmp + "/in.txt"],
            tmp + "/o/main", conf, "local")
    """
)


def test_a_process_killed_between_publishes_is_rolled_back_by_the_next_job(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "in.txt").write_text("\n".join(_lines(tmp_path)) + "\n")
    (tmp_path / "o").mkdir()
    env = dict(os.environ, MINIHADOOP_HOME=str(home), MINIHADOOP_CRASH_AT=BETWEEN_PUBLISHES)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "long" in os.listdir(tmp_path / "o")  # the first output was published, then death
    conf = Configuration({"mapreduce.cluster.local.dir": str(home / "mapred" / "local")})
    assert len(clean_orphaned_jobs(conf)) == 1  # what the next job's start does
    assert os.listdir(tmp_path / "o") == []


@pytest.mark.slow  # a Dask LocalCluster of 2 worker processes: ~10 s
def test_named_outputs_on_the_dask_executor(tmp_path, monkeypatch):
    """The Dask workers run the same task code: maps and reduces write named outputs there
    too, and the job commit publishes them."""
    distributed = pytest.importorskip("distributed")
    from mapred.dask.executor import shutdown_dask

    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    lines = _lines(tmp_path)
    (tmp_path / "in.txt").write_text("\n".join(lines) + "\n")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0", silence_logs=40,
    )  # fmt: skip
    try:
        conf = {
            "mapreduce.dask.scheduler": cluster.scheduler_address,
            "mapreduce.cluster.local.dir": str(tmp_path / "local"),
            "mapreduce.input.fileinputformat.split.maxsize": 2000,
        }
        declare_named_outputs(
            conf,
            [
                NamedOutput("long", str(tmp_path / "long")),
                NamedOutput("counts", str(tmp_path / "c")),
            ],
        )
        main = str(tmp_path / "main")
        result = run_job(CountsAndLines, [str(tmp_path / "in.txt")], main, conf, "dask")
    finally:
        shutdown_dask()
        cluster.close(timeout=30)
    assert result.succeeded, result.error
    expected = Counter(w for line in lines for w in line.split())
    assert sorted(_read_dir(tmp_path / "long")) == sorted(x for x in lines if len(x.split()) > 4)
    counts = dict(line.split("\t") for line in _read_dir(tmp_path / "c"))
    assert {w: int(n) for w, n in counts.items()} == expected
