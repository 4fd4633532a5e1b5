"""The joined rows of a GROUP computed in its JOIN's reduce (joingroupreduce.py) are exactly
the rows the two jobs make: whole rows of the schema's width (a line with more fields than
the LOAD's AS keeps the first ones, a shorter one is padded with nulls), a bad int null,
non-ASCII keys, empty keys null (never matching), several records of a key from several map
tasks. Plain Python computes the inner join and Pig's GROUP; the bag is read whole through
FLATTEN, so a row of another width or a column lost or added shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "parallel": (
        "local",
        "SET mapreduce.input.fileinputformat.split.maxsize 40;\nSET default_parallel 2;\n",
    ),
    "nogroups": ("local", "SET pig.exec.mapKeyGroups false;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}
KEYS = ["a", "b", "é", "日本", ""]
FIELDS = ["1", "-7", "x", "", "2.5", "z\u00e9"]
SCRIPT = """L = LOAD 'l.txt' AS (k:chararray, x:int);
R = LOAD 'r.txt' AS (k:chararray, j:int, s:chararray);
C = JOIN L BY k, R BY k;
D = GROUP C BY {key};
E = FOREACH D GENERATE group, FLATTEN(C), COUNT_STAR(C);
"""
#: a two-column key, and only the right rows' first column after the JOIN (the second one
#: is read, as a key column, so the column pruner keeps it)
PREFIX = """L = LOAD 'l.txt' AS (k:chararray, x:int);
R = LOAD 'r.txt' AS (k:chararray, j:int, s:chararray);
C = JOIN L BY (k, x), R BY (k, j);
P = FOREACH C GENERATE L::k AS k, L::x AS x, R::k AS rk;
D = GROUP P BY (k, x);
E = FOREACH D GENERATE FLATTEN(group), FLATTEN(P), COUNT_STAR(P);
"""

lines = st.lists(
    st.tuples(st.sampled_from(KEYS), st.lists(st.sampled_from(FIELDS), max_size=4)),
    max_size=12,
)


def as_int(text: str):
    """Pig's bytesToInteger (Utf8StorageConverter): Integer.valueOf, else a double's
    intValue (2.5 -> 2), else null with a FIELD_DISCARDED_TYPE_CONVERSION_FAILED warning."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return int(float(text))
    except ValueError:
        return None


def rows(raw: list, types: tuple) -> list[tuple]:
    """The LOAD's rows: the first len(types) fields, missing ones null, '' null."""
    out = []
    for key, rest in raw:
        fields = ([key, *rest] + [""] * len(types))[: len(types)]
        out.append(
            tuple(
                None if f == "" else as_int(f) if t == "int" else f
                for f, t in zip(fields, types, strict=True)
            )
        )
    return out


def has_null(key) -> bool:
    return key is None or (type(key) is tuple and None in key)


def want(left: list, right: list) -> list[tuple]:
    joined = [lt + r for r in right for lt in left if not has_null(lt[0]) and lt[0] == r[0]]
    groups: dict = {}
    for r in joined:
        groups.setdefault(r[0], []).append(r)
    return [(g, *r, len(bag)) for g, bag in groups.items() for r in bag]


def run(tmp: Path, left_raw: list, right_raw: list, script: str, config: str) -> list[tuple]:
    mode, sets = CONFIGS[config]
    tmp.mkdir(parents=True, exist_ok=True)
    for name, raw in (("l.txt", left_raw), ("r.txt", right_raw)):
        (tmp / name).write_text("".join("\t".join([k, *rest]) + "\n" for k, rest in raw))
    out = tmp / "out"
    log = io.StringIO()
    body = sets + script + f"STORE E INTO '{out.as_uri()}';"
    assert run_script(body, exec_type=mode, cwd=tmp, filename="t.pig", out=log) == 0, log.getvalue()
    got = []
    for part in sorted(out.glob("part-*")):
        for line in part.read_text(encoding="utf-8").split("\n")[:-1]:
            f = line.split("\t")
            ints = (1, 3, 5) if len(f) == 6 else (2, 4, 6)
            got.append(tuple(int(v) if i in ints and v else v or None for i, v in enumerate(f)))
    return sorted(got, key=repr)


@pytest.mark.parametrize("config", list(CONFIGS))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    left_raw=lines,
    right_raw=lines,
    key=st.sampled_from(["$0", "L::k", "R::k"]),
    prefix=st.booleans(),
)
def test_whole_joined_rows(
    tmp_path_factory, config: str, left_raw, right_raw, key: str, prefix: bool
) -> None:
    left = rows(left_raw, ("chararray", "int"))
    right = rows(right_raw, ("chararray", "int", "chararray"))
    expected = want(left, right)
    script = SCRIPT.format(key=key)
    if prefix:  # the rows (k, x, rk) grouped by (k, x)
        expected = want([(lt[:2],) + lt for lt in left], [(r[:2],) + r for r in right])
        expected = [(*g, k, x, rk, n) for g, _l, k, x, _r, rk, _j, _s, n in expected]
        script = PREFIX
    got = run(tmp_path_factory.mktemp("rows"), left_raw, right_raw, script, config)
    assert got == sorted(expected, key=repr)
