"""A TaskTracker's children made by os.fork and their socket-pair umbilical (mapred.child).

What a tracker relies on, checked against the operating system's own answers: exit codes as
``multiprocessing`` reports them (the status, or minus the signal that ended the child), a
bounded ``join``, the parent's exit handlers never running in a child, whole messages of any
size in order, EOFError once the other end is gone, and ``wait_readable`` naming exactly the
connections with something to read. A job on the embedded cluster no longer imports
``multiprocessing`` (it did for its children's pipes).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapred.child import ForkedProcess, FramedConnection, wait_readable

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def _exit_with(code: int) -> None:
    sys.exit(code)


def _sleep() -> None:
    time.sleep(30)


def _raise() -> None:
    raise RuntimeError("boom in the child")


def test_exit_codes_are_the_child_status_or_minus_its_signal() -> None:
    ok = ForkedProcess(lambda: None, ())
    seven = ForkedProcess(_exit_with, (7,))
    ok.join(10)
    seven.join(10)
    assert (ok.exitcode, seven.exitcode) == (0, 7)
    slow = ForkedProcess(_sleep, ())
    assert slow.is_alive()
    slow.kill()
    slow.join(10)
    assert slow.exitcode == -signal.SIGKILL and not slow.is_alive()


def test_join_with_a_timeout_returns_in_time_and_leaves_the_child_running() -> None:
    slow = ForkedProcess(_sleep, ())
    started = time.monotonic()
    slow.join(0.2)
    assert time.monotonic() - started < 2.0
    assert slow.exitcode is None and slow.is_alive()
    slow.kill()
    slow.join(10)
    assert slow.exitcode == -signal.SIGKILL


def test_an_error_escaping_the_child_is_exit_code_1_and_printed(tmp_path: Path) -> None:
    code = (
        "import sys; from mapred.child import ForkedProcess\n"
        "def boom():\n    raise RuntimeError('boom in the child')\n"
        "p = ForkedProcess(boom, ()); p.join(10); print('exit', p.exitcode)\n"
    )
    done = _python(code, tmp_path)
    assert done.stdout.strip() == "exit 1"
    assert "RuntimeError: boom in the child" in done.stderr


def test_the_parents_exit_handlers_do_not_run_in_the_child(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    code = (
        "import atexit, os, sys; from mapred.child import ForkedProcess\n"
        f"atexit.register(lambda: open({str(marks)!r}, 'a').write(f'{{os.getpid()}}\\n'))\n"
        "p = ForkedProcess(lambda: None, ()); p.join(10)\n"
        "print(os.getpid(), p.pid, p.exitcode)\n"
    )
    done = _python(code, tmp_path)
    parent, child, exitcode = done.stdout.split()
    assert exitcode == "0" and child != parent
    assert marks.read_text().split() == [parent]  # the handler ran once: in the parent


def test_messages_arrive_whole_and_in_order_and_eof_after_close() -> None:
    a, b = (FramedConnection(s) for s in socket.socketpair())
    big = os.urandom(3 << 20)  # larger than any socket buffer: sent while the reader reads
    child = ForkedProcess(_echo_all, (b, a))
    b.close()
    for message in (b"", b"x", big, b"last"):
        a.send_bytes(message)
        assert a.recv_bytes() == message
    a.send_bytes(b"stop")
    child.join(10)
    assert child.exitcode == 0
    with pytest.raises(EOFError):
        a.recv_bytes()
    a.close()


def _echo_all(conn: FramedConnection, other: FramedConnection) -> None:
    other.close()
    while (message := conn.recv_bytes()) != b"stop":
        conn.send_bytes(message)


def test_wait_readable_names_the_connections_with_data_or_a_closed_peer() -> None:
    pairs = [tuple(FramedConnection(s) for s in socket.socketpair()) for _ in range(3)]
    ours = [p[0] for p in pairs]
    assert wait_readable(ours, 0) == set()
    started = time.monotonic()
    assert wait_readable(ours, 0.1) == set()
    assert time.monotonic() - started >= 0.09
    pairs[1][1].send_bytes(b"hello")
    pairs[2][1].close()
    assert wait_readable(ours, 5) == {ours[1], ours[2]}
    assert ours[1].recv_bytes() == b"hello"
    with pytest.raises(EOFError):
        ours[2].recv_bytes()
    for a, b in pairs:
        a.close()
        if b is not pairs[2][1]:
            b.close()


JOB = """
import sys
from mapred.runner import run_job
result = run_job("jobs.wordcount:WordCount", [sys.argv[1]], sys.argv[2],
                 {"mapreduce.job.reduces": 2}, "cluster")
assert result.succeeded, result.error
print(sorted(m for m in sys.modules if m.split(".")[0] == "multiprocessing"))
"""


def test_an_embedded_job_runs_in_forked_children_without_multiprocessing(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("a b a\nc a b\n")
    done = _python(JOB, tmp_path, str(tmp_path / "in.txt"), str(tmp_path / "out"))
    assert done.stdout.strip() == "[]"
    counts = {}
    for part in sorted((tmp_path / "out").glob("part-r-*")):
        for line in part.read_text().splitlines():
            word, n = line.split("\t")
            counts[word] = int(n)
    assert counts == {"a": 3, "b": 2, "c": 1}


def _python(code: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MINIHADOOP_HOME=str(tmp_path / "home"))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done


SHUTDOWN = """
import os, time
from dfs.conf import Configuration
from mapred.tasktracker import TaskTracker
trackers = [TaskTracker(f"h{i}", "/r", None, Configuration({}, load_site=False), 2, 1)
            for i in range(2)]
for t in trackers:
    t.warm_up()  # three idle children each
for t in trackers:
    t.shutdown(wait=False)
for t in trackers:
    t.wait_stopped()
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    print("all reaped")
trackers[0].shutdown()  # again: nothing left to stop
"""


def test_shutdown_tells_every_child_then_reaps_them_all(tmp_path: Path) -> None:
    """Two trackers' six idle children all end and are waited for (no zombie left)."""
    assert _python(SHUTDOWN, tmp_path).stdout.strip() == "all reaped"
