"""Scripts that LOAD without a typed schema get the generated map-side fold too: a GROUP's
SUM/AVG/MIN/MAX of a bytearray column fold inline as doubles, the cast written inline, and
bytearray GROUP keys are encoded inline. Answers come from plain Python computing Pig's
documented ones (a bytearray read as a number is Java's ``Double.valueOf`` of its text: it
trims the characters up to ' ', takes NaN, Infinity and an f/d suffix, and anything else is
null; COUNT counts the non-null bytearrays, numeric or not; keys compare as bytes), and are
compared with the same script run with ``SET pig.codegen false`` (the closures), warning
counters included: the builtins convert bytearrays without a warning, so both count none."""

from __future__ import annotations

import io
import math
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.codegen import Generator, Pipeline
from piglatin.launcher import PigServer
from piglatin.model import data

TEXTS = [
    "12", "", "n/a", "1e3", " 7", "-0", "NaN", "1_000", "2.5", "-3", "0x10", "+4", "7 ",
    "\u0661\u0662", "Infinity", "1d", "2.5f", "-", ".5", "5.", "1e", "\x1c7",
    "inf", "nan", "-infinity", "1e999",
]  # fmt: skip
KEYS = ["a", "b", "é", "", "x y", "\u00e9\u0301"]

_JAVA = re.compile(r"[+-]?(NaN|Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)[fFdD]?")


def java_double(text: str) -> float | None:
    """Java's Double.valueOf of a bytearray's text, null when it does not parse."""
    s = "".join(text).strip("".join(chr(c) for c in range(33)))
    if not _JAVA.fullmatch(s):
        return None
    if s[-1] in "fFdD" and not s.endswith("NaN"):
        s = s[:-1]
    return float(s)


def java_text(v) -> str:
    """PigStorage's text of a result (Java's Double.toString for the doubles seen here)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "Infinity" if v > 0 else "-Infinity"
        if v != 0 and not 1e-3 <= abs(v) < 1e7:
            return data.format_double(v)  # scientific notation: not what this test is about
        return repr(v)
    return str(v)


def first_min(values: list[float], better) -> float | None:
    """MIN/MAX of doubles as Pig's DoubleMin/DoubleMax take them, Java's Math.min/max: a NaN
    among them is the answer whatever the order, and -0.0 is below 0.0."""
    if not values:
        return None
    if any(v != v for v in values):
        return math.nan
    out = values[0]
    for v in values:
        if better(v, out) or v == 0 == out and better(math.copysign(1, v), math.copysign(1, out)):
            out = v
    return out


def pig_answer(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """GROUP BY (k, j) with COUNT(x), COUNT_STAR, SUM(x), AVG(x), MIN(y), MAX(y), SUM(y),
    AVG(y), as Pig documents them for bytearray columns."""
    groups: dict[tuple, list] = defaultdict(list)
    for k, j, x, y in rows:
        groups[(k or None, j or None)].append((x, y))
    out = []
    for (k, j), members in groups.items():
        xs = [java_double(x) for x, _ in members if x]
        ys = [java_double(y) for _, y in members if y]
        xs_ok = [v for v in xs if v is not None]
        ys_ok = [v for v in ys if v is not None]
        aggs = (
            sum(1 for x, _ in members if x),  # COUNT: non-null bytearrays, numeric or not
            len(members),
            sum(xs_ok, 0.0) if xs_ok else None,
            sum(xs_ok, 0.0) / len(xs_ok) if xs_ok else None,
            first_min(ys_ok, lambda a, b: a < b),
            first_min(ys_ok, lambda a, b: a > b),
            sum(ys_ok, 0.0) if ys_ok else None,
            sum(ys_ok, 0.0) / len(ys_ok) if ys_ok else None,
        )
        out.append("\t".join(java_text(v) for v in (k, j, *aggs)))
    return sorted(out)


UNTYPED = """A = LOAD 'in' USING PigStorage(',') AS (k, j, x, y);
B = GROUP A BY (k, j);
C = FOREACH B GENERATE FLATTEN(group), COUNT(A.x), COUNT_STAR(A), SUM(A.x), AVG(A.x),
    MIN(A.y), MAX(A.y), SUM(A.y), AVG(A.y);
