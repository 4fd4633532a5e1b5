"""A job on the embedded cluster (no daemons running) does not load the daemons' code: finding
out whether a JobTracker daemon runs reads its run/ files only (the daemon module pulls in the
RPC servers, the shuffle server and every tracker's code: about 0.09 s before the first job),
and placing one tracker per datanode reads the topology without loading the DFS (0.04 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from mapred.runner import run_job
result = run_job("jobs.wordcount:WordCount", [sys.argv[1]], sys.argv[2],
                 {"mapreduce.job.reduces": 1}, "cluster")
assert result.succeeded, result.error
heavy = ("mapred.daemons", "mapred.shuffleserver", "dfs.cluster")
print(sorted(m for m in sys.modules if m in heavy))
"""


def test_an_embedded_job_does_not_import_the_daemons(tmp_path: Path, monkeypatch) -> None:
    """Nor the DFS, on a formatted state directory (its topology is read by dfs.topology)."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    from dfs.cluster import format_cluster
    from dfs.conf import Configuration

    format_cluster(Configuration({"minihadoop.home": str(tmp_path / "home")}, load_site=False))
    assert (tmp_path / "home" / "topology").exists()
    (tmp_path / "in.txt").write_text("a b a\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path / "in.txt"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "out" / "_SUCCESS").exists()
