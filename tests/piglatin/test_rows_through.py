"""`physical.rows_through` (a chain of record functions over a whole list of rows, as the
reduce sides' batch forms run their chains) gives the rows `chain_functions` gives row by
row, in the same order; a FILTER compiled to a `KeepIf` keeps exactly the rows whose
condition is true (Pig: a null condition drops the row), a comparison with a constant
included (`exprs.compare_const`). Expected rows come from plain Python."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from piglatin.back.physical import Compiler, KeepIf, OneRow, chain_functions, rows_through
from piglatin.front.builder import build_text

SCRIPT = """A = LOAD 'a' AS (k:chararray, n:int);
B = FILTER A BY n {op} {const};
C = FOREACH B GENERATE n, k;
D = FOREACH C GENERATE FLATTEN(TOKENIZE(k)), n;
"""

ROWS = st.lists(
    st.tuples(st.sampled_from([None, "a", "b c", "d e f"]), st.sampled_from([None, -1, 0, 2])),
    max_size=30,
)
OPS = {"==": lambda x, y: x == y, "!=": lambda x, y: x != y, "<": lambda x, y: x < y}


def _stages(op: str, const: str) -> list:
    plan = build_text(SCRIPT.format(op=op, const=const))
    comp = Compiler(plan=plan)
    return [comp.narrow(plan.alias(a), 0) for a in ("B", "C", "D")]


def _expected(rows: list, op: str, const: int | None) -> list:
    out = []
    for k, n in rows:
        if n is None or const is None or not OPS[op](n, const):
            continue  # a null comparison drops the row, as false does
        for word in k.split() if k is not None else [None]:
            out.append((word, n))
    return out


@given(rows=ROWS, op=st.sampled_from(sorted(OPS)), const=st.sampled_from([0, 2, None]))
def test_rows_through_is_the_chain_row_by_row(rows, op, const) -> None:
    stages = _stages(op, "null" if const is None else str(const))
    assert isinstance(stages[0], KeepIf) and isinstance(stages[1], OneRow)
    one_by_one = chain_functions(stages, lambda t: [t])
    want = [o for t in rows for o in one_by_one(t)]
    assert rows_through(stages)(list(rows)) == want
    got = [(w, n) for w, n in want]
    assert sorted(got, key=repr) == sorted(_expected(rows, op, const), key=repr)
