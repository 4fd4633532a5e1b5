"""MiniCluster: a throwaway embedded cluster for tests and notebooks (Hadoop's MiniDFSCluster).

Owns nothing but set-up and tear-down around `dfs.cluster.EmbeddedCluster`: a fresh state
directory, N datanodes on R racks, a small block size, replication capped at the datanode
count, and the means to break things (stop, restart or wipe a datanode).

>>> import tempfile
>>> with MiniCluster(tempfile.mkdtemp(), datanodes=3, racks=2) as mc:
...     mc.client().write_bytes("/x", b"hello")
...     mc.client().read_bytes("/x")
b'hello'
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from dfs.cluster import EmbeddedCluster, format_cluster
from dfs.conf import Configuration


class MiniCluster:
    def __init__(
        self,
        base: str | os.PathLike,
        datanodes: int = 4,
        racks: int = 2,
        blocksize: int = 64 * 1024,
        replication: int | None = None,
        conf: dict[str, Any] | None = None,
        user: str | None = None,
    ) -> None:
        self.home = Path(base) / "minihadoop"
        overrides = {
            "minihadoop.home": str(self.home),
            "dfs.datanodes": datanodes,
            "dfs.racks": racks,
            "dfs.blocksize": blocksize,
            "dfs.replication": replication or min(3, datanodes),
        }
        overrides.update(conf or {})
        self.conf = Configuration(overrides, load_site=False)
        format_cluster(self.conf, force=True, user=user)
        self.cluster = EmbeddedCluster(self.conf)
        self._fs = None

    # -- handles -------------------------------------------------------------------------------
    def client(self, user: str | None = None, local_node: str | None = None):
        return self.cluster.client(user, local_node)

    @property
    def fs(self):
        """A `dfs://` fsspec filesystem on this cluster."""
        if self._fs is None:
            from dfs.filesystem import DFSFileSystem

            self._fs = DFSFileSystem(
                home=str(self.home), conf=self.overrides(), skip_instance_cache=True
            )
        return self._fs

    def overrides(self) -> dict[str, Any]:
        """The configuration this cluster was made with (for subprocesses, `-D`, fsspec)."""
        return {k: v for k, v in self.conf.items() if k.startswith(("dfs.", "minihadoop."))}

    def env(self) -> dict[str, str]:
        """Environment for a `hadoop` subprocess working on this cluster."""
        env = dict(os.environ)
        env["MINIHADOOP_HOME"] = str(self.home)
        return env

    @property
    def datanodes(self):
        return self.cluster.datanodes

    # -- breaking things -----------------------------------------------------------------------
    def stop_datanode(self, node: int | str) -> None:
        self.cluster.stop_datanode(self._id(node))

    def start_datanode(self, node: int | str) -> None:
        self.cluster.start_datanode(self._id(node))

    def wipe_datanode(self, node: int | str) -> None:
        """Delete a datanode's whole directory (its disk died and was replaced)."""
        shutil.rmtree(self.cluster.datanodes[self._id(node)].directory)

    def tick(self, rounds: int = 1) -> int:
        """Run heartbeat rounds (re-replication, deletions); returns commands executed."""
        return sum(self.cluster.tick() for _ in range(rounds))

    def reopen(self, between=None) -> None:
        """Close and reopen the cluster, as a new command would (reloads image and edits).
        `between()`, if given, runs while no command has the cluster open."""
        self.cluster.close()
        if between is not None:
            between()
        self.cluster = EmbeddedCluster(self.conf)

    @staticmethod
    def _id(node: int | str) -> str:
        return node if isinstance(node, str) else f"dn{node}"

    def close(self) -> None:
        """Close the cluster (a second close does nothing)."""
        self.cluster.close()

    def __enter__(self) -> MiniCluster:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
