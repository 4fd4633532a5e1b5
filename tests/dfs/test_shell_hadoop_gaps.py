"""`hadoop fs` against Hadoop's own FsShell behaviour (issue 16 item 13).

Expected messages and layouts come from Hadoop's sources (fs/shell/CommandWithDestination,
MoveCommands, Display.Checksum, CopyCommands.AppendToFile) and its FileSystemShell page; data
expectations are computed in plain Python here, never from an earlier run of the shell.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest

from tests.dfs.test_shell import Hadoop, local, payload


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


# ---- 2. -moveFromLocal and -checksum -----------------------------------------------------------
def test_move_from_local_file_and_tree(hadoop, tmp_path):
    data = payload(70_000)
    f = local(tmp_path, "f.bin", data)
    r = hadoop.fs("-moveFromLocal", str(f), "/f.bin")
    assert (r.exit_code, r.stderr) == (0, "")
    assert not f.exists()
    assert hadoop.fs("-cat", "/f.bin").stdout_bytes == data
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a").write_bytes(b"A")
    (tree / "sub" / "b").write_bytes(b"B")
    r = hadoop.fs("-moveFromLocal", str(tree), "/")
    assert (r.exit_code, r.stderr) == (0, "")
    assert not tree.exists()
    assert hadoop.fs("-cat", "/tree/a", "/tree/sub/b").stdout == "AB"


def test_move_from_local_keeps_the_source_when_it_fails(hadoop, tmp_path):
    f = local(tmp_path, "f.txt", b"new")
    assert hadoop.fs("-put", str(f), "/f.txt").exit_code == 0
    r = hadoop.fs("-moveFromLocal", str(f), "/f.txt")
    assert (r.exit_code, r.stderr) == (1, "moveFromLocal: `/f.txt': File exists\n")
    assert f.read_bytes() == b"new"
    d = tmp_path / "d"
    d.mkdir()
    (d / "x").write_bytes(b"x")
    assert hadoop.fs("-mkdir", "-p", "/into/d").exit_code == 0
    r = hadoop.fs("-moveFromLocal", str(d), "/into")  # a move does not merge directories
    assert (r.exit_code, r.stderr) == (1, "moveFromLocal: `/into/d': File exists\n")
    assert (d / "x").read_bytes() == b"x"
    r = hadoop.fs("-moveFromLocal", str(tmp_path / "nope"), "/n")
    assert r.stderr == f"moveFromLocal: `{tmp_path / 'nope'}': No such file or directory\n"


def _hadoop_md5md5crc32(data: bytes, blocksize: int, bpc: int = 512) -> tuple[str, str]:
    """HDFS's MD5MD5CRC32FileChecksum written out from its definition (CRC32 = zlib's)."""
    blocks = [data[i : i + blocksize] for i in range(0, len(data), blocksize)]
    md5s = []
    for block in blocks:
        crcs = [zlib.crc32(block[i : i + bpc]) for i in range(0, len(block), bpc)]
        md5s.append(hashlib.md5(struct.pack(f">{len(crcs)}I", *crcs)).digest())
    buf = bytearray(32)  # DataOutputBuffer's array, doubling, digested whole
    while len(buf) < 16 * len(md5s):
        buf = bytearray(2 * len(buf))
    buf[: 16 * len(md5s)] = b"".join(md5s)
    per_block = -(-len(blocks[0]) // bpc) if len(blocks) > 1 else 0
    head = struct.pack(">iq", bpc if blocks else 0, per_block)
    return (
        f"MD5-of-{per_block}MD5-of-{bpc if blocks else 0}CRC32",
        (head + hashlib.md5(bytes(buf)).digest()).hex(),
    )


def test_checksum_layout_and_value(hadoop, tmp_path):
    data = payload(5 * 65536 + 1000)
    f = local(tmp_path, "f.bin", data)
    assert hadoop("fs", "-D", "dfs.blocksize=65536", "-put", str(f), "/f.bin").exit_code == 0
    assert hadoop.fs("-touchz", "/empty").exit_code == 0
    algo, hexed = _hadoop_md5md5crc32(data, 65536)
    assert algo == "MD5-of-128MD5-of-512CRC32"
    r = hadoop.fs("-checksum", "/f.bin", "/empty")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout.splitlines() == [
        f"/f.bin\t{algo}\t{hexed}",
        # Hadoop's own output for a file without blocks (the MD5 of 32 zero bytes)
        "/empty\tMD5-of-0MD5-of-0CRC32\t00000000000000000000000070bc8f4b72a86921468bf8e8441dce51",
    ]
    r = hadoop.fs("-checksum", "-v", "/f.bin")
    assert r.stdout == f"/f.bin\t{algo}\t{hexed}\tBlockSize=65536\n"


def test_checksum_one_block_file_and_errors(hadoop, tmp_path):
    data = payload(3000, seed=7)
    assert hadoop.fs("-put", str(local(tmp_path, "s", data)), "/s").exit_code == 0
    algo, hexed = _hadoop_md5md5crc32(data, 1 << 27)
    assert algo == "MD5-of-0MD5-of-512CRC32"
    assert hadoop.fs("-mkdir", "/d").exit_code == 0
    r = hadoop.fs("-checksum", "/s", "/d", "/nope")
    assert r.exit_code == 1
    assert r.stdout == f"/s\t{algo}\t{hexed}\n"
    assert r.stderr.splitlines() == [
        "checksum: `/d': Is a directory",
        "checksum: `/nope': No such file or directory",
    ]


# ---- 3. -appendToFile, -moveToLocal, -usage ----------------------------------------------------
def test_append_to_file_creates_then_appends(hadoop, tmp_path):
    one, two = payload(70_000, seed=2), payload(1000, seed=3)
    f1, f2 = local(tmp_path, "one", one), local(tmp_path, "two", two)
    r = hadoop("fs", "-D", "dfs.blocksize=65536", "-appendToFile", str(f1), "/a/new")
    assert (r.exit_code, r.stderr) == (0, "")  # created, parents too, as HDFS's create
    assert hadoop.fs("-chmod", "600", "/a/new").exit_code == 0
    r = hadoop.fs("-appendToFile", str(f2), str(f1), "/a/new")
    assert (r.exit_code, r.stderr) == (0, "")
    assert hadoop.fs("-cat", "/a/new").stdout_bytes == one + two + one
    st = hadoop.client_status("/a/new")
    assert (st.blocksize, st.mode & 0o777) == (65536, 0o600)  # kept through the rewrite
    r = hadoop.fs("-appendToFile", "-", "/a/new", input=b"tail")
    assert (r.exit_code, r.stderr) == (0, "")
    assert hadoop.fs("-cat", "/a/new").stdout_bytes == one + two + one + b"tail"
    assert _names(hadoop, "/a") == ["new"]  # no ._COPYING_ left


def test_append_to_file_errors_write_nothing(hadoop, tmp_path):
    f = local(tmp_path, "f", b"x")
    r = hadoop.fs("-appendToFile", str(f))
    assert (r.exit_code, r.stderr) == (1, "appendToFile: missing destination argument\n")
    r = hadoop.fs("-appendToFile", "-", str(f), "/t", input=b"")
    assert r.stderr == "appendToFile: stdin (-) must be the sole input argument when present\n"
    r = hadoop.fs("-appendToFile", str(tmp_path / "nope"), "/t")
    assert r.stderr == f"appendToFile: `{tmp_path / 'nope'}': No such file or directory\n"
    assert r.exit_code == 1 and "t" not in _names(hadoop, "/")
    assert hadoop.fs("-mkdir", "/d").exit_code == 0
    r = hadoop.fs("-appendToFile", str(f), "/d")
    assert (r.exit_code, r.stderr) == (1, "appendToFile: `/d': Is a directory\n")


def test_move_to_local_is_not_implemented_as_in_hadoop(hadoop, tmp_path):
    r = hadoop.fs("-moveToLocal", "/x", str(tmp_path / "x"))
    assert (r.exit_code, r.stderr) == (
        1,
        "moveToLocal: Option '-moveToLocal' is not implemented yet.\n",
    )
    assert not (tmp_path / "x").exists()


def test_usage_of_commands_and_unknown_name(hadoop):
    r = hadoop.fs("-usage", "checksum", "moveFromLocal")
    assert (r.exit_code, r.stderr) == (0, "")
    prefix = "Usage: hadoop fs [generic options] "
    assert r.stdout.splitlines() == [
        prefix + "-checksum [-v] <src> ...",
        prefix + "-moveFromLocal [-f] [-p] [-l] [-d] <localsrc> ... <dst>",
    ]
    r = hadoop.fs("-usage", "bogus")  # FsShell.UnknownCommandException, an argument error
    assert r.exit_code == 255
    assert r.stderr.splitlines() == [
        "-usage: `bogus': Unknown command",
        "Usage: hadoop fs [generic options] -usage [cmd ...]",
    ]
    general = hadoop.fs("-usage").stdout.splitlines()
    for name in ("appendToFile", "checksum", "moveFromLocal", "moveToLocal"):
        assert any(line.startswith(f"\t[-{name} ") for line in general), name


def test_help_layout_and_unknown_name(hadoop):
    """FsShell.printInstanceHelp: ``usage:<TAB>first line``, then ``<TAB><TAB>line``."""
    r = hadoop.fs("-help", "checksum")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("-checksum [-v] <src> ...:\tPrint each file's checksum")
    assert len(lines) > 1 and all(line.startswith("\t\t") for line in lines[1:])
    assert any("CRC32C" in line for line in lines)  # says which algorithm it is not
    r = hadoop.fs("-help", "bogus")
    assert r.exit_code == 255
    assert r.stderr.splitlines() == [
        "-help: `bogus': Unknown command",
        "Usage: hadoop fs [generic options] -help [cmd ...]",
    ]
    full = hadoop.fs("-help").stdout
    assert full.startswith("Usage: hadoop fs [generic options]\n\t[-appendToFile [-n] ")
    assert "\n\n-cat [-ignoreCrc] <src> ...:\tCopy files to standard output.\n" in full
    assert full.index("\n-usage [cmd ...]:\t") < full.index("Generic options supported are:")


# ---- more of item 13 ---------------------------------------------------------------------------
def test_head_and_tail_take_their_path_literally(hadoop, tmp_path):
    """Hadoop's Head and Tail override expandArgument: no glob expansion."""
    _two_files(hadoop, tmp_path)
    for cmd in ("-tail", "-head"):
        r = hadoop.fs(cmd, "/src/file*")
        assert (r.exit_code, r.stdout) == (1, "")
        assert r.stderr == f"{cmd[1:]}: `/src/file*': No such file or directory\n"
        r = hadoop.fs(cmd, "/src/file1")
        assert (r.exit_code, r.stdout) == (0, "file1")


