"""Running the project's own pages (README.md, docs/*.md) as a reader would: the one parser of
their code blocks, the one private environment they run in, and the one way each block runs
and is judged. tests/test_docs.py runs every page through it; page-specific tests
(tests/test_docs_architecture.py) read the outputs of the same run.

What runs, in page order, in one empty working directory with its own MINIHADOOP_HOME (this
Python's console scripts first on PATH, no inherited configuration, user ``reader``):
- a ```bash block, whole, in ``bash -e``: it must end with status 0, with no traceback and no
  ``ERROR`` on stderr;
- a ```python block, with this interpreter, judged the same way;
- a ```console block, command by command: a ``$ `` line runs in bash; the lines under it are
  what it prints (stdout and stderr, interleaved in any way that keeps each in its order),
  where ``...`` stands for any lines and ``*`` for any text within a line; ``(exit N)`` after
  them is its exit status when not 0.
Blocks indented inside a list item run too (dedented). A block without a language is an
illustration and never runs. An HTML comment on the line before a fence directs it:
``<!-- doc: file NAME -->`` saves the block as NAME in the working directory instead of
running it; ``<!-- doc: skip REASON -->`` leaves it out (the reason is for the reader of the
page source); ``<!-- doc: slow ... -->`` runs it only in the slow run of the page (``pytest -m
slow``). A page may instead be given `PageRules`: phrases of blocks to leave out or save.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
_FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```", re.S | re.M)
_DIRECTIVE = re.compile(r"<!--\s*doc:\s*(\w+)\s*(.*?)\s*-->\s*$")


@dataclass
class Command:
    """One ``$ `` line of a console block, with what it must print and its exit status."""

    line: int
    text: str
    expected: list[str] = field(default_factory=list)
    status: int = 0


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    lang: str  # bash, python, console ("" for an illustration)
    code: str
    directive: tuple[str, str] | None = None  # ("file", "flaky.py"), ("skip", "why")

    def commands(self) -> list[Command]:
        out: list[Command] = []
        for n, text in enumerate(self.code.splitlines(), self.line + 1):
            if text.startswith("$ "):
                out.append(Command(n, text[2:]))
            elif out and (m := re.fullmatch(r"\(exit (\d+)\)", text)):
                out[-1].status = int(m.group(1))
            elif out:
                out[-1].expected.append(text)
        return out


def blocks(text: str) -> list[Block]:
    """Every fenced block of a page, indented ones dedented, with its directive."""
    found = []
    for m in _FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        d = _DIRECTIVE.fullmatch(before)
        found.append(
            Block(line, m.group(2), textwrap.dedent(m.group(3)), d.groups() if d else None)
        )
    return found


# ---- matching a command's output --------------------------------------------------------------
def same(pattern: str, line: str) -> bool:
    """`*` is the only wildcard (a page's ``[1,4]`` is text, not a character class)."""
    if "*" not in pattern:
        return line == pattern
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), line, re.S) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """`expected` against `actual`: lines equal (``*`` any text), ``...`` any lines."""
    return interleaved(expected, actual, [])


def interleaved(expected: list[str], out: list[str], err: list[str]) -> bool:
    """Does some interleaving of `out` and `err` (each in its own order) match `expected`?
    (A terminal shows them mixed; a pipe keeps them apart.)"""
    memo: dict[tuple[int, int, int], bool] = {}

    def go(e: int, o: int, r: int) -> bool:
        key = (e, o, r)
        if key in memo:
            return memo[key]
        if e == len(expected):
            result = o == len(out) and r == len(err)
        elif expected[e] == "...":
            result = any(
                go(e + 1, o2, r2) for o2 in range(o, len(out) + 1) for r2 in range(r, len(err) + 1)
            )
        else:
            result = any(
                i < len(lines) and same(expected[e], lines[i]) and go(e + 1, o + a, r + b)
                for lines, i, a, b in ((out, o, 1, 0), (err, r, 0, 1))
            )
        memo[key] = result
        return result

    return go(0, 0, 0)


