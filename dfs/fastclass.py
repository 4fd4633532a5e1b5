"""`dataclass`: ``dataclasses.dataclass`` built without compiling anything per class at import
time, and `frozen_dataclass`, its frozen (by default slotted) form.

Owns: the two decorators, their shared ``__eq__``/``__hash__``/``__repr__``/``__setattr__``/
``__delattr__``, and the compiled ``__init__`` functions (kept by `dfs.codecache.INIT_CODE`).
Must not touch: what a class's fields are or mean: the decorated class is an ordinary dataclass
(`fields`, `replace`, `asdict`, ``match``, ``FrozenInstanceError``, ``__init__``'s signature and
errors are the standard library's). It lives in dfs, the bottom package, so every package's
classes can use it (dependencies point piglatin -> mapred -> dfs).

Why: Python 3.11's dataclass writes and compiles up to six small functions for each class
(``__init__``, ``__repr__``, ``__eq__``, and for a frozen one ``__hash__``, ``__setattr__``,
``__delattr__``), 0.3 to 0.8 ms a class, and a `pig` command builds some 200 classes before
its first job (the syntax tree, the logical plan, the job specs, the trackers' messages). Here:

- equality, hashing and repr are three functions shared by every class, reading the class's
  field names (taken once, when the class is decorated) and answering exactly as the generated
  methods do: ``a == b`` is ``NotImplemented`` unless ``b.__class__ is a.__class__``, else the
  tuples of the ``compare=True`` fields are compared; ``hash(a)`` hashes the tuple of the
  fields with ``hash=True`` (or ``hash=None`` and ``compare=True``); ``repr(a)`` is
  ``QualName(f=value!r, ...)`` over the ``repr=True`` fields, ``...`` for an object met again
  while its own repr is being made. A class's own ``__eq__``/``__repr__``/``__hash__`` is kept,
  and ``__hash__`` is set (or set to None) by the standard library's table;
- a frozen class's assignment and deletion are two shared functions doing what Python 3.11's
  generated ones do: ``FrozenInstanceError`` for a field (or any name, on an instance of a dict
  class itself), and for any other name their ``super(cls, self)`` call (a ``TypeError`` for a
  slotted class, whose ``cls`` is the class as it was before slots were added);
- ``__init__`` is the text Python 3.11's dataclass generates for the class, compiled once and
  kept (as `marshal` data, keyed by the interpreter's bytecode version and the text itself) in
  the user's cache directory, so a later process only loads it: the same function, ~3 us
  instead of ~0.2 ms. No cache (unwritable directory, ``MINIHADOOP_NO_CODE_CACHE=1``) means it
  is compiled each time, nothing else.

Each field is a copy of a field the standard library made (for a one-field class, once), given
the name, annotation, default and ``field()`` options the library would give it, so
``dataclasses.fields`` and ``replace`` see the library's own kind of fields. Anything this path
does not reproduce (another Python version, ``init=False``, ``order``, ``unsafe_hash``,
``kw_only``, ``weakref_slot``, ``match_args=False``, ``InitVar``/``ClassVar``/``KW_ONLY``
fields, a keyword-only ``field()``, the library's decoration errors such as a mutable default,
a base that is not such a class, a metaclass, a class defining ``__init__``, ``__setattr__``,
``__slots__`` ...) goes through ``dataclasses.dataclass`` itself.

>>> @dataclass(frozen=True)
... class Pair:
...     a: int
...     b: str = "x"
>>> Pair(1) == Pair(1, "x"), hash(Pair(1)) == hash((1, "x")), Pair(1)
(True, True, Pair(a=1, b='x'))
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import reprlib
import sys
import typing
from collections.abc import Callable
from dataclasses import KW_ONLY, MISSING, Field, FrozenInstanceError, InitVar
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple, TypeVar

from dfs.codecache import INIT_CODE

__all__ = ["dataclass", "frozen_dataclass"]

T = TypeVar("T", bound=type)


# Both named tuples are made by NamedTuple's functional form, their field types given as
# objects: in a class body they would be strings (``from __future__ import annotations``),
# each compiled by NamedTuple (typing.ForwardRef), and the first compile() of a process costs
# ~10M instructions (the compiler's AST types are set up) that a pig run otherwise never pays.

#: What the shared methods read of one class: the compare=True fields' values as a tuple, the
#: hashed fields' values, the repr=True fields' names, every field's name (frozen against
#: assignment and deletion), the class as decorated (before its slotted copy was made).
_Shape = NamedTuple(  # noqa: UP014 - see above
    "_Shape",
    [
        ("compared", Callable[[Any], tuple]),
        ("hashed", Callable[[Any], tuple]),
        ("shown", tuple[str, ...]),
        ("names", frozenset[str]),
        ("before_slots", type),
    ],
)

#: The options the fast path builds (the others are the standard library's defaults).
_Flags = NamedTuple(  # noqa: UP014 - see above
    "_Flags", [("repr", bool), ("eq", bool), ("frozen", bool), ("slots", bool)]
)


_SHAPES: dict[type, _Shape] = {}
# a decorated class's fields and the class as decorated, until its first equality, hash, repr
# or assignment reads its `_Shape` (most classes a command imports are never compared)
_UNREAD: dict[type, tuple[list[Field], type]] = {}
_FAST: set[type] = set()  # the classes built by the fast path (it accepts only them as bases)


class _HasDefaultFactory:
    """The default of an ``__init__`` parameter whose field has a default_factory."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _HasDefaultFactory()


