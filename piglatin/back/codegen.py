"""Whole-pipeline code generation for the map side of a Pig job (and for the operators
after a reduce-side JOIN or CROSS, over its joined rows: `RecordSource.rows`).

Owns: turning one map pipeline — its input's conversion to columns, then the FILTERs,
FOREACHes and SPLIT branches that follow — into the source of ONE Python function that takes
a batch of input records and returns the map outputs of the whole batch. Each column is a
local variable; each expression is spelled out inline with Pig's null semantics (three-valued
AND/OR, null-propagating arithmetic wrapped to Java's int/long, null comparisons), so no
per-operator or per-expression call is left per record. What it does not inline it calls:
field casts, builtin and UDF functions, expressions it has no inline form for (compiled by
`physical.Compiler`), the operators after the first one it cannot generate, and the job's
tail (what emits the map output records). A row that does not have the width the plan
promises (a short intermediate record, a bag element of another width) takes the closure
pipeline instead, from the step where it stops fitting, so every row gets exactly what the
closures give. The same generator writes the per-value codecs inlined in such code: byte
sort keys (`key_encoder`, `row_encoder`, `order_encoder`), PigStorage's output line
(`text_line_tail`), and the int/long/double fields of an input line converted in place
(plain ASCII text only; the loader's exact caster decides anything else).

The source is built from the plan only, never from data: constants and callables live in a
namespace under generated names (short strings and numbers are written as Python literals by
`repr`), and the same plan always gives the same source (`EXPLAIN` prints it).
Must not touch: job wiring (runtime.py), loaders (storage.py: PigStorage describes its fields
as a `storage.TextFields`), operator semantics (physical.py, exprs.py).
"""

from __future__ import annotations

import functools
import math
import re
import struct
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from dfs.codecache import PIPELINE_CODE
from piglatin.back.crossgrid import HeldInputs
from piglatin.back.exprs import CMP, caster, flattened, quotient, remainder, text_of
from piglatin.back.joinkeys import MergeRuns, ReplicatedTable, has_null
from piglatin.back.storage import TextFields
from piglatin.functions.builtins import java_regex, utf16_less
from piglatin.model import data
from piglatin.model.carriedline import field_proof, line_pattern, number_pattern
from piglatin.model.frozen import frozen_dataclass
from piglatin.model.schema import DataType
from piglatin.model.textcomplex import (
    MAP_BAG_CLOSE,
    MAP_BAG_OPEN,
    MAP_BAG_SEP,
    is_map_bag_test,
    map_bag_bodies,
)
from piglatin.plan import logical as L

if TYPE_CHECKING:
    from piglatin.back.joinfragments import SideFragment
    from piglatin.back.mapgroups import KeyGroups

__all__ = [
    "AggInput",
    "AggTail",
    "DistinctTail",
    "Generator",
    "KeyedTail",
    "PackedRows",
    "Pipeline",
    "RecordSource",
    "SplitBatch",
    "StoreLine",
    "TextPassThrough",
    "generate_map_pipeline",
    "fill_key_memos",
    "key_encoder",
    "key_memos",
    "order_encoder",
    "recording",
    "row_encoder",
    "text_line_tail",
    "text_lines",
]

RecordFn = Callable[[tuple], Any]

_NUMERIC = frozenset((DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE))
_COMPARABLE = (_NUMERIC, frozenset((DataType.CHARARRAY,)), frozenset((DataType.BOOLEAN,)))
_INT_BITS = {DataType.INT: 32, DataType.LONG: 64}


@frozen_dataclass(slots=False)
class RecordSource:
    """How a map input's records become columns: `text` (PigStorage's fields, converted
    inline) or `parse` (a record -> tuple function, then `width` columns)."""

    width: int
    text: TextFields | None = None
    parse: Callable[[Any], tuple] | None = None
    one_field: bool = False  # TextLoader: the line itself is the only column
    presplit: bool = False  # `text`: each record is the line's fields, split on the delimiter
    rows: bool = False  # each record is a row already (a reduce side's joined rows)


@frozen_dataclass(slots=False)
class KeyedTail:
    """A GROUP/JOIN input's map output, written inline by the generated pipeline: for key
    `keys` (one expression, or several making a tuple) the record is ``(encode(key) + suffix,
    (tag, pack(row)))``; with `null_key` set (a join), a key with a null is dropped, or kept
    under `null_key` when `keep_nulls` (an outer side). A COGROUP input (`whole_null`) keeps
    under `null_key` only a key that is null itself (one expression); its `encode`
    (`cogroupaggs.cogroup_key_encoder`) keeps a multi-field key with a null field apart per
    input, as the closures do (`reducers.map_tail`)."""

    keys: tuple[L.LExpr, ...]
    encode: Callable[[Any], bytes]
    suffix: bytes
    tag: int
    pack: Callable[[tuple], bytes]
    null_key: bytes | None
    keep_nulls: bool
    whole_null: bool = False
    # a hash join's part of the output record instead of the packed row (`joinfragments`)
    fragment: SideFragment | None = None
    # the map task's `mapgroups.KeyGroups`: the code adds each record's row to its key's
    # list itself (unless the groups are passing records through), and counts them
    groups: KeyGroups | None = field(default=None, compare=False, repr=False)


@frozen_dataclass(slots=False)
class AggInput:
    """One aggregate an `AggTail` folds: `func` (COUNT, COUNT_STAR, SUM, AVG, MIN or MAX) of
    column `column` of the grouped rows (None: COUNT_STAR of the rows themselves), counting
    only the rows for which every condition of `filters` is true (nested FILTERs, in order)."""

    func: str
    column: int | None
    filters: tuple[L.LExpr, ...] = ()
    # SUM/AVG/MIN/MAX of a bytearray column: each value folds as a double, converted as
    # the builtins convert it (`data.to_double`, a value that does not convert is null and
    # warns nothing); the generated code folds it inline only when the column is a
    # bytearray field of the input line (`Generator.folds`)
    as_double: bool = False
    # MIN/MAX of a chararray column: compared as Pig's StringMin/StringMax, by UTF-16 units
    text: bool = False


@frozen_dataclass(slots=False)
class DistinctTail:
    """A DISTINCT's map output, written inline: each row not seen before in this task as
    ``(encode(row), pack(row))``. Rows already written are skipped by their sort bytes
    (`seen`, at most `limit` of them), and before that by the row itself (`rows`) when its
    values are all of the types whose Python equality is Pig's (str, bytes, int, None): such
    rows are equal exactly when their sort bytes are. A pre-filter only: the reduce side
    keeps one row per key whatever the map sent. With `line` (a DISTINCT stored by
    PigStorage, nothing after it: `reducers.written_by_map`), the value is the row's stored
    line instead, written inline as `Generator.store_output` writes it (`pack`: the store's
    own value of a row the line cannot take, a field written as raw bytes)."""

    encode: Callable[[tuple], bytes]
    pack: Callable[[tuple], Any]
    seen: set
    rows: set
    limit: int
    line: StoreLine | None = None


#: the value types of a row `DistinctTail` may remember by value (bool is not among them)
PLAIN_ROW_TYPES = frozenset((str, bytes, int, type(None)))

#: partial slots per aggregate: AVG keeps (sum, count), the others one value
AGG_SLOTS = {"COUNT": 1, "COUNT_STAR": 1, "SUM": 1, "MIN": 1, "MAX": 1, "AVG": 2, "Distinct": 1}


@frozen_dataclass(slots=False)
class AggTail:
    """A combined GROUP's map output folded inline (Pig's in-map partial aggregation): per
    key (the value of `keys`, their tuple when several, "all" when there are none) `table`
    holds a list of partial slots (`AGG_SLOTS` per aggregate of `aggs`) that each row
    updates in place; past `limit` keys, and at the end of the task (the job registers it),
    `flush` turns the table into the map's (`encode`(key), `pack`((key, partials)))
    records. After each batch `judge` gets the number of rows the batch folded; it may set
    ``passing[0]`` (Pig's ``pig.exec.mapPartAgg.minReduction``: the folding is off), and
    each row's record then leaves at once. A row whose key cannot be hashed or whose values
    cannot be added or compared takes the closure tail instead, so every row counts exactly
    once. With several `keys` and `inline_keys`, `encode` must be `row_encoder` of their
    types and `memos` (`key_memos`) its memos: the passing rows' key bytes are made inline
    from them; without `inline_keys` (a COGROUP input, whose `encode` keeps a key with a null
    field apart per input) they are `encode`'s."""

    keys: tuple[L.LExpr, ...]
    aggs: tuple[AggInput, ...]
    limit: int
    table: dict[Any, list] = field(compare=False, repr=False)
    flush: Callable[[], list] = field(compare=False, repr=False)
    judge: Callable[[int], None] = field(compare=False, repr=False)
    passing: list[bool] = field(compare=False, repr=False)
    encode: Callable[[Any], bytes] = field(compare=False, repr=False)
    pack: Callable[[Any], bytes] = field(compare=False, repr=False)
    memos: tuple[dict[Any, bytes], ...] = field(default=(), compare=False, repr=False)
    inline_keys: bool = True


@frozen_dataclass(slots=False)
class SplitBatch:
    """A map input's batch function over lines already split on `delimiter` (a list of
    field lists), for a job that runs several pipelines on the same lines and splits each
    line once (Pig's multi-query)."""

    delimiter: str
    run: Callable[[Any, list], list] = field(compare=False, repr=False)


@frozen_dataclass(slots=False)
class StoreLine:
    """How PigStorage (without options) writes a stored row: each field's text, by the
    column `types`, joined by `sep`; `fmt` (the storer's own formatter) for anything else."""

    types: tuple[DataType, ...]
    sep: str
    fmt: Callable[[tuple], Any]


@frozen_dataclass(slots=False)
class PackedRows:
    """A job's rows written for a later job or a DUMP: each as ``(None, pack(row))``
    (`runtime.PigJob._tail`'s records, appended inline)."""

    pack: Callable[[tuple], Any]


@frozen_dataclass(slots=False)
class TextPassThrough:
    """An ORDER's map output when the map side writes the stored line itself
    (`reducers.written_by_map`): the record is ``(key(row), line)``. `key` reads only the
    columns in `key_columns`; each other column whose text the input line's `TextFields`
    says is carried exactly (`TextFields.carried`) is copied into the line unparsed, and
    every other column is converted and formatted as `text_line_tail` does. Used only when
    the ORDER reads the LOAD's rows as they are (no operator in between). `plain_key`:
    the (column, descending) pairs of a key made of columns only, whose bytes
    (`data.order_bytes`, as `order_encoder`) are then written inline instead of `key`."""

    key: Callable[[tuple], bytes]
    key_columns: frozenset[int]
    line: StoreLine
    plain_key: tuple[tuple[int, bool], ...] | None = None


@frozen_dataclass(slots=False)
class Pipeline:
    """Generated source of one map pipeline and the namespace it runs in."""

    name: str
    source: str
    namespace: dict[str, Any] = field(compare=False, repr=False)
    generated: tuple[str, ...] = ()  # op ids inlined, in order

    def function(self) -> Callable[[Any, list], list]:
        """(keys, values) -> the map outputs of the batch."""
        ns = dict(self.namespace)
        exec(PIPELINE_CODE.code(self.source, f"<pig pipeline {self.name}>"), ns)  # noqa: S102
        made = _RECORDING.get()
        if made is not None:
            made.append(self)
        return ns[self.name]


_RECORDING: ContextVar[list[Pipeline] | None] = ContextVar("pig_pipelines", default=None)


@contextmanager
def recording() -> Iterator[list[Pipeline]]:
    """The pipelines compiled (`Pipeline.function`) inside the block, in order: what a
    task's set-up generates, for EXPLAIN to print (runtime.explain_code)."""
    made: list[Pipeline] = []
    token = _RECORDING.set(made)
    try:
        yield made
    finally:
        _RECORDING.reset(token)


def generate_map_pipeline(
    name: str,
    source: RecordSource,
    ops: Sequence[tuple[L.LogicalOperator, int]],
    closures: Sequence[RecordFn | None],
    tail: RecordFn,
    compiler: Any,
    rest_from: Callable[[int], RecordFn],
    sides: Mapping[str, ReplicatedTable | MergeRuns] | None = None,
    keyed: KeyedTail | AggTail | DistinctTail | StoreLine | None = None,
    carried: TextPassThrough | None = None,
) -> Pipeline:
    """The pipeline: `source`'s columns through `ops` (the first ones it can inline; from
    the first it cannot, ``rest_from(i)`` runs ops[i:] and the tail) into `tail`.
    `closures[i]` is op i's record function (None: the identity); `sides` the in-memory
    tables of replicated joins, by op id; `keyed`: the tail's inline form, if it has one;
    `carried`: an ORDER's written lines, used when its rows are `source`'s text fields."""
    gen = Generator(compiler, sides or {})
    if carried is not None and not ops and _carries(source.text, carried):
        return gen.pass_through(name, source.text, carried)  # type: ignore[arg-type]
    return gen.pipeline(name, source, ops, closures, tail, rest_from, keyed)


