"""Glob expansion over DFS paths, as Hadoop's `FileSystem.globStatus` does it.

Owns: the pattern language (``*``, ``?``, ``[abc]``, ``[a-z]``, ``[^a]``/``[!a]``, ``{a,b}``,
``\\`` escapes) and the walk that matches it one path component at a time against a directory
listing. Must not touch: the namespace itself; it sees the filesystem only through two callables
(list a directory, stat a path), so it works the same over a DFSClient or a fake in tests.

Policy, as in Hadoop:
- ``{a,b}`` alternatives are expanded first (they may span ``/``), then each alternative is
  matched component by component; wildcards never cross ``/``.
- ``*`` matches names starting with a dot too (HDFS has no hidden files).
- Results keep the spelling of the pattern (a relative pattern yields relative paths, a
  ``dfs://`` URL yields URLs) and are sorted and de-duplicated.
- A pattern without wildcards is returned as-is when the path exists; a pattern that matches
  nothing returns an empty list (the caller prints ``No such file or directory``).

>>> expand_braces("/a/{b,c{d,e}}/f")
['/a/b/f', '/a/cd/f', '/a/ce/f']
>>> has_glob("/a/b"), has_glob("/a/*.txt"), has_glob(r"/a/\\*")
(False, True, False)
>>> component_regex("part-[0-9]*").fullmatch("part-00001") is not None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_GLOB_CHARS = frozenset("*?[{")


def has_glob(pattern: str) -> bool:
    """True when `pattern` holds an unescaped wildcard or brace."""
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _GLOB_CHARS:
            return True
    return False


def expand_braces(pattern: str) -> list[str]:
    """Expand ``{a,b}`` alternatives (nested allowed) into plain glob patterns, in order (an
    explicit stack: a pattern with thousands of groups, one per level of a deep path, is fine).
    """
    out: list[str] = []
    seen: set[str] = set()
    stack = [pattern]
    while stack:
        current = stack.pop()
        start = _find_brace(current)
        if start < 0:
            if current not in seen:
                seen.add(current)
                out.append(current)
            continue
        end, options = _split_brace(current, start)
        prefix, suffix = current[:start], current[end + 1 :]
        stack.extend(prefix + option + suffix for option in reversed(options))
    return out


def _find_brace(pattern: str) -> int:
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            return i
        i += 1
    return -1


def _split_brace(pattern: str, start: int) -> tuple[int, list[str]]:
    """Return the index of the matching ``}`` and the top-level alternatives inside."""
    depth, i, part_start, parts = 0, start, start + 1, []
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parts.append(pattern[part_start:i])
                return i, parts
        elif ch == "," and depth == 1:
            parts.append(pattern[part_start:i])
            part_start = i + 1
        i += 1
    raise ValueError(f"Illegal file pattern: Unclosed group near index {len(pattern)}")


def component_regex(component: str) -> re.Pattern[str]:
    """Translate one path component (no ``/``, braces already expanded) into a regex."""
    out, i, n = [], 0, len(component)
    while i < n:
        ch = component[i]
        if ch == "\\" and i + 1 < n:
            out.append(re.escape(component[i + 1]))
            i += 2
        elif ch == "*":
            out.append(".*")
            i += 1
        elif ch == "?":
            out.append(".")
            i += 1
        elif ch == "[":
            i = _char_class(component, i, out)
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _char_class(component: str, i: int, out: list[str]) -> int:
    end = component.find("]", i + 2 if component[i + 1 : i + 2] in ("^", "!") else i + 1)
    if end < 0:
        raise ValueError(f"Illegal file pattern: Unclosed character class near {component!r}")
    body = component[i + 1 : end]
    negate = body[:1] in ("^", "!")
    if negate:
        body = body[1:]
    body = body.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[")
    out.append(("[^" if negate else "[") + body + "]")
    return end + 1


def unescape(text: str) -> str:
    r"""Drop glob escapes: ``a\*b`` names the file ``a*b``."""
    return re.sub(r"\\(.)", r"\1", text)


def _split_prefix(pattern: str) -> tuple[str, str]:
    """Split ``dfs://host/a/b`` into (``dfs://host``, ``/a/b``); plain paths have no prefix."""
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", pattern)
    if not m:
        return "", pattern
    return m.group(0), pattern[m.end() :] or "/"


def join(parent: str, name: str) -> str:
    """Child path spelled the way Hadoop prints it (``.`` children are bare names)."""
    if parent in ("", "."):
        return name
    return parent + name if parent.endswith("/") else parent + "/" + name


ListNames = Callable[[str], Iterable[str]]
Exists = Callable[[str], bool]


def glob(pattern: str, list_names: ListNames, exists: Exists) -> list[str]:
    """All existing paths matching `pattern`, sorted.

    `list_names(dir)` returns the child names of a directory (and raises, or returns nothing,
    for a file or a missing path); `exists(path)` says whether a literal path exists.
    """
    results: set[str] = set()
    for alternative in expand_braces(pattern):
        prefix, path = _split_prefix(alternative)
        if not has_glob(path):
            literal = prefix + unescape(path)
            if exists(literal):
                results.add(literal)
            continue
        for match in _walk(prefix, path, list_names, exists):
            results.add(match)
    return sorted(results)


def _walk(prefix: str, path: str, list_names: ListNames, exists: Exists) -> list[str]:
    absolute = path.startswith("/")
    parts = [p for p in path.split("/") if p]
    current = [prefix + "/"] if absolute else [""]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        current = _step(current, part, last, list_names, exists)
        if not current:
            break
    return current


def _step(
    current: list[str], part: str, last: bool, list_names: ListNames, exists: Exists
) -> list[str]:
    nxt: list[str] = []
    if not has_glob(part):
        name = unescape(part)
        for base in current:
            candidate = join(base, name)
            if not last or exists(candidate):
                nxt.append(candidate)
        return nxt
    regex = component_regex(part)
    for base in current:
        try:
            names = list(list_names(base or "."))
        except (OSError, ValueError):
            continue
        nxt.extend(join(base, n) for n in sorted(names) if regex.fullmatch(n))
    return nxt
