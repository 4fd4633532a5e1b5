"""Pig's spillable bags: GROUP bags, nested DISTINCT/ORDER and join/CROSS buffers that move to
local disk past ``pig.cachedbag.memusage`` of the task's memory, and are read back as iterators.

Owns: how much memory a task's bags may hold (`BagBudget`), the per-row size estimate, the
spill files, and the bags that live in them (`SpillBag`, `MergedBag`, `ProjectedBag`); which
GROUP bags may spill at all is bagusage.py's question. Must not touch: what a task runs
(runtime.py), the shuffle (mapred), the value encoding (storage.pack_value is used as is).

Policy (Pig's InternalCachedBag / DistinctDataBag / SortedDataBag, in Python terms):

- *Memory available to a task*: ``mapreduce.{map,reduce}.memory.mb`` when the job sets it;
  else the process's RLIMIT_AS soft limit when one is set; else the cgroup's ``memory.max``
  when set; else a quarter of physical memory (what a JVM without -Xmx gets as max heap: the
  ``Runtime.maxMemory()`` Pig takes its share of). Bags may hold ``pig.cachedbag.memusage``
  (default 0.2) of it, shared by the bags being filled at once (a COGROUP of n inputs gives
  each 1/n, as Pig's ``InternalCachedBag(bagCount)``).
- *Size of a row*: measured once per bag on a sample of its first rows (``sys.getsizeof`` of
  the tuple and of its fields, nested values included, plus its list slot), never per row; a
  bag holds at most ``budget / average size`` rows in memory.
- *No cost when nothing spills*: rows are taken `CHECK_ROWS` at a time and the bag is a plain
  list until a check finds it past its share; a group smaller than `CHECK_ROWS` is never
  measured.
- *Spill files* are anonymous temporary files (unlinked at creation, so nothing is left behind
  when the task ends, fails or is killed) in ``mapreduce.task.tmp.dir`` when it is an absolute
  path, else the system temporary directory. Rows are msgpack (``storage.pack_value``; a GROUP
  bag's rows are written as the shuffle delivered them, never re-encoded), never pickle.
- A GROUP bag past its share goes to disk whole (`SpillBag`). DISTINCT keeps a hash of the rows
  seen; past the share it writes them as a run sorted by Pig's byte order and starts again;
  reading merges the runs and drops repeats (`MergedBag`). ORDER writes sorted runs the same way
  and merges them on reading (stable: equal keys keep their input order). Either is
  re-iterable, as Pig bags are; `len` is counted once and kept.
"""

from __future__ import annotations

import functools
import heapq
import os
import resource
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, groupby, islice
from operator import itemgetter
from sys import getsizeof
from typing import Any

import msgpack

from piglatin.back.storage import BinStorage, pack_value
from piglatin.model import data
from piglatin.model.distinct import distinct_rows
from piglatin.model.frozen import frozen_dataclass

MEMUSAGE = "pig.cachedbag.memusage"
DEFAULT_MEMUSAGE = 0.2
TMP_DIR = "mapreduce.task.tmp.dir"
CHECK_ROWS = 4096  # rows between two size checks (a bag below this is never measured)
SAMPLE_ROWS = 100  # rows whose size is measured (Pig's InternalCachedBag measures 100 too)
MAX_RUNS = 64  # sorted runs merged at once; more are first merged into one
_SLOT = 8  # a list slot
_DICT_ENTRY = 48  # a dict entry with its share of the index (DISTINCT's hash of rows seen)
_RUN_PAIR = 56 + 8  # a (key, row) pair and its slot in the sorted list, while a run is written
_READ = 1 << 16
_first = itemgetter(0)
_second = itemgetter(1)

__all__ = [
    "GrowingBag",
    "BagBudget",
    "MergedBag",
    "PlainOrder",
    "ProjectedBag",
    "RowBuffer",
    "SpillBag",
    "distinct_bag",
    "each_row",
    "group_bags",
    "sort_bag",
    "task_memory",
]


