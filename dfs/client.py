"""The DFS client: the user-facing API, and the read and write paths.

Owns path resolution for a user (relative paths live under ``/user/<name>``), the write path
(packets of `dfs.client-write-packet-size` bytes, with one CRC per `dfs.bytes-per-checksum`
chunk, pushed through the pipeline of datanodes the namenode picked; a failed node is dropped
from the pipeline and the write goes on with the others) and the read path (closest replica
first; a checksum mismatch or a missing replica is reported to the namenode and the read fails
over to the next replica; a reader on the replica's own node reads the block file directly — a
short-circuit read — and still verifies checksums).

It talks to the namenode through its client protocol and to datanodes only through a
`dfs.dataaccess.DatanodeAccess`: this process's DataNode objects when it is given them
(embedded mode: a write fans packets out in-process, a local replica is read short-circuit),
else DataTransferProtocol over TCP to the addresses the namenode gives (daemon mode: a write goes
through a pipeline of datanodes; a node that fails cuts off the nodes after it, and those get
the block again through a second pipeline when it ends, so a node killed mid-write costs only
its own replica).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import queue
import threading
from collections.abc import Mapping
from typing import Any

from dfs import faults
from dfs.checksum import chunk_crcs, crcs_to_bytes
from dfs.conf import Configuration, current_user
from dfs.dataaccess import (
    DatanodeAccess,
    LocalDatanodes,
    Pipeline,
    TcpDatanodes,
    push_block,
)
from dfs.datanode import DataNode
from dfs.errors import (
    DFSBlockMissing,
    DFSChecksumError,
    DFSError,
    DFSFileExists,
    DFSFileNotFound,
    DFSIsADirectory,
)
from dfs.fastclass import dataclass
from dfs.paths import normalize
from dfs.protocol import (
    ContentSummary,
    DatanodeInfo,
    FileStatus,
    FsckReport,
    FsStatus,
    LocatedBlock,
)

log = logging.getLogger(__name__)

faults.register(
    "client.before_complete",
    "DFSOutputStream.close: every replica finalized, the namenode's complete() not yet called",
)


@dataclass(frozen=True, slots=True)
class ReplicaProblem:
    """A replica the deep scan found bad (`corrupt`) or could not find on its node."""

    path: str
    block_name: str
    node_id: str
    problem: str
    corrupt: bool


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What `DFSClient.verify` checked and found."""

    blocks: int
    replicas: int
    problems: tuple[ReplicaProblem, ...]


