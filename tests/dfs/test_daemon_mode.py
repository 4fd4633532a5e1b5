"""Existing DFS (and dfs:// MapReduce) tests once more, against a started cluster of real
processes (issue 12, item 7).

The tests are the embedded suite's own functions, imported here; only their fixtures differ:
`mini_cluster` and `hadoop` are one NameNode and four DataNode daemons (started once for the
module with `dfs.minicluster.MiniCluster(daemons=True)`), whose namespace is emptied after each
test. Every command and client of these tests goes over TCP to the daemons, exactly as a user's
would once `hadoop start-cluster` ran.
"""

from __future__ import annotations

import time

import pytest

from dfs.conf import current_user
from dfs.minicluster import MiniCluster
from tests.dfs import test_shell
from tests.dfs.test_client import (  # noqa: F401 - collected here, against the daemons
    test_all_replicas_corrupt_is_a_clear_error,
    test_namespace_operations,
    test_placement_three_nodes_two_racks,
    test_relative_paths_resolve_under_home,
    test_round_trip_sizes,
    test_stopped_datanode_is_skipped_by_reads_and_writes,
    test_writer_on_a_datanode_gets_the_first_replica,
)
from tests.dfs.test_fsspec import (  # noqa: F401
    fs,
    test_block_locations_for_splits,
    test_ls_mkdir_mv_rm_exists_walk_glob,
    test_open_write_read_seek,
    test_pandas_reads_and_writes_csv,
    test_round_trip_through_fsspec,
)
from tests.dfs.test_shell import (  # noqa: F401
    test_chmod_chown_chgrp,
    test_du_count_stat_numbers,
    test_get_existing_local_and_cat_dir,
    test_getmerge,
    test_head_tail_text,
    test_ls_bad_path_carries_on,
    test_ls_directory_layout,
    test_ls_globs,
    test_ls_recursive_dir_flag_human_and_relative,
    test_mkdir_errors,
    test_mv_and_cp,
    test_permission_errors_between_users,
    test_put_and_get_directory_trees,
    test_put_existing_force_stdin_and_into_dir,
    test_put_get_round_trip,
    test_relative_dot_and_url_paths,
    test_rmdir,
    test_setrep,
    test_test_flags,
    test_touchz_and_rm,
    test_usage_errors,
)
from tests.mapred.test_dfs_jobs import (  # noqa: F401 - MapReduce jobs on dfs:// URLs
    dfs_env,
    test_sort_on_dfs,
    test_wordcount_on_dfs,
)
from tests.mapred.test_io_dfs import (  # noqa: F401
    cluster,
    test_committer_on_dfs,
    test_record_file_on_dfs,
    test_text_splits_follow_dfs_blocks_and_hosts,
)

# Not here: tests that reach into the embedded cluster's objects (the NameNode's block map, a
# DataNode object's writer), open a second embedded cluster on the same directory, build their
# own embedded MiniCluster, or assert a state in between two heartbeat rounds (daemons repair on
# their own schedule); nor test_df, which compares `-df` with a second reading of the used bytes:
# on live DataNodes a late copy or deletion of the last test's blocks may land in between.


@pytest.fixture(scope="module")
def daemon_cluster(tmp_path_factory):
    # the shell tests format their embedded cluster as alice (its superuser): here alice is one
    # through the supergroup, and the client tests' user (the formatter) is the superuser
    superuser = current_user()
    groups = {"hadoop.user.group.static.mapping.overrides": "dr.who=;alice=supergroup"}
    base = tmp_path_factory.mktemp("daemons")
    mc = MiniCluster(base, daemons=True, user=superuser, conf=groups)
    mc.superuser = superuser
    try:
        yield mc
    finally:
        mc.close()


def _empty(mc: MiniCluster, settle: bool = False) -> None:
    """Delete everything; with `settle`, also wait (bounded) until the DataNodes have deleted
    the replicas (on their heartbeats): the shell tests compare df/du figures, which must not
    move under them as the last test's deletions land."""
    client = mc.client(user=mc.superuser)
    for st in client.listdir("/"):
        client.delete(st.path, recursive=True)
    deadline = time.monotonic() + 15
    while settle and client.disk_status().used:
        assert time.monotonic() < deadline, "the datanodes did not delete the replicas in 15 s"
        time.sleep(0.05)


@pytest.fixture
def mini_cluster(daemon_cluster):
    yield daemon_cluster
    _empty(daemon_cluster)


@pytest.fixture
def hadoop(daemon_cluster, monkeypatch):
    _empty(daemon_cluster, settle=True)
    h = test_shell.Hadoop(monkeypatch, str(daemon_cluster.home))
    assert h.fs("-mkdir", "-p", "/user/alice").exit_code == 0
    yield h
    _empty(daemon_cluster)
