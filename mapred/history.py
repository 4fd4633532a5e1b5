"""Job history: what happened to every job and attempt, on disk, readable after the cluster stops.

Owns the files under ``$MINIHADOOP_HOME/history``: per job, ``<job>.jsonl`` (JSON lines, one
event each: JOB_SUBMITTED, ATTEMPT_STARTED, ATTEMPT_FINISHED, MAP_OUTPUT_OBSOLETE, JOB_FINISHED;
times in milliseconds since the epoch) and ``<job>.json`` (the job's latest summary, replaced
atomically: what ``hadoop job -list/-status`` read). Writing is best effort: a full disk loses
history, never a job. ``mapreduce.jobhistory.enabled=false`` turns it off. Must not touch job
state: the JobTracker calls in with what happened.

Reading (``hadoop job``, after the cluster stopped too): ``read_summaries`` (every job, in
submit order), ``read_summary``, ``read_events``, and what the events mean: ``attempts`` (one
``AttemptInfo`` per attempt, in launch order) and ``completion_events`` (Hadoop's task
completion events: one per finished attempt, in finish order, a map output lost later marked
OBSOLETE, the attempt that failed its task for good TIPFAILED). ``mark_killed`` settles the
summary of a job whose process died from ``hadoop job -kill``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

from dfs.conf import Configuration, home_dir
from dfs.fastclass import dataclass

log = logging.getLogger(__name__)

__all__ = [
    "history_dir",
    "write_summary",
    "read_summaries",
    "read_summary",
    "read_events",
    "AttemptInfo",
    "attempts",
    "CompletionRecord",
    "completion_events",
    "mark_killed",
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
    """Every job's summary, oldest submission first (a damaged file is skipped)."""
    directory = history_dir(conf)
    records = []
    if os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.endswith(".json"):
                record = _load(os.path.join(directory, name))
                if record is not None:
                    records.append(record)
    records.sort(key=lambda r: (r.get("submit_time") or 0, str(r.get("job_id"))))
    return records


def read_summary(conf: Configuration, job_id: str) -> dict[str, Any] | None:
    """One job's summary, or None when the history has no (whole) record of it."""
    if not job_id or os.sep in job_id or job_id.startswith("."):
        return None
    return _load(os.path.join(history_dir(conf), f"{job_id}.json"))


def _load(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "job_id" in record else None


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


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    """One task attempt as the history tells it (times in ms since the epoch; ``finish`` 0 and
    ``state`` "" while no end was recorded)."""

    attempt_id: str
    type: str  # MAP | REDUCE
    tracker: str
    host: str
    rack: str
    locality: str
    speculative: bool
    start: int
    finish: int = 0
    state: str = ""
    error: str = ""
    obsolete: str = ""  # why its (finished) map output was thrown away later, if it was


def attempts(events: Sequence[Mapping[str, Any]]) -> list[AttemptInfo]:
    """Every attempt of a job, in launch order, with how it ended."""
    started: dict[str, dict[str, Any]] = {}
    for e in events:
        kind, aid = e.get("event"), e.get("attempt_id", "")
        if kind == "ATTEMPT_STARTED":
            started[aid] = {
                "attempt_id": aid,
                "type": e.get("type", ""),
                "tracker": e.get("tracker", ""),
                "host": e.get("host", ""),
                "rack": e.get("rack", ""),
                "locality": e.get("locality", ""),
                "speculative": bool(e.get("speculative")),
                "start": int(e.get("time", 0)),
            }
        elif kind == "ATTEMPT_FINISHED" and aid in started:
            started[aid].update(
                finish=int(e.get("time", 0)), state=e.get("state", ""), error=e.get("error", "")
            )
        elif kind == "MAP_OUTPUT_OBSOLETE" and aid in started:
            started[aid]["obsolete"] = e.get("reason", "") or "obsolete"
    return [AttemptInfo(**fields) for fields in started.values()]


@dataclass(frozen=True, slots=True)
class CompletionRecord:
    """One of Hadoop's task completion events: SUCCEEDED, FAILED, KILLED, OBSOLETE (a map
    output lost after its attempt succeeded) or TIPFAILED (the attempt whose failure failed
    its task for good)."""

    event_id: int
    status: str
    attempt_id: str
    tracker: str
    host: str
    time: int


def completion_events(events: Sequence[Mapping[str, Any]]) -> list[CompletionRecord]:
    """The job's task completion events, in the order the attempts ended."""
    where = {e.get("attempt_id"): e for e in events if e.get("event") == "ATTEMPT_STARTED"}
    ended = [e for e in events if e.get("event") == "ATTEMPT_FINISHED"]
    obsolete = {e.get("attempt_id") for e in events if e.get("event") == "MAP_OUTPUT_OBSOLETE"}
    final = next((e for e in reversed(events) if e.get("event") == "JOB_FINISHED"), None)
    fatal = ""
    if final is not None and final.get("state") == "FAILED":
        fatal = _failing_attempt(str(final.get("error", "")))
    records = []
    for number, e in enumerate(ended):
        aid = e.get("attempt_id", "")
        status = e.get("state", "")
        if status == "SUCCEEDED" and aid in obsolete:
            status = "OBSOLETE"  # Hadoop rewrites the event in place when the output is lost
        elif status == "FAILED" and aid == fatal:
            status = "TIPFAILED"
        start = where.get(aid, {})
        tracker = e.get("tracker") or start.get("tracker", "")
        records.append(
            CompletionRecord(
                number, status, aid, tracker, start.get("host", ""), int(e.get("time", 0))
            )
        )
    return records


def _failing_attempt(error: str) -> str:
    """The attempt a job failure message names (``... task attempt_x failed 4 times ...``)."""
    words = error.split()
    for before, word in zip(words, words[1:]):
        if before == "task" and word.startswith("attempt_"):
            return word
    return ""


def mark_killed(conf: Configuration, job_id: str) -> None:
    """Record that ``hadoop job -kill`` ended a job whose process died without saying so."""
    record = read_summary(conf, job_id)
    if record is None or record.get("state") != "RUNNING":
        return
    record.update(
        state="KILLED",
        committing=False,
        finish_time=_ms(),
        time=time.time(),
        error=record.get("error") or f"Job {job_id} was killed",
    )
    write_summary(conf, record)
    event = {"event": "JOB_FINISHED", "time": _ms(), "state": "KILLED"}
    append_event(conf, job_id, {**event, "error": record["error"], "counters": {}})


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
