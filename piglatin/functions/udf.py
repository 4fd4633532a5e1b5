"""Python UDF support: the `outputSchema` decorator a registered UDF file uses.

Owns: the names a `REGISTER 'f.py' USING jython AS ns` file may use without importing them
(`outputSchema`, `outputSchemaFunction`, `schemaFunction`), and `check_udf_file`, which loads a
REGISTERed file once in the client, as Pig evaluates a Jython script at REGISTER, so a missing
file, a syntax error or a failing import is reported with the user's file, line and message.
Must not touch: plans or execution; the builder reads the decorator text statically, the
runtime only calls the functions.
"""

from __future__ import annotations

import os
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
    """The names injected into a UDF module before it runs."""
    return {
        "outputSchema": outputSchema,
        "outputSchemaFunction": outputSchemaFunction,
        "schemaFunction": schemaFunction,
    }


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
