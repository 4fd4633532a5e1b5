"""The client API on a MiniCluster: round trips, placement, corruption and lost nodes."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfs.errors import DFSDirectoryNotEmpty, DFSFileExists, DFSFileNotFound, DFSIsADirectory
from dfs.minicluster import MiniCluster

BLOCK = 64 * 1024


def _payload(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.mark.parametrize("size", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 5 * BLOCK + 17])
def test_round_trip_sizes(mini_cluster, size):
    c = mini_cluster.client()
    data = _payload(size, size)
    c.write_bytes("/d/f", data)
    assert c.status("/d/f").length == size
    assert c.read_bytes("/d/f") == data
    blocks = c.block_locations("/d/f")
    assert len(blocks) == -(-size // BLOCK)
    assert sum(b.length for b in blocks) == size


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(min_size=0, max_size=5000),
    blocksize_chunks=st.integers(1, 4),
    writes=st.lists(st.integers(1, 700), min_size=1, max_size=8),
)
def test_round_trip_any_size_and_block_size(mini_cluster, data, blocksize_chunks, writes):
    """Any content, written in any pieces, with any block size, reads back identical."""
    c = mini_cluster.client()
    with c.create("/x", overwrite=True, blocksize=512 * blocksize_chunks) as f:
        pos = 0
        for w in writes:
            f.write(data[pos : pos + w])
            pos += w
        f.write(data[pos:])
    assert c.status("/x").blocksize == 512 * blocksize_chunks
    assert c.read_bytes("/x") == data
    with c.open("/x") as f:  # ranged reads at every block boundary
        for off in range(0, len(data) + 1, 509):
            f.seek(off)
            assert f.read(700) == data[off : off + 700]


def test_placement_three_nodes_two_racks(mini_cluster):
    c = mini_cluster.client()
    c.write_bytes("/p", _payload(10 * BLOCK))
    for b in c.block_locations("/p"):
        nodes = [loc.node_id for loc in b.locations]
        racks = {loc.rack for loc in b.locations}
        assert len(nodes) == 3 and len(set(nodes)) == 3
        assert racks == {"/rack0", "/rack1"}
    report = c.fsck("/")
    assert report.healthy and report.under_replicated == 0 and report.mis_replicated == 0
    assert report.avg_replication == 3.0 and report.racks == 2 and report.datanodes == 4


def test_writer_on_a_datanode_gets_the_first_replica(mini_cluster):
    c = mini_cluster.client(local_node="dn2")
    c.write_bytes("/local", _payload(4 * BLOCK))
    for b in c.block_locations("/local"):
        assert b.locations[0].node_id == "dn2"  # closest first, and it holds a replica


def _flip_byte(mc, block_id, node_id, offset=100):
    path = mc.datanodes[node_id].block_path(block_id)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_corrupt_replica_is_read_around_reported_and_repaired(mini_cluster):
    c = mini_cluster.client()
    data = _payload(3 * BLOCK, 7)
    c.write_bytes("/c", data)
    block = c.block_locations("/c")[1]
    victim = block.locations[0].node_id
    _flip_byte(mini_cluster, block.block_id, victim)
    assert c.read_bytes("/c") == data  # failed over to a good replica
    assert victim in mini_cluster.cluster.namenode.blocks.corrupt.get(block.block_id, set())
    mini_cluster.tick()
    report = c.fsck("/")
    assert report.healthy and report.under_replicated == 0
    fresh = c.block_locations("/c")[1]
    assert victim not in fresh.corrupt and len(fresh.locations) == 3
    assert c.read_bytes("/c") == data


def test_all_replicas_corrupt_is_a_clear_error(mini_cluster):
    c = mini_cluster.client()
    c.write_bytes("/bad", _payload(BLOCK))
    block = c.block_locations("/bad")[0]
    for loc in block.locations:
        _flip_byte(mini_cluster, block.block_id, loc.node_id)
    with pytest.raises(OSError, match="Could not obtain block"):
        c.read_bytes("/bad")
    report = c.fsck("/")
    assert not report.healthy and report.corrupt_blocks == 1


def test_wiped_datanode_reads_succeed_and_fsck_shows_repair(mini_cluster):
    c = mini_cluster.client()
    data = _payload(6 * BLOCK, 3)
    c.write_bytes("/w", data)
    held = [b for b in c.block_locations("/w") if "dn1" in {loc.node_id for loc in b.locations}]
    assert held, "placement should put some replica on dn1"
    mini_cluster.reopen(between=lambda: mini_cluster.wipe_datanode(1))  # next command: dn1 empty
    c = mini_cluster.client()
    assert c.read_bytes("/w") == data
    report = c.fsck("/")
    assert report.under_replicated == len(held) and report.missing_blocks == 0
    mini_cluster.tick()
    report = c.fsck("/")
    assert report.healthy and report.under_replicated == 0 and report.avg_replication == 3.0


def test_stopped_datanode_is_skipped_by_reads_and_writes(mini_cluster):
    c = mini_cluster.client()
    mini_cluster.stop_datanode(0)
    data = _payload(4 * BLOCK, 9)
    c.write_bytes("/s", data)
    for b in c.block_locations("/s"):
        assert "dn0" not in {loc.node_id for loc in b.locations}
    assert c.read_bytes("/s") == data
    mini_cluster.start_datanode(0)
    assert c.read_bytes("/s") == data


def test_pipeline_survives_a_failing_node(mini_cluster, monkeypatch):
    c = mini_cluster.client()
    dn = mini_cluster.datanodes["dn3"]
    real = dn.open_writer

    class Broken:  # a writer whose disk dies on the first packet
        def __init__(self, inner):
            self.inner = inner

        def write_packet(self, *a):
            raise OSError("disk on fire")

        def abort(self):
            self.inner.abort()

    def broken(block_id):
        return Broken(real(block_id))

    monkeypatch.setattr(dn, "open_writer", broken)
    data = _payload(3 * BLOCK, 5)
    c.write_bytes("/pipe", data)
    assert c.read_bytes("/pipe") == data
    monkeypatch.undo()
    mini_cluster.tick()
    assert c.fsck("/").under_replicated == 0


def test_namespace_operations(mini_cluster):
    c = mini_cluster.client()
    c.mkdirs("/a/b/c")
    assert c.status("/a/b").is_dir
    with pytest.raises(DFSFileNotFound):
        c.mkdir("/x/y")
    with pytest.raises(DFSFileExists):
        c.mkdir("/a/b")
    c.write_bytes("/a/b/f", b"1")
    with pytest.raises(DFSFileExists):
        c.write_bytes("/a/b/f", b"2")
    c.write_bytes("/a/b/f", b"22", overwrite=True)
    assert c.read_bytes("/a/b/f") == b"22"
    with pytest.raises(DFSIsADirectory):
        c.open("/a/b")
    assert [s.name for s in c.listdir("/a/b")] == ["c", "f"]
    c.rename("/a/b/f", "/a/b/c")  # into an existing directory
    assert c.exists("/a/b/c/f") and not c.exists("/a/b/f")
    c.rename("/a/b/c/f", "/a/g")
    assert c.read_bytes("/a/g") == b"22"
    with pytest.raises(DFSDirectoryNotEmpty):
        c.delete("/a")
    assert c.delete("/a", recursive=True)
    assert not c.exists("/a")
    summary = c.content_summary("/")
    assert summary.file_count == 0 and summary.directory_count == 1


def test_relative_paths_resolve_under_home(mini_cluster):
    c = mini_cluster.client(user="alice")
    mini_cluster.client().mkdirs("/user/alice")
    mini_cluster.client().set_owner("/user/alice", "alice")
    c.write_bytes("notes.txt", b"hi")
    assert c.status("/user/alice/notes.txt").owner == "alice"


@pytest.fixture
def checkpointing(tmp_path):
    """A cluster whose NameNode checkpoints after 10 journal records."""
    with MiniCluster(tmp_path, conf={"dfs.namenode.checkpoint.txns": 10}) as mc:
        yield mc


def test_metadata_survives_reopen_and_checkpoint(checkpointing):
    mc = checkpointing
    c = mc.client()
    for i in range(30):
        c.write_bytes(f"/many/f{i}", _payload(i * 100, i))
    c.rename("/many/f3", "/many/renamed")
    c.delete("/many/f4")
    mc.reopen()  # replays edits, checkpoints past 10 records
    mc.reopen()
    c = mc.client()
    names = {s.name for s in c.listdir("/many")}
    assert "renamed" in names and "f4" not in names and "f3" not in names
    assert len(names) == 29
    assert c.read_bytes("/many/f7") == _payload(700, 7)
    assert os.path.getsize(mc.home / "namenode" / "edits") < 4096  # rolled after the image


def test_two_clusters_on_one_directory_see_each_other(mini_cluster):
    """Two processes' worth of NameNode objects share the journal (the embedded mode)."""
    from dfs.cluster import EmbeddedCluster

    other = EmbeddedCluster(mini_cluster.conf)
    try:
        mini_cluster.client().write_bytes("/shared/one", b"1" * 70000)
        assert other.client().read_bytes("/shared/one") == b"1" * 70000
        other.client().write_bytes("/shared/two", b"2")
        assert mini_cluster.client().read_bytes("/shared/two") == b"2"
    finally:
        other.close()


