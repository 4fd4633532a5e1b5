"""The end of the `pig` process: once the command has finished and every exit handler has run,
the process ends without tearing the interpreter down object by object.

Owns: `end_with`, which the `pig` command (and only the process's own command: cli.main) calls
with its exit status, and the exit handler that then ends the process with that status.
Must not touch: what the command does or prints.

Why: after ``sys.exit``, Python runs the exit handlers (``atexit``), then clears every module
and frees the objects they hold one by one, with a last full collection: about a tenth of a
small script's CPU in a `pig` command (a 3-line GROUP in ``pig -x local``), for memory the
system takes back at once. This module's handler is registered before any other of the
command's (cli imports it first, before ``logging``), so it runs after all of them: the
embedded cluster's shutdown, ``logging.shutdown`` and the others have run by then. It
flushes ``stdout`` and ``stderr`` and ends the process (``os._exit``) with the status
``sys.exit`` was given. When a flush fails (a closed pipe), it does nothing, and Python's
own exit reports that as usual. Without `end_with` (tests, any caller of ``main`` with
arguments, an error escaping the command) the handler does nothing either.
"""

from __future__ import annotations

import atexit
import os
import sys

__all__ = ["end_with"]

_status: list[int] = []


def end_with(status: int) -> None:
    """End the process with `status` once every exit handler has run (see the module)."""
    _status[:] = [status]


def _end() -> None:
    if not _status:
        return
    if "logging" in sys.modules:  # flushed again (harmless) or, imported first, not yet
        sys.modules["logging"].shutdown()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # Python's own exit reports it (and sets the status) as usual
    os._exit(_status[0])


atexit.register(_end)
