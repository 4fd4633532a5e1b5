"""DataTransferProtocol over real TCP: three DataXceiverServers (threads of this process) on the
three storage directories of a MiniCluster, and a client that reaches them only by address.

The expected answers are the bytes written (an independent copy kept by the test) and HDFS's
documented data-path behaviour: a reader verifies checksums and fails over from a corrupt
replica, reporting it; a datanode that dies in the middle of a pipeline write is dropped and
the write completes on the remaining nodes; a re-replication is a block pushed through a
pipeline to the targets; a hostile peer only loses its own connection.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import random
import socket
import struct
import threading
import time

import msgpack
import pytest

from dfs.checksum import chunk_crcs, crcs_to_bytes
from dfs.client import DFSClient
from dfs.dataaccess import LocalDatanodes
from dfs.datatransfer import (
    MAX_HEADER,
    TcpPipeline,
    read_block,
    recv_header,
    send_header,
    send_packet,
)
from dfs.errors import DFSChecksumError, DFSError
from dfs.minicluster import MiniCluster
from dfs.protocol import DatanodeInfo, DeleteCommand, ReplicateCommand
from dfs.xceiver import DataXceiverServer

BLOCK = 1024 * 1024


def _payload(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


class _Addressed:
    """The namenode as a daemon cluster's would answer: datanodes carry the test servers'
    addresses, and a new block's pipeline is in node-id order (so a test knows which node is
    in the middle). Everything else goes straight through."""

    def __init__(self, nn, servers):
        self._nn, self._servers = nn, servers

    def __getattr__(self, name):
        return getattr(self._nn, name)

    def _addr(self, info):
        s = self._servers[info.node_id]
        return dataclasses.replace(info, host=s.host, xfer_port=s.port)

    def add_block(self, *args):
        located, targets = self._nn.add_block(*args)
        locs = tuple(sorted(map(self._addr, located.locations), key=lambda i: i.node_id))
        return dataclasses.replace(located, locations=locs), sorted(targets)

    def get_block_locations(self, *args):
        length, blocks = self._nn.get_block_locations(*args)
        return length, [
            dataclasses.replace(b, locations=tuple(map(self._addr, b.locations))) for b in blocks
        ]

    def info(self, node_id):
        return self._addr(next(i for i in self._nn.datanode_report() if i.node_id == node_id))


@pytest.fixture
def tcp(tmp_path):
    """(MiniCluster of 3 nodes on 1 rack, 1 MiB blocks; node id -> server; received log)."""
    with MiniCluster(tmp_path, datanodes=3, racks=1, blocksize=BLOCK) as mc:
        received: list[tuple[str, int, int]] = []
        servers = {}
        for node_id, dn in mc.datanodes.items():

            def note(block_id, length, node_id=node_id):
                received.append((node_id, block_id, length))

            servers[node_id] = DataXceiverServer(dn, on_received=note, timeout=5.0).start()
        try:
            yield mc, servers, received
        finally:
            for s in servers.values():
                s.stop()


def _tcp_client(mc, servers) -> DFSClient:
    client = DFSClient(_Addressed(mc.client().nn, servers), None, mc.conf)
    assert not isinstance(client.access, LocalDatanodes)
    return client


def _replica_bytes(mc, node_id, block_id) -> bytes:
    return mc.datanodes[node_id].block_path(block_id).read_bytes()


# ---- reads ------------------------------------------------------------------------------------
def test_read_ranges_are_byte_identical_and_verified(tcp):
    mc, servers, _ = tcp
    data = _payload(2 * BLOCK + 70_001, 1)
    mc.client().write_bytes("/f", data)
    c = _tcp_client(mc, servers)
    assert c.read_bytes("/f") == data
    ranges = [(0, 1), (1, 511), (511, 2), (65_535, 3), (65_536, 65_536), (100, 200_000)]
    ranges += [(BLOCK - 5, 10), (BLOCK - 70_000, 300_000), (len(data) - 1, 1), (7, len(data) - 7)]
    with c.open("/f") as f:
        for offset, length in ranges:
            f.seek(offset)
            assert f.read(length) == data[offset : offset + length], (offset, length)
    # every replica, straight from each node's server
    lb = c.block_locations("/f")[2]
    assert len(lb.locations) == 3
    for loc in lb.locations:
        for offset, length in [(0, lb.length), (3, 65_537), (lb.length - 1, 1), (0, 0)]:
            size, got = read_block(loc, lb.block_id, offset, length)
            base = 2 * BLOCK + offset
            assert size == lb.length and got == data[base : base + length]


def test_a_flipped_byte_is_a_checksum_error_and_the_read_fails_over(tcp):
    mc, servers, _ = tcp
    data = _payload(BLOCK, 2)
    mc.client().write_bytes("/f", data)
    c = _tcp_client(mc, servers)
    lb = c.block_locations("/f")[0]
    first = lb.locations[0]
    path = mc.datanodes[first.node_id].block_path(lb.block_id)
    raw = bytearray(path.read_bytes())
    raw[300_000] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DFSChecksumError, match=f"{first.node_id}:blk_{lb.block_id} at offset"):
        read_block(first, lb.block_id, 0, BLOCK)
    assert c.read_bytes("/f") == data  # the next replica
    fb = c.fsck("/f").files[0].blocks[0]
    assert fb.corrupt_replicas == 1 and first.node_id in fb.block.corrupt  # the reader said so


def test_a_damaged_meta_file_is_refused_by_the_server_as_a_checksum_error(tcp):
    mc, servers, _ = tcp
    data = _payload(200_000, 3)
    mc.client().write_bytes("/f", data)
    c = _tcp_client(mc, servers)
    lb = c.block_locations("/f")[0]
    loc = lb.locations[0]
    meta = mc.datanodes[loc.node_id].meta_path(lb.block_id)
    os.truncate(meta, 20)
    with pytest.raises(DFSChecksumError, match="checksum file size"):
        read_block(loc, lb.block_id, 0, 10)
    with pytest.raises(DFSError, match="not found"):
        read_block(loc, lb.block_id + 1000, 0, 10)
    with pytest.raises(DFSChecksumError, match="shorter"):
        read_block(lb.locations[1], lb.block_id, 100, 200_000)
    assert c.read_bytes("/f") == data


# ---- writes -----------------------------------------------------------------------------------
def test_pipeline_write_lands_on_every_node_byte_identical(tcp):
    mc, servers, received = tcp
    data = _payload(2 * BLOCK + 4097, 4)
    c = _tcp_client(mc, servers)
    c.write_bytes("/p", data)
    blocks = mc.client().block_locations("/p")
    assert [len(b.locations) for b in blocks] == [3, 3, 3]
    for i, b in enumerate(blocks):
        for node_id in ("dn0", "dn1", "dn2"):
            assert _replica_bytes(mc, node_id, b.block_id) == data[i * BLOCK : (i + 1) * BLOCK]
            assert mc.datanodes[node_id].verify_replica(b.block_id, b.length) is None
    assert sorted(received) == sorted(
        (n, b.block_id, b.length) for b in blocks for n in ("dn0", "dn1", "dn2")
    )
    assert c.read_bytes("/p") == data


class _DiesAfter:
    """A BlockWriter wrapper that kills its node's whole server after `n` packets."""

    def __init__(self, inner, n, kill):
        self.inner, self.n, self.kill = inner, n, kill

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def write_packet(self, data, crcs):
        self.inner.write_packet(data, crcs)
        self.n -= 1
        if self.n == 0:
            self.kill()


