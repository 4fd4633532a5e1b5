"""Wire types of the filesystem: what crosses between client, namenode and datanodes.

Every message is a frozen, slotted dataclass of plain values (str, int, float, bool, bytes,
tuples of these or of other messages), so `dfs.rpc` can encode it with msgpack. Nothing here
does work; the services that produce and consume these live in namenode.py and datanode.py.
"""

from __future__ import annotations

import stat as _stat
from collections.abc import Mapping
from dataclasses import field
from typing import Protocol

from dfs.fastclass import dataclass


def mode_string(mode: int, is_dir: bool) -> str:
    """``drwxr-xr-x`` style, as `hadoop fs -ls` prints it.

    >>> mode_string(0o644, False), mode_string(0o1777, True)
    ('-rw-r--r--', 'drwxrwxrwt')
    """
    text = _stat.filemode((_stat.S_IFDIR if is_dir else _stat.S_IFREG) | mode)
    return text


@dataclass(frozen=True, slots=True)
class FileStatus:
    """One inode as `-ls`/`-stat` see it. Times are milliseconds since the epoch, as in Hadoop."""

    path: str
    length: int
    is_dir: bool
    replication: int
    blocksize: int
    mtime: int
    atime: int
    owner: str
    group: str
    mode: int

    @property
    def permission(self) -> str:
        return mode_string(self.mode, self.is_dir)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1] or "/"


@dataclass(frozen=True, slots=True)
class DatanodeInfo:
    """A datanode as the namenode knows it."""

    node_id: str  # "dn0"
    rack: str  # "/rack0"
    storage: str  # the node's storage directory
    capacity: int
    used: int
    remaining: int
    alive: bool
    last_contact: int  # ms since the epoch
    blocks: int = 0
    host: str = ""  # the DataTransferProtocol endpoint ("" and 0 in embedded mode)
    xfer_port: int = 0
    admin_state: str = "Normal"  # or "Decommission in progress", "Decommissioned"

    @property
    def location(self) -> str:
        """``/rack0/dn0`` — the network location fsck -racks shows."""
        return f"{self.rack}/{self.node_id}"


@dataclass(frozen=True, slots=True)
class LocatedBlock:
    """One block of a file and where its replicas are, closest to the asking client first."""

    block_id: int
    genstamp: int
    offset: int
    length: int
    locations: tuple[DatanodeInfo, ...]
    corrupt: tuple[str, ...] = ()  # node ids holding a replica known to be corrupt

    @property
    def name(self) -> str:
        return f"blk_{self.block_id}_{self.genstamp}"


@dataclass(frozen=True, slots=True)
class BlockReport:
    """A datanode's finalized replicas (DatanodeProtocol's block report): block id -> length,
    and the ids whose checksum file fails the cheap check (header, size for the length)."""

    lengths: dict[int, int]
    damaged: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentSummary:
    length: int
    file_count: int
    directory_count: int
    space_consumed: int
    quota: int = -1
    space_quota: int = -1


@dataclass(frozen=True, slots=True)
class FsStatus:
    capacity: int
    used: int
    remaining: int


@dataclass(frozen=True, slots=True)
class FsckBlock:
    """One block in an fsck report: its live replicas and what is wrong with it."""

    block: LocatedBlock
    expected_replicas: int
    live_replicas: int
    corrupt_replicas: int
    missing: bool  # no good replica at all


@dataclass(frozen=True, slots=True)
class FsckFile:
    path: str
    length: int
    is_dir: bool
    replication: int
    blocks: tuple[FsckBlock, ...] = ()
    under_construction: bool = False


@dataclass(frozen=True, slots=True)
class FsckReport:
    """What `hadoop fsck` prints, before formatting."""

    path: str
    files: tuple[FsckFile, ...]
    total_size: int
    total_dirs: int
    total_files: int
    total_blocks: int
    min_replicated: int
    over_replicated: int
    under_replicated: int
    mis_replicated: int
    corrupt_blocks: int
    missing_blocks: int
    missing_size: int
    default_replication: int
    avg_replication: float
    datanodes: int
    racks: int
    under_construction: int = 0
    problems: tuple[str, ...] = field(default=())  # one line per bad block, as fsck prints

    @property
    def healthy(self) -> bool:
        return self.corrupt_blocks == 0 and self.missing_blocks == 0


# -- DatanodeProtocol messages (DataNode -> NameNode; commands ride the heartbeat replies) -----


@dataclass(frozen=True, slots=True)
class DatanodeRegistration:
    """What a DataNode says when it registers: who and where it is, and whose storage it has
    (a cluster id other than the NameNode's is refused, as HDFS refuses "Incompatible
    clusterIDs")."""

    node_id: str
    rack: str
    storage: str
    capacity: int
    host: str
    xfer_port: int
    cluster_id: str


@dataclass(frozen=True, slots=True)
class StorageReport:
    """A heartbeat's payload: the node's storage use (bytes) and number of replicas."""

    capacity: int
    used: int
    remaining: int
    blocks: int


