"""The run directory of a state directory: which daemons are up, where they listen, their logs.

Owns ``$MINIHADOOP_HOME/run/`` and ``$MINIHADOOP_HOME/logs/``:

    run/<name>.lock   held (flock, exclusive) by the daemon <name> for its whole life: a daemon
                      is running exactly when its lock is held, whatever pid files say (a
                      SIGKILLed daemon's lock goes with it)
    run/<name>.pid    the daemon's pid (written after the lock is taken)
    run/<name>.addr   ``host:port`` it serves on, written atomically once it serves
    run/daemon-site.xml  the settings `hadoop start-cluster` started the daemons with (600)
    logs/<name>.log   its log, in Hadoop's line shape (``2026-12-06 05:43:24,123 INFO dfs.x: msg``)

and the routing decision every command makes (`namenode_address`): talk to the NameNode daemon
when one runs; stay embedded when none ever ran or the cluster was stopped cleanly; refuse
when one died and left its files (see `DFSDaemonDown`). An embedded command holds
run/namenode.lock (made at format) shared (`embedded_guard`), so a NameNode daemon cannot
start under it. Also whether the process a pid names is alive (`pid_alive`, `process_alive`):
here, in a light module, so a command can ask without loading the daemons' code.
Must not touch: the namenode or datanode state itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sys
import time
from pathlib import Path

from dfs.errors import DFSError

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # asctime: 2026-12-06 05:43:24,123


class DFSDaemonDown(DFSError, ConnectionError):
    """The cluster's daemons were started but the NameNode is not answering."""


def run_dir(home: Path) -> Path:
    return Path(home) / "run"


def log_path(home: Path, name: str) -> Path:
    return Path(home) / "logs" / f"{name}.log"


def _file(home: Path, name: str, kind: str) -> Path:
    return run_dir(home) / f"{name}.{kind}"


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def hold_lock(home: Path, name: str) -> int:
    """Take daemon `name`'s lock for this process's life; DFSError when another holds it."""
    run = run_dir(home)
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(_file(home, name, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        pid = read_pid(home, name)
        who = f" (pid {pid})" if pid else ""
        raise DFSError(
            f"{name} is already running on {home}{who}, or a command is using the state "
            "directory embedded; stop it first (hadoop stop-cluster)",
            str(home),
        ) from None
    return fd


def create_namenode_lock(home: Path) -> None:
    """Create run/namenode.lock (at format): every embedded command then holds it shared."""
    run = run_dir(home)
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(_file(home, "namenode", "lock"), os.O_RDWR | os.O_CREAT, 0o600))


def is_running(home: Path, name: str) -> bool:
    """Does a live process hold daemon `name`'s lock?"""
    path = _file(home, name, "lock")
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def pid_alive(pid: int) -> bool:
    """Is process `pid` on this machine still running? (Writers and jobs are identified by pid.)"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_alive(pid: int) -> bool:
    """Is process `pid` on this machine running? A zombie (dead, not yet reaped) is not."""
    if not pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except FileNotFoundError:
        return not os.path.isdir("/proc/self")  # it just ended (or there is no /proc)
    except OSError:
        return True
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] != b"Z"


def write_pid(home: Path, name: str) -> None:
    write_atomically(_file(home, name, "pid"), f"{os.getpid()}\n")


def read_pid(home: Path, name: str) -> int | None:
    try:
        return int(_file(home, name, "pid").read_text().strip())
    except (OSError, ValueError):
        return None


def write_addr(home: Path, name: str, address: tuple[str, int]) -> None:
    write_atomically(_file(home, name, "addr"), f"{address[0]}:{address[1]}\n")


def read_addr(home: Path, name: str) -> tuple[str, int] | None:
    try:
        host, _, port = _file(home, name, "addr").read_text().strip().rpartition(":")
        return host, int(port)
    except (OSError, ValueError):
        return None


def remove_files(home: Path, name: str) -> None:
    """Drop daemon `name`'s addr and pid files (its lock file stays: it is only a lock)."""
    for kind in ("addr", "pid"):
        _file(home, name, kind).unlink(missing_ok=True)


def daemon_names(home: Path) -> list[str]:
    """Every daemon that ever ran here (has a lock file), the namenode first."""
    run = run_dir(home)
    if not run.is_dir():
        return []
    names = sorted(p.name[:-5] for p in run.glob("*.lock"))
    return sorted(names, key=lambda n: n != "namenode")


def running(home: Path) -> list[str]:
    """The daemons running on `home` now (their locks are held)."""
    return [name for name in daemon_names(home) if is_running(home, name)]


def refuse_while_running(home: Path, what: str) -> None:
    """`what` (formatting, recovery) must not run under live daemons: DFSError naming them."""
    names = running(home)
    if names:
        raise DFSError(
            f"cannot {what} while the cluster's daemons run on {home} ({', '.join(names)}); "
            "stop them first: hadoop stop-cluster",
            str(home),
        )


def namenode_address(home: Path, wait_s: float = 10.0) -> tuple[str, int] | None:
    """Where a command on `home` reaches the NameNode daemon, or None to stay embedded.

    A daemon that is starting is waited for (up to `wait_s`). Files left by a NameNode that
    died, or datanode daemons running without one, raise `DFSDaemonDown` rather than opening
    the state directory behind their back: the fix is to restart the NameNode or to run
    ``hadoop stop-cluster``.
    """
    home = Path(home)
    if not run_dir(home).is_dir():
        return None
    deadline = time.monotonic() + wait_s
    while is_running(home, "namenode"):
        addr = read_addr(home, "namenode")
        if addr is not None:
            return addr
        if time.monotonic() > deadline:
            raise DFSDaemonDown(
                f"the NameNode daemon of {home} (pid {read_pid(home, 'namenode')}) has not "
                f"started serving in {wait_s:.0f} s; see {log_path(home, 'namenode')}",
                str(home),
            )
        time.sleep(0.05)
    stale = read_addr(home, "namenode") is not None or read_pid(home, "namenode") is not None
    orphans = [n for n in daemon_names(home) if n != "namenode" and is_running(home, n)]
    if stale or orphans:
        what = (
            f"its NameNode daemon died (pid {read_pid(home, 'namenode')}, stale "
            f"{_file(home, 'namenode', 'addr')})"
            if stale
            else f"datanode daemons ({', '.join(orphans)}) run without a NameNode"
        )
        raise DFSDaemonDown(
            f"the cluster on {home} was started but {what}: restart it with `hadoop namenode` "
            "(or `hadoop start-cluster`), or run `hadoop stop-cluster` to go back to embedded "
            "mode",
            str(home),
        )
    return None


def embedded_guard(home: Path) -> int:
    """Hold run/namenode.lock shared while a command uses the state directory embedded (the
    file is made at format, or by the first daemon on an older state directory): a NameNode
    daemon cannot start meanwhile. Returns the fd to give to `release` (-1: nothing held);
    `DFSDaemonDown` when a NameNode daemon runs."""
    try:
        fd = os.open(_file(home, "namenode", "lock"), os.O_RDONLY)
    except FileNotFoundError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DFSDaemonDown(
            f"a NameNode daemon runs on {home}: this command must go through it", str(home)
        ) from None
    return fd


def release(fd: int) -> None:
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)


def setup_logging(home: Path, name: str, level: int = logging.INFO) -> Path:
    """Log to logs/<name>.log (and to stderr when it is a terminal), Hadoop's line shape."""
    path = log_path(home, name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    formatter = logging.Formatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [logging.FileHandler(path)]
    if sys.stderr.isatty():
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    return path
