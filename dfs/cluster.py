"""The embedded cluster: a namenode and N simulated datanodes in one state directory.

Owns the state directory layout, formatting, the topology (which node sits on which rack),
bringing the nodes up for one command, and the heartbeat round that carries the namenode's
commands (re-replicate, delete) to the datanodes. Without daemons, each command (or task
process) opens the cluster, acts, runs one heartbeat round when it closes, and leaves the state
on disk; concurrent commands share the state safely through the namenode's lock and journal.
Where `hadoop start-cluster` runs NameNode and DataNode processes (`dfs.daemons`), `connect` and
`open_cluster` route every command to them instead (`dfs.remote`); a command never opens the
state directory behind a running daemon's back (`dfs.runfiles`).

Layout of ``$MINIHADOOP_HOME``::

    namenode/        VERSION, fsimage, edits, lock (mode 700, files 600)
    datanodes/       dn0/ dn1/ ... (one directory per datanode, each with its VERSION),
                     dnN.stopped markers
    topology         "dn0 /rack0" lines, fixed at format time
    run/, logs/      daemons' locks, pid and address files, and logs (`dfs.runfiles`)

Only `format_cluster` (``hadoop namenode -format``) formats. Opening a state directory that was
never formatted raises `DFSNotFormatted`; a damaged one is refused (`dfs.storage` words why). A
datanode whose storage belongs to another cluster is not started: it stays dead (shown so in
``dfsadmin -report``) and its files are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dfs import runfiles, storage
from dfs.client import DFSClient
from dfs.conf import Configuration, current_user, home_dir
from dfs.dataaccess import LocalDatanodes
from dfs.datanode import DataNode, pid_alive
from dfs.errors import (
    ConfigError,
    DFSAlreadyFormatted,
    DFSError,
    DFSInconsistentState,
    DFSNotFormatted,
)
from dfs.localrpc import LocalTransport
from dfs.namenode import NameNode
from dfs.protocol import (
    Command,
    DatanodeRegistration,
    DeleteCommand,
    ReplicateCommand,
    ReregisterCommand,
    StorageReport,
)
from dfs.topology import is_formatted as is_formatted  # re-exported: callers import it here
from dfs.topology import read_topology

if TYPE_CHECKING:
    from dfs.remote import RemoteCluster

log = logging.getLogger(__name__)


def format_cluster(
    conf: Configuration | None = None,
    force: bool = False,
    user: str | None = None,
    first_dirs: bool = False,
) -> Path:
    """Create a new cluster in the state directory (`hadoop namenode -format`); with
    `first_dirs` its namespace starts with /tmp and /user/<user> (namenode.FIRST_RUN_DIRS)."""
    conf = conf or Configuration()
    home = home_dir(conf)
    nodes = conf.get_int("dfs.datanodes")
    racks = conf.get_int("dfs.racks")
    if nodes < 1 or racks < 1:
        raise ConfigError(f"dfs.datanodes ({nodes}) and dfs.racks ({racks}) must be at least 1")
    dn_root = home / "datanodes"
    if not force:
        NameNode.refuse_existing(home / "namenode")  # a cluster is there: say so first
        holders = _block_holders(dn_root)
        if holders:  # blocks but no namenode metadata: its namespace is lost
            raise DFSAlreadyFormatted(
                f"datanode storage {holders[0]} holds block files (of a cluster whose namenode "
                "metadata may be damaged or lost): formatting would orphan them; re-run with "
                "-force to erase them (hadoop namenode -format -force)",
                str(holders[0]),
            )
    who = user or current_user()
    cluster_id = NameNode.format(home / "namenode", conf, who, force, first_dirs)
    if dn_root.exists():
        import shutil

        shutil.rmtree(dn_root)
    dn_root.mkdir(parents=True)
    lines = [f"dn{i} /rack{i * min(racks, nodes) // nodes}" for i in range(nodes)]
    for i in range(nodes):
        (dn_root / f"dn{i}").mkdir()
        version = storage.datanode_version(cluster_id, f"dn{i}")
        storage.write_version(dn_root / f"dn{i}" / "VERSION", version)
    topology = ("\n".join(lines) + "\n").encode()
    storage.write_durably(home / "topology", topology, "topology", "the topology file")
    runfiles.create_namenode_lock(home)  # from now on no daemon starts under a command
    return home


def _block_holders(dn_root: Path) -> list[Path]:
    if not dn_root.is_dir():
        return []
    return sorted(p for p in dn_root.iterdir() if p.is_dir() and storage.has_block_files(p))


def check_state_directory(home: Path) -> dict[str, str]:
    """The namenode's VERSION fields; raises `DFSNotFormatted` for a state directory that was
    never formatted and `DFSInconsistentState` for a damaged one (never formats anything)."""
    try:
        return storage.check_namenode_dir(home / "namenode")
    except DFSNotFormatted:
        holders = _block_holders(home / "datanodes")
        if holders:
            raise DFSInconsistentState(
                f"the namenode metadata in {home / 'namenode'} is missing but datanode storage "
                f"{holders[0]} holds block files; {storage.WAYS_OUT}",
                str(home / "namenode"),
            ) from None
        raise


class EmbeddedCluster:
    """The cluster opened in this process: a NameNode object and DataNode objects."""

    def __init__(self, conf: Configuration | None = None) -> None:
        self.conf = conf or Configuration()
        self.home = home_dir(self.conf)
        version = check_state_directory(self.home)
        self._guard = runfiles.embedded_guard(self.home)  # no NameNode daemon starts under us
        self.cluster_id = version["clusterID"]
        self._legacy = _layout(version) < storage.LAYOUT_VERSION
        #: datanodes not started because their storage is not this cluster's: id -> why
        self.refused: dict[str, str] = {}
        self.datanodes: dict[str, DataNode] = {}
        self._closed = False
        bpc = self.conf.get_int("dfs.bytes-per-checksum")
        capacity = self.conf.get_bytes("dfs.datanode.capacity")
        sync = self.conf.get_bool("dfs.datanode.synconclose")
        for node_id, rack in read_topology(self.home):
            self.datanodes[node_id] = DataNode(
                node_id, rack, self.home / "datanodes" / node_id, bpc, capacity, sync
            )
        for dn in self.datanodes.values():
            self._check_storage(dn)
            if self._running(dn):
                dn.start()
        # No replica probes while the NameNode loads: every datanode's full block report
        # follows at once and tells the replicas of every block (a replica no file owns any
        # more is queued for deletion there), so probing the blocks of each `close` the edit
        # log replays (a stat per block and datanode, deleted files' blocks too) was work
        # done twice. Edits that other processes append later are probed as they replay.
        self.namenode = NameNode(self.home / "namenode", self.conf, None, embedded=True)
        #: (bytes, replicas) each running datanode stores, for its heartbeats
        self._usage: dict[str, tuple[int, int]] = {}
        nn = self.namenode
        with nn.locked():
            for dn in self.datanodes.values():
                self._register(dn)
            nn.replica_probe = self._probe
            nn.recover_leases(_holder_alive)

    def _register(self, dn: DataNode) -> None:
        """Register a datanode with the NameNode and send its full block report; a stopped
        one (its marker) or one whose storage was refused is declared dead."""
        nn = self.namenode
        reg = DatanodeRegistration(
            dn.node_id, dn.rack, str(dn.directory), dn.capacity, "", 0, self.cluster_id
        )
        nn.register_datanode(reg)
        if not self._running(dn):
            nn.mark_datanode_dead(dn.node_id)
            return
        report = dn.block_report()
        self._usage[dn.node_id] = (sum(report.lengths.values()), len(report.lengths))
        nn.block_report(dn.node_id, report)

    def _check_storage(self, dn: DataNode) -> None:
        """Refuse (never wipe) a datanode whose storage is another cluster's."""
        why = storage.check_datanode_dir(dn.directory, dn.node_id, self.cluster_id, self._legacy)
        if why is None:
            self.refused.pop(dn.node_id, None)
        else:
            self.refused[dn.node_id] = why
            log.error("datanode %s is not started: %s", dn.node_id, why)

    def _running(self, dn: DataNode) -> bool:
        return dn.alive and dn.node_id not in self.refused

    def _probe(self, block_id: int) -> set[str]:
        return {
            n for n, dn in self.datanodes.items() if self._running(dn) and dn.has_block(block_id)
        }

    def client(self, user: str | None = None, local_node: str | None = None) -> DFSClient:
        """A client whose namenode calls go through the transport seam: in-process, but
        through msgpack (`dfs.client.transport=msgpack`, the default) or direct (`direct`)."""
        nn = self.namenode
        if self.conf.get_str("dfs.client.transport") != "direct":
            nn = LocalTransport(nn)
        client = DFSClient(nn, self.datanodes, self.conf, user, local_node)
        client.tick = self.tick  # type: ignore[attr-defined]
        return client

    # -- node life -----------------------------------------------------------------------------
    def stop_datanode(self, node_id: str) -> None:
        dn = self.datanodes[node_id]
        dn.stopped_marker.parent.mkdir(parents=True, exist_ok=True)
        dn.stopped_marker.touch()
        self.namenode.mark_datanode_dead(node_id)

    def start_datanode(self, node_id: str) -> None:
        dn = self.datanodes[node_id]
        self._check_storage(dn)
        if node_id in self.refused:
            raise DFSError(f"datanode {node_id} is not started: {self.refused[node_id]}")
        dn.stopped_marker.unlink(missing_ok=True)
        dn.start()
        self._register(dn)

    # -- the heartbeat round -------------------------------------------------------------------
    def tick(self) -> int:
        """One heartbeat from every running datanode, each carrying out the commands its reply
        brings (re-replicate, delete), as DataNodes do. A round that re-replicated is followed
        by another (up to three), so the corrupt or excess replicas that became redundant go
        in the same tick. Returns the number of commands executed."""
        nn = self.namenode
        done = 0
        with nn.locked():
            for dn in self.datanodes.values():
                if not self._running(dn):  # stopped (its marker), maybe by another command
                    nn.mark_datanode_dead(dn.node_id)
                elif not dn.directory.exists():
                    dn.start()  # the node restarts with its storage wiped
                    self._check_storage(dn)  # and a new VERSION
                    self._register(dn)
            for _round in range(3):
                nn.check_datanodes(force_work=True)
                changed: list[int] = []
                copied = False
                for dn in self.datanodes.values():
                    if not self._running(dn):
                        continue
                    used, blocks = self._usage.get(dn.node_id, (0, 0))
                    report = StorageReport(dn.capacity, used, max(dn.capacity - used, 0), blocks)
                    for cmd in nn.heartbeat(dn.node_id, report).commands:
                        touched, replicated = self._execute(dn, cmd)
                        changed += touched
                        copied |= replicated
                        done += 1
                nn.note_replicas_changed(changed)
                if not copied:
                    break
        return done

    def _execute(self, dn: DataNode, cmd: Command) -> tuple[list[int], bool]:
        """Carry out one command on `dn` with `DataNode.execute` over this process's DataNode
        objects (the daemons do it over DataTransferProtocol), and report the outcome as a
        DataNode does; returns the blocks touched and whether a replica was copied."""
        if isinstance(cmd, ReregisterCommand):
            self._register(dn)
            return [], False
        if not isinstance(cmd, (DeleteCommand, ReplicateCommand)):
            log.warning("%s: unknown command %r", dn.node_id, cmd)
            return [], False
        nn = self.namenode
        deleting = cmd.block_ids if isinstance(cmd, DeleteCommand) else ()
        sizes = {b: self._replica_size(dn, b) for b in deleting}
        try:
            result = dn.execute(cmd, LocalDatanodes(self.datanodes))
        except (DFSError, OSError) as e:  # the NameNode asks again on a later heartbeat
            log.warning("%s: %s failed: %s", dn.node_id, type(cmd).__name__, e)
            return [], False
        for block_id in result.deleted:
            self._account(dn.node_id, -sizes.get(block_id, 0), -1)
            nn.replica_deleted(dn.node_id, block_id)
        if isinstance(cmd, DeleteCommand):
            return list(result.deleted), False
        if result.bad_source:  # the source replica is bad: say so (repair follows)
            why = result.bad_source
            log.warning("re-replication of blk_%d from %s: %s", cmd.block_id, dn.node_id, why)
            nn.report_bad_blocks([(cmd.block_id, dn.node_id)])
        for target in result.replicated:
            self._account(target, cmd.length, 1)
            nn.block_received(target, cmd.block_id, cmd.length)
        return [cmd.block_id], bool(result.replicated)

    @staticmethod
    def _replica_size(dn: DataNode, block_id: int) -> int:
        try:
            return dn.block_length(block_id)
        except OSError:
            return 0

    def _account(self, node_id: str, size: int, count: int) -> None:
        used, blocks = self._usage.get(node_id, (0, 0))
        self._usage[node_id] = (max(used + size, 0), max(blocks + count, 0))

    def close(self) -> None:
        """One last heartbeat round, then let go of the namenode (a second close does nothing)."""
        if self._closed:
            return
        self._closed = True
        try:
            self.tick()
        finally:
            self.namenode.close()
            runfiles.release(self._guard)


