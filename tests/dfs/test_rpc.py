"""The transport seam: the same client works over the object, LocalTransport and TCP."""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dfs.client import DFSClient
from dfs.conf import Configuration
from dfs.errors import DFSError, DFSFileNotFound, DFSPermissionDenied
from dfs.protocol import DatanodeInfo, FileStatus, LocatedBlock
from dfs.rpc import (
    IDEMPOTENT_METHODS,
    LocalTransport,
    RpcAuthError,
    RpcConnectionError,
    RpcProxy,
    RpcServer,
    RpcTimeoutError,
    packb,
    parse_address,
    unpackb,
)

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(values)
def test_codec_round_trip_keeps_tuples_apart_from_lists(value):
    assert unpackb(packb(value)) == value
    if isinstance(value, tuple):
        assert isinstance(unpackb(packb(value)), tuple)


def test_codec_round_trips_protocol_messages():
    dn = DatanodeInfo("dn0", "/rack0", "/x", 10, 1, 9, True, 5, 2)
    lb = LocatedBlock(7, 1001, 0, 100, (dn, dn), ("dn1",))
    st_ = FileStatus("/a", 1, False, 3, 64, 1, 2, "u", "g", 0o644)
    assert unpackb(packb([lb, st_])) == [lb, st_]


def test_pickle_is_never_a_fallback():
    with pytest.raises(TypeError, match="msgpack only"):
        packb(object())


def _exercise(client: DFSClient) -> None:
    client.write_bytes("/t/f", b"x" * 100_000)
    assert client.read_bytes("/t/f") == b"x" * 100_000
    assert [s.name for s in client.listdir("/t")] == ["f"]
    with pytest.raises(DFSFileNotFound):
        client.status("/nope")
    client.set_permission("/t/f", 0o600)
    other = DFSClient(client.nn, client.datanodes, client.conf, user="mallory")
    with pytest.raises(DFSPermissionDenied, match="user=mallory"):
        other.read_bytes("/t/f")
    assert client.fsck("/").healthy


def test_client_over_local_transport(mini_cluster):
    c = mini_cluster.cluster
    _exercise(DFSClient(LocalTransport(c.namenode), c.datanodes, mini_cluster.conf))


@pytest.mark.rpc
def test_client_over_tcp(mini_cluster):
    from dfs.protocol import ClientProtocol, DatanodeProtocol

    c = mini_cluster.cluster
    server = RpcServer(c.namenode, (ClientProtocol, DatanodeProtocol)).start()
    proxy = RpcProxy(ClientProtocol, server.address, timeout=10)  # typed: the contract suffices
    try:
        assert server.address[0] == "127.0.0.1"
        _exercise(DFSClient(proxy, c.datanodes, mini_cluster.conf))
    finally:
        proxy.close()
        server.stop()


# -- the RPC layer itself, against a small service whose methods sleep ---------------------------
class Napper(Protocol):
    def nap(self, seconds: float) -> str: ...
    def fail(self, kind: str) -> None: ...
    def slow_count(self, seconds: float) -> int: ...
    def slow_bump(self, seconds: float) -> int: ...
    def blob(self, size: int) -> bytes: ...
    def measure(self, data: bytes) -> int: ...


