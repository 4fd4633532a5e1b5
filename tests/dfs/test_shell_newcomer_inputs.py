"""Mistakes a newcomer makes with `hadoop fs` and `hadoop fsck`, found by trying the project as
one (issue 16): each gets one clear line and the right exit status, never a misleading one.

Hadoop's own answers are the reference: a URI of a filesystem the shell has no client for is
``No FileSystem for scheme "hdfs"`` (Hadoop 3's UnsupportedFileSystemException); `-fs` names the
default filesystem for the command; `fsck <path> -files -blocks` lists files and blocks.
"""

from __future__ import annotations

import os

import pytest

from tests.dfs.test_shell import Hadoop, local


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    h = Hadoop(monkeypatch, str(tmp_path / "home"))
    assert h("namenode", "-format").exit_code == 0
    return h


@pytest.mark.parametrize(
    ("args", "scheme"),
    [
        (("-ls", "hdfs://localhost:9000/"), "hdfs"),  # what every Hadoop tutorial types
        (("-cat", "hdfs://localhost:9000/user/x.txt"), "hdfs"),
        (("-ls", "file:///tmp"), "file"),
        (("-mkdir", "-p", "s3a://bucket/dir"), "s3a"),
    ],
)
def test_a_uri_of_another_filesystem_is_named_as_such(hadoop, args, scheme):
    r = hadoop.fs(*args)
    assert r.exit_code == 1, r.output
    name = args[0][1:]
    line = r.stderr.splitlines()[0]
    assert line.startswith(f'{name}: No FileSystem for scheme "{scheme}"'), r.stderr
    assert "dfs:///" in line  # says which filesystem the shell does reach
    assert "is not allowed in a path component" not in r.stderr
    assert len(r.stderr.splitlines()) == 1


def test_a_dfs_uri_with_a_host_still_works(hadoop, tmp_path):
    assert (
        hadoop.fs("-put", str(local(tmp_path, "a", b"abc")), "dfs://localhost:8020/a").exit_code
        == 0
    )
    r = hadoop.fs("-cat", "dfs:///a")
    assert (r.exit_code, r.stdout) == (0, "abc")


def test_fs_with_another_default_filesystem_is_refused_not_ignored(hadoop):
    """`hadoop fs -fs file:/// -ls /` listed the DFS root as if -fs were not there."""
    r = hadoop("fs", "-fs", "file:///", "-ls", "/")
    assert r.exit_code == 1, r.output
    assert r.stdout == ""
    assert 'No FileSystem for scheme "file"' in r.stderr and "fs.defaultFS" in r.stderr, r.stderr
    r = hadoop("fs", "-D", "fs.defaultFS=dfs://localhost:8020", "-ls", "/")
    assert r.exit_code == 0, r.output


def test_fsck_files_before_the_path_is_fscks_own_flag(hadoop, tmp_path):
    """`-files` is also a generic option (the distributed cache); fsck has no use for that one,
    so `hadoop fsck -files -blocks /` is fsck's listing, not a cache file named -blocks."""
    assert hadoop.fs("-put", str(local(tmp_path, "f", b"x" * 10)), "/f").exit_code == 0
    r = hadoop("fsck", "-files", "-blocks", "/")
    assert r.exit_code == 0, r.output
    assert "/f 10 bytes, replicated: replication=3, 1 block(s):  OK" in r.stdout, r.stdout
    assert "0. BP-" in r.stdout
    r = hadoop("fsck", "-files")
    assert r.exit_code == 0, r.output
    assert "/f 10 bytes" in r.stdout


def test_a_state_directory_that_cannot_be_created_is_one_line(tmp_path, monkeypatch):
    """MINIHADOOP_HOME where mkdir fails (a read-only place, /proc/...): format said ERROR 2999
    and, with no log file to hold it, printed the whole traceback on the screen."""
    import pathlib

    home = tmp_path / "read-only" / "home"
    real_mkdir = pathlib.Path.mkdir

    def mkdir(self, *args, **kwargs):  # as for a user without write permission there
        if str(self).startswith(str(home.parent)):
            raise PermissionError(13, "Permission denied", str(home.parent))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)
    h = Hadoop(monkeypatch, str(home))
    r = h("namenode", "-format")
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "ERROR 2999" not in r.output, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("namenode: ") and str(home) in lines[0], r.stderr
    assert "Permission denied" in lines[0] and "MINIHADOOP_HOME" in lines[0], r.stderr


