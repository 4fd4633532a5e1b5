"""ORDER ... STORE against plain Python: the stored lines are the rows PigStorage writes for
what it reads, in Pig's ORDER BY order, whatever shortcut the ORDER job takes on the way
(the whole input line carried when its text is proven to be the stored text:
`carriedline`, `textcomplex`; key bytes memoised per text; total-order partitions).

The independent answer, written here from Pig's documented rules, not from the project:

* a field's value: chararray/bytearray text as read (empty: null); an int/long is Java's
  ``Integer.valueOf`` of the text ('007' is 7), a double ``Double.valueOf`` ('1.50' is
  1.5, '1e1' is 10.0); a text neither takes is null with one
  FIELD_DISCARDED_TYPE_CONVERSION_FAILED warning (Utf8StorageConverter);
* a map ``[k#v,...]``: keys up to the first '#', a later key replaces an earlier one's
  value (a Java map's put), an empty key makes the whole map null with a warning;
* the stored text: ``Integer/Double.toString`` (for the doubles drawn here Python's repr
  spells the same), a map ``k#v`` joined by ',' in brackets (no text for a null value:
  DataType.mapToString), a bag ``{(...),...}``, a null as nothing;
* the order: Pig's raw comparators: nulls first ascending (so last descending, the whole
  comparison being negated), numbers by value, chararrays by their UTF-8 bytes (Hadoop's
  Text comparator, PigTextRawComparator), bytearrays by their bytes. Rows with equal keys
  may come in any order (Pig's sort is not stable): each run of equal keys is compared as
  a multiset.

Rows mix canonical texts (the pass-through's case) with every near miss a wrong shortcut
would carry unchanged: leading zeros, '-0', a fraction's trailing zero, an exponent, bad
numbers, a key twice in a map (sorted next to each other, or further on), an empty key,
non-ASCII and control characters in keys and values."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

WARNING = "FIELD_DISCARDED_TYPE_CONVERSION_FAILED"
TYPED = "k:chararray, n:int, d:double, m:map[], b:bag{t:(p:map[])}"
UNTYPED = "k, n, d, m, b"


# ------------------------------------------------------------------- fields and their answer
# A drawn field: (its text, its value for ORDER BY, its stored text, warnings reading it)
def _field(text: str, value: object, stored: str, warnings: int = 0) -> tuple:
    return text, value, stored, warnings


_NULL = st.just(_field("", None, ""))

_CHARS = "abAB~ 1#,é中\x7f"
chararrays = st.one_of(_NULL, st.text(_CHARS, min_size=1, max_size=4).map(lambda s: _field(s, s, s)))


def _int_texts(n: int) -> st.SearchStrategy[tuple]:
    texts = [str(n)]
    if n >= 0:
        texts.append("0" + str(n))  # leading zero: Integer.valueOf("07") is 7
    if n == 0:
        texts.append("-0")
    return st.sampled_from(texts).map(lambda t: _field(t, n, str(n)))


_BAD_NUMBERS = st.sampled_from(["x", "-", "n/a", "1-2", "--1", "0x1"]).map(
    lambda t: _field(t, None, "", 1)
)
ints = st.one_of(_NULL, _BAD_NUMBERS, st.integers(-99, 99).flatmap(_int_texts))


def _double_texts(hundredths: int) -> st.SearchStrategy[tuple]:
    x = hundredths / 4
    canonical = repr(x)  # Double.toString spells these quarters the same way
    texts = [canonical, canonical + "0", f"{x:.3f}"]
    if x.is_integer():
        texts.append(str(int(x)))  # '2' is 2.0
        if x and not x % 10:
            texts.append(f"{int(x) // 10}e1")  # '3e1' is 30.0
    return st.sampled_from(texts).map(lambda t: _field(t, x, canonical))


doubles = st.one_of(
    _NULL,
    _BAD_NUMBERS,
    st.integers(-400, 400).filter(lambda h: h != 0).flatmap(_double_texts),
    st.just(_field("0.0", 0.0, "0.0")),
)

_KEYS = st.text("abcAé1", min_size=1, max_size=2)
_VALUES = st.text("xyé#1\x01", max_size=3)


@st.composite
def maps(draw) -> tuple:
    """A map's text and (None, stored text, warnings): keys mostly distinct and sorted (the
    proof's fast form), sometimes a key again, out of order, or empty."""
    items = sorted(draw(st.dictionaries(_KEYS, _VALUES, max_size=4)).items())
    change = draw(st.integers(0, 5))
    if change == 0 and items:  # a key again, next to its first or further on
        key = draw(st.sampled_from(items))[0]
        items.insert(draw(st.integers(0, len(items))), (key, draw(_VALUES)))
    elif change == 1 and len(items) > 1:
        items.reverse()
    text = "[" + ",".join(f"{k}#{v}" for k, v in items) + "]"
    if change == 2:  # an empty key: the map is null
        return _field(text[:-1] + (",#z]" if items else "#z]"), None, "", 1)
    value: dict[str, str] = {}
    for k, v in items:
        value[k] = v  # a Java map's put: the last value, the first key's place (insertion)
    stored = "[" + ",".join(f"{k}#{v}" for k, v in value.items()) + "]"
    return _field(text, None, stored)


@st.composite
def bags(draw) -> tuple:
    if draw(st.integers(0, 4)) == 0:
        return draw(_NULL)
    inner = [m for m in draw(st.lists(maps(), max_size=3)) if m[3] == 0]
    text = "{" + ",".join(f"({m[0]})" for m in inner) + "}"
    return _field(text, None, "{" + ",".join(f"({m[2]})" for m in inner) + "}")


row_fields = st.tuples(chararrays, ints, doubles, st.one_of(_NULL, maps()), bags())