STORE C INTO 'out';"""


def run(where: Path, rows: list[tuple], script: str, props: dict, maps: int = 1):
    """The stored lines (sorted) and the PigWarning counters of one run."""
    (where / "in").mkdir()
    for i in range(maps):  # one map per file
        text = "".join(",".join(r) + "\n" for r in rows[i::maps])
        (where / "in" / f"part-{i}").write_text(text, encoding="utf-8")
    with PigServer("local", cwd=where, out=io.StringIO(), properties=props) as pig:
        pig.register_script(script)
        stats = list(pig.stats)
    warned = {}
    for s in stats:
        for name, n in s["counters"].to_dict().get("org.apache.pig.PigWarning", {}).items():
            warned[name] = warned.get(name, 0) + n
    lines: list[str] = []
    for part in sorted((where / "out").glob("part-*")):
        # by newlines only: str.splitlines also breaks at '\x1c', a field's text here
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return sorted(lines), warned


def explained(where: Path, script: str) -> str:
    out = io.StringIO()
    with PigServer("local", cwd=where, out=out) as pig:
        pig.register_script(script.replace("STORE C INTO 'out';", "EXPLAIN C;"))
    text = out.getvalue()
    return text[text.index("# Generated code (map side)") :]


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(KEYS), st.sampled_from(KEYS[:3]), st.sampled_from(TEXTS),
        st.sampled_from(TEXTS),
    ),
    max_size=50,
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, maps=st.sampled_from([1, 2]), fold=st.booleans())
def test_untyped_group_is_pigs_answer_and_the_closures(rows, maps, fold) -> None:
    props = {} if fold else {"pig.exec.mapPartAgg.minReduction": "100000"}  # folding off
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gen").mkdir()
        got, warned = run(Path(tmp) / "gen", rows, UNTYPED, props, maps)
        assert got == pig_answer(rows)
        (Path(tmp) / "off").mkdir()
        closures, closure_warned = run(
            Path(tmp) / "off", rows, UNTYPED, {**props, "pig.codegen": "false"}, maps
        )
        assert got == closures
        assert warned == closure_warned


def test_untyped_fold_is_generated_code(tmp_path: Path) -> None:
    """EXPLAIN shows the fold inline for the untyped job: the doubles made from the line's
    text (the builtins' converter only for what ``float`` cannot decide), no bytes made for
    a field only summed or counted, no call of the closure tail but the fallback's."""
    (tmp_path / "in").write_text("")
    code = explained(tmp_path, UNTYPED)
    assert "def map0_batch(" in code and "_acc" in code
    assert "float(_x)" in code and "'_' in _x or not _x.isascii()" in code
    body = code[code.index("def map0_batch(") :]
    assert body.count("_tail") == 2  # the two fallbacks (a row the fold cannot take)
    assert "_f[2]" in body and "(_f[2] or None)" in body  # COUNT(A.x): its emptiness


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.sampled_from(TEXTS), st.text(max_size=8)))
def test_the_inline_cast_is_to_double_of_the_bytes(text: str) -> None:
    """The generated conversion gives `data.to_double` of the field's bytes, for any text."""
    gen = Generator(None)
    gen.emit(0, "def cast(_f):")
    gen.text_double("d", "_f[0]", 1)
    gen.emit(1, "return d")
    cast = Pipeline("cast", "\n".join(gen.lines) + "\n", gen.ns).function()
    want = data.to_double(text.encode("utf-8"))
    got = cast([text])
    assert (got is None) == (want is None)
    if want is not None:
        assert repr(got) == repr(want)


def test_unhashable_key_with_untyped_columns(tmp_path: Path) -> None:
    """A key the fold cannot hash sends its rows to the closure tail, which gets the whole
    row, the bytearray fields made from the line's text there."""
    rows = [("a", "[x#1]", "3"), ("b", "[x#1]", "4"), ("a", "", "5"), ("a", "[x#1]", "")] * 3
    script = """A = LOAD 'in' USING PigStorage(',') AS (k, m:map[], n);
        B = GROUP A BY (k, m);
        C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), MAX(A.n), COUNT(A.n), COUNT_STAR(A);
        STORE C INTO 'out';"""
    groups = defaultdict(list)
    for k, m, n in rows:
        groups[(k, m)].append(n)
    want = sorted(
        "\t".join(
            [k, m] + [java_text(v) for v in (
                sum(float(n) for n in ns if n), max(float(n) for n in ns if n),
                sum(1 for n in ns if n), len(ns),
            )]
        )
        for (k, m), ns in groups.items()
    )  # fmt: skip
    got, _ = run(tmp_path, rows, script, {})
    assert got == want
    assert "except TypeError:" in explained(tmp_path, script)


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_many_rows_and_keys_with_nul_bytes(tmp_path: Path, codegen: str) -> None:
    """Past the closures' 1000-row batches and the fold's sample, keys with NUL bytes and
    values that all convert exactly (sums of halves are exact in any order)."""
    rows = [
        (["a\x00", "a", "b\x00c", ""][i % 4], str(i % 3), str((i % 11) / 2), ["", "x", "2"][i % 3])
        for i in range(12000)
    ]
    got, warned = run(tmp_path, rows, UNTYPED, {"pig.codegen": codegen}, maps=2)
    assert got == pig_answer(rows)
    assert not warned


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.binary(max_size=6)), min_size=2, max_size=3),
)
def test_bytearray_key_bytes_are_sort_bytes(values) -> None:
    """A bytearray key's inline bytes: tag 5, the bytes with NULs escaped, the terminator,
    as `data.sort_bytes` writes every bytearray (the closures' keys)."""
    from piglatin.back.codegen import key_encoder, row_encoder
    from piglatin.model.schema import DataType

    one = key_encoder([DataType.BYTEARRAY])
    for v in values:
        want = b"" if v is None else b"\x05" + v.replace(b"\x00", b"\x00\xff") + b"\x00\x00"
        assert one(v) == (data.sort_bytes(None) if v is None else want) == data.sort_bytes(v)
    several = row_encoder([DataType.BYTEARRAY] * len(values))
    assert several(tuple(values)) == data.sort_bytes(tuple(values))


