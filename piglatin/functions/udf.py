"""Python UDF support: the `outputSchema` decorator a registered UDF file uses.

Owns: the names a `REGISTER 'f.py' USING jython AS ns` file may use without importing them
(`outputSchema`, `outputSchemaFunction`, `schemaFunction`). Must not touch: plans or execution;
the builder reads the decorator text statically, the runtime only calls the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
