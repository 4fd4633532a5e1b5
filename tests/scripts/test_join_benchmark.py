"""The join benchmark: checksums, verification catching a wrong strategy, scaled blocks, reports."""

from __future__ import annotations

import collections
import csv
import importlib.util
import random
import sys
from pathlib import Path

import pytest

from mapred.embedded import shutdown_clusters

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "join_benchmark.py"


@pytest.fixture(scope="module")
def jb():
    spec = importlib.util.spec_from_file_location("join_benchmark_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cluster(mini_cluster, monkeypatch):
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    shutdown_clusters()
    yield mini_cluster
    shutdown_clusters()
    DFSFileSystem.clear_instance_cache()


ROWS = [f"{1_000_000 + i % 17}\t{8_000_000 + i % 5}\t{9_000_000 + i}\t{i % 4 + 1}" for i in range(200)]


def test_digest_ignores_order_but_not_content(jb):
    shuffled = ROWS[:]
    random.Random(1).shuffle(shuffled)
    assert jb.digest_lines(ROWS) == jb.digest_lines(shuffled)
    assert jb.digest_lines(ROWS) != jb.digest_lines(ROWS[:-1])
    swapped = ROWS[:-1] + [ROWS[0]]  # same count, one row duplicated instead of another
    assert jb.digest_lines(swapped).rows == len(ROWS)
    assert jb.digest_lines(swapped) != jb.digest_lines(ROWS)
    assert jb.digest_lines([]) == jb.Digest(0, 0)


def test_verify_names_the_strategy_with_a_wrong_row_set(jb):
    wrong = ROWS[:]
    wrong[7] = wrong[7].replace("\t1\n", "\t2\n")[:-1] + "9"  # one changed parent_level
    digests = {
        "mr_singleton": jb.digest_lines(ROWS),
        "mr_reduce_side": jb.digest_lines(reversed(ROWS)),
        "mr_replicated": jb.digest_lines(wrong),
    }
    with pytest.raises(jb.ChecksumMismatch, match="mr_replicated"):
        jb.verify(digests, "wp")
    jb.verify({k: v for k, v in digests.items() if k != "mr_replicated"}, "wp")


def test_block_size_scales_like_the_data(jb):
    assert jb.block_size_for(1) == 64 * 1024 * 1024
    assert jb.block_size_for(0.001) == 67072  # 67108.864 rounded to a multiple of 512
    for scale in (0.0001, 0.003, 0.01, 0.37):
        size = jb.block_size_for(scale)
        assert size % 512 == 0 and abs(size - 64 * 2**20 * scale) <= 256
    assert jb.block_size_for(1e-9) == 512


def _expected_rows(data_dir_lines):
    annotations, relation = data_dir_lines
    ancestors = collections.defaultdict(int)
    for line in relation:
        ancestors[line.split("\t")[1]] += 1
    return sum(ancestors.get(line.split("\t")[0], 0) for line in annotations)


def _read_table(fs, url):
    lines = []
    for name in sorted(fs.ls(url, detail=False)):
        if name.rsplit("/", 1)[-1].startswith("part-"):
            lines += fs.cat_file(name).decode().splitlines()
    return lines


def test_benchmark_on_the_dfs_reports_verified_rows_with_scaled_blocks(jb, cluster, tmp_path, capsys):
    out = tmp_path / "report"
    code = jb.main(["--scale", "0.00005", "--profiles", "wp", "--repeat", "1",
                    "--strategies", "mr_singleton,mr_reduce_side,mr_replicated,sqlite,pig_replicated,pig_hash",
                    "--data", "dfs:///bench", "--out", str(out), "--no-chart"])
    assert code == 0, capsys.readouterr().err
    fs = cluster.fs
    data = "/bench/scale-5e-05-seed-1"
    rel_file = f"{data}/relation/part-00000"
    assert fs.info(rel_file)["blocksize"] == jb.block_size_for(0.00005) == 3584
    expected = _expected_rows((_read_table(fs, f"{data}/annotations_wp"), _read_table(fs, f"{data}/relation")))
    with open(out / "join_table.csv", encoding="utf-8") as f:
        rows = {r["strategy"]: r for r in csv.DictReader(f)}
    for label in ("MR singleton", "MR reduce-side", "MR replicated", "SQLite (study: MySQL)"):
        assert int(rows[label]["output_rows"]) == expected, label
        assert float(rows[label]["median_s"]) > 0
    assert int(rows["MR replicated"]["reduces"]) == 0
    assert int(rows["MR singleton"]["maps"]) >= 20  # ~28 blocks of annotations, as in the study
    assert rows["MR singleton"]["study_s"] == "19.00"
    common = ("MR singleton", "MR reduce-side", "SQLite (study: MySQL)")  # ran, with study figures
    fastest = min(common, key=lambda c: float(rows[c]["median_s"]))
    assert rows[fastest]["normalised"] == "1.00"
    assert all(float(rows[c]["normalised"]) >= 1.0 for c in common)
    assert float(rows["MR replicated"]["normalised"]) > 0
    assert rows["MR reduce-side"]["study_normalised"] == f"{36 / 19:.2f}"  # over the same set
    assert rows["SQLite (study: MySQL)"]["study_normalised"] == f"{42 / 19:.2f}"
    for label in ("Pig replicated", "Pig hash"):  # Pig is part of the project: it must run
        assert not rows[label]["note"], rows[label]["note"]
        assert int(rows[label]["output_rows"]) == expected, label
    assert "| wp | MR singleton |" in (out / "join_table.md").read_text()


def test_benchmark_refuses_to_report_when_a_strategy_is_wrong(jb, cluster, tmp_path, capsys, monkeypatch):
    real = jb.RUNNERS["mr_replicated"]

    def wrong_replicated(bench, strategy, ann, rel, out):
        outcome = real(bench, strategy, ann, rel, out)
        fs = cluster.fs
        part = min(p for p in fs.ls(out, detail=False) if p.rsplit("/", 1)[-1].startswith("part-"))
        lines = fs.cat_file(part).decode().splitlines()
        fs.pipe_file(part, ("\n".join(lines[1:]) + "\n").encode())  # drop one row
        return outcome

    monkeypatch.setitem(jb.RUNNERS, "mr_replicated", wrong_replicated)
    out = tmp_path / "report"
    code = jb.main(["--scale", "0.00005", "--profiles", "wp", "--repeat", "1", "--executor", "local",
                    "--strategies", "mr_singleton,mr_reduce_side,mr_replicated",
                    "--data", "dfs:///bench", "--out", str(out), "--no-chart"])
    err = capsys.readouterr().err
    assert code == 1
    assert "strategies disagree" in err and "mr_replicated" in err
    assert not (out / "join_table.csv").exists()


def test_a_failing_pig_script_fails_the_benchmark(jb, tmp_path, capsys, monkeypatch):
    broken = tmp_path / "broken.pig"
    broken.write_text("A = LOAD '$annotations' AS (c:chararray);\nB = JION A BY c;\n")
    monkeypatch.setitem(jb.PIG_SCRIPTS, "pig_hash", str(broken))
    out = tmp_path / "report"
    code = jb.main(["--scale", "0.00005", "--profiles", "wp", "--repeat", "1", "--executor", "local",
                    "--strategies", "mr_singleton,pig_hash", "--data", str(tmp_path / "d"),
                    "--out", str(out), "--no-chart"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1].startswith("join_benchmark: Pig pig_hash failed") and "ERROR 1200" in err[-1]
    assert not (out / "join_table.csv").exists()  # nothing reported


def test_replicated_sweep_grows_the_relation_in_blocks(jb, tmp_path, capsys):
    out = tmp_path / "report"
    code = jb.main(["--scale", "0.0005", "--profiles", "wp", "--repeat", "1", "--executor", "local",
                    "--sweep", "replicated", "--sweep-blocks", "1,4", "--data", str(tmp_path / "d"),
                    "--out", str(out), "--no-chart"])
    assert code == 0, capsys.readouterr().err
    with open(out / "sweep_replicated.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2
    small, large = (float(r["relation_blocks"]) for r in rows)
    assert 0.7 < small < 1.3 and 3 < large < 5  # the generator hits the asked relation size
    assert all(float(r["replicated_s"]) > 0 and float(r["hash_s"]) > 0 for r in rows)
    assert all(r["faster"] in (r["replicated"], r["hash"]) for r in rows)


def test_sweep_point_below_the_generator_minimum_is_one_clear_line(jb, tmp_path, capsys):
    code = jb.main(["--scale", "0.00005", "--sweep", "replicated", "--sweep-blocks", "0.5",
                    "--executor", "local", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1].startswith("join_benchmark: sweep point 0.5 blocks") and "--scale" in err[-1]


def test_semantic_expansion_script_counts_distinct_elements_per_ancestor(tmp_path):
    from piglatin import launcher
    from tests.jobs.test_joins import handmade, write_lines

    annotations, relation = handmade(seed=4)
    ann = write_lines(tmp_path / "ann" / "part-00000", annotations)
    rel = write_lines(tmp_path / "rel" / "part-00000", relation)
    ancestors = collections.defaultdict(set)
    for line in relation:
        _, concept, parent, _ = line.split("\t")
        ancestors[concept].add(parent)
    reached = collections.defaultdict(set)
    for line in annotations:
        concept, element = line.split("\t")[:2]
        for parent in ancestors.get(concept, ()):
            reached[parent].add(element)
    expected = sorted(((p, len(e)) for p, e in reached.items()), key=lambda t: (-t[1], t[0]))
    script = SCRIPT.parent / "semantic_expansion.pig"
    out = tmp_path / "counts"
    code = launcher.run_script(script.read_text(), "local",
                               {"annotations": ann, "relation": rel, "out": str(out)},
                               cwd=str(script.parent))
    assert code == 0
    got = []
    for part in sorted(out.glob("part-*")):
        got += [tuple(line.split("\t")) for line in part.read_text().splitlines()]
    assert [(p, int(n)) for p, n in got] == expected  # ORDER BY elements DESC, ancestor


def test_charts_are_png_files_when_matplotlib_is_installed(jb, tmp_path):
    pytest.importorskip("matplotlib")
    measured = [jb.Measured("pm", s, [t], 10, 2, 100) for s, t in
                (("mr_singleton", 2.0), ("mr_reduce_side", 3.0), ("sqlite", 1.0))]
    rows = jb.table_rows(measured)
    assert jb.bar_chart(rows, tmp_path / "figure.png")
    sweep = [{"relation_blocks": b, "replicated": "Pig replicated", "replicated_s": r,
              "hash": "Pig hash", "hash_s": h} for b, r, h in (("0.5", "1", "2"), ("8", "4", "2"))]
    assert jb.sweep_chart(sweep, tmp_path / "sweep.png")
    for name in ("figure.png", "sweep.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
