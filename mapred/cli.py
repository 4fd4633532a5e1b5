"""``hadoop jar`` and ``hadoop job``: running job modules from the shell, and job status/history.

Owns: parsing ``hadoop jar MODULE[:CLASS] ARGS... [-D k=v ...] [-files a,b]``, printing progress
(``map 40% reduce 0%``) and counters as Hadoop does, failure reports (the failing task's
traceback and record location, exit 1), and ``hadoop job -list|-status|-kill|-history`` over the
job history records ``mapred.runner`` writes. Must not touch: how jobs run (``mapred.runner``,
``mapred.jobcontrol``). ``main()`` adds both commands to the filesystem CLI group (``dfs.cli``),
so ``python -m mapred.cli jar ...`` works and the ``hadoop`` console script can point here.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

from dfs.conf import Configuration, parse_define

__all__ = ["main", "jar_main", "job_main", "split_options"]

log = logging.getLogger(__name__)

_VALUED = {"-files": "tmpfiles", "-libjars": "tmpjars", "-archives": "tmparchives"}


def _stamp() -> str:
    return time.strftime("%y/%m/%d %H:%M:%S")


def _info(message: str) -> None:
    sys.stderr.write(f"{_stamp()} INFO mapreduce.Job: {message}\n")
    sys.stderr.flush()


def split_options(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Pull ``-D k=v``/``-Dk=v``/``-files x``/``-libjars``/``-archives`` out of any position.

    >>> split_options(["in", "-D", "a=1", "out", "-files", "x,y"])
    ({'a': '1', 'tmpfiles': 'x,y'}, ['in', 'out'])
    """
    overrides: dict[str, str] = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-D") and len(arg) > 2:
            key, value = parse_define(arg[2:])
            overrides[key] = value
            i += 1
        elif arg == "-D" or arg in _VALUED:
            if i + 1 >= len(args):
                from mapred.errors import UsageError

                raise UsageError(f"option {arg} requires an argument")
            if arg == "-D":
                key, value = parse_define(args[i + 1])
                overrides[key] = value
            else:
                overrides[_VALUED[arg]] = args[i + 1]
            i += 2
        else:
            rest.append(arg)
            i += 1
    return overrides, rest


class _ProgressPrinter:
    """Prints ``map X% reduce Y%`` whenever the rounded percentages change."""

    def __init__(self) -> None:
        self.last: tuple[str, int, int] | None = None

    def __call__(self, job_id: str, maps: float, reduces: float) -> None:
        if self.last is None or self.last[0] != job_id:
            _info(f"Running job: {job_id}")
        state = (job_id, int(maps * 100), int(reduces * 100))
        if state != self.last:
            _info(f" map {state[1]}% reduce {state[2]}%")
            self.last = state


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def jar_main(conf: Configuration, args: list[str]) -> int:
    """Run a job module: hadoop jar MODULE[:CLASS] ARGS... [-D k=v] [-files a,b]."""
    from mapred.api import resolve_job
    from mapred.errors import JobConfigError, MapRedError, UsageError
    from mapred.jobcontrol import run_chain

    if not args:
        sys.stderr.write("Usage: hadoop jar MODULE[:CLASS] [ARGS...] [-D key=value] [-files a,b]\n")
        return 255
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # job modules are found from the working directory
    try:
        overrides, rest = split_options(args[1:])
        conf = conf.copy()
        conf.update(overrides)
        job_cls = resolve_job(args[0])
        steps = [qualify_step(step, conf) for step in job_cls.steps(rest)]
    except (JobConfigError, UsageError) as e:
        sys.stderr.write(f"jar: {e}\n")
        return 255 if isinstance(e, UsageError) else 1
    if threading_main():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    _log_like_hadoop()
    printer = _ProgressPrinter()
    try:
        chain = run_chain(steps, conf, None, remove_intermediate=True, progress=printer)
    except MapRedError as e:
        sys.stderr.write(f"jar: {e}\n")
        return 1
    for result in chain.results.values():
        if result.succeeded:
            _info(f"Job {result.job_id} completed successfully")
            _info(result.counters.format())
        else:
            _report_failure(result)
    return 0 if chain.succeeded else 1


def _log_like_hadoop() -> None:
    """Attempt failures and other warnings as ``yy/mm/dd HH:MM:SS WARN mapreduce.Job: ...``."""
    logger = logging.getLogger("mapred")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s WARN mapreduce.Job: %(message)s", "%y/%m/%d %H:%M:%S")
        )
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


def qualify(path: str, conf: Configuration) -> str:
    """A path as Hadoop reads a job argument: scheme-less paths live on ``fs.defaultFS``
    (``/in`` -> ``dfs:///in``; ``in`` -> ``dfs:///user/<user>/in``).

    >>> qualify("/in", Configuration({"fs.defaultFS": "dfs:///"}, load_site=False))
    'dfs:///in'
    >>> qualify("s3://b/k", Configuration(load_site=False))
    's3://b/k'
    """
    if "://" in path:
        return path
    default = conf.get_str("fs.defaultFS") or "dfs:///"
    scheme = default.split("://", 1)[0]
    if scheme == "file":
        return os.path.abspath(path)
    if not path.startswith("/"):
        from dfs.conf import current_user

        path = f"/user/{current_user()}/{path}"
    return f"{scheme}://{path}"


