"""Pig Latin text -> `ast.Script` (Lark LALR + a Transformer), and back (`pretty`).

Owns: loading grammar.lark once, turning the parse tree into ast.py nodes with
line/column, friendly syntax errors (`ParseError` with file:line:column), parsing
schema text, and printing a tree back as Pig Latin.
Must not touch: parameter substitution (preprocess.py), schemas propagation or plans.

>>> parse("A = LOAD 'x' AS (a:int);").statements[0].op.schema.describe()
'{a: int}'
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from dfs.lazyre import LazyRegex
from piglatin.errors import ParseError, PigError, SchemaError, suggest
from piglatin.front import ast as A
from piglatin.front.grammarcache import cached_tables
from piglatin.front.lalr import (
    Tables,
    Token,
    Tree,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
)
from piglatin.front.lexer import parse_tokens
from piglatin.model.schema import DataType, FieldSchema, Schema

_GRAMMAR = Path(__file__).with_name("grammar.lark")


class _IdentEverywhere:
    """A no-op post-lexer (for a `lark.Lark` of this grammar, as the tests build) whose only
    job is `always_accept`: IDENT is tried in every parser state, so `loadd` lexes as one word
    instead of keyword `load` + `d`. lexer.py does the same with `_ALWAYS_ACCEPT`."""

    always_accept = ("IDENT",)

    def process(self, stream):
        return stream


_ALWAYS_ACCEPT = _IdentEverywhere.always_accept
#: how Lark builds the tables (its lexer is never run: lexer.py lexes, contextually)
LARK_OPTIONS = {
    "parser": "lalr",
    "lexer": "basic",
    "propagate_positions": True,
    "maybe_placeholders": True,
    "start": ["start", "schema"],
}


@functools.cache
def _tables() -> Tables:
    """The grammar's LALR tables (from the cache: Lark builds them only when it has none)."""
    return cached_tables(_GRAMMAR.read_text(), **LARK_OPTIONS)


def parse(text: str, file: str | None = None) -> A.Script:
    """Parse a whole (already parameter-substituted) script.

    The last few scripts' trees are kept (they are immutable): a session parses its text to
    build and run it, then rebuilds the plan every task rebuilds from the same text
    (`runtime.rebuild_plan`), and a second parse of a PigMix query costs ~3 ms for nothing."""
    return _parse(text, file)


@functools.lru_cache(maxsize=16)
def _parse(text: str, file: str | None) -> A.Script:
    tree = _run(text, "start", file)
    script = _transform(tree, text, file)
    return A.Script(script.statements, file=file)


def parse_schema(text: str) -> Schema:
    """Parse schema text: `(a:int, b:bag{t:(x:chararray)})` or `a:int, b:long`."""
    body = text.strip()
    if not body.startswith("("):
        body = f"({body})"
    return _transform(_run(body, "schema", None), body, None)


def _run(text: str, start: str, file: str | None):
    try:
        return parse_tokens(_tables(), text, start, _ALWAYS_ACCEPT)
    except UnexpectedInput as e:
        raise syntax_error(e, text, file) from None


def _transform(tree, text: str, file: str | None):
    try:
        return ToAst().transform(tree)
    except PigError as e:
        raise e.located(file, text) from None


# ------------------------------------------------------------------ errors
_TERMINAL_WORDS = {
    "SEMICOLON": "';'",
    "COMMA": "','",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "EQUAL": "'='",
    "COLON": "':'",
    "DOT": "'.'",
    "HASH": "'#'",
    "MINUS": "'-'",
    "PLUS": "'+'",
    "STAR": "'*'",
    "SLASH": "'/'",
    "PERCENT": "'%'",
    "QMARK": "'?'",
    "COMP_OP": "a comparison",
    "IDENT": "a name",
    "FUNC_NAME": "a function call",
    "STRING": "a quoted string",
    "INT": "a number",
    "LONG": "a number",
    "FLOAT": "a number",
    "DOUBLE": "a number",
    "DOLLAR_VAR": "a positional field ($n)",
}
_OPERATORS = (
    "LOAD",
    "FOREACH",
    "FILTER",
    "GROUP",
    "COGROUP",
    "JOIN",
    "CROSS",
    "UNION",
    "ORDER",
    "DISTINCT",
    "LIMIT",
    "SAMPLE",
    "RANK",
    "CUBE",
    "STREAM",
)
_UNSUPPORTED = ("MAPREDUCE", "NATIVE")
#: Pig's simple types, and the names other languages give them (for "did you mean")
_TYPES = ("int", "long", "float", "double", "chararray", "bytearray", "boolean", "datetime")
_TYPE_WORDS = {
    "string": "chararray",
    "str": "chararray",
    "text": "chararray",
    "integer": "int",
    "varchar": "chararray",
    "bigint": "long",
    "bool": "boolean",
    "date": "datetime",
    "timestamp": "datetime",
    "bytes": "bytearray",
    "decimal": "double",
}
#: words that start a statement without `alias =`, for "did you mean" after a typo
_STATEMENTS = tuple(
    "DUMP DESCRIBE EXPLAIN ILLUSTRATE STORE REGISTER DEFINE SET SPLIT ASSERT IMPORT EXEC RUN FS "
    "SH".split()
)
_SKIP = LazyRegex(r"(\s|--[^\n]*|/\*.*?\*/)*", re.S)


