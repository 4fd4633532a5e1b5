"""The per-value fast paths of reading and writing text give exactly what the general code
gives: numbers' sort bytes (one struct call for a number >= 0) against the documented byte
layout; DUMP/PigStorage text of tuples, bags and maps (one comprehension for maps of bytes
and bags of such maps) against a small writer written here; int/long/double fields that
generated map code converts inline against the loader's own casts, warnings included; the
generated PigStorage line against that writer."""

from __future__ import annotations

import math
import struct

from hypothesis import example, given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import (
    RecordSource,
    generate_map_pipeline,
    key_encoder,
    order_encoder,
    text_line_tail,
)
from piglatin.back.storage import PigStorage
from piglatin.model import data
from piglatin.model.schema import DataType
from tests.piglatin.pigtext import java_double

# -- sort bytes of numbers ------------------------------------------------------------------


def layout(x: int | float) -> bytes:
    """Tag 3; the double's IEEE bits made unsigned-ordered (sign bit set for x >= 0, all
    bits flipped for x < 0); then 9 bytes: the integer + 2**63 (0 for a fraction; all 0xff /
    all 0 past the longs, after / before the longs of an equal double). NaN is last."""
    d = float(x) + 0.0
    if d != d:
        return b"\x03" + b"\xff" * 17
    bits = int.from_bytes(struct.pack(">d", d), "big")
    bits = bits ^ ((1 << 64) - 1) if bits >> 63 else bits | (1 << 63)
    if isinstance(x, float) and not x.is_integer() and math.isfinite(x):
        tail = bytes(9)
    elif isinstance(x, float) and not -(2**63) <= x < 2**63:
        tail = b"\xff" * 9 if x > 0 else bytes(9)
    else:
        tail = (int(x) + 2**63).to_bytes(9, "big", signed=True)
    return b"\x03" + bits.to_bytes(8, "big") + tail


_EDGES = [
    0,
    1,
    -1,
    2**31 - 1,
    2**63 - 1,
    2**63,
    -(2**63),
    -(2**63) - 1,
    2**70,
    0.0,
    -0.0,
    0.5,
    -0.5,
    2.0**63,
    2.0**63 - 1024,
    -(2.0**63),
    5e-324,
    -5e-324,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    2**53 + 1,
    float(2**53 + 1),
]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(-(2**70), 2**70), st.floats(), st.sampled_from(_EDGES)))
def test_number_sort_bytes_follow_the_layout(x):
    assert data.number_sort_bytes(x) == layout(x)
    assert data.sort_bytes(x) == layout(x)
    t = DataType.DOUBLE if isinstance(x, float) else DataType.LONG
    assert key_encoder([t])(x) == layout(x)  # the generated key's inline form


@given(st.lists(st.one_of(st.integers(-(2**65), 2**65), st.floats()), max_size=12))
def test_number_sort_bytes_order_like_the_numbers(xs):
    got = sorted(xs, key=data.number_sort_bytes)
    assert [(math.isnan(x), x if not math.isnan(x) else 0) for x in got] == sorted(
        (math.isnan(x), x if not math.isnan(x) else 0) for x in xs
    )


# -- text of complex values -----------------------------------------------------------------


def write(v) -> str:
    """Pig's DUMP text, written independently of piglatin.model.data."""
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, tuple):
        return "(" + ",".join(write(x) for x in v) + ")"
    if isinstance(v, list):
        return "{" + ",".join(write(t) for t in v) + "}"
    if isinstance(v, dict):
        return "[" + ",".join(f"{k}#{write(x)}" for k, x in v.items()) + "]"
    if isinstance(v, float):
        return repr(v)  # the strategies draw only floats Java prints the same way
    return str(v)


