"""Scout (session 18): `hadoop fs` / `hdfs dfs` against Hadoop's FileSystem Shell guide.

Each expected answer comes from the guide or from Hadoop's shell sources (named in the case:
fs/shell/CopyCommands, CommandWithDestination, Ls, Count, FsUsage, SetReplication,
TrashPolicyDefault) with sizes and times computed in plain Python here, never from an earlier
run of this shell.
"""

from __future__ import annotations

import grp
import os
import pwd
import time

import pytest

from tests.dfs.test_shell import Hadoop, local, payload


@pytest.fixture
def hadoop(tmp_path, monkeypatch) -> Hadoop:
    h = Hadoop(monkeypatch, str(tmp_path / "home"))
    assert h("namenode", "-format").exit_code == 0  # alice formats: alice is the superuser
    assert h.fs("-mkdir", "-p", "/user/alice").exit_code == 0
    return h


def _stat(h: Hadoop, fmt: str, path: str) -> str:
    r = h.fs("-stat", fmt, path)
    assert r.exit_code == 0, r.stderr
    return r.stdout.rstrip("\n")


def _file_of_bob(h: Hadoop, tmp_path, path: str = "/src/f") -> None:
    """A file owned by bob:eng, mode 640, modified at 2020-01-02 03:04:05 UTC."""
    assert h.fs("-mkdir", "-p", os.path.dirname(path)).exit_code == 0
    assert h.fs("-put", str(local(tmp_path, "f", b"12345")), path).exit_code == 0
    assert h.fs("-touch", "-m", "-t", "20200102:030405", path).exit_code == 0
    assert h.fs("-chmod", "640", path).exit_code == 0
    assert h.fs("-chown", "bob:eng", path).exit_code == 0


# ---- -cp -p / -p[topax] (CommandWithDestination.preserveAttributes) --------------------------
def test_cp_p_keeps_times_owner_group_and_permission(hadoop, tmp_path):
    """Guide, -cp: "If -p is specified with no arg, then preserves timestamps, ownership,
    permission"."""
    _file_of_bob(hadoop, tmp_path)
    r = hadoop.fs("-cp", "-p", "/src/f", "/copy")
    assert r.exit_code == 0, r.stderr
    assert _stat(hadoop, "%u:%g %a %y", "/copy") == "bob:eng 640 2020-01-02 03:04:05"
    assert hadoop.fs("-cat", "/copy").stdout == "12345"


def test_cp_p_with_letters_keeps_only_those(hadoop, tmp_path):
    """-p[topax]: t timestamps, o ownership, p permission (Cp.popPreserveOption)."""
    _file_of_bob(hadoop, tmp_path)
    assert hadoop.fs("-cp", "-pt", "/src/f", "/t").exit_code == 0
    assert _stat(hadoop, "%u:%g %a %y", "/t") == "alice:supergroup 644 2020-01-02 03:04:05"
    assert hadoop.fs("-cp", "-pp", "/src/f", "/p").exit_code == 0
    assert _stat(hadoop, "%u:%g %a", "/p") == "alice:supergroup 640"
    assert hadoop.fs("-cp", "-po", "/src/f", "/o").exit_code == 0
    assert _stat(hadoop, "%u:%g %a", "/o") == "bob:eng 644"
    assert hadoop.fs("-cp", "-ptopax", "/src/f", "/all").exit_code == 0
    assert _stat(hadoop, "%u:%g %a %y", "/all") == "bob:eng 640 2020-01-02 03:04:05"


def test_cp_p_letters_other_than_topax_are_a_usage_error(hadoop, tmp_path):
    _file_of_bob(hadoop, tmp_path)
    r = hadoop.fs("-cp", "-pq", "/src/f", "/q")
    assert r.exit_code == 255
    assert r.stderr.splitlines()[0] == "-cp: Illegal option -pq"
    assert hadoop.fs("-test", "-e", "/q").exit_code == 1


