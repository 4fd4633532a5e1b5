"""The fsimage's content: the namespace tree encoded as msgpack-ready lists, and back.

Owns the encoding of inodes in a checkpoint image (`dfs.editlog` owns the file it is written
to). Must not touch the block map, the edit log or locking.
"""

from __future__ import annotations

from typing import Any

from dfs import editlog
from dfs.namespace import Block, INode, INodeDirectory, INodeFile, Namespace


def _encode(node: INode) -> list:
    if node.is_dir:
        kids = node.children  # type: ignore[attr-defined]
        return [
            0,
            node.name,
            node.owner,
            node.group,
            node.mode,
            node.mtime,
            node.atime,
            [_encode(kids[k]) for k in sorted(kids)],
        ]
    f: INodeFile = node  # type: ignore[assignment]
    return [
        1,
        f.name,
        f.owner,
        f.group,
        f.mode,
        f.mtime,
        f.atime,
        f.replication,
        f.blocksize,
        f.lease_holder,
        [[b.block_id, b.genstamp, b.length] for b in f.blocks],
    ]


def _decode(data: list) -> INode:
    if data[0] == 0:
        _, name, owner, group, mode, mtime, atime, kids = data
        d = INodeDirectory(name, owner, group, mode, mtime)
        d.atime = atime
        for k in kids:
            d.add(_decode(k))
        return d
    _, name, owner, group, mode, mtime, atime, repl, bs, holder, blocks = data
    f = INodeFile(name, owner, group, mode, mtime, repl, bs, holder)
    f.atime = atime
    f.blocks = [Block(*b) for b in blocks]
    return f


def image_of(
    ns: Namespace, txid: int, next_block_id: int, genstamp: int
) -> dict[str, Any]:
    return {
        "version": editlog.IMAGE_VERSION,
        "txid": txid,
        "superuser": ns.superuser,
        "supergroup": ns.supergroup,
        "next_block_id": next_block_id,
        "genstamp": genstamp,
        "root": _encode(ns.root),
    }


def namespace_of(image: dict[str, Any], permissions: bool) -> Namespace:
    ns = Namespace(image["superuser"], image["supergroup"], permissions=permissions)
    root = _decode(image["root"])
    assert isinstance(root, INodeDirectory)
    ns.root = root
    return ns
