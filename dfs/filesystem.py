"""``dfs://`` as an fsspec filesystem, so fsspec, pandas and Dask read and write the DFS.

Owns the translation between fsspec's calls and `DFSClient`; nothing else. A filesystem
instance keeps the cluster (embedded, or a connection to its daemons when they run) open for
its lifetime (fsspec caches instances per set of arguments). Storage options: ``home`` (the
cluster state directory, default ``$MINIHADOOP_HOME``), ``user``, ``local_node`` (read replicas
on that node first), ``conf`` (a dict of configuration overrides: a client's, so the NameNode's
own settings among them, ``dfs.permissions.*`` and the fs-limits, are ignored: see `dfs.conf`).

>>> import fsspec                                                   # doctest: +SKIP
>>> with fsspec.open("dfs:///data/x.csv", "w") as f: f.write("a,b\\n1,2\\n")   # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from fsspec import AbstractFileSystem

from dfs.conf import Configuration, current_user, home_dir
from dfs.errors import DFSFileNotFound
from dfs.paths import strip_scheme
from dfs.protocol import FileStatus


class _KeyedByCluster(type(AbstractFileSystem)):
    """fsspec caches instances by their arguments: resolve the defaults that come from the
    environment (the state directory, the user) first, so a changed ``$MINIHADOOP_HOME`` or
    ``$HADOOP_USER_NAME`` gets its own instance instead of another cluster's or user's."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if not args:
            if kwargs.get("home") is None:
                kwargs["home"] = str(home_dir(Configuration(dict(kwargs.get("conf") or {}))))
            if kwargs.get("user") is None:
                kwargs["user"] = current_user()
        return super().__call__(*args, **kwargs)


