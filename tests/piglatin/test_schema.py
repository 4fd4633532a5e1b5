"""Schemas: parsing schema text, Pig's DESCRIBE format, field lookup, merging."""

from __future__ import annotations

import pytest

from piglatin.front.parser import parse_schema
from piglatin.model.schema import (
    AmbiguousFieldError,
    DataType,
    FieldSchema,
    Schema,
    bag_field,
    describe_alias,
    merge_union,
    wider_numeric,
)

T = DataType


# DESCRIBE strings below are copied from the Pig documentation's examples
# (Testing and Diagnostics: DESCRIBE; Pig Latin Basics: schemas).
@pytest.mark.parametrize(
    ("schema_text", "expected"),
    [
        ("(name:chararray, age:int, gpa:float)", "{name: chararray,age: int,gpa: float}"),
        ("(T: tuple (f1:int, f2:int, f3:int))", "{T: (f1: int,f2: int,f3: int)}"),
        ("(T: (f1:int, f2:int, f3:int))", "{T: (f1: int,f2: int,f3: int)}"),
        ("(a, b)", "{a: bytearray,b: bytearray}"),
        ("(m: map[])", "{m: map[]}"),
    ],
)
def test_describe_format_from_docs(schema_text, expected):
    assert parse_schema(schema_text).describe() == expected


def test_describe_grouped_relation_from_docs():
    a = parse_schema("(name:chararray, age:int, gpa:float)")
    c = Schema((FieldSchema("group", T.CHARARRAY), bag_field("B", a)))
    assert (
        describe_alias("C", c) == "C: {group: chararray,B: {(name: chararray,age: int,gpa: float)}}"
    )


def test_describe_unknown_and_unnamed():
    assert describe_alias("a", None) == "Schema for a unknown."
    assert describe_alias("D", Schema((FieldSchema(None, T.LONG),))) == "D: {long}"
    c = Schema((FieldSchema("group", T.BYTEARRAY), bag_field("b", None)))
    assert describe_alias("c", c) == "c: {group: bytearray,b: {null}}"


def test_nested_bag_with_named_tuple():
    s = parse_schema("(b: bag{t:(x:chararray, y:int)}, m: map[int])")
    assert s.describe() == "{b: {t: (x: chararray,y: int)},m: map[int]}"
    assert s[0].tuple_schema == Schema((FieldSchema("x", T.CHARARRAY), FieldSchema("y", T.INT)))


def test_parse_keeps_undeclared_types_until_normalized():
    s = parse_schema("(a, b:int)")
    assert s[0].type is None
    assert s.normalized()[0].type is T.BYTEARRAY
    assert parse_schema("a:int, b:long") == Schema(
        (FieldSchema("a", T.INT), FieldSchema("b", T.LONG))
    )


def test_type_names_are_case_insensitive_in_schema_text():
    assert parse_schema("(a:INT, b:CharArray)") == Schema(
        (FieldSchema("a", T.INT), FieldSchema("b", T.CHARARRAY))
    )


def test_short_form_used_in_messages():
    s = parse_schema("(name:chararray, b:bag{(x:int)})")
    assert s.short() == "name:chararray,b:bag{tuple(x:int)}"


def test_lookup_full_and_short_names():
    s = parse_schema("(A::x:int, A::y:int, B::x:int, B::z:long)")
    assert s.index_of("A::x") == 0
    assert s.index_of("y") == 1
    assert s.index_of("z") == 3
    assert s.index_of("nope") is None
    with pytest.raises(AmbiguousFieldError) as info:
        s.index_of("x")
    assert info.value.matches == ["A::x", "B::x"]


def test_exact_name_beats_suffix():
    s = parse_schema("(x:int, A::x:int)")
    assert s.index_of("x") == 0


def test_prefixed():
    s = parse_schema("(a:int, b:chararray)").prefixed("A")
    assert s.names == ["A::a", "A::b"]


def test_numeric_promotion_order():
    assert wider_numeric(T.INT, T.LONG) is T.LONG
    assert wider_numeric(T.FLOAT, T.LONG) is T.FLOAT
    assert wider_numeric(T.DOUBLE, T.INT) is T.DOUBLE
    assert wider_numeric(T.INT, T.INT) is T.INT


def test_union_merge():
    a = parse_schema("(x:int, y:chararray)")
    b = parse_schema("(x:long, y:chararray)")
    assert merge_union([a, b]) == Schema((FieldSchema("x", T.LONG), FieldSchema("y", T.CHARARRAY)))
    assert merge_union([a, parse_schema("(x:int)")]) is None
    assert merge_union([a, None]) is None
    mixed = merge_union([a, parse_schema("(x:chararray, y:chararray)")])
    assert mixed[0].type is T.BYTEARRAY