class DFSClient:
    """A user's handle on the filesystem."""

    def __init__(
        self,
        namenode: Any,
        datanodes: Mapping[str, DataNode] | None,
        conf: Configuration,
        user: str | None = None,
        local_node: str | None = None,
    ) -> None:
        self.nn = namenode
        self.datanodes = datanodes or {}
        self.conf = conf
        self.user = user or current_user()
        self.local_node = local_node
        self.home = f"/user/{self.user}"
        self.name = f"DFSClient_{os.getpid()}_{os.urandom(4).hex()}"  # secrets.token_hex(4)
        self.bytes_per_checksum = conf.get_int("dfs.bytes-per-checksum")
        self.packet_size = conf.get_bytes("dfs.client-write-packet-size")
        #: how block data reaches datanodes: in-process objects, or their TCP servers
        self.access: DatanodeAccess = (
            LocalDatanodes(self.datanodes, local_node)
            if self.datanodes
            else TcpDatanodes(
                self.bytes_per_checksum,
                conf.get_float("dfs.client.socket-timeout", 60000) / 1000,  # HDFS's key, ms
                client=self.name,
            )
        )

    def resolve(self, path: str) -> str:
        return normalize(path, self.home)

    # -- namespace -----------------------------------------------------------------------------
    def status(self, path: str) -> FileStatus:
        return self.nn.get_status(self.user, self.resolve(path))

    def exists(self, path: str) -> bool:
        try:
            self.status(path)
            return True
        except (DFSFileNotFound, NotADirectoryError):
            return False

    def listdir(self, path: str) -> list[FileStatus]:
        return self.nn.get_listing(self.user, self.resolve(path))

    def check_access(self, path: str, access: int) -> None:
        """FileSystem.access: raises DFSPermissionDenied unless the NameNode grants `access`
        (4 read, 2 write, 1 execute) on `path` to this client's user."""
        self.nn.check_access(self.user, self.resolve(path), access)

    def mkdirs(self, path: str, mode: int | None = None) -> None:
        self.nn.mkdirs(self.user, self.resolve(path), mode)

    def mkdir(self, path: str, mode: int | None = None) -> None:
        self.nn.mkdir(self.user, self.resolve(path), mode)

    def delete(self, path: str, recursive: bool = False) -> bool:
        return self.nn.delete(self.user, self.resolve(path), recursive)

    def rename(self, src: str, dst: str, overwrite: bool | None = None) -> str:
        """Rename; returns the final path. ``overwrite=None`` is HDFS's old rename (a directory
        `dst` receives `src`); a bool is rename with options: `dst` is the new name, an existing
        one is atomically replaced only when `overwrite` is true (``Options.Rename.OVERWRITE``)."""
        return self.nn.rename(self.user, self.resolve(src), self.resolve(dst), overwrite)

    def set_permission(self, path: str, mode: int) -> None:
        self.nn.set_permission(self.user, self.resolve(path), mode)

    def set_owner(self, path: str, owner: str | None = None, group: str | None = None) -> None:
        self.nn.set_owner(self.user, self.resolve(path), owner, group)

    def set_replication(self, path: str, replication: int) -> bool:
        return self.nn.set_replication(self.user, self.resolve(path), replication)

    def set_times(self, path: str, mtime: int, atime: int) -> None:
        self.nn.set_times(self.user, self.resolve(path), mtime, atime)

    def touchz(self, path: str) -> None:
        try:
            st = self.status(path)
        except DFSFileNotFound:
            self.create(path).close()
            return
        if st.is_dir:
            raise DFSIsADirectory(f"`{path}': Is a directory", path)
        if st.length:
            raise DFSFileExists(f"`{path}': Not a zero-length file", path)

    def content_summary(self, path: str) -> ContentSummary:
        return self.nn.content_summary(self.user, self.resolve(path))

    def disk_status(self) -> FsStatus:
        return self.nn.fs_stats()

    def datanode_report(self) -> list[DatanodeInfo]:
        return self.nn.datanode_report()

    def fsck(self, path: str = "/") -> FsckReport:
        return self.nn.fsck(self.user, self.resolve(path))

    def verify(self, path: str = "/") -> VerifyResult:
        """The block scanner, run now over every file under `path` (``fsck -verify``): each
        live replica's length, meta file and every CRC are checked on its datanode, and the
        corrupt ones are reported to the namenode (which marks them and queues repair)."""
        blocks = replicas = 0
        problems: list[ReplicaProblem] = []
        bad: list[tuple[int, str]] = []
        for f in self.fsck(path).files:
            for fb in f.blocks:
                lb = fb.block
                blocks += 1
                length = None if f.under_construction else lb.length
                for loc in lb.locations:
                    if not self.access.reachable(loc):
                        continue
                    replicas += 1
                    try:
                        why = self.access.verify_replica(loc, lb.block_id, length)
                    except (DFSError, OSError) as e:
                        problems.append(ReplicaProblem(f.path, lb.name, loc.node_id, str(e), False))
                        continue
                    if why is not None:
                        problems.append(ReplicaProblem(f.path, lb.name, loc.node_id, why, True))
                        bad.append((lb.block_id, loc.node_id))
        if bad:
            self.nn.report_bad_blocks(bad)
        return VerifyResult(blocks, replicas, tuple(problems))

    def block_locations(
        self, path: str, start: int = 0, length: int | None = None
    ) -> list[LocatedBlock]:
        return self.nn.get_block_locations(
            self.user, self.resolve(path), start, length, self.local_node
        )[1]

    def wait_replication(self, path: str, timeout_s: float = 30.0) -> bool:
        """True once every block of `path` (a file, or files below a directory) has its
        target number of live replicas (capped at the live datanode count)."""
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            report = self.fsck(path)
            alive = report.datanodes
            if all(
                b.live_replicas >= min(b.expected_replicas, alive)
                for f in report.files
                for b in f.blocks
            ):
                return True
            if time.monotonic() > deadline:
                return False
            tick = getattr(self, "tick", None)
            if tick is not None:
                tick()
            time.sleep(0.05)

    # -- data ----------------------------------------------------------------------------------
    def open(self, path: str) -> DFSInputStream:
        return DFSInputStream(self, self.resolve(path))

    def create(
        self,
        path: str,
        overwrite: bool = False,
        replication: int | None = None,
        blocksize: int | None = None,
        mode: int | None = None,
    ) -> DFSOutputStream:
        path = self.resolve(path)
        status = self.nn.create(self.user, path, self.name, overwrite, replication, blocksize, mode)
        return DFSOutputStream(self, path, status.blocksize)

    def read_bytes(self, path: str) -> bytes:
        with self.open(path) as f:
            return f.read()

    def write_bytes(self, path: str, data: bytes, overwrite: bool = False, **kw: Any) -> None:
        with self.create(path, overwrite=overwrite, **kw) as f:
            f.write(data)


