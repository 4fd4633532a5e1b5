"""Pig parameter substitution: `$name`, `%declare`, `%default`, `-param`, `-param_file`.

Owns: turning a raw script plus parameters into the text the parser sees.  Line
numbers are preserved (a `%declare` line becomes an empty line) so parse errors point
at the user's file.  Must not touch: parsing or plans.

Policy (Pig's "Parameter Substitution" docs): precedence is `%declare` (highest), then
`-param` on the command line, then `-param_file` files (later files win), then
`%default` (lowest).  A `%declare` is in scope from the line after it until the next
`%declare` of the same name.  Parameter names are case-insensitive.  Values are a word,
a quoted string (the quotes are removed) or a command in back ticks (its stdout).
A value may use earlier parameters.  `\\$name` is not substituted; `$0`-style
positional fields are left alone; nothing is substituted inside comments.  In a macro's
body its own parameters and return aliases are left for the expansion (macros.py), even
when a parameter has the same name (Pig 0.17: the macro's win), as is any `$name` not
defined; other defined parameters are substituted there too.

>>> substitute("A = LOAD '$data';", {"data": "mydata"})
"A = LOAD 'mydata';"
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import field
from pathlib import Path

from dfs.fastclass import dataclass
from piglatin.errors import ParameterError

log = logging.getLogger(__name__)

# Pig's PreprocessorContext id pattern: underscores, then a letter (so perl's `$_` in a STREAM
# command, or `$_;`, is no parameter)
_NAME = re.compile(r"\$(?:\{(_*[A-Za-z][A-Za-z0-9_]*)\}|(_*[A-Za-z][A-Za-z0-9_]*))")


@functools.cache
def _macro() -> re.Pattern[str]:
    """The first line of a macro's definition, DEFINE name(params) RETURNS ... (a function's
    is DEFINE alias Func(...): a second name before the parenthesis). Compiled the first
    time a line may be one (`_macro_start`): most scripts have none."""
    return re.compile(r"^\s*define\s+[A-Za-z_][A-Za-z0-9_]*\s*\(", re.I)


@functools.cache
def _directive_line() -> re.Pattern[str]:
    """A %declare or %default line (compiled the first time a line holds a '%')."""
    return re.compile(r"^\s*%(declare|default)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(.*?)\s*;?\s*$", re.I)


def _macro_start(line: str) -> bool:
    """Does `line` start a macro's definition? An ASCII line without the word cannot."""
    return (not line.isascii() or "define" in line.lower()) and bool(_macro().match(line))


def _directive_match(line: str) -> re.Match[str] | None:
    return _directive_line().match(line) if "%" in line else None


def _is_name(text: str) -> bool:
    """``[A-Za-z_][A-Za-z0-9_]*``, the whole text (an ASCII identifier is exactly that)."""
    return text.isascii() and text.isidentifier()


def parse_value(raw: str, *, where: str = "parameter", run_commands: bool = True) -> str:
    """A parameter value as written: word, 'quoted', "quoted" or `command`."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    if len(raw) >= 2 and raw[0] == raw[-1] == "`":
        if not run_commands:
            raise ParameterError(f"Back-tick commands are disabled for {where}")
        return _run_command(raw[1:-1], where)
    return raw


def _run_command(cmd: str, where: str) -> str:
    import subprocess  # here: a script rarely runs a command, and the import costs

    try:
        done = subprocess.run(
            cmd, shell=True, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise ParameterError(f"Cannot run command `{cmd}` for {where}: {e}") from e
    if done.returncode != 0:
        raise ParameterError(
            f"Command `{cmd}` for {where} failed with exit status {done.returncode}"
        )
    return done.stdout.strip()


def parse_param_args(items: Iterable[str]) -> dict[str, str]:
    """`-param k=v` values (later ones win, with a warning), keys lower-cased."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not _is_name(key):
            raise ParameterError(f"Bad -param '{item}': expected name=value")
        if key.lower() in out:
            log.warning("parameter %s given more than once; using the last value", key)
        out[key.lower()] = parse_value(value, where=f"-param {key}")
    return out


