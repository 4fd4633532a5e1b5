"""`exprs.plain_keys_bytes`: the sort bytes of a list of chararray keys at once, exactly
`data.sort_bytes` of each; None (the careful path) as soon as one key holds a NUL, is not
a str, or cannot be UTF-8 (a lone surrogate)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from piglatin.back.exprs import plain_keys_bytes
from piglatin.model import data

TEXT = st.text(alphabet=st.sampled_from(["a", "é", "\x00", "\t", "z", "\U0001f600"]), max_size=5)


@given(keys=st.lists(TEXT, min_size=1, max_size=8))
def test_plain_keys_are_their_sort_bytes(keys) -> None:
    got = plain_keys_bytes(keys)
    if any("\x00" in k for k in keys):
        assert got is None
    else:
        assert got == [data.sort_bytes(k) for k in keys]


def test_other_keys_take_the_careful_path() -> None:
    assert plain_keys_bytes(["a", 1]) is None
    assert plain_keys_bytes(["a", "\ud83d"]) is None
    assert plain_keys_bytes(["a", "b\x00"]) is None
