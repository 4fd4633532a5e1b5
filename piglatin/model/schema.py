"""Pig data types and schemas: `DataType`, `FieldSchema`, `Schema`, DESCRIBE text.

Owns: the type lattice (numeric promotion, implicit casts from bytearray), nested
schemas (a bag's schema holds one tuple field; a map's optional schema holds its value
type), field lookup by name with Pig's `A::x` disambiguation and Pig's DESCRIBE format
(`front.parser.parse_schema` reads schema text such as `(a:int, b:bag{t:(x:chararray)})`).
Must not touch: parsing (the front end imports this module, never the reverse), plans or
runtime values.

>>> Schema.of(FieldSchema("name", DataType.CHARARRAY), FieldSchema("age", DataType.INT)).describe()
'{name: chararray,age: int}'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from enum import Enum

from dfs.fastclass import dataclass


class DataType(Enum):
    """Pig's types; `value` is the name Pig prints (DESCRIBE, error messages)."""

    BOOLEAN = "boolean"
    INT = "int"
    LONG = "long"
    FLOAT = "float"
    DOUBLE = "double"
    DATETIME = "datetime"
    BYTEARRAY = "bytearray"
    CHARARRAY = "chararray"
    MAP = "map"
    TUPLE = "tuple"
    BAG = "bag"

    @classmethod
    def from_name(cls, name: str) -> DataType:
        return cls(name.lower())

    @property
    def is_numeric(self) -> bool:
        return self in _NUMERIC_RANK

    @property
    def is_complex(self) -> bool:
        return self in (DataType.TUPLE, DataType.BAG, DataType.MAP)

    @property
    def is_atomic(self) -> bool:
        return not self.is_complex


_NUMERIC_RANK = {DataType.INT: 0, DataType.LONG: 1, DataType.FLOAT: 2, DataType.DOUBLE: 3}


def wider_numeric(a: DataType, b: DataType) -> DataType:
    """The larger of two numeric types (int < long < float < double)."""
    return a if _NUMERIC_RANK[a] >= _NUMERIC_RANK[b] else b


@dataclass(frozen=True, slots=True)
class FieldSchema:
    """One field.  `type` None means "not declared" (`AS (a, b)`), shown as bytearray.

    For a BAG, `schema` holds exactly one TUPLE field (the bag's tuples); for a TUPLE it
    holds the tuple's fields; for a MAP it optionally holds one field, the value type.
    """

    name: str | None
    type: DataType | None = DataType.BYTEARRAY
    schema: Schema | None = None

    @property
    def dtype(self) -> DataType:
        return self.type if self.type is not None else DataType.BYTEARRAY

    def renamed(self, name: str | None) -> FieldSchema:
        return replace(self, name=name)

    def normalized(self) -> FieldSchema:
        """Undeclared types become bytearray, recursively."""
        inner = self.schema.normalized() if self.schema is not None else None
        return FieldSchema(self.name, self.dtype, inner)

    @property
    def tuple_schema(self) -> Schema | None:
        """The columns of a bag's tuples, or a tuple's own fields; None when unknown."""
        if self.type is DataType.TUPLE:
            return self.schema
        if self.type is DataType.BAG and self.schema is not None and len(self.schema):
            inner = self.schema.fields[0]
            return inner.schema if inner.type is DataType.TUPLE else self.schema
        return None

    def describe(self) -> str:
        """Pig's DESCRIBE text for this field: `name: type`, `A: {(x: int)}`, `m: map[]`."""
        body = _type_text(self)
        return f"{self.name}: {body}" if self.name else body


def _type_text(fs: FieldSchema) -> str:
    t = fs.dtype
    if t is DataType.BAG:
        if fs.schema is None or not len(fs.schema):
            return "{null}"  # Pig prints an unknown inner schema as null
        return "{" + ",".join(f.describe() for f in fs.schema) + "}"
    if t is DataType.TUPLE:
        return "(" + (fs.schema.body() if fs.schema is not None else "null") + ")"
    if t is DataType.MAP:
        value = fs.schema.fields[0] if fs.schema is not None and len(fs.schema) else None
        return "map[" + (_type_text(value) if value is not None else "") + "]"
    return t.value


def bag_of(columns: Schema | None, tuple_name: str | None = None) -> Schema | None:
    """The inner schema of a bag whose tuples have `columns` (None stays unknown)."""
    if columns is None:
        return None
    return Schema((FieldSchema(tuple_name, DataType.TUPLE, columns),))


def bag_field(name: str | None, columns: Schema | None) -> FieldSchema:
    return FieldSchema(name, DataType.BAG, bag_of(columns))


