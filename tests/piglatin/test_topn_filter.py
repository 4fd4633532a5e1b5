"""ORDER ... LIMIT N: a map task drops a row whose first sort key is a number strictly worse
than the N-th best it has seen before making its key (`topn.first_key_filter`); what the
task sends (`topn.TopRecords`) must still be the first N rows of the full stable sort.
Against plain Python: Pig's order (ascending nulls first, descending nulls last, NaN the
greatest number; Python's sort of the keys `order_encoder` makes is that order) and a
stable sort's first N. End to end through `pig -x local` against a plain sort of the rows."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import order_encoder
from piglatin.back.topn import TopRecords, first_key_filter
from piglatin.launcher import run_script
from piglatin.model.schema import DataType, FieldSchema
from piglatin.plan import logical as L

NUMBER = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.sampled_from([0.5, -0.0, 0.0, math.nan, math.inf, -math.inf, 2.5]),
)


def _keys(types, desc) -> tuple[L.SortKey, ...]:
    return tuple(
        L.SortKey(L.LEProject(i, FieldSchema(f"c{i}", t)), not d)
        for i, (t, d) in enumerate(zip(types, desc, strict=True))
    )


def _sent(rows, types, desc, n, batch) -> list[tuple]:
    """The rows a map task sends: the filter, the record (key bytes, row), TopRecords."""
    enc = order_encoder(types, desc)
    tail = first_key_filter(lambda t: [(enc(t), t)], _keys(types, desc), n)
    top = TopRecords(n)
    for i in range(0, len(rows), batch):
        top.add([r for t in rows[i : i + batch] for r in tail(t)])
    return [t for _k, t in top.flush()]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(NUMBER, st.integers(0, 4)), max_size=60),
    desc=st.tuples(st.booleans(), st.booleans()),
    n=st.integers(0, 12),
    batch=st.integers(1, 20),
    double=st.booleans(),
)
def test_the_sent_rows_are_the_first_n_of_the_stable_sort(rows, desc, n, batch, double):
    first = DataType.DOUBLE if double else DataType.INT
    if not double:
        rows = [(v if v is None or type(v) is int else None, k) for v, k in rows]
    else:
        rows = [(v if v is None else float(v), k) for v, k in rows]
    types = [first, DataType.INT]
    enc = order_encoder(types, list(desc))
    want = sorted(rows, key=enc)[:n]
    got = _sent(rows, types, list(desc), n, batch)
    assert [repr(r) for r in got] == [repr(r) for r in want]


TEXT = st.one_of(st.none(), st.text(alphabet="ab\x00\xe9\uffff\U00010000", max_size=3))


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXT, st.integers(0, 4)), max_size=60),
    desc=st.tuples(st.booleans(), st.booleans()),
    n=st.integers(0, 12),
    batch=st.integers(1, 20),
    raw=st.booleans(),
)
def test_texts_first_the_sent_rows_are_the_first_n(rows, desc, n, batch, raw):
    """A chararray (or bytearray) first key: NUL, a BMP character above the surrogates and
    one past the BMP among them (code point order, as the key bytes)."""
    first = DataType.BYTEARRAY if raw else DataType.CHARARRAY
    if raw:
        rows = [(None if v is None else v.encode("utf-8"), k) for v, k in rows]
    types = [first, DataType.INT]
    enc = order_encoder(types, list(desc))
    want = sorted(rows, key=enc)[:n]
    got = _sent(rows, types, list(desc), n, batch)
    assert [repr(r) for r in got] == [repr(r) for r in want]


def test_only_plain_numeric_and_text_columns_are_filtered():
    tail = lambda t: [t]  # noqa: E731
    when = (L.SortKey(L.LEProject(0, FieldSchema("s", DataType.DATETIME)), False),)
    assert first_key_filter(tail, when, 3) is tail
    cast = L.LECast(L.LEProject(0, FieldSchema("b", DataType.BYTEARRAY)), FieldSchema(None))
    assert first_key_filter(tail, (L.SortKey(cast, True),), 3) is tail
    assert first_key_filter(tail, _keys([DataType.LONG], [True]), 0) is tail
    assert first_key_filter(tail, _keys([DataType.LONG], [True]), 3) is not tail


def test_a_value_of_another_type_turns_the_filter_off():
    """A column holding text where its schema says int (a UDF's mis-declared result): rows
    are no longer dropped once Python cannot compare them."""
    kept = first_key_filter(lambda t: [t], _keys([DataType.INT], [True]), 1)
    assert kept((5,)) == [(5,)] and kept((1,)) == []
    assert kept(("x",)) == [("x",)]
    assert kept((0,)) == [(0,)]


ROWS = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(-5, 5)), st.sampled_from(["", "1.5", "-2", "x"])),
    max_size=50,
)


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, n=st.integers(1, 8))
@pytest.mark.parametrize(
    ("order", "desc"),
    [("a DESC, b", (True, False)), ("b, a DESC", (False, True)), ("a, b DESC", (False, True))],
)
def test_order_limit_end_to_end(tmp_path: Path, rows, n, order, desc):
    (tmp_path / "in").write_text("".join(f"{'' if a is None else a}\t{b}\n" for a, b in rows))
    script = (
        f"A = LOAD 'in' AS (a:int, b:double);\nO = ORDER A BY {order};\nT = LIMIT O {n};\n"
        "DUMP T;"
    )
    out = io.StringIO()
    assert run_script(script, cwd=tmp_path, out=out) == 0
    typed = [(a, _num(b)) for a, b in rows]
    cols = (0, 1) if order.startswith("a") else (1, 0)
    enc = order_encoder([[DataType.INT, DataType.DOUBLE][c] for c in cols], list(desc))
    first = sorted(typed, key=lambda r: enc(tuple(r[c] for c in cols)))[:n]
    want = ["(" + ",".join("" if v is None else str(v) for v in r) + ")" for r in first]
    assert out.getvalue().splitlines() == want  # tied rows are equal rows: both are keys