def test_cp_p_of_a_directory_tree(hadoop, tmp_path):
    _file_of_bob(hadoop, tmp_path, "/tree/sub/f")
    assert hadoop.fs("-chmod", "750", "/tree/sub").exit_code == 0
    assert hadoop.fs("-cp", "-p", "/tree", "/tree2").exit_code == 0
    assert _stat(hadoop, "%u:%g %a %y", "/tree2/sub/f") == "bob:eng 640 2020-01-02 03:04:05"
    assert _stat(hadoop, "%a", "/tree2/sub") == "750"


def test_cp_without_p_makes_the_copy_the_callers(hadoop, tmp_path):
    _file_of_bob(hadoop, tmp_path)
    before = int(time.time() * 1000) - 5000
    assert hadoop.fs("-cp", "/src/f", "/plain").exit_code == 0
    assert _stat(hadoop, "%u:%g %a", "/plain") == "alice:supergroup 644"
    assert int(_stat(hadoop, "%Y", "/plain")) >= before


def test_put_p_keeps_the_local_files_times_owner_and_mode(hadoop, tmp_path):
    """Guide, -put: "-p : Preserves access and modification times, ownership and the
    permissions"."""
    f = local(tmp_path, "loc", payload(300))
    os.chmod(f, 0o604)
    os.utime(f, (1_500_000_000, 1_600_000_000))
    st = os.stat(f)
    owner, group = pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name
    r = hadoop.fs("-put", "-p", str(f), "/up")
    assert r.exit_code == 0, r.stderr
    assert _stat(hadoop, "%Y %X %a", "/up") == "1600000000000 1500000000000 604"
    assert _stat(hadoop, "%u:%g", "/up") == f"{owner}:{group}"


# ---- -ls ordering and widths (Ls.initialiseOrderComparator, adjustColumnWidths) ---------------
def test_ls_size_order_and_reverse(hadoop, tmp_path):
    sizes = {"a": 30, "b": 1000, "c": 7, "d": 450}
    assert hadoop.fs("-mkdir", "/s").exit_code == 0
    for name, n in sizes.items():
        src = local(tmp_path, name, payload(n))
        assert hadoop.fs("-put", str(src), f"/s/{name}").exit_code == 0
    largest_first = [f"/s/{n}" for n in sorted(sizes, key=lambda n: -sizes[n])]
    r = hadoop.fs("-ls", "-S", "/s")
    assert [line.split()[-1] for line in r.stdout.splitlines()[1:]] == largest_first
    r = hadoop.fs("-ls", "-S", "-r", "/s")
    assert [line.split()[-1] for line in r.stdout.splitlines()[1:]] == largest_first[::-1]
    r = hadoop.fs("-ls", "-r", "/s")
    assert [line.split()[-1] for line in r.stdout.splitlines()[1:]] == sorted(
        largest_first, reverse=True
    )


def test_ls_time_order_newest_first(hadoop, tmp_path):
    assert hadoop.fs("-mkdir", "/t").exit_code == 0
    stamps = {"x": "20200101:000000", "y": "20220101:000000", "z": "20210101:000000"}
    for name, when in stamps.items():
        assert hadoop.fs("-touch", "-t", when, f"/t/{name}").exit_code == 0
    r = hadoop.fs("-ls", "-t", "/t")
    assert [line.split()[-1] for line in r.stdout.splitlines()[1:]] == ["/t/y", "/t/z", "/t/x"]
    r = hadoop.fs("-ls", "-t", "-r", "/t")
    assert [line.split()[-1] for line in r.stdout.splitlines()[1:]] == ["/t/x", "/t/z", "/t/y"]


