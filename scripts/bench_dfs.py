"""DFS throughput next to the local disk: put and cat of one file, replication 1 and 3.

Each figure is the wall time of the whole command (start-up included), measured in one run
side by side with `cp` (local copy) and `cat` (local read) of the same file, all reading from
the page cache and writing to a pipe or a file on the same disk. Reported in MB/s, best of
--repeat runs, with the ratios the issue asks about.

    python scripts/bench_dfs.py [--size-mb 256] [--repeat 3] [--home DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], env: dict[str, str], stdout=subprocess.DEVNULL) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=stdout)
    return time.perf_counter() - t


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--home", help="where the cluster and the local file go (a temp dir)")
    opts = parser.parse_args()
    base = Path(opts.home or tempfile.mkdtemp(prefix="bench-dfs-"))
    env = dict(os.environ, MINIHADOOP_HOME=str(base / "cluster"))
    hadoop = [sys.executable, "-m", "dfs.cli"]
    src = base / "input.bin"
    with open(src, "wb") as f:
        for _ in range(opts.size_mb):
            f.write(os.urandom(1 << 20))
    size_mb = src.stat().st_size / 1e6
    subprocess.run(
        [*hadoop, "namenode", "-format", "-force"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([*hadoop, "fs", "-mkdir", "-p", "/bench"], env=env, check=True)
    rows = []

    def local_cp() -> float:
        dst = base / "copy.bin"
        dst.unlink(missing_ok=True)
        return timed(["cp", str(src), str(dst)], env)

    def local_cat() -> float:  # through a pipe, as `hadoop fs -cat` writes to one
        t = time.perf_counter()
        p1 = subprocess.Popen(["cat", str(src)], stdout=subprocess.PIPE)
        subprocess.run(["cat"], stdin=p1.stdout, stdout=subprocess.DEVNULL, check=True)
        p1.wait()
        return time.perf_counter() - t

    def dfs_cat(path: str):
        def run() -> float:
            t = time.perf_counter()
            p1 = subprocess.Popen([*hadoop, "fs", "-cat", path], env=env, stdout=subprocess.PIPE)
            subprocess.run(["cat"], stdin=p1.stdout, stdout=subprocess.DEVNULL, check=True)
            if p1.wait() != 0:
                raise SystemExit("bench: hadoop fs -cat failed")
            return time.perf_counter() - t

        return run

    def dfs_put(repl: int, path: str):
        def run() -> float:
            subprocess.run(
                [*hadoop, "fs", "-rm", "-f", path], env=env, check=True, stdout=subprocess.DEVNULL
            )
            return timed(
                [*hadoop, "fs", "-D", f"dfs.replication={repl}", "-put", str(src), path], env
            )

        return run

    cp_t = best(local_cp, opts.repeat)
    cat_t = best(local_cat, opts.repeat)
    rows.append(("local cp", cp_t, None))
    rows.append(("local cat | cat", cat_t, None))
    for repl in (1, 3):
        path = f"/bench/r{repl}.bin"
        put_t = best(dfs_put(repl, path), opts.repeat)
        read_t = best(dfs_cat(path), opts.repeat)
        rows.append((f"hadoop fs -put  (replication {repl})", put_t, cp_t / put_t))
        rows.append((f"hadoop fs -cat  (replication {repl})", read_t, cat_t / read_t))
    check = subprocess.run(
        [*hadoop, "fs", "-cat", "/bench/r3.bin"], env=env, capture_output=True
    ).stdout
    if check != src.read_bytes():
        raise SystemExit("bench: the file read back differs from the one put")
    print(
        f"{opts.size_mb} MiB file, best of {opts.repeat}; ratio = local time / dfs time "
        f"(1.0 = as fast as the local tool)"
    )
    print(f"{'operation':38} {'seconds':>8} {'MB/s':>8} {'ratio':>6}")
    for name, t, ratio in rows:
        r = f"{ratio:6.2f}" if ratio is not None else "     -"
        print(f"{name:38} {t:8.3f} {size_mb / t:8.0f} {r}")
    if not opts.home:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