class DFSFileSystem(AbstractFileSystem, metaclass=_KeyedByCluster):
    protocol = "dfs"
    root_marker = "/"

    def __init__(
        self,
        home: str | None = None,
        user: str | None = None,
        local_node: str | None = None,
        conf: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        from dfs.cluster import open_cluster

        overrides = dict(conf or {})
        if home:
            overrides["minihadoop.home"] = home
        self.cluster = open_cluster(Configuration(overrides))  # the daemons', when they run
        self.client = self.cluster.client(user, local_node)

    @classmethod
    def _strip_protocol(cls, path: Any) -> str:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]  # type: ignore[return-value]
        path = strip_scheme(str(path))
        if len(path) > 1:
            path = path.rstrip("/")
        return path or "/"

    # -- metadata ------------------------------------------------------------------------------
    @staticmethod
    def _entry(st: FileStatus) -> dict[str, Any]:
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
        path = self._strip_protocol(path)
        entries = [self._entry(st) for st in self.client.listdir(path)]
        return entries if detail else [e["name"] for e in entries]

    def walk(
        self,
        path: str,
        maxdepth: int | None = None,
        topdown: bool = True,
        on_error: Any = "omit",
        **kwargs: Any,
    ) -> Iterator[tuple[str, Any, Any]]:
        """fsspec's `walk` (same order, options and pruning), with an explicit stack instead of
        recursion: `find`, `du` and `glob` work on trees deeper than Python's recursion limit."""
        if maxdepth is not None and maxdepth < 1:
            raise ValueError("maxdepth must be at least 1")
        detail = kwargs.pop("detail", False)
        nxt: tuple[str, int | None] | None = (self._strip_protocol(path), maxdepth)
        frames: list[tuple[str, Any, Any, Iterator[str], dict[str, str], int | None]] = []
        while nxt is not None or frames:
            if nxt is None:
                top, dirs, files, todo, full, depth = frames[-1]
                name = next(todo, None)
                if name is None:
                    frames.pop()
                    if not topdown:
                        yield top, dirs, files
                else:
                    nxt = (full[name], depth)
                continue
            top, depth = nxt
            nxt = None
            opened = self._walk_listing(top, detail, on_error, kwargs)
            if opened is None:
                continue
            dirs, files, full = opened
            if topdown:
                yield top, dirs, files
            if depth is not None:
                depth -= 1
                if depth < 1:
                    if not topdown:
                        yield top, dirs, files
                    continue
            frames.append((top, dirs, files, iter(list(dirs)), full, depth))

    def _walk_listing(
        self, path: str, detail: bool, on_error: Any, kwargs: dict[str, Any]
    ) -> tuple[Any, Any, dict[str, str]] | None:
        """One directory of `walk`: (dirs, files, full path of each dir), as fsspec builds them."""
        try:
            listing = self.ls(path, detail=True, **kwargs)
        except OSError as e:
            if on_error == "raise":
                raise
            if callable(on_error):
                on_error(e)
            return None
        dirs: dict[str, Any] = {}
        files: dict[str, Any] = {}
        full: dict[str, str] = {}
        for info in listing:
            pathname = info["name"].rstrip("/")
            name = pathname.rsplit("/", 1)[-1]
            if info["type"] == "directory" and pathname != path:
                full[name] = pathname
                dirs[name] = info
            elif pathname == path:
                files[""] = info
            else:
                files[name] = info
        if detail:
            return dirs, files, full
        return list(dirs), list(files), full

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._entry(self.client.status(self._strip_protocol(path)))

    def exists(self, path: str, **kwargs: Any) -> bool:
        try:
            self.client.status(self._strip_protocol(path))
            return True
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return False

    def modified(self, path: str):
        import datetime

        mtime = self.info(path)["mtime"]
        return datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)

    created = modified

    def block_locations(self, path: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(offset, length, datanode ids) of each block, closest replicas first: the input of
        MapReduce split computation."""
        blocks = self.client.block_locations(self._strip_protocol(path))
        return [(b.offset, b.length, tuple(loc.node_id for loc in b.locations)) for b in blocks]

    # -- changes -------------------------------------------------------------------------------
    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        path = self._strip_protocol(path)
        if create_parents:
            self.client.mkdirs(path)
        else:
            self.client.mkdir(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        path = self._strip_protocol(path)
        if not exist_ok and self.exists(path):
            raise FileExistsError(path)
        self.client.mkdirs(path)

    def rmdir(self, path: str) -> None:
        path = self._strip_protocol(path)
        if not self.isdir(path):
            raise NotADirectoryError(path)
        self.client.delete(path, recursive=False)

    def _rm(self, path: str) -> None:
        self.client.delete(self._strip_protocol(path), recursive=True)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        paths = path if isinstance(path, list) else [path]
        for p in paths:
            p = self._strip_protocol(p)
            if not self.exists(p):
                raise DFSFileNotFound(f"`{p}': No such file or directory", p)
            self.client.delete(p, recursive=recursive)
        self.invalidate_cache()

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
        self.client.rename(self._strip_protocol(path1), self._strip_protocol(path2), overwrite)
        self.invalidate_cache()

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        with (
            self.client.open(self._strip_protocol(path1)) as src,
            self.client.create(self._strip_protocol(path2), overwrite=True) as dst,
        ):
            while chunk := src.read(4 << 20):
                dst.write(chunk)

    def touch(self, path: str, truncate: bool = True, **kwargs: Any) -> None:
        path = self._strip_protocol(path)
        if truncate or not self.exists(path):
            self.client.create(path, overwrite=True).close()

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        with self.client.open(self._strip_protocol(path)) as f:
            size = f.length
            start = 0 if start is None else (start + size if start < 0 else start)
            end = size if end is None else (end + size if end < 0 else end)
            f.seek(start)
            return f.read(max(end - start, 0))

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        self.client.write_bytes(self._strip_protocol(path), value, overwrite=True)

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: Any = None,
        **kwargs: Any,
    ) -> Any:
        path = self._strip_protocol(path)
        if "r" in mode:
            raw = self.client.open(path)
            return _Reader(raw, block_size or (1 << 20))
        if "a" in mode:
            raise NotImplementedError("dfs files are write-once: append is not supported")
        raw = self.client.create(path, overwrite=True)
        return _Writer(raw, block_size or (4 << 20))


class _Reader(io.BufferedReader):
    """A buffered reader that also answers fsspec's `size`/`path` questions."""

    @property
    def size(self) -> int:
        return self.raw.length

    @property
    def path(self) -> str:
        return self.raw.path


class _Writer(io.BufferedWriter):
    """A buffered writer; leaving a `with` block by an exception leaves no file behind."""

    @property
    def path(self) -> str:
        return self.raw.path

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None:
            self.raw.abort()
        else:
            self.close()
