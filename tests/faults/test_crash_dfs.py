"""SIGKILL a ``hadoop fs`` command at named crash points; reopen; nothing acknowledged is lost.

Each case builds a cluster in a known "before" state (acknowledged by the test itself), runs a
real command in a child process with ``MINIHADOOP_CRASH_AT=point@N``, asserts that the child
died by SIGKILL at that point (the crash log names it), then reopens the cluster as the next
command would and checks (tests/faults/harness.py): the before state survived, the command's
paths hold its before or its after state and never a mix, and fsck agrees with a reader.

``namenode.after_journal@N`` stops a command after its N-th journaled namespace operation, so
the sweeps (N = 1, 2, ... until the command completes) visit the gap between every pair of
namespace operations the command makes. The sweeps are marked slow; a few single kills stay in
the default run.
"""

from __future__ import annotations

import random
import shutil

import pytest

from dfs.minicluster import MiniCluster
from tests.faults.harness import (
    DIR,
    JOURNAL,
    Expect,
    absent,
    check,
    expect_clean_failure,
    expect_kill,
    expect_write_fault,
    fs,
    hadoop,
    hadoop_logging_writes,
    require_point,
    run_child,
    sweep,
    tree,
)

KEEP = random.Random(1).randbytes(70_000)  # /d/keep: acknowledged before every command
OLD = random.Random(2).randbytes(100_000)  # the file a put -f replaces
NEW = random.Random(3).randbytes(150_000)  # 3 blocks of 64 KiB
TREE = {"a": b"alpha\n" * 10, "sub/b": random.Random(4).randbytes(80_000), "sub/c/e": b""}


def _cluster(base, n, setup) -> MiniCluster:
    mc = MiniCluster(base / f"run{n}")
    c = mc.client()
    c.mkdirs("/d")
    c.write_bytes("/d/keep", KEEP)
    setup(c)
    mc.close()
    return mc


def _write_tree(c, base):
    for name, data in TREE.items():
        c.write_bytes(f"{base}/{name}", data)
    c.mkdirs(f"{base}/empty")


TREE_STATE = tree("/d/t", TREE, dirs=["empty"])
MOVED_STATE = tree("/d/moved", TREE, dirs=["empty"])


# ---- the commands and what they promise --------------------------------------------------------
def put_case(tmp_path, force: bool, new: bytes = NEW):
    src = tmp_path / "new.bin"
    src.write_bytes(new)
    before = OLD if force else None

    def make(n):
        mc = _cluster(tmp_path, n, lambda c: c.write_bytes("/d/f", OLD) if force else None)
        return mc, Expect({"/d/keep": KEEP}, {"/d/f": before}, {"/d/f": new})

    return make, hadoop(*fs("-put", *(["-f"] if force else []), str(src), "/d/f"))


def rm_case(tmp_path):
    def make(n):
        mc = _cluster(tmp_path, n, lambda c: _write_tree(c, "/d/t"))
        return mc, Expect({"/d/keep": KEEP}, TREE_STATE, absent(TREE_STATE))

    return make, hadoop(*fs("-rm", "-r", "/d/t"))


def mv_case(tmp_path):
    def make(n):
        mc = _cluster(tmp_path, n, lambda c: _write_tree(c, "/d/t"))
        before = {**TREE_STATE, **absent(MOVED_STATE)}
        after = {**absent(TREE_STATE), **MOVED_STATE}
        return mc, Expect({"/d/keep": KEEP}, before, after)

    return make, hadoop(*fs("-mv", "/d/t", "/d/moved"))


def mkdir_case(tmp_path):
    dirs = {"/m": DIR, "/m/x": DIR, "/m/x/y": DIR, "/m/x/y/z": DIR}

    def make(n):
        mc = _cluster(tmp_path, n, lambda c: None)
        return mc, Expect({"/d/keep": KEEP}, absent(dirs), dirs)

    return make, hadoop(*fs("-mkdir", "-p", "/m/x/y/z"))


CASES = {
    "put": lambda p: put_case(p, False),
    "put -f": lambda p: put_case(p, True),
    "rm -r": rm_case,
    "mv": mv_case,
    "mkdir -p": mkdir_case,
}


def kill_once(tmp_path, case: str, point: str, n: int = 1) -> None:
    make, argv = CASES[case](tmp_path)
    mc, expect = make(n)
    out = run_child(argv, mc, crash=f"{point}@{n}")
    expect_kill(out, point)
    problems = check(mc, expect, False, f"{case}, killed at {point}@{n}")
    assert not problems, problems


# ---- default run: a representative handful --------------------------------------------------
@pytest.mark.parametrize(
    "case,n",
    [("put", 2), ("put -f", 1), ("rm -r", 1), ("mv", 1), ("mkdir -p", 1)],
)
def test_kill_after_a_journaled_operation(tmp_path, case, n):
    kill_once(tmp_path, case, JOURNAL, n)


def test_kill_before_the_first_journal_append(tmp_path):
    kill_once(tmp_path, "put -f", "namenode.before_journal", 1)


def test_put_f_sweep_never_leaves_the_path_missing(tmp_path):
    """Every gap between put -f's namespace operations (HDFS: overwrite is one rename), for a
    one-block file (the slow sweeps do it for three blocks)."""
    make, argv = put_case(tmp_path, True, new=NEW[:50_000])
    result = sweep(make, argv)
    assert result.kills >= 3  # create, add_block, close at least
    assert not result.problems, result.problems


