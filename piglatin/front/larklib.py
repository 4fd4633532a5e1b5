"""Lark, the parser library, imported without its optional accelerator ``regex``.

Owns: importing `lark` for the front end, and the names of it the front end uses. Only
grammarcache.py imports it, and only to build the LALR tables when its cache has none (a
session parses with lalr.py); tests import Lark from here or directly to compare.
Must not touch: anything Lark does.

Why: when the third-party ``regex`` module is installed (another tool's dependency here), Lark
imports it at start-up, about 10 ms, and uses it only to measure the
width of a pattern that Python's own ``re`` cannot parse (a Unicode category ``\\p{...}``) or
for ``Lark(regex=True)``. The grammar has neither: its terminals are compiled with ``re``
(lexer.py), and the widths of patterns ``re`` parses are read the same way either way. So
while Lark's modules import, ``regex`` reads as absent (a ``None`` entry in ``sys.modules``,
the import system's own "not available"); the entry is removed at once, and any later
``import regex`` (a UDF's) works as usual. A process that imported ``regex`` before is left
as it is.
"""

from __future__ import annotations

import sys

_hidden = "regex" not in sys.modules
if _hidden:
    sys.modules["regex"] = None  # type: ignore[assignment]
try:
    import lark
    from lark import Lark, Token, Transformer, v_args
    from lark.exceptions import (
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedInput,
        UnexpectedToken,
        VisitError,
    )
    from lark.grammar import Rule
    from lark.lexer import TerminalDef
finally:
    if _hidden and sys.modules.get("regex", False) is None:
        del sys.modules["regex"]

__all__ = [
    "Lark",
    "Rule",
    "TerminalDef",
    "Token",
    "Transformer",
    "UnexpectedCharacters",
    "UnexpectedEOF",
    "UnexpectedInput",
    "UnexpectedToken",
    "VisitError",
    "lark",
    "v_args",
]
