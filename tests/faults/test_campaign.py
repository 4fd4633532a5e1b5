"""A seeded random campaign: a long history of commands on one cluster, most of them killed.

Each step picks a command (put, put -f, mkdir -p, mv, rm -r) on the current namespace and a
crash point with a random N, runs it with checkpoints forced often, then checks the cluster
as every other fault test does: the state before the command survived, the command's paths
are all-or-nothing, fsck agrees with the readers. The model then takes whichever of the
before/after states was found, and the next step runs on top of the recovered cluster, so
recoveries are themselves interrupted by later kills. The seed is in the test id: a failure
reproduces with the same seed.
"""

from __future__ import annotations

import posixpath
import random

import pytest

from dfs.cluster import EmbeddedCluster
from dfs.minicluster import MiniCluster
from tests.faults.harness import (
    DIR,
    Expect,
    check,
    crash_points,
    expect_kill,
    fs,
    hadoop,
    run_child,
)

STEPS = 40
#: Crash points an `hadoop fs` command can reach (the committer's are the job's).
POINTS = ("namenode.", "datanode.", "client.", "shell.")


class Model:
    """The namespace under /w as the acknowledged history says it is."""

    def __init__(self) -> None:
        self.state: dict[str, bytes | str] = {"/w": DIR}
        self.serial = 0

    def name(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def files(self) -> list[str]:
        return sorted(p for p, v in self.state.items() if v != DIR)

    def dirs(self) -> list[str]:
        return sorted(p for p, v in self.state.items() if v == DIR and p != "/w")

    def subtree(self, path: str) -> dict[str, bytes | str]:
        return {p: v for p, v in self.state.items() if p == path or p.startswith(path + "/")}


def next_command(rng: random.Random, model: Model, tmp) -> tuple[list[str], dict, dict]:
    """(hadoop argv, before, after) for a random command on the model's namespace."""
    choices = ["put", "mkdir"] + ["put -f"] * bool(model.files())
    choices += ["mv", "rm"] * bool(model.files() or model.dirs())
    what = rng.choice(choices)
    if what in ("put", "put -f"):
        target = rng.choice(model.files()) if what == "put -f" else f"/w/{model.name('f')}"
        data = rng.randbytes(rng.choice([0, 1, 5000, 64 * 1024, 150_000]))
        src = tmp / model.name("src")
        src.write_bytes(data)
        flags = ["-f"] if what == "put -f" else []
        return (
            fs("-put", *flags, str(src), target),
            {target: model.state.get(target)},
            {target: data},
        )
    if what == "mkdir":
        top = f"/w/{model.name('d')}"
        after = {top: DIR, f"{top}/sub": DIR}
        return fs("-mkdir", "-p", f"{top}/sub"), dict.fromkeys(after), after
    src = rng.choice(model.files() + model.dirs())
    moved = model.subtree(src)
    if what == "rm":
        return fs("-rm", "-r", src), moved, dict.fromkeys(moved)
    dst = f"/w/{model.name('m')}"
    after = {dst + p[len(src) :]: v for p, v in moved.items()}
    before = {**moved, **dict.fromkeys(after)}
    return fs("-mv", src, dst), before, {**dict.fromkeys(moved), **after}


def found_state(mc: MiniCluster, paths) -> dict:
    mc.cluster = EmbeddedCluster(mc.conf)
    try:
        client = mc.client()
        found = {}
        for p in paths:
            if not client.exists(p):
                found[p] = None
            elif client.status(p).is_dir:
                found[p] = DIR
            else:
                found[p] = client.read_bytes(p)
        return found
    finally:
        mc.close()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_campaign(tmp_path, seed):
    rng = random.Random(seed)
    points = sorted(p for p in crash_points() if p.startswith(POINTS))
    mc = MiniCluster(tmp_path / "cluster")
    mc.client().mkdirs("/w")
    mc.close()
    model = Model()
    for step in range(STEPS):
        args, before, after = next_command(rng, model, tmp_path)
        args = [args[0], "-Ddfs.namenode.checkpoint.txns=6", *args[1:]]
        # a point the command can reach: namespace-only commands reach the namenode's only
        usable = [p for p in points if "-put" in args or p.startswith("namenode.")]
        point = rng.choice(usable) if rng.random() < 0.85 else None
        n = rng.choice([1, 1, 2, 3, 4])
        crash = f"{point}@{n}" if point else None
        out = run_child(hadoop(*args), mc, crash=crash)
        what = f"seed {seed} step {step}: {' '.join(args[1:])} ({crash or 'no fault'})"
        if out.killed:
            expect_kill(out, point)
        else:
            assert out.rc == 0 and not out.crash_log, f"{what}: {out.describe()}"
        keep = {p: v for p, v in model.state.items() if p not in before and p not in after}
        problems = check(mc, Expect(keep, before, after, debris=_debris), not out.killed, what)
        assert not problems, (what, problems)
        found = found_state(mc, set(before) | set(after))
        for p, v in found.items():
            if v is None:
                model.state.pop(p, None)
            else:
                model.state[p] = v
        assert found == (after if found == after else before), what


def _debris(path: str) -> bool:
    return "._COPYING_" in posixpath.basename(path)