def qualify_step(step: Any, conf: Configuration) -> Any:
    import dataclasses

    from mapred.api import Input

    inputs = [
        dataclasses.replace(i, path=qualify(i.path, conf))
        if isinstance(i, Input)
        else qualify(i, conf)
        for i in step.inputs
    ]
    return dataclasses.replace(step, inputs=inputs, output=qualify(step.output, conf))


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _report_failure(result: Any) -> None:
    failed = result.failed_attempt
    if failed is not None:
        sys.stderr.write(
            f"{_stamp()} INFO mapreduce.Job: Task Id : {failed.attempt_id}, Status : FAILED\n"
        )
        if failed.location:
            sys.stderr.write(f"Failing record: {failed.location}\n")
        if failed.traceback:
            sys.stderr.write(failed.traceback.rstrip("\n") + "\n")
    _info(f"Job {result.job_id} failed with state FAILED due to: {result.error}")
    sys.stderr.write(f"{result.error}\n")


# -- hadoop job ---------------------------------------------------------------------------------
def _records(conf: Configuration) -> list[dict[str, Any]]:
    from mapred.history import read_summaries

    return read_summaries(conf)


def _state(conf: Configuration, record: dict[str, Any]) -> str:
    """A record's state, with a job whose process died settled: FAILED, unless it died while
    committing after its output was published (then it SUCCEEDED, as Hadoop's recovery of a
    job whose commit finished decides)."""
    from mapred.runner import process_alive

    state = record["state"]
    if state != "RUNNING" or process_alive(int(record.get("pid", 0))):
        return state
    if record.get("committing"):
        from mapred.committer import FileOutputCommitter

        try:
            if FileOutputCommitter(record["output"], record["job_id"], conf).is_published():
                return "SUCCEEDED"
        except (OSError, ValueError, KeyError) as e:
            log.debug("cannot tell whether %s published its output: %s", record["job_id"], e)
    return "FAILED"


def _find(conf: Configuration, job_id: str) -> dict[str, Any]:
    for record in _records(conf):
        if record["job_id"] == job_id:
            state = _state(conf, record)
            if state != record["state"]:
                record["state"] = state
                if state == "FAILED":
                    record["error"] = record.get("error") or "the process running the job died"
            return record
    from mapred.errors import MapRedError

    raise MapRedError(f"Could not find job {job_id}")


def _print_status(record: dict[str, Any], counters: bool = True) -> None:
    from mapred.counters import Counters

    out = sys.stdout
    out.write(f"\nJob: {record['job_id']}\n")
    out.write(f"Job name: {record.get('name', '')}\n")
    out.write(f"Job state: {record['state']}\n")
    total_m, total_r = record.get("total_maps") or 0, record.get("total_reduces") or 0
    m = 100.0 * record.get("maps", 0) / total_m if total_m else 100.0
    r = 100.0 * record.get("reduces", 0) / total_r if total_r else (100.0 if m == 100.0 else 0.0)
    out.write(f"map() completion: {m / 100:.1f}\nreduce() completion: {r / 100:.1f}\n")
    if record.get("error"):
        out.write(f"Error: {record['error']}\n")
    if counters:
        out.write(Counters(record.get("counters") or {}).format() + "\n")


def job_main(conf: Configuration, args: list[str]) -> int:
    """Job status and history: hadoop job -list [all] | -status ID | -kill ID | -history ID."""
    from mapred.errors import MapRedError, UsageError

    usage = "Usage: hadoop job -list [all] | -status <job-id> | -kill <job-id> | -history <job-id>"
    command = args[0] if args else ""
    try:
        if command == "-list":
            return _list(conf, show_all=args[1:2] == ["all"])
        if len(args) != 2 or command not in ("-status", "-kill", "-history"):
            raise UsageError(usage)
        record = _find(conf, args[1])
        if command == "-kill":
            if record["state"] != "RUNNING":
                sys.stderr.write(f"job: Job {args[1]} is not running (state {record['state']})\n")
                return 1
            os.kill(int(record["pid"]), signal.SIGTERM)
            sys.stdout.write(f"Killed job {args[1]}\n")
            return 0
        _print_status(record, counters=True)
        if command == "-history":
            sys.stdout.write(
                f"Inputs: {', '.join(record.get('inputs', []))}\nOutput: {record.get('output')}\n"
            )
        return 0
    except UsageError as e:
        sys.stderr.write(f"job: {e}\n")
        return 255
    except MapRedError as e:
        sys.stderr.write(f"job: {e}\n")
        return 1


def _list(conf: Configuration, show_all: bool) -> int:
    rows = []
    for record in _records(conf):
        state = _state(conf, record)
        if show_all or state == "RUNNING":
            rows.append((record["job_id"], state, record.get("name", "")))
    sys.stdout.write(f"Total jobs:{len(rows)}\n")
    sys.stdout.write("JobId\tState\tName\n")
    for row in rows:
        sys.stdout.write("\t".join(row) + "\n")
    return 0


def register(cli: Any = None) -> Any:
    """Add ``jar`` and ``job`` to the filesystem CLI group; returns the group."""
    from dfs import cli as dfs_cli

    group = cli or dfs_cli.cli
    if "jar" not in group.commands:
        dfs_cli.hadoop_command("jar", "Run a job: hadoop jar MODULE[:CLASS] ARGS... [-D k=v]")(
            jar_main
        )
        dfs_cli.hadoop_command("job", "Job status: hadoop job -list | -status ID | -kill ID")(
            job_main
        )
        from mapred.launcher import register_daemon_commands  # jobtracker, tasktracker

        register_daemon_commands(group)
    return group


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``hadoop``) with the MapReduce commands added."""
    group = register()
    group.main(args=list(argv) if argv is not None else None, prog_name="hadoop")


if __name__ == "__main__":
    main()
