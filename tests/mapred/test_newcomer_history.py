"""Issue 16: ``hadoop job -history [all] <job-id>|<jobOutputDir>`` as Hadoop's JobClient reads it.

Expected behaviour from Hadoop (``mapred job -history [all] <jobHistoryFile|jobId>``): the
job's details and its failed and killed task attempts; "More details about the job such as
successful tasks, task attempts made for each task ... can be viewed by specifying the [all]
option". `all` is an option, never the job or the output directory.
"""

from __future__ import annotations

import contextlib
import io
import json

from dfs.conf import Configuration
from mapred.jobclient import job_main

JOB = "job_local7_0001"
OUT = "/tmp/some/out"
ATTEMPTS = [  # (attempt id, type, state, error)
    ("attempt_local7_0001_m_000000_0", "MAP", "FAILED", "ValueError: bad record"),
    ("attempt_local7_0001_m_000000_1", "MAP", "SUCCEEDED", ""),
    ("attempt_local7_0001_m_000001_0", "MAP", "KILLED", "speculative twin won"),
    ("attempt_local7_0001_m_000001_1", "MAP", "SUCCEEDED", ""),
    ("attempt_local7_0001_r_000000_0", "REDUCE", "SUCCEEDED", ""),
]


def _history(home) -> Configuration:
    directory = home / "history"
    directory.mkdir(parents=True)
    summary = {
        "job_id": JOB, "name": "J", "user": "u", "state": "SUCCEEDED", "committing": False,
        "pid": 0, "output": OUT, "inputs": ["/in"], "maps": 2, "total_maps": 2, "reduces": 1,
        "total_reduces": 1, "submit_time": 1000, "finish_time": 9000, "error": "",
        "counters": {},
    }  # fmt: skip
    (directory / f"{JOB}.json").write_text(json.dumps(summary))
    events = []
    for i, (aid, kind, state, error) in enumerate(ATTEMPTS):
        started = {"event": "ATTEMPT_STARTED", "time": 2000 + i, "attempt_id": aid, "type": kind}
        events.append({**started, "tracker": "tracker_dn0", "host": "dn0", "locality": "LOCAL"})
        events.append(
            {"event": "ATTEMPT_FINISHED", "time": 3000 + i, "attempt_id": aid, "state": state,
             "error": error, "tracker": "tracker_dn0"}
        )  # fmt: skip
    (directory / f"{JOB}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    return Configuration({"minihadoop.home": str(home)}, load_site=False)


def hjob(conf, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = job_main(conf, list(args))
    return status, out.getvalue(), err.getvalue()


def listed(text: str) -> list[str]:
    return [line.split("\t")[1] for line in text.splitlines() if "\tattempt_" in line]


def test_history_all_lists_every_attempt(tmp_path):
    conf = _history(tmp_path)
    for target in (JOB, OUT):
        status, out, err = hjob(conf, "-history", "all", target)
        assert status == 0, err
        assert f"Hadoop job: {JOB}\n" in out
        assert listed(out) == [a[0] for a in ATTEMPTS]


def test_history_without_all_lists_failed_and_killed_attempts_only(tmp_path):
    conf = _history(tmp_path)
    for target in (JOB, OUT):
        status, out, err = hjob(conf, "-history", target)
        assert status == 0, err
        assert f"Hadoop job: {JOB}\n" in out and "Status: SUCCEEDED" in out
        assert listed(out) == [a[0] for a in ATTEMPTS if a[2] in ("FAILED", "KILLED")]
        assert "ValueError: bad record" in out
        assert "-history all" in out  # says how to see the rest


def test_all_is_never_taken_for_the_job(tmp_path):
    conf = _history(tmp_path)
    status, _out, err = hjob(conf, "-history", "all")
    assert status == 255 and "Usage: hadoop job [-history [all] <job-id>|<jobOutputDir>]" in err
