"""The compiled parser of Pig's complex-type text gives what the reference parser gives.

`piglatin.model.textcomplex.compile_parser` (a few str.split/regex calls per value) against
`parse_reference` (character by character, the behaviour the conformance cases check):
same value, same warnings, same exception, for generated nested maps/tuples/bags rendered
by an independent renderer, for truncated and mutated text, and for garbage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from piglatin.front.parser import parse_schema
from piglatin.model import data, textcomplex
from piglatin.model.textcomplex import compile_parser, parse_reference

# ------------------------------------------------------------------ values and text


@dataclass(frozen=True)
class Tup:
    fields: tuple


@dataclass(frozen=True)
class Bag:
    tuples: tuple


@dataclass(frozen=True)
class Map:
    items: tuple  # (key, value) pairs


def render(v: Any) -> str:
    """Pig's text form (PigStorage), written independently of piglatin.model.data.format_value."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, Tup):
        return "(" + ",".join(render(f) for f in v.fields) + ")"
    if isinstance(v, Bag):
        return "{" + ",".join(render(t) for t in v.tuples) + "}"
    return "[" + ",".join(f"{k}#{render(x)}" for k, x in v.items) + "]"


PLAIN = "abz019 .-+eE"
DELIMS = ",#()[]{}"
text_chars = st.sampled_from(PLAIN + DELIMS + "\t\u00e9\u4e2d\U0001f600") | st.characters(
    blacklist_categories=("Cs",)
)
plain_atoms = st.text(st.sampled_from(PLAIN), max_size=6)
atoms = (
    st.none()
    | plain_atoms
    | st.text(text_chars, max_size=5)
    | st.sampled_from(
        ["1", "-7", "2.5", "1e3", "3000000000", "true", "False", "2011-03-04T05:06:07Z", " 1", "x"]
    )
)
keys = plain_atoms | st.text(text_chars, max_size=3)


def _values(kids: st.SearchStrategy) -> st.SearchStrategy:
    tuples = st.lists(kids, max_size=3).map(lambda xs: Tup(tuple(xs)))
    return st.one_of(
        tuples,
        st.lists(tuples, max_size=3).map(lambda ts: Bag(tuple(ts))),
        st.lists(st.tuples(keys, kids), max_size=4).map(lambda kv: Map(tuple(kv))),
    )


values = st.recursive(atoms, _values, max_leaves=12)
complex_values = _values(values)

SCALARS = ["int", "long", "float", "double", "chararray", "bytearray", "boolean", "datetime"]


def _specs(kids: st.SearchStrategy) -> st.SearchStrategy:
    fields = st.lists(kids, min_size=1, max_size=3)
    return st.one_of(
        st.just(("m", "map", None)),
        kids.map(lambda s: ("m", "map", [s])),
        fields.map(lambda fs: ("t", "tuple", fs)),
        st.just(("t", "tuple", None)),
        fields.map(lambda fs: ("b", "bag", [("t", "tuple", fs)])),
        fields.map(lambda fs: ("b", "bag", fs)),  # the tuple's fields given directly
        st.just(("b", "bag", None)),
    )


scalar_specs = st.sampled_from(SCALARS)
specs = st.recursive(scalar_specs, _specs, max_leaves=6)
complex_specs = _specs(specs)

# Pig Latin Basics, "Schemas for Complex Data Types", and PigMix's page_views.
NAMED = {
    "map[]": ("map", None),
    "map[int]": ("map", ["int"]),
    "map[chararray]": ("map", ["chararray"]),
    "tuple(a:int,b:chararray)": ("tuple", [("a", "int"), ("b", "chararray")]),
    "tuple()": ("tuple", None),
    "bag{}": ("bag", None),
    "bag{t:(m:map[])}": ("bag", [("t", "tuple", [("m", "map", None)])]),
    "bag{t:(x:int,y:double)}": ("bag", [("t", "tuple", [("x", "int"), ("y", "double")])]),
    "tuple(m:map[],b:bag{t:(a:int)})": (
        "tuple",
        [("m", "map", None), ("b", "bag", [("t", "tuple", [("a", "int")])])],
    ),
    "map[bag{t:(a:int)}]": ("map", [("v", "bag", [("t", "tuple", [("a", "int")])])]),
    "map[map[long]]": ("map", [("v", "map", ["long"])]),
}


