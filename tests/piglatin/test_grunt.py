"""The grunt shell driven through piped stdin (in-process and as `python -m
piglatin.tools.cli`); every run is bounded by its finite input and a subprocess timeout."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from piglatin.tools.grunt import PROMPT, Grunt, StatementSplitter


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\ta\n2\tb\n3\tc\n")
    return tmp_path


def grunt(text: str) -> tuple[str, str]:
    from piglatin.tools.grunt import run_grunt

    out, err = io.StringIO(), io.StringIO()
    assert run_grunt("local", stdin=io.StringIO(text), out=out, err=err) == 0
    return out.getvalue(), err.getvalue()


def lines_of(out: str) -> list[str]:
    """Output lines with the prompts taken off."""
    text = out.replace(PROMPT, "").replace(">> ", "")
    return [ln for ln in text.splitlines() if ln.strip()]


# ------------------------------------------------------------ statement splitting
@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (["A = LOAD 'x';"], ["A = LOAD 'x';"]),
        (["A = LOAD 'a;b'; B = LIMIT A 1;"], ["A = LOAD 'a;b';", "B = LIMIT A 1;"]),
        (["A = LOAD", "'x'", ";"], ["A = LOAD\n'x'\n;"]),
        (["A = LOAD 'x'; -- c; not a statement"], ["A = LOAD 'x';"]),
        (["A = /* ; */ LOAD 'x';"], ["A = /* ; */ LOAD 'x';"]),
        (
            ["B = FOREACH A {", "C = LIMIT A 2;", "GENERATE C; };"],
            ["B = FOREACH A {\nC = LIMIT A 2;\nGENERATE C; };"],
        ),
        (["A = LOAD 'it\\'s;';"], ["A = LOAD 'it\\'s;';"]),
    ],
)
def test_splitter(lines, want):
    s = StatementSplitter()
    got = [stmt for line in lines for stmt in s.feed(line)]
    assert got == want and not s.pending


def test_splitter_reports_start_lines():
    s = StatementSplitter()
    s.skip()  # line 1 handled elsewhere (a command)
    assert s.feed("A = LOAD 'x'; B = LIMIT A 1;") == ["A = LOAD 'x';", "B = LIMIT A 1;"]
    assert s.starts == [2, 2]
    assert s.feed("C = FOREACH B {") == [] and s.starts == []
    s.feed("")
    assert s.feed("GENERATE $0; }; D = LIMIT C 1;") == [
        "C = FOREACH B {\n\nGENERATE $0; };",
        "D = LIMIT C 1;",
    ]
    assert s.starts == [3, 5]


def test_splitter_keeps_an_unfinished_statement():
    s = StatementSplitter()
    assert s.feed("A = LOAD 'x'") == [] and s.pending
    assert s.feed("AS (n:int);") == ["A = LOAD 'x'\nAS (n:int);"]


# ------------------------------------------------------------------------ sessions
def test_aliases_persist_and_sinks_run_as_they_come(work):
    out, err = grunt(
        "A = LOAD 'in.txt'\n  AS (n:int, s:chararray);\n"
        "describe A;\n"
        "B = FILTER A BY n > 1;\n"
        "dump B;\n"
        "C = FOREACH B GENERATE s; DUMP C;\n"
        "quit\n"
    )
    assert lines_of(out) == ["A: {n: int,s: chararray}", "(2,b)", "(3,c)", "(b)", "(c)"]
    assert err == ""
    assert out.startswith(PROMPT) and ">> " in out  # continuation prompt for the 2-line LOAD


def test_an_error_is_reported_and_the_shell_goes_on(work):
    out, err = grunt(
        "A = LOAD 'in.txt' AS (n:int);\n"
        "B = FOREACH A GENERATE m;\n"
        "C = FILTER A BY n == 2;\n"
        "DUMP C;\n"
    )
    assert lines_of(out) == ["(2)"]
    first = err.splitlines()[0]
    # the line of the session it was typed on, as Pig's grunt reports it
    assert first.startswith("ERROR 1025: <line 2, column 23>") and "[m]" in first
    assert "B = FOREACH A GENERATE m;" in err and "^" in err and "Traceback" not in err


def test_quit_stops_reading(work):
    out, _ = grunt("A = LOAD 'in.txt' AS (n:int);\nquit\nDUMP A;\n")
    assert "(1)" not in out


def test_undefined_alias_does_not_poison_the_session(work):
    out, err = grunt("DUMP Nope;\nA = LOAD 'in.txt' AS (n:int);\nB = LIMIT A 1;\nDUMP B;\n")
    assert "ERROR 1003" in err and "Nope" in err
    assert lines_of(out) == ["(1)"]


def test_line_commands_help_history_sh(work):
    out, _ = grunt("A = LOAD 'in.txt';\nhelp\nsh echo hello-from-sh\nhistory\n")
    text = "\n".join(lines_of(out))
    assert "quit - leave the shell" in text
    assert "hello-from-sh" in text
    # history lists the Pig Latin statements, not shell commands (cmds.xml's history)
    assert text.endswith("hello-from-sh\n1   A = LOAD 'in.txt';")


def test_run_shares_aliases(work):
    (work / "part.pig").write_text("A = LOAD 'in.txt' AS (n:int, s:chararray);\n")
    out, err = grunt("run part.pig\nB = FILTER A BY s == 'c';\nDUMP B;\n")
    assert lines_of(out) == ["(3,c)"], err


def test_explain_prints_the_plans(work):
    out, _ = grunt("A = LOAD 'in.txt' AS (n:int);\nB = FILTER A BY n > 1;\nexplain B;\n")
    assert "New Logical Plan" in out and "LOFilter" in out and "Map Reduce Plan" in out


def test_incomplete_statement_at_end_is_reported(work):
    _, err = grunt("A = LOAD 'in.txt'\n")
    assert "Incomplete statement" in err


def test_grunt_object_without_launcher_loop():
    """Grunt only hands whole statements to the server, one at a time."""

    class Server:
        cwd, exec_type = "/", "local"

        def __init__(self):
            self.got = []

        def register_script(self, text):
            self.got.append(text)

    server, out = Server(), io.StringIO()
    g = Grunt(server, out, io.StringIO())
    for line in ["A = LOAD 'x'", "; B = LIMIT A", "2;", "quit", "C = LIMIT A 1;"]:
        g.handle_line(line)
        if g.done:
            break
    # each statement is placed on the session line it started on
    assert server.got == ["A = LOAD 'x'\n;", "\nB = LIMIT A\n2;"]


# ---------------------------------------------------------------------- subprocess
def test_pig_without_script_starts_grunt(work):
    done = subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", "-x", "local"],
        input="A = LOAD 'in.txt' AS (n:int);\nB = ORDER A BY n DESC;\nDUMP B;\nquit\n",
        cwd=work,
        text=True,
        capture_output=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stdout) == ["(3)", "(2)", "(1)"]
    assert done.stdout.startswith("grunt> ")
