"""``hadoop stop-cluster`` signals every daemon at once and waits for all (issue 16 leftover:
one after another, ten daemons took 18-20 s). The guarantees stay: each daemon gets SIGTERM and
time to shut down cleanly, the NameNode stops only after every other daemon has (the datanodes'
last reports reach it), and a daemon that ignores SIGTERM is killed after the bounded wait.

The daemons here are stand-ins that hold a daemon's lock and pid file like the real ones and
take a set time to stop after SIGTERM; each records when it finished its clean shutdown."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dfs import runfiles
from dfs.conf import Configuration
from dfs.launcher import stop_cluster

STAND_IN = """
import signal, sys, time
from pathlib import Path
from dfs import runfiles
home, name, delay, ignore = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
fd = runfiles.hold_lock(home, name)
runfiles.write_pid(home, name)
asked = []
signal.signal(signal.SIGTERM, lambda *_: asked.append(time.time()))
while not asked or ignore == "ignore":
    time.sleep(0.01)
time.sleep(delay)  # a clean shutdown takes this long
(home / f"{name}.stopped").write_text(f"{asked[0]} {time.time()}")
"""

OTHERS = ["datanode-dn0", "datanode-dn1", "datanode-dn2", "jobtracker", "tasktracker-dn0"]


@pytest.fixture
def daemons(tmp_path):
    """start(name, delay, ignore=False): a stand-in daemon; all are killed at the end."""
    home = tmp_path / "home"
    home.mkdir()
    procs: list[subprocess.Popen] = []

    def start(name: str, delay: float, ignore: bool = False) -> None:
        proc = subprocess.Popen(
            [sys.executable, "-c", STAND_IN, str(home), name, str(delay), str(ignore and "ignore")]
        )
        procs.append(proc)
        threading.Thread(target=proc.wait, daemon=True).start()  # reaped as soon as it exits
        deadline = time.monotonic() + 30
        while not (runfiles.is_running(home, name) and runfiles.read_pid(home, name)):
            assert time.monotonic() < deadline, f"stand-in {name} did not start"
            assert proc.poll() is None, f"stand-in {name} exited with {proc.returncode}"
            time.sleep(0.02)

    yield home, start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _conf(home: Path) -> Configuration:
    return Configuration({"minihadoop.home": str(home)}, load_site=False)


def _stopped_at(home: Path, name: str) -> tuple[float, float]:
    asked, done = (home / f"{name}.stopped").read_text().split()
    return float(asked), float(done)


def test_stop_cluster_signals_all_daemons_then_waits_for_all(daemons):
    home, start = daemons
    for name in ["namenode", *OTHERS]:
        start(name, delay=1.0)
    began = time.monotonic()
    stopped = stop_cluster(_conf(home))
    took = time.monotonic() - began
    assert sorted(stopped) == sorted(["namenode", *OTHERS])
    # one after another this was 6 x 1 s; the others together, then the NameNode: about 2 s
    assert took < 4.0, f"stop-cluster took {took:.1f} s"
    for name in ["namenode", *OTHERS]:
        assert not runfiles.is_running(home, name)
        assert runfiles.read_pid(home, name) is None
    ends = {name: _stopped_at(home, name) for name in ["namenode", *OTHERS]}  # all shut down
    # the NameNode was asked to stop only once every other daemon had finished
    assert ends["namenode"][0] >= max(done for name, (_, done) in ends.items() if name in OTHERS)


def test_a_daemon_that_ignores_sigterm_is_killed_after_the_bounded_wait(daemons):
    home, start = daemons
    start("namenode", delay=0.2)
    start("datanode-dn0", delay=0.2)
    start("datanode-dn1", delay=0.0, ignore=True)
    began = time.monotonic()
    stopped = stop_cluster(_conf(home), wait_s=1.5)
    took = time.monotonic() - began
    assert sorted(stopped) == ["datanode-dn0", "datanode-dn1", "namenode"]
    assert took < 1.5 + 5 + 2  # SIGTERM's wait, SIGKILL's wait, the NameNode's own stop
    assert not runfiles.is_running(home, "datanode-dn1")
    assert not (home / "datanode-dn1.stopped").exists()  # killed, not a clean stop
    assert (home / "datanode-dn0.stopped").exists() and (home / "namenode.stopped").exists()
