"""The DFS by path for the project's own readers and writers: `DFSFiles` and `files_for`.

Owns the file calls that mapred and piglatin make on a ``dfs://`` location (ls, info, exists,
isdir, isfile, size, mkdir, makedirs, rmdir, rm, mv, open, cat_file, pipe_file, touch, cp_file,
block_locations, unstrip_protocol), answered by `DFSClient` with the answers, entries and
errors of `dfs.filesystem.DFSFileSystem`, the fsspec filesystem that users open, which makes
the same calls through one of these. Nothing here imports fsspec: in the default mode every
command reads and writes the DFS, and importing fsspec (asyncio and its entry points with it)
cost about 70 ms of CPU in each one, a third of what the cluster adds to a small job. Only a
pattern (`glob`) or a compression codec hands the work to fsspec itself.
Must not touch: the namespace or block logic (the client and the NameNode own them).

>>> DFSFiles.strip_protocol("dfs://host:8020/data/x/")
'/data/x'
"""

from __future__ import annotations

import io
import os
from typing import Any

from dfs.conf import Configuration, current_user, home_dir
from dfs.errors import DFSFileNotFound
from dfs.paths import strip_scheme
from dfs.protocol import FileStatus

__all__ = ["DFSFiles", "files_for"]

_OPEN: dict[tuple[int, str, str], DFSFiles] = {}


def files_for(home: str | None = None, user: str | None = None) -> DFSFiles:
    """The `DFSFiles` of the cluster at `home` (default: ``$MINIHADOOP_HOME``'s) for `user`
    (default: the current one), opened once per process (a forked child opens its own, as
    fsspec's instance cache does)."""
    home = home or str(home_dir(Configuration({})))
    user = user or current_user()
    key = (os.getpid(), home, user)
    files = _OPEN.get(key)
    if files is None:
        files = _OPEN[key] = DFSFiles(home, user)
    return files


