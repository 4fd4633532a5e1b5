"""Grunt's file commands written in a script (Pig's GruntParser runs a script's statements, so
``rmf out;`` at the top of a script is the usual Pig idiom): ``rm`` removes a file or a
directory with what is under it and fails on a missing one; ``rmf`` removes it if it is there
(Pig's processRemove with "force"); ``mkdir`` makes a directory and its parents (processMkdir),
silently, as rm and rmf are; ``cp``, ``mv`` are the ``fs -`` commands. In the default mode (the
DFS) and in ``-x local`` (local files). Expected states are checked on the filesystem itself."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from piglatin.errors import PigError
from piglatin.launcher import PigServer


def test_rm_and_rmf_in_a_default_mode_script(mini_cluster, tmp_path) -> None:
    code = textwrap.dedent(
        """
        import io
        from dfs.files import files_for
        from piglatin.launcher import PigServer
        from piglatin.errors import PigError

        out = io.StringIO()
        with PigServer("mapreduce", out=out) as pig:
            pig.register_script(
                "mkdir /d/e; mkdir /d/e; fs -touchz /d/e/f; fs -touchz /g;\\n"
                "rmf /d; rmf /nothing; rm /g;\\n"
            )
            print(files_for().exists("/d"), files_for().exists("/g"), repr(out.getvalue()))
            try:
                pig.register_script("rm /nothing;")
            except PigError as e:
                print("refused", "/nothing" in str(e))
            pig.register_script(
                "copyFromLocal LOCAL /ld; cp /ld /ld2; mkdir /ld3; mv /ld2 /ld3; cp /ld/a /ld3;\\n"
                "copyToLocal /ld3 BACK;\\n"
            )
            print(sorted(p.rsplit("/", 1)[1] for p in files_for().fsspec().find("/ld3")))
        """
    ).replace("LOCAL", repr(str(tmp_path / "local"))[1:-1]).replace(
        "BACK", repr(str(tmp_path / "back"))[1:-1]
    )
    (tmp_path / "local" / "sub").mkdir(parents=True)
    (tmp_path / "local" / "a").write_text("A\n")
    (tmp_path / "local" / "sub" / "b").write_text("B\n")
    env = {**mini_cluster.env(), "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # processMkdir/processRemove print nothing (fs -rm would say "Deleted /g")
    assert done.stdout.splitlines() == [
        "False False ''", "refused True", "['a', 'a', 'b']"  # /ld3/ld2/{a,sub/b}, /ld3/a
    ]
    assert (tmp_path / "back" / "ld2" / "sub" / "b").read_text() == "B\n"
    assert (tmp_path / "back" / "a").read_text() == "A\n"


def test_rm_and_rmf_in_a_local_script(tmp_path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f").write_text("x\n")
    (tmp_path / "g").write_text("y\n")
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script("rmf d; rmf nothing; rm g;")
        assert not (tmp_path / "d").exists() and not (tmp_path / "g").exists()
        with pytest.raises(PigError, match="nothing"):
            pig.register_script("rm nothing;")


def test_grunts_rmf_of_a_missing_local_path_is_not_an_error(tmp_path) -> None:
    """``fs -rm -r -f x``: -f is honoured in local mode too (FsShell's Delete)."""
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.fs(["-rm", "-r", "-f", "nothing"])
        with pytest.raises(PigError, match="nothing"):
            pig.fs(["-rm", "-r", "nothing"])


def test_rm_and_mkdir_are_pigs_own_in_local_mode(tmp_path) -> None:
    """GruntParser.processRemove: 'File or directory X does not exist.' for a missing path;
    processMkdir: FileSystem.mkdirs, parents too, an existing directory is fine."""
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as pig:
        pig.register_script("mkdir a/b/c;\nmkdir a/b/c;\nrm a;\n")
        assert not (tmp_path / "a").exists()
        with pytest.raises(PigError, match=r"File or directory nothing does not exist\."):
            pig.register_script("rm nothing;")
    assert out.getvalue() == ""


def test_local_fs_commands_are_hadoops_fsshell(tmp_path) -> None:
    """Pig runs Hadoop's FsShell on the local filesystem in local mode: -rm says 'Deleted X',
    -mkdir without -p wants the parent and refuses an existing path, -rmdir is there."""
    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_text("x\n")
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as pig:
        pig.fs(["-rm", "f"])
        assert out.getvalue() == "Deleted f\n" and not (tmp_path / "f").exists()
        with pytest.raises(PigError, match=r"mkdir: `x/y': No such file or directory"):
            pig.fs(["-mkdir", "x/y"])
        with pytest.raises(PigError, match=r"mkdir: `d': File exists"):
            pig.fs(["-mkdir", "d"])
        pig.fs(["-mkdir", "-p", "x/y"])
        pig.fs(["-rmdir", "x/y"])
        assert (tmp_path / "x").is_dir() and not (tmp_path / "x" / "y").exists()


def test_cp_mv_and_copies_are_pigs_own_in_local_mode(tmp_path) -> None:
    """processCopy (FileUtil.copy: a directory with everything under it, into DST when it is
    a directory), processMove (rename), processCopyFromLocal/ToLocal; a missing SRC is
    'File or directory X does not exist.'; all silent."""
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a").write_text("A\n")
    (tmp_path / "d" / "sub" / "b").write_text("B\n")
    out = io.StringIO()
    with PigServer("local", cwd=tmp_path, out=out) as pig:
        pig.register_script("cp d d2;\nmkdir e;\ncp d/a e;\nmv d2 e;\ncopyToLocal e f;\n")
        with pytest.raises(PigError, match=r"File or directory nothing does not exist\."):
            pig.register_script("mv nothing e;")
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["d/a", "d/sub/b", "e/a", "e/d2/a", "e/d2/sub/b",
                     "f/a", "f/d2/a", "f/d2/sub/b"]  # fmt: skip
    assert (tmp_path / "f" / "d2" / "sub" / "b").read_text() == "B\n"
    assert out.getvalue() == ""
