"""MATCHES with a constant pattern is written inline in the generated map code (the pattern's
Java regex compiled once): null for a null value, the whole text matched (Java's
Matcher.matches), a bytearray's UTF-8 text. Checked against Python's re.fullmatch over
hypothesis text (patterns whose Java and Python meanings agree on this alphabet), typed and
untyped columns, in a FILTER and a bincond, with codegen on and off."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piglatin.launcher import PigServer

PATTERNS = ["[0-9]+x?", "a.*", "(é|😀)+", ".*b.*"]
text = st.text(alphabet="ab0é😀x", max_size=5)


def _script(pattern: str) -> str:
    return f"""
    A = LOAD 'in' AS (s:chararray, t);
    F = FILTER A BY s MATCHES '{pattern}' OR t MATCHES '{pattern}' OR s IS NULL;
    B = FOREACH F GENERATE s, (s MATCHES '{pattern}' ? 1 : 0), (t MATCHES '{pattern}' ? 1 : 0);
    STORE B INTO 'out';
    """


def _run(where: Path, rows, script: str, codegen: str) -> list[str]:
    (where / "in").write_text("".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    shutil.rmtree(where / "out", ignore_errors=True)
    with PigServer(
        "local", cwd=where, out=io.StringIO(), properties={"pig.codegen": codegen}
    ) as pig:
        pig.register_script(script)
    lines: list[str] = []
    for part in sorted((where / "out").glob("part-*")):
        lines += part.read_text(encoding="utf-8").split("\n")[:-1]
    return sorted(lines)


def _expected(rows, pattern: str) -> list[str]:
    rx = re.compile(pattern)

    def m(v: str) -> bool | None:
        return None if not v else rx.fullmatch(v) is not None  # an empty field is null

    out = []
    for s, t in rows:
        ms, mt = m(s), m(t)
        if not (ms is True or mt is True or ms is None):  # Pig's three-valued OR, kept if true
            continue
        cells = [s, "" if ms is None else int(ms), "" if mt is None else int(mt)]
        out.append("\t".join(str(c) for c in cells))
    return sorted(out)


@pytest.mark.parametrize("codegen", ["true", "false"])
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pattern=st.sampled_from(PATTERNS), rows=st.lists(st.tuples(text, text), max_size=25))
def test_matches_against_python_re(tmp_path_factory, codegen, pattern, rows):
    got = _run(tmp_path_factory.mktemp("m"), rows, _script(pattern), codegen)
    assert got == _expected(rows, pattern)


def test_matches_is_inline(tmp_path):
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as pig:
        pig.register_script(_script("a.*").replace("STORE B INTO 'out';", "EXPLAIN B;"))
    code = out.getvalue()[out.getvalue().index("# Generated code (map side)") :]
    assert re.search(r"_rx\d+\.fullmatch\(", code)
    assert not re.search(r"_e\d+\(", code)  # no expression left to a closure