def _carries(tf: TextFields | None, carried: TextPassThrough) -> bool:
    """Whether the stored row is `tf`'s fields in order, of the types the line has
    templates for, with at least one field carried unparsed (by its own test, or as part
    of a whole line that `carriedline.line_pattern` takes)."""
    types = carried.line.types
    if tf is None or len(tf.carried) != len(tf.fields) or len(types) != len(tf.fields):
        return False
    if any(t.value != name or t not in _CARRIED_TYPES for t, name in zip(types, tf.types)):
        return False
    if any(tf.carried[i] for i in range(len(types)) if i not in carried.key_columns):
        return True
    return _whole_line(tf, carried.line, ()) is not None


def _whole_line(
    tf: TextFields,
    line: StoreLine,
    keys: Collection[int],
    memo: Collection[int] = (),
    proven: Collection[int] = (),
) -> re.Pattern | None:
    """`carriedline.line_pattern` of `tf`'s lines (groups ``k{i}``: the columns in `keys`;
    ``t{i}``: the fields in `memo`, proven by the caller but those in `proven`) when the stored
    line is the input line's fields 0..n-1 joined by its own delimiter."""
    if line.sep != tf.delimiter or [c for c, _ in tf.fields] != list(range(len(tf.fields))):
        return None
    return line_pattern(tf.types, tf.carried, tf.delimiter, keys, memo, proven)


class MemoProofs:
    """The whole-line proof of an ORDER's carried lines (`Generator.pass_through`) with its
    untyped map fields proven once per distinct text rather than inside the line's pattern:
    a map column often repeats a few texts (PigMix's page_info: 2,000 in 200k rows), and a
    set lookup costs far less than the map's pattern (its distinct-keys proof is the
    costliest part of the line's). The line's pattern only captures such a field (group
    ``t{i}``); a text not yet proven is matched by the field's own pattern
    (`carriedline.field_proof`: exactly the line pattern's test of that field) and the first
    `_MEMO` proven are remembered. When a field's memo is full and then misses `_MEMO` more
    times (its texts do not repeat), the lines are matched by a pattern that proves that
    field inline again, its group then empty, so no lookup is made; both patterns number
    their groups alike, so the generated code reads them the same way."""

    def __init__(self, build: Callable[[frozenset[int]], re.Pattern]) -> None:
        self.build = build  # the fields proven inline -> the line's pattern
        self.inline: frozenset[int] = frozenset()
        self.line = [build(self.inline).fullmatch]  # the generated code calls ``line[0]``

    def prover(self, field: int, test: Callable[[str], Any]) -> tuple[set, Callable]:
        """(the texts proven so far, ``prove(text)``: whether `test` takes `text`)."""
        proven: set[str] = set()
        misses = [0]

        def prove(text: str) -> bool:
            ok = test(text) is not None
            if len(proven) < _MEMO:
                if ok:
                    proven.add(text)
            else:
                self.missed(field, misses)
            return ok

        return proven, prove

    def missed(self, field: int, misses: list[int]) -> None:
        """Count a text of `field` that its full memo did not hold: at the `_MEMO`-th, the
        memo is given up and the line's pattern proves the field inline again."""
        misses[0] += 1
        if misses[0] == _MEMO:
            self.inline = self.inline | {field}
            self.line[0] = self.build(self.inline).fullmatch

    def bag_prover(self, field: int, test: Callable[[str], Any]) -> tuple[set, Callable]:
        """(the map bodies proven so far, ``prove(text)``: whether `test` takes `text`) for
        a bag of one-map tuples: a bag whose maps' bodies (`textcomplex.map_bag_bodies`) are
        all proven is proven without `test` (a bag's text is rarely repeated, its maps are:
        PigMix's page_links, 2,000 distinct maps in 130k distinct bags of 200k rows)."""
        bodies: set[str] = set()
        misses = [0]

        def prove(text: str) -> bool:
            ok = test(text) is not None
            if len(bodies) < _MEMO:
                if ok:
                    for body in map_bag_bodies(text) or ():
                        if len(bodies) < _MEMO:
                            bodies.add(body)
            else:
                self.missed(field, misses)
            return ok

        return bodies, prove


