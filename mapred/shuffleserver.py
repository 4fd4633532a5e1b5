"""The shuffle between nodes: a TaskTracker serving its map outputs, a reducer fetching them.

Owns the TCP service a tracker daemon runs beside its child processes (Hadoop's
ShuffleHandler) and the reducer's fetch. A request names a job, a map attempt and a partition
(``u32 length | msgpack [job, attempt, partition]``); the server answers only for map outputs
its own tracker registered (``publish``), never for a path a caller names, with
``u32 length | msgpack [status, length, records]`` and then the segment's bytes straight from
the file (``socket.sendfile``). Hostile input (junk, a huge length, wrong types) closes only that
connection. A fetch copies the segment into a local file so the merge reads it like a local one.
Must not touch: which outputs exist (the tracker says) or how they are merged.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from typing import Any

import msgpack

log = logging.getLogger(__name__)

__all__ = ["ShuffleServer", "fetch_segment", "ShuffleError"]

_FRAME = struct.Struct(">I")
_MAX_REQUEST = 4096
_TIMEOUT_S = 30.0


class ShuffleError(OSError):
    """A map output could not be fetched (the reducer reports it; the map runs again)."""


class ShuffleServer:
    """Serves the partitions of the map outputs published to it (see the module docstring)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._outputs: dict[tuple[str, str], tuple[str, list]] = {}
        self._lock = threading.Lock()
        self._sock = socket.create_server((host, port))
        self.address = self._sock.getsockname()[:2]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="shuffle", daemon=True)

    def start(self) -> ShuffleServer:
        self._thread.start()
        return self

    def publish(self, job_id: str, attempt_id: str, output: list) -> None:
        """Make a finished map's output (``[path, index]``) fetchable."""
        with self._lock:
            self._outputs[(job_id, attempt_id)] = (output[0], output[1])

    def forget_job(self, job_id: str) -> None:
        with self._lock:
            for key in [k for k in self._outputs if k[0] == job_id]:
                del self._outputs[key]

    def stop(self) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):  # wakes the accepting thread (close alone may not)
            self._sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._sock.close()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(_TIMEOUT_S)
            try:
                while self._answer(conn):
                    pass
            except (OSError, ValueError, TypeError, msgpack.ExtraData) as e:
                log.info("shuffle connection closed: %s", e)

    def _answer(self, conn: socket.socket) -> bool:
        head = _recv(conn, _FRAME.size, allow_eof=True)
        if not head:
            return False
        (size,) = _FRAME.unpack(head)
        if size > _MAX_REQUEST:
            raise ValueError(f"request of {size} bytes")
        request = msgpack.unpackb(_recv(conn, size), raw=False)
        if not (isinstance(request, list) and len(request) == 3):
            raise ValueError("malformed request")
        job_id, attempt_id, partition = request
        if not (isinstance(job_id, str) and isinstance(attempt_id, str)):
            raise TypeError("job and attempt must be strings")
        with self._lock:
            found = self._outputs.get((job_id, attempt_id))
        if found is None or not isinstance(partition, int) or not 0 <= partition < len(found[1]):
            _send(conn, ["NOT_FOUND", 0, 0])
            return True
        path, index = found
        offset, length, records = index[partition]
        try:
            with open(path, "rb") as f:
                _send(conn, ["OK", length, records])
                # socket.sendfile, not os.sendfile: the socket has a timeout, so it is
                # non-blocking underneath and a full send buffer is EAGAIN, not a wait
                if length and conn.sendfile(f, offset, length) != length:
                    raise OSError(f"{path} ended early")
        except FileNotFoundError:
            _send(conn, ["NOT_FOUND", 0, 0])
        return True


def fetch_segment(
    address: tuple[str, int] | list, job_id: str, attempt_id: str, partition: int, target: str
) -> tuple[str, int, int, int]:
    """Copy one partition of a remote map output into `target`; returns the local segment
    ``(path, 0, length, records)``. Any failure is a ShuffleError."""
    try:
        with socket.create_connection(tuple(address), timeout=_TIMEOUT_S) as conn:
            _send(conn, [job_id, attempt_id, partition])
            status, length, records = _reply(conn)
            if status != "OK":
                raise ShuffleError(f"{attempt_id}: map output not found at {address}")
            with open(target, "wb") as out:
                left = length
                while left:
                    data = conn.recv(min(left, 1 << 20))
                    if not data:
                        raise ShuffleError(f"{attempt_id}: connection closed mid-segment")
                    out.write(data)
                    left -= len(data)
    except ShuffleError:
        raise
    except (OSError, ValueError) as e:
        raise ShuffleError(f"{attempt_id}: cannot fetch from {address}: {e}") from e
    return target, 0, length, records


def _reply(conn: socket.socket) -> Any:
    (size,) = _FRAME.unpack(_recv(conn, _FRAME.size))
    if size > _MAX_REQUEST:
        raise ShuffleError(f"reply header of {size} bytes")
    return msgpack.unpackb(_recv(conn, size), raw=False)


def _send(conn: socket.socket, obj: Any) -> None:
    body = msgpack.packb(obj, use_bin_type=True)
    conn.sendall(_FRAME.pack(len(body)) + body)


def _recv(conn: socket.socket, n: int, allow_eof: bool = False) -> bytes:
    chunks, left = [], n
    while left:
        data = conn.recv(left)
        if not data:
            if allow_eof and left == n:
                return b""
            raise ValueError("connection closed mid-frame")
        chunks.append(data)
        left -= len(data)
    return b"".join(chunks)
