"""A job's output appears whole, by one rename, or not at all; the history agrees with it.

Whatever moment a job is killed at, its output path is either absent or complete (``_SUCCESS``
and part files holding exactly the word counts plain Python finds), the history says SUCCEEDED
only when the output is complete, a failed job leaves no output directory, and a re-run to the
same path works and cleans what the dead run left. Checked on ``file://`` (a child process
killed at every rename it makes, and at the named commit points), on ``dfs://`` and for Pig's
STORE (one and several in a script).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import fsspec
import pytest

from dfs import faults
from dfs.conf import Configuration
from mapred.api import Job
from mapred.cli import job_main
from mapred.committer import FileOutputCommitter
from mapred.errors import OutputExistsError
from mapred.runner import run_job

ROOT = Path(__file__).resolve().parents[2]
WORDS = [f"w{i}" for i in range(60)] + ["é", "the"]


def _text(seed: int = 1, lines: int = 400) -> str:
    rng = random.Random(seed)
    return "".join(" ".join(rng.choices(WORDS, k=rng.randint(0, 9))) + "\n" for _ in range(lines))


@pytest.fixture
def job_env(tmp_path, monkeypatch):
    """A private cluster home, an input file and the output's (empty) parent directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("MINIHADOOP_HOME", str(home))
    (tmp_path / "in.txt").write_text(_text(), encoding="utf-8")
    (tmp_path / "o").mkdir()
    return tmp_path


def _expected(tmp_path: Path) -> Counter:
    return Counter((tmp_path / "in.txt").read_text(encoding="utf-8").split())


def _state_of_output(out: Path, expected: Counter) -> str:
    """ "absent" or "whole"; anything else (part of an output) fails the test."""
    if not os.path.lexists(out):
        return "absent"
    names = sorted(os.listdir(out))
    assert "_SUCCESS" in names, f"{out} is visible without _SUCCESS: {names}"
    assert all(n == "_SUCCESS" or n.startswith("part-r-") for n in names), names
    counts: Counter = Counter()
    for name in names:
        for line in (out / name).read_text(encoding="utf-8").splitlines():
            word, _, n = line.rpartition("\t")
            counts[word] += int(n)
    assert counts == expected, "the published part files do not hold the word counts"
    return "whole"


def _history(home: Path) -> dict[str, str]:
    """job id -> state, as written in the history records."""
    states = {}
    for f in (home / "history").glob("*.json"):
        record = json.loads(f.read_text())
        states[record["job_id"]] = record["state"]
    return states


