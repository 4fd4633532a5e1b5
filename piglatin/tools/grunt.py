"""The grunt shell: Pig Latin typed (or piped) one statement at a time.

Owns: the read loop — the `grunt> ` prompt (`>> ` while a statement continues), line
editing and history in ~/.pig_history through readline when stdin is a terminal,
splitting input into whole statements at `;` (outside quotes, comments and nested
FOREACH braces), grunt's line commands (`fs`, `sh`, `cat`, `ls`, `mkdir`, `rm`, `cp`,
`mv`, `copyFromLocal`, `copyToLocal`, `exec`, `run`, `history`, `help`, `clear`,
`set`, `quit`; DUMP/DESCRIBE/EXPLAIN/ILLUSTRATE and their shortcuts \\d \\de \\e \\i end
at the line too, as in Pig's grunt parser), the command history (Pig Latin statements,
a `run` script's included), and handing each statement to one `launcher.PigServer`
session so aliases persist and DUMP/STORE/DESCRIBE/EXPLAIN run as they arrive, as in Pig.
An error in a statement is printed in Pig's format and the shell carries on.
Must not touch: compiling or running (launcher.py), the `pig` command line (cli.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO

log = logging.getLogger(__name__)

PROMPT, CONTINUE = "grunt> ", ">> "
INTERRUPTED = (
    "Interrupted: the statement was cancelled (its running job killed); "
    "the aliases defined so far are kept"
)
HISTORY_FILE = os.path.join(os.path.expanduser("~"), ".pig_history")
MAX_STATEMENTS = 1_000_000  # a bound on the read loop

# grunt's own line commands (no `;` needed); those that are `fs` commands in disguise
LINE_COMMANDS = frozenset(
    "fs sh exec run cat ls cd pwd mkdir cp mv rm rmf copyFromLocal copyToLocal kill history "
    "help clear quit exit set".lower().split()
)
# Pig's diagnostic commands end at the end of the line as well as at `;`, and their short
# forms (start.xml, "Shortcuts for Debugging Operators"); without an alias they act on the
# last alias defined
_DIAGNOSTIC = re.compile(
    r"^\s*(dump|describe|explain|illustrate|\\de|\\d|\\e|\\i|\\q)"
    r"(?:\s+([A-Za-z][A-Za-z0-9_]*(?:::[A-Za-z][A-Za-z0-9_]*)*|@))?\s*;?\s*$",
    re.I,
)
_SHORTCUTS = {"\\d": "dump", "\\de": "describe", "\\e": "explain", "\\i": "illustrate"}
# statements that are not in Pig's command history (grunt runs them as commands)
_NOT_HISTORY = frozenset(["dump", "describe", "explain", "illustrate", "set", "register"])
#: grunt's file commands (Pig's own, not `fs` commands: piglatin.commands)
FS_ALIASES = frozenset(
    ["cat", "ls", "mkdir", "cp", "mv", "rm", "rmf", "copyfromlocal", "copytolocal"]
)
_COMMAND = re.compile(r"^\s*([A-Za-z]+)\b(?![ \t]*(=|::))(.*)$", re.S)


# ------------------------------------------------------------ statement splitting
class StatementSplitter:
    """Feed lines; get back each complete statement (ending in `;` at brace depth 0).

    >>> s = StatementSplitter()
    >>> s.feed("A = LOAD 'x;y';  B = FOREACH A {")
    ["A = LOAD 'x;y';"]
    >>> s.feed("  C = LIMIT A 1; GENERATE C; };")
    ['B = FOREACH A {\\n  C = LIMIT A 1; GENERATE C; };']
    >>> s.pending, s.starts
    (False, [1])

    `starts` holds the input line each statement of the last `feed` began on (lines
    passed to `skip` count too), so errors can name the session's line as Pig does.
    """

    def __init__(self, lineno: int = 0) -> None:
        self.buf = ""
        self.buf_line = 0
        self.lineno = lineno
        self.starts: list[int] = []
        self.depth = 0
        self.quote: str | None = None
        self.block_comment = False

    def skip(self) -> None:
        """A line handled elsewhere (a grunt command, a comment)."""
        self.lineno += 1

    @property
    def pending(self) -> bool:
        return bool(self.buf.strip())

    def feed(self, line: str) -> list[str]:  # noqa: C901 - a small lexer state machine
        out: list[str] = []
        self.lineno += 1
        self.starts = []
        base = self.buf_line if self.buf else self.lineno
        text = (self.buf + "\n" + line) if self.buf else line
        start = 0
        i = len(self.buf) + (1 if self.buf else 0)
        while i < len(text):
            c = text[i]
            two = text[i : i + 2]
            if self.block_comment:
                if two == "*/":
                    self.block_comment = False
                    i += 1
            elif self.quote:
                if c == "\\":
                    i += 1
                elif c == self.quote:
                    self.quote = None
            elif two == "--":
                if not text[start:i].strip():
                    start = len(text)  # a comment after the last statement: drop it
                break  # the rest of the line is a comment
            elif two == "/*":
                self.block_comment = True
                i += 1
            elif c in "'`\"":
                self.quote = c
            elif c == "{":
                self.depth += 1
            elif c == "}":
                self.depth = max(self.depth - 1, 0)
            elif c == ";" and self.depth == 0:
                seg = text[start : i + 1]
                if seg.strip() != ";":
                    out.append(seg.strip())
                    first = start + len(seg) - len(seg.lstrip())
                    self.starts.append(base + text.count("\n", 0, first))
                start = i + 1
            i += 1
        rest = text[start:]
        self.buf = rest if rest.strip() else ""
        self.buf_line = base + text.count("\n", 0, start)
        return out

    def reset(self) -> None:
        self.__init__(self.lineno)


# ------------------------------------------------------------------ the shell
class Grunt:
    """One interactive session over a PigServer."""

    def __init__(
        self,
        server,
        out: TextIO,
        err: TextIO,
        *,
        debug: bool = False,
        logfile: str | None = None,
        verbose: bool = False,
    ) -> None:
        self.server = server
        self.out = out
        self.err = err
        self.debug = debug
        self.logfile = logfile
        self.verbose = verbose
        self.splitter = StatementSplitter()
        self.history: list[str] = []
        self.done = False
        self.log_level = logging.getLogger("piglatin").level  # `set debug off` goes back to it

    # one line of input --------------------------------------------------------------
    def handle_line(self, line: str) -> None:
        if not self.splitter.pending:
            if not line.strip() or line.lstrip().startswith("--"):
                self.splitter.skip()
                return
            d = _DIAGNOSTIC.match(line)
            if d and (d.group(2) or d.group(1).lower() != "explain"):
                self.splitter.skip()
                self.diagnostic(line, d.group(1).lower(), d.group(2), self.splitter.lineno)
                return
            m = _COMMAND.match(line)
            if m and m.group(1).lower() in LINE_COMMANDS:
                self.splitter.skip()
                self.command(m.group(1).lower(), m.group(3).strip().rstrip(";").strip())
                return
        stmts = self.splitter.feed(line)
        for stmt, first_line in zip(stmts, self.splitter.starts, strict=True):
            self.statement(stmt, first_line)
            if self.done:
                return

    def statement(self, stmt: str, line: int = 1) -> None:
        """Run one statement; blank lines in front put it on its session line, so an
        error names the line it was typed on, as in Pig."""
        first = stmt.split(None, 1)[0].lower() if stmt.split() else ""
        if first not in _NOT_HISTORY:
            self.history.append(stmt)
        text = "\n" * (line - 1) + stmt
        chunks = getattr(self.server, "chunks", None)
        accepted = len(chunks) if chunks is not None else 0
        if not self._guard(lambda: self.server.register_script(text)):
            if first == "register" and chunks is not None:
                # its file did not load: its namespace must not resolve afterwards (Pig's
                # ERROR 1070 at the statement that uses it, not a failing job); a REGISTER
                # defines no operators, so no op id moves
                del chunks[accepted:]
            self._resync()

    def _resync(self) -> None:
        """After a failed statement, rebuild the session's builder from the statements
        that were accepted, so its op ids match the plan the launcher rebuilds from
        them (a rejected statement may already have used up an id)."""
        builder = getattr(self.server, "builder", None)
        chunks = getattr(self.server, "chunks", None)
        if builder is None or chunks is None:
            return
        from piglatin.front.builder import Builder, Functions
        from piglatin.front.parser import parse

        fresh = Builder(Functions(base_dir=self.server.cwd), builder.file)
        fresh.macros = builder.macros  # the session's macros outlive a rejected statement
        try:
            for chunk in chunks:  # [text, file] or [text, file, first statement, end]
                text, file = chunk[0], chunk[1]
                script = parse(text, file)
                if len(chunk) >= 4:
                    script = dataclasses.replace(
                        script, statements=script.statements[chunk[2] : chunk[3]]
                    )
                fresh.add(script, text)
        except Exception as e:  # noqa: BLE001 - keep the old builder rather than none
            log.debug("could not rebuild the grunt session: %s", e)
            return
        fresh.warn_casts = builder.warn_casts  # rebuilt quietly; later statements warn again
        self.server.builder = fresh

    def command(self, word: str, args: str) -> None:
        if word in ("quit", "exit"):  # exit: what a newcomer types first
            self.done = True
        elif word == "help":
            from piglatin.commands import HELP

            self.out.write(HELP)
        elif word == "history":  # as PigServer.printHistory; -n: without line numbers
            numbered = args.strip() != "-n"
            for n, stmt in enumerate(self.history, 1):
                print(f"{n}   {stmt}" if numbered else stmt, file=self.out)
        elif word == "clear":
            self.out.write("\033[H\033[2J")
        elif word == "set":
            self._guard(lambda: self._set(args))
        elif word in ("fs", "sh", "exec", "run"):
            if (
                self._guard(lambda: self.server.register_script(f"{word} {args};"))
                and word == "run"
            ):
                self.history.extend(self._script_statements(args))
        elif word in FS_ALIASES:
            self._guard(lambda: self.server.command(word, args))  # piglatin.commands
        elif word == "pwd":
            print(self.server.working_dir(), file=self.out)
        elif word == "cd":
            self._cd(args)
        elif word == "kill":
            self._kill(args)

    def diagnostic(self, typed: str, word: str, alias: str | None, line: int) -> None:
        """DUMP/DESCRIBE/EXPLAIN/ILLUSTRATE typed on one line, with or without `;`, or
        their shortcuts; no alias: the last one defined (as Pig's processDump(null))."""
        if word == "\\q":
            self.done = True
            return
        if word not in _SHORTCUTS and alias not in (None, "@") and typed.rstrip().endswith(";"):
            self.statement(typed.strip(), line)  # as typed, so an error's column is right
            return
        word = _SHORTCUTS.get(word, word)
        if alias in (None, "@"):
            alias = getattr(getattr(self.server, "builder", None), "previous", None)
            if alias is None:
                print(f"ERROR 1000: {word} needs an alias, and none is defined yet", file=self.err)
                return
        self.statement(f"{word} {alias};", line)

    def _set(self, args: str) -> None:
        """`set key value` (value quoted or not, `;` optional), or `set` alone: every
        property of the session as key=value (as Pig prints its configuration)."""
        key, _, value = args.strip().partition(" ")
        if not key:
            from piglatin.commands import print_properties

            print_properties(self.server)
            return
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        self.server.set(key, value)
        if key == "debug":  # cmds.xml: "Turns debug-level logging on or off" (off: as started)
            on = value.lower() == "on"
            logging.getLogger("piglatin").setLevel(logging.DEBUG if on else self.log_level)

    def _script_statements(self, args: str) -> list[str]:
        """The statements of `run`'s script (parameters substituted), for the history:
        a `run` script's statements are in the command history, as if typed."""
        from piglatin.front.preprocess import load_param_files, parse_run_args, substitute

        try:
            params, files, script = parse_run_args(args)
            if script is None:
                return []
            path = os.path.join(self.server.cwd, script)
            with open(path, encoding="utf-8") as f:
                text = substitute(f.read(), {**load_param_files(files), **params}, file=path)
        except Exception as e:  # noqa: BLE001 - it ran: only its history is lost
            log.debug("no history for run %s: %s", args, e)
            return []
        splitter = StatementSplitter()
        stmts = [st for ln in text.splitlines() for st in splitter.feed(ln)]
        return [st for st in stmts if st.split(None, 1)[0].lower() not in _NOT_HISTORY]

    def _kill(self, args: str) -> None:
        """`kill job_...`: as `hadoop job -kill` (this shell's own jobs end with Ctrl-C)."""
        from dfs.conf import Configuration
        from mapred.jobclient import job_main

        job_id = args.strip()
        if not job_id.startswith("job_") or " " in job_id:
            print("kill: give the job's id, e.g. kill job_local1234_0001", file=self.err)
            return
        with contextlib.redirect_stdout(self.out), contextlib.redirect_stderr(self.err):
            job_main(Configuration({}), ["-kill", job_id])

    def _cd(self, args: str) -> None:
        target = os.path.join(self.server.cwd, args.strip("'\"") or os.path.expanduser("~"))
        if self.server.exec_type != "local":  # a DFS directory, as Pig's processCD
            self._guard(lambda: self.server.change_dir(args))
        elif not os.path.isdir(target):
            print(f"cd: {args}: No such file or directory", file=self.err)
        else:
            self.server.cwd = os.path.realpath(target)

    def _guard(self, action) -> bool:
        """Run `action`; a failure is printed in Pig's format and the shell goes on.
        Returns whether it succeeded."""
        from piglatin.tools.report import report_error

        ok = True
        try:
            action()
        except SystemExit as e:  # an fs command's own exit
            if e.code not in (0, None):
                log.debug("command exited with status %s", e.code)
        except KeyboardInterrupt:  # Ctrl-C: the statement is cancelled, the session stays
            print(INTERRUPTED, file=self.err)
            ok = False
        except Exception as e:  # noqa: BLE001 - grunt survives every statement
            report_error(e, self.err, self.debug, self.logfile, self.verbose)
            ok = False
        self.out.flush()
        return ok

    # the loop -----------------------------------------------------------------------
    def loop(self, lines: Iterator[str]) -> int:
        for _, line in zip(range(MAX_STATEMENTS), lines, strict=False):
            self.handle_line(line.rstrip("\n"))
            if self.done:
                break
        if self.splitter.pending and not self.done:
            print(
                f"ERROR 1200: Incomplete statement at end of input: {self.splitter.buf}",
                file=self.err,
            )
        return 0

    def prompt(self) -> str:
        return CONTINUE if self.splitter.pending else PROMPT


def _piped_lines(shell: Grunt, stdin: TextIO, out: TextIO) -> Iterator[str]:
    while True:
        out.write(shell.prompt())
        out.flush()
        line = stdin.readline()
        if not line:
            out.write("\n")
            return
        yield line


def _tty_lines(shell: Grunt) -> Iterator[str]:
    while True:
        try:
            yield input(shell.prompt())
        except EOFError:
            print()
            return
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, like Pig
            print()
            shell.splitter.reset()


def _with_history(func):
    try:
        import readline
    except ImportError:  # pragma: no cover - no readline on this platform
        return func()
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    try:
        return func()
    finally:
        try:
            readline.write_history_file(HISTORY_FILE)
        except OSError as e:
            log.debug("cannot write %s: %s", HISTORY_FILE, e)


def run_grunt(
    exec_type: str = "mapreduce",
    properties: Mapping[str, str] | None = None,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    debug: bool = False,
    logfile: str | None = None,
    verbose: bool = False,
) -> int:
    """Run the shell until `quit` or end of input; returns the exit status (0). Errors are
    printed (their details also in `logfile`, when given) and the shell goes on."""
    from piglatin.launcher import PigServer
    from piglatin.tools.progress import JobProgress

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    err = err or sys.stderr
    news = JobProgress()
    server = PigServer(
        exec_type,
        cwd=os.getcwd(),
        out=out,
        properties=dict(properties or {}),
        progress=news.progress,
        on_job=news.job_done,
        on_job_start=news.job_starting,
    )
    shell = Grunt(server, out, err, debug=debug, logfile=logfile, verbose=verbose)
    try:
        if stdin is sys.stdin and stdin.isatty() and out is sys.stdout:
            return _with_history(lambda: shell.loop(_tty_lines(shell)))
        return shell.loop(_piped_lines(shell, stdin, out))
    finally:
        server.close()
