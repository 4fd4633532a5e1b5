"""frozen_dataclass builds each class without the standard library's code generation; the
class must be the one ``@dataclass(frozen=True, slots=True)`` builds.

Every node class of the syntax tree and the logical plan, and a set of small classes covering
the dataclass features (defaults, factories, init=False, __post_init__, a field named self,
inheritance, the decoration errors, ClassVar/InitVar/KW_ONLY, which take the library's own
path), is compared with a twin the standard library makes from the same definition: fields,
signature, generated docstring, __match_args__, __slots__, the __init__'s annotations and
errors, construction, frozen assignment and deletion, replace and copy.
(eq/hash/repr are compared in test_frozen_dataclass.py.)
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect

import pytest

from piglatin.front import ast as A
from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

STD = dataclasses.dataclass(frozen=True, slots=True)
STD_DICT = dataclasses.dataclass(frozen=True)  # frozen, no slots


def node_classes() -> list[type]:
    shared = A.Node.__eq__
    return [
        obj
        for module in (A, L)
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and obj.__module__ == module.__name__
        and dataclasses.is_dataclass(obj)
        and obj.__eq__ is shared
    ]


def own_field(f: dataclasses.Field) -> dataclasses.Field:
    return dataclasses.field(
        default=f.default,
        default_factory=f.default_factory,
        init=f.init,
        repr=f.repr,
        hash=f.hash,
        compare=f.compare,
        metadata=f.metadata or None,
    )


@functools.cache
def std_twin(cls: type) -> type:
    """The standard library's class from cls's own definition, over the twins of its bases."""
    bases = tuple(std_twin(b) for b in cls.__bases__ if b is not object)
    annotations = dict(vars(cls).get("__annotations__", {}))
    body: dict = {"__module__": cls.__module__, "__annotations__": annotations}
    by_name = cls.__dataclass_fields__
    for name in annotations:
        body[name] = own_field(by_name[name])
    if "__post_init__" in vars(cls):
        body["__post_init__"] = vars(cls)["__post_init__"]
    generated = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    body["__doc__"] = None if cls.__doc__ == generated else cls.__doc__
    twin = STD(type(cls.__name__, bases or (object,), body))
    twin.__qualname__ = cls.__qualname__
    return twin


def describe(cls: type) -> dict:
    """What the two classes must share."""
    return {
        "fields": [
            (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare)
            + (dict(f.metadata), f.kw_only)
            for f in dataclasses.fields(cls)
        ],
        "signature": str(inspect.signature(cls)),
        "doc": cls.__doc__,
        "match_args": cls.__match_args__,
        "slots": vars(cls).get("__slots__"),
        "params": repr(cls.__dataclass_params__),
        "init_annotations": cls.__init__.__annotations__,
        "init_defaults": repr(cls.__init__.__defaults__),
        "has_dict": hasattr(cls, "__dict__") and "__dict__" in dir(cls),
    }


def outcome(call) -> tuple:
    """(True, state) or (exception type name, message)."""
    try:
        obj = call()
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return (type(e).__name__, str(e))
    return (True, [getattr(obj, f.name, "<unset>") for f in dataclasses.fields(obj)])


def behaviour(cls: type) -> list:
    """Construction with several argument shapes, then frozen assignment/deletion, replace and
    copy on an instance."""
    params = [p for p in inspect.signature(cls).parameters.values()]
    required = [p for p in params if p.default is inspect.Parameter.empty]
    args = [(i,) for i in range(len(required))]
    seen = [
        outcome(lambda: cls(*args)),
        outcome(lambda: cls(*args[:-1])) if args else outcome(lambda: cls(1)),
        outcome(lambda: cls(*args, *range(len(params) + 1))),
        outcome(lambda: cls(*args, no_such_field=1)),
        outcome(lambda: cls(**{p.name: (7,) for p in params})),
    ]
    try:
        obj = cls(*args)
    except Exception:  # noqa: BLE001 - construction itself was compared above
        return seen
    names = [f.name for f in dataclasses.fields(cls)]
    for name in [*names[:2], "no_such_field"]:
        seen.append(outcome(lambda n=name: setattr(obj, n, 1) or obj))
        seen.append(outcome(lambda n=name: delattr(obj, n) or obj))
    if names:
        init_names = [f.name for f in dataclasses.fields(cls) if f.init]
        changes = {init_names[0]: "changed"} if init_names else {}
        seen.append(outcome(lambda: dataclasses.replace(obj, **changes)))
    seen.append(outcome(lambda: copy.copy(obj)))
    seen.append(outcome(lambda: copy.deepcopy(obj)))
    return seen


NODES = node_classes()


def test_the_node_classes_are_all_here():
    assert len(NODES) >= 100


@pytest.mark.parametrize("cls", NODES, ids=lambda c: c.__name__)
def test_a_node_class_is_the_standard_librarys(cls):
    twin = std_twin(cls)
    assert describe(cls) == describe(twin)
    assert behaviour(cls) == behaviour(twin)


# ------------------------------------------------------------------ feature classes
HEADER = "from __future__ import annotations\nfrom dataclasses import field, InitVar, KW_ONLY\n"
HEADER += "from typing import ClassVar\n"

FEATURES = {
    "defaults_and_factory": """
class C:
    a: int
    b: str = "x"
    c: list = field(default_factory=list)
    d: int = field(default=3, compare=False, repr=False, hash=False, metadata={"k": 1})
""",
    "init_false": """
