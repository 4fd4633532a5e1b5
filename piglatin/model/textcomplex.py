"""Pig's text form of complex values: maps `[k#v,k2#v2]`, tuples `(a,b)`, bags `{(a),(b)}`.

Owns: turning that text (what PigStorage reads for a field declared tuple/bag/map, the
way Utf8StorageConverter's bytesToMap/bytesToTuple/bytesToBag do) into Python values,
and walking the inner schemas that say how nested fields are typed (`field_spec`,
`bag_element`). Must not touch: scalar cast rules (the caller passes them in as
`scalars`, type name -> `fn(text, warn)`), schemas as objects, plans, execution; this
module imports nothing from piglatin.

Two parsers with one behaviour:

* `parse_reference` walks the text character by character. It is the specification:
  the behaviour the conformance cases check, kept simple to read.
* `compile_parser(type_name, inner, scalars)` builds, once per (type, inner schema), a
  parser that does a few C-level calls per value (a regex `fullmatch` to recognise a
  flat shape, `str.split`/`partition`) and falls back to the reference for anything
  else (nested or odd text), so both give the same value and the same warnings for
  every input (tests/piglatin/test_complex_parse.py checks this with hypothesis).

The rules (both parsers): a field's text ends at the first `,` (or the container's
closer) outside any brackets, counting `( [ {` up and `) ] }` down whatever their kind;
an empty field is null; a map key is everything up to the next `#` and must not be empty
(Pig: "Map key can not be null"); a field declared complex may have leading spaces and
must then be exactly that complex value; in a bag, anything before a tuple's `(` and
anything after its `)` up to the next `,` or `}` is skipped (consumeTuple/consumeBag);
fields past the inner schema are bytearray; a tuple with fewer fields than its inner
schema is malformed (consumeTuple reads on for the ',' it expects and finds the end, so
bytesToTuple gives null); malformed text raises ValueError or
IndexError (the caller turns that into null and FIELD_DISCARDED_TYPE_CONVERSION_FAILED).
Pig has no escapes in this text form: a delimiter inside a value cannot be written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dfs.lazyre import LazyRegex

Warn = Callable[[str], None] | None
Scalars = Mapping[str, Callable[[Any, Warn], Any]]
Parser = Callable[[str, Warn], Any]
COMPLEX = ("tuple", "bag", "map")


def field_spec(f: Any) -> tuple[str, Sequence[Any] | None]:
    """Normalise a schema field to (type, inner): accepts "int", ("name", "int"),
    ("name", "bag", [inner...]) or any object with `.type` and optional
    `.inner`/`.schema`/`.fields`."""
    if isinstance(f, str):
        return f, None
    if isinstance(f, (tuple, list)):
        return (f[1], None) if len(f) == 2 else (f[1], f[2])
    inner = getattr(f, "inner", None) or getattr(f, "schema", None) or getattr(f, "fields", None)
    if inner is not None and not isinstance(inner, (list, tuple)):
        inner = getattr(inner, "fields", inner)
    type_name = getattr(f.type, "value", f.type) or "bytearray"
    return type_name, inner or None


def bag_element(inner: Sequence[Any] | None) -> tuple[str, Sequence[Any] | None]:
    """The (type, inner) of a bag's tuples: its single tuple field, or the fields as given."""
    if inner and len(inner) == 1:
        tn, inn = field_spec(inner[0])
        if tn == "tuple":
            return tn, inn
    return "tuple", inner


# ------------------------------------------------------------ the reference parser

_OPEN = {"(": ")", "{": "}", "[": "]"}


def parse_reference(text: str, type_name: str, inner: Any, scalars: Scalars, warn: Warn) -> Any:
    """The value of `text` (the whole field) as a tuple/bag/map; ValueError/IndexError
    when it is malformed. Inner fields that fail their cast warn through `warn`."""
    parsed, end = _parse_complex(text, 0, type_name, inner, scalars, warn)
    if text[end:].strip():
        raise ValueError("trailing characters")
    return parsed


