"""Permissions are the NameNode's: its own settings, its own group mapping, HDFS's rules.

Two users (HADOOP_USER_NAME) on one cluster formatted by `hdfs` (the superuser). What a client
says about the permission switch, the supergroup or group membership (-D, -conf, fsspec conf=,
$MINIHADOOP_CONF_DIR) must change nothing. Expected messages are HDFS's
(FSPermissionChecker: "Permission denied: user=..., access=...", the sticky bit's
"Permission denied by sticky bit: ..."; FSDirAttrOp.setOwner's), expected numbers are the bytes
the test wrote.
"""

from __future__ import annotations

import pwd

import pytest
from click.testing import CliRunner

from dfs.cli import cli
from dfs.filesystem import DFSFileSystem

CLUSTER_SITE = "hdfs-site.xml"  # in $MINIHADOOP_HOME/namenode/
GROUPS = "carol=supergroup;alice=alice;bob=bob"
SECRET = b"s3cret"  # 6 bytes, mode 600
DATA = b"private"  # 7 bytes, in a 700 directory


class Hadoop:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, home) -> None:
        self.mp = monkeypatch
        self.home = home
        monkeypatch.setenv("MINIHADOOP_HOME", str(home))
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str = "hdfs", input: bytes | None = None):
        self.mp.setenv("HADOOP_USER_NAME", user)
        return self.runner.invoke(cli, list(args), input=input)

    def ok(self, *args: str, user: str = "hdfs", input: bytes | None = None):
        r = self(*args, user=user, input=input)
        assert r.exit_code == 0, (args, r.stderr)
        return r


def make_cluster(mp, home, *defines: str) -> Hadoop:
    h = Hadoop(mp, home)
    args = ["namenode", "-D", f"hadoop.user.group.static.mapping.overrides={GROUPS}"]
    for d in defines:
        args += ["-D", d]
    h.ok(*args, "-format")
    populate(h)
    return h


def populate(h: Hadoop) -> None:
    """alice's home with a 600 file and a 700 directory, and a world-writable sticky /tmp."""
    h.ok("fs", "-mkdir", "-p", "/home/alice", "/tmp")
    h.ok("fs", "-chown", "alice:alice", "/home/alice")
    h.ok("fs", "-chmod", "1777", "/tmp")
    h.ok("fs", "-put", "-", "/home/alice/secret", user="alice", input=SECRET)
    h.ok("fs", "-chmod", "600", "/home/alice/secret", user="alice")
    h.ok("fs", "-mkdir", "/home/alice/private", user="alice")
    h.ok("fs", "-put", "-", "/home/alice/private/data", user="alice", input=DATA)
    h.ok("fs", "-chmod", "700", "/home/alice/private", user="alice")


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    monkeypatch.delenv("MINIHADOOP_CONF_DIR", raising=False)
    return make_cluster(monkeypatch, tmp_path / "home")


READ_DENIED = (
    "cat: Permission denied: user=bob, access=READ, "
    'inode="/home/alice/secret":alice:alice:-rw-------\n'
)
NOT_OWNER = "Permission denied. user=bob is not the owner of inode=/home/alice/secret"


# ---- a client cannot switch the checks off -------------------------------------------------
@pytest.mark.parametrize(
    "defines",
    [
        ["dfs.permissions.enabled=false"],
        ["dfs.permissions.superusergroup=bob"],
        [f"hadoop.user.group.static.mapping.overrides=bob=supergroup;{GROUPS}"],
    ],
    ids=["enabled=false", "supergroup=bob", "bob-in-supergroup"],
)
def test_client_defines_change_nothing(hadoop, defines):
    generic = [arg for d in defines for arg in ("-D", d)]
    r = hadoop("fs", *generic, "-cat", "/home/alice/secret", user="bob")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", READ_DENIED)
    r = hadoop("fs", *generic, "-chown", "bob", "/home/alice/secret", user="bob")
    assert r.exit_code == 1 and NOT_OWNER in r.stderr
    assert hadoop.ok("fs", "-stat", "%u %a", "/home/alice/secret").stdout == "alice 600\n"


def test_client_conf_files_change_nothing(hadoop, tmp_path, monkeypatch):
    site = tmp_path / "evil"
    site.mkdir()
    (site / "hdfs-site.xml").write_text(
        "<configuration>"
        "<property><name>dfs.permissions.enabled</name><value>false</value></property>"
        "<property><name>dfs.permissions.superusergroup</name><value>bob</value></property>"
        "</configuration>"
    )
    r = hadoop("fs", "-conf", str(site / "hdfs-site.xml"), "-cat", "/home/alice/secret", user="bob")
    assert (r.exit_code, r.stderr) == (1, READ_DENIED)
    monkeypatch.setenv("MINIHADOOP_CONF_DIR", str(site))
    r = hadoop("fs", "-cat", "/home/alice/secret", user="bob")
    assert (r.exit_code, r.stderr) == (1, READ_DENIED)
    r = hadoop("fs", "-chown", "bob", "/home/alice/secret", user="bob")
    assert r.exit_code == 1 and NOT_OWNER in r.stderr


