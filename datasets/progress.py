"""A one-line progress indicator on stderr for long generations.

Owns: rendering "label  done/total  rate  ETA" on a single, redrawn terminal line.
Must not touch: the data; it only counts what callers report. It stays silent when the stream is
not a terminal (logs, pipes, pytest) or when the caller asks for quiet, and redraws at most a few
times a second so it never costs measurable time.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "format_bytes"]

_REDRAW_SECONDS = 0.2


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
    ``enabled=None`` means "only when ``stream`` is a terminal".
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
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self._stream, "isatty", lambda: False)())
        self.enabled = enabled
        self._start = time.monotonic()
        self._last_draw = 0.0
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
        if now - self._last_draw >= _REDRAW_SECONDS:
            self._last_draw = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The text of the progress line (without the carriage return)."""
        now = time.monotonic() if now is None else now
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        parts = [self.label, f"{_format_count(self.done, self.unit)}"]
        if self.total:
            pct = min(100.0, 100.0 * self.done / self.total)
            parts[-1] += f" / {_format_count(self.total, self.unit)} ({pct:.0f}%)"
        parts.append(f"{_format_count(rate, self.unit)}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_format_eta((self.total - self.done) / rate)}")
        else:
            parts.append(f"{elapsed:.1f}s")
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self._stream.write("\r" + text + pad)
        self._stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()
            self.enabled = False