def _scan_field(text: str, pos: int, stops: str) -> int:
    """Index of the first stop character at nesting depth 0, from pos."""
    depth = 0
    n = len(text)
    while pos < n:
        c = text[pos]
        if c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0:
                return pos
            depth -= 1
        elif depth == 0 and c in stops:
            return pos
        pos += 1
    raise ValueError("unterminated value")


def _parse_field(
    text: str, pos: int, stops: str, spec: Any, scalars: Scalars, warn: Warn
) -> tuple[Any, int]:
    tn, inn = field_spec(spec) if spec is not None else ("bytearray", None)
    if tn in COMPLEX:
        while text[pos] == " ":
            pos += 1
        if text[pos] in stops:
            return None, pos
        return _parse_complex(text, pos, tn, inn, scalars, warn)
    end = _scan_field(text, pos, stops)
    raw = text[pos:end]
    if not raw:
        return None, end
    return (raw.encode("utf-8") if tn == "bytearray" else scalars[tn](raw, warn)), end


def _parse_complex(
    text: str, pos: int, type_name: str, inner: Any, scalars: Scalars, warn: Warn
) -> tuple[Any, int]:
    opener = {"tuple": "(", "bag": "{", "map": "["}[type_name]
    if text[pos] != opener:
        raise ValueError(f"expected {opener}")
    pos += 1
    closer = _OPEN[opener]
    if type_name == "map":
        return _parse_map(text, pos, inner, scalars, warn)
    if type_name == "bag":
        _, inn = bag_element(inner)
        bag: list[tuple] = []
        while True:
            pos = _skip_to(text, pos, "(}")  # Pig's consumeTuple reads up to a '('
            if text[pos] == closer:
                return bag, pos + 1
            t, pos = _parse_complex(text, pos, "tuple", inn, scalars, warn)
            bag.append(t)
            pos = _skip_to(text, pos, ",}")  # and consumeBag on to the next ',' or '}'
            if text[pos] == closer:
                return bag, pos + 1
            pos += 1
    specs = list(inner) if inner else None
    if text[pos] == closer and not specs:
        return (), pos + 1
    fields = []
    i = 0
    while True:
        spec = specs[i] if specs and i < len(specs) else None
        value, pos = _parse_field(text, pos, ",)", spec, scalars, warn)
        fields.append(value)
        i += 1
        if text[pos] == ")":
            if specs and i < len(specs):  # consumeTuple reads on for the ',' it expects
                raise ValueError("unexpected end of tuple")
            return tuple(fields), pos + 1
        pos += 1


def _skip_to(text: str, pos: int, stops: str) -> int:
    """Index of the next stop character from pos, whatever comes before it."""
    while text[pos] not in stops:
        pos += 1
    return pos


def _parse_map(text: str, pos: int, inner: Any, scalars: Scalars, warn: Warn) -> tuple[dict, int]:
    spec = inner[0] if inner else None
    result: dict[str, Any] = {}
    if text[pos] == "]":
        return result, pos + 1
    while True:
        hash_at = text.index("#", pos)
        if hash_at == pos:
            raise ValueError("map key can not be empty")  # Pig: "Map key can not be null"
        key = text[pos:hash_at]
        value, pos = _parse_field(text, hash_at + 1, ",]", spec, scalars, warn)
        result[key] = value
        if text[pos] == "]":
            return result, pos + 1
        pos += 1


# ------------------------------------------------------------- the compiled parser


class _Fallback(Exception):
    """The text is not a shape the compiled parser recognises: the reference decides."""


_F = r"[^\[\](){}]"  # a character that opens or closes nothing
_FLAT_MAP = LazyRegex(rf"\[({_F}*)\]")
_FLAT_TUPLE = LazyRegex(rf"\(({_F}*)\)")
_FLAT_BAG = LazyRegex(rf"\{{(?:\(({_F}*(?:\),\({_F}*)*)\))?\}}")  # {(a,b),(c)}
_MAP_BAG = LazyRegex(rf"\{{(?:\(\[({_F}*(?:\]\),\(\[{_F}*)*)\]\))?\}}")  # {([a#b]),([c#d])}
_BRACKET = LazyRegex(r"[\[\](){}]")
_STRUCT = LazyRegex(r"[\[\](){},]")


