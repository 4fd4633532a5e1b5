"""grep, sort, secondarysort and the reduce-side join against plain-Python answers, with a tiny
sort buffer (several spills per map), many splits, and 1, 2 and 7 reducers."""

from __future__ import annotations

import collections
import random
import re

import pytest

from jobs.grep import Grep
from jobs.join_reduce_side import BUFFERED, JOIN_TYPE, ReduceSideJoin
from jobs.secondarysort import SEPARATOR, SecondarySort
from jobs.sort import Sort
from mapred.api import Input
from mapred.jobcontrol import run_chain
from mapred.runner import run_job


def _conf(tmp_path, reducers, **extra):
    conf = {
        "mapreduce.job.reduces": reducers,
        "mapreduce.task.io.sort.mb": "0.004",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 30_000,
    }
    conf.update(extra)
    return conf


def _lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def _concat_parts(result):
    lines = []
    for url in result.output_paths:
        lines.extend(_lines(url.replace("file://", "")))
    return lines


def _write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    return str(path)


@pytest.mark.parametrize("reducers", [1, 2, 7])
def test_sort_total_order(tmp_path, reducers):
    rng = random.Random(reducers)
    lines = ["".join(rng.choices("abcdefghé", k=rng.randint(0, 9))) for _ in range(6000)]
    path = _write(tmp_path / "in.txt", lines)
    result = run_job(
        Sort, [path], str(tmp_path / "out"), _conf(tmp_path, reducers), executor="local"
    )
    assert result.succeeded, result.error
    assert len(result.output_paths) == reducers
    assert _concat_parts(result) == sorted(lines)
    if reducers > 1:  # the sampler spreads keys: no reducer gets (nearly) everything
        sizes = [len(_lines(u.replace("file://", ""))) for u in result.output_paths]
        assert max(sizes) < len(lines) * 0.8


@pytest.mark.parametrize("reducers", [1, 2, 7])
def test_secondary_sort(tmp_path, reducers):
    rng = random.Random(5)
    pairs = [(rng.randint(-20, 60), rng.randint(-1000, 1000)) for _ in range(5000)]
    path = _write(tmp_path / "in.txt", [f"{a} {b}" for a, b in pairs])
    result = run_job(
        SecondarySort, [path], str(tmp_path / "out"), _conf(tmp_path, reducers), executor="local"
    )
    assert result.succeeded, result.error
    groups = collections.defaultdict(list)
    for a, b in pairs:
        groups[a].append(b)
    got: dict[int, list[int]] = {}
    current = None
    for line in _concat_parts(result):
        if line == SEPARATOR:
            current = None
            continue
        first, second = map(int, line.split("\t"))
        if current is None:
            assert first not in got  # one reduce call per natural key
            current = got[first] = []
        assert first in got and got[first] is current
        current.append(second)
    assert got == {a: sorted(bs) for a, bs in groups.items()}


@pytest.mark.parametrize("reducers", [1, 2, 7])
def test_grep_chain(tmp_path, reducers):
    rng = random.Random(11)
    words = ["apple", "apricot", "banana", "avocado", "cherry", "açaí"]
    lines = [" ".join(rng.choices(words, k=rng.randint(0, 8))) for _ in range(4000)]
    path = _write(tmp_path / "in.txt", lines)
    out = str(tmp_path / "out")
    steps = Grep.steps([path, out, r"a(\w)"])
    chain = run_chain(steps, _conf(tmp_path, reducers), "local", remove_intermediate=True)
    assert chain.succeeded, chain.error
    expected = collections.Counter(
        m.group(0) for line in lines for m in re.finditer(r"a(\w)", line)
    )
    got = [(int(c), m) for c, m in (line.split("\t") for line in _lines(f"{out}/part-r-00000"))]
    assert dict((m, c) for c, m in got) == dict(expected)
    assert [c for c, _ in got] == sorted((c for c, _ in got), reverse=True)
    assert not any("grep-temp" in p.name for p in tmp_path.iterdir())  # intermediate removed
    assert set(chain.counters) == {"grep-search", "grep-sort"}


def _tables(rng, left_rows, right_rows, keys):
    left = [f"k{rng.randrange(keys)}\tL{i}\t{rng.random():.3f}" for i in range(left_rows)]
    right = [f"k{rng.randrange(keys * 2)}\tR{i}" for i in range(right_rows)]
    return left, right


def _python_join(left, right, outer):
    by_key = collections.defaultdict(list)
    for row in right:
        k, _, rest = row.partition("\t")
        by_key[k].append(rest)
    out = []
    for row in left:
        k, _, rest = row.partition("\t")
        matches = by_key.get(k)
        if matches:
            out.extend(f"{k}\t{rest}\t{r}" for r in matches)
        elif outer:
            out.append(f"{k}\t{rest}\t")
    return sorted(out)


@pytest.mark.parametrize("reducers", [1, 2, 7])
@pytest.mark.parametrize("join_type", ["inner", "leftouter"])
@pytest.mark.parametrize("buffered", ["left", "right"])
def test_reduce_side_join(tmp_path, reducers, join_type, buffered):
    rng = random.Random(reducers)
    left, right = _tables(rng, 1500, 3000, 400)
    lp, rp = _write(tmp_path / "left.tsv", left), _write(tmp_path / "right.tsv", right)
    inputs = [Input(lp, mapper="map_left"), Input(rp, mapper="map_right")]
    conf = _conf(tmp_path, reducers, **{JOIN_TYPE: join_type, BUFFERED: buffered})
    result = run_job(ReduceSideJoin, inputs, str(tmp_path / "out"), conf, executor="local")
    assert result.succeeded, result.error
    assert sorted(_concat_parts(result)) == _python_join(left, right, join_type == "leftouter")


def test_join_steps_buffer_the_smaller_input(tmp_path):
    small = _write(tmp_path / "small", ["a\t1"])
    big = _write(tmp_path / "big", ["a\t1"] * 100)
    (step,) = ReduceSideJoin.steps([big, small, str(tmp_path / "o")])
    assert step.conf[BUFFERED] == "right"
    assert [i.mapper for i in step.inputs] == ["map_left", "map_right"]
