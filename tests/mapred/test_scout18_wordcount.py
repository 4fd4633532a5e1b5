"""Scout (session 18): the MapReduce tutorial's WordCount v1.0 and v2.0 through the job API.

The inputs, commands and expected listings are the tutorial's (file01/file02, patterns.txt,
``-Dwordcount.case.sensitive=false ... -skip patterns.txt``); each expected listing is also
computed here in plain Python (Counter over the tutorial's tokenizing), never taken from an
earlier run. WordCount2 is the tutorial's Java program written against mapred.api: the case
switch read from the configuration, the skip patterns from the distributed cache, the
INPUT_WORDS counter.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence

import pytest

from mapred.api import Job, Step
from mapred.runner import run_job
from tests.mapred.test_cli import hadoop, home  # noqa: F401  (the fixture)

V1 = {"file01": "Hello World Bye World\n", "file02": "Hello Hadoop Goodbye Hadoop\n"}
V2 = {"file01": "Hello World, Bye World!\n", "file02": "Hello Hadoop, Goodbye to hadoop.\n"}
PATTERNS = "\\.\n\\,\n\\!\nto\n"


class WordCount(Job):
    """The tutorial's v1.0: TokenizerMapper, IntSumReducer as combiner and reducer."""

    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        for word in line.split():  # StringTokenizer: runs of space, tab, newline, CR, FF
            yield word, 1

    def combine(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield word, sum(counts)

    reduce = combine


class WordCount2(Job):
    """The tutorial's v2.0."""

    def map_setup(self) -> None:
        conf = self.context.conf
        self.case_sensitive = conf.get_bool("wordcount.case.sensitive", True)
        self.patterns: list[str] = []
        if conf.get_bool("wordcount.skip.patterns", False):
            for path in self.context.cache_files.values():
                with open(path) as f:
                    self.patterns += [line.rstrip("\n") for line in f if line.strip()]

    def map(self, offset: int, line: str) -> Iterator[tuple[str, int]]:
        line = line if self.case_sensitive else line.lower()
        for pattern in self.patterns:
            line = re.sub(pattern, "", line)  # String.replaceAll
        for word in line.split():
            self.context.increment("WordCount2$CountersEnum", "INPUT_WORDS")
            yield word, 1

    def combine(self, word: str, counts: Iterator[int]) -> Iterator[tuple[str, int]]:
        yield word, sum(counts)

    reduce = combine

    @classmethod
    def steps(cls, args: Sequence[str]) -> list[Step]:
        """main(): IN OUT [-skip patternsFile]: the file goes to the cache, the flag to conf."""
        rest, conf = list(args), {}
        if "-skip" in rest:
            i = rest.index("-skip")
            conf = {"wordcount.skip.patterns": "true", "tmpfiles": rest[i + 1]}
            del rest[i : i + 2]
        return [Step(cls, rest[:-1], rest[-1], conf)]


def _write(folder, files: dict[str, str]) -> str:
    os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return str(folder)


def _listing(counts: Counter) -> list[str]:
    return [f"{w}\t{n}" for w, n in sorted(counts.items())]  # Text keys: byte order


def _reference(files: dict[str, str], patterns: list[str], case_sensitive: bool) -> Counter:
    words: Counter = Counter()
    for text in files.values():
        for line in text.splitlines():
            line = line if case_sensitive else line.lower()
            for p in patterns:
                line = re.sub(p, "", line)
            words.update(line.split())
    return words


def _parts(out) -> list[str]:
    lines = []
    for part in sorted(p for p in os.listdir(out) if p.startswith("part-")):
        lines += (out / part).read_text().splitlines()
    return lines


def test_wordcount_v1_output(tmp_path):
    inp = _write(tmp_path / "input", V1)
    r = run_job(WordCount, [inp], str(tmp_path / "output"), {"fs.defaultFS": "file:///"},
                executor="local")
    assert r.succeeded, r.error
    want = ["Bye\t1", "Goodbye\t1", "Hadoop\t2", "Hello\t2", "World\t2"]  # the tutorial's
    assert _listing(_reference(V1, [], True)) == want
    assert _parts(tmp_path / "output") == want
    assert os.path.exists(tmp_path / "output" / "_SUCCESS")


def test_wordcount_v1_two_reducers_split_the_keys(tmp_path):
    inp = _write(tmp_path / "input", V1)
    conf = {"fs.defaultFS": "file:///", "mapreduce.job.reduces": 2}
    r = run_job(WordCount, [inp], str(tmp_path / "output"), conf, executor="local")
    assert r.succeeded, r.error
    parts = sorted(p for p in os.listdir(tmp_path / "output") if p.startswith("part-r-"))
    assert parts == ["part-r-00000", "part-r-00001"]
    each = [(tmp_path / "output" / p).read_text().splitlines() for p in parts]
    assert all(lines == sorted(lines) for lines in each)  # sorted within a part
    assert sorted(each[0] + each[1]) == _listing(_reference(V1, [], True))


def test_wordcount_v1_counters(tmp_path):
    inp = _write(tmp_path / "input", V1)
    r = run_job(WordCount, [inp], str(tmp_path / "output"), {"fs.defaultFS": "file:///"},
                executor="local")
    fw = r.counters["Map-Reduce Framework"]
    words = sum(len(t.split()) for t in V1.values())
    per_file = [len(set(t.split())) for t in V1.values()]  # each map's combined output
    assert fw["Map input records"] == 2
    assert fw["Map output records"] == words == 8
    assert fw["Reduce input records"] == sum(per_file) == 6
    assert fw["Reduce input groups"] == fw["Reduce output records"] == 5


def test_wordcount_v1_combine_counters(tmp_path):
    """Hadoop's sortAndSpill runs the combiner over every spilled record, a key with one value
    too: 8 in, 6 out for the tutorial's WordCount (each map: 4 words, 3 distinct)."""
    inp = _write(tmp_path / "input", V1)
    r = run_job(WordCount, [inp], str(tmp_path / "output"), {"fs.defaultFS": "file:///"},
                executor="local")
    fw = r.counters["Map-Reduce Framework"]
    assert (fw["Combine input records"], fw["Combine output records"]) == (8, 6)


@pytest.mark.parametrize(
    "options, skip, case_sensitive, tutorial",
    [
        ([], False, True, ["Bye\t1", "Goodbye\t1", "Hadoop,\t1", "Hello\t2", "World!\t1",
                           "World,\t1", "hadoop.\t1", "to\t1"]),
        ([], True, True, ["Bye\t1", "Goodbye\t1", "Hadoop\t1", "Hello\t2", "World\t2",
                          "hadoop\t1"]),
        (["-Dwordcount.case.sensitive=false"], True, False,
         ["bye\t1", "goodbye\t1", "hadoop\t2", "hello\t2", "world\t2"]),
    ],
)
def test_wordcount_v2_through_hadoop_jar(tmp_path, home, options, skip, case_sensitive,  # noqa: F811
                                         tutorial):
    inp = _write(tmp_path / "input", V2)
    (tmp_path / "patterns.txt").write_text(PATTERNS)
    out = tmp_path / "output"
    args = ["jar", "tests.mapred.test_scout18_wordcount:WordCount2", *options, inp, str(out)]
    if skip:
        args += ["-skip", str(tmp_path / "patterns.txt")]
    r = hadoop(*args, home=home)
    assert r.returncode == 0, r.stderr
    patterns = PATTERNS.split() if skip else []
    assert _listing(_reference(V2, patterns, case_sensitive)) == tutorial
    assert _parts(out) == tutorial
    words = sum(_reference(V2, patterns, case_sensitive).values())
    assert re.search(rf"\n\s*INPUT_WORDS={words}\n", r.stderr), r.stderr


# ---- the tutorial's output compression (FileOutputFormat.setCompressOutput / codecs) -----------
@pytest.mark.parametrize(
    "codec, ext, decode",
    [
        ("org.apache.hadoop.io.compress.GzipCodec", ".gz", "gzip"),
        ("org.apache.hadoop.io.compress.BZip2Codec", ".bz2", "bz2"),
        ("org.apache.hadoop.io.compress.DefaultCodec", ".deflate", "zlib"),
        ("org.apache.hadoop.io.compress.DeflateCodec", ".deflate", "zlib"),
    ],
)
def test_compressed_output_codecs(tmp_path, codec, ext, decode):
    import bz2
    import gzip
    import zlib

    inp = _write(tmp_path / "input", V1)
    conf = {"fs.defaultFS": "file:///", "mapreduce.output.fileoutputformat.compress": "true",
            "mapreduce.output.fileoutputformat.compress.codec": codec}
    r = run_job(WordCount, [inp], str(tmp_path / "output"), conf, executor="local")
    assert r.succeeded, r.error
    part = tmp_path / "output" / f"part-r-00000{ext}"
    assert part.exists(), sorted(os.listdir(tmp_path / "output"))
    data = {"gzip": gzip.decompress, "bz2": bz2.decompress, "zlib": zlib.decompress}[decode](
        part.read_bytes()
    )
    assert data.decode().splitlines() == _listing(_reference(V1, [], True))


@pytest.mark.parametrize("codec", ["org.apache.hadoop.io.compress.SnappyCodec", "NoSuchCodec"])
def test_an_unavailable_codec_fails_the_job_naming_it(tmp_path, codec):
    """Hadoop fails the task ('Compression codec X was not found', or no native library for
    Snappy/LZ4/ZStandard); it never writes another codec's data under another name."""
    inp = _write(tmp_path / "input", V1)
    conf = {"fs.defaultFS": "file:///", "mapreduce.output.fileoutputformat.compress": "true",
            "mapreduce.output.fileoutputformat.compress.codec": codec,
            "mapreduce.reduce.maxattempts": 1}
    r = run_job(WordCount, [inp], str(tmp_path / "output"), conf, executor="local")
    assert not r.succeeded
    assert f"Compression codec {codec} was not found" in r.error
    out = tmp_path / "output"
    assert not out.exists() or not any(p.startswith("part-") for p in os.listdir(out))


def test_deflate_input_is_inflated(tmp_path):
    """A zlib stream in a .deflate file is input (TextInputFormat: CompressionCodecFactory
    finds DefaultCodec by the extension), as a .gz one is."""
    import zlib

    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "file01.deflate").write_bytes(zlib.compress(V1["file01"].encode()))
    (folder / "file02").write_text(V1["file02"])
    r = run_job(WordCount, [str(folder)], str(tmp_path / "output"),
                {"fs.defaultFS": "file:///"}, executor="local")
    assert r.succeeded, r.error
    assert _parts(tmp_path / "output") == _listing(_reference(V1, [], True))


@pytest.mark.parametrize("as_configuration", [False, True])
def test_deprecated_property_names_through_the_job_api(tmp_path, as_configuration):
    """Hadoop's Configuration reads a deprecated name as its new one (DeprecatedProperties:
    mapred.reduce.tasks -> mapreduce.job.reduces), however the job's conf was built."""
    from dfs.conf import Configuration

    inp = _write(tmp_path / "input", V1)
    conf = {"fs.defaultFS": "file:///", "mapred.reduce.tasks": 2}
    r = run_job(WordCount, [inp], str(tmp_path / "output"),
                Configuration(conf) if as_configuration else conf, executor="local")
    assert r.succeeded, r.error
    parts = sorted(p for p in os.listdir(tmp_path / "output") if p.startswith("part-"))
    assert parts == ["part-r-00000", "part-r-00001"]

