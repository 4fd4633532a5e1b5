"""Scout (session 19): the MapReduce tutorial's DistributedCache, as a user of ``hadoop jar``
meets it ("Usage" and "DistributedCache" sections):

    bin/hadoop jar hadoop-mapreduce-examples-<ver>.jar wordcount -files dir1/dict.txt#dict1,
        dir2/dict.txt#dict2 -archives mytar.tgz#tgzdir input output

"Here, the files dir1/dict.txt and dir2/dict.txt can be accessed by tasks using the symbolic
names dict1 and dict2 respectively. The archive mytar.tgz will be placed and unarchived into a
directory by the name tgzdir." -- in the task's current working directory: the tutorial's
WordCount v2.0 opens its -skip file by its bare name (parseSkipFile(patternsPath.getName())).
Expected answers are the files' own contents (the archives' members, packed here by the
standard library). Hadoop unpacks .zip and .jar (RunJar.unJar, FileUtil.unZip), .tar, .tar.gz
and .tgz (FileUtil.unTar) and refuses an entry that would land outside the directory; its
local job runner (LocalDistributedCacheManager) links each entry in the client's working
directory, leaves a name already taken alone, and deletes the links it made at the job's end.
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile

import pytest

from mapred.api import Job
from mapred.cache import ArchiveError, unpack_archive
from mapred.runner import run_job
from tests.mapred.test_cli import hadoop, home  # noqa: F401  (the fixture)

JOB = '''
import os
from mapred.api import Job


class Look(Job):
    def map(self, offset, line):
        name = line.strip()
        try:
            with open(name) as f:
                yield name, f.read().strip()
        except OSError as e:
            yield name, type(e).__name__
'''


def _submit(tmp_path, home, names: list[str], *options: str):  # noqa: F811
    (tmp_path / "look.py").write_text(JOB)
    (tmp_path / "names.txt").write_text("".join(n + "\n" for n in names))
    out = tmp_path / "out"
    r = hadoop("jar", f"{tmp_path / 'look.py'}:Look", *options, str(tmp_path / "names.txt"),
               str(out), home=home, cwd=tmp_path)
    return r, out


def _run(tmp_path, home, names: list[str], *options: str) -> dict[str, str]:  # noqa: F811
    r, out = _submit(tmp_path, home, names, *options)
    assert r.returncode == 0, r.stderr
    return dict(line.split("\t", 1) for line in (out / "part-r-00000").read_text().splitlines())


def _pack(path, members: dict[str, str]) -> None:
    """An archive at `path` holding `members` ({name: text}), its format by its extension."""
    name = str(path)
    if name.endswith((".zip", ".jar")):
        with zipfile.ZipFile(path, "w") as z:
            for member, text in members.items():
                z.writestr(member, text)
        return
    mode = "w:gz" if name.endswith((".tgz", ".tar.gz")) else "w"
    with tarfile.open(path, mode) as tar:
        for member, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.slow  # a hadoop jar subprocess: ~3 s
def test_files_are_links_in_the_tasks_working_directory(tmp_path, home):  # noqa: F811
    for d, text in (("dir1", "one"), ("dir2", "two")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "dict.txt").write_text(text + "\n")
    files = "dir1/dict.txt#dict1,dir2/dict.txt#dict2"
    got = _run(tmp_path, home, ["dict1", "dict2"], "-files", files)
    assert got == {"dict1": "one", "dict2": "two"}


@pytest.mark.slow  # a hadoop jar subprocess: ~3 s
def test_archives_are_unpacked_under_their_names(tmp_path, home):  # noqa: F811
    src = tmp_path / "src"
    src.mkdir()
    (src / "dict.txt").write_text("packed\n")
    with tarfile.open(tmp_path / "mytar.tgz", "w:gz") as tar:
        tar.add(src / "dict.txt", arcname="dict.txt")
    got = _run(tmp_path, home, ["tgzdir/dict.txt"], "-archives", "mytar.tgz#tgzdir")
    assert got == {"tgzdir/dict.txt": "packed"}


FORMATS = (".zip", ".jar", ".tar", ".tar.gz", ".tgz")


@pytest.mark.slow  # a hadoop jar subprocess: ~3 s
def test_archives_of_every_format_and_files_by_their_own_names(tmp_path, home):  # noqa: F811
    archives, names, want = [], [], {}
    for i, ext in enumerate(FORMATS):
        _pack(tmp_path / f"a{i}{ext}", {"top.txt": f"top {ext}", "sub/deep.txt": f"deep {ext}"})
        link = f"d{i}"
        archives.append(f"a{i}{ext}" if i == 0 else f"a{i}{ext}#{link}")
        base = f"a{i}{ext}" if i == 0 else link  # no #link: the archive's own file name
        for member in ("top.txt", "sub/deep.txt"):
            names.append(f"{base}/{member}")
            want[f"{base}/{member}"] = f"{member.split('/')[-1][:-4]} {ext}"
    (tmp_path / "plain.txt").write_text("plain\n")
    names += ["plain.txt", "names.txt"]  # a -files entry by its name; a file it does not name
    want["plain.txt"] = "plain"
    want["names.txt"] = "FileNotFoundError"  # the task's own working directory, as Hadoop's
    got = _run(tmp_path, home, names, "-archives", ",".join(archives), "-files", "plain.txt")
    assert got == want
    local = home / "mapred" / "local"
    assert not local.exists() or not any(local.iterdir())  # unpacked copies gone with the job


@pytest.mark.slow  # two hadoop jar subprocesses: ~6 s
@pytest.mark.parametrize("kind", ["corrupt", "escaping"])
def test_a_bad_archive_fails_the_job_with_one_message(tmp_path, home, kind):  # noqa: F811
    if kind == "corrupt":
        (tmp_path / "bad.tgz").write_bytes(b"this is not gzip data\n" * 10)
    else:
        _pack(tmp_path / "bad.tgz", {"../outside.txt": "escaped"})
    r, out = _submit(tmp_path, home, ["x/top.txt"], "-archives", "bad.tgz#x")
    assert r.returncode != 0
    assert "cannot unpack archive bad.tgz" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()
    assert not (tmp_path / "outside.txt").exists()


class LookInProcess(Job):
    def map(self, offset, line):
        name = line.strip()
        try:
            with open(name) as f:
                yield name, f.read().strip()
        except OSError as e:
            yield name, type(e).__name__


def test_local_runner_links_entries_in_the_working_directory(tmp_path, monkeypatch):
    """executor='local' (Hadoop's LocalJobRunner): links in the client's working directory
    while the job runs, removed after it; a name already taken keeps the user's file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dict.txt").write_text("the dict\n")
    (tmp_path / "taken").write_text("mine\n")
    _pack(tmp_path / "pack.zip", {"in/zip.txt": "zipped"})
    (tmp_path / "names.txt").write_text("d1\ntaken\nz/in/zip.txt\n")
    conf = {
        "mapreduce.cluster.local.dir": str(tmp_path / "local"),
        "mapreduce.job.cache.files": "dict.txt#d1,dict.txt#taken",
        "mapreduce.job.cache.archives": "pack.zip#z",
    }
    result = run_job(LookInProcess, ["names.txt"], str(tmp_path / "out"), conf, executor="local")
    assert result.state == "SUCCEEDED", result.error
    lines = (tmp_path / "out" / "part-r-00000").read_text().splitlines()
    assert dict(line.split("\t", 1) for line in lines) == {
        "d1": "the dict",
        "taken": "mine",
        "z/in/zip.txt": "zipped",
    }
    assert sorted(os.listdir(tmp_path)) == ["dict.txt", "local", "names.txt", "out", "pack.zip",
                                            "taken"]


@pytest.mark.parametrize("ext", FORMATS)
def test_an_entry_escaping_the_directory_is_refused(tmp_path, ext):
    _pack(tmp_path / f"a{ext}", {"ok.txt": "ok", "../../escaped.txt": "no"})
    with pytest.raises(ArchiveError, match=f"cannot unpack archive a{ext}"):
        unpack_archive(str(tmp_path / f"a{ext}"), f"a{ext}", str(tmp_path / "x" / "into"))
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "x" / "into").exists()
