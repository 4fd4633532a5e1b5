"""What Pig's end-of-run summary says about a finished job (Pig's MRJobStats/OutputStats).

Owns: the records a job stored, counted from the files it wrote: one text line per row of a
PigStorage-style store, the block record counts of a record file (BinStorage). The Hadoop
counters cannot tell: the back end may write many rows of a group in one write. Must not
touch: running jobs (launcher.py) or printing (cli.py); the files are only read.
"""

from __future__ import annotations

from typing import Any

__all__ = ["output_records", "records_written"]

_CHUNK = 1 << 20


def records_written(stat: dict[str, Any]) -> int | None:
    """The rows job `stat` (an entry of ``PigServer.stats``) stored: the rows a DUMP printed,
    else counted from the stored output; None when the output is gone (a temporary one)."""
    if stat.get("records") is not None:
        return int(stat["records"])
    if not stat.get("store"):
        return None
    try:
        return output_records(stat["output"], bool(stat.get("text")))
    except OSError:
        return None


def output_records(url: str, text: bool) -> int:
    """Records in the part files of output directory `url`: lines of a text output, the
    sum of the block headers' record counts of a record-file output."""
    import fsspec

    from mapred.runner import part_files

    total = 0
    for part in part_files(url):
        with fsspec.open(part, "rb", compression="infer") as f:
            total += _lines(f) if text else _block_records(f, part)
    return total


def _lines(f: Any) -> int:
    n = 0
    while chunk := f.read(_CHUNK):
        n += chunk.count(b"\n")
    return n


def _block_records(f: Any, name: str) -> int:
    from mapred.recordfile import BLOCK_HEADER, BLOCK_OVERHEAD, SYNC_SIZE, read_header

    sync = read_header(f, name)
    n = 0
    while len(head := f.read(BLOCK_OVERHEAD)) == BLOCK_OVERHEAD and head[:SYNC_SIZE] == sync:
        count, size = BLOCK_HEADER.unpack_from(head, SYNC_SIZE)
        n += count
        f.seek(size, 1)
    return n
