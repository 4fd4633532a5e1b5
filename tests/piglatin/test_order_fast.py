"""ORDER ... STORE's whole-line pass-through (`carriedline.line_pattern`, used by
`codegen.TextPassThrough`'s map code): a line whose every field the pattern proves is stored
as read is written as the very input line, with no field parsed.

The pattern is checked against the full parse and format: PigStorage's own byte path
(`parse_line`: the loader's casters, the complex-text parsers) and its `format`
(`data.format_value`, `data.format_double`): whenever the pattern takes a line, reading it
warns nothing and formatting what was read gives the line back. The texts mix canonical
and odd forms: nested and flat maps, bags and tuples, delimiters, brackets and '#' in
values, empty and duplicate keys, nulls, spaces, non-ASCII, numbers with signs, zeros,
exponents and too many digits, lines with too few or too many fields."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back import codegen as CG
from piglatin.back.storage import PigStorage, TextFields, parse_schema
from piglatin.model import data
from piglatin.model.carriedline import line_pattern
from piglatin.model.schema import DataType
from piglatin.model.textcomplex import carried_text_test, parse_reference
from tests.piglatin.storedrun import stored_run as run_script

SCHEMA = "k:chararray, n:int, l:long, d:double, m:map[], b:bag{t:(p:map[])}, s:bytearray"
TYPES = ("chararray", "int", "long", "double", "map", "bag", "bytearray")
MAP_BAG = [("t", "tuple", [("p", "map", None)])]
CARRIED = (
    True,
    False,
    False,
    False,
    carried_text_test("map", None),
    carried_text_test("bag", MAP_BAG),
    True,
)


# ------------------------------------------------------------------------------ texts
# Each field is mostly near Pig's own text (so the pattern has to tell them apart), else odd.
def near(canonical: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.integers(0, 3).flatmap(lambda i: odd if i == 0 else canonical)


_WORDS = near(st.text("ab#,[](){} é\x00-.0", max_size=6), st.text("ab\t#,[]", max_size=6))
_ODD_NUMBERS = st.sampled_from(
    ["0", "-0", "007", "+3", " 4", "4 ", "1_0", "٣", "2147483648", "1e3", "-"]
) | st.text("0123456789-+ ", max_size=20)
_INTS = near(st.integers(-(10**9) + 1, 10**9 - 1).map(str), _ODD_NUMBERS)
_LONGS = near(
    st.integers(-(10**18) + 1, 10**18 - 1).map(str),
    _ODD_NUMBERS | st.integers(-(2**63), 2**63 - 1).map(str),
)
_FLOATS = st.floats(allow_nan=True, allow_infinity=True)
_SHORT = st.floats(1e-3, 1e7, exclude_max=True).map(repr).filter(lambda r: len(r) < 16)
_ODD_DOUBLES = st.sampled_from(
    ["1.50", "1.", ".5", "1", "1e3", "1.0E-4", "NaN", "-0.0", "0.0", "0.0009", "10000000.0"]
    + ["9999999.99999999", "1234567.123456789", "0.1000000000000001", "+1.5", "1_0.5"]
    + ["١.5", "Infinity", " 1.5", "1.5 ", "0.00100", "1234567.0"]
)
_DOUBLES = near(
    _SHORT
    | _SHORT.map(lambda r: "-" + r)
    | st.from_regex(r"[1-9][0-9]{0,3}\.[0-9]{0,2}[1-9]", fullmatch=True),
    st.one_of(
        st.from_regex(r"-?[0-9]{1,8}\.[0-9]{1,9}", fullmatch=True),
        st.from_regex(r"-?0\.0{0,4}[0-9]{1,14}", fullmatch=True),
        _FLOATS.map(repr),
        _FLOATS.map(data.format_double),
        _ODD_DOUBLES,
    ),
)
_PLAIN_KEY = st.text("ab é", min_size=1, max_size=3)
_PLAIN_VALUE = st.text("xy é#", max_size=3)
_ODD_KEY = st.text("ab é#,[]{}()", max_size=3)
_ODD_VALUE = st.text("xy é#,[]{}()\t", max_size=4) | st.sampled_from(["(1)", "[z#1]", "{(1)}"])


@st.composite
def map_texts(draw) -> str:
    """Pig's text of a map (distinct plain keys), or that text with one change: a key
    again (the same value or another, anywhere), an empty key, an item without '#', an
    odd key or value (brackets, commas, tabs, '#'), spaces around the brackets."""
    pairs = list(draw(st.dictionaries(_PLAIN_KEY, _PLAIN_VALUE, max_size=5)).items())
    change = draw(st.integers(0, 24))
    if change in (0, 1) and pairs:
        key = draw(st.sampled_from(pairs))[0]
        value = draw(_PLAIN_VALUE)
        pairs.insert(draw(st.integers(0, len(pairs))), (key, value))
    elif change == 2:
        pairs.insert(draw(st.integers(0, len(pairs))), (draw(_ODD_KEY), draw(_ODD_VALUE)))
    items = [f"{k}#{v}" for k, v in pairs]
    if change == 3:
        items.insert(draw(st.integers(0, len(items))), draw(_ODD_KEY))
    text = "[" + ",".join(items) + "]"
    if change == 4:
        return draw(st.sampled_from([" ", ""])) + text + draw(st.sampled_from([" ", "", "]"]))
    return text


@st.composite
def bag_texts(draw) -> str:
    tuples = [f"({m})" for m in draw(st.lists(map_texts(), max_size=4))]
    if draw(st.integers(0, 8)) == 0:
        odd = draw(st.sampled_from(["(1)", "()", "([a#1],x)", "(([a#1]))", "x", " ([a#1])"]))
        tuples.insert(draw(st.integers(0, len(tuples))), odd)
    inner = ",".join(tuples)
    return draw(st.sampled_from(["{" + inner + "}"] * 10 + ["{ " + inner + "}", "{" + inner]))


_FIELDS = (_WORDS, _INTS, _LONGS, _DOUBLES, map_texts(), bag_texts(), _WORDS)


@st.composite
def lines(draw) -> str:
    fields = [draw(f) for f in _FIELDS]
    for _ in range(draw(st.integers(0, 2))):
        fields[draw(st.integers(0, len(fields) - 1))] = ""  # nulls
    cut = draw(st.integers(0, 8))
    if cut == 0:
        fields = fields[: draw(st.integers(1, 6))]  # too few fields
    elif cut == 1:
        fields.append(draw(_WORDS))  # too many
    return "\t".join(fields)


# ------------------------------------------------------------------- the full round trip
_SPECS = parse_schema(SCHEMA)


def loader() -> PigStorage:
    return PigStorage("\t").with_schema(_SPECS)  # type: ignore[return-value]


def round_trip(line: str) -> tuple[str, dict]:
    """What PigStorage writes for what it reads from `line` (its byte path), and the
    warnings reading it gave."""
    load = loader()
    written = load.format(load.parse_line(line.encode("utf-8"))).decode("utf-8")
    return written, dict(load.warnings)


PATTERN = line_pattern(TYPES, CARRIED, "\t", keys=(0, 3))
assert PATTERN is not None


@settings(max_examples=450, deadline=None)
@given(lines())
def test_a_line_the_pattern_takes_is_written_back_as_itself(line: str) -> None:
    if PATTERN.fullmatch(line) is not None:
        assert round_trip(line) == (line, {})


BASE = ["k", "1", "2", "1.5", "[a#1]", "{([b#2])}", "s"]  # a line the pattern takes


@settings(max_examples=1000, deadline=None)
@given(st.integers(0, len(BASE) - 1).flatmap(lambda i: st.tuples(st.just(i), _FIELDS[i])))
def test_a_field_the_pattern_takes_is_written_back_as_itself(field: tuple[int, str]) -> None:
    """One field drawn, the others canonical: each field's pattern on its own."""
    column, text = field
    line = "\t".join(BASE[:column] + [text] + BASE[column + 1 :])
    if PATTERN.fullmatch(line) is not None:
        assert round_trip(line) == (line, {})