def test_middle_node_killed_mid_write_completes_on_the_remaining_nodes(tcp, monkeypatch):
    mc, servers, _ = tcp
    middle = mc.datanodes["dn1"]
    real = middle.open_writer
    first = []

    def open_writer(block_id):
        w = real(block_id)
        if not first:
            first.append(block_id)
            return _DiesAfter(w, 1, servers["dn1"].stop)  # of 2 packets
        return w

    monkeypatch.setattr(middle, "open_writer", open_writer)
    data = _payload(3 * BLOCK, 5)
    c = _tcp_client(mc, servers)
    c.write_bytes("/k", data)
    blocks = mc.client().block_locations("/k")
    assert first and blocks[0].block_id == first[0]  # the kill happened in the first block
    for i, b in enumerate(blocks):
        holders = sorted(loc.node_id for loc in b.locations)
        assert holders == ["dn0", "dn2"], (i, holders)
        for node_id in holders:
            assert _replica_bytes(mc, node_id, b.block_id) == data[i * BLOCK : (i + 1) * BLOCK]
        assert not middle.has_block(b.block_id)
    assert not list(middle.rbw.rglob("blk_*"))  # the killed node's partial replica is gone
    assert c.read_bytes("/k") == data


def test_a_node_whose_disk_fails_is_dropped_and_the_rest_finish(tcp, monkeypatch):
    mc, servers, _ = tcp
    first = mc.datanodes["dn0"]
    real = first.open_writer

    class Broken:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def write_packet(self, *a):
            self.inner.abort()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(first, "open_writer", lambda b: Broken(real(b)))
    data = _payload(BLOCK + 10, 6)
    c = _tcp_client(mc, servers)
    c.write_bytes("/d", data)
    for b in mc.client().block_locations("/d"):
        assert sorted(loc.node_id for loc in b.locations) == ["dn1", "dn2"]
    assert c.read_bytes("/d") == data


