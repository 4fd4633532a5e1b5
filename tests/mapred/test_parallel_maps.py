"""Map tasks on a 2-slot embedded cluster: they run at the same time, and an input too small to
fill the slots is still shared by them.

Concurrency is checked by the tasks themselves, not by timing: each map announces that it has
started (a file) and then waits for the other's announcement before it finishes. Two maps that
ran one after the other would never see each other (the first one gives up after a bounded
wait and the job fails), so no threshold on durations is involved.

Splits: ``mapreduce.job.split.balance.minsize`` keeps inputs from being cut into small pieces,
but an input of fewer splits than there are map slots leaves a slot idle for as long as it
runs, so it is cut into one split per slot down to ``mapreduce.job.split.balance.fill.minsize``.
An input that already fills the slots keeps its block-sized splits (Hadoop's split per block).
"""

from __future__ import annotations

import collections
import os
import time

from mapred.api import Input, Job
from mapred.runner import run_job

from .conftest import make_text

RENDEZVOUS_S = 60.0  # how long a map waits for the other one before it gives up (failure)


def _conf(tmp_path, **extra):
    conf = {
        "minihadoop.home": str(tmp_path / "home"),  # no DFS there: one tracker, its 2 slots
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.tasktracker.map.tasks.maximum": 2,
        "mapreduce.map.speculative": False,  # launched attempts = splits
    }
    conf.update(extra)
    return conf


class MeetingWordCount(Job):
    """Word count whose map tasks meet: each writes ``started-<index>`` in the directory named
    by ``test.meeting.dir`` and finishes only once every other map task has written its own."""

    def map_setup(self):
        ctx = self.context
        folder = ctx.conf.get_str("test.meeting.dir")
        maps = ctx.conf.get_int("test.meeting.maps")
        index = int(ctx.task_id.rsplit("_", 2)[1])
        with open(os.path.join(folder, f"started-{index}"), "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {time.time()}\n")
        deadline = time.monotonic() + RENDEZVOUS_S
        others = [os.path.join(folder, f"started-{i}") for i in range(maps) if i != index]
        while not all(map(os.path.exists, others)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"map {index} ran alone: the other maps never started")
            time.sleep(0.005)
        self.met = others

    def map(self, key, line):
        for word in line.split():
            yield word, 1

    def reduce(self, word, counts):
        yield word, sum(counts)


def _words(*paths):
    expected = collections.Counter()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            expected.update(f.read().split())
    return dict(expected)


def test_two_map_tasks_run_at_the_same_time(tmp_path):
    """Two splits on two slots: each map sees the other one started before it ended."""
    source = make_text(tmp_path / "in.txt", lines=4_000)
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    conf = _conf(
        tmp_path,
        **{
            "mapreduce.input.fileinputformat.split.maxsize": os.path.getsize(source) // 2 + 1,
            "test.meeting.dir": str(meeting),
            "test.meeting.maps": 2,
        },
    )
    result = run_job(MeetingWordCount, [source], str(tmp_path / "out"), conf, executor="cluster")
    assert result.succeeded, result.error
    assert result.counters["Job Counters "]["Launched map tasks"] == 2
    pids = {(meeting / f"started-{i}").read_text().split()[0] for i in range(2)}
    assert len(pids) == 2  # two processes, not one after the other in the same child
    assert {k: int(v) for k, v in result.read_output()} == _words(source)


class WordCount(Job):
    def map(self, key, line):
        for word in line.split():
            yield word, 1

    def reduce(self, word, counts):
        yield word, sum(counts)


def _maps(tmp_path, inputs, **extra):
    conf = _conf(tmp_path, **extra)
    result = run_job(WordCount, inputs, str(tmp_path / "out"), conf, executor="cluster")
    assert result.succeeded, result.error
    assert {k: int(v) for k, v in result.read_output()} == _words(*(i.path for i in inputs))
    return result.counters["Job Counters "]["Launched map tasks"]


def test_a_one_split_input_is_shared_by_the_slots(tmp_path):
    """Below balance.minsize (4 MiB) but one split only: cut in two down to fill.minsize."""
    source = make_text(tmp_path / "in.txt", lines=3_000)
    assert os.path.getsize(source) < 4 << 20
    fill = {"mapreduce.job.split.balance.fill.minsize": os.path.getsize(source) // 2 - 1}
    assert _maps(tmp_path, [Input(source)], **fill) == 2


def test_an_input_smaller_than_two_fill_pieces_stays_whole(tmp_path):
    source = make_text(tmp_path / "in.txt", lines=3_000)
    fill = {"mapreduce.job.split.balance.fill.minsize": os.path.getsize(source) // 2 + 2}
    assert _maps(tmp_path, [Input(source)], **fill) == 1


def test_a_small_side_input_beside_a_big_one_is_shared_too(tmp_path):
    """A join-shaped job: the big input already fills the slots, the small one (one split)
    is cut in two as well, so neither slot runs it whole after its half of the big one."""
    big = make_text(tmp_path / "big.txt", lines=6_000)
    small = make_text(tmp_path / "small.txt", lines=600, seed=3)
    extra = {
        "mapreduce.job.split.balance.minsize": os.path.getsize(big) // 2 - 1,
        "mapreduce.job.split.balance.fill.minsize": os.path.getsize(small) // 2 - 1,
    }
    assert _maps(tmp_path, [Input(big), Input(small)], **extra) == 4


def test_an_input_that_fills_the_slots_keeps_its_splits(tmp_path):
    """Three block-sized splits on two slots: no re-cut into pieces under balance.minsize,
    whatever fill.minsize says (Hadoop's one split per block; docs/tutorial's counters)."""
    source = make_text(tmp_path / "in.txt", lines=3_000)
    third = os.path.getsize(source) // 3 + 1
    extra = {
        "mapreduce.input.fileinputformat.split.maxsize": third,
        "mapreduce.job.split.balance.fill.minsize": 1,
    }
    assert _maps(tmp_path, [Input(source)], **extra) == 3


def test_fill_can_be_turned_off_with_the_balance(tmp_path):
    source = make_text(tmp_path / "in.txt", lines=3_000)
    extra = {
        "mapreduce.job.split.balance": False,
        "mapreduce.job.split.balance.fill.minsize": 1,
    }
    assert _maps(tmp_path, [Input(source)], **extra) == 1