class Generator:
    """Writes one generated function from a plan's operators: `pipeline` for a map input,
    `pass_through` for an ORDER's carried lines; the module's other generators (key encoders,
    line writers, finals) use its namespace and `emit` too. Subclassed by
    `splittree` to write several branches' pipelines into one loop."""

    def __init__(
        self, compiler: Any, sides: Mapping[str, ReplicatedTable | MergeRuns] | None = None
    ) -> None:
        self.comp = compiler
        self.sides = sides or {}
        self.ns: dict[str, Any] = {}
        self.lines: list[str] = []
        self.count = 0
        # each input field's conversion: (its column's name, first line, end line)
        self.conversions: list[tuple[str, int, int]] = []
        # each input field's local -> the expression converting its text (`lazy_row`)
        self.lazy_fields: dict[str, str] = {}
        # the column of each input field's local: (field, type, `TextFields.carried`, cast)
        self.field_texts: dict[str, tuple[int, str, Any, Any]] = {}
        # `small_ints`' lines per field: (before the loop, after it)
        self.small_fields: list[tuple[list[str], list[str]]] = []

    # -- names ------------------------------------------------------------------------------
    def fresh(self, prefix: str = "x") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, prefix: str, value: Any) -> str:
        name = self.fresh("_" + prefix)
        self.ns[name] = value
        return name

    def literal(self, value: Any) -> str:
        t = type(value)
        if value is None or t is bool or t is int:
            return repr(value)
        if t is float and math.isfinite(value):
            return repr(value)
        if t is str and len(value) <= 40:
            return repr(value)
        return self.const("k", value)

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    # -- the function -----------------------------------------------------------------------
    def pipeline(self, name, source, ops, closures, tail, rest_from, keyed=None) -> Pipeline:
        self.emit(0, f"def {name}(_keys, _values):")
        self.emit(1, "_out = []")
        if isinstance(keyed, AggTail):
            self.emit(1, "_seen = 0")
        grouped = isinstance(keyed, KeyedTail) and keyed.groups is not None
        if grouped:  # the records' rows go to their key's list (`mapgroups.KeyGroups`)
            kg = self.const("kg", keyed.groups)
            self.emit(1, f"_gs = None if {kg}.passing else {kg}.groups")
            if _by_value(keyed) is not None:
                template = _KEY_TEMPLATES[keyed.keys[0].type]
                encode = self.const("encode", _keys_encoder(template, keyed.suffix))
                self.emit(1, f"_gv = None if _gs is None else {kg}.values_for({encode})")
            self.emit(1, "_n = 0")
        self.emit(1, "for _v in _values:")
        cols = self.source(source, rest_from(0))
        depth = 2
        done: list[str] = []
        for i, (op, _slot) in enumerate(ops):
            step = self.step(op, closures[i], cols, depth, rest_from(i + 1))
            if step is None:
                row = self.row(cols)
                self.emit(depth, f"_out += {self.const('rest', rest_from(i))}({row})")
                break
            cols, depth = step
            done.append(op.op_id)
        else:
            if isinstance(keyed, AggTail) and self.folds(keyed, cols):
                self.agg_output(keyed, cols, depth, tail)
            elif isinstance(keyed, DistinctTail):
                self.distinct_output(keyed, cols, depth)
            elif isinstance(keyed, StoreLine) and len(cols) == len(keyed.types):
                self.store_output(keyed, cols, depth, tail)
            elif isinstance(keyed, KeyedTail):
                self.keyed_output(keyed, cols, depth)
            elif isinstance(keyed, PackedRows):
                pack = self.const("pack", keyed.pack)
                self.emit(depth, f"_out.append((None, {pack}({self.row(cols)})))")
            else:
                self.emit(depth, f"_out += {self.const('tail', tail)}({self.row(cols)})")
        if isinstance(keyed, AggTail):
            self.emit(1, f"{self.const('judge', keyed.judge)}(_seen)")
        if grouped:
            self.emit(1, f"{kg}.inline += _n")
        self.emit(1, "return _out")
        self.drop_unused_conversions()
        if getattr(self, "shared", None) is None:  # not a branch of a split tree's loop
            self.lines = self.with_small_ints(self.lines)
        return Pipeline(name, "\n".join(self.lines) + "\n", self.ns, tuple(done))

    def pass_through(self, name: str, tf: TextFields, carried: TextPassThrough) -> Pipeline:
        """`TextPassThrough`'s records: each input line's carried fields copied as text."""
        line = carried.line
        self.ns.update(_LINE_NAMES, _fmt=line.fmt)
        self.emit(0, f"def {name}(_keys, _values):")
        self.emit(1, "_out = []")
        self.emit(1, "for _v in _values:")
        fields = list(enumerate(zip(tf.fields, tf.types, tf.carried)))
        n, keyed = len(fields), sorted(carried.key_columns)
        memo = [
            i
            for i in range(n)
            if i not in keyed and (tf.types[i] == "map" or is_map_bag_test(tf.carried[i]))
        ]
        whole = _whole_line(tf, line, keyed, memo)
        if whole is not None:  # every field stored as read: the line is the stored line
            self.emit(2, f"if {self.line_match(tf, line, keyed, memo, whole)}:")
            key = self.memo_key(carried, whole, fields)
            if key is None:
                groups = whole.groupindex
                values = {i: self.matched_value(groups[f"k{i}"], fields[i][1]) for i in keyed}
                key = self.order_key(carried, [values.get(i, "None") for i in range(n)])
            self.emit(3, f"_out.append(({key}, _v))")
            self.emit(3, "continue")
        self.split_line(tf)
        values = {i: self.key_value(*fields[i][1]) for i in keyed}
        key = self.order_key(carried, [values.get(i, "None") for i in range(n)])
        texts = [
            self.carried_field(column, cast, type_name, ok, line.types[i], values.get(i))
            for i, ((column, cast), type_name, ok) in fields
        ]
        joined = f" + {self.literal(line.sep)} + ".join(texts)
        self.emit(2, f"_out.append(({key}, {joined}))")
        self.emit(1, "return _out")
        self.lines = self.with_small_ints(self.lines)
        return Pipeline(name, "\n".join(self.lines) + "\n", self.ns, ())

    def line_match(self, tf, line, keyed, memo, whole) -> str:
        """The test that binds ``_m`` to the line's `whole` match and proves it: with `memo`
        fields, each proven by its memo (`MemoProofs`)."""
        if not memo:
            return f"(_m := {self.const('line', whole.fullmatch)}(_v)) is not None"
        proofs = MemoProofs(lambda inline: _whole_line(tf, line, keyed, memo, inline))
        test = f"(_m := {self.const('line', proofs.line)}[0](_v)) is not None"
        for i in memo:
            field = field_proof(tf.types, tf.carried, tf.delimiter, i)
            group = whole.groupindex[f"t{i}"]
            if not is_map_bag_test(tf.carried[i]):
                proven, prove = proofs.prover(i, field.fullmatch)
                test += (
                    f" and (not (_tt := _m[{group}]) or _tt in {self.const('proven', proven)}"
                    f" or {self.const('prove', prove)}(_tt))"
                )
                continue
            bodies, prove = proofs.bag_prover(i, field.fullmatch)
            # the group's text is `{}` or has both ends (`carriedline.line_pattern`): its
            # `textcomplex.map_bag_bodies`, each looked up in `bodies`
            a, z = len(MAP_BAG_OPEN), len(MAP_BAG_CLOSE)
            known = f"_tt[{a}:-{z}].split({MAP_BAG_SEP!r})"
            test += (
                f" and (not (_tt := _m[{group}]) or _tt == '{{}}'"
                f" or {self.const('bodies', bodies)}.issuperset({known})"
                f" or {self.const('prove', prove)}(_tt))"
            )
        return test

    def order_key(self, carried: TextPassThrough, keys: list[str]) -> str:
        """The expression of a row's sort key bytes (`keys`: a local per key column)."""
        if carried.plain_key is None:
            return f"{self.const('key', carried.key)}({self.row(keys)})"
        self.ns.update(_KEY_NAMES, _complement=data.COMPLEMENT)
        parts = []
        for column, desc in carried.plain_key:
            part = _KEY_TEMPLATES.get(carried.line.types[column], "_sb({x})").format(x=keys[column])
            parts.append(f"{part}.translate(_complement)" if desc else part)
        return " + ".join(parts)

    def memo_key(self, carried: TextPassThrough, whole: re.Pattern, fields: list) -> str | None:
        """The key bytes of a plain key of text (chararray) and proven number columns, each
        column's bytes (complemented if DESC) looked up by its text in a dict of the first
        `_MEMO` texts seen (an ORDER column such as a category, a count or a term repeats;
        the text is its value's only source, so its bytes are a function of it); None for
        another key (a cast that may warn must run for every row)."""
        if carried.plain_key is None:
            return None
        plan = []
        for column, desc in carried.plain_key:
            (_, cast), type_name, ok = fields[column][1]
            dtype = carried.line.types[column]
            if not (ok is True and cast is None or ok is False) or dtype not in _KEY_TEMPLATES:
                return None
            plan.append((whole.groupindex[f"k{column}"], type_name, ok, dtype, desc))
        self.ns.update(_KEY_NAMES, _complement=data.COMPLEMENT)
        parts = []
        for group, type_name, ok, dtype, desc in plan:
            b, c, memo = self.fresh("b"), self.fresh("c"), self.const("memo", {})
            if ok is True:
                value = "_x or None"
            else:
                value = f"{'float' if type_name == 'double' else 'int'}(_x) if _x else None"
            part = _KEY_TEMPLATES[dtype].format(x=c)
            self.emit(3, f"if ({b} := {memo}.get(_x := _m[{group}])) is None:")
            self.emit(4, f"{c} = {value}")
            self.emit(4, f"{b} = {part}.translate(_complement)" if desc else f"{b} = {part}")
            self.emit(4, f"if len({memo}) < {_MEMO}:")
            self.emit(5, f"{memo}[_x] = {b}")
            parts.append(b)
        return " + ".join(parts)

    def matched_value(self, group: int, field: tuple) -> str:
        """A local holding the value of a sort key column from its text in group `group` of
        ``_m``, a `carriedline.line_pattern` match: plain digits for an int/long, a plain
        decimal for a double (their casters' value is then ``int``'s, ``float``'s)."""
        (_, cast), type_name, ok = field
        c, x = self.fresh("c"), f"(_x := _m[{group}])"
        if ok is True and cast is None:
            value = f"_m[{group}] or None"
        elif ok is True:
            value = f"{self.const('cast', cast)}(_x) if {x} else None"
        else:
            value = f"{'float' if type_name == 'double' else 'int'}(_x) if {x} else None"
        self.emit(3, f"{c} = {value}")
        return c

    def key_value(self, column_cast, type_name, ok) -> str:
        """A local holding the value of field `column`, a sort key column."""
        column, cast = column_cast
        if ok is True:
            return self.text_key(column, cast)
        c = self.fresh("c")
        self.text_cast(c, column, self.const("cast", cast), type_name)
        return c

    def carried_field(self, column, cast, type_name, ok, dtype, value) -> str:
        """The stored text of field `column`: its own text when `ok` (`TextFields.carried`)
        says it is exactly the stored text (for an int/long: ASCII digits, no leading zero,
        in range), else its value (`value`, a local, for a key column) formatted."""
        if ok is True:  # a chararray or bytearray: the text, always
            return f"_f[{column}]"
        out = self.fresh("o")
        if value is not None:
            self.emit(2, f"{out} = {_FIELD_TEMPLATES[dtype].format(x=value)}")
            return out
        c = self.fresh("c")
        fmt = _FIELD_TEMPLATES[dtype].format(x=c)
        digits = {"int": 10, "long": 19}.get(type_name)
        pattern = number_pattern(type_name) if type_name == "double" else None
        if ok is False and digits is None and pattern is None:
            self.text_cast(c, column, self.const("cast", cast), type_name)
            self.emit(2, f"{out} = {fmt}")
            return out
        if pattern is not None:  # a double whose text its pattern proves is the stored text
            proof = self.const("ok", _compiled(pattern))
            self.emit(2, f"if not (_x := _f[{column}]) or {proof}(_x):")
        elif ok is False:  # an int or long, canonical when str(int(text)) is the text
            test = f"_x.isdigit() and _x.isascii() and len(_x) < {digits} and "
            test += "(_x[0] != '0' or len(_x) == 1)"
            self.emit(2, f"if (_x := _f[{column}]) and {test}:")
        else:  # a complex field with a test of its text
            self.emit(2, f"if not (_x := _f[{column}]) or {self.const('ok', ok)}(_x):")
        self.emit(3, f"{out} = _x")
        self.emit(2, "else:")
        self.emit(3, f"{c} = {self.const('cast', cast)}(_x) if _x else None")
        self.emit(3, f"{out} = {fmt}")
        return out

    def text_key(self, column: int, cast: Callable[[str], Any] | None) -> str:
        """A local holding field `column`'s value (null when empty)."""
        c = self.fresh("c")
        if cast is None:
            self.emit(2, f"{c} = _f[{column}] or None")
        else:
            self.emit(2, f"{c} = {self.const('cast', cast)}(_x) if (_x := _f[{column}]) else None")
        return c

    def keyed_output(self, keyed: KeyedTail, cols: list[str], depth: int) -> None:
        """Append the (key bytes, (tag, packed row or part)) record of a GROUP/JOIN input,
        or, with `KeyedTail.groups`, add its row to its key's list there."""
        key, null = self.join_key(keyed.keys, cols, depth)
        if keyed.whole_null:
            null = f"{key} is None" if len(keyed.keys) == 1 else None
        template = _KEY_TEMPLATES.get(keyed.keys[0].type) if len(keyed.keys) == 1 else None
        if template is not None:  # one key of a known type: its sort bytes inline
            self.ns.update(_KEY_NAMES)
            key_bytes = template.format(x=key)
        else:
            key_bytes = f"{self.const('key', keyed.encode)}({key})"
        if keyed.fragment is not None:
            part = self.fragment(keyed.fragment, cols, depth)
        else:
            part = f"{self.const('pack', keyed.pack)}({self.row(cols)})"
        if keyed.groups is not None:
            part = self.bind(part, depth, "_p")
        value = f"({keyed.tag}, {part})"
        if keyed.null_key is not None and null is not None:
            self.emit(depth, f"if {null}:")
            if keyed.keep_nulls:
                self.emit(depth + 1, f"_out.append(({keyed.null_key!r}, {value}))")
            self.emit(depth + 1, "continue")
        suffix = f" + {keyed.suffix!r}" if keyed.suffix else ""
        if keyed.groups is None:
            self.emit(depth, f"_out.append(({key_bytes}{suffix}, {value}))")
            return
        plain = _by_value(keyed)
        if plain is not None:  # held by the key's value, encoded once per key at the flush
            self.emit(depth, f"if _gs is not None and type({key}) is {plain}:")
            self.held_row(depth + 1, "_gv", key, keyed.tag, part)
            self.emit(depth + 1, "continue")
        kb = self.bind(f"{key_bytes}{suffix}", depth, "_kb")
        self.emit(depth, "if _gs is None:  # the groups pass records through")
        self.emit(depth + 1, f"_out.append(({kb}, {value}))")
        self.emit(depth + 1, "continue")
        self.held_row(depth, "_gs", kb, keyed.tag, part)

    def held_row(self, depth: int, groups: str, key: str, tag: int, part: str) -> None:
        """Add a row (`part`) to its key's list in dict `groups`, and count it."""
        self.emit(depth, f"if (_h := {groups}.get({key})) is None:")
        self.emit(depth + 1, f"{groups}[{key}] = [{tag}, {part}]")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"_h.append({part})")
        self.emit(depth, "_n += 1")

    def fragment(self, frag: SideFragment, cols: list[str], depth: int) -> str:
        """A hash join side's part of the output record (`joinfragments.SideFragment`): its
        kept columns' msgpack values, or their PigStorage texts joined, where an input
        field's own text is copied when `carriedline.number_pattern` (or the field's carried
        test) proves it is the text stored for its value."""
        values = [cols[c] if c < len(cols) else "None" for c in frag.columns]
        if frag.sep is None:
            pack = self.const("pack", frag.pack)
            if len(values) == 1:
                return f"{pack}({values[0]})"
            return f"{pack}({self.row(values)})[{frag.skip}:]" if values else "b''"
        self.ns.update(_LINE_NAMES)
        texts, plain, risky = [], [], False
        for v, dtype in zip(values, frag.types, strict=True):
            text = self.field_text(v, dtype, depth) if v in self.field_texts else None
            plain.append(v if text is None else text)  # a copied text formats as itself
            if text is None:
                risky = True
                text = _FIELD_TEMPLATES.get(dtype, _OTHER).format(x=v)
            texts.append(text)
        joined = f" + {self.literal(frag.sep)} + ".join(texts) or "''"
        if frag.end:
            joined += f" + {self.literal(frag.end)}"
        p = self.fresh("_p")
        if not risky:
            self.emit(depth, f"{p} = {joined}")
            return p
        self.emit(depth, "try:")
        self.emit(depth + 1, f"{p} = {joined}")
        self.emit(depth, "except _NotText:  # a field written as raw bytes")
        self.emit(depth + 1, f"{p} = {self.const('part', frag.of_values)}({self.row(plain)})")
        return p

    def field_text(self, v: str, dtype: DataType, depth: int) -> str | None:
        """A local (or `_f` item) holding the stored text of input field local `v`: the
        field's own text when it is provably the text stored for the value read from it,
        else the value formatted (converted here, or `v` itself when other code reads `v`
        anyway, so a bad field warns once). None for a field copied as nothing proves."""
        column, type_name, ok, cast = self.field_texts[v]
        if type_name != dtype.value:
            return None
        if ok is True:
            return f"_f[{column}]" if type_name == "chararray" else None
        if ok is False:
            pattern = number_pattern(type_name)
            if pattern is None:
                return None
            ok = re.compile(pattern).fullmatch
        if cast is None:
            return None
        out = self.fresh("o")
        self.emit(depth, f"if not (_x := _f[{column}]) or {self.const('ok', ok)}(_x):")
        self.emit(depth + 1, f"{out} = _x")
        self.emit(depth, "else:")
        if self.reads(v):
            value = v
        else:
            value = self.fresh("c")
            self.emit(depth + 1, f"{value} = {self.const('cast', cast)}(_x)")
        self.emit(depth + 1, f"{out} = {_FIELD_TEMPLATES[dtype].format(x=value)}")
        return out

    def proven_text(self, v: str, dtype: DataType, depth: int) -> str | None:
        """For a double input field local `v` stored as a double: a local holding its stored
        text, the field's own text when `carriedline.number_pattern` proves it is the text
        stored for its value (formatting a double costs several times that test), else `v`
        formatted. `v` keeps its own conversion (the fallbacks read it), so a bad field
        warns as before. None for any other local or type."""
        found = self.field_texts.get(v)
        if found is None or dtype is not DataType.DOUBLE or found[1] != "double":
            return None
        column, _, ok, cast = found
        pattern = number_pattern("double")
        if ok is not False or cast is None or pattern is None:
            return None
        out = self.fresh("o")
        proof = self.const("ok", _compiled(pattern))
        self.emit(depth, f"if not (_x := _f[{column}]) or {proof}(_x):")
        self.emit(depth + 1, f"{out} = _x")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{out} = {_FIELD_TEMPLATES[dtype].format(x=v)}")
        return out

    def reads(self, name: str) -> bool:
        """Whether any line emitted so far, but its own conversion, reads local `name`."""
        used = re.compile(rf"\b{name}\b")
        spans = [(start, end) for c, start, end in self.conversions if c == name]
        skip = set(range(*spans[0])) if spans else set()
        return any(used.search(line) for i, line in enumerate(self.lines) if i not in skip)

    def store_output(self, line: StoreLine, cols: list[str], depth: int, tail: RecordFn) -> None:
        """Append a map-only job's stored line (`text_line_tail`'s conversions inline); a
        field written as raw bytes sends the row to the closure tail."""
        joined = self.line_text(line, cols, depth)
        self.emit(depth, "try:")
        self.emit(depth + 1, f"_out.append((None, {joined}))")
        self.emit(depth, "except _NotText:")
        self.emit(depth + 1, f"_out += {self.const('tail', tail)}({self.row(cols)})")

    def line_text(self, line: StoreLine, cols: list[str], depth: int) -> str:
        """The expression of `line`'s stored text of the locals `cols` (`text_line_tail`'s
        conversions inline, proven fields as they are); raises _NotText for a raw-bytes field."""
        self.ns.update(_LINE_NAMES)
        texts = [self.proven_text(v, dtype, depth) for v, dtype in zip(cols, line.types)]
        names = [v if text is None else text for v, text in zip(cols, texts)]
        return line_expression(line.types, names, line.sep, {n for n in texts if n})

    def distinct_output(self, tail: DistinctTail, cols: list[str], depth: int) -> None:
        """Append a DISTINCT input's row unless this task wrote it already (`DistinctTail`)."""
        d = depth
        rows, seen = self.const("rows", tail.rows), self.const("seen", tail.seen)
        plain = self.const("plain", PLAIN_ROW_TYPES)
        row = self.bind(self.row(cols), d, "r")
        # a row equal to one remembered is the same row for Pig only if it is plain too:
        # (False,) equals (0,) in Python; a row of texts (str or None) always is
        texts = all(self.text_only(c) for c in cols)
        is_plain = f"{plain}.issuperset(map(type, {row}))"
        if texts:
            self.emit(d, f"if {row} in {rows}:")
            self.emit(d + 1, "continue")
        else:  # a value no set can hold (a UDF's list typed bytearray) is never remembered
            self.emit(d, "try:")
            self.emit(d + 1, f"if {row} in {rows} and {is_plain}:")
            self.emit(d + 2, "continue")
            self.emit(d, "except TypeError:")
            self.emit(d + 1, "pass")
        kb = self.bind(f"{self.const('encode', tail.encode)}({row})", d, "kb")
        self.emit(d, f"if {kb} in {seen}:")
        self.emit(d + 1, "continue")
        self.emit(d, f"if len({seen}) < {tail.limit}:")
        self.emit(d + 1, f"{seen}.add({kb})")
        if texts:
            self.emit(d + 1, f"{rows}.add({row})")
        else:
            self.emit(d + 1, f"if {is_plain}:")
            self.emit(d + 2, f"{rows}.add({row})")
        pack = self.const("pack", tail.pack)
        line = tail.line
        if line is None or len(cols) != len(line.types):
            self.emit(d, f"_out.append(({kb}, {pack}({row})))")
            return
        joined = self.line_text(line, cols, d)
        self.emit(d, "try:")
        self.emit(d + 1, f"_out.append(({kb}, {joined}))")
        self.emit(d, "except _NotText:")
        self.emit(d + 1, f"_out.append(({kb}, {pack}({row})))")

    def text_only(self, name: str) -> bool:
        """Whether local `name` only ever holds a str or None: assigned once, a field of the
        line's text or None (a chararray field, or a bytearray field cast to chararray)."""
        assigned = re.compile(rf"\s*{name} = |.*\b{name} :=")
        assigns = [line for line in self.lines if assigned.match(line)]
        text = re.compile(rf"\s*{name} = (?:_f\[\d+\] or None|\(_f\[\d+\] or None\))")
        return len(assigns) == 1 and text.fullmatch(assigns[0]) is not None

    def agg_output(self, agg: AggTail, cols: list[str], depth: int, tail: RecordFn) -> None:
        """Fold the row into its key's partial slots (`AggTail`); a new key gets its slots
        from the row alone, after a flush when the table is full; with the folding off, the
        row's own record. The updates of one row are one tuple assignment, so a TypeError
        leaves the slots as they were and the row goes to the closure tail."""
        encoded = None
        if agg.keys:
            parts = [self.bind(self.expr(e, cols), depth, "k") for e in agg.keys]
            key = self.bind(self.row(parts) if len(parts) > 1 else parts[0], depth, "k")
            if agg.inline_keys:
                encoded = self.row_key_bytes([e.type for e in agg.keys], parts, agg.memos)
        else:
            key = "'all'"
        inits: list[str] = []
        updates: list[str] = []
        partials: list[str] = []
        doubles: dict[int, str] = {}
        self.ns["_cs"] = math.copysign  # MIN/MAX of doubles: -0.0 below 0.0 (`_agg_slots`)
        self.ns["_u16lt"], self.ns["_asc"] = utf16_less, str.isascii  # MIN/MAX of chararrays
        for a in agg.aggs:
            value = self.agg_value(a, cols, depth, doubles)
            slots = _agg_slots(a.func, value, len(inits), a.text)
            inits += [init for init, _ in slots]
            updates += [update for _, update in slots]
            if a.func == "Distinct":  # Distinct's Initial of one row: a bag of that row
                partials.append(f"((({value}, ), ), )")
            else:
                partials.append("(" + "".join(init + ", " for init, _ in slots) + ")")
        acc, flush = self.const("acc", agg.table), self.const("flush", agg.flush)
        fallback = f"_out += {self.const('tail', tail)}({self.lazy_row(cols)})"
        d = depth
        self.emit(d, "_seen += 1")
        passing = f"{self.const('passing', agg.passing)}[0]"
        if len(agg.keys) > 1:  # a -0.0 in a key tuple: a key of its own (`_TUPLE_KEY_TEMPLATES`)
            # that the table, a dict, would merge with 0.0's: its row leaves as it comes
            zeros = [
                f"{x} == 0.0 and _cs(1.0, {x}) < 0.0"
                for e, x in zip(agg.keys, parts)
                if e.type in (DataType.DOUBLE, DataType.FLOAT)
            ]
            passing = " or ".join([passing, *(f"({z})" for z in zeros)])
        self.emit(d, f"if {passing}:")
        self.emit(d + 1, "try:")
        encoded = encoded or f"{self.const('encode', agg.encode)}({key})"
        record = f"({encoded}, {self.const('pack', agg.pack)}"
        record += f"(({key}, ({''.join(p + ', ' for p in partials)}))))"
        self.emit(d + 2, f"_out.append({record})")
        self.emit(d + 1, "except TypeError:")
        self.emit(d + 2, fallback)
        self.emit(d + 1, "continue")
        self.emit(d, "try:")
        self.emit(d + 1, f"if (_a := {acc}.get({key})) is not None:")
        targets = ", ".join(f"_a[{i}]" for i in range(len(updates)))
        self.emit(d + 2, f"{targets} = {', '.join(updates)}")
        self.emit(d + 2, "_n = None")
        self.emit(d + 1, "else:")
        self.emit(d + 2, f"_n = [{', '.join(inits)}]")
        self.emit(d, "except TypeError:")
        self.emit(d + 1, fallback)
        self.emit(d + 1, "_n = None")
        self.emit(d, "if _n is not None:")
        self.emit(d + 1, f"if len({acc}) >= {agg.limit}:")
        self.emit(d + 2, f"_out += {flush}()")
        self.emit(d + 1, f"{acc}[{key}] = _n")

    def row_key_bytes(
        self, types: Sequence[DataType], names: Sequence[str], memos: Sequence[dict] = ()
    ) -> str | None:
        """The expression of `row_encoder(types, memos)` of the tuple of the locals `names`,
        each field's bytes inline (the encoder's own templates and memos); None for one field
        or a type without a template."""
        if len(names) < 2 or any(t not in _KEY_TEMPLATES for t in types):
            return None
        self.ns.update(_KEY_NAMES)
        header = _ROW_HEADER + len(names).to_bytes(4, "big")
        names_of = [self.const("memo", m) for m in memos] or [None] * len(names)
        fields = [_key_field(t, x, m) for t, x, m in zip(types, names, names_of)]
        general = f"{header!r} + " + " + ".join(fields)
        fast = self.fast_row_key(header, types, names)
        return general if fast is None else f"({fast[1]} if {fast[0]} else {general})"

    def fast_row_key(
        self, header: bytes, types: Sequence[DataType], names: Sequence[str]
    ) -> tuple[str, str] | None:
        """(the test, the expression) of a row key's sort bytes made a run of columns at a
        time, for rows whose every field has its column's Python type (chararray: a str
        without NUL; int/long: an int, double: a float, each >= 0 and below 2**63): each run
        of chararrays is ONE str of their records (tag, text, terminator) encoded once, each
        run of numbers ONE struct call (`data.pack_number_key`'s record, repeated). The
        bytes are `sort_bytes`' (a test compares them); any other row: None's general form.
        None when a column's type has no such form or fewer than two columns run together."""
        runs: list[tuple[bool, list[tuple[DataType, str]]]] = []
        for t, x in zip(types, names):
            if t not in _FAST_KEY_TESTS:
                return None
            text = t is DataType.CHARARRAY
            if runs and runs[-1][0] == text:
                runs[-1][1].append((t, x))
            else:
                runs.append((text, [(t, x)]))
        if len(runs) == len(names):  # nothing to save over the per-field templates
            return None
        tests = [_FAST_KEY_TESTS[t].format(x=x) for t, x in zip(types, names)]
        pieces = []
        for i, (text, run) in enumerate(runs):
            if text:
                t = self.fresh("_kt")
                lead = header.decode("latin-1") if i == 0 else ""
                joins = [lead + "\x06"] + ["\x00\x00\x06"] * (len(run) - 1) + ["\x00\x00"]
                body = " + ".join(f"{j!r} + {x}" for j, (_, x) in zip(joins, run))
                nuls = "".join(joins).count("\x00")
                tests.append(f"({t} := {body} + {joins[-1]!r}).count('\\x00') == {nuls}")
                pieces.append(f"{t}.encode('utf-8', 'surrogatepass')")
                continue
            if i == 0:
                pieces.append(repr(header))
            fmt = ">" + "BdBQ" * len(run)
            pack = self.const("np", _packer(fmt))
            args = ", ".join(_FAST_NUMBER_ARGS[t].format(x=x) for t, x in run)
            pieces.append(f"{pack}({args})")
        return " and ".join(tests), " + ".join(pieces)

    def agg_value(self, a: AggInput, cols: list[str], depth: int, doubles: dict) -> str:
        """A local holding what aggregate `a` folds for this row: its column's value (None
        when a nested FILTER drops the row); for COUNT_STAR, 1 or 0. A bytearray field of
        the line is read from its text: as a double (`AggInput.as_double`; `doubles` holds
        the local of each field converted so far), or for a COUNT only whether it is empty,
        so its bytes are made only if other code reads them."""
        keep = " and ".join(f"({self.expr(c, cols)}) is True" for c in a.filters)
        if a.column is None:
            return self.bind(f"(1 if {keep} else 0)" if keep else "1", depth, "v")
        value = cols[a.column]
        column = self.bytearray_field(value)
        if a.as_double and column in doubles:  # the same field's double, made once
            value = doubles[column]
        elif a.as_double:
            value = doubles[column] = self.fresh("d")
            self.text_double(value, f"_f[{column}]", depth)
        elif column is not None and a.func == "COUNT":
            value = f"(_f[{column}] or None)"
        return self.bind(f"({value} if {keep} else None)" if keep else value, depth, "v")

    def folds(self, agg: AggTail, cols: list[str]) -> bool:
        """Whether `agg_output` can fold these columns: each aggregate's column is one of
        them, and one read as a double (`AggInput.as_double`) is a bytearray field of the
        line, whose values are bytes or null (any other value of a bytearray column, a
        map's, folds as the builtins fold it: through the closure tail)."""
        for a in agg.aggs:
            if a.column is None:
                continue
            if a.column >= len(cols):
                return False
            if a.as_double and self.bytearray_field(cols[a.column]) is None:
                return False
        return True

    def bytearray_field(self, name: str) -> int | None:
        """The field (of ``_f``) whose bytes local `name` holds, when it is a bytearray field
        of the input line (`text_fields`); else None."""
        found = self.field_texts.get(name)
        if found is None or found[1] != "bytearray":
            return None
        return found[0]

    def lazy_row(self, cols: list[str]) -> str:
        """`row(cols)` for code that runs for few rows (a fallback): each bytearray field
        of the line made from its text right there (``str.encode``, the loader's caster, and
        null when empty), and each other input field marked `_LAZY` for
        `drop_unused_conversions`, so a field only fallbacks read is converted only there."""
        parts = []
        for c in cols:
            column = self.bytearray_field(c)
            if column is not None:
                parts.append(f"(_f[{column}].encode() or None)")
            elif c in self.lazy_fields:
                parts.append(_LAZY.format(c))
            else:
                parts.append(c)
        return self.row(parts)

    def text_double(self, d: str, text: str, depth: int) -> None:
        """`d` = `data.to_double` of the bytes of the str `text` (null when empty), as the
        builtins convert a bytearray: ``float`` itself for ASCII text it reads as a finite
        number without '_' (what `to_double`'s own first test accepts), else the call."""
        slow = self.const("double", _text_double)
        self.emit(depth, f"if _x := {text}:")
        self.emit(depth + 1, "try:")
        self.emit(depth + 2, f"{d} = float(_x)")
        self.emit(depth + 1, "except ValueError:")
        self.emit(depth + 2, f"{d} = {slow}(_x)")
        self.emit(depth + 1, "else:")
        self.emit(depth + 2, f"if {d} - {d} != 0 or '_' in _x or not _x.isascii():")
        self.emit(depth + 3, f"{d} = {slow}(_x)")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{d} = None")

    def source(self, src: RecordSource, whole: RecordFn) -> list[str]:
        if src.one_field:
            return ["_v"]
        if src.text is not None:
            return self.text_fields(src.text, src.presplit)
        cols = [self.fresh("c") for _ in range(src.width)]
        if src.rows:
            self.misfit(2, "_v", src.width, whole, "_v")
            self.unpack(2, cols, "_v")
            return cols
        parse = self.const("parse", src.parse)
        self.emit(2, f"_t = {parse}(_v)")
        self.misfit(2, "_t", src.width, whole, "_t")
        self.unpack(2, cols, "_t")
        return cols

    def text_fields(self, tf: TextFields, presplit: bool = False) -> list[str]:
        """The fields' columns of a line (`presplit`: of a list of its fields, shared with
        other pipelines, so padded into a new list)."""
        if presplit:
            pad = self.const("pad", [""] * tf.width)
            self.emit(2, "_f = _v")
            self.emit(2, f"if len(_f) < {tf.width}:")
            self.emit(3, f"_f = _f + {pad}[len(_f):]")
        else:
            self.split_line(tf)
        cols = []
        types = tf.types if len(tf.types) == len(tf.fields) else (None,) * len(tf.fields)
        for (column, cast), type_name in zip(tf.fields, types):
            c = self.fresh("c")
            start = len(self.lines)
            if cast is None:
                self.emit(2, f"{c} = _f[{column}] or None")
                self.lazy_fields[c] = f"(_f[{column}] or None)"
            else:
                fn = self.const("cast", cast)
                self.text_cast(c, column, fn, type_name)
                self.lazy_fields[c] = f"({fn}(_x) if (_x := _f[{column}]) else None)"
            self.conversions.append((c, start, len(self.lines)))
            if len(tf.carried) == len(tf.fields) and type_name is not None:
                self.field_texts[c] = (column, type_name, tf.carried[len(cols)], cast)
            cols.append(c)
        return cols

    def drop_unused_conversions(self) -> None:
        """Remove the conversion of every input field whose column the rest of the code never
        reads (a column another branch of the same LOAD needs): as Pig's column pruning, a
        field nothing uses is not converted, and does not warn."""
        late: dict[str, str] = {}
        for name, start, end in reversed(self.conversions):
            used = re.compile(rf"\b{name}\b")
            rest = self.lines[:start] + self.lines[end:]
            if any(used.search(_LAZY_MARK.sub("", line)) for line in rest):
                continue
            marker = _LAZY.format(name)
            if any(marker in line for line in rest) and name in self.lazy_fields:
                # read by fallbacks only: converted there, once per row (the local holds a
                # sentinel until then), with the warnings its conversion gives
                first = self.lines[start]
                indent = first[: len(first) - len(first.lstrip())]
                self.lines[start:end] = [f"{indent}{name} = _lazy"]
                self.ns["_lazy"] = _UNCONVERTED
                conversion = self.lazy_fields[name]
                late[marker] = f"({name} if {name} is not _lazy else ({name} := {conversion}))"
            else:
                del self.lines[start:end]
        self.lines = [_LAZY_MARK.sub(lambda m: late.get(m[0], m[1]), line) for line in self.lines]
        self.conversions = []

    def split_line(self, tf: TextFields) -> None:
        """``_f``: the line's fields up to the last one `tf` reads (the split stops there:
        the rest of a wide line is never cut up), padded with empty fields to that width."""
        width = max((column for column, _ in tf.fields), default=-1) + 1
        self.emit(2, f"_f = _v.split({self.literal(tf.delimiter)}, {width})")
        self.emit(2, f"if len(_f) < {width}:")
        self.emit(3, f"_f += {self.const('pad', [''] * width)}[len(_f):]")

    def text_cast(self, c: str, column: int, fn: str, type_name: str | None) -> None:
        """`c` = field `column` converted by `fn` (the loader's exact caster), or inline for
        text whose value is plain: ASCII digits of an int/long short enough to be in range;
        for a double, what `float` reads that is ASCII, finite and has no '_' (exactly when
        the caster returns ``float(text)`` itself). Anything else, `fn` decides."""
        digits = {"int": 10, "long": 19}.get(type_name or "")
        if digits is not None:
            d, misses = self.small_ints()
            self.emit(
                2,
                f"{c} = _y if {d} is not None and (_y := {d}.get(_x := _f[{column}])) is not None "
                f"else (({misses} := {misses} + 1) and (int(_x) if (_x := _f[{column}]).isdigit() "
                f"and _x.isascii() and len(_x) < {digits} else ({fn}(_x) if _x else None)))",
            )
            return
        if type_name == "float":  # `_TEXT_CASTS`' plain decimal, in single precision
            self.ns.update(_F32_NAMES)
            cast = _TEXT_CASTS[DataType.FLOAT].format(t="_x", f=f"_f[{column}]", fn=fn)
            self.emit(2, f"{c} = {cast.replace('_x.encode()', '_x')}")
            return
        if type_name != "double":
            self.emit(2, f"{c} = {fn}(_x) if (_x := _f[{column}]) else None")
            return
        self.emit(2, f"if _x := _f[{column}]:")
        self.emit(3, "try:")
        self.emit(4, f"{c} = float(_x)")
        self.emit(3, "except ValueError:")
        self.emit(4, f"{c} = {fn}(_x)")
        self.emit(3, "else:")
        self.emit(4, f"if {c} - {c} != 0 or '_' in _x or not _x.isascii():")
        self.emit(5, f"{c} = {fn}(_x)")
        self.emit(2, "else:")
        self.emit(3, f"{c} = None")

    def small_ints(self) -> tuple[str, str]:
        """(the local holding `_SMALL_INTS` or None, its miss counter) for one int or long
        field of the input line. A field's text that is a key there (the plain digits of 0 to
        999) is its value by one dict lookup, before the digit tests and ``int``: most of an
        int column's conversions when its values are small (counts, codes, PigMix's action and
        timespent). A batch whose lookups missed for more than half its rows turns the table
        off for that field for the rest of the task (``_on[0]``; large ids, timestamps), so a
        field of large values costs one test of a local per row, not a miss per row."""
        n = self.fresh("")
        d, misses, on = f"_d{n}", f"_mz{n}", self.const("on", [True])
        self.ns.update(_SMALL_INTS=_SMALL_INTS, _sized=_sized)
        self.small_fields.append(
            (
                [f"{d} = _SMALL_INTS if {on}[0] else None", f"{misses} = 0"],
                [f"if {d} is not None and {misses} * 2 > _sized(_values):", f"    {on}[0] = False"],
            )
        )
        return d, misses

    def with_small_ints(self, lines: list[str]) -> list[str]:
        """`lines` (a whole function) with `small_ints`' set-up before its loop over
        ``_values`` and its judgement after it."""
        if not self.small_fields:
            return lines
        loop = lines.index("    for _v in _values:")
        end = len(lines) - 1
        if not lines[end].startswith("    return "):
            raise ValueError(f"a generated function of another shape: {lines[end]!r}")
        before = ["    " + line for setup, _ in self.small_fields for line in setup]
        after = ["    " + line for _, judge in self.small_fields for line in judge]
        self.small_fields = []
        return lines[:loop] + before + lines[loop:end] + after + lines[end:]

    def misfit(self, depth: int, value: str, width: int, slow: RecordFn, row: str) -> None:
        """Rows of another width than the plan's take the closures from here."""
        self.emit(depth, f"if len({value}) != {width}:")
        self.emit(depth + 1, f"_out += {self.const('slow', slow)}({row})")
        self.emit(depth + 1, "continue")

    def unpack(self, depth: int, cols: list[str], value: str) -> None:
        if len(cols) == 1:
            self.emit(depth, f"{cols[0]} = {value}[0]")
        elif cols:
            self.emit(depth, f"{', '.join(cols)} = {value}")

    @staticmethod
    def row(cols: Sequence[str]) -> str:
        return "(" + "".join(c + ", " for c in cols) + ")"

    # -- operators --------------------------------------------------------------------------
    def step(self, op, closure, cols, depth, rest) -> tuple[list[str], int] | None:
        if closure is None:  # the identity (SPLIT, plain UNION)
            return cols, depth
        if isinstance(op, L.LOFilter) and op.cond is not None:
            cond = self.expr(op.cond, cols)
            self.emit(depth, f"if ({cond}) is not True:")
            self.emit(depth + 1, "continue")
            return cols, depth
        if isinstance(op, L.LOSplitOutput):
            if op.cond is not None:
                self.emit(depth, f"if ({self.expr(op.cond, cols)}) is not True:")
            else:
                # Pig's NOT (c1 OR c2 ...): the row stays only when every condition is false
                others = " or ".join(f"({self.expr(c, cols)}) is not False" for c in op.others)
                self.emit(depth, f"if {others or 'False'}:")
            self.emit(depth + 1, "continue")
            return cols, depth
        if isinstance(op, L.LOForEach) and not op.nested and op.generate:
            return self.foreach(op, cols, depth, rest)
        side = self.sides.get(op.op_id)
        if isinstance(op, L.LOCross) and isinstance(side, HeldInputs):
            return self.map_cross(side, cols, depth)
        if not isinstance(op, L.LOJoin) or not side or not side.pad:
            return None
        if isinstance(side, MergeRuns) and op.strategy == "merge" and len(op.inputs) == 2:
            return self.merge_join(op, side, cols, depth, rest)
        if isinstance(side, ReplicatedTable) and len(side.tables) == 1:
            return self.replicated_join(op, side, cols, depth, rest)
        return None

    def join_key(self, exprs, cols: list[str], depth: int) -> tuple[str, str]:
        """(the key, the test that it has a null) of GROUP/JOIN key expressions: one value,
        or the tuple of several; each computed once into a local."""
        keys = [self.bind(self.expr(e, cols), depth, "k") for e in exprs]
        if len(keys) > 1:
            return self.row(keys), " or ".join(f"{k} is None" for k in keys)
        key = keys[0]
        if exprs[0].type.is_atomic:
            return key, f"{key} is None"
        return key, f"{self.const('has_null', has_null)}({key})"  # a tuple with a null field

    def bind(self, value: str, depth: int, prefix: str) -> str:
        """`value` itself when it is a name, else a local assigned it."""
        if value.isidentifier() or value == "None":
            return value
        var = self.fresh(prefix)
        self.emit(depth, f"{var} = {value}")
        return var

    def replicated_join(self, op: L.LOJoin, side, cols, depth, rest) -> tuple[list[str], int]:
        """Look the key up in the side table; each matching side row (or, for a left outer
        join's unmatched row, nulls) continues the pipeline inside the loop."""
        key, null = self.join_key(op.keys[0], cols, depth)
        if not side.by_value:
            key = f"{self.const('key', key_encoder([e.type for e in op.keys[0]]))}({key})"
        table = self.const("table", side.tables[0])
        ms = self.fresh("_ms")
        self.emit(depth, f"{ms} = None if {null} else {table}.get({key})")
        return self.matched_rows(ms, side.pad, side.left_outer, cols, depth, rest)

    def map_cross(self, held: HeldInputs, cols, depth) -> tuple[list[str], int] | None:
        """A map-side CROSS (crossgrid.py): one loop over each held input's rows, their
        columns around the streamed row's in input order; None (the closures) when some
        held input's rows have no one width."""
        if None in held.widths:
            return None
        around = []
        for rows, width in zip(held.rows, held.widths, strict=True):
            m = self.fresh("_m")
            self.emit(depth, f"for {m} in {self.const('held', rows)}:")
            depth += 1
            inner = [self.fresh("c") for _ in range(width)]
            self.unpack(depth, inner, m)
            around.append(inner)
        before = [c for cs in around[: held.position] for c in cs]
        after = [c for cs in around[held.position :] for c in cs]
        return before + cols + after, depth

    def merge_join(self, op: L.LOJoin, side, cols, depth, rest) -> tuple[list[str], int]:
        """Ask the merge cursor for the key's run of right rows; each (or, for a left outer
        join's unmatched row, nulls) continues the pipeline inside the loop."""
        key, null = self.join_key(op.keys[0], cols, depth)
        ms = self.fresh("_ms")
        run = f"None if {null} else {self.const('run', side.run)}({key})"
        plain = _PLAIN_MERGE_KEYS.get(op.keys[0][0].type) if len(op.keys[0]) == 1 else None
        if plain is None:
            self.emit(depth, f"{ms} = {run}")
            return self.matched_rows(ms, side.pad, side.left_outer, cols, depth, rest)
        # a sorted input's rows of one key come together: the run of the last key asked is
        # kept (a key of `plain` type, equal only to keys of its type) and asked only anew
        last = self.const("last", [object(), None])
        self.emit(depth, f"if {key} == {last}[0]:")
        self.emit(depth + 1, f"{ms} = {last}[1]")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{ms} = {run}")
        self.emit(depth + 1, f"if type({key}) is {plain}:")
        self.emit(depth + 2, f"{last}[0], {last}[1] = {key}, {ms}")
        return self.matched_rows(ms, side.pad, side.left_outer, cols, depth, rest)

    def matched_rows(self, ms, pad, left_outer, cols, depth, rest) -> tuple[list[str], int]:
        """The loop over a map-side join's matched right rows `ms` (padded when none match
        and the join is left outer), their columns after `cols`."""
        self.emit(depth, f"if not {ms}:")
        if left_outer:
            self.emit(depth + 1, f"{ms} = {self.const('pad', [pad])}")
        else:
            self.emit(depth + 1, "continue")
        m = self.fresh("_m")
        width = len(pad)
        self.emit(depth, f"for {m} in {ms}:")
        self.misfit(depth + 1, m, width, rest, f"{self.row(cols)} + {m}")
        inner = [self.fresh("c") for _ in range(width)]
        self.unpack(depth + 1, inner, m)
        return cols + inner, depth + 1

    def foreach(self, op: L.LOForEach, cols, depth, rest) -> tuple[list[str], int] | None:
        flat = [i for i, g in enumerate(op.generate) if g.flatten]
        if len(flat) > 1:
            return None
        if flat:
            g = op.generate[flat[0]]
            if g.fields is None or g.expr.type not in (DataType.BAG, DataType.TUPLE):
                return None
            if g.casts and g.expr.type is DataType.BAG:  # each row cast: the closure's
                return None
        parts: list[list[str]] = []
        for g in op.generate:
            if g.flatten:
                parts.append([])
                continue
            parts.append([self.bind(self.expr(g.expr, cols), depth, "v")])
        if not flat:
            return [p[0] for p in parts], depth
        i = flat[0]
        g = op.generate[i]
        width = len(g.fields)  # type: ignore[arg-type]
        inner = [self.fresh("c") for _ in range(width)]
        pre = [c for p in parts[:i] for c in p]
        post = [c for p in parts[i + 1 :] for c in p]
        # a null: one null field (`misfit` takes it), or with a typed AS clause its width
        nulls = self.const("nulls", [(None,) * width] if g.casts and width else [(None,)])
        value = self.expr(g.expr, cols)
        r = self.fresh("_r")
        if g.expr.type is DataType.BAG:
            b = self.fresh("_b")
            self.emit(depth, f"{b} = {value}")
            self.emit(depth, f"for {r} in ({b} if {b} is not None else {nulls}):")
        else:
            self.emit(depth, f"if ({r} := {value}) is None:")
            self.emit(depth + 1, f"{r} = {nulls}[0]")
            depth -= 1  # no loop: the body stays at this depth
        whole = f"{self.lazy_row(pre)} + {r} + {self.lazy_row(post)}"
        if g.casts:  # FLATTEN ... AS (x:type, ...): a tuple of the declared width fits; any
            # other value (a short tuple, a bag) gives the rows `exprs.flattened` gives
            casts = [None if c is None else caster(c.value, self.comp.warn) for c in g.casts]
            slow = self.const("slow", _flat_rows(width, casts, rest))
            self.emit(depth + 1, f"if type({r}) is not tuple or len({r}) != {width}:")
            fields = f"{self.lazy_row(pre)}, {r}, {self.lazy_row(post)}"
            self.emit(depth + 2, f"_out += {slow}({fields})")
            self.emit(depth + 2, "continue")
        else:
            self.misfit(depth + 1, r, width, rest, whole)
        self.unpack(depth + 1, inner, r)
        for c, to in zip(inner, g.casts):
            if to is not None:
                self.emit(depth + 1, f"{c} = {self.flat_cast(c, to)}")
        return pre + inner + post, depth + 1

    def flat_cast(self, c: str, to: DataType, fn: str | None = None) -> str:
        """A FLATTENed field `c` cast to the AS clause's type `to`, as `exprs.caster` casts
        it (a failure counts its warning; `fn`, or the caster of `to`): a chararray already a
        str, or plain ASCII digits to an int/long, inline; anything else through the caster."""
        fn = fn or self.const("cast", caster(to.value, self.comp.warn))
        if to is DataType.CHARARRAY:
            return f"({c} if type({c}) is str else {fn}({c}))"
        if to in _INT_BITS:
            digits = 10 if to is DataType.INT else 19
            return (
                f"(int({c}) if type({c}) is str and {c}.isdigit() and {c}.isascii()"
                f" and len({c}) < {digits} else {fn}({c}))"
            )
        return f"{fn}({c})"

    # -- expressions ------------------------------------------------------------------------
    def expr(self, e: L.LExpr, cols: list[str]) -> str:  # noqa: C901 - one branch per node
        if id(e) in self.comp.replace:
            return self.closure(e, cols)
        if isinstance(e, L.LEProject):
            if e.column is None:
                return self.row(cols)
            return cols[e.column] if e.column < len(cols) else "None"
        if isinstance(e, L.LEConst):
            return self.literal(e.value)
        if isinstance(e, L.LEBinary):
            return self.binary(e, cols)
        if isinstance(e, L.LEUnary):
            a = self.expr(e.operand, cols)
            x = self.fresh()
            if e.op == "neg":
                if e.type in _INT_BITS:  # Java's wrap: -MIN_VALUE is MIN_VALUE
                    lo = -(1 << (_INT_BITS[e.type] - 1))
                    return f"(None if ({x} := {a}) is None else -{x} if {x} != {lo} else {x})"
                return f"(None if ({x} := {a}) is None else -{x})"
            if e.op == "not":
                return f"(None if ({x} := {a}) is None else not {x})"
            if e.op == "isnull":
                return f"({a} is None)"
            return f"({a} is not None)"
        if isinstance(e, L.LEBinCond):
            c, a, b = (self.expr(x, cols) for x in (e.cond, e.then, e.otherwise))
            x = self.fresh()
            return f"(None if ({x} := {c}) is None else ({a} if {x} else {b}))"
        if isinstance(e, L.LEMapLookup):
            m = self.fresh("m")
            base = self.expr(e.base, cols)
            return f"(None if ({m} := {base}) is None else {m}.get({self.literal(e.key)}))"
        if isinstance(e, L.LECast):
            a = self.expr(e.operand, cols)
            if e.operand.type is e.type and e.type.is_atomic and e.type is not DataType.FLOAT:
                return a
            typed = not _calls_udf(e.operand)  # a UDF may return any type
            if typed and e.operand.type is DataType.FLOAT and e.type is DataType.DOUBLE:
                return a  # (double) of a float: the same value (a float is a double's)
            if typed and e.type is DataType.FLOAT and e.operand.type in _INT_BITS:
                # (float) of an int/long: exact up to 2**24, else rounded
                x = self.fresh()
                return (
                    f"(None if ({x} := {a}) is None else (float({x}) if -16777216 <= {x} <= "
                    f"16777216 else {self.const('f32', data.to_float32)}({x})))"
                )
            if typed and e.type is DataType.FLOAT and e.operand.type in _NUMERIC:
                x = self.fresh()  # (float) of a double (or a float): single precision
                return f"(None if ({x} := {a}) is None else {self.float32(x, x)})"
            if e.operand.type is DataType.FLOAT and e.type is DataType.CHARARRAY:
                x, text = self.fresh(), self.const("text", data.float_text)
                return f"(None if ({x} := {a}) is None else {text}({x}))"
            fn = self.const("cast", caster(e.field, self.comp.warn))
            column = self.bytearray_field(a) if a.isidentifier() else None
            if column is not None and e.type in _TEXT_CASTS:
                self.ns.update(_F32_NAMES)
                return _TEXT_CASTS[e.type].format(t=self.fresh("t"), f=f"_f[{column}]", fn=fn)
            if e.operand.type is DataType.CHARARRAY and e.type in _INT_BITS:
                # (int)/(long) of a chararray: plain ASCII digits inline (`flat_cast`)
                x = self.fresh("t")
                return self.flat_cast(x, e.type, fn).replace(f"type({x})", f"type({x} := {a})", 1)
            x = self.fresh("t")
            if e.type is DataType.CHARARRAY:  # `data.to_chararray` of a str or bytes inline
                return (
                    f"({x} if type({x} := {a}) is str else {x}.decode('utf-8', 'replace')"
                    f" if type({x}) is bytes else {fn}({x}))"
                )
            if e.type in _INT_BITS:  # a value of any type (a map's, an untyped column's):
                # plain ASCII digits, as bytes or as a str, inline (`data.to_int`, `to_long`)
                digits = 10 if e.type is DataType.INT else 19
                return (
                    f"(int({x}) if (type({x} := {a}) is bytes and {x}.isdigit() or type({x})"
                    f" is str and {x}.isdigit() and {x}.isascii()) and len({x}) < {digits}"
                    f" else {fn}({x}))"
                )
            return f"{fn}({a})"
        if isinstance(e, L.LEFunc):
            fn = self.const("fn", self.comp.function(e))
            inline = self.string_call(e, fn, cols)
            if inline is not None:
                return inline
            return f"{fn}({', '.join(self.expr(a, cols) for a in e.args)})"
        if isinstance(e, L.LETuple):
            return self.row([self.expr(i, cols) for i in e.items])
        return self.closure(e, cols)

    def string_call(self, e: L.LEFunc, fn: str, cols: list[str]) -> str | None:
        """INDEXOF, SIZE, SUBSTRING, STRSPLIT and REGEX_EXTRACT inline for a str first
        argument (ASCII text for the three that count Java chars: then a Java char is a Python one),
        with Pig's null rule (a null argument gives null; every argument is computed
        first, as for a call); the builtin `fn` itself for any other value. The constant
        arguments the inline form needs (a search text, a literal separator, a pattern and
        its group) are the plan's; None when they are not, or for a DEFINEd or UDF call."""
        if e.kind != "builtin" or e.ctor_args:
            return None
        const = [a.value if isinstance(a, L.LEConst) else _NOT_CONST for a in e.args]
        n = len(e.args)
        if e.func == "INDEXOF" and n in (2, 3):
            search, start = const[1], const[2] if n == 3 else 0
            if not (type(search) is str and search.isascii() and search and type(start) is int):
                return None
            x, a = self.fresh(), self.expr(e.args[0], cols)
            rest = "".join(f", {self.literal(c)}" for c in const[1:])
            return (
                f"(None if ({x} := {a}) is None else {x}.find({self.literal(search)}, "
                f"{max(start, 0)}) if type({x}) is str and {x}.isascii() else {fn}({x}{rest}))"
            )
        if e.func == "SIZE" and n == 1 and e.args[0].type is DataType.CHARARRAY:
            x, a = self.fresh(), self.expr(e.args[0], cols)
            return (
                f"(None if ({x} := {a}) is None else len({x}) if type({x}) is str and "
                f"{x}.isascii() else {fn}({x}))"
            )
        if e.func == "SUBSTRING" and n == 3:
            x, y, z, w = self.fresh(), self.fresh(), self.fresh(), self.fresh()
            a, b, c = (self.expr(arg, cols) for arg in e.args)
            return (
                f"(None if (({x} := {a}) is None) | (({y} := {b}) is None) | "
                f"(({z} := {c}) is None) else (None if {y} < 0 or {y} > ({w} := {z} if "
                f"{z} < len({x}) else len({x})) else {x}[{y}:{w}]) if type({x}) is str and "
                f"{x}.isascii() and type({y}) is int and type({z}) is int else {fn}({x}, {y}, {z}))"
            )
        if e.func == "STRSPLIT" and n == 3:
            sep, limit = const[1], const[2]
            if not (type(sep) is str and sep and not set(sep) & _REGEX_SPECIAL):
                return None
            if not (type(limit) is int and limit > 0):
                return None
            x, a = self.fresh(), self.expr(e.args[0], cols)
            sep_ = self.literal(sep)
            return (
                f"(None if ({x} := {a}) is None else tuple({x}.split({sep_}, {limit - 1})) "
                f"if type({x}) is str else {fn}({x}, {sep_}, {limit}))"
            )
        if e.func == "REGEX_EXTRACT" and n == 3:
            pattern, group = const[1], const[2]
            if type(pattern) is not str or type(group) is not int:
                return None
            rx = java_regex(pattern)
            if not 0 <= group <= rx.groups:
                return None
            x, m, a = self.fresh(), self.fresh("m"), self.expr(e.args[0], cols)
            r = self.const("rx", rx)
            return (
                f"(None if ({x} := {a}) is None else (None if ({m} := {r}.search({x})) is None"
                f" else {m}.group({group})) if type({x}) is str else "
                f"{fn}({x}, {self.literal(pattern)}, {group}))"
            )
        return None

    def float32(self, value: str, x: str) -> str:
        """The double `value` (which sets the local `x`) rounded to single precision, as
        Java's ``(float)`` (`data.to_float32`): one struct round trip inline, the function
        past Float.MAX_VALUE (whose rounding may overflow to infinity) and for a NaN."""
        self.ns.update(_F32_NAMES)
        return (
            f"(_f32u(_f32p({x}))[0] if -{data.F32_MAX!r} <= {value} <= {data.F32_MAX!r} "
            f"else _f32({x}))"
        )

    def closure(self, e: L.LExpr, cols: list[str]) -> str:
        """An expression with no inline form: its compiled closure over the row."""
        return f"{self.const('e', self.comp.expr(e))}({self.row(cols)})"

    @staticmethod
    def operand(src: str, temp: str) -> tuple[str, str | None]:
        """(how to name an operand's value, its null test): a variable or a literal as is;
        anything else evaluated once into `temp`."""
        if src.isidentifier() and src != "None" or _is_number(src):
            return src, (f"{src} is None" if src.isidentifier() else None)
        if src[:1] in "'\"" and src[-1:] == src[:1] and "\n" not in src:
            return src, None
        return temp, f"({temp} := {src}) is None"

    def division(self, op: str, x: str, y: str) -> str:
        """Pig's x / y or x % y of two non-null operands (`exprs.quotient`,
        `exprs.remainder`): inline for ints by a positive int (truncated toward zero; a
        remainder has the sign of x) and, for /, a float by a non-zero number; the function
        for anything else (a zero divisor: null, / warning DIVIDE_BY_ZERO)."""
        fn = self.const("div", quotient(self.comp.warn)) if op == "/" else self.const(
            "mod", remainder
        )
        k = int(y) if re.fullmatch(r"-?\d+", y) else None  # an int literal divisor
        if k is not None and k <= 0:
            return f"{fn}({x}, {y})"
        ints = f"type({x}) is int" if k is not None else (
            f"type({x}) is int and type({y}) is int and {y} > 0"
        )
        whole = f"({x} {op}{op if op == '/' else ''} {y} if {x} >= 0 else -(-{x} {op}"
        whole += f"{op if op == '/' else ''} {y}))"
        if op == "%":
            return f"({whole} if {ints} else {fn}({x}, {y}))"
        floats = f"type({x}) is float" if k is not None else (
            f"{y} and (type({x}) is float or type({y}) is float)"
        )
        return f"({whole} if {ints} else {x} / {y} if {floats} else {fn}({x}, {y}))"

    def binary(self, e: L.LEBinary, cols: list[str]) -> str:
        op = e.op
        if op == "matches" and isinstance(e.right, L.LEConst) and type(e.right.value) is str:
            # `exprs.matches` of a constant pattern: its compiled Java regex, inline
            rx = self.const("rx", java_regex(e.right.value))
            text = self.const("text", text_of)
            x = self.fresh()
            a = self.expr(e.left, cols)
            return (
                f"(None if ({x} := {a}) is None else "
                f"{rx}.fullmatch({x} if type({x}) is str else {text}({x})) is not None)"
            )
        if op == "matches" or (op in ("/", "%") and e.type is DataType.FLOAT):
            return self.closure(e, cols)
        a, b = self.expr(e.left, cols), self.expr(e.right, cols)
        x, y = self.fresh(), self.fresh()
        if op == "and":
            return (
                f"(False if ({x} := {a}) is False or ({y} := {b}) is False "
                f"else (None if {x} is None or {y} is None else True))"
            )
        if op == "or":
            return (
                f"(True if ({x} := {a}) is True or ({y} := {b}) is True "
                f"else (None if {x} is None or {y} is None else False))"
            )
        (x, nx), (y, ny) = self.operand(a, x), self.operand(b, y)
        nulls = " or ".join(n for n in (nx, ny) if n) or "False"
        if op in ("+", "-", "*", "/", "%"):
            if e.type is DataType.FLOAT:  # Java's float arithmetic: the result in single precision
                r = self.fresh("r")
                return f"(None if {nulls} else {self.float32(f'({r} := {x} {op} {y})', r)})"
            value = self.division(op, x, y) if op in ("/", "%") else f"{x} {op} {y}"
            core = f"(None if {nulls} else {value})"
            bits = _INT_BITS.get(e.type)
            if bits is None:
                return core
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            r = self.fresh("r")
            wrap = self.const("wrap", _wrapper(bits))
            return f"({r} if ({r} := {core}) is None or {lo} <= {r} <= {hi} else {wrap}({r}))"
        typed = not (_calls_udf(e.left) or _calls_udf(e.right))  # a UDF may return any type
        if typed and any(e.left.type in fam and e.right.type in fam for fam in _COMPARABLE):
            return f"(None if {nulls} else {x} {op} {y})"
        return f"(None if {nulls} else {self.const('cmp', _comparison(op))}({x}, {y}))"


