"""The `pig` command and the Pig back end in mapreduce mode once more, against a started cluster
of real processes (issue 12, item 7): $MINIHADOOP_HOME is the daemons' state directory, so the
scripts' LOAD, STORE and `fs` commands, and the jobs' tasks, reach the DFS over TCP.
"""

from __future__ import annotations

import pytest

from dfs.conf import current_user
from tests.dfs.daemon_mode import cluster_home, daemon_cluster_fixture, slow  # noqa: F401
from tests.piglatin.test_backend_runtime import (  # noqa: F401 - collected here, on daemons
    test_mapreduce_mode_stores_on_the_dfs_and_reads_it_back,
    test_same_results_in_local_and_mapreduce_modes,
)
from tests.piglatin.test_cli import (
    test_mapreduce_mode_on_the_embedded_cluster as _pig_cli,
)
from tests.piglatin.test_cli import (  # noqa: F401
    work,
)

test_mapreduce_mode_on_the_embedded_cluster = slow(_pig_cli)  # a pig process: ~5 s

daemon_cluster = daemon_cluster_fixture(current_user())


@pytest.fixture(autouse=True)
def _on_the_daemons(cluster_home):  # noqa: F811 - every test here runs on the daemons
    yield
