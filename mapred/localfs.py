"""Storage by URL, with local files served without importing fsspec.

Owns: `url_to_fs(url)` and `open_url(url, mode)`, how mapred and piglatin reach a file or
directory named by URL, and `LocalFileSystem`, the part of fsspec's ``file`` filesystem they
use (info, ls, exists, isdir, isfile, size, makedirs, rm, mv, open, unstrip_protocol).
Must not touch: any other scheme, or what is in the files.

Policy: a plain path, ``file://``, ``file:``, ``local://`` or ``local:`` URL (on a POSIX
system, not chained with ``::``) is answered here, exactly as fsspec's LocalFileSystem answers
it: the same normalized paths (relative ones made absolute against the current directory,
``~`` expanded, trailing slashes dropped), the same ``info`` dicts, the same exceptions and
messages (they come from the same `os` and `shutil` calls). A ``dfs://`` URL is served by
`dfs.files` (the calls fsspec's DFSFileSystem makes, without fsspec); every other URL
(``memory://``, ``s3://``, chains) goes to `fsspec.core.url_to_fs`. The reason is the fixed
cost of a command: importing fsspec takes about 60 ms of CPU (asyncio, ssl, its entry points),
which every ``pig -x local`` script and local ``hadoop jar`` job paid to open files Python
opens by itself. Compression is inferred from the file name as fsspec infers it; reading or
writing a compressed file uses fsspec's codecs (fsspec is imported then), and so does `glob`
(its pattern rules are fsspec's). While fsspec is not imported, nothing can have registered
another codec or extension with it, so inferring from the built-in extensions gives its answer.

>>> fs, path = url_to_fs("file:///tmp/a/")
>>> path, fs.unstrip_protocol(path)
('/tmp/a', 'file:///tmp/a')
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import sys
from typing import IO, Any

__all__ = ["LocalFileSystem", "infer_compression", "is_dfs", "is_local", "open_url", "url_to_fs"]

_PREFIXES = ("file://", "file:", "local://", "local:")  # fsspec's LocalFileSystem strips these
_MAGIC = re.compile(r"[*?\[]")  # fsspec's has_magic: a glob character
# the extensions fsspec.compression registers (those whose codec module is missing included:
# such a name goes to fsspec, which decides)
_CODEC_EXTENSIONS = frozenset({"zip", "bz2", "gz", "lzma", "xz", "lz4", "zst"})


def is_local(url: Any) -> bool:
    """Does fsspec read `url` with its ``file`` filesystem (and this module serve it)?"""
    if not isinstance(url, str) or os.sep != "/" or "::" in url or url.startswith("data:"):
        return False
    if "://" not in url:
        return True
    scheme = url.split("://", 1)[0]
    return len(scheme) <= 1 or scheme in ("file", "local")  # fsspec: one letter is a drive


def is_dfs(url: Any) -> bool:
    """Does fsspec read `url` with the ``dfs`` filesystem (and `dfs.files` serve it here)?"""
    return isinstance(url, str) and url.startswith("dfs://") and "::" not in url


def url_to_fs(url: Any) -> tuple[Any, str]:
    """``(filesystem, path)`` for `url`, as `fsspec.core.url_to_fs` returns them (a ``dfs://``
    URL's filesystem: `dfs.files.DFSFiles`, the calls of fsspec's DFSFileSystem)."""
    if is_local(url):
        return LOCAL, LocalFileSystem.strip_protocol(url)
    if is_dfs(url):
        from dfs.files import DFSFiles, files_for

        return files_for(), DFSFiles.strip_protocol(url)
    import fsspec.core

    return fsspec.core.url_to_fs(url)


def open_url(
    url: Any,
    mode: str = "rb",
    compression: str | None = None,
    encoding: str | None = "utf8",
    errors: str | None = None,
    newline: str | None = None,
) -> IO:
    """The open file `url` names, as ``fsspec.open(url, mode, ...)`` opens it: text modes
    decode UTF-8 unless told otherwise, writing creates the parent directories, and
    ``compression="infer"`` guesses the codec from the name."""
    text = {"encoding": encoding, "errors": errors, "newline": newline}
    if is_dfs(url):
        from dfs.files import files_for

        if compression == "infer":
            compression = infer_compression(url)
        return files_for().open(url, mode, compression=compression, **text)
    if not is_local(url):
        return _fsspec_open(url, mode, compression, text)
    path = LocalFileSystem.strip_protocol(url)
    if compression == "infer":
        compression = infer_compression(path)
    if compression is not None or _MAGIC.search(path):
        return _fsspec_open(url, mode, compression, text)  # a codec, or fsspec's own error
    if "r" not in mode:
        with contextlib.suppress(PermissionError):
            os.makedirs(path.rsplit("/", 1)[0] or "/", exist_ok=True)
    f = open(path, mode.replace("t", "").replace("b", "") + "b")  # noqa: SIM115 - returned
    return f if "b" in mode else io.TextIOWrapper(f, **text)


def _fsspec_open(url: Any, mode: str, compression: str | None, text: dict) -> IO:
    import fsspec

    return fsspec.open(url, mode, compression=compression, **text).open()


def infer_compression(path: str) -> str | None:
    """fsspec's `infer_compression`: the codec name registered for `path`'s extension
    (``deflate`` for a ``.deflate`` file: Hadoop's zlib streams, registered with fsspec)."""
    extension = os.path.splitext(path)[-1].strip(".").lower()
    if extension == "deflate":  # Hadoop's DefaultCodec, a codec fsspec is taught (dfs.deflate)
        from dfs.deflate import register_with_fsspec

        register_with_fsspec()
    elif extension not in _CODEC_EXTENSIONS and "fsspec" not in sys.modules:
        return None
    from fsspec.utils import infer_compression as infer

    return infer(path)


class LocalFileSystem:
    """fsspec's LocalFileSystem (``auto_mkdir=False``) for the calls mapred and piglatin make;
    paths may be given with or without the protocol."""

    protocol = ("file", "local")
    root_marker = "/"

    @staticmethod
    def strip_protocol(path: Any) -> str:
        """fsspec's ``_strip_protocol`` on POSIX: an absolute path without trailing slash."""
        path = os.fspath(path)
        for prefix in _PREFIXES:
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
        if not path.startswith("/"):
            if path.startswith("~"):
                path = os.path.expanduser(path)
            else:
                if path.startswith("./"):
                    path = path[2:]
                elif path == ".":
                    path = ""
                path = f"{os.getcwd()}/{path}"
        return path.rstrip("/") or "/"

    def unstrip_protocol(self, name: str) -> str:
        return f"file://{self.strip_protocol(name)}"

    def invalidate_cache(self, path: str | None = None) -> None:
        """Nothing is cached for local files."""

    # --- metadata ---------------------------------------------------------------------------
    def info(self, path: Any, **kwargs: Any) -> dict[str, Any]:
        if isinstance(path, os.DirEntry):
            out = path.stat(follow_symlinks=False)
            link = path.is_symlink()
            if path.is_dir(follow_symlinks=False):
                kind = "directory"
            elif path.is_file(follow_symlinks=False):
                kind = "file"
            else:
                kind = "other"
            size = out.st_size
            if link:
                try:
                    size = path.stat(follow_symlinks=True).st_size
                except OSError:
                    size = 0
            path = self.strip_protocol(path.path)
        else:
            path = self.strip_protocol(path)
            out = os.stat(path, follow_symlinks=False)
            link = stat.S_ISLNK(out.st_mode)
            if link:
                out = os.stat(path, follow_symlinks=True)
            size = out.st_size
            kind = _kind(out.st_mode)
        result = {
            "name": path,
            "size": size,
            "type": kind,
            "created": getattr(out, "st_birthtime", out.st_ctime),
            "islink": link,
            "mode": out.st_mode,
            "uid": out.st_uid,
            "gid": out.st_gid,
            "mtime": out.st_mtime,
            "ino": out.st_ino,
            "nlink": out.st_nlink,
        }
        if link:
            result["destination"] = os.readlink(path)
        return result

    def exists(self, path: Any, **kwargs: Any) -> bool:
        try:
            self.info(path)
        except Exception:  # noqa: BLE001 - fsspec: any failure to stat means "not there"
            return False
        return True

    def isdir(self, path: Any) -> bool:
        return os.path.isdir(self.strip_protocol(path))

    def isfile(self, path: Any) -> bool:
        return os.path.isfile(self.strip_protocol(path))

    def size(self, path: Any) -> int | None:
        return self.info(path).get("size", None)

    def ls(self, path: Any, detail: bool = False, **kwargs: Any) -> list[Any]:
        path = self.strip_protocol(path)
        path_info = self.info(path)
        if path_info["type"] != "directory":
            return [path_info] if detail else [path_info["name"]]
        entries: list[Any] = []
        with os.scandir(path) as it:
            for entry in it:
                with contextlib.suppress(FileNotFoundError):  # removed while listed
                    entries.append(self.info(entry) if detail else self.strip_protocol(entry.path))
        return entries

    def glob(self, path: str, **kwargs: Any) -> list[str]:
        """fsspec's glob (its own pattern rules: ``*``, ``?``, ``[..]``, ``**``)."""
        from fsspec.implementations.local import LocalFileSystem as FsspecLocal

        return FsspecLocal().glob(path, **kwargs)

    # --- changes ----------------------------------------------------------------------------
    def makedirs(self, path: Any, exist_ok: bool = False) -> None:
        os.makedirs(self.strip_protocol(path), exist_ok=exist_ok)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        for p in path if isinstance(path, list) else [path]:
            p = self.strip_protocol(p)
            if self.isdir(p) and not os.path.islink(p):
                if not recursive:
                    raise ValueError("Cannot delete directory, set recursive=True")
                if os.path.abspath(p) == os.getcwd():
                    raise ValueError("Cannot delete current working directory")
                shutil.rmtree(p)
            else:
                os.remove(p)

    def mv(self, path1: Any, path2: Any, recursive: bool = True, **kwargs: Any) -> None:
        """Move a file or directory (local moves of directories are always recursive)."""
        shutil.move(self.strip_protocol(path1), self.strip_protocol(path2))

    def open(
        self, path: Any, mode: str = "rb", compression: str | None = None, **kwargs: Any
    ) -> IO:
        """A file object; text modes wrap the binary file as fsspec does (`kwargs`:
        encoding, errors, newline), `compression` as fsspec's (a codec name or "infer")."""
        if compression == "infer":
            compression = infer_compression(self.strip_protocol(path))
        if compression is not None:
            from fsspec.implementations.local import LocalFileSystem as FsspecLocal

            return FsspecLocal().open(path, mode, compression=compression, **kwargs)
        path = self.strip_protocol(path)
        if "b" not in mode:
            text = {k: kwargs.pop(k) for k in ("encoding", "errors", "newline") if k in kwargs}
            return io.TextIOWrapper(self.open(path, mode.replace("t", "") + "b"), **text)
        return open(path, mode)  # noqa: SIM115 - returned to the caller, who closes it


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "other"


LOCAL = LocalFileSystem()
