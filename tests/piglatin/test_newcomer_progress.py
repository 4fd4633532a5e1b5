"""Issue 16 item 5: `pig` reports its jobs as they go, with Pig's MapReduceLauncher lines
at INFO on stderr: `N map-reduce job(s) waiting for submission.`, then for each job
`HadoopJobId: job_...`, `Processing aliases ...`, `detailed locations: M: ... C: ... R: ...`,
and `N% complete` (every 4 points at most) up to `100% complete`. stdout carries only the
rows; `-d WARN` silences the lines and `-brief` drops the timestamps (Pig's -b)."""

from __future__ import annotations

import re

import pytest

from piglatin.tools import cli
from piglatin.tools.progress import JobProgress

GROUP = (
    "A = LOAD 'in.txt' AS (n:int, s:chararray);\n"
    "B = GROUP A BY s;\n"
    "C = FOREACH B GENERATE group, COUNT(A);\n"
    "DUMP C;\n"
)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\ta\n2\tb\n3\ta\n")
    (tmp_path / "q.pig").write_text(GROUP)
    return tmp_path


def progress_lines(err: str) -> list[str]:
    return [
        ln.split(" - ", 1)[1]
        for ln in err.splitlines()
        if " INFO  piglatin.tools.progress - " in ln
    ]


def test_a_job_is_named_as_it_starts_and_its_progress_reported(work, capsys):
    assert cli.main(["-x", "local", "q.pig"]) == 0
    out, err = capsys.readouterr()
    assert sorted(out.splitlines()) == ["(a,2)", "(b,1)"]  # stdout: the rows only
    lines = progress_lines(err)
    assert lines[0] == "1 map-reduce job(s) waiting for submission."
    assert re.fullmatch(r"HadoopJobId: job_\w+", lines[1])
    assert lines[2] == "Processing aliases A,B,C"
    # alias[line,column]: A is on line 1, the GROUP (B) and FOREACH (C) run at the reduce
    assert lines[3] == "detailed locations: M: A[1,4] C: B[2,4],C[3,4] R: B[2,4],C[3,4]"
    percents = [int(ln.split("%")[0]) for ln in lines if ln.endswith("% complete")]
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(set(percents))
    # every line is Pig's console layout: date [thread] LEVEL logger - message
    first = next(ln for ln in err.splitlines() if "waiting for submission" in ln)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[\w+\] INFO  piglatin", first)
    assert err.index("100% complete") < err.index("Success!")


def test_a_chain_of_jobs_counts_them_all(work, capsys):
    script = (
        "A = LOAD 'in.txt' AS (n:int, s:chararray); B = GROUP A BY s;"
        " C = FOREACH B GENERATE group, COUNT(A) AS c; D = GROUP C BY c;"
        " E = FOREACH D GENERATE group, COUNT(C); DUMP E;"
    )
    assert cli.main(["-x", "local", "-e", script]) == 0
    lines = progress_lines(capsys.readouterr().err)
    jobs = int(lines[0].split()[0])
    assert jobs == 2  # two GROUPs: two jobs, the second reads the first's output
    assert len([ln for ln in lines if ln.startswith("HadoopJobId: ")]) == jobs
    percents = [int(ln.split("%")[0]) for ln in lines if ln.endswith("% complete")]
    assert percents == sorted(set(percents)) and percents[-1] == 100
    assert any(0 < p < 100 for p in percents)  # the chain's middle is reported


def test_warn_level_and_brief(work, capsys):
    assert cli.main(["-x", "local", "-d", "WARN", "q.pig"]) == 0
    assert "complete" not in capsys.readouterr().err
    assert cli.main(["-x", "local", "-b", "q.pig"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "1 map-reduce job(s) waiting for submission." in err  # the bare message
    assert "100% complete" in err


def test_percent_steps_like_pigs_notify_progress(caplog):
    """Pig logs when the whole moved by at least 4 points; a job with reducers counts
    its map and reduce halves; 100% once, when the chain is done."""

    class Job:
        reducers = 1

    news = JobProgress()
    news.total, news.job = 2, None
    caplog.set_level("INFO", logger="piglatin.tools.progress")
    news.job = type("J", (), {"aliases": "A", "locations": "M: ", "reducers": 1})()
    for m, r in [(0, 0), (0.02, 0), (0.2, 0), (1, 0), (1, 0.5), (1, 1)]:
        news.progress("job_1", m, r)
    news.job_done({})
    news.job_id, news.job.reducers = None, 0
    news.progress("job_2", 0.5, 0)
    news.job_done({})
    said = [r.getMessage() for r in caplog.records if r.getMessage().endswith("complete")]
    assert said == [
        "0% complete",
        "5% complete",
        "25% complete",
        "37% complete",
        "50% complete",
        "75% complete",
        "100% complete",
    ]