class DFSOutputStream(io.RawIOBase):
    """Writes a new file block by block through datanode pipelines."""

    def __init__(self, client: DFSClient, path: str, blocksize: int) -> None:
        self.client = client
        self.path = path
        bpc = client.bytes_per_checksum
        if blocksize % bpc:
            raise DFSError(
                f"dfs.blocksize ({blocksize}) must be a multiple of dfs.bytes-per-checksum ({bpc})",
                path,
            )
        self.blocksize = blocksize
        self.packet = max(bpc, min(client.packet_size - client.packet_size % bpc, blocksize))
        self._buf = bytearray()
        self._pipe: Pipeline | None = None
        self._located: LocatedBlock | None = None
        self._pieces: list[tuple[memoryview, bytes]] = []  # the open block's, for a resend
        self._block_left = 0
        self._block_id = 0
        self._lengths: list[int] = []
        self._replicas: list[list[str]] = []
        self._bad_nodes: set[str] = set()
        self._last_error = ""
        self._failed = False
        self.bytes_written = 0
        self._streamer: _Streamer | None = None
        self._block_open = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed DFSOutputStream")
        if not isinstance(data, bytes):  # the streamer thread holds on to what it sends
            data = bytes(data)
        mv = memoryview(data)
        n = len(mv)
        self.bytes_written += n
        packet = self.packet
        if self._buf:
            need = packet - len(self._buf)
            self._buf += mv[:need]
            mv = mv[need:]
            if len(self._buf) < packet:
                return n
            self._send(memoryview(bytes(self._buf)))
            self._buf = bytearray()
        whole = len(mv) - len(mv) % packet
        if whole:
            self._send(mv[:whole])
        self._buf += mv[whole:]
        return n

    def _send(self, data: memoryview) -> None:
        bpc = self.client.bytes_per_checksum
        pos, end = 0, len(data)
        while pos < end:
            if not self._block_open:
                self._start_block()
            # Everything up to the block boundary goes down the pipeline as one batch of
            # packets: one hand-off to the streamer per write() call, not per 64 KiB packet
            # (each hand-off waits for the GIL, so small ones would convoy behind the CRCs).
            take = min(end - pos, self._block_left)
            piece = data[pos : pos + take]
            crcs = crcs_to_bytes(chunk_crcs(piece, bpc))
            if self._streamer is None:
                self._streamer = _Streamer(self)
            if self._pipe is not None and self._pipe.chained:
                self._pieces.append((piece, crcs))
            try:
                self._streamer.put(piece, crcs)
            except BaseException:
                self._failed = True
                raise
            pos += take
            self._block_left -= take
            if self._block_left == 0:
                self._end_block()

    def _start_block(self) -> None:
        client = self.client
        for _attempt in range(3):
            try:
                located, _targets = client.nn.add_block(
                    client.user, self.path, client.name, client.local_node, tuple(self._bad_nodes)
                )
            except DFSError:
                if not self._bad_nodes:
                    raise
                self._failed = True
                raise self._no_datanode_left() from None
            pipe = client.access.open_pipeline(
                located.block_id, located.genstamp, located.locations
            )
            self._note_failures(pipe)
            if pipe.alive():
                self._pipe, self._located = pipe, located
                self._block_open = True
                self._block_id = located.block_id
                self._block_left = self.blocksize
                return
            client.nn.abandon_block(client.user, self.path, client.name, located.block_id)
        self._failed = True
        raise self._no_datanode_left()

    def _note_failures(self, pipe: Pipeline) -> None:
        for node_id in pipe.failed:
            if node_id not in self._bad_nodes:
                self._bad_nodes.add(node_id)
                self._last_error = f"{node_id}: {pipe.errors.get(node_id, 'failed')}"

    def _no_datanode_left(self) -> DFSError:
        return DFSError(
            f"`{self.path}': could only be written to 0 of the 1 minimum datanodes: "
            f"{len(self._bad_nodes)} node(s) failed and were excluded (last error: "
            f"{self._last_error}); the file was not written",
            self.path,
        )

    def _pipeline_write(self, piece: memoryview, crcs: bytes) -> None:
        """Push one packet down the pipeline (runs on the streamer thread)."""
        pipe = self._pipe
        assert pipe is not None
        pipe.write_packet(piece, crcs)
        if not pipe.alive():
            self._note_failures(pipe)
            if not self._cut_off(pipe):
                raise self._pipeline_lost()

    @staticmethod
    def _cut_off(pipe: Pipeline) -> list[str]:
        """Nodes that lost the block only because a node before them in the pipeline failed."""
        done = set(pipe.alive()) | set(pipe.failed)
        return [n for n in pipe.nodes if n not in done] if pipe.chained else []

    def _pipeline_lost(self) -> DFSError:
        return DFSError(
            f"`{self.path}': all datanodes in the write pipeline of blk_{self._block_id} failed "
            f"(last error: {self._last_error}); the file was not written",
            self.path,
        )

    def _end_block(self) -> None:
        if self._streamer is not None:
            try:
                self._streamer.drain()
            except BaseException:
                self._failed = True
                raise
        pipe, located = self._pipe, self._located
        assert pipe is not None and located is not None
        done = pipe.finalize()
        cut = [n for n in pipe.nodes if n not in done and n not in pipe.failed]
        self._note_failures(pipe)
        if cut and self._pieces:  # a chained pipeline's failure cut these off: send it again
            again = [loc for loc in located.locations if loc.node_id in cut]
            log.info("pipeline: sending blk_%d again to %s", self._block_id, ", ".join(cut))
            more, errors = push_block(
                self.client.access, located.block_id, located.genstamp, again, self._pieces.copy
            )
            done += more
            for node_id, why in errors.items():
                self._bad_nodes.add(node_id)
                self._last_error = f"{node_id}: {why}"
        if not done:
            self._failed = True
            raise self._pipeline_lost()
        self._lengths.append(self.blocksize - self._block_left)
        self._replicas.append(done)
        self._pipe = self._located = None
        self._pieces = []
        self._block_open = False

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self._failed and self._streamer is not None:
                self._streamer.stop()
            if not self._failed:
                if self._buf:
                    self._send(memoryview(bytes(self._buf)))
                    self._buf = bytearray()
                if self._block_open:
                    self._end_block()
                c = self.client
                faults.crash_point("client.before_complete")
                c.nn.complete(c.user, self.path, c.name, self._lengths, self._replicas)
        finally:
            if self._streamer is not None:
                self._streamer.stop()
            super().close()

    def abort(self) -> None:
        """Give up the file: nothing of it stays (it was never acknowledged)."""
        self._failed = True
        if self._streamer is not None:
            self._streamer.stop()
        if self._pipe is not None:
            self._pipe.abort()
        self._pipe = None
        self._pieces = []
        super().close()
        with contextlib.suppress(DFSError, OSError):  # the failure is already being raised
            self.client.nn.delete(self.client.user, self.path, False)

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None and not self.closed:
            self.abort()
            return
        try:
            self.close()
        except Exception:
            self.abort()  # never acknowledged: leave no file behind
            raise


