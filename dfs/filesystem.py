"""``dfs://`` as an fsspec filesystem, so fsspec, pandas and Dask read and write the DFS.

Owns the translation between fsspec's calls and the DFS; the file calls themselves are
`dfs.files.DFSFiles`' (the project's own readers use that without fsspec). A filesystem
instance keeps the cluster (embedded, or a connection to its daemons when they run) open for
its lifetime (fsspec caches instances per set of arguments). Storage options: ``home`` (the
cluster state directory, default ``$MINIHADOOP_HOME``), ``user``, ``local_node`` (read replicas
on that node first), ``conf`` (a dict of configuration overrides: a client's, so the NameNode's
own settings among them, ``dfs.permissions.*`` and the fs-limits, are ignored: see `dfs.conf`).

>>> import fsspec                                                   # doctest: +SKIP
>>> with fsspec.open("dfs:///data/x.csv", "w") as f: f.write("a,b\\n1,2\\n")   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fsspec import AbstractFileSystem

from dfs.conf import Configuration, current_user, home_dir
from dfs.files import DFSFiles


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
        self.files = DFSFiles(home, user, local_node, conf)
        self.cluster = self.files.cluster  # the daemons', when they run
        self.client = self.files.client

    @classmethod
    def _strip_protocol(cls, path: Any) -> str:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]  # type: ignore[return-value]
        return DFSFiles.strip_protocol(path)

    # -- metadata ------------------------------------------------------------------------------
    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list:
        return self.files.ls(path, detail)

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
        return self.files.info(path)

    def exists(self, path: str, **kwargs: Any) -> bool:
        return self.files.exists(path)

    def modified(self, path: str):
        import datetime

        mtime = self.info(path)["mtime"]
        return datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)

    created = modified

    def block_locations(self, path: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(offset, length, datanode ids) of each block, closest replicas first."""
        return self.files.block_locations(path)

    # -- changes -------------------------------------------------------------------------------
    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        self.files.mkdir(path, create_parents)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        self.files.makedirs(path, exist_ok)

    def rmdir(self, path: str) -> None:
        self.files.rmdir(path)

    def _rm(self, path: str) -> None:
        self.client.delete(self._strip_protocol(path), recursive=True)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        self.files.rm(path, recursive)
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
        """`DFSFiles.mv`: one namespace rename (``overwrite``: see there)."""
        self.files.mv(path1, path2, overwrite=overwrite)
        self.invalidate_cache()

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        self.files.cp_file(path1, path2)

    def touch(self, path: str, truncate: bool = True, **kwargs: Any) -> None:
        self.files.touch(path, truncate)

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        return self.files.cat_file(path, start, end)

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        self.files.pipe_file(path, value)

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: Any = None,
        **kwargs: Any,
    ) -> Any:
        return self.files.open_raw(path, mode, block_size)
