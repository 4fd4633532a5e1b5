"""`dfs.files`: the DFS by path for the project's own readers and writers, without fsspec.

Every call mapred and piglatin make on a ``dfs://`` location gives what fsspec's DFSFileSystem
(the filesystem users open) gives for the same call, errors included; `mapred.localfs` hands
``dfs://`` URLs to it; and a default-mode job runs without importing fsspec at all."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import fsspec
import pytest

from dfs.files import DFSFiles
from mapred.localfs import is_dfs, open_url, url_to_fs


@pytest.fixture
def both(mini_cluster):
    files = DFSFiles(str(mini_cluster.home), conf=mini_cluster.overrides())
    fs = fsspec.filesystem(
        "dfs", home=str(mini_cluster.home), conf=mini_cluster.overrides(), skip_instance_cache=True
    )
    return files, fs


def _outcome(call):
    try:
        return ("ok", call())
    except Exception as e:  # noqa: BLE001 - the error is part of the answer compared
        return ("error", type(e).__name__, str(e))


def test_the_same_answers_as_fsspecs_filesystem(both):
    files, fs = both
    with fs.open("dfs:///d/a.txt", "wb") as f:
        f.write(b"one\ntwo\n")
    files.makedirs("/d/e/f", exist_ok=True)
    paths = [
        "/d",
        "dfs:///d/",
        "/d/a.txt",
        "dfs://host:8020/d/a.txt",
        "/d/e",
        "/nope",
        "/d/a.txt/x",
    ]
    for p in paths:
        for name in ("info", "exists", "isdir", "isfile", "size", "ls"):
            call = [getattr(o, name) for o in (files, fs)]
            ours, theirs = (_outcome(lambda c=c, p=p: c(p)) for c in call)
            assert ours == theirs, (name, p)
        assert files.unstrip_protocol(DFSFiles.strip_protocol(p)) == fs.unstrip_protocol(
            fs._strip_protocol(p)
        )
    assert _outcome(lambda: files.makedirs("/d")) == _outcome(lambda: fs.makedirs("/d"))
    assert _outcome(lambda: files.rm("/nope")) == _outcome(lambda: fs.rm("/nope"))
    assert files.cat_file("/d/a.txt", start=-4) == fs.cat_file("/d/a.txt", start=-4) == b"two\n"
    with files.open("/d/a.txt", "rt", encoding="utf-8") as f:
        assert f.read().splitlines() == ["one", "two"]
    assert files.block_locations("/d/a.txt") == fs.block_locations("/d/a.txt")
    files.mv("/d/a.txt", "/d/e/b.txt", overwrite=False)
    assert fs.cat_file("/d/e/b.txt") == b"one\ntwo\n" and not fs.exists("/d/a.txt")
    assert sorted(files.glob("/d/e/*")) == sorted(fs.glob("/d/e/*"))


def test_a_failed_write_leaves_no_file(both):
    files, fs = both
    with pytest.raises(RuntimeError), files.open("/w.bin", "wb") as f:
        f.write(b"x" * 100_000)
        raise RuntimeError("the writer failed")
    assert not fs.exists("/w.bin")


def test_mapred_hands_dfs_urls_to_it(mini_cluster, monkeypatch):
    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    fs, path = url_to_fs("dfs:///x/y/")
    assert isinstance(fs, DFSFiles) and path == "/x/y"
    with open_url("dfs:///x/y/t.txt", "w") as f:
        f.write("héllo\n")
    with open_url("dfs:///x/y/t.txt", "rt") as f:
        assert f.read() == "héllo\n"
    assert url_to_fs("dfs:///x")[0] is fs  # one per cluster and user in a process
    for url in ("dfs:///a", "dfs:///a/b/", "dfs://host:8020/a", "dfs://host", "dfs:///"):
        assert url_to_fs(url)[1] == fsspec.core.url_to_fs(url)[1]
    assert not any(map(is_dfs, ("hdfs:///a", "/dfs/a", "simplecache::dfs:///a", b"dfs:///")))


def test_a_default_mode_job_imports_no_fsspec(mini_cluster, tmp_path):
    code = textwrap.dedent(
        f"""
        import io, sys
        from piglatin.launcher import PigServer

        with PigServer("mapreduce", cwd={str(tmp_path)!r}, out=io.StringIO()) as pig:
            pig.register_script(
                "fs -put {tmp_path / "in.txt"} /in.txt;\\n"
                "A = LOAD '/in.txt' AS (k:chararray, n:int);\\n"
                "B = GROUP A BY k; C = FOREACH B GENERATE group, SUM(A.n);\\n"
                "STORE C INTO '/out';\\n"
            )
        from dfs.files import files_for

        print(files_for().cat_file("/out/part-r-00000").decode(), end="")
        print("fsspec" in sys.modules)
        """
    )
    (tmp_path / "in.txt").write_text("a\t1\nb\t2\na\t3\n")
    env = {**mini_cluster.env(), "PYTHONPATH": ":".join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["a\t4", "b\t2", "False"]
