"""ORDER BY read only by a LIMIT of a constant N is a limited sort (`topn.TopRecords`): each
map task sends only its first N records in sort order. The rows must be those of the full
sort: plain Python's stable sort of the input (nulls first ascending, last descending, as Pig
orders them), first N, ties in input order; over several map tasks, N = 0 and N past the
number of rows included. Expected rows come from plain Python."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer, explain_text

ROWS = st.lists(
    st.tuples(st.sampled_from([None, 1, 2, 3, 10, -4]), st.sampled_from(["a", "b", "c", "d"])),
    min_size=0,
    max_size=60,
)


def fmt(v) -> str:
    return "" if v is None else str(v)


def run(rows: list, n: int, desc: bool) -> tuple[list[str], list[str]]:
    """The stored lines and each job's kind."""
    direction = "DESC" if desc else "ASC"
    script = f"""SET mapreduce.input.fileinputformat.split.maxsize 64;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        B = ORDER A BY k {direction};
        C = LIMIT B {n};
        STORE C INTO 'out';"""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "in.txt").write_text("".join(f"{fmt(k)}\t{s}\n" for k, s in rows))
        with PigServer("local", cwd=path, out=io.StringIO()) as pig:
            pig.register_script(script)
            kinds = [s["kind"] for s in pig.stats]
        lines: list[str] = []
        for part in sorted((path / "out").glob("part-*")):
            lines += part.read_text().splitlines()
    return lines, kinds


def expected(rows: list, n: int, desc: bool) -> list[str]:
    if desc:  # nulls last, larger first; ties in input order
        order = sorted(rows, key=lambda r: (r[0] is None, -(r[0] or 0)))
    else:  # nulls first
        order = sorted(rows, key=lambda r: (r[0] is not None, r[0] or 0))
    return [f"{fmt(k)}\t{s}" for k, s in order[:n]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, n=st.integers(0, 70), desc=st.booleans())
def test_limited_sort_gives_the_first_rows_of_the_full_sort(rows, n, desc) -> None:
    lines, kinds = run(rows, n, desc)
    assert lines == expected(rows, n, desc)
    assert kinds == ["order", "limit"]


def test_the_order_job_sends_at_most_n_rows_a_map(tmp_path: Path) -> None:
    rows = [(i % 7, "x") for i in range(300)]
    (tmp_path / "in.txt").write_text("".join(f"{k}\t{s}\n" for k, s in rows))
    script = """SET mapreduce.input.fileinputformat.split.maxsize 400;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        B = ORDER A BY k;
        C = LIMIT B 5;
        STORE C INTO 'out';"""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
        order = pig.stats[0]
    maps = order["maps"]
    sent = order["counters"].to_dict()["Map-Reduce Framework"]["Map output records"]
    assert maps > 1 and sent <= 5 * maps
    assert (tmp_path / "out" / "part-r-00000").read_text() == "0\tx\n" * 5
    assert "limited sort: at most 5 rows a map" in explain_text(script, cwd=str(tmp_path))
