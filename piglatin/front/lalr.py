"""Pig Latin's LALR parser at run time, without Lark: the tables Lark computed for the grammar
(kept by grammarcache.py as plain data), a driver that moves through them token by token, and
the parse tree it builds.

Owns: `Tables` (what the parse needs of a `lark.Lark` built with ``parser="lalr"``,
``propagate_positions=True`` and ``maybe_placeholders=True``, as data and back), `ParserState`
(feeding tokens), and the parse tree's `Token`, `Tree` and `Meta`, and the two errors
`UnexpectedToken` and `UnexpectedCharacters`: the same classes, fields, trees and positions as
Lark's own (lark 1.x's ``Token``, ``Tree``, ``ParserState.feed_token``, ``ParseTreeBuilder``
with ``ChildFilterLALR``, ``ExpandSingleChild`` and ``PropagatePositions``).
Must not touch: the grammar and the tables (Lark computes them from grammar.lark when the
cache has none: grammarcache.py), lexing (lexer.py), what the tree means (parser.py).

Why: importing Lark and loading its parser object from the cache cost about 60 ms of every
`pig` command (two fifths of its fixed cost); the tables as plain lists and dicts load in a
few, and a script's parse runs the same steps.
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

__all__ = [
    "Meta",
    "ParserState",
    "Tables",
    "Terminal",
    "Token",
    "Tree",
    "UnexpectedCharacters",
    "UnexpectedInput",
    "UnexpectedToken",
]


class Token(str):
    """A piece of the text with its terminal's name and position (Lark's ``Token``)."""

    __slots__ = (
        "type",
        "start_pos",
        "value",
        "line",
        "column",
        "end_line",
        "end_column",
        "end_pos",
    )
    __match_args__ = ("type", "value")

    def __new__(
        cls,
        type: str,  # noqa: A002 - Lark's own parameter name
        value: Any,
        start_pos: int | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        end_pos: int | None = None,
    ) -> Token:
        inst = super().__new__(cls, value)
        inst.type, inst.start_pos, inst.value = type, start_pos, value
        inst.line, inst.column = line, column
        inst.end_line, inst.end_column, inst.end_pos = end_line, end_column, end_pos
        return inst

    @classmethod
    def new_borrow_pos(cls, type_: str, value: Any, borrow_t: Token) -> Token:
        b = borrow_t
        return cls(type_, value, b.start_pos, b.line, b.column, b.end_line, b.end_column, b.end_pos)

    def __reduce__(self) -> tuple:
        return (self.__class__, (self.type, self.value, self.start_pos, self.line, self.column))

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token) and self.type != other.type:
            return False
        return str.__eq__(self, other)

    __hash__ = str.__hash__


class Meta:
    """A tree's position in the text; ``empty`` until a child gives it one."""

    def __init__(self) -> None:
        self.empty = True


class Tree:
    """A grammar rule's node: its name (or alias), children and position (Lark's ``Tree``)."""

    __slots__ = ("data", "children", "meta")
    __match_args__ = ("data", "children")

    def __init__(self, data: str, children: list, meta: Meta | None = None) -> None:
        self.data, self.children = data, children
        self.meta = Meta() if meta is None else meta

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def __eq__(self, other: object) -> bool:
        try:
            return self.data == other.data and self.children == other.children  # type: ignore[attr-defined]
        except AttributeError:
            return False

    def __hash__(self) -> int:
        return hash((self.data, tuple(self.children)))


# ------------------------------------------------------------------ errors (Lark's fields)
class UnexpectedInput(Exception):  # noqa: N818 - Lark's names, as the tests compare them
    """The text does not parse: `line`, `column`, `pos_in_stream` and the parser `state`."""

    line: int | str
    column: int | str
    pos_in_stream: int | None = None
    state: Any = None


class UnexpectedToken(UnexpectedInput):
    """A token no action of the parser's state takes; `expected` are the terminals it takes."""

    def __init__(
        self,
        token: Token,
        expected: set[str],
        state: Any = None,
        token_history: list | None = None,
        terminals_by_name: dict | None = None,
    ) -> None:
        self.line = getattr(token, "line", "?")
        self.column = getattr(token, "column", "?")
        self.pos_in_stream = getattr(token, "start_pos", None)
        self.token, self.expected, self.state = token, expected, state
        self.token_history = token_history
        self.terminals_by_name = terminals_by_name
        super().__init__(f"Unexpected token {token!r} at line {self.line}, column {self.column}")


