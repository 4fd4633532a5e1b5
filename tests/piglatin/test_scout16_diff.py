"""Scout (session 16): user-style queries over generated dirty data (nulls, fields that do not
convert, duplicate and unicode keys), each checked against its own plain-Python answer, on
the generated code, the closures and without a combiner. The data has 12,000 rows, past the
10,000 the map-side fold is judged on, with few or many distinct keys."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.piglatin.storedrun import stored_run

_SLOW = pytest.mark.slow
SETTINGS = [
    "",
    pytest.param("SET pig.exec.mapPartAgg.minReduction 1000;", marks=_SLOW),
    "SET pig.codegen false;",
    pytest.param("SET pig.exec.nocombiner true;", marks=_SLOW),
]

INT_TEXTS = ["", "x", "12", "-3", "3.7", "0", "7", "-0", "100000"]
DBL_TEXTS = ["", "bad", "0.25", "-1.5", "2.0", "1e1", "-0.0", "3.75"]
KEYS_FEW = ["a", "b", "", "é", "A", "a b", "ü😀"]


def _int(text: str):
    """Pig's bytesToInteger for the texts above: an int, or the double truncated, or null."""
    if text in ("", "x"):
        return None
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def _dbl(text: str):
    if text in ("", "bad"):
        return None
    return float(text)


def _java_double(x: float) -> str:
    """Double.toString for the values these queries make (exact quarters, moderate sizes)."""
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    if 1e-3 <= abs(x) < 1e7:
        return repr(x)
    m, e = f"{x:.16e}".split("e")
    return f"{float(m)!r}E{int(e)}"  # only compared through _same's rounding


