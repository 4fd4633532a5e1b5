"""Map tasks over the slots: each input evened out on its own, the longest splits started first.

Hadoop's job client sorts a job's splits by size, biggest first, so that the short ones fill
in at the end of the map wave (JobSubmitter.writeNewSplits); here the JobTracker picks the
longest waiting split among the equally close ones, and the map indexes keep the input order.
The split balancing (``mapreduce.job.split.balance``) cuts every input into a multiple of the
slots, so a join's small table is shared by the slots too instead of running whole beside a
half of the big input.
"""

from __future__ import annotations

import collections
import os

from dfs.conf import Configuration
from mapred.api import Input, Job
from mapred.committer import FileOutputCommitter
from mapred.jobtracker import JobTracker
from mapred.runner import run_job
from mapred.task import TaskSpec
from mapred.trackerproto import JobSubmission, LaunchTask, TrackerStatus
from tests.fakeclock import Clock

from .conftest import make_text


def _jobtracker(tmp_path, lengths, hosts=None):
    """A JobTracker with one map-only job, a split per entry of `lengths` (bytes)."""
    conf = {"minihadoop.home": str(tmp_path), "mapred.fairscheduler.locality.delay": 1000}
    jt = JobTracker(Configuration(conf, load_site=False), clock=Clock())
    output = str(tmp_path / "out")
    FileOutputCommitter(output, "job_t_0001", Configuration(conf, load_site=False)).setup_job()
    hosts = hosts or [[] for _ in lengths]
    jt.submit_job(
        JobSubmission(
            job_id="job_t_0001",
            name="splits",
            user="alice",
            job_ref="mapred.api:Job",
            conf=conf,
            output=output,
            output_format="text",
            num_reduces=0,
            local_dir=str(tmp_path / "local"),
            inputs=[[None, None]],
            splits=[
                [f"file:///in/{i}", 0, n, h, 0] for i, (n, h) in enumerate(zip(lengths, hosts))
            ],
        )
    )
    return jt


def _launched(jt, host, slots):
    status = TrackerStatus(f"tracker_{host}", host, "/r0", slots, 0, ())
    reply = jt.heartbeat(status)
    return [TaskSpec.from_wire(a.spec).index for a in reply.actions if isinstance(a, LaunchTask)]


def test_the_longest_splits_start_first(tmp_path):
    jt = _jobtracker(tmp_path, [100, 4000, 700, 4000])
    assert _launched(jt, "h0", 2) == [1, 3]  # the two long ones, input order among equals
    assert _launched(jt, "h1", 2) == [2, 0]


def test_among_node_local_splits_the_longest_first(tmp_path):
    jt = _jobtracker(tmp_path, [5000, 300, 900], hosts=[["h1"], ["h0"], ["h0"]])
    assert _launched(jt, "h0", 1) == [2]  # node-local beats longer; then longest of those


class WordCount(Job):
    def map(self, key, line):
        for word in line.split():
            yield word, 1

    def reduce(self, word, counts):
        yield word, sum(counts)


def test_every_input_is_evened_out_over_the_slots(tmp_path):
    """A 60 kB input and a 6 kB one on 2 slots: each in 2 splits (4 maps), not the big one in
    2 and the small one whole beside them (3 maps, one slot running both of its ends)."""
    big = make_text(tmp_path / "big.txt", lines=6_000)
    small = make_text(tmp_path / "small.txt", lines=600)
    conf = {
        "minihadoop.home": str(tmp_path / "home"),  # no DFS there: one tracker, its 2 slots
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.job.split.balance.minsize": 1000,
        "mapreduce.tasktracker.map.tasks.maximum": 2,
        "mapreduce.map.speculative": False,  # launched attempts = splits
    }
    inputs = [Input(big), Input(small)]
    result = run_job(WordCount, inputs, str(tmp_path / "out"), conf, executor="cluster")
    assert result.succeeded, result.error
    assert result.counters["Job Counters "]["Launched map tasks"] == 4
    expected = collections.Counter()
    for path in (big, small):
        with open(path, encoding="utf-8") as f:
            expected.update(f.read().split())
    assert {k: int(v) for k, v in result.read_output()} == dict(expected)
    assert os.path.getsize(small) > 2 * 1000  # each of its pieces above the floor
