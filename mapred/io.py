"""Input side of a job: path expansion, input splits and the input formats' record readers.

Owns how input files become splits (one per block-sized range, hosts from the filesystem's block
locations when it has them) and how a split becomes (key, value) records. Must not touch the
engine (buffers, shuffle, scheduling) nor filesystem internals: storage is reached only through
fsspec URLs (``memory://``, local paths / ``file://`` (served by `mapred.localfs`), ``dfs://``).

Split policy (Hadoop's FileInputFormat): ``split size = max(minsize, min(maxsize, blocksize))``
where the block size is the file's own (``fs.info(path)["blocksize"]``) or ``dfs.blocksize``;
a file is cut into split-size pieces while more than 1.1 split sizes remain; an empty file gives
one empty split; compressed files (``.gz``, ``.bz2``, ...) are one split each.
``balanced_max_size`` evens out the last wave: with S task slots and N block-sized splits where N
is not a multiple of S, the runner caps the split size so that the input falls into the next
multiple of S nearly equal splits (a 200 MiB file on 64 MiB blocks and 2 slots: 4 x 50 MiB, not
64+64+64+8, which leaves one slot idle for a third of the job). Splits never grow past a block,
and inputs too small to be worth it (pieces under the `floor` the runner passes) keep their
block-sized splits.

Line records (Hadoop's LineRecordReader): a line belongs to the split in which its first byte
lies. A split that does not start at byte 0 backs up one byte and discards everything through
the first line terminator; every split reads past its end to finish its last line. Lines end in
``\\n``, ``\\r`` or ``\\r\\n``, as Hadoop's LineReader ends them (the terminator is not part of the
value); a final line without a terminator is a record. A read that ends in ``\\r`` takes one byte
more, so a CRLF is never seen as two terminators; a read without any ``\\r`` (the usual case)
pays one ``in`` test for the CR rules. Keys are byte offsets of the line start, values are UTF-8 text (``errors="replace"``), a
byte order mark at the start of a file is dropped. Reading is batched (1 MiB chunks split with
``bytes.split``), since every job's input passes through here.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import operator
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred.errors import InputPathError, JobConfigError
from mapred.localfs import infer_compression, url_to_fs
from mapred.recordfile import RecordFileReader

log = logging.getLogger(__name__)

SPLIT_SLOP = 1.1  # Hadoop's: the last split may be up to 10% larger than the split size
CHUNK_BYTES = 1 << 20
TAIL_BYTES = 64 << 10  # read size past a split's end, where only the last line is wanted
BALANCE_FLOOR = 4 << 20  # no re-cut into pieces smaller than this (a task costs ~10 ms to start)
_NO_END = sys.maxsize
_BOM = "\ufeff"


# --- splits -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class InputSplit:
    """A byte range of one input file, and the datanodes holding the block where it starts."""

    url: str
    start: int
    length: int
    hosts: tuple[str, ...] = ()
    input_index: int = 0

    @property
    def end(self) -> int:
        return self.start + self.length

    def to_wire(self) -> list:
        return [self.url, self.start, self.length, list(self.hosts), self.input_index]

    @classmethod
    def from_wire(cls, data: list) -> InputSplit:
        url, start, length, hosts, index = data
        return cls(url, start, length, tuple(hosts), index)


def compute_split_size(block_size: int, min_size: int, max_size: int) -> int:
    """Hadoop's ``max(minSize, min(maxSize, blockSize))``; ``max_size <= 0`` means no limit."""
    limit = block_size if max_size <= 0 else min(max_size, block_size)
    return max(1, min_size, limit)


