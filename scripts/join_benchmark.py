"""Reproduce the join study's Table 5.5 / Figure 5.5 on the embedded cluster.

Owns: generating or reusing NCBO-like data on the DFS with the block size scaled like the data,
running every join strategy ``--repeat`` times, checking that all strategies produce the same
multiset of rows (an order-independent checksum) before anything is reported, and writing the
table (CSV, Markdown, optional PNG) beside the study's figures; and the ``--sweep replicated``
crossover experiment. Must not touch framework internals: it uses ``datasets``, ``jobs.joins``,
``mapred.runner``, ``piglatin.launcher`` (when present) and fsspec only.

    python scripts/join_benchmark.py --scale 0.001 --profiles wp,ct,pm --repeat 3 --out bench/
    python scripts/join_benchmark.py --scale 0.001 --sweep replicated --out bench/

Block size: the study ran 64 MB blocks; here ``dfs.blocksize`` = 64 MiB x scale (a multiple of
512 bytes), so the relation spans ~10 blocks and each table gets as many map tasks as in the study.
Timing: wall seconds of one job (or Pig script), workers started afresh for every run (the study's
tasks paid their JVM start-up and the singleton its load in every job; ``--warm-workers`` keeps
the pool). SQLite: the query into a result table, its load (rows + index) reported apart.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fsspec
import mmh3

log = logging.getLogger("join_benchmark")

SCRIPTS = Path(__file__).resolve().parent
BLOCK_AT_SCALE1 = 64 * 1024 * 1024
RELATION_BYTES_AT_SCALE1 = 659 * 1024 * 1024
LABELS = {
    "pig_replicated": "Pig replicated", "pig_hash": "Pig hash", "mr_singleton": "MR singleton",
    "mr_reduce_side": "MR reduce-side", "sqlite": "SQLite (study: MySQL)",
    "mr_replicated": "MR replicated", "pig_skewed": "Pig skewed",
}
STRATEGIES = tuple(LABELS)
# The study's Table 5.5 (seconds; 10 worker nodes, 64 MB blocks); None: did not finish.
STUDY: dict[str, dict[str, float | None]] = {
    "wp": {"pig_replicated": 29, "pig_hash": 32, "mr_singleton": 19, "mr_reduce_side": 36, "sqlite": 42},
    "ct": {"pig_replicated": 799, "pig_hash": 350, "mr_singleton": 69, "mr_reduce_side": 108,
           "sqlite": 1549},
    "pm": {"pig_replicated": 1794, "pig_hash": 454, "mr_singleton": 138, "mr_reduce_side": 248,
           "sqlite": None},
}
PIG_SCRIPTS = {"pig_replicated": "join_replicated.pig", "pig_hash": "join_hash.pig",
               "pig_skewed": "join_skewed.pig"}
MR_JOINS = {"mr_singleton": "singleton", "mr_reduce_side": "reduce_side", "mr_replicated": "replicated"}


class BenchError(Exception):
    """A user-facing problem: one line naming the thing and the fix."""


class ChecksumMismatch(BenchError):
    """Strategies disagree about the output rows; nothing is reported."""


# -- checksums ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Digest:
    """An order-independent multiset checksum: the row count and the sum of mmh3 128-bit hashes
    of the canonical rows (``element<TAB>concept<TAB>parent<TAB>level``) modulo 2**128."""

    rows: int
    hashsum: int

    def __str__(self) -> str:
        return f"{self.rows} rows / {self.hashsum:032x}"


def digest_lines(lines: Iterable[str]) -> Digest:
    hash128, total, n = mmh3.hash128, 0, 0
    for line in lines:
        total += hash128(line)
        n += 1
    return Digest(n, total % (1 << 128))


def output_lines(url: str) -> Iterator[str]:
    """Every line of a job's ``part-*`` files (TAB-separated text), without the newline."""
    reopen_dfs()
    fs, path = fsspec.core.url_to_fs(url)
    names = sorted(p for p in fs.ls(path, detail=False) if p.rsplit("/", 1)[-1].startswith("part-"))
    for name in names:
        with fs.open(name, "rb") as f:
            for raw in io.TextIOWrapper(f, encoding="utf-8"):
                yield raw.rstrip("\n")


def verify(digests: Mapping[str, Digest], dataset: str) -> None:
    """Raise ChecksumMismatch naming the strategies that differ from the majority."""
    if len(set(digests.values())) <= 1:
        return
    reference, _ = Counter(digests.values()).most_common(1)[0]
    wrong = ", ".join(f"{s} ({d})" for s, d in digests.items() if d != reference)
    raise ChecksumMismatch(
        f"{dataset}: strategies disagree on the output rows: {wrong} vs {reference} "
        f"(from {', '.join(s for s, d in digests.items() if d == reference)}); nothing reported")


