"""The namenode's metadata under damage and full disks (issue 11, items 1, 2, 3 and 7).

Each test reproduces a fault that lost or wiped data, or hid it behind an internal error, on the
old code, and checks the HDFS behaviour instead: only ``namenode -format`` formats; a damaged
state directory is refused naming the file and the way out; a failed metadata write
acknowledges nothing and loses nothing acknowledged; a bad edit stops the start with the file,
offset and txid, and ``namenode -recover`` salvages the rest.
"""

from __future__ import annotations

import os
import stat
import struct
import zlib
from pathlib import Path

import msgpack
import pytest
from click.testing import CliRunner

from dfs import editlog, faults
from dfs.cli import cli
from dfs.cluster import EmbeddedCluster, format_cluster
from dfs.conf import Configuration
from dfs.errors import (
    DFSAlreadyFormatted,
    DFSError,
    DFSInconsistentState,
    DFSNotFormatted,
    DFSStorageWriteError,
)
from dfs.fsimage import image_of, namespace_of
from dfs.minicluster import MiniCluster
from dfs.namespace import INodeDirectory, INodeFile, Namespace
from dfs.recovery import RecoveryQuit, recover


def _conf(home: Path, **more) -> Configuration:
    return Configuration({"minihadoop.home": str(home), **more}, load_site=False)


def _block_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / "datanodes").rglob("blk_*"))


@pytest.fixture
def mc(tmp_path):
    with MiniCluster(tmp_path, datanodes=3, racks=1) as cluster:
        cluster.client().write_bytes("/data/part-0", b"acknowledged" * 1000)
        yield cluster


def _reopen_fails(mc: MiniCluster, error: type, *words: str) -> str:
    mc.cluster.close()
    with pytest.raises(error) as info:
        EmbeddedCluster(mc.conf)
    message = str(info.value)
    for word in words:
        assert word in message, message
    return message


# ---- 1. nothing formats but `namenode -format` --------------------------------------------------
def test_a_home_never_formatted_is_refused_not_formatted(tmp_path):
    home = tmp_path / "never"
    with pytest.raises(DFSNotFormatted) as info:
        EmbeddedCluster(_conf(home))
    message = str(info.value)
    assert "NameNode is not formatted" in message and "hadoop namenode -format" in message
    assert str(home / "namenode") in message
    assert not (home / "namenode").exists() and not (home / "datanodes").exists()


def test_a_lost_version_is_refused_and_no_block_is_wiped(mc):
    blocks = _block_files(mc.home)
    assert blocks
    (mc.home / "namenode" / "VERSION").unlink()
    _reopen_fails(mc, DFSInconsistentState, "VERSION", "-recover", "-format -force")
    assert _block_files(mc.home) == blocks  # the old code re-formatted and deleted them all
    with pytest.raises(DFSAlreadyFormatted, match="-force"):
        format_cluster(mc.conf)  # and a plain -format refuses too
    assert _block_files(mc.home) == blocks


def test_format_refuses_when_only_datanode_blocks_are_left(mc):
    blocks = _block_files(mc.home)
    mc.cluster.close()
    for name in ("VERSION", "fsimage", "edits"):
        (mc.home / "namenode" / name).unlink()
    with pytest.raises(DFSInconsistentState, match="block files"):
        EmbeddedCluster(mc.conf)
    with pytest.raises(DFSAlreadyFormatted, match="block files"):
        format_cluster(mc.conf)
    assert _block_files(mc.home) == blocks
    format_cluster(mc.conf, force=True)  # -force is the way to erase
    assert _block_files(mc.home) == []


@pytest.mark.parametrize("name", ["fsimage", "edits"])
def test_a_lost_image_or_log_is_refused_naming_it(mc, name):
    mc.cluster.close()
    (mc.home / "namenode" / name).unlink()
    _reopen_fails(mc, DFSInconsistentState, name, "is missing", "backup")


def test_version_and_image_of_different_clusters_are_inconsistent(mc, tmp_path):
    other = MiniCluster(tmp_path / "other", datanodes=1, racks=1)
    other.close()
    os.replace(other.home / "namenode" / "VERSION", mc.home / "namenode" / "VERSION")
    _reopen_fails(mc, DFSInconsistentState, "Inconsistent checkpoint fields", "clusterID")


