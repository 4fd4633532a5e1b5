"""GROUP + COUNT/COUNT_STAR of the whole grouped rows, with no FLATTEN on the map side, folds
inside the generated map code (`aggregates.inline_tail`), as the other aggregates do: COUNT
skips a row whose FIRST field is null (Pig's COUNT), COUNT_STAR counts every row. Behind a
FLATTEN the closure tail still counts a bag's rows at once. Expected rows from plain Python."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer, explain_text

SCRIPT = """A = LOAD 'in' AS (v:chararray, k:chararray, n:int);
B = GROUP A BY k PARALLEL 2;
C = FOREACH B GENERATE group, COUNT(A), COUNT_STAR(A);
STORE C INTO 'out';"""

TWO_KEYS = """A = LOAD 'in' AS (v:chararray, k:chararray, n:int);
B = GROUP A BY (k, n);
C = FOREACH B GENERATE FLATTEN(group), COUNT(A);
STORE C INTO 'out';"""

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["", "x", "y"]),
        st.sampled_from(["", "a", "b", "c"]),
        st.sampled_from(["", "1", "2", "zz"]),
    ),
    min_size=1,
    max_size=50,
)


def run(where: Path, rows: list[tuple], script: str, props: dict, maps: int) -> list[str]:
    (where / "in").mkdir()
    for i in range(maps):  # one map task per file
        (where / "in" / f"part-{i}").write_text("".join("\t".join(r) + "\n" for r in rows[i::maps]))
    with PigServer("local", cwd=where, out=io.StringIO(), properties=props) as pig:
        pig.register_script(script)
    lines: list[str] = []
    for part in sorted((where / "out").glob("part-*")):
        lines += part.read_text().split("\n")[:-1]
    return sorted(lines)


def expected(rows: list[tuple]) -> list[str]:
    counts: dict[str, list[int]] = {}
    for v, k, _n in rows:
        c = counts.setdefault(k, [0, 0])
        c[0] += v != ""
        c[1] += 1
    return sorted(f"{k}\t{c}\t{s}" for k, (c, s) in counts.items())


def expected_two(rows: list[tuple]) -> list[str]:
    counts: dict[tuple, int] = {}
    for v, k, n in rows:
        key = (k, n if n.isdigit() else "")  # a bad int is null
        counts[key] = counts.get(key, 0) + (v != "")
    return sorted(f"{k}\t{n}\t{c}" for (k, n), c in counts.items())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, maps=st.integers(1, 3), codegen=st.sampled_from(["true", "false"]))
def test_count_of_whole_rows_is_plain_pythons(tmp_path_factory, rows, maps, codegen) -> None:
    where = tmp_path_factory.mktemp("count")
    assert run(where, rows, SCRIPT, {"pig.codegen": codegen}, maps) == expected(rows)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, maps=st.integers(1, 2))
def test_count_under_a_two_column_key(tmp_path_factory, rows, maps) -> None:
    where = tmp_path_factory.mktemp("two")
    assert run(where, rows, TWO_KEYS, {}, maps) == expected_two(rows)


def test_folded_inline_without_flatten_and_not_behind_one(tmp_path: Path) -> None:
    code = explain_text(SCRIPT, cwd=str(tmp_path))
    assert "_acc" in code[code.index("def map0_batch") :]  # the inline fold's table
    words = """A = LOAD 'in' AS (line:chararray);
B = FOREACH A GENERATE FLATTEN(TOKENIZE(line)) AS w;
C = GROUP B BY w;
D = FOREACH C GENERATE group, COUNT(B);
STORE D INTO 'out';"""
    code = explain_text(words, cwd=str(tmp_path))
    assert "_acc" not in code
