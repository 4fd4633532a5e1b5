"""The RPC server: many calls in flight from many clients, no lock of its own around calls.

Owns `RpcServer`: a thread accepts connections; per connection a reader thread parses frames
and queues each call on a pool of handler threads (`dfs.namenode.handler.count`), except cheap
read-only calls (`inline`, by default `dfs.protocol.READ_ONLY_METHODS`), which the reader runs
itself: a thread hop less on the commonest calls. Replies go out under the connection's write
lock, tagged with the request id, straight from the thread that ran the call. Only the methods
of the protocol classes it is given may be called, with arguments of their annotated types
(`dfs.rpctypes`); the service serializes itself (`NameNode.locked()`). Hostile input (garbage,
a truncated frame, a length over `ipc.maximum.data.length`, a wrong shape, an unknown extension
type, a sender stalling mid-frame past `ipc.server.read.timeout.ms`, a wrong
`hadoop.rpc.secret` answer) closes that one connection with one log line; everyone else is
still served.
"""

from __future__ import annotations

import collections
import contextlib
import hmac
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import msgpack

from dfs.conf import Configuration
from dfs.localrpc import invoke
from dfs.protocol import READ_ONLY_METHODS
from dfs.rpccodec import FRAME, MAGIC, VERSION, frame, hmac_digest, packb, parse_address, unpackb
from dfs.rpctypes import method_specs

log = logging.getLogger(__name__)


# -- server ---------------------------------------------------------------------------------------
class _Refused(Exception):
    """This connection misbehaved; the message is the one log line."""


class _Idle(_Refused):
    """A connection unused for twice ipc.client.connection.maxidletime: closed, not hostile."""


