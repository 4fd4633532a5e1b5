"""dfs.fastclass reads a class's fields for equality, hashing and repr when one of them first
runs: that first use gives the library's answers, from any thread, on the class or a plain
subclass, before or after the other methods ran."""

from __future__ import annotations

import sys
import threading
from dataclasses import FrozenInstanceError, dataclass as std_dataclass

import pytest

from dfs.fastclass import dataclass, frozen_dataclass


def _fresh_classes(n: int) -> list[type]:
    out = []
    for i in range(n):
        ns: dict = {"__module__": __name__, "__annotations__": {"a": "int", "b": "str"}, "b": "x"}
        out.append(frozen_dataclass(type(f"P{i}", (), ns)))
    return out


def test_the_first_hash_from_many_threads_at_once() -> None:
    classes = _fresh_classes(300)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def use() -> None:
        try:
            start.wait()
            for i, c in enumerate(classes):
                assert hash(c(i)) == hash((i, "x"))
                assert c(i) == c(i, "x")
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=use) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []


@pytest.mark.parametrize("first", ["repr", "eq", "hash", "setattr", "subclass"])
def test_each_method_can_be_the_first(first: str) -> None:
    (fast,) = _fresh_classes(1)

    @std_dataclass(frozen=True, slots=True)
    class Std:
        a: int
        b: str = "x"

    f, s = fast(1), Std(1)
    if first == "repr":
        assert repr(f) == "P0(a=1, b='x')" and repr(s).endswith(".Std(a=1, b='x')")
    elif first == "eq":
        assert (f == fast(1, "x"), f == fast(2)) == (s == Std(1, "x"), s == Std(2))
    elif first == "hash":
        assert hash(f) == hash(s)
    elif first == "setattr":
        with pytest.raises(FrozenInstanceError):
            f.a = 2
    else:
        sub = type("Sub", (fast,), {"__slots__": ()})
        assert sub(1) != f and repr(sub(1)) == "Sub(a=1, b='x')" and hash(sub(1)) == hash(s)
    assert hash(f) == hash(s) and repr(f) == "P0(a=1, b='x')" and f == fast(1)


def test_a_plain_dataclass_subclass_reads_its_own_fields_first() -> None:
    @dataclass
    class Base:
        a: int

    @dataclass
    class Child(Base):
        b: int = 2

    assert repr(Child(1)).endswith(".<locals>.Child(a=1, b=2)")
    assert Child(1) == Child(1, 2) and Base(1) != Child(1)
    assert repr(Base(1)).endswith("Base(a=1)")
