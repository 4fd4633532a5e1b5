"""Both sides of a GROUP computed in its DISTINCT's job (distinctgroup.py says when and why).

Owns `inline_tail` and `map_tail` (the map side: each row of the DISTINCT's input not sent
already by this task, keyed by `distinctgroup.RowKey`) and `reducer` (the reduce side). The
shuffle makes each distinct row one reduce group, in order of the GROUP's key bytes; the
reduce side keeps each group's first row (as the DISTINCT's own reduce does), projects it as
the FOREACHs of plain columns between the DISTINCT and the GROUP do, and gathers the rows of
one GROUP key, which may span the batches mapred gives, into the group's bag. When the key
changes, and at the end of the task (`PigJob.add_flush`), the finished row
``(group, bag)`` runs through the operators after the GROUP as the GROUP's own reduce would
run it. The bag goes to disk past the task's bag budget when the FOREACH after the GROUP only
reads it row by row (`bagusage.streaming_bags`), as a GROUP's bag does.
Must not touch: job boundaries (mrcompiler.py), what the operators compute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, islice
from operator import itemgetter, ne
from typing import Any

from piglatin.back.bagusage import streaming_bags
from piglatin.back.codegen import DistinctTail
from piglatin.back.distinctgroup import RowKey, exact_rows, fused_columns
from piglatin.back.physical import Compiler, OneRow, chain_functions
from piglatin.back.reducebatch import BatchReduce, row_writer
from piglatin.back.reducers import DISTINCT_SEEN, hashable_rows, packer
from piglatin.back.spillbag import BagBudget, GrowingBag
from piglatin.back.storage import unpacker
from piglatin.plan import logical as L

__all__ = ["inline_tail", "map_tail", "reducer"]

_unpack = unpacker()
_first, _second = itemgetter(0), itemgetter(1)
#: the value types whose Python equality is Pig's (and sort bytes') equality
_PLAIN = frozenset((str, bytes, int, type(None)))


def _row_key(plan: L.LogicalPlan, spec: Any) -> RowKey:
    at = spec.reduce_chain.index(spec.group)
    found = fused_columns(plan, spec.op, spec.reduce_chain[:at], spec.group)
    if found is None:  # the compiler asked the same question of the same plan
        raise AssertionError(f"{spec.op} is not a DISTINCT whose reduce computes {spec.group}")
    source = plan.op(spec.op).inputs[0]
    types = [f.type for f in plan.op(source).schema]
    return RowKey(types, found[0], spec.reducers > 1, exact_rows(plan, source))


def inline_tail(plan: L.LogicalPlan, spec: Any) -> DistinctTail | None:
    """The map output the generated pipeline writes inline: the DISTINCT's `DistinctTail`
    with the fused job's key; None (the closures' `map_tail`) for rows with a bag or a map,
    which the tail's set of rows cannot hold."""
    schema = plan.op(plan.op(spec.op).inputs[0]).schema
    if not hashable_rows(schema):
        return None
    pack = packer(plan, plan.op(spec.op).inputs[0])
    return DistinctTail(_row_key(plan, spec).encode, pack, set(), set(), DISTINCT_SEEN)


def map_tail(job: Any) -> Callable[[tuple], list]:
    """The same map output, a row at a time (the closures' pipeline)."""
    plan, spec = job.plan, job.spec
    encode = _row_key(plan, spec).encode
    pack = packer(plan, plan.op(spec.op).inputs[0])
    seen = job.state.seen

    def distinct(t: tuple) -> list:
        kb = encode(t)
        if kb in seen:
            return []
        if len(seen) < DISTINCT_SEEN:
            seen.add(kb)
        return [(kb, pack(t))]

    return distinct