class C:
    a: int
    b: int = field(default=5, init=False)
    c: dict = field(default_factory=dict, init=False)
    d: int = field(init=False, repr=False)
""",
    "post_init_checks": '''
class C:
    """Has a docstring."""
    a: int
    b: int = 0
    def __post_init__(self):
        if self.a == (0,):
            raise ValueError("a must not be (0,)")
''',
    "a_field_named_self": """
class C:
    self: int
    other: int = 1
""",
    "subclass": """
class B:
    a: int
    b: int = 2
class C(B):
    b: int = 5
    c: str = "c"
""",
    "a_default_showing_arrow": """
class C:
    a: str = " -> None"
""",
    "own_repr_kept": """
class C:
    a: int
    def __repr__(self):
        return "mine"
""",
    "no_fields": """
class C:
    pass
""",
    # what the standard library refuses: the same error
    "non_default_after_default": """
class C:
    a: int = 1
    b: int
""",
    "inherited_non_default_after_default": """
class B:
    a: int = 1
class C(B):
    b: int
""",
    "mutable_default": """
class C:
    a: list = []
""",
    "field_without_annotation": """
class C:
    a: int
    b = field(default=1)
""",
    "kw_only_twice": """
class C:
    a: int
    _: KW_ONLY
    b: int = 1
    __: KW_ONLY
""",
    # the library's own path (pseudo-fields, keyword-only fields, a plain base, own __init__)
    "class_var": """
class C:
    a: int
    n: ClassVar[int] = 3
""",
    "init_var": """
class C:
    a: int
    scale: InitVar[int] = 1
    def __post_init__(self, scale):
        object.__setattr__(self, "a", self.a * scale)
""",
    "kw_only": """
class C:
    a: int
    _: KW_ONLY
    b: int = 1
    c: int = field(default=2, kw_only=True)
""",
    "plain_base": """
class P:
    def twice(self):
        return 2 * self.a
class C(P):
    a: int
""",
    "own_init": """
class C:
    a: int
    def __init__(self, a):
        object.__setattr__(self, "a", a + 1)
""",
    "reannotated_base_field": """
class B:
    a: int
class C(B):
    a: str
""",
}


def build(source: str, decorate) -> type | tuple[str, str]:
    """Run `source`, decorating every class it defines in turn; the last class, or the error."""
    ns: dict = {"__name__": __name__}
    exec(HEADER, ns)  # noqa: S102 - test source
    lines = source.strip("\n").splitlines()
    blocks, current = [], []
    for line in lines:
        if line.startswith("class ") and current:
            blocks.append(current)
            current = []
        current.append(line)
    blocks.append(current)
    last = None
    for block in blocks:
        name = block[0].split()[1].split("(")[0].rstrip(":")
        exec("\n".join(block), ns)  # noqa: S102 - test source
        try:
            ns[name] = last = decorate(ns[name])
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return (type(e).__name__, str(e))
    return last


@pytest.mark.parametrize("slots", [True, False], ids=["slots", "dict"])
@pytest.mark.parametrize("name", sorted(FEATURES))
def test_a_feature_class_is_the_standard_librarys(name, slots):
    ours = build(FEATURES[name], frozen_dataclass if slots else frozen_dataclass(slots=False))
    theirs = build(FEATURES[name], STD if slots else STD_DICT)
    if isinstance(theirs, tuple):
        assert ours == theirs  # the same error
        return
    assert not isinstance(ours, tuple), ours
    assert describe(ours) == describe(theirs)
    assert behaviour(ours) == behaviour(theirs)
    if "__repr__" in FEATURES[name]:
        assert repr(ours(1)) == "mine"


@pytest.mark.parametrize("slots", [True, False], ids=["slots", "dict"])
def test_a_plain_subclass_assigns_as_the_standard_librarys(slots):
    ours = build(FEATURES["subclass"], frozen_dataclass(slots=slots))
    theirs = build(FEATURES["subclass"], STD if slots else STD_DICT)

    class PlainOurs(ours):
        pass

    class PlainTheirs(theirs):
        pass

    for cls in (PlainOurs, PlainTheirs):
        cls.__qualname__ = "Plain"
    assert behaviour(PlainOurs) == behaviour(PlainTheirs)
    assert PlainOurs(1).__dict__ == PlainTheirs(1).__dict__


@pytest.mark.parametrize("base_slots", [True, False], ids=["slotted_base", "dict_base"])
def test_a_hierarchy_mixing_slotted_and_dict_classes_is_the_standard_librarys(base_slots):
    def decorators(ours: bool):
        slotted = frozen_dataclass if ours else STD
        plain = frozen_dataclass(slots=False) if ours else STD_DICT
        return (slotted, plain) if base_slots else (plain, slotted)

    made = {}
    for ours in (True, False):
        first, second = decorators(ours)
        ns: dict = {"__name__": __name__}
        exec(HEADER + "class B:\n    a: int\n    b: int = 2\n", ns)  # noqa: S102 - test source
        base = first(ns["B"])
        sub = second(
            type("C", (base,), {"__module__": __name__, "__annotations__": {"c": "str"}, "c": "c"})
        )

        class Plain(sub):
            pass

        Plain.__qualname__ = "Plain"
        made[ours] = (base, sub, Plain)
    for mine, theirs in zip(made[True], made[False], strict=True):
        assert describe(mine) == describe(theirs)
        assert behaviour(mine) == behaviour(theirs)
