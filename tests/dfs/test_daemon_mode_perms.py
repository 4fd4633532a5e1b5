"""Permissions, malformed paths, rename/overwrite and one-writer-per-file tests once more, against
a started cluster of real processes (issue 12, item 7): the embedded suite's own functions, with
`mini_cluster` re-bound to daemons (see tests/dfs/daemon_mode.py). The cluster's superuser is the
user running the tests; alice and bob are ordinary users.
"""

from __future__ import annotations

from dfs.conf import current_user
from tests.dfs import test_overwrite_lease as embedded
from tests.dfs.daemon_mode import daemon_cluster_fixture, mini_cluster, slow  # noqa: F401
from tests.dfs.test_overwrite_lease import (  # noqa: F401 - collected here, against the daemons
    test_a_dead_writer_does_not_block_the_next_put,
    test_create_of_a_file_being_written_by_another_client_fails,
    test_getmerge_and_get_write_the_local_file_only_when_the_copy_finished,
    test_rename_overwrite_replaces_a_file_in_one_record_and_deletes_its_blocks,
    test_rename_overwrite_rules,
    test_rename_without_overwrite_refuses_an_existing_destination,
    test_two_put_f_processes_one_wins_the_other_gets_the_lease_error,
)
from tests.dfs.test_permissions_paths import (  # noqa: F401
    shared,
    test_block_file_names_come_from_integer_ids_only,
    test_malformed_paths_are_rejected_and_nothing_escapes,
    test_modes_umask_chmod_and_owner_rules,
    test_private_file_cannot_be_read_or_deleted_by_another_user,
    test_traversal_needs_execute,
)

# Not here: test_put_f_killed_between_any_two_operations_keeps_old_or_new (recovers the dead
# client's leases by calling the embedded NameNode object).

# two `hadoop` processes (one SIGKILLed at its crash point) and a NameNode restart: slow
test_put_f_killed_at_the_named_point_before_rename = slow(
    embedded.test_put_f_killed_at_the_named_point_before_rename
)

daemon_cluster = daemon_cluster_fixture(current_user())
