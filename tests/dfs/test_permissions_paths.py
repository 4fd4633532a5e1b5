"""Permissions as HDFS checks them, and malformed paths rejected before anything is written."""

from __future__ import annotations

import os

import pytest

from dfs.errors import DFSInvalidPath, DFSPermissionDenied


@pytest.fixture
def shared(mini_cluster):
    admin = mini_cluster.client()  # the formatting user is the superuser
    admin.mkdirs("/home/alice")
    admin.set_owner("/home/alice", "alice", "alice")
    return mini_cluster


def test_private_file_cannot_be_read_or_deleted_by_another_user(shared):
    alice = shared.client(user="alice")
    bob = shared.client(user="bob")
    alice.write_bytes("/home/alice/secret", b"s3cret", mode=0o600)
    st = alice.status("/home/alice/secret")
    assert st.owner == "alice" and st.permission == "-rw-------"
    with pytest.raises(DFSPermissionDenied) as e:
        bob.read_bytes("/home/alice/secret")
    assert str(e.value) == ('Permission denied: user=bob, access=READ, '
                            'inode="/home/alice/secret":alice:alice:-rw-------')
    with pytest.raises(DFSPermissionDenied, match="user=bob, access=WRITE"):
        bob.delete("/home/alice/secret")
    with pytest.raises(PermissionError):  # the builtin too
        bob.write_bytes("/home/alice/other", b"x")
    assert alice.read_bytes("/home/alice/secret") == b"s3cret"


def test_modes_umask_chmod_and_owner_rules(shared):
    alice = shared.client(user="alice")
    alice.write_bytes("/home/alice/f", b"x")
    assert alice.status("/home/alice/f").permission == "-rw-r--r--"  # 666 & ~022
    alice.mkdirs("/home/alice/d")
    assert alice.status("/home/alice/d").permission == "drwxr-xr-x"
    assert shared.client(user="bob").read_bytes("/home/alice/f") == b"x"
    alice.set_permission("/home/alice/f", 0o640)
    with pytest.raises(DFSPermissionDenied):
        shared.client(user="bob").read_bytes("/home/alice/f")
    with pytest.raises(DFSPermissionDenied):
        shared.client(user="bob").set_permission("/home/alice/f", 0o777)
    with pytest.raises(DFSPermissionDenied, match="is not a super user"):  # HDFS words
        alice.set_owner("/home/alice/f", "bob")
    shared.client().set_owner("/home/alice/f", "bob")  # the superuser may
    assert alice.status("/home/alice/f").owner == "bob"


def test_traversal_needs_execute(shared):
    alice = shared.client(user="alice")
    alice.write_bytes("/home/alice/d/f", b"x")
    alice.set_permission("/home/alice/d", 0o700)
    with pytest.raises(DFSPermissionDenied, match="access=EXECUTE"):
        shared.client(user="bob").status("/home/alice/d/f")


@pytest.mark.parametrize("bad", ["/a/../etc/passwd", "/a//b", "/a/./b", "../x", "/a\x00b",
                                 "/a/b\udcff", "/a:b", ""])
def test_malformed_paths_are_rejected_and_nothing_escapes(mini_cluster, tmp_path, bad):
    c = mini_cluster.client()
    with pytest.raises(DFSInvalidPath) as e:
        c.write_bytes(bad, b"x")
    assert "Invalid path name" in str(e.value)
    with pytest.raises(DFSInvalidPath):
        c.mkdirs(bad)
    before = {p for p in tmp_path.rglob("*")}
    outside = tmp_path.parent / "etc"
    assert not outside.exists()
    assert {p for p in tmp_path.rglob("*")} == before


def test_block_file_names_come_from_integer_ids_only(mini_cluster):
    dn = mini_cluster.datanodes["dn0"]
    with pytest.raises((ValueError, TypeError)):
        dn.block_path("../../etc/passwd")
    p = dn.block_path(12345)
    assert os.path.commonpath([p, dn.directory]) == str(dn.directory)
