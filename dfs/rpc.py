"""The transport seam: calling a service object directly, through msgpack in-process, or over TCP.

Owns the wire encoding of calls (msgpack only, never pickle) and the three ways to reach a
service: the object itself, `LocalTransport` (in-process, but every argument, result and error
makes a msgpack round trip, so anything that would not survive the network fails here too), and
`RpcServer`/`RpcProxy` (framed msgpack over TCP on 127.0.0.1). Services never import this
module; they are plain objects whose public methods are the protocol.

Encoding: msgpack with extension types for the frozen dataclasses of `dfs.protocol` (and any
registered with `register`), tuples (kept distinct from lists) and errors (rebuilt as the same
`DFSError` subclass on the caller's side). A frame is ``u32 length | msgpack body``; a call is
``[msgid, method, args]`` and a reply ``[msgid, error_or_None, result]``.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import socketserver
import struct
import threading
from typing import Any

import msgpack

from dfs import protocol
from dfs.errors import DFSError, from_wire

log = logging.getLogger(__name__)

_EXT_DATACLASS, _EXT_TUPLE, _EXT_SET = 1, 2, 3
_TYPES: dict[str, type] = {}
_FRAME = struct.Struct(">I")


def register(cls: type) -> type:
    """Allow instances of the dataclass `cls` on the wire."""
    _TYPES[cls.__name__] = cls
    return cls


for _name in dir(protocol):
    _obj = getattr(protocol, _name)
    if dataclasses.is_dataclass(_obj) and isinstance(_obj, type):
        register(_obj)


def _default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and type(obj).__name__ in _TYPES:
        values = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
        return msgpack.ExtType(_EXT_DATACLASS, packb([type(obj).__name__, values]))
    if isinstance(obj, tuple):
        return msgpack.ExtType(_EXT_TUPLE, packb(list(obj)))
    if isinstance(obj, (set, frozenset)):
        return msgpack.ExtType(_EXT_SET, packb(sorted(obj)))
    raise TypeError(f"cannot send {type(obj).__name__} over the wire (msgpack only)")


def _ext_hook(code: int, data: bytes) -> Any:
    if code == _EXT_DATACLASS:
        name, values = unpackb(data)
        return _TYPES[name](*values)
    if code == _EXT_TUPLE:
        return tuple(unpackb(data))
    if code == _EXT_SET:
        return set(unpackb(data))
    return msgpack.ExtType(code, data)


def packb(obj: Any) -> bytes:
    return msgpack.packb(obj, default=_default, use_bin_type=True, strict_types=True)


def unpackb(data: bytes) -> Any:
    return msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)


def _invoke(target: Any, method: str, args: list) -> tuple[list | None, Any]:
    """Call `target.method(*args)`; returns (error on the wire or None, result)."""
    if method.startswith("_") or not callable(getattr(target, method, None)):
        return ["DFSError", f"unknown RPC method {method!r}", None], None
    try:
        return None, getattr(target, method)(*args)
    except DFSError as e:
        return e.to_wire(), None
    except Exception as e:  # an unexpected server-side failure still returns, never kills
        log.exception("RPC %s failed", method)
        return ["DFSError", f"{type(e).__name__}: {e}", None], None


class LocalTransport:
    """An in-process proxy whose calls round-trip through msgpack."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any) -> Any:
            sent = unpackb(packb(list(args)))
            error, result = _invoke(self._target, method, sent)
            if error is not None:
                raise from_wire(error)
            return unpackb(packb(result))

        return call


# -- TCP ------------------------------------------------------------------------------------------
def _send_frame(sock: socket.socket, body: bytes) -> None:
    sock.sendall(_FRAME.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = sock.recv(n - got)
        if not chunk:
            raise ConnectionError("connection closed by peer")
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _recv_frame(sock: socket.socket) -> bytes:
    (length,) = _FRAME.unpack(_recv_exact(sock, _FRAME.size))
    return _recv_exact(sock, length)


class RpcServer:
    """Serves one object's public methods on 127.0.0.1 (a thread per connection)."""

    def __init__(self, target: Any, port: int = 0) -> None:
        lock = threading.Lock()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                while True:
                    try:
                        msgid, method, args = unpackb(_recv_frame(self.request))
                    except (ConnectionError, OSError):
                        return
                    with lock:  # the services are not thread-safe: one call at a time
                        error, result = _invoke(target, method, args)
                    _send_frame(self.request, packb([msgid, error, result]))

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", port), Handler)
        self.address = self._server.server_address
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> RpcServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class RpcProxy:
    """Calls a remote service's methods as if local; errors come back as DFSError subclasses."""

    def __init__(self, address: tuple[str, int], timeout: float = 30.0) -> None:
        self._sock = socket.create_connection(address, timeout=timeout)
        self._next = 0
        self._lock = threading.Lock()

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any) -> Any:
            with self._lock:
                self._next += 1
                _send_frame(self._sock, packb([self._next, method, list(args)]))
                msgid, error, result = unpackb(_recv_frame(self._sock))
            if error is not None:
                raise from_wire(error)
            return result

        return call

    def close(self) -> None:
        self._sock.close()
