"""The job client's side of a JobTracker: `JobTrackerClient`, and the daemon's over RPC.

Owns what a submitting client does with a JobTracker wherever it runs (``JobTrackerClient``:
submit, follow to the end, kill on an interrupt and wait for the kill to settle), finding the
daemon of a state directory (run/jobtracker.addr, its lock held), and ``RemoteJobTracker``,
that client over JobSubmissionProtocol. Must not touch job state: the JobTracker owns it; a
client that goes away leaves a daemon's job running (``hadoop job -kill`` stops it).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from dfs import faults, runfiles
from dfs.conf import Configuration, home_dir
from mapred.trackerproto import JOBTRACKER, JobStatus, JobSubmission, JobSubmissionProtocol

log = logging.getLogger(__name__)

__all__ = ["JobTrackerClient", "RemoteJobTracker", "jobtracker_address"]

POLL_S = (0.01, 0.1)  # first and longest wait between status polls
KILL_WAIT_S = 10.0


def jobtracker_address(conf: Configuration) -> tuple[str, int] | None:
    """Where the JobTracker daemon of this state directory serves, or None (embedded)."""
    home = home_dir(conf)
    address = runfiles.read_addr(home, JOBTRACKER)
    if address is None or not runfiles.is_running(home, JOBTRACKER):
        return None
    return address


class JobTrackerClient:
    """A JobTracker as a submitting client sees it: subclasses say how to `submit`, `kill`
    and `wait`; `run` is the same everywhere."""

    def submit(self, job: JobSubmission) -> JobStatus:
        raise NotImplementedError

    def kill(self, job_id: str) -> bool:
        raise NotImplementedError

    def wait(self, job_id: str, timeout: float | None = None, progress: Any = None) -> JobStatus:
        raise NotImplementedError

    def run(self, job: JobSubmission, progress: Any = None) -> JobStatus:
        """Submit `job` and follow it to its end; an interrupt kills it (and waits, bounded,
        for the kill to settle) before going on. `progress(job_id, maps, reduces)`."""
        self.submit(job)
        try:
            return self.wait(job.job_id, progress=progress)
        except faults.InjectedCrash:
            raise  # a simulated death: nothing more happens in this process, as with SIGKILL
        except BaseException:
            try:
                self.kill(job.job_id)
                self.wait(job.job_id, timeout=KILL_WAIT_S)
            except Exception as e:  # noqa: BLE001 - the interrupt that brought us here wins
                log.warning("could not stop job %s cleanly: %s", job.job_id, e)
            raise


class RemoteJobTracker(JobTrackerClient):
    """A JobTracker daemon, as the submitting client sees it."""

    def __init__(self, conf: Configuration, address: tuple[str, int]) -> None:
        from dfs.rpc import RpcProxy
        from mapred.daemons import register_wire_types

        register_wire_types()
        self.address = address
        self.proxy = RpcProxy((JobSubmissionProtocol,), address, conf)

    def new_job_id(self) -> str:
        return self.proxy.new_job_id()

    @property
    def slots(self) -> int:
        return self.proxy.cluster_status().map_slots

    def submit(self, job: JobSubmission) -> JobStatus:
        return self.proxy.submit_job(job)

    def kill(self, job_id: str) -> bool:
        return self.proxy.kill_job(job_id)

    def wait(self, job_id: str, timeout: float | None = None, progress: Any = None) -> JobStatus:
        deadline = None if timeout is None else time.monotonic() + timeout
        shown = None
        pause = POLL_S[0]
        while True:
            status = self.proxy.job_status(job_id)
            moved = (status.map_progress, status.reduce_progress)
            if progress is not None and moved != shown:
                shown = moved
                progress(job_id, *moved)
            if status.done or (deadline is not None and time.monotonic() > deadline):
                return status
            time.sleep(pause)
            pause = min(POLL_S[1], pause * 2)

    def close(self) -> None:
        self.proxy.close()
