"""A DISTINCT's map side written inline by the generated pipeline (`codegen.DistinctTail`):
a row this task already wrote is skipped, first by the row itself when its values are of
the types whose Python equality is Pig's, then by its sort bytes. A pre-filter only (the
reduce side keeps one row per key), so what must hold: every distinct row reaches the
output once, and a row Pig tells apart from an earlier one (False after 0) is never dropped.
Expected rows come from plain Python."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import DistinctTail, RecordSource, generate_map_pipeline
from piglatin.launcher import run_script
from piglatin.model import data


def distinct_map(limit: int):
    """The generated map function of a one-column input whose tail is a `DistinctTail`
    (sort bytes as keys, repr as the packing); every row is already its tuple."""
    tail = DistinctTail(data.sort_bytes, repr, set(), set(), limit)
    pipeline = generate_map_pipeline(
        "map0_batch",
        RecordSource(1, parse=lambda v: v),
        (),
        (),
        lambda t: [("closure", t)],
        None,
        lambda i: lambda t: [("closure", t)],
        keyed=tail,
    )
    return pipeline.function()


def test_a_row_python_takes_for_an_earlier_one_but_pig_does_not_is_written() -> None:
    rows = [(0,), (False,), (0,), ("a",), ("a",), (False,), (1,), (1.0,), (None,), (None,)]
    out = distinct_map(100)(None, rows)
    # one record per row Pig tells apart (its sort bytes): 0 and False are two rows
    want = {}
    for r in rows:
        want.setdefault(data.sort_bytes(r), r)
    assert [v for _, v in out] == [repr(r) for r in want.values()]
    assert [k for k, _ in out] == list(want)
    assert (False,) in want.values()


def test_past_the_limit_rows_still_leave_the_map() -> None:
    out = distinct_map(2)(None, [("a",), ("b",), ("c",), ("c",), ("a",)])
    assert [v for _, v in out] == [repr((x,)) for x in "abcc"]  # c not remembered: sent twice


FIELD = st.sampled_from(["", "a", "b", "é", "7", "-1", "07", "x y"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(FIELD, FIELD), min_size=1, max_size=40))
def test_distinct_rows_are_plain_pythons(rows: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "in.txt").write_text("".join(f"{a}\t{b}\n" for a, b in rows))
        script = """A = LOAD 'in.txt' AS (s:chararray, n:int);
            B = DISTINCT A;
            STORE B INTO 'out';"""
        assert (
            run_script(script, exec_type="local", cwd=path, filename="t.pig", out=io.StringIO())
            == 0
        )
        got = sorted(
            line
            for part in sorted((path / "out").glob("part-*"))
            for line in part.read_text().splitlines()
        )

    def as_int(text: str) -> str:
        try:
            return str(int(text))
        except ValueError:
            return ""

    assert got == sorted({f"{a}\t{as_int(b)}" for a, b in rows})
