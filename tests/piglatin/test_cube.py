"""CUBE and ROLLUP, as Pig Latin Basics documents them ("CUBE": syntax, the three examples
with their outputs and DESCRIBE schemas, "Handling null values in dimensions"), and against
plain Python that enumerates the grouping sets itself: CUBE(d1..dm) groups by every subset of
its dimensions (2^m), ROLLUP(d1..dn) by every prefix (n+1), several of them by the cross
product; a rolled-up dimension is null, a null value in a dimension is "unknown"."""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.errors import PigError
from piglatin.functions.builtins import lookup
from piglatin.launcher import PigServer, run_script

SALES = (
    "salesinp = LOAD 'sales.txt' USING PigStorage(',') AS (product:chararray, year:int, "
    "region:chararray, state:chararray, city:chararray, sales:long);\n"
)


def run(tmp: Path, data: str, body: str, mode: str = "local", out_alias: str = "result"):
    """Sorted output lines of `out_alias` and the DESCRIBE text, for `body` over sales.txt."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "sales.txt").write_text(data)
    out = tmp / "out"
    log = io.StringIO()
    script = SALES + body + f"\nSTORE {out_alias} INTO '{out.as_uri()}' USING PigStorage(',');"
    assert run_script(script, exec_type=mode, cwd=tmp, filename="c.pig", out=log) == 0, log
    lines: list[str] = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines), log.getvalue()


ONE_ROW = "car,2012,midwest,ohio,columbus,4000\n"


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_the_documented_cube_example(tmp_path: Path, mode: str) -> None:
    body = (
        "cubedinp = CUBE salesinp BY CUBE(product,year);\n"
        "DESCRIBE cubedinp;\n"
        "result = FOREACH cubedinp GENERATE FLATTEN(group), SUM(cube.sales) AS totalsales;"
    )
    lines, log = run(tmp_path, ONE_ROW, body, mode)
    assert lines == sorted(["car,2012,4000", "car,,4000", ",2012,4000", ",,4000"])
    assert (
        "cubedinp: {group: (product: chararray,year: int),cube: {(product: chararray,"
        "year: int,region: chararray,state: chararray,city: chararray,sales: long)}}"
    ) in log


def test_the_documented_rollup_example(tmp_path: Path) -> None:
    body = (
        "rolledup = CUBE salesinp BY ROLLUP(region,state,city);\n"
        "DESCRIBE rolledup;\n"
        "result = FOREACH rolledup GENERATE FLATTEN(group), SUM(cube.sales) AS totalsales;"
    )
    lines, log = run(tmp_path, ONE_ROW, body)
    assert lines == sorted(
        ["midwest,ohio,columbus,4000", "midwest,ohio,,4000", "midwest,,,4000", ",,,4000"]
    )
    assert (
        "rolledup: {group: (region: chararray,state: chararray,city: chararray),cube: "
        "{(region: chararray,state: chararray,city: chararray,product: chararray,year: int,"
        "sales: long)}}"
    ) in log


def test_the_documented_cube_and_rollup_example(tmp_path: Path) -> None:
    body = (
        "cubed_and_rolled = CUBE salesinp BY CUBE(product,year), ROLLUP(region, state, city);\n"
        "result = FOREACH cubed_and_rolled GENERATE FLATTEN(group), SUM(cube.sales) AS total;"
    )
    lines, _ = run(tmp_path, ONE_ROW, body)
    documented = """(car,2012,midwest,ohio,columbus,4000)
