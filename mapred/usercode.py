"""Telling a user's mistake from the framework's: what a job's own code did wrong, in its terms.

Owns: explaining the errors that surface inside the framework but are the user's (``map()``
returned an int, so iterating it fails in the map output buffer), naming the hook that failed
(``setup() of MyJob`` rather than a failing record at offset 0), and tracebacks that show the
user's frames without the framework's (a job file that does not import, a failing record).
Must not touch: how tasks run. Nothing here is on a hot path: every function runs after
something failed.

>>> def bad():
...     iter(5)
>>> try:
...     bad()
... except TypeError as e:
...     explain_output_error(e, "map", "MyJob", frameworks=())  # raised in "user" code: None
"""

from __future__ import annotations

import os
import traceback
from types import TracebackType

from dfs.lazyre import LazyRegex
from mapred.errors import MapRedError

__all__ = [
    "OutputShapeError",
    "explain_output_error",
    "has_user_frame",
    "hook_location",
    "is_hook_location",
    "user_traceback",
    "FRAMEWORK_DIRS",
]

#: Directories whose frames are the framework's (the engine that calls a job's methods).
FRAMEWORK_DIRS = (os.path.dirname(os.path.abspath(__file__)),)
_HOOKS = ("setup()", "cleanup()")

_NOT_ITERABLE = LazyRegex(r"'(\w+)' object is not iterable")
_NOT_PAIR = LazyRegex(r"cannot unpack non-iterable (\w+) object")
_WRONG_LENGTH = LazyRegex(r"(too many|not enough) values to unpack \(expected 2(, got \d+)?\)")


class OutputShapeError(MapRedError, TypeError):
    """``map()``/``reduce()`` returned something that is not an iterable of (key, value) pairs."""


def explain_output_error(
    e: BaseException, method: str, job_name: str, frameworks: tuple[str, ...] = FRAMEWORK_DIRS
) -> OutputShapeError | None:
    """`e` explained as the wrong shape of what `method` of `job_name` returned, or None when
    `e` is something else (raised by the user's own code, or not a shape error at all).

    The check runs on the failure path only: the framework iterates a method's result without
    looking at it, and a ``TypeError``/``ValueError`` raised in the framework's own frame while
    doing so can only come from that result."""
    if not isinstance(e, (TypeError, ValueError)) or not _raised_in(e, frameworks):
        return None
    text = str(e)
    if m := _NOT_ITERABLE.fullmatch(text):
        got = m.group(1)
    elif m := _NOT_PAIR.fullmatch(text):
        got = f"an item of type {m.group(1)} where a (key, value) pair belongs"
    elif _WRONG_LENGTH.fullmatch(text):
        got = "an item that is not a (key, value) pair"
    else:
        return None
    return OutputShapeError(
        f"{method}() of {job_name} must return an iterable of (key, value) pairs, got {got}"
    )


def _raised_in(e: BaseException, directories: tuple[str, ...]) -> bool:
    """True when the innermost frame of `e`'s traceback is in one of `directories`."""
    tb = e.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    path = os.path.abspath(tb.tb_frame.f_code.co_filename)
    return any(path.startswith(d + os.sep) for d in directories)


def hook_location(hook: str, job_name: str) -> str:
    """Where a failure happened when it was not a record: ``setup() of MyJob``."""
    return f"{hook}() of {job_name}"


def is_hook_location(location: str) -> bool:
    return location.startswith(_HOOKS)


def user_traceback(
    e: BaseException, frameworks: tuple[str, ...] = FRAMEWORK_DIRS, skip: tuple[str, ...] = ()
) -> str:
    """`e` formatted as Python does, without the leading framework frames (those in
    `frameworks` or in Python's import machinery, and any file in `skip`): the user's
    frames from the first one on. With no user frame at all, the full traceback (a bug of
    the framework's own must show where it is)."""
    tb: TracebackType | None = e.__traceback__
    first = tb
    while first is not None and _framework_frame(first, frameworks, skip):
        first = first.tb_next
    if first is None and not isinstance(e, SyntaxError):
        return "".join(traceback.format_exception(e))
    stack = traceback.extract_tb(first) if first is not None else []
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(stack)] if stack else []
    lines.extend(traceback.format_exception_only(e))
    return "".join(lines)


def has_user_frame(
    e: BaseException, frameworks: tuple[str, ...] = FRAMEWORK_DIRS, skip: tuple[str, ...] = ()
) -> bool:
    """True when some frame of `e`'s traceback is outside `frameworks` (user code ran)."""
    tb = e.__traceback__
    while tb is not None:
        if not _framework_frame(tb, frameworks, skip):
            return True
        tb = tb.tb_next
    return False


def _framework_frame(tb: TracebackType, frameworks: tuple[str, ...], skip: tuple[str, ...]) -> bool:
    name = tb.tb_frame.f_code.co_filename
    if name.startswith("<frozen importlib") or name in skip:
        return True
    path = os.path.abspath(name)
    return any(path.startswith(d + os.sep) for d in frameworks)
