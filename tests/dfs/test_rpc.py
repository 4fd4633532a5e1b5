"""The transport seam: the same client works over the object, LocalTransport and TCP."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dfs.client import DFSClient
from dfs.errors import DFSFileNotFound, DFSPermissionDenied
from dfs.protocol import DatanodeInfo, FileStatus, LocatedBlock
from dfs.rpc import LocalTransport, RpcProxy, RpcServer, packb, unpackb

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats(allow_nan=False)
    | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_codec_round_trip_keeps_tuples_apart_from_lists(value):
    assert unpackb(packb(value)) == value
    if isinstance(value, tuple):
        assert isinstance(unpackb(packb(value)), tuple)


def test_codec_round_trips_protocol_messages():
    dn = DatanodeInfo("dn0", "/rack0", "/x", 10, 1, 9, True, 5, 2)
    lb = LocatedBlock(7, 1001, 0, 100, (dn, dn), ("dn1",))
    st_ = FileStatus("/a", 1, False, 3, 64, 1, 2, "u", "g", 0o644)
    assert unpackb(packb([lb, st_])) == [lb, st_]


def test_pickle_is_never_a_fallback():
    with pytest.raises(TypeError, match="msgpack only"):
        packb(object())


def _exercise(client: DFSClient) -> None:
    client.write_bytes("/t/f", b"x" * 100_000)
    assert client.read_bytes("/t/f") == b"x" * 100_000
    assert [s.name for s in client.listdir("/t")] == ["f"]
    with pytest.raises(DFSFileNotFound):
        client.status("/nope")
    client.set_permission("/t/f", 0o600)
    other = DFSClient(client.nn, client.datanodes, client.conf, user="mallory")
    with pytest.raises(DFSPermissionDenied, match="user=mallory"):
        other.read_bytes("/t/f")
    assert client.fsck("/").healthy


def test_client_over_local_transport(mini_cluster):
    c = mini_cluster.cluster
    _exercise(DFSClient(LocalTransport(c.namenode), c.datanodes, mini_cluster.conf))


@pytest.mark.rpc
def test_client_over_tcp(mini_cluster):
    c = mini_cluster.cluster
    server = RpcServer(c.namenode).start()
    proxy = RpcProxy(server.address, timeout=10)
    try:
        assert server.address[0] == "127.0.0.1"
        _exercise(DFSClient(proxy, c.datanodes, mini_cluster.conf))
    finally:
        proxy.close()
        server.stop()
