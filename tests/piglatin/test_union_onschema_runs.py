"""UNION ONSCHEMA run end to end (local mode) against plain Python, with the optimizer's
UnionOnSchemaSetter (rules/union_onschema.py: a plain UNION of per-input FOREACHes) and with
it switched off (the back end places each input's columns at run time): the same rows.

Pig Latin Basics, UNION: "ONSCHEMA: use the ONSCHEMA clause to base the union on named
fields (rather than positional notation)... the schema of the result is the union of the
schemas; fields missing from an input are null".
"""

from __future__ import annotations

import io
from collections import Counter

import pytest

from piglatin import launcher

OFF = "SET pig.optimizer.rules.disabled 'UnionOnSchemaSetter';\n"

SALES = [  # order_id, customer, total (customer and total with nulls and a bad total)
    (1, 10, "2.5"),
    (2, None, "1.0"),
    (3, 10, ""),
    (4, 11, "n/a"),
    (5, 12, "7.25"),
    (6, None, "3.0"),
]
VISITS = [  # user, bytes, url
    (10, 100, "/a"),
    (None, 5, "/b"),
    (13, None, "/c"),
    (10, 7, ""),
    (11, 1, "/d"),
]


def _write(tmp_path, name, rows):
    text = "".join("\t".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
    (tmp_path / name).write_text(text)


def _pig(v) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        return "(" + ",".join(_pig(x) for x in v) + ")"
    if isinstance(v, list):
        return "{" + ",".join(_pig(x) for x in v) + "}"
    return str(v)


def _dump(tmp_path, script: str) -> Counter:
    out = io.StringIO()
    assert launcher.run_script(script, "local", cwd=str(tmp_path), out=out) == 0
    return Counter(out.getvalue().splitlines())


def _float(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


@pytest.fixture
def tables(tmp_path):
    _write(tmp_path, "sales", SALES)
    _write(tmp_path, "visits", VISITS)
    return tmp_path


@pytest.mark.parametrize("prefix", ["", OFF], ids=["rule", "no_rule"])
def test_group_of_a_union_of_differently_shaped_inputs(tables, prefix):
    script = prefix + """
S = LOAD 'sales' AS (order_id:long, customer:long, total:double);
V = LOAD 'visits' AS (user:long, bytes:long, url:chararray);
A = FOREACH S GENERATE customer AS user, total AS amount, 'order' AS src;
B = FOREACH V GENERATE user, bytes, url, 'visit' AS src;
U = UNION ONSCHEMA A, B;
G = GROUP U BY user;
O = FOREACH G GENERATE group, COUNT(U.amount), SUM(U.amount), COUNT(U.url), SUM(U.bytes),
    COUNT_STAR(U);
DUMP O;
"""
    groups: dict = {}
    for _, customer, total in SALES:
        g = groups.setdefault(customer, [0, None, 0, None, 0])
        g[4] += 1
        if (t := _float(total)) is not None:
            g[0] += 1
            g[1] = t if g[1] is None else g[1] + t
    for user, size, url in VISITS:
        g = groups.setdefault(user, [0, None, 0, None, 0])
        g[4] += 1
        g[2] += url != ""  # an empty field is null, COUNT skips it
        if size is not None:
            g[3] = size if g[3] is None else g[3] + size
    want = Counter(_pig((k, *g)) for k, g in groups.items())
    assert _dump(tables, script) == want


@pytest.mark.parametrize("prefix", ["", OFF], ids=["rule", "no_rule"])
def test_three_inputs_reordered_widened_and_filtered(tables, prefix):
    """Columns in another order, an int widened to the union's long, a FILTER after the
    UNION on a column one input lacks (null: the row is dropped), the same input twice."""
    script = prefix + """
S = LOAD 'sales' AS (order_id:int, customer:long, total:double);
V = LOAD 'visits' AS (user:long, bytes:long, url:chararray);
A = FOREACH S GENERATE total, order_id AS n;
B = FOREACH V GENERATE url, bytes AS n;
C = FOREACH V GENERATE user AS n;
U = UNION ONSCHEMA A, B, C, A;
F = FILTER U BY n > 3 OR url IS NOT NULL;
DUMP F;
"""
    rows = []  # (total, n, url), the union's columns in order of first appearance
    for _ in range(2):
        rows += [(_float(t), o, None) for o, _c, t in SALES]
    rows += [(None, b, url or None) for _u, b, url in VISITS]
    rows += [(None, u, None) for u, _b, _url in VISITS]
    want = Counter(_pig(r) for r in rows if (r[1] is not None and r[1] > 3) or r[2] is not None)
    assert _dump(tables, script) == want


@pytest.mark.parametrize("prefix", ["", OFF], ids=["rule", "no_rule"])
def test_nested_unions_and_complex_columns(tables, prefix):
    """A UNION ONSCHEMA of another one's result, a bag column from one input only, DISTINCT
    of the union (null bags and nulls compare equal)."""
    script = prefix + """
S = LOAD 'sales' AS (order_id:int, customer:long, total:double);
V = LOAD 'visits' AS (user:long, bytes:long, url:chararray);
A = FOREACH S GENERATE customer AS user, TOBAG(order_id, customer) AS ids;
B = FOREACH V GENERATE user;
C = FOREACH V GENERATE url AS page, user;
U1 = UNION ONSCHEMA A, B;
U2 = UNION ONSCHEMA C, U1;
D = DISTINCT U2;
DUMP D;
"""
    rows = set()  # (page, user, ids)
    for o, c, _t in SALES:
        rows.add((None, c, ((o,), (c,))))
    for u, _b, url in VISITS:
        rows.add((None, u, None))
        rows.add((url or None, u, None))
    want = Counter(_pig((p, u, None if ids is None else list(ids))) for p, u, ids in rows)
    assert _dump(tables, script) == want
