"""An ORDER's carried-line proof with its untyped map fields proven once per distinct text
(`codegen.MemoProofs`, `carriedline.line_pattern`'s ``memo``/``proven`` forms).

Independent answers: the whole line's own pattern (every field proven inline, the form
checked against PigStorage's round trip by test_carried_proof.py) for the proof itself, and
the same ORDER with ``pig.exec.textPassThrough`` false (every row parsed and formatted) for
whole scripts, including the switch back to the inline form when a map's texts do not
repeat (the memo's size made tiny here)."""

from __future__ import annotations

import pytest

from piglatin.back import codegen as CG
from piglatin.model.carriedline import field_proof, line_pattern
from piglatin.model.textcomplex import carried_text_test
from tests.piglatin.storedrun import stored_run as run

TYPES = ("chararray", "int", "map", "bag", "int")
MAP_BAG = [("t", "tuple", [("p", "map", None)])]
CARRIED = (True, False, carried_text_test("map", None), carried_text_test("bag", MAP_BAG), False)
MAPS = ["", "[]", "[a#1]", "[a#1,b#2]", "[a#1,a#2]", "[b#1,a#2]", "[#x]", "[a#(1)]", "[a#1", "x"]
BAGS = ["", "{}", "{([a#1])}", "{([a#1,a#2])}", "{(1)}"]


def lines() -> list[str]:
    return [
        "\t".join((k, n, m, b, "7"))
        for k in ("w", "")
        for n in ("1", "01")
        for m in MAPS
        for b in BAGS
    ]


def test_memo_and_proven_forms_number_groups_alike_and_prove_the_same_lines() -> None:
    full = line_pattern(TYPES, CARRIED, "\t", [0, 4])
    memo = line_pattern(TYPES, CARRIED, "\t", [0, 4], [2])
    proven = line_pattern(TYPES, CARRIED, "\t", [0, 4], [2], [2])
    for name in ("k0", "t2", "k4"):
        assert memo.groupindex[name] == proven.groupindex[name]
    test = field_proof(TYPES, CARRIED, "\t", 2).fullmatch
    for line in lines() + ["a\t1\t[a#1]\t{}", "a\t1\t[a#1]\t{}\t7\tx"]:
        whole = full.fullmatch(line) is not None
        by_memo = (m := memo.fullmatch(line)) is not None and test(m["t2"]) is not None
        inline = (p := proven.fullmatch(line)) is not None and p["t2"] == ""
        assert whole == by_memo == inline, line
        if whole:
            assert m["k0"] == p["k0"] == full.fullmatch(line)["k0"]


def test_a_memo_that_keeps_missing_switches_to_the_inline_proof(monkeypatch) -> None:
    monkeypatch.setattr(CG, "_MEMO", 3)
    built = []

    def build(inline: frozenset[int]):
        built.append(inline)
        return line_pattern(TYPES, CARRIED, "\t", [0], [2], inline)

    proofs = CG.MemoProofs(build)
    proven, prove = proofs.prover(2, field_proof(TYPES, CARRIED, "\t", 2).fullmatch)
    assert [prove(t) for t in ("[a#1]", "[a#1,a#2]", "[b#1]", "[c#1]")] == [1, 0, 1, 1]
    assert proven == {"[a#1]", "[b#1]", "[c#1]"} and built == [frozenset()]
    assert [prove(t) for t in ("[d#1]", "[e#1]", "[f#1,f#2]")] == [1, 1, 0]
    assert built == [frozenset(), frozenset({2})]  # the third miss past a full memo
    m = proofs.line[0]("w\t1\t[g#1]\t{}\t7")
    assert m is not None and m["t2"] == ""


@pytest.mark.parametrize("memo", [2, 8192])
def test_order_with_map_memo_is_the_same_as_without_pass_through(tmp_path, monkeypatch, memo):
    monkeypatch.setattr(CG, "_MEMO", memo)
    made: list[CG.MemoProofs] = []

    class Recorded(CG.MemoProofs):
        def __init__(self, build) -> None:
            super().__init__(build)
            made.append(self)

    monkeypatch.setattr(CG, "MemoProofs", Recorded)
    rows = lines() * 2 + [f"w\t{i}\t[k{i}#v]\t{{}}\t7" for i in range(40)] + lines()
    (tmp_path / "in.txt").write_text("\n".join(rows) + "\n")
    script = """{}
        A = LOAD 'in.txt' AS (k:chararray, n:int, m:map[], b:bag{{t:(p:map[])}}, z:int);
        B = ORDER A BY n, k DESC; STORE B INTO 'OUT';"""
    got = run(tmp_path, script.format(""), "on")
    off = run(tmp_path, script.format("SET pig.exec.textPassThrough 'false';"), "off")
    assert got == off
    assert len(got[0]) == len(rows)
    assert made and all(p.inline == ({2} if memo == 2 else set()) for p in made)
