"""The embedded-cluster tour: format, put, list with block locations, cat, fsck, break, repair.

Runs the real `hadoop` commands against a fresh cluster in a temporary MINIHADOOP_HOME (removed
at exit unless --keep; says where it is when kept) or the directory given with --home, printing
each command before its output.

    python scripts/demo_dfs.py [--home DIR] [--keep] [--size BYTES]
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(args: list[str], env: dict[str, str], check: bool = True) -> str:
    print(f"\n$ {' '.join(shlex.quote(a) for a in args)}", flush=True)
    proc = subprocess.run(
        [sys.executable, "-m", "dfs.cli", *args[1:]], env=env, text=True, capture_output=True
    )
    out = proc.stdout + proc.stderr
    if out.strip():
        print(out.rstrip("\n"), flush=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"demo: `{' '.join(args)}` exited {proc.returncode}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", help="cluster state directory (default: a temporary one)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary cluster (otherwise removed at exit)"
    )
    parser.add_argument("--size", type=int, default=600_000, help="bytes of the demo file")
    opts = parser.parse_args()
    home = Path(opts.home or tempfile.mkdtemp(prefix="minihadoop-demo-"))
    try:
        demo(opts, home)
    finally:
        leave(home, temporary=opts.home is None, keep=opts.keep)


def leave(home: Path, temporary: bool, keep: bool) -> None:
    """Remove a temporary state directory, or say where the kept one is."""
    if temporary and not keep:
        shutil.rmtree(home, ignore_errors=True)
        print(f"\nremoved the demo cluster {home} (--keep keeps it)")
    else:
        print(f"\nthe demo cluster is in {home}: MINIHADOOP_HOME={home} hadoop fs -ls -R /")


def demo(opts: argparse.Namespace, home: Path) -> None:
    """The tour itself, on the state directory `home`."""
    env = dict(os.environ, MINIHADOOP_HOME=str(home))
    local = home.parent / f"{home.name}-words.txt"
    rng = random.Random(42)
    words = ["block", "replica", "rack", "split", "spill", "shuffle", "merge", "reduce"]
    with open(local, "w") as f:
        written = 0
        while written < opts.size:
            line = " ".join(rng.choice(words) for _ in range(12)) + "\n"
            f.write(line)
            written += len(line)
    bs = ["-D", "dfs.blocksize=131072"]
    print(f"minihadoop demo: 4 simulated datanodes on 2 racks in {home}")
    run(["hadoop", "namenode", "-format", "-force"], env)
    run(["hadoop", "fs", "-mkdir", "-p", "/demo"], env)
    run(["hadoop", "fs", *bs, "-put", str(local), "/demo/words.txt"], env)
    run(["hadoop", "fs", "-ls", "-h", "/demo"], env)
    run(["hadoop", "fsck", "/demo", "-files", "-blocks", "-racks"], env)
    run(["hadoop", "fs", "-tail", "/demo/words.txt"], env)
    print("\n# Break a datanode: wipe dn1's disk. Reads fail over; fsck sees the lost replicas.")
    shutil.rmtree(home / "datanodes" / "dn1")
    run(["hadoop", "fsck", "/demo"], env, check=False)
    out = subprocess.run(
        [sys.executable, "-m", "dfs.cli", "fs", "-cat", "/demo/words.txt"],
        env=env,
        capture_output=True,
    )
    same = out.stdout == local.read_bytes()
    print(
        f"\n$ hadoop fs -cat /demo/words.txt | cmp - {local.name}\n"
        f"{'identical' if same else 'DIFFERENT'} ({len(out.stdout)} bytes)"
    )
    print("\n# The heartbeat round after each command re-replicated the missing blocks:")
    run(["hadoop", "fsck", "/demo"], env)
    run(["hadoop", "dfsadmin", "-report"], env)
    local.unlink()
    if not same:
        raise SystemExit("demo: the file read back differs from the one put")


if __name__ == "__main__":
    main()
