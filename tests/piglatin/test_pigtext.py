"""The tests' own writer of Pig's text forms (pigtext.py) against forms from Pig's docs
(DUMP output in Pig Latin Basics) and Java's Double.toString rules."""

from __future__ import annotations

from tests.piglatin.pigtext import java_double, pig_text


def test_pig_text_writes_pig_forms() -> None:
    assert pig_text((1, None, "a", True)) == "(1,,a,true)"
    assert pig_text((1, [(2,), (3, "x")], {"k": 2.5})) == "(1,{(2),(3,x)},[k#2.5])"
    assert [java_double(x) for x in (4.0, 0.1, 1 / 3, 1e7, 1.5e-4, -2e10, 0.0)] == [
        "4.0",
        "0.1",
        "0.3333333333333333",
        "1.0E7",
        "1.5E-4",
        "-2.0E10",
        "0.0",
    ]
