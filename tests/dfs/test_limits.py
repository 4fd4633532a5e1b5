"""HDFS's namespace limits, and no operation recursing on the depth of a path.

Expected messages are HDFS's own (FSLimitException.PathComponentTooLongException,
MaxDirectoryItemsExceededException, NameNodeRpcServer's checkPathLength: MAX_PATH_LENGTH 8000,
MAX_PATH_DEPTH 1000); expected counts come from the tree the test builds, in plain Python.
"""

from __future__ import annotations

import io
import re
import sys
from contextlib import nullcontext

import pytest
from click.testing import CliRunner

from dfs import pathglob
from dfs.cli import cli
from dfs.errors import DFSError
from dfs.minicluster import MiniCluster
from dfs.namespace import walk, walk_files
from dfs.shell import FsShell

TOO_LONG = "Pathname too long.  Limit 8000 characters, 1000 levels."


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HADOOP_USER_NAME", "alice")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args))

    assert invoke("namenode", "-format").exit_code == 0
    return invoke


def chain(top: str, depth: int) -> str:
    """``/top/d/d/...``: a path of `depth` components."""
    return "/" + "/".join([top] + ["d"] * (depth - 1))


# ---- the scenario, through the shell -----------------------------------------------
def test_mkdir_p_of_1000_levels_leaves_every_command_working(run):
    deep = chain("deep", 1000)  # HDFS's MAX_PATH_DEPTH: allowed
    r = run("fs", "-mkdir", "-p", deep)
    assert r.exit_code == 0, r.stderr
    r = run("fs", "-put", "-", chain("deep", 999) + "/f")  # a file at depth 1000
    assert r.exit_code == 0, r.stderr
    r = run("fsck", "/deep")  # (not /: -format also made /tmp, /user and /user/alice)
    assert r.exit_code == 0, r.stderr
    assert re.search(r"^ ?Total dirs:[\t ]+1000$", r.stdout, re.M), r.stdout
    assert r.stdout.rstrip().endswith("is HEALTHY")
    r = run("fs", "-ls", "-R", "/deep")
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 999 + 1  # 999 dirs below /deep and the file
    r = run("fs", "-count", "/deep")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.split() == ["1000", "1", "0", "/deep"]
    assert run("fs", "-du", "-s", "/deep").stdout.split() == ["0", "0", "/deep"]
    r = run("fs", "-rm", "-r", "/deep")
    assert r.exit_code == 0, r.stderr
    assert run("fs", "-test", "-e", "/deep").exit_code == 1
    assert run("fsck", "/").exit_code == 0


def test_mkdir_p_of_1001_levels_gets_the_hdfs_error(run):
    r = run("fs", "-mkdir", "-p", chain("deep", 1001))
    assert r.exit_code == 1
    assert r.stderr == f"mkdir: mkdirs: {TOO_LONG}\n"
    assert run("fs", "-test", "-e", "/deep").exit_code == 1  # nothing half made


# ---- deeper than Python's recursion limit (a cluster made before the limit existed) --------
@pytest.fixture
def old_deep_cluster(tmp_path):
    """A tree deeper than sys.getrecursionlimit() and than the new MAX_PATH_DEPTH, built
    straight into the namespace (the API refuses to make it now), with two files in it."""
    depth = sys.getrecursionlimit() + 100
    with MiniCluster(tmp_path, datanodes=2, racks=1) as mc:
        nn = mc.cluster.namenode
        path = ""
        for _ in range(depth):
            path += "/d"
            nn.ns.mkdir(path, "alice", None, 0o755, 0)
        client = mc.client(user="alice")
        client.write_bytes("/d/f", b"x" * 10)
        nn.ns.create(path + "/g", "alice", None, 0o644, 0, 1, 1 << 20, None)
        yield mc, client, depth, path


def test_namespace_walks_are_not_recursive(old_deep_cluster):
    mc, _, depth, path = old_deep_cluster
    root = mc.cluster.namenode.ns.root
    names = [n.name for n in walk(root)]
    assert len(names) == 1 + depth + 2
    assert names[: depth + 1] == [""] + ["d"] * depth  # depth first, in name order:
    assert names[-2:] == ["g", "f"]  # the deepest file before /d/f
    assert [f.path() for f in walk_files(root)] == [path + "/g", "/d/f"]


def test_listing_counting_fsck_and_delete_deeper_than_the_recursion_limit(old_deep_cluster):
    mc, client, depth, path = old_deep_cluster
    assert [s.name for s in client.listdir(path)] == ["g"]
    cs = client.content_summary("/d")
    assert (cs.directory_count, cs.file_count, cs.length) == (depth, 2, 10)
    report = client.fsck("/")
    assert report.total_dirs == depth + 1 and report.total_files == 2
    glob = pathglob.glob(
        "/{d}" * (depth - 1) + "/*",  # a brace group per level, wildcards at the bottom
        lambda p: [s.name for s in client.listdir(p)],
        client.exists,
    )
    assert glob == [path]
    client.set_permission(path, 0o700)
    client.delete("/d/f")
    mc.client().delete("/d", recursive=True)  # the superuser: / is not alice's
    assert client.listdir("/") == []


