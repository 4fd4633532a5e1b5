"""The carried-text proofs' cheaper forms (`textcomplex._sorted_items`, the short double
and the one-branch-per-sign ints of `carriedline`) against the full round trip.

Independent answer: PigStorage's own byte path (`parse_line`, the complex-text parsers)
and its formatter (`format`): whatever a proof takes must be read without a warning and
written back as the very same text. The texts lean on the cases the cheaper forms decide:
maps whose keys are sorted (the fast form's shape) next to keys that share a first
character, come down, repeat (next to each other or further on), start with a non-ASCII
or punctuation character or the delimiter; doubles with short and long fractions,
trailing zeros and tiny values; numbers with signs and leading zeros."""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.back.storage import PigStorage, parse_schema
from piglatin.model import data
from piglatin.model.carriedline import line_pattern, number_pattern
from piglatin.model.textcomplex import carried_text_pattern, carried_text_test

SCHEMA = "k:chararray, n:int, l:long, d:double, m:map[], b:bag{t:(p:map[])}"
TYPES = ("chararray", "int", "long", "double", "map", "bag")
MAP_BAG = [("t", "tuple", [("p", "map", None)])]
CARRIED = (
    True,
    False,
    False,
    False,
    carried_text_test("map", None),
    carried_text_test("bag", MAP_BAG),
)
BASE = ["k", "1", "2", "1.5", "[a#1]", "{([b#2])}"]


def round_trip(line: str, delimiter: str = "\t") -> tuple[str, dict]:
    """What PigStorage writes for what it reads from `line`, and the warnings it gave."""
    load = PigStorage(delimiter).with_schema(parse_schema(SCHEMA))
    written = load.format(load.parse_line(line.encode("utf-8"))).decode("utf-8")
    return written, dict(load.warnings)


PATTERN = line_pattern(TYPES, CARRIED, "\t", keys=(0,))
assert PATTERN is not None

# ---------------------------------------------------------------------------- map texts
_FIRST = "abcxyzAZ09é_ -"  # ASCII letters and digits (the fast form) and others
_KEYS = st.text(_FIRST, min_size=1, max_size=3)
_VALUES = st.text("xy1é#", max_size=3) | st.sampled_from(["", "v(", "]", "a,b", "\t", "[z#1]"])


@st.composite
def sorted_map_texts(draw) -> str:
    """A map whose keys are mostly sorted (distinct first characters when so drawn), with
    one change now and then: a key again, two keys sharing a first character, a key out
    of order, an odd item, a trailing comma, spaces."""
    keys = sorted(draw(st.lists(_KEYS, max_size=6, unique=True)))
    if draw(st.booleans()):
        seen: set[str] = set()
        keys = [k for k in keys if not (k[0] in seen or seen.add(k[0]))]
    items = [f"{k}#{draw(st.text('xyé#1', max_size=3))}" for k in keys]
    change = draw(st.integers(0, 9))
    if change == 0 and items:  # a key again, next to it or further on
        k = draw(st.sampled_from(keys))
        items.insert(draw(st.integers(0, len(items))), f"{k}#{draw(_VALUES)}")
    elif change == 1 and items:  # a key sharing the first character of another
        k = draw(st.sampled_from(keys))
        items.insert(draw(st.integers(0, len(items))), f"{k[0]}{draw(_KEYS)}#1")
    elif change == 2 and len(items) > 1:  # out of order
        i = draw(st.integers(0, len(items) - 2))
        items[i], items[i + 1] = items[i + 1], items[i]
    elif change == 3:  # an odd item
        odd = draw(st.sampled_from(["", "#1", "a", "a#1#2", "a b#1", "(#1", "\t#1"]))
        items.insert(draw(st.integers(0, len(items))), odd)
    elif change == 4 and items:  # an odd value
        i = draw(st.integers(0, len(items) - 1))
        items[i] = items[i].split("#")[0] + "#" + draw(_VALUES)
    text = "[" + ",".join(items) + "]"
    if change == 5:
        text = text[:-1] + ",]"
    elif change == 6:
        text = draw(st.sampled_from([" ", ""])) + text + draw(st.sampled_from([" ", ""]))
    return text


@st.composite
def sorted_bag_texts(draw) -> str:
    maps = draw(st.lists(sorted_map_texts(), max_size=4))
    inner = ",".join(f"({m})" for m in maps)
    return draw(st.sampled_from(["{" + inner + "}"] * 8 + ["{" + inner + ",}", "{" + inner]))


def _line(column: int, text: str) -> str:
    return "\t".join(BASE[:column] + [text] + BASE[column + 1 :])


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([4, 5]).flatmap(lambda c: st.tuples(st.just(c), _complex(c))))
def test_a_map_or_bag_the_proof_takes_is_written_back_as_itself(field) -> None:
    column, text = field
    line = _line(column, text)
    if PATTERN.fullmatch(line) is not None:
        assert round_trip(line) == (line, {})


