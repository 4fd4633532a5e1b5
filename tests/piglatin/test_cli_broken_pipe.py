"""`pig ... | head`: a DUMP into a pipe whose reader has gone ends the run as Pig's does (Java's
PrintStream never throws): status 0 and the summary, not ERROR 2999 'Broken pipe' and status 5."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dump_into_a_closed_pipe(tmp_path: Path) -> None:
    data = tmp_path / "big.txt"
    data.write_text(
        "".join(f"line {i} of a text longer than a pipe holds\n" for i in range(60_000))
    )
    script = f"A = LOAD '{data}' AS (l:chararray); DUMP A;"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "piglatin.tools.cli", "-x", "local", "-e", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    first = proc.stdout.readline()  # like `head -1`: one line, then gone
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert first == b"(line 0 of a text longer than a pipe holds)\n"
    assert proc.returncode == 0, text
    assert "Success!" in text and "ERROR" not in text and "Traceback" not in text, text
