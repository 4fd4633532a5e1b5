"""A child command for the write-fault tests: ``hadoop ARGS`` with a log of the durable writes.

Runs the `hadoop` console script's entry point (``mapred.cli.main``) unchanged, after wrapping
`dfs.faults.write_fully` to count the durable writes the command reaches, per tag; the counts go
to ``$FAULTS_WRITE_LOG`` at exit: the proof that a fault armed with ``MINIHADOOP_WRITE_FAULT``
fired.
Must not change what the command does.
"""

from __future__ import annotations

import os
import sys


def _log_writes(path: str) -> None:
    """Count write_fully calls per tag; the counts go to `path` when the command exits."""
    import atexit
    from collections import Counter

    from dfs import faults

    real = faults.write_fully
    counts: Counter[str] = Counter()

    def write_fully(fd, data, tag):  # noqa: ANN001, ANN202 - the same signature as the real one
        if memoryview(data).nbytes:  # as dfs.faults counts: an empty write reaches no fault
            counts[tag] += 1
        return real(fd, data, tag)

    def dump() -> None:
        with open(path, "a") as log:
            log.writelines(f"{tag} {n}\n" for tag, n in counts.items())

    faults.write_fully = write_fully
    atexit.register(dump)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    if os.environ.get("FAULTS_WRITE_LOG"):
        _log_writes(os.environ["FAULTS_WRITE_LOG"])
    from mapred.cli import main

    main(sys.argv[1:])
