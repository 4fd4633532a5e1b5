"""The fixed cost of a `pig -x local` run (issue 14): what a whole command loads.

Each case runs a real command in a fresh interpreter (the console entry point's `main`, as the
`pig` script calls it) and then lists which of a few modules it loaded. A local script reads
and writes local files, which Python opens itself: it must not load fsspec (about 60 ms of
CPU with asyncio and its entry points), nor modules only other paths need (WATCHED). The
output is checked too, so a run that failed early (and so loaded little) cannot pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# HOME is the test's directory (job directories land there); the parser's table cache stays
CACHE = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
# fsspec and what it brings; the process executor's multiprocessing (an inline cluster starts no
# child); the site-file parser (no *-site.xml here); the remote shuffle's thread pool; the
# "Did you mean" matcher (errors only); Lark itself, and the `regex` package it would take (a
# session parses with the cached tables: front/lalr.py; Lark only builds them, front/larklib.py);
# what only some values or settings need: decimal (a double printed in scientific notation, a
# float32 text on a midpoint, %f of SPRINTF), calendar (an ordinal date), shlex
# ($PIG_OPTS)
WATCHED = (
    "lark",
    "regex",
    "fsspec",
    "asyncio",
    "ssl",
    "importlib.metadata",
    "multiprocessing",
    "xml.etree.ElementTree",
    "concurrent.futures",
    "difflib",
    "decimal",
    "calendar",
    "shlex",
)


def run_probe(code: str, cwd: Path) -> tuple[list[str], str]:
    """(the WATCHED modules loaded after `code`, its stderr) in a new interpreter."""
    report = f"\nimport json, sys\nprint(json.dumps([m for m in {WATCHED!r} if m in sys.modules]))"
    done = subprocess.run(
        [sys.executable, "-c", code + report],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(cwd), XDG_CACHE_HOME=CACHE),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.fixture(scope="module", autouse=True)
def _parser_tables() -> None:
    """The parser's tables in the cache the probes use (Lark builds them on a cold cache)."""
    subprocess.run(
        [sys.executable, "-c", "from piglatin.front.parser import _tables; _tables()"],
        timeout=120,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=CACHE),
    )


def pig_code(*args: str) -> str:
    return f"from piglatin.tools.cli import main\nassert main({list(args)!r}) == 0"


@pytest.fixture
def words(tmp_path: Path) -> Path:
    (tmp_path / "in.txt").write_text("b\t2\na\t1\nb\t3\n", encoding="utf-8")
    return tmp_path


SCRIPTS = {
    "load_store": "A = LOAD 'in.txt' AS (w:chararray, n:int);\nSTORE A INTO 'out';\n",
    "group_order": (
        "A = LOAD 'in.txt' AS (w:chararray, n:int);\nG = GROUP A BY w;\n"
        "S = FOREACH G GENERATE group, SUM(A.n);\nO = ORDER S BY $0;\nSTORE O INTO 'out';\n"
    ),
    "file_urls": (
        "A = LOAD 'file://{dir}/in.txt' AS (w:chararray, n:int);\n"
        "STORE A INTO 'file://{dir}/out';\n"
    ),
}
EXPECTED = {
    "load_store": ["b\t2", "a\t1", "b\t3"],
    "group_order": ["a\t1", "b\t5"],
    "file_urls": ["b\t2", "a\t1", "b\t3"],
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_a_local_script_does_not_load_fsspec(words, name):
    (words / "q.pig").write_text(SCRIPTS[name].format(dir=words), encoding="utf-8")
    loaded, err = run_probe(pig_code("-x", "local", "-f", "q.pig"), words)
    parts = sorted((words / "out").glob("part-*"))
    lines = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()]
    assert lines == EXPECTED[name], err
    assert (words / "out" / "_SUCCESS").exists()
    assert loaded == [], f"a local pig run loaded {loaded}"


def test_a_failing_script_still_suggests_a_name(words):
    """The lazily imported matcher still answers: a misspelt function gets Pig's suggestion."""
    script = "A = LOAD 'in.txt' AS (w:chararray, n:int);\nB = FOREACH A GENERATE UPER(w);\n"
    (words / "q.pig").write_text(script + "STORE B INTO 'out';\n", encoding="utf-8")
    code = "from piglatin.tools.cli import main\nassert main(['-x', 'local', '-f', 'q.pig']) != 0"
    loaded, err = run_probe(code, words)
    assert "UPPER" in err and "difflib" in loaded


def test_the_probe_sees_fsspec_when_a_script_names_another_scheme(words):
    """The same probe on a run that really needs fsspec (a memory:// location) sees it."""
    script = "A = LOAD 'in.txt' AS (w:chararray, n:int);\nSTORE A INTO 'memory://out';\n"
    (words / "q.pig").write_text(script, encoding="utf-8")
    loaded, err = run_probe(pig_code("-x", "local", "-f", "q.pig"), words)
    assert "fsspec" in loaded, err


def test_a_local_hadoop_jar_does_not_load_fsspec(words):
    """`hadoop jar` on file:// paths in the local framework: the same modules stay out."""
    (words / "text.txt").write_text("a b a\nc b a\n", encoding="utf-8")
    args = [
        "jar",
        "jobs.wordcount",
        "-D",
        "mapreduce.framework.name=local",
        f"file://{words}/text.txt",
        f"file://{words}/counts",
    ]
    code = (
        "from mapred.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
    )
    loaded, err = run_probe(code, words)
    counts = [p.read_text(encoding="utf-8") for p in sorted((words / "counts").glob("part-*"))]
    assert sorted("".join(counts).splitlines()) == ["a\t3", "b\t2", "c\t1"], err
    assert loaded == [], f"a local hadoop jar loaded {loaded}"


def test_a_script_is_parsed_once_per_session(words, monkeypatch):
    """Building the script and rebuilding its plan for the jobs read the same text: one parse
    (the tree is immutable), where there were two."""
    from piglatin.front import parser
    from piglatin.launcher import PigServer

    real, starts = parser.parse_tokens, []

    def counting(tables, text, start, *always):
        starts.append(start)
        return real(tables, text, start, *always)

    monkeypatch.setattr(parser, "parse_tokens", counting)
    script = f"A = LOAD '{words}/in.txt' AS (w:chararray, n:int);\nSTORE A INTO '{words}/out';\n"
    with PigServer("local", cwd=words) as server:
        server.register_script(script)
    assert starts.count("start") == 1
    assert sorted((words / "out" / "part-m-00000").read_text().splitlines()) == [
        "a\t1",
        "b\t2",
        "b\t3",
    ]
