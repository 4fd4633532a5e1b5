"""The JobTracker and TaskTracker daemons: the same service objects as the embedded cluster,
as processes on loopback.

Owns the daemons' main loops, nothing of what they run:

- `JobTrackerDaemon`: takes run/jobtracker.lock for its life, serves JobSubmissionProtocol +
  InterTrackerProtocol over the RPC layer of ``dfs.rpc`` on ``mapreduce.jobtracker.rpc-address``
  (127.0.0.1, any port, by default), writes run/jobtracker.addr once serving, and ticks the
  JobTracker (lost trackers, job commits) from a monitor thread.
- `TaskTrackerDaemon`: the TaskTracker of one DataNode's node (``hadoop tasktracker --id dnN``,
  its rack from the topology), with a shuffle server for its map outputs; its main thread
  reads its children and heartbeats to the JobTracker (reconnecting, with bounded backoff,
  when the JobTracker restarts), so its children get the kernel's death signal if it dies.

SIGTERM (or SIGINT) stops a daemon cleanly and removes its addr and pid files; a tracker kills
its running attempts. ``mapred.launcher`` starts these in the background.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import logging
import threading
import time
from multiprocessing.connection import wait
from typing import Any

from dfs import runfiles
from dfs.conf import Configuration, home_dir
from dfs.daemons import PARENT_KEY, parse_address, stop_on_signals, topology_rack
from dfs.datanode import pid_alive
from mapred import trackerproto
from mapred.embedded import layout_for
from mapred.errors import MapRedError
from mapred.jobtracker import JobTracker
from mapred.shuffleserver import ShuffleServer
from mapred.tasktracker import TaskTracker
from mapred.trackerproto import JOBTRACKER, InterTrackerProtocol, JobSubmissionProtocol

log = logging.getLogger(__name__)

__all__ = [
    "JobTrackerDaemon",
    "TaskTrackerDaemon",
    "run_jobtracker",
    "run_tasktracker",
    "tracker_name",
    "register_wire_types",
    "JOBTRACKER",
]

TICK_S = 0.05
EVENTS_EVERY_S = 0.05  # a tracker asks the JobTracker for map completion events at most this often
MAX_BACKOFF_S = 2.0


def tracker_name(node_id: str) -> str:
    """The run/ and logs/ name of node `node_id`'s tracker daemon."""
    return f"tasktracker-{node_id}"


def register_wire_types() -> None:
    """Allow the MapReduce messages on the RPC wire (msgpack extension types, never pickle)."""
    from dfs.rpccodec import register

    for name in trackerproto.__all__:
        obj = getattr(trackerproto, name)
        if dataclasses.is_dataclass(obj) and isinstance(obj, type):
            register(obj)


class JobTrackerDaemon:
    """The JobTracker of one state directory, serving RPC until `stop`."""

    def __init__(self, conf: Configuration) -> None:
        from dfs.rpc import RpcServer

        register_wire_types()
        self.conf = conf
        self.home = home_dir(conf)
        self._lock_fd = runfiles.hold_lock(self.home, JOBTRACKER)
        runfiles.remove_files(self.home, JOBTRACKER)
        self.jobtracker = JobTracker(conf)
        key = "mapreduce.jobtracker.rpc-address"
        address = parse_address(conf.get_str(key) or "127.0.0.1:0", key)
        protocols = (JobSubmissionProtocol, InterTrackerProtocol)
        self.server = RpcServer(self.jobtracker, protocols, address, conf, inline=())
        self.address = self.server.address
        self.stopped = threading.Event()
        self._monitor = threading.Thread(target=self._monitor_loop, name="monitor", daemon=True)

    def start(self) -> JobTrackerDaemon:
        self.server.start()
        self._monitor.start()
        runfiles.write_pid(self.home, JOBTRACKER)
        runfiles.write_addr(self.home, JOBTRACKER, self.address)
        log.info("JobTracker of %s serving on %s:%d", self.home, *self.address)
        return self

    def _monitor_loop(self) -> None:
        while not self.stopped.wait(TICK_S):
            try:
                self.jobtracker.tick()
            except Exception:  # noqa: BLE001 - the monitor must outlive one bad round
                log.exception("JobTracker monitor round failed")

    def serve_forever(self) -> None:
        _serve_until_stopped(self.conf, self.stopped, None)
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        log.info("JobTracker shutting down")
        try:
            self.server.stop()
            if self._monitor.is_alive():
                self._monitor.join(5)
        finally:
            runfiles.remove_files(self.home, JOBTRACKER)