# -- data -----------------------------------------------------------------------------------------
def block_size_for(scale: float) -> int:
    """64 MiB x scale, rounded to a multiple of 512 bytes (the checksum chunk), at least 512."""
    return max(512, round(BLOCK_AT_SCALE1 * scale / 512) * 512)


def prepare_data(root: str, profiles: Sequence[str], scale: float, seed: int,
                 relation_scale: float | None = None) -> dict[str, Any]:
    """Generate (or reuse) the tables under `root`; dfs:// files get the scaled block size."""
    from datasets.ncbo import generate_ncbo

    reopen_dfs()
    name = f"scale-{scale:g}-seed-{seed}" + (f"-rel-{relation_scale:.6g}" if relation_scale else "")
    url = f"{root.rstrip('/')}/{name}"
    options = {"conf": {"dfs.blocksize": block_size_for(scale)}} if url.startswith("dfs://") else None
    progress(f"data: {', '.join(profiles)} at scale {scale:g} in {url} "
             f"(block size {block_size_for(scale)} bytes)")
    return generate_ncbo(url, list(profiles), scale, seed, storage_options=options,
                         relation_scale=relation_scale, reuse=True, progress=sys.stderr.isatty())


# -- running strategies ---------------------------------------------------------------------------
@dataclass
class Outcome:
    seconds: float
    maps: int | str = ""
    reduces: int | str = ""
    rows: int | None = None
    load_seconds: float | None = None
    digest: Digest | None = None


@dataclass
class Measured:
    dataset: str
    strategy: str
    seconds: list[float] = field(default_factory=list)
    maps: int | str = ""
    reduces: int | str = ""
    rows: int | None = None
    load_seconds: list[float] = field(default_factory=list)
    digest: Digest | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


@dataclass
class Bench:
    """How strategies run: where outputs go, the executor and the job configuration."""

    work: str
    executor: str = "cluster"
    reduces: int = 2
    warm_workers: bool = False
    conf: dict[str, Any] = field(default_factory=dict)

    def output(self, tag: str) -> str:
        url = f"{self.work.rstrip('/')}/out/{tag}"
        remove(url)
        return url

    def fresh_workers(self) -> None:
        reopen_dfs()  # workers fork without a stale filesystem object
        if not self.warm_workers:
            from mapred.embedded import shutdown_clusters

            shutdown_clusters()


def reopen_dfs() -> None:
    """Forget cached ``dfs://`` filesystem objects, so the next access opens the cluster state
    afresh (as each ``hadoop`` command does). A long-lived client's embedded NameNode view goes
    stale while worker processes write and delete files; reads then fail with "no live replica"."""
    try:
        from dfs.filesystem import DFSFileSystem
    except ImportError:
        return
    DFSFileSystem.clear_instance_cache()


def remove(url: str) -> None:
    reopen_dfs()
    fs, path = fsspec.core.url_to_fs(url)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def run_mr(bench: Bench, strategy: str, ann: str, rel: str, out: str) -> Outcome:
    from jobs.joins import run_join

    bench.fresh_workers()
    conf = {"mapreduce.job.reduces": bench.reduces, **bench.conf}
    started = time.perf_counter()
    result = run_join(MR_JOINS[strategy], ann, rel, out, conf, executor=bench.executor)
    seconds = time.perf_counter() - started
    if not result.succeeded:
        raise BenchError(f"{strategy}: {result.error}")
    fw = result.counters.to_dict().get("Map-Reduce Framework", {})
    reduces = result.stats.get("reduces", 0)
    rows = fw.get("Reduce output records" if reduces else "Map output records", 0)
    return Outcome(seconds, result.stats.get("maps", ""), reduces, rows)


def _pig_url(url: str) -> str:
    """Pig's mapreduce mode reads scheme-less paths from the DFS: name local files explicitly."""
    return url if "://" in url else "file://" + str(Path(url).resolve())