@settings(max_examples=300, deadline=None)
@given(st.one_of(map_texts(), bag_texts()))
def test_complex_fields_agree_with_the_reference_parser(text: str) -> None:
    """Field by field, against `parse_reference` (the character-by-character parser) and
    the per-field tests."""
    for type_name, inner, ok in (("map", None, CARRIED[4]), ("bag", MAP_BAG, CARRIED[5])):
        one = line_pattern((type_name,), (ok,), "\t")
        assert one is not None
        if text and one.fullmatch(text) is not None:
            warnings: list[str] = []
            value = parse_reference(text, type_name, inner, _SCALARS, warnings.append)
            assert (data.format_value(value), warnings) == (text, [])
            assert ok(text)


_SCALARS = {"bytearray": lambda x, w: x.encode()}


# ------------------------------------------------------- Pig's own texts are all taken
_PLAIN_MAPS = st.dictionaries(_PLAIN_KEY, _PLAIN_VALUE, max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n"), max_size=5),
    st.integers(-(2**31) + 1, 2**31 - 1),
    st.integers(-(2**63) + 1, 2**63 - 1),
    st.floats(allow_nan=False),
    _PLAIN_MAPS,
    st.lists(_PLAIN_MAPS, max_size=3),
)
def test_lines_pig_writes_are_taken(k, n, l, d, m, b) -> None:  # noqa: E741
    """Every line PigStorage itself writes for such values (ints and longs of up to 9 and
    18 digits, doubles written as their repr in [0.001, 1e7), maps without brackets) is
    taken: the fast path is not "never"."""
    row = (
        k or None,
        n,
        l,
        d,
        {key: v.encode() for key, v in m.items()},
        [({key: v.encode() for key, v in x.items()},) for x in b],
        b"raw",
    )
    line = loader().format(row).decode("utf-8")
    plain = len(str(abs(n))) <= 9 and len(str(abs(l))) <= 18
    plain = plain and 1e-3 <= abs(d) < 1e7 and len(repr(d)) < 17
    if plain:
        assert PATTERN.fullmatch(line) is not None, line


