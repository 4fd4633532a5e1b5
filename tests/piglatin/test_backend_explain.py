"""EXPLAIN of the back end: which operators run in which job's map, combine and reduce stage."""

from __future__ import annotations

import re

from piglatin.launcher import explain_text


def _jobs(text: str) -> list[str]:
    """The blocks of the MapReduce plan, one per job."""
    mr = text.split("# Map Reduce Plan", 1)[1]
    return [b for b in re.split(r"\n(?=MapReduce node )", mr) if b.strip().startswith("MapReduce")]


def _section(block: str, name: str) -> str:
    m = re.search(rf"^{name} Plan\n((?:\|.*\n?)*)", block, re.MULTILINE)
    return m.group(1) if m else ""


def test_group_count_runs_count_in_the_combiner(tmp_path) -> None:
    text = explain_text(
        "A = LOAD 'a' AS (w:chararray);\nB = GROUP A BY w;\n"
        "C = FOREACH B GENERATE group, COUNT(A);\nSTORE C INTO 'out';",
        cwd=str(tmp_path),
    )
    (job,) = _jobs(text)
    assert "COUNT" in _section(job, "Combine")
    assert "COUNT" in _section(job, "Reduce") and "POCogroup" in _section(job, "Reduce")
    assert "POLoad" in _section(job, "Map")


def test_non_algebraic_foreach_has_no_combiner(tmp_path) -> None:
    text = explain_text(
        "A = LOAD 'a' AS (w:chararray, n:int);\nB = GROUP A BY w;\n"
        "C = FOREACH B GENERATE group, TOP(1, 1, A);\nDUMP C;",
        cwd=str(tmp_path),
    )
    (job,) = _jobs(text)
    assert _section(job, "Combine") == ""


def test_three_way_replicated_join_is_one_map_only_job(tmp_path) -> None:
    text = explain_text(
        "A = LOAD 'a' AS (k:int, x:int);\nB = LOAD 'b' AS (k:int, y:int);\n"
        "C = LOAD 'c' AS (k:int, z:int);\n"
        "D = JOIN A BY k, B BY k, C BY k USING 'replicated';\nDUMP D;",
        cwd=str(tmp_path),
    )
    (job,) = _jobs(text)
    assert "map-only" in job.splitlines()[0]
    assert _section(job, "Reduce") == ""
    assert "B" in job and "C" in job and "POJoin" in _section(job, "Map")


def test_hash_join_then_order_is_a_chain_of_jobs(tmp_path) -> None:
    text = explain_text(
        "A = LOAD 'a' AS (k:int);\nB = LOAD 'b' AS (k:int);\n"
        "C = JOIN A BY k, B BY k;\nD = ORDER C BY A::k;\nDUMP D;",
        cwd=str(tmp_path),
    )
    jobs = _jobs(text)
    assert len(jobs) == 2
    assert "POJoin" in _section(jobs[0], "Reduce") and "POSort" in _section(jobs[1], "Reduce")
    assert "# New Logical Plan" in text and "# Physical Plan" in text


def test_order_on_several_reducers_samples_first(tmp_path) -> None:
    text = explain_text(
        "A = LOAD 'a' AS (k:int);\nB = ORDER A BY k PARALLEL 3;\nDUMP B;", cwd=str(tmp_path)
    )
    sample, order = _jobs(text)
    assert "map-only" in sample.splitlines()[0] and "ORDER BY keys" in sample.splitlines()[0]
    assert "3 reducer(s)" in order.splitlines()[0] and "POSort" in _section(order, "Reduce")
