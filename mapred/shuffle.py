"""The shuffle: a reduce task fetching its partition's segment from every map output.

Owns: turning map output locations into record streams for one reduce partition, and the
shuffle byte/record totals. Must not touch: scheduling (the caller says where map outputs are)
or grouping (``mapred.task``).

A segment is ``(path, offset, length, records)``: a byte range of a map task's ``file.out`` on
local disk; a map output held by another tracker (daemon mode) is first copied to a local file
through that tracker's shuffle server (``mapred.shuffleserver``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from typing import Any

from mapred.merge import read_segment

log = logging.getLogger(__name__)

__all__ = ["Segment", "fetch_local", "gather_segments"]

Segment = tuple  # (path, offset, length, records)
_MERGE_BUFFER_BYTES = 64 << 20
FETCH_RETRIES = 1  # a failed copy is tried again once before the map output is reported lost
FETCH_RETRY_PAUSE_S = 0.2


def gather_segments(
    map_outputs: Sequence[Sequence[Any]],
    partition: int,
    job_id: str,
    fetch_dir: str,
    parallel: int = 5,
) -> tuple[list[Segment], list[int]]:
    """This partition's segments of every map output, as a TaskTracker located them: ``[path,
    index]`` on this node (read in place), or ``[path, index, address, attempt]`` held by
    another tracker (copied into `fetch_dir` through its shuffle server, `parallel` at a time,
    each retried once after a pause). Returns the segments in map order and the indexes of the
    maps whose output could not be had (their maps must run again)."""
    found: dict[int, Segment] = {}
    failed: list[int] = []
    remote = []
    for map_index, entry in enumerate(map_outputs):
        path, index = entry[0], entry[1]
        offset, length, records = index[partition]
        if not length:
            continue
        if len(entry) > 2 and entry[2]:
            remote.append((map_index, entry))
        elif os.path.exists(path):
            found[map_index] = (path, offset, length, records)
        else:
            failed.append(map_index)
    if remote:
        from concurrent.futures import ThreadPoolExecutor  # here: only another node's outputs

        os.makedirs(fetch_dir, exist_ok=True)
        workers = max(1, min(parallel, len(remote)))
        with ThreadPoolExecutor(workers, thread_name_prefix="fetcher") as pool:
            jobs = [(i, e, partition, job_id, fetch_dir) for i, e in remote]
            for map_index, segment in pool.map(lambda job: _fetch(*job), jobs):
                if segment is None:
                    failed.append(map_index)
                else:
                    found[map_index] = segment
    return [found[i] for i in sorted(found)], sorted(failed)


def _fetch(
    map_index: int, entry: Sequence[Any], partition: int, job_id: str, fetch_dir: str
) -> tuple[int, Segment | None]:
    from mapred.shuffleserver import ShuffleError, fetch_segment

    target = os.path.join(fetch_dir, f"map_{map_index:06d}.out")
    for attempt in range(FETCH_RETRIES + 1):
        try:
            return map_index, fetch_segment(entry[2], job_id, entry[3], partition, target)
        except ShuffleError as e:
            if attempt == FETCH_RETRIES:
                log.warning("%s (gave up after %d tries)", e, attempt + 1)
                return map_index, None
            time.sleep(FETCH_RETRY_PAUSE_S)
    return map_index, None


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
