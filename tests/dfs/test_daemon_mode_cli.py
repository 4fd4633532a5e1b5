"""`hadoop` commands (tests/dfs/test_cli.py) and HDFS's namespace limits
(tests/dfs/test_limits.py) once more, against a started cluster of real processes (issue 12,
item 7): `run` is `hadoop ...` as alice, a member of the supergroup, on the daemons' state
directory; `mini_cluster` is the daemon cluster itself (see tests/dfs/daemon_mode.py).
"""

from __future__ import annotations

from dfs.conf import current_user
from tests.dfs.daemon_mode import cluster_home, daemon_cluster_fixture, mini_cluster, run  # noqa: F401
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

# Not here: test_cli's fsck tests on stopped DataNodes (they stop them through an embedded
# cluster object), -format and subprocess tests on a state directory of their own, and the tests
# of no cluster at all (option parsing, --debug, version); test_limits' deeper-than-the-recursion-
# limit tree (built straight into the embedded NameNode's namespace) and the directory item limit
# (its own cluster, reopened with a client setting).

daemon_cluster = daemon_cluster_fixture(current_user(), "dr.who=;alice=supergroup")
