"""JsonLoader's per-field converters (`JsonLoader._converter`): a JSON value that already is
the field's value (a string for chararray, an integer in range for int/long, a float for
double, a string's UTF-8 for bytearray, a map[]'s string values as bytearrays) is taken as it
is; anything else goes through the general reading (`JsonLoader._field`), so every line gives
the same tuple, types and warnings as reading each field through `_field`."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.storage import JsonLoader

SCHEMA = (
    "a:int, b:long, c:double, d:chararray, e:bytearray, m:map[], t:tuple(x:int), "
    "g:bag{(y:int)}, f:float, h:boolean"
)
NAMES = ["a", "b", "c", "d", "e", "m", "t", "g", "f", "h"]
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**65), 2**65),
    st.sampled_from([2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63)]),
    st.floats(allow_nan=True, allow_infinity=False),
    st.text(max_size=4),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("xyq"), inner, max_size=3)
    ),
    max_leaves=6,
)


def _by_field(loader: JsonLoader, line: str) -> tuple:
    obj = json.loads(line)
    get = obj.get if isinstance(obj, dict) else (lambda _n: None)
    return tuple(loader._field(get(n), t, i) for n, t, i in loader.schema)


@settings(max_examples=400, deadline=None)
@given(obj=st.dictionaries(st.sampled_from(NAMES), VALUE, max_size=10))
def test_converters_read_each_field_as_the_general_reading(obj):
    line = json.dumps(obj)
    fast, slow = JsonLoader(SCHEMA), JsonLoader(SCHEMA)
    warned_fast: list[str] = []
    warned_slow: list[str] = []
    fast.on_warning, slow.on_warning = warned_fast.append, warned_slow.append
    want = _by_field(slow, line)
    got = fast.parse_line(line)
    assert repr(got) == repr(want)
    assert [type(v) for v in got] == [type(v) for v in want]
    assert warned_fast == warned_slow


def test_a_projection_keeps_the_converters_in_step():
    loader = JsonLoader("a:int, d:chararray, c:double")
    assert loader.push_projection([2, 0])
    assert loader.parse_line('{"a": 7, "d": "x", "c": 1.5}') == (1.5, 7)


def test_integers_at_the_edges_of_int_and_long():
    loader, general = JsonLoader("a:int, b:long"), JsonLoader("a:int, b:long")
    for a, b in [(2**31 - 1, 2**63 - 1), (2**31, 2**63), (-(2**31), -(2**63)), (-(2**31) - 1, 0)]:
        line = json.dumps({"a": a, "b": b})
        assert loader.parse_line(line) == _by_field(general, line)
