"""piglatin.model.frozen: the shared __eq__/__hash__/__repr__ answer as dataclass's own do.

Every node class of the syntax tree and the logical plan is compared with a twin made by the
standard library (``@dataclass(frozen=True, slots=True)`` over the same fields, the same
compare/hash/repr flags): on any field values, equal pairs, hashes and reprs must agree,
including against other classes, for plain subclasses, and for an object that contains itself.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.front import ast as A
from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L


def decorated_classes() -> list[type]:
    shared = A.Node.__eq__  # the one function every decorated class has
    return [
        obj
        for module in (A, L)
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and obj.__module__ == module.__name__
        and dataclasses.is_dataclass(obj)
        and obj.__eq__ is shared
    ]


CLASSES = decorated_classes()


@functools.cache
def twin_of(cls: type) -> type:
    """The same fields (and flags) as a standard-library frozen, slotted dataclass."""
    spec = [
        (f.name, f.type, dataclasses.field(compare=f.compare, hash=f.hash, repr=f.repr))
        for f in dataclasses.fields(cls)
    ]
    twin = dataclasses.make_dataclass(cls.__name__, spec, frozen=True, slots=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def make(cls: type, values: dict) -> object:
    """An instance with these field values, not through __init__ (no __post_init__ checks)."""
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


VALUES = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.text("ab", max_size=2),
    st.tuples(st.integers(0, 2)),
    st.booleans(),
)


def test_every_node_class_is_decorated():
    assert len(CLASSES) >= 100  # ast.py's and logical.py's node classes
    for cls in CLASSES:
        names = [f.name for f in dataclasses.fields(cls)]
        obj = make(cls, dict.fromkeys(names, 1))
        for name in names[:1]:
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, name, 2)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
@settings(max_examples=10, deadline=None)
def test_eq_hash_repr_as_the_standard_dataclass(cls, data):
    twin = twin_of(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    rows = [{n: data.draw(VALUES) for n in names} for _ in range(3)]
    rows.append(dict(rows[0]))  # an equal pair for sure
    if names:  # and one that differs in one field only
        rows.append({**rows[0], names[-1]: "other"})
    ours = [make(cls, r) for r in rows]
    theirs = [make(twin, r) for r in rows]
    for a, ta in zip(ours, theirs):
        assert repr(a) == repr(ta)
        assert hash(a) == hash(ta)
        for b, tb in zip(ours, theirs):
            assert (a == b) == (ta == tb)
            assert (a != b) == (ta != tb)
        assert a.__eq__(object()) is NotImplemented
        assert (a == 1) is False and (ta == 1) is False


def test_instances_of_two_classes_with_the_same_fields_differ():
    assert A.Star(line=1) != A.Star(line=2) or A.Star() == A.Star()
    assert A.FieldRef("x") == A.FieldRef("x", line=3, column=4)  # positions are not compared
    assert hash(A.FieldRef("x")) == hash(A.FieldRef("x", line=3))
    assert A.FieldRef("x") != A.PosRef(0) and A.PosRef(0) != A.FieldRef("x")


def test_a_plain_subclass_answers_with_its_base_fields():
    @frozen_dataclass
    class Base:
        a: int
        b: list = dataclasses.field(default_factory=list, compare=False, repr=False)

    twin = twin_of(Base)

    class Sub(Base):
        pass

    class TwinSub(twin):
        pass

    TwinSub.__qualname__ = Sub.__qualname__
    assert repr(Sub(1)) == repr(make(TwinSub, {"a": 1, "b": []}))
    assert repr(Sub(1)).endswith(".Sub(a=1)")
    assert (Sub(1) == Base(1)) == (make(TwinSub, {"a": 1}) == make(twin, {"a": 1})) is False
    assert Sub(1) == Sub(1, [2]) and hash(Sub(1)) == hash((1,))


def test_an_object_inside_itself_reprs_as_dataclass_does():
    @frozen_dataclass
    class Box:
        items: list

    twin = twin_of(Box)
    box, tbox = Box([]), make(twin, {"items": []})
    box.items.append(box)
    tbox.items.append(tbox)
    assert repr(box) == repr(tbox)
    assert repr(box).endswith(".Box(items=[...])")


def test_own_repr_is_kept_and_own_eq_refused():
    @frozen_dataclass
    class Shown:
        a: int

        def __repr__(self) -> str:
            return "mine"

    assert repr(Shown(1)) == "mine" and Shown(1) == Shown(1)
    with pytest.raises(TypeError, match="__eq__ or __hash__"):

        @frozen_dataclass
        class Compared:
            a: int

            def __eq__(self, other: object) -> bool:
                return True
