"""The engine end to end: failures and retries, combiner invariance, executors agreeing, map-only
jobs, multiple inputs, the distributed cache, counters, lazy reduce values, chains, storage."""

from __future__ import annotations

import collections
import os
import random
import re

import pytest

from jobs.secondarysort import SecondarySort
from mapred.api import Input, Job, Step
from mapred.errors import JobConfigError, OutputExistsError
from mapred.jobcontrol import run_chain
from mapred.runner import run_job

from .conftest import make_text


class FailOnBad(Job):
    def map(self, offset, line):
        if "BAD" in line:
            raise ValueError(f"bad record {line!r}")
        yield line, 1


class FlakyFirstAttempt(Job):
    """Fails every first attempt of map task 0; later attempts succeed."""

    def map(self, offset, line):
        if self.context.task_id.endswith("_m_000000_0"):
            raise RuntimeError("transient")
        yield line, 1

    def reduce(self, key, values):
        yield key, sum(values)


class Count(Job):
    def map(self, offset, line):
        for w in line.split():
            self.context.increment("Words", "seen")
            yield w, 1

    def combine(self, word, counts):
        yield word, sum(counts)

    def reduce(self, word, counts):
        yield word, sum(counts)


class CountNoCombiner(Count):
    combine = None


class MapOnly(Job):
    reducers = 0

    def map(self, offset, line):
        yield line.upper(), len(line)


class TwoInputs(Job):
    def map_kv(self, key, value):
        yield key, ("kv", value)

    def map_text(self, offset, line):
        yield line.split(",")[0], ("text", line)

    def reduce(self, key, values):
        yield key, "|".join(sorted(f"{tag}:{v}" for tag, v in values))


class UsesCache(Job):
    files = ()

    def setup(self):
        with open(self.context.cache_path("stop.txt"), encoding="utf-8") as f:
            self.stop = set(f.read().split())

    def map(self, offset, line):
        for w in line.split():
            if w not in self.stop:
                yield w, 1

    def reduce(self, word, counts):
        yield word, sum(counts)


class FirstValueOnly(Job):
    def map(self, offset, line):
        for w in line.split():
            yield w, offset

    def reduce(self, word, offsets):
        assert not isinstance(offsets, (list, tuple))
        yield word, next(offsets)  # the rest is skipped by the framework


class CleanupYields(Job):
    def setup(self):
        self.n = 0

    def reduce(self, key, values):
        self.n += sum(1 for _ in values)
        return None

    def reduce_cleanup(self):
        assert self.context.task_type == "r"
        yield "total", self.n


def _conf(tmp_path, **extra):
    conf = {
        "mapreduce.task.io.sort.mb": "0.01",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 40_000,
    }
    conf.update(extra)
    return conf


def _parts(out):
    return {
        name: open(os.path.join(out, name), encoding="utf-8").read()
        for name in sorted(os.listdir(out))
        if name.startswith("part-")
    }


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_failing_mapper_fails_the_job_cleanly(tmp_path, executor):
    lines = [f"line {i}" for i in range(3000)]
    lines[2100] = "a BAD one"
    path = tmp_path / "in.txt"
    path.write_text("".join(line + "\n" for line in lines))
    offset = sum(len(line) + 1 for line in lines[:2100])
    out = tmp_path / "out"
    result = run_job(FailOnBad, [str(path)], str(out), _conf(tmp_path), executor=executor)
    assert result.state == "FAILED"
    assert re.match(
        r"Job job_\S+ failed: task attempt_\S+_m_(\d{6})_3 failed 4 times; "
        r"last error: ValueError: bad record 'a BAD one'",
        result.error,
    ), result.error
    assert result.failed_attempt.location.endswith(f"in.txt:{offset}")
    assert "raise ValueError" in result.failed_attempt.traceback
    assert not out.exists()
    assert result.counters["Job Counters "]["Failed map tasks"] == 4


def test_failed_attempt_is_retried(tmp_path):
    path = make_text(tmp_path / "in.txt", lines=500)
    result = run_job(
        FlakyFirstAttempt, [path], str(tmp_path / "out"), _conf(tmp_path), executor="local"
    )
    assert result.succeeded, result.error
    assert result.counters["Job Counters "]["Failed map tasks"] == 1
    expected = collections.Counter(open(path, encoding="utf-8").read().splitlines())
    assert {k: int(v) for k, v in result.read_output()} == dict(expected)


