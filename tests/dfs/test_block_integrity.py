"""Block storage you can trust: corruption fsck sees, repair, block reports, leaked blocks,
and block/meta writes on a full or broken disk (issue 11, items 2 and 5).

The expected answers are HDFS's documented behaviour: a reader's bad-block report reaches the
namenode and the replica is re-replicated from a good one, then deleted; the last replicas are
never deleted, and fsck then prints ``CORRUPT blockpool ... block blk_...``, ``Corrupt blocks:
N`` and ``The filesystem under path '/' is CORRUPT`` with exit status 1; a replica whose length
differs from the block's is corrupt; a replica no file owns is deleted after a block report; a
datanode whose disk fails drops out of the write pipeline and the write goes on without it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from dfs import editlog, faults
from dfs.checksum import META_HEADER_SIZE, chunk_crcs, crcs_to_bytes
from dfs.cli import cli
from dfs.cluster import EmbeddedCluster
from dfs.datanode import BlockWriter
from dfs.errors import DFSError
from dfs.minicluster import MiniCluster
from tests.dfs.tmpfs import mounted_tmpfs

BLOCK = 64 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _payload(n: int, seed: int = 0) -> bytes:
    return bytes((i * 31 + seed * 7 + (i >> 8)) % 251 for i in range(n))


def _flip_byte(mc: MiniCluster, block_id: int, node_id: str, offset: int = 100) -> None:
    path = mc.datanodes[node_id].block_path(block_id)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _hadoop(mc: MiniCluster, *args: str):
    """Run a `hadoop` command in this process as a separate command would (its own namenode
    object over the same state directory)."""
    env = {"MINIHADOOP_HOME": str(mc.home), "HADOOP_USER_NAME": os.environ.get("USER", "root")}
    return CliRunner().invoke(cli, list(args), env=env)


def _replica_files_of(dn) -> set[int]:
    """Block ids of the finalized block files on a datanode's disk (read off the disk)."""
    return {
        int(p.name[4:]) for p in dn.current.glob("subdir*/blk_*") if not p.name.endswith(".meta")
    }


def _replica_files(mc: MiniCluster) -> dict[str, set[int]]:
    """node -> block ids of the finalized block files on its disk."""
    return {node_id: _replica_files_of(dn) for node_id, dn in mc.datanodes.items()}


def _rbw_files(mc: MiniCluster) -> list[Path]:
    return [p for dn in mc.datanodes.values() for p in dn.rbw.rglob("blk_*")]