def _f(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return _java_double(v)
    return str(v)


def _rows(rnd: random.Random, n: int, distinct: int) -> list[tuple[str, str, str]]:
    keys = KEYS_FEW if distinct <= len(KEYS_FEW) else [f"k{i}" for i in range(distinct)] + [""]
    return [(rnd.choice(keys), rnd.choice(INT_TEXTS), rnd.choice(DBL_TEXTS)) for _ in range(n)]


def _write(tmp: Path, name: str, rows) -> None:
    (tmp / name).write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


def _key(text: str):
    return None if text == "" else text


@pytest.fixture(params=[5, pytest.param(3000, marks=_SLOW)], ids=["few_keys", "many_keys"])
def data(request, tmp_path: Path):
    rnd = random.Random(1600 + request.param)
    rows = _rows(rnd, 12000, request.param)
    _write(tmp_path, "a.txt", rows)
    return tmp_path, rows


@pytest.mark.parametrize("settings", SETTINGS)
def test_group_aggregates_typed(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        G = GROUP A BY k;
        R = FOREACH G GENERATE group, COUNT(A), COUNT_STAR(A), SUM(A.a), MIN(A.a), MAX(A.a),
            AVG(A.a), SUM(A.b), MAX(A.b), COUNT(A.b);
        STORE R INTO 'OUT';""",
        "out",
    )
    groups = defaultdict(list)
    for k, a, b in rows:
        groups[_key(k)].append((_int(a), _dbl(b)))
    want = []
    for k, vs in groups.items():
        ints = [a for a, _ in vs if a is not None]
        dbls = [b for _, b in vs if b is not None]
        fields = (
            k,
            0 if k is None else len(vs),  # COUNT skips tuples whose first field is null
            len(vs),
            sum(ints) if ints else None,
            min(ints) if ints else None,
            max(ints) if ints else None,
            sum(ints) / len(ints) if ints else None,
            sum(dbls) if dbls else None,
            max(dbls) if dbls else None,
            len(dbls),
        )
        want.append("\t".join(map(_f, fields)))
    assert sorted(got) == sorted(want)


def _same(got: list[str], want: list[str]) -> None:
    """Equal as multisets of lines; a field that is a double in both may differ in its last
    digits (a sum's order is not fixed)."""
    assert len(got) == len(want)

    def norm(line: str) -> tuple:
        out = []
        for f in line.split("\t"):
            try:
                isnum = "." in f or "E" in f
                out.append(float(f"{float(f):.9g}") if isnum else f)
            except ValueError:
                out.append(f)
        return tuple(out)

    assert sorted(map(norm, got), key=repr) == sorted(map(norm, want), key=repr)


def _bytes_double(text: str):
    """A bytearray cast to double (Double.valueOf; '' is null)."""
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return None


@pytest.mark.parametrize("settings", SETTINGS)
def test_group_aggregates_untyped(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k, a, b);
        G = GROUP A BY k;
        R = FOREACH G GENERATE group, COUNT(A), SUM(A.a), MIN(A.a), MAX(A.b), AVG(A.b);
        STORE R INTO 'OUT';""",
        "out",
    )
    groups = defaultdict(list)
    for k, a, b in rows:
        groups[_key(k)].append((_bytes_double(a), _bytes_double(b)))
    want = []
    for k, vs in groups.items():
        xs = [a for a, _ in vs if a is not None]
        ys = [b for _, b in vs if b is not None]
        fields = (
            k,
            0 if k is None else len(vs),
            sum(xs) if xs else None,
            min(xs) if xs else None,
            max(ys) if ys else None,
            sum(ys) / len(ys) if ys else None,
        )
        want.append("\t".join(map(_f, fields)))
    _same(got, want)


@pytest.mark.parametrize("settings", SETTINGS)
def test_distinct_and_group_by_two_keys(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        P = FOREACH A GENERATE k, a;
        D = DISTINCT P;
        G = GROUP D BY k;
        R = FOREACH G GENERATE group, COUNT_STAR(D), COUNT(D.a);
        STORE R INTO 'OUT';""",
        "out",
    )
    pairs = {(_key(k), _int(a)) for k, a, _ in rows}
    per = defaultdict(list)
    for k, a in pairs:
        per[k].append(a)
    want = [
        "\t".join(map(_f, (k, len(v), sum(1 for a in v if a is not None)))) for k, v in per.items()
    ]
    _same(got, want)


@pytest.mark.parametrize("settings", SETTINGS)
def test_nested_distinct_filter_order_limit(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        G = GROUP A BY k;
        R = FOREACH G {{
            d = DISTINCT A.a;
            f = FILTER A BY b > 0.5;
            o = ORDER f BY a DESC;
            l = LIMIT o 1;
            GENERATE group, COUNT(d), COUNT(f), SUM(f.a), FLATTEN(l.a);
        }};
        STORE R INTO 'OUT';""",
        "out",
    )
    groups = defaultdict(list)
    for k, a, b in rows:
        groups[_key(k)].append((_int(a), _dbl(b)))
    want = []
    for k, vs in groups.items():
        f = [(a, b) for a, b in vs if b is not None and b > 0.5]
        if not f:
            continue  # FLATTEN of an empty bag drops the row
        fa = [a for a, _ in f if a is not None]
        top = max(fa) if fa else None  # DESC puts nulls last
        fields = (
            k,
            len({a for a, _ in vs if a is not None}),
            0 if k is None else len(f),  # COUNT skips tuples whose first field (k) is null
            sum(fa) if fa else None,
            top,
        )
        want.append("\t".join(map(_f, fields)))
    _same(got, want)


def _small_side(rnd: random.Random, rows) -> list[tuple[str, str]]:
    keys = sorted({k for k, _, _ in rows})
    out = []
    for k in keys[: max(3, len(keys) // 2)]:
        for j in range(rnd.choice([1, 1, 2])):
            out.append((k, str(j)))
    out.append(("nokey", "9"))
    return out


@pytest.mark.parametrize("settings", SETTINGS[:3])
@pytest.mark.parametrize(
    "how",
    [
        "",
        "USING 'replicated'",
        "USING 'skewed'",
        "LEFT OUTER",
        "LEFT OUTER USING 'replicated'",
        "LEFT OUTER USING 'skewed'",
        "FULL OUTER",
        "RIGHT OUTER",
    ],
)
def test_join_variants(data, settings: str, how: str) -> None:
    tmp, rows = data
    small = _small_side(random.Random(7), rows)
    _write(tmp, "b.txt", small)
    outer = how.split(" USING")[0] if "OUTER" in how else ""
    using = how[how.index("USING") :] if "USING" in how else ""
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        B = LOAD 'b.txt' AS (k:chararray, j:int);
        J = JOIN A BY k {outer}, B BY k {using};
        R = FOREACH J GENERATE A::k, a, B::k, j;
        STORE R INTO 'OUT';""",
        "out",
    )
    bmap = defaultdict(list)
    for k, j in small:
        if _key(k) is not None:
            bmap[k].append((k, int(j)))
    want = []
    matched = set()
    for k, a, _ in rows:
        kk = _key(k)
        hits = bmap.get(k, []) if kk is not None else []
        for bk, j in hits:
            matched.add((bk, j))
            want.append((kk, _int(a), bk, j))
        if not hits and outer in ("LEFT OUTER", "FULL OUTER"):
            want.append((kk, _int(a), None, None))
    if outer in ("RIGHT OUTER", "FULL OUTER"):
        for k, j in small:
            if _key(k) is None or (k, int(j)) not in matched:
                want.append((None, None, _key(k), int(j)))
    _same(got, ["\t".join(map(_f, w)) for w in want])


@pytest.mark.parametrize("settings", SETTINGS)
def test_cogroup_counts_and_isempty(data, settings: str) -> None:
    tmp, rows = data
    small = _small_side(random.Random(8), rows)
    _write(tmp, "b.txt", small)
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        B = LOAD 'b.txt' AS (k:chararray, j:int);
        C = COGROUP A BY k, B BY k;
        R = FOREACH C GENERATE group, COUNT_STAR(A), SUM(B.j), (IsEmpty(B) ? 'none' : 'some');
        STORE R INTO 'OUT';""",
        "out",
    )
    ca, bj = Counter(), defaultdict(list)
    for k, _, _ in rows:
        ca[_key(k)] += 1
    for k, j in small:
        bj[_key(k)].append(int(j))
    want = []
    for k in set(ca) | set(bj):
        if k is None:  # null keys of the two inputs are not grouped together
            if ca[k]:
                want.append((None, ca[k], None, "none"))
            if bj.get(k):
                want.append((None, 0, sum(bj[k]), "some"))
            continue
        js = bj.get(k, [])
        want.append((k, ca[k], sum(js) if js else None, "some" if js else "none"))
    _same(got, ["\t".join(map(_f, w)) for w in want])


def _desc_nulls_last(v):
    return (v is None, -(v or 0))


@pytest.mark.parametrize("settings", [*SETTINGS[:3], "SET default_parallel 3;"])
def test_order_two_keys_then_limit(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        O = ORDER A BY a DESC, b ASC;
        L = LIMIT O 25;
        R = FOREACH L GENERATE a, b;
        STORE R INTO 'OUT';""",
        "out",
    )
    typed = [(_int(a), _dbl(b)) for _, a, b in rows]
    # ascending puts nulls first
    typed.sort(key=lambda t: (_desc_nulls_last(t[0]), t[1] is not None, t[1] or 0))
    want = ["\t".join(map(_f, t)) for t in typed[:25]]
    assert got == want


@pytest.mark.parametrize("settings", SETTINGS[:3])
def test_rank_dense_by_int(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        P = FOREACH A GENERATE a;
        R = RANK P BY a DESC DENSE;
        D = DISTINCT R;
        STORE D INTO 'OUT';""",
        "out",
    )
    values = sorted({_int(a) for _, a, _ in rows}, key=_desc_nulls_last)
    want = [f"{i + 1}\t{_f(v)}" for i, v in enumerate(values)]
    assert sorted(got) == sorted(want)


@pytest.mark.parametrize("settings", SETTINGS[:3])
def test_rank_plain_by_ties(data, settings: str) -> None:
    tmp, rows = data
    got, _ = stored_run(
        tmp,
        f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        P = FOREACH A GENERATE a;
        R = RANK P BY a;
        D = DISTINCT R;
        STORE D INTO 'OUT';""",
        "out",
    )
    counts = Counter(_int(a) for _, a, _ in rows)
    keys = sorted(counts, key=lambda v: (v is not None, v or 0))  # ascending: nulls first
    want, before = [], 0
    for v in keys:
        want.append(f"{before + 1}\t{_f(v)}")  # ties share the rank of the first of them
        before += counts[v]
    assert sorted(got) == sorted(want)


@pytest.mark.parametrize("settings", SETTINGS[:3])
def test_split_filters_multi_store(data, settings: str) -> None:
    tmp, rows = data
    script = f"""{settings}
        A = LOAD 'a.txt' AS (k:chararray, a:int, b:double);
        SPLIT A INTO P IF a > 5, N IF (a < 0 OR k MATCHES 'a.*'), Z OTHERWISE;
        GP = GROUP P ALL; CP = FOREACH GP GENERATE 'P', COUNT_STAR(P);
        GN = GROUP N ALL; CN = FOREACH GN GENERATE 'N', COUNT_STAR(N);
        GZ = GROUP Z ALL; CZ = FOREACH GZ GENERATE 'Z', COUNT_STAR(Z);
        U = UNION CP, CN, CZ;
        STORE U INTO 'OUT';"""
    got, _ = stored_run(tmp, script, "out")

    def _or(x, y):
        if x is True or y is True:
            return True
        if x is None or y is None:
            return None
        return False

    c = Counter()
    for k, a, _ in rows:
        ai, kk = _int(a), _key(k)
        p = None if ai is None else ai > 5
        n = _or(None if ai is None else ai < 0, None if kk is None else kk.startswith("a"))
        c["P"] += p is True
        c["N"] += n is True
        o = _or(p, n)
        c["Z"] += o is False  # NOT(p OR n): a null condition goes nowhere
    want = [f"{k}\t{v}" for k, v in c.items() if v]
    assert sorted(got) == sorted(want)
