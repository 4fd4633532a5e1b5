"""The RPC wire format: msgpack encoding of calls, frames, addresses and the connection errors.

Owns how values cross a socket (msgpack only, never pickle): extension types for the frozen
dataclasses of `dfs.protocol` (and any added with `register`), tuples kept apart from lists,
sets; ``u32 length | msgpack body`` frames; the greeting and HMAC answer of the handshake. It
opens no sockets of its own: `dfs.rpcserver` and `dfs.rpc` do. Decoding is hostile-input safe:
an unknown extension code or wire type, or extension types nested too deep, raise ValueError.

>>> unpackb(packb([(1, 2), [3], {4}]))
[(1, 2), [3], {4}]
"""

from __future__ import annotations

import dataclasses
import struct
import threading
from typing import TYPE_CHECKING, Any

import msgpack

from dfs import protocol
from dfs.errors import DFSError

if TYPE_CHECKING:  # the embedded cluster's calls (dfs.localrpc) open no socket
    import socket

_EXT_DATACLASS, _EXT_TUPLE, _EXT_SET = 1, 2, 3
_MAX_EXT_DEPTH = 64
_TYPES: dict[str, type] = {}
_FIELDS: dict[type, tuple[str, tuple[str, ...]]] = {}  # a registered class: (name, its fields)
_ext_depth = threading.local()
_packers = threading.local()  # per thread, one msgpack.Packer per nesting depth (see packb)
FRAME = struct.Struct(">I")
MAGIC, VERSION = "minihadoop-rpc", 1


class RpcConnectionError(DFSError, ConnectionError):
    """The call could not reach the server, or its connection broke before the reply."""

    hadoop_name = "ConnectException"


class RpcTimeoutError(DFSError, TimeoutError):
    """No reply within ipc.client.rpc-timeout.ms."""

    hadoop_name = "SocketTimeoutException"


class RpcAuthError(DFSError, PermissionError):
    """The server's hadoop.rpc.secret challenge was not answered correctly."""

    hadoop_name = "AccessControlException"


def register(cls: type) -> type:
    """Allow instances of the dataclass `cls` on the wire."""
    _TYPES[cls.__name__] = cls
    _FIELDS[cls] = (cls.__name__, tuple(f.name for f in dataclasses.fields(cls)))
    return cls


for _name in dir(protocol):
    _obj = getattr(protocol, _name)
    if dataclasses.is_dataclass(_obj) and isinstance(_obj, type):
        register(_obj)


def _default(obj: Any) -> Any:
    known = _FIELDS.get(type(obj))
    if known is not None:  # the hot path: a registered dataclass, its field names cached
        name, fields = known
        return msgpack.ExtType(_EXT_DATACLASS, packb([name, [getattr(obj, f) for f in fields]]))
    if dataclasses.is_dataclass(obj) and type(obj).__name__ in _TYPES:
        values = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
        return msgpack.ExtType(_EXT_DATACLASS, packb([type(obj).__name__, values]))
    if isinstance(obj, tuple):
        return msgpack.ExtType(_EXT_TUPLE, packb(list(obj)))
    if isinstance(obj, (set, frozenset)):
        return msgpack.ExtType(_EXT_SET, packb(sorted(obj)))
    raise TypeError(f"cannot send {type(obj).__name__} over the wire (msgpack only)")


def _ext_hook(code: int, data: bytes) -> Any:
    depth = getattr(_ext_depth, "n", 0)
    if depth >= _MAX_EXT_DEPTH:
        raise ValueError(f"extension types nested deeper than {_MAX_EXT_DEPTH}")
    _ext_depth.n = depth + 1
    try:
        if code == _EXT_DATACLASS:
            name, values = unpackb(data)
            if name not in _TYPES or not isinstance(values, list):
                raise ValueError(f"unknown wire type {name!r}")
            return _TYPES[name](*values)
        if code == _EXT_TUPLE:
            return tuple(unpackb(data))
        if code == _EXT_SET:
            return set(unpackb(data))
        raise ValueError(f"unknown msgpack extension type {code}")
    finally:
        _ext_depth.n = depth


def packb(obj: Any) -> bytes:
    """`obj` as msgpack bytes. Each thread reuses its packers (``msgpack.packb`` builds a new
    one, with a fresh 256 KiB buffer, per call); `_default` packs the insides of an extension
    type while the outer packer is busy, so there is one packer per nesting depth."""
    try:
        stack, depth = _packers.stack, _packers.depth
    except AttributeError:
        stack, depth = _packers.stack, _packers.depth = [], 0
    if depth == len(stack):
        stack.append(msgpack.Packer(default=_default, use_bin_type=True, strict_types=True))
    _packers.depth = depth + 1
    try:
        return stack[depth].pack(obj)  # a failed pack() leaves the packer empty
    finally:
        _packers.depth = depth


def unpackb(data: bytes) -> Any:
    return msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)


# -- framing and addresses ------------------------------------------------------------------------
def parse_address(address: str | tuple[str, int] | int | None) -> tuple[str, int]:
    """``"127.0.0.1:8020"``, ``("127.0.0.1", 8020)``, a bare port or None (127.0.0.1:0).

    >>> parse_address("127.0.0.1:8020"), parse_address(None), parse_address(9000)
    (('127.0.0.1', 8020), ('127.0.0.1', 0), ('127.0.0.1', 9000))
    """
    if address is None:
        return ("127.0.0.1", 0)
    if isinstance(address, int):
        return ("127.0.0.1", address)
    if isinstance(address, str):
        host, sep, port = address.strip().rpartition(":")
        if not sep or not port.isdigit():
            raise DFSError(f"bad RPC address {address!r}: expected host:port, e.g. 127.0.0.1:0")
        return (host or "127.0.0.1", int(port))
    host, port = address
    return (str(host), int(port))


def frame(body: bytes) -> bytes:
    return FRAME.pack(len(body)) + body


def recv_exact(sock: socket.socket, n: int) -> bytes:
    """Read n bytes from a blocking socket; a socket timeout between chunks is waited out."""
    parts, got = [], 0
    while got < n:
        try:
            chunk = sock.recv(min(n - got, 1 << 20))
        except TimeoutError:
            continue
        if not chunk:
            raise ConnectionError("connection closed by the server")
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def recv_frame(sock: socket.socket, limit: int) -> bytes:
    (length,) = FRAME.unpack(recv_exact(sock, FRAME.size))
    if length > limit:
        raise ConnectionError(f"reply of {length} bytes exceeds ipc.maximum.response.length")
    return recv_exact(sock, length)


def hmac_digest(secret: bytes, challenge: bytes) -> bytes:
    import hashlib  # lazy: only a TCP handshake needs them (hashlib takes ~10M instructions)
    import hmac

    return hmac.new(secret, challenge, hashlib.sha256).digest()
