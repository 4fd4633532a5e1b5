"""MapOutputBuffer: the bounded in-memory buffer between ``map`` and the map output file.

Owns: collecting map output, measuring it in serialized bytes, spilling sorted (and combined) runs
to local disk at ``mapreduce.map.sort.spill.percent`` of ``mapreduce.task.io.sort.mb``, and the
final merge into one partitioned map output file. Must not touch: input reading, scheduling, the
reduce side.

Policy. Two buffers share one spill/merge path:

- ``SortingBuffer`` (no combiner): records are serialized on arrival, a batch at a time in
  C-level ``map`` calls (byte sort keys, records, partitions), and kept as ``(sort bytes,
  record bytes)`` in one list per partition (a batch dealt to them in C-level passes): the
  record bytes are what the map output file holds, one
  ``packb((sort bytes, key, value))`` (``mapred.serde``), made in arrival order, so the sorted
  output is one ``join`` of them a chunk at a time (framing them after the sort reached three
  scattered objects per record in sorted order: a cache miss each). The buffered
  size is what they really hold: their bytes (the sort bytes twice) plus ``_RECORD_MEMORY`` for
  the tuple, the two bytes objects and the list slot, so ``io.sort.mb`` bounds the memory, not
  just the payload. Batches shrink as the buffer nears the soft limit, so it overshoots by a
  record at most. At the limit each partition's list is sorted with ``list.sort`` by sort key
  and they are written as one spill.
- ``CombiningBuffer`` (the job has a combiner): a hash aggregation. Values are appended to a
  per-key list; every so many records (adaptive, at most ``_MAX_PENDING``) the combiner runs over
  each list, and only then are keys and values serialized to measure the buffer exactly. A value
  that is the very object the task emitted first (``yield word, 1``) only bumps a per-key count,
  weighed as one value; the counts meet the combiner at the spill. When the combined contents
  pass half the soft limit (the spill's sort entries need about as much again; sizes count the
  objects, ``_KEY_MEMORY`` and the like, not just their bytes), each partition's keys are sorted
  by their sort bytes and spilled. The combiner therefore runs before every spill, as Hadoop's
  does, just on hashed groups: over every key, a lone value too, except a list that is a
  mid-stream compaction's combined output with nothing added since (Combine input/output
  records therefore count as Hadoop's unless mid-stream compactions combined some lists).
  Combining that does not pay is given up, as adaptive partial aggregation does in query
  engines (Pig's in-map aggregation, Trino's): once ``_SAMPLE`` records have gone in since the
  last spill, if the keys held are more than ``_PASS_RATIO`` of those records (fewer than two
  values per key), the groups are spilled (combined) and the rest of the task goes in as
  serialized records, never hash-combined again (Hadoop runs a combiner zero or more times);
  but each sorted run they are spilled or written in has the records of every key with more
  than ``_STRIDE`` of them combined (a hot key that turns up after the sample, in skewed
  data, as Hadoop combines every spill's sorted run), found at a C-level comparison per
  ``_STRIDE`` records.
  A task's tail that cannot hold a key twice (``map_cleanup`` returning a dict's items, or any
  list or tuple of pairs whose keys are distinct) has nothing to combine: into an empty buffer it
  goes the sorting buffer's batched way, a few C-level passes for all of its keys.

The task's last pairs (``consume_last``: what ``map_cleanup`` returns, in-mapper combining's
dict) into a buffer that holds and spilled nothing, when they fit and need no combining, are
written as the map output at once: their (sort bytes, key, value) records are dealt to
partitions, sorted, and written as one msgpack array a chunk at a time, with none of the
per-record framing, dealing, or batches above (a word count's map task pays this once
per distinct word, so it is most of what a small split costs beyond reading it).

``close()`` writes the map output: the in-memory contents directly when nothing was spilled,
otherwise a merge ``io.sort.factor`` ways at a time of the spills and what is still in memory
(taken as one more run, never written to a spill of its own), combining again when there were at
least ``mapreduce.map.combine.minspills`` runs.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, compress, islice, repeat
from operator import eq, itemgetter
from typing import Any

from mapred.merge import (
    Spill,
    finish_spill,
    merge_plan,
    merge_spills,
    raise_changed_key,
    write_partitioned,
)
from mapred.partition import KEY_BYTES, Partitioner, SortKey, as_partitioner, as_sort_key
from mapred.serde import RECORD_HEADER, bin_header, packb, packb_many, unpackb

__all__ = ["SortingBuffer", "CombiningBuffer", "BufferStats"]

_MIN_PENDING = 64
_MAX_PENDING = 1 << 22  # records between compactions: ~32 MB of list slots at most
_MIN_COMBINE = 8  # mid-stream, lists shorter than this wait for the next compaction
_RECORD_OVERHEAD = 3  # msgpack framing of the sort key, counted so empty records still weigh
# what a buffered record holds beyond its bytes: a 2-tuple (56), two bytes headers (2 x 33), a
# list slot with over-allocation (~9)
_RECORD_MEMORY = 131
# a combining buffer's objects: a listed key (the key, its entries in _groups and _meta, its list,
# its meta list and key bytes), a counted key (two dict entries and key bytes), a listed value
# (a list slot and, unless shared, the value object)
_KEY_MEMORY = 320
_COUNT_KEY_MEMORY = 150
_VALUE_MEMORY = 40
_VALUE_WEIGHT = _RECORD_OVERHEAD + _VALUE_MEMORY
# a spill's sort entries (a tuple and the sort bytes per key) take about as much again as the
# groups they are made from: the groups get this share of the limit
_GROUPS_SHARE = 0.5
_BATCH = 4096  # records serialized per batch, at most
_MIN_BULK = 64  # a distinct-key tail shorter than this goes the per-record way
_STRIDE = 16  # after giving up, a key of more records than this in a sorted run is combined
_SAMPLE = 10000  # records a combining buffer sees before it judges whether combining pays
_PASS_RATIO = 0.5  # keys per record above which it stops combining (under two values a key)
_PAIR = {2}
_BYTES_ONLY = {bytes}


class BufferStats:
    """Counters and measurements of one map task's buffer."""

    __slots__ = (
        "output_records",
        "output_bytes",
        "spilled_records",
        "spills",
        "peak_bytes",
        "combine",
    )

    def __init__(self) -> None:
        self.output_records = 0
        self.output_bytes = 0
        self.spilled_records = 0
        self.spills = 0
        self.peak_bytes = 0
        self.combine = [0, 0]  # combine input records, combine output records


