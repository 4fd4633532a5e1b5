"""The words of `hadoop fs` errors: the exceptions a command raises for a usage mistake
or a bad path, and the one-line, Hadoop-worded text for any error about a path.

Owns `UsageError`, `PathError`, `quote`, `describe` (DFS and OS errors in Hadoop's words, the
path as the user spelled it) and `check_scheme` (a URI of a filesystem the shell cannot
reach). Must not touch: commands, clients, output streams. Imports nothing from the shell.
"""

from __future__ import annotations

import errno
import re

from dfs.errors import (
    DFSDirectoryNotEmpty,
    DFSError,
    DFSFileExists,
    DFSFileNotFound,
    DFSIsADirectory,
    DFSNotADirectory,
    DFSPermissionDenied,
)


class UsageError(ValueError):
    """A command-line mistake; the shell prints ``-cmd: <message>`` and the usage line."""


class PathError(Exception):
    """One bad path; the message is already in Hadoop's words (``mkdir: `x': File exists``)."""


def quote(display: str, reason: str) -> str:
    return f"`{display}': {reason}"


_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (DFSFileNotFound, "No such file or directory"),
    (DFSFileExists, "File exists"),
    (DFSIsADirectory, "Is a directory"),
    (DFSNotADirectory, "Is not a directory"),
    (DFSDirectoryNotEmpty, "Directory is not empty"),
)
_ERRNO_REASONS = {
    errno.ENOENT: "No such file or directory",
    errno.EEXIST: "File exists",
    errno.EISDIR: "Is a directory",
    errno.ENOTDIR: "Is not a directory",
    errno.EACCES: "Permission denied",
    errno.ENOTEMPTY: "Directory is not empty",
}


def describe(exc: BaseException, display: str, resolved: str | None = None) -> str:
    """Hadoop's one-line text for an error about the path the user spelled `display`.

    DFS errors already read like ``/abs/path: reason`` (quoted Hadoop-style); the path is
    shown as the user typed it when it is the one they named, as reported otherwise.
    """
    if isinstance(exc, PathError):
        return str(exc)
    if isinstance(exc, DFSPermissionDenied):
        return exc.message
    if isinstance(exc, DFSError):
        m = _QUOTED.match(exc.message)
        if m:
            named, reason = m.groups()
            return quote(display if resolved is None or named == resolved else named, reason)
        for cls, reason in _REASONS:
            if isinstance(exc, cls):
                return quote(display, reason)
        return exc.message
    if isinstance(exc, OSError) and exc.errno in _ERRNO_REASONS:
        return quote(exc.filename or display, _ERRNO_REASONS[exc.errno])
    return str(exc) or type(exc).__name__


_QUOTED = re.compile(r"^`(.*?)': (.*)$", re.DOTALL)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def check_scheme(path: str) -> None:
    """Refuse a URI of a filesystem this shell has no client for, in Hadoop's words (its
    UnsupportedFileSystemException), saying which one it reaches: ``hdfs://host:9000/x``
    from a Hadoop tutorial would otherwise be an invalid path name (':' in a component)."""
    m = _SCHEME.match(path)
    if m is None or m.group(1).lower() == "dfs":
        return
    local = (
        "; -put, -get and -cp file:... copy local files in and out" if m.group(1) == "file" else ""
    )
    raise PathError(
        f'No FileSystem for scheme "{m.group(1)}": hadoop fs works on the cluster\'s '
        f"filesystem, dfs:/// (write /path or dfs:///path){local}"
    )
