"""How the `pig` command and Grunt report an error: Pig's one-line messages, exit codes and
the client-side log file.

Owns: the exit statuses (Pig's PigRunner.ReturnCode values), the text of a failure (the
message with its source line and caret; the traceback on the screen only with --debug or
-v), and Pig's log file (LogUtils.writeLog): where it goes (`log_file_path`, Pig's
validateLogFile: `pig_<millis>.log` in the current directory, in the `-l` directory, or the
`-l` file) and what an error writes there (a "Pig Stack Trace" header, the message, the
traceback, a line of `=`), after which the console says `Details at logfile: PATH`. The file
is only created when there is something to write, as in Pig. Must not touch: option parsing
(cli.py) or sessions (grunt.py), which both use it.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from typing import TextIO

from dfs.errors import DFSError
from piglatin.errors import CommandFailedError, ParseError, PigError

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
    if isinstance(e, PigError):
        return FAILURE if e.code in (2997, 6015, 6017) else PIG_EXCEPTION
    if isinstance(e, OSError):
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
        return f"ERROR {REMOTE_ENVIRONMENT_ERROR}: {e}"
    return f"ERROR 2999: Unexpected internal error. {e}"


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
