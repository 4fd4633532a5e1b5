"""The NameNode and DataNode daemons: one long-lived service object each, served over TCP.

Owns the daemons' main loops, nothing of what they serve:

- `NameNodeDaemon`: takes run/namenode.lock for its life (so no embedded command opens the state
  directory behind its back), opens the NameNode (refused when unformatted or damaged, as the
  embedded mode is), with no replica probe (its block map comes only from block reports and
  block_received), serves ClientProtocol + DatanodeProtocol on `dfs.namenode.rpc-address`,
  writes run/namenode.addr once serving, and runs a monitor thread (dead datanodes, leases of
  writers that died). SIGTERM (or SIGINT) stops it cleanly and removes its addr and pid files.
- `DataNodeDaemon`: one DataNode storage (refused when it is another cluster's), its
  DataTransferProtocol server on `dfs.datanode.address`, and a service thread that registers,
  sends a full block report at start and every `dfs.blockreport.intervalMsec`, heartbeats every
  `dfs.heartbeat.interval` seconds, carries out each reply's commands, reports every replica it
  finalizes (block_received), and re-registers after the NameNode restarts (bounded backoff).

Everything binds 127.0.0.1 unless configured. `dfs.launcher` starts and stops these as
background processes; `dfs.runfiles` owns the run/ and logs/ files.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import signal
import threading
import time
from pathlib import Path
from typing import Any

from dfs import runfiles, storage
from dfs.conf import Configuration, home_dir
from dfs.dataaccess import TcpDatanodes
from dfs.errors import DFSError
from dfs.protocol import (
    ClientProtocol,
    DatanodeProtocol,
    DatanodeRegistration,
    DeleteCommand,
    ReregisterCommand,
    StorageReport,
)
from dfs.xceiver import DataXceiverServer

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 2.0
LEASE_CHECK_S = 2.0  # HDFS's lease monitor period


def parse_address(text: str, what: str) -> tuple[str, int]:
    """``host:port`` (port 0: any free port) from configuration key `what`."""
    host, _, port = str(text).rpartition(":")
    try:
        return host or "127.0.0.1", int(port)
    except ValueError:
        raise DFSError(f"{what}: expected host:port, got {text!r}") from None


def stop_on_signals(event: threading.Event) -> None:
    """SIGTERM and SIGINT set `event` (the main thread then shuts the daemon down)."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: event.set())


#: set by test harnesses (MiniCluster): the daemon stops when that process is gone, so a test
#: run killed outright leaves no daemon behind
PARENT_KEY = "minihadoop.daemon.parent-pid"


def serve_until_stopped(conf: Configuration, stopped: threading.Event) -> None:
    """Block the main thread until SIGTERM/SIGINT, `stopped` is set, or the watched parent
    process (`PARENT_KEY`) is gone."""
    from dfs.datanode import pid_alive

    stop_on_signals(stopped)
    parent = conf.get_int(PARENT_KEY, 0)
    while not stopped.wait(1.0):
        if parent and not pid_alive(parent):
            log.warning("process %d that started this daemon is gone: stopping", parent)
            return


def heartbeat_interval(conf: Configuration) -> float:
    return float(conf.get("dfs.heartbeat.interval"))


