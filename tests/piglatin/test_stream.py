"""STREAM and DEFINE of streaming commands (Pig 0.17 basic.xml "STREAM", "DEFINE (UDFs,
streaming)"): rows go to the command's stdin as PigStreaming text (tab-separated, Pig's text
forms), each line it prints is a row (bytearrays, or cast by AS); a command per map task; a
failing command is ERROR 2055 "Received Error while processing the map plan: '<cmd> ' failed
with exit status: N" (ExecutableManager); INPUT/OUTPUT files and (de)serializers, SHIP, CACHE.
Expected rows come from plain Python over the same data."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from piglatin.errors import PigError
from piglatin.launcher import run_script

ROWS = [("ann", 31, 2.5), ("bob", 17, 0.25), ("cy", 44, 1.0), ("dee", 8, 3.75)]
DATA = "".join(f"{n}\t{a}\t{s}\n" for n, a, s in ROWS)
LOAD = "A = LOAD 'people.txt' AS (name:chararray, age:int, score:double);\n"
MODES = ["local", "mapreduce"]


def run(tmp: Path, script: str, mode: str = "local", files: dict[str, str] | None = None) -> str:
    (tmp / "people.txt").write_text(DATA)
    for name, text in (files or {}).items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    out = io.StringIO()
    assert run_script(script, exec_type=mode, cwd=tmp, filename="s.pig", out=out) == 0
    return out.getvalue()


def rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("(")]


@pytest.mark.parametrize("mode", MODES)
def test_stream_through_a_command_without_schema(tmp_path: Path, mode: str) -> None:
    text = run(tmp_path, LOAD + "B = STREAM A THROUGH `cut -f 2`;\nDESCRIBE B;\nDUMP B;", mode)
    assert "Schema for B unknown." in text
    assert sorted(rows(text)) == sorted(f"({a})" for _n, a, _s in ROWS)


@pytest.mark.parametrize("mode", MODES)
def test_define_with_as_schema_then_foreach(tmp_path: Path, mode: str) -> None:
    script = LOAD + (
        "DEFINE swap `awk -F '\\t' '{print $2 \"\\t\" $1}'`;\n"
        "B = STREAM A THROUGH swap AS (age:int, name:chararray);\nDESCRIBE B;\n"
        "C = FOREACH B GENERATE name, age + 1;\nDUMP C;"
    )
    text = run(tmp_path, script, mode)
    assert "B: {age: int,name: chararray}" in text
    assert sorted(rows(text)) == sorted(f"({n},{a + 1})" for n, a, _s in ROWS)


def test_rows_are_pig_text_and_come_back_typed(tmp_path: Path) -> None:
    """A null is an empty field; a bag, tuple and map use Pig's text forms, which `cat`
    gives back and AS casts to the same values."""
    files = {"c.txt": "1\t{(a,1),(b,2)}\t[k#v]\t(x,y)\n\t{}\t\t\n"}
    schema = "(n:int, b:bag{t:(s:chararray, i:int)}, m:map[], t:tuple(p:chararray, q:chararray))"
    script = (
        f"A = LOAD 'c.txt' AS {schema};\nB = STREAM A THROUGH `cat` AS {schema};\n"
        "C = FOREACH B GENERATE n, SIZE(b), m#'k', t.q, (n IS NULL ? 'null' : 'set');\nDUMP C;"
    )
    assert rows(run(tmp_path, script, files=files)) == ["(1,2,v,y,set)", "(,0,,,null)"]


@pytest.mark.parametrize("mode", MODES)
def test_a_failing_command_is_error_2055(tmp_path: Path, mode: str) -> None:
    script = LOAD + "B = STREAM A THROUGH `sh -c 'cat >/dev/null; exit 3'`;\nDUMP B;"
    with pytest.raises(PigError) as e:
        run(tmp_path, script, mode)
    assert e.value.code == 2055
    assert e.value.message == (
        "Received Error while processing the map plan: "
        "'sh -c 'cat >/dev/null; exit 3' ' failed with exit status: 3"
    )


def test_a_missing_command_fails_with_bash_status_127(tmp_path: Path) -> None:
    with pytest.raises(PigError, match="'no-such-cmd-x1 ' failed with exit status: 127"):
        run(tmp_path, LOAD + "B = STREAM A THROUGH `no-such-cmd-x1`;\nDUMP B;")


def test_a_command_that_stops_reading_is_not_an_error(tmp_path: Path) -> None:
    many = "".join(f"r{i}\t{i}\n" for i in range(50_000))
    script = (
        "A = LOAD 'many.txt' AS (k:chararray, v:int);\nB = STREAM A THROUGH `head -2`;\nDUMP B;"
    )
    assert rows(run(tmp_path, script, files={"many.txt": many})) == ["(r0,0)", "(r1,1)"]


def test_a_command_per_map_task(tmp_path: Path) -> None:
    """Two input files, two map tasks, two runs of `wc -l` (as Pig's POStream per task)."""
    files = {"in/a.txt": "x\n" * 3, "in/b.txt": "y\n" * 5}
    script = "A = LOAD 'in' AS (w:chararray);\nB = STREAM A THROUGH `wc -l` AS (n:int);\nDUMP B;"
    assert sorted(rows(run(tmp_path, script, files=files))) == ["(3)", "(5)"]


def test_data_never_reaches_a_shell(tmp_path: Path) -> None:
    files = {"evil.txt": "$(touch pwned)\n`touch pwned2`;touch pwned3\n"}
    script = "A = LOAD 'evil.txt' AS (s:chararray);\nB = STREAM A THROUGH `cat`;\nDUMP B;"
    assert rows(run(tmp_path, script, files=files)) == [
        "($(touch pwned))",
        "(`touch pwned2`;touch pwned3)",
    ]
    assert not any((tmp_path / n).exists() for n in ("pwned", "pwned2", "pwned3"))


def test_pigstreaming_delimiters(tmp_path: Path) -> None:
    script = LOAD + (
        "DEFINE c `tr ',' '|'` INPUT(stdin USING PigStreaming(',')) "
        "OUTPUT(stdout USING PigStreaming('|'));\n"
        "B = STREAM A THROUGH c AS (name:chararray, age:int, score:double);\n"
        "C = FOREACH B GENERATE name, age * 2;\nDUMP C;"
    )
    assert sorted(rows(run(tmp_path, script))) == sorted(f"({n},{a * 2})" for n, a, _ in ROWS)


def test_ship_input_and_output_files(tmp_path: Path) -> None:
    """SHIP puts the script beside the command; INPUT('f') writes the rows to f first,
    OUTPUT('g') reads the rows from g once the command exits."""
    tool = "import sys\nfor line in open(sys.argv[1]):\n    print(line.rstrip('\\n').upper())\n"
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "up.py").write_text(tool)
    script = LOAD + (
        f"DEFINE up `{sys.executable} up.py rows.in > rows.out` SHIP('tools/up.py') "
        "INPUT('rows.in') OUTPUT('rows.out');\n"
        "B = STREAM A THROUGH up AS (name:chararray, age:int, score:double);\nDUMP B;"
    )
    expected = sorted(f"({n.upper()},{a},{s})" for n, a, s in ROWS)
    assert sorted(rows(run(tmp_path, script))) == expected
    assert not (tmp_path / "rows.in").exists() and not (tmp_path / "rows.out").exists()


