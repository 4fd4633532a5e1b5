"""Pig Latin on user-shaped data and scripts (not PigMix): Pig vs a plain Python program per query.

Owns: generating (or reusing) the tables of ``scripts/pigshapes/data.py`` (a 32-column CSV of
orders with empty and bad numeric fields, a tab-separated web log, JSON events, user
profiles with a map column, four small dimension tables), running each query's Pig script
(``scripts/pigshapes/qNN.pig``, written from the Pig Latin Basics and Built In Functions
documentation) and its plain-Python reference
(``scripts/pigshapes/qNN.py``: stdlib only, split/dicts/sorted, single-threaded), checking
that both give the same rows BEFORE any time of that query is shown, and printing per query
the Pig time, the reference time and their ratio, then the geometric mean per mode. Must not
touch: Pig or the framework; Pig runs through its ``pig`` command like a user's.

The queries (the Pig features each one exercises):

    Q01 FILTER AND/OR/IS NULL, UPPER/LOWER/SUBSTRING/CONCAT/TRIM/SIZE/INDEXOF, MATCHES,
        arithmetic with nulls, bincond, CASE (map-only, 12 output columns)
    Q02 log lines: MATCHES, STRSPLIT + FLATTEN, REGEX_EXTRACT, cast, GROUP BY 2 derived keys
    Q03 GROUP BY 3 keys: COUNT (nulls skipped), COUNT_STAR, SUM, AVG, MIN, MAX
    Q04 nested DISTINCT (distinct customers) and two nested FILTERs per store
    Q05 top-k: GROUP BY 2, ORDER BY count DESC + keys, LIMIT 10
    Q06 nested ORDER BY 2 keys + LIMIT 3 per group, FLATTEN of a bag projection
    Q07 JOIN on two keys, GROUP on them
    Q08 replicated JOIN with a small table, LEFT OUTER JOIN (null keys kept), GROUP BY 2
    Q09 COGROUP of two inputs (null keys apart per input), IsEmpty, COUNT vs COUNT_STAR
    Q10 UNION, DISTINCT of 3 columns, GROUP BY 2
    Q11 SPLIT into three STOREs (one OTHERWISE)
    Q12 TOKENIZE + FLATTEN, SIZE, GROUP BY 2
    Q13 GROUP ALL and GROUP BY, CROSS of the two tiny results
    Q14 ORDER BY 3 keys (ASC, DESC with nulls, ASC) of every row
    Q15 top-N per group: nested FILTER, ORDER BY DESC on 3 keys, LIMIT, a bag projection kept
    Q16 SPLIT into 4 overlapping STOREs by MATCHES/INDEXOF/LOWER, SUBSTRING, REGEX_EXTRACT
    Q17 LOAD without a schema: $n casts, bytearray compared, multiplied, SUM/MAX of bytearray
    Q18 JsonLoader with a map[]: map lookups, MATCHES on a map value, casts, GROUP BY 3
    Q19 a PigStorage [k#v] map column, JOIN with the log (null keys), GROUP BY 2 map values
    Q20 CROSS with a 5-row table + range FILTER, GROUP BY 2
    Q21 COGROUP of 3 inputs, aggregates over each bag, nested FILTER, IsEmpty, empty MIN
    Q22 GROUP ALL: two nested DISTINCTs, a nested FILTER, SUM/AVG/MIN/MAX
    Q23 FULL OUTER JOIN on 2 columns of a GROUP's result, keys coalesced with bincond
    Q24 RIGHT OUTER JOIN (null keys) + GROUP, replicated LEFT OUTER JOIN, two STOREs
    Q25 DISTINCT of 7-column rows
    Q26 ORDER BY DESC + LIMIT and ORDER BY ASC, DESC + LIMIT, two STOREs
    Q27 UNION ONSCHEMA of differently-shaped relations, GROUP BY a key with nulls
    Q28 CASE (both forms), nested bincond, ToDate/GetHour/DaysBetween, GROUP BY an expression
    Q29 STARTSWITH/ENDSWITH, REGEX_EXTRACT_ALL + FLATTEN, REPLACE, LAST_INDEX_OF, UCFIRST, SPRINTF
    Q30 COGROUP on 2 columns with nulls in one (keys with a null field stay apart per input)
    Q31 float columns: float arithmetic in single precision, floats widened to double, SUM/AVG
    Q32 a raw Apache log through TextLoader: REGEX_EXTRACT_ALL + FLATTEN (unmatched lines give
        nulls), casts of the extracted texts, bincond, GROUP BY 3 derived keys
    Q33 a wide table loaded with names but no types: many casts to int/double in arithmetic,
        bincond, GROUP BY with COUNT/SUM/AVG/MIN/MAX
    Q34 top-N by text: JsonLoader, FILTER, ORDER BY a chararray DESC and a long with nulls, LIMIT
    Q35 datetime columns (ISO with offsets, JDBC form, bad), ToString 'EEE', GetMonth/GetHour,
        MinutesBetween/SecondsBetween, GROUP BY 3 derived keys
    Q36 TOP() + FLATTEN per skewed driver, nested DISTINCT of a 2-column projection, COUNT
    Q37 RANK BY 2 keys (DESC with nulls), RANK ... DENSE BY ASC/DESC chararrays, plain RANK
    Q38 two replicated JOINs with one table (LEFT OUTER, then renamed), prefixed names, GROUP BY 2
    Q39 JsonLoader with a nested tuple and a bag, skewed JOIN, tuple field projection, SIZE of a
        bag, FLATTEN of a bag, two STOREs
    Q40 CUBE BY CUBE(2 columns), ROLLUP(2 columns) with null dimension values ('unknown')
    Q41 boolean columns with nulls: NOT in a FILTER, a boolean as a FILTER condition, bincond,
        == true, GROUP BY booleans, (chararray) of a boolean
    Q42 STRSPLITTOBAG + FLATTEN, TOKENIZE with a delimiter (null text), REGEX_EXTRACT cast to
        int, SIZE of STRSPLIT, UPPER, two STOREs
    Q43 %default, a DEFINE macro used 3 times, SPLIT with IN (...) and OTHERWISE (nulls), 4 STOREs
    Q44 ORDER BY int DESC, datetime ASC (both with nulls), long DESC + LIMIT; datetimes stored
    Q45 FLOOR/CEIL/ABS of a float/SQRT/LOG10/ROUND/ROUND_TO, GROUP BY a double
    Q46 GROUP of a 36-column relation, a nested block: FILTER, ORDER 3 keys, LIMIT, DISTINCT, a
        nested FOREACH and FILTER of it, BagToString
    Q47 a 3-way JOIN on one key of two GROUP results and JSON drivers, FULL OUTER JOIN
    Q48 the Pig tutorial's shape: DISTINCT, GROUP + COUNT, two FILTERs of it JOINed with each
        other, a ratio, ORDER BY DESC + 3 keys, LIMIT

Q15-Q31 were written later than Q01-Q14, by someone who had not tuned Pig on them, to stand
in for the benchmarks the project does not see; they read three more tables (events.json
through JsonLoader, profiles.tsv with a map column, buckets.csv). Q32-Q34 were added in
session 17 with two more tables (``scripts/pigshapes/moredata.py``: server.log, metrics.tsv),
Q35-Q48 in session 19 with a ride-hailing data set (``scripts/pigshapes/tripdata.py``: a
36-column trips.csv with datetimes, booleans, a skewed driver key, zones.csv, drivers.json).

What is timed, how outputs are compared, and the Runner are bench_pigmix.py's (imported, not
copied): both sides run as subprocesses, ``pig [-x local] -f qNN.pig -param data=file://...
-param out=file://...`` and ``python qNN.py DATA OUT``; rows compare as multisets (floats to a
relative 1e-9), and for the ORDER BY queries the sequence of sort keys too. Besides the wall
time of each side (best of ``--repeat``), the CPU time (user+sys of the process and its
children) is shown: on a shared machine it is the steadier figure.

A query whose output differs is reported as WRONG with the first difference; its time is shown
after that line but it is left out of the geometric mean, and the exit status is 1. A run that
fails is reported as FAILED the same way; the other queries still run.

    python scripts/bench_pigshapes.py               # 200k orders + 200k log lines, both modes
    python scripts/bench_pigshapes.py --rows 20000 --queries Q1,Q5 --mode local --repeat 3
    python scripts/bench_pigshapes.py --pig "env PYTHONPATH=/tmp/wt python -m piglatin.tools.cli"
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import bench_pigmix as pm

from datasets.progress import Progress

HERE = Path(__file__).resolve().parent / "pigshapes"
sys.path.insert(0, str(HERE))

from data import generate  # noqa: E402  (scripts/pigshapes/data.py)
from moredata import generate_more  # noqa: E402  (scripts/pigshapes/moredata.py)
from tripdata import generate_trips  # noqa: E402  (scripts/pigshapes/tripdata.py)

QUERIES = tuple(f"Q{i:02d}" for i in range(1, 49))
DEFAULT_ROWS = 200_000
#: ORDER BY queries: the columns (index, descending) whose sequence must match in order.
ORDERED = {
    "Q05": ((2, True), (0, False), (1, False)),
    "Q14": ((0, False), (1, True), (2, False)),
    "Q26": ((0, True), (1, False)),  # both of its STOREs: (total DESC, id) and (secs, id DESC)
    "Q34": ((0, True), (1, False)),
    "Q44": ((0, True), (1, False), (2, True)),  # (rating, pickup, id) and (city, total, id)
    "Q48": ((3, True), (0, False), (1, False), (2, False)),
}


def check_outputs(query: str, pig_out: Path, ref_out: Path) -> str | None:
    """None when Pig's outputs equal the reference's (every STORE of the query), else why not."""
    names = sorted(p.name for p in ref_out.iterdir() if p.is_dir())
    found = sorted(p.name for p in pig_out.iterdir() if p.is_dir()) if pig_out.exists() else []
    if names != found or not names:
        return f"Pig stored {found}, the reference {names}"
    for name in names:
        pig, ref = pm.read_rows(pig_out / name), pm.read_rows(ref_out / name)
        problem = pm.compare_rows(pig, ref)
        if problem is None and query in ORDERED:
            problem = pm.compare_order(pig, ref, ORDERED[query])
        if problem:
            return f"({name}) {problem}"
    return None


def bench_query(
    runner: pm.Runner, query: str, modes: Sequence[str], repeat: int, bar: Progress
) -> tuple[dict[str, tuple[float, float]], str | None]:
    """Best (wall, CPU) per side, and the first problem (a difference or a failed run)."""
    best: dict[str, tuple[float, float]] = {}
    for round_ in range(repeat):
        for side in ("reference", *modes):
            bar.step(f"{query} {side} (run {round_ + 1}/{repeat})")
            try:
                if side == "reference":
                    wall, cpu = pm.timed(lambda: runner.reference(query))
                else:
                    wall, cpu = pm.timed(lambda s=side: runner.pig_run(query, s))
            except pm.BenchError as e:
                return best, f"FAILED: {e}"
            old = best.get(side, (math.inf, math.inf))
            best[side] = (min(old[0], wall), min(old[1], cpu))
        if round_ == 0:
            for mode in modes:
                out = runner.work / "out" / query
                problem = check_outputs(query, out / mode, out / "reference")
                if problem:
                    return best, f"WRONG in {mode}: {problem}"
    return best, None


def bench(
    runner: pm.Runner, queries: Sequence[str], modes: Sequence[str], repeat: int, say=print
) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, str]]:
    """Times of the queries whose outputs matched, and the problems of the others."""
    results: dict[str, dict[str, tuple[float, float]]] = {}
    problems: dict[str, str] = {}
    say(pm.header_line(modes))
    with Progress("bench_pigshapes", len(queries) * repeat * (1 + len(modes)), unit="runs") as bar:
        for query in queries:
            best, problem = bench_query(runner, query, modes, repeat, bar)
            bar.break_line()
            if problem:
                problems[query] = problem
                say(f"{query:<6}{problem}")
            if "reference" not in best or any(m not in best for m in modes):
                continue
            say(pm.result_line(query, best, modes) + ("  (not in the geomean)" if problem else ""))
            if not problem:
                results[query] = best
    return results, problems


def _queries(text: str) -> list[str]:
    chosen = []
    for q in (q.strip().upper() for q in text.split(",") if q.strip()):
        name = f"Q{int(q[1:]):02d}" if q[:1] == "Q" and q[1:].isdigit() else q
        if name not in QUERIES:
            raise argparse.ArgumentTypeError(f"unknown query {q!r}: use Q1..Q{len(QUERIES)}")
        chosen.append(name)
    if not chosen:
        raise argparse.ArgumentTypeError("no query given")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    p = pm.bench_parser(__doc__.split("\n")[0], "orders (and log lines)", _queries, "Q1,Q5")
    p.set_defaults(rows=DEFAULT_ROWS)
    args = p.parse_args(argv)
    args.queries = args.queries or list(QUERIES)
    modes = pm.MODES if args.mode == "both" else (args.mode,)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-pigshapes-")).resolve()
    data = Path(args.data_dir).resolve() if args.data_dir else work / "data"
    try:
        print(
            f"data: {args.rows:,} orders and log lines (seed {args.seed}) in {data}",
            file=sys.stderr,
        )
        generate(data, args.rows, args.seed)
        generate_more(data, args.rows, args.seed)
        generate_trips(data, args.rows, args.seed)
        runner = pm.Runner(data, work, args.pig_opt, args.pig, scripts=HERE)
        pm.compile_project()
        if "mapreduce" in modes:
            runner.prepare_cluster()
        results, problems = bench(runner, args.queries, modes, max(1, args.repeat))
        for line in pm.summary(results, modes):
            print(line)
        for query, problem in problems.items():
            print(f"bench_pigshapes: {query}: {problem}", file=sys.stderr)
    except pm.BenchError as e:
        print(f"bench_pigshapes: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
