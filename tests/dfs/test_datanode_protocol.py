"""DatanodeProtocol on the NameNode's side, with fake datanodes and an injected clock.

The fake datanodes call the protocol methods directly (register, heartbeat, block_received,
block_report) on a daemon-mode NameNode (no replica probe), as the DataNode daemons do over RPC.
Expected answers come from HDFS's documented behaviour: the dead-node rule (2 x
dfs.namenode.heartbeat.recheck-interval + 10 x dfs.heartbeat.interval), rack-aware placement
(a block whose replicas sit on one rack gets its next one on another), re-registration after an
unknown heartbeat, excess replicas trimmed keeping two racks, dfsadmin -report's layout.
"""

from __future__ import annotations

import pytest

from dfs.admin import format_report
from dfs.conf import Configuration
from dfs.errors import DFSInconsistentState
from dfs.namenode import NameNode
from dfs.protocol import (
    DatanodeInfo,
    DatanodeRegistration,
    DeleteCommand,
    ReplicateCommand,
    ReregisterCommand,
    StorageReport,
)
from tests.fakeclock import Clock

USER = "hdfs"
GIB = 1 << 30


def _conf(**extra) -> Configuration:
    values = {
        "dfs.heartbeat.interval": 3,
        "dfs.namenode.heartbeat.recheck-interval": 300000,
        "dfs.namenode.safemode.extension": 0,
        "dfs.replication": 3,
    }
    values.update(extra)
    return Configuration(values, load_site=False)


def _namenode(tmp_path, clock: Clock, **conf) -> NameNode:
    directory = tmp_path / "namenode"
    if not directory.exists():
        NameNode.format(directory, _conf(**conf), USER)
    return NameNode(directory, _conf(**conf), replica_probe=None, clock=clock)


def _reg(nn: NameNode, node_id: str, rack: str, cluster_id: str | None = None) -> None:
    cid = nn.version["clusterID"] if cluster_id is None else cluster_id
    port = 50010 + int(node_id[2:])
    nn.register_datanode(
        DatanodeRegistration(node_id, rack, f"/data/{node_id}", GIB, "127.0.0.1", port, cid)
    )


def _beat(nn: NameNode, node_id: str):
    return nn.heartbeat(node_id, StorageReport(GIB, 0, GIB, 0))


RACKS = {"dn0": "/r0", "dn1": "/r0", "dn2": "/r0", "dn3": "/r1", "dn4": "/r1", "dn5": "/r1"}


def _cluster(tmp_path, clock: Clock, racks: dict[str, str] = RACKS, **conf) -> NameNode:
    nn = _namenode(tmp_path, clock, **conf)
    for node_id, rack in racks.items():
        _reg(nn, node_id, rack)
        nn.block_report(node_id, {})
    return nn


def _write(nn: NameNode, path: str, length: int = 1000, replication: int = 3) -> tuple[int, list]:
    """A one-block file written as a client and a pipeline do: create, add_block, each target
    reports the finalized replica (block_received), complete."""
    holder = "DFSClient_test_1"
    nn.create(USER, path, holder, replication=replication)
    located, targets = nn.add_block(USER, path, holder)
    for t in targets:
        nn.block_received(t, located.block_id, length)
    nn.complete(USER, path, holder, [length], [targets])
    return located.block_id, targets


def _holders(nn: NameNode, path: str) -> list[str]:
    _, blocks = nn.get_block_locations(USER, path)
    return sorted(d.node_id for d in blocks[0].locations)


def _alive(nn: NameNode) -> dict[str, bool]:
    return {d.node_id: d.alive for d in nn.datanode_report()}


# -- liveness -------------------------------------------------------------------------------------
def test_a_silent_datanode_is_dead_exactly_after_the_hdfs_interval(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock, {"dn0": "/r0", "dn1": "/r1"})
    expire = 2 * 300 + 10 * 3  # HDFS: 2 x recheck (300 s) + 10 x heartbeat (3 s) = 630 s
    for step in range(0, expire, 3):  # dn1 keeps beating, dn0 falls silent at t=0
        clock.now = 1000.0 + step
        _beat(nn, "dn1")
    clock.now = 1000.0 + expire
    _beat(nn, "dn1")
    assert _alive(nn) == {"dn0": True, "dn1": True}
    clock.advance(0.001)
    assert _alive(nn) == {"dn0": False, "dn1": True}


def test_fractional_intervals_work_for_tests(tmp_path):
    clock = Clock()
    conf = {"dfs.heartbeat.interval": "0.1", "dfs.namenode.heartbeat.recheck-interval": "200"}
    nn = _cluster(tmp_path, clock, {"dn0": "/r0", "dn1": "/r1"}, **conf)
    assert nn.dead_interval == pytest.approx(2 * 0.2 + 10 * 0.1)
    clock.advance(1.39)
    _beat(nn, "dn1")
    assert _alive(nn)["dn0"] is True
    clock.advance(0.02)
    assert _alive(nn) == {"dn0": False, "dn1": True}


