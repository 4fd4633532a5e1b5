"""Hostile input at a live NameNode RPC server: every bad connection is closed (one log line
each), the server thread lives on, and a well-behaved client is served throughout and after.

The inputs are seeded (a failure names its seed): random bytes, garbage frame bodies, truncated
frames, lengths up to 4 GiB, well-formed msgpack of the wrong shape, real methods with wrong
argument types or counts, unknown and private methods, bad extension types and nesting bombs.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import msgpack
import pytest

from dfs import runfiles
from dfs.cluster import format_cluster
from dfs.conf import Configuration
from dfs.namenode import NameNode
from dfs.protocol import ClientProtocol, DatanodeProtocol
from dfs.rpc import RpcAuthError, RpcProxy, RpcServer, packb

_METHODS = [m for m in vars(ClientProtocol) if not m.startswith("_")]


def _framed(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _random_value(rng: random.Random, depth: int = 0) -> object:
    pick = rng.randrange(9 if depth < 3 else 6)
    if pick == 0:
        return rng.randint(-(2**63), 2**64 - 1)
    if pick == 1:
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(12)))
    if pick == 2:
        return rng.randbytes(rng.randrange(16))
    if pick == 3:
        return rng.choice([None, True, False, 0.5, -1, float("inf")])
    if pick == 4:
        return msgpack.ExtType(rng.choice([0, 4, 7, 42, 127]), rng.randbytes(rng.randrange(9)))
    if pick == 5:
        return _bad_ext(rng)
    if pick == 6:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 7:
        return {str(rng.random()): _random_value(rng, depth + 1) for _ in range(rng.randrange(3))}
    return msgpack.ExtType(2, msgpack.packb([_random_value(rng, depth + 1)]))


def _bad_ext(rng: random.Random) -> msgpack.ExtType:
    return rng.choice(
        [
            msgpack.ExtType(1, rng.randbytes(8)),  # a dataclass whose body is garbage
            msgpack.ExtType(1, msgpack.packb(["NoSuchType", []])),
            msgpack.ExtType(1, msgpack.packb(["FileStatus", [1, 2]])),  # wrong field count
            msgpack.ExtType(1, msgpack.packb(["FileStatus", "not a list"])),
            msgpack.ExtType(2, b"\xc1"),  # never-used msgpack byte
            msgpack.ExtType(3, msgpack.packb([[1], [2]])),  # a set of lists: unhashable
        ]
    )


def _nested_ext(levels: int) -> bytes:
    body = msgpack.packb(1)
    for _ in range(levels):
        body = msgpack.packb(msgpack.ExtType(2, msgpack.packb([msgpack.ExtType(2, body)])))
    return body


def _wrong_types(rng: random.Random) -> bytes:
    method = rng.choice(_METHODS)
    nargs = rng.randrange(7)
    args = [_random_value(rng) for _ in range(nargs)]
    if args and rng.random() < 0.7:
        args[0] = rng.choice([1, b"x", [], {}, None])  # `user` is a str in every method
    return _framed(msgpack.packb([rng.randrange(2**32), method, args]))


def _generators() -> list[Callable[[random.Random], bytes]]:
    return [
        lambda r: r.randbytes(r.randrange(1, 200)),  # garbage from the first byte
        lambda r: _framed(r.randbytes(r.randrange(1, 200))),  # garbage body
        lambda r: _framed(packb([1, "get_status", ["u", "/"]]))[: r.randrange(1, 20)],  # cut
        lambda r: (
            struct.pack(">I", r.choice([2**32 - 1, 2**31, 64 * 2**20 + 1]))
            + r.randbytes(r.randrange(50))
        ),  # a length over ipc.maximum.data.length
        lambda r: struct.pack(">I", r.randrange(100, 2**20)) + r.randbytes(r.randrange(99)),
        lambda r: _framed(msgpack.packb(_random_value(r))),  # well-formed, wrong shape
        lambda r: _framed(
            msgpack.packb([r.choice(["1", None, 1.5, -1]), r.choice(["get_status", 5]), {}])
        ),
        _wrong_types,
        lambda r: _framed(
            msgpack.packb(
                [
                    1,
                    r.choice(["close", "_catch_up", "__init__", "format", "checkpoint", "nope"]),
                    [],
                ]
            )
        ),
        lambda r: _framed(msgpack.packb([1, "get_status", [_bad_ext(r), "/"]])),
        lambda r: _framed(_nested_ext(r.choice([70, 300, 2000]))),
        lambda r: _framed(msgpack.packb([1, "get_status", ["u", "/"]])) + r.randbytes(30),
    ]


def _attack(address: tuple[str, int], payload: bytes) -> None:
    """Send one hostile payload on a fresh connection and read until the server closes."""
    with socket.create_connection(address, timeout=10) as sock:
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                pass
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server closed on us first: that is the point


def _fuzz(mini_cluster, caplog, seed: int, count: int) -> None:
    conf = Configuration(
        {"ipc.server.read.timeout.ms": 2000, "ipc.client.connect.max.retries": 0},
        load_site=False,
    )
    nn = mini_cluster.cluster.namenode
    user = nn.superuser
    server = RpcServer(nn, (ClientProtocol, DatanodeProtocol), None, conf).start()
    good = RpcProxy(ClientProtocol, server.address, conf)
    good.mkdirs(user, "/kept")
    stop, served, failures = threading.Event(), [0], []

    def well_behaved() -> None:  # a client that keeps working while the attack runs
        while not stop.is_set():
            try:
                assert good.get_status(user, "/kept").is_dir
                served[0] += 1
            except Exception as e:  # pragma: no cover - reported below
                failures.append(e)
            time.sleep(0.002)

    rng = random.Random(seed)
    generators = _generators()
    caplog.set_level(logging.INFO, logger="dfs.rpcserver")
    watcher = threading.Thread(target=well_behaved, daemon=True)
    watcher.start()
    try:
        for i in range(count):
            payload = rng.choice(generators)(rng)
            try:
                _attack(server.address, payload)
            except TimeoutError:
                pytest.fail(f"seed {seed} input {i}: the server neither answered nor closed")
        assert server.alive, f"seed {seed}: the server thread died"
        stop.set()
        watcher.join(10)
        assert failures == [], f"seed {seed}: a well-behaved client failed: {failures[:3]}"
        assert served[0] > 0
        # normal operations still work, on the same proxy and on a new one
        assert good.mkdirs(user, "/after/fuzz")
        with RpcProxy(ClientProtocol, server.address, conf) as fresh:
            assert fresh.get_status(user, "/after/fuzz").is_dir
            assert sorted(s.name for s in fresh.get_listing(user, "/")) >= ["after", "kept"]
            assert fresh.fsck(user, "/").healthy
    finally:
        stop.set()
        good.close()
        server.stop()
    records = [r for r in caplog.records if r.name == "dfs.rpcserver"]
    assert not [r for r in records if r.exc_info], "a hostile input reached a traceback"
    assert len(records) <= 2 * count  # at most a refusal and a closing line per connection
    assert sum("closing connection" in r.getMessage() for r in records) >= count // 3
    # the namespace and its edit log are intact: a new NameNode replays them
    again = NameNode(nn.directory, mini_cluster.conf)
    try:
        assert again.get_status(user, "/after/fuzz").is_dir
    finally:
        again.close()


@pytest.mark.rpc
def test_hostile_input_never_kills_the_namenode_server(mini_cluster, caplog):
    _fuzz(mini_cluster, caplog, seed=12, count=2000)


@pytest.mark.rpc
@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hostile_input_many_seeds(mini_cluster, caplog, seed):
    _fuzz(mini_cluster, caplog, seed=seed, count=15000)


# -- the same at a real `hadoop namenode` daemon process, with hadoop.rpc.secret set --------------
_SITE = """<?xml version="1.0"?>
<configuration>
  <property><name>hadoop.rpc.secret</name><value>{secret}</value></property>
  <property><name>ipc.server.read.timeout.ms</name><value>2000</value></property>
