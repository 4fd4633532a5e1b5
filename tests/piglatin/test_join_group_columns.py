"""A GROUP computed in its JOIN's reduce whose rows keep some columns of each side only (L3:
``JOIN beta BY name, B BY user; GROUP C BY $0; ... SUM(C.estimated_revenue)`` reads no
right-side copy of the key): each map side writes just the columns the reduce reads
(`joingroupreduce.side_columns`, `side_packer`). Which columns those are, and the answers
against plain Python: nulls, null keys, duplicate keys on both sides, short lines, a FILTER
before the right input, codegen off, the map's key groups off, several reducers, mapreduce."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.joingroupreduce import side_columns, side_packer
from piglatin.back.mrcompiler import compile_sink
from piglatin.back.storage import unpack_value
from piglatin.front.builder import build_text
from piglatin.launcher import run_script
from piglatin.plan.optimizer import optimize

LOADS = """L = LOAD 'l.txt' AS (name:chararray, phone:chararray, zip:int);
R = LOAD 'r.txt' AS (user:chararray, action:int, rev:double);
"""
SHAPES = {
    # L3: the right rows' key is read by nobody after the join
    "l3": (
        "beta = FOREACH L GENERATE name;\nB = FOREACH R GENERATE user, rev;\n"
        "C = JOIN beta BY name, B BY user;\nD = GROUP C BY $0;\n"
        "E = FOREACH D GENERATE group, SUM(C.rev), COUNT(C);",
        ((0,), (1,)),
    ),
    # a right column before the left ones, a left column the key is not
    "both": (
        "C = JOIN L BY name, R BY user;\nP = FOREACH C GENERATE L::name AS g, L::zip AS z, "
        "R::rev AS rev;\nD = GROUP P BY g;\nE = FOREACH D GENERATE group, SUM(P.rev), MAX(P.z);",
        ((0, 1), (1,)),  # of the (name, zip) and (user, rev) the optimizer keeps
    ),
    # a FILTER before the right input: its rows may be short (their missing columns null)
    "filtered": (
        "F = FILTER R BY action IS NULL OR action > 0;\nC = JOIN L BY name, F BY user;\n"
        "P = FOREACH C GENERATE F::user AS u, F::rev AS rev;\nD = GROUP P BY u;\n"
        "E = FOREACH D GENERATE group, SUM(P.rev), COUNT_STAR(P);",
        ((), (0, 1)),
    ),
}
CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "nogroups": ("local", "SET pig.exec.mapKeyGroups false;\nSET default_parallel 2;\n"),
    "parallel": (
        "local",
        "SET mapreduce.input.fileinputformat.split.maxsize 60;\nSET default_parallel 3;\n",
    ),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}


def spec_of(script: str):
    plan = optimize(build_text(LOADS + script + "\nSTORE E INTO 'out';"))
    store = next(op.op_id for op in plan.operators if op.name == "LOStore")
    found = compile_sink(plan, store).jobs
    assert len(found) == 1 and found[0].spec.group is not None  # fused into the join
    return plan, found[0].spec


@pytest.mark.parametrize("shape", list(SHAPES))
def test_columns_each_side_writes(shape: str) -> None:
    script, want = SHAPES[shape]
    plan, spec = spec_of(script)
    assert side_columns(plan, spec) == want


def test_a_short_row_packs_nulls_for_its_missing_columns() -> None:
    plan, spec = spec_of(SHAPES["l3"][0])
    pack = side_packer(plan, spec, 1)  # the right rows (user, rev): rev alone
    assert unpack_value(pack(("a", 2.5))) == (2.5,)
    assert unpack_value(pack(("a",))) == (None,)
    assert side_packer(plan, spec, 0) is None  # (name): the whole row


def test_left_rows_of_unknown_width_are_written_whole() -> None:
    """A FILTER before the left input: a short left row would move the right columns."""
    script = (
        "G = FILTER L BY zip > 0;\nC = JOIN G BY name, R BY user;\n"
        "P = FOREACH C GENERATE G::name AS g, G::phone AS ph, G::zip AS z, R::rev AS rev;\n"
        "D = GROUP P BY g;\nE = FOREACH D GENERATE group, SUM(P.rev), MAX(P.z), COUNT(P.ph);"
    )
    plan, spec = spec_of(script)
    assert side_columns(plan, spec) is None


NAMES = st.sampled_from(["a", "b", "c\u00e9", None])
LEFT = st.lists(st.tuples(NAMES, st.sampled_from(["p", None]), st.sampled_from([1, -2, None])))
RIGHT = st.lists(
    st.tuples(NAMES, st.sampled_from([1, 0, None]), st.sampled_from([0.5, -2.25, 8.0, None])),
    max_size=20,
)


def cell(v) -> str:
    return "" if v is None else str(v)


def write(path: Path, rows: list[tuple], short: bool) -> None:
    lines = ["\t".join(map(cell, r)) for r in rows]
    if short and lines:  # a line of the key alone: the row's other columns are null
        lines[0] = lines[0].split("\t")[0]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def expected(shape: str, left: list, right: list) -> list[tuple]:
    groups: dict = {}
    if shape == "filtered":
        right = [r for r in right if r[1] is None or r[1] > 0]
    for r in right:
        for lt in left:
            if r[0] is not None and lt[0] == r[0]:
                groups.setdefault(r[0], []).append((lt, r))
    out = []
    for g, bag in groups.items():
        revs = [r[2] for _lt, r in bag if r[2] is not None]
        total = sum(revs) if revs else None
        if shape == "l3":
            out.append((g, total, len(bag)))
        elif shape == "both":
            zs = [lt[2] for lt, _r in bag if lt[2] is not None]
            out.append((g, total, max(zs) if zs else None))
        else:
            out.append((g, total, len(bag)))
    return out


def parse(f: str):
    if f == "":
        return None
    for conv in (int, float):
        try:
            return conv(f)
        except ValueError:
            pass
    return f


def close(got: list[tuple], want: list[tuple]) -> bool:
    key = lambda r: tuple(str(v) for v in r)  # noqa: E731
    if len(got) != len(want):
        return False
    for g, w in zip(sorted(got, key=key), sorted(want, key=key), strict=True):
        for a, b in zip(g, w, strict=True):
            if isinstance(b, float) and isinstance(a, (int, float)):
                if not math.isclose(a, b, rel_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("shape", list(SHAPES))
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(left=LEFT, right=RIGHT, short=st.booleans())
def test_against_python(tmp_path_factory, config, shape, left, right, short) -> None:
    mode, sets = CONFIGS[config]
    tmp = tmp_path_factory.mktemp(shape)
    write(tmp / "l.txt", left, False)
    write(tmp / "r.txt", right, short)
    if short and right:  # the short line: a row of its key and nulls
        right = [(right[0][0], None, None), *right[1:]]
    out = tmp / "out"
    log = io.StringIO()
    script = sets + LOADS + SHAPES[shape][0] + f"\nSTORE E INTO '{out.as_uri()}';"
    assert run_script(script, exec_type=mode, cwd=tmp, filename="t.pig", out=log) == 0, log
    got = []
    for part in sorted(out.glob("part-*")):
        got += [tuple(map(parse, line.split("\t"))) for line in part.read_text().splitlines()]
    want = expected(shape, left, right)
    assert close(got, want), (got, want)