def dataclass(
    cls: T | None = None,
    /,
    *,
    init: bool = True,
    repr: bool = True,  # noqa: A002 - dataclasses.dataclass's own parameter names
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
    weakref_slot: bool = False,
) -> Any:
    """``dataclasses.dataclass`` with the same parameters and the same class (see the module
    docstring for what is shared instead of compiled)."""
    options = {
        "init": init,
        "repr": repr,
        "eq": eq,
        "order": order,
        "unsafe_hash": unsafe_hash,
        "frozen": frozen,
        "match_args": match_args,
        "kw_only": kw_only,
        "slots": slots,
        "weakref_slot": weakref_slot,
    }
    if cls is None:
        return lambda c: dataclass(c, **options)
    standard = order or unsafe_hash or kw_only or weakref_slot or not (init and match_args)
    flags = _Flags(repr, eq, frozen, slots)
    fast = None if standard else _fast_fields(cls, flags)
    if fast is None:
        return dataclasses.dataclass(cls, **options)
    return _build(cls, *fast, flags)


def frozen_dataclass(cls: T | None = None, /, *, slots: bool = True) -> Any:
    """``@dataclass(frozen=True, slots=True)``; ``@frozen_dataclass(slots=False)`` is
    ``@dataclass(frozen=True)``. A class defining ``__eq__`` or ``__hash__`` is refused (use
    ``@dataclass``), so equality and hashing are always the fields'."""
    if cls is None:
        return lambda c: frozen_dataclass(c, slots=slots)
    own = vars(cls)
    if "__eq__" in own or own.get("__hash__", MISSING) is not MISSING:
        raise TypeError(f"{cls.__qualname__} defines __eq__ or __hash__: use @dataclass")
    return dataclass(cls, frozen=True, slots=slots)


# ------------------------------------------------------------------ the fast path
_OWN_REFUSED = frozenset(
    ("__init__", "__setattr__", "__delattr__", "__slots__", "__getstate__", "__setstate__")
)


