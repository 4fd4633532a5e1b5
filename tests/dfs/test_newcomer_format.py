"""A newcomer's first commands on a fresh cluster (issue 16 leftovers): `hadoop namenode -format`
on a cluster that exists says so as HDFS does, a fresh format leaves the directories every
Hadoop distribution's first-run set-up creates (/tmp 1777, /user/<name>), a bad setting is
reported under the subcommand's name, and an unknown command gets a "Did you mean".

References: HDFS's NameNode.confirmFormat ("data appears to exist in Storage Directory ...
Not formatting."), the set-up guides' `hdfs dfs -mkdir -p /user/<name>` and
`hdfs dfs -chmod 1777 /tmp`, FsShell's `put: ...` error prefix (the subcommand's name)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dfs.cli import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    """`hadoop ...` in-process on an unformatted state directory, as user alice."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HADOOP_USER_NAME", "alice")
    monkeypatch.delenv("HADOOP_ROOT_LOGGER", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(cli, list(args), **kw)


def _format(run):
    r = run("namenode", "-format")
    assert r.exit_code == 0, r.stderr
    return r


# ---- 1: -format on a cluster that exists ---------------------------------------------------------
def test_reformat_of_a_healthy_cluster_says_the_cluster_exists(run, tmp_path):
    _format(run)
    (tmp_path / "big.txt").write_text("hello\n" * 100)
    assert run("fs", "-put", str(tmp_path / "big.txt"), "/big.txt").exit_code == 0
    r = run("namenode", "-format")
    assert r.exit_code == 1
    namenode_dir = tmp_path / "home" / "namenode"
    expected = f"namenode: Data appears to exist in Storage Directory {namenode_dir}"
    assert r.stderr.startswith(expected)
    assert "Not formatting" in r.stderr and "hadoop namenode -format -force" in r.stderr
    assert "erase" in r.stderr  # -force is named for what it does
    # the old code blamed the datanodes' blocks on damaged or lost namenode metadata
    assert "block files" not in r.stderr and "damaged" not in r.stderr
    assert "lost" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = run("fs", "-cat", "/big.txt")  # nothing was touched
    assert r.exit_code == 0 and r.stdout == "hello\n" * 100


def test_datanode_blocks_without_namenode_metadata_keep_their_own_message(run, tmp_path):
    _format(run)
    (tmp_path / "f.txt").write_text("x\n")
    assert run("fs", "-put", str(tmp_path / "f.txt"), "/f.txt").exit_code == 0
    for name in ("VERSION", "fsimage", "edits"):
        (tmp_path / "home" / "namenode" / name).unlink()
    r = run("namenode", "-format")
    assert r.exit_code == 1
    assert "holds block files" in r.stderr and "-force" in r.stderr


def test_damaged_namenode_metadata_is_not_called_a_healthy_cluster(run, tmp_path):
    _format(run)
    (tmp_path / "home" / "namenode" / "VERSION").unlink()
    r = run("namenode", "-format")
    assert r.exit_code == 1
    assert "Data appears to exist" not in r.stderr
    assert "what is left of one" in r.stderr and "-force" in r.stderr


# ---- 4: the first-run directories ---------------------------------------------------------------
def test_format_creates_tmp_and_the_formatting_users_home(run, tmp_path):
    r = _format(run)
    assert "/tmp" in r.stdout and "/user/alice" in r.stdout
    r = run("fs", "-ls", "-d", "/tmp", "/user/alice")
    assert r.exit_code == 0, r.stderr
    tmp_line, home_line = r.stdout.splitlines()
    assert tmp_line.startswith("drwxrwxrwt") and tmp_line.endswith(" /tmp")
    assert home_line.startswith("drwxr-xr-x") and home_line.endswith(" /user/alice")
    assert home_line.split()[2] == "alice"


def test_put_and_ls_without_a_path_work_on_a_fresh_cluster(run, tmp_path):
    _format(run)
    (tmp_path / "big.txt").write_text("some words\n")
    r = run("fs", "-put", "big.txt")
    assert r.exit_code == 0, r.stderr
    r = run("fs", "-ls")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Found 1 items\n")
    assert r.stdout.rstrip("\n").endswith(" big.txt")  # Hadoop lists relative paths relatively
    assert run("fs", "-cat", "/user/alice/big.txt").stdout == "some words\n"


# ---- 5: a bad setting is reported under the subcommand's name -----------------------------------
def test_a_bad_setting_is_reported_under_the_subcommand(run, tmp_path):
    _format(run)
    (tmp_path / "f.txt").write_text("x\n")
    r = run("fs", "-D", "dfs.replication=0", "-put", str(tmp_path / "f.txt"), "/f.txt")
    assert r.exit_code == 1
    assert r.stderr.startswith("put: Requested replication factor of 0 is less than the required")


# ---- 7: did you mean ----------------------------------------------------------------------------
def test_an_unknown_command_suggests_the_close_one(run):
    r = run("fsc")
    assert r.exit_code == 1
    assert "unknown command 'fsc'" in r.stderr and "Did you mean 'fsck'?" in r.stderr
    r = run("xyzzy")
    assert r.exit_code == 1 and "Did you mean" not in r.stderr


# ---- 6: help texts say what happens ------------------------------------------------------------
@pytest.mark.parametrize("script", ["showcase.py", "demo_dfs.py"])
def test_script_help_says_the_cluster_is_otherwise_removed(script):
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run(
        [sys.executable, str(root / "scripts" / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    text = " ".join(r.stdout.split())  # argparse wraps the help column
    assert "--keep keep the temporary cluster (otherwise removed at exit)" in text, r.stdout


def test_help_of_the_cluster_commands_names_every_daemon_and_the_format_directories(run):
    r = run("--help")
    line = next(x for x in r.stdout.splitlines() if x.startswith("stop-cluster"))
    assert "NameNode and DataNodes" not in line  # it stops the JobTracker and TaskTrackers too
    r = run("namenode", "-help")
    assert "/tmp (mode 1777) and /user/<you>" in r.stdout
