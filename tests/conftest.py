"""Shared fixtures: a MiniCluster per test, and a private, formatted MINIHADOOP_HOME for the
whole run so no test ever touches the user's ~/.minihadoop."""

from __future__ import annotations

import signal

import pytest

from dfs.cluster import format_cluster
from dfs.conf import Configuration
from dfs.minicluster import MiniCluster

# A test run started as a background job of a non-interactive shell (`bash -c 'pytest &'`)
# ignores SIGINT, and every process it starts would inherit that: the tests that press Ctrl-C
# in a child (pig's interrupts, `hadoop fs -tail -f`) need it delivered, as at a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("minihadoop-home")
    mp.setenv("MINIHADOOP_HOME", str(home))
    mp.delenv("MINIHADOOP_CONF_DIR", raising=False)
    # formatted once, as `hadoop namenode -format` would: nothing formats implicitly
    format_cluster(Configuration({"minihadoop.home": str(home)}, load_site=False))
    yield
    mp.undo()


@pytest.fixture
def mini_cluster(tmp_path):
    """4 datanodes on 2 racks, 64 KiB blocks, replication 3."""
    with MiniCluster(tmp_path) as mc:
        yield mc
