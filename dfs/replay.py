"""Checks that an edit-log record applies to the namespace it is replayed on.

Owns the structural checks run before each replayed edit: the namespace's own checks, made as
the superuser would (permissions were checked when the edit was first made), and what the
record itself promises (a mkdir names a missing directory under an existing one, a rename's
destination is free and not inside its source). An edit that fails them is damage (or a
bug): the namenode stops with the file, offset and txid instead of applying it, because
applying it anyway can detach a subtree or raise an internal error. Must not mutate anything.

A new edit-log operation gets its shape in `dfs.editlog.RECORD_SHAPES` and, when it touches
the tree, a check here.
"""

from __future__ import annotations

from typing import Any

from dfs.namespace import INode, Namespace


def _find(ns: Namespace, path: str) -> INode | None:
    """The inode at a journaled (normalized) path, or None: a plain walk, no checks."""
    node: INode | None = ns.root
    if path == "/":
        return node
    for name in path.split("/")[1:]:
        kids = getattr(node, "children", None)
        if kids is None:
            return None
        node = kids.get(name)
        if node is None:
            return None
    return node


def _parent_dir(ns: Namespace, path: str) -> str | None:
    if not path.startswith("/") or path == "/":
        return f"{path!r} is not a path below the root"
    node = _find(ns, path.rsplit("/", 1)[0] or "/")
    if node is None:
        return f"the parent of {path} does not exist"
    if not node.is_dir:
        return f"the parent of {path} is a file"
    return None


def _mkdir(ns: Namespace, r: list) -> str | None:
    if _find(ns, r[1]) is not None:
        return f"{r[1]} already exists"
    return _parent_dir(ns, r[1])


def _create(ns: Namespace, r: list) -> str | None:
    existing = _find(ns, r[1])
    if existing is not None and existing.is_dir:
        return f"{r[1]} is a directory"
    return _parent_dir(ns, r[1])


def _file(ns: Namespace, r: list) -> str | None:
    node = _find(ns, r[1])
    if node is None:
        return f"{r[1]} does not exist"
    return f"{r[1]} is a directory" if node.is_dir else None


def _exists(ns: Namespace, r: list) -> str | None:
    return None if _find(ns, r[1]) is not None else f"{r[1]} does not exist"


def _delete(ns: Namespace, r: list) -> str | None:
    if r[1] == "/":
        return "it deletes the root directory"
    return _exists(ns, r)


def _move(ns: Namespace, src: str, dst: str, overwrite: bool) -> str | None:
    node = _find(ns, src)
    if node is None:
        return f"{src} does not exist"
    if src == "/":
        return "it moves the root directory"
    if node.is_dir and (dst + "/").startswith(src.rstrip("/") + "/"):
        return f"cannot move a directory into itself ({src} -> {dst})"
    target = _find(ns, dst)
    if target is not None and target is not node:
        if not overwrite:
            return f"the destination {dst} already exists"
        if target.is_dir and target.children:  # type: ignore[attr-defined]
            return f"the destination {dst} is a non-empty directory"
    return _parent_dir(ns, dst)


def _rename(ns: Namespace, r: list) -> str | None:
    return _move(ns, r[1], r[2], False)


def _rename2(ns: Namespace, r: list) -> str | None:
    return _move(ns, r[1], r[2], bool(r[4]))


_CHECKS = {
    "mkdir": _mkdir,
    "create": _create,
    "add_block": _file,
    "abandon_block": _file,
    "close": _file,
    "setrep": _file,
    "delete": _delete,
    "rename": _rename,
    "rename2": _rename2,
    "chmod": _exists,
    "chown": _exists,
    "times": _exists,
}


def problem(ns: Namespace, record: Any) -> str | None:
    """Why a well-shaped `record` cannot be applied to `ns` (None when it can)."""
    check = _CHECKS.get(record[0])
    return None if check is None else check(ns, record)
