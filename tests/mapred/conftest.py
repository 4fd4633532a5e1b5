"""Fixtures for the mapred engine tests: generated text, a tiny sort buffer, a local dir."""

from __future__ import annotations

import random

import pytest


@pytest.fixture
def mr_conf(tmp_path):
    """A configuration with a tiny sort buffer (many spills) and small splits (many maps)."""
    return {
        "mapreduce.task.io.sort.mb": "0.01",
        "mapreduce.task.io.sort.factor": 3,
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.input.fileinputformat.split.maxsize": 40_000,
    }


def make_text(path, lines=6000, vocab=400, seed=7):
    rng = random.Random(seed)
    words = [f"w{i:03d}" for i in range(vocab)] + ["é", "Ünï", "a-b"]
    weights = [1.0 / (i + 1) for i in range(len(words))]
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(lines):
            f.write(" ".join(rng.choices(words, weights, k=rng.randint(0, 12))) + "\n")
    return str(path)


@pytest.fixture
def text_file(tmp_path):
    return make_text(tmp_path / "input.txt")
