"""The PigMix benchmark: its generator, its output checker, and Pig's answers on the 17 query
shapes against the plain-Python reference programs (a correctness test of Pig on PigMix data).

Pig runs in-process here (``launcher.run_script``) to keep the tests fast; the benchmark itself
runs ``pig`` as a subprocess. The references always run as ``python lN.py DATA OUT``.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.pigmix import SCHEMAS, TABLES, generate_pigmix
from mapred.embedded import shutdown_clusters
from piglatin import launcher

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench_pigmix.py"
QUERY_DIR = ROOT / "scripts" / "pigmix"
ROWS = 1500
FAST = ("L1", "L3", "L5", "L10", "L12", "L15")


@pytest.fixture(scope="module")
def bp():
    spec = importlib.util.spec_from_file_location("bench_pigmix_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pigmix-data")
    generate_pigmix(str(root), ROWS, seed=3, progress=False)
    return root


def _answers(bp, query: str, data: Path, work: Path, mode: str) -> None:
    """Run the query through Pig (in-process) and its reference; assert the outputs agree."""
    pig_out, ref_out = work / query / mode, work / query / "reference"
    ref_out.mkdir(parents=True, exist_ok=True)
    script = QUERY_DIR / f"{query.lower()}.pig"
    launcher.run_script(
        script.read_text(),
        exec_type=mode,
        cwd=str(work),
        params={"data": f"file://{data}", "out": f"file://{pig_out}"},
    )
    subprocess.run(
        [sys.executable, str(QUERY_DIR / f"{query.lower()}.py"), str(data), str(ref_out)],
        check=True,
        timeout=60,
    )
    bp.check_outputs(query, pig_out, ref_out)


@pytest.mark.parametrize("query", FAST)
def test_pig_equals_reference_local(bp, data, tmp_path, query):
    _answers(bp, query, data, tmp_path, "local")


@pytest.mark.slow  # 17 queries x 2 modes: ~40 s
@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_every_query_equals_reference(bp, data, tmp_path, mode):
    try:
        for query in bp.QUERIES:
            _answers(bp, query, data, tmp_path, mode)
    finally:
        shutdown_clusters()


def test_query_files_exist_for_every_query(bp):
    for query in bp.QUERIES:
        assert (QUERY_DIR / f"{query.lower()}.pig").is_file()
        assert (QUERY_DIR / f"{query.lower()}.py").is_file()
    assert len(bp.QUERIES) == 17


# ---- the generator ----


def test_generator_is_deterministic(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_pigmix(str(a), 300, seed=5, progress=False)
    generate_pigmix(str(b), 300, seed=5, progress=False)
    generate_pigmix(str(c), 300, seed=6, progress=False)
    for table in TABLES:
        first = (a / table / "part-00000").read_bytes()
        assert first == (b / table / "part-00000").read_bytes(), table
    assert (a / "page_views/part-00000").read_bytes() != (c / "page_views/part-00000").read_bytes()


def test_generator_shapes(data):
    views = (data / "page_views/part-00000").read_text().splitlines()
    assert len(views) == ROWS
    assert all(len(v.split("\t")) == 9 for v in views)
    users = [v.split("\t")[0] for v in views]
    assert 0.03 < users.count("") / ROWS < 0.12  # ~7% null users
    named = [u for u in users if u]
    top = max(set(named), key=named.count)
    assert named.count(top) > 5 * len(named) / len(set(named))  # Zipf: a heavy head
    bags = [v.split("\t")[8] for v in views]
    assert "{}" in bags and "" in bags and any(b.startswith("{([") for b in bags)
    wide = (data / "widerow/part-00000").read_text().splitlines()
    assert all(len(w.split("\t")) == 101 for w in wide)
    group = (data / "widegroupbydata/part-00000").read_text().splitlines()
    assert group == ["\t".join([v] * 3) for v in views[: ROWS // 4]]
    sorted_views = (data / "page_views_sorted/part-00000").read_text().splitlines()
    assert [v.split("\t")[0] for v in sorted_views] == sorted(users)
    names = {u.split("\t")[0] for u in (data / "users/part-00000").read_text().splitlines()}
    assert set(named) - names and names - set(named)  # L5 and L11 have something to find


def test_generator_reuses_a_matching_data_set(tmp_path):
    out = tmp_path / "d"
    generate_pigmix(str(out), 200, seed=1, progress=False)
    part = out / "users/part-00000"
    stamp = part.stat().st_mtime_ns
    generate_pigmix(str(out), 200, seed=1, progress=False, reuse=True)
    assert part.stat().st_mtime_ns == stamp
    generate_pigmix(str(out), 201, seed=1, progress=False, reuse=True)
    assert len((out / "page_views/part-00000").read_text().splitlines()) == 201


@pytest.mark.parametrize("table", ["page_views", "users", "widerow"])
def test_pig_reads_every_field_of_the_tables(bp, data, tmp_path, table):
    """Loaded with its schema and stored back, each table gives the same values as an
    independent parse of the generated text: no map or bag became null on the way."""
    out = tmp_path / "copy"
    launcher.run_script(
        f"A = LOAD 'file://{data}/{table}' USING PigStorage('\\t') AS ({SCHEMAS[table]});\n"
        f"STORE A INTO 'file://{out}' USING PigStorage('\\t');\n",
        exec_type="local",
        cwd=str(tmp_path),
    )
    stored, generated = bp.read_rows(out), bp.read_rows(data / table)
    assert bp.compare_rows(stored, generated) is None
    if table == "page_views":
        assert any(isinstance(row[7], tuple) and row[7][0] == "map" for row in generated)


# ---- the output checker ----


def test_parse_field_values(bp):
    assert bp.parse_field("") is None
    assert bp.parse_field("12") == 12 and isinstance(bp.parse_field("12"), int)
    assert bp.parse_field("1.0E7") == 1e7
    assert bp.parse_field("[b#2,a#x]") == bp.parse_field("[a#x,b#2]")
    assert bp.parse_field("{([a#1]),([b#2])}") == bp.parse_field("{([b#2]),([a#1])}")
    assert bp.parse_field("{([a#1]),([b#2])}") != bp.parse_field("{([a#1]),([b#3])}")
    assert bp.parse_field("{}") == ("bag", ())
    assert bp.parse_field("(1,x)") == ("tuple", (1, "x"))


def test_compare_rows_catches_differences(bp):
    rows = [("u1", 3, 1.5), ("u2", 4, None), (None, 0, 2.25)]
    assert bp.compare_rows(rows, list(reversed(rows))) is None
    assert bp.compare_rows(rows, [("u1", 3, 1.5 + 1e-13), *rows[1:]]) is None
    assert bp.compare_rows(rows, [("u1", 3, 1.6), *rows[1:]]) is not None
    assert bp.compare_rows(rows, [("u1", 3, 1.5), ("u2", 4, 0.0), rows[2]]) is not None
    assert bp.compare_rows(rows, rows[:2]) is not None
    assert bp.compare_rows(rows, [rows[0], rows[0], rows[1]]) is not None
    assert bp.compare_rows([("a", 5)], [("a", 5.0)]) is not None  # a long is not a double


def test_compare_order_checks_the_key_sequence(bp):
    pig = [("x", 2), ("x", 1), ("y", 0)]
    assert bp.compare_order(pig, [("x", 1), ("x", 2), ("y", 0)], ((0, False),)) is None
    assert bp.compare_order(pig, [("x", 1), ("y", 0), ("x", 2)], ((0, False),)) is not None


def test_bench_exits_nonzero_when_an_answer_differs(bp, data, tmp_path, monkeypatch, capsys):
    """End to end through ``pig -x local``: L8 agrees and prints a ratio; with a reference that
    is off by one the bench reports the difference and exits 1, printing no time."""
    work = tmp_path / "work"
    assert (
        bp.main(
            [
                "--rows",
                str(ROWS),
                "--seed",
                "3",
                "--data-dir",
                str(data),
                "--work",
                str(work),
                "--mode",
                "local",
                "--queries",
                "L8",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "L8" in printed and "geomean local" in printed
    broken = tmp_path / "queries"
    shutil.copytree(QUERY_DIR, broken)
    ref = broken / "l8.py"
    ref.write_text(
        ref.read_text().replace("time_total += int(fields[2])", "time_total += int(fields[2]) + 1")
    )
    monkeypatch.setattr(bp, "HERE", broken)
    assert (
        bp.main(
            [
                "--rows",
                str(ROWS),
                "--seed",
                "3",
                "--data-dir",
                str(data),
                "--work",
                str(work),
                "--mode",
                "local",
                "--queries",
                "L8",
            ]
        )
        == 1
    )
    captured = capsys.readouterr()
    assert "outputs differ" in captured.err and "geomean" not in captured.out


def test_timed_sides_keep_bytecode_caches(bp, tmp_path, monkeypatch):
    """Both sides run with Python's default bytecode caches, whatever this environment says."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    runner = bp.Runner(tmp_path / "data", tmp_path / "work")
    for env in (runner.env, runner.mr_env):
        assert "PYTHONDONTWRITEBYTECODE" not in env
    probe = [sys.executable, "-c", "import sys; print(sys.dont_write_bytecode)"]
    out = subprocess.run(probe, env=runner.env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
