"""`hadoop` commands (tests/dfs/test_cli.py) and HDFS's namespace limits
(tests/dfs/test_limits.py) once more, against a started cluster of real processes (issue 12,
item 7): `run` is `hadoop ...` as alice, a member of the supergroup, on the daemons' state
directory; `mini_cluster` is the daemon cluster itself (see tests/dfs/daemon_mode.py).
"""

from __future__ import annotations

import time

import pytest

from dfs.conf import current_user
from tests.dfs import test_cli as embedded
from tests.dfs import test_limits as embedded_limits
from tests.dfs.daemon_mode import (  # noqa: F401
    cluster_home,
    daemon_cluster_fixture,
    mini_cluster,
    run,
    slow,
)
from tests.dfs.test_cli import (  # noqa: F401 - collected here, against the daemons
    test_define_reaches_the_cluster,
    test_dfsadmin_report,
    test_fsck_absent_path_and_bad_flag,
    test_fsck_healthy_report,
    test_generic_option_errors_are_one_line,
)
from tests.dfs.test_limits import (  # noqa: F401
    test_component_length_limit,
    test_fsspec_walk_matches_fsspecs_own_and_goes_deep,
    test_mkdir_p_of_1000_levels_leaves_every_command_working,
    test_mkdir_p_of_1001_levels_gets_the_hdfs_error,
    test_path_length_limit,
)

# Not here: test_cli's -format and subprocess tests on a state directory of their own, and the tests
# of no cluster at all (option parsing, --debug, version); test_limits' deeper-than-the-recursion-
# limit tree (built straight into the embedded NameNode's namespace).

daemon_cluster = daemon_cluster_fixture(current_user(), "dr.who=;alice=supergroup")


# DataNodes stopped (SIGTERM) until the NameNode declares them dead, then started again: slow
test_directory_item_limit_is_the_clusters_setting = slow(  # a cluster of its own, a restart
    embedded_limits.test_directory_item_limit_is_the_clusters_setting
)
three_items = daemon_cluster_fixture(
    current_user(), name="three_items", conf={"dfs.namenode.fs-limits.max-directory-items": 3}
)
test_fsck_missing_blocks_is_corrupt = slow(embedded.test_fsck_missing_blocks_is_corrupt)
test_fsck_under_replicated_is_still_healthy = slow(
    embedded.test_fsck_under_replicated_is_still_healthy
)


@pytest.fixture
def stop_datanodes(cluster_home):  # noqa: F811 - the fixture, used
    """Stop DataNode daemons and wait (bounded) until the NameNode has declared them dead; they
    are started again after the test."""
    mc, stopped = cluster_home, []

    def stop(*nodes: str) -> None:
        for node in nodes:
            mc.stop_datanode(node)
            stopped.append(node)
        deadline = time.monotonic() + 15
        while any(n.alive for n in mc.client().datanode_report() if n.node_id in nodes):
            assert time.monotonic() < deadline, f"{nodes} not declared dead in 15 s"
            time.sleep(0.1)

    yield stop
    for node in stopped:
        mc.start_datanode(node)


def test_safe_mode_entered_by_hand_holds_for_every_command_until_left(run):  # noqa: F811
    """Embedded, each command's NameNode starts anew; a running NameNode keeps the state:
    HDFS's messages for a write refused in safe mode (FSNamesystem's checkNameNodeSafeMode)."""
    assert run("dfsadmin", "-safemode", "enter").stdout == "Safe mode is ON\n"
    try:
        r = run("fs", "-mkdir", "/x")
        assert r.exit_code == 1
        assert r.stderr.splitlines() == [
            "mkdir: Cannot create directory /x. Name node is in safe mode.",
            'It was turned on manually. Use "hadoop dfsadmin -safemode leave" to turn safe mode '
            "off.",
        ]
        r = run("fs", "-put", "-", "/f", input=b"data")
        assert r.exit_code == 1 and "Name node is in safe mode." in r.stderr
        assert run("dfsadmin", "-safemode", "get").stdout == "Safe mode is ON\n"
        assert run("fs", "-ls", "/").exit_code == 0  # reads go on
    finally:
        assert run("dfsadmin", "-safemode", "leave").stdout == "Safe mode is OFF\n"
    assert run("fs", "-mkdir", "/x").exit_code == 0
    assert run("dfsadmin", "-safemode", "wait").stdout == "Safe mode is OFF\n"
