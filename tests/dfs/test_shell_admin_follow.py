"""`dfsadmin -report`'s datanode lines, `dfsadmin -safemode` in the embedded mode, and
`fs -tail -f` (issue 16, item 13's leftovers).

Expected text is Hadoop's: DatanodeInfo.getDatanodeReport (Hadoop 3) for a report's node
section (``Name: IP:port (hostname)``, ``Hostname:``, ``Rack:``, ..., the cache lines with no
cache configured: ``Cache Used%: 100.00%``, ``Cache Remaining%: 0.00%``, ``Num of Blocks:``),
DFSAdmin's ``Safe mode is ON|OFF`` and FSNamesystem's "Name node is in safe mode", and
fs/shell/Tail's ``-f``: the last kilobyte, then whatever is appended, until interrupted.
Block counts are checked against fsck's own listing of replicas, not against the report.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.dfs.test_shell import Hadoop, local, payload


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    h = Hadoop(monkeypatch, str(tmp_path / "home"))
    assert h("namenode", "-format").exit_code == 0
    return h


# ---- dfsadmin -report ----------------------------------------------------------------------------
def test_report_names_each_datanode_by_ip_and_port_with_hadoops_fields(hadoop, tmp_path):
    data = local(tmp_path, "d", payload(300_000))
    r = hadoop.fs("-D", "dfs.blocksize=65536", "-put", str(data), "/d")
    assert r.exit_code == 0, r.output
    fsck = hadoop("fsck", "/d", "-files", "-blocks", "-racks")
    held: dict[str, int] = {}
    for node in re.findall(r"/rack\d+/(dn\d+)", fsck.stdout):
        held[node] = held.get(node, 0) + 1
    assert sum(held.values()) == 5 * 3  # 300,000 bytes in 64 KiB blocks, 3 replicas each

    r = hadoop("dfsadmin", "-report")
    assert r.exit_code == 0, r.output
    sections = r.stdout.split("Live datanodes (4):\n\n", 1)[1].split("\n\n")
    names = []
    for i, section in enumerate(s for s in sections if s.startswith("Name: ")):
        lines = section.splitlines()
        m = re.fullmatch(r"Name: (\d+\.\d+\.\d+\.\d+):(\d+) \((dn\d)\)", lines[0])
        assert m, lines[0]
        ip, port, host = m.groups()
        names.append(f"{ip}:{port}")
        assert host == f"dn{i}" and int(port) > 0
        assert lines[1] == f"Hostname: {host}"
        assert lines[2] == f"Rack: /rack{i // 2}"
        keys = [line.split(":", 1)[0] for line in lines]
        assert keys[3:] == [
            "Decommission Status ",
            "Configured Capacity",
            "DFS Used",
            "Non DFS Used",
            "DFS Remaining",
            "DFS Used%",
            "DFS Remaining%",
            "Configured Cache Capacity",
            "Cache Used",
            "Cache Remaining",
            "Cache Used%",
            "Cache Remaining%",
            "Last contact",
            "Num of Blocks",
        ], section
        assert "Cache Used%: 100.00%" in lines and "Cache Remaining%: 0.00%" in lines
        assert lines[-1] == f"Num of Blocks: {held.get(host, 0)}"
    assert len(names) == 4 and len(set(names)) == 4, names  # one distinct name per node


def test_report_top_has_hadoops_block_lines(hadoop):
    r = hadoop("dfsadmin", "-report")
    head = r.stdout.split("-------------------------------------------------")[0]
    for line in (
        "Under replicated blocks: 0",
        "Blocks with corrupt replicas: 0",
        "Missing blocks: 0",
        "Missing blocks (with replication factor 1): 0",
    ):
        assert line in head.splitlines(), head


# ---- dfsadmin -safemode in the embedded mode -----------------------------------------------------
def test_safe_mode_entered_by_hand_lasts_across_embedded_commands(hadoop, tmp_path):
    f = local(tmp_path, "f", b"x\n")
    assert hadoop("dfsadmin", "-safemode", "enter").stdout == "Safe mode is ON\n"
    assert hadoop("dfsadmin", "-safemode", "get").stdout == "Safe mode is ON\n"
    r = hadoop.fs("-put", str(f), "/f")
    assert r.exit_code == 1
    assert "Name node is in safe mode" in r.stderr, r.stderr
    assert "It was turned on manually" in r.stderr, r.stderr
    assert hadoop.fs("-test", "-e", "/f").exit_code == 1  # nothing was written
    assert hadoop.fs("-ls", "/").exit_code == 0  # reading works
    r = hadoop("dfsadmin", "-safemode", "leave", user="bob")  # superuser only
    assert r.exit_code == 1 and "Superuser privilege is required" in r.stderr, r.output
    assert hadoop("dfsadmin", "-safemode", "get").stdout == "Safe mode is ON\n"
    assert hadoop("dfsadmin", "-safemode", "leave").stdout == "Safe mode is OFF\n"
    assert hadoop("dfsadmin", "-safemode", "get").stdout == "Safe mode is OFF\n"
    assert hadoop.fs("-put", str(f), "/f").exit_code == 0


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, MINIHADOOP_HOME=str(home), HADOOP_USER_NAME="alice")
    env.pop("MINIHADOOP_CONF_DIR", None)
    return env


def _hadoop_proc(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dfs.cli", *args],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def test_safemode_wait_returns_when_another_command_leaves(hadoop, tmp_path):
    home = tmp_path / "home"
    assert hadoop("dfsadmin", "-safemode", "enter").exit_code == 0
    waiting = _hadoop_proc(home, "dfsadmin", "-safemode", "wait")
    try:
        time.sleep(1.0)
        assert waiting.poll() is None, waiting.communicate()  # still waiting
        assert hadoop("dfsadmin", "-safemode", "leave").stdout == "Safe mode is OFF\n"
        out, err = waiting.communicate(timeout=20)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()
    assert (waiting.returncode, out) == (0, b"Safe mode is OFF\n"), err


# ---- fs -tail -f ------------------------------------------------------------------------------
def _read_until(proc: subprocess.Popen, wanted: bytes, timeout: float) -> bytes:
    """Read `proc`'s stdout until it holds `wanted` (or the time is up)."""
    os.set_blocking(proc.stdout.fileno(), False)
    got, end = b"", time.monotonic() + timeout
    while wanted not in got and time.monotonic() < end:
        chunk = proc.stdout.read()
        if chunk:
            got += chunk
        else:
            time.sleep(0.05)
    return got


