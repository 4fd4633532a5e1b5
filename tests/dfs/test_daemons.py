"""The cluster as real processes: `hadoop start-cluster`, NameNode and DataNode daemons, routing.

Every process a test starts is stopped in a finally (MiniCluster.close / stop-cluster), and every
wait is bounded. The long scenarios of issue 12 ("must show" 1-3) are marked slow; the default
run keeps one real-process cluster test and the in-process checks of the routing rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from dfs import runfiles
from dfs.cluster import connect, format_cluster
from dfs.conf import Configuration
from dfs.errors import DFSError, DFSNotFormatted
from dfs.launcher import stop_cluster
from dfs.minicluster import DAEMON_TEST_SETTINGS, MiniCluster

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING|ERROR|DEBUG) [\w.]+: ")


def hadoop(home, *args: str, timeout: float = 60, input: bytes | None = None):
    """Run ``hadoop <args>`` as a separate process on state directory `home`."""
    env = dict(os.environ, MINIHADOOP_HOME=str(home))
    env.pop("MINIHADOOP_CONF_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "dfs.cli", *args],
        env=env,
        input=input,
        capture_output=True,
        timeout=timeout,
    )


def wait_until(predicate, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(step)


def formatted(tmp_path, **settings) -> Configuration:
    home = tmp_path / "home"
    conf = Configuration({"minihadoop.home": str(home), **settings}, load_site=False)
    format_cluster(conf)
    return conf


# -- routing rules (no daemon processes) ----------------------------------------------------------
def test_no_daemon_ever_ran_stays_embedded(tmp_path):
    """Commands stay embedded; while one runs, a NameNode daemon cannot start under it."""
    conf = formatted(tmp_path)
    assert runfiles.namenode_address(tmp_path / "home") is None
    with connect(conf) as client:
        client.write_bytes("/x", b"embedded")
        assert client.read_bytes("/x") == b"embedded"
        r = hadoop(tmp_path / "home", "namenode")
        assert r.returncode == 1 and b"embedded" in r.stderr, r.stderr
        assert not (tmp_path / "home" / "run" / "namenode.addr").exists()


def test_a_dead_namenode_daemon_is_refused_not_bypassed(tmp_path):
    """A NameNode daemon that died (SIGKILL) leaves its address and pid files; commands refuse
    with the way out instead of opening the state directory embedded behind the cluster's
    DataNodes. `stop-cluster` cleans up and embedded mode works again."""
    conf = formatted(tmp_path)
    home = tmp_path / "home"
    (home / "run").mkdir(exist_ok=True)
    (home / "run" / "namenode.lock").touch()
    (home / "run" / "namenode.addr").write_text("127.0.0.1:1\n")
    (home / "run" / "namenode.pid").write_text("999999\n")
    with pytest.raises(runfiles.DFSDaemonDown, match="stop-cluster") as e, connect(conf):
        pass
    assert "died" in str(e.value) and "hadoop namenode" in str(e.value)
    r = hadoop(home, "fs", "-ls", "/")
    assert r.returncode == 1 and b"NameNode daemon died" in r.stderr
    assert b"Traceback" not in r.stderr
    assert stop_cluster(conf) == []
    assert not (home / "run" / "namenode.addr").exists()
    with connect(conf) as client:
        assert client.exists("/")


def test_a_running_daemon_owns_the_state_directory(tmp_path):
    """While a process holds the NameNode's lock, commands route to its address; an embedded
    command holding the state directory keeps a NameNode daemon from starting."""
    formatted(tmp_path)
    home = tmp_path / "home"
    fd = runfiles.hold_lock(home, "namenode")
    try:
        runfiles.write_addr(home, "namenode", ("127.0.0.1", 4321))
        assert runfiles.namenode_address(home) == ("127.0.0.1", 4321)
        with pytest.raises(runfiles.DFSDaemonDown):
            runfiles.embedded_guard(home)
    finally:
        os.close(fd)
        runfiles.remove_files(home, "namenode")
    assert runfiles.namenode_address(home) is None
    guard = runfiles.embedded_guard(home)
    try:
        with pytest.raises(DFSError, match="already running|embedded"):
            runfiles.hold_lock(home, "namenode")
    finally:
        runfiles.release(guard)


def test_namenode_daemon_refuses_an_unformatted_state_directory(tmp_path):
    r = hadoop(tmp_path / "nothing", "namenode", timeout=60)
    assert r.returncode == 1
    assert b"format" in r.stderr and b"Traceback" not in r.stderr
    assert not (tmp_path / "nothing").exists()  # nothing made in a state directory refused


def test_namenode_daemon_in_process_unformatted(tmp_path):
    from dfs.daemons import NameNodeDaemon

    conf = Configuration({"minihadoop.home": str(tmp_path / "x")}, load_site=False)
    with pytest.raises(DFSNotFormatted):
        NameNodeDaemon(conf)


@pytest.mark.parametrize(
    "args, message",
    [
        (["datanode"], b"--id is required"),
        (["datanode", "--id", "dn0", "--bogus", "1"], b"unsupported argument --bogus"),
        (["start-cluster", "--datanodes", "four"], b"--datanodes expects a number"),
        (["stop-cluster", "now"], b"unsupported argument now"),
    ],
)
def test_daemon_command_lines(tmp_path, args, message):
    r = hadoop(tmp_path, *args)
    assert r.returncode == 255 and message in r.stderr


def test_start_cluster_refuses_more_datanodes_than_the_topology(tmp_path):
    formatted(tmp_path, **{"dfs.datanodes": 2, "dfs.racks": 1})
    r = hadoop(tmp_path / "home", "start-cluster", "--datanodes", "3")
    assert r.returncode == 1 and b"dfs.datanodes=3" in r.stderr
    assert not (tmp_path / "home" / "run" / "namenode.pid").exists()
    r = hadoop(tmp_path / "home", "datanode", "--id", "dn2")
    assert r.returncode == 1 and b"not in the cluster topology" in r.stderr, r.stderr
    r = hadoop(tmp_path / "home", "datanode", "--id", "dn1", "--rack", "/rack9")
    assert r.returncode == 1 and b"sits on /rack0" in r.stderr, r.stderr
    logs = tmp_path / "home" / "logs"  # no daemon started: only the commands' own logs
    assert all(p.name.startswith("hadoop-") for p in logs.iterdir()), list(logs.iterdir())


# -- real processes -------------------------------------------------------------------------------
def test_started_cluster_serves_commands_and_stops_cleanly(tmp_path):
    """A real NameNode and three DataNode processes: the client API and a `hadoop fs`
    process both go through them; logs have Hadoop's line shape; stop-cluster leaves no
    process and no pid or address file, and the next command is embedded again."""
    mc = MiniCluster(tmp_path, datanodes=3, racks=2, daemons=True)
    try:
        home = mc.home
        data = os.urandom(200_000)  # 4 blocks of 64 KiB
        mc.client().write_bytes("/dir/f", data)
        assert mc.client().read_bytes("/dir/f") == data
        r = hadoop(home, "fs", "-cat", "/dir/f")
        assert r.returncode == 0, r.stderr
        assert r.stdout == data
        r = hadoop(home, "fs", "-put", "-", "/dir/g", input=b"from another process\n")
        assert r.returncode == 0, r.stderr
        assert mc.client().read_bytes("/dir/g") == b"from another process\n"
        for args in (["-format", "-force"], ["-recover", "-force"]):
            r = hadoop(home, "namenode", *args)
            assert r.returncode == 1 and b"stop-cluster" in r.stderr, r.stderr
        r = hadoop(home, "namenode")  # a second NameNode daemon on the same state directory
        assert r.returncode == 1 and b"already running" in r.stderr, r.stderr
        assert mc.client().read_bytes("/dir/f") == data
        pids = dict(mc.started.pids)
        lines = runfiles.log_path(home, "namenode").read_text().splitlines()
        assert any("serving on 127.0.0.1:" in ln for ln in lines)
        assert all(LOG_LINE.match(ln) for ln in lines if ln and not ln.startswith(" ")), lines
    finally:
        mc.close()
    for name, pid in pids.items():
        assert not runfiles.is_running(home, name)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert not (home / "run" / f"{name}.pid").exists()
    with connect(mc.conf) as client:  # embedded again, same data
        assert client.read_bytes("/dir/f") == data


# -- issue 12, "must show" ------------------------------------------------------------------------
def _files(n: int) -> dict[str, bytes]:
    rng = __import__("random").Random(12)
    return {f"/data/f{i:02d}": rng.randbytes(rng.randrange(1, 150_000)) for i in range(n)}


@pytest.mark.slow
def test_must_show_1_kill_a_datanode_and_the_cluster_heals(tmp_path):
    """`hadoop start-cluster` 4 nodes on 2 racks, 50 files, SIGKILL one DataNode: every file
    stays readable; within a few heartbeat intervals fsck is HEALTHY with every block at 3
    replicas, none on the dead node, and dfsadmin -report lists it dead."""
    conf = formatted(tmp_path, **{"dfs.blocksize": 64 * 1024})
    home = tmp_path / "home"
    defines = [f"-D{k}={v}" for k, v in DAEMON_TEST_SETTINGS.items()]
    try:
        r = hadoop(home, "start-cluster", *defines, "--datanodes", "4", "--racks", "2")
        assert r.returncode == 0, r.stderr
        assert r.stdout.count(b"started (pid") == 5, r.stdout
        files = _files(50)
        with connect(conf) as client:
            for path, data in files.items():
                client.write_bytes(path, data)
        victim = "dn1"
        os.kill(runfiles.read_pid(home, victim), signal.SIGKILL)
        with connect(conf) as client:
            for path, data in files.items():
                assert client.read_bytes(path) == data, path

            def dead():
                return [d.node_id for d in client.datanode_report() if not d.alive] == [victim]

            # HDFS's rule: dead after 2 x recheck (0.2 s) + 10 x heartbeat (0.2 s) = 2.4 s
            wait_until(dead, 10, f"{victim} declared dead")

            def healed():
                report = client.fsck("/")
                if not report.healthy or report.under_replicated:
                    return False
                for path in files:
                    for block in client.block_locations(path):
                        nodes = [d.node_id for d in block.locations]
                        if len(nodes) != 3 or victim in nodes:
                            return False
                return True

            wait_until(healed, 60, "every block back at 3 replicas, none on the dead node")
        r = hadoop(home, "fsck", "/")
        assert r.returncode == 0 and b"HEALTHY" in r.stdout, r.stdout
        r = hadoop(home, "dfsadmin", "-report")
        out = r.stdout.decode()
        assert "Live datanodes (3):" in out and "Dead datanodes (1):" in out, out
        dead_part = out.split("Dead datanodes (1):", 1)[1]
        assert victim in dead_part
        # start-cluster starts what is not running: the dead node comes back with its old
        # replicas, and the excess ones are trimmed
        r = hadoop(home, "start-cluster", *defines)
        assert r.returncode == 0, r.stderr
        assert f"DataNode {victim} started".encode() in r.stdout, r.stdout
        assert r.stdout.count(b"already running") == 4, r.stdout
        with connect(conf) as client:

            def trimmed():
                if len([d for d in client.datanode_report() if d.alive]) != 4:
                    return False
                counts = [len(b.locations) for p in files for b in client.block_locations(p)]
                return set(counts) == {3} and not client.fsck("/").over_replicated

            wait_until(trimmed, 60, f"{victim} back and every block at exactly 3 replicas")
            for path, data in list(files.items())[:10]:
                assert client.read_bytes(path) == data
    finally:
        stop_cluster(conf)


@pytest.mark.slow
def test_must_show_2_kill_a_datanode_mid_write(tmp_path):
    """SIGKILL a DataNode of the pipeline in the middle of a large write: the write succeeds
    and reads back byte-identical."""
    mc = MiniCluster(tmp_path, datanodes=4, racks=2, blocksize=1024 * 1024, daemons=True)
    try:
        data = os.urandom(24 * 1024 * 1024)
        client = mc.client()
        killed = []

        def kill_when_writing():
            def some_block_in_flight():
                for dn in ("dn0", "dn1", "dn2", "dn3"):
                    rbw = mc.home / "datanodes" / dn / "rbw"
                    if rbw.exists() and any(rbw.rglob("blk_*")):
                        return dn
                return None

            victim = wait_until(some_block_in_flight, 30, "a replica being written", 0.005)
            os.kill(runfiles.read_pid(mc.home, victim), signal.SIGKILL)
            killed.append(victim)

        t = threading.Thread(target=kill_when_writing)
        t.start()
        with client.create("/big") as out:
            view = memoryview(data)
            for off in range(0, len(data), 256 * 1024):
                out.write(view[off : off + 256 * 1024])
        t.join(30)
        assert killed, "no datanode was killed during the write"
        got = mc.client().read_bytes("/big")
        assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
    finally:
        mc.close()


WRITER = """
import random, sys, time
from dfs.cluster import connect
from dfs.conf import Configuration
k, seconds = int(sys.argv[1]), float(sys.argv[2])
conf = Configuration({"ipc.client.connect.max.retries": 1})
end = time.monotonic() + seconds
try:
    with connect(conf) as client:
        i = 0
        while time.monotonic() < end:
            rng = random.Random(f"{k}/{i}")
            path = f"/w{k}/f{i}"
            print("TRY", path, flush=True)
            client.write_bytes(path, rng.randbytes(rng.randrange(1, 200_000)))
            print("ACK", path, flush=True)
            i += 1