# -- no schema: `$n` references, lines of any width ---------------------------------------

SCHEMALESS = """A = LOAD 'in' USING PigStorage(',');
B = GROUP A BY ($0, $1);
C = FOREACH B GENERATE FLATTEN(group), COUNT(A.$2), COUNT_STAR(A), SUM(A.$2), AVG(A.$2),
    MIN(A.$3), MAX(A.$3), SUM(A.$3), AVG(A.$3);
STORE C INTO 'out';"""


def padded(rows: list[tuple]) -> list[tuple]:
    """A line's fields past its end read as nulls (empty), as Pig projects them."""
    return [tuple(r[:4]) + ("",) * (4 - len(r[:4])) for r in rows]


schemaless_rows = st.lists(
    st.lists(st.sampled_from(TEXTS[:8] + KEYS[:3]), min_size=1, max_size=6).map(tuple),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=schemaless_rows, maps=st.sampled_from([1, 2]))
def test_schemaless_group_is_pigs_answer_and_the_closures(rows, maps) -> None:
    """Lines shorter than the highest `$n` read (their missing fields null) and longer ones
    (what follows is not read)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gen").mkdir()
        got, warned = run(Path(tmp) / "gen", rows, SCHEMALESS, {}, maps)
        assert got == pig_answer(padded(rows))
        (Path(tmp) / "off").mkdir()
        closures, closure_warned = run(
            Path(tmp) / "off", rows, SCHEMALESS, {"pig.codegen": "false"}, maps
        )
        assert got == closures
        assert warned == closure_warned


def test_schemaless_fold_is_generated_code(tmp_path: Path) -> None:
    """The job's map reads the first 4 fields of a line and folds them inline."""
    (tmp_path / "in").write_text("")
    code = explained(tmp_path, SCHEMALESS)
    assert "def map0_batch(" in code and "_acc" in code
    assert "_v.split(',', 4)" in code and "float(_x)" in code


FILTERED = """A = LOAD 'in' USING PigStorage(',');
F = FILTER A BY $4 IS NOT NULL OR $0 == 'a';
B = GROUP F BY ($0, $1);
C = FOREACH B GENERATE FLATTEN(group), COUNT(F.$2), COUNT_STAR(F), SUM(F.$2), AVG(F.$2),
    MIN(F.$3), MAX(F.$3), SUM(F.$3), AVG(F.$3);
STORE C INTO 'out';"""

PROJECTED = """A = LOAD 'in' USING PigStorage(',');
B = FOREACH A GENERATE $3, $0, $5;
STORE B INTO 'out';"""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=schemaless_rows)
def test_schemaless_filter_and_projection_are_the_closures(rows) -> None:
    """A FILTER before the GROUP (rows passed on whole) and a FOREACH of `$n` (a map-only
    job) over lines of any width: the generated code gives the closures' lines."""
    keep = [r for r in rows if len(r) > 4 and r[4] != "" or r[0] == "a"]
    for script, want in ((FILTERED, pig_answer(padded(keep))), (PROJECTED, None)):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "gen").mkdir()
            got, warned = run(Path(tmp) / "gen", rows, script, {})
            (Path(tmp) / "off").mkdir()
            closures, closure_warned = run(
                Path(tmp) / "off", rows, script, {"pig.codegen": "false"}
            )
            assert got == closures and warned == closure_warned
            if want is not None:
                assert got == want
            else:
                full = [tuple(r) + ("",) * 6 for r in rows]
                assert got == sorted(f"{r[3]}\t{r[0]}\t{r[5]}" for r in full)


