"""Safe mode after a NameNode start, and `hadoop dfsadmin -safemode`.

Expected behaviour and text are HDFS's (BlockManagerSafeMode, FSNamesystem): the threshold is
int(total complete blocks x dfs.namenode.safemode.threshold-pct) blocks with a reported replica;
then dfs.namenode.safemode.extension ms more; writes meanwhile fail with "Cannot create
directory /x. Name node is in safe mode." followed by the tip ("The reported blocks 8 needs
additional 1 blocks to reach the threshold 0.9990 of total blocks 10."); a namespace without
blocks starts out of safe mode; nothing is re-replicated while it is on; `dfsadmin -safemode`
prints "Safe mode is ON" / "Safe mode is OFF".
"""

from __future__ import annotations

import time

import pytest

from dfs.errors import DFSPermissionDenied, DFSSafeMode
from tests.dfs.test_datanode_protocol import (
    USER,
    Clock,
    _beat,
    _cluster,
    _namenode,
    _reg,
    _write,
)


def _restart_with_blocks(tmp_path, clock: Clock, files: int = 10, **conf):
    """Write `files` one-block files (replication 1, all on dn0), then restart the NameNode:
    it knows the blocks but no replica yet. Returns (namenode, dn0's block report)."""
    nn = _cluster(tmp_path, clock, {"dn0": "/r0"}, **conf)
    report = {}
    for i in range(files):
        block_id, _ = _write(nn, f"/f{i}", length=100 + i, replication=1)
        report[block_id] = 100 + i
    nn.close()
    restarted = _namenode(tmp_path, clock, **conf)
    _reg(restarted, "dn0", "/r0")
    return restarted, report


def test_an_empty_namespace_starts_out_of_safe_mode(tmp_path):
    nn = _namenode(tmp_path, Clock())
    assert nn.set_safe_mode(USER, "get") is False
    nn.mkdirs(USER, "/x")


def test_writes_are_refused_until_the_threshold_of_blocks_is_reported(tmp_path):
    clock = Clock()
    nn, report = _restart_with_blocks(tmp_path, clock)
    assert nn.set_safe_mode(USER, "get") is True
    with pytest.raises(DFSSafeMode) as e:
        nn.mkdirs(USER, "/x")
    assert str(e.value) == (
        "Cannot create directory /x. Name node is in safe mode.\n"
        "The reported blocks 0 needs additional 9 blocks to reach the threshold 0.9990 of "
        "total blocks 10.\nThe number of live datanodes 1 has reached the minimum number 0. "
        "Safe mode will be turned off automatically once the thresholds have been reached."
    )
    with pytest.raises(DFSSafeMode, match=r"^Cannot delete /f0\. Name node is in safe mode\."):
        nn.delete(USER, "/f0")
    with pytest.raises(DFSSafeMode, match=r"^Cannot create file /new\. Name node is in safe"):
        nn.create(USER, "/new", "DFSClient_x_1")
    eight = dict(list(report.items())[:8])
    nn.block_report("dn0", eight)
    with pytest.raises(DFSSafeMode, match="The reported blocks 8 needs additional 1 blocks"):
        nn.mkdirs(USER, "/x")
    nn.block_report("dn0", dict(list(report.items())[:9]))  # int(10 x 0.999) = 9: enough
    assert nn.set_safe_mode(USER, "get") is False
    assert nn.mkdirs(USER, "/x")
    assert nn.get_status(USER, "/f3").length == 103  # reads worked all along


def test_the_extension_keeps_safe_mode_on_for_its_time(tmp_path):
    clock = Clock()
    nn, report = _restart_with_blocks(tmp_path, clock, **{"dfs.namenode.safemode.extension": 30000})
    nn.block_report("dn0", report)
    with pytest.raises(DFSSafeMode) as e:
        nn.mkdirs(USER, "/x")
    assert (
        "The reported blocks 10 has reached the threshold 0.9990 of total blocks 10. "
        "The number of live datanodes 1 has reached the minimum number 0. "
        "In safe mode extension. Safe mode will be turned off automatically in 30 seconds."
    ) in str(e.value)
    clock.advance(29.9)
    _beat(nn, "dn0")
    assert nn.set_safe_mode(USER, "get") is True
    clock.advance(0.1)
    _beat(nn, "dn0")
    assert nn.set_safe_mode(USER, "get") is False


