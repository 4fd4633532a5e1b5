"""Existing DFS (and dfs:// MapReduce) tests once more, against a started cluster of real
processes (issue 12, item 7).

The tests are the embedded suite's own functions, imported here; only their fixtures differ:
`mini_cluster` and `hadoop` are one NameNode and four DataNode daemons (started once for the
module by `tests.dfs.daemon_mode.daemon_cluster_fixture`), whose namespace is emptied after each
test. Every command and client of these tests goes over TCP to the daemons, exactly as a user's
would once `hadoop start-cluster` ran. The other test_daemon_mode_*.py modules do the same for
permissions, limits and the CLI, block integrity, a full disk and Pig; heavier runs are
slow-marked copies (`daemon_mode.slow`), their embedded originals stay in the default run.
"""

from __future__ import annotations

import pytest

from dfs.conf import current_user
from tests.dfs import test_shell
from tests.dfs.daemon_mode import daemon_cluster_fixture, empty, mini_cluster, slow  # noqa: F401
from tests.dfs.test_client import (  # noqa: F401 - collected here, against the daemons
    test_all_replicas_corrupt_is_a_clear_error,
    test_every_read_that_touches_a_corrupt_byte_detects_it,
    test_namespace_operations,
    test_placement_three_nodes_two_racks,
    test_relative_paths_resolve_under_home,
    test_round_trip_any_size_and_block_size,
    test_round_trip_sizes,
    test_stopped_datanode_is_skipped_by_reads_and_writes,
    test_writer_on_a_datanode_gets_the_first_replica,
)
from tests.dfs.test_client import test_metadata_survives_reopen_and_checkpoint as _checkpoint
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
    test_df,
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
from tests.jobs.test_joins import (  # noqa: F401 - the thesis' joins on dfs://
    test_every_strategy_on_the_dfs_with_the_cluster_executor,
)
from tests.mapred.test_commit_atomic import (  # noqa: F401 - a job's output by one rename
    dfs_home,
    test_on_dfs_the_output_appears_by_one_rename,
    test_publish_never_lands_in_or_over_an_output_that_appeared,
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
# DataNode object's writer), open a second embedded cluster on the same directory, or assert a
# state in between two heartbeat rounds (daemons repair on their own schedule):
# test_corrupt_replica_is_read_around_reported_and_repaired (the NameNode's corrupt map),
# test_wiped_datanode_reads_succeed_and_fsck_shows_repair (wipes the disk of a DataNode that runs),
# test_pipeline_survives_a_failing_node (patches a DataNode object), test_two_clusters_on_one_
# directory_see_each_other and test_a_checkpoint_by_another_process_keeps_replicas_visible (a
# second embedded cluster), test_a_changed_home_or_user_gets_its_own_filesystem_not_a_cached_one
# (formats state directories of its own), test_protocol_is_registered_by_installation (no cluster).


# a cluster of its own, two NameNode restarts: slow
test_metadata_survives_reopen_and_checkpoint = slow(_checkpoint)

daemon_cluster = daemon_cluster_fixture(current_user(), "dr.who=;alice=supergroup")
single_node_cluster = daemon_cluster_fixture(
    current_user(), name="single_node_cluster", datanodes=1, blocksize=256 * 1024
)
checkpointing = daemon_cluster_fixture(
    current_user(), name="checkpointing", conf={"dfs.namenode.checkpoint.txns": 10}
)


@pytest.fixture
def single_node(single_node_cluster):
    empty(single_node_cluster)
    yield single_node_cluster
    empty(single_node_cluster)


@pytest.fixture
def hadoop(daemon_cluster, monkeypatch):
    # the shell tests format their embedded cluster as alice (its superuser): here alice is one
    # through the supergroup, and the client tests' user (the formatter) is the superuser
    empty(daemon_cluster, settle=True)
    h = test_shell.Hadoop(monkeypatch, str(daemon_cluster.home))
    assert h.fs("-mkdir", "-p", "/user/alice").exit_code == 0
    yield h
    empty(daemon_cluster)
