"""FileOutputCommitter: task attempts write privately, commits publish by rename.

Owns the layout of a job's output directory while the job runs and the moves that publish it
(Hadoop's FileOutputCommitter, algorithm version 1). Must not touch what goes into the files
(`mapred.output`) nor scheduling (who may commit is the engine's decision). Storage is reached
only through fsspec URLs.

Layout, for output ``<out>`` and job ``<job>``::

    <out>/_temporary/<job>/_temporary/<attempt>/part-...   an attempt writes here
    <out>/_temporary/<job>/<task>/part-...                 commit_task renames the attempt here
    <out>/part-...  <out>/_SUCCESS                         commit_job moves parts up, marks success

``<task>`` is the attempt id with ``attempt`` replaced by ``task`` and its attempt number dropped
(``attempt_0003_m_000001_0`` -> ``task_0003_m_000001``). A later commit of another attempt of
the same task replaces the earlier one, as in Hadoop. State lives only in the filesystem, so a
committer built in another process with the same arguments sees the same job.

abort_job removes ``<out>`` entirely, but only when ``<out>/_temporary/<job>`` exists, i.e. this
job's setup_job created the directory: an output directory that existed before is never touched.
"""

from __future__ import annotations

import logging
import posixpath
from typing import BinaryIO

import fsspec

from dfs.conf import Configuration
from mapred.errors import MapRedError, OutputExistsError

log = logging.getLogger(__name__)

TEMP_DIR = "_temporary"
SUCCESS_FILE = "_SUCCESS"


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


class FileOutputCommitter:
    """Commit protocol for one job writing files under one output directory."""

    def __init__(self, output_url: str, job_id: str, conf: Configuration) -> None:
        self.output_url = output_url
        self.job_id = job_id
        self.conf = conf
        self.fs, path = fsspec.core.url_to_fs(output_url)
        self.out = path.rstrip("/") or "/"
        self.temp = posixpath.join(self.out, TEMP_DIR)
        self.job_dir = posixpath.join(self.temp, job_id)

    # --- paths --------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return self.fs.unstrip_protocol(path)

    def _attempt_path(self, attempt_id: str) -> str:
        return posixpath.join(self.job_dir, TEMP_DIR, attempt_id)

    def _task_path(self, attempt_id: str) -> str:
        return posixpath.join(self.job_dir, task_id_of(attempt_id))

    def task_attempt_dir(self, attempt_id: str) -> str:
        """URL of the attempt's private work directory."""
        return self._url(self._attempt_path(attempt_id))

    def committed_task_dir(self, attempt_id: str) -> str:
        """URL where the attempt's task output sits after commit_task."""
        return self._url(self._task_path(attempt_id))

    # --- job ----------------------------------------------------------------------------------
    def setup_job(self) -> None:
        """Refuse an existing output directory, then create ``<out>/_temporary/<job>``."""
        if self.fs.exists(self.out):
            raise OutputExistsError(f"Output directory {self.output_url} already exists")
        self.fs.makedirs(self.job_dir, exist_ok=True)

    def commit_job(self) -> None:
        """Move every committed task's files into ``<out>``, drop ``_temporary``, write
        ``_SUCCESS`` (unless ``mapreduce.fileoutputcommitter.marksuccessfuljobs`` is false)."""
        fs = self.fs
        success = posixpath.join(self.out, SUCCESS_FILE)
        if not fs.exists(self.job_dir):
            if fs.exists(success):
                return  # already committed
            raise MapRedError(
                f"cannot commit job {self.job_id}: {self._url(self.job_dir)} does not exist"
                " (setup_job was not run, or the job was aborted)"
            )
        for entry in sorted(self._children(self.job_dir)):
            if posixpath.basename(entry) != TEMP_DIR:
                self._merge_children(entry, self.out)
        fs.rm(self.temp, recursive=True)
        if self.conf.get_bool("mapreduce.fileoutputcommitter.marksuccessfuljobs", True):
            with fs.open(success, "wb"):
                pass

    def abort_job(self) -> None:
        """Remove the output directory if this job created it (no partial output survives)."""
        if self.fs.exists(self.job_dir):
            self.fs.rm(self.out, recursive=True)
            log.info("job %s aborted: removed %s", self.job_id, self.output_url)

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
