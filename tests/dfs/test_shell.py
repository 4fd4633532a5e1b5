"""`hadoop fs` end to end (CliRunner, embedded cluster in a private MINIHADOOP_HOME).

Expected outputs are built independently: Hadoop's documented layouts filled in with numbers
computed in plain Python (sizes written, replication asked for) or read through the DFS client
API, never from an earlier run of the shell.
"""

from __future__ import annotations

import gzip
import random
import re
import time

import pytest
from click.testing import CliRunner

from dfs.cli import cli
from dfs.cluster import connect
from dfs.conf import Configuration
from tests.dfs.test_cli import steady_reading

BLOCK = 65536
BS = ["-D", f"dfs.blocksize={BLOCK}"]


class Hadoop:
    """Runs `hadoop ...` in-process as a given user."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, home: str) -> None:
        self.mp = monkeypatch
        self.mp.setenv("MINIHADOOP_HOME", home)
        self.user = "alice"
        self.runner = CliRunner()

    def __call__(self, *args: str, input: bytes | str | None = None, user: str | None = None):
        self.mp.setenv("HADOOP_USER_NAME", user or self.user)
        return self.runner.invoke(cli, list(args), input=input)

    def fs(self, *args: str, **kw):
        return self("fs", *args, **kw)

    def client_status(self, path: str):
        with connect(Configuration()) as c:
            return c.status(path)


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    h = Hadoop(monkeypatch, str(tmp_path / "home"))
    assert h("namenode", "-format").exit_code == 0
    assert h.fs("-mkdir", "-p", "/user/alice").exit_code == 0
    return h


def payload(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


def local(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def ls_line(st, display: str, widths=(3, 5, 10, 10)) -> str:
    """Hadoop's Ls line format, filled in from a FileStatus read through the client API."""
    repl = "-" if st.is_dir else str(st.replication)
    date = time.strftime("%Y-%m-%d %H:%M", time.localtime(st.mtime / 1000))
    return (f"{st.permission} {repl:>{widths[0]}} {st.owner:<{widths[1]}} "
            f"{st.group:<{widths[2]}} {st.length:>{widths[3]}} {date} {display}")


# ---- -ls ----------------------------------------------------------------------------------------
def test_ls_directory_layout(hadoop, tmp_path):
    data = payload(1234)
    f = local(tmp_path, "f.txt", data)
    assert hadoop.fs("-mkdir", "/d", "/d/sub").exit_code == 0
    assert hadoop.fs("-put", str(f), "/d/f.txt").exit_code == 0
    r = hadoop.fs("-ls", "/d")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Found 2 items"
    st_f, st_sub = hadoop.client_status("/d/f.txt"), hadoop.client_status("/d/sub")
    assert st_f.length == len(data)
    assert lines[1] == ls_line(st_f, "/d/f.txt")
    assert lines[2] == ls_line(st_sub, "/d/sub")
    assert lines[1].startswith("-rw-r--r--   3 alice supergroup       1234 ")
    assert lines[2].startswith("drwxr-xr-x   - alice supergroup          0 ")


def test_ls_bad_path_carries_on(hadoop):
    hadoop.fs("-mkdir", "/a")
    r = hadoop.fs("-ls", "/nope", "/a", "/nope2")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "ls: `/nope': No such file or directory",
        "ls: `/nope2': No such file or directory",
    ]
    assert r.stdout == ""  # /a is empty: Hadoop prints no "Found 0 items"


