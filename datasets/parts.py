"""Writing one generated table as ``part-NNNNN`` files under a directory, through fsspec.

Owns: the output layout of every generator (a table is a directory of text part files, one part
unless the table is larger than ``part_bytes``, cut only at line ends), overwriting an earlier
table at the same place, and the ``_manifest.json`` record of what a run generated.
Must not touch: what the rows contain; generators hand in whole lines as ``str`` (ASCII only).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import fsspec
from fsspec.spec import AbstractFileSystem

from datasets.progress import Progress

__all__ = ["DEFAULT_PART_BYTES", "MANIFEST", "PartWriter", "join_url", "nearest_line_end",
           "read_manifest", "table_bytes", "update_manifest"]

log = logging.getLogger(__name__)

DEFAULT_PART_BYTES = 256 << 20
MANIFEST = "_manifest.json"


def join_url(base: str, name: str) -> str:
    """``base`` + ``/`` + ``name``, keeping the caller's spelling of the URL."""
    return base.rstrip("/") + "/" + name


class PartWriter:
    """Stream lines into ``<url>/part-00000``, ``part-00001``, ... (use as a context manager).

    The directory is emptied first, so a second run replaces the table instead of mixing parts.
    A new part starts when the next line would push the current part beyond ``part_bytes``.
    """

    def __init__(
        self,
        url: str,
        part_bytes: int = DEFAULT_PART_BYTES,
        progress: Progress | None = None,
        storage_options: dict[str, Any] | None = None,
    ) -> None:
        if part_bytes < 1:
            raise ValueError(f"part size must be positive, got {part_bytes}")
        self.url = url
        self.part_bytes = part_bytes
        self.progress = progress
        self.fs: AbstractFileSystem
        self.fs, self._dir = fsspec.core.url_to_fs(url, **(storage_options or {}))
        self.bytes = 0
        self.rows = 0
        self.parts: list[str] = []
        self._file: Any = None
        self._in_part = 0

    def __enter__(self) -> PartWriter:
        if self.fs.exists(self._dir):
            self.fs.rm(self._dir, recursive=True)
        self.fs.makedirs(self._dir, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_part(self) -> None:
        if self._file is not None:
            self._file.close()
        path = f"{self._dir}/part-{len(self.parts):05d}"
        self.parts.append(path)
        self._file = self.fs.open(path, "wb")
        self._in_part = 0

    def write(self, lines: str) -> None:
        """Write ``lines`` (complete lines, each ending in a newline)."""
        self.rows += lines.count("\n")
        while lines:
            if self._file is None:
                self._next_part()
            room = self.part_bytes - self._in_part
            if len(lines) <= room:
                cut = len(lines)
            else:
                cut = lines.rfind("\n", 0, room) + 1
                if cut == 0:
                    if self._in_part:
                        self._next_part()
                        continue
                    cut = lines.find("\n") + 1 or len(lines)
            self._emit(lines[:cut])
            lines = lines[cut:]
            if lines:
                self._next_part()

    def _emit(self, text: str) -> None:
        data = text.encode("ascii")
        self._file.write(data)
        self._in_part += len(data)
        self.bytes += len(data)
        if self.progress is not None:
            self.progress.update(len(data))

    def close(self) -> None:
        """Close the current part; an empty table still gets one empty ``part-00000``."""
        if self._file is None and not self.parts:
            self._next_part()
        if self._file is not None:
            self._file.close()
            self._file = None


def nearest_line_end(text: str, want: int) -> int:
    """The line boundary in ``text`` closest to offset ``want`` (a tie goes to the later one);
    generators cut their last chunk there to land within half a line of a byte target.

    >>> nearest_line_end("ab\\ncdef\\n", 4), nearest_line_end("ab\\ncdef\\n", 6)
    (3, 8)
    """
    before = text.rfind("\n", 0, want) + 1
    after = text.find("\n", max(want - 1, 0)) + 1 or len(text)
    return before if want - before < after - want else after


def table_bytes(url: str, storage_options: dict[str, Any] | None = None) -> int | None:
    """Total size of the ``part-*`` files under ``url``, or None when there are none."""
    fs, path = fsspec.core.url_to_fs(url, **(storage_options or {}))
    if not fs.isdir(path):
        return None
    sizes = [
        e["size"]
        for e in fs.ls(path, detail=True)
        if e["type"] == "file" and e["name"].rstrip("/").rsplit("/", 1)[-1].startswith("part-")
    ]
    return sum(sizes) if sizes else None


def read_manifest(
    out_url: str, storage_options: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The manifest a generator left under ``out_url``, or None when there is none."""
    fs, root = fsspec.core.url_to_fs(out_url, **(storage_options or {}))
    path = f"{root.rstrip('/')}/{MANIFEST}"
    if not fs.exists(path):
        return None
    with fs.open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def update_manifest(
    out_url: str,
    params: dict[str, Any],
    tables: dict[str, Any],
    storage_options: dict[str, Any] | None = None,
) -> None:
    """Record ``tables`` under ``out_url``, keeping earlier tables made with the same ``params``."""
    old = read_manifest(out_url, storage_options)
    merged: dict[str, Any] = {}
    if old is not None and old.get("params") == params:
        merged.update(old.get("tables", {}))
    merged.update(tables)
    fs, root = fsspec.core.url_to_fs(out_url, **(storage_options or {}))
    fs.makedirs(root, exist_ok=True)
    text = json.dumps({"params": params, "tables": merged}, indent=2, sort_keys=True)
    with fs.open(f"{root.rstrip('/')}/{MANIFEST}", "wb") as f:
        f.write(text.encode("utf-8") + b"\n")
    log.debug("manifest for %s: %s", out_url, sorted(merged))
