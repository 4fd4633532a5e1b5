"""The fault suite's campaign line: how many faults were injected and how many losses found.

Printed at the end of every pytest run that ran a fault test; with ``FAULT_CAMPAIGN_REPORT``
set, also written there as JSON (scripts/fault_campaign.py reads it).
"""

from __future__ import annotations

import json
import os

from tests.faults.harness import TALLY


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ANN001, ARG001
    if not TALLY.injected and not TALLY.checks:
        return
    terminalreporter.write_sep("-", "fault injection")
    terminalreporter.write_line(TALLY.line())
    for detail in TALLY.details:
        terminalreporter.write_line(f"  LOSS {detail}")
    target = os.environ.get("FAULT_CAMPAIGN_REPORT")
    if target:
        with open(target, "w") as f:
            json.dump(
                {
                    "injected": TALLY.injected,
                    "kills": TALLY.kills,
                    "write_faults": TALLY.write_faults,
                    "in_process": TALLY.in_process,
                    "checks": TALLY.checks,
                    "losses": TALLY.losses,
                    "details": TALLY.details,
                    "line": TALLY.line(),
                },
                f,
                indent=1,
            )