#: a cast of a bytearray field of the line, from its text `{f}` (the local `{t}`): plain
#: ASCII digits (a short int/long), digits with at most one '.' (a double: `float` reads
#: them as `data.to_double` of their bytes does), the text itself (a chararray: a line is
#: decoded with 'replace', so encoding and decoding it gives it back); the cast `{fn}` of
#: the field's bytes for anything else (which counts a failure's warning, as `exprs.caster`).
_TEXT_CASTS = {
    DataType.INT: (
        "(int({t}) if ({t} := {f}).isdigit() and {t}.isascii() and len({t}) < 10"
        " else ({fn}({t}.encode()) if {t} else None))"
    ),
    DataType.LONG: (
        "(int({t}) if ({t} := {f}).isdigit() and {t}.isascii() and len({t}) < 19"
        " else ({fn}({t}.encode()) if {t} else None))"
    ),
    DataType.DOUBLE: (
        "(float({t}) if ({t} := {f}).replace('.', '', 1).isdigit() and {t}.isascii()"
        " else ({fn}({t}.encode()) if {t} else None))"
    ),
    DataType.CHARARRAY: "({f} or None)",
    # a float: ASCII digits with at most one '.', at most 12 of them (a decimal of 13 digits
    # or fewer reaches single precision through the double exactly as Float.valueOf reads it)
    DataType.FLOAT: (
        "(_f32u(_f32p(float({t})))[0] if ({t} := {f}).replace('.', '', 1).isdigit()"
        " and {t}.isascii() and len({t}) < 13 else ({fn}({t}.encode()) if {t} else None))"
    ),
}


