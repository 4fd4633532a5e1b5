"""``hadoop job``: following jobs from the shell, over the job history (Hadoop 1's JobClient).

Owns the commands and how they print: ``-list [all]`` (running jobs, or every job the history
holds, oldest submission first), ``-status JOBID`` (state, map/reduce completion, counters; a
running job's as its summary last said, refreshed every second), ``-kill JOBID``, ``-history
[all] JOBID|OUTDIR`` (the job, its task summary, then its failed and killed attempts, or with
``all`` every attempt: tracker, locality, start, finish, state, error),
``-events JOBID FROM N`` (Hadoop's task completion events) and ``-counter JOBID GROUP NAME``
(one counter's value, by Hadoop's group and counter names or the printed ones). Everything but
``-kill`` reads ``$MINIHADOOP_HOME/history`` (``mapred.history``), so it works after the cluster stopped.
Must not touch: job state.

``-kill``: a job run by the command that submitted it (an embedded cluster, ``job_local<pid>_N``)
gets SIGTERM sent to that process, which kills the job, records KILLED and exits non-zero; a job
on a JobTracker daemon is killed by the daemon's ``kill_job`` (the daemon, whose pid its
summaries carry, is never signalled). A job whose owner process is gone while its summary still
says RUNNING is settled as Hadoop's recovery would: FAILED, or SUCCEEDED when it died committing
after its output was published.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import sys
import time
from typing import Any

from dfs.conf import Configuration
from mapred import history
from mapred.counters import Counters
from mapred.errors import MapRedError, UsageError

__all__ = ["job_main", "USAGE", "settled_state", "format_elapsed"]

log = logging.getLogger(__name__)

USAGE = """Usage: hadoop job <command> <args>
\t[-status <job-id>]
\t[-counter <job-id> <group-name> <counter-name>]
\t[-kill <job-id>]
\t[-events <job-id> <from-event-#> <#-of-events>]
\t[-history [all] <job-id>|<jobOutputDir>]
\t[-list [all]]
"""
_ONE = {
    "-status": "[-status <job-id>]",
    "-counter": "[-counter <job-id> <group-name> <counter-name>]",
    "-kill": "[-kill <job-id>]",
    "-events": "[-events <job-id> <from-event-#> <#-of-events>]",
    "-history": "[-history [all] <job-id>|<jobOutputDir>]",
    "-list": "[-list [all]]",
}
KILL_WAIT_S = 20.0  # how long -kill waits for the job's owner to record the kill


def job_main(conf: Configuration, args: list[str]) -> int:
    """Job status and history: hadoop job -list [all] | -status ID | -kill ID | -history ID |
    -events ID FROM N."""
    command = args[0] if args else ""
    if command in ("-help", "-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    try:
        handler, operands = _parse(command, args[1:])
    except UsageError:
        sys.stderr.write(USAGE if command not in _ONE else f"Usage: hadoop job {_ONE[command]}\n")
        return 255
    try:
        return handler(conf, *operands)
    except MapRedError as e:
        sys.stderr.write(f"job: {e}\n")
        return 1


def _parse(command: str, rest: list[str]) -> tuple[Any, list[Any]]:
    if command == "-list" and rest in ([], ["all"]):
        return _list, [bool(rest)]
    if command in ("-status", "-kill") and len(rest) == 1:
        return (_status if command == "-status" else _kill), rest
    if command == "-counter" and len(rest) == 3:
        return _counter, rest
    if command == "-history" and len(rest) == 1 and rest[0] != "all":
        return _history, [rest[0], False]
    if command == "-history" and len(rest) == 2 and rest[0] == "all":
        return _history, [rest[1], True]
    if command == "-events" and len(rest) == 3:
        try:
            first, count = int(rest[1]), int(rest[2])
        except ValueError:
            raise UsageError(command) from None
        if first >= 0 and count >= 0:
            return _events, [rest[0], first, count]
    raise UsageError(command)


# -- job records ---------------------------------------------------------------------------------
def owner_alive(record: dict[str, Any]) -> bool:
    """Is the process that submitted the job still running (and not a later process that got
    its pid)?"""
    from mapred.runner import process_alive

    pid = int(record.get("pid") or 0)
    if pid <= 0 or not process_alive(pid):
        return False
    started = _process_start(pid)
    return started is None or started <= (record.get("submit_time") or 0) / 1000 + 1


def _process_start(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), where /proc tells."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        with open("/proc/stat", "rb") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith(b"btime"))
        started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return started if started <= time.time() + 5 else None  # a clock /proc does not share


def settled_state(conf: Configuration, record: dict[str, Any]) -> str:
    """The record's state; a RUNNING job whose owner is gone is FAILED, unless it died while
    committing after its output was published (then SUCCEEDED, as Hadoop's recovery decides)."""
    state = record.get("state", "")
    if state != "RUNNING" or owner_alive(record):
        return state
    if record.get("committing"):
        from mapred.committer import FileOutputCommitter

        try:
            if FileOutputCommitter(record["output"], record["job_id"], conf).is_published():
                return "SUCCEEDED"
        except (OSError, ValueError, KeyError) as e:
            log.debug("cannot tell whether %s published its output: %s", record["job_id"], e)
    return "FAILED"


def _settle(conf: Configuration, record: dict[str, Any]) -> dict[str, Any]:
    state = settled_state(conf, record)
    if state != record.get("state"):
        record["state"] = state
        if state == "FAILED":
            record["error"] = record.get("error") or "the process running the job died"
    return record


def _find(conf: Configuration, job_id: str) -> dict[str, Any]:
    record = history.read_summary(conf, job_id)
    if record is None:
        raise MapRedError(f"Could not find job {job_id}")
    return _settle(conf, record)


# -- formatting ----------------------------------------------------------------------------------
def format_elapsed(ms: float) -> str:
    """A duration as Hadoop prints one (milliseconds below a second, tenths below a minute).

    >>> format_elapsed(42), format_elapsed(4200), format_elapsed(61_000), format_elapsed(3_723_000)
    ('42ms', '4.2sec', '1mins, 1sec', '1hrs, 2mins, 3sec')
    """
    seconds = max(0.0, ms / 1000)
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}sec"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{hours}hrs, " if hours else "") + f"{minutes}mins, {secs}sec"


