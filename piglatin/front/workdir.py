"""A Pig session's current directory: where `cd` goes, and the relative LOAD and STORE paths
of a statement made absolute against the directory that is current when the statement is
given (perf.xml, "Backward Compatibility": "paths are made absolute as statements are
parsed", so a later `cd` does not move them).

Owns: `cd_target` (the directory a `cd` names, on the local disk in local mode, on the DFS
otherwise) and `absolute_paths` (a script's text with the LOAD/STORE path literals of some
of its statements rewritten). Must not touch: running anything, the parser's grammar.

>>> text = "A = LOAD 'data1';\\nSTORE A INTO 'out' USING PigStorage(',');\\n"
>>> from piglatin.front.parser import parse
>>> print(absolute_paths(text, parse(text).statements, lambda p: "/top/" + p), end="")
A = LOAD '/top/data1';
STORE A INTO '/top/out' USING PigStorage(',');
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from piglatin.front import ast as A

__all__ = ["absolute_paths", "cd_target", "is_relative"]

_LITERAL = re.compile(r"'((?:[^'\\\n]|\\.)*)'")


def is_relative(path: str) -> bool:
    """A path a current directory moves: not absolute, no scheme, not a comma list."""
    return bool(path) and not path.startswith(("/", "~")) and ":" not in path and "," not in path


def cd_target(current: str, arg: str, home: str) -> str:
    """The directory `cd arg` goes to from `current` (`home` for a bare `cd`), normalized."""
    arg = arg.strip().strip("'\"")
    if not arg:
        return home
    return posixpath.normpath(posixpath.join(current, arg))


def _nodes(node: Any) -> Iterator[Any]:
    """`node` and every AST node inside it."""
    yield node
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _children(getattr(node, f.name))


def _children(value: Any) -> Iterator[Any]:
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _children(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from _nodes(value)


def _quote(path: str) -> str:
    return "'" + path.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _offset(text: str, line: int, column: int) -> int:
    """The index in `text` of 1-based (line, column)."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def absolute_paths(source: str, statements: Sequence[Any], absolute: Callable[[str], str]) -> str:
    """`source` with the relative path literal of each LOAD and STORE in `statements` (parsed
    from `source`) replaced by `absolute(path)`; the rest of the text unchanged."""
    from piglatin.front.parser import unquote

    edits: list[tuple[int, int, str]] = []
    for statement in statements:
        for node in _nodes(statement):
            if not isinstance(node, (A.Load, A.Store)) or not is_relative(node.path):
                continue
            if not node.line:
                continue
            start = _offset(source, node.line, node.column)
            for m in _LITERAL.finditer(source, start):
                if unquote(m.group(0)) == node.path:
                    edits.append((m.start(), m.end(), _quote(absolute(node.path))))
                    break
    for start, end, text in sorted(set(edits), reverse=True):
        source = source[:start] + text + source[end:]
    return source
