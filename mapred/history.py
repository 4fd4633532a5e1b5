"""Job history: what happened to every job and attempt, on disk, readable after the cluster stops.

Owns the files under ``$MINIHADOOP_HOME/history``: per job, ``<job>.jsonl`` (JSON lines, one
event each: JOB_SUBMITTED, ATTEMPT_STARTED, ATTEMPT_FINISHED, MAP_OUTPUT_OBSOLETE, JOB_FINISHED;
times in milliseconds since the epoch) and ``<job>.json`` (the job's latest summary, replaced
atomically: what ``hadoop job -list/-status`` read). Writing is best effort: a full disk loses
history, never a job. ``mapreduce.jobhistory.enabled=false`` turns it off. Must not touch job
state: the JobTracker calls in with what happened.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from dfs.conf import Configuration, home_dir

log = logging.getLogger(__name__)

__all__ = [
    "history_dir",
    "write_summary",
    "read_summaries",
    "read_events",
    "job_submitted",
    "attempt_started",
    "attempt_finished",
    "attempt_obsolete",
    "job_progress",
    "job_committing",
    "job_finished",
]


def history_dir(conf: Configuration) -> str:
    return os.path.join(str(home_dir(conf)), "history")


def _enabled(conf: Configuration) -> bool:
    return conf.get_bool("mapreduce.jobhistory.enabled", True)


def _ms() -> int:
    return int(time.time() * 1000)


def append_event(conf: Configuration, job_id: str, event: Mapping[str, Any]) -> None:
    if not _enabled(conf):
        return
    directory = history_dir(conf)
    try:
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"{job_id}.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(event, separators=(",", ":")) + "\n")
    except OSError as e:
        log.debug("cannot write job history: %s", e)


def write_summary(conf: Configuration, record: Mapping[str, Any]) -> None:
    """Replace the job's summary (one JSON object) atomically."""
    if not _enabled(conf):
        return
    directory = history_dir(conf)
    try:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{record['job_id']}.json")
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(tmp, path)
    except OSError as e:
        log.debug("cannot write job history: %s", e)


def read_summaries(conf: Configuration) -> list[dict[str, Any]]:
    directory = history_dir(conf)
    records = []
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if name.endswith(".json"):
                try:
                    with open(os.path.join(directory, name), encoding="utf-8") as f:
                        records.append(json.load(f))
                except (OSError, ValueError):
                    continue
    return records


def read_events(conf: Configuration, job_id: str) -> list[dict[str, Any]]:
    """The job's events in order (a torn last line, from a crash mid-write, is skipped)."""
    path = os.path.join(history_dir(conf), f"{job_id}.jsonl")
    events = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    events.append(json.loads(line))
                except ValueError:
                    continue
    except OSError:
        return []
    return events


# -- what the JobTracker reports -------------------------------------------------------------
_summaries: dict[str, dict[str, Any]] = {}


def job_submitted(conf: Configuration, sub: Any) -> None:
    record = {
        "job_id": sub.job_id,
        "name": sub.name,
        "user": sub.user,
        "state": "RUNNING",
        "committing": False,
        "pid": os.getpid(),
        "output": sub.output,
        "inputs": list(sub.input_paths),
        "maps": 0,
        "total_maps": len(sub.splits),
        "reduces": 0,
        "total_reduces": sub.num_reduces,
        "submit_time": _ms(),
        "time": time.time(),
        "error": "",
        "counters": {},
    }
    _summaries[sub.job_id] = record
    write_summary(conf, record)
    append_event(conf, sub.job_id, {**record, "event": "JOB_SUBMITTED", "time": _ms()})


def attempt_started(conf: Configuration, job_id: str, attempt: Any, kind: str, tracker: Any):
    event = {
        "event": "ATTEMPT_STARTED",
        "time": _ms(),
        "attempt_id": attempt.attempt_id,
        "type": "MAP" if kind == "m" else "REDUCE",
        "tracker": tracker.name,
        "host": tracker.host,
        "rack": tracker.rack,
        "locality": attempt.locality,
        "speculative": attempt.speculative,
    }
    append_event(conf, job_id, event)


def attempt_finished(conf: Configuration, job_id: str, attempt: Any, task: Any) -> None:
    event = {
        "event": "ATTEMPT_FINISHED",
        "time": _ms(),
        "attempt_id": attempt.attempt_id,
        "tracker": attempt.tracker,
        "state": task.state,
        "error": task.error,
        "progress": task.progress,
    }
    append_event(conf, job_id, event)


def attempt_obsolete(conf: Configuration, job_id: str, attempt_id: str, reason: str) -> None:
    event = {"event": "MAP_OUTPUT_OBSOLETE", "time": _ms(), "attempt_id": attempt_id}
    append_event(conf, job_id, {**event, "reason": reason})


def job_progress(conf: Configuration, status: Any) -> None:
    """Refresh a running job's summary: completed maps and reduces, progress, counters."""
    record = _summaries.get(status.job_id)
    if record is None:
        return
    record.update(
        maps=round(status.map_progress * status.maps),
        reduces=round(status.reduce_progress * status.reduces),
        map_progress=status.map_progress,
        reduce_progress=status.reduce_progress,
        counters=status.counters,
    )
    write_summary(conf, record)


def job_committing(conf: Configuration, job_id: str) -> None:
    """Marks a job about to publish: if it dies now, `hadoop job` looks at the output."""
    record = _summaries.get(job_id)
    if record is not None:
        record["committing"] = True
        write_summary(conf, record)


def job_finished(conf: Configuration, status: Any) -> None:
    record = _summaries.pop(status.job_id, None) or {"job_id": status.job_id}
    record.update(
        state=status.state,
        committing=False,
        maps=round(status.map_progress * status.maps),
        reduces=round(status.reduce_progress * status.reduces),
        map_progress=status.map_progress,
        reduce_progress=status.reduce_progress,
        finish_time=_ms(),
        time=time.time(),
        error=status.error,
        counters=status.counters,
    )
    write_summary(conf, record)
    event = {"event": "JOB_FINISHED", "time": _ms(), "state": status.state}
    append_event(conf, status.job_id, {**event, "error": status.error, "counters": status.counters})
