"""Benchmark the dask framework against its peers on the same data (not a test).

Owns: running wordcount and the semantic-expansion join (the join study's generated tables,
``jobs.joins.reduce_side``) four ways as whole processes: minihadoop on its embedded JobTracker,
minihadoop on a Dask LocalCluster the command starts (``-D mapreduce.framework.name=dask``),
a plain ``dask.bag`` / ``dask.dataframe`` program doing the same work on its own LocalCluster,
and the single-threaded program; each output is checked equal to the single-threaded one before
any time is reported. Then the same two Dask runs against an already running LocalCluster, and
the fixed cost of a job there (a one-line input: a whole ``hadoop jar`` process, and a job
submitted from a process already connected). Must not touch engine internals: jobs run through
``hadoop jar`` as a user runs them (``scripts/bench_mapred.py``'s measuring helpers).

    python scripts/bench_dask.py --size 20MB --study-scale 0.004
    python scripts/bench_dask.py --size 100MB --repeat 2 --only wordcount

Needs ``pip install '.[dask]'``; the dask.dataframe join also needs pandas and pyarrow (skipped,
with a message, without them). The running cluster and every LocalCluster have one
single-threaded worker process per core.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "bench_mapred", os.path.join(ROOT, "scripts", "bench_mapred.py")
)
bm = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bm
_spec.loader.exec_module(bm)

DASK_BAG_WORDCOUNT = r"""
import os, sys
from distributed import Client, LocalCluster
import dask.bag as db
if __name__ == "__main__":
    path, out, address = sys.argv[1], sys.argv[2], sys.argv[3]
    cores = len(os.sched_getaffinity(0))
    cluster = None if address else LocalCluster(
        n_workers=cores, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0")
    with Client(address or cluster) as client:
        counts = db.read_text(path, blocksize="16MiB").str.split().flatten().frequencies()
        result = dict(counts.compute())
    if cluster is not None:
        cluster.close()
    with open(out, "w", encoding="utf-8") as f:
        for word in sorted(result):
            f.write(f"{word}\t{result[word]}\n")
"""

DASK_DF_JOIN = r"""
import csv, os, sys
from distributed import Client, LocalCluster
import dask.dataframe as dd
def parts(d):
    return [os.path.join(d, n) for n in sorted(os.listdir(d)) if not n.startswith(("_", "."))]
if __name__ == "__main__":
    ann, rel, out, address = sys.argv[1:5]
    cores = len(os.sched_getaffinity(0))
    cluster = None if address else LocalCluster(
        n_workers=cores, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0")
    opts = dict(sep="\t", header=None, dtype=str, quoting=csv.QUOTE_NONE,
                keep_default_na=False, blocksize="16MiB")
    with Client(address or cluster) as client:
        a = dd.read_csv(parts(ann), usecols=[0, 1], names=["concept", "element"], **opts)
        r = dd.read_csv(parts(rel), names=["id", "concept", "parent", "level"], **opts)
        joined = a.merge(r[["concept", "parent", "level"]], on="concept")
        joined = joined[["element", "concept", "parent", "level"]]
        joined.to_csv(os.path.join(out, "part-*.tsv"), sep="\t", header=False, index=False,
                      quoting=csv.QUOTE_NONE)
    if cluster is not None:
        cluster.close()
"""


def dask_parts(out: str) -> list[str]:
    return [os.path.join(out, n) for n in sorted(os.listdir(out)) if n.startswith("part-")]


class Bench:
    """The runs' shared settings and the results table."""

    def __init__(self, opts: argparse.Namespace, env: dict, address: str) -> None:
        self.opts, self.env, self.address = opts, env, address
        self.local = os.path.join(opts.workdir, "local")
        self.rows: list[tuple[str, str, float, float]] = []  # workload, way, seconds, ratio

    def url(self, path: str) -> str:
        return "file://" + os.path.abspath(path)

    def best(self, fn):  # noqa: ANN001, ANN201 - (seconds, info) of the fastest of --repeat runs
        return min((fn() for _ in range(self.opts.repeat)), key=lambda r: r[0])

    def jar(self, job: str, inputs: list[str], out: str, framework: str, running: bool = False):  # noqa: ANN201
        defines = {
            "mapreduce.job.reduces": str(self.opts.reducers),
            "mapreduce.cluster.local.dir": self.local,
            "mapreduce.framework.name": framework,
        }
        if running:
            defines["mapreduce.dask.scheduler"] = self.address
        return self.best(lambda: bm.jar(job, [self.url(i) for i in inputs], self.url(out),
                                        defines, self.env))  # fmt: skip

    def plain(self, code: str, args: list[str]):  # noqa: ANN201
        return self.best(lambda: bm.base(code, args, self.env))

    def record(self, workload: str, way: str, seconds: float, baseline: float) -> None:
        self.rows.append((workload, way, seconds, seconds / baseline))
        print(f"  {way:44s} {seconds:7.2f} s  {seconds / baseline:5.2f}x", flush=True)


def wordcount(bench: Bench) -> None:
    from datasets.text import parse_size

    opts = bench.opts
    corpus = os.path.join(opts.workdir, f"zipf-{opts.size}.txt")
    bm.make_corpus(corpus, parse_size(opts.size))
    print(f"wordcount, {os.path.getsize(corpus) / 2**20:.0f} MiB Zipf corpus", flush=True)
    plain_out = os.path.join(opts.workdir, "wc-plain.txt")
    t_plain, _ = bench.plain(bm.BASE_WORDCOUNT, [corpus, plain_out])
    expected = bm.read_counts([plain_out])
    runs = {}
    for way, framework, running in (
        ("minihadoop, embedded JobTracker", "cluster", False),
        ("minihadoop on Dask (LocalCluster per command)", "dask", False),
        ("minihadoop on the running Dask cluster", "dask", True),
    ):
        out = os.path.join(opts.workdir, f"out-wc-{framework}{'-running' if running else ''}")
        runs[way] = bench.jar("jobs.wordcount", [corpus], out, framework, running)[0]
        if bm.read_counts(bm.parts(bench.url(out))) != expected:
            raise SystemExit(f"wordcount, {way}: output differs from the plain program's")
    for way, address in (("dask.bag (its own LocalCluster)", ""),
                         ("dask.bag on the running Dask cluster", bench.address)):  # fmt: skip
        bag_out = os.path.join(opts.workdir, "wc-bag.txt")
        runs[way] = bench.plain(DASK_BAG_WORDCOUNT, [corpus, bag_out, address])[0]
        if bm.read_counts([bag_out]) != expected:
            raise SystemExit(f"wordcount, {way}: output differs from the plain program's")
    print("  outputs equal; wall time, ratio to the single-threaded program:")
    bench.record("wordcount", "single-threaded Counter program", t_plain, t_plain)
    for way, seconds in runs.items():
        bench.record("wordcount", way, seconds, t_plain)


def study_join(bench: Bench) -> None:
    from datasets.ncbo import generate_ncbo

    opts = bench.opts
    root = os.path.join(opts.workdir, f"ncbo-{opts.study_scale:g}")
    tables = generate_ncbo(root, ["ct"], opts.study_scale, 1, reuse=True, progress=False)
    ann, rel = os.path.join(root, "annotations_ct"), os.path.join(root, "relation")
    total = sum(t.bytes for t in tables.values())
    print(f"semantic-expansion join, {total / 2**20:.0f} MiB (profile ct)", flush=True)
    plain_out = os.path.join(opts.workdir, "join-plain.tsv")
    t_plain, _ = bench.plain(bm.BASE_STUDY_JOIN, [ann, rel, plain_out])
    expected = bm.line_digest([plain_out])
    runs = {}
    for way, framework, running in (
        ("minihadoop reduce_side, embedded JobTracker", "cluster", False),
        ("minihadoop reduce_side on Dask (LocalCluster)", "dask", False),
        ("minihadoop reduce_side on the running cluster", "dask", True),
    ):
        out = os.path.join(opts.workdir, f"out-join-{framework}{'-running' if running else ''}")
        runs[way] = bench.jar("jobs.joins.reduce_side", [ann, rel], out, framework, running)[0]
        if bm.line_digest(bm.parts(bench.url(out))) != expected:
            raise SystemExit(f"join, {way}: output differs from the plain program's")
    try:
        import dask.dataframe  # noqa: F401 - needs pandas and pyarrow
    except ImportError as e:
        print(f"  (dask.dataframe left out: {e})")
    else:
        ways = (("dask.dataframe merge (its own LocalCluster)", ""),
                ("dask.dataframe merge on the running cluster", bench.address))  # fmt: skip
        for way, address in ways:
            df_out = os.path.join(opts.workdir, "join-dask-df")
            bm.remove(df_out)
            os.makedirs(df_out)
            runs[way] = bench.plain(DASK_DF_JOIN, [ann, rel, df_out, address])[0]
            if bm.line_digest(dask_parts(df_out)) != expected:
                raise SystemExit(f"join, {way}: output differs from the plain program's")
    print("  outputs equal; wall time, ratio to the single-threaded program:")
    bench.record("join", "single-threaded hash join", t_plain, t_plain)
    for way, seconds in runs.items():
        bench.record("join", way, seconds, t_plain)


def fixed_cost(bench: Bench) -> None:
    """A one-line job: a whole ``hadoop jar`` process on each framework, and jobs submitted
    one after another from this process, already connected to the running cluster."""
    from mapred.runner import run_job

    opts = bench.opts
    tiny = os.path.join(opts.workdir, "tiny.txt")
    with open(tiny, "w") as f:
        f.write("hello world\n")
    print("fixed cost of a job (one-line input)", flush=True)
    for way, framework, running in (
        ("hadoop jar, embedded JobTracker", "cluster", False),
        ("hadoop jar, Dask LocalCluster per command", "dask", False),
        ("hadoop jar, the running Dask cluster", "dask", True),
    ):
        seconds = bench.jar("jobs.wordcount", [tiny], os.path.join(opts.workdir, "out-tiny"),
                            framework, running)[0]  # fmt: skip
        print(f"  {way:44s} {seconds:7.2f} s", flush=True)
    conf = {
        "mapreduce.framework.name": "dask",
        "mapreduce.dask.scheduler": bench.address,
        "mapreduce.cluster.local.dir": bench.local,
    }
    times = []
    for i in range(6):
        out = os.path.join(opts.workdir, f"out-tiny-{i}")
        bm.remove(out)
        started = time.perf_counter()
        result = run_job("jobs.wordcount:WordCount", [bench.url(tiny)], bench.url(out), conf)
        times.append(time.perf_counter() - started)
        assert result.succeeded and dict(result.read_output()) == {"hello": "1", "world": "1"}
    median = statistics.median(times[1:])
    way = "a job from a connected process (median of 5)"
    print(f"  {way:44s} {median:7.2f} s  (the first, connecting: {times[0]:.2f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="20MB", help="wordcount corpus size (default 20MB)")
    ap.add_argument("--study-scale", type=float, default=0.004, help="join data scale")
    ap.add_argument("--workdir", default="/tmp/minihadoop-bench-dask")
    ap.add_argument("--reducers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is kept")
    ap.add_argument("--only", choices=["wordcount", "join", "fixed"], action="append")
    opts = ap.parse_args(argv)
    try:
        from distributed import LocalCluster
    except ImportError:
        raise SystemExit("bench_dask needs Dask distributed: pip install '.[dask]'") from None
    os.makedirs(opts.workdir, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=ROOT, MINIHADOOP_HOME=os.path.join(opts.workdir, "home"))
    os.environ["MINIHADOOP_HOME"] = env["MINIHADOOP_HOME"]
    cores = len(os.sched_getaffinity(0))
    print(f"{cores} cores; load average {os.getloadavg()[0]:.2f} (other work skews wall times)")
    cluster = LocalCluster(n_workers=cores, threads_per_worker=1, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=40)  # fmt: skip
    bench = Bench(opts, env, cluster.scheduler_address)
    try:
        want = opts.only or ["wordcount", "join", "fixed"]
        if "wordcount" in want:
            wordcount(bench)
        if "join" in want:
            study_join(bench)
        if "fixed" in want:
            fixed_cost(bench)
    finally:
        from mapred.dask.executor import shutdown_dask

        shutdown_dask()
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
