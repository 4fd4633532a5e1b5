"""Issue 16, trying `pig` as a newcomer: a mistyped statement keyword (`DUPM A;`,
`DESCRBE A;`) is named as such with the closest statement word (it said "macros (DEFINE ...
RETURNS, IMPORT) are not supported"), and a script file that is not UTF-8 text is a clear
error about that file (it was ERROR 2999: Unexpected internal error)."""

from __future__ import annotations

import pytest

from piglatin.tools import cli, report


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\n2\n")
    return tmp_path


def error_line(err: str) -> str:
    return next(ln for ln in err.splitlines() if ln.startswith("ERROR"))


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("DUPM", "DUMP"),
        ("DESCRBE", "DESCRIBE"),
        ("dumpp", "DUMP"),
        ("ilustrate", "ILLUSTRATE"),
        ("explian", "EXPLAIN"),
        ("STOR", "STORE"),
    ],
)
def test_a_mistyped_statement_keyword_suggests_the_keyword(work, capsys, typo, meant):
    rest = " INTO 'out';" if meant == "STORE" else ";"
    rc = cli.main(["-x", "local", "-e", f"A = LOAD 'in.txt';\n{typo} A{rest}"])
    err = capsys.readouterr().err
    line = error_line(err)
    assert rc == report.PARSE_EXCEPTION
    assert line.startswith("ERROR 1200: <line 2, column 0> ")
    assert f"'{typo}' is not a Pig statement" in line and f"Did you mean '{meant}'?" in line
    assert "macro" not in line


def test_a_script_that_is_not_utf8_is_named(work, capsys):
    (work / "latin1.pig").write_bytes(b"A = LOAD 'in.txt'; -- caf\xe9\nDUMP A;\n")
    rc = cli.main(["-x", "local", "latin1.pig"])
    err = capsys.readouterr().err
    assert rc == report.ILLEGAL_ARGS and "ERROR 2999" not in err
    assert "latin1.pig" in err and "not UTF-8" in err and "line 1" in err


@pytest.mark.parametrize("flag", ["-c", "-r"])
def test_check_or_dryrun_without_a_script_is_a_usage_error(work, capsys, flag):
    """Pig: "-c (-check) option is only valid when executing pig with a pig script file";
    here -r started the interactive shell instead."""
    rc = cli.main(["-x", "local", flag])
    err = capsys.readouterr().err
    assert rc == report.ILLEGAL_ARGS and "needs a script" in err


def test_an_unwritable_log_file_is_a_warning_in_log4j_words(work, capsys):
    rc = cli.main(["-x", "local", "-l", str(work / "no" / "such" / "x.log"), "-e", "DUMP Z;"])
    err = capsys.readouterr().err
    assert rc == report.PIG_EXCEPTION and "ERROR 1003" in err
    warn = next(ln for ln in err.splitlines() if "Could not write to log file" in ln)
    assert " WARN  piglatin" in warn and "Details at logfile" not in err


@pytest.mark.parametrize(
    ("statement", "needle", "column"),
    [
        ("STORE A INTO 'out' USING NoSuchStorage();", "Could not resolve NoSuchStorage", 0),
        ("STORE A INTO 'out' USING PigStorag(',');", "did you mean PigStorage?", 0),
        (
            "B = LOAD 'in.txt' USING PigStorage(',', 'x', 'y'); DUMP B;",
            "could not instantiate 'PigStorage'",
            4,
        ),
        ("B = LOAD 'in.txt' USING PigStorage('ab'); DUMP B;", "single character", 4),
    ],
)
def test_a_bad_load_or_store_function_is_found_before_any_job(
    work, capsys, statement, needle, column
):
    """Pig instantiates LOAD/STORE functions when it builds the plan: an unknown one is
    ERROR 1070 at the statement, not a task failing four times (as it was)."""
    rc = cli.main(["-x", "local", "-e", f"A = LOAD 'in.txt';\n{statement}"])
    err = capsys.readouterr().err
    line = error_line(err)
    assert needle in line and f"<line 2, column {column}>" in line, err
    assert "job_" not in err and "attempt" not in err  # no job ran
    assert rc == report.PIG_EXCEPTION and not (work / "out").exists()


