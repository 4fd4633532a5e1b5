"""A combined GROUP's reduce rows made straight from a group's key and finals
(`aggregates._row_shape`: ``GENERATE group, <calls>``, ``GENERATE <calls>``, ``GENERATE
FLATTEN(group), <calls>``) and through the FOREACH for any other shape (calls reordered, an
expression of a call, a FLATTEN of a one-column key). Expected rows come from plain Python with
Pig's rules: a null key is its own group, SUM and MIN skip nulls (null when none are left),
COUNT skips nulls, COUNT_STAR counts every row. Several map tasks and reducers, so batches mix
keys of one partial record and keys of several."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

HEAD = """SET default_parallel 2;
SET mapreduce.input.fileinputformat.split.maxsize 200;
SET pig.codegen {codegen};
A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
"""

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["", "a", "b", "c"]),
        st.sampled_from(["", "0", "1", "-3"]),
        st.sampled_from(["", "0", "1", "5", "-7"]),
    ),
    min_size=1,
    max_size=60,
)


def _int(text: str) -> int | None:
    return int(text) if text else None


def _t(v: object) -> str:
    return "" if v is None else str(v)


def _aggs(ns: list[int | None]) -> tuple:
    vals = [x for x in ns if x is not None]
    return (sum(vals) if vals else None, len(vals), len(ns), min(vals) if vals else None)


def _groups(rows: list[tuple[str, str, str]], two_keys: bool) -> dict[tuple, tuple]:
    out: dict[tuple, list[int | None]] = {}
    for k, j, n in rows:
        key = (k or None, _int(j)) if two_keys else (k or None,)
        out.setdefault(key, []).append(_int(n))
    return {key: _aggs(ns) for key, ns in out.items()}


def _pig_tuple(key: tuple) -> str:
    return "(" + ",".join(_t(v) for v in key) + ")"


def _line(*fields: object) -> str:
    return "\t".join(_t(f) for f in fields)


# name -> (GROUP BY, GENERATE, the expected line of a key and its (sum, count, count*, min))
SHAPES = {
    "group_then_calls": (
        "(k, j)",
        "group, SUM(A.n), COUNT(A.n), COUNT_STAR(A), MIN(A.n)",
        lambda key, a: _line(_pig_tuple(key), *a),
    ),
    "one_key_group_then_calls": (
        "k",
        "group, SUM(A.n), COUNT_STAR(A)",
        lambda key, a: _line(key[0], a[0], a[2]),
    ),
    "calls_alone": (
        "(k, j)",
        "SUM(A.n), COUNT(A.n), COUNT_STAR(A), MIN(A.n)",
        lambda key, a: _line(*a),
    ),
    "flatten_group_then_calls": (
        "(k, j)",
        "FLATTEN(group), SUM(A.n), COUNT(A.n), COUNT_STAR(A), MIN(A.n)",
        lambda key, a: _line(*key, *a),
    ),
    "calls_reordered": (
        "(k, j)",
        "MIN(A.n), group, SUM(A.n)",
        lambda key, a: _line(a[3], _pig_tuple(key), a[0]),
    ),
    "expression_of_a_call": (
        "(k, j)",
        "FLATTEN(group), COUNT_STAR(A) + 1",
        lambda key, a: _line(*key, a[2] + 1),
    ),
    "flatten_of_one_key": (
        "k",
        "FLATTEN(group), SUM(A.n)",
        lambda key, a: _line(key[0], a[0]),
    ),
}


def _run(script: str, rows: list[tuple[str, ...]], tmp: Path) -> list[str]:
    (tmp / "a.txt").write_text("".join("\t".join(r) + "\n" for r in rows))
    out = tmp / "out"
    assert run_script(script, exec_type="local", cwd=tmp, filename="t.pig", out=io.StringIO()) == 0
    return sorted(line for part in out.glob("part-*") for line in part.read_text().splitlines())


@pytest.mark.parametrize("codegen", ["true", "false"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_group_rows_of_each_foreach_shape(tmp_path_factory, shape, codegen, rows) -> None:
    by, generate, line = SHAPES[shape]
    script = HEAD.format(codegen=codegen) + (
        f"B = GROUP A BY {by};\nC = FOREACH B GENERATE {generate};\nSTORE C INTO 'out';\n"
    )
    tmp = tmp_path_factory.mktemp("shape")
    want = sorted(line(key, a) for key, a in _groups(rows, by.startswith("(")).items())
    assert _run(script, rows, tmp) == want


def test_many_keys_of_one_record_each(tmp_path: Path) -> None:
    """Keys that never repeat (every group one partial record: the batch's one
    comprehension), null keys among them."""
    rows = [(f"u{i}" if i % 9 else "", str(i % 4) if i % 5 else "", str(i)) for i in range(6000)]
    script = HEAD.format(codegen="true").replace("200;", "40000;") + (
        "B = GROUP A BY (k, j);\n"
        "C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), COUNT_STAR(A);\n"
        "STORE C INTO 'out';\n"
    )
    want = sorted(_line(*key, a[0], a[2]) for key, a in _groups(rows, True).items())
    assert _run(script, rows, tmp_path) == want
