"""Task children on a DFS: each works through the cluster its tracker's process had open
(``dfs.files.adopt_after_fork``), not a second load of the namespace per child process.

The job's maps report their process id and the identity of the cluster object `files_for`
gives them: a forked child that took the parent's over holds it at the same address as the
parent does (a fresh load would be a new object), in a process of its own.
"""

from __future__ import annotations

import os

import pytest

from mapred.api import Job
from mapred.runner import run_job


class WhereIsMyCluster(Job):
    reducers = 0

    def map(self, key, line):
        from dfs.files import files_for

        yield str(os.getpid()), str(id(files_for().cluster))


@pytest.fixture
def dfs_env(mini_cluster, monkeypatch):
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    yield mini_cluster
    DFSFileSystem.clear_instance_cache()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="children are spawned: nothing to take over")
def test_map_children_use_the_cluster_their_tracker_opened(dfs_env, tmp_path):
    from dfs.files import files_for

    dfs_env.fs.pipe_file("/data/in.txt", b"".join(b"line %d\n" % i for i in range(100)))
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 300,  # several maps, both slots
        "mapreduce.map.speculative": False,
    }
    result = run_job(WhereIsMyCluster, ["dfs:///data/in.txt"], "dfs:///out", conf, "cluster")
    assert result.succeeded, result.error
    seen = set(result.read_output())
    assert str(os.getpid()) not in {pid for pid, _ in seen}  # the maps ran in children
    assert {cluster for _, cluster in seen} == {str(id(files_for().cluster))}
