"""Block management: where replicas are, where new ones go, and what needs repair.

Owns the block map (block id -> nodes with a good replica, nodes with a corrupt one), the
datanode registry as the namenode sees it, rack-aware placement and the replication monitor's
decisions. It never touches block files: it returns commands, and the cluster has datanodes
carry them out (as HDFS's namenode answers heartbeats with commands).

Placement (HDFS's default policy): the first replica on the writer's node when the writer is a
datanode, else a node picked at random; the second on a different rack; the third on the same
rack as the second, on another node; any further ones at random; never two replicas on one
node. Random picks are seeded by the block id, so a cluster lays blocks out reproducibly.
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass

from dfs.protocol import DatanodeInfo


@dataclass(slots=True)
class NodeState:
    node_id: str
    rack: str
    storage: str
    capacity: int
    alive: bool = True
    used: int = 0
    blocks: int = 0
    last_contact: int = 0

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
        )


@dataclass(frozen=True, slots=True)
class ReplicateCommand:
    block_id: int
    source: str
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeleteCommand:
    block_id: int
    node: str


class BlockManager:
    def __init__(self) -> None:
        self.nodes: dict[str, NodeState] = {}
        self.replicas: dict[int, set[str]] = {}
        self.corrupt: dict[int, set[str]] = {}
        self.expected: dict[int, int] = {}  # block id -> the file's replication

    # -- registry ------------------------------------------------------------------------------
    def register(self, node: NodeState) -> None:
        self.nodes[node.node_id] = node

    def alive_nodes(self) -> list[NodeState]:
        return [n for n in self.nodes.values() if n.alive]

    def block_report(self, node_id: str, report: dict[int, int]) -> None:
        """Replace what we know of `node_id`'s replicas with its report."""
        node = self.nodes[node_id]
        node.used = sum(report.values())
        node.blocks = len(report)
        node.last_contact = int(time.time() * 1000)
        for holders in self.replicas.values():
            holders.discard(node_id)
        for bad in self.corrupt.values():
            bad.discard(node_id)
        for block_id in report:
            if block_id in self.expected:
                self.replicas.setdefault(block_id, set()).add(node_id)

    def add_replica(self, block_id: int, node_id: str) -> None:
        self.replicas.setdefault(block_id, set()).add(node_id)
        bad = self.corrupt.get(block_id)
        if bad:
            bad.discard(node_id)

    def remove_replica(self, block_id: int, node_id: str) -> None:
        self.replicas.get(block_id, set()).discard(node_id)
        self.corrupt.get(block_id, set()).discard(node_id)

    def mark_corrupt(self, block_id: int, node_id: str) -> None:
        if node_id in self.replicas.get(block_id, ()):
            self.corrupt.setdefault(block_id, set()).add(node_id)

    def add_block(self, block_id: int, replication: int) -> None:
        self.expected[block_id] = replication
        self.replicas.setdefault(block_id, set())

    def remove_block(self, block_id: int) -> set[str]:
        """Forget a block; returns the nodes that still hold a replica (to be deleted)."""
        self.expected.pop(block_id, None)
        self.corrupt.pop(block_id, None)
        return self.replicas.pop(block_id, set())

    # -- views ---------------------------------------------------------------------------------
    def live_replicas(self, block_id: int) -> list[str]:
        bad = self.corrupt.get(block_id, ())
        return sorted(
            n
            for n in self.replicas.get(block_id, ())
            if n not in bad and self.nodes.get(n) is not None and self.nodes[n].alive
        )

    def sorted_locations(self, block_id: int, client_node: str | None) -> list[DatanodeInfo]:
        """Good live replicas, closest to the client first (same node, same rack, others)."""
        live = self.live_replicas(block_id)
        client_rack = self.nodes[client_node].rack if client_node in self.nodes else None
        shuffle = random.Random(block_id ^ zlib.crc32((client_node or "").encode())).random

        def distance(n: str) -> tuple[int, float]:
            if n == client_node:
                return 0, 0.0
            if self.nodes[n].rack == client_rack:
                return 1, shuffle()
            return 2, shuffle()

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
            candidates = [n for n in self.alive_nodes() if n.node_id not in taken]
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
    def replication_work(self) -> list[ReplicateCommand | DeleteCommand]:
        """Commands that bring every block back to its expected replication."""
        commands: list[ReplicateCommand | DeleteCommand] = []
        alive = {n.node_id for n in self.alive_nodes()}
        for block_id, expected in self.expected.items():
            live = self.live_replicas(block_id)
            bad = [n for n in self.corrupt.get(block_id, ()) if n in alive]
            want = min(expected, len(alive))
            if live and len(live) < want:
                holders = self.replicas.get(block_id, set())
                targets = self.choose_targets(
                    block_id, want - len(live), existing=live, exclude=holders - set(live)
                )
                if targets:
                    commands.append(ReplicateCommand(block_id, live[0], tuple(targets)))
            if live and bad:
                commands.extend(DeleteCommand(block_id, n) for n in bad)
            if len(live) > expected:
                commands.extend(DeleteCommand(block_id, n) for n in self._excess(live, expected))
        return commands

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
