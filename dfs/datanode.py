"""A datanode: replicas stored as block files plus checksum files, in its own directory.

Owns the on-disk replica layout, writing replicas, block reports, the block scanner's check of
a replica, and executing the namenode's commands (`execute`: push a replica through a pipeline
to other nodes, reached through `dfs.dataaccess`; delete replicas). It never calls the namenode:
the cluster or the daemon carries its reports up and the commands down. The meta file format
and verified reads are `dfs.checksum`'s.

Durability: block and meta files are written through raw descriptors with
`faults.write_fully`; any failure (ENOSPC, EIO, a short write that cannot be finished) aborts
the replica, removing its files, and raises OSError to the writer, which drops this node from
its pipeline. With ``sync_on_close`` (HDFS's ``dfs.datanode.synconclose``, on by default here)
both files are fsync'd before they move to current/ and the directory after, so a replica the
client counts as finalized survives a power cut; writeback is started every 4 MiB as the data
arrives (HDFS's sync-behind-writes), so that fsync has little left to wait for. Files are mode
600, directories 700.

Layout under the node's directory::

    current/subdir<NN>/blk_<id>        finalized replica data
    current/subdir<NN>/blk_<id>.meta   header, one CRC32 per `dfs.bytes-per-checksum` chunk,
                                       then one CRC32 per 64 KiB span
    rbw/<pid>/blk_<id>_<n>[.meta]      replicas being written by process <pid>, <n> unique per
                                       writer (moved to current/ when complete, meta first;
                                       dropped if <pid> died)

Block reports (`DataNode.block_report`) carry every finalized replica's length and the ids
whose meta file fails a cheap check (bad header, or a size that does not fit the data length);
`verify_replica` is the deep check (every CRC), used by the block scanner (``fsck -verify``).

File names are built from integer block ids only, so no path can escape the directory.

Every read is verified (`dfs.checksum.read_verified`, which owns the meta file format).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import shutil
import stat
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dfs import faults
from dfs.checksum import (
    SPAN,
    chunk_crcs,
    crcs_to_bytes,
    meta_header,
    meta_problem,
    read_verified,
)
from dfs.dataaccess import DatanodeAccess, TcpDatanodes, push_block
from dfs.errors import DFSChecksumError, DFSError
from dfs.fastclass import dataclass
from dfs.protocol import BlockReport, DeleteCommand, ReplicateCommand
from dfs.runfiles import pid_alive
from dfs.storage import fsync_dir

log = logging.getLogger(__name__)

SUBDIRS = 64
_FILE_MODE = 0o600
_BEHIND = 4 * 1024 * 1024  # sync-behind-writes granularity
_DIR_MODE = 0o700

faults.register(
    "datanode.block_mid_write", "BlockWriter.write_packet: the first packet of a replica written"
)
faults.register(
    "datanode.before_finalize", "BlockWriter.finalize: replica complete in rbw/, not yet moved"
)
faults.register(
    "datanode.after_finalize_meta",
    "BlockWriter.finalize: the meta file moved to current/, the block file not yet",
)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What `DataNode.execute` did: the targets that finalized a replicated block, the replicas
    deleted, why this node's own replica could not be sent (non-empty: report it as bad) and
    the targets that failed, with why."""

    replicated: tuple[str, ...] = ()
    deleted: tuple[int, ...] = ()
    bad_source: str = ""
    errors: tuple[tuple[str, str], ...] = ()


_WRITERS = itertools.count()


