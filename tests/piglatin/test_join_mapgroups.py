"""A hash join's map output grouped by key in the map task (`mapgroups.KeyGroups`) gives the
same joins as plain Python: inner, outer and three-way joins, keys that repeat and keys that do
not (the grouping gives up), a held-rows bound small enough to flush many times, and the
grouping switched off (``pig.exec.mapKeyGroups=false``)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from piglatin.back.mapgroups import SAMPLE_RECORDS, KeyGroups, group_rows
from piglatin.launcher import run_script


def test_rows_of_a_key_leave_together_in_their_order() -> None:
    groups = KeyGroups(1 << 30)
    records = [(b"k%d" % (i % 3), (1, b"row%d" % i)) for i in range(9)]
    assert groups.add(records) == []
    out = {kb: (tag, list(group_rows(pv))) for kb, (tag, pv) in groups.flush()}
    assert out == {
        b"k0": (1, [b"row0", b"row3", b"row6"]),
        b"k1": (1, [b"row1", b"row4", b"row7"]),
        b"k2": (1, [b"row2", b"row5", b"row8"]),
    }
    assert groups.add([(b"k9", (1, b"one"))]) == [] and groups.flush() == [(b"k9", (1, b"one"))]


def test_keys_that_do_not_repeat_stop_the_grouping() -> None:
    groups = KeyGroups(1 << 30)
    first = [(b"%d" % i, (0, b"r")) for i in range(SAMPLE_RECORDS)]
    out = groups.add(first)
    assert sorted(out) == sorted(first)  # everything held leaves, one record a key
    later = [(b"x", (0, b"a")), (b"x", (0, b"b"))]
    assert groups.add(later) == later  # from then on records pass as they come
    assert groups.flush() == []


def test_the_held_rows_are_bounded() -> None:
    groups = KeyGroups(1)  # the smallest bound: 1000 rows
    out = []
    for i in range(5):
        out += groups.add([(b"k", (0, b"%d" % (i * 400 + j))) for j in range(400)])
    assert out  # flushed before the end
    out += groups.flush()
    rows = [r for _kb, (_tag, pv) in out for r in (group_rows(pv) if type(pv) is list else [pv])]
    assert rows == [b"%d" % n for n in range(2000)]


def field(v) -> str:
    return "" if v is None else str(v)


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(field(x) for x in r) + "\n" for r in rows))


def run(tmp_path: Path, script: str, mode: str, sets: str) -> list[str]:
    out = (tmp_path / "out").as_uri()
    log = io.StringIO()
    script = sets + script.replace("'out'", f"'{out}'")
    assert run_script(script, exec_type=mode, cwd=tmp_path, filename="t.pig", out=log) == 0, (
        log.getvalue()
    )
    lines = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


LOADS = (
    "L = LOAD 'l.txt' AS (k:chararray, a:chararray, n:int);\n"
    "R = LOAD 'r.txt' AS (k:chararray, b:chararray);\n"
    "S = LOAD 's.txt' AS (k:chararray, c:int);\n"
)
SETTINGS = [
    ("local", ""),
    ("mapreduce", "set mapreduce.task.io.sort.mb 1;\nset default_parallel 3;\n"),
    ("local", "set pig.exec.mapKeyGroups false;\n"),
]


def tables(distinct: bool):
    rnd = random.Random(11)
    keys = [f"k{i}" for i in range(40)]
    pick = (lambda i: f"u{i}") if distinct else (lambda i: rnd.choice(keys + [None]))
    left = [(pick(i), f"a{i}", i) for i in range(12000)]
    right = [
        (rnd.choice(keys + ["zz"]) if not distinct else f"u{i * 3}", f"b{i}") for i in range(90)
    ]
    third = [(rnd.choice(keys), i) for i in range(30)]
    return left, right, third


@pytest.mark.parametrize(("mode", "sets"), SETTINGS)
@pytest.mark.parametrize("distinct", [False, True])
def test_inner_outer_and_three_way_joins(tmp_path: Path, mode: str, sets: str, distinct: bool):
    left, right, third = tables(distinct)
    write(tmp_path / "l.txt", left)
    write(tmp_path / "r.txt", right)
    write(tmp_path / "s.txt", third)
    inner = run(
        tmp_path,
        LOADS + "J = JOIN L BY k, R BY k;\nC = FOREACH J GENERATE L::a, R::b;\nSTORE C INTO 'out';",
        mode,
        sets,
    )
    assert inner == sorted(
        f"{lr[1]}\t{rr[1]}" for lr in left for rr in right if lr[0] is not None and lr[0] == rr[0]
    )
    (tmp_path / "out").rename(tmp_path / "out1")
    outer = run(
        tmp_path,
        LOADS + "J = JOIN L BY k FULL OUTER, R BY k;\n"
        "C = FOREACH J GENERATE L::a, R::b;\nSTORE C INTO 'out';",
        mode,
        sets,
    )
    want = []
    for lr in left:
        m = [rr for rr in right if lr[0] is not None and rr[0] == lr[0]]
        want += [f"{lr[1]}\t{rr[1]}" for rr in m] or [f"{lr[1]}\t"]
    want += [f"\t{rr[1]}" for rr in right if not any(lr[0] == rr[0] for lr in left)]
    assert outer == sorted(want)
    (tmp_path / "out").rename(tmp_path / "out2")
    three = run(
        tmp_path,
        LOADS + "J = JOIN L BY k, R BY k, S BY k;\n"
        "C = FOREACH J GENERATE L::a, R::b, S::c;\nSTORE C INTO 'out';",
        mode,
        sets,
    )
    assert three == sorted(
        f"{lr[1]}\t{rr[1]}\t{sr[1]}"
        for lr in left
        for rr in right
        for sr in third
        if lr[0] is not None and lr[0] == rr[0] == sr[0]
    )


@pytest.mark.parametrize(("mode", "sets"), SETTINGS)
def test_group_and_cogroup_bags(tmp_path: Path, mode: str, sets: str) -> None:
    left, right, _third = tables(False)
    write(tmp_path / "l.txt", left)
    write(tmp_path / "r.txt", right)
    got = run(
        tmp_path,
        LOADS + "G = GROUP L BY k;\n"
        "C = FOREACH G { o = ORDER L BY n DESC; t = LIMIT o 2; GENERATE group, COUNT(L), t.n; };\n"
        "STORE C INTO 'out';",
        mode,
        sets,
    )
    by_key: dict = {}
    for r in left:
        by_key.setdefault(r[0], []).append(r)
    want = []
    for k, rs in by_key.items():
        top = sorted((r[2] for r in rs), reverse=True)[:2]
        count = sum(1 for r in rs if r[0] is not None)  # COUNT skips a null first field
        want.append(f"{field(k)}\t{count}\t{{" + ",".join(f"({n})" for n in top) + "}")
    assert got == sorted(want)
    (tmp_path / "out").rename(tmp_path / "out1")
    got = run(
        tmp_path,
        "SET pig.exec.nocombiner true;\n"  # the bags' map records, not cogroupaggs.py's
        + LOADS
        + "G = COGROUP L BY k, R BY k;\n"
        "C = FOREACH G GENERATE group, COUNT(L), COUNT(R);\nSTORE C INTO 'out';",
        mode,
        sets,
    )
    keys = {r[0] for r in left} | {r[0] for r in right}
    want = [
        f"{field(k)}\t{sum(1 for r in left if r[0] == k and r[0] is not None)}"
        f"\t{sum(1 for r in right if r[0] == k and r[0] is not None)}"
        for k in keys
    ]
    assert got == sorted(want)
