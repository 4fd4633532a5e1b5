"""Every JOIN strategy on data users bring, against plain Python's model of Pig's rules.

The lines: keys and values with non-ASCII text, empty fields (null), numbers written several
ways ('7', '07', '7.0', ' 7' is not tried: Java trims it as a double), bad numbers ('x'),
lines shorter and longer than the AS. The scripts: typed (chararray or int) and untyped
(bytearray) keys, one or two key columns, inner and left outer, each of hash (default),
'replicated' and 'merge' (inputs sorted on the key first, in Pig's order: nulls first),
code generation on and off, pig -x local and mapreduce. A null key, or a key with a null
column, never matches; an unmatched left row of a left outer join is padded with nulls.
Expected lines are made here from the raw fields: an int column is Pig's int of the text
(Integer.valueOf, else a double's intValue, else null), written as Java writes it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import run_script

KEYS = ["a", "é", "日本", "7", "07", "7.0", "x", ""]
VALUES = ["1", "-2", "2.5", "x", "", "zé"]
CONFIGS = {
    "local": ("local", ""),
    "closures": ("local", "SET pig.codegen false;\n"),
    "mapreduce": ("mapreduce", "SET default_parallel 2;\n"),
}


def pig_int(text: str):
    """Pig's bytesToInteger of a field's text ('' is null)."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        d = float(text)
    except ValueError:
        return None
    return int(d) if -(2**31) - 1 < d < 2**31 else None


def fields(line: tuple, width: int) -> list[str]:
    """The line's first `width` fields, missing ones empty (null)."""
    return (list(line) + [""] * width)[:width]


def typed(texts: list[str], types: tuple[str, ...]) -> tuple:
    return tuple(
        pig_int(t) if ty == "int" else (t or None) for t, ty in zip(texts, types, strict=True)
    )


def text(v) -> str:
    return "" if v is None else str(v)


def model(left: list, right: list, ltypes, rtypes, keys: int, outer: bool) -> list[str]:
    """The joined lines: per left row, every right row with an equal key (no null part)."""
    lrows = [typed(fields(r, len(ltypes)), ltypes) for r in left]
    rrows = [typed(fields(r, len(rtypes)), rtypes) for r in right]
    out = []
    for lt in lrows:
        k = lt[:keys]
        ms = [] if None in k else [r for r in rrows if r[:keys] == k]
        if not ms and outer:
            ms = [(None,) * len(rtypes)]
        out += ["\t".join(map(text, lt + r)) for r in ms]
    return sorted(out)


def order(row_texts: tuple, types: tuple, keys: int):
    """Pig's sort order of a row's key: nulls first, ints by value, texts by code point."""
    k = typed(fields(row_texts, len(types)), types)[:keys]
    return tuple(
        (v is not None, v if v is not None else 0 if t == "int" else "") for v, t in zip(k, types)
    )


def run(tmp: Path, left: list, right: list, script: str, config: str) -> list[str]:
    mode, sets = CONFIGS[config]
    for name, rows in (("l.txt", left), ("r.txt", right)):
        (tmp / name).write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    log = io.StringIO()
    out = tmp / "out"
    body = sets + script + f"STORE J INTO '{out.as_uri()}';"
    assert run_script(body, exec_type=mode, cwd=tmp, filename="t.pig", out=log) == 0, log.getvalue()
    lines = []
    for part in sorted(out.glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return sorted(lines)


line = st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)).flatmap(
    lambda kv: st.lists(st.sampled_from(VALUES), max_size=2).map(lambda rest: (*kv, *rest))
) | st.tuples(st.sampled_from(KEYS))


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("strategy", ["hash", "replicated", "merge"])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    left=st.lists(line, max_size=10),
    right=st.lists(line, max_size=8),
    ktype=st.sampled_from(["chararray", "int", None]),
    keys=st.sampled_from([1, 2]),
    outer=st.booleans(),
)
def test_join_of_user_lines(
    tmp_path_factory, config: str, strategy: str, left, right, ktype, keys: int, outer: bool
) -> None:
    vtype = "int" if ktype is not None else None
    ltypes = ("chararray" if ktype is None else ktype, "int" if vtype else "chararray")
    rtypes = (*ltypes, "chararray")
    if ktype is None:  # untyped: bytearray columns, compared and written as their bytes
        ltypes, rtypes = ("chararray",) * 2, ("chararray",) * 3
        schema_l, schema_r = "(k, v)", "(k, v, w)"
    else:
        schema_l = f"(k:{ktype}, v:{vtype})"
        schema_r = f"(k:{ktype}, v:{vtype}, w:chararray)"
    if strategy == "merge":  # both inputs sorted on the join key, as Pig requires
        left = sorted(left, key=lambda r: order(r, ltypes, keys))
        right = sorted(right, key=lambda r: order(r, rtypes, keys))
    by_l = "k" if keys == 1 else "(k, v)"
    using = "" if strategy == "hash" else f" USING '{strategy}'"
    script = (
        f"L = LOAD 'l.txt' AS {schema_l};\nR = LOAD 'r.txt' AS {schema_r};\n"
        f"J = JOIN L BY {by_l}{' LEFT OUTER' if outer else ''}, R BY {by_l}{using};\n"
    )
    got = run(tmp_path_factory.mktemp("j"), left, right, script, config)
    assert got == model(left, right, ltypes, rtypes, keys, outer)