def compile_parser(type_name: str, inner: Any, scalars: Scalars) -> Parser:
    """`parse(text, warn)` for values of `type_name` with inner schema `inner`: the value
    `parse_reference` gives, with the same warnings, raising what it raises."""
    try:
        exact = _exact(type_name, inner, scalars)
    except KeyError:  # an inner type `scalars` does not know: the reference raises it
        exact = None

    if exact is not None and not _may_warn(type_name, inner):

        def quiet(text: str, warn: Warn) -> Any:
            try:
                return exact(text.rstrip(), None)
            except _Fallback:
                return parse_reference(text, type_name, inner, scalars, warn)

        return quiet

    def parse(text: str, warn: Warn) -> Any:
        # warnings wait in `seen` until the text is known to be a shape `exact` reads
        if exact is not None:
            seen: list[str] = []
            try:
                value = exact(text.rstrip(), seen.append)
            except _Fallback:
                pass
            except (ValueError, IndexError):  # malformed: the fields read before it warned
                if seen and warn is not None:
                    for code in seen:
                        warn(code)
                raise
            else:
                if seen and warn is not None:
                    for code in seen:
                        warn(code)
                return value
        return parse_reference(text, type_name, inner, scalars, warn)

    return parse


def _may_warn(type_name: str, inner: Any) -> bool:
    """Whether some field inside a value of this type has a cast that can fail."""
    if type_name == "map":
        specs = [inner[0]] if inner else []
    elif type_name == "bag":
        specs = [("t", "tuple", bag_element(inner)[1])]
    elif type_name == "tuple":
        specs = list(inner) if inner else []
    else:
        return type_name not in ("bytearray", "chararray")
    return any(_may_warn(*field_spec(s)) for s in specs)


def _split_top(body: str) -> list[str]:
    """`body` cut at the commas outside brackets; _Fallback unless brackets balance."""
    parts = []
    depth = start = 0
    for m in _STRUCT.finditer(body):
        c = m.group()
        if c == ",":
            if not depth:
                parts.append(body[start : m.start()])
                start = m.end()
        elif c in "([{":
            depth += 1
        elif depth:
            depth -= 1
        else:
            raise _Fallback
    if depth:
        raise _Fallback
    parts.append(body[start:])
    return parts


def _exact(type_name: str, inner: Any, scalars: Scalars) -> Parser:
    """A parser of exactly one value's text (no spaces around it)."""
    if type_name == "map":
        return _exact_map(inner, scalars)
    if type_name == "bag":
        return _exact_bag(inner, scalars)
    return _exact_tuple(inner, scalars)[0]


def _field(spec: Any, scalars: Scalars) -> Parser:
    """A parser of one field's text as cut by the commas, for a field of `spec`."""
    tn, inn = field_spec(spec) if spec is not None else ("bytearray", None)
    if tn in COMPLEX:
        exact = _exact(tn, inn, scalars)

        def complex_field(piece: str, w: Warn) -> Any:
            p = piece.lstrip(" ")
            return exact(p, w) if p else None

        return complex_field
    if tn == "bytearray":
        return _bytes
    if tn == "chararray":
        return _chars
    fn = scalars[tn]
    return lambda piece, w: fn(piece, w) if piece else None


def _bytes(piece: str, w: Warn) -> bytes | None:
    return piece.encode() if piece else None


def _chars(piece: str, w: Warn) -> str | None:
    return piece or None


def _exact_map(inner: Any, scalars: Scalars) -> Parser:
    value = _field(inner[0] if inner else None, scalars)
    flat_items = _map_items(value)
    flat_match = _FLAT_MAP.fullmatch

    def exact(seg: str, w: Warn) -> dict:
        f = flat_match(seg)
        if f is not None:
            body = f.group(1)
            return flat_items(body, w) if body else {}
        if seg[:1] != "[" or seg[-1:] != "]":
            raise _Fallback
        m = {}
        for item in _split_top(seg[1:-1]):
            k, sep, v = item.partition("#")
            if not (sep and k) or _BRACKET.search(k):
                raise _Fallback  # an empty key, or one running to a '#' further on
            m[k] = value(v, w)
        return m

    return exact


