"""A nested ``DISTINCT B.x`` under a combined GROUP: the Distinct partials' two forms
(`back.distinctparts`: rows, and values for one column), the Final of one partial taken as it
is, and COUNT/COUNT_STAR/SUM/AVG/MIN/MAX of the distinct bag computed from its values
(`aggregates._outer_of_distinct`). Expected rows come from plain Python sets with Pig's rules:
DISTINCT keeps one null and one NaN, COUNT skips the null row, COUNT_STAR counts it, SUM/AVG/
MIN/MAX skip it, MIN/MAX of doubles give NaN when one is there (Java's Math.min/max)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from piglatin.back.distinctparts import (
    final_for,
    intermediate_for,
    of_values,
    partial_of_seen,
    partials_of_seen,
    values_final,
)
from piglatin.functions.builtins import BUILTINS
from piglatin.launcher import PigServer

FUSED = """A = LOAD 'in' AS (k:chararray, n:int, x:double, s:chararray);
B = GROUP A BY k PARALLEL 2;
C = FOREACH B {
    dn = DISTINCT A.n;
    dx = DISTINCT A.x;
    ds = DISTINCT A.s;
    GENERATE group, COUNT(dn), COUNT_STAR(dn), SUM(dn), AVG(dn), MIN(dx), MAX(dx),
        COUNT(dx), COUNT_STAR(ds), MAX(ds);
};
STORE C INTO 'out';"""

# the bag itself is read too (not only through an aggregate), and a DISTINCT of two columns
BAGS = """A = LOAD 'in' AS (k:chararray, n:int, x:double, s:chararray);
B = GROUP A BY k;
C = FOREACH B {
    dn = DISTINCT A.n;
    dp = DISTINCT A.(n, s);
    GENERATE group, COUNT(dn), dn, COUNT(dp), COUNT_STAR(dp);
};
STORE C INTO 'out';"""

ROW = st.tuples(
    st.sampled_from(["a", "b", "c", ""]),
    st.sampled_from(["", "0", "1", "1", "7", "-2"]),
    st.sampled_from(["", "0.5", "0.5", "2.0", "0.0", "NaN", "-1.5"]),
    st.sampled_from(["", "p", "q", "p", "é"]),
)
ROWS = st.lists(ROW, min_size=1, max_size=60)


def _num(v: float | int | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return repr(v)


def _groups(rows: list[tuple]) -> dict[str | None, list[tuple]]:
    out: dict[str | None, list[tuple]] = {}
    for r in rows:
        out.setdefault(r[0] or None, []).append(r)
    return out


def _distinct_x(mine: list[tuple]) -> tuple[set, bool, bool]:
    """Distinct non-null, non-NaN doubles; whether a NaN and a null were among them."""
    xs = {float(r[2]) for r in mine if r[2] and r[2] != "NaN"}
    return xs, any(r[2] == "NaN" for r in mine), any(not r[2] for r in mine)


def expected_fused(rows: list[tuple]) -> list[str]:
    out = []
    for k, mine in _groups(rows).items():
        ns = {int(r[1]) for r in mine if r[1]}
        n_null = any(not r[1] for r in mine)
        xs, nan, _x_null = _distinct_x(mine)
        ss = {r[3] for r in mine if r[3]}
        s_null = any(not r[3] for r in mine)
        lo = math.nan if nan else min(xs, default=None)
        hi = math.nan if nan else max(xs, default=None)
        fields = [
            k or "",
            str(len(ns)),
            str(len(ns) + n_null),
            str(sum(ns)) if ns else "",
            _num(sum(ns) / len(ns)) if ns else "",
            _num(lo),
            _num(hi),
            str(len(xs) + nan),
            str(len(ss) + s_null),
            max(ss, default=""),
        ]
        out.append("\t".join(fields))
    return sorted(out)


def expected_bags(rows: list[tuple]) -> list[str]:
    out = []
    for k, mine in _groups(rows).items():
        ns = {int(r[1]) if r[1] else None for r in mine}
        pairs = {(int(r[1]) if r[1] else None, r[3] or None) for r in mine}
        bag = sorted("()" if n is None else f"({n})" for n in ns)
        counted = sum(1 for p in pairs if p[0] is not None)
        fields = [k or "", str(len(ns - {None})), bag, str(counted), str(len(pairs))]
        out.append(fields)
    return sorted(map(repr, out))


def _bag_sorted(line: str) -> str:
    """The output line with its bag field's rows sorted (a bag has no order)."""
    f = line.split("\t")
    inner = f[2][1:-1]
    rows = [] if not inner else ["(" + r.strip("()") + ")" for r in inner.split("),(")]
    return repr([f[0], f[1], sorted(rows), f[3], f[4]])


