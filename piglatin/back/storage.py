"""Pig's load and store functions: PigStorage, TextLoader, JsonLoader/JsonStorage, BinStorage.

Owns: turning records (text lines, or BinStorage's msgpack stream) into Pig tuples and
back, including applying a LOAD ... AS schema field by field (a malformed field becomes
null and counts a warning instead of failing the job). Must not touch: files, splits or
DFS; the runtime hands loaders lines/bytes and writes what storers return.

    loader = get_loader("PigStorage", [","]).with_schema([("a", "int"), ("b", "chararray")])
    loader.parse_line(b"1,x")          # -> (1, "x")
    get_storer("PigStorage", [","]).format((1, "x"))   # -> b"1,x"

A schema is a sequence of fields in any form `piglatin.model.data.field_spec` accepts: "int",
("name", "int"), ("name", "bag", [inner...]) or schema objects with .name/.type/.schema.
Warnings go to `loader.warnings` (a Counter keyed by Pig's warning name) and to the
optional `loader.on_warning(code)` callback.
"""

from __future__ import annotations

import functools
import json
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from itertools import chain, repeat
from typing import Any

import msgpack

from piglatin.functions.builtins import UnknownFunctionError
from piglatin.model import data
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.textcomplex import bag_element, carried_text_test

# ------------------------------------------------------------------------- helpers


def parse_delimiter(text: str) -> str:
    """PigStorage's delimiter argument: one char, or \\t \\n \\r \\uXXXX \\xXX \\ooo escapes."""
    if len(text) == 1:
        return text
    if text.startswith("\\"):
        body = text[1:]
        simple = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
        if body in simple:
            return simple[body]
        if body[:1] == "u" and len(body) == 5:
            return chr(int(body[1:], 16))
        if body[:1] == "x" and len(body) == 3:
            return chr(int(body[1:], 16))
        if body.isdigit():
            return chr(int(body, 8))
    raise ValueError(f"PigStorage delimiter must be a single character, got {text!r}")


def _schema_specs(schema: Iterable[Any] | None) -> list[tuple[str | None, str, Any]] | None:
    """(name, type, inner) for each field of a schema in any accepted form."""
    if schema is None:
        return None
    out = []
    for f in schema:
        t, inner = data.field_spec(f)
        if isinstance(f, str):
            name = None
        elif isinstance(f, (tuple, list)):
            name = f[0]
        else:
            name = getattr(f, "name", None)
        out.append((name, t, inner))
    return out


def parse_schema(text: str) -> list[tuple[str, str, Any]]:
    """Parse schema text like `a:int, b:{t:(x:chararray)}, m:map[]` into field triples."""
    fields, pos = _schema_fields(text.strip().removeprefix("(").removesuffix(")"), 0, "")
    return fields


def _schema_fields(text: str, pos: int, closer: str) -> tuple[list, int]:
    fields: list = []
    while pos < len(text):
        while pos < len(text) and text[pos] in " ,\t\n":
            pos += 1
        if pos >= len(text) or text[pos] == closer:
            return fields, pos
        name_end = pos
        while name_end < len(text) and (text[name_end].isalnum() or text[name_end] in "_$"):
            name_end += 1
        name = text[pos:name_end] or None
        pos = name_end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        type_name, inner = "bytearray", None
        if pos < len(text) and text[pos] == ":":
            type_name, inner, pos = _schema_type(text, pos + 1)
        elif pos < len(text) and text[pos] in "({[":
            type_name, inner, pos = _schema_type(text, pos)
        elif name is not None and name.lower() in data.TYPE_NAMES:
            name, type_name, inner, pos = None, *_schema_type(text, name_end - len(name))
        fields.append((name, type_name, inner))
    return fields, pos


def _schema_type(text: str, pos: int) -> tuple[str, Any, int]:
    while text[pos] == " ":
        pos += 1
    for word, opener in (("bag", "{"), ("tuple", "("), ("map", "[")):
        if text.startswith(word, pos):
            pos += len(word)
            while pos < len(text) and text[pos] == " ":
                pos += 1
            if pos >= len(text) or text[pos] != opener:
                return word, None, pos
            break
    c = text[pos]
    if c in "({[":
        closer = {"(": ")", "{": "}", "[": "]"}[c]
        inner, pos = _schema_fields(text, pos + 1, closer)
        kind = {"(": "tuple", "{": "bag", "[": "map"}[c]
        return kind, inner or None, pos + 1
    end = pos
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[pos:end].lower(), None, end


# ------------------------------------------------------------------------ base API


