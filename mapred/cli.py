"""``hadoop jar`` and ``hadoop job``: running job modules from the shell, and job status/history.

Owns: parsing ``hadoop jar MODULE[:CLASS] ARGS... [-D k=v ...] [-files a,b]``, printing progress
as the data moves and counters as Hadoop does, failure reports (the failing task's traceback and
record location, exit 1); ``hadoop job`` itself lives in ``mapred.jobclient``. Must not touch:
how jobs run (``mapred.runner``, ``mapred.jobcontrol``). ``main()`` adds both commands to the
filesystem CLI group (``dfs.cli``), so ``python -m mapred.cli jar ...`` works and the ``hadoop``
console script points here.

Progress: ``ProgressPrinter`` gets the job's map and reduce fractions whenever they move. Not on
a terminal it prints Hadoop's ``INFO mapreduce.Job:  map 37% reduce 0%`` line when a whole
percentage changed, at most one line every half second (a change inside that half second is
printed when it is up, and a job's last state always is). On a terminal (stderr a tty) it keeps
one progress-bar line, redrawn in place, and ends it before any other output.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from dfs.conf import GENERIC_VALUED_OPTIONS, Configuration, parse_define

__all__ = ["main", "hdfs_main", "jar_main", "job_main", "split_options", "ProgressPrinter"]

log = logging.getLogger(__name__)

_VALUED = GENERIC_VALUED_OPTIONS


def _stamp() -> str:
    return time.strftime("%y/%m/%d %H:%M:%S")


def _info(message: str) -> None:
    log.info("%s", message)  # the command's log file (dfs.cmdlog)
    sys.stderr.write(f"{_stamp()} INFO mapreduce.Job: {message}\n")
    sys.stderr.flush()


def _error(text: str) -> None:
    """A failure's lines on stderr, and in the command's log (dfs.cmdlog)."""
    log.info("%s", text.rstrip("\n"))
    sys.stderr.write(text)


def split_options(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Pull Hadoop's generic options out of any position, as ToolRunner reads them after the
    job's class: ``-D k=v``/``-Dk=v``, ``-fs``, ``-jt``, ``-files``, ``-libjars``,
    ``-archives``, and ``-conf file.xml`` (its values below every other option's); Hadoop's
    deprecated names are read as their new ones (dfs.deprecation).

    >>> split_options(["in", "-D", "a=1", "out", "-files", "x,y", "-fs", "file:///"])
    ({'a': '1', 'tmpfiles': 'x,y', 'fs.defaultFS': 'file:///'}, ['in', 'out'])
    """
    overrides: dict[str, str] = {}
    from_files: dict[str, str] = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-D") and len(arg) > 2:
            key, value = parse_define(arg[2:])
            overrides[key] = value
            i += 1
        elif arg in ("-D", "-conf") or arg in _VALUED:
            if i + 1 >= len(args):
                from mapred.errors import UsageError

                raise UsageError(f"option {arg} requires an argument")
            if arg == "-D":
                key, value = parse_define(args[i + 1])
                overrides[key] = value
            elif arg == "-conf":
                from_files.update(_read_conf_file(args[i + 1]))
            else:
                overrides[_VALUED[arg]] = args[i + 1]
            i += 2
        else:
            rest.append(arg)
            i += 1
    from dfs.deprecation import undeprecate  # Hadoop's old names: mapred.reduce.tasks, ...

    return {**undeprecate(from_files), **undeprecate(overrides)}, rest


def _read_conf_file(path: str) -> dict[str, str]:
    """``-conf file.xml``: Hadoop's site-file format (a missing file is named)."""
    from pathlib import Path

    from dfs.conf import read_site_file
    from dfs.errors import ConfigError

    if not Path(path).is_file():
        raise ConfigError(f"-conf: configuration file {path} does not exist")
    return read_site_file(Path(path))