class _Base:
    RAW = True  # _runs() yields (sort bytes, record bytes: msgpack sort bytes, key, value)

    def __init__(
        self,
        *,
        num_partitions: int,
        partition: Partitioner | Callable[[Any, bytes, bytes], int],
        sort_key: SortKey | Callable[[Any], bytes],
        limit_bytes: int,
        spill_dir: str,
        factor: int = 10,
        min_spills_for_combine: int = 3,
        combine: Callable | None = None,
    ) -> None:
        self.num_partitions = num_partitions
        partitioner, sorting = as_partitioner(partition), as_sort_key(sort_key)
        self.partition, self._many = partitioner.one, partitioner.many
        self.sort_key, self._sort_many = sorting.one, sorting.many
        # keys that are their own sort bytes: records in the pair layout (``mapred.serde``)
        self._pairs = sorting is KEY_BYTES
        self.limit = max(1, int(limit_bytes))
        self.spill_dir = spill_dir
        self.factor = factor
        self.min_spills = min_spills_for_combine
        self.combine_fn = combine
        self.passing = False  # a combining buffer gave up combining (see CombiningBuffer)
        self.stats = BufferStats()
        self._spills: list[Spill] = []
        # serialized records, one list per partition: (sort bytes, record bytes); `_held` of them
        self._records: list[list[tuple[bytes, bytes]]] = [[] for _ in range(num_partitions)]
        self._held = 0
        self._records_bytes = 0
        # the last batch's mean record size, to size the next batch (unknown: one record)
        self._per_record = float(self.limit)
        self._final: tuple[str, list] | None = None  # the map output, once a tail wrote it
        # the sort phase's progress: [records written since the task's output began (the last
        # pairs or close), records it will write (an estimate when combining)]
        self.sorting = [0, 0]
        os.makedirs(spill_dir, exist_ok=True)

    # subclasses provide: consume(pairs), _runs() -> iterator of (partition, sorted records),
    # _reset(), _has_data()
    def _write(self, path: str, spill: bool = False, progress: Any = None) -> tuple[list, int]:
        """Write the buffer's contents as one partitioned file (a spill file: records framed,
        see ``write_partitioned``)."""
        runs = self._runs()
        return write_partitioned(path, self.num_partitions, runs, True, 0, spill, progress)

    def _held_records(self) -> int:
        """Records the buffer holds (a combining buffer: before its last combine)."""
        return self._held

    def _clear_records(self) -> None:
        self._records = [[] for _ in range(self.num_partitions)]
        self._held = 0
        self._records_bytes = 0

    def _spill(self) -> None:
        path = os.path.join(self.spill_dir, f"spill{len(self._spills)}.out")
        index, n = self._write(path, spill=True)
        self._spills.append((path, index))
        self.stats.spills += 1
        self.stats.spilled_records += n
        self._reset()

    def consume_last(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        """Take the task's last pairs (what ``map_cleanup`` returned; nothing comes after them).

        A list, tuple or dict view of pairs into a buffer that holds and spilled nothing, and
        that fits in it, is written as the map output at once (``_write_tail``); anything else
        goes in as ``consume`` takes it."""
        empty = not (self._spills or self._has_data() or self._final)
        if not (empty and self._tail_ok(pairs) and self._write_tail(pairs)):
            self.consume(pairs)

    def _tail_ok(self, pairs: Any) -> bool:
        """Whether `pairs` may be written as they are (a sized collection)."""
        return type(pairs) in _COLLECTIONS and len(pairs) >= _MIN_BULK

    def _write_tail(self, pairs: Any) -> bool:
        """Sort and write a sized tail of pairs as the map output file in C-level passes: per
        partition its (sort bytes, key, value) records, sorted (stably) by sort bytes, go to the
        file as one msgpack array a chunk at a time (see ``write_partitioned``), never framed or
        joined per record. The values are packed only there (the buffer holds the keys' bytes and
        sort bytes, not a copy of the values). False (nothing done) when they are not all pairs,
        a key cannot be serialized or sorted, or they would not fit under the limit."""
        pairs = pairs if type(pairs) is list else list(pairs)
        if set(map(len, pairs)) != _PAIR:
            return False
        keys = list(map(_first, pairs))
        try:
            skbs = self._sort_many(keys)
            kbs = packb_many(keys)
        except Exception:  # noqa: BLE001 - the general way reports it, record by record
            return False
        n = len(pairs)
        sort_bytes = sum(map(len, skbs))
        held = sum(map(len, kbs)) + sort_bytes + n * _RECORD_MEMORY
        if held >= self.limit:
            return False
        records = list(zip(skbs, keys, map(_second, pairs)))
        parts = list(self._many(keys, kbs, skbs)) if self.num_partitions > 1 else None
        frames = _framed_size(skbs)
        del pairs, keys, kbs, skbs
        out = os.path.join(self.spill_dir, "file.out")
        self.sorting[1] = n
        runs = _by_partition(records, parts)
        pairs = self._pairs
        index, written = write_partitioned(
            out, self.num_partitions, runs, progress=self.sorting, pairs=pairs
        )
        stats = self.stats
        stats.output_records += n
        # the keys' and values' bytes: the file's (less each record's header and framed sort
        # bytes, but for the pair layout)
        stats.output_bytes += sum(entry[1] for entry in index) - (0 if pairs else frames + n)
        stats.peak_bytes = max(stats.peak_bytes, held)
        stats.spilled_records += written
        self._final = (out, index)
        return True

    def close(self) -> tuple[str, list]:
        """Write the final map output file; returns (path, index)."""
        if self._final is not None:
            if self._spills or self._has_data():
                raise RuntimeError("map output consumed after the task's last pairs")
            return self._final
        out = os.path.join(self.spill_dir, "file.out")
        held = self._held_records() if self._has_data() else None
        files = [sum(entry[2] for entry in index) for _, index in self._spills]
        self.sorting[1] = merge_plan(files, held, self.factor)
        if not self._spills:
            index, n = self._write(out, progress=self.sorting)
            self.stats.spilled_records += n
            self._reset()
            return out, index
        memory = self._memory_runs() if held is not None else None
        if memory is None and len(self._spills) == 1:
            index, _ = finish_spill(self._spills[0], self.num_partitions, out, self.sorting)
            return out, index
        runs = len(self._spills) + (memory is not None)
        combine = self.combine_fn if runs >= self.min_spills and not self.passing else None
        index, n = merge_spills(
            self._spills,
            self.num_partitions,
            out,
            self.factor,
            combine,
            self.stats.combine,
            memory,
            self.sorting,
            self._pairs,
        )
        self.stats.spilled_records += n
        self._reset()
        return out, index

    def _memory_runs(self) -> Iterable[tuple[int, Iterable]]:
        """What the buffer holds, as sorted (sort bytes, record bytes) runs per partition,
        for the final merge to take without a last spill."""
        return self._runs()

    # -- serialized records (the sorting buffer, and a combining buffer's distinct-key tail) ----
    def _consume_records(self, it: Iterator[tuple[Any, Any]]) -> None:
        """Serialize pairs a batch at a time; spill whenever the soft limit is reached."""
        while True:
            room = (self.limit - self._records_bytes) / (4 * self._per_record)
            size = max(1, min(_BATCH, int(room)))
            batch = list(islice(it, size))
            if batch:
                self._add_records(batch)
            if len(batch) < size:
                return

    def _add_records(self, batch: list) -> None:
        try:
            sort_keys, records, parts, out_bytes, held = self._serialize(batch)
        except Exception:  # noqa: BLE001 - odd pairs, or the job's error: one at a time
            sort_keys, records, parts, out_bytes, held = self._serialize_each(batch)
        _deal(self._records, zip(sort_keys, records), parts)
        n = len(batch)
        self._held += n
        held += n * _RECORD_MEMORY
        self._per_record = held / n
        stats = self.stats
        stats.output_records += n
        stats.output_bytes += out_bytes
        self._records_bytes += held
        if self._records_bytes > stats.peak_bytes:
            stats.peak_bytes = self._records_bytes
        if self._records_bytes >= self.limit:
            self._spill()

    def _serialize(self, batch: list) -> tuple[list[bytes], list[bytes], Any, int, int]:
        """(sort keys, map output records, their partitions (None: one partition), key and
        value bytes, bytes of the records and sort keys) of a batch of pairs, in C-level passes
        (each list's lengths summed once). A record is its bytes in the map output file
        (``mapred.serde``: sort bytes, key, value), made here in arrival order, so writing the
        sorted records joins them and touches nothing else."""
        if set(map(len, batch)) != _PAIR:
            raise TypeError("not pairs")
        keys = list(map(_first, batch))
        skbs = self._sort_many(keys)
        if self._pairs:  # keys are bytes (KEY_BYTES checked them) and their own sort bytes
            return self._serialize_pairs(keys, list(map(_second, batch)))
        records = list(map(packb, zip(skbs, keys, map(_second, batch))))
        n = len(records)
        record_bytes = sum(map(len, records))
        sort_bytes = sum(map(len, skbs))
        # the keys' and values' bytes: the records' less their headers and framed sort bytes
        out = record_bytes - n - _framed_size(skbs, sort_bytes)
        parts = None
        if self.num_partitions > 1:
            parts = list(self._many(keys, packb_many(keys), skbs))
        return skbs, records, parts, out, record_bytes + sort_bytes

    def _serialize_pairs(
        self, keys: list[bytes], values: list
    ) -> tuple[list[bytes], list[bytes], Any, int, int]:
        """`_serialize` in the pair layout: each record is its key framed as a bin and its value
        packed (a bytes value framed the same way, joined with the key in one call), so the key
        is held once, as the sort bytes, and written once."""
        heads = list(map(bin_header, map(len, keys)))
        if set(map(type, values)) == _BYTES_ONLY:
            value_heads = map(bin_header, map(len, values))
            records = list(map(b"".join, zip(heads, keys, value_heads, values)))
        else:
            records = list(map(b"".join, zip(heads, keys, map(packb, values))))
        record_bytes = sum(map(len, records))
        parts = None
        if self.num_partitions > 1:
            parts = list(self._many(keys, list(map(bytes.__add__, heads, keys)), keys))
        return keys, records, parts, record_bytes, record_bytes + sum(map(len, keys))

    def _serialize_each(self, batch: list) -> tuple[list[bytes], list[bytes], Any, int, int]:
        sort_keys, records, parts = [], [], []
        part, sort_key = self.partition, self.sort_key
        out = held = 0
        for k, v in batch:
            kb = packb(k)
            vb = packb(v)
            skb = sort_key(k)
            parts.append(part(k, kb, skb) if self.num_partitions > 1 else 0)
            sort_keys.append(skb)
            records.append(kb + vb if self._pairs else RECORD_HEADER + packb(skb) + kb + vb)
            out += len(kb) + len(vb)
            held += len(skb) + len(records[-1])
        return sort_keys, records, parts, out, held

    def _record_runs(self) -> Iterator[tuple[int, Iterable]]:
        """Sorted (sort bytes, record bytes) per partition (a stable sort: equal keys keep
        arrival order)."""
        for p, records in enumerate(self._records):
            if records:
                records.sort(key=_first)
                yield p, records


class SortingBuffer(_Base):
    """Serialize on arrival (a batch at a time) into one list per partition; sort each by
    sort key at each spill.

    Each batch is dealt to its partitions' lists in C-level passes (``_deal``), so the sort key is
    the bytes sort key alone: ``list.sort(key=itemgetter(0))`` compares with memcmp and keeps
    arrival order among equal keys, and no record carries a partition prefix to be cut off
    again when it is written."""

    def consume(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        self._consume_records(iter(pairs))

    def _has_data(self) -> bool:
        return self._held > 0

    def _reset(self) -> None:
        self._clear_records()

    def _runs(self) -> Iterator[tuple[int, Iterable]]:
        return self._record_runs()


_first, _second = itemgetter(0), itemgetter(1)


class CombiningBuffer(_Base):
    """Hash aggregation: key -> list of values, combined periodically; see the module docstring."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._groups: defaultdict[Any, list[Any]] = defaultdict(list)
        # key -> how many times the map emitted the very object ``self._same`` as its value
        self._counts: dict[Any, int] = {}
        self._same: Any = _NOTHING
        self._same_bytes = 0
        # counted key -> its key bytes, in step with _counts; measured records and key bytes
        self._count_keys: dict[Any, bytes] = {}
        self._counted = 0
        self._count_key_bytes = 0
        # key -> [key bytes, measured value count, measured value bytes, the bytes of a lone
        # measured value or None, whether the list is what the combiner returned]
        self._meta: dict[Any, list[Any]] = {}
        self._bytes = 0
        self._batch = _MIN_PENDING
        self._records_at_reset = 0  # stats.output_records when the groups were last emptied

    def consume(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        """Take pairs in batches of ``self._batch`` (islice: no per-record counting), compact
        after each full batch.

        The value of the task's first pair is remembered (``_same``); a later pair whose value
        is that very object (``yield word, 1`` always yields the same ``1``) only bumps a per-key
        count, which is cheaper than growing a list. ``_fold_counts`` hands the copies to the
        combiner before each spill, so it sees every value; only their order within a key
        differs, and that order is unspecified in Hadoop too."""
        if self.passing or self._distinct_tail(pairs):
            self._consume_records(iter(pairs))
            return
        if self._held:  # a tail came before: spill it rather than mix it with the groups
            self._spill()
        it = iter(pairs)
        same = self._same
        if same is _NOTHING:
            head = next(it, _NOTHING)
            if head is _NOTHING:
                return
            it = chain((head,), it)
            try:
                _, same = head
            except (TypeError, ValueError):
                pass  # not a pair: the loop below reports it
            else:
                self._same = same
                self._same_bytes = len(packb(same))
        while True:
            groups = self._groups
            counts = self._counts
            get = counts.get
            batch = islice(it, self._batch)
            k = v = _NOTHING
            while True:
                try:
                    for k, v in batch:
                        if v is same:
                            counts[k] = get(k, 0) + 1
                        else:
                            groups[k].append(v)
                    break
                except TypeError:
                    if k is _NOTHING or _is_hashable(k):
                        raise  # from the job's own code, not from an unhashable key
                    groups[_hashable(k)].append(v)
                    k = _NOTHING
            head = next(it, _NOTHING)
            if head is _NOTHING:
                return
            self._compact()
            it = chain((head,), it)
            if self._combining_useless():
                self._groups_to_records()
                self.passing = True
                self._consume_records(it)
                return

    def _groups_to_records(self) -> None:
        """Give up the groups without a spill: their combined values become serialized records
        in memory, as the sorting buffer holds them, so the records that follow join them in one
        sort at the next spill or at close instead of a spill now and a merge later."""
        records: list[list[tuple[bytes, bytes]]] = [[] for _ in range(self.num_partitions)]
        held = count = 0
        for p, run in self._runs(every=False):  # no lone values to the combiner: given up
            records[p] = run = list(run)
            count += len(run)
            held += sum(map(len, map(_first, run))) + sum(map(len, map(_second, run)))
        self._reset()
        self._records, self._held = records, count
        self._records_bytes = held + count * _RECORD_MEMORY
        if self._records_bytes >= self.limit:
            self._spill()

    def _held_records(self) -> int:
        if self._held:
            return self._held
        return self.stats.output_records - self._records_at_reset

    def _tail_ok(self, pairs: Any) -> bool:
        """A tail is written as it is only when there is nothing to combine: distinct keys (or
        combining was given up)."""
        return super()._tail_ok(pairs) and (self.passing or self._distinct_tail(pairs))

    def _combining_useless(self) -> bool:
        """Whether the groups since the last spill show too few values per key to combine."""
        seen = self.stats.output_records - self._records_at_reset
        keys = len(self._meta) + len(self._count_keys)
        return seen >= _SAMPLE and keys > _PASS_RATIO * seen

    def consume_last(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        """As the base's; and a tail of distinct keys into a buffer holding groups (pairs the
        map emitted on the way) has nothing to combine among itself: the groups are combined
        into serialized records (``_groups_to_records``) and the tail joins them as records,
        in the batched C-level way, for one sort at close (not a dict append, a measure and a
        Python-level pack per pair)."""
        if (self._groups or self._counts) and not self.passing and self._distinct_keys(pairs):
            self._groups_to_records()
            self._consume_records(iter(pairs))
            return
        super().consume_last(pairs)

    def _distinct_tail(self, pairs: Any) -> bool:
        """Pairs that can go in as serialized records: a sized collection of pairs with
        distinct keys (nothing to combine), into a buffer holding no groups."""
        return not (self._groups or self._counts) and self._distinct_keys(pairs)

    def _distinct_keys(self, pairs: Any) -> bool:
        """Whether `pairs` is a sized collection (of ``_MIN_BULK`` pairs or more) whose keys
        are distinct."""
        kind = type(pairs)
        if kind not in _COLLECTIONS or len(pairs) < _MIN_BULK:
            return False
        if kind is _DICT_ITEMS:
            return True
        try:
            return len(set(map(_first, pairs))) == len(pairs)
        except Exception:  # noqa: BLE001 - unhashable keys, not pairs: the general way
            return False

    def _compact(self, min_combine: int = _MIN_COMBINE) -> None:
        """Combine every list that grew (by ``min_combine`` values or more), measure the buffer,
        spill when over the limit.

        ``_meta`` gains keys in the order compaction meets them in ``_groups`` and neither loses
        keys until a spill resets both, so the two iterate in step: known keys first (cheaply
        skipped when unchanged), then the keys new since the last compaction. ``_counts`` and
        ``_count_keys`` walk in step the same way. A counted key weighs its key bytes and one
        value however often it repeats; the counts wait for the spill to be combined."""
        stats = self.stats
        meta = self._meta
        update = self._update
        before = stats.output_bytes
        new_records = new_keys = 0
        total = self._bytes
        items = iter(self._groups.items())
        for m, (k, values) in zip(meta.values(), items, strict=False):
            if len(values) != m[1]:
                fresh, delta = update(k, values, m, min_combine)
                new_records += fresh
                total += delta
        for k, values in items:
            m = meta[k] = [packb(k), 0, 0, None, False]
            fresh, delta = update(k, values, m, min_combine)
            new_records += fresh
            new_keys += 1
            total += delta + len(m[0]) + _KEY_MEMORY
        listed = new_records
        added = stats.output_bytes - before + new_keys * _KEY_MEMORY + listed * _VALUE_MEMORY
        counts = self._counts
        if counts:
            counted = sum(counts.values())
            fresh = counted - self._counted
            self._counted = counted
            new_records += fresh
            count_keys = self._count_keys
            weight = self._same_bytes + _RECORD_OVERHEAD
            key_bytes = self._count_key_bytes
            for k in islice(counts, len(count_keys), None):
                kb = count_keys[k] = packb(k)
                key_bytes += len(kb)
                total += len(kb) + weight + _COUNT_KEY_MEMORY
                added += _COUNT_KEY_MEMORY
            self._count_key_bytes = key_bytes
            # the exact bytes are added when the counts are combined; this sizes the next batch
            added += fresh * (key_bytes / len(count_keys) + self._same_bytes)
        stats.output_records += new_records
        self._bytes = total
        if total > stats.peak_bytes:
            stats.peak_bytes = total
        # what a record costs until the next compaction: its bytes, its share of new keys
        per_record = max(1.0, added / new_records) if new_records else 64.0
        hold = self.limit * _GROUPS_SHARE
        room = (hold - total) / per_record
        self._batch = int(min(_MAX_PENDING, max(_MIN_PENDING, room)))
        if total >= hold or room < _MIN_PENDING:
            self._spill()
            self._batch = int(min(_MAX_PENDING, max(_MIN_PENDING, hold / per_record)))
        unseen = _SAMPLE - (stats.output_records - self._records_at_reset)
        if unseen > 0:  # the next compaction judges the sample (`_combining_useless`)
            self._batch = min(self._batch, max(_MIN_PENDING, unseen))

    def _fold_counts(self) -> None:
        """Before a spill: combine the counted copies of ``_same`` of each key that also has
        listed values into its list, and count all their map output bytes (keys only counted
        are combined as ``_runs`` writes them, so they never take a group's room)."""
        counts = self._counts
        if not counts:
            return
        stats, groups, meta = self.stats, self._groups, self._meta
        same, same_bytes, combine = self._same, self._same_bytes, self._combine
        out_bytes = 0
        for k, n in counts.items():
            kb = self._count_keys[k]
            out_bytes += n * (len(kb) + same_bytes)
            values = groups.get(k)
            if values:
                values[:] = combine(k, chain(values, repeat(same, n)), len(values) + n)
                meta[k][3:] = None, True
        stats.output_bytes += out_bytes

    def _combine(self, k: Any, values: Iterator[Any], n: int) -> list[Any]:
        stats = self.stats
        stats.combine[0] += n
        out = []
        for k2, v2 in self.combine_fn(k, values) or ():
            if k2 != k:
                raise_changed_key(k, k2)
            out.append(v2)
        stats.combine[1] += len(out)
        return out

    def _update(self, k: Any, values: list, m: list, min_combine: int) -> tuple[int, int]:
        """Measure (and maybe combine) one grown list; returns (new records, size change)."""
        stats = self.stats
        n = len(values)
        fresh = n - m[1]
        old = m[2] + _VALUE_WEIGHT * m[1]
        if n == 1:
            single = packb(values[0])
            vbytes = len(single)
        else:
            single = None
            vbytes = len(packb(values)) - _array_header(n)
        stats.output_bytes += fresh * len(m[0]) + vbytes - m[2]
        if n >= min_combine:
            values[:] = out = self._combine(k, iter(values), n)
            if len(out) == 1:
                single = packb(out[0])
                vbytes = len(single)
            else:
                vbytes = len(packb(out)) - _array_header(len(out))
        m[1] = len(values)
        m[2] = vbytes
        m[3] = single  # the one value's bytes, for the spill
        m[4] = n >= min_combine
        return fresh, vbytes + _VALUE_WEIGHT * m[1] - old

    def _has_data(self) -> bool:
        return bool(self._groups) or bool(self._counts) or self._held > 0

    def _reset(self) -> None:
        self._clear_records()
        self._groups = defaultdict(list)
        self._counts.clear()
        self._count_keys = {}
        self._counted = self._count_key_bytes = 0
        self._meta = {}
        self._bytes = 0
        self._records_at_reset = self.stats.output_records

    def _runs(self, every: bool = True) -> Iterator[tuple[int, Iterable]]:
        """Each partition's sorted records; `every`: the combiner sees every key's values
        (not only the lists of two or more)."""
        if self._held:  # a distinct-key tail, or records since combining was given up
            for p, run in self._record_runs():
                yield p, self._combine_adjacent(run)
            return
        self._compact_only()
        self._fold_counts()
        part, sort_key, meta = self.partition, self.sort_key, self._meta
        # one list per partition, sorted on the bytes sort key alone: memcmp comparisons
        buckets: list[list] = [[] for _ in range(self.num_partitions)]
        for k, values in self._groups.items():
            if not values:
                continue
            skb = sort_key(k)
            m = meta[k]
            kb = m[0]
            single = m[3]
            if every and not m[4]:  # values the combiner has not seen (Hadoop's sees all)
                values = self._combine(k, iter(values), len(values))
                if not values:
                    continue
                single = packb(values[0]) if len(values) == 1 else None
            buckets[part(k, kb, skb)].append((skb, kb, values, single))
        same, combine, groups = self._same, self._combine, self._groups
        for k, n in self._counts.items():
            if groups.get(k):
                continue  # folded into its list
            values = combine(k, repeat(same, n), n) if every or n > 1 else (same,)
            if len(values) == 1:  # held until the spill's sort: a tuple, not a list's slack
                values = (values[0],)
            if values:
                kb = self._count_keys[k]
                skb = sort_key(k)
                buckets[part(k, kb, skb)].append((skb, kb, values, None))
        for p, bucket in enumerate(buckets):
            if bucket:
                bucket.sort(key=_first)
                yield p, _packed(bucket, self._pairs)

    def _combine_adjacent(self, run: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """A sorted run of serialized records with the records of each key that has more than
        ``_STRIDE`` of them combined; the other keys' records are left as they are.

        Hadoop combines every spill's sorted records (``MapTask.sortAndSpill``); this keeps a
        hot key that turns up after combining was given up (skewed data) from reaching the
        reduce one record per map output record. Keys with few records are not combined:
        combining was given up because keys hardly repeat, and a combiner call for a key of
        a few records costs about what the reduce saves (pigshapes Q27, whose users have 2
        to 16 records in a map task: 2.3 s with every key of 2+ records combined, 1.65 s
        with none, wall clock).

        Only every ``_STRIDE``-th neighbouring pair is compared (C-level, a few thousand
        comparisons for 50,000 records): a key with more than ``_STRIDE`` records always has
        one such pair equal; from an equal pair two comparisons tell whether its key may have
        that many records and a binary search finds where they start and end. (Comparing all
        neighbours measured +1.2% instructions for PigMix L6, whose keys are unique, and
        5% of pigshapes Q27's time: the sorted keys are scattered in memory.)"""
        step = _STRIDE
        equal = map(eq, map(_first, run[::step]), map(_first, run[1::step]))
        hits = list(compress(range(0, len(run), step), equal))
        if not hits:
            return run
        out: list[tuple[bytes, bytes]] = []
        done = 0  # run[:done] is in `out`
        half, last = step // 2, len(run) - 1
        for i in hits:
            if i < done:
                continue  # in the key combined last
            k = run[i][0]
            # a key of more than `step` records around i holds i - half or i + half
            if run[max(i - half, 0)][0] != k and run[min(i + half, last)][0] != k:
                continue
            start = bisect_left(run, k, done, i, key=_first)
            end = bisect_right(run, k, i + 1, len(run), key=_first)
            if end - start > step:
                out += run[done:start]
                out += self._combine_records(run[start:end])
                done = end
        if not done:
            return run
        out += run[done:]
        return out

    def _combine_records(self, records: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """Serialized records of one key (sort bytes equal), combined, serialized again."""
        skb = records[0][0]
        if self._pairs:  # key bytes framed, then the value: two msgpack objects
            key = skb
            head = records[0][1][: _bin_length(skb)]
            values = [unpackb(_PAIR_ARRAY + r[1])[1] for r in records]
        else:
            triples = [unpackb(r[1]) for r in records]
            key = triples[0][1]
            head = RECORD_HEADER + packb(skb) + packb(key)
            values = list(map(itemgetter(2), triples))
        out = self._combine(key, iter(values), len(values))
        return [(skb, head + packb(v)) for v in out]

    def _compact_only(self) -> None:
        limit = self.limit
        self.limit = 1 << 62  # measure and combine, but do not spill from inside _runs
        try:
            self._compact(2)
        finally:
            self.limit = limit


def _packed(bucket: list, pairs: bool) -> Iterator[tuple[bytes, bytes]]:
    """(sort bytes, map output record) per value (`pairs`: in the pair layout); a lone value
    was packed when measured."""
    for skb, kb, values, single in bucket:
        head = kb if pairs else RECORD_HEADER + packb(skb) + kb
        if single is not None:
            yield skb, head + single
        else:
            for v in values:
                yield skb, head + packb(v)


def _by_partition(records: list, parts: list[int] | None) -> Iterator[tuple[int, list]]:
    """(partition, its records sorted by sort bytes) for ascending partitions, dealt out in
    one loop (``_deal``)."""
    if parts is None:
        records.sort(key=_first)
        yield 0, records
        return
    buckets: list[list] = [[] for _ in range(max(parts, default=-1) + 1)]
    _deal(buckets, records, parts)
    for p, bucket in enumerate(buckets):
        if bucket:
            bucket.sort(key=_first)
            yield p, bucket


def _deal(lists: list[list], records: Iterable[tuple], parts: list[int] | None) -> None:
    """Append each record to the list of its partition (`parts` in step; None: all to the
    first). One loop of bound ``append`` calls: cheaper than a ``compress`` pass per partition
    even for two (74 vs 104 ns a record measured; 46 vs 198 for four)."""
    if parts is None:
        lists[0].extend(records)
        return
    appends = [into.append for into in lists]
    for p, record in zip(parts, records, strict=True):
        appends[p](record)


_NOTHING = object()
_DICT_ITEMS = type({}.items())
_COLLECTIONS = (list, tuple, _DICT_ITEMS)


def _is_hashable(key: Any) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _framed_size(data: list[bytes], size: int | None = None) -> int:
    """Bytes the msgpack bins of `data` take (`size`: their own bytes, when known)."""
    if size is None:
        size = sum(map(len, data))
    if not data or max(map(len, data)) < 256:
        return size + 2 * len(data)
    return size + sum(map(_bin_frame, data))


def _bin_frame(data: bytes) -> int:
    """Bytes msgpack frames `data` in beyond its own (a bin header)."""
    return 2 if len(data) < 256 else 3 if len(data) < 65536 else 5


def _bin_length(data: bytes) -> int:
    """Bytes of `data` framed as a msgpack bin."""
    return len(data) + _bin_frame(data)


_PAIR_ARRAY = b"\x92"  # an array of two: a pair layout record's key and value as one object


def _array_header(n: int) -> int:
    return 1 if n < 16 else 3 if n < 65536 else 5


def _hashable(key: Any) -> Any:
    """A list key becomes the tuple it will be after serialization anyway."""
    from mapred.errors import JobConfigError

    key = unpackb(packb(key))
    try:
        hash(key)
    except TypeError:
        raise JobConfigError(
            f"map output key {key!r} cannot be combined: keys must be hashable (no dicts)"
        ) from None
    return key
