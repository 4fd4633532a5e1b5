"""A SPLIT tree's merged map: one generated function for every branch (`splittree`).

PigMix L12's shape (a LOAD, a FOREACH, SPLIT into C/alpha, C into D/aleph, a GROUP with an
aggregate per branch, three STOREs) over rows with nulls and bad fields, against plain Python:
each STORE's rows as if it ran alone, and the load warnings as Pig counts them with
multi-query execution: the FOREACH before the SPLIT converts each field once, so a bad field
of a column that one, two or all branches read warns ONCE (not once per branch). Codegen on
and off, several maps and reducers, with and without the combiner.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

USERS = ["u1", "u2", "u3", None]
TERMS = ["t1", "t2", None]
INTS = ["0", "3", "17", "", "x", "9z"]  # "" is null; "x" and "9z" are bad (null, a warning)
DOUBLES = ["0.5", "1.25", "10.0", "", "y", "1.5.2"]
BAD = {"x", "9z", "y", "1.5.2"}

ROW = st.tuples(
    st.sampled_from(USERS),
    st.sampled_from(INTS),  # action
    st.sampled_from(INTS),  # n
    st.sampled_from(DOUBLES),  # rev
    st.sampled_from(TERMS),
)

# each branch's aggregate: (Pig expression over the branch's bag, columns of B it reads
# besides its key); a COUNT of the bag reads only the first column (user, nothing to
# convert): the column pruner drops the others before the GROUP, where Pig keeps and
# converts every column of a bag used whole, so Pig warns for more bad fields than this
# (plan/rules/column_prune.py; the rows are the same)
ALL = {0, 1, 2, 3, 4}
FIRST = {0}
D_AGGS = {"MAX(D.rev)": {3}, "SUM(D.n)": {2}, "COUNT(D)": FIRST}
ALPHA_AGGS = {"SUM(alpha.n)": {2}, "MAX(alpha.rev)": {3}, "COUNT(alpha)": FIRST}
ALEPH_AGGS = {"COUNT(aleph)": FIRST, "SUM(aleph.n)": {2}, "MIN(aleph.rev)": {3}}
KEYS = {1}  # beth groups by action (the other keys are chararrays: nothing to convert)


SCRIPT = """
A = LOAD 'in' AS (user:chararray, action:int, n:int, rev:double, term:chararray, pad:int);
B = FOREACH A GENERATE user, action, n, rev, term;
SPLIT B INTO C IF user IS NOT NULL, alpha IF user IS NULL;
SPLIT C INTO D IF term IS NOT NULL, aleph IF term IS NULL;
E = GROUP D BY user PARALLEL 2;
F = FOREACH E GENERATE group, {d};
STORE F INTO 'highest';
beta = GROUP alpha BY term PARALLEL 2;
gamma = FOREACH beta GENERATE group, {alpha};
STORE gamma INTO 'spent';
beth = GROUP aleph BY action PARALLEL 2;
gimel = FOREACH beth GENERATE group, {aleph};
STORE gimel INTO 'actions';
"""


def _value(text: str | None, kind: type) -> object:
    if text is None or text == "" or text in BAD:
        return None
    return kind(text)


def _agg(expr: str, rows: list[tuple]) -> object:
    """Plain Python's Pig aggregate over a group's rows (user, action, n, rev, term)."""
    if "." not in expr:  # COUNT of the bag: the rows whose first field is not null
        return sum(1 for r in rows if r[0] is not None)
    func, column = expr.split("(")[0], expr.split(".")[-1].rstrip(")")
    values = [r[{"n": 2, "rev": 3}[column]] for r in rows]
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"MAX": max, "MIN": min, "SUM": sum}[func](values)


def _text(v: object) -> str:
    return "" if v is None else str(v)


def expected(rows: list[tuple], d: str, alpha: str, aleph: str) -> dict[str, list[str]]:
    typed = [(u, _value(a, int), _value(n, int), _value(r, float), t) for u, a, n, r, t in rows]
    groups: dict[str, dict] = {"highest": {}, "spent": {}, "actions": {}}
    for r in typed:
        if r[0] is not None and r[4] is not None:
            groups["highest"].setdefault(r[0], []).append(r)
        elif r[0] is None:
            groups["spent"].setdefault(r[4], []).append(r)
        else:
            groups["actions"].setdefault(r[1], []).append(r)
    aggs = {"highest": d, "spent": alpha, "actions": aleph}
    return {
        name: sorted(f"{_text(k)}\t{_text(_agg(aggs[name], rs))}" for k, rs in g.items())
        for name, g in groups.items()
    }


def warnings(rows: list[tuple], read: set[int]) -> int:
    """Pig's count: each bad field of a column some branch reads, once (the FOREACH before
    the SPLIT converts it once, whatever the branches do with the row)."""
    return sum(1 for r in rows for c in read if r[c] in BAD)


def run(tmp: Path, rows: list[tuple], script: str, props: dict, maps: int) -> tuple[dict, dict]:
    (tmp / "in").mkdir()
    for i in range(maps):  # one map per file
        part = rows[i::maps]
        lines = ["\t".join("" if f is None else f for f in r) + "\t1\n" for r in part]
        (tmp / "in" / f"part-{i}").write_text("".join(lines))
    with PigServer("local", cwd=tmp, out=io.StringIO(), properties=props) as pig:
        pig.register_script(script)
        stats = list(pig.stats)
    assert len(stats) == 1 and stats[0]["kind"] == "multiquery"
    warned = stats[0]["counters"].to_dict().get("org.apache.pig.PigWarning", {})
    out = {}
    for name in ("highest", "spent", "actions"):
        lines: list[str] = []
        for part in sorted((tmp / name).glob("part-*")):
            lines += part.read_text().splitlines()
        out[name] = sorted(lines)
    return out, warned


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROW, max_size=40),
    d=st.sampled_from(sorted(D_AGGS)),
    alpha=st.sampled_from(sorted(ALPHA_AGGS)),
    aleph=st.sampled_from(sorted(ALEPH_AGGS)),
    maps=st.integers(1, 3),
    nocombiner=st.booleans(),
)
def test_split_tree_stores_and_warnings_are_pigs(codegen, rows, d, alpha, aleph, maps, nocombiner):
    script = SCRIPT.format(d=d, alpha=alpha, aleph=aleph)
    props = {"pig.codegen": codegen, "pig.exec.nocombiner": str(nocombiner).lower()}
    with tempfile.TemporaryDirectory() as tmp:
        out, warned = run(Path(tmp), rows, script, props, maps)
    assert out == expected(rows, d, alpha, aleph)
    read = D_AGGS[d] | ALPHA_AGGS[alpha] | ALEPH_AGGS[aleph] | KEYS
    if codegen == "false":  # the closures' loader converts every column the FOREACH keeps
        read = ALL
    n = warnings(rows, read)
    assert warned == ({"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": n} if n else {})


OVERLAP = """
A = LOAD 'in' AS (k:chararray, n:int);
B = FILTER A BY k IS NOT NULL;
C = FOREACH B GENERATE k, n * 2 AS m;
SPLIT C INTO big IF m > 10, mid IF m > 4, rest OTHERWISE;
STORE big INTO 'big';
D = DISTINCT mid;
STORE D INTO 'mid';
G = GROUP rest BY k;
H = FOREACH G GENERATE group, COUNT(rest);
STORE H INTO 'rest';
"""


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from(["1", "3", "6", "x"])),
        max_size=30,
    )
)
def test_shared_filter_and_foreach_before_overlapping_split(codegen, rows):
    """A FILTER and a FOREACH every branch starts with run once per row (a bad n warns once);
    a row may go to two branches (m > 10 and m > 4); a map-only, a DISTINCT and a GROUP
    branch. Rows with a bad n have a null m: the conditions are null, so OTHERWISE (Pig's
    NOT (m > 10 OR m > 4), null too) drops them as every branch does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        (path / "in").mkdir()
        text = "".join(f"{'' if k is None else k}\t{n}\n" for k, n in rows)
        (path / "in" / "part-0").write_text(text)
        props = {"pig.codegen": codegen}
        with PigServer("local", cwd=path, out=io.StringIO(), properties=props) as pig:
            pig.register_script(OVERLAP)
            stats = list(pig.stats)
        out = {}
        for name in ("big", "mid", "rest"):
            lines: list[str] = []
            for part in sorted((path / name).glob("part-*")):
                lines += part.read_text().splitlines()
            out[name] = sorted(lines)
    kept = [(k, None if n == "x" else int(n) * 2) for k, n in rows if k is not None]
    big = sorted(f"{k}\t{m}" for k, m in kept if m is not None and m > 10)
    mid = sorted({f"{k}\t{m}" for k, m in kept if m is not None and m > 4})
    counts: dict = {}
    for k, m in kept:
        if m is not None and m <= 4:
            counts[k] = counts.get(k, 0) + 1
    assert out == {"big": big, "mid": mid, "rest": sorted(f"{k}\t{c}" for k, c in counts.items())}
    assert len(stats) == 1
    bad = sum(1 for _k, n in rows if n == "x")  # converted after the LOAD, before the FILTER
    warned = stats[0]["counters"].to_dict().get("org.apache.pig.PigWarning", {})
    assert warned == ({"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": bad} if bad else {})


def test_a_branch_block_leaves_by_break_but_its_own_loops_keep_continue():
    """A branch's ``continue`` (drop the row) becomes ``break`` (leave the branch's block),
    except inside a loop of the branch's own (a FLATTEN); one the tree cannot place (on the
    line of an ``if``) is refused, so the merged job runs the branches' own functions."""
    from piglatin.back.splittree import _breaks

    lines = [
        "        while True:  # branch 0",
        "            if (c2 is None) is not True:",
        "                continue",
        "            for _r in c3:",
        "                if _r is None:",
        "                    continue",
        "                _out.append(_r)",
        "            continue  # a comment",
        "        x = 1",
    ]
    _breaks(lines, 0)
    assert [line.strip() for line in lines[2:8]] == [
        "break",
        "for _r in c3:",
        "if _r is None:",
        "continue",
        "_out.append(_r)",
        "break",
    ]
    with pytest.raises(ValueError):
        _breaks(["    while True:", "        if x: continue"], 0)
