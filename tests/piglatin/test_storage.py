"""Load/store functions: PigStorage, TextLoader, JsonLoader/JsonStorage, BinStorage.

Expected records are written from Pig's documented formats (PigStorage: fields split on
the delimiter, empty field = null, nested values as DUMP prints them; JsonStorage: one
JSON object per line keyed by field name).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.model import data
from piglatin.back.storage import (
    BinStorage,
    JsonLoader,
    JsonStorage,
    PigStorage,
    TextLoader,
    get_loader,
    get_storer,
    pack_value,
    parse_delimiter,
    parse_schema,
    unpack_value,
)

UTC = timezone.utc


# ---------------------------------------------------------------------- PigStorage


def test_fields_are_bytearray_without_schema_and_empty_is_null():
    loader = PigStorage()
    assert loader.parse_line(b"John\t18\t4.0\n") == (b"John", b"18", b"4.0")
    assert loader.parse_line(b"a\t\tb\t") == (b"a", None, b"b", None)
    assert loader.parse_line("x\ty") == (b"x", b"y")
    assert loader.parse_line(b"") == (None,)


def test_custom_delimiters():
    assert PigStorage(",").parse_line(b"1,2,3") == (b"1", b"2", b"3")
    assert parse_delimiter("\\t") == "\t"
    assert parse_delimiter("\\u0001") == "\x01"
    assert parse_delimiter("\\x02") == "\x02"
    assert PigStorage("\\u0001").parse_line(b"a\x01b") == (b"a", b"b")
    with pytest.raises(ValueError):
        parse_delimiter("ab")


def test_tag_file_and_tag_path_options():
    loader = PigStorage(",", "-tagFile")
    loader.set_source("dfs:///data/in/part-00000")
    assert loader.parse_line(b"a,b") == (b"part-00000", b"a", b"b")
    loader = PigStorage(",", "-tagPath")
    loader.set_source("/data/in/f.txt")
    assert loader.parse_line(b"a") == (b"/data/in/f.txt", b"a")


def test_schema_casts_pads_and_cuts():
    loader = PigStorage(",").with_schema([("name", "chararray"), ("age", "int"), ("gpa", "float")])
    assert loader.parse_line(b"John,18,4.0") == ("John", 18, 4.0)
    assert loader.parse_line(b"Mary") == ("Mary", None, None)
    assert loader.parse_line(b"Bill,20,3.5,extra") == ("Bill", 20, 3.5)


def test_malformed_int_field_becomes_null_and_counts_a_warning():
    seen = []
    loader = PigStorage(",").with_schema([("a", "int"), ("b", "int")])
    loader.on_warning = seen.append
    rows = list(loader.tuples([b"1,2", b"x,3", b"4,", b"5,six"]))
    assert rows == [(1, 2), (None, 3), (4, None), (5, None)]
    assert loader.warnings[data.CONVERSION_FAILED] == 2
    assert seen == [data.CONVERSION_FAILED] * 2


def test_schema_with_complex_fields():
    loader = PigStorage().with_schema(parse_schema(
        "t:(a:int,b:chararray), bg:{(x:int)}, m:map[int], d:datetime, ok:boolean"))
    line = b"(1,foo)\t{(1),(2)}\t[k#5]\t2011-01-01T00:00:00.000Z\ttrue"
    assert loader.parse_line(line) == (
        (1, "foo"), [(1,), (2,)], {"k": 5}, datetime(2011, 1, 1, tzinfo=UTC), True)


def test_store_format_nested_and_nulls():
    storer = PigStorage()
    t = (1, "abc", None, [(2,), (3,)], {"k": "v"}, (4, None), 2.5, True, b"raw")
    assert storer.format(t) == b"1\tabc\t\t{(2),(3)}\t[k#v]\t(4,)\t2.5\ttrue\traw"
    assert PigStorage(",").format(("a", 1e10)) == b"a,1.0E10"
    assert b"".join(storer.records([(1,), (2,)])) == b"1\n2\n"


simple_fields = st.one_of(
    st.none(), st.integers(-(2**31), 2**31 - 1), st.text(
        alphabet=st.characters(blacklist_characters="\t\n\r", blacklist_categories=("Cs",)),
        min_size=1, max_size=8),
)


@settings(max_examples=80)
@given(st.lists(simple_fields, min_size=1, max_size=6))
def test_pigstorage_round_trip(fields):
    schema = [(f"f{i}", "int" if type(v) is int else "chararray") for i, v in enumerate(fields)]
    line = PigStorage().format(tuple(fields))
    back = PigStorage().with_schema(schema).parse_line(line)
    assert back == tuple(fields)


def test_round_trip_of_nested_values_through_text():
    schema = parse_schema("b:{(x:int,y:chararray)}, m:map[chararray], t:(p:double,q:long)")
    t = ([(1, "a"), (2, None)], {"k": "v", "e": None}, (2.5, 7))
    line = PigStorage().format(t)
    assert PigStorage().with_schema(schema).parse_line(line) == t


# ------------------------------------------------------------------------ TextLoader


def test_textloader_one_chararray_per_line():
    loader = TextLoader()
    assert loader.parse_line(b"hello, world\t!\n") == ("hello, world\t!",)
    assert list(loader.tuples([b"a\n", b"b"])) == [("a",), ("b",)]
    assert loader.parse_line("") == ("",)


# ---------------------------------------------------------------------------- JSON


def test_json_loader_with_schema():
    loader = JsonLoader("a:int, b:chararray, c:{t:(x:int)}, m:map[], n:(p:int,q:double)")
    line = '{"a":1,"b":"x","c":[{"x":2},{"x":3}],"m":{"k":"v"},"n":{"p":1,"q":2.5}}'
    assert loader.parse_line(line) == (1, "x", [(2,), (3,)], {"k": b"v"}, (1, 2.5))
    assert loader.parse_line('{"a":"oops"}') == (None, None, None, None, None)
    assert loader.warnings[data.CONVERSION_FAILED] == 1


def test_json_storage_writes_one_object_per_tuple():
    schema = parse_schema("a:int, b:chararray, c:{t:(x:int)}, m:map[], n:(p:int,q:double), z:int")
    storer = JsonStorage().with_schema(schema)
    line = storer.format((1, "x", [(2,), (3,)], {"k": "v"}, (1, 2.5), None))
    assert json.loads(line) == {
        "a": 1, "b": "x", "c": [{"x": 2}, {"x": 3}], "m": {"k": "v"},
        "n": {"p": 1, "q": 2.5}, "z": None}
    assert b" " not in line


def test_json_round_trip():
    schema = "name:chararray, age:int, gpa:double, tags:{t:(tag:chararray)}"
    t = ("Jo \"Q\"", 20, 3.25, [("a",), ("b",)])
    line = JsonStorage().with_schema(parse_schema(schema)).format(t)
    assert JsonLoader(schema).parse_line(line) == t


# ----------------------------------------------------------------------- BinStorage


def _millis(d):
    return d.replace(microsecond=d.microsecond // 1000 * 1000)


pig_scalars = st.one_of(
    st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.text(max_size=5),
    st.binary(max_size=5), st.booleans(),
    st.datetimes(timezones=st.just(UTC)).map(_millis),
)
pig_values = st.recursive(
    pig_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(tuple),
        st.lists(st.lists(inner, max_size=2).map(tuple), max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=10,
)


@settings(max_examples=100)
@given(st.lists(pig_values, max_size=5).map(tuple))
def test_binstorage_round_trip_is_exact(t):
    storer = BinStorage()
    back = list(BinStorage().tuples([storer.format(t)]))
    assert back == [t]
    assert _shape(back[0]) == _shape(t)


def _shape(v):
    """The value with its container types made explicit (tuple vs bag vs map)."""
    if type(v) is tuple:
        return ("T", [_shape(x) for x in v])
    if type(v) is list:
        return ("B", [_shape(x) for x in v])
    if type(v) is dict:
        return ("M", {k: _shape(x) for k, x in v.items()})
    return (type(v).__name__, v)


def test_binstorage_keeps_bag_vs_tuple_and_datetime_zone():
    tz = timezone(timedelta(hours=-3))
    t = ([(1,)], ((1,),), [], (), datetime(2001, 2, 3, 4, 5, 6, 7000, tzinfo=tz))
    back = unpack_value(pack_value(t))
    assert type(back[0]) is list and type(back[0][0]) is tuple
    assert type(back[1]) is tuple and type(back[1][0]) is tuple
    assert back[2] == [] and back[3] == ()
    assert back[4] == t[4] and back[4].utcoffset() == timedelta(hours=-3)


def test_binstorage_stream_with_split_chunks():
    rows = [(i, f"r{i}", [(i,)]) for i in range(50)]
    blob = b"".join(BinStorage().records(rows))
    chunks = [blob[i : i + 7] for i in range(0, len(blob), 7)]
    assert list(BinStorage().tuples(chunks)) == rows


# ------------------------------------------------------------------------- registry


def test_get_loader_and_storer():
    assert isinstance(get_loader("PigStorage", [","]), PigStorage)
    assert isinstance(get_loader("org.apache.pig.builtin.PigStorage"), PigStorage)
    assert isinstance(get_loader("TextLoader"), TextLoader)
    assert isinstance(get_storer("JsonStorage"), JsonStorage)
    assert isinstance(get_storer("BinStorage"), BinStorage)
    with pytest.raises(KeyError) as err:
        get_loader("PigStorag")
    assert "PigStorage" in str(err.value)
    with pytest.raises(KeyError):
        get_storer("TextLoader")


def test_parse_schema_text():
    assert parse_schema("a:int, b") == [("a", "int", None), ("b", "bytearray", None)]
    assert parse_schema("(x:bag{t:(y:long)}, m:map[double])") == [
        ("x", "bag", [("t", "tuple", [("y", "long", None)])]),
        ("m", "map", [(None, "double", None)]),
    ]
