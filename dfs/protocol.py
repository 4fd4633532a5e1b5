"""Wire types of the filesystem: what crosses between client, namenode and datanodes.

Every message is a frozen, slotted dataclass of plain values (str, int, float, bool, bytes,
tuples of these or of other messages), so `dfs.rpc` can encode it with msgpack. Nothing here
does work; the services that produce and consume these live in namenode.py and datanode.py.
"""

from __future__ import annotations

import stat as _stat
from dataclasses import dataclass, field


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
