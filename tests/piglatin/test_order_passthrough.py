"""ORDER ... STORE USING PigStorage copies the columns it only carries (no sort key reads
them) from the input line as their text when that text is exactly what PigStorage writes
for the value read from it (`textcomplex.carried_text_test`, `codegen.TextPassThrough`).

Checked here: the test of a field's text never says "as is" for a text whose parse warns or
formats to another text; the generated map code parses only the fields that test rejects;
and whole scripts give the same lines and warning counts with the pass-through as without
it (``pig.exec.textPassThrough`` false, or ``pig.codegen`` false), and, for rows whose every
field is canonical, the input lines sorted by the key in plain Python."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back import codegen as CG
from piglatin.back.storage import TextFields
from piglatin.model import data
from piglatin.model.schema import DataType
from piglatin.model.textcomplex import carried_text_test
from tests.piglatin.storedrun import stored_run as run

MAP_BAG = [("t", "tuple", [("p", "map", None)])]

# ------------------------------------------------------------------------ field texts
_KEYS = st.sampled_from(["a", "b", "c", " a", "a ", "", "é"])
_VALUES = st.sampled_from(["1", "", "x y", "#", "q#r", " v ", "(1)", "[z#1]", "{(1)}", "é"])
_ITEM = st.builds(lambda k, v: f"{k}#{v}", _KEYS, _VALUES) | st.sampled_from(["a", "", "#"])


@st.composite
def map_texts(draw) -> str:
    """Flat and odd maps: duplicate and empty keys, '#' and brackets in values, items
    without '#', spaces outside the brackets, unterminated text."""
    body = ",".join(draw(st.lists(_ITEM, max_size=4)))
    text = f"[{body}]"
    return draw(st.sampled_from(["", " ", "\r"])) + text + draw(st.sampled_from(["", "", " "]))


@st.composite
def bag_texts(draw) -> str:
    maps = draw(st.lists(map_texts(), max_size=3))
    inner = ",".join(f"({m})" for m in maps)
    odd = ["{(1)}", "{", "{([a#1],x)}", "{ (" + inner + ")}"]
    return draw(st.sampled_from(["{" + inner + "}"] * 2 + odd))


def canonical_map(d: dict[str, str]) -> str:
    return "[" + ",".join(f"{k}#{v}" for k, v in d.items()) + "]"


_CANON_KEY = st.text("abcdé ", min_size=1, max_size=3)
_CANON_VALUE = st.text("xyz#é ", max_size=3)
canonical_maps = st.dictionaries(_CANON_KEY, _CANON_VALUE, max_size=4).map(canonical_map)
canonical_bags = st.lists(canonical_maps, max_size=3).map(
    lambda ms: "{" + ",".join(f"({m})" for m in ms) + "}"
)


def read(text: str, type_name: str, inner) -> tuple[object, list[str]]:
    warnings: list[str] = []
    return data.complex_caster(type_name, inner, warnings.append)(text), warnings


@settings(max_examples=400, deadline=None)
@given(st.one_of(map_texts(), canonical_maps))
def test_a_map_text_said_carried_reads_back_as_itself_with_no_warning(text: str) -> None:
    value, warnings = read(text, "map", None)
    if carried_text_test("map", None)(text):
        assert not warnings
        assert data.format_value(value) == text


@settings(max_examples=400, deadline=None)
@given(st.one_of(bag_texts(), canonical_bags))
def test_a_bag_text_said_carried_reads_back_as_itself_with_no_warning(text: str) -> None:
    value, warnings = read(text, "bag", MAP_BAG)
    if carried_text_test("bag", MAP_BAG)(text):
        assert not warnings
        assert data.format_value(value) == text


@given(canonical_maps, canonical_bags)
def test_canonical_texts_are_carried(m: str, b: str) -> None:
    """The test is not "never": every text Pig itself writes for such values passes."""
    assert carried_text_test("map", None)(m)
    assert carried_text_test("bag", MAP_BAG)(b)


def test_odd_texts_are_parsed() -> None:
    test = carried_text_test("map", None)
    for odd in ("[a#1,a#2]", "[#a]", "[a]", " [a#1]", "[a#1] ", "[a#[b#1]]", "[a#(1)]", "[a#1"):
        assert not test(odd), odd
    assert carried_text_test("map", [("v", "int")]) is None  # a typed map: always parsed
    assert carried_text_test("bag", [("t", "tuple", [("x", "int")])]) is None


# --------------------------------------------------------------- the generated map code
def test_generated_code_parses_only_the_fields_it_cannot_carry() -> None:
    """Columns (k:chararray, n:int, m:map[]) ordered by k: m's text is copied unless the
    test rejects it; then it is parsed (warning as the loader does) and formatted."""
    casts: list[str] = []

    def cast_map(text: str):
        casts.append(text)
        return data.complex_caster("map", None)(text)

    tf = TextFields(
        "\t",
        3,
        ((0, None), (1, int), (2, cast_map)),
        ("chararray", "int", "map"),
        (True, False, carried_text_test("map", None)),
    )
    line = CG.StoreLine((DataType.CHARARRAY, DataType.INT, DataType.MAP), "|", None)
    keys: list[tuple] = []
    carried = CG.TextPassThrough(lambda t: keys.append(t) or b"K", frozenset({0}), line)
    source = CG.RecordSource(3, tf, None)
    code = CG.generate_map_pipeline("m", source, [], [], None, None, None, None, None, carried)
    out = code.function()(None, ["x\t1\t[a#1,b#2]", "y\t02\t[a#1,a#2]", "\t\t", "z"])
    assert out == [(b"K", "x|1|[a#1,b#2]"), (b"K", "y|2|[a#2]"), (b"K", "||"), (b"K", "z||")]
    assert casts == ["[a#1,a#2]"]  # only the map text with a key twice was parsed
    assert keys == [("x", None, None), ("y", None, None), (None, None, None), ("z", None, None)]


# ------------------------------------------------------------------------ whole scripts
SCHEMA = "k:chararray, n:int, l:long, d:double, m:map[], b:bag{t:(p:map[])}, s:chararray"
_INTS = st.sampled_from(
    ["1", "-2", "007", "+3", "x", "", " 4", "2147483648", "12", "0", "00", "999999999"]
)
_LONGS = st.sampled_from(
    ["9223372036854775807", "9223372036854775808", "123456789012345678", "0", "-1", "01"]
)
_DOUBLES = st.sampled_from(["1.5", "1.50", "1e3", "NaN", "", "abc", "0.1", "-0.0", "2"])
_WORDS = st.sampled_from(["", "a", "b", "ab", "a b", "#", "[x#1]", "é", "a\x00", "0"])


@st.composite
def lines(draw) -> list[str]:
    row = st.tuples(
        _WORDS,
        _INTS,
        _LONGS,
        _DOUBLES,
        map_texts() | canonical_maps,
        bag_texts() | canonical_bags,
        _WORDS,
    )
    return ["\t".join(r) for r in draw(st.lists(row, min_size=1, max_size=30))]


def order_script(by: str, setting: str = "") -> str:
    return f"""{setting}
        A = LOAD 'in.txt' USING PigStorage('\\t') AS ({SCHEMA});
        B = ORDER A BY {by};
        STORE B INTO 'OUT' USING PigStorage('\\t');"""


@settings(max_examples=12, deadline=None)
@given(lines(), st.sampled_from(["k", "n, d DESC", "d, k DESC, n", "s", "l DESC, k"]))
def test_order_store_is_the_same_with_and_without_pass_through(tmp_path_factory, text, by):
    tmp = tmp_path_factory.mktemp("order")
    (tmp / "in.txt").write_text("\n".join(text) + "\n")
    got = run(tmp, order_script(by), "on")
    off = run(tmp, order_script(by, "SET pig.exec.textPassThrough 'false';"), "off")
    closures = run(tmp, order_script(by, "SET pig.codegen 'false';"), "closures")
    assert got == off == closures


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.tuples(st.text("abc", max_size=2), st.integers(-9, 9), canonical_maps, canonical_bags),
        min_size=1,
        max_size=30,
    )
)
def test_canonical_rows_are_the_input_lines_sorted_by_the_key(tmp_path_factory, rows):
    """Plain Python: every field canonical, so each stored line is its input line; ORDER
    BY the chararray k puts nulls (empty) first and is stable here for equal keys."""
    tmp = tmp_path_factory.mktemp("canon")
    text = ["\t".join((k, str(n), m, b)) for k, n, m, b in rows]
    (tmp / "in.txt").write_text("\n".join(text) + "\n")
    script = """A = LOAD 'in.txt' AS (k:chararray, n:int, m:map[], b:bag{t:(p:map[])});
        B = ORDER A BY k; STORE B INTO 'OUT';"""
    got, warnings = run(tmp, script, "out")
    assert sorted(got) == sorted(text)
    assert [line.split("\t")[0] for line in got] == sorted(r[0] for r in rows)
    assert warnings == {}


def test_bad_fields_warn_once_each_either_way(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(
        "b\t1\t5\t1.0\t[#x]\t{([a#1])}\ts\n"  # an empty key: null, one warning
        "a\tz\t6\t2.0\t[a#1,a#1]\t{(1)}\t\n"  # a bad int, a bag whose map is not: 2 warnings
        "c\t3\t7\t3.0\t[k#v]\t{([a#1]),([b#2,b#3])}\tt\n"
    )
    got, warnings = run(tmp_path, order_script("k"), "on")
    off, warnings_off = run(tmp_path, order_script("k", "SET pig.codegen 'false';"), "off")
    assert (
        got
        == off
        == [
            "a\t\t6\t2.0\t[a#1]\t\t",  # a key twice: the last value, no warning
            "b\t1\t5\t1.0\t\t{([a#1])}\ts",
            "c\t3\t7\t3.0\t[k#v]\t{([a#1]),([b#3])}\tt",
        ]
    )
    assert warnings == warnings_off == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 3}
