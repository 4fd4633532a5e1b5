"""A task's named outputs (Hadoop's MultipleOutputs): ``context.output(name)`` in a map or reduce.

Owns: opening, on first use, the record writer of each named output a job declares
(`mapred.output.NamedOutput`) in the attempt's own directory of that output
(`mapred.committer.MultiOutputCommitter`), counting the bytes written, and closing them all
before the task commit (which commits every output of the attempt) or on failure. Must not
touch: what a format writes (`mapred.output`), where files live or how they are published
(`mapred.committer`), or when a task may commit (the umbilical's decision, `mapred.task`).

A named output's part file is named as the main output's (``part-m-00003`` from a map,
``part-r-00001`` from a reduce); a task that writes nothing into an output creates no file
there, as Hadoop's MultipleOutputs.
"""

from __future__ import annotations

import contextlib
from typing import Any

from dfs.conf import Configuration
from mapred.committer import MultiOutputCommitter
from mapred.output import CountingFile, RecordWriter, get_output_format, named_outputs

__all__ = ["TaskOutputs", "COUNTER_GROUP"]

#: Bytes written per named output (Hadoop's MultipleOutputs counts per output too).
COUNTER_GROUP = "MultipleOutputs"


class TaskOutputs:
    """The named outputs' writers of one attempt (`kind` "m" or "r", task `index`)."""

    def __init__(
        self, committer: MultiOutputCommitter, attempt_id: str, kind: str, index: int, conf: Any
    ) -> None:
        self.committer = committer
        self.attempt_id = attempt_id
        self.part = f"part-{kind}-{index:05d}"
        self.conf = conf if isinstance(conf, Configuration) else Configuration.from_dict(conf)
        self.formats = {o.name: o.format for o in named_outputs(self.conf)}
        self.writers: dict[str, tuple[RecordWriter, CountingFile]] = {}

    def writer(self, name: str) -> RecordWriter:
        """Named output `name`'s writer in this attempt (opened on first use)."""
        found = self.writers.get(name)
        if found is not None:
            return found[0]
        output = self.committer.output(name)  # refuses an undeclared name
        fmt = get_output_format(self.formats[name])
        part = self.part + fmt.get_extension(self.conf)
        raw = CountingFile(output.open_task_output(self.attempt_id, part))
        writer = fmt.open_writer(raw, self.conf)
        self.writers[name] = (writer, raw)
        return writer

    def close(self, counters: Any = None) -> int:
        """Close every writer opened; returns the bytes written (and counts them per output
        in `counters`, when given)."""
        total = 0
        for name, (writer, raw) in list(self.writers.items()):
            writer.close()
            total += raw.written
            if counters is not None:
                counters.increment(COUNTER_GROUP, name, raw.written)
        self.writers.clear()
        return total

    def abort(self) -> None:
        """Close what is open (quietly) and remove the attempt from every output."""
        for writer, _raw in self.writers.values():
            with contextlib.suppress(Exception):  # removed below anyway
                writer.close()
        self.writers.clear()
        self.committer.abort_task(self.attempt_id)


def task_outputs(spec: Any, conf: Configuration) -> TaskOutputs | None:
    """The named outputs of task `spec` (a `mapred.task.TaskSpec`), or None when its job
    declares none."""
    if not named_outputs(conf):
        return None
    committer = MultiOutputCommitter(spec.output, spec.job_id, conf)
    return TaskOutputs(committer, spec.attempt_id, spec.kind, spec.index, conf)
