"""Scout (session 18): Pig's Shell and Utility commands in local mode, against Pig 0.17's
GruntParser (processCat, processLS, processFsCommand) and Hadoop's FsShell on the local
filesystem."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from piglatin.launcher import run_script


def _run(tmp: Path, script: str) -> list[str]:
    out = io.StringIO()
    assert run_script(script, exec_type="local", cwd=tmp, filename="s.pig", out=out) == 0
    return out.getvalue().splitlines()


def _tree(tmp: Path) -> None:
    (tmp / "data.txt").write_text("a\t1\nb\t2\n")
    os.chmod(tmp / "data.txt", 0o644)
    (tmp / "sub").mkdir()


def test_cat_of_a_store_directory_prints_its_files(tmp_path):
    (tmp_path / "data.txt").write_text("a\t1\nb\t2\n")
    lines = _run(tmp_path, "A = LOAD 'data.txt';\nSTORE A INTO 'st';\ncat st\n")
    assert lines == ["a\t1", "b\t2"]


def test_ls_shows_replication_and_length(tmp_path):
    _tree(tmp_path)
    lines = _run(tmp_path, "ls\n")
    here = re.escape(str(tmp_path))
    assert len(lines) == 2
    assert re.fullmatch(rf"(file:)?{here}/data\.txt<r 1>\t8", lines[0]), lines
    assert re.fullmatch(rf"(file:)?{here}/sub\t<dir>", lines[1]), lines


def test_fs_ls_in_local_mode_is_hadoops_listing(tmp_path):
    _tree(tmp_path)
    lines = _run(tmp_path, "fs -ls\n")
    assert lines[0] == "Found 2 items"
    assert re.fullmatch(
        r"-rw-r--r--\s+1 \S+\s+\S+\s+8 \d{4}-\d\d-\d\d \d\d:\d\d data\.txt", lines[1]
    )
    assert lines[2].startswith("drwx") and lines[2].endswith(" sub")


def test_fs_test_failing_stops_a_batch_script(tmp_path):
    """processFsCommand: a non-zero fs status in a script (not interactive) is an error."""
    with pytest.raises(Exception) as e:
        run_script(
            "fs -test -e nothing_here\n",
            exec_type="local",
            cwd=tmp_path,
            filename="s.pig",
            out=io.StringIO(),
        )
    assert "fs command '-test -e nothing_here' failed" in str(e.value)


def test_file_commands_in_local_mode(tmp_path):
    """cp, mv, mkdir, rm, rmf, pwd, cat of a file, sh: Pig's utility commands."""
    _tree(tmp_path)
    lines = _run(
        tmp_path,
        "cp data.txt copy.txt\nmkdir newdir\nmv copy.txt newdir/moved.txt\n"
        "cat newdir/moved.txt\nrm newdir/moved.txt\nrmf not_there\npwd\nsh echo from sh\n",
    )
    assert lines[:2] == ["a\t1", "b\t2"]
    assert lines[2] == f"file:{tmp_path}"  # processPWD: the qualified active directory
    assert lines[3] == "from sh"
    assert not (tmp_path / "newdir" / "moved.txt").exists()
    assert (tmp_path / "newdir").is_dir()