def test_ls_recursive_dir_flag_human_and_relative(hadoop, tmp_path):
    f = local(tmp_path, "big", payload(3 * 1024 + 512))
    hadoop.fs("-mkdir", "-p", "/r/x/y")
    hadoop.fs("-put", str(f), "/r/x/y/big")
    hadoop.fs("-put", str(f), "rel.bin")
    r = hadoop.fs("-ls", "-R", "/r")
    paths = [line.split()[-1] for line in r.stdout.splitlines()]
    assert paths == ["/r/x", "/r/x/y", "/r/x/y/big"]
    assert "Found" not in r.stdout
    r = hadoop.fs("-ls", "-d", "/r")
    assert r.stdout.splitlines() == [ls_line(hadoop.client_status("/r"), "/r")]
    r = hadoop.fs("-ls", "-h", "/r/x/y/big")
    assert " 3.5 K " in r.stdout
    r = hadoop.fs("-ls")  # the home directory, relative names as Hadoop prints them
    assert r.stdout.splitlines()[0] == "Found 1 items"
    assert r.stdout.splitlines()[1].endswith(" rel.bin")


def test_ls_globs(hadoop):
    hadoop.fs("-mkdir", "-p", "/g/a1", "/g/a2", "/g/b1", "/g/c")
    r = hadoop.fs("-ls", "-d", "/g/a*", "/g/{b,c}*")
    assert [line.split()[-1] for line in r.stdout.splitlines()] == [
        "/g/a1", "/g/a2", "/g/b1", "/g/c"]
    r = hadoop.fs("-ls", "/g/z*")
    assert r.exit_code == 1
    assert r.stderr == "ls: `/g/z*': No such file or directory\n"


# ---- -mkdir / -touchz / -rm / -rmdir ------------------------------------------------------------
def test_mkdir_errors(hadoop):
    assert hadoop.fs("-mkdir", "/x").exit_code == 0
    r = hadoop.fs("-mkdir", "/x", "/a/b", "/y")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == ["mkdir: `/x': File exists",
                                     "mkdir: `/a/b': No such file or directory"]
    assert hadoop.client_status("/y").is_dir  # carried on after the errors
    assert hadoop.fs("-mkdir", "-p", "/x", "/a/b/c").exit_code == 0
    assert hadoop.client_status("/a/b/c").is_dir


def test_touchz_and_rm(hadoop, tmp_path):
    assert hadoop.fs("-touchz", "/e1", "/e2").exit_code == 0
    assert hadoop.client_status("/e1").length == 0
    hadoop.fs("-put", str(local(tmp_path, "f", b"abc")), "/full")
    r = hadoop.fs("-touchz", "/full")
    assert (r.exit_code, r.stderr) == (1, "touchz: `/full': Not a zero-length file\n")
    hadoop.fs("-mkdir", "/d")
    hadoop.fs("-touchz", "/d/f")
    r = hadoop.fs("-rm", "/e*", "/d")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == ["Deleted /e1", "Deleted /e2"]
    assert r.stderr == "rm: `/d': Is a directory\n"
    r = hadoop.fs("-rm", "-r", "-skipTrash", "/d")
    assert (r.exit_code, r.stdout) == (0, "Deleted /d\n")
    r = hadoop.fs("-rm", "/gone")
    assert (r.exit_code, r.stderr) == (1, "rm: `/gone': No such file or directory\n")
    assert hadoop.fs("-rm", "-f", "/gone").exit_code == 0


def test_rmdir(hadoop):
    hadoop.fs("-mkdir", "-p", "/full/x", "/empty")
    r = hadoop.fs("-rmdir", "/full", "/empty")
    assert (r.exit_code, r.stderr) == (1, "rmdir: `/full': Directory is not empty\n")
    assert hadoop.fs("-test", "-e", "/empty").exit_code == 1
    assert hadoop.fs("-rmdir", "--ignore-fail-on-non-empty", "/full").exit_code == 0