class ProgressPrinter:
    """Prints a job's progress (see the module docstring); ``close()`` ends the last job's."""

    BAR = 20  # characters per phase in the terminal bar

    def __init__(
        self,
        stream: TextIO | None = None,
        interval: float = 0.5,
        bar: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        flush_later: bool = True,
    ) -> None:
        """`flush_later`: a change held back is printed by a timer thread when the interval is
        up (False: at the next call or ``close``; for a `clock` that is not real time)."""
        self.stream = stream if stream is not None else sys.stderr
        self.bar = _isatty(self.stream) if bar is None else bar
        self.interval, self.clock, self.flush_later = interval, clock, flush_later
        self.lock = threading.RLock()
        self.job = ""
        self.job_seen = ""  # the last job reported, kept after close()
        self.pending: tuple[float, float] | None = None  # the latest fractions, not yet shown
        self.shown: tuple[int, int] | None = None  # the percentages last shown
        self.last = -float("inf")  # when a report was last written
        self.timer: threading.Timer | None = None
        self.on_bar = False  # a bar is on the screen, the cursor at its end

    def __call__(self, job_id: str, maps: float, reduces: float) -> None:
        with self.lock:
            if job_id != self.job:
                self._end_job()
                self.job, self.job_seen, self.shown = job_id, job_id, None
                log.info("Running job: %s", job_id)
                self._line(f"{_stamp()} INFO mapreduce.Job: Running job: {job_id}")
                self.last = -float("inf")
            self.pending = (maps, reduces)
            wait = self.last + self.interval - self.clock()
            if wait <= 0:
                self._flush()
            elif self.timer is None and self.flush_later:
                self.timer = threading.Timer(wait, self._on_timer)
                self.timer.daemon = True
                self.timer.start()

    def close(self) -> None:
        """Show the last job's final state and end its bar."""
        with self.lock:
            self._end_job()
            self.job = ""

    def break_line(self) -> None:
        """Let other output start on a line of its own (the bar is drawn again after it, at the
        next report)."""
        with self.lock:
            if self.on_bar:
                self.stream.write("\n")
                self.stream.flush()
                self.on_bar, self.shown = False, None  # the next report draws the bar again

    def _on_timer(self) -> None:
        with self.lock:
            self.timer = None
            self._flush()

    def _end_job(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self._flush()
        self.break_line()

    def _flush(self) -> None:
        if self.pending is None:
            return
        maps, reduces = self.pending
        self.pending = None
        shown = (_percent(maps), _percent(reduces))
        if shown == self.shown:
            return
        self.shown, self.last = shown, self.clock()
        if self.bar:
            self.stream.write(
                f"\r\x1b[K{self.job} {_bar(shown[0], 'map')} {_bar(shown[1], 'reduce')}"
            )
            self.stream.flush()
            self.on_bar = True
        else:
            self._line(f"{_stamp()} INFO mapreduce.Job:  map {shown[0]}% reduce {shown[1]}%")

    def _line(self, text: str) -> None:
        self.break_line()
        self.stream.write(text + "\n")
        self.stream.flush()


def _percent(fraction: float) -> int:
    """Whole percent, rounded down: 100% only when the phase is done."""
    return max(0, min(100, int(fraction * 100 + 1e-9)))


def _bar(percent: int, label: str) -> str:
    done = percent * ProgressPrinter.BAR // 100
    return f"{label} [{'#' * done}{'.' * (ProgressPrinter.BAR - done)}] {percent:3d}%"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


_printer: ProgressPrinter | None = None  # the one whose bar log lines must not run into


_terminated = False  # SIGTERM (hadoop job -kill) arrived


def _raise_interrupt(signum: int, frame: Any) -> None:
    global _terminated
    _terminated = True
    raise KeyboardInterrupt


def _report_killed(conf: Configuration, job_id: str) -> None:
    """Hadoop's line for a job that ended killed (the reason as the history recorded it)."""
    from mapred.history import read_summary

    record = (read_summary(conf, job_id) if job_id else None) or {}
    state = record.get("state") if record.get("state") in ("KILLED", "FAILED") else "KILLED"
    reason = record.get("error") or "the job was interrupted"
    _info(f"Job {job_id or '(not started)'} failed with state {state} due to: {reason}")


def jar_main(conf: Configuration, args: list[str]) -> int:
    """Run a job module: hadoop jar MODULE[:CLASS] ARGS... [-D k=v] [-files a,b]."""
    from mapred.errors import JobConfigError, MapRedError, UsageError
    from mapred.jobcontrol import run_chain
    from mapred.task import sort_buffer_bytes

    detach = bool(args) and args[0] == "--detach"
    args = args[1:] if detach else args
    if not args:
        sys.stderr.write(
            "Usage: hadoop jar [--detach] MODULE[:CLASS] [ARGS...] [-D key=value] [-files a,b]\n"
        )
        return 255
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # job modules are found from the working directory
    try:
        overrides, rest = split_options(args[1:])
        conf = conf.copy()
        conf.update(overrides)
        conf.check(overrides)
        sort_buffer_bytes(conf)  # io.sort.mb is read in the tasks: refuse a bad one up front
        steps = [qualify_step(step, conf) for step in _job_steps(args[0], rest)]
    except (JobConfigError, UsageError) as e:
        _error(f"jar: {e}\n")
        return 255 if isinstance(e, UsageError) else 1
    except _UserCodeFailed as e:
        _error(f"jar: {e.args[0]}\n{e.args[1]}")
        return 1
    if detach:
        return _submit_detached(steps, conf)
    if threading_main():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    global _printer
    _printer = printer = ProgressPrinter()
    _log_like_hadoop()
    try:
        chain = run_chain(steps, conf, None, remove_intermediate=True, progress=printer)
    except MapRedError as e:
        _error(f"jar: {e}\n")
        return 1
    except KeyboardInterrupt:
        printer.close()
        _report_killed(conf, printer.job_seen)
        if _terminated:
            return 1  # hadoop job -kill: the job was killed, the command failed
        raise
    finally:
        printer.close()
    for result in chain.results.values():
        if result.succeeded:
            _info(f"Job {result.job_id} completed successfully")
            _info(result.counters.format())
        else:
            _report_failure(result)
    return 0 if chain.succeeded else 1


class _UserCodeFailed(Exception):
    """The user's job module did not import, or its steps() failed: (what, traceback)."""


def _job_steps(ref: str, args: list[str]) -> list:
    """The steps of the job `ref` names; the user's own code failing while it is imported or
    asked for its steps is reported as Python reports it, from the user's first frame on."""
    import importlib

    from mapred.api import resolve_job
    from mapred.errors import JobConfigError, UsageError
    from mapred.usercode import FRAMEWORK_DIRS, has_user_frame, user_traceback

    frameworks = (*FRAMEWORK_DIRS, os.path.dirname(importlib.__file__))
    try:
        job_cls = resolve_job(ref)
    except JobConfigError as e:
        cause = e.__context__  # a module that was found, but whose own import failed
        if isinstance(cause, ImportError) and has_user_frame(cause, frameworks):
            raise _UserCodeFailed(f"cannot load {ref}:", user_traceback(cause, frameworks)) from e
        raise
    except Exception as e:  # noqa: BLE001 - the user's module raised while it was imported
        raise _UserCodeFailed(f"cannot load {ref}:", user_traceback(e, frameworks)) from None
    try:
        return list(job_cls.steps(args))
    except (JobConfigError, UsageError):
        raise
    except Exception as e:  # noqa: BLE001 - the user's steps() failed
        where = f"{job_cls.__name__}.steps() failed:"
        raise _UserCodeFailed(where, user_traceback(e, frameworks)) from None


def _submit_detached(steps: list, conf: Configuration) -> int:
    """``hadoop jar --detach``: submit a one-job module to the JobTracker daemon and return."""
    from mapred.errors import MapRedError
    from mapred.runner import run_job

    if len(steps) != 1:
        sys.stderr.write(
            f"jar: --detach submits one job; this module runs a chain of {len(steps)} "
            "(run it without --detach)\n"
        )
        return 255
    (step,) = steps
    step_conf = conf.copy()
    step_conf.update(dict(step.conf))
    try:
        result = run_job(step.job, step.inputs, step.output, step_conf, name=step.name, wait=False)
    except MapRedError as e:
        _error(f"jar: {e}\n")
        return 1
    _info(f"Submitted job {result.job_id}; follow it with: hadoop job -status {result.job_id}")
    return 0


def _log_like_hadoop() -> None:
    """Attempt failures and other warnings as ``yy/mm/dd HH:MM:SS WARN mapreduce.Job: ...``."""
    logger = logging.getLogger("mapred")
    if not logger.handlers:
        handler = _LineHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s WARN mapreduce.Job: %(message)s", "%y/%m/%d %H:%M:%S")
        )
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


