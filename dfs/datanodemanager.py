"""The NameNode's view of its datanodes: registration, heartbeats, liveness, decommissioning.

Owns HDFS's DatanodeManager/HeartbeatManager policy, nothing of the namespace: who may register
(a storage of another cluster is refused, as HDFS refuses "Incompatible clusterIDs"), what a
heartbeat updates and what it answers (the node's queued commands, or re-register for a node
unknown or declared dead), when a silent node is dead (HDFS's heartbeatExpireInterval:
2 x `dfs.namenode.heartbeat.recheck-interval` ms + 10 x `dfs.heartbeat.interval` s, on the
NameNode's monotonic clock; fractions work), how often the replication monitor runs, and the
exclude file of decommissioning (`dfs.hosts.exclude`, one node id a line, read at start and on
`dfsadmin -refreshNodes`). The block map and the commands themselves are `dfs.blockmanager`'s;
locking, journaling and safe mode are the NameNode's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from dfs.blockmanager import DECOMMISSIONING, BlockManager, NodeState
from dfs.conf import Configuration
from dfs.errors import DFSError, DFSInconsistentState
from dfs.protocol import Command, DatanodeRegistration, ReregisterCommand, StorageReport

log = logging.getLogger(__name__)


def now_ms() -> int:
    return int(time.time() * 1000)


class DatanodeManager:
    def __init__(
        self,
        blocks: BlockManager,
        conf: Configuration,
        cluster_id: str,
        clock: Callable[[], float] = time.monotonic,
        expire: bool = True,
    ) -> None:
        """`expire=False` (the embedded cluster): a node is dead only when declared so."""
        self.blocks = blocks
        self.cluster_id = cluster_id
        self.clock = clock
        self.expire_silent = expire
        heartbeat_s = conf.get_float("dfs.heartbeat.interval")
        recheck_s = conf.get_float("dfs.namenode.heartbeat.recheck-interval") / 1000
        #: HDFS's heartbeatExpireInterval: silent longer than this (seconds), a node is dead
        self.dead_interval = 2 * recheck_s + 10 * heartbeat_s
        #: how often the replication monitor looks for work (HDFS: every 3 s)
        monitor_s = conf.get_float("dfs.namenode.redundancy.interval.seconds")
        self.work_interval = min(monitor_s, heartbeat_s)
        self.next_work = 0.0
        self.exclude_file = conf.get_str("dfs.hosts.exclude")

    def register(self, reg: DatanodeRegistration) -> None:
        """A datanode (re)starts: remember where it is. Its queued work and the copies on their
        way to it are dropped: its full block report follows."""
        if reg.cluster_id and reg.cluster_id != self.cluster_id:
            raise DFSInconsistentState(
                f"Incompatible clusterIDs in {reg.storage}: namenode clusterID = "
                f"{self.cluster_id}; datanode clusterID = {reg.cluster_id} (datanode "
                f"{reg.node_id} belongs to another cluster); point it at its own cluster, or "
                "move its storage away to start it empty",
                reg.storage,
            )
        node = self.blocks.nodes.get(reg.node_id)
        if node is None:
            node = NodeState(reg.node_id, reg.rack, reg.storage, reg.capacity)
            self.blocks.register(node)
            if reg.node_id in self.excluded():
                node.admin = DECOMMISSIONING
        elif not node.alive:
            log.info("datanode %s is back (it was dead)", reg.node_id)
        node.rack, node.storage, node.capacity = reg.rack, reg.storage, reg.capacity
        node.host, node.xfer_port = reg.host, reg.xfer_port
        node.alive = True
        node.last_seen = self.clock()
        node.last_contact = now_ms()
        node.drop_queues()
        self.blocks.drop_pending_to(reg.node_id)

    def heartbeat(self, node_id: str, report: StorageReport) -> tuple[Command, ...]:
        """The node's storage use in, its queued commands out; an unknown node, or one declared
        dead, is told to register again."""
        node = self.blocks.nodes.get(node_id)
        if node is None:
            why = f"datanode {node_id} is not registered with this NameNode (it restarted)"
            return (ReregisterCommand(why),)
        if not node.alive:
            why = (
                f"datanode {node_id} was declared dead (no heartbeat for more than "
                f"{self.dead_interval:g} s)"
            )
            return (ReregisterCommand(why),)
        node.last_seen = self.clock()
        node.last_contact = now_ms()
        node.capacity, node.used, node.blocks = report.capacity, report.used, report.blocks
        return self.blocks.take_commands(node_id)

    def expire(self) -> list[str]:
        """Declare dead the nodes silent for more than `dead_interval` (their replicas stop
        counting); returns their ids."""
        if not self.expire_silent:
            return []
        dead = self.blocks.expire(self.clock(), self.dead_interval)
        for node_id in dead:
            log.warning(
                "BLOCK* removing dead datanode %s: no heartbeat for more than %g s",
                node_id,
                self.dead_interval,
            )
        return dead

    def work_due(self) -> bool:
        return self.clock() >= self.next_work

    def worked(self) -> None:
        self.next_work = self.clock() + self.work_interval

    # -- decommissioning -------------------------------------------------------------------------
    def excluded(self) -> set[str]:
        """Node ids listed in the `dfs.hosts.exclude` file (none when the key is unset)."""
        if not self.exclude_file:
            return set()
        try:
            text = Path(self.exclude_file).read_text()
        except OSError as e:
            raise DFSError(
                f"cannot read the exclude file {self.exclude_file} (dfs.hosts.exclude): {e}",
                self.exclude_file,
            ) from e
        return {line.split("#")[0].strip() for line in text.splitlines()} - {""}

    def refresh(self) -> None:
        """Read the exclude file again: listed nodes start decommissioning (their replicas
        are copied elsewhere, then they are Decommissioned), the others return to service."""
        self.blocks.set_excluded(self.excluded())


__all__ = ["DatanodeManager"]
