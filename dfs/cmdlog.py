"""Command logs: every ``hadoop`` command records what it did in ``$MINIHADOOP_HOME/logs/``.

Owns: the log file of one command run (``logs/hadoop-<user>-<command>.log``, appended, in the
daemons' line shape ``2026-12-06 13:40:00,123 INFO dfs.cli: message``) and reading the level
and appenders from Hadoop's spellings: ``-Dhadoop.root.logger=LEVEL,APPENDER...`` (``console``
also writes to stderr, as Hadoop's console appender does; the file is always written) and
``--loglevel LEVEL`` (Hadoop 3's, the same as ``LEVEL,console``). The default is
``INFO,RFA``: the file at INFO, nothing more on the terminal.
Must not touch: the daemons' own logs (``hadoop namenode`` and friends log through
``dfs.runfiles.setup_logging``) nor what commands print.

>>> parse_root_logger("DEBUG,console")
(10, True)
>>> parse_root_logger("WARN,RFA")
(30, False)
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from dfs.errors import ConfigError

__all__ = ["ROOT_LOGGER_KEY", "FILE_ONLY", "parse_root_logger", "command_log", "log_path_of"]

ROOT_LOGGER_KEY = "hadoop.root.logger"
DEFAULT_ROOT_LOGGER = "INFO,RFA"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LEVELS = {
    "ALL": logging.DEBUG,
    "TRACE": logging.DEBUG,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "FATAL": logging.CRITICAL,
    "OFF": logging.CRITICAL + 10,
}

log = logging.getLogger("dfs.cli")

#: ``extra=`` for a record meant for the log file (and an asked-for console appender), not the
#: terminal's warnings handler: an internal error's traceback, which the command's one
#: ``ERROR 2999`` line points to
FILE_ONLY = {"file_only": True}


def parse_root_logger(text: str) -> tuple[int, bool]:
    """``LEVEL[,APPENDER...]`` -> (logging level, whether the console gets the log too)."""
    level, *appenders = [part.strip() for part in str(text).split(",")]
    if level.upper() not in _LEVELS:
        raise ConfigError(
            f"{ROOT_LOGGER_KEY}={text!r}: unknown log level {level!r}; use one of "
            f"{', '.join(_LEVELS)}, as in -D{ROOT_LOGGER_KEY}=DEBUG,console or --loglevel DEBUG"
        )
    return _LEVELS[level.upper()], any(a.lower() == "console" for a in appenders)


def log_path_of(home: Path, user: str, command: str) -> Path:
    return Path(home) / "logs" / f"hadoop-{user}-{command}.log"


@contextlib.contextmanager
def command_log(
    home: Path | None, user: str, command: str, argv: Sequence[str], spec: str | None
) -> Iterator[Path | None]:
    """Log this process to the command's file (and stderr when `spec` names ``console``) for
    the block; yields the file's path, or None when there is no state directory to log in
    (never formatted: a command must not create it)."""
    level, console = parse_root_logger(spec or DEFAULT_ROOT_LOGGER)
    root = logging.getLogger()
    handlers: list[logging.Handler] = []
    path = None
    if home is not None and Path(home).is_dir():
        path = log_path_of(home, user, command)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handlers.append(_QuietFileHandler(path, encoding="utf-8"))
        except OSError:  # a read-only or full state directory: the command runs unlogged
            path = None
    formatter = logging.Formatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
        handlers[-1].setFormatter(formatter)
    elif not root.handlers:  # warnings still reach the terminal, as Python's last resort did
        handlers.append(_TerminalWarnings(sys.stderr))
    for handler in handlers:
        handler.setLevel(max(level, handler.level))
        root.addHandler(handler)
    before = root.level
    root.setLevel(min(level, before) if before else level)
    try:
        log.info("hadoop %s %s (user %s, pid %d)", command, " ".join(argv), user, os.getpid())
        yield path
    finally:
        root.setLevel(before)
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()


class _TerminalWarnings(logging.StreamHandler):
    """Warnings and worse on stderr, bare (``logging.lastResort``'s shape), unless a handler
    nearer the logger already prints them on a terminal (``hadoop jar``'s ``WARN
    mapreduce.Job: ...`` lines): as with the last resort, a warning reaches the user once."""

    def __init__(self, stream: object) -> None:
        super().__init__(stream)
        self.setLevel(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if not getattr(record, "file_only", False) and not _printed_nearer(record):
            super().emit(record)


def _printed_nearer(record: logging.LogRecord) -> bool:
    """Does a stream handler (not a file) of the record's logger or an ancestor below the root
    take `record`?"""
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None and logger is not logging.root:
        for handler in logger.handlers:
            console = isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            )
            if console and record.levelno >= handler.level:
                return True
        logger = logger.parent if logger.propagate else None
    return False


class _QuietFileHandler(logging.FileHandler):
    """A log file that never disturbs the command: a write that fails (a full disk) is dropped,
    not reported with a traceback on stderr."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        pass
