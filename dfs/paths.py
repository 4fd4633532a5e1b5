"""Path syntax of the filesystem: normalizing user paths and rejecting malformed ones.

A DFS path is absolute, UTF-8, ``/``-separated. Components ``.`` and ``..``, empty components
(``a//b``), NUL bytes, ``:`` and undecodable bytes are rejected, as HDFS's ``isValidName`` does.
URLs ``dfs:///a`` and ``dfs://host:port/a`` are accepted and reduced to their path. Relative
paths resolve against a working directory (the user's home ``/user/<name>``).

Paths that create something (mkdirs, create, a rename's destination) are at most
`MAX_PATH_LENGTH` characters and `MAX_PATH_DEPTH` components, HDFS's NameNode limits
(`check_path_length`); existing deeper paths (a cluster made before the limit) stay readable.

>>> normalize("dfs:///data/x")
'/data/x'
>>> components("/a/b/")
['a', 'b']
"""

from __future__ import annotations

from dfs.errors import DFSInvalidPath, DFSLimitExceeded

SCHEME = "dfs://"
MAX_PATH_LENGTH = 8000  # HDFS's NameNode.MAX_PATH_LENGTH (characters)
MAX_PATH_DEPTH = 1000  # HDFS's NameNode.MAX_PATH_DEPTH (components)


def strip_scheme(path: str) -> str:
    """``dfs://host:port/a/b`` -> ``/a/b``; other strings unchanged."""
    if path.startswith(SCHEME):
        rest = path[len(SCHEME) :]
        slash = rest.find("/")
        return "/" if slash < 0 else rest[slash:]
    return path


def normalize(path: str, cwd: str = "/") -> str:
    """The absolute, validated form of `path` (relative paths resolve against `cwd`)."""
    return "/" + "/".join(components(path, cwd))


def components(path: str, cwd: str = "/") -> list[str]:
    """The validated components of `path`; ``[]`` for the root."""
    if not isinstance(path, str):
        raise DFSInvalidPath(f"Invalid path name {path!r}: a path must be a string", str(path))
    original = path
    path = strip_scheme(path)
    if not path:
        raise DFSInvalidPath("Invalid path name: the path is empty", original)
    if "\x00" in path:
        raise DFSInvalidPath(f"Invalid path name {original!r}: it contains a NUL byte", original)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise DFSInvalidPath(
            f"Invalid path name {original!r}: it is not valid UTF-8", original
        ) from None
    if not path.startswith("/"):
        path = cwd.rstrip("/") + "/" + path
    body = path[1:]
    if body.endswith("/"):
        body = body[:-1]
    if not body:
        return []
    parts = body.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            what = "an empty component" if not part else f"the component '{part}'"
            raise DFSInvalidPath(
                f"Invalid path name {original}: {what} is not allowed (use absolute, "
                f"normalized paths such as /user/alice/data)",
                original,
            )
        if ":" in part:
            raise DFSInvalidPath(
                f"Invalid path name {original}: ':' is not allowed in a path component", original
            )
    return parts


def check_path_length(op: str, path: str) -> None:
    """Refuse a new path past HDFS's limits, with HDFS's message (`op`: mkdirs, create, rename).

    >>> check_path_length("mkdirs", "/a" * 1001)
    Traceback (most recent call last):
    dfs.errors.DFSLimitExceeded: mkdirs: Pathname too long.  Limit 8000 characters, 1000 levels.
    """
    if len(path) > MAX_PATH_LENGTH or path.count("/") - path.endswith("/") > MAX_PATH_DEPTH:
        raise DFSLimitExceeded(
            f"{op}: Pathname too long.  Limit {MAX_PATH_LENGTH} characters, "
            f"{MAX_PATH_DEPTH} levels.",
            path,
        )


def parent(path: str) -> str:
    """The parent of a normalized absolute path (the root's parent is the root)."""
    head = path.rsplit("/", 1)[0]
    return head or "/"


def join(directory: str, name: str) -> str:
    return directory.rstrip("/") + "/" + name
