"""Hadoop's deprecated property names, for the properties minihadoop reads.

Owns: the table of old names (Hadoop's DeprecatedProperties page: ``mapred.reduce.tasks``,
``io.sort.mb``, ``dfs.block.size``, ``fs.default.name``, ...) that map to a property minihadoop
reads, and `undeprecate`, which renames them in a set of command-line or ``-conf`` values and
prints Hadoop's ``INFO Configuration.deprecation: X is deprecated. Instead, use Y`` line for
each, as Hadoop's Configuration does. Old tutorials and scripts use these names; without the
table they were silently ignored (``-D mapred.reduce.tasks=3`` ran one reducer).
Must not touch: Configuration itself (dfs.conf) - the command lines (dfs.cli, mapred.cli) call
this on what the user typed.

>>> undeprecate({"mapred.reduce.tasks": "3", "a": "b"}, report=lambda old, new: None)
{'mapreduce.job.reduces': '3', 'a': 'b'}
>>> undeprecate({"mapreduce.job.reduces": "2", "mapred.reduce.tasks": "3"}, lambda o, n: None)
{'mapreduce.job.reduces': '2'}
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping

__all__ = ["DEPRECATED_KEYS", "undeprecate"]

#: old name -> the name minihadoop reads (Hadoop's DeprecatedProperties, the pairs whose new
#: name is a property of dfs.conf.DEFAULTS or one a job reads)
DEPRECATED_KEYS: dict[str, str] = {
    "fs.default.name": "fs.defaultFS",
    "dfs.block.size": "dfs.blocksize",
    "io.bytes.per.checksum": "dfs.bytes-per-checksum",
    "dfs.write.packet.size": "dfs.client-write-packet-size",
    "dfs.umaskmode": "fs.permissions.umask-mode",
    "dfs.permissions": "dfs.permissions.enabled",
    "dfs.permissions.supergroup": "dfs.permissions.superusergroup",
    "dfs.replication.min": "dfs.namenode.replication.min",
    "dfs.safemode.threshold.pct": "dfs.namenode.safemode.threshold-pct",
    "dfs.safemode.extension": "dfs.namenode.safemode.extension",
    "heartbeat.recheck.interval": "dfs.namenode.heartbeat.recheck-interval",
    "mapred.job.name": "mapreduce.job.name",
    "mapred.reduce.tasks": "mapreduce.job.reduces",
    "mapred.map.tasks": "mapreduce.job.maps",
    "io.sort.mb": "mapreduce.task.io.sort.mb",
    "io.sort.spill.percent": "mapreduce.map.sort.spill.percent",
    "io.sort.factor": "mapreduce.task.io.sort.factor",
    "min.num.spills.for.combine": "mapreduce.map.combine.minspills",
    "mapred.local.dir": "mapreduce.cluster.local.dir",
    "mapred.map.max.attempts": "mapreduce.map.maxattempts",
    "mapred.reduce.max.attempts": "mapreduce.reduce.maxattempts",
    "mapred.tasktracker.map.tasks.maximum": "mapreduce.tasktracker.map.tasks.maximum",
    "mapred.tasktracker.reduce.tasks.maximum": "mapreduce.tasktracker.reduce.tasks.maximum",
    "mapred.min.split.size": "mapreduce.input.fileinputformat.split.minsize",
    "mapred.max.split.size": "mapreduce.input.fileinputformat.split.maxsize",
    "mapred.line.input.format.linespermap": "mapreduce.input.lineinputformat.linespermap",
    "key.value.separator.in.input.line": (
        "mapreduce.input.keyvaluelinerecordreader.key.value.separator"
    ),
    "mapred.textoutputformat.separator": "mapreduce.output.textoutputformat.separator",
    "mapred.output.compress": "mapreduce.output.fileoutputformat.compress",
    "mapred.job.tracker": "mapreduce.jobtracker.address",
    "mapred.jobtracker.taskScheduler": "mapreduce.jobtracker.taskscheduler",
    "mapred.tasktracker.expiry.interval": "mapreduce.jobtracker.expire.trackers.interval",
    "mapred.job.tracker.retiredjobs.cache.size": "mapreduce.jobtracker.retiredjobs.cache.size",
    "mapred.reduce.slowstart.completed.maps": "mapreduce.job.reduce.slowstart.completedmaps",
    "mapred.max.tracker.failures": "mapreduce.job.maxtaskfailures.per.tracker",
    "mapred.task.timeout": "mapreduce.task.timeout",
    "mapred.map.tasks.speculative.execution": "mapreduce.map.speculative",
    "mapred.reduce.tasks.speculative.execution": "mapreduce.reduce.speculative",
    "mapred.speculative.execution.speculativeCap": "mapreduce.job.speculative.speculativecap",
    "mapred.reduce.parallel.copies": "mapreduce.reduce.shuffle.parallelcopies",
}


def _print_deprecation(old: str, new: str) -> None:
    stamp = time.strftime("%y/%m/%d %H:%M:%S")
    sys.stderr.write(
        f"{stamp} INFO Configuration.deprecation: {old} is deprecated. Instead, use {new}\n"
    )


def undeprecate(
    values: Mapping[str, str], report: Callable[[str, str], None] = _print_deprecation
) -> dict[str, str]:
    """`values` with every deprecated name replaced by its new one (`report` is told each);
    a new name given as well keeps its own value, whichever came first."""
    explicit = {key for key in values if key not in DEPRECATED_KEYS}
    out: dict[str, str] = {}
    for key, value in values.items():
        new = DEPRECATED_KEYS.get(key)
        if new is None:
            out[key] = value
            continue
        report(key, new)
        if new not in explicit:
            out[new] = value
    return out
