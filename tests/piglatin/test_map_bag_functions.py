"""Pig 0.17's KEYSET, VALUESET, VALUELIST, INVERSEMAP, SUBTRACT and REGEX_SEARCH builtins,
from their documented examples (the classes' javadoc) and against plain Python."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piglatin.functions.builtins import BuiltinError, lookup
from piglatin.launcher import PigServer


def call(name, *args):
    return lookup(name).fn(*args)


def test_documented_map_examples() -> None:
    # VALUESET/VALUELIST javadoc: [open#apache,1#2,11#2] and [apache#hadoop,3#4,12#hadoop]
    first = {"open": "apache", "1": "2", "11": "2"}
    second = {"apache": "hadoop", "3": "4", "12": "hadoop"}
    assert sorted(call("VALUESET", first)) == [("2",), ("apache",)]
    assert sorted(call("VALUESET", second)) == [("4",), ("hadoop",)]
    assert sorted(call("VALUELIST", first)) == [("2",), ("2",), ("apache",)]
    assert sorted(call("KEYSET", first)) == [("1",), ("11",), ("open",)]
    # INVERSEMAP javadoc: [open#1,1#2,11#2] -> [2#{(1),(11)},1#{(open)}] (values' text as keys)
    inverse = call("INVERSEMAP", {"open": 1, "1": 2, "11": 2})
    assert {k: sorted(v) for k, v in inverse.items()} == {"2": [("1",), ("11",)], "1": [("open",)]}
    assert call("INVERSEMAP", {"a": 1.0, "b": True}) == {"1.0": [("a",)], "true": [("b",)]}
    for name in ("KEYSET", "VALUESET", "VALUELIST", "INVERSEMAP"):
        assert call(name, None) is None
    with pytest.raises(BuiltinError, match="Wrong type"):
        call("INVERSEMAP", {"a": (1, 2)})


TUPLES = st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["x", "y", None])), max_size=12)


@given(TUPLES, TUPLES)
def test_subtract_is_the_distinct_tuples_of_the_first_bag_not_in_the_second(a, b) -> None:
    got = call("SUBTRACT", a, b)
    assert sorted(got, key=repr) == sorted(set(a) - set(b), key=repr)
    assert len(got) == len(set(got))


def test_subtract_nulls_and_wrong_types() -> None:
    assert call("SUBTRACT", None, [(1,)]) == []
    assert call("SUBTRACT", [(1,), (1,), (2,)], None) == [(1,), (2,)]
    with pytest.raises(BuiltinError, match="Expecting input to be DataBag"):
        call("SUBTRACT", [(1,)], "text")


@given(st.text(alphabet="ab1 2-", max_size=20))
def test_regex_search_finds_every_match(text) -> None:
    want = [(m.group(1),) for m in re.finditer(r"([0-9]+)", text)]
    assert call("REGEX_SEARCH", text, "([0-9]+)") == (want or None)


def test_regex_search_errors() -> None:
    assert call("REGEX_SEARCH", None, "(a)") is None
    with pytest.raises(BuiltinError, match="Mal-Formed Regular expression"):
        call("REGEX_SEARCH", "a", "(")
    with pytest.raises(BuiltinError, match="Regular expression is null"):
        call("REGEX_SEARCH", "a", None)


def test_in_a_script_with_schemas(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("[a#1,b#2,c#1]\t{(1),(2),(3)}\t{(2)}\n")
    script = """
        A = LOAD 'in.txt' AS (m:map[int], b1:bag{(x:int)}, b2:bag{(x:int)});
        B = FOREACH A GENERATE FLATTEN(SUBTRACT(b1, b2)), SIZE(VALUESET(m)), SIZE(KEYSET(m));
        DESCRIBE B;
        STORE B INTO 'out';
    """
    log = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=log) as pig:
        pig.register_script(script)
    got = sorted((tmp_path / "out" / "part-m-00000").read_text().splitlines())
    assert got == ["1\t2\t3", "3\t2\t3"]
    assert "x: int" in log.getvalue()
