"""Both word-count jobs against collections.Counter, with many spills and 1, 2, 7 reducers."""

from __future__ import annotations

import collections
import random

import pytest

from jobs.wordcount import WordCount
from jobs.wordcount_textbook import WordCountTextbook
from mapred.runner import run_job


def _text(path, lines=5000, seed=3):
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(300)] + ["naïve", "日本"]
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(lines):
            f.write(" ".join(rng.choices(words, k=rng.randint(0, 10))) + "\n")
    return str(path)


def _conf(tmp_path, reducers):
    return {
        "mapreduce.job.reduces": reducers,
        "mapreduce.task.io.sort.mb": "0.01",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 60_000,
    }


@pytest.mark.parametrize("job", [WordCount, WordCountTextbook])
@pytest.mark.parametrize("reducers", [1, 2, 7])
def test_wordcount_matches_counter(tmp_path, job, reducers):
    _check_wordcount(tmp_path, job, reducers, "local")


@pytest.mark.parametrize("job", [WordCount, WordCountTextbook])
def test_wordcount_matches_counter_on_the_cluster(tmp_path, job):
    """The same on the embedded cluster (tracker children, the shuffle between processes)."""
    _check_wordcount(tmp_path, job, 2, "cluster")


def _check_wordcount(tmp_path, job, reducers, executor):
    path = _text(tmp_path / "in.txt")
    expected = collections.Counter(open(path, encoding="utf-8").read().split())
    result = run_job(
        job, [path], str(tmp_path / "out"), _conf(tmp_path, reducers), executor=executor
    )
    assert result.succeeded, result.error
    # the spills the module promises: several per map, even for the in-mapper combining job
    # whose maps emit each distinct word once (300 words weigh more than its 8 KB buffer)
    assert min(s["spills"] for s in result.stats["map_stats"]) >= 2
    got = [(k, int(v)) for k, v in result.read_output()]
    assert dict(got) == dict(expected)
    assert len(got) == len(expected)
    assert len(result.output_paths) == reducers
    for url in result.output_paths:  # each part file is sorted by word
        words = [line.split("\t")[0] for line in open(url.replace("file://", ""), encoding="utf-8")]
        assert words == sorted(words)
    assert (tmp_path / "out" / "_SUCCESS").exists()


def test_textbook_spills_and_combines(tmp_path):
    path = _text(tmp_path / "in.txt")
    total_words = len(open(path, encoding="utf-8").read().split())
    result = run_job(
        WordCountTextbook, [path], str(tmp_path / "out"), _conf(tmp_path, 2), executor="local"
    )
    fw = result.counters["Map-Reduce Framework"]
    assert fw["Map output records"] == total_words
    assert fw["Combine output records"] < fw["Combine input records"]
    assert fw["Reduce input records"] < total_words
    assert max(s["spills"] for s in result.stats["map_stats"]) >= 3
