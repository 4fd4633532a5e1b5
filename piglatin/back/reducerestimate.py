"""How many reduce tasks a job gets when the script does not say: Pig's reducer estimate.

Owns: the number (`estimate`, Pig's InputSizeReducerEstimator: ceil(input bytes /
``pig.exec.reducers.bytes.per.reducer``), at least 1, at most ``pig.exec.reducers.max``), the
settings it uses in each mode (`Estimator.of`), and the order in which a job's reducers are
chosen (`runtime_reducers`, Pig's JobControlCompiler.calculateRuntimeReducers): the
operator's PARALLEL, else ``default_parallel`` (both decided by the compiler: mrcompiler.py),
else ``mapreduce.job.reduces`` when the user set it, else the estimate. Must not touch: where
the sizes come from (the launcher lists the job's inputs when it starts) or which jobs keep
one reducer (mrcompiler.py).

The defaults differ from Pig's in the default (cluster) mode, and only there:

- ``-x local``: Pig's own, 1,000,000,000 bytes per reducer and at most 999, so one reducer
  for any input under 1 GB, as Pig on its local job runner.
- the embedded cluster or the daemons: ``CLUSTER_BYTES_PER_REDUCER`` (16 MB) per reducer, at
  most the cluster's reduce slots (Hadoop's "How Many Reduces?": 0.95 x nodes x reduce slots
  per node, so that every reduce starts at once; rounded, with at least one). Pig's 1 GB fits
  a real cluster, where a gigabyte of reduce input is minutes of work for one task; here the
  cluster is simulated on one machine with a few cores, where 16 MB of input is already
  about a second of reduce work, several times what starting a reduce task costs. Tiny
  inputs keep one reducer; the reduces never outnumber the slots, unless the user sets
  ``pig.exec.reducers.max`` (or asks for a count with PARALLEL, ``default_parallel`` or
  ``mapreduce.job.reduces``). An ORDER keeps Pig's 1 GB per reducer (unless the user sets
  the property): more than one reducer needs its sampling job, a second pass over the whole
  input, which cost more than the second reducer saved on PigMix's L9 and L10 at 30 MB
  (CPU user+sys 2.4 -> 2.9 s and 2.5 -> 3.9 s, min of 3 alternating runs).
- Dask (``-x dask``): Pig's own defaults (the workers may be anywhere; their slots are not
  asked for before a job).

>>> estimate(30_439_772, 16_000_000, 2), estimate(0, 16_000_000, 2), estimate(10**12, 10**9, 999)
(2, 1, 999)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from dfs.fastclass import dataclass
from piglatin.errors import PigError

__all__ = [
    "BYTES_PER_REDUCER",
    "CLUSTER_BYTES_PER_REDUCER",
    "MAX_REDUCERS",
    "PIG_BYTES_PER_REDUCER",
    "PIG_MAX_REDUCERS",
    "Estimator",
    "cluster_cap",
    "estimate",
    "runtime_reducers",
]

BYTES_PER_REDUCER = "pig.exec.reducers.bytes.per.reducer"
MAX_REDUCERS = "pig.exec.reducers.max"
REDUCES = "mapreduce.job.reduces"
PIG_BYTES_PER_REDUCER = 1000 * 1000 * 1000  # Pig's defaults (InputSizeReducerEstimator)
PIG_MAX_REDUCERS = 999
CLUSTER_BYTES_PER_REDUCER = 16 * 1000 * 1000  # this project's, for its one-machine cluster


def estimate(total_bytes: int, bytes_per_reducer: int, max_reducers: int) -> int:
    """Pig's formula: ceil(total / bytes per reducer), at least 1, at most `max_reducers`."""
    return max(1, min(max_reducers, math.ceil(total_bytes / bytes_per_reducer)))


def cluster_cap(reduce_slots: int) -> int:
    """Reduces a cluster of `reduce_slots` runs in one wave: 0.95 x slots (Hadoop's "How
    Many Reduces?"), rounded, at least 1.

    >>> [cluster_cap(n) for n in (0, 1, 2, 4, 10, 40)]
    [1, 1, 2, 4, 10, 38]
    """
    return max(1, round(0.95 * reduce_slots))


@dataclass(frozen=True, slots=True)
class Estimator:
    """The estimate's settings for a session: bytes per reducer and the most reducers."""

    bytes_per_reducer: int
    max_reducers: int

    @classmethod
    def of(
        cls, properties: Mapping[str, Any], reduce_slots: int | None, sampled: bool = False
    ) -> Estimator:
        """The settings from the session's `properties` (Pig's names win), else the mode's
        defaults: Pig's when `reduce_slots` is None (``-x local``, Dask), else the embedded
        cluster's (``CLUSTER_BYTES_PER_REDUCER``, at most `cluster_cap` of its slots). A
        `sampled` job (an ORDER, whose extra reducers need its sampling job: one more pass
        over its whole input) keeps Pig's bytes per reducer unless the user sets them."""
        local = reduce_slots is None
        per = _whole(properties, BYTES_PER_REDUCER)
        most = _whole(properties, MAX_REDUCERS)
        if per is None:
            per = PIG_BYTES_PER_REDUCER if local or sampled else CLUSTER_BYTES_PER_REDUCER
        if most is None:
            most = PIG_MAX_REDUCERS if local else min(PIG_MAX_REDUCERS, cluster_cap(reduce_slots))
        return cls(per, most)

    def reducers(self, total_bytes: int | None) -> int:
        """The estimate for inputs of `total_bytes` (None: not known, one reducer as Pig)."""
        if total_bytes is None:
            return 1
        return estimate(total_bytes, self.bytes_per_reducer, self.max_reducers)


def runtime_reducers(
    requested: int, estimated: bool, properties: Mapping[str, Any], guess: Any
) -> int:
    """A job's reducers when it starts: `requested` (PARALLEL, ``default_parallel`` or a
    kind's fixed count, from the compiler) unless the compiler left them to the estimate
    (`estimated`); then ``mapreduce.job.reduces`` when the user set it above 0, else
    `guess()`, the estimate from the job's input sizes (called only then)."""
    if not estimated:
        return requested
    given = _whole(properties, REDUCES)
    if given is not None and given > 0:
        return given
    return int(guess())


def _whole(properties: Mapping[str, Any], key: str) -> int | None:
    """Setting `key` as a whole number >= 1 (None when not set); anything else is refused
    with Pig's ERROR 1000 naming the setting (the launcher also checks it where it is set)."""
    value = properties.get(key)
    if value is None or value == "":
        return None
    text = str(value).strip()
    least = 0 if key == REDUCES else 1
    if not (text.lstrip("-").isdigit() and int(text) >= least):
        raise PigError(
            f"Invalid value {text!r} for {key}: expected a whole number >= {least}", code=1000
        )
    return int(text)