def test_a_datanode_of_another_cluster_is_refused_untouched(mc, tmp_path):
    other = MiniCluster(tmp_path / "other", datanodes=1, racks=1)
    other.client().write_bytes("/theirs", b"not yours")
    other.close()
    mc.close()
    foreign = mc.home / "datanodes" / "dn0"
    import shutil

    shutil.rmtree(foreign)
    shutil.copytree(other.home / "datanodes" / "dn0", foreign)
    before = {p: p.read_bytes() for p in foreign.rglob("*") if p.is_file()}
    cluster = EmbeddedCluster(mc.conf)
    try:
        assert "Incompatible clusterIDs in" in cluster.refused["dn0"]
        assert "namenode clusterID = CID-" in cluster.refused["dn0"]
        report = {n.node_id: n.alive for n in cluster.client().datanode_report()}
        assert report == {"dn0": False, "dn1": True, "dn2": True}
        assert cluster.client().read_bytes("/data/part-0") == b"acknowledged" * 1000
        cluster.tick()
        with pytest.raises(DFSError, match="Incompatible clusterIDs"):
            cluster.start_datanode("dn0")
    finally:
        cluster.close()
    after = {p: p.read_bytes() for p in foreign.rglob("*") if p.is_file()}
    assert after == before


def test_namenode_directory_is_private(mc):
    nn = mc.home / "namenode"
    assert stat.S_IMODE(nn.stat().st_mode) == 0o700
    for f in nn.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_cli_on_a_damaged_home_exits_nonzero_in_one_line(mc, monkeypatch):
    (mc.home / "namenode" / "VERSION").unlink()
    mc.cluster.close()
    monkeypatch.setenv("MINIHADOOP_HOME", str(mc.home))
    r = CliRunner().invoke(cli, ["fs", "-ls", "/"])
    assert r.exit_code == 1
    assert len(r.stderr.splitlines()) == 1 and "VERSION is missing" in r.stderr
    assert _block_files(mc.home)


# ---- 2. a failed metadata write acknowledges nothing and loses nothing --------------------------
@pytest.mark.parametrize(
    "kind, reason",
    [("short", "No space left on device"), ("enospc", "No space left"), ("eio", "Input/output")],
)
def test_a_failed_edit_log_write_fails_the_operation_only(mc, kind, reason):
    client = mc.client()
    client.mkdirs("/before")
    with faults.inject_write("editlog", kind), pytest.raises(DFSStorageWriteError) as info:
        client.mkdirs("/lost/a/b")
    edits = mc.home / "namenode" / "edits"
    assert f"mkdir /lost: cannot write the edit log {edits}: {reason}" in str(info.value)
    assert not client.exists("/lost")  # nothing was applied
    client.mkdirs("/after")  # the log was cut back to its last good record
    mc.reopen()
    client = mc.client()
    assert client.exists("/before") and client.exists("/after") and not client.exists("/lost")
    assert client.read_bytes("/data/part-0") == b"acknowledged" * 1000


def test_a_partial_write_is_finished(mc):
    with faults.inject_write("editlog", "partial"):
        mc.client().mkdirs("/whole")
    mc.reopen()
    assert mc.client().exists("/whole")


def test_a_tail_that_cannot_be_cut_refuses_appends_until_reopened(mc, monkeypatch):
    client = mc.client()

    def no_truncate(fd, size):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "ftruncate", no_truncate)
    with faults.inject_write("editlog", "short"), pytest.raises(DFSStorageWriteError):
        client.mkdirs("/torn")
    with pytest.raises(DFSStorageWriteError, match="no operation is accepted"):
        client.mkdirs("/refused")  # never appended after the torn tail
    monkeypatch.undo()
    mc.reopen()  # the reader drops the torn tail
    client = mc.client()
    assert not client.exists("/torn") and not client.exists("/refused")
    client.mkdirs("/fine")
    mc.reopen()
    assert mc.client().exists("/fine")


def test_a_failed_checkpoint_keeps_the_old_image_and_log(mc):
    nn_dir = mc.home / "namenode"
    mc.client().mkdirs("/x")
    image = (nn_dir / "fsimage").read_bytes()
    with faults.inject_write("fsimage", "short"), pytest.raises(DFSStorageWriteError):
        mc.cluster.namenode.checkpoint()
    assert (nn_dir / "fsimage").read_bytes() == image
    assert not [p.name for p in nn_dir.iterdir() if "tmp" in p.name or "ckpt" in p.name]
    mc.reopen()
    assert mc.client().exists("/x")


