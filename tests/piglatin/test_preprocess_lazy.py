"""preprocess.py's line tests that skip compiling their patterns when a line cannot match
(no '%': no %declare/%default; an ASCII line without 'define': no macro; -param names by
str methods): for any line they answer what the patterns themselves answer (Pig's syntax
as the module wrote it as regular expressions), ASCII or not."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from piglatin.front import preprocess as P

MACRO = re.compile(r"^\s*define\s+[A-Za-z_][A-Za-z0-9_]*\s*\(", re.I)
DIRECTIVE = re.compile(r"^\s*%(declare|default)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(.*?)\s*;?\s*$", re.I)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

pieces = st.sampled_from(
    ["define", "DEFINE", "DeFiNe", "%declare", "%DEFAULT", "%", " ", "\t", "(", "m", "x1",
     "_", "9", "=", ";", "'v'", "ſ", "İ", "ı", "K", "é", "\u00a0", "\x1c", "de", "fine"]
)  # fmt: skip
lines = st.lists(st.one_of(pieces, st.text(max_size=3)), max_size=8).map("".join)


@given(lines)
def test_macro_and_directive_lines_as_the_patterns_say(line):
    assert P._macro_start(line) == bool(MACRO.match(line))
    found, expected = P._directive_match(line), DIRECTIVE.match(line)
    assert (found and found.groups()) == (expected and expected.groups())


@given(lines)
def test_param_names_as_the_pattern_says(text):
    assert P._is_name(text) == bool(NAME.fullmatch(text))
