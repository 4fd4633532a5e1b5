"""PigMix-shaped benchmark: Pig Latin vs a plain single-threaded Python program per query.

Owns: generating (or reusing) the PigMix tables (``datasets.pigmix``), running each query's
Pig script (``scripts/pigmix/lN.pig``) and its plain-Python reference (``scripts/pigmix/lN.py``,
stdlib only: open/split, dicts, sorted), checking that both give the same rows BEFORE any time
is shown, and printing per query the Pig time, the reference time and their ratio, then the
geometric mean of the ratios per mode. Exit status 1 when any output differs (or a run fails).
Must not touch: Pig or the framework; Pig runs through its ``pig`` command like a user's.

What is timed: both sides run as subprocesses, exactly what a user types and waits for:
``pig -x local -f lN.pig -param data=... -param out=...`` (or without ``-x local`` in mapreduce
mode, Pig's default: jobs on the embedded cluster of a private ``MINIHADOOP_HOME`` that this
script formats once under the work directory) and ``python lN.py DATA OUT``. So both times
include their process start-up (Pig's imports and job set-up, Python's ~20 ms), with Python's
default bytecode caches: the sides run without ``PYTHONDONTWRITEBYTECODE`` (which some
containers and CI images set; with it every run recompiles every imported module, ~0.15 s of
Pig's start-up), and the project's packages are byte-compiled before the first run, as a user's
first ``pig`` command leaves them. Besides each side's wall time (best of ``--repeat``), its
CPU time (user+sys of the process and its waited-for children) is shown, with a geometric mean
of each: on a shared machine the CPU is the steadier figure. Input and output are ``file://``
paths in both modes (the reference reads the same local files). Each repeat runs
reference, local and mapreduce back to back, so a burst of load on a shared machine hits every
side; the best time of each is kept.

Size: ``--rows`` page_views rows (default 500k, ~75 MB: the typical reference then takes about
a second of CPU; users, widerow and widegroupbydata scale with it, see ``datasets.pigmix``).

How outputs are compared (independently of Pig's own formatter): every line of every
``part-*`` file is split on tabs; a field is null when empty, else an int, a float (Java's
``1.0E7`` spelling too), a map ``[k#v,...]`` (keys sorted), a bag ``{(...),...}`` (tuples
sorted) or a tuple ``(...)``, else a string. Rows compare as multisets; floats with a relative
tolerance of 1e-9 (sums in another order differ in the last bits); an int never equals a float.
For the ORDER BY queries (L9, L10) the sequence of sort keys must also be the same.

    python scripts/bench_pigmix.py                        # 500k page_views rows, both modes
    python scripts/bench_pigmix.py --rows 20000 --queries L1,L4 --mode local --repeat 3
    python scripts/bench_pigmix.py --mode mapreduce --pig-opt=-Dmapreduce.job.reduces=2
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasets.pigmix import generate_pigmix  # noqa: E402
from datasets.progress import Progress  # noqa: E402

HERE = Path(__file__).resolve().parent / "pigmix"
QUERIES = tuple(f"L{i}" for i in range(1, 18))
DEFAULT_ROWS = 500_000
#: ORDER BY queries: the key columns (index, descending) whose sequence must match in order.
ORDERED = {"L9": ((3, False),), "L10": ((3, False), (6, True), (2, False))}
MODES = ("local", "mapreduce")
REL_TOL = 1e-9
TIMEOUT = 3600.0


class BenchError(Exception):
    """A run failed or an output differs; the message says which and why."""


# ---- parsing output values, independently of the project's formatter ----


def parse_field(text: str) -> object:
    """A stored field as a comparable value: None, int, float, str, or a normalised
    map/bag/tuple."""
    if text == "":
        return None
    if text[0] in "[{(":
        value, end = _complex(text, 0)
        if end == len(text):
            return value
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _complex(text: str, i: int) -> tuple[object, int]:
    """Parse the map, bag or tuple starting at ``text[i]``; returns (value, index after it)."""
    close = {"[": "]", "{": "}", "(": ")"}[text[i]]
    items: list[object] = []
    i += 1
    while i < len(text) and text[i] != close:
        if text[i] in "[{(":
            item, i = _complex(text, i)
        else:
            end = i
            while end < len(text) and text[end] not in ",]})":
                end += 1
            item, i = text[i:end], end
        items.append(item)
        if i < len(text) and text[i] == ",":
            i += 1
    if close == "]":
        pairs = (str(s).split("#", 1) for s in items)
        return ("map", tuple(sorted((k, parse_field(v)) for k, v in pairs))), i + 1
    if close == "}":
        return ("bag", tuple(sorted(items, key=repr))), i + 1
    fields = tuple(parse_field(s) if isinstance(s, str) else s for s in items)
    return ("tuple", fields), i + 1


def read_rows(directory: Path) -> list[tuple]:
    """Every row of every ``part-*`` file under ``directory``, in file then line order."""
    rows = []
    for part in sorted(directory.glob("part-*")):
        with open(part, encoding="utf-8") as f:
            for line in f:
                rows.append(tuple(parse_field(v) for v in line.rstrip("\n").split("\t")))
    return rows


def _exact(row: tuple) -> tuple:
    return tuple("<float>" if isinstance(v, float) else v for v in row)


def _floats(row: tuple) -> tuple:
    return tuple(v for v in row if isinstance(v, float))


def _sortable(value: object) -> tuple:
    return (value is not None, type(value).__name__, repr(value))


def _close(a: tuple, b: tuple) -> bool:
    return all(math.isclose(x, y, rel_tol=REL_TOL, abs_tol=1e-9) for x, y in zip(a, b))


def compare_rows(pig: list[tuple], ref: list[tuple]) -> str | None:
    """None when the two are the same multiset of rows, else what differs (a few rows)."""
    if len(pig) != len(ref):
        return f"{len(pig)} rows from Pig, {len(ref)} from the reference"
    groups: dict[tuple, list[list[tuple]]] = {}
    for side, rows in enumerate((pig, ref)):
        for row in rows:
            groups.setdefault(_exact(row), [[], []])[side].append(_floats(row))
    for exact, (mine, theirs) in groups.items():
        if len(mine) != len(theirs):
            return (
                f"row {exact} appears {len(mine)} times in Pig's output, "
                f"{len(theirs)} in the reference's"
            )
        for a, b in zip(sorted(mine), sorted(theirs)):
            if not _close(a, b):
                return f"row {exact}: Pig floats {a}, reference {b}"
    return None


def compare_order(
    pig: list[tuple], ref: list[tuple], keys: Sequence[tuple[int, bool]]
) -> str | None:
    """None when both give the same sequence of sort keys (ties may come in any order)."""
    for n, (a, b) in enumerate(zip(pig, ref)):
        ka, kb = tuple(a[i] for i, _ in keys), tuple(b[i] for i, _ in keys)
        if ka != kb:
            return f"row {n} of the ordered output: Pig's key {ka}, reference's {kb}"
    return None


def check_outputs(query: str, pig_out: Path, ref_out: Path) -> None:
    """Raise BenchError unless Pig's outputs equal the reference's (every STORE of the query)."""
    names = sorted(p.name for p in ref_out.iterdir() if p.is_dir())
    found = sorted(p.name for p in pig_out.iterdir() if p.is_dir()) if pig_out.exists() else []
    if names != found or not names:
        raise BenchError(f"{query}: Pig stored {found}, the reference {names}")
    for name in names:
        pig, ref = read_rows(pig_out / name), read_rows(ref_out / name)
        problem = compare_rows(pig, ref)
        if problem is None and query in ORDERED:
            problem = compare_order(pig, ref, ORDERED[query])
        if problem:
            raise BenchError(f"{query} ({name}): outputs differ: {problem}")


# ---- running ----


def pig_command() -> list[str]:
    """The ``pig`` console script of this interpreter's environment (else the module)."""
    beside = Path(sys.executable).parent / "pig"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pig")
    return [found] if found else [sys.executable, "-m", "piglatin.tools.cli"]


