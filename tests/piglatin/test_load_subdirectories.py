"""LOAD of a directory reads the files of its subdirectories too, hidden names (_x, .y)
skipped at every level: Pig's PigFileInputFormat.listStatus lists inputs with
MapRedUtil.getAllFileRecursively (hiddenFileFilter). Expected rows from plain Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines as run

FILES = {
    "d/a.txt": "1\n2\n",
    "d/sub/b.txt": "3\n",
    "d/sub/deeper/c.txt": "4\n",
    "d/_x": "90\n",
    "d/sub/.y": "900\n",
    "d/_hidden/e.txt": "9000\n",
    "k": "1\ta\n3\tc\n4\td\n",
}
VISIBLE = [1, 2, 3, 4]


@pytest.mark.parametrize("mode", ["local", pytest.param("mapreduce", marks=pytest.mark.slow)])
def test_a_directory_input_reads_its_subdirectories(tmp_path: Path, mode: str) -> None:
    script = (
        "A = LOAD 'd' AS (x:int);\nDUMP A;\n"
        "G = GROUP A ALL;\nS = FOREACH G GENERATE SUM(A.x);\nDUMP S;\n"
        "K = LOAD 'k' AS (x:int, v:chararray);\n"
        "J = JOIN K BY x, A BY x USING 'replicated';\nDUMP J;\n"
    )
    lines = run(tmp_path, FILES, script, mode)
    n = len(VISIBLE)
    assert sorted(lines[:n]) == sorted(f"({x})" for x in VISIBLE)
    assert lines[n] == f"({sum(VISIBLE)})"
    keys = {1: "a", 3: "c", 4: "d"}
    assert sorted(lines[n + 1 :]) == sorted(f"({x},{keys[x]},{x})" for x in VISIBLE if x in keys)