def test_ls_column_widths_only_grow_across_arguments(hadoop, tmp_path):
    """Ls keeps maxOwner/maxGroup/maxLen in fields: a later argument's line is never
    narrower than an earlier one's."""
    _file_of_bob(hadoop, tmp_path, "/w/bob")
    assert hadoop.fs("-put", str(local(tmp_path, "g", b"x" * 12345678)), "/w/big").exit_code == 0
    r = hadoop.fs("-ls", "/w/big", "/w/bob")
    big, bob = r.stdout.splitlines()
    owner_w = len("alice")
    group_w = len("supergroup")
    assert bob.startswith(f"-rw-r-----   3 {'bob':<{owner_w}} {'eng':<{group_w}} {5:>10} ")
    assert big.startswith(f"-rw-r--r--   3 alice supergroup {12345678:>10} ")


# ---- -count / -du headers, -stat of directories, -test flags, -setrep -w ----------------------
def test_count_headers(hadoop, tmp_path):
    """Count: -v prints the header; -q adds the quota columns; -u shows only quotas."""
    assert hadoop.fs("-mkdir", "-p", "/c/d").exit_code == 0
    assert hadoop.fs("-put", str(local(tmp_path, "c1", b"abc")), "/c/d/f").exit_code == 0
    r = hadoop.fs("-count", "-v", "/c")
    assert r.stdout.splitlines() == [
        f"{'DIR_COUNT':>12}{'FILE_COUNT':>13}{'CONTENT_SIZE':>19} PATHNAME",
        f"{2:>12}{1:>13}{3:>19} /c",
    ]
    r = hadoop.fs("-count", "-q", "-v", "/c")
    head = r.stdout.splitlines()[0].split()
    assert head == ["QUOTA", "REM_QUOTA", "SPACE_QUOTA", "REM_SPACE_QUOTA", "DIR_COUNT",
                    "FILE_COUNT", "CONTENT_SIZE", "PATHNAME"]
    r = hadoop.fs("-count", "-u", "/c")
    assert r.stdout.split() == ["none", "inf", "none", "inf", "/c"]


def test_du_header_and_replicated_space(hadoop, tmp_path):
    assert hadoop.fs("-mkdir", "/u").exit_code == 0
    assert hadoop.fs("-put", str(local(tmp_path, "u1", payload(100))), "/u/a").exit_code == 0
    assert hadoop.fs("-setrep", "2", "/u/a").exit_code == 0
    r = hadoop.fs("-du", "-v", "/u")
    head, row = r.stdout.splitlines()
    assert head.split() == ["SIZE", "DISK_SPACE_CONSUMED_WITH_ALL_REPLICAS", "FULL_PATH_NAME"]
    assert row.split() == ["100", "200", "/u/a"]
    r = hadoop.fs("-du", "-s", "/u")
    assert r.stdout.split() == ["100", "200", "/u"]


def test_stat_of_a_directory(hadoop):
    assert hadoop.fs("-mkdir", "/sd").exit_code == 0
    assert _stat(hadoop, "%F %b %r %n %u", "/sd") == "directory 0 0 sd alice"


def test_test_flags(hadoop, tmp_path):
    assert hadoop.fs("-mkdir", "/tf").exit_code == 0
    assert hadoop.fs("-touchz", "/tf/empty").exit_code == 0
    assert hadoop.fs("-put", str(local(tmp_path, "t1", b"x")), "/tf/full").exit_code == 0
    expect = {
        ("-d", "/tf"): 0, ("-d", "/tf/full"): 1, ("-e", "/tf/none"): 1, ("-e", "/tf"): 0,
        ("-f", "/tf/full"): 0, ("-f", "/tf"): 1, ("-s", "/tf/full"): 0, ("-s", "/tf/empty"): 1,
        ("-z", "/tf/empty"): 0, ("-z", "/tf/full"): 1,
    }
    for (flag, path), code in expect.items():
        r = hadoop.fs("-test", flag, path)
        assert (r.exit_code, r.stdout, r.stderr) == (code, "", ""), (flag, path)