def reducer(job: Any) -> BatchReduce:
    """The reduce side of DISTINCT job `job` whose spec names a `group` (mrcompiler.JobSpec);
    registers the task's last group with `job.add_flush`."""
    spec, plan = job.spec, job.plan
    group = plan.op(spec.group)
    at = spec.reduce_chain.index(spec.group)
    after = [plan.op(o) for o in spec.reduce_chain[at + 1 :]]
    budget = BagBudget.of(job.context.conf, "reduce")
    comp = Compiler(
        job.compiler.scalars, job.compiler.udfs, plan=plan, bags=budget, warn=job.compiler.warn
    )
    stages = [comp.narrow(o, 0) for o in after]
    found = fused_columns(plan, spec.op, spec.reduce_chain[:at], spec.group)
    bag_cols = found[1] if found is not None else None
    project = _projection(bag_cols) if bag_cols is not None else None
    first = stages[0] if stages else None
    row_of = first.row if isinstance(first, OneRow) else None
    run = chain_functions(stages, job.emit)
    rest = stages[1:] if row_of is not None else stages
    direct = not any(s is not None for s in rest)
    writer = row_writer(chain_functions(rest, job.emit), job.store_line, job.record_pack, direct)
    spillable = 0 in streaming_bags(after[0] if after else None, 1)
    row_key = _row_key(plan, spec)
    keys_of, key_bytes = _keys_of(row_key), row_key.key_bytes
    group_of = _first if len(group.keys[0]) == 1 else None  # the GROUP's value of a key
    pending = _Pending(budget, spillable, key_bytes)

    def write(finished: list) -> list:
        """The output of finished ``(group, bag)`` rows."""
        if row_of is not None:
            return writer.write([row_of(r) for r in finished])
        out: list = []
        for r in finished:
            out += run(r)
        return out

    def close() -> tuple:
        key, rows = pending.key, pending.take()
        return (key if group_of is None else group_of(key), rows)

    def batch(groups: list) -> list:
        rows = _unpacked(list(map(_first, map(_second, groups))))
        keys = keys_of(rows)
        plain = _PLAIN.issuperset(map(type, chain.from_iterable(keys)))
        ids = keys if plain else list(map(key_bytes, keys))
        if project is not None:
            rows = project(rows)
        n = len(ids)
        starts = [0, *compress(range(1, n), map(ne, islice(ids, 1, None), ids))]
        finished: list = []
        for s, e in zip(starts, [*starts[1:], n]):
            key = keys[s]
            if s == 0 and pending.holds(key, plain):
                pending.add(rows[s:e])
                if e < n:
                    finished.append(close())
                continue
            if s == 0 and pending.bag is not None:
                finished.append(close())
            if e < n:  # a whole group within the batch
                finished.append((key if group_of is None else group_of(key), list(rows[s:e])))
                continue
            pending.start(key, plain)
            pending.add(rows[s:e])
        return write(finished)

    def reduce(key: Any, values: Iterable[Any]) -> list:
        """A distinct row sent more times than a batch holds: its first value."""
        return batch([(key, [next(iter(values))])])

    def flush() -> list:
        if pending.bag is None:
            return []
        return write([close()])

    job.add_flush(flush)
    return BatchReduce(reduce, batch)


def _keys_of(row_key: RowKey) -> Callable[[Sequence], list]:
    """rows -> their key columns' tuples (C-level for rows of the schema's width)."""
    get, one = row_key.get, row_key.one

    def keys_of(rows: Sequence) -> list:
        try:
            return list(zip(map(get, rows))) if one else list(map(get, rows))
        except (IndexError, TypeError, KeyError):
            return list(map(row_key.key_of, rows))

    return keys_of


def _unpacked(packed: list) -> Sequence[tuple]:
    """The rows of packed values, unpacked in one msgpack call (an array of them)."""
    n = len(packed)
    head = bytes([0x90 | n]) if n < 16 else b"\xdc" + n.to_bytes(2, "big")
    if n >= 1 << 16:
        head = b"\xdd" + n.to_bytes(4, "big")
    try:
        return _unpack(head + b"".join(packed))
    except TypeError:  # not all bytes
        return list(map(_unpack, packed))


class _Pending:
    """The GROUP key being gathered (its columns' values `key`) and its bag so far. Keys of
    str, bytes, int and null values only (`plain`) are equal exactly when Python says so;
    others are compared by their sort bytes."""

    __slots__ = ("key", "plain", "bag", "budget", "spillable", "key_bytes", "_bytes")

    def __init__(
        self, budget: BagBudget, spillable: bool, key_bytes: Callable[[tuple], bytes]
    ) -> None:
        self.key: tuple = ()
        self.plain = False
        self.bag: GrowingBag | None = None
        self.budget = budget
        self.spillable = spillable
        self.key_bytes = key_bytes
        self._bytes: bytes | None = None

    def holds(self, key: tuple, plain: bool) -> bool:
        """Whether `key` (all `plain` or not) is the key being gathered."""
        if self.bag is None:
            return False
        if plain and self.plain:
            return key == self.key
        if self._bytes is None:
            self._bytes = self.key_bytes(self.key)
        return self.key_bytes(key) == self._bytes

    def start(self, key: tuple, plain: bool) -> None:
        self.key, self._bytes = key, None
        self.plain = plain or _PLAIN.issuperset(map(type, key))
        self.bag = GrowingBag(self.budget, self.spillable)

    def add(self, rows: Sequence[tuple]) -> None:
        self.bag.add(list(rows))  # type: ignore[union-attr]

    def take(self) -> Any:
        """The bag gathered (a list, or a `SpillBag`); nothing is pending after."""
        bag, self.bag = self.bag, None
        return bag.rows()  # type: ignore[union-attr]


def _projection(cols: tuple[int, ...]) -> Callable[[list], list]:
    """rows -> the tuple of columns `cols` of each; a short row's missing columns are nulls
    (as a FOREACH's projection gives them)."""
    if not cols:
        return lambda rows: [()] * len(rows)
    get = itemgetter(*cols)

    def slow(rows: list) -> list:
        return [tuple([t[c] if c < len(t) else None for c in cols]) for t in rows]

    def project(rows: list) -> list:
        try:
            if len(cols) == 1:
                return list(zip(map(get, rows)))
            return list(map(get, rows))
        except IndexError:
            return slow(rows)

    return project
