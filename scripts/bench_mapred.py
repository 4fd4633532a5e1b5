"""Benchmark the MapReduce engine against plain single-threaded Python programs (not a test).

Owns: generating the benchmark inputs (a Zipf text corpus, two join tables) deterministically,
running each workload as whole processes (``hadoop jar`` through ``python -m mapred.cli`` versus a
plain script), checking that the outputs are equal, and only then reporting wall times, ratios
and peak memory. Must not touch: engine internals (it uses the command line like a user).

    python scripts/bench_mapred.py --size 200MB            # wordcount x2 + join + trivial job
    python scripts/bench_mapred.py --size 20MB --skip-join  # a quick look
    python scripts/bench_mapred.py --size 100MB --blocksize 8m,64m --only wordcount
    python scripts/bench_mapred.py --only study-join --study-scale 0.01   # the join study's joins

Workloads: ``jobs.wordcount`` (in-mapper combining) and ``jobs.wordcount_textbook`` ((word, 1) +
combiner) against ``for line in f: counter.update(line.split())``; ``jobs.join_reduce_side``
(inner join) against a dict-of-lists hash join; a trivial identity job on a one-line file.
``--blocksize`` runs the word counts once per block size (``dfs.blocksize``: the split size,
so 8m on 100 MB makes ~13 map tasks). ``study-join``: the join study's generated tables
(``datasets.ncbo``, profile ct) through ``jobs.joins.reduce_side``, ``singleton``,
``replicated`` and ``naive`` (the obvious user-written join) against the plain hash join.
Peak memory is the largest resident set of any one process of the run (its VmHWM, the children's
ru_maxrss), and per task kind the job's "Peak Map/Reduce Physical memory" counters (the largest
task's own peak: each attempt in a tracker's child resets the process's high-water mark).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASE_WORDCOUNT = r"""
import collections, sys
counts = collections.Counter()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        counts.update(line.split())
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for word in sorted(counts):
        out.write(f"{word}\t{counts[word]}\n")
"""

BASE_JOIN = r"""
import collections, sys
small = collections.defaultdict(list)
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        key, _, rest = line.rstrip("\n").partition("\t")
        small[key].append(rest)
with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "w", encoding="utf-8") as out:
    for line in f:
        key, _, rest = line.rstrip("\n").partition("\t")
        for left in small.get(key, ()):
            out.write(f"{key}\t{left}\t{rest}\n")
"""

BASE_STUDY_JOIN = r"""
import os, sys
def parts(d):
    return [os.path.join(d, n) for n in sorted(os.listdir(d)) if not n.startswith(("_", "."))]
rel = {}
for p in parts(sys.argv[2]):
    with open(p, encoding="utf-8") as f:
        for line in f:
            _, _, rest = line.rstrip("\n").partition("\t")
            concept = rest[: rest.find("\t")]
            found = rel.get(concept)
            if found is None:
                rel[concept] = [rest]
            else:
                found.append(rest)
with open(sys.argv[3], "w", encoding="utf-8") as out:
    write = out.write
    for p in parts(sys.argv[1]):
        with open(p, encoding="utf-8") as f:
            for line in f:
                fields = line.split("\t", 2)
                ancestors = rel.get(fields[0])
                if ancestors:
                    element = fields[1]
                    for a in ancestors:
                        write(f"{element}\t{a}\n")
