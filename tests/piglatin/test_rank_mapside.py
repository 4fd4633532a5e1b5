"""A plain RANK runs as Pig runs it (MRCompiler.visitRank): a map-only job counts the rows of
each map task, then a map-only job ranks each task's rows from the counts of the tasks before
it (rank = rows of the earlier tasks + position in its own), with no reducer. Expected ranks
come from plain Python: the input's order, 1 to n."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import PigServer


def _run(tmp_path: Path, script: str, mode: str = "local") -> dict:
    with PigServer(mode, cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
        return {s["kind"]: s for s in pig.stats}


def _lines(out: Path) -> list[list[str]]:
    rows = []
    for part in sorted(out.glob("part-*")):
        rows += [line.split("\t") for line in part.read_text().splitlines()]
    return rows


def _input(tmp_path: Path, n: int) -> list[tuple[int, str]]:
    rows = [((i * 7919) % 1000, f"r{i}") for i in range(n)]
    (tmp_path / "in.txt").write_text("".join(f"{k}\t{s}\n" for k, s in rows))
    return rows


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_plain_rank_over_many_map_tasks_is_the_input_order(tmp_path: Path, codegen: str) -> None:
    rows = _input(tmp_path, 3000)
    stats = _run(
        tmp_path,
        f"""SET pig.codegen {codegen};
        SET mapreduce.input.fileinputformat.split.maxsize 2000;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        F = FILTER A BY k % 3 != 0;
        R = RANK F;
        STORE R INTO 'out';""",
    )
    assert stats["rank"]["maps"] > 5 and stats["rank"]["reduces"] == 0
    kept = [r for r in rows if r[0] % 3 != 0]
    want = [[str(i), str(k), s] for i, (k, s) in enumerate(kept, 1)]
    got = _lines(tmp_path / "out")
    assert sorted(got, key=lambda r: int(r[0])) == want


def test_plain_rank_field_is_a_long_named_after_the_input(tmp_path: Path) -> None:
    _input(tmp_path, 50)
    script = """SET mapreduce.input.fileinputformat.split.maxsize 100;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        R = RANK A;
        B = FOREACH R GENERATE rank_A * 3000000000L AS big, s;
        STORE B INTO 'out';"""
    _run(tmp_path, script)
    got = sorted(int(r[0]) for r in _lines(tmp_path / "out"))
    assert got == [i * 3000000000 for i in range(1, 51)]


def test_plain_rank_of_an_order_over_three_reducers_follows_the_order(tmp_path: Path) -> None:
    rows = [(i * 7919 % 2003, f"r{i}") for i in range(2003)]  # distinct keys
    (tmp_path / "in.txt").write_text("".join(f"{k}\t{s}\n" for k, s in rows))
    stats = _run(
        tmp_path,
        """SET mapreduce.input.fileinputformat.split.maxsize 4000;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        O = ORDER A BY k DESC PARALLEL 3;
        R = RANK O;
        STORE R INTO 'out';""",
    )
    assert stats["order"]["reduces"] == 3
    want = [[str(i), str(k), s] for i, (k, s) in enumerate(sorted(rows, reverse=True), 1)]
    assert sorted(_lines(tmp_path / "out"), key=lambda r: int(r[0])) == want


def test_plain_rank_of_a_union_ranks_every_row_once(tmp_path: Path) -> None:
    rows = _input(tmp_path, 400)
    (tmp_path / "in2.txt").write_text("".join(f"{k}\tx{k}\n" for k, _s in rows[:100]))
    _run(
        tmp_path,
        """SET mapreduce.input.fileinputformat.split.maxsize 700;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        B = LOAD 'in2.txt' AS (k:int, s:chararray);
        U = UNION A, B;
        R = RANK U;
        STORE R INTO 'out';""",
    )
    got = _lines(tmp_path / "out")
    assert sorted(int(r[0]) for r in got) == list(range(1, 501))
    assert sorted((int(r[1]), r[2]) for r in got) == sorted(
        rows + [(k, f"x{k}") for k, _s in rows[:100]]
    )


@pytest.mark.slow
def test_plain_rank_in_the_mapreduce_mode(tmp_path: Path) -> None:
    rows = _input(tmp_path, 1500)
    _run(
        tmp_path,
        f"""SET mapreduce.input.fileinputformat.split.maxsize 3000;
        A = LOAD 'file://{tmp_path}/in.txt' AS (k:int, s:chararray);
        R = RANK A;
        STORE R INTO 'file://{tmp_path}/out';""",
        mode="mapreduce",
    )
    want = [[str(i), str(k), s] for i, (k, s) in enumerate(rows, 1)]
    assert sorted(_lines(tmp_path / "out"), key=lambda r: int(r[0])) == want


def test_plain_rank_with_narrow_ops_after_it_and_two_readers(tmp_path: Path) -> None:
    rows = _input(tmp_path, 900)
    stats = _run(
        tmp_path,
        """SET mapreduce.input.fileinputformat.split.maxsize 1500;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        R = RANK A;
        F = FILTER R BY rank_A % 7L == 0L;
        G = FOREACH F GENERATE s, rank_A + k AS x;
        STORE G INTO 'out1';
        B = FILTER R BY k < 10;
        STORE B INTO 'out2';""",
    )
    assert stats["rank"]["maps"] > 5
    ranked = [(i, k, s) for i, (k, s) in enumerate(rows, 1)]
    want1 = sorted([s, str(i + k)] for i, k, s in ranked if i % 7 == 0)
    assert sorted(_lines(tmp_path / "out1")) == want1
    want2 = sorted([str(i), str(k), s] for i, k, s in ranked if k < 10)
    assert sorted(_lines(tmp_path / "out2")) == want2


def _by_rows(tmp_path: Path) -> list[tuple[int | None, str | None, str]]:
    rows = []
    for i in range(1200):
        a = None if i % 37 == 0 else (i * 7919) % 23  # many ties, nulls
        b = None if i % 41 == 0 else f"b{(i * 31) % 5}"
        rows.append((a, b, f"r{i}"))
    text = "".join(f"{'' if a is None else a}\t{'' if b is None else b}\t{s}\n" for a, b, s in rows)
    (tmp_path / "in.txt").write_text(text)
    return rows


def _want_ranks(rows: list, dense: bool) -> dict[str, int]:
    """Pig's RANK BY a ASC, b DESC: nulls first ascending, last descending; ties share a rank
    (RANK: 1 + rows before; DENSE: 1 + distinct keys before)."""

    def key(r):
        a, b = r[0], r[1]
        asc = (a is not None, a or 0)
        return asc, b is not None, b or ""

    keys = sorted({key(r) for r in rows}, key=lambda k: (k[0], (not k[1], k[2])))
    # b DESC: non-null values descending, then null
    keys = sorted(keys, key=lambda k: k[0])
    groups: dict = {}
    for k in keys:
        groups.setdefault(k[0], []).append(k)
    order = []
    for ka in sorted(groups):
        present = sorted((k for k in groups[ka] if k[1]), key=lambda k: k[2], reverse=True)
        order += present + [k for k in groups[ka] if not k[1]]
    counts = {k: 0 for k in order}
    for r in rows:
        counts[key(r)] += 1
    rank_of, before = {}, 0
    for i, k in enumerate(order):
        rank_of[k] = i + 1 if dense else before + 1
        before += counts[k]
    return {r[2]: rank_of[key(r)] for r in rows}


@pytest.mark.parametrize("dense", [False, True])
def test_rank_by_two_keys_with_nulls_and_ties(tmp_path: Path, dense: bool) -> None:
    rows = _by_rows(tmp_path)
    _run(
        tmp_path,
        f"""SET mapreduce.input.fileinputformat.split.maxsize 2000;
        A = LOAD 'in.txt' AS (a:int, b:chararray, s:chararray);
        R = RANK A BY a ASC, b DESC{' DENSE' if dense else ''};
        STORE R INTO 'out';""",
    )
    got = {r[3]: int(r[0]) for r in _lines(tmp_path / "out")}
    assert got == _want_ranks(rows, dense)
