"""The transport seam: calling a service object directly, through msgpack in-process, or over TCP.

Owns the three ways to reach a service and the client side of RPC: the object itself,
`LocalTransport` (`dfs.localrpc`, re-exported here: in-process, but every argument, result and
error makes a msgpack round trip), and `RpcProxy`, the typed TCP
client of an `RpcServer` (`dfs.rpcserver`, re-exported here). Services never import this
module; they are plain objects, and the `typing.Protocol` classes of `dfs.protocol` name the
methods a proxy may call and a server serves. The wire format is `dfs.rpccodec`'s: a call is
``[msgid, method, args]`` and a reply ``[msgid, error_or_None, result]``, errors rebuilt on the
caller's side as the same `DFSError` subclass.

A proxy keeps one connection with many calls in flight (a reader thread matches replies to
callers by request id), re-opens it after it breaks, and retries a call whose connection broke
only when the call is idempotent (`IDEMPOTENT_METHODS`) or was never sent.

>>> unpackb(packb([(1, 2), [3], {4}]))
[(1, 2), [3], {4}]
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import msgpack

from dfs.conf import Configuration
from dfs.errors import DFSError, from_wire
from dfs.localrpc import LocalTransport
from dfs.protocol import IDEMPOTENT_METHODS
from dfs.rpccodec import (
    FRAME,
    MAGIC,
    RpcAuthError,
    RpcConnectionError,
    RpcTimeoutError,
    frame,
    hmac_digest,
    packb,
    parse_address,
    recv_exact,
    recv_frame,
    register,
    unpackb,
)
from dfs.rpcserver import RpcServer
from dfs.rpctypes import method_specs

log = logging.getLogger(__name__)

__all__ = [
    "IDEMPOTENT_METHODS",
    "LocalTransport",
    "RpcAuthError",
    "RpcConnectionError",
    "RpcProxy",
    "RpcServer",
    "RpcTimeoutError",
    "packb",
    "parse_address",
    "register",
    "unpackb",
]


# -- client ---------------------------------------------------------------------------------------
class _Broken(Exception):
    """The connection died; `sent` says whether the call may have reached the server."""

    def __init__(self, cause: BaseException, sent: bool) -> None:
        super().__init__(str(cause))
        self.cause, self.sent = cause, sent


class _ClientConnection:
    """One socket to the server: callers register a future under a fresh request id and send;
    a reader thread matches replies to futures."""

    def __init__(self, sock: socket.socket, max_reply: int) -> None:
        self.sock, self.max_reply = sock, max_reply
        self.pending: dict[int, Future] = {}
        self.lock = threading.Lock()  # pending and broken
        self.write_lock = threading.Lock()  # one frame at a time on the socket
        self.broken: BaseException | None = None
        self.pid = os.getpid()
        self.last_used = time.monotonic()
        threading.Thread(target=self._read_loop, name="rpc-client-reader", daemon=True).start()

    def send(self, msgid: int, body: bytes) -> Future:
        future: Future = Future()
        with self.lock:
            if self.broken is None and not self.pending and self._eof_waiting():
                self._fail_locked(ConnectionError("connection closed by the server"))
            if self.broken is not None:
                raise _Broken(self.broken, sent=False)
            self.pending[msgid] = future
        try:  # not under `lock`: the reader must go on delivering replies meanwhile
            with self.write_lock:
                self.sock.sendall(body)
        except OSError as e:
            with self.lock:
                self._fail_locked(e)
            raise _Broken(e, sent=True) from e
        self.last_used = time.monotonic()
        return future

    def forget(self, msgid: int) -> None:
        with self.lock:
            self.pending.pop(msgid, None)

    def _eof_waiting(self) -> bool:
        """With no call in flight the server sends nothing: readable means closed."""
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        return bool(poller.poll(0))

    def _read_loop(self) -> None:
        try:
            while True:
                reply = unpackb(recv_frame(self.sock, self.max_reply))
                msgid, error, result = reply
                with self.lock:
                    future = self.pending.pop(msgid, None)
                self.last_used = time.monotonic()
                if future is not None:
                    future.set_result((error, result))
        except BaseException as e:  # EOF, reset, a garbled reply: every waiter learns of it
            with self.lock:
                self._fail_locked(e)

    def _fail_locked(self, cause: BaseException) -> None:
        if self.broken is None:
            self.broken = cause
            for future in self.pending.values():
                future.set_exception(_Broken(cause, sent=True))
            self.pending.clear()
        self.close()

    def close(self) -> None:
        if self.pid == os.getpid():
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()  # in a forked child only our copy of the fd goes


class RpcProxy:
    """A typed, thread-safe proxy: ``RpcProxy(ClientProtocol, address, conf).get_status(...)``.

    Only the protocol's methods exist (a typo fails at once). Many threads may have calls in
    flight over the one connection. A broken connection is re-opened on the next call; a call
    whose connection broke is retried, with bounded backoff, only when it is idempotent
    (`IDEMPOTENT_METHODS`) or was never sent. Errors come back as the same DFSError subclass.
    ``RpcProxy(address)`` (no protocol) allows any public method, as before issue 12."""

    def __init__(
        self,
        protocol_or_address: type | Iterable[type] | str | tuple[str, int],
        address: str | tuple[str, int] | None = None,
        conf: Configuration | None = None,
        *,
        timeout: float | None = None,
        idempotent: Iterable[str] | None = None,
    ) -> None:
        if address is None:
            protocols, address = None, protocol_or_address
        else:
            protocols = protocol_or_address
        conf = conf or Configuration()
        self._address = parse_address(address)  # type: ignore[arg-type]
        self._label = f"{self._address[0]}:{self._address[1]}"
        self._specs = method_specs(protocols) if protocols is not None else None
        self._idempotent = frozenset(IDEMPOTENT_METHODS if idempotent is None else idempotent)
        ms = conf.get_float("ipc.client.rpc-timeout.ms")
        self._call_timeout = timeout if timeout is not None else (ms / 1000 if ms > 0 else None)
        connect_ms = conf.get_float("ipc.client.connect.timeout")
        self._connect_timeout = timeout if timeout is not None else connect_ms / 1000
        self._retries = conf.get_int("ipc.client.connect.max.retries")
        self._retry_cap = conf.get_float("ipc.client.connect.retry.interval") / 1000
        self._max_idle = conf.get_float("ipc.client.connection.maxidletime") / 1000
        self._max_reply = conf.get_bytes("ipc.maximum.response.length")
        self._secret = conf.get_str("hadoop.rpc.secret").encode()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._conn: _ClientConnection | None = None

    @property
    def address(self) -> tuple[str, int]:
        return self._address

    @property
    def idempotent(self) -> frozenset[str]:
        """The methods this proxy re-sends after a broken connection."""
        return self._idempotent

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith("_"):
            raise AttributeError(method)
        spec = None
        if self._specs is not None:
            spec = self._specs.get(method)
            if spec is None:
                import difflib  # here: only a call of an unknown method needs a suggestion

                close = difflib.get_close_matches(method, self._specs, 1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise AttributeError(f"the RPC protocol has no method {method!r}{hint}")

        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                if spec is None:
                    raise TypeError(f"{method}: keyword arguments need a typed proxy")
                args = spec.positional(args, kwargs)
            return self._call(method, args)

        call.__name__ = method
        self.__dict__[method] = call  # later look-ups skip __getattr__
        return call

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> RpcProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls ------------------------------------------------------------------------------------
    def _call(self, method: str, args: tuple) -> Any:
        msgid = next(self._ids)
        body = frame(packb([msgid, method, list(args)]))  # a non-wire argument fails here
        for attempt in itertools.count():
            try:
                conn = self._connection()
            except RpcAuthError:
                raise
            except OSError as e:  # nothing was sent: always safe to try again
                failure, sent = e, False
            else:
                try:
                    future = conn.send(msgid, body)
                    error, result = self._wait(conn, msgid, method, future)
                except _Broken as e:
                    failure, sent = e.cause, e.sent
                else:
                    if error is not None:
                        raise from_wire(error)
                    return result
            if attempt >= self._retries or (sent and method not in self._idempotent):
                raise self._connection_error(method, failure, sent) from failure
            time.sleep(min(self._retry_cap, 0.1 * 2**attempt))
        raise AssertionError("unreachable")

    def _wait(self, conn: _ClientConnection, msgid: int, method: str, future: Future) -> Any:
        try:
            return future.result(self._call_timeout)
        except FutureTimeout:
            conn.forget(msgid)
            raise RpcTimeoutError(
                f"Call to {self._label} failed on socket timeout exception: {method} got no "
                f"reply in {self._call_timeout:g} s (ipc.client.rpc-timeout.ms)"
            ) from None

    def _connection_error(self, method: str, failure: BaseException, sent: bool) -> DFSError:
        detail = f"{type(failure).__name__}: {failure}"
        if sent and method not in self._idempotent:
            detail += f"; {method} is not idempotent, so it was not retried (it may have run)"
        return RpcConnectionError(f"Call to {self._label} failed on connection exception: {detail}")

    def _connection(self) -> _ClientConnection:
        with self._lock:
            conn = self._conn
            if conn is not None and (
                conn.broken is not None
                or conn.pid != os.getpid()
                or (not conn.pending and time.monotonic() - conn.last_used > self._max_idle)
            ):
                conn.close()
                conn = self._conn = None
            if conn is None:
                conn = self._conn = self._connect()
            return conn

    def _connect(self) -> _ClientConnection:
        sock = socket.create_connection(self._address, timeout=self._connect_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            hello = self._greeting(sock)
            if hello[2] is not None:
                self._answer_challenge(sock, hello[2])
            sock.settimeout(self._call_timeout)
            return _ClientConnection(sock, self._max_reply)
        except BaseException:
            sock.close()
            raise

    def _greeting(self, sock: socket.socket) -> list:
        (length,) = FRAME.unpack(recv_exact(sock, FRAME.size))
        try:
            hello = msgpack.unpackb(recv_exact(sock, length)) if length <= 4096 else None
        except ValueError:
            hello = None
        if not (isinstance(hello, list) and len(hello) == 3 and hello[0] == MAGIC):
            raise ConnectionError(f"{self._label} is not a minihadoop RPC server")
        return hello

    def _answer_challenge(self, sock: socket.socket, challenge: Any) -> None:
        if not self._secret:
            raise RpcAuthError(
                f"the RPC server at {self._label} requires a shared secret: set "
                "hadoop.rpc.secret to the cluster's"
            )
        if not isinstance(challenge, bytes):
            raise ConnectionError(f"{self._label} sent a malformed challenge")
        sock.sendall(frame(msgpack.packb(["auth", hmac_digest(self._secret, challenge)])))
        if msgpack.unpackb(recv_frame(sock, 4096)) != ["ok"]:
            raise RpcAuthError(
                f"the RPC server at {self._label} refused this client: its hadoop.rpc.secret "
                "does not match the server's"
            )
