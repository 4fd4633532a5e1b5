"""Reduce-side (repartition) join of two tab-separated inputs on their first field.

Owns: the thesis' "MapReduce reduce-side join" (``hadoop jar jobs.join_reduce_side LEFT RIGHT
OUT [-D join.type=inner|leftouter]``). Must not touch framework internals.

Each input has its own mapper (MultipleInputs). A record becomes ``((join key, tag), (tag,
rest))`` where the tag is 0 for the side to buffer and 1 for the side to stream. The custom
partitioner hashes the join key only, the sort key is ``(join key, tag)`` and the grouping key is
the join key, so one reduce call sees the buffered side's rows first and then streams the other
side, holding only the buffered rows. The grouping is declared as bytes (``group_bytes``): the
sort bytes of a ``(str, small int)`` key end in the int's 10 bytes, so dropping them leaves the
join key's, and the framework groups without a Python call per record. The buffered side is
``join.buffered.side`` (``left`` or ``right``); ``hadoop jar`` picks the smaller input. Output:
``key<TAB>left rest<TAB>right rest``; a left-outer join writes an empty right part for
unmatched left rows.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

import fsspec

from mapred.api import Input, Job, Step
from mapred.errors import UsageError
from mapred.partition import GroupBytes

JOIN_TYPE = "join.type"
BUFFERED = "join.buffered.side"


class ReduceSideJoin(Job):
    def setup(self) -> None:
        self.outer = str(self.context.get(JOIN_TYPE, "inner")).lower() in ("leftouter", "left")
        self.left_tag = 0 if str(self.context.get(BUFFERED, "left")).lower() == "left" else 1

    def _tagged(self, line: str, tag: int) -> Iterator[tuple[tuple[str, int], tuple[int, str]]]:
        key, _, rest = line.partition("\t")
        yield (key, tag), (tag, rest)

    def map_left(self, offset: int, line: str) -> Iterator:
        return self._tagged(line, self.left_tag)

    def map_right(self, offset: int, line: str) -> Iterator:
        return self._tagged(line, 1 - self.left_tag)

    def partition(self, key: tuple[str, int], n: int) -> int:
        return zlib.crc32(key[0].encode("utf-8")) % n

    def sort_key(self, key: tuple[str, int]) -> tuple[str, int]:
        return key

    group_bytes = GroupBytes(-10)  # the grouping comparator: the join key (the tag dropped)

    def reduce(self, key: tuple[str, int], values: Iterator[tuple[int, str]]) -> Iterator:
        join_key = key[0]
        buffered: list[str] = []
        streamed_any = False
        left_buffered = self.left_tag == 0
        for tag, rest in values:
            if tag == 0:
                buffered.append(rest)
                continue
            streamed_any = True
            if left_buffered:
                for left in buffered:
                    yield join_key, f"{left}\t{rest}"
            elif buffered:
                for right in buffered:
                    yield join_key, f"{rest}\t{right}"
            elif self.outer:
                yield join_key, f"{rest}\t"
        if left_buffered and self.outer and not streamed_any:
            for left in buffered:
                yield join_key, f"{left}\t"

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        if len(args) != 3:
            raise UsageError("Usage: join_reduce_side <left> <right> <out>")
        left, right, out = args
        side = "left" if _size(left) <= _size(right) else "right"
        inputs = [Input(left, mapper="map_left"), Input(right, mapper="map_right")]
        return [Step(cls, inputs, out, {BUFFERED: side})]


def _size(url: str) -> int:
    fs, path = fsspec.core.url_to_fs(url)
    try:
        return int(fs.du(path, total=True))
    except (FileNotFoundError, OSError):
        return 0