def outcome(parse: Any, text: str) -> str:
    warns: list[str] = []
    try:
        value = parse(text, warns.append)
    except (ValueError, IndexError) as e:
        return repr(("error", type(e).__name__, warns))
    return repr(("ok", value, warns))  # repr: NaN equals NaN, dict order counts


def assert_same(text: str, type_name: str, inner: Any) -> None:
    fast = compile_parser(type_name, inner, data.CASTS)
    ref = lambda t, w: parse_reference(t, type_name, inner, data.CASTS, w)  # noqa: E731
    assert outcome(fast, text) == outcome(ref, text), (text, type_name, inner)


def old_cast(value: Any, type_name: str, warn: Any, inner: Any) -> Any:
    """data.cast of a text value as it was before the compiled parser."""
    text = value.decode("utf-8", "replace") if type(value) is bytes else value
    try:
        return parse_reference(text, type_name, inner, data.CASTS, warn)
    except (ValueError, IndexError):
        warn(data.CONVERSION_FAILED)
        return None


def _texts(v: Any) -> st.SearchStrategy:
    """The rendering of v as is, cut short, with a character dropped or added, with a
    space or tab next to a bracket, padded, or with more text running on after it."""
    s = render(v)
    n = len(s)
    edges = [i + (c in ")]}") for i, c in enumerate(s) if c in "([{)]}"]
    near_bracket = st.sampled_from(edges or [0])
    return st.one_of(
        st.just(s),
        st.integers(0, n).map(lambda i: s[:i]),
        st.integers(0, max(n - 1, 0)).map(lambda i: s[:i] + s[i + 1 :]),
        st.tuples(st.integers(0, n), st.sampled_from(DELIMS + " \tx")).map(
            lambda p: s[: p[0]] + p[1] + s[p[0] :]
        ),
        st.tuples(near_bracket, st.sampled_from([" ", "\t", "x"])).map(
            lambda p: s[: p[0]] + p[1] + s[p[0] :]
        ),
        st.sampled_from([" ", "  \t", "\n", "x"]).map(lambda pad: s + pad),
        st.tuples(st.sampled_from([",", "", " ", "#"]), st.deferred(lambda: complex_values)).map(
            lambda p: s + p[0] + render(p[1])
        ),
    )


def value_for(spec: Any) -> st.SearchStrategy:
    """Values shaped as `spec` declares (atoms may still fail their cast)."""
    tn, inner = data.field_spec(spec) if spec is not None else ("bytearray", None)
    if tn == "map":
        vals = value_for(inner[0]) if inner else values
        return st.lists(st.tuples(keys, vals), max_size=4).map(lambda kv: Map(tuple(kv)))
    if tn == "tuple":
        if not inner:
            return st.lists(values, max_size=3).map(lambda xs: Tup(tuple(xs)))
        fields = st.tuples(*[value_for(s) for s in inner])
        extra = st.lists(values, max_size=1)
        return st.tuples(fields, extra, st.integers(0, len(inner))).map(
            lambda p: Tup((p[0] + tuple(p[1]))[: max(p[2], len(p[0]) if p[1] else p[2])])
        )
    if tn == "bag":
        _, inn = textcomplex.bag_element(inner)
        elems = value_for(("t", "tuple", inn))
        return st.lists(elems, max_size=3).map(lambda ts: Bag(tuple(ts)))
    return atoms


def shaped(spec: Any) -> st.SearchStrategy:
    return value_for(spec).flatmap(_texts)


