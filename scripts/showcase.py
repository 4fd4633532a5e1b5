"""The showcase: semantic expansion of NCBO-like annotations on a fresh cluster.

Formats a cluster in a temporary MINIHADOOP_HOME (removed at exit unless --keep) or --home
(with --daemons, starts it as real NameNode and DataNode processes with `hadoop start-cluster`,
every command below then talks to them over TCP, and stops them at the end), generates the
study's tables at a laptop scale straight onto the DFS, runs scripts/semantic_expansion.pig with
`pig -x mapreduce` (a three-job chain: the expansion join, the distinct-element count per
ancestor, the global order) and prints the top ancestor concepts. Each command is printed
before its output.

    python scripts/showcase.py [--home DIR] [--keep] [--scale 0.001] [--profile wp] [--top 10]
                               [--daemons]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = {
    "hadoop": ["-m", "mapred.cli"],
    "pig": ["-m", "piglatin.tools.cli"],
    "datasets": ["-m", "datasets"],
}


def run(tool: str, *args: str, env: dict[str, str], capture: bool = False) -> str:
    shown = tool if tool != "datasets" else "python -m datasets"
    print(f"\n$ {' '.join([shown, *map(shlex.quote, args)])}", flush=True)
    proc = subprocess.run(
        [sys.executable, *TOOLS[tool], *args], env=env, text=True, capture_output=capture
    )
    if proc.returncode != 0:
        if capture:
            sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"showcase: `{tool} {' '.join(args)}` exited {proc.returncode}")
    return proc.stdout if capture else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", help="cluster state directory (default: a temporary one)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary cluster (otherwise removed at exit)"
    )
    parser.add_argument("--scale", default="0.001", help="dataset scale (1 = the study's sizes)")
    parser.add_argument("--profile", default="wp", choices=["wp", "ct", "pm"])
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument(
        "--daemons", action="store_true", help="run on a started cluster (real processes)"
    )
    opts = parser.parse_args()
    home = opts.home or tempfile.mkdtemp(prefix="minihadoop-showcase-")
    try:
        run_showcase(opts, home)
    finally:
        if opts.home is None and not opts.keep:
            shutil.rmtree(home, ignore_errors=True)
            print(f"\nremoved the showcase cluster {home} (--keep keeps it)")
        else:
            print(f"\nthe showcase cluster is in {home}: MINIHADOOP_HOME={home} hadoop fs -ls /")


def run_showcase(opts: argparse.Namespace, home: str) -> None:
    env = dict(os.environ, MINIHADOOP_HOME=home)
    kind = "daemon processes" if opts.daemons else "simulated datanodes"
    print(f"minihadoop showcase: 4 {kind} on 2 racks in {home}")
    run("hadoop", "namenode", "-format", "-force", env=env)
    if not opts.daemons:
        showcase(opts, env)
        return
    # a SIGTERM (a timeout, a closed terminal) unwinds too, so the daemons are stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run("hadoop", "start-cluster", env=env)
        showcase(opts, env)
        run("hadoop", "dfsadmin", "-report", env=env)
    finally:
        run("hadoop", "stop-cluster", env=env)


def showcase(opts: argparse.Namespace, env: dict[str, str]) -> None:
    """Generate the tables onto the DFS, run the Pig script, print the top ancestors."""
    run(
        "datasets",
        "ncbo",
        "--profile",
        opts.profile,
        "--scale",
        opts.scale,
        "--out",
        "dfs:///ncbo",
        "--seed",
        "1",
        env=env,
    )
    run("hadoop", "fs", "-ls", "-R", "/ncbo", env=env)
    run(
        "pig",
        "-x",
        "mapreduce",
        "-param",
        f"annotations=/ncbo/annotations_{opts.profile}",
        "-param",
        "relation=/ncbo/relation",
        "-param",
        "out=/ncbo/ancestor_counts",
        str(HERE / "semantic_expansion.pig"),
        env=env,
    )
    text = run("hadoop", "fs", "-cat", "/ncbo/ancestor_counts/part-*", env=env, capture=True)
    lines = text.splitlines()
    print(
        f"\nTop {opts.top} ancestor concepts by distinct annotated elements "
        f"({len(lines)} ancestors in all):"
    )
    print(f"{'ancestor concept':>18}  {'elements':>8}")
    for line in lines[: opts.top]:
        concept, count = line.split("\t")
        print(f"{concept:>18}  {count:>8}")


if __name__ == "__main__":
    main()
