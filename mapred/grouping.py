"""A reduce task's grouping: the merged, sorted records of a partition become the groups a
job's ``reduce`` (one call per group) or ``reduce_batch`` (one call per batch of groups) sees.

Owns how records are cut into groups (equal sort bytes, a job's ``group_bytes`` prefix, or its
``group_key`` method: Hadoop's grouping comparator) and how whole groups are gathered into
batches. Must not touch: fetching, merging, the job's output or counters (the task does those;
``state`` only tells it the key being reduced and how many groups there were).

Records are ``(sort bytes, key, value)`` tuples, or ``(key, value)`` pairs whose key is its own
sort bytes (the pair layout, ``mapred.serde``), in blocks (lists) as the merge gives them; the
first record says which (`_Layout`). A group is reduced with its FIRST key (as Hadoop's reducer
sees the key of the group's first record under a grouping comparator).

Batches (``reduce_batch``, Hadoop's ``Reducer.run`` override): ``group_batches`` yields lists
of complete groups, each ``(key, [values])``, and never splits a group between two batches.
A group that grows past ``limit`` records before it ends is not gathered: it is yielded alone
as ``(key, lazy values)`` for the job's ``reduce``, read a record at a time, so memory stays
bounded whatever a group's size. ``group_runs`` yields the same batches flat, each a
`GroupRuns` (the groups' first keys, all their values in one list, where each group ends) for
a job's ``reduce_groups``: a block's groups of one record each cost no object per group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import accumulate, chain, compress, groupby, islice, repeat
from operator import itemgetter, ne, sub
from typing import Any

from dfs.fastclass import dataclass
from mapred.api import has_method
from mapred.partition import group_bytes_of

__all__ = [
    "groups",
    "group_batches",
    "group_runs",
    "GroupRuns",
    "grouping_key",
    "BATCH_GROUP_LIMIT",
]

_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a record holds its key and its value (C-level getters)."""

    key: Callable[[tuple], Any]
    value: Callable[[tuple], Any]


_TRIPLES = _Layout(_second, _third)  # (sort bytes, key, value)
_PAIRS = _Layout(_first, _second)  # (key, value): the key is its sort bytes


def _layout(record: tuple) -> _Layout:
    return _PAIRS if len(record) == 2 else _TRIPLES


#: a group with more records than this goes to ``reduce`` on its own, read lazily
BATCH_GROUP_LIMIT = 4096


def grouping_key(job: Any) -> Callable[[tuple], Any] | None:
    """record -> what decides its group, or None when that is the whole sort bytes (the
    default: equal keys group)."""
    grouping = group_bytes_of(job)
    if grouping is not None:
        return _CutKey(grouping.cut)
    if has_method(type(job), "group_key"):
        group_key = job.group_key

        def key_of(record: tuple) -> Any:
            return group_key(record[-2])  # the key: second to last in either layout

        return key_of
    return None


@dataclass(frozen=True, slots=True)
class _CutKey:
    """record -> its sort bytes cut to the group's (a job's ``group_bytes``); `of_block`
    gives a block's keys in two C-level ``map`` passes, no Python call per record."""

    cut: Callable[[bytes], bytes]

    def __call__(self, record: tuple) -> bytes:
        return self.cut(record[0])

    def of_block(self, block: list) -> list:
        return list(map(self.cut, map(_first, block)))


def _keys(key: Callable[[tuple], Any] | None, block: list) -> list:
    """The grouping keys of a block's records (`key` None: their sort bytes)."""
    if key is None:
        return list(map(_first, block))
    if type(key) is _CutKey:
        return key.of_block(block)
    return list(map(key, block))


def groups(job: Any, blocks: Iterator[list], state: list) -> Iterator[tuple[Any, Iterator[Any]]]:
    """(first key of the group, lazy values) per group of the grouping comparator, from the
    merge's blocks of (sort bytes, key, value) records; `state` holds the group's key (for an
    error's location) and counts the groups.

    Equal byte sort keys group C-level (``groupby`` on ``itemgetter(0)``), and so do the bytes a
    job declares with ``group_bytes``: each block's records are paired with their cut sort keys
    in one ``zip`` of ``map`` calls. Only a general ``group_key`` method costs a Python call per
    record."""
    blocks = filter(None, blocks)  # an empty block must not decide the layout
    first = next(blocks, None)
    if first is None:
        state[1] = 0
        return iter(())
    lay = _layout(first[0])
    blocks = chain((first,), blocks)
    grouping = group_bytes_of(job)
    if grouping is not None:
        cut = grouping.cut

        def keyed(block: list) -> Iterator[tuple[bytes, tuple]]:
            return zip(map(cut, map(_first, block)), block)

        grouped = groupby(chain.from_iterable(map(keyed, blocks)), _first)
        return _keyed_groups(grouped, state, lay)
    records = chain.from_iterable(blocks)
    key = grouping_key(job)
    return _record_groups(groupby(records, key=key or _first), state, lay)


