"""Join strategies of the Pig back end against a plain-Python nested-loop join.

Inputs have a hot key, null keys and unmatched keys on both sides; every strategy and join
type must give the reference multiset, with several reducers and small splits so the skewed
join really splits its hot key and the merge join really reads several right splits.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import run_script
from tests.piglatin.pigtext import pig_text


def _rows(seed: int, n: int, keys: int, hot: int) -> list[tuple]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        r = rnd.random()
        k = None if r < 0.05 else (hot if r < 0.45 else rnd.randint(1, keys))
        out.append((k, f"v{seed}_{i}"))
    return out


def _write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join(f"{'' if k is None else k}\t{v}\n" for k, v in rows))


def _reference(left: list[tuple], right: list[tuple], how: str) -> Counter:
    out: Counter = Counter()
    matched_right = set()
    for lk, lv in left:
        hits = [(rk, rv) for j, (rk, rv) in enumerate(right) if lk is not None and rk == lk]
        for j, (rk, rv) in enumerate(right):
            if lk is not None and rk == lk:
                matched_right.add(j)
        for rk, rv in hits:
            out[(lk, lv, rk, rv)] += 1
        if not hits and how in ("left", "full"):
            out[(lk, lv, None, None)] += 1
    if how in ("right", "full"):
        for j, (rk, rv) in enumerate(right):
            if j not in matched_right:
                out[(None, None, rk, rv)] += 1
    return Counter({pig_text(k): c for k, c in out.items()})


def _run(tmp_path: Path, script: str, exec_type: str = "local") -> Counter:
    out = io.StringIO()
    assert run_script(script, exec_type=exec_type, cwd=tmp_path, filename="t.pig", out=out) == 0
    return Counter(line for line in out.getvalue().splitlines() if line)


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[list, list]:
    left, right = _rows(1, 400, 60, 7), _rows(2, 150, 80, 7)
    # merge join needs inputs sorted on the key (nulls first, as Pig orders them)
    left.sort(key=lambda r: (r[0] is not None, r[0] or 0))
    right.sort(key=lambda r: (r[0] is not None, r[0] or 0))
    _write(tmp_path / "l.txt", left)
    _write(tmp_path / "r.txt", right)
    return left, right


SCRIPT = """
SET default_parallel 3;
SET mapreduce.input.fileinputformat.split.maxsize 700;
A = LOAD 'l.txt' AS (k:int, v:chararray);
B = LOAD 'r.txt' AS (k:int, w:chararray);
C = JOIN A BY k {how}, B BY k{using};
DUMP C;
"""


@pytest.mark.parametrize(
    "strategy,how",
    [
        ("hash", "inner"),
        ("hash", "left"),
        ("hash", "right"),
        ("hash", "full"),
        ("replicated", "inner"),
        ("replicated", "left"),
        ("skewed", "inner"),
        ("skewed", "left"),
        ("skewed", "right"),
        ("skewed", "full"),
        ("merge", "inner"),
        ("merge", "left"),
    ],
)
def test_strategy_matches_reference(tmp_path: Path, inputs, strategy: str, how: str) -> None:
    left, right = inputs
    using = "" if strategy == "hash" else f" USING '{strategy}'"
    outer = "" if how == "inner" else how.upper() + " OUTER"
    got = _run(tmp_path, SCRIPT.format(how=outer, using=using))
    assert got == _reference(left, right, how)


def test_three_way_replicated_and_hash_agree(tmp_path: Path, inputs) -> None:
    left, right = inputs
    _write(tmp_path / "s.txt", [(k, f"s{k}") for k in range(1, 30)])
    base = (
        "A = LOAD 'l.txt' AS (k:int, v:chararray); B = LOAD 'r.txt' AS (k:int, w:chararray);"
        "S = LOAD 's.txt' AS (k:int, s:chararray);"
    )
    hashed = _run(tmp_path, base + "C = JOIN A BY k, B BY k, S BY k; DUMP C;")
    repl = _run(tmp_path, base + "C = JOIN A BY k, B BY k, S BY k USING 'replicated'; DUMP C;")
    expected = Counter()
    for lk, lv in left:
        for rk, rv in right:
            if lk is not None and lk == rk and 1 <= lk < 30:
                expected[pig_text((lk, lv, rk, rv, lk, f"s{lk}"))] += 1
    assert hashed == repl == expected


def test_skewed_join_splits_the_hot_key(tmp_path: Path, inputs) -> None:
    from piglatin.launcher import PigServer

    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(SCRIPT.format(how="", using=" USING 'skewed'"))
        kinds = [(s["kind"], s["reduces"], s["hot_keys"]) for s in pig.stats]
    # a sampling job first, then the join on 3 reducers with key 7 (40% of the rows) split
    assert kinds[0][:2] == ("keycount", 1)
    assert kinds[1] == ("join", 3, 1)


def test_replicated_input_over_the_limit_is_refused(tmp_path: Path, inputs) -> None:
    script = "SET pig.join.replicated.max.bytes 100;\n" + SCRIPT.format(
        how="", using=" USING 'replicated'"
    )
    with pytest.raises(PigError, match="pig.join.replicated.max.bytes"):
        _run(tmp_path, script)


def test_merge_join_refuses_unsorted_left_input(tmp_path: Path) -> None:
    _write(tmp_path / "l.txt", [(3, "a"), (1, "b")])
    _write(tmp_path / "r.txt", [(1, "x"), (3, "y")])
    with pytest.raises(PigError, match="not sorted"):
        _run(tmp_path, SCRIPT.format(how="", using=" USING 'merge'"))


def test_hash_join_spills_a_hot_key(tmp_path: Path, inputs) -> None:
    left, right = inputs
    script = "SET pig.join.spill.records 5;\n" + SCRIPT.format(how="", using="")
    assert _run(tmp_path, script) == _reference(left, right, "inner")


def test_replicated_inputs_come_from_the_distributed_cache(
    tmp_path: Path, inputs, monkeypatch
) -> None:
    from piglatin.back import sources

    seen: list[str] = []
    real = sources.read_source

    def spy(op, url, conf=None):
        seen.append(str(url))
        return real(op, url, conf)

    monkeypatch.setattr(sources, "read_source", spy)
    left, right = inputs
    got = _run(tmp_path, SCRIPT.format(how="", using=" USING 'replicated'"))
    assert got == _reference(left, right, "inner")
    # each map task read its own localized copy, never the original r.txt
    assert seen and all("r.txt" not in u.rsplit("/", 1)[0] and "repl-" in u for u in seen)


def test_merge_join_refuses_right_outer_naming_the_alternatives(tmp_path: Path, inputs) -> None:
    with pytest.raises(PigError, match="Merge join.*hash join"):
        _run(tmp_path, SCRIPT.format(how="RIGHT OUTER", using=" USING 'merge'"))


@pytest.mark.parametrize("how", ["inner", "left", "full"])
@pytest.mark.parametrize("spill", [5, 100000])
def test_stored_join_lines_match_reference(tmp_path: Path, inputs, how: str, spill: int) -> None:
    """A join projected to several chararray columns and stored as text (whole batches of
    rows become lines at once; outer rows with nulls take the row-by-row path)."""
    left, right = inputs
    outer = "" if how == "inner" else how.upper() + " OUTER"
    out = tmp_path / "out"
    script = f"""SET pig.join.spill.records {spill};
    SET default_parallel 3;
    A = LOAD 'l.txt' AS (k:chararray, v:chararray);
    B = LOAD 'r.txt' AS (k:chararray, w:chararray);
    C = JOIN A BY k {outer}, B BY k;
    D = FOREACH C GENERATE A::v, A::k, B::w;
    STORE D INTO '{out}';"""
    assert run_script(script, exec_type="local", cwd=tmp_path, out=io.StringIO()) == 0
    got = Counter(line for f in out.glob("part-*") for line in f.read_text().splitlines())
    expected: Counter = Counter()
    for key, n in _reference(left, right, how).items():
        lk, lv, _rk, rv = (None if f == "" else f for f in key.strip("()").split(","))
        expected["\t".join("" if f is None else f for f in (lv, lk, rv))] += n
    assert got == expected


@pytest.mark.parametrize("how", ["inner", "left"])
def test_merge_join_of_chararray_keys_with_runs(tmp_path: Path, how: str) -> None:
    """String keys (the left's runs of one key reuse the right's rows; Pig orders strings by
    their UTF-8 bytes, nulls first) against the nested-loop reference."""
    rnd = random.Random(5)
    names = ["a", "ab", "b", "é", "z", "zz", "Ω"]
    left = [(rnd.choice(names + [None]), f"l{i}") for i in range(300)]
    right = [(rnd.choice(names[1:] + ["q"]), f"r{i}") for i in range(40)]

    def order(r):
        return (r[0] is not None, (r[0] or "").encode())

    left.sort(key=order)
    right.sort(key=order)
    _write(tmp_path / "l.txt", left)
    _write(tmp_path / "r.txt", right)
    script = SCRIPT.replace("k:int", "k:chararray").format(
        how="" if how == "inner" else "LEFT OUTER", using=" USING 'merge'"
    )
    assert _run(tmp_path, script) == _reference(left, right, how)


@pytest.mark.parametrize("how", ["inner", "left"])
@pytest.mark.parametrize("codegen", ["true", "false"])
def test_merge_join_in_generated_code_and_in_closures(
    tmp_path: Path, inputs, how: str, codegen: str
) -> None:
    """The generated map code asks the merge cursor (`joinkeys.MergeRuns`) for each left
    row's run itself; with ``pig.codegen`` false the closures do. Both give the reference,
    null keys (first in both inputs) and runs of equal keys included."""
    from piglatin.launcher import explain_text

    left, right = inputs
    outer = "" if how == "inner" else "LEFT OUTER"
    script = f"SET pig.codegen {codegen};\n" + SCRIPT.format(how=outer, using=" USING 'merge'")
    assert _run(tmp_path, script) == _reference(left, right, how)
    code = explain_text(script, cwd=str(tmp_path))
    code = code[code.index("Generated code") : code.index("Generated code (reduce side)")]
    if codegen == "true":
        assert "_run" in code
    else:  # EXPLAIN prints the code that runs: none on the map side
        assert "def map0_batch" not in code and "# (no generated code)" in code
