"""Group commit of the edit log (HDFS's logSync): the fsync comes after the namespace lock is
released and before the call returns; readers never wait for it; a failed fsync is reported to
the caller and stops the NameNode from accepting more."""

from __future__ import annotations

import errno
import os
import threading

import pytest

from dfs import editlog
from dfs.errors import DFSStorageWriteError
from dfs.minicluster import MiniCluster


@pytest.fixture
def nn(tmp_path):
    mc = MiniCluster(tmp_path)
    try:
        yield mc.cluster.namenode
    finally:
        mc.close()


def test_a_reader_does_not_wait_for_a_writers_fsync_and_the_writer_returns_after_it(
    nn, monkeypatch
):
    user = nn.superuser
    in_fsync, release = threading.Event(), threading.Event()
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        if threading.current_thread().name == "writer":
            in_fsync.set()
            assert release.wait(10), "the test never released the fsync"
        real_fsync(fd)

    monkeypatch.setattr(editlog.os, "fsync", slow_fsync)
    done: list[object] = []
    writer = threading.Thread(
        target=lambda: done.append(nn.mkdirs(user, "/made")), name="writer", daemon=True
    )
    writer.start()
    try:
        assert in_fsync.wait(10), "the writer never reached its fsync"
        # the writer is inside its fsync: the namespace lock is free, so a reader gets through
        reader = threading.Thread(target=lambda: done.append(nn.get_status(user, "/made")))
        reader.start()
        reader.join(10)
        assert not reader.is_alive(), "a reader waited for another call's fsync"
        assert len(done) == 1 and done[0].path == "/made"  # the reader's answer only
        assert writer.is_alive()  # not acknowledged before its fsync
    finally:
        release.set()
        writer.join(10)
    assert done[1] is True


def test_a_failed_fsync_is_reported_and_the_namenode_accepts_nothing_more(nn, monkeypatch):
    user = nn.superuser

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(editlog.os, "fsync", broken_fsync)
    with pytest.raises(DFSStorageWriteError, match="cannot sync the edit log.*Input/output"):
        nn.mkdirs(user, "/unsure")
    monkeypatch.undo()
    with pytest.raises(DFSStorageWriteError, match="restarted"):
        nn.mkdirs(user, "/after")
