"""MiniMRCluster: a throwaway DFS + MapReduce cluster for tests and notebooks (Hadoop's own
MiniMRCluster).

Owns set-up and tear-down only: a `dfs.minicluster.MiniCluster` (N datanodes on R racks, small
blocks), made this process's cluster (``MINIHADOOP_HOME`` points at it until `close`, so
``dfs://`` URLs, tasks and commands find it) and, with ``daemons=True``, a JobTracker and one
TaskTracker per DataNode started as processes beside the DFS daemons (heartbeats every 0.1 s,
a silent tracker lost after 2 s), so jobs submitted with `run_job` go to them over TCP;
`kill_tracker` breaks one. Without daemons, jobs run on the embedded cluster of the same state
directory.

>>> import tempfile
>>> from jobs.wordcount import WordCount
>>> with MiniMRCluster(tempfile.mkdtemp(), daemons=False) as mr:
...     mr.dfs.client().write_bytes("/in.txt", b"a b a\\n")
...     sorted(mr.run_job(WordCount, ["dfs:///in.txt"], "dfs:///out").read_output())
[('a', '2'), ('b', '1')]
"""

from __future__ import annotations

import os
import signal
from typing import Any

from dfs.cluster import read_topology
from dfs.minicluster import MiniCluster
from mapred.daemons import tracker_name
from mapred.launcher import start_mapred

__all__ = ["MiniMRCluster", "MAPRED_TEST_SETTINGS"]

MAPRED_TEST_SETTINGS: dict[str, Any] = {
    "mapreduce.jobtracker.heartbeat.interval": 0.1,
    "mapreduce.jobtracker.expire.trackers.interval": 2000,
}


class MiniMRCluster:
    def __init__(
        self,
        base: str | os.PathLike,
        datanodes: int = 4,
        racks: int = 2,
        blocksize: int = 1 << 20,
        conf: dict[str, Any] | None = None,
        daemons: bool = True,
    ) -> None:
        settings = {**MAPRED_TEST_SETTINGS, **(conf or {})}
        self.dfs = MiniCluster(
            base, datanodes, racks, blocksize=blocksize, conf=settings, daemons=daemons
        )
        self.home, self.conf, self.daemons = self.dfs.home, self.dfs.conf, daemons
        self.nodes = [node for node, _ in read_topology(self.home)]
        self._env = os.environ.get("MINIHADOOP_HOME")
        os.environ["MINIHADOOP_HOME"] = str(self.home)
        if daemons:
            try:
                self.started = start_mapred(self.conf, self.nodes)
            except BaseException:
                self.close()
                raise

    def job_conf(self, **settings: Any) -> dict[str, Any]:
        """This cluster's settings plus `settings`, for `run_job`."""
        return {**dict(self.conf.items()), **settings}

    def run_job(self, job: Any, inputs: Any, output: str, conf: dict | None = None, **kw: Any):
        from mapred.runner import run_job

        return run_job(job, inputs, output, self.job_conf(**(conf or {})), **kw)

    def kill_tracker(self, node: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to node `node`'s TaskTracker daemon and wait (bounded) until it is gone."""
        self.dfs.kill(tracker_name(node), sig)

    def close(self) -> None:
        try:
            self.dfs.close()  # stop-cluster stops the MapReduce daemons too
        finally:
            if self._env is None:
                os.environ.pop("MINIHADOOP_HOME", None)
            else:
                os.environ["MINIHADOOP_HOME"] = self._env

    def __enter__(self) -> MiniMRCluster:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