class _Streamer:
    """HDFS's DataStreamer: a thread that pushes queued packets down the pipeline while the
    writer goes on checksumming the next ones (file writes release the GIL, so the two
    overlap on two cores). Errors surface at the next `drain` or `put`."""

    def __init__(self, stream: DFSOutputStream) -> None:
        self.stream = stream
        self.queue: queue.Queue = queue.Queue(maxsize=32)
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, name=f"DataStreamer {stream.path}", daemon=True
        )
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    self.stream._pipeline_write(*item)
            except BaseException as e:
                self.error = e
            finally:
                self.queue.task_done()

    def put(self, piece: memoryview, crcs: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((piece, crcs))

    def drain(self) -> None:
        self.queue.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


class DFSInputStream(io.RawIOBase):
    """A seekable reader over a file's blocks, failing over between replicas."""

    def __init__(self, client: DFSClient, path: str) -> None:
        self.client = client
        self.path = path
        st = client.nn.get_status(client.user, path)
        if st.is_dir:
            raise DFSIsADirectory(f"`{path}': Is a directory", path)
        self.length = st.length
        # like HDFS's dfs.client.read.prefetch.size: locations of ~10 blocks at a time, so
        # opening a file of hundreds of blocks to read one split stays cheap
        self.prefetch = 10 * (st.blocksize or client.conf.get_bytes("dfs.blocksize"))
        self.blocks: list[LocatedBlock] = []
        self._window = (0, 0)
        self.pos = 0
        self._dead: set[str] = set()

    def _locate(self, start: int = 0, length: int = 0) -> None:
        """Fetch the locations of the blocks covering [start, start + max(length, prefetch))."""
        c = self.client
        self.length, self.blocks = c.nn.get_block_locations(
            c.user, self.path, start, max(length, self.prefetch), c.local_node
        )
        if self.blocks:
            last = self.blocks[-1]
            self._window = (self.blocks[0].offset, last.offset + last.length)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self.pos
        elif whence == 2:
            offset += self.length
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self.pos = offset
        return self.pos

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        return self.read(-1)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.pos
        end = min(self.pos + size, self.length)
        if end <= self.pos:
            return b""
        if self.pos < self._window[0] or end > self._window[1]:
            self._locate(self.pos, end - self.pos)
        parts = []
        for lb in self.blocks:
            b_end = lb.offset + lb.length
            if b_end <= self.pos or lb.offset >= end:
                continue
            start = max(self.pos, lb.offset)
            stop = min(end, b_end)
            parts.append(self._read_block(lb, start - lb.offset, stop - start))
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        self.pos += len(data)
        return data

    def _read_block(self, lb: LocatedBlock, offset: int, length: int) -> bytes:
        for attempt in range(2):
            for loc in lb.locations:
                if loc.node_id in self._dead:
                    continue
                try:
                    return self.client.access.read(loc, lb.block_id, offset, length)
                except DFSChecksumError as e:
                    log.warning("%s; reporting it and trying another replica", e)
                    self._dead.add(loc.node_id)
                    try:
                        self.client.nn.report_bad_blocks([(lb.block_id, loc.node_id)])
                    except (DFSError, OSError) as report_error:  # the read goes on regardless
                        log.warning("could not report blk_%d: %s", lb.block_id, report_error)
                except (DFSError, OSError) as e:
                    log.warning("cannot read blk_%d from %s: %s", lb.block_id, loc.node_id, e)
                    self._dead.add(loc.node_id)
            if attempt == 0:
                self._locate(lb.offset, lb.length)
                lb = next((b for b in self.blocks if b.block_id == lb.block_id), lb)
                self._dead.clear()
        raise DFSBlockMissing(
            f"Could not obtain block: {lb.name} file={self.path} (no live replica left)",
            self.path,
        )
