"""Fixtures that run the embedded suite's own test functions once more against a started cluster
of real processes (issue 12, item 7).

A daemon-mode test module imports test functions from the embedded suite and re-binds the
fixtures they ask for (`mini_cluster`, `hadoop`, `run`, ...) to one NameNode and four DataNode
daemons, started once for the module by `daemon_cluster_fixture(...)` and emptied after each
test. Every command and client of those tests then goes over TCP to the daemons, exactly as a
user's would once `hadoop start-cluster` ran.
"""

from __future__ import annotations

import functools
import time
from typing import Any

import pytest
from click.testing import CliRunner

from dfs import runfiles
from dfs.cli import cli
from dfs.minicluster import MiniCluster


def daemon_cluster_fixture(
    superuser: str,
    groups: str = "",
    name: str = "daemon_cluster",
    conf: dict[str, Any] | None = None,
    **shape: int,
):
    """A module-scoped fixture `name`: a daemon MiniCluster formatted by `superuser`, with the
    static group mapping `groups` ("user=group,group;..."), `conf` for the cluster and `shape`
    (datanodes, racks, blocksize) as MiniCluster takes them."""

    @pytest.fixture(scope="module", name=name)
    def daemon_cluster(tmp_path_factory):
        settings = {"hadoop.user.group.static.mapping.overrides": groups, **(conf or {})}
        base = tmp_path_factory.mktemp("daemons")
        mc = MiniCluster(base, daemons=True, user=superuser, conf=settings, **shape)
        mc.superuser = superuser
        try:
            yield mc
        finally:
            mc.close()

    return daemon_cluster


def empty(mc: MiniCluster, settle: bool = False) -> None:
    """Delete everything; with `settle`, also wait (bounded) until the DataNodes have deleted
    the replicas (on their heartbeats): the shell tests compare df/du figures, which must not
    move under them as the last test's deletions land."""
    assert runfiles.namenode_address(mc.home) is not None, "the NameNode daemon is not running"
    client = mc.client(user=mc.superuser)
    for st in client.listdir("/"):
        client.delete(st.path, recursive=True)
    client.set_permission("/", 0o755)
    deadline = time.monotonic() + 15
    while settle and client.disk_status().used:
        assert time.monotonic() < deadline, "the datanodes did not delete the replicas in 15 s"
        time.sleep(0.05)


@pytest.fixture
def mini_cluster(daemon_cluster):
    empty(daemon_cluster)
    yield daemon_cluster
    empty(daemon_cluster)


@pytest.fixture
def cluster_home(daemon_cluster, monkeypatch):
    """$MINIHADOOP_HOME is the daemon cluster's (commands, `dfs://` with no arguments)."""
    from dfs.filesystem import DFSFileSystem

    empty(daemon_cluster)
    monkeypatch.setenv("MINIHADOOP_HOME", str(daemon_cluster.home))
    DFSFileSystem.clear_instance_cache()
    yield daemon_cluster
    DFSFileSystem.clear_instance_cache()
    empty(daemon_cluster)


@pytest.fixture
def run(cluster_home, monkeypatch):
    """`hadoop ...` in-process as alice (the tests/dfs/test_cli.py and test_limits.py `run`)."""
    monkeypatch.setenv("HADOOP_USER_NAME", "alice")
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(cli, list(args), **kw)


def slow(test):
    """A copy of the imported `test` marked slow: its daemon-mode run leaves the default run,
    the embedded original stays in it."""

    @functools.wraps(test)
    def copy(*args, **kwargs):
        return test(*args, **kwargs)

    return pytest.mark.slow(copy)
