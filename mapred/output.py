"""Output formats: how a task's (key, value) records become bytes in its part file.

Owns the record writers (text lines, binary record files, nothing). Must not touch where part
files live or how they are committed (that is `mapred.committer`) nor any filesystem internals:
a writer receives an open binary file object and closes it on `close()`.

TextOutputFormat writes ``key<sep>value\\n`` like Hadoop's: a None key or value is left out
together with the separator, and a record whose key and value are both None writes nothing.
Values are rendered with ``str()`` and encoded as UTF-8; bytes are written raw.

Named outputs (Hadoop's MultipleOutputs, Pig's one store per output of a merged job): a job
declares extra outputs as `NamedOutput`s in its configuration (`declare_named_outputs`, read
back by `named_outputs`), each a directory of its own with its own format; a task writes into
one through ``context.output(name)`` (`mapred.multipleoutputs`), and the job commit publishes
all of them or none (`mapred.committer.MultiOutputCommitter`).
"""

from __future__ import annotations

import bz2
import gzip
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice
from operator import itemgetter
from typing import Any, BinaryIO

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred.errors import JobConfigError
from mapred.io import load_class
from mapred.recordfile import RecordFileWriter

_FLUSH_BYTES = 1 << 20
_BATCH = 4096  # pairs joined into text at once, at most
_FIRST_BATCH = 1  # pairs of the first batch (a batch's text sizes the next, growing 4x at most)
_PAIR = {2}
_END, _BYTES_END = ("",), (b"",)
_KEY, _VALUE = itemgetter(0), itemgetter(1)
_NONE = type(None)
_NO_KEY = {None}


class CountingFile:
    """A file object that counts the bytes written through it (the Bytes Written counters)."""

    __slots__ = ("_f", "written")

    def __init__(self, f: Any) -> None:
        self._f = f
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self._f.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


class RecordWriter:
    """Writes one task's records; `close()` flushes and closes the underlying file."""

    def write(self, key: Any, value: Any) -> None:
        raise NotImplementedError

    def write_pairs(self, pairs: Iterable[tuple[Any, Any]]) -> int:
        """Write every (key, value) of `pairs`; returns how many there were."""
        write = self.write
        n = 0
        for k, v in pairs:
            write(k, v)
            n += 1
        return n

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OutputFormat:
    """Base: `extension` is appended to part file names (``part-r-00000`` + extension);
    `get_extension(conf)` also accounts for output compression."""

    extension: str = ""

    def get_extension(self, conf: Configuration) -> str:
        return self.extension

    def open_writer(self, fileobj: BinaryIO, conf: Configuration) -> RecordWriter:
        raise NotImplementedError


COMPRESS_KEY = "mapreduce.output.fileoutputformat.compress"


class _GzipOwner(gzip.GzipFile):
    """A gzip stream that also closes the file it writes into."""

    def close(self) -> None:
        raw = self.fileobj
        super().close()
        if raw is not None:
            raw.close()


# --- text -------------------------------------------------------------------------------------
def _as_bytes(obj: Any) -> bytes:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return bytes(obj)
    return _utf8(str(obj))