except Exception as e:
    print("ERR", type(e).__name__, str(e).splitlines()[0] if str(e) else "", flush=True)
"""


def _intended(path: str) -> bytes:
    k, i = path[2:].split("/f")
    rng = __import__("random").Random(f"{k}/{i}")
    return rng.randbytes(rng.randrange(1, 200_000))


@pytest.mark.slow
def test_must_show_3_kill_the_namenode_during_writes(tmp_path):
    """SIGKILL the NameNode while four client processes write; restart it: every write a
    client saw acknowledged is there, byte-identical; every other file it tried is absent or
    complete (the leases of the writers, which died with the NameNode's connection, are
    recovered), never half."""
    mc = MiniCluster(tmp_path, datanodes=4, racks=2, daemons=True)
    writers: list[subprocess.Popen] = []
    try:
        env = mc.env()
        env.pop("MINIHADOOP_CONF_DIR", None)
        for k in range(4):
            writers.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRITER, str(k), "60"],
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        lines: list[list[str]] = [[] for _ in writers]

        def pump(k: int) -> None:
            for line in writers[k].stdout:
                lines[k].append(line.split())

        pumps = [threading.Thread(target=pump, args=(k,), daemon=True) for k in range(4)]
        for t in pumps:
            t.start()

        def acked() -> int:
            return sum(1 for ls in lines for w in ls if w[0] == "ACK")

        wait_until(lambda: acked() >= 12, 60, "a dozen acknowledged writes")
        mc.kill("namenode", signal.SIGKILL)
        time.sleep(0.5)
        mc.start_daemon("namenode")
        for w in writers:
            w.wait(timeout=90)
        for t in pumps:
            t.join(10)
        client = mc.client()
        wait_until(lambda: client.fsck("/").under_construction == 0, 30, "leases recovered")
        tried = {w[1] for ls in lines for w in ls if w[0] == "TRY"}
        acks = {w[1] for ls in lines for w in ls if w[0] == "ACK"}
        errors = [w for ls in lines for w in ls if w[0] == "ERR"]
        print(f"{len(acks)} acknowledged, {len(tried - acks)} not; writers' errors: {errors}")
        assert acks and tried - acks, (len(acks), len(tried))
        for path in sorted(tried):
            if path in acks:
                assert client.read_bytes(path) == _intended(path), path
            elif client.exists(path):
                assert client.read_bytes(path) == _intended(path), f"{path} is half written"
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.wait(10)
            w.stdout.close()
        mc.close()


def test_daemons_with_a_secret_refuse_commands_without_it(tmp_path):
    """hadoop.rpc.secret: the DataNodes register with it, a command that has it works, one
    without it is refused in one line; the secret is on no daemon's command line."""
    secret = "s3cret-for-this-test"
    mc = MiniCluster(
        tmp_path, datanodes=3, racks=2, daemons=True, conf={"hadoop.rpc.secret": secret}
    )
    try:
        mc.client().write_bytes("/s", b"secret data")
        r = hadoop(mc.home, "fs", "-cat", "/s")
        assert r.returncode == 1 and r.stdout == b"", r.stderr
        assert len(r.stderr.splitlines()) == 1 and b"secret" in r.stderr, r.stderr
        r = hadoop(mc.home, "fs", "-D", f"hadoop.rpc.secret={secret}", "-cat", "/s")
        assert r.returncode == 0 and r.stdout == b"secret data", r.stderr
        for pid in mc.started.pids.values():
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                assert secret.encode() not in f.read()
    finally:
        mc.close()


