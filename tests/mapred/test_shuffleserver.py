"""The shuffle between nodes: a tracker's ShuffleServer and a reducer's fetch_segment.

Checked against the bytes of the map output file itself; hostile requests close only their own
connection."""

from __future__ import annotations

import contextlib
import os
import socket
import struct

import msgpack
import pytest

from mapred.shuffleserver import ShuffleError, ShuffleServer, fetch_segment


@pytest.fixture
def server():
    s = ShuffleServer().start()
    try:
        yield s
    finally:
        s.stop()


def _map_output(tmp_path, sizes):
    """A file.out of partitions of `sizes` bytes, and its index [(offset, length, records)]."""
    path = tmp_path / "file.out"
    parts = [os.urandom(n) for n in sizes]
    path.write_bytes(b"".join(parts))
    index, offset = [], 0
    for i, part in enumerate(parts):
        index.append([offset, len(part), i + 1])
        offset += len(part)
    return str(path), index, parts


def test_a_partition_larger_than_the_socket_buffers_arrives_whole(server, tmp_path):
    # 12 MiB does not fit a socket's send buffer: the server must wait for the reader, not
    # give up on EAGAIN (it did, with os.sendfile on a socket that has a timeout)
    path, index, parts = _map_output(tmp_path, [1000, 12 << 20, 0])
    server.publish("job_1", "attempt_1_m_000000_0", [path, index])
    for p in (0, 1):
        target = str(tmp_path / f"got{p}")
        segment = fetch_segment(server.address, "job_1", "attempt_1_m_000000_0", p, target)
        assert segment == (target, 0, len(parts[p]), p + 1)
        with open(target, "rb") as f:
            assert f.read() == parts[p]


def test_only_published_outputs_are_served(server, tmp_path):
    path, index, _ = _map_output(tmp_path, [10])
    server.publish("job_1", "attempt_a", [path, index])
    with pytest.raises(ShuffleError):
        fetch_segment(server.address, "job_1", "attempt_other", 0, str(tmp_path / "x"))
    with pytest.raises(ShuffleError):
        fetch_segment(server.address, "job_1", "attempt_a", 5, str(tmp_path / "x"))
    server.forget_job("job_1")
    with pytest.raises(ShuffleError):
        fetch_segment(server.address, "job_1", "attempt_a", 0, str(tmp_path / "x"))


def test_a_vanished_map_output_and_a_dead_server_are_fetch_errors(server, tmp_path):
    path, index, _ = _map_output(tmp_path, [10])
    server.publish("job_1", "attempt_a", [path, index])
    os.remove(path)
    with pytest.raises(ShuffleError):
        fetch_segment(server.address, "job_1", "attempt_a", 0, str(tmp_path / "x"))
    server.stop()
    with pytest.raises(ShuffleError):
        fetch_segment(server.address, "job_1", "attempt_a", 0, str(tmp_path / "x"))


@pytest.mark.parametrize(
    "junk",
    [
        b"\x00\x00",  # truncated header
        struct.pack(">I", 1 << 31),  # a request claiming 2 GiB
        struct.pack(">I", 3) + b"\xc1\xc1\xc1",  # not msgpack
        struct.pack(">I", 4) + msgpack.packb([1, 2, 3]),  # wrong types
        bytes(range(7, 71)),  # arbitrary bytes
    ],
)
def test_hostile_requests_close_only_their_connection(server, tmp_path, junk):
    path, index, parts = _map_output(tmp_path, [100])
    server.publish("job_1", "attempt_a", [path, index])
    with socket.create_connection(server.address, timeout=5) as s, contextlib.suppress(OSError):
        s.sendall(junk)
        s.shutdown(socket.SHUT_WR)
        s.recv(100)  # closed (or an answer); the server goes on
    target = str(tmp_path / "ok")
    fetch_segment(server.address, "job_1", "attempt_a", 0, target)
    with open(target, "rb") as f:
        assert f.read() == parts[0]


def test_gather_fetches_in_parallel_keeps_map_order_and_reads_own_outputs_in_place(tmp_path):
    from mapred.shuffle import gather_segments

    server = ShuffleServer().start()
    try:
        outputs = []
        for m in range(6):
            d = tmp_path / f"m{m}"
            d.mkdir()
            path, index, _ = _map_output(d, [100 + m, 50])
            if m % 2:  # held by another tracker: fetched through its server
                server.publish("job_1", f"attempt_m{m}", [path, index])
                outputs.append([path, index, list(server.address), f"attempt_m{m}"])
            else:  # this node's own: read in place
                outputs.append([path, index])
        segments, failed = gather_segments(outputs, 0, "job_1", str(tmp_path / "f"), parallel=3)
    finally:
        server.stop()
    assert failed == []
    assert [s[2] for s in segments] == [100 + m for m in range(6)]  # map order kept
    assert all(s[0].startswith(str(tmp_path / "f")) for s in segments[1::2])
    assert all(s[0] == outputs[m][0] for m, s in list(enumerate(segments))[0::2])


def test_a_failed_copy_is_tried_again_before_the_output_is_reported_lost(tmp_path):
    import threading

    from mapred.shuffle import gather_segments

    path, index, parts = _map_output(tmp_path, [64])
    with socket.socket() as probe:  # a free port nobody serves yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    servers = []

    def start_late():
        servers.append(ShuffleServer(port=port).start())
        servers[0].publish("job_1", "attempt_a", [path, index])

    timer = threading.Timer(0.05, start_late)
    timer.start()
    try:
        entry = [path, index, ["127.0.0.1", port], "attempt_a"]
        segments, failed = gather_segments([entry], 0, "job_1", str(tmp_path / "f"))
    finally:
        timer.join()
        for s in servers:
            s.stop()
    assert failed == [] and len(segments) == 1
    with open(segments[0][0], "rb") as f:
        assert f.read() == parts[0]
    missing = [path, index, ["127.0.0.1", port], "attempt_a"]  # no server at all now
    assert gather_segments([missing], 0, "job_1", str(tmp_path / "g")) == ([], [0])
