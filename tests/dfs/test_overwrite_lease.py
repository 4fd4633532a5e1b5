"""Overwriting is one namespace operation, and a file being written has one writer.

- ``put -f`` replaces its target with HDFS's rename-with-OVERWRITE (rename2): a kill at any
  point of the command leaves the path naming the old file or the new one, never nothing;
- rename2's rules (HDFS ``FSDirRenameOp``): an existing destination is replaced only with
  OVERWRITE, only by the same type, never a non-empty directory; the replaced file's blocks are
  deleted; the whole rename is one journal record;
- a create of a file another live client is writing fails with HDFS's
  ``AlreadyBeingCreatedException`` text, whatever ``overwrite`` says; a dead writer's file does
  not block anyone.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from dfs import editlog, faults
from dfs.errors import (
    DFSAlreadyBeingCreated,
    DFSDirectoryNotEmpty,
    DFSError,
    DFSFileExists,
    DFSFileNotFound,
    DFSNotADirectory,
)
from dfs.minicluster import MiniCluster
from dfs.shell import FsShell

OLD, NEW = b"old contents\n" * 5000, b"new contents, longer\n" * 9000  # a few 64 KiB blocks


def _payload(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _shell(client, argv: list[str]) -> int:
    return FsShell(lambda: nullcontext(client), out=open(os.devnull, "wb")).run(argv)


class _DieBefore:
    """A namenode stand-in that dies (InjectedCrash) before its `n`-th namespace change, as a
    kill between two operations of one command would."""

    CHANGES = frozenset(
        {
            "create",
            "add_block",
            "abandon_block",
            "complete",
            "delete",
            "rename",
            "mkdirs",
            "mkdir",
            "set_times",
            "set_permission",
            "set_owner",
            "set_replication",
        }
    )

    def __init__(self, nn, n: int) -> None:
        self._nn, self._n, self.seen = nn, n, 0

    def __getattr__(self, name: str):
        attr = getattr(self._nn, name)
        if name not in self.CHANGES:
            return attr

        def call(*args, **kwargs):
            self.seen += 1
            if self.seen == self._n:
                raise faults.InjectedCrash(f"before {name}")
            return attr(*args, **kwargs)

        return call


def test_put_f_killed_between_any_two_operations_keeps_old_or_new(tmp_path):
    """Old code: `put -f` deleted the target, then renamed; a kill between left no file."""
    src = tmp_path / "new"
    src.write_bytes(NEW)
    with MiniCluster(tmp_path) as mc:
        mc.client().write_bytes("/f", OLD)
        n, states = 1, []
        while True:
            client = mc.client()
            client.nn = _DieBefore(client.nn, n)
            try:
                assert _shell(client, ["-put", "-f", str(src), "/f"]) == 0
            except faults.InjectedCrash:
                # the process died: its unclosed files are recovered (removed) by the next start
                mc.cluster.namenode.recover_leases(lambda h, dead=client.name: h != dead)
                got = mc.client().read_bytes("/f")
                assert got in (OLD, NEW), f"kill before namespace change {n}: /f is torn"
                states.append(got == NEW)
                n += 1
                continue
            break
        assert n > 3, "the put made fewer namespace changes than a create, complete and rename"
        assert states[0] is False and mc.client().read_bytes("/f") == NEW
        assert not mc.client().exists("/f._COPYING_")
        assert mc.client().fsck("/").healthy


def _hadoop(mc: MiniCluster, *args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    full = dict(mc.env(), **(env or {}))
    defines = [f"-D{key}={value}" for key, value in mc.overrides().items()]
    cmd = [sys.executable, "-m", "mapred.cli", args[0], *defines, *args[1:]]
    return subprocess.Popen(cmd, env=full, stderr=subprocess.PIPE, text=False, **kw)


def test_put_f_killed_at_the_named_point_before_rename(mini_cluster, tmp_path):
    src = tmp_path / "new"
    src.write_bytes(NEW)
    log = tmp_path / "crash.log"
    mc = mini_cluster
    mc.client().write_bytes("/f", OLD)
    env = {"MINIHADOOP_CRASH_AT": "shell.put.before_rename", "MINIHADOOP_CRASH_LOG": str(log)}
    proc = _hadoop(mc, "fs", "-put", "-f", str(src), "/f", env=env)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert log.read_text() == "shell.put.before_rename\n"
    mc.reopen()
    c = mc.client()
    assert c.read_bytes("/f") == OLD  # the old file is untouched until the one rename
    assert c.read_bytes("/f._COPYING_") == NEW  # the complete upload stays, as in Hadoop
    proc = _hadoop(mc, "fs", "-put", "-f", str(src), "/f")
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert c.read_bytes("/f") == NEW and not c.exists("/f._COPYING_")


# ---- rename with OVERWRITE (HDFS rename2) --------------------------------------------------------
def _records(mc: MiniCluster) -> int:
    return len(editlog.read_records(Path(mc.home) / "namenode" / "edits")[1])


def test_rename_overwrite_replaces_a_file_in_one_record_and_deletes_its_blocks(mini_cluster):
    mc = mini_cluster
    c = mc.client()
    c.write_bytes("/a", OLD)
    c.write_bytes("/b", NEW)
    old_blocks = [b.block_id for b in c.block_locations("/a")]
    assert all(any(dn.has_block(b) for dn in mc.datanodes.values()) for b in old_blocks)
    before = _records(mc)
    assert c.rename("/b", "/a", overwrite=True) == "/a"
    assert _records(mc) == before + 1
    assert c.read_bytes("/a") == NEW and not c.exists("/b")
    mc.tick()  # the deletions ride the next heartbeat replies (daemons: within a few seconds)
    _wait_for(
        lambda: not any(dn.has_block(b) for dn in mc.datanodes.values() for b in old_blocks),
        "the replaced file's replicas to be deleted",
        timeout=15,
    )
    mc.reopen()  # replaying the journal gives the same namespace
    c = mc.client()
    assert c.read_bytes("/a") == NEW and not c.exists("/b")
    assert c.fsck("/").healthy


def test_rename_without_overwrite_refuses_an_existing_destination(mini_cluster):
    c = mini_cluster.client()
    c.write_bytes("/a", OLD)
    c.write_bytes("/b", NEW)
    c.mkdirs("/dir")
    with pytest.raises(DFSFileExists, match="rename destination /a already exists"):
        c.rename("/b", "/a", overwrite=False)
    # rename2 never moves into a directory (old rename does)
    with pytest.raises(DFSError, match="Source /b and destination /dir must both be directories"):
        c.rename("/b", "/dir", overwrite=False)
    assert c.read_bytes("/a") == OLD and c.read_bytes("/b") == NEW
    assert c.rename("/b", "/dir") == "/dir/b"  # the old rename's semantics are unchanged


def test_rename_overwrite_rules(mini_cluster):
    c = mini_cluster.client()
    c.write_bytes("/f", OLD)
    c.write_bytes("/g", NEW)
    c.mkdirs("/d/full/x")
    c.mkdirs("/e")
    with pytest.raises(DFSError, match="Source /f and destination /d must both be directories"):
        c.rename("/f", "/d", overwrite=True)
    with pytest.raises(DFSError, match="Source /e and destination /f must both be directories"):
        c.rename("/e", "/f", overwrite=True)
    with pytest.raises(DFSDirectoryNotEmpty, match="rename destination directory is not empty: /d"):
        c.rename("/e", "/d", overwrite=True)
    with pytest.raises(DFSFileExists, match="The source /f and destination /f are the same"):
        c.rename("/f", "/f", overwrite=True)
    with pytest.raises(DFSError, match="Rename destination /d/full/y is a directory or file under"):
        c.rename("/d", "/d/full/y", overwrite=True)
    with pytest.raises(DFSFileNotFound, match="rename destination parent /nope/f not found."):
        c.rename("/f", "/nope/f", overwrite=True)
    with pytest.raises(DFSNotADirectory, match="rename destination parent /g/f is a file."):
        c.rename("/f", "/g/f", overwrite=True)
    with pytest.raises(DFSError, match="rename destination cannot be the root"):
        c.rename("/e", "/", overwrite=True)
    with pytest.raises(DFSFileNotFound):
        c.rename("/missing", "/f", overwrite=True)
    c.mkdirs("/empty")
    c.rename("/d/full", "/empty", overwrite=True)  # an empty directory may be replaced
    assert [s.name for s in c.listdir("/empty")] == ["x"] and not c.exists("/d/full")
    assert c.read_bytes("/f") == OLD and c.read_bytes("/g") == NEW


# ---- one writer per file ------------------------------------------------------------------------
def test_create_of_a_file_being_written_by_another_client_fails(mini_cluster):
    """Old code: the second create replaced the file and the first writer hit `lease mismatch`."""
    writer, other = mini_cluster.client(), mini_cluster.client()
    data = _payload(200_000, 1)
    out = writer.create("/p")
    out.write(data[:100_000])
    for overwrite in (True, False):
        with pytest.raises(DFSAlreadyBeingCreated) as info:
            other.create("/p", overwrite=overwrite)
        assert str(info.value) == (
            f"Failed to CREATE_FILE /p for {other.name} on 127.0.0.1 because this file lease is "
            f"currently owned by {writer.name} on 127.0.0.1"
        )
    with pytest.raises(DFSAlreadyBeingCreated, match=f"{writer.name} is already the current"):
        writer.create("/p", overwrite=True)
    out.write(data[100_000:])
    out.close()
    assert other.read_bytes("/p") == data
    other.write_bytes("/p", b"replaced", overwrite=True)  # a closed file is overwritten as before
    assert writer.read_bytes("/p") == b"replaced"


def _wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_two_put_f_processes_one_wins_the_other_gets_the_lease_error(mini_cluster, tmp_path):
    mc = mini_cluster
    c = mc.client()
    c.write_bytes("/p", OLD)
    first, second = _payload(300_000, 2), _payload(250_000, 3)
    (tmp_path / "second").write_bytes(second)
    a = _hadoop(mc, "fs", "-put", "-f", "-", "/p", stdin=subprocess.PIPE)
    try:
        a.stdin.write(first[:70_000])
        a.stdin.flush()
        _wait_for(lambda: c.exists("/p._COPYING_"), "the first put to open its file")
        b = _hadoop(mc, "fs", "-put", "-f", str(tmp_path / "second"), "/p")
        _, err = b.communicate(timeout=60)
        assert b.returncode == 1
        assert b"Failed to CREATE_FILE /p._COPYING_ for DFSClient_" in err
        assert f"because this file lease is currently owned by DFSClient_{a.pid}_".encode() in err
        a.stdin.write(first[70_000:])
        a.stdin.close()
        a.wait(timeout=60)
        assert a.returncode == 0, a.stderr.read()
    finally:
        if a.poll() is None:
            a.kill()
            a.wait(timeout=10)
        a.stderr.close()
    assert c.read_bytes("/p") == first
    assert not c.exists("/p._COPYING_")


def test_a_dead_writer_does_not_block_the_next_put(mini_cluster, tmp_path):
    mc = mini_cluster
    c = mc.client()
    second = _payload(90_000, 4)
    (tmp_path / "second").write_bytes(second)
    a = _hadoop(mc, "fs", "-put", "-f", "-", "/p", stdin=subprocess.PIPE)
    try:
        a.stdin.write(_payload(70_000, 5))
        a.stdin.flush()
        _wait_for(lambda: c.exists("/p._COPYING_"), "the first put to open its file")
        a.kill()
        a.wait(timeout=10)
    finally:
        if a.poll() is None:
            a.kill()
            a.wait(timeout=10)
        a.stdin.close()
        a.stderr.close()
    b = _hadoop(mc, "fs", "-put", "-f", str(tmp_path / "second"), "/p")
    _, err = b.communicate(timeout=60)
    assert b.returncode == 0, err
    assert c.read_bytes("/p") == second


# ---- commands that write local files ------------------------------------------------------------
def test_getmerge_and_get_write_the_local_file_only_when_the_copy_finished(mini_cluster, tmp_path):
    """Old code: getmerge truncated its destination first; a failing source left it cut short
    (or an empty file when the source did not exist)."""
    admin = mini_cluster.client()
    admin.write_bytes("/m/a", b"aaa\n")
    admin.write_bytes("/m/b", b"bbb\n")
    admin.set_permission("/m/b", 0o600)  # bob may list /m but not read /m/b
    bob = mini_cluster.client("bob")
    dst = tmp_path / "merged"
    dst.write_bytes(b"precious\n")
    assert _shell(bob, ["-getmerge", "/m", str(dst)]) == 1
    assert dst.read_bytes() == b"precious\n"
    assert _shell(bob, ["-get", "-f", "/m/b", str(dst)]) == 1
    assert dst.read_bytes() == b"precious\n"
    assert _shell(bob, ["-getmerge", "/missing", str(tmp_path / "new")]) == 1
    assert set(os.listdir(tmp_path)) - {"minihadoop"} == {"merged"}  # no file, no ._COPYING_
    assert _shell(admin, ["-getmerge", "/m", str(dst)]) == 0
    assert dst.read_bytes() == b"aaa\nbbb\n"
