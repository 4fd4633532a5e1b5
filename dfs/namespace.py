"""The namespace: the inode tree, pure and in memory, with HDFS's permission rules.

Owns directories and files (owner, group, mode, times, replication, block lists, the lease of a
file under construction) and every check of who may do what. It knows nothing of the edit log,
of datanodes or of locks: `dfs.namenode` journals each mutation and applies it here. Mutations
are deterministic given their arguments (times are passed in), so replaying the edit log
rebuilds exactly the same tree.

Permissions follow HDFS's permissions guide: traversal needs EXECUTE on every ancestor
directory; creating or deleting needs WRITE on the parent; reading a file needs READ; listing a
directory needs READ and EXECUTE; a recursive delete needs WRITE, READ and EXECUTE on every
non-empty directory below; a content summary READ and EXECUTE on every directory of the subtree;
in a directory with the sticky bit (mode 1xxx) only the superuser, the directory's owner or the
entry's owner may delete, rename or replace an entry. Ownership is checked even with permissions
off: only the owner (or the superuser) may chmod or chgrp (and only to a group of theirs), only
the superuser may change an owner.

Limits (`FsLimits`, HDFS's dfs.namenode.fs-limits.*) are checked before a new name is added:
a component's length in UTF-8 bytes and the number of entries of a directory. Nothing here
recurses on the depth of a path: walks and subtree checks keep their own stacks.
"""

from __future__ import annotations

from collections.abc import Iterator

from dfs.errors import (
    DFSDirectoryNotEmpty,
    DFSError,
    DFSFileExists,
    DFSFileNotFound,
    DFSInvalidPath,
    DFSIsADirectory,
    DFSMaxDirectoryItemsExceeded,
    DFSNotADirectory,
    DFSPathComponentTooLong,
    DFSPermissionDenied,
)
from dfs.fastclass import dataclass
from dfs.paths import components
from dfs.protocol import FileStatus, mode_string

READ, WRITE, EXECUTE = 4, 2, 1
_ACCESS_NAME = [
    "NONE",
    "EXECUTE",
    "WRITE",
    "WRITE_EXECUTE",
    "READ",
    "READ_EXECUTE",
    "READ_WRITE",
    "ALL",
]  # Hadoop's FsAction names


class Block:
    """One block of a file: id, generation stamp, length in bytes."""

    __slots__ = ("block_id", "genstamp", "length")

    def __init__(self, block_id: int, genstamp: int, length: int = 0) -> None:
        self.block_id = block_id
        self.genstamp = genstamp
        self.length = length


class INode:
    __slots__ = ("name", "parent", "owner", "group", "mode", "mtime", "atime")

    is_dir = False

    def __init__(self, name: str, owner: str, group: str, mode: int, mtime: int) -> None:
        self.name = name
        self.parent: INodeDirectory | None = None
        self.owner = owner
        self.group = group
        self.mode = mode
        self.mtime = mtime
        self.atime = mtime

    def path(self) -> str:
        names = []
        node: INode | None = self
        while node is not None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        return "/" + "/".join(reversed(names))


class INodeDirectory(INode):
    __slots__ = ("children",)
    is_dir = True

    def __init__(self, name: str, owner: str, group: str, mode: int, mtime: int) -> None:
        super().__init__(name, owner, group, mode, mtime)
        self.children: dict[str, INode] = {}

    def add(self, child: INode) -> None:
        child.parent = self
        self.children[child.name] = child


class INodeFile(INode):
    __slots__ = ("replication", "blocksize", "blocks", "lease_holder")

    def __init__(
        self,
        name: str,
        owner: str,
        group: str,
        mode: int,
        mtime: int,
        replication: int,
        blocksize: int,
        lease_holder: str | None,
    ) -> None:
        super().__init__(name, owner, group, mode, mtime)
        self.replication = replication
        self.blocksize = blocksize
        self.blocks: list[Block] = []
        self.lease_holder = lease_holder  # None once the file is closed

    @property
    def length(self) -> int:
        return sum(b.length for b in self.blocks)