"""
STUDY_JOBS = ("reduce_side", "singleton", "replicated", "naive")

# Runs a command in-process and reports its own and its children's peak RSS as JSON on fd 3.
MEASURE = r"""
import json, os, resource, runpy, sys
mode, rest = sys.argv[1], sys.argv[2:]
code = 0
try:
    if mode == "-c":
        sys.argv = ["-c"] + rest[1:]
        exec(compile(rest[0], "<bench>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = [mode] + rest
        runpy.run_module(mode, run_name="__main__")
except SystemExit as e:
    code = e.code or 0
try:
    from mapred.embedded import shutdown_clusters
    shutdown_clusters()
except ImportError:
    pass
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would start at the size of
# the benchmark process that spawned this one
with open("/proc/self/status") as f:
    hwm = [int(line.split()[1]) for line in f if line.startswith("VmHWM:")]
report = {"code": code, "self_kb": hwm[0] if hwm else me.ru_maxrss,
          "children_kb": kids.ru_maxrss, "cpu_s": cpu}
os.write(int(os.environ["BENCH_REPORT_FD"]), json.dumps(report).encode())
"""


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, int, dict]:
    """Wall seconds, exit code and peak-RSS report of one whole process."""
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    env = dict(env, BENCH_REPORT_FD=str(write_fd))
    proc = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *args],
        env=env,
        cwd=ROOT,
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    report = os.read(read_fd, 1 << 16)
    os.close(read_fd)
    info = json.loads(report) if report else {"code": proc.returncode}
    for kind, n in re.findall(rb"Peak (Map|Reduce) Physical memory \(bytes\)=(\d+)", err):
        key = f"{kind.decode().lower()}_task_peak_mb"  # the job's counters: its largest task's
        info[key] = max(info.get(key, 0.0), int(n) / 2**20)
    if proc.returncode or info.get("code"):
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(f"benchmark command failed: {' '.join(args[:4])}")
    return elapsed, proc.returncode, info


def peak_mb(info: dict) -> float:
    return max(info.get("self_kb", 0), info.get("children_kb", 0)) / 1024


# -- inputs ----------------------------------------------------------------------------------------
def make_corpus(path: str, size: int, seed: int = 1) -> None:
    if os.path.exists(path) and os.path.getsize(path) > size * 0.95:
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        try:
            from datasets.text import text_lines

            for chunk in text_lines(size, seed=seed):
                f.write(chunk)
        except ImportError:  # a simple Zipf corpus of our own
            rng = random.Random(seed)
            vocab = [f"w{i}" for i in range(50_000)]
            weights = [1 / (i + 1) ** 1.1 for i in range(len(vocab))]
            written = 0
            while written < size:
                words = rng.choices(vocab, weights, k=120_000)
                text = (
                    "\n".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12)) + "\n"
                )
                f.write(text)
                written += len(text)
    os.replace(tmp, path)


def make_join_tables(small: str, big: str, size: int, seed: int = 2) -> None:
    """An NCBO-shaped pair: `small` (~1/5 of size) maps concepts to terms; `big` annotations
    reference concepts with a Zipf skew. Tab separated, join key first."""
    if os.path.exists(small) and os.path.exists(big):
        return
    rng = random.Random(seed)
    concepts = max(1000, size // 400)
    with open(small, "w", encoding="utf-8") as f:
        for c in range(concepts):
            for _ in range(rng.choice((1, 1, 2))):
                f.write(f"C{c}\tterm{rng.randrange(10**6)}\tont{rng.randrange(300)}\n")
    weights = [1 / (i + 1) ** 0.8 for i in range(concepts * 2)]
    written = 0
    with open(big, "w", encoding="utf-8") as f:
        while written < size * 0.8:
            keys = rng.choices(range(concepts * 2), weights, k=50_000)
            text = "".join(
                f"C{k}\telement{rng.randrange(10**7)}\t{rng.randrange(1000)}\n" for k in keys
            )
            f.write(text)
            written += len(text)


# -- output checks ---------------------------------------------------------------------------------
def _open(path: str, mode: str):  # noqa: ANN202 - local paths and dfs:// alike
    import fsspec

    return fsspec.open(path, mode, encoding="utf-8") if "b" not in mode else fsspec.open(path, mode)


def read_counts(paths: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in paths:
        with _open(path, "rt") as f:
            for line in f:
                word, _, n = line.rstrip("\n").rpartition("\t")
                counts[word] = counts.get(word, 0) + int(n)
    return counts


def parts(out: str) -> list[str]:
    import fsspec

    fs, path = fsspec.core.url_to_fs(out)
    names = [p for p in fs.ls(path, detail=False) if os.path.basename(p).startswith("part-")]
    return sorted(fs.unstrip_protocol(p) for p in names)


def line_digest(paths: list[str]) -> tuple[int, int]:
    """Order-independent digest of the lines of `paths`: (count, sum of 128-bit hashes)."""
    import mmh3

    total = n = 0
    for path in paths:
        with _open(path, "rb") as f:
            for line in f:
                total += mmh3.hash128(line)
                n += 1
    return n, total % (1 << 128)


# -- runs ------------------------------------------------------------------------------------------
def remove(out: str) -> None:
    import fsspec

    fs, path = fsspec.core.url_to_fs(out)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def to_dfs(local: str, env: dict, blocksize: int = 0) -> str:
    """Copy `local` (a file or directory) into the embedded DFS once, with ``hadoop fs -put``
    (``-D dfs.blocksize`` when given); returns its dfs:// URL."""
    import fsspec

    name = os.path.basename(local.rstrip("/")) + (f"-b{blocksize}" if blocksize else "")
    url = f"dfs:///bench/{name}"
    fs, path = fsspec.core.url_to_fs(url)
    if not fs.exists(path):
        print(f"putting {local} into the DFS ...", flush=True)
        cli = [sys.executable, "-m", "mapred.cli", "fs"]
        subprocess.run([*cli, "-mkdir", "-p", "/bench"], env=env, check=True)
        define = ["-D", f"dfs.blocksize={blocksize}"] if blocksize else []
        subprocess.run([*cli, *define, "-put", local, url], env=env, check=True)
        fs.invalidate_cache()
    return url


def jar(
    job: str, inputs: list[str], out: str, defines: dict[str, str], env: dict
) -> tuple[float, dict]:
    remove(out)
    args = ["mapred.cli", "jar", job, *inputs, out]
    for k, v in defines.items():
        args += ["-D", f"{k}={v}"]
    elapsed, _, info = run_measured(args, env)
    return elapsed, info


def base(code: str, args: list[str], env: dict) -> tuple[float, dict]:
    elapsed, _, info = run_measured(["-c", code, *args], env)
    return elapsed, info


def report(name: str, t_job: float, t_base: float, info_job: dict, info_base: dict) -> dict:
    ratio = t_job / t_base
    cpu_job, cpu_base = info_job.get("cpu_s", 0.0), info_base.get("cpu_s", 0.0)
    cpu_ratio = cpu_job / cpu_base if cpu_base else 0.0
    print(
        f"{name:28s} job {t_job:7.2f}s  plain {t_base:7.2f}s  ratio {ratio:5.2f}x  "
        f"(CPU {cpu_job:6.1f}s vs {cpu_base:6.1f}s = {cpu_ratio:4.2f}x)  "
        f"peak RSS job {peak_mb(info_job):5.0f} MB  plain {peak_mb(info_base):5.0f} MB"
        f"  (tasks: map {info_job.get('map_task_peak_mb', 0):.0f} MB,"
        f" reduce {info_job.get('reduce_task_peak_mb', 0):.0f} MB)",
        flush=True,
    )
    return {
        "job_s": t_job,
        "plain_s": t_base,
        "ratio": ratio,
        "job_cpu_s": cpu_job,
        "plain_cpu_s": cpu_base,
        "cpu_ratio": cpu_ratio,
        "job_peak_mb": peak_mb(info_job),
        "plain_peak_mb": peak_mb(info_base),
        "map_task_peak_mb": info_job.get("map_task_peak_mb", 0.0),
        "reduce_task_peak_mb": info_job.get("reduce_task_peak_mb", 0.0),
    }


def study_joins(opts, env, defines, store, outdir, best_pair) -> dict:  # noqa: ANN001
    """The join study's strategies on its generated tables, each against the plain hash join
    (run alternately with it); every output is checked equal to the plain one first."""
    from datasets.ncbo import generate_ncbo

    root = os.path.join(opts.workdir, f"ncbo-{opts.study_scale:g}")
    tables = generate_ncbo(root, ["ct"], opts.study_scale, 1, reuse=True)
    ann, rel = os.path.join(root, "annotations_ct"), os.path.join(root, "relation")
    total = sum(t.bytes for t in tables.values())
    sources = [store(ann), store(rel)]
    plain_out = os.path.join(opts.workdir, "study-join-plain.tsv")
    results, expected = {}, None
    for strategy in [j for j in opts.study_jobs.split(",") if j]:
        out = f"{outdir}/out-study-{strategy}"
        (t_base, i_base), (t_job, i_job) = best_pair(
            lambda: base(BASE_STUDY_JOIN, [ann, rel, plain_out], env),
            lambda s=strategy, out=out: jar(f"jobs.joins.{s}", sources, out, defines, env),
        )
        expected = expected or line_digest([plain_out])
        if line_digest(parts(out)) != expected:
            raise SystemExit(f"study join {strategy}: output differs from the plain program's")
        label = f"join {strategy} ({total / 2**20:.0f} MiB)"
        results[f"join_{strategy}"] = report(label, t_job, t_base, i_job, i_base)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="200MB", help="corpus size (default 200MB)")
    ap.add_argument("--join-size", default="100MB", help="join input size (default 100MB)")
    ap.add_argument("--workdir", default="/tmp/minihadoop-bench")
    ap.add_argument("--reducers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is kept")
    ap.add_argument("--skip-join", action="store_true")
    ap.add_argument("--dfs", action="store_true", help="job input and output on the embedded DFS")
    ap.add_argument(
        "--blocksize",
        default="",
        help="comma-separated block sizes for the word counts (e.g. 8m,64m; default dfs.blocksize)",
    )
    ap.add_argument("--study-scale", type=float, default=0.01, help="study-join data scale")
    ap.add_argument("--study-jobs", default=",".join(STUDY_JOBS), help="study-join strategies")
    ap.add_argument(
        "--only",
        choices=["wordcount", "textbook", "join", "trivial", "study-join"],
        action="append",
    )
    opts = ap.parse_args(argv)
    from datasets.text import parse_size

    blocksizes = [parse_size(b) for b in opts.blocksize.split(",") if b] or [0]
    size, join_size = parse_size(opts.size), parse_size(opts.join_size)
    os.makedirs(opts.workdir, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=ROOT, MINIHADOOP_HOME=os.path.join(opts.workdir, "home"))
    os.environ["MINIHADOOP_HOME"] = env["MINIHADOOP_HOME"]  # dfs:// in this process too
    if opts.dfs and not os.path.isdir(os.path.join(env["MINIHADOOP_HOME"], "namenode")):
        # a new state directory: format it, as a user would (nothing formats implicitly)
        fmt = [sys.executable, "-m", "dfs.cli", "namenode", "-format"]
        subprocess.run(fmt, env=env, check=True)
    # local runs name their files file:// (a bare path would resolve against fs.defaultFS)
    local_url = lambda p: "file://" + os.path.abspath(p)  # noqa: E731
    store = (lambda p: to_dfs(p, env)) if opts.dfs else local_url
    outdir = "dfs:///bench" if opts.dfs else local_url(opts.workdir)
    workers = os.cpu_count() or 1
    local = os.path.join(opts.workdir, "local")
    defines = {"mapreduce.job.reduces": str(opts.reducers), "mapreduce.cluster.local.dir": local}
    results: dict[str, dict] = {}
    want = set(opts.only or ["wordcount", "textbook", "join", "trivial"])
    if opts.skip_join:
        want.discard("join")

    def best(fn):
        runs = [fn() for _ in range(opts.repeat)]
        return min(runs, key=lambda r: r[0])

    def best_pair(plain, job):
        """Best of each, the two run alternately: a burst of load on this shared machine then
        hits both sides rather than one."""
        runs = [(plain(), job()) for _ in range(opts.repeat)]
        return min((r[0] for r in runs), key=lambda r: r[0]), min(
            (r[1] for r in runs), key=lambda r: r[0]
        )

    print(
        f"storage: {'embedded DFS (dfs://)' if opts.dfs else 'local files'}; "
        f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews wall times)"
    )
    if want & {"wordcount", "textbook"}:
        corpus = os.path.join(opts.workdir, f"zipf-{opts.size}.txt")
        make_corpus(corpus, size)
        real = os.path.getsize(corpus)
        print(f"corpus {corpus}: {real / 2**20:.0f} MiB; {workers} cores", flush=True)
        expected_path = os.path.join(opts.workdir, "wc-plain.txt")
        expected = None
        for (name, job), block in itertools.product(
            (("wordcount", "jobs.wordcount"), ("textbook", "jobs.wordcount_textbook")), blocksizes
        ):
            if name not in want:
                continue
            label = f"{name}@{block >> 20}MiB" if block else name
            out = f"{outdir}/out-{name}"
            source = to_dfs(corpus, env, block) if opts.dfs else local_url(corpus)
            d = dict(defines, **{"dfs.blocksize": str(block)}) if block else defines
            (t_base, i_base), (t_job, i_job) = best_pair(
                lambda: base(BASE_WORDCOUNT, [corpus, expected_path], env),
                lambda job=job, out=out, src=source, d=d: jar(job, [src], out, d, env),
            )
            expected = expected or read_counts([expected_path])
            if read_counts(parts(out)) != expected:
                raise SystemExit(f"{label}: output differs from the plain program's")
            results[label] = report(f"{label} ({opts.size})", t_job, t_base, i_job, i_base)
    if "join" in want:
        small = os.path.join(opts.workdir, f"join-small-{opts.join_size}.tsv")
        big = os.path.join(opts.workdir, f"join-big-{opts.join_size}.tsv")
        make_join_tables(small, big, join_size)
        total = os.path.getsize(small) + os.path.getsize(big)
        d = dict(defines, **{"join.type": "inner"})
        plain_out = os.path.join(opts.workdir, "join-plain.tsv")
        out = f"{outdir}/out-join"
        sources = [store(small), store(big)]
        (t_base, i_base), (t_job, i_job) = best_pair(
            lambda: base(BASE_JOIN, [small, big, plain_out], env),
            lambda: jar("jobs.join_reduce_side", sources, out, d, env),
        )
        if line_digest(parts(out)) != line_digest([plain_out]):
            raise SystemExit("join: output differs from the plain program's")
        results["join"] = report(
            f"reduce-side join ({total / 2**20:.0f} MiB)", t_job, t_base, i_job, i_base
        )
    if "study-join" in want:
        results.update(study_joins(opts, env, defines, store, outdir, best_pair))
    if "trivial" in want:
        tiny = os.path.join(opts.workdir, "tiny.txt")
        with open(tiny, "w") as f:
            f.write("hello world\n")
        out = f"{outdir}/out-trivial"
        source = store(tiny)
        t_job, info = best(
            lambda: jar(
                "mapred.api:Job",
                [source],
                out,
                {"mapreduce.job.reduces": "1", "mapreduce.cluster.local.dir": local},
                env,
            )
        )
        print(
            f"{'trivial job':28s} {t_job:7.2f}s end to end (peak RSS {peak_mb(info):.0f} MB)",
            flush=True,
        )
        results["trivial"] = {"job_s": t_job, "job_peak_mb": peak_mb(info)}
    with open(os.path.join(opts.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