def test_unknown_datanode_is_told_to_register_again(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock, {"dn0": "/r0"})
    nn.close()
    restarted = _namenode(tmp_path, clock)  # a NameNode restart knows no datanode
    reply = _beat(restarted, "dn0")
    assert [type(c) for c in reply.commands] == [ReregisterCommand]
    _reg(restarted, "dn0", "/r0")
    restarted.block_report("dn0", {})
    assert _beat(restarted, "dn0").commands == ()


def test_a_datanode_of_another_cluster_is_refused(tmp_path):
    nn = _namenode(tmp_path, Clock())
    with pytest.raises(DFSInconsistentState, match="Incompatible clusterIDs"):
        _reg(nn, "dn0", "/r0", cluster_id="CID-someone-else")
    assert nn.datanode_report() == []


# -- repair ---------------------------------------------------------------------------------------
def _commands(nn: NameNode, nodes) -> dict[str, tuple]:
    return {n: _beat(nn, n).commands for n in nodes}


def _kill(nn: NameNode, clock: Clock, victim: str) -> list:
    """Let `victim` fall silent past the dead interval while the others keep beating; the
    commands their replies carried."""
    others = [n for n in RACKS if n != victim]
    sent = []
    for _ in range(int(nn.dead_interval // 3) + 2):
        clock.advance(3)
        for n in others:
            sent += _beat(nn, n).commands
    assert not _alive(nn)[victim]
    return sent


def test_blocks_of_a_dead_node_are_replicated_by_commands_on_other_nodes_replies(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    block_id, targets = _write(nn, "/f")
    racks = [RACKS[t] for t in targets]
    # HDFS placement: two racks, two replicas on one of them; kill the lone one on its rack
    lone = next(t for t in targets if racks.count(RACKS[t]) == 1)
    survivors = sorted(set(targets) - {lone})
    sent: dict[str, list] = {}
    others = [n for n in RACKS if n != lone]
    for _ in range(int(nn.dead_interval // 3) + 2):
        clock.advance(3)
        for n in others:
            for cmd in _beat(nn, n).commands:
                sent.setdefault(n, []).append(cmd)
    assert _holders(nn, "/f") == survivors  # the dead node's replica stopped counting
    assert list(sent) in ([survivors[0]], [survivors[1]]), sent  # a holder is the source
    [cmd] = next(iter(sent.values()))
    assert isinstance(cmd, ReplicateCommand)
    assert (cmd.block_id, cmd.length) == (block_id, 1000)
    [target] = cmd.targets
    assert target.node_id not in targets
    assert target.rack == RACKS[lone]  # both survivors share a rack: the copy goes elsewhere
    assert (target.host, target.xfer_port) == ("127.0.0.1", 50010 + int(target.node_id[2:]))
    # not asked twice while the copy is in flight; done once the target reports it
    assert all(c == () for c in _commands(nn, others).values())
    nn.block_received(target.node_id, block_id, 1000)
    assert _holders(nn, "/f") == sorted(survivors + [target.node_id])
    clock.advance(3)
    assert all(c == () for c in _commands(nn, others).values())


def test_a_returning_node_reregisters_and_its_excess_replica_is_deleted(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    block_id, targets = _write(nn, "/f")
    victim = targets[0]
    copies = _kill(nn, clock, victim)
    assert len(copies) == 1
    for cmd in copies:
        for t in cmd.targets:
            nn.block_received(t.node_id, cmd.block_id, cmd.length)
    assert len(_holders(nn, "/f")) == 3
    # the node comes back: told to register, then its full block report shows the old replica
    assert [type(c) for c in _beat(nn, victim).commands] == [ReregisterCommand]
    _reg(nn, victim, RACKS[victim])
    nn.block_report(victim, {block_id: 1000})
    clock.advance(3)
    deletes = {
        n: c.block_ids
        for n, cmds in _commands(nn, RACKS).items()
        for c in cmds
        if isinstance(c, DeleteCommand)
    }
    assert list(deletes.values()) == [(block_id,)], deletes  # exactly one replica goes
    kept = _holders(nn, "/f")
    assert len(kept) == 3 and next(iter(deletes)) not in kept
    assert len({RACKS[n] for n in kept}) == 2  # the trimmed set still spans both racks


def test_a_replica_of_a_deleted_file_is_deleted_on_the_holders_next_heartbeat(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    block_id, targets = _write(nn, "/gone")
    nn.delete(USER, "/gone")
    clock.advance(3)
    sent = _commands(nn, RACKS)
    assert {n for n, c in sent.items() if c} == set(targets)
    assert all(c == (DeleteCommand((block_id,)),) for n, c in sent.items() if c)


def test_a_leaked_replica_in_a_block_report_is_deleted(tmp_path):
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    nn.block_report("dn0", {424242: 10})
    clock.advance(3)
    assert _beat(nn, "dn0").commands == (DeleteCommand((424242,)),)


# -- decommissioning ------------------------------------------------------------------------------
def test_decommissioning_copies_the_replicas_elsewhere_first(tmp_path):
    clock = Clock()
    exclude = tmp_path / "excludes"
    exclude.write_text("")
    nn = _cluster(tmp_path, clock, **{"dfs.hosts.exclude": str(exclude)})
    block_id, targets = _write(nn, "/f")
    leaving = targets[0]
    exclude.write_text(f"{leaving}\n")
    nn.refresh_nodes(USER)
    states = {d.node_id: d.admin_state for d in nn.datanode_report()}
    assert states[leaving] == "Decommission in progress"
    copies = [c for cmds in _commands(nn, RACKS).values() for c in cmds]
    assert len(copies) == 1 and isinstance(copies[0], ReplicateCommand)
    [target] = copies[0].targets
    assert target.node_id not in targets
    nn.block_received(target.node_id, block_id, 1000)
    clock.advance(3)
    _beat(nn, "dn0")
    states = {d.node_id: d.admin_state for d in nn.datanode_report()}
    assert states[leaving] == "Decommissioned"
    assert leaving in _holders(nn, "/f")  # its replica stays, listed last (HDFS sorts so)
    assert _holders(nn, "/f") == sorted(set(targets) | {target.node_id})
    _, blocks = nn.get_block_locations(USER, "/f")
    assert blocks[0].locations[-1].node_id == leaving
    # no new block is placed on it
    nn.create(USER, "/g", "DFSClient_test_2")
    _, new_targets = nn.add_block(USER, "/g", "DFSClient_test_2")
    assert leaving not in new_targets


# -- dfsadmin -report -----------------------------------------------------------------------------
def test_dfsadmin_report_lists_live_and_dead_sections_as_hadoop_does():
    live = DatanodeInfo("dn0", "/r0", "/d/dn0", 100, 10, 90, True, 0, 1, "127.0.0.1", 50010)
    dead = DatanodeInfo(
        "dn1", "/r1", "/d/dn1", 100, 0, 100, False, 0, 0, "127.0.0.1", 50011, "Decommissioned"
    )
    out = format_report([live, dead], None)
    lines = out.splitlines()
    sep = lines.index("-------------------------------------------------")
    assert lines[sep + 1] == "Live datanodes (1):"
    assert lines[sep + 2] == ""
    assert lines[sep + 3] == "Name: 127.0.0.1:50010 (dn0)"
    assert "Dead datanodes (1):" in lines
    dead_part = out.split("Dead datanodes (1):\n\n", 1)[1]
    assert dead_part.startswith("Name: 127.0.0.1:50011 (dn1)\nHostname: dn1\nRack: /r1\n")
    assert "Decommission Status : Decommissioned" in dead_part
    assert "Decommission Status : Normal" in out.split("Dead datanodes")[0]
    assert out.index("Live datanodes") < out.index("Dead datanodes")


def test_decommissioning_through_dfsadmin_refresh_nodes(tmp_path, monkeypatch):
    """HDFS's way: list the node in the dfs.hosts.exclude file, `dfsadmin -refreshNodes`; its
    replicas are copied to the other nodes, then `-report` says Decommissioned."""
    from click.testing import CliRunner

    from dfs.cli import cli
    from dfs.cluster import connect, format_cluster

    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    exclude = tmp_path / "excludes"
    exclude.write_text("")
    conf = Configuration({"dfs.hosts.exclude": str(exclude), "dfs.blocksize": 65536})
    format_cluster(conf)
    data = bytes(range(256)) * 1024  # 4 blocks
    with connect(conf) as c:
        c.write_bytes("/f", data)
        held = {b.block_id for b in c.block_locations("/f") if "dn0" in _ids(b)}
    assert held  # dn0 holds something to copy away
    exclude.write_text("dn0\n")
    runner = CliRunner()
    opts = ["-D", f"dfs.hosts.exclude={exclude}"]
    r = runner.invoke(cli, ["dfsadmin", *opts, "-refreshNodes"])
    assert (r.exit_code, r.stdout) == (0, "Refresh nodes successful\n"), r.stderr
    r = runner.invoke(cli, ["dfsadmin", *opts, "-report"])
    section = r.stdout.split("Name: 127.0.0.1:9866 (dn0)", 1)[1].split("\n\n", 1)[0]
    assert "Decommission Status : Decommissioned" in section, r.stdout
    with connect(conf) as c:
        assert c.read_bytes("/f") == data
        for b in c.block_locations("/f"):
            others = [n for n in _ids(b) if n != "dn0"]
            assert len(others) == 3, (b.block_id, _ids(b))  # full replication without dn0
            assert _ids(b)[-1] == "dn0" or "dn0" not in _ids(b)  # listed last when kept


def _ids(located) -> list[str]:
    return [loc.node_id for loc in located.locations]


def test_the_replication_monitor_looks_only_at_blocks_that_changed(tmp_path, monkeypatch):
    """A heartbeat must not cost a scan of every block (the NameNode's lock is held): after
    one full pass, only blocks whose replicas changed are looked at again."""
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    ids = [_write(nn, f"/f{i}")[0] for i in range(30)]
    nn.check_datanodes(force_work=True)
    looked: list[int] = []
    real = nn.blocks._block_work
    monkeypatch.setattr(nn.blocks, "_block_work", lambda b, n: (looked.append(b), real(b, n)))
    for _ in range(5):
        clock.advance(3)
        _commands(nn, RACKS)
    assert looked == []
    victim = sorted(nn.blocks.replicas[ids[7]])[0]
    nn.replica_deleted(victim, ids[7])  # one replica gone: that block, and only it
    clock.advance(3)
    sent = [c for cmds in _commands(nn, RACKS).values() for c in cmds]
    assert looked == [ids[7]]
    assert [(type(c), c.block_id) for c in sent] == [(ReplicateCommand, ids[7])]


def test_embedded_a_datanode_stopped_by_another_command_is_dead_after_the_next_tick(tmp_path):
    """Embedded mode: liveness is the stopped marker, whoever set it; a node stopped by one
    command stops counting in another command's open cluster at its next heartbeat round, and
    counts again once started (it re-registers and reports)."""
    from dfs.cluster import EmbeddedCluster
    from dfs.minicluster import MiniCluster

    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/f", b"x" * 1000)
        second = EmbeddedCluster(mc.conf)  # a second command on the same state directory
        try:
            second.stop_datanode("dn1")
        finally:
            second.close()
        mc.tick()
        alive = {d.node_id: d.alive for d in mc.client().datanode_report()}
        assert alive["dn1"] is False and sum(alive.values()) == 3
        assert all("dn1" not in _ids(b) for b in mc.client().block_locations("/f"))
        third = EmbeddedCluster(mc.conf)
        try:
            third.start_datanode("dn1")
        finally:
            third.close()
        mc.tick()
        assert all(d.alive for d in mc.client().datanode_report())


def test_dfsadmin_report_decommissioning_lists_only_the_nodes_being_drained():
    from dfs.admin import format_decommissioning

    nodes = [
        DatanodeInfo("dn0", "/r0", "/d/dn0", 100, 10, 90, True, 0, 1, "", 0, "Normal"),
        DatanodeInfo(
            "dn1", "/r0", "/d/dn1", 100, 10, 90, True, 0, 1, "", 0, "Decommission in progress"
        ),
        DatanodeInfo("dn2", "/r1", "/d/dn2", 100, 10, 90, True, 0, 1, "", 0, "Decommissioned"),
    ]
    out = format_decommissioning(nodes)
    assert out.startswith("Decommissioning datanodes (1):\n\nName: 127.0.0.1:9867 (dn1)\n")
    assert "dn0" not in out and "dn2" not in out


def test_a_restarted_namenode_serves_heartbeats_before_a_marked_node_returns(tmp_path):
    """A corrupt-replica mark is journaled, so a restarted NameNode knows it before the marked
    replica's DataNode has registered again; the others' heartbeats must still be answered.
    Failed on the old code (found by test_deep_scan_repairs_a_single_bad_replica on daemons):
    the replication monitor looked the marked node up among the registered ones, and every
    heartbeat raised KeyError until that node was back."""
    clock = Clock()
    nn = _cluster(tmp_path, clock)
    block_id, targets = _write(nn, "/f")
    victim, good = targets[0], targets[1:]
    nn.report_bad_blocks([(block_id, victim)])
    nn.close()
    restarted = _namenode(tmp_path, clock)
    for node_id in good:  # the victim has not registered yet
        _reg(restarted, node_id, RACKS[node_id])
        restarted.block_report(node_id, {block_id: 1000})
    spare = next(n for n in RACKS if n not in targets)
    _reg(restarted, spare, RACKS[spare])
    restarted.block_report(spare, {})
    commands = [c for n in good for c in _beat(restarted, n).commands]  # not KeyError
    copies = [c for c in commands if isinstance(c, ReplicateCommand)]
    assert [c.block_id for c in copies] == [block_id]  # the third replica is made elsewhere
    assert victim not in {t.node_id for t in copies[0].targets}
    assert restarted.get_block_locations(USER, "/f")[1][0].corrupt == (victim,)
    restarted.close()
