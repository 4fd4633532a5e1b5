"""Failed jobs as Pig 0.17 handles them: a failed job stops only what needs its output
(MapReduceLauncher: "job ... has failed! Stop running all dependent jobs"), the script goes
on unless -stop_on_failure (-F), and `pig` exits with Main.getReturnCodeForStats: FAILURE (2)
when no job succeeded, PARTIAL_FAILURE (3) when some did. The end-of-run summary has Pig's
Input(s) section (SimplePigStats.display, InputStats.getDisplayString)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from piglatin.tools import cli

ROWS = "1\t2\t3\n4\t5\t6\n7\t8\t9\n"


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").write_text(ROWS)
    return tmp_path


def pig(work: Path, script: str, capsys, *flags: str) -> tuple[int, str]:
    (work / "s.pig").write_text(script)
    rc = cli.main(["-x", "local", *flags, "s.pig"])
    return rc, capsys.readouterr().err


# a STORE whose job fails (the STREAM's command exits 1), then an `sh` (so the next STORE is
# in a batch of its own, as after Pig's executeBatch at an sh), then an independent STORE
FAIL_THEN_OTHER = (
    "A = LOAD 'in' AS (a:int, b:int, c:int);\n"
    "E = STREAM A THROUGH `false`;\nSTORE E INTO 'bad';\n"
    "sh true\n"
    "B = FOREACH A GENERATE a + b;\nSTORE B INTO 'good';\n"
)


def test_an_independent_store_after_a_failed_one_still_runs(work: Path, capsys) -> None:
    rc, err = pig(work, FAIL_THEN_OTHER, capsys)
    assert rc == 3, err  # PARTIAL_FAILURE: one job failed, one succeeded
    assert sorted((work / "good" / "part-m-00000").read_text().split()) == ["15", "3", "9"]
    assert not (work / "bad").exists()
    assert "Traceback" not in err
    assert "Some jobs have failed! Stop running all dependent jobs" in err
    assert "Ooops! Some job has failed! Specify -stop_on_failure" in err
    errors = [ln for ln in err.splitlines() if ln.startswith("ERROR ")]
    assert len(errors) == 1 and errors[0].startswith("ERROR 2055: "), err  # once, one line


@pytest.mark.parametrize("flag", ["-F", "-stop_on_failure"])
def test_stop_on_failure_ends_the_script_at_the_failed_job(work: Path, capsys, flag) -> None:
    # MapReduceLauncher.checkStopOnFailure throws ExecException 6017 ("JobID: <id> Reason:
    # <message>"), which reaches Main: PIG_EXCEPTION (6)
    rc, err = pig(work, FAIL_THEN_OTHER, capsys, flag)
    assert rc == 6, err
    assert not (work / "good").exists()
    errors = [ln for ln in err.splitlines() if ln.startswith("ERROR ")]
    assert len(errors) == 1 and errors[0].startswith("ERROR 6017: "), err
    assert re.search(r"JobID: job_\w+ Reason: .*exit status: 1", errors[0]), errors[0]


def test_a_store_that_reads_a_failed_output_is_not_run(work: Path, capsys) -> None:
    # the dependent STORE is skipped (not an 'Input path does not exist' error that ends
    # the script), the independent one after it runs
    script = FAIL_THEN_OTHER + (
        "D = LOAD 'bad' AS (x:int);\nSTORE D INTO 'copy';\n"
        "C = FOREACH A GENERATE c;\nSTORE C INTO 'third';\n"
    )
    rc, err = pig(work, script, capsys)
    assert rc == 3, err
    assert not (work / "copy").exists()
    assert (work / "third" / "_SUCCESS").exists()
    assert "ERROR 2118" not in err


def test_every_job_failing_is_failure(work: Path, capsys) -> None:
    script = (
        "A = LOAD 'in' AS (a:int);\nE = STREAM A THROUGH `false`;\nSTORE E INTO 'x';\n"
        "F = STREAM A THROUGH `false`;\nSTORE F INTO 'y';\n"
    )
    rc, err = pig(work, script, capsys)
    assert rc == 2, err
    assert "\nFailed!\n" in err
    assert err.count("Failed to produce result in") == 2


def inputs(err: str) -> list[str]:
    section = err.split("Input(s):\n", 1)[1]
    return section.split("\n\n", 1)[0].splitlines()


def test_summary_input_lines(work: Path, capsys) -> None:
    # InputStats.getDisplayString: 'Successfully read N records (B bytes) from: "loc"'
    script = "A = LOAD 'in' AS (a:int);\nB = FILTER A BY a > 1;\nSTORE B INTO 'o';\n"
    rc, err = pig(work, script, capsys)
    assert rc == 0, err
    size = len(ROWS.encode())
    assert inputs(err) == [f'Successfully read 3 records ({size} bytes) from: "{work}/in"']
    assert err.index("Input(s):") < err.index("Output(s):")


def test_summary_input_lines_of_a_sampled_and_a_failed_job(work: Path, capsys) -> None:
    # a sampling job's input is 'sampled' (InputStats.markSampleInput); a failed job's
    # input 'Failed to read data from "loc"'
    script = (
        "A = LOAD 'in' AS (a:int, b:int);\nB = ORDER A BY a PARALLEL 2;\nSTORE B INTO 'o';\n"
        "E = STREAM A THROUGH `false`;\nSTORE E INTO 'bad';\n"
    )
    rc, err = pig(work, script, capsys, "-M")
    assert rc == 3, err
    got = inputs(err)
    assert any(
        re.fullmatch(rf'Successfully sampled 3 records \(\d+ bytes\) from: "{work}/in"', g)
        for g in got
    ), got
    assert f'Successfully read 3 records ({len(ROWS)} bytes) from: "{work}/in"' in got
    assert f'Failed to read data from "{work}/in"' in got


def test_summary_inputs_of_a_join_count_each_file(work: Path, capsys) -> None:
    # a job of several inputs: each input's records (Pig's MultiInputCounters), no bytes;
    # three map tasks over 'in' (mapred.max.split.size) still count 3 records
    (work / "r").write_text("1\tx\n4\ty\n")
    script = (
        "A = LOAD 'in' AS (a:int);\nR = LOAD 'r' AS (a:int, s:chararray);\n"
        "J = JOIN A BY a, R BY a;\nSTORE J INTO 'o';\n"
    )
    rc, err = pig(work, script, capsys, "-Dmapreduce.input.fileinputformat.split.maxsize=7")
    assert rc == 0, err
    assert inputs(err) == [
        f'Successfully read 3 records from: "{work}/in"',
        f'Successfully read 2 records from: "{work}/r"',
    ]


BOOM = "@outputSchema('n:int')\ndef boom(n):\n    raise ValueError('no n wanted')\n"


@pytest.mark.parametrize(
    ("failing", "code"),
    [("STREAM A THROUGH `false`", "2055"), ("FOREACH A GENERATE f.boom(a)", "2997")],
)
def test_a_dump_whose_job_fails_stops_the_script_with_a_pig_exception(
    work: Path, capsys, failing: str, code: str
) -> None:
    # PigServer.openIterator throws (ERROR 1066 around the job's error) when the DUMP's job
    # fails: Main's PIG_EXCEPTION (6), not a failed job's count; the statements after it
    # do not run
    (work / "u.py").write_text(BOOM)
    script = (
        "REGISTER 'u.py' USING jython AS f;\n"
        "A = LOAD 'in' AS (a:int);\nSTORE A INTO 'first';\n"
        f"E = {failing};\nDUMP E;\nSTORE A INTO 'after';\n"
    )
    rc, err = pig(work, script, capsys)
    assert rc == 6, err
    assert (work / "first" / "_SUCCESS").exists() and not (work / "after").exists()
    errors = [ln for ln in err.splitlines() if ln.startswith("ERROR ")]
    assert len(errors) == 1 and errors[0].startswith(f"ERROR {code}: "), err
    assert "Traceback" not in err