def balanced_max_size(splits: list[InputSplit], slots: int, floor: int = BALANCE_FLOOR) -> int:
    """The split-size cap that cuts the input into a multiple of `slots` near-equal splits, or 0
    when the splits are already that even or the pieces would be smaller than `floor`."""
    if slots <= 1 or not splits:
        return 0
    total = sum(s.length for s in splits)
    largest = max(s.length for s in splits)
    if largest <= 0:  # empty files only: nothing to balance
        return 0
    pieces = -(-(-(-total // largest)) // slots) * slots
    cap = -(-total // pieces)
    return cap if floor <= cap < largest * 0.95 else 0


def _block_locations(fs: Any, path: str) -> list[tuple[int, int, tuple[str, ...]]] | None:
    get = getattr(fs, "block_locations", None)
    if get is None:
        return None
    return [(int(off), int(length), tuple(hosts)) for off, length, hosts in get(path)]


def _hosts_at(blocks: list[tuple[int, int, tuple[str, ...]]] | None, offset: int) -> tuple:
    """Hosts of the block containing `offset` (Hadoop's getBlockIndex)."""
    if not blocks:
        return ()
    for off, length, hosts in blocks:
        if off <= offset < off + length:
            return hosts
    return blocks[-1][2]


def file_splits(
    url: str, conf: Configuration, input_index: int = 0, splittable: bool = True
) -> list[InputSplit]:
    """Hadoop FileInputFormat's splits of one file."""
    fs, path = url_to_fs(url)
    info = fs.info(path)
    size = int(info["size"])
    if size == 0:
        return [InputSplit(url, 0, 0, (), input_index)]
    blocks = _block_locations(fs, path)
    if not splittable:
        return [InputSplit(url, 0, size, _hosts_at(blocks, 0), input_index)]
    block_size = int(info.get("blocksize") or conf.get_bytes("dfs.blocksize"))
    split_size = compute_split_size(
        block_size,
        conf.get_bytes("mapreduce.input.fileinputformat.split.minsize", 1),
        conf.get_bytes("mapreduce.input.fileinputformat.split.maxsize", 0),
    )
    splits = []
    offset = 0
    while (size - offset) / split_size > SPLIT_SLOP:
        splits.append(InputSplit(url, offset, split_size, _hosts_at(blocks, offset), input_index))
        offset += split_size
    splits.append(InputSplit(url, offset, size - offset, _hosts_at(blocks, offset), input_index))
    return splits


def is_compressed(url: str) -> bool:
    return infer_compression(url) is not None


def open_input(url: str) -> BinaryIO:
    """Open an input file for reading; compressed files are decompressed transparently."""
    fs, path = url_to_fs(url)
    return fs.open(path, "rb", compression=infer_compression(path))


def _open_measured(url: str) -> tuple[BinaryIO, BinaryIO]:
    """(the decompressed stream, the raw file under it): the raw file's position is how much
    of a compressed file has been consumed (Hadoop's LineRecordReader reports that)."""
    import fsspec.compression

    fs, path = url_to_fs(url)
    raw = fs.open(path, "rb")
    try:
        return fsspec.compression.compr[infer_compression(path)](raw, mode="rb"), raw
    except Exception:
        raw.close()
        raise


# --- input formats ----------------------------------------------------------------------------
class InputFormat:
    """Base: block-sized splits; subclasses define `read`. One instance per reading task."""

    bytes_read = 0

    def __init__(self) -> None:
        self.bytes_read = 0

    def is_splitable(self, url: str) -> bool:
        return not is_compressed(url)

    def get_splits(
        self, urls: list[str], conf: Configuration, input_index: int = 0
    ) -> list[InputSplit]:
        splits: list[InputSplit] = []
        for url in urls:
            splits.extend(file_splits(url, conf, input_index, self.is_splitable(url)))
        return splits

    def read(self, split: InputSplit, conf: Configuration) -> Iterator[tuple[Any, Any]]:
        raise NotImplementedError

    def progress(self, split: InputSplit, records: int) -> float:
        """How much of `split` a task has consumed (0..1), having taken `records` records."""
        return min(1.0, self.bytes_read / max(1, split.length))

    def read_batches(
        self, split: InputSplit, conf: Configuration, size: int = 4096
    ) -> Iterator[tuple[Iterable[Any], list[Any]]]:
        """The split's records as (keys, values) batches, for a job's ``map_batch``: `read`
        cut into lists of `size` records; text formats hand over their decoded chunks."""
        records = self.read(split, conf)
        while chunk := list(itertools.islice(records, size)):
            yield list(map(_key, chunk)), list(map(_value, chunk))


_key, _value = operator.itemgetter(0), operator.itemgetter(1)


class TextInputFormat(InputFormat):
    """Lines: key = byte offset of the line, value = the line without its terminator."""

    chunk_bytes = CHUNK_BYTES
    _chunk = (0, 0, 0, 0)

    def read(self, split: InputSplit, conf: Configuration) -> Iterator[tuple[int, str]]:
        # chain/starmap/zip: no Python frame per record, only one per chunk
        return itertools.chain.from_iterable(itertools.starmap(zip, self._line_batches(split)))

    def read_batches(
        self, split: InputSplit, conf: Configuration, size: int = 0
    ) -> Iterator[tuple[Iterable[int], list[str]]]:
        """(offsets, lines) per decoded chunk (about ``chunk_bytes`` of text)."""
        return self._line_batches(split)

    def _line_batches(self, split: InputSplit) -> Iterator[tuple[Iterator[int], list[str]]]:
        """(offsets, lines) per chunk of whole lines; keeps `bytes_read` up to date (the bytes
        of the chunks the task has finished with)."""
        self.bytes_read = records = 0
        # split bytes before the current chunk, the chunk's, records before it, its lines: in
        # file bytes, or for a compressed file in compressed bytes (the split's length)
        self._chunk = (0, 0, 0, 0)
        compressed = is_compressed(split.url)
        if compressed and split.start:
            return  # a compressed file is read whole by the split at offset 0
        if compressed:
            f, raw = _open_measured(split.url)
            start, end = 0, _NO_END
        else:
            f, raw, start, end = open_input(split.url), None, split.start, split.end
        consumed = 0  # compressed bytes
        self.malformed = bad = [0]  # sequences of bytes that were not UTF-8
        with f, raw or contextlib.nullcontext():
            for pos, head, body in line_chunks(f, start, end, self.chunk_bytes):
                offsets, lines = decode_lines(pos, body, bad, head)
                size = len(head) + len(body)
                if pos == 0 and lines and lines[0].startswith(_BOM):
                    lines[0] = lines[0][1:]
                # While the task works on a chunk, only what came before it counts as read;
                # `progress` places the task inside the chunk by the records it has taken.
                self.bytes_read = pos - start
                if raw is None:
                    self._chunk = (pos - start, size, records, len(lines))
                else:
                    now = min(raw.tell(), split.length)
                    self._chunk = (consumed, now - consumed, records, len(lines))
                    consumed = now
                yield offsets, lines
                records += len(lines)
                self.bytes_read = pos + size - start

    def progress(self, split: InputSplit, records: int) -> float:
        before, size, first, lines = self._chunk
        within = min(1.0, max(0, records - first) / lines) if lines else 0.0
        return min(1.0, (before + within * size) / max(1, split.length))


class KeyValueTextInputFormat(TextInputFormat):
    """Each line split at the first separator; a line without one is (line, "").

    As in Hadoop, only the first character of the configured separator is used.
    """

    read_batches = InputFormat.read_batches  # keys are not offsets here

    def read(self, split: InputSplit, conf: Configuration) -> Iterator[tuple[str, str]]:
        key = "mapreduce.input.keyvaluelinerecordreader.key.value.separator"
        sep = (conf.get_str(key, "\t") or "\t")[0]
        for _offsets, lines in self._line_batches(split):
            yield from ((k, v) for k, _, v in map(str.partition, lines, itertools.repeat(sep)))


class NLineInputFormat(TextInputFormat):
    """Every N lines (``mapreduce.input.lineinputformat.linespermap``) of a file form a split."""

    def get_splits(
        self, urls: list[str], conf: Configuration, input_index: int = 0
    ) -> list[InputSplit]:
        n = conf.get_int("mapreduce.input.lineinputformat.linespermap", 1)
        if n < 1:
            raise JobConfigError(
                f"mapreduce.input.lineinputformat.linespermap must be at least 1, got {n}"
            )
        splits: list[InputSplit] = []
        for url in urls:
            if is_compressed(url):
                splits.extend(file_splits(url, conf, input_index, splittable=False))
                continue
            with open_input(url) as f:
                bounds = nline_bounds(f, n, self.chunk_bytes)
            splits.extend(InputSplit(url, s, e - s, (), input_index) for s, e in bounds)
        return splits


class RecordFileInputFormat(InputFormat):
    """Records of `mapred.recordfile` files, keys and values as written."""

    def read(self, split: InputSplit, conf: Configuration) -> Iterator[tuple[Any, Any]]:
        self.bytes_read = 0
        fs, path = url_to_fs(split.url)
        with fs.open(path, "rb") as f:
            reader = RecordFileReader(f, split.start, split.end, name=split.url)
            for record in reader:
                self.bytes_read = reader.bytes_read
                yield record
            self.bytes_read = reader.bytes_read

    def read_batches(
        self, split: InputSplit, conf: Configuration, size: int = 0
    ) -> Iterator[tuple[Iterable[Any], list[Any]]]:
        """(keys, values) per block of the file, each unpacked in one pass."""
        self.bytes_read = 0
        fs, path = url_to_fs(split.url)
        with fs.open(path, "rb") as f:
            reader = RecordFileReader(f, split.start, split.end, name=split.url)
            for keys, values in reader.batches():
                self.bytes_read = reader.bytes_read
                yield keys, values
            self.bytes_read = reader.bytes_read


# --- the line reader --------------------------------------------------------------------------
def line_chunks(
    f: BinaryIO, start: int, end: int, chunk: int
) -> Iterator[tuple[int, bytes, bytes | memoryview]]:
    """``(offset, head, body)`` per read: whole lines, each starting in [start, end), that begin
    at `offset`. `head` is a line begun in an earlier read (its bytes joined, or ``b""``), `body`
    the whole lines after it: a view of the bytes read, never copied (a read's bytes are joined
    only around the one line that crosses into it).

    Every line ends in a terminator (``\\n``, ``\\r`` or ``\\r\\n``) except possibly the file's
    last line.
    """
    if start:
        f.seek(start - 1)
        pos, data = _skip_first_line(f, start - 1, chunk)
        if data is None:
            return
    else:
        f.seek(0)
        pos, data = 0, b""
    rest = b""  # the first bytes of the line at `pos`, read before `data` (no terminator in them)
    while pos < end:  # invariant: pos is the offset of the line that `rest` (or data) starts
        if not data:
            data = _read(f, _read_size(end - pos - len(rest), chunk))
            if not data:  # end of file: its last line has no terminator
                if rest:
                    yield pos, rest, b""
                return
        base = pos + len(rest)  # the offset of data[0]
        head, begin = b"", 0  # data[begin:] starts a line
        cr = b"\r" in data  # the CR rules (`_line_end`) only for data that holds a CR
        if rest:
            e = _line_end(data, 0) if cr else data.find(b"\n") + 1
            if not e:  # a line longer than the reads so far
                rest += data
                data = b""
                continue
            head, rest, begin = rest + data[:e], b"", e
            if base + e >= end:  # it holds byte end-1: the split's last line
                yield pos, head, b""
                return
        at = max(begin, end - base - 1)
        e = _line_end(data, at) if cr else data.find(b"\n", at) + 1
        if e:  # the line holding byte end-1 is complete: the split's last line
            yield pos, head, _view(data, begin, e)
            return
        if cr:
            cut = max(data.rfind(b"\n", begin), data.rfind(b"\r", begin)) + 1 or begin
        else:
            cut = data.rfind(b"\n", begin) + 1 or begin
        if cut > begin or head:
            yield pos, head, _view(data, begin, cut)
        pos = base + cut
        rest = data[cut:]
        data = b""


def _read(f: BinaryIO, size: int) -> bytes:
    """`size` bytes of `f`, more when they end in a CR (whether an LF follows it decides where
    its line ends), so a CR is the last byte of a read only at the end of the file."""
    return _past_cr(f, f.read(size))


def _past_cr(f: BinaryIO, data: bytes) -> bytes:
    """`data`, and when it ends in a CR the bytes of `f` up to one that is not a CR (or the
    end of the file)."""
    if data[-1:] != b"\r":
        return data
    parts = [data]
    while (more := f.read(1)) == b"\r":
        parts.append(more)
    parts.append(more)
    return b"".join(parts)


def _line_end(data: bytes, i: int) -> int:
    """The index just past the first line terminator at or after `i` (LF, CR, or CRLF: one
    terminator), 0 when there is none. A CR is never `data`'s last byte unless the file ends
    there (`_read`)."""
    nl = data.find(b"\n", i)
    cr = data.find(b"\r", i, nl if nl >= 0 else len(data))
    if cr < 0:
        return nl + 1
    return cr + 2 if data[cr + 1 : cr + 2] == b"\n" else cr + 1


def _view(data: bytes, begin: int, stop: int) -> bytes | memoryview:
    """data[begin:stop] without copying it."""
    if begin == 0 and stop == len(data):
        return data
    return memoryview(data)[begin:stop]


def _read_size(left: int, chunk: int) -> int:
    """Read whole chunks inside the split, small ones once past its end (finishing a line)."""
    if left >= chunk:
        return chunk
    return max(left, min(chunk, TAIL_BYTES))


def _skip_first_line(f: BinaryIO, pos: int, chunk: int) -> tuple[int, bytes | None]:
    """Discard through the first line terminator at or after `pos`; None at end of file."""
    while True:
        data = _read(f, chunk)
        if not data:
            return pos, None
        e = _line_end(data, 0) if b"\r" in data else data.find(b"\n") + 1
        if e:
            return pos + e, _past_cr(f, data[e:])  # as `_read` leaves a read
        pos += len(data)


def decode_lines(
    pos: int, data: bytes | memoryview, malformed: list[int] | None = None, head: bytes = b""
) -> tuple[Iterator[int], list[str]]:
    """Split whole lines (`head`, a line on its own, then those of `data`; see `line_chunks`)
    into (line offsets, decoded lines without terminators). Bytes that are not UTF-8 become
    U+FFFD, each such sequence counted in ``malformed[0]``."""
    text = _decoded(data, malformed)
    if "\r" in text:
        raw, steps = _cr_lines(text, data)
    else:
        raw = text.split("\n")
        if not raw[-1]:  # the newline that ends the last line (or no text at all)
            raw.pop()
        # str.isascii reads a flag: then lengths in characters are lengths in bytes
        lines = raw if text.isascii() else bytes(data).split(b"\n")
        steps = map((1).__add__, map(len, lines))
    if head:
        first = _decoded(head, malformed)
        if first.endswith("\n"):
            first = first[:-2] if first.endswith("\r\n") else first[:-1]
        elif first.endswith("\r"):
            first = first[:-1]
        raw = [first, *raw]
        steps = itertools.chain((len(head),), steps)
    return itertools.accumulate(steps, initial=pos), raw


_TEXT_EOL = "(\r\n|\r|\n)"  # compiled on first use (`re`'s cache): only text with a CR needs them
_BYTES_EOL = b"\r\n|\r|\n"


def _cr_lines(text: str, data: bytes | memoryview) -> tuple[list[str], Iterable[int]]:
    """The lines of `text` (whole lines, see `line_chunks`) that holds a CR, each ended by
    LF, CR or CRLF, and the bytes each takes with its terminator."""
    parts = re.split(_TEXT_EOL, text)
    lines, ends = parts[0::2], parts[1::2]
    if len(lines) > len(ends):  # the last part follows the last terminator
        if lines[-1]:  # a last line without a terminator (the file's)
            ends.append("")
        else:
            lines.pop()
    sizes = map(len, lines) if text.isascii() else map(len, re.split(_BYTES_EOL, bytes(data)))
    return lines, list(map(operator.add, sizes, map(len, ends)))


def _decoded(data: bytes | memoryview, malformed: list[int] | None) -> str:
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError:  # rare: only such a chunk pays for a second decoding
        text = str(data, "utf-8", "replace")
        if malformed is not None:  # replacements, not U+FFFD characters of the input itself
            malformed[0] += text.count("\ufffd") - bytes(data).count(b"\xef\xbf\xbd")
        return text


def nline_bounds(f: BinaryIO, n: int, chunk: int) -> list[tuple[int, int]]:
    """Byte ranges of consecutive groups of `n` lines (the last group may be shorter)."""
    bounds: list[tuple[int, int]] = []
    begin = pos = count = 0
    while data := f.read(chunk):
        if count + data.count(b"\n") < n:
            count += data.count(b"\n")
            pos += len(data)
            continue
        i = data.find(b"\n")
        while i >= 0:
            count += 1
            if count == n:
                bounds.append((begin, pos + i + 1))
                begin, count = pos + i + 1, 0
            i = data.find(b"\n", i + 1)
        pos += len(data)
    if pos > begin:
        bounds.append((begin, pos))
    return bounds


# --- lookup -----------------------------------------------------------------------------------
INPUT_FORMATS: dict[str, type[InputFormat]] = {
    "text": TextInputFormat,
    "keyvalue": KeyValueTextInputFormat,
    "nline": NLineInputFormat,
    "records": RecordFileInputFormat,
}


def load_class(spec: str, kind: str, names: dict[str, type]) -> type:
    """Import ``module:Class`` (or ``module.Class``) named as a job's `kind` format."""
    module_name, sep, attr = spec.partition(":")
    if not sep:
        module_name, _, attr = spec.rpartition(".")
    choices = ", ".join(names)
    if not module_name or not attr:
        raise JobConfigError(
            f"unknown {kind} format {spec!r}; use one of {choices} or module:Class"
        )
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as e:
        raise JobConfigError(f"cannot load {kind} format {spec!r}: {e}") from None


def get_input_format(spec: str | type | InputFormat) -> InputFormat:
    """An input format from a name (text, keyvalue, nline, records), a module:Class, a class or
    an instance (returned as is)."""
    if isinstance(spec, InputFormat):
        return spec
    if isinstance(spec, str):
        spec = INPUT_FORMATS.get(spec.lower()) or load_class(spec, "input", INPUT_FORMATS)
    if isinstance(spec, type) and issubclass(spec, InputFormat):
        return spec()
    raise JobConfigError(f"{spec!r} is not an input format (an InputFormat subclass)")


# --- path expansion ---------------------------------------------------------------------------
_MAGIC = re.compile(r"[*?\[]")


def is_hidden(path: str) -> bool:
    """Hadoop's hidden-file filter: names starting with ``_`` or ``.``."""
    name = posixpath.basename(path.rstrip("/"))
    return name.startswith(("_", "."))


def expand_braces(pattern: str) -> list[str]:
    """Hadoop glob alternation: ``a{b,c{d,e}}`` -> ``abd``... (no braces: the pattern itself).

    >>> expand_braces("/d/{2009,2010}/x{1,2}")
    ['/d/2009/x1', '/d/2009/x2', '/d/2010/x1', '/d/2010/x2']
    """
    open_at = pattern.find("{")
    if open_at < 0:
        return [pattern]
    depth, parts, last = 0, [], open_at + 1
    for i in range(open_at, len(pattern)):
        ch = pattern[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parts.append(pattern[last:i])
                head, tail = pattern[:open_at], pattern[i + 1 :]
                return [
                    head + p + t
                    for part in parts
                    for p in expand_braces(part)
                    for t in expand_braces(tail)
                ]
        elif ch == "," and depth == 1:
            parts.append(pattern[last:i])
            last = i + 1
    return [pattern]  # unbalanced: taken literally


def split_path_list(text: str) -> list[str]:
    """Hadoop's comma-separated path list; commas inside ``{...}`` belong to a glob.

    >>> split_path_list("a,b/{x,y},c")
    ['a', 'b/{x,y}', 'c']
    """
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == "," and not depth:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return [p for p in parts if p]


def expand_inputs(paths: list[str] | str, conf: Configuration) -> list[str]:
    """Input paths -> file URLs: files as is, a directory's (non-hidden) files, glob matches.

    Each path may be a comma-separated list, as in Hadoop's ``setInputPaths``. Each path's
    files are sorted; paths keep their order. Subdirectories of an input directory are skipped
    unless ``mapreduce.input.fileinputformat.input.dir.recursive`` is true.
    """
    recursive = conf.get_bool("mapreduce.input.fileinputformat.input.dir.recursive", False)
    if isinstance(paths, str):
        paths = [paths]
    urls: list[str] = []
    for given in (p for text in paths for p in split_path_list(text)):
        fs, path = url_to_fs(given)
        if _MAGIC.search(path) or "{" in path:
            matches = [m for p in expand_braces(path) for m in fs.glob(p) if not is_hidden(m)]
            if not matches:
                raise InputPathError(f"Input Pattern {given} matches 0 files")
        elif fs.exists(path):
            matches = [path]
        else:
            raise InputPathError(f"Input path does not exist: {given}")
        found: list[str] = []
        for match in matches:
            found.extend(_files_of(fs, match, recursive))
        urls.extend(fs.unstrip_protocol(p) for p in sorted(set(found)))
    return urls


def _files_of(fs: Any, path: str, recursive: bool) -> list[str]:
    info = fs.info(path)
    if info["type"] != "directory":
        return [path]
    files = []
    for child in fs.ls(path, detail=True):
        name = child["name"]
        if is_hidden(name):
            continue
        if child["type"] == "directory":
            if recursive:
                files.extend(_files_of(fs, name, recursive))
        else:
            files.append(name)
    return files