def test_touchz_relative_without_home_directory_fails(hadoop):
    """Hadoop's Touchz.processNonexistentPath: a missing parent (here the home directory) is
    `No such file or directory'; nothing is created."""
    r = hadoop.fs("-touchz", "file0", user="bob")  # /user/bob does not exist
    assert (r.exit_code, r.stderr) == (1, "touchz: `file0': No such file or directory\n")
    assert _names(hadoop, "/user") == ["alice"]


def test_escaped_glob_is_a_literal_name(hadoop):
    """PathData.expandAsGlob: a pattern whose wildcards are all escaped names one path, shown
    without the escapes; only a real glob that matches nothing is echoed as typed."""
    assert hadoop.fs("-mkdir", "/dir0").exit_code == 0
    assert hadoop.fs("-touchz", "/dir0/\\*", "/dir0/a").exit_code == 0
    assert hadoop.fs("-ls", "-C", "/dir0").stdout.splitlines() == ["/dir0/*", "/dir0/a"]
    r = hadoop.fs("-ls", "-C", "/dir0/\\*")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "/dir0/*\n", "")
    r = hadoop.fs("-cat", "/dir0/\\*x")
    assert (r.exit_code, r.stderr) == (1, "cat: `/dir0/*x': No such file or directory\n")
    r = hadoop.fs("-ls", "/dir0/x*")
    assert (r.exit_code, r.stderr) == (1, "ls: `/dir0/x*': No such file or directory\n")


