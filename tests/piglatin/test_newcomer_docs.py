"""docs/pig.md runs as written: every `$ ` command of its ```console blocks runs in a fresh
directory (`pig` lines through this checkout's cli.main), and what it prints must match the lines
under it, in order (`...` stands for any lines, `*` for any text within a line), with the
exit status `(exit N)` when it is not 0. The page cannot go stale without this failing."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from piglatin.tools import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "pig.md"


@dataclass
class Command:
    line: int
    text: str
    expected: list[str] = field(default_factory=list)
    status: int = 0


def commands(doc: Path) -> list[Command]:
    out: list[Command] = []
    in_block = False
    for n, line in enumerate(doc.read_text().splitlines(), 1):
        if line.startswith("```"):
            in_block = line.strip() == "```console"
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            out.append(Command(n, line[2:]))
        elif m := re.fullmatch(r"\(exit (\d+)\)", line):
            out[-1].status = int(m.group(1))
        else:
            out[-1].expected.append(line)
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """`expected` against `actual`: lines equal (`*` any text), `...` any lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    return _same(head, actual[0]) and matches(rest, actual[1:])


@pytest.fixture
def work(tmp_path, monkeypatch):
    """An empty directory, current while the page runs, with its own MINIHADOOP_HOME."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run(text: str, work: Path, monkeypatch) -> tuple[int, str, str]:
    """A `pig ...` line (with `<`, `>`, `2>` redirections) runs in this process, as the
    console script would (a second each saved); any other line runs in /bin/sh."""
    words = shlex.split(text)
    if words[0] != "pig" or any(w in ("|", "&&", ";") for w in words):
        done = subprocess.run(
            ["/bin/sh", "-c", text],
            cwd=work,
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr
    args, redirect = [], {}
    it = iter(words[1:])
    for w in it:
        if w in ("<", ">", "2>"):
            redirect[w] = work / next(it)
        else:
            args.append(w)
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(redirect["<"].read_text() if "<" in redirect else "")
    monkeypatch.setattr(sys, "stdin", stdin)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(args)
    for key, stream in ((">", out), ("2>", err)):
        if key in redirect:
            redirect[key].write_text(stream.getvalue())
            stream.seek(0)
            stream.truncate()
    return status, out.getvalue(), err.getvalue()


def test_the_doc_parser_itself():
    assert matches(["a", "...", "c*"], ["a", "b", "b", "cat"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert matches(["...", "z"], ["z"]) and not matches(["x"], [])
    assert _same("A[1,4] *", "A[1,4] x") and not _same("A[1,4]", "A1")


def test_every_command_of_the_pig_page(work, monkeypatch):
    ran = commands(DOC)
    assert len(ran) >= 15
    for cmd in ran:
        status, out, err = run(cmd.text, work, monkeypatch)
        # a terminal shows stdout and stderr mixed, a pipe keeps them apart: the page's
        # lines must be some interleaving of the two, each in its own order
        both = _interleaved(cmd.expected, out.splitlines(), err.splitlines())
        where = f"docs/pig.md line {cmd.line}: $ {cmd.text}"
        got = f"\n\ngot:\n{out}{err}"
        assert status == cmd.status, f"{where}\nexit {status}{got}"
        assert both, f"{where}\nexpected:\n" + "\n".join(cmd.expected) + got


def _interleaved(expected: list[str], out: list[str], err: list[str]) -> bool:
    """Does some interleaving of `out` and `err` (each in its own order) match `expected`?
    (A terminal shows them mixed; a pipe keeps them apart.)"""

    def go(e: int, o: int, r: int) -> bool:
        if e == len(expected):
            return o == len(out) and r == len(err)
        head = expected[e]
        if head == "...":
            return any(
                go(e + 1, o2, r2) for o2 in range(o, len(out) + 1) for r2 in range(r, len(err) + 1)
            )
        for lines, i, step in ((out, o, (1, 0)), (err, r, (0, 1))):
            if i < len(lines) and _same(head, lines[i]) and go(e + 1, o + step[0], r + step[1]):
                return True
        return False

    return go(0, 0, 0)


def _same(pattern: str, line: str) -> bool:
    """`*` is the only wildcard (a page's `[1,4]` is text, not a character class)."""
    if "*" not in pattern:
        return line == pattern
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), line) is not None