@dataclass(frozen=True, slots=True)
class FsLimits:
    """HDFS's dfs.namenode.fs-limits: component length in bytes (0: none), entries per dir."""

    max_component_length: int = 255
    max_directory_items: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks: the user name, its groups, and whether it is the superuser."""

    user: str
    groups: tuple[str, ...] = ()
    superuser: bool = False


class Namespace:
    """The inode tree rooted at ``/`` with path lookups and checked mutations."""

    def __init__(
        self,
        superuser: str,
        supergroup: str = "supergroup",
        mtime: int = 0,
        permissions: bool = True,
        limits: FsLimits | None = None,
    ) -> None:
        self.root = INodeDirectory("", superuser, supergroup, 0o755, mtime)
        self.superuser = superuser
        self.supergroup = supergroup
        self.permissions = permissions
        self.limits = limits or FsLimits()

    # -- lookups ------------------------------------------------------------------------------
    def caller(self, user: str, groups: tuple[str, ...] = ()) -> Caller:
        superuser = user == self.superuser or self.supergroup in groups
        return Caller(user, groups, superuser)

    def lookup(self, path: str, caller: Caller | None = None) -> INode:
        """The inode at `path`; EXECUTE is checked on every ancestor when a caller is given."""
        node: INode = self.root
        for name in components(path):
            if not node.is_dir:
                raise DFSNotADirectory(f"`{node.path()}': Not a directory", path)
            if caller is not None:
                self.check(caller, node, EXECUTE)
            child = node.children.get(name)  # type: ignore[attr-defined]
            if child is None:
                raise DFSFileNotFound(f"`{path}': No such file or directory", path)
            node = child
        return node

    def find(self, path: str) -> INode | None:
        try:
            return self.lookup(path)
        except (DFSFileNotFound, DFSNotADirectory):
            return None

    def file(self, path: str, caller: Caller | None = None) -> INodeFile:
        node = self.lookup(path, caller)
        if node.is_dir:
            raise DFSIsADirectory(f"`{path}': Is a directory", path)
        return node  # type: ignore[return-value]

    def check(self, caller: Caller, node: INode, access: int) -> None:
        if not self.permissions or caller.superuser:
            return
        if caller.user == node.owner:
            bits = (node.mode >> 6) & 7
        elif node.group in caller.groups:
            bits = (node.mode >> 3) & 7
        else:
            bits = node.mode & 7
        if bits & access != access:
            raise DFSPermissionDenied(
                f"Permission denied: user={caller.user}, access={_ACCESS_NAME[access]}, "
                f'inode="{node.path()}":{node.owner}:{node.group}:'
                f"{mode_string(node.mode, node.is_dir)}",
                node.path(),
            )

    def check_owner(self, caller: Caller, node: INode) -> None:
        """Only the owner or the superuser (checked even with permissions off, as in HDFS)."""
        if not caller.superuser and caller.user != node.owner:
            raise DFSPermissionDenied(
                f"Permission denied. user={caller.user} is not the owner of inode={node.path()}",
                node.path(),
            )

    def check_set_owner(
        self, caller: Caller, node: INode, owner: str | None, group: str | None
    ) -> None:
        """setOwner: the owner may only change the group, to one of theirs (FSDirAttrOp)."""
        self.check_owner(caller, node)
        if caller.superuser:
            return
        if owner and owner != caller.user:
            raise DFSPermissionDenied(
                f"User {caller.user} is not a super user (non-super user cannot change owner).",
                node.path(),
            )
        if group and group not in caller.groups:
            raise DFSPermissionDenied(f"User {caller.user} does not belong to {group}", node.path())

    def check_sticky(self, caller: Caller, parent: INode, node: INode) -> None:
        """In a sticky directory only its owner, the entry's owner or the superuser may remove
        or rename the entry (FSPermissionChecker.checkStickyBit)."""
        if not self.permissions or caller.superuser or not parent.mode & 0o1000:
            return
        if caller.user in (parent.owner, node.owner):
            return
        raise DFSPermissionDenied(
            f"Permission denied by sticky bit: user={caller.user}, "
            f'path="{node.path()}":{node.owner}:{node.group}:'
            f"{mode_string(node.mode, node.is_dir)}, "
            f'parent="{parent.path()}":{parent.owner}:{parent.group}:'
            f"{mode_string(parent.mode, parent.is_dir)}",
            node.path(),
        )

    def check_subtree(self, caller: Caller, node: INode, access: int, files: int = 0) -> None:
        """`access` on every directory of the subtree at `node` (`files` on every file): what
        getContentSummary (READ_EXECUTE) and fsck (its listings and block reads) need."""
        if not self.permissions or caller.superuser:
            return
        for n in walk(node):
            if n.is_dir or files:
                self.check(caller, n, access if n.is_dir else files)

    # -- limits (FSDirectory.verifyMaxComponentLength / verifyMaxDirItems) ----------------------
    def check_new_name(self, where: str, name: str, items: int | None = 0) -> None:
        """May `name` join directory `where`, which has `items` entries (None: not counted)?
        HDFS's fs-limits with HDFS's messages."""
        limit = self.limits.max_component_length
        length = len(name.encode("utf-8", "surrogateescape"))
        if limit and length > limit:
            raise DFSPathComponentTooLong(
                f"The maximum path component name limit of {name} in directory {where} is "
                f"exceeded: limit={limit} length={length}",
                where.rstrip("/") + "/" + name,
            )
        if items is not None and items >= self.limits.max_directory_items:
            raise DFSMaxDirectoryItemsExceeded(
                f"The directory item limit of {where} is exceeded: "
                f"limit={self.limits.max_directory_items} items={items}",
                where,
            )

    def status(self, node: INode) -> FileStatus:
        if node.is_dir:
            return FileStatus(
                node.path(),
                0,
                True,
                0,
                0,
                node.mtime,
                node.atime,
                node.owner,
                node.group,
                node.mode,
            )
        f: INodeFile = node  # type: ignore[assignment]
        return FileStatus(
            f.path(),
            f.length,
            False,
            f.replication,
            f.blocksize,
            f.mtime,
            f.atime,
            f.owner,
            f.group,
            f.mode,
        )

    # -- checks before a mutation (the namenode calls these, then journals, then applies) --------
    def check_mkdirs(self, path: str, caller: Caller) -> list[str]:
        """The directories `mkdirs(path)` would create (outermost first); raises if not allowed."""
        node: INode = self.root
        missing: list[str] = []
        prefix = ""
        for name in components(path):
            prefix += "/" + name
            if missing:
                missing.append(prefix)
                continue
            if not node.is_dir:
                raise DFSFileExists(f"`{node.path()}': Is not a directory", path)
            self.check(caller, node, EXECUTE)
            child = node.children.get(name)  # type: ignore[attr-defined]
            if child is None:
                self.check(caller, node, WRITE)
                self.check_new_name(node.path(), name, len(node.children))  # type: ignore[attr-defined]
                missing.append(prefix)
            else:
                node = child
        if not missing and not node.is_dir:
            raise DFSFileExists(f"`{path}': Is not a directory", path)
        for new in missing[1:]:  # inside new, empty directories: only the length counts
            where, name = new.rsplit("/", 1)
            self.check_new_name(where, name)
        return missing

    def check_create(self, path: str, caller: Caller, overwrite: bool) -> INodeFile | None:
        """Check a create of `path` (parents must exist); returns the file it would replace."""
        parts = components(path)
        if not parts:
            raise DFSInvalidPath("`/': cannot create a file at the root path", path)
        parent = self.lookup("/" + "/".join(parts[:-1]), caller)
        if not parent.is_dir:
            raise DFSNotADirectory(f"`{parent.path()}': Not a directory", path)
        self.check(caller, parent, EXECUTE)
        existing = parent.children.get(parts[-1])  # type: ignore[attr-defined]
        if existing is not None:
            if existing.is_dir:
                raise DFSFileExists(f"`{path}': Is a directory", path)
            if not overwrite:
                raise DFSFileExists(f"`{path}': File exists", path)
            self.check(caller, existing, WRITE)
        self.check(caller, parent, WRITE)
        if existing is None:
            self.check_new_name(parent.path(), parts[-1], len(parent.children))  # type: ignore[attr-defined]
        return existing  # type: ignore[return-value]

    def check_delete(self, path: str, caller: Caller, recursive: bool) -> INode:
        node = self.lookup(path, caller)
        if node.parent is None:
            raise DFSInvalidPath("`/': cannot delete the root directory", path)
        if node.is_dir and node.children and not recursive:  # type: ignore[attr-defined]
            raise DFSDirectoryNotEmpty(f"`{path}': Directory is not empty", path)
        self.check(caller, node.parent, WRITE)
        self.check_sticky(caller, node.parent, node)
        if node.is_dir and recursive:
            self._check_subtree(caller, node)
        return node

    def _check_subtree(self, caller: Caller, node: INode) -> None:
        """ALL on every non-empty directory below and at `node` (no recursion)."""
        if not self.permissions or caller.superuser:
            return
        stack = [node]
        while stack:
            n = stack.pop()
            if n.is_dir and n.children:  # type: ignore[attr-defined]
                self.check(caller, n, READ | WRITE | EXECUTE)
                stack.extend(n.children.values())  # type: ignore[attr-defined]

    def check_rename_target(self, caller: Caller, node: INode, dst: str) -> None:
        """A rename's checks beyond the parents' WRITE: the sticky bit of the source's parent
        and of a replaced destination's parent, and HDFS's fs-limits on the new name (the
        directory item limit only when the entry changes directory)."""
        assert node.parent is not None
        self.check_sticky(caller, node.parent, node)
        where, name = dst.rsplit("/", 1)
        dst_parent = self.lookup(where or "/")
        replaced = dst_parent.children.get(name)  # type: ignore[attr-defined]
        if replaced is not None and replaced is not node:
            self.check_sticky(caller, dst_parent, replaced)
        moves = dst_parent is not node.parent and replaced is None
        items = len(dst_parent.children) if moves else None  # type: ignore[attr-defined]
        self.check_new_name(where or "/", name, items)

    def check_rename(
        self, src: str, dst: str, caller: Caller, overwrite: bool | None = None
    ) -> str:
        """Check a rename; returns the final destination path.

        ``overwrite=None`` is HDFS's old rename: a directory `dst` receives `src` inside it, and
        an existing destination is refused. A bool is HDFS's rename2 (``Options.Rename``): `dst`
        is the new name itself; an existing one is replaced only with ``overwrite=True``, only
        by the same type, and never when it is a non-empty directory.
        """
        node = self.lookup(src, caller)
        if node.parent is None:
            raise DFSInvalidPath("`/': cannot rename the root directory", src)
        if overwrite is not None:
            self._check_rename_over(node, src, dst, overwrite)
            target = None
        else:
            target = self.find(dst)
            if target is not None and target.is_dir:
                dst = dst.rstrip("/") + "/" + node.name
                target = self.find(dst)
        if target is not None:
            if target is node:
                return dst
            raise DFSFileExists(f"`{dst}': File exists", dst)
        dst_parts = components(dst)
        dst_parent = self.find("/" + "/".join(dst_parts[:-1]))
        if dst_parent is None:
            raise DFSFileNotFound(f"`{dst}': No such file or directory (parent is missing)", dst)
        if not dst_parent.is_dir:
            raise DFSNotADirectory(f"`{dst_parent.path()}': Not a directory", dst)
        if node.is_dir and (dst + "/").startswith(node.path().rstrip("/") + "/"):
            raise DFSInvalidPath(f"`{src}': cannot move a directory into itself ({dst})", src)
        self.check(caller, node.parent, WRITE)
        self.lookup(dst_parent.path(), caller)
        self.check(caller, dst_parent, WRITE)
        self.check_rename_target(caller, node, dst)
        return dst

    def _check_rename_over(self, node: INode, src: str, dst: str, overwrite: bool) -> None:
        """rename2's checks of the destination, with HDFS's messages (FSDirRenameOp)."""
        if dst == src:
            raise DFSFileExists(f"The source {src} and destination {dst} are the same", dst)
        if dst.startswith(src.rstrip("/") + "/"):
            raise DFSInvalidPath(
                f"Rename destination {dst} is a directory or file under source {src}", dst
            )
        parts = components(dst)
        if not parts:
            raise DFSInvalidPath("rename destination cannot be the root", dst)
        target = self.find(dst)
        if target is not None:
            if target.is_dir != node.is_dir:
                raise DFSError(f"Source {src} and destination {dst} must both be directories", dst)
            if not overwrite:
                raise DFSFileExists(f"rename destination {dst} already exists", dst)
            if target.is_dir and target.children:  # type: ignore[attr-defined]
                raise DFSDirectoryNotEmpty(f"rename destination directory is not empty: {dst}", dst)
        dst_parent = self.find("/" + "/".join(parts[:-1]))
        if dst_parent is None:
            raise DFSFileNotFound(f"rename destination parent {dst} not found.", dst)
        if not dst_parent.is_dir:
            raise DFSNotADirectory(f"rename destination parent {dst} is a file.", dst)

    # -- mutations (deterministic; no checks beyond structure) --------------------------------
    def mkdir(
        self, path: str, owner: str, group: str | None, mode: int, mtime: int
    ) -> INodeDirectory:
        parts = components(path)
        parent = self.lookup("/" + "/".join(parts[:-1]))
        node = INodeDirectory(parts[-1], owner, group or parent.group, mode, mtime)
        parent.add(node)  # type: ignore[attr-defined]
        parent.mtime = mtime
        return node

    def create(
        self,
        path: str,
        owner: str,
        group: str | None,
        mode: int,
        mtime: int,
        replication: int,
        blocksize: int,
        holder: str | None,
    ) -> INodeFile:
        parts = components(path)
        parent = self.lookup("/" + "/".join(parts[:-1]))
        node = INodeFile(
            parts[-1], owner, group or parent.group, mode, mtime, replication, blocksize, holder
        )
        parent.children.pop(parts[-1], None)  # type: ignore[attr-defined]
        parent.add(node)  # type: ignore[attr-defined]
        parent.mtime = mtime
        return node

    def delete(self, path: str, mtime: int) -> INode:
        node = self.lookup(path)
        assert node.parent is not None
        del node.parent.children[node.name]
        node.parent.mtime = mtime
        return node

    def rename(self, src: str, dst: str, mtime: int, overwrite: bool = False) -> INode | None:
        """Move `src` to the exact path `dst`; with `overwrite`, an existing `dst` is replaced
        in the same step and returned (its blocks are the caller's to forget)."""
        node = self.lookup(src)
        assert node.parent is not None
        dst_parts = components(dst)
        dst_parent = self.lookup("/" + "/".join(dst_parts[:-1]))
        kids = dst_parent.children  # type: ignore[attr-defined]
        replaced = kids.get(dst_parts[-1]) if overwrite else None
        del node.parent.children[node.name]
        node.parent.mtime = mtime
        node.name = dst_parts[-1]
        dst_parent.add(node)  # type: ignore[attr-defined]
        dst_parent.mtime = mtime
        if replaced is not None:
            replaced.parent = None
        return replaced


def walk_files(node: INode) -> Iterator[INodeFile]:
    """Every file below (or at) `node`, depth first in name order."""
    for n in walk(node):
        if not n.is_dir:
            yield n  # type: ignore[misc]


def walk(node: INode) -> Iterator[INode]:
    """Every inode below (and at) `node`, depth first in name order (an explicit stack: no
    recursion on the depth of the tree)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if n.is_dir:
            kids = n.children  # type: ignore[attr-defined]
            stack.extend(kids[name] for name in sorted(kids, reverse=True))
