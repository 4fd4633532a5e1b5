"""Int and long fields of a PigStorage line converted through a table of the small ints'
texts (`codegen.Generator.small_ints`): the same values and warnings as the loader's own
casts (``pig.codegen`` false, every row through the closures), for texts the table holds
(0 to 999) and every other kind (leading zeros, signs, spaces, non-ASCII digits, too large,
bad); a field whose lookups mostly miss turns the table off after a batch, with the same
results."""

from __future__ import annotations

from pathlib import Path

from piglatin.back import codegen as CG
from tests.piglatin.storedrun import stored_run

TEXTS = [
    "0",
    "7",
    "999",
    "1000",
    "007",
    "-1",
    "+1",
    " 1",
    "1 ",
    "\uff11",
    "",
    "x",
    "1.5",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "12345678901",
]


def run(tmp: Path, script: str, out: str) -> tuple[list[str], dict]:
    stored, warnings = stored_run(tmp, script, out)
    return sorted(stored), warnings


SCRIPT = """{setting}
    A = LOAD 'in.txt' USING PigStorage('\\t') AS (n:int, l:long, s:chararray);
    B = FOREACH A GENERATE n, l, (n IS NULL ? -1 : n + 1), s;
    STORE B INTO 'OUT';"""


def test_small_int_texts_convert_as_the_casts_do(tmp_path: Path) -> None:
    rows = [f"{a}\t{b}\t{a}|{b}" for a in TEXTS for b in TEXTS]
    (tmp_path / "in.txt").write_text("\n".join(rows) + "\n")
    got = run(tmp_path, SCRIPT.format(setting=""), "on")
    off = run(tmp_path, SCRIPT.format(setting="SET pig.codegen 'false';"), "off")
    assert got == off
    assert got[1]  # bad texts warned, the same number of times either way


def test_a_field_of_large_values_turns_the_table_off(tmp_path: Path, monkeypatch) -> None:
    flags: list[list[bool]] = []
    small_ints = CG.Generator.small_ints

    def recorded(self: CG.Generator) -> tuple[str, str]:
        names = small_ints(self)
        seen = {id(f) for f in flags}
        flags.extend(v for k, v in self.ns.items() if k.startswith("_on") and id(v) not in seen)
        return names

    monkeypatch.setattr(CG.Generator, "small_ints", recorded)
    # more than one 1 MiB batch: the first all large values, small ones after
    rows = [f"{1000 + i}\t{i % 50}\tx" for i in range(120_000)]
    rows += [f"{i % 50}\t{i % 40}\ty" for i in range(60_000)]
    (tmp_path / "in.txt").write_text("\n".join(rows) + "\n")
    got = run(tmp_path, SCRIPT.format(setting=""), "on")
    off = run(tmp_path, SCRIPT.format(setting="SET pig.codegen 'false';"), "off")
    assert got == off and len(got[0]) == len(rows)
    assert [False] in flags and [True] in flags  # n's table off, l's kept (small at first)