@pytest.mark.parametrize(
    "argv",
    [
        ["-ls", "-R", "/d"],
        ["-count", "/d"],
        ["-du", "/d"],
        ["-chmod", "-R", "750", "/d"],
        ["-chown", "-R", ":staff", "/d"],
        ["-setrep", "-R", "1", "/d"],
        ["-rm", "-r", "/d"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_shell_commands_deeper_than_the_recursion_limit(old_deep_cluster, argv):
    mc, _, depth, path = old_deep_cluster
    client = mc.client()  # the superuser (chown)
    out, err = io.BytesIO(), io.StringIO()
    status = FsShell(lambda: nullcontext(client), out=out, err=err).run(argv)
    assert (status, err.getvalue()) == (0, "")
    text = out.getvalue().decode()
    if argv[0] == "-ls":
        assert len(text.splitlines()) == depth - 1 + 2
    elif argv[0] == "-count":
        assert text.split() == [str(depth), "2", "10", "/d"]
    elif argv[0] == "-chmod":
        assert client.status(path + "/g").permission == "-rwxr-x---"
    elif argv[0] == "-chown":
        assert client.status(path + "/g").group == "staff"
    elif argv[0] == "-rm":
        assert client.listdir("/") == []


# ---- HDFS's fs-limits ------------------------------------------------------------------------
def test_component_length_limit(mini_cluster):
    c = mini_cluster.client()
    c.mkdirs("/a/" + "x" * 255)  # the limit itself is fine
    with pytest.raises(DFSError) as e:
        c.mkdirs("/a/" + "y" * 256 + "/below")
    assert str(e.value) == (
        f"The maximum path component name limit of {'y' * 256} in directory /a is exceeded: "
        "limit=255 length=256"
    )
    assert [s.name for s in c.listdir("/a")] == ["x" * 255]
    name = "é" * 128  # 128 characters, 256 bytes: HDFS counts UTF-8 bytes
    with pytest.raises(DFSError, match="limit=255 length=256"):
        c.write_bytes("/a/" + name, b"x")
    c.write_bytes("/a/f", b"x")
    with pytest.raises(DFSError, match=f"limit of {'z' * 300} in directory /a is exceeded"):
        c.rename("/a/f", "/a/" + "z" * 300)
    assert c.read_bytes("/a/f") == b"x"


def test_path_length_limit(mini_cluster):
    c = mini_cluster.client()
    long_path = "/" + "/".join(["p" * 250] * 32)  # 8032 characters, 32 levels
    with pytest.raises(DFSError) as e:
        c.mkdirs(long_path)
    assert str(e.value) == "mkdirs: " + TOO_LONG
    with pytest.raises(DFSError) as e:
        c.write_bytes(chain("deep", 1001), b"x")  # checked before its parents are made
    assert str(e.value) == "create: " + TOO_LONG
    assert c.listdir("/") == []
    c.write_bytes("/f", b"x")
    with pytest.raises(DFSError, match="rename: " + TOO_LONG.replace(".", r"\.")):
        c.rename("/f", chain("deep", 1001))


ITEMS = "dfs.namenode.fs-limits.max-directory-items"


@pytest.fixture
def three_items(tmp_path):
    """A cluster formatted with a directory item limit of 3."""
    with MiniCluster(tmp_path, conf={ITEMS: 3}) as mc:
        yield mc


def test_directory_item_limit_is_the_clusters_setting(three_items):
    key, mc = ITEMS, three_items
    c = mc.client()
    for name in "abc":
        c.write_bytes(f"/d/{name}", b"x")
    with pytest.raises(DFSError) as e:
        c.mkdirs("/d/e")
    assert str(e.value) == "The directory item limit of /d is exceeded: limit=3 items=3"
    with pytest.raises(DFSError, match="limit=3 items=3"):
        c.write_bytes("/d/e", b"x")
    c.write_bytes("/d/a", b"y", overwrite=True)  # replacing a file adds no item
    c.write_bytes("/x", b"x")
    with pytest.raises(DFSError, match="item limit of /d is exceeded"):
        c.rename("/x", "/d/x")
    c.rename("/d/a", "/d/a2")  # a rename inside the directory adds none either
    assert [s.name for s in c.listdir("/d")] == ["a2", "b", "c"]
    # a client asking for a larger limit is not listened to
    mc.conf.set(key, 100)
    mc.reopen()
    with pytest.raises(DFSError, match="limit=3 items=3"):
        mc.client().mkdirs("/d/e")


# ---- fsspec's walk/find/du on the dfs:// filesystem --------------------------------------------
def test_fsspec_walk_matches_fsspecs_own_and_goes_deep(mini_cluster):
    from fsspec.spec import AbstractFileSystem

    c, fs = mini_cluster.client(), mini_cluster.fs
    for p in ["/a/b/c/f1", "/a/b/g", "/a/x/h", "/a/z", "/a/b/c/d/e/f2"]:
        c.write_bytes(p, b"x")
    c.mkdirs("/a/empty/sub")
    options = [
        {},
        {"topdown": False},
        {"maxdepth": 2},
        {"maxdepth": 1, "topdown": False},
        {"detail": True},
    ]
    for kw in options:  # fsspec's own (recursive) walk is the reference on a shallow tree
        assert list(fs.walk("/a", **kw)) == list(AbstractFileSystem.walk(fs, "/a", **kw)), kw
    assert list(fs.walk("/a/z")) == [("/a/z", [], [""])]
    deep = chain("d", 1000)
    c.mkdirs(deep)
    c.write_bytes("/d/f", b"x")
    c.write_bytes(chain("d", 999) + "/g", b"yy")
    assert fs.find("/d") == sorted([chain("d", 999) + "/g", "/d/f"])
    assert fs.du("/d") == 3