def _when(ms: float) -> str:
    """``06-Dec-2026 07:49:29.123`` (Hadoop's history date format, with milliseconds)."""
    if not ms:
        return "-"
    return time.strftime("%d-%b-%Y %H:%M:%S", time.localtime(ms / 1000)) + f".{int(ms) % 1000:03d}"


def _elapsed(record: dict[str, Any]) -> float:
    start = record.get("submit_time") or 0
    end = record.get("finish_time") or (time.time() * 1000 if record["state"] == "RUNNING" else 0)
    return max(0.0, end - start) if start and end else 0.0


def _completion(record: dict[str, Any], kind: str) -> float:
    """Map or reduce completion, 0..1: the JobTracker's progress when the summary has it."""
    value = record.get(f"{kind}_progress")
    if value is None:
        total = record.get(f"total_{kind}s") or 0
        value = (record.get(f"{kind}s") or 0) / total if total else 1.0
        if kind == "reduce" and not total:
            value = float(_completion(record, "map") >= 1.0)
    if record["state"] == "SUCCEEDED":
        value = 1.0
    return round(min(1.0, max(0.0, float(value))), 3)


# -- the commands --------------------------------------------------------------------------------
def _list(conf: Configuration, show_all: bool) -> int:
    records = [_settle(conf, r) for r in history.read_summaries(conf)]
    if not show_all:
        records = [r for r in records if r["state"] == "RUNNING"]
    out = sys.stdout
    out.write(f"{len(records)} jobs {'submitted' if show_all else 'currently running'}\n")
    out.write("JobId\tState\tStartTime\tUserName\tPriority\tSchedulingInfo\tDuration\tJobName\n")
    for r in records:
        row = (
            r["job_id"],
            r["state"],
            str(r.get("submit_time") or 0),
            r.get("user") or "",
            "NORMAL",
            _scheduling_info(r),
            format_elapsed(_elapsed(r)),
            r.get("name") or "",
        )
        out.write("\t".join(row) + "\n")
    return 0


def _scheduling_info(record: dict[str, Any]) -> str:
    """What the job holds (Hadoop: the scheduler's note; NA when it has none)."""
    if record["state"] != "RUNNING":
        return "NA"
    maps = math.floor(100 * _completion(record, "map"))
    reduces = math.floor(100 * _completion(record, "reduce"))
    return f"map {maps}% reduce {reduces}%"


