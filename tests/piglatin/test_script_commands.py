"""Grunt's commands in a script file, as Pig's GruntParser runs a script's lines the same way
as typed ones: `set` alone (processSet(): every property as key=value, sorted), `pwd`
(processPWD), `ls` without a path (processLS(null): the current directory), `help`,
`history` (PigServer.printHistory: the Pig Latin statements so far, `n   stmt`; -n without
the numbers), `exec` (its jobs are the run's); and local mode's `fs -test -touchz -tail
-count` as Hadoop's FileSystemShell documents them (Pig runs FsShell on the local
filesystem)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from piglatin.errors import CommandFailedError
from piglatin.launcher import PigServer

ROWS = "alice\t20\t2.47\nluke\t18\t4.00\nholly\t24\t3.27\n"


def run(tmp: Path, script: str, properties: dict | None = None) -> list[str]:
    out = io.StringIO()
    with PigServer("local", cwd=tmp, out=out, properties=properties) as pig:
        pig.register_script(script)
    return out.getvalue().splitlines()


def test_set_alone_prints_every_property_sorted(tmp_path: Path) -> None:
    lines = run(tmp_path, "SET zz.last 'b';\nSET aa.first 'a';\nset;\n", {"mm.middle": "m"})
    assert lines == ["aa.first=a", "mm.middle=m", "zz.last=b"]


def test_pwd_and_ls_in_a_script(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.txt").write_text("x\n")
    lines = run(tmp_path, "pwd\ncd sub\npwd\nls\n")
    sub = str((tmp_path / "sub").resolve())
    assert lines[:2] == [f"file:{tmp_path.resolve()}", f"file:{sub}"]  # processPWD: qualified
    assert lines[2:] == [f"file:{sub}/f.txt<r 1>\t2"]  # Pig's processLS: path<r N>\tlength


def test_ls_without_a_path_in_grunt_lists_the_current_directory(tmp_path, monkeypatch) -> None:
    from piglatin.tools.grunt import run_grunt

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.txt").write_text("x\n")
    out = io.StringIO()
    run_grunt("local", stdin=io.StringIO("ls\n"), out=out, err=io.StringIO())
    assert f"{tmp_path.resolve()}/data.txt" in out.getvalue()


def test_help_in_a_script(tmp_path: Path) -> None:
    text = "\n".join(run(tmp_path, "help\n"))
    for command in ("explain", "describe", "history", "set <key> <value>", "pwd"):
        assert command in text, command


def test_history_lists_the_pig_latin_statements_so_far(tmp_path: Path) -> None:
    (tmp_path / "in").write_text(ROWS)
    script = (
        "A = LOAD 'in' AS (name:chararray, age:int);\n"
        "-- a comment\n"
        "SET default_parallel 2;\n"
        "B = FILTER A BY age > 19;\n"
        "DESCRIBE B;\n"
        "history\n"
        "history -n\n"
    )
    lines = run(tmp_path, script)
    statements = ["A = LOAD 'in' AS (name:chararray, age:int);", "B = FILTER A BY age > 19;"]
    assert lines[-4:] == [f"1   {statements[0]}", f"2   {statements[1]}", *statements]


FAILING = "A = LOAD 'in' AS (x:int);\nE = STREAM A THROUGH `false`;\nSTORE E INTO 'bad';\n"


def test_exec_of_a_script_whose_job_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    # exec's jobs are the run's: the failed one is counted (PARTIAL_FAILURE with the STORE
    # after it) and the script goes on
    from piglatin.tools import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").write_text("1\n2\n")
    (tmp_path / "child.pig").write_text(FAILING)
    (tmp_path / "s.pig").write_text(
        "exec child.pig\nA = LOAD 'in' AS (x:int);\nSTORE A INTO 'good';\n"
    )
    assert cli.main(["-x", "local", "s.pig"]) == 3
    assert (tmp_path / "good" / "_SUCCESS").exists()
    err = capsys.readouterr().err
    assert 'Failed to produce result in "' in err and "bad" in err


def test_quit_ends_the_script_after_running_what_came_before(tmp_path: Path) -> None:
    # GruntParser.quit(): parsing stops (mDone), then the batch so far runs; in a `run`
    # script it ends that script only (its own parser)
    (tmp_path / "in").write_text(ROWS)
    (tmp_path / "inner.pig").write_text("STORE A INTO 'o2';\nquit\nSTORE A INTO 'o3';\n")
    script = (
        "A = LOAD 'in' AS (name:chararray);\nSTORE A INTO 'o1';\nrun inner.pig\n"
        "STORE A INTO 'o4';\nquit\nSTORE A INTO 'o5';\n"
    )
    run(tmp_path, script)
    made = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("o"))
    assert made == ["o1", "o2", "o4"]


# ---------------------------------------------------------------- local fs commands
def fs_lines(tmp: Path, command: str) -> list[str]:
    return run(tmp, f"fs {command}\n")


def test_touchz_creates_an_empty_file_and_refuses_a_non_empty_one(tmp_path: Path) -> None:
    # FileSystemShell, touchz: "Create a file of zero length. An error is returned if the
    # file exists with non-zero length."
    (tmp_path / "in").write_text(ROWS)
    fs_lines(tmp_path, "-touchz empty.txt")
    assert (tmp_path / "empty.txt").read_bytes() == b""
    with pytest.raises(CommandFailedError, match="Not a zero-length file"):
        fs_lines(tmp_path, "-touchz in")
    assert (tmp_path / "in").read_text() == ROWS


@pytest.mark.parametrize(
    ("flag", "path", "true"),
    [
        ("-e", "in", True),
        ("-e", "nothing", False),
        ("-d", "dir", True),
        ("-d", "in", False),
        ("-z", "empty", True),
        ("-z", "in", False),
        ("-f", "in", True),
    ],
)
def test_test_answers_by_its_exit_status(tmp_path: Path, flag: str, path: str, true: bool):
    # -test: "-e if the path exists, return 0. -d if the path is a directory, return 0.
    # -z if the file is zero length, return 0"; a script stops at an fs command that fails
    (tmp_path / "in").write_text(ROWS)
    (tmp_path / "empty").write_text("")
    (tmp_path / "dir").mkdir()
    if true:
        assert fs_lines(tmp_path, f"-test {flag} {path}") == []
    else:
        with pytest.raises(CommandFailedError, match=f"fs command '-test {flag} {path}' failed"):
            fs_lines(tmp_path, f"-test {flag} {path}")


def test_tail_shows_the_last_kilobyte(tmp_path: Path) -> None:
    # tail: "Displays last kilobyte of the file to stdout."
    text = "".join(f"line {i:04d}\n" for i in range(300))
    (tmp_path / "big").write_text(text)
    assert "\n".join(fs_lines(tmp_path, "-tail big")) + "\n" == text[-1024:]


def test_count_columns(tmp_path: Path) -> None:
    # count: "The output columns with -count are: DIR_COUNT, FILE_COUNT, CONTENT_SIZE,
    # PATHNAME" (a directory counts itself)
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "a").write_text("12345")
    (tmp_path / "d" / "e" / "b").write_text("123")
    (tmp_path / "in").write_text(ROWS)
    lines = fs_lines(tmp_path, "-count d in")
    assert [ln.split() for ln in lines] == [["2", "2", "8", "d"], ["0", "1", str(len(ROWS)), "in"]]


def test_pwd_cd_and_ls_on_the_dfs(tmp_path: Path) -> None:
    # mapreduce mode: pwd is the DFS directory (the home until a cd), ls without a path
    # lists the directory a cd went to (Pig's processLS(null): the active container)
    from dfs.conf import current_user

    name = f"/tmp/h5-ls-{tmp_path.name}"
    out = io.StringIO()
    with PigServer("mapreduce", cwd=tmp_path, out=out) as pig:
        pig.register_script(f"pwd\nfs -mkdir -p {name}/sub\nfs -touchz {name}/sub/f.txt\n")
        pig.register_script(f"cd {name}/sub\npwd\nls\nfs -rm -r {name}\n")
    lines = out.getvalue().splitlines()
    assert lines[0] == f"dfs:///user/{current_user()}"
    assert lines[1] == f"dfs://{name}/sub"
    assert re.fullmatch(rf"dfs://{name}/sub/f\.txt<r \d>\t0", lines[2]), lines  # processLS
