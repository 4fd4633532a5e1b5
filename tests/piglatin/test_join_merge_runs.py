"""A merge join's generated map code keeps the right run of the last left key it asked the
merge cursor for (a chararray or int key: sorted rows of one key come together) and asks
again only for another key. The joined rows must be plain Python's: keys repeated across
the map's batches, null keys, keys missing on either side, inner and left outer joins,
code generation on and off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer


def merge_join(tmp: Path, left: list, right: list, ktype: str, outer: bool, codegen: str) -> list:
    (tmp / "l.txt").write_text("".join(f"{'' if k is None else k}\t{v}\n" for k, v in left))
    (tmp / "r.txt").write_text("".join(f"{k}\t{w}\n" for k, w in right))
    kind = "LEFT OUTER" if outer else ""
    script = f"""SET pig.codegen {codegen};
        L = LOAD 'l.txt' AS (k:{ktype}, v:chararray);
        R = LOAD 'r.txt' AS (k:{ktype}, w:chararray);
        J = JOIN L BY k {kind}, R BY k USING 'merge';
        STORE J INTO 'out';"""
    with PigServer("local", cwd=tmp, out=io.StringIO()) as pig:
        pig.register_script(script)
    return sorted(x for p in (tmp / "out").glob("part-*") for x in p.read_text().splitlines())


def expected(left: list, right: list, outer: bool) -> list:
    out = []
    for k, v in left:
        ms = [w for rk, w in right if k is not None and rk == k]
        if not ms and outer:
            out.append(f"{'' if k is None else k}\t{v}\t\t")
        out += [f"{k}\t{v}\t{k}\t{w}" for w in ms]
    return sorted(out)


def sorted_keys(keys: list, ktype: str) -> list:
    """Nulls first, then in Pig's order for the type."""
    return sorted(
        keys, key=lambda k: (k is not None, k if k is not None else 0 if ktype == "int" else "")
    )


@pytest.mark.parametrize("codegen", ["true", "false"])
@pytest.mark.parametrize("ktype", ["chararray", "int"])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lkeys=st.lists(st.sampled_from([None, 1, 2, 3, 5, 8]), max_size=30),
    rkeys=st.lists(st.sampled_from([1, 2, 4, 5, 9]), max_size=12),
    outer=st.booleans(),
)
def test_merge_join_runs(tmp_path_factory, codegen, ktype, lkeys, rkeys, outer) -> None:
    tmp = tmp_path_factory.mktemp("m")
    conv = (lambda k: None if k is None else f"k{k}") if ktype == "chararray" else (lambda k: k)
    left = [(k, f"v{i}") for i, k in enumerate(sorted_keys([conv(k) for k in lkeys], ktype))]
    right = [(k, f"w{i}") for i, k in enumerate(sorted_keys([conv(k) for k in rkeys], ktype))]
    assert merge_join(tmp, left, right, ktype, outer, codegen) == expected(left, right, outer)


def test_a_key_run_across_batches(tmp_path: Path) -> None:
    """Runs of thousands of rows: the map's batches cut them."""
    left = [(f"k{i // 3000:02d}", f"v{i}") for i in range(20000)]
    right = [(f"k{j:02d}", f"w{j}{c}") for j in range(0, 7, 2) for c in "ab"]
    assert merge_join(tmp_path, left, right, "chararray", True, "true") == expected(
        left, right, True
    )
