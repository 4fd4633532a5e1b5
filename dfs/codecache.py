"""A cache of compiled generated code (the ``__init__`` texts `dfs.fastclass` writes for each
dataclass, the pipelines piglatin's code generator writes for each job), so a process loads
them instead of compiling them.

Owns: `CodeCache` and `INIT_CODE` (below), `CodeFiles` and `PIPELINE_CODE` (at the end). One
file per interpreter build in the user's cache directory
(``$XDG_CACHE_HOME/minihadoop`` or ``~/.cache/minihadoop``), named by the implementation's
cache tag and a hash of ``sys.version``: a `marshal` dict from each source text to its code
object, as Python's own ``.pyc`` files keep code (never pickle). The key is the whole text, so
a changed generator or class gets new entries and a stale one is never used. A missing, damaged
or unreadable file means compiling (exactly what the cache saves); texts compiled in this
process are merged into the file when the process exits (written to a temporary name, then
renamed, so concurrent processes never read half a file); an unwritable directory means no
cache. ``MINIHADOOP_NO_CODE_CACHE=1`` turns it off.
Must not touch: what the texts are (fastclass.py writes them) or mean. It sits in dfs, the
bottom package, so dfs, mapred and piglatin classes can all use it.
"""

from __future__ import annotations
import __future__

import atexit
import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from types import CodeType

__all__ = ["CodeCache", "CodeFiles", "INIT_CODE", "PIPELINE_CODE"]

_MAX_ENTRIES = 2000  # past this, the file keeps only the texts the last process used


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "minihadoop"


class CodeCache:
    """``compile(text, "<string>", "exec")`` (no inherited ``__future__`` flags), loaded from
    the cache file named `name` when the text is there."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._known: dict[str, CodeType] | None = None
        self._used: dict[str, CodeType] = {}
        self._new = False

    def path(self) -> Path:
        build = f"{zlib.crc32(sys.version.encode()):08x}"
        return cache_dir() / f"{self.name}-{sys.implementation.cache_tag}-{build}.marshal"

    def code(self, text: str) -> CodeType:
        if self._known is None:
            self._known = self._read() if _enabled() else {}
        code = self._known.get(text)
        if code is None:
            code = self._known[text] = compile(text, "<string>", "exec", dont_inherit=True)
            if not self._new and _enabled():
                self._new = True
                atexit.register(self.save)
        self._used[text] = code
        return code

    def _read(self) -> dict[str, CodeType]:
        try:
            found = marshal.loads(self.path().read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if not isinstance(found, dict):
            return {}
        return {k: v for k, v in found.items() if type(k) is str and type(v) is CodeType}

    def save(self) -> None:
        """Merge this process's texts into the file (best effort)."""
        if not self._new:
            return
        merged = {**self._read(), **self._used}
        if len(merged) > _MAX_ENTRIES:
            merged = dict(self._used)
        path = self.path()
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps(merged))
            os.replace(tmp, path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return
        self._new = False


def _enabled() -> bool:
    return os.environ.get("MINIHADOOP_NO_CODE_CACHE") != "1"


INIT_CODE = CodeCache("dataclass-init")


class CodeFiles:
    """``compile(text, filename, "exec", flags, dont_inherit=True)`` kept one file per text:
    for many different texts of which a process uses few (each script's job pipelines), where
    one file of them all would grow with every script ever run and be read whole by each
    process. The file (in ``<cache dir>/<name>-<cache tag>-<build>/``, named by two checksums
    of the file name and text) holds ``(key, code)`` as `marshal` data and is used only when
    its key is this one; it is written when the text is first compiled (a temporary name,
    then renamed). Now and then a write keeps the directory to `max_files`, dropping the
    least recently written half. Same switch and failure rules as `CodeCache`."""

    def __init__(self, name: str, flags: int = 0, max_files: int = 1000) -> None:
        self.name = name
        self.flags = flags
        self.max_files = max_files
        self._known: dict[str, CodeType] = {}

    def directory(self) -> Path:
        build = f"{zlib.crc32(sys.version.encode()):08x}"
        return cache_dir() / f"{self.name}-{sys.implementation.cache_tag}-{build}"

    def code(self, text: str, filename: str) -> CodeType:
        key = f"{filename}\0{text}"  # a source text never holds a NUL (compile refuses it)
        code = self._known.get(key)
        if code is not None:
            return code
        raw = key.encode("utf-8", "surrogatepass")
        path = self.directory() / f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.marshal"
        enabled = _enabled()
        if enabled:
            code = _read_entry(path, key)
        if code is None:
            code = compile(text, filename, "exec", self.flags, dont_inherit=True)
            if enabled:
                self._write(path, key, code)
        self._known[key] = code
        return code

    def _write(self, path: Path, key: str, code: CodeType) -> None:
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((key, code)))
            os.replace(tmp, path)
            if os.urandom(1)[0] < 8:  # one write in 32 looks at the directory's size
                self._prune(path.parent)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def _prune(self, directory: Path) -> None:
        entries = []
        with os.scandir(directory) as found:
            for entry in found:
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry.path))
        if len(entries) > self.max_files:
            entries.sort()
            for _, old in entries[: len(entries) - self.max_files // 2]:
                with contextlib.suppress(OSError):
                    os.unlink(old)


def _read_entry(path: Path, key: str) -> CodeType | None:
    try:
        found = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if type(found) is tuple and len(found) == 2 and found[0] == key:
        code = found[1]
        if type(code) is CodeType:
            return code
    return None


#: the pipelines `piglatin.back.codegen` generates, compiled as its own module is (with
#: ``from __future__ import annotations``): a script run again loads its jobs' code
PIPELINE_CODE = CodeFiles("pig-pipelines", __future__.annotations.compiler_flag)
