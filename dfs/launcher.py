"""``hadoop start-cluster`` / ``stop-cluster``: the daemons as background processes.

Owns spawning (``python -m dfs.cli namenode|datanode``, each in its own session, stdout and
stderr appended to its log), waiting until the cluster is usable (the NameNode answers and
every started DataNode has registered), and stopping (SIGTERM, a bounded wait, then SIGKILL;
pid files of daemons that already died are cleaned up). Every wait is bounded.
Must not touch: what the daemons do (`dfs.daemons`) or the state they serve.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from dfs import runfiles
from dfs.conf import Configuration, home_dir
from dfs.errors import DFSError


@dataclass(frozen=True, slots=True)
class Started:
    """What `start_cluster` brought up: daemon name -> pid, and the NameNode's address."""

    pids: dict[str, int]
    address: tuple[str, int]
    safemode: bool = False  # still on when the start returned
    started: tuple[str, ...] = ()  # the daemons this start launched (the others ran already)


def overrides_of(conf: Configuration) -> dict[str, str]:
    """The settings of `conf` a fresh Configuration would not have (to pass on with -D), and
    the state directory."""
    base = dict(Configuration().items())
    out = {k: _text(v) for k, v in conf.items() if base.get(k, object()) != v}
    out["minihadoop.home"] = str(home_dir(conf))
    return out


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def write_daemon_site(conf: Configuration) -> Path:
    """The settings the daemons start with (`overrides_of`), as run/daemon-site.xml (mode 600,
    in the private run/ directory): passed with ``-conf``, never on a command line that every
    user of the machine can read (hadoop.rpc.secret may be among them)."""
    home = home_dir(conf)
    run = runfiles.run_dir(home)
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    root = ET.Element("configuration")
    for key, value in sorted(overrides_of(conf).items()):
        prop = ET.SubElement(root, "property")
        ET.SubElement(prop, "name").text = key
        ET.SubElement(prop, "value").text = value
    ET.indent(root)
    path = run / "daemon-site.xml"
    tmp = run / f".daemon-site.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
    os.replace(tmp, path)
    return path


def daemon_command(conf: Configuration, *args: str, module: str = "dfs.cli") -> list[str]:
    """The command line of a daemon: ``python -m <module> <command> -conf run/daemon-site.xml``
    (the MapReduce daemons are commands of ``mapred.cli``)."""
    site = write_daemon_site(conf)
    return [sys.executable, "-m", module, args[0], "-conf", str(site), *args[1:]]


#: the daemons this process started and has not reaped yet, by pid (a Popen dropped while its
#: process runs is a ResourceWarning, and its exit status must be collected by someone)
_CHILDREN: dict[int, tuple[Path, subprocess.Popen]] = {}


def spawn(conf: Configuration, name: str, *args: str, module: str = "dfs.cli") -> subprocess.Popen:
    """Start one daemon in the background; its output goes to logs/<name>.log."""
    home = home_dir(conf)
    log = runfiles.log_path(home, name)
    log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            daemon_command(conf, *args, module=module),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    _CHILDREN[proc.pid] = (home, proc)
    return proc


def start_cluster(
    conf: Configuration,
    datanodes: int | None = None,
    racks: int | None = None,
    wait_s: float = 60.0,
) -> Started:
    """Start whichever of the NameNode and the first `datanodes` DataNodes of the topology (all
    by default) is not running (a running one is left alone, as Hadoop's start-dfs.sh does),
    then wait until every one of those DataNodes has registered. A daemon that exits early
    stops the start (those started here are stopped again) with the last line of its log."""
    from dfs.cluster import check_state_directory, read_topology

    home = home_dir(conf)
    check_state_directory(home)
    nodes = _chosen_nodes(read_topology(home), datanodes, racks, home)
    for name in runfiles.daemon_names(home):
        if not runfiles.is_running(home, name):
            runfiles.remove_files(home, name)  # stale pid/addr files of one that died
    procs: dict[str, subprocess.Popen] = {}
    try:
        if runfiles.is_running(home, "namenode"):
            address = runfiles.namenode_address(home, wait_s)
        else:
            procs["namenode"] = spawn(conf, "namenode", "namenode")
            address = wait_serving(home, procs["namenode"], wait_s)
        assert address is not None
        for node_id, rack in nodes:
            if not runfiles.is_running(home, node_id):
                procs[node_id] = spawn(conf, node_id, "datanode", "--id", node_id, "--rack", rack)
        waiting = {node_id: procs.get(node_id) for node_id, _ in nodes}
        wait_registered(conf, address, waiting, wait_s, procs.get("namenode"))
    except BaseException:
        for proc in procs.values():
            _terminate(proc.pid, 5.0)
        raise
    names = ["namenode", *(node_id for node_id, _ in nodes)]
    pids = {n: procs[n].pid if n in procs else runfiles.read_pid(home, n) or 0 for n in names}
    return Started(pids, address, _safemode(conf, address), tuple(procs))


def _safemode(conf: Configuration, address: tuple[str, int]) -> bool:
    from dfs.conf import current_user
    from dfs.protocol import ClientProtocol
    from dfs.rpc import RpcProxy

    with RpcProxy(ClientProtocol, address, conf) as nn:
        return bool(nn.set_safe_mode(current_user(), "get"))


