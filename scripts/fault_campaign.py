"""Run the fault-injection campaign and print the line to quote: faults injected, losses found.

Runs tests/faults (every case, slow ones included, unless --quick) and the SIGKILL durability
tests under pytest, collects the tally tests/faults/conftest.py writes, and prints one summary
line plus one line per loss. Exit status: 0 when no loss was found and every test passed.

    python scripts/fault_campaign.py            # the whole campaign (a few minutes)
    python scripts/fault_campaign.py --quick    # the default-run subset (seconds)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the default-run cases")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "campaign.json"
        marks = "not bench" if not args.quick else "not slow and not bench"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            marks,
            "tests/faults",
            "tests/dfs/test_durability.py",
            *args.pytest_args,
        ]
        env = dict(os.environ, FAULT_CAMPAIGN_REPORT=str(report))
        tests = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        tail = [
            line
            for line in tests.stdout.splitlines()
            if line.startswith(("FAILED ", "ERROR tests"))
        ]
        summary = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else ""
        if not report.exists():
            print(tests.stdout[-3000:], tests.stderr[-2000:], sep="\n")
            print("fault campaign: no tally was written (did the fault tests run?)")
            return 1
        tally = json.loads(report.read_text())
    print(tally["line"] + f"; pytest: {summary.strip('= ')}")
    for detail in tally["details"]:
        print(f"  LOSS {detail}")
    for line in tail:
        print(f"  {line}")
    return 0 if tally["losses"] == 0 and tests.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
