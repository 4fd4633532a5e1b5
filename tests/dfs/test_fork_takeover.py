"""A child made by ``os.fork`` takes over the clusters its parent had open (``dfs.files``'s
``adopt_after_fork``, called by every TaskTracker child): no second namespace load and edit-log
replay per task process, and still two processes that exclude each other.

- the child's `files_for` is the parent's cluster object (not a new load), with a client of
  its own (its pid in the lease holder name), and it sees what the parent wrote before and
  after the fork; the parent sees what the child wrote (nothing acknowledged is lost);
- while the child holds the namespace lock, a call in the parent waits (an inherited flock
  descriptor would have let both in at once);
- a cluster whose lock a thread of the parent held at the fork is not taken over.

Checked by object identity, file contents and lock waits, never by times.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from dfs.cluster import format_cluster
from dfs.conf import Configuration, current_user
from dfs.files import adopt_after_fork, files_for

USER = current_user()  # the superuser of a cluster it formats: writes anywhere
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def home(tmp_path: Path) -> str:
    home = str(tmp_path / "home")
    format_cluster(Configuration({"minihadoop.home": home}, load_site=False))
    return home


def _fork(child) -> tuple[int, int, int]:
    """Fork; the child runs `child(to_parent, from_parent)` (file descriptors) and exits with
    its return code (2 for an exception). Returns (pid, read end, write end) in the parent."""
    up_r, up_w = os.pipe()
    down_r, down_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side is reported through the pipe
        code = 2
        try:
            os.close(up_r)
            os.close(down_w)
            code = child(up_w, down_r)
        except BaseException as e:  # noqa: BLE001
            os.write(up_w, json.dumps({"error": repr(e)}).encode() + b"\n")
        finally:
            os._exit(code)
    os.close(up_w)
    os.close(down_r)
    return pid, up_r, down_w


def _read_line(fd: int) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return json.loads(data) if data else {}


def _exit_code(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_forked_child_takes_over_the_open_cluster(home):
    files = files_for(home, USER)
    files.pipe_file("/tmp/before", b"written before the fork")
    parent_cluster = id(files.cluster)

    def child(up: int, down: int) -> int:
        taken = [home, USER] in [list(t) for t in adopt_after_fork()]
        mine = files_for(home, USER)
        os.read(down, 1)  # the parent wrote /after
        report = {
            "taken": taken,
            "same_cluster": id(mine.cluster) == parent_cluster,
            "holder_pid": mine.client.name.split("_")[1],
            "before": mine.cat_file("/tmp/before").decode(),
            "after": mine.cat_file("/tmp/after").decode(),
        }
        mine.pipe_file("/tmp/from-child", b"written by the child")
        os.write(up, json.dumps(report).encode() + b"\n")
        return 0

    pid, up, down = _fork(child)
    files.pipe_file("/tmp/after", b"written after the fork")
    os.write(down, b"x")
    report = _read_line(up)
    assert _exit_code(pid) == 0, report
    assert report == {
        "taken": True,
        "same_cluster": True,
        "holder_pid": str(pid),
        "before": "written before the fork",
        "after": "written after the fork",
    }
    assert files.cat_file("/tmp/from-child") == b"written by the child"
    assert files.client.name.split("_")[1] == str(os.getpid())  # the parent's client unchanged


def test_the_child_and_the_parent_exclude_each_other(home):
    files = files_for(home, USER)
    files.pipe_file("/tmp/x", b"x")

    def child(up: int, down: int) -> int:
        adopt_after_fork()
        mine = files_for(home, USER)
        with mine.cluster.namenode.locked():
            os.write(up, json.dumps({"holding": True}).encode() + b"\n")
            os.read(down, 1)  # held until the parent has tried
        return 0

    pid, up, down = _fork(child)
    assert _read_line(up) == {"holding": True}
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (files.exists("/tmp/x"), done.set()))
    waiter.start()
    blocked = not done.wait(0.5)  # with a shared flock the call goes through at once
    os.write(down, b"x")
    waiter.join(60)
    assert _exit_code(pid) == 0
    assert blocked, "the parent got the namespace lock while the child held it"
    assert done.is_set()


def test_a_cluster_locked_by_another_thread_is_not_taken_over(home):
    files = files_for(home, USER)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with files.cluster.namenode.locked():
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(60)
    try:

        def child(up: int, down: int) -> int:
            taken = [home, USER] in [list(t) for t in adopt_after_fork()]
            os.write(up, json.dumps({"taken": taken}).encode() + b"\n")
            return 0

        pid, up, _down = _fork(child)
        report = _read_line(up)
        assert _exit_code(pid) == 0
    finally:
        release.set()
        holder.join(60)
    assert report == {"taken": False}