def _chosen_nodes(
    topology: list[tuple[str, str]], datanodes: int | None, racks: int | None, home: Path
) -> list[tuple[str, str]]:
    have_racks = len({rack for _, rack in topology})
    if racks is not None and racks != have_racks:
        raise DFSError(
            f"the cluster in {home} was formatted with {have_racks} rack(s), not {racks}; "
            f"format a new one with: hadoop namenode -format -D dfs.racks={racks}",
            str(home),
        )
    if datanodes is not None and not 1 <= datanodes <= len(topology):
        raise DFSError(
            f"the cluster in {home} has {len(topology)} datanode(s) (its topology file), "
            f"cannot start {datanodes}; format a new one with: "
            f"hadoop namenode -format -D dfs.datanodes={datanodes}",
            str(home),
        )
    return topology[: datanodes or len(topology)]


def wait_serving(home: Path, proc: subprocess.Popen, wait_s: float) -> tuple[str, int]:
    """Wait until the NameNode started as `proc` serves; its address."""
    deadline = time.monotonic() + wait_s
    while True:
        _check_alive("namenode", proc, home)
        address = runfiles.read_addr(home, "namenode")
        if address is not None and runfiles.read_pid(home, "namenode") == proc.pid:
            return address  # its own: it writes the pid file, then the address
        if time.monotonic() > deadline:
            raise DFSError(f"the NameNode did not start serving; see {_log(home, 'namenode')}")
        time.sleep(0.05)


def wait_registered(
    conf: Configuration,
    address: tuple[str, int],
    procs: dict[str, subprocess.Popen | None],
    wait_s: float,
    namenode: subprocess.Popen | None = None,
) -> None:
    """Wait until every DataNode of `procs` (name -> process; None: one already running, not
    our child) is registered and alive."""
    from dfs.protocol import ClientProtocol
    from dfs.rpc import RpcProxy

    home = home_dir(conf)
    deadline = time.monotonic() + wait_s
    watched = dict(procs, **({"namenode": namenode} if namenode is not None else {}))
    nn = RpcProxy(ClientProtocol, address, conf)
    try:
        while True:
            for name, proc in watched.items():
                _check_alive(name, proc, home)
            # registered = the NameNode knows the address this very process serves on (a node
            # restarted before it was declared dead is still "alive" at its old address)
            live = {(d.node_id, d.host, d.xfer_port) for d in nn.datanode_report() if d.alive}
            waiting = [
                n for n in procs if (n, *(runfiles.read_addr(home, n) or ("", 0))) not in live
            ]
            if not waiting:
                return
            if time.monotonic() > deadline:
                missing = ", ".join(sorted(waiting))
                raise DFSError(
                    f"datanodes {missing} did not register; see their logs in {home}/logs"
                )
            time.sleep(0.05)
    finally:
        nn.close()


def _check_alive(name: str, proc: subprocess.Popen | None, home: Path) -> None:
    if proc is None:
        if not runfiles.is_running(home, name):
            raise DFSError(f"{name} is not running: {_log_tail(home, name)}")
        return
    status = proc.poll()
    if status is not None:
        raise DFSError(
            f"{name} exited with status {status} while starting: {_log_tail(home, name)}"
        )


def _log(home: Path, name: str) -> Path:
    return runfiles.log_path(home, name)


def _log_tail(home: Path, name: str) -> str:
    try:
        lines = [ln for ln in _log(home, name).read_text(errors="replace").splitlines() if ln]
    except OSError:
        return f"(no log at {_log(home, name)})"
    return lines[-1] if lines else f"(empty log {_log(home, name)})"


def stop_cluster(conf: Configuration, wait_s: float = 10.0) -> list[str]:
    """Stop every daemon of the state directory; returns the names of those that were running.
    Pid files of daemons that already died are removed.

    Every daemon but the NameNode is signalled at once and waited for together (each within
    `wait_s` of SIGTERM, then SIGKILL); the NameNode last, so the datanodes' last reports reach
    it."""
    home = home_dir(conf)
    names = runfiles.daemon_names(home)
    stopped = []
    for group in ([n for n in names if n != "namenode"], [n for n in names if n == "namenode"]):
        pids = []
        for name in group:
            pid = runfiles.read_pid(home, name)
            if runfiles.is_running(home, name) and pid is not None:
                pids.append(pid)
                stopped.append(name)
        _terminate_all(pids, wait_s)
        for name in group:
            runfiles.remove_files(home, name)
    ours = [pid for pid, (where, _proc) in list(_CHILDREN.items()) if where == home]
    _terminate_all(ours, wait_s)  # not stopped above (killed before its pid file was out)
    return stopped


def _terminate(pid: int, wait_s: float) -> None:
    """SIGTERM `pid`, wait up to `wait_s`, then SIGKILL."""
    _terminate_all([pid], wait_s)


def _terminate_all(pids: list[int], wait_s: float) -> None:
    """SIGTERM every pid, wait up to `wait_s` for all, then SIGKILL those left (5 s more)."""
    for sig, wait in ((signal.SIGTERM, wait_s), (signal.SIGKILL, 5.0)):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while pids and time.monotonic() < deadline:
            pids = [pid for pid in pids if _exists(pid)]
            if pids:
                time.sleep(0.05)
        pids = [pid for pid in pids if _exists(pid)]
        if not pids:
            return


def _exists(pid: int) -> bool:
    if not reap(pid):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def reap(pid: int) -> bool:
    """Collect the exit status of daemon `pid` if this process started it and it has exited;
    False while it still runs (True for a process that is not our child)."""
    if pid not in _CHILDREN:
        return True
    if _CHILDREN[pid][1].poll() is None:
        return False
    del _CHILDREN[pid]
    return True
