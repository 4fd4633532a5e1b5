"""A nested DISTINCT under a combined GROUP (``{ d = DISTINCT A.x; GENERATE COUNT(d) }``,
Pig's algebraic Distinct) is folded inside the generated map code: each key's values seen
are kept in a dict (`codegen._agg_slots`), and the flush makes Distinct's partial bag of
them. Expected rows come from plain Python (sets; NaN counted once, as Pig's Distinct takes
every NaN as one value; nulls kept by DISTINCT and skipped by COUNT, SUM and MAX)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import explain_text, run_script

SCRIPT = """A = LOAD 'a.txt' AS (k:chararray, n:int, x:double, s:chararray);
B = GROUP A BY k;
C = FOREACH B {
    dn = DISTINCT A.n;
    dx = DISTINCT A.x;
    ds = DISTINCT A.s;
    GENERATE group, COUNT(dn), SUM(dn), COUNT(dx), COUNT(ds), MAX(ds);
};
STORE C INTO 'out';"""

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["", "0", "1", "1", "7", "-2"]),
        st.sampled_from(["", "0.5", "0.5", "2.0", "-0.0", "0.0", "NaN"]),
        st.sampled_from(["", "p", "q", "p", "é"]),
    ),
    min_size=1,
    max_size=40,
)


def expected(rows: list[tuple[str, str, str, str]]) -> list[str]:
    out = []
    for k in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == k]
        ns = {int(r[1]) for r in mine if r[1]}
        xs = {float(r[2]) for r in mine if r[2] and r[2] != "NaN"}  # -0.0 == 0.0: one value
        nan = any(r[2] == "NaN" for r in mine)
        ss = {r[3] for r in mine if r[3]}
        total = str(sum(ns)) if ns else ""
        fields = [k, str(len(ns)), total, str(len(xs) + nan), str(len(ss)), max(ss, default="")]
        out.append("\t".join(fields))
    return out


def run(rows: list[tuple[str, str, str, str]], exec_type: str = "local") -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "a.txt").write_text("".join("\t".join(r) + "\n" for r in rows))
        log = io.StringIO()
        assert run_script(SCRIPT, exec_type=exec_type, cwd=path, filename="t.pig", out=log) == 0
        lines: list[str] = []
        for part in sorted((path / "out").glob("part-*")):
            lines += part.read_text().splitlines()
    return sorted(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_distinct_values_folded_in_the_map_are_plain_pythons(rows) -> None:
    assert run(rows) == expected(rows)


def test_the_map_code_folds_the_distinct_values(tmp_path: Path) -> None:
    code = explain_text(SCRIPT, cwd=str(tmp_path))
    body = code[code.index("def map0_batch") :]
    assert ".setdefault(" in body  # folded inline, not the closure tail per row


def test_many_nans_are_one_value() -> None:
    rows = [("a", "1", "NaN", "p")] * 5 + [("a", "1", "Infinity", "p")]
    assert run(rows) == ["a\t1\t1\t2\t1\tp"]
