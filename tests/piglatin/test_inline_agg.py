"""A combined GROUP's map side folded inside the generated pipeline (`codegen.AggTail`) gives
what plain Python computes: SUM, AVG, MIN, MAX, COUNT and COUNT_STAR of columns and of the
grouped rows, behind nested FILTERs, under one key, several keys and GROUP ALL, with nulls,
with a key that cannot be hashed (those rows take the closure tail), with the folding turned
off by ``pig.exec.mapPartAgg.minReduction``, and with code generation off. Expected rows come
from plain Python and a formatter written here (PigStorage text: tab-separated, null empty,
doubles of small integers and their averages as Java prints them)."""

from __future__ import annotations

import io
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer, run_script

SCRIPT = """A = LOAD 'a.txt' AS (k:chararray, j:int, x:double, s:chararray);
B = GROUP A {key};
C = FOREACH B {{
    f = FILTER A BY x > 0;
    GENERATE {group}, SUM(A.x), AVG(A.x), MIN(A.s), MAX(A.x), COUNT(A.s), COUNT_STAR(A),
        COUNT(A), SUM(f.j), COUNT_STAR(f), MIN(f.x), MAX(A.j);
}};
STORE C INTO 'out';"""


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)  # every value here is in [1e-3, 1e7): Java's Double.toString agrees
    return str(v)


def line(*fields) -> str:
    return "\t".join(fmt(f) for f in fields)


def write(path: Path, data: list[tuple]) -> None:
    path.write_text("".join(line(*r) + "\n" for r in data))


def stored(tmp_path: Path, script: str) -> list[str]:
    return stored_at(tmp_path, script, "out", "local")


def expected(data: list[tuple], key) -> list[str]:
    groups = defaultdict(list)
    for row in data:
        groups[key(row)].append(row)
    out = []
    for k, rows in groups.items():
        xs = [r[2] for r in rows if r[2] is not None]
        ss = [r[3] for r in rows if r[3] is not None]
        js = [r[1] for r in rows if r[1] is not None]
        kept = [r for r in rows if r[2] is not None and r[2] > 0]
        kept_j = [r[1] for r in kept if r[1] is not None]
        kept_x = [r[2] for r in kept]
        aggs = (
            sum(xs) if xs else None,
            sum(xs) / len(xs) if xs else None,
            min(ss) if ss else None,
            max(xs) if xs else None,
            len(ss),
            len(rows),
            sum(1 for r in rows if r[0] is not None),  # COUNT(A): first field not null
            sum(kept_j) if kept_j else None,
            len(kept),
            min(kept_x) if kept_x else None,
            max(js) if js else None,
        )
        head = k if isinstance(k, tuple) else (k,)
        out.append(line(*head, *aggs))
    return sorted(out)


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "cc", None]),
        st.sampled_from([1, 2, -7, None]),
        st.sampled_from([1.0, 2.0, -3.0, 0.0, 5.0, None]),
        st.sampled_from(["p", "q", "é", "", None]),
    ),
    max_size=60,
)


def _fix_empty(data: list[tuple]) -> list[tuple]:
    # PigStorage reads an empty chararray field as null: the plain side must too
    return [(k, j, x, s or None) for k, j, x, s in data]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=rows_strategy)
def test_two_keys_with_nested_filters(tmp_path: Path, data: list[tuple]) -> None:
    data = _fix_empty(data)
    with tempfile.TemporaryDirectory(dir=tmp_path) as where:
        write(Path(where) / "a.txt", data)
        script = SCRIPT.format(key="BY (k, j)", group="FLATTEN(group)")
        assert stored(Path(where), script) == expected(data, lambda r: (r[0], r[1]))


@pytest.mark.parametrize("exec_type", ["local", "mapreduce"])
def test_one_key_and_group_all_in_both_modes(tmp_path: Path, exec_type: str) -> None:
    data = _fix_empty(
        [
            (
                ["a", "b", None][i % 3],
                [1, None, 4][i % 3 - 1],
                [1.0, None, -2.0, 3.0][i % 4],
                ["q", None, "p"][i % 3 - 2],
            )
            for i in range(4000)
        ]
    )
    write(tmp_path / "a.txt", data)
    one = SCRIPT.format(key="BY k", group="group").replace("'out'", f"'file://{tmp_path}/out'")
    assert stored_at(tmp_path, one, "out", exec_type) == expected(data, lambda r: r[0])
    every = SCRIPT.format(key="ALL", group="group").replace("'out'", f"'file://{tmp_path}/o2'")
    got = stored_at(tmp_path, every, "o2", exec_type)
    assert got == expected(data, lambda r: "all")


