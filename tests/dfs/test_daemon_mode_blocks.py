"""Block integrity (tests/dfs/test_block_integrity.py) once more, against a started cluster of
real processes (issue 12, item 7): corrupt replicas seen by readers, `fsck -verify` and block
reports, and repair, with `mini_cluster` re-bound to daemons (see tests/dfs/daemon_mode.py).
"""

from __future__ import annotations

from dfs.conf import current_user
from tests.dfs import test_block_integrity as embedded
from tests.dfs.daemon_mode import daemon_cluster_fixture, mini_cluster, slow  # noqa: F401
from tests.dfs.test_block_integrity import (  # noqa: F401 - collected here, against the daemons
    test_a_torn_meta_file_is_a_checksum_error_for_a_reader,
    test_block_files_are_private,
    test_deep_scan_finds_corruption_no_reader_has_seen,
    test_deep_scan_repairs_a_single_bad_replica,
    test_delete_while_a_node_is_down_is_finished_when_it_returns,
    test_replica_of_the_wrong_length_with_a_consistent_meta_is_corrupt,
)

# NameNode restarts, a reader process: slow
test_block_file_no_file_owns_is_deleted_by_the_next_block_report = slow(
    embedded.test_block_file_no_file_owns_is_deleted_by_the_next_block_report
)
test_corrupt_replica_reported_by_another_process_is_repaired_by_the_next_command = slow(
    embedded.test_corrupt_replica_reported_by_another_process_is_repaired_by_the_next_command
)
test_every_replica_corrupt_cat_fails_and_fsck_says_corrupt = slow(
    embedded.test_every_replica_corrupt_cat_fails_and_fsck_says_corrupt
)

daemon_cluster = daemon_cluster_fixture(current_user())
