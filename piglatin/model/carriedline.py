"""Whole text lines that PigStorage would write back exactly as it read them.

Owns: `line_pattern`, one compiled regex per loader schema whose `fullmatch` proves, in C, that
every field of a line is the text PigStorage stores for the value read from it (reading it
warns nothing), so an ORDER that only carries its rows from a PigStorage input to a
PigStorage output with the same delimiter may write the input line itself. It says
nothing about the fields' values: the caller still converts the sort key's columns. A line
that does not match is not wrong, only not proven: the caller parses and formats it. Also
`number_pattern`, the same proof for one int, long or double field (a hash join's map copies
such a field's text into its part of the joined line: `joinfragments`).

Must not touch: parsing, formatting, casts (it encodes their rules as patterns and is
checked against them by tests/piglatin/test_order_fast.py), plans, code generation.

Each field's pattern matches exactly the texts the per-field rules carry, empty (null)
included:

* chararray, bytearray: any text without the delimiter (it is stored as read);
* int, long: ASCII digits without a leading zero (a '-' before any but a lone 0), at most
  9 (int) or 18 (long) of them, so in range; ``str(int(text))`` is the text;
* double: ``-?D.F`` with 1 to 7 integer digits (no leading zero but a lone 0), a fraction
  without trailing zeros (but a lone 0), a value in [0.001, 1e7), at most 16 characters:
  at most 15 significant digits, so ``float`` reads the nearest double and its shortest
  repr (what `data.format_double` writes in that range) is the text itself;
* untyped maps and bags of one untyped map: `textcomplex.carried_text_pattern`.

Any other type, or a delimiter that can occur inside a field's own text (a digit, '.', '-'
for numbers; a bracket, ',' or '#' for maps and bags), gives no test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from piglatin.model.textcomplex import (
    MAP_BAG_CLOSE,
    MAP_BAG_OPEN,
    carried_text_pattern,
    is_map_bag_test,
)

# one alternative per sign (a branch that starts with a character class is skipped by one
# test) rather than an optional '-': fewer steps of the regex engine per field
_INT_ALTERNATIVES = "[1-9][0-9]{0,8}+|-[1-9][0-9]{0,8}+|0"
_LONG_ALTERNATIVES = "[1-9][0-9]{0,17}+|-[1-9][0-9]{0,17}+|0"
# an integer part of 1-7 digits and a fraction of 1-7 digits without a trailing zero (or
# exactly 0), or 0 and a fraction whose first non-zero digit is within its first three
# (at least 0.001) followed by at most 10 more digits: at most 16 characters, sign
# included; a trailing zero is refused by a lookbehind after a possessive run of digits.
# Any other text up to 16 characters long (a longer fraction) is tried by the general
# form, whose lookahead bounds the length (3 to 16 characters of the number).
_SHORT_DOUBLE = (
    r"-?+(?:[1-9][0-9]{0,6}+\.(?:[0-9]{1,7}+(?<!0)|0)"
    r"|0\.(?:00?+)?+[1-9][0-9]{0,10}+(?<!0))"
)
_ANY_DOUBLE = (
    r"(?=[-.0-9]{3,16}+(?![-.0-9]))-?"
    r"(?:[1-9][0-9]{0,6}+\.(?:[0-9]*[1-9]|0)|0\.(?=0{0,2}[1-9])[0-9]*[1-9])"
)
_DOUBLE_ALTERNATIVES = f"{_SHORT_DOUBLE}|{_ANY_DOUBLE}"
# each number's alternatives, written in one group with a field's empty (null) text: one
# branch of the regex engine per field rather than two nested (~70 fewer instructions a field)
_ALTERNATIVES = {
    "int": _INT_ALTERNATIVES,
    "long": _LONG_ALTERNATIVES,
    "double": _DOUBLE_ALTERNATIVES,
}
_NUMBERS = {name: f"(?:{alternatives})" for name, alternatives in _ALTERNATIVES.items()}
_NUMBER_CHARS = frozenset("0123456789.-")


def line_pattern(
    types: Sequence[str],
    carried: Sequence[Callable[[str], bool] | bool],
    delimiter: str,
    keys: Collection[int] = (),
    memo: Collection[int] = (),
    proven: Collection[int] = (),
) -> re.Pattern[str] | None:
    """The pattern whose ``fullmatch`` takes a line of exactly ``len(types)`` fields split by
    `delimiter`, each of type ``types[i]`` (`TextFields.carried[i]`: True for text, a test
    for a complex field) stored as read; group ``k{i}`` holds field i's text for each i in
    `keys`. None when some field has no pattern.

    `memo`: fields (not in `keys`) whose proof the caller may take over, with a group
    ``t{i}`` each. The group holds the field's text, any text without the delimiter (for a
    bag of one-map tuples: empty, ``{}``, or `textcomplex.MAP_BAG_OPEN` ... `MAP_BAG_CLOSE`,
    the forms of all its carried texts), for the caller to prove with ``field_proof`` (the
    field's own pattern here, compiled: the same test), e.g. once per distinct text, or a
    bag once per distinct map; for a field also in `proven`, the pattern proves the
    field itself and the group is empty. Both forms number every group alike (the field's
    own groups follow ``t{i}`` in one, as many empty groups do in the other), so a caller may
    switch from one to the other."""
    if len(delimiter) != 1 or not types or len(carried) != len(types):
        return None
    parts = []
    for i, (type_name, ok) in enumerate(zip(types, carried)):
        pattern = field_pattern(type_name, ok, delimiter, f"f{i}")  # as field_proof's
        if pattern is None:
            return None
        if i in memo:
            if i not in proven:
                inner = re.compile(pattern).groups  # field_proof's pattern: compiled once
                shape = _memo_shape(ok, delimiter)
                pattern = f"(?P<t{i}>{shape})" + "()" * inner
            else:
                pattern = f"(?P<t{i}>){pattern}"
        parts.append(f"(?P<k{i}>{pattern})" if i in keys else pattern)
    return re.compile(re.escape(delimiter).join(parts))


def _memo_shape(ok: Callable[[str], bool] | bool, delimiter: str) -> str:
    """The texts a memo field's group ``t{i}`` takes: any text without the delimiter, or for
    a bag of one-map tuples the forms its carried texts have (`textcomplex.map_bag_bodies`),
    so the caller may split it without testing its ends."""
    text = f"[^{re.escape(delimiter)}]*+"
    if not is_map_bag_test(ok):
        return text
    start, end = re.escape(MAP_BAG_OPEN), re.escape(MAP_BAG_CLOSE)
    return rf"(?:\{{\}}|{start}{text}(?<={end}))?+"


def field_proof(
    types: Sequence[str], carried: Sequence[Callable[[str], bool] | bool], delimiter: str, i: int
) -> re.Pattern[str] | None:
    """Field i's own pattern in `line_pattern`'s lines, compiled: its ``fullmatch`` proves a
    text of that field (one without the delimiter) as the whole line's pattern would."""
    pattern = field_pattern(types[i], carried[i], delimiter, f"f{i}")
    return None if pattern is None else re.compile(pattern)


def number_pattern(type_name: str) -> str | None:
    """The pattern of the non-empty texts of an int, long or double field that are the
    text PigStorage stores for the value read from them (None for another type)."""
    return _NUMBERS.get(type_name)


def field_pattern(
    type_name: str, ok: Callable[[str], bool] | bool, delimiter: str, tag: str
) -> str | None:
    """The pattern of one field's carried texts, empty included (`tag`: a prefix for the
    names of its groups, unique in the line)."""
    if ok is True:
        return f"[^{re.escape(delimiter)}]*+"
    if ok is False:
        alternatives = _ALTERNATIVES.get(type_name)
        if alternatives is None or delimiter in _NUMBER_CHARS:
            return None
        return f"(?:{alternatives}|)"
    pattern = carried_text_pattern(ok, delimiter, tag)
    return None if pattern is None else f"(?:{pattern})?+"