class BlockWriter:
    """Receives one replica's packets; `finalize` makes it visible, `abort` removes it.

    Any OSError from a write aborts the replica (its files are removed) before it propagates:
    the caller only has to drop this node from its pipeline.
    """

    __slots__ = (
        "node",
        "block_id",
        "_data_fd",
        "_meta_fd",
        "_data_path",
        "_meta_path",
        "length",
        "_spans",
        "_span_crc",
        "_span_len",
    )

    def __init__(self, node: DataNode, block_id: int) -> None:
        self.node = node
        self.block_id = block_id
        rbw = node.rbw / str(os.getpid())
        _mkdir_private(rbw)
        # one name per writer: two writers of a block (a pipeline rebuilt while the old one's
        # connection is still closing) never share a file
        name = f"blk_{block_id}_{next(_WRITERS)}"
        self._data_path = rbw / name
        self._meta_path = rbw / f"{name}.meta"
        self._data_fd = self._meta_fd = -1
        self.length = 0
        self._spans = array("I")
        self._span_crc = 0
        self._span_len = 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        try:
            self._data_fd = os.open(self._data_path, flags, _FILE_MODE)
            self._meta_fd = os.open(self._meta_path, flags, _FILE_MODE)
            header = meta_header(node.bytes_per_checksum)
            faults.write_fully(self._meta_fd, header, "meta")
        except OSError:
            self.abort()
            raise

    def write_packet(self, data: Any, crc_bytes: bytes) -> None:
        try:
            if self.node.sync_on_close:
                self._write_behind(data)
            else:
                faults.write_fully(self._data_fd, data, "block")
            faults.write_fully(self._meta_fd, crc_bytes, "meta")
        except OSError:
            self.abort()
            raise
        first = self.length == 0
        self.length += len(data)
        view = memoryview(data)
        while len(view):
            take = min(SPAN - self._span_len, len(view))
            self._span_crc = zlib.crc32(view[:take], self._span_crc)
            self._span_len += take
            view = view[take:]
            if self._span_len == SPAN:
                self._spans.append(self._span_crc)
                self._span_crc = self._span_len = 0
        if first:
            faults.crash_point("datanode.block_mid_write")

    def _write_behind(self, data: Any) -> None:
        """Write a large packet in pieces, starting each piece's writeback as soon as it is
        written, so the fsync at finalize has little left to wait for."""
        view = memoryview(data)
        for pos in range(0, len(view), _BEHIND):
            piece = view[pos : pos + _BEHIND]
            faults.write_fully(self._data_fd, piece, "block")
            _start_writeback(self._data_fd, self.length + pos, len(piece))

    def finalize(self) -> int:
        """Complete the replica (synced when the node syncs on close) and move it to current/,
        meta file first. Returns its length; on OSError the replica is gone. The same as
        `close_meta`, `sync`, `publish` and `sync_dir` in turn: a pipeline in this process
        runs the two syncs of its replicas side by side (fsync waits without the GIL), the
        other steps replica by replica."""
        self.close_meta()
        self.sync()
        self.publish()
        self.sync_dir()
        return self.length

    def close_meta(self) -> None:
        """Write the meta file's last checksums."""
        if self._span_len:
            self._spans.append(self._span_crc)
            self._span_len = 0
        try:
            faults.write_fully(self._meta_fd, crcs_to_bytes(self._spans), "meta")
        except OSError:
            self.abort()
            raise

    def sync(self) -> None:
        """fsync the block and meta files (when the node syncs on close)."""
        if not self.node.sync_on_close:
            return
        try:
            os.fsync(self._data_fd)
            os.fsync(self._meta_fd)
        except OSError:
            self.abort()
            raise

    def publish(self) -> None:
        """Close the files and move them to current/, meta file first."""
        final = self.node.block_path(self.block_id)
        final_meta = final.with_name(final.name + ".meta")
        moved_meta = False
        try:
            self._close_fds()
            faults.crash_point("datanode.before_finalize")
            _mkdir_private(final.parent)
            os.replace(self._meta_path, final_meta)
            moved_meta = True
            faults.crash_point("datanode.after_finalize_meta")
            os.replace(self._data_path, final)
        except OSError:
            if moved_meta and not final.exists():
                final_meta.unlink(missing_ok=True)
            self.abort()
            raise

    def sync_dir(self) -> None:
        """fsync the directory the replica moved into (when the node syncs on close)."""
        if not self.node.sync_on_close:
            return
        try:
            fsync_dir(self.node.block_path(self.block_id).parent)
        except OSError:
            self.abort()
            raise

    def _close_fds(self) -> None:
        for fd in (self._data_fd, self._meta_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._data_fd = self._meta_fd = -1

    def abort(self) -> None:
        """Remove the partial replica (idempotent)."""
        self._close_fds()
        for p in (self._data_path, self._meta_path):
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)


