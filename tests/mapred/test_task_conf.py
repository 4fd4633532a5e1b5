"""The properties Hadoop localizes in each task's configuration (the MapReduce tutorial,
"Configured Parameters": mapreduce.job.id, mapreduce.task.id, mapreduce.task.attempt.id, the
is-map flag, mapreduce.task.partition, mapreduce.map.input.file/start/length), which a job reads
to know which file a record came from; their old names (map.input.file, mapred.task.id...)
read the same, as Hadoop's Configuration deprecation maps them. Expected values come from the
files written here and Hadoop's id formats."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from mapred.api import Job
from mapred.runner import run_job


class Where(Job):
    """Each map emits, per line, its file and split; each reduce its own ids."""

    reducers = 2

    def map(self, offset: int, line: str) -> Iterator[tuple[str, str]]:
        c = self.context.conf
        yield line, "|".join(
            str(c.get(k)) for k in (
                "mapreduce.map.input.file", "mapreduce.map.input.start",
                "mapreduce.map.input.length", "mapreduce.task.ismap", "mapreduce.task.is.map",
                "map.input.file", "mapreduce.job.id", "mapreduce.task.attempt.id",
                "mapred.task.id", "mapreduce.task.id", "mapreduce.task.partition",
            )
        )  # fmt: skip

    def reduce(self, key: str, values: Iterator[str]) -> Iterator[tuple[str, str]]:
        c = self.context.conf
        for v in values:
            yield key, v + "#" + "|".join(
                str(c.get(k)) for k in ("mapreduce.task.ismap", "mapreduce.task.partition",
                                        "mapreduce.task.id", "mapreduce.task.attempt.id")
            )


@pytest.mark.parametrize("executor", ["local", "cluster"])
def test_tasks_see_their_localized_properties(tmp_path, executor):
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a.txt": "from a\n", "b.txt": "from b 1\nfrom b 2\n"}
    for name, text in texts.items():
        (folder / name).write_text(text)
    conf = {"fs.defaultFS": "file:///", "minihadoop.home": str(tmp_path / "home")}
    r = run_job(Where, [str(folder)], str(tmp_path / "out"), conf, executor=executor)
    assert r.succeeded, r.error
    rows = {}
    for part in sorted(os.listdir(tmp_path / "out")):
        if part.startswith("part-r-"):
            for line in (tmp_path / "out" / part).read_text().splitlines():
                key, value = line.split("\t")
                rows[key] = (int(part[-5:]), *value.split("#"))
    assert sorted(rows) == ["from a", "from b 1", "from b 2"]
    job = r.job_id
    for line, (part, mapside, reduceside) in rows.items():
        name = "a.txt" if line == "from a" else "b.txt"
        (file, start, length, ismap, is_map, old_file, job_id, attempt, old_attempt, task,
         partition) = mapside.split("|")  # fmt: skip
        assert file.endswith(f"/in/{name}") and old_file == file
        assert (start, length) == ("0", str(len(texts[name])))  # one split per small file
        assert (ismap, is_map, job_id) == ("True", "True", job)
        m = re.fullmatch(rf"attempt_{job[4:]}_m_(\d{{6}})_(\d+)", attempt)
        assert m and old_attempt == attempt
        assert task == f"task_{job[4:]}_m_{m.group(1)}" and partition == str(int(m.group(1)))
        r_ismap, r_partition, r_task, r_attempt = reduceside.split("|")
        assert (r_ismap, r_partition) == ("False", str(part))
        assert r_task == f"task_{job[4:]}_r_{part:06d}"
        assert re.fullmatch(rf"attempt_{job[4:]}_r_{part:06d}_\d+", r_attempt)