def _agg_slots(func: str, x: str, first: int, text: bool = False) -> list[tuple[str, str]]:
    """(initial value, update) of each partial slot of aggregate `func` folding value `x`,
    its slots starting at ``_a[first]``; the same results as the builtins' Initial and
    Intermediate (`functions.builtins`): nulls skipped, a SUM starting from 0 + x, MIN/MAX
    keeping the first of equal values as `min`/`max` do, but for doubles as Java's Math.min/max
    (a NaN wins, -0.0 is below 0.0; ``_cs`` is math.copysign) and for chararrays (`text`)
    as String.compareTo, by UTF-16 units (``_u16lt``), which only an ASCII value is sure
    to compare by as Python compares str (``_asc``, str.isascii, O(1): CPython flags an
    ASCII str)."""
    p = f"_a[{first}]"
    count = (f"(0 if {x} is None else 1)", f"{p} + (0 if {x} is None else 1)")
    total = (
        f"(None if {x} is None else {x} + 0)",
        f"({p} if {x} is None else {x} + 0 if (_p := {p}) is None else _p + {x})",
    )
    if func == "COUNT_STAR":
        return [(x, f"{p} + {x}")]
    if func == "COUNT":
        return [count]
    if func == "SUM":
        return [total]
    if func == "AVG":
        return [total, (count[0], f"_a[{first + 1}] + (0 if {x} is None else 1)")]
    if func == "Distinct":  # the values seen, in a dict (first seen first): a setdefault
        return [(f"{{{x}: None}}", f"((_d := {p}).setdefault({x}), _d)[1]")]
    better = "<" if func == "MIN" else ">"
    if text:
        lt = f"_u16lt({x}, _p)" if func == "MIN" else f"_u16lt(_p, {x})"
        takes = f"({x} {better} _p if _asc({x}) else {lt})"  # not a str: TypeError
        keep = f"_p if {x} is None or not {takes} else {x}"
        return [(x, f"({x} if (_p := {p}) is None else {keep})")]
    signed = f"{x} == 0 == _p and _cs(1.0, {x}) {better} _cs(1.0, _p)"  # -0.0 and 0.0
    takes = f"{x} {better} _p or {x} != {x} or {signed}"
    keep = f"_p if {x} is None or not ({takes}) else {x}"
    return [(x, f"({x} if (_p := {p}) is None else {keep})")]


