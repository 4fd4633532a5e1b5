"""FileOutputCommitter: directory state after each step, on memory:// and on a local directory."""

from __future__ import annotations

import uuid

import fsspec
import pytest

from dfs.conf import Configuration
from mapred.committer import FileOutputCommitter, task_id_of
from mapred.errors import MapRedError, OutputExistsError

CONF = Configuration(load_site=False)
JOB = "job_0007"


@pytest.fixture(params=["memory", "local", "file-url"])
def out_url(request, tmp_path):
    if request.param == "memory":
        root = f"/t{uuid.uuid4().hex}"
        yield f"memory://{root}/out"
        mem = fsspec.filesystem("memory")
        if mem.exists(root):
            mem.rm(root, recursive=True)
    elif request.param == "local":
        yield str(tmp_path / "out")
    else:
        yield f"file://{tmp_path}/out"


def listing(url: str) -> dict[str, bytes]:
    """Every file under url, relative name -> contents (independent of the committer)."""
    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    return {p[len(root) + 1 :]: fs.cat_file(p) for p in fs.find(root)}


def write(committer: FileOutputCommitter, attempt: str, part: str, data: bytes) -> None:
    with committer.open_task_output(attempt, part) as f:
        f.write(data)


def test_task_ids():
    assert task_id_of("attempt_0007_m_000001_0") == "task_0007_m_000001"
    assert task_id_of("attempt_0007_r_000012_3") == "task_0007_r_000012"
    assert task_id_of("custom") == "custom"


def test_full_job_publishes_only_committed_attempts(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    fs, out = fsspec.core.url_to_fs(out_url)
    assert not fs.exists(out)  # the output appears only when the job commits
    write(c, "attempt_0007_r_000000_0", "part-r-00000", b"a\t1\n")
    write(c, "attempt_0007_r_000001_0", "part-r-00001", b"lost attempt\n")
    write(c, "attempt_0007_r_000001_1", "part-r-00001", b"b\t2\n")
    write(c, "attempt_0007_r_000002_0", "part-r-00002", b"never committed\n")
    c.commit_task("attempt_0007_r_000000_0")
    c.abort_task("attempt_0007_r_000001_0")
    c.commit_task("attempt_0007_r_000001_1")
    before = listing(c.staging_url)
    assert set(before) == {
        "_committed/task_0007_r_000000/part-r-00000",
        "_committed/task_0007_r_000001/part-r-00001",
        "_temporary/attempt_0007_r_000002_0/part-r-00002",
    }
    assert not fs.exists(out)
    c.commit_job()
    assert listing(out_url) == {
        "_SUCCESS": b"",
        "part-r-00000": b"a\t1\n",
        "part-r-00001": b"b\t2\n",
    }
    assert [p.rsplit("/", 1)[1] for p in fs.ls(fs._parent(out), detail=False)] == ["out"]


def test_attempt_dir_is_private_and_under_temporary(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    attempt = "attempt_0007_m_000003_0"
    url = c.task_attempt_dir(attempt)
    assert url.rstrip("/").endswith(f"/_temporary_{JOB}_out/_temporary/{attempt}")
    write(c, attempt, "part-m-00003", b"x")
    fs, path = fsspec.core.url_to_fs(url)
    assert fs.cat_file(path + "/part-m-00003") == b"x"
    assert c.needs_task_commit(attempt)
    assert not c.needs_task_commit("attempt_0007_m_000004_0")


def test_second_commit_of_a_task_replaces_the_first(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    write(c, "attempt_0007_m_000000_0", "part-m-00000", b"first")
    c.commit_task("attempt_0007_m_000000_0")
    write(c, "attempt_0007_m_000000_1", "part-m-00000", b"second")
    c.commit_task("attempt_0007_m_000000_1")
    c.commit_job()
    assert listing(out_url) == {"_SUCCESS": b"", "part-m-00000": b"second"}


def test_committing_an_attempt_without_output_is_a_no_op(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    c.commit_task("attempt_0007_m_000000_0")
    c.commit_job()
    assert listing(out_url) == {"_SUCCESS": b""}


def test_subdirectories_from_several_tasks_merge(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    write(c, "attempt_0007_r_000000_0", "even/part-r-00000", b"0")
    write(c, "attempt_0007_r_000001_0", "even/part-r-00001", b"1")
    for t in (0, 1):
        c.commit_task(f"attempt_0007_r_00000{t}_0")
    c.commit_job()
    assert listing(out_url) == {
        "_SUCCESS": b"",
        "even/part-r-00000": b"0",
        "even/part-r-00001": b"1",
    }


def test_existing_output_is_refused_and_never_removed(out_url):
    fs, path = fsspec.core.url_to_fs(out_url)
    fs.makedirs(path, exist_ok=True)
    fs.pipe_file(path + "/keep", b"precious")
    c = FileOutputCommitter(out_url, JOB, CONF)
    with pytest.raises(OutputExistsError) as info:
        c.setup_job()
    assert str(info.value) == f"Output directory {out_url} already exists"
    c.abort_job()
    assert listing(out_url) == {"keep": b"precious"}


def test_abort_job_leaves_no_output_directory(out_url):
    c = FileOutputCommitter(out_url, JOB, CONF)
    c.setup_job()
    write(c, "attempt_0007_r_000000_0", "part-r-00000", b"partial")
    c.commit_task("attempt_0007_r_000000_0")
    c.abort_job()
    fs, path = fsspec.core.url_to_fs(out_url)
    assert not fs.exists(path)


def test_state_is_shared_through_the_filesystem(out_url):
    FileOutputCommitter(out_url, JOB, CONF).setup_job()
    worker = FileOutputCommitter(out_url, JOB, CONF)
    write(worker, "attempt_0007_m_000000_0", "part-m-00000", b"w")
    worker.commit_task("attempt_0007_m_000000_0")
    FileOutputCommitter(out_url, JOB, CONF).commit_job()
    assert listing(out_url) == {"_SUCCESS": b"", "part-m-00000": b"w"}


def test_success_marker_can_be_disabled(out_url):
    conf = Configuration(
        {"mapreduce.fileoutputcommitter.marksuccessfuljobs": "false"}, load_site=False
    )
    c = FileOutputCommitter(out_url, JOB, conf)
    c.setup_job()
    write(c, "attempt_0007_r_000000_0", "part-r-00000", b"z")
    c.commit_task("attempt_0007_r_000000_0")
    c.commit_job()
    assert listing(out_url) == {"part-r-00000": b"z"}


def test_commit_without_setup_is_an_error(out_url):
    with pytest.raises(MapRedError, match=f"cannot commit job {JOB}"):
        FileOutputCommitter(out_url, JOB, CONF).commit_job()