def _map_items(value: Parser) -> Callable[[str, Warn], dict]:
    """The map of a non-empty body with no brackets: `k#v` items cut at every comma."""
    if value is _bytes:

        def untyped(body: str, w: Warn) -> dict:
            m = {}
            for item in body.split(","):
                k, sep, v = item.partition("#")
                if not (sep and k):
                    raise _Fallback  # an empty key, or one running to a '#' further on
                m[k] = v.encode() if v else None
            return m

        return untyped

    def typed(body: str, w: Warn) -> dict:
        m = {}
        for item in body.split(","):
            k, sep, v = item.partition("#")
            if not (sep and k):
                raise _Fallback
            m[k] = value(v, w)
        return m

    return typed


def _exact_tuple(inner: Any, scalars: Scalars) -> tuple[Parser, Parser]:
    """(parser of a tuple's text, parser of the text between its parentheses)."""
    specs = list(inner) if inner else []
    fields = [_field(s, scalars) for s in specs]
    n = len(fields)
    flat_match = _FLAT_TUPLE.fullmatch

    def build(pieces: list[str], w: Warn) -> tuple:
        if not n:
            return tuple([p.encode() if p else None for p in pieces])
        out = [f(p, w) for f, p in zip(fields, pieces)]  # each field read is converted first
        if len(pieces) < n:  # Pig's consumeTuple: "Unexpect end of tuple"
            raise ValueError("unexpected end of tuple")
        if len(pieces) > n:
            out += [p.encode() if p else None for p in pieces[n:]]
        return tuple(out)

    def body(b: str, w: Warn) -> tuple:
        if _BRACKET.search(b) is None:
            return build(b.split(","), w) if b or n else ()
        return build(_split_top(b), w)

    def exact(seg: str, w: Warn) -> tuple:
        f = flat_match(seg)
        if f is not None:
            b = f.group(1)
            return build(b.split(","), w) if b or n else ()
        if seg[:1] != "(" or seg[-1:] != ")":
            raise _Fallback
        return build(_split_top(seg[1:-1]), w)

    return exact, body


def _exact_bag(inner: Any, scalars: Scalars) -> Parser:
    _, inn = bag_element(inner)
    tuple_exact, tuple_body = _exact_tuple(inn, scalars)
    flat_match = _FLAT_BAG.fullmatch
    map_match = None
    if inn and len(inn) == 1 and field_spec(inn[0])[0] == "map":
        map_inner = field_spec(inn[0])[1]
        map_items = _map_items(_field(map_inner[0] if map_inner else None, scalars))
        map_match = _MAP_BAG.fullmatch

    def exact(seg: str, w: Warn) -> list:
        if map_match is not None and (f := map_match(seg)) is not None:
            b = f.group(1)
            if b is None:
                return []
            return [(map_items(m, w) if m else {},) for m in b.split("]),([")]
        f = flat_match(seg)
        if f is not None:
            b = f.group(1)
            return [] if b is None else [tuple_body(t, w) for t in b.split("),(")]
        if seg[:1] != "{" or seg[-1:] != "}":
            raise _Fallback
        return [tuple_exact(t, w) for t in _split_top(seg[1:-1])]

    return exact


# ------------------------------------------------------- text written back as it is read


def carried_text_test(type_name: str, inner: Any) -> Callable[[str], Any] | None:
    """A test of a non-empty field's text for a value of `type_name` (inner schema `inner`):
    true (a regex match) only when reading the text warns nothing and Pig's text form of
    the value read (`data.format_value`: `[k#v,...]`, `{([k#v]),...}`) is the text itself,
    so a job that only carries the field may write its text unparsed. False (None) means
    "parse it" (the text may be fine, but is not a shape the test is sure of). None: no
    test for this type.

    Tested shapes: an untyped map (`map[]`: values bytearray) and a bag of tuples of one
    untyped map, flat (no bracket inside a value), with no empty key and no key twice
    (the value keeps only the last), nothing outside the brackets (spaces are stripped).
    A '#' inside a value is kept as is by the parser (the key ends at the first '#')."""
    if type_name == "map" and _untyped_map(inner):
        return _flat_map_text
    if type_name == "bag":
        _, element = bag_element(inner)
        if element and len(element) == 1:
            tn, inn = field_spec(element[0])
            if tn == "map" and _untyped_map(inn):
                return _map_bag_text
    return None