def _record_groups(
    grouped: Iterator, state: list, lay: _Layout
) -> Iterator[tuple[Any, Iterator[Any]]]:
    n = 0
    key_of, value_of = lay.key, lay.value
    try:
        for _, group in grouped:
            record = next(group)
            state[0] = key = key_of(record)
            n += 1
            yield key, chain((value_of(record),), map(value_of, group))
    finally:
        state[1] = n


def _keyed_groups(
    grouped: Iterator, state: list, lay: _Layout
) -> Iterator[tuple[Any, Iterator[Any]]]:
    """As ``_record_groups`` for groups of (cut sort bytes, record) pairs."""
    n = 0
    key_of, value_of = lay.key, lay.value
    try:
        for _, group in grouped:
            record = next(group)[1]
            state[0] = key = key_of(record)
            n += 1
            yield key, chain((value_of(record),), map(value_of, map(_second, group)))
    finally:
        state[1] = n


class _Records:
    """The merge's blocks with one block pushed back: what is left of a block after a big
    group's last record."""

    def __init__(self, blocks: Iterator[list]) -> None:
        self._blocks = blocks
        self.back: list | None = None

    def next_block(self) -> list | None:
        if self.back is not None:
            block, self.back = self.back, None
            return block
        return next(self._blocks, None)


@dataclass(frozen=True, slots=True)
class GroupRuns:
    """Whole groups, in order, flat (what ``reduce_groups`` takes): group i's first key is
    ``keys[i]`` and its values are ``values[ends[i - 1]:ends[i]]`` (from 0 for the first);
    ``ends`` is None when every group holds exactly one value (group i's is ``values[i]``).

    >>> GroupRuns(["a", "b"], [1, 2, 3], [2, 3]).pairs()
    [('a', [1, 2]), ('b', [3])]
    >>> GroupRuns(["a", "b"], [1, 2], None).pairs()
    [('a', [1]), ('b', [2])]
    """

    keys: list
    values: list
    ends: list[int] | None

    def pairs(self) -> list[tuple[Any, list]]:
        """The groups as ``(key, [values])`` (what ``reduce_batch`` takes)."""
        if self.ends is None:
            return [(k, [v]) for k, v in zip(self.keys, self.values)]
        values, ends = self.values, self.ends
        return [(k, values[s:e]) for k, s, e in zip(self.keys, chain((0,), ends), ends)]


def group_batches(
    blocks: Iterator[list],
    key: Callable[[tuple], Any] | None,
    state: list,
    limit: int | None = None,
) -> Iterator[tuple[list | None, Any, Iterator[Any] | None]]:
    """``(groups, None, None)``: a list of complete ``(key, [values])`` groups, in order; or
    ``(None, key, values)``: one group of more than `limit` records, its values lazy (what the
    caller leaves unread is skipped when it asks for the next item). `key` is `grouping_key`'s
    function (None: the sort bytes); `limit` defaults to ``BATCH_GROUP_LIMIT``. `state` as for
    `groups` (the batch's first key)."""
    return _cut(blocks, key, state, limit, _block_pairs, _list_pairs)


def group_runs(
    blocks: Iterator[list],
    key: Callable[[tuple], Any] | None,
    state: list,
    limit: int | None = None,
) -> Iterator[tuple[GroupRuns | None, Any, Iterator[Any] | None]]:
    """As `group_batches`, each batch a `GroupRuns`: a block's groups are cut in C-level
    passes (its keys, values and group ends; no object per group), so a job reading them flat
    pays nothing per group to have them handed over."""
    return _cut(blocks, key, state, limit, _block_runs, _list_runs)


def _cut(
    blocks: Iterator[list],
    key: Callable[[tuple], Any] | None,
    state: list,
    limit: int | None,
    of_block: Callable[[list, int, list[int], _Layout], Any],
    of_lists: Callable[[list[list], _Layout], Any],
) -> Iterator[tuple[Any, Any, Iterator[Any] | None]]:
    """The batches of `group_batches`, each made by ``of_block(block, begin, starts, layout)``
    (the groups of ``block[begin:starts[-1]]``, starting at `begin` and at each of `starts`) or
    ``of_lists(groups, layout)`` (groups as lists of records)."""
    limit = BATCH_GROUP_LIMIT if limit is None else limit
    records = _Records(blocks)
    open_key: Any = None
    open_group: list = []  # records of the group still open at the end of the last block
    n = 0
    lay = None
    try:
        while (block := records.next_block()) is not None:
            if not block:
                continue
            if lay is None:
                lay = _layout(block[0])
                key_of = lay.key
            keys = _keys(key, block)
            # where each group but the block's first starts: C-level comparisons of neighbours
            starts = list(compress(range(1, len(block)), map(ne, islice(keys, 1, None), keys)))
            complete: list[list] = []  # the records of each group that ends in this block
            begin = 0
            if open_group:
                if keys[0] == open_key:
                    begin = starts[0] if starts else len(block)
                    open_group += block[:begin]
                    starts = starts[1:]
                if begin == len(block):  # the open group goes on past this block
                    if len(open_group) > limit:
                        n += 1
                        yield from _big(open_group, open_key, key, records, state, lay)
                        open_group = []
                    continue
                complete.append(open_group)
            bounds = [begin, *starts]
            one_each = starts and len(starts) == starts[-1] - begin  # a group per record
            if one_each or (starts and max(map(sub, starts, bounds)) <= limit):  # small groups
                n += len(complete)
                yield from _batches(complete, limit, state, of_lists, lay)  # the last block's
                complete = []
                n += len(starts)
                state[0] = key_of(block[begin])
                yield of_block(block, begin, starts, lay), None, None
            else:
                complete += [block[s:e] for s, e in zip(bounds, starts)]
            open_group, open_key = block[bounds[-1] :], keys[bounds[-1]]
            n += len(complete)
            yield from _batches(complete, limit, state, of_lists, lay)
            if len(open_group) > limit:
                n += 1
                yield from _big(open_group, open_key, key, records, state, lay)
                open_group = []
        if open_group:
            n += 1
            yield from _batches([open_group], limit, state, of_lists, lay)
    finally:
        state[1] = n


