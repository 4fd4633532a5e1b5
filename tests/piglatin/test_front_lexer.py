"""`front.lexer.parse_tokens` gives exactly what Lark's own contextual lexer gives: the same
tree (tokens with their types, values and positions), or the same error (its class, position,
token and expected set, and parser state), on every conformance script and PigMix script, on
mistakes, and on random soups of the grammar's own words (hypothesis)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark, Token, Tree

from piglatin.front.grammarcache import cached_lark
from piglatin.front.lexer import parse_tokens
from piglatin.front.parser import _GRAMMAR, _IdentEverywhere, _lark  # noqa: PLC2701 - under test

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


def outcome(fn, text: str):
    """The tree with every token's position, or the error's fields."""
    try:
        tree = fn(text)
    except Exception as e:  # noqa: BLE001 - the error itself is what is compared
        token = getattr(e, "token", None)
        return (
            "error",
            type(e).__name__,
            getattr(e, "line", None),
            getattr(e, "column", None),
            getattr(e, "pos_in_stream", None),
            None if token is None else (token.type, str(token)),
            sorted(getattr(e, "expected", None) or getattr(e, "allowed", None) or ()),
            getattr(getattr(e, "state", None), "position", None),
        )
    return ("tree", _flat(tree))


def _flat(node):
    if isinstance(node, Token):
        return (
            node.type,
            str(node),
            node.start_pos,
            node.line,
            node.column,
            node.end_line,
            node.end_column,
            node.end_pos,
        )
    if isinstance(node, Tree):
        return (node.data, tuple(_flat(c) for c in node.children))
    return node


@functools.cache
def _contextual() -> Lark:
    """The same grammar with Lark's own contextual lexer (the session's parser is built with
    the basic one, which it never runs)."""
    options = dict(_lark().options.options)
    options.update(lexer="contextual", postlex=None)
    for unused in ("edit_terminals", "tree_class", "lexer_callbacks"):
        options.pop(unused, None)
    return cached_lark(
        _GRAMMAR.read_text(),
        postlex=_IdentEverywhere(),
        **{k: options[k] for k in CHOSEN},
    )


CHOSEN = ("parser", "lexer", "propagate_positions", "maybe_placeholders", "start")


def lark_own(text: str):
    return _contextual().parse(text, start="start")


def ours(text: str):
    return parse_tokens(_contextual(), text, "start")


def _canonical(parser: Lark) -> dict:
    """The LALR table with its states numbered in breadth-first order from each start state
    (Lark numbers them differently in every build)."""
    table = parser.parser.parser.parser.parse_table
    out = {}
    for start, first in sorted(table.start_states.items()):
        order, queue = {first: 0}, [first]
        for state in queue:
            for _, (action, arg) in sorted(table.states[state].items()):
                if action.name == "Shift" and arg not in order:
                    order[arg] = len(order)
                    queue.append(arg)
        out[start] = [
            {
                tok: (action.name, order[arg] if action.name == "Shift" else str(arg))
                for tok, (action, arg) in sorted(table.states[state].items())
            }
            for state in queue
        ]
    return out


def test_the_sessions_parser_has_the_contextual_parsers_tables_and_terminals() -> None:
    """parse_tokens reads only the table, the terminals and the ignored names: with these
    equal, what it gives with the session's parser is what it gives with the contextual one
    (compared with Lark's own lexer below)."""
    session, contextual = _lark(), _contextual()
    assert session.options.lexer == "basic" and contextual.options.lexer == "contextual"
    assert _canonical(session) == _canonical(contextual)
    assert [(t.name, t.pattern, t.priority) for t in session.terminals] == [
        (t.name, t.pattern, t.priority) for t in contextual.terminals
    ]
    assert session.lexer_conf.ignore == contextual.lexer_conf.ignore
    assert session.options.postlex.always_accept == contextual.options.postlex.always_accept


@pytest.mark.parametrize(("name", "text"), _scripts()[::7])
def test_the_sessions_parser_gives_the_same_trees(name: str, text: str) -> None:
    assert outcome(lambda t: parse_tokens(_lark(), t, "start"), text)[:1] == outcome(ours, text)[:1]
    if outcome(ours, text)[0] == "tree":
        assert outcome(lambda t: parse_tokens(_lark(), t, "start"), text) == outcome(ours, text)


@pytest.mark.parametrize(
    ("name", "text"), _scripts() + [(f"mistake{i}", t) for i, t in enumerate(MISTAKES)]
)
def test_same_tree_or_error_as_larks_lexer(name: str, text: str) -> None:
    assert outcome(ours, text) == outcome(lark_own, text)


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
    assert outcome(ours, text) == outcome(lark_own, text)


def test_keywords_and_punctuation_are_matched_without_compiling_a_regex() -> None:
    """Compiling a pattern costs ~50 us and 87 of the grammar's ~100 terminals are literals:
    only the others are compiled (by a process that lexes ASCII text)."""
    from piglatin.front.lexer import _terminals  # noqa: PLC2701 - the state under test

    for _, text in _scripts()[:40]:
        outcome(lambda t: parse_tokens(_lark(), t, "start"), text)  # some are mistakes
    terms = _terminals(_lark())
    compiled = {terms.by_name[name].pattern.type for name in terms.compiled}
    assert compiled == {"re"}
    assert len(terms.matches) > 50
