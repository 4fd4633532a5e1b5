"""The `pig` command: options, Pig-style errors with a caret, exit codes, parameter
substitution and the end-of-run summary.  Expected rows are worked out by hand from
the input files; expected messages from Pig's documented formats."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from piglatin.tools import cli, report

ROWS = "1\ta\n2\tb\n3\tc\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text(ROWS)
    return tmp_path


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path.name)


def run_main(args, capsys):
    rc = cli.main(args)
    out, err = capsys.readouterr()
    return rc, out, err


# ------------------------------------------------------------------ running scripts
def test_script_dumps_rows_and_prints_summary(work, capsys):
    script = write(
        work / "q.pig",
        "A = LOAD 'in.txt' AS (n:int, s:chararray);\nB = FILTER A BY n > 1;\nDUMP B;\n",
    )
    rc, out, err = run_main(["-x", "local", script], capsys)
    assert rc == 0
    assert out.splitlines() == ["(2,b)", "(3,c)"]
    assert "Success!" in err
    header = next(ln for ln in err.splitlines() if ln.startswith("JobId"))
    assert header.split("\t")[:4] == ["JobId", "Maps", "Reduces", "MaxMapTime"]
    job = err.splitlines()[err.splitlines().index(header) + 1].split("\t")
    assert job[0].startswith("job_") and job[1:3] == ["1", "0"]  # map-only
    assert job[-3:-1] == ["A,B", "MAP_ONLY"]
    assert "Successfully stored 2 records" in err  # the DUMP's 2 rows
    assert "Traceback" not in err


def test_group_count_job_reports_reduces(work, capsys):
    args = [
        "-x",
        "local",
        "-e",
        "A = LOAD 'in.txt' AS (n:int); B = GROUP A ALL;",
        "C = FOREACH B GENERATE COUNT(A); DUMP C;",
    ]
    rc, out, err = run_main(args, capsys)
    assert rc == 0 and out.splitlines() == ["(3)"]
    job = next(ln for ln in err.splitlines() if ln.startswith("job_")).split("\t")
    assert job[2] == "1" and job[-2] == "GROUP_BY,COMBINER"  # one reduce
    assert "Successfully stored 1 records" in err  # one output record


@pytest.mark.parametrize("flag", ["-param", "-p"])
def test_param_substitution(work, capsys, flag):
    script = write(
        work / "q.pig",
        "A = LOAD '$input' AS (n:int, s:chararray);\nB = FILTER A BY n >= $min;\nDUMP B;\n",
    )
    rc, out, _ = run_main(["-x", "local", flag, "input=in.txt", flag, "min=3", script], capsys)
    assert rc == 0 and out.splitlines() == ["(3,c)"]


def test_param_file_and_precedence(work, capsys):
    (work / "p.txt").write_text("min = 1\ninput = in.txt\n")
    script = write(
        work / "q.pig", "A = LOAD '$input' AS (n:int);\nB = FILTER A BY n > $min;\nDUMP B;\n"
    )
    # -param wins over -param_file (Pig's parameter precedence)
    rc, out, _ = run_main(
        ["-x", "local", "-param_file", "p.txt", "-param", "min=2", script], capsys
    )
    assert rc == 0 and out.splitlines() == ["(3)"]
    rc, out, _ = run_main(["-x", "local", "-m", "p.txt", script], capsys)
    assert rc == 0 and out.splitlines() == ["(2)", "(3)"]


def test_dryrun_writes_the_substituted_script(work, capsys):
    # Pig's Main: the substituted text goes to <script>.substituted; -e's is printed
    script = write(work / "q.pig", "A = LOAD '$input';\n")
    rc, out, _ = run_main(["-dryrun", "-param", "input=data/x", script], capsys)
    assert rc == 0 and out == ""
    assert Path(script + ".substituted").read_text().strip() == "A = LOAD 'data/x';"
    rc, out, _ = run_main(["-dryrun", "-param", "input=data/x", "-e", "A = LOAD '$input';"], capsys)
    assert rc == 0 and out.strip() == "A = LOAD 'data/x';"


def test_check_reports_syntax_ok(work, capsys):
    script = write(work / "q.pig", "A = LOAD 'in.txt' AS (n:int);\nB = FILTER A BY n > 1;\n")
    rc, out, _ = run_main(["-c", script], capsys)
    assert rc == 0 and out.strip() == "q.pig syntax OK"


# -------------------------------------------------------------------------- errors
def test_field_error_has_location_line_and_caret(work, capsys):
    text = "A = LOAD 'in.txt' AS (n:int, s:chararray);\n\nB = FOREACH A GENERATE n, nme;\nDUMP B;\n"
    script = write(work / "bad.pig", text)
    rc, out, err = run_main(["-x", "local", script], capsys)
    lines = err.splitlines()
    col = text.splitlines()[2].index("nme")  # 0-based, as Pig prints it
    assert lines[0].startswith(f"ERROR 1025: <file bad.pig, line 3, column {col}> ")
    assert "Projected field [nme] does not exist" in lines[0]
    src = lines.index("B = FOREACH A GENERATE n, nme;")
    assert lines[src + 1] == " " * col + "^"
    assert rc == report.PIG_EXCEPTION and out == "" and "Traceback" not in err


def test_syntax_error_exit_status(work, capsys):
    script = write(work / "bad.pig", "A = LOAD 'in.txt' AS (n:int);\nB = FILTR A BY n > 1;\n")
    rc, _, err = run_main(["-x", "local", script], capsys)
    assert rc == report.PARSE_EXCEPTION
    assert err.startswith("ERROR 1200: <file bad.pig, line 2")
    assert "Traceback" not in err


def test_undefined_parameter_names_it(work, capsys):
    script = write(work / "q.pig", "A = LOAD '$nowhere';\n")
    rc, _, err = run_main(["-x", "local", script], capsys)
    assert rc != 0 and "Undefined parameter : nowhere" in err.splitlines()[0]


def test_debug_adds_the_traceback(work, capsys):
    script = write(work / "bad.pig", "A = LOAD 'in.txt' AS (n:int);\nB = FOREACH A GENERATE x;\n")
    rc, _, err = run_main(["-x", "local", "--debug", script], capsys)
    assert rc == report.PIG_EXCEPTION and "Traceback" in err and err.startswith("ERROR 1025")


def test_unexpected_error_is_2999(work, capsys, monkeypatch):
    from piglatin import launcher

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(launcher.PigServer, "register_script", boom)
    rc, _, err = run_main(["-x", "local", "-e", "A = LOAD 'in.txt';"], capsys)
    assert rc == report.THROWABLE
    assert err.splitlines()[0] == "ERROR 2999: Unexpected internal error. boom"
    assert "Traceback" not in err


def test_missing_input_fails_the_job(work, capsys):
    rc, _, err = run_main(["-x", "local", "-e", "A = LOAD 'nope.txt'; DUMP A;"], capsys)
    assert rc != 0 and "nope.txt" in err and "Failed!" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-bogus"], "Unknown option -bogus"),
        (["-x", "yarn", "q.pig"], "Unknown exec type 'yarn'"),
        (["missing.pig"], "Can not find script file missing.pig"),
        (["-param"], "needs a value"),
        (["-D", "novalue", "q.pig"], "expected -D key=value"),
    ],
)
def test_bad_command_lines(work, capsys, args, needle):
    rc, _, err = run_main(args, capsys)
    assert rc == report.ILLEGAL_ARGS and needle in err and len(err.splitlines()) == 1


def test_version_and_help(capsys):
    rc, out, _ = run_main(["-version"], capsys)
    assert rc == 0 and out.startswith("Apache Pig version 0.17.0")
    rc, out, _ = run_main(["-h"], capsys)
    assert rc == 0 and "-param_file" in out and "-x, -exectype" in out
    rc, out, _ = run_main(["-h", "properties"], capsys)
    assert rc == 0 and "pig.optimizer.rules.disabled" in out


def test_parse_args_forms():
    opts = cli.parse_args(
        [
            "-exectype",
            "local",
            "-Dmapreduce.job.reduces=3",
            "-D",
            "a=b=c",
            "-t",
            "PushUpFilter",
            "-optimizer_off",
            "MergeFilter",
            "-f",
            "x.pig",
        ]
    )
    assert opts.exectype == "local" and opts.file == "x.pig"
    assert opts.defines == {"mapreduce.job.reduces": "3", "a": "b=c"}
    assert opts.optimizer_off == ["PushUpFilter", "MergeFilter"]
    assert cli.parse_args(["-e", "fs", "-ls", "/"]).execute == "fs -ls /"


def test_property_file(tmp_path):
    (tmp_path / "p.properties").write_text("# c\njob.name=demo\ndefault_parallel 2\n")
    assert cli.read_properties(str(tmp_path / "p.properties")) == {
        "job.name": "demo",
        "default_parallel": "2",
    }


# ---------------------------------------------------------------------- subprocess
def _pig(args, cwd, **kw):
    return subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
        env={**os.environ},
        **kw,
    )


def test_subprocess_run_and_error(work):
    (work / "q.pig").write_text("A = LOAD 'in.txt' AS (n:int);\nB = FILTER A BY n < 2;\nDUMP B;\n")
    done = _pig(["-x", "local", "q.pig"], work)
    assert done.returncode == 0 and done.stdout.splitlines() == ["(1)"]
    (work / "bad.pig").write_text("A = LOAD 'in.txt' AS (n:int);\nDUMP Z;\n")
    done = _pig(["-x", "local", "bad.pig"], work)
    assert done.returncode == report.PIG_EXCEPTION and done.stdout == ""
    assert (
        done.stderr.startswith("ERROR 1003: <file bad.pig, line 2")
        and "Traceback" not in done.stderr
    )


def test_optimizer_off_flag_changes_the_plan(work):
    script = (
        "A = LOAD 'in.txt' AS (n:int, s:chararray); B = FILTER A BY n > 1;"
        " C = FILTER B BY n < 3; EXPLAIN C;"
    )
    on = _pig(["-x", "local", "-e", script], work)
    off = _pig(["-x", "local", "-t", "MergeFilter", "-e", script], work)
    assert on.returncode == 0 and off.returncode == 0
    logical = lambda text: text.split("# Physical Plan")[0]  # noqa: E731
    assert logical(on.stdout).count("LOFilter") == 1  # merged into one AND
    assert logical(off.stdout).count("LOFilter") == 2


def test_optimizer_off_flag_keeps_a_group_on_the_join_key_in_its_own_job(work):
    script = (
        "A = LOAD 'in.txt' AS (n:int, s:chararray); B = LOAD 'in.txt' AS (n:int, s:chararray);"
        " C = JOIN A BY n, B BY n; D = GROUP C BY A::n; E = FOREACH D GENERATE group, COUNT(C);"
        " EXPLAIN E;"
    )
    on = _pig(["-x", "local", "-e", script], work)
    off = _pig(["-x", "local", "-t", "JoinGroupFusion", "-e", script], work)
    prop = "-Dpig.optimizer.rules.disabled=PushUpFilter,JoinGroupFusion"
    off_by_property = _pig(["-x", "local", prop, "-e", script], work)
    assert on.returncode == 0 and off.returncode == 0, off.stderr
    assert off_by_property.returncode == 0, off_by_property.stderr
    assert "in the join's reduce" in on.stdout
    for unfused in (off.stdout, off_by_property.stdout):
        assert "in the join's reduce" not in unfused
        assert unfused.count("MapReduce node") == on.stdout.count("MapReduce node") + 1


def test_mapreduce_mode_on_the_embedded_cluster(work):
    """`-x mapreduce` (the default) reads and writes the cluster's DFS."""
    put = _pig(["-e", "fs -put in.txt /cli_in.txt"], work)
    assert put.returncode == 0, put.stderr
    script = "A = LOAD '/cli_in.txt' AS (n:int, s:chararray); B = FILTER A BY n != 2; DUMP B;"
    done = _pig(["-e", script], work)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == ["(1,a)", "(3,c)"]
    assert "Success!" in done.stderr


def test_an_unformatted_cluster_is_a_remote_environment_error_not_an_internal_one(
    work, capsys, monkeypatch
):
    """`pig -x mapreduce` on a state directory nobody formatted: one line naming the way out."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(work / "never-formatted"))
    rc, _, err = run_main(["-e", "A = LOAD '/x' AS (n:int); DUMP A;"], capsys)
    assert rc != report.SUCCESS
    line = next(ln for ln in err.splitlines() if ln.startswith("ERROR"))  # after INFO lines
    assert line.startswith("ERROR 6000: NameNode is not formatted"), err
    assert "hadoop namenode -format" in line and "ERROR 2999" not in err
    assert "Traceback" not in err
