"""A Pig job's reduce side takes its batches flat (mapred's ``reduce_groups``,
`reducebatch.BatchReduce.runs`): `runs_of` gives a batch of pairs the layout ``GroupRuns``
documents, `unpacked_runs` reads the values as `storage.unpack_value` reads each, a reduce side
made by `BatchReduce.of_runs` gives the same records for a batch of pairs (a multi-query job's
branches hand over pairs) as for the same batch flat, and scripts whose reduce sides read
their batches flat (combined GROUP, GROUP of aggregates per input, DISTINCT, ORDER), alone
and merged into one multi-query job, store what plain Python computes."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mapred.grouping import GroupRuns
from piglatin.back.reducebatch import BatchReduce, runs_of, unpacked_runs
from piglatin.back.runtime import PigJob
from piglatin.back.storage import pack_value, unpack_value
from piglatin.launcher import run_script

VALUES = st.one_of(
    st.none(), st.integers(-5, 5), st.text(max_size=3), st.tuples(st.integers(-(2**40), 2**40))
)
GROUPS = st.lists(
    st.tuples(st.binary(max_size=3), st.lists(VALUES, min_size=1, max_size=4)), max_size=12
)


def _layout(groups: list) -> tuple[list, list, list | None]:
    """What `GroupRuns` documents for these groups, by hand."""
    keys = [k for k, _ in groups]
    values = [v for _, vs in groups for v in vs]
    if all(len(vs) == 1 for _, vs in groups):
        return keys, values, None
    ends, at = [], 0
    for _, vs in groups:
        at += len(vs)
        ends.append(at)
    return keys, values, ends


@settings(max_examples=100, deadline=None)
@given(groups=GROUPS)
def test_runs_of_is_the_documented_layout(groups) -> None:
    runs = runs_of(groups)
    assert (runs.keys, runs.values, runs.ends) == _layout(groups)
    assert runs.pairs() == groups


@settings(max_examples=100, deadline=None)
@given(groups=GROUPS)
def test_unpacked_runs_reads_each_value_as_unpack_value(groups) -> None:
    packed = [(k, [pack_value(v) for v in vs]) for k, vs in groups]
    found = unpacked_runs(runs_of(packed))
    assert found is not None
    assert found.values == [unpack_value(pack_value(v)) for _, vs in groups for v in vs]
    assert found.ends == _layout(groups)[2]


def test_unpacked_runs_refuses_values_it_cannot_read_at_once() -> None:
    one = pack_value((1, 2))
    assert unpacked_runs(GroupRuns([b"a", b"b"], [one, 7], None)) is None  # not bytes
    assert unpacked_runs(GroupRuns([b"a"], [one + one], None)) is None  # two values in one
    assert unpacked_runs(GroupRuns([b"a", b"b"], [one, b""], None)) is None  # none in one


@settings(max_examples=100, deadline=None)
@given(groups=GROUPS)
def test_of_runs_gives_pairs_the_records_of_their_runs(groups) -> None:
    def runs(batch: GroupRuns) -> list:
        ends = batch.ends or list(range(1, len(batch.values) + 1))
        return [(k, batch.values[s:e]) for k, s, e in zip(batch.keys, [0, *ends], ends)]

    reduce = BatchReduce.of_runs(lambda key, values: [(key, list(values))], runs)
    assert reduce.runs is runs
    assert reduce.batch(groups) == runs(runs_of(groups)) == groups


def test_pig_jobs_take_their_batches_flat() -> None:
    """mapred hands a job defining ``reduce_groups`` its batches flat (`mapred.api`)."""
    assert "reduce_groups" in vars(PigJob)


ROWS = [
    (f"k{i % 7}" if i % 5 else "", str(i % 3) if i % 4 else "", str(i % 11 - 3) if i % 6 else "")
    for i in range(400)
] + [(f"u{i}", str(i), str(i)) for i in range(300)]  # keys of one row each beside repeated ones

SCRIPT = """SET default_parallel 2;
SET mapreduce.input.fileinputformat.split.maxsize 2000;
A = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
B = GROUP A BY (k, j);
C = FOREACH B GENERATE FLATTEN(group), SUM(A.n), COUNT(A);
STORE C INTO 'sums';
D = FOREACH A GENERATE k, j;
E = DISTINCT D;
STORE E INTO 'distinct';
F = ORDER A BY n, k, j;
STORE F INTO 'ordered';
G = LOAD 'a.txt' AS (k:chararray, j:int, n:int);
H = COGROUP A BY k, G BY k;
I = FOREACH H GENERATE group, COUNT(A), SUM(G.n);
STORE I INTO 'cogroup';
"""


def _int(text: str) -> int | None:
    return int(text) if text else None


def _text(v: object) -> str:
    return "" if v is None else str(v)


def _expected() -> dict[str, list[str]]:
    groups: dict[tuple, list] = {}
    by_k: dict[str | None, list] = {}
    for k, j, n in ROWS:
        groups.setdefault((k or None, _int(j)), []).append(_int(n))
        by_k.setdefault(k or None, []).append(_int(n))
    sums = []
    for (k, j), ns in groups.items():
        vals = [x for x in ns if x is not None]
        sums.append("\t".join([_text(k), _text(j), _text(sum(vals) if vals else None)]))
        sums[-1] += f"\t{len(ns) if k is not None else 0}"  # COUNT: a null first field not
    cogroup = []
    for k, ns in by_k.items():
        vals = [x for x in ns if x is not None]
        total = _text(sum(vals) if vals else None)
        if k is None:  # a null key of each input is a group of its own (COGROUP)
            cogroup += ["\t0\t", f"\t0\t{total}"]  # COUNT(A): its rows' k, null
        else:
            cogroup.append(f"{k}\t{len(ns)}\t{total}")
    ordered = sorted(ROWS, key=lambda r: (_int(r[2]) is not None, _int(r[2]) or 0, r[0], r))
    return {
        "sums": sorted(sums),
        "distinct": sorted({f"{k}\t{j}" for k, j, _ in ROWS}),
        "ordered": ["\t".join(r) for r in ordered],
        "cogroup": sorted(cogroup),
    }


def _stored(path: Path) -> list[str]:
    return [line for p in sorted(path.glob("part-*")) for line in p.read_text().splitlines()]


def test_flat_reduce_sides_alone_and_in_one_multi_query_job(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("".join("\t".join(r) + "\n" for r in ROWS))
    want = _expected()
    for multiquery in ("true", "false"):
        out = tmp_path / multiquery
        out.mkdir()
        (out / "a.txt").write_text((tmp_path / "a.txt").read_text())
        script = f"SET opt.multiquery {multiquery};\n" + SCRIPT
        log = io.StringIO()
        assert run_script(script, exec_type="local", cwd=out, filename="t.pig", out=log) == 0
        assert sorted(_stored(out / "sums")) == want["sums"]
        assert sorted(_stored(out / "distinct")) == want["distinct"]
        assert sorted(_stored(out / "cogroup")) == want["cogroup"]
        lines = _stored(out / "ordered")
        assert sorted(lines) == sorted("\t".join(r) for r in ROWS)
        keys = [_int(line.split("\t")[2]) for line in lines]
        assert keys == sorted(keys, key=lambda n: (n is not None, n or 0))  # nulls first