# ------------------------------------------------------------------------------ the answer
def _compare_values(a: object, b: object) -> int:
    if a is None or b is None:
        return (a is not None) - (b is not None)  # null first
    if isinstance(a, str):
        a, b = a.encode("utf-8"), b.encode("utf-8")  # type: ignore[union-attr]
    return (a > b) - (a < b)  # type: ignore[operator]


def expected(rows: list[tuple], by: list[tuple[int, bool]], typed: bool) -> list[list[str]]:
    """The stored lines, as runs of equal keys in ORDER BY order (each run sorted)."""

    def key_of(row: tuple) -> tuple:
        if typed:
            return tuple(row[c][1] for c, _ in by)
        return tuple((row[c][0].encode("utf-8") or None) for c, _ in by)  # bytearrays

    def cmp(a: tuple, b: tuple) -> int:
        for (ka, kb), (_, desc) in zip(zip(a[0], b[0]), by):
            r = _compare_values(ka, kb)
            if r:
                return -r if desc else r
        return 0

    def line(row: tuple) -> str:
        return "\t".join(f[2] if typed else f[0] for f in row)

    ordered = sorted(((key_of(r), line(r)) for r in rows), key=functools.cmp_to_key(cmp))
    runs: list[list[str]] = []
    for i, (key, text) in enumerate(ordered):
        if i and cmp(ordered[i - 1], (key, text)) == 0:
            runs[-1].append(text)
        else:
            runs.append([text])
    return [sorted(run) for run in runs]


def as_runs(stored: list[str], sizes: list[int]) -> list[list[str]]:
    runs, at = [], 0
    for n in sizes:
        runs.append(sorted(stored[at : at + n]))
        at += n
    return runs


# -------------------------------------------------------------------------------- the runs
_BY = {"k": 0, "n": 1, "d": 2}
ORDERS = ["k", "n DESC", "d", "d DESC, k", "k DESC, n, d DESC", "n, d, k", "k, d DESC"]


def run_order(tmp: Path, rows: list[tuple], schema: str, by: str, extra: str = "") -> tuple:
    (tmp / "in.txt").write_text("".join("\t".join(f[0] for f in r) + "\n" for r in rows))
    script = f"""A = LOAD 'in.txt' USING PigStorage('\\t') AS ({schema});
        B = ORDER A BY {by}{extra};
        STORE B INTO 'out' USING PigStorage('\\t');"""
    with PigServer("local", cwd=tmp, out=io.StringIO()) as server:
        server.register_script(script)
        warnings = server.stats[-1]["counters"].to_dict().get("org.apache.pig.PigWarning", {})
    stored: list[str] = []
    for part in sorted((tmp / "out").glob("part-*")):
        stored += part.read_text(encoding="utf-8").split("\n")[:-1]
    return stored, warnings


def parse_by(by: str) -> list[tuple[int, bool]]:
    out = []
    for part in by.split(","):
        name, *desc = part.split()
        out.append((_BY[name], bool(desc)))
    return out


def check(tmp: Path, rows: list[tuple], by: str, typed: bool, extra: str = "") -> None:
    stored, warnings = run_order(tmp, rows, TYPED if typed else UNTYPED, by, extra)
    want = expected(rows, parse_by(by), typed)
    assert as_runs(stored, [len(r) for r in want]) == want
    bad = sum(f[3] for r in rows for f in r) if typed else 0
    assert warnings.get(WARNING, 0) == bad


_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(st.lists(row_fields, min_size=1, max_size=30), st.sampled_from(ORDERS))
def test_typed_order_is_plain_pythons_sort_of_pigs_values(tmp_path_factory, rows, by):
    check(tmp_path_factory.mktemp("typed"), rows, by, typed=True)


@_SETTINGS
@given(st.lists(row_fields, min_size=1, max_size=30), st.sampled_from(ORDERS))
def test_untyped_order_sorts_the_bytes_and_stores_the_text(tmp_path_factory, rows, by):
    check(tmp_path_factory.mktemp("untyped"), rows, by, typed=False)


@settings(max_examples=10, deadline=None)
@given(st.lists(row_fields, min_size=20, max_size=60), st.sampled_from(ORDERS))
def test_parallel_order_parts_concatenate_in_order(tmp_path_factory, rows, by):
    """Several reducers: the sampling job's cut points split the keys so the part files,
    read in order, are the whole sorted output."""
    check(tmp_path_factory.mktemp("parallel"), rows, by, typed=True, extra=" PARALLEL 3")


def test_near_misses_of_canonical_texts_are_rewritten(tmp_path: Path) -> None:
    """By hand: each field a text the pass-through must not carry as it is."""
    rows = [
        [_field("b", "b", "b"), _field("007", 7, "7"), _field("1.50", 1.5, "1.5"),
         _field("[a#1,a#2]", None, "[a#2]"), _field("{([b#1,b#2])}", None, "{([b#2])}")],
        [_field("a", "a", "a"), _field("x", None, "", 1), _field("2", 2.0, "2.0"),
         _field("[a#1,b#2,a#3]", None, "[a#3,b#2]"), _field("{}", None, "{}")],
        [_field("", None, ""), _field("-0", 0, "0"), _field("1e1", 10.0, "10.0"),
         _field("[#1]", None, "", 1), _field("", None, "")],
    ]  # fmt: skip
    stored, warnings = run_order(tmp_path, [tuple(r) for r in rows], TYPED, "k")
    assert stored == [
        "\t0\t10.0\t\t",
        "a\t\t2.0\t[a#3,b#2]\t{}",
        "b\t7\t1.5\t[a#2]\t{([b#2])}",
    ]
    assert warnings == {WARNING: 2}
