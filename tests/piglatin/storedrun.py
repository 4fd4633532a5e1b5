"""Running a script for a test: the lines its STORE wrote and its warnings (`stored_run`), or
the lines its DUMP and DESCRIBE printed (`printed_lines`)."""

from __future__ import annotations

import io
from pathlib import Path

from piglatin.launcher import PigServer, run_script


def stored_run(tmp: Path, script: str, out: str) -> tuple[list[str], dict]:
    """Run `script` in `tmp` with ``OUT`` replaced by `out`; the lines of out's part files in
    part order, and the run's ``org.apache.pig.PigWarning`` counters."""
    with PigServer("local", cwd=tmp, out=io.StringIO()) as server:
        server.register_script(script.replace("OUT", out))
        counters = server.stats[0]["counters"].to_dict()
    stored = []
    for part in sorted((tmp / out).glob("part-*")):
        stored += part.read_text().split("\n")[:-1]
    return stored, counters.get("org.apache.pig.PigWarning", {})


def printed_lines(tmp: Path, files: dict[str, str], script: str, mode: str = "local") -> list[str]:
    """The lines DUMP and DESCRIBE print for `script` run in `mode` over `files` (name ->
    text, written into `tmp`, folders made)."""
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    out = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="script.pig", out=out) == 0
    return out.getvalue().splitlines()
