"""The shuffle: a reduce task fetching its partition's segment from every map output.

Owns: turning map output locations into record streams for one reduce partition, and the
shuffle byte/record totals. Must not touch: scheduling (the caller says where map outputs are)
or grouping (``mapred.task``).

A segment is ``(path, offset, length, records)``: a byte range of a map task's ``file.out`` on
local disk (the embedded cluster shares one machine). A later TaskTracker can swap in a remote
fetcher with the same shape: ``fetch(segments) -> (streams, bytes, records)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from mapred.merge import read_segment

__all__ = ["Segment", "fetch_local", "segments_for_partition", "missing_segments"]

Segment = tuple  # (path, offset, length, records)
_MERGE_BUFFER_BYTES = 64 << 20


def segments_for_partition(map_outputs: Iterable[Sequence[Any]], partition: int) -> list[Segment]:
    """From ``[(path, index), ...]`` of finished maps, the non-empty segments of `partition`."""
    segments = []
    for path, index in map_outputs:
        offset, length, records = index[partition]
        if length:
            segments.append((path, offset, length, records))
    return segments


def missing_segments(map_outputs: Sequence[Sequence[Any]], partition: int) -> list[int]:
    """Indexes of the maps whose output holds data for `partition` but cannot be read here."""
    import os

    missing = []
    for map_index, (path, index) in enumerate(map_outputs):
        if index[partition][1] and not os.path.exists(path):
            missing.append(map_index)
    return missing


def fetch_local(segments: Sequence[Segment]) -> tuple[list[Iterator[tuple]], int, int]:
    """Open every segment as a lazy record stream; returns (streams, shuffle bytes, records)."""
    # Many maps: smaller read buffers, so the merge's memory stays near _MERGE_BUFFER_BYTES.
    read_size = max(16 << 10, min(256 << 10, _MERGE_BUFFER_BYTES // max(1, len(segments))))
    streams = [
        read_segment(path, offset, length, read_size) for path, offset, length, _ in segments
    ]
    total_bytes = sum(s[2] for s in segments)
    total_records = sum(s[3] for s in segments)
    return streams, total_bytes, total_records