class NapService:
    """Records how many calls run at once (`peak`) and how often each method ran."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = self.peak = 0
        self.calls: Counter[str] = Counter()

    def _enter(self, name: str) -> None:
        with self.lock:
            self.calls[name] += 1
            self.active += 1
            self.peak = max(self.peak, self.active)

    def _leave(self) -> None:
        with self.lock:
            self.active -= 1

    def nap(self, seconds: float) -> str:
        self._enter("nap")
        try:
            time.sleep(seconds)
            return "rested"
        finally:
            self._leave()

    def fail(self, kind: str) -> None:
        raise {
            "missing": DFSFileNotFound("/x: No such file or directory", "/x"),
            "denied": DFSPermissionDenied("Permission denied: user=bob", "/y"),
        }[kind]

    def slow_count(self, seconds: float) -> int:
        self._enter("slow_count")
        time.sleep(seconds)
        self._leave()
        return self.calls["slow_count"]

    def slow_bump(self, seconds: float) -> int:
        return self.slow_count(seconds) and self.calls["slow_count"]

    def blob(self, size: int) -> bytes:
        return b"b" * size

    def measure(self, data: bytes) -> int:
        return len(data)

    def not_in_protocol(self) -> str:
        return "should never run over RPC"


def _conf(extra: dict | None = None) -> Configuration:
    base = {"dfs.namenode.handler.count": 64, "ipc.client.connect.max.retries": 3}
    return Configuration({**base, **(extra or {})}, load_site=False)


@pytest.fixture
def napper():
    service = NapService()
    server = RpcServer(service, Napper, None, _conf()).start()
    yield service, server
    server.stop()


def _proxy(server, conf=None, **kw) -> RpcProxy:
    return RpcProxy(Napper, server.address, conf or _conf(), **kw)


@pytest.mark.rpc
def test_many_calls_in_flight_from_many_threads_overlap(napper):
    service, server = napper
    shared = _proxy(server)  # 16 threads over ONE connection ...
    own = [_proxy(server) for _ in range(8)]  # ... and 8 threads with a connection each
    jobs = [shared.nap] * 16 + [p.nap for p in own]
    start = time.monotonic()
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda f: f(0.4), jobs))
    elapsed = time.monotonic() - start
    assert results == ["rested"] * len(jobs)
    assert elapsed < 0.4 * len(jobs) / 4, elapsed  # serialized they would take 9.6 s
    assert service.peak >= 16
    for p in [shared, *own]:
        p.close()


_CHILD = """
import sys, threading, time
from dfs.conf import Configuration
from dfs.rpc import RpcProxy
from tests.dfs.test_rpc import Napper
proxy = RpcProxy(Napper, (sys.argv[1], int(sys.argv[2])), Configuration(load_site=False))
proxy.nap(0)
print("ready", flush=True)
sys.stdin.readline()  # every child is connected: now all call at once
start = time.monotonic()
threads = [threading.Thread(target=proxy.nap, args=(0.5,)) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(time.monotonic() - start, flush=True)
"""


def _readline(proc: subprocess.Popen, deadline: float) -> str:
    while not select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
        if time.monotonic() > deadline:
            raise TimeoutError("a client process did not answer")
    return proc.stdout.readline()


@pytest.mark.rpc
def test_many_client_processes_have_calls_in_flight_at_once(napper):
    service, server = napper
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, *map(str, server.address)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        deadline = time.monotonic() + 60
        assert [_readline(p, deadline) for p in procs] == ["ready\n"] * 4
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        elapsed = [float(_readline(p, deadline)) for p in procs]
        assert [p.wait(timeout=30) for p in procs] == [0] * 4
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert service.calls["nap"] == 4 + 16
    assert service.peak >= 8  # calls from different processes ran at the same time
    assert max(elapsed) < 16 * 0.5 / 4, elapsed  # far below the 8 s of one at a time


@pytest.mark.rpc
def test_errors_come_back_as_the_same_class(napper):
    _, server = napper
    with _proxy(server) as proxy:
        with pytest.raises(DFSFileNotFound, match="No such file") as e:
            proxy.fail("missing")
        assert e.value.path == "/x" and isinstance(e.value, FileNotFoundError)
        with pytest.raises(DFSPermissionDenied, match="user=bob"):
            proxy.fail("denied")
        assert proxy.nap(0) == "rested"  # the connection survives errors


@pytest.mark.rpc
def test_typed_proxy_and_server_allow_only_protocol_methods(napper, caplog):
    service, server = napper
    with _proxy(server) as proxy:
        with pytest.raises(AttributeError, match="did you mean 'nap'"):
            proxy.napp  # noqa: B018 - a typo fails before anything is sent
        with pytest.raises(AttributeError):
            proxy.not_in_protocol  # noqa: B018
        assert proxy.nap(seconds=0) == "rested"  # keywords bound by the protocol's signature
    with RpcProxy(server.address, conf=_conf()) as untyped:  # a client that skips the check
        with pytest.raises(DFSError, match="unknown RPC method 'not_in_protocol'"):
            untyped.not_in_protocol()
        with pytest.raises(DFSError, match="argument 'seconds' must be float, got str"):
            untyped.nap("forever")
        with pytest.raises(DFSError, match="wrong arguments for nap"):
            untyped.nap(1, 2)
        assert untyped.nap(0) == "rested"
    assert service.calls["nap"] == 2


@pytest.mark.rpc
def test_call_timeout(napper):
    _, server = napper
    with _proxy(server, _conf({"ipc.client.rpc-timeout.ms": 200})) as proxy:
        start = time.monotonic()
        with pytest.raises(RpcTimeoutError, match="ipc.client.rpc-timeout.ms") as e:
            proxy.nap(3)
        assert 0.2 <= time.monotonic() - start < 2
        assert isinstance(e.value, DFSError) and isinstance(e.value, TimeoutError)
        assert proxy.nap(0) == "rested"  # the late reply of the first call is dropped


@pytest.mark.rpc
def test_reconnect_after_the_server_restarts_on_the_same_port():
    service = NapService()
    server = RpcServer(service, Napper, None, _conf()).start()
    address = server.address
    proxy = _proxy(server)
    assert proxy.slow_bump(0) == 1
    server.stop()
    with pytest.raises(RpcConnectionError, match=f"Call to 127.0.0.1:{address[1]} failed on "):
        proxy.nap(0)  # nobody listens: refused, after the bounded connect retries
    server = RpcServer(service, Napper, address, _conf()).start()
    try:
        assert proxy.slow_bump(0) == 2  # not idempotent, yet safe: sent on a fresh connection
        assert proxy.nap(0) == "rested"
    finally:
        proxy.close()
        server.stop()


def _drop_while_running(service, server, call) -> Any:
    """Run `call` in a thread; break every connection while the server is executing it."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(call)
        deadline = time.monotonic() + 5
        while service.calls["slow_count"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        server.drop_connections()
        return future.result(timeout=10)


@pytest.mark.rpc
def test_an_idempotent_call_is_retried_after_a_dropped_connection(napper):
    service, server = napper
    with _proxy(server, idempotent={"slow_count"}) as proxy:
        assert _drop_while_running(service, server, lambda: proxy.slow_count(0.3)) == 2
    assert service.calls["slow_count"] == 2  # sent again on a new connection


@pytest.mark.rpc
def test_a_non_idempotent_call_is_not_retried_after_a_dropped_connection(napper):
    service, server = napper
    with _proxy(server, idempotent={"slow_count"}) as proxy:
        with pytest.raises(RpcConnectionError, match="slow_bump is not idempotent") as e:
            _drop_while_running(service, server, lambda: proxy.slow_bump(0.3))
        assert f"Call to 127.0.0.1:{server.address[1]} failed on connection exception" in str(
            e.value
        )
        assert isinstance(e.value, DFSError) and isinstance(e.value, ConnectionError)
        time.sleep(0.5)
        assert service.calls["slow_count"] == 1  # ran once, never sent again
        assert proxy.nap(0) == "rested"  # the next call reconnects


def test_the_real_protocols_idempotent_set_is_used_by_default():
    from dfs import protocol

    assert IDEMPOTENT_METHODS == protocol.IDEMPOTENT_METHODS
    assert "get_status" in IDEMPOTENT_METHODS and "create" not in IDEMPOTENT_METHODS
    proxy = RpcProxy(protocol.ClientProtocol, ("127.0.0.1", 1))
    assert proxy.idempotent == protocol.IDEMPOTENT_METHODS


@pytest.mark.rpc
def test_the_shared_secret(caplog):
    service = NapService()
    server = RpcServer(service, Napper, None, _conf({"hadoop.rpc.secret": "s3cret"})).start()
    try:
        with _proxy(server, _conf({"hadoop.rpc.secret": "s3cret"})) as good:
            assert good.nap(0) == "rested"
        with _proxy(server, _conf()) as none, pytest.raises(RpcAuthError, match="requires"):
            none.nap(0)
        with _proxy(server, _conf({"hadoop.rpc.secret": "guess"})) as wrong:
            with pytest.raises(RpcAuthError, match="does not match") as e:
                wrong.nap(0)
            assert isinstance(e.value, PermissionError)
        # a client that ignores the challenge and just sends a call is cut off unheard
        with socket.create_connection(server.address, timeout=5) as raw:
            hello = unpackb(_read_frame(raw))
            assert hello[0] == "minihadoop-rpc" and len(hello[2]) == 32
            raw.sendall(_framed(packb([1, "nap", [0]])))
            reply = _read_until_closed(raw)
            assert unpackb(reply[4:])[0] == "refused"  # and then the server closed
        assert service.calls["nap"] == 1
        assert "hadoop.rpc.secret challenge" in caplog.text
    finally:
        server.stop()


@pytest.mark.rpc
def test_a_stalled_sender_is_cut_off_and_everyone_else_served(caplog):
    service = NapService()
    conf = _conf({"ipc.server.read.timeout.ms": 300})
    server = RpcServer(service, Napper, None, conf).start()
    try:
        with socket.create_connection(server.address, timeout=5) as slow, _proxy(server) as ok:
            _read_frame(slow)
            slow.sendall(_framed(packb([1, "nap", [0]]))[:6])  # and then nothing
            assert ok.nap(0) == "rested"
            start = time.monotonic()
            assert _read_until_closed(slow) == b""
            assert time.monotonic() - start < 3
            assert ok.nap(0) == "rested"
        assert "incomplete frame" in caplog.text
    finally:
        server.stop()


@pytest.mark.rpc
def test_idle_connections_are_closed_and_the_proxy_reconnects():
    service = NapService()
    conf = _conf({"ipc.client.connection.maxidletime": 100})
    server = RpcServer(service, Napper, None, conf).start()
    try:
        with socket.create_connection(server.address, timeout=5) as idle, _proxy(server, conf) as p:
            _read_frame(idle)
            assert p.nap(0) == "rested"
            assert _read_until_closed(idle) == b""  # the server drops it after 2 x 100 ms
            time.sleep(0.3)
            assert p.nap(0) == "rested"
    finally:
        server.stop()


def test_servers_bind_loopback_unless_configured():
    server = RpcServer(NapService(), Napper)
    try:
        assert server.address[0] == "127.0.0.1"
    finally:
        server.stop()
    assert parse_address("0.0.0.0:8020") == ("0.0.0.0", 8020)
    with pytest.raises(DFSError, match="expected host:port"):
        parse_address("localhost")


# -- raw socket helpers (also used by test_rpc_fuzz) ----------------------------------------------
def _framed(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _read_frame(sock: socket.socket) -> bytes:
    header = _read_n(sock, 4)
    return _read_n(sock, struct.unpack(">I", header)[0])


def _read_n(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_until_closed(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Everything the server sends until it closes (bounded in time)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


# -- the NameNode serializes itself: many RPC handler threads, one consistent namespace -----------
@pytest.mark.rpc
def test_namenode_serializes_concurrent_rpc_mutations(mini_cluster):
    from dfs.namenode import NameNode
    from dfs.protocol import ClientProtocol, DatanodeProtocol

    nn = mini_cluster.cluster.namenode
    user = nn.superuser
    server = RpcServer(nn, (ClientProtocol, DatanodeProtocol), None, _conf()).start()
    proxies = [RpcProxy(ClientProtocol, server.address, _conf()) for _ in range(4)]

    def work(k: int) -> None:
        p = proxies[k]
        for i in range(30):
            p.mkdirs(user, f"/t{k}/d{i}")
            p.set_permission(user, f"/t{k}/d{i}", 0o700 + i % 8)
            p.rename(user, f"/t{k}/d{i}", f"/t{k}/r{i}")

    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(work, range(4)))
        live = {k: sorted(s.name for s in proxies[0].get_listing(user, f"/t{k}")) for k in range(4)}
    finally:
        for p in proxies:
            p.close()
        server.stop()
    expected = sorted(f"r{i}" for i in range(30))
    assert live == {k: expected for k in range(4)}
    # the edit log replays to the same namespace: no lost, duplicated or interleaved record
    again = NameNode(nn.directory, mini_cluster.conf)
    try:
        for k in range(4):
            listing = again.get_listing(user, f"/t{k}")
            assert sorted(s.name for s in listing) == expected
            assert {s.name: s.mode for s in listing} == {f"r{i}": 0o700 + i % 8 for i in range(30)}
    finally:
        again.close()


@pytest.mark.rpc
def test_frames_over_ipc_maximum_data_length_are_refused(caplog):
    service = NapService()
    server = RpcServer(service, Napper, None, _conf({"ipc.maximum.data.length": 1000})).start()
    try:
        with socket.create_connection(server.address, timeout=5) as raw:
            _read_frame(raw)
            raw.sendall(struct.pack(">I", 2**32 - 1))  # claims 4 GiB: refused at the header
            assert _read_until_closed(raw) == b""
        with _proxy(server) as proxy:
            assert proxy.nap(0) == "rested"
            with pytest.raises(RpcConnectionError, match="nap is not idempotent"):
                proxy.nap("x" * 2000)  # too big: the server drops the connection
        assert service.calls["nap"] == 1
        assert "frame of 4294967295 bytes exceeds ipc.maximum.data.length=1000" in caplog.text
    finally:
        server.stop()


@pytest.mark.rpc
def test_a_client_that_never_answers_the_challenge_is_cut_off(caplog):
    conf = _conf({"hadoop.rpc.secret": "s3cret", "ipc.server.read.timeout.ms": 300})
    server = RpcServer(NapService(), Napper, None, conf).start()
    try:
        with socket.create_connection(server.address, timeout=5) as raw:
            _read_frame(raw)  # the challenge, left unanswered
            start = time.monotonic()
            assert _read_until_closed(raw) == b""
            assert time.monotonic() - start < 3
        assert "no answer to the hadoop.rpc.secret challenge" in caplog.text
    finally:
        server.stop()


def test_an_error_subclass_unknown_to_the_wire_arrives_as_its_nearest_known_class():
    from dfs.editlog import EditLogCorrupt
    from dfs.errors import DFSInconsistentState

    class Broken:
        def get_status(self, user: str, path: str) -> None:
            raise EditLogCorrupt("edit log /nn/edits is damaged at byte 7 (txid 2)", "/nn/edits")

    with pytest.raises(DFSInconsistentState, match="damaged at byte 7") as e:
        LocalTransport(Broken()).get_status("u", "/")
    assert e.value.path == "/nn/edits" and isinstance(e.value, OSError)


def _fake_server(reply: Callable[[socket.socket], None]) -> tuple[socket.socket, threading.Thread]:
    """A listener whose every connection gets `reply` (a misbehaving or foreign server)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError):
                reply(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


@pytest.mark.rpc
@pytest.mark.parametrize(
    "answer, message",
    [
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "not a minihadoop RPC server"),
        (_framed(packb(["minihadoop-rpc", 1, None])) + b"\xff" * 64, "failed on connection"),
        (_framed(packb(["minihadoop-rpc", 1, None])) + b"\xff\xff\xff\xff", "failed on connection"),
    ],
    ids=["foreign-server", "garbage-reply", "4GiB-reply"],
)
def test_a_foreign_or_garbled_server_fails_the_call_cleanly(answer, message):
    def reply(conn: socket.socket) -> None:
        conn.sendall(answer)

    listener, thread = _fake_server(reply)
    conf = _conf({"ipc.client.connect.max.retries": 1, "ipc.client.rpc-timeout.ms": 5000})
    try:
        with RpcProxy(Napper, listener.getsockname(), conf) as proxy:
            start = time.monotonic()
            with pytest.raises(RpcConnectionError, match=message):
                proxy.nap(0)
            assert time.monotonic() - start < 4  # no hang until the call timeout
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
        listener.close()
        thread.join(5)


@pytest.mark.rpc
def test_big_replies_and_a_big_call_on_one_connection_do_not_deadlock():
    """The server stops reading a connection with too many calls queued; the client must keep
    reading replies while one of its threads is still sending a large call."""
    conf = _conf(
        {
            "dfs.namenode.handler.count": 1,
            "ipc.server.handler.queue.size": 2,
            "ipc.server.read.timeout.ms": 4000,
        }
    )
    server = RpcServer(NapService(), Napper, None, conf).start()
    try:
        with _proxy(server, conf) as proxy, ThreadPoolExecutor(9) as pool:
            blobs = [pool.submit(proxy.blob, 8 << 20) for _ in range(8)]
            big = pool.submit(proxy.measure, b"m" * (32 << 20))
            assert big.result(timeout=30) == 32 << 20
            assert all(len(f.result(timeout=30)) == 8 << 20 for f in blobs)
    finally:
        server.stop()


@pytest.mark.rpc
def test_a_client_that_does_not_read_its_replies_holds_up_no_handler(caplog):
    conf = _conf({"dfs.namenode.handler.count": 2, "ipc.server.read.timeout.ms": 5000})
    server = RpcServer(NapService(), Napper, None, conf).start()
    try:
        with socket.create_connection(server.address, timeout=10) as lazy:
            _read_frame(lazy)
            lazy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            for i in range(6):  # 48 MiB of replies it never reads
                lazy.sendall(_framed(packb([i, "blob", [8 << 20]])))
            time.sleep(0.3)
            with _proxy(server, conf) as proxy:
                start = time.monotonic()
                assert proxy.nap(0) == "rested"
                assert time.monotonic() - start < 2  # not after the 5 s send timeout
        deadline = time.monotonic() + 10
        while "cannot deliver replies" not in caplog.text:  # its connection is given up
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        server.stop()


@pytest.mark.rpc
def test_unread_replies_past_ipc_maximum_data_length_close_the_connection(caplog):
    conf = _conf({"ipc.maximum.data.length": 1 << 20})
    server = RpcServer(NapService(), Napper, None, conf).start()
    try:
        with socket.create_connection(server.address, timeout=10) as lazy:
            _read_frame(lazy)
            lazy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            for i in range(12):  # 12 MiB of replies, never read
                lazy.sendall(_framed(packb([i, "blob", [1 << 20]])))
            deadline = time.monotonic() + 10
            while "bytes of replies unread" not in caplog.text:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        with _proxy(server, conf) as proxy:
            assert proxy.nap(0) == "rested"
    finally:
        server.stop()


# -- the fast paths: cheap calls run on the server's reader thread; one connection, many calls --
class Where(Protocol):
    def here(self) -> str: ...
    def there(self, seconds: float) -> str: ...
    def refuse(self) -> None: ...


class WhereService:
    """Answers with the name of the server thread that ran the call."""

    def here(self) -> str:
        return threading.current_thread().name

    def there(self, seconds: float) -> str:
        time.sleep(seconds)
        return threading.current_thread().name

    def refuse(self) -> None:
        raise DFSFileNotFound("/z: No such file or directory", "/z")


@pytest.mark.rpc
def test_inline_calls_run_on_the_reader_thread_the_rest_on_the_pool():
    server = RpcServer(WhereService(), Where, None, _conf(), inline={"here", "refuse"}).start()
    try:
        with RpcProxy(Where, server.address, _conf()) as proxy:
            assert proxy.here().startswith("rpc-conn-")
            assert proxy.there(0).startswith("rpc-handler")
            with pytest.raises(DFSFileNotFound, match="/z"):  # typed errors as from the pool
                proxy.refuse()
            with ThreadPoolExecutor(1) as pool:  # a long pooled call on the same connection
                slow = pool.submit(proxy.there, 1.0)  # ... holds up no inline call behind it
                time.sleep(0.1)
                start = time.monotonic()
                assert proxy.here().startswith("rpc-conn-")
                assert time.monotonic() - start < 0.5
                assert slow.result(timeout=10).startswith("rpc-handler")
    finally:
        server.stop()


def test_the_read_only_methods_run_inline_by_default():
    from dfs import protocol

    assert protocol.READ_ONLY_METHODS <= protocol.IDEMPOTENT_METHODS  # read-only: retry-safe
    nn = RpcServer(object(), (protocol.ClientProtocol, protocol.DatanodeProtocol))
    napper = RpcServer(NapService(), Napper)
    untyped = RpcServer(NapService())
    try:
        assert nn.inline == protocol.READ_ONLY_METHODS
        assert napper.inline == frozenset() and untyped.inline == frozenset()
    finally:
        for server in (nn, napper, untyped):
            server.stop()


@pytest.mark.rpc
def test_threads_sharing_a_connection_each_get_their_own_reply(napper):
    _, server = napper
    with _proxy(server) as shared:

        def calls(worker: int) -> list[int]:
            sizes = [(worker * 7919 + i * 104729) % 300_000 for i in range(40)]
            return [len(shared.blob(n)) - n for n in sizes]  # big replies span many reads

        with ThreadPoolExecutor(16) as pool:
            assert all(d == 0 for diffs in pool.map(calls, range(16)) for d in diffs)


@pytest.mark.rpc
def test_a_call_timing_out_holds_up_no_other_call_on_its_connection(napper):
    """A call that gives up waiting must leave the connection able to deliver the reply of a
    call still waiting on it (a client whose callers read the socket themselves has to hand
    the reading on; one with a reader thread must keep reading)."""
    _, server = napper
    conf = _conf({"ipc.client.rpc-timeout.ms": 2000})
    with _proxy(server, conf) as proxy, ThreadPoolExecutor(2) as pool:
        first = pool.submit(proxy.nap, 4)  # times out at 2.0 s, while reading
        time.sleep(0.5)
        second = pool.submit(proxy.nap, 1.75)  # its reply comes at 2.25 s, deadline 2.5 s
        assert second.result(timeout=10) == "rested"
        with pytest.raises(RpcTimeoutError):
            first.result(timeout=10)


def test_a_failed_encoding_leaves_the_codec_usable():
    lb = LocatedBlock(7, 1001, 0, 100, (), ("dn1",))
    with pytest.raises(TypeError, match="msgpack only"):
        packb([lb, (lb, object())])  # fails inside a nested extension type
    assert unpackb(packb([lb, (lb, {3})])) == [lb, (lb, {3})]
    with ThreadPoolExecutor(8) as pool:  # each thread packs with its own packers
        values = [[LocatedBlock(i, i, 0, i, (), ()), (i, [i])] for i in range(400)]
        assert list(pool.map(lambda v: unpackb(packb(v)), values)) == values


_ARG_VALUES = st.sampled_from(
    [None, True, 0, 7, 1.5, "/a", b"x", [], ["a"], [1, 2], (3,), ("dn1", "dn2"), {1: 2}, {"a"}]
    + [[[1, "dn"]], [(1, "dn")], FileStatus("/a", 1, False, 3, 64, 1, 2, "u", "g", 0o644)]
)


@given(st.data())
def test_argument_checks_agree_with_binding_the_signature(data):
    """The server's quick argument check says what binding the signature and checking each
    bound argument's annotation says (the slow way, spelled out here)."""
    from dfs.protocol import ClientProtocol, DatanodeProtocol
    from dfs.rpctypes import conforms, method_specs

    specs = method_specs((ClientProtocol, DatanodeProtocol))
    spec = specs[data.draw(st.sampled_from(sorted(specs)))]
    args = data.draw(st.lists(_ARG_VALUES, max_size=len(spec.signature.parameters) + 1))
    try:
        bound = spec.signature.bind(None, *args).arguments
        expected = all(
            conforms(value, spec.hints[name])
            for name, value in list(bound.items())[1:]
            if name in spec.hints
        )
    except TypeError:
        expected = False
    assert (spec.check(args) is None) == expected, (spec.name, args, spec.check(args))