@pytest.mark.parametrize(
    ("typed", "meant"), [("integer", "int"), ("string", "chararray"), ("chararay", "chararray")]
)
def test_a_wrong_type_name_lists_pigs_types(work, capsys, typed, meant):
    rc = cli.main(["-x", "local", "-e", f"A = LOAD 'in.txt' AS (n:{typed}); DUMP A;"])
    line = error_line(capsys.readouterr().err)
    assert rc == report.PARSE_EXCEPTION
    assert f"'{typed}' is not a Pig type" in line and f"Did you mean '{meant}'?" in line
    assert "_T" not in line  # no grammar token names (it listed BOOLEAN_T, CHARARRAY_T, ...)


def test_a_bad_parameter_file_shows_its_own_line_not_the_scripts(work, capsys):
    (work / "p.txt").write_text("no equals sign here\n")
    rc = cli.main(["-x", "local", "-m", "p.txt", "-e", "A = LOAD 'in.txt';"])
    err = capsys.readouterr().err
    assert rc == report.PIG_EXCEPTION and "<file p.txt, line 1>" in err
    assert "A = LOAD 'in.txt';" not in err  # that line is the script's, not p.txt's


def test_run_of_a_missing_script_names_it(work, capsys):
    rc = cli.main(["-x", "local", "-e", "run nowhere.pig;"])
    line = error_line(capsys.readouterr().err)
    assert rc == report.PIG_EXCEPTION
    assert line.startswith("ERROR 101: run: script file 'nowhere.pig' does not exist")


def test_an_unknown_optimizer_rule_is_refused_with_the_closest(work, capsys):
    """`-t PushUpFiltr` turned nothing off, silently."""
    rc = cli.main(["-x", "local", "-t", "PushUpFiltr", "-e", "A = LOAD 'in.txt'; DUMP A;"])
    err = capsys.readouterr().err
    assert rc == report.ILLEGAL_ARGS
    assert "Unknown optimizer rule 'PushUpFiltr'" in err and "Did you mean 'PushUpFilter'?" in err
    assert cli.parse_args(["-t", "pushupfilter", "-t", "All,ConstantCalculator"]).optimizer_off == [
        "pushupfilter",
        "All",
        "ConstantCalculator",
    ]


def test_a_python_file_given_as_the_script_says_how_to_use_it(work, capsys):
    """Pig runs `pig x.py` as an embedded (Jython) script; here it was parsed as Pig Latin
    and failed on its first line with a syntax error."""
    (work / "udfs.py").write_text("def f(x):\n    return x\n")
    rc = cli.main(["-x", "local", "udfs.py"])
    err = capsys.readouterr().err
    assert rc == report.ILLEGAL_ARGS and "1200" not in err
    assert "udfs.py is a Python file" in err and "REGISTER 'udfs.py' USING jython" in err


@pytest.mark.parametrize(
    ("script", "needle"),
    [
        ("A = LOAD 'in.txt' AS (n:int); B = FILTER A BY n = 1; DUMP B;", "compare values with =="),
        ("A = LOAD 'in.txt' AS (n:int) B = LIMIT A 1; DUMP B;", "missing ';' at the end of"),
    ],
)
def test_sql_habits_get_a_pig_answer(work, capsys, script, needle):
    """`= 1` in a condition listed 17 expected tokens; a missing `;` between two statements
    on one line listed `$END, ')', ',', ';', PARALLEL`."""
    rc = cli.main(["-x", "local", "-e", script])
    line = error_line(capsys.readouterr().err)
    assert rc == report.PARSE_EXCEPTION and needle in line and "$END" not in line
