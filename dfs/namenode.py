"""The NameNode: the namespace, the journal that makes it durable, and the block map.

Owns every metadata operation of the filesystem (the client protocol) and the datanode side of
the conversation (registration, heartbeats, block reports, bad-block reports), answering with
commands rather than calling out. It never touches block data and never imports the transport:
`dfs.rpc` or the embedded cluster call it.

Durability and sharing: every mutation is checked, written to the edit log, and only then
applied in memory, all under an exclusive file lock on the namenode directory. The fsync that
makes it survive a power cut comes after the lock is released and before the call returns
(group commit, HDFS's logSync: one fsync covers every write before it, and readers never wait
for one); a write or fsync that fails is reported to the caller, who was acknowledged nothing.
On taking the lock the namenode first replays whatever other processes appended
since (the embedded cluster lets several commands and task processes share one state
directory, each with its own NameNode object over the same journal). When the log grows past
`dfs.namenode.checkpoint.txns` records (or, sooner, than the image has inodes), the image is
checkpointed and the log restarted when a NameNode next starts.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from dfs import editlog, faults, replay, storage
from dfs.blockmanager import BlockManager
from dfs.conf import (
    Configuration,
    client_namenode_keys,
    cluster_settings,
    user_groups,
    write_cluster_site,
)
from dfs.datanode import pid_alive
from dfs.datanodemanager import DatanodeManager
from dfs.errors import (
    DFSAlreadyBeingCreated,
    DFSAlreadyFormatted,
    DFSError,
    DFSFileNotFound,
    DFSPermissionDenied,
)
from dfs.fsck import build_fsck_report
from dfs.fsimage import image_of, namespace_of
from dfs.namespace import (
    EXECUTE,
    READ,
    WRITE,
    Block,
    Caller,
    FsLimits,
    INode,
    INodeFile,
    Namespace,
    walk,
    walk_files,
)
from dfs.paths import check_path_length, normalize, parent
from dfs.protocol import (
    BlockReport,
    ContentSummary,
    DatanodeInfo,
    DatanodeRegistration,
    FileStatus,
    FsckReport,
    FsStatus,
    HeartbeatReply,
    LocatedBlock,
    StorageReport,
)
from dfs.safemode import SafeMode

log = logging.getLogger(__name__)

faults.register("namenode.before_journal", "NameNode._journal, before the edit-log append")
faults.register(
    "namenode.after_journal",
    "NameNode._journal, after the records are written to the edit log (fsync'd when the lock"
    " is released), before they are applied",
)
faults.register(
    "namenode.checkpoint.after_image",
    "NameNode.checkpoint, after the new fsimage is renamed in, before the edit log restarts",
)

FIRST_BLOCK_ID = (1 << 30) + 1
FIRST_GENSTAMP = 1001
# What Hadoop's first-run guides create right after formatting (`hdfs dfs -mkdir -p /tmp
# /user/<name>`, `hdfs dfs -chmod 1777 /tmp`): a shared scratch directory (Pig's and
# MapReduce's temporary data) and the formatting user's home, which relative paths start from.
FIRST_RUN_DIRS = (("/tmp", 0o1777), ("/user", 0o755), ("/user/{user}", 0o755))
#: In the embedded mode, `dfsadmin -safemode enter` leaves this file in the namenode directory
#: until `leave`: every command opens its own NameNode, and each must find safe mode on.
SAFEMODE_MARKER = "safemode"
#: The host named in lease messages: every client of this one-machine cluster is local.
CLIENT_MACHINE = "127.0.0.1"


#: the fewest records in the log that make a NameNode's start checkpoint (`_checkpoint_after`):
#: a checkpoint's image write and fsyncs cost about what replaying this many records does
MIN_CHECKPOINT_EDITS = 200


def holder_alive(holder: str) -> bool:
    """Is the writer behind a lease holder name (``DFSClient_<pid>_<hex>``) still running?
    Names of another shape count as alive (their lease is never taken away)."""
    try:
        pid = int(holder.split("_")[1])
    except (IndexError, ValueError):
        return True
    return pid_alive(pid)


def now_ms() -> int:
    return int(time.time() * 1000)


class NameNode:
    """Metadata service over a namenode directory (``<home>/namenode``)."""

    def __init__(
        self,
        directory: Path,
        conf: Configuration,
        replica_probe: Callable[[int], set[str]] | None = None,
        recovery: Callable[[str], str] | None = None,
        *,
        embedded: bool = False,
        sole_owner: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Open a formatted namenode directory (refused when unformatted or damaged).

        `recovery` (only for `hadoop namenode -recover`) is asked about each damaged edit and
        answers "skip" or "stop"; what it dropped is listed in `recovered`. `embedded`: the
        embedded cluster's NameNode (every datanode reports as it opens, and a stopped one is
        declared dead by the cluster): no startup safe mode and no heartbeat expiry. `clock`
        (monotonic seconds) times heartbeats, safe mode and pending replications. `sole_owner`
        (the NameNode daemon): this object holds the directory's lock for its whole life, so a
        call takes only the thread lock, with no flock and no check for others' edits.
        """
        self.directory = Path(directory)
        self.conf = conf
        self.version = storage.check_namenode_dir(self.directory)
        storage.keep_private(self.directory)
        self._recovery = recovery
        self.recovered: list[str] = []
        self.clock = clock
        self.embedded = embedded
        # embedded datanodes copy while the tick waits: nothing is ever in flight there
        pending_timeout = conf.get_float("dfs.namenode.reconstruction.pending.timeout-sec")
        self.blocks = BlockManager(clock, 0.0 if embedded else pending_timeout)
        self._init_datanode_settings(conf)
        self.replica_probe = replica_probe
        self.holder_alive: Callable[[str], bool] = holder_alive
        self.pending_deletes: list[tuple[int, set[str]]] = []
        self._lock_fd = os.open(self.directory / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        self._sole_owner = False
        self._lock_depth = 0
        self._thread_lock = threading.RLock()  # threads of this process (RPC handlers)
        self._unsynced = threading.local()  # per thread: the edit-log bytes it awaits a sync of
        self._edits = editlog.EditLog(self.directory / "edits")
        self._edits_ino = -1
        self._edits_offset = 0
        self.checkpoint_txns = conf.get_int("dfs.namenode.checkpoint.txns")
        self.umask = int(str(conf.get("fs.permissions.umask-mode")), 8)
        self.settings = cluster_settings(self.directory)  # the cluster's, never a client's
        self._groups: dict[str, tuple[str, ...]] = {}
        for key in client_namenode_keys(conf):
            log.debug("ignoring the client's %s: the NameNode's own setting applies", key)
        with self.locked():
            self._update_safemode()
            if sole_owner:  # from now on no other process may write here: keep the flock
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
                self._sole_owner = True

    # -- formatting ----------------------------------------------------------------------------
    @staticmethod
    def format(
        directory: Path,
        conf: Configuration,
        superuser: str,
        force: bool = False,
        first_dirs: bool = False,
    ) -> str:
        """Create an empty namespace in `directory`; returns the new cluster id.

        Refuses (without -force) when the directory holds any namenode metadata, even the
        remains of a damaged cluster. With `first_dirs` the namespace starts with the
        directories of Hadoop's first-run set-up (`FIRST_RUN_DIRS`)."""
        directory = Path(directory)
        if not force:
            NameNode.refuse_existing(directory)
        directory.mkdir(parents=True, exist_ok=True)
        os.chmod(directory, storage.DIR_MODE)
        write_cluster_site(directory, conf)  # the NameNode's own settings, from this command
        for name in ("fsimage", "edits", "VERSION", SAFEMODE_MARKER):
            (directory / name).unlink(missing_ok=True)
        supergroup = conf.get_str("dfs.permissions.superusergroup")
        ns = Namespace(superuser, supergroup, now_ms())
        for path, mode in FIRST_RUN_DIRS if first_dirs else ():
            ns.mkdir(path.format(user=superuser), superuser, None, mode, ns.root.mtime)
        image = image_of(ns, txid=0, next_block_id=FIRST_BLOCK_ID, genstamp=FIRST_GENSTAMP)
        cluster_id = storage.new_cluster_id()
        image["cluster_id"] = cluster_id
        editlog.write_image(directory / "fsimage", image)
        editlog.EditLog(directory / "edits").create(start_txid=1)
        version = storage.namenode_version(cluster_id, superuser)
        storage.write_version(directory / "VERSION", version)
        storage.secure_namenode_dir(directory)
        return cluster_id

    @staticmethod
    def refuse_existing(directory: Path) -> None:
        """DFSAlreadyFormatted when `directory` holds namenode metadata: HDFS's "Data appears
        to exist" for a sound cluster, the remains of a damaged one named as such."""
        if not storage.has_metadata(directory):
            return
        try:
            storage.check_namenode_dir(directory)
        except DFSError:
            raise DFSAlreadyFormatted(
                f"namenode storage {directory} already holds a cluster (or what is left of "
                "one); re-run with -force to erase it (hadoop namenode -format -force)",
                str(directory),
            ) from None
        raise DFSAlreadyFormatted(
            f"Data appears to exist in Storage Directory {directory} (a formatted cluster). "
            "Not formatting. To erase the cluster and every file in it, re-run with -force: "
            "hadoop namenode -format -force",
            str(directory),
        )

    # -- locking and catching up ---------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the namespace lock (reentrant), with every other process's edits applied.

        Two levels: a thread lock serializes this process's threads (the RPC server runs calls
        on many), and under it the flock serializes processes sharing the state directory."""
        outermost = False
        try:
            with self._thread_lock:
                if self._lock_depth == 0:
                    outermost = True  # its journaled records are synced on the way out
                if outermost and not self._sole_owner:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
                    try:
                        self._catch_up()
                    except BaseException:
                        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                        raise
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                    if self._lock_depth == 0 and not self._sole_owner:
                        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        finally:
            if outermost:
                self._sync_journal()

    def _sync_journal(self) -> None:
        """Make this thread's journaled records durable, after the lock is released (group
        commit: readers and other writers do not wait for this fsync; the caller's reply
        does, since it is sent only when `locked()` has returned)."""
        pending = self._unsynced.__dict__.pop("pending", None)
        if pending is not None:
            generation, upto = pending
            self._edits.sync(upto, generation)

    def _catch_up(self) -> None:
        path = self.directory / "edits"
        try:
            st = os.stat(path)
        except FileNotFoundError:
            storage.check_namenode_dir(self.directory)  # names the missing file
            raise
        # our open fd pins the inode, so an equal number is our file; once closed, it may not be
        if st.st_ino != self._edits_ino or not self._edits.is_open:
            reload = self._edits_ino != -1
            self._load()
            if reload:  # another process checkpointed: the block map starts empty again
                self._probe(list(self.blocks.expected))
            return
        if st.st_size == self._edits_offset:
            return
        found = editlog.scan(path, self._edits_offset)
        self._replay(found, self.txid + 1, path)
        end = found.end
        if end < st.st_size:
            log.warning("dropping a torn record at the end of %s (offset %d)", path, end)
            self._edits.open(good_end=end)
        self._edits_offset = end

    def _load(self) -> None:
        image_path = self.directory / "fsimage"
        image = editlog.read_image(image_path)
        self.ns = namespace_of(image, self.settings.permissions_enabled, image_path)
        self.ns.supergroup = self.settings.superusergroup
        self.ns.limits = FsLimits(
            self.settings.max_component_length, self.settings.max_directory_items
        )
        self.txid = image["txid"]
        self.next_block_id = image["next_block_id"]
        self.genstamp = image["genstamp"]
        self.cluster_id = image.get("cluster_id", "")
        if self.cluster_id and self.cluster_id != self.version["clusterID"]:
            raise storage.inconsistent_ids(
                self.directory, self.version["clusterID"], self.cluster_id
            )
        self.blocks.clear_blocks()
        for f in walk_files(self.ns.root):
            complete = f.lease_holder is None
            for b in f.blocks:
                length = b.length if complete else None
                self.blocks.add_block(b.block_id, f.replication, length, b.genstamp)
        self._restore_corrupt_marks(image.get("corrupt_replicas"))
        path = self.directory / "edits"
        found = editlog.scan(path)
        start = found.start_txid  # None: a damaged header (reported): assume the image's next
        self._replay(found, self.txid + 1 if start is None else start, path)
        self._edits.open(good_end=found.end)
        self._edits_ino = os.stat(path).st_ino
        self._edits_offset = found.end
        if len(found.entries) > self._checkpoint_after(image) and self._recovery is None:
            try:
                self.checkpoint()
            except OSError as e:  # DFSStorageWriteError: the old image and log are still whole
                log.warning("checkpoint skipped: %s", e)

    def _checkpoint_after(self, image: dict) -> int:
        """How many records in the log make the start save a new image (and restart the log):
        more than ``dfs.namenode.checkpoint.txns`` (Hadoop's needsResaveBasedOnStaleCheckpoint
        at a NameNode's start), or sooner, more than the image has inodes (at least
        `MIN_CHECKPOINT_EDITS`): every command opens the NameNode, and replaying a record costs
        more than loading an inode, so a start never replays more than a small multiple of
        the image's load, whatever the commands before it wrote."""
        inodes = len(image.get("inodes") or ())
        return min(self.checkpoint_txns, max(MIN_CHECKPOINT_EDITS, inodes))

    def _replay(self, found: editlog.LogScan, start_txid: int, path: Path) -> None:
        """Apply the scanned records numbered above `self.txid`, each checked first: a bad
        one stops the start (or, in recovery mode, is skipped or ends the replay)."""
        bad = {b.index: b for b in found.bad}
        txid = start_txid
        for i, (offset, record) in enumerate(found.entries):
            section = bad.get(i)
            if section is not None:
                where = f"byte {section.offset} (after txid {txid - 1})"
                if self._damaged(path, where, section.reason, found.entries[i:]) == "stop":
                    return
            if txid > self.txid:
                why = editlog.shape_problem(record) or replay.problem(self.ns, record)
                if why is None:
                    self._apply(record)
                else:
                    where = f"byte {offset} (txid {txid})"
                    what = f"{editlog.describe(record)}: {why}"
                    if self._damaged(path, where, what, found.entries[i:]) == "stop":
                        return
                self.txid = txid
            txid += 1

    def _damaged(self, path: Path, where: str, what: str, rest: list) -> str:
        """Refuse to start, or (recovery mode) ask what to do: "skip" or "stop"."""
        message = f"edit log {path} is damaged at {where}: {what}"
        if self._recovery is None:
            raise editlog.EditLogCorrupt(
                f"{message}. The NameNode cannot start: {editlog.RECOVER_HINT}", str(path)
            )
        choice = self._recovery(message)
        if choice == "stop":
            self.recovered.append(f"{message} (stopped here)")
            self.recovered += [f"dropped: {editlog.describe(r)}" for _, r in rest[1:]]
        else:
            self.recovered.append(f"{message} (skipped)")
        return choice

    def checkpoint(self) -> None:
        """Write a new image of the current namespace and restart the edit log."""
        with self.locked():
            image = image_of(self.ns, self.txid, self.next_block_id, self.genstamp)
            image["cluster_id"] = self.cluster_id
            image["corrupt_replicas"] = self.blocks.corrupt_marks()
            editlog.write_image(self.directory / "fsimage", image)
            faults.crash_point("namenode.checkpoint.after_image")
            self._edits.create(start_txid=self.txid + 1)
            self._edits.open()
            self._edits_ino = os.stat(self.directory / "edits").st_ino
            self._edits_offset = self._edits.size

    def close(self) -> None:
        """Release the edit log's file descriptor (the object is done with)."""
        self._edits.close()

    def _journal(self, *records: list) -> None:
        """Make records durable, then apply them (the caller holds the lock)."""
        faults.crash_point("namenode.before_journal")
        try:
            self._edits_offset = self._edits.append(list(records), sync=False)
        except DFSError as e:  # a failed write: nothing is applied, nothing acknowledged
            e.args = (f"{editlog.describe(records[0])}: {e.message}",)
            raise
        self._unsynced.pending = (self._edits.generation, self._edits_offset)
        faults.crash_point("namenode.after_journal")
        for record in records:
            self.txid += 1
            self._apply(record)

    # -- applying records ------------------------------------------------------------------------
    def _apply(self, r: list) -> None:
        op = r[0]
        ns = self.ns
        if op == "mkdir":
            _, path, owner, group, mode, mtime = r
            ns.mkdir(path, owner, group, mode, mtime)
        elif op == "create":
            _, path, owner, group, mode, mtime, repl, blocksize, holder = r
            old = ns.find(path)
            if old is not None:
                self._forget_blocks(old)
            ns.create(path, owner, group, mode, mtime, repl, blocksize, holder)
        elif op == "add_block":
            _, path, block_id, genstamp = r
            f = ns.file(path)
            f.blocks.append(Block(block_id, genstamp, 0))
            self.next_block_id = max(self.next_block_id, block_id + 1)
            self.blocks.add_block(block_id, f.replication, genstamp=genstamp)
        elif op == "abandon_block":
            _, path, block_id = r
            f = ns.file(path)
            f.blocks = [b for b in f.blocks if b.block_id != block_id]
            self.pending_deletes.append((block_id, self.blocks.remove_block(block_id)))
        elif op == "close":
            _, path, mtime, lengths = r
            f = ns.file(path)
            for b, n in zip(f.blocks, lengths):
                b.length = n
                self.blocks.commit(b.block_id, n)
            f.lease_holder = None
            f.mtime = f.atime = mtime
            self._probe([b.block_id for b in f.blocks])
        elif op == "delete":
            _, path, mtime = r
            self._forget_blocks(ns.delete(path, mtime))
        elif op == "rename":
            _, src, dst, mtime = r
            ns.rename(src, dst, mtime)
        elif op == "rename2":
            _, src, dst, mtime, overwrite = r
            replaced = ns.rename(src, dst, mtime, overwrite=bool(overwrite))
            if replaced is not None:
                self._forget_blocks(replaced)
        elif op == "chmod":
            ns.lookup(r[1]).mode = r[2]
        elif op == "chown":
            node = ns.lookup(r[1])
            node.owner = r[2] or node.owner
            node.group = r[3] or node.group
        elif op == "setrep":
            f = ns.file(r[1])
            f.replication = r[2]
            for b in f.blocks:
                self.blocks.set_replication(b.block_id, r[2])
        elif op == "times":
            node = ns.lookup(r[1])
            node.mtime, node.atime = r[2], r[3]
        elif op == "replicas":
            self._probe(r[1])
        elif op in ("corrupt_replica", "corrupt_replica_removed"):
            self._apply_corrupt_mark(r)
        else:
            raise editlog.EditLogCorrupt(f"unknown edit log operation {op!r}")

    def _forget_blocks(self, node: INode) -> None:
        for f in walk_files(node):
            for b in f.blocks:
                self.pending_deletes.append((b.block_id, self.blocks.remove_block(b.block_id)))

    def _probe(self, block_ids: list[int]) -> None:
        if self.replica_probe is None:
            return
        for block_id in block_ids:
            if block_id in self.blocks.expected:
                self.blocks.set_replicas(block_id, self.replica_probe(block_id))

    def _apply_corrupt_mark(self, r: list) -> None:
        """``["corrupt_replica" | "corrupt_replica_removed", block id, node id]``."""
        if len(r) != 3 or not isinstance(r[1], int) or not isinstance(r[2], str):
            raise editlog.EditLogCorrupt(f"malformed {r[0]} record in the edit log: {r!r}")
        if r[0] == "corrupt_replica":
            self.blocks.mark_corrupt(r[1], r[2])
        else:
            self.blocks.unmark_corrupt(r[1], r[2])

    def _restore_corrupt_marks(self, marks: object) -> None:
        """The image's corrupt-replica marks (advisory: a malformed one is skipped, since a
        reader or the block scanner finds the replica again)."""
        for mark in marks if isinstance(marks, list) else ():
            if (
                isinstance(mark, list)
                and len(mark) == 2
                and isinstance(mark[0], int)
                and isinstance(mark[1], list)
            ):
                for node_id in mark[1]:
                    if isinstance(node_id, str):
                        self.blocks.mark_corrupt(mark[0], node_id)
            else:
                log.warning("fsimage: skipping a malformed corrupt-replica mark %r", mark)

    # -- identity ------------------------------------------------------------------------------
    def _caller(self, user: str) -> Caller:
        """Who asks: the user name with its groups as the NameNode maps them (never the
        client's say), the superuser and supergroup from the cluster's own settings."""
        groups = self._groups.get(user)
        if groups is None:
            groups = self._groups[user] = user_groups(user, self.settings)
        return self.ns.caller(user, groups)

    def _new_mode(self, mode: int | None, is_dir: bool) -> int:
        if mode is not None:
            return mode & 0o7777
        return (0o777 if is_dir else 0o666) & ~self.umask

    # -- client protocol: reads ------------------------------------------------------------------
    def get_status(self, user: str, path: str) -> FileStatus:
        with self.locked():
            return self.ns.status(self.ns.lookup(path, self._caller(user)))

    def check_access(self, user: str, path: str, access: int) -> None:
        """HDFS's checkAccess (FileSystem.access): EXECUTE on every ancestor of `path`, then
        `access` (READ 4, WRITE 2, EXECUTE 1, or them together) on it by the NameNode's rules
        (owner, group or other bits; the superuser may do anything); raises
        DFSPermissionDenied, or DFSFileNotFound."""
        with self.locked():
            caller = self._caller(user)
            self.ns.check(caller, self.ns.lookup(path, caller), access & 7)

    def get_listing(self, user: str, path: str) -> list[FileStatus]:
        with self.locked():
            caller = self._caller(user)
            node = self.ns.lookup(path, caller)
            if not node.is_dir:
                return [self.ns.status(node)]
            self.ns.check(caller, node, READ | EXECUTE)
            kids = node.children  # type: ignore[attr-defined]
            return [self.ns.status(kids[name]) for name in sorted(kids)]

    def get_block_locations(
        self,
        user: str,
        path: str,
        start: int = 0,
        length: int | None = None,
        client_node: str | None = None,
    ) -> tuple[int, list[LocatedBlock]]:
        with self.locked():
            caller = self._caller(user)
            f = self.ns.file(path, caller)
            self.ns.check(caller, f, READ)
            end = f.length if length is None else start + length
            located, offset = [], 0
            for b in f.blocks:
                if (
                    offset + b.length > start
                    and offset < end
                    or (b.length == 0 and offset == start)
                ):
                    locations = self.blocks.sorted_locations(b.block_id, client_node)
                    bad = tuple(sorted(self.blocks.corrupt.get(b.block_id, ())))
                    located.append(
                        LocatedBlock(
                            b.block_id,
                            b.genstamp,
                            offset,
                            b.length,
                            tuple(locations),
                            bad,
                        )
                    )
                offset += b.length
            return f.length, located

    def content_summary(self, user: str, path: str) -> ContentSummary:
        """Counts and sizes of a subtree: READ_EXECUTE on every directory in it (HDFS)."""
        with self.locked():
            caller = self._caller(user)
            node = self.ns.lookup(path, caller)
            self.ns.check_subtree(caller, node, READ | EXECUTE)
            length = files = dirs = consumed = 0
            for n in walk(node):
                if n.is_dir:
                    dirs += 1
                else:
                    size = n.length  # type: ignore[attr-defined]
                    files += 1
                    length += size
                    consumed += size * n.replication  # type: ignore[attr-defined]
            return ContentSummary(length, files, dirs, consumed)

    # -- client protocol: writes -----------------------------------------------------------------
    def mkdirs(self, user: str, path: str, mode: int | None = None) -> bool:
        with self.locked():
            caller = self._caller(user)
            path = normalize(path)
            self._check_writable(f"Cannot create directory {path}", path)
            check_path_length("mkdirs", path)
            missing = self.ns.check_mkdirs(path, caller)
            t = now_ms()
            mode = self._new_mode(mode, True)
            self._journal(*(["mkdir", p, user, None, mode, t] for p in missing))
            return True

    def mkdir(self, user: str, path: str, mode: int | None = None) -> None:
        with self.locked():
            path = normalize(path)
            if self.ns.find(path) is not None:
                from dfs.errors import DFSFileExists

                raise DFSFileExists(f"`{path}': File exists", path)
            if self.ns.find(parent(path)) is None:
                raise DFSFileNotFound(f"`{path}': No such file or directory", path)
            self.mkdirs(user, path, mode)

    def create(
        self,
        user: str,
        path: str,
        holder: str,
        overwrite: bool = False,
        replication: int | None = None,
        blocksize: int | None = None,
        mode: int | None = None,
        create_parent: bool = True,
    ) -> FileStatus:
        with self.locked():
            caller = self._caller(user)
            path = normalize(path)
            self._check_writable(f"Cannot create file {path}", path)
            check_path_length("create", path)
            if create_parent and parent(path) != "/":
                self.mkdirs(user, parent(path))
            abandoned = self._check_lease_free(path, holder)
            self.ns.check_create(path, caller, overwrite or abandoned)
            repl = replication or self.conf.get_int("dfs.replication")
            bs = blocksize or self.conf.get_bytes("dfs.blocksize")
            self._journal(
                [
                    "create",
                    path,
                    user,
                    None,
                    self._new_mode(mode, False),
                    now_ms(),
                    repl,
                    bs,
                    holder,
                ]
            )
            return self.ns.status(self.ns.lookup(path))

    def _check_lease_free(self, path: str, holder: str) -> bool:
        """HDFS's recoverLeaseInternal for a create: a file another live client is writing is
        refused whatever `overwrite` says; True when the file was left by a dead writer (never
        acknowledged: the create replaces it, as lease recovery would have removed it)."""
        node = self.ns.find(path)
        owner = getattr(node, "lease_holder", None)  # directories and absent paths: None
        if owner is None:
            return False
        if owner == holder:
            reason = f"{holder} is already the current lease holder."
        elif self.holder_alive(owner):
            reason = f"this file lease is currently owned by {owner} on {CLIENT_MACHINE}"
        else:
            log.warning("%s: replacing the unclosed file of dead writer %s", path, owner)
            return True
        raise DFSAlreadyBeingCreated(
            f"Failed to CREATE_FILE {path} for {holder} on {CLIENT_MACHINE} because {reason}", path
        )

    def _file_under_construction(self, path: str, holder: str) -> INodeFile:
        f = self.ns.file(path)
        if f.lease_holder != holder:
            raise DFSError(
                f"`{path}': lease mismatch: the file is not open for writing by {holder}",
                path,
            )
        return f

    def add_block(
        self,
        user: str,
        path: str,
        holder: str,
        client_node: str | None = None,
        exclude: tuple[str, ...] = (),
    ) -> tuple[LocatedBlock, list[str]]:
        """Allocate the next block of a file being written, and its pipeline targets."""
        with self.locked():
            self._check_writable(f"Cannot add block to {path}", path)
            f = self._file_under_construction(path, holder)
            block_id = self.next_block_id
            targets = self.blocks.choose_targets(
                block_id, f.replication, writer=client_node, exclude=set(exclude)
            )
            if not targets:
                from dfs.errors import DFSQuotaOrSpace

                raise DFSQuotaOrSpace(
                    f"`{path}': could only be written to 0 of the "
                    f"{self.conf.get_int('dfs.replication.min', 1)} minimum datanodes: "
                    f"no datanode is running",
                    path,
                )
            self._journal(["add_block", path, block_id, self.genstamp])
            offset = sum(b.length for b in f.blocks[:-1])
            located = LocatedBlock(
                block_id,
                self.genstamp,
                offset,
                0,
                tuple(self.blocks.nodes[t].info() for t in targets),
            )
            return located, targets

    def abandon_block(self, user: str, path: str, holder: str, block_id: int) -> None:
        with self.locked():
            self._check_writable(f"Cannot abandon block blk_{block_id} for file {path}", path)
            self._file_under_construction(path, holder)
            self._journal(["abandon_block", path, block_id])

    def complete(
        self,
        user: str,
        path: str,
        holder: str,
        lengths: list[int],
        replicas: list[list[str]],
    ) -> None:
        """Close a file: its block lengths and the nodes that finalized each replica."""
        with self.locked():
            self._check_writable(f"Cannot complete file {path}", path)
            f = self._file_under_construction(path, holder)
            for b, nodes in zip(f.blocks, replicas):
                for n in nodes:
                    self.blocks.add_replica(b.block_id, n)
            self._journal(["close", path, now_ms(), list(lengths)])

    def delete(self, user: str, path: str, recursive: bool = False) -> bool:
        with self.locked():
            path = normalize(path)
            self._check_writable(f"Cannot delete {path}", path)
            self.ns.check_delete(path, self._caller(user), recursive)
            self._journal(["delete", path, now_ms()])
            return True

    def rename(self, user: str, src: str, dst: str, overwrite: bool | None = None) -> str:
        """HDFS's rename (``overwrite=None``: into `dst` when it is a directory) or rename2
        (a bool: `dst` is the new name; an existing one is replaced, in the same journal record,
        only with ``overwrite=True``). Returns the final path."""
        with self.locked():
            src, dst = normalize(src), normalize(dst)
            self._check_writable(f"Cannot rename {src}", src)
            check_path_length("rename", dst)
            final = self.ns.check_rename(src, dst, self._caller(user), overwrite)
            if overwrite is not None:
                self._journal(["rename2", src, final, now_ms(), int(overwrite)])
            elif final != src:
                self._journal(["rename", src, final, now_ms()])
            return final

    def set_permission(self, user: str, path: str, mode: int) -> None:
        with self.locked():
            self._check_writable(f"Cannot set permission for {path}", path)
            node = self.ns.lookup(path, self._caller(user))
            self.ns.check_owner(self._caller(user), node)
            self._journal(["chmod", normalize(path), mode & 0o7777])

    def set_owner(self, user: str, path: str, owner: str | None, group: str | None) -> None:
        with self.locked():
            self._check_writable(f"Cannot set owner for {path}", path)
            caller = self._caller(user)
            node = self.ns.lookup(path, caller)
            self.ns.check_set_owner(caller, node, owner, group)
            self._journal(["chown", normalize(path), owner, group])

    def set_replication(self, user: str, path: str, replication: int) -> bool:
        with self.locked():
            self._check_writable(f"Cannot set replication for {path}", path)
            caller = self._caller(user)
            f = self.ns.file(path, caller)
            self.ns.check(caller, f, WRITE)
            if replication < 1:
                raise DFSError(f"replication must be at least 1, got {replication}", path)
            self._journal(["setrep", normalize(path), int(replication)])
            return True

    def set_times(self, user: str, path: str, mtime: int, atime: int) -> None:
        with self.locked():
            self._check_writable(f"Cannot set times {path}", path)
            caller = self._caller(user)
            node = self.ns.lookup(path, caller)
            self.ns.check(caller, node, WRITE)
            self._journal(["times", normalize(path), int(mtime), int(atime)])

    # -- datanode protocol -----------------------------------------------------------------------
    def _init_datanode_settings(self, conf: Configuration) -> None:
        self.datanodes = DatanodeManager(
            self.blocks, conf, self.version["clusterID"], self.clock, expire=not self.embedded
        )
        self.min_replication = conf.get_int("dfs.namenode.replication.min")
        self.safemode = SafeMode(
            conf.get_float("dfs.namenode.safemode.threshold-pct"),
            conf.get_float("dfs.namenode.safemode.extension") / 1000,
            conf.get_int("dfs.namenode.safemode.min.datanodes"),
            on=not self.embedded,
            clock=self.clock,
        )
        if self.embedded and (self.directory / SAFEMODE_MARKER).exists():
            self.safemode.enter()  # `dfsadmin -safemode enter` by an earlier command
        self._safemode_seen: tuple[int, int, int] = (-1, -1, -1)
        self._safe_blocks = 0

    @property
    def dead_interval(self) -> float:
        """Seconds of silence after which a datanode is declared dead (HDFS's rule)."""
        return self.datanodes.dead_interval

    def register_datanode(self, reg: DatanodeRegistration) -> None:
        """A datanode (re)starts; a storage of another cluster is refused."""
        with self.locked():
            self.datanodes.register(reg)

    def heartbeat(self, node_id: str, report: StorageReport) -> HeartbeatReply:
        """A datanode is alive: its storage use in, its commands (replicate, delete) out. An
        unknown node, or one declared dead, is told to register again."""
        with self.locked():
            self.check_datanodes()
            return HeartbeatReply(self.datanodes.heartbeat(node_id, report), self.safemode.on)

    def check_datanodes(self, force_work: bool = False) -> list[str]:
        """HDFS's heartbeat check and replication monitor: declare dead the datanodes silent
        for too long (their replicas stop counting), move safe mode along, and (out of safe
        mode, at most every `work_interval`) queue the repair commands. Returns the nodes
        found dead now."""
        with self.locked():
            dead = self.datanodes.expire()
            self._update_safemode()
            if not self.safemode.on and (force_work or dead or self.datanodes.work_due()):
                for block_id, holders in self.pending_deletes:
                    for node_id in sorted(holders):
                        self.blocks.queue_delete(block_id, node_id)
                self.pending_deletes.clear()
                self.blocks.compute_work()
                self.datanodes.worked()
            return dead

    def mark_datanode_dead(self, node_id: str) -> None:
        """The embedded cluster stopped this datanode (its marker): dead now."""
        with self.locked():
            node = self.blocks.nodes.get(node_id)
            if node is not None and node.alive:
                self.blocks.mark_dead(node_id)
                self._update_safemode()

    def block_report(self, node_id: str, report: BlockReport | Mapping[int, int]) -> None:
        """A datanode's full block report: its replicas and their lengths. A replica whose
        length differs from its block's committed length, or whose checksum file fails the
        cheap check, is marked corrupt (journaled); a replica no file owns is queued for
        deletion. A dead node's replicas stop counting, its marks stay."""
        if not isinstance(report, BlockReport):
            report = BlockReport(dict(report))
        with self.locked():
            node = self.blocks.nodes.get(node_id)
            if node is None:
                raise DFSError(
                    f"datanode {node_id} is not registered with this NameNode: register first"
                )
            if not node.alive:
                self.blocks.drop_node_replicas(node_id)
                return
            outcome = self.blocks.block_report(node_id, report)
            for block_id, why in outcome.corrupt:
                log.info("blk_%d on %s is corrupt: %s", block_id, node_id, why)
            if outcome.leaked:
                log.info("%s holds %d leaked replica(s)", node_id, len(outcome.leaked))
            records = [["corrupt_replica", b, node_id] for b, _ in outcome.corrupt]
            records += [["corrupt_replica_removed", b, node_id] for b in outcome.gone]
            self._journal_marks(records)
            self._update_safemode()

    def block_received(self, node_id: str, block_id: int, length: int) -> None:
        """A datanode finalized a replica (HDFS's incremental block report): it counts now,
        unless its length is not the block's (marked corrupt); one of a block no file owns
        any more is deleted."""
        with self.locked():
            node = self.blocks.nodes.get(node_id)
            if node is None or not node.alive:
                log.info("ignoring blk_%d received by %s: not a live datanode", block_id, node_id)
                return
            if block_id not in self.blocks.expected:
                self.blocks.queue_delete(block_id, node_id)
                return
            self.blocks.add_replica(block_id, node_id)
            why = self.blocks.length_problem(block_id, length)
            if why is not None and not self.blocks.is_corrupt(block_id, node_id):
                log.info("blk_%d on %s is corrupt: %s", block_id, node_id, why)
                self._journal_marks([["corrupt_replica", block_id, node_id]])
            elif why is None and self.blocks.is_corrupt(block_id, node_id):
                self._journal_marks([["corrupt_replica_removed", block_id, node_id]])
            self._update_safemode()

    def replica_deleted(self, node_id: str, block_id: int) -> None:
        """A datanode deleted a replica (the other half of the incremental block report)."""
        with self.locked():
            if self.blocks.is_corrupt(block_id, node_id):
                self._journal_marks([["corrupt_replica_removed", block_id, node_id]])
            self.blocks.remove_replica(block_id, node_id)

    def report_bad_blocks(self, bad: list[tuple[int, str]]) -> None:
        """A reader (client, task, re-replication, the block scanner) found corrupt replicas:
        mark them durably, so every process and the next start see them; repair follows."""
        with self.locked():
            records = []
            for block_id, node_id in bad:
                block_id, node_id = int(block_id), str(node_id)
                if block_id not in self.blocks.expected:
                    continue
                if not self.blocks.is_corrupt(block_id, node_id):
                    log.info("corrupt replica of blk_%d reported on %s", block_id, node_id)
                    records.append(["corrupt_replica", block_id, node_id])
            self._journal_marks(records)

    def _journal_marks(self, records: list[list]) -> None:
        """Journal corrupt-replica marks; when the log cannot be written (a full disk), keep
        them in this process only: they are advice (a reader or the scanner finds the replica
        again), and a read or an open must not fail for want of recording them."""
        if not records:
            return
        try:
            self._journal(*records)
        except (OSError, DFSError) as e:
            log.warning("could not journal %d corrupt-replica mark(s): %s", len(records), e)
            for record in records:
                self._apply_corrupt_mark(record)

    def note_replicas_changed(self, block_ids: list[int]) -> None:
        """Journal a hint so other processes re-probe these blocks' replicas."""
        if block_ids:
            with self.locked():
                owned = sorted({b for b in block_ids if b in self.blocks.expected})
                if owned:
                    self._journal(["replicas", owned])

    def refresh_nodes(self, user: str) -> None:
        """``dfsadmin -refreshNodes``: read the exclude file (`dfs.hosts.exclude`) again."""
        with self.locked():
            self._require_superuser(user)
            self.datanodes.refresh()
            self.check_datanodes(force_work=True)

    # -- safe mode -------------------------------------------------------------------------------
    def _update_safemode(self) -> None:
        if self.safemode.status == "OFF":
            return
        live = len(self.blocks.alive_nodes())
        seen = (self.blocks.changes, len(self.blocks.lengths), live)
        if seen != self._safemode_seen:  # recount only when a replica or node changed
            self._safemode_seen = seen
            self._safe_blocks = self.blocks.safe_blocks(self.min_replication)
        self.safemode.update(self._safe_blocks, len(self.blocks.lengths), live)

    def _sync_manual_safemode(self) -> Path:
        """Embedded: follow `dfsadmin -safemode enter|leave` run by another command since this
        one opened (its marker file); returns the marker's path."""
        marker = self.directory / SAFEMODE_MARKER
        if self.embedded and self.safemode.manual != marker.exists():
            (self.safemode.leave if self.safemode.manual else self.safemode.enter)()
        return marker

    def _check_writable(self, operation: str, path: str = "") -> None:
        """Refuse a namespace change in safe mode (HDFS's SafeModeException text)."""
        self._sync_manual_safemode()
        if self.safemode.on:
            self._update_safemode()
            self.safemode.check(operation, path)

    def set_safe_mode(self, user: str, action: str) -> bool:
        """``dfsadmin -safemode get|enter|leave|forceExit``; True when safe mode is on."""
        with self.locked():
            if action not in ("get", "enter", "leave", "forceExit"):
                raise DFSError(f"safe mode action {action!r}: expected get, enter or leave")
            if action != "get":
                self._require_superuser(user)
            marker = self._sync_manual_safemode()
            if action == "enter":
                self.safemode.enter()
                if self.embedded:  # each embedded command opens anew: keep it on disk
                    storage.write_durably(marker, b"manual\n", "safemode", "safe mode marker")
            elif action != "get":
                self.safemode.leave()
                marker.unlink(missing_ok=True)
            self._update_safemode()
            return self.safemode.on

    def _require_superuser(self, user: str) -> None:
        if not self._caller(user).superuser:
            raise DFSPermissionDenied(
                f"Access denied for user {user}. Superuser privilege is required"
            )

    def recover_leases(self, is_alive: Callable[[str], bool]) -> list[str]:
        """Delete files left under construction by writers that died: never acknowledged.
        Nothing happens in safe mode (as HDFS's lease monitor)."""
        with self.locked():
            if self.safemode.on:
                return []
            dead = [
                f.path()
                for f in walk_files(self.ns.root)
                if f.lease_holder is not None and not is_alive(f.lease_holder)
            ]
            for path in dead:
                log.warning(
                    "removing %s: its writer %s died before closing it",
                    path,
                    self.ns.file(path).lease_holder,
                )
                self._journal(["delete", path, now_ms()])
            return dead

    # -- reports ---------------------------------------------------------------------------------
    def fs_stats(self) -> FsStatus:
        with self.locked():
            self.check_datanodes()
            nodes = self.blocks.alive_nodes()
            capacity = sum(n.capacity for n in nodes)
            used = sum(n.used for n in nodes)
            return FsStatus(capacity, used, max(capacity - used, 0))

    def datanode_report(self) -> list[DatanodeInfo]:
        with self.locked():
            self.check_datanodes()
            return [n.info() for n in sorted(self.blocks.nodes.values(), key=lambda n: n.node_id)]

    def fsck(self, user: str, path: str = "/") -> FsckReport:
        with self.locked():
            caller = self._caller(user)
            root = self.ns.lookup(path, caller)
            # what HDFS's fsck reads as the caller: each directory's listing, each file's blocks
            self.ns.check_subtree(caller, root, READ | EXECUTE, READ)
            return build_fsck_report(self, root, normalize(path))

    @property
    def superuser(self) -> str:
        return self.ns.superuser


__all__ = ["NameNode"]
