"""func.xml "Handling Compression": PigStorage reads and writes gzip and bzip2; a STORE into
a path ending in .gz (or .bz2/.bz) writes compressed part files (PigStorage.setStoreLocation:
GzipCodec / BZip2Codec, part-m-00000.gz), and a LOAD reads them back. Checked with Python's
gzip/bz2 against the plain text of the rows."""

from __future__ import annotations

import bz2
import gzip
import io
from pathlib import Path

import pytest

from piglatin.launcher import run_script

ROWS = [("a", 1), ("b", 2), ("c", 3)]
TEXT = "".join(f"{k}\t{v}\n" for k, v in ROWS)


def run(tmp: Path, script: str, mode: str = "local") -> list[str]:
    (tmp / "in.txt").write_text(TEXT)
    out = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="c.pig", out=out) == 0
    return out.getvalue().splitlines()


@pytest.mark.parametrize(("suffix", "opener"), [(".gz", gzip.open), (".bz2", bz2.open)])
def test_store_into_a_compressed_path(tmp_path: Path, suffix: str, opener) -> None:
    run(tmp_path, f"A = LOAD 'in.txt' AS (k:chararray, v:int);\nSTORE A INTO 'out{suffix}';")
    parts = sorted((tmp_path / f"out{suffix}").glob("part-*"))
    assert [p.name for p in parts] == [f"part-m-00000{suffix}"]
    with opener(parts[0], "rt") as f:
        assert f.read() == TEXT


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
@pytest.mark.parametrize("suffix", [".gz", ".bz2"])
def test_compressed_output_loads_back(tmp_path: Path, mode: str, suffix: str) -> None:
    script = (
        "A = LOAD 'in.txt' AS (k:chararray, v:int);\nB = GROUP A BY k;\n"
        "C = FOREACH B GENERATE group, SUM(A.v);\n"
        f"STORE C INTO 's_{tmp_path.name}{suffix}';\n"
        f"D = LOAD 's_{tmp_path.name}{suffix}' AS (k:chararray, s:long);\n"
        "E = FOREACH D GENERATE k, s * 10;\nDUMP E;"
    )
    assert sorted(run(tmp_path, script, mode)) == [f"({k},{v * 10})" for k, v in ROWS]


def test_other_paths_and_functions_stay_plain(tmp_path: Path) -> None:
    run(tmp_path, "A = LOAD 'in.txt' AS (k:chararray, v:int);\nSTORE A INTO 'plain';\n"
        "STORE A INTO 'j.gz' USING JsonStorage();")  # fmt: skip
    assert (tmp_path / "plain" / "part-m-00000").read_text() == TEXT
    assert (tmp_path / "j.gz" / "part-m-00000").read_text().startswith('{"k":"a"')


def test_a_compressed_store_beside_another_store_of_the_same_input(tmp_path: Path) -> None:
    """Two STOREs of one LOAD would run as one merged job (multi-query); the compressed one
    keeps its own job so its parts are still gzip."""
    run(tmp_path, "A = LOAD 'in.txt' AS (k:chararray, v:int);\nB = FILTER A BY v > 1;\n"
        "STORE A INTO 'all.gz';\nSTORE B INTO 'some';")  # fmt: skip
    with gzip.open(tmp_path / "all.gz" / "part-m-00000.gz", "rt") as f:
        assert f.read() == TEXT
    assert (tmp_path / "some" / "part-m-00000").read_text() == "b\t2\nc\t3\n"