def test_cp_with_file_uris_copies_between_local_and_dfs(hadoop, tmp_path):
    """Hadoop's -cp takes any filesystem's URIs: file: sources or destination are local."""
    data = payload(5000, seed=9)
    src = local(tmp_path, "in.bin", data)
    r = hadoop.fs("-cp", f"file://{src}", "/in.bin")
    assert (r.exit_code, r.stderr) == (0, "")
    assert hadoop.fs("-cat", "/in.bin").stdout_bytes == data
    r = hadoop.fs("-cp", "/in.bin", f"file:{tmp_path / 'out.bin'}")
    assert (r.exit_code, r.stderr) == (0, "")
    assert (tmp_path / "out.bin").read_bytes() == data
    r = hadoop.fs("-cp", f"file://{tmp_path / 'nope'}", "/x")
    assert (r.exit_code, r.stderr) == (1, f"cp: `{tmp_path / 'nope'}': No such file or directory\n")


def test_find_name_iname_print0(hadoop):
    """FileSystemShell -find: pre-order walk, each match printed (-print) or NUL-ended."""
    assert hadoop.fs("-mkdir", "-p", "/f/sub").exit_code == 0
    assert hadoop.fs("-touchz", "/f/a.txt", "/f/B.TXT", "/f/b.log", "/f/sub/c.txt").exit_code == 0
    r = hadoop.fs("-find", "/f")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout.splitlines() == ["/f", "/f/B.TXT", "/f/a.txt", "/f/b.log", "/f/sub",
                                     "/f/sub/c.txt"]
    r = hadoop.fs("-find", "/f", "-name", "*.txt", "-print")
    assert r.stdout.splitlines() == ["/f/a.txt", "/f/sub/c.txt"]
    r = hadoop.fs("-find", "/f/sub", "/f", "-iname", "*.txt", "-print0")
    assert r.stdout == "/f/sub/c.txt\0/f/B.TXT\0/f/a.txt\0/f/sub/c.txt\0"
    r = hadoop.fs("-find", "/nope", "-name", "x")
    assert (r.exit_code, r.stderr) == (1, "find: `/nope': No such file or directory\n")


