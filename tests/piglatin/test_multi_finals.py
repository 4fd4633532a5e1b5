"""A combined GROUP (and a COGROUP of aggregates) whose keys get their partials from SEVERAL
map tasks folds them in one generated function (`finalcode.multi_finals`), and the results
equal plain Python's: nulls skipped, a long SUM wrapped as Java's long sum wraps past
2^63 - 1 (and below -2^63), AVG's (sum, count) pairs (of ints and of doubles), MIN/MAX of
doubles as Java's Math.min/max (-0.0 below 0.0) and of chararrays as String.compareTo (by
UTF-16 units: a character past U+FFFF is below U+E000..U+FFFF). The same rows in one map
task (one partial per key), and in one map task whose table is flushed several times (its
combiner joins a key's records), give the same answers. Expected rows are plain Python and
a PigStorage formatter written here."""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path

import pytest

from piglatin.back import aggregates
from piglatin.back.aggregates import finals_of
from piglatin.back.finalcode import multi_finals
from piglatin.launcher import run_script
from tests.piglatin.pipelines import record_calls

BIG = 2**63 - 5
TEXTS = ["b", "a", "\U0001f600", "\ue000", "é", "zz", None]
DOUBLES = [1.5, -0.0, 0.0, -2.25, 3.0, None]
LONGS = [BIG, 7, -BIG, BIG - 3, None, -BIG - 2]
INTS = [1, 2, -4, None, 9]


def _rows() -> list[tuple]:
    rows = []
    for i in range(3000):
        k = ["a", "b", "c", None][i % 4] if i % 13 else f"u{i}"  # one-row keys too
        rows.append(
            (k, LONGS[i % 6 if k != "b" else 4], INTS[i % 5], DOUBLES[i % 6], TEXTS[(i // 3) % 7])
        )
    return rows


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)  # the values here print the same in Java's Double.toString
    return str(v)


def _wrap(total: int) -> int:  # Java's long sum
    return (total + 2**63) % 2**64 - 2**63


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def _java_min(ds: list[float]) -> float:
    m = min(ds)
    return -0.0 if m == 0 and any(math.copysign(1, d) < 0 for d in ds if d == 0) else m


def _java_max(ds: list[float]) -> float:
    m = max(ds)
    return 0.0 if m == 0 and any(math.copysign(1, d) > 0 for d in ds if d == 0) else m


def _aggs(rows: list[tuple]) -> list:
    ns = [r[1] for r in rows if r[1] is not None]
    js = [r[2] for r in rows if r[2] is not None]
    ds = [r[3] for r in rows if r[3] is not None]
    ss = [r[4] for r in rows if r[4] is not None]
    return [
        _wrap(sum(ns)) if ns else None,
        sum(js) / len(js) if js else None,
        sum(ds) + 0.0 if ds else None,
        sum(ds) / len(ds) if ds else None,
        _java_min(ds) if ds else None,
        _java_max(ds) if ds else None,
        min(ss, key=_utf16) if ss else None,
        max(ss, key=_utf16) if ss else None,
        len(ns),
        len(rows),
    ]


def _expected(rows: list[tuple]) -> list[str]:
    groups = defaultdict(list)
    for r in rows:
        groups[r[0]].append(r)
    return sorted("\t".join(map(_text, [k, *_aggs(rs)])) for k, rs in groups.items())


def _expected_cogroup(rows: list[tuple]) -> list[str]:
    groups = defaultdict(list)
    for r in rows:
        groups[r[0]].append(r)
    out = []
    for k, rs in groups.items():
        ns = [r[1] for r in rs if r[1] is not None]
        ss = [r[4] for r in rs if r[4] is not None]
        if k is None:  # COGROUP keeps each input's null key apart
            total, least = _wrap(sum(ns)) if ns else None, min(ss, key=_utf16) if ss else None
            out.append("\t".join(map(_text, [None, total, least, len(rs), None, 0])))
            out.append("\t".join(map(_text, [None, None, None, 0, total, len(rs)])))
            continue
        out.append(
            "\t".join(
                map(
                    _text,
                    [
                        k,
                        _wrap(sum(ns)) if ns else None,
                        min(ss, key=_utf16) if ss else None,
                        len(rs),
                        _wrap(sum(ns)) if ns else None,
                        len(rs),
                    ],
                )
            )
        )
    return sorted(out)


SCRIPT = """{sets}
A = LOAD 'a.txt' AS (k:chararray, n:long, j:int, d:double, s:chararray);
B = GROUP A BY k;
C = FOREACH B GENERATE group, SUM(A.n), AVG(A.j), SUM(A.d), AVG(A.d), MIN(A.d), MAX(A.d), MIN(A.s),
    MAX(A.s), COUNT(A.n), COUNT_STAR(A);
STORE C INTO 'out';
G = LOAD 'a.txt' AS (k:chararray, n:long, j:int, d:double, s:chararray);
H = COGROUP A BY k, G BY k;
I = FOREACH H GENERATE group, SUM(A.n), MIN(A.s), COUNT_STAR(A), SUM(G.n), COUNT_STAR(G);
STORE I INTO 'co';
"""

SETS = {
    "one map task": "",
    "several map tasks": "SET mapreduce.input.fileinputformat.split.maxsize 4000;",
    # one map task whose table is flushed past 2 keys (`aggregates.AGG_KEYS`): the map's
    # combiner joins a key's records before the reduce
    "flushes": "",
}


def _stored(where: Path, name: str) -> list[str]:
    lines: list[str] = []
    for part in sorted((where / name).glob("part-*")):
        lines += part.read_text().splitlines()
    return sorted(lines)


@pytest.mark.parametrize("case", list(SETS))
def test_one_and_several_partials_per_key_equal_plain_python(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows()
    (tmp_path / "a.txt").write_text(
        "".join("\t".join(map(_text, r)) + "\n" for r in rows), encoding="utf-8"
    )
    if case == "flushes":
        monkeypatch.setattr(aggregates, "AGG_KEYS", 2)
    called = record_calls(monkeypatch)
    script = SCRIPT.format(sets=SETS[case])
    log = io.StringIO()
    assert run_script(script, exec_type="local", cwd=tmp_path, filename="t.pig", out=log) == 0
    assert _stored(tmp_path, "out") == _expected(rows)
    assert _stored(tmp_path, "co") == _expected_cogroup(rows)
    several = "finals_n" in called.values()
    assert several == (case == "several map tasks")


def test_partials_the_loop_cannot_fold_take_the_builtins_finals() -> None:
    """Partials of mixed types (a SUM of no known type: ints and doubles add; a MIN of an int
    and a str cannot compare): the generated loop's results where it can, the builtins'
    Finals (their answer or their error) where it cannot."""
    funcs = ["SUM", "MIN", "COUNT", "AVG"]
    several = multi_finals(funcs, finals_of(funcs), ["any", None, None, "any"], [None, "number"])
    parts = [((2**63 - 1,), (3,), (2,), (None, 0)), ((1.5,), (None,), (1,), (4, 2))]
    assert several(parts) == (2**63 + 0.5, 3, 3, 2.0)
    assert several([((None,), (1,), (0,), (None, 0))] * 2) == (None, 1, 0, None)
    with pytest.raises(TypeError):
        several([((1,), (1,), (0,), (None, 0)), ((1,), ("x",), (0,), (None, 0))])
