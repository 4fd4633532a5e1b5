"""A PigStorage LOAD without AS takes the schema a `STORE ... USING PigStorage(d, '-schema')`
left in `.pig_schema` (PigStorage.getSchema / JsonMetadata.getSchema in Pig 0.17); so does a
JsonLoader() without its schema argument, for what JsonStorage stored (a missing file is then
ERROR 1131, as Pig's JsonLoader).

Owns: finding such LOADs in a preprocessed script, reading the schema file their location
has, and giving the script text back with ` AS (<that schema>)` after each, so the plan every
task rebuilds from the script's text is the one the client built (the file is read once, when
the statement is registered, as Pig reads it when it builds the plan). `-noschema` turns the
lookup off; `-schema` makes a missing or unreadable file an error (ERROR 1131), as in Pig;
`-tagFile`/`-tagPath` put Pig's INPUT_FILE_NAME / INPUT_FILE_PATH chararray field first.
Must not touch: parsing rules or how rows are read (storage.py applies the schema as any AS).
"""

from __future__ import annotations

from collections.abc import Callable

from piglatin.errors import PigError
from piglatin.front import ast as A
from piglatin.front.parser import parse, pretty
from piglatin.functions.resourceschema import find_schema, from_json, read_text
from piglatin.model.schema import DataType, FieldSchema, Schema

__all__ = ["with_stored_schemas"]


def with_stored_schemas(text: str, locate: Callable[[str], str], file: str | None = None) -> str:
    """`text` with `AS (schema)` added to each PigStorage LOAD whose location has a
    `.pig_schema`; `locate` turns a LOAD path into a URL (the session's location rules)."""
    if "load" not in text.lower():
        return text
    try:
        script = parse(text, file)
    except PigError:
        return text  # the real parse reports it
    inserts: list[tuple[int, str]] = []
    offsets = _line_offsets(text)
    for st in script.statements:
        if not isinstance(st, A.Assign) or not isinstance(st.op, A.Load):
            continue
        schema = _stored(st.op, locate)
        if schema is None or not st.op.line:
            continue
        start = offsets[st.op.line - 1] + st.op.column - 1
        end = _relation_end(text, start)
        if end is not None:
            inserts.append((end, " AS " + pretty(schema)))
    for pos, piece in sorted(inserts, reverse=True):
        text = text[:pos] + piece + text[pos:]
    return text


def _stored(load: A.Load, locate: Callable[[str], str]) -> Schema | None:
    func = load.func
    if load.schema is not None:
        return None
    if func is not None and _short(func.name) == "JsonLoader":
        if func.args:  # JsonLoader('a:int, ...') has its schema
            return None
        options, strict = [], True  # JsonLoader() needs the file (JsonMetadata, strict)
    elif func is not None and _short(func.name) != "PigStorage":
        return None
    else:
        options = str(func.args[1]).split() if func is not None and len(func.args) > 1 else []
        strict = "-schema" in options
    if "-noschema" in options:
        return None
    location = locate(load.path)
    if not _readable_here(location):
        return None  # another filesystem: the LOAD itself reports it (ERROR 2118)
    try:
        found = find_schema(location)
        if found is None:
            return _missing(strict, f"Could not find schema file for {location}", load)
        schema = from_json(read_text(found))
    except (OSError, ValueError) as e:
        return _missing(strict, f"Unable to load Resource Schema for {location}: {e}", load)
    except Exception as e:  # noqa: BLE001 - a filesystem's own failure: no schema, as Pig's
        return _missing(strict, f"Could not find schema file for {location}: {e}", load)
    if "-tagPath" in options:
        schema = Schema((FieldSchema("INPUT_FILE_PATH", DataType.CHARARRAY), *schema))
    elif "-tagFile" in options or "-tagsource" in options:
        schema = Schema((FieldSchema("INPUT_FILE_NAME", DataType.CHARARRAY), *schema))
    return schema


def _readable_here(location: str) -> bool:
    """A local path, file:// or dfs:// location: the schema file is looked for there only
    (opening any other filesystem here would fail or hang before the LOAD's own check)."""
    return all(
        "://" not in loc or loc.startswith(("file://", "dfs://")) for loc in location.split(",")
    )


def _missing(strict: bool, message: str, load: A.Load) -> None:
    if strict:
        raise PigError(message, code=1131, line=load.line or None, column=load.column or None)
    return None


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            offsets.append(i + 1)
    return offsets


def _relation_end(text: str, pos: int) -> int | None:
    """The offset of the `;` that ends the statement whose LOAD starts at `pos` (quoted
    strings, comments and parentheses skipped)."""
    depth, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch == "'":
            pos += 1
            while pos < n and text[pos] != "'":
                pos += 2 if text[pos] == "\\" else 1
        elif text.startswith("--", pos):
            pos = text.find("\n", pos)
            if pos < 0:
                return None
        elif text.startswith("/*", pos):
            pos = text.find("*/", pos)
            if pos < 0:
                return None
            pos += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ";" and depth <= 0:
            return pos
        pos += 1
    return None
