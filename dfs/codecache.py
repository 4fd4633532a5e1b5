"""A cache of compiled generated code (the ``__init__`` texts `dfs.fastclass` writes for each
dataclass), so a process loads them instead of compiling them.

Owns: `CodeCache` and `INIT_CODE`. One file per interpreter build in the user's cache directory
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

import atexit
import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from types import CodeType

__all__ = ["CodeCache", "INIT_CODE"]

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
