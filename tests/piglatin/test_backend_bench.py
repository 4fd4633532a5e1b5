"""The Pig-vs-MapReduce benchmark script end to end on tiny data (marked bench: not in the
default run). It checks both sides give the same rows; the timings are only printed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_pig.py"


@pytest.mark.bench
def test_bench_pig_runs_and_agrees(tmp_path: Path, capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_pig", SCRIPT)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    args = [
        "--scale",
        "0.0002",
        "--text",
        "200KB",
        "--repeat",
        "1",
        "--executor",
        "local",
        "--work",
        str(tmp_path),
    ]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "hash join" in out and "group/count" in out
