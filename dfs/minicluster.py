"""MiniCluster: a throwaway embedded cluster for tests and notebooks (Hadoop's MiniDFSCluster).

Owns nothing but set-up and tear-down around `dfs.cluster.EmbeddedCluster` (or, with
``daemons=True``, a started cluster of real NameNode and DataNode processes reached through
`dfs.remote.RemoteCluster`): a fresh state directory, N datanodes on R racks, a small block
size, replication capped at the datanode count, and the means to break things (stop, restart
or wipe a datanode; with daemons, `kill` any daemon with any signal and `start_daemon` it).

>>> import tempfile
>>> with MiniCluster(tempfile.mkdtemp(), datanodes=3, racks=2) as mc:
...     mc.client().write_bytes("/x", b"hello")
...     mc.client().read_bytes("/x")
b'hello'
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

from dfs import runfiles
from dfs.cluster import EmbeddedCluster, format_cluster, read_topology
from dfs.conf import Configuration
from dfs.daemons import PARENT_KEY
from dfs.datanode import DataNode
from dfs.launcher import reap, spawn, start_cluster, stop_cluster, wait_registered, wait_serving
from dfs.remote import RemoteCluster

#: Daemon mode's settings for tests: heartbeats every 0.2 s, a node dead after 2 x 0.2 s +
#: 10 x 0.2 s = 2.4 s of silence, no safe mode extension.
DAEMON_TEST_SETTINGS: dict[str, Any] = {
    "dfs.heartbeat.interval": 0.2,
    "dfs.namenode.heartbeat.recheck-interval": 200,
    "dfs.namenode.safemode.extension": 0,
}


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
        daemons: bool = False,
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
        if daemons:  # heartbeats for tests; the daemons stop if this process dies
            overrides = {**DAEMON_TEST_SETTINGS, PARENT_KEY: os.getpid(), **overrides}
        self.conf = Configuration(overrides, load_site=False)
        format_cluster(self.conf, force=True, user=user)
        self.daemons = daemons
        self._fs = None
        if daemons:
            self.started = start_cluster(self.conf)
            self.cluster = RemoteCluster(self.conf, self.started.address)
        else:
            self.cluster = EmbeddedCluster(self.conf)

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
        """The DataNode objects (with daemons: views of their storage, for inspection)."""
        if not self.daemons:
            return self.cluster.datanodes
        return {
            node_id: DataNode(node_id, rack, self.home / "datanodes" / node_id)
            for node_id, rack in read_topology(self.home)
        }

    # -- breaking things -----------------------------------------------------------------------
    def stop_datanode(self, node: int | str) -> None:
        if self.daemons:
            self.kill(self._id(node), signal.SIGTERM)
        else:
            self.cluster.stop_datanode(self._id(node))

    def start_datanode(self, node: int | str) -> None:
        if self.daemons:
            self.start_daemon(self._id(node))
        else:
            self.cluster.start_datanode(self._id(node))

    def wipe_datanode(self, node: int | str) -> None:
        """Delete a datanode's whole directory (its disk died and was replaced)."""
        shutil.rmtree(self.home / "datanodes" / self._id(node))

    def tick(self, rounds: int = 1) -> int:
        """Run heartbeat rounds (re-replication, deletions); returns commands executed. With
        daemons, waits `rounds` heartbeat intervals (they beat on their own) and returns 0."""
        if self.daemons:
            time.sleep(rounds * 2 * float(self.conf.get("dfs.heartbeat.interval")))
            return 0
        return sum(self.cluster.tick() for _ in range(rounds))

    # -- daemons -------------------------------------------------------------------------------
    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to daemon `name` ("namenode", "dn1") and wait (bounded) until it is gone."""
        pid = runfiles.read_pid(self.home, name)
        if pid is None or not runfiles.is_running(self.home, name):
            raise ValueError(f"{name} is not running")
        os.kill(pid, sig)
        deadline = time.monotonic() + 15
        while runfiles.is_running(self.home, name) or not reap(pid):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} (pid {pid}) still runs 15 s after signal {sig}")
            time.sleep(0.02)

    def start_daemon(self, name: str, wait_s: float = 30.0) -> None:
        """Start daemon `name` again and wait until it serves (a datanode: registered)."""
        if name == "namenode":
            self.cluster.close()
            proc = spawn(self.conf, "namenode", "namenode")
            self.started.pids["namenode"] = proc.pid
            address = wait_serving(self.home, proc, wait_s)
            self.cluster = RemoteCluster(self.conf, address)
            running = {
                n: None
                for n in self.started.pids
                if n != "namenode" and runfiles.is_running(self.home, n)
            }
            wait_registered(self.conf, address, running, wait_s)  # they re-register
            return
        rack = dict(read_topology(self.home))[name]
        runfiles.remove_files(self.home, name)  # a killed one's address is not the new one's
        proc = spawn(self.conf, name, "datanode", "--id", name, "--rack", rack)
        self.started.pids[name] = proc.pid
        wait_registered(self.conf, self.cluster.address, {name: proc}, wait_s)

    def reopen(self, between=None) -> None:
        """Close and reopen the cluster, as a new command would (reloads image and edits).
        `between()`, if given, runs while no command has the cluster open. With daemons the
        NameNode is restarted (stopped cleanly, `between()`, started)."""
        if self.daemons:
            self.kill("namenode", signal.SIGTERM)
            if between is not None:
                between()
            self.start_daemon("namenode")
            return
        self.cluster.close()
        if between is not None:
            between()
        self.cluster = EmbeddedCluster(self.conf)

    @staticmethod
    def _id(node: int | str) -> str:
        return node if isinstance(node, str) else f"dn{node}"

    def close(self) -> None:
        """Close the cluster, stopping its daemons (a second close does nothing)."""
        try:
            self.cluster.close()
        finally:
            if self.daemons:
                stop_cluster(self.conf)
                for pid in self.started.pids.values():
                    reap(pid)

    def __enter__(self) -> MiniCluster:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
