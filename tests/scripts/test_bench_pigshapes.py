"""The user-shaped benchmark (``scripts/bench_pigshapes.py``): its generator, its checker, and
Pig's answers on its 48 queries against the plain-Python reference programs (a correctness
test of Pig on a wide CSV with empty and bad fields and a web log, not PigMix's shapes).

Pig runs in-process here (``launcher.run_script``) to keep the tests fast; the benchmark itself
runs ``pig`` as a subprocess. The references always run as ``python qNN.py DATA OUT``. A query
whose answer is known to differ from Pig's goes into WRONG (a strict xfail) with the reason,
as its minimal form does in tests/piglatin/test_shapes_found.py (Q11, SPLIT ... OTHERWISE with
null conditions, was one until b341b46).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mapred.embedded import shutdown_clusters
from piglatin import launcher

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench_pigshapes.py"
QUERY_DIR = ROOT / "scripts" / "pigshapes"
ROWS = 1200
WRONG: dict[str, str] = {}


@pytest.fixture(scope="module")
def bs():
    sys.path.insert(0, str(SCRIPT.parent))  # the bench imports bench_pigmix beside it
    spec = importlib.util.spec_from_file_location("bench_pigshapes_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data(bs, tmp_path_factory) -> Path:
    out = bs.generate(tmp_path_factory.mktemp("pigshapes-data"), ROWS, 3)
    bs.generate_more(out, ROWS, 3)
    return bs.generate_trips(out, ROWS, 3)


def _answers(bs, query: str, data: Path, work: Path, mode: str) -> str | None:
    """Run the query through Pig (in-process) and its reference; the first difference."""
    pig_out, ref_out = work / query / mode, work / query / "reference"
    ref_out.mkdir(parents=True, exist_ok=True)
    launcher.run_script(
        (QUERY_DIR / f"{query.lower()}.pig").read_text(),
        exec_type=mode,
        cwd=str(work),
        params={"data": f"file://{data}", "out": f"file://{pig_out}"},
    )
    subprocess.run(
        [sys.executable, str(QUERY_DIR / f"{query.lower()}.py"), str(data), str(ref_out)],
        check=True,
        timeout=60,
    )
    return bs.check_outputs(query, pig_out, ref_out)


def _params(queries):
    return [
        pytest.param(q, marks=pytest.mark.xfail(strict=True, reason=WRONG[q])) if q in WRONG else q
        for q in queries
    ]


@pytest.mark.parametrize("query", _params(f"Q{i:02d}" for i in range(1, 49)))
def test_pig_equals_reference_local(bs, data, tmp_path, query):
    assert _answers(bs, query, data, tmp_path, "local") is None


@pytest.mark.slow  # 48 queries in the default mode: ~90 s
def test_every_query_equals_reference_mapreduce(bs, data, tmp_path):
    try:
        problems = {q: _answers(bs, q, data, tmp_path, "mapreduce") for q in bs.QUERIES}
    finally:
        shutdown_clusters()
    assert {q: p for q, p in problems.items() if p}.keys() == WRONG.keys(), problems


def test_query_files_exist_for_every_query(bs):
    assert len(bs.QUERIES) == 48
    for query in bs.QUERIES:
        assert (QUERY_DIR / f"{query.lower()}.pig").is_file()
        assert (QUERY_DIR / f"{query.lower()}.py").is_file()


def test_queries_option(bs):
    assert bs._queries("q1, Q05,Q14") == ["Q01", "Q05", "Q14"]
    for bad in ("Q49", "L1", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            bs._queries(bad)


COGROUP_NULL_FIELD = """
L = LOAD '$dir/l.txt' AS (k:chararray, m:int, v:int);
R = LOAD '$dir/r.txt' AS (k:chararray, m:int, w:int);
C = COGROUP L BY (k, m), R BY (k, m);
O = FOREACH C GENERATE FLATTEN(group), COUNT_STAR(L), COUNT_STAR(R);
STORE O INTO '$dir/out';
I = COGROUP L BY (k, m) INNER, R BY (k, m);
P = FOREACH I GENERATE FLATTEN(group), COUNT_STAR(L), COUNT_STAR(R);
STORE P INTO '$dir/inner';
"""


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_cogroup_keeps_keys_with_a_null_field_apart_per_input(tmp_path, mode):
    """Q30's difference, minimal. Pig's reduce-side key comparison (PigTupleDefaultRawComparator
    and BinInterSedesTupleRawComparator set hasComparedTupleNull(); the grouping comparator
    then compares the input index, "handle PIG-927: if tuples are equal but any field inside
    tuple is null, then we do not merge keys"): a tuple key with a null field is a group of
    its own per input, as a null key is. So (a, null) and (null, 1) give one row per input,
    and COGROUP L ... INNER, R keeps only L's."""
    (tmp_path / "l.txt").write_text("a\t\t1\na\t1\t2\n\t1\t3\n")
    (tmp_path / "r.txt").write_text("a\t\t10\na\t1\t20\n\t1\t30\n")
    try:
        params = {"dir": f"file://{tmp_path}"}  # the default mode's own paths are the DFS's
        launcher.run_script(COGROUP_NULL_FIELD, exec_type=mode, params=params, cwd=str(tmp_path))
    finally:
        shutdown_clusters()

    def rows(name):
        return sorted(p.read_text() for p in (tmp_path / name).glob("part-*"))

    assert sorted("".join(rows("out")).splitlines()) == sorted(
        ["a\t\t1\t0", "a\t\t0\t1", "\t1\t1\t0", "\t1\t0\t1", "a\t1\t1\t1"]
    )
    # INNER on L drops the groups whose L bag is empty (Pig's Packager: inner[i] and an
    # empty bag); L's own null-field groups keep their rows
    assert sorted("".join(rows("inner")).splitlines()) == sorted(
        ["a\t\t1\t0", "\t1\t1\t0", "a\t1\t1\t1"]
    )


FLOATS = """
A = LOAD 'in' AS (q:int, f:float);
B = FOREACH A GENERATE f + 1, f * 3.0f, q * f, (double)f, f * 1.0;
STORE B INTO 'rows';
C = FOREACH (GROUP A ALL) GENERATE SUM(A.f), AVG(A.f), MAX(A.f);
STORE C INTO 'aggs';
"""


def test_float_arithmetic_and_widening(tmp_path):
    """Q31's differences, minimal. A float is Java's 32-bit Float: float op float (an int or a
    float literal is cast to float) is a float, rounded to single precision and written by
    Float.toString (0.1f + 1.0f -> 1.1; 4 * 208.07f -> 832.28); a float cast to double,
    multiplied by a double, or summed/averaged (SUM and AVG of float give double, as the
    Built In Functions page's type tables say) is the widened value, written by
    Double.toString (0.1f -> 0.10000000149011612). MAX of floats stays a float."""
    (tmp_path / "in").write_text("4\t208.07\n")
    launcher.run_script(FLOATS, exec_type="local", cwd=str(tmp_path))

    def fields(name):
        return "".join(p.read_text() for p in (tmp_path / name).glob("part-*")).split()

    assert fields("rows") == [
        "209.07", "624.21", "832.28", "208.07000732421875", "208.07000732421875",
    ]  # fmt: skip
    assert fields("aggs") == ["208.07000732421875", "208.07000732421875", "208.07"]


# ---- the generator ----


def test_generator_is_deterministic_and_reused(bs, tmp_path):
    a, b, c = (bs.generate(tmp_path / n, 300, s) for n, s in (("a", 5), ("b", 5), ("c", 6)))
    names = ("sales.csv", "access.log", "stores.csv", "targets.csv", "promos.csv", "events.json")
    for name in (*names, "profiles.tsv", "buckets.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "sales.csv").read_bytes() != (c / "sales.csv").read_bytes()
    stamp = (a / "sales.csv").stat().st_mtime_ns
    bs.generate(a, 300, 5)
    assert (a / "sales.csv").stat().st_mtime_ns == stamp
    bs.generate(a, 301, 5)
    assert len((a / "sales.csv").read_text().splitlines()) == 301


def test_generator_shapes(data):
    sales = [line.split(",") for line in (data / "sales.csv").read_text().splitlines()]
    assert len(sales) == ROWS and all(len(r) == 32 for r in sales)
    assert not any('"' in f for r in sales for f in r)
    quantity = [r[14] for r in sales]
    assert "" in quantity  # null; "n/a" is bad (null, a warning), "3.0" reads as 3
    assert all(q in ("", "n/a") or q.removesuffix(".0").isdigit() for q in quantity)
    ratings = [r[23] for r in sales]
    assert 0.3 < ratings.count("") / ROWS < 0.7  # about half the ratings are null
    logs = [line.split("\t") for line in (data / "access.log").read_text().splitlines()]
    assert len(logs) == ROWS and all(len(r) == 9 for r in logs)
    assert any(r[5] == "-" for r in logs) and any(r[6] == "-" for r in logs)  # bad longs
    events = [json.loads(line) for line in (data / "events.json").read_text().splitlines()]
    assert len(events) == ROWS
    # Pig's JsonLoader reads fields by position: every object has the schema's keys in order
    assert all(list(e) == ["user", "event", "ts", "props", "amount"] for e in events)
    assert any(e["user"] is None for e in events) and any("ms" in e["props"] for e in events)
    profiles = [line.split("\t") for line in (data / "profiles.tsv").read_text().splitlines()]
    assert all(len(p) == 3 and p[2].startswith("[") for p in profiles)
    assert any("age#unknown" in p[2] for p in profiles)  # null when cast to int


# ---- the checker and the run ----


def test_check_outputs_wants_the_order_of_an_order_by(bs, tmp_path):
    pig, ref = tmp_path / "pig" / "q14", tmp_path / "ref" / "q14"
    for d, rows in ((pig, ["AT\t1.5\t2", "AT\t3.0\t1"]), (ref, ["AT\t3.0\t1", "AT\t1.5\t2"])):
        d.mkdir(parents=True)
        (d / "part-00000").write_text("".join(r + "\n" for r in rows))
    assert bs.check_outputs("Q03", pig.parent, ref.parent) is None  # a multiset: equal
    assert "ordered output" in bs.check_outputs("Q14", pig.parent, ref.parent)


def test_a_wrong_answer_is_reported_and_left_out(bs, data, tmp_path, monkeypatch, capsys):
    broken = tmp_path / "queries"
    shutil.copytree(QUERY_DIR, broken)
    ref = broken / "q13.py"
    ref.write_text(ref.read_text().replace("n += 1", "n += 2"))
    monkeypatch.setattr(bs, "HERE", broken)
    args = ["--rows", str(ROWS), "--seed", "3", "--data-dir", str(data)]
    args += ["--work", str(tmp_path / "work"), "--mode", "local", "--queries", "Q3,Q13"]
    assert bs.main(args) == 1
    printed = capsys.readouterr()
    assert "Q13   WRONG in local" in printed.out
    assert "over 1 queries" in printed.out  # Q03 only in the geomean
    assert "Q13: WRONG" in printed.err