@pytest.mark.parametrize("reducers", [1, 3])
def test_combiner_invariance(tmp_path, reducers):
    path = make_text(tmp_path / "in.txt")
    with_c = run_job(
        Count,
        [path],
        str(tmp_path / "a"),
        _conf(tmp_path, **{"mapreduce.job.reduces": reducers}),
        executor="local",
    )
    without = run_job(
        CountNoCombiner,
        [path],
        str(tmp_path / "b"),
        _conf(tmp_path, **{"mapreduce.job.reduces": reducers}),
        executor="local",
    )
    assert with_c.succeeded and without.succeeded
    assert _parts(tmp_path / "a") == _parts(tmp_path / "b")
    fw_c, fw_n = with_c.counters["Map-Reduce Framework"], without.counters["Map-Reduce Framework"]
    assert fw_c["Map output records"] == fw_n["Map output records"]
    assert fw_c["Combine output records"] < fw_c["Combine input records"]
    assert fw_c["Reduce input records"] < fw_n["Reduce input records"]
    assert "Combine input records" not in fw_n
    words = len(open(path, encoding="utf-8").read().split())
    assert with_c.counters["Words"]["seen"] == words == fw_n["Map output records"]


@pytest.mark.parametrize("reducers", [1, 3])
def test_executors_agree_on_secondary_sort(tmp_path, reducers):
    import random

    rng = random.Random(2)
    path = tmp_path / "in.txt"
    path.write_text("".join(f"{rng.randint(0, 30)} {rng.randint(-99, 99)}\n" for _ in range(3000)))
    outs = {}
    for executor in ("local", "cluster"):
        out = tmp_path / f"out-{executor}"
        result = run_job(
            SecondarySort,
            [str(path)],
            str(out),
            _conf(tmp_path, **{"mapreduce.job.reduces": reducers}),
            executor=executor,
        )
        assert result.succeeded, result.error
        outs[executor] = _parts(out)
    assert outs["local"] == outs["cluster"]
    assert len(outs["local"]) == reducers


def test_map_only_job(tmp_path):
    path = make_text(tmp_path / "in.txt", lines=2000)
    result = run_job(MapOnly, [path], str(tmp_path / "out"), _conf(tmp_path), executor="local")
    assert result.succeeded, result.error
    names = list(_parts(tmp_path / "out"))
    assert names and all(n.startswith("part-m-") for n in names)
    got = [line for text in _parts(tmp_path / "out").values() for line in text.splitlines()]
    lines = open(path, encoding="utf-8").read().splitlines()
    assert got == [f"{line.upper()}\t{len(line)}" for line in lines]
    assert result.counters["Map-Reduce Framework"]["Map output records"] == len(lines)


def test_multiple_inputs_with_their_own_format_and_mapper(tmp_path):
    kv = tmp_path / "kv.txt"
    kv.write_text("a\t1\nb\t2\n")
    text = tmp_path / "t.txt"
    text.write_text("a,x\nc,y\n")
    inputs = [
        Input(str(kv), format="keyvalue", mapper="map_kv"),
        Input(str(text), mapper="map_text"),
    ]
    result = run_job(TwoInputs, inputs, str(tmp_path / "out"), _conf(tmp_path), executor="local")
    assert result.succeeded, result.error
    assert dict(result.read_output()) == {"a": "kv:1|text:a,x", "b": "kv:2", "c": "text:c,y"}


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_distributed_cache(tmp_path, executor):
    stop = tmp_path / "stop.txt"
    stop.write_text("the a\n")
    path = tmp_path / "in.txt"
    path.write_text("the cat a dog\nthe end\n")
    conf = _conf(tmp_path, tmpfiles=str(stop))
    result = run_job(UsesCache, [str(path)], str(tmp_path / "out"), conf, executor=executor)
    assert result.succeeded, result.error
    assert {k: int(v) for k, v in result.read_output()} == {"cat": 1, "dog": 1, "end": 1}