def test_setrep_w_waits_and_reports(hadoop, tmp_path):
    """SetReplication: "Replication N set: path", then with -w "Waiting for path ... done"."""
    assert hadoop.fs("-put", str(local(tmp_path, "r1", b"abc")), "/r").exit_code == 0
    r = hadoop.fs("-setrep", "-w", "2", "/r")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["Replication 2 set: /r", "Waiting for /r ... done"]
    assert _stat(hadoop, "%r", "/r") == "2"


# ---- `hdfs dfs` (HDFS user guide: bin/hdfs dfs, hdfs fsck, hdfs dfsadmin) ---------------------
def test_hdfs_command_runs_the_same_shell(hadoop, tmp_path, capsys):
    from mapred.cli import hdfs_main

    assert hadoop.fs("-put", str(local(tmp_path, "h1", b"hello\n")), "/h").exit_code == 0
    capsys.readouterr()
    for argv, want in (
        (["dfs", "-cat", "/h"], "hello\n"),
        (["dfs", "-test", "-e", "/h"], ""),
    ):
        with pytest.raises(SystemExit) as e:
            hdfs_main(argv)
        assert e.value.code == 0
        assert capsys.readouterr().out == want
    with pytest.raises(SystemExit) as e:
        hdfs_main(["fsck", "/"])
    assert e.value.code == 0
    assert "is HEALTHY" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        hdfs_main(["nosuch"])
    assert e.value.code == 1
    assert capsys.readouterr().err.startswith("hdfs: unknown command 'nosuch'")
    with pytest.raises(SystemExit):
        hdfs_main(["--help"])
    assert capsys.readouterr().out.startswith("Usage: hdfs [OPTIONS] SUBCOMMAND")
    r = hadoop("nosuch")  # the same group under click's runner stays hadoop
    assert r.stderr.startswith("hadoop: unknown command 'nosuch'")
    assert hadoop("--help").stdout.startswith("Usage: hadoop [OPTIONS] SUBCOMMAND")


# ---- the trash (guide: -rm, -skipTrash, -expunge; TrashPolicyDefault) ---------------------------
TRASH = ("-D", "fs.trash.interval=5")


def _put_text(h: Hadoop, tmp_path, path: str, text: bytes = b"kept\n") -> None:
    assert h.fs("-mkdir", "-p", os.path.dirname(path)).exit_code == 0
    assert h.fs("-put", "-f", str(local(tmp_path, "t", text)), path).exit_code == 0


def test_rm_with_trash_moves_into_current(hadoop, tmp_path):
    """"If trash is enabled, file system instead moves the deleted file to a trash directory";
    the trash of alice is /user/alice/.Trash, the file keeps its full path under Current."""
    _put_text(hadoop, tmp_path, "/data/f")
    r = hadoop.fs(*TRASH, "-rm", "/data/f")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""  # "Deleted" is only for a real delete
    assert r.stderr.rstrip("\n").endswith(
        "INFO fs.TrashPolicyDefault: Moved: 'dfs:///data/f' to trash at: "
        "dfs:///user/alice/.Trash/Current/data/f"
    )
    assert hadoop.fs("-test", "-e", "/data/f").exit_code == 1
    assert hadoop.fs("-cat", "/user/alice/.Trash/Current/data/f").stdout == "kept\n"
    assert _stat(hadoop, "%a", "/user/alice/.Trash") == "700"


def test_rm_with_trash_a_taken_name_gets_the_time_appended(hadoop, tmp_path):
    for text in (b"one\n", b"two\n"):
        _put_text(hadoop, tmp_path, "/data/f", text)
        before = int(time.time() * 1000)
        assert hadoop.fs(*TRASH, "-rm", "/data/f").exit_code == 0
    r = hadoop.fs("-ls", "-C", "/user/alice/.Trash/Current/data")
    first, second = r.stdout.splitlines()
    assert first == "/user/alice/.Trash/Current/data/f"
    assert second.startswith(first) and int(second[len(first):]) >= before
    assert hadoop.fs("-cat", second).stdout == "two\n"