def _complex(column: int) -> st.SearchStrategy[str]:
    return sorted_map_texts() if column == 4 else sorted_bag_texts()


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(string.ascii_letters + string.digits, min_size=1), st.text("xy")))
def test_maps_with_sorted_keys_of_distinct_first_characters_are_taken(m: dict) -> None:
    """The fast form's own shape is taken, and so is every other canonical map (the general
    form): the proof is not "never"."""
    first: dict[str, str] = {}
    for k in sorted(m):
        first.setdefault(k[0], k)
    for keys in (sorted(first.values()), sorted(m, reverse=True)):
        text = "[" + ",".join(f"{k}#{m[k]}" for k in keys) + "]"
        assert PATTERN.fullmatch(_line(4, text)) is not None, text
        assert PATTERN.fullmatch(_line(5, "{(" + text + ")}")) is not None, text


def test_keys_the_fast_form_must_not_take() -> None:
    for text in [
        "[a#1,a#2]",
        "[a#1,ab#2,a#3]",
        "[a#1,b#2,a#3]",
        "[b#1,a#2,b#3]",
        "[a#1,b#2,c#3,b#4]",
        "[A#1,a#2,A#3]",
        "[0#1,9#2,0#3]",
        "[a#1,b]",
        "[a#1,]",
        "[a#1,,b#2]",
        "[a#1,#2]",
        "[a#(1),b#2]",
        "[a#1,b#2]]",
    ]:
        assert PATTERN.fullmatch(_line(4, text)) is None, text
        assert PATTERN.fullmatch(_line(5, "{(" + text + ")}")) is None, text
    for text in ["{([a#1]),([a#1,a#2])}", "{([a#1,a#2]),([b#1])}", "{([a#1]),}", "{,([a#1])}"]:
        assert PATTERN.fullmatch(_line(5, text)) is None, text


def test_a_letter_delimiter_never_starts_a_key() -> None:
    """With PigStorage('a'), a key starting with 'a' would run over the delimiter."""
    pattern = carried_text_pattern(carried_text_test("map", None), "a", "t")
    assert pattern is not None
    one = re.compile(f"(?:{pattern})?+a[^a]*+")
    assert one.fullmatch("[b#1]ax")
    assert one.fullmatch("[b#1,c#2]ax")
    assert one.fullmatch("[a#1]ax") is None
    assert one.fullmatch("[b#1,c#2a]ax") is None


# ------------------------------------------------------------------------------ numbers
_DIGITS = st.text("0123456789", min_size=1, max_size=12)
_DOUBLE_TEXTS = st.one_of(
    st.tuples(st.sampled_from(["", "-"]), _DIGITS, _DIGITS).map(lambda t: f"{t[0]}{t[1]}.{t[2]}"),
    st.floats(1e-4, 2e7).map(repr),
    st.floats(1e-4, 2e7).map(lambda x: f"{x:.{len(repr(x))}f}"),
    st.sampled_from(["0.0", "-0.0", "1.", ".5", "1.0", "0.001", "0.0001", "9999999.9999999"])
    | st.sampled_from(["10000000.0", "1.50", "0.010", "-0.001", "1234567.1234567", "00.5"]),
)


@settings(max_examples=1500, deadline=None)
@given(_DOUBLE_TEXTS)
def test_a_double_the_proof_takes_is_its_own_stored_text(text: str) -> None:
    one = re.compile(number_pattern("double") or "")
    if one.fullmatch(text) is not None:
        assert data.format_double(float(text)) == text
        assert round_trip(_line(3, text)) == (_line(3, text), {})


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-3, 1e7, exclude_max=True), st.booleans())
def test_doubles_pig_writes_are_taken(x: float, negative: bool) -> None:
    text = data.format_double(-x if negative else x)
    if len(text) <= 16:
        assert re.fullmatch(number_pattern("double") or "", text), text


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(["int", "long"]),
    st.tuples(st.sampled_from(["", "-", "+", "--"]), _DIGITS | st.text("0123456789", max_size=20)),
)
def test_an_int_or_long_the_proof_takes_is_its_own_stored_text(type_name, parts) -> None:
    text = "".join(parts)
    limit = 2**31 if type_name == "int" else 2**63
    taken = re.fullmatch(number_pattern(type_name) or "", text) is not None
    if taken:
        assert str(int(text)) == text and -limit <= int(text) < limit
        column = 1 if type_name == "int" else 2
        assert round_trip(_line(column, text)) == (_line(column, text), {})
    canonical = re.fullmatch("-?[0-9]+", text) is not None and str(int(text)) == text
    if canonical and len(text.lstrip("-")) <= (9 if type_name == "int" else 18):
        assert taken, text
