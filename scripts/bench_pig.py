"""Pig back end vs hand-written MapReduce jobs on the same data: hash join and GROUP/COUNT.

Owns: generating (or reusing) an NCBO-like join input and a Zipf text corpus on the local disk,
timing the Pig scripts next to the equivalent ready jobs in ``jobs/`` (``join_reduce_side`` and
``wordcount``) with the same executor, checking that both give the same rows, and printing the
ratio (the issue's target: Pig at most 15% slower). Must not touch framework internals: it uses
``datasets``, ``jobs``, ``mapred.runner`` and ``piglatin.launcher`` only.

    python scripts/bench_pig.py --scale 0.002 --text 20MB --repeat 3 --executor cluster
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datasets.ncbo import generate_ncbo
from datasets.progress import Progress
from datasets.text import generate_text, parse_size
from mapred.runner import run_job
from piglatin.launcher import run_script

JOIN_PIG = """
annotations = LOAD '{ann}' USING PigStorage('\\t')
    AS (concept_id:chararray, element_id:chararray, context_id:chararray,
        dictionary_id:chararray, term_id:chararray, position_from:chararray,
        position_to:chararray, workflow_status:chararray);
relation = LOAD '{rel}' USING PigStorage('\\t')
    AS (id:chararray, concept_id:chararray, parent_concept_id:chararray, parent_level:chararray);
joined = JOIN annotations BY concept_id, relation BY concept_id PARALLEL {reducers};
expanded = FOREACH joined GENERATE annotations::element_id, annotations::concept_id,
    relation::parent_concept_id, relation::parent_level;
STORE expanded INTO '{out}' USING PigStorage('\\t');
"""

COUNT_PIG = """
lines = LOAD '{text}' USING TextLoader() AS (line:chararray);
words = FOREACH lines GENERATE FLATTEN(TOKENIZE(line)) AS w;
grouped = GROUP words BY w PARALLEL {reducers};
counts = FOREACH grouped GENERATE group, COUNT(words);
STORE counts INTO '{out}' USING PigStorage('\\t');
"""


def timed_pair(mr: Callable[[], object], pig: Callable[[], object], repeat: int) -> tuple:
    """Best wall time of each, the two run alternately (so a burst of load on this shared
    machine hits both sides, not one)."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((mr, pig)):
            started = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - started)
    return best[0], best[1]


def rows(out: str) -> Counter:
    found: Counter = Counter()
    for part in sorted(Path(out).glob("part-*")):
        found.update(part.read_text(encoding="utf-8").splitlines())
    return found


def fresh(path: Path) -> str:
    shutil.rmtree(path, ignore_errors=True)
    return str(path)


def bench_join(work: Path, tables: dict, args: argparse.Namespace) -> tuple[float, float]:
    from jobs.joins import run_join

    ann = tables["annotations_wp"].url.removeprefix("file://")
    rel = tables["relation"].url.removeprefix("file://")
    conf = {"mapreduce.job.reduces": args.reducers}
    mr_out, pig_out = work / "mr-join", work / "pig-join"

    def mr() -> None:
        run_join(
            "reduce_side", ann, rel, fresh(mr_out), conf, executor=args.executor
        ).raise_for_state()

    def pig() -> None:
        script = JOIN_PIG.format(
            ann=_url(ann),
            rel=_url(rel),
            out=_url(fresh(pig_out)),
            reducers=args.reducers,
        )
        run_script(script, exec_type=_exec(args), cwd=str(work), out=io.StringIO())

    t_mr, t_pig = timed_pair(mr, pig, args.repeat)
    mr_n, pig_n = sum(rows(str(mr_out)).values()), sum(rows(str(pig_out)).values())
    assert mr_n == pig_n, f"the joins differ: MR {mr_n} rows, Pig {pig_n} rows"
    return t_mr, t_pig


def bench_count(work: Path, args: argparse.Namespace) -> tuple[float, float]:
    from jobs.wordcount import WordCount

    text = str(work / "text")
    mr_out, pig_out = work / "mr-count", work / "pig-count"

    def mr() -> None:
        run_job(
            WordCount,
            [text],
            fresh(mr_out),
            {"mapreduce.job.reduces": args.reducers},
            args.executor,
            raise_on_failure=True,
        )

    def pig() -> None:
        script = COUNT_PIG.format(text=_url(text), out=_url(fresh(pig_out)), reducers=args.reducers)
        run_script(script, exec_type=_exec(args), cwd=str(work), out=io.StringIO())

    t_mr, t_pig = timed_pair(mr, pig, args.repeat)
    assert rows(str(mr_out)) == rows(str(pig_out)), "Pig and MR word counts differ"
    return t_mr, t_pig


def _url(path: str) -> str:
    return "file://" + path  # local files in either exec type (mapreduce would mean DFS paths)


def _exec(args: argparse.Namespace) -> str:
    return "local" if args.executor == "local" else "mapreduce"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scale", type=float, default=0.002, help="NCBO scale of the join input")
    p.add_argument("--text", default="20MB", help="size of the word-count corpus")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--reducers", type=int, default=2)
    p.add_argument("--executor", choices=("local", "cluster"), default="cluster")
    p.add_argument("--work", help="data directory to keep and reuse (default: a temp dir)")
    args = p.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-pig-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    tables = generate_ncbo(str(work / "ncbo"), ("wp",), args.scale, reuse=True)
    if not (work / "text").exists():
        generate_text(str(work / "text"), parse_size(args.text))
    benchmarks = {
        "hash join": lambda: bench_join(work, tables, args),
        "group/count": lambda: bench_count(work, args),
    }
    print(f"{'benchmark':<12} {'MR s':>8} {'Pig s':>8} {'Pig/MR':>7}", flush=True)
    with Progress("bench_pig", len(benchmarks), unit="benchmarks") as bar:
        for name, run in benchmarks.items():
            bar.step(f"{name}: MR and Pig, {args.repeat} runs each")
            t_mr, t_pig = run()
            bar.break_line()
            print(f"{name:<12} {t_mr:8.2f} {t_pig:8.2f} {t_pig / t_mr:7.2f}", flush=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
