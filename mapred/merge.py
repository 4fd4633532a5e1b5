"""Sorted runs on local disk: writing partitioned segments, k-way merging them, combining on merge.

Owns: the spill/map-output file layout (consecutive per-partition segments of msgpack records, see
``mapred.serde``, with an in-memory index ``[(offset, length, records), ...]`` per partition) and
the multi-pass merge of spills ``mapreduce.task.io.sort.factor`` at a time. Must not touch: the
job's map/reduce logic (a combine callable is passed in) or scheduling.

Policy: a merge decodes records only to re-encode them; it holds one read buffer and one block of
decoded records per input segment. The k-way merge works a block at a time in C-level calls: the
smallest of the blocks' last sort keys is a watermark every record at or below which can go out
(``bisect`` finds them in each block, one stable ``list.sort`` orders those under it, and the
records equal to it follow run by run), so the merge is stable by run order, as ``heapq.merge``
would be, without a Python step per record. Writing is C-level too: each chunk of
``_WRITE_RECORDS`` records is framed and joined into one bytes object (decoded records: packed
as one msgpack array, whose bytes after its header are the records' own) and written with one call
(``writelines`` would look ``write`` up and call it once per part: twice or three times a record);
a chunk holds about ``_WRITE_BYTES``, sized by the one before it.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import Any

from mapred.serde import (
    RECORD_HEADER,
    LimitedReader,
    bin_header,
    is_pair_segment,
    iter_pairs,
    iter_records,
    new_packer,
    unpackb,
)

__all__ = [
    "Index",
    "Spill",
    "write_partitioned",
    "read_segment",
    "merge_runs",
    "merge_blocks",
    "combine_sorted",
    "merge_spills",
    "merge_plan",
]

Index = list  # [(offset, length, records)] per partition
Record = tuple  # (sort bytes, key, value)
Spill = tuple  # (path, index)

_first, _second = itemgetter(0), itemgetter(1)
_key_value = itemgetter(1, 2)
_WRITE_RECORDS = 1024  # records framed, joined and written at a time, at most
_WRITE_BYTES = 64 << 10  # about this many bytes at a time
_FIRST_CHUNK = 64  # records in a file's first chunk (their size sets the next chunk's)
_MADE_RECORDS = 1024  # records taken at a time from an iterator (made on the way)
_WRITE_BUFFER = 64 << 10
_MERGE_RECORDS = 1 << 17  # decoded records a k-way merge holds at most (over all its blocks)


def write_partitioned(
    path: str,
    num_partitions: int,
    runs: Iterable[tuple[int, Iterable[Record]]],
    raw: bool = False,
    strip: int = 0,
    spill: bool = False,
    progress: list[int] | None = None,
    pairs: bool = False,
) -> tuple[Index, int]:
    """Write ``(partition, sorted records)`` runs (partitions ascending) to `path`.

    Records are ``(sort bytes, key, value)``, or with `raw` ``(sort bytes, record bytes)``: the
    record as the map output file holds it, ``packb((sort bytes, key, value))`` or a pair
    layout's key and value (``mapred.serde``; the sort bytes in front, maybe with a partition
    prefix, are for sorting only). With `pairs` (not `raw`) the ``(sort bytes, key, value)``
    records are written in the pair layout: their keys and values, no array around them. With
    `spill` (raw records only) the file is a spill: each record is its sort bytes (less their
    first `strip` bytes, a partition prefix) and its record bytes, each framed as one msgpack
    bin, so merges read them back as bytes, never decoding keys and values. ``progress[0]``,
    when given, grows by each chunk's records as it is written. Returns (index, records written)."""
    index: Index = [(0, 0, 0)] * num_partitions
    pack = new_packer().pack
    head = bin_header  # a C-level dict lookup once cached (packb would copy the bytes)
    cut = itemgetter(slice(strip, None))
    total = 0
    size = [_FIRST_CHUNK]  # records per chunk: sized to about _WRITE_BYTES by the last chunk
    with open(path, "wb", buffering=_WRITE_BUFFER) as f:
        write = f.write
        for p, records in runs:
            start = f.tell()
            count = 0
            for chunk in _chunks(records, size):
                if spill:  # the sort key and the record, each framed as msgpack bin
                    keys = list(map(cut, map(_first, chunk)) if strip else map(_first, chunk))
                    records = list(map(_second, chunk))
                    heads = map(head, map(len, keys)), map(head, map(len, records))
                    data = b"".join(chain.from_iterable(zip(heads[0], keys, heads[1], records)))
                elif raw:  # the records are the file's bytes already
                    data = b"".join(map(_second, chunk))
                elif pairs:  # keys and values, one after the other: a flat array's items
                    flat = list(chain.from_iterable(map(_key_value, chunk)))
                    data = memoryview(pack(flat))[_array_header(len(flat)) :]
                else:  # a msgpack array of the chunk's records is their packs after a header
                    data = memoryview(pack(chunk))[_array_header(len(chunk)) :]
                write(data)
                size[0] = max(1, min(_WRITE_RECORDS, len(chunk) * _WRITE_BYTES // (len(data) + 1)))
                count += len(chunk)
                if progress is not None:
                    progress[0] += len(chunk)
            index[p] = (start, f.tell() - start, count)
            total += count
    return index, total


def _array_header(n: int) -> int:
    """Bytes of the msgpack header of an array of `n` items."""
    return 1 if n < 16 else 3 if n < 65536 else 5


def _chunks(records: Iterable[Record], size: list[int]) -> Iterator[Sequence[Record]]:
    """Slices of a list, or lists taken from any other iterable, of ``size[0]`` records at
    most (read again before each chunk: the caller adjusts it)."""
    if type(records) is list:
        i, n = 0, len(records)
        while i < n:
            j = i + size[0]
            yield records[i:j] if i or j < n else records
            i = j
        return
    it = iter(records)
    while chunk := list(islice(it, min(size[0], _MADE_RECORDS))):
        yield chunk


def read_segment(path: str, offset: int, length: int, read_size: int = 1 << 18) -> Iterator[Record]:
    """Stream the records of one segment without loading it whole: ``(sort bytes, key,
    value)`` triples, or ``(key, value)`` pairs from a pair-layout segment (its first byte
    says which: ``mapred.serde``).

    The returned iterator is C-level (no generator frame per record); it owns the open file,
    which closes when the iterator is dropped."""
    if length == 0:
        return iter(())
    f = open(path, "rb")  # noqa: SIM115 - owned by the returned iterator
    f.seek(offset)
    pairs = is_pair_segment(f.read(1))
    f.seek(offset)
    read = iter_pairs if pairs else iter_records
    return read(LimitedReader(f, length, True), min(read_size, max(length, 1)))


def merge_runs(runs: Sequence[Iterable[Record]]) -> Iterator[Record]:
    """K-way merge of sorted runs by byte sort key, stable by run order (see the module
    docstring): records of equal sort keys come out in run order, each run's in its own."""
    if len(runs) == 1:
        return iter(runs[0])
    block = max(64, min(4096, _MERGE_RECORDS // len(runs)))
    return chain.from_iterable(_merged_blocks([iter(r) for r in runs], block))


def merge_blocks(runs: Sequence[Iterable[Record]]) -> Iterator[list[Record]]:
    """``merge_runs`` a list at a time: lists of records whose concatenation is the merge,
    for a consumer that works a block at a time in C-level calls (a reduce task's grouping and
    its progress)."""
    if not runs:
        return iter(())
    if len(runs) == 1:
        return _lists(iter(runs[0]), 4096)
    block = max(64, min(4096, _MERGE_RECORDS // len(runs)))
    return _merged_blocks([iter(r) for r in runs], block, lists=True)


def _lists(stream: Iterator[Record], block: int) -> Iterator[list[Record]]:
    while records := list(islice(stream, block)):
        yield records


def _merged_blocks(
    streams: list[Iterator[Record]], block: int, lists: bool = False
) -> Iterator[Iterable[Record]]:
    """Lists (and at the end one run's rest, a list at a time with `lists`) of records in
    merged order. A head is ``[block of records, position of its first
    unmerged record, its stream]``."""
    heads = [[first, 0, s] for s in streams if (first := list(islice(s, block)))]
    while len(heads) > 1:
        mark = min([head[0][-1][0] for head in heads])
        below: list[Record] = []
        for head in heads:  # every run's records under the watermark, in run order
            records, pos = head[0], head[1]
            i = bisect_left(records, mark, pos, key=_first)
            if i > pos:
                below.extend(records[pos:i])
                head[1] = i
        if below:
            below.sort(key=_first)  # stable: equal keys stay in run order
            yield below
        for head in heads:  # then the records equal to it, run by run
            if head[0][head[1]][0] == mark:
                yield from _equal_to(head, mark, block)
        heads = [head for head in heads if head[1] < len(head[0])]
    if heads:
        records, pos, stream = heads[0]
        yield records[pos:] if pos else records
        if lists:
            yield from _lists(stream, block)
        else:
            yield stream


def _equal_to(head: list, mark: bytes, block: int) -> Iterator[list[Record]]:
    """The run's records whose sort key is `mark` (at its position, possibly beyond its block:
    read on a block at a time); leaves the head at the run's next record (an empty block when
    the run has ended)."""
    records, pos, stream = head
    while True:
        j = bisect_right(records, mark, pos, key=_first)
        yield records[pos:j] if pos or j < len(records) else records
        if j < len(records):
            head[1] = j
            return
        records = head[0] = list(islice(stream, block))
        pos = head[1] = 0
        if not records:
            return


def combine_sorted(
    records: Iterable[Record],
    combine: Callable[[Any, Iterator[Any]], Iterable[tuple[Any, Any]] | None],
    stats: list[int],
) -> Iterator[Record]:
    """Run the combiner over each run of equal sort keys, streaming the values.

    ``stats[0]`` += records fed to the combiner (every record of the run, whether or not the
    combiner read it: Hadoop's reduce context counts each record it passes, skipped ones too),
    ``stats[1]`` += records it emitted."""
    for skb, group in groupby(records, key=_first):
        _, key, value = next(group)
        stats[0] += 1
        out = combine(key, _counted_values(value, group, stats))  # noqa: B031 - one pass
        for k, v in out or ():
            if k != key:
                raise_changed_key(key, k)
            stats[1] += 1
            yield skb, key, v
        stats[0] += sum(map(_one, group))  # noqa: B031 - the values it left unread


def _one(record: Record) -> int:
    return 1


def _counted_values(first: Any, group: Iterator[Record], stats: list[int]) -> Iterator[Any]:
    yield first  # counted by the caller
    for record in group:
        stats[0] += 1
        yield record[2]


def raise_changed_key(key: Any, new: Any) -> None:
    from mapred.errors import JobConfigError

    raise JobConfigError(f"combine() must emit the key it was given: got {new!r} for {key!r}")


def read_spill_segment(path: str, offset: int, length: int, read_size: int = 1 << 18) -> Iterator:
    """Stream one segment of a spill file as (sort bytes, record bytes) pairs."""
    if length == 0:
        return iter(())
    f = open(path, "rb")  # noqa: SIM115 - owned by the returned iterator
    f.seek(offset)
    return iter_pairs(LimitedReader(f, length, True), min(read_size, max(length, 1)))


def finish_spill(
    spill: Spill, num_partitions: int, out_path: str, progress: list[int] | None = None
) -> tuple[Index, int]:
    """Rewrite one spill file as a map output file (its record bytes), in C-level passes."""
    path, index = spill

    def runs() -> Iterator[tuple[int, Iterable]]:
        for p in range(num_partitions):
            if index[p][1]:
                yield p, read_spill_segment(path, *index[p][:2])

    result = write_partitioned(out_path, num_partitions, runs(), raw=True, progress=progress)
    os.unlink(path)
    return result


def merge_spills(
    spills: list[Spill],
    num_partitions: int,
    out_path: str,
    factor: int,
    combine: Callable | None,
    stats: list[int],
    memory: Iterable[tuple[int, Iterable]] | None = None,
    progress: list[int] | None = None,
    pairs: bool = False,
) -> tuple[Index, int]:
    """Merge spill files into one partitioned map output file at `out_path`, at most `factor`
    at a time (keys and values stay bytes unless the combiner runs on the last pass; with
    `pairs` the records are in the pair layout, ``mapred.serde``).

    `memory`, when given, is one more sorted run still in memory: ``(partition, (sort bytes,
    record bytes) pairs)`` for ascending partitions, the newest records; the last pass
    merges it after the files' runs (so equal keys keep arrival order) without writing it to a
    spill first. Intermediate passes merge consecutive spills into a spill file
    ``<out_path>.merge<N>`` that takes their place (``_passes``), so equal keys come out in
    arrival order however many passes there are (a merged file put after later spills came
    before them); ``progress[0]`` counts the records every pass writes (see ``merge_plan``).
    Returns (index, records written, including intermediate passes)."""
    spills = list(spills)
    written = 0
    for passes, i in enumerate(_passes(len(spills), memory is not None, factor)):
        batch = spills[i : i + factor]
        tmp = f"{out_path}.merge{passes}"
        index, n = _merge_once(batch, num_partitions, tmp, None, stats, False, None, progress)
        written += n
        spills[i : i + factor] = [(tmp, index)]
        for path, _ in batch:
            os.unlink(path)
    index, n = _merge_once(
        spills, num_partitions, out_path, combine, stats, True, memory, progress, pairs
    )
    for path, _ in spills:
        os.unlink(path)
    return index, written + n


def _merge_once(
    spills: list[Spill],
    num_partitions: int,
    out_path: str,
    combine: Callable | None,
    stats: list[int],
    final: bool = True,
    memory: Iterable[tuple[int, Iterable]] | None = None,
    progress: list[int] | None = None,
    pairs: bool = False,
) -> tuple[Index, int]:
    held = iter(memory or ())

    def runs() -> Iterator[tuple[int, Iterable]]:
        head = next(held, None)
        for p in range(num_partitions):
            segments = [
                read_spill_segment(path, *index[p][:2]) for path, index in spills if index[p][1]
            ]
            if head is not None and head[0] == p:  # the newest run: last, for stability
                segments.append(head[1])
                head = next(held, None)
            if not segments:
                continue
            merged = merge_runs(segments)
            if combine:
                combined = combine_sorted(map(_decoded, merged), combine, stats)
                merged = _repacked(combined, pairs)
            yield p, merged

    return write_partitioned(
        out_path, num_partitions, runs(), raw=True, spill=not final, progress=progress
    )


def merge_plan(files: Sequence[int], memory: int | None, factor: int) -> int:
    """How many records ``merge_spills`` writes in all its passes, for spill files of these
    many records and a run still in memory of `memory` records (None: no such run): the total
    its progress counts up to. Combining may write fewer.

    >>> merge_plan([5, 5, 5], None, 10), merge_plan([1, 1, 1, 1], None, 2)
    (15, 8)
    >>> merge_plan([1, 1, 1], 1, 2)
    9
    """
    files = list(files)
    total = 0
    for i in _passes(len(files), memory is not None, factor):
        merged = sum(files[i : i + max(2, factor)])
        files[i : i + max(2, factor)] = [merged]
        total += merged
    return total + sum(files) + (memory or 0)


def _passes(files: int, memory: bool, factor: int) -> Iterator[int]:
    """Where each intermediate merge starts: it merges the `factor` consecutive runs from there
    into one in their place, so runs stay in arrival order (equal keys keep it) however many
    passes there are. Round after round from the first run: 100 spills, factor 10 make ten
    merges of ten spills each, then the final merge of those ten."""
    factor = max(2, factor)
    i = 0
    while files + memory > factor:
        if i + factor > files:
            i = 0
        yield i
        files -= factor - 1
        i += 1


def _decoded(record: tuple[bytes, bytes]) -> Record:
    """(sort bytes, key, value) of a (sort bytes, record bytes) pair (of either layout)."""
    data = record[1]
    if data[:1] == RECORD_HEADER:
        return unpackb(data)
    key, value = unpackb(_PAIR_ARRAY + data)  # the pair layout's two objects, as an array
    return key, key, value


_PAIR_ARRAY = b"\x92"


def _repacked(records: Iterable[Record], pairs: bool = False) -> Iterator[tuple[bytes, bytes]]:
    """(sort bytes, record bytes) of (sort bytes, key, value) records, in the triple or the
    pair layout."""
    pack = new_packer().pack
    if pairs:
        for record in records:
            yield record[0], pack(record[1]) + pack(record[2])
        return
    for record in records:
        yield record[0], pack(record)