def tuple_field(name: str | None, columns: Schema | None) -> FieldSchema:
    return FieldSchema(name, DataType.TUPLE, columns)


class AmbiguousFieldError(LookupError):
    """More than one field matches a short name (`x` with both `A::x` and `B::x`)."""

    def __init__(self, name: str, matches: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.matches = matches


@dataclass(frozen=True, slots=True)
class Schema:
    """An ordered tuple of fields; nested schemas hang off complex fields."""

    fields: tuple[FieldSchema, ...] = ()

    def __len__(self) -> int:
        return len(self.fields)

    def __iter__(self) -> Iterator[FieldSchema]:
        return iter(self.fields)

    def __getitem__(self, i: int) -> FieldSchema:
        return self.fields[i]

    @classmethod
    def of(cls, *fields: FieldSchema) -> Schema:
        return cls(tuple(fields))

    @property
    def names(self) -> list[str | None]:
        return [f.name for f in self.fields]

    def normalized(self) -> Schema:
        return Schema(tuple(f.normalized() for f in self.fields))

    def index_of(self, name: str) -> int | None:
        """Position of `name`: an exact full name wins; else a unique `..::name` suffix.

        Raises AmbiguousFieldError when the short name matches several fields.
        """
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        hits = [i for i, f in enumerate(self.fields) if f.name and _has_suffix(f.name, name)]
        if len(hits) > 1:
            raise AmbiguousFieldError(name, [self.fields[i].name or "" for i in hits])
        return hits[0] if hits else None

    def field(self, name: str) -> FieldSchema | None:
        i = self.index_of(name)
        return None if i is None else self.fields[i]

    def prefixed(self, prefix: str) -> Schema:
        """Every named field renamed `prefix::name` (JOIN, CROSS, FLATTEN)."""
        return Schema(tuple(f.renamed(f"{prefix}::{f.name}" if f.name else None) for f in self))

    def body(self) -> str:
        return ",".join(f.describe() for f in self.fields)

    def describe(self) -> str:
        """`{name: chararray,age: int}` — what DESCRIBE prints after `alias: `."""
        return "{" + self.body() + "}"

    def short(self) -> str:
        """Pig's compact form used inside error messages: `name:chararray,age:int`."""
        return ",".join(_short_field(f) for f in self.fields)

    def __str__(self) -> str:
        return self.describe()


def _has_suffix(full: str, name: str) -> bool:
    return full.endswith("::" + name)


def _short_field(f: FieldSchema) -> str:
    t = f.dtype
    if t is DataType.BAG:
        inner = f.tuple_schema
        body = "bag{" + ("tuple(" + inner.short() + ")" if inner is not None else "") + "}"
    elif t is DataType.TUPLE:
        body = "tuple(" + (f.schema.short() if f.schema is not None else "") + ")"
    else:
        body = t.value
    return f"{f.name}:{body}" if f.name else body


def describe_alias(alias: str, schema: Schema | None) -> str:
    """The full DESCRIBE line for a relation alias."""
    if schema is None:
        return f"Schema for {alias} unknown."
    return f"{alias}: {schema.describe()}"


def merge_union(schemas: Iterable[Schema | None]) -> Schema | None:
    """Positional UNION: same width and compatible types, else unknown (None)."""
    items = list(schemas)
    if not items or any(s is None for s in items):
        return None
    first = items[0]
    assert first is not None
    if any(len(s) != len(first) for s in items if s is not None):
        return None
    fields = []
    for i, fs in enumerate(first):
        merged = fs
        for other in items[1:]:
            assert other is not None
            merged = merge_field(merged, other[i], keep_name=True)
        fields.append(merged)
    return Schema(tuple(fields))


def merge_field(a: FieldSchema, b: FieldSchema, *, keep_name: bool) -> FieldSchema:
    """Pig's union merge of two fields: equal types stay, numbers widen, a bytearray takes
    the other's type, else bytearray."""
    name = a.name if (a.name is not None or not keep_name) else b.name
    ta, tb = a.dtype, b.dtype
    if ta is tb:
        if a.schema == b.schema or not ta.is_complex:
            return FieldSchema(name, ta, a.schema)
        return FieldSchema(name, ta, None)
    if ta.is_numeric and tb.is_numeric:
        return FieldSchema(name, wider_numeric(ta, tb))
    # DataType.mergeType: a bytearray yields to the other type (basic.xml, UNION: "tuple|bag|
    # map|chararray > bytearray", int > bytearray)
    if ta is DataType.BYTEARRAY:
        return FieldSchema(name, tb, b.schema)
    if tb is DataType.BYTEARRAY:
        return FieldSchema(name, ta, a.schema)
    return FieldSchema(name, DataType.BYTEARRAY)
