"""FileOutputCommitter: task attempts write privately; one rename publishes the whole job output.

Owns the layout of a job's output while the job runs and the moves that publish it (Hadoop's
FileOutputCommitter, with the job commit made atomic). Must not touch what goes into the files
(`mapred.output`) nor scheduling (who may commit is the engine's decision). Storage is reached
only through fsspec URLs.

Layout, for output ``<parent>/<name>`` and job ``<job>``::

    <parent>/_temporary_<job>_<name>/                   the job's staging directory (hidden)
    <stage>/_temporary/<attempt>/part-...               an attempt writes here
    <stage>/_committed/<task>/part-...                  commit_task renames the attempt here
    <stage>/part-...  <stage>/_SUCCESS                  commit_job moves the parts up, marks it
    <parent>/<name>                                     ...and renames <stage> here: published

The output path does not exist until that last rename, which is one atomic operation on the
filesystem holding both (DFS: rename without OVERWRITE; local: ``renameat2(RENAME_NOREPLACE)``),
so a reader or a killed job never sees part of an output, and a publish never lands inside or
over an output that appeared meanwhile. The staging directory is a sibling of the output, so the
rename never crosses filesystems. ``<task>`` is the attempt id with ``attempt`` replaced by
``task`` and its attempt number dropped (``attempt_0003_m_000001_0`` -> ``task_0003_m_000001``);
a later commit of another attempt of the same task replaces the earlier one, as in Hadoop. State
lives only in the filesystem, so a committer built in another process with the same arguments
sees the same job.

abort_job removes the staging directory and nothing else: an output that exists (another job's,
or this job's once published) is never touched. Staging directories of jobs that died are
removed by the next job's start (`mapred.runner`, which knows which jobs are alive).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import posixpath
from typing import TYPE_CHECKING, BinaryIO

from dfs import faults
from dfs.conf import Configuration
from mapred.errors import MapRedError, OutputExistsError
from mapred.localfs import url_to_fs

if TYPE_CHECKING:
    import fsspec

log = logging.getLogger(__name__)

TEMP_DIR = "_temporary"
COMMITTED_DIR = "_committed"
SUCCESS_FILE = "_SUCCESS"
_NAME_IN_STAGE = 100  # characters of the output's name kept in its staging directory's name

BEFORE_PUBLISH = faults.register(
    "committer.before_publish",
    "FileOutputCommitter.commit_job: every task output is in the staging directory with "
    "_SUCCESS, the rename that publishes it not yet made",
)
AFTER_PUBLISH = faults.register(
    "committer.after_publish",
    "FileOutputCommitter.commit_job: the output is published, the job history not yet SUCCEEDED",
)


def task_id_of(attempt_id: str) -> str:
    """``attempt_0003_m_000001_0`` -> ``task_0003_m_000001`` (other ids: the attempt number
    dropped when there is one).

    >>> task_id_of("attempt_0003_r_000002_1")
    'task_0003_r_000002'
    """
    head, sep, tail = attempt_id.rpartition("_")
    base = head if sep and tail.isdigit() else attempt_id
    if base.startswith("attempt_"):
        return "task_" + base[len("attempt_") :]
    return base


def staging_name(job_id: str, output_name: str) -> str:
    """The staging directory's name, beside the output: ``_temporary_<job>_<name>``.

    >>> staging_name("job_local42_0001", "counts")
    '_temporary_job_local42_0001_counts'
    """
    return f"{TEMP_DIR}_{job_id}_{output_name[:_NAME_IN_STAGE]}"


class FileOutputCommitter:
    """Commit protocol for one job writing files under one output directory."""

    def __init__(self, output_url: str, job_id: str, conf: Configuration) -> None:
        self.output_url = output_url
        self.job_id = job_id
        self.conf = conf
        self.fs, path = url_to_fs(output_url)
        self.out = path.rstrip("/") or "/"
        parent, name = posixpath.split(self.out)
        self.stage = posixpath.join(parent or "/", staging_name(job_id, name))

    # --- paths --------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return self.fs.unstrip_protocol(path)

    def _attempt_path(self, attempt_id: str) -> str:
        return posixpath.join(self.stage, TEMP_DIR, attempt_id)

    def _task_path(self, attempt_id: str) -> str:
        return posixpath.join(self.stage, COMMITTED_DIR, task_id_of(attempt_id))

    @property
    def staging_url(self) -> str:
        """URL of the job's staging directory (what becomes the output at commit)."""
        return self._url(self.stage)

    def task_attempt_dir(self, attempt_id: str) -> str:
        """URL of the attempt's private work directory."""
        return self._url(self._attempt_path(attempt_id))

    def committed_task_dir(self, attempt_id: str) -> str:
        """URL where the attempt's task output sits after commit_task."""
        return self._url(self._task_path(attempt_id))

    # --- job ----------------------------------------------------------------------------------
    def setup_job(self) -> None:
        """Refuse an existing output directory, then create the staging directory.

        A staging directory already there under this job's id is debris of a dead process that
        had this process's pid (job ids carry it): it is replaced."""
        if self.fs.exists(self.out):
            raise OutputExistsError(f"Output directory {self.output_url} already exists")
        if self.fs.exists(self.stage):
            self.fs.rm(self.stage, recursive=True)
        self.fs.makedirs(posixpath.join(self.stage, TEMP_DIR), exist_ok=True)

    def commit_job(self) -> None:
        """Move every committed task's files into the staging directory, write ``_SUCCESS``
        (unless ``mapreduce.fileoutputcommitter.marksuccessfuljobs`` is false), then publish
        the whole directory as the output by one rename."""
        fs = self.fs
        if not fs.exists(self.stage):
            if fs.exists(posixpath.join(self.out, SUCCESS_FILE)):
                return  # already committed
            raise MapRedError(
                f"cannot commit job {self.job_id}: {self.staging_url} does not exist"
                " (setup_job was not run, or the job was aborted)"
            )
        self.prepare_publish()
        faults.crash_point(BEFORE_PUBLISH)
        self.publish()
        faults.crash_point(AFTER_PUBLISH)
        log.info("job %s committed: %s", self.job_id, self.output_url)

    def prepare_publish(self) -> None:
        """The first half of `commit_job`: every committed task's files moved up into the
        staging directory, the scratch directories removed, ``_SUCCESS`` written."""
        fs = self.fs
        committed = posixpath.join(self.stage, COMMITTED_DIR)
        if fs.exists(committed):
            for task_dir in sorted(self._children(committed)):
                self._merge_children(task_dir, self.stage)
            fs.rm(committed, recursive=True)
        if fs.exists(scratch := posixpath.join(self.stage, TEMP_DIR)):
            fs.rm(scratch, recursive=True)
        if self.conf.get_bool("mapreduce.fileoutputcommitter.marksuccessfuljobs", True):
            with fs.open(posixpath.join(self.stage, SUCCESS_FILE), "wb"):
                pass

    def publish(self) -> None:
        """The second half of `commit_job`: the staging directory renamed to the output."""
        try:
            rename_noreplace(self.fs, self.stage, self.out)
        except FileExistsError:
            raise OutputExistsError(
                f"Output directory {self.output_url} already exists (it appeared while job "
                f"{self.job_id} ran; its output is not published)"
            ) from None

    def abort_job(self) -> None:
        """Remove the staging directory (no partial output is ever visible, and none stays)."""
        if self.fs.exists(self.stage):
            self.fs.rm(self.stage, recursive=True)
            log.info("job %s aborted: removed %s", self.job_id, self.staging_url)

    def is_published(self) -> bool:
        """Did this job's commit publish its output? (For a job that died while committing:
        the staging directory is gone and the output is there, marked when marking is on.)"""
        if self.fs.exists(self.stage) or not self.fs.exists(self.out):
            return False
        if not self.conf.get_bool("mapreduce.fileoutputcommitter.marksuccessfuljobs", True):
            return True
        return self.fs.exists(posixpath.join(self.out, SUCCESS_FILE))

    # --- tasks --------------------------------------------------------------------------------
    def open_task_output(self, attempt_id: str, part_name: str) -> BinaryIO:
        """A new binary file ``part_name`` (may contain ``/``) in the attempt's work directory."""
        path = posixpath.join(self._attempt_path(attempt_id), part_name)
        self.fs.makedirs(posixpath.dirname(path), exist_ok=True)
        return self.fs.open(path, "wb")

    def needs_task_commit(self, attempt_id: str) -> bool:
        return self.fs.exists(self._attempt_path(attempt_id))

    def commit_task(self, attempt_id: str) -> None:
        """Rename the attempt directory to the task's committed directory."""
        src, dst = self._attempt_path(attempt_id), self._task_path(attempt_id)
        if not self.fs.exists(src):
            log.info("no output found for %s", attempt_id)
            return
        if self.fs.exists(dst):
            self.fs.rm(dst, recursive=True)
        self.fs.makedirs(posixpath.dirname(dst), exist_ok=True)
        self.fs.mv(src, dst, recursive=True)

    def abort_task(self, attempt_id: str) -> None:
        """Delete the attempt's work directory."""
        path = self._attempt_path(attempt_id)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    # --- helpers ------------------------------------------------------------------------------
    def _children(self, path: str) -> list[str]:
        names = (posixpath.basename(p.rstrip("/")) for p in self.fs.ls(path, detail=False))
        return [posixpath.join(path, name) for name in names]

    def _merge_children(self, src_dir: str, dst_dir: str) -> None:
        """Move src_dir's entries into dst_dir; directories present on both sides merge, a file
        replaces a file (Hadoop's mergePaths)."""
        for src in self._children(src_dir):
            dst = posixpath.join(dst_dir, posixpath.basename(src))
            if self.fs.exists(dst):
                if self.fs.isdir(src) and self.fs.isdir(dst):
                    self._merge_children(src, dst)
                    continue
                self.fs.rm(dst, recursive=True)
            self.fs.mv(src, dst, recursive=True)