# ---- replication ------------------------------------------------------------------------------
def test_replicate_command_pushes_the_replica_through_a_pipeline(tcp):
    mc, servers, received = tcp
    data = _payload(BLOCK - 1234, 7)
    mc.client().write_bytes("/r", data, replication=1)
    lb = mc.client().block_locations("/r")[0]
    source = lb.locations[0].node_id
    others = sorted(set(mc.datanodes) - {source})
    nn = _Addressed(mc.client().nn, servers)
    cmd = ReplicateCommand(lb.block_id, lb.genstamp, lb.length, tuple(map(nn.info, others)))
    result = mc.datanodes[source].execute(cmd)
    assert sorted(result.replicated) == others and not result.bad_source
    for node_id in others:
        assert _replica_bytes(mc, node_id, lb.block_id) == data
        assert (node_id, lb.block_id, lb.length) in received
    # deleting is the other command
    gone = mc.datanodes[others[0]].execute(DeleteCommand((lb.block_id,)))
    assert gone.deleted == (lb.block_id,) and not mc.datanodes[others[0]].has_block(lb.block_id)


def test_replicate_from_a_corrupt_source_sends_nothing_and_says_so(tcp):
    mc, servers, _ = tcp
    mc.client().write_bytes("/r", _payload(100_000, 8), replication=1)
    lb = mc.client().block_locations("/r")[0]
    source = mc.datanodes[lb.locations[0].node_id]
    raw = bytearray(source.block_path(lb.block_id).read_bytes())
    raw[5] ^= 0x10
    source.block_path(lb.block_id).write_bytes(bytes(raw))
    targets = sorted(set(mc.datanodes) - {source.node_id})
    nn = _Addressed(mc.client().nn, servers)
    cmd = ReplicateCommand(lb.block_id, lb.genstamp, lb.length, tuple(map(nn.info, targets)))
    for access in (None, LocalDatanodes(mc.datanodes)):
        result = source.execute(cmd, access)
        assert "Checksum error" in result.bad_source and not result.replicated
        assert not any(mc.datanodes[t].has_block(lb.block_id) for t in targets)