def _block_pairs(
    block: list, begin: int, starts: list[int], lay: _Layout
) -> list[tuple[Any, list]]:
    """The groups of ``block[begin:starts[-1]]`` as ``(key, [values])``."""
    stop = starts[-1]
    if len(starts) == stop - begin:  # one record per group: made at once
        if lay is _PAIRS:
            return [(k, [v]) for k, v in islice(block, begin, stop)]
        return [(k, [v]) for _kb, k, v in islice(block, begin, stop)]
    values = list(map(lay.value, islice(block, 0, stop)))
    key_of = lay.key
    return [(key_of(block[s]), values[s:e]) for s, e in zip([begin, *starts], starts)]


def _block_runs(block: list, begin: int, starts: list[int], lay: _Layout) -> GroupRuns:
    """The groups of ``block[begin:starts[-1]]`` as one `GroupRuns`, in C-level passes."""
    stop = starts[-1]
    values = list(map(lay.value, islice(block, begin, stop)))
    if len(starts) == stop - begin:  # one record per group
        return GroupRuns(list(map(lay.key, islice(block, begin, stop))), values, None)
    firsts = map(block.__getitem__, [begin, *starts[:-1]])
    ends = list(map(sub, starts, repeat(begin))) if begin else starts
    return GroupRuns(list(map(lay.key, firsts)), values, ends)


def _list_pairs(groups: list[list], lay: _Layout) -> list[tuple[Any, list]]:
    key_of, value_of = lay.key, lay.value
    return [(key_of(records[0]), list(map(value_of, records))) for records in groups]


def _list_runs(groups: list[list], lay: _Layout) -> GroupRuns:
    """Groups given as lists of records, as one `GroupRuns`."""
    keys = list(map(lay.key, map(_first, groups)))
    values = list(map(lay.value, chain.from_iterable(groups)))
    if len(values) == len(keys):
        return GroupRuns(keys, values, None)
    return GroupRuns(keys, values, list(accumulate(map(len, groups))))


def _batches(
    complete: list[list],
    limit: int,
    state: list,
    of_lists: Callable[[list[list], _Layout], Any],
    lay: _Layout,
) -> Iterator[tuple[Any, Any, Iterator[Any] | None]]:
    """Whole groups (lists of records) as batches (`of_lists`); one of more than `limit`
    records alone."""
    if not complete:
        return
    key_of = lay.key
    if max(map(len, complete)) <= limit:
        state[0] = key_of(complete[0][0])
        yield of_lists(complete, lay), None, None
        return
    out: list = []
    for records in complete:
        if len(records) <= limit:
            out.append(records)
            continue
        if out:
            state[0] = key_of(out[0][0])
            yield of_lists(out, lay), None, None
            out = []
        state[0] = key_of(records[0])
        yield None, key_of(records[0]), map(lay.value, records)
    if out:
        state[0] = key_of(out[0][0])
        yield of_lists(out, lay), None, None


def _big(
    head: list,
    group: Any,
    key: Callable[[tuple], Any] | None,
    records: _Records,
    state: list,
    lay: _Layout,
) -> Iterator[tuple[None, Any, Iterator[Any]]]:
    """A big group, alone and lazy; what its reducer left unread is skipped afterwards."""
    state[0] = lay.key(head[0])
    rest = _rest(head, group, key, records, lay.value)
    yield None, lay.key(head[0]), rest
    for _ in rest:
        pass


def _rest(
    head: list,
    group: Any,
    key: Callable[[tuple], Any] | None,
    records: _Records,
    value_of: Callable[[tuple], Any],
) -> Iterator[Any]:
    """The values of a big group: `head` (its records so far), then the following blocks'
    records while they belong to it; what follows the group is pushed back into `records`.
    Read to its end (by `_big`, if the job stopped early) before grouping goes on."""
    yield from map(value_of, head)
    while (block := records.next_block()) is not None:
        keys = _keys(key, block)
        stop = next(compress(range(len(block)), map(ne, keys, [group] * len(block))), None)
        if stop is None:
            yield from map(value_of, block)
            continue
        if stop:
            records.back = block[stop:]
            yield from map(value_of, block[:stop])
        else:
            records.back = block
        return
