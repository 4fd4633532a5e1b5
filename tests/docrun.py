"""Running the shell and Python blocks of the project's own docs in a fresh place: the one
environment (a private MINIHADOOP_HOME, this Python's console scripts first on PATH, no
inherited configuration) and the one way a block runs, shared by the doc tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def doc_env(root: Path) -> tuple[Path, dict[str, str]]:
    """(an empty working directory, the environment) for running a page's blocks under
    `root`; skips when the console scripts or bash are missing."""
    if not (BIN / "hadoop").exists() or not (BIN / "pig").exists():
        pytest.skip("the hadoop and pig console scripts are not installed beside this Python")
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    work = root / "work"
    work.mkdir()
    env = dict(os.environ)
    env.update(
        MINIHADOOP_HOME=str(root / "home"),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HADOOP_USER_NAME="reader",
    )
    for key in ("MINIHADOOP_CONF_DIR", "HADOOP_ROOT_LOGGER", "MINIHADOOP_CRASH_AT"):
        env.pop(key, None)
    return work, env


def run_code(
    lang: str, code: str, work: Path, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess:
    """One block: Python with this interpreter, anything else with ``bash -e``."""
    shell = [sys.executable, "-c"] if lang == "python" else ["bash", "-e", "-c"]
    return subprocess.run(
        [*shell, code],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
