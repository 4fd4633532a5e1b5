"""The JobTracker: jobs, their tasks and attempts, and what each TaskTracker should run next.

Owns: every submitted job's life (its state is kept in ``mapred.jobinprogress``: tasks in
progress, attempts, counters, map completion events), the answers to tracker heartbeats
(launch or kill), retries and the job's failure, commit arbitration between attempts of one
task, fetch failures and lost trackers (their running attempts rescheduled, their finished map
outputs re-run while a reduce still needs them), and the job commit or abort once its tasks
are done. Which job gets a free slot is the scheduler's choice (``mapred.scheduler``). Must
not touch: what runs inside an attempt, or how a tracker runs it.

It never calls out: trackers heartbeat in (``InterTrackerProtocol``), clients submit and poll
(``JobSubmissionProtocol``), and ``tick`` (called by whoever drives it: the embedded cluster's
loop, or the daemon's monitor thread) expires silent trackers and commits finished jobs.
Every method is thread-safe.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import field
from typing import Any

from dfs.conf import Configuration
from dfs.fastclass import dataclass
from mapred import counters as C
from mapred import history
from mapred.jobinprogress import Attempt, Job, Tip, attempt_id
from mapred.scheduler import make_scheduler
from mapred.task import TaskSpec
from mapred.trackerproto import (
    COMMITTING,
    FAILED,
    KILLED,
    RUNNING,
    SUCCEEDED,
    TERMINAL,
    ClusterStatus,
    CompletionEvent,
    HeartbeatResponse,
    JobStatus,
    JobSubmission,
    KillTask,
    LaunchTask,
    TaskStatus,
    TrackerStatus,
)

log = logging.getLogger(__name__)

__all__ = ["JobTracker", "attempt_id"]

CLEANUP = "CLEANUP"  # failed or killed: waiting for its attempts to stop before the abort
CLEANUP_WAIT_S = 30.0
PROGRESS_EVERY_S = 1.0  # how often running jobs' history summaries are refreshed


@dataclass
class TrackerInfo:
    name: str
    host: str
    rack: str
    map_slots: int
    reduce_slots: int
    last_seen: float
    running: set[str] = field(default_factory=set)
    kills: list[KillTask] = field(default_factory=list)
    shuffle_address: tuple = ()


class JobTracker:
    """See the module docstring."""

    def __init__(self, conf: Configuration, clock: Any = time.monotonic) -> None:
        self.conf = conf
        self.clock = clock
        self.lock = threading.RLock()
        self.jobs: dict[str, Job] = {}
        self.trackers: dict[str, TrackerInfo] = {}
        self.attempt_index: dict[str, tuple[Job, Tip]] = {}
        self.scheduler = make_scheduler(conf)
        self.interval = conf.get_float("mapreduce.jobtracker.heartbeat.interval", 0.1)
        self.expiry = conf.get_int("mapreduce.jobtracker.expire.trackers.interval", 600_000) / 1e3
        self._to_finish: list[Job] = []
        self.retained = conf.get_int("mapreduce.jobtracker.retiredjobs.cache.size", 1000)
        self.stamp = time.strftime("%Y%m%d%H%M%S", time.localtime())
        self._seq = 0
        self._next_progress = 0.0

    # -- JobSubmissionProtocol -----------------------------------------------------------------
    def new_job_id(self) -> str:
        """``job_<start stamp>_<NNNN>``, as Hadoop's JobTracker numbers the jobs it runs."""
        with self.lock:
            self._seq += 1
            return f"job_{self.stamp}_{self._seq:04d}"

    def cluster_status(self) -> ClusterStatus:
        with self.lock:
            trackers = list(self.trackers.values())
            kinds = [self.attempt_index[a][1].kind for t in trackers for a in t.running]
            return ClusterStatus(
                tuple(sorted(t.name for t in trackers)),
                sum(t.map_slots for t in trackers),
                sum(t.reduce_slots for t in trackers),
                kinds.count("m"),
                kinds.count("r"),
            )

    def submit_job(self, job: JobSubmission) -> JobStatus:
        conf = Configuration.from_dict(job.conf)
        with self.lock:
            state = Job(job, conf, self.clock())
            self.jobs[job.job_id] = state
            history.job_submitted(conf, job)
            if not state.maps and not state.reduces:
                self._all_done(state)
            log.info(
                "Job %s submitted by %s: %d maps, %d reduces",
                job.job_id,
                job.user,
                len(state.maps),
                len(state.reduces),
            )
            return state.status()

    def job_status(self, job_id: str) -> JobStatus:
        with self.lock:
            return self._job(job_id).status()

    def list_jobs(self) -> list[JobStatus]:
        with self.lock:
            return [j.status() for j in self.jobs.values()]

    def kill_job(self, job_id: str) -> bool:
        with self.lock:
            job = self._job(job_id)
            if job.state != RUNNING:
                return False
            self._end(job, KILLED, f"Job {job_id} was killed")
            return True

    def _job(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            from mapred.errors import MapRedError

            raise MapRedError(f"Could not find job {job_id}")
        return job

    # -- InterTrackerProtocol ------------------------------------------------------------------
    def heartbeat(self, status: TrackerStatus) -> HeartbeatResponse:
        now = self.clock()
        with self.lock:
            tracker = self._seen(status, now)
            for task in status.tasks:
                self._update(tracker, task, now)
            actions: list[LaunchTask | KillTask] = list(tracker.kills)
            tracker.kills.clear()
            actions += self._assign(tracker, "m", now) + self._assign(tracker, "r", now)
            return HeartbeatResponse(tuple(actions), self.interval)

    def can_commit(self, attempt_id: str) -> bool:
        with self.lock:
            found = self.attempt_index.get(attempt_id)
            if found is None:
                return False
            job, tip = found
            if job.state != RUNNING or (tip.done and tip.done != attempt_id):
                return False
            if tip.attempts[attempt_id].state != RUNNING and tip.done != attempt_id:
                return False  # given up on (its tracker was lost): Hadoop's shouldCommit
            if not tip.committer:
                tip.committer = attempt_id
            return tip.committer == attempt_id

    def completion_events(self, job_id: str, start: int) -> list[CompletionEvent]:
        with self.lock:
            job = self.jobs.get(job_id)
            return [] if job is None else job.events[start:]

    # -- heartbeat internals --------------------------------------------------------------------
    def _seen(self, status: TrackerStatus, now: float) -> TrackerInfo:
        tracker = self.trackers.get(status.name)
        if tracker is None:
            tracker = TrackerInfo(
                status.name, status.host, status.rack, status.map_slots, status.reduce_slots, now
            )
            self.trackers[status.name] = tracker
            log.info("Adding tracker %s on %s%s", status.name, status.rack, "")
        tracker.last_seen = now
        tracker.map_slots, tracker.reduce_slots = status.map_slots, status.reduce_slots
        tracker.shuffle_address = tuple(status.shuffle_address)
        return tracker

    def _update(self, tracker: TrackerInfo, task: TaskStatus, now: float) -> None:
        found = self.attempt_index.get(task.attempt_id)
        attempt = found[1].attempts.get(task.attempt_id) if found else None
        if attempt is None or attempt.state != RUNNING:
            if task.state == RUNNING:  # unknown to us, or already given up: stop it
                tracker.kills.append(KillTask(task.attempt_id, "no longer needed"))
            return
        job, tip = found
        # an attempt's progress never goes back: a reduce's child starts its shuffle count
        # again from its first fetched output where its tracker had counted the finished maps
        attempt.progress = max(attempt.progress, task.progress)
        for bad in task.fetch_failures:
            self._fetch_failure(job, bad, now)
        if task.state == RUNNING:
            return
        self._attempt_ended(job, tip, attempt, task, now)
        tracker.running.discard(task.attempt_id)

    def _attempt_ended(self, job: Job, tip: Tip, attempt: Attempt, task: TaskStatus, now: float):
        attempt.state, attempt.finish = task.state, now
        if tip.committer == attempt.attempt_id and task.state != SUCCEEDED:
            tip.committer = ""  # a committing attempt died: another may commit
        history.attempt_finished(job.conf, job.id, attempt, task)
        if task.state == SUCCEEDED:
            self._succeeded(job, tip, attempt, task)
        elif task.state == FAILED:
            job.counters.increment(
                C.JOB_GROUP, C.FAILED_MAPS if tip.kind == "m" else C.FAILED_REDUCES
            )
            job.tracker_failures[attempt.tracker] += 1
            log.warning("Task attempt %s failed: %s", attempt.attempt_id, task.error)
            if not tip.done:
                tip.failures += 1
                tip.failed_on.add(attempt.tracker)
                if tip.failures >= job.max_attempts[tip.kind] and job.state == RUNNING:
                    job.failure = task
                    self._end(job, FAILED, _failure_message(job, tip, task))
        else:
            name = C.KILLED_MAPS if tip.kind == "m" else C.KILLED_REDUCES
            job.counters.increment(C.JOB_GROUP, name)

    def _succeeded(self, job: Job, tip: Tip, attempt: Attempt, task: TaskStatus) -> None:
        if tip.done or job.state != RUNNING:
            return  # a speculative twin finished second: its output is never used
        tip.done, tip.output = attempt.attempt_id, task.map_output
        job.counters.merge(task.counters)
        tip.counters = task.counters
        tip.stats = task.stats
        for other in tip.running():
            self._kill(other, "another attempt of this task succeeded")
        if tip.kind == "m":
            if job.reduces:
                where = self.trackers.get(attempt.tracker)
                address = where.shuffle_address if where is not None else ()
                job.events.append(
                    CompletionEvent(
                        tip.index,
                        attempt.attempt_id,
                        SUCCEEDED,
                        attempt.tracker,
                        task.map_output,
                        address,
                    )
                )
        if all(t.done for t in job.maps) and all(t.done for t in job.reduces):
            self._all_done(job)

    def _kill(self, attempt: Attempt, reason: str) -> None:
        tracker = self.trackers.get(attempt.tracker)
        if tracker is not None:
            tracker.kills.append(KillTask(attempt.attempt_id, reason))

    def _fetch_failure(self, job: Job, map_attempt: str, now: float) -> None:
        """A reduce could not read this map output: forget it and run the map again."""
        found = self.attempt_index.get(map_attempt)
        if found is None or job.state != RUNNING:
            return
        _, tip = found
        if tip.done != map_attempt:
            return  # already re-run
        log.warning("Map output of %s could not be fetched: running the map again", map_attempt)
        self._obsolete(job, tip, "Too many fetch-failures")
        # Hadoop counts it as a failure of that map attempt: a map whose output can never be
        # fetched fails the job after maxattempts, instead of running for ever
        tip.failures += 1
        tip.failed_on.add(tip.attempts[map_attempt].tracker)
        job.counters.increment(C.JOB_GROUP, C.FAILED_MAPS)
        if tip.failures >= job.max_attempts["m"]:
            lost = TaskStatus(map_attempt, FAILED, error="Too many fetch-failures")
            job.failure = lost
            self._end(job, FAILED, _failure_message(job, tip, lost))

    def _obsolete(self, job: Job, tip: Tip, reason: str) -> None:
        attempt = tip.attempts[tip.done]
        job.events.append(CompletionEvent(tip.index, tip.done, "OBSOLETE", attempt.tracker))
        history.attempt_obsolete(job.conf, job.id, tip.done, reason)
        tip.done, tip.output, tip.committer = "", None, ""
        # the re-run's counters replace this output's (a job counts each task once)
        job.counters.merge({g: {n: -v for n, v in c.items()} for g, c in tip.counters.items()})
        tip.counters = {}

    def _assign(self, tracker: TrackerInfo, kind: str, now: float) -> list[LaunchTask]:
        busy = sum(1 for a in tracker.running if self.attempt_index[a][1].kind == kind)
        slots = tracker.map_slots if kind == "m" else tracker.reduce_slots
        launches = []
        for _ in range(max(0, slots - busy)):
            choice = self.scheduler.assign(self, tracker, kind, now)
            if choice is None:
                break
            job, tip, locality, speculative = choice
            launches.append(self._launch(job, tip, tracker, locality, speculative, now))
        return launches

    def _launch(self, job, tip, tracker, locality, speculative, now) -> LaunchTask:
        aid = attempt_id(job.id, tip.kind, tip.index, tip.tries)
        tip.tries += 1
        attempt = Attempt(aid, tracker.name, now, time.time(), locality, speculative)
        tip.attempts[aid] = attempt
        self.attempt_index[aid] = (job, tip)
        tracker.running.add(aid)
        job.counters.increment(
            C.JOB_GROUP, C.LAUNCHED_MAPS if tip.kind == "m" else C.LAUNCHED_REDUCES
        )
        if locality:
            job.counters.increment(C.JOB_GROUP, C.LOCALITY_COUNTERS[locality])
        history.attempt_started(job.conf, job.id, attempt, tip.kind, tracker)
        return LaunchTask(self._spec(job, tip, aid).to_wire(), locality, speculative)

    def _spec(self, job: Job, tip: Tip, aid: str) -> TaskSpec:
        sub = job.sub
        return TaskSpec(
            kind=tip.kind,
            job_id=sub.job_id,
            attempt_id=aid,
            index=tip.index,
            attempt=int(aid.rsplit("_", 1)[1]),
            job_ref=sub.job_ref,
            conf=sub.conf,
            output=sub.output,
            num_reduces=sub.num_reduces,
            local_dir=sub.local_dir,
            inputs=sub.inputs,
            split=tip.split,
            cache=sub.cache,
            archives=sub.archives,
            num_maps=len(job.maps) if tip.kind == "r" else 0,
        )

    # -- job ends ---------------------------------------------------------------------------
    def _all_done(self, job: Job) -> None:
        """Every task is done: commit once the twins still running (killed when their task
        succeeded) have stopped, so that none writes after the commit and the job's history
        holds every attempt's end when the job is reported finished."""
        job.state = COMMITTING
        job.cleanup_since = self.clock()
        self._to_finish.append(job)

    def _end(self, job: Job, state: str, error: str) -> None:
        """Fail or kill `job`: stop its attempts; once none runs, ``tick`` aborts its output
        (an attempt still writing could otherwise leave files behind the abort)."""
        job.state, job.final, job.error = CLEANUP, state, error
        job.cleanup_since = self.clock()
        for tip in job.maps + job.reduces:
            for attempt in tip.running():
                self._kill(attempt, error)
        self._to_finish.append(job)

    def tick(self) -> None:
        """Expire silent trackers; commit or abort the jobs that ended (outside the lock)."""
        now = self.clock()
        with self.lock:
            for tracker in list(self.trackers.values()):
                if now - tracker.last_seen > self.expiry:
                    self._lost(tracker)
            finishing = [j for j in self._to_finish if self._settled(j, now)]
            self._to_finish = [j for j in self._to_finish if j not in finishing]
            if now >= self._next_progress:
                self._next_progress = now + PROGRESS_EVERY_S
                for job in self.jobs.values():
                    if job.state == RUNNING:
                        history.job_progress(job.conf, job.status())
        for job in finishing:
            self._finish(job)

    def _settled(self, job: Job, now: float) -> bool:
        if job.state not in (CLEANUP, COMMITTING) or not job.running_attempts():
            return True
        return now - job.cleanup_since > CLEANUP_WAIT_S  # its trackers went silent

    def _lost(self, tracker: TrackerInfo) -> None:
        log.warning("Lost tracker %s: no heartbeat for %.1f s", tracker.name, self.expiry)
        del self.trackers[tracker.name]
        for aid in list(tracker.running):
            job, tip = self.attempt_index[aid]
            lost = TaskStatus(aid, KILLED, error=f"Lost task tracker: {tracker.name}")
            self._attempt_ended(job, tip, tip.attempts[aid], lost, self.clock())
        for job in self.jobs.values():
            if job.state != RUNNING or all(t.done for t in job.reduces):
                continue
            for tip in job.maps:
                if tip.done and tip.attempts[tip.done].tracker == tracker.name:
                    self._obsolete(job, tip, f"Lost task tracker: {tracker.name}")

    def _finish(self, job: Job) -> None:
        from mapred.committer import job_committer

        committer = job_committer(job.sub.output, job.id, job.conf)
        try:
            if job.state == COMMITTING:
                history.job_committing(job.conf, job.id)
                committer.commit_job()  # publishes the output by one rename
                state, error = SUCCEEDED, ""
            else:
                committer.abort_job()
                state, error = job.final, job.error
        except Exception as e:  # noqa: BLE001 - the job fails with the reason
            log.warning(
                "job %s could not be %s: %s",
                job.id,
                "committed" if job.state == COMMITTING else "aborted",
                e,
            )
            _quietly(committer.abort_job)
            state, error = FAILED, f"Job {job.id} failed to commit: {type(e).__name__}: {e}"
        shutil.rmtree(job.sub.local_dir, ignore_errors=True)
        with self.lock:
            job.state, job.error, job.finish = state, error or job.error, time.time()
            history.job_finished(job.conf, job.status())
            self._retire()

    def _retire(self) -> None:
        """Keep the newest `retained` ended jobs in memory (a daemon runs for ever); older
        ones are answered from their history, as Hadoop's retired jobs are."""
        ended = [j for j in self.jobs.values() if j.state in TERMINAL]
        for job in ended[: max(0, len(ended) - self.retained)]:
            self.forget(job.id)

    def forget(self, job_id: str) -> None:
        """Drop a finished job's state (its history stays on disk)."""
        with self.lock:
            job = self.jobs.pop(job_id, None)
            if job is not None:
                for tip in job.maps + job.reduces:
                    for aid in tip.attempts:
                        self.attempt_index.pop(aid, None)
                        for tracker in self.trackers.values():  # a twin not yet reported killed
                            tracker.running.discard(aid)


def _failure_message(job: Job, tip: Tip, task: TaskStatus) -> str:
    times = tip.failures
    message = (
        f"Job {job.id} failed: task {task.attempt_id} failed {times} "
        f"time{'s' if times != 1 else ''}; last error: {task.error}"
    )
    if task.location:
        message += f" (at {task.location})"
    return message


def _quietly(action: Any) -> None:
    try:
        action()
    except Exception as e:  # noqa: BLE001 - reported; the original failure goes on
        log.warning("clean-up after a failed job did not finish: %s", e)