# ---- -put / -get / -cat and friends --------------------------------------------------------------
@pytest.mark.parametrize("size", [0, BLOCK, BLOCK + 1, 3 * BLOCK + 123])
def test_put_get_round_trip(hadoop, tmp_path, size):
    data = payload(size, size)
    src = local(tmp_path, "src.bin", data)
    r = hadoop(*["fs", *BS, "-put", str(src), "/data.bin"])
    assert r.exit_code == 0, r.stderr
    with connect(Configuration()) as c:
        assert len(c.block_locations("/data.bin")) == -(-size // BLOCK)
        assert not c.exists("/data.bin._COPYING_")
    out = tmp_path / "back.bin"
    assert hadoop.fs("-get", "/data.bin", str(out)).exit_code == 0
    assert out.read_bytes() == data
    assert hadoop.fs("-cat", "/data.bin").stdout_bytes == data
    assert not (tmp_path / "back.bin._COPYING_").exists()


def test_put_existing_force_stdin_and_into_dir(hadoop, tmp_path):
    a, b = local(tmp_path, "a", b"first\n"), local(tmp_path, "b", b"second\n")
    hadoop.fs("-mkdir", "/in")
    assert hadoop.fs("-put", str(a), str(b), "/in").exit_code == 0
    r = hadoop.fs("-put", str(a), "/in/b")
    assert (r.exit_code, r.stderr) == (1, "put: `/in/b': File exists\n")
    assert hadoop.fs("-put", "-f", str(a), "/in/b").exit_code == 0
    assert hadoop.fs("-cat", "/in/b").stdout == "first\n"
    assert hadoop.fs("-put", "-", "/in/s", input=b"from stdin\n").exit_code == 0
    assert hadoop.fs("-cat", "/in/a", "/in/s").stdout == "first\nfrom stdin\n"
    r = hadoop.fs("-put", str(tmp_path / "missing"), "/in/m")
    assert r.exit_code == 1 and "No such file or directory" in r.stderr
    r = hadoop.fs("-copyFromLocal", str(a), "/nodir/x")
    assert (r.exit_code, r.stderr) == (1, "copyFromLocal: `/nodir/x': No such file or directory\n")


def test_get_existing_local_and_cat_dir(hadoop, tmp_path):
    hadoop.fs("-put", str(local(tmp_path, "a", b"x")), "/a")
    dst = local(tmp_path, "exists", b"keep")
    r = hadoop.fs("-get", "/a", str(dst))
    assert (r.exit_code, r.stderr) == (1, f"get: `{dst}': File exists\n")
    assert dst.read_bytes() == b"keep"
    assert hadoop.fs("-copyToLocal", "-f", "/a", str(dst)).exit_code == 0
    assert dst.read_bytes() == b"x"
    hadoop.fs("-mkdir", "/d")
    r = hadoop.fs("-cat", "/d")
    assert (r.exit_code, r.stderr) == (1, "cat: `/d': Is a directory\n")


def test_head_tail_text(hadoop, tmp_path):
    data = payload(5000)
    hadoop.fs("-put", str(local(tmp_path, "f", data)), "/f")
    assert hadoop.fs("-head", "/f").stdout_bytes == data[:1024]
    assert hadoop.fs("-tail", "/f").stdout_bytes == data[-1024:]
    text = b"line one\nline two\n" * 50
    hadoop.fs("-put", str(local(tmp_path, "t.gz", gzip.compress(text))), "/t.gz")
    assert hadoop.fs("-text", "/t.gz").stdout_bytes == text
    assert hadoop.fs("-cat", "/t.gz").stdout_bytes == (tmp_path / "t.gz").read_bytes()


def test_getmerge(hadoop, tmp_path):
    hadoop.fs("-mkdir", "/parts")
    for i, body in enumerate([b"a1\na2", b"", b"c1\n"]):
        hadoop.fs("-put", str(local(tmp_path, f"p{i}", body)), f"/parts/part-{i:05d}")
    out = tmp_path / "merged"
    assert hadoop.fs("-getmerge", "-nl", "/parts", str(out)).exit_code == 0
    assert out.read_bytes() == b"a1\na2\n" + b"\n" + b"c1\n\n"
    assert hadoop.fs("-getmerge", "/parts/part-0000[02]", str(out)).exit_code == 0
    assert out.read_bytes() == b"a1\na2c1\n"


# ---- -mv / -cp ------------------------------------------------------------------------------
def test_mv_and_cp(hadoop, tmp_path):
    data = payload(BLOCK * 2 + 5)
    hadoop(*["fs", *BS, "-put", str(local(tmp_path, "f", data)), "/f"])
    hadoop.fs("-mkdir", "/dir")
    assert hadoop.fs("-cp", "/f", "/dir").exit_code == 0
    assert hadoop.fs("-cat", "/dir/f").stdout_bytes == data
    r = hadoop.fs("-cp", "/f", "/dir/f")
    assert (r.exit_code, r.stderr) == (1, "cp: `/dir/f': File exists\n")
    assert hadoop.fs("-cp", "-f", "/f", "/dir/f").exit_code == 0
    assert hadoop.fs("-mv", "/f", "/moved").exit_code == 0
    assert hadoop.fs("-test", "-e", "/f").exit_code == 1
    assert hadoop.fs("-cat", "/moved").stdout_bytes == data
    r = hadoop.fs("-mv", "/nope", "/moved", "/dir")
    assert r.exit_code == 1
    assert r.stderr == "mv: `/nope': No such file or directory\n"
    assert hadoop.fs("-cat", "/dir/moved").stdout_bytes == data
    r = hadoop.fs("-mv", "/dir", "/dir/sub")
    assert r.exit_code == 1 and "is a subdirectory of itself" in r.stderr
    r = hadoop.fs("-cp", "-r", "/dir", "/x")
    assert r.exit_code == 255 and r.stderr.startswith("-cp: Illegal option -r\n")


# ---- sizes and stats -------------------------------------------------------------------------
def test_du_count_stat_numbers(hadoop, tmp_path):
    sizes = {"a": 100, "b": BLOCK + 7, "sub/c": 3000}
    hadoop.fs("-mkdir", "-p", "/u/sub")
    for name, n in sizes.items():
        r = hadoop(*["fs", *BS, "-D", "dfs.replication=2", "-put",
                     str(local(tmp_path, name.replace("/", "_"), payload(n))), f"/u/{name}"])
        assert r.exit_code == 0, r.stderr
    r = hadoop.fs("-du", "/u")
    rows = [line.split() for line in r.stdout.splitlines()]
    assert rows == [["100", "200", "/u/a"], [str(BLOCK + 7), str(2 * (BLOCK + 7)), "/u/b"],
                    ["3000", "6000", "/u/sub"]]
    total = sum(sizes.values())
    assert hadoop.fs("-du", "-s", "/u").stdout.split() == [str(total), str(2 * total), "/u"]
    r = hadoop.fs("-count", "/u")
    assert r.stdout == "%12s %12s %18s %s\n" % (2, 3, total, "/u")
    r = hadoop.fs("-count", "-q", "/u")
    assert r.stdout.split() == ["none", "inf", "none", "inf", "2", "3", str(total), "/u"]
    st = hadoop.client_status("/u/b")
    r = hadoop.fs("-stat", "%b %F %g %n %o %r %u %Y", "/u/b", "/u")
    first, second = r.stdout.splitlines()
    assert first == f"{BLOCK + 7} regular file supergroup b {BLOCK} 2 alice {st.mtime}"
    assert second.startswith("0 directory supergroup u ")
    default = hadoop.fs("-stat", "/u/b").stdout.strip()
    assert default == time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(st.mtime / 1000))


