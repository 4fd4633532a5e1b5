"""The text of Pig macros as the expander reads it: tokens and statements, and the checks
Pig makes on a macro's fragment.

Owns: `tokens` (comments and blanks, quoted strings, back-quoted commands, `$names`, words,
numbers, other characters, with line and column), `statements` (up to a ';' outside braces and
parentheses, or a macro definition's closing '}'), `words`, `is_definition`; what a fragment
assigns (`defined_aliases`, `assigned_returns`: Pig's PigMacro.validate) and Pig's AliasMasker
check (`schema_alias_clash`: a schema field named like an alias used before it).
Must not touch: the macro table or expansion (`macros`), parameter substitution, parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dfs.fastclass import dataclass

__all__ = [
    "Tok", "assigned_returns", "defined_aliases", "is_definition", "schema_alias_clash",
    "statements", "tokens", "words",
]  # fmt: skip

# a script's tokens: comments and blanks, quoted strings, back-quoted commands, $names,
# words (aliases, keywords, A::b), numbers, and any other single character; compiled when
# `tokens` first runs (re's cache keeps it): most scripts define no macro
_TOKEN = (
    r"(?P<ws>(?:\s+|--[^\n]*|/\*.*?\*/)+)"
    r"|(?P<str>'(?:\\.|[^'\\\n])*')"
    r"|(?P<tick>`[^`]*`)"
    r"|(?P<dollar>\$[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?[lLfF]?)"
    r"|(?P<other>.)"
)


@dataclass(slots=True)
class Tok:
    """One token: its kind (ws, str, tick, dollar, word, num or other), text and position."""

    kind: str
    text: str
    line: int
    column: int


def tokens(text: str) -> list[Tok]:
    """The tokens of `text`, with 1-based lines and columns."""
    out: list[Tok] = []
    line, start = 1, 0
    for m in re.finditer(_TOKEN, text, re.S):
        kind = m.lastgroup or "other"
        out.append(Tok(kind, m.group(0), line, m.start() - start + 1))
        newlines = m.group(0).count("\n")
        if newlines:
            line += newlines
            start = m.start() + m.group(0).rfind("\n") + 1
    return out


def statements(toks: list[Tok]) -> Iterable[tuple[int, int]]:
    """(start, end) token ranges of the statements: up to a ';' outside braces and
    parentheses, or to the '}' closing a macro definition's body."""
    depth = 0
    start = 0
    for i, t in enumerate(toks):
        if t.kind != "other":
            continue
        if t.text in "({":
            depth += 1
        elif t.text in ")}":
            depth -= 1
            if depth == 0 and t.text == "}" and is_definition(toks[start:i]):
                j = _skip_ws(toks, i + 1)
                end = j + 1 if j < len(toks) and toks[j].text == ";" else i + 1
                yield start, end
                start = end
        elif t.text == ";" and depth == 0:
            yield start, i + 1
            start = i + 1
    if start < len(toks):
        yield start, len(toks)


def _skip_ws(toks: list[Tok], i: int) -> int:
    while i < len(toks) and toks[i].kind == "ws":
        i += 1
    return i


def words(toks: list[Tok]) -> list[Tok]:
    """The tokens that are not blanks or comments."""
    return [t for t in toks if t.kind != "ws"]


def is_definition(toks: list[Tok]) -> bool:
    """Is the statement a macro definition, DEFINE name(...)?"""
    w = words(toks)
    return (
        len(w) >= 3
        and w[0].kind == "word"
        and w[0].text.lower() == "define"
        and w[1].kind == "word"
        and w[2].text == "("
    )


def assigned_returns(body: list[Tok]) -> set[str]:
    """The `$names` a fragment assigns, as Pig's PigMacro.validate finds them: `$x =` (not
    `==`), `$x, $y, ... =`, `$x IF` / `$x OTHERWISE` (SPLIT), `DEFINE $x`."""
    w = words(body)
    names: set[str] = set()
    for k, t in enumerate(w):
        if t.kind != "dollar":
            continue
        nxt = w[k + 1] if k + 1 < len(w) else None
        before = w[k - 1].text.lower() if k > 0 and w[k - 1].kind == "word" else ""
        after = nxt.text.lower() if nxt is not None and nxt.kind == "word" else ""
        if before == "define" or after in ("if", "otherwise"):
            names.add(t.text[1:])
        elif nxt is not None and nxt.text in ("=", ","):
            run, j = [t.text[1:]], k + 1
            while j + 1 < len(w) and w[j].text == "," and w[j + 1].kind == "dollar":
                run.append(w[j + 1].text[1:])
                j += 2
            after = w[j + 1].text if j + 1 < len(w) else ""
            if j < len(w) and w[j].text == "=" and after != "=":
                names.update(run)
    return names