def test_reduce_values_are_lazy_and_may_be_left_unread(tmp_path):
    path = make_text(tmp_path / "in.txt", lines=1000)
    result = run_job(
        FirstValueOnly, [path], str(tmp_path / "out"), _conf(tmp_path), executor="local"
    )
    assert result.succeeded, result.error
    words = set(open(path, encoding="utf-8").read().split())
    assert {k for k, _ in result.read_output()} == words


def test_reduce_cleanup_may_yield(tmp_path):
    path = make_text(tmp_path / "in.txt", lines=300)
    result = run_job(
        CleanupYields, [path], str(tmp_path / "out"), _conf(tmp_path), executor="local"
    )
    assert list(result.read_output()) == [("total", "300")]


def test_existing_output_is_refused_before_any_task(tmp_path):
    path = make_text(tmp_path / "in.txt", lines=10)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep").write_text("x")
    with pytest.raises(OutputExistsError, match="already exists"):
        run_job(Count, [path], str(tmp_path / "out"), _conf(tmp_path), executor="local")
    assert (tmp_path / "out" / "keep").read_text() == "x"


def test_memory_storage_with_local_executor_and_refused_by_cluster(tmp_path):
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/mrtest/in.txt", b"b a\na\n")
    result = run_job(
        Count, ["memory://mrtest/in.txt"], "memory://mrtest/out", _conf(tmp_path), executor="local"
    )
    assert dict(result.read_output()) == {"a": "2", "b": "1"}
    with pytest.raises(JobConfigError, match="memory://"):
        run_job(
            Count,
            ["memory://mrtest/in.txt"],
            "memory://mrtest/out2",
            _conf(tmp_path),
            executor="cluster",
        )
    fs.rm("/mrtest", recursive=True)