texts = complex_values.flatmap(_texts)
garbage = st.text(st.sampled_from(DELIMS + "ab1 "), max_size=24)
relaxed = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
deep = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------ properties


generated_cases = complex_specs.flatmap(lambda s: st.tuples(st.just(s), shaped(s) | texts))


@cache
def named_texts(name: str) -> st.SearchStrategy:
    return shaped(("x", *NAMED[name])) | texts | garbage


named_cases = st.sampled_from(sorted(NAMED)).flatmap(
    lambda n: st.tuples(st.just(n), named_texts(n))
)


def check_generated(case: tuple) -> None:
    spec, text = case
    assert_same(text, spec[1], spec[2])


def check_named(case: tuple) -> None:
    name, text = case
    assert_same(text, *NAMED[name])


# corners where the reference's rules are easy to get wrong
CORNERS = [
    (("t", "tuple", [("u", "tuple", ["int"]), "int"]), "((1) ,2)"),  # a space after (1)
    (("t", "tuple", None), "(a),(b)"),  # two tuples are not one
    (("m", "map", [("v", "map", None)]), "[a#\t[b#c]]"),  # only spaces may lead a value
    (("m", "map", None), "[a,b#1]"),  # a key runs to the next '#'
    (("m", "map", None), "[(a#b)#c]"),
    (("b", "bag", None), "{(1),}"),
    (("b", "bag", None), "{(1)(2)}"),
]


def with_corners(test: Any) -> Any:
    for case in CORNERS:
        test = example(case)(test)
    return test


test_compiled_parser_equals_reference_on_generated_specs = with_corners(
    relaxed(given(generated_cases)(check_generated))
)
test_compiled_parser_equals_reference_on_named_specs = relaxed(given(named_cases)(check_named))


@relaxed
@given(garbage, complex_specs)
def test_compiled_parser_equals_reference_on_garbage(text, spec):
    assert_same(text, spec[1], spec[2])


# the same properties with ten times the examples: python -m pytest -m slow this file
test_generated_specs_deep = pytest.mark.slow(deep(given(generated_cases)(check_generated)))
test_named_specs_deep = pytest.mark.slow(deep(given(named_cases)(check_named)))


@relaxed
@given(st.lists(st.tuples(plain_atoms, plain_atoms), max_size=6), st.booleans())
@example([("a", "1"), ("a", "2")], False)  # a repeated key keeps its first place, last value
def test_flat_maps_and_bags_of_maps(items, as_bytes):
    page_info = render(Map(tuple(items)))
    page_links = render(Bag(tuple(Tup((Map(tuple(items[i:])),)) for i in range(3))))
    for text, name in (
        (page_info, "map[]"),
        (page_info, "map[int]"),
        (page_links, "bag{t:(m:map[])}"),
    ):
        assert_same(text, *NAMED[name])
        type_name, inner = NAMED[name]
        raw = text.encode() if as_bytes else text
        warns_new: list[str] = []
        warns_old: list[str] = []
        new = data.complex_caster(type_name, inner, warns_new.append)(raw)
        assert new == old_cast(raw, type_name, warns_old.append, inner)
        assert warns_new == warns_old
        assert data.cast(raw, type_name, None, inner) == new


def test_schema_objects_as_inner_schemas():
    fields = parse_schema("m:map[], links:bag{t:(l:map[])}, t:tuple(a:int, b:chararray)").fields
    text = {
        "m": "[a#1,b#(x,y)]",
        "links": "{([u#1,v#2]),([w#3])}",
        "t": "(7,seven)",
    }
    for f in fields:
        tn, inner = data.field_spec(f)
        assert_same(text[f.name], tn, inner)
    assert data.cast(text["links"], "bag", None, data.field_spec(fields[1])[1]) == [
        ({"u": b"1", "v": b"2"},),
        ({"w": b"3"},),
    ]


# ------------------------------------------------------------------ documented examples