def _utf8(text: str) -> bytes:
    """UTF-8 of `text`; a lone surrogate (half of a character a substring cut in two) becomes
    '?', as Java's String.getBytes and Hadoop's Text replace it, instead of failing the task."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _lines(batch: list) -> str | bytes | None:
    """The text of a batch of pairs that are each a whole line, ``(None, str)`` (what Pig's
    stores write) or ``(None, bytes)`` (lines already encoded: their bytes as they are), as
    `TextRecordWriter.write` makes it, in C-level passes; None for any other batch."""
    try:
        if set(map(len, batch)) != _PAIR or set(map(_KEY, batch)) != _NO_KEY:
            return None
    except TypeError:  # not pairs
        return None
    values = list(map(_VALUE, batch))
    try:
        return "\n".join(chain(values, _END))
    except TypeError:  # a value that is not a str
        pass
    try:
        return b"\n".join(chain(values, _BYTES_END))
    except TypeError:  # a value that is not bytes-like either
        return None


class TextRecordWriter(RecordWriter):
    """``key<sep>value\\n`` lines, buffered into about 1 MiB writes."""

    def __init__(self, fileobj: BinaryIO, separator: str = "\t") -> None:
        self._f = fileobj
        self._sep = separator
        self._bsep = separator.encode("utf-8")
        self._parts: list[bytes] = []
        self._size = 0
        self._line_format = ("{}" + separator.replace("{", "{{").replace("}", "}}") + "{}\n").format

    def write(self, key: Any, value: Any) -> None:
        if key is None and type(value) is str:  # a whole line (Pig's stores)
            line = _utf8(value + "\n")
        elif key is None or value is None or type(key) is bytes or type(value) is bytes:
            line = self._mixed_line(key, value)
            if line is None:
                return
        else:
            line = _utf8(f"{key}{self._sep}{value}\n")
        self._parts.append(line)
        self._size += len(line)
        if self._size >= _FLUSH_BYTES:
            self._flush()

    def write_pairs(self, pairs: Iterable[tuple[Any, Any]]) -> int:
        """Write every (key, value) of `pairs`; returns how many there were. A batch of pairs of
        strings becomes text in two C-level joins; any other batch goes record by record. A batch
        holds about ``_FLUSH_BYTES`` of text (sized by the one before it), so memory stays
        bounded when each pair is many lines."""
        it = iter(pairs)
        join = self._sep.join
        n = 0
        size = _FIRST_BATCH  # pairs taken at a time: about _FLUSH_BYTES of text, by the last batch
        while batch := list(islice(it, size)):
            n += len(batch)
            try:
                if set(map(len, batch)) != _PAIR:
                    raise TypeError("not pairs")
                # TypeError unless every key and value is a str; the empty last part ends the
                # text with a newline (no copy of it to append one)
                text = "\n".join(chain(map(join, batch), _END))
            except TypeError:
                text = _lines(batch)
                if text is None:
                    text = self._formatted(batch)
                if text is None:
                    for k, v in batch:
                        self.write(k, v)
                    continue
            data = _utf8(text) if type(text) is str else text
            self._parts.append(data)
            self._size += len(data)
            if self._size >= _FLUSH_BYTES:
                self._flush()
            # a pair may be many lines (Pig's stores join a batch of rows): bound what is held
            size = max(1, min(_BATCH, 4 * len(batch), len(batch) * _FLUSH_BYTES // (len(data) + 1)))
        return n

    def _formatted(self, batch: list) -> str | None:
        """The lines of a batch of pairs of other values than str (a word and its int count),
        each ``f"{key}{sep}{value}"`` as `write` makes it, in C-level passes; None when a pair
        is not a pair or holds a None or bytes (`write` handles those)."""
        if set(map(len, batch)) != _PAIR:
            return None
        keys, values = list(map(_KEY, batch)), list(map(_VALUE, batch))
        kinds = set(map(type, keys)) | set(map(type, values))
        if bytes in kinds or _NONE in kinds:
            return None
        return "".join(map(self._line_format, keys, values))

    def _mixed_line(self, key: Any, value: Any) -> bytes | None:
        if key is None and value is None:
            return None
        if key is None:
            return _as_bytes(value) + b"\n"
        if value is None:
            return _as_bytes(key) + b"\n"
        return _as_bytes(key) + self._bsep + _as_bytes(value) + b"\n"

    def _flush(self) -> None:
        if self._parts:
            self._f.write(b"".join(self._parts))
            self._parts = []
            self._size = 0

    def close(self) -> None:
        if self._f is None:
            return
        self._flush()
        self._f.close()
        self._f = None


class TextOutputFormat(OutputFormat):
    """Text lines; separator ``mapreduce.output.textoutputformat.separator`` (TAB). With
    ``mapreduce.output.fileoutputformat.compress`` true the lines are compressed by the codec
    ``...compress.codec`` names, its extension added (`_codec`: gzip ``.gz`` by default, bzip2
    ``.bz2``, zlib ``.deflate``); TextInputFormat reads such files back whole."""

    def get_extension(self, conf: Configuration) -> str:
        if not conf.get_bool(COMPRESS_KEY, False):
            return self.extension
        return "." + _codec(conf)

    def open_writer(self, fileobj: BinaryIO, conf: Configuration) -> RecordWriter:
        sep = conf.get_str("mapreduce.output.textoutputformat.separator", "\t")
        if conf.get_bool(COMPRESS_KEY, False):
            codec = _codec(conf)
            if codec == "bz2":
                fileobj = _Bz2Owner(fileobj, "wb")  # type: ignore[assignment]
            elif codec == "deflate":
                from dfs.deflate import DeflateWriter

                fileobj = DeflateWriter(fileobj)
            else:
                fileobj = _GzipOwner(fileobj=fileobj, mode="wb")  # type: ignore[assignment]
        return TextRecordWriter(fileobj, sep)


#: the codec of compressed output (Hadoop's class names; GzipCodec when not set)
CODEC_KEY = "mapreduce.output.fileoutputformat.compress.codec"


#: the codecs text output can be compressed with (class name -> Hadoop's getDefaultExtension)
_CODECS = {"GzipCodec": "gz", "BZip2Codec": "bz2", "DefaultCodec": "deflate",
           "DeflateCodec": "deflate"}


def _codec(conf: Configuration) -> str:
    """The extension of the codec `CODEC_KEY` names by its class name (GzipCodec when unset,
    TextOutputFormat's default): gz, bz2, or deflate for DefaultCodec and DeflateCodec (zlib
    streams). Any other (SnappyCodec, Lz4Codec, ZStandardCodec: native code in Hadoop) fails
    the task, as Hadoop's 'Compression codec X was not found', rather than writing gzip."""
    given = str(conf.get(CODEC_KEY) or "").strip()
    extension = _CODECS.get(given.rsplit(".", 1)[-1] or "GzipCodec")
    if extension is None:
        raise JobConfigError(
            f"Compression codec {given} was not found: {CODEC_KEY} may be "
            + ", ".join(f"org.apache.hadoop.io.compress.{c}" for c in _CODECS)
        )
    return extension


