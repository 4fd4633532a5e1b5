"""tools/startup.py: in the `pig` process itself (a console script named `pig` importing cli,
as setup.cfg's entry point writes it, or ``python -m piglatin.tools.cli``) the collector waits
from cli's import on and runs again, frozen, once the run starts; any other importer of cli
keeps its collector. The answers are gc's own (``gc.isenabled``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """\
import gc
import sys
from piglatin.tools.cli import main
print("after import", gc.isenabled())
status = main(["-x", "local", "-e", "A = LOAD 'in.txt' AS (n:int); DUMP A;"])
print("after main", gc.isenabled(), status)
"""


def _run(script: Path, cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("after")]


def test_the_pig_process_holds_the_collector_from_clis_import(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("1\n")
    (tmp_path / "pig").write_text(PROBE)
    assert _run(tmp_path / "pig", tmp_path) == ["after import False", "after main True 0"]


def test_another_importer_keeps_its_collector(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("1\n")
    (tmp_path / "embedding.py").write_text(PROBE)
    lines = _run(tmp_path / "embedding.py", tmp_path)
    assert lines == ["after import True", "after main True 0"]