def _fast_fields(cls: type, flags: _Flags) -> tuple[dict[str, Field], list[Field], Any] | None:
    """(every field by name, the class's own fields, the twin's __dataclass_params__) when
    the fast path reproduces the standard library for this class, else None."""
    if sys.version_info[:2] != (3, 11) or type(cls) is not type:
        return None
    own = vars(cls)
    if not _OWN_REFUSED.isdisjoint(own):
        return None
    bases = cls.__mro__[1:-1]
    if any(base not in _FAST or base.__dataclass_params__.frozen != flags.frozen for base in bases):
        return None  # a plain base, or the library's frozen/non-frozen inheritance error
    annotations = own.get("__annotations__", {})
    if not all(type(a) is str for a in annotations.values()):
        return None
    for name in annotations:
        if name not in own and _inherits(cls, bases, name):
            return None  # an inherited attribute would be its default: the library's path
    fields: dict[str, Field] = {}
    for base in reversed(bases):
        fields.update(base.__dataclass_fields__)
    found = _own_fields(cls, annotations)
    if found is None:
        return None
    mine, params = found
    for f in mine:
        fields[f.name] = f
    if not _valid_order(fields.values()):
        return None  # the library's error
    return fields, mine, params


def _inherits(cls: type, bases: tuple[type, ...], name: str) -> bool:
    """``hasattr(cls, name)`` for a name not in the class's own dict, without raising (and
    formatting) an AttributeError for each field that has no default: a plain class's
    attributes are its `bases`' (its MRO but itself and `object`), `object`'s and its
    metaclass's (`type`); a name `type` or `object` defines asks ``hasattr`` itself (a
    descriptor there may still refuse)."""
    if name in _TYPE_NAMES:
        return hasattr(cls, name)
    return bool(bases) and any(name in vars(base) for base in bases)


_TYPE_NAMES = frozenset(vars(type)) | frozenset(vars(object))


def _valid_order(fields: Any) -> bool:
    """No ``__init__`` parameter without a default after one with a default."""
    seen_default = False
    for f in fields:
        if f.init:
            if not (f.default is MISSING and f.default_factory is MISSING):
                seen_default = True
            elif seen_default:
                return False
    return True


def _own_fields(cls: type, annotations: dict[str, str]) -> tuple[list[Field], Any] | None:
    """The class's own fields as the standard library reads them and a
    ``__dataclass_params__`` for the class, or None when the library's path must read them
    (pseudo-fields, keyword-only fields, or one of its decoration errors).

    Each field is the library's: ``field(default=...)`` for a plain default (or none), a copy
    of the ``field()`` the class gives, named and typed (`_own_field`). No string annotation
    goes through the library's three regular-expression matches (is it ClassVar, InitVar,
    KW_ONLY?), the costliest part of reading a field: `_maybe_pseudo` answers the same
    question once, erring towards the library's own path."""
    own = vars(cls)
    module = sys.modules.get(cls.__module__)
    if module is None:
        return None
    namespace = vars(module)
    if any(_maybe_pseudo(a, namespace) for a in annotations.values()):
        return None
    for name, value in own.items():
        if isinstance(value, Field) and name not in annotations:
            return None  # the library's error
    mine = []
    for name, annotation in annotations.items():
        f = _own_field(name, annotation, own.get(name, MISSING))
        if f is None:
            return None
        mine.append(f)
    return mine, _copied(_TEMPLATE_PARAMS)


def _own_field(name: str, annotation: str, value: Any) -> Field | None:
    """The field the library reads for ``name: annotation = value`` (no pseudo-field), or
    None for a keyword-only field and for the library's errors (a mutable default)."""
    f = _copied(_TEMPLATE_FIELD)  # field(default=MISSING) as the library makes it
    f.name, f.type = name, annotation
    if isinstance(value, Field):
        if value.kw_only is True:
            return None
        f.default, f.default_factory, f.init = value.default, value.default_factory, value.init
        f.repr, f.hash, f.compare, f.metadata = (
            value.repr,
            value.hash,
            value.compare,
            value.metadata,
        )
    else:
        f.default = value
    if f.default.__class__.__hash__ is None:
        return None  # the library's mutable default error
    return f


@dataclasses.dataclass
class _Template:
    """What the library makes of a one-field class: its field and its parameters are the
    patterns `_own_field` and `_own_fields` copy."""

    x: object


