"""Reads Pig Latin conformance cases (``cases/*.pig.case``) and compares DUMP output with them.

Owns: the case-file format (see README.md next to this file), a parser for it, and the
comparison rules (multiset of lines for ``expect unordered``, bags compared as multisets).
Must not touch: the compiler under ``piglatin/``; nothing here imports it, so the cases and
their checking stay independent of the implementation they judge.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

MARK = "#=="
EXPECT_KINDS = ("unordered", "ordered", "error", "file")
CASES_DIR = Path(__file__).resolve().parent / "cases"
_NAME_RE = re.compile(r"^[a-z0-9_]+$")


class CaseFormatError(ValueError):
    """A case file does not follow the format described in README.md."""


@dataclasses.dataclass(frozen=True, slots=True)
class Expectation:
    """What one ``#== expect`` section asks for.

    kind: ``unordered`` / ``ordered`` (DUMP output), ``error`` (substrings of the message),
    ``file`` (content of a STOREd path). ``ordered`` only applies to ``file`` when the
    header says ``#== expect file: out ordered``. ``strict_bags`` keeps bag element order.
    """

    kind: str
    lines: tuple[str, ...]
    path: str = ""
    ordered: bool = False
    strict_bags: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Case:
    """One script, its input files and parameters, and the expected outcome."""

    name: str
    doc: str
    script: str
    inputs: tuple[tuple[str, str], ...]
    params: tuple[tuple[str, str], ...]
    param_files: tuple[tuple[str, str], ...]
    expectations: tuple[Expectation, ...]
    source: str = ""

    @property
    def expects_error(self) -> bool:
        return any(e.kind == "error" for e in self.expectations)


def _strip_trailing_blank(lines: list[str]) -> list[str]:
    """Drop trailing empty lines (a line of only tabs is data: a row of empty fields)."""
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _split_sections(text: str, source: str) -> list[tuple[str, list[str]]]:
    """Split a case file into (header, body lines) pairs; header is the text after ``#==``."""
    sections: list[tuple[str, list[str]]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith(MARK):
            sections.append((line[len(MARK):].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip():
            raise CaseFormatError(f"{source}:{lineno}: text before the first '#==' header")
    return sections


def _parse_expect(header: str, body: list[str], source: str) -> Expectation:
    words = header.split(None, 1)[1] if " " in header else ""
    if not words:
        raise CaseFormatError(f"{source}: 'expect' needs a kind: one of {EXPECT_KINDS}")
    flags = words.replace(":", " ").split()
    kind = flags[0]
    if kind not in EXPECT_KINDS:
        raise CaseFormatError(f"{source}: unknown expectation '{kind}', use one of {EXPECT_KINDS}")
    lines = tuple(_strip_trailing_blank(list(body)))
    if kind == "file":
        if len(flags) < 2:
            raise CaseFormatError(f"{source}: 'expect file:' needs a path")
        return Expectation("file", lines, path=flags[1], ordered="ordered" in flags[2:],
                           strict_bags="strict_bags" in flags[2:])
    lines = tuple(line for line in lines if line.strip())
    if kind == "error" and not lines:
        raise CaseFormatError(f"{source}: 'expect error' needs at least one substring line")
    return Expectation(kind, lines, ordered=kind == "ordered",
                       strict_bags="strict_bags" in flags[1:])


def parse_case(text: str, source: str = "<case>") -> Case:
    """Parse the text of one ``.pig.case`` file."""
    name = doc = ""
    script: list[str] | None = None
    inputs: list[tuple[str, str]] = []
    params: list[tuple[str, str]] = []
    param_files: list[tuple[str, str]] = []
    expectations: list[Expectation] = []
    for header, body in _split_sections(text, source):
        key, _, value = header.partition(":")
        key = key.strip().split()[0] if key.strip() else ""
        value = value.strip()
        if key == "name":
            name = value
        elif key == "doc":
            doc = " ".join([value, *(b.strip() for b in body if b.strip())]).strip()
        elif key == "script":
            script = _strip_trailing_blank(list(body))
        elif key in ("input", "param_file"):
            if not value:
                raise CaseFormatError(f"{source}: '{key}:' needs a file name")
            content = "".join(line + "\n" for line in _strip_trailing_blank(list(body)))
            (inputs if key == "input" else param_files).append((value, content))
        elif key == "param":
            pname, eq, pvalue = value.partition("=")
            if not eq or not pname.strip():
                raise CaseFormatError(f"{source}: 'param:' must read 'name=value'")
            params.append((pname.strip(), pvalue.strip()))
        elif key == "expect":
            expectations.append(_parse_expect(header, body, source))
        else:
            raise CaseFormatError(f"{source}: unknown section '#== {header}'")
    _validate(name, doc, script, expectations, source)
    assert script is not None
    return Case(name, doc, "\n".join(script) + "\n", tuple(inputs), tuple(params),
                tuple(param_files), tuple(expectations), source)


def _validate(name: str, doc: str, script: list[str] | None,
              expectations: list[Expectation], source: str) -> None:
    if not _NAME_RE.match(name):
        raise CaseFormatError(f"{source}: 'name:' must be lower_snake_case, got {name!r}")
    if not doc:
        raise CaseFormatError(f"{source}: 'doc:' (where the behaviour is documented) is missing")
    if not script or not any(line.strip() for line in script):
        raise CaseFormatError(f"{source}: the '#== script' section is missing or empty")
    if not expectations:
        raise CaseFormatError(f"{source}: no '#== expect' section")
    kinds = [e.kind for e in expectations]
    if "error" in kinds and len(kinds) > 1:
        raise CaseFormatError(f"{source}: 'expect error' cannot be combined with other expects")
    if kinds.count("unordered") + kinds.count("ordered") > 1:
        raise CaseFormatError(f"{source}: at most one DUMP expectation (ordered or unordered)")


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Every ``*.pig.case`` under ``directory``, sorted by file name."""
    return [parse_case(p.read_text(encoding="utf-8"), str(p.name))
            for p in sorted(directory.glob("*.pig.case"))]


# ---------------------------------------------------------------- DUMP text canonical form

class _Unparsable(Exception):
    pass


def _parse_value(text: str, pos: int) -> tuple[object, int]:
    """Parse one DUMP value at ``pos``: ('t', items) tuple, ('b', items) bag, ('m', pairs), atom."""
    if pos < len(text) and text[pos] in "({[":
        opener = text[pos]
        closer = {"(": ")", "{": "}", "[": "]"}[opener]
        items: list[object] = []
        pos += 1
        if pos < len(text) and text[pos] == closer:
            return ({"(": "t", "{": "b", "[": "m"}[opener], items), pos + 1
        while True:
            if opener == "[":
                key, pos = _parse_atom(text, pos)
                if pos >= len(text) or text[pos] != "#":
                    raise _Unparsable
                value, pos = _parse_value(text, pos + 1)
                items.append((key, value))
            else:
                value, pos = _parse_value(text, pos)
                if opener == "{" and not (isinstance(value, tuple) and value[0] == "t"):
                    raise _Unparsable
                items.append(value)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            if pos < len(text) and text[pos] == closer:
                return ({"(": "t", "{": "b", "[": "m"}[opener], items), pos + 1
            raise _Unparsable
    return _parse_atom(text, pos)


def _parse_atom(text: str, pos: int) -> tuple[str, int]:
    end = pos
    while end < len(text) and text[end] not in "(){}[],#":
        end += 1
    return text[pos:end], end


def _render(value: object) -> str:
    if isinstance(value, str):
        return value
    kind, items = value  # type: ignore[misc]
    if kind == "t":
        return "(" + ",".join(_render(v) for v in items) + ")"
    if kind == "b":
        return "{" + ",".join(sorted(_render(v) for v in items)) + "}"
    return "[" + ",".join(sorted(f"{k}#{_render(v)}" for k, v in items)) + "]"


def canonical(line: str) -> str:
    """The line with every bag's tuples and every map's entries in sorted order.

    Bags and maps are unordered in Pig, so their printed order is not part of the answer.
    A line that is not one DUMP value (DESCRIBE output, a message) comes back unchanged. A
    tab-separated line (PigStorage output) is canonicalised field by field.
    """
    if "\t" in line:
        return "\t".join(canonical(field) for field in line.split("\t"))
    try:
        value, end = _parse_value(line, 0)
    except (_Unparsable, RecursionError):
        return line
    if end != len(line) or isinstance(value, str):
        return line
    return _render(value)


def compare_lines(expected: tuple[str, ...] | list[str], actual: list[str], *,
                  ordered: bool, strict_bags: bool = False) -> str | None:
    """None when ``actual`` matches ``expected``, else a readable description of the difference."""
    norm = (lambda s: s) if strict_bags else canonical
    exp = [norm(line) for line in expected]
    act = [norm(line) for line in actual]
    if ordered:
        if exp == act:
            return None
        return _describe_ordered(exp, act)
    missing = Counter(exp) - Counter(act)
    extra = Counter(act) - Counter(exp)
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(f"{k} x{v}" for k, v in sorted(missing.items())))
    if extra:
        parts.append("unexpected: " + ", ".join(f"{k} x{v}" for k, v in sorted(extra.items())))
    return "; ".join(parts)


def _describe_ordered(exp: list[str], act: list[str]) -> str:
    for i, (e, a) in enumerate(zip(exp, act)):
        if e != a:
            return f"line {i + 1}: expected {e!r}, got {a!r}"
    return f"expected {len(exp)} lines, got {len(act)}: {act!r}"


def missing_substrings(expected: tuple[str, ...], message: str) -> list[str]:
    """The expected error substrings that do not occur in ``message``."""
    return [s for s in expected if s not in message]


def read_stored(path: Path) -> list[str]:
    """Lines of a STOREd output: a plain file, or the part files of a directory in name order."""
    if path.is_file():
        return path.read_text(encoding="utf-8").splitlines()
    if not path.is_dir():
        raise FileNotFoundError(str(path))
    lines: list[str] = []
    for part in sorted(path.iterdir()):
        if part.is_file() and not part.name.startswith(("_", ".")):
            lines.extend(part.read_text(encoding="utf-8").splitlines())
    return lines
