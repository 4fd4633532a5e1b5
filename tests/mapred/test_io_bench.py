"""Benchmark (pytest -m bench): TextInputFormat's reader against plain Python line iteration.

The reader is on every job's hot path; it must stay in the same league as ``for line in f``
(which does less: no offsets, keeps the terminator). Prints MB/s for both.
"""

from __future__ import annotations

import random
import time

import pytest

from dfs.conf import Configuration
from mapred.io import InputSplit, TextInputFormat

pytestmark = pytest.mark.bench


def _best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def test_text_reader_throughput(tmp_path):
    rng = random.Random(7)
    words = [f"w{i}" for i in range(5000)]
    path = tmp_path / "words.txt"
    with open(path, "w") as f:
        for _ in range(500_000):
            f.write(" ".join(rng.choices(words, k=10)) + "\n")
    size = path.stat().st_size
    conf = Configuration(load_site=False)

    def plain() -> None:
        with open(path, encoding="utf-8") as f:
            for _line in f:
                pass

    def framework() -> None:
        for _key, _value in TextInputFormat().read(InputSplit(str(path), 0, size), conf):
            pass

    t_plain, t_ours = _best_of(3, plain), _best_of(3, framework)
    mb = size / 1e6
    print(f"\n{mb:.0f} MB: plain {mb / t_plain:.0f} MB/s, TextInputFormat {mb / t_ours:.0f} MB/s")
    assert t_ours < 4 * t_plain  # measured ~2.8x: offsets and (key, value) pairs cost extra