@pytest.mark.slow
def test_must_show_4_a_corrupt_replica_is_read_around_and_replaced(tmp_path):
    """A replica corrupted on a DataNode's disk: the next read returns the right bytes (and
    reports it); the block is copied again from a good replica and the corrupt one deleted."""
    mc = MiniCluster(tmp_path, datanodes=4, racks=2, daemons=True)
    try:
        data = os.urandom(3 * 65536)
        client = mc.client()
        client.write_bytes("/c", data)
        block = client.block_locations("/c")[0]
        victim = block.locations[0].node_id
        path = mc.datanodes[victim].block_path(block.block_id)
        raw = bytearray(path.read_bytes())
        raw[100] ^= 0xFF
        path.write_bytes(bytes(raw))
        assert client.read_bytes("/c") == data

        def repaired():
            report = client.fsck("/")
            nodes = {d.node_id for d in client.block_locations("/c")[0].locations}
            gone = not path.exists() or mc.datanodes[victim].verify(block.block_id)
            return report.healthy and not report.under_replicated and len(nodes) == 3 and gone

        wait_until(repaired, 30, "the block re-replicated and the corrupt replica deleted")
        assert client.verify("/").problems == ()
        assert client.read_bytes("/c") == data
    finally:
        mc.close()


@pytest.mark.slow
def test_a_client_rides_through_a_namenode_restart(tmp_path):
    """A NameNode killed and started again comes back on its port (when free): a client that
    was connected before carries on with no new connect() (HDFS clients retry the address
    they know), and the DataNodes re-register."""
    mc = MiniCluster(tmp_path, datanodes=3, racks=2, daemons=True)
    try:
        client = mc.client()
        client.write_bytes("/before", b"1" * 100_000)
        port = mc.cluster.address[1]
        mc.kill("namenode", signal.SIGKILL)
        mc.start_daemon("namenode")
        assert mc.cluster.address[1] == port
        assert client.read_bytes("/before") == b"1" * 100_000
        client.write_bytes("/after", b"2" * 100_000)
        assert mc.client().read_bytes("/after") == b"2" * 100_000
    finally:
        mc.close()


