"""front/lexer.py compiles the grammar's regular-expression terminals with ``re.ASCII`` for a
text `_plain` accepts (ASCII, without U+001C..U+001F): each terminal must then match exactly
what it matches compiled as the grammar writes it (Lark's own flags), at every position of any
such text (hypothesis, with the grammar's own words mixed in), and a text where the two modes
could differ must not be called plain. Lark-equivalence of whole parses is test_front_lexer's."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piglatin.front.lexer import _plain  # noqa: PLC2701 - the rule under test
from piglatin.front.parser import _tables  # noqa: PLC2701 - the grammar's tables

REGEXES = [t for t in _tables().terminals if t.kind == "re"]
PLAIN_CHARS = "".join(c for c in map(chr, range(128)) if c not in "\x1c\x1d\x1e\x1f")
PIECES = [
    "load", "LOAD", "Foreach", "COUNT(", "count (", "a::b", "x.y(", "fs -ls", "rmf x", "sh ls",
    "'q\\'s'", "'\\n'", "--c\n", "/* b */", "1.5e3f", "2L", ".5", "3e-2", "$0", "==", "<=",
    "-brief", "-param", "k = v", "not (", "group(", "\t", "\n", " ", "\x0b", "\x0c", "_", "9",
]  # fmt: skip


def _matches(pattern: re.Pattern[str], text: str) -> list[str | None]:
    found = []
    for pos in range(len(text) + 1):
        m = pattern.match(text, pos)
        found.append(None if m is None else m.group(0))
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(alphabet=PLAIN_CHARS, max_size=6)),
        max_size=12,
    )
)
def test_every_terminal_matches_the_same_in_both_modes_on_plain_text(parts: list[str]) -> None:
    text = "".join(parts)
    assert _plain(text)
    for t in REGEXES:
        unicode, ascii_ = re.compile(t.regexp), re.compile(t.regexp, re.ASCII)
        assert _matches(ascii_, text) == _matches(unicode, text), t.name


@pytest.mark.parametrize("char", ["\x1c", "\x1d", "\x1e", "\x1f", "\u017f", "\u212a", "\u00e9"])
def test_a_text_the_modes_could_read_differently_is_not_plain(char: str) -> None:
    assert not _plain(f"A = LOAD 'x'{char};")


def test_the_separators_are_why_plain_text_excludes_them() -> None:
    """Unicode's \\s matches U+001C..U+001F, ASCII's does not: FUNC_NAME's ``\\s*\\(``."""
    func = next(t for t in REGEXES if t.name == "FUNC_NAME")
    text = "f\x1c(1)"
    assert re.compile(func.regexp).match(text) is not None
    assert re.compile(func.regexp, re.ASCII).match(text) is None
    assert set(string.whitespace) <= set(PLAIN_CHARS)