def test_fsspec_conf_changes_nothing(hadoop):
    fs = DFSFileSystem(
        home=str(hadoop.home),
        user="bob",
        skip_instance_cache=True,
        conf={"dfs.permissions.enabled": False, "dfs.permissions.superusergroup": "bob"},
    )
    try:
        with pytest.raises(PermissionError, match="user=bob, access=READ"):
            fs.cat_file("/home/alice/secret")
        with pytest.raises(PermissionError, match="is not the owner"):
            fs.client.set_owner("/home/alice/secret", "bob")
        with pytest.raises(PermissionError):
            fs.rm("/home/alice/private", recursive=True)
    finally:
        fs.cluster.close()
    assert hadoop.ok("fs", "-cat", "/home/alice/secret", user="alice").stdout == "s3cret"


def test_owner_rules(hadoop):
    r = hadoop("fs", "-chown", "bob", "/home/alice/private", user="alice")
    assert r.stderr == (
        "chown: User alice is not a super user (non-super user cannot change owner).\n"
    )
    r = hadoop("fs", "-chgrp", "eng", "/home/alice/private", user="alice")
    assert r.stderr == "chgrp: User alice does not belong to eng\n"
    hadoop.ok("fs", "-chgrp", "bob", "/home/alice/private")  # the superuser may
    r = hadoop("fs", "-chmod", "777", "/home/alice/private", user="bob")
    assert r.stderr == (
        "chmod: Permission denied. user=bob is not the owner of inode=/home/alice/private\n"
    )


# ---- the sticky bit ------------------------------------------------------------------------
def test_sticky_bit_protects_other_users_entries(hadoop):
    hadoop.ok("fs", "-put", "-", "/tmp/a", user="alice", input=b"alice's")
    r = hadoop("fs", "-rm", "/tmp/a", user="bob")
    assert r.exit_code == 1
    assert r.stderr == (
        'rm: Permission denied by sticky bit: user=bob, path="/tmp/a":alice:supergroup:'
        '-rw-r--r--, parent="/tmp":hdfs:supergroup:drwxrwxrwt\n'
    )
    r = hadoop("fs", "-mv", "/tmp/a", "/tmp/b", user="bob")
    assert r.exit_code == 1 and "Permission denied by sticky bit: user=bob" in r.stderr
    r = hadoop("fs", "-put", "-f", "-", "/tmp/a", user="bob", input=b"bob's")
    assert r.exit_code == 1 and "Permission denied" in r.stderr
    assert hadoop.ok("fs", "-cat", "/tmp/a", user="bob").stdout == "alice's"
    hadoop.ok("fs", "-put", "-", "/tmp/mine", user="bob", input=b"x")  # one's own entries:
    hadoop.ok("fs", "-mv", "/tmp/mine", "/tmp/mine2", user="bob")
    hadoop.ok("fs", "-rm", "/tmp/mine2", user="bob")
    hadoop.ok("fs", "-rm", "/tmp/a")  # and the superuser
    hadoop.ok("fs", "-chmod", "777", "/tmp")  # without the bit, WRITE on /tmp is enough
    hadoop.ok("fs", "-put", "-", "/tmp/c", user="alice", input=b"c")
    hadoop.ok("fs", "-rm", "/tmp/c", user="bob")


def test_sticky_directory_owner_may_delete_entries(hadoop):
    hadoop.ok("fs", "-mkdir", "/home/alice/drop", user="alice")
    hadoop.ok("fs", "-chmod", "1777", "/home/alice/drop", user="alice")
    hadoop.ok("fs", "-put", "-", "/home/alice/drop/b", user="bob", input=b"b")
    hadoop.ok("fs", "-rm", "/home/alice/drop/b", user="alice")


# ---- what -count, -du and fsck reveal ---------------------------------------------------------
def test_count_du_fsck_reveal_nothing_under_a_private_directory(hadoop):
    denied = (
        "Permission denied: user=bob, access=READ_EXECUTE, "
        'inode="/home/alice/private":alice:alice:drwx------'
    )
    for args in (
        ["-count", "/home/alice"],
        ["-du", "-s", "/home/alice"],
        ["-count", "/home/alice/private"],
    ):
        r = hadoop("fs", *args, user="bob")
        assert (r.exit_code, r.stdout) == (1, ""), args
        assert r.stderr == f"{args[0][1:]}: {denied}\n"
    r = hadoop("fsck", "/home/alice", "-files", user="bob")
    assert r.exit_code != 0
    assert denied in r.stderr
    assert "data" not in r.stdout and "7 bytes" not in r.stdout and "Total size" not in r.stdout
    r = hadoop("fsck", "/home/alice/secret", user="bob")
    assert r.exit_code != 0 and "access=READ," in r.stderr
    # the superuser and a member of the supergroup see everything
    for user in ("hdfs", "carol"):
        r = hadoop.ok("fs", "-count", "/home/alice", user=user)
        assert r.stdout.split() == ["2", "2", str(len(SECRET) + len(DATA)), "/home/alice"]
        r = hadoop.ok("fsck", "/home/alice", "-files", user=user)
        assert f"/home/alice/private/data {len(DATA)} bytes" in r.stdout
    # alice's own tree is hers to count
    assert hadoop.ok("fs", "-du", "-s", "/home/alice", user="alice").stdout.split()[0] == "13"