def test_nothing_is_replicated_or_deleted_in_safe_mode(tmp_path):
    clock = Clock()
    nn, report = _restart_with_blocks(tmp_path, clock)
    few = dict(list(report.items())[:5])
    nn.block_report("dn0", {**few, 777: 5})  # 777: a leaked replica, deleted only later
    clock.advance(3)
    reply = _beat(nn, "dn0")
    assert (reply.commands, reply.safemode) == ((), True)
    nn.set_safe_mode(USER, "leave")
    clock.advance(3)
    reply = _beat(nn, "dn0")
    assert reply.safemode is False and [c.block_ids for c in reply.commands] == [(777,)]


def test_safe_mode_entered_by_hand_stays_until_left(tmp_path):
    clock = Clock()
    nn = _namenode(tmp_path, clock)
    with pytest.raises(DFSPermissionDenied, match="Superuser privilege is required"):
        nn.set_safe_mode("alice", "enter")
    assert nn.set_safe_mode(USER, "enter") is True
    with pytest.raises(DFSSafeMode) as e:
        nn.mkdirs(USER, "/x")
    assert str(e.value) == (
        "Cannot create directory /x. Name node is in safe mode.\n"
        'It was turned on manually. Use "hadoop dfsadmin -safemode leave" to turn safe mode off.'
    )
    clock.advance(60)
    assert nn.set_safe_mode(USER, "get") is True
    assert nn.set_safe_mode(USER, "leave") is False
    assert nn.mkdirs(USER, "/x")


def test_dfsadmin_safemode_prints_hadoops_lines(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from dfs.cli import cli
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    format_cluster(Configuration())
    runner = CliRunner()
    for action, line in [
        ("get", "Safe mode is OFF"),
        ("enter", "Safe mode is ON"),  # embedded: each command's NameNode starts anew
        ("leave", "Safe mode is OFF"),
        ("wait", "Safe mode is OFF"),
    ]:
        r = runner.invoke(cli, ["dfsadmin", "-safemode", action])
        assert (r.exit_code, r.stdout) == (0, line + "\n"), r.stderr
    r = runner.invoke(cli, ["dfsadmin", "-safemode", "sideways"])
    assert r.exit_code == 255


@pytest.mark.slow
def test_a_restarted_namenode_daemon_is_in_safe_mode_until_the_datanodes_report(tmp_path):
    """Real processes: write, stop every daemon, start the NameNode alone: writes are refused
    with HDFS's message and `-safemode get` says ON; once the DataNodes are back and have
    reported their blocks, safe mode goes off by itself and writes work again."""
    from dfs.minicluster import MiniCluster

    with MiniCluster(tmp_path, datanodes=3, racks=1, daemons=True) as mc:
        for i in range(4):
            mc.client().write_bytes(f"/f{i}", bytes([i]) * 5000)
        for name in ("dn0", "dn1", "dn2", "namenode"):
            mc.kill(name)
        mc.start_daemon("namenode")
        with pytest.raises(DFSSafeMode, match=r"^Cannot create directory /x\. Name node is in"):
            mc.client().mkdirs("/x")
        assert mc.client().nn.set_safe_mode(USER, "get") is True
        for name in ("dn0", "dn1", "dn2"):
            mc.start_daemon(name)
        deadline = time.monotonic() + 20
        while mc.client().nn.set_safe_mode(USER, "get"):
            assert time.monotonic() < deadline, "safe mode never went off"
            time.sleep(0.1)
        mc.client().mkdirs("/x")
        assert mc.client().read_bytes("/f3") == bytes([3]) * 5000