# -- the NameNode ---------------------------------------------------------------------------------
class NameNodeDaemon:
    """The NameNode of one state directory, serving RPC until `stop`."""

    def __init__(self, conf: Configuration) -> None:
        from dfs.cluster import check_state_directory
        from dfs.namenode import NameNode

        self.conf = conf
        self.home = home_dir(conf)
        check_state_directory(self.home)
        self._lock_fd = runfiles.hold_lock(self.home, "namenode")
        previous = runfiles.read_addr(self.home, "namenode")  # left by one that was killed
        runfiles.remove_files(self.home, "namenode")  # nobody may take it for ours
        self.stopped = threading.Event()
        # the daemon owns the directory for its life (no embedded command opens it meanwhile)
        self.namenode = NameNode(self.home / "namenode", conf, replica_probe=None, sole_owner=True)
        self.server = self._bind(previous)
        self.address = self.server.address
        self._monitor = threading.Thread(target=self._monitor_loop, name="monitor", daemon=True)

    def _bind(self, previous: tuple[str, int] | None) -> Any:
        """The RPC server on `dfs.namenode.rpc-address`; with port 0 (any), the port of the
        NameNode that died here if it is free, so its clients and DataNodes, which reconnect
        to the address they know, find the new one there (HDFS clients know a fixed one)."""
        key = "dfs.namenode.rpc-address"
        address = parse_address(self.conf.get_str(key), key)
        protocols = (ClientProtocol, DatanodeProtocol)
        if address[1] == 0 and previous is not None and previous[0] == address[0]:
            try:
                return _rpc_server(self.namenode, protocols, previous, self.conf)
            except OSError as e:
                log.info("port %d of the previous NameNode is taken (%s): any port", previous[1], e)
        return _rpc_server(self.namenode, protocols, address, self.conf)

    def start(self) -> NameNodeDaemon:
        self.server.start()
        self._monitor.start()
        runfiles.write_pid(self.home, "namenode")
        runfiles.write_addr(self.home, "namenode", self.address)
        log.info("NameNode of %s serving on %s:%d", self.home, *self.address)
        return self

    def _monitor_loop(self) -> None:
        """Dead-node checks (their replicas stop counting; re-replication is queued for the
        other nodes' heartbeat replies) and the leases of writers that died."""
        period = max(0.05, min(heartbeat_interval(self.conf), 1.0))
        from dfs.namenode import holder_alive

        next_leases = 0.0
        while not self.stopped.wait(period):
            try:
                self.namenode.check_datanodes()
                if time.monotonic() >= next_leases:  # a walk of the namespace: not too often
                    next_leases = time.monotonic() + LEASE_CHECK_S
                    self.namenode.recover_leases(holder_alive)
            except Exception:  # noqa: BLE001 - the monitor must outlive one bad round
                log.exception("NameNode monitor round failed")

    def serve_forever(self) -> None:
        serve_until_stopped(self.conf, self.stopped)
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        log.info("NameNode shutting down")
        try:
            self.server.stop()
            if self._monitor.is_alive():
                self._monitor.join(5)
            self.namenode.close()
        finally:
            runfiles.remove_files(self.home, "namenode")


