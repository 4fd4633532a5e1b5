"""How the `pig` command and Grunt report: Pig's one-line error messages, exit codes, the
client-side log file and the end-of-run summary.

Owns: the exit statuses (Pig's PigRunner.ReturnCode values); the text of a failure (the
message with its source line and caret; the traceback on the screen only with --debug or
-v); Pig's log file (LogUtils.writeLog): where it goes (`log_file_path`, Pig's
validateLogFile: `pig_<millis>.log` in the current directory, in the `-l` directory, or the
`-l` file) and what an error writes there (a "Pig Stack Trace" header, the message, the
traceback, a line of `=`), after which the console says `Details at logfile: PATH` (the file
is only created when there is something to write, as in Pig); and the summary printed at the
end of a run (Pig's SimplePigStats: Job Stats, Failed Jobs, Input(s), Output(s),
Counters). Must not touch: option parsing (cli.py) or sessions (grunt.py), which both use it.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from typing import Any, TextIO

from dfs.errors import DFSError
from piglatin.errors import (
    CommandFailedError,
    DumpFailedError,
    JobFailedError,
    ParseError,
    PigError,
)

log = logging.getLogger(__name__)

SUCCESS, FAILURE, ILLEGAL_ARGS, IO_EXCEPTION = 0, 2, 4, 5
PIG_EXCEPTION, PARSE_EXCEPTION, THROWABLE = 6, 7, 8
REMOTE_ENVIRONMENT_ERROR = 6000
STACK_TRACE_HEADER = "Pig Stack Trace"

#: what an unexpected error adds when its traceback is not on the screen
BUG_HINT = "This is a bug in minihadoop: run again with --debug to see the traceback"


def error_status(e: BaseException) -> int:
    if isinstance(e, ParseError):
        return PARSE_EXCEPTION
    if isinstance(e, CommandFailedError):  # Pig wraps a failed sh/fs in an IOException
        return IO_EXCEPTION
    if isinstance(e, JobFailedError):  # a failed job: Pig's Main counts it (FAILURE)
        return FAILURE
    if isinstance(e, DumpFailedError):  # Pig's openIterator throws ERROR 1066
        return PIG_EXCEPTION
    if isinstance(e, PigError):
        return FAILURE if e.code in (2997, 6015) else PIG_EXCEPTION  # 6017: pig -F's stop
    if isinstance(e, (OSError, DFSError)):  # the cluster's storage or its set-up (ERROR 6000)
        return IO_EXCEPTION
    return THROWABLE


def error_message(e: BaseException) -> str:
    """Pig's text for `e`: `ERROR nnnn: ...` (a PigError's with its caret lines)."""
    if isinstance(e, PigError):
        text = e.format()
        if text.startswith(f"ERROR {e.code}: ERROR "):  # runtime errors carry their own code
            text = text[len(f"ERROR {e.code}: ") :]
        return text
    if isinstance(e, FileNotFoundError):
        return f"ERROR 2997: File not found: {e.filename or e}"
    if isinstance(e, DFSError):  # the cluster's state or storage: Pig's remote environment
        return f"ERROR {REMOTE_ENVIRONMENT_ERROR}: {e}{_why_tmp(e)}"
    return f"ERROR 2999: Unexpected internal error. {e}"


def _why_tmp(e: DFSError) -> str:
    """What a refused write under /tmp on the DFS was for: Pig's intermediate data."""
    import re

    from dfs.errors import DFSPermissionDenied

    m = re.search(r'inode="(/tmp(?:/[^"]*)?)"', str(e))
    if not isinstance(e, DFSPermissionDenied) or m is None:
        return ""
    return (
        ". Pig writes the intermediate data of its jobs under /tmp on the DFS "
        "(/tmp/pig-<pid>-...), so every user needs to write in /tmp: the superuser can "
        "allow it with `hadoop fs -chmod 1777 /tmp`"
    )


