"""Scout (session 19): the MapReduce tutorial's DistributedCache, as a user of ``hadoop jar``
meets it ("Usage" and "DistributedCache" sections):

    bin/hadoop jar hadoop-mapreduce-examples-<ver>.jar wordcount -files dir1/dict.txt#dict1,
        dir2/dict.txt#dict2 -archives mytar.tgz#tgzdir input output

"Here, the files dir1/dict.txt and dir2/dict.txt can be accessed by tasks using the symbolic
names dict1 and dict2 respectively. The archive mytar.tgz will be placed and unarchived into a
directory by the name tgzdir." -- in the task's current working directory: the tutorial's
WordCount v2.0 opens its -skip file by its bare name (parseSkipFile(patternsPath.getName())).
Expected answers are the files' own contents. The cases that fail are strict expected failures
naming the files a fix needs (reading a -files entry through ``self.context.cache_path(name)``
works: test_scout18_wordcount's WordCount2).
"""

from __future__ import annotations

import tarfile

import pytest

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


def _run(tmp_path, home, names: list[str], *options: str) -> dict[str, str]:  # noqa: F811
    (tmp_path / "look.py").write_text(JOB)
    (tmp_path / "names.txt").write_text("".join(n + "\n" for n in names))
    out = tmp_path / "out"
    r = hadoop("jar", f"{tmp_path / 'look.py'}:Look", *options, str(tmp_path / "names.txt"),
               str(out), home=home, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return dict(line.split("\t", 1) for line in (out / "part-r-00000").read_text().splitlines())


@pytest.mark.slow  # a hadoop jar subprocess: ~3 s
@pytest.mark.xfail(
    strict=True,
    reason="mapred/tasktracker.py, child.py (task attempts run in the submitter's or tracker's "
    "working directory): Hadoop runs a task in its own working directory holding a link per "
    "-files entry under its #name, so open('dict1') reads dir1/dict.txt",
)
def test_files_are_links_in_the_tasks_working_directory(tmp_path, home):  # noqa: F811
    for d, text in (("dir1", "one"), ("dir2", "two")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "dict.txt").write_text(text + "\n")
    files = "dir1/dict.txt#dict1,dir2/dict.txt#dict2"
    got = _run(tmp_path, home, ["dict1", "dict2"], "-files", files)
    assert got == {"dict1": "one", "dict2": "two"}


@pytest.mark.slow  # a hadoop jar subprocess: ~3 s
@pytest.mark.xfail(
    strict=True,
    reason="mapred/runner.py _cache_sources, mapred/tasktracker.py _localized, task.TaskSpec: "
    "-archives (tmparchives, mapreduce.job.cache.archives) is parsed and then ignored; Hadoop "
    "unpacks each archive (.zip, .jar, .tar, .tgz, .tar.gz) into a directory named by its "
    "#name in the task's working directory",
)
def test_archives_are_unpacked_under_their_names(tmp_path, home):  # noqa: F811
    src = tmp_path / "src"
    src.mkdir()
    (src / "dict.txt").write_text("packed\n")
    with tarfile.open(tmp_path / "mytar.tgz", "w:gz") as tar:
        tar.add(src / "dict.txt", arcname="dict.txt")
    got = _run(tmp_path, home, ["tgzdir/dict.txt"], "-archives", "mytar.tgz#tgzdir")
    assert got == {"tgzdir/dict.txt": "packed"}
