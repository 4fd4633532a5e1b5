"""Local mode's `fs` commands run by Hadoop's FsShell (-ls -cat -text -mkdir -rm -rmdir -test
-touchz -tail -head -count -stat -du): dfs.shell's `FsShell` run over `LocalClient`, a
local-disk stand-in for the DFSClient calls those commands make, as Pig runs Hadoop's FsShell
on the local filesystem.

Owns: `LocalClient` (paths relative to the session's directory; a file's status as Hadoop's
RawLocalFileSystem gives it: replication 1, the local block size, owner and group names,
the permission bits; mkdir, delete: never into a trash, as fs.trash.interval is 0 on the
local filesystem by default) and `run_fs`. Must not touch: the shell's commands and their
output (dfs.shell owns those), the DFS.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from typing import IO, Any

from dfs.errors import DFSDirectoryNotEmpty, DFSFileNotFound
from dfs.protocol import ContentSummary, FileStatus

__all__ = ["SHELL_COMMANDS", "LocalClient", "run_fs"]

#: the `fs` commands local mode runs through FsShell
SHELL_COMMANDS = frozenset(
    ["ls", "cat", "text", "mkdir", "rm", "rmr", "rmdir", "test", "touchz", "tail", "head", "count",
     "stat", "du"]
)
LOCAL_BLOCK_SIZE = 32 << 20  # Hadoop's fs.local.block.size
_FILE_URI = re.compile(r"^file:(//[^/]*)?(?=/)|^file:")


class LocalClient:
    """The DFSClient calls of FsShell's read-only and create-empty commands, on local files;
    a relative path is under `home` (the session's directory), as FsShell's working
    directory on the local filesystem."""

    def __init__(self, home: str) -> None:
        import getpass

        from dfs.conf import Configuration

        self.home = home
        self.user = getpass.getuser()
        self.conf = Configuration({"fs.trash.interval": 0}, load_site=False)

    def resolve(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.home, path))

    def status(self, path: str) -> FileStatus:
        full = self.resolve(path)
        try:
            st = os.stat(full)
        except FileNotFoundError:
            raise DFSFileNotFound(f"`{path}': No such file or directory") from None
        return _status(full, st)

    def exists(self, path: str) -> bool:
        return os.path.exists(self.resolve(path))

    def listdir(self, path: str) -> list[FileStatus]:
        full = self.resolve(path)
        if not os.path.isdir(full):
            return [self.status(path)]
        return [_status(e.path, e.stat()) for e in sorted(os.scandir(full), key=lambda e: e.name)]

    def mkdir(self, path: str, mode: int | None = None) -> None:
        os.mkdir(self.resolve(path))

    def mkdirs(self, path: str, mode: int | None = None) -> None:
        os.makedirs(self.resolve(path), exist_ok=True)

    def delete(self, path: str, recursive: bool = False) -> bool:
        """Delete a file, or a directory (its contents too only when `recursive`)."""
        import shutil

        full = self.resolve(path)
        if not os.path.lexists(full):
            raise DFSFileNotFound(f"`{path}': No such file or directory", path)
        if not os.path.isdir(full) or os.path.islink(full):
            os.remove(full)
        elif recursive:
            shutil.rmtree(full)
        elif os.listdir(full):
            raise DFSDirectoryNotEmpty(f"`{path}': Directory is not empty", path)
        else:
            os.rmdir(full)
        return True

    def touchz(self, path: str) -> None:
        with open(self.resolve(path), "wb"):  # an empty file (an existing one is empty too)
            pass

    def content_summary(self, path: str) -> ContentSummary:
        full = self.resolve(path)
        if not os.path.isdir(full):
            size = self.status(path).length
            return ContentSummary(size, 1, 0, size)
        length = files = 0
        dirs = 1
        for _root, subdirs, names in os.walk(full):
            dirs += len(subdirs)
            for name in names:
                files += 1
                with contextlib.suppress(OSError):
                    length += os.path.getsize(os.path.join(_root, name))
        return ContentSummary(length, files, dirs, length)

    @contextlib.contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        with open(self.resolve(path), "rb") as f:
            yield f


def _status(full: str, st: os.stat_result) -> FileStatus:
    import grp
    import pwd

    def name(lookup: Any, ident: int) -> str:
        try:
            return lookup(ident)[0]
        except KeyError:
            return str(ident)

    is_dir = stat.S_ISDIR(st.st_mode)
    return FileStatus(
        path=full,
        length=0 if is_dir else st.st_size,
        is_dir=is_dir,
        replication=0 if is_dir else 1,
        blocksize=0 if is_dir else LOCAL_BLOCK_SIZE,
        mtime=int(st.st_mtime * 1000),
        atime=int(st.st_atime * 1000),
        owner=name(pwd.getpwuid, st.st_uid),
        group=name(grp.getgrgid, st.st_gid),
        mode=stat.S_IMODE(st.st_mode),
    )


def run_fs(argv: list[str], home: str, out: IO[bytes], err: IO[str]) -> int:
    """One of `SHELL_COMMANDS` (``argv[0]`` with its dash) on local files, paths relative to
    `home` (``file:`` URIs as their paths); FsShell's exit status."""
    from dfs.shell import FsShell

    argv = [argv[0], *(_FILE_URI.sub("", a) for a in argv[1:])]
    client = LocalClient(home)
    return FsShell(lambda: contextlib.nullcontext(client), out=out, err=err).run(argv)
