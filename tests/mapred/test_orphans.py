"""A killed client leaves nothing running and nothing that the next start does not clean.

Its worker processes stop within a second or two of its death (the kernel's parent-death
signal, or the worker's watch on its parent when the pool was made by another thread); its job
directory under ``mapred/local``, its output staging directory and its Pig session's
``pig-tmp-<pid>-*`` directory are removed by the next job or Pig session; what belongs to a
live process, or to an owner that cannot be told, is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from mapred.api import Job
from mapred.runner import clean_orphaned_jobs, process_alive, run_job
from piglatin.launcher import PigServer, clean_dead_sessions

ROOT = Path(__file__).resolve().parents[2]


class SlowMap(Job):
    """Each map task notes its worker's pid in ``$ORPHAN_PIDS`` and then takes a minute."""

    reducers = 1

    def map_setup(self) -> None:
        directory = os.environ["ORPHAN_PIDS"]
        with open(os.path.join(directory, str(os.getpid())), "w") as f:
            f.write("running")

    def map(self, key, line):
        time.sleep(60)
        yield line, 1


SUBMITTER = textwrap.dedent(
    """
    import sys, threading
    from piglatin.launcher import PigServer
    from mapred.runner import run_job
    session = PigServer("local")  # its pig-tmp-<pid>-* directory, left behind by the kill
    conf = {"mapreduce.tasktracker.map.tasks.maximum": 2,
            "mapreduce.input.fileinputformat.split.maxsize": 2000,
            "mapreduce.job.split.balance": "false"}
    def submit():
        run_job("tests.mapred.test_orphans:SlowMap", [sys.argv[1]], sys.argv[2], conf, "cluster")
    if sys.argv[3] == "thread":  # a pool made by another thread: no parent-death signal
        t = threading.Thread(target=submit)
        t.start()
        t.join()
    else:
        submit()
    """
)


