"""Formats, splits and the committer on dfs:// URLs (a MiniCluster with 64 KiB blocks)."""

from __future__ import annotations

import pytest

from dfs.conf import Configuration
from mapred.committer import FileOutputCommitter
from mapred.io import RecordFileInputFormat, TextInputFormat, expand_inputs
from mapred.output import get_output_format
from mapred.recordfile import RecordFileWriter

BLOCK = 64 * 1024


@pytest.fixture
def cluster(mini_cluster, monkeypatch):
    """The MiniCluster, reachable through plain ``dfs:///`` URLs (as jobs see it)."""
    from dfs.filesystem import DFSFileSystem

    monkeypatch.setenv("MINIHADOOP_HOME", str(mini_cluster.home))
    DFSFileSystem.clear_instance_cache()
    yield mini_cluster
    DFSFileSystem.clear_instance_cache()


def conf() -> Configuration:
    return Configuration(load_site=False)


def test_text_splits_follow_dfs_blocks_and_hosts(cluster):
    data = b"".join(b"line number %d of the input\n" % i for i in range(12000))
    cluster.client().write_bytes("/in/data.txt", data)
    cluster.client().write_bytes("/in/_SUCCESS", b"")
    urls = expand_inputs(["dfs:///in"], conf())
    assert urls == ["dfs:///in/data.txt"]
    fmt = TextInputFormat()
    splits = fmt.get_splits(urls, conf())
    blocks = cluster.client().block_locations("/in/data.txt")
    assert len(blocks) == -(-len(data) // BLOCK)
    # one split per block (the last one absorbs a tail within Hadoop's 10% slop)
    expected = [(b.offset, b.length) for b in blocks]
    if expected[-1][1] <= 0.1 * BLOCK:
        tail = expected.pop()
        expected[-1] = (expected[-1][0], expected[-1][1] + tail[1])
    assert [(s.start, s.length) for s in splits] == expected
    for split in splits:
        block = next(b for b in blocks if b.offset == split.start)
        assert set(split.hosts) == {loc.node_id for loc in block.locations}
        assert len(split.hosts) == 3
    lines = [r for s in splits for r in fmt.read(s, conf())]
    offsets = [0]
    for piece in data.split(b"\n")[:-1]:
        offsets.append(offsets[-1] + len(piece) + 1)
    assert lines == list(zip(offsets, (p.decode() for p in data.split(b"\n")[:-1])))


def test_record_file_on_dfs(cluster):
    fs = cluster.fs  # writes with the cluster's 64 KiB blocks
    recs = [((i, "k"), [i] * 5) for i in range(20000)]
    with fs.open("/rec/part-r-00000", "wb") as f, RecordFileWriter(f, block_bytes=4096) as w:
        for key, value in recs:
            w.write(key, value)
    fmt = RecordFileInputFormat()
    splits = fmt.get_splits(expand_inputs(["dfs:///rec/part-*"], conf()), conf())
    assert len(splits) > 2
    assert [r for s in splits for r in fmt.read(s, conf())] == recs


def test_committer_on_dfs(cluster):
    out = "dfs:///user/out"
    c = FileOutputCommitter(out, "job_0001", conf())
    c.setup_job()
    text = get_output_format("text")
    for task in range(3):
        for attempt in range(2):
            attempt_id = f"attempt_0001_r_{task:06d}_{attempt}"
            writer = text.open_writer(c.open_task_output(attempt_id, f"part-r-{task:05d}"), conf())
            writer.write(f"task{task}", attempt)
            writer.close()
        c.commit_task(f"attempt_0001_r_{task:06d}_1")
        c.abort_task(f"attempt_0001_r_{task:06d}_0")
    c.commit_job()
    client = cluster.client()
    assert [st.name for st in client.listdir("/user/out")] == [
        "_SUCCESS",
        "part-r-00000",
        "part-r-00001",
        "part-r-00002",
    ]
    assert client.read_bytes("/user/out/part-r-00001") == b"task1\t1\n"

    again = FileOutputCommitter(out, "job_0002", conf())
    with pytest.raises(FileExistsError, match="Output directory dfs:///user/out already exists"):
        again.setup_job()
    again.abort_job()
    assert client.exists("/user/out/_SUCCESS")

    failed = FileOutputCommitter("dfs:///user/failed", "job_0003", conf())
    failed.setup_job()
    with failed.open_task_output("attempt_0003_m_000000_0", "part-m-00000") as f:
        f.write(b"partial")
    failed.commit_task("attempt_0003_m_000000_0")
    failed.abort_job()
    assert not client.exists("/user/failed")
