"""The engine benchmark at a small size (``pytest -m bench``): it runs end to end and checks
every job's output against the plain program before reporting. Never part of the default run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.bench
def test_bench_mapred_small(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            os.path.join(ROOT, "scripts", "bench_mapred.py"),
            "--size",
            "4MB",
            "--join-size",
            "2MB",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=ROOT),
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results) == {"wordcount", "textbook", "join", "trivial"}
    assert results["trivial"]["job_s"] < 5
