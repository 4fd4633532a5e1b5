"""docs/architecture.md stays true to the code: its commands run as written, print what the page
says they print, and every module, class and function it names exists.

The page runs once, through tests/docrun.py, shared with tests/test_docs.py (which judges that
every block succeeds). What a block prints is checked here against the page's own comments
and prose, with independent answers where the page states facts (the
byte offset of a line, which part file holds it, the sort order, that Spilled Records equals
Map output records when nothing spills). The concept table and every dotted name in backticks
are resolved against the code; the layering the page promises (piglatin -> mapred -> dfs) is
checked over every import, late ones included. About 8 s.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.docrun import PageRun, blocks, page_run, run_code

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"


def counter(out: str, name: str, absent: int | None = None) -> int:
    found = re.findall(rf"^\s+{re.escape(name)}=(\d+)$", out, re.M)
    if not found and absent is not None:  # Hadoop prints no counter that stayed 0
        return absent
    assert len(found) == 1, f"{name} printed {len(found)} times:\n{out}"
    return int(found[0])


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> PageRun:
    """The page's run, shared with tests/test_docs.py (which judges every block)."""
    run = page_run(PAGE, tmp_path_factory)
    assert not run.problems, run.problems[0].problem + "\n" + run.problems[0].where()
    return run


def test_the_page_has_its_blocks():
    langs = [b.lang for b in blocks(PAGE.read_text())]
    assert langs.count("bash") >= 2 and langs.count("python") >= 1, langs


def test_the_dfs_commands_show_the_blocks(ran):
    out = ran.output_of("hadoop fsck /lines.txt")
    assert "4 block(s)" in out and "Status: HEALTHY" in out, out  # "4 block(s), 3 replicas each"
    replicas = re.findall(r"^\d+\. \S+ len=\d+ Live_repl=(\d+)\s+\[(.*)\]$", out, re.M)
    assert [n for n, _ in replicas] == ["3"] * 4, out
    for _, nodes in replicas:  # "2 racks": every block on both
        assert {r for r in re.findall(r"/(rack\d+)/", nodes)} == {"rack0", "rack1"}, out
    text = (ran.work / "lines.txt").read_bytes()
    assert len(text) == 208_894  # "208,894 bytes"
    start = text.index(b"line 12345\n")  # "starts at byte 124,678, in the second block"
    assert start == 124_678 and 65_536 <= start < 131_072


def test_history_shows_data_local_maps_on_their_blocks_nodes(ran):
    """Each data-local MAP attempt ran on a node fsck lists for its split's block (map i reads
    block i: one split per block); reduces have no locality."""
    fsck = ran.output_of("hadoop fsck /lines.txt")
    holders = {
        int(i): set(re.findall(r"/rack\d+/(dn\d+)", nodes))
        for i, nodes in re.findall(r"^(\d+)\. \S+ len=\d+ Live_repl=\d+\s+\[(.*)\]$", fsck, re.M)
    }
    out = ran.output_of("hadoop job -history")
    assert "Status: SUCCEEDED" in out and "JobName: Sort" in out, out
    attempts = re.findall(
        r"^(MAP|REDUCE)\t\S+_([mr])_(\d+)_\d\ttracker_(\S+)\t(\S+)\t(\S+)\t", out, re.M
    )
    maps = [
        (int(i), tracker, host, loc) for kind, _, i, tracker, host, loc in attempts if kind == "MAP"
    ]
    assert sorted(i for i, *_ in maps) == [0, 1, 2, 3], out
    for i, tracker, host, locality in maps:
        assert tracker == host  # one TaskTracker per DataNode, same name
        if locality == "data-local":
            assert host in holders[i], f"map {i} on {host}, block {i} on {holders[i]}"
    assert sum(loc == "data-local" for *_, loc in maps) >= 2, out
    assert [loc for kind, *_, loc in attempts if kind == "REDUCE"] == ["-", "-"], out


def test_the_job_prints_what_the_page_says(ran):
    out = ran.output_of("hadoop jar jobs.sort")
    assert "completed successfully" in out, out
    assert counter(out, "Launched map tasks") == 4  # one per block
    local = counter(out, "Data-local map tasks")  # 4, some rack-local on a busy machine
    assert local + counter(out, "Rack-local map tasks", 0) == 4 and local >= 2, out
    assert counter(out, "Map output records") == 20_000
    assert counter(out, "Reduce input records") == 20_000
    assert counter(out, "Spilled Records") > 20_000  # "well above 20,000": spills and merges
    listed = re.findall(r" /sorted/(\S+)$", out, re.M)
    assert sorted(listed) == ["_SUCCESS", "part-r-00000", "part-r-00001"], out


