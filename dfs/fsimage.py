"""The fsimage's content: the namespace tree as a flat list of inodes, and back, validated.

Owns the encoding of inodes in a checkpoint image (`dfs.editlog` owns the file it is written
to). Must not touch the block map, the edit log or locking.

Like HDFS's INodeSection + INodeDirectorySection, the tree is flat: one entry per inode, each
naming its parent by position, parents before children, so neither saving nor loading recurses
on the path depth (a tree thousands of levels deep checkpoints like a shallow one)::

    [parent, 0, name, owner, group, mode, mtime, atime]                            a directory
    [parent, 1, name, owner, group, mode, mtime, atime, repl, bs, holder, blocks]  a file

with ``blocks`` a list of ``[block id, genstamp, length]`` and entry 0 the root (parent -1).
Loading checks every entry (shape, types, a parent that is an earlier directory, a unique
legal name) and raises `ImageCorrupt` naming the file and the entry. Images of the first
layout (a nested ``root``) are still read, without recursion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dfs import editlog
from dfs.editlog import ImageCorrupt
from dfs.namespace import Block, INode, INodeDirectory, INodeFile, Namespace

_DIR, _FILE = 0, 1


def _common(node: INode, parent: int, kind: int) -> list:
    return [parent, kind, node.name, node.owner, node.group, node.mode, node.mtime, node.atime]


def _flatten(root: INodeDirectory) -> list[list]:
    """Every inode, parents first (an explicit stack: no recursion on depth)."""
    entries: list[list] = [_common(root, -1, _DIR)]
    stack: list[tuple[INodeDirectory, int]] = [(root, 0)]
    while stack:
        directory, index = stack.pop()
        kids = directory.children
        for name in sorted(kids):
            node = kids[name]
            if node.is_dir:
                entries.append(_common(node, index, _DIR))
                stack.append((node, len(entries) - 1))  # type: ignore[arg-type]
            else:
                f: INodeFile = node  # type: ignore[assignment]
                entry = _common(f, index, _FILE)
                entry += [f.replication, f.blocksize, f.lease_holder]
                entry.append([[b.block_id, b.genstamp, b.length] for b in f.blocks])
                entries.append(entry)
    return entries


def image_of(ns: Namespace, txid: int, next_block_id: int, genstamp: int) -> dict[str, Any]:
    return {
        "version": editlog.IMAGE_VERSION,
        "txid": txid,
        "superuser": ns.superuser,
        "supergroup": ns.supergroup,
        "next_block_id": next_block_id,
        "genstamp": genstamp,
        "inodes": _flatten(ns.root),
    }


# -- loading --------------------------------------------------------------------------------------
_HEADER = {"txid": int, "superuser": str, "supergroup": str, "next_block_id": int, "genstamp": int}


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _entry_problem(e: Any, i: int) -> str | None:
    if not isinstance(e, list) or len(e) not in (8, 12):
        return "it is not an inode entry"
    parent, kind, name, owner, group, mode, mtime, atime = e[:8]
    if not (_ints(parent, kind, mode, mtime, atime) and isinstance(owner, str)):
        return "a field has the wrong type"
    if not (isinstance(name, str) and isinstance(group, str)):
        return "a field has the wrong type"
    if i == 0:
        return None if (parent, kind, name, len(e)) == (-1, _DIR, "", 8) else "bad root entry"
    if not 0 <= parent < i:
        return f"its parent #{parent} is not an earlier entry"
    if not name or "/" in name or name in (".", ".."):
        return f"its name {name!r} is not a legal path component"
    if (kind, len(e)) == (_DIR, 8):
        return None
    if (kind, len(e)) != (_FILE, 12):
        return f"kind {kind} does not match its {len(e)} fields"
    repl, bs, holder, blocks = e[8:]
    if not (_ints(repl, bs) and (holder is None or isinstance(holder, str))):
        return "a file field has the wrong type"
    if not isinstance(blocks, list) or not all(
        isinstance(b, list) and len(b) == 3 and _ints(*b) for b in blocks
    ):
        return "its block list is malformed"
    return None


def _node_of(e: list) -> INode:
    _, kind, name, owner, group, mode, mtime, atime = e[:8]
    if kind == _DIR:
        node: INode = INodeDirectory(name, owner, group, mode, mtime)
    else:
        node = INodeFile(name, owner, group, mode, mtime, e[8], e[9], e[10])
        node.blocks = [Block(*b) for b in e[11]]  # type: ignore[attr-defined]
    node.atime = atime
    return node


def _tree_of(entries: Any, path: Path) -> INodeDirectory:
    if not isinstance(entries, list) or not entries:
        raise _damaged(path, "it has no inode list")
    nodes: list[INode] = []
    for i, e in enumerate(entries):
        why = _entry_problem(e, i)
        node = _node_of(e) if why is None else None
        if node is not None and i > 0:
            parent = nodes[e[0]]
            if not parent.is_dir:
                why = f"its parent #{e[0]} is a file"
            elif node.name in parent.children:  # type: ignore[attr-defined]
                why = f"{node.name!r} appears twice in {parent.path()}"
            else:
                parent.add(node)  # type: ignore[attr-defined]
        if why is not None:
            raise _damaged(path, f"inode entry #{i}: {why}")
        nodes.append(node)  # type: ignore[arg-type]
    return nodes[0]  # type: ignore[return-value]


def _flatten_nested(root: Any) -> list[list]:
    """Entries of the first layout's nested tree (``[0, name, ..., kids]``), iteratively."""
    entries: list[list] = []
    stack: list[tuple[Any, int]] = [(root, -1)]
    while stack:
        data, parent = stack.pop()
        if not isinstance(data, list) or len(data) not in (8, 11) or data[0] not in (0, 1):
            entries.append([parent])  # rejected by the check
            continue
        if data[0] == _DIR:
            entries.append([parent, _DIR, *data[1:7]])
            index = len(entries) - 1
            kids = data[7] if isinstance(data[7], list) else [None]
            stack.extend((k, index) for k in reversed(kids))
        else:
            entries.append([parent, _FILE, *data[1:]])
    return entries


def namespace_of(
    image: dict[str, Any], permissions: bool, path: Path | str = "fsimage"
) -> Namespace:
    """The namespace an image holds; raises `ImageCorrupt` naming `path` and the bad entry."""
    path = Path(path)
    for key, kind in _HEADER.items():
        if not isinstance(image.get(key), kind):
            raise _damaged(path, f"its header field {key!r} is missing or has the wrong type")
    entries = image.get("inodes")
    if entries is None and "root" in image:
        entries = _flatten_nested(image["root"])
    ns = Namespace(image["superuser"], image["supergroup"], permissions=permissions)
    ns.root = _tree_of(entries, path)
    return ns


def _damaged(path: Path, why: str) -> ImageCorrupt:
    return editlog.image_damage(path, why)