def test_replicate_in_process_uses_the_same_pipeline_logic(tcp):
    mc, _servers, _ = tcp
    data = _payload(300_000, 9)
    mc.client().write_bytes("/r", data, replication=1)
    lb = mc.client().block_locations("/r")[0]
    source = lb.locations[0].node_id
    infos = {i.node_id: i for i in mc.client().datanode_report()}
    others = sorted(set(mc.datanodes) - {source})
    cmd = ReplicateCommand(lb.block_id, lb.genstamp, lb.length, tuple(infos[n] for n in others))
    result = mc.datanodes[source].execute(cmd, LocalDatanodes(mc.datanodes))
    assert sorted(result.replicated) == others
    assert all(_replica_bytes(mc, n, lb.block_id) == data for n in others)


# ---- hostile input ----------------------------------------------------------------------------
def _closed_by_server(sock: socket.socket, timeout: float = 5.0) -> bool:
    """True once the server has closed the connection (EOF or reset), within `timeout`."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def _frame(obj) -> bytes:
    body = msgpack.packb(obj, use_bin_type=True)
    return struct.pack(">I", len(body)) + body


def _hostile_inputs(block_id: int) -> list[bytes]:
    rng = random.Random(12)
    write = {"v": 1, "op": "WRITE_BLOCK", "block": block_id + 99, "genstamp": 1, "targets": []}
    bad_packet = msgpack.packb([0, 0, 512, 4, 2**31, False])
    inputs = [
        b"\xff\xff\xff\xff" + b"x" * 100,  # a header claiming 4 GiB
        struct.pack(">I", MAX_HEADER + 1),
        struct.pack(">I", 10) + b"\xc1" * 10,  # not msgpack
        _frame([1, 2, 3]),  # not a map
        _frame({"v": 2, "op": "READ_BLOCK"}),
        _frame({"v": 1, "op": "FORMAT_DISK"}),
        _frame({"v": 1, "op": "READ_BLOCK", "block": "blk_1", "offset": 0, "length": 1}),
        _frame({"v": 1, "op": "READ_BLOCK", "block": block_id, "offset": -1, "length": 1}),
        _frame({"v": 1, "op": "READ_BLOCK", "block": block_id, "offset": 0, "length": 2**64 - 1}),
        _frame(write | {"targets": [["dn9", "127.0.0.1", "port"]]}),
        _frame(write | {"targets": "everyone"}),
        _frame(write) + struct.pack(">I", len(bad_packet)) + bad_packet,  # a 2 GiB packet
        _frame(write) + _frame([0, 0, 512, 4, 4, "yes"]),  # wrong type in a packet header
        _frame(write) + _frame([0, 7, 512, 4, 4, False]) + b"\0" * 8,  # out of order
        _frame(write) + _frame([0, 0, 512, 4, 4, True]) + b"\0" * 4 + b"abcd",  # bad CRC
    ]
    inputs += [rng.randbytes(rng.randrange(1, 300)) for _ in range(200)]
    return inputs


def test_hostile_input_closes_only_that_connection(tcp, caplog):
    mc, servers, _ = tcp
    data = _payload(150_000, 10)
    mc.client().write_bytes("/h", data)
    lb = mc.client().block_locations("/h")[0]
    srv = servers[lb.locations[0].node_id]
    loc = _Addressed(None, servers)._addr(lb.locations[0])
    caplog.set_level(logging.INFO, logger="dfs.xceiver")
    bystander = socket.create_connection(srv.address)  # an idle peer: must not be disturbed
    for raw in _hostile_inputs(lb.block_id):
        with socket.create_connection(srv.address) as s:
            with contextlib.suppress(OSError):  # the server may have closed it already
                s.sendall(raw)
                s.shutdown(socket.SHUT_WR)  # a truncated stream, at the latest here
            assert _closed_by_server(s), raw[:40]
    assert read_block(loc, lb.block_id, 0, lb.length)[1] == data  # still serving
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) >= 15 and all("\n" not in r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records)  # one line each, no traceback
    dn = mc.datanodes[lb.locations[0].node_id]
    assert not dn.has_block(lb.block_id + 99) and not list(dn.rbw.rglob("blk_*"))
    # a valid write still works after all that, and the idle bystander was left alone
    bystander.settimeout(0.2)
    with pytest.raises(TimeoutError):
        bystander.recv(1)
    bystander.close()
    c = _tcp_client(mc, servers)
    c.write_bytes("/after", data)
    assert c.read_bytes("/after") == data


def test_a_silent_peer_is_dropped_after_the_timeout(tmp_path):
    with MiniCluster(tmp_path, datanodes=1) as mc:
        srv = DataXceiverServer(mc.datanodes["dn0"], timeout=0.3).start()
        try:
            with socket.create_connection(srv.address) as s:
                t0 = time.monotonic()
                assert _closed_by_server(s, 5.0)
                assert time.monotonic() - t0 < 3.0
        finally:
            srv.stop()


def test_a_write_with_bad_crcs_is_refused_by_the_last_node(tcp):
    mc, servers, _ = tcp
    srv = servers["dn2"]
    data = _payload(4096, 11)
    crcs = bytearray(crcs_to_bytes(chunk_crcs(data, 512)))
    crcs[0] ^= 1
    with socket.create_connection(srv.address) as s:
        request = {"v": 1, "op": "WRITE_BLOCK", "block": 4242, "genstamp": 1, "targets": []}
        send_header(s, request)
        assert recv_header(s)["status"] == "SUCCESS"
        send_packet(s, 0, 0, 512, bytes(crcs), data, True)
        assert _closed_by_server(s)
    assert not mc.datanodes["dn2"].has_block(4242)


def test_a_setup_reply_blaming_a_stranger_does_not_spin(tmp_path):
    """A datanode whose setup reply names a node that is not downstream of it is itself left
    out (the client's setup loop went round forever on such a reply)."""
    listener = socket.create_server(("127.0.0.1", 0))
    replies = []

    def serve():
        listener.settimeout(5)
        with contextlib.suppress(OSError):
            while len(replies) < 50:
                conn, _ = listener.accept()
                with conn:
                    recv_header(conn)
                    send_header(conn, {"status": "SUCCESS", "message": "", "failed": "dn-x"})
                    replies.append(1)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    info = DatanodeInfo(
        "dn9", "/r", "", 0, 0, 0, True, 0, 0, "127.0.0.1", listener.getsockname()[1]
    )
    result = []
    setup = threading.Thread(
        target=lambda: result.append(TcpPipeline(7, 1, [info], 512, timeout=2)), daemon=True
    )
    setup.start()
    setup.join(5)
    listener.close()
    assert result, f"the pipeline setup did not finish ({len(replies)} setup attempts)"
    assert result[0].alive() == [] and result[0].failed == ["dn9"] and len(replies) == 1


def test_connections_beyond_the_limit_are_refused_and_the_server_recovers(tmp_path, caplog):
    with MiniCluster(tmp_path, datanodes=1, replication=1) as mc:
        mc.client().write_bytes("/f", b"x" * 1000)
        lb = mc.client().block_locations("/f")[0]
        srv = DataXceiverServer(mc.datanodes["dn0"], timeout=5.0, max_connections=2).start()
        loc = dataclasses.replace(lb.locations[0], host=srv.host, xfer_port=srv.port)
        try:
            idle = [socket.create_connection(srv.address) for _ in range(2)]
            time.sleep(0.2)  # both accepted and being served
            with socket.create_connection(srv.address) as third:
                assert _closed_by_server(third, 2.0)
            assert any("the limit" in r.getMessage() for r in caplog.records)
            for s in idle:
                s.close()
            deadline = time.monotonic() + 5
            while True:  # the idle ones' threads notice the close and free their slots
                try:
                    assert read_block(loc, lb.block_id, 0, 1000)[1] == b"x" * 1000
                    break
                except (OSError, DFSError):
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
        finally:
            srv.stop()