# -- a DataNode -----------------------------------------------------------------------------------
class DataNodeDaemon:
    """One DataNode: its storage, its data transfer server and its service thread."""

    def __init__(self, conf: Configuration, node_id: str, rack: str | None = None) -> None:
        from dfs.cluster import check_state_directory
        from dfs.datanode import DataNode

        self.conf = conf
        self.home = home_dir(conf)
        version = check_state_directory(self.home)
        self.cluster_id = version["clusterID"]
        self.node_id, self.rack = node_id, topology_rack(self.home, node_id, rack)
        self._lock_fd = runfiles.hold_lock(self.home, node_id)
        directory = self.home / "datanodes" / node_id
        legacy = int(version.get("layoutVersion", "1")) < storage.LAYOUT_VERSION
        why = storage.check_datanode_dir(directory, node_id, self.cluster_id, legacy)
        if why is not None:
            raise DFSError(f"datanode {node_id} is not started: {why}", str(directory))
        self.datanode = DataNode(
            node_id,
            self.rack,
            directory,
            conf.get_int("dfs.bytes-per-checksum"),
            conf.get_bytes("dfs.datanode.capacity"),
            conf.get_bool("dfs.datanode.synconclose"),
        )
        self.datanode.stopped_marker.unlink(missing_ok=True)
        self.datanode.start()
        self.stopped = threading.Event()
        self._wake = threading.Event()
        self._received: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
        address = parse_address(conf.get_str("dfs.datanode.address"), "dfs.datanode.address")
        self.xfer = DataXceiverServer(self.datanode, address, self._finalized)
        self._access = TcpDatanodes(self.datanode.bytes_per_checksum, client=f"datanode {node_id}")
        self.address = self.xfer.address
        self._service = threading.Thread(target=self._service_loop, name="bpservice", daemon=True)
        self.registered = threading.Event()
        self._rpc_conf = conf.copy()
        self._rpc_conf.set("ipc.client.connect.max.retries", 0)

    def start(self) -> DataNodeDaemon:
        self.xfer.start()
        runfiles.write_pid(self.home, self.node_id)
        runfiles.write_addr(self.home, self.node_id, self.address)
        self._service.start()
        log.info(
            "DataNode %s (%s) serving data transfer on %s:%d",
            self.node_id,
            self.rack,
            *self.address,
        )
        return self

    def _finalized(self, block_id: int, length: int) -> None:
        """The data transfer server finalized a replica: tell the NameNode soon."""
        self._received.put((block_id, length))
        self._wake.set()

    # -- the service thread (HDFS's BPServiceActor) ---------------------------------------------
    def _service_loop(self) -> None:
        nn: Any = None
        backoff = 0.1
        while not self.stopped.is_set():
            try:
                if nn is None:
                    nn = self._connect()
                    if nn is None:
                        self.stopped.wait(backoff)
                        backoff = min(backoff * 2, MAX_BACKOFF_S)
                        continue
                    self._register(nn)
                    backoff = 0.1
                self._serve_round(nn)
            except Exception as e:  # noqa: BLE001 - the service thread must outlive anything
                if isinstance(e, (OSError, DFSError)):  # the NameNode went away or refused us
                    log.warning("%s: NameNode connection lost (%s); reconnecting", self.node_id, e)
                else:
                    log.exception("%s: service round failed; reconnecting", self.node_id)
                _close(nn)
                nn = None
                self.registered.clear()
                self.stopped.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
        _close(nn)

    def _connect(self) -> Any:
        address = runfiles.read_addr(self.home, "namenode")
        if address is None:
            return None
        try:  # one connection attempt: a failure sends us back to read the address again
            return _rpc_proxy(DatanodeProtocol, address, self._rpc_conf)
        except OSError as e:
            log.debug("%s: NameNode at %s:%d not answering: %s", self.node_id, *address, e)
            return None

    def _register(self, nn: Any) -> None:
        dn = self.datanode
        reg = DatanodeRegistration(
            dn.node_id,
            dn.rack,
            str(dn.directory),
            dn.capacity,
            self.address[0],
            self.address[1],
            self.cluster_id,
        )
        nn.register_datanode(reg)
        self._block_report(nn)
        self.registered.set()
        log.info("%s registered with the NameNode", self.node_id)

    def _block_report(self, nn: Any) -> None:
        report = self.datanode.block_report()
        self._used = sum(report.lengths.values())
        self._blocks = len(report.lengths)
        nn.block_report(self.node_id, report)
        self._next_beat = 0.0  # and a heartbeat at once: commands may wait for us
        self._next_report = (
            time.monotonic() + self.conf.get_int("dfs.blockreport.intervalMsec") / 1000
        )

    def _serve_round(self, nn: Any) -> None:
        """The replicas finalized since the last round; the heartbeat when it is due (its
        commands carried out); the block report when due. Then wait for the next beat or a
        newly finalized replica, whichever comes first."""
        self._wake.clear()
        self._report_received(nn)
        now = time.monotonic()
        if now >= self._next_beat:
            self._next_beat = now + heartbeat_interval(self.conf)
            self._heartbeat(nn)
        if now >= self._next_report:
            self._block_report(nn)
        self._wake.wait(max(0.0, self._next_beat - time.monotonic()))

    def _heartbeat(self, nn: Any) -> None:
        capacity = self.datanode.capacity
        report = StorageReport(capacity, self._used, max(capacity - self._used, 0), self._blocks)
        reply = nn.heartbeat(self.node_id, report)
        for cmd in reply.commands:
            if isinstance(cmd, ReregisterCommand):
                log.info("%s: re-registering (%s)", self.node_id, cmd.reason)
                self._register(nn)
                continue
            self._execute(nn, cmd)

    def _execute(self, nn: Any, cmd: Any) -> None:
        """Carry out one replicate or delete command; report what changed (the targets of a
        replication report their new replicas themselves)."""
        sizes = {}
        if isinstance(cmd, DeleteCommand):
            sizes = {b: self._size(b) for b in cmd.block_ids}
        try:
            result = self.datanode.execute(cmd, self._access)
        except (OSError, DFSError) as e:
            log.warning("%s: %s failed: %s", self.node_id, cmd, e)
            return
        for block_id in result.deleted:
            nn.replica_deleted(self.node_id, block_id)
            if sizes.get(block_id) is not None:
                self._used = max(0, self._used - sizes[block_id])
                self._blocks = max(0, self._blocks - 1)
        if result.bad_source:
            log.warning(
                "%s: my replica of blk_%d is bad: %s", self.node_id, cmd.block_id, result.bad_source
            )
            nn.report_bad_blocks([(cmd.block_id, self.node_id)])
        for target, why in result.errors:
            log.warning(
                "%s: copying blk_%d to %s failed: %s", self.node_id, cmd.block_id, target, why
            )

    def _size(self, block_id: int) -> int | None:
        try:
            return self.datanode.block_length(block_id)
        except OSError:
            return None

    def _report_received(self, nn: Any) -> None:
        while True:
            try:
                block_id, length = self._received.get_nowait()
            except queue.Empty:
                return
            self._used += length
            self._blocks += 1
            nn.block_received(self.node_id, block_id, length)

    def serve_forever(self) -> None:
        serve_until_stopped(self.conf, self.stopped)
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        self._wake.set()
        log.info("DataNode %s shutting down", self.node_id)
        try:
            self.xfer.stop()  # first: no replica is finalized after the last report
            if self._service.is_alive():
                self._service.join(5)
        finally:
            runfiles.remove_files(self.home, self.node_id)


