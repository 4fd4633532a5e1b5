"""The cluster as seen from a command when daemons run: RPC to the NameNode, TCP to DataNodes.

Owns `RemoteCluster`, the counterpart of `dfs.cluster.EmbeddedCluster` for daemon mode: the
same `client(user, local_node)` and `close()`, so every command (``hadoop fs``, fsck,
dfsadmin, jobs, pig, ``dfs://``) works unchanged on either. Nothing here opens the state
directory: the NameNode daemon owns it. `dfs.cluster.open_cluster` decides which one a command
gets (`dfs.runfiles.namenode_address`).
"""

from __future__ import annotations

from typing import Any

from dfs.conf import Configuration


class RemoteCluster:
    """A connection to the NameNode daemon at `address`."""

    def __init__(self, conf: Configuration, address: tuple[str, int]) -> None:
        from dfs.protocol import ClientProtocol
        from dfs.rpc import RpcProxy

        self.conf = conf
        self.address = address
        self.namenode = RpcProxy(ClientProtocol, address, conf)
        self._closed = False

    def client(self, user: str | None = None, local_node: str | None = None) -> Any:
        """A DFSClient whose namenode calls go over RPC and whose block I/O goes to the
        DataNodes over DataTransferProtocol (addresses from the NameNode's DatanodeInfo)."""
        from dfs.client import DFSClient

        client = DFSClient(self.namenode, None, self.conf, user, local_node)
        client.tick = _no_tick  # type: ignore[attr-defined]
        return client

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.namenode.close()


def _no_tick() -> int:
    """Daemons heartbeat on their own: there is no round for a command to run."""
    return 0
