"""SIGKILL a run of commands that keeps checkpointing; every acknowledged operation survives.

A driver runs a fixed sequence of operations, one embedded-cluster "command" each (as a shell
loop of ``hadoop fs`` calls would), with ``dfs.namenode.checkpoint.txns`` so small that nearly
every command starts with a checkpoint (image written, edit log restarted), and prints the
number of each operation once it is acknowledged. It is killed at the checkpoint's own crash
points and after each journaled operation; the reopened cluster must hold exactly the state
after the acknowledged operations, or that plus the one in flight, whole.
"""

from __future__ import annotations

import random
import sys
import textwrap

import pytest

from dfs.minicluster import MiniCluster
from tests.faults.harness import (
    DIR,
    JOURNAL,
    MAX_SWEEP,
    Expect,
    check,
    crash_points,
    expect_kill,
    run_child,
)

OPS = 12
TXNS = 3

DRIVER = textwrap.dedent(
    f"""
    import random, sys
    from dfs.cluster import connect
    from dfs.conf import Configuration

    conf = Configuration({{"minihadoop.home": sys.argv[1], "dfs.blocksize": 65536,
                          "dfs.namenode.checkpoint.txns": {TXNS}}}, load_site=False)
    for i in range({OPS}):
        with connect(conf) as c:
            if i % 4 == 0:
                c.write_bytes(f"/c/f{{i}}", random.Random(i).randbytes(1000 + 30_000 * (i % 3)))
            elif i % 4 == 1:
                c.mkdirs(f"/c/d{{i}}/x")
            elif i % 4 == 2:
                c.rename(f"/c/f{{i - 2}}", f"/c/g{{i - 2}}")
            else:
                c.delete(f"/c/d{{i - 2}}", recursive=True)
        print(i, flush=True)
    """
)


def state_after(k: int) -> dict[str, bytes | str | None]:
    """The namespace under /c after the first `k` operations (an independent model)."""
    state: dict[str, bytes | str | None] = {"/c": DIR}
    for i in range(k):
        if i % 4 == 0:
            state[f"/c/f{i}"] = random.Random(i).randbytes(1000 + 30_000 * (i % 3))
        elif i % 4 == 1:
            state[f"/c/d{i}"] = state[f"/c/d{i}/x"] = DIR
        elif i % 4 == 2:
            state[f"/c/g{i - 2}"] = state.pop(f"/c/f{i - 2}")
        else:
            del state[f"/c/d{i - 2}"], state[f"/c/d{i - 2}/x"]
    return state


def kill_driver(tmp_path, point: str, n: int) -> tuple[bool, list[str]]:
    """Run the driver killed at ``point@n``; (was it killed, problems found after reopening)."""
    mc = MiniCluster(tmp_path / f"{point}-{n}")
    mc.client().mkdirs("/c")  # the driver's parent directory, acknowledged before it starts
    mc.close()
    out = run_child([sys.executable, "-c", DRIVER, str(mc.home)], mc, crash=f"{point}@{n}")
    acked = len(out.stdout.split())
    if out.killed:
        expect_kill(out, point)
    else:
        assert out.rc == 0 and acked == OPS, out.describe()
    before, after = state_after(acked), state_after(min(acked + 1, OPS))
    paths = set(before) | set(after)
    expect = Expect(
        {},
        {p: before.get(p) for p in paths},
        {p: after.get(p) for p in paths},
    )
    problems = check(
        mc, expect, not out.killed, f"checkpointing driver, {point}@{n}, {acked} acked"
    )
    return out.killed, problems


@pytest.mark.parametrize(
    "n", [14, *(pytest.param(n, marks=pytest.mark.slow) for n in range(6, 30))]
)
def test_reopen_after_other_commands_checkpointed_keeps_their_edits(tmp_path, n):
    """MiniCluster.reopen ("as a new command would") after other commands checkpointed and the
    last was killed: the closed cluster's final heartbeat must catch up on their edits, not
    mistake the new log for its old one (a new edit log file often gets the old one's inode
    number, and its old offset then falls mid-record) and truncate it. On main this lost
    acknowledged operations (found by the sweep below, at namenode.after_journal@14)."""
    mc = MiniCluster(tmp_path)
    mc.client().mkdirs("/c")
    mc.close()
    out = run_child([sys.executable, "-c", DRIVER, str(mc.home)], mc, crash=f"{JOURNAL}@{n}")
    if out.killed:
        expect_kill(out, JOURNAL)
    acked = len(out.stdout.split())
    reopened = "reopened"
    try:
        mc.reopen()
        mc.client().mkdirs("/after")
        mc.close()
    except Exception as e:  # noqa: BLE001 - reported below, with what the next start finds
        reopened = f"MiniCluster.reopen failed: {type(e).__name__}: {e}"
    before, after = state_after(acked), state_after(min(acked + 1, OPS))
    paths = set(before) | set(after)
    keep = {"/after": DIR} if reopened == "reopened" else {}
    expect = Expect(keep, {p: before.get(p) for p in paths}, {p: after.get(p) for p in paths})
    problems = check(mc, expect, not out.killed, f"MiniCluster.reopen after checkpoints ({n})")
    assert reopened == "reopened" and not problems, (reopened, problems)


def checkpoint_points() -> list[str]:
    return sorted(
        p for p in crash_points() if "checkpoint" in p or "image" in p or p.startswith("editlog")
    )


def _require_checkpoint_points() -> list[str]:
    points = checkpoint_points()
    assert points, "no checkpoint crash point (namenode.checkpoint.*) in CRASH_POINTS"
    return points


def test_the_model_is_right():
    """The model checks itself against a plain run of the driver's operations."""
    assert state_after(0) == {"/c": DIR}
    assert set(state_after(4)) == {"/c", "/c/g0"}
    assert set(state_after(6)) == {"/c", "/c/g0", "/c/f4", "/c/d5", "/c/d5/x"}


@pytest.mark.parametrize("n", [1, pytest.param(3, marks=pytest.mark.slow)])
def test_kill_inside_a_checkpoint(tmp_path, n):
    for point in _require_checkpoint_points():
        killed, problems = kill_driver(tmp_path, point, n)
        assert killed, f"{point}@{n} was never reached: the driver does not checkpoint"
        assert not problems, problems


@pytest.mark.slow
def test_kill_at_every_checkpoint(tmp_path):
    for point in _require_checkpoint_points():
        for n in range(1, MAX_SWEEP):
            killed, problems = kill_driver(tmp_path, point, n)
            assert not problems, problems
            if not killed:
                assert n > 3, f"{point} reached only {n - 1} times in {OPS} commands"
                break


@pytest.mark.slow
def test_kill_after_every_journaled_operation_while_checkpointing(tmp_path):
    for n in range(1, 4 * MAX_SWEEP):
        killed, problems = kill_driver(tmp_path, JOURNAL, n)
        assert not problems, problems
        if not killed:
            break
    assert n > OPS
