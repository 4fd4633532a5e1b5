"""A generated map pipeline converts only the input fields its own code reads
(`codegen.Generator.drop_unused_conversions`): in a multi-query job each STORE's branch gets
the LOAD's fields, and a branch that never reads a column neither converts it nor warns
about it, as Pig's column pruning and lazy casts give. Expected rows come from plain Python;
the warning count is Pig's: one per bad field of a column the script reads."""

from __future__ import annotations

import io
from pathlib import Path

from piglatin.launcher import PigServer, explain_text

SCRIPT = """A = LOAD 'w.txt' AS (n:int, k:chararray, x:int);
B = FOREACH A GENERATE n, k, x;
SPLIT B INTO P IF k == 'a', Q IF k != 'a';
G = GROUP P BY k;
S = FOREACH G GENERATE group, SUM(P.n);
STORE S INTO 'o1';
H = GROUP Q BY k;
T = FOREACH H GENERATE group, MAX(Q.x);
STORE T INTO 'o2';
"""

ROWS = [
    ("1", "a", "5"),
    ("bad", "b", "7"),  # n is read by the P branch only; this row goes to Q
    ("3", "a", "oops"),  # x is read by the Q branch only; this row goes to P
    ("4", "b", "2"),
    ("2", "a", "9"),
]


def test_each_branch_converts_only_what_it_reads(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("".join("\t".join(r) + "\n" for r in ROWS))
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as server:
        server.register_script(SCRIPT)
        warnings = {}
        for stats in server.stats:
            for name, n in stats["counters"].to_dict().get("org.apache.pig.PigWarning", {}).items():
                warnings[name] = warnings.get(name, 0) + n
    sums: dict = {}
    maxes: dict = {}
    for n, k, x in ROWS:
        if k == "a":
            sums[k] = sums.get(k, 0) + (int(n) if n.isdigit() else 0)
        else:
            maxes[k] = max(maxes.get(k, -1), int(x) if x.isdigit() else -1)
    assert (tmp_path / "o1" / "part-r-00000").read_text().split("\n")[:-1] == [
        f"{k}\t{v}" for k, v in sorted(sums.items())
    ]
    assert sorted((tmp_path / "o2" / "part-r-00000").read_text().split("\n")[:-1]) == [
        f"{k}\t{v}" for k, v in sorted(maxes.items())
    ]
    # one warning per bad field the script reads: 'bad' (n) and 'oops' (x), once each
    assert warnings == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 2}


def test_a_branch_code_has_no_conversion_of_a_column_it_does_not_read(tmp_path: Path) -> None:
    # each STORE's job on its own (a merged job runs one function for both: EXPLAIN prints it)
    code = explain_text("SET opt.multiquery false;\n" + SCRIPT, cwd=str(tmp_path))
    branches = code[code.index("Generated code") :].split("def map0_batch")[1:]
    assert len(branches) == 2
    first, second = branches
    assert "_f[0]" in first and "_f[2]" not in first  # SUM(P.n): n, not x
    assert "_f[2]" in second and "_f[0]" not in second  # MAX(Q.x): x, not n