def test_rm_with_trash_directories_skip_trash_and_the_trash_itself(hadoop, tmp_path):
    _put_text(hadoop, tmp_path, "/dir/sub/f")
    r = hadoop.fs(*TRASH, "-rm", "/dir")  # a directory still needs -r
    assert (r.exit_code, r.stderr) == (1, "rm: `/dir': Is a directory\n")
    assert hadoop.fs(*TRASH, "-rm", "-r", "/dir/sub").exit_code == 0
    assert hadoop.fs("-cat", "/user/alice/.Trash/Current/dir/sub/f").stdout == "kept\n"
    r = hadoop.fs(*TRASH, "-rm", "-r", "-skipTrash", "/dir")
    assert (r.exit_code, r.stdout) == (0, "Deleted /dir\n")
    r = hadoop.fs(*TRASH, "-rm", "-r", "/user/alice/.Trash/Current/dir")  # already in the trash
    assert (r.exit_code, r.stdout) == (0, "Deleted /user/alice/.Trash/Current/dir\n")
    r = hadoop.fs(*TRASH, "-rm", "-r", "/user")
    assert r.exit_code == 1
    assert r.stderr == (
        'rm: Cannot move "/user" to the trash, as it contains the trash. '
        "Consider using -skipTrash option\n"
    )
    assert hadoop.fs("-test", "-d", "/user/alice").exit_code == 0


def test_rm_without_trash_deletes(hadoop, tmp_path):
    """fs.trash.interval defaults to 0: "the trash feature is disabled by default"."""
    _put_text(hadoop, tmp_path, "/data/f")
    r = hadoop.fs("-rm", "/data/f")
    assert (r.exit_code, r.stdout) == (0, "Deleted /data/f\n")
    assert hadoop.fs("-test", "-e", "/user/alice/.Trash").exit_code == 1


def test_expunge_checkpoints_then_immediate_empties(hadoop, tmp_path):
    """-expunge: "create new checkpoint. When checkpoint is created, recently deleted files in
    trash are moved under the checkpoint"; -immediate "deletes all files in trash"."""
    _put_text(hadoop, tmp_path, "/data/f")
    assert hadoop.fs(*TRASH, "-rm", "/data/f").exit_code == 0
    start = time.strftime("%y%m%d%H%M%S")
    r = hadoop.fs(*TRASH, "-expunge")
    assert r.exit_code == 0, r.stderr
    names = hadoop.fs("-ls", "-C", "/user/alice/.Trash").stdout.splitlines()
    assert len(names) == 1
    checkpoint = names[0].rsplit("/", 1)[1]
    assert len(checkpoint) == 12 and checkpoint.isdigit() and checkpoint >= start
    assert hadoop.fs("-cat", f"{names[0]}/data/f").stdout == "kept\n"
    r = hadoop.fs(*TRASH, "-expunge")  # younger than the interval: kept; nothing new to move
    assert hadoop.fs("-ls", "-C", "/user/alice/.Trash").stdout.splitlines() == names
    _put_text(hadoop, tmp_path, "/data/g")
    assert hadoop.fs(*TRASH, "-rm", "/data/g").exit_code == 0
    r = hadoop.fs(*TRASH, "-expunge", "-immediate")
    assert r.exit_code == 0, r.stderr
    assert hadoop.fs("-ls", "-C", "/user/alice/.Trash").stdout == ""