class LoadFunc:
    """Base loader: `parse_line` for text formats, `tuples(records)` for any format."""

    name = "LoadFunc"

    def __init__(self) -> None:
        self.schema: list[tuple[str | None, str, Any]] | None = None
        self.warnings: Counter[str] = Counter()
        self.on_warning: Callable[[str], None] | None = None
        self._casters: list[Callable[[Any], Any]] | None = None

    def warn(self, code: str) -> None:
        self.warnings[code] += 1
        if self.on_warning is not None:
            self.on_warning(code)

    def with_schema(self, schema: Iterable[Any] | None) -> LoadFunc:
        """Apply a LOAD ... AS schema: fields are cast, padded with nulls or cut to it."""
        self.schema = _schema_specs(schema)
        specs = self.schema
        self._casters = None if specs is None else [self._caster(t, i) for _, t, i in specs]
        return self

    def _caster(self, type_name: str, inner: Any) -> Callable[[Any], Any]:
        warn = self.warn
        if type_name == "bytearray":
            return _identity
        if type_name == "chararray":
            to_chararray = data.to_chararray
            return lambda v: (
                v.decode("utf-8", "replace") if type(v) is bytes else to_chararray(v, warn)
            )
        if type_name in ("tuple", "bag", "map"):
            return data.complex_caster(type_name, inner, warn)
        fn = data.CASTS[type_name]
        return lambda v: fn(v, warn)

    def apply_schema(self, fields: Sequence[Any]) -> tuple:
        casters = self._casters
        if casters is None:
            return tuple(fields)
        n = len(casters)
        if len(fields) < n:
            fields = list(fields) + [None] * (n - len(fields))
        return tuple([c(v) for c, v in zip(casters, fields)])

    def parse_line(self, line: bytes | str) -> tuple:
        raise NotImplementedError

    def push_projection(self, columns: Sequence[int]) -> bool:
        """Pig's LoadPushDown.pushProjection: from now on give only these columns of the
        schema, in this order, and skip converting the others. True when the loader does
        it (then every tuple it returns has exactly ``len(columns)`` fields); False (the
        default) leaves it unchanged and the caller projects."""
        return False

    def push_map_keys(self, keys: dict[int, tuple[str, ...]]) -> bool:
        """Pig's LoadPushDown with a RequiredField's map subfields: map column -> the only
        keys the script looks it up by (`LOLoad.map_keys`); a loader that takes them may
        give those entries only. False (the default): the maps stay whole."""
        return False

    def line_parser(self) -> Callable[[str], tuple]:
        """A parser of one text line as TextInputFormat gives it (str, no terminator);
        loaders override it with a faster one that skips the bytes round trip."""
        return self.parse_line

    def tuples(self, records: Iterable[Any]) -> Iterator[tuple]:
        parse = self.parse_line
        for r in records:
            yield parse(r)


class StoreFunc:
    """Base storer: `format(t)` gives one record (a text line without its newline)."""

    name = "StoreFunc"
    newline = b"\n"

    def __init__(self) -> None:
        self.schema: list[tuple[str | None, str, Any]] | None = None

    def with_schema(self, schema: Iterable[Any] | None) -> StoreFunc:
        self.schema = _schema_specs(schema)
        return self

    def format(self, t: tuple) -> bytes:
        raise NotImplementedError

    def records(self, tuples: Iterable[tuple]) -> Iterator[bytes]:
        """Each tuple as stored bytes, record separator included."""
        fmt, nl = self.format, self.newline
        for t in tuples:
            yield fmt(t) + nl


def _identity(v: Any) -> Any:
    return v


def _strip_newline(line: bytes | str) -> bytes | str:
    if line[-1:] in ("\n", b"\n"):
        line = line[:-1]
        if line[-1:] in ("\r", b"\r"):
            line = line[:-1]
    return line


# ---------------------------------------------------------------------- PigStorage


@frozen_dataclass(slots=False)
class TextFields:
    """How PigStorage turns a text line into a tuple: split on `delimiter`, pad to `width`
    with empty fields; then for each (column, cast) of `fields`: an empty field is null, else
    ``cast(field)`` (None: the str itself, a chararray). A code generator may convert a
    field of type int/long/double itself for the plain text it is sure of (ASCII digits)
    and must call `cast` for anything else: `cast` decides every unusual field.

    `carried[i]` says when field i's text is exactly what PigStorage stores for the value
    read from it (reading it warning nothing), so a job that only carries the field from
    input to output may copy its text: True, always (chararray, bytearray); a test of a
    non-empty text (`textcomplex.carried_text_test`: flat maps, bags of maps); False, never
    sure (numbers: parsed and formatted, which is cheap)."""

    delimiter: str
    width: int
    fields: tuple[tuple[int, Callable[[str], Any] | None], ...]
    types: tuple[str, ...] = ()  # each field's declared type (code generators inline casts)
    carried: tuple[Callable[[str], bool] | bool, ...] = ()


