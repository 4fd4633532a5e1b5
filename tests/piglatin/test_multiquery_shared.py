"""Multi-query execution of a relation several STOREs read: it is computed once.

Pig's multi-query execution splits such a relation: its job runs once and each reader takes its
output (Pig's "Multi-Query Execution" docs: "the common part is computed once"). Each script's
outputs are compared with plain Python computing the same answers; the jobs a run made are
counted in its summary (``PigServer.stats``: one entry per job, with its kind): the join (and a
skewed join's sampling job) or the GROUP runs once, also with ``opt.multiquery`` false (``pig
-M``): Pig's MRCompiler.visitSplit stores a relation several sinks read to a temporary file in
either mode; multi-query execution only merges jobs after that (PIG-3882: "Only difference
should be that MultiQueryOptimizer is not applied in multiquery off mode"). The shared file of
a skewed join is also checked in mapreduce mode (an intermediate output on the DFS).
"""

from __future__ import annotations

import io
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from piglatin.launcher import PigServer, explain_text

USERS = [f"u{i}" for i in range(12)]


def _line(*fields) -> str:
    return "\t".join("" if f is None else str(f) for f in fields)


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, list[tuple], dict[str, str]]:
    """visits (user, n) with null users, and users (user, city) for most of USERS."""
    rng = random.Random(7)
    visits = [
        (rng.choice(USERS) if rng.random() > 0.1 else None, rng.randint(0, 50)) for _ in range(300)
    ]
    cities = {u: rng.choice(["paris", "oslo", "rome"]) for u in USERS[:10]}
    (tmp_path / "visits.txt").write_text("".join(_line(*r) + "\n" for r in visits))
    (tmp_path / "users.txt").write_text("".join(_line(u, c) + "\n" for u, c in cities.items()))
    return tmp_path, visits, cities


LOADS = """V = LOAD 'file://$dir/visits.txt' AS (user:chararray, n:int);
U = LOAD 'file://$dir/users.txt' AS (user:chararray, city:chararray);
"""


def _run(tmp: Path, script: str, multiquery: bool = True, mode: str = "local") -> PigServer:
    props = {} if multiquery else {"opt.multiquery": "false"}
    server = PigServer(mode, cwd=tmp, out=io.StringIO(), properties=props)
    out = tmp / ("on" if multiquery else "off")
    try:
        server.register_script(LOADS + script, {"dir": str(tmp), "out": f"file://{out}"})
    finally:
        server.close()
    return server


def _read(path: Path) -> list[str]:
    assert (path / "_SUCCESS").exists(), f"{path} was not published"
    lines = []
    for name in sorted(os.listdir(path)):
        if name.startswith("part-"):
            lines += (path / name).read_text(encoding="utf-8").splitlines()
    return sorted(lines)


def _kinds(server: PigServer) -> Counter:
    return Counter(entry["kind"] for entry in server.stats)


def _joined(visits, cities) -> list[tuple]:
    return [(u, n, cities[u]) for u, n in visits if u is not None and u in cities]


JOIN_TWO_STORES = """J = JOIN V BY user, U BY user{using};
F = FOREACH J GENERATE V::user, n * 2;
STORE F INTO '$out/doubled';
G = GROUP J BY city;
C = FOREACH G GENERATE group, COUNT(J), SUM(J.n);
STORE C INTO '$out/cities';
"""


@pytest.mark.parametrize(
    ("using", "mode"),
    [("", "local"), (" USING 'skewed'", "local"), (" USING 'skewed'", "mapreduce")],
)
def test_a_join_two_stores_read_is_computed_once(data, using, mode):
    tmp, visits, cities = data
    script = JOIN_TWO_STORES.format(using=using)
    on, off = _run(tmp, script, mode=mode), _run(tmp, script, multiquery=False, mode=mode)
    joined = _joined(visits, cities)
    per_city: dict = defaultdict(lambda: [0, 0])
    for _u, n, city in joined:
        per_city[city][0] += 1
        per_city[city][1] += n
    want = {
        "doubled": sorted(_line(u, 2 * n) for u, n, _c in joined),
        "cities": sorted(_line(c, k, s) for c, (k, s) in per_city.items()),
    }
    for name, rows in want.items():
        assert _read(tmp / "on" / name) == rows, name
        assert _read(tmp / "off" / name) == rows, name
    assert _kinds(on)["join"] == 1 and _kinds(off)["join"] == 1
    if using:  # the skewed join's sampling (key count) job too
        assert _kinds(on)["keycount"] == 1 and _kinds(off)["keycount"] == 1


GROUP_TWO_FOREACHES = """J = JOIN V BY user, U BY user;
G = GROUP J BY city;
Top = FOREACH G {{ s = ORDER J BY n DESC, V::user; t = LIMIT s 1;
    GENERATE group, FLATTEN(t.n); }};
STORE Top INTO '$out/top';
Who = FOREACH G {{ d = DISTINCT J.V::user; GENERATE group, SIZE(d); }};
STORE Who INTO '$out/who';
"""


def test_a_group_two_stores_read_with_different_foreaches_is_computed_once(data):
    tmp, visits, cities = data
    script = GROUP_TWO_FOREACHES.format()
    on = _run(tmp, script)
    by_city: dict = defaultdict(list)
    for u, n, city in _joined(visits, cities):
        by_city[city].append((u, n))
    assert _read(tmp / "on" / "top") == sorted(
        _line(c, max(n for _u, n in rows)) for c, rows in by_city.items()
    )
    assert _read(tmp / "on" / "who") == sorted(
        _line(c, len({u for u, _n in rows})) for c, rows in by_city.items()
    )
    assert _kinds(on)["join"] == 1 and _kinds(on)["group"] == 1


SHARED_AND_DERIVED = """J = JOIN V BY user, U BY user;
STORE J INTO '$out/joined';
B = FILTER J BY n > 25;
G = GROUP B BY city;
C = FOREACH G GENERATE group, COUNT(B);
STORE C INTO '$out/big';
"""


def test_a_stored_relation_and_one_derived_from_it_share_its_job(data):
    tmp, visits, cities = data
    on, off = _run(tmp, SHARED_AND_DERIVED), _run(tmp, SHARED_AND_DERIVED, multiquery=False)
    joined = _joined(visits, cities)
    big = Counter(c for _u, n, c in joined if n > 25)
    want = {
        "joined": sorted(_line(u, n, u, c) for u, n, c in joined),
        "big": sorted(_line(c, k) for c, k in big.items()),
    }
    for name, rows in want.items():
        assert _read(tmp / "on" / name) == rows, name
        assert _read(tmp / "off" / name) == rows, name
    assert _kinds(on)["join"] == 1 and _kinds(off)["join"] == 1


def test_explain_shows_the_shared_join_once(data):
    tmp, _visits, _cities = data
    params = {"dir": str(tmp), "out": str(tmp / "x")}
    text = explain_text(LOADS + JOIN_TWO_STORES.format(using=""), params=params)
    plan = text.split("# Map Reduce Plan", 1)[1].split("# Multi-query", 1)[0]
    assert plan.count("(join,") == 1