# ---- dfsadmin -printTopology (HDFS user guide's dfsadmin list; DFSAdmin.printTopology) --------
def test_dfsadmin_print_topology_matches_the_report(hadoop):
    """Racks in name order, each ``Rack: r`` then ``   IP:port (host)`` lines in name order and
    a blank line; the nodes and racks are the ones ``-report`` lists."""
    report = hadoop("dfsadmin", "-report").stdout.splitlines()
    racks: dict[str, list[str]] = {}
    for i, line in enumerate(report):
        if line.startswith("Name: "):
            rack = report[i + 2].removeprefix("Rack: ")
            racks.setdefault(rack, []).append(line.removeprefix("Name: "))
    assert sum(len(v) for v in racks.values()) == 4 and len(racks) == 2  # dfs.datanodes, racks
    want = "".join(
        f"Rack: {rack}\n" + "".join(f"   {n}\n" for n in sorted(racks[rack])) + "\n"
        for rack in sorted(racks)
    )
    r = hadoop("dfsadmin", "-printTopology")
    assert (r.exit_code, r.stdout) == (0, want)


# ---- -text codecs, -getmerge with several sources, deprecated commands, -concat ---------------
def test_text_decodes_bzip2_and_deflate_by_name(hadoop, tmp_path):
    """Display.Text: gzip by its magic, otherwise the codec the file name's extension names
    (BZip2Codec .bz2, DefaultCodec .deflate = zlib)."""
    import bz2
    import gzip
    import zlib

    text = b"".join(b"line %d\n" % i for i in range(500))
    for name, data in (("t.bz2", bz2.compress(text)), ("t.deflate", zlib.compress(text)),
                       ("t.gz", gzip.compress(text)), ("t.txt", text)):
        assert hadoop.fs("-put", str(local(tmp_path, name, data)), f"/{name}").exit_code == 0
        r = hadoop.fs("-text", f"/{name}")
        assert (r.exit_code, r.stdout_bytes) == (0, text), name
    r = hadoop.fs("-cat", "/t.bz2")
    assert r.stdout_bytes == bz2.compress(text)  # -cat copies the bytes as they are


