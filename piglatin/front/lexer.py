"""Pig Latin's tokens for the LALR parser: Lark's contextual lexing, without a scanner per state.

Owns: `parse_tokens`, which parses a text with the grammar's LALR tables (`lalr.Tables`) by
feeding a `lalr.ParserState` the tokens Lark's contextual lexer would give: in each parser
state only the terminals that state accepts are tried (with the ignored ones and those the
post-lexer always accepts), the first in Lark's terminal order whose pattern matches at the
position wins, and a keyword matched by a word
pattern (IDENT, FUNC_NAME, ...) of the same priority is retyped as Lark's "unless" rule does.
The errors are Lark's (`UnexpectedCharacters`, and `UnexpectedToken` when a terminal of
another state would match there), with the same fields (lalr.py's classes).
Must not touch: the grammar, the trees the parser builds, the wording of syntax errors
(parser.py).

Why not Lark's lexer: it compiles one alternation of all a state's terminals the first time
the parser meets that state, about 3 ms each, and a short script meets 40-50 states — most of a
`pig` command's parse time. Here each terminal's pattern is compiled once per process (about
100 small patterns) and tried in turn, which costs a few microseconds a token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from piglatin.front.lalr import (
    ParserState,
    Tables,
    Terminal,
    Token,
    UnexpectedCharacters,
    UnexpectedToken,
)
from piglatin.model.frozen import frozen_dataclass

__all__ = ["parse_tokens"]


#: a terminal's pattern as a function: the text it matches at a position, or None
Match = Callable[[str, int], "str | None"]


@frozen_dataclass
class _Matcher:
    """One parser state's terminals in the order they are tried: (name, its pattern, the
    keywords it turns into when its text is one of them)."""

    order: tuple[tuple[str, Match, tuple[tuple[str, Match], ...]], ...]
    allowed: frozenset[str]  # what an UnexpectedCharacters says was expected


def _regex_match(pattern: re.Pattern[str]) -> Match:
    def match(text: str, pos: int) -> str | None:
        m = pattern.match(text, pos)
        return None if m is None else m.group(0)

    return match


def _literal_match(t: Terminal) -> Match | None:
    """A keyword or punctuation terminal (``"load"i``, ``";"``) matched without a regex: the
    same answers as its pattern's, which is compiled only for a piece of text that is not
    ASCII (Unicode case folding: ``ſ`` matches ``s``). None for any other terminal."""
    value = t.value
    if t.kind != "str" or not set(t.flags) <= {"i"} or not value.isascii() or not value:
        return None
    if "i" not in t.flags:
        return lambda text, pos: value if text.startswith(value, pos) else None
    size, folded = len(value), value.lower()
    regex = functools.cache(lambda: _regex_match(re.compile(t.regexp)))

    def match(text: str, pos: int) -> str | None:
        piece = text[pos : pos + size]
        if piece.isascii():
            return piece if piece.lower() == folded else None
        return regex()(text, pos)

    return match


def _ordered(terminals: Iterable[Terminal]) -> list[Terminal]:
    """The terminals in the order Lark's lexer tries them (a state tries its own in it)."""
    return sorted(terminals, key=lambda t: (-t.priority, -t.max_width, -len(t.value), t.name))


def keywords_of(terminals: Iterable[Terminal]) -> dict[str, tuple[tuple[str, bool], ...]]:
    """Lark's _create_unless, once for the whole grammar: for each regex terminal, the
    literal terminals of its priority whose whole text it matches, in order, each with
    whether it is then not tried on its own (its flags are among the regex's)."""
    ordered = _ordered(terminals)
    strings = [t for t in ordered if t.kind == "str"]
    found = {}
    for t in ordered:
        if t.kind != "re":
            continue
        match = _regex_match(re.compile(t.regexp))
        found[t.name] = tuple(
            (s.name, set(s.flags) <= set(t.flags))
            for s in strings
            if s.priority == t.priority and match(s.value, 0) == s.value
        )
    return found


