"""Issue 16 items 3 and 6: a user's mistake is reported as theirs, never as `ERROR 2999:
Unexpected internal error`, and the details of every error go to Pig's log file.

Expected behaviour from Pig: a Python UDF file is evaluated at REGISTER, so its syntax
error or failing import is reported then ("ERROR 1121: Python Error. ..."), and a missing
one is ERROR 101; Main.validateLogFile puts `pig_<millis>.log` in the current directory or
in the `-l` directory (or the `-l` file itself); LogUtils.writeLog appends a "Pig Stack
Trace" header, the message and the stack trace, and the console says `Details at logfile:
PATH`. ERROR 2999 is only for a real bug, and then says how to get the traceback."""

from __future__ import annotations

import pytest

from piglatin.tools import cli, report

ROWS = "1\ta\n2\tb\n"
QUERY = "A = LOAD 'in.txt' AS (n:int); B = FOREACH A GENERATE u.f(n); DUMP B;"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text(ROWS)
    return tmp_path


def pig(capsys, *args):
    rc = cli.main(["-x", "local", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def error_line(err: str) -> str:
    return next(ln for ln in err.splitlines() if ln.startswith("ERROR"))


def register(name: str) -> str:
    return f"REGISTER '{name}' USING jython AS u; {QUERY}"


# ------------------------------------------------------------------ a user's UDF file
def test_udf_syntax_error_names_the_users_file_and_line(work, capsys):
    (work / "udfs.py").write_text("def f(x):\n    return x\n\ndef g(x:\n    return x\n")
    rc, out, err = pig(capsys, "-e", register("udfs.py"))
    line = error_line(err)
    assert line.startswith("ERROR 1121: <file ") and "udfs.py, line 4" in line, err
    assert "SyntaxError" in line and "never closed" in line
    assert "def g(x:" in err.splitlines()  # the user's line, as Python shows it
    assert "ERROR 2999" not in err and "Traceback" not in err and out == ""
    assert "job_" not in err  # found at REGISTER, before any job ran
    assert rc == report.PIG_EXCEPTION


def test_udf_failing_import_names_the_users_line_not_the_framework(work, capsys):
    (work / "udfs.py").write_text(
        "import os\nimport no_such_module_xyz\n\ndef f(x):\n    return x\n"
    )
    rc, _, err = pig(capsys, "-e", register("udfs.py"))
    line = error_line(err)
    assert "udfs.py, line 2>" in line
    assert "ModuleNotFoundError: No module named 'no_such_module_xyz'" in line
    assert "import no_such_module_xyz" in err.splitlines()
    assert "piglatin/" not in err and "ERROR 2999" not in err and rc == report.PIG_EXCEPTION


def test_udf_error_in_a_module_of_the_user_is_located_there(work, capsys):
    (work / "helper.py").write_text("X = 1\nraise ValueError('helper is not configured')\n")
    (work / "udfs.py").write_text("import sys\nsys.path.insert(0, '.')\nimport helper\n")
    rc, _, err = pig(capsys, "-e", register("udfs.py"))
    line = error_line(err)
    assert "helper.py, line 2>" in line and "ValueError: helper is not configured" in line
    assert rc == report.PIG_EXCEPTION


def test_missing_udf_file_is_error_101(work, capsys):
    rc, _, err = pig(capsys, "-e", register("nowhere.py"))
    line = error_line(err)
    assert line.startswith("ERROR 101: Local file ") and "nowhere.py' does not exist" in line
    assert rc == report.PIG_EXCEPTION


def test_a_good_udf_file_still_runs(work, capsys):
    (work / "udfs.py").write_text("@outputSchema('y:int')\ndef f(x):\n    return x * 10\n")
    rc, out, err = pig(capsys, "-e", register("udfs.py"))
    assert rc == 0, err
    assert out.splitlines() == ["(10)", "(20)"]


# ------------------------------------------------------------------- bad values
@pytest.mark.parametrize(
    ("args", "needle", "status"),
    [
        (["-e", "set default_parallel abc;"], "default_parallel", report.PIG_EXCEPTION),
        (
            ["-D", "default_parallel=abc", "-e", "A = LOAD 'in.txt';"],
            "default_parallel",
            report.PIG_EXCEPTION,
        ),
        (
            ["-p", "novalue", "-e", "A = LOAD 'in.txt';"],
            "Bad -param 'novalue'",
            report.PIG_EXCEPTION,
        ),
        (
            ["-D", "novalue", "-e", "A = LOAD 'in.txt';"],
            "expected -D key=value",
            report.ILLEGAL_ARGS,
        ),
        (
            ["-m", "missing.params", "-e", "A = LOAD 'in.txt';"],
            "missing.params",
            report.PIG_EXCEPTION,
        ),
        (
            ["-d", "LOUD", "-e", "A = LOAD 'in.txt';"],
            "Unknown log level 'LOUD'",
            report.ILLEGAL_ARGS,
        ),
        (
            ["-x", "spark", "-e", "A = LOAD 'in.txt';"],
            "Unknown exec type 'spark'",
            report.ILLEGAL_ARGS,
        ),
    ],
)
def test_bad_values_name_the_setting_and_are_never_internal(work, capsys, args, needle, status):
    rc, _, err = pig(capsys, *args)
    assert needle in error_line(err), err
    assert rc == status and "ERROR 2999" not in err and "Traceback" not in err


def test_a_typo_in_an_option_suggests_the_right_one(work, capsys):
    rc, _, err = pig(capsys, "-parm", "a=1", "-e", "A = LOAD 'in.txt';")
    assert rc == report.ILLEGAL_ARGS
    assert "Unknown option -parm; Did you mean '-param'?" in err


# ------------------------------------------------------------------- the log file
def test_an_error_writes_pig_log_in_the_current_directory(work, capsys):
    rc, _, err = pig(capsys, "-e", "A = LOAD 'in.txt' AS (n:int); B = FOREACH A GENERATE m;")
    assert rc == report.PIG_EXCEPTION
    logs = list(work.glob("pig_*.log"))
    assert len(logs) == 1 and logs[0].name[4:-4].isdigit()  # pig_<millis>.log
    assert err.splitlines()[-1] == f"Details at logfile: {logs[0]}"
    text = logs[0].read_text()
    assert text.startswith("Pig Stack Trace\n---------------\nERROR 1025: ")
    assert "Traceback (most recent call last)" in text and text.endswith("=" * 80 + "\n")
    assert "Traceback" not in err  # the screen keeps one line


def test_logfile_option_names_a_directory_or_a_file(work, capsys):
    logs = work / "logs"
    logs.mkdir()
    pig(capsys, "-l", str(logs), "-e", "DUMP nothing;")
    assert len(list(logs.glob("pig_*.log"))) == 1 and not list(work.glob("pig_*.log"))
    rc, _, err = pig(capsys, "-logfile", "my.log", "-e", "DUMP nothing;")
    assert rc != 0 and (work / "my.log").read_text().startswith("Pig Stack Trace")
    assert f"Details at logfile: {work / 'my.log'}" in err


def test_no_log_file_without_an_error(work, capsys):
    rc, _, _ = pig(capsys, "-e", "A = LOAD 'in.txt'; DUMP A;")
    assert rc == 0 and not list(work.glob("*.log"))


def test_verbose_shows_the_details_and_says_also(work, capsys):
    rc, _, err = pig(capsys, "-v", "-e", "DUMP nothing;")
    assert "Traceback" in err and "Details also at logfile: " in err


def test_an_internal_error_is_2999_and_says_how_to_see_the_traceback(work, capsys, monkeypatch):
    from piglatin import launcher

    def bug(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(launcher.PigServer, "register_script", bug)
    rc, _, err = pig(capsys, "-e", "A = LOAD 'in.txt';")
    lines = err.splitlines()
    assert rc == report.THROWABLE
    assert lines[0] == "ERROR 2999: Unexpected internal error. division by zero"
    assert "--debug" in err and "Traceback" not in err
    (log,) = work.glob("pig_*.log")
    assert "ZeroDivisionError" in log.read_text()


def test_a_missing_input_is_named_once(tmp_path) -> None:
    """ERROR 2118 in Hadoop's words, once: 'Input path does not exist: X' (it was followed by
    the same text again in parentheses); a glob that matches nothing says so."""
    import pytest

    from piglatin.errors import PigError
    from piglatin.launcher import run_script

    for path, words in (("nope.txt", "Input path does not exist"), ("no*.txt", "matches 0 files")):
        with pytest.raises(PigError) as caught:
            run_script(f"A = LOAD '{path}'; DUMP A;", exec_type="local", cwd=tmp_path)
        text = str(caught.value)
        assert caught.value.code == 2118
        assert words in text and text.count(path.split("*")[0]) == 1, text