def run_pig(bench: Bench, strategy: str, ann: str, rel: str, out: str) -> Outcome:
    """One Pig script's run; a Pig error ends the benchmark (BenchError naming the script)."""
    from piglatin.errors import PigError
    from piglatin.launcher import PigServer

    text = (SCRIPTS / PIG_SCRIPTS[strategy]).read_text(encoding="utf-8")
    params = {"annotations": _pig_url(ann), "relation": _pig_url(rel), "out": _pig_url(out)}
    exec_type = "local" if bench.executor == "local" else "mapreduce"
    bench.fresh_workers()
    started = time.perf_counter()
    try:
        with PigServer(exec_type, cwd=str(SCRIPTS), out=io.StringIO(),
                       properties={"default_parallel": bench.reduces}) as server:
            server.register_script(text, params, (), PIG_SCRIPTS[strategy])
            stats = list(server.stats)
    except PigError as e:
        raise BenchError(f"Pig {strategy} failed: {e.format().splitlines()[0]}") from e
    seconds = time.perf_counter() - started
    maps = sum(int(j.get("maps") or 0) for j in stats)
    reduces = sum(int(j.get("reduces") or 0) for j in stats)
    return Outcome(seconds, maps, reduces)


def run_sqlite(bench: Bench, strategy: str, ann: str, rel: str, out: str) -> Outcome:
    try:
        from scripts.join_sqlite import sqlite_join
    except ImportError:
        sys.path.insert(0, str(SCRIPTS))
        from join_sqlite import sqlite_join
    reopen_dfs()
    result = sqlite_join(ann, rel, consume=digest_lines)
    return Outcome(result.query_seconds, 0, 0, result.rows, result.load_seconds, result.digest)


RUNNERS: dict[str, Callable[[Bench, str, str, str, str], Outcome]] = {
    **{s: run_mr for s in MR_JOINS}, **{s: run_pig for s in PIG_SCRIPTS}, "sqlite": run_sqlite,
}


def measure(bench: Bench, dataset: str, strategy: str, ann: str, rel: str, repeat: int) -> Measured:
    """Run one strategy `repeat` times; digest the first run's output (not timed)."""
    m = Measured(dataset, strategy)
    for i in range(repeat):
        out = bench.output(f"{dataset}-{strategy}")
        progress(f"{dataset}: {LABELS[strategy]} run {i + 1}/{repeat} ...")
        outcome = RUNNERS[strategy](bench, strategy, ann, rel, out)
        if outcome.digest is None and i == 0:
            outcome.digest = digest_lines(output_lines(out))
        if i == 0:
            m.digest = outcome.digest
            m.maps, m.reduces = outcome.maps, outcome.reduces
        rows = outcome.rows if outcome.rows is not None else (outcome.digest.rows if outcome.digest else None)
        if m.rows is not None and rows is not None and rows != m.rows:
            raise ChecksumMismatch(f"{dataset}: {strategy} gave {rows} rows in run {i + 1}, {m.rows} before")
        m.rows = rows if rows is not None else m.rows
        m.seconds.append(outcome.seconds)
        if outcome.load_seconds is not None:
            m.load_seconds.append(outcome.load_seconds)
        if strategy in RUNNERS and strategy != "sqlite":
            remove(out)
        progress(f"{dataset}: {LABELS[strategy]} run {i + 1}/{repeat}: {outcome.seconds:.2f}s")
    if m.load_seconds:
        m.note = f"load {statistics.median(m.load_seconds):.2f}s (rows + index) not included"
    return m


def run_table(bench: Bench, data: Mapping[str, Any], profiles: Sequence[str],
              strategies: Sequence[str], repeat: int) -> list[Measured]:
    """Every strategy on every profile, verified per profile before returning."""
    measured: list[Measured] = []
    rel = data["relation"].url
    for profile in profiles:
        ann = data[f"annotations_{profile}"].url
        runs = [measure(bench, profile, s, ann, rel, repeat) for s in strategies]
        verify({r.strategy: r.digest for r in runs if r.digest is not None}, profile)
        measured.extend(runs)
    return measured


# -- reporting ------------------------------------------------------------------------------------
NORMALISED = ("normalised / study_normalised: seconds divided by the fastest strategy of the "
              "dataset among those that ran here and have a study figure.")
COLUMNS = ["dataset", "strategy", "median_s", "maps", "reduces", "output_rows", "normalised",
           "study_s", "study_normalised", "note"]


