"""How a client reaches datanodes: the `DatanodeAccess` interface and its two implementations.

Owns the choice of transport for block data. `LocalDatanodes` (embedded mode) uses this
process's DataNode objects: a reader on the replica's own node reads the files directly (a
short-circuit read, still verified), others through `DataNode.read`; a write fans each packet
out to every replica's BlockWriter in turn (`LocalPipeline`: a failed node is dropped, the
others go on). `TcpDatanodes` (daemon mode) speaks DataTransferProtocol to each node's server at
DatanodeInfo.host/xfer_port (`dfs.datatransfer`): reads verified on arrival, writes through a
pipeline (`TcpPipeline`), where a failed node also cuts off the nodes after it; `push_block`
then sends the block again to the nodes cut off. Must not touch the namenode.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from dfs.checksum import SPAN, read_verified
from dfs.errors import DFSChecksumError, DFSError
from dfs.protocol import DatanodeInfo

if TYPE_CHECKING:
    from dfs.datanode import DataNode
    from dfs.datatransfer import TcpPipeline

log = logging.getLogger(__name__)


class Pipeline(Protocol):
    chained: bool  # a failed node also cuts off the nodes after it
    nodes: list[str]
    failed: list[str]
    errors: dict[str, str]

    def alive(self) -> list[str]: ...
    def write_packet(self, data: Any, crcs: bytes) -> None: ...
    def finalize(self) -> list[str]: ...
    def abort(self) -> None: ...


class DatanodeAccess(Protocol):
    """How a client reaches datanodes (both implementations below)."""

    def reachable(self, loc: DatanodeInfo) -> bool: ...
    def read(self, loc: DatanodeInfo, block_id: int, offset: int, length: int) -> bytes: ...
    def verify_replica(
        self, loc: DatanodeInfo, block_id: int, length: int | None
    ) -> str | None: ...
    def open_pipeline(
        self, block_id: int, genstamp: int, targets: Sequence[DatanodeInfo]
    ) -> Pipeline: ...


class TcpDatanodes:
    """Daemon mode: every datanode through its DataXceiverServer. `dfs.datatransfer` (sockets,
    msgpack) is imported by the first one made: an embedded command never needs it."""

    def __init__(self, bpc: int = 512, timeout: float | None = None, client: str = "") -> None:
        from dfs import datatransfer

        self.wire = datatransfer
        self.bpc, self.client = bpc, client
        self.timeout = datatransfer.TIMEOUT if timeout is None else timeout

    def reachable(self, loc: DatanodeInfo) -> bool:
        return loc.alive and loc.xfer_port > 0

    def read(self, loc: DatanodeInfo, block_id: int, offset: int, length: int) -> bytes:
        return self.wire.read_block(loc, block_id, offset, length, self.timeout)[1]

    def verify_replica(self, loc: DatanodeInfo, block_id: int, length: int | None) -> str | None:
        """Read the whole replica over the wire (every CRC checked); None when good."""
        try:
            size = self.wire.read_block(loc, block_id, 0, 0, self.timeout)[0]
            if length is not None and size != length:
                return f"length {size} differs from the block's length {length}"
            step = 64 * SPAN
            for off in range(0, size, step):
                self.wire.read_block(loc, block_id, off, min(step, size - off), self.timeout)
        except DFSChecksumError as e:
            return str(e)
        return None

    def open_pipeline(
        self, block_id: int, genstamp: int, targets: Sequence[DatanodeInfo]
    ) -> TcpPipeline:
        return self.wire.TcpPipeline(
            block_id, genstamp, targets, self.bpc, self.timeout, self.client
        )


class LocalPipeline:
    """Embedded mode's write: each packet fanned out to every replica's BlockWriter in turn;
    a failed node is dropped and the others go on."""

    chained = False

    def __init__(self, nodes: Mapping[str, DataNode], block_id: int, targets: Iterable[str]):
        self.block_id = block_id
        self.nodes: list[str] = []
        self.failed: list[str] = []
        self.errors: dict[str, str] = {}
        self._writers: list[tuple[str, Any]] = []
        for node_id in targets:
            try:
                self._writers.append((node_id, nodes[node_id].open_writer(block_id)))
                self.nodes.append(node_id)
            except (OSError, DFSError, KeyError) as e:
                log.info("pipeline: datanode %s refused blk_%d: %s", node_id, block_id, e)
                self.failed.append(node_id)
                self.errors[node_id] = str(e)

    def alive(self) -> list[str]:
        return [n for n, _ in self._writers]

    def _drop(self, entry: tuple[str, Any], error: BaseException) -> None:
        log.info("pipeline: dropping datanode %s for blk_%d: %s", entry[0], self.block_id, error)
        self._writers.remove(entry)
        self.failed.append(entry[0])
        self.errors[entry[0]] = str(error)
        with contextlib.suppress(OSError):
            entry[1].abort()

    def write_packet(self, data: Any, crcs: bytes) -> None:
        for entry in list(self._writers):
            try:
                entry[1].write_packet(data, crcs)
            except OSError as e:
                self._drop(entry, e)

    def finalize(self) -> list[str]:
        """Finalize every replica (BlockWriter.finalize's steps): the fsyncs, of the files and
        then of the directories, run side by side over the replicas, as HDFS's datanodes each
        sync their own at once; an fsync waits for the disk without the GIL, so three replicas
        wait about as long as one. The other steps go replica by replica in pipeline order, so
        a failure or an armed crash point meets the replicas in the same order as before.
        Returns the nodes whose replica is durable and in place."""
        self._each("close_meta")
        self._side_by_side("sync")
        self._each("publish")
        self._side_by_side("sync_dir")
        done = [node_id for node_id, _ in self._writers]
        self._writers = []
        return done

    def _each(self, step: str) -> None:
        for entry in list(self._writers):
            try:
                getattr(entry[1], step)()
            except OSError as e:
                self._drop(entry, e)

    def _side_by_side(self, step: str) -> None:
        entries = list(self._writers)
        if len(entries) < 2 or not any(w.node.sync_on_close for _, w in entries):
            self._each(step)
            return
        import threading  # here: only a synced write of several replicas needs it

        failures: dict[int, BaseException] = {}

        def run(i: int) -> None:
            try:
                getattr(entries[i][1], step)()
            except BaseException as e:  # noqa: BLE001 - handed to the caller below
                failures[i] = e

        threads = [threading.Thread(target=run, args=(i,)) for i in range(1, len(entries))]
        for thread in threads:
            thread.start()
        run(0)
        for thread in threads:
            thread.join()
        for i, entry in enumerate(entries):  # in pipeline order
            error = failures.get(i)
            if isinstance(error, OSError):
                self._drop(entry, error)
            elif error is not None:
                raise error

    def abort(self) -> None:
        for entry in self._writers:
            entry[1].abort()
        self._writers = []


class LocalDatanodes:
    """Embedded mode: this process's DataNode objects (short-circuit reads on `local_node`)."""

    def __init__(self, datanodes: Mapping[str, DataNode], local_node: str | None = None):
        self.datanodes = datanodes
        self.local_node = local_node

    def reachable(self, loc: DatanodeInfo) -> bool:
        dn = self.datanodes.get(loc.node_id)
        return dn is not None and dn.alive

    def read(self, loc: DatanodeInfo, block_id: int, offset: int, length: int) -> bytes:
        node = self.datanodes[loc.node_id]
        if loc.node_id == self.local_node and node.alive:
            # short-circuit: read the local block file directly, verifying checksums
            what = f"{loc.node_id}:blk_{block_id}"
            paths = node.block_path(block_id), node.meta_path(block_id)
            return read_verified(*paths, offset, length, what)
        return node.read(block_id, offset, length)

    def verify_replica(self, loc: DatanodeInfo, block_id: int, length: int | None) -> str | None:
        return self.datanodes[loc.node_id].verify_replica(block_id, length)

    def open_pipeline(
        self, block_id: int, genstamp: int, targets: Sequence[DatanodeInfo]
    ) -> LocalPipeline:
        return LocalPipeline(self.datanodes, block_id, [t.node_id for t in targets])


def push_block(
    access: DatanodeAccess,
    block_id: int,
    genstamp: int,
    targets: Sequence[DatanodeInfo],
    packets: Callable[[], Iterable[tuple[Any, bytes]]],
) -> tuple[list[str], dict[str, str]]:
    """Write a whole block through a pipeline to `targets`; the nodes a failure cut off get
    it again through a second pipeline. Returns (nodes that finalized it, failed node -> why).
    An error from `packets` (the source's own replica is bad) aborts and propagates."""
    done: list[str] = []
    errors: dict[str, str] = {}
    for _attempt in range(2):
        pipe = access.open_pipeline(block_id, genstamp, targets)
        try:
            for data, crcs in packets():
                pipe.write_packet(data, crcs)
                if not pipe.alive():
                    break
            done += pipe.finalize()
        except BaseException:
            pipe.abort()
            raise
        errors.update(pipe.errors)
        targets = [t for t in targets if t.node_id not in done and t.node_id not in errors]
        if not targets:
            break
    return done, errors