# -- casts of bytearray fields in expressions ---------------------------------------------

CAST_TEXTS = TEXTS + [
    "007", "9999999999", "2147483647", "2147483648", "99999999999999999999", "1.2.3", ".",
    "9" * 400, "1.5", "-2.5", "\u00b2", "12\u00b2",
]  # fmt: skip

CASTS = """A = LOAD 'in' USING PigStorage(',');
B = FOREACH A GENERATE (int)$0, (long)$1, (double)$2, (chararray)$3, $0 + 1, $2 * 2.0,
    ((long)$1 IS NULL ? 'n' : 'v');
STORE B INTO 'out';"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.lists(st.sampled_from(CAST_TEXTS), min_size=1, max_size=5).map(tuple), max_size=30
    )
)
def test_casts_of_bytearray_fields_are_the_closures(rows) -> None:
    """(int), (long), (double), (chararray) and implicit casts of schemaless fields, written
    inline from the text, give what the closures' casts give; plain digits and text are
    also checked against their plain values."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gen").mkdir()
        got, warned = run(Path(tmp) / "gen", rows, CASTS, {})
        (Path(tmp) / "off").mkdir()
        closures, closure_warned = run(Path(tmp) / "off", rows, CASTS, {"pig.codegen": "false"})
        assert got == closures and warned == closure_warned
    plain = Counter()  # plain digits in int range: (int) is their value; (chararray) the text
    for r in rows:
        r = tuple(r) + ("",) * 4
        if r[0].isascii() and r[0].isdigit() and int(r[0]) < 2**31:
            plain[(str(int(r[0])), r[3])] += 1
    pairs = Counter((line.split("\t")[0], line.split("\t")[3]) for line in got)
    assert not plain - pairs


def test_casts_are_inline_in_the_generated_code(tmp_path: Path) -> None:
    (tmp_path / "in").write_text("")
    script = CASTS.replace("B = ", "C = ").replace("STORE B", "STORE C")
    code = explained(tmp_path, script)
    assert ".isdigit() and" in code and "len(t" in code and "(_f[3] or None)" in code
    assert ".replace('.', '', 1).isdigit()" in code


def test_every_cast_text_in_every_column(tmp_path: Path) -> None:
    """Each text of CAST_TEXTS in each column once (rotated rows): generated code and
    closures agree, and the out-of-range ints are null as Java's Integer.valueOf fails."""
    n = len(CAST_TEXTS)
    rows = [tuple(CAST_TEXTS[(i + j) % n] for j in range(4)) for i in range(n)]
    (tmp_path / "gen").mkdir()
    got, warned = run(tmp_path / "gen", rows, CASTS, {})
    (tmp_path / "off").mkdir()
    closures, closure_warned = run(tmp_path / "off", rows, CASTS, {"pig.codegen": "false"})
    assert got == closures and warned == closure_warned
    firsts = Counter(line.split("\t")[0] for line in got)
    assert "9999999999" not in firsts and "2147483648" not in firsts
    assert firsts["2147483647"] == 1 and firsts["7"] >= 2  # '007', ' 7' (Java trims)


@pytest.mark.parametrize("script", [UNTYPED, SCHEMALESS])
def test_untyped_and_schemaless_in_mapreduce_mode(tmp_path: Path, script: str) -> None:
    """The same answers when the map tasks run under the JobTracker (two input files)."""
    rows = [
        (["a", "b", "é", ""][i % 4], ["x", ""][i % 2], TEXTS[i % len(TEXTS)],
         TEXTS[(i * 7) % len(TEXTS)])
        for i in range(3000)
    ]  # fmt: skip
    rows = [r for r in rows if "NaN" not in r[2:] and "\x1c7" not in r[2:]]  # exact sums
    (tmp_path / "in").mkdir()
    for i in range(2):
        text = "".join(",".join(r) + "\n" for r in rows[i::2])
        (tmp_path / "in" / f"part-{i}").write_text(text, encoding="utf-8")
    job = script.replace("'in'", f"'file://{tmp_path}/in'").replace(
        "'out'", f"'file://{tmp_path}/out'"
    )
    with PigServer("mapreduce", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(job)
    got: list[str] = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        got += part.read_text(encoding="utf-8").splitlines()
    assert sorted(got) == pig_answer(rows)