def test_df(hadoop):
    r, fs = steady_reading(lambda: hadoop.fs("-df"), lambda c: c.disk_status())
    header, row = r.stdout.splitlines()
    assert header.split() == ["Filesystem", "Size", "Used", "Available", "Use%"]
    cols = row.split()
    assert [int(x) for x in cols[1:4]] == [fs.capacity, fs.used, fs.remaining]
    assert cols[4] == f"{round(fs.used * 100 / fs.capacity)}%"


def test_setrep(hadoop, tmp_path):
    hadoop.fs("-mkdir", "/s")
    hadoop.fs("-put", str(local(tmp_path, "f", b"data")), "/s/f")
    r = hadoop.fs("-setrep", "-w", "2", "/s")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["Replication 2 set: /s/f", "Waiting for /s/f ... done"]
    assert hadoop.fs("-stat", "%r", "/s/f").stdout == "2\n"
    r = hadoop.fs("-setrep", "zero", "/s/f")
    assert r.exit_code == 255


# ---- permissions ---------------------------------------------------------------------------
def test_chmod_chown_chgrp(hadoop, tmp_path):
    hadoop.fs("-mkdir", "-p", "/p/q")
    hadoop.fs("-put", str(local(tmp_path, "f", b"x")), "/p/q/f")
    assert hadoop.fs("-chmod", "-R", "750", "/p").exit_code == 0
    assert hadoop.client_status("/p/q/f").permission == "-rwxr-x---"
    assert hadoop.fs("-chmod", "u-x,g-x,o+r", "/p/q/f").exit_code == 0
    assert hadoop.client_status("/p/q/f").permission == "-rw-r--r--"
    assert hadoop.fs("-chmod", "a=rx,+t", "/p/q").exit_code == 0
    assert hadoop.fs("-ls", "-d", "/p/q").stdout.startswith("dr-xr-xr-t ")
    r = hadoop.fs("-chmod", "u+q", "/p")
    assert r.exit_code == 255 and "does not match the expected pattern" in r.stderr
    assert hadoop.fs("-chown", "-R", "bob:staff", "/p").exit_code == 0
    st = hadoop.client_status("/p/q/f")
    assert (st.owner, st.group) == ("bob", "staff")
    assert hadoop.fs("-chgrp", "eng", "/p/q/f").exit_code == 0
    assert hadoop.fs("-ls", "/p/q/f").stdout.split()[2:4] == ["bob", "eng"]


