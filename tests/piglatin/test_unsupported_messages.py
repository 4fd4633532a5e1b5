"""What Pig Latin has and this implementation does not is refused with a message that says so
(docs/pig.md, "What the language covers"), at the place in the script, never a generic syntax
error that suggests the script is wrong Pig."""

from __future__ import annotations

import pytest

from piglatin.errors import ParseError
from piglatin.front.parser import parse

CASES = [
    ("A = LOAD 'x' AS (a:bigdecimal);", "bigdecimal is a Pig type this implementation", 1, 20),
    ("A = LOAD 'x' AS (a:biginteger);", "biginteger is a Pig type this implementation", 1, 20),
    (
        "A = LOAD 'x';\nB = MAPREDUCE 'wc.jar' STORE A INTO 'in' LOAD 'out' AS (w) `wc in out`;",
        "MAPREDUCE is a Pig operator",
        2,
        5,
    ),
]


@pytest.mark.parametrize("text, message, line, column", CASES)
def test_refused_with_what_is_missing(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(ParseError, match=message) as info:
        parse(text + "\n")
    assert (info.value.line, info.value.column) == (line, column)  # 1-based (Pig prints column-1)
