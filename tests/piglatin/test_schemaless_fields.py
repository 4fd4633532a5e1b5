"""A LOAD without a schema whose FOREACH reads a few columns by position splits each line only
up to the last of them (`PigStorage.limit_fields`, `runtime.fields_read`). Against plain
Python: a field is its bytes as read (null when empty or past the line's end), lines of any
width, empty lines; a FILTER first, ``*`` and -tagFile keep the whole line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.back.storage import PigStorage
from piglatin.launcher import run_script

FIELD = st.text(alphabet="ab#é[](),{} 1", max_size=4)
LINES = st.lists(st.lists(FIELD, max_size=8).map("\t".join), min_size=1, max_size=30)


def _run(tmp_path: Path, lines: list[str], body: str) -> list[str]:
    (tmp_path / "a.txt").write_text("".join(line + "\n" for line in lines))
    script = f"A = LOAD 'a.txt';\n{body}\nSTORE B INTO 'out';\n"
    assert run_script(script, cwd=tmp_path, filename="t.pig", out=io.StringIO()) == 0
    out = []
    for part in sorted((tmp_path / "out").glob("part-*")):
        out += part.read_text().splitlines()
    return out


def _field(line: str, i: int) -> str:
    fields = line.split("\t")
    return fields[i] if i < len(fields) else ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES)
def test_positional_columns_of_a_schemaless_load(tmp_path_factory, lines) -> None:
    tmp = tmp_path_factory.mktemp("s")
    got = _run(tmp, lines, "B = FOREACH A GENERATE $4, (chararray)$0, $2;")
    want = [f"{_field(x, 4)}\t{_field(x, 0)}\t{_field(x, 2)}" for x in lines]
    assert sorted(got) == sorted(want)


@pytest.mark.parametrize(
    "body",
    [
        "B = FILTER A BY $0 IS NOT NULL OR $0 IS NULL;",  # the whole row passes on
        "B = FOREACH A GENERATE *;",
        "B = FOREACH A GENERATE $1, SIZE(*);",
    ],
)
def test_whole_rows_are_kept_whole(tmp_path: Path, body: str) -> None:
    lines = ["a\tb\tc\td", "x", "", "p\t\tq"]
    got = _run(tmp_path, lines, body)
    if "SIZE" in body:
        want = ["b\t4", "\t1", "\t1", "\t3"]
    else:
        want = [x for x in lines if x] + [""] if "FILTER" in body else lines
    assert sorted(got) == sorted(want)


def test_the_loader_splits_only_the_first_fields() -> None:
    loader = PigStorage()
    assert loader.limit_fields(2)
    assert loader.line_parser()("a\tb\tc\td") == (b"a", b"b")
    assert loader.parse_line("a\t\tc\n") == (b"a", None)
    assert loader.line_parser()("é") == ("é".encode(),)
    assert loader.line_parser()("") == (None,)
    tagged = PigStorage("\t", "-tagFile")
    assert not tagged.limit_fields(2)  # field 0 is the file name: not the line's