def _status(conf: Configuration, job_id: str) -> int:
    record = _find(conf, job_id)
    out = sys.stdout
    out.write(f"\nJob: {record['job_id']}\n")
    out.write(f"Job name: {record.get('name', '')}\n")
    out.write(f"User: {record.get('user', '')}\n")
    out.write(f"Job state: {record['state']}\n")
    out.write(f"Number of maps: {record.get('total_maps', 0)}\n")
    out.write(f"Number of reduces: {record.get('total_reduces', 0)}\n")
    out.write(f"map() completion: {_completion(record, 'map')}\n")
    out.write(f"reduce() completion: {_completion(record, 'reduce')}\n")
    out.write(f"Submitted at: {_when(record.get('submit_time') or 0)}\n")
    out.write(f"Duration: {format_elapsed(_elapsed(record))}\n")
    if record.get("error"):
        out.write(f"reason for failure: {record['error']}\n")
    out.write(Counters(record.get("counters") or {}).format() + "\n")
    return 0


def _counter(conf: Configuration, job_id: str, group: str, name: str) -> int:
    """CLI's -counter: the value of one counter of the job (Counters.findCounter: a framework
    group by its class name, e.g. org.apache.hadoop.mapreduce.TaskCounter MAP_INPUT_RECORDS;
    a job's own group by its name, e.g. WordCount2$CountersEnum INPUT_WORDS)."""
    from mapred.counters import find_counter

    record = _find(conf, job_id)
    try:
        value = find_counter(record.get("counters") or {}, group, name)
    except ValueError as e:
        raise MapRedError(str(e)) from None
    sys.stdout.write(f"{value}\n")
    return 0


def _kill(conf: Configuration, job_id: str) -> int:
    record = _find(conf, job_id)
    refusal = {
        "FAILED": f"Could not mark the job {job_id} as killed, as it has already failed.",
        "KILLED": f"The job {job_id} has already been killed.",
        "SUCCEEDED": f"Could not kill the job {job_id}, as it has already succeeded.",
    }.get(record["state"])
    if refusal:
        sys.stderr.write(f"job: {refusal}\n")
        return 1
    if _owned_by_a_client(record):
        _signal_owner(job_id, int(record["pid"]))
    else:
        _kill_on_jobtracker(conf, job_id)
    state = _wait_killed(conf, job_id)
    if state == "SUCCEEDED":
        sys.stderr.write(f"job: Could not kill the job {job_id}, as it has already succeeded.\n")
        return 1
    sys.stdout.write(f"Killed job {job_id}\n")
    return 0


def _owned_by_a_client(record: dict[str, Any]) -> bool:
    """Was the job run by the command that submitted it (an embedded cluster: its id is
    ``job_local<pid>_NNNN`` and its history names that pid), not by a JobTracker daemon?"""
    from mapred.runner import owner_pid

    return owner_pid(record["job_id"]) == int(record.get("pid") or 0)


def _signal_owner(job_id: str, pid: int) -> None:
    """SIGTERM the submitting command: it kills its job and exits non-zero."""
    try:
        os.kill(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError) as e:
        raise MapRedError(f"Could not kill job {job_id}: its process {pid}: {e}") from None


def _kill_on_jobtracker(conf: Configuration, job_id: str) -> None:
    """Ask the JobTracker daemon that runs the job to kill it (never signal the daemon)."""
    from dfs.errors import DFSError
    from mapred.remote import RemoteJobTracker, jobtracker_address

    address = jobtracker_address(conf)
    if address is None:
        raise MapRedError(f"Could not kill job {job_id}: no JobTracker is running")
    client = RemoteJobTracker(conf, address)
    try:
        client.proxy.kill_job(job_id)  # False: it ended meanwhile (the history tells how)
    except (DFSError, OSError) as e:
        raise MapRedError(f"Could not kill job {job_id}: {e}") from None
    finally:
        client.close()


def _wait_killed(conf: Configuration, job_id: str) -> str:
    """Wait (bounded) until the owner recorded the job's end, or died without doing so (then
    the history is settled here). Returns the job's state."""
    deadline = time.monotonic() + KILL_WAIT_S
    while True:
        record = history.read_summary(conf, job_id) or {"state": "RUNNING"}
        if record.get("state") != "RUNNING":
            return record["state"]
        if not owner_alive(record):
            if settled_state(conf, record) == "SUCCEEDED":
                return "SUCCEEDED"
            history.mark_killed(conf, job_id)
            return "KILLED"
        if time.monotonic() > deadline:
            log.warning(
                "job %s: its process has not ended %.0f s after SIGTERM", job_id, KILL_WAIT_S
            )
            return "RUNNING"
        time.sleep(0.05)


