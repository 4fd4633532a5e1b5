"""A block's replicas written in this process are synced side by side, and still all synced.

With ``dfs.datanode.synconclose`` (on by default) every replica's block file, meta file and
directory are fsync'd before the write returns, as before; the embedded pipeline now waits for
the replicas' fsyncs at the same time (as HDFS's datanodes each sync their own at once) instead
of one replica after another. Checked without timing: the fake fsync below lets a call through
only when all three replicas' calls of a kind are in flight together (a barrier), which the
sequential order never reaches.
"""

from __future__ import annotations

import os
import threading

from dfs import datanode
from dfs.minicluster import MiniCluster


def test_replicas_fsync_together_and_every_file_and_directory_is_synced(tmp_path, monkeypatch):
    mc = MiniCluster(tmp_path, datanodes=3, racks=1, replication=3)
    client = mc.cluster.client()
    real_fsync = os.fsync
    synced: list[str] = []
    together = threading.Barrier(3, timeout=10)
    met: list[bool] = []

    def fsync(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        if "/datanodes/" in path and not path.endswith(".meta") and "/rbw/" in path:
            try:  # a block file: pass only with the two other replicas' block fsyncs
                together.wait()
                met.append(True)
            except threading.BrokenBarrierError:
                met.append(False)
        synced.append(path)
        real_fsync(fd)

    monkeypatch.setattr(datanode.os, "fsync", fsync)
    data = os.urandom(10_000)
    client.write_bytes("/x", data)
    monkeypatch.undo()

    assert met == [True, True, True]  # the three replicas' block fsyncs ran together
    blocks = [p for p in synced if "/rbw/" in p and not p.endswith(".meta")]
    metas = [p for p in synced if "/rbw/" in p and p.endswith(".meta")]
    dirs = [p for p in synced if "/current" in p and os.path.isdir(p)]
    assert len(blocks) == len(metas) == len(dirs) == 3  # each replica: file, meta, directory
    assert client.read_bytes("/x") == data
    located = client.block_locations("/x")
    assert len(located) == 1 and len(located[0].locations) == 3  # three replicas acknowledged
