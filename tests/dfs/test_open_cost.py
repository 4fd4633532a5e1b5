"""Opening the embedded cluster: the work each command (and each task process reading the
DFS) does before its first call stays bounded by the namespace, not by its history.

- replaying the edit log checks no replica on disk per replayed `close` (the datanodes' full
  block reports that follow tell every block's replicas), yet every block ends up with its
  replicas, a replica of a file deleted in the log is still removed, and a file another
  process writes while this one is open is found with its replicas;
- the log is checkpointed once it is longer than ``dfs.namenode.checkpoint.txns`` (1000 by
  default), so a long-used state directory does not replay thousands of records per command.

Counted calls and file sizes, never times.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dfs import editlog
from dfs.cluster import EmbeddedCluster, format_cluster
from dfs.conf import DEFAULTS, Configuration
from dfs.datanode import DataNode


@pytest.fixture
def conf(tmp_path: Path) -> Configuration:
    c = Configuration({"minihadoop.home": str(tmp_path / "home")}, load_site=False)
    format_cluster(c)
    return c


def _write(conf: Configuration, paths: list[str]) -> None:
    cluster = EmbeddedCluster(conf)
    client = cluster.client()
    for p in paths:
        client.write_bytes(p, p.encode() * 100)
    cluster.close()


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The block ids `DataNode.has_block` is asked about (the replay's replica probe)."""
    asked: list[int] = []
    real = DataNode.has_block

    def has_block(self: DataNode, block_id: int) -> bool:
        asked.append(block_id)
        return real(self, block_id)

    monkeypatch.setattr(DataNode, "has_block", has_block)
    return asked


def test_opening_probes_no_replica_per_replayed_close(conf, stats):
    _write(conf, [f"/d/f{i}" for i in range(6)])
    stats.clear()
    cluster = EmbeddedCluster(conf)
    try:
        assert stats == []  # the block reports told them
        client = cluster.client()
        for i in range(6):
            assert [len(b.locations) for b in client.block_locations(f"/d/f{i}")] == [3]
            assert client.read_bytes(f"/d/f{i}") == f"/d/f{i}".encode() * 100
    finally:
        cluster.close()


def test_a_replica_of_a_file_deleted_in_the_log_is_still_removed(conf):
    _write(conf, ["/keep", "/gone"])
    cluster = EmbeddedCluster(conf)
    client = cluster.client()
    gone = [b.block_id for b in client.block_locations("/gone")]
    homes = list(cluster.datanodes.values())
    cluster.close()
    # the delete is journaled, but its replicas stay (as if its process died before telling
    # the datanodes): only the log says the file is gone
    log = editlog.EditLog(Path(conf.get_str("minihadoop.home")) / "namenode" / "edits")
    log.open()
    log.append([["delete", "/gone", 1]])
    log.close()
    assert sum(dn.has_block(b) for dn in homes for b in gone) == 3 * len(gone) > 0
    cluster = EmbeddedCluster(conf)
    try:
        cluster.namenode.check_datanodes(force_work=True)
        cluster.tick()
        assert not any(dn.has_block(b) for dn in cluster.datanodes.values() for b in gone)
        assert cluster.client().read_bytes("/keep") == b"/keep" * 100
    finally:
        cluster.close()


def test_a_file_another_process_writes_is_found_with_its_replicas(conf, stats):
    reader = EmbeddedCluster(conf)
    try:
        _write(conf, ["/later"])  # another NameNode object over the same journal
        stats.clear()
        assert [len(b.locations) for b in reader.client().block_locations("/later")] == [3]
        assert stats  # learned from the log replayed on the call, by probing
        assert reader.client().read_bytes("/later") == b"/later" * 100
    finally:
        reader.close()


def test_a_long_log_is_checkpointed_at_the_next_open(conf):
    assert DEFAULTS["dfs.namenode.checkpoint.txns"] == 1000
    small = conf.copy()
    small.set("dfs.namenode.checkpoint.txns", 20)
    _write(small, [f"/c/f{i}" for i in range(8)])  # ~30 records
    edits = Path(conf.get_str("minihadoop.home")) / "namenode" / "edits"
    assert len(editlog.scan(edits).entries) > 20
    EmbeddedCluster(small).close()
    assert len(editlog.scan(edits).entries) == 0
    cluster = EmbeddedCluster(conf)
    try:
        assert cluster.client().read_bytes("/c/f7") == b"/c/f7" * 100
    finally:
        cluster.close()