@pytest.mark.parametrize(
    "text, type_name, inner, expected",
    [
        # Pig Latin Basics, Data Types: "Map: [open#apache]"; Map Schemas: M:map[]
        ("[open#apache]", "map", None, {"open": b"apache"}),
        ("[apache#hadoop]", "map", None, {"apache": b"hadoop"}),
        # Map Schemas, typed values: map[int]
        ("[a#1,b#2]", "map", ["int"], {"a": 1, "b": 2}),
        # Tuple Schemas: t1:tuple(t1a:int, t1b:int, t1c:int)
        ("(3,8,9)", "tuple", [("t1a", "int"), ("t1b", "int"), ("t1c", "int")], (3, 8, 9)),
        # Bag Schemas: B:bag{T:tuple(t1:int, t2:int, t3:int)}
        (
            "{(4,5,6),(7,8,9)}",
            "bag",
            [("T", "tuple", [("t1", "int"), ("t2", "int"), ("t3", "int")])],
            [(4, 5, 6), (7, 8, 9)],
        ),
        # Data Types, Tuple: "(John,18,4.0F)"; Bag: "{(1,2,3),(4,2,1)}" (untyped: bytearray)
        ("(John,18,4.0F)", "tuple", None, (b"John", b"18", b"4.0F")),
        ("{(1,2,3),(4,2,1)}", "bag", None, [(b"1", b"2", b"3"), (b"4", b"2", b"1")]),
        # a map value may be any type, a tuple or bag included (kept as bytearray untyped)
        ("[a#(1,2),b#{(3)},c#]", "map", None, {"a": b"(1,2)", "b": b"{(3)}", "c": None}),
        # PigMix page_views.page_links: bag{t:(links:map[])}
        (
            "{([a#b,c#d]),([e#f])}",
            "bag",
            [("t", "tuple", [("l", "map", None)])],
            [({"a": b"b", "c": b"d"},), ({"e": b"f"},)],
        ),
        # nulls: an empty field, an empty map value; empty containers
        ("(,x)", "tuple", None, (None, b"x")),
        ("[]", "map", None, {}),
        ("{}", "bag", None, []),
        ("()", "tuple", None, ()),
    ],
)
def test_documented_text_forms(text, type_name, inner, expected):
    for parse in (
        compile_parser(type_name, inner, data.CASTS),
        lambda t, w: parse_reference(t, type_name, inner, data.CASTS, w),
    ):
        warns: list[str] = []
        assert parse(text, warns.append) == expected
        assert warns == []


@pytest.mark.parametrize(
    "raw, type_name, inner, warns",
    [
        ("(1,2", "tuple", None, [data.CONVERSION_FAILED]),
        ("[a#1", "map", None, [data.CONVERSION_FAILED]),
        ("{(1),(2)", "bag", None, [data.CONVERSION_FAILED]),
        ("[a#x,b#2]", "map", ["int"], [data.CONVERSION_FAILED]),  # the value, not the map
        ("(abc,1", "tuple", ["int"], [data.CONVERSION_FAILED, data.CONVERSION_FAILED]),
        ("[a#3000000000]", "map", ["int"], [data.TOO_LARGE]),
        # Pig's consumeTuple converts each field it reads ('a' as int warns), then finds the
        # tuple short of its schema: the bag is null with a warning of its own
        (
            "{(a)}",
            "bag",
            [("t", "tuple", [("x", "int"), ("y", "double")])],
            [data.CONVERSION_FAILED] * 2,
        ),
        (
            "{(())}",
            "bag",
            [("t", "tuple", [("x", "int"), ("y", "double")])],
            [data.CONVERSION_FAILED] * 2,
        ),
    ],
)
def test_malformed_text_is_null_with_one_warning_per_failure(raw, type_name, inner, warns):
    got: list[str] = []
    value = data.complex_caster(type_name, inner, got.append)(raw.encode())
    expected: list[str] = []
    assert value == old_cast(raw, type_name, expected.append, inner)
    assert got == expected == warns


