"""A job submitted to the embedded cluster is heard at once: the trackers heartbeat on the
news instead of waiting out the interval the previous job's last heartbeat set. Checked by
counting the driver's idle waits (no clock involved): a second local job right after a
first one runs without any."""

from __future__ import annotations

from pathlib import Path

import mapred.embedded as embedded
from jobs.wordcount import WordCount
from mapred.runner import run_job


def test_a_job_right_after_another_runs_without_an_idle_wait(tmp_path: Path, monkeypatch) -> None:
    text = tmp_path / "in.txt"
    text.write_text("a b a\nc\n")
    first = run_job(WordCount, [str(text)], str(tmp_path / "out1"), {}, "local")
    assert first.succeeded
    slept: list[float] = []
    real = embedded._sleep  # noqa: SLF001 - the wait under test

    def counting(seconds: float) -> set:
        slept.append(seconds)
        return real(seconds)

    monkeypatch.setattr(embedded, "_sleep", counting)
    second = run_job(WordCount, [str(text)], str(tmp_path / "out2"), {}, "local")
    assert second.succeeded
    assert dict(second.read_output()) == {"a": "2", "b": "1", "c": "1"}
    assert slept == []
