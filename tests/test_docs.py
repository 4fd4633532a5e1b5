"""Every page of the project's docs runs as written: README.md and every docs/*.md, each block in
order in a fresh directory with its own MINIHADOOP_HOME (tests/docrun.py says how a block runs
and is judged: bash and Python blocks must succeed, a console block's commands must print what
the page shows). A new page, or a new block on a page, is run without touching this file.

Left out of the README: its first block (the install and the test suite: a test must not
reinstall the package or run the suite) and the blocks that wait on daemons for minutes or need
a job id to fill in, named here by a phrase they hold. What the README's blocks print is also
checked where its comments promise something. README_UNDER_TEST names another README to try.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.docrun import (
    ROOT,
    Block,
    PageRules,
    blocks,
    has_slow_blocks,
    interleaved,
    matches,
    page_run,
    same,
)

README = Path(os.environ.get("README_UNDER_TEST", ROOT / "README.md"))
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
RULES = {
    README.resolve(): PageRules(
        skip=("pip install", "start-cluster", "hadoop job -list [all]"),
        files=(("class WordCount(Job)", "wordcount.py"),),  # "saved as wordcount.py"
        replace=(('"/tmp/mc"', '"{work}/mc"'),),
    )
}


def _id(page: Path) -> str:
    return page.name if page == README else f"docs/{page.name}"


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_every_block_of_the_page_runs_as_written(page, tmp_path_factory):
    """Every block but those marked slow (their test is below)."""
    run = page_run(page, tmp_path_factory, RULES.get(page.resolve(), PageRules()))
    assert run.ran, f"{_id(page)} has nothing to run"
    problems = "\n\n".join(f"{r.problem}\n{r.where()}" for r in run.problems)
    assert not problems, problems


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if has_slow_blocks(p)], ids=_id)
def test_the_page_runs_with_its_slow_blocks(page, tmp_path_factory):
    """The whole page, the blocks marked ``<!-- doc: slow -->`` included (daemons, waits)."""
    run = page_run(page, tmp_path_factory, RULES.get(page.resolve(), PageRules()), slow=True)
    problems = "\n\n".join(f"{r.problem}\n{r.where()}" for r in run.problems)
    assert not problems, problems


# What a README block prints, by a phrase of the block (the README's comments say so).
README_PROMISES = {
    "hadoop fsck /data": ["3 block(s)", "Status: HEALTHY", "Live datanodes (4)"],
    "MiniCluster": ["[3392, 65536, 65536, 65536]"],
    "hadoop jar jobs.wordcount": ["the\t100000", "2 jobs submitted"],
    "wordcount.pig": ["Success!"],
}


def test_the_readme_prints_what_it_promises(tmp_path_factory):
    run = page_run(README, tmp_path_factory, RULES[README.resolve()])
    for phrase, wanted in README_PROMISES.items():
        out = run.output_of(phrase)
        for text in wanted:
            assert text in out, f"{text!r} missing from the block with {phrase!r}:\n{out}"


def test_the_readme_links_the_docs():
    text = README.read_text()
    for page in ("docs/pig.md", "docs/tutorial.md", "docs/commands.md"):
        assert f"]({page})" in text, f"the README does not link {page}"


def test_the_command_reference_has_every_command():
    """docs/commands.md shows the help of every `hadoop` subcommand (`dfs` is `fs`) and of pig;
    test_every_block_of_the_page_runs_as_written compares each with the real output."""
    import mapred.cli  # noqa: F401 - registers jar, job, jobtracker, tasktracker
    from dfs.cli import cli

    shown = {
        c.text for b in blocks((ROOT / "docs" / "commands.md").read_text()) for c in b.commands()
    }
    missing = [
        name
        for name in sorted(set(cli.commands) - {"dfs"})
        if f"hadoop {name} -help" not in shown and f"hadoop {name}" not in shown
    ]
    assert not missing, f"docs/commands.md has no section for hadoop {missing}"
    assert {"hadoop --help", "pig -help", "pig -help properties", "pig -version"} <= shown


def test_every_page_has_something_to_run():
    for page in PAGES:
        found = [b for b in blocks(page.read_text()) if b.lang in ("bash", "python", "console")]
        assert found, f"{_id(page)} has no block to run"


def test_the_runner_itself():
    """The parser and the matcher the doc test relies on, on known cases."""
    assert matches(["a", "...", "c*"], ["a", "b", "b", "cat"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert matches(["...", "z"], ["z"]) and not matches(["x"], [])
    assert same("A[1,4] *", "A[1,4] x") and not same("A[1,4]", "A1")
    assert interleaved(["o1", "e1", "o2"], ["o1", "o2"], ["e1"])
    assert not interleaved(["o2", "o1"], ["o1", "o2"], [])
    page = (
        "text\n<!-- doc: file f.py -->\n```python\nx = 1\n```\n- item\n\n  ```console\n"
        "  $ false\n  (exit 1)\n  $ echo a\n  a\n  ```\n```\nplain\n```\n"
    )
    found = blocks(page)
    assert [(b.line, b.lang, b.directive) for b in found] == [
        (3, "python", ("file", "f.py")),
        (8, "console", None),
        (14, "", None),
    ]
    cmds = found[1].commands()
    assert [(c.line, c.text, c.expected, c.status) for c in cmds] == [
        (9, "false", [], 1),
        (11, "echo a", ["a"], 0),
    ]
    assert isinstance(found[0], Block)
