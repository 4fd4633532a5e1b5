"""A `pig -x local` command run a second time compiles no Python source: the dataclasses'
``__init__`` code and the job's generated pipelines come from the code caches
(dfs/codecache.py), and no module makes a NamedTuple from string annotations (NamedTuple
compiles each one as a typing.ForwardRef). The first compile() of a process also sets up the
compiler's AST types, ~10M instructions a plain run otherwise never pays.

Structure only (no timing): the probe counts the calls of ``compile`` made after start-up,
but for a module's own source (the bytecode cache's business: a module edited since its
``.pyc`` was written is compiled again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import builtins, json, sys
calls = []
real = builtins.compile
def counting(source, filename, *args, **kwargs):
    if not str(filename).endswith(".py"):
        calls.append(str(filename))
    return real(source, filename, *args, **kwargs)
builtins.compile = counting
from piglatin.tools.cli import main
status = main(["-x", "local", "-l", sys.argv[2], sys.argv[1]])
print(json.dumps([status, calls]))
"""


def _compiled(script: Path, logs: Path) -> tuple[int, list[str]]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MINIHADOOP_NO_CODE_CACHE")
    }
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, str(script), str(logs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    status, calls = json.loads(run.stdout.strip().splitlines()[-1])
    return status, calls


def test_a_plain_group_run_again_compiles_nothing(tmp_path: Path) -> None:
    data = tmp_path / "in.txt"
    data.write_text("1\ta\n2\tb\n3\ta\n")
    script = tmp_path / "q.pig"
    results = []
    for out in ("out1", "out2"):
        script.write_text(
            f"A = LOAD '{data}' AS (x:int, y:chararray);\n"
            "B = GROUP A BY y;\n"
            "C = FOREACH B GENERATE group, COUNT(A), SUM(A.x);\n"
            f"STORE C INTO '{tmp_path / out}';\n"
        )
        results.append(_compiled(script, tmp_path / "logs"))
    for out in ("out1", "out2"):
        assert sorted((tmp_path / out / "part-r-00000").read_text().splitlines()) == [
            "a\t2\t4",
            "b\t1\t2",
        ]
    (first_status, _), (status, calls) = results
    assert (first_status, status) == (0, 0)
    assert calls == []
