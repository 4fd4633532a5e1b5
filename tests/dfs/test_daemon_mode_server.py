"""The NameNode's own permission settings and group mapping (tests/dfs/test_permissions_server.py)
once more, against a started cluster of real processes (issue 12, item 7): the cluster is
formatted by `hdfs` with that module's static group mapping; `hadoop` is re-bound to it.
"""

from __future__ import annotations

import pytest

from tests.dfs import test_permissions_server as perms
from tests.dfs.daemon_mode import daemon_cluster_fixture, empty, slow
from tests.dfs.test_permissions_server import (  # noqa: F401 - collected here, on daemons
    test_client_conf_files_change_nothing,
    test_client_defines_change_nothing,
    test_count_du_fsck_reveal_nothing_under_a_private_directory,
    test_fsspec_conf_changes_nothing,
    test_groups_come_from_the_operating_system,
    test_owner_rules,
    test_sticky_bit_protects_other_users_entries,
    test_sticky_directory_owner_may_delete_entries,
)
from tests.dfs.test_permissions_server import (
    test_cluster_formatted_without_permissions_is_permission_less as _permission_less,
)

# a second daemon cluster for one test: slow
test_cluster_formatted_without_permissions_is_permission_less = slow(_permission_less)

# Not here: test_the_administrator_edits_the_clusters_site_file: a running NameNode reads its
# site file when it starts (as HDFS's does); its daemon form, with a restart, is below.

daemon_cluster = daemon_cluster_fixture("hdfs", perms.GROUPS)
permission_less_cluster = daemon_cluster_fixture(
    "hdfs", perms.GROUPS, name="permission_less_cluster", conf={"dfs.permissions.enabled": False}
)


def _on(mc, monkeypatch) -> perms.Hadoop:
    monkeypatch.delenv("MINIHADOOP_CONF_DIR", raising=False)
    empty(mc)
    h = perms.Hadoop(monkeypatch, mc.home)
    perms.populate(h)
    return h


@pytest.fixture
def hadoop(daemon_cluster, monkeypatch):
    yield _on(daemon_cluster, monkeypatch)
    empty(daemon_cluster)


@pytest.fixture
def permission_less(permission_less_cluster, monkeypatch):
    yield _on(permission_less_cluster, monkeypatch)
    empty(permission_less_cluster)


@pytest.mark.slow  # two NameNode restarts
def test_the_site_file_takes_effect_when_the_namenode_restarts(hadoop, daemon_cluster):
    site = hadoop.home / "namenode" / perms.CLUSTER_SITE
    text = site.read_text()
    assert "<value>true</value>" in text
    site.write_text(text.replace("<value>true</value>", "<value>false</value>"))
    try:
        r = hadoop("fs", "-cat", "/home/alice/secret", user="bob")  # the running one: as it was
        assert (r.exit_code, r.stderr) == (1, perms.READ_DENIED)
        daemon_cluster.reopen()  # the NameNode restarted (stopped cleanly, started)
        assert hadoop.ok("fs", "-cat", "/home/alice/secret", user="bob").stdout == "s3cret"
    finally:
        site.write_text(text)
        daemon_cluster.reopen()
    r = hadoop("fs", "-cat", "/home/alice/secret", user="bob")
    assert (r.exit_code, r.stderr) == (1, perms.READ_DENIED)