# --- the publishing rename ------------------------------------------------------------------------
def rename_noreplace(fs: fsspec.AbstractFileSystem, src: str, dst: str) -> None:
    """Rename `src` to exactly `dst` in one step, failing with FileExistsError when `dst`
    exists (never moving into it, never replacing it)."""
    if "dfs" in _protocols(fs):
        fs.mv(src, dst, overwrite=False)  # HDFS rename2 without OVERWRITE
    elif "file" in _protocols(fs):
        _local_rename_noreplace(src, dst)
    else:  # object stores and memory:// have no atomic rename: as close as they allow
        if fs.exists(dst):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
        fs.mv(src, dst, recursive=True)
    fs.invalidate_cache()


def _protocols(fs: fsspec.AbstractFileSystem) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _local_rename_noreplace(src: str, dst: str) -> None:
    """Linux ``renameat2(..., RENAME_NOREPLACE)``; elsewhere (or where the filesystem does not
    support it) a check and ``os.rename``, which on POSIX still never replaces a non-empty
    directory."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is not None:
        rc = renameat2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE)
        if rc == 0:
            return
        err = ctypes.get_errno()
        if err == errno.EEXIST:
            raise FileExistsError(err, os.strerror(err), dst)
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), src)
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    os.rename(src, dst)


_LIBC: list[ctypes.CDLL | None] = []


def _libc() -> ctypes.CDLL | None:
    if not _LIBC:
        try:
            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]


# --- a job with named outputs (MultipleOutputs) ---------------------------------------------------
BETWEEN_PUBLISHES = faults.register(
    "committer.between_publishes",
    "MultiOutputCommitter.commit_job: some of the job's outputs are published, others not yet",
)
PUBLISHING_PREFIX = "_publishing_"  # beside the main output: the publish in progress


class MultiOutputCommitter:
    """Commit protocol for a job writing its main output and named outputs
    (`mapred.output.NamedOutput`), each its own directory with its own `FileOutputCommitter`.

    Tasks: an attempt writes into each output's attempt directory; `commit_task` commits the
    attempt in every output, `abort_task` removes it from every output.

    Job commit, all or nothing: every staging directory is prepared first (parts moved up,
    ``_SUCCESS``), then a publish record listing every (staging, output) pair is written beside
    the main output (``_publishing_<job>_<name>``), then the named outputs are published one
    rename each, and the main output last: the main output's rename is the commit point (a
    job whose main output exists committed, as for one output). A failure before that point
    renames the outputs already published back to their staging directories and aborts the
    job; a process that dies there leaves the record, and the next `abort_job` (the job's own,
    or the orphan clean-up of the next job's start) finds it and rolls back the same way. An
    output counts as published by this job only when its staging directory is gone and the
    output exists: a publish refused because the output appeared meanwhile leaves the staging
    directory, so another job's output is never touched."""

    def __init__(self, output_url: str, job_id: str, conf: Configuration) -> None:
        from mapred.output import named_outputs

        self.job_id = job_id
        self.conf = conf
        self.main = FileOutputCommitter(output_url, job_id, conf)
        self.named = {
            o.name: FileOutputCommitter(o.path, job_id, conf) for o in named_outputs(conf)
        }
        parent, name = posixpath.split(self.main.out)
        record = f"{PUBLISHING_PREFIX}{job_id}_{name[:_NAME_IN_STAGE]}"
        self.record = posixpath.join(parent or "/", record)

    @property
    def output_url(self) -> str:
        return self.main.output_url

    @property
    def staging_url(self) -> str:
        return self.main.staging_url

    @property
    def all(self) -> list[FileOutputCommitter]:
        """The named outputs' committers, in declaration order, then the main output's."""
        return [*self.named.values(), self.main]

    def output(self, name: str) -> FileOutputCommitter:
        try:
            return self.named[name]
        except KeyError:
            raise MapRedError(
                f"job {self.job_id} declares no output named {name!r} "
                f"(its named outputs: {sorted(self.named)})"
            ) from None

    # --- job ----------------------------------------------------------------------------------
    def setup_job(self) -> None:
        """Refuse any output that exists (none is set up then), then set up every one."""
        for c in self.all:
            if c.fs.exists(c.out):
                raise OutputExistsError(f"Output directory {c.output_url} already exists")
        done = []
        try:
            for c in self.all:
                c.setup_job()
                done.append(c)
        except BaseException:
            for c in done:
                _quietly_abort(c)
            raise

    def commit_job(self) -> None:
        """Publish every output, or none (see the class docstring)."""
        fs = self.main.fs
        if not fs.exists(self.main.stage) and not fs.exists(self.record):
            self.main.commit_job()  # already committed: returns; else says why it cannot
            return
        for c in self.all:
            c.prepare_publish()
        self._write_record()
        faults.crash_point(BEFORE_PUBLISH)
        try:
            for i, c in enumerate(self.all):
                if i:
                    faults.crash_point(BETWEEN_PUBLISHES)
                c.publish()
        except Exception:  # a death (or an injected crash) leaves the record: abort_job rolls back
            if not self.main.is_published():
                self._roll_back()
            raise
        faults.crash_point(AFTER_PUBLISH)
        fs.rm(self.record)
        log.info("job %s committed: %s", self.job_id, ", ".join(c.output_url for c in self.all))

    def abort_job(self) -> None:
        """Roll back a publish that did not reach its commit point, then remove every staging
        directory; an output this job did not publish is never touched."""
        fs = self.main.fs
        if fs.exists(self.record):
            if not self.main.is_published():
                self._roll_back()
            fs.rm(self.record)
        for c in self.all:
            c.abort_job()

    def is_published(self) -> bool:
        return all(c.is_published() for c in self.all)

    # --- tasks --------------------------------------------------------------------------------
    def open_task_output(self, attempt_id: str, part_name: str) -> BinaryIO:
        return self.main.open_task_output(attempt_id, part_name)

    def needs_task_commit(self, attempt_id: str) -> bool:
        return any(c.needs_task_commit(attempt_id) for c in self.all)

    def commit_task(self, attempt_id: str) -> None:
        for c in self.all:
            c.commit_task(attempt_id)

    def abort_task(self, attempt_id: str) -> None:
        for c in self.all:
            c.abort_task(attempt_id)

    # --- the publish record ---------------------------------------------------------------------
    def _write_record(self) -> None:
        import msgpack

        pairs = [[c.stage, c.out, c.fs.unstrip_protocol(c.stage)] for c in self.all]
        with self.main.fs.open(self.record, "wb") as f:
            f.write(msgpack.packb({"job_id": self.job_id, "outputs": pairs}))

    def _roll_back(self) -> None:
        """Every output this job published (its staging directory gone, the output there)
        renamed back to its staging directory: the job's outputs are all unpublished again."""
        for c in self.all:
            fs = c.fs
            if not fs.exists(c.stage) and fs.exists(c.out):
                log.warning(
                    "job %s: unpublishing %s (another output failed)", self.job_id, c.output_url
                )
                rename_noreplace(fs, c.out, c.stage)


def _quietly_abort(committer: FileOutputCommitter) -> None:
    try:
        committer.abort_job()
    except Exception as e:  # noqa: BLE001 - the first error is the one reported
        log.warning("cannot remove %s: %s", committer.staging_url, e)


def job_committer(
    output_url: str, job_id: str, conf: Configuration
) -> FileOutputCommitter | MultiOutputCommitter:
    """The committer of a job: one output's, or with named outputs declared in `conf`
    (`mapred.output.declare_named_outputs`) the one that publishes them all or none."""
    from mapred.output import named_outputs

    if named_outputs(conf):
        return MultiOutputCommitter(output_url, job_id, conf)
    return FileOutputCommitter(output_url, job_id, conf)
