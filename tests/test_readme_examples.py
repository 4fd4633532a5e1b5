"""README.md's examples run as written, in order, as a newcomer copies them: every ```bash block
in one bash -e shell each (the installed `hadoop` and `pig`), every ```python block as a script,
all in one fresh directory with its own MINIHADOOP_HOME (the first block, the install and the
test suite, is not run: the showcase has its own test). The Python block that defines the
WordCount class is saved as wordcount.py, as the README tells the reader to. Blocks that need
daemons and wait on them (start-cluster: a dead node after 7 s, safe mode for 30 s, a JOBID to
fill in) and the reference listing of `hadoop job` options are left out; they are named here,
so a new block is run unless it is one of them. What a block prints is checked where the README
says what it shows; every block must end with status 0 and print no traceback. docs/trust.md's
"Break it yourself" block runs too, with its crash statuses and the listings its comments
promise, and docs/jobs.md's example job. README_UNDER_TEST names another README to try (the one
before the newcomer round of issue 16 fails at its first block: big.txt did not exist)."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docrun import doc_env, run_code

ROOT = Path(__file__).resolve().parents[1]
README = Path(os.environ.get("README_UNDER_TEST", ROOT / "README.md"))

# Blocks not run here, by a phrase they hold: the install and test-suite lines (a test must not
# reinstall the package or run the suite), and those that need started daemons and waits.
NOT_RUN = ("pip install", "start-cluster", "hadoop job -list [all]")


@dataclass
class Block:
    line: int
    lang: str
    code: str


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for m in re.finditer(r"^```(bash|python)\n(.*?)^```", text, re.S | re.M):
        out.append(Block(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)))
    return out


def runnable(block: Block) -> bool:
    return not any(phrase in block.code for phrase in NOT_RUN)


# What a block's output must hold (the README's comments say so), by a phrase of the block.
EXPECTED = {
    "hadoop fsck /data": ["3 block(s)", "Status: HEALTHY", "Live datanodes (4)"],
    "MiniCluster": ["[3392, 65536, 65536, 65536]"],
    "hadoop jar jobs.wordcount": ["the\t100000", "2 jobs submitted"],
    "wordcount.pig": ["Success!"],
}


@pytest.fixture(scope="module")
def shell_env(tmp_path_factory):
    return doc_env(tmp_path_factory.mktemp("readme"))


def test_the_readme_has_examples_to_run():
    found = blocks(README.read_text())
    assert sum(runnable(b) for b in found) >= 5, [b.line for b in found]
    assert "[`docs/pig.md`](docs/pig.md)" in README.read_text(), "the Pig section links pig.md"


def run_block(block: Block, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = block.code.replace('"/tmp/mc"', repr(str(work / "mc")))  # no shared /tmp path
    return run_code(block.lang, code, work, env)


def test_the_readme_examples_run_in_order(shell_env):
    work, env = shell_env
    for block in filter(runnable, blocks(README.read_text())):
        if block.lang == "python" and "class WordCount(Job)" in block.code:
            (work / "wordcount.py").write_text(block.code)  # "saved as wordcount.py"
            continue
        done = run_block(block, work, env)
        where = f"README.md line {block.line}:\n{block.code}\n"
        where += f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        assert done.returncode == 0, where
        assert "Traceback" not in done.stderr and "ERROR" not in done.stderr, where
        for phrase, wanted in EXPECTED.items():
            if phrase in block.code:
                for text in wanted:
                    assert text in done.stdout + done.stderr, f"{text!r} missing; {where}"


TRUST = ROOT / "docs" / "trust.md"


def test_trust_break_it_yourself_runs_as_written(shell_env, tmp_path):
    work, env = shell_env
    env = {**env, "MINIHADOOP_HOME": str(tmp_path / "home")}
    block = next(b for b in blocks(TRUST.read_text()) if "MINIHADOOP_CRASH_AT" in b.code)
    # no -e: two lines are killed on purpose (SIGKILL at the crash point), as the page says
    lines = [line for line in block.code.splitlines() if line.strip()]
    script = "\n".join(f"{line}\necho '== status' $?" for line in lines)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    statuses = [int(x) for x in re.findall(r"^== status (\d+)$", done.stdout, re.M)]
    killed = [i for i, line in enumerate(lines) if "# killed" in line]
    assert [statuses[i] for i in killed] == [137] * len(killed), done.stdout + done.stderr
    assert all(s == 0 for i, s in enumerate(statuses) if i not in killed), done.stdout
    listings = re.split(r"^Found \d+ items$", done.stdout, flags=re.M)[1:]
    first, second = (
        [p for p in re.findall(r" (/\S+)$", x, re.M) if p not in ("/tmp", "/user")]
        for x in listings  # (the two directories -format creates for a newcomer left out)
    )
    assert first == ["/f", "/f._COPYING_"]  # "/f is still the old file; /f._COPYING_ ..."
    assert second == ["/f._COPYING_", "/g"]  # "/g: the rename reached the journal"


JOBS = ROOT / "docs" / "jobs.md"


def test_jobs_page_example_job_runs_as_shown(shell_env, tmp_path):
    """docs/jobs.md's flaky.py on its two-block input: one failed attempt of split 0, retried,
    the job succeeds, and -history lists the failed attempt before the two successful maps."""
    work, env = shell_env
    env = {**env, "MINIHADOOP_HOME": str(tmp_path / "home")}
    found = blocks(JOBS.read_text())
    (tmp_path / "flaky.py").write_text(next(b.code for b in found if "class FlakyCount" in b.code))
    setup = next(b.code for b in found if b.lang == "bash" and "words.txt" in b.code)
    command = re.search(r"^\$ (hadoop jar flaky\.py .*)$", JOBS.read_text(), re.M).group(1)
    script = (
        f"hadoop namenode -format\n{setup}\n{command}\nhadoop job -history {command.split()[4]}"
    )
    done = run_code("bash", script, tmp_path, env, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"_m_000000_0 failed: ValueError: the first attempt of split 0 fails", out)
    assert "completed successfully" in out
    maps = re.findall(r"^MAP\t\S+_(m_\d+_\d)\t.*\t(SUCCEEDED|FAILED)", done.stdout, re.M)
    assert sorted(maps) == [
        ("m_000000_0", "FAILED"),
        ("m_000000_1", "SUCCEEDED"),
        ("m_000001_0", "SUCCEEDED"),
    ], out