def _eventually(predicate, what: str, timeout: float = 15.0) -> None:
    """`predicate()` holds now (embedded: the commands before did the work) or, with daemons,
    within `timeout` seconds (they repair on their own heartbeats)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not {what} after {timeout} s"
        time.sleep(0.05)


def _marked_corrupt(mc: MiniCluster, path: str, block_id: int, node_id: str) -> bool:
    """The NameNode marked `node_id`'s replica corrupt: the block's locations say so, or, once
    daemons have already replaced it (they repair on their own heartbeats), its journal does."""
    if node_id in mc.client().fsck(path).files[0].blocks[0].block.corrupt:
        return True
    records = editlog.read_records(mc.home / "namenode" / "edits")[1]
    return ["corrupt_replica", block_id, node_id] in records


# ---- corruption fsck must see -------------------------------------------------------------------
def test_every_replica_corrupt_cat_fails_and_fsck_says_corrupt(mini_cluster):
    """Fails on the old code: the reader's bad-block report lived in the reading process only,
    so the next `hadoop fsck` said HEALTHY, Corrupt blocks: 0."""
    mc = mini_cluster
    data = _payload(3 * BLOCK, 1)
    mc.client().write_bytes("/d/f", data)
    block = mc.client().block_locations("/d/f")[1]
    holders = [loc.node_id for loc in block.locations]
    for node in holders:
        _flip_byte(mc, block.block_id, node)
    cat = _hadoop(mc, "fs", "-cat", "/d/f")
    assert cat.exit_code != 0
    assert "Could not obtain block" in cat.stderr
    r = _hadoop(mc, "fsck", "/")
    assert r.exit_code == 1, r.stdout
    assert "Status: CORRUPT" in r.stdout
    assert "/d/f: CORRUPT blockpool " in r.stdout
    assert f"block blk_{block.block_id}_" in r.stdout
    assert re.search(r"^ Corrupt blocks:\t+1$", r.stdout, re.M)
    assert r.stdout.rstrip("\n").splitlines()[-1] == "The filesystem under path '/' is CORRUPT"
    mc.reopen()
    mc.tick(3)  # the last replicas are never deleted, whatever the monitor does
    assert _hadoop(mc, "fsck", "/").exit_code == 1
    for node in holders:
        assert mc.datanodes[node].has_block(block.block_id)


def test_deep_scan_finds_corruption_no_reader_has_seen(mini_cluster):
    """`fsck -verify` re-checks every CRC. Fails on the old code: no such option (exit 255)."""
    mc = mini_cluster
    data = _payload(2 * BLOCK + 5, 2)
    mc.client().write_bytes("/v", data)
    block = mc.client().block_locations("/v")[0]
    for loc in block.locations:
        _flip_byte(mc, block.block_id, loc.node_id, offset=70_000 % BLOCK)
    # the cheap checks (lengths, meta headers) cannot see a flipped byte
    assert _hadoop(mc, "fsck", "/").exit_code == 0
    r = _hadoop(mc, "fsck", "/", "-verify")
    assert r.exit_code == 1, r.output
    assert "Verified 9 replica(s) of 3 block(s): 3 corrupt" in r.stdout
    assert "Status: CORRUPT" in r.stdout and f"block blk_{block.block_id}_" in r.stdout
    # what the scan found is durable: a later plain fsck agrees, and so does a reader
    assert _hadoop(mc, "fsck", "/").exit_code == 1
    with pytest.raises(OSError, match="Could not obtain block"):
        mc.client().read_bytes("/v")


def test_deep_scan_repairs_a_single_bad_replica(mini_cluster):
    mc = mini_cluster
    data = _payload(3 * BLOCK, 3)
    mc.client().write_bytes("/r", data)
    block = mc.client().block_locations("/r")[2]
    victim = block.locations[0].node_id
    _flip_byte(mc, block.block_id, victim, offset=5)
    r = _hadoop(mc, "fsck", "/r", "-verify")
    assert r.exit_code == 0, r.output  # a good replica is left: HEALTHY, under-replicated
    assert f"on {victim}: Checksum error" in r.stdout
    assert "1 corrupt" in r.stdout
    mc.reopen()  # the command's heartbeat round repaired it; a new command sees that
    _eventually(lambda: mc.client().fsck("/r").healthy, "/r healthy")  # daemons: their heartbeats
    _eventually(lambda: mc.client().fsck("/r").under_replicated == 0, "/r fully replicated")
    _eventually(lambda: not mc.client().block_locations("/r")[2].corrupt, "the bad one deleted")
    fresh = mc.client().block_locations("/r")[2]
    assert len(fresh.locations) == 3
    for loc in fresh.locations:
        assert mc.datanodes[loc.node_id].verify_replica(block.block_id, len(data) // 3) is None
    assert mc.client().read_bytes("/r") == data


def test_truncated_replica_is_marked_by_the_block_report_and_repaired(tmp_path):
    """Fails on the old code: block reports did not check lengths; fsck said 3 live replicas."""
    with MiniCluster(tmp_path) as mc:
        data = _payload(2 * BLOCK, 4)
        mc.client().write_bytes("/t", data)
        block = mc.client().block_locations("/t")[0]
        victim = block.locations[-1].node_id
        with open(mc.datanodes[victim].block_path(block.block_id), "r+b") as f:
            f.truncate(BLOCK // 2)

        def looked_at_by_a_new_command():
            fb = mc.client().fsck("/t").files[0].blocks[0]
            return fb.live_replicas, fb.corrupt_replicas

        mc.cluster.close()
        fresh = EmbeddedCluster(mc.conf)  # its opening block reports see the short replica
        try:
            fb = fresh.client().fsck("/t").files[0].blocks[0]
            assert (fb.live_replicas, fb.corrupt_replicas) == (2, 1)
            assert victim in fb.block.corrupt
            fresh.tick()
            fb = fresh.client().fsck("/t").files[0].blocks[0]
            assert (fb.live_replicas, fb.corrupt_replicas) == (3, 0)
        finally:
            fresh.close()
        mc.reopen()
        assert looked_at_by_a_new_command() == (3, 0)
        assert mc.client().fsck("/").healthy
        assert mc.client().read_bytes("/t") == data
        for node_id, dn in mc.datanodes.items():
            if dn.has_block(block.block_id):
                assert dn.verify_replica(block.block_id, BLOCK) is None, node_id


def test_replica_of_the_wrong_length_with_a_consistent_meta_is_corrupt(mini_cluster):
    """Checksums alone cannot tell: the replica is self-consistent, only its length is wrong."""
    mc = mini_cluster
    data = _payload(BLOCK, 5)
    mc.client().write_bytes("/len", data)
    block = mc.client().block_locations("/len")[0]
    victim = block.locations[0].node_id
    dn = mc.datanodes[victim]
    dn.delete_block(block.block_id)
    short = data[: BLOCK - 512]
    writer = BlockWriter(dn, block.block_id)  # a well-formed replica, 512 bytes short
    writer.write_packet(short, crcs_to_bytes(chunk_crcs(short, 512)))
    writer.finalize()
    assert dn.verify_replica(block.block_id) is None
    mc.reopen()
    _eventually(  # daemons: once the restarted NameNode has the victim's block report
        lambda: _marked_corrupt(mc, "/len", block.block_id, victim),
        "the short replica marked corrupt",
    )
    mc.tick()
    _eventually(
        lambda: (
            not dn.has_block(block.block_id) or dn.verify_replica(block.block_id, BLOCK) is None
        ),
        "the short replica deleted or replaced",
    )
    _eventually(lambda: mc.client().fsck("/").under_replicated == 0, "/len fully replicated")
    assert mc.client().read_bytes("/len") == data


def test_bad_meta_header_is_marked_by_the_block_report(tmp_path):
    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/m", _payload(BLOCK, 6))
        block = mc.client().block_locations("/m")[0]
        victim = block.locations[1].node_id
        meta = mc.datanodes[victim].meta_path(block.block_id)
        raw = bytearray(meta.read_bytes())
        raw[0:4] = b"XXXX"
        meta.write_bytes(bytes(raw))
        mc.reopen()
        fb = mc.client().fsck("/m").files[0].blocks[0]
        assert (fb.live_replicas, fb.corrupt_replicas) == (2, 1)


SUBPROCESS_READER = """
import sys, fsspec
from dfs.filesystem import DFSFileSystem  # registers dfs://
fs = DFSFileSystem(home=sys.argv[1], local_node=sys.argv[2], skip_instance_cache=True)
with fs.open("/task/input", "rb") as f:
    data = f.read()
