"""How the `pig` command and Grunt report an error: Pig's one-line messages and exit codes.

Owns: the exit statuses (Pig's PigRunner.ReturnCode values) and the text of a failure (the
message with its source line and caret; the traceback only with -debug/--debug). Must not
touch: option parsing (cli.py) or sessions (grunt.py), which both use it.
"""

from __future__ import annotations

import traceback
from typing import TextIO

from dfs.errors import DFSError
from piglatin.errors import ParseError, PigError

SUCCESS, FAILURE, ILLEGAL_ARGS, IO_EXCEPTION = 0, 2, 4, 5
PIG_EXCEPTION, PARSE_EXCEPTION, THROWABLE = 6, 7, 8
REMOTE_ENVIRONMENT_ERROR = 6000
def error_status(e: BaseException) -> int:
    if isinstance(e, ParseError):
        return PARSE_EXCEPTION
    if isinstance(e, PigError):
        return FAILURE if e.code in (2997, 6015, 6017) else PIG_EXCEPTION
    if isinstance(e, OSError):
        return IO_EXCEPTION
    return THROWABLE


def report_error(e: BaseException, err: TextIO, debug: bool) -> int:
    """Print `e` the way Pig does (one line, the source line and a caret); the status."""
    if isinstance(e, PigError):
        text = e.format()
        if text.startswith(f"ERROR {e.code}: ERROR "):  # runtime errors carry their own code
            text = text[len(f"ERROR {e.code}: ") :]
        print(text, file=err)
    elif isinstance(e, FileNotFoundError):
        print(f"ERROR 2997: File not found: {e.filename or e}", file=err)
    elif isinstance(e, DFSError):  # the cluster's state or storage: Pig's remote environment
        print(f"ERROR {REMOTE_ENVIRONMENT_ERROR}: {e}", file=err)
    else:
        print(f"ERROR 2999: Unexpected internal error. {e}", file=err)
    if debug:
        traceback.print_exception(e, file=err)
    return error_status(e)