def test_permission_errors_between_users(hadoop, tmp_path):
    hadoop.fs("-mkdir", "/private", "/shared")
    hadoop.fs("-chmod", "700", "/private")
    hadoop.fs("-touchz", "/private/f")
    r = hadoop.fs("-ls", "/private", user="bob")
    assert r.exit_code == 1
    assert r.stderr.startswith("ls: Permission denied: user=bob, access=")
    assert 'inode="/private":alice:supergroup:drwx------' in r.stderr
    assert len(r.stderr.splitlines()) == 1
    r = hadoop.fs("-put", str(local(tmp_path, "f", b"x")), "/shared/f", user="bob")
    assert r.exit_code == 1
    assert r.stderr.startswith("put: Permission denied: user=bob, access=WRITE")
    assert hadoop.fs("-chown", "bob", "/shared").exit_code == 0
    assert hadoop.fs("-put", str(tmp_path / "f"), "/shared/f", user="bob").exit_code == 0
    assert hadoop.fs("-ls", "/shared/f").stdout.split()[2] == "bob"


# ---- -test and usage ----------------------------------------------------------------------
def test_test_flags(hadoop, tmp_path):
    hadoop.fs("-mkdir", "/d")
    hadoop.fs("-touchz", "/empty")
    hadoop.fs("-put", str(local(tmp_path, "f", b"abc")), "/full")
    cases = {("-e", "/d"): 0, ("-e", "/no"): 1, ("-d", "/d"): 0, ("-d", "/full"): 1,
             ("-f", "/full"): 0, ("-f", "/d"): 1, ("-z", "/empty"): 0, ("-z", "/full"): 1,
             ("-s", "/full"): 0, ("-s", "/empty"): 1}
    for (flag, path), expected in cases.items():
        r = hadoop.fs("-test", flag, path)
        assert (r.exit_code, r.stdout, r.stderr) == (expected, "", ""), (flag, path)