@pytest.mark.slow
def test_must_show_5_hostile_bytes_at_live_daemons(tmp_path):
    """Two thousand hostile inputs at a live NameNode's and a live DataNode's ports (random
    bytes, a frame claiming 4 GiB, truncated frames, well-formed msgpack of the wrong shape):
    every daemon still runs and serves, and normal operations work."""
    import socket
    import struct

    import msgpack

    mc = MiniCluster(tmp_path, datanodes=3, racks=2, daemons=True)
    rng = __import__("random").Random(5)
    shapes = [
        lambda: rng.randbytes(rng.randrange(1, 300)),
        lambda: struct.pack(">I", 0xFFFFFFFF) + rng.randbytes(16),
        lambda: struct.pack(">I", rng.randrange(10, 5000)) + rng.randbytes(rng.randrange(0, 9)),
        lambda: _frame(msgpack.packb([rng.randrange(99), "get_status", [1, [2], {"3": 4}]])),
        lambda: _frame(msgpack.packb({"v": 1, "op": "READ_BLOCK", "block": "x", "offset": -1})),
    ]
    try:
        targets = [mc.cluster.address, runfiles.read_addr(mc.home, "dn0")]
        for i in range(2000):
            s = socket.create_connection(targets[i % 2], timeout=5)
            with s, contextlib.suppress(OSError):
                s.sendall(shapes[i % len(shapes)]())
        for name in ("namenode", "dn0", "dn1", "dn2"):
            assert runfiles.is_running(mc.home, name), name
            assert "Traceback" not in runfiles.log_path(mc.home, name).read_text(), name
        nn_log = runfiles.log_path(mc.home, "namenode")
        wait_until(lambda: nn_log.read_text().count("WARNING") >= 900, 20, "the closes logged")
        data = os.urandom(150_000)
        client = mc.client()
        client.write_bytes("/after-fuzz", data)
        assert client.read_bytes("/after-fuzz") == data
        assert sorted(d.node_id for d in client.datanode_report() if d.alive) == [
            "dn0",
            "dn1",
            "dn2",
        ]
    finally:
        mc.close()


