"""A hash join whose rows are only written sends each side's part of the output record
through the shuffle (`joinfragments`): PigStorage text (an input field's own text where it
is what Pig writes for its value) or msgpack values for a later job. The output must be
Pig's: null keys never match, outer sides are padded with nulls, a bad field is null and
warned about once, numbers are written as Java writes them. Expected lines come from a plain
Python join and a table of each spelling's Java text written here, with code generation on
and off."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

# a double field's text -> Java's Double.toString of what Pig reads (None: a bad field)
DOUBLES = {
    "": None,
    "1.5": "1.5",
    "0.5000": "0.5",
    "100.0": "100.0",
    "1e3": "1000.0",
    "1.0E7": "1.0E7",
    "12345678.0": "1.2345678E7",
    "9999999.5": "9999999.5",
    "0.001": "0.001",
    "0.0001": "1.0E-4",
    "-0.0": "-0.0",
    "0.0": "0.0",
    "-2.25": "-2.25",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "abc": None,
    "1.2.3": None,
}
# an int field's text -> Java's text of Integer.valueOf's value (None: a bad field)
INTS = {"": None, "0": "0", "7": "7", "-12": "-12", "007": "7", "-0": "0", "x": None}
LONGS = {"": None, "5": "5", "-9000000000": "-9000000000", "0012": "12", "y1": None}
BAD = {"abc", "1.2.3", "x", "y1"}

KEYS = st.sampled_from(["a", "b", "c", ""])  # an empty field is a null key
LEFT = st.lists(
    st.tuples(KEYS, st.sampled_from(sorted(DOUBLES)), st.sampled_from(sorted(INTS))), max_size=20
)
RIGHT = st.lists(
    st.tuples(KEYS, st.sampled_from(["p", "q", ""]), st.sampled_from(sorted(LONGS))), max_size=12
)
KINDS = ["", "LEFT OUTER", "RIGHT OUTER", "FULL OUTER"]


def run(tmp: Path, left: list, right: list, script: str, codegen: str) -> tuple[list, dict]:
    """The stored lines (sorted) and the job's warnings."""
    (tmp / "l.txt").write_text("".join("\t".join(r) + "\n" for r in left))
    (tmp / "r.txt").write_text("".join("\t".join(r) + "\n" for r in right))
    with PigServer("local", cwd=tmp, out=io.StringIO()) as pig:
        pig.register_script(f"SET pig.codegen {codegen};\n" + script)
        warned: dict = {}
        for s in pig.stats:
            for k, v in s["counters"].to_dict().get("org.apache.pig.PigWarning", {}).items():
                warned[k] = warned.get(k, 0) + v
    out: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        out += part.read_text().splitlines()
    return sorted(out), warned


def joined(left: list, right: list, kind: str) -> list[tuple]:
    """Plain Python's join of the texts, by key (an empty key never matches), padded with
    nulls (None) on the outer sides."""
    rows = []
    for lrow in left:
        ms = [r for r in right if lrow[0] and r[0] == lrow[0]]
        if not ms and kind in ("LEFT OUTER", "FULL OUTER"):
            ms = [(None, None, None)]
        rows += [lrow + r for r in ms]
    if kind in ("RIGHT OUTER", "FULL OUTER"):
        rows += [
            (None, None, None) + r for r in right if not any(r[0] and r[0] == x[0] for x in left)
        ]
    return rows


def text(row: tuple) -> tuple:
    """Each field as Pig writes it ('' for null; a text not in the tables is its own)."""
    k, x, n, rk, s, m = row
    out = [k, DOUBLES.get(x, x), INTS.get(n, n), rk, s, LONGS.get(m, m)]
    return tuple(v or "" for v in out)


def warnings(left: list, right: list) -> int:
    return sum(1 for r in left for f in r[1:] if f in BAD) + sum(1 for r in right if r[2] in BAD)


SCRIPT = """L = LOAD 'l.txt' AS (k:chararray, x:double, n:int);
    R = LOAD 'r.txt' AS (k:chararray, s:chararray, m:long);
    J = JOIN L BY k {kind}, R BY k;
    """


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=LEFT, right=RIGHT, kind=st.sampled_from(KINDS))
def test_joined_lines_are_pigs(codegen, left, right, kind) -> None:
    script = SCRIPT.format(kind=kind) + "STORE J INTO 'out';"
    with tempfile.TemporaryDirectory() as tmp:
        lines, warned = run(Path(tmp), left, right, script, codegen)
    assert lines == sorted("\t".join(text(r)) for r in joined(left, right, kind))
    n = warnings(left, right)
    assert warned == ({"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": n} if n else {})


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=LEFT, right=RIGHT, kind=st.sampled_from(KINDS))
def test_projected_joined_lines_are_pigs(codegen, left, right, kind) -> None:
    """Some columns of each side, left before right (the parts), or right before left (the
    rows, formatted on the reduce side)."""
    script = SCRIPT.format(kind=kind)
    script += "P = FOREACH J GENERATE L::x, R::m, R::s; Q = FOREACH J GENERATE R::m, L::n;\n"
    script += "STORE P INTO 'out'; STORE Q INTO 'out2';"
    with tempfile.TemporaryDirectory() as tmp:
        lines, _ = run(Path(tmp), left, right, script, codegen)
        second = sorted(
            line
            for p in sorted((Path(tmp) / "out2").glob("part-*"))
            for line in p.read_text().splitlines()
        )
    rows = [text(r) for r in joined(left, right, kind)]
    assert lines == sorted("\t".join((r[1], r[5], r[4])) for r in rows)
    assert second == sorted("\t".join((r[5], r[2])) for r in rows)


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=LEFT, right=RIGHT, kind=st.sampled_from(KINDS))
def test_joined_records_for_a_later_job(codegen, left, right, kind) -> None:
    """Rows a later job reads (an ORDER) are the msgpack records of the joined rows."""
    script = SCRIPT.format(kind=kind) + "D = ORDER J BY R::s, L::n; STORE D INTO 'out';"
    with tempfile.TemporaryDirectory() as tmp:
        lines, _ = run(Path(tmp), left, right, script, codegen)
    assert lines == sorted("\t".join(text(r)) for r in joined(left, right, kind))