def _history(conf: Configuration, target: str, everything: bool) -> int:
    """Hadoop's ``job -history [all]``: the job, its task summary and its failed and killed
    attempts; with `all` (`everything`) every attempt."""
    record = _find(conf, _job_for(conf, target))
    out = sys.stdout
    _job_header(out, record)
    tries = history.attempts(history.read_events(conf, record["job_id"]))
    _task_summary(out, tries)
    if everything:
        out.write("\nTask attempts\n")
    else:
        shown = [a for a in tries if a.state in ("FAILED", "KILLED")]
        out.write(
            f"\nFailed and killed task attempts ({len(shown)} of {len(tries)}; every attempt: "
            f"hadoop job -history all {target})\n"
        )
        tries = shown
    out.write("Type\tAttemptId\tTracker\tHost\tLocality\tStartTime\tFinishTime\tState\tError\n")
    for a in tries:
        locality = (a.locality or "-") + (", speculative" if a.speculative else "")
        finish = _when(a.finish) + f" ({format_elapsed(a.finish - a.start)})" if a.finish else "-"
        state = a.state or ("RUNNING" if record["state"] == "RUNNING" else "UNKNOWN")
        if a.obsolete and state == "SUCCEEDED":
            state = f"SUCCEEDED, output lost ({a.obsolete})"
        error = a.error.replace("\n", " ")
        row = (a.type, a.attempt_id, a.tracker, a.host, locality, _when(a.start), finish, state)
        out.write("\t".join((*row, error)) + "\n")
    return 0


def _job_for(conf: Configuration, target: str) -> str:
    """A job id as given, or (Hadoop 1's form) the latest job that wrote output dir `target`."""
    if target.startswith("job_"):
        return target
    from mapred.cli import qualify

    wanted = {target.rstrip("/"), qualify(target, conf).rstrip("/")}
    for record in reversed(history.read_summaries(conf)):
        if str(record.get("output", "")).rstrip("/") in wanted:
            return record["job_id"]
    raise MapRedError(f"Could not find a job whose output is {target}")


def _job_header(out: Any, record: dict[str, Any]) -> None:
    rule = "=" * 37
    finish = record.get("finish_time") or 0
    out.write(f"Hadoop job: {record['job_id']}\n{rule}\n")
    out.write(f"User: {record.get('user', '')}\nJobName: {record.get('name', '')}\n")
    out.write(f"Inputs: {', '.join(record.get('inputs') or [])}\n")
    out.write(f"Output: {record.get('output', '')}\n")
    out.write(f"Submitted At: {_when(record.get('submit_time') or 0)}\n")
    elapsed = f" ({format_elapsed(_elapsed(record))})" if finish else ""
    out.write(f"Finished At: {_when(finish)}{elapsed}\n")
    out.write(f"Status: {record['state']}\n")
    if record.get("error"):
        out.write(f"Error: {record['error']}\n")
    out.write(Counters(record.get("counters") or {}).format() + f"\n{rule}\n")


def _task_summary(out: Any, tries: list[history.AttemptInfo]) -> None:
    out.write("\nTask Summary\n============================\n")
    out.write("Kind\tTotal\tSuccessful\tFailed\tKilled\tStartTime\tFinishTime\n")
    for kind, label in (("MAP", "Map"), ("REDUCE", "Reduce")):
        mine = [a for a in tries if a.type == kind]
        if not mine:
            continue
        counts = [sum(1 for a in mine if a.state == s) for s in ("SUCCEEDED", "FAILED", "KILLED")]
        first = min(a.start for a in mine)
        last = max((a.finish for a in mine), default=0)
        span = f"{_when(last)} ({format_elapsed(last - first)})" if last else "-"
        cells = (label, str(len(mine)), *map(str, counts), _when(first), span)
        out.write("\t".join(cells) + "\n")
    out.write("============================\n")


def _events(conf: Configuration, job_id: str, first: int, count: int) -> int:
    _find(conf, job_id)
    events = history.completion_events(history.read_events(conf, job_id))[first : first + count]
    out = sys.stdout
    out.write(f"Task completion events for {job_id}\n")
    out.write(f"Number of events (from {first}) are: {len(events)}\n")
    for e in events:
        out.write(f"{e.status} {e.attempt_id} {e.tracker}\n")
    return 0
