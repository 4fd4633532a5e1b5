"""DFS throughput next to the local disk: put and cat of one file, replication 1 and 3.

Each figure is the wall time of the whole command (start-up included), measured in one run
side by side with `cp` (local copy) and `cat` (local read) of the same file, all reading from
the page cache and writing to a pipe or a file on the same disk. Reported in MB/s, best of
--repeat runs, with the ratios the issue asks about.

    python scripts/bench_dfs.py [--size-mb 256] [--repeat 3] [--home DIR] [--daemons]

With --daemons the same put and cat run a second time through a started cluster (real NameNode
and DataNode processes, `hadoop start-cluster`), next to the embedded figures, followed by a
load test: --clients processes (8) each doing mixed small operations for --seconds (30)
through the daemons; it reports operations per second and each operation's median and 99th
percentile latency, counts errors, and verifies every file written at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
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
    parser.add_argument("--daemons", action="store_true", help="also through started daemons")
    parser.add_argument("--clients", type=int, default=8, help="load test client processes")
    parser.add_argument("--seconds", type=float, default=30.0, help="load test duration")
    parser.add_argument(
        "--ops",
        default=",".join(OPS),
        help="the load test's operations, comma-separated (default: all of them); without "
        "create each client writes 10 files before the clock starts",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # a load test client: its id
    opts = parser.parse_args()
    if unknown := set(opts.ops.split(",")) - set(OPS):
        parser.error(f"unknown --ops {', '.join(sorted(unknown))}; choose from {', '.join(OPS)}")
    if opts.worker is not None:
        load_worker(int(opts.worker), opts.seconds, opts.ops.split(","))
        return
    base = Path(opts.home or tempfile.mkdtemp(prefix="bench-dfs-"))
    base.mkdir(parents=True, exist_ok=True)
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

    def dfs_rows(mode: str) -> None:
        for repl in (1, 3):
            path = f"/bench/{mode}-r{repl}.bin"
            put_t = best(dfs_put(repl, path), opts.repeat)
            read_t = best(dfs_cat(path), opts.repeat)
            rows.append((f"fs -put  ({mode}, replication {repl})", put_t, cp_t / put_t))
            rows.append((f"fs -cat  ({mode}, replication {repl})", read_t, cat_t / read_t))
        check = subprocess.run(
            [*hadoop, "fs", "-cat", f"/bench/{mode}-r3.bin"], env=env, capture_output=True
        ).stdout
        if check != src.read_bytes():
            raise SystemExit(f"bench: the file read back ({mode}) differs from the one put")

    dfs_rows("embedded")
    load = None
    if opts.daemons:
        # the cluster was just written by this run: no safe mode extension to sit out
        start = [*hadoop, "start-cluster", "-D", "dfs.namenode.safemode.extension=0"]
        subprocess.run(start, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*hadoop, "dfsadmin", "-safemode", "wait"], env=env, check=True)
        try:
            dfs_rows("daemons")
            load = load_test(opts, env)
        finally:
            subprocess.run([*hadoop, "stop-cluster"], env=env, stdout=subprocess.DEVNULL)
    print(
        f"{opts.size_mb} MiB file, best of {opts.repeat}; ratio = local time / dfs time "
        f"(1.0 = as fast as the local tool)"
    )
    print(f"{'operation':38} {'seconds':>8} {'MB/s':>8} {'ratio':>6}")
    for name, t, ratio in rows:
        r = f"{ratio:6.2f}" if ratio is not None else "     -"
        print(f"{name:38} {t:8.3f} {size_mb / t:8.0f} {r}")
    if load is not None:
        print_load(load, opts)
    if not opts.home:
        shutil.rmtree(base)


# -- the load test (--daemons) --------------------------------------------------------------------
OPS = ("create", "status", "list", "read", "rename", "delete", "mkdirs")


def load_worker(worker: int, seconds: float, ops: list[str]) -> None:
    """One load test client: mixed small operations through `dfs.cluster.connect` until the
    time is up; prints a JSON line of latencies per operation, errors and the files it left.

    Once connected it prints ``ready`` and waits for a line on stdin before the clock starts:
    every client starts at once, none measured while others still start up (each compiles
    every module it imports when bytecode is not cached, seconds of CPU on a small machine)."""
    from dfs.cluster import connect

    rng = random.Random(worker)
    lat: dict[str, list[float]] = {op: [] for op in OPS}
    errors: list[str] = []
    live: dict[str, bytes] = {}
    base = f"/load/w{worker}"
    n = 0
    with connect() as client:
        client.mkdirs(base)
        for i in range(0 if "create" in ops else 10):
            live[f"{base}/s{i}"] = rng.randbytes(rng.randrange(1, 4096))
            client.write_bytes(f"{base}/s{i}", live[f"{base}/s{i}"])
        print("ready", flush=True)
        sys.stdin.readline()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            n += 1
            op = rng.choice(ops) if live else "create"
            path = rng.choice(list(live)) if live else ""
            t = time.perf_counter()
            try:
                if op == "create":
                    path, data = f"{base}/f{n}", rng.randbytes(rng.randrange(1, 4096))
                    client.write_bytes(path, data)
                    live[path] = data
                elif op == "status":
                    client.status(path)
                elif op == "list":
                    client.listdir(base)
                elif op == "read":
                    if client.read_bytes(path) != live[path]:
                        errors.append(f"read {path}: wrong bytes")
                elif op == "rename":
                    client.rename(path, f"{path}r")
                    live[f"{path}r"] = live.pop(path)
                elif op == "delete":
                    client.delete(path)
                    del live[path]
                else:
                    client.mkdirs(f"{base}/d{n % 10}/e")
            except Exception as e:  # noqa: BLE001 - counted and reported, the load goes on
                errors.append(f"{op} {path}: {type(e).__name__}: {e}")
            lat[op].append(time.perf_counter() - t)
    sums = {p: hashlib.sha256(d).hexdigest() for p, d in live.items()}
    print(json.dumps({"lat": lat, "errors": errors, "files": sums}))


def load_test(opts: argparse.Namespace, env: dict[str, str]) -> dict:
    """Run --clients workers at once; merge their latencies; verify every file they left."""
    cmd = [sys.executable, __file__, "--worker"]
    procs = [
        subprocess.Popen(
            [*cmd, str(i), "--seconds", str(opts.seconds), "--ops", opts.ops],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(opts.clients)
    ]
    for p in procs:  # all connected before any starts: none measured while others start up
        if p.stdout.readline() != "ready\n":
            raise SystemExit("bench: a load test client failed to start")
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.communicate(timeout=opts.seconds + 120)[0]) for p in procs]
    lat: dict[str, list[float]] = {op: [] for op in OPS}
    errors: list[str] = []
    files: dict[str, str] = {}
    for r in results:
        for op, values in r["lat"].items():
            lat[op] += values
        errors += r["errors"]
        files.update(r["files"])
    bad = verify_files(files, env)
    return {"lat": lat, "errors": errors, "files": len(files), "bad": bad}


def verify_files(files: dict[str, str], env: dict[str, str]) -> list[str]:
    code = (
        "import hashlib, json, sys\n"
        "from dfs.cluster import connect\n"
        "files = json.load(sys.stdin)\n"
        "with connect() as c:\n"
        "    bad = [p for p, h in files.items()\n"
        "           if hashlib.sha256(c.read_bytes(p)).hexdigest() != h]\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(files),
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)


def print_load(load: dict, opts: argparse.Namespace) -> None:
    total = sum(len(v) for v in load["lat"].values())
    print(
        f"\nload test: {opts.clients} client processes, {opts.seconds:.0f} s, mixed small "
        f"operations through the daemons: {total / opts.seconds:.0f} operations/s"
    )
    print(f"{'operation':10} {'count':>7} {'median ms':>10} {'p99 ms':>8}")
    for op, values in load["lat"].items():
        if values:
            values = sorted(values)
            median = values[len(values) // 2] * 1000
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
            print(f"{op:10} {len(values):7} {median:10.2f} {p99:8.2f}")
    print(
        f"errors: {len(load['errors'])}; files verified at the end: {load['files']}, "
        f"differing: {len(load['bad'])}"
    )
    for line in load["errors"][:10]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
