"""fsck's view of the namespace: what a reader of each block would find, as an FsckReport.

Owns the health verdict of files and blocks (missing, corrupt, under/over/mis-replicated) built
from the namenode's namespace and block map. Must not touch either: it only reads them (the
namenode calls it under its lock); formatting the report is `dfs.admin`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dfs.namespace import INode, INodeFile, walk
from dfs.protocol import FsckBlock, FsckFile, FsckReport, LocatedBlock

if TYPE_CHECKING:
    from dfs.namenode import NameNode


def build_fsck_report(nn: NameNode, root: INode, path: str) -> FsckReport:
    """The fsck report of the subtree at `root`, from the namenode's block map."""
    bm = nn.blocks
    alive = {n.node_id for n in bm.alive_nodes()}
    files: list[FsckFile] = []
    problems: list[str] = []
    c = dict(
        size=0,
        dirs=0,
        files=0,
        blocks=0,
        minrep=0,
        over=0,
        under=0,
        mis=0,
        corrupt=0,
        missing=0,
        missing_size=0,
        replicas=0,
        uc=0,
    )
    multi_rack = len({bm.nodes[n].rack for n in alive}) > 1
    for node in walk(root):
        if node.is_dir:
            c["dirs"] += 1
            files.append(FsckFile(node.path(), 0, True, 0))
            continue
        f: INodeFile = node  # type: ignore[assignment]
        c["files"] += 1
        c["size"] += f.length
        if f.lease_holder is not None:
            c["uc"] += 1
        entries = []
        offset = 0
        for b in f.blocks:
            live = bm.live_replicas(b.block_id)
            bad = sorted(n for n in bm.corrupt.get(b.block_id, ()) if n in alive)
            locs = tuple(bm.nodes[n].info() for n in live)
            located = LocatedBlock(
                b.block_id, b.genstamp, offset, b.length, locs, tuple(bad)
            )
            offset += b.length
            missing = not live
            entries.append(
                FsckBlock(located, f.replication, len(live), len(bad), missing)
            )
            c["blocks"] += 1
            c["replicas"] += len(live)
            if missing and bad:
                c["corrupt"] += 1
                problems.append(
                    f"{f.path()}: CORRUPT blockpool {nn.cluster_id} block blk_{b.block_id}"
                )
            elif missing:
                c["missing"] += 1
                c["missing_size"] += b.length
                problems.append(
                    f"{f.path()}: MISSING 1 blocks of total size {b.length} B."
                )
            else:
                c["minrep"] += 1
            if 0 < len(live) < f.replication:
                c["under"] += 1
                problems.append(
                    f"{f.path()}:  Under replicated blk_{b.block_id}_{b.genstamp}. "
                    f"Target Replicas is {f.replication} but found {len(live)} "
                    f"live replica(s), 0 decommissioned replica(s), 0 "
                    f"decommissioning replica(s)."
                )
            elif len(live) > f.replication:
                c["over"] += 1
            if (
                multi_rack
                and len(live) > 1
                and len({bm.nodes[n].rack for n in live}) < 2
            ):
                c["mis"] += 1
        files.append(
            FsckFile(
                f.path(),
                f.length,
                False,
                f.replication,
                tuple(entries),
                f.lease_holder is not None,
            )
        )
    blocks = c["blocks"]
    return FsckReport(
        path=path,
        files=tuple(files),
        total_size=c["size"],
        total_dirs=c["dirs"],
        total_files=c["files"],
        total_blocks=blocks,
        min_replicated=c["minrep"],
        over_replicated=c["over"],
        under_replicated=c["under"],
        mis_replicated=c["mis"],
        corrupt_blocks=c["corrupt"],
        missing_blocks=c["missing"],
        missing_size=c["missing_size"],
        default_replication=nn.conf.get_int("dfs.replication"),
        avg_replication=(c["replicas"] / blocks) if blocks else 0.0,
        datanodes=len(alive),
        racks=len({bm.nodes[n].rack for n in alive}),
        under_construction=c["uc"],
        problems=tuple(problems),
    )
