"""DataTransferProtocol: how block data moves between clients and datanodes (HDFS's data path).

Owns the wire format of block data and the client ends of the two operations: `read_block`
(READ_BLOCK, verifying every byte on arrival) and `TcpPipeline` (WRITE_BLOCK through a pipeline
of datanodes). The server end is `dfs.xceiver`; the client reaches datanodes through
`dfs.dataaccess`. Must not touch the namenode or replica files.

Wire format. A header is a frame: u32 length, then msgpack (at most `MAX_HEADER` bytes; never
pickle). A request is a map ``{"v": 1, "op": ..., ...}``; a reply ``{"status", "message", ...}``
with status SUCCESS, ERROR or ERROR_CHECKSUM. A WRITE_BLOCK packet is the header
``[seq, offset, unit, crc_len, data_len, last]`` then crc_len bytes of CRC32s (one per `unit`
bytes of data, as the meta file stores them) then data_len raw bytes (at most `MAX_PACKET`).

READ_BLOCK {block, offset, length}: reply {status, message, length (the replica's), bpc}, then
the CRCs the meta file holds for the chunk-aligned range around [offset, offset+length) (span
CRCs for whole 64 KiB spans, chunk CRCs at the ragged edges, in the order `checksum.read_plan`
gives, which both ends compute), then the range's raw bytes: sent with sendfile, received with
one MSG_WAITALL receive into the bytes object the reader returns (no copy made in Python). The
reader verifies every byte (one CRC pass, on the reader, as in
HDFS). A replica the server finds damaged (meta file missing, bad header, wrong size; shorter
than asked) is refused with ERROR_CHECKSUM, which the reader raises as DFSChecksumError: a bad
replica to report.

WRITE_BLOCK {block, genstamp, targets: [[node_id, host, port], ...] downstream, client}: the node
opens its BlockWriter, connects to targets[0] with targets[1:], and replies {status, message,
failed} once its downstream is set up (`failed`: the first node that could not be; "" if none).
Packets follow (unit = the node's bytes-per-checksum). Each node forwards a packet downstream
before writing it (so the nodes write in parallel); the last node also verifies the CRCs. Acks
``[seq, failed]`` flow back upstream in order: `failed` is the first node of the pipeline that no
longer has the data ("" when all do); the nodes after it are cut off with it. A node whose own
write fails acks naming itself and stops; a node whose downstream fails goes on alone. A packet
with last=True finalizes (fsync, move to current/) and is acked after the finalize.

Hostile input (not msgpack, a header over `MAX_HEADER`, a packet over `MAX_PACKET`, wrong types
or values, a truncated stream, silence past the timeout) closes that connection with one log
line; the server goes on serving the others. There is no authentication (HDFS's block access
tokens are not implemented): anyone who reaches the port can read and write replicas.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import msgpack

from dfs.checksum import SPAN, first_mismatch, read_plan
from dfs.errors import DFSChecksumError, DFSError
from dfs.protocol import DatanodeInfo

log = logging.getLogger(__name__)

VERSION = 1
MAX_HEADER = 64 * 1024
MAX_PACKET = 4 * 1024 * 1024
MAX_TARGETS = 16
WRITE_PACKET = 512 * 1024  # at least this many bytes per WRITE_BLOCK packet
TIMEOUT = 60.0  # seconds a peer may stay silent (HDFS's dfs.client.socket-timeout)
SUCCESS, ERROR, ERROR_CHECKSUM = "SUCCESS", "ERROR", "ERROR_CHECKSUM"
FRAME = struct.Struct(">I")
_MAX_ID = 2**63 - 1
_PLAN_PIECE = 1 << 40  # a read's CRCs are checked span by span, in one pass


class ProtocolError(DFSError, ConnectionError):
    """The peer sent something that is not DataTransferProtocol; the connection is closed."""


# -- framing ----------------------------------------------------------------------------------
def send_header(sock: socket.socket, header: Any) -> None:
    body = msgpack.packb(header, use_bin_type=True)
    sock.sendall(FRAME.pack(len(body)) + body)


def recv_into(sock: socket.socket, view: memoryview) -> None:
    while len(view):
        n = sock.recv_into(view)
        if not n:
            raise ConnectionError("connection closed by the peer")
        view = view[n:]


def recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    recv_into(sock, memoryview(buf))
    return bytes(buf)


def recv_header(sock: socket.socket) -> Any:
    (n,) = FRAME.unpack(recv_exact(sock, FRAME.size))
    if n > MAX_HEADER:
        raise ProtocolError(f"a header of {n} bytes (the limit is {MAX_HEADER})")
    body = recv_exact(sock, n)
    try:
        return msgpack.unpackb(body, raw=False, strict_map_key=True)
    except Exception as e:  # any decoding failure is the peer's: msgpack raises several kinds
        raise ProtocolError(f"a header that is not msgpack ({type(e).__name__})") from None


def field_int(obj: Mapping, key: str, lo: int = 0, hi: int = _MAX_ID) -> int:
    value = obj.get(key)
    if type(value) is not int or not lo <= value <= hi:
        raise ProtocolError(f"{key!r} must be an integer in [{lo}, {hi}], not {value!r:.40}")
    return value


def field_str(obj: Mapping, key: str) -> str:
    value = obj.get(key, "")
    if type(value) is not str or len(value) > 1024:
        raise ProtocolError(f"{key!r} must be a short string, not {value!r:.40}")
    return value


def as_map(obj: Any, what: str) -> dict:
    if type(obj) is not dict:
        raise ProtocolError(f"{what} must be a map, not {type(obj).__name__}")
    return obj


def field_targets(value: Any) -> list[tuple[str, str, int]]:
    if type(value) is not list or len(value) > MAX_TARGETS:
        raise ProtocolError(f"'targets' must be a list of at most {MAX_TARGETS} nodes")
    out = []
    for t in value:
        if not (type(t) is list and len(t) == 3 and type(t[0]) is str and type(t[1]) is str):
            raise ProtocolError("a target must be [node_id, host, port]")
        if type(t[2]) is not int or not 0 < t[2] < 65536:
            raise ProtocolError(f"bad port {t[2]!r:.20} for target {t[0]!r:.40}")
        out.append((t[0], t[1], t[2]))
    return out


def recv_packet(sock: socket.socket) -> tuple[int, int, int, int, int, bool]:
    """The next packet header: (seq, offset, unit, crc_len, data_len, last), checked."""
    h = recv_header(sock)
    if not (type(h) is list and len(h) == 6 and all(type(x) is int for x in h[:5])):
        raise ProtocolError("a malformed packet header")
    seq, offset, unit, crc_len, data_len, last = h
    if type(last) is not bool or not 0 <= data_len <= MAX_PACKET or not 0 < unit <= SPAN:
        raise ProtocolError(f"a bad packet header {h!r:.80}")
    if offset < 0 or seq < 0 or crc_len != 4 * -(-data_len // unit):
        raise ProtocolError(f"a bad packet header {h!r:.80}")
    return seq, offset, unit, crc_len, data_len, last


def send_packet(
    sock: socket.socket, seq: int, offset: int, unit: int, crcs: Any, data: Any, last: bool
) -> None:
    head = msgpack.packb([seq, offset, unit, len(crcs), len(data), last])
    sock.sendall(FRAME.pack(len(head)) + head + bytes(crcs))
    if len(data):
        sock.sendall(data)


def reply_status(reply: Any, what: str) -> dict:
    """Raise the error a reply carries (DFSChecksumError for ERROR_CHECKSUM)."""
    reply = as_map(reply, "a reply")
    status, message = reply.get("status"), field_str(reply, "message")
    if status == SUCCESS:
        return reply
    if status == ERROR_CHECKSUM:
        raise DFSChecksumError(message or f"Checksum error: {what}", what)
    raise DFSError(message or f"{what}: the datanode refused ({status!r:.20})", what)


def connect(loc: DatanodeInfo, timeout: float) -> socket.socket:
    if not loc.xfer_port:
        raise DFSError(f"datanode {loc.node_id} has no data transfer address")
    sock = socket.create_connection((loc.host or "127.0.0.1", loc.xfer_port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


# -- the reader -------------------------------------------------------------------------------
def read_block(
    loc: DatanodeInfo, block_id: int, offset: int, length: int, timeout: float = TIMEOUT
) -> tuple[int, bytes]:
    """READ_BLOCK: (the replica's length, `length` bytes at `offset`, every byte verified)."""
    what = f"{loc.node_id}:blk_{block_id}"
    with connect(loc, timeout) as sock:
        kernel_timeouts(sock, timeout)  # blocking: the data lands straight in its bytes object
        request = {"v": VERSION, "op": "READ_BLOCK", "block": block_id}
        send_header(sock, request | {"offset": offset, "length": length})
        reply = reply_status(recv_header(sock), what)
        size, bpc = field_int(reply, "length"), field_int(reply, "bpc", 1, SPAN)
        plan = read_plan(offset, length, size, bpc, _PLAN_PIECE)
        start = plan[0][0] if plan else offset
        end = plan[-1][1] if plan else offset
        if end - start < length:
            raise DFSChecksumError(f"Checksum error: {what}: replica is shorter than asked", what)
        crcs = recv_exact(sock, sum(4 * -(-(hi - lo) // unit) for lo, hi, unit in plan))
        data = recv_bytes(sock, end - start)
    view, pos = memoryview(data), 0
    for lo, hi, unit in plan:
        n = 4 * -(-(hi - lo) // unit)
        bad = first_mismatch(view[lo - start : hi - start], unit, crcs[pos : pos + n])
        if bad is not None:
            raise DFSChecksumError(f"Checksum error: {what} at offset {lo + bad}", what)
        pos += n
    if offset == start and length == len(data):
        return size, data
    return size, data[offset - start : offset - start + length]


def kernel_timeouts(sock: socket.socket, timeout: float) -> None:
    """Make `sock` blocking with the timeout kept by the kernel (SO_RCVTIMEO/SO_SNDTIMEO), so a
    large receive is one ``recv(n, MSG_WAITALL)`` into one new bytes object."""
    sock.settimeout(None)
    tv = struct.pack("ll", int(timeout), int(timeout % 1 * 1e6))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)


def recv_bytes(sock: socket.socket, n: int) -> bytes:
    """Exactly `n` bytes (on a blocking socket, usually in a single receive)."""
    parts, got = [], 0
    while got < n:
        part = sock.recv(n - got, socket.MSG_WAITALL)
        if not part:
            raise ConnectionError("connection closed by the peer")
        parts.append(part)
        got += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


# -- the pipeline writer (client end) ---------------------------------------------------------
class TcpPipeline:
    """The writing end of a WRITE_BLOCK pipeline through `targets`.

    Node failures never raise: a node that cannot be set up is left out (`failed`); one that
    fails during the write cuts off itself and the nodes after it, which `finalize` then does
    not return. Acks are read by a thread, so packets stream without waiting for them.
    """

    chained = True

    def __init__(
        self,
        block_id: int,
        genstamp: int,
        targets: Sequence[DatanodeInfo],
        bpc: int,
        timeout: float = TIMEOUT,
        client: str = "",
    ) -> None:
        self.block_id, self.genstamp, self.bpc, self.timeout = block_id, genstamp, bpc, timeout
        self.packet = max(WRITE_PACKET // bpc, 1) * bpc
        self.failed: list[str] = []
        self.errors: dict[str, str] = {}
        self.nodes: list[str] = []
        self._client = client
        self._cut = ""
        self._seq = self._offset = 0
        self._final_seq = -1
        self._done = threading.Event()
        self._sock: socket.socket | None = None
        self._setup(list(targets))
        self._acker = threading.Thread(target=self._read_acks, daemon=True, name="PacketAcker")
        if self._sock is not None:
            self._acker.start()

    def _fail(self, node_id: str, why: Any) -> None:
        if node_id not in self.failed:
            log.info("pipeline: datanode %s failed for blk_%d: %s", node_id, self.block_id, why)
            self.failed.append(node_id)
            self.errors[node_id] = str(why)

    def _setup(self, targets: list[DatanodeInfo]) -> None:
        """Connect to the first reachable target; a node named failed in the setup reply is
        dropped and the pipeline set up again without it (no data has moved yet)."""
        while targets:
            first = targets[0]
            try:
                sock = connect(first, self.timeout)
            except (OSError, DFSError) as e:
                self._fail(first.node_id, e)
                targets = targets[1:]
                continue
            try:
                send_header(sock, self._request(targets[1:]))
                reply = reply_status(recv_header(sock), f"{first.node_id}:blk_{self.block_id}")
                failed = field_str(reply, "failed")
            except (OSError, DFSError) as e:
                sock.close()
                self._fail(first.node_id, e)
                targets = targets[1:]
                continue
            if failed:
                sock.close()
                if failed not in [t.node_id for t in targets[1:]]:
                    failed = first.node_id  # names no node downstream: blame the one that said it
                self._fail(failed, "unreachable from its upstream datanode")
                targets = [t for t in targets if t.node_id != failed]
                continue
            self._sock = sock
            self.nodes = [t.node_id for t in targets]
            return

    def _request(self, downstream: Sequence[DatanodeInfo]) -> dict:
        return {
            "v": VERSION,
            "op": "WRITE_BLOCK",
            "block": self.block_id,
            "genstamp": self.genstamp,
            "targets": [[t.node_id, t.host or "127.0.0.1", t.xfer_port] for t in downstream],
            "client": self._client,
        }

    def _cut_at(self, node_id: str, why: Any) -> None:
        if not self._cut and node_id in self.nodes:
            self._cut = node_id
            self._fail(node_id, why)

    def alive(self) -> list[str]:
        """The nodes still receiving every packet."""
        return self.nodes[: self.nodes.index(self._cut)] if self._cut else list(self.nodes)

    def _read_acks(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while True:
                ack = recv_header(sock)
                if not (type(ack) is list and len(ack) == 2 and type(ack[0]) is int):
                    raise ProtocolError(f"a malformed ack {ack!r:.60}")
                if ack[1]:
                    self._cut_at(str(ack[1]), "named failed in the pipeline's ack")
                if ack[0] == self._final_seq or (self._cut and self._cut == self.nodes[0]):
                    return
        except (OSError, DFSError) as e:
            if not self._done.is_set():
                self._cut_at(self.nodes[0], e)
        finally:
            self._done.set()

    def write_packet(self, data: Any, crcs: bytes) -> None:
        """Send `data` (its chunk CRCs in `crcs`) as packets of about `WRITE_PACKET` bytes."""
        view, cview = memoryview(data), memoryview(crcs)
        step, cstep = self.packet, self.packet // self.bpc * 4
        for pos in range(0, len(view), step):
            if not self.alive():
                return
            k = pos // step
            self._send(view[pos : pos + step], cview[k * cstep : (k + 1) * cstep], False)

    def _send(self, data: Any, crcs: Any, last: bool) -> None:
        try:
            send_packet(self._sock, self._seq, self._offset, self.bpc, crcs, data, last)
        except OSError as e:
            self._cut_at(self.nodes[0], e)
        self._seq += 1
        self._offset += len(data)

    def finalize(self) -> list[str]:
        """Close the block: the nodes that finalized their replica."""
        if self._sock is None:
            return []
        if self.alive():
            self._final_seq = self._seq
            self._send(b"", b"", True)
            if self.alive() and not self._done.wait(self.timeout) and self.alive():
                self._cut_at(self.nodes[0], "no final ack within the timeout")
        done = self.alive()
        self.abort()
        return done

    def abort(self) -> None:
        if self._sock is not None:
            self._done.set()
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