class PigStorage(LoadFunc, StoreFunc):
    """Delimited text; fields are bytearray unless a schema is applied; empty -> null."""

    name = "PigStorage"

    def __init__(self, delimiter: str = "\t", options: str = "") -> None:
        LoadFunc.__init__(self)
        self.delimiter = parse_delimiter(delimiter)
        self._delim_bytes = self.delimiter.encode("utf-8")
        self.options = options.split()
        self.tag = (
            "path"
            if "-tagPath" in self.options
            else ("file" if "-tagFile" in self.options or "-tagsource" in self.options else None)
        )
        self._source: bytes | None = None
        self.projection: tuple[int, ...] | None = None  # pushed down: the columns to give
        self.field_limit: int | None = None  # without a schema: the first fields only

    def set_source(self, path: str) -> None:
        """The file being read, for -tagFile (its name) / -tagPath (its path) as field 0."""
        name = _hadoop_path(path) if self.tag == "path" else path.rstrip("/").rsplit("/", 1)[-1]
        self._source = name.encode()

    def parse_line(self, line: bytes | str) -> tuple:
        line = _strip_newline(line)
        if type(line) is str:
            line = line.encode("utf-8")
        if self.field_limit is not None:
            limit = self.field_limit
            return tuple([f or None for f in line.split(self._delim_bytes, limit)[:limit]])
        fields = [f or None for f in line.split(self._delim_bytes)]
        if self.tag is not None:
            fields.insert(0, self._source)
        if self.projection is None:
            return self.apply_schema(fields)
        casters, n = self._casters, len(fields)
        return tuple([casters[c](fields[c]) if c < n else None for c in self.projection])

    def push_projection(self, columns: Sequence[int]) -> bool:
        if self._casters is None or any(not 0 <= c < len(self._casters) for c in columns):
            return False
        self.projection = tuple(columns)
        return True

    def limit_fields(self, count: int) -> bool:
        """Without a schema, give each line's first `count` fields only (bytearrays, as
        always): what follows them, which nothing reads, is never split. True when the
        loader does it (no schema, no -tagFile/-tagPath)."""
        if self._casters is not None or self.tag is not None or count < 1:
            return False
        self.field_limit = count
        return True

    def text_fields(self) -> TextFields | None:
        """How a text line becomes this loader's tuple (its schema's fields, or the pushed
        projection's), for callers that split lines themselves; None when fields are not
        taken from the line alone (no schema: bytearrays; -tagFile/-tagPath)."""
        if self._casters is None or self.tag is not None:
            return None
        specs = self.schema or []
        columns = self.projection if self.projection is not None else range(len(specs))
        picks = tuple(
            (c, _text_caster(specs[c][1], specs[c][2], self._casters[c], self.warn))
            for c in columns
        )
        types = tuple(specs[c][1] for c in columns)
        carried = tuple(_carried(specs[c][1], specs[c][2]) for c in columns)
        return TextFields(self.delimiter, len(specs), picks, types, carried)

    def first_fields_text(self) -> TextFields | None:
        """Without a schema, with `limit_fields`: the first fields of a line as bytearrays,
        for code that splits lines itself. A shorter line's tuple is shorter (`parse_line`);
        such code pads it with empty fields, read as nulls: what projecting a column past
        the end of a tuple gives, so only for code reading the fields by position. None
        otherwise."""
        if self._casters is not None or self.tag is not None or self.field_limit is None:
            return None
        n = self.field_limit
        picks = tuple((c, str.encode) for c in range(n))  # `_text_caster` of a bytearray
        return TextFields(self.delimiter, n, picks, ("bytearray",) * n, (True,) * n)

    def line_parser(self) -> Callable[[str], tuple]:
        """Split once on the delimiter, convert only the schema's (or the pushed
        projection's) fields straight from str: chararray fields need no conversion,
        numbers parse with one C call when they are plain ASCII, complex fields parse
        from the text (`piglatin.model.data.cast`)."""
        tf = self.text_fields()
        if tf is None and self.field_limit is not None:
            limit, delimiter = self.field_limit, self.delimiter

            def first_fields(v: str) -> tuple:
                return tuple([f.encode() or None for f in v.split(delimiter, limit)[:limit]])

            return first_fields
        if tf is None:
            return self.parse_line
        picks, width, delim = tf.fields, tf.width, tf.delimiter
        if all(cast is None for _, cast in picks) and [c for c, _ in picks] == list(range(width)):

            def chararrays(v: str) -> tuple:
                fields = v.split(delim)
                if len(fields) < width:
                    fields += [""] * (width - len(fields))
                return tuple([x or None for x in fields[:width]])

            return chararrays

        def typed(v: str) -> tuple:
            fields = v.split(delim)
            if len(fields) < width:
                fields += [""] * (width - len(fields))
            return tuple(
                [((cast(x) if cast else x) if (x := fields[c]) else None) for c, cast in picks]
            )

        return typed

    def format(self, t: tuple) -> bytes:
        typed = self.column_texts()
        if typed is None:
            return self._delim_bytes.join([_field_bytes(f) for f in t])
        return self._delim_bytes.join(
            [
                _field_bytes(v) if f is None or type(v) is bytes else f(v).encode("utf-8")
                for f, v in zip(chain(typed, repeat(None)), t)
            ]
        )

    def column_texts(self) -> tuple[Callable[[Any], str] | None, ...] | None:
        """Each column's `data.typed_formatter` (a float column: Float.toString), or None
        when the schema declares no float: every value is then written by its own type."""
        try:
            return self._typed
        except AttributeError:
            pass
        specs = self.schema or ()
        typed = tuple(data.typed_formatter(t, inner) for _, t, inner in specs)
        self._typed = typed if any(typed) else None
        return self._typed

    def nested_floats(self) -> bool:
        """Whether the schema declares a float inside a tuple, bag or map column: such a
        line is this storer's to write (`format`); a writer that knows each column's type
        only (`codegen.text_line_tail`) would write those floats by their double's digits."""
        specs = self.schema or ()
        return any(t != "float" and data.holds_float(t, inner) for _, t, inner in specs)


