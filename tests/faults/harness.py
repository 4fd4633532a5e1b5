"""The fault suite's harness: run a real command in a child process with a fault armed, prove
the fault fired, reopen the cluster and check what a user is promised.

Owns the child-process plumbing (`run_child`: a timeout on every wait, the child killed in a
``finally``), the namespace snapshot a reader sees (`snapshot`), the invariants (`check`:
acknowledged state survived, a command's paths are all-or-nothing, fsck agrees with the
readers), the sweep over every N of ``point@N`` (`sweep`) and the campaign tally (faults
injected, losses found) that conftest prints.
Must not touch product code: it uses public entry points only (``python -m mapred.cli``, the
DFS client, `MiniCluster`, and the switches of `dfs.faults`).

A crash run passes only when the child died by SIGKILL *and* the crash log names the point:
the half-done state was really reached, not just a process killed at some moment.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dfs import faults
from dfs.cluster import EmbeddedCluster
from dfs.minicluster import MiniCluster

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120.0
BLOCK = 64 * 1024
DIR = "<dir>"  # a directory's value in a snapshot
#: Every crash point a command can reach goes through these two (one per journaled operation).
JOURNAL = "namenode.after_journal"
#: How many times a sweep may re-run one command before it is called endless.
MAX_SWEEP = 80


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file a reader could not read (the error it got)."""

    error: str


Value = bytes | str | Unreadable  # file content, DIR, or a failed read


# ---- the tally --------------------------------------------------------------------------------
@dataclass
class Tally:
    kills: int = 0  # SIGKILLs at a named point, proven by the crash log
    write_faults: int = 0  # failing writes, proven reached by the child's write log
    in_process: int = 0  # InjectedCrash / inject_write in the test's own process
    checks: int = 0  # invariant checks after a fault
    losses: int = 0  # checks that found a lost, half-visible or misreported file
    details: list[str] = field(default_factory=list)

    @property
    def injected(self) -> int:
        return self.kills + self.write_faults + self.in_process

    def line(self) -> str:
        return (
            f"fault campaign: {self.injected} faults injected ({self.kills} SIGKILLs at named "
            f"crash points, {self.write_faults} failing writes in child commands, "
            f"{self.in_process} in-process), {self.checks} recoveries checked, "
            f"{self.losses} losses"
        )


TALLY = Tally()


# ---- running commands -------------------------------------------------------------------------
@dataclass
class Outcome:
    argv: list[str]
    rc: int
    stdout: str
    stderr: str
    crash_log: list[str]  # the points named in MINIHADOOP_CRASH_LOG (one per kill)
    writes: dict[str, int]  # write_fully calls per tag (tests/faults/child.py only)

    @property
    def killed(self) -> bool:
        return self.rc == -signal.SIGKILL

    def describe(self) -> str:
        return f"{' '.join(self.argv)} -> rc {self.rc}, stderr {self.stderr.strip()[-400:]!r}"


