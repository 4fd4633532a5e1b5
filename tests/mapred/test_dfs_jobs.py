"""Jobs reading and writing dfs:// on a MiniCluster: inputs span many blocks (one split each),
with the local and the parallel executor."""

from __future__ import annotations

import collections

import pytest

from jobs.sort import Sort
from jobs.wordcount_textbook import WordCountTextbook
from mapred.runner import run_job

from .conftest import make_text


@pytest.fixture
def dfs_env(mini_cluster, monkeypatch):
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    yield mini_cluster
    DFSFileSystem.clear_instance_cache()


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_wordcount_on_dfs(dfs_env, tmp_path, executor):
    path = make_text(tmp_path / "in.txt", lines=12_000)  # ~340 KB: 6 blocks of 64 KB
    dfs_env.fs.put(path, "/data/in.txt")
    conf = {
        "mapreduce.job.reduces": 2,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.task.io.sort.mb": "0.02",
    }
    result = run_job(WordCountTextbook, ["dfs:///data"], "dfs:///out", conf, executor=executor)
    assert result.succeeded, result.error
    assert result.stats["maps"] >= 5
    expected = collections.Counter(open(path, encoding="utf-8").read().split())
    assert {k: int(v) for k, v in result.read_output()} == dict(expected)
    assert dfs_env.fs.exists("/out/_SUCCESS")


def test_sort_on_dfs(dfs_env, tmp_path):
    path = make_text(tmp_path / "in.txt", lines=6000)
    dfs_env.fs.put(path, "/data/in.txt")
    conf = {"mapreduce.job.reduces": 3, "mapreduce.cluster.local.dir": str(tmp_path / "local")}
    result = run_job(Sort, ["dfs:///data/in.txt"], "dfs:///sorted", conf, executor="cluster")
    assert result.succeeded, result.error
    lines = open(path, encoding="utf-8").read().splitlines()
    got = [k for k, _ in result.read_output()]
    assert got == sorted(lines)