# ---- the cluster's own settings --------------------------------------------------------------
@pytest.fixture
def permission_less(tmp_path, monkeypatch) -> Hadoop:
    """A cluster formatted with dfs.permissions.enabled=false."""
    monkeypatch.delenv("MINIHADOOP_CONF_DIR", raising=False)
    return make_cluster(monkeypatch, tmp_path / "home", "dfs.permissions.enabled=false")


def test_cluster_formatted_without_permissions_is_permission_less(permission_less):
    h = permission_less
    site = (h.home / "namenode" / CLUSTER_SITE).read_text()
    assert "<name>dfs.permissions.enabled</name>" in site and "<value>false</value>" in site
    assert (
        h.ok(
            "fs", "-D", "dfs.permissions.enabled=true", "-cat", "/home/alice/secret", user="bob"
        ).stdout
        == "s3cret"
    )
    assert h.ok("fs", "-count", "/home/alice", user="bob").stdout.split()[:3] == ["2", "2", "13"]
    h.ok("fs", "-put", "-", "/home/alice/private/bobs", user="bob", input=b"b")
    h.ok("fs", "-rm", "-r", "/home/alice/private", user="bob")
    # as in HDFS, ownership is still checked with permissions off
    r = h("fs", "-chown", "bob", "/home/alice/secret", user="bob")
    assert r.exit_code == 1 and NOT_OWNER in r.stderr


def test_the_administrator_edits_the_clusters_site_file(hadoop):
    site = hadoop.home / "namenode" / CLUSTER_SITE
    text = site.read_text()
    assert "<value>true</value>" in text
    site.write_text(text.replace("<value>true</value>", "<value>false</value>"))
    assert hadoop.ok("fs", "-cat", "/home/alice/secret", user="bob").stdout == "s3cret"


def test_groups_come_from_the_operating_system(hadoop):
    try:
        pwd.getpwnam("daemon")
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("this machine has no 'daemon' and 'nobody' users")
    hadoop.ok("fs", "-mkdir", "/shared")
    hadoop.ok("fs", "-chown", "alice:daemon", "/shared")
    hadoop.ok("fs", "-chmod", "770", "/shared")
    hadoop.ok("fs", "-put", "-", "/shared/f", user="alice", input=b"f")
    assert hadoop.ok("fs", "-ls", "-C", "/shared", user="daemon").stdout == "/shared/f\n"
    r = hadoop("fs", "-ls", "/shared", user="nobody")
    assert r.exit_code == 1 and "user=nobody, access=READ_EXECUTE" in r.stderr


# ---- -test -r/-w: FileSystem.access, the NameNode's check --------------------------------------
def test_test_r_and_w_ask_the_namenode(hadoop):
    """Guide, -test: "-r: return 0 if the path exists and read permission is granted", -w
    the same for write. Test.testAccess calls FileSystem.access, which HDFS answers with the
    NameNode's FSPermissionChecker: the group's bits for a member of the file's group, the
    superuser (carol, in supergroup; hdfs formatted) may do anything, and EXECUTE is needed on
    every directory above (alice's 700 'private' keeps bob out)."""
    hadoop.ok("fs", "-put", "-", "/tmp/g", user="alice", input=b"g")
    hadoop.ok("fs", "-chgrp", "bob", "/tmp/g")
    hadoop.ok("fs", "-chmod", "640", "/tmp/g")  # alice:bob rw-r-----
    status = {
        (user, flag, path): hadoop("fs", "-test", flag, path, user=user).exit_code
        for user in ("alice", "bob", "carol", "hdfs", "dave")
        for flag in ("-r", "-w")
        for path in ("/tmp/g", "/home/alice/secret", "/home/alice/private/data")
    }
    granted = {k for k, v in status.items() if v == 0}
    assert granted == {
        ("alice", "-r", "/tmp/g"), ("alice", "-w", "/tmp/g"),
        ("bob", "-r", "/tmp/g"),  # a member of the file's group: r--
        ("alice", "-r", "/home/alice/secret"), ("alice", "-w", "/home/alice/secret"),
        ("alice", "-r", "/home/alice/private/data"), ("alice", "-w", "/home/alice/private/data"),
        *((su, f, p) for su in ("carol", "hdfs") for f in ("-r", "-w")
          for p in ("/tmp/g", "/home/alice/secret", "/home/alice/private/data")),
    }
    assert set(status.values()) == {0, 1}
    r = hadoop("fs", "-test", "-e", "/home/alice/private/data", user="bob")
    assert (r.exit_code, r.stderr) == (1, (
        "test: Permission denied: user=bob, access=EXECUTE, "
        'inode="/home/alice/private":alice:alice:drwx------\n'
    ))