def test_getmerge_of_several_sources(hadoop, tmp_path):
    """Guide: hadoop fs -getmerge -nl /src/file1.txt /src/file2.txt /output.txt."""
    for name, data in (("file1.txt", b"one"), ("file2.txt", b"two\n")):
        assert hadoop.fs("-put", str(local(tmp_path, name, data)), f"/{name}").exit_code == 0
    out = tmp_path / "output.txt"
    r = hadoop.fs("-getmerge", "-nl", "/file1.txt", "/file2.txt", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() == b"one\ntwo\n\n"
    r = hadoop.fs("-getmerge", "/file1.txt", str(tmp_path))  # Merge: the target is a directory
    assert (r.exit_code, r.stderr) == (1, f"getmerge: `{tmp_path}': Is a directory\n")


@pytest.mark.parametrize(
    "old, new, flag", [("lsr", "ls", "-R"), ("rmr", "rm", "-r"), ("dus", "du", "-s")]
)
def test_deprecated_commands_warn_and_run(hadoop, tmp_path, old, new, flag):
    """Ls.Lsr, Delete.Rmr, FsUsage.Dus: Command.run warns "<name>: DEPRECATED: Please use
    '<replacement>' instead." on stderr, then runs as the replacement."""
    _put_text(hadoop, tmp_path, "/dep/sub/f")
    want = hadoop.fs(f"-{new}", flag, "/dep").stdout if old != "rmr" else "Deleted /dep\n"
    r = hadoop.fs(f"-{old}", "/dep")
    assert r.exit_code == 0
    assert r.stderr == f"{old}: DEPRECATED: Please use '{new} {flag}' instead.\n"
    assert r.stdout == want
    r = hadoop.fs(f"-{old}", "/nope")
    assert r.stderr.splitlines()[-1] == f"{old}: `/nope': No such file or directory"


def test_concat(hadoop, tmp_path):
    """Guide: "-concat <target file> <source files>: Concatenate existing source files into
    the target file. Target file and source files should be in the same directory." The
    sources are gone afterwards (HDFS moves their blocks)."""
    parts = [b"alpha\n", b"beta\n" * 1000, b"gamma"]
    assert hadoop.fs("-mkdir", "/c").exit_code == 0
    for i, data in enumerate(parts):
        assert hadoop.fs("-put", str(local(tmp_path, f"p{i}", data)), f"/c/p{i}").exit_code == 0
    r = hadoop.fs("-concat", "/c/p0", "/c/p1", "/c/p2")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert hadoop.fs("-cat", "/c/p0").stdout_bytes == b"".join(parts)
    assert hadoop.fs("-ls", "-C", "/c").stdout == "/c/p0\n"
    _put_text(hadoop, tmp_path, "/other/x")
    _put_text(hadoop, tmp_path, "/c/q")
    r = hadoop.fs("-concat", "/c/p0", "/c/q", "/other/x")
    assert r.exit_code == 1
    assert r.stderr == (
        "concat: Source file /other/x is not in the same directory with the target /c/p0\n"
    )
    assert hadoop.fs("-cat", "/c/p0").stdout_bytes == b"".join(parts)  # nothing changed
    r = hadoop.fs("-concat", "/c/p0", "/c/nope", "/c/q")
    assert (r.exit_code, r.stderr) == (1, "concat: `/c/nope': No such file or directory\n")


# ---- -ls -q, -test -r/-w by the NameNode's permission rules ------------------------------------
def test_ls_q_shows_non_printable_characters_as_question_marks(hadoop):
    """Guide, -ls: "-q: Print ? instead of non-printable characters" (Ls's PrintableString:
    control, format, private-use, surrogate and unassigned characters)."""
    assert hadoop.fs("-mkdir", "/q").exit_code == 0
    assert hadoop.fs("-touchz", "/q/a\tb\u200bc").exit_code == 0
    assert hadoop.fs("-ls", "-q", "-C", "/q").stdout == "/q/a?b?c\n"
    assert hadoop.fs("-ls", "-q", "/q").stdout.splitlines()[1].endswith(" /q/a?b?c")
    assert hadoop.fs("-ls", "-C", "/q").stdout == "/q/a\tb\u200bc\n"


def test_test_r_and_w_follow_the_namenodes_permission_check(hadoop, tmp_path):
    """-test -r/-w: "return 0 if the path exists and read/write permission is granted";
    HDFS's FSPermissionChecker lets the superuser (alice formatted) do anything."""
    _file_of_bob(hadoop, tmp_path, "/p/f")  # bob:eng 640
    assert hadoop.fs("-chmod", "600", "/p/f").exit_code == 0
    assert hadoop.fs("-cat", "/p/f").stdout == "12345"  # alice may read it...
    assert hadoop.fs("-test", "-r", "/p/f").exit_code == 0  # ... so -test -r says yes
    assert hadoop.fs("-test", "-w", "/p/f").exit_code == 0


def test_copy_thread_options_are_accepted(hadoop, tmp_path):
    """Guide (3.3): -put/-copyFromLocal/-get/-copyToLocal/-cp take -t <thread count> and
    -q <thread pool queue size>; a value that is not a number is a usage error
    (Integer.parseInt's NumberFormatException: 'For input string: "x"')."""
    src = local(tmp_path, "tq", b"threads\n")
    assert hadoop.fs("-put", "-t", "4", "-q", "16", str(src), "/tq").exit_code == 0
    assert hadoop.fs("-copyFromLocal", "-t", "2", str(src), "/tq2").exit_code == 0
    assert hadoop.fs("-cp", "-t", "2", "/tq", "/tq3").exit_code == 0
    assert hadoop.fs("-get", "-t", "2", "/tq3", str(tmp_path / "back")).exit_code == 0
    assert (tmp_path / "back").read_bytes() == b"threads\n"
    r = hadoop.fs("-put", "-t", "x", str(src), "/tq4")
    assert r.exit_code == 255
    assert r.stderr.splitlines()[0] == '-put: For input string: "x"'


def test_getfacl_prints_the_minimal_acl(hadoop, tmp_path):
    """AclCommands.GetfaclCommand: '# file/# owner/# group', '# flags: --t' for the sticky
    bit, the ACL entries the permission bits make (user::, group::, other::), a blank line;
    -R walks below a directory."""
    _file_of_bob(hadoop, tmp_path, "/acl/f")  # bob:eng 640
    assert hadoop.fs("-chmod", "1751", "/acl").exit_code == 0
    r = hadoop.fs("-getfacl", "-R", "/acl")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "# file: /acl\n# owner: alice\n# group: supergroup\n# flags: --t\n"
        "user::rwx\ngroup::r-x\nother::--x\n\n"
        "# file: /acl/f\n# owner: bob\n# group: eng\n"
        "user::rw-\ngroup::r--\nother::---\n\n"
    )
    assert hadoop.fs("-chmod", "1750", "/acl").exit_code == 0
    assert "# flags: --T\n" in hadoop.fs("-getfacl", "/acl").stdout
    r = hadoop.fs("-getfacl")
    assert (r.exit_code, r.stderr.splitlines()[0]) == (255, "-getfacl: <path> is missing")