def test_no_spill_means_spilled_records_equal_map_output(ran):
    """The page: with a buffer big enough, Spilled Records equals Map output records."""
    command = next(
        line for line in ran.code_of("hadoop jar jobs.sort").splitlines() if "jar" in line
    )
    command = command.replace("/sorted", "/sorted_big").replace("=16k", "=100")
    done = run_code("bash", command, ran.work, ran.env, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert counter(out, "Spilled Records") == counter(out, "Map output records") == 20_000


def test_the_python_block_reads_the_sorted_output(ran):
    out = ran.output_of("fsspec.filesystem")
    assert "2 part files, 20000 lines, sorted: True" in out, out
    assert "line 12345 is in /sorted/part-r-00000" in out, out
    # independently: the sorted lines, and where the page's line falls among them
    lines = sorted((ran.work / "lines.txt").read_text().splitlines())
    assert len(lines) == 20_000 and "line 12345" in lines


def test_a_job_of_your_own_counts_first_digits(ran):
    """The page's FirstDigit job against an independent count of the file's first digits."""
    out = ran.output_of("class FirstDigit(Job)")
    lines = (ran.work / "lines.txt").read_text().splitlines()
    wanted = sorted((d, str(n)) for d, n in Counter(x.split()[1][0] for x in lines).items())
    # what reaches the reducer after combining: one record per (split, first digit), the splits
    # being the 64 KiB blocks, a line belonging to the split its first byte lies in
    per_split, offset = [set() for _ in range(4)], 0
    for line in lines:
        per_split[offset // 65536].add(line.split()[1][0])
        offset += len(line) + 1
    shipped = sum(map(len, per_split))
    assert [len(d) for d in per_split] == [9, 5, 1, 2] and shipped == 17  # as the page says
    assert out.splitlines() == [f"SUCCEEDED {wanted}", f"20000 -> {shipped}"], out
    assert wanted[:3] == [("1", "11111"), ("2", "1112"), ("3", "1111")]  # as the page says


def test_explain_shows_the_plans(ran):
    out = ran.output_of("EXPLAIN counts")
    for text in (
        "MapReduce node job1 (group, reducers estimated at launch from the input size)",
        "Combine Plan",
        "def map0_batch",
        "COUNT.Initial",
        "COUNT.Intermediate",
        "COUNT.Final",
        "Local Rearrange",
    ):
        assert text in out, f"{text!r} missing:\n{out}"


def _defined(path: Path) -> set[str]:
    return {
        n.name
        for n in ast.parse(path.read_text()).body
        if isinstance(n, (ast.FunctionDef, ast.ClassDef))
    }


def test_the_concept_table_names_real_code():
    rows = [r for r in PAGE.read_text().splitlines() if r.startswith("| ") and ".py`: `" in r]
    assert len(rows) >= 25, rows
    for row in rows:
        cell = row.split("|")[2]
        # "`dfs/namenode.py`: `NameNode`; `dfs/namespace.py`: `Namespace`, `INodeFile`"
        for part in cell.split(";"):
            names = re.findall(r"`([^`]+)`", part)
            path = ROOT / names[0]
            assert path.is_file(), f"{names[0]} (in {row})"
            missing = set(names[1:]) - _defined(path)
            assert not missing, f"{sorted(missing)} not defined in {names[0]}"


def test_every_file_and_dotted_name_exists():
    text = PAGE.read_text()
    named = r"`((?:dfs|mapred|piglatin|jobs|tests)/[\w/]+\.(?:py|lark))`"
    for path in set(re.findall(named, text)):
        assert (ROOT / path).is_file(), path
    for short in set(re.findall(r"`(\w+\.py)`", text)):  # "`namenode.py`" in a package's list
        assert list(ROOT.glob(f"*/{short}")) or list(ROOT.glob(f"*/*/{short}")), short
    for dotted in set(re.findall(r"`((?:dfs|mapred|piglatin)\.[\w.]+)", text)):
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                assert hasattr(obj, attr), f"{dotted}: no {attr}"
                obj = getattr(obj, attr)
            break


def test_the_layers_import_one_way():
    """dfs/ imports neither mapred nor piglatin; mapred/ does not import piglatin."""
    forbidden = {"dfs": ("mapred", "piglatin"), "mapred": ("piglatin",)}
    for package, banned in forbidden.items():
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                else:
                    continue
                bad = [n for n in names if n.split(".")[0] in banned]
                assert not bad, f"{path.relative_to(ROOT)}:{node.lineno} imports {bad}"


def test_the_page_is_self_contained_and_linked():
    text = PAGE.read_text()
    assert "../shared" not in text and "DESIGN.md" not in text  # a clone has neither
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(), "the README links it"