def run(where: Path, rows: list[tuple], script: str, props: dict, maps: int, mode="local"):
    """The stored lines (sorted), the input in `maps` files (one map task each)."""
    (where / "in").mkdir()
    for i in range(maps):
        text = "".join("\t".join(r) + "\n" for r in rows[i::maps])
        (where / "in" / f"part-{i}").write_text(text, encoding="utf-8")
    if mode != "local":
        script = script.replace("'in'", f"'file://{where}/in'")
        script = script.replace("'out'", f"'file://{where}/out'")
    with PigServer(mode, cwd=where, out=io.StringIO(), properties=props) as pig:
        pig.register_script(script)
    lines: list[str] = []
    for part in sorted((where / "out").glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return sorted(lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, maps=st.integers(1, 3), codegen=st.sampled_from(["true", "false"]))
def test_aggregates_of_distinct_bags_are_plain_pythons(tmp_path_factory, rows, maps, codegen):
    where = tmp_path_factory.mktemp("fused")
    got = run(where, rows, FUSED, {"pig.codegen": codegen}, maps)
    assert got == expected_fused(rows)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, maps=st.integers(1, 3), codegen=st.sampled_from(["true", "false"]))
def test_distinct_bags_read_whole_are_plain_pythons(tmp_path_factory, rows, maps, codegen):
    where = tmp_path_factory.mktemp("bags")
    got = run(where, rows, BAGS, {"pig.codegen": codegen}, maps)
    assert sorted(map(_bag_sorted, got)) == expected_bags(rows)


def test_many_nans_and_nulls_in_one_map(tmp_path: Path) -> None:
    """An in-map fold keeps each NaN it parses (NaN != NaN): the partial must hold one."""
    rows = [("a", "", "NaN", "")] * 6 + [("a", "1", "0.5", "p")] + [("a", "1", "", "")] * 2
    assert run(tmp_path, rows, FUSED, {}, 1) == expected_fused(rows)


def test_fold_given_up_mixes_both_forms_in_the_combiner(tmp_path: Path) -> None:
    """Past the in-map fold's sample, a high minReduction turns it off: the sample's keys
    leave as values-form partials, the later rows as rows-form ones, and the combiner and
    the reduce side merge both."""
    rows = [
        (f"k{i % 300}", str(i % 13) if i % 11 else "", ["0.5", "NaN", "", "2.0"][i % 4],
         "pq"[i % 2])
        for i in range(14000)
    ]  # fmt: skip
    props = {"pig.exec.mapPartAgg.minReduction": "100000"}
    assert run(tmp_path, rows, FUSED, props, 2) == expected_fused(rows)


def test_mapreduce_mode_two_maps_two_reducers(tmp_path: Path) -> None:
    rows = [
        ("abc"[i % 3] + str(i % 7), str(i % 5) if i % 4 else "", ["0.5", "NaN", ""][i % 3], "s")
        for i in range(600)
    ]
    assert run(tmp_path, rows, FUSED, {}, 2, mode="mapreduce") == expected_fused(rows)


# ---- the partial forms themselves


def _key(v):
    """Pig's equality on one column's values: every NaN one value."""
    return "NaN" if isinstance(v, float) and math.isnan(v) else v


