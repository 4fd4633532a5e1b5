"""Pig macros: DEFINE name(params) RETURNS aliases { fragment }, their expansion, and IMPORT.

Owns: `MacroTable`, the macros a session has seen, and `MacroTable.expand`, which turns a
(parameter-substituted) script into one without macros, as Pig's macro expansion does before
parsing (Pig Latin's Control Structures, "Pig Macros"):

- a definition is removed from the script (its lines stay, blank, so later line numbers hold);
- ``IMPORT 'file';`` reads the file's definitions (relative paths from the session's
  directory, else from the importing script's, else along ``pig.import.search.path``);
- an invocation ``X, Y = name(args);`` (or ``name(args);`` for ``RETURNS void``) is replaced
  by the fragment with ``$param`` replaced by the argument as written (an alias, a number, or
  a quoted string's text: ``'$param'`` in the fragment quotes it again), ``$ret`` by the alias
  the invocation assigns, and every other alias the fragment defines renamed
  ``macro_<name>_<alias>_<n>``, n counting expansions in the session from 0, so expansions
  never collide; the fragment goes on the invocation's line (its own comments dropped), so the
  script's line numbers stay those of its text;
- macros may invoke macros defined before them (invoking one defined further down, or
  itself, is an error); a definition inside a macro's body is an error, and so is a RETURNS
  alias the body never assigns (Pig's PigMacro.validate: "missing return alias");
- as Pig's AliasMasker does, an expansion whose fragment declares a schema field (LOAD/STREAM
  ... AS, GENERATE ... AS) named like an alias the fragment used before it is an error
  ("Macro doesn't support user defined schema that contains name that conflicts with alias
  name"): the renaming would make the two mean different things;
- a parameter named twice takes its last argument, with Pig's warning (PreprocessorContext:
  "Multiple values found for p. Using value v") when the arguments differ; a macro named
  like a builtin function is defined with a warning (the patch of PIG-2248): the macro is
  only ever invoked as a statement, the function in expressions.

Reading the text (tokens, statements) and the checks on a fragment are `macrotext`'s.
Must not touch: parameter substitution (preprocess.py, which runs first and leaves a macro
body's ``$names`` alone) or the grammar; the parser never sees a macro.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from dfs.fastclass import dataclass
from piglatin.errors import ParseError
from piglatin.front import macrotext as T

__all__ = ["Macro", "MacroTable"]

log = logging.getLogger(__name__)

_DOLLAR_NAME = r"\$([A-Za-z_][A-Za-z0-9_]*)"  # compiled when first used (re's cache)


@dataclass(frozen=True, slots=True)
class Macro:
    """One definition: its parameters, return aliases (none for void) and fragment tokens."""

    name: str
    params: tuple[str, ...]
    returns: tuple[str, ...]
    body: tuple[T.Tok, ...]
    line: int


class MacroTable:
    """The macros of a session, and the count of expansions that names their aliases."""

    def __init__(self, base_dir: str | Path | None = None, search_path: str = "") -> None:
        self.macros: dict[str, Macro] = {}
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.search_path = search_path
        self.count = 0

    def expand(self, text: str, file: str | None = None) -> str:
        """`text` with its definitions and IMPORTs blanked and its invocations expanded."""
        if "define" not in text.lower() and "import" not in text.lower() and not self.macros:
            return text
        toks = T.tokens(text)
        out: list[str] = []
        statements = list(T.statements(toks))
        later = {T.words(toks[a:b])[1].text for a, b in statements if T.is_definition(toks[a:b])}
        for start, end in statements:
            part = toks[start:end]
            if T.is_definition(part):
                later.discard(T.words(part)[1].text)
            elif later:
                self._check_defined_before(T.words(part), later, file)
            out.append(self._statement(part, file))
        return "".join(out)

    def _check_defined_before(self, w: list[T.Tok], later: set[str], file: str | None) -> None:
        """An invocation of a macro this text defines only further down: Pig's "Macro must be
        defined before expansion"."""
        i = 0
        while i + 1 < len(w) and w[i].kind == "word" and w[i + 1].text in (",", "="):
            i += 2
        name = w[i].text if i + 1 < len(w) and w[i + 1].text == "(" else ""
        if name in later and name not in self.macros:
            raise _error(
                f"Cannot expand macro '{name}'. Reason: Macro must be defined before "
                "expansion (move its DEFINE above this line)",
                w[i],
                file,
            )

    # ---------------------------------------------------------------- statements
    def _statement(self, toks: list[T.Tok], file: str | None) -> str:
        w = T.words(toks)
        if T.is_definition(toks):
            self._define(toks, file)
            return _blank(toks)
        if len(w) >= 2 and w[0].kind == "word" and w[0].text.lower() == "import":
            if w[1].kind != "str":
                raise _error("IMPORT takes a quoted file name: IMPORT 'macros.pig';", w[0], file)
            self._import(w[1], file)
            return _blank(toks)
        call = self._invocation(w)
        if call is None:
            return "".join(t.text for t in toks)
        targets, name, args, at = call
        lead = "".join(t.text for t in toks[: toks.index(w[0])])
        newlines = "".join(t.text for t in toks).count("\n") - lead.count("\n")
        body = self._expand_call(name, targets, args, at, file, ())
        return lead + body + "\n" * newlines

    def _invocation(self, w: list[T.Tok]) -> tuple[list[str], str, list[list[T.Tok]], T.Tok] | None:
        """`X, Y = name(args);` or `name(args);` naming a known macro, else None."""
        targets: list[str] = []
        i = 0
        if not w:
            return None
        if len(w) >= 2 and w[0].kind == "word" and w[1].text in ("=", ","):
            while i + 1 < len(w) and w[i].kind == "word" and w[i + 1].text in (",", "="):
                targets.append(w[i].text)
                i += 2
                if w[i - 1].text == "=":
                    break
            else:
                return None
            if i < len(w) and w[i].text == "=":  # `X = = ...` or a comparison
                return None
        if i + 1 >= len(w) or w[i].kind != "word" or w[i + 1].text != "(":
            return None
        if w[i].text not in self.macros:
            return None
        name, at = w[i].text, w[i]
        args, depth, current = [], 0, []
        for t in w[i + 2 :]:
            if t.text in "(" and t.kind == "other":
                depth += 1
            elif t.text == ")" and t.kind == "other":
                if depth == 0:
                    break
                depth -= 1
            if t.text == "," and depth == 0:
                args.append(current)
                current = []
            else:
                current.append(t)
        if current or args:
            args.append(current)
        return targets, name, args, at

    def _define(self, toks: list[T.Tok], file: str | None) -> None:
        w = T.words(toks)
        name = w[1].text
        close = next((i for i, t in enumerate(w) if t.text == ")"), None)
        if close is None:
            raise _error(f"Macro {name}: its parameter list is not closed", w[1], file)
        params = tuple(t.text for t in w[3:close] if t.text != ",")
        if any(not re.fullmatch(r"[A-Za-z_]\w*", p) for p in params):
            raise _error(f"Macro {name}: parameters are names, as in (A, key)", w[1], file)
        rest = w[close + 1 :]
        if not rest or rest[0].text.lower() != "returns":
            raise _error(
                f"Macro {name} needs RETURNS: DEFINE {name}(...) RETURNS alias {{ ... }} "
                "(RETURNS void when it returns nothing)",
                w[1],
                file,
            )
        brace = next((i for i, t in enumerate(rest) if t.text == "{"), None)
        if brace is None:
            raise _error(f"Macro {name}: its body must be in {{ }}", w[1], file)
        returns = tuple(t.text for t in rest[1:brace] if t.text != ",")
        if [r.lower() for r in returns] == ["void"]:
            returns = ()
        if name in self.macros:
            raise _error(f"Macro {name} is defined twice (macro names are global)", w[1], file)
        _warn_if_builtin(name)
        # the body: the tokens between the braces, blanks included (they keep `a == b` apart)
        start = toks.index(rest[brace])
        depth, end = 0, len(toks)
        for j in range(start, len(toks)):
            if toks[j].kind != "other":
                continue
            if toks[j].text == "{":
                depth += 1
            elif toks[j].text == "}":
                depth -= 1
                if depth == 0:
                    end = j
                    break
        body = toks[start + 1 : end]
        for b_start, b_end in T.statements(body):
            if T.is_definition(body[b_start:b_end]):
                inner = T.words(body[b_start:b_end])[1]
                raise _error(
                    f"Invalid macro definition: macro {name} contains the macro definition "
                    f"{inner.text}; define {inner.text} before {name}, at the top level",
                    inner,
                    file,
                )
        assigned = T.assigned_returns(body)
        for r in returns:
            if r not in assigned:
                raise _error(
                    f"Invalid macro definition: Macro '{name}' missing return alias: {r} "
                    f"(its body must assign ${r}, as in ${r} = FILTER ...)",
                    w[1],
                    file,
                )
        self.macros[name] = Macro(name, params, returns, tuple(body), w[0].line)

    def _import(self, path_tok: T.Tok, file: str | None) -> None:
        wanted = path_tok.text[1:-1]
        candidates = [Path(wanted)]
        if not Path(wanted).is_absolute():
            dirs = [self.base_dir, Path(file).parent if file else None]
            dirs += [Path(d) for d in self.search_path.split(",") if d.strip()]
            candidates = [d / wanted for d in dirs if d is not None] + candidates
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise _error(f"Can not find the macro file '{wanted}' to IMPORT", path_tok, file)
        text = found.read_text()
        for start, end in T.statements(toks := T.tokens(text)):
            part = toks[start:end]
            if T.is_definition(part):
                self._define(part, str(found))
            elif T.words(part):
                first = T.words(part)[0]
                if first.text.lower() == "import":
                    self._import(T.words(part)[1], str(found))
                else:
                    raise _error(
                        f"{found.name} may hold only macro definitions and IMPORTs",
                        first,
                        str(found),
                    )

    # ---------------------------------------------------------------- expansion
    def _expand_call(
        self,
        name: str,
        targets: list[str],
        args: list[list[T.Tok]],
        at: T.Tok,
        file: str | None,
        active: tuple[str, ...],
    ) -> str:
        macro = self.macros[name]
        if name in active:
            raise _error(
                f"Macro {name} invokes itself: recursive macros are not supported", at, file
            )
        if len(args) != len(macro.params):
            raise _error(
                f"Failed to expand macro {name}: it takes {len(macro.params)} parameter(s) "
                f"({', '.join(macro.params)}), the invocation gives {len(args)}",
                at,
                file,
            )
        if len(targets) != len(macro.returns):
            want = ", ".join(macro.returns) or "none (RETURNS void)"
            raise _error(
                f"Failed to expand macro {name}: it returns {len(macro.returns)} alias(es) "
                f"({want}), the invocation assigns {len(targets)}",
                at,
                file,
            )
        values: dict[str, str] = {}
        for p, arg in zip(macro.params, args, strict=True):
            text = "".join(t.text for t in arg).strip()
            value = text[1:-1] if len(arg) == 1 and arg[0].kind == "str" else text
            if values.get(p, value) != value:  # Pig's PreprocessorContext.processOrdLine
                log.warning(
                    "Macro %s: Multiple values found for %s. Using value %s", name, p, value
                )
            values[p] = value
        values.update(zip(macro.returns, targets, strict=True))
        local = T.defined_aliases(list(macro.body)) - set(values)
        instance = self.count
        self.count += 1
        renamed = {a: f"macro_{name}_{a}_{instance}" for a in local}
        toks: list[T.Tok] = []
        written: list[T.Tok] = []  # the fragment substituted, its aliases not yet renamed
        previous = ""
        for t in macro.body:
            text = t.text
            if t.kind == "ws":  # comments dropped, and the fragment kept on one line
                toks.append(T.Tok("ws", " ", at.line, at.column))
                written.append(toks[-1])
                continue
            kind = t.kind
            if kind == "dollar" and text[1:] in values:
                text = values[text[1:]]
                kind = "word" if re.fullmatch(r"[A-Za-z_]\w*", text) else "other"
            elif t.kind == "str":
                text = re.sub(_DOLLAR_NAME, lambda m: values.get(m.group(1), m.group(0)), text)
            written.append(T.Tok(kind, text, at.line, at.column))
            if t.kind == "word" and text in renamed and previous not in (".", "#", "::"):
                text = renamed[text]
            previous = "::" if previous == ":" and t.text == ":" else t.text
            toks.append(T.Tok(kind, text, at.line, at.column))
        clash = T.schema_alias_clash(written)
        if clash is not None:
            raise _error(
                f"Failed to expand macro {name}: Macro doesn't support user defined schema "
                f"that contains name that conflicts with alias name: {clash} (rename the "
                "schema field or the alias in the macro)",
                at,
                file,
            )
        # the fragment's own invocations of earlier macros, expanded in turn
        out: list[str] = []
        for start, end in T.statements(toks):
            part = toks[start:end]
            w = T.words(part)
            call = self._invocation(w)
            if call is None:
                out.append("".join(t.text for t in part))
            else:
                sub_targets, sub_name, sub_args, _ = call
                out.append(
                    self._expand_call(sub_name, sub_targets, sub_args, at, file, (*active, name))
                )
        return "".join(out)


def _warn_if_builtin(name: str) -> None:
    from piglatin.functions.builtins import BUILTINS  # only when a macro is defined

    if name in BUILTINS:
        log.warning("macro name '%s' masks a builtin UDF %s", name, name)


def _blank(toks: list[T.Tok]) -> str:
    return "\n" * "".join(t.text for t in toks).count("\n")


def _error(message: str, at: T.Tok, file: str | None) -> ParseError:
    return ParseError(message, line=at.line, column=at.column)