def _listed(capsys) -> dict[str, str]:
    """job id -> state, as `hadoop job -list all` shows them."""
    capsys.readouterr()
    assert job_main(Configuration(load_site=False), ["-list", "all"]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    return dict(tuple(row.split("\t")[:2]) for row in rows)


def _jar(tmp_path: Path, *extra: str, env: dict | None = None, script: str | None = None):
    argv = [
        *(["-c", script] if script else ["-m", "mapred.cli"]),
        "jar",
        "jobs.wordcount",
        f"file://{tmp_path}/in.txt",
        f"file://{tmp_path}/o/out",
        "-D",
        "mapreduce.framework.name=local",
        "-D",
        "mapreduce.job.reduces=2",
        *extra,
    ]
    full = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


class Fails(Job):
    """A map-only job whose maps fail on lines holding 'w7' (other splits succeed first)."""

    reducers = 0

    def map(self, key, line):
        if "w7" in line.split():
            raise ValueError("w7 is not allowed")
        yield line, 1


# A child that SIGKILLs itself at its N-th rename (os.rename / os.replace: the committer's moves,
# the history writes): every moment a job's files change name.
KILL_AT_RENAME = textwrap.dedent(
    """
    import os, signal, sys
    limit, seen = int(os.environ["KILL_AT_RENAME"]), [0]
    def hook(real):
        def call(*args, **kwargs):
            seen[0] += 1
            if seen[0] == limit:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call
    os.rename, os.replace = hook(os.rename), hook(os.replace)
    from mapred.cli import main
    main(sys.argv[1:])
    """
)


def test_a_job_killed_at_any_rename_publishes_all_or_nothing(job_env, capsys):
    """Old code: a kill while commit_job moved part files up left /out with part-r-00000 and no
    _SUCCESS, and the history already said SUCCEEDED."""
    tmp_path, out = job_env, job_env / "o" / "out"
    expected, home = _expected(tmp_path), tmp_path / "home"
    kills = 0
    for n in range(1, 40):
        done = _jar(tmp_path, env={"KILL_AT_RENAME": str(n)}, script=KILL_AT_RENAME)
        if done.returncode == 0:
            break
        assert done.returncode == -signal.SIGKILL, done.stderr
        kills += 1
        state = _state_of_output(out, expected)
        for job, listed in _listed(capsys).items():
            if listed == "SUCCEEDED" or _history(home)[job] == "SUCCEEDED":
                assert state == "whole", f"kill at rename {n}: {job} SUCCEEDED, output {state}"
        if state == "whole":
            _remove(out)  # the next run needs the path free
    assert kills >= 5, "the job made fewer renames than its task commits and history writes"
    assert _state_of_output(out, expected) == "whole"
    # every dead run's staging directory and local directory was removed by a later start
    assert os.listdir(tmp_path / "o") == ["out"]
    assert os.listdir(home / "mapred" / "local") == []


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


@pytest.mark.parametrize("point", ["committer.before_publish", "committer.after_publish"])
def test_killed_at_the_commit_points(job_env, capsys, point):
    tmp_path, out = job_env, job_env / "o" / "out"
    expected, home, log = _expected(tmp_path), tmp_path / "home", tmp_path / "crash.log"
    env = {"MINIHADOOP_CRASH_AT": point, "MINIHADOOP_CRASH_LOG": str(log)}
    done = _jar(tmp_path, env=env)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert log.read_text() == point + "\n"
    [(job, recorded)] = _history(home).items()
    assert recorded == "RUNNING"  # SUCCEEDED is written only after the publishing rename
    staging = tmp_path / "o" / f"_temporary_{job}_out"
    if point == "committer.before_publish":
        assert _state_of_output(out, expected) == "absent"
        assert sorted(os.listdir(staging))[0] == "_SUCCESS"  # all of it, one rename away
        assert _listed(capsys) == {job: "FAILED"}
        again = _jar(tmp_path)
        assert again.returncode == 0, again.stderr
        assert not staging.exists()  # the new job's start removed the dead one's staging
    else:
        assert _state_of_output(out, expected) == "whole" and not staging.exists()
        assert _listed(capsys) == {job: "SUCCEEDED"}  # its output was published whole
        again = _jar(tmp_path)
        assert again.returncode == 1 and "already exists" in again.stderr
    assert _state_of_output(out, expected) == "whole"
    assert os.listdir(home / "mapred" / "local") == []


def test_a_failed_job_leaves_no_output_and_the_path_can_be_reused(job_env):
    tmp_path = job_env
    out = f"file://{tmp_path}/o/out"
    conf = {"mapreduce.map.maxattempts": 1, "mapreduce.input.fileinputformat.split.maxsize": 500}
    result = run_job(Fails, [f"file://{tmp_path}/in.txt"], out, conf, "local")
    assert result.state == "FAILED"
    assert os.listdir(tmp_path / "o") == []  # neither the output nor its staging directory
    from jobs.wordcount import WordCount

    run_job(WordCount, [f"file://{tmp_path}/in.txt"], out, {}, "local", raise_on_failure=True)
    assert _state_of_output(tmp_path / "o" / "out", _expected(tmp_path)) == "whole"


@pytest.fixture
def dfs_home(mini_cluster, monkeypatch):
    """The MiniCluster, reachable through plain ``dfs:///`` URLs (as jobs see it)."""
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    yield mini_cluster
    DFSFileSystem.clear_instance_cache()


@pytest.mark.parametrize("scheme", ["file", "memory", "dfs"])
def test_publish_never_lands_in_or_over_an_output_that_appeared(tmp_path, scheme, dfs_home):
    base = {"file": f"file://{tmp_path}", "memory": f"memory://{tmp_path}", "dfs": "dfs://"}
    out = base[scheme] + "/pub/out"
    conf = Configuration(load_site=False)
    fs, path = fsspec.core.url_to_fs(out)
    c = FileOutputCommitter(out, "job_local1_0001", conf)
    c.setup_job()
    with c.open_task_output("attempt_local1_0001_r_000000_0", "part-r-00000") as f:
        f.write(b"mine\n")
    c.commit_task("attempt_local1_0001_r_000000_0")
    fs.makedirs(path, exist_ok=True)  # another job published the same path meanwhile
    fs.pipe_file(path + "/part-r-00000", b"theirs\n")
    with pytest.raises(OutputExistsError, match="already exists"):
        c.commit_job()
    assert sorted(p.rsplit("/", 1)[1] for p in fs.ls(path, detail=False)) == ["part-r-00000"]
    assert fs.cat_file(path + "/part-r-00000") == b"theirs\n"
    c.abort_job()
    assert not fs.exists(c.stage)


def test_on_dfs_the_output_appears_by_one_rename(dfs_home, tmp_path, monkeypatch):
    from jobs.wordcount import WordCount

    client = dfs_home.client()
    client.write_bytes("/in/a.txt", _text(3).encode())
    expected = Counter(_text(3).split())
    conf = {"mapreduce.job.reduces": 3, "mapreduce.cluster.local.dir": str(tmp_path / "local")}
    seen = []
    real = FileOutputCommitter.commit_job

    def commit(self):
        seen.append(client.exists("/out"))  # before the commit: not there
        with faults.arm_crash("committer.before_publish"), pytest.raises(faults.InjectedCrash):
            real(self)
        seen.append(client.exists("/out"))  # everything staged, one rename away: not there
        real(self)

    monkeypatch.setattr(FileOutputCommitter, "commit_job", commit)
    run_job(WordCount, ["dfs:///in"], "dfs:///out", conf, "local", raise_on_failure=True)
    assert seen == [False, False]
    names = [s.name for s in client.listdir("/out")]
    assert names == ["_SUCCESS", "part-r-00000", "part-r-00001", "part-r-00002"]
    counts: Counter = Counter()
    for name in names[1:]:
        for line in client.read_bytes(f"/out/{name}").decode().splitlines():
            word, _, n = line.rpartition("\t")
            counts[word] += int(n)
    assert counts == expected
    assert [s.name for s in client.listdir("/")] == ["in", "out"]


# ---- Pig STORE --------------------------------------------------------------------------------
def _pig(tmp_path: Path, script: str, env: dict | None = None, *opts: str):
    (tmp_path / "q.pig").write_text(script, encoding="utf-8")
    full = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", *opts, "-x", "local", str(tmp_path / "q.pig")],
        cwd=tmp_path,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


MULTI_STORE = """
lines = LOAD 'in.txt' AS (line:chararray);
words = FOREACH lines GENERATE FLATTEN(TOKENIZE(line)) AS word;
STORE words INTO 'o/words';
grouped = GROUP words BY word;
counts = FOREACH grouped GENERATE group, COUNT(words);
STORE counts INTO 'o/counts';
"""


def test_pig_stores_are_published_whole_or_not_at_all(job_env):
    """Without multi-query execution (-M) each STORE is its own job, committed on its own."""
    tmp_path = job_env
    expected = _expected(tmp_path)
    log = tmp_path / "crash.log"
    env = {"MINIHADOOP_CRASH_AT": "committer.before_publish@2", "MINIHADOOP_CRASH_LOG": str(log)}
    done = _pig(tmp_path, MULTI_STORE, env, "-M")
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert log.read_text() == "committer.before_publish\n"
    words = tmp_path / "o" / "words"
    assert sorted(os.listdir(words))[0] == "_SUCCESS"  # the first STORE finished: whole
    stored = Counter(w for p in words.glob("part-*") for w in p.read_text(encoding="utf-8").split())
    assert stored == expected
    assert not (tmp_path / "o" / "counts").exists()  # the second: not there at all
    _remove(words)
    done = _pig(tmp_path, MULTI_STORE)  # the same script again, to the same paths
    assert done.returncode == 0, done.stderr
    assert _stored_counts(tmp_path / "o" / "counts") == expected
    assert sorted(os.listdir(tmp_path / "o")) == ["counts", "words"]


def _stored_counts(path) -> Counter:
    """The word counts a STORE wrote (word TAB count lines in its part files)."""
    counts: Counter = Counter()
    for p in path.glob("part-*"):
        for line in p.read_text(encoding="utf-8").splitlines():
            word, _, n = line.rpartition("\t")
            counts[word] += int(n)
    return counts


def test_pig_merged_stores_are_published_all_or_none(job_env):
    """With multi-query execution both STOREs are one job: a death between their two publishes
    leaves the first visible only until the next run's start rolls it back; that run then
    writes both whole."""
    tmp_path = job_env
    expected = _expected(tmp_path)
    log = tmp_path / "crash.log"
    env = {"MINIHADOOP_CRASH_AT": "committer.between_publishes", "MINIHADOOP_CRASH_LOG": str(log)}
    done = _pig(tmp_path, MULTI_STORE, env)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert log.read_text() == "committer.between_publishes\n"
    assert [n for n in os.listdir(tmp_path / "o") if not n.startswith("_")] == ["words"]
    done = _pig(tmp_path, MULTI_STORE)  # the same script again, to the same paths
    assert done.returncode == 0, done.stderr
    assert "Total jobs: 1," in done.stderr
    stored = Counter(
        w for p in (tmp_path / "o" / "words").glob("part-*") for w in p.read_text().split()
    )
    assert stored == expected
    assert _stored_counts(tmp_path / "o" / "counts") == expected
    assert sorted(os.listdir(tmp_path / "o")) == ["counts", "words"]
