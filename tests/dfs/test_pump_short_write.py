"""`hadoop fs -cat big | head`: the shell's copy loop must not end a file's output short in
silence. A BufferedWriter into a pipe whose reader leaves returns a short count for a large
write (CPython takes what the pipe held, 64 KiB) instead of raising; the copy retries the rest,
and the retry raises BrokenPipeError, which the shell turns into Hadoop's 'Unable to write to
output stream.' and status 1 (as it already did for files past one 4 MiB chunk)."""

from __future__ import annotations

import io
import os
import threading

import pytest

from dfs.shell.base import ShellBase


def test_a_reader_that_leaves_mid_chunk_raises_broken_pipe() -> None:
    read_end, write_end = os.pipe()
    data = b"x" * (2 * 1024 * 1024 + 123)  # one chunk, larger than a pipe's buffer

    def reader() -> None:
        os.read(read_end, 10)  # like `head`: a little, then gone
        os.close(read_end)

    t = threading.Thread(target=reader)
    t.start()
    try:
        with open(write_end, "wb", closefd=True) as out, pytest.raises(BrokenPipeError):
            ShellBase.pump(io.BytesIO(data), out)
            out.flush()
    except BrokenPipeError:  # closing the writer may flush into the broken pipe again
        pass
    finally:
        t.join(timeout=10)


class _ShortWriter(io.RawIOBase):
    """Takes at most 1000 bytes a call, as a slow or partial writer may."""

    def __init__(self) -> None:
        self.got = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        take = bytes(b[:1000])
        self.got += take
        return len(take)


def test_short_writes_are_completed() -> None:
    data = os.urandom(50_000)
    out = _ShortWriter()
    assert ShellBase.pump(io.BytesIO(data), out) == len(data)
    assert bytes(out.got) == data
