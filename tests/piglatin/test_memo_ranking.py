"""`codegen.fill_key_memos` keeps, per key column, the `_MEMO` most frequent values that
repeat in the sample, ties going to the value seen first: checked against a plain ranking
(count descending, then first position) on random keys, with the memo's size cut small."""

from __future__ import annotations

import random

import pytest

from piglatin.back import codegen
from piglatin.back.codegen import fill_key_memos, key_memos
from piglatin.model import data
from piglatin.model.schema import DataType


def _expected(values: list, limit: int, kind: type) -> dict:
    first: dict = {}
    count: dict = {}
    for pos, v in enumerate(values):
        first.setdefault(v, (pos, v))
        count[v] = count.get(v, 0) + 1
    ranked = sorted((v for v in count if count[v] > 1), key=lambda v: (-count[v], first[v][0]))
    out = {}
    for v in ranked[:limit]:
        v = first[v][1]  # the first-seen value stands for its equals (1 and 1.0, 0.0 and -0.0)
        if type(v) is kind and (v or kind is not float):
            out[v] = data.sort_bytes(v)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_most_frequent_values_ties_first_seen(monkeypatch, seed):
    rng = random.Random(seed)
    limit = rng.choice([1, 3, 7, 20])
    monkeypatch.setattr(codegen, "_MEMO", limit)
    types = [DataType.CHARARRAY, DataType.INT, DataType.DOUBLE]
    pools = [
        [None, "", "a", "b", "c", "d", "é", "x\x00", 1],
        [None, True, False, 0, 1, 2, 3, -5, 2**40, "7", 1.0],
        [None, 0.0, -0.0, 1.5, -2.5, 3.0, float("inf"), 4, True],
    ]
    keys = [tuple(rng.choice(p) for p in pools) for _ in range(rng.randint(0, 60))]
    memos = key_memos(types)
    fill_key_memos(memos, types, keys)
    kinds = [str, int, float]
    for column, (memo, kind) in enumerate(zip(memos, kinds)):
        want = _expected([k[column] for k in keys], limit, kind)
        assert list(memo.items()) == list(want.items())
