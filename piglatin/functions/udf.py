"""Python UDF support: the `outputSchema` decorator a registered UDF file uses.

Owns: the names a `REGISTER 'f.py' USING jython AS ns` file may use without importing them
(`outputSchema`, `outputSchemaFunction`, `schemaFunction`), the `pig_util` module a
`USING streaming_python` file imports them from, and `check_udf_file`, which loads a
REGISTERed file once in the client, as Pig evaluates a Jython script at REGISTER, so a missing
file, a syntax error or a failing import is reported with the user's file, line and message.
Must not touch: plans or execution; the builder reads the decorator text statically, the
runtime only calls the functions.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from piglatin.errors import PigError, user_code_error


def outputSchema(schema: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a UDF's result schema, e.g. ``@outputSchema("word:chararray")``."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.outputSchema = schema  # type: ignore[attr-defined]
        return fn

    return mark


def outputSchemaFunction(
    name: str,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.outputSchemaFunction = name  # type: ignore[attr-defined]
        return fn

    return mark


def schemaFunction(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return outputSchemaFunction(name)


def decorators() -> dict[str, Any]:
    """The names injected into a UDF module before it runs. A `streaming_python` UDF file
    imports them instead (``from pig_util import outputSchema``, udf.xml): the module
    `pig_util` is made importable here, before any UDF file is loaded."""
    names = {
        "outputSchema": outputSchema,
        "outputSchemaFunction": outputSchemaFunction,
        "schemaFunction": schemaFunction,
    }
    if "pig_util" not in sys.modules:
        pig_util = types.ModuleType("pig_util", "Pig's streaming_python UDF decorators.")
        pig_util.__dict__.update(names)
        sys.modules["pig_util"] = pig_util
    return names


def check_udf_file(path: str) -> None:
    """Load the REGISTERed Python file `path` in the client (a throwaway module, with the
    UDF decorators defined); raise PigError 101 when it is missing, a UserCodeError at the
    user's line when it does not compile or import."""
    import types

    if not os.path.isfile(path):
        raise PigError(
            f"Local file '{path}' does not exist; check the path given to REGISTER "
            "(relative paths are from the directory pig runs in)",
            code=101,
        )
    module = types.ModuleType("_pig_udf_check")
    module.__file__ = path
    module.__dict__.update(decorators())
    try:
        code = compile(Path(path).read_bytes(), path, "exec")
        exec(code, module.__dict__)  # noqa: S102 - the user's own UDF file, as Pig runs it
    except Exception as e:  # noqa: BLE001 - any failure of the user's code is theirs
        raise user_code_error(e, path) from None
