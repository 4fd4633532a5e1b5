"""The generated map code of a hash join or GROUP adds each record's row to its key's list in
the task's `mapgroups.KeyGroups` itself (`codegen.KeyedTail.groups`) and counts them in
``inline``; `KeyGroups.add` then judges and bounds what is held exactly as for records it
groups. Checked on `KeyGroups` directly and end to end against plain Python: keys that do
not repeat (the grouping stops after `SAMPLE_RECORDS` and rows pass through), a small sort
buffer (the held rows flushed many times)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from piglatin.back.mapgroups import SAMPLE_RECORDS, KeyGroups, group_rows
from piglatin.launcher import PigServer


def test_inline_rows_count_toward_the_limit() -> None:
    groups = KeyGroups(1 << 20)
    groups.limit = 1000
    for i in range(999):  # as the generated code adds them
        groups.groups.setdefault(b"k%d" % (i % 3), [0]).append(b"r%d" % i)
    groups.inline = 999
    assert groups.add([]) == []
    assert groups.rows == 999 and groups.inline == 0
    out = groups.add([(b"k0", (0, b"last"))])  # the 1000th row: everything leaves
    assert sorted(k for k, _ in out) == [b"k0", b"k1", b"k2"]
    rows = {k: group_rows(v[1]) for k, v in out}
    assert len(rows[b"k0"]) == 334 and rows[b"k0"][-1] == b"last"
    assert groups.groups == {} and groups.rows == 0


def test_inline_rows_are_judged_and_stop_the_grouping() -> None:
    groups = KeyGroups(1 << 30)
    for i in range(SAMPLE_RECORDS):
        groups.groups[b"%d" % i] = [1, b"r"]
    groups.inline = SAMPLE_RECORDS
    out = groups.add([])
    assert groups.passing and len(out) == SAMPLE_RECORDS
    assert groups.add([(b"x", (1, b"r"))]) == [(b"x", (1, b"r"))]


@pytest.mark.parametrize("sort_mb", ["1", "100"])
def test_joins_and_groups_with_keys_that_do_not_repeat(tmp_path: Path, sort_mb: str) -> None:
    n = SAMPLE_RECORDS + 3000
    left = [(f"k{i}" if i % 7 else "", f"{i}.5") for i in range(n)]  # unique keys, nulls
    right = [(f"k{i}", str(i % 5)) for i in range(0, n, 3)] + [("k3", "x")]
    (tmp_path / "l.txt").write_text("".join(f"{k}\t{v}\n" for k, v in left))
    (tmp_path / "r.txt").write_text("".join(f"{k}\t{v}\n" for k, v in right))
    script = f"""SET mapreduce.task.io.sort.mb {sort_mb};
        L = LOAD 'l.txt' AS (k:chararray, v:double);
        R = LOAD 'r.txt' AS (k:chararray, w:chararray);
        J = JOIN L BY k LEFT OUTER, R BY k;
        STORE J INTO 'join';
        G = GROUP R BY w;
        C = FOREACH G GENERATE group, COUNT(R);
        STORE C INTO 'group';"""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)

    def read(name: str) -> list[str]:
        return sorted(
            x for p in (tmp_path / name).glob("part-*") for x in p.read_text().splitlines()
        )

    matches: dict[str, list[str]] = {}
    for k, w in right:
        matches.setdefault(k, []).append(w)
    want = []
    for k, v in left:
        for w in matches.get(k, []) if k else []:
            want.append(f"{k}\t{v}\t{k}\t{w}")
        if not k or k not in matches:
            want.append(f"{k}\t{v}\t\t")
    assert read("join") == sorted(want)
    counts = Counter(w for _, w in right)
    assert read("group") == sorted(f"{w}\t{c}" for w, c in counts.items())


def test_rows_held_by_value_leave_under_their_key_bytes() -> None:
    groups = KeyGroups(1 << 30)
    encode = lambda keys: [b"<" + k.encode() + b">" for k in keys]  # noqa: E731
    held = groups.values_for(encode)
    assert groups.values_for(encode) is held
    for i in range(SAMPLE_RECORDS):  # keys that do not repeat, held by value
        held[f"k{i}"] = [0, b"r%d" % i]
    groups.inline = SAMPLE_RECORDS
    out = groups.add([])
    assert groups.passing and len(out) == SAMPLE_RECORDS
    assert out[5] == (b"<k5>", (0, b"r5"))
    assert groups.by_value == {}


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_group_bags_by_int_and_text_keys(tmp_path: Path, codegen: str) -> None:
    """A GROUP without combiner (its bags written whole) by an int key and by a text key
    with a NUL and non-ASCII characters: each bag holds exactly its key's rows."""
    rows = [(i % 13 - 6 if i % 11 else None, f"t\x00{i % 5}é", i) for i in range(3000)]
    text = "".join(f"{'' if k is None else k}\t{t}\t{i}\n" for k, t, i in rows)
    (tmp_path / "in.txt").write_text(text)
    script = f"""SET pig.codegen {codegen};
        A = LOAD 'in.txt' AS (k:int, t:chararray, i:int);
        G = GROUP A BY k;
        B = FOREACH G GENERATE group, A.i;
        STORE B INTO 'byint';
        H = GROUP A BY t;
        C = FOREACH H GENERATE group, A.i;
        STORE C INTO 'bytext';"""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)

    def bags(name: str) -> dict[str, list[int]]:
        out = {}
        for p in (tmp_path / name).glob("part-*"):
            for line in p.read_text().splitlines():
                key, bag = line.split("\t")
                out[key] = sorted(int(x) for x in bag.strip("{}()").split("),(") if x)
        return out

    by_int: dict[str, list[int]] = {}
    by_text: dict[str, list[int]] = {}
    for k, t, i in rows:
        by_int.setdefault("" if k is None else str(k), []).append(i)
        by_text.setdefault(t, []).append(i)
    assert bags("byint") == by_int
    assert bags("bytext") == by_text