def test_cache_file_is_in_the_working_directory(tmp_path: Path) -> None:
    script = LOAD + (
        "DEFINE j `join -t '\t' - ages.txt` CACHE('lookup/ages.tsv#ages.txt');\n"
        "B = ORDER A BY name;\nC = STREAM B THROUGH j;\nDUMP C;"
    )
    files = {"lookup/ages.tsv": "ann\tx\ncy\tz\n"}
    assert rows(run(tmp_path, script, files=files)) == ["(ann,31,2.5,x)", "(cy,44,1.0,z)"]


@pytest.mark.parametrize("mode", MODES)
def test_stream_after_group_and_store(tmp_path: Path, mode: str) -> None:
    script = LOAD + (
        "G = GROUP A BY (age > 20);\nS = FOREACH G GENERATE group, COUNT(A);\n"
        f"T = STREAM S THROUGH `sort`;\nSTORE T INTO 'out_{tmp_path.name}';"
    )  # a name of its own: in mapreduce mode, the session's DFS is shared by the tests
    # read back in the same session (the default mode's output is in the DFS)
    script += f"\nEXEC;\nR = LOAD 'out_{tmp_path.name}' AS (g:chararray, n:long);\nDUMP R;"
    text = run(tmp_path, script, mode)
    counts = {str(g).lower(): sum((a > 20) == g for _n, a, _s in ROWS) for g in (False, True)}
    assert sorted(rows(text)) == sorted(f"({g},{n})" for g, n in counts.items())


def test_explain_and_errors(tmp_path: Path) -> None:
    text = run(tmp_path, LOAD + "DEFINE c `cut -f 1`;\nB = STREAM A THROUGH c;\nEXPLAIN B;")
    assert "B: (Name: LOStream THROUGH c (`cut -f 1`) Schema: null)" in text
    assert "B: POStream THROUGH c (`cut -f 1`)" in text
    with pytest.raises(PigError, match=r"Undefined command-alias \[d\]"):
        run(tmp_path, LOAD + "B = STREAM A THROUGH d;")
    with pytest.raises(PigError, match="is not a streaming"):
        run(tmp_path, "DEFINE c `cat` INPUT(stdin USING BinStorage());")


def test_summary_names_the_stream_job(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "people.txt").write_text(DATA)
    done = subprocess.run(
        [sys.executable, "-m", "piglatin.tools.cli", "-x", "local", "-e",
         LOAD + "B = STREAM A THROUGH `cat`;\nSTORE B INTO 'o';"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout + done.stderr
    stats = [line.split("\t") for line in text.splitlines() if line.startswith("job_")]
    assert stats[0][-3:-1] == ["A,B", "STREAMING,MAP_ONLY"]


def test_a_backquote_in_the_command_is_escaped(tmp_path: Path) -> None:
    """Pig's command text takes \\` for a backquote (PigFileParser's IN_COMMAND)."""
    script = LOAD + "B = STREAM A THROUGH `cut -f 1`;\nC = STREAM B THROUGH `tr a '\\`'`;\nDUMP C;"
    assert sorted(rows(run(tmp_path, script))) == sorted(
        f"({n.replace('a', '`')})" for n, _a, _s in ROWS
    )


def test_perls_dollar_underscore_is_no_parameter(tmp_path: Path) -> None:
    """Pig's parameter names have a letter after any leading underscores
    (PreprocessorContext's id pattern), so `perl -ne 'print $_'` needs no escaping."""
    script = LOAD + "B = STREAM A THROUGH `perl -ne 'print $_'` AS (name:chararray, age:int);\n"
    script += "C = FOREACH B GENERATE name, age;\nDUMP C;"
    assert sorted(rows(run(tmp_path, script))) == sorted(f"({n},{a})" for n, a, _ in ROWS)
