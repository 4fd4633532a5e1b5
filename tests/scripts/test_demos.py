"""The demo scripts clean up after themselves (issue 16 item 12): a temporary cluster is removed
at exit unless --keep, and a kept one is named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _demo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo_dfs.py"), "--size", "20000", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_the_dfs_demo_removes_its_temporary_cluster(tmp_path):
    run = _demo(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "identical" in run.stdout
    assert list((tmp_path / "tmp").iterdir()) == []  # the old code left minihadoop-demo-*
    assert "removed the demo cluster" in run.stdout.splitlines()[-1]


@pytest.mark.slow
def test_the_dfs_demo_keeps_its_cluster_when_asked(tmp_path):
    run = _demo(tmp_path, "--keep")
    assert run.returncode == 0, run.stderr
    (kept,) = (tmp_path / "tmp").iterdir()
    assert (kept / "namenode").is_dir()
    assert run.stdout.splitlines()[-1].startswith(f"the demo cluster is in {kept}: ")