def _expected_words(expected: set[str]) -> str:
    words = sorted({_TERMINAL_WORDS.get(t, t) for t in expected if not t.startswith("__")})
    if len(words) > 8:
        words = words[:8] + ["..."]
    return ", ".join(words)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def syntax_error(e: UnexpectedInput, text: str, file: str | None) -> ParseError:
    """A `ParseError` in Pig's words for a Lark failure, positioned at the bad token."""
    if isinstance(e, UnexpectedToken) and e.token.type == "$END":
        expected = set(getattr(e, "expected", None) or ())
        line, col = _line_col(text, len(text.rstrip()))
        hint = "; missing ';' at the end of the statement?" if "SEMICOLON" in expected else ""
        err = ParseError(f"Syntax error, unexpected end of script{hint}", line=line, column=col)
    elif isinstance(e, UnexpectedCharacters):
        near = text[e.pos_in_stream : e.pos_in_stream + 1]
        msg = f"Syntax error, unexpected symbol at or near '{near}'"
        if near == "'":
            msg = "Syntax error, unterminated quoted string"
        elif near == '"':
            msg += "; Pig strings use single quotes"
        err = ParseError(msg, line=e.line, column=e.column)
    else:
        assert isinstance(e, UnexpectedToken)
        err = _token_error(e, text)
    return err.located(file, text)  # type: ignore[return-value]


# Classic mistakes, recognised by the parser state they fail in (Lark's match_examples)
_MISTAKES = {
    "GROUP needs BY <key> or ALL after each relation": ["A = GROUP B;", "A = GROUP B, C BY x;"],
    "FOREACH needs GENERATE": ["B = FOREACH A name;", "B = FOREACH A;"],
    "FILTER needs BY <condition>": ["B = FILTER A x > 1;", "B = FILTER A;"],
    "ORDER needs BY <field>": ["B = ORDER A x;", "B = ORDER A;"],
    "JOIN needs two or more relations, each with BY <key>": ["C = JOIN A BY x;", "C = JOIN A, B;"],
    "STORE needs INTO '<path>'": ["STORE A 'out';", "STORE A;"],
    "LOAD needs a quoted path, e.g. LOAD 'data.txt'": ["A = LOAD data;", "A = LOAD;"],
    "a parenthesis is not closed": ["B = FOREACH A GENERATE COUNT(x;", "B = FILTER A BY (x > 1;"],
    "a condition as a GENERATE item, function argument or BY key needs parentheses, "
    "as in Pig: (x > 1)": [
        "B = FOREACH A GENERATE x > 1;",
        "B = FOREACH A GENERATE y, x == 1;",
        "B = FOREACH A GENERATE x IS NULL;",
        "B = FOREACH A GENERATE x AND y;",
        "B = FOREACH A GENERATE x MATCHES 'a';",
        "B = FOREACH A GENERATE x ? 1 : 2;",
        "B = FOREACH A GENERATE x IN (1, 2);",
        "B = FOREACH A GENERATE F(x > 1);",
        "B = FOREACH A GENERATE F(x, y IS NULL);",
        "B = FOREACH A GENERATE F(x AND y);",
        "B = FOREACH A GENERATE F(x OR y);",
        "B = FOREACH A GENERATE F(x ? 1 : 2);",
        "B = GROUP A BY x > 1;",
        "B = JOIN A BY x > 1, C BY y;",
        "B = FOREACH A { y = x > 1; GENERATE y; };",
    ],
    "a macro is DEFINE name(params) RETURNS alias { ... }; a function is "
    "DEFINE alias Func('arg')": ["DEFINE m(A) RETURNS B { B = A; };", "IMPORT 'macros.pig';"],
}


def _named_mistake(e: UnexpectedToken) -> str | None:
    """The _MISTAKES label whose example fails in the same parser state as `e` (an example
    with the same unexpected token type first). Lark's match_examples also compares the depth
    of the parser's stack, which grows by one after a script's first statement, so it would
    only name a mistake made in the first statement."""
    state = getattr(e.state, "position", None)
    candidate = None
    for label, examples in _MISTAKES.items():
        for example in examples:
            try:
                _parse_start(example)
            except UnexpectedToken as ut:
                if getattr(ut.state, "position", None) != state:
                    continue
                if ut.token.type == e.token.type:
                    return label
                candidate = candidate or label
            except Exception:  # noqa: BLE001, S112 - a hint must never hide the real error
                continue
    return candidate


def _parse_start(text: str):
    return parse_tokens(_tables(), text, "start", _ALWAYS_ACCEPT)


def _token_error(e: UnexpectedToken, text: str) -> ParseError:
    tok = e.token
    if tok.type == "IDENT" and set(e.expected) <= {*_OPERATORS, "LPAR"}:
        # `A = loadd 'x'`: like Pig, report the symbol after the unknown word
        pos = _SKIP.match(text, tok.end_pos).end()
        near = text[pos : pos + 1] if pos < len(text) else ""
        nxt = re.match(r"'[^'\n]*'?|\w+|\S", text[pos:])
        line, col = _line_col(text, pos)
        shown = (nxt.group(0) if nxt else near).strip("'")
        if str(tok).upper() in _UNSUPPORTED:
            msg = f"Syntax error, {str(tok).upper()} is a Pig operator this implementation does not support"
            return ParseError(msg, line=tok.line, column=tok.column)
        hint = suggest(str(tok).upper(), _OPERATORS)
        msg = f"Syntax error, unexpected symbol at or near '{shown}'; '{tok}' is not a Pig operator.{hint}"
        return ParseError(msg, line=line, column=col)
    word = re.search(r"(\w+)\s*$", text[: tok.start_pos or 0])
    if set(e.expected) == {"EQUAL"} and word and tok.column != 1:  # `DUPM A;`: a typo
        line, col = _line_col(text, word.start(1))
        hint = suggest(word.group(1).upper(), _STATEMENTS)
        msg = f"Syntax error, '{word.group(1)}' is not a Pig statement (nor an alias: no '=')"
        return ParseError(f"{msg}.{hint}", line=line, column=col)
    types = [t[:-2].lower() for t in e.expected if t.endswith("_T")]
    if types and tok.type == "IDENT" and str(tok).lower() in ("bigdecimal", "biginteger"):
        msg = f"Syntax error, {str(tok).lower()} is a Pig type this implementation does not support"
        return ParseError(f"{msg}; use double or long", line=e.line, column=e.column)
    if types and tok.type == "IDENT":  # `AS (n:integer)`
        msg = f"Syntax error, '{tok}' is not a Pig type; the types are {', '.join(_TYPES)}"
        meant = _TYPE_WORDS.get(str(tok).lower())
        hint = f" Did you mean '{meant}'?" if meant else suggest(str(tok).lower(), _TYPES)
        return ParseError(
            f"{msg}, tuple(...), bag{{...}}, map[].{hint}", line=e.line, column=e.column
        )
    shown = tok[1:-1] if tok.type == "STRING" else tok
    msg = f"Syntax error, unexpected symbol at or near '{shown}'"
    if "COMP_OP" in e.expected and re.match(r"=(?!=)", str(tok)):  # `FILTER A BY x = 1`
        msg = "Syntax error, unexpected symbol at or near '='; compare values with =="
        return ParseError(f"{msg} ('=' only names a relation)", line=e.line, column=e.column)
    label = _named_mistake(e)
    if label:
        return ParseError(f"{msg}; {label}", line=e.line, column=e.column)
    if (
        "SEMICOLON" in e.expected
        and tok.type in ("IDENT", "FUNC_NAME", "GRUNT_CMD")
        and (tok.column == 1 or re.match(r"\s*=(?!=)", text[tok.end_pos :]))
    ):
        msg += "; missing ';' at the end of the previous statement?"
    elif tok.type == "EQUAL" and "IDENT" not in e.expected:
        msg += "; '=' must follow a relation alias at the start of a statement"
    else:
        msg += f"; expected {_expected_words(set(e.expected))}"
    return ParseError(msg, line=e.line, column=e.column)


