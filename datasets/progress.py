"""Progress of long work on stderr: generators (datasets/) and benchmark runs (scripts/).

Owns: rendering "label  done/total  rate  ETA [what]" -- on a terminal as one line redrawn in
place (at most five times a second), elsewhere (logs, pipes, CI) as plain lines, one every
`LINE_SECONDS` and a last one at the end, so a long run is never silent. Must not touch: the
work; it only counts what callers report (``update(amount)`` for bytes or rows, ``step(text)``
for one of N runs). ``enabled=False`` (``--quiet``) silences it; ``enabled=True`` forces the
redrawn line. MapReduce jobs have their own (mapred.cli.ProgressPrinter, Hadoop's lines).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "format_bytes"]

_REDRAW_SECONDS = 0.2
LINE_SECONDS = 10.0  # between plain lines when the stream is not a terminal


def format_bytes(n: float) -> str:
    """Binary-unit size as Hadoop prints it: ``1.5 M``, ``200.0 M``, ``12 B``."""
    for unit in ("B", "K", "M", "G", "T"):
        if abs(n) < 1024 or unit == "T":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def _format_count(n: float, unit: str) -> str:
    if unit == "B":
        return format_bytes(n)
    return f"{n:,.0f} {unit}"


def _format_eta(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Count work done towards ``total`` and show it; use as a context manager.

    ``unit`` is ``"B"`` for bytes (shown in binary units) or a noun such as ``"rows"``.
    ``enabled``: None shows a redrawn line on a terminal and plain lines elsewhere, True always
    the redrawn line, False nothing.
    """

    def __init__(
        self,
        label: str,
        total: float,
        unit: str = "B",
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0.0
        self.what = ""  # the current step's text
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            tty = bool(getattr(self._stream, "isatty", lambda: False)())
            self.mode = "bar" if tty else "lines"
        else:
            self.mode = "bar" if enabled else "off"
        self.enabled = self.mode != "off"
        self._start = time.monotonic()
        self._last_draw = 0.0 if self.mode == "bar" else self._start
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, amount: float) -> None:
        """Record ``amount`` more units done; redraw if enough time has passed."""
        self.done += amount
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw >= (_REDRAW_SECONDS if self.mode == "bar" else LINE_SECONDS):
            self._last_draw = now
            self._draw(now)

    def step(self, what: str) -> None:
        """Start the next of ``total`` steps, described by `what` (shown at once, each step a
        line of its own when not on a terminal); the previous one counts as done."""
        if self.what:
            self.done += 1
        self.what = what
        if self.enabled:
            self._last_draw = now = time.monotonic()
            self._draw(now)

    def break_line(self) -> None:
        """Let other output (a result line) start on a line of its own; the redrawn line comes
        back at the next update."""
        if self.mode == "bar" and self._width:
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0

    def line(self, now: float | None = None) -> str:
        """The text of the progress line (without the carriage return)."""
        now = time.monotonic() if now is None else now
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        parts = [self.label, f"{_format_count(self.done, self.unit)}"]
        if self.total:
            pct = min(100.0, 100.0 * self.done / self.total)
            parts[-1] += f" / {_format_count(self.total, self.unit)} ({pct:.0f}%)"
        if rate >= 1 or self.unit == "B":
            parts.append(f"{_format_count(rate, self.unit)}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_format_eta((self.total - self.done) / rate)}")
        else:
            parts.append(f"{elapsed:.1f}s")
        if self.what:
            parts.append(self.what)
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        text = self.line(now)
        if self.mode == "lines":
            self._stream.write(text + "\n")
        else:
            pad = " " * max(0, self._width - len(text))
            self._width = len(text)
            self._stream.write("\r" + text + pad)
        self._stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            if self.what:
                self.done += 1
                self.what = ""
            self._draw(time.monotonic())
            if self.mode == "bar":
                self._stream.write("\n")
                self._stream.flush()
            self.enabled = False
