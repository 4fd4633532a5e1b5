"""Wire types and interfaces between job client, JobTracker, TaskTrackers and tasks (Hadoop 1).

Owns only the messages (frozen, slotted dataclasses of plain values: msgpack-ready, registered
with the RPC codec when daemons use them) and the typed interfaces:

- ``JobSubmissionProtocol`` (job client -> JobTracker): submit, status, kill, list.
- ``InterTrackerProtocol`` (TaskTracker -> JobTracker): ``heartbeat`` carries the tracker's free
  slots and every attempt's status; the reply carries the attempts to launch or kill. The
  JobTracker never calls a tracker. ``can_commit`` arbitrates which attempt of a task may publish
  its output (speculative twins never both commit); ``completion_events`` tells reducers where
  finished map outputs are.
- ``Umbilical`` (a task -> its TaskTracker): progress, commit permission, map output locations
  and fetch failures. A task never talks to the JobTracker directly.

Nothing here does work: the services live in ``mapred.jobtracker`` and ``mapred.tasktracker``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Any, Protocol

from dfs.fastclass import dataclass

__all__ = [
    "attempt_status",
    "TaskStatus",
    "TrackerStatus",
    "LaunchTask",
    "KillTask",
    "HeartbeatResponse",
    "CompletionEvent",
    "JobSubmission",
    "JobStatus",
    "ClusterStatus",
    "InterTrackerProtocol",
    "JobSubmissionProtocol",
    "Umbilical",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "KILLED",
    "TERMINAL",
    "JOBTRACKER",
]

PREP, RUNNING, COMMITTING = "PREP", "RUNNING", "COMMITTING"
SUCCEEDED, FAILED, KILLED = "SUCCEEDED", "FAILED", "KILLED"
TERMINAL = frozenset((SUCCEEDED, FAILED, KILLED))
#: the JobTracker daemon's name in the state directory's run/ files (its lock, pid, address)
JOBTRACKER = "jobtracker"


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """One attempt as its tracker last saw it. ``progress`` is 0..1 (a map: the fraction of its
    split read; a reduce: a third each for shuffle, merge and reduce)."""

    attempt_id: str
    state: str  # RUNNING | SUCCEEDED | FAILED | KILLED
    progress: float = 0.0
    phase: str = ""  # MAP | SHUFFLE | REDUCE
    status: str = ""  # the task's own status line (context.set_status)
    counters: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str = ""
    traceback: str = ""
    location: str = ""
    map_output: list | None = None  # [path, partition index]
    stats: dict[str, Any] = field(default_factory=dict)
    fetch_failures: tuple[str, ...] = ()  # map attempts whose output a reduce could not fetch


def attempt_status(
    attempt_id: str,
    state: str,
    progress: float,
    phase: str,
    status: str,
    error: str,
    fetch_failures: Sequence[str],
    result: Any = None,
) -> TaskStatus:
    """A tracker's `TaskStatus` of one attempt: what it has seen so far, and once the task
    returned its ``mapred.task.TaskResult``, the result's counters, error and output."""
    if result is None:
        return TaskStatus(
            attempt_id, state, progress, phase, status, error=error,
            fetch_failures=tuple(fetch_failures),
        )  # fmt: skip
    return TaskStatus(
        result.attempt_id,
        state,
        1.0 if state == SUCCEEDED else progress,
        phase,
        str(result.stats.get("status", "") or status),
        result.counters,
        error or result.error,
        result.traceback,
        result.location,
        result.map_output,
        result.stats,
        tuple(fetch_failures),
    )


@dataclass(frozen=True, slots=True)
class TrackerStatus:
    """A heartbeat: who the tracker is, its slots, and its attempts since the last one."""

    name: str  # tracker_<node>
    host: str  # the node it shares with a DataNode ("dn0")
    rack: str
    map_slots: int
    reduce_slots: int
    tasks: tuple[TaskStatus, ...] = ()
    shuffle_address: tuple = ()  # (host, port) of its shuffle server; () in one process