sys.stdout.write(str(len(data)))
"""


def test_corrupt_replica_reported_by_another_process_is_repaired_by_the_next_command(mini_cluster):
    """Fails on the old code: the task process's report died with it; the replica stayed bad."""
    mc = mini_cluster
    data = _payload(2 * BLOCK, 7)
    mc.client().write_bytes("/task/input", data)
    block = mc.client().block_locations("/task/input")[1]
    victim = block.locations[0].node_id
    _flip_byte(mc, block.block_id, victim)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run(
        [sys.executable, "-c", SUBPROCESS_READER, str(mc.home), victim],
        capture_output=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout == str(len(data)).encode()  # the reader failed over to a good replica
    if not mc.daemons:  # (daemons may have repaired it already: they do on their heartbeats)
        assert not mc.datanodes[victim].verify(block.block_id)  # still bad
    mc.tick()  # this long-lived process learns of the report and repairs
    _eventually(
        lambda: not mc.client().block_locations("/task/input")[1].corrupt, "the bad one deleted"
    )
    fresh = mc.client().block_locations("/task/input")[1]
    assert len(fresh.locations) == 3
    bad = mc.datanodes[victim]
    assert not bad.has_block(block.block_id) or bad.verify(block.block_id)
    mc.reopen()
    assert mc.client().fsck("/").healthy and mc.client().fsck("/").under_replicated == 0
    assert mc.client().read_bytes("/task/input") == data


def test_corrupt_marks_survive_a_checkpoint(tmp_path):
    with MiniCluster(tmp_path, datanodes=1, conf={"dfs.namenode.checkpoint.txns": 3}) as mc:
        mc.client().write_bytes("/one", _payload(BLOCK, 8))
        block = mc.client().block_locations("/one")[0]
        _flip_byte(mc, block.block_id, "dn0")
        with pytest.raises(OSError):
            mc.client().read_bytes("/one")
        mc.cluster.namenode.checkpoint()
        mc.reopen()
        assert mc.client().fsck("/").corrupt_blocks == 1


# ---- leaked blocks -------------------------------------------------------------------------------
def test_block_file_no_file_owns_is_deleted_by_the_next_block_report(mini_cluster):
    """Fails on the old code: block reports ignored replicas of unknown blocks forever."""
    mc = mini_cluster
    mc.client().write_bytes("/keep", _payload(BLOCK, 9))
    block = mc.client().block_locations("/keep")[0]
    dn = mc.datanodes[block.locations[0].node_id]
    stray = block.block_id + 10_000  # a fresh id, never allocated
    dn.block_path(stray).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # as a DataNode
    shutil.copy(dn.block_path(block.block_id), dn.block_path(stray))
    shutil.copy(dn.meta_path(block.block_id), dn.meta_path(stray))
    assert dn.has_block(stray)
    mc.reopen()  # block report at the open, delete command at the close
    mc.reopen()
    _eventually(lambda: not dn.has_block(stray), "the stray replica deleted")
    assert not dn.meta_path(stray).exists()
    assert mc.client().read_bytes("/keep") == _payload(BLOCK, 9)


def test_delete_while_a_node_is_down_is_finished_when_it_returns(mini_cluster):
    """Fails on the old code: the returning node kept the deleted file's replicas."""
    mc = mini_cluster
    mc.client().write_bytes("/gone", _payload(3 * BLOCK, 10))
    ids = {b.block_id for b in mc.client().block_locations("/gone")}
    mc.stop_datanode(1)
    held = ids & _replica_files(mc)["dn1"]
    assert held
    mc.client().delete("/gone")
    mc.tick()
    mc.start_datanode(1)
    mc.tick()
    assert not ids & _replica_files(mc)["dn1"]
    assert all(not ids & found for found in _replica_files(mc).values())


def test_blocks_of_a_file_being_written_are_not_taken_for_leaks(tmp_path):
    with MiniCluster(tmp_path) as mc:
        data = _payload(3 * BLOCK + 100, 11)
        out = mc.client().create("/open")
        out.write(data[: 2 * BLOCK + 10])  # two blocks finalized, a third open
        other = EmbeddedCluster(mc.conf)  # another command: block reports, heartbeat round
        try:
            other.tick()
        finally:
            other.close()
        out.write(data[2 * BLOCK + 10 :])
        out.close()
        assert mc.client().read_bytes("/open") == data
        mc.reopen()
        assert mc.client().read_bytes("/open") == data
        assert mc.client().fsck("/").healthy


# ---- block and meta writes on a failing disk -----------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "kind"), [("block", "enospc"), ("block", "eio"), ("meta", "enospc"), ("meta", "eio")]
)
def test_one_failing_disk_drops_out_and_the_write_goes_on(tmp_path, tag, kind):
    with MiniCluster(tmp_path) as mc:
        data = _payload(3 * BLOCK + 7, 12)
        with faults.inject_write(tag, kind, nth=2):
            mc.client().write_bytes("/ok", data)
        assert mc.client().read_bytes("/ok") == data
        assert not _rbw_files(mc)  # the failed replica left nothing behind
        mc.tick()
        report = mc.client().fsck("/")
        assert report.healthy and report.under_replicated == 0


