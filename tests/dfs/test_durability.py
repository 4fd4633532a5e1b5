"""Crash safety: SIGKILL a writer at many moments; acknowledged files survive intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from dfs.editlog import EditLog, read_records
from dfs.minicluster import MiniCluster

WRITER = textwrap.dedent(
    """
    import random, sys
    from dfs.cluster import EmbeddedCluster
    from dfs.conf import Configuration
    conf = Configuration({"minihadoop.home": sys.argv[1], "dfs.blocksize": 65536}, load_site=False)
    client = EmbeddedCluster(conf).client()
    for i in range(10_000):
        data = random.Random(i).randbytes(1000 + (i * 7919) % 200_000)
        tmp = f"/put/f{i}._COPYING_"
        client.write_bytes(tmp, data)          # as `hadoop fs -put` does: write, then rename
        client.rename(tmp, f"/put/f{i}")
        print(i, flush=True)
    """
)


def _expected(i: int) -> bytes:
    import random

    return random.Random(i).randbytes(1000 + (i * 7919) % 200_000)


@pytest.mark.parametrize("kill_after", [0, 1, 3, 8])
def test_sigkill_during_puts_loses_nothing_acknowledged(tmp_path, kill_after):
    mc = MiniCluster(tmp_path)
    mc.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(mc.home)], stdout=subprocess.PIPE,
                            text=True, cwd=os.getcwd())
    acknowledged = []
    deadline = time.monotonic() + 60
    try:
        while len(acknowledged) < kill_after and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(int(line))
        time.sleep(0.003 * kill_after)  # land somewhere inside the next put
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    acknowledged += [int(x) for x in out.split()]
    assert len(acknowledged) >= kill_after
    mc.reopen()  # a new command: replays the journal, recovers the dead writer's lease
    c = mc.client()
    present = {s.name: s for s in c.listdir("/put")} if c.exists("/put") else {}
    for i in acknowledged:
        assert c.read_bytes(f"/put/f{i}") == _expected(i)
    for name in present:
        # A complete `._COPYING_` file whose rename the kill prevented may stay (as in Hadoop);
        # a file cut short may not: the dead writer's unclosed file is removed on restart.
        i = int(name[1:].removesuffix("._COPYING_"))
        if name.endswith("._COPYING_"):
            assert i not in acknowledged
        assert c.read_bytes(f"/put/{name}") == _expected(i), f"{name} is half-written"
    assert c.fsck("/").healthy
    mc.close()


def test_torn_last_record_is_dropped(tmp_path):
    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/kept", b"x")
    edits = mc.home / "namenode" / "edits"
    good = edits.stat().st_size
    with open(edits, "ab") as f:
        f.write(b"\x00\x00\x00\x40\x12\x34")  # a record header whose body never made it
    mc.reopen()
    assert mc.client().read_bytes("/kept") == b"x"
    mc.client().write_bytes("/after", b"y")  # appends cleanly after the truncated tail
    mc.reopen()
    assert mc.client().read_bytes("/after") == b"y"
    _, records, end = read_records(edits)
    assert end == edits.stat().st_size and end > good
    mc.close()


def test_corruption_in_the_middle_is_reported_not_skipped(tmp_path):
    with MiniCluster(tmp_path) as mc:
        for i in range(5):
            mc.client().write_bytes(f"/f{i}", b"x")
    edits = mc.home / "namenode" / "edits"
    data = bytearray(edits.read_bytes())
    data[len(data) // 2] ^= 0xFF
    edits.write_bytes(bytes(data))
    with pytest.raises(Exception, match="corrupt"):
        read_records(edits)


def test_edit_log_append_is_durable_framing(tmp_path):
    log = EditLog(tmp_path / "edits")
    log.create(start_txid=5)
    log.open()
    log.append([["mkdir", "/a", "u", None, 0o755, 1]])
    log.append([["delete", "/a", 2], ["mkdir", "/b", "u", None, 0o755, 3]])
    start, records, _ = read_records(tmp_path / "edits")
    assert start == 5
    assert [r[0] for r in records] == ["mkdir", "delete", "mkdir"]


CONCURRENT = textwrap.dedent(
    """
    import sys
    from dfs.cluster import connect
    from dfs.conf import Configuration
    conf = Configuration({"minihadoop.home": sys.argv[1], "dfs.blocksize": 65536}, load_site=False)
    for i in range(15):
        with connect(conf) as client:     # one "command" per put, as a shell loop would run
            client.write_bytes(f"/c/{sys.argv[2]}-{i}", (sys.argv[2] * 70_000).encode())
    """
)


def test_concurrent_commands_on_one_state_are_serialized(tmp_path):
    mc = MiniCluster(tmp_path)
    mc.close()
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(mc.home), tag])
             for tag in "ab"]
    for p in procs:
        assert p.wait(timeout=120) == 0
    mc.reopen()
    c = mc.client()
    names = sorted(s.name for s in c.listdir("/c"))
    assert names == sorted(f"{t}-{i}" for t in "ab" for i in range(15))
    for name in names:
        assert c.read_bytes(f"/c/{name}") == (name[0] * 70_000).encode()
    assert c.fsck("/").healthy
    mc.close()