# ------------------------------------------------------------- transformer
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}


def unquote(token: str) -> str:
    """Pig string literal text (with quotes) -> its value."""

    def sub(m: re.Match[str]) -> str:
        s = m.group(1)
        if s[0] == "u":
            return chr(int(s[1:], 16))
        return _ESCAPES.get(s, "\\" + s)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", sub, token[1:-1])


def _p(meta) -> dict[str, int]:
    if getattr(meta, "empty", True):
        return {}
    return {"line": meta.line, "column": meta.column}


def _tp(tok: Token) -> dict[str, int]:
    return {"line": tok.line or 0, "column": tok.column or 0}


def _some(items) -> tuple:
    return tuple(i for i in items if i is not None)


def _ref(tok: Token) -> A.FieldRef | A.PosRef:
    if tok.type == "DOLLAR_VAR":
        return A.PosRef(int(tok[1:]), **_tp(tok))
    return A.FieldRef(str(tok), **_tp(tok))


class ToAst:
    """Parse tree -> ast.py nodes (one method per grammar rule or alias).

    `transform` is Lark's ``Transformer`` under ``v_args(inline=True, meta=True)``: bottom up,
    each tree becomes ``self.<its data>(meta, *transformed children)``, or stays a `Tree` of
    its transformed children when there is no such method; tokens stay tokens."""

    def __init__(self) -> None:
        self._field_pos: dict[int, dict[str, int]] = {}  # id(FieldSchema) -> position

    def transform(self, tree: Tree):
        children = [self.transform(c) if type(c) is Tree else c for c in tree.children]
        name = tree.data
        method = getattr(self, name, None) if not name.startswith("_") else None
        if method is None:
            return Tree(name, children, tree.meta)
        return method(tree.meta, *children)

    def _fields(self, fields) -> tuple[FieldSchema, ...]:
        """Schema fields, refusing a name used twice (Pig's ERROR 1108)."""
        out = _some(fields)
        seen: set[str] = set()
        for f in out:
            if f.name is not None and f.name in seen:
                raise SchemaError(
                    f"Duplicate schema alias: {f.name}", code=1108, **self._field_pos.get(id(f), {})
                )
            if f.name is not None:
                seen.add(f.name)
        return out

    # statements --------------------------------------------------------
    def start(self, meta, *stmts):
        return A.Script(tuple(stmts))

    def assignment(self, meta, alias, rel):
        return A.Assign(str(alias), rel, **_p(meta))

    def store_stmt(self, meta, alias, path, func):
        return A.Store(str(alias), unquote(path), func, **_p(meta))

    def dump_stmt(self, meta, alias):
        return A.Dump(str(alias), **_p(meta))

    def describe_stmt(self, meta, alias):
        return A.Describe(str(alias), **_p(meta))

    def explain_stmt(self, meta, *rest):
        *opts, alias = rest
        fields: dict[str, object] = {"params": (), "param_files": ()}
        for key, value in opts:
            if key in ("params", "param_files"):
                fields[key] = (*fields[key], value)  # type: ignore[misc]
            elif key in ("dot", "xml"):
                fields["format"] = key
            elif key == "brief":
                fields["brief"] = True
            else:
                fields[key] = value
        name = str(alias) if alias is not None else None
        return A.Explain(name, **fields, **_p(meta))  # type: ignore[arg-type]

    def explain_flag(self, meta, tok):
        return (str(tok)[1:].lower(), True)

    def explain_path(self, meta, tok, path):
        key = {"param_file": "param_files"}.get(str(tok)[1:].lower(), str(tok)[1:].lower())
        return (key, _path_text(path))

    def explain_param(self, meta, _tok, pair):
        name, _eq, value = str(pair).partition("=")
        value = value.strip()
        if value[:1] == "'":
            value = unquote(value)
        elif value[:1] == '"':
            value = value[1:-1]
        return ("params", f"{name.strip()}={value}")

    def illustrate_stmt(self, meta, alias):
        return A.Illustrate(str(alias), **_p(meta))

    def illustrate_script(self, meta, option, path):
        if str(option)[1:].lower() != "script":
            raise ParseError(
                f"Syntax error, unexpected symbol at or near '{option}'; ILLUSTRATE takes an "
                "alias or -script <file>",
                **_tp(option),
            )
        return A.Illustrate("", _path_text(path), **_p(meta))

    def assert_stmt(self, meta, alias, cond, message):
        text = unquote(message) if message is not None else None
        return A.Assert(str(alias), cond, text, **_p(meta))

    def split_stmt(self, meta, alias, *branches):
        return A.Split(_in(alias), tuple(branches), **_p(meta))

    def split_if(self, meta, alias, cond):
        return A.SplitBranch(str(alias), cond, **_p(meta))

    def split_otherwise(self, meta, alias):
        return A.SplitBranch(str(alias), None, **_p(meta))

    def set_stmt(self, meta, key, value):
        if value.type == "STRING":
            val: object = unquote(value)
        elif value.type in ("INT", "LONG"):
            val = int(value.rstrip("lL"))
        else:
            val = str(value)
        return A.SetStmt(key, val, **_p(meta))

    def set_all(self, meta):
        """`SET;` alone: print the session's properties (Pig's GruntParser.processSet())."""
        return A.Command("set", "", **_p(meta))

    def register_stmt(self, meta, path, using, namespace):
        text = unquote(path) if path.type == "STRING" else str(path)
        engine = _ENGINES.get(using, using) if using is not None else None
        return A.Register(text, engine, _s(namespace), **_p(meta))

    def set_dotted(self, meta, *parts):
        """SET key a.b.c: an unquoted dotted value (cmds.xml's mylogfile.log) is its text."""
        first = parts[0]
        return Token("STRING", "'" + ".".join(str(p) for p in parts) + "'", first.start_pos,
                     first.line, first.column)  # fmt: skip

    def shortcut_stmt(self, meta, tok, alias, *_):
        """\\d, \\de, \\e, \\i [alias]: DUMP, DESCRIBE, EXPLAIN, ILLUSTRATE; without an alias,
        of the last relation (`@`)."""
        kind = str(tok)[1:].lower()
        name = str(alias) if alias is not None else "@"
        node = {"d": A.Dump, "de": A.Describe, "e": A.Explain, "i": A.Illustrate}[kind]
        return node(name, **_p(meta))

    def nsrc_paren(self, meta, inner):
        return inner

    def define_stmt(self, meta, alias, spec):
        return A.Define(str(alias), spec, **_p(meta))

    def define_command(self, meta, alias, command, *clauses):
        fields: dict[str, object] = {}
        for key, value in clauses:
            if key in ("inputs", "outputs", "cache") and key in fields:
                value = (*fields[key], *value)  # type: ignore[misc]
            fields[key] = value
        text = _command_text(command)
        return A.DefineCommand(str(alias), text, **fields, **_p(meta))  # type: ignore[arg-type]

    def stream_input(self, meta, *ios):
        return ("inputs", tuple(ios))

    def stream_output(self, meta, *ios):
        return ("outputs", tuple(ios))

    def stream_ship(self, meta, *paths):
        return ("ship", tuple(unquote(p) for p in _some(paths)))

    def stream_cache(self, meta, *paths):
        return ("cache", tuple(unquote(p) for p in paths))

    def stream_stderr(self, meta, path, limit):
        return ("stderr", (unquote(path), int(limit) if limit is not None else None))

    def stream_io(self, meta, target, func):
        is_file = target.type == "STRING"
        name = unquote(target) if is_file else str(target).lower()
        if not is_file and name not in ("stdin", "stdout", "stderr"):
            raise ParseError(
                f"Syntax error, unexpected symbol at or near '{target}'; a streaming input or "
                "output is stdin, stdout, stderr or a quoted file name",
                **_tp(target),
            )
        return A.StreamIO(name, func, is_file, **_p(meta))

    def stream(self, meta, alias, through, schema):
        if through.type == "COMMAND":
            return A.Stream(_in(alias), None, _command_text(through), schema, **_p(meta))
        return A.Stream(_in(alias), str(through), None, schema, **_p(meta))

    def grunt_stmt(self, meta, tok, *_):
        kind, _sep, rest = str(tok).strip().partition(" ")
        return A.Command(kind.lower(), rest.strip(), **_p(meta))

    def dotted_name(self, meta, *parts):
        return ".".join(str(p) for p in parts)

    def using_func(self, meta, spec):
        return spec

    def func_spec_call(self, meta, name, *args):
        return A.FuncSpec(str(name), tuple(a.value for a in _some(args)), True, **_p(meta))

    def func_spec_bare(self, meta, name):
        return A.FuncSpec(name, (), False, **_p(meta))

    # relations ---------------------------------------------------------
    def load(self, meta, path, func, schema):
        return A.Load(unquote(path), func, schema, **_p(meta))

    def foreach_flat(self, meta, alias, gens, parallel):
        return A.Foreach(_in(alias), gens, (), False, parallel, **_p(meta))

    def block_assignment(self, meta, alias, source, *rest):
        *nested, gens, parallel = rest
        pos = _tp(source) if isinstance(source, Token) else _pos_of(source)  # near FOREACH
        op = A.Foreach(_in(source), gens, tuple(nested), True, parallel, **pos)
        return A.Assign(str(alias), op, **_p(meta))

    def filter(self, meta, alias, cond):
        return A.Filter(_in(alias), cond, **_p(meta))

    def inner_outer(self, meta, tok):
        return tok

    def outer_type(self, meta, tok):
        return tok

    def direction(self, meta, tok):
        return tok

    def group(self, meta, kw, *rest):
        *items, using, parallel = rest
        cogroup = kw.lower() == "cogroup"
        return A.Group(tuple(items), cogroup, _s(using, quoted=True), parallel, **_p(meta))

    def group_by(self, meta, alias, key, modifier):
        keys = key.items if isinstance(key, A.TupleExpr) else (key,)
        return A.GroupItem(_in(alias), keys, False, _low(modifier), **_p(meta))

    def group_all(self, meta, alias, _all, modifier):
        return A.GroupItem(_in(alias), (), True, _low(modifier), **_p(meta))

    def join(self, meta, *children):
        items = tuple(c for c in children if isinstance(c, A.JoinItem))
        outer = next(
            (c for c in children if isinstance(c, Token) and c.type in ("LEFT", "RIGHT", "FULL")),
            None,
        )
        using = next((c for c in children if isinstance(c, Token) and c.type == "STRING"), None)
        parallel = children[-1]
        return A.Join(items, _low(outer), _s(using, quoted=True), parallel, **_p(meta))

    def join_item(self, meta, alias, key):
        keys = key.items if isinstance(key, A.TupleExpr) else (key,)
        return A.JoinItem(_in(alias), keys, **_p(meta))

    def cross(self, meta, *rest):
        *aliases, parallel = rest
        return A.Cross(tuple(_in(a) for a in aliases), parallel, **_p(meta))

    def union(self, meta, onschema, *rest):
        *aliases, parallel = rest
        return A.Union(tuple(_in(a) for a in aliases), onschema is not None, parallel, **_p(meta))

    def order(self, meta, alias, keys, parallel):
        return A.Order(_in(alias), keys, parallel, **_p(meta))

    def order_list(self, meta, *keys):
        return tuple(keys)

    def order_key(self, meta, col, direction):
        return A.OrderKey(col, _low(direction) == "desc", **_p(meta))

    def distinct(self, meta, alias, parallel):
        return A.Distinct(_in(alias), parallel, **_p(meta))

    def limit(self, meta, alias, count):
        return A.Limit(_in(alias), count, **_p(meta))

    def sample(self, meta, alias, fraction):
        return A.Sample(_in(alias), fraction, **_p(meta))

    def cube(self, meta, _kw, alias, *rest):
        *items, parallel = rest
        return A.Cube(_in(alias), tuple(items), parallel, **_p(meta))

    def cube_item(self, meta, kind, *dims):
        return A.CubeItem(str(kind).lower(), tuple(dims), **_p(meta))

    def rank(self, meta, alias, keys, dense, parallel):
        return A.Rank(_in(alias), keys or (), dense is not None, parallel, **_p(meta))

    def parallel(self, meta, n):
        return int(n)

    # nested foreach ----------------------------------------------------
    def nested_stmt(self, meta, alias, op):
        return A.NestedOp(str(alias), op.kind, op.source, op.arg, op.keys, op.generate, **_p(meta))

    def nested_filter(self, meta, src, cond):
        return A.NestedOp("", "filter", src, cond)

    def nested_order(self, meta, src, keys):
        return A.NestedOp("", "order", src, None, keys)

    def nested_limit(self, meta, src, count):
        return A.NestedOp("", "limit", src, count)

    def nested_distinct(self, meta, src):
        return A.NestedOp("", "distinct", src)

    def nested_cross(self, meta, *srcs):
        # the bags' cross product, as the internal CROSS builtin (a name no call can spell:
        # `cross(` is a keyword, never a function name)
        return A.NestedOp("", "expr", A.FuncCall("CROSS", tuple(srcs), **_p(meta)))

    def nested_foreach(self, meta, src, gens):
        return A.NestedOp("", "foreach", src, generate=gens)

    def nested_expr(self, meta, expr):
        return A.NestedOp("", "expr", expr)

    def nsrc_name(self, meta, name):
        return _ref(name)

    def nsrc_proj(self, meta, name, fld):
        return A.Project(_ref(name), (_ref(fld),), False, **_p(meta))

    def nsrc_projs(self, meta, name, *fields):
        return A.Project(_ref(name), tuple(fields), True, **_p(meta))

    def gen_list(self, meta, *items):
        return tuple(items)

    def gen_item(self, meta, expr, schema):
        return A.GenItem(expr, schema, **_p(meta))

    # expressions -------------------------------------------------------
    def bincond(self, meta, cond, then, otherwise):
        return A.BinCond(cond, then, otherwise, **_p(meta))

    def or_op(self, meta, a, op, b):
        return A.BinOp("or", a, b, **_tp(op))

    def and_op(self, meta, a, op, b):
        return A.BinOp("and", a, b, **_tp(op))

    def not_op(self, meta, a):
        return A.Not(a, **_p(meta))

    def compare(self, meta, a, op, b):
        return A.BinOp(str(op), a, b, **_tp(op))

    def matches(self, meta, a, op, b):
        return A.BinOp("matches", a, b, **_tp(op))

    def str_op(self, meta, tok):
        words = {"eq": "==", "neq": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
        return Token("COMP_OP", words[tok.lower()], tok.start_pos, tok.line, tok.column)

    def in_list(self, meta, operand, *items):
        return A.In(operand, tuple(items), **_p(meta))

    def is_null(self, meta, a):
        return A.IsNull(a, False, **_p(meta))

    def is_not_null(self, meta, a):
        return A.IsNull(a, True, **_p(meta))

    def binop(self, meta, a, op, b):
        return A.BinOp(str(op), a, b, **_tp(op))

    def neg(self, meta, _minus, a):
        if isinstance(a, A.Const) and a.type in ("int", "long", "float", "double"):
            return A.Const(-a.value, a.type, **_p(meta))  # type: ignore[operator]
        return A.Neg(a, **_p(meta))

    def cast(self, meta, to, operand):
        return A.Cast(Schema((to,)), operand, **_p(meta))

    def project_one(self, meta, base, fld):
        return A.Project(base, (_ref(fld),), False, **_p(meta))

    def project_many(self, meta, base, *fields):
        return A.Project(base, tuple(fields), True, **_p(meta))

    def map_lookup(self, meta, base, key):
        return A.MapLookup(base, unquote(key), **_p(meta))

    def field(self, meta, tok):
        return A.FieldRef(str(tok), **_tp(tok))

    def positional(self, meta, tok):
        return A.PosRef(int(tok[1:]), **_tp(tok))

    def star(self, meta, _tok):
        return A.Star(**_p(meta))

    def range_both(self, meta, a, b):
        return A.Range(a, b, **_p(meta))

    def range_to(self, meta, b):
        return A.Range(None, b, **_p(meta))

    def range_from(self, meta, a):
        return A.Range(a, None, **_p(meta))

    def tuple_one(self, meta, item):
        return A.TupleExpr((item,), **_p(meta))

    def tuple_const(self, meta, *items):
        return A.TupleExpr(_some(items), **_p(meta))

    def bag_const(self, meta, *items):
        tuples = tuple(
            i if isinstance(i, A.TupleExpr) else A.TupleExpr((i,), **_pos_of(i))
            for i in _some(items)
        )
        return A.BagExpr(tuples, **_p(meta))

    def map_const(self, meta, *pairs):
        return A.MapExpr(_some(pairs), **_p(meta))

    def map_ctor(self, meta, *items):
        """``[k, v, ...]``: Pig's parser makes it a call of TOMAP (QueryParser.g)."""
        return A.FuncCall("TOMAP", tuple(items), **_p(meta))

    def map_pair(self, meta, key, value):
        return (unquote(key), value)

    def func_call(self, meta, name, *args):
        args = _some(args)
        if str(name).upper() == "FLATTEN":
            if len(args) != 1:
                raise ParseError("FLATTEN takes exactly one argument", **_p(meta))
            return A.Flatten(args[0], **_p(meta))
        return A.FuncCall(str(name), args, **_p(meta))

    def case_search(self, meta, *rest):
        *whens, otherwise = rest
        return A.Case(None, tuple(whens), otherwise, **_p(meta))

    def case_simple(self, meta, operand, *rest):
        *whens, otherwise = rest
        return A.Case(operand, tuple(whens), otherwise, **_p(meta))

    def when_clause(self, meta, cond, value):
        return (cond, value)

    def int_lit(self, meta, tok):
        return A.Const(int(tok), "int", **_tp(tok))

    def long_lit(self, meta, tok):
        return A.Const(int(tok[:-1]), "long", **_tp(tok))

    def float_lit(self, meta, tok):
        return A.Const(float(tok[:-1]), "float", **_tp(tok))

    def double_lit(self, meta, tok):
        return A.Const(float(tok), "double", **_tp(tok))

    def string_lit(self, meta, tok):
        return A.Const(unquote(tok), "chararray", **_tp(tok))

    def true_lit(self, meta, tok):
        return A.Const(True, "boolean", **_tp(tok))

    def false_lit(self, meta, tok):
        return A.Const(False, "boolean", **_tp(tok))

    def null_lit(self, meta):
        return A.Const(None, "null", **_p(meta))

    # schemas -----------------------------------------------------------
    def schema_list(self, meta, *fields):
        return Schema(self._fields(fields))

    def schema_single(self, meta, name, typ):
        return Schema((_named(name, typ),))

    def named_field(self, meta, name, typ):
        fs = _named(name, typ)
        self._field_pos[id(fs)] = _tp(name)
        return fs

    def anon_field(self, meta, typ):
        return typ

    def simple_type_kw(self, meta, tok):
        return FieldSchema(None, DataType.from_name(str(tok)))

    def tuple_type(self, meta, *fields):
        return FieldSchema(None, DataType.TUPLE, Schema(self._fields(fields)))

    def bag_type(self, meta, inner):
        return FieldSchema(None, DataType.BAG, Schema((inner,)) if inner is not None else None)

    def bag_inner(self, meta, name, tup):
        return tup.renamed(str(name) if name is not None else None)

    def map_type(self, meta, value):
        return FieldSchema(None, DataType.MAP, Schema((value,)) if value is not None else None)


def _named(name: Token, typ: FieldSchema | None) -> FieldSchema:
    if typ is None:
        return FieldSchema(str(name), None)
    return typ.renamed(str(name))


def _pos_of(node) -> dict[str, int]:
    return {"line": getattr(node, "line", 0), "column": getattr(node, "column", 0)}


def _s(tok, quoted: bool = False) -> str | None:
    if tok is None:
        return None
    return unquote(tok) if quoted else str(tok)


def _in(x):
    """A relation input: an alias (token) or an inline relation node."""
    return str(x) if isinstance(x, Token) else x


#: udf.xml's script engine classes, as their names (REGISTER ... USING <class> AS ns)
_ENGINES = {
    "org.apache.pig.scripting.jython.JythonScriptEngine": "jython",
    "org.apache.pig.scripting.streaming.python.PythonScriptEngine": "streaming_python",
    "org.apache.pig.scripting.js.JsScriptEngine": "javascript",
    "org.apache.pig.scripting.jruby.JrubyScriptEngine": "jruby",
    "org.apache.pig.scripting.groovy.GroovyScriptEngine": "groovy",
}


def _command_text(tok: Token) -> str:
    """A backquoted command's text (a backquote in it is written \\`, as Pig's IN_COMMAND)."""
    return str(tok)[1:-1].replace("\\`", "`")


def _path_text(tok: Token) -> str:
    """A path or `name=value` argument: quoted (a Pig string) or bare."""
    return unquote(tok) if tok.type == "STRING" else str(tok)


def _low(tok) -> str | None:
    return str(tok).lower() if tok is not None else None


# ------------------------------------------------------------------ pretty
def pretty(node: A.Node | Schema) -> str:
    """Print a tree back as Pig Latin; binary operators are fully parenthesized."""
    if isinstance(node, A.Script):
        return "".join(_stmt(s) + "\n" for s in node.statements)
    if isinstance(node, Schema):
        return _schema(node)
    if isinstance(node, A.Expr):
        return _expr(node)
    return _stmt(node)


def _quote(s: str) -> str:
    body = (
        s.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f"'{body}'"


def _const(c: A.Const) -> str:
    v = c.value
    if c.type == "chararray":
        return _quote(str(v))
    if c.type == "null":
        return "null"
    if c.type == "boolean":
        return "true" if v else "false"
    if c.type == "long":
        return f"{v}L"
    if c.type == "float":
        return f"{v!r}F"
    return repr(v)


def _ftype(f: FieldSchema) -> str:
    t = f.type
    if t is None:
        return ""
    if t is DataType.TUPLE:
        return "tuple(" + ", ".join(_field(x) for x in (f.schema or ())) + ")"
    if t is DataType.BAG:
        inner = f.schema.fields[0] if f.schema is not None and len(f.schema) else None
        if inner is None:
            return "bag{}"
        return "bag{" + (f"{inner.name}: " if inner.name else "") + _ftype(inner) + "}"
    if t is DataType.MAP:
        value = f.schema.fields[0] if f.schema is not None and len(f.schema) else None
        return "map[" + (_ftype(value) if value is not None else "") + "]"
    return t.value


def _field(f: FieldSchema) -> str:
    typ = _ftype(f)
    if f.name is None:
        return typ
    return f"{f.name}: {typ}" if typ else f.name


def _schema(s: Schema) -> str:
    return "(" + ", ".join(_field(f) for f in s) + ")"


def _args(items) -> str:
    return ", ".join(_expr(i) for i in items)


def _atom(e: A.Expr) -> str:
    text = _expr(e)
    simple = (A.FieldRef, A.PosRef, A.FuncCall, A.Project, A.MapLookup, A.TupleExpr, A.Flatten)
    if isinstance(e, A.Const) and not text.startswith("-"):
        return text  # '(' literal ')' is a tuple of it, as in Pig
    return text if isinstance(e, simple) else f"({text})"


def _expr(e: A.Expr) -> str:  # noqa: C901 - one branch per node type
    if isinstance(e, A.Const):
        return _const(e)
    if isinstance(e, A.FieldRef):
        return e.name
    if isinstance(e, A.PosRef):
        return f"${e.index}"
    if isinstance(e, A.Star):
        return "*"
    if isinstance(e, A.Range):
        return (_expr(e.start) if e.start else "") + ".." + (_expr(e.end) if e.end else "")
    if isinstance(e, A.Project):
        inner = ", ".join(_expr(f) for f in e.fields)
        return f"{_atom(e.base)}." + (f"({inner})" if e.parens else inner)
    if isinstance(e, A.MapLookup):
        return f"{_atom(e.base)}#{_quote(e.key)}"
    if isinstance(e, A.BinOp):
        op = e.op.upper() if e.op.isalpha() else e.op
        return f"({_expr(e.left)} {op} {_expr(e.right)})"
    if isinstance(e, A.Neg):
        return f"-{_atom(e.operand)}"
    if isinstance(e, A.Not):
        return f"(NOT {_expr(e.operand)})"
    if isinstance(e, A.In):
        return f"({_expr(e.operand)} IN ({_args(e.items)}))"
    if isinstance(e, A.IsNull):
        return f"({_expr(e.operand)} IS {'NOT ' if e.negated else ''}NULL)"
    if isinstance(e, A.BinCond):
        return f"({_expr(e.cond)} ? {_expr(e.then)} : {_expr(e.otherwise)})"
    if isinstance(e, A.Case):
        head = "CASE " + (_expr(e.operand) + " " if e.operand is not None else "")
        whens = " ".join(f"WHEN {_expr(c)} THEN {_expr(v)}" for c, v in e.whens)
        tail = f" ELSE {_expr(e.otherwise)}" if e.otherwise is not None else ""
        return f"{head}{whens}{tail} END"
    if isinstance(e, A.Cast):
        return f"({_ftype(e.to.fields[0])}){_atom(e.operand)}"
    if isinstance(e, A.FuncCall):
        return f"{e.name}({_args(e.args)})"
    if isinstance(e, A.Flatten):
        return f"FLATTEN({_expr(e.operand)})"
    if isinstance(e, A.TupleExpr):
        return f"({_args(e.items)})" if len(e.items) != 1 else f"({_expr(e.items[0])})"
    if isinstance(e, A.BagExpr):
        return "{" + ", ".join(_expr(t) for t in e.items) + "}"
    if isinstance(e, A.MapExpr):
        return "[" + ", ".join(f"{_quote(k)}#{_expr(v)}" for k, v in e.pairs) + "]"
    raise TypeError(f"cannot print {e!r}")


def _spec(f: A.FuncSpec | None) -> str:
    if f is None:
        return ""
    args = ", ".join(_const(_as_const(a)) for a in f.args)
    return f" USING {f.name}({args})" if f.parens else f" USING {f.name}"


def _as_const(v: object) -> A.Const:
    if v is None:
        return A.Const(None, "null")
    kind = {bool: "boolean", int: "int", float: "double", str: "chararray"}[type(v)]
    return A.Const(v, kind)


def _par(n: int | None) -> str:
    return f" PARALLEL {n}" if n is not None else ""


def _keys(keys: tuple[A.Expr, ...]) -> str:
    return _expr(keys[0]) if len(keys) == 1 else f"({_args(keys)})"


def _order(keys: tuple[A.OrderKey, ...]) -> str:
    return ", ".join(_expr(k.expr) + (" DESC" if k.desc else "") for k in keys)


def _gen(g: A.GenItem) -> str:
    return _expr(g.expr) + (f" AS {_schema(g.schema)}" if g.schema is not None else "")


def _nested(n: A.NestedOp) -> str:
    src = _expr(n.source)
    body = {
        "filter": lambda: f"FILTER {src} BY {_expr(n.arg)}",
        "order": lambda: f"ORDER {src} BY {_order(n.keys)}",
        "limit": lambda: f"LIMIT {src} {_atom(n.arg)}",
        "distinct": lambda: f"DISTINCT {src}",
        "foreach": lambda: f"FOREACH {src} GENERATE " + ", ".join(_gen(g) for g in n.generate),
        "expr": lambda: src,
    }[n.kind]()
    return f"{n.alias} = {body};"


def _i(x) -> str:
    return x if isinstance(x, str) else f"({_rel(x)})"


def _rel(op: A.Relation) -> str:  # noqa: C901 - one branch per operator
    if isinstance(op, A.Load):
        return f"LOAD {_quote(op.path)}{_spec(op.func)}" + (
            f" AS {_schema(op.schema)}" if op.schema else ""
        )
    if isinstance(op, A.Foreach):
        gens = ", ".join(_gen(g) for g in op.generate)
        if op.block:
            inner = " ".join(_nested(n) for n in op.nested)
            return f"FOREACH {_i(op.input)} {{ {inner} GENERATE {gens}; }}{_par(op.parallel)}"
        return f"FOREACH {_i(op.input)} GENERATE {gens}{_par(op.parallel)}"
    if isinstance(op, A.Filter):
        return f"FILTER {_i(op.input)} BY {_expr(op.cond)}"
    if isinstance(op, A.Group):
        items = ", ".join(
            f"{_i(i.alias)} "
            + ("ALL" if i.all else f"BY {_keys(i.keys)}")
            + (f" {i.modifier.upper()}" if i.modifier else "")
            for i in op.items
        )
        using = f" USING {_quote(op.using)}" if op.using else ""
        return f"{'COGROUP' if op.cogroup else 'GROUP'} {items}{using}{_par(op.parallel)}"
    if isinstance(op, A.Join):
        parts = [f"{_i(i.alias)} BY {_keys(i.keys)}" for i in op.items]
        if op.outer:
            parts[0] += f" {op.outer.upper()} OUTER"
        using = f" USING {_quote(op.using)}" if op.using else ""
        return f"JOIN {', '.join(parts)}{using}{_par(op.parallel)}"
    if isinstance(op, A.Cross):
        return f"CROSS {', '.join(map(_i, op.inputs))}{_par(op.parallel)}"
    if isinstance(op, A.Union):
        return f"UNION {'ONSCHEMA ' if op.onschema else ''}{', '.join(map(_i, op.inputs))}{_par(op.parallel)}"
    if isinstance(op, A.Order):
        return f"ORDER {_i(op.input)} BY {_order(op.keys)}{_par(op.parallel)}"
    if isinstance(op, A.Distinct):
        return f"DISTINCT {_i(op.input)}{_par(op.parallel)}"
    if isinstance(op, A.Limit):
        return f"LIMIT {_i(op.input)} {_atom(op.count)}"
    if isinstance(op, A.Sample):
        return f"SAMPLE {_i(op.input)} {_atom(op.fraction)}"
    if isinstance(op, A.Stream):
        through = op.through if op.through is not None else _backquoted(op.command)
        schema = f" AS {_schema(op.schema)}" if op.schema is not None else ""
        return f"STREAM {_i(op.input)} THROUGH {through}{schema}"
    if isinstance(op, A.Rank):
        by = f" BY {_order(op.keys)}" + (" DENSE" if op.dense else "") if op.keys else ""
        return f"RANK {_i(op.input)}{by}{_par(op.parallel)}"
    raise TypeError(f"cannot print {op!r}")


def _backquoted(command: str | None) -> str:
    return "`" + (command or "").replace("`", "\\`") + "`"


def _stream_io(io: A.StreamIO) -> str:
    return (_quote(io.target) if io.is_file else io.target) + _spec(io.func)


def _define_command(s: A.DefineCommand) -> str:
    parts = [f"DEFINE {s.alias} {_backquoted(s.command)}"]
    if s.inputs:
        parts.append("INPUT(" + ", ".join(_stream_io(i) for i in s.inputs) + ")")
    if s.outputs:
        parts.append("OUTPUT(" + ", ".join(_stream_io(o) for o in s.outputs) + ")")
    if s.ship is not None:
        parts.append("SHIP(" + ", ".join(_quote(p) for p in s.ship) + ")")
    if s.cache:
        parts.append("CACHE(" + ", ".join(_quote(p) for p in s.cache) + ")")
    if s.stderr is not None:
        limit = f" LIMIT {s.stderr[1]}" if s.stderr[1] is not None else ""
        parts.append(f"STDERR({_quote(s.stderr[0])}{limit})")
    return " ".join(parts) + ";"


def _explain(s: A.Explain) -> str:
    opts = [f"-script {_quote(s.script)}"] if s.script is not None else []
    opts += [f"-out {_quote(s.out)}"] if s.out is not None else []
    opts += ["-brief"] if s.brief else []
    opts += [f"-{s.format}"] if s.format != "text" else []
    opts += [f"-param {k}={_quote(v)}" for k, _, v in (p.partition("=") for p in s.params)]
    opts += [f"-param_file {_quote(f)}" for f in s.param_files]
    return " ".join(["EXPLAIN", *opts, *([s.alias] if s.alias else [])]) + ";"


def _stmt(s: A.Node) -> str:  # noqa: C901 - one branch per statement
    if isinstance(s, A.Assign):
        return f"{s.alias} = {_rel(s.op)};"
    if isinstance(s, A.Store):
        return f"STORE {s.alias} INTO {_quote(s.path)}{_spec(s.func)};"
    if isinstance(s, A.Dump):
        return f"DUMP {s.alias};"
    if isinstance(s, A.Describe):
        return f"DESCRIBE {s.alias};"
    if isinstance(s, A.Explain):
        return _explain(s)
    if isinstance(s, A.Illustrate):
        return f"ILLUSTRATE -script {_quote(s.script)};" if s.script else f"ILLUSTRATE {s.alias};"
    if isinstance(s, A.Split):
        branches = ", ".join(
            f"{b.alias} IF {_expr(b.cond)}" if b.cond is not None else f"{b.alias} OTHERWISE"
            for b in s.branches
        )
        return f"SPLIT {_i(s.input)} INTO {branches};"
    if isinstance(s, A.SetStmt):
        value = _quote(s.value) if isinstance(s.value, str) else str(s.value)
        return f"SET {s.key} {value};"
    if isinstance(s, A.Register):
        tail = f" USING {s.using} AS {s.namespace}" if s.using else ""
        return f"REGISTER {_quote(s.path)}{tail};"
    if isinstance(s, A.Define):
        return f"DEFINE {s.alias}{_spec(s.func)[len(' USING') :]};"
    if isinstance(s, A.DefineCommand):
        return _define_command(s)
    if isinstance(s, A.Command):
        return f"{s.kind} {s.args}".rstrip() if s.kind != "set" else "SET;"
    raise TypeError(f"cannot print {s!r}")