# ---- the environment and the way a block runs ------------------------------------------------
def doc_env(root: Path) -> tuple[Path, dict[str, str]]:
    """(an empty working directory, the environment) for running a page's blocks under
    `root`; skips when the console scripts or bash are missing."""
    if not (BIN / "hadoop").exists() or not (BIN / "pig").exists():
        pytest.skip("the hadoop and pig console scripts are not installed beside this Python")
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    work = root / "work"
    work.mkdir()
    env = dict(os.environ)
    env.update(
        MINIHADOOP_HOME=str(root / "home"),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HADOOP_USER_NAME="reader",
        MINIHADOOP_CHECKOUT=str(ROOT),  # the tutorial's name for the reader's clone
    )
    for key in ("MINIHADOOP_CONF_DIR", "HADOOP_ROOT_LOGGER", "MINIHADOOP_CRASH_AT"):
        env.pop(key, None)
    return work, env


def run_code(
    lang: str, code: str, work: Path, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess:
    """One block: Python with this interpreter, anything else with ``bash -e``."""
    shell = [sys.executable, "-c"] if lang == "python" else ["bash", "-e", "-c"]
    return subprocess.run(
        [*shell, code],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@dataclass
class Ran:
    """What one block (or one console command) did: its text, output, and what was wrong."""

    page: str
    line: int
    code: str
    output: str
    problem: str | None = None
    seconds: float = 0.0

    def where(self) -> str:
        return f"{self.page} line {self.line}:\n{self.code}\noutput:\n{self.output}"


@dataclass
class PageRun:
    page: Path
    work: Path
    env: dict[str, str]
    ran: list[Ran]

    @property
    def problems(self) -> list[Ran]:
        return [r for r in self.ran if r.problem]

    def output_of(self, phrase: str) -> str:
        """The output of the one block (or console command) whose text holds `phrase`."""
        found = [r.output for r in self.ran if phrase in r.code]
        assert len(found) == 1, f"{len(found)} blocks of {self.page.name} hold {phrase!r}"
        return found[0]

    def code_of(self, phrase: str) -> str:
        found = [r.code for r in self.ran if phrase in r.code]
        assert len(found) == 1, f"{len(found)} blocks of {self.page.name} hold {phrase!r}"
        return found[0]


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name


def _judge_script(block: Block, done: subprocess.CompletedProcess) -> str | None:
    if done.returncode != 0:
        return f"exit status {done.returncode}"
    if "Traceback" in done.stdout + done.stderr:
        return "a traceback"
    if "ERROR" in done.stderr:
        return "ERROR on stderr"
    return None


def _run_console(page: str, block: Block, work: Path, env: dict[str, str]) -> list[Ran]:
    out = []
    for cmd in block.commands():
        started = time.monotonic()
        done = run_code("bash", cmd.text, work, env)
        if done.returncode < 0:  # bash exec'd a lone command that a signal killed
            done.returncode = 128 - done.returncode  # as a shell reports it (SIGKILL: 137)
        got_out, got_err = done.stdout.splitlines(), done.stderr.splitlines()
        problem = None
        if done.returncode != cmd.status:
            problem = f"exit status {done.returncode}, the page says {cmd.status}"
        elif not interleaved(cmd.expected, got_out, got_err):
            problem = "its output is not what the page shows:\n" + "\n".join(cmd.expected)
        elif "Traceback" in done.stdout + done.stderr and not any(
            "Traceback" in e for e in cmd.expected
        ):
            problem = "a traceback"
        output, took = done.stdout + done.stderr, time.monotonic() - started
        out.append(Ran(page, cmd.line, "$ " + cmd.text, output, problem, took))
    return out


@dataclass(frozen=True)
class PageRules:
    """A page's exceptions, for a page whose source carries no directives: blocks left out
    and blocks saved as files, each by a phrase the block holds."""

    skip: tuple[str, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (phrase, file name)
    #: (text, replacement) made in every block before it runs; ``{work}`` in a replacement
    #: is the working directory (a page's fixed /tmp path must not be shared between runs)
    replace: tuple[tuple[str, str], ...] = ()


def run_page(page: Path, root: Path, rules: PageRules = PageRules(), slow: bool = False) -> PageRun:
    """Run every block of `page` in order under `root` (see the module docstring); blocks
    marked ``<!-- doc: slow -->`` only when `slow`."""
    work, env = doc_env(root)
    name, ran = _name(page), []
    for block in blocks(page.read_text()):
        kind = block.directive[0] if block.directive else None
        saved = [f for phrase, f in rules.files if phrase in block.code]
        if kind == "file" or saved:
            (work / (block.directive[1] if kind == "file" else saved[0])).write_text(block.code)
            continue
        if kind == "skip" or (kind == "slow" and not slow):
            continue
        if block.lang not in ("bash", "python", "console"):
            continue
        if any(phrase in block.code for phrase in rules.skip):
            continue
        for text, new in rules.replace:
            block.code = block.code.replace(text, new.format(work=work))
        if block.lang == "console":
            ran += _run_console(name, block, work, env)
            continue
        started = time.monotonic()
        done = run_code(block.lang, block.code, work, env)
        output, took = done.stdout + done.stderr, time.monotonic() - started
        ran.append(Ran(name, block.line, block.code, output, _judge_script(block, done), took))
    _stop_daemons(env)
    return PageRun(page, work, env, ran)


def _stop_daemons(env: dict[str, str]) -> None:
    """A page that started daemons and failed before stopping them leaves none running."""
    run_dir = Path(env["MINIHADOOP_HOME"]) / "run"
    if run_dir.is_dir() and any(run_dir.glob("*.pid")):
        subprocess.run(
            ["hadoop", "stop-cluster"], env=env, capture_output=True, timeout=120, check=False
        )


_RUNS: dict[tuple[Path, bool], PageRun] = {}


def page_run(
    page: Path, factory: pytest.TempPathFactory, rules: PageRules = PageRules(), slow=False
) -> PageRun:
    """`run_page` once per page (and `slow`) and test session: the doc test and a page's own
    checks of its numbers share one run."""
    key = (page.resolve(), slow)
    if key not in _RUNS:
        _RUNS[key] = run_page(key[0], factory.mktemp(page.stem), rules, slow)
    return _RUNS[key]


def has_slow_blocks(page: Path) -> bool:
    return any(b.directive and b.directive[0] == "slow" for b in blocks(page.read_text()))


# ---- refreshing a reference page ----------------------------------------------------------------
def refresh(page: Path) -> int:
    """Rewrite, in `page`, the output under every console command whose expected lines hold
    no ``...`` line with what the command prints now (stdout, then stderr, then
    its exit status), running the page's commands in order in a fresh directory. For
    reference pages such as docs/commands.md: ``python -m tests.docrun docs/commands.md``.
    Returns how many commands changed."""
    import tempfile

    lines, changed = page.read_text().split("\n"), 0
    exact = [
        cmd
        for block in blocks(page.read_text())
        if block.lang == "console" and not block.code.startswith((" ", "\t"))
        for cmd in block.commands()
        if "..." not in cmd.expected
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work, env = doc_env(Path(tmp))
        outputs = [run_code("bash", cmd.text, work, env) for cmd in exact]  # in page order
    for cmd, done in reversed(list(zip(exact, outputs, strict=True))):  # line numbers hold
        new = (done.stdout + done.stderr).splitlines()
        if done.returncode:
            new.append(f"(exit {done.returncode})")
        old_n = len(cmd.expected) + (1 if cmd.status else 0)
        if lines[cmd.line : cmd.line + old_n] != new:
            lines[cmd.line : cmd.line + old_n] = new
            changed += 1
    page.write_text("\n".join(lines))
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {refresh(Path(name))} command output(s) rewritten")
