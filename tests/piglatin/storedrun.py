"""Running a script in `pig -x local` for a test: the lines its STORE wrote and its warnings."""

from __future__ import annotations

import io
from pathlib import Path

from piglatin.launcher import PigServer


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