@pytest.fixture
def single_node(tmp_path):
    """One DataNode, 256 KiB blocks."""
    with MiniCluster(tmp_path, datanodes=1, blocksize=256 * 1024) as mc:
        yield mc


@pytest.mark.parametrize("flip", [0, 511, 512, 65535, 65536, 131071, 140000])
@pytest.mark.parametrize("window", [(-3, 4), (-70000, 70000), (-200000, 200000)])
def test_every_read_that_touches_a_corrupt_byte_detects_it(single_node, flip, window):
    mc = single_node
    c = mc.client()
    data = _payload(150_000, 1)
    c.write_bytes("/one", data)
    block = c.block_locations("/one")[0]
    _flip_byte(mc, block.block_id, "dn0", offset=flip)
    lo, hi = max(flip + window[0], 0), min(flip + window[1], len(data))
    with c.open("/one") as f:  # a read that avoids the bad chunk still works
        clean_end = flip // 512 * 512
        assert f.read(clean_end) == data[:clean_end]
    with c.open("/one") as f, pytest.raises(OSError, match="Could not obtain block"):
        f.seek(lo)
        f.read(hi - lo)


def test_a_checkpoint_by_another_process_keeps_replicas_visible(tmp_path):
    """A long-lived process reloads the image another process wrote, and still finds every
    replica (the block map is rebuilt from the datanodes, not left empty)."""
    from dfs.cluster import EmbeddedCluster

    with MiniCluster(tmp_path, conf={"dfs.namenode.checkpoint.txns": 5}) as mc:
        c = mc.client()
        data = _payload(3 * BLOCK, 11)
        c.write_bytes("/kept", data)
        other = EmbeddedCluster(mc.conf)
        for i in range(10):
            other.client().write_bytes(f"/churn/{i}", b"x")
        other.namenode.checkpoint()
        other.close()
        assert c.read_bytes("/kept") == data