def _layout(version: dict[str, str]) -> int:
    try:
        return int(version.get("layoutVersion", "1"))
    except ValueError:
        return 1


def _holder_alive(holder: str) -> bool:
    """Is the process behind a lease holder name (``DFSClient_<pid>_<hex>``) still running?"""
    try:
        pid = int(holder.split("_")[1])
    except (IndexError, ValueError):
        return True
    return pid_alive(pid)


def open_cluster(conf: Configuration | None = None) -> EmbeddedCluster | RemoteCluster:
    """The cluster a command talks to: the NameNode daemon when one runs on the state
    directory (`dfs.runfiles.namenode_address`: a daemon that died and left its files is
    refused, never bypassed), else the embedded cluster exactly as without daemons."""
    conf = conf or Configuration()
    address = runfiles.namenode_address(home_dir(conf))
    if address is not None:
        from dfs.remote import RemoteCluster

        return RemoteCluster(conf, address)
    return EmbeddedCluster(conf)


@contextmanager
def connect(
    conf: Configuration | None = None, user: str | None = None, local_node: str | None = None
) -> Iterator[DFSClient]:
    """Open the cluster (formatted by `format_cluster`; its daemons when they run, else
    embedded) and yield a client for `user`."""
    cluster = open_cluster(conf)
    try:
        yield cluster.client(user, local_node)
    finally:
        cluster.close()