def table_rows(measured: Sequence[Measured]) -> list[dict[str, Any]]:
    """One dict per (dataset, strategy): ours and the study's seconds, each normalised to the
    fastest of the COMMON strategies of its row: those that ran here and have a study figure
    for the dataset (so a strategy skipped here does not tilt the comparison). Strategies outside
    that set (SQLite on pm, MR replicated, Pig skewed) are divided by the same denominator."""
    rows = []
    for dataset in dict.fromkeys(m.dataset for m in measured):
        ours = [m for m in measured if m.dataset == dataset]
        study = STUDY.get(dataset, {})
        common = [m for m in ours if m.median is not None and study.get(m.strategy)]
        basis = common or [m for m in ours if m.median is not None]
        fastest = min((m.median for m in basis), default=None)
        study_fastest = min((study[m.strategy] for m in common), default=None)
        for m in ours:
            s = study.get(m.strategy)
            rows.append({
                "dataset": dataset, "strategy": LABELS[m.strategy],
                "median_s": _num(m.median), "maps": m.maps, "reduces": m.reduces,
                "output_rows": "" if m.rows is None else m.rows,
                "normalised": _num(m.median / fastest) if m.median is not None and fastest else "",
                "study_s": ("did not finish" if m.strategy in study and s is None else _num(s)),
                "study_normalised": _num(s / study_fastest) if s and study_fastest else "",
                "note": m.note,
            })
    return rows


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def markdown(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] = COLUMNS) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_reports(rows: Sequence[Mapping[str, Any]], out: Path, stem: str, header: str,
                  columns: Sequence[str] = COLUMNS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{stem}.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    (out / f"{stem}.md").write_text(header + "\n\n" + markdown(rows, columns), encoding="utf-8")


def bar_chart(rows: Sequence[Mapping[str, Any]], path: Path) -> bool:
    """Figure 5.5's grouped bars (normalised time per dataset), ours beside the study's."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        progress("chart: matplotlib not installed (pip install minihadoop[bench]); skipped")
        return False
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    strategies = list(dict.fromkeys(r["strategy"] for r in rows if r["normalised"]))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=False)
    width = 0.8 / max(1, len(strategies))
    for ax, column, title in ((axes[0], "normalised", "minihadoop"),
                              (axes[1], "study_normalised", "the study (Table 5.5)")):
        for i, strategy in enumerate(strategies):
            values = [next((float(r[column]) for r in rows if r["dataset"] == d
                            and r["strategy"] == strategy and r[column]), 0.0) for d in datasets]
            xs = [x + i * width for x in range(len(datasets))]
            ax.bar(xs, values, width, label=strategy)
            for x, d in zip(xs, datasets):
                if column == "study_normalised" and any(
                        r["dataset"] == d and r["strategy"] == strategy
                        and r["study_s"] == "did not finish" for r in rows):
                    ax.text(x, 0.1, "did not finish", rotation=90, ha="center", va="bottom", fontsize=7)
        ax.set_xticks([x + width * (len(strategies) - 1) / 2 for x in range(len(datasets))], datasets)
        ax.set_title(title)
        ax.set_ylabel("time / fastest strategy of the dataset")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


# -- the replicated-join crossover sweep ----------------------------------------------------------
SWEEP_COLUMNS = ["relation_blocks", "relation_mib", "replicated", "replicated_s", "hash",
                 "hash_s", "faster", "output_rows"]


def run_sweep(bench: Bench, root: str, profile: str, scale: float, seed: int,
              blocks: Sequence[float], repeat: int, pair: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Relation sizes of `blocks` blocks against one fixed annotation table; `pair` is
    (replicated strategy, hash strategy), by default Pig's."""
    pair = pair or ("pig_replicated", "pig_hash")
    block = block_size_for(scale)
    rows = []
    from datasets.ncbo import DatasetError

    for n in blocks:
        try:
            data = prepare_data(f"{root.rstrip('/')}/sweep", [profile], scale, seed,
                                relation_scale=n * block / RELATION_BYTES_AT_SCALE1)
        except DatasetError as e:
            raise BenchError(f"sweep point {n:g} blocks is below the generator's smallest relation "
                             f"({e}); use a larger --scale or larger --sweep-blocks") from None
        rel, ann = data["relation"], data[f"annotations_{profile}"]
        tag = f"{profile}+rel{n:g}blk"
        runs = [measure(bench, tag, s, ann.url, rel.url, repeat) for s in pair]
        verify({r.strategy: r.digest for r in runs if r.digest is not None}, tag)
        fast = min(runs, key=lambda r: r.median)
        rows.append({"relation_blocks": f"{rel.bytes / block:.2f}", "relation_mib": f"{rel.bytes / 2**20:.2f}",
                     "replicated": LABELS[pair[0]], "replicated_s": _num(runs[0].median),
                     "hash": LABELS[pair[1]], "hash_s": _num(runs[1].median),
                     "faster": LABELS[fast.strategy], "output_rows": runs[0].rows})
    return rows


def sweep_chart(rows: Sequence[Mapping[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        progress("chart: matplotlib not installed (pip install minihadoop[bench]); skipped")
        return False
    x = [float(r["relation_blocks"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(x, [float(r["replicated_s"]) for r in rows], "o-", label=rows[0]["replicated"])
    ax.plot(x, [float(r["hash_s"]) for r in rows], "s-", label=rows[0]["hash"])
    ax.axvline(1.0, color="grey", linestyle="--", label="Pig rule of thumb: replicated input < 1 block")
    ax.set_xscale("log")
    ax.set_xlabel("relation size (blocks)")
    ax.set_ylabel("median seconds")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


# -- command line ---------------------------------------------------------------------------------
def progress(message: str) -> None:
    print(f"[join-benchmark {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _choices(text: str, allowed: Sequence[str], what: str) -> list[str]:
    if text == "all":
        return list(allowed)
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in chosen if t not in allowed]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {(bad or [text])[0]!r}: choose from {', '.join(allowed)} or all")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="join_benchmark",
        description=__doc__.split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--scale", type=float, default=0.001, help="fraction of the study's sizes")
    p.add_argument(
        "--profiles",
        default="wp,ct,pm",
        type=lambda t: _choices(t, ("wp", "ct", "pm"), "profile"),
        help="the study's data profiles, comma-separated (wp, ct, pm) or all",
    )
    p.add_argument(
        "--strategies",
        default="all",
        type=lambda t: _choices(t, STRATEGIES, "strategy"),
        help=f"join strategies, comma-separated ({', '.join(STRATEGIES)}) or all",
    )
    p.add_argument("--repeat", type=int, default=3, help="runs per strategy (median reported)")
    p.add_argument("--out", default="bench-results", help="directory for CSV / Markdown / PNG")
    p.add_argument("--data", default="dfs:///bench/ncbo", help="data root URL, on the DFS by default")
    p.add_argument("--seed", type=int, default=1, help="seed of the data generator")
    p.add_argument("--reduces", type=int, default=2, help="reduce tasks of the reduce-side joins")
    p.add_argument("--executor", default="cluster", choices=("cluster", "local"))
    p.add_argument("--warm-workers", action="store_true", help="reuse worker processes across runs")
    p.add_argument("--sweep", choices=("replicated",), help="the replicated-join crossover experiment")
    p.add_argument("--sweep-blocks", default="0.25,0.5,1,2,4,8,16,32",
                   help="relation sizes in blocks for --sweep")
    p.add_argument("--sweep-pair", default=(), type=lambda t: _choices(t, STRATEGIES, "strategy"),
                   help="replicated,hash strategies to compare (default pig_replicated,pig_hash)")
    p.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    p.add_argument("--debug", action="store_true", help="tracebacks and debug logging")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING)
    try:
        return _main(args)
    except (BenchError, OSError, ValueError) as e:
        if args.debug:
            raise
        print(f"join_benchmark: {e}", file=sys.stderr)
        return 1


def _main(args: argparse.Namespace) -> int:
    if args.repeat < 1 or args.scale <= 0:
        raise BenchError("--repeat must be >= 1 and --scale > 0")
    out = Path(args.out)
    bench = Bench(args.data, args.executor, args.reduces, args.warm_workers)
    stamp = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, scale {args.scale:g}, " \
            f"block {block_size_for(args.scale)} B, repeat {args.repeat}, seed {args.seed}"
    if args.sweep:
        blocks = [float(b) for b in args.sweep_blocks.split(",") if b.strip()]
        if args.sweep_pair and len(args.sweep_pair) != 2:
            raise BenchError("--sweep-pair takes two strategies: replicated,hash")
        rows = run_sweep(bench, args.data, args.profiles[0], args.scale, args.seed, blocks,
                         args.repeat, args.sweep_pair)
        write_reports(rows, out, "sweep_replicated", f"Replicated vs hash join, {stamp}", SWEEP_COLUMNS)
        print(markdown(rows, SWEEP_COLUMNS))
        if not args.no_chart:
            sweep_chart(rows, out / "sweep_replicated.png")
        return 0
    data = prepare_data(args.data, args.profiles, args.scale, args.seed)
    measured = run_table(bench, data, args.profiles, args.strategies, args.repeat)
    rows = table_rows(measured)
    write_reports(rows, out, "join_table", f"Table 5.5 reproduced, {stamp}. {NORMALISED}")
    print(markdown(rows))
    if not args.no_chart:
        bar_chart(rows, out / "join_figure.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
