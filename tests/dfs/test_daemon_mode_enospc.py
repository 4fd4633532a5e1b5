"""A really full disk under a running NameNode (tests/dfs/test_enospc.py on daemons, issue 12
item 7): the cluster's state directory on a small tmpfs the test fills. The failing call
reaches the client as the NameNode's own error (DFSStorageWriteError, the kernel's words), the
command exits non-zero in one line, and after room is made and the NameNode restarted, every
acknowledged mkdir is there. Skipped (with the reason) where a tmpfs cannot be mounted.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dfs.cli import cli
from dfs.conf import current_user
from dfs.errors import DFSStorageWriteError
from dfs.minicluster import MiniCluster
from tests.dfs.test_enospc import _fill, small_disk  # noqa: F401


@pytest.mark.slow
def test_a_full_disk_fails_the_call_and_keeps_what_was_acknowledged(small_disk, monkeypatch):  # noqa: F811
    mc = MiniCluster(small_disk, datanodes=1, racks=1, daemons=True, user=current_user())
    try:
        _fill(small_disk, leave=8192)
        acknowledged: list[str] = []
        client = mc.client()
        with pytest.raises(Exception) as info:  # noqa: B017 - checked below
            for i in range(100_000):
                client.mkdirs(f"/d{i:05d}")
                acknowledged.append(f"/d{i:05d}")
        assert acknowledged, "the disk filled before anything was acknowledged"
        assert isinstance(info.value, DFSStorageWriteError), repr(info.value)
        assert "No space left on device" in str(info.value)
        monkeypatch.setenv("MINIHADOOP_HOME", str(mc.home))
        r = CliRunner().invoke(cli, ["fs", "-mkdir", "/one-more"])
        assert r.exit_code != 0
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        (small_disk / "filler").unlink()  # the administrator makes room, restarts the NameNode
        mc.reopen()
        names = {s.path for s in mc.client().listdir("/")}
        assert names == set(acknowledged)  # nothing acknowledged was lost
        mc.client().mkdirs("/after")
        assert mc.client().exists("/after")
    finally:
        mc.close()
