"""Sorted runs on local disk: writing partitioned segments, k-way merging them, combining on merge.

Owns: the spill/map-output file layout (consecutive per-partition segments of msgpack records, see
``mapred.serde``, with an in-memory index ``[(offset, length, records), ...]`` per partition) and
the multi-pass merge of spills ``mapreduce.task.io.sort.factor`` at a time. Must not touch: the
job's map/reduce logic (a combine callable is passed in) or scheduling.

Policy: a merge decodes records only to re-encode them; it never holds more than one read buffer
per input segment. ``heapq.merge`` keyed on the byte sort key keeps the merge stable by run order.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from mapred.serde import LimitedReader, iter_records, new_packer

__all__ = [
    "Index",
    "Spill",
    "write_partitioned",
    "read_segment",
    "merge_runs",
    "combine_sorted",
    "merge_spills",
]

Index = list  # [(offset, length, records)] per partition
Record = tuple  # (sort bytes, key, value)
Spill = tuple  # (path, index)

_first = itemgetter(0)
_CHUNK = 1 << 20


def write_partitioned(
    path: str, num_partitions: int, runs: Iterable[tuple[int, Iterable[Record]]], raw: bool = False
) -> tuple[Index, int]:
    """Write ``(partition, sorted records)`` runs (partitions ascending) to `path`.

    With `raw`, keys and values are already msgpack bytes. Returns (index, records written)."""
    index: Index = [(0, 0, 0)] * num_partitions
    packer = new_packer()
    pack = packer.pack
    total = 0
    with open(path, "wb") as f:
        pos = 0
        for p, records in runs:
            start = pos
            count = 0
            parts: list[bytes] = []
            size = 0
            for skb, key, value in records:
                chunk = pack(skb) + key + value if raw else pack(skb) + pack(key) + pack(value)
                parts.append(chunk)
                size += len(chunk)
                count += 1
                if size >= _CHUNK:
                    f.write(b"".join(parts))
                    pos += size
                    parts, size = [], 0
            if parts:
                f.write(b"".join(parts))
                pos += size
            index[p] = (start, pos - start, count)
            total += count
    return index, total


def read_segment(path: str, offset: int, length: int, read_size: int = 1 << 18) -> Iterator[Record]:
    """Stream the records of one segment without loading it whole.

    The returned iterator is C-level (no generator frame per record); it owns the open file,
    which closes when the iterator is dropped."""
    if length == 0:
        return iter(())
    f = open(path, "rb")  # noqa: SIM115 - owned by the returned iterator
    f.seek(offset)
    return iter_records(LimitedReader(f, length, True), min(read_size, max(length, 1)))


def merge_runs(runs: Sequence[Iterable[Record]]) -> Iterator[Record]:
    """K-way merge of sorted runs by byte sort key."""
    if len(runs) == 1:
        return iter(runs[0])
    return heapq.merge(*runs, key=_first)


def combine_sorted(
    records: Iterable[Record],
    combine: Callable[[Any, Iterator[Any]], Iterable[tuple[Any, Any]] | None],
    stats: list[int],
) -> Iterator[Record]:
    """Run the combiner over each run of equal sort keys, streaming the values.

    ``stats[0]`` += records fed to the combiner, ``stats[1]`` += records it emitted."""
    for skb, group in groupby(records, key=_first):
        _, key, value = next(group)
        out = combine(key, _counted_values(value, group, stats))
        for k, v in out or ():
            if k != key:
                raise_changed_key(key, k)
            stats[1] += 1
            yield skb, key, v


def _counted_values(first: Any, group: Iterator[Record], stats: list[int]) -> Iterator[Any]:
    stats[0] += 1
    yield first
    for record in group:
        stats[0] += 1
        yield record[2]


def raise_changed_key(key: Any, new: Any) -> None:
    from mapred.errors import JobConfigError

    raise JobConfigError(f"combine() must emit the key it was given: got {new!r} for {key!r}")


def merge_spills(
    spills: list[Spill],
    num_partitions: int,
    out_path: str,
    factor: int,
    combine: Callable | None,
    stats: list[int],
) -> tuple[Index, int]:
    """Merge spill files into one partitioned file at `out_path`, at most `factor` at a time.

    Intermediate passes write ``<out_path>.merge<N>``. Returns (index, records written, including
    intermediate passes)."""
    spills = list(spills)
    written = 0
    passes = 0
    factor = max(2, factor)
    while len(spills) > factor:
        batch, spills = spills[:factor], spills[factor:]
        tmp = f"{out_path}.merge{passes}"
        passes += 1
        index, n = _merge_once(batch, num_partitions, tmp, None, stats)
        written += n
        spills.append((tmp, index))
        for path, _ in batch:
            os.unlink(path)
    index, n = _merge_once(spills, num_partitions, out_path, combine, stats)
    for path, _ in spills:
        os.unlink(path)
    return index, written + n


def _merge_once(
    spills: list[Spill],
    num_partitions: int,
    out_path: str,
    combine: Callable | None,
    stats: list[int],
) -> tuple[Index, int]:
    def runs() -> Iterator[tuple[int, Iterable[Record]]]:
        for p in range(num_partitions):
            segments = [read_segment(path, *index[p][:2]) for path, index in spills if index[p][1]]
            if not segments:
                continue
            merged = merge_runs(segments)
            yield p, (combine_sorted(merged, combine, stats) if combine else merged)

    return write_partitioned(out_path, num_partitions, runs())