class _Terminals:
    """The grammar's terminals, each pattern compiled once, and a matcher per accepted set."""

    def __init__(self, tables: Tables, always_accept: Iterable[str], flags: int = 0) -> None:
        self.tables = tables
        self.flags = flags  # re.ASCII for texts `_plain` says it gives the same answers on
        self.by_name: dict[str, Terminal] = {t.name: t for t in tables.terminals}
        self.ignore = frozenset(tables.ignore)
        self.always = frozenset(always_accept)
        self.compiled: dict[str, re.Pattern[str]] = {}
        self.matches: dict[str, Match] = {}
        self.matchers: dict[frozenset[str], _Matcher] = {}
        self.by_state: dict[int, _Matcher] = {}

    @functools.cached_property
    def root(self) -> _Matcher:
        """Every terminal (for errors only: built when a text first fails to lex)."""
        return self.matcher(frozenset(self.by_name))

    def pattern(self, t: Terminal) -> re.Pattern[str]:
        p = self.compiled.get(t.name)
        if p is None:
            p = self.compiled[t.name] = re.compile(t.regexp, self.flags)
        return p

    def match(self, t: Terminal) -> Match:
        """The terminal's pattern as a `Match` (a literal needs no regex: ~87 of the ~100; a
        regex is compiled when it is first tried)."""
        m = self.matches.get(t.name)
        if m is None:
            m = self.matches[t.name] = _literal_match(t) or self._regex(t)
        return m

    def _regex(self, t: Terminal) -> Match:
        pattern = self.pattern

        def match(text: str, pos: int) -> str | None:
            m = pattern(t).match(text, pos)
            return None if m is None else m.group(0)

        return match

    def matcher(self, accepts: frozenset[str]) -> _Matcher:
        found = self.matchers.get(accepts)
        if found is None:
            found = self.matchers[accepts] = self._build(accepts)
        return found

    @functools.cached_property
    def ordered(self) -> list[Terminal]:
        return _ordered(self.by_name.values())

    @functools.cached_property
    def keywords(self) -> dict[str, tuple[tuple[str, bool], ...]]:
        """`keywords_of` the grammar: kept with the tables (it compiles every regex)."""
        return self.tables.keywords or keywords_of(self.tables.terminals)

    def _build(self, accepts: frozenset[str]) -> _Matcher:
        names = (accepts | self.ignore | self.always) & self.by_name.keys()
        terms = [t for t in self.ordered if t.name in names]
        embedded: set[str] = set()
        unless_of = {}
        for t in terms:
            if t.kind != "re":
                continue
            keywords = [(name, hidden) for name, hidden in self.keywords[t.name] if name in names]
            unless_of[t.name] = tuple((k, self.match(self.by_name[k])) for k, _ in keywords)
            embedded.update(k for k, hidden in keywords if hidden)
        tried = tuple(
            (t.name, self.match(t), unless_of.get(t.name, ()))
            for t in terms
            if t.name not in embedded
        )
        return _Matcher(tried, frozenset(name for name, _, _ in tried))


_TERMINALS: dict[tuple[int, frozenset[str], int], tuple[Tables, _Terminals]] = {}  # tables kept


def _terminals(tables: Tables, always_accept: Iterable[str], plain: bool = True) -> _Terminals:
    """The lexer state of `tables`: for a `_plain` text (the patterns compiled with
    ``re.ASCII``), or any other."""
    flags = re.ASCII if plain else 0
    key = (id(tables), frozenset(always_accept), flags)
    found = _TERMINALS.get(key)
    if found is None:
        found = _TERMINALS[key] = (tables, _Terminals(tables, always_accept, flags))
    return found[1]


def _plain(text: str) -> bool:
    """Whether every pattern gives the same matches on `text` compiled with ``re.ASCII`` as
    without (compiling one is then up to four times cheaper: no Unicode case folding of the
    ``(?i:...)`` terminals): the text is ASCII and has none of the four ASCII characters
    that only Unicode's ``\\s`` matches (the separators U+001C to U+001F). On ASCII text,
    ``\\w``, ``\\d`` and ``\\b`` are the same in both modes, and so is a case-insensitive match
    (the other letters that fold to an ASCII letter, such as U+017F and U+212A, are not
    ASCII)."""
    return text.isascii() and not any(c in text for c in "\x1c\x1d\x1e\x1f")


def parse_tokens(tables: Tables, text: str, start: str, always_accept: Iterable[str] = ()) -> Any:
    """The tree of `text` from the rule `start` (Lark's ``parser.parse(text, start=start)``
    with its contextual lexer; `always_accept`: terminals tried in every state, as a Lark
    post-lexer's ``always_accept``), lexed here (see the module's docstring)."""
    terms = _terminals(tables, always_accept, _plain(text))
    ip = ParserState(tables, start)
    states = tables.states
    pos, line, col = 0, 1, 1
    last: Token | None = None
    end = len(text)
    by_state = terms.by_state
    while pos < end:
        state = ip.position
        matcher = by_state.get(state)
        if matcher is None:
            matcher = by_state[state] = terms.matcher(frozenset(states[state]))
        found = _match(matcher, text, pos)
        if found is None:
            _fail(terms, matcher, text, pos, line, col, last, ip)
        name, value = found
        tok = Token(name, value, pos, line, col)
        newlines = value.count("\n")
        if newlines:
            line += newlines
            col = len(value) - value.rindex("\n")
        else:
            col += len(value)
        pos += len(value)
        tok.end_line, tok.end_column, tok.end_pos = line, col, pos
        if name in terms.ignore:
            continue
        last = tok
        ip.feed_token(tok)
    return ip.feed_eof(last)


def _match(matcher: _Matcher, text: str, pos: int) -> tuple[str, str] | None:
    for name, match, unless in matcher.order:
        value = match(text, pos)
        if value is not None:
            for keyword, keyword_match in unless:
                if keyword_match(value, 0) == value:
                    return keyword, value
            return name, value
    return None


def _fail(
    terms: _Terminals,
    matcher: _Matcher,
    text: str,
    pos: int,
    line: int,
    col: int,
    last: Token | None,
    state: Any,
) -> None:
    """Lark's contextual lexer's error: a token of another state there is an unexpected
    token, anything else unexpected characters."""
    allowed = set(matcher.allowed - terms.ignore) or {"<END-OF-FILE>"}
    history = [last] if last is not None else None
    other = _match(terms.root, text, pos)
    if other is not None and other[0] not in terms.ignore:
        name, value = other
        tok = Token(name, value, pos, line, col)
        raise UnexpectedToken(
            tok, allowed, state=state, token_history=[last], terminals_by_name=terms.by_name
        )
    raise UnexpectedCharacters(
        text,
        pos,
        line,
        col,
        allowed=allowed,
        token_history=history,
        state=state,
        terminals_by_name=terms.by_name,
    )
