"""`LazyRegex`: a module's regular expression compiled when it is first used, not when the
module is imported.

Owns: `LazyRegex`. Must not touch: what any pattern is or matches (its module owns that). It
lives in dfs, the bottom package, so every package's modules can use it.

Why: ``re.compile`` costs 20-300 us a pattern (the parser and compiler of the ``re`` package
are Python); the modules a `pig` or `hadoop` command imports define some 60 patterns at their
top level, and a command uses a few of them (a date pattern is needed by a script reading
dates, an error message's pattern only when that error happens).

>>> digits = LazyRegex(r"[0-9]+")
>>> digits.fullmatch("42") is not None, digits.sub("#", "a1b22")
(True, 'a#b#')
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["LazyRegex"]

# the compiled pattern's methods that become the object's own attributes once it is compiled
_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyRegex:
    """``re.compile(pattern, flags)``, compiled at the first use of any of its attributes.
    From then on `match`, `fullmatch`, `search`, `sub`, `subn`, `split`, `findall` and
    `finditer` are the compiled pattern's own bound methods (no cost added to a call); any
    other attribute (``pattern``, ``groupindex``, ...) is read from the compiled pattern."""

    __slots__ = ("_source", "_flags", "_compiled", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        """Only for an attribute not set yet (a method before the first use, or one of the
        compiled pattern's other attributes)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._pattern(), name)

    def _pattern(self) -> re.Pattern[str]:
        try:
            return self._compiled
        except AttributeError:  # the first use (two threads may both compile: same result)
            compiled = re.compile(self._source, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
            self._compiled = compiled
            return compiled

    def __repr__(self) -> str:
        return f"LazyRegex({self._source!r}, {self._flags!r})"
