"""A replicated join's small side reaches every task through the distributed cache, whose list
of files is comma-separated with Hadoop's ``url#linkname``: a file of the small side whose name
holds a ``#`` or a ``,`` is still read whole (expected rows from plain Python)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines

SMALL = {"small/x#1.txt": "1\ta\n2\tb\n", "small/y,2.txt": "3\tc\n", "small/plain.txt": "4\td\n"}
BIG = "1\n2\n3\n4\n5\n1\n"


@pytest.mark.parametrize("mode", ["local", pytest.param("mapreduce", marks=pytest.mark.slow)])
def test_small_side_files_with_hash_and_comma_in_their_names(tmp_path: Path, mode: str) -> None:
    files = {**SMALL, "big.txt": BIG}
    script = (
        "B = LOAD 'big.txt' AS (x:int);\n"
        "S = LOAD 'small' AS (x:int, v:chararray);\n"
        "J = JOIN B BY x, S BY x USING 'replicated';\nDUMP J;\n"
    )
    lines = printed_lines(tmp_path, files, script, mode)
    small = {}
    for text in SMALL.values():
        for line in text.splitlines():
            k, v = line.split("\t")
            small[int(k)] = v
    big = [int(x) for x in BIG.split()]
    assert sorted(lines) == sorted(f"({x},{x},{small[x]})" for x in big if x in small)