def test_big_keys_spill_and_stream(tmp_path: Path) -> None:
    """A key with more held rows than `pig.join.spill.records` and more right rows than one
    batch: every combination once, in both text and record form."""
    left = [("a", f"{i}.5", str(i)) for i in range(300)] + [("b", "1.0", "1")]
    right = [("a", f"s{j}", str(j)) for j in range(40)] + [("c", "t", "")]
    script = "SET pig.join.spill.records 50;\n" + SCRIPT.format(kind="FULL OUTER")
    script += "STORE J INTO 'out'; D = ORDER J BY R::m; STORE D INTO 'out2';"
    lines, _ = run(tmp_path, left, right, script, "true")
    second = sorted(
        line for p in (tmp_path / "out2").glob("part-*") for line in p.read_text().splitlines()
    )
    want = sorted("\t".join(text(r)) for r in joined(left, right, "FULL OUTER"))
    assert len(want) == 300 * 40 + 2
    assert lines == want
    assert second == want


def test_a_bytearray_value_is_written_as_its_bytes(tmp_path: Path) -> None:
    """A field without a type is a bytearray, written raw: its side's part is bytes."""
    (tmp_path / "l.txt").write_bytes(b"a\t\xc3\xa9t\xc3\xa9\nb\tx\n\tnull\n")
    (tmp_path / "r.txt").write_bytes(b"a\t1\nc\t2\n")
    script = """L = LOAD 'l.txt' AS (k:chararray, v);
        R = LOAD 'r.txt' AS (k:chararray, w:int);
        J = JOIN L BY k FULL OUTER, R BY k;
        STORE J INTO 'out';"""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    data = b"".join(p.read_bytes() for p in sorted((tmp_path / "out").glob("part-*")))
    want = [b"a\t\xc3\xa9t\xc3\xa9\ta\t1", b"b\tx\t\t", b"\tnull\t\t", b"\t\tc\t2"]
    assert sorted(data.splitlines()) == sorted(want)


@pytest.mark.parametrize(
    ("mode", "sets"),
    [
        ("mapreduce", "SET default_parallel 2;"),
        ("local", "SET pig.exec.mapKeyGroups false;"),
    ],
)
def test_parts_on_the_cluster_and_without_key_groups(tmp_path: Path, mode: str, sets: str) -> None:
    """The embedded cluster (two reducers) and map output without key groups (one record per
    row) give the same lines and records."""
    left = [(k, d, n) for k, d, n in zip("abcab" * 40, sorted(DOUBLES) * 12, sorted(INTS) * 30)]
    right = [(k, s, m) for k, s, m in zip("bcdd" * 5, "pq" * 10, sorted(LONGS) * 5)]
    (tmp_path / "l.txt").write_text("".join("\t".join(r) + "\n" for r in left))
    (tmp_path / "r.txt").write_text("".join("\t".join(r) + "\n" for r in right))
    out, out2 = (tmp_path / "out").as_uri(), (tmp_path / "out2").as_uri()
    script = sets + SCRIPT.format(kind="FULL OUTER").replace(
        "'l.txt'", f"'{tmp_path.as_uri()}/l.txt'"
    )
    script = script.replace("'r.txt'", f"'{tmp_path.as_uri()}/r.txt'")
    script += f"STORE J INTO '{out}'; D = ORDER J BY R::s; STORE D INTO '{out2}';"
    with PigServer(mode, cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    want = sorted("\t".join(text(r)) for r in joined(left, right, "FULL OUTER"))
    for name in ("out", "out2"):
        parts = sorted((tmp_path / name).glob("part-*"))
        assert sorted(x for p in parts for x in p.read_text().splitlines()) == want


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_a_field_read_before_the_join_is_converted_once(tmp_path: Path, codegen: str) -> None:
    """A double a FILTER reads is converted (and a bad one warned about) once, and its part
    of the joined line is its text when that is Pig's, else the value formatted."""
    left = [("a", x, "1") for x in sorted(DOUBLES)] + [("b", "abc", "x")]
    right = [("a", "p", "5"), ("b", "q", "6")]
    script = """L = LOAD 'l.txt' AS (k:chararray, x:double, n:int);
        F = FILTER L BY x IS NULL OR x > -1.0;
        R = LOAD 'r.txt' AS (k:chararray, s:chararray, m:long);
        J = JOIN F BY k, R BY k;
        STORE J INTO 'out';"""
    lines, warned = run(tmp_path, left, right, script, codegen)
    kept = [r for r in left if DOUBLES[r[1]] is None or float(r[1]) > -1.0]
    assert lines == sorted("\t".join(text(r)) for r in joined(kept, right, ""))
    bad = sum(1 for r in left for f in r[1:] if f in BAD)
    assert warned == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": bad}
