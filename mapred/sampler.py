"""Input sampling for total-order partitioning (Hadoop's InputSampler + TotalOrderPartitioner).

Owns: choosing ``reducers - 1`` cut points in byte-sort-key space from a sample of the job's map
output keys, so partition i holds keys in ``[cut[i-1], cut[i])`` and the part files concatenate
into one sorted sequence. Must not touch: the tasks or the partitioner's use of the cuts
(``mapred.partition.TotalOrderPartitioner``).

Policy (Hadoop's RandomSampler, applied to map output rather than raw input so it sees the keys
the reducers will): read up to ``mapreduce.totalorder.sampler.splits`` splits spread evenly over
the input (default 10), keep the first ``mapreduce.totalorder.sampler.records.per.split``
(default 1000) records of each, run the job's mapper over them, and take evenly spaced quantiles
of the sorted sample's byte sort keys. Duplicate cut points are allowed (a reducer may be empty).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any

from dfs.conf import Configuration
from mapred.api import Context, Input, has_method
from mapred.partition import make_sort_key

__all__ = ["sample_keys", "sample_cut_points", "cut_points"]


def sample_keys(
    job_cls: type, inputs: Sequence[Input], splits: Sequence[Any], conf: Configuration
) -> list[bytes]:
    """Byte sort keys of map output from a sample of `splits`."""
    from mapred.io import get_input_format

    max_splits = conf.get_int("mapreduce.totalorder.sampler.splits", 10)
    per_split = conf.get_int("mapreduce.totalorder.sampler.records.per.split", 1000)
    step = max(1, len(splits) // max(1, max_splits))
    chosen = list(splits)[::step][:max_splits]
    job = job_cls()
    job.context = Context(conf, "sampler", "sampler")
    (job.map_setup if has_method(job_cls, "map_setup") else job.setup)()
    sort_key = make_sort_key(job)
    keys: list[bytes] = []
    for split in chosen:
        inp = inputs[split.input_index] if split.input_index < len(inputs) else Input("")
        fmt = get_input_format(inp.format or job_cls.input_format)
        name = inp.mapper or "map"
        records = list(islice(fmt.read(split, conf), per_split))
        batch_mapper = getattr(job, f"{name}_batch", None)  # as the map task would call it
        if batch_mapper is not None:
            outputs = [batch_mapper([k for k, _ in records], [v for _, v in records]) or ()]
        else:
            mapper = getattr(job, name)
            outputs = [mapper(key, value) or () for key, value in records]
        keys.extend(sort_key(k) for out in outputs for k, _ in out)
    return keys


def cut_points(sample: Sequence[bytes], partitions: int) -> list[bytes]:
    """``partitions - 1`` evenly spaced quantiles of the sorted sample.

    >>> cut_points([b"a", b"b", b"c", b"d"], 2)
    [b'c']
    """
    if partitions <= 1:
        return []
    ordered = sorted(sample)
    if not ordered:
        return [b""] * (partitions - 1)
    step = len(ordered) / partitions
    return [ordered[min(len(ordered) - 1, round(step * i))] for i in range(1, partitions)]


def sample_cut_points(
    job_cls: type,
    inputs: Sequence[Input],
    splits: Sequence[Any],
    conf: Configuration,
    partitions: int,
) -> list[bytes]:
    return cut_points(sample_keys(job_cls, inputs, splits, conf), partitions)
