"""COGROUP keys of several fields with a null field stay apart per input (Pig's tuple key
comparator compares the input index when two keys are equal but held a null, PIG-927) on
every map path: the inline fold, the fold given up for keys that do not repeat (each row's
record made at once), the closures, and the bags' records without a combiner."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tests.piglatin.storedrun import stored_run


def _rows(rnd: random.Random, n: int, distinct: int) -> list[tuple]:
    rows = []
    for _ in range(n):
        k = rnd.choice([None, *range(distinct)])
        m = rnd.choice([None, 1, 2, 3])
        rows.append((k, m))
    return rows


# An unused third column makes each input over 1 MiB, the text reader's chunk: the fold is judged
# at the end of a chunk, so rows only pass (the fold given up) from the second chunk on.
FILLER = "x" * 60


def _text(rows: list[tuple]) -> str:
    return "".join(f"{_field(k)}\t{_field(m)}\t{FILLER}\n" for k, m in rows)


def _field(v) -> str:
    return "" if v is None else str(v)


@pytest.mark.parametrize(
    "settings",
    [
        "",  # the generated fold (given up when keys do not repeat)
        "SET pig.exec.mapPartAgg.minReduction 1000;",  # given up at once: rows pass
        "SET pig.codegen false;",  # the closures
        pytest.param("SET pig.exec.nocombiner true;", marks=pytest.mark.slow),  # bags, no partials
    ],
)
# keys repeating (5) keep the fold on: slow; 5000 gives it up (the case 4076157 fixed)
@pytest.mark.parametrize("distinct", [pytest.param(5, marks=pytest.mark.slow), 5000])
def test_null_field_keys_apart_per_input(tmp_path: Path, settings: str, distinct: int) -> None:
    rnd = random.Random(distinct)
    # 25,000 rows (1.7 MB): past the 10,000 the fold is judged on (SAMPLE_ROWS) and past the
    # first chunk, so it may be given up
    left, right = _rows(rnd, 25000, distinct), _rows(rnd, 25000, distinct)
    (tmp_path / "l.txt").write_text(_text(left))
    (tmp_path / "r.txt").write_text(_text(right))
    got, _ = stored_run(
        tmp_path,
        f"""{settings}
        L = LOAD 'l.txt' AS (k:long, m:int);
        R = LOAD 'r.txt' AS (k:long, m:int);
        C = COGROUP L BY (k, m), R BY (k, m);
        D = FOREACH C GENERATE FLATTEN(group), COUNT_STAR(L), COUNT_STAR(R), SUM(R.m);
        STORE D INTO 'OUT';""",
        "out",
    )
    counts = Counter(left), Counter(right)

    def total(key, n):  # SUM(R.m) of the group's n R rows: null when none or m is null
        return key[1] * n if n and key[1] is not None else None

    whole = {key for key in set(left) | set(right) if None not in key}
    want = [(*key, counts[0][key], counts[1][key], total(key, counts[1][key])) for key in whole]
    want += [(*key, counts[0][key], 0, None) for key in set(left) - whole]
    want += [(*key, 0, counts[1][key], total(key, counts[1][key])) for key in set(right) - whole]
    assert sorted(got) == sorted("\t".join(map(_field, row)) for row in want)