class _NotText(Exception):
    """A field PigStorage writes as raw bytes: the row takes the bytes formatter."""


def _field_text(v: Any) -> str:
    """A field of a PigStorage line whose value is not of its column's declared type."""
    if v is None:
        return ""
    if type(v) is bytes:
        raise _NotText
    if type(v) is float:
        return data.format_double(v)
    if type(v) is str:
        return v
    return data.format_value(v)


_OTHER = "('' if {x} is None else _text({x}))"  # a null, or a value of another type
_FIELD_TEMPLATES = {
    DataType.CHARARRAY: "({x} if type({x}) is str else " + _OTHER + ")",
    DataType.INT: "(str({x}) if type({x}) is int else " + _OTHER + ")",
    DataType.LONG: "(str({x}) if type({x}) is int else " + _OTHER + ")",
    # a double in [1e-3, 1e7): repr, as `data.format_double` gives
    DataType.DOUBLE: (
        "((repr({x}) if 1e-3 <= abs({x}) < 1e7 else _double({x}))"
        " if type({x}) is float else " + _OTHER + ")"
    ),
    DataType.FLOAT: "(_float({x}) if type({x}) is float else " + _OTHER + ")",
    DataType.MAP: "(_map({x}) if type({x}) is dict else " + _OTHER + ")",
    DataType.BAG: "(_bag({x}) if type({x}) is list else " + _OTHER + ")",
    DataType.TUPLE: "(_tuple({x}) if type({x}) is tuple else " + _OTHER + ")",
}