def test_the_console_script_dies_at_the_point(tmp_path):
    """The installed ``hadoop`` script (not just the module) honours the crash switch."""
    exe = shutil.which("hadoop")
    if exe is None:
        pytest.skip("the hadoop console script is not on PATH (pip install -e .)")
    make, argv = put_case(tmp_path, False)
    mc, expect = make(1)
    out = run_child([exe, *argv[3:]], mc, crash=f"{JOURNAL}@3")
    expect_kill(out, JOURNAL)
    assert not check(mc, expect, False, "hadoop fs -put (console script)")


# ---- named points inside put ------------------------------------------------------------------
PUT_POINTS = [
    ("datanode.block_mid_write", 1),
    ("datanode.block_mid_write", 3),
    ("datanode.before_finalize", 1),
    ("datanode.before_finalize", 2),
    ("datanode.after_finalize_meta", 1),
    ("datanode.after_finalize_meta", 7),
    ("client.before_complete", 1),
    ("shell.put.before_rename", 1),
]


@pytest.mark.parametrize(
    "case,point,n",
    [
        ("put", "datanode.block_mid_write", 1),
        ("put -f", "client.before_complete", 1),
        ("put -f", "shell.put.before_rename", 1),
    ],
)
def test_kill_inside_put(tmp_path, case, point, n):
    require_point(point)
    kill_once(tmp_path, case, point, n)


@pytest.mark.slow
@pytest.mark.parametrize("point,n", PUT_POINTS)
@pytest.mark.parametrize("case", ["put", "put -f"])
def test_kill_inside_put_everywhere(tmp_path, case, point, n):
    require_point(point)
    kill_once(tmp_path, case, point, n)


# ---- slow: every gap between namespace operations of every command ----------------------------
@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("point", [JOURNAL, "namenode.before_journal"])
def test_sweep_every_journaled_operation(tmp_path, case, point):
    make, argv = CASES[case](tmp_path)
    result = sweep(make, argv, point)
    assert result.kills >= 1
    assert not result.problems, result.problems


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    ["datanode.block_mid_write", "datanode.before_finalize", "datanode.after_finalize_meta"],
)
def test_sweep_every_block_point_of_put_f(tmp_path, point):
    """put -f of 3 blocks x 3 replicas: a kill at each replica's write, finalize and meta."""
    require_point(point)
    make, argv = put_case(tmp_path, True)
    result = sweep(make, argv, point)
    assert result.kills >= 3
    assert not result.problems, result.problems


@pytest.mark.slow
def test_sweep_put_of_many_files(tmp_path):
    """put of a local directory: a command of dozens of namespace operations."""
    src = tmp_path / "srcdir"
    files = {f"f{i}": random.Random(i).randbytes(1000 * i) for i in range(6)}
    (src / "deep").mkdir(parents=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    (src / "deep" / "g").write_bytes(b"g" * 70_000)
    after = tree("/d/srcdir", {**files, "deep/g": b"g" * 70_000})

    def make(n):
        mc = _cluster(tmp_path, n, lambda c: None)
        # each file of a directory put is its own acknowledged step: any prefix may be found,
        # so only each file's own all-or-nothing is checked (the extra check below)
        return mc, Expect(
            {"/d/keep": KEEP}, {}, {}, debris=_debris_or_tree(after), extra=_each_whole(after)
        )

    result = sweep(make, hadoop(*fs("-put", str(src), "/d/")))
    assert result.kills >= 10
    assert not result.problems, result.problems


def _each_whole(after):
    def extra(snap, acknowledged):
        problems = []
        for path, want in after.items():
            got = snap.get(path)
            if got != want and (acknowledged or got is not None):
                problems.append(f"{path} half-visible: {got!r:.60} instead of {want!r:.60}")
        return problems

    return extra


def _debris_or_tree(after):
    return lambda path: "._COPYING_" in path or path in after


# ---- a full disk under each command -------------------------------------------------------------
@pytest.mark.parametrize(
    "case,kind",
    [
        ("mkdir -p", "short"),
        ("rm -r", "enospc"),
        *(
            pytest.param(case, kind, marks=pytest.mark.slow)
            for case in ("put", "mv", "mkdir -p", "rm -r")
            for kind in ("short", "enospc", "eio")
            if (case, kind) not in {("mkdir -p", "short"), ("rm -r", "enospc")}
        ),
    ],
)
def test_a_failing_edit_log_write_fails_the_command_whole(tmp_path, case, kind):
    """The command's first namespace operation meets a full (or broken) disk: one clear line,
    a non-zero exit, and the command's paths exactly as they were."""
    make, argv = CASES[case](tmp_path)
    mc, expect = make(1)
    out = run_child(hadoop_logging_writes(*argv[3:]), mc, write_fault=f"editlog:{kind}@1")
    expect_write_fault(out, "editlog", 1)
    expect_clean_failure(out, "No space left on device" if kind != "eio" else "Input/output error")
    unchanged = Expect(expect.keep, expect.before, expect.before)
    problems = check(mc, unchanged, False, f"{case} with editlog {kind}@1")
    assert not problems, problems
