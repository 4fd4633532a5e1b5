"""An ORDER with several reducers first samples its input (the sample job) to cut the key
range. The sample job's maps read only every ``pig.order.sample.step``-th record of their
split (`runtime._sampled`): the rest are never parsed or converted. The ORDER's output must
still be the whole input in order, across the reducers' part files; expected rows come from
plain Python's stable sort."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.launcher import PigServer


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_a_sampled_order_over_two_reducers_is_the_full_sort(tmp_path: Path, codegen: str) -> None:
    rows = [((i * 7919) % 1000, f"r{i}") for i in range(3000)]
    for i in range(5, 3000, 60):  # bad ints: nulls, first in the ascending order
        rows[i] = (None, f"null{i}")
    text = "".join(("x" if k is None else str(k)) + f"\t{s}\n" for k, s in rows)
    (tmp_path / "in.txt").write_text(text)
    script = f"""SET pig.codegen {codegen};
        SET mapreduce.input.fileinputformat.split.maxsize 8000;
        A = LOAD 'in.txt' AS (k:int, s:chararray);
        B = ORDER A BY k PARALLEL 2;
        STORE B INTO 'out';"""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
        stats = {s["kind"]: s for s in pig.stats}
    counters = stats["sample"]["counters"].to_dict()
    sample = counters["Map-Reduce Framework"]
    # every 10th record of each split at most (the first of each batch, then every 10th)
    assert sample["Map output records"] <= 3000 // 10 + 2 * stats["sample"]["maps"]
    # the 50 bad ints are warned about by the ORDER job; the sample job converted few of them
    warned = counters.get("org.apache.pig.PigWarning", {})
    assert warned.get("FIELD_DISCARDED_TYPE_CONVERSION_FAILED", 0) < 25
    order = stats["order"]["counters"].to_dict()["org.apache.pig.PigWarning"]
    assert order == {"FIELD_DISCARDED_TYPE_CONVERSION_FAILED": 50}
    lines = []
    for part in sorted((tmp_path / "out").glob("part-r-*")):
        lines += part.read_text().splitlines()
    want = sorted(rows, key=lambda r: (r[0] is not None, r[0] or 0))
    assert all(line.startswith("\tnull") for line in lines[:50])
    assert sorted(lines) == sorted(f"{'' if k is None else k}\t{s}" for k, s in want)
    keys = [int(x) if (x := line.split("\t")[0]) else -1 for line in lines]
    assert keys == sorted(keys)
