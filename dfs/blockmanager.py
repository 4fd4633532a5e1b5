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
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass

from dfs.protocol import BlockReport, DatanodeInfo


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


@dataclass(slots=True)
class ReportOutcome:
    """What a block report changed: replicas newly found corrupt (id, why), corrupt marks whose
    replica is gone, and leaked replicas (no file owns the block)."""

    corrupt: list[tuple[int, str]]
    gone: list[int]
    leaked: list[int]


class BlockManager:
    def __init__(self) -> None:
        self.nodes: dict[str, NodeState] = {}
        self.replicas: dict[int, set[str]] = {}
        self.corrupt: dict[int, set[str]] = {}
        self.expected: dict[int, int] = {}  # block id -> the file's replication
        self.lengths: dict[int, int] = {}  # block id -> committed length (complete blocks)
        self.leaked: dict[str, set[int]] = {}  # node id -> replicas of blocks no file owns

    # -- registry ------------------------------------------------------------------------------
    def register(self, node: NodeState) -> None:
        self.nodes[node.node_id] = node

    def alive_nodes(self) -> list[NodeState]:
        return [n for n in self.nodes.values() if n.alive]

    def block_report(self, node_id: str, report: BlockReport) -> ReportOutcome:
        """Replace what we know of `node_id`'s replicas with its report, and say what it
        revealed (the caller marks the corrupt ones durably and journals the gone ones)."""
        node = self.nodes[node_id]
        lengths = report.lengths
        node.used = sum(lengths.values())
        node.blocks = len(lengths)
        node.last_contact = int(time.time() * 1000)
        self.drop_node_replicas(node_id)
        outcome = ReportOutcome([], [], [])
        damaged = set(report.damaged)
        for block_id, length in lengths.items():
            if block_id not in self.expected:
                outcome.leaked.append(block_id)
                continue
            self.replicas.setdefault(block_id, set()).add(node_id)
            committed = self.lengths.get(block_id)
            if block_id in damaged:
                why = "its checksum file fails the check (header or size)"
            elif committed is not None and committed != length:
                why = f"its length {length} differs from the block's length {committed}"
            else:
                continue
            if node_id not in self.corrupt.get(block_id, ()):
                outcome.corrupt.append((block_id, why))
        outcome.gone = sorted(
            b for b, bad in self.corrupt.items() if node_id in bad and b not in lengths
        )
        self.leaked[node_id] = set(outcome.leaked)
        return outcome

    def drop_node_replicas(self, node_id: str) -> None:
        """Forget which replicas `node_id` holds (its corrupt marks stay)."""
        for holders in self.replicas.values():
            holders.discard(node_id)

    def add_replica(self, block_id: int, node_id: str) -> None:
        if block_id in self.expected:
            self.replicas.setdefault(block_id, set()).add(node_id)

    def remove_replica(self, block_id: int, node_id: str) -> bool:
        """Forget one replica; True when it was marked corrupt (the mark is dropped too)."""
        self.replicas.get(block_id, set()).discard(node_id)
        if self.is_corrupt(block_id, node_id):
            self.unmark_corrupt(block_id, node_id)
            return True
        return False

    def unmark_corrupt(self, block_id: int, node_id: str) -> None:
        """The corrupt replica on `node_id` is gone (deleted, or replaced by a good one)."""
        bad = self.corrupt.get(block_id)
        if bad:
            bad.discard(node_id)
            if not bad:
                del self.corrupt[block_id]

    def is_corrupt(self, block_id: int, node_id: str) -> bool:
        return node_id in self.corrupt.get(block_id, ())

    def mark_corrupt(self, block_id: int, node_id: str) -> None:
        if block_id in self.expected:
            self.corrupt.setdefault(block_id, set()).add(node_id)

    def add_block(self, block_id: int, replication: int, length: int | None = None) -> None:
        self.expected[block_id] = replication
        self.replicas.setdefault(block_id, set())
        if length is not None:
            self.lengths[block_id] = length

    def commit(self, block_id: int, length: int) -> None:
        """The block is complete: `length` is what every good replica holds."""
        if block_id in self.expected:
            self.lengths[block_id] = length

    def remove_block(self, block_id: int) -> set[str]:
        """Forget a block; returns the nodes that still hold a replica (to be deleted)."""
        self.expected.pop(block_id, None)
        self.corrupt.pop(block_id, None)
        self.lengths.pop(block_id, None)
        return self.replicas.pop(block_id, set())

    def corrupt_marks(self) -> list[list]:
        """[[block id, [node ids]], ...]: the marks, for the namenode's image."""
        return [[b, sorted(nodes)] for b, nodes in sorted(self.corrupt.items()) if nodes]

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
        """Commands that bring every block back to its expected replication, delete corrupt
        replicas that are no longer needed, and delete leaked replicas."""
        commands: list[ReplicateCommand | DeleteCommand] = []
        alive = {n.node_id for n in self.alive_nodes()}
        for node_id, leaked in self.leaked.items():
            if node_id in alive:
                commands.extend(
                    DeleteCommand(b, node_id) for b in sorted(leaked) if b not in self.expected
                )
        self.leaked.clear()
        for block_id, expected in self.expected.items():
            live = self.live_replicas(block_id)
            if not live:
                continue  # missing, or every replica corrupt: keep them all
            bad = sorted(n for n in self.corrupt.get(block_id, ()) if n in alive)
            want = min(expected, len(alive))
            targets: list[str] = []
            if len(live) < want:
                holders = self.replicas.get(block_id, set())
                targets = self.choose_targets(
                    block_id, want - len(live), existing=live, exclude=holders - set(live)
                )
                if targets:
                    commands.append(ReplicateCommand(block_id, live[0], tuple(targets)))
            if bad and (len(live) >= want or not targets):
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
