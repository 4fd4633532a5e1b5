"""A Ctrl-C or SIGTERM that Python raises where it cannot propagate (an at-fork handler, a
``__del__``: it is printed as 'Exception ignored' and dropped) still stops `pig`: the
unraisable hook it installs delivers the interrupt again."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import sys, time
    from piglatin.tools import cli

    class Dropped:
        def __del__(self):
            raise KeyboardInterrupt  # what a signal raised inside a __del__ becomes

    def run(opts, out, err, reporting):
        Dropped()  # the interrupt is dropped here, unless it is delivered again
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pass
        print("ran on", file=err)
        return 0

    cli.run = run
    sys.exit(cli.main(["-x", "local", "-e", "A = LOAD 'x';"]))
    """
)


def test_an_interrupt_dropped_by_python_still_stops_pig() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert "Interrupted." in proc.stderr, proc.stderr
    assert "ran on" not in proc.stderr
    assert proc.returncode != 0
