"""A newcomer's first hour with `hadoop` (issue 16): help everywhere, bad settings explained with
HDFS's own messages, nothing local touched by a failing copy, a state directory that is a file
named as such, and a log of every command in $MINIHADOOP_HOME/logs/.

Expected texts are HDFS's (BlockManager.verifyReplication, FSNamesystem's minimum block size,
DFSClient's checksum multiple) or Hadoop's documented exit statuses, not earlier output."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dfs.cli import cli
from dfs.cluster import connect, format_cluster
from dfs.conf import Configuration
from dfs.shell import COMMANDS


@pytest.fixture
def run(tmp_path, monkeypatch):
    """`hadoop ...` in-process (with the MapReduce commands) on a freshly formatted cluster."""
    from mapred.cli import register

    register()
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HADOOP_USER_NAME", "alice")
    monkeypatch.delenv("HADOOP_ROOT_LOGGER", raising=False)
    format_cluster(Configuration())
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(cli, list(args), **kw)


# ---- help and version ---------------------------------------------------------------------------
def test_every_command_answers_every_help_spelling_with_its_usage(run):
    names = sorted(cli.commands)
    assert {"fs", "dfs", "fsck", "dfsadmin", "namenode", "jar", "job"} <= set(names)
    for name in names:
        for flag in ("-h", "-help", "--help"):
            r = run(name, flag)
            assert r.exit_code == 0, (name, flag, r.stdout, r.stderr)
            assert r.stdout.startswith("Usage: "), (name, flag, r.stdout)
            assert r.stderr == "", (name, flag, r.stderr)


def test_command_help_lists_options_and_generic_options(run):
    r = run("fsck", "-help")
    assert "\t-files -blocks -locations\tprint out locations for every block\n" in r.stdout
    assert "-D <property=value>" in r.stdout  # ToolRunner's generic options
    r = run("jar", "--help")
    assert "hadoop jar [--detach] MODULE[:CLASS]" in r.stdout and "-files a,b" in r.stdout
    r = run("dfsadmin", "-help")
    assert "-safemode <enter|leave|get|wait|forceExit>:  Safe mode maintenance command." in r.stdout
    r = run("namenode", "-h")
    assert "-format" in r.stdout and "-recover" in r.stdout


def test_every_fs_command_has_help_and_usage(run):
    for name in sorted(COMMANDS):
        r = run("fs", "-help", name)
        assert r.exit_code == 0 and r.stdout.startswith(f"-{name} "), (name, r.stdout)
        r = run("fs", "-usage", name)
        assert r.exit_code == 0 and r.stdout.startswith("Usage: hadoop fs"), (name, r.stdout)


@pytest.mark.parametrize(
    "args", [("--help",), ("-h",), ("-help",), ("--debug", "-h"), ("--loglevel", "INFO", "-h")]
)
def test_top_level_help(run, args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Usage: hadoop [OPTIONS] SUBCOMMAND [SUBCOMMAND OPTIONS]\n")
    assert re.search(r"^fsck\s+Check blocks", r.stdout, re.M)


@pytest.mark.parametrize("args", [("--version",), ("-version",), ("version",)])
def test_version_in_hadoops_spellings(run, args):
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert re.match(r"Hadoop \S+ \(minihadoop", r.stdout)


def test_usage_mistakes_still_fail(run):
    r = run("fsck", "-bogus")
    assert r.exit_code == 255
    assert r.stderr.startswith("fsck: Illegal option '-bogus'\nUsage: hdfs fsck")  # not fsck: fsck:
    r = run("dfsadmin", "-bogus")
    assert r.exit_code == 255 and r.stderr.startswith("dfsadmin: -bogus: Unknown command")


def test_generic_options_before_the_command_are_explained(run):
    r = run("-D", "dfs.replication=2", "fs", "-ls", "/")
    assert r.exit_code == 255
    assert r.stderr == (
        "hadoop: unknown option -D: generic options go after the command, as in: "
        "hadoop fs -D dfs.replication=2 -ls /\n"
    )
    r = run("--bogus")
    assert (r.exit_code, r.stderr) == (
        255,
        "hadoop: unknown option --bogus: hadoop --help lists the options and commands\n",
    )


def test_a_command_line_mistake_is_printed_once(run):
    r = run("datanode", "--id")
    assert r.exit_code == 255
    assert r.stderr == (
        "datanode: --id requires a value; usage: hadoop datanode --id dnN [--rack /rackX]\n"
    )


# ---- bad settings -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "define, message",
    [
        (
            "dfs.replication=0",
            "Requested replication factor of 0 is less than the required minimum of 1 "
            "(dfs.replication=0; it must be between dfs.namenode.replication.min=1 and "
            "dfs.replication.max=512)",
        ),
        (
            "dfs.replication=600",
            "Requested replication factor of 600 exceeds maximum of 512 (dfs.replication=600;",
        ),
        (
            "dfs.blocksize=-5",
            "Specified block size is less than configured minimum value "
            "(dfs.namenode.fs-limits.min-block-size): -5 < 512 (dfs.blocksize=-5)",
        ),
        (
            "dfs.blocksize=0",  # wrote blocks forever on the old code
            "Specified block size is less than configured minimum value "
            "(dfs.namenode.fs-limits.min-block-size): 0 < 512",
        ),
        (
            "dfs.blocksize=1000",
            "io.bytes.per.checksum(512) and blockSize(1000) do not match. blockSize should be a "
            "multiple of io.bytes.per.checksum",
        ),
        ("dfs.bytes-per-checksum=0", "Invalid value for dfs.bytes-per-checksum: 0"),
        ("dfs.heartbeat.interval=0", "Invalid value for dfs.heartbeat.interval: 0.0"),
    ],
)
def test_bad_numeric_settings_are_named_with_hdfs_messages(run, tmp_path, define, message):
    src = tmp_path / "s.txt"
    src.write_text("hi\n")
    r = run("fs", "-D", define, "-put", str(src), "/s.txt")
    assert r.exit_code == 1, r.output
    assert message in r.stderr and "no datanode" not in r.stderr
    assert len(r.stderr.splitlines()) == 1
    with connect(Configuration()) as c:
        assert not c.exists("/s.txt") and not c.exists("/s.txt._COPYING_")


def test_setrep_beyond_the_maximum_is_refused_per_file(run, tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("hi\n")
    assert run("fs", "-put", str(src), "/s.txt").exit_code == 0
    r = run("fs", "-setrep", "700", "/s.txt")
    assert r.exit_code == 1
    assert (
        r.stderr
        == "setrep: Requested replication factor of 700 exceeds maximum of 512 for /s.txt\n"
    )
    r = run("fs", "-D", "dfs.replication.max=2", "-setrep", "3", "/s.txt")
    assert "exceeds maximum of 2 for /s.txt" in r.stderr
    with connect(Configuration()) as c:
        assert c.status("/s.txt").replication == 3


# ---- the state directory ------------------------------------------------------------------------
def test_a_state_directory_that_is_a_file_is_named(tmp_path, monkeypatch):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a cluster")
    runner = CliRunner()
    for home, what in ((a_file, "is not a directory"), (a_file / "sub", f"is inside {a_file}")):
        monkeypatch.setenv("MINIHADOOP_HOME", str(home))
        for args in (["fs", "-ls", "/"], ["namenode", "-format"]):
            r = runner.invoke(cli, args)
            assert r.exit_code == 1, r.output
            assert f"the state directory {home} (MINIHADOOP_HOME) {what}" in r.stderr
            assert "ERROR 2999" not in r.stderr and "not formatted" not in r.stderr
    assert a_file.read_text() == "not a cluster"


# ---- local files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["-get", "-copyToLocal", "-getmerge"])
def test_a_missing_source_leaves_the_local_file_alone(run, tmp_path, command):
    dst = tmp_path / "existing.txt"
    dst.write_text("precious\n")
    r = run("fs", command, "/nope", str(dst))
    assert r.exit_code == 1
    assert r.stderr == f"{command.lstrip('-')}: `/nope': No such file or directory\n"
    assert dst.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.txt", "home"]


# ---- logs ---------------------------------------------------------------------------------------
def _log(name: str) -> Path:
    return Path(os.environ["MINIHADOOP_HOME"]) / "logs" / f"hadoop-alice-{name}.log"


def test_commands_log_to_the_state_directory(run):
    assert run("fs", "-mkdir", "/d").exit_code == 0
    text = _log("fs").read_text()
    assert re.search(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO dfs\.cli: hadoop fs -mkdir /d", text, re.M
    )
    assert "INFO dfs.cli: exit status 0" in text
    r = run("fs", "-ls", "/nope")
    assert r.exit_code == 1
    assert "INFO dfs.shell: ls: `/nope': No such file or directory" in _log("fs").read_text()


def test_log_level_from_root_logger_and_loglevel(run):
    r = run("fs", "-Dhadoop.root.logger=WARN,RFA", "-mkdir", "/quiet")
    assert r.exit_code == 0 and r.stderr == ""
    assert "-mkdir /quiet" not in _log("fs").read_text() if _log("fs").exists() else True
    r = run("--loglevel", "DEBUG", "fs", "-mkdir", "/loud")
    assert r.exit_code == 0
    assert "INFO dfs.cli: hadoop fs -mkdir /loud" in r.stderr  # console, as Hadoop's
    assert "-mkdir /loud" in _log("fs").read_text()
    r = run("fs", "-Dhadoop.root.logger=CHATTY,console", "-ls", "/")
    assert r.exit_code == 1
    assert r.stderr.startswith("fs: hadoop.root.logger='CHATTY,console': unknown log level")


# ---- found trying the shell ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("-put", "{local}", "/f/x"),
        ("-put", "{local}", "{local}", "/f/x"),
        ("-cp", "/f", "/f/x"),
        ("-mv", "/f", "/f/x"),
        ("-cp", "/f", "/g", "/f/x"),
    ],
)
def test_a_target_below_a_file_is_one_error_line(run, tmp_path, args):
    """The old code printed ``put: `/f': Not a directory`` once per source, or went on to a
    second, wrong error (`is a subdirectory of itself`)."""
    local = tmp_path / "in.txt"
    local.write_text("a\n")
    assert run("fs", "-put", str(local), "/f").exit_code == 0
    assert run("fs", "-put", str(local), "/g").exit_code == 0
    r = run("fs", *(a.format(local=local) for a in args))
    assert r.exit_code == 1
    name = args[0].lstrip("-")
    assert r.stderr == f"{name}: `/f': Not a directory\n"


def test_get_into_a_missing_local_directory_names_the_target(run, tmp_path):
    assert run("fs", "-put", str(Path(__file__)), "/f").exit_code == 0
    target = tmp_path / "nodir" / "x.txt"
    r = run("fs", "-get", "/f", str(target))
    assert (r.exit_code, r.stderr) == (1, f"get: `{target}': No such file or directory\n")