def test_cat_and_text_read_file_uris(hadoop, tmp_path):
    """Guide, -cat: hadoop fs -cat file:///file3 /user/hadoop/file4 (FsShell reads any
    filesystem a URI names; the local one for file:)."""
    import gzip

    local(tmp_path, "file3", b"local three\n")
    local(tmp_path, "file3.gz", gzip.compress(b"zipped\n"))
    assert hadoop.fs("-put", str(local(tmp_path, "f4", b"dfs four\n")), "/file4").exit_code == 0
    r = hadoop.fs("-cat", f"file://{tmp_path}/file3", "/file4")
    assert (r.exit_code, r.stdout) == (0, "local three\ndfs four\n")
    r = hadoop.fs("-text", f"file://{tmp_path}/file3.gz")
    assert (r.exit_code, r.stdout) == (0, "zipped\n")
    r = hadoop.fs("-cat", f"file://{tmp_path}/none", f"file://{tmp_path}")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"cat: `file://{tmp_path}/none': No such file or directory",
        f"cat: `file://{tmp_path}': Is a directory",
    ]


def test_count_e_and_x(hadoop, tmp_path):
    """Count (3.x): -e appends the erasure coding policy ('Replicated' for a replicated
    path, header ERASURECODING_POLICY); -x leaves out snapshots and with -q/-u is ignored
    with a line saying so."""
    _put_text(hadoop, tmp_path, "/ce/f")
    r = hadoop.fs("-count", "-v", "-e", "/ce")
    assert r.stdout.splitlines() == [
        f"{'DIR_COUNT':>12}{'FILE_COUNT':>13}{'CONTENT_SIZE':>19} ERASURECODING_POLICY PATHNAME",
        f"{1:>12}{1:>13}{5:>19} Replicated /ce",
    ]
    assert hadoop.fs("-count", "-x", "/ce").stdout == f"{1:>12}{1:>13}{5:>19} /ce\n"
    r = hadoop.fs("-count", "-x", "-q", "/ce")
    assert r.stdout.splitlines()[0] == "q or u option is given, the -x option is ignored."


def test_ls_e_shows_the_erasure_coding_policy(hadoop, tmp_path):
    """Ls -e (3.x): ' %<maxEC>s ' after the replication column (Ls.adjustColumnWidths);
    'Replicated' for every path here."""
    _put_text(hadoop, tmp_path, "/le/f")
    st = hadoop.client_status("/le/f")
    r = hadoop.fs("-ls", "-e", "/le")
    line = r.stdout.splitlines()[1]
    assert line.startswith(f"-rw-r--r--   3  Replicated alice supergroup {st.length:>10} ")
    assert line.endswith(" /le/f")