def test_odd_fields_are_not_taken() -> None:
    base = BASE
    assert PATTERN.fullmatch("\t".join(base))
    odd = {
        1: ["01", "-0", "+1", "1234567890", " 1", "١"],
        2: ["1234567890123456789", "00"],
        3: [
            "1.50",
            "1e3",
            "0.0",
            "-0.0",
            "0.0009",
            "10000000.0",
            "1.",
            "NaN",
            "12345678.5",
            "1.234567890123456",
            "0.5 ",
        ],
        4: ["[a#1,a#2]", "[#1]", "[a]", " [a#1]", "[a#1] ", "[a#[b#1]]", "[a#1,]", "[,a#1]"]
        + ["[a#1,,b#2]", "[a#1,b#2,a#3]", "[a#1,b#2,b#3]", "[ab#1,a#2,ab#3]", "[a#1,b]"],
        5: ["{([a#1,a#2])}", "{([a#1]),}", "{(1)}", "{ ([a#1])}", "{([a#1]),([b#1,c#2,b#3])}"]
        + ["{([a#1])([b#1])}", "{([a#1]),x}", "{,([a#1])}", "{([a#1]),,([b#1])}", "{([a#1],)}"],
    }
    for column, texts in odd.items():
        for text in texts:
            fields = list(base)
            fields[column] = text
            assert PATTERN.fullmatch("\t".join(fields)) is None, text
    for column, text in [(4, "[ab#1,a#2,b#3]"), (5, "{([a#1]),([]),([a#1,b#2])}"), (5, "{}")]:
        assert PATTERN.fullmatch("\t".join(base[:column] + [text] + base[column + 1 :])), text
    assert PATTERN.fullmatch("\t".join(base[:-1])) is None  # a field short
    assert PATTERN.fullmatch("\t".join(base + [""])) is None  # a field over


