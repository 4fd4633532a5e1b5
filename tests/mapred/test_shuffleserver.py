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