def _hadoop_path(url: str) -> str:
    """A file's URL as Hadoop's Path.toString prints it (what Pig's -tagPath gives): the
    scheme, then ``//authority`` only when there is one (``file:///d/f`` -> ``file:/d/f``)."""
    scheme, sep, rest = url.partition("://")
    if sep and rest.startswith("/"):
        return f"{scheme}:{rest}"
    return url


def _carried(type_name: str, inner: Any) -> Callable[[str], bool] | bool:
    """`TextFields.carried` of a field of `type_name`."""
    if type_name in ("chararray", "bytearray"):
        return True
    return carried_text_test(type_name, inner) or False


def _text_caster(
    type_name: str, inner: Any, bytes_caster: Callable[[Any], Any], warn: Callable[[str], None]
) -> Callable[[str], Any] | None:
    """A non-empty str field -> its value of `type_name`, the same value `bytes_caster`
    gives for the field's UTF-8 bytes; None for chararray (the str itself)."""
    if type_name == "chararray":
        return None
    if type_name == "bytearray":
        return str.encode
    if type_name in ("tuple", "bag", "map"):
        return data.complex_caster(type_name, inner, warn)
    slow = _remembered_casts(data.CASTS[type_name], warn) if type_name in _NUMBERS else None
    slow = slow or (lambda x: bytes_caster(x.encode("utf-8")))
    if type_name in ("int", "long"):
        lo, hi = (
            (data.INT_MIN, data.INT_MAX) if type_name == "int" else (data.LONG_MIN, data.LONG_MAX)
        )

        def integer(x: str) -> Any:
            # as to_int's bytes path: one C call, for a text that may be a number (ends in a
            # digit: a log's '-' or a sheet's 'n/a' goes to the slow path's memory at once)
            if x.isascii() and x[-1:].isdigit() and "_" not in x:
                try:
                    i = int(x)
                except ValueError:
                    return slow(x)
                if lo <= i <= hi:
                    return i
            return slow(x)

        return integer
    if type_name == "double":

        def double(x: str) -> Any:
            if x.isascii() and ((e := x[-1:]).isdigit() or e == "."):
                try:
                    d = float(x)
                except ValueError:
                    return slow(x)
                if d - d == 0 and "_" not in x:
                    return d
            return slow(x)

        return double
    return slow


_NUMBERS = frozenset(("int", "long", "double"))
_REMEMBERED = 1024  # texts a number field's slow path remembers, per column of a task