class _ServerConnection:
    """One client's socket: a reader thread parses frames and queues each call on the pool;
    replies are written, with their request id, under the connection's write lock."""

    def __init__(self, server: RpcServer, sock: socket.socket, peer: str) -> None:
        self.server, self.sock, self.peer = server, sock, peer
        self.buf = bytearray()
        self.poller = select.poll()
        self.poller.register(sock, select.POLLIN)
        self.out_poller = select.poll()  # registered now: the socket may be closed later
        self.out_poller.register(sock, select.POLLOUT)
        self.write_lock = threading.Lock()  # guards the three below and direct sends
        self.responding = False  # a responder thread owns the socket's sends
        self.backlog: collections.deque[bytes] = collections.deque()
        self.backlog_bytes = 0
        self.slots = threading.Semaphore(server.max_queued)
        self.busy = 0
        self.busy_lock = threading.Lock()

    def serve(self) -> None:
        try:
            self._handshake()
            while (body := self._read_frame(self.server.idle_timeout)) is not None:
                self._dispatch(body)
        except _Refused as e:
            level = logging.INFO if isinstance(e, _Idle) else logging.WARNING
            log.log(level, "RPC: closing connection from %s: %s", self.peer, e)
        except OSError as e:
            if not self.server.stopping:
                log.info("RPC: connection from %s lost: %s", self.peer, e)
        except Exception as e:  # a bug here still costs one connection, never the server
            log.error("RPC: closing connection from %s: %s: %s", self.peer, type(e).__name__, e)
        finally:
            self.abort()
            self.sock.close()
            self.server.forget(self)

    def abort(self) -> None:
        """Shut the socket down (waking the reader, which closes it): safe from any thread."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    # -- reading ----------------------------------------------------------------------------------
    def _wait_readable(self, timeout: float) -> bool:
        return bool(self.poller.poll(max(0.0, timeout) * 1000))

    def _recv(self) -> bool:
        chunk = self.sock.recv(1 << 16)
        self.buf += chunk
        return bool(chunk)

    def _read_frame(self, idle_timeout: float) -> bytes | None:
        """The next frame's body; None on a clean close between frames."""
        idle_since = time.monotonic()
        while not self.buf:
            if not self._wait_readable(idle_since + idle_timeout - time.monotonic()):
                if self.busy:  # a long call in flight is not idleness
                    idle_since = time.monotonic()
                    continue
                raise _Idle(f"idle for {idle_timeout:g} s")
            if not self._recv():
                return None
        deadline = time.monotonic() + self.server.read_timeout
        self._fill(FRAME.size, deadline)
        (length,) = FRAME.unpack_from(self.buf)
        if length > self.server.max_data_length:
            raise _Refused(
                f"frame of {length} bytes exceeds ipc.maximum.data.length="
                f"{self.server.max_data_length}"
            )
        self._fill(FRAME.size + length, deadline)
        body = bytes(self.buf[FRAME.size : FRAME.size + length])
        del self.buf[: FRAME.size + length]
        return body

    def _fill(self, n: int, deadline: float) -> None:
        while len(self.buf) < n:
            if not self._wait_readable(deadline - time.monotonic()):
                raise _Refused(
                    f"incomplete frame ({len(self.buf)} of {n} bytes) after "
                    f"{self.server.read_timeout:g} s (ipc.server.read.timeout.ms)"
                )
            if not self._recv():
                raise _Refused(f"truncated frame: closed after {len(self.buf)} of {n} bytes")

    def _handshake(self) -> None:
        secret = self.server.secret
        challenge = os.urandom(32) if secret else None
        self.send(packb([MAGIC, VERSION, challenge]))
        if challenge is None:
            return
        try:
            body = self._read_frame(self.server.read_timeout)
            answer = msgpack.unpackb(body) if body is not None else None
        except _Idle:
            raise _Refused("refused: no answer to the hadoop.rpc.secret challenge") from None
        except _Refused:
            raise
        except Exception:  # not msgpack at all: a wrong answer
            answer = None
        ok = (
            isinstance(answer, list)
            and len(answer) == 2
            and answer[0] == "auth"
            and isinstance(answer[1], bytes)
            and hmac.compare_digest(answer[1], hmac_digest(secret, challenge))
        )
        if not ok:
            self.send(packb(["refused", "wrong answer to the hadoop.rpc.secret challenge"]))
            raise _Refused("refused: no or wrong answer to the hadoop.rpc.secret challenge")
        self.send(packb(["ok"]))

    # -- calls ------------------------------------------------------------------------------------
    def _dispatch(self, body: bytes) -> None:
        try:
            call = unpackb(body)
        except Exception as e:
            why = f"{type(e).__name__}: {str(e) or 'not msgpack'}"
            raise _Refused(f"undecodable frame ({why})") from None
        if not (
            type(call) is list
            and len(call) == 3
            and type(call[0]) is int
            and type(call[1]) is str
            and type(call[2]) is list
        ):
            raise _Refused("malformed call: expected [request id, method name, argument list]")
        if call[1] in self.server.inline:  # cheap and read-only: no hop to the pool
            self._answer(*call)
            return
        while not self.slots.acquire(timeout=0.5):  # back-pressure: stop reading this client
            if self.server.stopping:
                raise OSError("server stopping")
        with self.busy_lock:
            self.busy += 1
        try:
            self.server.pool.submit(self._run, *call)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self._done()
            raise OSError("server stopping") from None

    def _done(self) -> None:
        with self.busy_lock:
            self.busy -= 1
        self.slots.release()

    def _run(self, msgid: int, method: str, args: list) -> None:
        try:
            self._answer(msgid, method, args)
        finally:
            self._done()

    def _answer(self, msgid: int, method: str, args: list) -> None:
        """Run one call and send its reply (on a handler thread, or inline on the reader)."""
        try:
            error, result = self.server.call(method, args, self.peer)
            try:
                body = packb([msgid, error, result])
            except Exception as e:
                log.error("RPC %s: cannot encode the reply: %s", method, e)
                error = ["DFSError", f"cannot send the reply of {method}: {e}", None]
                body = packb([msgid, error, None])
            self.send(body)
        except OSError as e:
            log.debug("RPC: reply to %s lost: %s", self.peer, e)
            self.abort()  # a client that stopped reading loses its connection

    # -- writing: Hadoop's Responder ----------------------------------------------------------
    def send(self, body: bytes) -> None:
        """Send a frame without ever blocking the caller: what the socket does not take at once
        is queued for a responder thread, so a client slow to read holds up no handler."""
        data = frame(body)
        with self.write_lock:
            if not self.responding:
                try:
                    sent = self.sock.send(data, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    sent = 0
                if sent == len(data):
                    return
                data = data[sent:]
                self.responding = True
                threading.Thread(target=self._respond, name="rpc-responder", daemon=True).start()
            self.backlog.append(data)
            self.backlog_bytes += len(data)
            if self.backlog_bytes <= self.server.max_data_length:
                return
        log.warning(
            "RPC: closing connection from %s: %d bytes of replies unread (over "
            "ipc.maximum.data.length)",
            self.peer,
            self.backlog_bytes,
        )
        self.abort()

    def _respond(self) -> None:
        try:
            while True:
                with self.write_lock:
                    if not self.backlog:
                        self.responding = False
                        return
                    data = self.backlog.popleft()
                    self.backlog_bytes -= len(data)
                self._write_all(memoryview(data))
        except OSError as e:
            if not self.server.stopping:
                log.warning(
                    "RPC: closing connection from %s: cannot deliver replies (%s)", self.peer, e
                )
            self.abort()  # `responding` stays set: nobody writes to this connection again

    def _write_all(self, view: memoryview) -> None:
        while view:
            if not self.out_poller.poll(self.server.read_timeout * 1000):
                raise TimeoutError(
                    f"no reply bytes taken for {self.server.read_timeout:g} s "
                    "(ipc.server.read.timeout.ms)"
                )
            try:
                view = view[self.sock.send(view, socket.MSG_DONTWAIT) :]
            except BlockingIOError:
                continue


class RpcServer:
    """Serves a target's protocol methods over TCP: a thread accepts connections, a reader
    thread per connection parses frames, a pool of handler threads runs the calls.

    `protocols` (the `typing.Protocol` classes of `dfs.protocol`) name the callable methods and
    their argument types; without them every public method of `target` is callable (embedded
    tests only). `inline` names the methods run on the reader thread instead of the pool: they
    must be short and never wait for another call (a connection reads nothing meanwhile)."""

    def __init__(
        self,
        target: Any,
        protocols: Iterable[type] | type | None = None,
        address: str | tuple[str, int] | int | None = None,
        conf: Configuration | None = None,
        handlers: int | None = None,
        inline: Iterable[str] | None = None,
    ) -> None:
        conf = conf or Configuration()
        self.target = target
        self.specs = method_specs(protocols) if protocols is not None else None
        # run on the connection's reader thread, not the pool: only cheap calls that never
        # wait for another call (by default the protocols' READ_ONLY_METHODS)
        if inline is None:
            inline = READ_ONLY_METHODS if self.specs is not None else ()
        self.inline = frozenset(inline) & set(self.specs or inline)
        self.max_data_length = conf.get_bytes("ipc.maximum.data.length")
        self.read_timeout = conf.get_float("ipc.server.read.timeout.ms") / 1000
        self.idle_timeout = 2 * conf.get_float("ipc.client.connection.maxidletime") / 1000
        self.max_connections = conf.get_int("ipc.server.max.connections")
        # calls one connection may have waiting or running before the server stops reading it
        self.max_queued = max(1, conf.get_int("ipc.server.handler.queue.size"))
        self.secret = conf.get_str("hadoop.rpc.secret").encode()
        handlers = handlers or conf.get_int("dfs.namenode.handler.count")
        self.pool = ThreadPoolExecutor(max(1, handlers), thread_name_prefix="rpc-handler")
        self.stopping = False
        self._connections: set[_ServerConnection] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(parse_address(address), backlog=128)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._thread = threading.Thread(
            target=self._accept_loop, name=f"rpc-server-{self.address[1]}", daemon=True
        )

    def start(self) -> RpcServer:
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop accepting, drop every connection; calls still running finish unanswered."""
        self.stopping = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept() on Linux
        self._listener.close()
        self.drop_connections()
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5)

    def drop_connections(self) -> None:
        """Break every open connection (as a crash would); the server keeps accepting."""
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.abort()

    def __enter__(self) -> RpcServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self.stopping:
            try:
                sock, peer = self._listener.accept()
            except OSError as e:
                if self.stopping:
                    return
                log.warning("RPC: accept failed: %s", e)  # e.g. out of file descriptors
                time.sleep(0.05)
                continue
            self._start_connection(sock, f"{peer[0]}:{peer[1]}")

    def _start_connection(self, sock: socket.socket, peer: str) -> None:
        with self._lock:
            if self.max_connections and len(self._connections) >= self.max_connections:
                log.warning(
                    "RPC: refusing connection from %s: ipc.server.max.connections=%d reached",
                    peer,
                    self.max_connections,
                )
                sock.close()
                return
            conn = _ServerConnection(self, sock, peer)
            self._connections.add(conn)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)  # blocking: reads wait in poll(), sends never block (see send)
        threading.Thread(target=conn.serve, name=f"rpc-conn-{peer}", daemon=True).start()

    def forget(self, conn: _ServerConnection) -> None:
        with self._lock:
            self._connections.discard(conn)

    def call(self, method: str, args: list, peer: str = "") -> tuple[list | None, Any]:
        """Run one call after checking it against the protocols; (wire error or None, result)."""
        if self.specs is not None:
            spec = self.specs.get(method)
            problem = f"unknown RPC method {method!r}" if spec is None else spec.check(args)
            if problem is not None:
                log.warning("RPC from %s refused: %s", peer, problem)
                return ["DFSError", problem, None], None
        return invoke(self.target, method, args)