class TaskTrackerDaemon:
    """The TaskTracker of node `node_id`, heartbeating to the JobTracker until `stop`."""

    def __init__(self, conf: Configuration, node_id: str) -> None:
        register_wire_types()
        self.conf, self.node_id = conf, node_id
        self.home = home_dir(conf)
        rack = topology_rack(self.home, node_id, None)
        self.name = tracker_name(node_id)
        self._lock_fd = runfiles.hold_lock(self.home, self.name)
        runfiles.remove_files(self.home, self.name)
        layout = layout_for(conf, inline=False)
        where = [host for host, _ in layout.nodes].index(node_id)
        self.shuffle = ShuffleServer().start()
        self.proxy: Any = None
        self.proxy_address: tuple[str, int] | None = None
        self.backoff = 0.0
        self.tracker = TaskTracker(
            node_id,
            rack,
            _Reconnecting(self),
            conf,
            layout.map_slots[where],
            layout.reduce_slots[where],
            shuffle=self.shuffle,
            events_every=EVENTS_EVERY_S,
        )
        self.stopped = threading.Event()

    def connect(self) -> Any:
        """A proxy to the JobTracker at the address it published (it may have restarted)."""
        from dfs.rpc import RpcProxy

        address = runfiles.read_addr(self.home, JOBTRACKER)
        if address is None or not runfiles.is_running(self.home, JOBTRACKER):
            raise ConnectionError(f"no JobTracker is running on {self.home}")
        if self.proxy is None or self.proxy_address != address:
            self.close_proxy()
            self.proxy = RpcProxy((InterTrackerProtocol,), address, self.conf)
            self.proxy_address = address
        return self.proxy

    def close_proxy(self) -> None:
        if self.proxy is not None:
            with contextlib.suppress(OSError):
                self.proxy.close()
            self.proxy = None

    def start(self) -> TaskTrackerDaemon:
        _preload(self.conf)  # what every task imports, imported once: the children inherit it
        self.tracker.warm_up()
        runfiles.write_pid(self.home, self.name)
        runfiles.write_addr(self.home, self.name, self.shuffle.address)
        log.info(
            "TaskTracker %s (%s) shuffle on %s:%d",
            self.tracker.name,
            self.tracker.rack,
            *self.shuffle.address,
        )
        return self

    def serve_forever(self) -> None:
        _serve_until_stopped(self.conf, self.stopped, self._round)
        self.stop()

    def _round(self) -> None:
        tracker = self.tracker
        now = time.monotonic()
        pause = max(0.0, min(TICK_S, tracker.next_heartbeat - now))
        conns = tracker.connections()
        ready = set(wait(conns, pause)) if conns else _sleep(pause)
        tracker.poll(ready)
        if tracker.heartbeat_due(time.monotonic()):
            try:
                tracker.heartbeat()
                self.backoff = 0.0
            except (ConnectionError, OSError, MapRedError) as e:
                self.backoff = min(MAX_BACKOFF_S, max(0.1, self.backoff * 2))
                # quiet while a start-cluster brings the JobTracker up; loud once it stays away
                level = logging.WARNING if self.backoff >= MAX_BACKOFF_S else logging.INFO
                log.log(level, "JobTracker unreachable (%s); again in %.1f s", e, self.backoff)
                self.close_proxy()
                tracker.next_heartbeat = time.monotonic() + self.backoff

    def stop(self) -> None:
        self.stopped.set()
        log.info("TaskTracker %s shutting down", self.tracker.name)
        try:
            self.tracker.shutdown()
            self.shuffle.stop()
            self.close_proxy()
        finally:
            runfiles.remove_files(self.home, self.name)


class _Reconnecting:
    """The tracker's JobTracker: each call through the daemon's current proxy."""

    def __init__(self, daemon: TaskTrackerDaemon) -> None:
        self._daemon = daemon

    def heartbeat(self, status: Any) -> Any:
        return self._daemon.connect().heartbeat(status)

    def can_commit(self, attempt_id: str) -> bool:
        return self._daemon.connect().can_commit(attempt_id)

    def completion_events(self, job_id: str, start: int) -> list:
        return self._daemon.connect().completion_events(job_id, start)


#: Imported by a tracker daemon before it forks its children (every task needs them), so no
#: task pays for them; ``mapreduce.tasktracker.preload.modules`` adds more (e.g. a job's own
#: modules, or ``piglatin.back.runtime`` for Pig scripts).
PRELOAD = ("mapred.task", "mapred.io", "mapred.output", "mapred.committer", "dfs.filesystem")


def _preload(conf: Configuration) -> None:
    extra = conf.get_str("mapreduce.tasktracker.preload.modules") or ""
    for name in (*PRELOAD, *(n.strip() for n in extra.split(",") if n.strip())):
        try:
            importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - a task that needs it will report the error
            log.warning("cannot preload module %s: %s", name, e)


def _serve_until_stopped(conf: Configuration, stopped: threading.Event, round_: Any) -> None:
    """Run `round_` on the main thread until SIGTERM/SIGINT or the watched parent is gone."""
    stop_on_signals(stopped)
    parent = conf.get_int(PARENT_KEY, 0)
    next_check = 0.0
    while not stopped.is_set():
        if round_ is not None:
            round_()
        if stopped.wait(0 if round_ is not None else 1.0):
            return
        if parent and time.monotonic() >= next_check:
            next_check = time.monotonic() + 1.0
            if not pid_alive(parent):
                log.warning("process %d that started this daemon is gone: stopping", parent)
                return


def _sleep(seconds: float) -> set:
    time.sleep(seconds)
    return set()


def run_jobtracker(conf: Configuration) -> int:
    """``hadoop jobtracker``: the JobTracker in the foreground until SIGTERM/SIGINT."""
    runfiles.setup_logging(home_dir(conf), JOBTRACKER)
    daemon = JobTrackerDaemon(conf).start()
    daemon.serve_forever()
    return 0


def run_tasktracker(conf: Configuration, node_id: str) -> int:
    """``hadoop tasktracker --id dnN``: node dnN's TaskTracker until SIGTERM/SIGINT."""
    topology_rack(home_dir(conf), node_id, None)  # refused before a log file is made
    runfiles.setup_logging(home_dir(conf), tracker_name(node_id))
    daemon = TaskTrackerDaemon(conf, node_id).start()
    daemon.serve_forever()
    return 0
