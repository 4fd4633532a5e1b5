"""Failing writes (a full or broken disk) in the edit log, image, block and meta writers.

A write that fails (``short``: some bytes then ENOSPC; ``enospc``; ``eio``) must fail its
operation with a clear one-line error and a non-zero exit, acknowledge nothing, and leave every
acknowledged operation readable after a restart; a ``partial`` write (one short write, then the
rest) must simply be finished. Child commands run through tests/faults/child.py, which counts
the durable writes they reach: the proof that the armed fault fired. In-process cases use
`dfs.faults.inject_write` and count the writes with a wrapper around `faults.write_fully`.
"""

from __future__ import annotations

import errno
import os
import random

import pytest

from dfs import faults
from dfs.minicluster import MiniCluster
from tests.faults.harness import (
    TALLY,
    Expect,
    check,
    expect_clean_failure,
    expect_write_fault,
    fs,
    hadoop,
    hadoop_logging_writes,
    run_child,
)

KEEP = random.Random(1).randbytes(70_000)
OLD = random.Random(2).randbytes(100_000)
NEW = random.Random(3).randbytes(150_000)
FAILING = ["short", "enospc", "eio"]
WORDS = {
    "short": ("No space left on device", "ENOSPC"),
    "enospc": ("No space left on device", "ENOSPC"),
    "eio": ("Input/output error", "EIO"),
}


def _cluster(base) -> MiniCluster:
    mc = MiniCluster(base)
    c = mc.client()
    c.mkdirs("/d")
    c.write_bytes("/d/keep", KEEP)
    c.write_bytes("/d/f", OLD)
    mc.close()
    return mc


def _source(tmp_path, name: str = "new.bin", data: bytes = NEW) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _follow_up(mc: MiniCluster, tmp_path) -> None:
    """The next command, with no fault, works: the failure did not break the cluster."""
    src = _source(tmp_path, "next.bin", b"next\n" * 1000)
    out = run_child(hadoop(*fs("-put", src, "/d/next")), mc)
    assert out.rc == 0, f"the command after the fault: {out.describe()}"


KEPT = {"/d/keep": KEEP, "/d/next": b"next\n" * 1000}


# ---- the edit log -----------------------------------------------------------------------------
def slow_but(values, *fast):
    """The parameter sets `values`: those in `fast` run by default, the others are slow."""
    return [v if v in fast else pytest.param(*v, marks=pytest.mark.slow) for v in values]


@pytest.mark.parametrize(
    "kind,nth",
    # put -f's 1st and 5th journaled operation
    slow_but([(k, n) for n in (1, 5) for k in FAILING], ("short", 1), ("eio", 1), ("enospc", 5)),
)
def test_put_f_with_a_failing_edit_log(tmp_path, kind, nth):
    mc = _cluster(tmp_path / "c")
    out = run_child(
        hadoop_logging_writes(*fs("-put", "-f", _source(tmp_path), "/d/f")),
        mc,
        write_fault=f"editlog:{kind}@{nth}",
    )
    expect_write_fault(out, "editlog", nth)
    expect_clean_failure(out, *WORDS[kind])
    _follow_up(mc, tmp_path)
    # the put was not acknowledged: /d/f still holds the old file, whole
    problems = check(mc, Expect(KEPT, {"/d/f": OLD}, {"/d/f": OLD}), False, f"editlog {kind}@{nth}")
    assert not problems, problems


def test_a_partial_edit_log_write_is_finished(tmp_path):
    mc = _cluster(tmp_path / "c")
    out = run_child(
        hadoop_logging_writes(*fs("-put", "-f", _source(tmp_path), "/d/f")),
        mc,
        write_fault="editlog:partial@2",
    )
    expect_write_fault(out, "editlog", 2)
    assert out.rc == 0, out.describe()
    problems = check(mc, Expect({"/d/keep": KEEP}, {}, {"/d/f": NEW}), True, "editlog partial")
    assert not problems, problems


