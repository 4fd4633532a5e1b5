"""`frozen_dataclass`: ``@dataclass(frozen=True, slots=True)`` whose ``__eq__``, ``__hash__`` and
``__repr__`` are three shared functions instead of three compiled per class.

Owns: the decorator and those three functions. Must not touch: what a class's fields are or
mean (the decorated class is an ordinary dataclass: `fields`, `replace`, `asdict`, ``match``,
frozen assignment errors and ``__init__`` are the standard library's).

Why: Python 3.11's dataclass writes and compiles six small functions for each frozen class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), about
0.1 ms each, and the syntax tree and logical plan have about a hundred node classes: every
`pig` command paid some 90 ms to build them. Equality, hashing and repr need no code of their
own per class; here they read the class's field names (taken once, when the class is
decorated) and answer exactly as the generated methods do:

- ``a == b``: ``NotImplemented`` unless ``b.__class__ is a.__class__``; else the tuples of the
  fields with ``compare=True`` are compared;
- ``hash(a)``: the hash of the tuple of the fields with ``hash=True``, or ``hash=None`` and
  ``compare=True``;
- ``repr(a)``: ``QualName(f=value!r, ...)`` over the fields with ``repr=True``; ``...`` for an
  object met again while its own repr is being made.

A class that defines ``__repr__`` keeps it, as with dataclass; one that defines ``__eq__`` or
``__hash__`` is refused (use ``@dataclass`` for those). Instances of a plain (undecorated)
subclass answer with the fields of the nearest decorated class, as inherited generated methods
would.

>>> @frozen_dataclass
... class Pair:
...     a: int
...     b: str = "x"
>>> Pair(1) == Pair(1, "x"), hash(Pair(1)) == hash((1, "x")), Pair(1)
(True, True, Pair(a=1, b='x'))
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

__all__ = ["frozen_dataclass"]

T = TypeVar("T", bound=type)


class _Shape(NamedTuple):
    """What the shared methods read of one class."""

    compared: Callable[[Any], tuple]  # the compare=True fields' values, as a tuple
    hashed: Callable[[Any], tuple]  # the hashed fields' values, as a tuple
    shown: tuple[str, ...]  # the repr=True fields' names


_SHAPES: dict[type, _Shape] = {}


def frozen_dataclass(cls: T) -> T:
    """``@dataclass(frozen=True, slots=True)`` with the shared ``__eq__``/``__hash__``/
    ``__repr__`` (see the module docstring)."""
    own = vars(cls)
    if "__eq__" in own or own.get("__hash__", dataclasses.MISSING) is not dataclasses.MISSING:
        raise TypeError(f"{cls.__qualname__} defines __eq__ or __hash__: use @dataclass")
    keep_repr = "__repr__" in own
    cls = dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)(cls)
    fields = dataclasses.fields(cls)
    _SHAPES[cls] = _Shape(
        _values(tuple(f.name for f in fields if f.compare)),
        _values(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))),
        tuple(f.name for f in fields if f.repr),
    )
    cls.__eq__ = _eq
    cls.__hash__ = _hash
    if not keep_repr:
        cls.__repr__ = _repr
    return cls


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """A function from an object to the tuple of its attributes `names` (C speed)."""
    if len(names) > 1:
        return attrgetter(*names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:  # a plain subclass: the nearest decorated class's fields
        base = next(c for c in cls.__mro__ if c in _SHAPES)
        shape = _SHAPES[cls] = _SHAPES[base]
    return shape


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = _shape(self.__class__).compared
    return compared(self) == compared(other)


def _hash(self: Any) -> int:
    return hash(_shape(self.__class__).hashed(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _shape(self.__class__).shown)
    return f"{self.__class__.__qualname__}({shown})"
