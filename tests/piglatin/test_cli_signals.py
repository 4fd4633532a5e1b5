"""`pig` stopped by SIGTERM (what `hadoop job -kill` and a closed terminal send) kills its
running job: a non-zero exit, no output, no staging directory left beside it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_sigterm_kills_the_running_job_and_publishes_nothing(tmp_path):
    home = os.environ["MINIHADOOP_HOME"]  # the suite's private, formatted home
    (tmp_path / "slow.py").write_text(
        "import time\n\ndef slow(n):\n    time.sleep(0.05)\n    return n\n"
    )
    (tmp_path / "in.txt").write_text("".join(f"{i}\n" for i in range(400)))
    out = tmp_path / "out"
    script = (
        f"REGISTER '{tmp_path / 'slow.py'}' USING jython AS u;\n"
        f"A = LOAD 'file://{tmp_path / 'in.txt'}' AS (n:int);\n"
        "B = FOREACH A GENERATE u.slow(n);\n"
        f"STORE B INTO 'file://{out}';\n"
    )
    env = dict(os.environ, MINIHADOOP_HOME=home, PYTHONPATH=ROOT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "piglatin.tools.cli", "-x", "mapreduce", "-e", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        job_id = _wait_running(home, proc, timeout=60)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0, stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    assert not [p for p in os.listdir(tmp_path) if "_temporary" in p]
    with open(os.path.join(home, "history", f"{job_id}.json"), encoding="utf-8") as f:
        assert json.load(f)["state"] == "KILLED"


def _wait_running(home: str, proc: subprocess.Popen, timeout: float) -> str:
    """The id of a job of `proc` that is RUNNING in the history (bounded wait)."""
    directory = os.path.join(home, "history")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        for name in os.listdir(directory) if os.path.isdir(directory) else []:
            if name.endswith(".json") and f"job_local{proc.pid}_" in name:
                with open(os.path.join(directory, name), encoding="utf-8") as f:
                    try:
                        if json.load(f)["state"] == "RUNNING":
                            return name[: -len(".json")]
                    except ValueError:
                        continue
        time.sleep(0.1)
    raise AssertionError("the Pig job never showed up as RUNNING")
