"""Report and number formats against Hadoop's documented/printed shapes, on hand-built inputs."""

from __future__ import annotations

import pytest

from dfs.admin import (
    FsckOptions,
    UsageError,
    byte_desc,
    format_fsck,
    format_percent,
    java_float,
    long2string,
)
from dfs.protocol import DatanodeInfo, FsckBlock, FsckFile, FsckReport, LocatedBlock
from dfs.shell import parse_mode, stat_format


@pytest.mark.parametrize("n, unit, decimals, expected", [
    (0, "", 1, "0"), (1023, "", 1, "1023"), (1024, "", 1, "1 K"), (1536, "", 1, "1.5 K"),
    (1280 * 1024, "", 1, "1.3 M"),  # 1.25 rounds half-up, as Java's String.format
    (3 * 1024**3, "", 1, "3 G"), (2**30 - 1, "", 1, "1.0 G"), (-2048, "", 1, "-2 K"),
    (24576, "B", 2, "24 KB"), (52710469632, "B", 2, "49.09 GB"), (100, "B", 2, "100 B"),
])
def test_long2string(n, unit, decimals, expected):
    assert long2string(n, unit, decimals) == expected


def test_small_formats():
    assert byte_desc(7183720448) == "6.69 GB"
    assert format_percent(0.125) == "13%" and format_percent(float("nan")) == "NaN%"
    assert [java_float(x) for x in (100.0, 0.0, 200 / 3, 3.0)] == [
        "100.0", "0.0", "66.666664", "3.0"]


def _node(i: int) -> DatanodeInfo:
    return DatanodeInfo(f"dn{i}", f"/rack{i % 2}", f"/s/dn{i}", 100, 10, 90, True, 0)


def _block(bid: int, length: int, live: int, corrupt: int = 0, missing: bool = False):
    lb = LocatedBlock(bid, 1001, 0, length, tuple(_node(i) for i in range(live)))
    return FsckBlock(lb, 3, live, corrupt, missing)


def test_fsck_corrupt_layout():
    good = FsckFile("/d/good", 10, False, 3, (_block(1, 10, 3),))
    bad = FsckFile("/d/bad", 30, False, 3,
                   (_block(2, 20, 0, missing=True), _block(3, 10, 0, corrupt=1, missing=True)))
    report = FsckReport(
        path="/d", files=(FsckFile("/d", 0, True, 0), good, bad), total_size=40, total_dirs=1,
        total_files=2, total_blocks=3, min_replicated=1, over_replicated=0, under_replicated=0,
        mis_replicated=0, corrupt_blocks=1, missing_blocks=1, missing_size=20,
        default_replication=3, avg_replication=1.0, datanodes=4, racks=2)
    text = format_fsck(report, FsckOptions(["/d"]), "alice", 0)
    lines = text.splitlines()
    assert lines[1].startswith("FSCK started by alice (auth:SIMPLE) from /127.0.0.1 for path /d")
    assert "/d/bad: CORRUPT blockpool BP-1-127.0.0.1-1 block blk_3_1001" in lines
    assert "/d/bad: MISSING 1 blocks of total size 20 B." in lines
    assert "/d/bad: CORRUPT 1 blocks of total size 10 B." in text
    for expected in ["Status: CORRUPT", "  CORRUPT FILES:\t1", "  MISSING BLOCKS:\t1",
                     "  MISSING SIZE:\t\t20 B", " Missing blocks:\t\t1", " Corrupt blocks:\t\t1",
                     " Minimally replicated blocks:\t1 (33.333332 %)"]:
        assert expected in lines, expected
    assert lines[-1] == "The filesystem under path '/d' is CORRUPT"
    files = format_fsck(report, FsckOptions(["/d", "-files", "-blocks"]), "alice", 0)
    assert "/d/good 10 bytes, replicated: replication=3, 1 block(s):  OK" in files
    assert "0. BP-1-127.0.0.1-1:blk_2_1001 len=20 MISSING!" in files
    assert "/d <dir>" in files.splitlines()


def test_fsck_options():
    opts = FsckOptions(["/x", "-files", "-racks"])
    assert (opts.path, opts.files, opts.blocks, opts.racks) == ("/x", True, True, True)
    with pytest.raises(UsageError):
        FsckOptions(["/a", "/b"])
    with pytest.raises(UsageError):
        FsckOptions(["-nope"])


@pytest.mark.parametrize("spec, before, is_dir, expected", [
    ("644", 0o777, False, 0o644), ("1777", 0, True, 0o1777), ("u+x", 0o644, False, 0o744),
    ("go-w", 0o666, False, 0o644), ("a=r", 0o777, False, 0o444), ("u=rwx,g=rx,o=", 0, True, 0o750),
    ("+x", 0o644, False, 0o755), ("a+X", 0o644, True, 0o755), ("a+X", 0o644, False, 0o644),
    ("o+t", 0o777, True, 0o1777), ("g+w,o-r", 0o644, False, 0o660),
])
def test_parse_mode(spec, before, is_dir, expected):
    assert parse_mode(spec, before, is_dir) == expected


@pytest.mark.parametrize("spec", ["u+q", "888", "12345", "x+r", "u", ""])
def test_parse_mode_rejects(spec):
    assert parse_mode(spec, 0o644, False) is None


def test_stat_format():
    from dfs.protocol import FileStatus

    st = FileStatus("/a/b.txt", 5, False, 2, 1024, 86_400_000, 0, "bob", "eng", 0o640)
    assert stat_format("%n %b %F %r %o %u:%g %a %A %y %Y %x %% %q", st) == (
        "b.txt 5 regular file 2 1024 bob:eng 640 -rw-r----- 1970-01-02 00:00:00 86400000 "
        "1970-01-01 00:00:00 %% %q")


def test_fsck_mis_replicated_block_line():
    nodes = tuple(DatanodeInfo(f"dn{i}", "/rack0", "/s", 100, 10, 90, True, 0) for i in range(3))
    block = FsckBlock(LocatedBlock(7, 1001, 0, 5, nodes), 3, 3, 0, False)
    report = FsckReport("/f", (FsckFile("/f", 5, False, 3, (block,)),), 5, 0, 1, 1, 1, 0, 0, 1,
                        0, 0, 0, 3, 3.0, 4, 2)
    text = format_fsck(report, FsckOptions(["/f", "-files"]), "alice", 0)
    assert ("/f 5 bytes, replicated: replication=3, 1 block(s):  Replica placement policy is "
            "violated for BP-1-127.0.0.1-1:blk_7_1001. Block should be additionally replicated "
            "on 1 more rack(s).") in text.splitlines()
    assert " OK" not in text
    assert " Mis-replicated blocks:\t\t1 (100.0 %)" in text.splitlines()