def stored_at(tmp_path: Path, script: str, out: str, exec_type: str) -> list[str]:
    log = io.StringIO()
    assert run_script(script, exec_type=exec_type, cwd=tmp_path, filename="t.pig", out=log) == 0
    lines: list[str] = []
    for part in sorted((tmp_path / out).glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


def test_unhashable_key_rows_take_the_closure_tail(tmp_path: Path) -> None:
    data = [("a", "[x#1]", 3), ("b", "[x#1]", 4), ("a", "", 5), ("a", "[x#1]", None)] * 3
    (tmp_path / "a.txt").write_text("".join(line(*r) + "\n" for r in data))
    script = """A = LOAD 'a.txt' AS (k:chararray, m:map[], n:int);
        B = GROUP A BY (k, m);
        C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), MAX(A.n), COUNT_STAR(A);
        STORE C INTO 'out';"""
    groups = defaultdict(list)
    for k, m, n in data:
        groups[(k, m)].append(n)
    want = sorted(
        line(
            k, m, sum(v for v in ns if v is not None), max(v for v in ns if v is not None), len(ns)
        )
        for (k, m), ns in groups.items()
    )
    assert stored(tmp_path, script) == want
    assert "except TypeError:" in _explained(tmp_path, script)


@pytest.mark.parametrize(
    "settings_", ["", "SET pig.codegen 'false';", "SET pig.exec.mapPartAgg.minReduction '1';"]
)
def test_distinct_keys_and_the_switches(tmp_path: Path, settings_: str, caplog) -> None:
    """Keys that do not repeat: by default the folding turns off after its sample (Pig's
    pig.exec.mapPartAgg.minReduction, here 2); with the setting at 1 it stays on; the answers
    are the same in every setting."""
    import logging

    data = [(f"u{i % 9000}", i % 5 or None, float(i % 7) - 3.0, "s") for i in range(12000)]
    write(tmp_path / "a.txt", data)
    caplog.set_level(logging.INFO, logger="piglatin.back.aggregates")
    script = settings_ + SCRIPT.format(key="BY (k, j)", group="FLATTEN(group)")
    assert stored(tmp_path, script) == expected(data, lambda r: (r[0], r[1]))
    disabled = "Disabling in-map partial aggregation" in caplog.text
    assert disabled == (settings_ != "SET pig.exec.mapPartAgg.minReduction '1';")


def _explained(tmp_path: Path, script: str) -> str:
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as server:
        server.register_script(script.replace("STORE C INTO 'out';", "EXPLAIN C;"))
    text = out.getvalue()
    return text[text.index("# Generated code") :]


def test_the_fold_is_generated_code_and_the_same_for_the_same_plan(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("")
    script = SCRIPT.format(key="BY (k, j)", group="FLATTEN(group)")
    first, second = _explained(tmp_path, script), _explained(tmp_path, script)
    assert first == second
    assert "_acc" in first and ".get(" in first


FUNCS = ["SUM", "MIN", "MAX", "COUNT", "COUNT_STAR", "AVG", "Distinct"]
number = st.one_of(
    st.none(), st.integers(-5, 5), st.sampled_from([-0.0, 0.0, 2.5]), st.floats(allow_nan=False)
)


@st.composite
def partial(draw, func: str):
    if func == "AVG":
        total = draw(number)
        return (total, 0 if total is None else draw(st.integers(0, 4)))
    if func in ("COUNT", "COUNT_STAR"):
        return (draw(st.one_of(st.none(), st.integers(0, 9))),)
    if func == "Distinct":
        return (tuple(draw(st.lists(st.tuples(st.integers(0, 3)), unique=True, max_size=3))),)
    return (draw(number),)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), funcs=st.lists(st.sampled_from(FUNCS), min_size=1, max_size=5))
def test_single_partial_finals_are_the_builtins_finals(data, funcs) -> None:
    """The reduce side's generated Finals of one partial record give what each builtin's
    Final gives for a list holding that one partial (types too: -0.0 + 0 is 0.0); a SUM or
    AVG summing into a long (`finalcode.long_sums`) wraps a sum past 2^63 - 1 as they do (a
    packed partial is an int of msgpack's range, [-2^63, 2^64))."""
    from piglatin.back.finalcode import single_finals
    from piglatin.functions.builtins import BUILTINS

    finals = [BUILTINS[f].algebraic[2] for f in funcs]
    parts = tuple(data.draw(partial(f)) for f in funcs)
    longs = [data.draw(st.sampled_from([None, "int", "any"])) for _ in funcs]
    for j, f in enumerate(funcs):
        if f in ("SUM", "AVG") and longs[j] == "int":  # an int's sum: an int of msgpack's
            big = data.draw(st.one_of(st.none(), st.integers(-(2**63), 2**64 - 1)))
            parts = parts[:j] + ((big, *parts[j][1:]),) + parts[j + 1 :]
        elif longs[j] == "int":
            longs[j] = None
    got = single_finals(funcs, finals, longs)(parts)
    want = tuple(final([p]) for final, p in zip(finals, parts))
    assert [(type(g), repr(g)) for g in got] == [(type(w), repr(w)) for w in want]