def child_env(mc: MiniCluster, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = mc.env()
    for key in ("MINIHADOOP_CRASH_AT", "MINIHADOOP_CRASH_LOG", "MINIHADOOP_WRITE_FAULT"):
        env.pop(key, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def run_child(
    argv: Sequence[str],
    mc: MiniCluster,
    *,
    crash: str | None = None,
    write_fault: str | None = None,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT,
) -> Outcome:
    """Run `argv` against `mc`'s state directory with a crash point or a write fault armed."""
    logs = mc.home.parent / "fault-logs"
    logs.mkdir(exist_ok=True)
    crash_log = logs / f"crash-{uuid.uuid4().hex}"
    write_log = logs / f"writes-{uuid.uuid4().hex}"
    extra = {"MINIHADOOP_CRASH_LOG": str(crash_log), "FAULTS_WRITE_LOG": str(write_log)}
    if crash:
        extra["MINIHADOOP_CRASH_AT"] = crash
    if write_fault:
        extra["MINIHADOOP_WRITE_FAULT"] = write_fault
    proc = subprocess.Popen(
        list(argv),
        cwd=ROOT,
        env=child_env(mc, extra),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    return Outcome(
        list(argv),
        proc.returncode,
        out.decode(errors="replace"),
        err.decode(errors="replace"),
        _lines(crash_log),
        {tag: int(n) for tag, n in zip(*[iter(_lines(write_log))] * 2)},
    )


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except FileNotFoundError:
        return []


def hadoop(*args: str) -> list[str]:
    """argv of ``hadoop ARGS`` as the console script runs it."""
    return [sys.executable, "-m", "mapred.cli", *args]


def hadoop_logging_writes(*args: str) -> list[str]:
    """argv of ``hadoop ARGS`` through tests/faults/child.py, which logs the tags of the durable
    writes the command reaches (the proof that an injected write fault fired)."""
    return [sys.executable, str(ROOT / "tests" / "faults" / "child.py"), *args]


def fs(*args: str, blocksize: int = BLOCK, **defines: object) -> list[str]:
    """``hadoop fs -D dfs.blocksize=... ARGS``."""
    opts = [f"-Ddfs.blocksize={blocksize}"] + [f"-D{k}={v}" for k, v in defines.items()]
    return ["fs", *opts, *args]


def expect_kill(outcome: Outcome, point: str) -> None:
    """The child died by SIGKILL at `point` (the crash log proves it), and nowhere else."""
    assert outcome.killed, f"expected a SIGKILL at {point}: {outcome.describe()}"
    assert outcome.crash_log == [point], (
        f"the crash log names {outcome.crash_log}, not {point}: {outcome.describe()}"
    )
    TALLY.kills += 1


def expect_write_fault(outcome: Outcome, tag: str, nth: int = 1) -> None:
    """The child reached its `nth` durable write of kind `tag` (so the fault armed there fired)."""
    assert outcome.writes.get(tag, 0) >= nth, (
        f"the command made {outcome.writes.get(tag, 0)} writes through faults.write_fully with "
        f"tag {tag!r}, the fault was armed at #{nth} (all: {outcome.writes}): {outcome.describe()}"
    )
    TALLY.write_faults += 1


def expect_clean_failure(outcome: Outcome, *words: str) -> None:
    """Non-zero status and one line naming the problem; no traceback, no internal error."""
    err = outcome.stderr.strip()
    assert outcome.rc > 0, f"the fault was not reported: {outcome.describe()}"
    assert "Traceback" not in err and "ERROR 2999" not in err, outcome.describe()
    assert len(err.splitlines()) == 1, f"not one line: {outcome.describe()}"
    if words:
        assert any(w.lower() in err.lower() for w in words), (
            f"the message names none of {words}: {outcome.describe()}"
        )


def crash_points() -> dict[str, str]:
    """Every crash point the product declares (imports the modules that declare them)."""
    import dfs.client  # noqa: F401
    import dfs.cluster  # noqa: F401
    import dfs.datanode  # noqa: F401
    import dfs.editlog  # noqa: F401
    import dfs.fsimage  # noqa: F401
    import dfs.namenode  # noqa: F401
    import dfs.shell  # noqa: F401
    import mapred.committer  # noqa: F401
    import mapred.runner  # noqa: F401

    return dict(faults.CRASH_POINTS)


def require_point(name: str) -> None:
    """Fail when crash point `name` is not declared (renamed or removed in the product: the
    suite would otherwise stop testing that moment without saying so)."""
    known = crash_points()
    assert name in known, f"crash point {name!r} is not in dfs.faults.CRASH_POINTS: {sorted(known)}"


# ---- what a reader sees -----------------------------------------------------------------------
def snapshot(client) -> dict[str, Value]:
    """Every path below / with its content (every file read in full), DIR, or Unreadable."""
    found: dict[str, Value] = {}
    stack = ["/"]
    while stack:
        directory = stack.pop()
        for st in client.listdir(directory):
            path = posixpath.join(directory, posixpath.basename(st.path.rstrip("/")))
            if st.is_dir:
                found[path] = DIR
                stack.append(path)
                continue
            try:
                found[path] = client.read_bytes(path)
            except Exception as e:  # noqa: BLE001 - any failure is what the reader found
                found[path] = Unreadable(f"{type(e).__name__}: {e}")
    return found


def fsck_disagreements(client, snap: Mapping[str, Value]) -> list[str]:
    """Where fsck's verdict differs from what reading the file gave."""
    report = client.fsck("/")
    problems = []
    for f in report.files:
        if f.is_dir:
            continue
        bad = any(b.missing for b in f.blocks)
        got = snap.get(f.path)
        unreadable = isinstance(got, Unreadable)
        if got is None:
            problems.append(f"fsck lists {f.path}, a listing does not")
        elif bad != unreadable:
            verdict = "missing/corrupt blocks" if bad else "healthy"
            problems.append(f"fsck says {f.path} has {verdict}, a reader found {_show(got)}")
        elif not bad and not f.under_construction and len(got) != f.length:  # type: ignore[arg-type]
            problems.append(f"fsck says {f.path} is {f.length} bytes, a reader read {len(got)}")
    readable_all = not any(isinstance(v, Unreadable) for v in snap.values())
    if report.healthy != readable_all:
        problems.append(
            f"fsck says {'HEALTHY' if report.healthy else 'CORRUPT'} but "
            f"{'every file reads' if readable_all else 'some file does not read'}"
        )
    return problems


def _show(value: Value | None) -> str:
    if value is None:
        return "absent"
    if isinstance(value, bytes):
        return f"{len(value)} bytes (sha1 {hashlib.sha1(value).hexdigest()[:10]})"
    return repr(value)


# ---- the invariants ---------------------------------------------------------------------------
State = Mapping[str, bytes | str | None]  # path -> content, DIR or None (absent)


@dataclass
class Expect:
    """What may be found after a fault.

    `keep`: acknowledged before the command: must be found exactly so.
    `before` / `after`: the command's paths before and after it; unless the command was
    acknowledged, either is allowed, but whole (never some paths of each).
    `debris`: names of leftovers a crash may leave that no reader mistakes for data.
    """

    keep: State
    before: State
    after: State
    debris: Callable[[str], bool] = lambda path: "._COPYING_" in path
    extra: Callable[[Mapping[str, Value], bool], list[str]] | None = None


def check(mc: MiniCluster, expect: Expect, acknowledged: bool, what: str) -> list[str]:
    """Reopen `mc` (a new command) and return every broken promise; tallies the result."""
    problems: list[str] = []
    try:
        # a new command: a fresh cluster object (the test's own handle was closed before the
        # child ran, and is stale now; tests/faults/test_crash_checkpoint.py covers stale ones)
        mc.cluster = EmbeddedCluster(mc.conf)
    except Exception as e:  # noqa: BLE001 - a cluster that does not open is a loss
        problems = [f"the cluster does not reopen: {type(e).__name__}: {e}"]
    else:
        try:
            problems = _broken(mc, expect, acknowledged)
        finally:
            mc.close()
    TALLY.checks += 1
    if problems:
        TALLY.losses += 1
        TALLY.details.append(f"{what}: {problems[0]}")
    return problems


def _broken(mc: MiniCluster, expect: Expect, acknowledged: bool) -> list[str]:
    client = mc.client()
    snap = snapshot(client)
    problems = []
    for path, want in expect.keep.items():
        if snap.get(path) != want:
            problems.append(
                f"acknowledged {path} lost: want {_show(want)}, found {_show(snap.get(path))}"
            )
    watched = set(expect.before) | set(expect.after)
    problems += _state_problems(expect, {p: snap.get(p) for p in watched}, acknowledged)
    for path, value in snap.items():
        if path in watched or path in expect.keep or value == DIR or expect.debris(path):
            continue
        problems.append(f"unexpected {path} ({_show(value)})")
    if expect.extra is not None:
        problems += expect.extra(snap, acknowledged)
    problems += fsck_disagreements(client, snap)
    return problems


def _state_problems(expect: Expect, seen: Mapping[str, Value | None], acked: bool) -> list[str]:
    """The command's paths hold its after state, or (unacknowledged) its before state, whole."""
    allowed = [expect.after] if acked else [expect.before, expect.after]
    if any(all(seen[p] == state.get(p) for p in seen) for state in allowed):
        return []
    before, after = expect.before, expect.after
    lost = [
        p
        for p in sorted(seen)
        if seen[p] != after.get(p) and (acked or before.get(p) == after.get(p))
    ]
    mixed = [p for p in sorted(seen) if p not in lost and seen[p] != before.get(p)]
    problems = []
    if lost:
        problems.append(
            "acknowledged state lost or changed: "
            + "; ".join(
                f"{p} is {_show(seen[p])}, not {_show(after.get(p))}"
                + ("" if acked else " (the same before and after the command)")
                for p in lost
            )
        )
    if mixed:
        problems.append(
            "half-done command visible (neither its before nor its after state): "
            + "; ".join(
                f"{p} is {_show(seen[p])} (before: {_show(before.get(p))}, "
                f"after: {_show(after.get(p))})"
                for p in mixed
            )
        )
    return problems


def tree(base: str, files: Mapping[str, bytes], dirs: Iterable[str] = ()) -> dict[str, bytes | str]:
    """The state of a tree at `base`: its directories (DIR) and files."""
    state: dict[str, bytes | str] = {base: DIR}
    for d in dirs:
        state[posixpath.join(base, d)] = DIR
    for name, data in files.items():
        path = posixpath.join(base, name)
        parent = posixpath.dirname(path)
        while parent != base and parent.startswith(base):
            state[parent] = DIR
            parent = posixpath.dirname(parent)
        state[path] = data
    return state


def absent(state: State) -> dict[str, None]:
    return dict.fromkeys(state)


# ---- sweeping a command over every journaled operation ----------------------------------------
@dataclass
class SweepResult:
    kills: int  # runs killed at the point
    completed: Outcome  # the run that finished without reaching it
    problems: list[str]


def sweep(
    make: Callable[[int], tuple[MiniCluster, Expect]],
    argv: Sequence[str],
    point: str = JOURNAL,
    first: int = 1,
    stdin: bytes | None = None,
) -> SweepResult:
    """Kill the command at ``point@N`` for N = first, first+1, ... until a run completes
    without reaching it; check the invariants after each kill and after the completed run.
    `make(n)` builds a fresh cluster in its before state and says what may be found."""
    problems: list[str] = []
    label = " ".join(os.path.basename(a) if os.path.exists(a) else a for a in argv[3:])
    for n in range(first, first + MAX_SWEEP):
        mc, expect = make(n)
        out = run_child(argv, mc, crash=f"{point}@{n}", stdin=stdin)
        if not out.killed:
            assert out.rc == 0 and not out.crash_log, f"{point}@{n}: {out.describe()}"
            problems += check(mc, expect, True, f"{label} (completed, {point}@{n} not reached)")
            return SweepResult(n - first, out, problems)
        expect_kill(out, point)
        found = check(mc, expect, False, f"{label}, killed at {point}@{n}")
        problems += [f"{point}@{n}: {p}" for p in found]
    raise AssertionError(f"{' '.join(argv)} still reaches {point} after {MAX_SWEEP} runs")