def test_a_start_checkpoints_a_log_longer_than_the_image(tmp_path):
    """Every command opens the NameNode and replays the log since the image: past
    max(MIN_CHECKPOINT_EDITS, the image's inodes) records (here far below
    dfs.namenode.checkpoint.txns), the next start saves an image and restarts the log, and
    every acknowledged change is still there (compared with the names written)."""
    from dfs.namenode import MIN_CHECKPOINT_EDITS

    with MiniCluster(tmp_path, conf={"dfs.namenode.checkpoint.txns": 100_000}) as mc:
        c = mc.client()
        expected = set()
        for i in range(MIN_CHECKPOINT_EDITS // 2 + 10):  # a create and a close each
            c.write_bytes(f"/short/f{i}", b"")
            expected.add(f"f{i}")
        c.delete("/short/f0")
        expected.discard("f0")
        edits = mc.home / "namenode" / "edits"
        before = os.path.getsize(edits)
        mc.reopen()
        assert os.path.getsize(edits) < before // 10  # restarted after a new image
        assert {s.name for s in mc.client().listdir("/short")} == expected
        mc.reopen()
        assert {s.name for s in mc.client().listdir("/short")} == expected


def test_a_start_keeps_a_log_shorter_than_the_image(tmp_path):
    """A log of fewer records than the image has inodes is replayed, not checkpointed."""
    from dfs.namenode import MIN_CHECKPOINT_EDITS

    with MiniCluster(tmp_path, conf={"dfs.namenode.checkpoint.txns": 100_000}) as mc:
        c = mc.client()
        for i in range(MIN_CHECKPOINT_EDITS + 50):
            c.mkdirs(f"/wide/d{i}")
        mc.cluster.namenode.checkpoint()  # an image of more inodes than the log will hold
        for i in range(MIN_CHECKPOINT_EDITS // 2 + 10):
            c.write_bytes(f"/wide/d{i}/f", b"")
        edits = mc.home / "namenode" / "edits"
        before = os.path.getsize(edits)
        mc.reopen()
        assert os.path.getsize(edits) == before
        assert mc.client().read_bytes("/wide/d3/f") == b""
