"""A combined GROUP whose FOREACH never reads the group (``GENERATE SUM(A.x), ...``): its map
records carry no key value beside the key bytes (`aggregates.reads_group`, `keyless`). Which
FOREACHes read the group, and the answers of such GROUPs against plain Python: nulls, a null
key field, keys of one row and of many, several map tasks whose partials meet in the reduce,
the fold on, given up (minReduction) and with code generation off."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.aggregates import reads_group
from piglatin.back.mrcompiler import algebraic_foreach
from piglatin.front.builder import build_text
from tests.piglatin.storedrun import stored_run

LOAD = "A = LOAD 'a' AS (k:chararray, m:int, x:int, y:double);\nB = GROUP A BY (k, m);\n"


@pytest.mark.parametrize(
    ("generate", "reads"),
    [
        ("SUM(A.x), COUNT(A)", False),
        ("SUM(A.x) + 1, AVG(A.y) * 2.0", False),
        ("{ d = DISTINCT A.x; GENERATE COUNT(d), MAX(A.y); }", False),
        ("{ f = FILTER A BY x > 0; GENERATE COUNT(f); }", False),
        ("group, SUM(A.x)", True),
        ("FLATTEN(group), SUM(A.x)", True),
        ("group.k, COUNT(A)", True),
        ("$0, COUNT(A)", True),
        ("(group IS NULL ? 0L : SUM(A.x))", True),
    ],
)
def test_which_foreach_reads_the_group(generate: str, reads: bool) -> None:
    body = generate if generate.startswith("{") else f"GENERATE {generate};"
    plan = build_text(f"{LOAD}C = FOREACH B {body}\n")
    found = algebraic_foreach(plan, plan.op("B"), ["C"])
    assert found is not None
    assert reads_group(found) is reads


SETS = {"codegen": "", "closures": "SET pig.codegen 'false';\n"}
SCRIPT = """{sets}A = LOAD 'in' AS (k:chararray, m:int, x:int, y:double);
B = GROUP A BY (k, m);
C = FOREACH B GENERATE SUM(A.x), COUNT(A), AVG(A.y), MAX(A.x), COUNT_STAR(A);
STORE C INTO 'OUT';
"""
rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "", "c\u00e9"]),
        st.one_of(st.none(), st.integers(-2, 2)),
        st.one_of(st.none(), st.integers(-9, 9)),
        st.one_of(st.none(), st.sampled_from([0.5, 1.25, -2.0])),
    ),
    max_size=30,
)


def cell(v: object) -> str:
    return "" if v is None else str(v)


def expected(parts: list[list]) -> list[str]:
    groups: dict = {}
    for k, m, x, y in (r for part in parts for r in part):
        groups.setdefault((k or None, m), []).append((x, y))
    out = []
    for (k, _m), bag in groups.items():
        xs = [x for x, _y in bag if x is not None]
        ys = [y for _x, y in bag if y is not None]
        line = [
            sum(xs) if xs else None,
            0 if k is None else len(bag),  # COUNT(A): the rows whose first field is not null
            sum(ys) / len(ys) if ys else None,
            max(xs) if xs else None,
            len(bag),
        ]
        out.append("\t".join(map(cell, line)))
    return sorted(out)


@pytest.mark.parametrize("config", list(SETS))
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(rows, min_size=1, max_size=3))
def test_group_not_read_against_python(tmp_path: Path, config: str, parts: list[list]) -> None:
    d = tmp_path / f"{config}-{len(list(tmp_path.iterdir()))}"
    (d / "in").mkdir(parents=True)
    for i, part in enumerate(parts):  # one map task per file: partials meet in the reduce
        text = "".join("\t".join(map(cell, r)) + "\n" for r in part)
        (d / "in" / f"part-{i:05d}").write_text(text, encoding="utf-8")
    got, _warnings = stored_run(d, SCRIPT.format(sets=SETS[config]), "out")
    assert sorted(got) == expected(parts)


@pytest.mark.parametrize("config", list(SETS))
def test_fold_given_up_against_python(tmp_path: Path, config: str, caplog) -> None:
    """Keys that hardly repeat within a map task: after its sample the fold gives up and each
    row's record leaves at once (the passing rows), while the two tasks share their keys."""
    import logging

    caplog.set_level(logging.INFO, logger="piglatin.back.aggregates")
    parts = [
        [
            (f"u{i % 9000}" if i % 11 else None, i % 3 - 1 if i % 7 else None, i % 5 - 2, None)
            for i in range(12000)
        ],
        [(f"u{i}", i % 3 - 1, i, 0.5 if i % 2 else None) for i in range(0, 12000, 7)],
    ]
    (tmp_path / "in").mkdir()
    for i, part in enumerate(parts):
        text = "".join("\t".join(map(cell, r)) + "\n" for r in part)
        (tmp_path / "in" / f"part-{i:05d}").write_text(text, encoding="utf-8")
    got, _warnings = stored_run(tmp_path, SCRIPT.format(sets=SETS[config]), "out")
    assert sorted(got) == expected(parts)
    assert "Disabling in-map partial aggregation" in caplog.text
