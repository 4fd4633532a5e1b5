"""``Combine input records`` counts the records fed to the combiner, as Hadoop's does.

Hadoop's (new API) combiner runs through a reduce context whose input counter is the Combine
input records counter: it advances once per record handed to the combiner, whether or not the
combiner reads that value (ReduceContextImpl.nextKeyValue; skipping to the next key reads the
rest). So two combiners that emit the same records but read different numbers of values must
report the same counters. Here one reads a key's first value only and the other reads them all;
a tiny sort buffer makes every map spill several times, so the combiner runs while spilling and
again in the final merge.
"""

from __future__ import annotations

import pytest

from mapred.api import Job
from mapred.runner import run_job
from tests.mapred.conftest import make_text


class _FirstWord(Job):
    """(word, its first letter) per word; any one value of a key is a valid combine."""

    def map(self, offset, line):
        for word in line.split():
            yield word, word[:1]

    def reduce(self, word, values):
        yield word, min(values)


class ReadsOneValue(_FirstWord):
    def combine(self, word, values):
        yield word, next(iter(values))


class ReadsNoValue(_FirstWord):
    def combine(self, word, values):
        yield word, word[:1]  # what every value of the word is


class ReadsAllValues(_FirstWord):
    def combine(self, word, values):
        yield word, list(values)[0]


@pytest.mark.parametrize("reads", [ReadsOneValue, ReadsNoValue])
def test_combine_input_counts_records_fed_not_values_read(tmp_path, mr_conf, reads):
    path = make_text(tmp_path / "in.txt", lines=4000)
    conf = dict(mr_conf, **{"mapreduce.job.reduces": 2})
    some = run_job(reads, [path], str(tmp_path / "some"), conf, executor="local")
    every = run_job(ReadsAllValues, [path], str(tmp_path / "all"), conf, executor="local")
    assert some.succeeded and every.succeeded
    assert sorted(some.read_output()) == sorted(every.read_output())
    fw_some = some.counters["Map-Reduce Framework"]
    fw_all = every.counters["Map-Reduce Framework"]
    assert fw_all["Combine input records"] > fw_all["Combine output records"] > 0
    for name in ("Combine input records", "Combine output records", "Spilled Records"):
        assert fw_some[name] == fw_all[name], name
