"""``hadoop jobtracker``, ``hadoop tasktracker`` and the MapReduce half of ``start-cluster``
(imported by every ``hadoop`` command to register these: the daemons load only when used).

Owns starting the JobTracker and one TaskTracker per running DataNode in the background (pid,
lock and addr files in run/, logs in logs/, beside the DFS daemons' own, so ``stop-cluster``
stops them too) and waiting until every tracker has heartbeated. ``start-cluster`` starts the
DFS daemons first (``dfs.launcher``), then these. Must not touch: what the daemons do.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from dfs import runfiles
from dfs.conf import Configuration, home_dir
from dfs.errors import DFSError

if TYPE_CHECKING:  # (spawn's processes: subprocess is imported when a daemon starts)
    import subprocess

__all__ = ["start_mapred", "register_daemon_commands", "TASKTRACKER_USAGE"]

TASKTRACKER_USAGE = "usage: hadoop tasktracker --id dnN"


def start_mapred(
    conf: Configuration, nodes: list[str], wait_s: float = 60.0
) -> dict[str, tuple[int, bool]]:
    """Start the JobTracker and the trackers of `nodes` that are not running; wait until every
    tracker has reported to the JobTracker. Returns name -> (pid, started here)."""
    from dfs.launcher import spawn
    from mapred.daemons import JOBTRACKER, tracker_name

    home = home_dir(conf)
    procs: dict[str, subprocess.Popen] = {}
    try:
        if not runfiles.is_running(home, JOBTRACKER):
            runfiles.remove_files(home, JOBTRACKER)
            procs[JOBTRACKER] = spawn(conf, JOBTRACKER, "jobtracker", module="mapred.cli")
        for node in nodes:
            name = tracker_name(node)
            if not runfiles.is_running(home, name):
                runfiles.remove_files(home, name)
                procs[name] = spawn(conf, name, "tasktracker", "--id", node, module="mapred.cli")
        _wait_trackers(conf, nodes, procs, wait_s)
    except BaseException:
        for proc in procs.values():
            proc.terminate()
        raise
    names = [JOBTRACKER, *(tracker_name(n) for n in nodes)]
    return {
        n: (procs[n].pid if n in procs else runfiles.read_pid(home, n) or 0, n in procs)
        for n in names
    }


def _wait_trackers(
    conf: Configuration, nodes: list[str], procs: dict[str, subprocess.Popen], wait_s: float
) -> None:
    from mapred.remote import RemoteJobTracker, jobtracker_address

    home = home_dir(conf)
    deadline = time.monotonic() + wait_s
    client = None
    try:
        while True:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise DFSError(
                        f"{name} exited with status {proc.returncode} while starting; "
                        f"see {runfiles.log_path(home, name)}"
                    )
            address = jobtracker_address(conf)
            if address is not None and client is None:
                client = RemoteJobTracker(conf, address)
            if client is not None:
                known = set(client.proxy.cluster_status().trackers)
                if all(f"tracker_{n}" in known for n in nodes):
                    return
            if time.monotonic() > deadline:
                raise DFSError(f"the MapReduce daemons did not come up; see {home}/logs")
            time.sleep(0.05)
    finally:
        if client is not None:
            client.close()


def _running_datanodes(conf: Configuration) -> list[str]:
    from dfs.cluster import read_topology

    home = home_dir(conf)
    return [node for node, _ in read_topology(home) if runfiles.is_running(home, node)]


def jobtracker_main(conf: Configuration, args: list[str]) -> int:
    """The JobTracker in the foreground until SIGTERM."""
    from dfs.cli import CommandLineError
    from mapred.daemons import run_jobtracker

    if args:
        raise CommandLineError(f"unsupported argument {args[0]}; usage: hadoop jobtracker")
    return run_jobtracker(conf)


def tasktracker_main(conf: Configuration, args: list[str]) -> int:
    """One node's TaskTracker in the foreground until SIGTERM."""
    from dfs.cli import CommandLineError
    from mapred.daemons import run_tasktracker

    if len(args) == 2 and args[0] == "--id":
        return run_tasktracker(conf, args[1])
    if len(args) == 1 and args[0].startswith("--id="):
        return run_tasktracker(conf, args[0].split("=", 1)[1])
    raise CommandLineError(f"--id is required; {TASKTRACKER_USAGE}")


def start_cluster_main(conf: Configuration, args: list[str]) -> int:
    """Start the DFS daemons, then the JobTracker and a TaskTracker per DataNode."""
    from dfs import cli as dfs_cli
    from mapred.daemons import JOBTRACKER

    status = dfs_cli.start_cluster_main(conf, args)
    if status:
        return status
    started = start_mapred(conf, _running_datanodes(conf))
    address = runfiles.read_addr(home_dir(conf), JOBTRACKER)
    for name, (pid, here) in started.items():
        what = "JobTracker" if name == JOBTRACKER else f"TaskTracker {name.split('-', 1)[1]}"
        where = f", serving on {address[0]}:{address[1]}" if name == JOBTRACKER and address else ""
        state = "started" if here else "already running"
        sys.stdout.write(f"{what} {state} (pid {pid}){where}\n")
    sys.stdout.flush()
    return 0


def register_daemon_commands(group: Any) -> None:
    """Add ``jobtracker`` and ``tasktracker`` and make ``start-cluster`` start them too."""
    from dfs import cli as dfs_cli

    if "jobtracker" in group.commands:
        return
    dfs_cli.hadoop_command("jobtracker", "Run the JobTracker daemon: hadoop jobtracker")(
        jobtracker_main
    )
    dfs_cli.hadoop_command("tasktracker", "Run a TaskTracker daemon: hadoop tasktracker --id dnN")(
        tasktracker_main
    )
    dfs_cli.hadoop_command(
        "start-cluster", "Start the NameNode, DataNodes, JobTracker and TaskTrackers"
    )(start_cluster_main)