class _LineHandler(logging.StreamHandler):
    """A log line never runs into the progress bar: the bar's line is ended first."""

    def emit(self, record: logging.LogRecord) -> None:
        if _printer is not None:
            _printer.break_line()
        super().emit(record)


def qualify(path: str, conf: Configuration) -> str:
    """A path as Hadoop reads a job argument: scheme-less paths live on ``fs.defaultFS``
    (``/in`` -> ``dfs:///in``; ``in`` -> ``dfs:///user/<user>/in``).

    >>> qualify("/in", Configuration({"fs.defaultFS": "dfs:///"}, load_site=False))
    'dfs:///in'
    >>> qualify("memory://b/k", Configuration(load_site=False))
    'memory://b/k'
    """
    if "://" in path:
        check_filesystem(path)
        return path
    default = conf.get_str("fs.defaultFS") or "dfs:///"
    scheme = default.split("://", 1)[0]
    if scheme == "file":
        return os.path.abspath(path)
    if not path.startswith("/"):
        from dfs.conf import current_user

        path = f"/user/{current_user()}/{path}"
    return f"{scheme}://{path}"


def check_filesystem(url: str) -> None:
    """Refuse, in Hadoop's words, a job path whose filesystem cannot be opened here, before
    any job runs: an unknown fsspec protocol, one whose package is missing, and hdfs:// without
    the Java set-up pyarrow's HDFS client needs (it would print its failed dlopen calls)."""
    from mapred.errors import JobConfigError

    scheme = url.split("://", 1)[0]
    ours = "this cluster's filesystem is dfs:/// (write /path or dfs:///path)"
    if scheme.lower() in ("hdfs", "viewfs") and not os.environ.get("JAVA_HOME"):
        raise JobConfigError(
            f'No FileSystem for scheme "{scheme}" ({url}): {ours}; a real HDFS is reached '
            "through pyarrow, which needs JAVA_HOME, HADOOP_HOME and CLASSPATH set"
        )
    if scheme in ("file", "local"):  # fsspec's own local filesystem: always there
        return
    import fsspec

    try:
        fsspec.get_filesystem_class(scheme)
    except (ValueError, ImportError) as e:
        raise JobConfigError(f'No FileSystem for scheme "{scheme}" ({url}): {e}; {ours}') from None


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
            from mapred.usercode import is_hook_location

            what = "Failed in" if is_hook_location(failed.location) else "Failing record"
            sys.stderr.write(f"{what}: {failed.location}\n")
        if failed.traceback:
            where = failed.location or "(no record)"
            log.info("Task %s failed at %s:\n%s", failed.attempt_id, where, failed.traceback)
            sys.stderr.write(failed.traceback.rstrip("\n") + "\n")
    _info(f"Job {result.job_id} failed with state FAILED due to: {result.error}")
    sys.stderr.write(f"{result.error}\n")