def run_timed(argv: list[str], env: dict[str, str], what: str) -> float:
    """Run ``argv``; its wall time, or BenchError with the tail of its stderr."""
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        text = (proc.stderr + proc.stdout).strip().splitlines()
        errors = [line for line in text if "ERROR" in line or "Error" in line]
        raise BenchError(
            f"{what} failed (exit {proc.returncode}): " + " | ".join(errors[:3] or text[-5:])
        )
    return elapsed


def python_env() -> dict[str, str]:
    """This environment as a user's Python sees it: bytecode caches written and read."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_project() -> None:
    """Byte-compile the project's packages (what a user's first run leaves behind)."""
    root = Path(__file__).resolve().parent.parent
    dirs = [str(root / name) for name in ("piglatin", "mapred", "dfs") if (root / name).is_dir()]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *dirs],
        env=python_env(),
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )


class Runner:
    """Runs one query's three sides on one data set; outputs go under ``work/out``."""

    def __init__(
        self,
        data: Path,
        work: Path,
        pig_options: Sequence[str] = (),
        pig: str | None = None,
        scripts: Path | None = None,
    ) -> None:
        self.data = data
        self.scripts = scripts or HERE  # the lN.pig/lN.py folder (bench_pigshapes: its own)
        self.work = work
        self.pig = shlex.split(pig) if pig else pig_command()
        self.pig_options = list(pig_options)
        self.env = python_env()
        self.mr_env = dict(self.env, MINIHADOOP_HOME=str(work / "minihadoop-home"))

    def prepare_cluster(self) -> None:
        """Format the private cluster home once (mapreduce mode needs one)."""
        home = Path(self.mr_env["MINIHADOOP_HOME"])
        if not (home / "namenode").exists():
            hadoop = Path(sys.executable).parent / "hadoop"
            cmd = [str(hadoop)] if hadoop.exists() else [shutil.which("hadoop") or "hadoop"]
            run_timed(
                cmd + ["namenode", "-format", "-nonInteractive"],
                self.mr_env,
                "hadoop namenode -format",
            )

    def out(self, query: str, side: str) -> Path:
        path = self.work / "out" / query / side
        shutil.rmtree(path, ignore_errors=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def reference(self, query: str) -> float:
        out = self.out(query, "reference")
        out.mkdir()
        script = self.scripts / f"{query.lower()}.py"
        return run_timed(
            [sys.executable, str(script), str(self.data), str(out)], self.env, f"{query} reference"
        )

    def pig_run(self, query: str, mode: str) -> float:
        out = self.out(query, mode)
        argv = [
            *self.pig,
            *(["-x", "local"] if mode == "local" else []),
            *self.pig_options,
            "-param",
            f"data=file://{self.data}",
            "-param",
            f"out=file://{out}",
            "-f",
            str(self.scripts / f"{query.lower()}.pig"),
        ]
        env = self.env if mode == "local" else self.mr_env
        return run_timed(argv, env, f"{query} pig ({mode})")


def geomean(values: Sequence[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(run: Callable[[], float]) -> tuple[float, float]:
    """(wall, CPU) seconds of one subprocess run (the CPU of its waited-for children too)."""
    before = _children_cpu()
    wall = run()
    return wall, _children_cpu() - before


def result_line(query: str, best: dict[str, tuple[float, float]], modes: Sequence[str]) -> str:
    """One query's row: the reference's wall and CPU, then per mode both and their ratios."""
    ref_wall, ref_cpu = best["reference"]
    return f"{query:<6}{ref_wall:7.2f}{ref_cpu:6.2f}" + "".join(
        f"{best[m][0]:9.2f}{best[m][0] / ref_wall:6.1f}x"
        f"{best[m][1]:7.2f}{best[m][1] / ref_cpu:6.1f}x"
        for m in modes
    )


def header_line(modes: Sequence[str]) -> str:
    return f"{'query':<6}{'ref s':>7}{'cpu':>6}" + "".join(
        f"{m[:5] + ' s':>9}{'ratio':>7}{'cpu':>7}{'ratio':>7}" for m in modes
    )


def bench(
    runner: Runner, queries: Sequence[str], modes: Sequence[str], repeat: int, say=print
) -> dict[str, dict[str, tuple[float, float]]]:
    """Best (wall, CPU) seconds ``{query: {"reference": (w, c), mode: (w, c), ...}}``; outputs
    checked on the first round, before any time is printed. Raises BenchError on the first
    difference."""
    results: dict[str, dict[str, tuple[float, float]]] = {}
    runs = len(queries) * repeat * (1 + len(modes))
    with Progress("bench_pigmix", runs, unit="runs") as bar:
        for query in queries:
            results[query] = _bench_query(runner, query, modes, repeat, bar)
            bar.break_line()
            if len(results) == 1:
                say(header_line(modes))
            say(result_line(query, results[query], modes))
    return results


def _bench_query(
    runner: Runner, query: str, modes: Sequence[str], repeat: int, bar: Progress
) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) of one query on every side (outputs checked on the first round)."""
    best: dict[str, tuple[float, float]] = {}
    for round_ in range(repeat):
        for side in ("reference", *modes):
            bar.step(f"{query} {side} (run {round_ + 1}/{repeat})")
            if side == "reference":
                wall, cpu = timed(lambda: runner.reference(query))
            else:
                wall, cpu = timed(lambda s=side: runner.pig_run(query, s))
            old = best.get(side, (math.inf, math.inf))
            best[side] = (min(old[0], wall), min(old[1], cpu))
        if round_ == 0:
            for mode in modes:
                check_outputs(
                    query,
                    runner.work / "out" / query / mode,
                    runner.work / "out" / query / "reference",
                )
    return best


def summary(results: dict[str, dict[str, tuple[float, float]]], modes: Sequence[str]) -> list[str]:
    """Per mode, the geometric mean of the wall and of the CPU ratios, and the slowest three."""
    lines = []
    for mode in modes:
        for what, i in (("wall", 0), ("cpu", 1)):
            ratios = {q: r[mode][i] / r["reference"][i] for q, r in results.items()}
            slowest = sorted(ratios, key=ratios.get, reverse=True)[:3]
            lines.append(
                f"geomean {mode} ({what}): {geomean(list(ratios.values())):.2f}x over "
                f"{len(ratios)} queries (slowest: "
                + ", ".join(f"{q} {ratios[q]:.1f}x" for q in slowest)
                + ")"
            )
    return lines


def _queries(text: str) -> list[str]:
    chosen = [q.strip().upper() for q in text.split(",") if q.strip()]
    bad = [q for q in chosen if q not in QUERIES]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"unknown query {(bad or [text])[0]!r}: use L1..L17")
    return chosen


def bench_parser(
    description: str, rows_help: str, queries: Callable[[str], list[str]], example: str
) -> argparse.ArgumentParser:
    """The command line of a Pig-against-plain-Python bench (this one and bench_pigshapes):
    rows, queries (`queries` parses them; `example` shows some), modes, repeats, data, work
    directory, extra pig options and the pig command to time."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=rows_help)
    p.add_argument("--queries", type=queries, default=None, help=f"e.g. {example}")
    p.add_argument("--mode", choices=("local", "mapreduce", "both"), default="both")
    p.add_argument("--repeat", type=int, default=1, help="runs per side; the best is kept")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data-dir", help="where the tables are (kept and reused when they match)")
    p.add_argument("--work", help="outputs and the cluster home (default: a temp dir, removed)")
    p.add_argument(
        "--pig-opt",
        action="append",
        default=[],
        metavar="OPT",
        help="an extra pig argument, e.g. --pig-opt=-Dmapreduce.job.reduces=2",
    )
    p.add_argument(
        "--pig",
        help="the pig command to time (default: this environment's), e.g. another checkout's "
        "'env PYTHONPATH=/tmp/old python -m piglatin.tools.cli' to compare versions on the "
        "same data",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = bench_parser(__doc__.split("\n")[0], "page_views rows", _queries, "L1,L4")
    args = p.parse_args(argv)
    args.queries = args.queries or list(QUERIES)
    modes = MODES if args.mode == "both" else (args.mode,)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-pigmix-")).resolve()
    data = Path(args.data_dir).resolve() if args.data_dir else work / "data"
    try:
        print(f"data: {args.rows:,} page_views rows (seed {args.seed}) in {data}", file=sys.stderr)
        generate_pigmix(str(data), args.rows, args.seed, reuse=True, progress=None)
        runner = Runner(data, work, args.pig_opt, args.pig)
        compile_project()
        if "mapreduce" in modes:
            runner.prepare_cluster()
        results = bench(runner, args.queries, modes, max(1, args.repeat))
        for line in summary(results, modes):
            print(line)
    except BenchError as e:
        print(f"bench_pigmix: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