def report_error(
    e: BaseException,
    err: TextIO,
    debug: bool,
    logfile: str | None = None,
    verbose: bool = False,
) -> int:
    """Print `e` the way Pig does (one line, the source line and a caret); with a log file,
    write the details there and name it (Pig's LogUtils.writeLog). Returns the status."""
    message = error_message(e)
    print(message, file=err)
    on_screen = debug or verbose
    if on_screen:
        traceback.print_exception(e, file=err)
    written = logfile is not None and write_log(e, message, logfile)
    if written:
        print(f"Details {'also ' if on_screen else ''}at logfile: {logfile}", file=err)
    if message.startswith("ERROR 2999") and not on_screen:
        print(BUG_HINT + (" (it is also in the log file)" if written else ""), file=err)
    return error_status(e)


def write_log(e: BaseException, message: str, path: str, header: str = STACK_TRACE_HEADER) -> bool:
    """Append `e`'s details to log file `path` as Pig does; False when it cannot be written."""
    details = "".join(traceback.format_exception(e))
    text = f"{header}\n{'-' * len(header)}\n{message}\n\n{details}{'=' * 80}\n"
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        log.warning("Could not write to log file: %s :%s", path, exc.strerror or exc)
        return False
    return True


def log_file_path(requested: str | None, cwd: str | None = None) -> str | None:
    """Where Pig's log file goes (Main.validateLogFile): `requested` itself when it names a
    file, `requested/pig_<millis>.log` when it is a directory, else `pig_<millis>.log` in
    `cwd`; None (with a warning) when that directory cannot be written."""
    name = f"pig_{int(time.time() * 1000)}.log"
    cwd = cwd or os.getcwd()
    if requested:
        path = os.path.abspath(os.path.join(cwd, os.path.expanduser(requested)))
        if os.path.isdir(path):
            if os.access(path, os.W_OK):
                return os.path.join(path, name)
            log.warning("Need write permission in the directory: %s to create log file.", path)
            return None
        return path  # a file: created on the first error (writing it warns when it cannot)
    if os.access(cwd, os.W_OK):
        return os.path.join(cwd, name)
    log.warning("Cannot write to log file: %s", os.path.join(cwd, name))
    return None


# -------------------------------------------------------------------- summary
def _records(stat: dict[str, Any]) -> int | None:
    from piglatin.back.jobstats import records_written

    return records_written(stat)


