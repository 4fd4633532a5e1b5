"""`hadoop fs` against Hadoop's own FsShell behaviour (issue 16 item 13).

Expected messages and layouts come from Hadoop's sources (fs/shell/CommandWithDestination,
MoveCommands, Display.Checksum, CopyCommands.AppendToFile) and its FileSystemShell page; data
expectations are computed in plain Python here, never from an earlier run of the shell.
"""

from __future__ import annotations

import pytest

from tests.dfs.test_shell import Hadoop, local


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    h = Hadoop(monkeypatch, str(tmp_path / "home"))
    assert h("namenode", "-format").exit_code == 0
    assert h.fs("-mkdir", "-p", "/user/alice").exit_code == 0
    return h


def _names(h, path: str) -> list[str]:
    r = h.fs("-ls", "-C", path)
    return sorted(line.rsplit("/", 1)[-1] for line in r.stdout.splitlines())


def _two_files(h, tmp_path) -> None:
    assert h.fs("-mkdir", "/src").exit_code == 0
    for name in ("file1", "file2"):
        src = local(tmp_path, name, name.encode())
        assert h.fs("-put", str(src), f"/src/{name}").exit_code == 0


# ---- 1. several sources need an existing directory; nothing is written otherwise ---------------
def test_cp_glob_to_missing_dir_writes_nothing(hadoop, tmp_path):
    _two_files(hadoop, tmp_path)
    r = hadoop.fs("-cp", "/src/file*", "/dir")
    assert r.exit_code == 1
    assert r.stderr == "cp: `/dir': No such file or directory\n"
    assert "dir" not in _names(hadoop, "/")


def test_mv_glob_to_missing_dir_moves_nothing(hadoop, tmp_path):
    _two_files(hadoop, tmp_path)
    r = hadoop.fs("-mv", "/src/file*", "/dir")
    assert r.exit_code == 1
    assert r.stderr == "mv: `/dir': No such file or directory\n"
    assert "dir" not in _names(hadoop, "/")
    assert _names(hadoop, "/src") == ["file1", "file2"]


def test_glob_to_existing_file_is_not_a_directory(hadoop, tmp_path):
    _two_files(hadoop, tmp_path)
    before = hadoop.fs("-cat", "/src/file1").stdout
    for cmd in ("-cp", "-mv"):
        r = hadoop.fs(cmd, "/src/file*", "/src/file1")
        assert r.exit_code == 1
        assert r.stderr == f"{cmd[1:]}: `/src/file1': Is not a directory\n"
    assert hadoop.fs("-cat", "/src/file1").stdout == before
    assert _names(hadoop, "/src") == ["file1", "file2"]


def test_source_errors_come_before_the_destination_error(hadoop, tmp_path):
    """Hadoop expands the sources first (one line per bad one), then refuses the destination."""
    _two_files(hadoop, tmp_path)
    r = hadoop.fs("-cp", "/nope", "/src/file*", "/dir")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "cp: `/nope': No such file or directory",
        "cp: `/dir': No such file or directory",
    ]
    assert "dir" not in _names(hadoop, "/")


def test_one_source_left_after_a_bad_one_goes_to_the_destination(hadoop, tmp_path):
    """As Hadoop counts the sources that exist: one left is copied to the destination name."""
    _two_files(hadoop, tmp_path)
    r = hadoop.fs("-cp", "/nope", "/src/file1", "/one")
    assert r.exit_code == 1
    assert r.stderr == "cp: `/nope': No such file or directory\n"
    assert hadoop.fs("-cat", "/one").stdout == "file1"


def test_put_local_glob_to_missing_dir_writes_nothing(hadoop, tmp_path):
    d = tmp_path / "up"
    d.mkdir()
    for name in ("a.txt", "b.txt"):
        (d / name).write_bytes(name.encode())
    for cmd in ("-put", "-copyFromLocal"):
        r = hadoop.fs(cmd, str(d / "*.txt"), "/dir")
        assert r.exit_code == 1
        assert r.stderr == f"{cmd[1:]}: `/dir': No such file or directory\n"
        assert "dir" not in _names(hadoop, "/")


def test_get_glob_to_missing_local_dir_writes_nothing(hadoop, tmp_path):
    _two_files(hadoop, tmp_path)
    for cmd in ("-get", "-copyToLocal"):
        r = hadoop.fs(cmd, "/src/file*", str(tmp_path / "out"))
        assert r.exit_code == 1
        assert r.stderr == f"{cmd[1:]}: `{tmp_path / 'out'}': No such file or directory\n"
        assert not (tmp_path / "out").exists()