def test_a_failed_version_write_leaves_no_half_file(tmp_path):
    with faults.inject_write("version", "enospc"), pytest.raises(DFSStorageWriteError):
        format_cluster(_conf(tmp_path / "h"))
    assert not (tmp_path / "h" / "namenode" / "VERSION").exists()
    assert not list((tmp_path / "h" / "namenode").glob("VERSION*"))


def test_a_closed_namenode_reloads_rather_than_trusting_a_reused_inode(mc):
    """A new edit log can get the old one's inode number once nobody holds the old one open;
    a namenode that closed its log must then reload, not read the new log at its old offset."""
    stale = mc.cluster.namenode
    mc.reopen()
    for i in range(5):
        mc.client().mkdirs(f"/later{i}")
    mc.cluster.namenode.checkpoint()
    stale._edits_ino = os.stat(mc.home / "namenode" / "edits").st_ino  # as if reused
    with stale.locked():
        assert all(stale.ns.find(f"/later{i}") is not None for i in range(5))
    stale.close()


# ---- 3. the image does not recurse on depth -----------------------------------------------------
def test_a_5000_deep_tree_saves_and_loads_without_recursion(tmp_path):
    ns = Namespace("alice")
    node = ns.root
    for i in range(5000):  # built directly: no path-depth limit applies here
        child = INodeDirectory(f"d{i}", "alice", "supergroup", 0o755, 1)
        node.add(child)
        node = child
    node.add(INodeFile("f", "alice", "supergroup", 0o644, 1, 3, 65536, None))
    path = tmp_path / "fsimage"
    editlog.write_image(path, image_of(ns, txid=7, next_block_id=2**30 + 1, genstamp=1001))
    loaded = namespace_of(editlog.read_image(path), True, path)
    depth, node = 0, loaded.root
    while node.is_dir:
        (node,) = node.children.values()
        depth += 1
    assert depth == 5001 and node.name == "f" and node.parent.name == "d4999"


def test_an_image_of_the_first_layout_still_loads(mc):
    """The unframed, nested image the first version wrote (written here by hand)."""
    mc.cluster.close()
    nn_dir = mc.home / "namenode"
    version = dict(
        line.split("=", 1) for line in (nn_dir / "VERSION").read_text().splitlines() if "=" in line
    )
    root = [0, "", "alice", "supergroup", 0o755, 5, 5,
            [[0, "old", "alice", "supergroup", 0o755, 5, 5,
              [[1, "f", "alice", "supergroup", 0o644, 5, 5, 3, 65536, None, []]]]]]
    image = {"version": 1, "txid": 0, "superuser": "alice", "supergroup": "supergroup",
             "next_block_id": 2**30 + 100, "genstamp": 1001, "root": root,
             "cluster_id": version["clusterID"]}
    (nn_dir / "fsimage").write_bytes(msgpack.packb(image, use_bin_type=True))
    (nn_dir / "edits").write_bytes(_frame({"start_txid": 1}))
    mc.cluster = EmbeddedCluster(mc.conf)
    assert [s.path for s in mc.client().listdir("/old")] == ["/old/f"]


# ---- 7. damaged metadata is reported with the file, offset and txid -----------------------------
def _frame(record) -> bytes:
    payload = msgpack.packb(record, use_bin_type=True)
    return struct.pack(">II", len(payload), zlib.crc32(payload)) + payload


def _append_records(mc: MiniCluster, *records) -> int:
    """Close the cluster and append well-framed records; returns the offset of the first."""
    mc.cluster.close()
    edits = mc.home / "namenode" / "edits"
    offset = edits.stat().st_size
    with open(edits, "ab") as f:
        for r in records:
            f.write(_frame(r))
    return offset


