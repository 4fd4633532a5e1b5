"""Helpers for the tests of Pig's manual pages (test_doc_cmds, _test, _udf, _cont, _perf,
_start): a grunt session fed from a string, and the `pig` command as a subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from piglatin.tools.grunt import CONTINUE, PROMPT, run_grunt

# cmds.xml's and cont.xml's `student` file, as the pages' outputs show it
STUDENT = "alice\t20\t2.47\nluke\t18\t4.00\nholly\t24\t3.27\nalice\t27\t1.95\nalice\t36\t2.27\n"


def write(tmp: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def grunt(tmp: Path, typed: str, monkeypatch, exec_type: str = "local") -> tuple[list[str], str]:
    """The lines a grunt session in `tmp` prints for the lines `typed` (prompts taken off,
    blank lines dropped) and its stderr."""
    monkeypatch.chdir(tmp)
    out, err = io.StringIO(), io.StringIO()
    assert run_grunt(exec_type, stdin=io.StringIO(typed), out=out, err=err) == 0
    text = out.getvalue().replace(PROMPT, "").replace(CONTINUE, "")
    return [ln for ln in text.splitlines() if ln.strip()], err.getvalue()


def pig(
    args: list[str], cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`pig ARGS` in `cwd` (the session's private MINIHADOOP_HOME for the default mode),
    with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", *args],
        cwd=cwd,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def rows(text: str) -> list[str]:
    """DUMP's lines of a `pig` run's stdout."""
    return [ln for ln in text.splitlines() if ln.startswith("(")]


def part_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith("part-"))
