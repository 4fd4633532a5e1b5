"""Spillable bags (piglatin/spillbag.py): GROUP bags, nested DISTINCT/ORDER and join/CROSS
buffers move to disk past ``pig.cachedbag.memusage`` of the task's memory and read back the
same rows. Answers are checked against plain Python; budgets are made tiny so small inputs
really spill (a spy counts the spill files), and the must-show test runs 5 M rows under a
300 MB address-space limit.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import msgpack
import pytest

from piglatin.back import spillbag as S
from piglatin.model.data import sort_bytes
from piglatin.launcher import run_script
from piglatin.back.storage import pack_value

TINY = S.BagBudget(20_000)  # bytes: a few hundred small rows


def _packed(rows: list[tuple], tag: int = 0) -> list[tuple[int, bytes]]:
    return [(tag, pack_value(r)) for r in rows]


def _unpack(b: bytes) -> tuple:
    from piglatin.back.storage import unpack_value

    return unpack_value(b)


# ----------------------------------------------------------------------------- unit level
def test_small_group_stays_a_plain_list() -> None:
    rows = [(i, f"v{i}") for i in range(S.CHECK_ROWS)]
    (bag,) = S.group_bags(_packed(rows), 1, TINY, _unpack, frozenset({0}))
    assert type(bag) is list and bag == rows


def test_group_bag_past_its_share_goes_to_disk_and_reads_back() -> None:
    rows = [(i % 7, f"v{i}", None if i % 5 else 1.5) for i in range(3 * S.CHECK_ROWS + 11)]
    (bag,) = S.group_bags(_packed(rows), 1, TINY, _unpack, frozenset({0}))
    assert isinstance(bag, S.SpillBag)
    assert list(bag) == rows and list(bag) == rows  # re-iterable, in arrival order
    assert len(bag) == len(rows) and bool(bag) and bag[0] == rows[0] and bag[-1] == rows[-1]
    assert bag[5:9] == rows[5:9]
    assert list(bag.project((1,))) == [(r[1],) for r in rows]
    assert list(bag.project((2, 0))) == [(r[2], r[0]) for r in rows]


def test_a_bag_not_allowed_to_spill_stays_a_list_however_big() -> None:
    rows = [(i,) for i in range(3 * S.CHECK_ROWS)]
    (bag,) = S.group_bags(_packed(rows), 1, TINY, _unpack, frozenset())
    assert type(bag) is list and bag == rows


def test_cogroup_bags_spill_separately() -> None:
    left = [(i, "l") for i in range(3 * S.CHECK_ROWS)]
    right = [(i, "r") for i in range(10)]
    mixed = []
    for i in range(len(left)):
        mixed.append((0, pack_value(left[i])))
        if i < len(right):
            mixed.append((1, pack_value(right[i])))
    a, b = S.group_bags(mixed, 2, TINY, _unpack, frozenset({0, 1}))
    assert isinstance(a, S.SpillBag) and list(a) == left
    assert type(b) is list and b == right


def test_complex_values_survive_a_spill() -> None:
    when = datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    rows = [(i, [(1, "x"), (None,)], {"k": i}, when, b"\x00\xff", ()) for i in range(9000)]
    (bag,) = S.group_bags(_packed(rows), 1, TINY, _unpack, frozenset({0}))
    assert isinstance(bag, S.SpillBag) and list(bag) == rows
    assert list(S.sort_bag(bag, lambda t: sort_bytes(-t[0]), TINY)) == rows[::-1]


def _on_disk(rows: list[tuple]) -> S.SpillBag:
    (bag,) = S.group_bags(_packed(rows), 1, TINY, _unpack, frozenset({0}))
    assert isinstance(bag, S.SpillBag)
    return bag


def test_distinct_of_a_spilled_bag_merges_runs_without_repeats() -> None:
    rows = [(i % 3001, "a" if i % 2 else None) for i in range(20_000)]
    got = S.distinct_bag(_on_disk(rows), TINY)
    assert isinstance(got, S.MergedBag)
    expected = set(rows)
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert len(got) == len(expected) and list(got) == list(got)


def test_distinct_runs_merge_in_several_passes(monkeypatch) -> None:
    monkeypatch.setattr(S, "MAX_RUNS", 3)
    rows = [(i % 5003,) for i in range(30_000)]
    got = S.distinct_bag(_on_disk(rows), TINY)
    assert sorted(got) == sorted(set(rows))


def test_distinct_of_a_list_keeps_first_seen_order() -> None:
    assert S.distinct_bag([(2,), (1,), (2,), (None,), (1,)]) == [(2,), (1,), (None,)]


def test_order_of_a_spilled_bag_is_a_stable_sort() -> None:
    rows = [(i % 97, i) for i in range(20_000)]  # many equal keys: arrival order must hold

    def key(t):
        return sort_bytes(t[0])

    got = S.sort_bag(_on_disk(rows), key, TINY)
    assert isinstance(got, S.MergedBag)
    assert list(got) == sorted(rows, key=lambda t: t[0]) and len(got) == len(rows)
    assert got[:3] == sorted(rows, key=lambda t: t[0])[:3]


def test_row_buffer_spills_in_pieces_and_keeps_order() -> None:
    buf = S.RowBuffer(TINY, 1)
    rows = [(i, "x" * (i % 13)) for i in range(10_000)]
    for r in rows:
        buf.append(r)
    assert buf.spilled and len(buf) == len(rows)
    assert list(buf) == rows and [r for c in buf.chunks() for r in c] == rows
    assert list(S.product_rows([buf, [(1,), (2,)]]))[:3] == [
        rows[0] + (1,),
        rows[0] + (2,),
        rows[1] + (1,),
    ]
    buf.close()


def test_budget_reads_memusage_and_task_memory() -> None:
    conf = {"mapreduce.reduce.memory.mb": "100", S.MEMUSAGE: "0.5"}
    assert S.BagBudget.of(conf).bytes == 50 << 20
    assert S.task_memory({"mapreduce.map.memory.mb": "2"}, "map") == 2 << 20
    with pytest.raises(ValueError, match="pig.cachedbag.memusage"):
        S.BagBudget.of({S.MEMUSAGE: "lots"})
    with pytest.raises(ValueError, match="pig.cachedbag.memusage"):
        S.BagBudget.of({S.MEMUSAGE: "1.5"})


def test_spill_files_leave_nothing_in_their_directory(tmp_path: Path) -> None:
    budget = S.BagBudget(20_000, str(tmp_path))
    (bag,) = S.group_bags(_packed([(i,) for i in range(9000)]), 1, budget, _unpack, frozenset({0}))
    assert isinstance(bag, S.SpillBag) and len(list(bag)) == 9000
    assert os.listdir(tmp_path) == []  # anonymous files: gone with the task, even if killed


# ----------------------------------------------------------------------------- whole scripts
@pytest.fixture
def spills(monkeypatch) -> list[int]:
    """Counts spill files made while a script runs (local mode runs its tasks in-process)."""
    made: list[int] = []
    real = S.SpillFile.__init__

    def spy(self, directory):
        made.append(1)
        real(self, directory)

    monkeypatch.setattr(S.SpillFile, "__init__", spy)
    return made


SMALL = "SET mapreduce.reduce.memory.mb 100;\nSET pig.cachedbag.memusage 0.002;\n"  # 200 KB


def _data(tmp_path: Path, n: int = 20_000) -> list[tuple[str, int, int]]:
    rows = [("ab"[i % 2] if i % 11 else "c", (i * 7919) % 4099, i) for i in range(n)]
    (tmp_path / "a.txt").write_text("".join(f"{k}\t{v}\t{i}\n" for k, v, i in rows))
    return rows


def _run(tmp_path: Path, script: str) -> Counter:
    out = io.StringIO()
    assert run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=out) == 0
    return Counter(line for line in out.getvalue().splitlines() if line)


def _groups(rows: list[tuple]) -> dict[str, list[tuple]]:
    groups: dict[str, list[tuple]] = {}
    for r in rows:
        groups.setdefault(r[0], []).append(r)
    return groups


def test_nested_distinct_order_limit_over_spilled_groups(tmp_path: Path, spills) -> None:
    rows = _data(tmp_path)
    got = _run(
        tmp_path,
        SMALL
        + """A = LOAD 'a.txt' AS (k:chararray, v:int, i:int);
        B = GROUP A BY k;
        C = FOREACH B { D = DISTINCT A.v; S = ORDER A BY v DESC, i; T = LIMIT S 2;
            F = FILTER A BY v < 100; G = FOREACH A GENERATE i * 2;
            GENERATE group, COUNT(D), COUNT(A), SUM(A.v), COUNT(F), SUM(G), FLATTEN(T); };
        DUMP C;""",
    )
    expected: Counter = Counter()
    for k, g in _groups(rows).items():
        top = sorted(g, key=lambda r: (-r[1], r[2]))[:2]
        small = sum(1 for r in g if r[1] < 100)
        for t in top:
            line = (k, len({r[1] for r in g}), len(g), sum(r[1] for r in g), small)
            line += (sum(2 * r[2] for r in g), *t)
            expected["(" + ",".join(map(str, line)) + ")"] += 1
    assert got == expected
    assert spills  # the bags really went to disk


def test_group_bag_counted_without_combiner_spills(tmp_path: Path, spills) -> None:
    rows = _data(tmp_path)
    got = _run(
        tmp_path,
        SMALL
        + """SET pig.exec.nocombiner true;
        A = LOAD 'a.txt' AS (k:chararray, v:int, i:int);
        B = GROUP A BY k;
        C = FOREACH B GENERATE group, COUNT(A), MAX(A.i), MIN(A.v), SUM(A.v);
        DUMP C;""",
    )
    expected = Counter(
        f"({k},{len(g)},{max(r[2] for r in g)},{min(r[1] for r in g)},{sum(r[1] for r in g)})"
        for k, g in _groups(rows).items()
    )
    assert got == expected and spills


def test_flatten_of_a_spilled_group_and_cogroup(tmp_path: Path, spills) -> None:
    rows = _data(tmp_path)
    (tmp_path / "b.txt").write_text("a\t1\nc\t2\nz\t3\n")
    got = _run(
        tmp_path,
        SMALL
        + """A = LOAD 'a.txt' AS (k:chararray, v:int, i:int);
        X = LOAD 'b.txt' AS (k:chararray, w:int);
        SET pig.exec.nocombiner true; -- COGROUP's bags, not cogroupaggs.py's partials
        B = GROUP A BY k;
        C = FOREACH B GENERATE FLATTEN(A);
        G = COGROUP A BY k, X BY k;
        H = FOREACH G GENERATE group, COUNT(A), COUNT(X);
        U = UNION C, H;
        DUMP U;""",
    )
    expected = Counter(f"({k},{v},{i})" for k, v, i in rows)
    groups = _groups(rows)
    for k in sorted(set(groups) | {"z"}):
        expected[f"({k},{len(groups.get(k, []))},{int(k in 'acz')})"] += 1
    assert got == expected and spills


def test_a_bag_given_to_other_functions_stays_in_memory(tmp_path: Path, spills) -> None:
    """A bag given to a function not known to read it row by row (or stored) is never
    spilled: such code sees the list it always did."""
    rows = _data(tmp_path, 9000)
    got = _run(
        tmp_path,
        SMALL
        + """A = LOAD 'a.txt' AS (k:chararray, v:int, i:int);
        B = GROUP A BY k;
        C = FOREACH B GENERATE group, SIZE(A), IsEmpty(A), COUNT(A);
        DUMP C;""",
    )
    expected = Counter(f"({k},{len(g)},false,{len(g)})" for k, g in _groups(rows).items())
    assert got == expected and not spills


@pytest.mark.parametrize("inputs", [2, 3])
def test_cross_spills_its_buffered_inputs(tmp_path: Path, spills, inputs: int) -> None:
    left = [(i, f"l{i}") for i in range(6000)]
    (tmp_path / "l.txt").write_text("".join(f"{i}\t{s}\n" for i, s in left))
    (tmp_path / "m.txt").write_text("1\n2\n")
    (tmp_path / "r.txt").write_text("x\ny\nz\n")
    names = ["L", "R"] if inputs == 2 else ["L", "M", "R"]
    got = _run(
        tmp_path,
        SMALL
        + "SET pig.exec.mapCrossBytes 0;\n"  # GFCross: small inputs cross in the map side
        + f"""L = LOAD 'l.txt' AS (i:int, s:chararray);
        M = LOAD 'm.txt' AS (m:int);
        R = LOAD 'r.txt' AS (r:chararray);
        C = CROSS {", ".join(names)};
        DUMP C;""",
    )
    mids = [(1,), (2,)] if inputs == 3 else [()]
    expected = Counter(
        "(" + ",".join(map(str, lrow + mid + (r,))) + ")"
        for lrow in left
        for mid in mids
        for r in "xyz"
    )
    assert got == expected and spills


# ----------------------------------------------------------------------------- must-show
def _limit_as(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.slow
def test_five_million_rows_in_one_group_under_300_mb_address_space(tmp_path: Path) -> None:
    """GROUP of 5 M rows under one key, then a nested DISTINCT, a COUNT of the bag (no
    combiner, so the bag is built) and a nested ORDER + LIMIT, in `pig -x local` under
    RLIMIT_AS = 300 MB. MALLOC_ARENA_MAX=2: glibc reserves address space per thread arena."""
    n, distinct = 5_000_000, 1_500_000
    data = tmp_path / "big.txt"
    with open(data, "w") as f:
        for start in range(0, n, 500_000):
            f.write("".join(f"k\t{i % distinct}\n" for i in range(start, start + 500_000)))
    script = tmp_path / "q.pig"
    script.write_text(
        f"""SET pig.exec.nocombiner true;
        A = LOAD '{data}' AS (k:chararray, v:int);
        B = GROUP A BY k;
        C = FOREACH B {{ D = DISTINCT A.v; GENERATE group, COUNT(D); }};
        STORE C INTO '{tmp_path / "distinct"}';
        E = FOREACH B GENERATE group, COUNT(A), MAX(A.v);
        STORE E INTO '{tmp_path / "count"}';
        F = FOREACH B {{ S = ORDER A BY v DESC; T = LIMIT S 3; GENERATE FLATTEN(T); }};
        STORE F INTO '{tmp_path / "top"}';
        """
    )
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    code = "import sys; from piglatin.tools.cli import main; sys.argv[0] = 'pig'; sys.exit(main())"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code, "-x", "local", str(script)],
        env=env,
        cwd=tmp_path,
        preexec_fn=_limit_as(300 << 20),
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(f"5 M rows under 300 MB: {time.monotonic() - started:.0f} s")

    def lines(name: str) -> list[str]:
        return sorted(
            line for p in (tmp_path / name).glob("part-*") for line in p.read_text().splitlines()
        )

    values = [i % distinct for i in range(n)]  # the answers, in plain Python
    assert lines("distinct") == [f"k\t{len(set(values))}"]
    assert lines("count") == [f"k\t{len(values)}\t{max(values)}"]
    assert lines("top") == sorted(f"k\t{v}" for v in sorted(values, reverse=True)[:3])


def test_spill_file_batches_are_plain_msgpack_when_rows_are_atoms() -> None:
    out = S.SpillFile(None)
    out.write_batch([(1, "a"), (None, b"x")])
    out.write_batch([(1, [(2,)])])  # a bag inside: Pig's encoding
    assert list(out.batches()) == [((1, "a"), (None, b"x")), ((1, [(2,)]),)]
    raw = os.pread(out.file.fileno(), 100, 0)
    assert msgpack.unpackb(raw[: len(msgpack.packb([[1, "a"], [None, b"x"]]))]) == [
        [1, "a"],
        [None, b"x"],
    ]
    out.close()
