"""A LOAD without a schema whose map chain FILTERs (or SPLITs) before its first FOREACH: the
FILTER passes its rows on whole, but only to that FOREACH, so every field the chain reads is
named by position and the line is split only up to the last of them (`runtime.fields_read`),
in generated map code (Q17 of bench_pigshapes). Against plain Python computing Pig's answer
(a field is its text, null when empty or past the line's end; ``==`` of a bytearray with a
chararray compares text; a null condition drops the row), and against the same script run
as closures (``SET pig.codegen false``)."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

TEXTS = ["a", "b", "", "3", "12", "n/a", "2.5", "-1", "x y", "é"]
ROWS = st.lists(st.lists(st.sampled_from(TEXTS), min_size=0, max_size=7), max_size=40)


def _run(tmp: Path, rows: list[list[str]], script: str, codegen: bool) -> dict[str, list[str]]:
    (tmp / "in").write_text("".join(",".join(r) + "\n" for r in rows))
    head = "" if codegen else "SET pig.codegen false;\n"
    assert run_script(head + script, cwd=tmp, filename="t.pig", out=io.StringIO()) == 0
    out = {}
    for d in sorted(p for p in tmp.iterdir() if p.is_dir() and p.name.startswith("out")):
        out[d.name] = sorted(line for f in d.glob("part-*") for line in f.read_text().splitlines())
    return out


def _f(r: list[str], i: int) -> str | None:
    """Field `i` of a line as Pig reads it without a schema: null when empty or missing."""
    return r[i] if i < len(r) and r[i] != "" else None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))
        except ValueError:
            return None


def _t(v) -> str:
    return "" if v is None else str(v)


FILTER_FOREACH = """A = LOAD 'in' USING PigStorage(',');
F = FILTER A BY $1 == 'a' OR (int)$4 > 2;
B = FOREACH F GENERATE $2, (chararray)$0, (int)$4;
STORE B INTO 'out';"""


def _filter_foreach(rows):
    out = []
    for r in rows:
        b, n = _f(r, 1), _int(_f(r, 4))
        if b == "a" or (n is not None and n > 2):
            out.append(f"{_t(_f(r, 2))}\t{_t(_f(r, 0))}\t{_t(n)}")
    return {"out": sorted(out)}


SPLIT_GROUP = """A = LOAD 'in' USING PigStorage(',');
SPLIT A INTO X IF $0 == 'a', Y OTHERWISE;
B = FOREACH X GENERATE $1 AS k, (int)$3 AS n;
G = GROUP B BY k;
C = FOREACH G GENERATE group, COUNT(B), SUM(B.n);
STORE C INTO 'out';
D = FOREACH Y GENERATE $5;
STORE D INTO 'out2';"""


def _split_group(rows):
    groups: dict = defaultdict(lambda: [0, None])
    other = []
    for r in rows:
        first = _f(r, 0)
        if first == "a":
            g = groups[_f(r, 1)]
            g[0] += _f(r, 1) is not None  # COUNT skips a row whose first field is null
            if (n := _int(_f(r, 3))) is not None:
                g[1] = n if g[1] is None else g[1] + n
        elif first is not None:  # OTHERWISE: the condition false (null is neither)
            other.append(_t(_f(r, 5)))
    lines = [f"{_t(k)}\t{c}\t{_t(s)}" for k, (c, s) in groups.items()]
    return {"out": sorted(lines), "out2": sorted(other)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
@pytest.mark.parametrize(
    ("script", "answer"),
    [(FILTER_FOREACH, _filter_foreach), (SPLIT_GROUP, _split_group)],
    ids=["filter_foreach", "split_group"],
)
def test_filter_first_is_pigs_answer_and_the_closures(tmp_path_factory, script, answer, rows):
    gen = _run(tmp_path_factory.mktemp("gen"), rows, script, codegen=True)
    closures = _run(tmp_path_factory.mktemp("off"), rows, script, codegen=False)
    assert gen == closures == answer(rows)


def test_filter_first_is_generated_code_over_the_first_fields(tmp_path: Path) -> None:
    """The map side is generated code splitting each line only up to field $4."""
    from piglatin.launcher import explain_text

    (tmp_path / "in").write_text("a,b\n")
    script = FILTER_FOREACH.replace("STORE B INTO 'out';", "")
    code = explain_text(script, "B", cwd=str(tmp_path))
    assert "def map0_batch(" in code
    assert "_v.split(',', 5)" in code


TWO_BRANCHES = """A = LOAD 'in' USING PigStorage(',');
B = FOREACH A GENERATE $1 AS k, (int)$3 AS n;
G = GROUP B BY k;
C = FOREACH G GENERATE group, SUM(B.n);
STORE C INTO 'out';
D = FOREACH A GENERATE (int)$5 AS m, $0 AS k;
H = GROUP D BY k;
E = FOREACH H GENERATE group, SUM(D.m);
STORE E INTO 'out2';"""


@pytest.mark.parametrize("codegen", [True, False], ids=["codegen", "closures"])
def test_multiquery_branches_reading_different_first_fields(tmp_path: Path, codegen) -> None:
    """Two STOREs of one LOAD merged into one job, whose branches split each line up to
    different fields ($3 and $5): branches share a parse only when it is the same one (the
    closures shared the first branch's 4 fields, and $5 read as null)."""
    rows = [["b", "a", "x", "2", "y", "7"], ["b", "c", "", "5", "", "1"], ["q"]]
    got = _run(tmp_path, rows, TWO_BRANCHES, codegen)
    assert got == {"out": ["\t", "a\t2", "c\t5"], "out2": ["b\t8", "q\t"]}
