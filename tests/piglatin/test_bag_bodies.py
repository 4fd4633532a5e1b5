"""A bag of one-map tuples in an ORDER's carried line, proven once per distinct map
(`codegen.MemoProofs.bag_prover`, `textcomplex.map_bag_bodies`, `carriedline.line_pattern`'s
shape of such a field's group), and a double written by a map-only STORE as its own text
when `carriedline.number_pattern` proves it (`codegen.Generator.proven_text`).

Independent answers: PigStorage's full round trip (its byte path reads the line, its
formatter writes it: tests/piglatin/test_order_fast.py's `round_trip`) for every line the
generated ORDER code writes, over bags remixed from the bodies of bags proven before (bodies
in other places, other separators and ends, bodies the memo holds joined into a bag the
pattern refuses); the same scripts with ``pig.codegen`` off and Java's Double.toString
texts written out by hand for the STORE."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back import codegen as CG
from piglatin.model.carriedline import line_pattern
from piglatin.model.textcomplex import MAP_BAG_SEP, carried_text_test, map_bag_bodies
from tests.piglatin.storedrun import stored_run
from tests.piglatin.test_order_fast import bag_texts, pass_through, round_trip

MAP_BAG = [("t", "tuple", [("p", "map", None)])]
BAG = carried_text_test("bag", MAP_BAG)


def line(bag: str) -> str:
    return f"k\t1\t2\t0.5\t[a#1]\t{bag}\ts"


@st.composite
def remixed(draw) -> list[str]:
    """Bags, then bags made of their maps' bodies (and odd ones) joined in any order,
    with the right or a wrong separator or end."""
    pool = draw(st.lists(bag_texts(), min_size=1, max_size=4))
    bodies = [b for t in pool for b in map_bag_bodies(t) or ()]
    bodies += ["", "a#1", "a#1,a#2", "{([a#1", "a#1])}", "a#1]),([b#2"]
    made = []
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(st.sampled_from(bodies), max_size=4))
        sep = draw(st.sampled_from([MAP_BAG_SEP] * 4 + ["]),(", "])([", "]) ,(["]))
        start = draw(st.sampled_from(["{(["] * 4 + ["{(", "{ ([", "([", "{{(["]))
        end = draw(st.sampled_from(["])}"] * 4 + ["]}", "])} ", "])", "])}}"]))
        made.append(start + sep.join(parts) + end)
    return pool + made


@settings(max_examples=300, deadline=None)
@given(remixed(), st.sampled_from([(0,), (1,), (3, 0)]))
def test_bags_of_proven_maps_are_written_as_the_round_trip_writes_them(bags, by) -> None:
    run, _ = pass_through(by)
    text = [line(b) for b in bags]
    out = run(None, text)
    assert [t for _, t in out] == [round_trip(x)[0] for x in text]


def test_the_group_takes_the_forms_of_every_carried_bag() -> None:
    """The memo group's shape refuses no bag the field's own pattern takes (else the line
    would be parsed for nothing) and holds every one of them whole."""
    types = ("chararray", "bag")
    memo = line_pattern(types, (True, BAG), "\t", (), [1])
    assert memo is not None
    for bag in ["", "{}", "{([])}", "{([a#1]),([b#2,c#3])}", "{([a#1]),([])}", "{([a#]),([a#])}"]:
        assert BAG(bag) is not None or bag == ""
        m = memo.fullmatch(f"k\t{bag}")
        assert m is not None and m["t1"] == bag
    for odd in ["{", "}", "{(", "{([", "{([a#1])", "([a#1])}", "{([)}", "{(])}", "{([a#1]) }"]:
        assert memo.fullmatch(f"k\t{odd}") is None


def test_bodies_are_only_the_maps_of_the_bag() -> None:
    assert map_bag_bodies("{([a#1]),([]),([b#2,c#3])}") == ["a#1", "", "b#2,c#3"]
    assert map_bag_bodies("{}") is None
    for short in ["", "{", "{(", "{([", "{([]", "{([)}", "])}"]:
        assert map_bag_bodies(short) is None


def test_a_bag_memo_that_keeps_missing_switches_to_the_inline_proof(monkeypatch) -> None:
    monkeypatch.setattr(CG, "_MEMO", 3)
    types = ("chararray", "bag")
    built = []

    def build(inline: frozenset[int]) -> re.Pattern:
        built.append(inline)
        pattern = line_pattern(types, (True, BAG), "\t", (), [1], inline)
        assert pattern is not None
        return pattern

    proofs = CG.MemoProofs(build)
    bodies, prove = proofs.bag_prover(1, BAG)
    assert prove("{([a#1]),([b#1])}") and not prove("{([a#1,a#2])}")
    assert bodies == {"a#1", "b#1"}
    assert prove("{([c#1]),([d#1])}") and bodies == {"a#1", "b#1", "c#1"}  # full
    assert [prove(b) for b in ("{([e#1])}", "{([f#1,f#1])}")] == [True, False]
    assert built == [frozenset()]
    assert prove("{([g#1])}") and built == [frozenset(), frozenset({1})]
    m = proofs.line[0]("k\t{([h#1])}")
    assert m is not None and m["t1"] == ""


@pytest.mark.parametrize("memo", [2, 8192])
def test_order_of_many_bags_is_the_same_as_without_pass_through(tmp_path, monkeypatch, memo):
    monkeypatch.setattr(CG, "_MEMO", memo)
    maps = ["[]", "[a#1]", "[a#1,b#2]", "[b#1,a#2]", "[a#1,a#2]", "[a#(1)]", "[#1]"]
    rows = [
        f"w{i % 7}\t{i % 5}\t{{{','.join(f'({maps[(i * j) % len(maps)]})' for j in range(i % 4))}}}"
        for i in range(300)
    ]
    rows += [f"u\t{i}\t{{([k{i}#v]),([a#1])}}" for i in range(40)] + ["x\t\t", "y\t3\t{(1)}"]
    (tmp_path / "in.txt").write_text("\n".join(rows) + "\n")
    script = """{}
        A = LOAD 'in.txt' AS (k:chararray, n:int, b:bag{{t:(p:map[])}});
        B = ORDER A BY n, k DESC; STORE B INTO 'OUT';"""
    got = stored_run(tmp_path, script.format(""), "on")
    off = stored_run(tmp_path, script.format("SET pig.exec.textPassThrough 'false';"), "off")
    assert got == off
    assert len(got[0]) == len(rows)


# ----------------------------------------------------------------- a STORE's doubles
# Java's Double.toString of what Double.valueOf reads (null and a warning for what it refuses)
DOUBLES = {
    "569.17": "569.17",
    "1.50": "1.5",
    "1e3": "1000.0",
    "0.0001": "1.0E-4",
    "0.001": "0.001",
    "12345678.9": "1.23456789E7",
    "9999999.5": "9999999.5",
    "-0.25": "-0.25",
    "-0.0": "-0.0",
    "5.0": "5.0",
    "0.1000000000000001": "0.1000000000000001",
    "1234567.12345678901": "1234567.123456789",
    "": "",
    "abc": "",
    "1_0.5": "",
}


def test_a_map_only_store_writes_doubles_as_java_does(tmp_path: Path) -> None:
    texts = list(DOUBLES)
    rows = [f"{'ab'[i % 2]}\t{t}\tz{i}" for i, t in enumerate(texts)]
    (tmp_path / "in.txt").write_text("\n".join(rows) + "\n")
    (tmp_path / "side.txt").write_text("a\nb\n")
    for how in ("", "SET pig.codegen 'false';"):
        for query in (
            "C = FILTER A BY k != 'c';",
            "S = LOAD 'side.txt' AS (k:chararray); C = JOIN A BY k, S BY k USING 'replicated';",
        ):
            script = f"""{how}
                A = LOAD 'in.txt' AS (k:chararray, d:double, s:chararray);
                {query} STORE C INTO 'OUT';"""
            out = f"o{len(list(tmp_path.iterdir()))}"
            got, warned = stored_run(tmp_path, script, out)
            written = {line.split("\t")[2]: line.split("\t")[1] for line in got}
            assert written == {f"z{i}": DOUBLES[t] for i, t in enumerate(texts)}, (how, query)
            assert sum(warned.values()) == 2, (how, query, warned)
