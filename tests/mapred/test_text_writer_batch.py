"""`TextRecordWriter.write_pairs` writes exactly what `write` writes pair by pair, whatever the
pairs hold (str, int, float, tuples, None, bytes) and whatever the separator (braces
included); pairs of other values than str go through the batched formatting."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.output import TextRecordWriter


class _Kept(io.BytesIO):
    def close(self) -> None:
        self.kept = self.getvalue()
        super().close()


def written(pairs, separator: str, batched: bool) -> bytes:
    f = _Kept()
    w = TextRecordWriter(f, separator)
    if batched:
        assert w.write_pairs(iter(pairs)) == len(pairs)
    else:
        for k, v in pairs:
            w.write(k, v)
    w.close()
    return f.kept


values = st.one_of(
    st.text(max_size=5),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.binary(max_size=4).filter(lambda b: b.isascii()),
    st.tuples(st.integers(), st.text(max_size=2)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(values, values), max_size=40),
    st.sampled_from(["\t", ",", "{}", "}{x", "::"]),
)
def test_batched_pairs_are_what_write_writes(pairs, separator) -> None:
    assert written(pairs, separator, True) == written(pairs, separator, False)


def test_words_and_int_counts() -> None:
    pairs = [("a", 3), ("b", 10), ("c{", 1)]
    assert written(pairs, "\t", True) == b"a\t3\nb\t10\nc{\t1\n"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.none(), st.one_of(st.text(max_size=6), st.none(), st.integers())),
        max_size=40,
    )
)
def test_whole_lines_as_pig_stores_write_them(pairs) -> None:
    """(None, line) pairs: Pig's stored lines, joined in one pass when all are str."""
    assert written(pairs, "\t", True) == written(pairs, "\t", False)


def test_whole_lines_are_the_lines() -> None:
    pairs = [(None, "a\tb"), (None, ""), (None, "é")]
    assert written(pairs, "\t", True) == "a\tb\n\né\n".encode()