class UnexpectedCharacters(UnexpectedInput):
    """No terminal the parser's state takes matches the text at `pos_in_stream`."""

    def __init__(
        self,
        text: str,
        pos: int,
        line: int,
        column: int,
        allowed: set[str] | None = None,
        token_history: list | None = None,
        state: Any = None,
        terminals_by_name: dict | None = None,
    ) -> None:
        self.line, self.column, self.pos_in_stream = line, column, pos
        self.allowed, self.token_history, self.state = allowed, token_history, state
        self.terminals_by_name = terminals_by_name
        self.char = text[pos]
        super().__init__(f"No terminal matches {self.char!r} at line {line}, column {column}")


# ------------------------------------------------------------------ the tables
# The named tuples below are made by NamedTuple's functional form, their field types given as
# objects: a class body's annotations are strings here (``from __future__ import
# annotations``), and NamedTuple compiles each string (typing.ForwardRef), the first compile()
# of a process costing ~10M instructions (the compiler's AST types are set up) that a pig run
# otherwise never pays (dfs/fastclass.py does the same for its two).

#: A terminal as the lexer reads it (Lark's ``TerminalDef`` and its pattern): `kind` is "str"
#: (a literal) or "re", `value` the literal or the regular expression as written, `regexp`
#: the pattern as one regular expression (``to_regexp()``).
Terminal = NamedTuple(  # noqa: UP014 - see above
    "Terminal",
    [
        ("name", str),
        ("kind", str),
        ("value", str),
        ("flags", tuple[str, ...]),
        ("regexp", str),
        ("priority", int),
        ("max_width", int),
    ],
)

#: A grammar rule's reduction: what it pops and the node it makes of the children. `origin`:
#: the nonterminal it reduces to (the goto); `size`: how many values it pops; `name`: the
#: tree's data (the alias, else the rule's name); `expand1`: a ``?rule`` without alias (one
#: child stands for the node); `keep`: (child, inline its children, Nones before) per kept
#: child, or None; `nones_after`: Nones appended (``[optional]`` items at the end).
_Rule = NamedTuple(  # noqa: UP014 - see above
    "_Rule",
    [
        ("origin", str),
        ("size", int),
        ("name", str),
        ("expand1", bool),
        ("keep", tuple[tuple[int, bool, int], ...] | None),
        ("nones_after", int),
    ],
)


_SHIFT, _REDUCE = 0, 1

_TablesFields = NamedTuple(  # noqa: UP014 - see above
    "Tables",
    [
        ("terminals", tuple[Terminal, ...]),
        ("ignore", tuple[str, ...]),
        ("states", dict[int, dict[str, tuple[int, Any]]]),  # state -> symbol -> action
        ("start_states", dict[str, int]),
        ("end_states", dict[str, int]),
        ("keywords", dict[str, tuple[tuple[str, bool], ...]]),
    ],
)
_TablesFields.__new__.__defaults__ = ({},)  # keywords: none computed ahead (never mutated)


