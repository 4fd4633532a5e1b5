"""Python UDF support: the `outputSchema` decorator a registered UDF file uses.

Owns: the names a `REGISTER 'f.py' USING jython AS ns` file may use without importing them
(`outputSchema`, `outputSchemaFunction`, `schemaFunction`), the `pig_util` module a
`USING streaming_python` file imports them from, and `check_udf_file`, which loads a
REGISTERed file once in the client, as Pig evaluates a Jython script at REGISTER, so a missing
file, a syntax error or a failing import is reported with the user's file, line and message;
and `UdfFunctions`, a loaded file's functions as Pig calls them: each result made a Pig value
by `pig_value`, as Pig's JythonUtils.pythonToPig does (a list is a bag whose items that are
not tuples are wrapped in one-field tuples, a tuple a tuple, a dict a map, recursively).
Must not touch: plans or execution; the builder reads the decorator text statically, the
runtime only calls the functions.
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dfs.lazyre import LazyRegex
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


#: udf.xml's script engines Pig 0.17 has that this implementation does not run, by the name
#: REGISTER ... USING gives (the parser maps their class names to these)
_OTHER_ENGINES = {"javascript": "JavaScript", "jruby": "Ruby (JRuby)", "groovy": "Groovy"}
#: the engines Python UDF files run with here
PYTHON_ENGINES = ("jython", "streaming_python")


def engine_refusal(engine: str | None, path: str, namespace: str | None) -> str | None:
    """Why ``REGISTER 'path' USING engine AS namespace`` is refused, or None when it is not:
    a JavaScript, JRuby or Groovy UDF file (Pig runs them; here only Python UDFs run), or an
    engine Pig does not know either (Pig's ScriptEngine.getInstance: "Could not load
    ScriptEngine"). No USING registers the file as Pig does (no functions)."""
    if engine is None or engine.lower() in PYTHON_ENGINES:
        return None
    ns = namespace or "myfuncs"
    stem = os.path.splitext(os.path.basename(path))[0] or "udfs"
    fix = (
        f"write the functions as a Python UDF file and register it with REGISTER '{stem}.py' "
        f"USING jython AS {ns}"
    )
    if engine.lower() in _OTHER_ENGINES:
        return (
            f"REGISTER '{path}' USING {engine}: {_OTHER_ENGINES[engine.lower()]} UDFs are not "
            f"supported by this implementation (only Python UDFs: USING jython or "
            f"streaming_python); {fix}"
        )
    return (
        f"Could not load ScriptEngine: {engine} (Pig's script engines are jython, "
        f"streaming_python, javascript, jruby and groovy; the Python ones run here); {fix}"
    )


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


#: the Python types that are Pig values as they are (data.py's representation of null,
#: int/long, double, chararray, bytearray, boolean)
_PLAIN = frozenset({type(None), int, float, str, bytes, bool})

#: an outputSchema of one scalar field ("word:chararray", "long"): the function's results are
#: used as they come, with no wrapper and no per-call cost
_SCALAR_SCHEMA = LazyRegex(
    r"\s*(?:\w+\s*:\s*)?(?:int|long|float|double|chararray|boolean|datetime|biginteger"
    r"|bigdecimal)\s*",
    re.IGNORECASE,
)


def pig_value(value: Any) -> Any:
    """A Python UDF's result as a Pig value, as Pig's JythonUtils.pythonToPig makes it: None
    is null, a bool a boolean, an int an int or long, a float a double, a str a chararray,
    bytes (or a bytearray) a bytearray, a tuple a tuple of Pig values, a list a bag whose
    items that are not tuples are wrapped in one-field tuples, a dict a map (keys as str).
    A datetime is a datetime (one without a time zone is read as UTC; Jython's UDFs cannot
    return one). Any other type raises TypeError, as Pig's "Cannot convert jython type"."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_bag_row(x) for x in value]
    if kind is tuple:
        return tuple([x if type(x) in _PLAIN else pig_value(x) for x in value])
    if kind is dict:
        return {str(k): v if type(v) in _PLAIN else pig_value(v) for k, v in value.items()}
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    for base in (bool, int, float, str, bytes, tuple, list, dict):  # subclasses: namedtuple..
        if isinstance(value, base):
            return pig_value(base(value))
    raise TypeError(
        f"Cannot convert python type ({kind.__module__}.{kind.__qualname__}) to pig datatype: "
        "a UDF returns None, bool, int, float, str, bytes, a tuple, a list (a bag) or a dict "
        "(a map)"
    )


def _bag_row(item: Any) -> tuple:
    """One item of a list a UDF returned, as a row of its bag."""
    if type(item) is tuple:
        return pig_value(item)
    row = pig_value(item)
    return row if type(row) is tuple else (row,)


def pig_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn`, a Python UDF, as Pig calls it: its results made Pig values (`pig_value`). A
    function whose outputSchema is one scalar field is `fn` itself (its results are used as
    they come); any other is wrapped, and a result of a plain type passes after one type
    test."""
    schema = getattr(fn, "outputSchema", None)
    if isinstance(schema, str) and _SCALAR_SCHEMA.fullmatch(schema):
        return fn
    call = _converting(fn, _fixed_arity(fn))
    call.__name__ = getattr(fn, "__name__", "udf")
    call.__qualname__ = getattr(fn, "__qualname__", call.__name__)
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    return call


_VARIADIC = 0x04 | 0x08  # inspect.CO_VARARGS | inspect.CO_VARKEYWORDS (no import at start-up)


def _fixed_arity(fn: Callable[..., Any]) -> int | None:
    """How many arguments a plain Python function takes when it takes exactly that many (no
    defaults, *args, **kwargs or keyword-only ones); None for any other callable."""
    code = getattr(fn, "__code__", None)
    if code is None or getattr(fn, "__defaults__", None) or getattr(fn, "__kwdefaults__", None):
        return None
    if code.co_flags & _VARIADIC or code.co_kwonlyargcount:
        return None
    return code.co_argcount


def _converting(fn: Callable[..., Any], arity: int | None) -> Callable[..., Any]:
    """`fn` with its result made a Pig value: a plain result passes after one type test. A
    function of one or two fixed arguments gets a wrapper of that arity (no argument tuple
    per call: a third fewer instructions than ``*args``)."""
    plain, convert = _PLAIN, pig_value
    if arity == 1:

        def call1(a: Any) -> Any:
            value = fn(a)
            return value if type(value) in plain else convert(value)

        return call1
    if arity == 2:

        def call2(a: Any, b: Any) -> Any:
            value = fn(a, b)
            return value if type(value) in plain else convert(value)

        return call2

    def call(*args: Any) -> Any:
        value = fn(*args)
        return value if type(value) in plain else convert(value)

    return call


class UdfFunctions:
    """A loaded UDF module's functions as Pig calls them (`pig_function`), by attribute as
    the module's own: ``getattr(UdfFunctions(module), "f")``. The module itself is untouched,
    so its functions calling each other see plain Python values."""

    __slots__ = ("module",)

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("__"):  # copy/pickle probes, not the user's functions
            raise AttributeError(name)
        return pig_function(getattr(self.module, name))