keys = st.text(alphabet="abcé#", min_size=1, max_size=3)
atoms = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.integers(-1000, 1000).map(lambda n: n / 8 + 0.5),
    st.text(max_size=3),
    st.binary(max_size=3),
    st.sampled_from([b"\xff", b"ok", b"\xc3\xa9", b""]),
)
byte_maps = st.dictionaries(keys, st.one_of(st.none(), st.binary(max_size=4)), max_size=4)
values = st.recursive(
    st.one_of(atoms, byte_maps),
    lambda inner: st.one_of(
        st.tuples(inner),
        st.tuples(inner, inner),
        st.lists(
            st.one_of(st.tuples(byte_maps), st.tuples(inner), st.tuples(inner, inner)), max_size=4
        ),
        st.lists(st.tuples(byte_maps), max_size=4),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=10,
)


@settings(max_examples=400, deadline=None)
@given(values)
@example([({"a": b"x", "b": None},), ({"c": b"\xff"},)])  # a null and bad UTF-8: item by item
@example([({"a": b"x"},), ("s",)])  # a bag of maps, then a tuple of something else
@example({"k": "str", "n": 3})
def test_format_value_equals_an_independent_writer(v):
    assert data.format_value(v) == write(v)


# -- int/long/double fields converted inline by the generated map code -----------------------

numberish = st.one_of(
    st.integers(-(2**64), 2**64).map(str),
    st.floats(allow_nan=True).map(repr),
    st.text(alphabet="0123456789-+._ eE\t٣²xInfityNa", max_size=12),
    st.sampled_from(
        [
            "",
            " 12",
            "12 ",
            "1_0",
            "+5",
            "-5",
            "007",
            "٣",
            "²",
            "2147483648",
            "-2147483648",
            "9223372036854775807",
            "9223372036854775808",
            "1e3",
            "NaN",
            "Infinity",
            "-Infinity",
            "1.5f",
            "0x10",
            "12L",
            "1" * 30,
            "1." + "9" * 400,
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(numberish, numberish, numberish, numberish), min_size=1, max_size=5))
def test_generated_casts_equal_the_loader(rows):
    schema = [("a", "int"), ("b", "long"), ("c", "double"), ("d", "float")]
    lines = ["\t".join(r) for r in rows]
    exact = PigStorage("\t").with_schema(schema)
    want = [exact.parse_line(line.encode()) for line in lines]
    fast = PigStorage("\t").with_schema(schema)
    tf = fast.text_fields()
    assert tf.types == ("int", "long", "double", "float")

    def rest(i):
        return lambda row: [row]

    pipe = generate_map_pipeline("p", RecordSource(4, text=tf), [], [], rest(0), None, rest)
    assert "isdigit" in pipe.source and "float(_x)" in pipe.source  # inline, not a call
    got = pipe.function()(None, lines)
    assert [tuple(map(repr, r)) for r in got] == [tuple(map(repr, r)) for r in want]
    assert fast.warnings == exact.warnings


# -- the generated PigStorage line -----------------------------------------------------------

_TYPES = [
    DataType.CHARARRAY,
    DataType.INT,
    DataType.DOUBLE,
    DataType.MAP,
    DataType.BAG,
    DataType.TUPLE,
    DataType.BYTEARRAY,
]


_LINE = text_line_tail(_TYPES, "\t", lambda t: b"unused")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            values.filter(lambda v: not isinstance(v, bytes)),
            byte_maps,
            st.lists(st.tuples(byte_maps), max_size=3),
        ),
        min_size=7,
        max_size=7,
    )
)
def test_generated_line_equals_an_independent_writer(row):
    assert _LINE(tuple(row)) == [(None, "\t".join(write(v) for v in row))]
    # a raw bytes field: the whole row takes PigStorage's bytes formatter
    assert _LINE((*row[:6], b"\xff")) == [(None, b"unused")]


_DOUBLE_LINE = text_line_tail([DataType.DOUBLE, DataType.DOUBLE], ",", lambda t: b"unused")


@settings(max_examples=400, deadline=None)
@given(st.floats(), st.floats(-1e8, 1e8))
def test_doubles_print_as_java_does(x, y):
    assert data.format_double(x) == java_double(x)
    assert _DOUBLE_LINE((x, y)) == [(None, f"{java_double(x)},{java_double(y)}")]


_ORDER_TYPES = ["chararray", "int", "long", "double", "bytearray", "boolean"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_ORDER_TYPES), st.booleans()), min_size=1, max_size=4),
    st.data(),
)
def test_generated_order_encoder_gives_order_bytes(spec, draw):
    """ORDER BY's generated key gives data.order_bytes' bytes for values of the declared
    types or not (nulls, a UDF's other types), and for a key of another length."""
    types = [DataType(t) for t, _ in spec]
    desc = [d for _, d in spec]
    encode = order_encoder(types, desc)
    any_value = st.one_of(
        st.none(),
        st.text(max_size=3),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.booleans(),
        st.binary(max_size=3),
    )
    values = draw.draw(st.lists(any_value, min_size=len(types), max_size=len(types)))
    assert encode(values) == data.order_bytes(values, desc)
    assert encode(tuple(values)) == data.order_bytes(values, desc)
    assert encode(values[:-1]) == data.order_bytes(values[:-1], desc)