def _remembered_casts(
    cast: Callable[[Any, Any], Any], warn: Callable[[str], None]
) -> Callable[[str], Any]:
    """The slow path of a number field (a text Python's int or float did not take whole):
    `cast` of its UTF-8 bytes, the value and the warnings it gave remembered for the first
    `_REMEMBERED` such texts, and the warnings given again on every later sight (a web log's
    '-' or a sheet's 'n/a' repeats on every line; the cast of a text is a function of it)."""
    seen: dict[str, tuple[Any, tuple[str, ...]]] = {}

    def slow(x: str) -> Any:
        known = seen.get(x)
        if known is None:
            codes: list[str] = []
            known = (cast(x.encode("utf-8"), codes.append), tuple(codes))
            if len(seen) < _REMEMBERED:
                seen[x] = known
        for code in known[1]:
            warn(code)
        return known[0]

    return slow


def _field_bytes(v: Any) -> bytes:
    f = _FIELD_BYTES.get(type(v))
    return f(v) if f is not None else data.format_value(v).encode("utf-8")


_FIELD_BYTES: dict[type, Callable[[Any], bytes]] = {
    bytes: lambda v: v,
    str: lambda v: v.encode("utf-8"),
    int: lambda v: str(v).encode(),
    type(None): lambda v: b"",
    float: lambda v: data.format_double(v).encode(),
}


class TextLoader(LoadFunc):
    """One chararray field per line."""

    name = "TextLoader"

    def parse_line(self, line: bytes | str) -> tuple:
        line = _strip_newline(line)
        text = line.decode("utf-8", "replace") if type(line) is bytes else line
        return self.apply_schema((text,)) if self._casters else (text,)


# ------------------------------------------------------------------------- JSON


