"""A GROUP on the join key computed in its JOIN's reduce (joingroupreduce.py) builds each joined
row from the left row's part and the right row's columns; these cases pick right columns out
of order, from a right input whose rows are not known to be of the schema's width (a FILTER),
with one left row per key (the joined rows made in one pass) and several (every left row per
right row), duplicate keys, nulls in the values and null keys (never joined). Plain Python
computes the inner join, Pig's GROUP and the aggregates; the bag is read whole (FLATTEN)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.piglatin.storedrun import printed_lines, stored_run

SCRIPT = """{sets}L = LOAD 'l.txt' AS (k:chararray, x:int);
R = LOAD 'r.txt' AS (k:chararray, j:int, s:chararray, t:chararray);
F = FILTER R BY s IS NULL OR s != 'drop';
C = JOIN L BY k, F BY k;
P = FOREACH C GENERATE L::k AS k, F::t AS t, F::j AS j;
D = GROUP P BY k;
E = FOREACH D GENERATE group, FLATTEN(P), COUNT_STAR(P), SUM(P.j);
STORE E INTO 'OUT';
"""
SETS = {
    "codegen": "",
    "closures": "SET pig.codegen false;\n",
    "nogroups": "SET pig.exec.mapKeyGroups false;\n",
}
KEYS = ["a", "b", "é", ""]
TEXTS = ["x", "drop", "", "7"]

rights = st.lists(
    st.tuples(
        st.sampled_from(KEYS),
        st.one_of(st.none(), st.integers(-5, 5)),
        st.sampled_from(TEXTS),
        st.sampled_from(TEXTS),
    ),
    max_size=14,
)
lefts = st.lists(st.tuples(st.sampled_from(KEYS), st.integers(0, 3)), max_size=6)


def expected(left: list, right: list) -> list[str]:
    """The stored lines, computed directly: '' is null; a kept right row's (t, j) after the
    key, per group its rows' count and the SUM of j (null when every j is null)."""
    kept = [r for r in right if r[2] != "drop"]
    groups: dict[str, list] = {}
    for k, j, _s, t in kept:
        for lk, _x in left:
            if k and lk == k:
                groups.setdefault(k, []).append((k, t, j))
    lines = []
    for k, bag in groups.items():
        js = [j for _k, _t, j in bag if j is not None]
        total = "" if not js else str(sum(js))
        for _k, t, j in bag:
            lines.append(f"{k}\t{k}\t{t}\t{'' if j is None else j}\t{len(bag)}\t{total}")
    return sorted(lines)


@pytest.mark.parametrize("config", list(SETS))
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(left=lefts, right=rights, unique=st.booleans())
def test_joined_parts(tmp_path: Path, config: str, left: list, right: list, unique: bool) -> None:
    if unique:  # one left row per key: each key's rows made in one pass
        left = list({k: (k, x) for k, x in left}.values())
    d = tmp_path / f"{config}-{len(list(tmp_path.iterdir()))}"
    d.mkdir()
    (d / "l.txt").write_text("".join(f"{k}\t{x}\n" for k, x in left), encoding="utf-8")
    (d / "r.txt").write_text(
        "".join(f"{k}\t{'' if j is None else j}\t{s}\t{t}\n" for k, j, s, t in right),
        encoding="utf-8",
    )
    got, _warnings = stored_run(d, SCRIPT.format(sets=SETS[config]), "out")
    assert sorted(got) == expected(left, right)


def test_fused(tmp_path: Path) -> None:
    """The script is the fused kind (the GROUP in the join's reduce), or the cases are moot."""
    script = SCRIPT.format(sets="").replace("STORE E INTO 'OUT';", "EXPLAIN E;")
    lines = printed_lines(tmp_path, {"l.txt": "a\t1\n", "r.txt": "a\t1\tx\ty\n"}, script)
    assert any("on the join key in the join's reduce" in line for line in lines)


@pytest.mark.parametrize("lefts_of_key", [1, 2])
def test_big_group(tmp_path: Path, lefts_of_key: int) -> None:
    """A key of more joined rows than a group made at once (`spillbag.CHECK_ROWS`): its
    rows come in chunks, with one left row or several."""
    left = [("h", 1)] * lefts_of_key + [("a", 2)]
    right = [("h", None if i % 7 == 0 else i % 5, "s", str(i)) for i in range(5000)]
    right += [("a", 1, "drop", "x"), ("a", 2, "", "y")]
    (tmp_path / "l.txt").write_text("".join(f"{k}\t{x}\n" for k, x in left))
    (tmp_path / "r.txt").write_text(
        "".join(f"{k}\t{'' if j is None else j}\t{s}\t{t}\n" for k, j, s, t in right)
    )
    got, _warnings = stored_run(tmp_path, SCRIPT.format(sets=""), "out")
    assert sorted(got) == expected(left, right)