def test_delimiters_inside_the_text_form_give_no_pattern() -> None:
    for delimiter in ",#[]{}()":
        assert line_pattern(TYPES, CARRIED, delimiter) is None
    for delimiter in "0-.":
        assert line_pattern(("chararray", "int"), (True, False), delimiter) is None
    assert line_pattern(("chararray", "float"), (True, False), "\t") is None
    assert line_pattern(("chararray", "int"), (True, False), "|") is not None


# --------------------------------------------------------------- the generated map code
def pass_through(by: tuple[int, ...], sep: str = "\t"):
    load = loader()
    tf = load.text_fields()
    assert isinstance(tf, TextFields)
    types = tuple(DataType(t) for t in TYPES)
    line = CG.StoreLine(types, sep, lambda t: load.format(t).decode())
    keys: list[tuple] = []
    carried = CG.TextPassThrough(lambda t: keys.append(t) or b"K", frozenset(by), line, None)
    source = CG.RecordSource(len(TYPES), tf, None)
    code = CG.generate_map_pipeline("m", source, [], [], None, None, None, None, None, carried)
    return code.function(), keys


def test_a_canonical_line_is_stored_as_the_input_line_itself() -> None:
    """The record's text is the input str object (the old code joined the fields' texts
    into a new str); the key's columns still reach the key function as values."""
    run, keys = pass_through((0, 1, 3))
    line = "k\t-12\t3\t0.25\t[a#1,b#2]\t{([a#1]),([a#2])}\ts"
    (record,) = run(None, [line])
    assert record == (b"K", line) and record[1] is line
    assert keys == [("k", -12, None, 0.25, None, None, None)]


@settings(max_examples=150, deadline=None)
@given(st.lists(lines(), min_size=1, max_size=5), st.sampled_from([(0,), (3, 1), (2, 6, 0)]))
def test_generated_records_match_the_full_round_trip(text: list[str], by) -> None:
    run, keys = pass_through(by)
    out = run(None, text)
    assert [t for _, t in out] == [round_trip(line)[0] for line in text]
    for line, key in zip(text, keys):
        row = loader().parse_line(line.encode("utf-8"))
        want = tuple(row[i] if i in by else None for i in range(len(TYPES)))
        assert _same(key, want), (line, key, want)


_POOLS = (["", "k", "k\x00", "é", "zz"], ["", "0", "7", "-3", "12"], ["", "5", "0", "-1"])
_DOUBLE_POOL = ["", "0.25", "1.5", "-2.5", "100.0", "1e3", "0.0"]


@st.composite
def repeated_lines(draw) -> str:
    """Lines whose key columns repeat texts from small pools (nulls, odd spellings, values
    below zero): the memo of each column's key bytes answers the repeats."""
    k, n, l = (draw(st.sampled_from(pool)) for pool in _POOLS)  # noqa: E741
    d = draw(st.sampled_from(_DOUBLE_POOL))
    return "\t".join([k, n, l, d, "[a#1]", "{([b#2])}", "s"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(repeated_lines(), min_size=1, max_size=30),
    st.sampled_from([((0, False),), ((3, True), (1, False)), ((2, False), (3, True), (0, True))]),
)
def test_plain_key_bytes_are_pigs_order_bytes_on_repeats(text: list[str], plain) -> None:
    """With a plain key, the generated code writes each key column's bytes itself and
    remembers them by the column's text: every record's key is `data.order_bytes` of the
    loader's values (an independent answer), in a first batch and again in a second one."""
    load = loader()
    tf = load.text_fields()
    line = CG.StoreLine(tuple(DataType(t) for t in TYPES), "\t", lambda t: load.format(t).decode())
    by = frozenset(c for c, _ in plain)
    carried = CG.TextPassThrough(lambda t: b"unused", by, line, plain)
    source = CG.RecordSource(len(TYPES), tf, None)
    code = CG.generate_map_pipeline("m", source, [], [], None, None, None, None, None, carried)
    run = code.function()
    for _ in range(2):
        out = run(None, text)
        assert [t for _, t in out] == [round_trip(x)[0] for x in text]
        for x, (key, _) in zip(text, out):
            row = load.parse_line(x.encode("utf-8"))
            want = data.order_bytes([row[c] for c, _ in plain], [d for _, d in plain])
            assert key == want, (x, key, want)


def _same(a: tuple, b: tuple) -> bool:
    return all(
        (
            type(x) is type(y)
            and (x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)))
        )
        for x, y in zip(a, b, strict=True)
    )