# inside an f-string an int formats as str() gives it: no call
_FSTRING_TEMPLATES = {
    **_FIELD_TEMPLATES,
    DataType.INT: "({x} if type({x}) is int else " + _OTHER + ")",
    DataType.LONG: "({x} if type({x}) is int else " + _OTHER + ")",
}


def line_expression(
    types: Sequence[DataType], names: Sequence[str], sep: str, texts: Collection[str] = ()
) -> str:
    """The expression of a PigStorage line of the locals `names` (fields of these types,
    each converted as `_FIELD_TEMPLATES` says; a local in `texts` holds its field's stored
    text already) joined by `sep`: one f-string, built in one step (a chain of ``+`` makes
    a new string per field)."""
    if not names:
        return "''"
    fields = [
        x if x in texts else _FSTRING_TEMPLATES.get(t, _OTHER).format(x=x)
        for t, x in zip(types, names)
    ]
    return 'f"' + _fstring_text(sep).join("{" + f + "}" for f in fields) + '"'


_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _fstring_text(text: str) -> str:
    """`text` as the literal part of a double-quoted f-string."""
    out = []
    for ch in text:
        if ch in "{}":
            out.append(ch * 2)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable() and ch not in '"\\':
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


_CARRIED_TYPES = frozenset(_FIELD_TEMPLATES) | {DataType.BYTEARRAY}
# `Generator.float32`'s names
_F32_NAMES = {"_f32p": data.F32_PACK, "_f32u": data.F32_UNPACK, "_f32": data.to_float32}
_LINE_NAMES = {
    "_text": _field_text,
    "_double": data.format_double,
    "_float": data.format_float,
    "_NotText": _NotText,
    "_map": data.format_map,
    "_bag": data.format_bag,
    "_tuple": data.format_tuple,
}


def text_lines(types: Sequence[DataType], sep: str) -> Callable[[list[tuple]], str | None]:
    """PigStorage's lines of a batch of rows, as one text (lines joined by newlines): one
    generated comprehension with `text_line_tail`'s conversions inline. None when a row is
    not `types` wide or holds a value written as raw bytes: the caller formats that batch
    row by row."""
    gen = Generator(None)
    names = [f"t{i}" for i in range(len(types))]
    joined = line_expression(types, names, sep)
    gen.ns.update(_LINE_NAMES)
    targets = "".join(n + ", " for n in names) or "()"
    gen.emit(0, "def lines(rows):")
    gen.emit(1, "try:")
    gen.emit(2, f"return '\\n'.join([{joined} for {targets} in rows])")
    gen.emit(1, "except (_NotText, TypeError, ValueError):  # a raw bytes field, another width")
    gen.emit(2, "return None")
    return Pipeline("lines", "\n".join(gen.lines) + "\n", gen.ns).function()


def text_line_tail(
    types: Sequence[DataType], sep: str, fmt: Callable[[tuple], bytes]
) -> Callable[[tuple], list]:
    """The store tail of PigStorage: row -> [(None, its line)], one generated function with
    each field's conversion inline (`fmt`, PigStorage's own formatter, for rows of another
    width or with a raw bytes field). Not for a PigStorage whose schema has floats inside a
    tuple, bag or map column: it writes every line itself (its `format` knows their type)."""
    gen = Generator(None)
    names = [f"t{i}" for i in range(len(types))]
    joined = line_expression(types, names, sep)
    gen.ns.update(_LINE_NAMES, _fmt=fmt)
    gen.emit(0, "def line(t):")
    gen.emit(1, f"if len(t) != {len(types)}:")
    gen.emit(2, "return [(None, _fmt(t))]")
    gen.emit(1, f"{', '.join(names)}, = t" if names else "pass")
    gen.emit(1, "try:")
    gen.emit(2, f"return [(None, {joined})]")
    gen.emit(1, "except _NotText:")
    gen.emit(2, "return [(None, _fmt(t))]")
    return Pipeline("line", "\n".join(gen.lines) + "\n", gen.ns).function()


