"""The mapred error hierarchy: one root; each message names the job, task or path it is about."""

from __future__ import annotations


class MapRedError(Exception):
    """Root of every MapReduce error."""


class JobConfigError(MapRedError, ValueError):
    """A job is defined or configured wrongly (bad knob, unknown format, missing method)."""


class InputPathError(MapRedError, FileNotFoundError):
    """An input path, directory or glob matched nothing (``Input path does not exist: X``)."""


class OutputExistsError(MapRedError, FileExistsError):
    """The output directory exists before the job starts (``Output directory X already exists``)."""


class JobFailed(MapRedError):
    """A job failed: the message names the job, the failing task attempt and its last error."""

    def __init__(self, message: str, *, job_id: str = "", task_error: str = "") -> None:
        super().__init__(message)
        self.job_id = job_id
        self.task_error = task_error


class UsageError(MapRedError, ValueError):
    """A job was given wrong arguments on the command line; the message is its usage line."""


class TaskError(MapRedError):
    """A task failed inside a worker; carries the traceback text and the failing record's place."""

    def __init__(self, message: str, *, traceback: str = "", location: str = "") -> None:
        super().__init__(message)
        self.traceback = traceback
        self.location = location
