"""`front.lexer.parse_tokens` over the session's cached tables (front/lalr.py's driver and tree
builder, no Lark) gives exactly what Lark's own LALR parser with its contextual lexer gives: the
same tree (tokens with their types, values and positions, trees with their positions), or the
same error (its class, position, token and expected set, and parser state), on every
conformance script and PigMix script, on mistakes, and on random soups of the grammar's own
words (hypothesis)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from piglatin.front.lalr import Tables
from piglatin.front.lexer import parse_tokens
from piglatin.front.parser import (  # noqa: PLC2701 - under test
    _ALWAYS_ACCEPT,
    _GRAMMAR,
    LARK_OPTIONS,
    _IdentEverywhere,
    _tables,
)

ROOT = Path(__file__).resolve().parents[2]


def _scripts() -> list[tuple[str, str]]:
    out = []
    for case in sorted((ROOT / "tests/piglatin/conformance/cases").glob("*.case")):
        m = re.search(r"#== script\n(.*?)(?=\n#== |\Z)", case.read_text(), re.S)
        if m:
            out.append((case.name, m.group(1)))
    for pig in sorted((ROOT / "scripts/pigmix").glob("*.pig")):
        out.append((pig.name, pig.read_text()))
    return out


MISTAKES = [
    "",
    "  \n-- only a comment\n",
    "A = LOAD 'x' AS (a:int);\nB = FOREACH A GENERATE a # ;",
    'A = LOAD "x";',
    "A = LOAD 'x'",
    "A = FILTER B BY x = 1;",
    "A = LOAD 'x' AS (a:int); B = GROUP A;",
    "fs -ls /tmp; sh echo hi;\nA = LOAD 'x';\n/* a\n block */ DUMP A;",
    "A = LOAD 'x' AS (a:int);\nB = FOREACH A GENERATE a, 'unterminated;",
    "B = FOREACH A GENERATE x > 1;",
    "loadd = LOAD 'x'; Foreach = FOREACH loadd GENERATE $0;",
    "A = LOAD 'x' AS (m:map[]); B = FOREACH A GENERATE m#'k', [ 'a', 1 ], (1, 2L), 1.5e3f;",
    "A = LOAD 'x' USING org.apache.pig.builtin.PigStorage(',') AS (a: chararray);\n\tDUMP A;",
    "A = LOAD 'x';\nB = ORDER A BY $0 DESC PARALLEL 3;\nC = LIMIT B 10;\nSTORE C INTO 'o';\n%",
    # keywords under Unicode case folding (the regex's rule: U+017F folds to s, U+212A to k)
    "A = LOAD 'x';\nB = DI\u017fTINCT A;\n\u017ftore B INTO 'o';",
    "A = LOAD 'x' AS (\u212a:int, m:MAP[]);\nB = LIMIT A 1;\nDUMP B;",
]


def outcome(fn, text: str, numbering: dict[int, int] | None = None):
    """The tree with every token's position, or the error's fields (its parser state by
    `numbering`, the same for every build of the grammar's tables)."""
    try:
        tree = fn(text)
    except Exception as e:  # noqa: BLE001 - the error itself is what is compared
        token = getattr(e, "token", None)
        state = getattr(getattr(e, "state", None), "position", None)
        return (
            "error",
            type(e).__name__,
            getattr(e, "line", None),
            getattr(e, "column", None),
            getattr(e, "pos_in_stream", None),
            None if token is None else (token.type, str(token)),
            sorted(getattr(e, "expected", None) or getattr(e, "allowed", None) or ()),
            state if numbering is None or state is None else numbering[state],
        )
    return ("tree", _flat(tree))


def _numbering(states: dict, start_states: dict[str, int], shifts) -> dict[int, int]:
    """Each state's number in breadth-first order from the start states (sorted by name)
    over shift actions (`shifts(action)`: the target state, or None)."""
    order: dict[int, int] = {}
    for _, first in sorted(start_states.items()):
        if first in order:
            continue
        order[first] = len(order)
        queue = [first]
        for state in queue:
            for _, action in sorted(states[state].items(), key=lambda kv: kv[0]):
                target = shifts(action)
                if target is not None and target not in order:
                    order[target] = len(order)
                    queue.append(target)
    return order


@functools.cache
def _session_numbering() -> dict[int, int]:
    t = _tables()
    return _numbering(t.states, t.start_states, lambda a: a[1] if a[0] == 0 else None)


@functools.cache
def _lark_numbering() -> dict[int, int]:
    t = _contextual().parser.parser.parser.parse_table
    return _numbering(t.states, t.start_states, lambda a: a[1] if a[0].name == "Shift" else None)


def _flat(node):
    """A token or tree (Lark's or lalr.py's) as plain values, positions included."""
    if isinstance(node, str) and hasattr(node, "type"):
        return (
            "token",
            node.type,
            str(node),
            node.start_pos,
            node.line,
            node.column,
            node.end_line,
            node.end_column,
            node.end_pos,
        )
    if hasattr(node, "data"):
        meta = node.meta
        where = [getattr(meta, k, None) for k in ("line", "column", "start_pos", "end_line")]
        where += [getattr(meta, k, None) for k in ("end_column", "end_pos", "empty")]
        return (node.data, tuple(where), tuple(_flat(c) for c in node.children))
    return node


@functools.cache
def _contextual() -> Lark:
    """The grammar with Lark's own contextual lexer."""
    options = dict(LARK_OPTIONS, lexer="contextual")
    return Lark(_GRAMMAR.read_text(), postlex=_IdentEverywhere(), **options)


def lark_own(text: str):
    return _contextual().parse(text, start="start")


def ours(text: str):
    return parse_tokens(_tables(), text, "start", _ALWAYS_ACCEPT)


def _canonical(tables: Tables) -> dict:
    """The LALR table with its states numbered in breadth-first order from each start state
    (Lark numbers them differently in every build)."""
    out = {}
    for start, first in sorted(tables.start_states.items()):
        order, queue = {first: 0}, [first]
        for state in queue:
            for _, (kind, arg) in sorted(tables.states[state].items()):
                if kind == 0 and arg not in order:
                    order[arg] = len(order)
                    queue.append(arg)
        out[start] = [
            {
                tok: (kind, order[arg] if kind == 0 else arg)
                for tok, (kind, arg) in sorted(tables.states[state].items())
            }
            for state in queue
        ]
        out[start + " end"] = order[tables.end_states[start]]
    return out


def test_the_cached_tables_are_the_contextual_parsers() -> None:
    """The session's tables (loaded from the cache, built by a Lark with the basic lexer)
    are what a Lark with the contextual lexer has: the same table, terminals and ignores."""
    session, fresh = _tables(), Tables.from_lark(_contextual())
    assert _canonical(session) == _canonical(fresh)
    assert session.terminals == fresh.terminals
    assert session.ignore == fresh.ignore
    assert _contextual().options.postlex.always_accept == _ALWAYS_ACCEPT


@pytest.mark.parametrize(("name", "text"), _scripts()[::7])
def test_fresh_tables_give_the_same_trees(name: str, text: str) -> None:
    fresh = Tables.from_lark(_contextual())
    mine = outcome(lambda t: parse_tokens(fresh, t, "start", _ALWAYS_ACCEPT), text)
    assert mine[:7] == outcome(ours, text)[:7]  # an error's state: numbered per build


@pytest.mark.parametrize(
    ("name", "text"), _scripts() + [(f"mistake{i}", t) for i, t in enumerate(MISTAKES)]
)
def test_same_tree_or_error_as_larks_lexer(name: str, text: str) -> None:
    assert outcome(ours, text, _session_numbering()) == outcome(lark_own, text, _lark_numbering())


WORDS = [
    "A",
    "B",
    "=",
    "LOAD",
    "load",
    "'x'",
    "AS",
    "(",
    ")",
    "a",
    ":",
    "int",
    "chararray",
    "map",
    "[",
    "]",
    "{",
    "}",
    "bag",
    "tuple",
    ",",
    ";",
    "FOREACH",
    "GENERATE",
    "FILTER",
    "BY",
    "GROUP",
    "ALL",
    "JOIN",
    "LEFT",
    "OUTER",
    "USING",
    "'replicated'",
    "ORDER",
    "DESC",
    "DISTINCT",
    "LIMIT",
    "10",
    "1L",
    "2.5",
    "3.0e2f",
    "$0",
    "#",
    ".",
    "::",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "AND",
    "or",
    "not",
    "IS",
    "NULL",
    "MATCHES",
    "?",
    "COUNT",
    "SUM",
    "org.apache.pig.builtin.COUNT",
    "fs",
    "-ls",
    "/tmp/p",
    "sh",
    "DUMP",
    "STORE",
    "INTO",
    "DESCRIBE",
    "EXPLAIN",
    "SET",
    "default_parallel",
    "--c\n",
    "/*c*/",
    "\n",
    "\t",
    '"',
    "'",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "SPLIT",
    "IF",
    "OTHERWISE",
    "RANK",
    "CUBE",
    "x_y1",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([" ", "", "\n"]))
def test_random_word_soups_give_the_same_tree_or_error(words: list[str], sep: str) -> None:
    text = sep.join(words)
    assert outcome(ours, text, _session_numbering()) == outcome(lark_own, text, _lark_numbering())


def test_keywords_and_punctuation_are_matched_without_compiling_a_regex() -> None:
    """Compiling a pattern costs ~50 us and 87 of the grammar's ~100 terminals are literals:
    only the others are compiled (by a process that lexes ASCII text)."""
    from piglatin.front.lexer import _terminals  # noqa: PLC2701 - the state under test

    for _, text in _scripts()[:40]:
        outcome(ours, text)  # some are mistakes
    terms = _terminals(_tables(), _ALWAYS_ACCEPT)
    compiled = {terms.by_name[name].kind for name in terms.compiled}
    assert compiled == {"re"}
    assert len(terms.matches) > 50


def test_the_cached_keyword_table_is_the_lexers_own() -> None:
    """The keyword table kept with the tables is what the lexer computes from the terminals
    (compiling every regex terminal): a warm command does not compute it."""
    from piglatin.front.lexer import keywords_of

    tables = _tables()
    assert tables.keywords and tables.keywords == keywords_of(tables.terminals)


def test_a_script_compiles_only_the_patterns_it_tries() -> None:
    from piglatin.front.lexer import _terminals  # noqa: PLC2701 - the state under test

    tables = _tables()._replace()  # a new object: its own lexer state
    text = "A = LOAD 'x' AS (a:int);\nSTORE A INTO 'o';\n"
    assert outcome(lambda t: parse_tokens(tables, t, "start", _ALWAYS_ACCEPT), text) == outcome(
        ours, text
    )
    regexes = {t.name for t in tables.terminals if t.kind == "re"}
    compiled = set(_terminals(tables, _ALWAYS_ACCEPT).compiled)
    assert compiled < regexes and len(compiled) <= len(regexes) // 2