def _untyped_map(inner: Any) -> bool:
    return not inner or field_spec(inner[0])[0] == "bytearray"


def carried_text_pattern(test: Callable[[str], Any], delimiter: str, tag: str) -> str | None:
    """A regex (source) matching exactly the non-empty texts `test` (one that
    `carried_text_test` gives) accepts, none of which contains `delimiter`, for one
    `fullmatch` over a whole line in C; `tag`: a prefix for its group names, unique in the
    whole pattern. None: no pattern for this test, or a delimiter that is part of the
    text form (a bracket, ',' or '#')."""
    if len(delimiter) != 1 or delimiter in "[](){},#":
        return None
    if test is _flat_map_text:
        return _map_pattern(delimiter, tag)
    if test is _map_bag_text:
        return _bag_pattern(delimiter, tag)
    return None


def _map_pattern(delimiter: str, tag: str) -> str:
    """An untyped map's carried texts: `[]` or `[k#v,...]`, keys non-empty and distinct,
    nothing that opens or closes a bracket (or is `delimiter`) inside. Two alternatives
    that accept the same items and differ in how they prove the keys distinct:

    * `_sorted_items`: each key starts with an ASCII letter or digit that is greater than
      the first character of the key before it, so no two keys share even their first
      character (the order of keys written sorted, as in PigMix's data; one alternative
      per first character, no backreference, no lookahead over the rest of the map);
      keys and values of printable ASCII only (positive classes, see `_item_classes`);
    * `_distinct_items` (any other key order, or other characters): every key is compared
      with every later one.

    Callgrind, first 20k PigMix page_views lines, the map field alone: 6.7k -> 4.4k
    instructions per field (the regex's share of a `fullmatch` over it)."""
    return rf"(?:{_sorted_items(delimiter)}|{_distinct_items(delimiter, tag)})"


def _item_classes(delimiter: str, printable: bool = False) -> tuple[str, str]:
    """The classes of a key's and a value's characters (no bracket, ',' or `delimiter`;
    no '#' in a key). `printable`: only printable ASCII characters (' ' to '~'), written as
    the ranges of the allowed ones: a positive class compiles to one bitmap test per
    character, where a negated class costs a NEGATE step more (callgrind, PigMix's map
    field with the sorted-keys form alone: 5.5k -> 4.9k instructions). A positive class
    reaching past U+00FF would cost milliseconds to compile (the compiler walks every
    character of the Basic Multilingual Plane)."""
    if not printable:
        other = r"\[\](){}" + re.escape(delimiter)
        return rf"[^#,{other}]", rf"[^,{other}]"
    value = "[](){}," + delimiter
    return _printable_except(value + "#"), _printable_except(value)


def _printable_except(excluded: str) -> str:
    """A character class of the characters ' ' to '~' but `excluded`."""
    parts, start = [], 0x20
    for c in sorted({ord(x) for x in excluded if 0x20 <= ord(x) <= 0x7E}) + [0x7F]:
        if c > start:
            lo, hi = _in_class(start), _in_class(c - 1)
            parts.append(lo if c - 1 == start else f"{lo}-{hi}")
        start = c + 1
    return "[" + "".join(parts) + "]"


def _in_class(code: int) -> str:
    return chr(code) if chr(code).isalnum() else f"\\x{code:02x}"