def test_an_internal_error_without_a_log_file_prints_one_line(tmp_path):
    """With no log file (the state directory cannot hold one), an unexpected error is one
    line; the traceback only with --debug, not through the terminal's warning handler."""
    import subprocess
    import sys

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code = (
        "import sys, dfs.cli\n"
        "def boom(conf, args):\n"
        "    raise RuntimeError('boom')\n"
        "sys.exit(dfs.cli.run_command(boom, [], name='boom'))\n"
    )
    env = {**os.environ, "MINIHADOOP_HOME": str(blocker / "home")}  # no logs/ can be there
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [
        "ERROR 2999: Unexpected internal error. boom (a minihadoop bug: run the command again "
        "with --debug for the traceback)"
    ], done.stderr


@pytest.mark.parametrize("cmd", ["-put", "-copyFromLocal", "-moveFromLocal", "-appendToFile"])
def test_put_to_a_missing_home_directory_is_no_such_file(hadoop, tmp_path, cmd):
    """`hadoop fs -put f` before your home directory exists: Hadoop's well-known
    ``put: `.': No such file or directory``. It created the home directory, wrote
    /user/alice/.._COPYING_ and failed with 'Source ... and destination ... must both be
    directories'."""
    assert hadoop.fs("-rm", "-r", "/user/alice").exit_code == 0
    dot = ["."] if cmd == "-appendToFile" else []  # it needs its destination named
    r = hadoop.fs(cmd, str(local(tmp_path, "f", b"abc")), *dot)
    assert r.exit_code == 1, r.output
    assert r.stderr == f"{cmd[1:]}: `.': No such file or directory\n"
    assert hadoop.fs("-test", "-e", "/user/alice").exit_code == 1  # nothing was created
    assert (tmp_path / "f").exists()  # nor a source moved away


def test_cp_and_mv_to_a_missing_dot_are_no_such_file(hadoop, tmp_path):
    assert hadoop.fs("-put", str(local(tmp_path, "f", b"abc")), "/f").exit_code == 0
    assert hadoop.fs("-rm", "-r", "/user/alice").exit_code == 0
    for cmd in ("-cp", "-mv"):
        r = hadoop.fs(cmd, "/f", ".")
        assert (r.exit_code, r.stderr) == (1, f"{cmd[1:]}: `.': No such file or directory\n")
    assert hadoop.fs("-test", "-e", "/user/alice").exit_code == 1
    assert hadoop.fs("-cat", "/f").stdout == "abc"


@pytest.mark.parametrize("cmd", ["-touchz", "-touch"])
def test_touch_of_a_missing_dot_creates_no_file_in_place_of_the_home_directory(hadoop, cmd):
    """`-touchz .` with no home directory made /user/alice an empty FILE (so the home
    directory could not be made any more)."""
    assert hadoop.fs("-rm", "-r", "/user/alice").exit_code == 0
    r = hadoop.fs(cmd, ".")
    assert (r.exit_code, r.stderr) == (1, f"{cmd[1:]}: `.': No such file or directory\n")
    assert hadoop.fs("-test", "-e", "/user/alice").exit_code == 1


@pytest.mark.parametrize("cmd", ["safemode", "-safemode", "report", "refreshNodes"])
def test_dfsadmin_help_of_one_command_prints_that_command(hadoop, cmd):
    """`hdfs dfsadmin -help safemode` prints the safe mode entry only (DFSAdmin.printHelp; its
    own help says "-help [cmd]: Displays help for the given command"); it printed the whole
    page."""
    r = hadoop("dfsadmin", "-help", cmd)
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first.startswith("-" + cmd.lstrip("-")), r.stdout
    others = {"-report", "-safemode", "-refreshNodes", "-help"} - {"-" + cmd.lstrip("-")}
    assert not [line for line in r.stdout.splitlines() if line.split(" ")[0].rstrip(":") in others]
    assert "Generic options" not in r.stdout


def test_dfsadmin_help_of_an_unknown_name_prints_everything(hadoop):
    """As Hadoop's DFSAdmin.printHelp: a name it does not know gets the whole page."""
    r = hadoop("dfsadmin", "-help", "bogus")
    assert r.exit_code == 0 and r.stdout.startswith("Usage: hdfs dfsadmin"), r.output


def test_loglevel_without_a_level_is_one_hadoop_line(hadoop):
    """`hadoop --loglevel` with nothing after it: click's 'Error: Option ... requires an
    argument.' and the whole usage page, exit 2; now one line saying what it takes, exit 255
    as every other usage mistake of the hadoop command."""
    r = hadoop("--loglevel")
    assert r.exit_code == 255, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hadoop: --loglevel needs a level"), r.stderr
    assert "DEBUG" in lines[0]