def test_chain_stops_at_first_failure(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("ok\nBAD\n")
    steps = [
        Step(FailOnBad, [str(path)], str(tmp_path / "mid"), name="first"),
        Step(Count, [str(tmp_path / "mid")], str(tmp_path / "out"), name="second"),
    ]
    chain = run_chain(steps, _conf(tmp_path, **{"mapreduce.map.maxattempts": 1}), "local")
    assert not chain.succeeded
    assert chain.error.startswith("Step 1 of 2 (first) failed: Job ")
    assert list(chain.results) == ["first"]
    assert not (tmp_path / "out").exists() and not (tmp_path / "mid").exists()


def test_job_defined_in_a_function_is_refused(tmp_path):
    class Local(Job):
        pass

    with pytest.raises(JobConfigError, match="module level"):
        run_job(Local, [str(tmp_path)], str(tmp_path / "o"), _conf(tmp_path), executor="local")


class DiesInMap(Job):
    def map(self, offset, line):
        if line == "die":
            os._exit(3)
        yield line, 1


def test_worker_death_is_a_failed_attempt_and_the_pool_recovers(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("ok\ndie\n")
    conf = _conf(tmp_path, **{"mapreduce.map.maxattempts": 2})
    result = run_job(DiesInMap, [str(path)], str(tmp_path / "out"), conf, executor="cluster")
    assert result.state == "FAILED"
    assert "failed 2 times; last error: worker process died (exit code 3)" in result.error
    again = make_text(tmp_path / "again.txt", lines=200)
    ok = run_job(Count, [again], str(tmp_path / "out2"), _conf(tmp_path), executor="cluster")
    assert ok.succeeded, ok.error


@pytest.mark.parametrize(
    "executor, balance, maps",
    [("cluster", "true", 4), ("cluster", "false", 3), ("local", "true", 3)],
)
def test_splits_are_evened_out_across_the_executor_slots(tmp_path, executor, balance, maps):
    """Blocks of 40 kB over ~100 kB give 3 splits (40+40+20); four map slots (one on each of
    the cluster's four trackers) get 4 even ones."""
    path = make_text(tmp_path / "in.txt", lines=20_000)
    size = os.path.getsize(path)
    conf = _conf(
        tmp_path,
        **{
            "mapreduce.input.fileinputformat.split.maxsize": size * 2 // 5,
            "mapreduce.job.split.balance": balance,
            "mapreduce.job.split.balance.minsize": 1000,
            "mapreduce.tasktracker.map.tasks.maximum": 1,
            "mapreduce.map.speculative": False,  # launched attempts = splits
        },
    )
    result = run_job(Count, [path], str(tmp_path / "out"), conf, executor=executor)
    assert result.counters["Job Counters "]["Launched map tasks"] == maps
    expected = collections.Counter(open(path, encoding="utf-8").read().split())
    assert {k: int(v) for k, v in result.read_output()} == dict(expected)


class BatchWordCount(Job):
    """Counts words with map_batch (Hadoop's Mapper.run override): whole batches of lines."""

    def map_setup(self):
        self.batches = 0

    def map_batch(self, offsets, lines):
        self.batches += 1
        if any("BAD" in line for line in lines):
            raise ValueError("bad batch")
        return collections.Counter(w for line in lines for w in line.split()).items()

    def map_cleanup(self):
        self.context.increment("test", "batches", self.batches)

    def reduce(self, word, counts):
        yield word, sum(counts)


class BatchKeyValue(Job):
    input_format = "keyvalue"

    def map_batch(self, keys, values):
        return zip(keys, values)


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_map_batch_takes_the_split_in_batches(tmp_path, executor):
    path = make_text(tmp_path / "in.txt", lines=40_000)
    conf = dict(_conf(tmp_path), **{"mapreduce.input.fileinputformat.split.maxsize": "200000"})
    result = run_job(BatchWordCount, [path], str(tmp_path / "out"), conf, executor=executor)
    assert result.succeeded, result.error
    expected = collections.Counter(w for line in open(path, encoding="utf-8") for w in line.split())
    got = {}
    for text in _parts(str(tmp_path / "out")).values():
        for row in text.splitlines():
            word, n = row.split("\t")
            got[word] = int(n)
    assert got == dict(expected)
    tasks = result.counters["Job Counters "]["Launched map tasks"]
    assert tasks > 1 and result.counters["test"]["batches"] >= tasks
    assert result.counters["Map-Reduce Framework"]["Map input records"] == 40_000


def test_map_batch_of_other_formats_gets_keys_and_values(tmp_path):
    path = tmp_path / "kv.txt"
    path.write_text("".join(f"k{i}\tv{i}\n" for i in range(10_000)))
    result = run_job(BatchKeyValue, [str(path)], str(tmp_path / "out"), _conf(tmp_path), "local")
    assert result.succeeded, result.error
    rows = sorted(r for t in _parts(str(tmp_path / "out")).values() for r in t.splitlines())
    assert rows == sorted(f"k{i}\tv{i}" for i in range(10_000))


def test_map_batch_failure_names_the_batch_start(tmp_path):
    lines = [f"line {i}" for i in range(3000)]
    lines[2100] = "a BAD one"
    path = tmp_path / "in.txt"
    path.write_text("".join(line + "\n" for line in lines))
    out = tmp_path / "out"
    conf = dict(_conf(tmp_path), **{"mapreduce.map.maxattempts": "1"})
    result = run_job(BatchWordCount, [str(path)], str(out), conf, executor="local")
    assert result.state == "FAILED" and "bad batch" in result.error
    location = result.failed_attempt.location
    assert re.search(r"in\.txt:\d+$", location), location
    assert int(location.rsplit(":", 1)[1]) <= sum(len(line) + 1 for line in lines[:2100])
    assert not out.exists()



class BatchSort(Job):
    """A total-order sort whose map is only map_batch: the sampler must call it too."""

    partitioner = "total_order"

    def map_batch(self, offsets, lines):
        return [(line, None) for line in lines]


def test_total_order_sampler_calls_map_batch(tmp_path):
    words = [f"w{i:05d}" for i in range(6000)]
    shuffled = random.Random(3).sample(words, len(words))
    path = tmp_path / "in.txt"
    path.write_text("".join(w + "\n" for w in shuffled))
    conf = dict(_conf(tmp_path), **{"mapreduce.job.reduces": "3"})
    result = run_job(BatchSort, [str(path)], str(tmp_path / "out"), conf, executor="local")
    assert result.succeeded, result.error
    parts = [text.splitlines() for text in _parts(str(tmp_path / "out")).values()]
    assert [w for p in parts for w in p] == words  # part files concatenate in order
    assert max(map(len, parts)) < len(words) * 0.6  # the cut points come from the lines
