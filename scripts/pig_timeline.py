"""Where a ``pig`` command's wall time goes in the default (cluster) mode: a per-job timeline.

Owns: running one Pig script as a user would (a subprocess, in a given ``MINIHADOOP_HOME``),
then reading the job history that run left (``$MINIHADOOP_HOME/history/<job>.jsonl``: times
of submission, every attempt's start and end, the job's end) and printing it relative to the
command's start, with the gaps between jobs (compile, commit, statistics, start-up) named.
Must not touch: Pig or the framework (it only reads the history files they write).

    python scripts/pig_timeline.py --home /tmp/h/home scripts/pigmix/l11.pig \\
        -param data=file:///tmp/pm2/data -param out=file:///tmp/h/out
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def job_events(history: Path, pid: int) -> list[tuple[str, list[dict]]]:
    """(job id, events) of every job the process `pid` ran, in submit order."""
    jobs = []
    for path in history.glob(f"job_local{pid}_*.jsonl"):
        with open(path, encoding="utf-8") as f:
            events = [json.loads(line) for line in f if line.strip()]
        jobs.append((path.stem, events))
    return sorted(jobs, key=lambda j: j[1][0]["time"] if j[1] else 0)


def timeline(jobs: list[tuple[str, list[dict]]], t0_ms: float, end_ms: float) -> list[str]:
    lines, last = [], t0_ms
    for job_id, events in jobs:
        submit = events[0]["time"]
        lines.append(f"  {'(before submit)':<28}{'':>8}{(submit - last) / 1000:>8.3f}")
        started: dict[str, float] = {}
        for e in events:
            t = (e["time"] - t0_ms) / 1000
            kind = e["event"]
            if kind == "ATTEMPT_STARTED":
                started[e["attempt_id"]] = e["time"]
                continue
            if kind == "ATTEMPT_FINISHED":
                a = e["attempt_id"]
                took = (e["time"] - started.get(a, e["time"])) / 1000
                name = a.split("_", 3)[-1]
                begin = (started.get(a, e["time"]) - t0_ms) / 1000
                lines.append(f"  {name:<28}{begin:>8.3f}{t:>8.3f}  {took:.3f}s {e['tracker']}")
            elif kind in ("JOB_SUBMITTED", "JOB_FINISHED"):
                lines.append(f"{job_id} {kind:<14}{t:>15.3f}")
        last = events[-1]["time"]
    lines.append(f"  {'(after last job)':<28}{'':>8}{(end_ms - last) / 1000:>8.3f}")
    lines.append(f"total {(end_ms - t0_ms) / 1000:.3f} s")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home", required=True, help="MINIHADOOP_HOME (formatted)")
    p.add_argument("--pig", default=f"{sys.executable} -m piglatin.tools.cli")
    p.add_argument("script")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    env = dict(os.environ, MINIHADOOP_HOME=args.home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.time() * 1000
    proc = subprocess.Popen(
        [*args.pig.split(), *args.rest, "-f", args.script],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, err = proc.communicate()
    end = time.time() * 1000
    if proc.returncode:
        sys.stderr.write(err.decode(errors="replace"))
        return proc.returncode
    for line in timeline(job_events(Path(args.home) / "history", proc.pid), t0, end):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
