"""dfs.fastclass.dataclass builds the class ``dataclasses.dataclass`` builds, with any options.

Every feature class of test_frozen_classes (defaults, factories, init=False, __post_init__, a
field named self, inheritance, the decoration errors, pseudo-fields), plus classes with their own
__eq__/__hash__, is decorated by both with each combination of frozen, slots, eq and repr (and
with options only the library builds), and compared: fields, signature, docstring, match_args,
slots, params, construction, assignment and deletion, replace and copy, and equality, hashing
(or unhashability) and repr of instances.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import os  # noqa: F401 - names the annotations refer to
import re
import typing  # noqa: F401 - names the annotations refer to
from collections.abc import Iterator  # noqa: F401 - names the annotations refer to
from dataclasses import KW_ONLY, InitVar  # noqa: F401 - names the annotations refer to
from typing import ClassVar  # noqa: F401 - names the annotations refer to
from typing import ClassVar as CV  # noqa: F401, N817 - an alias the library sees through

import pytest

from dfs.fastclass import dataclass
from tests.piglatin.test_frozen_classes import FEATURES, behaviour, build, describe

OWN_METHODS = {
    "own_eq": """
class C:
    a: int
    def __eq__(self, other):
        return True
""",
    "own_hash": """
class C:
    a: int
    def __hash__(self):
        return 7
""",
    "own_eq_and_hash": """
class C:
    a: int
    def __eq__(self, other):
        return isinstance(other, C)
    def __hash__(self):
        return 8
""",
    "hash_none": """
class C:
    a: int
    __hash__ = None
""",
}

CASES = {**FEATURES, **OWN_METHODS}

OPTIONS = [
    {"frozen": frozen, "slots": slots, "eq": eq, "repr": shown}
    for frozen, slots, (eq, shown) in itertools.product(
        (False, True), (False, True), ((True, True), (False, True), (True, False))
    )
]
LIBRARY_ONLY = [{"order": True}, {"unsafe_hash": True}, {"kw_only": True}, {"init": False}]


def option_id(options: dict) -> str:
    return "-".join(f"{k}={int(v)}" for k, v in options.items())


def semantics(cls: type) -> list:
    """repr, ==, != and hash of instances made with the same and with other arguments."""
    required = [f for f in dataclasses.fields(cls) if f.init and f.default is dataclasses.MISSING]
    required = [f for f in required if f.default_factory is dataclasses.MISSING]
    try:
        a, b = cls(*range(len(required))), cls(*range(len(required)))
        c = cls(*(f"x{i}" for i in range(len(required))))
    except Exception as e:  # noqa: BLE001 - compared through behaviour()
        return [type(e).__name__]
    checks = [
        lambda: re.sub(r" at 0x[0-9a-f]+>", ">", repr(a)),  # object's own repr: no address
        lambda: (a == b, a != b, a == c, a != c, a.__eq__(object())),
        lambda: cls.__hash__ is None,
        lambda: hash(a) == hash(b),
    ]
    seen = []
    for check in checks:
        try:
            seen.append(check())
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            seen.append((type(e).__name__, str(e)))
    return seen


@pytest.mark.parametrize("options", OPTIONS, ids=option_id)
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_class_is_the_standard_librarys(name, options):
    ours = build(CASES[name], dataclass(**options))
    theirs = build(CASES[name], dataclasses.dataclass(**options))
    if isinstance(theirs, tuple):
        assert ours == theirs  # the same error
        return
    assert not isinstance(ours, tuple), ours
    assert describe(ours) == describe(theirs)
    assert behaviour(ours) == behaviour(theirs)
    assert semantics(ours) == semantics(theirs)
    assert ("__eq__" in vars(ours)) == ("__eq__" in vars(theirs))


@pytest.mark.parametrize("options", LIBRARY_ONLY, ids=option_id)
@pytest.mark.parametrize("name", ["defaults_and_factory", "subclass", "own_eq"])
def test_options_it_does_not_build_are_the_librarys(name, options):
    ours = build(CASES[name], dataclass(**options))
    theirs = build(CASES[name], dataclasses.dataclass(**options))
    assert repr(dataclasses.fields(ours)) == repr(dataclasses.fields(theirs))
    assert sorted(vars(ours)) == sorted(vars(theirs))
    assert repr(ours.__dataclass_params__) == repr(theirs.__dataclass_params__)


@pytest.mark.parametrize("base_frozen", [True, False])
def test_mixing_frozen_and_mutable_classes_is_refused_as_the_library_does(base_frozen):
    source = "class B:\n    a: int\nclass C(B):\n    b: int = 1\n"
    results = []
    for make in (dataclass, dataclasses.dataclass):
        first, second = make(frozen=base_frozen), make(frozen=not base_frozen)
        decorators = iter((first, second))
        results.append(build(source, lambda c, d=decorators: next(d)(c)))
    assert isinstance(results[0], tuple) and results[0] == results[1]


def test_a_mutable_class_assigns_and_its_plain_subclass_compares_by_the_base_fields():
    @dataclass(slots=True)
    class Point:
        x: int
        y: int = 0

    class Named(Point):
        pass

    p = Point(1)
    p.y = 3
    assert p == Point(1, 3) and repr(p).endswith("Point(x=1, y=3)")
    assert Named(1) == Named(1) and Named(1) != Point(1)
    with pytest.raises(TypeError, match="unhashable"):
        hash(p)


PSEUDO = ["ClassVar[int]", "CV[int]", "typing.ClassVar[int]", "InitVar[int]", "dataclasses.InitVar"]
PSEUDO += ["KW_ONLY", "dataclasses.KW_ONLY"]
PLAIN = ["typing.Optional[int]", "typing.Iterator[int]", "Iterator[int]", "Unknown", "list[int]"]
PLAIN += ["typing.Any", "os.PathLike"]


def annotated(annotation: str) -> type:
    """A class of this module, as ``class P: n: <annotation>; k: int = 0`` would make it."""
    body = {"__module__": __name__, "__annotations__": {"n": annotation, "k": "int"}, "k": 0}
    return type("P", (), body)


@pytest.mark.parametrize("annotation", PSEUDO + PLAIN)
def test_string_annotations_are_read_as_the_library_reads_them_in_the_class_module(annotation):
    ours = dataclass(annotated(annotation))
    theirs = dataclasses.dataclass(annotated(annotation))
    assert repr(ours.__dataclass_fields__) == repr(theirs.__dataclass_fields__)
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    if annotation in PLAIN:  # the fast build: the repr every such class shares
        assert ours.__repr__ is dataclass(annotated("int")).__repr__
