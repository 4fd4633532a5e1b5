"""Hadoop's DefaultCodec: zlib streams (RFC 1950, header and Adler-32 trailer) in files named
``*.deflate``.

Owns: `DeflateReader` and `DeflateWriter` (file objects over a raw binary file, closing it
when they close) and `register_with_fsspec`, which makes ``.deflate`` a codec fsspec infers
from a file name, as Hadoop's CompressionCodecFactory does (gzip ``.gz`` and bzip2 ``.bz2``
are fsspec's own). Hadoop writes such files for ``mapreduce.output.fileoutputformat.compress``
with ``...compress.codec=org.apache.hadoop.io.compress.DefaultCodec`` (or DeflateCodec) and
reads them back in TextInputFormat and ``hadoop fs -text``.
Must not touch: the other codecs.

>>> import io, zlib
>>> class Kept(io.BytesIO):
...     def close(self): pass
>>> raw = Kept()
>>> with DeflateWriter(raw) as w:
...     _ = w.write(b"a\\nb\\n")
>>> zlib.decompress(raw.getvalue())
b'a\\nb\\n'
>>> DeflateReader(io.BytesIO(zlib.compress(b"x\\ny\\n"))).readlines()
[b'x\\n', b'y\\n']
"""

from __future__ import annotations

import io
import zlib
from typing import Any, BinaryIO

__all__ = ["DeflateReader", "DeflateWriter", "register_with_fsspec"]

_CHUNK = 1 << 16


class _Inflater(io.RawIOBase):
    """The inflated bytes of a zlib stream (several streams back to back are read on, as
    Hadoop's DecompressorStream does after a finished one)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._z = zlib.decompressobj()
        self._pending = b""
        self._pos = 0  # inflated bytes read

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """As gzip's: forward by inflating, backward by starting over (raw must seek)."""
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence != io.SEEK_SET:
            raise io.UnsupportedOperation("can only seek from the start or the current position")
        if offset < self._pos:
            self._raw.seek(0)
            self._z, self._pending, self._pos = zlib.decompressobj(), b"", 0
        skip = bytearray(_CHUNK)
        while self._pos < offset:
            view = memoryview(skip)[: min(_CHUNK, offset - self._pos)]
            if not self.readinto(view):
                break
        return self._pos

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        while not self._pending:
            data = self._z.unconsumed_tail or self._raw.read(_CHUNK)
            if not data:
                self._pending = self._z.flush()
                break
            self._pending = self._z.decompress(data, max(size, _CHUNK))
            if self._z.eof:
                rest = self._z.unused_data
                self._z = zlib.decompressobj()
                if rest:
                    self._pending += self._z.decompress(rest, max(size, _CHUNK))
        n = min(size, len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._raw.close()


class _Deflater(io.RawIOBase):
    """Writes the zlib-compressed bytes (default level, as Hadoop's ZlibCompressor) to `raw`;
    closing ends the stream and closes `raw`."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._z = zlib.compressobj()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._raw.write(self._z.compress(data))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.write(self._z.flush())
            super().close()
            self._raw.close()


def DeflateReader(raw: BinaryIO) -> io.BufferedReader:  # noqa: N802 - a file type to callers
    """A buffered reader of the inflated bytes of the zlib file `raw`."""
    return io.BufferedReader(_Inflater(raw), _CHUNK)


def DeflateWriter(raw: BinaryIO) -> io.BufferedWriter:  # noqa: N802 - a file type to callers
    """A buffered writer that deflates into `raw` (closing it ends the stream and `raw`)."""
    return io.BufferedWriter(_Deflater(raw), _CHUNK)


def _fsspec_codec(infile: BinaryIO, mode: str = "rb", **kwargs: Any) -> io.BufferedIOBase:
    return DeflateWriter(infile) if "w" in mode else DeflateReader(infile)


def register_with_fsspec() -> None:
    """Make ``deflate`` (extension ``.deflate``) one of fsspec's codecs (imports fsspec;
    calling again does nothing)."""
    import fsspec.compression

    if "deflate" not in fsspec.compression.compr:
        fsspec.compression.register_compression("deflate", _fsspec_codec, "deflate")