@functools.cache
def _sync_file_range() -> Any:
    """libc's sync_file_range, or None; loaded (ctypes) at the first write, not at import: a
    command that writes no block never needs it."""
    try:
        import ctypes

        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)  # glibc: no search needed
        except OSError:  # another libc: the search runs ldconfig in a subprocess
            import ctypes.util

            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        fn = libc.sync_file_range
    except (OSError, AttributeError, TypeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint)
    return fn


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Start writing `length` bytes at `offset` to disk without waiting (Linux's
    sync_file_range, HDFS's dfs.datanode.sync.behind.writes): the fsync at finalize then waits
    for less. A no-op where the call does not exist."""
    fn = _sync_file_range()
    if fn is not None:
        fn(fd, offset, length, 2)  # SYNC_FILE_RANGE_WRITE


def _mkdir_private(path: Path) -> None:
    """Create `path` (and missing parents) mode 700."""
    try:
        os.mkdir(path, _DIR_MODE)
    except FileExistsError:
        return
    except FileNotFoundError:
        _mkdir_private(path.parent)
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, _DIR_MODE)


def _writing(rbw: Path, name: str) -> bool:
    """Does the writer directory `rbw` hold a block file of replica `name` (``blk_<id>``)?"""
    try:
        return any(e == name or e.startswith(name + "_") for e in os.listdir(rbw))
    except OSError:
        return False


class DataNode:
    """One simulated datanode: an id, a rack and a storage directory."""

    def __init__(
        self,
        node_id: str,
        rack: str,
        directory: Path,
        bytes_per_checksum: int = 512,
        capacity: int = 64 * 1024**3,
        sync_on_close: bool = True,
    ) -> None:
        self.node_id = node_id
        self.sync_on_close = sync_on_close
        self.rack = rack
        self.directory = Path(directory)
        self.bytes_per_checksum = bytes_per_checksum
        self.capacity = capacity
        self.current = self.directory / "current"
        self.rbw = self.directory / "rbw"

    # -- life ----------------------------------------------------------------------------------
    @property
    def stopped_marker(self) -> Path:
        return self.directory.parent / f"{self.node_id}.stopped"

    @property
    def alive(self) -> bool:
        return not self.stopped_marker.exists()

    def start(self) -> None:
        """Start (or restart) the node: recreate its storage if it was wiped (mode 700), drop
        partial replicas left by writers that died (each writing process has its own
        rbw/<pid>/)."""
        for d in (self.directory, self.current, self.rbw):
            _mkdir_private(d)
            if stat.S_IMODE(os.stat(d).st_mode) != _DIR_MODE:
                os.chmod(d, _DIR_MODE)
        for entry in os.scandir(self.rbw):
            if not entry.name.isdigit() or not pid_alive(int(entry.name)):
                shutil.rmtree(entry.path, ignore_errors=True)

    # -- layout --------------------------------------------------------------------------------
    def block_path(self, block_id: int) -> Path:
        block_id = int(block_id)  # ids are integers: nothing else can reach the file name
        return self.current / f"subdir{block_id % SUBDIRS:02d}" / f"blk_{block_id}"

    def meta_path(self, block_id: int) -> Path:
        p = self.block_path(block_id)
        return p.with_name(p.name + ".meta")

    def has_block(self, block_id: int) -> bool:
        return self.block_path(block_id).exists()

    def block_length(self, block_id: int) -> int:
        return self.block_path(block_id).stat().st_size

    def block_report(self) -> BlockReport:
        """Every finalized replica on this node with its length, and the ids whose meta file
        fails the cheap check (DatanodeProtocol's block report). Meta files left without their
        block by a writer that died between the two renames of a finalize are removed."""
        lengths: dict[int, int] = {}
        damaged: list[int] = []
        if not self.current.exists():
            return BlockReport(lengths)
        for sub in os.scandir(self.current):
            if not sub.is_dir():
                continue
            try:
                entries = {e.name: e for e in os.scandir(sub.path)}
            except OSError as e:  # an unreadable directory: its replicas are not reported
                log.warning("%s: cannot list %s: %s", self.node_id, sub.path, e)
                continue
            self._scan_subdir(entries, lengths, damaged)
        return BlockReport(lengths, tuple(sorted(damaged)))

    def _scan_subdir(
        self, entries: dict[str, os.DirEntry], lengths: dict[int, int], damaged: list[int]
    ) -> None:
        """Add one current/subdir<NN>'s replicas to a block report being built."""
        for name, entry in entries.items():
            if not name.startswith("blk_"):
                continue
            if name.endswith(".meta"):
                if name[:-5] not in entries:
                    self._drop_orphan_meta(Path(entry.path))
                continue
            try:
                block_id, length = int(name[4:]), entry.stat().st_size
            except (ValueError, OSError):
                continue
            if meta_problem(entry.path + ".meta", length) is not None:
                if not os.path.exists(entry.path):
                    continue  # deleted while we looked (block first, then meta)
                damaged.append(block_id)
            lengths[block_id] = length

    def _drop_orphan_meta(self, meta: Path) -> None:
        """Remove a meta file with no block file, unless a live writer is between the two
        renames of its finalize (its block file still in rbw/<pid>/)."""
        name = meta.name[:-5]
        try:
            writers = [e.name for e in os.scandir(self.rbw) if e.name.isdigit()]
        except OSError:
            return
        for pid in writers:
            if _writing(self.rbw / pid, name) and pid_alive(int(pid)):
                return
        if meta.with_name(name).exists():
            return  # finalized in the meantime
        log.info("%s: removing %s, a checksum file without its block", self.node_id, meta)
        meta.unlink(missing_ok=True)

    def used(self, report: BlockReport | None = None) -> int:
        report = self.block_report() if report is None else report
        return sum(report.lengths.values())

    # -- data ----------------------------------------------------------------------------------
    def open_writer(self, block_id: int) -> BlockWriter:
        if not self.alive:
            raise DFSError(f"datanode {self.node_id} is stopped")
        return BlockWriter(self, int(block_id))

    def read(self, block_id: int, offset: int, length: int) -> bytes:
        """Read part of a replica, verifying checksums (DFSChecksumError on a mismatch)."""
        if not self.alive:
            raise DFSError(f"datanode {self.node_id} is stopped")
        what = f"{self.node_id}:blk_{block_id}"
        try:
            return read_verified(
                self.block_path(block_id), self.meta_path(block_id), offset, length, what
            )
        except FileNotFoundError:
            raise DFSError(f"replica {what} not found") from None

    def verify_replica(self, block_id: int, length: int | None = None) -> str | None:
        """The block scanner's deep check of one whole replica: its length (when the committed
        `length` is given), the meta file, and every CRC. None when good, else the problem.
        Raises DFSError when the node is stopped or holds no such replica."""
        if not self.alive:
            raise DFSError(f"datanode {self.node_id} is stopped")
        try:
            size = self.block_length(block_id)
        except FileNotFoundError:
            raise DFSError(f"replica {self.node_id}:blk_{block_id} not found") from None
        if length is not None and size != length:
            return f"length {size} differs from the block's length {length}"
        problem = meta_problem(self.meta_path(block_id), size)
        if problem is not None:
            return problem
        step = 64 * SPAN
        try:
            for off in range(0, size, step):
                self.read(block_id, off, min(step, size - off))
        except DFSChecksumError as e:
            return str(e)
        except OSError as e:
            return f"unreadable: {e}"
        return None

    def verify(self, block_id: int) -> bool:
        """True when the replica passes `verify_replica`."""
        try:
            return self.verify_replica(block_id) is None
        except DFSError:
            return False

    # -- the namenode's commands ----------------------------------------------------------------
    def execute(self, command: Any, access: DatanodeAccess | None = None) -> CommandResult:
        """Carry out a command from a heartbeat reply: ReplicateCommand (push this node's replica
        through a pipeline to the targets, reached through `access`: the embedded cluster's
        `LocalDatanodes`, else DataTransferProtocol over TCP) or DeleteCommand. Other commands
        (re-register) are the daemon's, not the storage's: nothing is done."""
        if isinstance(command, DeleteCommand):
            for block_id in command.block_ids:
                self.delete_block(block_id)
            return CommandResult(deleted=tuple(command.block_ids))
        if isinstance(command, ReplicateCommand):
            if access is None:
                access = TcpDatanodes(self.bytes_per_checksum, client=f"datanode {self.node_id}")
            return self.replicate(command, access)
        return CommandResult()

    def replicate(self, cmd: ReplicateCommand, access: DatanodeAccess) -> CommandResult:
        """Send this node's replica of a block to `cmd.targets` (HDFS's DataTransfer), verified
        as it is read; a replica that fails verification, or whose length differs from the
        block's, is not sent and comes back as `bad_source`."""
        block_id = cmd.block_id
        try:
            length = self.block_length(block_id)
        except FileNotFoundError:
            return CommandResult(errors=((self.node_id, f"replica blk_{block_id} not found"),))
        if cmd.length >= 0 and length != cmd.length:
            why = f"length {length} differs from the block's length {cmd.length}"
            return CommandResult(bad_source=why)

        def packets() -> Iterator[tuple[bytes, bytes]]:
            step = 4 * 1024 * 1024
            for off in range(0, length, step):
                chunk = self.read(block_id, off, min(step, length - off))
                yield chunk, crcs_to_bytes(chunk_crcs(chunk, self.bytes_per_checksum))

        try:
            done, errors = push_block(access, block_id, cmd.genstamp, cmd.targets, packets)
        except DFSChecksumError as e:
            log.warning("%s: not replicating blk_%d: %s", self.node_id, block_id, e)
            return CommandResult(bad_source=str(e))
        for node_id, why in errors.items():
            log.warning("%s: blk_%d to %s failed: %s", self.node_id, block_id, node_id, why)
        return CommandResult(replicated=tuple(done), errors=tuple(errors.items()))

    def delete_block(self, block_id: int) -> None:
        """Remove a replica: the block file first, then its meta file."""
        self.block_path(block_id).unlink(missing_ok=True)
        self.meta_path(block_id).unlink(missing_ok=True)