</configuration>
"""


@pytest.mark.rpc
def test_hostile_input_and_strangers_at_a_namenode_daemon(tmp_path):
    home, conf_dir = tmp_path / "home", tmp_path / "conf"
    conf_dir.mkdir()
    (conf_dir / "core-site.xml").write_text(_SITE.format(secret="daemon-s3cret"))
    format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
    env = dict(os.environ, MINIHADOOP_HOME=str(home), MINIHADOOP_CONF_DIR=str(conf_dir))
    daemon = subprocess.Popen(
        [sys.executable, "-m", "dfs.cli", "namenode"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        address = _wait_for_address(home, daemon)
        client_conf = Configuration(
            {"hadoop.rpc.secret": "daemon-s3cret", "ipc.client.connect.max.retries": 0},
            load_site=False,
        )
        stranger_conf = Configuration({"ipc.client.connect.max.retries": 0}, load_site=False)
        stranger = RpcProxy(ClientProtocol, address, stranger_conf)
        with stranger, pytest.raises(RpcAuthError, match="requires a shared secret"):
            stranger.get_status("x", "/")
        rng = random.Random(7)
        generators = _generators()
        for _ in range(500):  # unauthenticated garbage: refused at the challenge
            _attack(address, rng.choice(generators)(rng))
        with RpcProxy(ClientProtocol, address, client_conf) as member:
            user = member.get_status("x", "/").owner
            assert member.mkdirs(user, "/still/serving")
            assert member.get_status(user, "/still/serving").is_dir
        assert daemon.poll() is None, "the NameNode daemon died"
        log = runfiles.log_path(home, "namenode").read_text()
        assert log.count("RPC: closing connection from") >= 450  # one line per bad connection
        assert log.count("hadoop.rpc.secret challenge") >= 250
        assert "Traceback" not in log
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def _wait_for_address(home, daemon: subprocess.Popen) -> tuple[str, int]:
    deadline = time.monotonic() + 60
    while (address := runfiles.read_addr(home, "namenode")) is None:
        assert daemon.poll() is None, "the NameNode daemon exited at start"
        assert time.monotonic() < deadline, "the NameNode daemon did not start serving"
        time.sleep(0.05)
    return address