class Tables(_TablesFields):
    """Everything a parse needs: the terminals, the LALR table (`states`: state -> symbol ->
    (SHIFT, state) | (REDUCE, rule)) and the rules' tree shapes; `keywords`: the lexer's
    keyword table (`lexer.keywords_of` the terminals), when computed ahead."""

    __slots__ = ()

    @classmethod
    def from_lark(cls, parser: Any) -> Tables:
        """The tables of a ``lark.Lark`` (LALR, positions propagated, placeholders on)."""
        options = parser.options
        if not (options.propagate_positions is True and options.maybe_placeholders):
            raise ValueError("the tables need propagate_positions=True, maybe_placeholders=True")
        table = parser.parser.parser.parser.parse_table
        rules = {rule: i for i, rule in enumerate(parser.rules)}
        specs = [_rule_of(rule, options.keep_all_tokens) for rule in parser.rules]
        states = {
            state: {
                str(symbol): (_SHIFT, arg)
                if action.name == "Shift"
                else (_REDUCE, specs[rules[arg]])
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        }
        terminals = tuple(
            Terminal(
                str(t.name),
                t.pattern.type,
                t.pattern.value,
                tuple(t.pattern.flags),
                t.pattern.to_regexp(),
                t.priority,
                t.pattern.max_width,
            )
            for t in parser.terminals
        )
        return cls(
            terminals,
            tuple(str(name) for name in parser.lexer_conf.ignore),
            states,
            {str(k): v for k, v in table.start_states.items()},
            {str(k): v for k, v in table.end_states.items()},
        )

    def to_data(self) -> dict:
        """Plain lists, dicts, strings, bytes and numbers (for msgpack); `from_data` reverses
        it. Each state's row is two runs of numbers packed as bytes (`_pack_row`: one object
        per state for msgpack to read, not two lists of numbers): its symbols (indices into
        ``symbols``) and their actions (a shift to state s is ``2*s``, a reduction by rule r
        ``2*r + 1``)."""
        rules: dict[_Rule, int] = {}
        symbols: dict[str, int] = {}
        states = {}
        for state, actions in self.states.items():
            keys, codes = [], []
            for symbol, (kind, arg) in actions.items():
                keys.append(symbols.setdefault(symbol, len(symbols)))
                codes.append(2 * rules.setdefault(arg, len(rules)) + 1 if kind else 2 * arg)
            states[state] = _pack_row(keys, codes)
        return {
            "terminals": [list(t) for t in self.terminals],
            "ignore": list(self.ignore),
            "rules": [
                [*r[:4], None if r.keep is None else [list(k) for k in r.keep], r[5]] for r in rules
            ],
            "symbols": list(symbols),
            "states": states,
            "start_states": self.start_states,
            "end_states": self.end_states,
            "keywords": {k: [list(x) for x in v] for k, v in self.keywords.items()},
        }

    @classmethod
    def from_data(cls, data: dict) -> Tables:
        """The tables `to_data` wrote; a state's row is made when the parse first meets it."""
        rules = [
            _Rule(o, s, n, e, None if k is None else tuple(tuple(x) for x in k), a)
            for o, s, n, e, k, a in data["rules"]
        ]
        rows = {int(state): row for state, row in data["states"].items()}
        terminals = tuple(
            Terminal(n, k, v, tuple(f), r, p, w) for n, k, v, f, r, p, w in data["terminals"]
        )
        return cls(
            terminals,
            tuple(data["ignore"]),
            _States(rows, data["symbols"], rules),
            dict(data["start_states"]),
            dict(data["end_states"]),
            {k: tuple((n, bool(h)) for n, h in v) for k, v in data["keywords"].items()},
        )


def _pack_row(keys: list[int], codes: list[int]) -> bytes:
    """A state's symbols and actions as unsigned 32-bit little-endian numbers, keys first."""
    return struct.pack(f"<{2 * len(keys)}I", *keys, *codes)


def _unpack_row(row: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    numbers = struct.unpack(f"<{len(row) // 4}I", row)
    half = len(numbers) // 2
    return numbers[:half], numbers[half:]


class _States(dict):
    """state -> {symbol: action}, each row built from its numbers when first read (a script
    meets a few dozen of the ~550 states)."""

    def __init__(self, rows: dict[int, list], symbols: list[str], rules: list[_Rule]) -> None:
        super().__init__()
        self._rows, self._symbols, self._rules = rows, symbols, rules

    def __missing__(self, state: int) -> dict[str, tuple[int, Any]]:
        keys, codes = _unpack_row(self._rows[state])  # KeyError: no such state
        symbols, rules = self._symbols, self._rules
        row = {
            symbols[k]: (_REDUCE, rules[c >> 1]) if c & 1 else (_SHIFT, c >> 1)
            for k, c in zip(keys, codes)
        }
        self[state] = row
        return row

    def _all(self) -> None:
        for state in self._rows:
            self[state]  # noqa: B018 - builds the row

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, state: object) -> bool:
        return state in self._rows

    def get(self, state: Any, default: Any = None) -> Any:
        return self[state] if state in self._rows else default

    def items(self):
        self._all()
        return super().items()

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()


def _rule_of(rule: Any, keep_all_tokens: bool) -> _Rule:
    """Lark's ParseTreeBuilder for one rule (`maybe_create_child_filter`, LALR)."""
    options = rule.options
    expansion = rule.expansion
    empty = options.empty_indices
    if empty:
        ones = "".join(str(int(b)) for b in empty).split("0")
        nones = [len(run) for run in ones]
    else:
        nones = [0] * (len(expansion) + 1)
    keep, pending = [], 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        if keep_all_tokens or options.keep_all_tokens or not (sym.is_term and sym.filter_out):
            keep.append((i, not sym.is_term and sym.name.startswith("_"), pending))
            pending = 0
    pending += nones[len(expansion)]
    filtered = bool(empty) or len(keep) < len(expansion) or any(x for _, x, _ in keep)
    name = rule.alias or options.template_source or rule.origin.name
    return _Rule(
        str(rule.origin.name),
        len(expansion),
        str(name),
        bool(options.expand1 and not rule.alias),
        tuple(keep) if filtered else None,
        pending if filtered else 0,
    )


# ------------------------------------------------------------------ the driver
class ParserState:
    """One parse from a start symbol: its stacks, fed a token at a time (Lark's
    ``ParserState.feed_token``, its callbacks being the tree builder)."""

    __slots__ = ("tables", "start", "state_stack", "value_stack")

    def __init__(self, tables: Tables, start: str) -> None:
        self.tables, self.start = tables, start
        self.state_stack = [tables.start_states[start]]
        self.value_stack: list = []

    @property
    def position(self) -> int:
        return self.state_stack[-1]

    def accepts_here(self) -> dict[str, tuple[int, Any]]:
        """The actions of the current state (symbol -> action)."""
        return self.tables.states[self.state_stack[-1]]

    def feed_token(self, token: Token, is_end: bool = False) -> Any:
        states = self.tables.states
        end_state = self.tables.end_states[self.start]
        state_stack, value_stack = self.state_stack, self.value_stack
        while True:
            actions = states[state_stack[-1]]
            try:
                kind, arg = actions[token.type]
            except KeyError:
                expected = {s for s in actions if s.isupper()}
                raise UnexpectedToken(token, expected, state=self) from None
            if kind == _SHIFT:
                state_stack.append(arg)
                value_stack.append(token)
                return None
            size = arg.size
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = _build(arg, children)
            _, new_state = states[state_stack[-1]][arg.origin]
            state_stack.append(new_state)
            value_stack.append(value)
            if is_end and new_state == end_state:
                return value

    def feed_eof(self, last: Token | None) -> Any:
        """Feed ``$END`` (positioned at the last token, as Lark's ``feed_eof``): the tree."""
        eof = (
            Token.new_borrow_pos("$END", "", last)
            if last is not None
            else Token("$END", "", 0, 1, 1)
        )
        return self.feed_token(eof, True)


def _build(rule: _Rule, children: list) -> Any:
    """The node for `rule` over its popped `children`: Lark's PropagatePositions over its
    ChildFilterLALR over its ExpandSingleChild over ``Tree``."""
    kept = children
    if rule.keep is not None:
        kept = []
        for i, inline, nones in rule.keep:
            if nones:
                kept += [None] * nones
            if inline:
                if kept:
                    kept += children[i].children
                else:
                    kept = children[i].children
            else:
                kept.append(children[i])
        if rule.nones_after:
            kept += [None] * rule.nones_after
    node = kept[0] if rule.expand1 and len(kept) == 1 else Tree(rule.name, kept)
    if type(node) is Tree:
        _propagate(node.meta, children)
    return node


def _first_meta(children: Any) -> Any:
    for c in children:
        if type(c) is Tree:
            if not c.meta.empty:
                return c.meta
        elif isinstance(c, Token):
            return c
    return None


def _propagate(meta: Meta, children: list) -> None:
    """PropagatePositions: a node starts where its first positioned child's container starts
    and ends where its last one's ends (containers: nodes inlined into it)."""
    first = _first_meta(children)
    if first is not None:
        line = getattr(first, "container_line", first.line)
        column = getattr(first, "container_column", first.column)
        start_pos = getattr(first, "container_start_pos", first.start_pos)
        if not hasattr(meta, "line"):
            meta.line, meta.column, meta.start_pos = line, column, start_pos
            meta.empty = False
        meta.container_line, meta.container_column = line, column
        meta.container_start_pos = start_pos
    last = _first_meta(reversed(children))
    if last is not None:
        end_line = getattr(last, "container_end_line", last.end_line)
        end_column = getattr(last, "container_end_column", last.end_column)
        end_pos = getattr(last, "container_end_pos", last.end_pos)
        if not hasattr(meta, "end_line"):
            meta.end_line, meta.end_column, meta.end_pos = end_line, end_column, end_pos
            meta.empty = False
        meta.container_end_line, meta.container_end_column = end_line, end_column
        meta.container_end_pos = end_pos
