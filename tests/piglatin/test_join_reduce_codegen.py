"""The operators after a reduce-side (hash) JOIN or a CROSS run as generated code over the
joined rows (`reducers._generated_rows`): map lookups with casts, null arithmetic, a
bincond, a FILTER with three-valued logic, a FLATTEN, stored as PigStorage lines or written
for a GROUP's job, on data with nulls, unmatched keys and bad numbers, against plain
Python's model of Pig's rules; with code generation on and off, in local and mapreduce mode.
EXPLAIN prints the reduce side's generated function."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from piglatin.launcher import explain_text, run_script

CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}
MAPS = ["[plan#gold,age#31]", "[plan#free]", "[age#x,plan#pro]", "", "[lang#en,age#7]"]
TAGS = ["a b", "c", "d e f"]

HEAD = """L = LOAD 'l.txt' AS (id:int, bytes:long, status:int);
R = LOAD 'r.txt' AS (id:int, attrs:map[], tags:chararray);
"""
PROJECT = """P = FOREACH J GENERATE L::id AS id, (chararray)attrs#'plan' AS plan,
    (int)attrs#'age' AS age, bytes * 2 + status AS w, (status >= 400 ? 1 : 0) AS err, tags;
"""
SCRIPTS = {
    "outer_store": HEAD
    + "J = JOIN L BY id LEFT OUTER, R BY id;\n"
    + PROJECT
    + "F = FILTER P BY w IS NULL OR w > 100;\nSTORE F INTO 'out';\n",
    "flatten_store": HEAD
    + "J = JOIN L BY id, R BY id;\n"
    + PROJECT
    + "Q = FOREACH P GENERATE id, plan, w, FLATTEN(TOKENIZE(tags)) AS tag;\nSTORE Q INTO 'out';\n",
    "group_after": HEAD
    + "J = JOIN L BY id, R BY id;\n"
    + PROJECT
    + "G = GROUP P BY plan;\n"
    + "O = FOREACH G GENERATE group, COUNT(P), SUM(P.w), MAX(P.age), SUM(P.err);\n"
    + "STORE O INTO 'out';\n",
    "cross": HEAD
    + "C = CROSS L, R;\n"
    + "X = FOREACH C GENERATE L::id AS a, R::id AS b, (int)attrs#'age' + status AS s;\n"
    + "STORE X INTO 'out';\n",
}


def _data(seed: int, big: int = 0) -> tuple[list[tuple], list[tuple]]:
    """Rows with nulls and unmatched keys; with `big`, key 3 has `big` left rows and `big`
    right rows more (a product past the batch form's limit: that key is streamed)."""
    rnd = random.Random(seed)
    ids = [None, 1, 2, 3, 4, 5, 6]
    left = [
        (rnd.choice(ids), rnd.choice([None, 0, 7, 50, 99]), rnd.choice([None, 200, 404, 500]))
        for _ in range(30)
    ]
    right = [(rnd.choice(ids), rnd.choice(MAPS), rnd.choice(TAGS)) for _ in range(12)]
    left += [(3, i, 404) for i in range(big)]
    right += [(3, rnd.choice(MAPS), "g") for _ in range(big)]
    rnd.shuffle(left)
    rnd.shuffle(right)
    return left, right


def _text(v) -> str:
    return "" if v is None else str(v)


def _map(text: str) -> dict | None:
    if not text:
        return None
    return dict(kv.split("#", 1) for kv in text[1:-1].split(","))


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def _add(a, b):
    return None if a is None or b is None else a + b


def _projected(lt: tuple, rt: tuple) -> tuple:
    lid, nbytes, status = lt
    _rid, attrs, tags = rt
    m = _map(attrs) if attrs is not None else None
    plan = None if m is None else m.get("plan")
    age = None if m is None else _int(m.get("age"))
    w = None if nbytes is None or status is None else nbytes * 2 + status
    err = None if status is None else (1 if status >= 400 else 0)
    return lid, plan, age, w, err, tags


def _joined(left: list, right: list, outer: bool) -> list[tuple]:
    out = []
    for lt in left:
        ms = [rt for rt in right if lt[0] is not None and rt[0] == lt[0]]
        if not ms and outer:
            ms = [(None, None, None)]
        out += [(lt, rt) for rt in ms]
    return out


def model(name: str, left: list, right: list) -> list[str]:
    rows: list[tuple] = []
    if name == "outer_store":
        for lt, rt in _joined(left, right, True):
            p = _projected(lt, rt)
            if p[3] is None or p[3] > 100:  # FILTER w IS NULL OR w > 100
                rows.append(p)
    elif name == "flatten_store":
        for lt, rt in _joined(left, right, False):
            p = _projected(lt, rt)
            rows += [(p[0], p[1], p[3], tag) for tag in p[5].split()]
    elif name == "group_after":
        groups: dict = {}
        for lt, rt in _joined(left, right, False):
            p = _projected(lt, rt)
            groups.setdefault(p[1], []).append(p)
        for plan, ps in groups.items():
            ws = [p[3] for p in ps if p[3] is not None]
            ages = [p[2] for p in ps if p[2] is not None]
            errs = [p[4] for p in ps if p[4] is not None]
            count = sum(1 for p in ps if p[0] is not None)  # COUNT: first field not null
            rows.append(
                (plan, count, sum(ws) if ws else None, max(ages) if ages else None,
                 sum(errs) if errs else None)
            )  # fmt: skip
    else:  # cross
        for lt in left:
            for rt in right:
                m = _map(rt[1]) if rt[1] is not None else None
                age = None if m is None else _int(m.get("age"))
                rows.append((lt[0], rt[0], _add(age, lt[2])))
    return sorted("\t".join(map(_text, r)) for r in rows)


def _write(tmp: Path, left: list, right: list) -> None:
    (tmp / "l.txt").write_text("".join("\t".join(map(_text, r)) + "\n" for r in left))
    (tmp / "r.txt").write_text("".join("\t".join(map(_text, r)) + "\n" for r in right))


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("name", list(SCRIPTS))
def test_after_join_matches_python(tmp_path: Path, config: str, name: str) -> None:
    mode, sets = CONFIGS[config]
    for seed in (1, 2):
        left, right = _data(seed)
        _check(tmp_path / str(seed), mode, sets + SCRIPTS[name], name, left, right)


@pytest.mark.parametrize("config", ["local", "mapreduce"])
@pytest.mark.parametrize("spill", ["", "SET pig.join.spill.records 5;\n"])
def test_big_key_in_a_batch(tmp_path: Path, config: str, spill: str) -> None:
    """Key 3's 70 x 70 rows are streamed, between keys joined in the batch form; with
    `pig.join.spill.records` its left rows spill."""
    mode, sets = CONFIGS[config]
    left, right = _data(3, big=70)
    for name in ("outer_store", "group_after"):
        _check(tmp_path / name, mode, spill + sets + SCRIPTS[name], name, left, right)


def _check(tmp: Path, mode: str, script: str, name: str, left: list, right: list) -> None:
    tmp.mkdir()
    _write(tmp, left, right)
    log = io.StringIO()
    script = script.replace("'out'", f"'{(tmp / 'out').as_uri()}'")
    rc = run_script(script, exec_type=mode, cwd=tmp, filename="t.pig", out=log)
    assert rc == 0, log.getvalue()
    lines = []
    for part in sorted((tmp / "out").glob("part-*")):
        lines += part.read_text().split("\n")[:-1]
    assert sorted(lines) == model(name, left, right)


def test_explain_prints_the_joined_rows_code(tmp_path: Path) -> None:
    left, right = _data(1)
    _write(tmp_path, left, right)
    text = explain_text(SCRIPTS["outer_store"], cwd=str(tmp_path))
    code = text.split("# Generated code (reduce side)")[1]
    assert "def joined_rows(_keys, _values):" in code
    assert ".get('plan')" in code  # the map lookup inline, not a closure per row
