"""Safe mode: the NameNode's read-only start, until enough blocks have a reported replica.

Owns the state machine and the messages of HDFS's BlockManagerSafeMode, nothing else: the
NameNode feeds it counts (complete blocks, those with at least `dfs.namenode.replication.min`
good replicas, live datanodes) and asks whether a write may go ahead.

States: PENDING_THRESHOLD (waiting for block reports) -> EXTENSION (the threshold is met; wait
`dfs.namenode.safemode.extension` ms more so the other datanodes report) -> OFF. The threshold
is ``int(total * dfs.namenode.safemode.threshold-pct)`` safe blocks (HDFS truncates too) and
`dfs.namenode.safemode.min.datanodes` live datanodes; a namespace with no blocks leaves at
once. `hadoop dfsadmin -safemode enter` turns it on by hand (it stays on until `leave`); while
it is on, nothing is re-replicated or deleted and every namespace change is refused with
HDFS's SafeModeException text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from dfs.errors import DFSSafeMode

log = logging.getLogger(__name__)

PENDING, EXTENSION, OFF = "PENDING_THRESHOLD", "EXTENSION", "OFF"
LEAVE_HINT = 'Use "hadoop dfsadmin -safemode leave" to turn safe mode off.'


class SafeMode:
    """One NameNode's safe mode. Counts come from the caller on every `update`."""

    def __init__(
        self,
        threshold: float,
        extension_s: float,
        min_datanodes: int = 0,
        on: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.extension_s = extension_s
        self.min_datanodes = min_datanodes
        self.clock = clock
        self.status = PENDING if on else OFF
        self.manual = False
        self.reached_at = 0.0
        self.counts = (0, 0, 0)  # safe blocks, total blocks, live datanodes

    @property
    def on(self) -> bool:
        return self.manual or self.status != OFF

    def block_threshold(self, total: int) -> int:
        return int(total * self.threshold)

    def update(self, safe: int, total: int, live: int) -> None:
        """New counts: move PENDING -> EXTENSION -> OFF when the thresholds allow."""
        self.counts = (safe, total, live)
        if self.status == OFF:
            return
        met = safe >= self.block_threshold(total) and live >= self.min_datanodes
        if not met:
            if self.status == EXTENSION:
                log.info("STATE* Safe mode ON, thresholds not met (back below them).")
            self.status = PENDING
            return
        if self.status == PENDING:
            if self.extension_s <= 0 or total == 0:
                self._leave()
                return
            self.status = EXTENSION
            self.reached_at = self.clock()
            log.info("STATE* Safe mode extension entered.\n%s", self.tip())
        elif self.clock() - self.reached_at >= self.extension_s:
            self._leave()

    def _leave(self) -> None:
        self.status = OFF
        log.info("STATE* Safe mode is OFF")

    def enter(self) -> None:
        """``dfsadmin -safemode enter``: on until ``leave``, whatever the counts."""
        if not self.manual:
            log.info("STATE* Safe mode is ON.\nIt was turned on manually. %s", LEAVE_HINT)
        self.manual = True

    def leave(self) -> None:
        """``dfsadmin -safemode leave`` (or forceExit): off now, thresholds or not."""
        self.manual = False
        if self.status != OFF:
            self._leave()

    def tip(self) -> str:
        """HDFS's getSafeModeTip: why safe mode is on and when it goes off."""
        if self.manual:
            return f"It was turned on manually. {LEAVE_HINT}"
        safe, total, live = self.counts
        need = self.block_threshold(total)
        if safe < need:
            msg = (
                f"The reported blocks {safe} needs additional {need - safe} blocks to reach "
                f"the threshold {self.threshold:.4f} of total blocks {total}.\n"
            )
        else:
            msg = (
                f"The reported blocks {safe} has reached the threshold {self.threshold:.4f} "
                f"of total blocks {total}. "
            )
        if live < self.min_datanodes:
            msg += (
                f"The number of live datanodes {live} needs an additional "
                f"{self.min_datanodes - live} live datanodes to reach the minimum number "
                f"{self.min_datanodes}.\n"
            )
        else:
            msg += (
                f"The number of live datanodes {live} has reached the minimum number "
                f"{self.min_datanodes}. "
            )
        turn_off = "Safe mode will be turned off automatically "
        if self.status == EXTENSION:
            left = max(self.reached_at + self.extension_s - self.clock(), 0.0)
            return msg + f"In safe mode extension. {turn_off}in {int(left)} seconds."
        if self.status == PENDING:
            return msg + turn_off + "once the thresholds have been reached."
        return msg + turn_off + "soon."

    def check(self, operation: str, path: str = "") -> None:
        """Refuse a namespace change while safe mode is on (HDFS's SafeModeException)."""
        if self.on:
            raise DFSSafeMode(f"{operation}. Name node is in safe mode.\n{self.tip()}", path)


__all__ = ["SafeMode"]