# ------------------------------------------------------------------------ whole scripts
@settings(max_examples=10, deadline=None)
@given(st.lists(lines(), min_size=1, max_size=40), st.sampled_from(["k", "d DESC, n", "l, k DESC"]))
def test_order_store_is_the_same_without_pass_through(tmp_path_factory, text, by) -> None:
    tmp = tmp_path_factory.mktemp("fast")
    text = [t.replace("\n", " ") for t in text]
    (tmp / "in.txt").write_text("\n".join(text) + "\n")
    script = f"""SETTING
        A = LOAD 'in.txt' USING PigStorage('\\t') AS ({SCHEMA});
        B = ORDER A BY {by};
        STORE B INTO 'OUT' USING PigStorage('\\t');"""
    got = run_script(tmp, script.replace("SETTING", ""), "on")
    off = run_script(tmp, script.replace("SETTING", "SET pig.exec.textPassThrough 'false';"), "off")
    assert got == off


def test_rows_formatted_as_bytes_share_a_key_with_text_lines(tmp_path: Path) -> None:
    """Without the pass-through, a row with a bytearray value is written by PigStorage's own
    formatter (bytes), the others as str: three null keys in one reduce group failed with
    "sequence item 2: expected str instance, bytes found"."""
    (tmp_path / "in.txt").write_text("\n\t0\t0\t0.0\t\t\t\n\t0\t0\t0.0\t[]\t{}\t0\n")
    script = f"""SET pig.exec.textPassThrough 'false';
        A = LOAD 'in.txt' USING PigStorage('\\t') AS ({SCHEMA});
        B = ORDER A BY k;
        STORE B INTO 'OUT' USING PigStorage('\\t');"""
    got, warnings = run_script(tmp_path, script, "out")
    assert got == ["\t\t\t\t\t\t", "\t0\t0\t0.0\t\t\t", "\t0\t0\t0.0\t[]\t{}\t0"]
    assert warnings == {}


def test_a_line_of_numbers_and_text_is_passed_through_too() -> None:
    """No field of (k:chararray, n:int, d:double) has a test of its own, but the whole line
    does: the ORDER's map writes the line itself (the old code sent such rows to the
    generic pipeline's tail, parsed and formatted again by the reduce side)."""
    load = PigStorage("\t").with_schema(parse_schema("k:chararray, n:int, d:double"))
    tf = load.text_fields()
    assert isinstance(tf, TextFields)
    types = (DataType.CHARARRAY, DataType.INT, DataType.DOUBLE)
    line = CG.StoreLine(types, "\t", lambda t: load.format(t).decode())
    carried = CG.TextPassThrough(lambda t: b"K", frozenset({0}), line, None)

    def tail(row: tuple) -> list:
        return [("generic", row)]

    source = CG.RecordSource(3, tf, None)
    code = CG.generate_map_pipeline(
        "m", source, [], [], tail, None, lambda i: tail, None, None, carried
    )
    text = ["k\t-12\t0.25", "k\t012\t0.250"]
    out = code.function()(None, text)
    assert out == [(b"K", text[0]), (b"K", "k\t12\t0.25")] and out[0][1] is text[0]