@dataclass(frozen=True, slots=True)
class LaunchTask:
    spec: list  # TaskSpec.to_wire()
    locality: str = ""  # data-local | rack-local | off-rack | "" (no block hosts)
    speculative: bool = False


@dataclass(frozen=True, slots=True)
class KillTask:
    attempt_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class HeartbeatResponse:
    actions: tuple[LaunchTask | KillTask, ...] = ()
    interval: float = 0.0  # seconds until the next heartbeat


@dataclass(frozen=True, slots=True)
class CompletionEvent:
    """A map output a reducer may fetch (SUCCEEDED), or one it must forget (OBSOLETE)."""

    map_index: int
    attempt_id: str
    status: str  # SUCCEEDED | OBSOLETE
    tracker: str
    output: list | None = None  # [path, partition index]
    address: tuple = ()  # the tracker's shuffle server, () when all share one process


@dataclass(frozen=True, slots=True)
class JobSubmission:
    """Everything the JobTracker needs to run a job: the client computed the splits."""

    job_id: str
    name: str
    user: str
    job_ref: str  # "module:Class"
    conf: dict[str, Any]
    output: str
    output_format: Any
    num_reduces: int
    local_dir: str
    inputs: list  # [[format ref, mapper name]] per input
    splits: list  # [InputSplit.to_wire()]
    cache: dict[str, str] = field(default_factory=dict)
    input_paths: tuple[str, ...] = ()
    archives: dict[str, str] = field(default_factory=dict)  # link name -> URL, unpacked


@dataclass(frozen=True, slots=True)
class JobStatus:
    job_id: str
    name: str
    user: str
    # PREP | RUNNING | COMMITTING (publishing its output) | CLEANUP (failed or killed, waiting
    # for its attempts to stop before its output is removed) | SUCCEEDED | FAILED | KILLED
    state: str
    map_progress: float
    reduce_progress: float
    maps: int
    reduces: int
    start: float  # seconds since the epoch
    finish: float = 0.0
    counters: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str = ""
    failed_attempt: str = ""
    failed_error: str = ""
    failed_traceback: str = ""
    failed_location: str = ""
    output: str = ""
    map_stats: tuple[dict, ...] = ()
    reduce_stats: tuple[dict, ...] = ()

    @property
    def done(self) -> bool:
        return self.state in TERMINAL


@dataclass(frozen=True, slots=True)
class ClusterStatus:
    """What ``hadoop job -list-active-trackers`` and a submitting client learn of the cluster."""

    trackers: tuple[str, ...]
    map_slots: int
    reduce_slots: int
    running_maps: int
    running_reduces: int


class InterTrackerProtocol(Protocol):
    """TaskTracker -> JobTracker."""

    def heartbeat(self, status: TrackerStatus) -> HeartbeatResponse: ...
    def can_commit(self, attempt_id: str) -> bool: ...
    def completion_events(self, job_id: str, start: int) -> list[CompletionEvent]: ...


class JobSubmissionProtocol(Protocol):
    """Job client -> JobTracker."""

    def new_job_id(self) -> str: ...
    def cluster_status(self) -> ClusterStatus: ...
    def submit_job(self, job: JobSubmission) -> JobStatus: ...
    def job_status(self, job_id: str) -> JobStatus: ...
    def kill_job(self, job_id: str) -> bool: ...
    def list_jobs(self) -> list[JobStatus]: ...


class Umbilical(Protocol):
    """A running task -> its TaskTracker (implemented in-process for inline tasks)."""

    def watch(self, probe: Any) -> None:
        """`probe()` -> (progress 0..1, phase, status, token); polled, sent when the token
        changes (the token moves whenever the task read input or reported)."""

    def can_commit(self, attempt_id: str) -> bool: ...
    def map_outputs(self, job_id: str, maps: int) -> list[list]:
        """[path, index] of every map of the job, blocking until all are known."""

    def fetch_failed(self, job_id: str, map_index: int) -> None: ...