def test_common_shapes_never_reach_the_reference(monkeypatch):
    def boom(*args: Any) -> None:
        raise AssertionError("fell back to the character parser")

    monkeypatch.setattr(textcomplex, "parse_reference", boom)
    cases = [
        ("[a#b,c#d,e#f]", "map[]"),
        ("[a#1,b#]", "map[int]"),
        ("{([a#b,c#d]),([e#f]),([])}", "bag{t:(m:map[])}"),
        ("{(1,2.5),(3,)}", "bag{t:(x:int,y:double)}"),
        ("(1,x)", "tuple(a:int,b:chararray)"),
        ("([a#b],{(1),(2)})", "tuple(m:map[],b:bag{t:(a:int)})"),
        ("[k#{(1),(2)}]", "map[bag{t:(a:int)}]"),
        ("[a#(1,2),b#{(3)}]", "map[]"),
    ]
    for text, name in cases:
        type_name, inner = NAMED[name]
        compile_parser(type_name, inner, data.CASTS)(text, None)


# ------------------------------------------------------------------ benchmark

PAGE_INFO = "[a#b,c#dd,e#123,f#http://x.y/z,gg#hhh]"
PAGE_LINKS = "{([a#b,c#d,e#f]),([g#h,i#j]),([k#l,m#n,o#p,q#r])}"


@pytest.mark.bench
def test_bench_page_views_complex_fields():
    """python -m pytest -m bench -s tests/piglatin/test_complex_parse.py"""
    rows = []
    for text, name in ((PAGE_INFO, "map[]"), (PAGE_LINKS, "bag{t:(m:map[])}")):
        type_name, inner = NAMED[name]
        raw = text.encode()
        new = data.complex_caster(type_name, inner, None)
        old = partial(old_cast, type_name=type_name, warn=None, inner=inner)
        assert new(raw) == old(raw)
        rate = {}
        for label, fn in (("old", old), ("new", new)):
            n = 20000
            best = float("inf")
            for _ in range(3):
                t0 = time.process_time()
                for _ in range(n):
                    fn(raw)
                best = min(best, time.process_time() - t0)
            rate[label] = n / best
        rows.append((name, rate["old"], rate["new"]))
    for name, old_rate, new_rate in rows:
        print(
            f"\n{name:20} old {old_rate:10,.0f}/s  new {new_rate:10,.0f}/s  "
            f"x{new_rate / old_rate:.1f}"
        )
    assert all(new > 2.5 * old for _, old, new in rows)


# ------------------------------------------------------------------ Pig's own rules
# Utf8StorageConverter (Pig 0.17, builtin/Utf8StorageConverter.java): consumeMap throws
# "Map key can not be null" on an empty key, so the whole field is discarded with a
# warning; consumeTuple reads past anything before a bag's next '(' and consumeBag past
# anything after a tuple up to the next ',' or '}', so `{(1,2), (3,4)}` is two tuples.


@pytest.mark.parametrize(
    "text, type_name, inner, expected, warns",
    [
        ("[#1]", "map", None, None, [data.CONVERSION_FAILED]),
        ("[a#1,#2]", "map", ["int"], None, [data.CONVERSION_FAILED]),
        ("{(1,2), (3,4)}", "bag", None, [(b"1", b"2"), (b"3", b"4")], []),
        ("{ (1) }", "bag", [("t", "tuple", ["int"])], [(1,)], []),
        ("{(1)(2)}", "bag", None, [(b"1",)], []),  # past ')' up to ',' or '}'
        (
            "{([a#b]) ,([c#d])}",
            "bag",
            NAMED["bag{t:(m:map[])}"][1],
            [({"a": b"b"},), ({"c": b"d"},)],
            [],
        ),
    ],
)
def test_pig_rules_for_keys_and_bag_elements(text, type_name, inner, expected, warns):
    got: list[str] = []
    assert data.complex_caster(type_name, inner, got.append)(text.encode()) == expected
    assert got == warns
    assert_same(text, type_name, inner)
