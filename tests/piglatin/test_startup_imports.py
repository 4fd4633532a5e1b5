"""What a `pig -x local` command imports for a plain script: nothing a rarer feature needs.

Structure only (no timing): a module imported at start-up costs every command its loading, its
classes and its regular expressions, whether the script uses it or not. Each module below is
needed by one feature (STREAM, forked task children, ILLUSTRATE, EXPLAIN, a failing command's
suggestions, commands run from a script, the grammar's rebuild, multi-query plans, ORDER's
sampler, dfs:// paths); a script that uses none of them must not import it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RARE = (
    "piglatin.back.streaming",
    "mapred.child",
    "piglatin.back.illustrate",
    "piglatin.back.explain",
    "piglatin.tools.grunt",
    "piglatin.back.multiquery",
    "mapred.sampler",
    "difflib",
    "subprocess",
    "fsspec",
    "socket",
    "piglatin.commands.localshell",  # local-mode fs -test/-tail/...: only when one runs
    "dfs.protocol",
)

_PROBE = """
import json, sys
from piglatin.tools.cli import main
status = main(["-x", "local", "-l", sys.argv[2], sys.argv[1]])
print(json.dumps([status, sorted(sys.modules)]))
"""


def _modules_after(script: str, tmp_path: Path) -> tuple[int, set[str]]:
    path = tmp_path / "q.pig"
    path.write_text(script)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), str(tmp_path / "logs")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    status, modules = json.loads(run.stdout.strip().splitlines()[-1])
    return status, set(modules)


def test_a_plain_group_imports_no_rare_feature(tmp_path: Path) -> None:
    data = tmp_path / "in.txt"
    data.write_text("1\ta\n2\tb\n3\ta\n")
    out = tmp_path / "out"
    status, modules = _modules_after(
        f"A = LOAD '{data}' AS (x:int, y:chararray);\n"
        "B = GROUP A BY y;\n"
        "C = FOREACH B GENERATE group, COUNT(A), SUM(A.x);\n"
        f"STORE C INTO '{out}';\n",
        tmp_path,
    )
    assert status == 0
    rows = sorted((out / "part-r-00000").read_text().splitlines())
    assert rows == ["a\t2\t4", "b\t1\t2"]
    assert "piglatin.launcher" in modules  # the probe did run a job in this process
    assert sorted(set(RARE) & modules) == []


def test_a_stream_script_imports_streaming(tmp_path: Path) -> None:
    """The other side: the feature's module does load when a script uses it."""
    data = tmp_path / "in.txt"
    data.write_text("1\ta\n2\tb\n")
    out = tmp_path / "out"
    status, modules = _modules_after(
        f"A = LOAD '{data}' AS (x:int, y:chararray);\n"
        "B = STREAM A THROUGH `cat`;\n"
        f"STORE B INTO '{out}';\n",
        tmp_path,
    )
    assert status == 0
    assert sorted((out / "part-m-00000").read_text().splitlines()) == ["1\ta", "2\tb"]
    assert "piglatin.back.streaming" in modules