def test_usage_errors(hadoop):
    r = hadoop.fs("-foo")
    assert r.exit_code == 255
    assert r.stderr.splitlines()[0] == "-foo: Unknown command"
    r = hadoop.fs("-ls", "-z", "/")
    assert r.exit_code == 255
    assert r.stderr.splitlines() == ["-ls: Illegal option -z",
                                     "Usage: hadoop fs [generic options] -ls [-C] [-d] [-h] "
                                     "[-q] [-R] [-t] [-S] [-r] [-u] [-e] [<path> ...]"]
    r = hadoop.fs("-mkdir")
    assert r.stderr.splitlines()[0] == "-mkdir: Not enough arguments: expected 1 but got 0"
    assert hadoop.fs().exit_code == 255
    r = hadoop.fs("-usage", "ls")
    assert r.exit_code == 0 and r.stdout.startswith("Usage: hadoop fs [generic options] -ls ")
    r = hadoop.fs("-help", "rm")
    assert r.exit_code == 0 and r.stdout.startswith("-rm [-f] [-r|-R]")
    assert re.search(r"^\t\[-put ", hadoop.fs("-usage").stdout, re.M)


# ---- path spellings and directory trees -------------------------------------------------------
def test_relative_dot_and_url_paths(hadoop, tmp_path):
    hadoop.fs("-mkdir", "-p", "sub/deeper")
    assert hadoop.client_status("/user/alice/sub/deeper").is_dir
    hadoop.fs("-put", str(local(tmp_path, "f", b"12345")), "./sub/../sub/f")
    assert hadoop.client_status("/user/alice/sub/f").length == 5
    r = hadoop.fs("-ls", "sub")
    assert [x.split()[-1] for x in r.stdout.splitlines()[1:]] == ["sub/deeper", "sub/f"]
    r = hadoop.fs("-ls", "dfs:///user/alice/sub/f")
    assert r.stdout.split()[-1] == "dfs:///user/alice/sub/f"
    r = hadoop.fs("-ls", "sub/nothing", "dfs:///nothing")
    assert r.stderr.splitlines() == ["ls: `sub/nothing': No such file or directory",
                                     "ls: `dfs:///nothing': No such file or directory"]
    r = hadoop.fs("-ls", ".", user="bob")  # bob has no home directory yet
    assert (r.exit_code, r.stderr) == (1, "ls: `.': No such file or directory\n")
    assert hadoop("dfs", "-test", "-d", "sub").exit_code == 0  # `hadoop dfs` is an alias


def test_put_and_get_directory_trees(hadoop, tmp_path):
    src = tmp_path / "tree"
    (src / "a" / "b").mkdir(parents=True)
    files = {"top.txt": b"top", "a/mid.txt": payload(BLOCK + 9), "a/b/leaf": b""}
    for rel, body in files.items():
        (src / rel).write_bytes(body)
    assert hadoop(*["fs", *BS, "-put", str(src), "/t"]).exit_code == 0
    r = hadoop.fs("-ls", "-R", "-C", "/t")
    assert r.stdout.splitlines() == ["/t/a", "/t/a/b", "/t/a/b/leaf", "/t/a/mid.txt",
                                     "/t/top.txt"]
    out = tmp_path / "copy"
    assert hadoop.fs("-get", "/t", str(out)).exit_code == 0
    for rel, body in files.items():
        assert (out / rel).read_bytes() == body
    r = hadoop.fs("-du", "-s", "-h", "/t")
    total = sum(len(b) for b in files.values())
    assert r.stdout.split() == ["64.0", "K", "192.0", "K", "/t"]  # 65548 B, 3 replicas
    assert total == 65548
    r = hadoop.fs("-count", "-h", "/t")
    assert r.stdout.split() == ["3", "3", "64.0", "K", "/t"]