# the first characters of keys `_sorted_items` takes, in the order it tries them (the order
# only costs time: each alternative is skipped with one character comparison)
_SORTED_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _sorted_items(delimiter: str) -> str:
    """`[]` or `[k#v,...]` whose keys' first characters are ASCII letters or digits, in
    strictly increasing order: an item starting with c is not followed by a ',' and a
    character up to c (what else may follow it, ']' or ',' and another item, is the
    pattern's structure)."""
    key, value = _item_classes(delimiter, printable=True)
    alternatives = [
        rf"{c}{key}*+#{value}*+(?!,[\x00-{c}])" for c in _SORTED_FIRST if c != delimiter
    ]
    item = "(?:" + "|".join(alternatives) + ")"
    return rf"\[(?:{item}(?:,{item})*+)?\]"


def _distinct_items(delimiter: str, tag: str) -> str:
    """`[]` or `[k#v,...]` with keys told apart with lookaheads after each ',' that follows
    an item: neither the next item nor any later one of the same map starts with the
    item's key and its '#' (no ']' is crossed, and since no value holds a ',' every ',' in
    the map starts an item); a last item has no later one and is not looked past.

    One repeated item, ended by a ',' before another item or by the closing ']', so the
    key is one group (`tag`): the regex engine saves fewer marks per repetition than with a
    first item and a repeated rest, each with its own group. Both changes: ~5.6% fewer
    instructions per PigMix page_views line than the two-group form."""
    key, value = _item_classes(delimiter)
    item = rf"(?P<{tag}>{key}++)#{value}*+"
    later = rf"(?!(?P={tag})#)(?![^\]]*,(?P={tag})#)"  # no later item's key is this one
    return rf"\[(?:{item}(?:,{later}(?=[^\]])|(?=\])))*+\]"


def _bag_pattern(delimiter: str, tag: str) -> str:
    """A bag of one-map tuples' carried texts: `{}` or `{([k#v,...]),...}`: one repeated
    tuple, each followed by a ',' and the next tuple's '(' or by the closing '}', so the
    map's pattern is in the source once (half the compile time of a first tuple and a
    repeated rest; a backreference of the map's distinct-keys form only ever looks at the
    key its own item just matched)."""
    return rf"\{{(?:\({_map_pattern(delimiter, tag + 'm')}\)(?:,(?=\()|(?=\}})))*+\}}"


# A bag of one-map tuples' carried text other than `{}` is these joined: MAP_BAG_OPEN, its
# maps' bodies (each map's text without its brackets) split by MAP_BAG_SEP, MAP_BAG_CLOSE. A
# map's carried text holds no bracket, so in a carried bag MAP_BAG_SEP only ever separates
# two maps: `map_bag_bodies`.
MAP_BAG_OPEN, MAP_BAG_SEP, MAP_BAG_CLOSE = "{([", "]),([", "])}"


def is_map_bag_test(test: Callable[[str], Any] | bool) -> bool:
    """Whether `test` is `carried_text_test`'s test of a bag of one-map tuples."""
    return test is _map_bag_text


def map_bag_bodies(text: str) -> list[str] | None:
    """The bodies of the maps of `text`, a bag of one-map tuples' text, when it is
    MAP_BAG_OPEN + bodies joined by MAP_BAG_SEP + MAP_BAG_CLOSE (None otherwise, `{}`
    included). A text of that form whose every body is one of a map's carried text
    (`[` + body + `]`) is a bag's carried text, and a carried bag's text other than `{}` is
    of that form, its bodies its maps' (tests/piglatin/test_bag_bodies.py)."""
    if text[:3] != MAP_BAG_OPEN or text[-3:] != MAP_BAG_CLOSE:
        return None  # (no text shorter than both ends has both: '[' != ']', '(' != ']')
    return text[3:-3].split(MAP_BAG_SEP)


# The tests `carried_text_test` gives: match objects (true) or None, the field's own text
# holding no delimiter (it was split on it). Compiled at their first use: a pattern with
# one alternative per first character costs milliseconds to compile, which an import of
# this module (every Pig run) should not pay.
@functools.cache
def _text_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(_map_pattern("", "k") if kind == "map" else _bag_pattern("", "k"))


def _flat_map_text(text: str) -> re.Match[str] | None:
    return _text_pattern("map").fullmatch(text)


def _map_bag_text(text: str) -> re.Match[str] | None:
    return _text_pattern("bag").fullmatch(text)
