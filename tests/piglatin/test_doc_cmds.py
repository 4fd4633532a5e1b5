"""Pig 0.17's "Shell and Utility Commands" page (cmds.xml): fs, sh, clear, exec, run,
history, kill, quit, set and help, typed into grunt as the page shows them and compared with
the output (and the files) it documents. The page writes `–param` with an en dash; the
examples are run as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.piglatin.docrun import STUDENT, grunt, part_files, pig, rows, write

MYSCRIPT = "a = LOAD 'student' AS (name, age, gpa);\nb = LIMIT a 3;\nDUMP b;\n"
STORE_SCRIPT = (
    "a = LOAD 'student' AS (name, age, gpa);\nb = ORDER a BY name;\n\nSTORE b into '$out';\n"
)
BY_NAME = sorted(STUDENT.splitlines(), key=lambda ln: ln.split("\t")[0])


def test_fs_mkdir_copyfromlocal_ls_in_the_default_mode(tmp_path: Path) -> None:
    # "fs -mkdir /tmp; fs -copyFromLocal file-x file-y; fs -ls file-y"
    write(tmp_path, {"file-x": "hello\n"})
    script = (
        "fs -mkdir -p /doc_cmds_fs\n"
        "fs -copyFromLocal file-x /doc_cmds_fs/file-y\n"
        "fs -ls /doc_cmds_fs/file-y\n"
        "fs -cat /doc_cmds_fs/file-y\n"
    )
    done = pig([], tmp_path, stdin=script)
    assert done.returncode == 0, done.stderr
    assert "/doc_cmds_fs/file-y" in done.stdout and "hello" in done.stdout
    assert "ERROR" not in done.stderr


def test_fs_copyfromlocal_in_local_mode(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"file-x": "hello\n"})
    typed = "fs -mkdir d\nfs -copyFromLocal file-x file-y\nfs -ls file-y\nfs -cp file-y d\n"
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert err == "" and len(lines) == 1 and lines[0].endswith("file-y")
    assert (tmp_path / "file-y").read_text() == (tmp_path / "d" / "file-y").read_text() == "hello\n"


def test_fs_ls_supports_globbing_in_local_mode(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"out/part-m-00000": "1\n", "out/part-m-00001": "2\n"})
    lines, err = grunt(tmp_path, "fs -cat out/part*\nfs -ls out/part-m-0000?\n", monkeypatch)
    assert err == "" and lines[:2] == ["1", "2"]
    assert [ln.rsplit("/", 1)[-1] for ln in lines[2:]] == ["part-m-00000", "part-m-00001"]


def test_sh_ls_lists_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"bigdata.conf": "", "nightly.conf": ""})
    lines, err = grunt(tmp_path, "sh ls\n", monkeypatch)
    assert lines == ["bigdata.conf", "nightly.conf"] and err == ""


def test_clear_clears_the_screen(tmp_path: Path, monkeypatch) -> None:
    lines, _ = grunt(tmp_path, "clear\n", monkeypatch)
    assert lines == ["\033[H\033[2J"]


def test_exec_runs_the_script_apart_from_the_shell(tmp_path: Path, monkeypatch) -> None:
    # "grunt> exec myscript.pig" prints the script's DUMP; its aliases are not available to
    # the shell, and the shell's aliases are not available to the script
    write(tmp_path, {"student": STUDENT, "myscript.pig": MYSCRIPT, "uses_x.pig": "DUMP x;\n"})
    lines, err = grunt(
        tmp_path, "x = LOAD 'student';\nexec myscript.pig\nDUMP b;\nexec uses_x.pig\n", monkeypatch
    )
    assert lines == ["(alice,20,2.47)", "(luke,18,4.00)", "(holly,24,3.27)"]
    assert err.count("ERROR 1003") == 2, err  # b, then x: undefined alias


@pytest.mark.parametrize("dash", ["-", "\u2013"])
def test_exec_with_a_parameter(tmp_path: Path, monkeypatch, dash: str) -> None:
    # "grunt> exec –param out=myoutput myscript.pig"
    write(tmp_path, {"student": STUDENT, "myscript.pig": STORE_SCRIPT})
    _, err = grunt(tmp_path, f"exec {dash}param out=myoutput myscript.pig\n", monkeypatch)
    assert err == ""
    [part] = part_files(tmp_path / "myoutput")
    assert part.read_text().splitlines()[:3] == [ln for ln in BY_NAME if ln.startswith("alice")]


def test_exec_with_several_parameters(tmp_path: Path, monkeypatch) -> None:
    # "grunt> exec –param p1=myparam1 –param p2=myparam2 myscript.pig"
    script = "a = LOAD '$p1' AS (name, age, gpa);\nb = FILTER a BY name == '$p2';\nDUMP b;\n"
    write(tmp_path, {"myparam1": STUDENT, "myscript.pig": script})
    lines, err = grunt(
        tmp_path, "exec \u2013param p1=myparam1 \u2013param p2=luke myscript.pig\n", monkeypatch
    )
    assert lines == ["(luke,18,4.00)"] and err == ""


def test_run_shares_the_shells_aliases(tmp_path: Path, monkeypatch) -> None:
    # the page's run example: the script orders the shell's `a`; the shell limits its `c`
    write(tmp_path, {"student": STUDENT, "myscript.pig": "b = ORDER a BY name;\nc = LIMIT b 10;\n"})
    typed = "a = LOAD 'student' AS (name, age, gpa);\nrun myscript.pig\nd = LIMIT c 3;\nDUMP d;\n"
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert sorted(lines) == ["(alice,20,2.47)", "(alice,27,1.95)", "(alice,36,2.27)"], err


def test_run_with_a_parameter(tmp_path: Path, monkeypatch) -> None:
    # "grunt> run –param out=myoutput myscript.pig", the script storing the shell's `a`
    write(
        tmp_path,
        {"student": STUDENT, "myscript.pig": "b = ORDER a BY name;\nSTORE b into '$out';\n"},
    )
    typed = "a = LOAD 'student' AS (name, age, gpa);\nrun \u2013param out=myoutput myscript.pig\n"
    _, err = grunt(tmp_path, typed, monkeypatch)
    assert err == ""
    [part] = part_files(tmp_path / "myoutput")
    assert sorted(part.read_text().splitlines()) == sorted(STUDENT.splitlines())


def test_history_with_and_without_line_numbers(tmp_path: Path, monkeypatch) -> None:
    typed = (
        "a = LOAD 'student' AS (name, age, gpa);\nb = order a by name;\nhistory\n"
        "c = order a by name;\nhistory -n\n"
    )
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert err == ""
    assert [re.sub(r"^(\d+)\s+", r"\1 ", ln) for ln in lines[:2]] == [
        "1 a = LOAD 'student' AS (name, age, gpa);",
        "2 b = order a by name;",
    ]
    assert lines[2:] == [
        "a = LOAD 'student' AS (name, age, gpa);",
        "b = order a by name;",
        "c = order a by name;",
    ]


def test_history_has_runs_statements_but_not_execs(tmp_path: Path, monkeypatch) -> None:
    # run: "All commands from the script are visible in the command history";
    # exec "does not change the command history"
    write(tmp_path, {"student": STUDENT, "r.pig": "b = ORDER a BY name;\n", "e.pig": MYSCRIPT})
    typed = "a = LOAD 'student' AS (name, age, gpa);\nexec e.pig\nrun r.pig\nhistory -n\n"
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert err == ""
    assert lines[-2:] == ["a = LOAD 'student' AS (name, age, gpa);", "b = ORDER a BY name;"]
    assert "exec e.pig" not in lines and "b = LIMIT a 3;" not in lines


def test_quit_leaves_the_shell(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"student": STUDENT})
    lines, _ = grunt(tmp_path, "a = LOAD 'student';\nquit\nDUMP a;\n", monkeypatch)
    assert lines == []


def test_set_in_grunt_without_semicolons_and_set_alone_lists_them(
    tmp_path: Path, monkeypatch
) -> None:
    # "grunt> SET debug 'on'", "SET job.name 'my job'", "SET default_parallel 100";
    # "If set command is used without key/value pair argument, Pig prints all the
    # configurations"
    typed = "SET debug 'on'\nSET job.name 'my job'\nSET default_parallel 100\nset\nSET debug off\n"
    lines, err = grunt(tmp_path, typed, monkeypatch)
    assert err == ""
    assert {"debug=on", "job.name=my job", "default_parallel=100"} <= set(lines)


def test_set_default_parallel_is_refused_when_not_a_whole_number(
    tmp_path: Path, monkeypatch
) -> None:
    _, err = grunt(tmp_path, "set default_parallel abc\n", monkeypatch)
    assert err.startswith("ERROR") and "default_parallel" in err


def test_set_arbitrary_keys_in_a_script(tmp_path: Path) -> None:
    write(tmp_path, {"student": STUDENT})
    script = (
        "SET mapred.map.tasks.speculative.execution false;\n"
        "SET pig.logfile mylogfile.log;\n"
        "SET my.arbitrary.key my.arbitary.value;\n"
        "a = LOAD 'student' AS (name, age, gpa);\nb = FILTER a BY name == 'luke';\nDUMP b;\n"
    )
    write(tmp_path, {"s.pig": script})
    done = pig(["-x", "local", "s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) == ["(luke,18,4.00)"]


def test_set_default_parallel_sets_every_jobs_reducers(tmp_path: Path) -> None:
    # "all MapReduce jobs that get launched will use 20 reducers" (the default mode: Pig's
    # local mode runs one reducer whatever is set)
    rows_in = "".join(f"{w}\t{i}\t{i}\n" for i, w in enumerate("abcabcdeabfa"))
    write(tmp_path, {"myfile.txt": rows_in})
    script = (
        "SET default_parallel 20;\n"
        "A = LOAD 'myfile.txt' USING PigStorage() AS (t, u, v);\n"
        "B = GROUP A BY t;\n"
        "C = FOREACH B GENERATE group, COUNT(A.t) as mycount;\n"
        "D = ORDER C BY mycount;\n"
        "STORE D INTO '/doc_cmds_mysortedcount' USING PigStorage();\n"
        "fs -ls /doc_cmds_mysortedcount\n"
        "E = LOAD '/doc_cmds_mysortedcount' AS (t, n:long);\nDUMP E;\n"
    )
    write(tmp_path, {"s.pig": script})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    parts = [ln for ln in done.stdout.splitlines() if "/part-" in ln]
    assert len(parts) == 20, done.stdout
    got = rows(done.stdout)
    assert [int(r.strip("()").split(",")[1]) for r in got] == [1, 1, 1, 2, 3, 4]
    assert sorted(got) == ["(a,4)", "(b,3)", "(c,2)", "(d,1)", "(e,1)", "(f,1)"]


def test_help_lists_the_commands(tmp_path: Path, monkeypatch) -> None:
    lines, _ = grunt(tmp_path, "help\n", monkeypatch)
    text = "\n".join(lines)
    for command in ("fs", "sh", "exec", "run", "kill", "set", "history", "help", "quit"):
        assert re.search(rf"^\s*{command}\b", text, re.M), command


def test_set_debug_turns_debug_logging_on_and_off(tmp_path: Path) -> None:
    # "debug on/off: Turns debug-level logging on or off"
    write(tmp_path, {"student": STUDENT})
    run = "a = LOAD 'student' AS (name, age, gpa);\nb = LIMIT a 1;\nDUMP b;\n"
    done = pig(
        ["-x", "local"], tmp_path, stdin=run + "SET debug 'on'\n" + run + "SET debug 'off'\n" + run
    )
    assert done.returncode == 0, done.stderr
    runs = done.stderr.split("100% complete")
    assert len(runs) == 4 and " DEBUG " not in runs[0], done.stderr
    assert " DEBUG " in runs[1] and " DEBUG " not in runs[2] + runs[3]