def _written(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each STORE's (and DUMP's) entry; a multi-query job's STOREs one by one (its
    ``outputs``: store, output, text and bytes of each)."""
    return [
        o
        for s in stats
        for o in (s.get("outputs") or ([s] if s.get("store") or s.get("dump") else []))
    ]


def _bytes(s: dict[str, Any]) -> int | None:
    if "bytes" in s:
        return s["bytes"]
    counters = s.get("counters")
    return counters.find("Bytes Written") if counters is not None else None


def _inputs(stats: list[dict[str, Any]]) -> list[str]:
    """Pig's Input(s) lines (InputStats.getDisplayString), each job's in turn: ``Successfully
    read N records (B bytes) from: "location"`` (``sampled`` for a sampling job; no count
    when it is not known, no bytes when not more than 0), or ``Failed to read data from``."""
    lines = ["Input(s):"]
    for i in (i for s in stats for i in s.get("inputs") or ()):
        if i.get("failed"):
            lines.append(f'Failed to read data from "{i["location"]}"')
            continue
        records, size = i.get("records"), i.get("bytes")
        count = f"{records} records " if records is not None and records >= 0 else "records "
        size_text = f"({size} bytes) " if size else ""
        lines.append(f'Successfully {i["how"]} {count}{size_text}from: "{i["location"]}"')
    return [*lines, ""]


def _outputs(stats: list[dict[str, Any]], failed: list[dict[str, Any]]) -> list[str]:
    """Pig's Output(s) lines: each STORE's (and DUMP's) records and bytes written, then each
    STORE a failed job did not write."""
    lines = ["Output(s):"]
    for s in _written(stats):
        size = _bytes(s)
        rec = _records(s)
        lines.append(
            f"Successfully stored {'' if rec is None else rec} records"
            f' ({size or 0} bytes) in: "{s.get("output")}"'
        )
    for s in failed:
        if s.get("output"):  # a failed DUMP's temporary output is not named
            lines.append(f'Failed to produce result in "{s.get("output")}"')
    return [*lines, ""]


#: Pig's MRJobStats.FAILURE_HEADER.
FAILED_JOBS_HEADER = "JobId\tAlias\tFeature\tMessage\tOutputs"


def _failed_jobs(failed: list[dict[str, Any]]) -> list[str]:
    """Pig's Failed Jobs table: the failed job of each STORE not written."""
    if not failed:
        return []
    rows = [
        f"{s.get('job', 'N/A')}\t{s.get('alias', '')}\t\tMessage: {s.get('error', '')}\t"
        f"{s['output'] + ',' if s.get('output') else ''}"
        for s in failed
    ]
    return ["Failed Jobs:", FAILED_JOBS_HEADER, *rows, ""]


#: Pig's MRJobStats.SUCCESS_HEADER.
JOB_STATS_HEADER = (
    "JobId\tMaps\tReduces\tMaxMapTime\tMinMapTime\tAvgMapTime\tMedianMapTime\t"
    "MaxReduceTime\tMinReduceTime\tAvgReduceTime\tMedianReducetime\tAlias\tFeature\tOutputs"
)


def _job_line(s: dict[str, Any]) -> str:
    """One job's row as Pig's MRJobStats.getDisplayString (task times: 0 for the reduces of
    a map-only job, as in Pig)."""
    from piglatin.back.jobstats import task_times

    maps = [t for t in s.get("map_seconds") or () if t is not None]
    reduces = [t for t in s.get("reduce_seconds") or () if t is not None]
    reduce_times = task_times(reduces) if s.get("reduces") else ["0"] * 4
    outputs = "".join(f"{o.get('output')}," for o in _written([s]))
    cells = [str(s.get("job", "N/A")), str(s.get("maps", 0)), str(s.get("reduces", 0))]
    cells += [*task_times(maps), *reduce_times, s.get("alias", ""), s.get("feature", ""), outputs]
    return "\t".join(cells)


def summary(stats: list[dict[str, Any]], ok: bool, started: float) -> str:
    """Pig's end-of-script report (SimplePigStats): the Job Stats table, the Failed Jobs
    table, the Input(s) and Output(s) lines and the total records and bytes written."""
    ran = stats
    failed = [s for s in stats if s.get("failed")]
    stats = [s for s in stats if not s.get("failed")]
    lines = ["", _outcome(ok, stats, failed), ""]
    if stats:
        lines += ["Job Stats (time in seconds):", JOB_STATS_HEADER]
        lines += [_job_line(s) for s in stats]
        lines.append("")
    lines += _failed_jobs(failed)
    lines += _inputs(ran)
    lines += _outputs(stats, failed)
    written = _written(stats)
    records = sum(_records(s) or 0 for s in written)
    size = sum(_bytes(s) or 0 for s in written)
    lines += ["Counters:", f"Total records written : {records}", f"Total bytes written : {size}"]
    lines.append(f"Total jobs: {len(stats)}, elapsed {time.monotonic() - started:.2f} s")
    return "\n".join(lines)


def _outcome(ok: bool, stats: list[dict[str, Any]], failed: list[dict[str, Any]]) -> str:
    """Pig's first line: Success!, Failed!, or (some jobs succeeded, some failed) Pig's
    ``Some jobs have failed! Stop running all dependent jobs``."""
    if ok:
        return "Success!"
    if failed and stats:
        return "Some jobs have failed! Stop running all dependent jobs"
    return "Failed!"