_TEMPLATE_FIELD = dataclasses.fields(_Template)[0]
_TEMPLATE_PARAMS = _Template.__dataclass_params__


def _copied(template: Any) -> Any:
    """A copy of `template`, an object of a class with ``__slots__`` (a Field, the library's
    class parameters): every slot's value, as ``copy.copy`` makes it, a few times faster."""
    kind = type(template)
    new = kind.__new__(kind)
    for name, value in _slot_values(template):
        setattr(new, name, value)
    return new


@functools.cache
def _slot_values(template: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((name, getattr(template, name)) for name in type(template).__slots__)


# dataclasses' reading of a string annotation: an optional module name, then the name it looks
# up in the class's module (`dataclasses._is_type`)
_FIRST_NAMES = re.compile(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")


@functools.lru_cache(maxsize=4096)
def _first_names(annotation: str) -> tuple[str | None, str] | None:
    """The optional module name and the name `_FIRST_NAMES` reads in `annotation` (the same
    texts recur: ``str``, ``int``, ``L.LogicalOperator``, ...)."""
    match = _FIRST_NAMES.match(annotation)
    return None if match is None else match.groups()


def _maybe_pseudo(annotation: str, namespace: dict[str, Any]) -> bool:
    """Whether the standard library could read `annotation` (of a class of the module whose
    globals are `namespace`) as ``ClassVar``, ``InitVar`` or ``KW_ONLY``."""
    names = _first_names(annotation)
    if names is None:
        return False
    module_name, name = names
    if module_name and namespace.get(module_name) not in (typing, dataclasses):
        return False
    found = namespace.get(name)
    if found is ClassVar or found is InitVar or found is KW_ONLY or isinstance(found, InitVar):
        return True
    return type(found).__module__ == "typing" and getattr(found, "__origin__", None) is ClassVar


def _build(cls: T, fields: dict[str, Field], mine: list[Field], params: Any, flags: _Flags) -> T:
    """The class as ``dataclass(repr=, eq=, frozen=, slots=)`` makes it (Python 3.11's
    `_process_class` and `_add_slots`, in the same order). A slotted class is made once, by
    `_slotted`, with every attribute the library would have set on the class before copying
    it: setting them on the class first would only have CPython update its slots for each."""
    own = vars(cls)
    params.init, params.repr, params.eq, params.frozen = True, flags.repr, flags.eq, flags.frozen
    listed = list(fields.values())
    attrs: dict[str, Any] = {"__dataclass_params__": params, "__dataclass_fields__": fields}
    attrs["__init__"] = _LazyInit(cls, listed, flags)
    if flags.repr and "__repr__" not in own:
        attrs["__repr__"] = _repr
    if flags.eq and "__eq__" not in own:
        attrs["__eq__"] = _eq
    if flags.frozen:
        attrs["__setattr__"] = _setattr
        attrs["__delattr__"] = _delattr
    if flags.eq and not _has_explicit_hash(own):
        attrs["__hash__"] = _hash if flags.frozen else None
    if "__match_args__" not in own:
        attrs["__match_args__"] = tuple(f.name for f in listed if f.init)
    if not flags.slots or "__new__" in own:  # inspect.signature reads the class's __init__
        for f in mine:
            if isinstance(own.get(f.name), Field):
                if f.default is MISSING:
                    delattr(cls, f.name)
                else:
                    setattr(cls, f.name, f.default)
        for name, value in attrs.items():
            setattr(cls, name, value)
        attrs = {}
        vars(cls)["__init__"].__set_name__(cls, "__init__")
    if not cls.__doc__:
        attrs["__doc__"] = cls.__name__ + _text_signature(cls, listed).replace(" -> None", "")
    if flags.slots:
        made = _slotted(cls, attrs, tuple(fields), flags.frozen)
    else:
        made = cls
        for name, value in attrs.items():
            setattr(cls, name, value)
    _UNREAD[made] = (listed, cls)
    _FAST.add(made)
    return made


def _has_explicit_hash(own: Any) -> bool:
    """The library's test: a ``__hash__`` of the class's own, not the None that defining
    ``__eq__`` puts there."""
    class_hash = own.get("__hash__", MISSING)
    return not (class_hash is MISSING or (class_hash is None and "__eq__" in own))


def _text_signature(cls: type, fields: list[Field]) -> str:
    """``str(inspect.signature(cls))``, written directly when its ``__init__`` decides it (the
    class defines no ``__new__``): every parameter has a string annotation."""
    if "__new__" in vars(cls):
        try:
            return str(inspect.signature(cls))
        except (TypeError, ValueError):
            return ""
    params = []
    for f in fields:
        if not f.init:
            continue
        text = f"{f.name}: {f.type!r}"
        if f.default is not MISSING:
            text += f" = {f.default!r}"
        elif f.default_factory is not MISSING:
            text += f" = {_HAS_DEFAULT_FACTORY!r}"
        params.append(text)
    return f"({', '.join(params)}) -> None"


def _slotted(cls: type, attrs: dict[str, Any], names: tuple[str, ...], frozen: bool) -> type:
    """The class again, with `attrs` and ``__slots__`` for its new fields (`_add_slots`)."""
    body = dict(cls.__dict__)
    body.update(attrs)
    if isinstance(body["__init__"], _LazyInit):  # (inspect.signature may have built it)
        body["__init__"] = body["__init__"].copy()  # its owner: the class made here
    inherited = {s for base in cls.__mro__[1:-1] for s in base.__dict__.get("__slots__", ())}
    body["__slots__"] = tuple(n for n in names if n not in inherited)
    for name in names:
        body.pop(name, None)
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    if frozen:
        body["__getstate__"] = _getstate
        body["__setstate__"] = _setstate
    body["__qualname__"] = cls.__qualname__
    return type(cls)(cls.__name__, cls.__bases__, body)


class _LazyInit:
    """A class's ``__init__`` until it is first read (an instance made, ``cls.__init__``,
    ``inspect.signature``): then the function `_init_function` makes (the one the library
    would have set) takes its place on the class, and is what that read gets. Most classes a
    command imports never make an instance: their ``__init__`` is never built."""

    __slots__ = ("source", "fields", "flags", "owner")

    def __init__(self, source: type, fields: list[Field], flags: _Flags) -> None:
        self.source = source  # the class as decorated (its module, its __post_init__)
        self.fields = fields
        self.flags = flags
        self.owner: type | None = None  # the class this is the __init__ of

    def copy(self) -> _LazyInit:
        return _LazyInit(self.source, self.fields, self.flags)

    def __set_name__(self, owner: type, name: str) -> None:
        if self.owner is None:
            self.owner = owner

    def __get__(self, obj: Any, kind: type | None = None) -> Any:
        init = self.function()
        return init if obj is None else init.__get__(obj, kind)

    def function(self) -> Callable:
        owner = self.owner
        found = vars(owner).get("__init__")
        if found is not self:  # built already (by another thread), or replaced
            return found
        init = _init_function(self.source, self.fields, self.flags)
        init.__qualname__ = f"{self.source.__qualname__}.__init__"
        type.__setattr__(owner, "__init__", init)
        return init


def _init_function(cls: type, fields: list[Field], flags: _Flags) -> Callable:
    """`__init__` as `dataclasses._init_fn` writes it for a class without pseudo-fields or
    keyword-only fields."""
    self_name = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    names: dict[str, Any] = {f"_type_{f.name}": f.type for f in fields}
    names.update(
        MISSING=MISSING,
        _HAS_DEFAULT_FACTORY=_HAS_DEFAULT_FACTORY,
        __dataclass_builtins_object__=object,
    )
    body = [line for f in fields if (line := _field_init(f, names, self_name, flags))]
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    params = ",".join([self_name, *(_init_param(f) for f in fields if f.init)])
    names["_return_type"] = None
    lines = "\n".join(f"  {b}" for b in body or ["pass"])
    text = (
        f"def __create_fn__({', '.join(names)}):\n"
        f" def __init__({params})->_return_type:\n{lines}\n return __init__"
    )
    module = sys.modules.get(cls.__module__)
    scope: dict[str, Any] = {}
    exec(INIT_CODE.code(text), module.__dict__ if module else {}, scope)  # noqa: S102 - our text
    return scope["__create_fn__"](**names)


def _field_init(f: Field, names: dict[str, Any], self_name: str, flags: _Flags) -> str | None:
    """The line of ``__init__`` setting field `f` (`dataclasses._field_init`)."""
    default_name = f"_dflt_{f.name}"
    if f.default_factory is not MISSING:
        names[default_name] = f.default_factory
        if f.init:
            value = f"{default_name}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
        else:
            value = f"{default_name}()"
    elif f.init:
        if f.default is not MISSING:
            names[default_name] = f.default
        value = f.name
    elif flags.slots and f.default is not MISSING:  # else the class attribute holds the default
        names[default_name] = f.default
        value = default_name
    else:
        return None
    if flags.frozen:
        return f"__dataclass_builtins_object__.__setattr__({self_name},{f.name!r},{value})"
    return f"{self_name}.{f.name}={value}"


def _init_param(f: Field) -> str:
    if f.default is MISSING and f.default_factory is MISSING:
        default = ""
    elif f.default is not MISSING:
        default = f"=_dflt_{f.name}"
    else:
        default = "=_HAS_DEFAULT_FACTORY"
    return f"{f.name}:_type_{f.name}{default}"


# ------------------------------------------------------------------ the shared methods
def _shape_of(fields: Any, before_slots: type) -> _Shape:
    fields = tuple(fields)
    return _Shape(
        _values(tuple(f.name for f in fields if f.compare)),
        _values(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))),
        tuple(f.name for f in fields if f.repr),
        frozenset(f.name for f in fields),
        before_slots,
    )


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
    if shape is None:  # read first, or a plain subclass: the nearest decorated class's fields
        base = next(c for c in cls.__mro__ if c in _FAST)
        shape = _SHAPES.get(base)
        if shape is None:  # (not popped from _UNREAD: another thread may be here too)
            shape = _SHAPES[base] = _shape_of(*_UNREAD[base])
        _SHAPES[cls] = shape
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