def _close(proxy: Any) -> None:
    if proxy is not None:
        with contextlib.suppress(OSError):
            proxy.close()


# -- the transports (dfs.rpc, dfs.datatransfer) ------------------------------------------------
def _rpc_server(
    target: Any, protocols: tuple, address: tuple[str, int], conf: Configuration
) -> Any:
    from dfs.rpc import RpcServer

    return RpcServer(target, protocols, address, conf)


def _rpc_proxy(protocol: type, address: tuple[str, int], conf: Configuration) -> Any:
    from dfs.rpc import RpcProxy

    return RpcProxy(protocol, address, conf)


def run_namenode(conf: Configuration) -> int:
    """``hadoop namenode``: the NameNode in the foreground until SIGTERM/SIGINT."""
    from dfs.cluster import check_state_directory

    check_state_directory(home_dir(conf))  # refused before anything is made in the directory
    runfiles.setup_logging(home_dir(conf), "namenode")
    daemon = NameNodeDaemon(conf).start()
    daemon.serve_forever()
    return 0


def topology_rack(home: Path, node_id: str, rack: str | None) -> str:
    """The rack of datanode `node_id` in the cluster's topology file (DFSError when it is not
    a node of the cluster, or `rack` is given and differs)."""
    from dfs.cluster import read_topology

    topology = dict(read_topology(home))
    if node_id not in topology:
        raise DFSError(
            f"datanode {node_id} is not in the cluster topology {home / 'topology'} "
            f"(nodes: {', '.join(sorted(topology))})",
            node_id,
        )
    if rack is not None and rack != topology[node_id]:
        raise DFSError(
            f"datanode {node_id} sits on {topology[node_id]} in {home / 'topology'}, not {rack}",
            node_id,
        )
    return topology[node_id]


def run_datanode(conf: Configuration, node_id: str, rack: str | None) -> int:
    """``hadoop datanode --id dnN``: one DataNode in the foreground until SIGTERM/SIGINT."""
    from dfs.cluster import check_state_directory

    if not re.fullmatch(r"[A-Za-z0-9_-]+", node_id):
        raise DFSError(f"datanode id {node_id!r}: expected letters, digits, _ or - (dn0)")
    check_state_directory(home_dir(conf))
    topology_rack(home_dir(conf), node_id, rack)  # before a log file is made for it
    runfiles.setup_logging(home_dir(conf), node_id)
    daemon = DataNodeDaemon(conf, node_id, rack).start()
    daemon.serve_forever()
    return 0


__all__ = ["DataNodeDaemon", "NameNodeDaemon", "run_datanode", "run_namenode"]