def parse_param_file(
    text: str, *, name: str = "param file", known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`name = value` lines; blank lines and lines starting with `#` are skipped.

    A value may refer to parameters defined earlier in the file or in `known`.
    """
    out: dict[str, str] = {}
    scope = dict(known or {})
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _is_name(key):
            raise ParameterError(
                f"Bad line in {name}: expected name = value", file=name, line=lineno
            )
        value = _substitute_text(value.strip(), scope, file=name, line=lineno)
        out[key.lower()] = scope[key.lower()] = parse_value(value, where=f"{name}:{lineno}")
    return out


def load_param_files(paths: Iterable[str | Path]) -> dict[str, str]:
    """Read several -param_file files in order; a later file overrides an earlier one."""
    out: dict[str, str] = {}
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text()
        except OSError as e:
            raise ParameterError(f"Cannot read parameter file {path}: {e.strerror}") from e
        out.update(parse_param_file(text, name=str(path), known=out))
    return out


@dataclass
class _Scope:
    cmdline: dict[str, str]
    declared: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        key = name.lower()
        for table in (self.declared, self.cmdline, self.defaults):
            if key in table:
                return table[key]
        return None

    def merged(self) -> dict[str, str]:
        return {**self.defaults, **self.cmdline, **self.declared}


def substitute(
    text: str,
    params: Mapping[str, str] | None = None,
    *,
    param_files: Iterable[str | Path] = (),
    file: str | None = None,
) -> str:
    """The script with every `$name` replaced; `%declare`/`%default` lines blanked."""
    cmdline = load_param_files(param_files)
    cmdline.update({k.lower(): v for k, v in (params or {}).items()})
    scope = _Scope(cmdline)
    out: list[str] = []
    in_comment = False
    in_macro, braces = False, 0  # a macro's body: its $params are its own, left for the parser
    own: frozenset[str] = frozenset()  # the macro's parameters and return aliases
    lines = text.split("\n")
    for lineno, line in enumerate(lines, 1):
        m = None if in_comment else _directive_match(line)
        if m:
            _directive(m, scope, file, lineno)
            out.append("")
            continue
        if not in_comment and not in_macro and _macro_start(line):
            in_macro, braces = True, 0
            own = _macro_names(lines, lineno - 1)
        new, in_comment = _substitute_line(
            line, scope, in_comment, file, lineno, in_macro, own if in_macro else frozenset()
        )
        if in_macro:
            braces += line.count("{") - line.count("}")
            in_macro = braces > 0 or "}" not in line
        out.append(new)
    return "\n".join(out)


def _macro_names(lines: list[str], start: int) -> frozenset[str]:
    """The parameter and return names (lower-cased) of the macro whose DEFINE starts at
    lines[start], read up to its body's '{': in its body they are the macro's own, even when
    a -param or %declare has the same name (Pig 0.17's PigMacro.substituteParams adds the
    script's parameters with overwrite=false: "macro parameters should have precedence")."""
    head: list[str] = []
    for line in lines[start : start + 20]:
        head.append(line.split("{", 1)[0])
        if "{" in line:
            break
    text = " ".join(head)
    params = text[text.find("(") + 1 : text.find(")")] if "(" in text else ""
    returns = re.split(r"(?i)\breturns\b", text, maxsplit=1)[1:]
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", params + " " + " ".join(returns))
    return frozenset(w.lower() for w in words if w.lower() != "void")


def _strip_comment(raw: str) -> str:
    """A directive's value without a trailing `-- comment` (quoted values kept whole)."""
    if raw[:1] in "'\"`":
        end = raw.find(raw[0], 1)
        while end > 0 and raw[end - 1] == "\\":
            end = raw.find(raw[0], end + 1)
        return raw[: end + 1] if end > 0 else raw
    return raw.split("--", 1)[0].rstrip().rstrip(";").rstrip()


def _directive(m: re.Match[str], scope: _Scope, file: str | None, lineno: int) -> None:
    kind, name, raw = m.group(1).lower(), m.group(2), _strip_comment(m.group(3))
    if not raw:
        raise ParameterError(f"%{kind} {name} needs a value", file=file, line=lineno)
    value = parse_value(
        _substitute_text(raw, scope.merged(), file=file, line=lineno), where=f"%{kind} {name}"
    )
    table = scope.declared if kind == "declare" else scope.defaults
    table[name.lower()] = value


def _substitute_text(text: str, scope: Mapping[str, str], *, file: str | None, line: int) -> str:
    new, _ = _substitute_line(text, _Scope(dict(scope)), False, file, line)
    return new


def _substitute_line(
    line: str,
    scope: _Scope,
    in_comment: bool,
    file: str | None,
    lineno: int,
    keep_unknown: bool = False,
    own: frozenset[str] = frozenset(),
) -> tuple[str, bool]:
    """Replace parameters in one line, skipping `--` and `/* */` comments (`keep_unknown`:
    an undefined one is left as written, as in a macro's body, whose $names are its own;
    `own`: names left as written even when defined, a macro's parameters)."""
    out: list[str] = []
    i, n = 0, len(line)
    in_string = False
    while i < n:
        c = line[i]
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                out.append(line[i:])
                return "".join(out), True
            out.append(line[i : end + 2])
            i, in_comment = end + 2, False
            continue
        if not in_string and line.startswith("--", i):
            out.append(line[i:])
            break
        if not in_string and line.startswith("/*", i):
            in_comment = True
            out.append("/*")
            i += 2
            continue
        if c == "\\" and i + 1 < n and line[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if c == "\\" and in_string and i + 1 < n:
            out.append(line[i : i + 2])
            i += 2
            continue
        if c == "'":
            in_string = not in_string
        if c == "$":
            m = _NAME.match(line, i)
            name = (m.group(1) or m.group(2)) if m else ""
            if m and keep_unknown and (name.lower() in own or scope.get(name) is None):
                out.append(m.group(0))
                i = m.end()
                continue
            if m:
                out.append(_lookup(m, scope, file, lineno, i))
                i = m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out), in_comment


def _lookup(m: re.Match[str], scope: _Scope, file: str | None, lineno: int, col: int) -> str:
    name = m.group(1) or m.group(2)
    value = scope.get(name)
    if value is None:
        raise ParameterError(
            f"Undefined parameter : {name}", file=file, line=lineno, column=col + 1
        )
    return value


def parse_run_args(args: str) -> tuple[dict[str, str], list[str], str | None]:
    """The arguments of grunt's `exec` / `run` (and of `pig` itself, minus other flags):
    `[-param k=v]... [-param_file f]... [script]` -> (params, param files, script)."""
    import shlex

    words = shlex.split(args)
    params: list[str] = []
    files: list[str] = []
    script: str | None = None
    i = 0
    while i < len(words):
        # cmds.xml writes `exec –param out=myoutput myscript.pig` with an en dash
        w = "-" + words[i][1:] if words[i].startswith("\u2013") else words[i]
        if w in ("-param", "-p", "-param_file", "-m") and i + 1 < len(words):
            (params if w in ("-param", "-p") else files).append(words[i + 1])
            i += 2
            continue
        if w.startswith("-"):
            raise ParameterError(
                f"Unknown option {w} for exec/run; use -param k=v or -param_file f"
            )
        if script is not None:
            raise ParameterError(f"exec/run takes one script, got {script} and {w}")
        script = w
        i += 1
    return parse_param_args(params), files, script