def test_partial_writes_are_finished(tmp_path):
    with MiniCluster(tmp_path) as mc:
        data = _payload(2 * BLOCK, 13)
        with faults.inject_write("block", "partial"), faults.inject_write("meta", "partial", 3):
            mc.client().write_bytes("/p", data)
        fb = mc.client().fsck("/p").files[0].blocks
        assert all(b.live_replicas == 3 for b in fb)
        for b in mc.client().block_locations("/p"):
            for loc in b.locations:
                assert mc.datanodes[loc.node_id].verify_replica(b.block_id, b.length) is None


@pytest.mark.parametrize("tag", ["block", "meta"])
def test_a_full_disk_everywhere_fails_the_write_and_acknowledges_nothing(tmp_path, tag):
    with MiniCluster(tmp_path) as mc:
        before = _payload(BLOCK, 14)
        mc.client().write_bytes("/before", before)
        data = _payload(3 * BLOCK, 15)
        with faults.inject_write(tag, "short", nth=1), pytest.raises(DFSError) as err:
            mc.client().write_bytes("/full", data)
        assert "the file was not written" in str(err.value)
        assert "No space left on device" in str(err.value)
        assert not mc.client().exists("/full")
        assert not _rbw_files(mc)
        mc.reopen()
        mc.reopen()  # leaked replicas of the failed write are gone after a block report
        assert not mc.client().exists("/full")
        assert mc.client().read_bytes("/before") == before
        owned = {b.block_id for b in mc.client().block_locations("/before")}
        assert set().union(*_replica_files(mc).values()) == owned
        assert mc.client().fsck("/").healthy


