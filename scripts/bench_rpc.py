"""The RPC layer alone: calls per second and latency of a small call, 1 and 8 client processes.

A server process runs `RpcServer` over a stub `ClientProtocol` service (get_status returns one
FileStatus, get_listing ten: no namespace, no lock, no disk), so the figures are the cost of the
transport itself: framing, msgpack, argument checking, the server's threads and the client's.
Each client process calls in a loop, one call at a time, for --seconds; the median and 99th
percentile of every call's latency and the total calls per second are reported, per run and
over all rounds pooled (the ``all`` rows: on a noisy machine, many short alternating rounds
pooled compare better than a few long ones).

    python scripts/bench_rpc.py [--clients 1 8] [--seconds 5] [--rounds 3] [--before DIR]

--before DIR runs the same rounds with PYTHONPATH=DIR too (e.g. a git worktree of an older
revision: ``git worktree add -f /tmp/rpc_before HEAD``), alternating old and new in each round,
so a noisy shared machine hits both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class StubNameNode:
    """The two read calls of ClientProtocol, answered from memory."""

    def __init__(self) -> None:
        from dfs.protocol import FileStatus

        now = int(time.time() * 1000)
        self.one = FileStatus("/bench/f", 1234, False, 3, 128 << 20, now, now, "u", "g", 0o644)
        self.ten = [
            FileStatus(f"/bench/f{i}", i, False, 3, 128 << 20, now, now, "u", "g", 0o644)
            for i in range(10)
        ]

    def get_status(self, user: str, path: str):
        return self.one

    def get_listing(self, user: str, path: str):
        return self.ten


def serve() -> None:
    """The server process: prints its port, serves until stdin closes."""
    from dfs.protocol import ClientProtocol
    from dfs.rpc import RpcServer

    with RpcServer(StubNameNode(), ClientProtocol, ("127.0.0.1", 0)) as server:
        print(server.address[1], flush=True)
        sys.stdin.read()


def client(port: int, seconds: float, method: str) -> None:
    """One client process: `method` in a loop; prints a JSON list of latencies."""
    from dfs.protocol import ClientProtocol
    from dfs.rpc import RpcProxy

    lat = []
    with RpcProxy(ClientProtocol, ("127.0.0.1", port)) as nn:
        call = getattr(nn, method)
        call("u", "/bench/f")  # connect before the clock starts
        end = time.perf_counter() + seconds
        while (t := time.perf_counter()) < end:
            call("u", "/bench/f")
            lat.append(time.perf_counter() - t)
    print(json.dumps(lat))


def run(env: dict[str, str], clients: int, seconds: float, method: str) -> list[float]:
    """One server, `clients` client processes started together; every call's latency."""
    me = [sys.executable, str(Path(__file__).resolve())]
    server = subprocess.Popen(
        [*me, "--serve"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())
        procs = [
            subprocess.Popen(
                [*me, "--client", str(port), "--seconds", str(seconds), "--method", method],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(clients)
        ]
        lat: list[float] = []
        for p in procs:
            out, _ = p.communicate(timeout=seconds + 60)
            if p.returncode != 0:
                raise SystemExit(f"bench_rpc: a client failed (exit {p.returncode})")
            lat += json.loads(out)
        return lat
    finally:
        server.stdin.close()
        server.wait(10)


def summary(lat: list[float], seconds: float) -> str:
    lat = sorted(lat)
    p50 = lat[len(lat) // 2] * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    return f"{len(lat) / seconds:8.0f} {p50:8.3f} {p99:8.3f} {lat[-1] * 1000:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--method", default="get_status", choices=["get_status", "get_listing"])
    parser.add_argument("--before", help="also run with PYTHONPATH=this directory (old code)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.serve:
        return serve()
    if opts.client is not None:
        return client(opts.client, opts.seconds, opts.method)
    trees = {"new": str(ROOT)}
    if opts.before:
        trees = {"old": str(Path(opts.before).resolve()), **trees}
    print(f"{opts.method}, one call at a time per client process, {opts.seconds:g} s per run")
    print(
        f"{'round':>5} {'code':4} {'clients':>7} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}"
    )
    pooled: dict[tuple[str, int], list[float]] = {}
    for r in range(1, opts.rounds + 1):
        for clients in opts.clients:
            for name, tree in trees.items():
                env = dict(os.environ, PYTHONPATH=tree)
                lat = run(env, clients, opts.seconds, opts.method)
                pooled.setdefault((name, clients), []).extend(lat)
                print(f"{r:5} {name:4} {clients:7} {summary(lat, opts.seconds)}", flush=True)
    for (name, clients), lat in sorted(pooled.items(), key=lambda kv: kv[0][1]):
        print(f"{'all':>5} {name:4} {clients:7} {summary(lat, opts.seconds * opts.rounds)}")


if __name__ == "__main__":
    main()