def _wait(predicate, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A private cluster home and $TMPDIR, an input of several splits, the output's parent."""
    home, tmpdir = tmp_path / "home", tmp_path / "tmpdir"
    tmpdir.mkdir()
    (tmp_path / "pids").mkdir()
    (tmp_path / "o").mkdir()
    (tmp_path / "in.txt").write_text("".join(f"line {i} w{i % 7}\n" for i in range(600)))
    monkeypatch.setenv("MINIHADOOP_HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    return tmp_path


@pytest.mark.parametrize("made_by", ["main", "thread"])
def test_killed_client_leaves_no_workers_and_its_leftovers_are_cleaned(env, made_by):
    """Old code: the workers ran their minute-long task to the end after the kill, and the
    job's local directory, staging and pig-tmp directory stayed forever."""
    tmp_path = env
    child_env = dict(os.environ, ORPHAN_PIDS=str(tmp_path / "pids"), PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-c", SUBMITTER, f"file://{tmp_path}/in.txt"]
    argv += [f"file://{tmp_path}/o/out", made_by]
    proc = subprocess.Popen(argv, cwd=ROOT, env=child_env, stderr=subprocess.PIPE)
    try:
        _wait(lambda: len(os.listdir(tmp_path / "pids")) >= 2, "two map tasks to start", 60)
    finally:
        proc.kill()
        proc.wait(timeout=30)  # reaped: the client is gone
        proc.stderr.close()
    workers = [int(p) for p in os.listdir(tmp_path / "pids")]
    job = f"job_local{proc.pid}_0001"
    local = tmp_path / "home" / "mapred" / "local" / job
    staging = tmp_path / "o" / f"_temporary_{job}_out"
    pig_tmp = [n for n in os.listdir(tmp_path / "tmpdir") if n.startswith(f"pig-tmp-{proc.pid}-")]
    assert local.is_dir() and staging.is_dir() and len(pig_tmp) == 1  # what the kill left

    _wait(lambda: not any(process_alive(pid) for pid in workers), "the workers to stop", 2.5)

    with PigServer("local", cwd=tmp_path) as pig:  # the next session and its job clean up
        pig.register_script("a = LOAD 'in.txt'; b = GROUP a ALL; STORE b INTO 'o/again';")
    assert not local.exists() and not staging.exists()
    assert not (tmp_path / "tmpdir" / pig_tmp[0]).exists()
    url = f"file://{tmp_path}"
    result = run_job("jobs.wordcount:WordCount", [f"{url}/in.txt"], f"{url}/o/out", {}, "local")
    assert result.succeeded  # the killed job's path is free
    counts = Counter(dict((k, int(v)) for k, v in result.read_output()))
    assert counts == Counter((tmp_path / "in.txt").read_text().split())
    assert sorted(os.listdir(tmp_path / "o")) == ["again", "out"]


def _leftovers(root: Path, tmpdir: Path, pid: int | str, out: Path) -> tuple[Path, Path, Path]:
    """A job directory with its marker, its output's staging directory, a pig-tmp directory."""
    job = f"job_local{pid}_0001"
    local = root / job
    local.mkdir(parents=True)
    (local / "job.json").write_text(json.dumps({"output": f"file://{out}", "pid": pid}))
    staging = out.parent / f"_temporary_{job}_{out.name}"
    (staging / "_temporary").mkdir(parents=True)
    pig = tmpdir / f"pig-tmp-{pid}-abc"
    pig.mkdir()
    return local, staging, pig


def test_a_live_owners_directories_are_never_removed(env):
    tmp_path = env
    conf = {"mapreduce.cluster.local.dir": str(tmp_path / "local")}
    root, tmpdir = tmp_path / "local", tmp_path / "tmpdir"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = _leftovers(root, tmpdir, sleeper.pid, tmp_path / "o" / "live")
        unknown = tmpdir / "pig-tmp-k2j3h4"  # an old-style name: its owner cannot be told
        unknown.mkdir()
        (root / "job_0007").mkdir()
        from dfs.conf import Configuration

        assert clean_orphaned_jobs(Configuration(conf, load_site=False)) == []
        assert clean_dead_sessions(str(tmpdir)) == []
        assert all(p.exists() for p in live) and unknown.exists() and (root / "job_0007").exists()
    finally:
        sleeper.kill()
        sleeper.wait(timeout=30)
    # the owner is gone now: the next job start takes its job directory and staging away
    inputs = [str(tmp_path / "in.txt")]
    result = run_job("jobs.wordcount:WordCount", inputs, str(tmp_path / "w"), conf, "local")
    assert result.succeeded
    assert not live[0].exists() and not live[1].exists()
    assert clean_dead_sessions(str(tmpdir)) == [live[2].name]
    assert unknown.exists() and (root / "job_0007").exists()


def test_a_zombie_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    _wait(lambda: not os.path.exists(f"/proc/{child.pid}") or _zombie(child.pid), "exit", 30)
    try:
        assert not process_alive(child.pid)  # dead but not reaped yet
    finally:
        child.wait(timeout=30)
    assert process_alive(os.getpid())


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2] == "Z"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    return child.pid


def test_a_pig_session_on_the_dfs_removes_dead_sessions_temp_dirs(mini_cluster, monkeypatch):
    import io

    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    c = mini_cluster.client()
    dead = _dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        c.mkdirs(f"/tmp/pig-{dead}-pig-tmp-{dead}-abc/job1")
        c.mkdirs(f"/tmp/pig-{sleeper.pid}-pig-tmp-{sleeper.pid}-abc")
        c.mkdirs("/tmp/pig-unknown-owner")
        (mini_cluster.home.parent / "a.txt").write_text("1\n2\n3\n")
        out = io.StringIO()
        with PigServer("mapreduce", cwd=mini_cluster.home.parent, out=out) as pig:
            pig.register_script("A = LOAD 'a.txt' AS (n:int); B = GROUP A ALL; DUMP B;")
        assert out.getvalue().strip() == "(all,{(1),(2),(3)})"
        left = sorted(s.name for s in c.listdir("/tmp"))
        assert left == [f"pig-{sleeper.pid}-pig-tmp-{sleeper.pid}-abc", "pig-unknown-owner"]
    finally:
        sleeper.kill()
        sleeper.wait(timeout=30)
        DFSFileSystem.clear_instance_cache()


def test_a_dead_jobs_directory_is_removed_even_with_a_torn_marker(tmp_path):
    from dfs.conf import Configuration

    root, dead = tmp_path / "local", _dead_pid()
    (root / f"job_local{dead}_0001").mkdir(parents=True)
    (root / f"job_local{dead}_0001" / "job.json").write_text('{"outp')  # killed mid-write
    (root / f"job_local{dead}_0002").mkdir()  # killed before writing it
    conf = Configuration({"mapreduce.cluster.local.dir": str(root)}, load_site=False)
    assert clean_orphaned_jobs(conf) == [f"job_local{dead}_0001", f"job_local{dead}_0002"]
    assert os.listdir(root) == []