def test_short_write_in_a_stream_closed_by_hand_is_not_acknowledged(tmp_path):
    with MiniCluster(tmp_path) as mc:
        out = mc.client().create("/hand")
        with faults.inject_write("block", "short"):
            out.write(_payload(BLOCK // 2, 16))
            with pytest.raises(DFSError, match="not written"):
                out.close()
        st = mc.client().status("/hand")  # still open for writing: never completed
        assert st.length == 0
        assert mc.client().fsck("/").under_construction == 1


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MiB tmpfs mounted for the test (root only), unmounted after."""
    with mounted_tmpfs(tmp_path / "tmpfs", "1m") as mnt:
        yield mnt


def _put_node_on(mc: MiniCluster, node_id: str, mount: Path) -> None:
    """Move a datanode's storage onto `mount` (a symlink from its directory)."""
    dn = mc.datanodes[node_id]
    target = mount / node_id
    shutil.copytree(dn.directory, target)
    shutil.rmtree(dn.directory)
    dn.directory.symlink_to(target)


def test_real_full_disk_on_one_datanode(tmp_path, small_tmpfs):
    with MiniCluster(tmp_path, datanodes=4, blocksize=256 * 1024) as mc:
        _put_node_on(mc, "dn0", small_tmpfs)
        data = os.urandom(3 * 1024 * 1024)  # dn0 can hold at most a third of it
        c = mc.client(local_node="dn0")  # the writer's node gets the first replica
        c.write_bytes("/big", data)
        assert c.read_bytes("/big") == data
        assert not list(small_tmpfs.rglob("rbw/*/blk_*"))
        for b in c.block_locations("/big"):
            for loc in b.locations:
                assert mc.datanodes[loc.node_id].verify_replica(b.block_id, b.length) is None


def test_real_full_disk_everywhere_fails_cleanly(tmp_path, small_tmpfs):
    with MiniCluster(tmp_path, datanodes=1, blocksize=256 * 1024) as mc:
        _put_node_on(mc, "dn0", small_tmpfs)
        small = _payload(1000, 17)
        mc.client().write_bytes("/small", small)
        with pytest.raises(DFSError, match="not written"):
            mc.client().write_bytes("/big", os.urandom(2 * 1024 * 1024))
        assert not mc.client().exists("/big")
        mc.reopen()
        mc.reopen()
        assert mc.client().read_bytes("/small") == small
        assert mc.client().fsck("/").healthy
        mc.client().write_bytes("/after", b"x" * 1000)  # the space came back
        assert mc.client().read_bytes("/after") == b"x" * 1000


# ---- modes and crash points ---------------------------------------------------------------------
def test_block_files_are_private(mini_cluster):
    mc = mini_cluster
    mc.client().write_bytes("/priv", _payload(BLOCK + 1, 18))
    for dn in mc.datanodes.values():
        for d in [dn.directory, dn.current, dn.rbw, *dn.current.glob("subdir*")]:
            assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
        for f in dn.current.glob("subdir*/blk_*"):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_meta_header_size_constant_matches_the_layout():
    assert META_HEADER_SIZE == 10


@pytest.mark.parametrize(
    "point",
    [
        "datanode.block_mid_write",
        "datanode.before_finalize",
        "datanode.after_finalize_meta",
        "client.before_complete",
    ],
)
def test_kill_during_a_put_acknowledges_nothing_and_leaves_no_debris(tmp_path, point):
    assert point in faults.CRASH_POINTS
    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/before", b"kept")
        conf = mc.conf
    log = tmp_path / f"crash-{uuid.uuid4().hex}.log"
    env = {
        **os.environ,
        "MINIHADOOP_HOME": str(tmp_path / "minihadoop"),
        "MINIHADOOP_CRASH_AT": point,
        "MINIHADOOP_CRASH_LOG": str(log),
        "PYTHONPATH": str(ROOT),
    }
    p = subprocess.run(
        [sys.executable, "-m", "dfs.cli", "fs", "-put", "-", "/x"],
        input=_payload(3 * BLOCK, 19),
        capture_output=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert p.returncode == -9, p.stderr.decode()
    assert log.read_text().split() == [point]  # the kill happened exactly there
    for _ in range(2):  # the next commands: lease recovery, block reports, heartbeat rounds
        EmbeddedCluster(conf).close()
    cluster = EmbeddedCluster(conf)
    try:
        c = cluster.client()
        assert not c.exists("/x") and not c.exists("/x._COPYING_")
        assert c.read_bytes("/before") == b"kept"
        assert c.fsck("/").healthy
        owned = {b.block_id for b in c.block_locations("/before")}
        on_disk = set().union(*(_replica_files_of(dn) for dn in cluster.datanodes.values()))
        assert on_disk == owned
        for dn in cluster.datanodes.values():
            assert not list(dn.rbw.rglob("blk_*"))
            metas = {int(m.name[4:-5]) for m in dn.current.glob("subdir*/blk_*.meta")}
            assert metas == _replica_files_of(dn)  # no meta left without its block
    finally:
        cluster.close()


def test_dfsadmin_report_counts_blocks_with_corrupt_replicas(tmp_path):
    """HDFS's dfsadmin -report: "Blocks with corrupt replicas" counts blocks with at least one
    corrupt replica; a block with no good replica left is a missing block. Fails on the old
    code: both said 0 (the reader's report was lost with its process)."""
    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/a", _payload(BLOCK, 20))
        mc.client().write_bytes("/b", _payload(BLOCK, 21))
        one = mc.client().block_locations("/a")[0]
        _flip_byte(mc, one.block_id, one.locations[0].node_id)
        every = mc.client().block_locations("/b")[0]
        for loc in every.locations:
            _flip_byte(mc, every.block_id, loc.node_id)
        c = mc.client()  # a reader that reports and leaves (no heartbeat round: no repair yet)
        assert c.read_bytes("/a") == _payload(BLOCK, 20)
        with pytest.raises(OSError, match="Could not obtain block"):
            c.read_bytes("/b")
        r = _hadoop(mc, "dfsadmin", "-report")
        assert r.exit_code == 0, r.output
        assert "Blocks with corrupt replicas: 2\n" in r.stdout
        assert "Missing blocks: 1\n" in r.stdout


def test_re_replication_from_a_corrupt_source_reports_it_and_uses_another(tmp_path):
    with MiniCluster(tmp_path) as mc:
        data = _payload(BLOCK, 22)
        mc.client().write_bytes("/rr", data)
        block = mc.client().block_locations("/rr")[0]
        holders = sorted(loc.node_id for loc in block.locations)
        mc.stop_datanode(holders[-1])  # under-replicated: the monitor copies from holders[0]
        _flip_byte(mc, block.block_id, holders[0])  # ... whose replica nobody knows is bad
        mc.tick()
        assert mc.cluster.namenode.blocks.is_corrupt(block.block_id, holders[0])
        mc.tick()
        mc.start_datanode(holders[-1])
        mc.tick()
        mc.reopen()
        fb = mc.client().fsck("/rr").files[0].blocks[0]
        assert (fb.live_replicas, fb.corrupt_replicas) == (3, 0)
        for loc in fb.block.locations:
            assert mc.datanodes[loc.node_id].verify_replica(block.block_id, BLOCK) is None
        assert mc.client().read_bytes("/rr") == data


def test_a_full_edit_log_disk_does_not_fail_a_read_that_reports_corruption(tmp_path):
    with MiniCluster(tmp_path) as mc:
        data = _payload(BLOCK, 23)
        mc.client().write_bytes("/full-log", data)
        block = mc.client().block_locations("/full-log")[0]
        victim = block.locations[0].node_id
        _flip_byte(mc, block.block_id, victim)
        with faults.inject_write("editlog", "enospc"):
            assert mc.client().read_bytes("/full-log") == data
        fb = mc.client().fsck("/full-log").files[0].blocks[0]
        assert victim in fb.block.corrupt  # held in this process at least


@pytest.mark.parametrize("keep", [5, META_HEADER_SIZE + 3, META_HEADER_SIZE + 4 * 50 + 2])
def test_a_torn_meta_file_is_a_checksum_error_for_a_reader(mini_cluster, keep):
    """Fails on the old code: a meta file cut short raised struct.error / ValueError out of the
    read (an internal error) instead of failing over to another replica."""
    mc = mini_cluster
    data = _payload(BLOCK, 24)
    mc.client().write_bytes("/torn", data)
    block = mc.client().block_locations("/torn")[0]
    victim = block.locations[0].node_id
    c = mc.client()  # opened before the damage: no block report will see it
    with open(mc.datanodes[victim].meta_path(block.block_id), "r+b") as f:
        f.truncate(keep)
    assert c.read_bytes("/torn") == data
    assert victim in c.block_locations("/torn")[0].corrupt


@pytest.mark.parametrize(("value", "expected"), [(None, True), (False, False)])
def test_sync_on_close_is_a_setting(tmp_path, value, expected):
    conf = {} if value is None else {"dfs.datanode.synconclose": value}
    with MiniCluster(tmp_path, conf=conf) as mc:
        assert all(dn.sync_on_close is expected for dn in mc.datanodes.values())
        mc.client().write_bytes("/s", _payload(BLOCK + 1, 25))
        assert mc.client().read_bytes("/s") == _payload(BLOCK + 1, 25)