VALUES = st.one_of(
    st.lists(st.one_of(st.none(), st.integers(-3, 3)), max_size=12),
    # a NaN parsed anew each time: copies a dict keeps apart (NaN != NaN)
    st.lists(
        st.one_of(st.none(), st.sampled_from(["0.5", "2", "nan", "-1"]).map(float)), max_size=12
    ),
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "é"])), max_size=12),
)


@st.composite
def partials(draw):
    """A column's values cut into partials, each in either form (a values-form one from a
    dict of what an in-map fold saw, NaN copies and all; a rows-form one exactly distinct),
    and their exact distinct values."""
    values = draw(VALUES)
    cuts = sorted(draw(st.lists(st.integers(0, len(values)), max_size=3)))
    parts = []
    for a, b in zip([0, *cuts], [*cuts, len(values)], strict=True):
        chunk = values[a:b]
        if draw(st.booleans()):
            parts.append(partial_of_seen(dict.fromkeys(chunk)))
        else:
            rows = list({_key(v): (v,) for v in chunk}.values())
            parts.append((tuple(rows),))
    return parts, {_key(v) for v in values}


_TWO_NANS = [float("nan"), None, float("nan"), 1.0]


@settings(max_examples=300, deadline=None)
@given(found=partials(), merge_first=st.booleans())
@example(found=([partial_of_seen(dict.fromkeys(_TWO_NANS))], {"NaN", None, 1.0}), merge_first=False)
def test_final_of_any_partials_is_the_distinct_values(found, merge_first) -> None:
    parts, want = found
    if not parts:
        return
    if merge_first and len(parts) > 1:  # a combiner merged some of them first
        parts = [intermediate_for(True)(parts[:2]), *parts[2:]]
    rows = final_for(True)(parts)
    assert all(len(r) == 1 for r in rows)
    keys = [_key(r[0]) for r in rows]
    assert len(keys) == len(set(keys)) and set(keys) == want
    values = values_final(parts)
    assert sorted(map(repr, map(_key, values))) == sorted(map(repr, keys))
    for func in ("COUNT", "COUNT_STAR", "SUM", "AVG", "MIN", "MAX"):
        fn = BUILTINS[func].fn
        got, ref = of_values(func, fn)(values), fn(rows)
        assert repr(got) == repr(ref), func


@pytest.mark.parametrize("one_column", [True, False])
def test_one_partial_is_taken_as_it_is(one_column: bool) -> None:
    rows = ((1,), (None,), (3,))
    assert final_for(one_column)([(rows,)]) == list(rows)


MULTI = """A = LOAD 'in' AS (k:chararray, n:int, x:double, s:chararray);
SPLIT A INTO P IF n IS NOT NULL, Q OTHERWISE;
B = GROUP P BY k;
C = FOREACH B { dn = DISTINCT P.n; dx = DISTINCT P.x; GENERATE group, COUNT(dn), SUM(dn),
    COUNT_STAR(dx); };
STORE C INTO 'out';
D = GROUP Q BY s;
E = FOREACH D { ds = DISTINCT Q.k; GENERATE group, COUNT(ds), COUNT(Q); };
STORE E INTO 'out2';"""


def expected_multi(rows: list[tuple]) -> tuple[list[str], list[str]]:
    first, second = [], []
    for k, mine in _groups([r for r in rows if r[1]]).items():
        ns = {int(r[1]) for r in mine}
        xs, nan, x_null = _distinct_x(mine)
        first.append(f"{k or ''}\t{len(ns)}\t{sum(ns)}\t{len(xs) + nan + x_null}")
    by_s: dict[str, list[tuple]] = {}
    for r in rows:
        if not r[1]:
            by_s.setdefault(r[3], []).append(r)
    for s, mine in by_s.items():
        ks = {r[0] for r in mine if r[0]}
        second.append(f"{s}\t{len(ks)}\t{sum(1 for r in mine if r[0])}")
    return sorted(first), sorted(second)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, maps=st.integers(1, 2), codegen=st.sampled_from(["true", "false"]))
