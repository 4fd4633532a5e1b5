"""Number fields that do not convert, repeated on many lines (a web log's '-', a sheet's 'n/a'):
each occurrence is null with its warning counted, whatever the loader remembers of the texts
it has cast before, and the values of texts Java takes through Double.valueOf (' 7', '1e3') are
Pig's. Checked against the documented rules (Utf8StorageConverter: Integer.valueOf, else
Double.valueOf in range, else null with a warning), the generated code and the closures."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

# text -> (int value or None, the warning it gives)
INT_TEXTS = {
    "12": (12, None),
    "-": (None, "FIELD_DISCARDED_TYPE_CONVERSION_FAILED"),
    "n/a": (None, "FIELD_DISCARDED_TYPE_CONVERSION_FAILED"),
    "1e3": (1000, None),  # Double.valueOf, then its int value
    " 7": (7, None),  # Integer.valueOf refuses the space; Double.valueOf trims it
    "7 ": (7, None),  # the same at the end (a text not ending in a digit is still a number)
    "8d": (8, None),  # Double.valueOf takes Java's double suffix
    "9999999999": (None, "TOO_LARGE_FOR_INT"),
    "": (None, None),  # an empty field is null without a warning
}
SCRIPT = """
A = LOAD 'in' AS (id:int, n:int, d:double);
B = FOREACH A GENERATE id, n, d;
STORE B INTO 'out';
"""


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.sampled_from(sorted(INT_TEXTS)), min_size=1, max_size=60))
def test_each_bad_field_is_null_and_warned(tmp_path_factory, codegen, picks):
    tmp: Path = tmp_path_factory.mktemp("bad")
    rows = picks * 40  # every text many times: past what any cache holds at first sight
    doubles = ["2.5", "-", "x", "1e3", "1.", "4 "]
    lines = [f"{i}\t{t}\t{doubles[i % 6]}\n" for i, t in enumerate(rows)]
    (tmp / "in").write_text("".join(lines))
    with PigServer("local", cwd=tmp, out=io.StringIO(), properties={"pig.codegen": codegen}) as pig:
        pig.register_script(SCRIPT)
        stats = list(pig.stats)
    warned = stats[0]["counters"].to_dict().get("org.apache.pig.PigWarning", {})
    got = {}
    for part in sorted((tmp / "out").glob("part-*")):
        for line in part.read_text().split("\n")[:-1]:
            i, n, d = line.split("\t")
            got[int(i)] = (int(n) if n else None, float(d) if d else None)
    want_double = {"2.5": 2.5, "-": None, "x": None, "1e3": 1000.0, "1.": 1.0, "4 ": 4.0}
    assert got == {i: (INT_TEXTS[t][0], want_double[doubles[i % 6]]) for i, t in enumerate(rows)}
    want = Counter(INT_TEXTS[t][1] for t in rows if INT_TEXTS[t][1])
    want["FIELD_DISCARDED_TYPE_CONVERSION_FAILED"] += sum(
        1 for i in range(len(rows)) if doubles[i % 6] in ("-", "x")
    )
    assert warned == {k: v for k, v in want.items() if v}
