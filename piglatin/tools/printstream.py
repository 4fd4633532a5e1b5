"""Standard output as Java's PrintStream treats it, for the `pig` command.

Owns: `PrintStream`, the text stream `pig` writes DUMP rows and other results to. A write to
a reader that has gone (a closed pipe: `pig -e "... DUMP A;" | head`) does not fail the run:
Java's PrintStream never throws, so Pig's DUMP goes on and the run ends as it would have,
with its summary on stderr. Here the first BrokenPipeError points the stream's file
descriptor at /dev/null (so no later flush, ours or the interpreter's at exit, meets the
broken pipe again) and every later write is dropped. Must not touch: what is written.
"""

from __future__ import annotations

import os
from typing import TextIO

__all__ = ["PrintStream"]


class PrintStream:
    """`stream` whose writes and flushes never raise BrokenPipeError (see the module)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return not self.broken and self._stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")

    def _drop(self) -> None:
        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError, AttributeError):  # not a file descriptor: nothing to aim
            pass