class JsonLoader(LoadFunc):
    """One JSON object per line; fields by the schema's names (JsonLoader('a:int,...'))."""

    name = "JsonLoader"

    def __init__(self, schema: str | None = None) -> None:
        super().__init__()
        self._fields: list[tuple[str, Callable[[Any], Any]]] | None = None
        self._map_keys: dict[str, tuple[str, ...]] = {}  # a map field's name -> its keys
        if schema:
            self.with_schema(parse_schema(schema))

    def with_schema(self, schema: Iterable[Any] | None) -> LoadFunc:
        super().with_schema(schema)
        self._fields = self._converters()
        return self

    def parse_line(self, line: bytes | str) -> tuple:
        try:
            obj = json.loads(line)
        except ValueError:
            self.warn(data.CONVERSION_FAILED)
            return ()
        fields = self._fields
        if fields is None:
            return tuple(obj.values()) if isinstance(obj, dict) else (obj,)
        if type(obj) is not dict:
            return tuple([convert(None) for _, convert in fields])
        get = obj.get
        return tuple([convert(get(name)) for name, convert in fields])

    def line_parser(self) -> Callable[[str], tuple]:
        """`parse_line` of a line that is one JSON object and nothing else, without
        `json.loads`'s Python frames (the decoder's C scanner directly); any other line
        (surrounding spaces, not an object, not JSON) goes to `parse_line`."""
        scan = json.JSONDecoder().scan_once
        slow = self.parse_line

        def parse(line: str) -> tuple:
            try:
                obj, end = scan(line, 0)
            except (StopIteration, ValueError):
                return slow(line)
            if end != len(line) or type(obj) is not dict:
                return slow(line)
            fields = self._fields
            if fields is None:
                return tuple(obj.values())
            get = obj.get
            return tuple([convert(get(name)) for name, convert in fields])

        return parse

    def push_projection(self, columns: Sequence[int]) -> bool:
        """Only the projected fields are looked up and converted."""
        if self.schema is None or any(not 0 <= c < len(self.schema) for c in columns):
            return False
        self.schema = [self.schema[c] for c in columns]
        self._fields = self._converters()
        return True

    def push_map_keys(self, keys: dict[int, tuple[str, ...]]) -> bool:
        """Only these keys of these map fields are read and converted (before any
        `push_projection`: columns of the schema as loaded)."""
        if self.schema is None or any(not 0 <= c < len(self.schema) for c in keys):
            return False
        if any(self.schema[c][1] != "map" for c in keys):
            return False
        self._map_keys = {self.schema[c][0]: tuple(k) for c, k in keys.items()}
        self._fields = self._converters()
        return True

    def _converters(self) -> list[tuple[str, Callable[[Any], Any]]] | None:
        """Per schema field, its name and a JSON value -> the field's value (`_field`), with
        the JSON types that are already the field's value taken as they are."""
        if self.schema is None:
            return None
        return [
            (name, self._converter(t, inner, self._map_keys.get(name)))
            for name, t, inner in self.schema
        ]

    def _converter(
        self, type_name: str, inner: Any, keys: tuple[str, ...] | None = None
    ) -> Callable[[Any], Any]:
        field = self._field
        if type_name == "map" and keys is not None:
            return self._map_of_keys(inner, keys)
        # (a null is null whatever the type: `_field`'s first test, without its call)
        if type_name == "chararray":
            return lambda v: v if type(v) is str or v is None else field(v, type_name, inner)
        if type_name in _JSON_INTS:
            lo, hi = _JSON_INTS[type_name]
            return lambda v: (
                v
                if (type(v) is int and lo <= v <= hi) or v is None
                else field(v, type_name, inner)
            )
        if type_name == "double":
            return lambda v: v if type(v) is float or v is None else field(v, type_name, inner)
        if type_name == "bytearray":
            return lambda v: (
                v.encode("utf-8") if type(v) is str else None if v is None else field(v, type_name, inner)
            )
        if type_name == "map" and not inner:  # map[]: each value a bytearray of its text

            def of_map(v: Any) -> Any:
                if type(v) is not dict:
                    return field(v, type_name, inner)
                return {
                    k: x.encode("utf-8")
                    if type(x) is str
                    else str(x).encode()
                    if type(x) is int
                    else field(x, "bytearray", None)
                    for k, x in v.items()
                }

            return of_map
        return lambda v: field(v, type_name, inner)

    def _map_of_keys(self, inner: Any, keys: tuple[str, ...]) -> Callable[[Any], Any]:
        """A map field's converter that reads only `keys` (a key absent or null is left
        out: a lookup gives null either way), each value as `_field` reads it."""
        field = self._field
        vt, vi = data.field_spec(inner[0]) if inner else ("bytearray", None)
        text = vt == "bytearray"

        def of_keys(v: Any) -> Any:
            if type(v) is not dict:
                return field(v, "map", inner)
            out = {}
            for k in keys:
                x = v.get(k)
                if x is None:
                    continue
                if text and type(x) is str:
                    out[k] = x.encode("utf-8")
                elif text and type(x) is int:
                    out[k] = str(x).encode()
                else:
                    out[k] = field(x, vt, vi)
            return out

        return of_keys

    def _field(self, v: Any, type_name: str, inner: Any) -> Any:
        if v is None:
            return None
        if type_name == "tuple":
            specs = _schema_specs(inner) or []
            if isinstance(v, dict):
                if not specs:
                    return tuple(v.values())
                return tuple(self._field(v.get(n), t, i) for n, t, i in specs)
            if isinstance(v, list):
                if not specs:
                    return tuple(v)
                return tuple(self._field(x, t, i) for x, (_, t, i) in zip(v, specs))
            return self._fail()
        if type_name == "bag":
            if not isinstance(v, list):
                return self._fail()
            if not all(isinstance(x, dict) for x in v):
                # Pig's readField, BAG: an item that is not an object ("Bad bag tuple field,
                # could not find start of object") makes the whole field null
                self.warn("UDF_WARNING_1")
                return None
            elem, elem_inner = bag_element(inner)
            return [self._field(x, elem, elem_inner) for x in v]
        if type_name == "map":
            if not isinstance(v, dict):
                return self._fail()
            vt, vi = data.field_spec(inner[0]) if inner else ("bytearray", None)
            return {k: self._field(x, vt, vi) for k, x in v.items()}
        if type_name == "bytearray":
            if isinstance(v, str):
                return v.encode("utf-8")
            if not isinstance(v, list):
                try:
                    return _field_bytes(v)
                except (TypeError, ValueError):  # an object holding an array
                    pass
            # Pig's readField takes the next token's text, so an array gives "[" and leaves
            # its items to be read as the next fields (in a map[]: as entries of a null key):
            # undefined. Null and Pig's warning for a field it cannot read instead.
            self.warn("UDF_WARNING_1")
            return None
        if isinstance(v, (dict, list)):
            return self._fail()
        return data.cast(v, type_name, self.warn)

    def _fail(self) -> None:
        self.warn(data.CONVERSION_FAILED)
        return None


#: The JSON integers an int/long field takes as they are (others: `data.cast`'s wrapping).
_JSON_INTS = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


class JsonStorage(StoreFunc):
    """One compact JSON object per tuple, keyed by the schema's field names."""

    name = "JsonStorage"

    def format(self, t: tuple) -> bytes:
        specs = self.schema or [(f"${i}", "bytearray", None) for i in range(len(t))]
        return _json_object(t, specs).encode("utf-8")