def test_tail_f_follows_what_is_appended(hadoop, tmp_path):
    home = tmp_path / "home"
    first = b"".join(b"line %04d\n" % i for i in range(200))  # 2,000 bytes
    assert hadoop.fs("-put", str(local(tmp_path, "log", first)), "/log").exit_code == 0
    follow = _hadoop_proc(home, "fs", "-tail", "-f", "-s", "100", "/log")
    try:
        got = _read_until(follow, first[-1024:], timeout=20)
        assert got == first[-1024:]  # the last kilobyte, as plain -tail
        more = local(tmp_path, "more", b"appended one\nappended two\n")
        r = hadoop.fs("-appendToFile", str(more), "/log")
        assert r.exit_code == 0, r.output
        got += _read_until(follow, b"appended two\n", timeout=20)
        assert got == first[-1024:] + b"appended one\nappended two\n"
        assert follow.poll() is None  # still following
        follow.send_signal(signal.SIGINT)  # Ctrl-C ends it
        out, err = follow.communicate(timeout=20)
    finally:
        if follow.poll() is None:
            follow.kill()
            follow.wait()
    assert b"Traceback" not in err, err
    assert follow.returncode == 130, err


def test_tail_s_needs_f_and_a_number(hadoop, tmp_path):
    assert hadoop.fs("-put", str(local(tmp_path, "x", b"abc")), "/x").exit_code == 0
    r = hadoop.fs("-tail", "-s", "abc", "-f", "/x")
    assert r.exit_code == 255 and "-s" in r.stderr, r.output
    r = hadoop.fs("-tail", "-s", "100", "/x")  # without -f: plain tail, as Hadoop
    assert (r.exit_code, r.stdout) == (0, "abc")
