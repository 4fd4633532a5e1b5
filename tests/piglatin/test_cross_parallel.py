"""CROSS ... PARALLEL N over N reducers, as Pig's GFCross (back/crossgrid.py): the rows equal
a plain-Python itertools.product over the inputs (as a multiset) for 2 and 3 inputs, empty
inputs and null fields, in `-x local` and the default mode; the default mode writes N part
files and spreads the rows over more than one of them; a nested CROSS is unchanged."""

from __future__ import annotations

import re
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from piglatin.back import crossgrid
from tests.piglatin.docrun import pig, write

# untyped tab-separated inputs; an empty field loads as a null and is stored as an empty field
A = "a\t1\nb\t\n\t3\na\t1\nc\t5\n"  # a duplicate row and nulls
B = "x\ny\n\nx\n"  # a null row, a duplicate
D = "7\t8\n9\t\n"
E = ""
INPUTS = {"a.txt": A, "b.txt": B, "d.txt": D, "e.txt": E}
PARALLELS = (1, 2, 3, 4)
CROSSES = {"ab": ("A", "B"), "abd": ("A", "B", "D"), "ae": ("A", "E"), "eb": ("E", "B")}


def lines(text: str) -> list[str]:
    return text.splitlines()


def expected(names: tuple[str, ...]) -> Counter:
    """The cross product in plain Python: each combination's fields joined by tabs."""
    texts = {"A": A, "B": B, "D": D, "E": E}
    return Counter("\t".join(combo) for combo in product(*(lines(texts[n]) for n in names)))


def script(out: str) -> str:
    text = "A = LOAD 'a.txt';\nB = LOAD 'b.txt';\nD = LOAD 'd.txt';\nE = LOAD 'e.txt';\n"
    for name, ins in CROSSES.items():
        for p in PARALLELS:
            text += f"C_{name}_{p} = CROSS {', '.join(ins)} PARALLEL {p};\n"
            text += f"STORE C_{name}_{p} INTO '{out}/{name}_{p}';\n"
    return text


def test_local_mode_rows_equal_the_product(tmp_path: Path) -> None:
    write(tmp_path, {**INPUTS, "s.pig": script("out")})
    done = pig(["-x", "local", "s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    for name, ins in CROSSES.items():
        for p in PARALLELS:
            got: Counter = Counter()
            for part in sorted((tmp_path / "out" / f"{name}_{p}").glob("part-*")):
                got.update(lines(part.read_text()))
            assert got == expected(ins), (name, p)


@pytest.mark.slow  # ~12 s of embedded-cluster jobs; the local-mode cases stay in the default run
def test_default_mode_parts_and_rows(tmp_path: Path) -> None:
    out = "/cross_parallel"
    write(tmp_path, {**INPUTS, "s.pig": script(out)})
    done = pig(["s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    listings = " ".join(f"fs -ls {out}/{n}_{p};" for n in CROSSES for p in PARALLELS)
    listed = pig(["-e", listings], tmp_path)
    assert listed.returncode == 0, listed.stderr
    parts = re.findall(rf"{out}/(\w+?)_(\d)/(part-\S+)", listed.stdout)
    for name in CROSSES:
        for p in PARALLELS:
            names = sorted(f for n, q, f in parts if n == name and q == str(p))
            assert len(names) == p, (name, p, names)  # one part file per reducer
    # each part file read on its own, to see how the rows spread over the reducers
    per_part: dict[tuple[str, str], list[Counter]] = {}
    for n, p, f in parts:
        shown = pig(["-e", f"fs -cat {out}/{n}_{p}/{f}"], tmp_path)
        assert shown.returncode == 0, shown.stderr
        per_part.setdefault((n, p), []).append(Counter(lines(shown.stdout)))
    for name, ins in CROSSES.items():
        for p in PARALLELS:
            counts = per_part[(name, str(p))]
            assert sum(counts, Counter()) == expected(ins), (name, p)
            if p > 1 and expected(ins):
                assert sum(1 for c in counts if c) > 1, (name, p)  # spread, not one reducer


@pytest.mark.parametrize("inputs", [2, 3])
@pytest.mark.parametrize("reducers", [1, 2, 3, 4, 5, 8, 9, 27])
def test_grid_meets_every_combination_once(inputs: int, reducers: int) -> None:
    # every combination of slots (one per input) is exactly one cell: each input's row is
    # sent to the cells with its slot, so a combination of rows meets exactly once
    g = crossgrid.side(reducers, inputs)
    assert g**inputs >= reducers and (g - 1) ** inputs < reducers
    sent = {
        (tag, s): set(crossgrid.cell_keys(tag, s, g, inputs))
        for tag in range(inputs)
        for s in range(g)
    }
    for slots in product(range(g), repeat=inputs):
        cells = set.intersection(*({k[:4] for k in sent[(t, s)]} for t, s in enumerate(slots)))
        assert len(cells) == 1
    used = {crossgrid.partition(k, reducers) for keys in sent.values() for k in keys}
    assert used == set(range(reducers))


def test_rerun_attempt_sends_rows_to_the_same_cells() -> None:
    def keys(task: str) -> list:
        tail = crossgrid.cross_tail(0, 2, 4, crossgrid.task_number(task), lambda t: t)
        return [tail((i,)) for i in range(7)]

    assert keys("attempt_1_0001_m_000003_0") == keys("attempt_1_0001_m_000003_1")


def test_nested_cross_is_unchanged(tmp_path: Path) -> None:
    nested = (
        "A = LOAD 'a.txt' AS (k:chararray, v:int);\nG = GROUP A BY k;\n"
        "N = FOREACH G { X = CROSS A, A; GENERATE group, COUNT_STAR(X); };\nSTORE N INTO 'n';\n"
    )
    write(tmp_path, {"a.txt": A, "s.pig": nested})
    done = pig(["-x", "local", "s.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    got = Counter(ln for p in (tmp_path / "n").glob("part-*") for ln in lines(p.read_text()))
    keys = Counter(ln.split("\t")[0] for ln in lines(A))
    assert got == Counter(f"{k}\t{c * c}" for k, c in keys.items())


def test_default_parallel_and_the_estimate_set_a_cross_s_reducers(tmp_path: Path) -> None:
    # no PARALLEL: default_parallel applies, else the estimate from the input bytes, as for
    # the other operators (A and B are 25 bytes: ceil(25 / 10) = 3 reducers); inputs this
    # small would be crossed in the map side (crosschoice.py) without the SET
    assert len(A) + len(B) == 25
    text = "SET pig.exec.mapCrossBytes 0;\nA = LOAD 'a.txt';\nB = LOAD 'b.txt';\nC = CROSS A, B;\n"
    write(
        tmp_path, {**INPUTS, "p.pig": "SET default_parallel 3;\n" + text + "STORE C INTO '/xp';\n"}
    )
    write(tmp_path, {"e.pig": text + "STORE C INTO '/xe';\n"})
    done = pig(["p.pig"], tmp_path)
    assert done.returncode == 0, done.stderr
    est = ["-Dpig.exec.reducers.bytes.per.reducer=10", "-Dpig.exec.reducers.max=3", "e.pig"]
    done = pig(est, tmp_path)
    assert done.returncode == 0, done.stderr
    for out in ("/xp", "/xe"):
        listed = pig(["-e", f"fs -ls {out}"], tmp_path)
        assert sum("/part-" in ln for ln in listed.stdout.splitlines()) == 3, listed.stdout
        shown = pig(["-e", f"fs -cat {out}/part-*"], tmp_path)
        assert Counter(lines(shown.stdout)) == expected(("A", "B")), out