class PigDump(StoreFunc):
    """Each tuple as DUMP prints it, one a line (Pig's PigDump: ``Tuple.toString()``)."""

    name = "PigDump"

    def format(self, t: tuple) -> bytes:
        try:
            fmt = self._row_text
        except AttributeError:
            fmt = self._row_text = data.row_formatter(self.schema)
        return fmt(t).encode("utf-8")


def _json_object(t: tuple, specs: Sequence[tuple[str | None, str, Any]]) -> str:
    parts = []
    for i, (name, type_name, inner) in enumerate(specs):
        v = t[i] if i < len(t) else None
        text = _json_float(v) if type_name == "float" else _json_value(v, inner)
        parts.append(f"{json.dumps(name or f'${i}', ensure_ascii=False)}:{text}")
    return "{" + ",".join(parts) + "}"


def _json_float(v: Any) -> str:
    """A field declared float: Jackson's writeNumber(float), Float.toString's digits."""
    if type(v) is float:
        text = data.format_float(v)
        return text if math.isfinite(v) else json.dumps(text)
    return _json_value(v, None)


def _json_value(v: Any, inner: Any) -> str:
    tv = type(v)
    if v is None:
        return "null"
    if tv is bool:
        return "true" if v else "false"
    if tv is int:
        return str(v)
    if tv is float:
        return data.format_double(v) if math.isfinite(v) else json.dumps(data.format_double(v))
    if tv is str or tv is bytes or isinstance(v, datetime):
        return json.dumps(data.format_value(v), ensure_ascii=False)
    if tv is tuple:
        specs = _schema_specs(inner) or [(f"${i}", "bytearray", None) for i in range(len(v))]
        return _json_object(v, specs)
    if tv is list:
        _, elem_inner = bag_element(inner)
        return "[" + ",".join([_json_value(x, elem_inner) for x in v]) + "]"
    if tv is dict:  # JsonStorage.writeField: each value as its toString (a JSON string)
        vt = data.field_spec(inner[0])[0] if inner else "bytearray"
        items = [
            f"{json.dumps(k, ensure_ascii=False)}:"
            + ("null" if x is None else json.dumps(_java_string(x, vt), ensure_ascii=False))
            for k, x in data.java_items(v, data.task_map_sized())
        ]
        return "{" + ",".join(items) + "}"
    raise TypeError(f"not a Pig value: {tv.__name__}")


def _java_string(v: Any, type_name: str = "bytearray") -> str:
    """A map value's Object.toString(), as Pig's JsonStorage writes it: Float.toString for
    a map[float]'s floats, a nested map as java.util.HashMap's ``{k=v, ...}``, any other
    value as Pig prints it (Double.toString, Tuple and DataBag toString, DateTime's ISO)."""
    if type(v) is float and type_name == "float":
        return data.format_float(v)
    if type(v) is dict:
        return (
            "{"
            + ", ".join(
                f"{k}={'null' if x is None else _java_string(x)}"
                for k, x in data.java_items(v, data.task_map_sized())
            )
            + "}"
        )
    return data.format_value(v)


# ---------------------------------------------------------------------- BinStorage
# msgpack: a tuple is a msgpack array (decoded as a Python tuple), a bag an ext type 1
# holding an array of tuples, a datetime ext type 2 holding (epoch micros, offset secs).

_EXT_BAG, _EXT_DATETIME = 1, 2
_SCALARS = frozenset((int, float, str, bytes, bool, type(None)))


def _encode(v: Any) -> Any:
    tv = type(v)
    if tv in _SCALARS:
        return v
    if tv is tuple:
        if _SCALARS.issuperset(map(type, v)):  # one C-level check: msgpack packs it as is
            return v
        return [x if type(x) in _SCALARS else _encode(x) for x in v]
    if tv is list:
        return msgpack.ExtType(_EXT_BAG, _pack([_encode(t) for t in v]))
    if tv is dict:
        if _SCALARS.issuperset(map(type, v.values())):
            return v
        return {k: x if type(x) in _SCALARS else _encode(x) for k, x in v.items()}
    if isinstance(v, datetime):
        off = v.utcoffset()
        micros = (v - data.EPOCH) // timedelta(microseconds=1)
        payload = [micros, int(off.total_seconds()) if off else 0]
        return msgpack.ExtType(_EXT_DATETIME, msgpack.packb(payload))
    raise TypeError(f"not a Pig value: {tv.__name__}")


def _ext_hook(code: int, payload: bytes) -> Any:
    if code == _EXT_BAG:
        return list(
            msgpack.unpackb(
                payload, use_list=False, raw=False, ext_hook=_ext_hook, unicode_errors=_SP
            )
        )
    if code == _EXT_DATETIME:
        micros, offset = msgpack.unpackb(payload)
        tz = timezone(timedelta(seconds=offset)) if offset else UTC
        return (data.EPOCH + timedelta(microseconds=micros)).astimezone(tz)
    return msgpack.ExtType(code, payload)