@pytest.mark.slow
@pytest.mark.parametrize("kind", FAILING)
@pytest.mark.parametrize("nth", range(1, 9))
def test_every_edit_log_write_of_put_f(tmp_path, kind, nth):
    """A failure at each journaled operation of put -f; past the last one the put succeeds."""
    mc = _cluster(tmp_path / "c")
    out = run_child(
        hadoop_logging_writes(*fs("-put", "-f", _source(tmp_path), "/d/f")),
        mc,
        write_fault=f"editlog:{kind}@{nth}",
    )
    if out.writes.get("editlog", 0) < nth:
        assert out.rc == 0, out.describe()
        expect = Expect({"/d/keep": KEEP}, {}, {"/d/f": NEW})
        assert not check(mc, expect, True, f"put -f past its last edit ({kind}@{nth})")
        return
    expect_write_fault(out, "editlog", nth)
    expect_clean_failure(out, *WORDS[kind])
    _follow_up(mc, tmp_path)
    problems = check(mc, Expect(KEPT, {"/d/f": OLD}, {"/d/f": OLD}), False, f"editlog {kind}@{nth}")
    assert not problems, problems


def test_a_failed_append_does_not_poison_the_next_one(tmp_path):
    """In one command: the first file's create hits a short edit-log write; the second file goes
    on after it. The torn record must not stay in front of the second file's records (the next
    start would call the log corrupt, or drop the second file)."""
    mc = _cluster(tmp_path / "c")
    a = _source(tmp_path, "a.bin", b"a" * 5000)
    b = _source(tmp_path, "b.bin", b"b" * 70_000)
    out = run_child(
        hadoop_logging_writes(*fs("-put", a, b, "/d/")), mc, write_fault="editlog:short@1"
    )
    expect_write_fault(out, "editlog", 1)
    assert out.rc > 0, out.describe()
    assert "Traceback" not in out.stderr, out.describe()
    errors = out.stderr.strip().splitlines()
    assert len(errors) in (1, 2), out.describe()  # one line per failed file
    b_failed = len(errors) == 2
    after = {"/d/a.bin": None, "/d/b.bin": None if b_failed else b"b" * 70_000}
    problems = check(
        mc, Expect({"/d/keep": KEEP, "/d/f": OLD}, after, after), False, "put a b, editlog short@1"
    )
    assert not problems, problems


# ---- block and meta files ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "tag,kind",
    slow_but(
        [(t, k) for t in ("block", "meta") for k in FAILING], ("block", "short"), ("meta", "eio")
    ),
)
def test_put_f_with_a_failing_replica_write(tmp_path, tag, kind):
    """A datanode's disk fails: the put either goes on without that replica (HDFS's pipeline
    recovery) and is then complete, or fails cleanly and leaves the old file."""
    mc = _cluster(tmp_path / "c")
    out = run_child(
        hadoop_logging_writes(*fs("-put", "-f", _source(tmp_path), "/d/f")),
        mc,
        write_fault=f"{tag}:{kind}@2",
    )
    expect_write_fault(out, tag, 2)
    if out.rc != 0:
        expect_clean_failure(out, *WORDS[kind])
    acked = out.rc == 0
    state = {"/d/f": NEW if acked else OLD}
    problems = check(mc, Expect({"/d/keep": KEEP}, state, state), acked, f"{tag} {kind}@2")
    assert not problems, problems


# ---- the image --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind", ["short", *(pytest.param(k, marks=pytest.mark.slow) for k in ("enospc", "eio"))]
)
def test_a_failing_checkpoint_keeps_the_old_image(tmp_path, kind):
    """A command whose start checkpoints (the log is past dfs.namenode.checkpoint.txns) hits a
    failing image write: the old image and the log still hold everything."""
    mc = _cluster(tmp_path / "c")
    out = run_child(
        hadoop_logging_writes(*fs("-mkdir", "/d/new", **{"dfs.namenode.checkpoint.txns": 2})),
        mc,
        write_fault=f"fsimage:{kind}@1",
    )
    expect_write_fault(out, "fsimage", 1)
    if out.rc != 0:
        expect_clean_failure(out, *WORDS[kind])
    acked = out.rc == 0
    state = {"/d/new": "<dir>" if acked else None}
    expect = Expect({"/d/keep": KEEP, "/d/f": OLD}, state, state)
    problems = check(mc, expect, acked, f"checkpoint with fsimage {kind}")
    assert not problems, problems