_KEY_TEMPLATES = {
    DataType.CHARARRAY: (
        "(b'\\x06' + {x}.encode('utf-8', 'surrogatepass').replace(b'\\x00', b'\\x00\\xff')"
        " + b'\\x00\\x00' if type({x}) is str else _sb({x}))"
    ),
    # a number >= 0 below 2**63: its record in one struct call (`data.pack_number_key`)
    DataType.INT: (
        "(_np(3, -float({x}), 0, {x} + 9223372036854775808) if type({x}) is int"
        " and 0 <= {x} < 9223372036854775808 else _sb({x}))"
    ),
    DataType.LONG: (
        "(_np(3, -float({x}), 0, {x} + 9223372036854775808) if type({x}) is int"
        " and 0 <= {x} < 9223372036854775808 else _sb({x}))"
    ),
    DataType.DOUBLE: (
        "(_np(3, -({x} + 0.0), 0, int({x}) + 9223372036854775808 if {x}.is_integer() else 0)"
        " if type({x}) is float and 0.0 <= {x} < 9.223372036854776e18 else _sb({x}))"
    ),
}
# a bytearray: tag 5, its bytes with each NUL escaped, then the terminator (`sort_bytes`)
_KEY_TEMPLATES[DataType.BYTEARRAY] = (
    "(b'\\x05' + {x}.replace(b'\\x00', b'\\x00\\xff') + b'\\x00\\x00'"
    " if type({x}) is bytes else _sb({x}))"
)
# a tuple's field (a GROUP/JOIN key of several columns, a DISTINCT row): as `_KEY_TEMPLATES`
# but a double's fast form is for x > 0 only, and any other value takes
# `data.field_sort_bytes`, whose -0.0 is below 0.0 (BinInterSedes' Double.compare; a key of
# one double keeps DoubleWritable's -0.0 == 0.0)
_TUPLE_KEY_TEMPLATES = {t: v.replace("_sb(", "_sf(") for t, v in _KEY_TEMPLATES.items()}
_TUPLE_KEY_TEMPLATES[DataType.DOUBLE] = (
    "(_np(3, -{x}, 0, int({x}) + 9223372036854775808 if {x}.is_integer() else 0)"
    " if type({x}) is float and 0.0 < {x} < 9.223372036854776e18 else _sf({x}))"
)
_KEY_NAMES = {"_sb": data.sort_bytes, "_sf": data.field_sort_bytes, "_np": data.pack_number_key}
_NOT_CONST = object()  # an argument that is not a constant (`Generator.string_call`)
# the characters of a Java regex that are not themselves: a STRSPLIT separator without them
# splits at its own text
_REGEX_SPECIAL = frozenset("\\^$.|?*+()[]{}")
# an input field's local in a fallback row (`Generator.lazy_row`), until
# `drop_unused_conversions` writes it as the local or as its conversion made there; its
# control characters are ones `repr` never leaves in a literal of the generated source
_LAZY = "\x01{}\x02"
_LAZY_MARK = re.compile("\x01(\\w+)\x02")
_UNCONVERTED = object()  # an input field's value before `lazy_row`'s fallback converts it
# `Generator.fast_row_key`: the test that a field `{x}` has its column's fast form, and a
# number's arguments to `data.pack_number_key`'s record (tag 3, -x, 0, the biased integer);
# a double's is for x > 0 (a zero's sign counts in a tuple: `_TUPLE_KEY_TEMPLATES`)
_FAST_KEY_TESTS = {
    DataType.CHARARRAY: "type({x}) is str",
    DataType.INT: "type({x}) is int and 0 <= {x} < 9223372036854775808",
    DataType.LONG: "type({x}) is int and 0 <= {x} < 9223372036854775808",
    DataType.DOUBLE: "type({x}) is float and 0.0 < {x} < 9.223372036854776e18",
}
_FAST_NUMBER_ARGS = {
    DataType.INT: "3, -float({x}), 0, {x} + 9223372036854775808",
    DataType.LONG: "3, -float({x}), 0, {x} + 9223372036854775808",
    DataType.DOUBLE: "3, -{x}, 0, (int({x}) + 9223372036854775808 if {x}.is_integer() else 0)",
}
_ROW_HEADER = b"\x08"  # a tuple's sort bytes: this, its length in 4 bytes, each field's
_MEMO = 8192  # texts whose key bytes an ORDER's pass-through map keeps, per key column
# the texts of small ints (plain digits, no sign or leading zero) -> their values
_SMALL_INTS = dict(zip(map(str, range(1000)), range(1000)))


@functools.cache
def _compiled(pattern: str) -> Callable[[str], re.Match | None]:
    """The ``fullmatch`` of `pattern`, compiled once per process."""
    return re.compile(pattern).fullmatch


def _sized(values: Any) -> int:
    """How many input values a generated function's batch holds (0 for an iterator: a
    `Generator.small_ints` table then judges its field by its misses alone)."""
    return len(values) if type(values) in (list, tuple) else 0


# merge join key types whose values of that Python type are equal exactly when Pig's are
_PLAIN_MERGE_KEYS = {DataType.CHARARRAY: "str", DataType.INT: "int", DataType.LONG: "int"}
# key column types whose values `key_memos` may remember, and those values' Python type
_MEMO_PYTHON = {
    DataType.CHARARRAY: str,
    DataType.INT: int,
    DataType.LONG: int,
    DataType.DOUBLE: float,
    DataType.BYTEARRAY: bytes,
}
_MEMO_TYPES = {t: k.__name__ for t, k in _MEMO_PYTHON.items()}


def _key_field(dtype: DataType, x: str, memo: str | None, field: bool = True) -> str:
    """The expression of the key bytes of local `x` of type `dtype` as a tuple's `field`
    (`_TUPLE_KEY_TEMPLATES`; else a key of its own, `_KEY_TEMPLATES`; any other type:
    `field_sort_bytes`/`sort_bytes`), looked up first in the dict named `memo` when there is
    one (for a value of the column's own Python type only: True equals 1 but has other
    bytes; a memo holds no zero double, whose sign its dict would not tell)."""
    templates = _TUPLE_KEY_TEMPLATES if field else _KEY_TEMPLATES
    general = "_sf({x})" if field else "_sb({x})"
    template = templates.get(dtype, general).format(x=x)
    if memo is None:
        return template
    return f"(({memo}.get({x}) if type({x}) is {_MEMO_TYPES[dtype]} else None) or {template})"


def _by_value(keyed: KeyedTail) -> str | None:
    """The Python type (`_PLAIN_MERGE_KEYS`) of a keyed tail's one key whose rows the
    generated code holds by the key's value (`mapgroups.KeyGroups.values_for`), or None."""
    if keyed.groups is None or len(keyed.keys) != 1:
        return None
    return _PLAIN_MERGE_KEYS.get(keyed.keys[0].type)


def _keys_encoder(template: str, suffix: bytes) -> Callable[[Iterable[Any]], list[bytes]]:
    """keys -> their sort bytes (`_KEY_TEMPLATES`' `template`) followed by `suffix`, in one
    generated comprehension."""
    gen = Generator(None)
    gen.ns.update(_KEY_NAMES)
    gen.emit(0, "def encode(keys):")
    gen.emit(1, f"return [{template.format(x='k')} + {suffix!r} for k in keys]")
    return Pipeline("encode", "\n".join(gen.lines) + "\n", gen.ns).function()


def key_encoder(types: Sequence[DataType], memos: Sequence[dict] = ()) -> Callable[[Any], bytes]:
    """`data.sort_bytes` of a GROUP/JOIN key whose expressions have these types (several:
    the key is their tuple, and `memos`, from `key_memos`, may remember its columns' bytes):
    one generated function with each field's encoding inline for values of the declared type
    (`sort_bytes` for any other value; same bytes)."""
    if len(types) > 1:
        return row_encoder(types, memos)
    if types[0] is DataType.CHARARRAY:
        from piglatin.back.exprs import key_bytes

        return key_bytes
    if types[0] not in _KEY_TEMPLATES:
        return data.sort_bytes
    return _encoder(types, tuple_of=False)


def row_encoder(types: Sequence[DataType], memos: Sequence[dict] = ()) -> Callable[[tuple], bytes]:
    """`data.sort_bytes` of a row (a tuple) whose fields have these types, generated as
    `key_encoder` does (a row of another length or shape: `sort_bytes` itself); with `memos`
    (`key_memos` of the types), each field's bytes are looked up in its column's memo first."""
    return _encoder(types, tuple_of=True, memos=memos)


def key_memos(types: Sequence[DataType]) -> tuple[dict[Any, bytes], ...]:
    """An empty memo per column of a key of several columns (`fill_key_memos` fills them),
    when every column's type has one (chararray, int, long, double); () otherwise. A key
    whose tuples hardly repeat may still repeat per column (a user, a term, a small count),
    and a dict lookup costs a fraction of a field's encoding."""
    if len(types) < 2 or any(t not in _MEMO_TYPES for t in types):
        return ()
    return tuple({} for _ in types)


def fill_key_memos(
    memos: Sequence[dict[Any, bytes]], types: Sequence[DataType], keys: Iterable[tuple]
) -> None:
    """Remember, per column, the sort bytes of the values that repeat among the key tuples
    `keys` (a sample of the task's keys), the most frequent `_MEMO` at most: a value seen once
    (an id, a timestamp) would only fill the memo. Only values of the column's own Python
    type are remembered (a bool never as a number), with `data.sort_bytes`'s bytes; equal
    values of one such type have equal bytes, so a hit is exact."""
    keys = list(keys)
    for i, (memo, dtype) in enumerate(zip(memos, types)):
        kind = _MEMO_PYTHON[dtype]
        for v, n in Counter(map(itemgetter(i), keys)).most_common(_MEMO - len(memo)):
            if n < 2:
                break
            if type(v) is kind and (v or kind is not float):  # no zero double (either sign)
                memo[v] = data.sort_bytes(v)


def order_encoder(
    types: Sequence[DataType], descending: Sequence[bool]
) -> Callable[[Sequence[Any]], bytes]:
    """`data.order_bytes(values, descending)` of ORDER BY key values whose expressions have
    these types, generated as `key_encoder` does: each component's bytes inline, a DESC one
    complemented (values of another count: `order_bytes` itself)."""
    gen = Generator(None)
    gen.ns.update(_KEY_NAMES, _ob=data.order_bytes, _desc=tuple(descending))
    gen.ns["_complement"] = data.COMPLEMENT
    names = [f"k{i}" for i in range(len(types))]
    parts = []
    for t, x, d in zip(types, names, descending):
        part = _KEY_TEMPLATES.get(t, "_sb({x})").format(x=x)
        parts.append(f"{part}.translate(_complement)" if d else part)
    gen.emit(0, "def order_key(k):")
    gen.emit(1, f"if len(k) != {len(types)}:")
    gen.emit(2, "return _ob(k, _desc)")
    gen.emit(1, f"{''.join(n + ', ' for n in names)}= k")
    gen.emit(1, "return " + (" + ".join(parts) or "b''"))
    return Pipeline("order_key", "\n".join(gen.lines) + "\n", gen.ns).function()


def _encoder(
    types: Sequence[DataType], tuple_of: bool, memos: Sequence[dict] = ()
) -> Callable[[Any], bytes]:
    gen = Generator(None)
    gen.ns.update(_KEY_NAMES)
    names = [f"k{i}" for i in range(len(types))] if tuple_of else ["k"]
    memo_names = [gen.const("memo", m) for m in memos] or [None] * len(names)
    fields = [_key_field(t, x, m, tuple_of) for t, x, m in zip(types, names, memo_names)]
    gen.emit(0, "def key_bytes(k):")
    if not tuple_of:
        gen.emit(1, f"return {fields[0]}")
    else:
        header = _ROW_HEADER + len(types).to_bytes(4, "big")
        gen.emit(1, f"if type(k) is not tuple or len(k) != {len(types)}:")
        gen.emit(2, "return _sb(k)")
        gen.emit(1, f"{''.join(n + ', ' for n in names)}= k")
        fast = gen.fast_row_key(header, types, names)
        if fast is not None:
            gen.emit(1, f"if {fast[0]}:")
            gen.emit(2, f"return {fast[1]}")
        gen.emit(1, f"return {header!r} + " + " + ".join(fields))
    return Pipeline("key_bytes", "\n".join(gen.lines) + "\n", gen.ns).function()


def _text_double(text: str) -> float | None:
    """A bytearray field's value as a double, from its text: `data.to_double` of its
    bytes (no warning: the builtins' SUM/AVG/MIN/MAX convert bytearrays so)."""
    return data.to_double(text.encode("utf-8"))


def _is_number(src: str) -> bool:
    try:
        float(src)
    except ValueError:
        return False
    return True


def _calls_udf(e: L.LExpr) -> bool:
    if isinstance(e, L.LEFunc):
        return e.kind != "builtin" or any(_calls_udf(a) for a in e.args)
    return any(_calls_udf(c) for c in _children(e))


def _children(e: L.LExpr) -> tuple[L.LExpr, ...]:
    if isinstance(e, L.LEBinary):
        return (e.left, e.right)
    if isinstance(e, (L.LEUnary, L.LECast)):
        return (e.operand,)
    if isinstance(e, L.LEBinCond):
        return (e.cond, e.then, e.otherwise)
    if isinstance(e, L.LEMapLookup):
        return (e.base,)
    return ()


def _flat_rows(
    width: int, casts: list, rest: Callable[[tuple], list]
) -> Callable[[tuple, Any, tuple], list]:
    """(the GENERATE's fields before a FLATTEN, its value, the fields after) -> the outputs
    of `rest` over the rows the FLATTEN gives (`exprs.flattened`)."""
    return lambda pre, v, post: [
        o for row in flattened(v, width, casts) for o in rest(pre + row + post)
    ]


def _packer(fmt: str) -> Callable[..., bytes]:
    """struct's packer of `fmt`."""
    return struct.Struct(fmt).pack


def _wrapper(bits: int) -> Callable[[int], int]:
    lo, mod = -(1 << (bits - 1)), 1 << bits
    return lambda r: (r - lo) % mod + lo


def _comparison(op: str) -> Callable[[Any, Any], bool]:
    """x op y for values of types Python may refuse to compare: then Pig's order of types."""
    cmp = CMP[op]

    def compare(x: Any, y: Any) -> bool:
        try:
            return cmp(x, y)
        except TypeError:
            return cmp(data.sort_key(x), data.sort_key(y))

    return compare