def _setattr(self: Any, name: str, value: Any) -> None:
    shape = _shape(type(self))
    if type(self) is shape.before_slots or name in shape.names:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")
    _next(self, shape.before_slots, "__setattr__")(self, name, value)


def _delattr(self: Any, name: str) -> None:
    shape = _shape(type(self))
    if type(self) is shape.before_slots or name in shape.names:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
    _next(self, shape.before_slots, "__delattr__")(self, name)


def _next(obj: Any, owner: type, method: str) -> Callable:
    """What ``super(owner, obj).<method>`` gives in the generated method of class `owner` (the
    class as decorated): the next class's own method in the MRO; the generated methods of
    decorated bases on the way answer as theirs would (their fields are among `owner`'s). A
    slotted class's `owner` is not in the MRO: the library's ``super`` raises TypeError."""
    mro = type(obj).__mro__
    if owner not in mro:
        return getattr(super(owner, obj), method)  # raises TypeError, as the library's does
    for c in mro[mro.index(owner) + 1 :]:
        found = c.__dict__.get(method)
        if found is None:
            continue
        if found in (_setattr, _delattr):
            before = _shape(c).before_slots
            if before is not c:
                return getattr(super(before, obj), method)  # the library's TypeError
            continue
        return found
    raise AssertionError("object defines " + method)  # pragma: no cover - object has both


def _getstate(self: Any) -> list:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list) -> None:
    for f, value in zip(dataclasses.fields(self), state):
        object.__setattr__(self, f.name, value)
