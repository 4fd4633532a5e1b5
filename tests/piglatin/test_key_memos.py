"""A GROUP key's column memos (`codegen.key_memos`, `fill_key_memos`): the row encoder that
looks a column's bytes up in its memo gives exactly `data.sort_bytes` of the key tuple, for
values of the column's type and of any other (a bool where ints are declared: True equals 1
in Python but not in Pig), before and after the memos are filled from a sample; and the
generated map code that uses them after the fold judge gives a GROUP's answer equal to plain
Python's."""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import fill_key_memos, key_memos, row_encoder
from piglatin.launcher import PigServer
from piglatin.model import data
from piglatin.model.schema import DataType

TYPES = [DataType.CHARARRAY, DataType.INT, DataType.LONG, DataType.DOUBLE]

texts = st.text(alphabet="ab\x00é\udcff", max_size=3)
ints = st.integers(-(2**63), 2**63 - 1)
doubles = st.floats(allow_nan=True) | st.sampled_from([0.0, -0.0, 1.0, 2.0**62])
anything = st.none() | st.booleans() | ints | doubles | texts
by_type = {
    DataType.CHARARRAY: st.none() | texts,
    DataType.INT: st.none() | st.integers(-50, 50),
    DataType.LONG: st.none() | ints,
    DataType.DOUBLE: st.none() | doubles,
}


@st.composite
def keyed_rows(draw):
    types = draw(st.lists(st.sampled_from(TYPES), min_size=2, max_size=4))
    field = [by_type[t] | anything if draw(st.booleans()) else by_type[t] for t in types]
    row = st.tuples(*field)
    return types, draw(st.lists(row, max_size=40)), draw(st.lists(row, max_size=40))


@settings(max_examples=150, deadline=None)
@given(keyed_rows())
def test_memo_encoder_is_sort_bytes(case):
    types, sample, rows = case
    memos = key_memos(types)
    assert len(memos) == len(types)
    encode = row_encoder(types, memos)
    for k in sample:
        assert encode(k) == data.sort_bytes(k)
    fill_key_memos(memos, types, sample + sample)  # every value of the sample repeats
    for column, memo in enumerate(memos):
        for value, kb in memo.items():
            assert kb == data.sort_bytes(value)
            seen = [k[column] for k in sample if type(k[column]) is type(value)]
            assert any(v is value or v == value for v in seen)
    for k in sample + rows:
        assert encode(k) == data.sort_bytes(k)


def test_a_value_seen_once_is_not_remembered():
    types = [DataType.CHARARRAY, DataType.INT]
    memos = key_memos(types)
    fill_key_memos(memos, types, [("a", 1), ("a", 2), ("b", 3), ("a", 3)])
    assert set(memos[0]) == {"a"} and set(memos[1]) == {3}


def test_memos_only_for_several_columns_of_plain_types():
    assert key_memos([DataType.CHARARRAY]) == ()
    assert key_memos([DataType.CHARARRAY, DataType.BOOLEAN]) == ()
    assert len(key_memos([DataType.DOUBLE, DataType.LONG])) == 2


def test_group_of_several_keys_after_the_judge_equals_python(tmp_path: Path):
    """40,000 rows whose key tuples never repeat but whose columns do (a user, a small code,
    a rounded amount): the fold judge gives up after its sample, the memos fill, and the
    rest of the rows' key bytes come from them."""
    lines, want = [], defaultdict(int)
    for i in range(40_000):
        user, code, amount = f"u{i % 97}", (i * 7) % 13 - 6, (i % 11) / 4
        lines.append(f"{user}\t{code}\t{amount}\t{i}\t{i % 5}")
        want[(user, code, amount, i)] += i % 5
    (tmp_path / "in").write_text("\n".join(lines) + "\n")
    script = """
    A = LOAD 'in' AS (user:chararray, code:int, amount:double, id:long, n:int);
    B = GROUP A BY (user, code, amount, id);
    C = FOREACH B GENERATE FLATTEN(group), SUM(A.n);
    STORE C INTO 'out';
    """
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    got = {}
    for part in sorted((tmp_path / "out").glob("part-*")):
        for line in part.read_text().splitlines():
            user, code, amount, i, total = line.split("\t")
            got[(user, int(code), float(amount), int(i))] = int(total)
    assert got.keys() == want.keys()
    assert all(got[k] == v for k, v in want.items())
    assert not any(math.isnan(k[2]) for k in got)


def test_a_bool_is_never_a_number_in_a_memo():
    """True == 1 and hash(True) == hash(1) in Python; Pig's bytes for them differ."""
    types = [DataType.INT, DataType.DOUBLE]
    memos = key_memos(types)
    encode = row_encoder(types, memos)
    fill_key_memos(memos, types, [(True, 1.0), (True, 1.0), (1, True), (1, True)])
    for k in [(1, 1.0), (True, True), (1, True), (True, 1.0), (0, False), (False, 0.0)]:
        assert encode(k) == data.sort_bytes(k)
