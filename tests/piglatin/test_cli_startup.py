"""The `pig` process's start and end (cli.main with no arguments): the collector held while the
modules import and frozen after (tools/startup.py: hold and release), and the end without
tearing the interpreter down (tools/fastexit.py). What a user sees must not change: every
output line, the summary, the exit status; a caller of ``main`` with arguments keeps its
collector and its exit as they were. Expected rows are the input's, counted by hand."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from piglatin.tools import cli, report

ROOT = Path(__file__).resolve().parents[2]


def _pig(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "in.txt").write_text("".join(f"{i}\tk{i % 7}\n" for i in range(20000)))
    return tmp_path


def test_every_row_the_summary_and_the_status_reach_the_caller(work: Path) -> None:
    """20,000 DUMPed rows through a pipe (buffered output flushed at the end), the summary on
    stderr, status 0; then a failing script's status and one-line error."""
    done = _pig(["-x", "local", "-e", "A = LOAD 'in.txt' AS (n:int, k:chararray); DUMP A;"], work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"({i},k{i % 7})" for i in range(20000)]
    assert "Success!" in done.stderr and "Total records written : 20000" in done.stderr
    bad = _pig(["-x", "local", "-e", "A = LOAD 'in.txt' AS (n:int); DUMP Z;"], work)
    assert bad.returncode == report.PIG_EXCEPTION and bad.stdout == ""
    assert bad.stderr.startswith("ERROR 1003:") and "Traceback" not in bad.stderr


def test_a_store_and_a_group_in_the_default_mode(work: Path) -> None:
    """The embedded cluster's forked children (after the freeze) and its exit handler (before
    the process ends): the output is whole and committed."""
    home = work / "home"
    fmt = subprocess.run(
        [sys.executable, "-m", "mapred.cli", "namenode", "-format", "-nonInteractive"],
        cwd=ROOT,
        env={**os.environ, "MINIHADOOP_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fmt.returncode == 0, fmt.stderr
    script = (
        f"A = LOAD 'file://{work}/in.txt' AS (n:int, k:chararray); B = GROUP A BY k;"
        f" C = FOREACH B GENERATE group, COUNT(A), SUM(A.n); STORE C INTO 'file://{work}/out';"
    )
    done = _pig(["-e", script], work, MINIHADOOP_HOME=str(home))
    assert done.returncode == 0, done.stderr
    expected = {}
    for i in range(20000):
        count, total = expected.get(f"k{i % 7}", (0, 0))
        expected[f"k{i % 7}"] = (count + 1, total + i)
    rows = [
        line.split("\t")
        for part in sorted((work / "out").glob("part-*"))
        for line in part.read_text().splitlines()
    ]
    assert {k: (int(c), int(s)) for k, c, s in rows} == expected
    assert (work / "out" / "_SUCCESS").exists()


def test_objects_left_at_exit_are_not_finalized_one_by_one(work: Path) -> None:
    """A UDF module's object with a ``__del__`` is still alive when the command ends: Python
    tears its modules down (calling it) unless the process ends first, as fastexit does.
    (Python does not promise ``__del__`` for objects alive at exit; exit handlers do run.)"""
    (work / "udfs.py").write_text(
        "import atexit, sys\n"
        "class Noisy:\n"
        "    def __del__(self):\n"
        "        sys.stderr.write('finalized\\n')\n"
        "KEPT = Noisy()\n"
        "atexit.register(lambda: sys.stderr.write('exit handler ran\\n'))\n"
        "def twice(x):\n"
        "    return None if x is None else 2 * x\n"
    )
    script = (
        "REGISTER 'udfs.py' USING jython AS u; A = LOAD 'in.txt' AS (n:int, k:chararray);"
        " B = FILTER A BY n < 2; C = FOREACH B GENERATE u.twice(n); DUMP C;"
    )
    done = _pig(["-x", "local", "-e", script], work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["(0)", "(2)"]
    assert "exit handler ran" in done.stderr
    assert "finalized" not in done.stderr


def test_main_with_arguments_keeps_the_callers_collector(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(work)
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    rc = cli.main(["-x", "local", "-e", "A = LOAD 'in.txt' AS (n:int); B = LIMIT A 1; DUMP B;"])
    assert rc == 0 and capsys.readouterr().out == "(0)\n"
    assert gc.isenabled() and gc.get_freeze_count() == frozen