# ---- in-process -------------------------------------------------------------------------------
@pytest.fixture
def writes(monkeypatch):
    """Counts of `faults.write_fully` calls per tag in this process."""
    counts: dict[str, int] = {}
    real = faults.write_fully

    def counting(fd, data, tag):  # noqa: ANN001, ANN202
        if memoryview(data).nbytes:  # as dfs.faults counts: an empty write reaches no fault
            counts[tag] = counts.get(tag, 0) + 1
        return real(fd, data, tag)

    monkeypatch.setattr(faults, "write_fully", counting)
    return counts


def _errno_in(e: BaseException | None) -> int | None:
    """The errno an error carries, or names (errors crossing the RPC seam keep only the text)."""
    while e is not None:
        if isinstance(e, OSError) and e.errno:
            return e.errno
        for code in (errno.ENOSPC, errno.EIO):
            if os.strerror(code) in str(e):
                return code
        e = e.__cause__ or e.__context__
    return None


@pytest.mark.parametrize("kind", FAILING)
def test_in_process_failed_edit_then_more_edits(tmp_path, writes, kind):
    """The process that saw the failure goes on (or refuses, as HDFS's NameNode would): either
    way what it acknowledged before and after survives a restart, and what failed is not
    there."""
    mc = MiniCluster(tmp_path)
    c = mc.client()
    c.write_bytes("/keep", KEEP)
    with faults.inject_write("editlog", kind), pytest.raises(Exception) as failed:
        c.mkdirs("/lost/x/y")
    assert writes.get("editlog"), "mkdirs did not write the edit log through faults.write_fully"
    assert _errno_in(failed.value) in (errno.ENOSPC, errno.EIO), repr(failed.value)
    TALLY.in_process += 1
    acknowledged = {"/keep": KEEP}
    try:
        c.write_bytes("/after", b"after")
        acknowledged["/after"] = b"after"
    except Exception as e:  # noqa: BLE001 - refusing further edits is allowed, silently losing them is not
        assert _errno_in(e) or "edit" in str(e).lower(), repr(e)
    mc.close()
    expect = Expect(acknowledged, {"/lost": None}, {"/lost": None})
    problems = check(mc, expect, False, f"in-process editlog {kind}")
    assert not problems, problems


def test_in_process_partial_writes_are_finished(tmp_path, writes):
    mc = MiniCluster(tmp_path)
    c = mc.client()
    for tag in ("editlog", "block", "meta"):
        with faults.inject_write(tag, "partial"):
            c.write_bytes(f"/{tag}", NEW)
        assert writes.get(tag), f"no write through faults.write_fully with tag {tag!r}"
        TALLY.in_process += 1
    mc.close()
    files = {f"/{tag}": NEW for tag in ("editlog", "block", "meta")}
    problems = check(mc, Expect(files, {}, {}), True, "in-process partial writes")
    assert not problems, problems


@pytest.mark.parametrize("kind", FAILING)
def test_in_process_failing_checkpoint(tmp_path, writes, kind):
    mc = MiniCluster(tmp_path)
    c = mc.client()
    c.write_bytes("/keep", KEEP)
    with faults.inject_write("fsimage", kind), pytest.raises(Exception) as failed:
        mc.cluster.namenode.checkpoint()
    assert writes.get("fsimage"), "the image is not written through faults.write_fully"
    assert _errno_in(failed.value) in (errno.ENOSPC, errno.EIO), repr(failed.value)
    TALLY.in_process += 1
    c.write_bytes("/after", b"after")
    mc.close()
    problems = check(
        mc,
        Expect({"/keep": KEEP, "/after": b"after"}, {}, {}),
        True,
        f"in-process checkpoint {kind}",
    )
    assert not problems, problems
