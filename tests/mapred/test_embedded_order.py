"""One step of the embedded cluster's driver heartbeats the trackers that have news (an
attempt ended) before the others, so that a tracker earlier in the list is offered the work
those ends made available (a reduce once the last map is done, under
``mapreduce.job.reduce.slowstart.completedmaps=1``) in the same step, not a heartbeat
interval later. Checked on the order of the calls, with stand-in trackers (no clock)."""

from __future__ import annotations

from typing import Any

from mapred.embedded import EmbeddedMapReduce


class _Tracker:
    def __init__(self, name: str, news: bool, calls: list[str]) -> None:
        self.name, self.news, self.calls = name, news, calls
        self.next_heartbeat = float("inf")

    def connections(self) -> list[Any]:
        return []

    def heartbeat_due(self, now: float) -> bool:
        return self.news

    def has_news(self) -> bool:
        return self.news

    def poll(self, ready: set) -> None:
        pass

    def heartbeat(self) -> None:
        self.calls.append(self.name)
        self.news = False

    def answer_waiting(self) -> None:
        pass


class _JobTracker:
    def tick(self) -> None:
        pass


def test_the_trackers_with_news_heartbeat_first() -> None:
    calls: list[str] = []
    cluster = EmbeddedMapReduce.__new__(EmbeddedMapReduce)
    cluster.trackers = [
        _Tracker("idle0", False, calls),
        _Tracker("done1", True, calls),
        _Tracker("idle2", False, calls),
        _Tracker("done3", True, calls),
    ]
    cluster.jobtracker = _JobTracker()
    cluster._news = False  # noqa: SLF001 - the driver's own state, set as after a submit
    cluster.step()
    assert calls == ["done1", "done3", "idle0", "idle2"]
