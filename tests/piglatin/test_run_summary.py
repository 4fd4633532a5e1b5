"""The `pig` command's end-of-run summary (Pig's SimplePigStats display): the records each
output received, counted independently from the files the job wrote (or the rows DUMP
printed), never from how the back end batches its writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from piglatin.tools import cli
# 9 rows, 2 distinct ORDER keys: a reducer that writes a key's rows in one go must still
# report 9 records
ROWS = "".join(f"{k}\t{s}\n" for k, s in zip("121212121", "abcdefghi", strict=True))


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text(ROWS)
    return tmp_path


def run_pig(args: list[str], capsys) -> tuple[int, str, str]:
    rc = cli.main(["-x", "local", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def stored(err: str) -> dict[str, int]:
    """Pig's Output(s) lines: ``Successfully stored N records (B bytes) in: "location"``."""
    found = re.findall(r'^Successfully stored (\d+) records \(\d+ bytes\) in: "(.*)"$', err, re.M)
    return {loc: int(n) for n, loc in found}


def lines_in(directory: Path) -> int:
    return sum(len(p.read_text().splitlines()) for p in directory.glob("part-*"))


@pytest.mark.parametrize("parallel", [1, 3])
def test_order_reports_every_row_it_stored(work, capsys, parallel):
    script = (
        f"SET default_parallel {parallel};\n"
        "A = LOAD 'in.txt' AS (k:int, s:chararray);\n"
        "B = ORDER A BY k;\n"
        "STORE B INTO 'sorted';\n"
    )
    (work / "q.pig").write_text(script)
    rc, _out, err = run_pig(["q.pig"], capsys)
    assert rc == 0, err
    assert lines_in(work / "sorted") == 9
    outputs = stored(err)
    assert list(outputs.values()) == [9], err
    assert next(iter(outputs)).endswith("sorted")


def test_distinct_and_group_outputs_count_their_rows(work, capsys):
    script = (
        "A = LOAD 'in.txt' AS (k:int, s:chararray);\n"
        "B = DISTINCT A;\n"
        "STORE B INTO 'distinct';\n"
        "C = GROUP A BY k;\n"
        "D = FOREACH C GENERATE FLATTEN(A);\n"
        "STORE D INTO 'flat';\n"
    )
    (work / "q.pig").write_text(script)
    rc, _out, err = run_pig(["q.pig"], capsys)
    assert rc == 0, err
    outputs = stored(err)
    assert sorted(outputs.values()) == [9, 9], err
    assert lines_in(work / "distinct") == lines_in(work / "flat") == 9


def test_dump_reports_the_rows_it_printed(work, capsys):
    script = "A = LOAD 'in.txt' AS (k:int); B = ORDER A BY k; DUMP B;"
    rc, out, err = run_pig(["-e", script], capsys)
    assert rc == 0, err
    assert len(out.splitlines()) == 9
    assert list(stored(err).values()) == [9], err


# ------------------------------------------------------------------ the Job Stats table
#: Pig 0.17's MRJobStats.SUCCESS_HEADER, copied from Pig's source.
PIG_HEADER = (
    "JobId Maps Reduces MaxMapTime MinMapTime AvgMapTime MedianMapTime MaxReduceTime "
    "MinReduceTime AvgReduceTime MedianReducetime Alias Feature Outputs"
).split()


def job_rows(err: str) -> list[dict[str, str]]:
    lines = err.splitlines()
    at = lines.index("Job Stats (time in seconds):")
    header = lines[at + 1].split("\t")
    assert header == PIG_HEADER
    rows = []
    for line in lines[at + 2 :]:
        if not line:
            break
        cells = line.split("\t")
        assert len(cells) == len(header), line
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def test_a_group_job_names_the_aliases_it_computes_and_its_features(work, capsys):
    script = (
        "A = LOAD 'in.txt' AS (k:int, s:chararray);\n"
        "B = FILTER A BY k > 0;\n"
        "C = GROUP B BY k;\n"
        "D = FOREACH C GENERATE group, COUNT(B);\n"
        "STORE D INTO 'counts';\n"
    )
    (work / "q.pig").write_text(script)
    rc, _out, err = run_pig(["q.pig"], capsys)
    assert rc == 0, err
    [job] = job_rows(err)
    assert job["JobId"].startswith("job_")
    assert (job["Maps"], job["Reduces"]) == ("1", "1")
    assert job["Alias"] == "A,B,C,D"  # Pig sorts a job's aliases
    assert job["Feature"] == "GROUP_BY,COMBINER"
    assert job["Outputs"] == f"{work / 'counts'},"
    assert job["MaxReduceTime"].isdigit()  # the reduce task times (whole seconds), as Pig
    assert all(job[c].isdigit() for c in ("MaxMapTime", "MinMapTime", "AvgMapTime"))


def test_join_order_and_replicated_jobs_name_their_features(work, capsys):
    (work / "names.txt").write_text("1\tone\n2\ttwo\n")
    script = (
        "SET default_parallel 2;\n"
        "A = LOAD 'in.txt' AS (k:int, s:chararray);\n"
        "N = LOAD 'names.txt' AS (k:int, name:chararray);\n"
        "J = JOIN A BY k, N BY k;\n"
        "STORE J INTO 'joined';\n"
        "R = JOIN A BY k, N BY k USING 'replicated';\n"
        "STORE R INTO 'replicated';\n"
        "S = ORDER A BY s DESC;\n"
        "STORE S INTO 'sorted';\n"
    )
    (work / "q.pig").write_text(script)
    rc, _out, err = run_pig(["q.pig"], capsys)
    assert rc == 0, err
    jobs = [(r["Alias"], r["Feature"], r["Reduces"]) for r in job_rows(err)]
    assert jobs == [
        ("A,J,N", "HASH_JOIN", "2"),
        ("A,N,R", "REPLICATED_JOIN,MAP_ONLY", "0"),
        ("A,S", "SAMPLER,MAP_ONLY", "0"),  # the cut points of the 2-reducer sort
        ("A,S", "ORDER_BY", "2"),
    ]
    assert sorted(stored(err).values()) == [9, 9, 9]