def test_touch_times_create_and_errors(hadoop):
    """Hadoop's Touch: -a/-m pick the time changed, -t yyyyMMdd:HHmmss (local time), -c."""
    import time as _time

    stamp = int(_time.mktime((2020, 1, 2, 3, 4, 5, 0, 0, -1))) * 1000
    r = hadoop.fs("-touch", "-t", "20200102:030405", "/t1")
    assert (r.exit_code, r.stderr) == (0, "")
    st = hadoop.client_status("/t1")
    assert (st.length, st.mtime, st.atime) == (0, stamp, stamp)
    later = int(_time.mktime((2021, 6, 7, 8, 9, 10, 0, 0, -1))) * 1000
    assert hadoop.fs("-touch", "-a", "-t", "20210607:080910", "/t1").exit_code == 0
    st = hadoop.client_status("/t1")
    assert (st.mtime, st.atime) == (stamp, later)
    assert hadoop.fs("-touch", "-m", "-t", "20210607:080910", "/t1").exit_code == 0
    assert hadoop.client_status("/t1").mtime == later
    assert hadoop.fs("-touch", "-c", "/t2").exit_code == 0
    assert "t2" not in _names(hadoop, "/")
    r = hadoop.fs("-touch", "-t", "yesterday", "/t1")
    assert r.exit_code == 255
    assert r.stderr.splitlines()[0] == "-touch: Unable to parse the specified timestamp yesterday"
    assert hadoop.fs("-mkdir", "/d").exit_code == 0
    r = hadoop.fs("-touch", "/d", "/nodir/x")
    assert r.stderr.splitlines() == ["touch: `/d': Is a directory",
                                     "touch: `/nodir/x': No such file or directory"]


def test_expunge_with_no_trash_is_a_quiet_no_op(hadoop):
    """As Hadoop with fs.trash.interval=0 (no trash directory): nothing to empty, exit 0."""
    for args in (("-expunge",), ("-expunge", "-immediate")):
        r = hadoop.fs(*args)
        assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert "trash" in hadoop.fs("-help", "expunge").stdout.lower()


def test_truncate(hadoop, tmp_path):
    data = payload(70_000, seed=5)
    assert hadoop.fs("-put", str(local(tmp_path, "f", data)), "/f").exit_code == 0
    assert hadoop.fs("-chmod", "640", "/f").exit_code == 0
    r = hadoop.fs("-truncate", "-w", "1000", "/f")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "Truncated /f to length: 1000\n", "")
    assert hadoop.fs("-cat", "/f").stdout_bytes == data[:1000]
    assert hadoop.client_status("/f").mode & 0o777 == 0o640
    r = hadoop.fs("-truncate", "2000", "/f")
    assert r.exit_code == 255
    assert r.stderr.splitlines()[0] == (
        "-truncate: Cannot truncate to a larger file size. Current size: 1000, truncate size: 2000."
    )
    assert hadoop.fs("-mkdir", "/d").exit_code == 0
    r = hadoop.fs("-truncate", "0", "/d", "/nope")
    assert r.stderr.splitlines() == ["truncate: `/d': Is a directory",
                                     "truncate: `/nope': No such file or directory"]
    assert _names(hadoop, "/") == ["d", "f", "tmp", "user"]  # no ._COPYING_ left