@dataclass(frozen=True, slots=True)
class ReplicateCommand:
    """Copy a replica to `targets` (sent to the source node, a holder of a good replica)."""

    block_id: int
    genstamp: int
    length: int
    targets: tuple[DatanodeInfo, ...]


@dataclass(frozen=True, slots=True)
class DeleteCommand:
    """Delete these replicas (sent to the node that holds them)."""

    block_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReregisterCommand:
    """The NameNode does not know this node (it restarted, or declared the node dead):
    register again and send a full block report."""

    reason: str


Command = ReplicateCommand | DeleteCommand | ReregisterCommand


@dataclass(frozen=True, slots=True)
class HeartbeatReply:
    commands: tuple[Command, ...]
    safemode: bool


# -- the protocols (the NameNode's methods; `dfs.rpc` builds typed proxies from these) ---------


class ClientProtocol(Protocol):
    """Client -> NameNode: namespace operations, block allocation, locations, reports."""

    def get_status(self, user: str, path: str) -> FileStatus: ...
    def get_listing(self, user: str, path: str) -> list[FileStatus]: ...
    def check_access(self, user: str, path: str, access: int) -> None: ...
    def get_block_locations(
        self,
        user: str,
        path: str,
        start: int = 0,
        length: int | None = None,
        client_node: str | None = None,
    ) -> tuple[int, list[LocatedBlock]]: ...
    def content_summary(self, user: str, path: str) -> ContentSummary: ...
    def mkdirs(self, user: str, path: str, mode: int | None = None) -> bool: ...
    def mkdir(self, user: str, path: str, mode: int | None = None) -> None: ...
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
    ) -> FileStatus: ...
    def add_block(
        self,
        user: str,
        path: str,
        holder: str,
        client_node: str | None = None,
        exclude: tuple[str, ...] = (),
    ) -> tuple[LocatedBlock, list[str]]: ...
    def abandon_block(self, user: str, path: str, holder: str, block_id: int) -> None: ...
    def complete(
        self, user: str, path: str, holder: str, lengths: list[int], replicas: list[list[str]]
    ) -> None: ...
    def delete(self, user: str, path: str, recursive: bool = False) -> bool: ...
    def rename(self, user: str, src: str, dst: str, overwrite: bool | None = None) -> str: ...
    def set_permission(self, user: str, path: str, mode: int) -> None: ...
    def set_owner(self, user: str, path: str, owner: str | None, group: str | None) -> None: ...
    def set_replication(self, user: str, path: str, replication: int) -> bool: ...
    def set_times(self, user: str, path: str, mtime: int, atime: int) -> None: ...
    def report_bad_blocks(self, bad: list[tuple[int, str]]) -> None: ...
    def fs_stats(self) -> FsStatus: ...
    def datanode_report(self) -> list[DatanodeInfo]: ...
    def fsck(self, user: str, path: str = "/") -> FsckReport: ...
    def set_safe_mode(self, user: str, action: str) -> bool: ...
    def refresh_nodes(self, user: str) -> None: ...


class DatanodeProtocol(Protocol):
    """DataNode -> NameNode. The NameNode never calls a DataNode: its commands (replicate,
    delete, re-register) ride the heartbeat replies."""

    def register_datanode(self, reg: DatanodeRegistration) -> None: ...
    def heartbeat(self, node_id: str, report: StorageReport) -> HeartbeatReply: ...
    def block_report(self, node_id: str, report: BlockReport | Mapping[int, int]) -> None: ...
    def block_received(self, node_id: str, block_id: int, length: int) -> None: ...
    def replica_deleted(self, node_id: str, block_id: int) -> None: ...
    def report_bad_blocks(self, bad: list[tuple[int, str]]) -> None: ...


#: Calls that are safe to retry after a lost reply (HDFS's @Idempotent ones): repeating them
#: changes nothing more than doing them once.
IDEMPOTENT_METHODS: frozenset[str] = frozenset(
    {
        "get_status",
        "get_listing",
        "check_access",
        "get_block_locations",
        "content_summary",
        "fs_stats",
        "datanode_report",
        "fsck",
        "mkdirs",
        "set_permission",
        "set_owner",
        "set_replication",
        "set_times",
        "abandon_block",
        "complete",
        "report_bad_blocks",
        "set_safe_mode",
        "refresh_nodes",
        "register_datanode",
        "heartbeat",
        "block_report",
        "block_received",
        "replica_deleted",
    }
)

#: Cheap calls that change nothing (HDFS's @ReadOnly ones that do not walk a subtree): the RPC
#: server runs them on the connection's reader thread, without a hop to its handler pool.
READ_ONLY_METHODS: frozenset[str] = frozenset(
    {
        "get_status",
        "get_listing",
        "check_access",
        "get_block_locations",
        "fs_stats",
        "datanode_report",
    }
)
