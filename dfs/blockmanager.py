"""Block management: where replicas are, where new ones go, and what needs repair.

Owns the block map (block id -> nodes with a replica, nodes whose replica is corrupt, the
committed length of every complete block), the datanode registry as the namenode sees it,
rack-aware placement and the replication monitor's decisions. It never touches block files: it
returns commands, and the cluster has datanodes carry them out (as HDFS's namenode answers
heartbeats with commands). Making marks durable is the namenode's job (it journals them).

Repair policy (HDFS's): a corrupt replica is deleted only while a good replica of the block
exists, once the block is back at its target replication (or no other node can take a new
replica, so the corrupt one's node must make room); with every replica corrupt nothing is
deleted, and fsck reports the block CORRUPT. A finalized replica whose block no file owns (an
abandoned write, a delete while the node was down) is leaked: its node is told to delete it.

Placement (HDFS's default policy): the first replica on the writer's node when the writer is a
datanode, else a node picked at random; the second on a different rack; the third on the same
rack as the second, on another node; any further ones at random; never two replicas on one
node. Random picks are seeded by the block id, so a cluster lays blocks out reproducibly.

Commands (HDFS's DatanodeDescriptor queues): `compute_work` queues each node's commands on its
`NodeState` (replicate: on a source holding a good replica, with the targets chosen by the
placement policy; delete: on the holder); `take_commands` hands them to that node's heartbeat
reply. A replication in flight is remembered (`pending`, until the target reports the replica
or `pending_timeout` seconds pass) so it is not asked for twice; a queued or sent delete is not
asked for again until the node's next full block report. A replica to be deleted stops counting
at once. Liveness: `expire` declares dead the nodes silent longer than the dead interval; a dead
node's replicas are forgotten (its corrupt marks stay) and its queues dropped.

Decommissioning (HDFS's exclude list): a node being decommissioned takes no new replicas and
its replicas do not count toward a block's replication, but it still serves as a source; once
every block it holds has enough replicas elsewhere it is Decommissioned.
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import field

from dfs.fastclass import dataclass
from dfs.protocol import (
    BlockReport,
    Command,
    DatanodeInfo,
    DeleteCommand,
    ReplicateCommand,
)

NORMAL = "Normal"
DECOMMISSIONING = "Decommission in progress"
DECOMMISSIONED = "Decommissioned"


@dataclass(slots=True)
class NodeState:
    node_id: str
    rack: str
    storage: str
    capacity: int
    alive: bool = True
    used: int = 0
    blocks: int = 0
    last_contact: int = 0  # ms since the epoch (what reports show)
    host: str = ""
    xfer_port: int = 0
    last_seen: float = 0.0  # the NameNode's monotonic clock at the last heartbeat
    admin: str = NORMAL
    replicate: list[ReplicateCommand] = field(default_factory=list)  # queued for the reply
    invalidate: set[int] = field(default_factory=set)  # replicas to delete, queued
    deleting: set[int] = field(default_factory=set)  # deletes sent, not yet confirmed

    def info(self) -> DatanodeInfo:
        return DatanodeInfo(
            self.node_id,
            self.rack,
            self.storage,
            self.capacity,
            self.used,
            max(self.capacity - self.used, 0),
            self.alive,
            self.last_contact,
            self.blocks,
            self.host,
            self.xfer_port,
            self.admin,
        )

    @property
    def in_service(self) -> bool:
        """Alive and not being decommissioned: may take new replicas, and its count."""
        return self.alive and self.admin == NORMAL

    def drop_queues(self) -> None:
        self.replicate.clear()
        self.invalidate.clear()
        self.deleting.clear()


@dataclass(slots=True)
class ReportOutcome:
    """What a block report changed: replicas newly found corrupt (id, why), corrupt marks whose
    replica is gone, and leaked replicas (no file owns the block)."""

    corrupt: list[tuple[int, str]]
    gone: list[int]
    leaked: list[int]


class BlockManager:
    def __init__(self, clock: object = time.monotonic, pending_timeout: float = 300.0) -> None:
        self.nodes: dict[str, NodeState] = {}
        self.replicas: dict[int, set[str]] = {}
        self.corrupt: dict[int, set[str]] = {}
        self.expected: dict[int, int] = {}  # block id -> the file's replication
        self.lengths: dict[int, int] = {}  # block id -> committed length (complete blocks)
        self.genstamps: dict[int, int] = {}
        self.leaked: dict[str, set[int]] = {}  # node id -> replicas of blocks no file owns
        self.pending: dict[int, dict[str, float]] = {}  # block -> target -> deadline
        #: blocks whose replicas changed since the monitor last looked (only those are looked
        #: at again, so a heartbeat costs nothing per block of a big namespace)
        self.dirty: set[int] = set()
        self.changes = 0  # bumped on every replica change (safe mode recounts only then)
        self._in_service_seen = -1
        self.clock = clock
        self.pending_timeout = pending_timeout

    # -- registry ------------------------------------------------------------------------------
    def register(self, node: NodeState) -> None:
        self.nodes[node.node_id] = node

    def alive_nodes(self) -> list[NodeState]:
        return [n for n in self.nodes.values() if n.alive]

    def expire(self, now: float, interval: float) -> list[str]:
        """Declare dead every live node silent for more than `interval` seconds (HDFS's
        heartbeatCheck); returns their ids."""
        dead = [
            n.node_id for n in self.alive_nodes() if n.last_seen and now - n.last_seen > interval
        ]
        for node_id in dead:
            self.mark_dead(node_id)
        return dead

    def mark_dead(self, node_id: str) -> None:
        """The node is gone: its replicas stop counting (corrupt marks stay), its queued and
        pending work is dropped."""
        node = self.nodes[node_id]
        node.alive = False
        node.drop_queues()
        self.drop_node_replicas(node_id)
        self.drop_pending_to(node_id)

    def drop_pending_to(self, node_id: str) -> None:
        """Copies on their way to `node_id` will not arrive (it died or restarted)."""
        for targets in self.pending.values():
            targets.pop(node_id, None)

    def block_report(self, node_id: str, report: BlockReport) -> ReportOutcome:
        """Replace what we know of `node_id`'s replicas with its report, and say what it
        revealed (the caller marks the corrupt ones durably and journals the gone ones)."""
        node = self.nodes[node_id]
        lengths = report.lengths
        node.used = sum(lengths.values())
        node.blocks = len(lengths)
        node.last_contact = int(time.time() * 1000)
        node.deleting.clear()  # the report is the truth: what is still there is asked again
        self.drop_node_replicas(node_id)
        outcome = ReportOutcome([], [], [])
        damaged = set(report.damaged)
        for block_id, length in lengths.items():
            if block_id not in self.expected:
                outcome.leaked.append(block_id)
                continue
            if block_id in node.invalidate:
                continue  # a delete is on its way: the replica does not count
            self.replicas.setdefault(block_id, set()).add(node_id)
            self._arrived(block_id, node_id)
            why = self.length_problem(block_id, length, block_id in damaged)
            if why is not None and node_id not in self.corrupt.get(block_id, ()):
                outcome.corrupt.append((block_id, why))
        outcome.gone = sorted(
            b for b, bad in self.corrupt.items() if node_id in bad and b not in lengths
        )
        self.leaked[node_id] = set(outcome.leaked)
        return outcome

    def length_problem(self, block_id: int, length: int, damaged: bool = False) -> str | None:
        """Why a reported replica is corrupt (None when it is not, as far as a report says)."""
        committed = self.lengths.get(block_id)
        if damaged:
            return "its checksum file fails the check (header or size)"
        if committed is not None and committed != length:
            return f"its length {length} differs from the block's length {committed}"
        return None

    def drop_node_replicas(self, node_id: str) -> None:
        """Forget which replicas `node_id` holds (its corrupt marks stay)."""
        for block_id, holders in self.replicas.items():
            if node_id in holders:
                holders.discard(node_id)
                self._touch(block_id)

    def _touch(self, block_id: int) -> None:
        self.dirty.add(block_id)
        self.changes += 1

    def set_replicas(self, block_id: int, nodes: set[str]) -> None:
        """The replicas of a block, as found by probing the datanodes (embedded mode)."""
        self.replicas[block_id] = nodes
        self._touch(block_id)

    def set_replication(self, block_id: int, replication: int) -> None:
        self.expected[block_id] = replication
        self._touch(block_id)

    def add_replica(self, block_id: int, node_id: str) -> None:
        if block_id in self.expected:
            self.replicas.setdefault(block_id, set()).add(node_id)
            self._arrived(block_id, node_id)

    def _arrived(self, block_id: int, node_id: str) -> None:
        self._touch(block_id)
        targets = self.pending.get(block_id)
        if targets is not None:
            targets.pop(node_id, None)
            if not targets:
                del self.pending[block_id]

    def remove_replica(self, block_id: int, node_id: str) -> bool:
        """Forget one replica; True when it was marked corrupt (the mark is dropped too)."""
        self.replicas.get(block_id, set()).discard(node_id)
        self._touch(block_id)
        node = self.nodes.get(node_id)
        if node is not None:
            node.deleting.discard(block_id)
        if self.is_corrupt(block_id, node_id):
            self.unmark_corrupt(block_id, node_id)
            return True
        return False

    def unmark_corrupt(self, block_id: int, node_id: str) -> None:
        """The corrupt replica on `node_id` is gone (deleted, or replaced by a good one)."""
        bad = self.corrupt.get(block_id)
        self._touch(block_id)
        if bad:
            bad.discard(node_id)
            if not bad:
                del self.corrupt[block_id]

    def is_corrupt(self, block_id: int, node_id: str) -> bool:
        return node_id in self.corrupt.get(block_id, ())

    def mark_corrupt(self, block_id: int, node_id: str) -> None:
        if block_id in self.expected:
            self.corrupt.setdefault(block_id, set()).add(node_id)
            self._touch(block_id)

    def clear_blocks(self) -> None:
        """Forget every block (the namespace is about to be loaded again); nodes stay."""
        for table in (self.expected, self.replicas, self.corrupt, self.lengths):
            table.clear()
        self.genstamps.clear()
        self.pending.clear()
        self.dirty.clear()
        self.changes += 1

    def add_block(
        self, block_id: int, replication: int, length: int | None = None, genstamp: int = 0
    ) -> None:
        self.expected[block_id] = replication
        self.replicas.setdefault(block_id, set())
        self.genstamps[block_id] = genstamp
        if length is not None:
            self.lengths[block_id] = length
            self._touch(block_id)

    def commit(self, block_id: int, length: int) -> None:
        """The block is complete: `length` is what every good replica holds."""
        if block_id in self.expected:
            self.lengths[block_id] = length
            self._touch(block_id)

    def remove_block(self, block_id: int) -> set[str]:
        """Forget a block; returns the nodes that still hold a replica (to be deleted)."""
        self.expected.pop(block_id, None)
        self.corrupt.pop(block_id, None)
        self.lengths.pop(block_id, None)
        self.genstamps.pop(block_id, None)
        self.pending.pop(block_id, None)
        return self.replicas.pop(block_id, set())

    def corrupt_marks(self) -> list[list]:
        """[[block id, [node ids]], ...]: the marks, for the namenode's image."""
        return [[b, sorted(nodes)] for b, nodes in sorted(self.corrupt.items()) if nodes]

    # -- views ---------------------------------------------------------------------------------
    def good_replicas(self, block_id: int) -> list[str]:
        """Nodes alive with a replica not marked corrupt (decommissioning ones included)."""
        bad = self.corrupt.get(block_id, ())
        return sorted(
            n
            for n in self.replicas.get(block_id, ())
            if n not in bad and self.nodes.get(n) is not None and self.nodes[n].alive
        )

    def live_replicas(self, block_id: int) -> list[str]:
        """Good replicas that count toward the block's replication (HDFS's liveReplicas:
        replicas on decommissioning nodes do not, while there are others)."""
        good = self.good_replicas(block_id)
        counted = [n for n in good if self.nodes[n].admin == NORMAL]
        return counted if counted else good

    def safe_blocks(self, min_replicas: int) -> int:
        """Complete blocks with at least `min_replicas` good live replicas (safe mode)."""
        return sum(1 for b in self.lengths if len(self.good_replicas(b)) >= min_replicas)

    def sorted_locations(self, block_id: int, client_node: str | None) -> list[DatanodeInfo]:
        """Good live replicas, closest to the client first (same node, same rack, others);
        decommissioning nodes last, as HDFS sorts them."""
        live = self.good_replicas(block_id)
        client_rack = self.nodes[client_node].rack if client_node in self.nodes else None
        shuffle = random.Random(block_id ^ zlib.crc32((client_node or "").encode())).random

        def distance(n: str) -> tuple[int, int, float]:
            retiring = int(self.nodes[n].admin != NORMAL)
            if n == client_node:
                return retiring, 0, 0.0
            if self.nodes[n].rack == client_rack:
                return retiring, 1, shuffle()
            return retiring, 2, shuffle()

        return [self.nodes[n].info() for n in sorted(live, key=distance)]

    def racks(self) -> set[str]:
        return {n.rack for n in self.nodes.values()}

    # -- placement -----------------------------------------------------------------------------
    def choose_targets(
        self,
        block_id: int,
        count: int,
        writer: str | None = None,
        existing: list[str] | tuple[str, ...] = (),
        exclude: set[str] | frozenset[str] = frozenset(),
    ) -> list[str]:
        rng = random.Random(block_id)
        chosen = list(existing)
        taken = set(existing) | set(exclude)
        result: list[str] = []
        for _ in range(count):
            candidates = [n for n in self.nodes.values() if n.in_service and n.node_id not in taken]
            if not candidates:
                break
            pick = self._pick(rng, candidates, chosen, writer)
            chosen.append(pick)
            taken.add(pick)
            result.append(pick)
        return result

    def _pick(
        self, rng: random.Random, candidates: list[NodeState], chosen: list[str], writer: str | None
    ) -> str:
        candidates = sorted(candidates, key=lambda n: n.node_id)
        if not chosen:
            if writer is not None and any(n.node_id == writer for n in candidates):
                return writer
            return rng.choice(candidates).node_id
        racks = [self.nodes[c].rack for c in chosen]
        if len(set(racks)) == 1:
            remote = [n for n in candidates if n.rack != racks[0]]
            if remote:
                return rng.choice(remote).node_id
        if len(chosen) == 2 and racks[0] != racks[1]:
            same = [n for n in candidates if n.rack == racks[1]]
            if same:
                return rng.choice(same).node_id
        return rng.choice(candidates).node_id

    # -- the replication monitor ---------------------------------------------------------------
    def queue_delete(self, block_id: int, node_id: str) -> None:
        """Ask `node_id` (on its next heartbeat) to delete its replica; it stops counting now
        (a corrupt mark stays until the node confirms the delete)."""
        node = self.nodes.get(node_id)
        if node is None or not node.alive or block_id in node.deleting:
            return
        node.invalidate.add(block_id)
        if not self.is_corrupt(block_id, node_id):
            self.replicas.get(block_id, set()).discard(node_id)
            self.changes += 1

    def compute_work(self) -> None:
        """Queue the commands that bring every complete block back to its replication, delete
        corrupt replicas no longer needed, excess replicas and leaked ones (HDFS's
        ReplicationMonitor)."""
        for node_id, leaked in self.leaked.items():
            for b in sorted(leaked):
                if b not in self.expected:
                    self.queue_delete(b, node_id)
        self.leaked.clear()
        self._expire_pending()
        in_service = sum(1 for n in self.nodes.values() if n.in_service)
        if in_service != self._in_service_seen:  # every block's target may have moved
            self._in_service_seen = in_service
            self.dirty = set(self.lengths)
        todo, self.dirty = self.dirty, set()
        for block_id in todo:
            if block_id in self.lengths:
                self._block_work(block_id, in_service)
        self.finish_decommission()

    def _block_work(self, block_id: int, in_service: int) -> None:
        expected = self.expected[block_id]
        good = self.good_replicas(block_id)
        if not good:
            return  # missing, or every replica corrupt: keep them all
        live = [n for n in good if self.nodes[n].admin == NORMAL]
        pending = list(self.pending.get(block_id, {}))
        want = min(expected, in_service)
        targets: list[str] = []
        if len(live) + len(pending) < want:
            holders = self.replicas.get(block_id, set()) | self.corrupt.get(block_id, set())
            targets = self.choose_targets(
                block_id,
                want - len(live) - len(pending),
                existing=live + pending,
                exclude=holders,
            )
            if targets:
                self._queue_replication(block_id, good, targets)
        # a marked node may not have registered (yet): the mark is journaled, the node list
        # is not, so a restarted NameNode knows marks of nodes it has not heard from
        bad = sorted(n for n in self.corrupt.get(block_id, ()) if self._alive(n))
        if bad and (len(live) >= want or not targets):
            for n in bad:
                self.queue_delete(block_id, n)
        if len(live) > expected:
            for n in self._excess(live, expected):
                self.queue_delete(block_id, n)

    def _alive(self, node_id: str) -> bool:
        node = self.nodes.get(node_id)
        return node is not None and node.alive

    def _queue_replication(self, block_id: int, good: list[str], targets: list[str]) -> None:
        # the source: a node with a good replica, a decommissioning one first (HDFS prefers
        # them: they take no writes), else the one with the fewest queued copies
        source = min(
            good,
            key=lambda n: (self.nodes[n].admin == NORMAL, len(self.nodes[n].replicate), n),
        )
        command = ReplicateCommand(
            block_id,
            self.genstamps.get(block_id, 0),
            self.lengths[block_id],
            tuple(self.nodes[t].info() for t in targets),
        )
        self.nodes[source].replicate.append(command)
        deadline = self.clock() + self.pending_timeout
        self.pending.setdefault(block_id, {}).update({t: deadline for t in targets})

    def _expire_pending(self) -> None:
        now = self.clock()
        for block_id in list(self.pending):
            targets = self.pending[block_id]
            for t in [t for t, deadline in targets.items() if deadline <= now]:
                del targets[t]
                self._touch(block_id)  # the copy never arrived: ask again
            if not targets:
                del self.pending[block_id]

    def _excess(self, live: list[str], expected: int) -> list[str]:
        """Which replicas to drop: from the most crowded rack first, keeping rack spread."""
        keep = list(live)
        drop = []
        while len(keep) > expected:
            by_rack: dict[str, list[str]] = {}
            for n in keep:
                by_rack.setdefault(self.nodes[n].rack, []).append(n)
            crowded = max(by_rack.values(), key=len)
            victim = sorted(crowded)[-1]
            keep.remove(victim)
            drop.append(victim)
        return drop

    # -- commands for one node's heartbeat reply -----------------------------------------------
    def take_commands(self, node_id: str) -> tuple[Command, ...]:
        node = self.nodes[node_id]
        commands: list[Command] = list(node.replicate)
        node.replicate.clear()
        if node.invalidate:
            commands.append(DeleteCommand(tuple(sorted(node.invalidate))))
            node.deleting |= node.invalidate
            node.invalidate.clear()
        return tuple(commands)

    # -- decommissioning -----------------------------------------------------------------------
    def set_excluded(self, excluded: set[str]) -> None:
        """The exclude list changed (`dfsadmin -refreshNodes`): listed nodes start
        decommissioning, the others return to service."""
        for node in self.nodes.values():
            if node.node_id in excluded and node.admin == NORMAL:
                node.admin = DECOMMISSIONING
            elif node.node_id not in excluded:
                node.admin = NORMAL
        self.dirty = set(self.lengths)

    def finish_decommission(self) -> None:
        """Decommissioning nodes whose every block has enough replicas elsewhere are done."""
        for node in self.nodes.values():
            if node.admin != DECOMMISSIONING or not node.alive:
                continue
            held = [b for b, holders in self.replicas.items() if node.node_id in holders]
            if all(self._enough_elsewhere(b, node.node_id) for b in held):
                node.admin = DECOMMISSIONED

    def _enough_elsewhere(self, block_id: int, node_id: str) -> bool:
        if block_id not in self.lengths:
            return True  # being written: its writer's pipeline takes care of it
        others = [
            n for n in self.good_replicas(block_id) if n != node_id and self.nodes[n].in_service
        ]
        in_service = sum(1 for n in self.nodes.values() if n.in_service)
        return len(others) >= min(self.expected[block_id], max(in_service, 1))