(car,2012,midwest,ohio,,4000)
(car,2012,midwest,,,4000)
(car,2012,,,,4000)
(car,,midwest,ohio,columbus,4000)
(car,,midwest,ohio,,4000)
(car,,midwest,,,4000)
(car,,,,,4000)
(,2012,midwest,ohio,columbus,4000)
(,2012,midwest,ohio,,4000)
(,2012,midwest,,,4000)
(,2012,,,,4000)
(,,midwest,ohio,columbus,4000)
(,,midwest,ohio,,4000)
(,,midwest,,,4000)
(,,,,,4000)"""
    assert lines == sorted(line.strip("()") for line in documented.splitlines())


def test_null_dimension_values_become_unknown(tmp_path: Path) -> None:
    # "for CUBE(product,location) with a sample tuple (car,) the output will be
    # (car,unknown) (car,) (,unknown) (,)"
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "in.txt").write_text("car,\n")
    script = (
        "A = LOAD 'in.txt' USING PigStorage(',') AS (product:chararray, location:chararray);\n"
        "C = CUBE A BY CUBE(product, location);\n"
        "R = FOREACH C GENERATE FLATTEN(group);\n"
        "STORE R INTO 'out' USING PigStorage(',');"
    )
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    got = sorted((tmp_path / "out" / "part-r-00000").read_text().splitlines())
    assert got == sorted(["car,unknown", "car,", ",unknown", ","])


def test_dimension_functions_called_directly() -> None:
    # Pig's CubeDimensions and RollupDimensions builtins, with and without an "all" marker
    cube, rollup = lookup("CubeDimensions"), lookup("RollupDimensions")
    assert sorted(cube.fn("a", "b"), key=repr) == sorted(
        [("a", "b"), ("a", None), (None, "b"), (None, None)], key=repr
    )
    assert rollup.fn("a", None, "c") == [
        ("a", "unknown", "c"),
        ("a", "unknown", None),
        ("a", None, None),
        (None, None, None),
    ]
    assert sorted(cube.configured("ALL").fn(1), key=repr) == [("ALL",), (1,)]


@pytest.mark.parametrize(
    "by, message",
    [
        ("CUBE(product, product)", "Duplicate dimensions detected. Dimension name: product"),
        ("CUBE(product), ROLLUP(year, product)", "Duplicate dimensions detected"),
        ("CUBE(nosuch)", "nosuch"),
    ],
)
def test_refused_dimensions(tmp_path: Path, by: str, message: str) -> None:
    (tmp_path / "sales.txt").write_text(ONE_ROW)
    with (
        pytest.raises(PigError, match=message),
        PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig,
    ):
        pig.register_script(SALES + f"c = CUBE salesinp BY {by};\nDUMP c;")


# ------------------------------------------------------------------ against plain Python

WORDS = st.sampled_from(["a", "b", "c", None])
ROWS = st.lists(
    st.tuples(WORDS, st.sampled_from([2012, 2013, None]), WORDS, WORDS, st.integers(0, 99)),
    min_size=1,
    max_size=25,
)


def grouping_sets(cube_dims: int, rollup_dims: int) -> list[tuple[bool, ...]]:
    """Which dimensions each grouping keeps: every subset of the CUBE's, times every prefix
    of the ROLLUP's."""
    subsets = list(itertools.product((True, False), repeat=cube_dims))
    prefixes = [(True,) * k + (False,) * (rollup_dims - k) for k in range(rollup_dims, -1, -1)]
    return [s + p for s in subsets for p in prefixes]


def expected(rows, cube_cols, rollup_cols) -> list[str]:
    dims = cube_cols + rollup_cols
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        values = ["unknown" if row[c] is None else row[c] for c in dims]
        for keep in grouping_sets(len(cube_cols), len(rollup_cols)):
            key = tuple(v if k else None for v, k in zip(values, keep, strict=True))
            totals[key][0] += 1
            totals[key][1] += row[4]
    text = lambda v: "" if v is None else str(v)  # noqa: E731
    return sorted(",".join([*map(text, k), str(n), str(s)]) for k, (n, s) in totals.items())


AGGS = "result = FOREACH c GENERATE FLATTEN(group), COUNT_STAR(cube), SUM(cube.sales);"


def sales_text(rows) -> str:
    """sales.txt for (product, year, region, state, sales) rows; city is always x."""
    cells = (("" if v is None else str(v) for v in (p, y, r, s, "x", n)) for p, y, r, s, n in rows)
    return "".join(",".join(c) + "\n" for c in cells)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_cube_and_rollup_equal_plain_python(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("cube")
    data = sales_text(rows)
    body = "c = CUBE salesinp BY CUBE(product, year), ROLLUP(region, state);\n" + AGGS
    lines, _ = run(tmp, data, body)
    assert lines == expected(rows, [0, 1], [2, 3])
    body = "c = CUBE salesinp BY ROLLUP(state), CUBE(region) PARALLEL 2;\n" + AGGS
    lines, _ = run(tmp / "b", data, body)
    # the ROLLUP comes first here: its prefixes times the CUBE's subsets, same sets
    want = expected(rows, [2], [3])
    swapped = sorted(",".join([w.split(",")[1], w.split(",")[0], *w.split(",")[2:]]) for w in want)
    assert lines == swapped


@given(rows=ROWS)
@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cube_in_mapreduce_mode(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("cube_mr")
    data = sales_text(rows)
    body = "c = CUBE salesinp BY CUBE(product, year);\n" + AGGS
    lines, _ = run(tmp, data, body, mode="mapreduce")
    assert lines == expected(rows, [0, 1], [])
