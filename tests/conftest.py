"""Shared fixtures: a MiniCluster per test, and a private MINIHADOOP_HOME for the whole run so
no test ever touches the user's ~/.minihadoop."""

from __future__ import annotations

import pytest

from dfs.minicluster import MiniCluster


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MINIHADOOP_HOME", str(tmp_path_factory.mktemp("minihadoop-home")))
    mp.delenv("MINIHADOOP_CONF_DIR", raising=False)
    yield
    mp.undo()


@pytest.fixture
def mini_cluster(tmp_path):
    """4 datanodes on 2 racks, 64 KiB blocks, replication 3."""
    with MiniCluster(tmp_path) as mc:
        yield mc
