"""Job and task counters: named groups of named integers, merged across tasks, printed as Hadoop does.

Owns: the counter names the framework uses and their grouping/printing. Must not touch: tasks or
files. Counters cross process boundaries as plain ``{group: {name: int}}`` dicts (msgpack).

>>> c = Counters()
>>> c.increment(TASK_GROUP, MAP_INPUT_RECORDS, 3)
>>> c[TASK_GROUP][MAP_INPUT_RECORDS], c.find(MAP_INPUT_RECORDS)
(3, 3)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

TASK_GROUP = "Map-Reduce Framework"
FS_GROUP = "File System Counters"
JOB_GROUP = "Job Counters "
INPUT_GROUP = "File Input Format Counters "
OUTPUT_GROUP = "File Output Format Counters "

MAP_INPUT_RECORDS = "Map input records"
MAP_INPUT_BYTES = "Map input bytes"
MAP_OUTPUT_RECORDS = "Map output records"
MAP_OUTPUT_BYTES = "Map output bytes"
COMBINE_INPUT_RECORDS = "Combine input records"
COMBINE_OUTPUT_RECORDS = "Combine output records"
SPILLED_RECORDS = "Spilled Records"
REDUCE_INPUT_GROUPS = "Reduce input groups"
REDUCE_INPUT_RECORDS = "Reduce input records"
REDUCE_OUTPUT_RECORDS = "Reduce output records"
REDUCE_SHUFFLE_BYTES = "Reduce shuffle bytes"
MAP_SPILLS = "Map spills"
# Hadoop 3's peak resident set of a task's process; merged by max, not summed
PEAK_MAP_MEMORY = "Peak Map Physical memory (bytes)"
PEAK_REDUCE_MEMORY = "Peak Reduce Physical memory (bytes)"
MAXIMA = frozenset((PEAK_MAP_MEMORY, PEAK_REDUCE_MEMORY))
BYTES_READ = "Bytes Read"
#: a job of several inputs counts each input's records here (Pig's MultiInputCounters),
#: as "Input records from _<input index>"
MULTI_INPUT_GROUP = "MultiInputCounters"
BYTES_WRITTEN = "Bytes Written"
LAUNCHED_MAPS = "Launched map tasks"
LAUNCHED_REDUCES = "Launched reduce tasks"
FAILED_MAPS = "Failed map tasks"
FAILED_REDUCES = "Failed reduce tasks"
KILLED_MAPS = "Killed map tasks"
KILLED_REDUCES = "Killed reduce tasks"
DATA_LOCAL_MAPS = "Data-local map tasks"
RACK_LOCAL_MAPS = "Rack-local map tasks"
OTHER_LOCAL_MAPS = "Other local map tasks"
#: The job counter a map launch increments, by its locality (the JobTracker's names).
LOCALITY_COUNTERS = {
    "data-local": DATA_LOCAL_MAPS,
    "rack-local": RACK_LOCAL_MAPS,
    "off-rack": OTHER_LOCAL_MAPS,
}

#: Hadoop's names of the framework's counters (the enum classes' and constants' names, which
#: ``mapred job -counter`` and ``Counters.findCounter`` take) -> (group, counter) here
_HADOOP_GROUPS = {
    "org.apache.hadoop.mapreduce.TaskCounter": TASK_GROUP,
    "org.apache.hadoop.mapreduce.JobCounter": JOB_GROUP,
    "org.apache.hadoop.mapreduce.lib.input.FileInputFormatCounter": INPUT_GROUP,
    "org.apache.hadoop.mapreduce.lib.output.FileOutputFormatCounter": OUTPUT_GROUP,
    "org.apache.hadoop.mapreduce.FileSystemCounter": FS_GROUP,
    # AbstractCounters.legacyMap: the old API's group names
    "org.apache.hadoop.mapred.Task$Counter": TASK_GROUP,
    "org.apache.hadoop.mapred.JobInProgress$Counter": JOB_GROUP,
    "FileSystemCounters": FS_GROUP,
}
_HADOOP_NAMES = {
    TASK_GROUP: {
        "MAP_INPUT_RECORDS": MAP_INPUT_RECORDS,
        "MAP_INPUT_BYTES": MAP_INPUT_BYTES,
        "MAP_OUTPUT_RECORDS": MAP_OUTPUT_RECORDS,
        "MAP_OUTPUT_BYTES": MAP_OUTPUT_BYTES,
        "COMBINE_INPUT_RECORDS": COMBINE_INPUT_RECORDS,
        "COMBINE_OUTPUT_RECORDS": COMBINE_OUTPUT_RECORDS,
        "REDUCE_INPUT_GROUPS": REDUCE_INPUT_GROUPS,
        "REDUCE_SHUFFLE_BYTES": REDUCE_SHUFFLE_BYTES,
        "REDUCE_INPUT_RECORDS": REDUCE_INPUT_RECORDS,
        "REDUCE_OUTPUT_RECORDS": REDUCE_OUTPUT_RECORDS,
        "SPILLED_RECORDS": SPILLED_RECORDS,
        "MAP_PHYSICAL_MEMORY_BYTES_MAX": PEAK_MAP_MEMORY,
        "REDUCE_PHYSICAL_MEMORY_BYTES_MAX": PEAK_REDUCE_MEMORY,
    },
    JOB_GROUP: {
        "TOTAL_LAUNCHED_MAPS": LAUNCHED_MAPS,
        "TOTAL_LAUNCHED_REDUCES": LAUNCHED_REDUCES,
        "NUM_FAILED_MAPS": FAILED_MAPS,
        "NUM_FAILED_REDUCES": FAILED_REDUCES,
        "NUM_KILLED_MAPS": KILLED_MAPS,
        "NUM_KILLED_REDUCES": KILLED_REDUCES,
        "DATA_LOCAL_MAPS": DATA_LOCAL_MAPS,
        "RACK_LOCAL_MAPS": RACK_LOCAL_MAPS,
        "OTHER_LOCAL_MAPS": OTHER_LOCAL_MAPS,
    },
    INPUT_GROUP: {"BYTES_READ": BYTES_READ},
    OUTPUT_GROUP: {"BYTES_WRITTEN": BYTES_WRITTEN},
}


def find_counter(counters: Mapping[str, Mapping[str, int]], group: str, name: str) -> int:
    """Hadoop's ``Counters.findCounter(group, name).getValue()``: a framework group by its
    class name (or the old API's), its counters by their enum names (an unknown one is an
    error, as FrameworkCounterGroup's); any other group by its own name, where a counter never
    incremented is 0. Display names (``Map-Reduce Framework``, ``Map input records``) are
    taken too.

    >>> c = {TASK_GROUP: {MAP_INPUT_RECORDS: 2}, "WordCount2$CountersEnum": {"INPUT_WORDS": 9}}
    >>> find_counter(c, "org.apache.hadoop.mapreduce.TaskCounter", "MAP_INPUT_RECORDS")
    2
    >>> find_counter(c, "WordCount2$CountersEnum", "INPUT_WORDS")
    9
    """
    shown = _HADOOP_GROUPS.get(group)
    if shown is not None and shown in _HADOOP_NAMES:
        known = _HADOOP_NAMES[shown]
        if name not in known and name not in known.values():
            raise ValueError(f"{name} is not a recognized counter.")
        name = known.get(name, name)
    elif shown is None:
        plain = {g.strip(): g for g in counters}
        shown = plain.get(group.strip(), group)
    return counters.get(shown, {}).get(name, 0)


# Print order of the groups and of the framework's own counters (Hadoop's order).
_GROUP_ORDER = (FS_GROUP, JOB_GROUP, TASK_GROUP, INPUT_GROUP, OUTPUT_GROUP)
_NAME_ORDER = {
    name: i
    for i, name in enumerate(
        (
            LAUNCHED_MAPS,
            LAUNCHED_REDUCES,
            FAILED_MAPS,
            FAILED_REDUCES,
            KILLED_MAPS,
            KILLED_REDUCES,
            DATA_LOCAL_MAPS,
            RACK_LOCAL_MAPS,
            OTHER_LOCAL_MAPS,
            MAP_INPUT_RECORDS,
            MAP_INPUT_BYTES,
            MAP_OUTPUT_RECORDS,
            MAP_OUTPUT_BYTES,
            COMBINE_INPUT_RECORDS,
            COMBINE_OUTPUT_RECORDS,
            REDUCE_INPUT_GROUPS,
            REDUCE_SHUFFLE_BYTES,
            REDUCE_INPUT_RECORDS,
            REDUCE_OUTPUT_RECORDS,
            SPILLED_RECORDS,
            MAP_SPILLS,
        )
    )
}


class Counters(Mapping[str, Mapping[str, int]]):
    """``counters[group][name] -> int``; groups and names appear as they are first incremented."""

    __slots__ = ("_groups",)

    def __init__(self, groups: Mapping[str, Mapping[str, int]] | None = None) -> None:
        self._groups: dict[str, dict[str, int]] = {}
        if groups:
            self.merge(groups)

    def increment(self, group: str, name: str, n: int = 1) -> None:
        g = self._groups.get(group)
        if g is None:
            g = self._groups[group] = {}
        g[name] = g.get(name, 0) + n

    def merge(self, other: Mapping[str, Mapping[str, int]]) -> None:
        """Add `other`'s counters to these (the peaks in ``MAXIMA``: keep the larger)."""
        for group, names in other.items():
            for name, n in names.items():
                if name in MAXIMA:
                    g = self._groups.setdefault(group, {})
                    g[name] = max(g.get(name, 0), n)
                else:
                    self.increment(group, name, n)

    def find(self, name: str, default: int = 0) -> int:
        """The value of counter `name` in whichever group holds it."""
        for names in self._groups.values():
            if name in names:
                return names[name]
        return default

    def __getitem__(self, group: str) -> Mapping[str, int]:
        return self._groups[group]

    def __iter__(self) -> Iterator[str]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {g: dict(n) for g, n in self._groups.items()}

    def total(self) -> int:
        return sum(len(n) for n in self._groups.values())

    def format(self) -> str:
        """Hadoop's end-of-job listing: ``Counters: N`` then tab-indented groups."""
        lines = [f"Counters: {self.total()}"]
        order = {g: i for i, g in enumerate(_GROUP_ORDER)}
        groups = sorted(self._groups, key=lambda g: (order.get(g, len(order)), g))
        for group in groups:
            lines.append(f"\t{group.strip()}")
            names = self._groups[group]
            for name in sorted(names, key=lambda n: (_NAME_ORDER.get(n, 999), n)):
                lines.append(f"\t\t{name}={names[name]}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Counters({self.to_dict()!r})"
