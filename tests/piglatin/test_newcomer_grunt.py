"""Issue 16 item 9: Grunt and the shell-like statements.

- Ctrl-C during a DUMP cancels that statement (its job killed) and grunt goes on with every
  alias it had (a subprocess gets SIGINT while its job runs; every wait is bounded);
- a failing `sh` or `fs` statement is an error, as Pig's GruntParser ("sh command '...'
  failed"): in a script it stops the script with Pig's I/O exit status (5: Pig wraps it in an
  IOException), in grunt it is reported and the shell goes on; the command's own stderr is
  shown (Pig's StreamPrinter for sh)."""

from __future__ import annotations

import io
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from piglatin.tools import cli, report
from piglatin.tools.grunt import INTERRUPTED, run_grunt


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text("1\n2\n")
    return tmp_path


def grunt(text: str, **kw) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    assert run_grunt("local", stdin=io.StringIO(text), out=out, err=err, **kw) == 0
    return out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ sh and fs in a script
def test_sh_failure_stops_a_script_with_pigs_io_status(work, capsys):
    rc = cli.main(["-x", "local", "-e", "sh exit 3; A = LOAD 'in.txt'; DUMP A;"])
    out, err = capsys.readouterr()
    assert rc == report.IO_EXCEPTION
    line = next(ln for ln in err.splitlines() if ln.startswith("ERROR"))
    assert "sh command 'exit 3' failed with exit status 3" in line and "ERROR 2999" not in line
    assert out == ""  # the DUMP after it never ran


def test_sh_shows_the_commands_own_errors(work, capsys):
    rc = cli.main(["-x", "local", "-e", "sh echo out-text; sh echo err-text >&2; sh ls /nope-dir"])
    out, err = capsys.readouterr()
    assert rc == report.IO_EXCEPTION
    assert out == "out-text\n" and "err-text" in err
    assert "No such file or directory" in err  # ls's own message, in the error line too


def test_fs_failure_stops_a_script(work, capsys):
    rc = cli.main(["-x", "local", "-e", "fs -cat nope.txt; A = LOAD 'in.txt'; DUMP A;"])
    out, err = capsys.readouterr()
    assert rc == report.IO_EXCEPTION and out == ""
    line = next(ln for ln in err.splitlines() if ln.startswith("ERROR"))
    assert "fs command '-cat " in line and "nope.txt': No such file or directory" in line
    assert "ERROR 2999" not in err and "Errno" not in err


def test_a_good_sh_and_fs_still_succeed(work, capsys):
    assert cli.main(["-x", "local", "-e", "sh echo hi; fs -cat in.txt"]) == 0
    assert capsys.readouterr().out == "hi\n1\n2\n"


# ------------------------------------------------------------------------ in grunt
def test_grunt_reports_a_failing_sh_and_fs_and_goes_on(work):
    out, err = grunt("sh exit 3\nfs -cat nope.txt\nA = LOAD 'in.txt' AS (n:int);\nDUMP A;\n")
    assert "sh command 'exit 3' failed with exit status 3" in err
    assert "fs command '-cat " in err
    assert "(1)\n(2)\n" in out  # the shell went on


def test_grunt_errors_go_to_the_log_file(work):
    log = work / "grunt.log"
    _, err = grunt("DUMP nothing;\n", logfile=str(log))
    assert f"Details at logfile: {log}" in err
    assert log.read_text().startswith("Pig Stack Trace")


def _reader(stream, tag, q):
    for line in stream:
        q.put((tag, line))


def _wait_for(q: queue.Queue, needle: str, seconds: float) -> list[str]:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _tag, line = q.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} not seen in {seconds}s: {seen}")


def test_ctrl_c_during_dump_cancels_it_and_keeps_the_aliases(work):
    (work / "slow.py").write_text("import time\n\ndef slow(x):\n    time.sleep(30)\n    return x\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "piglatin.tools.cli", "-x", "local"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
        cwd=work,
    )
    q: queue.Queue = queue.Queue()
    readers = [
        threading.Thread(target=_reader, args=(stream, tag, q), daemon=True)
        for stream, tag in ((proc.stdout, "out"), (proc.stderr, "err"))
    ]
    for reader in readers:
        reader.start()
    try:
        proc.stdin.write(
            "REGISTER 'slow.py' USING jython AS s;\nA = LOAD 'in.txt' AS (n:int);\n"
            "B = FOREACH A GENERATE s.slow(n);\nDUMP B;\n"
        )
        proc.stdin.flush()
        _wait_for(q, "HadoopJobId", 60)  # the DUMP's job is running
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _wait_for(q, INTERRUPTED, 20)
        assert time.monotonic() - started < 20  # not the 30 s the UDF sleeps
        proc.stdin.write("DUMP A;\ndescribe B;\nquit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=60) == 0  # the shell lived on, and quit normally
        for reader in readers:  # every line the shell wrote is in the queue
            reader.join(timeout=30)
        lines = []
        while not q.empty():
            lines.append(q.get()[1])
        text = "".join(lines)
        assert "(1)\n(2)\n" in text  # A is still defined and runs
        assert "B: {" in text  # so is B
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_exit_leaves_the_shell_like_quit(work):
    out, _ = grunt("exit\nA = LOAD 'in.txt';\nDUMP A;\n")
    assert "(1)" not in out


def test_kill_asks_the_job_client(work, monkeypatch, tmp_path):
    """Pig's `kill <job_id>` kills a Hadoop job; an unknown id gets the job client's answer
    (it said "no MapReduce job of this session is running" for any id)."""
    monkeypatch.setenv("MINIHADOOP_HOME", str(tmp_path / "home"))
    _, err = grunt("kill job_local1_0042\nkill\n")
    assert "Could not find job job_local1_0042" in err
    assert "kill: give the job's id" in err