class _Bz2Owner(bz2.BZ2File):
    """A bzip2 stream that also closes the file it writes into."""

    def __init__(self, raw: BinaryIO, mode: str) -> None:
        super().__init__(raw, mode)
        self._raw = raw

    def close(self) -> None:
        super().close()
        self._raw.close()


# --- binary record files ----------------------------------------------------------------------
class RecordFileRecordWriter(RecordWriter):
    """Adapts `RecordFileWriter` to the RecordWriter interface."""

    def __init__(self, fileobj: BinaryIO) -> None:
        self._writer = RecordFileWriter(fileobj)
        self.write = self._writer.write  # type: ignore[method-assign]  # skip one call level
        self.write_pairs = self._writer.write_many  # type: ignore[method-assign]

    def close(self) -> None:
        self._writer.close()


class RecordFileOutputFormat(OutputFormat):
    """Binary msgpack record files (`mapred.recordfile`), read back by RecordFileInputFormat."""

    def open_writer(self, fileobj: BinaryIO, conf: Configuration) -> RecordWriter:
        return RecordFileRecordWriter(fileobj)


# --- nothing ----------------------------------------------------------------------------------
class NullRecordWriter(RecordWriter):
    """Discards records (Hadoop's NullOutputFormat); still closes the file it was given."""

    def __init__(self, fileobj: BinaryIO | None = None) -> None:
        self._f = fileobj

    def write(self, key: Any, value: Any) -> None:
        pass

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


class NullOutputFormat(OutputFormat):
    def open_writer(self, fileobj: BinaryIO, conf: Configuration) -> RecordWriter:
        return NullRecordWriter(fileobj)


OUTPUT_FORMATS: dict[str, type[OutputFormat]] = {
    "text": TextOutputFormat,
    "records": RecordFileOutputFormat,
    "null": NullOutputFormat,
}


def get_output_format(spec: str | type | OutputFormat) -> OutputFormat:
    """An output format from a name (text, records, null), a module:Class, a class or an
    instance (returned as is)."""
    if isinstance(spec, OutputFormat):
        return spec
    if isinstance(spec, str):
        spec = OUTPUT_FORMATS.get(spec.lower()) or load_class(spec, "output", OUTPUT_FORMATS)
    if isinstance(spec, type) and issubclass(spec, OutputFormat):
        return spec()
    raise JobConfigError(f"{spec!r} is not an output format (an OutputFormat subclass)")


# --- named outputs (MultipleOutputs) ----------------------------------------------------------
NAMED_OUTPUTS = "mapreduce.multipleoutputs.dirs"  # conf: [NamedOutput.to_wire(), ...]


@dataclass(frozen=True, slots=True)
class NamedOutput:
    """One extra output of a job: `name` (what a task asks for), `path` (a URL: its own output
    directory, published by the job commit) and `format` (a name of `OUTPUT_FORMATS` or a
    ``module:Class`` reference, resolved in the task)."""

    name: str
    path: str
    format: str = "text"

    def to_wire(self) -> list:
        return [self.name, self.path, self.format]

    @classmethod
    def from_wire(cls, data: Sequence[str]) -> NamedOutput:
        name, path, fmt = data
        return cls(str(name), str(path), str(fmt))


def declare_named_outputs(conf: Any, outputs: Sequence[NamedOutput]) -> None:
    """Record `outputs` in job configuration `conf` (a Configuration or a plain dict), refusing
    a name or a directory given twice."""
    names = [o.name for o in outputs]
    paths = [o.path.rstrip("/") for o in outputs]
    for what, values in (("name", names), ("directory", paths)):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise JobConfigError(f"named outputs: {what} {twice[0]!r} is given twice")
    if any(not n or "/" in n for n in names):
        raise JobConfigError(f"named outputs: a name must be non-empty without '/': {names}")
    value = [o.to_wire() for o in outputs]
    if isinstance(conf, Mapping) and not hasattr(conf, "set"):
        conf[NAMED_OUTPUTS] = value  # type: ignore[index]
    else:
        conf.set(NAMED_OUTPUTS, value)


def named_outputs(conf: Any) -> list[NamedOutput]:
    """The named outputs a job's configuration declares (none: an empty list)."""
    declared = conf.get(NAMED_OUTPUTS) if conf is not None else None
    return [NamedOutput.from_wire(o) for o in declared or ()]
