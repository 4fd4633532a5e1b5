"""Calling a service in-process as RPC would: `LocalTransport`, and `invoke`, the call itself.

Owns `LocalTransport` (in-process, but every argument, result and error makes a msgpack round
trip, so anything that would not survive the network fails here too: the embedded cluster's
way to its NameNode) and `invoke`, which runs one call on a service object and turns its
`DFSError` into the wire's error list (the TCP server, `dfs.rpcserver`, runs its calls through
it too). Must not touch: sockets, threads and the handshake (`dfs.rpc`, `dfs.rpcserver`): a
command on the embedded cluster never imports them (socket, select, hmac and hashlib,
concurrent.futures: ~20M instructions of every `hadoop` command's start).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from dfs.errors import DFSError, from_wire
from dfs.rpccodec import packb, unpackb

log = logging.getLogger("dfs.rpcserver")  # the server's log, where its call failures were

__all__ = ["LocalTransport", "invoke", "wire_error"]


class LocalTransport:
    """An in-process proxy whose calls round-trip through msgpack."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any) -> Any:
            sent = unpackb(packb(list(args)))
            error, result = invoke(self._target, method, sent)
            if error is not None:
                raise from_wire(error)
            return unpackb(packb(result))

        return call


def invoke(target: Any, method: str, args: list) -> tuple[list | None, Any]:
    """Call `target.method(*args)`; returns (error on the wire or None, result)."""
    if method.startswith("_") or not callable(getattr(target, method, None)):
        return ["DFSError", f"unknown RPC method {method!r}", None], None
    try:
        return None, getattr(target, method)(*args)
    except DFSError as e:
        return wire_error(e), None
    except Exception as e:  # an unexpected server-side failure still returns, never kills
        log.exception("RPC %s failed", method)
        return ["DFSError", f"{type(e).__name__}: {e}", None], None


def wire_error(error: DFSError) -> list:
    """`error` on the wire under the nearest class the caller's `from_wire` rebuilds (an
    EditLogCorrupt arrives as DFSInconsistentState, not as a bare DFSError)."""
    _, message, path = error.to_wire()
    return [_wire_name(type(error)), message, path]


@functools.cache
def _wire_name(cls: type) -> str:
    for klass in cls.__mro__:
        known = issubclass(klass, DFSError) and type(from_wire([klass.__name__, "", None]))
        if known is klass:
            return klass.__name__
    return "DFSError"