def _frame(body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + body


def test_start_cluster_refuses_damaged_metadata_and_leaves_nothing_running(tmp_path):
    """A damaged fsimage: the NameNode daemon refuses to start as an embedded command would,
    start-cluster says why (the daemon's own last log line) and no daemon is left running."""
    formatted(tmp_path)
    home = tmp_path / "home"
    image = home / "namenode" / "fsimage"
    image.write_bytes(image.read_bytes()[:-7] + b"garbage")
    r = hadoop(home, "start-cluster")
    assert r.returncode == 1, r.stderr
    assert b"namenode exited" in r.stderr and b"fsimage" in r.stderr, r.stderr
    assert runfiles.running(home) == []
    assert not (home / "run" / "namenode.addr").exists()


def test_a_datanode_of_another_cluster_is_not_started(tmp_path):
    """A DataNode whose storage carries another cluster's id is refused (HDFS's "Incompatible
    clusterIDs"), its files untouched."""
    formatted(tmp_path)
    home = tmp_path / "home"
    version = home / "datanodes" / "dn0" / "VERSION"
    text = version.read_text()
    ours = next(ln for ln in text.splitlines() if ln.startswith("clusterID="))
    version.write_text(text.replace(ours, "clusterID=CID-someone-else"))
    r = hadoop(home, "datanode", "--id", "dn0")
    assert r.returncode == 1 and b"CID-someone-else" in r.stderr, r.stderr
    assert "CID-someone-else" in version.read_text()
    assert not runfiles.is_running(home, "dn0")


@pytest.mark.slow
def test_periodic_block_reports_find_a_replica_lost_behind_the_datanodes_back(tmp_path):
    """dfs.blockreport.intervalMsec: a replica file deleted behind a running DataNode's back is
    missing from its next full block report; the NameNode stops counting it and has the block
    copied again."""
    mc = MiniCluster(
        tmp_path, datanodes=4, racks=2, daemons=True, conf={"dfs.blockreport.intervalMsec": 500}
    )
    try:
        client = mc.client()
        client.write_bytes("/r", os.urandom(100_000))
        block = client.block_locations("/r")[0]
        victim = block.locations[0].node_id
        dn = mc.datanodes[victim]
        dn.block_path(block.block_id).unlink()
        dn.meta_path(block.block_id).unlink()

        def copied_again():
            nodes = {d.node_id for d in client.block_locations("/r")[0].locations}
            return len(nodes) == 3 and (victim not in nodes or dn.has_block(block.block_id))

        wait_until(copied_again, 30, "the lost replica noticed and the block copied again")
        assert client.fsck("/").healthy and client.verify("/").problems == ()
    finally:
        mc.close()


HARNESS = """
import sys, time
from dfs.minicluster import MiniCluster
mc = MiniCluster(sys.argv[1], datanodes=2, racks=1, daemons=True)
print("up", flush=True)
time.sleep(120)
"""


def test_a_killed_test_harness_leaves_no_daemon_behind(tmp_path):
    """MiniCluster's daemons watch the process that started them: a test run killed outright
    (no finally runs) leaves no NameNode or DataNode behind."""
    home = tmp_path / "minihadoop"
    proc = subprocess.Popen(
        [sys.executable, "-c", HARNESS, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "up"
        assert sorted(runfiles.running(home)) == ["dn0", "dn1", "namenode"]
        proc.kill()
        proc.wait(10)
        wait_until(lambda: runfiles.running(home) == [], 15, "the daemons gone")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        stop_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))


def test_stop_cluster_stops_its_own_daemons_without_their_pid_files(tmp_path):
    """A daemon this process started is stopped even when its pid file is gone (a start that
    failed half-way could leave one running with no pid file yet)."""
    from dfs.launcher import spawn

    conf = formatted(tmp_path)
    home = tmp_path / "home"
    proc = spawn(conf, "dn0", "datanode", "--id", "dn0")
    try:
        wait_until(lambda: runfiles.read_pid(home, "dn0") == proc.pid, 30, "dn0 up")
        (home / "run" / "dn0.pid").unlink()
        stop_cluster(conf)
        assert proc.poll() is not None and not runfiles.is_running(home, "dn0")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