# ------------------------------------------------------------------------------ the budget
def task_memory(conf: Any = None, side: str = "reduce") -> int:
    """Bytes of memory this task may use (see the module docstring for the order)."""
    mb = conf.get(f"mapreduce.{side}.memory.mb") if conf is not None else None
    if mb not in (None, ""):
        try:
            return int(float(mb) * (1 << 20))
        except ValueError:
            raise ValueError(
                f"mapreduce.{side}.memory.mb: expected a number of megabytes, got {mb!r}"
            ) from None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        return soft
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return min(physical // 4, _cgroup_limit() or physical)


def _cgroup_limit() -> int | None:
    try:
        with open("/sys/fs/cgroup/memory.max") as f:
            text = f.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@frozen_dataclass
class BagBudget:
    """What one task's bags may hold in memory (bytes) and where they spill."""

    bytes: int
    directory: str | None = None

    @classmethod
    def of(cls, conf: Any = None, side: str = "reduce") -> BagBudget:
        raw = conf.get(MEMUSAGE) if conf is not None else None
        share = DEFAULT_MEMUSAGE
        if raw not in (None, ""):
            try:
                share = float(raw)
            except ValueError:
                share = -1.0
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{MEMUSAGE}: expected a fraction from 0 to 1, got {raw!r}")
        tmp = conf.get(TMP_DIR) if conf is not None else None
        directory = tmp if isinstance(tmp, str) and os.path.isabs(tmp) else None
        return cls(int(task_memory(conf, side) * share), directory)

    def row_limit(self, sample: Iterable[Any], share: int = 1, extra: int = _SLOT) -> int:
        """How many rows like `sample` fit in this budget divided `share` ways."""
        sizes = [row_size(r) for r in islice(sample, SAMPLE_ROWS)]
        average = (sum(sizes) / len(sizes) if sizes else 64) + extra
        return int(self.bytes / max(1, share) / average)

    def new_file(self) -> SpillFile:
        return SpillFile(self.directory)


@functools.lru_cache(maxsize=1)
def default_budget() -> BagBudget:
    """The budget of code compiled without a task's configuration (the defaults)."""
    return BagBudget.of(None)


def row_size(v: Any) -> int:
    """Bytes a Pig value takes in memory: the object and, for tuples, bags and maps, its parts."""
    t = type(v)
    if t is tuple or t is list:
        return getsizeof(v) + sum(map(row_size, v))
    if t is dict:
        return getsizeof(v) + sum(row_size(k) + row_size(x) for k, x in v.items())
    return getsizeof(v)


# ------------------------------------------------------------------------------ spill files
class SpillFile:
    """An anonymous temporary file of batches (each one msgpack array of rows, or of (sort key,
    row) pairs): appended, then read any number of times, by any number of readers at once
    (each reads at its own offset)."""

    __slots__ = ("file", "size")

    def __init__(self, directory: str | None) -> None:
        self.file = tempfile.TemporaryFile(prefix="pig-bag-", dir=directory)  # noqa: SIM115
        self.size = 0

    def write(self, records: bytes) -> None:
        self.file.write(records)
        self.size += len(records)

    def write_batch(self, items: list, pairs: bool = False) -> None:
        """One batch of rows, or of (key, row) pairs: plain msgpack when every field is an
        atom (a C-level check), else `storage.pack_value` (bags, maps, datetimes)."""
        if not items:
            return
        rows = map(_second, items) if pairs else items
        if _ATOMS.issuperset(map(type, chain.from_iterable(rows))):
            self.write(_plain(items))
        else:
            self.write(pack_value(tuple(items)))

    def write_packed(self, packed: list[bytes]) -> None:
        """One batch of rows given as their msgpack bytes (as the shuffle delivers them)."""
        n = len(packed)
        head = bytes([0x90 | n]) if n < 16 else (b"\xdc" + n.to_bytes(2, "big"))
        if n >= 1 << 16:
            head = b"\xdd" + n.to_bytes(4, "big")
        self.write(head + b"".join(packed))

    def batches(self) -> Iterator[tuple]:
        """The batches, decoded as `storage.unpack_value` does (tuples, bags, maps, dates)."""
        self.file.flush()
        return BinStorage().tuples(self._chunks(self.file.fileno(), self.size))

    @staticmethod
    def _chunks(fd: int, size: int) -> Iterator[bytes]:
        offset = 0
        while offset < size:
            chunk = os.pread(fd, min(_READ, size - offset), offset)
            if not chunk:
                return
            offset += len(chunk)
            yield chunk

    def close(self) -> None:
        self.file.close()


_ATOMS = frozenset((int, float, str, bytes, bool, type(None)))
_plain = msgpack.Packer(use_bin_type=True).pack


class GrowingBag:
    """A group's bag being filled row batch by row batch (the fused JOIN+GROUP and
    DISTINCT+GROUP reduces): a list, moved to a spill file once past its share of the budget
    (when `spillable`), the rest appended there; `first` is its first row."""

    __slots__ = ("budget", "spillable", "items", "first", "file", "count", "limit", "check")

    def __init__(self, budget: BagBudget, spillable: bool) -> None:
        self.budget = budget
        self.spillable = spillable
        self.items: list = []
        self.first: tuple | None = None
        self.file: SpillFile | None = None
        self.count = 0
        self.limit: int | None = None
        self.check = CHECK_ROWS

    def add(self, rows: list) -> None:
        if not rows:
            return
        if self.first is None:
            self.first = rows[0]
        self.items += rows
        if self.spillable and len(self.items) >= self.check:
            self._spill()

    def _spill(self) -> None:
        if self.limit is None:
            self.limit = self.budget.row_limit(self.items)
        if self.file is not None or len(self.items) > self.limit:
            if self.file is None:
                self.file = self.budget.new_file()
            for i in range(0, len(self.items), CHECK_ROWS):
                self.file.write_batch(self.items[i : i + CHECK_ROWS])
            self.count += len(self.items)
            self.items = []
        self.check = len(self.items) + CHECK_ROWS

    def rows(self) -> Any:
        """The bag: the list, or the spilled rows as a `SpillBag`."""
        if self.file is None:
            return self.items
        if self.items:
            self.file.write_batch(self.items)
            self.count += len(self.items)
            self.items = []
        return SpillBag(self.file, self.count)


def _write_rows(out: SpillFile, rows: list[tuple], pairs: bool = False) -> None:
    for i in range(0, len(rows), CHECK_ROWS):
        out.write_batch(rows[i : i + CHECK_ROWS], pairs)


def _pairs(run: SpillFile) -> Iterator[tuple[bytes, tuple]]:
    return chain.from_iterable(run.batches())


# ------------------------------------------------------------------------------ bags on disk
class DiskBag:
    """A read-only Pig bag whose rows are on disk: sized, re-iterable, indexable."""

    __slots__ = ("_count",)

    def __init__(self, count: int | None) -> None:
        self._count = count

    def batches(self) -> Iterator[Any]:
        """The rows, a sequence of them at a time."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[tuple]:
        return chain.from_iterable(self.batches())

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self)
        return self._count

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            if (index.start or 0) >= 0 and (index.stop is None or index.stop >= 0):
                return list(islice(self, index.start, index.stop, index.step))
            return list(self)[index]
        if index < 0:
            index += len(self)
        for row in islice(self, index, None):
            return row
        raise IndexError("bag index out of range")

    def project(self, columns: tuple[int, ...]) -> ProjectedBag:
        """`bag.(columns)` without reading the bag now (`exprs.deref` of a bag)."""
        return ProjectedBag(self, columns)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"


class SpillBag(DiskBag):
    """Rows in one spill file, in the order they were written."""

    __slots__ = ("_file",)

    def __init__(self, file: SpillFile, count: int) -> None:
        super().__init__(count)
        self._file = file

    def batches(self) -> Iterator[tuple]:
        return self._file.batches()


class MergedBag(DiskBag):
    """Sorted runs of (sort key, row), merged on every reading; `distinct` drops rows whose
    key repeats."""

    __slots__ = ("_runs", "_distinct")

    def __init__(self, runs: list[SpillFile], distinct: bool, count: int | None) -> None:
        super().__init__(count)
        self._runs = runs
        self._distinct = distinct

    def batches(self) -> Iterator[Any]:
        merged = heapq.merge(*[_pairs(r) for r in self._runs], key=_first)
        if self._distinct:
            merged = map(next, map(_second, groupby(merged, key=_first)))
        rows = map(_second, merged)
        while batch := list(islice(rows, CHECK_ROWS)):
            yield batch


class ProjectedBag(DiskBag):
    """Some columns of every row of a bag on disk, read as the bag is (`A.v` of a spilled A)."""

    __slots__ = ("_base", "_columns")

    def __init__(self, base: DiskBag, columns: tuple[int, ...]) -> None:
        super().__init__(base._count)
        self._base = base
        self._columns = columns

    def batches(self) -> Iterator[list]:
        columns = self._columns
        get = itemgetter(*columns)
        for batch in self._base.batches():
            try:  # C-level while every row is wide enough (rows built to a schema are)
                yield list(zip(map(get, batch))) if len(columns) == 1 else list(map(get, batch))
            except IndexError:
                yield [_project(x, columns) for x in batch]


def _project(x: tuple, columns: tuple[int, ...]) -> tuple:
    """`exprs.deref` of one row: a short row gives nulls for one column, fails for several."""
    if len(columns) == 1:
        c = columns[0]
        return (x[c] if c < len(x) else None,)
    return tuple(itemgetter(*columns)(x))


def is_bag(v: Any) -> bool:
    """True for a Pig bag: a list, or a bag on disk."""
    return type(v) is list or isinstance(v, DiskBag)


# ------------------------------------------------------------------------------ GROUP bags
def group_bags(
    values: Iterable[tuple[int, Any]],
    n: int,
    budget: BagBudget,
    unpack: Callable[[bytes], tuple],
    spillable: frozenset[int],
    expand: Callable[[Any], Sequence[bytes]] | None = None,
) -> list[Any]:
    """The n bags of one group from its shuffled (input tag, packed row) values: plain lists,
    except that a bag in `spillable` (0-based input tags) past its share of `budget` goes to
    disk whole, its further rows copied there as they arrived. A value that is not bytes is a
    record of several packed rows that `expand` gives (a map task's rows of the key), unpacked
    at once."""
    bags: list[list] = [[] for _ in range(n)]
    rows = 0
    it = iter(values)
    for tag, pv in it:
        if type(pv) is bytes:
            bags[tag].append(unpack(pv))
            rows += 1
        else:
            got = list(map(unpack, expand(pv)))  # type: ignore[misc]
            bags[tag] += got
            rows += len(got)
        if rows >= CHECK_ROWS:  # a big group: the rest measured as it comes
            return _big_group(bags, each_row(it, expand), budget, unpack, spillable)
    return bags


def each_row(
    values: Iterable[tuple[int, Any]], expand: Callable[[Any], Sequence[bytes]] | None
) -> Iterator[tuple[int, bytes]]:
    """(tag, packed row) of every shuffled value, a record of several rows taken apart by
    `expand`."""
    for tag, pv in values:
        if type(pv) is bytes:
            yield tag, pv
        else:
            for one in expand(pv):  # type: ignore[misc]
                yield tag, one


def _big_group(
    bags: list[Any], it: Iterator, budget: BagBudget, unpack: Callable, spillable: frozenset
) -> list[Any]:
    """`group_bags` past its first `CHECK_ROWS` rows (in `bags`): a size check per chunk."""
    n = len(bags)
    limits: list[int | None] = [None] * n
    while True:
        for i in spillable:
            bag = bags[i]
            if type(bag) is not list or len(bag) <= CHECK_ROWS:
                continue
            if limits[i] is None:
                limits[i] = budget.row_limit(bag, n)
            if len(bag) > limits[i]:  # type: ignore[operator]
                out = budget.new_file()
                _write_rows(out, bag)
                bags[i] = _OnDisk(out, len(bag))
        chunk = list(islice(it, CHECK_ROWS))
        if not chunk:
            return [b if type(b) is list else SpillBag(b.file, b.count) for b in bags]
        if n == 1:
            raws = [[pv for _tag, pv in chunk]]
        else:
            raws = [[] for _ in range(n)]
            for tag, pv in chunk:
                raws[tag].append(pv)
        for i, raw in enumerate(raws):
            bag = bags[i]
            if type(bag) is list:
                bag += map(unpack, raw)
            else:  # on disk already: the packed rows as they came
                bag.file.write_packed(raw)
                bag.count += len(raw)


class _OnDisk:
    """A GROUP bag being written to disk: its file and row count."""

    __slots__ = ("file", "count")

    def __init__(self, file: SpillFile, count: int) -> None:
        self.file = file
        self.count = count


# ------------------------------------------------------------------------------ DISTINCT, ORDER
def distinct_bag(rows: Any, budget: BagBudget | None = None) -> Any:
    """Nested DISTINCT: a list in first-seen order while the rows seen fit in the budget (or
    the input is a list already in memory), else a `MergedBag` of sorted, de-duplicated runs."""
    if type(rows) is list:
        return distinct_rows(rows)
    sort_bytes = data.sort_bytes
    budget = budget or default_budget()
    it = iter(rows)
    seen: dict[bytes, tuple] = {}
    runs: list[SpillFile] = []
    limit = None
    while chunk := list(islice(it, CHECK_ROWS)):
        seen.update(zip(map(sort_bytes, chunk), chunk))
        if limit is None:
            limit = budget.row_limit(chunk, extra=_DICT_ENTRY + _key_size(chunk, sort_bytes))
        if len(seen) > limit:
            runs.append(_sorted_run(budget, seen.items()))
            seen = {}
    if not runs:
        return list(seen.values())
    if seen:
        runs.append(_sorted_run(budget, seen.items()))
    return MergedBag(_fewer_runs(budget, runs, True), True, None)


@frozen_dataclass
class PlainOrder:
    """An ORDER BY of plain columns, all ascending or all descending: rows whose key columns
    hold values of one Python type each (str; int; float without NaN) sort in Pig's order
    by the values themselves, C-level (`data.sort_bytes` orders those as Python does)."""

    columns: tuple[int, ...]
    descending: bool


def sort_bag(
    rows: Any,
    key: Callable[[tuple], bytes],
    budget: BagBudget | None = None,
    plain: PlainOrder | None = None,
) -> Any:
    """Nested ORDER (stable, by the byte key `key`): a sorted list when the input is a list
    already in memory or fits in the budget, else a `MergedBag` of sorted runs."""
    if type(rows) is list:
        done = None if plain is None else _plain_sorted(rows, plain)
        return sorted(rows, key=key) if done is None else done
    budget = budget or default_budget()
    it = iter(rows)
    held: list[tuple] = []
    runs: list[SpillFile] = []
    count = 0
    limit = None
    while chunk := list(islice(it, CHECK_ROWS)):
        held += chunk
        count += len(chunk)
        if limit is None:
            limit = budget.row_limit(chunk, extra=_SLOT + _key_size(chunk, key))
        if len(held) > limit:
            runs.append(_sorted_run(budget, zip(map(key, held), held)))
            held = []
    if not runs:
        return sorted(held, key=key)
    if held:
        runs.append(_sorted_run(budget, zip(map(key, held), held)))
    return MergedBag(_fewer_runs(budget, runs, False), False, count)


_ONE_TYPE = (frozenset((str,)), frozenset((int,)), frozenset((float,)))
_NONE = type(None)


def _plain_sorted(rows: list, plain: PlainOrder) -> list | None:
    """`rows` in Pig's order by `plain`'s columns when each holds values of one type of
    `_ONE_TYPE` (no NaN, no short row; nulls only in a one-column key, where they come first
    ascending and last descending, in their order); None when the values do not allow it."""
    cols = plain.columns
    nulls = False
    for c in cols:
        try:
            values = list(map(itemgetter(c), rows))
        except IndexError:
            return None
        kinds = frozenset(map(type, values))
        if _NONE in kinds and len(cols) == 1:
            nulls, kinds = True, kinds - {_NONE}
        if kinds not in _ONE_TYPE:
            return None
        if float in kinds and any(v != v for v in values if v is not None):
            return None
    key = itemgetter(*cols)
    if not nulls:
        return sorted(rows, key=key, reverse=plain.descending)
    c = cols[0]
    valued = sorted([r for r in rows if r[c] is not None], key=key, reverse=plain.descending)
    missing = [r for r in rows if r[c] is None]
    return valued + missing if plain.descending else missing + valued


def _key_size(sample: list[tuple], key: Callable[[tuple], bytes]) -> int:
    """Bytes a row's sort key and its (key, row) pair take while its run is written."""
    keys = [getsizeof(key(r)) for r in islice(sample, SAMPLE_ROWS)]
    return (sum(keys) // len(keys) if keys else 64) + _RUN_PAIR


def _sorted_run(budget: BagBudget, pairs: Iterable[tuple[bytes, tuple]]) -> SpillFile:
    out = budget.new_file()
    _write_rows(out, sorted(pairs, key=_first), True)
    return out


def _fewer_runs(budget: BagBudget, runs: list[SpillFile], distinct: bool) -> list[SpillFile]:
    """At most `MAX_RUNS` runs: the oldest merged into one run while there are more."""
    while len(runs) > MAX_RUNS:
        group, runs = runs[:MAX_RUNS], runs[MAX_RUNS:]
        merged = heapq.merge(*[_pairs(r) for r in group], key=_first)
        if distinct:
            merged = (next(g) for _k, g in groupby(merged, key=_first))
        out = budget.new_file()
        while batch := list(islice(merged, CHECK_ROWS)):
            out.write_batch(batch, True)
        for r in group:
            r.close()
        runs.insert(0, out)  # the oldest rows first: equal keys keep their order
    return runs


# ------------------------------------------------------------------------------ join/CROSS
class RowBuffer:
    """The rows of one buffered join/CROSS input: a list, moved to a spill file in pieces when
    it passes its share of the budget (or `max_rows`, when given)."""

    __slots__ = ("count", "items", "limit", "next_check", "share", "budget", "file", "max_rows")

    def __init__(self, budget: BagBudget, share: int = 1, max_rows: int | None = None) -> None:
        self.items: list = []
        self.count = 0
        self.budget = budget
        self.share = share
        self.max_rows = max_rows
        self.limit: int | None = None
        self.next_check = min(CHECK_ROWS, max_rows or CHECK_ROWS)
        self.file: SpillFile | None = None

    def append(self, t: tuple) -> None:
        self.items.append(t)
        if len(self.items) >= self.next_check:
            self._check()

    def extend(self, rows: list) -> None:
        """`append` of each of `rows`, the budget checked at the same points."""
        while rows:
            room = self.next_check - len(self.items)
            if room > len(rows):
                self.items += rows
                return
            self.items += rows[:room]
            rows = rows[room:]
            self._check()

    def _check(self) -> None:
        if self.limit is None:
            self.limit = self.budget.row_limit(self.items, self.share)
            if self.max_rows is not None:
                self.limit = min(self.limit, self.max_rows)
        if len(self.items) >= self.limit:
            if self.file is None:
                self.file = self.budget.new_file()
            _write_rows(self.file, self.items)
            self.count += len(self.items)
            self.items = []
        self.next_check = len(self.items) + min(CHECK_ROWS, max(1, self.limit))

    def __len__(self) -> int:
        return self.count + len(self.items)

    @property
    def spilled(self) -> bool:
        return self.file is not None

    def __iter__(self) -> Iterator[tuple]:
        if self.file is None:
            return iter(self.items)
        return chain(chain.from_iterable(self.file.batches()), self.items)

    def chunks(self) -> Iterator[list[tuple]]:
        """The rows in lists of at most `CHECK_ROWS` (one list when nothing spilled)."""
        if self.file is None:
            yield self.items
            return
        rows = iter(self)
        while chunk := list(islice(rows, CHECK_ROWS)):
            yield chunk

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def product_rows(buffers: list[Any]) -> Iterator[tuple]:
    """The concatenated rows of every combination, the first buffer outermost (as
    ``itertools.product``), reading each buffer again as needed instead of holding it."""
    if not buffers:
        yield ()
        return
    first, rest = buffers[0], buffers[1:]
    for row in first:
        for tail in product_rows(rest):
            yield row + tail
