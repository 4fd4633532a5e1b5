"""A really full disk under the namenode (issue 11, item 2): a tmpfs the test mounts and fills.

On the old code a short write to the edit log went unnoticed: the command said 0, and the next
start dropped the torn record, so an acknowledged ``mkdir`` vanished. Now the failing command
exits non-zero with the kernel's words, and everything acknowledged before is there after a
reopen. Skipped (with the reason) where a tmpfs cannot be mounted.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dfs.cli import cli
from dfs.cluster import EmbeddedCluster, format_cluster
from dfs.conf import Configuration
from dfs.errors import DFSStorageWriteError
from tests.dfs.tmpfs import mounted_tmpfs


@pytest.fixture
def small_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "disk", "2m", mode="700") as mnt:
        yield mnt


def _fill(directory: Path, leave: int) -> None:
    """Fill the filesystem, then give back `leave` bytes."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 65536
        while True:
            try:
                if os.write(fd, chunk) < len(chunk):
                    break
            except OSError as e:
                assert e.errno == errno.ENOSPC
                break
        os.ftruncate(fd, max(os.fstat(fd).st_size - leave, 0))
    finally:
        os.close(fd)


def test_a_full_disk_fails_the_command_and_keeps_what_was_acknowledged(small_disk, monkeypatch):
    home = small_disk / "home"
    conf = Configuration(
        {"minihadoop.home": str(home), "dfs.namenode.checkpoint.txns": 50}, load_site=False
    )
    format_cluster(conf)
    _fill(small_disk, leave=8192)
    acknowledged: list[str] = []
    cluster = EmbeddedCluster(conf)
    try:
        client = cluster.client()
        with pytest.raises(Exception) as info:  # noqa: B017 - checked below, after the reopen
            for i in range(100_000):
                client.mkdirs(f"/d{i:05d}")
                acknowledged.append(f"/d{i:05d}")
        assert acknowledged, "the disk filled before anything was acknowledged"
        assert not client.exists(f"/d{len(acknowledged):05d}")
    finally:
        cluster.close()

    cluster = EmbeddedCluster(conf)  # the log is long: a checkpoint is tried, fails, is skipped
    try:
        names = {s.path for s in cluster.client().listdir("/")}
    finally:
        cluster.close()
    assert names == set(acknowledged)  # nothing acknowledged was lost
    assert not [p for p in (home / "namenode").iterdir() if p.name.endswith(".tmp")]

    assert isinstance(info.value, DFSStorageWriteError), info.value
    assert "cannot write the edit log" in str(info.value)
    assert "No space left on device" in str(info.value)
    monkeypatch.setenv("MINIHADOOP_HOME", str(home))
    r = CliRunner().invoke(cli, ["fs", "-mkdir", "/one-more"])
    assert r.exit_code != 0
    assert "No space left on device" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
