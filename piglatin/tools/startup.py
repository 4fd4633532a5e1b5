"""The start of the `pig` process: the cyclic garbage collector waits while the modules a run
needs are imported, and everything made until then is frozen (``gc.freeze``) when it runs again.

Owns: `hold` and `release`, and the hold that importing this module starts in the `pig` process
itself (its console script, or ``python -m piglatin.tools.cli``): cli.py imports it right after
fastexit, so the collector already waits while cli's own imports (logging, dataclasses, pathlib,
...) run, not only from `cli.main` on. Must not touch: what the command does or prints.

Why: nearly all of the objects start-up makes live as long as the process: collecting there
only walks them (a 3-line GROUP in ``pig -x local``: 26 collector passes with the hold from
`cli.main` on, 17 with the hold from here, counted from the interpreter's start), as would
every later full collection and a forked task child's, which would copy every page it
touches. Python's own advice for a process that forks (``gc.freeze``'s documentation). Any
other importer (tests, embedding, a caller of ``main`` with arguments) keeps its collector;
`cli.main` calls `release` when it returns, whatever it was called with.
"""

from __future__ import annotations

import gc
import os
import sys

__all__ = ["hold", "release"]


class _State:
    held = False


def hold() -> None:
    """The collector waits until `release` (nothing if it is off already)."""
    if gc.isenabled():
        gc.disable()
        _State.held = True


def release() -> None:
    """The end of start-up: freeze what exists, collect from here on (if `hold` held it)."""
    if _State.held:
        _State.held = False
        gc.freeze()
        gc.enable()


def _is_pig_process() -> bool:
    """Whether this process is the `pig` command: its ``__main__`` is cli.py run as a module,
    or the console script named `pig` (which imports cli, then calls ``main()``)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "piglatin.tools.cli":
        return True
    script = getattr(main, "__file__", None)
    return bool(script) and script == sys.argv[0] and os.path.basename(script) == "pig"


if _is_pig_process():
    hold()
