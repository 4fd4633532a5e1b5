"""A default-mode script whose jobs keep intermediate outputs on the DFS (the session's
``/tmp/pig-<pid>-...`` directory): the session removes dead sessions' directories there and
runs without importing fsspec (mapred.localfs serves dfs:// URLs: importing fsspec, and its
own DFS client beside the session's, cost a multi-job command ~0.1 s of CPU). Expected rows
are plain Python's answer over the same lines."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter


def test_a_multi_job_script_cleans_dead_sessions_without_fsspec(mini_cluster, tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True, check=True)  # fmt: skip
    dead = f"/tmp/pig-{gone.stdout.strip()}-pig-tmp-{gone.stdout.strip()}-x1y2z3"
    lines = [f"k{i % 5}\t{i}" for i in range(200)]
    (tmp_path / "in.txt").write_text("\n".join(lines) + "\n")
    code = textwrap.dedent(
        f"""
        import io, sys
        from piglatin.launcher import PigServer
        from dfs.files import files_for

        with PigServer("mapreduce", cwd={str(tmp_path)!r}, out=io.StringIO()) as pig:
            pig.register_script(
                "fs -put {tmp_path / "in.txt"} /in.txt; fs -mkdir -p {dead}/part;\\n"
            )
        print(files_for().exists({dead!r}))
        with PigServer("mapreduce", cwd={str(tmp_path)!r}, out=io.StringIO()) as pig:
            pig.register_script(
                "A = LOAD '/in.txt' AS (k:chararray, n:int);\\n"
                "B = GROUP A BY k; C = FOREACH B GENERATE group AS k, SUM(A.n) AS s;\\n"
                "D = ORDER C BY s DESC; STORE D INTO '/out';\\n"
            )
        print(files_for().exists({dead!r}))
        for name in sorted(files_for().ls("/out", detail=False)):
            if name.rsplit("/", 1)[-1].startswith("part-"):
                print(files_for().cat_file(name).decode(), end="")
        print("fsspec" in sys.modules)
        """
    )
    env = {**mini_cluster.env(), "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    sums = Counter()
    for line in lines:
        key, n = line.split("\t")
        sums[key] += int(n)
    expected = [f"{k}\t{s}" for k, s in sorted(sums.items(), key=lambda kv: -kv[1])]
    assert done.stdout.splitlines() == ["True", "False", *expected, "False"]