def job_main(conf: Configuration, args: list[str]) -> int:
    """``hadoop job``: see ``mapred.jobclient`` (imported when used: ``hadoop fs`` never pays)."""
    from mapred.jobclient import job_main as run

    return run(conf, args)


def register(cli: Any = None) -> Any:
    """Add ``jar`` and ``job`` to the filesystem CLI group; returns the group."""
    from dfs import cli as dfs_cli

    group = cli or dfs_cli.cli
    if "jar" not in group.commands:
        dfs_cli.hadoop_command("jar", "Run a job: hadoop jar MODULE[:CLASS] ARGS... [-D k=v]")(
            jar_main
        )
        dfs_cli.hadoop_command(
            "job", "Follow jobs: hadoop job -list [all] | -status | -kill | -history | -events"
        )(job_main)
        from mapred.launcher import register_daemon_commands  # jobtracker, tasktracker

        register_daemon_commands(group)
    return group


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``hadoop``) with the MapReduce commands added."""
    group = register()
    group.main(args=list(argv) if argv is not None else None, prog_name="hadoop")


def hdfs_main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point ``hdfs``, as Hadoop's bin/hdfs: the same commands under
    HDFS's names (``hdfs dfs -ls /``, ``hdfs fsck /``, ``hdfs dfsadmin -report``,
    ``hdfs namenode -format``)."""
    group = register()
    group.main(args=list(argv) if argv is not None else None, prog_name="hdfs")


if __name__ == "__main__":
    main()
