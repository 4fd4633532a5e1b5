"""What an RPC protocol allows: its method names, signatures and argument types, checked at the
server before a service sees a call (a wrong type from the wire is refused, not half-applied).

Owns only introspection of the `typing.Protocol` classes in `dfs.protocol`; it neither encodes
nor sends anything (that is `dfs.rpc`). Lists and tuples count as the same sequence, since a
client may pass either; an int passes where a float is annotated; an annotation it cannot read
(or `Any`) accepts anything.

>>> from typing import Protocol
>>> class P(Protocol):
...     def f(self, path: str, ids: tuple[int, ...] = ()) -> None: ...
>>> spec = method_specs(P)["f"]
>>> spec.check(["/a", [1, 2]]) is None, spec.check([3])
(True, "f: argument 'path' must be str, got int")
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

from dfs.fastclass import dataclass

_SEQUENCES = (list, tuple, collections.abc.Sequence)
_SETS = (set, frozenset, collections.abc.Set)
_MAPPINGS = (dict, collections.abc.Mapping)
_dataclass_hints: dict[type, dict[str, Any]] = {}


@dataclass(frozen=True)
class MethodSpec:
    """One protocol method: its signature (with self) and resolved parameter annotations."""

    name: str
    signature: inspect.Signature
    hints: dict[str, Any]
    # (fewest arguments, ((name, check or None), ...)) when every parameter after self is a
    # plain positional one; then `check` need not bind the signature (the RPC hot path)
    _positional: tuple[int, tuple] | None = dataclasses.field(
        init=False, repr=False, compare=False, default=None
    )

    def __post_init__(self) -> None:
        params = list(self.signature.parameters.values())[1:]
        plain = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        if all(p.kind in plain for p in params):
            fewest = sum(p.default is inspect.Parameter.empty for p in params)
            hints = self.hints
            checks = tuple(
                (p.name, _checker(hints[p.name]) if p.name in hints else None) for p in params
            )
            object.__setattr__(self, "_positional", (fewest, checks))

    def check(self, args: list) -> str | None:
        """None when `args` fit the signature and annotations, else the reason."""
        fast = self._positional
        if fast is not None and fast[0] <= len(args) <= len(fast[1]):
            for (name, ok), value in zip(fast[1], args):
                if ok is not None and not ok(value):
                    return self._wrong_type(name, value)
            return None
        try:
            bound = self.signature.bind(None, *args)
        except TypeError as e:
            return f"wrong arguments for {self.name}: {e}"
        for name, value in list(bound.arguments.items())[1:]:
            hint = self.hints.get(name)
            if hint is not None and not conforms(value, hint):
                return self._wrong_type(name, value)
        return None

    def _wrong_type(self, name: str, value: Any) -> str:
        hint = describe(self.hints[name])
        return f"{self.name}: argument {name!r} must be {hint}, got {type(value).__name__}"

    def positional(self, args: tuple, kwargs: dict[str, Any]) -> tuple:
        """Keyword arguments turned into positional ones (the wire carries a list)."""
        bound = self.signature.bind(None, *args, **kwargs)
        return tuple(bound.args[1:])


def method_specs(protocols: type | Iterable[type]) -> dict[str, MethodSpec]:
    """name -> MethodSpec for every public method the protocol class(es) define."""
    classes = [protocols] if isinstance(protocols, type) else list(protocols)
    specs: dict[str, MethodSpec] = {}
    for cls in classes:
        for klass in reversed(cls.__mro__):
            if klass.__module__ in ("builtins", "typing"):
                continue
            for name, fn in vars(klass).items():
                if not name.startswith("_") and inspect.isfunction(fn):
                    specs[name] = MethodSpec(name, inspect.signature(fn), _hints(fn))
    return specs


def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # an annotation that does not resolve is simply not checked
        return {}


def _checker(hint: Any) -> Callable[[Any], bool] | None:
    """`conforms` for one annotation, made once: a plain class (and `X | None` of one) is a
    bare isinstance; None when anything goes."""
    if hint is None or hint is Any or hint is object:
        return None if hint is not None else (lambda value: value is None)
    args = typing.get_args(hint)
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args
    plain = [a for a in args if a is not type(None)] if optional else [hint]
    if len(plain) == 1 and _is_plain(plain[0]):
        cls = plain[0]
        if optional:
            return lambda value: value is None or isinstance(value, cls)
        return lambda value: isinstance(value, cls)
    return lambda value: conforms(value, hint)


def _is_plain(hint: Any) -> bool:
    """A class whose `conforms` is exactly isinstance (see `_conforms_plain`)."""
    return (
        isinstance(hint, type)
        and not typing.get_args(hint)
        and hint not in (float, list, tuple)
        and not dataclasses.is_dataclass(hint)
    )


def conforms(value: Any, hint: Any) -> bool:
    """Does a decoded wire value fit the annotation `hint`?"""
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(conforms(value, arg) for arg in typing.get_args(hint))
    if origin is None:
        return _conforms_plain(value, hint)
    args = typing.get_args(hint)
    if origin in _SEQUENCES or origin in _SETS:
        return _conforms_collection(value, origin, args)
    if origin in _MAPPINGS:
        key, val = args if len(args) == 2 else (Any, Any)
        return isinstance(value, dict) and all(
            conforms(k, key) and conforms(v, val) for k, v in value.items()
        )
    if origin is typing.Literal:
        return value in args
    return True


def _conforms_plain(value: Any, hint: Any) -> bool:
    if not isinstance(hint, type):
        return True
    if hint is float:
        return isinstance(value, (int, float))
    if hint in (list, tuple):
        return isinstance(value, (list, tuple))
    if not isinstance(value, hint):
        return False
    if dataclasses.is_dataclass(hint):
        if hint not in _dataclass_hints:
            _dataclass_hints[hint] = _hints(hint)
        hints = _dataclass_hints[hint]
        return all(
            conforms(getattr(value, f.name), hints.get(f.name, Any))
            for f in dataclasses.fields(hint)
        )
    return True


def _conforms_collection(value: Any, origin: Any, args: tuple) -> bool:
    if origin in _SETS:
        if not isinstance(value, (set, frozenset, list, tuple)):
            return False
    elif not isinstance(value, (list, tuple)):
        return False
    if origin is tuple and args and args[-1] is not Ellipsis:
        return len(value) == len(args) and all(map(conforms, value, args))
    element = args[0] if args else Any
    return all(conforms(v, element) for v in value)


def describe(hint: Any) -> str:
    """A readable name for an annotation: ``str``, ``int | None``, ``list[tuple[int, str]]``."""
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "").replace("NoneType", "None")
