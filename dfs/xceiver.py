"""A datanode's DataTransferProtocol server (HDFS's DataXceiverServer, DataXceiver,
BlockReceiver and PacketResponder).

Owns serving one DataNode's storage over TCP: a listening socket on 127.0.0.1 (port 0 = any
free one), a thread per connection, READ_BLOCK (the stored CRCs and the block file sent as they
are: the reader verifies) and WRITE_BLOCK (write through the node's BlockWriter, forward
downstream, acks upstream). The wire format and its limits are `dfs.datatransfer`'s; the replica
files are `dfs.datanode`'s. Must not call the namenode: `on_received` tells the daemon that
hosts the server which replicas it finalized.

Any input that is not the protocol closes that connection with one log line (warning); a peer
that goes away mid-transfer is an info line; the server keeps serving every other connection.
`stop` closes the listener and every connection at once, as a killed process would.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dfs.checksum import (
    META_HEADER_SIZE,
    crc_offset,
    first_mismatch,
    meta_problem,
    parse_meta_header,
    read_plan,
)
from dfs.datatransfer import (
    ERROR,
    ERROR_CHECKSUM,
    SUCCESS,
    TIMEOUT,
    VERSION,
    ProtocolError,
    as_map,
    field_int,
    field_str,
    field_targets,
    kernel_timeouts,
    recv_bytes,
    recv_exact,
    recv_header,
    recv_packet,
    reply_status,
    send_header,
    send_packet,
)
from dfs.errors import DFSError

if TYPE_CHECKING:
    from dfs.datanode import DataNode

log = logging.getLogger(__name__)

#: connections served at once (HDFS's dfs.datanode.max.transfer.threads is 4096; threads here)
MAX_CONNECTIONS = 512


class DataXceiverServer:
    """One datanode's DataTransferProtocol endpoint (HDFS's DataXceiverServer): a listening
    socket, a thread per connection. `on_received(block_id, length)` is called after each
    replica a WRITE_BLOCK finalizes (the daemon reports it to the namenode). `stop` closes the
    listener and every connection, as a killed process would."""

    def __init__(
        self,
        node: DataNode,
        address: tuple[str, int] = ("127.0.0.1", 0),
        on_received: Callable[[int, int], None] | None = None,
        timeout: float = TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.node = node
        self.max_connections = max_connections
        self.on_received = on_received
        self.timeout = timeout
        self._listener = socket.create_server(address)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(
            target=self._accept, name=f"DataXceiverServer {node.node_id}", daemon=True
        )

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def host(self) -> str:
        return self.address[0]

    @property
    def port(self) -> int:
        return self.address[1]

    def start(self) -> DataXceiverServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            conns = list(self._conns)
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for sock in conns:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive():
            self._thread.join(5)

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stopped:
                return False
            self._conns.add(sock)
            return True

    def _full(self) -> bool:
        with self._lock:
            return len(self._conns) >= self.max_connections

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._conns.discard(sock)
        sock.close()

    def _accept(self) -> None:
        while True:
            try:
                sock, peer = self._listener.accept()
            except OSError:
                return
            if self._full():
                log.warning(
                    "DataXceiver %s: %d connections open (the limit): refusing %s:%d",
                    self.node.node_id,
                    self.max_connections,
                    *peer[:2],
                )
                sock.close()
                continue
            if not self._track(sock):
                sock.close()
                return
            name = f"DataXceiver {self.node.node_id} {peer[0]}:{peer[1]}"
            threading.Thread(target=self._serve, args=(sock, peer), name=name, daemon=True).start()

    def _serve(self, sock: socket.socket, peer: tuple) -> None:
        me, who = self.node.node_id, f"{peer[0]}:{peer[1]}"
        try:
            kernel_timeouts(sock, self.timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            request = as_map(recv_header(sock), "a request")
            op = request.get("op")
            if request.get("v") != VERSION or op not in ("READ_BLOCK", "WRITE_BLOCK"):
                raise ProtocolError(f"not a version {VERSION} READ_BLOCK/WRITE_BLOCK request")
            if op == "READ_BLOCK":
                self._read_block(sock, request)
            else:
                _BlockReceiver(self, sock, request).run()
        except ProtocolError as e:
            log.warning("DataXceiver %s: bad input from %s: %s; connection closed", me, who, e)
        except (OSError, DFSError) as e:
            log.info("DataXceiver %s: connection from %s ended: %s", me, who, e)
        except Exception as e:  # never kill the server: log one line and drop the connection
            log.warning("DataXceiver %s: error serving %s: %s: %s", me, who, type(e).__name__, e)
        finally:
            self._untrack(sock)

    # -- READ_BLOCK ------------------------------------------------------------------------------
    def _read_block(self, sock: socket.socket, req: dict) -> None:
        block_id, offset, length = (
            field_int(req, "block"),
            field_int(req, "offset"),
            field_int(req, "length"),
        )
        node = self.node
        what = f"{node.node_id}:blk_{block_id}"
        if not node.alive:
            send_header(sock, {"status": ERROR, "message": f"datanode {node.node_id} is stopped"})
            return
        try:
            f = open(node.block_path(block_id), "rb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            send_header(sock, {"status": ERROR, "message": f"replica {what} not found"})
            return
        with f, contextlib.ExitStack() as stack:
            size = os.fstat(f.fileno()).st_size
            problem = meta_problem(node.meta_path(block_id), size)
            if problem is None and offset + length > size:
                problem = "replica is shorter than expected"
            meta = None if problem else stack.enter_context(open(node.meta_path(block_id), "rb"))
            bpc = parse_meta_header(meta.read(META_HEADER_SIZE)) if meta else None
            if bpc is None:
                message = f"Checksum error: {what}: {problem or 'bad checksum file header'}"
                send_header(sock, {"status": ERROR_CHECKSUM, "message": message})
                return
            reply = {"status": SUCCESS, "message": "", "length": size, "bpc": bpc}
            send_header(sock, reply)
            plan = read_plan(offset, length, size, bpc, 1 << 40)
            self._send_range(sock, f, meta.fileno(), plan, size, bpc)

    def _send_range(
        self, sock: socket.socket, f: Any, meta_fd: int, plan: list, size: int, bpc: int
    ) -> None:
        """The CRCs the meta file holds for the planned pieces, then the data from the file."""
        crcs = []
        for lo, hi, unit in plan:
            n = 4 * -(-(hi - lo) // unit)
            crcs.append(os.pread(meta_fd, n, crc_offset(lo, unit, size, bpc)))
            if len(crcs[-1]) != n:
                raise DFSError(f"{self.node.node_id}: a checksum file shorter than its replica")
        sock.sendall(b"".join(crcs))
        if plan:
            start, end = plan[0][0], plan[-1][1]
            if sock.sendfile(f, start, end - start) != end - start:
                raise DFSError(f"{self.node.node_id}: a replica shorter than planned")


class _BlockReceiver:
    """One WRITE_BLOCK on one node (HDFS's BlockReceiver and PacketResponder): this thread
    receives packets, forwards each downstream, then writes it; a responder thread sends the
    acks upstream in order, each after the downstream's ack for the same packet."""

    def __init__(self, server: DataXceiverServer, sock: socket.socket, req: dict) -> None:
        self.server, self.sock, self.node = server, sock, server.node
        self.block_id, self.genstamp = field_int(req, "block"), field_int(req, "genstamp")
        self.targets = field_targets(req.get("targets", []))
        self.client = field_str(req, "client")
        self.down: socket.socket | None = None
        self._down_sock: socket.socket | None = None
        self.failed = ""  # the first node of the pipeline from here on that lost the data
        self._lock = threading.Lock()
        self.acks: queue.Queue = queue.Queue()

    def run(self) -> None:
        node, what = self.node, f"blk_{self.block_id}"
        try:
            writer = node.open_writer(self.block_id)
        except (OSError, DFSError) as e:
            message = f"datanode {node.node_id} cannot write {what}: {e}"
            send_header(self.sock, {"status": ERROR, "message": message, "failed": node.node_id})
            return
        length = -1
        try:
            if self.targets:
                self._connect_downstream()
            send_header(self.sock, {"status": SUCCESS, "message": "", "failed": self.failed})
            responder = threading.Thread(
                target=self._respond, name=f"PacketResponder {node.node_id} {what}", daemon=True
            )
            responder.start()
            try:
                length = self._receive(writer)
            finally:
                self.acks.put(None)
                responder.join(self.server.timeout)
        finally:
            if length < 0:
                writer.abort()
            if self._down_sock is not None:
                self.server._untrack(self._down_sock)

    def _received(self, length: int) -> None:
        if self.server.on_received is None:
            return
        try:
            self.server.on_received(self.block_id, length)
        except Exception as e:  # the replica is written; the report is the daemon's worry
            log.warning(
                "DataXceiver %s: reporting blk_%d failed: %s", self.node.node_id, self.block_id, e
            )

    def _connect_downstream(self) -> None:
        node_id, host, port = self.targets[0]
        try:
            down = socket.create_connection((host, port), timeout=self.server.timeout)
            kernel_timeouts(down, self.server.timeout)
        except OSError as e:
            log.warning("%s: cannot reach downstream %s: %s", self.node.node_id, node_id, e)
            self.failed = node_id
            return
        self._down_sock = down
        if not self.server._track(down):
            self.failed = node_id
            return
        try:
            down.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            downstream = [list(t) for t in self.targets[1:]]
            request = {"v": VERSION, "op": "WRITE_BLOCK", "block": self.block_id}
            request |= {"genstamp": self.genstamp, "targets": downstream, "client": self.client}
            send_header(down, request)
            reply = reply_status(recv_header(down), f"{node_id}:blk_{self.block_id}")
            self.failed = field_str(reply, "failed")
            self.down = down
        except (OSError, DFSError) as e:
            log.warning("%s: downstream %s refused: %s", self.node.node_id, node_id, e)
            self.failed = node_id

    def _lose_downstream(self, why: Any) -> None:
        with self._lock:
            if self.down is None:
                return
            log.warning(
                "%s: downstream %s lost for blk_%d: %s; going on without it",
                self.node.node_id,
                self.targets[0][0],
                self.block_id,
                why,
            )
            self.failed = self.targets[0][0]
            with contextlib.suppress(OSError):
                self.down.shutdown(socket.SHUT_RDWR)
            self.down = None

    def _receive(self, writer: Any) -> int:
        """Packets until the last one; returns the finalized length, or -1 when the local
        write failed (acked naming this node)."""
        sock, bpc = self.sock, self.node.bytes_per_checksum
        while True:
            seq, offset, unit, crc_len, data_len, last = recv_packet(sock)
            if self.server.stopped:  # a stopped server finalizes nothing more, as if killed
                raise ConnectionError(f"datanode {self.node.node_id} is stopping")
            if unit != bpc or offset != writer.length:
                due = f"offset {writer.length}, unit {bpc}"
                raise ProtocolError(f"packet {seq} at offset {offset}, unit {unit} ({due} due)")
            crcs = recv_exact(sock, crc_len)
            data = recv_bytes(sock, data_len)
            down = self.down
            if down is not None:
                try:
                    send_packet(down, seq, offset, unit, crcs, data, last)
                except OSError as e:
                    self._lose_downstream(e)
            elif not self.targets and (bad := first_mismatch(data, unit, crcs)) is not None:
                raise ProtocolError(f"packet {seq}: checksum error at offset {offset + bad}")
            length = self._write(writer, data, crcs, last)
            if last and length >= 0:
                self._received(length)  # before the ack, as HDFS's PacketResponder does
            self.acks.put((seq, length >= 0, last))
            if length < 0 or last:
                return length

    def _write(self, writer: Any, data: bytes, crcs: bytes, last: bool) -> int:
        try:
            if data:
                writer.write_packet(data, crcs)
            return writer.finalize() if last else 0
        except OSError as e:
            log.warning("%s: writing blk_%d failed: %s", self.node.node_id, self.block_id, e)
            return -1

    def _respond(self) -> None:
        while True:
            item = self.acks.get()
            if item is None:
                return
            seq, ok, last = item
            failed = self._downstream_ack(seq) if ok else self.node.node_id
            try:
                send_header(self.sock, [seq, failed])
            except OSError:
                return
            if not ok or last:
                return

    def _downstream_ack(self, seq: int) -> str:
        down = self.down
        if down is None:
            return self.failed
        try:
            ack = recv_header(down)
            if not (type(ack) is list and len(ack) == 2 and ack[0] == seq):
                raise ProtocolError(f"ack {ack!r:.60} where one for packet {seq} was due")
            if type(ack[1]) is not str:
                raise ProtocolError(f"a malformed ack {ack!r:.60}")
            if ack[1] and not self.failed:
                self.failed = ack[1]
        except (OSError, DFSError) as e:
            self._lose_downstream(e)
        return self.failed