class DFSFiles:
    """One cluster's files for one user (the cluster is open for the object's lifetime: the
    daemons', when they run). See the module docstring."""

    protocol = "dfs"

    def __init__(
        self,
        home: str | None = None,
        user: str | None = None,
        local_node: str | None = None,
        conf: dict[str, Any] | None = None,
    ) -> None:
        from dfs.cluster import open_cluster

        overrides = dict(conf or {})
        if home:
            overrides["minihadoop.home"] = home
        self.home, self.user = home, user
        self.cluster = open_cluster(Configuration(overrides))
        self.client = self.cluster.client(user, local_node)

    @staticmethod
    def strip_protocol(path: Any) -> str:
        """The absolute path of a ``dfs://`` URL or a path, without a trailing slash."""
        path = strip_scheme(str(path))
        if len(path) > 1:
            path = path.rstrip("/")
        return path or "/"

    def unstrip_protocol(self, name: str) -> str:
        return name if name.startswith("dfs://") else f"dfs://{name}"

    # -- metadata ------------------------------------------------------------------------------
    @staticmethod
    def entry(st: FileStatus) -> dict[str, Any]:
        """fsspec's info dict of a file status."""
        return {
            "name": st.path,
            "size": st.length,
            "type": "directory" if st.is_dir else "file",
            "mtime": st.mtime / 1000.0,
            "owner": st.owner,
            "group": st.group,
            "mode": st.mode,
            "replication": st.replication,
            "blocksize": st.blocksize,
        }

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list:
        entries = [self.entry(st) for st in self.client.listdir(self.strip_protocol(path))]
        return entries if detail else [e["name"] for e in entries]

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        return self.entry(self.client.status(self.strip_protocol(path)))

    def exists(self, path: str, **kwargs: Any) -> bool:
        try:
            self.client.status(self.strip_protocol(path))
            return True
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return False

    def isdir(self, path: str) -> bool:
        try:
            return self.info(path)["type"] == "directory"
        except OSError:
            return False

    def isfile(self, path: str) -> bool:
        try:
            return self.info(path)["type"] == "file"
        except Exception:  # noqa: BLE001 - fsspec's isfile: anything is "not a file"
            return False

    def size(self, path: str) -> int | None:
        return self.info(path).get("size")

    def block_locations(self, path: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(offset, length, datanode ids) of each block, closest replicas first: the input of
        MapReduce split computation."""
        blocks = self.client.block_locations(self.strip_protocol(path))
        return [(b.offset, b.length, tuple(loc.node_id for loc in b.locations)) for b in blocks]

    def invalidate_cache(self, path: str | None = None) -> None:
        """Nothing is cached: every call asks the NameNode."""

    # -- changes -------------------------------------------------------------------------------
    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        path = self.strip_protocol(path)
        if create_parents:
            self.client.mkdirs(path)
        else:
            self.client.mkdir(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        path = self.strip_protocol(path)
        if not exist_ok and self.exists(path):
            raise FileExistsError(path)
        self.client.mkdirs(path)

    def rmdir(self, path: str) -> None:
        path = self.strip_protocol(path)
        if not self.isdir(path):
            raise NotADirectoryError(path)
        self.client.delete(path, recursive=False)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        for p in path if isinstance(path, list) else [path]:
            p = self.strip_protocol(p)
            if not self.exists(p):
                raise DFSFileNotFound(f"`{p}': No such file or directory", p)
            self.client.delete(p, recursive=recursive)

    def mv(
        self,
        path1: str,
        path2: str,
        recursive: bool = False,
        maxdepth: Any = None,
        overwrite: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """One namespace rename. ``overwrite=None``: HDFS's rename (into `path2` when it is a
        directory); True/False: `path2` is the new name, atomically replaced only if True (an
        existing `path2` is refused otherwise): a committer's publish step."""
        self.client.rename(self.strip_protocol(path1), self.strip_protocol(path2), overwrite)

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        with (
            self.client.open(self.strip_protocol(path1)) as src,
            self.client.create(self.strip_protocol(path2), overwrite=True) as dst,
        ):
            while chunk := src.read(4 << 20):
                dst.write(chunk)

    def touch(self, path: str, truncate: bool = True, **kwargs: Any) -> None:
        path = self.strip_protocol(path)
        if truncate or not self.exists(path):
            self.client.create(path, overwrite=True).close()

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        with self.client.open(self.strip_protocol(path)) as f:
            size = f.length
            start = 0 if start is None else (start + size if start < 0 else start)
            end = size if end is None else (end + size if end < 0 else end)
            f.seek(start)
            return f.read(max(end - start, 0))

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        self.client.write_bytes(self.strip_protocol(path), value, overwrite=True)

    # -- files -------------------------------------------------------------------------------
    def open_raw(self, path: str, mode: str = "rb", block_size: int | None = None) -> Any:
        """A buffered binary reader or writer (fsspec's ``_open``): reading ("r" in `mode`)
        or writing a new file, replacing an old one; append is refused."""
        path = self.strip_protocol(path)
        if "r" in mode:
            return DFSReader(self.client.open(path), block_size or (1 << 20))
        if "a" in mode:
            raise NotImplementedError("dfs files are write-once: append is not supported")
        return DFSWriter(self.client.create(path, overwrite=True), block_size or (4 << 20))

    def open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        compression: str | None = None,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """fsspec's ``open``: a text mode wraps the binary file in a TextIOWrapper (`encoding`,
        `errors`, `newline`); `compression` (a codec name, or "infer" from the name) wraps it
        in fsspec's codec."""
        if "b" not in mode:
            raw = self.open(path, mode.replace("t", "") + "b", block_size, compression)
            return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)
        f = self.open_raw(path, mode, block_size)
        if compression is not None:
            from fsspec.compression import compr
            from fsspec.core import get_compression

            f = compr[get_compression(path, compression)](f, mode=mode[0])
        return f

    def glob(self, pattern: str, **kwargs: Any) -> Any:
        """fsspec's glob over this cluster (its pattern rules are fsspec's)."""
        return self.fsspec().glob(pattern, **kwargs)

    def fsspec(self) -> Any:
        """This cluster as the fsspec filesystem users open (imports fsspec)."""
        from dfs.filesystem import DFSFileSystem

        return DFSFileSystem(home=self.home, user=self.user)


class DFSReader(io.BufferedReader):
    """A buffered reader that also answers fsspec's `size`/`path` questions."""

    @property
    def size(self) -> int:
        return self.raw.length

    @property
    def path(self) -> str:
        return self.raw.path


class DFSWriter(io.BufferedWriter):
    """A buffered writer; leaving a `with` block by an exception leaves no file behind."""

    @property
    def path(self) -> str:
        return self.raw.path

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None:
            self.raw.abort()
        else:
            self.close()