_LOCAL = threading.local()


def _pack(obj: Any) -> bytes:
    """msgpack.packb with this thread's reused Packer (packb builds one per call, 5x the
    cost of packing a short row)."""
    try:
        packer = _LOCAL.packer
    except AttributeError:
        packer = _LOCAL.packer = msgpack.Packer(use_bin_type=True)
    try:
        return packer.pack(obj)
    except UnicodeEncodeError:  # a lone surrogate (a Java String may hold one)
        return surrogate_pack(obj)


#: a chararray may hold half a surrogate pair (SUBSTRING counts UTF-16 units): Pig's
#: SedesHelper.writeChararray keeps it (DataOutput.writeUTF); msgpack's str then holds it as
#: 'surrogatepass' UTF-8, which every unpacker here reads back. The plain packers stay
#: strict (an errors handler re-encodes every str): a packer that meets one falls back to
#: `surrogate_pack`.
_SP = "surrogatepass"


def surrogate_pack(obj: Any) -> bytes:
    return msgpack.packb(obj, use_bin_type=True, unicode_errors=_SP)


def pack_value(v: Any) -> bytes:
    """msgpack bytes for any Pig value (tuple/bag/map/datetime round trip exactly)."""
    return _pack(_encode(v))


def unpack_value(b: bytes) -> Any:
    return msgpack.unpackb(
        b, use_list=False, raw=False, ext_hook=_ext_hook, strict_map_key=False, unicode_errors=_SP
    )


def unpacker() -> Callable[[bytes], Any]:
    """`unpack_value` as a C-level callable (no Python frame per value), for hot loops."""
    return functools.partial(
        msgpack.unpackb,
        use_list=False,
        raw=False,
        ext_hook=_ext_hook,
        strict_map_key=False,
        unicode_errors=_SP,
    )


class BinStorage(LoadFunc, StoreFunc):
    """Binary records (msgpack), for intermediate data between jobs; exact round trips."""

    name = "BinStorage"
    newline = b""
    projection: tuple[int, ...] | None = None  # pushed down: the columns to give

    def format(self, t: tuple) -> bytes:
        return pack_value(t)

    def parse_line(self, line: bytes | str) -> tuple:
        t = self.apply_schema(unpack_value(line))
        return t if self.projection is None else tuple([t[c] for c in self.projection])

    def push_projection(self, columns: Sequence[int]) -> bool:
        if self._casters is None or any(not 0 <= c < len(self._casters) for c in columns):
            return False
        self.projection = tuple(columns)
        return True

    def tuples(self, records: Iterable[bytes]) -> Iterator[tuple]:
        """Tuples from a stream of byte chunks (record boundaries need not align)."""
        unpacker = msgpack.Unpacker(
            use_list=False, raw=False, ext_hook=_ext_hook, strict_map_key=False, unicode_errors=_SP
        )
        cast = self._casters is not None
        for chunk in records:
            unpacker.feed(chunk)
            for t in unpacker:
                if cast:
                    t = self.apply_schema(t)
                yield t if self.projection is None else tuple([t[c] for c in self.projection])


# ------------------------------------------------------------------------ registry

LOADERS: dict[str, Callable[..., LoadFunc]] = {
    "PigStorage": PigStorage,
    "TextLoader": TextLoader,
    "JsonLoader": JsonLoader,
    "BinStorage": BinStorage,
}
STORERS: dict[str, Callable[..., StoreFunc]] = {
    "PigStorage": PigStorage,
    "JsonStorage": JsonStorage,
    "BinStorage": BinStorage,
    "PigDump": PigDump,
}


def _resolve(table: dict[str, Callable[..., Any]], name: str) -> Callable[..., Any]:
    short = name.removeprefix("org.apache.pig.builtin.")
    if short in table:
        return table[short]
    import difflib

    close = difflib.get_close_matches(short, list(table), n=1)
    raise UnknownFunctionError(name, close[0] if close else None)


def get_loader(name: str, args: Sequence[str] = ()) -> LoadFunc:
    """A loader for `LOAD ... USING name(args)` (full org.apache.pig.builtin names too)."""
    return _resolve(LOADERS, name)(*args)


def get_storer(name: str, args: Sequence[str] = ()) -> StoreFunc:
    """A storer for `STORE ... USING name(args)`."""
    return _resolve(STORERS, name)(*args)
