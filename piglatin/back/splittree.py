"""Generated map code for a SPLIT tree: the branches of a merged multi-query job in ONE function.

Owns: `SplitBranch` (what a branch's Pig job gives for it: its chain, closures, tail and the
tail's inline form), `ParsedBranch` (the same without generated code: its parse and closures)
and `generate_split_tree`, which writes one batch function over the input lines of every
branch that reads the same PigStorage text the same way: each line is split once and each
field any branch reads is converted once, before the branches (Pig converts in the FOREACH
before its SPLIT, so a bad field warns once however many branches read it); an operator
several branches do next (a SPLIT condition, a FILTER, a FOREACH without FLATTEN) runs once
for them, nested as the script's SPLITs are; then each branch's remaining operators and its
tail, inline, each writing into its own output list. The function returns those lists, in
branch order.

The code of a branch is what `codegen` writes for the branch's own pipeline (its `pipeline`,
over the columns the shared part made): this module only arranges the branches, each in a
``while True`` block that a row it drops leaves (codegen's ``continue`` of the branch made
``break``), so the row goes on to the next branch. Must not touch: what a step or a tail
generates (codegen.py), job wiring (runtime.py, multiquery.py).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import Any

from piglatin.back import codegen as CG
from piglatin.model.frozen import frozen_dataclass
from piglatin.plan import logical as L

__all__ = ["ParsedBranch", "SplitBranch", "generate_split_tree", "same_text"]

RecordFn = Callable[[tuple], Any]

#: locals of one branch's code, renamed per branch (each branch has its own)
_BRANCH_LOCALS = frozenset(("_out", "_seen", "_n", "_gs", "_gv"))


@frozen_dataclass(slots=False)
class SplitBranch:
    """One branch's map pipeline, as its job would generate it: `source` (PigStorage text),
    `ops` ((operator, input slot) after the loader), `closures` (each op's record function),
    `tail` (the closure tail, per row), `rest_from(i)` (ops[i:] then the tail, as closures),
    `keyed` (the tail's inline form) and `post` (what the branch's output list goes through
    after each batch: its map task's key groups; None: nothing)."""

    source: CG.RecordSource
    ops: tuple[tuple[L.LogicalOperator, int], ...]
    compiler: Any = field(compare=False, repr=False)
    closures: tuple[Any, ...] = field(compare=False, repr=False)
    tail: RecordFn = field(compare=False, repr=False)
    rest_from: Callable[[int], RecordFn] = field(compare=False, repr=False)
    keyed: Any = field(default=None, compare=False, repr=False)
    post: Callable[[list], list] | None = field(default=None, compare=False, repr=False)


@frozen_dataclass(slots=False)
class ParsedBranch:
    """One branch's map pipeline without generated code: `source` (the LOAD's op id, the
    columns pushed into its loader and how many first fields it splits without a schema,
    `runtime.fields_read`: branches with the same parse the same), `parse` (an input
    line -> its tuple, warning for bad fields), `run` (a tuple -> the branch's map output) and
    `post` as `SplitBranch`'s."""

    source: tuple
    parse: Callable[[Any], tuple] = field(compare=False, repr=False)
    run: RecordFn = field(compare=False, repr=False)
    post: Callable[[list], list] | None = field(default=None, compare=False, repr=False)


def same_text(a: CG.RecordSource, b: CG.RecordSource) -> bool:
    """Whether two branches read the same fields of the same lines the same way (their
    casters are each loader's own, and equal in what they do when the types are)."""
    ta, tb = a.text, b.text
    if ta is None or tb is None or a.one_field or b.one_field:
        return False
    return (
        ta.delimiter == tb.delimiter
        and ta.width == tb.width
        and [c for c, _ in ta.fields] == [c for c, _ in tb.fields]
        and [cast is None for _, cast in ta.fields] == [cast is None for _, cast in tb.fields]
        and ta.types == tb.types
        and a.width == b.width
    )


def _shared(op: L.LogicalOperator, closure: Any) -> bool:
    """Whether an operator may run once for every branch: it keeps or drops the row, or
    computes one row from it (no loop, no closure fallback of a branch's own)."""
    if closure is None:
        return True
    if isinstance(op, (L.LOFilter, L.LOSplitOutput)):
        return True
    return isinstance(op, L.LOForEach) and not op.nested and not any(g.flatten for g in op.generate)


def _next_op(b: SplitBranch, start: int) -> tuple | None:
    """What branch `b` does next, if another branch may do it with it (`_shared`)."""
    if start < len(b.ops) and _shared(b.ops[start][0], b.closures[start]):
        return (b.ops[start][0].op_id, b.ops[start][1])
    return None


def _parts(members: list, start: int) -> list[tuple[tuple | None, list]]:
    """`members` ((number, branch) pairs) by the operator each does next, in order of first
    appearance; the ones that do nothing another may share each alone (key None)."""
    parts: list[tuple[tuple | None, list]] = []
    where: dict[tuple, list] = {}
    for m in members:
        key = _next_op(m[1], start)
        if key is None:
            parts.append((None, [m]))
        elif key in where:
            where[key].append(m)
        else:
            where[key] = [m]
            parts.append((key, where[key]))
    return parts


def _breaks(lines: list[str], start: int) -> None:
    """Make the block under ``while True:`` at `lines[start]` leave itself: each
    ``continue`` of it (not of a loop inside it) becomes ``break``."""
    loops: list[int] = []  # the indents of the loops the line is in
    for k in range(start + 1, len(lines)):
        line = lines[k]
        text = line.lstrip()
        indent = len(line) - len(text)
        while loops and loops[-1] >= indent:
            loops.pop()
        statement = text.split("#", 1)[0].strip()
        if statement == "continue" and not loops:
            lines[k] = line[:indent] + "break"
        elif not loops and re.search(r"\bcontinue\b", statement):  # e.g. `if x: continue`
            raise ValueError(f"a continue the split tree cannot place: {text!r}")
        elif text.startswith(("for ", "while ")):
            loops.append(indent)


class _TreeGenerator(CG.Generator):  # codegen's own generator, writing several pipelines
    """codegen's generator, writing several branches' pipelines into one loop: each branch
    is written by codegen's own `pipeline` (its locals before the loop, its body in the loop,
    its calls after it), over the columns the shared part of the loop made."""

    shared: list[str] | None = None  # the columns a branch's pipeline starts from

    def source(self, src: CG.RecordSource, whole: RecordFn) -> list[str]:
        if self.shared is not None:
            return list(self.shared)
        return super().source(src, whole)

    def tree(self, name: str, branches: Sequence[SplitBranch]) -> CG.Pipeline:
        first = branches[0]
        source = CG.RecordSource(first.source.width, first.source.text)  # split here, once
        self.comp = first.compiler
        self.before: list[str] = [f"def {name}(_keys, _values):"]
        self.after: list[str] = []
        self.emit(1, "for _v in _values:")
        cols = self.source(source, first.rest_from(0))
        self.group(list(enumerate(branches)), 0, cols, 2, True)
        self.lines = self.before + self.lines + self.after
        shift = len(self.before)  # the conversions' lines moved down by the branches' locals
        self.conversions = [(c, start + shift, end + shift) for c, start, end in self.conversions]
        self.emit(1, f"return [{', '.join(f'_out{i}' for i in range(len(branches)))}]")
        self.drop_unused_conversions()
        self.lines = self.with_small_ints(self.lines)
        return CG.Pipeline(name, "\n".join(self.lines) + "\n", self.ns, ())

    def group(self, members: list, start: int, cols: list[str], depth: int, top: bool) -> None:
        """The code of `members` ((number, branch) pairs that did ops[:start] together, into
        `cols`): an operator several of them do next runs once for them, in a block they
        leave together (``while True``: a dropped row breaks out); at the top of the loop
        (`top`), one all of them do next runs at the loop's level (a dropped row: the next)."""
        for key, part in _parts(members, start):
            b = part[0][1]
            if key is None or len(part) < 2:
                for i, one in part:
                    self.single(i, one, start, cols, depth)
                continue
            op, closure, rest = b.ops[start][0], b.closures[start], b.rest_from(start + 1)
            if closure is None:  # the identity (a SPLIT itself): nothing to run
                self.group(part, start + 1, cols, depth, top and len(part) == len(members))
                continue
            if top and len(part) == len(members):
                step = self.step(op, closure, cols, depth, rest)
                if step is not None:
                    self.group(part, start + 1, step[0], step[1], True)
                    continue
            block = len(self.lines)
            self.emit(depth, f"while True:  # {op.alias or op.op_id}")
            step = self.step(op, closure, cols, depth + 1, rest)
            if step is None:
                del self.lines[block:]
                for i, one in part:
                    self.single(i, one, start, cols, depth)
                continue
            self.group(part, start + 1, step[0], step[1], False)
            self.emit(depth + 1, "break")
            _breaks(self.lines, block)

    def single(self, i: int, b: SplitBranch, start: int, cols: list[str], depth: int) -> None:
        """Branch `i`'s code from its op `start`, in a block of its own."""
        before, body, after = self.branch(b, start, cols)
        self.before += [_renamed(line, i) for line in before]
        self.after += [_renamed(line, i) for line in after]
        block = len(self.lines)
        self.emit(depth, f"while True:  # branch {i}")
        indent = "    " * (depth - 1)  # the branch's body was written at depth 2
        self.lines += [indent + _renamed(line, i) for line in body]
        self.emit(depth + 1, "break")
        _breaks(self.lines, block)

    def branch(
        self, b: SplitBranch, start: int, cols: list[str]
    ) -> tuple[list[str], list[str], list[str]]:
        """Branch `b`'s pipeline from its op `start` over `cols`, as codegen writes it: (the
        lines before its loop, its loop's body, the lines after its loop)."""
        lines, conversions = self.lines, self.conversions
        self.lines, self.conversions, self.shared = [], [], cols
        self.comp = b.compiler  # its expressions' closures and UDFs are the branch's own
        try:
            self.pipeline(
                "branch",
                b.source,
                b.ops[start:],
                b.closures[start:],
                b.tail,
                lambda i: b.rest_from(i + start),
                b.keyed,
            )
            own = self.lines
        finally:
            self.lines, self.conversions, self.shared = lines, conversions, None
        loop = own.index("    for _v in _values:")
        if own[-1] != "    return _out":
            raise ValueError(f"codegen's pipeline has another shape: {own[-1]!r}")
        end = len(own) - 1
        while end > loop + 1 and not own[end - 1].startswith("        "):
            end -= 1  # the lines after the loop (at depth 1)
        return own[1:loop], own[loop + 1 : end], own[end:-1]


def _renamed(line: str, branch: int) -> str:
    """`line` with each of a branch's own locals (`_BRANCH_LOCALS`, as Python names, never
    inside a string literal) suffixed by the branch's number."""
    if not any(n in line for n in _BRANCH_LOCALS):
        return line
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, SyntaxError):  # a line that opens a block only: no names
        tokens = []
    indent = len(line) - len(line.lstrip())
    body = line.strip()
    for tok in reversed(tokens):
        if tok.type == tokenize.NAME and tok.string in _BRANCH_LOCALS:
            a, b = tok.start[1], tok.end[1]
            body = body[:a] + f"{tok.string}{branch}" + body[b:]
    return " " * indent + body


def generate_split_tree(name: str, branches: Sequence[SplitBranch]) -> CG.Pipeline:
    """One batch function over input lines for `branches` (all reading the same text, as
    `same_text` says): (keys, lines) -> [branch 0's map output, branch 1's, ...]. ValueError
    when codegen wrote a branch in a shape the tree cannot place (the caller then runs the
    branches' own functions)."""
    return _TreeGenerator(None).tree(name, branches)
