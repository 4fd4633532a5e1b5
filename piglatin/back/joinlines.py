"""A two-input join's text output made from each side's own text, once per row and side.

Owns: `SideTexts`, what a hash join's reduce side needs to write its joined rows as
PigStorage lines without building them: when everything after the JOIN is plain projections
whose output columns are some of the left row's, then some of the right row's, a joined line
is the left row's text (its columns and the delimiter) followed by the right row's. Each held
left row is formatted once per key, each streamed right row once, and the product of a key's
rows costs one string concatenation per output line instead of a tuple concatenation, a
projection and a join. Must not touch: which rows join (reducers.py) or what the job writes
otherwise (a row that is not plain chararrays, or a left row of another width, makes the
caller build the rows as before).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter

from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

__all__ = ["SideTexts", "side_texts"]


@frozen_dataclass(slots=False)
class SideTexts:
    """Per side, a row -> its part of the line (`left` ends with the delimiter when the right
    side writes something); `left_width`: the width a held row must have."""

    left: Callable[[tuple], str]
    right: Callable[[tuple], str]
    left_width: int

    def held(self, held: list[tuple]) -> list[str] | None:
        """The held (left) rows' texts, once per key; None when a held row is not
        `left_width` wide or a value is not a str."""
        if set(map(len, held)) != {self.left_width}:
            return None
        try:
            return list(map(self.left, held))
        except (TypeError, IndexError):
            return None

    def lines(self, lefts: list[str], rows: list[tuple]) -> str | None:
        """The joined lines of every row of `rows` with every held row (right row by right row,
        as the joined rows come), as one text; None when a value is not a str or a row is
        short."""
        try:
            rights = list(map(self.right, rows))
        except (TypeError, IndexError):
            return None
        return "\n".join([lt + rt for rt in rights for lt in lefts])


def side_texts(
    chain: Sequence[L.LogicalOperator], stages: Sequence[object], sep: str | None, widths: list[int]
) -> SideTexts | None:
    """The `SideTexts` of a two-input join followed by `chain` (its compiled `stages`, None
    for the identity) writing delimited text (`sep`), or None when the chain is not plain
    projections putting left columns before right ones, or a side's width is unknown."""
    if sep is None or len(widths) != 2 or not all(widths):
        return None
    cols: tuple[int, ...] = tuple(range(widths[0] + widths[1]))
    for op, stage in zip(chain, stages, strict=True):
        if stage is None:
            continue
        picked = L.plain_projection(op)
        if picked is None or any(c >= len(cols) for c in picked):
            return None
        cols = tuple(cols[c] for c in picked)
    wl = widths[0]
    k = sum(1 for c in cols if c < wl)
    if any(c >= wl for c in cols[:k]) or not cols:
        return None
    left, right = cols[:k], tuple(c - wl for c in cols[k:])
    both = bool(left) and bool(right)
    return SideTexts(_text(left, sep, sep if both else ""), _text(right, sep, ""), wl)


def _text(cols: tuple[int, ...], sep: str, end: str) -> Callable[[tuple], str]:
    """row -> its `cols` joined by `sep`, then `end` (a TypeError for a non-str value)."""
    if not cols:
        return lambda t: ""
    if len(cols) == 1:
        c = cols[0]
        return (lambda t: t[c] + end) if end else (lambda t: "" + t[c])
    get, join = itemgetter(*cols), sep.join
    return (lambda t: join(get(t)) + end) if end else (lambda t: join(get(t)))