def defined_aliases(body: list[Tok]) -> set[str]:
    """The aliases a fragment assigns: `X = ...`, `X, Y = macro(...)`, SPLIT ... INTO X IF."""
    names: set[str] = set()
    for start, end in statements(body):
        w = words(body[start:end])
        i = 0
        while i + 1 < len(w) and w[i].kind == "word" and w[i + 1].text in (",", "="):
            names.add(w[i].text)
            if w[i + 1].text == "=":
                break
            i += 2
        if w and w[0].kind == "word" and w[0].text.lower() == "split":
            into = next((k for k, t in enumerate(w) if t.text.lower() == "into"), None)
            if into is not None:
                depth = 0
                expect = True
                for t in w[into + 1 :]:
                    if t.text == "(":
                        depth += 1
                    elif t.text == ")":
                        depth -= 1
                    elif t.text == "," and depth == 0:
                        expect = True
                        continue
                    if expect and t.kind == "word":
                        names.add(t.text)
                    expect = False
    return {n for n in names if not n.startswith("$")}


_TYPE_WORDS = frozenset(
    ["int", "long", "float", "double", "chararray", "bytearray", "boolean", "datetime"]
    + ["biginteger", "bigdecimal", "tuple", "bag", "map"]
)
_ONE_INPUT = frozenset(
    ["filter", "foreach", "order", "distinct", "limit", "sample", "store", "stream"]
    + ["rank", "cube", "assert"]
)
_INPUT_LISTS = frozenset(["group", "cogroup", "join", "cross", "union", "split"])


def schema_alias_clash(toks: list[Tok]) -> str | None:
    """The first schema field name (after an AS) that names an alias used before it in the
    fragment, in the order Pig's AliasMasker walks it: a statement's assigned aliases, then
    its input relations, then its schemas (AliasMasker.g, field_def in an AS or GENERATE)."""
    seen: set[str] = set()
    for start, end in statements(toks):
        w = words(toks[start:end])
        i = 0
        while i + 1 < len(w) and w[i].kind == "word" and w[i + 1].text in (",", "="):
            seen.add(w[i].text)
            i += 2
            if w[i - 1].text == "=":
                break
        body = w[i:]
        if not body or body[0].kind != "word":
            continue
        seen |= _input_relations(body)
        for field in _schema_fields(body):
            if field in seen:
                return field
    return None


def _input_relations(body: list[Tok]) -> set[str]:
    """The relations a statement's operator reads: the word after its keyword, and for
    GROUP, COGROUP, JOIN, CROSS and UNION the word after each comma outside parentheses;
    SPLIT's targets (after INTO and each such comma) too."""
    kw = body[0].text.lower()
    names: set[str] = set()
    if kw not in _ONE_INPUT and kw not in _INPUT_LISTS:
        return names
    expect, depth = True, 0
    for t in body[1:]:
        low = t.text.lower()
        if expect and t.kind == "word" and low != "onschema":
            names.add(t.text)
        if t.text in ("(", "{", "["):
            depth += 1
        elif t.text in (")", "}", "]"):
            depth -= 1
        starts = (t.text == "," and depth == 0 and kw in _INPUT_LISTS) or (
            kw == "split" and low == "into"
        )
        expect = starts or (expect and low == "onschema")
    return names


def _schema_fields(body: list[Tok]) -> list[str]:
    """The field names declared after each AS of a statement, nested tuple fields included
    (a bag's tuple name `{T:(...)}` is not a field, as in Pig's grammar)."""
    out: list[str] = []
    for k, t in enumerate(body):
        if t.kind != "word" or t.text.lower() != "as" or k + 1 >= len(body):
            continue
        j = k + 1
        if body[j].kind == "word" and body[j].text.lower() not in _TYPE_WORDS:
            out.append(body[j].text)  # AS name[:type]
            j += 1
            if j < len(body) and body[j].text == ":":
                j += 1
                if j < len(body) and body[j].text.lower() in _TYPE_WORDS:
                    j += 1
        if j < len(body) and body[j].text in ("(", "{", "["):
            out += _group_fields(body, j)
    return out


def _group_fields(body: list[Tok], start: int) -> list[str]:
    """The field names in the balanced (...), {...} or [...] at `start`: a name follows
    '(' or ',' and comes before ':', ',' or ')'."""
    out: list[str] = []
    depth = 0
    for j in range(start, len(body)):
        tok = body[j]
        if tok.text in ("(", "{", "["):
            depth += 1
        elif tok.text in (")", "}", "]"):
            depth -= 1
            if depth == 0:
                break
        elif tok.kind == "word" and tok.text.lower() not in _TYPE_WORDS:
            after = body[j + 1].text if j + 1 < len(body) else ""
            if body[j - 1].text in ("(", ",") and after in (":", ",", ")"):
                out.append(tok.text)
    return out
