"""Following jobs (issue 13): ``hadoop job -list/-status/-kill/-history/-events`` checked against
what real jobs did, and ``hadoop jar``'s progress lines and bar.

Jobs run on the default (cluster) framework, with a JobTracker and a TaskTracker per node of a
freshly formatted 4-node state directory, on small local files.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import time

import pytest

from dfs.conf import Configuration, current_user
from mapred.api import Job
from mapred.cli import ProgressPrinter
from mapred.jobclient import job_main
from tests.mapred.test_cli import hadoop  # `hadoop ARGS` in a subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ATTEMPT = re.compile(r"^(MAP|REDUCE)\t(attempt_\S+)\t", re.M)


def _env(home):
    return dict(os.environ, MINIHADOOP_HOME=str(home), PYTHONPATH=ROOT)


@pytest.fixture
def home(tmp_path):
    from dfs.cluster import format_cluster

    home = tmp_path / "home"
    conf = Configuration({"minihadoop.home": str(home), "dfs.datanodes": 4}, load_site=False)
    format_cluster(conf)
    return home


def hjob(home, *args) -> subprocess.CompletedProcess:
    """`hadoop job ARGS` in this process (it only reads the history): quicker than `hadoop`."""
    out, err = io.StringIO(), io.StringIO()
    conf = Configuration({"minihadoop.home": str(home)}, load_site=False)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = job_main(conf, list(args))
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def _job_ids(jar_stderr: str) -> list[str]:
    return re.findall(r"Running job: (job_\S+)", jar_stderr)


def _counters(text: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"^\t\t([^=\n]+)=(\d+)$", text, re.M)}


def _rows(listing: str) -> list[list[str]]:
    """The job rows of `hadoop job -list [all]` (after its count and header lines)."""
    lines = listing.splitlines()
    assert lines[1].split("\t") == [
        "JobId", "State", "StartTime", "UserName", "Priority", "SchedulingInfo", "Duration",
        "JobName",
    ]  # fmt: skip
    return [line.split("\t") for line in lines[2:]]


def _write_job(path, body: str):
    path.write_text("from mapred.api import Job, Step\n" + textwrap.dedent(body))
    return path


# -- -list: names, order ----------------------------------------------------------------------
def test_list_all_shows_every_job_in_submit_order_under_its_own_name(tmp_path, home):
    src = tmp_path / "in.txt"
    src.write_text("a b a\nc a\n")
    chain = _write_job(
        tmp_path / "twosteps.py",
        """
        class First(Job):
            def map(self, offset, line):
                yield line, 1

        class Second(Job):
            @classmethod
            def steps(cls, args):
                mid = args[1] + "-mid"
                return [Step(First, [args[0]], mid, name="first pass"), Step(cls, [mid], args[1])]
        """,
    )
    runs = [
        hadoop("jar", "jobs.wordcount", str(src), str(tmp_path / "o1"), home=home),
        hadoop("jar", "jobs.wordcount", str(src), str(tmp_path / "o2"), "-D",
               "mapreduce.job.name=my count", home=home),
        hadoop("jar", f"{chain}:Second", str(src), str(tmp_path / "o3"), home=home),
    ]  # fmt: skip
    for run in runs:
        assert run.returncode == 0, run.stderr
    ids = [i for run in runs for i in _job_ids(run.stderr)]
    assert len(ids) == 4

    listing = hadoop("job", "-list", "all", home=home)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.startswith("4 jobs submitted\n")
    rows = _rows(listing.stdout)
    assert [r[0] for r in rows] == ids  # the order they were submitted in
    starts = [int(r[2]) for r in rows]
    assert starts == sorted(starts) and all(abs(s / 1000 - time.time()) < 600 for s in starts)
    assert [r[7] for r in rows] == [
        "WordCount", "my count", "first pass", "Second",
    ]  # fmt: skip
    assert {(r[1], r[3], r[4], r[5]) for r in rows} == {
        ("SUCCEEDED", current_user(), "NORMAL", "NA")
    }
    assert all(re.fullmatch(r"\d+ms|\d+\.\d+sec", r[6]) for r in rows)

    running = hjob(home, "-list")
    assert running.returncode == 0 and running.stdout.startswith("0 jobs currently running\n")
    assert _rows(running.stdout) == []


# -- -status, -history, -events of a job that ran ---------------------------------------------
def test_history_and_events_show_every_attempt_the_job_launched(tmp_path, home):
    src = tmp_path / "in.txt"
    src.write_text("".join(f"w{i % 50} x{i % 7}\n" for i in range(3000)))
    run = hadoop(
        "jar", "jobs.wordcount", str(src), str(tmp_path / "out"),
        "-D", "mapreduce.input.fileinputformat.split.maxsize=4000",
        "-D", "mapreduce.job.reduces=2",
        home=home,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (job_id,) = _job_ids(run.stderr)

    status = hadoop("job", "-status", job_id, home=home)
    assert status.returncode == 0, status.stderr
    counters = _counters(status.stdout)
    maps, reduces = counters["Launched map tasks"], counters["Launched reduce tasks"]
    assert maps >= 4 and reduces == 2 and counters["Map input records"] == 3000
    assert "Job state: SUCCEEDED" in status.stdout
    assert "map() completion: 1.0\nreduce() completion: 1.0\n" in status.stdout
    assert "Job name: WordCount" in status.stdout

    shown = hadoop("job", "-history", "all", job_id, home=home)
    assert shown.returncode == 0, shown.stderr
    assert f"Hadoop job: {job_id}\n" in shown.stdout and "Status: SUCCEEDED" in shown.stdout
    lines = [line.split("\t") for line in shown.stdout.splitlines() if ATTEMPT.match(line + "\t")]
    assert len(lines) == maps + reduces
    assert sum(1 for line in lines if line[0] == "MAP") == maps
    for kind, attempt, tracker, host, _locality, start, finish, state, _error in lines:
        assert f"_{'m' if kind == 'MAP' else 'r'}_" in attempt and attempt.startswith("attempt_")
        assert tracker == f"tracker_{host}" and re.fullmatch(r"dn[0-3]", host)
        assert state in ("SUCCEEDED", "KILLED") and start < finish
    assert re.search(rf"^Map\t{maps}\t", shown.stdout, re.M)
    tasks = {line[1].rsplit("_", 1)[0] for line in lines if line[0] == "MAP"}
    assert f"Number of maps: {len(tasks)}\n" in status.stdout

    events = hadoop("job", "-events", job_id, "0", "1000", home=home)
    assert events.returncode == 0, events.stderr
    head, count, *listed = events.stdout.splitlines()
    assert head == f"Task completion events for {job_id}"
    assert count == f"Number of events (from 0) are: {maps + reduces}"
    assert sorted(e.split()[1] for e in listed) == sorted(line[1] for line in lines)
    assert {e.split()[2] for e in listed} <= {line[2] for line in lines}
    some = hjob(home, "-events", job_id, "2", "3")
    assert some.stdout.splitlines()[1] == "Number of events (from 2) are: 3"
    assert some.stdout.splitlines()[2:] == listed[2:5]

    by_dir = hjob(home, "-history", str(tmp_path / "out"))  # Hadoop 1's form
    assert by_dir.returncode == 0 and f"Hadoop job: {job_id}\n" in by_dir.stdout


def test_a_failed_first_attempt_and_its_retry_are_in_the_history(tmp_path, home):
    job = _write_job(
        tmp_path / "flaky.py",
        """
        class Flaky(Job):
            def map(self, offset, line):
                task = self.context.task_id
                if "_m_000000_" in task and task.endswith("_0"):
                    raise ValueError("the first attempt fails")
                yield line, 1
        """,
    )
    src = tmp_path / "in.txt"
    src.write_text("a\nb\na\n")
    out = tmp_path / "out"
    run = hadoop("jar", f"{job}:Flaky", str(src), str(out), home=home)
    assert run.returncode == 0, run.stderr
    assert (out / "part-r-00000").read_text() == "a\t1\na\t1\nb\t1\n"
    (job_id,) = _job_ids(run.stderr)
    first, retry = f"attempt_{job_id[4:]}_m_000000_0", f"attempt_{job_id[4:]}_m_000000_1"

    shown = hadoop("job", "-history", "all", job_id, home=home).stdout
    rows = {
        m.group(2): line.split("\t") for line in shown.splitlines() if (m := ATTEMPT.match(line))
    }
    assert rows[first][7] == "FAILED" and "ValueError: the first attempt fails" in rows[first][8]
    assert rows[retry][7] == "SUCCEEDED" and rows[retry][8] == ""
    assert rows[first][5] <= rows[retry][5]
    assert "Status: SUCCEEDED" in shown and _counters(shown)["Failed map tasks"] == 1
    assert re.search(r"^Map\t2\t1\t1\t0\t", shown, re.M)

    events = hjob(home, "-events", job_id, "0", "10").stdout.splitlines()[2:]
    statuses = [e.split()[:2] for e in events]
    assert statuses.index(["FAILED", first]) < statuses.index(["SUCCEEDED", retry])


def test_a_task_that_fails_every_attempt_fails_the_job(tmp_path, home):
    job = _write_job(
        tmp_path / "bad.py",
        """
        class Bad(Job):
            def map(self, offset, line):
                raise KeyError("nope")
        """,
    )
    src = tmp_path / "in.txt"
    src.write_text("a\n")
    out = tmp_path / "out"
    run = hadoop("jar", f"{job}:Bad", str(src), str(out), "-D", "mapreduce.map.maxattempts=2",
                 home=home)  # fmt: skip
    assert run.returncode == 1 and not out.exists()
    (job_id,) = _job_ids(run.stderr)
    status = hjob(home, "-status", job_id).stdout
    assert "Job state: FAILED" in status
    assert re.search(r"reason for failure: .*failed 2 times; last error: KeyError", status)
    events = hjob(home, "-events", job_id, "0", "10").stdout.splitlines()[2:]
    prefix = f"attempt_{job_id[4:]}_m_000000"
    assert [e.split()[:2] for e in events] == [
        ["FAILED", f"{prefix}_0"],
        ["TIPFAILED", f"{prefix}_1"],
    ]
    listed = _rows(hjob(home, "-list", "all").stdout)
    assert [(r[0], r[1]) for r in listed] == [(job_id, "FAILED")]


# -- -kill --------------------------------------------------------------------------------------
def _wait_running(home, deadline_s=60) -> list[str]:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        rows = _rows(hadoop("job", "-list", home=home).stdout)
        if rows:
            return rows[0]
        time.sleep(0.2)
    raise AssertionError("the job never showed up in hadoop job -list")


def test_kill_stops_a_running_job_the_history_says_killed(tmp_path, home):
    job = _write_job(
        tmp_path / "slow.py",
        """
        import time

        class Slow(Job):
            def map(self, offset, line):
                time.sleep(0.05)
                yield line, 1
        """,
    )
    src = tmp_path / "in.txt"
    src.write_text("".join(f"{i}\n" for i in range(4000)))  # > 3 minutes of mapping
    out = tmp_path / "out"
    jar = subprocess.Popen(
        [sys.executable, "-m", "mapred.cli", "jar", f"{job}:Slow", str(src), str(out),
         "-D", "fs.defaultFS=file:///"],
        cwd=ROOT, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        row = _wait_running(home)
        job_id = row[0]
        assert row[1] == "RUNNING" and row[7] == "Slow" and row[5].startswith("map ")
        killed = hadoop("job", "-kill", job_id, home=home)
        assert killed.returncode == 0, killed.stderr
        assert killed.stdout == f"Killed job {job_id}\n"
        _, err = jar.communicate(timeout=60)
    finally:
        if jar.poll() is None:
            jar.kill()
            jar.communicate()
    assert jar.returncode == 1, err
    assert f"Job {job_id} failed with state KILLED due to:" in err
    assert not out.exists()

    status = hjob(home, "-status", job_id).stdout
    assert "Job state: KILLED" in status
    shown = hjob(home, "-history", job_id).stdout
    assert "Status: KILLED" in shown
    states = [line.split("\t")[7] for line in shown.splitlines() if ATTEMPT.match(line)]
    assert states and set(states) == {"KILLED"}
    again = hjob(home, "-kill", job_id)
    assert again.returncode == 1 and f"The job {job_id} has already been killed." in again.stderr


def _summary(home, job_id, **fields):
    history = home / "history"
    history.mkdir(parents=True, exist_ok=True)
    record = {
        "job_id": job_id, "name": "J", "user": "u", "state": "RUNNING", "committing": False,
        "pid": 0, "output": str(home / "nowhere"), "inputs": [], "maps": 0, "total_maps": 1,
        "reduces": 0, "total_reduces": 1, "submit_time": 1000, "error": "", "counters": {},
        **fields,
    }  # fmt: skip
    (history / f"{job_id}.json").write_text(json.dumps(record))


def test_kill_leaves_finished_jobs_and_processes_that_do_not_own_the_job_alone(home, capsys):
    conf = Configuration({"minihadoop.home": str(home)}, load_site=False)
    _summary(home, "job_local1_0001", state="SUCCEEDED", finish_time=2000)
    # A RUNNING record naming this test's pid, submitted long before this process started:
    # its owner is gone and the pid was reused. It must be settled, never signalled.
    _summary(home, "job_local2_0001", pid=os.getpid(), submit_time=5000)
    assert job_main(conf, ["-kill", "job_local1_0001"]) == 1
    assert "Could not kill the job job_local1_0001, as it has already succeeded." in (
        capsys.readouterr().err
    )
    assert job_main(conf, ["-kill", "job_local2_0001"]) == 1
    assert "job_local2_0001 as killed, as it has already failed." in capsys.readouterr().err
    assert job_main(conf, ["-list"]) == 0
    assert capsys.readouterr().out.startswith("0 jobs currently running\n")
    assert job_main(conf, ["-list", "all"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [(r[0], r[1]) for r in rows] == [
        ("job_local1_0001", "SUCCEEDED"),
        ("job_local2_0001", "FAILED"),
    ]
    assert job_main(conf, ["-kill", "job_local9_0001"]) == 1
    assert "Could not find job job_local9_0001" in capsys.readouterr().err


# -- -counter ------------------------------------------------------------------------------------
def test_counter_prints_one_counter_by_hadoops_names(tmp_path, home):
    """mapred job -counter <job-id> <group-name> <counter-name> prints the value (CLI.getCounter:
    Counters.findCounter): framework groups by their class names (TaskCounter, JobCounter, the
    old API's org.apache.hadoop.mapred.Task$Counter), counters by their enum names; a job's own
    group by its name, where a counter it never incremented is 0."""
    src = tmp_path / "in.txt"
    lines = ["a b", "c", "", "d e f"]
    src.write_text("\n".join(lines) + "\n")
    job = _write_job(
        tmp_path / "counting.py",
        """
        class Counting(Job):
            def map(self, offset, line):
                for word in line.split():
                    self.context.increment("Counting$Words", "WORDS")
                    yield word, 1
        """,
    )
    run = hadoop("jar", f"{job}:Counting", str(src), str(tmp_path / "out"), home=home)
    assert run.returncode == 0, run.stderr
    (job_id,) = _job_ids(run.stderr)
    words = sum(len(line.split()) for line in lines)

    def counter(group, name):
        r = hjob(home, "-counter", job_id, group, name)
        assert (r.returncode, r.stderr) == (0, ""), r
        return r.stdout

    task = "org.apache.hadoop.mapreduce.TaskCounter"
    assert counter(task, "MAP_INPUT_RECORDS") == f"{len(lines)}\n"
    assert counter(task, "MAP_OUTPUT_RECORDS") == f"{words}\n"
    assert counter("org.apache.hadoop.mapred.Task$Counter", "REDUCE_INPUT_GROUPS") == "6\n"
    assert counter("org.apache.hadoop.mapreduce.JobCounter", "TOTAL_LAUNCHED_REDUCES") == "1\n"
    assert counter("Counting$Words", "WORDS") == f"{words}\n"
    assert counter("Counting$Words", "NEVER") == "0\n"
    r = hjob(home, "-counter", job_id, task, "NO_SUCH")
    assert (r.returncode, r.stderr) == (1, "job: NO_SUCH is not a recognized counter.\n")
    r = hjob(home, "-counter", "job_local9_0001", task, "MAP_INPUT_RECORDS")
    assert (r.returncode, r.stderr) == (1, "job: Could not find job job_local9_0001\n")


# -- usage --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [[], ["-bogus"], ["-list", "some"], ["-status"], ["-kill", "a", "b"],
     ["-events", "j", "x", "1"], ["-events", "j", "0"], ["-history"], ["-counter", "j", "g"]],
)  # fmt: skip
def test_bad_usage_prints_hadoops_usage_and_exits_255(home, capsys, args):
    conf = Configuration({"minihadoop.home": str(home)}, load_site=False)
    assert job_main(conf, args) == 255
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("Usage: hadoop job ")


def test_help_prints_the_usage_and_exits_0(home):
    for flag in ("-help", "-h", "--help"):
        run = hadoop("job", flag, home=home) if flag == "--help" else hjob(home, flag)
        assert run.returncode == 0, run.stderr
        assert run.stdout.startswith("Usage: hadoop job <command> <args>\n")
        assert "[-events <job-id> <from-event-#> <#-of-events>]" in run.stdout
    run = hadoop("job", home=home)
    assert run.returncode == 255 and run.stderr.startswith("Usage: hadoop job <command> <args>\n")


# -- progress while a job runs --------------------------------------------------------------------
class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _progress_lines(text: str) -> list[str]:
    return re.findall(r"INFO mapreduce\.Job: ( map \d+% reduce \d+%|Running job: \S+)", text)


def test_progress_lines_when_a_percentage_changes_at_most_every_half_second():
    clock, stream = _Clock(), io.StringIO()
    printer = ProgressPrinter(stream, interval=0.5, bar=False, clock=clock, flush_later=False)
    for t, m, r in [(0, 0, 0), (0.6, 0.004, 0), (1.2, 0.37, 0), (1.3, 0.5, 0), (1.4, 0.6, 0),
                    (2.0, 1.0, 0.2), (3.0, 1.0, 0.2), (3.1, 1.0, 1.0)]:  # fmt: skip
        clock.now = 100 + t
        printer("job_1", m, r)
    printer.close()
    assert _progress_lines(stream.getvalue()) == [
        "Running job: job_1",
        " map 0% reduce 0%",  # t=0.6: still 0% (rounded down): nothing
        " map 37% reduce 0%",  # 50% and 60% came within half a second of it: skipped
        " map 100% reduce 20%",
        " map 100% reduce 100%",  # the last state, held back by the interval, shown at the end
    ]


def test_a_change_held_back_is_printed_when_the_half_second_is_up():
    stream = io.StringIO()
    printer = ProgressPrinter(stream, interval=0.2, bar=False)
    printer("job_1", 0.0, 0.0)
    printer("job_1", 0.42, 0.0)  # within the interval; no further call comes
    deadline = time.monotonic() + 5
    while "map 42%" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _progress_lines(stream.getvalue())[-1] == " map 42% reduce 0%"
    printer("job_2", 0.0, 0.0)  # the next job of a chain
    printer.close()
    assert _progress_lines(stream.getvalue())[-2:] == ["Running job: job_2", " map 0% reduce 0%"]


def test_on_a_terminal_one_bar_is_redrawn_in_place():
    clock, stream = _Clock(), io.StringIO()
    printer = ProgressPrinter(stream, interval=0.5, bar=True, clock=clock, flush_later=False)
    for t, m in enumerate((0.0, 0.25, 0.5, 1.0)):
        clock.now = 100 + t
        printer("job_1", m, 0.0)
    printer.break_line()  # a log line comes: it must start on a line of its own
    stream.write("WARN something\n")
    clock.now = 110
    printer("job_1", 1.0, 1.0)
    printer.close()
    text = stream.getvalue()
    assert _progress_lines(text) == ["Running job: job_1"]  # no progress lines, bars instead
    lines = text.split("\n")
    assert lines[1].count("\r\x1b[K") == 4 and "map [#####...............]  25%" in lines[1]
    assert lines[2] == "WARN something"
    assert lines[3].endswith("map [####################] 100% reduce [####################] 100%")
    assert lines[4] == ""  # the bar's line is ended when the job is


def test_jar_progress_moves_with_the_data(tmp_path, home):
    job = _write_job(
        tmp_path / "batches.py",
        """
        import time

        class Batches(Job):
            def map_batch(self, keys, values):
                time.sleep(0.4)  # per 1 MiB chunk of the split
                return [("lines", len(values))]

            def reduce(self, key, values):
                yield key, sum(values)
        """,
    )
    src = tmp_path / "in.txt"
    line = "x" * 99 + "\n"
    src.write_text(line * 45_000)  # 4.5 MB: one map reading five chunks
    run = hadoop(
        "jar", f"{job}:Batches", str(src), str(tmp_path / "out"),
        "-D", "mapreduce.input.fileinputformat.split.minsize=100000000",
        "-D", "mapreduce.job.split.balance=false",
        home=home,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert _counters(run.stderr)["Launched map tasks"] == 1
    shown = re.findall(r"INFO mapreduce\.Job:  map (\d+)% reduce (\d+)%", run.stderr)
    maps = [int(m) for m, _ in shown]
    assert shown[0] == ("0", "0") and shown[-1] == ("100", "100") and maps == sorted(maps)
    assert any(0 < m < 100 for m in maps), run.stderr  # moved while the one map ran


def test_jar_on_a_terminal_draws_a_bar(tmp_path, home):
    import pty

    src = tmp_path / "in.txt"
    src.write_text("a b a\n")
    master, slave = pty.openpty()
    jar = subprocess.Popen(
        [sys.executable, "-m", "mapred.cli", "jar", "jobs.wordcount", str(src),
         str(tmp_path / "out"), "-D", "fs.defaultFS=file:///"],
        cwd=ROOT, env=_env(home), stdout=subprocess.DEVNULL, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            seen += data
        assert jar.wait(timeout=120) == 0
    finally:
        os.close(master)
        if jar.poll() is None:
            jar.kill()
            jar.wait()
    text = seen.decode()
    assert "\r\x1b[Kjob_" in text and "reduce [####################] 100%" in text
    assert " map 0% reduce 0%" not in text and "completed successfully" in text


# -- a job on the JobTracker daemon ----------------------------------------------------------------
class SlowMap(Job):
    def map(self, offset, line):
        time.sleep(0.05)
        yield line, 1


def test_kill_of_a_job_on_the_daemons_asks_the_jobtracker_and_leaves_it_running(tmp_path):
    """The daemon writes the history (its pid in the summary): -kill must ask it to kill the job,
    never signal it."""
    import threading

    from dfs import runfiles
    from mapred.daemons import JOBTRACKER
    from mapred.minicluster import MiniMRCluster
    from mapred.runner import process_alive

    with MiniMRCluster(tmp_path, datanodes=2, racks=1) as mr:
        mr.dfs.client().write_bytes("/in.txt", "".join(f"{i}\n" for i in range(4000)).encode())
        jobtracker = runfiles.read_pid(mr.home, JOBTRACKER)
        outcome = {}
        runner = threading.Thread(
            target=lambda: outcome.update(r=mr.run_job(SlowMap, ["dfs:///in.txt"], "dfs:///out"))
        )
        runner.start()
        try:
            row = _wait_running(mr.home)
            job_id = row[0]
            assert "local" not in job_id and row[7] == "SlowMap"
            killed = hadoop("job", "-kill", job_id, home=mr.home)
            assert killed.returncode == 0, killed.stderr
            assert killed.stdout == f"Killed job {job_id}\n"
        finally:
            runner.join(60)
        assert outcome["r"].state == "KILLED"
        assert process_alive(jobtracker) and runfiles.is_running(mr.home, JOBTRACKER)
        assert not mr.dfs.fs.exists("/out")
    # the cluster is stopped: its history still reads
    assert "Job state: KILLED" in hjob(mr.home, "-status", job_id).stdout
    shown = hjob(mr.home, "-history", "all", job_id).stdout
    assert "Status: KILLED" in shown
    trackers = {line.split("\t")[2] for line in shown.splitlines() if ATTEMPT.match(line)}
    assert trackers and trackers <= {f"tracker_{n}" for n in mr.nodes}
