"""ILLUSTRATE {alias | -script scriptfile} (Pig 0.17 test.xml "ILLUSTRATE"): the script form
shows every relation the script's STOREs compute and a ``Store : alias`` table for each STORE,
without running the script; a STREAM's table is its command's output. Rows are checked against
plain Python filters of the page's visits.txt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.front.parser import parse, pretty
from piglatin.launcher import run_script

VISITS = [
    ("Amy", "yahoo.com", "19990421"),
    ("Fred", "harvard.edu", "19991104"),
    ("Amy", "cnn.com", "20070218"),
    ("Frank", "nba.com", "20070305"),
    ("Fred", "berkeley.edu", "20071204"),
    ("Fred", "stanford.edu", "20071206"),
]
SCRIPT = (
    "visits = LOAD 'visits.txt' AS (user, url, timestamp);\n"
    "recent_visits = FILTER visits BY timestamp >= '20071201';\n"
    "historical_visits = FILTER visits BY timestamp <= '20000101';\n"
    "DUMP recent_visits;\nDUMP historical_visits;\n"
    "STORE recent_visits INTO 'recent';\nSTORE historical_visits INTO 'historical';\n"
)


def run(tmp: Path, script: str, mode: str = "local") -> str:
    (tmp / "visits.txt").write_text("".join("\t".join(v) + "\n" for v in VISITS))
    (tmp / "visits.pig").write_text(SCRIPT)
    out = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="i.pig", out=out) == 0
    return out.getvalue()


def tables(text: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """(title, rows) of each boxed table: a head's first cell is the title, a row's empty."""
    out: list[tuple[str, list[tuple[str, ...]]]] = []
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0]:
            out.append((cells[0], []))
        else:
            out[-1][1].append(tuple(cells[1:]))
    return out


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
def test_illustrate_script_as_the_page_shows(tmp_path: Path, mode: str) -> None:
    got = tables(run(tmp_path, "illustrate -script visits.pig;", mode))
    recent = [v for v in VISITS if v[2] >= "20071201"]
    historical = [v for v in VISITS if v[2] <= "20000101"]
    assert [t for t, _ in got] == [
        "visits",
        "recent_visits",
        "Store : recent_visits",
        "historical_visits",
        "Store : historical_visits",
    ]
    rows = dict(got)
    assert rows["visits"] == VISITS
    assert rows["recent_visits"] == rows["Store : recent_visits"] == recent
    assert rows["historical_visits"] == rows["Store : historical_visits"] == historical
    assert not (tmp_path / "recent").exists() and not (tmp_path / "historical").exists()


def test_illustrate_alias_still_works_and_stream_rows_are_the_commands(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'visits.txt' AS (user:chararray, url:chararray, t:chararray);\n"
        "B = STREAM A THROUGH `cut -f 2` AS (url:chararray);\nILLUSTRATE B;"
    )
    got = dict(tables(run(tmp_path, script)))
    assert got["B"] == [(v[1],) for v in VISITS]


def test_parse_print_and_errors(tmp_path: Path) -> None:
    s = parse("ILLUSTRATE -script 'visits.pig';")
    assert parse(pretty(s)) == s and s.statements[0].script == "visits.pig"
    with pytest.raises(PigError, match="ILLUSTRATE takes an alias or -script"):
        parse("ILLUSTRATE -out x;")
    with pytest.raises(PigError, match="File not found: nope.pig"):
        run(tmp_path, "ILLUSTRATE -script nope.pig;")


def test_explain_options_with_the_pages_en_dash() -> None:
    """test.xml prints EXPLAIN's options with an en dash (–brief): they parse as hyphens."""
    s = parse("EXPLAIN \u2013brief \u2013dot \u2013param a = 1 C;").statements[0]
    assert (s.brief, s.format, s.params, s.alias) == (True, "dot", ("a=1",), "C")