def test_distinct_bags_in_a_multi_query_job(tmp_path_factory, rows, maps, codegen) -> None:
    """Two STOREs of one LOAD in one merged job (SPLIT, then a nested DISTINCT per branch)."""
    where = tmp_path_factory.mktemp("multi")
    got = run(where, rows, MULTI, {"pig.codegen": codegen}, maps)
    second: list[str] = []
    for part in sorted((where / "out2").glob("part-*")):
        second += part.read_text(encoding="utf-8").split("\n")[:-1]
    assert (got, sorted(second)) == expected_multi(rows)


COGROUP = """A = LOAD 'in' AS (k:chararray, n:int, x:double, s:chararray);
B = LOAD 'in2' AS (k:chararray, n:int);
C = COGROUP A BY k, B BY k PARALLEL 2;
D = FOREACH C {
    dn = DISTINCT A.n;
    dx = DISTINCT A.x;
    bn = DISTINCT B.n;
    GENERATE group, COUNT(dn), SUM(dn), COUNT_STAR(dx), COUNT(bn), SIZE(B);
};
STORE D INTO 'out';"""


def expected_cogroup(rows: list[tuple], others: list[tuple]) -> list[str]:
    """Pig's COGROUP: null keys of each input are groups of their own."""
    groups: dict[tuple, tuple[list, list]] = {}
    for r in rows:
        groups.setdefault((0, r[0]) if not r[0] else (None, r[0]), ([], []))[0].append(r)
    for r in others:
        groups.setdefault((1, r[0]) if not r[0] else (None, r[0]), ([], []))[1].append(r)
    out = []
    for (_tag, k), (mine, theirs) in groups.items():
        ns = {int(r[1]) for r in mine if r[1]}
        xs, nan, x_null = _distinct_x(mine)
        bs = {int(r[1]) for r in theirs if r[1]}
        fields = [k, str(len(ns)), str(sum(ns)) if ns else "", str(len(xs) + nan + x_null)]
        out.append("\t".join([*fields, str(len(bs)), str(len(theirs))]))
    return sorted(out)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=ROWS,
    others=st.lists(
        st.tuples(st.sampled_from(["a", "b", "d", ""]), st.sampled_from(["", "1", "2"])),
        max_size=20,
    ),
    maps=st.integers(1, 2),
    codegen=st.sampled_from(["true", "false"]),
)
def test_distinct_bags_of_a_cogroup(tmp_path_factory, rows, others, maps, codegen) -> None:
    where = tmp_path_factory.mktemp("cogroup")
    (where / "in2").write_text("".join("\t".join(r) + "\n" for r in others))
    got = run(where, rows, COGROUP, {"pig.codegen": codegen}, maps)
    assert got == expected_cogroup(rows, others)


@given(
    seens=st.lists(
        st.lists(
            st.one_of(
                st.none(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=2)
            ),
            max_size=5,
        ).map(dict.fromkeys),
        max_size=6,
    )
)
def test_partials_of_many_seen_dicts_are_each_ones(seens) -> None:
    """A flush's partials of all its keys at once are `partial_of_seen` of each (NaN copies
    dropped, first seen first)."""
    got = partials_of_seen(seens)
    want = [partial_of_seen(s) for s in seens]
    assert repr(got) == repr(want)


@pytest.mark.parametrize("func", ["SUM", "AVG", "MIN", "MAX", "COUNT", "COUNT_STAR"])
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.integers(-10, 10),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
            st.sampled_from([b"1.5", b"x"]),
        ),
        max_size=6,
        unique_by=repr,
    )
)
def test_aggregates_of_distinct_values_are_the_builtins_of_their_rows(func, values) -> None:
    """COUNT/SUM/AVG/MIN/MAX(DISTINCT B.x) from the distinct values alone (`of_values`) is
    the builtin of the bag of one-value rows, nulls and bytearrays included."""
    fn = BUILTINS[func].fn
    assert repr(of_values(func, fn)(values)) == repr(fn([(v,) for v in values]))
