"""Issue 16 item 10, Pig's side: a user who may not write in the DFS's /tmp cannot run a
Pig job with intermediate data, and the message says which directory Pig needed, why, and
how the superuser opens it (it was HDFS's bare `Permission denied: ... inode="/tmp"`)."""

from __future__ import annotations

import getpass

import pytest

from dfs.cluster import format_cluster
from piglatin.tools import cli


@pytest.fixture
def cluster_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HADOOP_USER_NAME", raising=False)
    format_cluster()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\n2\n")
    return tmp_path


def test_a_user_who_cannot_write_tmp_is_told_what_pig_needs(cluster_home, capsys, monkeypatch):
    owner = getpass.getuser()
    monkeypatch.setenv("HADOOP_USER_NAME", owner)
    assert cli.main(["-d", "WARN", "-e", "fs -mkdir -p /tmp; fs -chmod 755 /tmp;"]) == 0
    monkeypatch.setenv("HADOOP_USER_NAME", "bob")
    script = (
        "A = LOAD 'in.txt' AS (n:int); B = GROUP A ALL; C = FOREACH B GENERATE COUNT(A); DUMP C;"
    )
    rc = cli.main(["-d", "WARN", "-e", script])
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if ln.startswith("ERROR"))
    assert rc != 0 and line.startswith("ERROR 6000: Permission denied: user=bob")
    assert "intermediate data of its jobs under /tmp" in line
    assert "hadoop fs -chmod 1777 /tmp" in line