@pytest.mark.parametrize(
    "record, why",
    [
        (["rename", "/data", "/data/sub/data", 7], "into itself"),
        (["create", "/nowhere/f", "u", None, 0o644, 7, 3, 65536, None], "does not exist"),
        (["mkdir", 5], "mkdir has 1 arguments"),
        (["frobnicate", "/data"], "unknown operation 'frobnicate'"),
        (["rename", "/data", "/data2"], "rename has 2 arguments"),
        ({"start_txid": 3}, "not an edit record"),
    ],
)
def test_a_bad_edit_stops_the_start_naming_file_offset_and_txid(mc, record, why):
    mc.client().mkdirs("/data/sub")
    offset = _append_records(mc, record)
    message = _reopen_fails(mc, DFSInconsistentState, why, f"at byte {offset} (txid ", "-recover")
    assert str(mc.home / "namenode" / "edits") in message


def test_a_truncated_or_garbled_image_names_the_file(mc):
    image = mc.home / "namenode" / "fsimage"
    mc.client().mkdirs("/x")
    mc.cluster.namenode.checkpoint()
    data = image.read_bytes()
    image.write_bytes(data[: len(data) // 2])
    _reopen_fails(mc, DFSInconsistentState, str(image), "truncated", "backup")
    image.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(DFSInconsistentState, match="checksum"):
        EmbeddedCluster(mc.conf)


def test_a_garbled_length_in_the_middle_is_not_taken_for_a_torn_tail(mc):
    client = mc.client()
    edits = mc.home / "namenode" / "edits"
    first = edits.stat().st_size
    for i in range(5):
        client.mkdirs(f"/m{i}")
    mc.cluster.close()
    data = bytearray(edits.read_bytes())
    data[first : first + 4] = b"\xff\xff\xff\x00"  # the length of the first new record
    edits.write_bytes(bytes(data))
    # the old reader took this for a torn tail and silently dropped all five acknowledged mkdirs
    with pytest.raises(DFSInconsistentState, match=f"at byte {first}"):
        EmbeddedCluster(mc.conf)


def test_recover_refuses_without_a_terminal_then_skips_with_force(mc, monkeypatch):
    mc.client().mkdirs("/data/sub")
    _append_records(
        mc,
        ["mkdir", "/kept1", "alice", None, 0o755, 9],
        ["rename", "/data", "/data/sub/data", 10],  # would have detached /data
        ["mkdir", "/kept2", "alice", None, 0o755, 11],
    )
    monkeypatch.setenv("MINIHADOOP_HOME", str(mc.home))
    runner = CliRunner()
    r = runner.invoke(cli, ["namenode", "-recover"])
    assert r.exit_code == 1 and "-force" in r.stderr
    r = runner.invoke(cli, ["namenode", "-recover", "-force"])
    assert r.exit_code == 0, r.stderr
    assert "rename /data -> /data/sub/data" in r.stdout and "(skipped)" in r.stdout
    copies = list((mc.home / "namenode").glob("edits.corrupt-*"))
    assert len(copies) == 1 and f"kept a copy of the damaged file as {copies[0]}" in r.stdout
    mc.cluster = EmbeddedCluster(mc.conf)
    client = mc.client()
    assert client.exists("/kept1") and client.exists("/kept2")
    assert client.read_bytes("/data/part-0") == b"acknowledged" * 1000
    r = runner.invoke(cli, ["namenode", "-recover", "-force"])
    assert r.exit_code == 0 and "Nothing to recover" in r.stdout


def test_recover_rebuilds_a_lost_version_from_the_image(mc, monkeypatch):
    blocks = _block_files(mc.home)
    (mc.home / "namenode" / "VERSION").unlink()
    mc.cluster.close()
    monkeypatch.setenv("MINIHADOOP_HOME", str(mc.home))
    r = CliRunner().invoke(cli, ["namenode", "-recover", "-force"])
    assert r.exit_code == 0, r.stderr
    assert "VERSION rebuilt from the fsimage" in r.stdout
    mc.cluster = EmbeddedCluster(mc.conf)
    assert not mc.cluster.refused  # the datanodes' VERSION files agree with the rebuilt one
    assert mc.client().read_bytes("/data/part-0") == b"acknowledged" * 1000
    assert _block_files(mc.home) == blocks


def _three_with_a_bad_middle(mc: MiniCluster) -> None:
    _append_records(
        mc,
        ["mkdir", "/kept1", "alice", None, 0o755, 9],
        ["create", "/nowhere/f", "alice", None, 0o644, 10, 3, 65536, None],
        ["mkdir", "/kept2", "alice", None, 0o755, 11],
    )


def test_recover_stop_drops_the_rest_and_quit_changes_nothing(mc):
    _three_with_a_bad_middle(mc)
    nn_dir = mc.home / "namenode"
    before = {p.name: p.read_bytes() for p in nn_dir.iterdir()}
    asked: list[str] = []
    with pytest.raises(RecoveryQuit):
        recover(nn_dir, mc.conf, lambda text: asked.append(text) or "q")
    assert "create /nowhere/f" in asked[0] and "Enter 's' to stop reading" in asked[0]
    assert {p.name: p.read_bytes() for p in nn_dir.iterdir()} == before  # nothing changed

    report = recover(nn_dir, mc.conf, lambda text: "s")
    assert any("(stopped here)" in a for a in report.actions)
    assert any(a == "dropped: mkdir /kept2" for a in report.actions)
    mc.cluster = EmbeddedCluster(mc.conf)
    client = mc.client()
    assert client.exists("/kept1") and not client.exists("/kept2")
    assert client.read_bytes("/data/part-0") == b"acknowledged" * 1000


def test_recover_force_skips_a_garbled_section_and_keeps_what_follows(mc):
    client = mc.client()
    edits = mc.home / "namenode" / "edits"
    first = edits.stat().st_size
    for i in range(4):
        client.mkdirs(f"/m{i}")
    mc.cluster.close()
    data = bytearray(edits.read_bytes())
    data[first + 8] ^= 0xFF  # the payload of /m0's record: its CRC fails
    edits.write_bytes(bytes(data))
    report = recover(mc.home / "namenode", mc.conf)
    assert any(f"at byte {first}" in a and "(skipped)" in a for a in report.actions)
    mc.cluster = EmbeddedCluster(mc.conf)
    assert [mc.client().exists(f"/m{i}") for i in range(4)] == [False, True, True, True]


def test_recover_cannot_salvage_a_damaged_image(mc):
    image = mc.home / "namenode" / "fsimage"
    mc.cluster.close()
    image.write_bytes(image.read_bytes()[:-3])
    with pytest.raises(DFSInconsistentState, match="cannot be salvaged"):
        recover(mc.home / "namenode", mc.conf)


def test_a_damaged_log_header_is_reported_and_recover_keeps_the_records_after_it(mc):
    client = mc.client()
    for i in range(3):
        client.mkdirs(f"/old{i}")
    mc.cluster.namenode.checkpoint()  # the new log starts at a txid above 1
    client.mkdirs("/b")
    client.mkdirs("/c")
    mc.cluster.close()
    edits = mc.home / "namenode" / "edits"
    data = bytearray(edits.read_bytes())
    data[9] ^= 0xFF  # inside the header record's payload
    edits.write_bytes(bytes(data))
    with pytest.raises(DFSInconsistentState, match="at byte 0"):
        EmbeddedCluster(mc.conf)
    recover(mc.home / "namenode", mc.conf)
    mc.cluster = EmbeddedCluster(mc.conf)
    assert all(mc.client().exists(p) for p in ("/old0", "/old2", "/b", "/c"))


@pytest.mark.parametrize("damage", ["missing", "dn0 /rack0\ndn1\n", "../../etc /rack0\n"])
def test_a_damaged_topology_is_refused_naming_it(mc, damage):
    topology = mc.home / "topology"
    mc.cluster.close()
    if damage == "missing":
        topology.unlink()
    else:
        topology.write_text(damage)
    with pytest.raises(DFSInconsistentState, match="topology"):
        EmbeddedCluster(mc.conf)


def test_recover_refuses_while_another_command_holds_the_namespace_lock(mc):
    import fcntl
    import subprocess
    import sys

    mc.client().mkdirs("/kept")
    mc.cluster.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
            str(mc.home / "namenode" / "lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DFSError, match="in use by another command"):
            recover(mc.home / "namenode", mc.conf)
        assert not list((mc.home / "namenode").glob("*.corrupt-*"))  # nothing touched
    finally:
        holder.kill()
        holder.wait(timeout=10)
    fd = os.open(mc.home / "namenode" / "lock", os.O_RDWR)  # released with the holder
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(fd)
    assert not recover(mc.home / "namenode", mc.conf).changed  # and now it runs
